// PersistentVolumeClaim: defaults, validation and update rules of pkg/registry/core/persistentvolumeclaim
// and ValidatePersistentVolumeClaim{,Spec,Update}. The spec is immutable once created except for
// growing resources.requests.storage of a bound claim (volume expansion).
import { jsonCopy } from '../../../apimachinery/json.js';
import type { KubeObject } from '../../../api/types.js';
import { field, type FieldError } from '../../../apimachinery/errors.js';
import type { Strategy } from '../strategy.js';
import { validateLabelSelector } from '../../../apimachinery/labels.js';
import { invalidEach, isDNS1123Subdomain } from '../../../apimachinery/validation.js';
import { deepEqual, isRecord } from './equality.js';
import { defaultPersistentVolumeClaimSpec } from './pod-defaults.js';
import { compareQuantities, quantitySign, quantityToString } from '../../../apimachinery/quantity.js';
import { quantityAt, validateResourceQuantityValue } from './resources.js';

/** Access modes a volume or claim may ask for, sorted as upstream lists them. */
export const SUPPORTED_ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
/** Volume modes, sorted. */
export const SUPPORTED_VOLUME_MODES = ['Block', 'Filesystem'];

/** Checks access modes as ValidatePersistentVolume{,Claim}Spec do (the empty case is the caller's). */
export function validateAccessModes(modes: unknown[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  let rwop = false;
  let other = false;
  for (const mode of modes) {
    if (!SUPPORTED_ACCESS_MODES.includes(mode as string)) errs.push(field.notSupported(path, mode, SUPPORTED_ACCESS_MODES));
    if (mode === 'ReadWriteOncePod') rwop = true;
    else if (SUPPORTED_ACCESS_MODES.includes(mode as string)) other = true;
  }
  if (rwop && other) errs.push(field.forbidden(path, 'may not use ReadWriteOncePod with other access modes'));
  return errs;
}

function validateDataSource(ds: any, path: string, isRef: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!ds.name) errs.push(field.required(`${path}.name`));
  if (!ds.kind) errs.push(field.required(`${path}.kind`));
  const apiGroup = typeof ds.apiGroup === 'string' ? ds.apiGroup : '';
  if (!apiGroup && ds.kind !== 'PersistentVolumeClaim') {
    errs.push(field.invalid(path, ds.kind ?? '', "must be 'PersistentVolumeClaim' when referencing the default apiGroup"));
  }
  if (apiGroup) errs.push(...invalidEach(`${path}.apiGroup`, apiGroup, isDNS1123Subdomain(apiGroup)));
  if (isRef && typeof ds.namespace === 'string' && ds.namespace) {
    errs.push(...invalidEach(`${path}.namespace`, ds.namespace, isDNS1123Subdomain(ds.namespace)));
  }
  return errs;
}

/** ValidatePersistentVolumeClaimSpec (also used for ephemeral volumes and StatefulSet claim templates). */
export function validatePersistentVolumeClaimSpec(spec: any, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isRecord(spec)) return [field.required(`${path}.accessModes`, 'at least 1 access mode is required')];
  const modes: unknown[] = Array.isArray(spec.accessModes) ? spec.accessModes : [];
  if (modes.length === 0) errs.push(field.required(`${path}.accessModes`, 'at least 1 access mode is required'));
  if (spec.selector != null) errs.push(...validateLabelSelector(spec.selector, `${path}.selector`));
  errs.push(...validateAccessModes(modes, `${path}.accessModes`));
  const storagePath = `${path}.resources[storage]`;
  const requests = isRecord(spec.resources) && isRecord(spec.resources.requests) ? spec.resources.requests : {};
  if (!('storage' in requests)) {
    errs.push(field.required(storagePath));
  } else {
    const q = quantityAt(requests.storage, storagePath, errs);
    if (q && quantitySign(q) <= 0) errs.push(field.invalid(storagePath, quantityToString(q), 'must be greater than zero'));
    else if (q) errs.push(...validateResourceQuantityValue('storage', q, storagePath));
  }
  if (typeof spec.storageClassName === 'string' && spec.storageClassName) {
    errs.push(...invalidEach(`${path}.storageClassName`, spec.storageClassName, isDNS1123Subdomain(spec.storageClassName)));
  }
  if (spec.volumeMode != null && !SUPPORTED_VOLUME_MODES.includes(spec.volumeMode)) {
    errs.push(field.notSupported(`${path}.volumeMode`, spec.volumeMode, SUPPORTED_VOLUME_MODES));
  }
  if (isRecord(spec.dataSource)) errs.push(...validateDataSource(spec.dataSource, `${path}.dataSource`, false));
  if (isRecord(spec.dataSourceRef)) errs.push(...validateDataSource(spec.dataSourceRef, `${path}.dataSourceRef`, true));
  if (typeof spec.volumeAttributesClassName === 'string' && spec.volumeAttributesClassName) {
    errs.push(...invalidEach(`${path}.volumeAttributesClassName`, spec.volumeAttributesClassName, isDNS1123Subdomain(spec.volumeAttributesClassName)));
  }
  return errs;
}

