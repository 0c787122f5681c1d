// The PodDisruptionBudget's DisruptionAllowed condition (component-helpers' pdbhelper) over
// apimeta.SetStatusCondition.
import type { PodDisruptionBudget } from '../../api/objects.js';
import { rfc3339 } from '../../sim/clock.js';

export type Condition = NonNullable<NonNullable<PodDisruptionBudget['status']>['conditions']>[number];

export const DISRUPTION_ALLOWED = 'DisruptionAllowed';
export const SUFFICIENT_PODS = 'SufficientPods';
export const INSUFFICIENT_PODS = 'InsufficientPods';
export const SYNC_FAILED = 'SyncFailed';

/** apimeta.SetStatusCondition: lastTransitionTime moves only when the status does. */
export function setStatusCondition(conditions: Condition[], next: Omit<Condition, 'lastTransitionTime'>, nowMs: number): void {
  const existing = conditions.find((c) => c.type === next.type);
  if (!existing) {
    conditions.push({
      type: next.type,
      status: next.status,
      observedGeneration: next.observedGeneration,
      lastTransitionTime: rfc3339(nowMs),
      reason: next.reason,
      message: next.message ?? '',
    });
    return;
  }
  if (existing.status !== next.status) {
    existing.status = next.status;
    existing.lastTransitionTime = rfc3339(nowMs);
  }
  existing.reason = next.reason;
  existing.message = next.message ?? '';
  existing.observedGeneration = next.observedGeneration;
}

/** pdbhelper.UpdateDisruptionAllowedCondition. */
export function updateDisruptionAllowedCondition(pdb: PodDisruptionBudget, nowMs: number): void {
  const st = (pdb.status ??= {} as NonNullable<PodDisruptionBudget['status']>);
  const allowed = (st.disruptionsAllowed ?? 0) > 0;
  setStatusCondition(
    (st.conditions ??= []),
    {
      type: DISRUPTION_ALLOWED,
      status: allowed ? 'True' : 'False',
      reason: allowed ? SUFFICIENT_PODS : INSUFFICIENT_PODS,
      message: '',
      observedGeneration: st.observedGeneration ?? 0,
    },
    nowMs,
  );
}

/** pdbhelper.ConditionsAreUpToDate. */
export function conditionsAreUpToDate(pdb: PodDisruptionBudget): boolean {
  const st = pdb.status;
  const cond = st?.conditions?.find((c) => c.type === DISRUPTION_ALLOWED);
  if (!cond) return false;
  if ((st!.observedGeneration ?? 0) !== (pdb.metadata.generation ?? 0)) return false;
  if ((st!.disruptionsAllowed ?? 0) > 0) return cond.status === 'True' && cond.reason === SUFFICIENT_PODS;
  return cond.status === 'False' && cond.reason === INSUFFICIENT_PODS;
}
