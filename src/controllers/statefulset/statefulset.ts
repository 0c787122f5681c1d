// kube-controller-manager's statefulset controller (pkg/controller/statefulset/stateful_set.go): pod
// and set events enqueue the owning set; sync adopts orphaned revisions, claims the set's pods
// (adopting orphans whose name and labels fit, releasing pods that no longer fit) and hands them to
// StatefulSetControl. Runs as kube-system/statefulset-controller.
import { isDeepStrictEqual } from 'node:util';
import type { ControllerRevision, PersistentVolumeClaim, Pod, StatefulSet } from '../../api/objects.js';
import type { OwnerReference } from '../../api/types.js';
import { controllerRef, isPodReady } from '../../api/pod.js';
import { matches, selectorFromLabelSelector, type LabelSelector } from '../../apimachinery/labels.js';
import { DeletedFinalStateUnknown, splitMetaNamespaceKey, type Lister, type SharedInformer } from '../../client/informer.js';
import type { ResourceClient } from '../../client/rest.js';
import { recorderFor, type ControllerContext } from '../context.js';
import { Controller } from '../controller.js';
import { ControllerHistory } from '../history/history.js';
import { claimObjects, recheckDeletionTimestamp } from '../controller-ref-manager.js';
import { StatefulSetControl } from './control.js';
import { StatefulPodControl } from './pod-control.js';
import { isMemberOf, replicasOf, STATEFULSET_KIND } from './utils.js';
import { CONTROLLER_REVISIONS, PODS, PVCS, STATEFULSETS } from '../../client/refs.js';

/** The controller's service account (and event source). */
export const STATEFULSET_CONTROLLER = 'statefulset-controller';

export interface StatefulSetControllerOptions {
  /** --concurrent-statefulset-syncs (5 upstream). */
  workers?: number;
  /** Honour spec.updateStrategy.rollingUpdate.maxUnavailable (MaxUnavailableStatefulSet). Default true. */
  maxUnavailableStatefulSet?: boolean;
}

export class StatefulSetController extends Controller {
  private readonly sets: SharedInformer<StatefulSet>;
  private readonly pods: SharedInformer<Pod>;
  private readonly claims: SharedInformer<PersistentVolumeClaim>;
  private readonly revisions: SharedInformer<ControllerRevision>;
  private readonly setClient: ResourceClient<StatefulSet>;
  private readonly podClient: ResourceClient<Pod>;
  private readonly control: StatefulSetControl;

  constructor(ctx: ControllerContext, opts: StatefulSetControllerOptions = {}) {
    super('statefulset', { clock: ctx.clock, workers: opts.workers ?? 5, log: ctx.log });
    const client = ctx.clientFor(STATEFULSET_CONTROLLER);
    this.sets = ctx.informers.forResource<StatefulSet>(STATEFULSETS);
    this.pods = ctx.informers.forResource<Pod>(PODS);
    this.claims = ctx.informers.forResource<PersistentVolumeClaim>(PVCS);
    this.revisions = ctx.informers.forResource<ControllerRevision>(CONTROLLER_REVISIONS);
    this.setClient = client.resource<StatefulSet>(STATEFULSETS);
    this.podClient = client.resource<Pod>(PODS);
    const recorder = recorderFor(ctx, STATEFULSET_CONTROLLER);
    this.control = new StatefulSetControl({
      podControl: new StatefulPodControl(client, this.pods.lister, this.claims.lister, recorder),
      history: new ControllerHistory(client, this.revisions.lister),
      sets: this.setClient,
      clock: ctx.clock,
      log: this.log,
      maxUnavailable: opts.maxUnavailableStatefulSet ?? true,
    });

    this.pods.addEventHandler({
      onAdd: (pod) => this.addPod(pod),
      onUpdate: (old, cur) => this.updatePod(old, cur),
      onDelete: (obj) => this.deletePod(obj),
    });
    this.sets.addEventHandler({
      onAdd: (s) => this.enqueue(s),
      onUpdate: (_old, cur) => this.enqueue(cur),
      onDelete: (s) => this.enqueue(s),
    });
  }

  protected override async run(): Promise<void> {
    await Promise.all([this.sets, this.pods, this.claims, this.revisions].map((i) => i.waitForSync()));
  }

  private get setLister(): Lister<StatefulSet> {
    return this.sets.lister;
  }

  private resolveControllerRef(namespace: string, ref: OwnerReference): StatefulSet | undefined {
    if (ref.kind !== STATEFULSET_KIND.kind) return undefined;
    const set = this.setLister.get(namespace, ref.name);
    return set && set.metadata.uid === ref.uid ? set : undefined;
  }

