import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { parseIamToken, verifyIamTokenSignature } from './aws-iam.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const token = (url: string) => 'k8s-aws-v1.' + Buffer.from(url).toString('base64url');
const good = (over: Record<string, string> = {}, host = 'sts.us-east-1.amazonaws.com') => {
  const q = new URLSearchParams({
    Action: 'GetCallerIdentity',
    Version: '2011-06-15',
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': 'AKIAEXAMPLE/20260101/us-east-1/sts/aws4_request',
    'X-Amz-Date': '20260101T115900Z',
    'X-Amz-Expires': '60',
    'X-Amz-SignedHeaders': 'host;x-k8s-aws-id',
    'X-Amz-Signature': '00',
    ...over,
  });
  return token(`https://${host}/?${q}`);
};

describe('IAM tokens (k8s-aws-v1.)', () => {
  test('a well-formed token names its access key, region and signing time', () => {
    const t = parseIamToken(good(), NOW);
    assert.equal(t.accessKeyId, 'AKIAEXAMPLE');
    assert.equal(t.region, 'us-east-1');
    assert.equal(t.signedAt, Date.UTC(2026, 0, 1, 11, 59, 0));
  });

  for (const [name, tok, message] of [
    ['a token without the prefix', 'abc', /missing expected "k8s-aws-v1." prefix/],
    ['a URL to another host', good({}, 'evil.example.com'), /unexpected hostname "evil.example.com"/],
    ['another STS action', good({ Action: 'AssumeRole' }), /unexpected action parameter/],
    ['the cluster header left unsigned', good({ 'X-Amz-SignedHeaders': 'host' }), /did not sign the x-k8s-aws-id header/],
    ['a token signed over 15 minutes ago', good({ 'X-Amz-Date': '20260101T114400Z' }), /expired \(15 minute expiration\)/],
    ['a malformed date', good({ 'X-Amz-Date': 'yesterday' }), /error parsing X-Amz-Date/],
  ] as const) {
    test(`rejects ${name}`, () => assert.throws(() => parseIamToken(tok, NOW), message));
  }

  // A token the real `aws eks get-token` made, verified against the secret it was signed with.
  const aws = existsSync('/usr/bin/aws') ? '/usr/bin/aws' : 'aws';
  const made = spawnSync(aws, ['eks', 'get-token', '--cluster-name', 'demo', '--region', 'us-east-1', '--output', 'json'], {
    encoding: 'utf8',
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret-one', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' },
  });
  const skip = made.status !== 0 && `no AWS CLI to make a token with: ${made.stderr || made.error}`;
  test('verifies a real get-token signature for its cluster, and refuses it for another cluster or secret', { skip }, () => {
    const raw = JSON.parse(made.stdout).status.token as string;
    const t = parseIamToken(raw, Date.now());
    assert.equal(verifyIamTokenSignature(t, 'secret-one', 'demo'), true);
    assert.equal(verifyIamTokenSignature(t, 'secret-one', 'other-cluster'), false);
    assert.equal(verifyIamTokenSignature(t, 'secret-two', 'demo'), false);
  });
});
