// VolumeBinding and VolumeZone (upstream plugins/volumebinding and plugins/volumezone). PreFilter
// sorts a pod's claims into bound, unbound WaitForFirstConsumer (bound here, at scheduling time)
// and unbound Immediate (rejected: the PV controller binds those first); Filter checks bound PVs'
// node affinity, a matching static PV or the class's allowedTopologies; PreBind writes the
// decision (selected-node on claims to provision, claimRef on static PVs) and waits for the binder.
import type { PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from '../../api/objects.js';
import { parseQuantity, value } from '../../apimachinery/quantity.js';
import type { NodeInfo, PodInfo } from '../nodeinfo.js';
import { CycleState, Status, type FilterPlugin, type MaybeStatus, type PreFilterPlugin } from '../types.js';
import { nodeSelectorTermsMatch, type NodeSelectorTerm } from '../../api/nodeaffinity.js';

export const ErrReasonBindConflict = "node(s) didn't find available persistent volumes to bind";
export const ErrReasonNodeConflict = 'node(s) had volume node affinity conflict';
export const ErrReasonPVNotExist = 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)';
export const ErrReasonUnboundImmediate = 'pod has unbound immediate PersistentVolumeClaims';
export const ErrReasonNoVolumeZone = 'node(s) had no available volume zone';

export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
const NO_PROVISIONER = 'kubernetes.io/no-provisioner';

export interface VolumeListers {
  pvc(ns: string, name: string): PersistentVolumeClaim | undefined;
  pv(name: string): PersistentVolume | undefined;
  pvs(): PersistentVolume[];
  storageClass(name: string): StorageClass | undefined;
}

/** The claim names a pod uses, generic ephemeral volumes included ("<pod>-<volume>"). */
export function podClaimNames(pod: Pod): string[] {
  return podClaims(pod).map((c) => c.name);
}

function podClaims(pod: Pod): { name: string; ephemeral: boolean }[] {
  const out: { name: string; ephemeral: boolean }[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    if (v.persistentVolumeClaim?.claimName) out.push({ name: v.persistentVolumeClaim.claimName, ephemeral: false });
    else if (v.ephemeral) out.push({ name: `${pod.metadata.name}-${v.name}`, ephemeral: true });
  }
  return out;
}

function claimClass(pvc: PersistentVolumeClaim): string {
  return pvc.spec?.storageClassName ?? '';
}

interface ClaimsState {
  bound: PersistentVolumeClaim[];
  toBind: PersistentVolumeClaim[];
}

/** What binding a pod's unbound claims on one node takes. */
export interface PodVolumes {
  staticBindings: { pvc: PersistentVolumeClaim; pv: PersistentVolume }[];
  provisions: PersistentVolumeClaim[];
}

const PRE_FILTER = 'PreFilterVolumeBinding';
const RESERVED = 'ReservedVolumeBinding';

function pvNodeAffinityMatches(pv: PersistentVolume, ni: NodeInfo): boolean {
  const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms as NodeSelectorTerm[] | undefined;
  if (!terms) return true;
  return nodeSelectorTermsMatch(terms, ni.labels, ni.name);
}

function requestBytes(pvc: PersistentVolumeClaim): number {
  const q = (pvc.spec?.resources?.requests as Record<string, string> | undefined)?.storage;
  try {
    return q ? value(parseQuantity(q)) : 0;
  } catch {
    return 0;
  }
}

function allowedTopologiesMatch(sc: StorageClass, labels: Record<string, string>): boolean {
  const terms = sc.allowedTopologies ?? [];
  if (terms.length === 0) return true;
  for (const t of terms) {
    const exprs = t.matchLabelExpressions ?? [];
    if (exprs.every((e) => labels[e.key] !== undefined && e.values.includes(labels[e.key]!))) return true;
  }
  return false;
}

export class VolumeBinding implements PreFilterPlugin, FilterPlugin {
  readonly name = 'VolumeBinding';

  constructor(private readonly listers: VolumeListers) {}

  preFilter(state: CycleState, pi: PodInfo): { status?: MaybeStatus } {
    const claims = podClaims(pi.pod);
    if (claims.length === 0) return { status: Status.skip() };
    const ns = pi.pod.metadata.namespace ?? '';
    const s: ClaimsState = { bound: [], toBind: [] };
    let immediate = false;
    for (const { name, ephemeral } of claims) {
      const pvc = this.listers.pvc(ns, name);
      if (!pvc && ephemeral) return { status: Status.unresolvable(`waiting for ephemeral volume controller to create the persistentvolumeclaim "${name}"`) };
      if (!pvc) return { status: Status.unresolvable(`persistentvolumeclaim "${name}" not found`) };
      if (pvc.metadata.deletionTimestamp) return { status: Status.unresolvable(`persistentvolumeclaim "${name}" is being deleted`) };
      if (pvc.spec?.volumeName) {
        s.bound.push(pvc);
        continue;
      }
      const sc = this.listers.storageClass(claimClass(pvc));
      if (sc?.volumeBindingMode === 'WaitForFirstConsumer') s.toBind.push(pvc);
      else immediate = true;
    }
    if (immediate) return { status: Status.unresolvable(ErrReasonUnboundImmediate) };
    state.write(PRE_FILTER, s);
    return {};
  }

