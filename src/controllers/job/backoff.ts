// The pod failure backoff of pkg/controller/job/backoff_utils.go: after n failures since the last
// success, a Job waits 10 s · 2^(n-1) (capped) from its last failure before it creates pods again.
import type { Pod } from './types.js';

/** DefaultJobPodFailureBackOff. */
export const DEFAULT_POD_FAILURE_BACKOFF_MS = 10_000;
/** MaxJobPodFailureBackOff: 10 minutes in the v1.32 controller (the docs still say six). */
export const MAX_POD_FAILURE_BACKOFF_MS = 10 * 60_000;

/** What the controller remembers per Job between syncs. */
export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  lastFailureTime?: number;
}

/** When a pod finished: its containers' last finishedAt, else Ready=False, else deletion, else creation. */
export function finishedTime(p: Pod): number {
  let latest: number | undefined;
  for (const s of [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? [])]) {
    const at = s.state?.terminated?.finishedAt;
    if (!at) continue;
    const t = Date.parse(at);
    if (!Number.isNaN(t) && (latest === undefined || t > latest)) latest = t;
  }
  if (latest !== undefined) return latest;
  const ready = p.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'False');
  if (ready?.lastTransitionTime) return Date.parse(ready.lastTransitionTime);
  if (p.metadata.deletionTimestamp) return Date.parse(p.metadata.deletionTimestamp);
  return Date.parse(p.metadata.creationTimestamp ?? '') || 0;
}

/** backoffStore.newBackoffRecord: fold this sync's newly finished pods into the record. */
export function nextBackoffRecord(prev: BackoffRecord, newSucceeded: Pod[], newFailed: Pod[]): BackoffRecord {
  const failedTimes = newFailed.map(finishedTime).sort((a, b) => a - b);
  if (!newSucceeded.length) {
    if (!failedTimes.length) return prev;
    return { failuresAfterLastSuccess: prev.failuresAfterLastSuccess + failedTimes.length, lastFailureTime: failedTimes[failedTimes.length - 1] };
  }
  const lastSuccess = Math.max(...newSucceeded.map(finishedTime));
  const after = failedTimes.filter((t) => t > lastSuccess);
  return after.length ? { failuresAfterLastSuccess: after.length, lastFailureTime: after[after.length - 1] } : { failuresAfterLastSuccess: 0 };
}

/** How long pod creation must still wait at nowMs (getRemainingTimeForFailuresCount). */
export function remainingBackoffMs(rec: BackoffRecord, nowMs: number, baseMs = DEFAULT_POD_FAILURE_BACKOFF_MS, maxMs = MAX_POD_FAILURE_BACKOFF_MS): number {
  if (!rec.failuresAfterLastSuccess || rec.lastFailureTime === undefined) return 0;
  let delay = baseMs;
  for (let i = 1; i < rec.failuresAfterLastSuccess; i++) {
    delay *= 2;
    if (delay >= maxMs) {
      delay = maxMs;
      break;
    }
  }
  const elapsed = nowMs - rec.lastFailureTime;
  return delay < elapsed ? 0 : delay - elapsed;
}
