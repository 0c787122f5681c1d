import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeSpec, startKubelets, type KubeletHarness } from './kubelet.testutil.js';

describe('simulated kubelet: pod addresses from the node range (VPC CNI)', () => {
  let h: KubeletHarness;
  afterEach(() => h.stop());

  test('pods get addresses from the node range until it is spent; the next waits in ContainerCreating with the aws-cni error', async () => {
    // A /29 keeps out its first two and last address: five for pods.
    h = await startKubelets([nodeSpec(undefined, { podIPRange: '192.168.64.0/29' })]);
    for (let i = 0; i < 6; i++) await h.createPod({ metadata: { name: `p${i}` }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } });
    const all = async () => Promise.all([0, 1, 2, 3, 4, 5].map((i) => h.getPod(`p${i}`)));
    await h.until(async () => (await all()).filter((p) => p.status?.phase === 'Running').length === 5);
    await h.advance(30_000);
    const pods = await all();
    const running = pods.filter((p) => p.status?.phase === 'Running');
    assert.deepEqual(running.map((p) => p.status?.podIP).sort(), ['192.168.64.2', '192.168.64.3', '192.168.64.4', '192.168.64.5', '192.168.64.6']);
    const stuck = pods.find((p) => p.status?.phase !== 'Running')!;
    assert.equal(stuck.status?.phase, 'Pending');
    assert.equal(stuck.status?.podIP, undefined);
    assert.equal(stuck.status?.containerStatuses?.[0]?.state?.waiting?.reason, 'ContainerCreating');
    const events = (await h.events(stuck.metadata.name!)).filter((e) => e.reason === 'FailedCreatePodSandBox');
    assert.ok(events.length >= 1);
    assert.match(events[0].message ?? '', /^Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "[0-9a-f]{64}": plugin type="aws-cni" name="aws-cni" failed \(add\): add cmd: failed to assign an IP address to container$/);
    // An address freed by a deleted pod lets the waiting one start.
    await h.pods.delete(running[0].metadata.name!, { gracePeriodSeconds: 0 });
    await h.until(async () => (await h.getPod(stuck.metadata.name!)).status?.phase === 'Running');
  });
});
