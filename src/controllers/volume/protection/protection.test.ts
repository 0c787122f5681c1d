import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PersistentVolume, PersistentVolumeClaim, Pod } from '../../../api/objects.js';
import { startTestServer, type TestServer } from '../../../apiserver/testing.js';
import { SharedInformerFactory } from '../../../client/informer.js';
import { isNotFound, RestClient, type ResourceClient } from '../../../client/rest.js';
import { eventually } from '../../../client/testing.js';
import { InProcessTransport } from '../../../client/transport.js';
import { PODS, PVCS, PVS } from '../../../client/refs.js';
import type { ControllerContext } from '../../context.js';
import { isPodTerminated, podUsesPVC, PVCProtectionController, PVProtectionController } from './index.js';

const NODE = 'ip-10-0-1-10.us-west-2.compute.internal';

function pod(name: string, volumes: NonNullable<Pod['spec']>['volumes'], extra: { nodeName?: string; phase?: string; uid?: string } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: extra.uid ?? `uid-${name}` },
    spec: { containers: [{ name: 'c', image: 'nginx' }], volumes, ...(extra.nodeName !== undefined ? { nodeName: extra.nodeName } : {}) },
    status: extra.phase ? { phase: extra.phase } : {},
  };
}

function claimObj(name: string, ownerUid?: string): PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'default', ...(ownerUid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'owner', uid: ownerUid, controller: true }] } : {}) },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  };
}

