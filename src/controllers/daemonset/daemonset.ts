// kube-controller-manager's daemonset controller (pkg/controller/daemon): one pod per eligible node,
// created with a node-name affinity and left to the scheduler to bind; pods on nodes that no longer
// qualify are deleted; failed pods are replaced with backoff; RollingUpdate (maxUnavailable or
// maxSurge) and OnDelete updates over ControllerRevision history; expectations keep a sync from
// acting twice on pods the cache has not shown yet. Runs as kube-system/daemon-set-controller and
// reports events as "daemonset-controller".
import { isDeepStrictEqual } from 'node:util';
import type { ControllerRevision, DaemonSet, Node, Pod } from '../../api/objects.js';
import type { OwnerReference } from '../../api/types.js';
import { controllerRef, isPodAvailable, isPodReady, isPodTerminal } from '../../api/pod.js';
import { hasReason, StatusError } from '../../apimachinery/errors.js';
import { matches, selectorFromLabelSelector } from '../../apimachinery/labels.js';
import type { EventRecorder } from '../../client/events.js';
import { DeletedFinalStateUnknown, splitMetaNamespaceKey, type SharedInformer } from '../../client/informer.js';
import { isNotFound, type ResourceClient } from '../../client/rest.js';
import { recorderFor, type ControllerContext } from '../context.js';
import { Controller } from '../controller.js';
import { ControllerExpectations } from '../expectations.js';
import { computeHash, type ComputeHashOptions } from '../hash.js';
import { claimObjects, newControllerRef, recheckDeletionTimestamp, type OwnerKind } from '../controller-ref-manager.js';
import { jsonClone, maxRevision } from '../history/history.js';
import { rollingUpdatePlan } from './update.js';
import {
  allowsSurge,
  byCreationTimestampAndPhase,
  createPodTemplate,
  getPatch,
  HASH_LABEL,
  isPodUpdated,
  nodeShouldRunDaemonPod,
  replaceNodeNameAffinity,
  targetNodeName,
  templateGeneration,
} from './util.js';
import { CONTROLLER_REVISIONS, DAEMONSETS, NODES, PODS } from '../../client/refs.js';

/** The controller's service account. */
export const DAEMONSET_CONTROLLER = 'daemon-set-controller';
/** The controller's event source (upstream's recorder component). */
export const DAEMONSET_EVENT_SOURCE = 'daemonset-controller';

const DAEMONSET_KIND: OwnerKind = { apiVersion: 'apps/v1', kind: 'DaemonSet' };

/** BurstReplicas: creations or deletions one sync may start. */
const BURST_REPLICAS = 250;
/** How DaemonSets have always hashed their template: live pods and revisions carry these values. */
export const DAEMONSET_HASH: ComputeHashOptions = { collisionCountBytes: 4, escapeHTML: true };
/** failedPodsBackoff: 1 s doubling to 15 min per ds/node. */
const BACKOFF_INITIAL_MS = 1_000;
const BACKOFF_MAX_MS = 15 * 60_000;
/** StatusUpdateRetries. */
const STATUS_UPDATE_RETRIES = 1;

export interface DaemonSetControllerOptions {
  /** --concurrent-daemonset-syncs (2 upstream). */
  workers?: number;
}

export class DaemonSetController extends Controller {
  private readonly dss: SharedInformer<DaemonSet>;
  private readonly pods: SharedInformer<Pod>;
  private readonly nodes: SharedInformer<Node>;
  private readonly revisions: SharedInformer<ControllerRevision>;
  private readonly dsClient: ResourceClient<DaemonSet>;
  private readonly podClient: ResourceClient<Pod>;
  private readonly revisionClient: ResourceClient<ControllerRevision>;
  private readonly recorder: EventRecorder;
  private readonly expectations: ControllerExpectations;
  private readonly backoff = new Map<string, { delay: number; at: number }>();

