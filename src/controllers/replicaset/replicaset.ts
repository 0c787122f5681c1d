// kube-controller-manager's replicaset controller (pkg/controller/replicaset/replica_set.go): keeps
// spec.replicas active pods for every ReplicaSet. Pods are created from the template in slow-start
// batches (1, 2, 4, ... at most burstReplicas per sync) and deleted least-valuable first; the
// expectations keep a sync that runs before the informer caught up from acting twice. Pods are
// claimed through their controller ownerReference (adopting matching orphans, releasing pods that
// stopped matching), and the status counts what was claimed.
import { jsonCopy } from '../../apimachinery/json.js';
import type { Pod, ReplicaSet } from '../../api/objects.js';
import { controllerRef, isPodActive, isPodReady } from '../../api/pod.js';
import type { KubeObject } from '../../api/types.js';
import { StatusError } from '../../apimachinery/errors.js';
import { isEmptySelector, matches, selectorFromLabelSelector, type LabelSelector } from '../../apimachinery/labels.js';
import type { EventRecorder } from '../../client/events.js';
import { DeletedFinalStateUnknown, splitMetaNamespaceKey, type SharedInformer } from '../../client/informer.js';
import { isNotFound, type ResourceClient, type RestClient } from '../../client/rest.js';
import { recorderFor, type ControllerContext } from '../context.js';
import { Controller } from '../controller.js';
import { claimObjects, newControllerRef, recheckDeletionTimestamp, type OwnerKind } from '../controller-ref-manager.js';
import { UIDTrackingControllerExpectations } from '../expectations.js';
import { getPodsToDelete } from './ranking.js';
import { calculateReplicaSetStatus, nextAvailableAt, specReplicas, type ReplicaSetStatus } from './status.js';
import { PODS, REPLICASETS } from '../../client/refs.js';

/** The service account and event source of this controller. */
export const REPLICASET_CONTROLLER = 'replicaset-controller';

const REPLICASET_KIND: OwnerKind = { apiVersion: 'apps/v1', kind: 'ReplicaSet' };

/** BurstReplicas: the most pods one sync creates or deletes. */
export const BURST_REPLICAS = 500;
/** SlowStartInitialBatchSize. */
export const SLOW_START_INITIAL_BATCH_SIZE = 1;

// Pods indexed by the uid of their controller, orphans under "orphan:<namespace>" (FilterPodsByOwner
// with includeOrphanedObjects).
const POD_OWNER_INDEX = 'replicaset/podControllerUIDOrOrphan';
const orphanKey = (ns: string | undefined) => `orphan:${ns ?? ''}`;

/** Options beyond the ControllerContext. */
export interface ReplicaSetControllerOptions {
  /** --concurrent-replicaset-syncs (5 upstream). */
  workers?: number;
  burstReplicas?: number;
  /**
   * Pod status changes (a pod turning Running or Ready) reach the ReplicaSet's sync at most once per
   * this many ms per pod the ReplicaSet owns (capped at 2 s), like the endpoints controllers'
   * --endpoint-updates-batch-period but scaled: each sync is O(pods), and a ReplicaSet of thousands
   * of pods otherwise resyncs for every one of their status writes, while a small one must not wait.
   * With 0.1, 3 pods wait under a millisecond and 10,000 pods one second. The same batch holds the
   * syncs a ReplicaSet's own status writes trigger, and those of pod creates observed while more of
   * the burst are still expected (such a sync can only recount pods). Deletions, label or owner
   * changes, and the create that completes a burst are never delayed. 0 (the default): no batching.
   */
  podStatusBatchPerPodMs?: number;
}

/** Only status (and resourceVersion, managedFields) differ: the same spec generation and metadata a sync reads. */
export function statusOnlyChange(old: ReplicaSet, cur: ReplicaSet): boolean {
  const a = old.metadata;
  const b = cur.metadata;
  if (a.generation !== b.generation || a.deletionTimestamp !== b.deletionTimestamp) return false;
  const part = (m: typeof a) => JSON.stringify([m.labels, m.annotations, m.ownerReferences, m.finalizers]);
  return part(a) === part(b);
}