describe('podUsesPVC', () => {
  const claim = claimObj('data');
  const cases: { name: string; pod: Pod; claim?: PersistentVolumeClaim; want: boolean }[] = [
    { name: 'a scheduled pod referencing the claim uses it', pod: pod('p', [{ name: 'v', persistentVolumeClaim: { claimName: 'data' } }], { nodeName: NODE, phase: 'Running' }), want: true },
    { name: 'a pod not yet scheduled does not (the kubelet would refuse to start it)', pod: pod('p', [{ name: 'v', persistentVolumeClaim: { claimName: 'data' } }]), want: false },
    { name: 'a scheduled pod referencing another claim does not', pod: pod('p', [{ name: 'v', persistentVolumeClaim: { claimName: 'other' } }], { nodeName: NODE }), want: false },
    // upstream's podUsesPVC looks at scheduling only: a finished pod still counts until it is deleted
    { name: 'a Succeeded pod still referencing the claim uses it', pod: pod('p', [{ name: 'v', persistentVolumeClaim: { claimName: 'data' } }], { nodeName: NODE, phase: 'Succeeded' }), want: true },
    {
      name: 'an ephemeral volume uses the claim "<pod>-<volume>" the pod controls',
      pod: pod('web', [{ name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'] } } } }], { nodeName: NODE, uid: 'u1' }),
      claim: claimObj('web-scratch', 'u1'),
      want: true,
    },
    {
      name: 'an ephemeral volume does not use a same-named claim another pod controls',
      pod: pod('web', [{ name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'] } } } }], { nodeName: NODE, uid: 'u1' }),
      claim: claimObj('web-scratch', 'u2'),
      want: false,
    },
  ];
  for (const c of cases) test(c.name, () => assert.equal(podUsesPVC(c.pod, c.claim ?? claim), c.want));

  test('a force-deleted pod no longer holds its ephemeral claim', () => {
    const p = pod('web', [{ name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'] } } } }], { nodeName: NODE, uid: 'u1' });
    p.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
    p.metadata.deletionGracePeriodSeconds = 0;
    assert.equal(podUsesPVC(p, claimObj('web-scratch', 'u1')), false);
  });

  test('isPodTerminated: finished, or being deleted with nothing running', () => {
    assert.equal(isPodTerminated(pod('p', [], { phase: 'Succeeded' })), true);
    assert.equal(isPodTerminated(pod('p', [], { phase: 'Failed' })), true);
    assert.equal(isPodTerminated(pod('p', [], { phase: 'Running' })), false);
    const deleting = pod('p', [], { phase: 'Running' });
    deleting.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
    deleting.status!.containerStatuses = [{ name: 'c', image: 'nginx', imageID: '', ready: false, restartCount: 0, state: { running: { startedAt: '2026-01-01T00:00:00Z' } } }];
    assert.equal(isPodTerminated(deleting), false);
    deleting.status!.containerStatuses[0]!.state = { terminated: { exitCode: 0 } };
    assert.equal(isPodTerminated(deleting), true);
  });
});

describe('PVC and PV protection controllers', () => {
  let t: TestServer;
  let client: RestClient;
  let stop: AbortController;
  let pvcs: ResourceClient<PersistentVolumeClaim>;
  let pvs: ResourceClient<PersistentVolume>;
  let pods: ResourceClient<Pod>;
  let pvcController: PVCProtectionController;
  let pvController: PVProtectionController;

  beforeEach(async () => {
    t = await startTestServer();
    client = new RestClient(new InProcessTransport(t.server, { username: 'kubernetes-admin', groups: ['system:masters'] }));
    pvcs = client.resource<PersistentVolumeClaim>(PVCS).namespace('default');
    pvs = client.resource<PersistentVolume>(PVS);
    pods = client.resource<Pod>(PODS).namespace('default');
    stop = new AbortController();
    const informers = new SharedInformerFactory({ client, clock: t.clock });
    const ctx: ControllerContext = { clock: t.clock, informers, clientFor: () => client, log: () => {} };
    pvcController = new PVCProtectionController(ctx);
    pvController = new PVProtectionController(ctx);
    informers.start(stop.signal);
    pvcController.start(stop.signal);
    pvController.start(stop.signal);
  });
  afterEach(() => {
    stop.abort();
    t.stop();
  });

  async function gone(get: () => Promise<unknown>): Promise<void> {
    await eventually(
      async () => {
        try {
          await get();
          return false;
        } catch (e) {
          if (isNotFound(e)) return true;
          throw e;
        }
      },
      { clock: t.clock, stepMs: 100 },
    );
  }

  async function settle(): Promise<void> {
    for (let i = 0; i < 5; i++) {
      await t.clock.advance(100);
      await Promise.all([pvcController.whenIdle(), pvController.whenIdle()]);
    }
  }

  async function runningPod(name: string, claimName: string): Promise<Pod> {
    const p = pod(name, [{ name: 'data', persistentVolumeClaim: { claimName } }], { nodeName: NODE });
    delete p.metadata.uid;
    delete p.status;
    const created = await pods.create(p);
    created.status = { phase: 'Running' };
    return pods.updateStatus(created);
  }

  test('an unused claim goes at once', async () => {
    await pvcs.create(claimObj('data'));
    await pvcs.delete('data');
    await gone(() => pvcs.get('data'));
  });

  test('a claim used by a running pod stays Terminating with its finalizer until the pod is deleted', async () => {
    await pvcs.create(claimObj('data'));
    await runningPod('web', 'data');
    await settle();
    await pvcs.delete('data');
    await settle();
    const terminating = await pvcs.get('data');
    assert.ok(terminating.metadata.deletionTimestamp, 'the claim is Terminating');
    assert.deepEqual(terminating.metadata.finalizers, ['kubernetes.io/pvc-protection']);
    await pods.delete('web', { gracePeriodSeconds: 0 });
    await gone(() => pvcs.get('data'));
  });

  test('a claim used by a pod that finished goes once the pod is deleted, not before', async () => {
    await pvcs.create(claimObj('data'));
    const p = await runningPod('job', 'data');
    p.status = { phase: 'Succeeded' };
    await pods.updateStatus(p);
    await pvcs.delete('data');
    await settle();
    assert.ok((await pvcs.get('data')).metadata.deletionTimestamp);
    await pods.delete('job', { gracePeriodSeconds: 0 });
    await gone(() => pvcs.get('data'));
  });

  test('a claim referenced only by a pod not yet scheduled goes at once', async () => {
    await pvcs.create(claimObj('data'));
    await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pending', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }], volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] } });
    await pvcs.delete('data');
    await gone(() => pvcs.get('data'));
    assert.ok(await pods.get('pending'));
  });

  test('a claim without the finalizer gets it back', async () => {
    const c = await pvcs.create(claimObj('data'));
    c.metadata.finalizers = [];
    await pvcs.update(c);
    await eventually(async () => (await pvcs.get('data')).metadata.finalizers?.includes('kubernetes.io/pvc-protection') === true, { clock: t.clock, stepMs: 100 });
  });

  test('a Bound volume being deleted stays until it is released', async () => {
    const v = await pvs.create({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'pv-1' },
      spec: { accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' }, persistentVolumeReclaimPolicy: 'Retain', csi: { driver: 'ebs.csi.aws.com', volumeHandle: 'vol-0123456789abcdef0' } },
    });
    v.status = { phase: 'Bound' };
    const bound = await pvs.updateStatus(v);
    await pvs.delete('pv-1');
    await settle();
    const terminating = await pvs.get('pv-1');
    assert.ok(terminating.metadata.deletionTimestamp, 'the volume is Terminating');
    assert.deepEqual(terminating.metadata.finalizers, ['kubernetes.io/pv-protection']);
    terminating.status = { ...bound.status, phase: 'Released' };
    await pvs.updateStatus(terminating);
    await gone(() => pvs.get('pv-1'));
  });

  test('an Available volume being deleted goes at once', async () => {
    await pvs.create({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'pv-2' },
      spec: { accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' }, csi: { driver: 'ebs.csi.aws.com', volumeHandle: 'vol-0123456789abcdef1' } },
    });
    await pvs.delete('pv-2');
    await gone(() => pvs.get('pv-2'));
  });
});
