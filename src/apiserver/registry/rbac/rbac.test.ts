import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../../api/types.js';
import { fieldErrorString } from '../../../apimachinery/errors.js';
import { clusterRoleBindingStrategy, roleBindingStrategy } from './bindings.js';
import { clusterRoleStrategy, roleStrategy } from './roles.js';

function errs(list: { type: string }[]): string[] {
  return list.map((e) => fieldErrorString(e as any));
}

describe('Role and ClusterRole rules', () => {
  const cases: [string, unknown[], string[]][] = [
    ['requires verbs', [{ apiGroups: [''], resources: ['pods'] }], ['rules[0].verbs: Required value: verbs must contain at least one value']],
    ['requires api groups and resources', [{ verbs: ['get'] }], [
      'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
      'rules[0].resources: Required value: resource rules must supply at least one resource',
    ]],
    ['rejects non-resource URLs in a namespaced role', [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }], [
      'rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs',
    ]],
  ];
  for (const [name, rules, expected] of cases) {
    test(`Role ${name}`, () => assert.deepEqual(errs(roleStrategy.validate({ metadata: { name: 'r' }, rules })), expected));
  }

  test('ClusterRole allows non-resource URLs but not mixed with resources', () => {
    assert.deepEqual(clusterRoleStrategy.validate({ metadata: { name: 'r' }, rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }] }), []);
    assert.deepEqual(errs(clusterRoleStrategy.validate({ metadata: { name: 'r' }, rules: [{ verbs: ['get'], resources: ['pods'], nonResourceURLs: ['/healthz'] }] })), [
      'rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: rules cannot apply to both regular resources and non-resource URLs',
    ]);
  });

  test('ClusterRole aggregation needs a selector', () => {
    assert.deepEqual(errs(clusterRoleStrategy.validate({ metadata: { name: 'r' }, aggregationRule: {} })), [
      'aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil',
    ]);
  });

  test('RBAC names are path segments', () => {
    assert.equal(roleStrategy.nameValidation, 'path-segment');
    assert.equal(clusterRoleBindingStrategy.nameValidation, 'path-segment');
  });
});

function binding(roleRef: Record<string, unknown>, subjects: unknown[]): KubeObject {
  return { metadata: { name: 'b' }, roleRef, subjects };
}

describe('RoleBinding and ClusterRoleBinding', () => {
  test('defaults the roleRef and subject api groups', () => {
    const b = binding({ kind: 'Role', name: 'r' }, [{ kind: 'User', name: 'alice' }, { kind: 'ServiceAccount', name: 'sa', namespace: 'default' }]);
    roleBindingStrategy.defaults(b);
    assert.equal((b.roleRef as any).apiGroup, 'rbac.authorization.k8s.io');
    // A ServiceAccount's apiGroup defaults to "", which Go's omitempty leaves out of the JSON.
    assert.deepEqual((b.subjects as any[]).map((s) => s.apiGroup), ['rbac.authorization.k8s.io', undefined]);
    assert.equal('apiGroup' in (b.subjects as any[])[1], false);
    assert.deepEqual(roleBindingStrategy.validate(b), []);
  });

  test('a ClusterRoleBinding must name a ClusterRole and the namespace of a ServiceAccount', () => {
    const b = binding({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' }, [{ kind: 'ServiceAccount', name: 'sa' }]);
    assert.deepEqual(errs(clusterRoleBindingStrategy.validate(b)), [
      'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
      'subjects[0].namespace: Required value',
    ]);
  });

  test('rejects an unknown subject kind', () => {
    const b = binding({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' }, [{ kind: 'Robot', name: 'x' }]);
    assert.deepEqual(errs(roleBindingStrategy.validate(b)), ['subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"']);
  });

  test('cannot change roleRef', () => {
    const old = binding({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'a' }, []);
    const next = binding({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'b' }, []);
    assert.deepEqual(errs(roleBindingStrategy.validateUpdate(next, old)), [
      'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"b"}: cannot change roleRef',
    ]);
    assert.deepEqual(roleBindingStrategy.validateUpdate(structuredClone(old), old), []);
  });
});
