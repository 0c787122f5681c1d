// scheduling.k8s.io/v1 PriorityClass: SetDefaults_PriorityClass (preemptionPolicy) and
// ValidatePriorityClass(Update): names with the system- prefix are reserved, value never changes.
import type { KubeObject } from '../../../api/types.js';
import { field, type FieldError } from '../../../apimachinery/errors.js';
import type { Strategy } from '../strategy.js';
import { unset, validateImmutable, type Obj } from '../apps/fields.js';

/** scheduling.SystemPriorityClassPrefix. */
export const SYSTEM_PRIORITY_CLASS_PREFIX = 'system-';
/** scheduling.HighestUserDefinablePriority. */
export const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;
/** The built-in classes every cluster has. */
export const SYSTEM_PRIORITY_CLASSES = [
  { name: 'system-node-critical', value: 2_000_001_000, globalDefault: false, description: 'Used for system critical pods that must not be moved from their current node.' },
  { name: 'system-cluster-critical', value: 2_000_000_000, globalDefault: false, description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.' },
];

/** SetDefaults_PriorityClass. */
export function defaultPriorityClass(obj: KubeObject): void {
  if (unset(obj.preemptionPolicy)) obj.preemptionPolicy = 'PreemptLowerPriority';
}

/** IsKnownSystemPriorityClass: undefined when known, else the reason. */
function systemClassError(name: string, value: unknown, globalDefault: unknown): string | undefined {
  const known = SYSTEM_PRIORITY_CLASSES.find((c) => c.name === name);
  if (!known) return `${name} is not a known system priority class`;
  if (known.value !== value) return `value of ${name} PriorityClass must be ${known.value}`;
  if (known.globalDefault !== (globalDefault === true)) return `globalDefault of ${name} PriorityClass must be ${known.globalDefault}`;
  return undefined;
}

/** ValidatePriorityClass without ObjectMeta. */
export function validatePriorityClass(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const name = obj.metadata.name ?? '';
  const value = typeof obj.value === 'number' ? obj.value : 0;
  if (name.startsWith(SYSTEM_PRIORITY_CLASS_PREFIX)) {
    const reason = systemClassError(name, value, obj.globalDefault);
    if (reason) {
      errs.push(field.forbidden('metadata.name', `priority class names with '${SYSTEM_PRIORITY_CLASS_PREFIX}' prefix are reserved for system use only. error: ${reason}`));
    }
  } else if (value > HIGHEST_USER_DEFINABLE_PRIORITY) {
    errs.push(field.forbidden('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`));
  }
  if (!unset(obj.preemptionPolicy) && obj.preemptionPolicy !== 'PreemptLowerPriority' && obj.preemptionPolicy !== 'Never') {
    errs.push(field.notSupported('preemptionPolicy', obj.preemptionPolicy, ['PreemptLowerPriority', 'Never']));
  }
  return errs;
}

/** ValidatePriorityClassUpdate: value and preemptionPolicy are immutable. */
export function validatePriorityClassUpdate(obj: Obj, old: Obj): FieldError[] {
  const errs: FieldError[] = [];
  if ((obj.value ?? 0) !== (old.value ?? 0)) errs.push(field.forbidden('value', 'may not be changed in an update.'));
  errs.push(...validateImmutable(obj.preemptionPolicy, old.preemptionPolicy, 'preemptionPolicy'));
  return errs;
}

/** The scheduling.k8s.io/v1 priorityclasses strategy. */
export const priorityClassStrategy = {
  defaults: defaultPriorityClass,
  validate: (obj) => validatePriorityClass(obj),
  validateUpdate: validatePriorityClassUpdate,
} satisfies Strategy;
