import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setMaxListeners } from 'node:events';
import type { Event, PersistentVolumeClaim, Pod } from '../api/objects.js';
import type { KubeObject } from '../api/types.js';
import { startTestServer, type TestServer } from '../apiserver/testing.js';
import { SharedInformerFactory } from '../client/informer.js';
import { RestClient, type ResourceClient } from '../client/rest.js';
import { eventually } from '../client/testing.js';
import { InProcessTransport } from '../client/transport.js';
import { Scheduler } from './scheduler.js';
import { makeNode, makePod, type NodeOptions, type PodOptions } from './testing.js';
import { EVENTS, NODES, PODS, PVCS, PVS, REPLICASETS, STORAGE_CLASSES } from '../client/refs.js';

const ADMIN = { username: 'kubernetes-admin', groups: ['system:masters'] };
const SCHEDULER_USER = { username: 'system:kube-scheduler', groups: ['system:masters', 'system:authenticated'] };

describe('Scheduler', () => {
  let t: TestServer;
  let client: RestClient;
  let pods: ResourceClient<Pod>;
  let stop: AbortController;
  let sched: Scheduler;
  let logs: string[];

  beforeEach(async () => {
    t = await startTestServer();
    client = new RestClient(new InProcessTransport(t.server, ADMIN));
    pods = client.resource<Pod>(PODS).namespace('default');
    stop = new AbortController();
    setMaxListeners(100, stop.signal);
    logs = [];
  });
  afterEach(() => {
    stop.abort();
    t.stop();
  });

  function startScheduler(): void {
    const sc = new RestClient(new InProcessTransport(t.server, SCHEDULER_USER));
    const log = (m: string, e?: unknown) => logs.push(e === undefined ? m : `${m}: ${String(e)}`);
    sched = new Scheduler({ client: sc, informers: new SharedInformerFactory({ client: sc, clock: t.clock, log }), clock: t.clock, log });
    sched.start(stop.signal);
  }

  const addNode = (name: string, o?: NodeOptions) => client.resource(NODES).create(makeNode(name, o));
  const addPod = (name: string, o?: PodOptions) => pods.create(makePod(name, o));

  async function scheduled(name: string): Promise<string> {
    let node = '';
    await eventually(
      async () => {
        node = (await pods.get(name)).spec?.nodeName ?? '';
        return node !== '';
      },
      { clock: t.clock, stepMs: 100, describe: () => `pod ${name} not bound; logs: ${logs.join('\n')}` },
    );
    return node;
  }

  async function unschedulable(name: string, unlike = ''): Promise<string> {
    let msg = '';
    await eventually(
      async () => {
        const c = (await pods.get(name)).status?.conditions?.find((x) => x.type === 'PodScheduled');
        msg = c?.status === 'False' && c.reason === 'Unschedulable' ? (c.message ?? '') : '';
        return msg !== '' && msg !== unlike;
      },
      { clock: t.clock, stepMs: 100, describe: () => `pod ${name} never marked Unschedulable; logs: ${logs.join('\n')}` },
    );
    return msg;
  }

  async function events(name: string): Promise<Event[]> {
    await sched.recorder.flush();
    const list = await client.resource<Event>(EVENTS).namespace('default').list();
    return list.items.filter((e) => e.involvedObject.name === name);
  }

  test('binds a pod and records the Scheduled event as default-scheduler', async () => {
    await addNode('n1');
    const p = await addPod('web', { cpu: '100m' });
    startScheduler();
    assert.equal(await scheduled('web'), 'n1');
    await sched.whenIdle();
    const ev = (await events('web')).find((e) => e.reason === 'Scheduled');
    assert.equal(ev?.message, 'Successfully assigned default/web to n1');
    assert.equal(ev?.source?.component, 'default-scheduler');
    assert.equal(ev?.type, 'Normal');
    assert.equal(ev?.involvedObject.uid, p.metadata.uid);
  });

  test('leaves pods for other schedulers and pods already bound alone', async () => {
    await addNode('n1');
    await addPod('other', { spec: { schedulerName: 'my-scheduler' } });
    startScheduler();
    await addPod('mine');
    assert.equal(await scheduled('mine'), 'n1');
    await sched.whenIdle();
    assert.equal((await pods.get('other')).spec?.nodeName, undefined);
  });

  // Upstream nests the preemption FitError's message (ending in ".") inside the outer one, which
  // appends another ".": real clusters show "..".
  const NOT_HELPFUL = (n: number) => `preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling..`;
  const NO_VICTIMS = (n: number) => `preemption: 0/${n} nodes are available: ${n} No preemption victims found for incoming pod..`;

  const filterCases: { name: string; setup: () => Promise<void>; pod: PodOptions; want: string }[] = [
    {
      name: 'NodeResourcesFit: Insufficient cpu on a node that has room without its pods',
      setup: async () => {
        await addNode('n1', { cpu: '2' });
        await addPod('big', { cpu: '1500m', nodeName: 'n1' });
      },
      pod: { cpu: '1' },
      want: `0/1 nodes are available: 1 Insufficient cpu. ${NO_VICTIMS(1)}`,
    },
    {
      name: 'NodeResourcesFit: a request larger than allocatable is unresolvable',
      setup: async () => void (await addNode('n1', { cpu: '1', memory: '1Gi' })),
      pod: { cpu: '2', memory: '2Gi' },
      want: `0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. ${NOT_HELPFUL(1)}`,
    },
    {
      name: 'NodeResourcesFit: Too many pods',
      setup: async () => {
        await addNode('n1', { pods: '1' });
        await addPod('first', { nodeName: 'n1' });
      },
      pod: {},
      want: `0/1 nodes are available: 1 Too many pods. ${NO_VICTIMS(1)}`,
    },
    {
      name: 'NodeResourcesFit: extended resources',
      setup: async () => void (await addNode('n1', { extra: { 'nvidia.com/gpu': '1' } })),
      pod: { spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { 'nvidia.com/gpu': '2' }, limits: { 'nvidia.com/gpu': '2' } } }] } },
      want: `0/1 nodes are available: 1 Insufficient nvidia.com/gpu. ${NOT_HELPFUL(1)}`,
    },
    {
      name: 'NodeUnschedulable: cordoned nodes',
      setup: async () => void (await addNode('n1', { unschedulable: true })),
      pod: {},
      want: `0/1 nodes are available: 1 node(s) were unschedulable. ${NOT_HELPFUL(1)}`,
    },
    {
      name: 'TaintToleration: untolerated NoSchedule taint, named with its value',
      setup: async () => void (await addNode('n1', { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }] })),
      pod: {},
      want: `0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }. ${NOT_HELPFUL(1)}`,
    },
    {
      name: 'NodeAffinity: nodeSelector mismatch',
      setup: async () => void (await addNode('n1', { labels: { disk: 'hdd' } })),
      pod: { spec: { nodeSelector: { disk: 'ssd' } } },
      want: `0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. ${NOT_HELPFUL(1)}`,
    },
    {
      name: 'NodeAffinity: matchFields metadata.name narrows the nodes in PreFilter',
      setup: async () => {
        await addNode('n1', { taints: [{ key: 'a', value: 'b', effect: 'NoSchedule' }] });
        await addNode('n2');
      },
      pod: { spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }] } } } } },
      want: `0/2 nodes are available: 1 node(s) didn't satisfy plugin(s) [NodeAffinity], 1 node(s) had untolerated taint {a: b}. ${NOT_HELPFUL(2)}`,
    },
    {
      name: 'NodeAffinity: terms whose metadata.name requirements intersect to nothing conflict in PreFilter',
      setup: async () => {
        await addNode('n1');
        await addNode('n2');
      },
      pod: {
        spec: {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }, { key: 'metadata.name', operator: 'In', values: ['n2'] }] }],
              },
            },
          },
        },
      },
      want: `0/2 nodes are available: pod affinity terms conflict. ${NOT_HELPFUL(2)}`,
    },
    {
      name: 'NodePorts: host port in use',
      setup: async () => {
        await addNode('n1');
        await addPod('holder', { nodeName: 'n1', spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80, hostPort: 8080 }] }] } });
      },
      pod: { spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80, hostPort: 8080 }] }] } },
      want: `0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports. ${NO_VICTIMS(1)}`,
    },
    {
      name: 'PodTopologySpread: skew beyond maxSkew',
      setup: async () => {
        await addNode('a1', { zone: 'a' });
        await addNode('b1', { zone: 'b', cpu: '100m' });
        await addPod('w0', { labels: { app: 'w' }, nodeName: 'a1' });
      },
      pod: { cpu: '500m', labels: { app: 'w' }, spec: { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'w' } } }] } },
      // a1 is only over the skew (Unschedulable: preemption tries it, nothing has lower priority);
      // b1 could never hold 500m.
      want: "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match pod topology spread constraints. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling..",
    },
    {
      name: 'PodTopologySpread: node without the topology label',
      setup: async () => void (await addNode('n1')),
      pod: { labels: { app: 'w' }, spec: { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'w' } } }] } },
      want: `0/1 nodes are available: 1 node(s) didn't match pod topology spread constraints (missing required label). ${NOT_HELPFUL(1)}`,
    },
    {
      name: 'InterPodAffinity: required affinity to pods that run nowhere',
      setup: async () => void (await addNode('n1')),
      pod: { labels: { app: 'web' }, spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'db' } } }] } } } },
      want: `0/1 nodes are available: 1 node(s) didn't match pod affinity rules. ${NOT_HELPFUL(1)}`,
    },
    {
      name: 'InterPodAffinity: required anti-affinity to a pod on the node',
      setup: async () => {
        await addNode('n1');
        await addPod('db', { labels: { app: 'db' }, nodeName: 'n1' });
      },
      pod: { spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'db' } } }] } } } },
      want: `0/1 nodes are available: 1 node(s) didn't match pod anti-affinity rules. ${NO_VICTIMS(1)}`,
    },
    {
      name: "InterPodAffinity: an existing pod's anti-affinity",
      setup: async () => {
        await addNode('n1');
        await addPod('loner', { nodeName: 'n1', spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } }] } } } });
      },
      pod: { labels: { app: 'web' } },
      want: `0/1 nodes are available: 1 node(s) didn't satisfy existing pods anti-affinity rules. ${NO_VICTIMS(1)}`,
    },
    {
      name: 'VolumeBinding: a missing claim',
      setup: async () => void (await addNode('n1')),
      pod: { spec: { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] } },
      want: `0/1 nodes are available: persistentvolumeclaim "data" not found. ${NOT_HELPFUL(1)}`,
    },
    {
      name: 'VolumeBinding: an unbound Immediate claim',
      setup: async () => {
        await addNode('n1');
        await client.resource(STORAGE_CLASSES).create({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'now' }, provisioner: 'ebs.csi.aws.com', volumeBindingMode: 'Immediate' } as KubeObject);
        await client.resource(PVCS).namespace('default').create(pvc('data', 'now'));
      },
      pod: { spec: { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] } },
      want: `0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. ${NOT_HELPFUL(1)}`,
    },
    {
      name: "VolumeBinding and VolumeZone: a bound PV's node affinity and zone",
      setup: async () => {
        await addNode('a1', { zone: 'a' });
        await addNode('b1', { zone: 'b', labels: { 'topology.ebs.csi.aws.com/zone': 'b' } });
        await client.resource(PVS).create({
          apiVersion: 'v1',
          kind: 'PersistentVolume',
          metadata: { name: 'pv-a', labels: { 'topology.kubernetes.io/zone': 'a' } },
          spec: {
            capacity: { storage: '1Gi' },
            accessModes: ['ReadWriteOnce'],
            csi: { driver: 'ebs.csi.aws.com', volumeHandle: 'vol-1' },
            nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.ebs.csi.aws.com/zone', operator: 'In', values: ['a'] }] }] } },
          },
        } as KubeObject);
        await client.resource(PVCS).namespace('default').create({ ...pvc('data', ''), spec: { ...pvc('data', '').spec, volumeName: 'pv-a' } } as KubeObject);
      },
      pod: { spec: { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] } },
      want: `0/2 nodes are available: 2 node(s) had volume node affinity conflict. ${NOT_HELPFUL(2)}`,
    },
    {
      name: 'DefaultPreemption: preemptionPolicy Never',
      setup: async () => {
        await addNode('n1', { cpu: '1' });
        await addPod('low', { cpu: '800m', nodeName: 'n1', priority: 0 });
      },
      pod: { cpu: '500m', priority: 100, spec: { preemptionPolicy: 'Never' } },
      want: '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never..',
    },
  ];

  for (const c of filterCases) {
    test(`reports ${c.name}`, async () => {
      await c.setup();
      startScheduler();
      await addPod('p', c.pod);
      assert.equal(await unschedulable('p'), c.want);
      const ev = (await events('p')).find((e) => e.reason === 'FailedScheduling');
      assert.equal(ev?.message, c.want);
      assert.equal(ev?.type, 'Warning');
    });
  }

  test('builds the FailedScheduling message from mixed reasons, sorted with counts', async () => {
    for (let i = 1; i <= 3; i++) await addNode(`small-${i}`, { cpu: '1' });
    for (let i = 1; i <= 3; i++) await addNode(`db-${i}`, { cpu: '8', taints: [{ key: 'dedicated', value: 'database', effect: 'NoSchedule' }] });
    for (let i = 1; i <= 3; i++) await addPod(`filler-${i}`, { cpu: '500m', nodeName: `small-${i}` });
    startScheduler();
    await addPod('big', { cpu: '2' });
    const msg = await unschedulable('big');
    assert.equal(msg.split('. preemption: ')[0], '0/6 nodes are available: 3 Insufficient cpu, 3 node(s) had untolerated taint {dedicated: database}');
    // 2 cpu exceed the small nodes' allocatable: preemption cannot help anywhere.
    assert.equal(msg, `0/6 nodes are available: 3 Insufficient cpu, 3 node(s) had untolerated taint {dedicated: database}. ${NOT_HELPFUL(6)}`);
  });

  test('mixed reasons where preemption finds no victims on some nodes', async () => {
    for (let i = 1; i <= 3; i++) await addNode(`small-${i}`, { cpu: '1' });
    for (let i = 1; i <= 3; i++) await addNode(`db-${i}`, { cpu: '8', taints: [{ key: 'dedicated', value: 'database', effect: 'NoSchedule' }] });
    for (let i = 1; i <= 3; i++) await addPod(`filler-${i}`, { cpu: '600m', nodeName: `small-${i}`, priority: 10 });
    startScheduler();
    await addPod('mid', { cpu: '600m', priority: 10 });
    assert.equal(
      await unschedulable('mid'),
      '0/6 nodes are available: 3 Insufficient cpu, 3 node(s) had untolerated taint {dedicated: database}. preemption: 0/6 nodes are available: 3 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling..',
    );
  });

  test('spreads 3 replicas of a ReplicaSet over 3 zones', async () => {
    for (const z of ['a', 'b', 'c']) for (const i of [1, 2]) await addNode(`${z}${i}`, { zone: `us-east-1${z}` });
    const rs = await client.resource(REPLICASETS).namespace('default').create({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web-abc' },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    } as KubeObject);
    startScheduler();
    const owner = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: rs.metadata.uid!, controller: true }];
    for (let i = 0; i < 3; i++) await addPod(`web-${i}`, { labels: { app: 'web' }, cpu: '100m', ownerReferences: owner });
    const zones = new Set<string>();
    for (let i = 0; i < 3; i++) zones.add((await scheduled(`web-${i}`))[0]!);
    assert.deepEqual([...zones].sort(), ['a', 'b', 'c']);
  });

  test('preempts a lower-priority pod and nominates the node', async () => {
    await addNode('n1', { cpu: '1' });
    const victim = await addPod('low', { cpu: '800m', nodeName: 'n1', priority: 0 });
    startScheduler();
    const preemptor = await addPod('high', { cpu: '500m', priority: 1000 });
    // The victim is marked and deleted gracefully; play the kubelet and finish the deletion.
    await eventually(async () => !!(await pods.get('low')).metadata.deletionTimestamp, { clock: t.clock, stepMs: 100 });
    const marked = await pods.get('low');
    const dt = marked.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
    assert.equal(dt?.status, 'True');
    assert.equal(dt?.reason, 'PreemptionByScheduler');
    assert.equal(dt?.message, 'default-scheduler: preempting to accommodate a higher priority pod');
    assert.equal((await pods.get('high')).status?.nominatedNodeName, 'n1');
    const ev = (await events('low')).find((e) => e.reason === 'Preempted');
    assert.equal(ev?.message, `Preempted by pod ${preemptor.metadata.uid} on node n1`);
    assert.equal(ev?.involvedObject.uid, victim.metadata.uid);
    await pods.delete('low', { gracePeriodSeconds: 0 });
    assert.equal(await scheduled('high'), 'n1');
  });

  test('WaitForFirstConsumer: selects the node on the claim, waits for the binder, then binds', async () => {
    await addNode('a1', { zone: 'us-east-1a' });
    await addNode('b1', { zone: 'us-east-1b' });
    await client.resource(STORAGE_CLASSES).create({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'gp3' },
      provisioner: 'ebs.csi.aws.com',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowedTopologies: [{ matchLabelExpressions: [{ key: 'topology.kubernetes.io/zone', values: ['us-east-1b'] }] }],
    } as KubeObject);
    const claims = client.resource<PersistentVolumeClaim>(PVCS).namespace('default');
    await claims.create(pvc('data', 'gp3'));
    startScheduler();
    await addPod('db', { spec: { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] } });
    let selected = '';
    await eventually(
      async () => {
        selected = (await claims.get('data')).metadata.annotations?.['volume.kubernetes.io/selected-node'] ?? '';
        return selected !== '';
      },
      { clock: t.clock, stepMs: 200 },
    );
    assert.equal(selected, 'b1', 'allowedTopologies leave only zone b');
    // Not bound while the claim is pending.
    await t.clock.advance(3000);
    assert.equal((await pods.get('db')).spec?.nodeName, undefined);
    // Play the PV binder: provision in the node's zone and bind the claim.
    await client.resource(PVS).create({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pvc-1' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], storageClassName: 'gp3', csi: { driver: 'ebs.csi.aws.com', volumeHandle: 'vol-1' } } } as KubeObject);
    const cur = await claims.get('data');
    await claims.update({ ...cur, metadata: { ...cur.metadata, annotations: { ...cur.metadata.annotations, 'pv.kubernetes.io/bind-completed': 'yes' } }, spec: { ...cur.spec, volumeName: 'pvc-1' } });
    const st = await claims.get('data');
    await claims.updateStatus({ ...st, status: { phase: 'Bound' } });
    assert.equal(await scheduled('db'), 'b1');
  });

  test('WaitForFirstConsumer: gives up after 600 s without a binder', async () => {
    await addNode('a1', { zone: 'us-east-1a' });
    await client.resource(STORAGE_CLASSES).create({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'gp3' }, provisioner: 'ebs.csi.aws.com', volumeBindingMode: 'WaitForFirstConsumer' } as KubeObject);
    await client.resource(PVCS).namespace('default').create(pvc('data', 'gp3'));
    startScheduler();
    await addPod('db', { spec: { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] } });
    let msg = '';
    await eventually(
      async () => {
        const c = (await pods.get('db')).status?.conditions?.find((x) => x.type === 'PodScheduled');
        msg = c?.reason === 'SchedulerError' ? (c.message ?? '') : '';
        return msg !== '';
      },
      { clock: t.clock, stepMs: 5000, maxRounds: 200 },
    );
    assert.equal(msg, 'running PreBind plugin "VolumeBinding": binding volumes: context deadline exceeded');
  });

  test('a pod becomes schedulable when a node is added', async () => {
    startScheduler();
    await addPod('waiting', { cpu: '1' });
    let msg = '';
    await eventually(
      async () => {
        const c = (await pods.get('waiting')).status?.conditions?.find((x) => x.type === 'PodScheduled');
        msg = c?.message ?? '';
        return msg !== '';
      },
      { clock: t.clock, stepMs: 100 },
    );
    assert.equal(msg, 'no nodes available to schedule pods');
    await addNode('small', { cpu: '500m' });
    assert.equal(await unschedulable('waiting', msg), `0/1 nodes are available: 1 Insufficient cpu. ${NOT_HELPFUL(1)}`);
    assert.equal(sched.queue.whereIs('default/waiting'), 'unschedulable');
    await addNode('big', { cpu: '4' });
    assert.equal(await scheduled('waiting'), 'big');
  });

  test('a pod bound elsewhere frees nothing, a deleted pod frees room for a parked pod', async () => {
    await addNode('n1', { cpu: '1' });
    await addPod('hog', { cpu: '900m', nodeName: 'n1' });
    startScheduler();
    await addPod('next', { cpu: '500m' });
    await unschedulable('next');
    await pods.delete('hog', { gracePeriodSeconds: 0 });
    assert.equal(await scheduled('next'), 'n1');
  });

  test('counts assumed pods: two pods that fit one node only together do not both land there', async () => {
    await addNode('n1', { cpu: '1' });
    await addNode('n2', { cpu: '1' });
    startScheduler();
    await addPod('x', { cpu: '700m' });
    await addPod('y', { cpu: '700m' });
    const a = await scheduled('x');
    const b = await scheduled('y');
    assert.notEqual(a, b);
  });
});

function pvc(name: string, storageClassName: string): PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'default' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName },
  } as PersistentVolumeClaim;
}
