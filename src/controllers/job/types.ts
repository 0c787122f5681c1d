// Wire shapes of the batch objects the job controllers read and write, derived from src/api/objects.ts.
import type { CronJob, Job } from '../../api/objects.js';

export type { CronJob, Job, Pod } from '../../api/objects.js';
export type JobSpec = NonNullable<Job['spec']>;
export type JobStatus = NonNullable<Job['status']>;
export type JobCondition = NonNullable<JobStatus['conditions']>[number];
export type PodFailurePolicy = NonNullable<JobSpec['podFailurePolicy']>;
export type CronJobStatus = NonNullable<CronJob['status']>;
export type ObjectReference = NonNullable<CronJobStatus['active']>[number];
