// PersistentVolumes (cluster-scoped): defaults (Retain, Filesystem, phase Pending), ValidatePersistentVolumeSpec
// (storage capacity, access modes, exactly one volume source) and the update rules that freeze the source.
import type { KubeObject } from '../../../api/types.js';
import { field, type FieldError } from '../../../apimachinery/errors.js';
import { rfc3339 } from '../../../sim/clock.js';
import type { Strategy } from '../strategy.js';
import { invalidEach, isDNS1123Subdomain } from '../../../apimachinery/validation.js';
import { deepEqual, isRecord } from './equality.js';
import { describeDiff, SUPPORTED_VOLUME_MODES, validateAccessModes } from './persistentvolumeclaims.js';
import { validateNodeSelector } from './pod-validation.js';
import { quantitySign, quantityToString, value as quantityValue } from '../../../apimachinery/quantity.js';
import { quantityAt } from './resources.js';

/** A PersistentVolume as the strategy sees it. */
export type PersistentVolume = KubeObject & { spec?: Record<string, any>; status?: Record<string, any> };

const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'];

/** PersistentVolumeSource fields in upstream's check order, with the path each error uses. */
const PV_SOURCES: Array<[key: string, forbidPath: string, childPath: string, required: string[]]> = [
  ['hostPath', 'hostPath', 'hostPath', ['path']],
  ['gcePersistentDisk', 'gcePersistentDisk', 'persistentDisk', ['pdName']],
  ['awsElasticBlockStore', 'awsElasticBlockStore', 'awsElasticBlockStore', ['volumeID']],
  ['glusterfs', 'glusterfs', 'glusterfs', ['endpoints', 'path']],
  ['flocker', 'flocker', 'flocker', []],
  ['nfs', 'nfs', 'nfs', ['server', 'path']],
  ['rbd', 'rbd', 'rbd', ['monitors', 'image']],
  ['quobyte', 'quobyte', 'quobyte', ['volume']],
  ['cephfs', 'cephFS', 'cephfs', ['monitors']],
  ['iscsi', 'iscsi', 'iscsi', ['targetPortal', 'iqn']],
  ['cinder', 'cinder', 'cinder', ['volumeID']],
  ['fc', 'fc', 'fc', []],
  ['flexVolume', 'flexVolume', 'flexVolume', ['driver']],
  ['azureFile', 'azureFile', 'azureFile', ['secretName', 'shareName']],
  ['vsphereVolume', 'vsphereVolume', 'vsphereVolume', ['volumePath']],
  ['photonPersistentDisk', 'photonPersistentDisk', 'photonPersistentDisk', ['pdID']],
  ['portworxVolume', 'portworxVolume', 'portworxVolume', ['volumeID']],
  ['azureDisk', 'azureDisk', 'azureDisk', ['diskName', 'diskURI']],
  ['scaleIO', 'scaleIO', 'scaleIO', ['gateway', 'system', 'volumeName']],
  ['local', 'local', 'local', ['path']],
  ['storageos', 'storageos', 'storageos', ['volumeName']],
  ['csi', 'csi', 'csi', ['driver', 'volumeHandle']],
];

/** The persistent volume source fields, i.e. what is frozen after creation. */
export const PV_SOURCE_FIELDS: readonly string[] = PV_SOURCES.map(([k]) => k);

