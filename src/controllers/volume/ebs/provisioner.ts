// The EBS CSI driver's controller pod, simulated: external-provisioner (sig-storage-lib-external-
// provisioner's claim loop) in front of aws-ebs-csi-driver's CreateVolume/DeleteVolume. It provisions
// claims whose storage-provisioner annotation names ebs.csi.aws.com, for classes of ebs.csi.aws.com
// and of the in-tree kubernetes.io/aws-ebs (CSI migration: those volumes come back translated to
// in-tree awsElasticBlockStore PVs, as external-provisioner does), in the selected node's zone
// (WaitForFirstConsumer) or one of the cluster's zones / allowedTopologies (Immediate). Released
// volumes with reclaim policy Delete are deleted. What EC2 would bill for is recorded in ebs.skiff.dev/
// annotations on the PV.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Node, PersistentVolume, PersistentVolumeClaim, StorageClass } from '../../../api/objects.js';
import { parseQuantity, value } from '../../../apimachinery/quantity.js';
import type { EventRecorder } from '../../../client/events.js';
import { metaNamespaceKey, splitMetaNamespaceKey, type SharedInformer } from '../../../client/informer.js';
import { isNotFound, type RestClient } from '../../../client/rest.js';
import { Controller } from '../../controller.js';
import { recorderFor, type ControllerContext } from '../../context.js';
import {
  ANN_BETA_STORAGE_PROVISIONER,
  ANN_DYNAMICALLY_PROVISIONED,
  ANN_MIGRATED_TO,
  ANN_SELECTED_NODE,
  ANN_STORAGE_PROVISIONER,
  AWS_EBS_IN_TREE,
  claimClass,
  EBS_CSI_DRIVER,
  isWaitForFirstConsumer,
} from '../annotations.js';
import { ProvisioningError, volumeFromParameters, type EBSVolumeSpec } from './parameters.js';
import { NODES, PVCS, PVS, STORAGE_CLASSES } from '../../../client/refs.js';

/** The driver's topology key (CSINode and older PVs) and the well-known one it answers with since v1.33. */
export const EBS_TOPOLOGY_KEY = 'topology.ebs.csi.aws.com/zone';
export const ZONE_LABEL = 'topology.kubernetes.io/zone';
export const REGION_LABEL = 'topology.kubernetes.io/region';
export const ANN_PROVISIONER_IDENTITY = 'storage.kubernetes.io/csiProvisionerIdentity';

/** Where the provisioned volume's EC2 facts are recorded for the cost model. */
export const EBS_ANNOTATIONS = {
  volumeType: 'ebs.skiff.dev/volume-type',
  sizeGiB: 'ebs.skiff.dev/size-gib',
  iops: 'ebs.skiff.dev/iops',
  throughput: 'ebs.skiff.dev/throughput',
  zone: 'ebs.skiff.dev/availability-zone',
  encrypted: 'ebs.skiff.dev/encrypted',
  kmsKeyId: 'ebs.skiff.dev/kms-key-id',
} as const;

/** The EKS add-on's controller service account. */
export const SERVICE_ACCOUNT = 'ebs-csi-controller-sa';

export interface EBSCSIProvisionerOptions {
  /** The cluster's region, for Immediate claims in a cluster without nodes and for translated PVs. */
  region?: string;
  /** Zones to fall back on when no node or allowedTopologies names one. */
  zones?: string[];
  /** The controller pod's name (events' source is "ebs.csi.aws.com_<pod>_<uuid>"). */
  podName?: string;
  /** Random bytes for volume ids (tests pin it). */
  random?: (n: number) => Buffer;
  workers?: number;
}

/** The simulated EBS CSI controller; start(signal) returns at once. */
export class EBSCSIProvisioner extends Controller {
  /** "<ms>-<n>-ebs.csi.aws.com", as external-provisioner names itself in volumeAttributes. */
  readonly identity: string;
  /** The events' source.component. */
  readonly component: string;
  private readonly client: RestClient;
  private readonly recorder: EventRecorder;
  private readonly claims: SharedInformer<PersistentVolumeClaim>;
  private readonly volumes: SharedInformer<PersistentVolume>;
  private readonly classes: SharedInformer<StorageClass>;
  private readonly nodes: SharedInformer<Node>;
  private readonly region: string;
  private readonly random: (n: number) => Buffer;
  /** The volumes "in EC2", by volume id. */
  readonly ec2Volumes = new Map<string, EBSVolumeSpec & { zone: string }>();

