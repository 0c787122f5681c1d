// kube-controller-manager's pvc-protection controller (pkg/controller/volume/pvcprotection, v1.32):
// a PersistentVolumeClaim being deleted keeps its kubernetes.io/pvc-protection finalizer (added by
// the StorageObjectInUseProtection admission plugin) while any scheduled pod still references it,
// so the claim stays Terminating under a running pod and goes once the last such pod is gone.
// Claims that somehow lack the finalizer and are not being deleted get it back.
import type { PersistentVolumeClaim, Pod } from '../../../api/objects.js';
import { DeletedFinalStateUnknown, splitMetaNamespaceKey, type SharedInformer } from '../../../client/informer.js';
import type { RestClient } from '../../../client/rest.js';
import { PODS, PVCS } from '../../../client/refs.js';
import { Controller } from '../../controller.js';
import type { ControllerContext } from '../../context.js';
import { isDeletionCandidate, needToAddFinalizer, withFinalizer, withoutFinalizer } from './finalizers.js';

export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';
export const SERVICE_ACCOUNT = 'pvc-protection-controller';

/** common.PodPVCIndex: pods by "<ns>/<claim>" of every claim they reference. */
const POD_PVC_INDEX = 'pod-pvc-index';

type Volume = NonNullable<NonNullable<Pod['spec']>['volumes']>[number];

/** ephemeral.VolumeClaimName: the claim a generic ephemeral volume gets is "<pod>-<volume>". */
export function ephemeralClaimName(pod: Pod, volume: Volume): string {
  return `${pod.metadata.name}-${volume.name}`;
}

/** ephemeral.VolumeIsForPod: the claim is controlled by this pod. */
function claimIsForPod(pod: Pod, pvc: PersistentVolumeClaim): boolean {
  return (pvc.metadata.ownerReferences ?? []).some((r) => r.controller === true && r.uid === pod.metadata.uid);
}

/**
 * podIsShutDown: the kubelet is done with the pod (it set a zero grace period) or it was
 * force-deleted; its ephemeral claim may go even if the pod object lingers behind a finalizer,
 * which breaks a pod-finalizer / claim-finalizer cycle.
 */
function podIsShutDown(pod: Pod): boolean {
  return !!pod.metadata.deletionTimestamp && pod.metadata.deletionGracePeriodSeconds === 0;
}

/**
 * podUsesPVC: only scheduled pods count (the kubelet refuses to start a pod whose claim is being
 * deleted, so an unscheduled pod can never come to use it).
 */
export function podUsesPVC(pod: Pod, pvc: PersistentVolumeClaim): boolean {
  if (!pod.spec?.nodeName) return false;
  return (pod.spec.volumes ?? []).some(
    (v) =>
      v.persistentVolumeClaim?.claimName === pvc.metadata.name ||
      (!podIsShutDown(pod) && !!v.ephemeral && ephemeralClaimName(pod, v) === pvc.metadata.name && claimIsForPod(pod, pvc)),
  );
}

/**
 * volumeutil.IsPodTerminated: Succeeded or Failed, or being deleted with no container running.
 * Such pods (and unscheduled ones) are the pod events that can free a claim.
 */
export function isPodTerminated(pod: Pod): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Failed' || phase === 'Succeeded') return true;
  return !!pod.metadata.deletionTimestamp && (pod.status?.containerStatuses ?? []).every((s) => !!s.state?.terminated || !!s.state?.waiting);
}

function claimKeys(pod: Pod): string[] {
  const ns = pod.metadata.namespace ?? '';
  const keys: string[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    if (v.persistentVolumeClaim) keys.push(`${ns}/${v.persistentVolumeClaim.claimName}`);
    else if (v.ephemeral) keys.push(`${ns}/${ephemeralClaimName(pod, v)}`);
  }
  return keys;
}

export interface PVCProtectionControllerOptions {
  workers?: number;
}

/** The PVC protection controller; see the module comment. Keys are "<ns>/<claim>". */
export class PVCProtectionController extends Controller {
  private readonly client: RestClient;
  private readonly claims: SharedInformer<PersistentVolumeClaim>;
  private readonly pods: SharedInformer<Pod>;

  constructor(ctx: ControllerContext, opts: PVCProtectionControllerOptions = {}) {
    super('pvcprotection', { clock: ctx.clock, log: ctx.log, workers: opts.workers });
    this.client = ctx.clientFor(SERVICE_ACCOUNT);
    this.claims = ctx.informers.forResource<PersistentVolumeClaim>(PVCS);
    this.pods = ctx.informers.forResource<Pod>(PODS);
    this.pods.addIndexers({ [POD_PVC_INDEX]: claimKeys });
  }

  protected override async run(): Promise<void> {
    const onClaim = (c: PersistentVolumeClaim) => {
      if (needToAddFinalizer(c, PVC_PROTECTION_FINALIZER) || isDeletionCandidate(c, PVC_PROTECTION_FINALIZER)) this.enqueue(c);
    };
    this.claims.addEventHandler({ onAdd: onClaim, onUpdate: (_o, c) => onClaim(c) });
    const parse = (o: Pod | DeletedFinalStateUnknown<Pod>): Pod => (o instanceof DeletedFinalStateUnknown ? o.obj : o);
    this.pods.addEventHandler({
      onAdd: (p) => this.enqueueClaims(p, false),
      onUpdate: (old, p) => {
        this.enqueueClaims(p, false);
        // An update may hide the deletion of one pod and the creation of another of the same name:
        // the old one may have been what kept a claim the new one does not reference.
        if (old.metadata.uid !== p.metadata.uid) this.enqueueClaims(old, true);
      },
      onDelete: (p) => this.enqueueClaims(parse(p), true),
    });
    await Promise.all([this.claims.waitForSync(), this.pods.waitForSync()]);
  }

  // Only pod events that can free a claim matter: deletions, terminated pods, unscheduled pods.
  private enqueueClaims(pod: Pod, deleted: boolean): void {
    if (!deleted && !isPodTerminated(pod) && pod.spec?.nodeName) return;
    for (const key of claimKeys(pod)) this.queue.add(key);
  }

  protected async sync(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const pvc = this.claims.lister.get(namespace, name);
    if (!pvc) return;
    if (isDeletionCandidate(pvc, PVC_PROTECTION_FINALIZER)) {
      if (!(await this.isBeingUsed(pvc))) {
        await this.update(withoutFinalizer(pvc, PVC_PROTECTION_FINALIZER));
        return;
      }
      this.log(`${this.name}: keeping PVC ${key} because it is being used`);
    }
    if (needToAddFinalizer(pvc, PVC_PROTECTION_FINALIZER)) await this.update(withFinalizer(pvc, PVC_PROTECTION_FINALIZER));
  }

  private async update(pvc: PersistentVolumeClaim): Promise<void> {
    await this.client.resource<PersistentVolumeClaim>(PVCS).namespace(pvc.metadata.namespace!).update(pvc);
  }

  /**
   * The cache answers "in use" cheaply; "unused" is confirmed with a live list, since a pod using
   * the claim may not have reached the cache yet.
   */
  private async isBeingUsed(pvc: PersistentVolumeClaim): Promise<boolean> {
    const key = `${pvc.metadata.namespace}/${pvc.metadata.name}`;
    if (this.pods.lister.byIndex(POD_PVC_INDEX, key).some((p) => podUsesPVC(p, pvc))) return true;
    const live = await this.client.resource<Pod>(PODS).namespace(pvc.metadata.namespace!).list();
    return live.items.some((p) => podUsesPVC(p, pvc));
  }
}
