// ValidateDeleteOptions: what the delete endpoint and the eviction subresource both check before a
// delete runs, with upstream's 422 Status on DeleteOptions.meta.k8s.io.
import { StatusError } from '../apimachinery/errors.js';

/** The DeleteOptions fields validation looks at. */
export interface DeleteOptionsFields {
  propagationPolicy?: string | null;
  orphanDependents?: boolean | null;
  dryRun?: string[] | null;
}

function invalidDeleteOptions(msg: string): StatusError {
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `DeleteOptions.meta.k8s.io "" is invalid: ${msg}`,
    reason: 'Invalid',
    details: { group: 'meta.k8s.io', kind: 'DeleteOptions' },
    code: 422,
  });
}

/** Throws the 422 upstream answers for conflicting or unsupported delete options. */
export function validateDeleteOptions(o: DeleteOptionsFields): void {
  if (o.propagationPolicy && o.orphanDependents !== undefined && o.orphanDependents !== null) {
    throw invalidDeleteOptions(`propagationPolicy: Invalid value: "${o.propagationPolicy}": orphanDependents and deletionPropagation cannot be both set`);
  }
  if (o.propagationPolicy && !['Orphan', 'Background', 'Foreground'].includes(o.propagationPolicy)) {
    throw invalidDeleteOptions(`propagationPolicy: Unsupported value: "${o.propagationPolicy}": supported values: "Foreground", "Background", "Orphan", "nil"`);
  }
  if (o.dryRun?.some((v) => v !== 'All')) throw invalidDeleteOptions(`dryRun: Unsupported value: ${JSON.stringify(o.dryRun)}: supported values: "All"`);
}
