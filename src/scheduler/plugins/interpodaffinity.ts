// InterPodAffinity (upstream plugins/interpodaffinity): required affinity and anti-affinity of the
// incoming pod, the required anti-affinity of pods already running, and preferred terms (both
// ways) as a score. Counts are kept per "topologyKey=value" so a node is checked by label lookups.
import type { NodeInfo, PodInfo } from '../nodeinfo.js';
import { termMatches, type AffinityTerm } from '../nodeinfo.js';
import { CycleState, MAX_NODE_SCORE, Status, type FilterPlugin, type MaybeStatus, type Scores, type PreFilterPlugin, type ScorePlugin, type SnapshotLister } from '../types.js';

export const ErrReasonExistingAntiAffinityRulesNotMatch = "node(s) didn't satisfy existing pods anti-affinity rules";
export const ErrReasonAffinityRulesNotMatch = "node(s) didn't match pod affinity rules";
export const ErrReasonAntiAffinityRulesNotMatch = "node(s) didn't match pod anti-affinity rules";

// Existing pods' required affinity counts this much toward scoring nodes (hardPodAffinityWeight).
const HARD_POD_AFFINITY_WEIGHT = 1;

type Counts = Map<string, number>;
const pair = (k: string, v: string) => `${k}\u0000${v}`;

function bump(m: Counts, key: string, labels: Record<string, string>, delta: number): void {
  if (!Object.hasOwn(labels, key)) return;
  const p = pair(key, labels[key]!);
  m.set(p, (m.get(p) ?? 0) + delta);
}

class FilterState {
  constructor(
    readonly existingAntiAffinity: Counts,
    readonly affinity: Counts,
    readonly antiAffinity: Counts,
    readonly nsLabels: (ns: string) => Record<string, string> | undefined,
  ) {}
  clone(): FilterState {
    return new FilterState(new Map(this.existingAntiAffinity), new Map(this.affinity), new Map(this.antiAffinity), this.nsLabels);
  }
  update(pi: PodInfo, other: PodInfo, ni: NodeInfo, delta: number): void {
    for (const t of other.requiredAntiAffinity) if (termMatches(t, pi.pod, this.nsLabels)) bump(this.existingAntiAffinity, t.topologyKey, ni.labels, delta);
    for (const t of pi.requiredAffinity) if (termMatches(t, other.pod, this.nsLabels)) bump(this.affinity, t.topologyKey, ni.labels, delta);
    for (const t of pi.requiredAntiAffinity) if (termMatches(t, other.pod, this.nsLabels)) bump(this.antiAffinity, t.topologyKey, ni.labels, delta);
  }
}

const PRE_FILTER = 'PreFilterInterPodAffinity';
const PRE_SCORE = 'PreScoreInterPodAffinity';

function allTermsMatchSelf(terms: AffinityTerm[], pi: PodInfo, nsLabels: (ns: string) => Record<string, string> | undefined): boolean {
  for (const t of terms) if (!termMatches(t, pi.pod, nsLabels)) return false;
  return true;
}

export class InterPodAffinity implements PreFilterPlugin, FilterPlugin, ScorePlugin {
  readonly name = 'InterPodAffinity';
  readonly weight = 2;

  preFilter(state: CycleState, pi: PodInfo, snapshot: SnapshotLister): { status?: MaybeStatus } {
    const withAnti = snapshot.havePodsWithRequiredAntiAffinity();
    if (pi.requiredAffinity.length === 0 && pi.requiredAntiAffinity.length === 0 && withAnti.length === 0) return { status: Status.skip() };
    const s = new FilterState(new Map(), new Map(), new Map(), snapshot.namespaceLabels);
    for (const ni of withAnti) {
      for (const other of ni.podsWithRequiredAntiAffinity) {
        for (const t of other.requiredAntiAffinity) if (termMatches(t, pi.pod, s.nsLabels)) bump(s.existingAntiAffinity, t.topologyKey, ni.labels, 1);
      }
    }
    if (pi.requiredAffinity.length || pi.requiredAntiAffinity.length) {
      for (const ni of snapshot.list()) {
        for (const other of ni.pods) {
          for (const t of pi.requiredAffinity) if (termMatches(t, other.pod, s.nsLabels)) bump(s.affinity, t.topologyKey, ni.labels, 1);
          for (const t of pi.requiredAntiAffinity) if (termMatches(t, other.pod, s.nsLabels)) bump(s.antiAffinity, t.topologyKey, ni.labels, 1);
        }
      }
    }
    state.write(PRE_FILTER, s);
    return {};
  }

