// PodTopologySpread (upstream plugins/podtopologyspread): DoNotSchedule constraints filter on
// skew against the global minimum (minDomains, nodeAffinityPolicy/nodeTaintsPolicy, matchLabelKeys),
// ScheduleAnyway constraints (or the system defaults for pods behind a Service, ReplicaSet or
// StatefulSet: zone maxSkew 5, hostname maxSkew 3) score nodes by how many matching pods their
// domains already hold.
import type { Pod, ReplicaSet, Service, StatefulSet } from '../../api/objects.js';
import { controllerRef } from '../../api/pod.js';
import { isEmptySelector, matches, newRequirement, selectorFromLabelSelector, selectorFromSet, selectorToString, type LabelSelector, type LabelSelectorSpec } from '../../apimachinery/labels.js';
import type { NodeInfo, PodInfo } from '../nodeinfo.js';
import { CycleState, MAX_NODE_SCORE, Status, type FilterPlugin, type MaybeStatus, type Scores, type PreFilterPlugin, type ScorePlugin, type SnapshotLister } from '../types.js';
import { findUntoleratedTaint } from '../../api/taints.js';
import { matchesRequiredNodeAffinity } from '../../api/nodeaffinity.js';

export const ErrReasonConstraintsNotMatch = "node(s) didn't match pod topology spread constraints";
export const ErrReasonNodeLabelNotMatch = ErrReasonConstraintsNotMatch + ' (missing required label)';

const LABEL_HOSTNAME = 'kubernetes.io/hostname';
const LABEL_ZONE = 'topology.kubernetes.io/zone';

/** Listers the default constraints need (helper.DefaultSelector). */
export interface WorkloadListers {
  services(ns: string): Service[];
  replicaSet(ns: string, name: string): ReplicaSet | undefined;
  statefulSet(ns: string, name: string): StatefulSet | undefined;
}

interface Constraint {
  maxSkew: number;
  topologyKey: string;
  selector: LabelSelector;
  minDomains: number;
  honorAffinity: boolean;
  honorTaints: boolean;
}

function buildConstraints(pod: Pod, action: 'DoNotSchedule' | 'ScheduleAnyway'): Constraint[] {
  const out: Constraint[] = [];
  for (const c of pod.spec?.topologySpreadConstraints ?? []) {
    if (c.whenUnsatisfiable !== action) continue;
    let selector = selectorFromLabelSelector((c.labelSelector ?? null) as LabelSelectorSpec | null);
    const keys = c.matchLabelKeys ?? [];
    if (keys.length && !selector.nothing) {
      const extra = keys.filter((k) => pod.metadata.labels?.[k] !== undefined).map((k) => newRequirement(k, 'in', [pod.metadata.labels![k]!]));
      selector = { requirements: [...selector.requirements, ...extra] };
    }
    out.push({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      selector,
      minDomains: c.minDomains ?? 1,
      honorAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
      honorTaints: c.nodeTaintsPolicy === 'Honor',
    });
  }
  return out;
}

function matchesInclusionPolicies(c: Constraint, pod: Pod, ni: NodeInfo): boolean {
  if (c.honorAffinity && !matchesRequiredNodeAffinity(pod.spec, ni.labels, ni.name)) return false;
  if (c.honorTaints && findUntoleratedTaint(ni.hardTaints, pod.spec?.tolerations)) return false;
  return true;
}

function hasAllKeys(labels: Record<string, string>, cs: Constraint[]): boolean {
  for (const c of cs) if (!Object.hasOwn(labels, c.topologyKey)) return false;
  return true;
}

// Each scheduling cycle counts, on every node, the pods a constraint's selector matches: O(pods)
// per pod scheduled. Between cycles only the nodes that gained or lost pods change, so counts are
// remembered on each NodeInfo (valid for its generation) per selector.
const selectorText = new WeakMap<LabelSelector, string>();

/** The memo key of a selector in a namespace; computed once per constraint, not once per node. */
function countKey(sel: LabelSelector, ns: string): string {
  let text = selectorText.get(sel);
  if (text === undefined) selectorText.set(sel, (text = selectorToString(sel) + (sel.nothing ? '\u0000nothing' : '')));
  return `${ns}\u0000${text}`;
}

function countOnNode(ni: NodeInfo, sel: LabelSelector, ns: string, key = countKey(sel, ns)): number {
  let memo = ni.spreadCounts;
  if (!memo || memo.generation !== ni.generation) ni.spreadCounts = memo = { generation: ni.generation, counts: new Map() };
  let n = memo.counts.get(key);
  if (n === undefined) {
    n = countMatching(ni.pods, sel, ns);
    memo.counts.set(key, n);
  }
  return n;
}