  constructor(
    ctx: ControllerContext,
    private readonly opts: EBSCSIProvisionerOptions = {},
  ) {
    super('ebs-csi-provisioner', { clock: ctx.clock, log: ctx.log, workers: opts.workers ?? 4 });
    this.identity = `${ctx.clock.now()}-${Math.floor(Math.random() * 10000)}-${EBS_CSI_DRIVER}`;
    const pod = opts.podName ?? `ebs-csi-controller-${randomBytes(5).toString('hex').slice(0, 10)}-${randomBytes(3).toString('hex').slice(0, 5)}`;
    this.component = `${EBS_CSI_DRIVER}_${pod}_${randomUUID()}`;
    this.client = ctx.clientFor(SERVICE_ACCOUNT);
    this.recorder = recorderFor(ctx, SERVICE_ACCOUNT, this.component);
    this.claims = ctx.informers.forResource<PersistentVolumeClaim>(PVCS);
    this.volumes = ctx.informers.forResource<PersistentVolume>(PVS);
    this.classes = ctx.informers.forResource<StorageClass>(STORAGE_CLASSES);
    this.nodes = ctx.informers.forResource<Node>(NODES);
    this.region = opts.region ?? 'us-west-2';
    this.random = opts.random ?? randomBytes;
  }

  protected override async run(_signal: AbortSignal): Promise<void> {
    this.claims.addEventHandler({
      onAdd: (c) => this.queue.add(`claim:${metaNamespaceKey(c)}`),
      onUpdate: (_o, c) => this.queue.add(`claim:${metaNamespaceKey(c)}`),
    });
    this.volumes.addEventHandler({
      onAdd: (v) => this.queue.add(`volume:${v.metadata.name}`),
      onUpdate: (_o, v) => this.queue.add(`volume:${v.metadata.name}`),
    });
    this.classes.addEventHandler({});
    this.nodes.addEventHandler({});
    await Promise.all([this.claims.waitForSync(), this.volumes.waitForSync(), this.classes.waitForSync(), this.nodes.waitForSync()]);
  }

  protected async sync(key: string): Promise<void> {
    if (key.startsWith('claim:')) {
      const { namespace, name } = splitMetaNamespaceKey(key.slice(6));
      const claim = this.claims.lister.get(namespace, name);
      if (claim) await this.provision(claim);
    } else if (key.startsWith('volume:')) {
      const volume = this.volumes.lister.get('', key.slice(7));
      if (volume) await this.maybeDelete(volume);
    }
  }

  private shouldProvision(claim: PersistentVolumeClaim): boolean {
    if (claim.spec?.volumeName || claim.metadata.deletionTimestamp) return false;
    const ann = claim.metadata.annotations ?? {};
    const provisioner = ann[ANN_STORAGE_PROVISIONER] ?? ann[ANN_BETA_STORAGE_PROVISIONER];
    return provisioner === EBS_CSI_DRIVER;
  }

