// The PodDisruptionBudget's DisruptionAllowed condition (component-helpers' pdbhelper) over
// apimeta.SetStatusCondition: the disruption controller and the eviction subresource both keep it
// in step with status.disruptionsAllowed, so they share these pure helpers.
import { rfc3339 } from '../sim/clock.js';

/** policy/v1 DisruptionAllowedCondition and its reasons. */
export const DISRUPTION_ALLOWED = 'DisruptionAllowed';
export const SUFFICIENT_PODS = 'SufficientPods';
export const INSUFFICIENT_PODS = 'InsufficientPods';
export const SYNC_FAILED = 'SyncFailed';

/** metav1.Condition, as loosely typed as the callers' objects have it. */
export interface StatusCondition {
  type: string;
  status: string;
  observedGeneration?: number;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** The parts of a PodDisruptionBudget the condition helpers read and write. */
export interface PdbConditionsView {
  metadata: { generation?: number };
  status?: { observedGeneration?: number; disruptionsAllowed?: number; conditions?: StatusCondition[] };
}

/** apimeta.SetStatusCondition: lastTransitionTime moves only when the status does. */
export function setStatusCondition<C extends StatusCondition>(conditions: C[], next: Omit<C, 'lastTransitionTime'>, nowMs: number): void {
  const existing = conditions.find((c) => c.type === next.type);
  if (!existing) {
    conditions.push({
      type: next.type,
      status: next.status,
      observedGeneration: next.observedGeneration,
      lastTransitionTime: rfc3339(nowMs),
      reason: next.reason,
      message: next.message ?? '',
    } as C);
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

/** pdbhelper.UpdateDisruptionAllowedCondition: DisruptionAllowed follows disruptionsAllowed. */
export function updateDisruptionAllowedCondition(pdb: Pick<PdbConditionsView, 'status'>, nowMs: number): void {
  const st = (pdb.status ??= {});
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
export function conditionsAreUpToDate(pdb: PdbConditionsView): boolean {
  const st = pdb.status;
  const cond = st?.conditions?.find((c) => c.type === DISRUPTION_ALLOWED);
  if (!cond) return false;
  if ((st!.observedGeneration ?? 0) !== (pdb.metadata.generation ?? 0)) return false;
  if ((st!.disruptionsAllowed ?? 0) > 0) return cond.status === 'True' && cond.reason === SUFFICIENT_PODS;
  return cond.status === 'False' && cond.reason === INSUFFICIENT_PODS;
}