function countMatching(pods: readonly PodInfo[], sel: LabelSelector, ns: string): number {
  let n = 0;
  for (const p of pods) {
    if (p.terminating || (p.pod.metadata.namespace ?? '') !== ns) continue;
    if (matches(sel, p.pod.metadata.labels)) n++;
  }
  return n;
}

/**
 * Matching pods per node and per domain of one topology key over every node of the snapshot's list,
 * kept across scheduling cycles: a cycle re-counts only the nodes the cache reports changed since
 * the last one (placed or removed pods, updated Nodes), instead of visiting a thousand nodes per pod
 * scheduled. The per-domain totals serve pods every node is eligible for (no node selector or
 * required node affinity, taints not honoured), where they do not depend on the pod; the per-node
 * counts serve hostname domains, whatever the pod.
 */
class DomainTally {
  private list?: readonly NodeInfo[];
  private version = -1;
  /** Matching pods on each node of the list, by index. */
  private counts: number[] = [];
  private domains: string[] = [];
  readonly totals = new Map<string, number>();

  constructor(
    private readonly sel: LabelSelector,
    private readonly ns: string,
    private readonly key: string,
    private readonly topologyKey: string,
  ) {}

  refresh(snapshot: SnapshotLister): void {
    const list = snapshot.list();
    const delta = snapshot.changesSince?.(this.version);
    if (this.list !== list || !delta?.nodes) {
      this.list = list;
      this.counts = new Array<number>(list.length).fill(0);
      this.domains = new Array<string>(list.length).fill('');
      this.totals.clear();
      for (let i = 0; i < list.length; i++) this.recount(i, list[i]!);
    } else {
      for (const ni of delta.nodes) if (list[ni.listIndex] === ni) this.recount(ni.listIndex, ni);
    }
    this.version = delta?.version ?? -1;
  }

  /** The count on ni, if it is a node of the list this tally is current for. */
  onNode(ni: NodeInfo): number | undefined {
    return this.list?.[ni.listIndex] === ni ? this.counts[ni.listIndex] : undefined;
  }

  private recount(i: number, ni: NodeInfo): void {
    const old = this.counts[i]!;
    if (old) this.totals.set(this.domains[i]!, this.totals.get(this.domains[i]!)! - old);
    const domain = ni.labels[this.topologyKey] ?? '';
    const n = countOnNode(ni, this.sel, this.ns, this.key);
    this.domains[i] = domain;
    this.counts[i] = n;
    if (n) this.totals.set(domain, (this.totals.get(domain) ?? 0) + n);
  }
}

/** Whether every node passes c's inclusion policies for pod (so a DomainTally applies). */
function includesEveryNode(c: Constraint, pod: Pod): boolean {
  if (c.honorTaints) return false;
  if (!c.honorAffinity) return true;
  return !pod.spec?.nodeSelector && !pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
}

const PRE_FILTER = 'PreFilterPodTopologySpread';
const PRE_SCORE = 'PreScorePodTopologySpread';

class FilterState {
  constructor(
    readonly constraints: Constraint[],
    /** Per constraint: domain value → matching pods. */
    readonly counts: Map<string, number>[],
  ) {}
  clone(): FilterState {
    return new FilterState(this.constraints, this.counts.map((m) => new Map(m)));
  }
  minMatch(i: number): number {
    const m = this.counts[i]!;
    if (m.size < this.constraints[i]!.minDomains) return 0;
    let min = Infinity;
    for (const v of m.values()) if (v < min) min = v;
    return min === Infinity ? 0 : min;
  }
  update(pod: Pod, other: PodInfo, ni: NodeInfo, delta: number): void {
    if ((other.pod.metadata.namespace ?? '') !== (pod.metadata.namespace ?? '')) return;
    if (!hasAllKeys(ni.labels, this.constraints)) return;
    this.constraints.forEach((c, i) => {
      if (!matchesInclusionPolicies(c, pod, ni)) return;
      if (!matches(c.selector, other.pod.metadata.labels)) return;
      const v = ni.labels[c.topologyKey]!;
      this.counts[i]!.set(v, (this.counts[i]!.get(v) ?? 0) + delta);
    });
  }
}

interface ScoreState {
  constraints: Constraint[];
  ignored: Set<string>;
  pairCounts: Map<string, number>[];
  weights: number[];
  /** Each constraint's countOnNode memo key. */
  keys: string[];
  /** Hostname constraints' per-node counts (and the tallies behind pairCounts). */
  tallies: (DomainTally | undefined)[];
}

export class PodTopologySpread implements PreFilterPlugin, FilterPlugin, ScorePlugin {
  readonly name = 'PodTopologySpread';
  readonly weight = 2;

