// Builders for scheduler tests and the benchmark: Node and Pod objects as the kubelet and
// workload controllers would write them.
import type { Node, Pod, PodSpec, Taint } from '../api/objects.js';

export interface NodeOptions {
  cpu?: string;
  memory?: string;
  pods?: string;
  zone?: string;
  labels?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
  extra?: Record<string, string>;
}

export function makeNode(name: string, o: NodeOptions = {}): Node {
  const allocatable = { cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', pods: o.pods ?? '110', 'ephemeral-storage': '100Gi', ...(o.extra ?? {}) };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        ...(o.zone ? { 'topology.kubernetes.io/zone': o.zone } : {}),
        ...(o.labels ?? {}),
      },
    },
    spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.unschedulable ? { unschedulable: true } : {}) },
    status: { capacity: allocatable, allocatable, conditions: [{ type: 'Ready', status: 'True' }] },
  } as Node;
}

export interface PodOptions {
  cpu?: string;
  memory?: string;
  labels?: Record<string, string>;
  priority?: number;
  nodeName?: string;
  spec?: Partial<PodSpec>;
  namespace?: string;
  ownerReferences?: Pod['metadata']['ownerReferences'];
}

export function makePod(name: string, o: PodOptions = {}): Pod {
  const requests: Record<string, string> = {};
  if (o.cpu) requests.cpu = o.cpu;
  if (o.memory) requests.memory = o.memory;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: o.namespace ?? 'default', labels: o.labels, ...(o.ownerReferences ? { ownerReferences: o.ownerReferences } : {}) },
    spec: {
      containers: [{ name: 'app', image: 'nginx', resources: Object.keys(requests).length ? { requests } : {} }],
      ...(o.priority !== undefined ? { priority: o.priority } : {}),
      ...(o.nodeName ? { nodeName: o.nodeName } : {}),
      ...(o.spec ?? {}),
    },
  } as Pod;
}
