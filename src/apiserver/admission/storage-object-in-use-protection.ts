// StorageObjectInUseProtection admission (plugin/pkg/admission/storage/storageobjectinuseprotection):
// every new PersistentVolumeClaim and PersistentVolume carries a protection finalizer, so deleting
// one only marks it Terminating; the pvc-protection and pv-protection controllers lift the
// finalizer once no pod uses the claim, or the volume is no longer Bound. Without it a claim could
// vanish under a running pod.
import type { KubeObject } from '../../api/types.js';
import type { AdmissionAttributes, AdmissionPlugin } from './admission.js';

export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';
export const PV_PROTECTION_FINALIZER = 'kubernetes.io/pv-protection';

const FINALIZER_BY_RESOURCE: Record<string, string> = {
  persistentvolumeclaims: PVC_PROTECTION_FINALIZER,
  persistentvolumes: PV_PROTECTION_FINALIZER,
};

/** The StorageObjectInUseProtection admission plugin (upstream handles CREATE only). */
export class StorageObjectInUseProtection implements AdmissionPlugin {
  readonly name = 'StorageObjectInUseProtection';

  admit(a: AdmissionAttributes): void {
    if (a.operation !== 'CREATE' || a.resource.group !== '' || a.subresource) return;
    const finalizer = FINALIZER_BY_RESOURCE[a.resource.resource];
    const obj = a.object as KubeObject | undefined;
    if (!finalizer || !obj?.metadata) return;
    const finalizers = obj.metadata.finalizers ?? [];
    if (finalizers.includes(finalizer)) return;
    obj.metadata.finalizers = [...finalizers, finalizer];
  }
}
