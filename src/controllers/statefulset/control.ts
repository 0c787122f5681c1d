// defaultStatefulSetControl (stateful_set_control.go): one pass over a set and its pods. It finds or
// creates the update revision, builds the replica slots [start, start+replicas) and the condemned
// pods beyond them, then, in OrderedReady mode, walks the slots in order stopping at the first pod
// that is missing (created now), not Running and Ready, or not yet available; scales down from the
// highest ordinal; and rolls pods at ordinals >= partition from the highest down, one at a time (or
// maxUnavailable at a time). Parallel mode does the same without waiting.
import type { ControllerRevision, Pod, StatefulSet } from '../../api/objects.js';
import { selectorFromLabelSelector } from '../../apimachinery/labels.js';
import type { Logger } from '../../client/informer.js';
import { isConflict, isNotFound, type ResourceClient } from '../../client/rest.js';
import type { Clock } from '../../sim/clock.js';
import { ControllerHistory, findEqualRevisions, equalRevision, newControllerRevision, nextRevision, sortControllerRevisions, jsonClone } from '../history/history.js';
import { aggregate, PodNotYetObserved, type StatefulPodControl } from './pod-control.js';
import {
  allowsBurst,
  applyRevision,
  completeRollingUpdate,
  endOrdinal,
  getOrdinal,
  getPatch,
  getPodRevision,
  identityMatches,
  inconsistentStatus,
  isCreated,
  isFailed,
  isPending,
  isRunningAndAvailable,
  isRunningAndReady,
  isSucceeded,
  isTerminating,
  isUnavailable,
  maxUnavailableOf,
  newVersionedStatefulSetPod,
  podInOrdinalRange,
  replicasOf,
  startOrdinal,
  STATEFULSET_KIND,
  storageMatches,
  type SetStatus,
} from './utils.js';

/** The most requests one slow-start batch sends at once (MaxBatchSize). */
const MAX_BATCH_SIZE = 500;

export interface StatefulSetControlConfig {
  podControl: StatefulPodControl;
  history: ControllerHistory;
  sets: ResourceClient<StatefulSet>;
  clock: Clock;
  log: Logger;
  /** MaxUnavailableStatefulSet: honour rollingUpdate.maxUnavailable (alpha upstream; skiff's default on). */
  maxUnavailable: boolean;
}

export class StatefulSetControl {
  constructor(private readonly c: StatefulSetControlConfig) {}

  /** The revisions of set: selected by its selector and controlled by it or by nobody. */
  listRevisions(set: StatefulSet): ControllerRevision[] {
    return this.c.history.listControllerRevisions(set, selectorFromLabelSelector(set.spec?.selector));
  }

  async adoptOrphanRevisions(set: StatefulSet, revisions: ControllerRevision[]): Promise<void> {
    for (const r of revisions) await this.c.history.adoptControllerRevision(set, STATEFULSET_KIND, r);
  }

  /** UpdateStatefulSet: one reconcile pass, then revision history truncation. Returns the status written. */
  async updateStatefulSet(original: StatefulSet, pods: Pod[]): Promise<SetStatus | undefined> {
    const set = jsonClone(original);
    const revisions = sortControllerRevisions(this.listRevisions(set));
    let current: ControllerRevision | undefined;
    let update: ControllerRevision | undefined;
    let status: SetStatus | undefined;
    let err: unknown;
    try {
      const revs = await this.getStatefulSetRevisions(set, revisions);
      current = revs.current;
      update = revs.update;
      let updateErr: unknown;
      try {
        status = await this.reconcile(set, revs.current, revs.update, revs.collisionCount, pods);
      } catch (e) {
        updateErr = e;
        status = (e as { status?: SetStatus }).status;
      }
      if (status) {
        let statusErr: unknown;
        try {
          await this.updateStatefulSetStatus(set, status);
        } catch (e) {
          statusErr = e;
          if (updateErr) this.c.log(`statefulset-controller: could not update status of ${set.metadata.namespace}/${set.metadata.name}`, e);
        }
        err = updateErr ?? statusErr;
      } else {
        err = updateErr;
      }
    } catch (e) {
      err = e;
    }
    let truncErr: unknown;
    try {
      await this.truncateHistory(set, pods, revisions, current, update);
    } catch (e) {
      truncErr = e;
    }
    if (err) throw aggregate(truncErr ? [err, truncErr] : [err]);
    if (truncErr) throw truncErr;
    return status;
  }

