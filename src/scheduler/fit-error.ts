// Why a pod fits nowhere (upstream framework.Diagnosis and FitError.Error()): per-node statuses,
// a status for nodes not listed, the PreFilter and PostFilter messages, rendered as
// "0/6 nodes are available: 3 Insufficient cpu, 3 node(s) had untolerated taint {k: v}. preemption: ...".
import { Status } from './types.js';

export const NO_NODE_AVAILABLE_MSG = 'no nodes available to schedule pods';

export class Diagnosis {
  /** Nodes the filters rejected, with why. */
  readonly nodeToStatus = new Map<string, Status>();
  /** The status of every node not in nodeToStatus (PreFilter rejections, PreFilterResult). */
  absentStatus?: Status;
  readonly unschedulablePlugins = new Set<string>();
  preFilterMsg = '';
  postFilterMsg = '';
}

export class FitError extends Error {
  constructor(
    readonly numAllNodes: number,
    readonly diagnosis: Diagnosis,
  ) {
    super();
  }

  override get message(): string {
    return fitErrorMessage(this.numAllNodes, this.diagnosis);
  }
}

export function fitErrorMessage(numAllNodes: number, d: Diagnosis): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (d.preFilterMsg) {
    msg += ` ${d.preFilterMsg}.`;
  } else {
    const counts = new Map<string, number>();
    for (const st of d.nodeToStatus.values()) for (const r of st.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
    if (d.absentStatus && d.nodeToStatus.size < numAllNodes) {
      for (const r of d.absentStatus.reasons) counts.set(r, (counts.get(r) ?? 0) + numAllNodes - d.nodeToStatus.size);
    }
    // Go's sort.Strings: byte order of the whole "<count> <reason>" string.
    const parts = [...counts].map(([r, n]) => `${n} ${r}`).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (parts.length) msg += ` ${parts.join(', ')}.`;
  }
  if (d.postFilterMsg) msg += ` ${d.postFilterMsg}.`;
  return msg;
}
