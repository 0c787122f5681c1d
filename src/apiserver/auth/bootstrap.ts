// The default RBAC policy kube-apiserver 1.32 reconciles at startup
// (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go): the user-facing roles cluster-admin,
// admin, edit and view, their system:aggregate-to-* sources, the discovery/basic-user/public-info
// roles every caller gets, the roles of the control-plane components, and (controller_policy.go)
// the system:controller:* roles of the controllers skiff runs. admin, edit and view are aggregated
// ClusterRoles; their rules are filled in here exactly as the clusterrole-aggregation controller
// would leave them, so they work before (or without) that controller. Last come the few objects
// skiff needs that kube-apiserver does not create (the kubelet pool's binding, the EBS CSI
// provisioner's role); see skiffClusterRoleSpecs.
import type { KubeObject } from '../../api/types.js';
import { ALL_AUTHENTICATED, ALL_SERVICE_ACCOUNTS_GROUP, ALL_UNAUTHENTICATED, SYSTEM_MASTERS } from './authn.js';
import type { ClusterRole, ClusterRoleBinding, LabelSelectorRequirement, PolicyRule, Subject } from './rbac.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const RBAC_API_VERSION = 'rbac.authorization.k8s.io/v1';

/** The label every bootstrap object carries. */
export const BOOTSTRAP_LABELS: Readonly<Record<string, string>> = Object.freeze({ 'kubernetes.io/bootstrapping': 'rbac-defaults' });
/** rbacv1.AutoUpdateAnnotationKey: the API server re-reconciles objects that keep it "true". */
export const AUTOUPDATE_ANNOTATION = 'rbac.authorization.kubernetes.io/autoupdate';

const AGGREGATE_TO_ADMIN = 'rbac.authorization.k8s.io/aggregate-to-admin';
const AGGREGATE_TO_EDIT = 'rbac.authorization.k8s.io/aggregate-to-edit';
const AGGREGATE_TO_VIEW = 'rbac.authorization.k8s.io/aggregate-to-view';

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'update', 'patch', 'delete', 'deletecollection'];
const READ_WRITE = [...READ, ...WRITE];
const EVENTS_GROUPS = ['', 'events.k8s.io'];

// rbacv1helpers.NewRule(...).RuleOrDie(): every list is sorted, which is how `kubectl get
// clusterrole -o yaml` shows the bootstrap roles.
function rule(verbs: string[], apiGroups: string[], resources: string[], resourceNames?: string[]): PolicyRule {
  const r: PolicyRule = { apiGroups: sorted(apiGroups), resources: sorted(resources), verbs: sorted(verbs) };
  if (resourceNames) r.resourceNames = sorted(resourceNames);
  return r;
}

function urls(verbs: string[], nonResourceURLs: string[]): PolicyRule {
  return { nonResourceURLs: sorted(nonResourceURLs), verbs: sorted(verbs) };
}

function sorted(xs: string[]): string[] {
  return [...new Set(xs)].sort();
}

const eventsRule = (): PolicyRule => rule(['create', 'update', 'patch'], EVENTS_GROUPS, ['events']);

