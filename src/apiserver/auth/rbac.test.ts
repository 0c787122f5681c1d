import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from '../../apimachinery/errors.js';
import type { UserInfo } from './authn.js';
import { serviceAccountUser, withAuthenticatedGroup } from './authn.js';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles } from './bootstrap.js';
import {
  forbiddenError,
  forbiddenMessage,
  nonResourceURLMatches,
  RBACAuthorizer,
  resourceMatches,
  StaticRBACSource,
  type Attributes,
  type ClusterRole,
  type ClusterRoleBinding,
  type Role,
  type RoleBinding,
} from './rbac.js';

const RBAC = 'rbac.authorization.k8s.io';

function user(username: string, ...groups: string[]): UserInfo {
  return withAuthenticatedGroup({ username, groups });
}

function res(u: UserInfo, verb: string, resource: string, over: Partial<Attributes> = {}): Attributes {
  const [r, sub = ''] = resource.split('/');
  return {
    user: u,
    verb,
    namespace: '',
    apiGroup: '',
    apiVersion: 'v1',
    resource: r,
    subresource: sub,
    name: '',
    resourceRequest: true,
    path: '',
    ...over,
  };
}

function url(u: UserInfo, verb: string, path: string): Attributes {
  return { user: u, verb, namespace: '', apiGroup: '', apiVersion: '', resource: '', subresource: '', name: '', resourceRequest: false, path };
}

function roleBinding(ns: string, name: string, roleKind: string, roleName: string, subjects: RoleBinding['subjects']): RoleBinding {
  return { apiVersion: `${RBAC}/v1`, kind: 'RoleBinding', metadata: { name, namespace: ns }, roleRef: { apiGroup: RBAC, kind: roleKind, name: roleName }, subjects };
}

function clusterRoleBinding(name: string, roleName: string, subjects: ClusterRoleBinding['subjects']): ClusterRoleBinding {
  return { apiVersion: `${RBAC}/v1`, kind: 'ClusterRoleBinding', metadata: { name }, roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: roleName }, subjects };
}

const customClusterRoles: ClusterRole[] = [
  {
    kind: 'ClusterRole',
    metadata: { name: 'pod-logs-reader' },
    rules: [{ apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get'] }],
  },
  {
    kind: 'ClusterRole',
    metadata: { name: 'scaler' },
    rules: [{ apiGroups: ['*'], resources: ['*/scale'], verbs: ['update', 'patch'] }],
  },
  {
    kind: 'ClusterRole',
    metadata: { name: 'metrics-scraper' },
    rules: [{ nonResourceURLs: ['/metrics', '/debug/*'], verbs: ['get'] }],
  },
  {
    kind: 'ClusterRole',
    metadata: { name: 'node-reader' },
    rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list'] }],
  },
];

const roles: Role[] = [
  {
    kind: 'Role',
    metadata: { name: 'app-config', namespace: 'default' },
    rules: [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['app-settings'], verbs: ['get', 'update'] }],
  },
  {
    kind: 'Role',
    metadata: { name: 'app-role', namespace: 'default' },
    rules: [{ apiGroups: [''], resources: ['configmaps', 'secrets'], verbs: ['get', 'list'] }],
  },
];

const roleBindings: RoleBinding[] = [
  roleBinding('dev', 'jane-view', 'ClusterRole', 'view', [{ kind: 'User', apiGroup: RBAC, name: 'jane' }]),
  roleBinding('dev', 'editors', 'ClusterRole', 'edit', [{ kind: 'Group', apiGroup: RBAC, name: 'developers' }]),
  roleBinding('team', 'tom-admin', 'ClusterRole', 'admin', [{ kind: 'User', apiGroup: RBAC, name: 'tom' }]),
  roleBinding('default', 'config-editor', 'Role', 'app-config', [{ kind: 'User', apiGroup: RBAC, name: 'cfg' }]),
  roleBinding('default', 'logs', 'ClusterRole', 'pod-logs-reader', [{ kind: 'User', apiGroup: RBAC, name: 'logger' }]),
  // A ServiceAccount subject without a namespace means the binding's own namespace.
  roleBinding('default', 'app-sa', 'Role', 'app-role', [{ kind: 'ServiceAccount', name: 'app-sa' }]),
  roleBinding('default', 'ci-deployer', 'ClusterRole', 'edit', [{ kind: 'ServiceAccount', name: 'deployer', namespace: 'ci' }]),
  roleBinding('default', 'all-sas-view', 'ClusterRole', 'view', [{ kind: 'Group', apiGroup: RBAC, name: 'system:serviceaccounts:monitoring' }]),
  roleBinding('broken', 'dangling', 'ClusterRole', 'does-not-exist', [{ kind: 'User', apiGroup: RBAC, name: 'jane' }]),
];

const clusterRoleBindings: ClusterRoleBinding[] = [
  ...bootstrapClusterRoleBindings(),
  clusterRoleBinding('scalers', 'scaler', [{ kind: 'User', apiGroup: RBAC, name: 'hpa' }]),
  clusterRoleBinding('scrapers', 'metrics-scraper', [{ kind: 'Group', apiGroup: RBAC, name: 'prometheus' }]),
  clusterRoleBinding('node-readers', 'node-reader', [{ kind: 'ServiceAccount', name: 'kube-state', namespace: 'monitoring' }]),
];

const objects = {
  clusterRoles: [...bootstrapClusterRoles(), ...customClusterRoles],
  clusterRoleBindings,
  roles,
  roleBindings,
};
const source = new StaticRBACSource(objects);
const authz = new RBACAuthorizer(source);

const admin = user('kubernetes-admin', 'system:masters');
const jane = user('jane');
const dev = user('devon', 'developers');
const tom = user('tom');
const anonymous: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] };