  /** truncateHistory: deletes the oldest revisions no pod, current or update revision uses, beyond the limit. */
  private async truncateHistory(set: StatefulSet, pods: Pod[], revisions: ControllerRevision[], current?: ControllerRevision, update?: ControllerRevision): Promise<void> {
    const live = new Set<string>();
    if (current) live.add(current.metadata.name!);
    if (update) live.add(update.metadata.name!);
    for (const p of pods) live.add(getPodRevision(p));
    const history = revisions.filter((r) => !live.has(r.metadata.name!));
    const limit = set.spec?.revisionHistoryLimit ?? 10;
    if (limit < 0 || history.length <= limit) return;
    for (const r of history.slice(0, history.length - limit)) await this.c.history.deleteControllerRevision(r);
  }

  /**
   * getStatefulSetRevisions: the update revision is the newest revision when it equals the set's
   * template, an older equal one renumbered (a rollback), or a new one; the current revision is the
   * one status.currentRevision names, else the update revision.
   */
  private async getStatefulSetRevisions(
    set: StatefulSet,
    revisions: ControllerRevision[],
  ): Promise<{ current: ControllerRevision; update: ControllerRevision; collisionCount: number }> {
    let collisionCount = set.status?.collisionCount ?? 0;
    let update = newRevision(set, nextRevision(revisions), collisionCount);
    const equal = findEqualRevisions(revisions, update);
    if (equal.length > 0 && equalRevision(revisions[revisions.length - 1], equal[equal.length - 1])) {
      update = revisions[revisions.length - 1];
    } else if (equal.length > 0) {
      update = await this.c.history.updateControllerRevision(equal[equal.length - 1], update.revision);
    } else {
      const created = await this.c.history.createControllerRevision(set, update, collisionCount);
      update = created.revision;
      collisionCount = created.collisionCount;
    }
    const current = revisions.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;
    return { current, update, collisionCount };
  }

