// StatefulPodControl (stateful_pod_control.go): creates a pod's claims before the pod, keeps a pod's
// identity and storage in line with the set, keeps claims' ownerReferences in line with the retention
// policy, and reports every pod and claim operation as an event on the set with upstream's wording.
import type { PersistentVolumeClaim, Pod, StatefulSet } from '../../api/objects.js';
import { controllerRef } from '../../api/pod.js';
import { hasReason } from '../../apimachinery/errors.js';
import type { EventRecorder } from '../../client/events.js';
import type { Lister } from '../../client/informer.js';
import { isConflict, isNotFound, type ResourceClient, type RestClient } from '../../client/rest.js';
import { jsonClone } from '../history/history.js';
import {
  claimName,
  getOrdinal,
  hasStaleOwnerRef,
  hasUnexpectedController,
  identityMatches,
  isClaimOwnerUpToDate,
  persistentVolumeClaims,
  POD_KIND,
  retentionPolicy,
  storageMatches,
  updateClaimOwnerRefForSetAndPod,
  updateIdentity,
  updateStorage,
} from './utils.js';
import { PODS, PVCS } from '../../client/refs.js';

const title = (verb: string) => verb[0].toUpperCase() + verb.slice(1);
const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Several errors as one, worded as utilerrors.NewAggregate. */
export function aggregate(errs: unknown[]): Error | undefined {
  if (errs.length === 0) return undefined;
  if (errs.length === 1) return errs[0] instanceof Error ? errs[0] : new Error(String(errs[0]));
  return new AggregateError(errs, `[${errs.map(errText).join(', ')}]`);
}

/** The pod exists but the cache has not shown it: stop this pass quietly, its event brings the next. */
export class PodNotYetObserved extends Error {
  constructor(name: string) {
    super(`pod ${name} exists but is not in the cache yet`);
  }
}

export class StatefulPodControl {
  private readonly pods: ResourceClient<Pod>;
  private readonly claims: ResourceClient<PersistentVolumeClaim>;

  constructor(
    client: RestClient,
    private readonly podLister: Lister<Pod>,
    private readonly claimLister: Lister<PersistentVolumeClaim>,
    private readonly recorder: EventRecorder,
  ) {
    this.pods = client.resource<Pod>(PODS);
    this.claims = client.resource<PersistentVolumeClaim>(PVCS);
  }

  /** Creates the pod's claims, then the pod, then sets the claims' retention references. */
  async createStatefulPod(set: StatefulSet, pod: Pod): Promise<void> {
    try {
      await this.createPersistentVolumeClaims(set, pod);
    } catch (e) {
      this.recordPodEvent('create', set, pod, e);
      throw e;
    }
    let created: Pod;
    try {
      created = await this.pods.namespace(set.metadata.namespace!).create(pod);
    } catch (e) {
      if (!hasReason(e, 'AlreadyExists')) this.recordPodEvent('create', set, pod, e);
      // Our own pod that this pass's listing missed (the cache trails the server): its add event
      // requeues the set. A pod someone else controls under the name stays an error.
      if (hasReason(e, 'AlreadyExists')) {
        const cached = this.podLister.get(set.metadata.namespace!, pod.metadata.name!);
        if (!cached || controllerRef(cached)?.uid === set.metadata.uid) throw new PodNotYetObserved(pod.metadata.name!);
      }
      throw e;
    }
    try {
      await this.updatePodClaimForRetentionPolicy(set, created);
    } catch (e) {
      this.recordPodEvent('update', set, pod, e);
      throw e;
    }
    this.recordPodEvent('create', set, pod);
  }

  /** Brings a live pod's identity, storage and claim references in line with set. */
  async updateStatefulPod(set: StatefulSet, original: Pod): Promise<void> {
    let pod = jsonClone(original);
    let attempted = false;
    let lastErr: unknown;
    for (let attempt = 0; attempt < 5; attempt++) {
      let consistent = true;
      if (!identityMatches(set, pod)) {
        updateIdentity(set, pod);
        consistent = false;
      }
      if (!storageMatches(set, pod)) {
        updateStorage(set, pod);
        consistent = false;
        try {
          await this.createPersistentVolumeClaims(set, pod);
        } catch (e) {
          this.recordPodEvent('update', set, pod, e);
          throw e;
        }
      }
      try {
        if (!(await this.claimsMatchRetentionPolicy(set, pod))) {
          await this.updatePodClaimForRetentionPolicy(set, pod);
          consistent = false;
        }
      } catch (e) {
        this.recordPodEvent('update', set, pod, e);
        throw e;
      }
      if (consistent) return;
      attempted = true;
      try {
        await this.pods.namespace(set.metadata.namespace!).update(pod);
        lastErr = undefined;
        break;
      } catch (e) {
        lastErr = e;
        if (!isConflict(e)) break;
        const fresh = this.podLister.get(set.metadata.namespace!, pod.metadata.name!);
        if (fresh) pod = jsonClone(fresh);
      }
    }
    if (attempted) this.recordPodEvent('update', set, pod, lastErr);
    if (lastErr) throw lastErr;
  }

  async deleteStatefulPod(set: StatefulSet, pod: Pod): Promise<void> {
    try {
      await this.pods.namespace(set.metadata.namespace!).delete(pod.metadata.name!);
    } catch (e) {
      this.recordPodEvent('delete', set, pod, e);
      throw e;
    }
    this.recordPodEvent('delete', set, pod);
  }

