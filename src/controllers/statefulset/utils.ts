// The StatefulSet's identity rules (stateful_set_utils.go): pods are "<set>-<ordinal>", carry their
// name and index as labels and their hostname/subdomain from the governing service; claims are
// "<template>-<set>-<ordinal>"; revisions are strategic-merge patches replacing spec.template; and the
// PVC retention policy is expressed as ownerReferences on each claim (set, pod, both or neither).
import type { OwnerReference } from '../../api/types.js';
import type { ControllerRevision, PersistentVolumeClaim, Pod, StatefulSet } from '../../api/objects.js';
import { isPodAvailable, isPodReady } from '../../api/pod.js';
import { scaledValue } from '../../api/intstr.js';
import { newControllerRef, type OwnerKind } from '../controller-ref-manager.js';
import { jsonClone } from '../history/history.js';

export const STATEFULSET_KIND: OwnerKind = { apiVersion: 'apps/v1', kind: 'StatefulSet' };
export const POD_KIND: OwnerKind = { apiVersion: 'v1', kind: 'Pod' };

/** apps.StatefulSetPodNameLabel. */
export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
/** apps.PodIndexLabel (PodIndexLabel, on by default since 1.28). */
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
/** apps.StatefulSetRevisionLabel (= ControllerRevisionHashLabelKey): the pod's revision name. */
export const REVISION_LABEL = 'controller-revision-hash';

type Claim = PersistentVolumeClaim;

const STATEFUL_POD_RE = /^(.*)-([0-9]+)$/;

/** getParentNameAndOrdinal: the set's name and the ordinal from "<set>-<n>"; ordinal -1 otherwise. */
export function parentNameAndOrdinal(pod: Pod): { parent: string; ordinal: number } {
  const m = STATEFUL_POD_RE.exec(pod.metadata.name ?? '');
  if (!m) return { parent: '', ordinal: -1 };
  const n = Number(m[2]);
  // strconv.ParseInt(s, 10, 32): anything past int32 is not an ordinal.
  return { parent: m[1], ordinal: n <= 2147483647 ? n : -1 };
}

export function getOrdinal(pod: Pod): number {
  return parentNameAndOrdinal(pod).ordinal;
}

export function replicasOf(set: StatefulSet): number {
  return set.spec?.replicas ?? 1;
}

/** spec.ordinals.start, or 0. */
export function startOrdinal(set: StatefulSet): number {
  return set.spec?.ordinals ? (set.spec.ordinals.start ?? 0) : 0;
}

/** The last ordinal the set keeps (inclusive). */
export function endOrdinal(set: StatefulSet): number {
  return startOrdinal(set) + replicasOf(set) - 1;
}

export function podInOrdinalRange(pod: Pod, set: StatefulSet): boolean {
  const o = getOrdinal(pod);
  return o >= startOrdinal(set) && o <= endOrdinal(set);
}

export function podName(set: StatefulSet, ordinal: number): string {
  return `${set.metadata.name}-${ordinal}`;
}

export function claimName(set: StatefulSet, template: Claim, ordinal: number): string {
  return `${template.metadata?.name}-${set.metadata.name}-${ordinal}`;
}

export function isMemberOf(set: StatefulSet, pod: Pod): boolean {
  return parentNameAndOrdinal(pod).parent === set.metadata.name;
}

/** identityMatches: name, namespace and the pod-name label agree with the set. */
export function identityMatches(set: StatefulSet, pod: Pod): boolean {
  const { parent, ordinal } = parentNameAndOrdinal(pod);
  return (
    ordinal >= 0 &&
    parent === set.metadata.name &&
    pod.metadata.name === podName(set, ordinal) &&
    pod.metadata.namespace === set.metadata.namespace &&
    pod.metadata.labels?.[POD_NAME_LABEL] === pod.metadata.name
  );
}

/** storageMatches: a volume per claim template, pointing at this ordinal's claim. */
export function storageMatches(set: StatefulSet, pod: Pod): boolean {
  const ordinal = getOrdinal(pod);
  if (ordinal < 0) return false;
  const volumes = new Map((pod.spec?.volumes ?? []).map((v) => [v.name, v]));
  for (const t of set.spec?.volumeClaimTemplates ?? []) {
    const v = volumes.get(t.metadata?.name ?? '');
    if (!v?.persistentVolumeClaim || v.persistentVolumeClaim.claimName !== claimName(set, t as Claim, ordinal)) return false;
  }
  return true;
}

