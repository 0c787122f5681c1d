import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregateClusterRoles, bootstrapClusterRoleBindings, bootstrapClusterRoles, bootstrapPolicy } from './bootstrap.js';
import { RBACAuthorizer, StaticRBACSource, type ClusterRole, type PolicyRule } from './rbac.js';

const roles = bootstrapClusterRoles();
const byName = new Map(roles.map((r) => [r.metadata.name, r]));

function role(name: string): ClusterRole {
  const r = byName.get(name);
  assert.ok(r, `missing ClusterRole ${name}`);
  return r;
}

// Whether a role alone grants verb on group/resource (namespaced, like a RoleBinding would).
function grants(roleName: string, verb: string, group: string, resource: string): boolean {
  const source = new StaticRBACSource({
    clusterRoles: roles,
    roleBindings: [
      {
        kind: 'RoleBinding',
        metadata: { name: 'b', namespace: 'ns' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
        subjects: [{ kind: 'User', name: 'u' }],
      },
    ],
  });
  const [r, sub = ''] = resource.split('/');
  return (
    new RBACAuthorizer(source).authorize({
      user: { username: 'u', groups: [] },
      verb,
      namespace: 'ns',
      apiGroup: group,
      apiVersion: 'v1',
      resource: r,
      subresource: sub,
      name: '',
      resourceRequest: true,
      path: '',
    }).decision === 'allow'
  );
}

describe('bootstrap ClusterRoles', () => {
  test("every object but the EBS CSI add-on's is labelled rbac-defaults and annotated for auto-update", () => {
    for (const obj of bootstrapPolicy()) {
      if (obj.metadata.labels?.['app.kubernetes.io/name'] === 'aws-ebs-csi-driver') continue;
      assert.equal(obj.metadata.labels?.['kubernetes.io/bootstrapping'], 'rbac-defaults', String(obj.metadata.name));
      assert.equal(obj.metadata.annotations?.['rbac.authorization.kubernetes.io/autoupdate'], 'true', String(obj.metadata.name));
      assert.equal(obj.apiVersion, 'rbac.authorization.k8s.io/v1');
    }
  });

  test('role names are unique', () => {
    assert.equal(byName.size, roles.length);
  });

  test('cluster-admin can do everything, on resources and paths', () => {
    assert.deepEqual(role('cluster-admin').rules, [
      { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
      { nonResourceURLs: ['*'], verbs: ['*'] },
    ]);
  });

  test('admin, edit and view keep their aggregationRule and chain view → edit → admin by label', () => {
    assert.deepEqual(role('admin').aggregationRule, { clusterRoleSelectors: [{ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' } }] });
    assert.deepEqual(role('edit').aggregationRule, { clusterRoleSelectors: [{ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' } }] });
    assert.deepEqual(role('view').aggregationRule, { clusterRoleSelectors: [{ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } }] });
    assert.equal(role('edit').metadata.labels?.['rbac.authorization.k8s.io/aggregate-to-admin'], 'true');
    assert.equal(role('view').metadata.labels?.['rbac.authorization.k8s.io/aggregate-to-edit'], 'true');
    assert.equal(role('system:aggregate-to-admin').metadata.labels?.['rbac.authorization.k8s.io/aggregate-to-admin'], 'true');
    assert.equal(role('system:aggregate-to-edit').metadata.labels?.['rbac.authorization.k8s.io/aggregate-to-edit'], 'true');
    assert.equal(role('system:aggregate-to-view').metadata.labels?.['rbac.authorization.k8s.io/aggregate-to-view'], 'true');
  });

  test('aggregated rules are filled in: view = aggregate-to-view, edit = aggregate-to-edit + view, admin = edit + aggregate-to-admin', () => {
    assert.deepEqual(role('view').rules, role('system:aggregate-to-view').rules);
    assert.deepEqual(role('edit').rules, [...(role('system:aggregate-to-edit').rules ?? []), ...(role('view').rules ?? [])]);
    assert.deepEqual(role('admin').rules, [...(role('edit').rules ?? []), ...(role('system:aggregate-to-admin').rules ?? [])]);
  });

  const matrix: [string, string, string, string, boolean][] = [
    ['view', 'list', '', 'pods', true],
    ['view', 'get', '', 'pods/log', true],
    ['view', 'get', '', 'secrets', false],
    ['view', 'create', '', 'pods', false],
    ['view', 'list', 'apps', 'deployments', true],
    ['view', 'get', '', 'pods/exec', false],
    ['edit', 'get', '', 'secrets', true],
    ['edit', 'create', 'apps', 'deployments', true],
    ['edit', 'create', '', 'pods/exec', true],
    ['edit', 'create', '', 'pods/eviction', true],
    ['edit', 'create', 'networking.k8s.io', 'networkpolicies', true],
    ['edit', 'create', 'rbac.authorization.k8s.io', 'rolebindings', false],
    ['edit', 'update', '', 'resourcequotas', false],
    ['edit', 'create', '', 'endpoints', false],
    ['admin', 'create', 'rbac.authorization.k8s.io', 'roles', true],
    ['admin', 'delete', 'rbac.authorization.k8s.io', 'rolebindings', true],
    ['admin', 'create', 'authorization.k8s.io', 'localsubjectaccessreviews', true],
    ['admin', 'update', '', 'resourcequotas', false],
  ];
  for (const [r, verb, group, resource, expected] of matrix) {
    test(`${r} ${expected ? 'can' : 'cannot'} ${verb} ${resource}${group ? '.' + group : ''}`, () => {
      assert.equal(grants(r, verb, group, resource), expected);
    });
  }

  test('system:discovery, system:public-info-viewer and system:monitoring grant the upstream paths', () => {
    assert.deepEqual(role('system:discovery').rules, [
      { nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'], verbs: ['get'] },
    ]);
    assert.deepEqual(role('system:public-info-viewer').rules, [
      { nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'], verbs: ['get'] },
    ]);
    assert.deepEqual(role('system:monitoring').rules, [
      { nonResourceURLs: ['/healthz', '/healthz/*', '/livez', '/livez/*', '/metrics', '/metrics/slis', '/readyz', '/readyz/*'], verbs: ['get'] },
    ]);
  });

  test('system:basic-user lets users review their own access and identity', () => {
    assert.deepEqual(role('system:basic-user').rules, [
      { apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], verbs: ['create'] },
      { apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'], verbs: ['create'] },
    ]);
  });
});

describe('bootstrap ClusterRoleBindings', () => {
  const bindings = new Map(bootstrapClusterRoleBindings().map((b) => [b.metadata.name, b]));
  const subjects = (name: string) => bindings.get(name)?.subjects?.map((s) => `${s.kind}:${s.name}`);

  test('binds cluster-admin to system:masters', () => {
    assert.deepEqual(subjects('cluster-admin'), ['Group:system:masters']);
    assert.deepEqual(bindings.get('cluster-admin')?.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' });
  });

  test('binds discovery and basic-user to every authenticated user', () => {
    assert.deepEqual(subjects('system:discovery'), ['Group:system:authenticated']);
    assert.deepEqual(subjects('system:basic-user'), ['Group:system:authenticated']);
  });

  test('binds public-info-viewer to authenticated and unauthenticated users', () => {
    assert.deepEqual(subjects('system:public-info-viewer'), ['Group:system:authenticated', 'Group:system:unauthenticated']);
  });

  test('every binding refers to a bootstrap role', () => {
    for (const b of bindings.values()) assert.ok(byName.has(b.roleRef?.name), b.roleRef?.name);
  });

  test('binding names are unique', () => {
    assert.equal(bindings.size, bootstrapClusterRoleBindings().length);
  });

  test("upstream's system:node binding keeps no subjects; skiff:node-pool binds system:node to system:nodes", () => {
    assert.equal(bindings.get('system:node')?.subjects, undefined);
    assert.deepEqual(bindings.get('skiff:node-pool')?.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:node' });
    assert.deepEqual(subjects('skiff:node-pool'), ['Group:system:nodes']);
    assert.deepEqual(subjects('skiff:node-pool-extras'), ['Group:system:nodes']);
  });

  test("the EBS CSI provisioner role is bound to kube-system/ebs-csi-controller-sa under the chart's names", () => {
    const b = bindings.get('ebs-csi-provisioner-binding');
    assert.deepEqual(b?.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'ebs-external-provisioner-role' });
    assert.deepEqual(b?.subjects, [{ kind: 'ServiceAccount', name: 'ebs-csi-controller-sa', namespace: 'kube-system' }]);
    assert.equal(role('ebs-external-provisioner-role').metadata.labels?.['app.kubernetes.io/name'], 'aws-ebs-csi-driver');
  });
});

describe('controller roles', () => {
  // Every controller skiff runs, by the service account kube-controller-manager gives it.
  const controllers = [
    'cronjob-controller',
    'daemon-set-controller',
    'deployment-controller',
    'disruption-controller',
    'endpoint-controller',
    'endpointslice-controller',
    'generic-garbage-collector',
    'job-controller',
    'namespace-controller',
    'node-controller',
    'persistent-volume-binder',
    'replicaset-controller',
    'service-account-controller',
    'statefulset-controller',
    'pvc-protection-controller',
    'pv-protection-controller',
    'ttl-after-finished-controller',
    'root-ca-cert-publisher',
  ];
  const bindings = new Map(bootstrapClusterRoleBindings().map((b) => [b.metadata.name, b]));

  test('each controller has system:controller:<name>, bound to kube-system/<name> and nothing else, in upstream order', () => {
    const names = roles.map((r) => r.metadata.name!).filter((n) => n.startsWith('system:controller:'));
    assert.deepEqual(names, controllers.map((c) => `system:controller:${c}`));
    for (const c of controllers) {
      const b = bindings.get(`system:controller:${c}`);
      assert.deepEqual(b?.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `system:controller:${c}` });
      assert.deepEqual(b?.subjects, [{ kind: 'ServiceAccount', name: c, namespace: 'kube-system' }]);
      assert.equal(b?.metadata.labels?.['kubernetes.io/bootstrapping'], 'rbac-defaults');
    }
  });

  test('rules come out as NewRule().RuleOrDie() builds them: lists sorted and de-duplicated', () => {
    assert.deepEqual(role('system:controller:namespace-controller').rules, [
      { apiGroups: [''], resources: ['namespaces'], verbs: ['delete', 'get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['namespaces/finalize', 'namespaces/status'], verbs: ['update'] },
      { apiGroups: ['*'], resources: ['*'], verbs: ['delete', 'deletecollection', 'get', 'list', 'watch'] },
    ]);
    assert.deepEqual(role('system:controller:ttl-after-finished-controller').rules, [
      { apiGroups: ['batch'], resources: ['jobs'], verbs: ['delete', 'get', 'list', 'watch'] },
      { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update'] },
    ]);
  });
});

describe('aggregateClusterRoles', () => {
  const r = (name: string, labels: Record<string, string>, rules: PolicyRule[], selector?: string): ClusterRole => ({
    kind: 'ClusterRole',
    metadata: { name, labels },
    rules,
    ...(selector ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [selector]: 'true' } }] } } : {}),
  });

  test('takes matching roles in name order, drops duplicate rules, and leaves the input untouched', () => {
    const a: PolicyRule = { apiGroups: [''], resources: ['pods'], verbs: ['get'] };
    const b: PolicyRule = { apiGroups: ['apps'], resources: ['deployments'], verbs: ['list'] };
    const input = [
      r('target', {}, [], 'pick'),
      r('zeta', { pick: 'true' }, [a]),
      r('alpha', { pick: 'true' }, [b, a]),
      r('ignored', {}, [{ verbs: ['*'], nonResourceURLs: ['*'] }]),
    ];
    const out = aggregateClusterRoles(input);
    assert.deepEqual(out[0].rules, [b, a]);
    assert.deepEqual(input[0].rules, []);
  });

  test('a CRD role labelled aggregate-to-view reaches view, edit and admin', () => {
    const crdRole = r('crontabs-view', { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' }, [
      { apiGroups: ['stable.example.com'], resources: ['crontabs'], verbs: ['get', 'list', 'watch'] },
    ]);
    const out = aggregateClusterRoles([...bootstrapClusterRoles(), crdRole]);
    for (const name of ['view', 'edit', 'admin']) {
      const got = out.find((x) => x.metadata.name === name);
      assert.ok(got?.rules?.some((x) => x.resources?.includes('crontabs')), name);
    }
  });
});