  /** ClaimsMatchRetentionPolicy: every existing claim of the pod carries the references the policy wants. */
  async claimsMatchRetentionPolicy(set: StatefulSet, pod: Pod): Promise<boolean> {
    const ordinal = getOrdinal(pod);
    for (const t of set.spec?.volumeClaimTemplates ?? []) {
      const claim = this.claimLister.get(set.metadata.namespace!, claimName(set, t as PersistentVolumeClaim, ordinal));
      if (claim && !isClaimOwnerUpToDate(claim, set, pod)) return false;
    }
    return true;
  }

  /** UpdatePodClaimForRetentionPolicy: rewrites the references of the pod's claims that are out of date. */
  async updatePodClaimForRetentionPolicy(set: StatefulSet, pod: Pod): Promise<void> {
    const ordinal = getOrdinal(pod);
    for (const t of set.spec?.volumeClaimTemplates ?? []) {
      const name = claimName(set, t as PersistentVolumeClaim, ordinal);
      const cached = this.claimLister.get(set.metadata.namespace!, name);
      if (!cached) continue;
      if (hasUnexpectedController(cached, set, pod)) {
        this.recorder.event(
          set,
          'Warning',
          'ConflictingController',
          `PersistentVolumeClaim ${name} has a conflicting OwnerReference that acts as a manging controller, the retention policy is ignored for this claim`,
        );
      }
      let claim = jsonClone(cached);
      // The cache may trail our own last write: on a conflict, decide again on a fresh read.
      for (let attempt = 0; ; attempt++) {
        if (isClaimOwnerUpToDate(claim, set, pod)) break;
        updateClaimOwnerRefForSetAndPod(claim, set, pod);
        try {
          await this.claims.namespace(set.metadata.namespace!).update(claim);
          break;
        } catch (e) {
          if (!isConflict(e) || attempt >= 3) throw new Error(`could not update claim ${name} for delete policy ownerRefs: ${errText(e)}`);
          claim = await this.claims.namespace(set.metadata.namespace!).get(name);
        }
      }
    }
  }

  /** PodClaimIsStale: with WhenScaled=Delete, a claim still referencing an older pod of that name blocks creation. */
  podClaimIsStale(set: StatefulSet, pod: Pod): boolean {
    if (retentionPolicy(set).whenScaled === 'Retain') return false;
    for (const claim of persistentVolumeClaims(set, pod).values()) {
      const pvc = this.claimLister.get(claim.metadata.namespace!, claim.metadata.name!);
      if (pvc && hasStaleOwnerRef(pvc, pod, POD_KIND)) return true;
    }
    return false;
  }

  /** createMissingPersistentVolumeClaims: for pending pods whose claims went away. */
  async createMissingPersistentVolumeClaims(set: StatefulSet, pod: Pod): Promise<void> {
    await this.createPersistentVolumeClaims(set, pod);
    try {
      await this.updatePodClaimForRetentionPolicy(set, pod);
    } catch (e) {
      this.recordPodEvent('update', set, pod, e);
      throw e;
    }
  }

  /** createPersistentVolumeClaims: each claim the pod needs that does not exist is created; one being deleted is an error. */
  async createPersistentVolumeClaims(set: StatefulSet, pod: Pod): Promise<void> {
    const errs: unknown[] = [];
    for (const claim of persistentVolumeClaims(set, pod).values()) {
      const ns = claim.metadata.namespace!;
      const name = claim.metadata.name!;
      let existing = this.claimLister.get(ns, name);
      if (!existing) {
        try {
          await this.claims.namespace(ns).create(claim);
          this.recordClaimEvent('create', set, pod, claim);
          continue;
        } catch (e) {
          if (!hasReason(e, 'AlreadyExists')) {
            errs.push(new Error(`failed to create PVC ${name}: ${errText(e)}`));
            this.recordClaimEvent('create', set, pod, claim, e);
            continue;
          }
          // The cache is behind our own earlier create: ask the server before calling it an error.
          try {
            existing = await this.claims.namespace(ns).get(name);
          } catch (e2) {
            if (!isNotFound(e2)) errs.push(new Error(`failed to retrieve PVC ${name}: ${errText(e2)}`));
            continue;
          }
        }
      }
      if (existing.metadata.deletionTimestamp) errs.push(new Error(`pvc ${name} is being deleted`));
    }
    const err = aggregate(errs);
    if (err) throw err;
  }

  private recordPodEvent(verb: string, set: StatefulSet, pod: Pod, err?: unknown): void {
    if (err === undefined) {
      this.recorder.event(set, 'Normal', `Successful${title(verb)}`, `${verb} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`);
    } else {
      this.recorder.event(set, 'Warning', `Failed${title(verb)}`, `${verb} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${errText(err)}`);
    }
  }

  private recordClaimEvent(verb: string, set: StatefulSet, pod: Pod, claim: PersistentVolumeClaim, err?: unknown): void {
    if (err === undefined) {
      this.recorder.event(set, 'Normal', `Successful${title(verb)}`, `${verb} Claim ${claim.metadata.name} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} success`);
    } else {
      this.recorder.event(
        set,
        'Warning',
        `Failed${title(verb)}`,
        `${verb} Claim ${claim.metadata.name} for Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${errText(err)}`,
      );
    }
  }
}
