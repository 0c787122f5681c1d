// apps/v1 StatefulSet: SetDefaults_StatefulSet (plus the PVC defaults of volumeClaimTemplates),
// ValidateStatefulSet(Update): after creation only replicas, ordinals, template, updateStrategy,
// persistentVolumeClaimRetentionPolicy and minReadySeconds may change.
import type { KubeObject } from '../../../api/types.js';
import { field, type FieldError } from '../../../apimachinery/errors.js';
import { validateNonnegativeField } from '../../../apimachinery/validation.js';
import { defaultPersistentVolumeClaimSpec, defaultPodTemplateSpec } from '../core/pod-defaults.js';
import type { Strategy } from '../strategy.js';
import { WORKLOAD_SCALE } from './deployments.js';
import {
  child,
  intOrPercentValue,
  isObj,
  semanticEqual,
  unset,
  validateNotMoreThan100Percent,
  validatePositiveIntOrPercent,
  type Obj,
} from './fields.js';
import { statusOf, validateAvailableNotAboveReady, validateCollisionCount, validateNotAboveReplicas, validateStatusCounters } from './status.js';
import { validateSelectorAndTemplate } from './workload.js';

/** The spec fields a StatefulSet update may change. */
export const STATEFULSET_MUTABLE_FIELDS = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

/** The exact upstream message for any other spec change. */
export const STATEFULSET_FORBIDDEN_UPDATE =
  "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

/** SetDefaults_StatefulSet, and SetDefaults_PersistentVolumeClaim on each volumeClaimTemplate. */
export function defaultStatefulSet(obj: KubeObject): void {
  const spec = child(obj, 'spec');
  if (!spec.podManagementPolicy) spec.podManagementPolicy = 'OrderedReady';
  const us = child(spec, 'updateStrategy');
  if (!us.type) {
    us.type = 'RollingUpdate';
    if (unset(us.rollingUpdate)) us.rollingUpdate = {};
  }
  if (us.type === 'RollingUpdate' && isObj(us.rollingUpdate) && unset(us.rollingUpdate.partition)) us.rollingUpdate.partition = 0;
  const retention = child(spec, 'persistentVolumeClaimRetentionPolicy');
  if (!retention.whenDeleted) retention.whenDeleted = 'Retain';
  if (!retention.whenScaled) retention.whenScaled = 'Retain';
  if (unset(spec.replicas)) spec.replicas = 1;
  if (unset(spec.revisionHistoryLimit)) spec.revisionHistoryLimit = 10;
  defaultPodTemplateSpec(child(spec, 'template'));
  if (Array.isArray(spec.volumeClaimTemplates)) {
    for (const pvc of spec.volumeClaimTemplates) {
      if (!isObj(pvc)) continue;
      // Embedded claims are served with their TypeMeta, as kubectl get -o yaml shows on a cluster.
      if (!pvc.apiVersion) pvc.apiVersion = 'v1';
      if (!pvc.kind) pvc.kind = 'PersistentVolumeClaim';
      defaultPersistentVolumeClaimSpec(child(pvc, 'spec'));
      const status = child(pvc, 'status');
      if (!status.phase) status.phase = 'Pending';
    }
  }
}

function validateRetentionPolicyType(v: unknown, path: string): FieldError[] {
  return v === 'Retain' || v === 'Delete' ? [] : [field.notSupported(path, v ?? '', ['Retain', 'Delete'])];
}

/** validateRollingUpdateStatefulSet. */
function validateRollingUpdate(ru: Obj, path: string): FieldError[] {
  const errs = validateNonnegativeField(ru.partition, `${path}.partition`);
  if (!unset(ru.maxUnavailable)) {
    const p = `${path}.maxUnavailable`;
    errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, p));
    if (intOrPercentValue(ru.maxUnavailable) === 0) errs.push(field.invalid(p, ru.maxUnavailable, 'cannot be 0'));
    errs.push(...validateNotMoreThan100Percent(ru.maxUnavailable, p));
  }
  return errs;
}

