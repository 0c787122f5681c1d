import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Event, Node, PersistentVolume, PersistentVolumeClaim, StorageClass } from '../../api/objects.js';
import { startTestServer, type TestServer } from '../../apiserver/testing.js';
import { SharedInformerFactory } from '../../client/informer.js';
import { isNotFound, RestClient, type ResourceClient } from '../../client/rest.js';
import { eventually } from '../../client/testing.js';
import { InProcessTransport } from '../../client/transport.js';
import type { ControllerContext } from '../context.js';
import { EBSCSIProvisioner } from './ebs/provisioner.js';
import { volumeFromParameters } from './ebs/parameters.js';
import { PersistentVolumeController } from './persistentvolume/pv-controller.js';
import { PVCProtectionController, PVProtectionController } from './protection/index.js';
import { EVENTS, NODES, PVCS, PVS, STORAGE_CLASSES } from '../../client/refs.js';

describe('PersistentVolumeController with EBSCSIProvisioner', () => {
  let t: TestServer;
  let client: RestClient;
  let stop: AbortController;
  let pvcs: ResourceClient<PersistentVolumeClaim>;
  let pvs: ResourceClient<PersistentVolume>;
  let classes: ResourceClient<StorageClass>;
  let binder: PersistentVolumeController;
  let ebs: EBSCSIProvisioner;
  let logs: string[];
  let seq = 0;

  beforeEach(async () => {
    t = await startTestServer();
    client = new RestClient(new InProcessTransport(t.server, { username: 'kubernetes-admin', groups: ['system:masters'] }));
    pvcs = client.resource<PersistentVolumeClaim>(PVCS).namespace('default');
    pvs = client.resource<PersistentVolume>(PVS);
    classes = client.resource<StorageClass>(STORAGE_CLASSES);
    stop = new AbortController();
    logs = [];
    for (const [name, zone] of [
      ['ip-10-0-1-10.us-west-2.compute.internal', 'us-west-2a'],
      ['ip-10-0-2-10.us-west-2.compute.internal', 'us-west-2b'],
    ]) {
      await client.resource<Node>(NODES).create({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'topology.kubernetes.io/zone': zone, 'topology.kubernetes.io/region': 'us-west-2' } } });
    }
    const informers = new SharedInformerFactory({ client, clock: t.clock });
    const ctx: ControllerContext = { clock: t.clock, informers, clientFor: () => client, log: (m, e) => logs.push(e === undefined ? m : `${m}: ${String(e)}`) };
    binder = new PersistentVolumeController(ctx);
    ebs = new EBSCSIProvisioner(ctx, { podName: 'ebs-csi-controller-6d5f8c9b7d-x2k4q', random: (n) => Buffer.alloc(n, ++seq) });
    // As kube-controller-manager runs them: claims and volumes carry protection finalizers (admission).
    new PVCProtectionController(ctx).start(stop.signal);
    new PVProtectionController(ctx).start(stop.signal);
    informers.start(stop.signal);
    binder.start(stop.signal);
    ebs.start(stop.signal);
  });
  afterEach(() => {
    stop.abort();
    t.stop();
  });

  async function storageClass(name: string, extra: Partial<StorageClass>): Promise<void> {
    await classes.create({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner: 'ebs.csi.aws.com', ...extra });
  }

  async function claim(name: string, storageClassName: string, size = '10Gi', annotations?: Record<string, string>): Promise<PersistentVolumeClaim> {
    return pvcs.create({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name, namespace: 'default', ...(annotations ? { annotations } : {}) },
      spec: { accessModes: ['ReadWriteOnce'], storageClassName, resources: { requests: { storage: size } } },
    });
  }

  async function bound(name: string): Promise<PersistentVolumeClaim> {
    await eventually(async () => (await pvcs.get(name)).status?.phase === 'Bound', { clock: t.clock, stepMs: 100, describe: () => logs.join(' | ') });
    return pvcs.get(name);
  }

  async function events(): Promise<Event[]> {
    await binder.flushEvents();
    await ebs.flushEvents();
    return (await client.resource<Event>(EVENTS).namespace('default').list()).items;
  }

  test('a gp3 claim with Immediate binding is provisioned in one of the nodes\' zones and bound', async () => {
    await storageClass('gp3', { volumeBindingMode: 'Immediate', reclaimPolicy: 'Delete', parameters: { type: 'gp3', iops: '4000', throughput: '250', encrypted: 'true', 'csi.storage.k8s.io/fstype': 'xfs' } });
    const c = await claim('data', 'gp3', '10500Mi');
    const got = await bound('data');
    const pvName = `pvc-${c.metadata.uid}`;
    assert.equal(got.spec!.volumeName, pvName);
    assert.equal(got.metadata.annotations!['pv.kubernetes.io/bind-completed'], 'yes');
    assert.equal(got.metadata.annotations!['pv.kubernetes.io/bound-by-controller'], 'yes');
    assert.equal(got.metadata.annotations!['volume.kubernetes.io/storage-provisioner'], 'ebs.csi.aws.com');
    assert.equal(got.metadata.annotations!['volume.beta.kubernetes.io/storage-provisioner'], 'ebs.csi.aws.com');
    assert.deepEqual(got.status!.capacity, { storage: '11Gi' }); // 10500Mi rounded up to whole GiB
    assert.deepEqual(got.status!.accessModes, ['ReadWriteOnce']);

    const pv = await pvs.get(pvName);
    assert.equal(pv.status!.phase, 'Bound');
    assert.equal(pv.spec!.csi!.driver, 'ebs.csi.aws.com');
    assert.match(pv.spec!.csi!.volumeHandle, /^vol-[0-9a-f]{17}$/);
    assert.equal(pv.spec!.csi!.fsType, 'xfs');
    assert.match(pv.spec!.csi!.volumeAttributes!['storage.kubernetes.io/csiProvisionerIdentity'], /^\d+-\d+-ebs\.csi\.aws\.com$/);
    assert.equal(pv.spec!.persistentVolumeReclaimPolicy, 'Delete');
    assert.equal(pv.spec!.storageClassName, 'gp3');
    assert.equal(pv.spec!.claimRef!.uid, c.metadata.uid);
    assert.equal(pv.metadata.annotations!['pv.kubernetes.io/provisioned-by'], 'ebs.csi.aws.com');
    const zone = pv.spec!.nodeAffinity!.required!.nodeSelectorTerms[0].matchExpressions![0];
    assert.equal(zone.key, 'topology.kubernetes.io/zone');
    assert.ok(['us-west-2a', 'us-west-2b'].includes(zone.values![0]));
    assert.deepEqual(
      Object.fromEntries(Object.entries(pv.metadata.annotations!).filter(([k]) => k.startsWith('ebs.skiff.dev/'))),
      {
        'ebs.skiff.dev/volume-type': 'gp3',
        'ebs.skiff.dev/size-gib': '11',
        'ebs.skiff.dev/iops': '4000',
        'ebs.skiff.dev/throughput': '250',
        'ebs.skiff.dev/availability-zone': zone.values![0],
        'ebs.skiff.dev/encrypted': 'true',
      },
    );
    const evs = await events();
    const ext = evs.find((e) => e.reason === 'ExternalProvisioning');
    assert.equal(
      ext?.message,
      "Waiting for a volume to be created either by the external provisioner 'ebs.csi.aws.com' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
    );
    assert.equal(ext?.source?.component, 'persistentvolume-controller');
    const prov = evs.find((e) => e.reason === 'Provisioning');
    assert.ok(prov, logs.join(' | '));
    assert.equal(prov?.message, 'External provisioner is provisioning volume for claim "default/data"');
    assert.match(prov!.source!.component!, /^ebs\.csi\.aws\.com_ebs-csi-controller-6d5f8c9b7d-x2k4q_[0-9a-f-]{36}$/);
    assert.equal(evs.find((e) => e.reason === 'ProvisioningSucceeded')?.message, `Successfully provisioned volume ${pvName}`);
  });

  test('a WaitForFirstConsumer claim on gp2 stays Pending until a node is selected, then binds in that node\'s zone', async () => {
    const gp2 = await classes.get('gp2');
    assert.equal(gp2.provisioner, 'kubernetes.io/aws-ebs');
    assert.equal(gp2.volumeBindingMode, 'WaitForFirstConsumer');
    assert.equal(gp2.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'], undefined);

    await claim('db', 'gp2', '20Gi');
    await t.clock.advance(30_000);
    assert.equal((await pvcs.get('db')).status!.phase, 'Pending');
    assert.equal((await pvs.list()).items.length, 0);
    const wait = (await events()).find((e) => e.reason === 'WaitForFirstConsumer');
    assert.equal(wait?.message, 'waiting for first consumer to be created before binding');

    await pvcs.patch('db', 'merge', { metadata: { annotations: { 'volume.kubernetes.io/selected-node': 'ip-10-0-2-10.us-west-2.compute.internal' } } });
    const got = await bound('db');
    const pv = await pvs.get(got.spec!.volumeName!);
    // CSI migration: the volume comes back as an in-tree EBS volume.
    assert.equal(pv.metadata.annotations!['pv.kubernetes.io/provisioned-by'], 'kubernetes.io/aws-ebs');
    assert.equal(pv.metadata.annotations!['pv.kubernetes.io/migrated-to'], 'ebs.csi.aws.com');
    assert.equal(pv.spec!.awsElasticBlockStore!.fsType, 'ext4');
    assert.deepEqual(pv.spec!.nodeAffinity!.required!.nodeSelectorTerms[0].matchExpressions, [
      { key: 'topology.kubernetes.io/zone', operator: 'In', values: ['us-west-2b'] },
      { key: 'topology.kubernetes.io/region', operator: 'In', values: ['us-west-2'] },
    ]);
    assert.equal(pv.metadata.annotations!['ebs.skiff.dev/volume-type'], 'gp2');
    assert.equal(pv.metadata.annotations!['ebs.skiff.dev/iops'], '100'); // gp2 baseline: 3/GiB, at least 100
  });

  test('deleting the claim deletes a Delete volume and keeps a Retain one Released', async () => {
    await storageClass('keep', { volumeBindingMode: 'Immediate', reclaimPolicy: 'Retain', parameters: { type: 'gp3' } });
    await storageClass('drop', { volumeBindingMode: 'Immediate', reclaimPolicy: 'Delete', parameters: { type: 'gp3' } });
    const kept = await claim('kept', 'keep');
    const dropped = await claim('dropped', 'drop');
    await bound('kept');
    await bound('dropped');
    assert.equal(ebs.ec2Volumes.size, 2);
    assert.deepEqual((await pvs.get(`pvc-${dropped.metadata.uid}`)).metadata.finalizers, ['kubernetes.io/pv-protection']);
    await pvcs.delete('kept');
    await pvcs.delete('dropped');
    await eventually(async () => (await pvs.get(`pvc-${dropped.metadata.uid}`).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)))) === undefined, { clock: t.clock, stepMs: 500 });
    await eventually(async () => (await pvs.get(`pvc-${kept.metadata.uid}`)).status!.phase === 'Released', { clock: t.clock, stepMs: 500 });
    await t.clock.advance(60_000);
    assert.equal((await pvs.get(`pvc-${kept.metadata.uid}`)).status!.phase, 'Released');
    assert.equal(ebs.ec2Volumes.size, 1);
  });

  test('invalid class parameters fail provisioning with the driver\'s message', async () => {
    await storageClass('bad', { volumeBindingMode: 'Immediate', parameters: { type: 'gp3', iopsPerGb: '10', color: 'blue' } });
    await claim('bad', 'bad');
    await eventually(async () => (await events()).some((e) => e.reason === 'ProvisioningFailed'), { clock: t.clock, stepMs: 100 });
    const failed = (await events()).find((e) => e.reason === 'ProvisioningFailed')!;
    assert.equal(failed.type, 'Warning');
    assert.equal(failed.message, 'failed to provision volume with StorageClass "bad": rpc error: code = InvalidArgument desc = Invalid parameter key color for CreateVolume');
    assert.equal((await pvcs.get('bad')).status!.phase, 'Pending');
  });

  test('a claim without a class binds the smallest Available volume that fits', async () => {
    for (const [name, size] of [
      ['big', '100Gi'],
      ['small', '5Gi'],
      ['fits', '20Gi'],
    ]) {
      await pvs.create({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name }, spec: { capacity: { storage: size }, accessModes: ['ReadWriteOnce'], storageClassName: '', hostPath: { path: `/data/${name}` } } });
    }
    await claim('static', '', '10Gi');
    const got = await bound('static');
    assert.equal(got.spec!.volumeName, 'fits');
    const pv = await pvs.get('fits');
    assert.equal(pv.spec!.claimRef!.name, 'static');
    assert.equal(pv.metadata.annotations!['pv.kubernetes.io/bound-by-controller'], 'yes');
    await eventually(async () => (await pvs.get('big')).status!.phase === 'Available', { clock: t.clock, stepMs: 100 });
  });
});

