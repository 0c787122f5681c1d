// What the scheduler knows about a pod and a node, computed once per object (upstream
// framework.PodInfo and framework.NodeInfo): a pod's requests and parsed affinity terms, a node's
// allocatable and the running totals of the pods on it, so a filter is arithmetic, not parsing.
import type { Node, Pod, PodSpec, Taint } from '../api/objects.js';
import { podRequests, resourceListUnits, type ResourceList } from '../api/pod.js';
import { matches, selectorFromLabelSelector, type LabelSelector, type LabelSelectorSpec } from '../apimachinery/labels.js';

// Requests assumed for containers that set none (upstream DefaultMilliCPURequest, DefaultMemoryRequest),
// used by scoring only so best-effort pods still spread.
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

/** A pod (anti-)affinity term with its selectors parsed. */
export interface AffinityTerm {
  namespaces: Set<string>;
  /** undefined: only `namespaces` count; a selector: namespaces whose labels match count too. */
  namespaceSelector?: LabelSelector;
  selector: LabelSelector;
  topologyKey: string;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  weight: number;
}

export interface HostPort {
  hostIP: string;
  protocol: string;
  port: number;
}

/** A pod and the facts derived from it once. */
export class PodInfo {
  readonly key: string;
  readonly uid: string;
  readonly priority: number;
  readonly requests: ResourceList;
  readonly nonZeroCpu: number;
  readonly nonZeroMemory: number;
  readonly requiredAffinity: AffinityTerm[];
  readonly requiredAntiAffinity: AffinityTerm[];
  readonly preferredAffinity: WeightedAffinityTerm[];
  readonly preferredAntiAffinity: WeightedAffinityTerm[];
  readonly hostPorts: HostPort[];

