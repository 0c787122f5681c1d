// kube-controller-manager's persistent volume binder (pkg/controller/volume/persistentvolume,
// v1.32): claims bind to the smallest matching volume (class, access modes, volume mode, capacity,
// selector) or to the one they or it name; claims of a class with a provisioner are handed to the
// external provisioner through the storage-provisioner annotations; WaitForFirstConsumer claims
// wait for the scheduler's selected-node annotation; released volumes are deleted (by their
// provisioner) or retained according to their reclaim policy; lost and misbound claims are reported.
// Keys on the queue are "claim:<ns>/<name>" and "volume:<name>".
import { jsonCopy } from '../../../apimachinery/json.js';
import { isDeepStrictEqual } from 'node:util';
import type { PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from '../../../api/objects.js';
import { compareQuantities, parseQuantity } from '../../../apimachinery/quantity.js';
import { matches, selectorFromLabelSelector, type LabelSelectorSpec } from '../../../apimachinery/labels.js';
import type { EventRecorder } from '../../../client/events.js';
import { metaNamespaceKey, splitMetaNamespaceKey, type SharedInformer } from '../../../client/informer.js';
import { type RestClient } from '../../../client/rest.js';
import { rfc3339, type TimerHandle } from '../../../sim/clock.js';
import type { KubeObject } from '../../../api/types.js';
import { Controller } from '../../controller.js';
import { recorderFor, type ControllerContext } from '../../context.js';
import {
  ANN_BETA_STORAGE_PROVISIONER,
  ANN_BIND_COMPLETED,
  ANN_BOUND_BY_CONTROLLER,
  ANN_DYNAMICALLY_PROVISIONED,
  ANN_SELECTED_NODE,
  ANN_STORAGE_PROVISIONER,
  claimClass,
  isWaitForFirstConsumer,
  migratedProvisioner,
} from '../annotations.js';
import { PODS, PVCS, PVS, STORAGE_CLASSES } from '../../../client/refs.js';

export const SERVICE_ACCOUNT = 'persistent-volume-binder';
/** The event source upstream's binder reports as. */
export const EVENT_COMPONENT = 'persistentvolume-controller';

const CLAIM_REF_INDEX = 'claimRef';

/** Options of the binder (kube-controller-manager's --pvclaimbinder-sync-period). */
export interface PersistentVolumeControllerOptions {
  syncPeriodMs?: number;
  workers?: number;
}

type Phase = string;

function annotations(o: KubeObject): Record<string, string> {
  return (o.metadata.annotations ??= {});
}

function storageOf(list: Record<string, unknown> | undefined): ReturnType<typeof parseQuantity> | undefined {
  const q = list?.storage;
  if (q === undefined || q === null) return undefined;
  try {
    return parseQuantity(q as string);
  } catch {
    return undefined;
  }
}

/** isVolumeBoundToClaim: the volume's claimRef names this claim (and its uid, when set). */
export function isVolumeBoundToClaim(volume: PersistentVolume, claim: PersistentVolumeClaim): boolean {
  const ref = volume.spec?.claimRef;
  if (!ref) return false;
  if (ref.name !== claim.metadata.name || ref.namespace !== claim.metadata.namespace) return false;
  return !ref.uid || ref.uid === claim.metadata.uid;
}

/**
 * checkVolumeSatisfyClaim: why the volume cannot serve the claim, or undefined if it can (upstream's
 * messages).
 */
export function volumeMismatch(volume: PersistentVolume, claim: PersistentVolumeClaim): string | undefined {
  const request = storageOf(claim.spec?.resources?.requests as Record<string, unknown>);
  const capacity = storageOf(volume.spec?.capacity as Record<string, unknown>);
  if (request && (!capacity || compareQuantities(capacity, request) < 0)) return 'requested PV is too small';
  const want = claimClass(claim);
  if ((volume.spec?.storageClassName ?? '') !== want) return 'storageClassName does not match';
  if ((volume.spec?.volumeMode ?? 'Filesystem') !== (claim.spec?.volumeMode ?? 'Filesystem')) return 'incompatible volumeMode';
  const modes = new Set(volume.spec?.accessModes ?? []);
  if (!(claim.spec?.accessModes ?? []).every((m) => modes.has(m))) return 'incompatible accessMode';
  return undefined;
}

/** The PersistentVolume controller; see the module comment. */
export class PersistentVolumeController extends Controller {
  private readonly client: RestClient;
  private readonly recorder: EventRecorder;
  private readonly claims: SharedInformer<PersistentVolumeClaim>;
  private readonly volumes: SharedInformer<PersistentVolume>;
  private readonly classes: SharedInformer<StorageClass>;
  private readonly pods: SharedInformer<Pod>;
  private readonly syncPeriodMs: number;
  private resyncTimer?: TimerHandle;

  constructor(ctx: ControllerContext, opts: PersistentVolumeControllerOptions = {}) {
    super('persistentvolume-binder-controller', { clock: ctx.clock, log: ctx.log, workers: opts.workers });
    this.client = ctx.clientFor(SERVICE_ACCOUNT);
    this.recorder = recorderFor(ctx, SERVICE_ACCOUNT, EVENT_COMPONENT);
    this.claims = ctx.informers.forResource<PersistentVolumeClaim>(PVCS);
    this.volumes = ctx.informers.forResource<PersistentVolume>(PVS);
    this.classes = ctx.informers.forResource<StorageClass>(STORAGE_CLASSES);
    this.pods = ctx.informers.forResource<Pod>(PODS);
    this.volumes.addIndexers({
      [CLAIM_REF_INDEX]: (v) => (v.spec?.claimRef?.name ? [`${v.spec.claimRef.namespace ?? ''}/${v.spec.claimRef.name}`] : []),
    });
    this.syncPeriodMs = opts.syncPeriodMs ?? 15_000;
  }

  protected override async run(signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => this.clock.clearInterval(this.resyncTimer), { once: true });
    const claimKey = (o: KubeObject | object) => `claim:${metaNamespaceKey(o as KubeObject)}`;
    const volumeKey = (o: KubeObject | object) => `volume:${metaNamespaceKey(o as KubeObject)}`;
    this.claims.addEventHandler({
      onAdd: (c) => this.queue.add(claimKey(c)),
      onUpdate: (_o, c) => this.queue.add(claimKey(c)),
      onDelete: (c) => {
        this.queue.add(claimKey(c));
        // The volume of a deleted claim is released.
        const obj = 'metadata' in c ? c : (c.obj as PersistentVolumeClaim);
        if (obj.spec?.volumeName) this.queue.add(`volume:${obj.spec.volumeName}`);
        for (const v of this.volumes.indexer.byIndex(CLAIM_REF_INDEX, `${obj.metadata.namespace}/${obj.metadata.name}`)) this.queue.add(volumeKey(v));
      },
    });
    this.volumes.addEventHandler({
      onAdd: (v) => this.queue.add(volumeKey(v)),
      onUpdate: (_o, v) => this.queue.add(volumeKey(v)),
      onDelete: (v) => {
        const obj = 'metadata' in v ? v : (v.obj as PersistentVolume);
        const ref = obj.spec?.claimRef;
        if (ref?.name) this.queue.add(`claim:${ref.namespace}/${ref.name}`);
      },
    });
    this.classes.addEventHandler({});
    this.pods.addEventHandler({});
    await Promise.all([this.claims.waitForSync(), this.volumes.waitForSync(), this.classes.waitForSync(), this.pods.waitForSync()]);
    // The periodic resync that retries Pending claims and unfinished releases.
    this.resyncTimer = this.clock.setInterval(() => {
      for (const c of this.claims.lister.list()) this.queue.add(claimKey(c));
      for (const v of this.volumes.lister.list()) this.queue.add(volumeKey(v));
    }, this.syncPeriodMs);
  }

  protected async sync(key: string): Promise<void> {
    if (key.startsWith('claim:')) {
      const { namespace, name } = splitMetaNamespaceKey(key.slice(6));
      const claim = this.claims.lister.get(namespace, name);
      if (claim) await this.syncClaim(jsonCopy(claim));
    } else if (key.startsWith('volume:')) {
      const volume = this.volumes.lister.get('', key.slice(7));
      if (volume) await this.syncVolume(jsonCopy(volume));
    }
  }

  // ---- claims ---------------------------------------------------------------------------------

  private async syncClaim(claim: PersistentVolumeClaim): Promise<void> {
    if (claim.metadata.annotations?.[ANN_BIND_COMPLETED] === undefined) await this.syncUnboundClaim(claim);
    else await this.syncBoundClaim(claim);
  }

  private async syncUnboundClaim(claim: PersistentVolumeClaim): Promise<void> {
    const volumeName = claim.spec?.volumeName ?? '';
    if (!volumeName) {
      const className = claimClass(claim);
      const sc = className ? this.classes.lister.get('', className) : undefined;
      const delayBinding = isWaitForFirstConsumer(sc);
      const volume = this.findBestMatch(claim, delayBinding);
      if (!volume) {
        if (delayBinding && !claim.metadata.annotations?.[ANN_SELECTED_NODE]) {
          this.emitEventForUnboundDelayBindingClaim(claim);
        } else if (className) {
          await this.provisionClaim(claim, className, sc);
          return;
        } else {
          this.recorder.event(claim, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set');
        }
        await this.updateClaimStatus(claim, 'Pending');
        return;
      }
      await this.bind(volume, claim);
      return;
    }
    // The user asked for a specific volume.
    const volume = this.volumes.lister.get('', volumeName);
    if (!volume) {
      await this.updateClaimStatus(claim, 'Pending');
      return;
    }
    if (!volume.spec?.claimRef) {
      const why = volumeMismatch(volume, claim);
      if (why) {
        this.recorder.event(claim, 'Warning', 'VolumeMismatch', `Cannot bind to requested volume "${volumeName}": ${why}`);
        await this.updateClaimStatus(claim, 'Pending');
        return;
      }
      await this.bind(jsonCopy(volume), claim);
      return;
    }
    if (isVolumeBoundToClaim(volume, claim)) {
      await this.bind(jsonCopy(volume), claim);
      return;
    }
    // The volume belongs to someone else.
    if (claim.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER] === undefined) {
      this.recorder.event(claim, 'Warning', 'FailedBinding', `volume "${volumeName}" already bound to a different claim.`);
      await this.updateClaimStatus(claim, 'Pending');
    }
  }

  private async syncBoundClaim(claim: PersistentVolumeClaim): Promise<void> {
    const volumeName = claim.spec?.volumeName ?? '';
    if (!volumeName) {
      await this.updateClaimStatusWithEvent(claim, 'Lost', 'Warning', 'ClaimLost', 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!');
      return;
    }
    const volume = this.volumes.lister.get('', volumeName);
    if (!volume) {
      await this.updateClaimStatusWithEvent(claim, 'Lost', 'Warning', 'ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
      return;
    }
    if (!volume.spec?.claimRef || isVolumeBoundToClaim(volume, claim)) {
      await this.bind(jsonCopy(volume), claim);
      return;
    }
    await this.updateClaimStatusWithEvent(claim, 'Lost', 'Warning', 'ClaimMisbound', 'Two claims are bound to the same volume, this one is bound incorrectly');
  }

  /**
   * findBestMatchForClaim: a volume pre-bound to the claim, else the smallest Available volume that
   * satisfies it. With delayed binding only pre-bound volumes count: the scheduler picks the rest.
   */
  private findBestMatch(claim: PersistentVolumeClaim, delayBinding: boolean): PersistentVolume | undefined {
    const key = `${claim.metadata.namespace}/${claim.metadata.name}`;
    for (const v of this.volumes.indexer.byIndex(CLAIM_REF_INDEX, key)) {
      if (isVolumeBoundToClaim(v, claim) && !volumeMismatch(v, claim)) return jsonCopy(v);
    }
    if (delayBinding) return undefined;
    const selector = claim.spec?.selector ? selectorFromLabelSelector(claim.spec.selector as LabelSelectorSpec) : undefined;
    let best: PersistentVolume | undefined;
    for (const v of this.volumes.lister.list()) {
      if (v.spec?.claimRef) continue;
      if (v.status?.phase !== 'Available') continue;
      if (v.metadata.deletionTimestamp) continue;
      if (volumeMismatch(v, claim)) continue;
      if (selector && !matches(selector, v.metadata.labels ?? {})) continue;
      if (!best || compareQuantities(storageOf(v.spec?.capacity as Record<string, unknown>)!, storageOf(best.spec?.capacity as Record<string, unknown>)!) < 0) best = v;
    }
    return best && jsonCopy(best);
  }

  private emitEventForUnboundDelayBindingClaim(claim: PersistentVolumeClaim): void {
    const waiting = this.pods.lister
      .list(claim.metadata.namespace)
      .filter((p) => !p.spec?.nodeName && (p.spec?.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === claim.metadata.name))
      .map((p) => p.metadata.name!);
    if (waiting.length > 1) this.recorder.event(claim, 'Normal', 'WaitForPodScheduled', `waiting for pods ${waiting.join(',')} to be scheduled`);
    else if (waiting.length === 1) this.recorder.event(claim, 'Normal', 'WaitForPodScheduled', `waiting for pod ${waiting[0]} to be scheduled`);
    else this.recorder.event(claim, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
  }

  /** provisionClaimOperationExternal: name the provisioner on the claim and tell the user. */
  private async provisionClaim(claim: PersistentVolumeClaim, className: string, sc: StorageClass | undefined): Promise<void> {
    if (!sc) {
      this.recorder.event(claim, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${className}" not found`);
      await this.updateClaimStatus(claim, 'Pending');
      return;
    }
    if (sc.provisioner === 'kubernetes.io/no-provisioner') {
      this.recorder.event(claim, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set');
      await this.updateClaimStatus(claim, 'Pending');
      return;
    }
    const provisioner = migratedProvisioner(sc.provisioner);
    const ann = claim.metadata.annotations ?? {};
    if (ann[ANN_STORAGE_PROVISIONER] !== provisioner) {
      const next = jsonCopy(claim);
      annotations(next)[ANN_BETA_STORAGE_PROVISIONER] = provisioner;
      annotations(next)[ANN_STORAGE_PROVISIONER] = provisioner;
      claim = await this.client.resource<PersistentVolumeClaim>(PVCS).namespace(claim.metadata.namespace!).update(next);
    }
    this.recorder.event(
      claim,
      'Normal',
      'ExternalProvisioning',
      `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
    );
  }

  /** bind: volume → claim (claimRef), volume phase Bound, claim → volume, claim phase Bound. */
  private async bind(volume: PersistentVolume, claim: PersistentVolumeClaim): Promise<void> {
    volume = await this.bindVolumeToClaim(volume, claim);
    volume = await this.updateVolumePhase(volume, 'Bound', '');
    claim = await this.bindClaimToVolume(claim, volume);
    await this.updateClaimStatus(claim, 'Bound', volume);
  }

  private async bindVolumeToClaim(volume: PersistentVolume, claim: PersistentVolumeClaim): Promise<PersistentVolume> {
    const ref = volume.spec?.claimRef;
    const wantRef = {
      kind: 'PersistentVolumeClaim',
      namespace: claim.metadata.namespace,
      name: claim.metadata.name,
      uid: claim.metadata.uid,
      apiVersion: 'v1',
      resourceVersion: claim.metadata.resourceVersion,
    };
    const needsRef = !ref || ref.name !== claim.metadata.name || ref.namespace !== claim.metadata.namespace || ref.uid !== claim.metadata.uid;
    const needsAnn = !ref && volume.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER] === undefined;
    if (!needsRef && !needsAnn) return volume;
    volume.spec ??= {};
    volume.spec.claimRef = needsRef ? wantRef : ref;
    if (!ref) annotations(volume)[ANN_BOUND_BY_CONTROLLER] = 'yes';
    return this.client.resource<PersistentVolume>(PVS).update(volume);
  }

  private async bindClaimToVolume(claim: PersistentVolumeClaim, volume: PersistentVolume): Promise<PersistentVolumeClaim> {
    let dirty = false;
    claim.spec ??= {};
    if (claim.spec.volumeName !== volume.metadata.name) {
      claim.spec.volumeName = volume.metadata.name;
      annotations(claim)[ANN_BOUND_BY_CONTROLLER] = 'yes';
      dirty = true;
    }
    if (claim.metadata.annotations?.[ANN_BIND_COMPLETED] !== 'yes') {
      annotations(claim)[ANN_BIND_COMPLETED] = 'yes';
      dirty = true;
    }
    if (!dirty) return claim;
    return this.client.resource<PersistentVolumeClaim>(PVCS).namespace(claim.metadata.namespace!).update(claim);
  }

  private async updateClaimStatus(claim: PersistentVolumeClaim, phase: Phase, volume?: PersistentVolume): Promise<PersistentVolumeClaim> {
    const status = jsonCopy(claim.status ?? {});
    status.phase = phase;
    if (volume) {
      status.accessModes = volume.spec?.accessModes;
      status.capacity = volume.spec?.capacity;
    } else if (phase === 'Pending' || phase === 'Lost') {
      // A claim that is not bound reports no capacity of its own.
      if (phase === 'Pending') {
        delete status.accessModes;
        delete status.capacity;
      }
    }
    if (isDeepStrictEqual(status, claim.status ?? {})) return claim;
    return this.client.resource<PersistentVolumeClaim>(PVCS).namespace(claim.metadata.namespace!).updateStatus({ ...claim, status });
  }

  private async updateClaimStatusWithEvent(claim: PersistentVolumeClaim, phase: Phase, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    if (claim.status?.phase === phase) return;
    const updated = await this.updateClaimStatus(claim, phase);
    this.recorder.event(updated, type, reason, message);
  }

  // ---- volumes --------------------------------------------------------------------------------

  private async syncVolume(volume: PersistentVolume): Promise<void> {
    const ref = volume.spec?.claimRef;
    if (!ref) {
      await this.updateVolumePhase(volume, 'Available', '');
      return;
    }
    if (!ref.uid) {
      // Pre-bound by the user; the claim's sync completes it.
      await this.updateVolumePhase(volume, 'Available', '');
      return;
    }
    let claim = this.claims.lister.get(ref.namespace ?? '', ref.name ?? '');
    if (claim && claim.metadata.uid !== ref.uid) claim = undefined; // deleted and recreated
    if (!claim) {
      if (volume.status?.phase !== 'Released' && volume.status?.phase !== 'Failed') {
        // Make sure the claim is really gone before releasing its data.
        try {
          const live = await this.client.resource<PersistentVolumeClaim>(PVCS).namespace(ref.namespace ?? '').get(ref.name ?? '');
          if (live.metadata.uid === ref.uid) return;
        } catch (e) {
          if ((e as { code?: number }).code !== 404) throw e;
        }
        volume = await this.updateVolumePhase(volume, 'Released', '');
      }
      await this.reclaimVolume(volume);
      return;
    }
    if (!claim.spec?.volumeName) {
      // Pre-bound to a claim that is not bound yet: let the claim's sync finish the binding.
      if (volume.status?.phase !== 'Available' && volume.status?.phase !== 'Bound') await this.updateVolumePhase(volume, 'Available', '');
      this.queue.add(`claim:${claim.metadata.namespace}/${claim.metadata.name}`);
      return;
    }
    if (claim.spec.volumeName === volume.metadata.name) {
      await this.updateVolumePhase(volume, 'Bound', '');
      return;
    }
    // The claim is bound to another volume: undo our half of a binding we made.
    if (volume.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER] !== undefined) {
      delete volume.spec!.claimRef;
      delete volume.metadata.annotations[ANN_BOUND_BY_CONTROLLER];
      const updated = await this.client.resource<PersistentVolume>(PVS).update(volume);
      await this.updateVolumePhase(updated, 'Available', '');
    } else {
      await this.reclaimVolume(await this.updateVolumePhase(volume, 'Released', ''));
    }
  }

  /** reclaimVolume: Retain keeps the volume Released; Delete hands it to its provisioner. */
  private async reclaimVolume(volume: PersistentVolume): Promise<void> {
    switch (volume.spec?.persistentVolumeReclaimPolicy) {
      case 'Retain':
        return;
      case 'Recycle':
        await this.updateVolumePhaseWithEvent(volume, 'Failed', 'Warning', 'VolumeFailedRecycle', 'No recycler plugin found for the volume!');
        return;
      case 'Delete': {
        const provisioner = volume.metadata.annotations?.[ANN_DYNAMICALLY_PROVISIONED];
        if (!provisioner) {
          await this.updateVolumePhaseWithEvent(volume, 'Failed', 'Warning', 'VolumeFailedDelete', 'error getting deleter volume plugin for volume "' + volume.metadata.name + '": no deletable volume plugin matched');
          return;
        }
        this.recorder.event(
          volume,
          'Normal',
          'ExternalDeleting',
          `Waiting for a volume to be deleted either by the external provisioner '${migratedProvisioner(provisioner)}' or manually by the system administrator. If volume deletion is delayed, please verify that the provisioner is running and correctly registered.`,
        );
        return;
      }
    }
  }

  private async updateVolumePhase(volume: PersistentVolume, phase: Phase, message: string): Promise<PersistentVolume> {
    if (volume.status?.phase === phase && (volume.status?.message ?? '') === message) return volume;
    const status = { ...(volume.status ?? {}), phase, lastPhaseTransitionTime: rfc3339(this.clock.now()) };
    if (message) status.message = message;
    else delete status.message;
    return this.client.resource<PersistentVolume>(PVS).updateStatus({ ...volume, status });
  }

  private async updateVolumePhaseWithEvent(volume: PersistentVolume, phase: Phase, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    if (volume.status?.phase === phase) return;
    const updated = await this.updateVolumePhase(volume, phase, message);
    this.recorder.event(updated, type, reason, message);
  }

  /** Resolves once queued events are written; for tests. */
  flushEvents(): Promise<void> {
    return this.recorder.flush();
  }
}
