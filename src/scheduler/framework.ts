// The default profile (v1.32's default plugins and weights) and the scheduling algorithm of one
// cycle (upstream schedule_one.go: findNodesThatFitPod with the adaptive percentageOfNodesToScore
// and a round-robin start index, prioritizeNodes, selectHost).
import { Diagnosis, FitError, NO_NODE_AVAILABLE_MSG } from './fit-error.js';
import type { NodeInfo, PodInfo } from './nodeinfo.js';
import { InterPodAffinity } from './plugins/interpodaffinity.js';
import { NodeAffinity, NodeName, NodePorts, NodeUnschedulable, TaintToleration } from './plugins/node.js';
import { NodeResourcesBalancedAllocation, NodeResourcesFit } from './plugins/noderesources.js';
import { PodTopologySpread, type WorkloadListers } from './plugins/podtopologyspread.js';
import { VolumeBinding, VolumeZone, type VolumeListers } from './plugins/volumes.js';
import { Code, CycleState, Status, type FilterPlugin, type MaybeStatus, type Scores, type PreFilterPlugin, type ScorePlugin, type SnapshotLister } from './types.js';

const MIN_FEASIBLE_NODES_TO_FIND = 100;
const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/** numFeasibleNodesToFind: all nodes below 100, else percentage (adaptive 50 − nodes/125, ≥ 5%), at least 100. */
export function numFeasibleNodesToFind(percentage: number | undefined, numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let pct = percentage ?? 0;
  if (pct === 0) {
    pct = 50 - Math.trunc(numAllNodes / 125);
    if (pct < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) pct = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
  }
  const n = Math.trunc((numAllNodes * pct) / 100);
  return n < MIN_FEASIBLE_NODES_TO_FIND ? MIN_FEASIBLE_NODES_TO_FIND : n;
}

/** Pods nominated to a node (the queue's nominator). */
export interface Nominator {
  nominatedPodsForNode(nodeName: string): PodInfo[];
  readonly hasNominatedPods: boolean;
}

export interface ScheduleResult {
  node: NodeInfo;
  evaluatedNodes: number;
  feasibleNodes: number;
}

export class Framework {
  readonly volumeBinding: VolumeBinding;
  readonly preFilterPlugins: PreFilterPlugin[];
  readonly filterPlugins: FilterPlugin[];
  readonly scorePlugins: ScorePlugin[];
  private nextStartNodeIndex = 0;

  constructor(
    listers: WorkloadListers & VolumeListers,
    private readonly nominator: Nominator,
    private readonly percentageOfNodesToScore?: number,
  ) {
    const nodeUnschedulable = new NodeUnschedulable();
    const nodeName = new NodeName();
    const taints = new TaintToleration();
    const nodeAffinity = new NodeAffinity();
    const nodePorts = new NodePorts();
    const fit = new NodeResourcesFit();
    this.volumeBinding = new VolumeBinding(listers);
    const volumeZone = new VolumeZone(listers);
    const spread = new PodTopologySpread(listers);
    const interPod = new InterPodAffinity();
    const balanced = new NodeResourcesBalancedAllocation();
    this.preFilterPlugins = [nodeAffinity, nodePorts, fit, this.volumeBinding, volumeZone, spread, interPod];
    this.filterPlugins = [nodeUnschedulable, nodeName, taints, nodeAffinity, nodePorts, fit, this.volumeBinding, volumeZone, spread, interPod];
    this.scorePlugins = [taints, nodeAffinity, fit, spread, interPod, balanced];
  }

  /** RunPreFilterPlugins: the narrowed node set, or a rejection. */
  runPreFilter(state: CycleState, pi: PodInfo, snapshot: SnapshotLister, d: Diagnosis): { nodeNames?: Set<string>; narrowedBy: string[]; status: MaybeStatus } {
    let names: Set<string> | undefined;
    const narrowedBy: string[] = [];
    for (const p of this.preFilterPlugins) {
      const { result, status } = p.preFilter(state, pi, snapshot);
      if (status?.code === Code.Skip) {
        state.skipFilterPlugins.add(p.name);
        continue;
      }
      if (status && !status.isSuccess()) {
        status.withPlugin(p.name);
        if (status.isRejected()) d.unschedulablePlugins.add(p.name);
        return { narrowedBy, status };
      }
      if (result?.nodeNames) {
        narrowedBy.push(p.name);
        names = names ? new Set([...names].filter((n) => result.nodeNames!.has(n))) : new Set(result.nodeNames);
        if (names.size === 0) {
          const msg = narrowedBy.length === 1 ? `node(s) didn't satisfy plugin ${narrowedBy[0]}` : `node(s) didn't satisfy plugin(s) [${narrowedBy.join(' ')}] simultaneously`;
          return { narrowedBy, status: Status.unresolvable(msg).withPlugin(p.name) };
        }
      }
    }
    return { nodeNames: names, narrowedBy, status: null };
  }

  /** RunFilterPlugins: the first rejection. */
  runFilter(state: CycleState, pi: PodInfo, ni: NodeInfo): MaybeStatus {
    for (const p of this.filterPlugins) {
      if (state.skipFilterPlugins.size && state.skipFilterPlugins.has(p.name)) continue;
      const st = p.filter(state, pi, ni);
      if (st && !st.isSuccess()) return st.withPlugin(p.name);
    }
    return null;
  }

