import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hasReason, isStatusError } from '../../apimachinery/errors.js';
import { VirtualClock } from '../../sim/clock.js';
import { withAuthenticatedGroup, type UserInfo } from './authn.js';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles } from './bootstrap.js';
import { RBACAuthorizer, StaticRBACSource } from './rbac.js';
import {
  attributesFromSpec,
  handleLocalSubjectAccessReview,
  handleSelfSubjectAccessReview,
  handleSelfSubjectReview,
  handleSelfSubjectRulesReview,
  localSubjectAccessReview,
  selfSubjectAccessReview,
  selfSubjectReview,
  selfSubjectRulesReview,
  subjectAccessReview,
} from './review.js';

const authz = new RBACAuthorizer(
  new StaticRBACSource({
    clusterRoles: bootstrapClusterRoles(),
    clusterRoleBindings: bootstrapClusterRoleBindings(),
    roleBindings: [
      {
        kind: 'RoleBinding',
        metadata: { name: 'jane-view', namespace: 'dev' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
        subjects: [{ kind: 'User', name: 'jane' }],
      },
    ],
  }),
);

const jane: UserInfo = withAuthenticatedGroup({ username: 'jane', groups: [] });

describe('selfSubjectAccessReview', () => {
  const cases: [string, Parameters<typeof selfSubjectAccessReview>[2], boolean][] = [
    ['allows listing pods where a RoleBinding grants view', { resourceAttributes: { namespace: 'dev', verb: 'list', resource: 'pods' } }, true],
    ['refuses reading secrets under view', { resourceAttributes: { namespace: 'dev', verb: 'get', resource: 'secrets' } }, false],
    ['refuses the same request in another namespace', { resourceAttributes: { namespace: 'prod', verb: 'list', resource: 'pods' } }, false],
    ['answers a subresource question', { resourceAttributes: { namespace: 'dev', verb: 'get', resource: 'pods', subresource: 'log' } }, true],
    ['answers a non-resource question', { nonResourceAttributes: { path: '/version', verb: 'get' } }, true],
    ['refuses a non-resource path nobody granted', { nonResourceAttributes: { path: '/metrics', verb: 'get' } }, false],
  ];
  for (const [name, spec, allowed] of cases) {
    test(name, () => {
      const status = selfSubjectAccessReview(authz, jane, spec);
      assert.equal(status.allowed, allowed);
      assert.equal(status.denied, undefined, 'RBAC never denies outright');
    });
  }

  test('gives the allowing binding as the reason', () => {
    assert.deepEqual(selfSubjectAccessReview(authz, jane, { resourceAttributes: { namespace: 'dev', verb: 'list', resource: 'pods' } }), {
      allowed: true,
      reason: 'RBAC: allowed by RoleBinding "jane-view/dev" of ClusterRole "view" to User "jane"',
    });
  });

  test('a refusal without resolution errors has no reason', () => {
    assert.deepEqual(selfSubjectAccessReview(authz, jane, { resourceAttributes: { namespace: 'dev', verb: 'get', resource: 'secrets' } }), {
      allowed: false,
    });
  });

  test('rejects a spec with neither kind of attributes', () => {
    assert.throws(
      () => selfSubjectAccessReview(authz, jane, {}),
      (e) =>
        isStatusError(e) &&
        e.status.code === 422 &&
        e.status.message ===
          'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified',
    );
  });

  test('rejects a spec with both kinds of attributes', () => {
    assert.throws(
      () => selfSubjectAccessReview(authz, jane, { resourceAttributes: { verb: 'get' }, nonResourceAttributes: { path: '/', verb: 'get' } }),
      (e) => isStatusError(e) && /spec\.nonResourceAttributes: Invalid value: .*cannot be specified in combination with resourceAttributes/.test(e.status.message ?? ''),
    );
  });

  test('an empty version means every version', () => {
    assert.equal(attributesFromSpec(jane, { resourceAttributes: { verb: 'get', resource: 'pods' } }).apiVersion, '*');
    assert.equal(attributesFromSpec(jane, { resourceAttributes: { verb: 'get', resource: 'pods', version: 'v1' } }).apiVersion, 'v1');
  });
});

describe('subjectAccessReview', () => {
  test('asks about the named user with exactly the groups given', () => {
    // Without system:authenticated in the spec, discovery is not granted: SAR adds no groups.
    assert.equal(subjectAccessReview(authz, { user: 'jane', nonResourceAttributes: { path: '/api', verb: 'get' } }).allowed, false);
    assert.equal(
      subjectAccessReview(authz, { user: 'jane', groups: ['system:authenticated'], nonResourceAttributes: { path: '/api', verb: 'get' } }).allowed,
      true,
    );
  });

  test('system:masters in the spec groups is allowed everything', () => {
    assert.equal(subjectAccessReview(authz, { user: 'x', groups: ['system:masters'], resourceAttributes: { verb: 'delete', resource: 'nodes' } }).allowed, true);
  });

  test('requires a user or a group', () => {
    assert.throws(
      () => subjectAccessReview(authz, { resourceAttributes: { verb: 'get', resource: 'pods' } }),
      (e) =>
        isStatusError(e) &&
        e.status.message === 'SubjectAccessReview.authorization.k8s.io "" is invalid: spec.user: Invalid value: "": at least one of user or group must be specified',
    );
  });
});

describe('localSubjectAccessReview', () => {
  test('answers within the namespace', () => {
    assert.equal(localSubjectAccessReview(authz, 'dev', { user: 'jane', resourceAttributes: { namespace: 'dev', verb: 'list', resource: 'pods' } }).allowed, true);
  });

  test('requires the attributes namespace to match the review namespace', () => {
    assert.throws(
      () => localSubjectAccessReview(authz, 'dev', { user: 'jane', resourceAttributes: { namespace: 'prod', verb: 'list', resource: 'pods' } }),
      (e) => isStatusError(e) && /spec\.resourceAttributes\.namespace: Invalid value: "prod": must match metadata\.namespace/.test(e.status.message ?? ''),
    );
  });

  test('the handler stamps the namespace on the returned object', () => {
    const out = handleLocalSubjectAccessReview(authz, 'dev', {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'LocalSubjectAccessReview',
      metadata: { namespace: 'dev' },
      spec: { user: 'jane', resourceAttributes: { namespace: 'dev', verb: 'list', resource: 'pods' } },
    });
    assert.deepEqual((out.metadata as Record<string, unknown>).namespace, 'dev');
    assert.equal((out.status as { allowed: boolean }).allowed, true);
  });
});

describe('selfSubjectRulesReview', () => {
  test('lists the rules granted in the namespace, including the RoleBinding ones', () => {
    const status = selfSubjectRulesReview(authz, jane, 'dev');
    assert.equal(status.incomplete, false);
    assert.ok(status.resourceRules.some((r) => r.resources?.includes('pods') && r.verbs.includes('list')));
    assert.ok(status.nonResourceRules.some((r) => r.nonResourceURLs?.includes('/version')));
  });

  test('lists fewer rules where no RoleBinding applies', () => {
    assert.ok(selfSubjectRulesReview(authz, jane, 'prod').resourceRules.length < selfSubjectRulesReview(authz, jane, 'dev').resourceRules.length);
  });

  test('requires a namespace', () => {
    assert.throws(() => selfSubjectRulesReview(authz, jane, ''), (e) => hasReason(e, 'BadRequest') && (e as Error).message === 'no namespace on request');
  });

  test('the handler returns a SelfSubjectRulesReview with the status', () => {
    const out = handleSelfSubjectRulesReview(authz, jane, { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace: 'dev' } });
    assert.equal(out.kind, 'SelfSubjectRulesReview');
    assert.ok(Array.isArray((out.status as { resourceRules: unknown[] }).resourceRules));
  });
});