  private readonly tallies = new Map<string, DomainTally>();

  constructor(private readonly listers: WorkloadListers) {}

  /** The tally of c's selector over its topology key, brought up to date with the snapshot. */
  private tally(c: Constraint, ns: string, key: string, snapshot: SnapshotLister): DomainTally {
    const k = `${key}\u0000${c.topologyKey}`;
    let t = this.tallies.get(k);
    if (!t) {
      if (this.tallies.size >= 256) this.tallies.clear();
      this.tallies.set(k, (t = new DomainTally(c.selector, ns, key, c.topologyKey)));
    }
    t.refresh(snapshot);
    return t;
  }

  preFilter(state: CycleState, pi: PodInfo, snapshot: SnapshotLister): { status?: MaybeStatus } {
    const constraints = buildConstraints(pi.pod, 'DoNotSchedule');
    if (constraints.length === 0) return { status: Status.skip() };
    const counts = constraints.map(() => new Map<string, number>());
    const ns = pi.pod.metadata.namespace ?? '';
    for (const ni of snapshot.list()) {
      if (!hasAllKeys(ni.labels, constraints)) continue;
      constraints.forEach((c, i) => {
        if (!matchesInclusionPolicies(c, pi.pod, ni)) return;
        const v = ni.labels[c.topologyKey]!;
        counts[i]!.set(v, (counts[i]!.get(v) ?? 0) + countOnNode(ni, c.selector, ns));
      });
    }
    state.write(PRE_FILTER, new FilterState(constraints, counts));
    return {};
  }

  addPod(state: CycleState, pi: PodInfo, toAdd: PodInfo, ni: NodeInfo): void {
    state.read<FilterState>(PRE_FILTER)?.update(pi.pod, toAdd, ni, 1);
  }
  removePod(state: CycleState, pi: PodInfo, toRemove: PodInfo, ni: NodeInfo): void {
    state.read<FilterState>(PRE_FILTER)?.update(pi.pod, toRemove, ni, -1);
  }

