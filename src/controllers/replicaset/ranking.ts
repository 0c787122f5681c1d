// Which pods a ReplicaSet deletes first when it has too many (getPodsToDelete and
// ActivePodsWithRanks in pkg/controller): the ones whose loss hurts least. Unassigned before
// assigned, Pending before Unknown before Running, not ready before ready, lower
// controller.kubernetes.io/pod-deletion-cost first, pods doubled up on a node with more of their
// siblings first, then (LogarithmicScaleDown, on by default) the more recently ready and the more
// recently created, compared on a log2 scale of their age, with more restarts first in between.
import type { Pod } from '../../api/objects.js';
import { getPodCondition, isPodActive, isPodReady } from '../../api/pod.js';

/** The annotation that orders scale-down (PodDeletionCost, GA). */
export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** GetDeletionCostFromPodAnnotations: an int32, 0 when absent or malformed ("+1" and "007" are). */
export function deletionCost(pod: Pod): number {
  const v = pod.metadata.annotations?.[POD_DELETION_COST_ANNOTATION];
  if (v === undefined) return 0;
  if (!/^(0|-?[1-9]\d*|-0\d*)$/.test(v)) return 0;
  const n = Number(v);
  return n >= -2147483648 && n <= 2147483647 ? n : 0;
}

/** Milliseconds since epoch of a timestamp, or undefined when it is unset ("zero"). */
function ms(ts: string | undefined): number | undefined {
  if (!ts) return undefined;
  const t = Date.parse(ts);
  return Number.isNaN(t) ? undefined : t;
}

function readyTime(pod: Pod): number | undefined {
  const c = getPodCondition(pod, 'Ready');
  return c?.status === 'True' ? ms(c.lastTransitionTime) : undefined;
}

/** afterOrZero: a zero time sorts first, otherwise the later one does. */
function afterOrZero(t1: number | undefined, t2: number | undefined): boolean {
  if (t1 === undefined || t2 === undefined) return t1 === undefined;
  return t1 > t2;
}

/** logarithmicRankDiff, on nanosecond durations as upstream takes log2 of them. */
function logRankDiff(t1: number, t2: number, now: number): number {
  const rank = (t: number) => {
    const d = (now - t) * 1e6;
    return d > 0 ? Math.trunc(Math.log2(d)) : -1;
  };
  return rank(t1) - rank(t2);
}

function maxRestarts(pod: Pod): { regular: number; sidecar: number } {
  let regular = 0;
  let sidecar = 0;
  for (const c of pod.status?.containerStatuses ?? []) regular = Math.max(regular, c.restartCount ?? 0);
  const sidecars = new Set((pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  for (const c of pod.status?.initContainerStatuses ?? []) if (sidecars.has(c.name)) sidecar = Math.max(sidecar, c.restartCount ?? 0);
  return { regular, sidecar };
}

/** A pod with its rank: how many active related pods share its node. */
export interface RankedPod {
  pod: Pod;
  rank: number;
}

/** ActivePodsWithRanks.Less: true when a should be deleted before b. */
export function lessForDeletion(a: RankedPod, b: RankedPod, now: number): boolean {
  const pi = a.pod;
  const pj = b.pod;
  const ni = pi.spec?.nodeName ?? '';
  const nj = pj.spec?.nodeName ?? '';
  // 1. Unassigned < assigned.
  if (ni !== nj && (!ni || !nj)) return !ni;
  // 2. Pending < Unknown < Running.
  const oi = PHASE_ORDINAL[pi.status?.phase ?? ''] ?? 0;
  const oj = PHASE_ORDINAL[pj.status?.phase ?? ''] ?? 0;
  if (oi !== oj) return oi < oj;
  // 3. Not ready < ready.
  const ri = isPodReady(pi);
  const rj = isPodReady(pj);
  if (ri !== rj) return !ri;
  // 4. Lower pod-deletion-cost < higher.
  const ci = deletionCost(pi);
  const cj = deletionCost(pj);
  if (ci !== cj) return ci < cj;
  // 5. Doubled up < not doubled up.
  if (a.rank !== b.rank) return a.rank > b.rank;
  // 6. Ready for less time < more time (log scale).
  if (ri && rj) {
    const ti = readyTime(pi);
    const tj = readyTime(pj);
    if (ti !== tj) {
      if (ti === undefined || tj === undefined) return afterOrZero(ti, tj);
      const d = logRankDiff(ti, tj, now);
      if (d === 0) return (pi.metadata.uid ?? '') < (pj.metadata.uid ?? '');
      return d < 0;
    }
  }
  // 7. More container restarts < fewer (then restartable init containers).
  const xi = maxRestarts(pi);
  const xj = maxRestarts(pj);
  if (xi.regular !== xj.regular) return xi.regular > xj.regular;
  if (xi.sidecar !== xj.sidecar) return xi.sidecar > xj.sidecar;
  // 8. Empty creation time < newer < older (log scale).
  const ki = ms(pi.metadata.creationTimestamp);
  const kj = ms(pj.metadata.creationTimestamp);
  if (ki !== kj) {
    if (ki === undefined || kj === undefined) return afterOrZero(ki, kj);
    const d = logRankDiff(ki, kj, now);
    if (d === 0) return (pi.metadata.uid ?? '') < (pj.metadata.uid ?? '');
    return d < 0;
  }
  return false;
}

/** getPodsRankedByRelatedPodsOnSameNode: rank = active related pods on the same node. */
export function rankByRelatedPodsOnSameNode(pods: Pod[], related: Pod[]): RankedPod[] {
  const onNode = new Map<string, number>();
  for (const p of related) {
    if (!isPodActive(p)) continue;
    const n = p.spec?.nodeName ?? '';
    onNode.set(n, (onNode.get(n) ?? 0) + 1);
  }
  return pods.map((pod) => ({ pod, rank: onNode.get(pod.spec?.nodeName ?? '') ?? 0 }));
}

/**
 * getPodsToDelete: the diff pods to delete from active ones, ranked against related pods (those of
 * every ReplicaSet with the same controller). Deleting all of them needs no ranking.
 */
export function getPodsToDelete(active: Pod[], related: Pod[], diff: number, now: number): Pod[] {
  if (diff >= active.length) return active.slice(0, diff);
  const ranked = rankByRelatedPodsOnSameNode(active, related);
  // A stable merge sort keeps the input order for ties, as Go's sort.Sort need not; ties are equal
  // candidates either way.
  ranked.sort((a, b) => (lessForDeletion(a, b, now) ? -1 : lessForDeletion(b, a, now) ? 1 : 0));
  return ranked.slice(0, diff).map((r) => r.pod);
}
