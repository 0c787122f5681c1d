// kube-controller-manager's deployment controller (pkg/controller/deployment): a Deployment owns
// ReplicaSets, one per pod template, named "<deployment>-<pod-template-hash>". Each sync claims
// the ReplicaSets, then either only scales (paused, or replicas changed: proportionally across
// active ReplicaSets) or rolls out with the strategy (rolling.ts, recreate.ts), and writes status
// with the Progressing and Available conditions (progress.ts). The revision annotation moves to
// the ReplicaSet whose template is current, so a rollback (kubectl rollout undo rewrites the
// template) reuses the old ReplicaSet under the next revision.
import { jsonCopy } from '../../apimachinery/json.js';
import { isDeepStrictEqual } from 'node:util';
import type { Deployment, Pod, PodTemplateSpec, ReplicaSet } from '../../api/objects.js';
import { controllerRef } from '../../api/pod.js';
import { StatusError } from '../../apimachinery/errors.js';
import { isEmptySelector, matches, selectorFromLabelSelector, type LabelSelector } from '../../apimachinery/labels.js';
import type { EventRecorder } from '../../client/events.js';
import { DeletedFinalStateUnknown, splitMetaNamespaceKey, type SharedInformer } from '../../client/informer.js';
import { isNotFound, type ResourceClient, type RestClient } from '../../client/rest.js';
import { recorderFor, type ControllerContext } from '../context.js';
import { Controller } from '../controller.js';
import { claimObjects, newControllerRef, recheckDeletionTimestamp, type OwnerKind } from '../controller-ref-manager.js';
import { computeHash } from '../hash.js';
import { specReplicas } from '../replicaset/status.js';
import type { PodMap, RolloutOps } from './ops.js';
import { calculateStatus, rolloutStatus, stuckRequeueAfter } from './progress.js';
import { rolloutRecreate } from './recreate.js';
import { rolloutRolling } from './rolling.js';
import {
  activeReplicaSets,
  byRevision,
  bySizeNewer,
  bySizeOlder,
  DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY,
  desiredReplicas,
  desiredReplicasAnnotation,
  equalIgnoreHash,
  FAILED_RS_CREATE_REASON,
  findActiveOrLatest,
  findNewReplicaSet,
  findOldReplicaSets,
  FOUND_NEW_RS_REASON,
  getDeploymentCondition,
  getProportion,
  hasProgressDeadline,
  hasRevisionHistoryLimit,
  isRollingUpdate,
  isSaturated,
  maxRevision,
  maxSurge,
  NEW_REPLICA_SET_REASON,
  newDeploymentCondition,
  newRSNewReplicas,
  PAUSED_DEPLOY_REASON,
  replicaCount,
  replicasAnnotationsNeedUpdate,
  RESUMED_DEPLOY_REASON,
  REVISION_ANNOTATION,
  setDeploymentCondition,
  setDeploymentRevision,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  TIMED_OUT_REASON,
} from './util.js';
import { DEPLOYMENTS, PODS, REPLICASETS } from '../../client/refs.js';

/** The service account and event source of this controller. */
export const DEPLOYMENT_CONTROLLER = 'deployment-controller';

const DEPLOYMENT_KIND: OwnerKind = { apiVersion: 'apps/v1', kind: 'Deployment' };

/** Options beyond the ControllerContext. */
export interface DeploymentControllerOptions {
  /** --concurrent-deployment-syncs (5 upstream). */
  workers?: number;
}

/** The deployment controller. Construct before the informers start; start(signal) to run. */
export class DeploymentController extends Controller implements RolloutOps {
  readonly dInformer: SharedInformer<Deployment>;
  readonly rsInformer: SharedInformer<ReplicaSet>;
  readonly podInformer: SharedInformer<Pod>;
  private readonly client: RestClient;
  private readonly recorder: EventRecorder;

