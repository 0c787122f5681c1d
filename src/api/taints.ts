// Toleration against taint, as component-helpers and v1helper answer it for every component that
// asks (the scheduler's TaintToleration and spreading, the DaemonSet controller, node lifecycle and
// taint eviction): one definition, so they never disagree about a pod.
import type { Taint, Toleration } from './objects.js';

/** Toleration.ToleratesTaint: effect and key match when set; an unset or "" operator means Equal. */
export function toleratesTaint(tol: Toleration, taint: Taint): boolean {
  if (tol.effect && tol.effect !== taint.effect) return false;
  if (tol.key && tol.key !== taint.key) return false;
  switch (tol.operator || 'Equal') {
    case 'Exists':
      return true;
    case 'Equal':
      return (tol.value ?? '') === (taint.value ?? '');
    default:
      return false;
  }
}

/** Whether some toleration tolerates the taint. */
export function tolerationsTolerateTaint(tolerations: readonly Toleration[] | undefined, taint: Taint): boolean {
  for (const t of tolerations ?? []) if (toleratesTaint(t, taint)) return true;
  return false;
}

/** v1helper.FindMatchingUntoleratedTaint: the first taint the filter keeps that no toleration tolerates. */
export function findUntoleratedTaint(taints: readonly Taint[], tolerations: readonly Toleration[] | undefined, filter: (t: Taint) => boolean = () => true): Taint | undefined {
  for (const taint of taints) if (filter(taint) && !tolerationsTolerateTaint(tolerations, taint)) return taint;
  return undefined;
}