  /** GetPodStatefulSets: the sets in the pod's namespace whose selector matches it. */
  private statefulSetsForPod(pod: Pod): StatefulSet[] {
    return this.setLister.list(pod.metadata.namespace).filter((s) => {
      let sel: LabelSelector;
      try {
        sel = selectorFromLabelSelector(s.spec?.selector);
      } catch {
        return false;
      }
      return matches(sel, pod.metadata.labels);
    });
  }

  private addPod(pod: Pod): void {
    if (pod.metadata.deletionTimestamp) return this.deletePod(pod);
    const ref = controllerRef(pod);
    if (ref) {
      const set = this.resolveControllerRef(pod.metadata.namespace!, ref);
      if (set) this.enqueue(set);
      return;
    }
    for (const set of this.statefulSetsForPod(pod)) this.enqueue(set);
  }

  private updatePod(old: Pod, cur: Pod): void {
    if (cur.metadata.resourceVersion === old.metadata.resourceVersion) return;
    const labelChanged = !isDeepStrictEqual(cur.metadata.labels, old.metadata.labels);
    const curRef = controllerRef(cur);
    const oldRef = controllerRef(old);
    const refChanged = !isDeepStrictEqual(curRef, oldRef);
    if (refChanged && oldRef) {
      const set = this.resolveControllerRef(old.metadata.namespace!, oldRef);
      if (set) this.enqueue(set);
    }
    if (curRef) {
      const set = this.resolveControllerRef(cur.metadata.namespace!, curRef);
      if (!set) return;
      this.enqueue(set);
      const minReady = set.spec?.minReadySeconds ?? 0;
      // Availability is a matter of time, not of an event: look again once minReadySeconds passed.
      if (!isPodReady(old) && isPodReady(cur) && minReady > 0) this.queue.addAfter(keyOf(set), minReady * 1000 + 1000);
      return;
    }
    if (labelChanged || refChanged) for (const set of this.statefulSetsForPod(cur)) this.enqueue(set);
  }

  private deletePod(obj: Pod | DeletedFinalStateUnknown<Pod>): void {
    const pod = obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
    const ref = controllerRef(pod);
    if (!ref) return;
    const set = this.resolveControllerRef(pod.metadata.namespace!, ref);
    if (set) this.enqueue(set);
  }

  protected async sync(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const set = this.setLister.get(namespace, name);
    if (!set) return;
    let selector: LabelSelector;
    try {
      selector = selectorFromLabelSelector(set.spec?.selector);
    } catch (e) {
      // A bad selector will not heal by retrying; validation should have refused it.
      this.log(`statefulset: error converting StatefulSet ${key} selector`, e);
      return;
    }
    await this.adoptOrphanRevisions(set);
    const pods = await this.podsForStatefulSet(set, selector);
    const status = await this.control.updateStatefulSet(set, pods);
    const minReady = set.spec?.minReadySeconds ?? 0;
    if (minReady > 0 && status && status.availableReplicas !== replicasOf(set)) this.queue.addAfter(key, minReady * 1000);
  }

  private canAdopt(set: StatefulSet): () => Promise<void> {
    return recheckDeletionTimestamp('StatefulSet', set, () => this.setClient.namespace(set.metadata.namespace!).get(set.metadata.name!));
  }

  private async adoptOrphanRevisions(set: StatefulSet): Promise<void> {
    const orphans = this.control.listRevisions(set).filter((r) => !controllerRef(r));
    if (orphans.length === 0) return;
    try {
      await this.canAdopt(set)();
    } catch (e) {
      throw new Error(`can't adopt ControllerRevisions: ${e instanceof Error ? e.message : String(e)}`);
    }
    await this.control.adoptOrphanRevisions(set, orphans);
  }

  /** getPodsForStatefulSet: every pod in the namespace, claimed by selector and by name. */
  private podsForStatefulSet(set: StatefulSet, selector: LabelSelector): Promise<Pod[]> {
    return claimObjects(this.pods.lister.list(set.metadata.namespace), {
      owner: set,
      ownerKind: STATEFULSET_KIND,
      selector,
      filter: (pod) => isMemberOf(set, pod),
      client: this.podClient,
      canAdopt: this.canAdopt(set),
    });
  }
}

function keyOf(obj: { metadata: { namespace?: string; name?: string } }): string {
  return obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : String(obj.metadata.name);
}
