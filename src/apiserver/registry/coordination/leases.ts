// coordination.k8s.io/v1 Lease: ValidateLease (the heartbeat and leader-election object).
import { field, type FieldError } from '../../../apimachinery/errors.js';
import type { Strategy } from '../strategy.js';
import { isObj, type Obj } from '../apps/fields.js';

/** ValidateLeaseSpec. */
export function validateLeaseSpec(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (typeof spec.leaseDurationSeconds === 'number' && spec.leaseDurationSeconds <= 0) {
    errs.push(field.invalid(`${path}.leaseDurationSeconds`, spec.leaseDurationSeconds, 'must be greater than 0'));
  }
  if (typeof spec.leaseTransitions === 'number' && spec.leaseTransitions < 0) {
    errs.push(field.invalid(`${path}.leaseTransitions`, spec.leaseTransitions, 'must be greater than or equal to 0'));
  }
  return errs;
}

/** The coordination.k8s.io/v1 leases strategy. */
export const leaseStrategy = {
  validate: (obj) => validateLeaseSpec(isObj(obj.spec) ? obj.spec : {}, 'spec'),
} satisfies Strategy;