const cases: { name: string; attrs: Attributes; allowed: boolean }[] = [
  { name: 'system:masters may delete nodes', attrs: res(admin, 'delete', 'nodes', { name: 'n1' }), allowed: true },
  { name: 'system:masters may get any non-resource path', attrs: url(admin, 'get', '/debug/pprof'), allowed: true },
  { name: 'view lets jane list pods in her namespace', attrs: res(jane, 'list', 'pods', { namespace: 'dev' }), allowed: true },
  { name: 'view does not let jane read secrets', attrs: res(jane, 'get', 'secrets', { namespace: 'dev', name: 's' }), allowed: false },
  { name: 'view does not let jane create pods', attrs: res(jane, 'create', 'pods', { namespace: 'dev' }), allowed: false },
  { name: 'view lets jane read pod logs', attrs: res(jane, 'get', 'pods/log', { namespace: 'dev', name: 'p' }), allowed: true },
  { name: 'view does not let jane exec into pods', attrs: res(jane, 'create', 'pods/exec', { namespace: 'dev', name: 'p' }), allowed: false },
  { name: 'a RoleBinding to view grants nothing in another namespace', attrs: res(jane, 'list', 'pods', { namespace: 'prod' }), allowed: false },
  { name: 'a RoleBinding to view grants nothing cluster-wide', attrs: res(jane, 'list', 'pods'), allowed: false },
  { name: 'edit lets a group member create deployments', attrs: res(dev, 'create', 'deployments', { namespace: 'dev', apiGroup: 'apps' }), allowed: true },
  { name: 'edit lets a group member read secrets', attrs: res(dev, 'get', 'secrets', { namespace: 'dev', name: 's' }), allowed: true },
  { name: 'edit lets a group member scale deployments', attrs: res(dev, 'update', 'deployments/scale', { namespace: 'dev', apiGroup: 'apps', name: 'd' }), allowed: true },
  { name: 'edit does not let a group member create roles', attrs: res(dev, 'create', 'roles', { namespace: 'dev', apiGroup: RBAC }), allowed: false },
  { name: 'edit does not let a group member update resource quotas', attrs: res(dev, 'update', 'resourcequotas', { namespace: 'dev', name: 'q' }), allowed: false },
  { name: 'admin lets tom create rolebindings in his namespace', attrs: res(tom, 'create', 'rolebindings', { namespace: 'team', apiGroup: RBAC }), allowed: true },
  { name: 'admin lets tom delete secrets in his namespace', attrs: res(tom, 'delete', 'secrets', { namespace: 'team', name: 's' }), allowed: true },
  { name: 'admin does not let tom create clusterroles', attrs: res(tom, 'create', 'clusterroles', { apiGroup: RBAC }), allowed: false },
  { name: 'resourceNames allows the named configmap', attrs: res(user('cfg'), 'get', 'configmaps', { namespace: 'default', name: 'app-settings' }), allowed: true },
  { name: 'resourceNames refuses another configmap', attrs: res(user('cfg'), 'get', 'configmaps', { namespace: 'default', name: 'other' }), allowed: false },
  { name: 'resourceNames refuses a list (which has no name)', attrs: res(user('cfg'), 'list', 'configmaps', { namespace: 'default' }), allowed: false },
  { name: 'pods/log in a rule allows reading logs', attrs: res(user('logger'), 'get', 'pods/log', { namespace: 'default', name: 'p' }), allowed: true },
  { name: 'pods in a rule does not cover the pods/exec subresource', attrs: res(user('logger'), 'get', 'pods/exec', { namespace: 'default', name: 'p' }), allowed: false },
  { name: '*/scale matches the scale subresource of any resource', attrs: res(user('hpa'), 'patch', 'statefulsets/scale', { namespace: 'x', apiGroup: 'apps', name: 's' }), allowed: true },
  { name: '*/scale does not match the main resource', attrs: res(user('hpa'), 'patch', 'statefulsets', { namespace: 'x', apiGroup: 'apps', name: 's' }), allowed: false },
  { name: 'system:discovery lets any authenticated user get /api/v1', attrs: url(jane, 'get', '/api/v1'), allowed: true },
  { name: 'system:discovery lets any authenticated user get /apis/apps/v1', attrs: url(jane, 'get', '/apis/apps/v1'), allowed: true },
  { name: 'system:public-info-viewer lets anonymous get /healthz', attrs: url(anonymous, 'get', '/healthz'), allowed: true },
  { name: 'system:public-info-viewer lets anonymous get /version', attrs: url(anonymous, 'get', '/version'), allowed: true },
  { name: 'anonymous may not discover /api', attrs: url(anonymous, 'get', '/api'), allowed: false },
  { name: 'anonymous may not list namespaces', attrs: res(anonymous, 'list', 'namespaces'), allowed: false },
  { name: 'an authenticated user may not post to /healthz', attrs: url(jane, 'post', '/healthz'), allowed: false },
  { name: 'a trailing * in a nonResourceURL matches by prefix', attrs: url(user('p', 'prometheus'), 'get', '/debug/pprof/heap'), allowed: true },
  { name: 'a nonResourceURL without * matches exactly', attrs: url(user('p', 'prometheus'), 'get', '/metrics/extra'), allowed: false },
  { name: 'system:basic-user lets anyone authenticated create selfsubjectaccessreviews', attrs: res(jane, 'create', 'selfsubjectaccessreviews', { apiGroup: 'authorization.k8s.io' }), allowed: true },
  { name: 'a namespaceless ServiceAccount subject means the binding namespace', attrs: res(authSA('default', 'app-sa'), 'get', 'secrets', { namespace: 'default', name: 'db' }), allowed: true },
  { name: 'the same service account name in another namespace is someone else', attrs: res(authSA('other', 'app-sa'), 'get', 'secrets', { namespace: 'default', name: 'db' }), allowed: false },
  { name: 'a ServiceAccount subject with a namespace names that account', attrs: res(authSA('ci', 'deployer'), 'create', 'deployments', { namespace: 'default', apiGroup: 'apps' }), allowed: true },
  { name: 'the system:serviceaccounts:<ns> group matches every account of that namespace', attrs: res(authSA('monitoring', 'any'), 'list', 'pods', { namespace: 'default' }), allowed: true },
  { name: 'a ClusterRoleBinding to a ServiceAccount grants cluster-wide', attrs: res(authSA('monitoring', 'kube-state'), 'list', 'nodes'), allowed: true },
  { name: 'a role in the wrong API group does not match', attrs: res(jane, 'list', 'pods', { namespace: 'dev', apiGroup: 'metrics.k8s.io' }), allowed: false },
];

