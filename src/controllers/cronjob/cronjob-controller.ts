// kube-controller-manager's CronJob controller (pkg/controller/cronjob/cronjob_controllerv2.go):
// each CronJob is synced when it or one of its Jobs changes, and requeued on the clock for its next
// schedule time (no polling). A sync reconciles status.active with the Jobs that exist, cleans up
// finished Jobs past the history limits, and starts the most recent unmet schedule (unless it is
// past startingDeadlineSeconds, or concurrencyPolicy forbids it), naming the Job
// "<cronjob>-<scheduled time in unix minutes>" so the same schedule never runs twice.
import { jsonCopy } from '../../apimachinery/json.js';
import { isDeepStrictEqual } from 'node:util';
import type { OwnerReference } from '../../api/types.js';
import { controllerRef } from '../../api/pod.js';
import { StatusError } from '../../apimachinery/errors.js';
import type { EventRecorder } from '../../client/events.js';
import { DeletedFinalStateUnknown, splitMetaNamespaceKey, type SharedInformer } from '../../client/informer.js';
import { isNotFound, type ResourceClient } from '../../client/rest.js';
import { rfc3339 } from '../../sim/clock.js';
import { recorderFor, type ControllerContext } from '../context.js';
import { Controller } from '../controller.js';
import type { CronJob, Job, ObjectReference } from '../job/types.js';
import { finishedCondition, isJobFinished, isJobSucceeded } from '../job/util.js';
import { isKnownZone, parseSchedule, rfc3339In, type Schedule } from './schedule.js';
import { CRONJOBS, JOBS } from '../../client/refs.js';

export const CRONJOB_CONTROLLER = 'cronjob-controller';
/** batch.CronJobScheduledTimestampAnnotation. */
export const SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

/** nextScheduleDelta: wake a little after the schedule time so it is surely in the past. */
const NEXT_SCHEDULE_DELTA_MS = 100;
/** More missed schedules than this get the TooManyMissedTimes warning. */
const MANY_MISSED = 100;

type Missed = 'none' | 'few' | 'many';

/** getJobName: the scheduled time in minutes makes the name a lock against starting it twice. */
export function jobNameFor(cronJobName: string, scheduledMs: number): string {
  return `${cronJobName}-${Math.floor(scheduledMs / 60_000)}`;
}