/** ValidatePersistentVolumeSpec (not inline), without ObjectMeta. */
export function validatePersistentVolumeSpec(spec: any, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const s = isRecord(spec) ? spec : {};
  const modes: unknown[] = Array.isArray(s.accessModes) ? s.accessModes : [];
  if (modes.length === 0) errs.push(field.required(`${path}.accessModes`));
  errs.push(...validateAccessModes(modes, `${path}.accessModes`));
  const capacity = isRecord(s.capacity) ? s.capacity : {};
  const capPath = `${path}.capacity`;
  if (Object.keys(capacity).length === 0) errs.push(field.required(capPath));
  if (!('storage' in capacity) || Object.keys(capacity).length > 1) errs.push(field.notSupported(capPath, capacity, ['storage']));
  for (const [name, value] of Object.entries(capacity)) {
    const p = `${capPath}[${name}]`;
    const q = quantityAt(value, p, errs);
    if (!q) continue;
    if (quantitySign(q) < 0) errs.push(field.invalid(p, quantityValue(q), 'must be a valid resource quantity'));
    if (quantitySign(q) <= 0) errs.push(field.invalid(p, quantityToString(q), 'must be greater than zero'));
  }
  if (s.persistentVolumeReclaimPolicy && !RECLAIM_POLICIES.includes(s.persistentVolumeReclaimPolicy)) {
    errs.push(field.notSupported(`${path}.persistentVolumeReclaimPolicy`, s.persistentVolumeReclaimPolicy, RECLAIM_POLICIES));
  }
  let nodeAffinitySpecified = false;
  if (isRecord(s.nodeAffinity)) {
    nodeAffinitySpecified = true;
    if (isRecord(s.nodeAffinity.required)) errs.push(...validateNodeSelector(s.nodeAffinity.required, `${path}.nodeAffinity.required`));
    else errs.push(field.required(`${path}.nodeAffinity.required`, 'must specify required node constraints'));
  }
  let n = 0;
  for (const [key, forbidPath, childPath, required] of PV_SOURCES) {
    if (!isRecord(s[key])) continue;
    if (n > 0 && key !== 'flexVolume') {
      errs.push(field.forbidden(`${path}.${forbidPath}`, 'may not specify more than 1 volume type'));
      continue;
    }
    n++;
    for (const r of required) if (!s[key][r]) errs.push(field.required(`${path}.${childPath}.${r}`));
    if (key === 'nfs' && !String(s.nfs.path ?? '').startsWith('/')) errs.push(field.invalid(`${path}.nfs.path`, s.nfs.path ?? '', 'must be an absolute path'));
    if (key === 'local' && !nodeAffinitySpecified) errs.push(field.required(`${path}.nodeAffinity`, 'Local volume requires node affinity'));
  }
  if (n === 0) errs.push(field.required(path, 'must specify a volume type'));
  if (isRecord(s.hostPath) && String(s.hostPath.path ?? '').replace(/\/+$/, '') === '' && s.persistentVolumeReclaimPolicy === 'Recycle') {
    errs.push(field.forbidden(`${path}.persistentVolumeReclaimPolicy`, "may not be 'recycle' for a hostPath mount of '/'"));
  }
  if (typeof s.storageClassName === 'string' && s.storageClassName) {
    errs.push(...invalidEach(`${path}.storageClassName`, s.storageClassName, isDNS1123Subdomain(s.storageClassName)));
  }
  if (s.volumeMode != null && !SUPPORTED_VOLUME_MODES.includes(s.volumeMode)) {
    errs.push(field.notSupported(`${path}.volumeMode`, s.volumeMode, SUPPORTED_VOLUME_MODES));
  }
  return errs;
}

function sourceOf(spec: any): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of PV_SOURCE_FIELDS) if (spec?.[k] != null) out[k] = spec[k];
  return out;
}

/** The PersistentVolume strategy (cluster-scoped). */
export const persistentVolumeStrategy = {
  defaults(pv) {
    if (!isRecord(pv.spec)) pv.spec = {};
    if (!pv.spec.persistentVolumeReclaimPolicy) pv.spec.persistentVolumeReclaimPolicy = 'Retain';
    if (pv.spec.volumeMode == null) pv.spec.volumeMode = 'Filesystem';
    if (!isRecord(pv.status)) pv.status = {};
    if (!pv.status.phase) pv.status.phase = 'Pending';
  },
  prepareForCreate(pv, ctx) {
    // PersistentVolumeLastPhaseTransitionTime is GA in 1.31: a new volume records when it became Pending.
    pv.status = { phase: 'Pending', lastPhaseTransitionTime: rfc3339(ctx.clock.now()) };
  },
  validate(pv) {
    return validatePersistentVolumeSpec(pv.spec, 'spec');
  },
  validateUpdate(pv, old) {
    const errs = validatePersistentVolumeSpec(pv.spec, 'spec');
    const newSource = sourceOf(pv.spec);
    const oldSource = sourceOf(old.spec);
    // A CSI volume may gain a controllerExpandSecretRef.
    if (isRecord(oldSource.csi) && isRecord(newSource.csi) && oldSource.csi.controllerExpandSecretRef == null) {
      newSource.csi = { ...newSource.csi, controllerExpandSecretRef: undefined };
    }
    if (!deepEqual(newSource, oldSource)) {
      const diff = describeDiff(oldSource, newSource).join('\n');
      errs.push(field.forbidden('spec.persistentvolumesource', `spec.persistentvolumesource is immutable after creation\n${diff}`));
    }
    if (!deepEqual(pv.spec?.volumeMode, old.spec?.volumeMode)) errs.push(field.invalid('volumeMode', pv.spec?.volumeMode ?? null, 'field is immutable'));
    if (old.spec?.nodeAffinity != null && !deepEqual(pv.spec?.nodeAffinity, old.spec.nodeAffinity)) {
      errs.push(field.invalid('nodeAffinity', pv.spec?.nodeAffinity ?? null, 'field is immutable'));
    }
    return errs;
  },
  selectableFields(pv) {
    // Upstream keeps a bare "name" field selector for backward compatibility.
    return { name: pv.metadata.name ?? '' };
  },
  status: {},
} satisfies Strategy<PersistentVolume>;