  /** updateStatefulSet (the upstream function): creates, fixes and deletes pods; returns the status. */
  private async reconcile(set: StatefulSet, currentRevision: ControllerRevision, updateRevision: ControllerRevision, collisionCount: number, pods: Pod[]): Promise<SetStatus> {
    const now = this.c.clock.now();
    const minReady = set.spec?.minReadySeconds ?? 0;
    const currentSet = applyRevision(set, currentRevision);
    const updateSet = applyRevision(set, updateRevision);
    const status: SetStatus = {
      observedGeneration: set.metadata.generation ?? 0,
      currentRevision: currentRevision.metadata.name!,
      updateRevision: updateRevision.metadata.name!,
      collisionCount,
      replicas: 0,
      readyReplicas: 0,
      currentReplicas: 0,
      updatedReplicas: 0,
      availableReplicas: 0,
    };
    const recount = (...lists: Pod[][]) => updateStatus(status, minReady, now, currentRevision, updateRevision, ...lists);
    recount(pods);

    const start = startOrdinal(set);
    const replicas: Pod[] = new Array(replicasOf(set));
    const condemned: Pod[] = [];
    for (const pod of pods) {
      if (podInOrdinalRange(pod, set)) replicas[getOrdinal(pod) - start] = pod;
      else if (getOrdinal(pod) >= 0) condemned.push(pod);
    }
    for (let ord = start; ord <= endOrdinal(set); ord++) {
      if (!replicas[ord - start]) {
        replicas[ord - start] = newVersionedStatefulSetPod(currentSet, updateSet, currentRevision.metadata.name!, updateRevision.metadata.name!, ord);
      }
    }
    condemned.sort((a, b) => getOrdinal(b) - getOrdinal(a));

    let firstUnavailable: Pod | undefined;
    for (const p of replicas) if (!firstUnavailable && isUnavailable(p, minReady, now)) firstUnavailable = p;
    for (let i = condemned.length - 1; i >= 0; i--) if (!firstUnavailable && isUnavailable(condemned[i], minReady, now)) firstUnavailable = condemned[i];

    if (set.metadata.deletionTimestamp) return status;

    const monotonic = !allowsBurst(set);
    const fail = (e: unknown) => Object.assign(e instanceof Error ? e : new Error(String(e)), { status });
    const exitEarly = async (list: Pod[], fn: (i: number) => Promise<boolean>) => {
      try {
        if (await runForAll(list, fn, monotonic)) {
          recount(replicas, condemned);
          return true;
        }
      } catch (e) {
        recount(replicas, condemned);
        throw fail(e);
      }
      return false;
    };

    if (await exitEarly(replicas, (i) => this.processReplica(set, updateSet, monotonic, replicas, i, now))) return status;

    const fixPodClaim = async (i: number) => {
      if (!(await this.c.podControl.claimsMatchRetentionPolicy(updateSet, condemned[i]))) {
        await this.c.podControl.updatePodClaimForRetentionPolicy(updateSet, condemned[i]);
      }
      return false;
    };
    if (await exitEarly(condemned, fixPodClaim)) return status;

    if (await exitEarly(condemned, (i) => this.processCondemned(set, firstUnavailable, monotonic, condemned, i, now))) return status;

    recount(replicas, condemned);

    if (set.spec?.updateStrategy?.type === 'OnDelete') return status;

    const partition = set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
    const updateMin = set.spec?.updateStrategy?.rollingUpdate ? partition : 0;
    if (this.c.maxUnavailable) {
      const maxUnavailable = set.spec?.updateStrategy?.rollingUpdate ? maxUnavailableOf(set) : 1;
      const unavailablePods = replicas.filter((p) => isUnavailable(p, minReady, now)).length;
      if (unavailablePods > maxUnavailable) return status;
      let toDelete = maxUnavailable - unavailablePods;
      for (let target = replicas.length - 1; target >= updateMin && toDelete > 0; target--) {
        const pod = replicas[target];
        if (getPodRevision(pod) !== updateRevision.metadata.name && !isTerminating(pod)) {
          try {
            await this.c.podControl.deleteStatefulPod(set, pod);
          } catch (e) {
            if (!isNotFound(e)) throw fail(e);
          }
          toDelete--;
          status.currentReplicas--;
        }
      }
      return status;
    }
    for (let target = replicas.length - 1; target >= updateMin; target--) {
      const pod = replicas[target];
      if (getPodRevision(pod) !== updateRevision.metadata.name && !isTerminating(pod)) {
        try {
          await this.c.podControl.deleteStatefulPod(set, pod);
        } catch (e) {
          if (!isNotFound(e)) throw fail(e);
        }
        status.currentReplicas--;
        return status;
      }
      if (isUnavailable(pod, minReady, now)) return status;
    }
    return status;
  }

  /** processReplica: returns true when the pass must stop here. */
  private async processReplica(set: StatefulSet, updateSet: StatefulSet, monotonic: boolean, replicas: Pod[], i: number, now: number): Promise<boolean> {
    const pod = replicas[i];
    // A finished pod (evicted, node lost) is replaced whatever its exit code: delete, recreate next pass.
    if (isFailed(pod) || isSucceeded(pod)) {
      if (!pod.metadata.deletionTimestamp) await this.c.podControl.deleteStatefulPod(set, pod);
      return true;
    }
    if (!isCreated(pod)) {
      if (this.c.podControl.podClaimIsStale(set, pod)) return true;
      try {
        await this.c.podControl.createStatefulPod(set, pod);
      } catch (e) {
        if (e instanceof PodNotYetObserved) return true;
        throw e;
      }
      if (monotonic) return true;
    }
    if (isPending(pod)) await this.c.podControl.createMissingPersistentVolumeClaims(set, pod);
    if (isTerminating(pod) && monotonic) return true;
    if (!isRunningAndReady(pod) && monotonic) return true;
    if (!isRunningAndAvailable(pod, set.spec?.minReadySeconds ?? 0, now) && monotonic) return true;
    let retentionMatch = true;
    try {
      retentionMatch = await this.c.podControl.claimsMatchRetentionPolicy(updateSet, pod);
    } catch {
      // Expected while the pod is being updated otherwise: treat as matching.
    }
    if (identityMatches(set, pod) && storageMatches(set, pod) && retentionMatch) return false;
    await this.c.podControl.updateStatefulPod(updateSet, pod);
    return false;
  }