  constructor(ctx: ControllerContext, opts: DaemonSetControllerOptions = {}) {
    super('daemonset', { clock: ctx.clock, workers: opts.workers ?? 2, log: ctx.log });
    const client = ctx.clientFor(DAEMONSET_CONTROLLER);
    this.dss = ctx.informers.forResource<DaemonSet>(DAEMONSETS);
    this.pods = ctx.informers.forResource<Pod>(PODS);
    this.nodes = ctx.informers.forResource<Node>(NODES);
    this.revisions = ctx.informers.forResource<ControllerRevision>(CONTROLLER_REVISIONS);
    this.dsClient = client.resource<DaemonSet>(DAEMONSETS);
    this.podClient = client.resource<Pod>(PODS);
    this.revisionClient = client.resource<ControllerRevision>(CONTROLLER_REVISIONS);
    this.recorder = recorderFor(ctx, DAEMONSET_CONTROLLER, DAEMONSET_EVENT_SOURCE);
    this.expectations = new ControllerExpectations(this.clock);

    this.dss.addEventHandler({
      onAdd: (ds) => this.enqueue(ds),
      onUpdate: (_old, cur) => this.enqueue(cur),
      onDelete: (ds) => this.enqueue(ds),
    });
    this.revisions.addEventHandler({
      onAdd: (r) => this.revisionChanged(r),
      onUpdate: (old, cur) => {
        if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
        const oldRef = controllerRef(old);
        if (oldRef && !isDeepStrictEqual(oldRef, controllerRef(cur))) this.enqueueOwner(old.metadata.namespace!, oldRef);
        this.revisionChanged(cur);
      },
      onDelete: (obj) => {
        const r = obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
        const ref = controllerRef(r);
        if (ref) this.enqueueOwner(r.metadata.namespace!, ref);
      },
    });
    this.pods.addEventHandler({
      onAdd: (pod) => this.addPod(pod),
      onUpdate: (old, cur) => this.updatePod(old, cur),
      onDelete: (obj) => this.deletePod(obj),
    });
    this.nodes.addEventHandler({
      onAdd: (node) => {
        for (const ds of this.dss.lister.list()) if (nodeShouldRunDaemonPod(node, ds).shouldRun) this.enqueue(ds);
      },
      onUpdate: (old, cur) => {
        // Only labels and taints decide placement.
        if (isDeepStrictEqual(old.metadata.labels ?? {}, cur.metadata.labels ?? {}) && isDeepStrictEqual(old.spec?.taints ?? [], cur.spec?.taints ?? [])) return;
        for (const ds of this.dss.lister.list()) {
          const a = nodeShouldRunDaemonPod(old, ds);
          const b = nodeShouldRunDaemonPod(cur, ds);
          if (a.shouldRun !== b.shouldRun || a.shouldContinueRunning !== b.shouldContinueRunning) this.enqueue(ds);
        }
      },
    });
  }

  protected override async run(): Promise<void> {
    await Promise.all([this.dss, this.pods, this.nodes, this.revisions].map((i) => i.waitForSync()));
  }

  // --- event handlers -------------------------------------------------------------------------

  private resolveControllerRef(namespace: string, ref: OwnerReference): DaemonSet | undefined {
    if (ref.kind !== DAEMONSET_KIND.kind) return undefined;
    const ds = this.dss.lister.get(namespace, ref.name);
    return ds && ds.metadata.uid === ref.uid ? ds : undefined;
  }

  private enqueueOwner(namespace: string, ref: OwnerReference): void {
    const ds = this.resolveControllerRef(namespace, ref);
    if (ds) this.enqueue(ds);
  }

  /** The DaemonSets in obj's namespace whose selector matches it (orphans they might adopt). */
  private daemonSetsSelecting(obj: { metadata: { namespace?: string; labels?: Record<string, string> } }): DaemonSet[] {
    return this.dss.lister.list(obj.metadata.namespace).filter((ds) => {
      try {
        const sel = selectorFromLabelSelector(ds.spec?.selector);
        return !sel.nothing && sel.requirements.length > 0 && matches(sel, obj.metadata.labels);
      } catch {
        return false;
      }
    });
  }

  private revisionChanged(r: ControllerRevision): void {
    if (r.metadata.deletionTimestamp) return;
    const ref = controllerRef(r);
    if (ref) return this.enqueueOwner(r.metadata.namespace!, ref);
    for (const ds of this.daemonSetsSelecting(r)) this.enqueue(ds);
  }

  private addPod(pod: Pod): void {
    if (pod.metadata.deletionTimestamp) return this.deletePod(pod);
    const ref = controllerRef(pod);
    if (ref) {
      const ds = this.resolveControllerRef(pod.metadata.namespace!, ref);
      if (!ds) return;
      this.expectations.creationObserved(keyOf(ds));
      this.enqueue(ds);
      return;
    }
    for (const ds of this.daemonSetsSelecting(pod)) this.enqueue(ds);
  }

