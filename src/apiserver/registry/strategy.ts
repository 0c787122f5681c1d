// The per-resource strategy contract (kube-apiserver's RESTCreateStrategy/RESTUpdateStrategy): all
// kind-specific rules live in one stateless object per resource; the generic store calls it in a
// fixed order: defaults → prepareForCreate/Update → admission → validate → store.
import type { KubeObject } from '../../api/types.js';
import type { FieldError } from '../../apimachinery/errors.js';
import type { Clock } from '../../sim/clock.js';

/** What a strategy may consult besides the object itself. */
export interface StrategyContext {
  clock: Clock;
}

/** Where the scale subresource reads and writes replicas (as in a CRD's scale subresource). */
export interface ScalePaths {
  /** Dotted path of the desired replicas, e.g. "spec.replicas". */
  specReplicasPath: string;
  /** Dotted path of the observed replicas, e.g. "status.replicas". */
  statusReplicasPath: string;
  /** Dotted path of the label selector: a metav1.LabelSelector object (spec.selector) or a string. */
  labelSelectorPath?: string;
}

/**
 * Kind-specific behaviour. The generic store already: fills uid, creationTimestamp,
 * resourceVersion, name from generateName; validates ObjectMeta; on create, sets status to {} for
 * kinds with a status subresource (before prepareForCreate); on update, keeps the old status for
 * kinds with a status subresource (before prepareForUpdate); sets generation 1 on create and bumps
 * it when anything outside metadata and status changes, for kinds with tracksGeneration.
 */
export interface Strategy<T extends KubeObject = KubeObject> {
  /** metadata.generation is managed (true for workloads, HPA, PDB, NetworkPolicy, Ingress, ...). */
  tracksGeneration?: boolean;
  /** Upstream SetObjectDefaults_*: applied to every body written through the main resource. */
  defaults?(obj: T): void;
  /** Kind-specific preparation of a new object, e.g. a pod's initial status. */
  prepareForCreate?(obj: T, ctx: StrategyContext): void;
  /** Kind-specific preparation of an update through the main resource. */
  prepareForUpdate?(obj: T, old: T, ctx: StrategyContext): void;
  /** Upstream ValidateX, without ObjectMeta (the generic store validates that). Never mutates. */
  validate?(obj: T, ctx: StrategyContext): FieldError[];
  /** Upstream ValidateXUpdate (immutable fields and the like), without ObjectMeta. Never mutates. */
  validateUpdate?(obj: T, old: T, ctx: StrategyContext): FieldError[];
  /** Warnings sent as HTTP Warning headers, as upstream's WarningsOnCreate/Update. */
  warnings?(obj: T, old: T | undefined): string[];
  /** Field-selector values beyond metadata.name and metadata.namespace, e.g. {"spec.nodeName": "..."}. */
  selectableFields?(obj: T): Record<string, string>;
  /** The status subresource's update rules: what a write to /status may change. */
  status?: {
    /** A status write may also change metadata.finalizers (the CRD status strategy allows it). */
    finalizersFromRequest?: boolean;
    /** A status write may also change metadata.annotations (deploymentStatusStrategy keeps all but labels). */
    annotationsFromRequest?: boolean;
    prepareForUpdate?(obj: T, old: T, ctx: StrategyContext): void;
    validateUpdate?(obj: T, old: T, ctx: StrategyContext): FieldError[];
  };
  /**
   * Graceful deletion (RESTGracefulDeleteStrategy.CheckGracefulDelete): the grace period in seconds
   * for deleting obj, given the one the client asked for; 0 or undefined deletes at once.
   */
  checkGracefulDelete?(obj: T, requestedSeconds: number | undefined): number | undefined;
  /** Runs once when deletion starts (no deletionTimestamp yet): may add finalizers and conditions, as a CRD's REST Delete does. */
  beforeDelete?(obj: T, now: number): void;
  /** Marks an object whose deletion waits on finalizers, e.g. a namespace going Terminating. */
  prepareForDelete?(obj: T): void;
  /** Present when the resource serves /scale. */
  scale?: ScalePaths;
  /** Names for this kind are validated as DNS-1123 labels rather than subdomains (e.g. namespaces, services). */
  nameValidation?: 'subdomain' | 'label' | 'path-segment' | 'dns1035-label';
  /** A new object keeps the status it was created with (Nodes: the kubelet registers with its status). */
  preserveStatusOnCreate?: boolean;
  /**
   * How many of the objects it wrote last the registry keeps to start updates from (recent.ts);
   * 1,024 unless a kind's writes come in larger waves.
   */
  recentObjects?: number;
}
