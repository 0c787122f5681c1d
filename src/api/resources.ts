// The resource table: every built-in group/version/resource skiff serves, with the facts discovery
// publishes (kind, namespaced, verbs, shortNames, categories, subresources) and where it is stored.

/** The verbs a resource serves, in the order kube-apiserver lists them in discovery. */
export const STANDARD_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] as const;

/** A subresource served under a resource, e.g. deployments/scale. */
export interface SubresourceInfo {
  name: 'status' | 'scale' | 'log' | 'binding' | 'eviction' | 'token' | 'proxy' | 'attach' | 'exec' | 'portforward' | 'ephemeralcontainers' | 'resize' | 'approval' | 'finalize';
  /** The kind the subresource accepts/returns: the parent kind for status, Scale (autoscaling/v1) for scale. */
  kind: string;
  group?: string;
  version?: string;
  verbs: string[];
}

/** One group/version/resource served by the API server. */
export interface ResourceInfo {
  group: string;
  version: string;
  /** Plural lowercase name used in URLs: "deployments". */
  resource: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames: string[];
  categories: string[];
  subresources: SubresourceInfo[];
  /** The @kubernetes/client-node model class that describes this kind's schema, e.g. "V1Deployment". */
  modelType: string;
  /**
   * Where objects live: versions of one resource share a storage key space and are stored as
   * storageGroup/storageVersion (e.g. autoscaling/v1 and v2 HPAs are both stored as autoscaling/v2;
   * core/v1 and events.k8s.io/v1 Events share one key space).
   */
  storage: { group: string; resource: string; version: string };
  /** True for the version discovery prefers within its group. */
  preferred: boolean;
  /** Set for versions that upstream marks deprecated: the Warning header text. */
  deprecationWarning?: string;
  /**
   * Set for resources a CustomResourceDefinition serves (src/apiextensions/resources.ts builds them):
   * they have no client-node model, so OpenAPI takes their definitions from here, and discovery names
   * their group and version in every responseKind, as apiextensions-apiserver does.
   */
  custom?: CustomResourceFacts;
}

/** What a CRD-served resource carries beyond a built-in one. */
export interface CustomResourceFacts {
  /** OpenAPI definition name of the kind, e.g. "com.example.stable.v1.CronTab" (its list adds "List"). */
  definitionName: string;
  /** The kind's and list kind's definitions for /openapi/v2 and /openapi/v3. */
  definitions: { v2: Record<string, unknown>; v3: Record<string, unknown> };
}

/** What a table row states; the rest (singular, listKind, verbs, storage, preferred) has upstream's defaults. */
interface ResourceSpec {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
  modelType: string;
  verbs?: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: SubresourceInfo[];
  storage?: ResourceInfo['storage'];
  preferred?: boolean;
  deprecationWarning?: string;
}

const ALL_VERBS = [...STANDARD_VERBS];
/** Review resources (TokenReview, SubjectAccessReview, ...) are create-only and never stored. */
const CREATE_ONLY = ['create'];
/** Namespaces cannot be deleted as a collection (registry/core/namespace has no DeleteCollection). */
const NAMESPACE_VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
const GET_PATCH_UPDATE = ['get', 'patch', 'update'];
const PROXY_VERBS = ['create', 'delete', 'get', 'patch', 'update'];

function status(kind: string): SubresourceInfo {
  return { name: 'status', kind, verbs: GET_PATCH_UPDATE };
}

/** The scale subresource always speaks autoscaling/v1 Scale, whatever the parent's group. */
const SCALE: SubresourceInfo = { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: GET_PATCH_UPDATE };

function row(spec: ResourceSpec): ResourceInfo {
  return {
    group: spec.group,
    version: spec.version,
    resource: spec.resource,
    singular: spec.kind.toLowerCase(),
    kind: spec.kind,
    listKind: `${spec.kind}List`,
    namespaced: spec.namespaced,
    verbs: spec.verbs ?? ALL_VERBS,
    shortNames: spec.shortNames ?? [],
    categories: spec.categories ?? [],
    subresources: spec.subresources ?? [],
    modelType: spec.modelType,
    storage: spec.storage ?? { group: spec.group, resource: spec.resource, version: spec.version },
    preferred: spec.preferred ?? true,
    ...(spec.deprecationWarning ? { deprecationWarning: spec.deprecationWarning } : {}),
  };
}