/** time.RFC1123Z of a UTC time: "Thu, 01 Jan 2026 00:05:00 +0000". */
function rfc1123z(ms: number): string {
  const d = new Date(ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${p(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/**
 * mostRecentScheduleTime: the latest schedule time in (earliest, now], and roughly how many were
 * missed. earliest is the last schedule (or creation), moved up to now-startingDeadlineSeconds.
 */
function mostRecentScheduleTime(cj: CronJob, now: number, sched: Schedule, withDeadline: boolean): { earliest: number; mostRecent?: number; missed: Missed } {
  let earliest = Date.parse(cj.status?.lastScheduleTime ?? cj.metadata.creationTimestamp ?? '') || now;
  const deadline = cj.spec?.startingDeadlineSeconds;
  if (withDeadline && deadline != null) earliest = Math.max(earliest, now - deadline * 1000);
  const t1 = sched.next(earliest);
  if (now < t1) return { earliest, missed: 'none' };
  const t2 = sched.next(t1);
  if (now < t2) return { earliest, mostRecent: t1, missed: 'few' };
  const between = Math.round((t2 - t1) / 1000);
  if (between < 1) throw new Error('time difference between two schedules is less than 1 second');
  const elapsed = Math.floor((now - t1) / 1000);
  const missedCount = Math.floor(elapsed / between) + 1;
  // Jump close to now instead of walking every missed schedule (decades of them, after clock skew).
  let t = sched.next(t1 + (missedCount - 2) * between * 1000);
  let mostRecent: number | undefined;
  for (; t <= now; t = sched.next(t)) mostRecent = t;
  return { earliest, mostRecent, missed: missedCount > MANY_MISSED ? 'many' : 'few' };
}

/** nextScheduleTimeDuration: how long until the sync after the next schedule time. */
function nextScheduleDelay(cj: CronJob, now: number, sched: Schedule): number {
  let from: number;
  try {
    const r = mostRecentScheduleTime(cj, now, sched, false);
    from = r.mostRecent ?? (r.missed === 'none' ? r.earliest : now);
  } catch {
    from = now;
  }
  return sched.next(from) + NEXT_SCHEDULE_DELTA_MS - now;
}

function refTo(job: Job): ObjectReference {
  return {
    kind: 'Job',
    namespace: job.metadata.namespace,
    name: job.metadata.name,
    uid: job.metadata.uid,
    apiVersion: 'batch/v1',
    resourceVersion: job.metadata.resourceVersion,
  };
}

/** The CronJob controller (v2); construct before the informer factory starts, then start(signal). */
export class CronJobController extends Controller {
  private readonly recorder: EventRecorder;
  private readonly jobsApi: ResourceClient<Job>;
  private readonly cronJobsApi: ResourceClient<CronJob>;
  private readonly jobs: SharedInformer<Job>;
  private readonly cronJobs: SharedInformer<CronJob>;
  // Our own last status writes: a sync that runs before the informer delivers one must not act on
  // the older status (it would report the Job it just replaced as missing).
  private readonly written = new Map<string, CronJob>();

  constructor(ctx: ControllerContext, opts: { workers?: number } = {}) {
    super('cronjob', { clock: ctx.clock, workers: opts.workers ?? 5, log: ctx.log });
    const client = ctx.clientFor(CRONJOB_CONTROLLER);
    this.recorder = recorderFor(ctx, CRONJOB_CONTROLLER);
    this.jobsApi = client.resource<Job>(JOBS);
    this.cronJobsApi = client.resource<CronJob>(CRONJOBS);
    this.jobs = ctx.informers.forResource<Job>(JOBS);
    this.cronJobs = ctx.informers.forResource<CronJob>(CRONJOBS);
    this.jobs.addEventHandler({
      onAdd: (j) => this.jobChanged(j),
      onUpdate: (o, n) => {
        if (o.metadata.resourceVersion === n.metadata.resourceVersion) return;
        const oldRef = controllerRef(o);
        if (oldRef && !isDeepStrictEqual(oldRef, controllerRef(n))) this.enqueueOwner(o.metadata.namespace!, oldRef);
        this.jobChanged(n);
      },
      onDelete: (j) => this.jobChanged(j instanceof DeletedFinalStateUnknown ? j.obj : j),
    });
    this.cronJobs.addEventHandler({
      onAdd: (cj) => this.enqueue(cj),
      onUpdate: (o, n) => this.cronJobUpdated(o, n),
      onDelete: (cj) => this.enqueue(cj),
    });
  }

  protected override async run(): Promise<void> {
    await Promise.all([this.jobs.waitForSync(), this.cronJobs.waitForSync()]);
  }

  private jobChanged(job: Job): void {
    const ref = controllerRef(job);
    if (ref) this.enqueueOwner(job.metadata.namespace!, ref);
  }

  private enqueueOwner(namespace: string, ref: OwnerReference): void {
    if (ref.kind !== 'CronJob') return;
    const cj = this.cronJobs.lister.get(namespace, ref.name);
    if (cj && cj.metadata.uid === ref.uid) this.enqueue(cj);
  }

  /** A changed schedule or time zone re-times the next sync; anything else syncs now. */
  private cronJobUpdated(old: CronJob, cur: CronJob): void {
    if (old.spec?.schedule === cur.spec?.schedule && old.spec?.timeZone === cur.spec?.timeZone) {
      this.enqueue(cur);
      return;
    }
    let sched: Schedule;
    try {
      sched = parseSchedule(this.formatSchedule(cur, false));
    } catch {
      this.recorder.event(cur, 'Warning', 'UnParseableCronJobSchedule', `unparseable schedule for cronjob: ${cur.spec?.schedule}`);
      return;
    }
    this.queue.addAfter(`${cur.metadata.namespace}/${cur.metadata.name}`, Math.max(0, nextScheduleDelay(cur, this.clock.now(), sched)));
  }

  /** formatSchedule: spec.timeZone becomes a TZ= prefix (a TZ in the schedule itself is warned about). */
  private formatSchedule(cj: CronJob, warn = true): string {
    const schedule = cj.spec?.schedule ?? '';
    if (/TZ/.test(schedule) && warn) {
      this.recorder.event(
        cj,
        'Warning',
        'UnsupportedSchedule',
        `CRON_TZ or TZ used in schedule ${JSON.stringify(schedule)} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`,
      );
    }
    return cj.spec?.timeZone ? `TZ=${cj.spec.timeZone} ${schedule}` : schedule;
  }

  protected async sync(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const inCache = this.cronJobs.lister.get(namespace, name);
    if (!inCache) {
      this.written.delete(key);
      return;
    }
    let cached: CronJob = inCache;
    const mine = this.written.get(key);
    if (mine && mine.metadata.uid === inCache.metadata.uid && Number(mine.metadata.resourceVersion) > Number(inCache.metadata.resourceVersion)) cached = mine;
    else this.written.delete(key);
    const uid = cached.metadata.uid;
    const jobs = this.jobs.lister.list(namespace).filter((j) => controllerRef(j)?.uid === uid);
    const cj: CronJob = jsonCopy(cached);
    cj.status ??= {};
    const cleaned = await this.cleanupFinishedJobs(cj, jobs);
    const { requeueAfter, updateStatus, err } = await this.syncCronJob(cj, jobs);
    if (cleaned || updateStatus) {
      if (!cj.status.active?.length) delete cj.status.active;
      const updated = await this.cronJobsApi.namespace(namespace).updateStatus(cj);
      this.written.set(key, { ...updated, apiVersion: 'batch/v1', kind: 'CronJob' });
    }
    if (requeueAfter !== undefined) {
      this.queue.addAfter(key, Math.max(0, requeueAfter));
      return;
    }
    if (err) throw err;
  }

  private async syncCronJob(cj: CronJob, jobs: Job[]): Promise<{ requeueAfter?: number; updateStatus: boolean; err?: unknown }> {
    const status = cj.status!;
    const now = this.clock.now();
    let updateStatus = false;
    const children = new Set<string>();
    for (const j of jobs) {
      children.add(j.metadata.uid!);
      const found = inActiveList(cj, j.metadata.uid!);
      if (!found && !isJobFinished(j)) {
        // Perhaps the status we hold is older than the Job: check the live CronJob before crying wolf.
        const fresh = await this.cronJobsApi.namespace(cj.metadata.namespace!).get(cj.metadata.name!);
        if (inActiveList(fresh, j.metadata.uid!)) {
          status.active = fresh.status?.active;
          continue;
        }
        this.recorder.event(cj, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${j.metadata.name}`);
      } else if (found && isJobFinished(j)) {
        deleteFromActiveList(cj, j.metadata.uid!);
        this.recorder.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata.name}, status: ${finishedCondition(j)!.type}`);
        updateStatus = true;
      }
      if (isJobSucceeded(j)) {
        const done = j.status?.completionTime;
        if (done && (!status.lastSuccessfulTime || Date.parse(done) > Date.parse(status.lastSuccessfulTime))) {
          status.lastSuccessfulTime = done;
          updateStatus = true;
        }
      }
    }
    // Active Jobs that vanished: confirm with the API server (the cache may lag) before dropping them.
    for (const ref of [...(status.active ?? [])]) {
      if (children.has(ref.uid!)) continue;
      try {
        await this.jobsApi.namespace(ref.namespace ?? cj.metadata.namespace!).get(ref.name!);
      } catch (e) {
        if (!isNotFound(e)) return { updateStatus, err: e };
        this.recorder.event(cj, 'Normal', 'MissingJob', `Active job went missing: ${ref.name}`);
        deleteFromActiveList(cj, ref.uid!);
        updateStatus = true;
      }
    }

    if (cj.metadata.deletionTimestamp) return { updateStatus };
    const tz = cj.spec?.timeZone;
    if (tz && !isKnownZone(tz)) {
      this.recorder.event(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: ${JSON.stringify(tz)}: unknown time zone ${tz}`);
      return { updateStatus };
    }
    if (cj.spec?.suspend) return { updateStatus };

    let sched: Schedule;
    try {
      sched = parseSchedule(this.formatSchedule(cj));
    } catch (e) {
      this.recorder.event(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: ${JSON.stringify(cj.spec?.schedule)} : ${(e as Error).message}`);
      return { updateStatus };
    }
    let scheduled: number | undefined;
    try {
      const r = mostRecentScheduleTime(cj, now, sched, true);
      if (r.mostRecent !== undefined && r.mostRecent <= now) {
        scheduled = r.mostRecent;
        if (r.missed === 'many') {
          this.recorder.event(cj, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');
        }
      }
    } catch (e) {
      this.recorder.event(cj, 'Warning', 'InvalidSchedule', `invalid schedule: ${cj.spec?.schedule} : ${(e as Error).message}`);
      return { updateStatus };
    }
    const next = () => nextScheduleDelay(cj, now, sched);
    if (scheduled === undefined) return { requeueAfter: next(), updateStatus };

    const deadline = cj.spec?.startingDeadlineSeconds;
    if (deadline != null && scheduled + deadline * 1000 < now) {
      this.recorder.event(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${rfc1123z(scheduled)}`);
      return { requeueAfter: next(), updateStatus };
    }
    const jobName = jobNameFor(cj.metadata.name!, scheduled);
    if ((status.active ?? []).some((r) => r.name === jobName) || (status.lastScheduleTime && Date.parse(status.lastScheduleTime) === scheduled)) {
      // Already processed.
      return { requeueAfter: next(), updateStatus };
    }
    const policy = cj.spec?.concurrencyPolicy ?? 'Allow';
    if (policy === 'Forbid' && (status.active ?? []).length > 0) {
      this.recorder.event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return { requeueAfter: next(), updateStatus };
    }
    if (policy === 'Replace') {
      for (const ref of [...(status.active ?? [])]) {
        let job: Job;
        try {
          job = await this.jobsApi.namespace(ref.namespace ?? cj.metadata.namespace!).get(ref.name!);
        } catch (e) {
          this.recorder.event(cj, 'Warning', 'FailedGet', `Get job: ${(e as Error).message}`);
          return { updateStatus, err: e };
        }
        if (!(await this.deleteJob(cj, job))) return { updateStatus, err: new Error(`could not replace job ${job.metadata.namespace}/${job.metadata.name}`) };
        updateStatus = true;
      }
    }

    const req = this.jobFromTemplate(cj, scheduled, jobName);
    let created: Job;
    let alreadyExisted = false;
    try {
      created = await this.jobsApi.namespace(cj.metadata.namespace!).create(req);
    } catch (e) {
      if (e instanceof StatusError && e.status.details?.causes?.some((c) => c.reason === 'NamespaceTerminating')) return { updateStatus };
      if (!(e instanceof StatusError && e.code === 409 && e.reason === 'AlreadyExists')) {
        this.recorder.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${(e as Error).message}`);
        return { updateStatus, err: e };
      }
      // Ours from an earlier sync whose status update was lost: record it now. Someone else's: leave it.
      created = await this.jobsApi.namespace(cj.metadata.namespace!).get(jobName);
      alreadyExisted = true;
      if (controllerRef(created)?.uid !== cj.metadata.uid) return { updateStatus };
      if (inActiveList(cj, created.metadata.uid!)) return { updateStatus };
    }
    if (!alreadyExisted) this.recorder.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${created.metadata.name}`);
    (status.active ??= []).push(refTo(created));
    status.lastScheduleTime = rfc3339(scheduled);
    return { requeueAfter: next(), updateStatus: true };
  }

  /** getJobFromTemplate2. */
  private jobFromTemplate(cj: CronJob, scheduled: number, name: string): Job {
    const tmpl = cj.spec!.jobTemplate;
    const annotations: Record<string, string> = { ...(tmpl.metadata?.annotations ?? {}) };
    annotations[SCHEDULED_TIMESTAMP_ANNOTATION] = rfc3339In(scheduled, cj.spec?.timeZone);
    return {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name,
        namespace: cj.metadata.namespace,
        ...(tmpl.metadata?.labels ? { labels: { ...tmpl.metadata.labels } } : {}),
        annotations,
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cj.metadata.name!, uid: cj.metadata.uid!, controller: true, blockOwnerDeletion: true }],
      },
      spec: jsonCopy(tmpl.spec),
    } as Job;
  }

  /** deleteJob: Background propagation, then drop it from status.active. */
  private async deleteJob(cj: CronJob, job: Job): Promise<boolean> {
    try {
      await this.jobsApi.namespace(job.metadata.namespace!).delete(job.metadata.name!, { propagationPolicy: 'Background' });
    } catch (e) {
      if (!isNotFound(e)) {
        this.recorder.event(cj, 'Warning', 'FailedDelete', `Deleted job: ${(e as Error).message}`);
        return false;
      }
    }
    deleteFromActiveList(cj, job.metadata.uid!);
    this.recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name}`);
    return true;
  }

  /** cleanupFinishedJobs: keep the newest successful/failed Jobs up to the history limits. */
  private async cleanupFinishedJobs(cj: CronJob, jobs: Job[]): Promise<boolean> {
    const okLimit = cj.spec?.successfulJobsHistoryLimit;
    const failLimit = cj.spec?.failedJobsHistoryLimit;
    if (okLimit == null && failLimit == null) return false;
    const succeeded: Job[] = [];
    const failed: Job[] = [];
    for (const j of jobs) {
      const c = finishedCondition(j)?.type;
      if (c === 'Complete') succeeded.push(j);
      else if (c === 'Failed') failed.push(j);
    }
    let changed = false;
    if (okLimit != null && (await this.removeOldestJobs(cj, succeeded, okLimit))) changed = true;
    if (failLimit != null && (await this.removeOldestJobs(cj, failed, failLimit))) changed = true;
    return changed;
  }

  private async removeOldestJobs(cj: CronJob, jobs: Job[], keep: number): Promise<boolean> {
    const excess = jobs.length - keep;
    if (excess <= 0) return false;
    const start = (j: Job) => (j.status?.startTime ? Date.parse(j.status.startTime) : undefined);
    const sorted = [...jobs].sort((a, b) => {
      const sa = start(a);
      const sb = start(b);
      if (sa === undefined && sb !== undefined) return 1;
      if (sa !== undefined && sb === undefined) return -1;
      if (sa === sb) return a.metadata.name! < b.metadata.name! ? -1 : 1;
      return sa! - sb!;
    });
    let changed = false;
    for (const j of sorted.slice(0, excess)) if (await this.deleteJob(cj, j)) changed = true;
    return changed;
  }
}

function inActiveList(cj: CronJob, uid: string): boolean {
  return (cj.status?.active ?? []).some((r) => r.uid === uid);
}

function deleteFromActiveList(cj: CronJob, uid: string): void {
  if (!cj.status?.active) return;
  cj.status.active = cj.status.active.filter((r) => r.uid !== uid);
}