function authSA(ns: string, name: string): UserInfo {
  return withAuthenticatedGroup(serviceAccountUser(ns, name));
}

describe('RBACAuthorizer.authorize', () => {
  for (const c of cases) {
    test(c.name, () => {
      const r = authz.authorize(c.attrs);
      assert.equal(r.decision, c.allowed ? 'allow' : 'no-opinion', r.reason);
    });
  }

  test('an allowed request names the binding, role and subject that allowed it', () => {
    assert.deepEqual(authz.authorize(res(jane, 'list', 'pods', { namespace: 'dev' })), {
      decision: 'allow',
      reason: 'RBAC: allowed by RoleBinding "jane-view/dev" of ClusterRole "view" to User "jane"',
    });
    assert.equal(
      authz.authorize(res(authSA('default', 'app-sa'), 'get', 'secrets', { namespace: 'default' })).reason,
      'RBAC: allowed by RoleBinding "app-sa/default" of Role "app-role" to ServiceAccount "app-sa/default"',
    );
    assert.equal(
      authz.authorize(url(jane, 'get', '/version')).reason,
      'RBAC: allowed by ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"',
    );
  });

  test('system:masters is allowed without a reason, before RBAC is consulted', () => {
    const empty = new RBACAuthorizer(new StaticRBACSource({}));
    assert.deepEqual(empty.authorize(res(admin, 'delete', 'namespaces', { name: 'kube-system' })), { decision: 'allow', reason: '' });
  });

  test('a binding to a missing role denies with the lookup error as reason', () => {
    assert.deepEqual(authz.authorize(res(jane, 'get', 'pods', { namespace: 'broken' })), {
      decision: 'no-opinion',
      reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "does-not-exist" not found',
    });
  });

  test('several resolution errors are aggregated in brackets', () => {
    const s = new StaticRBACSource({
      roleBindings: [
        roleBinding('x', 'a', 'Role', 'gone', [{ kind: 'User', name: 'u' }]),
        roleBinding('x', 'b', 'Other', 'r', [{ kind: 'User', name: 'u' }]),
      ],
    });
    assert.equal(
      new RBACAuthorizer(s).authorize(res(user('u'), 'get', 'pods', { namespace: 'x' })).reason,
      'RBAC: [role.rbac.authorization.k8s.io "gone" not found, unsupported role reference kind: "Other"]',
    );
  });
});