  constructor(ctx: ControllerContext, opts: DeploymentControllerOptions = {}) {
    super('deployment', { clock: ctx.clock, workers: opts.workers ?? 5, log: ctx.log });
    this.client = ctx.clientFor(DEPLOYMENT_CONTROLLER);
    this.recorder = recorderFor(ctx, DEPLOYMENT_CONTROLLER);
    this.dInformer = ctx.informers.forResource<Deployment>(DEPLOYMENTS);
    this.rsInformer = ctx.informers.forResource<ReplicaSet>(REPLICASETS);
    this.podInformer = ctx.informers.forResource<Pod>(PODS);
    this.dInformer.addEventHandler({
      onAdd: (d) => this.enqueue(d),
      onUpdate: (_old, cur) => this.enqueue(cur),
      onDelete: (obj) => this.enqueue(obj),
    });
    this.rsInformer.addEventHandler({
      onAdd: (rs) => this.onAddReplicaSet(rs),
      onUpdate: (old, cur) => this.onUpdateReplicaSet(old, cur),
      onDelete: (obj) => this.onDeleteReplicaSet(obj),
    });
    this.podInformer.addEventHandler({ onDelete: (obj) => this.onDeletePod(obj) });
  }

  protected override async run(): Promise<void> {
    await Promise.all([this.dInformer.waitForSync(), this.rsInformer.waitForSync(), this.podInformer.waitForSync()]);
  }

  /** Resolves once events recorded so far are written; for tests. */
  flushEvents(): Promise<void> {
    return this.recorder.flush();
  }

  // ---- event handlers ----

  private resolve(namespace: string | undefined, ref: ReturnType<typeof controllerRef>): Deployment | undefined {
    if (!ref || ref.kind !== 'Deployment' || !ref.apiVersion.startsWith('apps/')) return undefined;
    const d = this.dInformer.lister.get(namespace ?? '', ref.name);
    return d && d.metadata.uid === ref.uid ? d : undefined;
  }

  /** getDeploymentsForReplicaSet: Deployments whose selector matches an orphan ReplicaSet. */
  private deploymentsMatching(rs: ReplicaSet): Deployment[] {
    return this.dInformer.lister.list(rs.metadata.namespace).filter((d) => {
      let sel: LabelSelector;
      try {
        sel = selectorFromLabelSelector(d.spec?.selector);
      } catch {
        return false;
      }
      return !isEmptySelector(sel) && matches(sel, rs.metadata.labels ?? {});
    });
  }

  private onAddReplicaSet(rs: ReplicaSet): void {
    if (rs.metadata.deletionTimestamp) {
      this.onDeleteReplicaSet(rs);
      return;
    }
    const ref = controllerRef(rs);
    if (ref) {
      const d = this.resolve(rs.metadata.namespace, ref);
      if (d) this.enqueue(d);
      return;
    }
    for (const d of this.deploymentsMatching(rs)) this.enqueue(d);
  }

