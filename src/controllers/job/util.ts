// Job facts the job, cronjob and ttl-after-finished controllers share (upstream's
// pkg/controller/job/util and the batch/v1 constants).
import type { Job, JobCondition } from './types.js';

/** batch.JobTrackingFinalizer: a finished pod is counted in the Job's status before it may go. */
export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
/** batch.JobCompletionIndexAnnotation (also the label key, PodIndexLabel). */
export const JOB_COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';
export const JOB_COMPLETION_INDEX_ENV = 'JOB_COMPLETION_INDEX';

/** The finished condition (Complete or Failed with status True), if any (jobutil.FinishedCondition). */
export function finishedCondition(job: Job): JobCondition | undefined {
  return job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

/** jobutil.IsJobFinished. */
export function isJobFinished(job: Job): boolean {
  return finishedCondition(job) !== undefined;
}

/** jobutil.IsJobSucceeded: Complete=True. */
export function isJobSucceeded(job: Job): boolean {
  return finishedCondition(job)?.type === 'Complete';
}

/** The condition of the given type, if present. */
export function findCondition(job: Job, type: string): JobCondition | undefined {
  return job.status?.conditions?.find((c) => c.type === type);
}
