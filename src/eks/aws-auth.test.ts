import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAwsAuth } from './aws-auth.js';
import { credentialFromAuthorization, IdentityTable, parseIamArn } from './identity.js';

describe('aws-auth ConfigMap', () => {
  test('mapRoles and mapUsers become mappings; a role without username maps to its ARN', () => {
    const m = parseAwsAuth({
      data: {
        mapRoles: '- rolearn: arn:aws:iam::123456789012:role/node\n  username: system:node:{{EC2PrivateDNSName}}\n  groups: [system:bootstrappers, system:nodes]\n- rolearn: arn:aws:iam::123456789012:role/dev\n',
        mapUsers: '- userarn: arn:aws:iam::123456789012:user/alice\n  username: alice\n  groups: [devs]\n',
      },
    });
    assert.deepEqual(m, [
      { arn: 'arn:aws:iam::123456789012:role/node', username: 'system:node:{{EC2PrivateDNSName}}', groups: ['system:bootstrappers', 'system:nodes'] },
      { arn: 'arn:aws:iam::123456789012:role/dev', username: 'arn:aws:iam::123456789012:role/dev', groups: [] },
      { arn: 'arn:aws:iam::123456789012:user/alice', username: 'alice', groups: ['devs'] },
    ]);
  });

  for (const [name, data] of [
    ['no ConfigMap', undefined],
    ['YAML that does not parse', { data: { mapRoles: '- [' } }],
    ['a mapping that is not a list', { data: { mapUsers: 'userarn: x' } }],
    ['entries without an ARN', { data: { mapUsers: '- username: bob' } }],
  ] as const) {
    test(`${name} maps nobody`, () => assert.deepEqual(parseAwsAuth(data as never), []));
  }
});

describe('EKS callers', () => {
  test('the SigV4 credential scope names the access key and region', () => {
    assert.deepEqual(credentialFromAuthorization('AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/eu-west-1/eks/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc'), {
      accessKeyId: 'AKIDEXAMPLE',
      date: '20260101',
      region: 'eu-west-1',
      service: 'eks',
    });
    assert.equal(credentialFromAuthorization(undefined), undefined);
    assert.equal(credentialFromAuthorization('Bearer xyz'), undefined);
  });

  test('known keys resolve to their principal, unknown ones to a user of the default account', () => {
    const t = new IdentityTable([{ accessKeyId: 'AKIAADMIN', arn: 'arn:aws:iam::210987654321:role/Admin' }]);
    assert.deepEqual(t.resolve('AKIAADMIN', 'us-east-1'), { accessKeyId: 'AKIAADMIN', arn: 'arn:aws:iam::210987654321:role/Admin', accountId: '210987654321', region: 'us-east-1', secretAccessKey: undefined });
    assert.equal(t.resolve('somebody', 'us-east-1').arn, 'arn:aws:iam::123456789012:user/somebody');
  });

  test('IAM ARNs: users and roles with paths; anything else is not a principal', () => {
    assert.deepEqual(parseIamArn('arn:aws:iam::123456789012:role/teams/dev'), { accountId: '123456789012', kind: 'role', name: 'teams/dev' });
    assert.equal(parseIamArn('arn:aws:s3:::bucket'), undefined);
    assert.equal(parseIamArn('arn:aws:iam::123:user/x'), undefined);
  });
});