/** A short rendering of what changed, standing in for the cmp.Diff upstream appends. */
export function describeDiff(oldVal: unknown, newVal: unknown, prefix = ''): string[] {
  if (deepEqual(oldVal, newVal)) return [];
  if (isRecord(oldVal) && isRecord(newVal)) {
    const out: string[] = [];
    for (const k of new Set([...Object.keys(oldVal), ...Object.keys(newVal)])) {
      out.push(...describeDiff(oldVal[k], newVal[k], prefix ? `${prefix}.${k}` : k));
    }
    return out;
  }
  return [`-\t${prefix}: ${JSON.stringify(oldVal ?? null)}`, `+\t${prefix}: ${JSON.stringify(newVal ?? null)}`];
}

function storageOf(pvc: any): unknown {
  return pvc?.spec?.resources?.requests?.storage;
}

/** The PersistentVolumeClaim strategy. */
export const persistentVolumeClaimStrategy = {
  defaults(pvc) {
    if (!isRecord(pvc.spec)) pvc.spec = {};
    defaultPersistentVolumeClaimSpec(pvc.spec);
    if (!isRecord(pvc.status)) pvc.status = {};
    if (!(pvc.status as any).phase) (pvc.status as any).phase = 'Pending';
  },
  prepareForCreate(pvc) {
    // SetDefaults_PersistentVolumeClaim's phase survives the store's status reset.
    pvc.status = { phase: 'Pending' };
  },
  validate(pvc) {
    return validatePersistentVolumeClaimSpec(pvc.spec, 'spec');
  },
  validateUpdate(pvc, old) {
    const errs = validatePersistentVolumeClaimSpec(pvc.spec, 'spec');
    const newSpec: any = jsonCopy(pvc.spec ?? {});
    const oldSpec: any = jsonCopy(old.spec ?? {});
    // The binder may set volumeName once.
    if (!oldSpec.volumeName) oldSpec.volumeName = newSpec.volumeName;
    // A claim without a class may gain one (the upgrade path from the beta annotation or from nil).
    if (oldSpec.storageClassName == null && newSpec.storageClassName != null) oldSpec.storageClassName = newSpec.storageClassName;
    if ((pvc as any).status?.phase === 'Bound' && isRecord(newSpec.resources?.requests)) {
      newSpec.resources.requests.storage = storageOf(old);
    }
    newSpec.volumeAttributesClassName = oldSpec.volumeAttributesClassName;
    if (!deepEqual(newSpec, oldSpec)) {
      const diff = describeDiff(oldSpec, newSpec).join('\n');
      errs.push(field.forbidden('spec', `spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n${diff}`));
    }
    const errsQ: FieldError[] = [];
    const oldSize = quantityAt(storageOf(old) ?? '0', 'spec.resources.requests.storage', errsQ);
    const newSize = quantityAt(storageOf(pvc) ?? '0', 'spec.resources.requests.storage', errsQ);
    if (oldSize && newSize && compareQuantities(newSize, oldSize) < 0) {
      // RecoverVolumeExpansionFailure is beta in 1.32: shrinking is allowed down to (not to) status.capacity.
      const cap = quantityAt((old as any).status?.capacity?.storage ?? '0', 'status.capacity.storage', errsQ);
      if (cap && compareQuantities(newSize, cap) <= 0) {
        errs.push(field.forbidden('spec.resources.requests.storage', 'field can not be less than status.capacity'));
      }
    }
    if (!deepEqual(pvc.spec?.volumeMode, old.spec?.volumeMode)) {
      errs.push(field.invalid('volumeMode', pvc.spec?.volumeMode ?? null, 'field is immutable'));
    }
    return errs;
  },
  selectableFields(pvc) {
    // Upstream keeps a bare "name" field selector for backward compatibility.
    return { name: pvc.metadata.name ?? '' };
  },
  status: {},
} satisfies Strategy<KubeObject & { spec?: any; status?: any }>;
