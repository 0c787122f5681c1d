// apps/v1 ReplicaSet: SetDefaults_ReplicaSet, ValidateReplicaSet(Update) and its strategy.
import type { KubeObject } from '../../../api/types.js';
import type { FieldError } from '../../../apimachinery/errors.js';
import { validateNonnegativeField } from '../../../apimachinery/validation.js';
import { defaultPodTemplateSpec } from '../core/pod-defaults.js';
import type { Strategy } from '../strategy.js';
import { WORKLOAD_SCALE } from './deployments.js';
import { child, isObj, unset, validateImmutableSelector, type Obj } from './fields.js';
import { statusOf, validateAvailableNotAboveReady, validateNotAboveReplicas, validateStatusCounters } from './status.js';
import { validateSelectorAndTemplate } from './workload.js';

/** SetDefaults_ReplicaSet: replicas 1. */
export function defaultReplicaSet(obj: KubeObject): void {
  const spec = child(obj, 'spec');
  if (unset(spec.replicas)) spec.replicas = 1;
  defaultPodTemplateSpec(child(spec, 'template'));
}

/** ValidateReplicaSetSpec (upstream's empty-selector message says "deployment" here too). */
export function validateReplicaSetSpec(spec: Obj, path: string): FieldError[] {
  return [
    ...validateNonnegativeField(spec.replicas, `${path}.replicas`),
    ...validateNonnegativeField(spec.minReadySeconds, `${path}.minReadySeconds`),
    ...validateSelectorAndTemplate(spec, path, { emptySelectorKind: 'deployment', kind: 'ReplicaSet' }),
  ];
}

/** ValidateReplicaSetStatus. */
export function validateReplicaSetStatus(status: Obj, path: string): FieldError[] {
  return [
    ...validateStatusCounters(status, path, ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration']),
    ...validateNotAboveReplicas(status, path, ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas']),
    ...validateAvailableNotAboveReady(status, path, 'cannot be greater than readyReplicas'),
  ];
}

/** The apps/v1 replicasets strategy. */
export const replicaSetStrategy = {
  tracksGeneration: true,
  defaults: defaultReplicaSet,
  validate: (obj) => validateReplicaSetSpec(isObj(obj.spec) ? obj.spec : {}, 'spec'),
  validateUpdate: (obj, old) => validateImmutableSelector((obj.spec as Obj | undefined)?.selector, (old.spec as Obj | undefined)?.selector, 'spec.selector'),
  status: { validateUpdate: (obj) => validateReplicaSetStatus(statusOf(obj), 'status') },
  scale: WORKLOAD_SCALE,
} satisfies Strategy;
