// apps/v1 DaemonSet: SetDefaults_DaemonSet, ValidateDaemonSet(Update), and the strategy's template
// generation, which apps/v1 exposes as the deprecated.daemonset.template.generation annotation.
import type { KubeObject } from '../../../api/types.js';
import { field, type FieldError } from '../../../apimachinery/errors.js';
import { validateNonnegativeField } from '../../../apimachinery/validation.js';
import { defaultPodTemplateSpec } from '../core/pod-defaults.js';
import type { Strategy } from '../strategy.js';
import {
  child,
  intOrPercentValue,
  isObj,
  semanticEqual,
  unset,
  validateImmutableSelector,
  validateNotMoreThan100Percent,
  validatePositiveIntOrPercent,
  type Obj,
} from './fields.js';
import { statusOf, validateCollisionCount, validateStatusCounters } from './status.js';
import { validateSelectorAndTemplate } from './workload.js';

/** The annotation that carries a DaemonSet's template generation in apps/v1. */
export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

/** SetDefaults_DaemonSet: RollingUpdate with maxUnavailable 1 and maxSurge 0, history 10. */
export function defaultDaemonSet(obj: KubeObject): void {
  const spec = child(obj, 'spec');
  const us = child(spec, 'updateStrategy');
  if (!us.type) us.type = 'RollingUpdate';
  if (us.type === 'RollingUpdate') {
    const ru = child(us, 'rollingUpdate');
    if (unset(ru.maxUnavailable)) ru.maxUnavailable = 1;
    if (unset(ru.maxSurge)) ru.maxSurge = 0;
  }
  if (unset(spec.revisionHistoryLimit)) spec.revisionHistoryLimit = 10;
  defaultPodTemplateSpec(child(spec, 'template'));
}

/** ValidateRollingUpdateDaemonSet: exactly one of maxSurge and maxUnavailable is non-zero. */
function validateRollingUpdate(ru: Obj, path: string): FieldError[] {
  const errs = [
    ...validatePositiveIntOrPercent(ru.maxUnavailable, `${path}.maxUnavailable`),
    ...validatePositiveIntOrPercent(ru.maxSurge, `${path}.maxSurge`),
    ...validateNotMoreThan100Percent(ru.maxUnavailable, `${path}.maxUnavailable`),
    ...validateNotMoreThan100Percent(ru.maxSurge, `${path}.maxSurge`),
  ];
  const hasUnavailable = intOrPercentValue(ru.maxUnavailable) !== 0;
  const hasSurge = intOrPercentValue(ru.maxSurge) !== 0;
  if (hasUnavailable && hasSurge) errs.push(field.invalid(`${path}.maxSurge`, ru.maxSurge, 'may not be set when maxUnavailable is non-zero'));
  if (!hasUnavailable && !hasSurge) errs.push(field.required(`${path}.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
  return errs;
}

/** ValidateDaemonSetUpdateStrategy. */
function validateUpdateStrategy(us: Obj, path: string): FieldError[] {
  switch (us.type) {
    case 'OnDelete':
      return [];
    case 'RollingUpdate':
      return isObj(us.rollingUpdate) ? validateRollingUpdate(us.rollingUpdate, `${path}.rollingUpdate`) : [field.required(`${path}.rollingUpdate`)];
    default:
      return [field.notSupported(path, us, ['RollingUpdate', 'OnDelete'])];
  }
}

/** ValidateDaemonSetSpec. */
export function validateDaemonSetSpec(spec: Obj, path: string): FieldError[] {
  return [
    ...validateSelectorAndTemplate(spec, path, { emptySelectorKind: 'daemonset', kind: 'DaemonSet', selectorOptional: true }),
    ...validateNonnegativeField(spec.minReadySeconds, `${path}.minReadySeconds`),
    ...validateUpdateStrategy(isObj(spec.updateStrategy) ? spec.updateStrategy : {}, `${path}.updateStrategy`),
    ...validateNonnegativeField(spec.revisionHistoryLimit, `${path}.revisionHistoryLimit`),
  ];
}

/** validateDaemonSetStatus. */
export function validateDaemonSetStatus(status: Obj, path: string): FieldError[] {
  return validateStatusCounters(status, path, [
    'currentNumberScheduled',
    'numberMisscheduled',
    'desiredNumberScheduled',
    'numberReady',
    'observedGeneration',
    'updatedNumberScheduled',
    'numberAvailable',
    'numberUnavailable',
    'collisionCount',
  ]);
}

function templateGeneration(obj: KubeObject): number {
  const v = Number.parseInt(obj.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION] ?? '', 10);
  return Number.isFinite(v) ? v : 0;
}

function setTemplateGeneration(obj: KubeObject, gen: number): void {
  obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [TEMPLATE_GENERATION_ANNOTATION]: String(gen) };
}

/** The apps/v1 daemonsets strategy. */
export const daemonSetStrategy = {
  tracksGeneration: true,
  defaults: defaultDaemonSet,
  prepareForCreate(obj) {
    setTemplateGeneration(obj, 1);
  },
  prepareForUpdate(obj, old) {
    const changed = !semanticEqual((obj.spec as Obj | undefined)?.template, (old.spec as Obj | undefined)?.template);
    setTemplateGeneration(obj, templateGeneration(old) + (changed ? 1 : 0));
  },
  validate: (obj) => validateDaemonSetSpec(isObj(obj.spec) ? obj.spec : {}, 'spec'),
  validateUpdate: (obj, old) => validateImmutableSelector((obj.spec as Obj | undefined)?.selector, (old.spec as Obj | undefined)?.selector, 'spec.selector'),
  status: {
    validateUpdate: (obj, old) => [...validateDaemonSetStatus(statusOf(obj), 'status'), ...validateCollisionCount(obj, old)],
  },
} satisfies Strategy;