  filter(state: CycleState, pi: PodInfo, ni: NodeInfo): MaybeStatus {
    const s = state.read<FilterState>(PRE_FILTER);
    if (!s) return null;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i]!;
      if (!Object.hasOwn(ni.labels, c.topologyKey)) return Status.unresolvable(ErrReasonNodeLabelNotMatch);
      const self = matches(c.selector, pi.pod.metadata.labels) ? 1 : 0;
      const count = s.counts[i]!.get(ni.labels[c.topologyKey]!) ?? 0;
      if (count + self - s.minMatch(i) > c.maxSkew) return Status.unschedulable(ErrReasonConstraintsNotMatch);
    }
    return null;
  }

  private defaultConstraints(pod: Pod): Constraint[] {
    const sel = this.defaultSelector(pod);
    if (isEmptySelector(sel)) return [];
    const mk = (key: string, maxSkew: number): Constraint => ({ maxSkew, topologyKey: key, selector: sel, minDomains: 1, honorAffinity: true, honorTaints: false });
    return [mk(LABEL_HOSTNAME, 3), mk(LABEL_ZONE, 5)];
  }

  /** helper.DefaultSelector: the selectors of Services selecting the pod and of its controller. */
  private defaultSelector(pod: Pod): LabelSelector {
    const ns = pod.metadata.namespace ?? '';
    const set: Record<string, string> = {};
    for (const svc of this.listers.services(ns)) {
      const s = svc.spec?.selector;
      if (!s || Object.keys(s).length === 0) continue;
      if (matches(selectorFromSet(s), pod.metadata.labels)) Object.assign(set, s);
    }
    let sel = selectorFromSet(set);
    const owner = controllerRef(pod);
    if (!owner) return sel;
    let ownerSel: LabelSelectorSpec | undefined;
    if (owner.apiVersion === 'apps/v1' && owner.kind === 'ReplicaSet') ownerSel = this.listers.replicaSet(ns, owner.name)?.spec?.selector as LabelSelectorSpec | undefined;
    if (owner.apiVersion === 'apps/v1' && owner.kind === 'StatefulSet') ownerSel = this.listers.statefulSet(ns, owner.name)?.spec?.selector as LabelSelectorSpec | undefined;
    if (ownerSel) {
      const other = selectorFromLabelSelector(ownerSel);
      if (!other.nothing) sel = { requirements: [...sel.requirements, ...other.requirements] };
    }
    return sel;
  }

  preScore(state: CycleState, pi: PodInfo, filtered: NodeInfo[], snapshot: SnapshotLister): MaybeStatus {
    const all = snapshot.list();
    if (filtered.length === 0 || all.length === 0) return Status.skip();
    const explicit = (pi.pod.spec?.topologySpreadConstraints?.length ?? 0) > 0;
    const constraints = explicit ? buildConstraints(pi.pod, 'ScheduleAnyway') : this.defaultConstraints(pi.pod);
    if (constraints.length === 0) return Status.skip();
    // Only non-default constraints require every topology label, so nodes without a zone still
    // get hostname spreading.
    const requireAll = explicit;
    const ignored = new Set<string>();
    const pairCounts = constraints.map(() => new Map<string, number>());
    const sizes = constraints.map(() => 0);
    for (const ni of filtered) {
      if (requireAll && !hasAllKeys(ni.labels, constraints)) {
        ignored.add(ni.name);
        continue;
      }
      constraints.forEach((c, i) => {
        if (c.topologyKey === LABEL_HOSTNAME) return;
        const v = ni.labels[c.topologyKey] ?? '';
        if (!pairCounts[i]!.has(v)) {
          pairCounts[i]!.set(v, 0);
          sizes[i]!++;
        }
      });
    }
    const weights = constraints.map((c, i) => Math.log((c.topologyKey === LABEL_HOSTNAME ? filtered.length - ignored.size : sizes[i]!) + 2));
    const ns = pi.pod.metadata.namespace ?? '';
    const keys = constraints.map((c) => countKey(c.selector, ns));
    // Which constraints sum over the whole list here (hostname domains are counted per node when
    // scored), and which of those a tally kept across cycles can answer.
    const summed = constraints.map((c, i) => c.topologyKey !== LABEL_HOSTNAME && pairCounts[i]!.size > 0);
    const tallied = constraints.map((c, i) => summed[i]! && !requireAll && includesEveryNode(c, pi.pod));
    const tallies = constraints.map((c, i) => (tallied[i] || c.topologyKey === LABEL_HOSTNAME ? this.tally(c, ns, keys[i]!, snapshot) : undefined));
    for (let i = 0; i < constraints.length; i++) {
      if (!tallied[i]) continue;
      for (const v of pairCounts[i]!.keys()) pairCounts[i]!.set(v, tallies[i]!.totals.get(v) ?? 0);
    }
    if (summed.some((x, i) => x && !tallied[i])) for (const ni of all) {
      if (requireAll && !hasAllKeys(ni.labels, constraints)) continue;
      for (let i = 0; i < constraints.length; i++) {
        if (!summed[i] || tallied[i]) continue;
        const c = constraints[i]!;
        // Hostname domains are counted per node when scored; only other keys aggregate here.
        const v = ni.labels[c.topologyKey] ?? '';
        const cur = pairCounts[i]!.get(v);
        if (cur === undefined) continue;
        if (!matchesInclusionPolicies(c, pi.pod, ni)) continue;
        pairCounts[i]!.set(v, cur + countOnNode(ni, c.selector, ns, keys[i]));
      }
    }
    state.write(PRE_SCORE, { constraints, ignored, pairCounts, weights, keys, tallies } satisfies ScoreState);
    return null;
  }

  score(state: CycleState, pi: PodInfo, ni: NodeInfo): number {
    const s = state.read<ScoreState>(PRE_SCORE)!;
    if (s.ignored.has(ni.name)) return 0;
    let score = 0;
    const ns = pi.pod.metadata.namespace ?? '';
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i]!;
      const v = ni.labels[c.topologyKey];
      if (v === undefined || !Object.hasOwn(ni.labels, c.topologyKey)) continue;
      const cnt = c.topologyKey === LABEL_HOSTNAME ? (s.tallies[i]?.onNode(ni) ?? countOnNode(ni, c.selector, ns, s.keys[i])) : (s.pairCounts[i]!.get(v) ?? 0);
      score += cnt * s.weights[i]! + (c.maxSkew - 1);
    }
    return Math.round(score);
  }

  normalize(state: CycleState, _pi: PodInfo, nodes: NodeInfo[], scores: Scores): void {
    const s = state.read<ScoreState>(PRE_SCORE);
    if (!s) return;
    let min = Infinity;
    let max = 0;
    for (let i = 0; i < scores.length; i++) {
      if (s.ignored.has(nodes[i]!.name)) continue;
      if (scores[i]! < min) min = scores[i]!;
      if (scores[i]! > max) max = scores[i]!;
    }
    for (let i = 0; i < scores.length; i++) {
      if (s.ignored.has(nodes[i]!.name)) scores[i] = 0;
      else if (max === 0) scores[i] = MAX_NODE_SCORE;
      else scores[i] = Math.trunc((MAX_NODE_SCORE * (max + min - scores[i]!)) / max);
    }
  }
}