describe('RBACAuthorizer remembering decisions per RBAC generation', () => {
  /** The same objects, with a generation a test moves as it changes them. */
  class Generational extends StaticRBACSource {
    gen = 0;
    generation(): number {
      return this.gen;
    }
  }

  test('answers every case as an authorizer that remembers nothing, asked twice', () => {
    const remembering = new RBACAuthorizer(new Generational(objects));
    for (let round = 0; round < 2; round++) {
      for (const c of cases) assert.deepEqual(remembering.authorize(c.attrs), authz.authorize(c.attrs), `${c.name} (round ${round})`);
    }
  });

  test('a binding removed with the generation moved takes its permission with it', () => {
    const bindings = [{ metadata: { name: 'jane-edit', namespace: 'dev' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' }, subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'jane' }] }];
    const src = new Generational({ clusterRoles: bootstrapClusterRoles(), roleBindings: bindings });
    const a = new RBACAuthorizer(src);
    const ask = () => a.authorize(res(jane, 'delete', 'pods', { namespace: 'dev', name: 'p' })).decision;
    assert.equal(ask(), 'allow');
    bindings.length = 0;
    assert.equal(ask(), 'allow', 'the same generation: the decision is remembered');
    src.gen++;
    assert.equal(ask(), 'no-opinion');
  });
});

describe('malformed bindings', () => {
  test('a stored binding without a roleRef grants nothing and says why', () => {
    const s = new StaticRBACSource({ roleBindings: [{ kind: 'RoleBinding', metadata: { name: 'odd', namespace: 'x' }, subjects: [{ kind: 'User', name: 'u' }] }] });
    assert.deepEqual(new RBACAuthorizer(s).authorize(res(user('u'), 'get', 'pods', { namespace: 'x' })), {
      decision: 'no-opinion',
      reason: 'RBAC: unsupported role reference kind: ""',
    });
  });
});

describe('rule matching helpers', () => {
  const table: [string, boolean][] = [
    ['*', true],
    ['pods/log', true],
    ['*/log', true],
    ['pods', false],
    ['*/logs', false],
    ['*/og', false],
  ];
  for (const [ruleResource, expected] of table) {
    test(`resource rule "${ruleResource}" ${expected ? 'matches' : 'does not match'} pods/log`, () => {
      assert.equal(resourceMatches({ verbs: ['get'], resources: [ruleResource] }, 'pods/log', 'log'), expected);
    });
  }
  const urls: [string, string, boolean][] = [
    ['/api/*', '/api/v1/namespaces', true],
    ['/api/*', '/api', false],
    ['/api*', '/apis/apps', true],
    ['*', '/anything', true],
    ['/healthz', '/healthz/etcd', false],
  ];
  for (const [rule, path, expected] of urls) {
    test(`nonResourceURL "${rule}" ${expected ? 'matches' : 'does not match'} ${path}`, () => {
      assert.equal(nonResourceURLMatches({ verbs: ['get'], nonResourceURLs: [rule] }, path), expected);
    });
  }
});

describe('forbiddenMessage', () => {
  const cases: [string, Attributes, string][] = [
    ['namespaced list', res(jane, 'list', 'pods', { namespace: 'default' }), 'User "jane" cannot list resource "pods" in API group "" in the namespace "default"'],
    ['cluster-scoped get', res(jane, 'get', 'nodes', { name: 'n1' }), 'User "jane" cannot get resource "nodes" in API group "" at the cluster scope'],
    [
      'a subresource in a named group',
      res(jane, 'update', 'deployments/scale', { namespace: 'web', apiGroup: 'apps', name: 'api' }),
      'User "jane" cannot update resource "deployments/scale" in API group "apps" in the namespace "web"',
    ],
    ['a non-resource path', url(jane, 'get', '/metrics'), 'User "jane" cannot get path "/metrics"'],
    [
      'a service account',
      res(authSA('default', 'app'), 'watch', 'secrets', { namespace: 'default' }),
      'User "system:serviceaccount:default:app" cannot watch resource "secrets" in API group "" in the namespace "default"',
    ],
  ];
  for (const [name, attrs, expected] of cases) {
    test(`words a denial for ${name} as kube-apiserver does`, () => {
      assert.equal(forbiddenMessage(attrs), expected);
    });
  }

  test('the 403 names the object and the resource with its group', () => {
    const e = forbiddenError(res(jane, 'get', 'deployments', { namespace: 'web', apiGroup: 'apps', name: 'api' }));
    assert.ok(isStatusError(e));
    assert.equal(e.status.code, 403);
    assert.equal(e.status.reason, 'Forbidden');
    assert.equal(
      e.status.message,
      'deployments.apps "api" is forbidden: User "jane" cannot get resource "deployments" in API group "apps" in the namespace "web"',
    );
    assert.deepEqual(e.status.details, { name: 'api', group: 'apps', kind: 'deployments' });
  });

  test('the 403 for a list has no name, and appends the authorizer reason', () => {
    const e = forbiddenError(res(jane, 'list', 'pods', { namespace: 'broken' }), 'RBAC: clusterrole.rbac.authorization.k8s.io "x" not found');
    assert.equal(
      e.status.message,
      'pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "broken": RBAC: clusterrole.rbac.authorization.k8s.io "x" not found',
    );
  });

  test('the 403 for a path starts with "forbidden:" and has empty details', () => {
    const e = forbiddenError(url(anonymous, 'get', '/'));
    assert.equal(e.status.message, 'forbidden: User "system:anonymous" cannot get path "/"');
    assert.deepEqual(e.status.details, {});
    assert.equal(e.status.code, 403);
  });

  test('the 403 escapes characters that would read as HTML', () => {
    const e = forbiddenError(url(user('<script>'), 'get', '/a&b'));
    assert.equal(e.status.message, 'forbidden: User "&lt;script&gt;" cannot get path "/a&amp;b"');
  });
});

describe('RBACAuthorizer.rulesFor', () => {
  test('lists cluster-wide rules first, then the namespace rules, split into resource and non-resource rules', () => {
    const r = authz.rulesFor(user('cfg'), 'default');
    assert.equal(r.incomplete, false);
    assert.equal(r.evaluationError, undefined);
    assert.deepEqual(r.resourceRules[0], {
      verbs: ['create'],
      apiGroups: ['authorization.k8s.io'],
      resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
    });
    assert.deepEqual(r.resourceRules.at(-1), {
      verbs: ['get', 'update'],
      apiGroups: [''],
      resources: ['configmaps'],
      resourceNames: ['app-settings'],
    });
    assert.ok(r.nonResourceRules.some((n) => n.nonResourceURLs?.includes('/api/*') && n.verbs.includes('get')));
  });

  test('a namespace where the user has no bindings yields only the cluster-wide rules', () => {
    const inDev = authz.rulesFor(jane, 'dev').resourceRules.length;
    const inProd = authz.rulesFor(jane, 'prod').resourceRules.length;
    assert.ok(inDev > inProd);
  });

  test('unresolvable bindings are reported as an evaluation error', () => {
    assert.equal(authz.rulesFor(jane, 'broken').evaluationError, 'clusterrole.rbac.authorization.k8s.io "does-not-exist" not found');
  });
});
