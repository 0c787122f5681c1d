// The scheduling framework's vocabulary (upstream pkg/scheduler/framework/interface.go): status
// codes, the plugin extension points the default profile uses, and per-cycle state. Filters and
// scores run synchronously inside one scheduling cycle, so plugins read the cache directly and a
// cycle never observes a half-applied informer event.
import type { NodeInfo, PodInfo } from './nodeinfo.js';

export const enum Code {
  Success = 0,
  Error = 1,
  Unschedulable = 2,
  UnschedulableAndUnresolvable = 3,
  Wait = 4,
  Skip = 5,
}

/** framework.Status: a code, the reasons (each counted separately in FitError), the plugin that failed. */
export class Status {
  plugin = '';
  constructor(
    readonly code: Code,
    readonly reasons: string[] = [],
    readonly error?: unknown,
  ) {}
  static unschedulable(...reasons: string[]): Status {
    return new Status(Code.Unschedulable, reasons);
  }
  static unresolvable(...reasons: string[]): Status {
    return new Status(Code.UnschedulableAndUnresolvable, reasons);
  }
  static skip(): Status {
    return new Status(Code.Skip);
  }
  static asStatus(err: unknown): Status {
    return new Status(Code.Error, [err instanceof Error ? err.message : String(err)], err);
  }
  isSuccess(): boolean {
    return this.code === Code.Success;
  }
  /** Unschedulable or UnschedulableAndUnresolvable. */
  isRejected(): boolean {
    return this.code === Code.Unschedulable || this.code === Code.UnschedulableAndUnresolvable;
  }
  message(): string {
    return this.reasons.join(', ');
  }
  withPlugin(name: string): this {
    this.plugin = name;
    return this;
  }
}

/** A success; plugins return null on the hot path instead of allocating. */
export type MaybeStatus = Status | null | undefined;

/** Data plugins share within one scheduling cycle (PreFilter → Filter → Score → PreBind). */
export class CycleState {
  private readonly data = new Map<string, unknown>();
  /** Plugins whose PreFilter returned Skip: their Filter is not run. */
  readonly skipFilterPlugins = new Set<string>();
  readonly skipScorePlugins = new Set<string>();
  read<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }
  write(key: string, value: unknown): void {
    this.data.set(key, value);
  }
  /** A shallow copy for preemption's dry runs (plugins copy-on-write what they mutate via addPod/removePod). */
  clone(): CycleState {
    const c = new CycleState();
    for (const [k, v] of this.data) c.data.set(k, v && typeof v === 'object' && 'clone' in v && typeof (v as { clone: unknown }).clone === 'function' ? (v as { clone(): unknown }).clone() : v);
    for (const p of this.skipFilterPlugins) c.skipFilterPlugins.add(p);
    for (const p of this.skipScorePlugins) c.skipScorePlugins.add(p);
    return c;
  }
}

/** PreFilter may narrow the candidate nodes (NodeAffinity with matchFields metadata.name). */
export interface PreFilterResult {
  nodeNames?: Set<string>;
}

/** What the cluster looks like to plugins during a cycle. */
export interface SnapshotLister {
  /** Every node with a Node object, in a stable order. */
  list(): NodeInfo[];
  get(name: string): NodeInfo | undefined;
  /** Nodes holding pods with (anti-)affinity terms. */
  havePodsWithAffinity(): NodeInfo[];
  havePodsWithRequiredAntiAffinity(): NodeInfo[];
  /** Namespace labels, for affinity terms with a namespaceSelector. */
  namespaceLabels(ns: string): Record<string, string> | undefined;
  /**
   * The version of the node state now, and the NodeInfos changed (pods placed or removed, Node
   * updated) since version, in order; nodes is undefined when that history is no longer kept (the
   * caller starts over from list()). For plugins that keep sums over every node across cycles.
   */
  changesSince?(version: number): { version: number; nodes?: readonly NodeInfo[] };
}

export interface Plugin {
  readonly name: string;
}

export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState, pod: PodInfo, snapshot: SnapshotLister): { result?: PreFilterResult; status?: MaybeStatus };
  /** Keeps PreFilter state in step with pods added/removed during preemption's dry runs and nominated pods. */
  addPod?(state: CycleState, pod: PodInfo, toAdd: PodInfo, node: NodeInfo): void;
  removePod?(state: CycleState, pod: PodInfo, toRemove: PodInfo, node: NodeInfo): void;
}

export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: PodInfo, node: NodeInfo): MaybeStatus;
}

/** Scores of one plugin, index-aligned with the nodes being scored. */
export type Scores = Float64Array;

export interface ScorePlugin extends Plugin {
  readonly weight: number;
  preScore?(state: CycleState, pod: PodInfo, nodes: NodeInfo[], snapshot: SnapshotLister): MaybeStatus;
  score(state: CycleState, pod: PodInfo, node: NodeInfo): number;
  normalize?(state: CycleState, pod: PodInfo, nodes: NodeInfo[], scores: Scores): void;
}

export const MAX_NODE_SCORE = 100;

/** helper.DefaultNormalizeScore. */
export function defaultNormalizeScore(maxPriority: number, reverse: boolean, scores: Scores): void {
  let max = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i]! > max) max = scores[i]!;
  if (max === 0) {
    if (reverse) scores.fill(maxPriority);
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    let v = Math.trunc((maxPriority * scores[i]!) / max);
    if (reverse) v = maxPriority - v;
    scores[i] = v;
  }
}