  /** processCondemned: scale down from the highest ordinal, waiting for predecessors in OrderedReady. */
  private async processCondemned(set: StatefulSet, firstUnavailable: Pod | undefined, monotonic: boolean, condemned: Pod[], i: number, now: number): Promise<boolean> {
    const pod = condemned[i];
    if (isTerminating(pod)) return monotonic;
    if (!isRunningAndReady(pod) && monotonic && pod !== firstUnavailable) return true;
    if (!isRunningAndAvailable(pod, set.spec?.minReadySeconds ?? 0, now) && monotonic && pod !== firstUnavailable) return true;
    await this.c.podControl.deleteStatefulPod(set, pod);
    return true;
  }

  /** updateStatefulSetStatus: completes a finished rolling update, then writes status if it changed. */
  private async updateStatefulSetStatus(set: StatefulSet, status: SetStatus): Promise<void> {
    completeRollingUpdate(set, status);
    if (!inconsistentStatus(set, status)) return;
    const client = this.c.sets.namespace(set.metadata.namespace!);
    let toUpdate = jsonClone(set);
    for (let attempt = 0; ; attempt++) {
      toUpdate.status = statusBody(status, toUpdate.status?.conditions);
      try {
        await client.updateStatus(toUpdate);
        return;
      } catch (e) {
        if (!isConflict(e) || attempt >= 5) throw e;
        toUpdate = await client.get(set.metadata.name!);
      }
    }
  }
}

/** newRevision: the set's template as a revision, with the set's annotations. */
export function newRevision(set: StatefulSet, revision: number, collisionCount: number): ControllerRevision {
  const cr = newControllerRevision(set, STATEFULSET_KIND, set.spec?.template?.metadata?.labels, getPatch(set), revision, collisionCount);
  cr.metadata.annotations = { ...(set.metadata.annotations ?? {}) };
  return cr;
}

/** updateStatus: counts over the given pod lists. */
function updateStatus(status: SetStatus, minReady: number, now: number, current: ControllerRevision, update: ControllerRevision, ...lists: Pod[][]): void {
  status.replicas = status.readyReplicas = status.availableReplicas = status.currentReplicas = status.updatedReplicas = 0;
  for (const list of lists) {
    for (const pod of list) {
      if (isCreated(pod)) status.replicas++;
      if (isRunningAndReady(pod)) {
        status.readyReplicas++;
        if (isRunningAndAvailable(pod, minReady, now)) status.availableReplicas++;
      }
      if (isCreated(pod) && !isTerminating(pod)) {
        const rev = getPodRevision(pod);
        if (rev === current.metadata.name) status.currentReplicas++;
        if (rev === update.metadata.name) status.updatedReplicas++;
      }
    }
  }
}

/** StatefulSetStatus as Go serialises it: omitempty fields left out at zero. */
function statusBody(s: SetStatus, conditions: unknown): NonNullable<StatefulSet['status']> {
  const out: Record<string, unknown> = { replicas: s.replicas };
  if (s.observedGeneration) out.observedGeneration = s.observedGeneration;
  if (s.readyReplicas) out.readyReplicas = s.readyReplicas;
  if (s.currentReplicas) out.currentReplicas = s.currentReplicas;
  if (s.updatedReplicas) out.updatedReplicas = s.updatedReplicas;
  if (s.currentRevision) out.currentRevision = s.currentRevision;
  if (s.updateRevision) out.updateRevision = s.updateRevision;
  out.collisionCount = s.collisionCount;
  out.availableReplicas = s.availableReplicas;
  // Upstream replaces the whole status; conditions nobody sets stay as they were.
  if (conditions) out.conditions = conditions;
  return out as NonNullable<StatefulSet['status']>;
}

/**
 * runForAll: in order, stopping at the first "stop" or error (monotonic); otherwise slow-start
 * batches (1, 2, 4, ... up to MAX_BATCH_SIZE) run concurrently, stopping at a batch with errors.
 */
async function runForAll(list: Pod[], fn: (i: number) => Promise<boolean>, monotonic: boolean): Promise<boolean> {
  if (monotonic) {
    for (let i = 0; i < list.length; i++) if (await fn(i)) return true;
    return false;
  }
  let remaining = list.length;
  let j = 0;
  for (let batch = Math.min(remaining, 1); batch > 0; batch = Math.min(2 * batch, remaining, MAX_BATCH_SIZE)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, (_, k) => fn(j + k)));
    j += batch;
    const errs = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason);
    if (errs.length) throw aggregate(errs);
    remaining -= batch;
  }
  return false;
}
