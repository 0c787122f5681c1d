// kube-controller-manager's Job controller (pkg/controller/job/job_controller.go, v1.32): pods for
// a Job up to parallelism and the remaining completions, finished pods counted through the
// batch.kubernetes.io/job-tracking finalizer and status.uncountedTerminatedPods (so a pod is never
// counted twice, nor lost, across restarts), the pod failure backoff, backoffLimit,
// activeDeadlineSeconds, suspend, podFailurePolicy, Indexed completion and successPolicy. As in
// v1.32 (JobManagedBy and JobPodReplacementPolicy on), a finishing Job first gets the interim
// SuccessCriteriaMet / FailureTarget condition, and Complete / Failed only once no pod is left
// uncounted or terminating.
import { jsonCopy } from '../../apimachinery/json.js';
import { isDeepStrictEqual } from 'node:util';
import type { OwnerReference } from '../../api/types.js';
import type { PodTemplateSpec } from '../../api/objects.js';
import { controllerRef, isPodActive, isPodReady } from '../../api/pod.js';
import { StatusError } from '../../apimachinery/errors.js';
import { isEmptySelector, matches, selectorFromLabelSelector } from '../../apimachinery/labels.js';
import type { EventRecorder } from '../../client/events.js';
import { DeletedFinalStateUnknown, splitMetaNamespaceKey, type SharedInformer } from '../../client/informer.js';
import { isNotFound, type ResourceClient, type RestClient } from '../../client/rest.js';
import { ItemExponentialFailureRateLimiter, WorkQueue } from '../../client/workqueue.js';
import { rfc3339 } from '../../sim/clock.js';
import { recorderFor, type ControllerContext } from '../context.js';
import { Controller } from '../controller.js';
import { DEFAULT_POD_FAILURE_BACKOFF_MS, MAX_POD_FAILURE_BACKOFF_MS, nextBackoffRecord, remainingBackoffMs, type BackoffRecord } from './backoff.js';
import { ControllerExpectations, UIDTrackingExpectations } from '../expectations.js';
import {
  addCompletionIndexEnv,
  completionIndex,
  firstPendingIndexes,
  formatIntervals,
  generateNameWithIndex,
  intervalsHas,
  intervalsTotal,
  isIndexedJob,
  parseIndexes,
  UNKNOWN_INDEX,
  withIndexes,
  type Intervals,
} from './indexed.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';
import type { Job, JobCondition, Pod } from './types.js';
import { findCondition, isJobFinished, JOB_COMPLETION_INDEX, JOB_TRACKING_FINALIZER } from './util.js';
import { JOBS, PODS } from '../../client/refs.js';

/** The service account (and event source) the controller runs as. */
export const JOB_CONTROLLER = 'job-controller';
/** batch.JobControllerName: the managedBy value this controller acts on. */
const MANAGED_BY_SELF = 'kubernetes.io/job-controller';
/** syncJobBatchPeriod: pod events and status updates sync a Job at most once a second. */
const SYNC_BATCH_MS = 1000;
/** MaxUncountedPods and MaxPodCreateDeletePerSync. */
const MAX_UNCOUNTED = 500;
const MAX_POD_CREATE_DELETE = 500;
/** controller.SlowStartInitialBatchSize. */
const SLOW_START_BATCH = 1;

/** Optional tuning of the controller. */
export interface JobControllerOptions {
  /** --concurrent-job-syncs (5 upstream). */
  workers?: number;
  podFailureBackoffMs?: number;
  maxPodFailureBackoffMs?: number;
}

/** What one sync of a Job works with (syncJobCtx). */
interface SyncCtx {
  key: string;
  job: Job;
  pods: Pod[];
  activePods: Pod[];
  ready: number;
  terminating: number;
  succeeded: number;
  failed: number;
  finished?: JobCondition;
  uncountedSucceeded: Set<string>;
  uncountedFailed: Set<string>;
  expectedRm: ReadonlySet<string>;
  newBackoff: BackoffRecord;
  prevSucceededIndexes: Intervals;
  succeededIndexes: Intervals;
}

function hasTrackingFinalizer(p: Pod): boolean {
  return p.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER) ?? false;
}

function suspended(job: Job): boolean {
  return job.spec?.suspend === true;
}

/** A pod that needs no replacement before it is Failed (podReplacementPolicy Failed, or a podFailurePolicy). */
function onlyReplaceFailedPods(job: Job): boolean {
  return job.spec?.podReplacementPolicy === 'Failed' || !!job.spec?.podFailurePolicy;
}

