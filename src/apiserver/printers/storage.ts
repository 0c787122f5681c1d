// Storage: PersistentVolumes, PersistentVolumeClaims, StorageClasses, VolumeAttributesClasses,
// VolumeAttachments and the CSI objects, as kube-apiserver's printers show them.
import type { KubeObject } from '../../api/types.js';
import type { Printer } from './printer.js';
import { accessModesString, ageCell, ageColumn, arr, canonicalQuantity, column, get, nameColumn, str, wideColumn } from './format.js';

/** The legacy annotation that, when present, overrides spec.storageClassName. */
const BETA_STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

/** helper.GetPersistentVolumeClass / GetPersistentVolumeClaimClass: the beta annotation wins. */
function storageClassOf(obj: KubeObject): string {
  const annotated = obj.metadata.annotations?.[BETA_STORAGE_CLASS_ANNOTATION];
  if (annotated !== undefined) return annotated;
  return str(get(obj, 'spec', 'storageClassName'));
}

/** A zero resource.Quantity prints as "0". */
function storageQuantity(resources: unknown): string {
  const q = get(resources, 'storage');
  return q === undefined || q === null ? '0' : canonicalQuantity(q);
}

/** PersistentVolumes: NAME CAPACITY ACCESS MODES RECLAIM POLICY STATUS CLAIM STORAGECLASS VOLUMEATTRIBUTESCLASS REASON AGE; wide VOLUMEMODE. */
export const persistentVolumePrinter: Printer = {
  columns: [
    nameColumn(),
    column('Capacity', 'string', "capacity is the description of the persistent volume's resources and capacity."),
    column('Access Modes', 'string', 'accessModes contains all ways the volume can be mounted.'),
    column('Reclaim Policy', 'string', 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.'),
    column('Status', 'string', 'phase indicates if a volume is available, bound to a claim, or released by a claim.'),
    column('Claim', 'string', 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.'),
    column('StorageClass', 'string', 'StorageClass of the pv'),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pv'),
    column('Reason', 'string', 'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.'),
    ageColumn(),
    wideColumn('VolumeMode', 'string', 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.'),
  ],
  cells(obj, now) {
    const claimRef = get(obj, 'spec', 'claimRef');
    const claim = claimRef ? `${str(get(claimRef, 'namespace'))}/${str(get(claimRef, 'name'))}` : '';
    const phase = obj.metadata.deletionTimestamp ? 'Terminating' : str(get(obj, 'status', 'phase'));
    const vac = get(obj, 'spec', 'volumeAttributesClassName');
    const volumeMode = get(obj, 'spec', 'volumeMode');
    return [
      str(obj.metadata.name),
      storageQuantity(get(obj, 'spec', 'capacity')),
      accessModesString(arr(get(obj, 'spec', 'accessModes'))),
      str(get(obj, 'spec', 'persistentVolumeReclaimPolicy')),
      phase,
      claim,
      storageClassOf(obj),
      typeof vac === 'string' ? vac : '<unset>',
      str(get(obj, 'status', 'reason')),
      ageCell(obj, now),
      typeof volumeMode === 'string' ? volumeMode : '<unset>',
    ];
  },
};

/** PersistentVolumeClaims: NAME STATUS VOLUME CAPACITY ACCESS MODES STORAGECLASS VOLUMEATTRIBUTESCLASS AGE; wide VOLUMEMODE. */
export const persistentVolumeClaimPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Status', 'string', 'phase represents the current phase of PersistentVolumeClaim.'),
    column('Volume', 'string', 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
    column('Capacity', 'string', 'capacity represents the actual resources of the underlying volume.'),
    column('Access Modes', 'string', 'accessModes contains the actual access modes the volume backing the PVC has.'),
    column('StorageClass', 'string', 'StorageClass of the pvc'),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'),
    ageColumn(),
    wideColumn('VolumeMode', 'string', 'volumeMode defines what type of volume is required by the claim.'),
  ],
  cells(obj, now) {
    const phase = obj.metadata.deletionTimestamp ? 'Terminating' : str(get(obj, 'status', 'phase'));
    const volumeName = str(get(obj, 'spec', 'volumeName'));
    // Capacity and access modes are only shown once the claim names its volume.
    const capacity = volumeName ? storageQuantity(get(obj, 'status', 'capacity')) : '';
    const accessModes = volumeName ? accessModesString(arr(get(obj, 'status', 'accessModes'))) : '';
    const vac = get(obj, 'spec', 'volumeAttributesClassName');
    const volumeMode = get(obj, 'spec', 'volumeMode');
    return [
      str(obj.metadata.name),
      phase,
      volumeName,
      capacity,
      accessModes,
      storageClassOf(obj),
      typeof vac === 'string' ? vac : '<unset>',
      ageCell(obj, now),
      typeof volumeMode === 'string' ? volumeMode : '<unset>',
    ];
  },
};

/** True when a StorageClass carries the (beta or GA) is-default-class annotation set to "true". */
export function isDefaultStorageClass(obj: KubeObject): boolean {
  const a = obj.metadata.annotations ?? {};
  return a['storageclass.kubernetes.io/is-default-class'] === 'true' || a['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
}

/** StorageClasses: NAME (with " (default)") PROVISIONER RECLAIMPOLICY VOLUMEBINDINGMODE ALLOWVOLUMEEXPANSION AGE. */
export const storageClassPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Provisioner', 'string', 'provisioner indicates the type of the provisioner.'),
    column('ReclaimPolicy', 'string', 'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class.'),
    column('VolumeBindingMode', 'string', 'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.'),
    column('AllowVolumeExpansion', 'string', 'allowVolumeExpansion shows whether the storage class allow volume expand.'),
    ageColumn(),
  ],
  cells(obj, now) {
    const name = str(obj.metadata.name) + (isDefaultStorageClass(obj) ? ' (default)' : '');
    return [
      name,
      str(get(obj, 'provisioner')),
      str(get(obj, 'reclaimPolicy')) || 'Delete',
      str(get(obj, 'volumeBindingMode')) || 'Immediate',
      get(obj, 'allowVolumeExpansion') === true,
      ageCell(obj, now),
    ];
  },
};

/** VolumeAttributesClasses: NAME DRIVERNAME AGE. */
export const volumeAttributesClassPrinter: Printer = {
  columns: [nameColumn(), column('DriverName', 'string', 'Name of the CSI driver'), ageColumn()],
  cells(obj, now) {
    // storageutil.IsDefaultAnnotationForVolumeAttributesClass.
    const isDefault = obj.metadata.annotations?.['volumeattributesclass.alpha.kubernetes.io/is-default-class'] === 'true';
    return [str(obj.metadata.name) + (isDefault ? ' (default)' : ''), str(get(obj, 'driverName')), ageCell(obj, now)];
  },
};

/** VolumeAttachments: NAME ATTACHER PV NODE ATTACHED AGE. */
export const volumeAttachmentPrinter: Printer = {
  columns: [
    nameColumn(),
    { ...column('Attacher', 'string', 'attacher indicates the name of the volume driver that MUST handle this request.'), format: 'name' },
    column('PV', 'string', 'persistentVolumeName represents the name of the persistent volume to attach.'),
    column('Node', 'string', 'nodeName represents the node that the volume should be attached to.'),
    column('Attached', 'boolean', 'attached indicates the volume is successfully attached.'),
    ageColumn(),
  ],
  cells(obj, now) {
    return [
      str(obj.metadata.name),
      str(get(obj, 'spec', 'attacher')),
      str(get(obj, 'spec', 'source', 'persistentVolumeName')),
      str(get(obj, 'spec', 'nodeName')),
      get(obj, 'status', 'attached') === true,
      ageCell(obj, now),
    ];
  },
};

/** CSIDrivers: NAME ATTACHREQUIRED PODINFOONMOUNT STORAGECAPACITY TOKENREQUESTS REQUIRESREPUBLISH MODES AGE. */
export const csiDriverPrinter: Printer = {
  columns: [
    nameColumn(),
    column('AttachRequired', 'boolean', 'attachRequired indicates this CSI volume driver requires an attach operation.'),
    column('PodInfoOnMount', 'boolean', 'podInfoOnMount indicates this CSI volume driver requires additional pod information during mount operations.'),
    column('StorageCapacity', 'boolean', 'storageCapacity indicates that the CSI volume driver wants pod scheduling to consider the storage capacity.'),
    column('TokenRequests', 'string', 'tokenRequests indicates the CSI driver needs pods\' service account tokens it is mounting volume for.'),
    column('RequiresRepublish', 'boolean', 'requiresRepublish indicates the CSI driver wants NodePublishVolume being periodically called.'),
    column('Modes', 'string', 'volumeLifecycleModes defines what kind of volumes this CSI volume driver supports.'),
    ageColumn(),
  ],
  cells(obj, now) {
    const spec = (get(obj, 'spec') ?? {}) as Record<string, unknown>;
    const modes = arr<string>(spec.volumeLifecycleModes).join(',') || '<none>';
    const tokenRequests = Array.isArray(spec.tokenRequests)
      ? arr<{ audience?: string }>(spec.tokenRequests).map((t) => str(t.audience)).join(',')
      : '<unset>';
    return [
      str(obj.metadata.name),
      spec.attachRequired !== false,
      spec.podInfoOnMount === true,
      spec.storageCapacity === true,
      tokenRequests,
      spec.requiresRepublish === true,
      modes,
      ageCell(obj, now),
    ];
  },
};

/** CSINodes: NAME DRIVERS AGE. */
export const csiNodePrinter: Printer = {
  columns: [nameColumn(), column('Drivers', 'integer', 'Drivers indicates the number of CSI drivers registered on the node'), ageColumn()],
  cells(obj, now) {
    return [str(obj.metadata.name), arr(get(obj, 'spec', 'drivers')).length, ageCell(obj, now)];
  },
};

/** CSIStorageCapacities: NAME STORAGECLASSNAME CAPACITY. */
export const csiStorageCapacityPrinter: Printer = {
  columns: [
    nameColumn(),
    column('StorageClassName', 'string', 'storageClassName represents the name of the StorageClass that the reported capacity applies to.'),
    column('Capacity', 'string', 'capacity is the value reported by the CSI driver in its GetCapacityResponse.'),
  ],
  cells(obj) {
    const capacity = get(obj, 'capacity');
    return [str(obj.metadata.name), str(get(obj, 'storageClassName')), capacity === undefined || capacity === null ? '<unset>' : canonicalQuantity(capacity)];
  },
};
