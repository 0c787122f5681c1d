// The annotations and finalizers the PV controller and the provisioner share
// (k8s.io/component-helpers/storage/volume and pkg/controller/volume/persistentvolume/util).
import type { PersistentVolumeClaim, StorageClass } from '../../api/objects.js';

export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
export const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
export const ANN_DYNAMICALLY_PROVISIONED = 'pv.kubernetes.io/provisioned-by';
export const ANN_MIGRATED_TO = 'pv.kubernetes.io/migrated-to';
export const ANN_BETA_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';

export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';
export const PV_PROTECTION_FINALIZER = 'kubernetes.io/pv-protection';

/** The in-tree EBS plugin name, and the CSI driver CSI migration hands its volumes to. */
export const AWS_EBS_IN_TREE = 'kubernetes.io/aws-ebs';
export const EBS_CSI_DRIVER = 'ebs.csi.aws.com';

/** storagehelpers.GetPersistentVolumeClaimClass: the beta annotation wins over spec.storageClassName. */
export function claimClass(claim: PersistentVolumeClaim): string {
  return claim.metadata.annotations?.[ANN_BETA_STORAGE_CLASS] ?? claim.spec?.storageClassName ?? '';
}

/** The CSI driver a provisioner name stands for once CSI migration applies. */
export function migratedProvisioner(provisioner: string): string {
  return provisioner === AWS_EBS_IN_TREE ? EBS_CSI_DRIVER : provisioner;
}

export function isWaitForFirstConsumer(sc: StorageClass | undefined): boolean {
  return sc?.volumeBindingMode === 'WaitForFirstConsumer';
}
