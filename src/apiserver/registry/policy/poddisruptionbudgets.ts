// policy/v1 PodDisruptionBudget: ValidatePodDisruptionBudget (minAvailable xor maxUnavailable, each a
// count or a percentage up to 100%) and the status counters the disruption controller writes.
import { field, type FieldError } from '../../../apimachinery/errors.js';
import { validateNonnegativeField } from '../../../apimachinery/validation.js';
import { validateLabelSelector } from '../../../apimachinery/labels.js';
import type { Strategy } from '../strategy.js';
import { isObj, unset, validateNotMoreThan100Percent, validatePositiveIntOrPercent, type Obj } from '../apps/fields.js';

const UNHEALTHY_POD_EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];

/** ValidatePodDisruptionBudgetSpec. */
export function validatePodDisruptionBudgetSpec(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!unset(spec.minAvailable) && !unset(spec.maxUnavailable)) {
    errs.push(field.invalid(path, spec, 'minAvailable and maxUnavailable cannot be both set'));
  }
  for (const f of ['minAvailable', 'maxUnavailable']) {
    if (unset(spec[f])) continue;
    errs.push(...validatePositiveIntOrPercent(spec[f], `${path}.${f}`));
    errs.push(...validateNotMoreThan100Percent(spec[f], `${path}.${f}`));
  }
  errs.push(...validateLabelSelector(isObj(spec.selector) ? spec.selector : undefined, `${path}.selector`));
  if (!unset(spec.unhealthyPodEvictionPolicy) && !UNHEALTHY_POD_EVICTION_POLICIES.includes(spec.unhealthyPodEvictionPolicy)) {
    errs.push(field.notSupported(`${path}.unhealthyPodEvictionPolicy`, spec.unhealthyPodEvictionPolicy, UNHEALTHY_POD_EVICTION_POLICIES));
  }
  return errs;
}

/** ValidatePodDisruptionBudgetStatusUpdate's counters. */
export function validatePodDisruptionBudgetStatus(status: Obj): FieldError[] {
  return ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods'].flatMap((f) => validateNonnegativeField(status[f], `status.${f}`));
}

/** The policy/v1 poddisruptionbudgets strategy. */
export const podDisruptionBudgetStrategy = {
  tracksGeneration: true,
  validate: (obj) => validatePodDisruptionBudgetSpec(isObj(obj.spec) ? obj.spec : {}, 'spec'),
  status: { validateUpdate: (obj) => validatePodDisruptionBudgetStatus(isObj(obj.status) ? obj.status : {}) },
} satisfies Strategy;
