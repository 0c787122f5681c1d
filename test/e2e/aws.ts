// The real AWS CLI v2 (Debian's awscli) against a skiff's EKS API, with dummy credentials, for the
// EKS end-to-end tests. A pip-installed v1 may shadow v2 on PATH, so /usr/bin/aws comes first.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { SkiffProcess } from './harness.js';

export const AWS = existsSync('/usr/bin/aws') ? '/usr/bin/aws' : 'aws';
const version = spawnSync(AWS, ['--version'], { encoding: 'utf8' });
export const haveAwsV2 = version.status === 0 && /^aws-cli\/2\./.test(version.stdout + version.stderr);
/** Why AWS CLI tests skip, or false. */
export const awsSkip = haveAwsV2 ? false : `no AWS CLI v2 (install Debian's awscli); found: ${(version.stdout + version.stderr).trim() || 'nothing'}`;
if (!haveAwsV2) console.log(`# skipping AWS CLI tests: ${awsSkip}`);

export const ADMIN_KEY = 'AKIAIOSFODNN7EXAMPLE';
export const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

/** `aws` bound to one skiff: run(args) returns the outcome, ok(args) asserts success and parses JSON. */
export function awsCli(skiff: () => SkiffProcess) {
  const env = (key = ADMIN_KEY) => ({
    // /usr/bin first, so the kubeconfig's `aws eks get-token` is the v2 CLI too.
    PATH: `/usr/bin:${process.env.PATH}`,
    AWS_ACCESS_KEY_ID: key,
    AWS_SECRET_ACCESS_KEY: SECRET,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_PAGER: '',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    HOME: skiff().dataDir,
  });
  const run = (args: string[], key?: string) => {
    const r = spawnSync(AWS, [...args, '--endpoint-url', skiff().eksEndpoint, '--output', 'json'], { encoding: 'utf8', env: { ...process.env, ...env(key) }, timeout: 60_000 });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
  };
  const ok = (args: string[], key?: string) => {
    const r = run(args, key);
    assert.equal(r.code, 0, `aws ${args.join(' ')} failed: ${r.stderr}`);
    // update-kubeconfig answers in prose, not JSON.
    return r.stdout.trim().startsWith('{') ? r.json() : { text: r.stdout };
  };
  return { env, run, ok };
}
