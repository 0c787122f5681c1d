// kube-controller-manager's pv-protection controller (pkg/controller/volume/pvprotection, v1.32):
// a PersistentVolume being deleted keeps its kubernetes.io/pv-protection finalizer (added by the
// StorageObjectInUseProtection admission plugin) while its phase is Bound, so deleting a volume a
// claim still holds leaves it Terminating until the claim lets go. Released, Available and Failed
// volumes go at once, which is how reclaim policy Delete removes them. Volumes that somehow lack
// the finalizer and are not being deleted get it back.
import type { PersistentVolume } from '../../../api/objects.js';
import type { SharedInformer } from '../../../client/informer.js';
import type { RestClient } from '../../../client/rest.js';
import { PVS } from '../../../client/refs.js';
import { Controller } from '../../controller.js';
import type { ControllerContext } from '../../context.js';
import { isDeletionCandidate, needToAddFinalizer, withFinalizer, withoutFinalizer } from './finalizers.js';

export const PV_PROTECTION_FINALIZER = 'kubernetes.io/pv-protection';
export const SERVICE_ACCOUNT = 'pv-protection-controller';

/** isBeingUsed: the binder's status is the only evidence upstream consults. */
export function isVolumeInUse(pv: PersistentVolume): boolean {
  return pv.status?.phase === 'Bound';
}

export interface PVProtectionControllerOptions {
  workers?: number;
}

/** The PV protection controller; see the module comment. Keys are volume names. */
export class PVProtectionController extends Controller {
  private readonly client: RestClient;
  private readonly volumes: SharedInformer<PersistentVolume>;

  constructor(ctx: ControllerContext, opts: PVProtectionControllerOptions = {}) {
    super('pvprotection', { clock: ctx.clock, log: ctx.log, workers: opts.workers });
    this.client = ctx.clientFor(SERVICE_ACCOUNT);
    this.volumes = ctx.informers.forResource<PersistentVolume>(PVS);
  }

  protected override async run(): Promise<void> {
    const onVolume = (v: PersistentVolume) => {
      if (needToAddFinalizer(v, PV_PROTECTION_FINALIZER) || isDeletionCandidate(v, PV_PROTECTION_FINALIZER)) this.enqueue(v);
    };
    this.volumes.addEventHandler({ onAdd: onVolume, onUpdate: (_o, v) => onVolume(v) });
    await this.volumes.waitForSync();
  }

  protected async sync(name: string): Promise<void> {
    const pv = this.volumes.lister.get('', name);
    if (!pv) return;
    if (isDeletionCandidate(pv, PV_PROTECTION_FINALIZER)) {
      if (!isVolumeInUse(pv)) {
        await this.client.resource<PersistentVolume>(PVS).update(withoutFinalizer(pv, PV_PROTECTION_FINALIZER));
        return;
      }
      this.log(`${this.name}: keeping PV ${name} because it is being used`);
    }
    if (needToAddFinalizer(pv, PV_PROTECTION_FINALIZER)) await this.client.resource<PersistentVolume>(PVS).update(withFinalizer(pv, PV_PROTECTION_FINALIZER));
  }
}
