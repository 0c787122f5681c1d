// DefaultPreemption (upstream plugins/defaultpreemption and framework/preemption): when no node
// fits, find nodes where evicting lower-priority pods would make room (dry runs on copies of the
// node and the cycle state), prefer candidates that violate no PodDisruptionBudget, then the
// lowest and fewest victims, then the most recently started; mark the victims DisruptionTarget,
// delete them, and nominate the node for the preemptor.
import type { Pod, PodDisruptionBudget } from '../api/objects.js';
import { getPodCondition } from '../api/pod.js';
import { matches, selectorFromLabelSelector, type LabelSelectorSpec } from '../apimachinery/labels.js';
import { Diagnosis, fitErrorMessage } from './fit-error.js';
import type { Framework } from './framework.js';
import type { NodeInfo, PodInfo } from './nodeinfo.js';
import { Code, CycleState, Status, type SnapshotLister } from './types.js';

const MIN_CANDIDATE_NODES_PERCENTAGE = 10;
const MIN_CANDIDATE_NODES_ABSOLUTE = 100;
const MAX_INT32 = 2 ** 31 - 1;

export interface Candidate {
  node: NodeInfo;
  victims: PodInfo[];
  numPDBViolations: number;
}

export interface PostFilterResult {
  /** Set the pod's nominatedNodeName to this ("" clears it); undefined leaves it. */
  nominatedNodeName?: string;
  status: Status;
}

export interface PreemptionDeps {
  framework: Framework;
  pdbs(): PodDisruptionBudget[];
  /** The latest preemptor from the informer cache. */
  currentPod(pi: PodInfo): Pod | undefined;
  /** Marks a victim DisruptionTarget, deletes it and records the Preempted event. */
  preemptVictim(preemptor: Pod, victim: Pod, nodeName: string): Promise<void>;
  /** Clears nominatedNodeName of lower-priority pods nominated to the node. */
  clearNominated(pods: PodInfo[]): Promise<void>;
  nominatedPodsForNode(nodeName: string): PodInfo[];
  random?: () => number;
}

function podTerminatingByPreemption(p: Pod): boolean {
  if (!p.metadata.deletionTimestamp) return false;
  const c = getPodCondition(p, 'DisruptionTarget');
  return c?.status === 'True' && c.reason === 'PreemptionByScheduler';
}

function startTime(p: PodInfo): number {
  const s = p.pod.status?.startTime ?? p.pod.metadata.creationTimestamp;
  return s ? Date.parse(s) : 0;
}

/** MoreImportantPod: higher priority, then the one that started earlier. */
function moreImportant(a: PodInfo, b: PodInfo): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  return startTime(a) - startTime(b);
}

export class DefaultPreemption {
  readonly name = 'DefaultPreemption';
  constructor(private readonly deps: PreemptionDeps) {}

  /** PodEligibleToPreemptOthers. */
  eligible(pod: Pod, pi: PodInfo, nominatedStatus: Status | undefined, snapshot: SnapshotLister): string | undefined {
    if (pod.spec?.preemptionPolicy === 'Never') return 'not eligible due to preemptionPolicy=Never.';
    const nominated = pod.status?.nominatedNodeName;
    if (nominated) {
      if (nominatedStatus?.code === Code.UnschedulableAndUnresolvable) return undefined;
      const ni = snapshot.get(nominated);
      if (ni) for (const p of ni.pods) if (p.priority < pi.priority && podTerminatingByPreemption(p.pod)) return 'not eligible due to a terminating pod on the nominated node.';
    }
    return undefined;
  }

  async postFilter(state: CycleState, pi: PodInfo, d: Diagnosis, snapshot: SnapshotLister): Promise<PostFilterResult> {
    const r = await this.preempt(state, pi, d, snapshot);
    const msg = r.status.message();
    if (msg) return { ...r, status: new Status(r.status.code, [`preemption: ${msg}`]) };
    return r;
  }

  private async preempt(state: CycleState, pi0: PodInfo, d: Diagnosis, snapshot: SnapshotLister): Promise<PostFilterResult> {
    const pod = this.deps.currentPod(pi0);
    if (!pod) return { status: Status.asStatus(new Error(`pod "${pi0.key}" not found`)) };
    const pi = pi0.withPod(pod);
    const nominatedStatus = pod.status?.nominatedNodeName ? this.statusOf(d, pod.status.nominatedNodeName) : undefined;
    const notEligible = this.eligible(pod, pi, nominatedStatus, snapshot);
    if (notEligible) return { status: Status.unschedulable(notEligible) };

    const all = snapshot.list();
    const potential = all.filter((ni) => this.statusOf(d, ni.name)?.code === Code.Unschedulable);
    const dry = new Diagnosis();
    let candidates: Candidate[] = [];
    if (potential.length) {
      const pdbs = this.deps.pdbs();
      const offset = Math.floor((this.deps.random ?? Math.random)() * potential.length);
      let numCandidates = Math.trunc((potential.length * MIN_CANDIDATE_NODES_PERCENTAGE) / 100);
      if (numCandidates < MIN_CANDIDATE_NODES_ABSOLUTE) numCandidates = MIN_CANDIDATE_NODES_ABSOLUTE;
      if (numCandidates > potential.length) numCandidates = potential.length;
      const nonViolating: Candidate[] = [];
      const violating: Candidate[] = [];
      for (let i = 0; i < potential.length; i++) {
        const ni = potential[(offset + i) % potential.length]!;
        const { victims, numPDBViolations, status } = this.selectVictimsOnNode(state, pi, ni, pdbs);
        if (!status && victims.length) {
          (numPDBViolations === 0 ? nonViolating : violating).push({ node: ni, victims, numPDBViolations });
          if (nonViolating.length > 0 && nonViolating.length + violating.length >= numCandidates) break;
          continue;
        }
        dry.nodeToStatus.set(ni.name, status ?? Status.asStatus(new Error(`expected at least one victim pod on node "${ni.name}"`)));
      }
      candidates = [...nonViolating, ...violating];
    }
    if (candidates.length === 0) {
      dry.absentStatus = Status.unresolvable('Preemption is not helpful for scheduling');
      return { nominatedNodeName: '', status: Status.unschedulable(fitErrorMessage(all.length, dry)) };
    }
    const best = pickOneNodeForPreemption(candidates);
    await Promise.all(best.victims.map((v) => this.deps.preemptVictim(pod, v.pod, best.node.name)));
    const lower = this.deps.nominatedPodsForNode(best.node.name).filter((p) => p.priority < pi.priority && p.key !== pi.key);
    if (lower.length) await this.deps.clearNominated(lower);
    return { nominatedNodeName: best.node.name, status: new Status(Code.Success) };
  }