describe('EBS volume parameters', () => {
  const GiB = 1024 ** 3;
  const cases: { name: string; size: number; params: Record<string, string>; want?: Partial<ReturnType<typeof volumeFromParameters>>; error?: RegExp }[] = [
    { name: 'no type means gp3 with 3000 IOPS and 125 MiB/s', size: 10 * GiB, params: {}, want: { type: 'gp3', iops: 3000, throughput: 125, sizeGiB: 10 } },
    { name: 'io1 IOPS from iopsPerGB', size: 100 * GiB, params: { type: 'io1', iopsPerGB: '20' }, want: { type: 'io1', iops: 2000 } },
    { name: 'io2 IOPS are capped at 1000 per GiB', size: 10 * GiB, params: { type: 'io2', iops: '50000' }, want: { iops: 10000 } },
    { name: 'gp2 IOPS are the 3/GiB baseline', size: 1000 * GiB, params: { type: 'gp2' }, want: { iops: 3000, throughput: 0 } },
    { name: 'an unknown type is refused', size: GiB, params: { type: 'gp9' }, error: /Value \(gp9\) for parameter volumeType is invalid/ },
    { name: 'st1 below 125 GiB is refused', size: 10 * GiB, params: { type: 'st1' }, error: /Volume of 10GiB is too small; minimum is 125GiB/ },
    { name: 'iops and iopsPerGB together are refused', size: GiB, params: { iops: '3000', iopsPerGB: '3' }, error: /specify either IOPS or IOPSPerGb, not both/ },
    { name: 'an unparsable iops is refused', size: GiB, params: { iops: 'lots' }, error: /rpc error: code = InvalidArgument desc = Could not parse invalid iops: / },
  ];
  for (const c of cases) {
    test(c.name, () => {
      if (c.error) assert.throws(() => volumeFromParameters('pvc-x', c.size, c.params), c.error);
      else {
        const got = volumeFromParameters('pvc-x', c.size, c.params);
        for (const [k, v] of Object.entries(c.want!)) assert.equal(got[k as keyof typeof got], v, k);
      }
    });
  }
});