  addPod(state: CycleState, pi: PodInfo, toAdd: PodInfo, ni: NodeInfo): void {
    state.read<FilterState>(PRE_FILTER)?.update(pi, toAdd, ni, 1);
  }
  removePod(state: CycleState, pi: PodInfo, toRemove: PodInfo, ni: NodeInfo): void {
    state.read<FilterState>(PRE_FILTER)?.update(pi, toRemove, ni, -1);
  }

  filter(state: CycleState, pi: PodInfo, ni: NodeInfo): MaybeStatus {
    const s = state.read<FilterState>(PRE_FILTER);
    if (!s) return null;
    if (pi.requiredAffinity.length) {
      let podsExist = true;
      for (const t of pi.requiredAffinity) {
        const v = ni.labels[t.topologyKey];
        if (v === undefined || (s.affinity.get(pair(t.topologyKey, v)) ?? 0) <= 0) {
          podsExist = false;
          break;
        }
      }
      // The first pod of a group that selects itself may go anywhere no matching pod runs yet.
      if (!podsExist && !(countsEmpty(s.affinity) && allTermsMatchSelf(pi.requiredAffinity, pi, s.nsLabels))) {
        return Status.unresolvable(ErrReasonAffinityRulesNotMatch);
      }
    }
    for (const t of pi.requiredAntiAffinity) {
      const v = ni.labels[t.topologyKey];
      if (v !== undefined && (s.antiAffinity.get(pair(t.topologyKey, v)) ?? 0) > 0) return Status.unschedulable(ErrReasonAntiAffinityRulesNotMatch);
    }
    if (s.existingAntiAffinity.size) {
      for (const [k, v] of Object.entries(ni.labels)) {
        if ((s.existingAntiAffinity.get(pair(k, v)) ?? 0) > 0) return Status.unschedulable(ErrReasonExistingAntiAffinityRulesNotMatch);
      }
    }
    return null;
  }

  preScore(state: CycleState, pi: PodInfo, filtered: NodeInfo[], snapshot: SnapshotLister): MaybeStatus {
    if (filtered.length === 0) return Status.skip();
    const hasPreferred = pi.preferredAffinity.length + pi.preferredAntiAffinity.length > 0;
    const nodes = hasPreferred ? snapshot.list() : snapshot.havePodsWithAffinity();
    if (nodes.length === 0) return Status.skip();
    const nsLabels = snapshot.namespaceLabels;
    const scores: Counts = new Map();
    for (const ni of nodes) {
      const pods = hasPreferred ? ni.pods : ni.podsWithAffinity;
      for (const other of pods) {
        for (const t of pi.preferredAffinity) if (termMatches(t, other.pod, nsLabels)) bump(scores, t.topologyKey, ni.labels, t.weight);
        for (const t of pi.preferredAntiAffinity) if (termMatches(t, other.pod, nsLabels)) bump(scores, t.topologyKey, ni.labels, -t.weight);
        if (!other.hasAffinity) continue;
        for (const t of other.requiredAffinity) if (termMatches(t, pi.pod, nsLabels)) bump(scores, t.topologyKey, ni.labels, HARD_POD_AFFINITY_WEIGHT);
        for (const t of other.preferredAffinity) if (termMatches(t, pi.pod, nsLabels)) bump(scores, t.topologyKey, ni.labels, t.weight);
        for (const t of other.preferredAntiAffinity) if (termMatches(t, pi.pod, nsLabels)) bump(scores, t.topologyKey, ni.labels, -t.weight);
      }
    }
    if (scores.size === 0) return Status.skip();
    state.write(PRE_SCORE, scores);
    return null;
  }

  score(state: CycleState, _pi: PodInfo, ni: NodeInfo): number {
    const scores = state.read<Counts>(PRE_SCORE)!;
    let total = 0;
    for (const [p, v] of scores) {
      const i = p.indexOf('\u0000');
      if (ni.labels[p.slice(0, i)] === p.slice(i + 1)) total += v;
    }
    return total;
  }

  normalize(_s: CycleState, _pi: PodInfo, _nodes: NodeInfo[], scores: Scores): void {
    let min = Infinity;
    let max = -Infinity;
    for (const v of scores) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const diff = max - min;
    for (let i = 0; i < scores.length; i++) scores[i] = diff > 0 ? Math.trunc((MAX_NODE_SCORE * (scores[i]! - min)) / diff) : 0;
  }
}

function countsEmpty(m: Counts): boolean {
  for (const v of m.values()) if (v > 0) return false;
  return true;
}