  /**
   * RunFilterPluginsWithNominatedPods: first as if pods nominated to the node with at least the
   * pod's priority were already there, then (if that passed and any were added) without them.
   */
  runFilterWithNominated(state: CycleState, pi: PodInfo, ni: NodeInfo): MaybeStatus {
    if (!this.nominator.hasNominatedPods) return this.runFilter(state, pi, ni);
    const nominated = this.nominator.nominatedPodsForNode(ni.name).filter((p) => p.key !== pi.key && p.priority >= pi.priority);
    if (nominated.length === 0) return this.runFilter(state, pi, ni);
    const s2 = state.clone();
    const n2 = ni.clone();
    for (const np of nominated) {
      n2.addPod(np);
      for (const p of this.preFilterPlugins) if (!s2.skipFilterPlugins.has(p.name)) p.addPod?.(s2, pi, np, n2);
    }
    const st = this.runFilter(s2, pi, n2);
    if (st && !st.isSuccess()) return st;
    return this.runFilter(state, pi, ni);
  }

  /**
   * schedulePod: throws FitError when no node fits, Error for anything else (including no nodes
   * at all).
   */
  schedulePod(state: CycleState, pi: PodInfo, snapshot: SnapshotLister): ScheduleResult {
    const all = snapshot.list();
    if (all.length === 0) throw new Error(NO_NODE_AVAILABLE_MSG);
    const { feasible, diagnosis } = this.findNodesThatFitPod(state, pi, snapshot);
    if (feasible.length === 0) throw new FitError(all.length, diagnosis);
    if (feasible.length === 1) return { node: feasible[0]!, evaluatedNodes: 1 + diagnosis.nodeToStatus.size, feasibleNodes: 1 };
    const scores = this.prioritizeNodes(state, pi, feasible, snapshot);
    return { node: feasible[selectHost(scores)]!, evaluatedNodes: feasible.length + diagnosis.nodeToStatus.size, feasibleNodes: feasible.length };
  }

  findNodesThatFitPod(state: CycleState, pi: PodInfo, snapshot: SnapshotLister): { feasible: NodeInfo[]; diagnosis: Diagnosis } {
    const d = new Diagnosis();
    const all = snapshot.list();
    const pre = this.runPreFilter(state, pi, snapshot, d);
    if (pre.status && !pre.status.isSuccess()) {
      if (!pre.status.isRejected()) throw pre.status.error instanceof Error ? pre.status.error : new Error(pre.status.message());
      d.absentStatus = pre.status;
      d.preFilterMsg = pre.status.message();
      return { feasible: [], diagnosis: d };
    }
    const nominated = pi.pod.status?.nominatedNodeName;
    if (nominated) {
      const ni = snapshot.get(nominated);
      if (ni && (!pre.nodeNames || pre.nodeNames.has(nominated))) {
        const st = this.runFilterWithNominated(state, pi, ni);
        if (!st) return { feasible: [ni], diagnosis: d };
      }
    }
    let nodes = all;
    if (pre.nodeNames) {
      nodes = [];
      for (const n of pre.nodeNames) {
        const ni = snapshot.get(n);
        if (ni) nodes.push(ni);
      }
      d.absentStatus = Status.unresolvable(`node(s) didn't satisfy plugin(s) [${pre.narrowedBy.join(' ')}]`);
    }
    const feasible = this.findNodesThatPassFilters(state, pi, d, nodes, all.length);
    return { feasible, diagnosis: d };
  }

  private findNodesThatPassFilters(state: CycleState, pi: PodInfo, d: Diagnosis, nodes: NodeInfo[], numAll: number): NodeInfo[] {
    const n = nodes.length;
    const want = numFeasibleNodesToFind(this.percentageOfNodesToScore, n);
    const feasible: NodeInfo[] = [];
    if (n === 0) return feasible;
    const start = this.nextStartNodeIndex % n;
    let processed = 0;
    for (let i = 0; i < n && feasible.length < want; i++) {
      const ni = nodes[(start + i) % n]!;
      processed++;
      const st = this.runFilterWithNominated(state, pi, ni);
      if (!st) {
        feasible.push(ni);
        continue;
      }
      if (!st.isRejected()) throw st.error instanceof Error ? st.error : new Error(st.message());
      d.nodeToStatus.set(ni.name, st);
      d.unschedulablePlugins.add(st.plugin);
    }
    this.nextStartNodeIndex = (this.nextStartNodeIndex + processed) % Math.max(1, numAll);
    return feasible;
  }

  /** The weighted sum of every score plugin's normalized scores, index-aligned with nodes. */
  prioritizeNodes(state: CycleState, pi: PodInfo, nodes: NodeInfo[], snapshot: SnapshotLister): Scores {
    const n = nodes.length;
    const totals = new Float64Array(n);
    const scores = new Float64Array(n);
    for (const p of this.scorePlugins) {
      if (p.preScore) {
        const st = p.preScore(state, pi, nodes, snapshot);
        if (st?.code === Code.Skip) continue;
        if (st && !st.isSuccess()) throw st.error instanceof Error ? st.error : new Error(st.message());
      }
      for (let i = 0; i < n; i++) scores[i] = p.score(state, pi, nodes[i]!);
      p.normalize?.(state, pi, nodes, scores);
      const w = p.weight;
      for (let i = 0; i < n; i++) totals[i] += scores[i]! * w;
    }
    return totals;
  }
}

/** selectHost: the index of the highest total, ties broken uniformly at random (reservoir sampling). */
export function selectHost(scores: Scores): number {
  let best = 0;
  let ties = 1;
  for (let i = 1; i < scores.length; i++) {
    if (scores[i]! > scores[best]!) {
      best = i;
      ties = 1;
    } else if (scores[i] === scores[best]) {
      ties++;
      if (Math.random() * ties < 1) best = i;
    }
  }
  return best;
}
