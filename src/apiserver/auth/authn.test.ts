import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PeerCertificate } from 'node:tls';
import { hasReason } from '../../apimachinery/errors.js';
import {
  ANONYMOUS,
  authenticateRequest,
  bearerToken,
  parseServiceAccountUsername,
  serviceAccountUser,
  TokenAuthenticator,
  UnionAuthenticator,
  withAuthenticatedGroup,
  X509Authenticator,
  type Authenticator,
} from './authn.js';

const tokens = new TokenAuthenticator([
  { token: 'admin-token-123', user: { username: 'admin', uid: '1', groups: ['system:masters'] } },
  { token: 'jane-token', user: { username: 'jane', groups: [] } },
]);

const bearer = (t: string) => ({ headers: { authorization: `Bearer ${t}` } });

function peer(subject: Record<string, string | string[]>): PeerCertificate {
  return { subject } as unknown as PeerCertificate;
}

describe('bearerToken', () => {
  const cases: [string, string | undefined, string | undefined][] = [
    ['reads a Bearer token', 'Bearer abc', 'abc'],
    ['accepts the scheme in any case', 'bearer abc', 'abc'],
    ['trims surrounding whitespace', '  Bearer abc  ', 'abc'],
    ['ignores Basic credentials', 'Basic dXNlcjpwYXNz', undefined],
    ['ignores a header without a token', 'Bearer', undefined],
    ['ignores an empty token (double space)', 'Bearer  abc', undefined],
    ['ignores a missing header', undefined, undefined],
  ];
  for (const [name, header, expected] of cases) {
    test(name, () => {
      assert.equal(bearerToken(header === undefined ? {} : { authorization: header }), expected);
    });
  }
});

describe('TokenAuthenticator', () => {
  test('maps a known token to its user and adds system:authenticated', async () => {
    assert.deepEqual(await tokens.authenticate(bearer('admin-token-123')), {
      username: 'admin',
      uid: '1',
      groups: ['system:masters', 'system:authenticated'],
    });
  });

  test('rejects an unknown token with 401 Unauthorized', async () => {
    await assert.rejects(tokens.authenticate(bearer('admin-token-12')), (e) => hasReason(e, 'Unauthorized') && (e as Error).message === 'Unauthorized');
  });

  test('has no opinion on a request without a bearer token', async () => {
    assert.equal(await tokens.authenticate({ headers: {} }), null);
  });

  test('does not confuse a token with a prefix of another', () => {
    assert.equal(tokens.lookup('jane-tok'), undefined);
    assert.equal(tokens.lookup('jane-token')?.username, 'jane');
  });
});

describe('X509Authenticator', () => {
  const x509 = new X509Authenticator();

  test('uses CN as the username and each O as a group', async () => {
    assert.deepEqual(await x509.authenticate({ headers: {}, peerCertificate: peer({ CN: 'jane', O: ['dev', 'ops'] }) }), {
      username: 'jane',
      groups: ['dev', 'ops', 'system:authenticated'],
    });
  });

  test('accepts a single O given as a string', async () => {
    assert.deepEqual((await x509.authenticate({ headers: {}, peerCertificate: peer({ CN: 'a', O: 'system:masters' }) }))?.groups, [
      'system:masters',
      'system:authenticated',
    ]);
  });

  test('identifies nobody from a certificate without a CN', async () => {
    assert.equal(await x509.authenticate({ headers: {}, peerCertificate: peer({ O: 'x' }) }), null);
  });

  test('has no opinion without a verified certificate', async () => {
    assert.equal(await x509.authenticate({ headers: {} }), null);
  });
});

describe('UnionAuthenticator', () => {
  const union = new UnionAuthenticator([new X509Authenticator(), tokens]);

  test('takes the certificate user when both a certificate and a token are present', async () => {
    const user = await union.authenticate({ headers: { authorization: 'Bearer jane-token' }, peerCertificate: peer({ CN: 'cert-user' }) });
    assert.equal(user?.username, 'cert-user');
  });

  test('a valid certificate wins over an invalid token, as upstream unions do', async () => {
    const user = await union.authenticate({ headers: { authorization: 'Bearer wrong' }, peerCertificate: peer({ CN: 'cert-user' }) });
    assert.equal(user?.username, 'cert-user');
  });

  test('an invalid token alone is rejected', async () => {
    await assert.rejects(union.authenticate(bearer('wrong')), (e) => hasReason(e, 'Unauthorized'));
  });

  test('no credentials at all is no opinion', async () => {
    assert.equal(await union.authenticate({ headers: {} }), null);
  });

  test('adds system:authenticated to users from authenticators that do not', async () => {
    const plain: Authenticator = { authenticate: async () => ({ username: 'x', groups: ['g'] }) };
    assert.deepEqual((await new UnionAuthenticator([plain]).authenticate({ headers: {} }))?.groups, ['g', 'system:authenticated']);
  });

  test('does not swallow errors that are not authentication failures', async () => {
    const broken: Authenticator = {
      authenticate: async () => {
        throw new TypeError('bug');
      },
    };
    await assert.rejects(new UnionAuthenticator([broken, tokens]).authenticate(bearer('jane-token')), TypeError);
  });
});

describe('authenticateRequest', () => {
  test('falls back to system:anonymous in group system:unauthenticated', async () => {
    assert.deepEqual(await authenticateRequest(tokens, { headers: {} }), { username: 'system:anonymous', groups: ['system:unauthenticated'] });
    assert.equal(await authenticateRequest(tokens, { headers: {} }), ANONYMOUS);
  });

  test('rejects anonymous requests when anonymous auth is off', async () => {
    await assert.rejects(authenticateRequest(tokens, { headers: {} }, { allowAnonymous: false }), (e) => hasReason(e, 'Unauthorized'));
  });
});

describe('withAuthenticatedGroup', () => {
  const cases: [string, { username: string; groups: string[] }, string[]][] = [
    ['adds the group to an ordinary user', { username: 'u', groups: ['a'] }, ['a', 'system:authenticated']],
    ['does not add it twice', { username: 'u', groups: ['system:authenticated'] }, ['system:authenticated']],
    ['leaves an unauthenticated user alone', { username: 'u', groups: ['system:unauthenticated'] }, ['system:unauthenticated']],
    ['leaves system:anonymous alone', { username: 'system:anonymous', groups: [] }, []],
  ];
  for (const [name, user, groups] of cases) {
    test(name, () => assert.deepEqual(withAuthenticatedGroup(user).groups, groups));
  }
});

describe('service account identities', () => {
  test('a service account user has the all-accounts and per-namespace groups', () => {
    assert.deepEqual(serviceAccountUser('kube-system', 'coredns'), {
      username: 'system:serviceaccount:kube-system:coredns',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system'],
    });
  });

  test('parses the username back, and refuses other users', () => {
    assert.deepEqual(parseServiceAccountUsername('system:serviceaccount:ci:deployer'), { namespace: 'ci', name: 'deployer' });
    assert.equal(parseServiceAccountUsername('system:serviceaccount:ci'), undefined);
    assert.equal(parseServiceAccountUsername('jane'), undefined);
  });
});
