import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterRoleBindingPrinter, roleBindingPrinter } from './rbac.js';
import { ago, headers, row } from './testing.js';

describe('role bindings', () => {
  test('show NAME ROLE AGE by default and USERS GROUPS SERVICEACCOUNTS wide', () => {
    assert.deepEqual(headers(roleBindingPrinter), ['NAME', 'ROLE', 'AGE']);
    assert.deepEqual(headers(roleBindingPrinter, true), ['NAME', 'ROLE', 'AGE', 'USERS', 'GROUPS', 'SERVICEACCOUNTS']);
  });
  test('print the seed app-role-binding', () =>
    assert.deepEqual(
      row(roleBindingPrinter, {
        metadata: { name: 'app-role-binding', namespace: 'default', creationTimestamp: ago(90_000) },
        subjects: [{ kind: 'ServiceAccount', name: 'app-service-account', namespace: 'default' }],
        roleRef: { kind: 'Role', name: 'app-role', apiGroup: 'rbac.authorization.k8s.io' },
      }),
      { NAME: 'app-role-binding', ROLE: 'Role/app-role', AGE: '90s', USERS: '', GROUPS: '', SERVICEACCOUNTS: 'default/app-service-account' },
    ));
  test('join several subjects of a kind with ", "', () => {
    const r = row(clusterRoleBindingPrinter, {
      metadata: { name: 'developers' },
      subjects: [
        { kind: 'User', name: 'alice' },
        { kind: 'Group', name: 'dev' },
        { kind: 'User', name: 'bob' },
        { kind: 'Group', name: 'system:masters' },
      ],
      roleRef: { kind: 'ClusterRole', name: 'edit' },
    });
    assert.deepEqual([r.ROLE, r.USERS, r.GROUPS, r.SERVICEACCOUNTS], ['ClusterRole/edit', 'alice, bob', 'dev, system:masters', '']);
  });
  test('describe cluster role binding columns with their own noun', () =>
    assert.equal(clusterRoleBindingPrinter.columns[3].description, 'Users in the clusterRoleBinding'));
});
