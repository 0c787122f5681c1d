import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Lease, Node } from '../api/objects.js';
import { nodeStatusPatch, onGrid } from './node.js';
import { nodeSpec, startKubelets, type KubeletHarness } from './kubelet.testutil.js';
import { LEASES } from '../client/refs.js';

const NAME = 'ip-192-168-1-10.ec2.internal';

describe('simulated kubelet: node registration and heartbeats', () => {
  let h: KubeletHarness;
  beforeEach(async () => {
    h = await startKubelets([nodeSpec(NAME)]);
  });
  afterEach(() => h.stop());

  const lease = () => h.client.resource<Lease>(LEASES).namespace('kube-node-lease').get(NAME);

  test('a node registers Ready with the kubelet labels, addresses, capacity and nodeInfo', async () => {
    await h.advance(1000);
    const node: Node = await h.nodes.get(NAME);
    const l = node.metadata.labels!;
    assert.equal(l['kubernetes.io/hostname'], NAME);
    assert.equal(l['kubernetes.io/os'], 'linux');
    assert.equal(l['kubernetes.io/arch'], 'amd64');
    assert.equal(l['beta.kubernetes.io/os'], 'linux');
    assert.equal(l['beta.kubernetes.io/arch'], 'amd64');
    assert.equal(l['topology.kubernetes.io/zone'], 'us-east-1a');
    assert.equal(l['topology.kubernetes.io/region'], 'us-east-1');
    assert.equal(l['failure-domain.beta.kubernetes.io/zone'], 'us-east-1a');
    assert.equal(l['node.kubernetes.io/instance-type'], 'm5.large');
    assert.equal(l['beta.kubernetes.io/instance-type'], 'm5.large');
    assert.equal(node.spec?.providerID, 'aws:///us-east-1a/i-0123456789abcdef0');
    const st = node.status!;
    assert.equal(st.capacity?.cpu, '2');
    assert.equal(st.allocatable?.cpu, '1930m');
    assert.equal(st.allocatable?.pods, '29');
    assert.deepEqual(
      st.addresses?.map((a) => `${a.type}=${a.address}`),
      ['InternalIP=192.168.1.10', `InternalDNS=${NAME}`, `Hostname=${NAME}`],
    );
    assert.equal(st.daemonEndpoints?.kubeletEndpoint?.Port, 10250);
    assert.match(st.nodeInfo!.kubeletVersion, /^v1\.32\.\d+-eks-[0-9a-f]{7}$/);
    assert.match(st.nodeInfo!.containerRuntimeVersion, /^containerd:\/\/1\.7\./);
    assert.match(st.nodeInfo!.osImage, /^Amazon Linux 2023/);
    assert.equal(st.nodeInfo!.operatingSystem, 'linux');
    assert.equal(st.nodeInfo!.architecture, 'amd64');
    const cond = Object.fromEntries(st.conditions!.map((c) => [c.type, `${c.status} ${c.reason}: ${c.message}`]));
    assert.deepEqual(cond, {
      MemoryPressure: 'False KubeletHasSufficientMemory: kubelet has sufficient memory available',
      DiskPressure: 'False KubeletHasNoDiskPressure: kubelet has no disk pressure',
      PIDPressure: 'False KubeletHasSufficientPID: kubelet has sufficient PID available',
      Ready: 'True KubeletReady: kubelet is posting ready status',
    });
    const events = (await h.events(NAME)).map((e) => `${e.reason}: ${e.message}`);
    for (const e of [
      'Starting: Starting kubelet.',
      `NodeHasSufficientMemory: Node ${NAME} status is now: NodeHasSufficientMemory`,
      `NodeHasNoDiskPressure: Node ${NAME} status is now: NodeHasNoDiskPressure`,
      `NodeHasSufficientPID: Node ${NAME} status is now: NodeHasSufficientPID`,
      'NodeAllocatableEnforced: Updated Node Allocatable limit across pods',
      `NodeReady: Node ${NAME} status is now: NodeReady`,
    ]) assert.ok(events.includes(e), `missing event ${e} in ${events.join(' | ')}`);
  });

  test('the lease in kube-node-lease is held by the node and renewed every 10 s, on the grid all nodes share', async () => {
    await h.advance(2000);
    const first = await lease();
    assert.equal(first.spec?.holderIdentity, NAME);
    assert.equal(first.spec?.leaseDurationSeconds, 40);
    assert.equal(first.metadata.ownerReferences?.[0]?.kind, 'Node');
    const t0 = Date.parse(first.spec!.renewTime!);
    await h.advance(15_000);
    const t1 = Date.parse((await lease()).spec!.renewTime!);
    // The second renewal moves onto the 10 s grid, at least 5 s and under 15 s after the first.
    assert.equal(t1 % 10_000, 0, `renewal at ${t1} is on the 10 s grid`);
    assert.ok(t1 - t0 >= 5_000 && t1 - t0 < 15_000, `renewed after ${t1 - t0} ms`);
    await h.advance(10_000);
    assert.equal(Date.parse((await lease()).spec!.renewTime!) - t1, 10_000, 'then every 10 s exactly');
  });

  test('pauseHeartbeats stops lease renewal and status reports; resume brings them back', async () => {
    await h.advance(2000);
    h.pool.pauseHeartbeats(NAME);
    const before = (await lease()).spec!.renewTime;
    const hb = (await h.nodes.get(NAME)).status!.conditions!.find((c) => c.type === 'Ready')!.lastHeartbeatTime;
    await h.advance(6 * 60_000);
    assert.equal((await lease()).spec!.renewTime, before);
    assert.equal((await h.nodes.get(NAME)).status!.conditions!.find((c) => c.type === 'Ready')!.lastHeartbeatTime, hb);
    // The node lifecycle controller's verdict, which the kubelet overrides once it is back.
    await h.nodes.patch(NAME, 'strategic', { status: { conditions: [{ type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' }] } }, { subresource: 'status' });
    h.pool.resumeHeartbeats(NAME);
    await h.advance(1000);
    assert.notEqual((await lease()).spec!.renewTime, before);
    const ready = (await h.nodes.get(NAME)).status!.conditions!.find((c) => c.type === 'Ready')!;
    assert.equal(ready.status, 'True');
    assert.equal(ready.reason, 'KubeletReady');
  });

  test('node status is re-posted only when it changes, else every 5 minutes', async () => {
    await h.advance(2000);
    const hb = () => h.nodes.get(NAME).then((n) => n.status!.conditions!.find((c) => c.type === 'Ready')!.lastHeartbeatTime!);
    const first = await hb();
    await h.advance(60_000);
    assert.equal(await hb(), first);
    const images = (await h.nodes.get(NAME)).status!.images;
    await h.advance(4 * 60_000 + 15_000);
    assert.notEqual(await hb(), first);
    // The report patches the heartbeat times only; what it leaves out stays.
    assert.deepEqual((await h.nodes.get(NAME)).status!.images, images);
  });
});

describe('simulated kubelet: a node that starts NotReady', () => {
  test('registers KubeletNotReady and turns Ready after readyAfterSeconds', async () => {
    const h = await startKubelets([nodeSpec(NAME, { readyAfterSeconds: 20 })]);
    try {
      await h.advance(1000);
      const ready = () => h.nodes.get(NAME).then((n) => n.status!.conditions!.find((c) => c.type === 'Ready')!);
      assert.equal((await ready()).status, 'False');
      assert.equal((await ready()).reason, 'KubeletNotReady');
      await h.advance(20_000);
      assert.equal((await ready()).status, 'True');
    } finally {
      h.stop();
    }
  });
});

describe('onGrid: heartbeat instants shared by every node', () => {
  for (const [name, ms, period, want] of [
    ['a time on the grid moves one whole period', 20_000, 10_000, 30_000],
    ['a time just past the grid goes to the next point', 20_001, 10_000, 30_000],
    ['a time just before the midpoint stays within the period', 24_999, 10_000, 30_000],
    ['a time at the midpoint takes the point half a period away', 25_000, 10_000, 30_000],
    ['a time past the midpoint skips to the point after', 25_001, 10_000, 40_000],
    ['a time past the midpoint is never due sooner than half a period', 29_999, 10_000, 40_000],
  ] as const) {
    test(name, () => assert.equal(onGrid(ms, period), want));
  }
});

describe('nodeStatusPatch: the heartbeat body is the two-way strategic merge patch, as PatchNodeStatus sends', () => {
  const cond = (type: string, hb: string) => ({ type, status: 'False', reason: 'R', message: 'm', lastHeartbeatTime: hb, lastTransitionTime: 't0' });
  const addr = (address: string) => [{ type: 'InternalIP', address }, { type: 'Hostname', address: 'n' }];
  const node = (hb: string, ip = '10.0.0.1'): Node => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'n' },
    spec: { providerID: 'aws:///z/i-1' },
    status: { addresses: addr(ip), conditions: [cond('MemoryPressure', hb), cond('Ready', hb)], images: [{ names: ['busybox'], sizeBytes: 1 }], capacity: { cpu: '2' } },
  });
  for (const [name, before, after, want] of [
    [
      'a heartbeat sends only the changed times, keyed by type, with $setElementOrder',
      node('t1'),
      node('t2'),
      {
        status: {
          conditions: [
            { type: 'MemoryPressure', lastHeartbeatTime: 't2' },
            { type: 'Ready', lastHeartbeatTime: 't2' },
          ],
          '$setElementOrder/conditions': [{ type: 'MemoryPressure' }, { type: 'Ready' }],
        },
      },
    ],
    ['an unchanged status is an empty patch', node('t1'), node('t1'), {}],
    [
      'changed addresses go whole with a $patch: replace element (they merge by type alone)',
      node('t1'),
      node('t1', '10.0.0.2'),
      { status: { addresses: [...addr('10.0.0.2'), { $patch: 'replace' }] } },
    ],
  ] as const) {
    test(name, () => assert.deepEqual(nodeStatusPatch(before, structuredClone(after.status!)), want));
  }
});