/** getPersistentVolumeClaims: template name → the claim this pod needs (template labels + selector's matchLabels). */
export function persistentVolumeClaims(set: StatefulSet, pod: Pod): Map<string, Claim> {
  const ordinal = getOrdinal(pod);
  const out = new Map<string, Claim>();
  for (const t of set.spec?.volumeClaimTemplates ?? []) {
    const claim = jsonClone(t) as Claim;
    claim.apiVersion = 'v1';
    claim.kind = 'PersistentVolumeClaim';
    claim.metadata = { ...(claim.metadata ?? {}) };
    claim.metadata.name = claimName(set, t as Claim, ordinal);
    claim.metadata.namespace = set.metadata.namespace;
    claim.metadata.labels = { ...(claim.metadata.labels ?? {}), ...(set.spec?.selector?.matchLabels ?? {}) };
    delete claim.status;
    out.set(t.metadata?.name ?? '', claim);
  }
  return out;
}

/** updateStorage: the claims' volumes first, then the pod's other volumes. */
export function updateStorage(set: StatefulSet, pod: Pod): void {
  const claims = persistentVolumeClaims(set, pod);
  const volumes: NonNullable<NonNullable<Pod['spec']>['volumes']> = [];
  for (const [name, claim] of claims) volumes.push({ name, persistentVolumeClaim: { claimName: claim.metadata.name! } });
  for (const v of pod.spec?.volumes ?? []) if (!claims.has(v.name)) volumes.push(v);
  pod.spec!.volumes = volumes;
}

/** updateIdentity: name, namespace, pod-name and pod-index labels. */
export function updateIdentity(set: StatefulSet, pod: Pod): void {
  const ordinal = getOrdinal(pod);
  pod.metadata.name = podName(set, ordinal);
  pod.metadata.namespace = set.metadata.namespace;
  pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [POD_NAME_LABEL]: pod.metadata.name, [POD_INDEX_LABEL]: String(ordinal) };
}

/** initIdentity: updateIdentity plus the immutable hostname and subdomain, set at creation only. */
export function initIdentity(set: StatefulSet, pod: Pod): void {
  updateIdentity(set, pod);
  pod.spec!.hostname = pod.metadata.name;
  if (set.spec?.serviceName) pod.spec!.subdomain = set.spec.serviceName;
}

export const isCreated = (pod: Pod) => !!pod.status?.phase;
export const isPending = (pod: Pod) => pod.status?.phase === 'Pending';
export const isFailed = (pod: Pod) => pod.status?.phase === 'Failed';
export const isSucceeded = (pod: Pod) => pod.status?.phase === 'Succeeded';
export const isTerminating = (pod: Pod) => !!pod.metadata.deletionTimestamp;
export const isRunningAndReady = (pod: Pod) => pod.status?.phase === 'Running' && isPodReady(pod);
export const isRunningAndAvailable = (pod: Pod, minReadySeconds: number, nowMs: number) => isPodAvailable(pod, minReadySeconds, nowMs);
export const isHealthy = (pod: Pod) => isRunningAndReady(pod) && !isTerminating(pod);

/** Not healthy, or not yet ready for minReadySeconds. */
export function isUnavailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  return !isHealthy(pod) || !isRunningAndAvailable(pod, minReadySeconds, nowMs);
}

/** Parallel pod management lets the controller create and delete without waiting. */
export function allowsBurst(set: StatefulSet): boolean {
  return set.spec?.podManagementPolicy === 'Parallel';
}

export function getPodRevision(pod: Pod): string {
  return pod.metadata.labels?.[REVISION_LABEL] ?? '';
}

export function setPodRevision(pod: Pod, revision: string): void {
  pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [REVISION_LABEL]: revision };
}