  private async provision(claim: PersistentVolumeClaim): Promise<void> {
    if (!this.shouldProvision(claim)) return;
    const className = claimClass(claim);
    const sc = this.classes.lister.get('', className);
    if (!sc || (sc.provisioner !== EBS_CSI_DRIVER && sc.provisioner !== AWS_EBS_IN_TREE)) return;
    const selectedNode = claim.metadata.annotations?.[ANN_SELECTED_NODE];
    // Delayed binding waits for the scheduler's choice.
    if (isWaitForFirstConsumer(sc) && !selectedNode) return;
    const pvName = `pvc-${claim.metadata.uid}`;
    if (this.volumes.lister.get('', pvName)) return;
    const claimKey = `${claim.metadata.namespace}/${claim.metadata.name}`;
    this.recorder.event(claim, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim ${JSON.stringify(claimKey)}`);
    let pv: PersistentVolume;
    try {
      const zone = this.pickZone(sc, selectedNode);
      const requestBytes = value(parseQuantity((claim.spec?.resources?.requests as Record<string, string> | undefined)?.storage ?? '0'));
      const spec = volumeFromParameters(pvName, requestBytes, sc.parameters ?? {});
      const volumeId = `vol-${this.random(9).toString('hex').slice(0, 17)}`;
      this.ec2Volumes.set(volumeId, { ...spec, zone });
      pv = this.persistentVolume(pvName, claim, sc, spec, zone, volumeId);
    } catch (e) {
      const message = e instanceof ProvisioningError ? e.message : e instanceof Error ? e.message : String(e);
      this.recorder.event(claim, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass ${JSON.stringify(className)}: ${message}`);
      throw e;
    }
    try {
      await this.client.resource<PersistentVolume>(PVS).create(pv);
    } catch (e) {
      if ((e as { code?: number }).code !== 409) throw e;
    }
    this.recorder.event(claim, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${pvName}`);
  }

  /** The zone: the selected node's, else allowedTopologies', else one of the nodes' zones. */
  private pickZone(sc: StorageClass, selectedNode: string | undefined): string {
    if (selectedNode) {
      const node = this.nodes.lister.get('', selectedNode);
      if (!node) throw new ProvisioningError('ResourceExhausted', `error generating accessibility requirements: node ${JSON.stringify(selectedNode)} not found`);
      const zone = node.metadata.labels?.[ZONE_LABEL] ?? node.metadata.labels?.[EBS_TOPOLOGY_KEY];
      if (!zone) throw new ProvisioningError('ResourceExhausted', `error generating accessibility requirements: topology labels not found on node ${selectedNode}`);
      return zone;
    }
    const allowed = (sc.allowedTopologies ?? [])
      .flatMap((t) => t.matchLabelExpressions ?? [])
      .filter((e) => e.key === ZONE_LABEL || e.key === EBS_TOPOLOGY_KEY)
      .flatMap((e) => e.values ?? []);
    const nodeZones = this.nodes.lister.list().map((n) => n.metadata.labels?.[ZONE_LABEL] ?? n.metadata.labels?.[EBS_TOPOLOGY_KEY]).filter((z): z is string => !!z);
    let candidates = allowed.length ? allowed : nodeZones;
    if (!candidates.length) candidates = this.opts.zones ?? [`${this.region}a`];
    const sorted = [...new Set(candidates)].sort();
    return sorted[this.random(1)[0] % sorted.length];
  }

  private persistentVolume(name: string, claim: PersistentVolumeClaim, sc: StorageClass, spec: EBSVolumeSpec, zone: string, volumeId: string): PersistentVolume {
    const migrated = sc.provisioner === AWS_EBS_IN_TREE;
    const facts: Record<string, string> = {
      [EBS_ANNOTATIONS.volumeType]: spec.type,
      [EBS_ANNOTATIONS.sizeGiB]: String(spec.sizeGiB),
      [EBS_ANNOTATIONS.iops]: String(spec.iops),
      [EBS_ANNOTATIONS.throughput]: String(spec.throughput),
      [EBS_ANNOTATIONS.zone]: zone,
      [EBS_ANNOTATIONS.encrypted]: String(spec.encrypted),
      ...(spec.kmsKeyId ? { [EBS_ANNOTATIONS.kmsKeyId]: spec.kmsKeyId } : {}),
    };
    const region = zone.replace(/[a-z]$/, '') || this.region;
    const pvSpec: NonNullable<PersistentVolume['spec']> = {
      accessModes: claim.spec?.accessModes,
      capacity: { storage: `${spec.sizeGiB}Gi` },
      claimRef: { kind: 'PersistentVolumeClaim', namespace: claim.metadata.namespace, name: claim.metadata.name, uid: claim.metadata.uid, apiVersion: 'v1', resourceVersion: claim.metadata.resourceVersion },
      persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
      storageClassName: sc.metadata.name,
      volumeMode: claim.spec?.volumeMode ?? 'Filesystem',
      ...(sc.mountOptions?.length ? { mountOptions: sc.mountOptions } : {}),
    };
    if (migrated) {
      // The CSI→in-tree translation (csi-translation-lib's AWS EBS plugin).
      pvSpec.awsElasticBlockStore = { volumeID: volumeId, fsType: spec.fsType };
      pvSpec.nodeAffinity = {
        required: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                { key: ZONE_LABEL, operator: 'In', values: [zone] },
                { key: REGION_LABEL, operator: 'In', values: [region] },
              ],
            },
          ],
        },
      };
    } else {
      pvSpec.csi = { driver: EBS_CSI_DRIVER, volumeHandle: volumeId, fsType: spec.fsType, volumeAttributes: { [ANN_PROVISIONER_IDENTITY]: this.identity } };
      // Driver v1.33+ answers CreateVolume with the well-known zone key only.
      pvSpec.nodeAffinity = { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: ZONE_LABEL, operator: 'In', values: [zone] }] }] } };
    }
    return {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: {
        name,
        annotations: {
          [ANN_DYNAMICALLY_PROVISIONED]: migrated ? AWS_EBS_IN_TREE : EBS_CSI_DRIVER,
          ...(migrated ? { [ANN_MIGRATED_TO]: EBS_CSI_DRIVER } : {}),
          'volume.kubernetes.io/provisioner-deletion-secret-name': '',
          'volume.kubernetes.io/provisioner-deletion-secret-namespace': '',
          ...facts,
        },
        ...(migrated ? { labels: { [ZONE_LABEL]: zone, [REGION_LABEL]: region } } : {}),
      },
      spec: pvSpec,
    };
  }

  /** Deletes released volumes this driver provisioned whose reclaim policy is Delete. */
  private async maybeDelete(volume: PersistentVolume): Promise<void> {
    if (volume.status?.phase !== 'Released' || volume.spec?.persistentVolumeReclaimPolicy !== 'Delete') return;
    if (volume.metadata.deletionTimestamp) return;
    const by = volume.metadata.annotations?.[ANN_DYNAMICALLY_PROVISIONED];
    if (by !== EBS_CSI_DRIVER && by !== AWS_EBS_IN_TREE) return;
    const id = volume.spec.csi?.volumeHandle ?? volume.spec.awsElasticBlockStore?.volumeID;
    if (id) this.ec2Volumes.delete(id);
    try {
      await this.client.resource<PersistentVolume>(PVS).delete(volume.metadata.name!, { preconditions: { uid: volume.metadata.uid } });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  /** Resolves once queued events are written; for tests. */
  flushEvents(): Promise<void> {
    return this.recorder.flush();
  }
}