  private statusOf(d: Diagnosis, node: string): Status | undefined {
    return d.nodeToStatus.get(node) ?? d.absentStatus;
  }

  /** SelectVictimsOnNode: the fewest, least important pods whose removal lets pi fit. */
  selectVictimsOnNode(state0: CycleState, pi: PodInfo, ni0: NodeInfo, pdbs: PodDisruptionBudget[]): { victims: PodInfo[]; numPDBViolations: number; status?: Status } {
    const fw = this.deps.framework;
    const state = state0.clone();
    const ni = ni0.clone();
    const remove = (p: PodInfo) => {
      ni.removePod(p.key);
      for (const pl of fw.preFilterPlugins) if (!state.skipFilterPlugins.has(pl.name)) pl.removePod?.(state, pi, p, ni);
    };
    const add = (p: PodInfo) => {
      ni.addPod(p);
      for (const pl of fw.preFilterPlugins) if (!state.skipFilterPlugins.has(pl.name)) pl.addPod?.(state, pi, p, ni);
    };
    const potential = ni.pods.filter((p) => p.priority < pi.priority);
    if (potential.length === 0) return { victims: [], numPDBViolations: 0, status: Status.unresolvable('No preemption victims found for incoming pod') };
    for (const p of potential) remove(p);
    const st = fw.runFilterWithNominated(state, pi, ni);
    if (st) return { victims: [], numPDBViolations: 0, status: st };
    potential.sort(moreImportant);
    const { violating, nonViolating } = filterPodsWithPDBViolation(potential, pdbs);
    const victims: PodInfo[] = [];
    let numPDBViolations = 0;
    const reprieve = (p: PodInfo): boolean => {
      add(p);
      if (!fw.runFilterWithNominated(state, pi, ni)) return true;
      remove(p);
      victims.push(p);
      return false;
    };
    for (const p of violating) if (!reprieve(p)) numPDBViolations++;
    for (const p of nonViolating) reprieve(p);
    victims.sort(moreImportant);
    return { victims, numPDBViolations };
  }
}

/** filterPodsWithPDBViolation: pods whose eviction a PDB would not allow come first. */
function filterPodsWithPDBViolation(pods: PodInfo[], pdbs: PodDisruptionBudget[]): { violating: PodInfo[]; nonViolating: PodInfo[] } {
  const allowed = pdbs.map((p) => p.status?.disruptionsAllowed ?? 0);
  const violating: PodInfo[] = [];
  const nonViolating: PodInfo[] = [];
  for (const p of pods) {
    let violates = false;
    pdbs.forEach((pdb, i) => {
      if ((pdb.metadata.namespace ?? '') !== (p.pod.metadata.namespace ?? '')) return;
      const sel = selectorFromLabelSelector((pdb.spec?.selector ?? null) as LabelSelectorSpec | null);
      if (sel.requirements.length === 0 || !matches(sel, p.pod.metadata.labels)) return;
      if (pdb.status?.disruptedPods?.[p.pod.metadata.name ?? '']) return;
      allowed[i]!--;
      if (allowed[i]! < 0) violates = true;
    });
    (violates ? violating : nonViolating).push(p);
  }
  return { violating, nonViolating };
}

/** pickOneNodeForPreemption's criteria, in upstream's order. */
export function pickOneNodeForPreemption(cands: Candidate[]): Candidate {
  const narrow = (list: Candidate[], key: (c: Candidate) => number, pickMax = false): Candidate[] => {
    let bestV = pickMax ? -Infinity : Infinity;
    let best: Candidate[] = [];
    for (const c of list) {
      const v = key(c);
      if (pickMax ? v > bestV : v < bestV) {
        bestV = v;
        best = [c];
      } else if (v === bestV) best.push(c);
    }
    return best;
  };
  let list = narrow(cands, (c) => c.numPDBViolations);
  if (list.length > 1) list = narrow(list, (c) => c.victims[0]?.priority ?? 0);
  if (list.length > 1) list = narrow(list, (c) => c.victims.reduce((s, v) => s + v.priority + MAX_INT32 + 1, 0));
  if (list.length > 1) list = narrow(list, (c) => c.victims.length);
  if (list.length > 1) {
    list = narrow(
      list,
      (c) => {
        const top = c.victims[0]?.priority ?? 0;
        let earliest = Infinity;
        for (const v of c.victims) if (v.priority === top) earliest = Math.min(earliest, startTime(v));
        return earliest;
      },
      true,
    );
  }
  return list[0]!;
}