  filter(state: CycleState, _pi: PodInfo, ni: NodeInfo): MaybeStatus {
    const s = state.read<ClaimsState>(PRE_FILTER);
    if (!s) return null;
    const reasons = new Set<string>();
    for (const pvc of s.bound) {
      const pv = this.listers.pv(pvc.spec!.volumeName!);
      if (!pv) return Status.unresolvable(ErrReasonPVNotExist);
      if (!pvNodeAffinityMatches(pv, ni)) reasons.add(ErrReasonNodeConflict);
    }
    if (s.toBind.length && !this.podVolumesFor(s.toBind, ni)) reasons.add(ErrReasonBindConflict);
    return reasons.size ? Status.unresolvable(...reasons) : null;
  }

  /** How the unbound claims would bind on ni, or undefined if they cannot. */
  private podVolumesFor(claims: PersistentVolumeClaim[], ni: NodeInfo): PodVolumes | undefined {
    const out: PodVolumes = { staticBindings: [], provisions: [] };
    const taken = new Set<string>();
    for (const pvc of claims) {
      const selected = pvc.metadata.annotations?.[ANN_SELECTED_NODE];
      if (selected && selected !== ni.name) return undefined;
      const pv = this.matchingPV(pvc, ni, taken);
      if (pv) {
        taken.add(pv.metadata.name!);
        out.staticBindings.push({ pvc, pv });
        continue;
      }
      const sc = this.listers.storageClass(claimClass(pvc));
      if (!sc || !sc.provisioner || sc.provisioner === NO_PROVISIONER) return undefined;
      if (!allowedTopologiesMatch(sc, ni.labels)) return undefined;
      out.provisions.push(pvc);
    }
    return out;
  }

  // The smallest available PV of the claim's class that is big enough, offers the access modes
  // and can be reached from the node (pvutil.FindMatchingVolume, simplified to what EBS uses).
  private matchingPV(pvc: PersistentVolumeClaim, ni: NodeInfo, taken: Set<string>): PersistentVolume | undefined {
    const want = requestBytes(pvc);
    const modes = pvc.spec?.accessModes ?? [];
    let best: PersistentVolume | undefined;
    let bestSize = Infinity;
    for (const pv of this.listers.pvs()) {
      if (taken.has(pv.metadata.name!) || pv.metadata.deletionTimestamp) continue;
      if ((pv.spec?.storageClassName ?? '') !== claimClass(pvc)) continue;
      const ref = pv.spec?.claimRef;
      if (ref && !(ref.namespace === pvc.metadata.namespace && ref.name === pvc.metadata.name)) continue;
      if (!ref && pv.status?.phase && pv.status.phase !== 'Available') continue;
      const cap = (pv.spec?.capacity as Record<string, string> | undefined)?.storage;
      let size = 0;
      try {
        size = cap ? value(parseQuantity(cap)) : 0;
      } catch {
        continue;
      }
      if (size < want) continue;
      if (!modes.every((m) => pv.spec?.accessModes?.includes(m))) continue;
      if (!pvNodeAffinityMatches(pv, ni)) continue;
      if (size < bestSize) {
        best = pv;
        bestSize = size;
      }
    }
    return best;
  }

  /** Reserve: decides the bindings for the chosen node. */
  reserve(state: CycleState, ni: NodeInfo): MaybeStatus {
    const s = state.read<ClaimsState>(PRE_FILTER);
    if (!s || s.toBind.length === 0) return null;
    const pv = this.podVolumesFor(s.toBind, ni);
    if (!pv) return Status.unresolvable(ErrReasonBindConflict);
    state.write(RESERVED, pv);
    return null;
  }

  reserved(state: CycleState): PodVolumes | undefined {
    return state.read<PodVolumes>(RESERVED);
  }
}

/** A claim the binder has finished with. */
export function claimBound(pvc: PersistentVolumeClaim | undefined): boolean {
  if (!pvc?.spec?.volumeName) return false;
  return pvc.status?.phase === 'Bound' || pvc.metadata.annotations?.[ANN_BIND_COMPLETED] !== undefined;
}

const ZONE_LABELS = ['topology.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/zone'];
const REGION_LABELS = ['topology.kubernetes.io/region', 'failure-domain.beta.kubernetes.io/region'];
const PRE_FILTER_ZONE = 'PreFilterVolumeZone';

export class VolumeZone implements PreFilterPlugin, FilterPlugin {
  readonly name = 'VolumeZone';

  constructor(private readonly listers: VolumeListers) {}

  preFilter(state: CycleState, pi: PodInfo): { status?: MaybeStatus } {
    const names = podClaimNames(pi.pod);
    const topologies: { keys: string[]; values: Set<string> }[] = [];
    const ns = pi.pod.metadata.namespace ?? '';
    for (const name of names) {
      const pvc = this.listers.pvc(ns, name);
      const pvName = pvc?.spec?.volumeName;
      if (!pvName) continue;
      const pv = this.listers.pv(pvName);
      for (const keys of [ZONE_LABELS, REGION_LABELS]) {
        for (const k of keys) {
          const v = pv?.metadata.labels?.[k];
          if (v) topologies.push({ keys, values: new Set(v.split('__')) });
        }
      }
    }
    if (topologies.length === 0) return { status: Status.skip() };
    state.write(PRE_FILTER_ZONE, topologies);
    return {};
  }

  filter(state: CycleState, _pi: PodInfo, ni: NodeInfo): MaybeStatus {
    const topologies = state.read<{ keys: string[]; values: Set<string> }[]>(PRE_FILTER_ZONE);
    if (!topologies) return null;
    for (const t of topologies) {
      const v = ni.labels[t.keys[0]!] ?? ni.labels[t.keys[1]!];
      if (v === undefined || !t.values.has(v)) return Status.unresolvable(ErrReasonNoVolumeZone);
    }
    return null;
  }
}

