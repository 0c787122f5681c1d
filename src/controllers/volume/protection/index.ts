export { PVCProtectionController, PVC_PROTECTION_FINALIZER, podUsesPVC, isPodTerminated, type PVCProtectionControllerOptions } from './pvc-protection.js';
export { PVProtectionController, PV_PROTECTION_FINALIZER, isVolumeInUse, type PVProtectionControllerOptions } from './pv-protection.js';