  private updatePod(old: Pod, cur: Pod): void {
    if (cur.metadata.resourceVersion === old.metadata.resourceVersion) return;
    // A graceful deletion starts now; the set should replace the pod without waiting for it to go.
    if (cur.metadata.deletionTimestamp) return this.deletePod(cur);
    const curRef = controllerRef(cur);
    const oldRef = controllerRef(old);
    const refChanged = !isDeepStrictEqual(curRef, oldRef);
    if (refChanged && oldRef) this.enqueueOwner(old.metadata.namespace!, oldRef);
    if (curRef) {
      const ds = this.resolveControllerRef(cur.metadata.namespace!, curRef);
      if (!ds) return;
      this.enqueue(ds);
      const minReady = ds.spec?.minReadySeconds ?? 0;
      if (!isPodReady(old) && isPodReady(cur) && minReady > 0) this.queue.addAfter(keyOf(ds), minReady * 1000 + 1000);
      return;
    }
    const labelChanged = !isDeepStrictEqual(cur.metadata.labels, old.metadata.labels);
    if (labelChanged || refChanged) for (const ds of this.daemonSetsSelecting(cur)) this.enqueue(ds);
  }

  private deletePod(obj: Pod | DeletedFinalStateUnknown<Pod>): void {
    const pod = obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
    const ref = controllerRef(pod);
    if (!ref) return;
    const ds = this.resolveControllerRef(pod.metadata.namespace!, ref);
    if (!ds) return;
    this.expectations.deletionObserved(keyOf(ds));
    this.enqueue(ds);
  }

  // --- sync ------------------------------------------------------------------------------------

  protected async sync(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const ds = this.dss.lister.get(namespace, name);
    if (!ds) {
      this.expectations.deleteExpectations(key);
      return;
    }
    const nodes = this.nodes.lister.list();
    const sel = ds.spec?.selector;
    if (sel && Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0) {
      this.recorder.event(ds, 'Warning', 'SelectingAll', 'This daemon set is selecting all pods. A non-empty selector is required.');
      return;
    }
    // Its history may already be going (foreground or orphan deletion): no status can be trusted.
    if (ds.metadata.deletionTimestamp) return;

    let cur: ControllerRevision;
    let old: ControllerRevision[];
    try {
      ({ cur, old } = await this.constructHistory(ds));
    } catch (e) {
      throw wrap('failed to construct revisions of DaemonSet', e);
    }
    const hash = cur.metadata.labels?.[HASH_LABEL] ?? '';

    if (!this.expectations.satisfiedExpectations(key)) return this.updateDaemonSetStatus(ds, nodes, hash, false);

    let err: unknown;
    try {
      await this.updateDaemonSet(ds, nodes, hash, key, old);
    } catch (e) {
      err = e;
    }
    let statusErr: unknown;
    try {
      await this.updateDaemonSetStatus(ds, nodes, hash, true);
    } catch (e) {
      statusErr = e;
      if (err) this.log(`daemonset: failed to update status of ${key}`, e);
    }
    if (err) throw err;
    if (statusErr) throw statusErr;
  }

  private async updateDaemonSet(ds: DaemonSet, nodes: Node[], hash: string, key: string, old: ControllerRevision[]): Promise<void> {
    await this.manage(ds, nodes, hash);
    if (this.expectations.satisfiedExpectations(key) && ds.spec?.updateStrategy?.type === 'RollingUpdate') {
      const nodeToPods = await this.nodesToDaemonPods(ds, false);
      let plan;
      try {
        plan = rollingUpdatePlan(ds, nodes, nodeToPods, hash, this.clock.now());
      } catch (e) {
        throw wrap("couldn't get unavailable numbers", e);
      }
      await this.syncNodes(ds, plan.podsToDelete, plan.nodesNeedingPods, hash);
    }
    try {
      await this.cleanupHistory(ds, old);
    } catch (e) {
      throw wrap('failed to clean up revisions of DaemonSet', e);
    }
  }

  private canAdopt(ds: DaemonSet): () => Promise<void> {
    return recheckDeletionTimestamp('DaemonSet', ds, () => this.dsClient.namespace(ds.metadata.namespace!).get(ds.metadata.name!));
  }

