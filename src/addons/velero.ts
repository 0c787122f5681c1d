// Velero's CRDs (velero.io/v1): Backup, Schedule, Restore, BackupStorageLocation and
// VolumeSnapshotLocation, as Velero 1.x publishes them. A Backup is one-off: its spec has no
// `schedule`, which belongs to a Schedule whose backup settings sit under spec.template; under
// kubectl's default Strict field validation a Backup with spec.schedule is rejected (seed002-24).
import type { CustomResourceDefinition, JSONSchemaProps } from '../apiextensions/types.js';
import { AGE_COLUMN, column, defineCRD } from './crd.js';
import { bool, int, labelSelector, list, obj, oneOfStrings, str, stringMap, strings, time } from './schema.js';

const nullableStrings = () => strings({ nullable: true });

/** A hook command run in a pod's container before or after it is backed up. */
const execHook = () =>
  list(
    obj({
      'exec!': obj({
        'command!': strings({ minItems: 1 }),
        container: str(),
        onError: oneOfStrings(['Continue', 'Fail']),
        timeout: str(),
      }),
    }),
  );

/** velerov1.BackupSpec: what a Backup (or each Backup a Schedule creates) includes. */
function backupSpec(): JSONSchemaProps {
  return obj({
    csiSnapshotTimeout: str(),
    datamover: str(),
    defaultVolumesToFsBackup: bool({ nullable: true }),
    defaultVolumesToRestic: bool({ nullable: true }),
    excludedClusterScopedResources: nullableStrings(),
    excludedNamespaceScopedResources: nullableStrings(),
    excludedNamespaces: nullableStrings(),
    excludedResources: nullableStrings(),
    hooks: obj({
      resources: list(
        obj({
          excludedNamespaces: nullableStrings(),
          excludedResources: nullableStrings(),
          includedNamespaces: nullableStrings(),
          includedResources: nullableStrings(),
          labelSelector: labelSelector({ nullable: true }),
          'name!': str(),
          post: execHook(),
          pre: execHook(),
        }),
        { nullable: true },
      ),
    }),
    includeClusterResources: bool({ nullable: true }),
    includedClusterScopedResources: nullableStrings(),
    includedNamespaceScopedResources: nullableStrings(),
    includedNamespaces: nullableStrings(),
    includedResources: nullableStrings(),
    itemOperationTimeout: str(),
    labelSelector: labelSelector({ nullable: true }),
    metadata: obj({ labels: stringMap() }),
    orLabelSelectors: list(labelSelector(), { nullable: true }),
    orderedResources: stringMap({ nullable: true }),
    resourcePolicy: obj({ apiGroup: str(), 'kind!': str(), 'name!': str() }, { 'x-kubernetes-map-type': 'atomic' }),
    snapshotMoveData: bool({ nullable: true }),
    snapshotVolumes: bool({ nullable: true }),
    storageLocation: str(),
    ttl: str(),
    uploaderConfig: obj({ parallelFilesUpload: int() }, { nullable: true }),
    volumeGroupSnapshotLabelKey: str(),
    volumeSnapshotLocations: strings(),
  });
}

const BACKUP_PHASES = [
  'New', 'Queued', 'ReadyToStart', 'FailedValidation', 'InProgress', 'WaitingForPluginOperations',
  'WaitingForPluginOperationsPartiallyFailed', 'Finalizing', 'FinalizingPartiallyFailed', 'Completed',
  'PartiallyFailed', 'Failed', 'Deleting',
];

/** backups.velero.io: no subresources and no columns, as Velero declares it. */
export const backupCRD: CustomResourceDefinition = defineCRD({
  group: 'velero.io',
  kind: 'Backup',
  plural: 'backups',
  scope: 'Namespaced',
  versions: [
    {
      name: 'v1',
      storage: true,
      spec: backupSpec(),
      status: obj({
        completionTimestamp: time({ nullable: true }),
        errors: int(),
        expiration: time({ nullable: true }),
        failureReason: str(),
        formatVersion: str(),
        phase: oneOfStrings(BACKUP_PHASES),
        progress: obj({ itemsBackedUp: int(), totalItems: int() }, { nullable: true }),
        startTimestamp: time({ nullable: true }),
        validationErrors: nullableStrings(),
        version: int(),
        volumeSnapshotsAttempted: int(),
        volumeSnapshotsCompleted: int(),
        warnings: int(),
      }),
    },
  ],
});

