// The TTL-after-finished controller (pkg/controller/ttlafterfinished): a finished Job with
// spec.ttlSecondsAfterFinished is deleted (propagation Background, so its pods follow through the
// garbage collector) that many seconds after its Complete/Failed condition, on the clock. The
// deletion re-reads the Job first and is conditional on its resourceVersion, so a TTL changed at
// the last moment is honoured.
import { splitMetaNamespaceKey, type SharedInformer } from '../../client/informer.js';
import { isNotFound, type ResourceClient } from '../../client/rest.js';
import type { ControllerContext } from '../context.js';
import { Controller } from '../controller.js';
import type { Job } from './types.js';
import { finishedCondition, isJobFinished } from './util.js';
import { JOBS } from '../../client/refs.js';

export const TTL_AFTER_FINISHED_CONTROLLER = 'ttl-after-finished-controller';

function needsCleanup(job: Job): boolean {
  return job.spec?.ttlSecondsAfterFinished != null && isJobFinished(job);
}

/** Deletes finished Jobs once their TTL has passed. */
export class TTLAfterFinishedController extends Controller {
  private readonly jobs: SharedInformer<Job>;
  private readonly api: ResourceClient<Job>;

  constructor(ctx: ControllerContext, opts: { workers?: number } = {}) {
    super('ttlafterfinished', { clock: ctx.clock, workers: opts.workers ?? 5, log: ctx.log });
    this.api = ctx.clientFor(TTL_AFTER_FINISHED_CONTROLLER).resource<Job>(JOBS);
    this.jobs = ctx.informers.forResource<Job>(JOBS);
    const consider = (j: Job) => {
      if (!j.metadata.deletionTimestamp && needsCleanup(j)) this.enqueue(j);
    };
    this.jobs.addEventHandler({ onAdd: consider, onUpdate: (_o, n) => consider(n) });
  }

  protected override async run(): Promise<void> {
    await this.jobs.waitForSync();
  }

  /** Milliseconds until job expires (<= 0: expired), or undefined when it needs no cleanup. */
  private timeLeft(job: Job): number | undefined {
    if (job.metadata.deletionTimestamp || !needsCleanup(job)) return undefined;
    const at = finishedCondition(job)?.lastTransitionTime;
    if (!at) throw new Error(`unable to find the time when the Job ${job.metadata.namespace}/${job.metadata.name} finished`);
    const finishAt = Date.parse(at);
    const now = this.clock.now();
    if (finishAt > now) this.log(`ttlafterfinished: found Job ${job.metadata.namespace}/${job.metadata.name} finished in the future. This is likely due to time skew in the cluster. Job cleanup will be deferred.`);
    return finishAt + job.spec!.ttlSecondsAfterFinished! * 1000 - now;
  }

  protected async sync(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const cached = this.jobs.lister.get(namespace, name);
    if (!cached) return;
    const left = this.timeLeft(cached);
    if (left === undefined) return;
    if (left > 0) {
      this.queue.addAfter(key, left);
      return;
    }
    // The cache may be stale: decide on the live object.
    const api = this.api.namespace(namespace);
    let fresh: Job;
    try {
      fresh = await api.get(name);
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    const freshLeft = this.timeLeft(fresh);
    if (freshLeft === undefined) return;
    if (freshLeft > 0) {
      this.queue.addAfter(key, freshLeft);
      return;
    }
    try {
      await api.delete(name, { propagationPolicy: 'Background', preconditions: { resourceVersion: fresh.metadata.resourceVersion } });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}
