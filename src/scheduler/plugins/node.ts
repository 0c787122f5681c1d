// The node-local filters of the default profile, each one question about one node:
// NodeUnschedulable, NodeName, TaintToleration, NodeAffinity and NodePorts (upstream
// pkg/scheduler/framework/plugins/{nodeunschedulable,nodename,tainttoleration,nodeaffinity,nodeports}).
import type { Toleration } from '../../api/objects.js';
import type { NodeInfo, PodInfo } from '../nodeinfo.js';
import { CycleState, defaultNormalizeScore, MAX_NODE_SCORE, Status, type FilterPlugin, type MaybeStatus, type Scores, type PreFilterPlugin, type PreFilterResult, type ScorePlugin } from '../types.js';
import { findUntoleratedTaint, tolerationsTolerateTaint } from '../../api/taints.js';
import { matchesRequiredNodeAffinity, preferredTermsScore, type NodeSelectorTerm, type PreferredSchedulingTerm } from '../../api/nodeaffinity.js';

export const ErrReasonUnschedulable = 'node(s) were unschedulable';
export const ErrReasonNodeName = "node(s) didn't match the requested node name";
export const ErrReasonPodNodeAffinity = "node(s) didn't match Pod's node affinity/selector";
export const ErrReasonNodeAffinityConflict = 'pod affinity terms conflict';
export const ErrReasonNodePorts = "node(s) didn't have free ports for the requested pod ports";

const UNSCHEDULABLE_TAINT = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

export class NodeUnschedulable implements FilterPlugin {
  readonly name = 'NodeUnschedulable';
  filter(_s: CycleState, pi: PodInfo, ni: NodeInfo): MaybeStatus {
    if (!ni.node?.spec?.unschedulable) return null;
    if (tolerationsTolerateTaint(pi.pod.spec?.tolerations, UNSCHEDULABLE_TAINT)) return null;
    return Status.unresolvable(ErrReasonUnschedulable);
  }
}

export class NodeName implements FilterPlugin {
  readonly name = 'NodeName';
  filter(_s: CycleState, pi: PodInfo, ni: NodeInfo): MaybeStatus {
    const want = pi.pod.spec?.nodeName;
    if (!want || want === ni.name) return null;
    return Status.unresolvable(ErrReasonNodeName);
  }
}

const TAINT_STATE = 'PreScoreTaintToleration';

export class TaintToleration implements FilterPlugin, ScorePlugin {
  readonly name = 'TaintToleration';
  readonly weight = 3;
  filter(_s: CycleState, pi: PodInfo, ni: NodeInfo): MaybeStatus {
    if (ni.hardTaints.length === 0) return null;
    const t = findUntoleratedTaint(ni.hardTaints, pi.pod.spec?.tolerations);
    if (!t) return null;
    return Status.unresolvable(`node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`);
  }
  preScore(state: CycleState, pi: PodInfo): MaybeStatus {
    const tols = (pi.pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
    state.write(TAINT_STATE, tols);
    return null;
  }
  score(state: CycleState, _pi: PodInfo, ni: NodeInfo): number {
    if (ni.softTaints.length === 0) return 0;
    const tols = state.read<Toleration[]>(TAINT_STATE) ?? [];
    let n = 0;
    for (const t of ni.softTaints) if (!tolerationsTolerateTaint(tols, t)) n++;
    return n;
  }
  normalize(_s: CycleState, _pi: PodInfo, _nodes: NodeInfo[], scores: Scores): void {
    defaultNormalizeScore(MAX_NODE_SCORE, true, scores);
  }
}

export class NodeAffinity implements PreFilterPlugin, FilterPlugin, ScorePlugin {
  readonly name = 'NodeAffinity';
  readonly weight = 2;

  preFilter(_s: CycleState, pi: PodInfo): { result?: PreFilterResult; status?: MaybeStatus } {
    const spec = pi.pod.spec;
    const required = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution as { nodeSelectorTerms?: NodeSelectorTerm[] } | undefined;
    if (!required && !spec?.nodeSelector) return { status: Status.skip() };
    const terms = required?.nodeSelectorTerms ?? [];
    if (terms.length === 0) return {};
    // Terms that pin metadata.name narrow the nodes to look at (upstream's PreFilterResult): a
    // term's In requirements on it intersect, the terms' names unite, and one term without any
    // lets every node through.
    let names: Set<string> | undefined;
    for (const t of terms) {
      let termNames: Set<string> | undefined;
      for (const f of t.matchFields ?? []) {
        if (f.key !== 'metadata.name' || f.operator !== 'In') continue;
        const these = new Set(f.values ?? []);
        termNames = termNames ? new Set([...termNames].filter((n) => these.has(n))) : these;
      }
      if (!termNames) return {};
      names ??= new Set();
      for (const n of termNames) names.add(n);
    }
    if (names && names.size === 0) return { status: Status.unresolvable(ErrReasonNodeAffinityConflict) };
    return names ? { result: { nodeNames: names } } : {};
  }

  filter(_s: CycleState, pi: PodInfo, ni: NodeInfo): MaybeStatus {
    if (matchesRequiredNodeAffinity(pi.pod.spec, ni.labels, ni.name)) return null;
    return Status.unresolvable(ErrReasonPodNodeAffinity);
  }

  preScore(_s: CycleState, pi: PodInfo): MaybeStatus {
    const pref = pi.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
    if (!pref || pref.length === 0) return Status.skip();
    return null;
  }

  score(_s: CycleState, pi: PodInfo, ni: NodeInfo): number {
    const pref = pi.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution as PreferredSchedulingTerm[] | undefined;
    return preferredTermsScore(pref, ni.labels, ni.name);
  }

  normalize(_s: CycleState, _pi: PodInfo, _nodes: NodeInfo[], scores: Scores): void {
    defaultNormalizeScore(MAX_NODE_SCORE, false, scores);
  }
}

export class NodePorts implements PreFilterPlugin, FilterPlugin {
  readonly name = 'NodePorts';
  preFilter(_s: CycleState, pi: PodInfo): { status?: MaybeStatus } {
    return pi.hostPorts.length === 0 ? { status: Status.skip() } : {};
  }
  filter(_s: CycleState, pi: PodInfo, ni: NodeInfo): MaybeStatus {
    if (ni.usedPorts.size === 0) return null;
    for (const hp of pi.hostPorts) {
      const wildcard = hp.hostIP === '0.0.0.0';
      for (const used of ni.usedPorts.keys()) {
        const [ip, proto, port] = used.split('/');
        if (proto !== hp.protocol || Number(port) !== hp.port) continue;
        if (wildcard || ip === '0.0.0.0' || ip === hp.hostIP) return Status.unschedulable(ErrReasonNodePorts);
      }
    }
    return null;
  }
}