  /** getDaemonPods: every pod of the namespace, claimed by selector. */
  private daemonPods(ds: DaemonSet): Promise<Pod[]> {
    return claimObjects(this.pods.lister.list(ds.metadata.namespace), {
      owner: ds,
      ownerKind: DAEMONSET_KIND,
      selector: selectorFromLabelSelector(ds.spec?.selector),
      client: this.podClient,
      canAdopt: this.canAdopt(ds),
    });
  }

  /** getNodesToDaemonPods: the set's pods by the node they run on or are pinned to. */
  private async nodesToDaemonPods(ds: DaemonSet, includeDeletedTerminal: boolean): Promise<Map<string, Pod[]>> {
    const out = new Map<string, Pod[]>();
    for (const pod of await this.daemonPods(ds)) {
      // Finished and being deleted: the kubelet or the pod GC is removing it; nothing left to do here.
      if (!includeDeletedTerminal && isPodTerminal(pod) && pod.metadata.deletionTimestamp) continue;
      const node = targetNodeName(pod);
      if (!node) continue;
      const list = out.get(node);
      if (list) list.push(pod);
      else out.set(node, [pod]);
    }
    return out;
  }

  /** manage: create daemon pods where missing, delete them where they no longer belong. */
  private async manage(ds: DaemonSet, nodes: Node[], hash: string): Promise<void> {
    let nodeToPods: Map<string, Pod[]>;
    try {
      nodeToPods = await this.nodesToDaemonPods(ds, false);
    } catch (e) {
      throw wrap(`couldn't get node to daemon pod mapping for daemon set ${JSON.stringify(ds.metadata.name)}`, e);
    }
    const needing: string[] = [];
    const toDelete: string[] = [];
    for (const node of nodes) {
      const r = this.podsShouldBeOnNode(node, nodeToPods, ds, hash);
      needing.push(...r.needing);
      toDelete.push(...r.toDelete);
    }
    // Pods pinned to nodes that no longer exist are never scheduled, so nothing else removes them.
    const existing = new Set(nodes.map((n) => n.metadata.name));
    for (const [node, pods] of nodeToPods) if (!existing.has(node)) for (const p of pods) if (!p.spec?.nodeName) toDelete.push(p.metadata.name!);
    await this.syncNodes(ds, toDelete, needing, hash);
  }