/** controller.GetPodFromTemplate: the template's labels, annotations, finalizers and spec, owned by parent. */
export function podFromTemplate(template: NonNullable<StatefulSet['spec']>['template'], parent: StatefulSet, ref: OwnerReference): Pod {
  const t = jsonClone(template);
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${parent.metadata.name}-`,
      labels: { ...(t.metadata?.labels ?? {}) },
      ownerReferences: [ref],
    },
    spec: t.spec!,
  };
  if (t.metadata?.annotations) pod.metadata.annotations = { ...t.metadata.annotations };
  if (t.metadata?.finalizers) pod.metadata.finalizers = [...t.metadata.finalizers];
  return pod;
}

/** newStatefulSetPod: the template's pod with this ordinal's identity and storage. */
export function newStatefulSetPod(set: StatefulSet, ordinal: number): Pod {
  const pod = podFromTemplate(set.spec!.template, set, newControllerRef(set, STATEFULSET_KIND));
  pod.metadata.name = podName(set, ordinal);
  initIdentity(set, pod);
  updateStorage(set, pod);
  return pod;
}

/**
 * newVersionedStatefulSetPod: ordinals below the partition (or, with no rollingUpdate block, below
 * status.currentReplicas) are created at the current revision, the rest at the update revision. The
 * condition keeps upstream's operator precedence.
 */
export function newVersionedStatefulSetPod(currentSet: StatefulSet, updateSet: StatefulSet, currentRevision: string, updateRevision: string, ordinal: number): Pod {
  const us = currentSet.spec?.updateStrategy;
  const start = startOrdinal(currentSet);
  const atCurrent =
    (us?.type === 'RollingUpdate' && !us.rollingUpdate && ordinal < start + (currentSet.status?.currentReplicas ?? 0)) ||
    (!!us?.rollingUpdate && ordinal < start + (us.rollingUpdate.partition ?? 0));
  const pod = newStatefulSetPod(atCurrent ? currentSet : updateSet, ordinal);
  setPodRevision(pod, atCurrent ? currentRevision : updateRevision);
  return pod;
}

/** getPatch: the revision data, a strategic-merge patch replacing spec.template. */
export function getPatch(set: StatefulSet): { spec: { template: Record<string, unknown> } } {
  return { spec: { template: { ...(jsonClone(set.spec?.template) as Record<string, unknown>), $patch: 'replace' } } };
}

/** ApplyRevision: set with the revision's template. */
export function applyRevision(set: StatefulSet, revision: ControllerRevision): StatefulSet {
  const clone = jsonClone(set);
  const data = revision.data as { spec?: { template?: Record<string, unknown> } } | undefined;
  if (data?.spec?.template) {
    const { $patch: _replace, ...template } = jsonClone(data.spec.template);
    clone.spec!.template = template as NonNullable<StatefulSet['spec']>['template'];
  }
  return clone;
}

/** The fields of StatefulSetStatus the controller computes. */
export interface SetStatus {
  observedGeneration: number;
  replicas: number;
  readyReplicas: number;
  currentReplicas: number;
  updatedReplicas: number;
  availableReplicas: number;
  currentRevision: string;
  updateRevision: string;
  collisionCount: number;
}

/** inconsistentStatus: whether status differs from what the set records. */
export function inconsistentStatus(set: StatefulSet, status: SetStatus): boolean {
  const s = set.status;
  return (
    status.observedGeneration > (s?.observedGeneration ?? 0) ||
    status.replicas !== (s?.replicas ?? 0) ||
    status.currentReplicas !== (s?.currentReplicas ?? 0) ||
    status.readyReplicas !== (s?.readyReplicas ?? 0) ||
    status.updatedReplicas !== (s?.updatedReplicas ?? 0) ||
    status.currentRevision !== (s?.currentRevision ?? '') ||
    status.availableReplicas !== (s?.availableReplicas ?? 0) ||
    status.updateRevision !== (s?.updateRevision ?? '')
  );
}

/** completeRollingUpdate: once every replica is updated and ready, the update revision becomes current. */
export function completeRollingUpdate(set: StatefulSet, status: SetStatus): void {
  const replicas = replicasOf(set);
  if (set.spec?.updateStrategy?.type === 'RollingUpdate' && status.updatedReplicas === replicas && status.readyReplicas === replicas && status.replicas === replicas) {
    status.currentReplicas = status.updatedReplicas;
    status.currentRevision = status.updateRevision;
  }
}


/** getStatefulSetMaxUnavailable: default 1, percentages round down, never below 1. */
export function maxUnavailableOf(set: StatefulSet): number {
  const v = set.spec?.updateStrategy?.rollingUpdate?.maxUnavailable as number | string | undefined;
  return Math.max(1, v === undefined ? 1 : scaledValue(v, replicasOf(set), false));
}

// --- PVC retention policy as ownerReferences ------------------------------------------------------

export function retentionPolicy(set: StatefulSet): { whenDeleted: string; whenScaled: string } {
  const p = set.spec?.persistentVolumeClaimRetentionPolicy;
  return { whenDeleted: p?.whenDeleted ?? 'Retain', whenScaled: p?.whenScaled ?? 'Retain' };
}

function matchesRef(ref: OwnerReference, name: string | undefined, kind: OwnerKind): boolean {
  return ref.apiVersion === kind.apiVersion && ref.kind === kind.kind && ref.name === name;
}

/** hasUnexpectedController: with a non-Retain policy, another controller (or a stale us) owns the claim. */
export function hasUnexpectedController(claim: Claim, set: StatefulSet, pod: Pod): boolean {
  const p = retentionPolicy(set);
  if (p.whenScaled === 'Retain' && p.whenDeleted === 'Retain') return false;
  for (const ref of claim.metadata.ownerReferences ?? []) {
    if (matchesRef(ref, set.metadata.name, STATEFULSET_KIND)) {
      if (ref.uid !== set.metadata.uid) return true;
      continue;
    }
    if (matchesRef(ref, pod.metadata.name, POD_KIND)) {
      if (ref.uid !== pod.metadata.uid) return true;
      continue;
    }
    if (ref.controller) return true;
  }
  return false;
}

function hasNonControllerOwner(claim: Claim, set: StatefulSet, pod: Pod): boolean {
  return (claim.metadata.ownerReferences ?? []).some((r) => (r.uid === set.metadata.uid || r.uid === pod.metadata.uid) && !r.controller);
}

export function hasOwnerRef(target: { metadata: { ownerReferences?: OwnerReference[] } }, ownerUid: string | undefined): boolean {
  return (target.metadata.ownerReferences ?? []).some((r) => r.uid === ownerUid);
}

/** hasStaleOwnerRef: a reference by name and kind to obj, but with another uid. */
export function hasStaleOwnerRef(claim: Claim, obj: { metadata: { name?: string; uid?: string } }, kind: OwnerKind): boolean {
  for (const r of claim.metadata.ownerReferences ?? []) if (matchesRef(r, obj.metadata.name, kind)) return r.uid !== obj.metadata.uid;
  return false;
}

/**
 * isClaimOwnerUpToDate: Retain/Retain no refs; Retain/Delete (scaled/deleted) a set ref; Delete/Retain
 * a pod ref once the pod is scaled down; Delete/Delete a set ref, swapped for a pod ref on scale-down.
 */
export function isClaimOwnerUpToDate(claim: Claim, set: StatefulSet, pod: Pod): boolean {
  if (hasStaleOwnerRef(claim, set, STATEFULSET_KIND) || hasStaleOwnerRef(claim, pod, POD_KIND)) return true;
  if (hasUnexpectedController(claim, set, pod)) return !(hasOwnerRef(claim, set.metadata.uid) || hasOwnerRef(claim, pod.metadata.uid));
  if (hasNonControllerOwner(claim, set, pod)) return false;
  const p = retentionPolicy(set);
  const setRef = hasOwnerRef(claim, set.metadata.uid);
  const podRef = hasOwnerRef(claim, pod.metadata.uid);
  const scaledDown = !podInOrdinalRange(pod, set);
  if (p.whenScaled === 'Retain' && p.whenDeleted === 'Delete') return setRef && !podRef;
  if (p.whenScaled === 'Delete' && p.whenDeleted === 'Retain') return !setRef && scaledDown === podRef;
  if (p.whenScaled === 'Delete' && p.whenDeleted === 'Delete') return scaledDown !== setRef && scaledDown === podRef;
  return !setRef && !podRef;
}

/** updateClaimOwnerRefForSetAndPod: rewrites our references on claim to what the policy wants. */
export function updateClaimOwnerRefForSetAndPod(claim: Claim, set: StatefulSet, pod: Pod): void {
  const unexpected = hasUnexpectedController(claim, set, pod);
  let refs = (claim.metadata.ownerReferences ?? []).filter((r) => !matchesRef(r, set.metadata.name, STATEFULSET_KIND) && !matchesRef(r, pod.metadata.name, POD_KIND));
  const add = (owner: { metadata: { name?: string; uid?: string } }, kind: OwnerKind) => {
    if (refs.some((r) => r.uid === owner.metadata.uid)) return;
    refs = [...refs, newControllerRef(owner as Pod, kind)];
  };
  if (!unexpected) {
    const p = retentionPolicy(set);
    const scaledDown = !podInOrdinalRange(pod, set);
    if (p.whenScaled === 'Retain' && p.whenDeleted === 'Delete') add(set, STATEFULSET_KIND);
    else if (p.whenScaled === 'Delete' && p.whenDeleted === 'Retain') {
      if (scaledDown) add(pod, POD_KIND);
    } else if (p.whenScaled === 'Delete' && p.whenDeleted === 'Delete') {
      if (scaledDown) add(pod, POD_KIND);
      else add(set, STATEFULSET_KIND);
    }
  }
  claim.metadata.ownerReferences = refs;
}
