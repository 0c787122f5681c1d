// policy/v1 PodDisruptionBudgets, as kube-apiserver's printPodDisruptionBudget shows them.
import type { Printer } from './printer.js';
import { ageColumn, column, get, int, nameColumn, str, translateTimestampSince } from './format.js';

/** intstr.IntOrString.String() of an optional field, "N/A" when unset. */
function intOrStringCell(v: unknown): string {
  return v === undefined || v === null ? 'N/A' : String(v);
}

/** PodDisruptionBudgets: NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE. */
export const podDisruptionBudgetPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Min Available', 'string', 'The minimum number of pods that must be available.'),
    column('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
    column('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
    ageColumn(),
  ],
  cells(obj, now) {
    return [
      str(obj.metadata.name),
      intOrStringCell(get(obj, 'spec', 'minAvailable')),
      intOrStringCell(get(obj, 'spec', 'maxUnavailable')),
      int(get(obj, 'status', 'disruptionsAllowed')),
      translateTimestampSince(obj.metadata.creationTimestamp, now),
    ];
  },
};
