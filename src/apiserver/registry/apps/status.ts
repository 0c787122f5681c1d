// The status rules workload controllers must respect when they write /status (ValidateDeploymentStatus,
// ValidateReplicaSetStatus, ValidateStatefulSetStatus, validateDaemonSetStatus): counters are never
// negative, never above status.replicas, and collisionCount never goes down.
import { field, type FieldError } from '../../../apimachinery/errors.js';
import { validateNonnegativeField } from '../../../apimachinery/validation.js';
import { isObj, type Obj } from './fields.js';

const ABOVE_REPLICAS = 'cannot be greater than status.replicas';

/** Non-negative counters of a status, in the order upstream reports them. */
export function validateStatusCounters(status: Obj, path: string, counters: string[]): FieldError[] {
  return counters.flatMap((c) => validateNonnegativeField(status[c], `${path}.${c}`));
}

/** `cannot be greater than status.replicas` for each counter above status.replicas. */
export function validateNotAboveReplicas(status: Obj, path: string, counters: string[]): FieldError[] {
  const replicas = Number(status.replicas ?? 0);
  return counters
    .filter((c) => Number(status[c] ?? 0) > replicas)
    .map((c) => field.invalid(`${path}.${c}`, status[c], ABOVE_REPLICAS));
}

/** availableReplicas may not exceed readyReplicas; `message` differs between kinds upstream. */
export function validateAvailableNotAboveReady(status: Obj, path: string, message: string): FieldError[] {
  return Number(status.availableReplicas ?? 0) > Number(status.readyReplicas ?? 0)
    ? [field.invalid(`${path}.availableReplicas`, status.availableReplicas, message)]
    : [];
}

/** apivalidation.IsDecremented on status.collisionCount: `cannot be decremented`. */
export function validateCollisionCount(next: Obj, old: Obj): FieldError[] {
  const n = isObj(next.status) ? next.status.collisionCount : undefined;
  const o = isObj(old.status) ? old.status.collisionCount : undefined;
  if (o === undefined || o === null) return [];
  if (n === undefined || n === null || n < o) return [field.invalid('status.collisionCount', n ?? 0, 'cannot be decremented')];
  return [];
}

/** The status object of a workload, or an empty one. */
export function statusOf(obj: Obj): Obj {
  return isObj(obj.status) ? obj.status : {};
}