describe('handleSelfSubjectAccessReview', () => {
  test('returns the posted object with its status filled in', () => {
    const out = handleSelfSubjectAccessReview(authz, jane, {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      metadata: { creationTimestamp: null },
      spec: { resourceAttributes: { namespace: 'dev', verb: 'list', resource: 'pods' } },
    });
    assert.equal(out.kind, 'SelfSubjectAccessReview');
    assert.deepEqual(out.spec, { resourceAttributes: { namespace: 'dev', verb: 'list', resource: 'pods' } });
    assert.equal((out.status as { allowed: boolean }).allowed, true);
  });

  test('refuses a review that names itself', () => {
    assert.throws(
      () =>
        handleSelfSubjectAccessReview(authz, jane, {
          metadata: { name: 'mine' },
          spec: { resourceAttributes: { verb: 'get', resource: 'pods' } },
        }),
      (e) => isStatusError(e) && /metadata: Invalid value: .*must be empty/.test(e.status.message ?? ''),
    );
  });
});

describe('selfSubjectReview', () => {
  test('reports the username, uid, groups and extra of the caller', () => {
    assert.deepEqual(selfSubjectReview({ username: 'jane', uid: 'u1', groups: ['dev', 'system:authenticated'], extra: { scopes: ['a'] } }), {
      userInfo: { username: 'jane', uid: 'u1', groups: ['dev', 'system:authenticated'], extra: { scopes: ['a'] } },
    });
  });

  test('omits what the user does not have', () => {
    assert.deepEqual(selfSubjectReview({ username: 'system:anonymous', groups: ['system:unauthenticated'] }), {
      userInfo: { username: 'system:anonymous', groups: ['system:unauthenticated'] },
    });
  });

  test('the handler stamps creationTimestamp from the clock', () => {
    const out = handleSelfSubjectReview(jane, { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }, new VirtualClock(Date.UTC(2030, 0, 2, 3, 4, 5)));
    assert.deepEqual(out, {
      kind: 'SelfSubjectReview',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { creationTimestamp: '2030-01-02T03:04:05Z' },
      status: { userInfo: { username: 'jane', groups: ['system:authenticated'] } },
    });
  });
});