  private podsShouldBeOnNode(node: Node, nodeToPods: Map<string, Pod[]>, ds: DaemonSet, hash: string): { needing: string[]; toDelete: string[] } {
    const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, ds);
    const nodeName = node.metadata.name!;
    const pods = nodeToPods.get(nodeName);
    const needing: string[] = [];
    const toDelete: string[] = [];
    if (shouldRun && !pods) {
      needing.push(nodeName);
    } else if (shouldContinueRunning) {
      const running: Pod[] = [];
      for (const pod of pods ?? []) {
        if (pod.metadata.deletionTimestamp) continue;
        if (pod.status?.phase === 'Failed') {
          // The kubelet may keep rejecting the pod: back off rather than fight it in a hot loop.
          const bkey = `${ds.metadata.uid}/${ds.metadata.generation}/${nodeName}`;
          const now = this.clock.now();
          const b = this.backoff.get(bkey);
          if (b && now - b.at < b.delay) {
            this.queue.addAfter(keyOf(ds), b.delay);
            continue;
          }
          const delay = !b || now - b.at > 2 * BACKOFF_MAX_MS ? BACKOFF_INITIAL_MS : Math.min(b.delay * 2, BACKOFF_MAX_MS);
          this.backoff.set(bkey, { delay, at: now });
          this.recorder.event(ds, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${pod.metadata.namespace}/${pod.metadata.name} on node ${nodeName}, will try to kill it`);
          toDelete.push(pod.metadata.name!);
        } else if (pod.status?.phase === 'Succeeded') {
          this.recorder.event(ds, 'Normal', 'SucceededDaemonPod', `Found succeeded daemon pod ${pod.metadata.namespace}/${pod.metadata.name} on node ${nodeName}, will try to delete it`);
          toDelete.push(pod.metadata.name!);
        } else {
          running.push(pod);
        }
      }
      running.sort(byCreationTimestampAndPhase);
      if (!allowsSurge(ds)) {
        for (const p of running.slice(1)) toDelete.push(p.metadata.name!);
      } else if (running.length <= 1) {
        if (running.length === 0 && shouldRun) needing.push(nodeName);
      } else {
        // Surging: keep the oldest new pod and, while it is not yet available, the oldest old one.
        let oldestNew: Pod | undefined;
        let oldestOld: Pod | undefined;
        for (const pod of running) {
          if (pod.metadata.labels?.[HASH_LABEL] === hash) {
            if (!oldestNew) {
              oldestNew = pod;
              continue;
            }
          } else if (!oldestOld) {
            oldestOld = pod;
            continue;
          }
          toDelete.push(pod.metadata.name!);
        }
        if (oldestNew && oldestOld) {
          if (!isPodReady(oldestOld) || isPodAvailable(oldestNew, ds.spec?.minReadySeconds ?? 0, this.clock.now())) toDelete.push(oldestOld.metadata.name!);
        }
      }
    } else if (pods) {
      for (const pod of pods) if (!pod.metadata.deletionTimestamp) toDelete.push(pod.metadata.name!);
    }
    return { needing, toDelete };
  }

  /** syncNodes: deletes pods and creates pods pinned to nodes, in slow-start batches. */
  private async syncNodes(ds: DaemonSet, podsToDelete: string[], nodesNeedingPods: string[], hash: string): Promise<void> {
    const key = keyOf(ds);
    const createDiff = Math.min(nodesNeedingPods.length, BURST_REPLICAS);
    const deleteDiff = Math.min(podsToDelete.length, BURST_REPLICAS);
    this.expectations.setExpectations(key, createDiff, deleteDiff);
    const errors: unknown[] = [];
    const template = createPodTemplate(ds.spec!.template, templateGeneration(ds), hash);
    const ns = ds.metadata.namespace!;

    for (let pos = 0, batch = Math.min(createDiff, 1); pos < createDiff; pos += batch, batch = Math.min(2 * batch, createDiff - pos)) {
      const before = errors.length;
      await Promise.all(
        nodesNeedingPods.slice(pos, pos + batch).map(async (nodeName) => {
          const podTemplate = jsonClone(template);
          podTemplate.spec!.affinity = replaceNodeNameAffinity(podTemplate.spec!.affinity, nodeName);
          try {
            await this.createPod(ds, podTemplate);
          } catch (e) {
            // A namespace being torn down refuses every create; nothing to retry.
            if (e instanceof StatusError && (e.status.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating')) return;
            this.expectations.creationObserved(key);
            errors.push(e);
          }
        }),
      );
      const skipped = createDiff - (pos + batch);
      if (errors.length > before && skipped > 0) {
        this.expectations.lowerExpectations(key, skipped, 0);
        break;
      }
    }

    await Promise.all(
      podsToDelete.slice(0, deleteDiff).map(async (name) => {
        try {
          await this.podClient.namespace(ns).delete(name);
          this.recorder.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
        } catch (e) {
          this.expectations.deletionObserved(key);
          if (!isNotFound(e)) {
            this.recorder.event(ds, 'Warning', 'FailedDelete', `Error deleting: ${errText(e)}`);
            errors.push(e);
          }
        }
      }),
    );
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `[${errors.map(errText).join(', ')}]`);
  }

  /** RealPodControl.CreatePods: a pod from the template, named "<ds>-<random>", owned by ds. */
  private async createPod(ds: DaemonSet, template: ReturnType<typeof createPodTemplate>): Promise<void> {
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        generateName: `${ds.metadata.name}-`,
        labels: { ...(template.metadata?.labels ?? {}) },
        ownerReferences: [newControllerRef(ds, DAEMONSET_KIND)],
      },
      spec: template.spec!,
    };
    if (template.metadata?.annotations) pod.metadata.annotations = { ...template.metadata.annotations };
    if (template.metadata?.finalizers) pod.metadata.finalizers = [...template.metadata.finalizers];
    if (Object.keys(pod.metadata.labels ?? {}).length === 0) throw new Error('unable to create pods, no labels');
    try {
      const created = await this.podClient.namespace(ds.metadata.namespace!).create(pod);
      this.recorder.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
    } catch (e) {
      if (!hasReason(e, 'AlreadyExists')) this.recorder.event(ds, 'Warning', 'FailedCreate', `Error creating: ${errText(e)}`);
      throw e;
    }
  }

  /** updateDaemonSetStatus: counts over nodes that should run the pod (oldest pod per node). */
  private async updateDaemonSetStatus(ds: DaemonSet, nodes: Node[], hash: string, updateObservedGen: boolean): Promise<void> {
    let nodeToPods: Map<string, Pod[]>;
    try {
      nodeToPods = await this.nodesToDaemonPods(ds, false);
    } catch (e) {
      throw wrap(`couldn't get node to daemon pod mapping for daemon set ${JSON.stringify(ds.metadata.name)}`, e);
    }
    const now = this.clock.now();
    const minReady = ds.spec?.minReadySeconds ?? 0;
    const generation = templateGeneration(ds);
    const s = { desiredNumberScheduled: 0, currentNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0, updatedNumberScheduled: 0, numberAvailable: 0, numberUnavailable: 0 };
    for (const node of nodes) {
      const { shouldRun } = nodeShouldRunDaemonPod(node, ds);
      const pods = nodeToPods.get(node.metadata.name!) ?? [];
      if (shouldRun) {
        s.desiredNumberScheduled++;
        if (pods.length === 0) continue;
        s.currentNumberScheduled++;
        const pod = [...pods].sort(byCreationTimestampAndPhase)[0];
        if (isPodReady(pod)) {
          s.numberReady++;
          if (isPodAvailable(pod, minReady, now)) s.numberAvailable++;
        }
        if (isPodUpdated(pod, hash, generation)) s.updatedNumberScheduled++;
      } else if (pods.length > 0) {
        s.numberMisscheduled++;
      }
    }
    s.numberUnavailable = s.desiredNumberScheduled - s.numberAvailable;
    try {
      await this.storeDaemonSetStatus(ds, s, updateObservedGen);
    } catch (e) {
      throw wrap(`error storing status for daemon set ${ds.metadata.namespace}/${ds.metadata.name}`, e);
    }
    // A last look once minReadySeconds have passed, in case no pod event comes.
    if (minReady > 0 && s.numberReady !== s.numberAvailable) this.queue.addAfter(keyOf(ds), minReady * 1000);
  }

  private async storeDaemonSetStatus(ds: DaemonSet, s: Record<string, number>, updateObservedGen: boolean): Promise<void> {
    const cur = (ds.status ?? {}) as Record<string, unknown>;
    const same = Object.entries(s).every(([k, v]) => (cur[k] ?? 0) === v);
    if (same && (ds.status?.observedGeneration ?? 0) >= (ds.metadata.generation ?? 0)) return;
    const client = this.dsClient.namespace(ds.metadata.namespace!);
    let toUpdate = jsonClone(ds);
    for (let i = 0; ; i++) {
      const status = { ...(toUpdate.status ?? {}), ...s } as Record<string, unknown>;
      if (updateObservedGen) status.observedGeneration = ds.metadata.generation;
      toUpdate.status = status as DaemonSet['status'];
      try {
        await client.updateStatus(toUpdate);
        return;
      } catch (e) {
        if (i >= STATUS_UPDATE_RETRIES) throw e;
        toUpdate = await client.get(ds.metadata.name!);
      }
    }
  }

  // --- history ---------------------------------------------------------------------------------

  /** constructHistory: the revision matching the template (created or renumbered as needed) and the others. */
  private async constructHistory(ds: DaemonSet): Promise<{ cur: ControllerRevision; old: ControllerRevision[] }> {
    const histories = await claimObjects(this.revisions.lister.list(ds.metadata.namespace), {
      owner: ds,
      ownerKind: DAEMONSET_KIND,
      selector: selectorFromLabelSelector(ds.spec?.selector),
      client: this.revisionClient,
      canAdopt: this.canAdopt(ds),
    });
    const client = this.revisionClient.namespace(ds.metadata.namespace!);
    const patch = getPatch(ds);
    const current: ControllerRevision[] = [];
    const old: ControllerRevision[] = [];
    for (let h of histories) {
      if (h.metadata.labels?.[HASH_LABEL] === undefined) {
        // The name is unique where a recomputed hash might collide.
        const toUpdate = jsonClone(h);
        toUpdate.metadata.labels = { ...(toUpdate.metadata.labels ?? {}), [HASH_LABEL]: toUpdate.metadata.name! };
        h = await client.update(toUpdate);
      }
      if (isDeepStrictEqual(jsonClone(h.data), jsonClone(patch))) current.push(h);
      else old.push(h);
    }
    const currRevision = maxRevision(old) + 1;
    let cur: ControllerRevision;
    if (current.length === 0) {
      cur = await this.snapshot(ds, currRevision);
    } else {
      cur = await this.dedupCurHistories(ds, current);
      if (cur.revision < currRevision) {
        const toUpdate = jsonClone(cur);
        toUpdate.revision = currRevision;
        cur = await client.update(toUpdate);
      }
    }
    return { cur, old };
  }

  private async snapshot(ds: DaemonSet, revision: number): Promise<ControllerRevision> {
    const patch = getPatch(ds);
    const collisionCount = ds.status?.collisionCount ?? undefined;
    const hash = computeHash(ds.spec?.template, collisionCount, DAEMONSET_HASH);
    const name = `${ds.metadata.name}-${hash}`;
    const history: ControllerRevision = {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: {
        name,
        namespace: ds.metadata.namespace,
        labels: { ...(ds.spec?.template?.metadata?.labels ?? {}), [HASH_LABEL]: hash },
        ownerReferences: [newControllerRef(ds, DAEMONSET_KIND)],
      },
      data: patch as ControllerRevision['data'],
      revision,
    };
    if (ds.metadata.annotations) history.metadata.annotations = { ...ds.metadata.annotations };
    const client = this.revisionClient.namespace(ds.metadata.namespace!);
    try {
      return await client.create(history);
    } catch (outer) {
      if (!hasReason(outer, 'AlreadyExists')) throw outer;
      const existing = await client.get(name);
      if (isDeepStrictEqual(jsonClone(existing.data), jsonClone(patch))) return existing;
      // A different template owns the name: bump collisionCount, unless ours was stale anyway.
      const dsClient = this.dsClient.namespace(ds.metadata.namespace!);
      const fresh = await dsClient.get(ds.metadata.name!);
      if ((fresh.status?.collisionCount ?? undefined) !== collisionCount) {
        throw new Error(
          `found a stale collision count (${collisionCount ?? 'nil'}, expected ${fresh.status?.collisionCount ?? 'nil'}) of DaemonSet ${JSON.stringify(ds.metadata.name)} while processing; will retry until it is updated`,
        );
      }
      fresh.status = { ...(fresh.status ?? {}), collisionCount: (fresh.status?.collisionCount ?? 0) + 1 } as DaemonSet['status'];
      await dsClient.updateStatus(fresh);
      throw outer;
    }
  }

  /** dedupCurHistories: keep the highest-numbered equal revision, relabel pods onto it, delete the rest. */
  private async dedupCurHistories(ds: DaemonSet, cur: ControllerRevision[]): Promise<ControllerRevision> {
    if (cur.length === 1) return cur[0];
    let keep = cur[0];
    for (const h of cur) if (h.revision >= keep.revision) keep = h;
    const keepHash = keep.metadata.labels?.[HASH_LABEL];
    for (const pod of await this.daemonPods(ds)) {
      if (pod.metadata.labels?.[HASH_LABEL] !== keepHash) {
        await this.podClient.namespace(ds.metadata.namespace!).patch(pod.metadata.name!, 'merge', { metadata: { labels: { [HASH_LABEL]: keepHash } } });
      }
    }
    for (const h of cur) {
      if (h.metadata.name === keep.metadata.name) continue;
      await this.revisionClient.namespace(ds.metadata.namespace!).delete(h.metadata.name!);
    }
    return keep;
  }

  /** cleanupHistory: delete the oldest old revisions no pod uses beyond revisionHistoryLimit. */
  private async cleanupHistory(ds: DaemonSet, old: ControllerRevision[]): Promise<void> {
    const toKeep = ds.spec?.revisionHistoryLimit ?? 10;
    let toKill = old.length - toKeep;
    if (toKill <= 0) return;
    const live = new Set<string>();
    for (const pods of (await this.nodesToDaemonPods(ds, true)).values()) {
      for (const p of pods) {
        const h = p.metadata.labels?.[HASH_LABEL];
        if (h) live.add(h);
      }
    }
    for (const h of [...old].sort((a, b) => a.revision - b.revision)) {
      if (toKill <= 0) break;
      if (live.has(h.metadata.labels?.[HASH_LABEL] ?? '')) continue;
      try {
        await this.revisionClient.namespace(ds.metadata.namespace!).delete(h.metadata.name!);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      toKill--;
    }
  }
}

function keyOf(obj: { metadata: { namespace?: string; name?: string } }): string {
  return obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : String(obj.metadata.name);
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** fmt.Errorf("<context>: %w"): keeps a StatusError recognisable (NotFound stays NotFound). */
function wrap(context: string, e: unknown): unknown {
  if (e instanceof StatusError) return e;
  return new Error(`${context}: ${errText(e)}`);
}