/** ValidateStatefulSetSpec. */
export function validateStatefulSetSpec(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  switch (spec.podManagementPolicy ?? '') {
    case '':
      errs.push(field.required(`${path}.podManagementPolicy`));
      break;
    case 'OrderedReady':
    case 'Parallel':
      break;
    default:
      errs.push(field.invalid(`${path}.podManagementPolicy`, spec.podManagementPolicy, "must be 'OrderedReady' or 'Parallel'"));
  }
  const us: Obj = isObj(spec.updateStrategy) ? spec.updateStrategy : {};
  switch (us.type ?? '') {
    case '':
      errs.push(field.required(`${path}.updateStrategy`));
      break;
    case 'OnDelete':
      if (!unset(us.rollingUpdate)) {
        errs.push(field.invalid(`${path}.updateStrategy.rollingUpdate`, us.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'"));
      }
      break;
    case 'RollingUpdate':
      if (isObj(us.rollingUpdate)) errs.push(...validateRollingUpdate(us.rollingUpdate, `${path}.updateStrategy.rollingUpdate`));
      break;
    default:
      errs.push(field.invalid(`${path}.updateStrategy`, us, "must be 'RollingUpdate' or 'OnDelete'"));
  }
  if (isObj(spec.persistentVolumeClaimRetentionPolicy)) {
    const p = spec.persistentVolumeClaimRetentionPolicy;
    errs.push(...validateRetentionPolicyType(p.whenDeleted, `${path}.persistentVolumeClaimRetentionPolicy.whenDeleted`));
    errs.push(...validateRetentionPolicyType(p.whenScaled, `${path}.persistentVolumeClaimRetentionPolicy.whenScaled`));
  }
  errs.push(...validateNonnegativeField(spec.replicas, `${path}.replicas`));
  errs.push(...validateNonnegativeField(spec.minReadySeconds, `${path}.minReadySeconds`));
  if (isObj(spec.ordinals)) errs.push(...validateNonnegativeField(spec.ordinals.start, `${path}.ordinals.start`));
  errs.push(
    ...validateSelectorAndTemplate(spec, path, { emptySelectorKind: 'statefulset', kind: 'StatefulSet', validatePodSpec: false }),
  );
  return errs;
}

/** ValidateStatefulSetUpdate beyond the spec rules: only the mutable fields may change. */
export function validateStatefulSetUpdate(spec: Obj, oldSpec: Obj): FieldError[] {
  const strip = (s: Obj) => {
    const rest: Obj = { ...s };
    for (const k of STATEFULSET_MUTABLE_FIELDS) delete rest[k];
    return rest;
  };
  return semanticEqual(strip(spec), strip(oldSpec)) ? [] : [field.forbidden('spec', STATEFULSET_FORBIDDEN_UPDATE)];
}

/** ValidateStatefulSetStatus. */
export function validateStatefulSetStatus(status: Obj, path: string): FieldError[] {
  return [
    ...validateStatusCounters(status, path, [
      'replicas',
      'readyReplicas',
      'currentReplicas',
      'updatedReplicas',
      'availableReplicas',
      'observedGeneration',
      'collisionCount',
    ]),
    ...validateNotAboveReplicas(status, path, ['readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas']),
    ...validateAvailableNotAboveReady(status, path, 'cannot be greater than status.readyReplicas'),
  ];
}

/** The apps/v1 statefulsets strategy. */
export const statefulSetStrategy = {
  tracksGeneration: true,
  defaults: defaultStatefulSet,
  validate: (obj) => validateStatefulSetSpec(isObj(obj.spec) ? obj.spec : {}, 'spec'),
  validateUpdate: (obj, old) => validateStatefulSetUpdate(isObj(obj.spec) ? obj.spec : {}, isObj(old.spec) ? old.spec : {}),
  status: {
    validateUpdate: (obj, old) => [...validateStatefulSetStatus(statusOf(obj), 'status'), ...validateCollisionCount(obj, old)],
  },
  scale: WORKLOAD_SCALE,
} satisfies Strategy;