/** isPodFailed: Failed, or (unless only failed pods are replaced) deleted before it succeeded. */
function isPodFailed(p: Pod, job: Job): boolean {
  if (p.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return !!p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded';
}

function isTerminating(p: Pod): boolean {
  return !!p.metadata.deletionTimestamp && p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded';
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** controller.ActivePods ordering: the pods least far along come first (deleted first). */
function compareActivePods(a: Pod, b: Pod): number {
  const assigned = (p: Pod) => (p.spec?.nodeName ? 1 : 0);
  if (assigned(a) !== assigned(b)) return assigned(a) - assigned(b);
  const rank = (p: Pod) => PHASE_RANK[p.status?.phase ?? 'Pending'] ?? 0;
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  const ready = (p: Pod) => (isPodReady(p) ? 1 : 0);
  if (ready(a) !== ready(b)) return ready(a) - ready(b);
  const restarts = (p: Pod) => Math.max(0, ...(p.status?.containerStatuses ?? []).map((s) => s.restartCount ?? 0));
  if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
  const created = (p: Pod) => Date.parse(p.metadata.creationTimestamp ?? '') || 0;
  return created(b) - created(a);
}

function newCondition(type: string, status: string, reason: string, message: string, nowMs: number): JobCondition {
  const t = rfc3339(nowMs);
  return { type, status, lastProbeTime: t, lastTransitionTime: t, reason, message };
}

/** ensureJobConditionStatus: sets the condition, or adds it unless it would be added as False. */
function ensureCondition(job: Job, type: string, status: string, reason: string, message: string, nowMs: number): boolean {
  const list = job.status!.conditions ?? [];
  const i = list.findIndex((c) => c.type === type);
  if (i >= 0) {
    const c = list[i];
    if (c.status === status && (c.reason ?? '') === reason && (c.message ?? '') === message) return false;
    list[i] = newCondition(type, status, reason, message, nowMs);
    return true;
  }
  if (status === 'False') return false;
  job.status!.conditions = [...list, newCondition(type, status, reason, message, nowMs)];
  return true;
}

/** matchSuccessPolicy: the first rule the succeeded indexes satisfy. */
function matchSuccessPolicy(job: Job, succeeded: Intervals): string | undefined {
  const rules = job.spec?.successPolicy?.rules;
  if (!rules || !succeeded.length) return undefined;
  const completions = job.spec?.completions ?? 0;
  for (const [i, rule] of rules.entries()) {
    if (rule.succeededIndexes !== undefined) {
      const required = parseIndexes(rule.succeededIndexes, completions);
      if (!required.length) continue;
      let contained = 0;
      for (const [f, l] of required) for (let x = f; x <= l; x++) if (intervalsHas(succeeded, x)) contained++;
      const ok = rule.succeededCount === undefined ? contained === intervalsTotal(required) : contained >= rule.succeededCount;
      if (ok) return `Matched rules at index ${i}`;
    } else if (rule.succeededCount !== undefined && intervalsTotal(succeeded) >= rule.succeededCount) {
      return `Matched rules at index ${i}`;
    }
  }
  return undefined;
}

/** The Job controller; construct before the informer factory starts, then start(signal). */
export class JobController extends Controller {
  private readonly client: RestClient;
  private readonly jobsApi: ResourceClient<Job>;
  private readonly podsApi: ResourceClient<Pod>;
  private readonly recorder: EventRecorder;
  private readonly jobs: SharedInformer<Job>;
  private readonly pods: SharedInformer<Pod>;
  private readonly expectations: ControllerExpectations;
  private readonly finalizerExpectations = new UIDTrackingExpectations();
  private readonly backoff = new Map<string, BackoffRecord>();
  private readonly orphanQueue: WorkQueue<string>;
  private readonly baseBackoffMs: number;
  private readonly maxBackoffMs: number;

  constructor(ctx: ControllerContext, opts: JobControllerOptions = {}) {
    super('job', { clock: ctx.clock, workers: opts.workers ?? 5, log: ctx.log, rateLimiter: new ItemExponentialFailureRateLimiter<string>(1000, 60_000) });
    this.client = ctx.clientFor(JOB_CONTROLLER);
    this.jobsApi = this.client.resource<Job>(JOBS);
    this.podsApi = this.client.resource<Pod>(PODS);
    this.recorder = recorderFor(ctx, JOB_CONTROLLER);
    this.expectations = new ControllerExpectations(ctx.clock);
    this.baseBackoffMs = opts.podFailureBackoffMs ?? DEFAULT_POD_FAILURE_BACKOFF_MS;
    this.maxBackoffMs = opts.maxPodFailureBackoffMs ?? MAX_POD_FAILURE_BACKOFF_MS;
    this.orphanQueue = new WorkQueue<string>({ clock: ctx.clock, name: 'job_orphan_pod', rateLimiter: new ItemExponentialFailureRateLimiter<string>(1000, 60_000) });
    this.jobs = ctx.informers.forResource<Job>(JOBS);
    this.pods = ctx.informers.forResource<Pod>(PODS);
    this.jobs.addEventHandler({
      onAdd: (j) => this.queue.add(keyOf(j)),
      onUpdate: (o, n) => this.updateJob(o, n),
      onDelete: (j) => this.deleteJob(j),
    });
    this.pods.addEventHandler({
      onAdd: (p) => this.addPod(p),
      onUpdate: (o, n) => this.updatePod(o, n),
      onDelete: (p) => this.deletePod(p instanceof DeletedFinalStateUnknown ? p.obj : p, true),
    });
  }

  protected override async run(signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => this.orphanQueue.shutDown(), { once: true });
    await Promise.all([this.jobs.waitForSync(), this.pods.waitForSync()]);
    void this.orphanWorker();
  }

  // ---- event handlers -------------------------------------------------------------------------

  private enqueueBatched(job: Job, delayMs = SYNC_BATCH_MS): void {
    this.queue.addAfter(keyOf(job), Math.max(delayMs, SYNC_BATCH_MS));
  }

  private updateJob(old: Job, cur: Job): void {
    const key = keyOf(cur);
    if (cur.metadata.generation === old.metadata.generation) this.enqueueBatched(cur);
    else this.queue.add(key);
    if (isJobFinished(cur)) this.cleanupPodFinalizers(cur);
    const ads = cur.spec?.activeDeadlineSeconds;
    if (cur.status?.startTime && ads != null && ads !== old.spec?.activeDeadlineSeconds) {
      const passed = this.clock.now() - Date.parse(cur.status.startTime);
      this.queue.addAfter(key, Math.max(0, ads * 1000 - passed));
    }
  }

  private deleteJob(obj: Job | DeletedFinalStateUnknown<Job>): void {
    const job = obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
    this.queue.add(keyOf(job));
    this.cleanupPodFinalizers(job);
  }

  /** The Job a controllerRef names, if it is in the cache with that uid. */
  private resolveControllerRef(namespace: string, ref: OwnerReference): Job | undefined {
    if (ref.kind !== 'Job') return undefined;
    const job = this.jobs.lister.get(namespace, ref.name);
    return job && job.metadata.uid === ref.uid ? job : undefined;
  }

  /** Jobs whose selector matches an orphan pod's labels. */
  private podJobs(pod: Pod): Job[] {
    return this.jobs.lister.list(pod.metadata.namespace).filter((j) => {
      if (!j.spec?.selector) return false;
      const sel = selectorFromLabelSelector(j.spec.selector);
      return !isEmptySelector(sel) && matches(sel, pod.metadata.labels ?? {});
    });
  }

  private addPod(pod: Pod): void {
    if (pod.metadata.deletionTimestamp) {
      this.deletePod(pod, false);
      return;
    }
    const ref = controllerRef(pod);
    if (ref) {
      const job = this.resolveControllerRef(pod.metadata.namespace!, ref);
      if (!job) return;
      this.expectations.creationObserved(keyOf(job));
      this.enqueueBatched(job);
      return;
    }
    if (hasTrackingFinalizer(pod)) this.orphanQueue.add(keyOf(pod));
    for (const job of this.podJobs(pod)) this.enqueueBatched(job);
  }

  private updatePod(old: Pod, cur: Pod): void {
    if (cur.metadata.resourceVersion === old.metadata.resourceVersion) return;
    if (cur.metadata.deletionTimestamp) {
      this.deletePod(cur, false);
      return;
    }
    const finalizerRemoved = !hasTrackingFinalizer(cur);
    const curRef = controllerRef(cur);
    const oldRef = controllerRef(old);
    const refChanged = !isDeepStrictEqual(curRef, oldRef);
    if (refChanged && oldRef) {
      const job = this.resolveControllerRef(old.metadata.namespace!, oldRef);
      if (job) {
        if (finalizerRemoved) this.finalizerExpectations.finalizerRemovalObserved(keyOf(job), cur.metadata.uid!);
        this.enqueueBatched(job);
      }
    }
    if (curRef) {
      const job = this.resolveControllerRef(cur.metadata.namespace!, curRef);
      if (!job) return;
      if (finalizerRemoved) this.finalizerExpectations.finalizerRemovalObserved(keyOf(job), cur.metadata.uid!);
      this.enqueueBatched(job);
      return;
    }
    if (hasTrackingFinalizer(cur)) this.orphanQueue.add(keyOf(cur));
    if (refChanged || !isDeepStrictEqual(cur.metadata.labels, old.metadata.labels)) {
      for (const job of this.podJobs(cur)) this.enqueueBatched(job);
    }
  }

  private deletePod(pod: Pod, final: boolean): void {
    const ref = controllerRef(pod);
    const hasFinalizer = hasTrackingFinalizer(pod);
    if (!ref) {
      if (hasFinalizer) this.orphanQueue.add(keyOf(pod));
      return;
    }
    const job = this.resolveControllerRef(pod.metadata.namespace!, ref);
    if (!job || isJobFinished(job)) {
      if (hasFinalizer) this.orphanQueue.add(keyOf(pod));
      return;
    }
    const key = keyOf(job);
    this.expectations.deletionObserved(key);
    if (final || !hasFinalizer) this.finalizerExpectations.finalizerRemovalObserved(key, pod.metadata.uid!);
    this.enqueueBatched(job);
  }

  /** A finished or deleted Job's pods that still carry the finalizer go to the orphan queue. */
  private cleanupPodFinalizers(job: Job): void {
    for (const pod of this.pods.lister.list(job.metadata.namespace)) {
      if (controllerRef(pod)?.uid === job.metadata.uid && hasTrackingFinalizer(pod)) this.orphanQueue.add(keyOf(pod));
    }
  }

  // ---- orphan pods ----------------------------------------------------------------------------

  private async orphanWorker(): Promise<void> {
    for (;;) {
      const next = await this.orphanQueue.get();
      if (next.shutdown) return;
      try {
        await this.syncOrphanPod(next.item);
        this.orphanQueue.forget(next.item);
      } catch (e) {
        this.log(`job: error syncing orphan pod ${JSON.stringify(next.item)}`, e);
        this.orphanQueue.addRateLimited(next.item);
      } finally {
        this.orphanQueue.done(next.item);
      }
    }
  }

  /** Removes the tracking finalizer of a pod no unfinished Job of ours will count any more. */
  private async syncOrphanPod(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const pod = this.pods.lister.get(namespace, name);
    if (!pod) return;
    const ref = controllerRef(pod);
    if (ref) {
      if (ref.kind !== 'Job' || ref.apiVersion !== 'batch/v1') return;
      const job = this.resolveControllerRef(namespace, ref);
      if (job && managedByOther(job)) return;
      if (job && !isJobFinished(job)) return;
    }
    await this.removeFinalizer(pod).catch((e) => {
      if (!isNotFound(e)) throw e;
    });
  }

  private removeFinalizer(pod: Pod): Promise<Pod> {
    return this.podsApi.namespace(pod.metadata.namespace!).patch(pod.metadata.name!, 'strategic', {
      metadata: { '$deleteFromPrimitiveList/finalizers': [JOB_TRACKING_FINALIZER] },
    });
  }

  // ---- sync -----------------------------------------------------------------------------------

  protected async sync(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const shared = this.jobs.lister.get(namespace, name);
    if (!shared) {
      this.expectations.deleteExpectations(key);
      this.finalizerExpectations.deleteExpectations(key);
      this.backoff.delete(key);
      return;
    }
    if (managedByOther(shared)) return;
    const job: Job = jsonCopy(shared);
    if (isJobFinished(job)) {
      this.backoff.delete(key);
      return;
    }
    const mode = job.spec?.completionMode;
    if (mode !== undefined && mode !== 'NonIndexed' && mode !== 'Indexed') {
      this.recorder.event(job, 'Warning', 'UnknownCompletionMode', 'Skipped Job sync because completion mode is unknown');
      return;
    }
    const status = (job.status ??= {});
    status.uncountedTerminatedPods ??= {};
    const now = this.clock.now();

    // Checked before the pods are read, so a pod created after the check waits for the next sync.
    const satisfied = this.expectations.satisfiedExpectations(key);
    const pods = await this.podsForJob(job);
    const activePods = pods.filter(isPodActive);
    const c: SyncCtx = {
      key,
      job,
      pods,
      activePods,
      ready: activePods.filter(isPodReady).length,
      terminating: pods.filter(isTerminating).length,
      succeeded: 0,
      failed: 0,
      uncountedSucceeded: new Set(status.uncountedTerminatedPods.succeeded ?? []),
      uncountedFailed: new Set(status.uncountedTerminatedPods.failed ?? []),
      expectedRm: this.finalizerExpectations.getExpectedUIDs(key),
      newBackoff: { failuresAfterLastSuccess: 0 },
      prevSucceededIndexes: [],
      succeededIndexes: [],
    };
    let active = activePods.length;
    const { newSucceeded, newFailed } = this.newFinishedPods(c);
    c.succeeded = (status.succeeded ?? 0) + newSucceeded.length + c.uncountedSucceeded.size;
    const nonIgnoredFailed = newFailed.filter((p) => matchPodFailurePolicy(job.spec?.podFailurePolicy, p).countFailed).length;
    c.failed = (status.failed ?? 0) + nonIgnoredFailed + c.uncountedFailed.size;

    if (!status.startTime && !suspended(job)) status.startTime = rfc3339(now);
    c.newBackoff = nextBackoffRecord(this.backoff.get(key) ?? { failuresAfterLastSuccess: 0 }, newSucceeded, newFailed);

    let manageErr: unknown;
    const criteriaMet = findCondition(job, 'SuccessCriteriaMet');
    if (criteriaMet?.status === 'True') c.finished = criteriaMet;
    if (!c.finished) {
      const target = findCondition(job, 'FailureTarget');
      if (target?.status === 'True') c.finished = newCondition('Failed', 'True', target.reason ?? '', target.message ?? '', now);
      else {
        const msg = this.failJobMessage(job, pods);
        if (msg !== undefined) c.finished = newCondition('FailureTarget', 'True', 'PodFailurePolicy', msg, now);
      }
    }
    if (!c.finished) {
      if (c.failed > (job.spec?.backoffLimit ?? 6) || pastBackoffLimitOnFailure(job, pods)) {
        c.finished = newCondition('FailureTarget', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', now);
      } else if (this.pastActiveDeadline(job)) {
        c.finished = newCondition('FailureTarget', 'True', 'DeadlineExceeded', 'Job was active longer than specified deadline', now);
      } else if (job.spec?.activeDeadlineSeconds != null && !suspended(job)) {
        const left = job.spec.activeDeadlineSeconds * 1000 - (now - Date.parse(status.startTime!));
        this.queue.addAfter(key, Math.max(0, left));
      }
    }

    if (isIndexedJob(job)) {
      const completions = job.spec?.completions ?? 0;
      c.prevSucceededIndexes = parseIndexes(status.completedIndexes, completions);
      const fresh = new Set<number>();
      for (const p of pods) {
        const ix = completionIndex(p);
        if (p.status?.phase === 'Succeeded' && ix !== UNKNOWN_INDEX && ix < completions && hasTrackingFinalizer(p)) fresh.add(ix);
      }
      c.succeededIndexes = withIndexes(c.prevSucceededIndexes, fresh);
      c.succeeded = intervalsTotal(c.succeededIndexes);
      if (!c.finished) {
        const msg = matchSuccessPolicy(job, c.succeededIndexes);
        if (msg) c.finished = newCondition('SuccessCriteriaMet', 'True', 'SuccessPolicy', msg, now);
      }
    }

    let suspendChanged = false;
    if (c.finished) {
      const { deleted, deletedReady, err } = await this.deleteActivePods(job, c.activePods);
      // Not finished yet: deletions may have failed, or pods may not be in the cache yet.
      if (deleted !== active || !satisfied) c.finished = undefined;
      active -= deleted;
      c.terminating += deleted;
      c.ready -= deletedReady;
      manageErr = err;
    } else {
      let managed = false;
      if (satisfied && !job.metadata.deletionTimestamp) {
        try {
          active = await this.manageJob(c);
        } catch (e) {
          manageErr = e;
          active = (e as { active?: number }).active ?? active;
        }
        managed = true;
      }
      const completions = job.spec?.completions;
      const complete = completions == null ? c.succeeded > 0 && active === 0 : c.succeeded >= completions && active === 0;
      if (complete) {
        c.finished = newCondition('SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods', now);
      } else if (managed) {
        if (suspended(job)) {
          if (ensureCondition(job, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now)) {
            suspendChanged = true;
            this.recorder.event(job, 'Normal', 'Suspended', 'Job suspended');
          }
        } else if (ensureCondition(job, 'Suspended', 'False', 'JobResumed', 'Job resumed', now)) {
          suspendChanged = true;
          this.recorder.event(job, 'Normal', 'Resumed', 'Job resumed');
          // activeDeadlineSeconds counts continuous activity: it starts again on resume.
          status.startTime = rfc3339(now);
        }
      }
    }

    const needsUpdate = suspendChanged || active !== (status.active ?? 0) || c.ready !== status.ready || c.terminating !== status.terminating;
    status.active = active;
    status.ready = c.ready;
    status.terminating = c.terminating;
    await this.trackStatusAndRemoveFinalizers(c, needsUpdate);
    if (manageErr) throw manageErr;
  }

  /** Pods this Job owns, adopting orphans its selector matches (ClaimPods with the tracking finalizer). */
  private async podsForJob(job: Job): Promise<Pod[]> {
    const sel = job.spec?.selector ? selectorFromLabelSelector(job.spec.selector) : undefined;
    const out: Pod[] = [];
    for (const pod of this.pods.lister.list(job.metadata.namespace)) {
      const ref = controllerRef(pod);
      if (ref) {
        if (ref.uid === job.metadata.uid) out.push(pod);
        continue;
      }
      if (!sel || isEmptySelector(sel) || !matches(sel, pod.metadata.labels ?? {})) continue;
      if (pod.metadata.deletionTimestamp || job.metadata.deletionTimestamp) continue;
      try {
        const adopted = await this.podsApi.namespace(pod.metadata.namespace!).patch(pod.metadata.name!, 'strategic', {
          metadata: { ownerReferences: [ownerRefTo(job)], uid: pod.metadata.uid, finalizers: [JOB_TRACKING_FINALIZER] },
        });
        out.push(adopted);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    return out;
  }

  /** Finished pods not yet counted: they still carry the finalizer and are in no uncounted list. */
  private newFinishedPods(c: SyncCtx): { newSucceeded: Pod[]; newFailed: Pod[] } {
    const valid = (p: Pod, uncounted: Set<string>) => {
      const uid = p.metadata.uid!;
      if (!hasTrackingFinalizer(p) || uncounted.has(uid) || c.expectedRm.has(uid)) return false;
      if (isIndexedJob(c.job)) {
        const ix = completionIndex(p);
        if (ix === UNKNOWN_INDEX || ix >= (c.job.spec?.completions ?? 0)) return false;
      }
      return true;
    };
    return {
      newSucceeded: c.pods.filter((p) => valid(p, c.uncountedSucceeded) && p.status?.phase === 'Succeeded'),
      newFailed: c.pods.filter((p) => valid(p, c.uncountedFailed) && isPodFailed(p, c.job)),
    };
  }

  private failJobMessage(job: Job, pods: Pod[]): string | undefined {
    if (!job.spec?.podFailurePolicy) return undefined;
    for (const p of pods) {
      if (!isPodFailed(p, job)) continue;
      const m = matchPodFailurePolicy(job.spec.podFailurePolicy, p);
      if (m.jobFailureMessage !== undefined) return m.jobFailureMessage;
    }
    return undefined;
  }

  private pastActiveDeadline(job: Job): boolean {
    const ads = job.spec?.activeDeadlineSeconds;
    if (ads == null || !job.status?.startTime || suspended(job)) return false;
    return this.clock.now() - Date.parse(job.status.startTime) >= ads * 1000;
  }

  /** Deletes active pods (suspension or surplus); returns how many stay active, also on failure. */
  private async removeActivePods(c: SyncCtx, toDelete: Pod[], active: number): Promise<number> {
    this.expectations.expectDeletions(c.key, toDelete.length);
    const r = await this.deleteJobPods(c.job, c.key, toDelete);
    active -= r.deleted;
    c.terminating += r.deleted;
    c.ready -= r.deletedReady;
    if (r.err) throw Object.assign(r.err as object, { active });
    return active;
  }

  /** manageJob: delete surplus pods, or create missing ones (after the failure backoff). Returns active. */
  private async manageJob(c: SyncCtx): Promise<number> {
    const job = c.job;
    const key = c.key;
    let active = c.activePods.length;
    const parallelism = job.spec?.parallelism ?? 1;
    if (suspended(job)) return this.removeActivePods(c, activePodsForRemoval(job, c.activePods, active), active);
    const completions = job.spec?.completions;
    let want: number;
    if (completions == null) want = c.succeeded > 0 ? active : parallelism;
    else want = Math.max(0, Math.min(completions - c.succeeded, parallelism));

    const toDelete = activePodsForRemoval(job, c.activePods, Math.max(0, active - want)).slice(0, MAX_POD_CREATE_DELETE);
    if (toDelete.length) return this.removeActivePods(c, toDelete, active);

    const terminating = onlyReplaceFailedPods(job) ? c.terminating : 0;
    let diff = want - terminating - active;
    if (diff <= 0) return active;
    const wait = remainingBackoffMs(c.newBackoff, this.clock.now(), this.baseBackoffMs, this.maxBackoffMs);
    if (wait > 0) {
      this.enqueueBatched(job, wait);
      return active;
    }
    diff = Math.min(diff, MAX_POD_CREATE_DELETE);
    let indexes: number[] | undefined;
    if (isIndexedJob(job)) {
      const busy = c.activePods.map(completionIndex).filter((i) => i !== UNKNOWN_INDEX);
      if (onlyReplaceFailedPods(job)) busy.push(...c.pods.filter(isTerminating).map(completionIndex).filter((i) => i !== UNKNOWN_INDEX));
      indexes = firstPendingIndexes(withIndexes(c.succeededIndexes, busy), diff, completions ?? 0);
      diff = indexes.length;
      if (!diff) return active;
    }

    this.expectations.expectCreations(key, diff);
    const template: PodTemplateSpec = jsonCopy(job.spec!.template);
    if (isIndexedJob(job)) addCompletionIndexEnv(template);
    const finalizers = template.metadata?.finalizers ?? [];
    if (!finalizers.includes(JOB_TRACKING_FINALIZER)) finalizers.push(JOB_TRACKING_FINALIZER);
    (template.metadata ??= {}).finalizers = finalizers;

    active += diff;
    let firstErr: unknown;
    // Slow start: batches of 1, 2, 4, ... so a Job that cannot create pods (quota) stops early.
    for (let batch = Math.min(diff, SLOW_START_BATCH); diff > 0; batch = Math.min(2 * batch, diff)) {
      const results = await Promise.all(
        Array.from({ length: batch }, () => {
          const ix = indexes?.shift();
          return this.createPod(job, template, ix).then(
            () => undefined,
            (e: unknown) => e,
          );
        }),
      );
      const errors = results.filter((e) => e !== undefined);
      for (const e of errors) {
        this.expectations.creationObserved(key);
        active--;
        if (!isNamespaceTerminating(e)) firstErr ??= e;
      }
      diff -= batch;
      if (errors.length && diff > 0) {
        for (let i = 0; i < diff; i++) this.expectations.creationObserved(key);
        active -= diff;
        break;
      }
    }
    if (firstErr) throw Object.assign(firstErr as object, { active });
    return active;
  }

  private async createPod(job: Job, template: PodTemplateSpec, index: number | undefined): Promise<void> {
    const t: PodTemplateSpec = index === undefined ? template : jsonCopy(template);
    const meta = t.metadata ?? {};
    let generateName = `${job.metadata.name}-`;
    const spec = jsonCopy(t.spec!);
    const annotations = { ...(meta.annotations ?? {}) };
    const labels = { ...(meta.labels ?? {}) };
    if (index !== undefined) {
      annotations[JOB_COMPLETION_INDEX] = String(index);
      labels[JOB_COMPLETION_INDEX] = String(index);
      spec.hostname = `${job.metadata.name}-${index}`;
      generateName = generateNameWithIndex(job.metadata.name!, index);
    }
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        generateName,
        namespace: job.metadata.namespace,
        labels,
        ...(Object.keys(annotations).length ? { annotations } : {}),
        finalizers: meta.finalizers,
        ownerReferences: [ownerRefTo(job)],
      },
      spec,
    };
    try {
      const created = await this.podsApi.namespace(job.metadata.namespace!).create(pod);
      this.recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
    } catch (e) {
      if (!isNamespaceTerminating(e)) this.recorder.event(job, 'Warning', 'FailedCreate', `Error creating: ${(e as Error).message}`);
      throw e;
    }
  }

  private async deletePodRecorded(job: Job, pod: Pod): Promise<void> {
    try {
      await this.podsApi.namespace(pod.metadata.namespace!).delete(pod.metadata.name!);
      this.recorder.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
    } catch (e) {
      if (!isNotFound(e)) this.recorder.event(job, 'Warning', 'FailedDelete', `Error deleting: ${(e as Error).message}`);
      throw e;
    }
  }

  /** deleteActivePods: DELETE keeping the finalizer, so the pods are counted (as failed) afterwards. */
  private async deleteActivePods(job: Job, pods: Pod[]): Promise<{ deleted: number; deletedReady: number; err?: unknown }> {
    let deleted = pods.length;
    let err: unknown;
    await Promise.all(
      pods.map((p) =>
        this.deletePodRecorded(job, p).catch((e) => {
          if (isNotFound(e)) return;
          deleted--;
          err ??= e;
        }),
      ),
    );
    return { deleted, deletedReady: pods.filter(isPodReady).length, err };
  }

  /** deleteJobPods: surplus pods go entirely (finalizer first: they are not counted). */
  private async deleteJobPods(job: Job, key: string, pods: Pod[]): Promise<{ deleted: number; deletedReady: number; err?: unknown }> {
    let deleted = pods.length;
    let deletedReady = 0;
    let err: unknown;
    await Promise.all(
      pods.map(async (p) => {
        try {
          if (hasTrackingFinalizer(p)) await this.removeFinalizer(p);
          await this.deletePodRecorded(job, p);
        } catch (e) {
          this.expectations.deletionObserved(key);
          if (!isNotFound(e)) {
            deleted--;
            err ??= e;
            return;
          }
        }
        if (isPodReady(p)) deletedReady++;
      }),
    );
    return { deleted, deletedReady, err };
  }

  /**
   * trackJobStatusAndRemoveFinalizers: finished pods go into uncountedTerminatedPods (written
   * first), lose their finalizer, and then move into the succeeded/failed counters; the terminal
   * condition follows once nothing is uncounted or terminating.
   */
  private async trackStatusAndRemoveFinalizers(c: SyncCtx, needsFlushIn: boolean): Promise<void> {
    let needsFlush = needsFlushIn;
    const job = c.job;
    const status = job.status!;
    const uncounted = status.uncountedTerminatedPods!;
    uncounted.succeeded ??= [];
    uncounted.failed ??= [];
    const indexed = isIndexedJob(job);
    const completions = job.spec?.completions ?? 0;
    const pods = indexed ? [...c.pods].sort((a, b) => completionIndex(a) - completionIndex(b)) : c.pods;
    const withFinalizer = new Set(pods.filter((p) => hasTrackingFinalizer(p) && !c.expectedRm.has(p.metadata.uid!)).map((p) => p.metadata.uid!));
    if (cleanUncounted(job, withFinalizer)) needsFlush = true;

    const toRemove: Pod[] = [];
    const newSucceededIndexes: number[] = [];
    let reachedMax = false;
    for (const pod of pods) {
      const uid = pod.metadata.uid!;
      if (!hasTrackingFinalizer(pod) || c.expectedRm.has(uid)) continue;
      const failed = isPodFailed(pod, job);
      const canRemove = !!job.metadata.deletionTimestamp || !!c.finished || pod.status?.phase === 'Succeeded' || failed;
      if (!canRemove) continue;
      toRemove.push(pod);
      if (pod.status?.phase === 'Succeeded' && !c.uncountedFailed.has(uid)) {
        if (indexed) {
          const ix = completionIndex(pod);
          if (ix !== UNKNOWN_INDEX && ix < completions && !intervalsHas(c.prevSucceededIndexes, ix)) {
            newSucceededIndexes.push(ix);
            needsFlush = true;
          }
        } else if (!c.uncountedSucceeded.has(uid)) {
          needsFlush = true;
          uncounted.succeeded.push(uid);
        }
      } else if (failed || (c.finished && c.finished.type !== 'SuccessCriteriaMet')) {
        // Once the Job is finishing, every pod that did not succeed counts as failed.
        const ix = completionIndex(pod);
        if (!c.uncountedFailed.has(uid) && (!indexed || (ix !== UNKNOWN_INDEX && ix < completions))) {
          if (matchPodFailurePolicy(job.spec?.podFailurePolicy, pod).countFailed) {
            needsFlush = true;
            uncounted.failed.push(uid);
          }
        }
      }
      if (newSucceededIndexes.length + uncounted.succeeded.length + uncounted.failed.length >= MAX_UNCOUNTED) {
        // Keep status small and let other Jobs have a turn; the status update re-queues this one.
        reachedMax = true;
        break;
      }
    }
    if (indexed) {
      c.succeededIndexes = withIndexes(c.succeededIndexes, newSucceededIndexes);
      const s = formatIntervals(c.succeededIndexes);
      if (s !== (status.completedIndexes ?? '')) needsFlush = true;
      status.succeeded = intervalsTotal(c.succeededIndexes);
      status.completedIndexes = s;
    }
    const now = this.clock.now();
    if (c.finished?.type === 'FailureTarget') {
      (status.conditions ??= []).push(c.finished);
      needsFlush = true;
      c.finished = newCondition('Failed', 'True', c.finished.reason ?? '', c.finished.message ?? '', now);
    }
    if (c.finished?.type === 'SuccessCriteriaMet') {
      if (findCondition(job, 'SuccessCriteriaMet')?.status !== 'True') {
        (status.conditions ??= []).push(c.finished);
        needsFlush = true;
      }
      c.finished = newCondition('Complete', 'True', c.finished.reason ?? '', c.finished.message ?? '', now);
    }

    needsFlush = await this.flushUncountedAndRemoveFinalizers(c, toRemove, withFinalizer, needsFlush);
    const finishedNow = !reachedMax && this.enactJobFinished(c);
    if (finishedNow) needsFlush = true;
    if (needsFlush) {
      c.job = await this.updateStatus(c.job);
      if (finishedNow) this.recordJobFinished(c.job, c.finished!);
    }
  }

  private async flushUncountedAndRemoveFinalizers(c: SyncCtx, toRemove: Pod[], withFinalizer: Set<string>, needsFlushIn: boolean): Promise<boolean> {
    let needsFlush = needsFlushIn;
    if (needsFlush) {
      c.job = await this.updateStatus(c.job);
      this.backoff.set(c.key, c.newBackoff);
      needsFlush = false;
    }
    let rmErr: unknown;
    if (toRemove.length) {
      this.finalizerExpectations.expectFinalizersRemoved(c.key, toRemove.map((p) => p.metadata.uid!));
      await Promise.all(
        toRemove.map(async (p) => {
          try {
            await this.removeFinalizer(p);
          } catch (e) {
            this.finalizerExpectations.finalizerRemovalObserved(c.key, p.metadata.uid!);
            if (!isNotFound(e)) {
              rmErr ??= e;
              return;
            }
          }
          withFinalizer.delete(p.metadata.uid!);
        }),
      );
    }
    if (cleanUncounted(c.job, withFinalizer)) needsFlush = true;
    if (rmErr) {
      if (needsFlush) c.job = await this.updateStatus(c.job);
      throw rmErr;
    }
    return needsFlush;
  }

  /** enactJobFinished: the terminal condition, once no pod is uncounted or still terminating. */
  private enactJobFinished(c: SyncCtx): boolean {
    if (!c.finished) return false;
    const status = c.job.status!;
    const u = status.uncountedTerminatedPods;
    if ((u?.succeeded?.length ?? 0) + (u?.failed?.length ?? 0) > 0) return false;
    if (c.terminating > 0) return false;
    const f = c.finished;
    ensureCondition(c.job, f.type, f.status, f.reason ?? '', f.message ?? '', this.clock.now());
    if (f.type === 'Complete') status.completionTime = f.lastTransitionTime;
    return true;
  }

  private recordJobFinished(job: Job, cond: JobCondition): void {
    if (cond.type === 'Complete') {
      const completions = job.spec?.completions;
      if (completions != null && (job.status?.succeeded ?? 0) > completions) {
        this.recorder.event(job, 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
      }
      this.recorder.event(job, 'Normal', 'Completed', 'Job completed');
    } else {
      this.recorder.event(job, 'Warning', cond.reason ?? '', cond.message ?? '');
    }
  }

  private async updateStatus(job: Job): Promise<Job> {
    // As Go's omitempty serialises them: no empty uncounted lists, no empty conditions.
    const u = job.status?.uncountedTerminatedPods;
    if (u && !u.succeeded?.length) delete u.succeeded;
    if (u && !u.failed?.length) delete u.failed;
    if (job.status && !job.status.conditions?.length) delete job.status.conditions;
    const updated = await this.jobsApi.namespace(job.metadata.namespace!).updateStatus(job);
    updated.apiVersion ??= 'batch/v1';
    updated.kind ??= 'Job';
    return updated;
  }
}

function keyOf(obj: { metadata: { namespace?: string; name?: string } }): string {
  return obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : String(obj.metadata.name);
}

function managedByOther(job: Job): boolean {
  const m = job.spec?.managedBy;
  return m !== undefined && m !== MANAGED_BY_SELF;
}

function ownerRefTo(job: Job): OwnerReference {
  return { apiVersion: 'batch/v1', kind: 'Job', name: job.metadata.name!, uid: job.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

function isNamespaceTerminating(e: unknown): boolean {
  return e instanceof StatusError && !!e.status.details?.causes?.some((c) => c.reason === 'NamespaceTerminating');
}

/** cleanUncountedPodsWithoutFinalizers: uncounted pods whose finalizer is gone move into the counters. */
function cleanUncounted(job: Job, withFinalizer: Set<string>): boolean {
  const status = job.status!;
  const u = (status.uncountedTerminatedPods ??= {});
  let changed = false;
  const keepS = (u.succeeded ?? []).filter((uid) => withFinalizer.has(uid));
  if (keepS.length !== (u.succeeded ?? []).length) {
    status.succeeded = (status.succeeded ?? 0) + (u.succeeded!.length - keepS.length);
    u.succeeded = keepS;
    changed = true;
  }
  const keepF = (u.failed ?? []).filter((uid) => withFinalizer.has(uid));
  if (keepF.length !== (u.failed ?? []).length) {
    status.failed = (status.failed ?? 0) + (u.failed!.length - keepF.length);
    u.failed = keepF;
    changed = true;
  }
  return changed;
}

/** pastBackoffLimitOnFailure: with restartPolicy OnFailure, container restarts count as failures. */
function pastBackoffLimitOnFailure(job: Job, pods: Pod[]): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) {
    if (p.status?.phase !== 'Running' && p.status?.phase !== 'Pending') continue;
    for (const s of [...(p.status.initContainerStatuses ?? []), ...(p.status.containerStatuses ?? [])]) restarts += s.restartCount ?? 0;
  }
  const limit = job.spec?.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/** activePodsForRemoval: for Indexed Jobs, pods with bad or duplicate indexes first; then the least advanced. */
function activePodsForRemoval(job: Job, pods: Pod[], atLeast: number): Pod[] {
  const rm: Pod[] = [];
  let left = pods;
  if (isIndexedJob(job)) {
    const completions = job.spec?.completions ?? 0;
    const byIndex = new Map<number, Pod[]>();
    left = [];
    for (const p of pods) {
      const ix = completionIndex(p);
      if (ix === UNKNOWN_INDEX || ix >= completions) rm.push(p);
      else byIndex.set(ix, [...(byIndex.get(ix) ?? []), p]);
    }
    for (const group of byIndex.values()) {
      // Keep the most advanced pod of an index.
      group.sort(compareActivePods);
      rm.push(...group.slice(0, -1));
      left.push(group[group.length - 1]);
    }
  }
  if (rm.length < atLeast) rm.push(...[...left].sort(compareActivePods).slice(0, atLeast - rm.length));
  return rm;
}