  constructor(readonly pod: Pod) {
    const ns = pod.metadata.namespace ?? '';
    this.key = `${ns}/${pod.metadata.name}`;
    this.uid = pod.metadata.uid ?? this.key;
    this.priority = pod.spec?.priority ?? 0;
    const spec = pod.spec ?? ({ containers: [] } as unknown as PodSpec);
    this.requests = podRequests(spec);
    const nz = nonZeroRequests(spec);
    this.nonZeroCpu = nz.cpu;
    this.nonZeroMemory = nz.memory;
    const pa = spec.affinity?.podAffinity;
    const paa = spec.affinity?.podAntiAffinity;
    this.requiredAffinity = (pa?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => affinityTerm(t, ns));
    this.requiredAntiAffinity = (paa?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => affinityTerm(t, ns));
    this.preferredAffinity = (pa?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => ({ ...affinityTerm(w.podAffinityTerm, ns), weight: w.weight }));
    this.preferredAntiAffinity = (paa?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => ({ ...affinityTerm(w.podAffinityTerm, ns), weight: w.weight }));
    this.hostPorts = [];
    for (const c of [...(spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'), ...(spec.containers ?? [])]) {
      for (const p of c.ports ?? []) {
        if (p.hostPort && p.hostPort > 0) this.hostPorts.push({ hostIP: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort });
      }
    }
  }

  /** The same pod with another object (the assumed copy with spec.nodeName), keeping what was derived. */
  withPod(pod: Pod): PodInfo {
    return Object.assign(Object.create(PodInfo.prototype) as PodInfo, this, { pod });
  }

  get hasAffinity(): boolean {
    return this.requiredAffinity.length + this.requiredAntiAffinity.length + this.preferredAffinity.length + this.preferredAntiAffinity.length > 0;
  }

  get terminating(): boolean {
    return !!this.pod.metadata.deletionTimestamp;
  }
}

function affinityTerm(t: { labelSelector?: unknown; namespaces?: string[]; namespaceSelector?: unknown; topologyKey: string; matchLabelKeys?: string[]; mismatchLabelKeys?: string[] }, podNs: string): AffinityTerm {
  const namespaces = new Set(t.namespaces ?? []);
  const nsSel = t.namespaceSelector as LabelSelectorSpec | undefined | null;
  if (namespaces.size === 0 && !nsSel) namespaces.add(podNs);
  return {
    namespaces,
    namespaceSelector: nsSel ? selectorFromLabelSelector(nsSel) : undefined,
    selector: selectorFromLabelSelector((t.labelSelector ?? null) as LabelSelectorSpec | null),
    topologyKey: t.topologyKey,
  };
}

/** AffinityTerm.Matches: the pod is in one of the term's namespaces and its labels match. */
export function termMatches(term: AffinityTerm, pod: Pod, nsLabels: (ns: string) => Record<string, string> | undefined): boolean {
  const ns = pod.metadata.namespace ?? '';
  if (!term.namespaces.has(ns)) {
    if (!term.namespaceSelector || !matches(term.namespaceSelector, nsLabels(ns))) return false;
  }
  return matches(term.selector, pod.metadata.labels);
}

// Scoring's view of requests: containers without a cpu or memory request count the defaults.
function nonZeroRequests(spec: PodSpec): { cpu: number; memory: number } {
  const withDefaults = (cs: PodSpec['containers'] | undefined) =>
    (cs ?? []).map((c) => {
      const req = { ...((c.resources?.requests ?? {}) as Record<string, string>) };
      const lim = (c.resources?.limits ?? {}) as Record<string, string>;
      if (req.cpu === undefined && lim.cpu === undefined) req.cpu = `${DEFAULT_MILLI_CPU_REQUEST}m`;
      if (req.memory === undefined && lim.memory === undefined) req.memory = String(DEFAULT_MEMORY_REQUEST);
      return { ...c, resources: { ...c.resources, requests: req } };
    });
  const r = podRequests({ ...spec, containers: withDefaults(spec.containers), initContainers: spec.initContainers ? withDefaults(spec.initContainers) : undefined });
  return { cpu: r.cpu ?? 0, memory: r.memory ?? 0 };
}

/** Requested totals of the pods on a node. */
export interface Requested {
  cpu: number;
  memory: number;
  ephemeralStorage: number;
  scalar: Record<string, number>;
}

function emptyRequested(): Requested {
  return { cpu: 0, memory: 0, ephemeralStorage: 0, scalar: {} };
}

const BASIC = new Set(['cpu', 'memory', 'ephemeral-storage', 'pods']);

/** One node and the pods the scheduler counts on it (bound and assumed). */
export class NodeInfo {
  node?: Node;
  readonly pods: PodInfo[] = [];
  podsWithAffinity: PodInfo[] = [];
  podsWithRequiredAntiAffinity: PodInfo[] = [];
  requested: Requested = emptyRequested();
  nonZeroCpu = 0;
  nonZeroMemory = 0;
  /** "ip/protocol/port" of host ports in use. */
  usedPorts = new Map<string, number>();
  allocatable: Requested & { pods: number } = { ...emptyRequested(), pods: 0 };
  /** NoSchedule/NoExecute taints (the ones filters look at), PreferNoSchedule ones separately. */
  hardTaints: Taint[] = [];
  softTaints: Taint[] = [];
  labels: Record<string, string> = {};
  /** Bumped on every change, so a snapshot can tell what moved. */
  generation = 0;
  /** Where the node stands in the cache's node list (the snapshot's list()). */
  listIndex = -1;
  /** PodTopologySpread's matching-pod counts per selector, valid while generation stays the same. */
  spreadCounts?: { generation: number; counts: Map<string, number> };

  constructor(readonly name: string) {}

  setNode(node: Node): void {
    this.node = node;
    this.labels = node.metadata.labels ?? {};
    const alloc = resourceListUnits(node.status?.allocatable as Record<string, string> | undefined);
    const scalar: Record<string, number> = {};
    for (const [k, v] of Object.entries(alloc)) if (!BASIC.has(k)) scalar[k] = v;
    this.allocatable = { cpu: alloc.cpu ?? 0, memory: alloc.memory ?? 0, ephemeralStorage: alloc['ephemeral-storage'] ?? 0, pods: alloc.pods ?? 0, scalar };
    const taints = node.spec?.taints ?? [];
    this.hardTaints = taints.filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
    this.softTaints = taints.filter((t) => t.effect === 'PreferNoSchedule');
    this.generation++;
  }

  addPod(pi: PodInfo): void {
    this.pods.push(pi);
    if (pi.hasAffinity) this.podsWithAffinity.push(pi);
    if (pi.requiredAntiAffinity.length) this.podsWithRequiredAntiAffinity.push(pi);
    this.account(pi, 1);
  }

  /** Removes the pod with pi's key; returns whether it was there. */
  removePod(key: string): boolean {
    const i = this.pods.findIndex((p) => p.key === key);
    if (i < 0) return false;
    const pi = this.pods[i]!;
    this.pods.splice(i, 1);
    if (pi.hasAffinity) this.podsWithAffinity = this.podsWithAffinity.filter((p) => p.key !== key);
    if (pi.requiredAntiAffinity.length) this.podsWithRequiredAntiAffinity = this.podsWithRequiredAntiAffinity.filter((p) => p.key !== key);
    this.account(pi, -1);
    return true;
  }

  private account(pi: PodInfo, sign: 1 | -1): void {
    const r = pi.requests;
    for (const [k, v] of Object.entries(r)) {
      if (k === 'cpu') this.requested.cpu += sign * v;
      else if (k === 'memory') this.requested.memory += sign * v;
      else if (k === 'ephemeral-storage') this.requested.ephemeralStorage += sign * v;
      else this.requested.scalar[k] = (this.requested.scalar[k] ?? 0) + sign * v;
    }
    this.nonZeroCpu += sign * pi.nonZeroCpu;
    this.nonZeroMemory += sign * pi.nonZeroMemory;
    for (const hp of pi.hostPorts) {
      const k = `${hp.hostIP}/${hp.protocol}/${hp.port}`;
      const n = (this.usedPorts.get(k) ?? 0) + sign;
      if (n > 0) this.usedPorts.set(k, n);
      else this.usedPorts.delete(k);
    }
    this.generation++;
  }

  /** A copy preemption can add pods to and remove pods from. */
  clone(): NodeInfo {
    const c = new NodeInfo(this.name);
    c.node = this.node;
    c.labels = this.labels;
    c.allocatable = this.allocatable;
    c.hardTaints = this.hardTaints;
    c.softTaints = this.softTaints;
    c.pods.push(...this.pods);
    c.podsWithAffinity = [...this.podsWithAffinity];
    c.podsWithRequiredAntiAffinity = [...this.podsWithRequiredAntiAffinity];
    c.requested = { ...this.requested, scalar: { ...this.requested.scalar } };
    c.nonZeroCpu = this.nonZeroCpu;
    c.nonZeroMemory = this.nonZeroMemory;
    c.usedPorts = new Map(this.usedPorts);
    c.generation = this.generation;
    return c;
  }
}