/** Both HPA versions live in one key space, stored as autoscaling/v2 (as upstream's storage encoding). */
const HPA_STORAGE = { group: 'autoscaling', resource: 'horizontalpodautoscalers', version: 'v2' };
/** events.k8s.io/v1 Events cohabit with core v1 Events (upstream AddCohabitatingResources). */
const EVENT_STORAGE = { group: '', resource: 'events', version: 'v1' };

/**
 * Every built-in resource skiff serves, as kube-apiserver v1.32 serves it with default feature gates
 * (so no pods/resize: InPlacePodVerticalScaling is alpha and off in 1.32). Within a group/version the
 * rows are in discovery order (alphabetical by resource); groups follow GROUP_VERSIONS.
 */
export const RESOURCES: readonly ResourceInfo[] = [
  // core/v1
  row({ group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true, modelType: 'V1ConfigMap', shortNames: ['cm'] }),
  row({ group: '', version: 'v1', resource: 'endpoints', kind: 'Endpoints', namespaced: true, modelType: 'V1Endpoints', shortNames: ['ep'] }),
  row({ group: '', version: 'v1', resource: 'events', kind: 'Event', namespaced: true, modelType: 'CoreV1Event', shortNames: ['ev'], storage: EVENT_STORAGE }),
  row({ group: '', version: 'v1', resource: 'limitranges', kind: 'LimitRange', namespaced: true, modelType: 'V1LimitRange', shortNames: ['limits'] }),
  row({
    group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false, modelType: 'V1Namespace',
    verbs: NAMESPACE_VERBS, shortNames: ['ns'],
    subresources: [{ name: 'finalize', kind: 'Namespace', verbs: ['update'] }, status('Namespace')],
  }),
  row({
    group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false, modelType: 'V1Node', shortNames: ['no'],
    subresources: [{ name: 'proxy', kind: 'NodeProxyOptions', verbs: PROXY_VERBS }, status('Node')],
  }),
  row({
    group: '', version: 'v1', resource: 'persistentvolumeclaims', kind: 'PersistentVolumeClaim', namespaced: true,
    modelType: 'V1PersistentVolumeClaim', shortNames: ['pvc'], subresources: [status('PersistentVolumeClaim')],
  }),
  row({
    group: '', version: 'v1', resource: 'persistentvolumes', kind: 'PersistentVolume', namespaced: false,
    modelType: 'V1PersistentVolume', shortNames: ['pv'], subresources: [status('PersistentVolume')],
  }),
  row({
    group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true, modelType: 'V1Pod', shortNames: ['po'], categories: ['all'],
    subresources: [
      { name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
      { name: 'binding', kind: 'Binding', verbs: ['create'] },
      { name: 'ephemeralcontainers', kind: 'Pod', verbs: GET_PATCH_UPDATE },
      { name: 'eviction', kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] },
      { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
      { name: 'log', kind: 'Pod', verbs: ['get'] },
      { name: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
      { name: 'proxy', kind: 'PodProxyOptions', verbs: PROXY_VERBS },
      status('Pod'),
    ],
  }),
  row({
    group: '', version: 'v1', resource: 'resourcequotas', kind: 'ResourceQuota', namespaced: true, modelType: 'V1ResourceQuota',
    shortNames: ['quota'], subresources: [status('ResourceQuota')],
  }),
  row({ group: '', version: 'v1', resource: 'secrets', kind: 'Secret', namespaced: true, modelType: 'V1Secret' }),
  row({
    group: '', version: 'v1', resource: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true, modelType: 'V1ServiceAccount',
    shortNames: ['sa'], subresources: [{ name: 'token', kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: ['create'] }],
  }),
  row({
    group: '', version: 'v1', resource: 'services', kind: 'Service', namespaced: true, modelType: 'V1Service', shortNames: ['svc'], categories: ['all'],
    subresources: [{ name: 'proxy', kind: 'ServiceProxyOptions', verbs: PROXY_VERBS }, status('Service')],
  }),

  // apps/v1
  row({ group: 'apps', version: 'v1', resource: 'controllerrevisions', kind: 'ControllerRevision', namespaced: true, modelType: 'V1ControllerRevision' }),
  row({ group: 'apps', version: 'v1', resource: 'daemonsets', kind: 'DaemonSet', namespaced: true, modelType: 'V1DaemonSet', shortNames: ['ds'], categories: ['all'], subresources: [status('DaemonSet')] }),
  row({ group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true, modelType: 'V1Deployment', shortNames: ['deploy'], categories: ['all'], subresources: [SCALE, status('Deployment')] }),
  row({ group: 'apps', version: 'v1', resource: 'replicasets', kind: 'ReplicaSet', namespaced: true, modelType: 'V1ReplicaSet', shortNames: ['rs'], categories: ['all'], subresources: [SCALE, status('ReplicaSet')] }),
  row({ group: 'apps', version: 'v1', resource: 'statefulsets', kind: 'StatefulSet', namespaced: true, modelType: 'V1StatefulSet', shortNames: ['sts'], categories: ['all'], subresources: [SCALE, status('StatefulSet')] }),

  // events.k8s.io/v1
  row({ group: 'events.k8s.io', version: 'v1', resource: 'events', kind: 'Event', namespaced: true, modelType: 'EventsV1Event', shortNames: ['ev'], storage: EVENT_STORAGE }),

  // authentication.k8s.io/v1
  row({ group: 'authentication.k8s.io', version: 'v1', resource: 'selfsubjectreviews', kind: 'SelfSubjectReview', namespaced: false, modelType: 'V1SelfSubjectReview', verbs: CREATE_ONLY }),
  row({ group: 'authentication.k8s.io', version: 'v1', resource: 'tokenreviews', kind: 'TokenReview', namespaced: false, modelType: 'V1TokenReview', verbs: CREATE_ONLY }),

  // authorization.k8s.io/v1
  row({ group: 'authorization.k8s.io', version: 'v1', resource: 'localsubjectaccessreviews', kind: 'LocalSubjectAccessReview', namespaced: true, modelType: 'V1LocalSubjectAccessReview', verbs: CREATE_ONLY }),
  row({ group: 'authorization.k8s.io', version: 'v1', resource: 'selfsubjectaccessreviews', kind: 'SelfSubjectAccessReview', namespaced: false, modelType: 'V1SelfSubjectAccessReview', verbs: CREATE_ONLY }),
  row({ group: 'authorization.k8s.io', version: 'v1', resource: 'selfsubjectrulesreviews', kind: 'SelfSubjectRulesReview', namespaced: false, modelType: 'V1SelfSubjectRulesReview', verbs: CREATE_ONLY }),
  row({ group: 'authorization.k8s.io', version: 'v1', resource: 'subjectaccessreviews', kind: 'SubjectAccessReview', namespaced: false, modelType: 'V1SubjectAccessReview', verbs: CREATE_ONLY }),

  // autoscaling/v2 (preferred) and autoscaling/v1
  row({
    group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', namespaced: true,
    modelType: 'V2HorizontalPodAutoscaler', shortNames: ['hpa'], categories: ['all'], subresources: [status('HorizontalPodAutoscaler')], storage: HPA_STORAGE,
  }),
  row({
    group: 'autoscaling', version: 'v1', resource: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', namespaced: true,
    modelType: 'V1HorizontalPodAutoscaler', shortNames: ['hpa'], categories: ['all'], subresources: [status('HorizontalPodAutoscaler')], storage: HPA_STORAGE,
    preferred: false,
  }),

  // batch/v1
  row({ group: 'batch', version: 'v1', resource: 'cronjobs', kind: 'CronJob', namespaced: true, modelType: 'V1CronJob', shortNames: ['cj'], categories: ['all'], subresources: [status('CronJob')] }),
  row({ group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job', namespaced: true, modelType: 'V1Job', categories: ['all'], subresources: [status('Job')] }),

  // networking.k8s.io/v1
  row({ group: 'networking.k8s.io', version: 'v1', resource: 'ingressclasses', kind: 'IngressClass', namespaced: false, modelType: 'V1IngressClass' }),
  row({ group: 'networking.k8s.io', version: 'v1', resource: 'ingresses', kind: 'Ingress', namespaced: true, modelType: 'V1Ingress', shortNames: ['ing'], subresources: [status('Ingress')] }),
  row({ group: 'networking.k8s.io', version: 'v1', resource: 'networkpolicies', kind: 'NetworkPolicy', namespaced: true, modelType: 'V1NetworkPolicy', shortNames: ['netpol'] }),

  // policy/v1
  row({ group: 'policy', version: 'v1', resource: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', namespaced: true, modelType: 'V1PodDisruptionBudget', shortNames: ['pdb'], subresources: [status('PodDisruptionBudget')] }),

  // rbac.authorization.k8s.io/v1
  row({ group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterrolebindings', kind: 'ClusterRoleBinding', namespaced: false, modelType: 'V1ClusterRoleBinding' }),
  row({ group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles', kind: 'ClusterRole', namespaced: false, modelType: 'V1ClusterRole' }),
  row({ group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'rolebindings', kind: 'RoleBinding', namespaced: true, modelType: 'V1RoleBinding' }),
  row({ group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'roles', kind: 'Role', namespaced: true, modelType: 'V1Role' }),

  // storage.k8s.io/v1
  row({ group: 'storage.k8s.io', version: 'v1', resource: 'csidrivers', kind: 'CSIDriver', namespaced: false, modelType: 'V1CSIDriver' }),
  row({ group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses', kind: 'StorageClass', namespaced: false, modelType: 'V1StorageClass', shortNames: ['sc'] }),

  // scheduling.k8s.io/v1
  row({ group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses', kind: 'PriorityClass', namespaced: false, modelType: 'V1PriorityClass', shortNames: ['pc'] }),

  // coordination.k8s.io/v1
  row({ group: 'coordination.k8s.io', version: 'v1', resource: 'leases', kind: 'Lease', namespaced: true, modelType: 'V1Lease' }),

  // discovery.k8s.io/v1
  row({ group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', kind: 'EndpointSlice', namespaced: true, modelType: 'V1EndpointSlice' }),

  // apiextensions.k8s.io/v1
  row({
    group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions', kind: 'CustomResourceDefinition', namespaced: false,
    modelType: 'V1CustomResourceDefinition', shortNames: ['crd', 'crds'], categories: ['api-extensions'], subresources: [status('CustomResourceDefinition')],
  }),
];

/** apiextensions.k8s.io/v1 customresourcedefinitions (shortNames crd and crds, category api-extensions, /status). */
export const CRD_RESOURCE: ResourceInfo = RESOURCES.find((r) => r.group === 'apiextensions.k8s.io' && r.resource === 'customresourcedefinitions')!;

/**
 * Group priorities from kube-apiserver's DefaultGenericAPIServicePriorities: /apis lists groups by
 * descending priority (ties by name), versions by descending version priority.
 */
const GROUP_PRIORITY: Record<string, number> = {
  '': 18000,
  apps: 17800,
  'events.k8s.io': 17750,
  'authentication.k8s.io': 17700,
  'authorization.k8s.io': 17600,
  autoscaling: 17500,
  batch: 17400,
  'certificates.k8s.io': 17300,
  'networking.k8s.io': 17200,
  policy: 17100,
  'rbac.authorization.k8s.io': 17000,
  'storage.k8s.io': 16800,
  'admissionregistration.k8s.io': 16700,
  'apiextensions.k8s.io': 16700,
  'scheduling.k8s.io': 16600,
  'coordination.k8s.io': 16500,
  'node.k8s.io': 16300,
  'discovery.k8s.io': 16200,
  'flowcontrol.apiserver.k8s.io': 16100,
};

/** Kubernetes version ordering (kube-aggregator's version.CompareKubeAwareVersionStrings): GA > beta > alpha, higher numbers first. */
export function compareKubeVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return undefined;
    return { major: Number(m[1]), stability: m[2] === undefined ? 2 : m[2] === 'beta' ? 1 : 0, minor: m[3] === undefined ? 0 : Number(m[3]) };
  };
  const pa = parse(a);
  const pb = parse(b);
  if (!pa && !pb) return a < b ? -1 : a > b ? 1 : 0;
  if (!pa) return 1;
  if (!pb) return -1;
  if (pa.stability !== pb.stability) return pb.stability - pa.stability;
  if (pa.major !== pb.major) return pb.major - pa.major;
  return pb.minor - pa.minor;
}

/** A group and its served versions, preferred first. */
export interface GroupVersions {
  group: string;
  versions: string[];
  preferredVersion: string;
}

/**
 * The groups the resources serve, in /apis order (core group "" first), each with its versions in
 * preference order. Groups unknown to the priority table (CRDs) follow the built-ins, by name.
 */
export function groupVersions(resources: readonly ResourceInfo[] = RESOURCES): GroupVersions[] {
  const byGroup = new Map<string, Set<string>>();
  const preferred = new Map<string, string>();
  for (const r of resources) {
    if (!byGroup.has(r.group)) byGroup.set(r.group, new Set());
    byGroup.get(r.group)!.add(r.version);
    if (r.preferred && !preferred.has(r.group)) preferred.set(r.group, r.version);
  }
  const priority = (g: string) => GROUP_PRIORITY[g] ?? 1000;
  const groups = [...byGroup.keys()].sort((a, b) => priority(b) - priority(a) || (a < b ? -1 : a > b ? 1 : 0));
  return groups.map((group) => {
    const versions = [...byGroup.get(group)!].sort(compareKubeVersions);
    const pref = preferred.get(group) ?? versions[0];
    // The preferred version leads even if another version sorts higher (autoscaling: v2 then v1).
    const ordered = [pref, ...versions.filter((v) => v !== pref)];
    return { group, versions: ordered, preferredVersion: pref };
  });
}

/** The row for group/version/resource, if served. */
export function findResource(group: string, version: string, resource: string, resources: readonly ResourceInfo[] = RESOURCES): ResourceInfo | undefined {
  return resources.find((r) => r.group === group && r.version === version && r.resource === resource);
}

/** The row serving group/version/kind, if any. */
export function findByKind(group: string, version: string, kind: string, resources: readonly ResourceInfo[] = RESOURCES): ResourceInfo | undefined {
  return resources.find((r) => r.group === group && r.version === version && r.kind === kind);
}

/** The rows of one group/version, in discovery order (by resource name). */
export function resourcesInGroupVersion(group: string, version: string, resources: readonly ResourceInfo[] = RESOURCES): ResourceInfo[] {
  return resources
    .filter((r) => r.group === group && r.version === version)
    .sort((a, b) => (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0));
}

/** Every served version of the same stored resource (autoscaling/v1 and v2 HPAs; both Event APIs). */
export function sharingStorage(info: ResourceInfo, resources: readonly ResourceInfo[] = RESOURCES): ResourceInfo[] {
  return resources.filter(
    (r) => r.storage.group === info.storage.group && r.storage.resource === info.storage.resource,
  );
}

/**
 * The store key for a resource's objects, etcd-style: core resources under /registry/<resource>/,
 * others under /registry/<group>/<resource>/ (CRD-style, so group names never collide). Without a
 * name, the prefix to list (all namespaces, or one namespace); with one, the object's key.
 */
export function storageKey(info: Pick<ResourceInfo, 'storage' | 'namespaced'>, namespace?: string, name?: string): string {
  const base = info.storage.group ? `/registry/${info.storage.group}/${info.storage.resource}/` : `/registry/${info.storage.resource}/`;
  if (info.namespaced && namespace) return name !== undefined ? `${base}${namespace}/${name}` : `${base}${namespace}/`;
  return name !== undefined ? `${base}${name}` : base;
}