// The roles, in the form policy.go builds them (aggregated roles without rules yet).
function clusterRoleSpecs(): ClusterRole[] {
  const roles: ClusterRole[] = [
    clusterRole('cluster-admin', [rule(['*'], ['*'], ['*']), urls(['*'], ['*'])]),
    clusterRole('system:discovery', [
      urls(['get'], ['/livez', '/readyz', '/healthz', '/version', '/version/', '/openapi', '/openapi/*', '/api', '/api/*', '/apis', '/apis/*']),
    ]),
    clusterRole('system:monitoring', [
      urls(['get'], ['/metrics', '/metrics/slis', '/livez', '/readyz', '/healthz', '/livez/*', '/readyz/*', '/healthz/*']),
    ]),
    clusterRole('system:basic-user', [
      rule(['create'], ['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']),
      rule(['create'], ['authentication.k8s.io'], ['selfsubjectreviews']),
    ]),
    clusterRole('system:public-info-viewer', [urls(['get'], ['/livez', '/readyz', '/healthz', '/version', '/version/'])]),
    aggregatedRole('admin', AGGREGATE_TO_ADMIN),
    aggregatedRole('edit', AGGREGATE_TO_EDIT, { [AGGREGATE_TO_ADMIN]: 'true' }),
    aggregatedRole('view', AGGREGATE_TO_VIEW, { [AGGREGATE_TO_EDIT]: 'true' }),
    clusterRole(
      'system:aggregate-to-admin',
      [
        // additional admin powers
        rule(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']),
        rule(READ_WRITE, [RBAC_GROUP], ['roles', 'rolebindings']),
      ],
      { [AGGREGATE_TO_ADMIN]: 'true' },
    ),
    clusterRole(
      'system:aggregate-to-edit',
      [
        // read on escalating resources
        rule(READ, [''], ['pods/attach', 'pods/proxy', 'pods/exec', 'pods/portforward', 'secrets', 'services/proxy']),
        rule(['impersonate'], [''], ['serviceaccounts']),
        rule(WRITE, [''], ['pods', 'pods/attach', 'pods/proxy', 'pods/exec', 'pods/portforward']),
        rule(['create'], [''], ['pods/eviction']),
        rule(WRITE, [''], [
          'replicationcontrollers',
          'replicationcontrollers/scale',
          'serviceaccounts',
          'services',
          'services/proxy',
          'persistentvolumeclaims',
          'configmaps',
          'secrets',
          'events',
        ]),
        rule(['create'], [''], ['serviceaccounts/token']),
        rule(WRITE, ['apps'], [
          'statefulsets',
          'statefulsets/scale',
          'daemonsets',
          'deployments',
          'deployments/scale',
          'deployments/rollback',
          'replicasets',
          'replicasets/scale',
        ]),
        rule(WRITE, ['autoscaling'], ['horizontalpodautoscalers']),
        rule(WRITE, ['batch'], ['jobs', 'cronjobs']),
        rule(WRITE, ['extensions'], [
          'daemonsets',
          'deployments',
          'deployments/scale',
          'deployments/rollback',
          'ingresses',
          'replicasets',
          'replicasets/scale',
          'replicationcontrollers/scale',
          'networkpolicies',
        ]),
        rule(WRITE, ['policy'], ['poddisruptionbudgets']),
        rule(WRITE, ['networking.k8s.io'], ['networkpolicies', 'ingresses']),
        rule(READ_WRITE, ['coordination.k8s.io'], ['leases']),
      ],
      { [AGGREGATE_TO_EDIT]: 'true' },
    ),
    clusterRole(
      'system:aggregate-to-view',
      [
        rule(READ, [''], [
          'pods',
          'replicationcontrollers',
          'replicationcontrollers/scale',
          'serviceaccounts',
          'services',
          'services/status',
          'endpoints',
          'persistentvolumeclaims',
          'persistentvolumeclaims/status',
          'configmaps',
        ]),
        rule(READ, [''], [
          'limitranges',
          'resourcequotas',
          'bindings',
          'events',
          'pods/status',
          'resourcequotas/status',
          'namespaces/status',
          'replicationcontrollers/status',
          'pods/log',
        ]),
        // read access to namespaces at the namespace scope means you can read *this* namespace
        rule(READ, [''], ['namespaces']),
        rule(READ, ['discovery.k8s.io'], ['endpointslices']),
        rule(READ, ['apps'], [
          'controllerrevisions',
          'statefulsets',
          'statefulsets/status',
          'statefulsets/scale',
          'daemonsets',
          'daemonsets/status',
          'deployments',
          'deployments/status',
          'deployments/scale',
          'replicasets',
          'replicasets/status',
          'replicasets/scale',
        ]),
        rule(READ, ['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']),
        rule(READ, ['batch'], ['jobs', 'cronjobs', 'cronjobs/status', 'jobs/status']),
        rule(READ, ['extensions'], [
          'daemonsets',
          'daemonsets/status',
          'deployments',
          'deployments/scale',
          'deployments/status',
          'ingresses',
          'ingresses/status',
          'replicasets',
          'replicasets/scale',
          'replicasets/status',
          'replicationcontrollers/scale',
          'networkpolicies',
        ]),
        rule(READ, ['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
        rule(READ, ['networking.k8s.io'], ['networkpolicies', 'ingresses', 'ingresses/status']),
      ],
      { [AGGREGATE_TO_VIEW]: 'true' },
    ),
    clusterRole('system:heapster', [
      rule(READ, [''], ['events', 'pods', 'nodes', 'namespaces']),
      rule(READ, ['extensions'], ['deployments']),
    ]),
    clusterRole('system:node', [
      rule(['create'], ['authentication.k8s.io'], ['tokenreviews']),
      rule(['create'], ['authorization.k8s.io'], ['subjectaccessreviews', 'localsubjectaccessreviews']),
      rule(READ, [''], ['services']),
      rule(['create', 'get', 'list', 'watch'], [''], ['nodes']),
      rule(['update', 'patch'], [''], ['nodes/status']),
      rule(['update', 'patch'], [''], ['nodes']),
      rule(['create', 'update', 'patch'], [''], ['events']),
      rule(READ, [''], ['pods']),
      rule(['create', 'delete'], [''], ['pods']),
      rule(['update', 'patch'], [''], ['pods/status']),
      rule(['create'], [''], ['pods/eviction']),
      rule(['get', 'list', 'watch'], [''], ['secrets', 'configmaps']),
      rule(['get'], [''], ['persistentvolumeclaims', 'persistentvolumes']),
      rule(['get'], [''], ['endpoints']),
      rule(['create', 'get', 'list', 'watch'], ['certificates.k8s.io'], ['certificatesigningrequests']),
      rule(['get', 'create', 'update', 'patch', 'delete'], ['coordination.k8s.io'], ['leases']),
      rule(['get'], ['storage.k8s.io'], ['volumeattachments']),
      rule(['create'], [''], ['serviceaccounts/token']),
      rule(['get', 'update', 'patch'], [''], ['persistentvolumeclaims/status']),
      rule(['get', 'watch', 'list'], ['storage.k8s.io'], ['csidrivers']),
      rule(['get', 'create', 'update', 'patch', 'delete'], ['storage.k8s.io'], ['csinodes']),
      rule(['get', 'list', 'watch'], ['node.k8s.io'], ['runtimeclasses']),
    ]),
    clusterRole('system:node-problem-detector', [
      rule(['get'], [''], ['nodes']),
      rule(['patch'], [''], ['nodes/status']),
      eventsRule(),
    ]),
    clusterRole('system:kubelet-api-admin', [
      rule(READ, [''], ['nodes']),
      rule(['proxy'], [''], ['nodes']),
      rule(['*'], [''], ['nodes/proxy', 'nodes/metrics', 'nodes/spec', 'nodes/stats', 'nodes/log']),
    ]),
    clusterRole('system:node-bootstrapper', [
      rule(['create', 'get', 'list', 'watch'], ['certificates.k8s.io'], ['certificatesigningrequests']),
    ]),
    clusterRole('system:auth-delegator', [
      rule(['create'], ['authentication.k8s.io'], ['tokenreviews']),
      rule(['create'], ['authorization.k8s.io'], ['subjectaccessreviews']),
    ]),
    clusterRole('system:kube-aggregator', [rule(READ, [''], ['services', 'endpoints'])]),
    clusterRole('system:kube-controller-manager', [
      eventsRule(),
      rule(['create'], ['coordination.k8s.io'], ['leases']),
      rule(['get', 'update'], ['coordination.k8s.io'], ['leases'], ['kube-controller-manager']),
      rule(['create'], [''], ['endpoints']),
      rule(['get', 'update'], [''], ['endpoints'], ['kube-controller-manager']),
      rule(['create'], [''], ['secrets', 'serviceaccounts']),
      rule(['delete'], [''], ['secrets']),
      rule(['get'], [''], ['namespaces', 'configmaps', 'secrets', 'serviceaccounts']),
      rule(['update'], [''], ['secrets', 'serviceaccounts']),
      rule(['create'], ['authentication.k8s.io'], ['tokenreviews']),
      rule(['create'], ['authorization.k8s.io'], ['subjectaccessreviews']),
      rule(['list', 'watch'], ['*'], ['*']),
      rule(['create'], [''], ['serviceaccounts/token']),
    ]),
    clusterRole('system:kube-dns', [rule(['list', 'watch'], [''], ['endpoints', 'services'])]),
    clusterRole('system:persistent-volume-provisioner', [
      rule(['get', 'list', 'watch', 'create', 'delete'], [''], ['persistentvolumes']),
      rule(['get', 'list', 'watch', 'update'], [''], ['persistentvolumeclaims']),
      rule(READ, ['storage.k8s.io'], ['storageclasses']),
      rule(['watch'], [''], ['events']),
      eventsRule(),
    ]),
    clusterRole('system:certificates.k8s.io:certificatesigningrequests:nodeclient', [
      rule(['create'], ['certificates.k8s.io'], ['certificatesigningrequests/nodeclient']),
    ]),
    clusterRole('system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', [
      rule(['create'], ['certificates.k8s.io'], ['certificatesigningrequests/selfnodeclient']),
    ]),
    clusterRole('system:volume-scheduler', [
      rule(['get', 'list', 'watch', 'update', 'patch'], [''], ['persistentvolumes']),
      rule(READ, ['storage.k8s.io'], ['storageclasses']),
      rule(['get', 'list', 'watch', 'update', 'patch'], [''], ['persistentvolumeclaims']),
    ]),
    clusterRole('system:certificates.k8s.io:legacy-unknown-approver', [
      rule(['approve'], ['certificates.k8s.io'], ['signers'], ['kubernetes.io/legacy-unknown']),
    ]),
    clusterRole('system:certificates.k8s.io:kubelet-serving-approver', [
      rule(['approve'], ['certificates.k8s.io'], ['signers'], ['kubernetes.io/kubelet-serving']),
    ]),
    clusterRole('system:certificates.k8s.io:kube-apiserver-client-approver', [
      rule(['approve'], ['certificates.k8s.io'], ['signers'], ['kubernetes.io/kube-apiserver-client']),
    ]),
    clusterRole('system:certificates.k8s.io:kube-apiserver-client-kubelet-approver', [
      rule(['approve'], ['certificates.k8s.io'], ['signers'], ['kubernetes.io/kube-apiserver-client-kubelet']),
    ]),
    clusterRole('system:service-account-issuer-discovery', [
      urls(['get'], ['/.well-known/openid-configuration', '/openid/v1/jwks']),
    ]),
    clusterRole('system:node-proxier', [
      rule(['list', 'watch'], [''], ['services', 'endpoints']),
      rule(READ, [''], ['nodes']),
      eventsRule(),
      rule(['list', 'watch'], ['discovery.k8s.io'], ['endpointslices']),
    ]),
    clusterRole('system:kube-scheduler', [
      eventsRule(),
      rule(['create'], ['coordination.k8s.io'], ['leases']),
      rule(['get', 'update'], ['coordination.k8s.io'], ['leases'], ['kube-scheduler']),
      rule(READ, [''], ['nodes']),
      rule(['get', 'list', 'watch', 'delete'], [''], ['pods']),
      rule(['create'], [''], ['pods/binding', 'bindings']),
      rule(['patch', 'update'], [''], ['pods/status']),
      rule(READ, [''], ['replicationcontrollers', 'services']),
      rule(READ, ['apps', 'extensions'], ['replicasets']),
      rule(READ, ['apps'], ['statefulsets']),
      rule(READ, ['policy'], ['poddisruptionbudgets']),
      rule(READ, [''], ['persistentvolumeclaims', 'persistentvolumes']),
      rule(['create'], ['authentication.k8s.io'], ['tokenreviews']),
      rule(['create'], ['authorization.k8s.io'], ['subjectaccessreviews']),
      rule(READ, ['storage.k8s.io'], ['csinodes']),
      rule(READ, [''], ['namespaces']),
      rule(READ, ['storage.k8s.io'], ['csidrivers']),
      rule(READ, ['storage.k8s.io'], ['csistoragecapacities']),
    ]),
  ];
  return [...roles, ...controllerRoleSpecs(), ...skiffClusterRoleSpecs()];
}

const CONTROLLER_ROLE_PREFIX = 'system:controller:';

/**
 * The controller roles (controller_policy.go buildControllerRoles), each bound to the service
 * account kube-system/<name without the prefix> that kube-controller-manager runs the controller
 * as. Only the controllers skiff runs are here, in upstream's order and with upstream's rules, so
 * a controller that oversteps them fails here as it would on EKS. The taint-eviction controller
 * has no role of its own: upstream (and skiff) run it as node-controller.
 */
function controllerRoleSpecs(): ClusterRole[] {
  const APPS = ['apps', 'extensions'];
  return [
    controllerRole('cronjob-controller', [
      rule(['get', 'list', 'watch', 'update'], ['batch'], ['cronjobs']),
      rule(['get', 'list', 'watch', 'create', 'update', 'delete', 'patch'], ['batch'], ['jobs']),
      rule(['update'], ['batch'], ['cronjobs/status']),
      rule(['update'], ['batch'], ['cronjobs/finalizers']),
      rule(['list', 'watch', 'delete'], [''], ['pods']),
      eventsRule(),
    ]),
    controllerRole('daemon-set-controller', [
      rule(READ, APPS, ['daemonsets']),
      rule(['update'], APPS, ['daemonsets/status']),
      rule(['update'], APPS, ['daemonsets/finalizers']),
      rule(['list', 'watch'], [''], ['nodes']),
      rule(['list', 'watch', 'create', 'delete', 'patch'], [''], ['pods']),
      rule(['create'], [''], ['pods/binding']),
      rule(['get', 'list', 'watch', 'create', 'delete', 'update', 'patch'], ['apps'], ['controllerrevisions']),
      eventsRule(),
    ]),
    controllerRole('deployment-controller', [
      rule(['get', 'list', 'watch', 'update'], APPS, ['deployments']),
      rule(['update'], APPS, ['deployments/status']),
      rule(['update'], APPS, ['deployments/finalizers']),
      rule(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'], APPS, ['replicasets']),
      // upstream: remove "update" once kubernetes/kubernetes#36897 is resolved
      rule(['get', 'list', 'watch', 'update'], [''], ['pods']),
      eventsRule(),
    ]),
    controllerRole('disruption-controller', [
      rule(READ, APPS, ['deployments']),
      rule(READ, APPS, ['replicasets']),
      rule(READ, [''], ['replicationcontrollers']),
      rule(READ, ['policy'], ['poddisruptionbudgets']),
      rule(READ, ['apps'], ['statefulsets']),
      rule(['update'], ['policy'], ['poddisruptionbudgets/status']),
      rule(['patch', 'update'], [''], ['pods/status']),
      // any other controller of pods is counted through its scale subresource
      rule(['get'], ['*'], ['*/scale']),
      eventsRule(),
    ]),
    controllerRole('endpoint-controller', [
      rule(READ, [''], ['services', 'pods']),
      rule(['get', 'list', 'watch', 'create', 'update', 'delete'], [''], ['endpoints']),
      rule(['create'], [''], ['endpoints/restricted']),
      eventsRule(),
    ]),
    controllerRole('endpointslice-controller', [
      rule(READ, [''], ['services', 'pods', 'nodes']),
      // owner references with blockOwnerDeletion=true on the slices need update on the Service's finalizers
      rule(['update'], [''], ['services/finalizers']),
      rule(['get', 'list', 'watch', 'create', 'update', 'delete'], ['discovery.k8s.io'], ['endpointslices']),
      eventsRule(),
    ]),
    controllerRole('generic-garbage-collector', [
      // list/watch, selective gets and updates against any resource
      rule(['get', 'list', 'watch', 'patch', 'update', 'delete'], ['*'], ['*']),
      eventsRule(),
    ]),
    controllerRole('job-controller', [
      rule(['get', 'list', 'watch', 'update', 'patch'], ['batch'], ['jobs']),
      rule(['update'], ['batch'], ['jobs/status']),
      rule(['update'], ['batch'], ['jobs/finalizers']),
      rule(['list', 'watch', 'create', 'delete', 'patch'], [''], ['pods']),
      eventsRule(),
    ]),
    controllerRole('namespace-controller', [
      rule(['get', 'list', 'watch', 'delete'], [''], ['namespaces']),
      rule(['update'], [''], ['namespaces/finalize', 'namespaces/status']),
      // a namespace's content is whatever is served: everything it holds must be listable and deletable
      rule(['get', 'list', 'watch', 'delete', 'deletecollection'], ['*'], ['*']),
    ]),
    controllerRole('node-controller', [
      rule(['get', 'list', 'watch', 'update', 'delete', 'patch'], [''], ['nodes']),
      rule(['patch', 'update'], [''], ['nodes/status']),
      // used for pod deletion (and by the taint-eviction controller, which runs as node-controller)
      rule(['patch', 'update'], [''], ['pods/status']),
      rule(['list', 'watch', 'get', 'delete'], [''], ['pods']),
      eventsRule(),
    ]),
    controllerRole('persistent-volume-binder', [
      rule(['get', 'list', 'watch', 'update', 'create', 'delete'], [''], ['persistentvolumes']),
      rule(['update'], [''], ['persistentvolumes/status']),
      rule(['get', 'list', 'watch', 'update'], [''], ['persistentvolumeclaims']),
      rule(['update'], [''], ['persistentvolumeclaims/status']),
      rule(['list', 'watch', 'get', 'create', 'delete'], [''], ['pods']),
      rule(READ, ['storage.k8s.io'], ['storageclasses']),
      rule(['list', 'watch'], [''], ['nodes']),
      eventsRule(),
      // recyclerClient.WatchPod
      rule(['watch'], [''], ['events']),
      // volume plugin - portworx
      rule(['get'], [''], ['services']),
    ]),
    controllerRole('replicaset-controller', [
      rule(['get', 'list', 'watch', 'update'], APPS, ['replicasets']),
      rule(['update'], APPS, ['replicasets/status']),
      rule(['update'], APPS, ['replicasets/finalizers']),
      rule(['list', 'watch', 'patch', 'create', 'delete'], [''], ['pods']),
      eventsRule(),
    ]),
    controllerRole('service-account-controller', [rule(['create'], [''], ['serviceaccounts']), eventsRule()]),
    controllerRole('statefulset-controller', [
      rule(['list', 'watch'], [''], ['pods']),
      rule(READ, ['apps'], ['statefulsets']),
      rule(['update'], ['apps'], ['statefulsets/status']),
      rule(['update'], ['apps'], ['statefulsets/finalizers']),
      rule(['get', 'create', 'delete', 'update', 'patch'], [''], ['pods']),
      rule(['get', 'create', 'delete', 'update', 'patch', 'list', 'watch'], ['apps'], ['controllerrevisions']),
      rule(['get', 'create', 'list', 'watch'], [''], ['persistentvolumeclaims']),
      rule(['update', 'delete'], [''], ['persistentvolumeclaims']),
      rule(['update'], [''], ['pods/finalizers']),
      eventsRule(),
    ]),
    controllerRole('pvc-protection-controller', [
      rule(['get', 'list', 'watch', 'update'], [''], ['persistentvolumeclaims']),
      rule(['list', 'watch', 'get'], [''], ['pods']),
      eventsRule(),
    ]),
    controllerRole('pv-protection-controller', [rule(['get', 'list', 'watch', 'update'], [''], ['persistentvolumes']), eventsRule()]),
    controllerRole('ttl-after-finished-controller', [rule(['get', 'list', 'watch', 'delete'], ['batch'], ['jobs']), eventsRule()]),
    controllerRole('root-ca-cert-publisher', [rule(['create', 'update'], [''], ['configmaps']), eventsRule()]),
  ];
}

function controllerRole(name: string, rules: PolicyRule[]): ClusterRole {
  return clusterRole(CONTROLLER_ROLE_PREFIX + name, rules);
}

/** addControllerRole's binding: the role to kube-system/<controller>. */
function controllerRoleBindings(): ClusterRoleBinding[] {
  return controllerRoleSpecs().map((r) => {
    const name = r.metadata.name!;
    return clusterRoleBinding(name, [serviceAccount('kube-system', name.slice(CONTROLLER_ROLE_PREFIX.length))]);
  });
}

function clusterRole(name: string, rules: PolicyRule[], labels: Record<string, string> = {}): ClusterRole {
  return {
    apiVersion: RBAC_API_VERSION,
    kind: 'ClusterRole',
    metadata: {
      name,
      labels: { ...BOOTSTRAP_LABELS, ...labels },
      annotations: { [AUTOUPDATE_ANNOTATION]: 'true' },
    },
    rules,
  };
}

function aggregatedRole(name: string, selectorLabel: string, labels: Record<string, string> = {}): ClusterRole {
  const role = clusterRole(name, [], labels);
  role.aggregationRule = { clusterRoleSelectors: [{ matchLabels: { [selectorLabel]: 'true' } }] };
  return role;
}

function clusterRoleBinding(name: string, subjects: Subject[], roleName = name): ClusterRoleBinding {
  const b: ClusterRoleBinding = {
    apiVersion: RBAC_API_VERSION,
    kind: 'ClusterRoleBinding',
    metadata: {
      name,
      labels: { ...BOOTSTRAP_LABELS },
      annotations: { [AUTOUPDATE_ANNOTATION]: 'true' },
    },
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: roleName },
  };
  // system:node is bound to nobody (the Node authorizer covers kubelets); upstream omits subjects.
  if (subjects.length) b.subjects = subjects;
  return b;
}

const group = (name: string): Subject => ({ apiGroup: RBAC_GROUP, kind: 'Group', name });
const user = (name: string): Subject => ({ apiGroup: RBAC_GROUP, kind: 'User', name });
const serviceAccount = (namespace: string, name: string): Subject => ({ kind: 'ServiceAccount', name, namespace });

/** The default ClusterRoles (policy.go ClusterRoles(), ControllerRoles()) and skiff's, with aggregated roles' rules already folded in. */
export function bootstrapClusterRoles(): ClusterRole[] {
  return aggregateClusterRoles(clusterRoleSpecs());
}

/** The default ClusterRoleBindings (policy.go ClusterRoleBindings(), ControllerRoleBindings()), and skiff's. */
export function bootstrapClusterRoleBindings(): ClusterRoleBinding[] {
  return [
    clusterRoleBinding('cluster-admin', [group(SYSTEM_MASTERS)]),
    clusterRoleBinding('system:monitoring', [group('system:monitoring')]),
    clusterRoleBinding('system:discovery', [group(ALL_AUTHENTICATED)]),
    clusterRoleBinding('system:basic-user', [group(ALL_AUTHENTICATED)]),
    clusterRoleBinding('system:public-info-viewer', [group(ALL_AUTHENTICATED), group(ALL_UNAUTHENTICATED)]),
    clusterRoleBinding('system:node-proxier', [user('system:kube-proxy')]),
    clusterRoleBinding('system:kube-controller-manager', [user('system:kube-controller-manager')]),
    clusterRoleBinding('system:kube-dns', [serviceAccount('kube-system', 'kube-dns')]),
    clusterRoleBinding('system:kube-scheduler', [user('system:kube-scheduler')]),
    clusterRoleBinding('system:volume-scheduler', [user('system:kube-scheduler')]),
    clusterRoleBinding('system:node', []),
    clusterRoleBinding('system:service-account-issuer-discovery', [group(ALL_SERVICE_ACCOUNTS_GROUP)]),
    ...controllerRoleBindings(),
    ...skiffClusterRoleBindings(),
  ];
}

// ---- beyond kube-apiserver's defaults -----------------------------------------------------------

/** The group every kubelet's identity is in (user.NodesGroup). */
export const NODES_GROUP = 'system:nodes';
/** The simulated kubelets' one identity (user system:node:skiff-kubelets in system:nodes). */
export const NODE_POOL_BINDING = 'skiff:node-pool';
const NODE_POOL_EXTRAS = 'skiff:node-pool-extras';

/** The simulated EBS CSI controller's service account (kube-system), as the EKS add-on names it. */
export const EBS_CSI_CONTROLLER_SA = 'ebs-csi-controller-sa';
const EBS_PROVISIONER_ROLE = 'ebs-external-provisioner-role';
const EBS_PROVISIONER_BINDING = 'ebs-csi-provisioner-binding';
// What the aws-ebs-csi-driver EKS add-on labels its objects with (not rbac-defaults: the add-on,
// not kube-apiserver, owns them on EKS).
const EBS_CSI_LABELS: Readonly<Record<string, string>> = Object.freeze({
  'app.kubernetes.io/component': 'csi-driver',
  'app.kubernetes.io/managed-by': 'EKS',
  'app.kubernetes.io/name': 'aws-ebs-csi-driver',
});

/**
 * The roles skiff needs that kube-apiserver does not create:
 *
 * - skiff:node-pool-extras: upstream authorizes kubelets with the Node authorizer, which reads
 *   what a node may see off the pod graph; skiff has none, and system:node alone lacks what one
 *   pool of kubelets sharing an identity does: watch every claim (its informer stands in for the
 *   Node authorizer's per-pod gets) and delete a Node when its simulated instance terminates (the
 *   cloud's job on EKS).
 * - ebs-external-provisioner-role: the aws-ebs-csi-driver chart's external-provisioner role, for
 *   the simulated EBS CSI controller (kube-system/ebs-csi-controller-sa).
 */
function skiffClusterRoleSpecs(): ClusterRole[] {
  const ebs = clusterRole(EBS_PROVISIONER_ROLE, [
    // The chart's rules as it writes them: neither sorted nor built with NewRule.
    { apiGroups: [''], resources: ['persistentvolumes'], verbs: ['get', 'list', 'watch', 'create', 'patch', 'delete'] },
    { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['get', 'list', 'watch', 'update'] },
    { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: [''], resources: ['events'], verbs: ['list', 'watch', 'create', 'update', 'patch'] },
    { apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshots'], verbs: ['get', 'list'] },
    { apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshotcontents'], verbs: ['get', 'list'] },
    { apiGroups: ['storage.k8s.io'], resources: ['csinodes'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: ['storage.k8s.io'], resources: ['volumeattachments'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: ['storage.k8s.io'], resources: ['volumeattributesclasses'], verbs: ['get'] },
  ]);
  ebs.metadata = { name: EBS_PROVISIONER_ROLE, labels: { ...EBS_CSI_LABELS } };
  return [
    clusterRole(NODE_POOL_EXTRAS, [
      rule(['list', 'watch'], [''], ['persistentvolumeclaims', 'persistentvolumes']),
      rule(['delete'], [''], ['nodes']),
    ]),
    ebs,
  ];
}

function skiffClusterRoleBindings(): ClusterRoleBinding[] {
  const ebs = clusterRoleBinding(EBS_PROVISIONER_BINDING, [serviceAccount('kube-system', EBS_CSI_CONTROLLER_SA)], EBS_PROVISIONER_ROLE);
  ebs.metadata = { name: EBS_PROVISIONER_BINDING, labels: { ...EBS_CSI_LABELS } };
  return [
    // The kubelets' rights. Upstream leaves its own system:node binding without subjects (the Node
    // authorizer serves kubelets); skiff has no Node authorizer, so this extra binding gives the
    // pool's group system:node, and the next one what system:node lacks for a whole pool.
    clusterRoleBinding(NODE_POOL_BINDING, [group(NODES_GROUP)], 'system:node'),
    clusterRoleBinding(NODE_POOL_EXTRAS, [group(NODES_GROUP)]),
    ebs,
  ];
}

/** Everything kube-apiserver creates in the rbac.authorization.k8s.io group at first start, and skiff's additions. */
export function bootstrapPolicy(): KubeObject[] {
  return [...bootstrapClusterRoles(), ...bootstrapClusterRoleBindings()];
}

/**
 * Fills every aggregated ClusterRole's rules as the clusterrole-aggregation controller does: for
 * each selector, the matching roles sorted by name (never the role itself), their rules appended
 * unless an identical rule is already there. Repeats until nothing changes, because aggregated
 * roles feed each other (view → edit → admin). Returns new objects; the input is not modified.
 */
export function aggregateClusterRoles(roles: ClusterRole[]): ClusterRole[] {
  const out = roles.map((r) => ({ ...r, rules: r.rules ? [...r.rules] : r.rules }));
  for (let pass = 0; pass <= out.length; pass++) {
    let changed = false;
    for (const target of out) {
      const selectors = target.aggregationRule?.clusterRoleSelectors;
      if (!selectors) continue;
      const rules: PolicyRule[] = [];
      for (const selector of selectors) {
        const matching = out
          .filter((r) => r.metadata.name !== target.metadata.name && selectorMatches(selector, r.metadata.labels ?? {}))
          .sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : (a.metadata.name ?? '') > (b.metadata.name ?? '') ? 1 : 0));
        for (const r of matching) {
          for (const candidate of r.rules ?? []) if (!rules.some((x) => sameRule(x, candidate))) rules.push(candidate);
        }
      }
      if (!sameRules(rules, target.rules ?? [])) {
        target.rules = rules;
        changed = true;
      }
    }
    if (!changed) break;
  }
  return out;
}

function selectorMatches(
  selector: { matchLabels?: Record<string, string>; matchExpressions?: LabelSelectorRequirement[] },
  labels: Record<string, string>,
): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case 'In':
        if (!has || !(e.values ?? []).includes(labels[e.key])) return false;
        break;
      case 'NotIn':
        if (has && (e.values ?? []).includes(labels[e.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

// equality.Semantic.DeepEqual on PolicyRule: nil and empty lists are not the same to Go, but
// JSON-decoded rules have no such distinction, so missing and empty are treated alike here.
function sameRule(a: PolicyRule, b: PolicyRule): boolean {
  const keys: (keyof PolicyRule)[] = ['verbs', 'apiGroups', 'resources', 'resourceNames', 'nonResourceURLs'];
  return keys.every((k) => sameList(a[k], b[k]));
}

function sameList(a: string[] | undefined, b: string[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function sameRules(a: PolicyRule[], b: PolicyRule[]): boolean {
  return a.length === b.length && a.every((r, i) => sameRule(r, b[i]));
}
