// A ReplicaSet's status as the replicaset controller computes it (replica_set_utils.go): counts
// of its active pods, fully labeled, ready and available ones, and the ReplicaFailure condition
// while creating or deleting pods fails.
import { jsonCopy } from '../../apimachinery/json.js';
import type { Pod, ReplicaSet } from '../../api/objects.js';
import { getPodCondition, isPodAvailable, isPodReady } from '../../api/pod.js';
import { matchesCached, selectorFromSet } from '../../apimachinery/labels.js';
import { rfc3339 } from '../../sim/clock.js';

export type ReplicaSetStatus = NonNullable<ReplicaSet['status']>;
export type ReplicaSetCondition = NonNullable<ReplicaSetStatus['conditions']>[number];

export const REPLICA_FAILURE = 'ReplicaFailure';

/** spec.replicas, defaulted as the API server does. */
export function specReplicas(rs: { spec?: { replicas?: number } }): number {
  return rs.spec?.replicas ?? 1;
}

/** SetCondition: replaces the condition of its type unless status and reason are unchanged. */
export function setReplicaSetCondition(status: ReplicaSetStatus, cond: ReplicaSetCondition): void {
  const current = status.conditions?.find((c) => c.type === cond.type);
  if (current && current.status === cond.status && current.reason === cond.reason) return;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== cond.type), cond];
}

export function removeReplicaSetCondition(status: ReplicaSetStatus, type: string): void {
  const rest = (status.conditions ?? []).filter((c) => c.type !== type);
  if (rest.length) status.conditions = rest;
  else delete status.conditions;
}

/** calculateStatus: the new status for rs given its active, claimed pods and manageReplicas' error. */
export function calculateReplicaSetStatus(rs: ReplicaSet, pods: Pod[], manageErr: unknown, now: number): ReplicaSetStatus {
  const status: ReplicaSetStatus = jsonCopy(rs.status ?? {}) as ReplicaSetStatus;
  const template = selectorFromSet(rs.spec?.template?.metadata?.labels ?? {});
  const minReady = rs.spec?.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of pods) {
    if (matchesCached(template, pod.metadata.labels)) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReady, now)) available++;
    }
  }
  const failure = status.conditions?.find((c) => c.type === REPLICA_FAILURE);
  if (manageErr && !failure) {
    const diff = pods.length - specReplicas(rs);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    setReplicaSetCondition(status, {
      type: REPLICA_FAILURE,
      status: 'True',
      reason,
      message: manageErr instanceof Error ? manageErr.message : String(manageErr),
      lastTransitionTime: rfc3339(now),
    });
  } else if (!manageErr && failure) {
    removeReplicaSetCondition(status, REPLICA_FAILURE);
  }
  status.replicas = pods.length;
  status.fullyLabeledReplicas = fullyLabeled;
  status.readyReplicas = ready;
  status.availableReplicas = available;
  // As Go serialises them: omitempty counters vanish at zero, replicas does not.
  for (const k of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'] as const) if (!status[k]) delete status[k];
  return status;
}

/**
 * When the earliest ready-but-not-yet-available pod becomes available (ms since epoch), so the
 * controller can look again then instead of waiting for an unrelated event.
 */
export function nextAvailableAt(pods: Pod[], minReadySeconds: number, now: number): number | undefined {
  if (!minReadySeconds) return undefined;
  let next: number | undefined;
  for (const pod of pods) {
    if (!isPodReady(pod) || isPodAvailable(pod, minReadySeconds, now)) continue;
    const since = Date.parse(getPodCondition(pod, 'Ready')?.lastTransitionTime ?? '');
    if (Number.isNaN(since)) continue;
    const at = since + minReadySeconds * 1000;
    if (next === undefined || at < next) next = at;
  }
  return next;
}