/** HasStatusCause(err, NamespaceTerminatingCause). */
export function isNamespaceTerminating(e: unknown): boolean {
  return e instanceof StatusError && !!e.status.details?.causes?.some((c) => c.reason === 'NamespaceTerminating');
}

/**
 * slowStartBatch: calls fn count times in batches of 1, 2, 4, ...; stops at the first batch with a
 * failure and returns how many calls succeeded with the first error.
 */
export async function slowStartBatch(count: number, initial: number, fn: () => Promise<void>): Promise<{ successes: number; error?: unknown }> {
  let remaining = count;
  let successes = 0;
  for (let batch = Math.min(remaining, initial); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn()));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += batch - failed.length;
    if (failed.length) return { successes, error: failed[0].reason };
    remaining -= batch;
  }
  return { successes };
}

/** The pod a controller creates from a template (GetPodFromTemplate). */
export function podFromTemplate(template: NonNullable<ReplicaSet['spec']>['template'], owner: KubeObject, ownerApiVersion: string, ownerKind: string): Pod {
  const meta = template?.metadata ?? {};
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${owner.metadata.name}-`,
      ownerReferences: [newControllerRef(owner, { apiVersion: ownerApiVersion, kind: ownerKind })],
    },
    spec: jsonCopy(template?.spec ?? { containers: [] }),
  };
  if (meta.labels) pod.metadata.labels = { ...meta.labels };
  if (meta.annotations) pod.metadata.annotations = { ...meta.annotations };
  if (meta.finalizers) pod.metadata.finalizers = [...meta.finalizers];
  return pod;
}

/** The replicaset controller. Construct before the informers start; start(signal) to run. */
export class ReplicaSetController extends Controller {
  readonly expectations: UIDTrackingControllerExpectations;
  readonly rsInformer: SharedInformer<ReplicaSet>;
  readonly podInformer: SharedInformer<Pod>;
  private readonly client: RestClient;
  private readonly recorder: EventRecorder;
  private readonly burstReplicas: number;
  private readonly podStatusBatchPerPodMs: number;

  constructor(ctx: ControllerContext, opts: ReplicaSetControllerOptions = {}) {
    super('replicaset', { clock: ctx.clock, workers: opts.workers ?? 5, log: ctx.log });
    this.client = ctx.clientFor(REPLICASET_CONTROLLER);
    this.recorder = recorderFor(ctx, REPLICASET_CONTROLLER);
    this.burstReplicas = opts.burstReplicas ?? BURST_REPLICAS;
    this.podStatusBatchPerPodMs = opts.podStatusBatchPerPodMs ?? 0;
    this.expectations = new UIDTrackingControllerExpectations(ctx.clock);
    this.rsInformer = ctx.informers.forResource<ReplicaSet>(REPLICASETS);
    this.podInformer = ctx.informers.forResource<Pod>(PODS);
    this.podInformer.addIndexers({
      [POD_OWNER_INDEX]: (p) => [controllerRef(p)?.uid ?? orphanKey(p.metadata.namespace)],
    });
    this.rsInformer.addEventHandler({
      onAdd: (rs) => this.enqueue(rs),
      onUpdate: (old, cur) => {
        if (old.metadata.uid !== cur.metadata.uid) this.onDeleteRS(old);
        // Upstream syncs again on every update, its own status writes included ("some spurious
        // syncs"); those wait for the batch, anything else is synced at once.
        if (old.metadata.uid === cur.metadata.uid && statusOnlyChange(old, cur)) this.enqueueBatched(cur);
        else this.enqueue(cur);
      },
      onDelete: (obj) => this.onDeleteRS(obj),
    });
    this.podInformer.addEventHandler({
      onAdd: (pod) => this.onAddPod(pod),
      onUpdate: (old, cur) => this.onUpdatePod(old, cur),
      onDelete: (obj) => this.onDeletePod(obj),
    });
  }

  protected override async run(): Promise<void> {
    await Promise.all([this.rsInformer.waitForSync(), this.podInformer.waitForSync()]);
  }

  /** Resolves once events recorded so far are written; for tests. */
  flushEvents(): Promise<void> {
    return this.recorder.flush();
  }

  private onDeleteRS(obj: ReplicaSet | DeletedFinalStateUnknown<ReplicaSet>): void {
    const rs = obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
    const key = obj instanceof DeletedFinalStateUnknown ? obj.key : `${rs.metadata.namespace}/${rs.metadata.name}`;
    this.expectations.deleteExpectations(key);
    this.queue.add(key);
  }

  /** resolveControllerRef: the ReplicaSet a pod's controllerRef names, if it is that very object. */
  private resolve(namespace: string | undefined, ref: ReturnType<typeof controllerRef>): ReplicaSet | undefined {
    if (!ref || ref.kind !== 'ReplicaSet' || !ref.apiVersion.startsWith('apps/')) return undefined;
    const rs = this.rsInformer.lister.get(namespace ?? '', ref.name);
    return rs && rs.metadata.uid === ref.uid ? rs : undefined;
  }

  /** getPodReplicaSets: ReplicaSets whose selector matches an orphan's labels. */
  private replicaSetsMatching(pod: Pod): ReplicaSet[] {
    return this.rsInformer.lister.list(pod.metadata.namespace).filter((rs) => {
      let sel: LabelSelector;
      try {
        sel = selectorFromLabelSelector(rs.spec?.selector);
      } catch {
        return false;
      }
      return !isEmptySelector(sel) && matches(sel, pod.metadata.labels ?? {});
    });
  }

  /** Enqueues rs after its batch period (podStatusBatchPerPodMs per pod it owns), at once for a small one. */
  private enqueueBatched(rs: ReplicaSet): void {
    const ms = this.podStatusBatchPerPodMs > 0 ? Math.min(2000, Math.floor(this.podStatusBatchPerPodMs * this.podInformer.indexer.indexCount(POD_OWNER_INDEX, rs.metadata.uid!))) : 0;
    if (ms > 0) this.queue.addAfter(this.keyOf(rs), ms);
    else this.enqueue(rs);
  }

  private keyOf(rs: ReplicaSet): string {
    return `${rs.metadata.namespace}/${rs.metadata.name}`;
  }

  private onAddPod(pod: Pod): void {
    if (pod.metadata.deletionTimestamp) {
      // Restarted controller: a pod already being deleted counts as a deletion.
      this.onDeletePod(pod);
      return;
    }
    const ref = controllerRef(pod);
    if (ref) {
      const rs = this.resolve(pod.metadata.namespace, ref);
      if (!rs) return;
      const key = this.keyOf(rs);
      this.expectations.creationObserved(key);
      // Until the last create of a burst is observed a sync can only recount the pods, so that
      // waits for the batch; the create that satisfies the expectations is synced at once.
      if (this.expectations.satisfiedExpectations(key)) this.queue.add(key);
      else this.enqueueBatched(rs);
      return;
    }
    // An orphan: whoever matches may want to adopt it. No creation is observed for orphans.
    for (const rs of this.replicaSetsMatching(pod)) this.enqueue(rs);
  }

  private onUpdatePod(old: Pod, cur: Pod): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return; // periodic resync
    const labelChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {});
    if (cur.metadata.deletionTimestamp) {
      // Graceful deletion started: the ReplicaSet may create a replacement now.
      this.onDeletePod(cur);
      if (labelChanged) this.onDeletePod(old);
      return;
    }
    const curRef = controllerRef(cur);
    const oldRef = controllerRef(old);
    const refChanged = JSON.stringify(curRef) !== JSON.stringify(oldRef);
    if (refChanged && oldRef) {
      const rs = this.resolve(old.metadata.namespace, oldRef);
      if (rs) this.enqueue(rs);
    }
    if (curRef) {
      const rs = this.resolve(cur.metadata.namespace, curRef);
      if (!rs) return;
      if (!refChanged && !labelChanged) this.enqueueBatched(rs);
      else this.enqueue(rs);
      // A pod that just turned ready becomes available after minReadySeconds.
      const minReady = rs.spec?.minReadySeconds ?? 0;
      if (!isPodReady(old) && isPodReady(cur) && minReady > 0) this.queue.addAfter(this.keyOf(rs), minReady * 1000);
      return;
    }
    if (labelChanged || refChanged) for (const rs of this.replicaSetsMatching(cur)) this.enqueue(rs);
  }

  private onDeletePod(obj: Pod | DeletedFinalStateUnknown<Pod>): void {
    const pod = obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
    const ref = controllerRef(pod);
    if (!ref) return;
    const rs = this.resolve(pod.metadata.namespace, ref);
    if (!rs) return;
    const key = this.keyOf(rs);
    this.expectations.deletionObserved(key, `${pod.metadata.namespace}/${pod.metadata.name}`);
    this.queue.add(key);
  }

  protected override async sync(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const cached = this.rsInformer.lister.get(namespace, name);
    if (!cached) {
      this.expectations.deleteExpectations(key);
      return;
    }
    const needsSync = this.expectations.satisfiedExpectations(key);
    let selector: LabelSelector;
    try {
      selector = selectorFromLabelSelector(cached.spec?.selector);
    } catch (e) {
      this.log(`replicaset: error converting pod selector to selector for rs ${key}`, e);
      return;
    }
    const pods = this.client.resource<Pod>(PODS).namespace(namespace);
    const candidates = [
      ...this.podInformer.indexer.byIndex(POD_OWNER_INDEX, cached.metadata.uid!),
      ...this.podInformer.indexer.byIndex(POD_OWNER_INDEX, orphanKey(namespace)),
    ].filter(isPodActive);
    const rsClient = this.client.resource<ReplicaSet>(REPLICASETS).namespace(namespace);
    const claimed = await claimObjects<Pod>(candidates, {
      owner: cached,
      ownerKind: REPLICASET_KIND,
      selector,
      client: pods,
      canAdopt: recheckDeletionTimestamp('ReplicaSet', cached, () => rsClient.get(name)),
    });

    let manageErr: unknown;
    if (needsSync && !cached.metadata.deletionTimestamp) {
      try {
        await this.manageReplicas(claimed, cached, key, pods);
      } catch (e) {
        manageErr = e;
      }
    }
    const now = this.clock.now();
    const rs = jsonCopy(cached);
    const status = calculateReplicaSetStatus(rs, claimed, manageErr, now);
    const updated = await this.updateStatus(rsClient, rs, status);
    if (!manageErr) {
      // Look again when the next ready pod has been ready for minReadySeconds.
      const at = nextAvailableAt(claimed, updated.spec?.minReadySeconds ?? 0, now);
      if (at !== undefined) this.queue.addAfter(key, Math.max(0, at - now));
    }
    if (manageErr) throw manageErr;
  }

  private async manageReplicas(active: Pod[], rs: ReplicaSet, key: string, pods: ResourceClient<Pod>): Promise<void> {
    let diff = active.length - specReplicas(rs);
    if (diff < 0) {
      diff = Math.min(-diff, this.burstReplicas);
      // Expect every create up front: the informer may deliver a pod before its create returns.
      this.expectations.expectCreations(key, diff);
      const template = rs.spec?.template;
      const { successes, error } = await slowStartBatch(diff, SLOW_START_INITIAL_BATCH_SIZE, async () => {
        try {
          await this.createPod(pods, rs, template);
        } catch (e) {
          // A terminating namespace refuses every create; nothing to report.
          if (isNamespaceTerminating(e)) return;
          throw e;
        }
      });
      // Creates never attempted will not be observed.
      for (let i = successes; i < diff; i++) this.expectations.creationObserved(key);
      if (error) throw error;
      return;
    }
    if (diff > 0) {
      diff = Math.min(diff, this.burstReplicas);
      const victims = getPodsToDelete(active, this.indirectlyRelatedPods(rs), diff, this.clock.now());
      this.expectations.expectDeletions(key, victims.map((p) => `${p.metadata.namespace}/${p.metadata.name}`));
      const results = await Promise.allSettled(victims.map((p) => this.deletePod(pods, rs, p)));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
  }

  private async createPod(pods: ResourceClient<Pod>, rs: ReplicaSet, template: NonNullable<ReplicaSet['spec']>['template']): Promise<void> {
    const pod = podFromTemplate(template, rs, 'apps/v1', 'ReplicaSet');
    if (!Object.keys(pod.metadata.labels ?? {}).length) throw new Error('unable to create pods, no labels');
    let created: Pod;
    try {
      created = await pods.create(pod);
    } catch (e) {
      if (!isNamespaceTerminating(e)) this.recorder.event(rs, 'Warning', 'FailedCreate', `Error creating: ${errorText(e)}`);
      throw e;
    }
    this.recorder.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
  }

  private async deletePod(pods: ResourceClient<Pod>, rs: ReplicaSet, pod: Pod): Promise<void> {
    const podKey = `${pod.metadata.namespace}/${pod.metadata.name}`;
    try {
      await pods.delete(pod.metadata.name!);
    } catch (e) {
      // The informer will not observe a deletion that did not happen.
      this.expectations.deletionObserved(this.keyOf(rs), podKey);
      if (isNotFound(e)) return;
      this.recorder.event(rs, 'Warning', 'FailedDelete', `Error deleting: ${errorText(e)}`);
      throw new Error(`unable to delete pods: ${errorText(e)}`);
    }
    this.recorder.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
  }

  /** getIndirectlyRelatedPods: pods of every ReplicaSet sharing this one's controller. */
  private indirectlyRelatedPods(rs: ReplicaSet): Pod[] {
    const owner = controllerRef(rs);
    if (!owner) return [];
    const seen = new Set<string>();
    const out: Pod[] = [];
    for (const related of this.rsInformer.lister.list(rs.metadata.namespace)) {
      if (controllerRef(related)?.uid !== owner.uid) continue;
      let sel: LabelSelector;
      try {
        sel = selectorFromLabelSelector(related.spec?.selector);
      } catch {
        continue;
      }
      for (const pod of this.podInformer.lister.list(rs.metadata.namespace)) {
        if (!matches(sel, pod.metadata.labels ?? {}) || seen.has(pod.metadata.uid!)) continue;
        seen.add(pod.metadata.uid!);
        out.push(pod);
      }
    }
    return out;
  }

  /** updateReplicaSetStatus: writes status unless nothing changed; one retry on a fresh read. */
  private async updateStatus(client: ResourceClient<ReplicaSet>, rs: ReplicaSet, status: ReplicaSetStatus): Promise<ReplicaSet> {
    const cur: Partial<ReplicaSetStatus> = rs.status ?? {};
    if (
      (cur.replicas ?? 0) === status.replicas &&
      (cur.fullyLabeledReplicas ?? 0) === (status.fullyLabeledReplicas ?? 0) &&
      (cur.readyReplicas ?? 0) === (status.readyReplicas ?? 0) &&
      (cur.availableReplicas ?? 0) === (status.availableReplicas ?? 0) &&
      (rs.metadata.generation ?? 0) === (cur.observedGeneration ?? 0) &&
      JSON.stringify(cur.conditions ?? []) === JSON.stringify(status.conditions ?? [])
    ) {
      return rs;
    }
    status.observedGeneration = rs.metadata.generation;
    let target = rs;
    for (let attempt = 0; ; attempt++) {
      target.status = status;
      try {
        return await client.updateStatus(target);
      } catch (e) {
        if (attempt >= 1) throw e;
        target = await client.get(rs.metadata.name!);
      }
    }
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
