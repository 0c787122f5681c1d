// Typed views of built-in objects as they travel on the wire, from @kubernetes/client-node's model
// types (type-only: nothing is imported at runtime). client-node types timestamps as Date because it
// deserialises them; skiff handles plain JSON, where they are RFC 3339 strings, so Wire<> maps every
// Date to string. Metadata is required, as it is on every stored object.
import type {
  CoreV1Event,
  V1Binding,
  V1ConfigMap,
  V1ControllerRevision,
  V1CronJob,
  V1DaemonSet,
  V1Deployment,
  V1EndpointSlice,
  V1Endpoints,
  V1Eviction,
  V1Job,
  V1Lease,
  V1Namespace,
  V1Node,
  V1PersistentVolume,
  V1PersistentVolumeClaim,
  V1Pod,
  V1PodDisruptionBudget,
  V1PriorityClass,
  V1ReplicaSet,
  V1Service,
  V1ServiceAccount,
  V1StatefulSet,
  V1StorageClass,
} from '@kubernetes/client-node';
import type { ObjectMeta } from './types.js';

/** T with every Date replaced by the string it is on the wire. */
export type Wire<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;

/** A built-in object as JSON, with metadata present. */
export type Obj<T extends { metadata?: unknown }> = Omit<Wire<T>, 'metadata'> & { metadata: ObjectMeta; apiVersion?: string; kind?: string };

export type Pod = Obj<V1Pod>;
export type PodSpec = NonNullable<Pod['spec']>;
export type PodStatus = NonNullable<Pod['status']>;
export type Container = PodSpec['containers'][number];
export type ContainerStatus = NonNullable<PodStatus['containerStatuses']>[number];
export type PodCondition = NonNullable<PodStatus['conditions']>[number];
export type PodTemplateSpec = Omit<NonNullable<Wire<V1Deployment>['spec']>['template'], 'metadata'> & { metadata?: ObjectMeta };
export type Toleration = NonNullable<PodSpec['tolerations']>[number];
export type Node = Obj<V1Node>;
export type Taint = NonNullable<NonNullable<Node['spec']>['taints']>[number];
export type NodeCondition = NonNullable<NonNullable<Node['status']>['conditions']>[number];
export type Deployment = Obj<V1Deployment>;
export type ReplicaSet = Obj<V1ReplicaSet>;
export type StatefulSet = Obj<V1StatefulSet>;
export type DaemonSet = Obj<V1DaemonSet>;
export type ControllerRevision = Obj<V1ControllerRevision>;
export type Job = Obj<V1Job>;
export type CronJob = Obj<V1CronJob>;
export type Service = Obj<V1Service>;
export type Endpoints = Obj<V1Endpoints>;
export type EndpointSlice = Obj<V1EndpointSlice>;
export type PersistentVolumeClaim = Obj<V1PersistentVolumeClaim>;
export type PersistentVolume = Obj<V1PersistentVolume>;
export type StorageClass = Obj<V1StorageClass>;
export type PodDisruptionBudget = Obj<V1PodDisruptionBudget>;
export type PriorityClass = Obj<V1PriorityClass>;
export type Lease = Obj<V1Lease>;
export type Namespace = Obj<V1Namespace>;
export type ServiceAccount = Obj<V1ServiceAccount>;
export type ConfigMap = Obj<V1ConfigMap>;
export type Event = Obj<CoreV1Event>;
export type Binding = Obj<V1Binding>;
export type Eviction = Obj<V1Eviction>;
