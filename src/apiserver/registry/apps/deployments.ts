// apps/v1 Deployment: SetDefaults_Deployment, ValidateDeployment(Update) and the strategy of
// pkg/registry/apps/deployment (generation also moves when annotations change, selector immutable).
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
import { statusOf, validateAvailableNotAboveReady, validateCollisionCount, validateNotAboveReplicas, validateStatusCounters } from './status.js';
import { validateSelectorAndTemplate } from './workload.js';

/** The scale subresource of Deployments, ReplicaSets and StatefulSets. */
export const WORKLOAD_SCALE = { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' };

/** SetDefaults_Deployment (apps/v1): replicas 1, RollingUpdate 25%/25%, history 10, deadline 600s. */
export function defaultDeployment(obj: KubeObject): void {
  const spec = child(obj, 'spec');
  if (unset(spec.replicas)) spec.replicas = 1;
  const strategy = child(spec, 'strategy');
  if (!strategy.type) strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = child(strategy, 'rollingUpdate');
    if (unset(ru.maxUnavailable)) ru.maxUnavailable = '25%';
    if (unset(ru.maxSurge)) ru.maxSurge = '25%';
  }
  if (unset(spec.revisionHistoryLimit)) spec.revisionHistoryLimit = 10;
  if (unset(spec.progressDeadlineSeconds)) spec.progressDeadlineSeconds = 600;
  defaultPodTemplateSpec(child(spec, 'template'));
}

/** ValidateRollingUpdateDeployment. */
function validateRollingUpdate(ru: Obj, path: string): FieldError[] {
  const errs = [
    ...validatePositiveIntOrPercent(ru.maxUnavailable, `${path}.maxUnavailable`),
    ...validatePositiveIntOrPercent(ru.maxSurge, `${path}.maxSurge`),
  ];
  if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
    errs.push(field.invalid(`${path}.maxUnavailable`, ru.maxUnavailable ?? 0, 'may not be 0 when `maxSurge` is 0'));
  }
  errs.push(...validateNotMoreThan100Percent(ru.maxUnavailable, `${path}.maxUnavailable`));
  return errs;
}

/** ValidateDeploymentStrategy. */
export function validateDeploymentStrategy(strategy: Obj, path: string): FieldError[] {
  switch (strategy.type) {
    case 'Recreate':
      return unset(strategy.rollingUpdate)
        ? []
        : [field.forbidden(`${path}.rollingUpdate`, "may not be specified when strategy `type` is 'Recreate'")];
    case 'RollingUpdate':
      return isObj(strategy.rollingUpdate)
        ? validateRollingUpdate(strategy.rollingUpdate, `${path}.rollingUpdate`)
        : [field.required(`${path}.rollingUpdate`, 'this should be defaulted and never be nil')];
    default:
      return [field.notSupported(path, strategy, ['Recreate', 'RollingUpdate'])];
  }
}

/** ValidateDeploymentSpec. */
export function validateDeploymentSpec(spec: Obj, path: string): FieldError[] {
  const errs = [
    ...validateNonnegativeField(spec.replicas, `${path}.replicas`),
    ...validateSelectorAndTemplate(spec, path, { emptySelectorKind: 'deployment', kind: 'ReplicaSet' }),
    ...validateDeploymentStrategy(isObj(spec.strategy) ? spec.strategy : {}, `${path}.strategy`),
    ...validateNonnegativeField(spec.minReadySeconds, `${path}.minReadySeconds`),
    ...validateNonnegativeField(spec.revisionHistoryLimit, `${path}.revisionHistoryLimit`),
  ];
  if (typeof spec.progressDeadlineSeconds === 'number') {
    errs.push(...validateNonnegativeField(spec.progressDeadlineSeconds, `${path}.progressDeadlineSeconds`));
    if (spec.progressDeadlineSeconds <= Number(spec.minReadySeconds ?? 0)) {
      errs.push(field.invalid(`${path}.progressDeadlineSeconds`, spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
  }
  return errs;
}

/** ValidateDeploymentStatus. */
export function validateDeploymentStatus(status: Obj, path: string): FieldError[] {
  return [
    ...validateStatusCounters(status, path, [
      'observedGeneration',
      'replicas',
      'updatedReplicas',
      'readyReplicas',
      'availableReplicas',
      'unavailableReplicas',
      'collisionCount',
    ]),
    ...validateNotAboveReplicas(status, path, ['updatedReplicas', 'readyReplicas', 'availableReplicas']),
    ...validateAvailableNotAboveReady(status, path, 'cannot be greater than readyReplicas'),
  ];
}

/** The apps/v1 deployments strategy. */
export const deploymentStrategy = {
  tracksGeneration: true,
  defaults: defaultDeployment,
  prepareForUpdate(obj, old) {
    // Upstream bumps generation on annotation changes too (rollbacks and pauses used to ride on them).
    if (!semanticEqual(obj.metadata.annotations, old.metadata.annotations)) {
      obj.metadata.generation = (old.metadata.generation ?? 0) + 1;
    }
  },
  validate: (obj) => validateDeploymentSpec(isObj(obj.spec) ? obj.spec : {}, 'spec'),
  validateUpdate: (obj, old) => validateImmutableSelector((obj.spec as Obj | undefined)?.selector, (old.spec as Obj | undefined)?.selector, 'spec.selector'),
  status: {
    // The deployment controller records deployment.kubernetes.io/revision through /status.
    annotationsFromRequest: true,
    validateUpdate: (obj, old) => [...validateDeploymentStatus(statusOf(obj), 'status'), ...validateCollisionCount(obj, old)],
  },
  scale: WORKLOAD_SCALE,
} satisfies Strategy;
