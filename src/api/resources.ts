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
}
