// NodeResourcesFit (filter + LeastAllocated score) and NodeResourcesBalancedAllocation (upstream
// plugins/noderesources). Requests come pre-summed from PodInfo and per-node totals from
// NodeInfo, so both are constant time per node.
import type { NodeInfo, PodInfo } from '../nodeinfo.js';
import { CycleState, MAX_NODE_SCORE, Status, type FilterPlugin, type MaybeStatus, type PreFilterPlugin, type ScorePlugin } from '../types.js';

const BASIC = new Set(['cpu', 'memory', 'ephemeral-storage', 'pods']);

/** What insufficientResources answers for a node that fits (shared: it runs per node per pod). */
const FITS: { reasons: string[]; unresolvable: boolean } = Object.freeze({ reasons: Object.freeze([]) as unknown as string[], unresolvable: false });

/** fitsRequest: every resource the node lacks, and whether even an empty node would lack it. */
export function insufficientResources(pi: PodInfo, ni: NodeInfo): { reasons: string[]; unresolvable: boolean } {
  let reasons: string[] | undefined;
  let unresolvable = false;
  const alloc = ni.allocatable;
  if (ni.pods.length + 1 > alloc.pods) {
    (reasons ??= []).push('Too many pods');
    if (alloc.pods < 1) unresolvable = true;
  }
  const r = pi.requests;
  const cpu = r.cpu ?? 0;
  const mem = r.memory ?? 0;
  const eph = r['ephemeral-storage'] ?? 0;
  if (cpu > 0 && cpu > alloc.cpu - ni.requested.cpu) {
    (reasons ??= []).push('Insufficient cpu');
    if (cpu > alloc.cpu) unresolvable = true;
  }
  if (mem > 0 && mem > alloc.memory - ni.requested.memory) {
    (reasons ??= []).push('Insufficient memory');
    if (mem > alloc.memory) unresolvable = true;
  }
  if (eph > 0 && eph > alloc.ephemeralStorage - ni.requested.ephemeralStorage) {
    (reasons ??= []).push('Insufficient ephemeral-storage');
    if (eph > alloc.ephemeralStorage) unresolvable = true;
  }
  for (const name in r) {
    const v = r[name];
    if (BASIC.has(name) || v <= 0) continue;
    const a = alloc.scalar[name] ?? 0;
    if (v > a - (ni.requested.scalar[name] ?? 0)) {
      (reasons ??= []).push(`Insufficient ${name}`);
      if (v > a) unresolvable = true;
    }
  }
  return reasons ? { reasons, unresolvable } : FITS;
}

export class NodeResourcesFit implements PreFilterPlugin, FilterPlugin, ScorePlugin {
  readonly name = 'NodeResourcesFit';
  readonly weight = 1;

  preFilter(): { status?: MaybeStatus } {
    return {};
  }

  filter(_s: CycleState, pi: PodInfo, ni: NodeInfo): MaybeStatus {
    const { reasons, unresolvable } = insufficientResources(pi, ni);
    if (reasons.length === 0) return null;
    return unresolvable ? Status.unresolvable(...reasons) : Status.unschedulable(...reasons);
  }

  /** LeastAllocated over cpu and memory, weight 1 each, on non-zero requests. */
  score(_s: CycleState, pi: PodInfo, ni: NodeInfo): number {
    // Hot: runs for every feasible node of every pod, so no closures or allocations.
    let sum = 0;
    let weights = 0;
    const cpuAlloc = ni.allocatable.cpu;
    if (cpuAlloc !== 0) {
      const req = ni.nonZeroCpu + pi.nonZeroCpu;
      sum += req > cpuAlloc ? 0 : Math.trunc(((cpuAlloc - req) * MAX_NODE_SCORE) / cpuAlloc);
      weights++;
    }
    const memAlloc = ni.allocatable.memory;
    if (memAlloc !== 0) {
      const req = ni.nonZeroMemory + pi.nonZeroMemory;
      sum += req > memAlloc ? 0 : Math.trunc(((memAlloc - req) * MAX_NODE_SCORE) / memAlloc);
      weights++;
    }
    return weights === 0 ? 0 : Math.trunc(sum / weights);
  }
}

export class NodeResourcesBalancedAllocation implements ScorePlugin {
  readonly name = 'NodeResourcesBalancedAllocation';
  readonly weight = 1;

  score(_s: CycleState, pi: PodInfo, ni: NodeInfo): number {
    // cpu and memory only: with two fractions the standard deviation is half their distance.
    const cpuAlloc = ni.allocatable.cpu;
    const memAlloc = ni.allocatable.memory;
    if (cpuAlloc === 0 || memAlloc === 0) return MAX_NODE_SCORE;
    const fc = Math.min(1, (ni.requested.cpu + (pi.requests.cpu ?? 0)) / cpuAlloc);
    const fm = Math.min(1, (ni.requested.memory + (pi.requests.memory ?? 0)) / memAlloc);
    return Math.trunc((1 - Math.abs((fc - fm) / 2)) * MAX_NODE_SCORE);
  }
}