  private onUpdateReplicaSet(old: ReplicaSet, cur: ReplicaSet): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const curRef = controllerRef(cur);
    const oldRef = controllerRef(old);
    const refChanged = !isDeepStrictEqual(curRef, oldRef);
    if (refChanged && oldRef) {
      const d = this.resolve(old.metadata.namespace, oldRef);
      if (d) this.enqueue(d);
    }
    if (curRef) {
      const d = this.resolve(cur.metadata.namespace, curRef);
      if (d) this.enqueue(d);
      return;
    }
    const labelChanged = !isDeepStrictEqual(cur.metadata.labels ?? {}, old.metadata.labels ?? {});
    if (labelChanged || refChanged) for (const d of this.deploymentsMatching(cur)) this.enqueue(d);
  }

  private onDeleteReplicaSet(obj: ReplicaSet | DeletedFinalStateUnknown<ReplicaSet>): void {
    const rs = obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
    const d = this.resolve(rs.metadata.namespace, controllerRef(rs));
    if (d) this.enqueue(d);
  }

  /** A Recreate Deployment waits for its last old pod to go; this is when it can continue. */
  private onDeletePod(obj: Pod | DeletedFinalStateUnknown<Pod>): void {
    const pod = obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
    const ref = controllerRef(pod);
    if (!ref || ref.kind !== 'ReplicaSet') return;
    const rs = this.rsInformer.lister.get(pod.metadata.namespace ?? '', ref.name);
    if (!rs || rs.metadata.uid !== ref.uid) return;
    const d = this.resolve(rs.metadata.namespace, controllerRef(rs));
    if (!d || d.spec?.strategy?.type !== 'Recreate') return;
    const rsList = this.rsInformer.lister.list(d.metadata.namespace).filter((x) => controllerRef(x)?.uid === d.metadata.uid);
    let n = 0;
    for (const pods of this.podMapFor(d, rsList).values()) n += pods.length;
    if (n === 0) this.enqueue(d);
  }

  // ---- sync ----

  private deployments(ns: string): ResourceClient<Deployment> {
    return this.client.resource<Deployment>(DEPLOYMENTS).namespace(ns);
  }

  private replicaSets(ns: string): ResourceClient<ReplicaSet> {
    return this.client.resource<ReplicaSet>(REPLICASETS).namespace(ns);
  }

  protected override async sync(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const cached = this.dInformer.lister.get(namespace, name);
    if (!cached) return; // deleted; the garbage collector takes its ReplicaSets
    const d = jsonCopy(cached);
    const sel = d.spec?.selector;
    if (sel && !Object.keys(sel.matchLabels ?? {}).length && !sel.matchExpressions?.length) {
      this.recorder.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
        d.status = { ...(d.status ?? {}), observedGeneration: d.metadata.generation };
        await this.deployments(namespace).updateStatus(d);
      }
      return;
    }
    const rsList = await this.getReplicaSetsForDeployment(d);
    if (d.metadata.deletionTimestamp) return this.syncStatusOnly(d, rsList);
    await this.checkPausedConditions(d);
    if (d.spec?.paused) return this.syncScaleOnly(d, rsList);
    if (await this.isScalingEvent(d, rsList)) return this.syncScaleOnly(d, rsList);
    switch (d.spec?.strategy?.type ?? 'RollingUpdate') {
      case 'Recreate':
        // Inactive pods included: Recreate must know no old pod still runs. Only Recreate reads
        // the pod map, so other strategies skip the namespace-wide pod scan upstream does here.
        return rolloutRecreate(this, d, rsList, this.podMapFor(d, rsList));
      case 'RollingUpdate':
        return rolloutRolling(this, d, rsList);
      default:
        throw new Error(`unexpected deployment strategy type: ${d.spec?.strategy?.type}`);
    }
  }

  /** getReplicaSetsForDeployment: claims matching ReplicaSets (adopt orphans, release strays). */
  private async getReplicaSetsForDeployment(d: Deployment): Promise<ReplicaSet[]> {
    let selector: LabelSelector;
    try {
      selector = selectorFromLabelSelector(d.spec?.selector);
    } catch (e) {
      throw new Error(`deployment ${d.metadata.namespace}/${d.metadata.name} has invalid label selector: ${e instanceof Error ? e.message : String(e)}`);
    }
    const ns = d.metadata.namespace!;
    return claimObjects<ReplicaSet>(this.rsInformer.lister.list(ns), {
      owner: d,
      ownerKind: DEPLOYMENT_KIND,
      selector,
      client: this.replicaSets(ns),
      canAdopt: recheckDeletionTimestamp('Deployment', d, () => this.deployments(ns).get(d.metadata.name!)),
    });
  }

  /** getPodMapForDeployment: selected pods grouped by the uid of the claimed ReplicaSet owning them. */
  private podMapFor(d: Deployment, rsList: ReplicaSet[]): PodMap {
    const map: PodMap = new Map(rsList.map((rs) => [rs.metadata.uid!, []]));
    let selector: LabelSelector;
    try {
      selector = selectorFromLabelSelector(d.spec?.selector);
    } catch {
      return map;
    }
    for (const pod of this.podInformer.lister.list(d.metadata.namespace)) {
      if (!matches(selector, pod.metadata.labels ?? {})) continue;
      const ref = controllerRef(pod);
      if (ref) map.get(ref.uid)?.push(pod);
    }
    return map;
  }

  /** checkPausedConditions: Progressing Unknown with DeploymentPaused / DeploymentResumed. */
  private async checkPausedConditions(d: Deployment): Promise<void> {
    if (!hasProgressDeadline(d)) return;
    const cond = getDeploymentCondition(d.status, 'Progressing');
    if (cond?.reason === TIMED_OUT_REASON) return; // a reported timeout is not overwritten
    const pausedCondExists = cond?.reason === PAUSED_DEPLOY_REASON;
    const now = this.clock.now();
    d.status ??= {};
    if (d.spec?.paused && !pausedCondExists) {
      setDeploymentCondition(d.status, newDeploymentCondition('Progressing', 'Unknown', PAUSED_DEPLOY_REASON, 'Deployment is paused', now));
    } else if (!d.spec?.paused && pausedCondExists) {
      setDeploymentCondition(d.status, newDeploymentCondition('Progressing', 'Unknown', RESUMED_DEPLOY_REASON, 'Deployment is resumed', now));
    } else {
      return;
    }
    await this.writeStatus(d);
  }

  /** Writes d's status (and annotations, as the status subresource allows) and keeps its resourceVersion current. */
  private async writeStatus(d: Deployment): Promise<void> {
    const updated = await this.deployments(d.metadata.namespace!).updateStatus(d);
    d.metadata.resourceVersion = updated.metadata.resourceVersion;
  }

  async getAllReplicaSetsAndSyncRevision(d: Deployment, rsList: ReplicaSet[], createIfNotExisted: boolean): Promise<{ newRS?: ReplicaSet; oldRSs: ReplicaSet[] }> {
    const oldRSs = findOldReplicaSets(d, rsList);
    const newRS = await this.getNewReplicaSet(d, rsList, oldRSs, createIfNotExisted);
    return { newRS, oldRSs };
  }

  /**
   * getNewReplicaSet: the ReplicaSet of the current template with its annotations and revision
   * synced (max old revision + 1), created when asked and missing; a name taken by a ReplicaSet
   * with another template is a hash collision, which bumps status.collisionCount.
   */
  private async getNewReplicaSet(d: Deployment, rsList: ReplicaSet[], oldRSs: ReplicaSet[], create: boolean): Promise<ReplicaSet | undefined> {
    const existing = findNewReplicaSet(d, rsList);
    const newRevision = maxRevision(oldRSs) + 1;
    const ns = d.metadata.namespace!;
    const now = this.clock.now();
    d.status ??= {};
    if (existing) {
      const rsCopy = jsonCopy(existing);
      const annotationsUpdated = setNewReplicaSetAnnotations(d, rsCopy, newRevision, true);
      const minReadyNeedsUpdate = (rsCopy.spec?.minReadySeconds ?? 0) !== (d.spec?.minReadySeconds ?? 0);
      if (annotationsUpdated || minReadyNeedsUpdate) {
        rsCopy.spec!.minReadySeconds = d.spec?.minReadySeconds;
        if (!rsCopy.spec!.minReadySeconds) delete rsCopy.spec!.minReadySeconds;
        return this.replicaSets(ns).update(rsCopy);
      }
      let needsUpdate = setDeploymentRevision(d, rsCopy.metadata.annotations?.[REVISION_ANNOTATION]);
      if (hasProgressDeadline(d) && !getDeploymentCondition(d.status, 'Progressing')) {
        setDeploymentCondition(d.status, newDeploymentCondition('Progressing', 'True', FOUND_NEW_RS_REASON, `Found new replica set "${rsCopy.metadata.name}"`, now));
        needsUpdate = true;
      }
      if (needsUpdate) await this.writeStatus(d);
      return rsCopy;
    }
    if (!create) return undefined;

    const template = jsonCopy(d.spec!.template) as PodTemplateSpec;
    const hash = computeHash(template, d.status.collisionCount ?? undefined);
    template.metadata ??= {};
    template.metadata.labels = { ...(d.spec!.template.metadata?.labels ?? {}), [DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY]: hash };
    const selector = jsonCopy(d.spec!.selector);
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY]: hash };
    const newRS: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace: ns,
        ownerReferences: [newControllerRef(d, DEPLOYMENT_KIND)],
        labels: { ...template.metadata.labels },
      },
      spec: { replicas: 0, selector, template: template as NonNullable<ReplicaSet['spec']>['template'] },
    };
    if (d.spec?.minReadySeconds) newRS.spec!.minReadySeconds = d.spec.minReadySeconds;
    const replicas = newRSNewReplicas(d, [...oldRSs, newRS], newRS);
    newRS.spec!.replicas = replicas;
    setNewReplicaSetAnnotations(d, newRS, newRevision, false);

    let created: ReplicaSet;
    let alreadyExists = false;
    try {
      created = await this.replicaSets(ns).create(newRS);
    } catch (e) {
      if (e instanceof StatusError && e.code === 409 && e.reason === 'AlreadyExists') {
        alreadyExists = true;
        const rs = this.rsInformer.lister.get(ns, newRS.metadata.name!) ?? (await this.replicaSets(ns).get(newRS.metadata.name!));
        const ref = controllerRef(rs);
        if (ref?.uid === d.metadata.uid && equalIgnoreHash(d.spec?.template as PodTemplateSpec, rs.spec?.template as PodTemplateSpec)) {
          created = rs;
        } else {
          // A hash collision: another template got this name. Try the next name on the next sync.
          d.status.collisionCount = (d.status.collisionCount ?? 0) + 1;
          await this.writeStatus(d).catch(() => undefined);
          throw e;
        }
      } else if (e instanceof StatusError && e.status.details?.causes?.some((c) => c.reason === 'NamespaceTerminating')) {
        throw e;
      } else {
        const msg = `Failed to create new replica set "${newRS.metadata.name}": ${e instanceof Error ? e.message : String(e)}`;
        if (hasProgressDeadline(d)) {
          setDeploymentCondition(d.status, newDeploymentCondition('Progressing', 'False', FAILED_RS_CREATE_REASON, msg, now));
          await this.writeStatus(d).catch(() => undefined);
        }
        this.recorder.event(d, 'Warning', FAILED_RS_CREATE_REASON, msg);
        throw e;
      }
    }
    if (!alreadyExists && replicas > 0) {
      this.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} from 0 to ${replicas}`);
    }
    let needsUpdate = setDeploymentRevision(d, String(newRevision));
    if (!alreadyExists && hasProgressDeadline(d)) {
      setDeploymentCondition(d.status, newDeploymentCondition('Progressing', 'True', NEW_REPLICA_SET_REASON, `Created new replica set "${created.metadata.name}"`, now));
      needsUpdate = true;
    }
    if (needsUpdate) await this.writeStatus(d);
    return created;
  }

  private async syncStatusOnly(d: Deployment, rsList: ReplicaSet[]): Promise<void> {
    const { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(d, rsList, false);
    await this.syncDeploymentStatus([...oldRSs, newRS], newRS, d);
  }

  /** sync: scale (paused or a scaling event), clean up history while paused, write status. */
  private async syncScaleOnly(d: Deployment, rsList: ReplicaSet[]): Promise<void> {
    const { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(d, rsList, false);
    await this.scale(d, newRS, oldRSs);
    if (d.spec?.paused) await this.cleanupDeployment(oldRSs, d);
    await this.syncDeploymentStatus([...oldRSs, newRS], newRS, d);
  }

  /** isScalingEvent: an active ReplicaSet was sized for another spec.replicas. */
  private async isScalingEvent(d: Deployment, rsList: ReplicaSet[]): Promise<boolean> {
    const { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(d, rsList, false);
    for (const rs of activeReplicaSets([...oldRSs, newRS])) {
      const desired = desiredReplicasAnnotation(rs);
      if (desired === undefined) continue;
      if (desired !== desiredReplicas(d)) return true;
    }
    return false;
  }

  /**
   * scale: one active ReplicaSet takes all replicas; a saturated new one leaves the old ones at
   * zero; otherwise (RollingUpdate) replicas are added or removed proportionally to each active
   * ReplicaSet's size against max-replicas, leftovers to the largest.
   */
  private async scale(d: Deployment, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Promise<void> {
    const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
    if (activeOrLatest) {
      if (specReplicas(activeOrLatest) === desiredReplicas(d)) return;
      await this.scaleReplicaSetAndRecordEvent(activeOrLatest, desiredReplicas(d), d);
      return;
    }
    if (isSaturated(d, newRS)) {
      for (const old of activeReplicaSets(oldRSs)) await this.scaleReplicaSetAndRecordEvent(old, 0, d);
      return;
    }
    if (!isRollingUpdate(d)) return;
    const allRSs = activeReplicaSets([...oldRSs, newRS]);
    const allowed = desiredReplicas(d) > 0 ? desiredReplicas(d) + maxSurge(d) : 0;
    const toAdd = allowed - replicaCount(allRSs);
    if (toAdd > 0) allRSs.sort(bySizeNewer);
    else if (toAdd < 0) allRSs.sort(bySizeOlder);
    let added = 0;
    const sizes = new Map<string, number>();
    for (const rs of allRSs) {
      if (toAdd !== 0) {
        const p = getProportion(rs, d, toAdd, added);
        sizes.set(rs.metadata.name!, specReplicas(rs) + p);
        added += p;
      } else {
        sizes.set(rs.metadata.name!, specReplicas(rs));
      }
    }
    for (let i = 0; i < allRSs.length; i++) {
      const rs = allRSs[i];
      if (i === 0 && toAdd !== 0) sizes.set(rs.metadata.name!, Math.max(0, sizes.get(rs.metadata.name!)! + toAdd - added));
      await this.scaleReplicaSet(rs, sizes.get(rs.metadata.name!)!, d);
    }
  }

  async scaleReplicaSetAndRecordEvent(rs: ReplicaSet, newScale: number, d: Deployment): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    if (specReplicas(rs) === newScale) return { scaled: false, rs };
    return this.scaleReplicaSet(rs, newScale, d);
  }

  /** scaleReplicaSet: sets replicas and the replica annotations; the ScalingReplicaSet event on size changes. */
  private async scaleReplicaSet(rs: ReplicaSet, newScale: number, d: Deployment): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    const oldScale = specReplicas(rs);
    const sizeNeedsUpdate = oldScale !== newScale;
    const desired = desiredReplicas(d);
    const max = desired + maxSurge(d);
    if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, desired, max)) return { scaled: false, rs };
    const rsCopy = jsonCopy(rs);
    rsCopy.spec!.replicas = newScale;
    setReplicasAnnotations(rsCopy, desired, max);
    const updated = await this.replicaSets(rs.metadata.namespace!).update(rsCopy);
    if (!sizeNeedsUpdate) return { scaled: false, rs: updated };
    const op = oldScale < newScale ? 'up' : 'down';
    this.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${op} replica set ${updated.metadata.name} from ${oldScale} to ${newScale}`);
    return { scaled: true, rs: updated };
  }

  /**
   * cleanupDeployment: deletes the oldest old ReplicaSets beyond revisionHistoryLimit, only those
   * scaled to zero with no pods left and their spec observed.
   */
  async cleanupDeployment(oldRSs: ReplicaSet[], d: Deployment): Promise<void> {
    if (!hasRevisionHistoryLimit(d)) return;
    const cleanable = oldRSs.filter((rs) => rs && !rs.metadata.deletionTimestamp).sort(byRevision);
    const diff = cleanable.length - d.spec!.revisionHistoryLimit!;
    for (let i = 0; i < diff; i++) {
      const rs = cleanable[i];
      if ((rs.status?.replicas ?? 0) !== 0 || specReplicas(rs) !== 0 || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0) || rs.metadata.deletionTimestamp) {
        continue;
      }
      try {
        await this.replicaSets(rs.metadata.namespace!).delete(rs.metadata.name!);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  }

  /** syncDeploymentStatus: the counts and Available condition, written when they changed. */
  private async syncDeploymentStatus(allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment): Promise<void> {
    const status = calculateStatus(allRSs.filter((x): x is ReplicaSet => !!x), newRS, d, this.clock.now());
    if (isDeepStrictEqual(normalised(d.status), normalised(status))) return;
    d.status = status;
    await this.writeStatus(d);
  }

  /** syncRolloutStatus: status with progress; requeues on the clock for the progress deadline. */
  async syncRolloutStatus(allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment): Promise<void> {
    const now = this.clock.now();
    const status = rolloutStatus(allRSs.filter((x): x is ReplicaSet => !!x), newRS, d, now);
    if (isDeepStrictEqual(normalised(d.status), normalised(status))) {
      const after = stuckRequeueAfter(d, status, now);
      const key = `${d.metadata.namespace}/${d.metadata.name}`;
      if (after === 0) this.queue.addRateLimited(key);
      else if (after !== undefined) this.queue.addAfter(key, after);
      return;
    }
    d.status = status;
    await this.writeStatus(d);
  }
}

// reflect.DeepEqual on Go structs ignores how JSON spelled absence.
function normalised(s: unknown): unknown {
  return JSON.parse(JSON.stringify(s ?? {}));
}