/** schedules.velero.io: a cron schedule and the Backup spec to run on it. */
export const scheduleCRD: CustomResourceDefinition = defineCRD({
  group: 'velero.io',
  kind: 'Schedule',
  plural: 'schedules',
  scope: 'Namespaced',
  versions: [
    {
      name: 'v1',
      storage: true,
      spec: obj({
        paused: bool(),
        'schedule!': str(),
        skipImmediately: bool(),
        'template!': backupSpec(),
        useOwnerReferencesInBackup: bool({ nullable: true }),
      }),
      status: obj({
        lastBackup: time({ nullable: true }),
        lastSkipped: time({ nullable: true }),
        phase: oneOfStrings(['New', 'Enabled', 'FailedValidation']),
        validationErrors: strings(),
      }),
      columns: [
        column('Status', 'string', '.status.phase', { description: 'Status of the schedule' }),
        column('Schedule', 'string', '.spec.schedule', { description: 'A Cron expression defining when to run the Backup' }),
        column('LastBackup', 'date', '.status.lastBackup', { description: 'The last time a Backup was run for this schedule' }),
        AGE_COLUMN,
        column('Paused', 'boolean', '.spec.paused'),
      ],
    },
  ],
});

/** restores.velero.io: restores a named Backup. */
export const restoreCRD: CustomResourceDefinition = defineCRD({
  group: 'velero.io',
  kind: 'Restore',
  plural: 'restores',
  scope: 'Namespaced',
  versions: [
    {
      name: 'v1',
      storage: true,
      spec: obj({
        backupName: str(),
        excludedNamespaces: nullableStrings(),
        excludedResources: nullableStrings(),
        existingResourcePolicy: str({ nullable: true }),
        includeClusterResources: bool({ nullable: true }),
        includedNamespaces: nullableStrings(),
        includedResources: nullableStrings(),
        itemOperationTimeout: str(),
        labelSelector: labelSelector({ nullable: true }),
        namespaceMapping: stringMap(),
        orLabelSelectors: list(labelSelector(), { nullable: true }),
        preserveNodePorts: bool({ nullable: true }),
        restorePVs: bool({ nullable: true }),
        restoreStatus: obj({ excludedResources: nullableStrings(), includedResources: nullableStrings() }, { nullable: true }),
        scheduleName: str(),
      }),
      status: obj({
        completionTimestamp: time({ nullable: true }),
        errors: int(),
        failureReason: str(),
        phase: oneOfStrings(['New', 'FailedValidation', 'InProgress', 'WaitingForPluginOperations', 'WaitingForPluginOperationsPartiallyFailed', 'Finalizing', 'FinalizingPartiallyFailed', 'Completed', 'PartiallyFailed', 'Failed']),
        startTimestamp: time({ nullable: true }),
        validationErrors: nullableStrings(),
        warnings: int(),
      }),
    },
  ],
});

const credential = () =>
  obj({ 'key!': str(), name: str({ default: '' }), optional: bool() }, { 'x-kubernetes-map-type': 'atomic' });

/** backupstoragelocations.velero.io (shortName bsl): the object store backups go to. */
export const backupStorageLocationCRD: CustomResourceDefinition = defineCRD({
  group: 'velero.io',
  kind: 'BackupStorageLocation',
  plural: 'backupstoragelocations',
  shortNames: ['bsl'],
  scope: 'Namespaced',
  versions: [
    {
      name: 'v1',
      storage: true,
      spec: obj({
        accessMode: oneOfStrings(['ReadOnly', 'ReadWrite']),
        backupSyncPeriod: str({ nullable: true }),
        config: stringMap(),
        credential: credential(),
        default: bool(),
        'objectStorage!': obj({ 'bucket!': str(), caCert: str({ format: 'byte' }), prefix: str() }),
        'provider!': str(),
        validationFrequency: str({ nullable: true }),
      }),
      status: obj({
        accessMode: oneOfStrings(['ReadOnly', 'ReadWrite']),
        lastSyncedTime: time({ nullable: true }),
        lastValidationTime: time({ nullable: true }),
        message: str(),
        phase: oneOfStrings(['Available', 'Unavailable']),
      }),
      columns: [
        column('Phase', 'string', '.status.phase', { description: 'Backup Storage Location status such as Available/Unavailable' }),
        column('Last Validated', 'date', '.status.lastValidationTime', {
          description: 'LastValidationTime is the last time the backup store location was validated',
        }),
        AGE_COLUMN,
        column('Default', 'boolean', '.spec.default', { description: 'Default backup storage location' }),
      ],
    },
  ],
});

/** volumesnapshotlocations.velero.io (shortName vsl): where volume snapshots are taken (EBS on AWS). */
export const volumeSnapshotLocationCRD: CustomResourceDefinition = defineCRD({
  group: 'velero.io',
  kind: 'VolumeSnapshotLocation',
  plural: 'volumesnapshotlocations',
  shortNames: ['vsl'],
  scope: 'Namespaced',
  versions: [
    {
      name: 'v1',
      storage: true,
      spec: obj({ config: stringMap(), credential: credential(), 'provider!': str() }),
      status: obj({ phase: oneOfStrings(['Available', 'Unavailable']) }),
    },
  ],
});

/** Every Velero CRD the catalog installs. */
export const VELERO_CRDS: readonly CustomResourceDefinition[] = [
  backupCRD,
  scheduleCRD,
  restoreCRD,
  backupStorageLocationCRD,
  volumeSnapshotLocationCRD,
];
