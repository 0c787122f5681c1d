import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Event, Lease, Node, Pod } from '../../api/objects.js';
import { startTestServer, type TestServer } from '../../apiserver/testing.js';
import { SharedInformerFactory } from '../../client/informer.js';
import { RestClient, type ResourceClient } from '../../client/rest.js';
import { eventually } from '../../client/testing.js';
import { InProcessTransport } from '../../client/transport.js';
import { rfc3339, rfc3339Micro, type TimerHandle } from '../../sim/clock.js';
import type { ControllerContext } from '../context.js';
import { NodeLifecycleController } from './nodelifecycle.js';
import { TaintEvictionController } from './tainteviction.js';
import { EVENTS, LEASES, NODES, PODS } from '../../client/refs.js';

const ZONE = { 'topology.kubernetes.io/region': 'us-west-2', 'topology.kubernetes.io/zone': 'us-west-2a' };

describe('NodeLifecycleController with TaintEvictionController', () => {
  let t: TestServer;
  let client: RestClient;
  let stop: AbortController;
  let nodes: ResourceClient<Node>;
  let leases: ResourceClient<Lease>;
  let pods: ResourceClient<Pod>;
  let nlc: NodeLifecycleController;
  let tec: TaintEvictionController;
  const renewing = new Map<string, TimerHandle>();
  let logs: string[];

  beforeEach(async () => {
    t = await startTestServer();
    client = new RestClient(new InProcessTransport(t.server, { username: 'kubernetes-admin', groups: ['system:masters'] }));
    nodes = client.resource<Node>(NODES);
    leases = client.resource<Lease>(LEASES).namespace('kube-node-lease');
    pods = client.resource<Pod>(PODS).namespace('default');
    stop = new AbortController();
    logs = [];
  });
  afterEach(() => {
    for (const h of renewing.values()) t.clock.clearInterval(h);
    renewing.clear();
    stop.abort();
    t.stop();
  });

  function start(): void {
    const informers = new SharedInformerFactory({ client, clock: t.clock });
    const log = (m: string, e?: unknown) => logs.push(e === undefined ? m : `${m}: ${String(e)}`);
    const ctx: ControllerContext = { clock: t.clock, informers, clientFor: () => client, log };
    nlc = new NodeLifecycleController(ctx);
    tec = new TaintEvictionController(ctx);
    informers.start(stop.signal);
    nlc.start(stop.signal);
    tec.start(stop.signal);
  }

  // What the kubelet does: register with Ready=True, then renew its Lease every 10 s.
  async function kubeletNode(name: string, labels: Record<string, string> = ZONE): Promise<void> {
    await nodes.create({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels } });
    await postReady(name);
    await leases.create({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: 'kube-node-lease' }, spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: rfc3339Micro(t.clock.now()) } });
    resumeLease(name);
  }

  async function postReady(name: string): Promise<void> {
    const node = await nodes.get(name);
    const now = rfc3339(t.clock.now());
    const cond = (type: string, status: string, reason: string) => ({ type, status, reason, message: `kubelet ${reason}`, lastHeartbeatTime: now, lastTransitionTime: now });
    node.status = {
      ...node.status,
      conditions: [
        cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory'),
        cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure'),
        cond('PIDPressure', 'False', 'KubeletHasSufficientPID'),
        cond('Ready', 'True', 'KubeletReady'),
      ],
    };
    await nodes.updateStatus(node);
  }

  function resumeLease(name: string): void {
    renewing.set(
      name,
      t.clock.setInterval(() => {
        void leases.patch(name, 'merge', { spec: { renewTime: rfc3339Micro(t.clock.now()) } }).catch(() => {});
      }, 10_000),
    );
  }

  function stopLease(name: string): void {
    t.clock.clearInterval(renewing.get(name));
    renewing.delete(name);
  }

  async function runningPod(name: string, nodeName: string, extra: Partial<NonNullable<Pod['spec']>> = {}): Promise<Pod> {
    const pod = await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName, containers: [{ name: 'app', image: 'nginx' }], ...extra } });
    const now = rfc3339(t.clock.now());
    pod.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] };
    return pods.updateStatus(pod);
  }

  const ready = (n: Node) => n.status?.conditions?.find((c) => c.type === 'Ready');
  const noExecute = (n: Node) => (n.spec?.taints ?? []).filter((x) => x.effect === 'NoExecute').map((x) => x.key);

  async function events(): Promise<Event[]> {
    await nlc.flushEvents();
    await tec.flushEvents();
    return (await client.resource<Event>(EVENTS).list()).items;
  }

  test('a node whose lease stops renewing goes Unknown, is tainted unreachable, and its pods are deleted 300 s later, not before', async () => {
    await kubeletNode('n1');
    await kubeletNode('n2');
    await runningPod('web', 'n1');
    await runningPod('other', 'n2');
    start();
    // Healthy nodes stay healthy well past the grace period while their leases renew.
    await t.clock.advance(120_000);
    assert.equal(ready(await nodes.get('n1'))?.status, 'True');
    assert.deepEqual(noExecute(await nodes.get('n1')), []);

    const silentAt = t.clock.now();
    stopLease('n1');
    await eventually(async () => ready(await nodes.get('n1'))?.status === 'Unknown', { clock: t.clock, stepMs: 1000, describe: () => logs.join(' | ') });
    const unknownAt = t.clock.now();
    // The last renewal was at most 10 s before the lease went silent; grace is 50 s, monitoring every 5 s.
    assert.ok(unknownAt - silentAt >= 40_000 && unknownAt - silentAt <= 66_000, `went Unknown after ${unknownAt - silentAt} ms`);
    const n1 = await nodes.get('n1');
    for (const type of ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']) {
      const c = n1.status!.conditions!.find((x) => x.type === type)!;
      assert.equal(c.status, 'Unknown', type);
      assert.equal(c.reason, 'NodeStatusUnknown');
      assert.equal(c.message, 'Kubelet stopped posting node status.');
    }
    assert.equal(ready(await nodes.get('n2'))?.status, 'True');

    await eventually(async () => noExecute(await nodes.get('n1')).includes('node.kubernetes.io/unreachable'), { clock: t.clock, stepMs: 1000 });
    const taintedAt = t.clock.now();
    const taints = (await nodes.get('n1')).spec!.taints!;
    assert.ok(taints.find((x) => x.key === 'node.kubernetes.io/unreachable' && x.effect === 'NoExecute')?.timeAdded);
    assert.ok(taints.find((x) => x.key === 'node.kubernetes.io/unreachable' && x.effect === 'NoSchedule'), 'TaintNodesByCondition adds the NoSchedule twin');
    assert.deepEqual(noExecute(await nodes.get('n2')), []);

    // MarkPodsNotReady.
    const web = await pods.get('web');
    assert.equal(web.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'False');
    assert.equal((await pods.get('other')).status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True');

    // The default 300 s toleration holds the pod...
    await t.clock.advance(290_000);
    assert.equal((await pods.get('web')).metadata.deletionTimestamp, undefined);
    // ...and then it is marked and deleted.
    await eventually(async () => !!(await pods.get('web').catch(() => undefined))?.metadata.deletionTimestamp || !(await pods.get('web').catch(() => undefined)), {
      clock: t.clock,
      stepMs: 1000,
    });
    assert.ok(t.clock.now() - taintedAt >= 300_000 && t.clock.now() - taintedAt <= 312_000, `deleted ${t.clock.now() - taintedAt} ms after the taint`);
    // A bound pod's deletion is graceful: it stays, terminating, until its kubelet confirms.
    const deleted = await pods.get('web');
    const dt = deleted.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
    assert.deepEqual([dt?.status, dt?.reason, dt?.message], ['True', 'DeletionByTaintManager', 'Taint manager: deleting due to NoExecute taint']);
    assert.equal((await pods.get('other')).metadata.deletionTimestamp, undefined);

    const evs = await events();
    const find = (reason: string, msg: string) => evs.find((e) => e.reason === reason && e.message === msg);
    assert.ok(find('NodeNotReady', 'Node n1 status is now: NodeNotReady'), 'node event');
    assert.equal(find('NodeNotReady', 'Node n1 status is now: NodeNotReady')!.source?.component, 'node-controller');
    assert.ok(find('NodeNotReady', 'Node is not ready'), 'pod event');
    assert.ok(find('RegisteredNode', 'Node n1 event: Registered Node n1 in Controller'));
    const marking = find('TaintManagerEviction', 'Marking for deletion Pod default/web');
    assert.ok(marking);
    assert.equal(marking.source?.component, 'taint-eviction-controller');
  });

  test('health passes over healthy nodes write nothing: the nodes keep their resourceVersions', async () => {
    await kubeletNode('n1');
    await kubeletNode('n2');
    start();
    await t.clock.advance(20_000);
    const before = (await nodes.list()).items.map((n) => `${n.metadata.name}@${n.metadata.resourceVersion}`);
    const logged = logs.length; // the zone's first state (Initial to Normal) is logged once, as upstream
    // Twelve passes at the 5 s node monitor period, the Leases renewing all along.
    await t.clock.advance(60_000);
    await nlc.monitorOnce();
    assert.deepEqual((await nodes.list()).items.map((n) => `${n.metadata.name}@${n.metadata.resourceVersion}`), before);
    assert.deepEqual(logs.slice(logged), []);
  });

  test('taints go and the scheduled deletion is cancelled when the kubelet comes back', async () => {
    await kubeletNode('n1');
    await kubeletNode('n2');
    await runningPod('web', 'n1');
    start();
    await t.clock.advance(20_000);
    stopLease('n1');
    await eventually(async () => noExecute(await nodes.get('n1')).includes('node.kubernetes.io/unreachable'), { clock: t.clock, stepMs: 1000 });
    await eventually(() => tec.scheduled().has('default/web'), { clock: t.clock, stepMs: 100 });

    resumeLease('n1');
    await postReady('n1');
    await eventually(async () => (await nodes.get('n1')).spec?.taints?.length ? false : true, { clock: t.clock, stepMs: 1000, describe: () => logs.join(' | ') });
    await eventually(() => !tec.scheduled().has('default/web'), { clock: t.clock, stepMs: 100 });
    await t.clock.advance(400_000);
    assert.equal((await pods.get('web')).metadata.deletionTimestamp, undefined);
    assert.ok((await events()).some((e) => e.reason === 'TaintManagerEviction' && e.message === 'Cancelling deletion of Pod default/web'));
  });

  test('pods without the default tolerations are deleted as soon as the taint lands; tolerating forever keeps them', async () => {
    await kubeletNode('n1');
    await kubeletNode('n2');
    // Tolerations for everything (empty key, Exists) suppress the defaults: the pod stays.
    await runningPod('forever', 'n1', { tolerations: [{ operator: 'Exists' }] });
    // A short toleration of its own for unreachable; not-ready still gets the default.
    await runningPod('brief', 'n1', { tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 0 }] });
    const brief = await pods.get('brief');
    assert.deepEqual(
      brief.spec!.tolerations!.map((x) => [x.key, x.tolerationSeconds]),
      [
        ['node.kubernetes.io/unreachable', 0],
        ['node.kubernetes.io/not-ready', 300],
      ],
    );
    start();
    await t.clock.advance(20_000);
    stopLease('n1');
    await eventually(async () => noExecute(await nodes.get('n1')).includes('node.kubernetes.io/unreachable'), { clock: t.clock, stepMs: 1000 });
    const taintedAt = t.clock.now();
    await eventually(async () => !!(await pods.get('brief').catch(() => undefined))?.metadata.deletionTimestamp || !(await pods.get('brief').catch(() => undefined)), {
      clock: t.clock,
      stepMs: 200,
    });
    assert.ok(t.clock.now() - taintedAt < 5_000);
    await t.clock.advance(600_000);
    assert.equal((await pods.get('forever')).metadata.deletionTimestamp, undefined);
  });

  test('when every node of the cluster is down, nothing is tainted (master disruption mode)', async () => {
    await kubeletNode('only');
    await runningPod('web', 'only');
    start();
    await t.clock.advance(20_000);
    stopLease('only');
    await eventually(async () => ready(await nodes.get('only'))?.status === 'Unknown', { clock: t.clock, stepMs: 1000 });
    await t.clock.advance(400_000);
    assert.deepEqual(noExecute(await nodes.get('only')), []);
    assert.equal((await pods.get('web')).metadata.deletionTimestamp, undefined);
    assert.equal(nlc.zoneStates.get('us-west-2:\x00:us-west-2a'), 'FullDisruption');
    assert.equal(nlc.zoneTaintingQPS('us-west-2:\x00:us-west-2a'), 0);
  });

  test('cordoned and pressured nodes get the NoSchedule taints of their conditions, removed when they clear', async () => {
    await kubeletNode('n1');
    start();
    await t.clock.advance(1_000);
    await nodes.patch('n1', 'merge', { spec: { unschedulable: true } });
    const node = await nodes.get('n1');
    node.status!.conditions!.find((c) => c.type === 'MemoryPressure')!.status = 'True';
    await nodes.updateStatus(node);
    const noSchedule = async () => ((await nodes.get('n1')).spec?.taints ?? []).filter((x) => x.effect === 'NoSchedule').map((x) => x.key).sort();
    await eventually(async () => (await noSchedule()).length === 2, { clock: t.clock, stepMs: 100 });
    assert.deepEqual(await noSchedule(), ['node.kubernetes.io/memory-pressure', 'node.kubernetes.io/unschedulable']);
    await nodes.patch('n1', 'merge', { spec: { unschedulable: false } });
    await eventually(async () => (await noSchedule()).length === 1, { clock: t.clock, stepMs: 100 });
    assert.deepEqual(await noSchedule(), ['node.kubernetes.io/memory-pressure']);
  });

  test('computeZoneState follows upstream thresholds', () => {
    const ctxless = Object.create(NodeLifecycleController.prototype) as NodeLifecycleController;
    (ctxless as unknown as { options: object }).options = { unhealthyZoneThreshold: 0.55 };
    const c = (s: string) => ({ type: 'Ready', status: s });
    const cases: [string[], string][] = [
      [['True', 'True'], 'Normal'],
      [['Unknown'], 'FullDisruption'],
      [['Unknown', 'Unknown', 'True'], 'Normal'], // two not ready are never a partial disruption
      [['Unknown', 'Unknown', 'False', 'True'], 'PartialDisruption'], // 3/4 ≥ 0.55
      [['Unknown', 'Unknown', 'False', 'True', 'True', 'True'], 'Normal'], // 3/6 < 0.55
    ];
    for (const [statuses, want] of cases) assert.equal(ctxless.computeZoneState(statuses.map(c))[1], want, statuses.join(','));
  });
});
