export { Scheduler, DEFAULT_SCHEDULER_NAME, type SchedulerConfig } from './scheduler.js';
export { numFeasibleNodesToFind } from './framework.js';
export { fitErrorMessage, Diagnosis, FitError } from './fit-error.js';
