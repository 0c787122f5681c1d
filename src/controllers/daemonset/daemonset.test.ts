import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ControllerRevision, DaemonSet, Event, Node, Pod } from '../../api/objects.js';
import { startTestServer, type TestServer } from '../../apiserver/testing.js';
import { SharedInformerFactory } from '../../client/informer.js';
import { RestClient, isNotFound, type ResourceClient } from '../../client/rest.js';
import { eventually } from '../../client/testing.js';
import { InProcessTransport } from '../../client/transport.js';
import { rfc3339 } from '../../sim/clock.js';
import type { ControllerContext } from '../context.js';
import { DaemonSetController } from './daemonset.js';
import { targetNodeName } from './util.js';
import { CONTROLLER_REVISIONS, DAEMONSETS, EVENTS, NODES, PODS } from '../../client/refs.js';

function daemonSet(name: string, spec: Partial<NonNullable<DaemonSet['spec']>> = {}, podSpec: Partial<NonNullable<Pod['spec']>> = {}): DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'agent', image: 'fluent-bit:3.0' }], ...podSpec } },
      ...spec,
    },
  };
}

function node(name: string, labels: Record<string, string> = {}, taints: NonNullable<Node['spec']>['taints'] = undefined): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } }, spec: taints ? { taints } : {} };
}

describe('DaemonSetController', () => {
  let t: TestServer;
  let client: RestClient;
  let stop: AbortController;
  let dss: ResourceClient<DaemonSet>;
  let pods: ResourceClient<Pod>;
  let nodes: ResourceClient<Node>;
  let revisions: ResourceClient<ControllerRevision>;
  let logs: string[];

  async function startController(): Promise<DaemonSetController> {
    const informers = new SharedInformerFactory({ client, clock: t.clock });
    const ctx: ControllerContext = {
      clock: t.clock,
      informers,
      clientFor: (sa) =>
        new RestClient(
          new InProcessTransport(t.server, { username: `system:serviceaccount:kube-system:${sa}`, groups: ['system:serviceaccounts', 'system:masters', 'system:authenticated'] }),
        ),
      log: (m, e) => logs.push(e === undefined ? m : `${m}: ${String(e)}`),
    };
    const ctrl = new DaemonSetController(ctx);
    informers.start(stop.signal);
    ctrl.start(stop.signal);
    await informers.waitForCacheSync();
    return ctrl;
  }

  beforeEach(async () => {
    t = await startTestServer();
    client = new RestClient(new InProcessTransport(t.server, { username: 'kubernetes-admin', groups: ['system:masters'] }));
    dss = client.resource<DaemonSet>(DAEMONSETS).namespace('default');
    pods = client.resource<Pod>(PODS).namespace('default');
    nodes = client.resource<Node>(NODES);
    revisions = client.resource<ControllerRevision>(CONTROLLER_REVISIONS).namespace('default');
    stop = new AbortController();
    logs = [];
  });
  afterEach(() => {
    stop.abort();
    t.stop();
  });

  async function until(cond: () => Promise<boolean>, describe: () => string = () => logs.join(' | ')): Promise<void> {
    await eventually(cond, { clock: t.clock, stepMs: 50, maxRounds: 400, describe });
  }

  const live = async () => (await pods.list()).items.filter((p) => !p.metadata.deletionTimestamp);
  /** node name → pod names, from each pod's target node. */
  async function placement(): Promise<Record<string, string[]>> {
    const out: Record<string, string[]> = {};
    for (const p of await live()) (out[targetNodeName(p) ?? '?'] ??= []).push(p.metadata.name!);
    return out;
  }

  /** Plays scheduler and kubelet: binds every unbound pod to its pinned node and reports it Running and Ready. */
  async function runAll(): Promise<void> {
    for (const p of await live()) {
      if (!p.spec?.nodeName) {
        await pods.createSubresource(p.metadata.name!, 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: p.metadata.name }, target: { kind: 'Node', name: targetNodeName(p) } });
      }
      if (p.status?.phase !== 'Running') {
        const fresh = await pods.get(p.metadata.name!);
        fresh.status = { ...fresh.status, phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: rfc3339(t.clock.now()) }] };
        await pods.updateStatus(fresh);
      }
    }
  }

  async function finishTerminating(): Promise<void> {
    for (const p of (await pods.list()).items) {
      if (!p.metadata.deletionTimestamp) continue;
      try {
        await pods.delete(p.metadata.name!, { gracePeriodSeconds: 0 });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  }

  async function events(): Promise<Event[]> {
    return (await client.resource<Event>(EVENTS).namespace('default').list()).items;
  }

  test('one pod per node, pinned by node affinity, with default tolerations and revision labels; status counts', async () => {
    for (const n of ['node-a', 'node-b', 'node-c']) await nodes.create(node(n));
    await startController();
    const ds = await dss.create(daemonSet('fluent-bit'));
    await until(async () => (await live()).length === 3);
    const byNode = await placement();
    assert.deepEqual(Object.keys(byNode).sort(), ['node-a', 'node-b', 'node-c']);
    assert.ok(Object.values(byNode).every((names) => names.length === 1));

    const pod = (await live())[0];
    assert.equal(pod.spec?.nodeName, undefined, 'left to the scheduler to bind');
    assert.match(pod.metadata.name!, /^fluent-bit-/);
    assert.deepEqual(pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution, {
      nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [targetNodeName(pod)] }] }],
    });
    assert.deepEqual(
      pod.spec?.tolerations?.map((x) => `${x.key}:${x.operator}:${x.effect}:${x.tolerationSeconds ?? ''}`),
      [
        'node.kubernetes.io/not-ready:Exists:NoExecute:',
        'node.kubernetes.io/unreachable:Exists:NoExecute:',
        'node.kubernetes.io/disk-pressure:Exists:NoSchedule:',
        'node.kubernetes.io/memory-pressure:Exists:NoSchedule:',
        'node.kubernetes.io/pid-pressure:Exists:NoSchedule:',
        'node.kubernetes.io/unschedulable:Exists:NoSchedule:',
      ],
    );
    assert.equal(pod.metadata.labels?.['pod-template-generation'], '1');
    const revs = (await revisions.list()).items;
    assert.equal(revs.length, 1);
    assert.equal(revs[0].revision, 1);
    assert.equal(revs[0].metadata.name, `fluent-bit-${pod.metadata.labels?.['controller-revision-hash']}`);
    assert.equal(revs[0].metadata.ownerReferences?.[0]?.uid, ds.metadata.uid);
    assert.deepEqual(pod.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'fluent-bit', uid: ds.metadata.uid, controller: true, blockOwnerDeletion: true }]);

    await until(async () => (await dss.get('fluent-bit')).status?.currentNumberScheduled === 3);
    let st = (await dss.get('fluent-bit')).status!;
    assert.equal(st.desiredNumberScheduled, 3);
    assert.equal(st.numberReady, 0);
    assert.equal(st.numberUnavailable, 3);
    assert.equal(st.updatedNumberScheduled, 3);
    assert.equal(st.observedGeneration, 1);

    await runAll();
    await until(async () => (await dss.get('fluent-bit')).status?.numberAvailable === 3);
    st = (await dss.get('fluent-bit')).status!;
    assert.equal(st.numberReady, 3);
    assert.equal(st.numberUnavailable ?? 0, 0);
    assert.equal(st.numberMisscheduled, 0);
    await until(async () => (await events()).some((e) => e.reason === 'SuccessfulCreate' && e.message === `Created pod: ${pod.metadata.name}` && e.source?.component === 'daemonset-controller'));
  });

  test('hostNetwork pods also tolerate network-unavailable', async () => {
    await nodes.create(node('node-a'));
    await startController();
    await dss.create(daemonSet('cni', {}, { hostNetwork: true }));
    await until(async () => (await live()).length === 1);
    const keys = (await live())[0].spec?.tolerations?.map((x) => x.key);
    assert.ok(keys?.includes('node.kubernetes.io/network-unavailable'));
  });

  test('respects nodeSelector, required node affinity and taints', async () => {
    await nodes.create(node('linux-1', { 'kubernetes.io/os': 'linux', zone: 'a' }));
    await nodes.create(node('linux-2', { 'kubernetes.io/os': 'linux', zone: 'b' }));
    await nodes.create(node('windows-1', { 'kubernetes.io/os': 'windows', zone: 'a' }));
    await nodes.create(node('gpu-1', { 'kubernetes.io/os': 'linux', zone: 'a' }, [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }]));
    await startController();
    await dss.create(daemonSet('by-selector', {}, { nodeSelector: { 'kubernetes.io/os': 'linux' } }));
    await dss.create(
      daemonSet('by-affinity', {}, {
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } } },
      }),
    );
    await dss.create(daemonSet('tolerates-gpu', {}, { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] }));
    const nodesOf = async (app: string) =>
      (await live())
        .filter((p) => p.metadata.labels?.app === app)
        .map((p) => targetNodeName(p))
        .sort();
    await until(async () => (await live()).length === 2 + 2 + 4);
    assert.deepEqual(await nodesOf('by-selector'), ['linux-1', 'linux-2'], 'gpu-1 is linux but tainted');
    assert.deepEqual(await nodesOf('by-affinity'), ['linux-1', 'windows-1'], 'zone a, except the tainted gpu-1');
    assert.deepEqual(await nodesOf('tolerates-gpu'), ['gpu-1', 'linux-1', 'linux-2', 'windows-1']);
    await until(async () => (await dss.get('by-selector')).status?.desiredNumberScheduled === 2);
  });

  test('a new node gets a pod; a node that stops qualifying loses it', async () => {
    await nodes.create(node('node-a', { role: 'worker' }));
    await startController();
    await dss.create(daemonSet('agent', {}, { nodeSelector: { role: 'worker' } }));
    await until(async () => (await live()).length === 1);
    await nodes.create(node('node-b', { role: 'worker' }));
    await until(async () => Object.keys(await placement()).length === 2);
    assert.deepEqual(Object.keys(await placement()).sort(), ['node-a', 'node-b']);
    await runAll();
    await until(async () => (await dss.get('agent')).status?.numberReady === 2);

    // node-a stops being a worker: its pod goes.
    const a = await nodes.get('node-a');
    a.metadata.labels = { ...a.metadata.labels, role: 'db' };
    await nodes.update(a);
    await until(async () => Object.keys(await placement()).join() === 'node-b');
    await finishTerminating();
    await until(async () => (await dss.get('agent')).status?.desiredNumberScheduled === 1 && (await dss.get('agent')).status?.numberMisscheduled === 0);

    // A NoExecute taint evicts too; a NoSchedule taint alone keeps the running pod.
    const b = await nodes.get('node-b');
    b.spec = { ...b.spec, taints: [{ key: 'maintenance', value: 'soon', effect: 'NoSchedule' }] };
    await nodes.update(b);
    await t.clock.advance(3_000);
    assert.deepEqual(Object.keys(await placement()), ['node-b']);
    await until(async () => (await dss.get('agent')).status?.numberMisscheduled === 1);
    const b2 = await nodes.get('node-b');
    b2.spec = { ...b2.spec, taints: [{ key: 'maintenance', value: 'now', effect: 'NoExecute' }] };
    await nodes.update(b2);
    await until(async () => (await live()).length === 0);
    await until(async () => (await events()).some((e) => e.reason === 'SuccessfulDelete' && /^Deleted pod: agent-/.test(e.message ?? '')));
  });

  test('RollingUpdate with maxUnavailable 1 replaces one node at a time, newest revision recorded', async () => {
    for (const n of ['node-a', 'node-b', 'node-c']) await nodes.create(node(n));
    await startController();
    await dss.create(daemonSet('proxy'));
    await until(async () => (await live()).length === 3);
    await runAll();
    await until(async () => (await dss.get('proxy')).status?.numberAvailable === 3);
    const oldHash = (await live())[0].metadata.labels?.['controller-revision-hash'];

    const ds = await dss.get('proxy');
    ds.spec!.template.spec!.containers[0].image = 'fluent-bit:3.1';
    await dss.update(ds);
    await until(async () => (await revisions.list()).items.length === 2);
    const revs = (await revisions.list()).items.sort((a, b) => a.revision - b.revision);
    assert.deepEqual(revs.map((r) => r.revision), [1, 2]);
    const newHash = revs[1].metadata.labels?.['controller-revision-hash'];
    assert.notEqual(newHash, oldHash);

    for (let round = 0; round < 3; round++) {
      // Exactly one old pod is taken down at a time.
      await until(async () => (await pods.list()).items.some((p) => p.metadata.deletionTimestamp));
      const terminating = (await pods.list()).items.filter((p) => p.metadata.deletionTimestamp);
      assert.equal(terminating.length, 1, `round ${round}`);
      assert.equal(terminating[0].metadata.labels?.['controller-revision-hash'], oldHash);
      await finishTerminating();
      await until(async () => (await live()).length === 3);
      await runAll();
    }
    await until(async () => (await live()).every((p) => p.metadata.labels?.['controller-revision-hash'] === newHash));
    assert.ok((await live()).every((p) => p.spec?.containers[0].image === 'fluent-bit:3.1' && p.metadata.labels?.['pod-template-generation'] === '2'));
    await until(async () => {
      const st = (await dss.get('proxy')).status;
      return st?.updatedNumberScheduled === 3 && st.numberAvailable === 3 && st.observedGeneration === 2;
    });
  });

  test('RollingUpdate with maxSurge starts the new pod beside the old one and removes the old once available', async () => {
    await nodes.create(node('node-a'));
    await startController();
    await dss.create(daemonSet('surge', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } }));
    await until(async () => (await live()).length === 1);
    await runAll();
    await until(async () => (await dss.get('surge')).status?.numberAvailable === 1);
    const [oldPod] = await live();
    const ds = await dss.get('surge');
    ds.spec!.template.spec!.containers[0].image = 'fluent-bit:3.1';
    await dss.update(ds);
    await until(async () => (await live()).length === 2);
    assert.ok((await live()).some((p) => p.metadata.name === oldPod.metadata.name), 'old pod still serving');
    await runAll();
    await until(async () => !(await live()).some((p) => p.metadata.name === oldPod.metadata.name));
    assert.equal((await live()).length, 1);
    assert.equal((await live())[0].spec?.containers[0].image, 'fluent-bit:3.1');
  });

  test('OnDelete leaves old pods until they are deleted', async () => {
    await nodes.create(node('node-a'));
    const ctrl = await startController();
    await dss.create(daemonSet('od', { updateStrategy: { type: 'OnDelete' } }));
    await until(async () => (await live()).length === 1);
    await runAll();
    const ds = await dss.get('od');
    ds.spec!.template.spec!.containers[0].image = 'fluent-bit:3.1';
    await dss.update(ds);
    await until(async () => (await revisions.list()).items.length === 2);
    await t.clock.advance(3_000);
    await ctrl.whenIdle();
    const [pod] = await live();
    assert.equal(pod.spec?.containers[0].image, 'fluent-bit:3.0');
    await until(async () => (await dss.get('od')).status?.updatedNumberScheduled === 0 && (await dss.get('od')).status?.observedGeneration === 2);
    await pods.delete(pod.metadata.name!, { gracePeriodSeconds: 0 });
    await until(async () => (await live()).some((p) => p.spec?.containers[0].image === 'fluent-bit:3.1'));
  });

  test('a failed daemon pod is deleted and replaced, with a FailedDaemonPod event', async () => {
    await nodes.create(node('node-a'));
    await startController();
    await dss.create(daemonSet('flaky'));
    await until(async () => (await live()).length === 1);
    await runAll();
    const [pod] = await live();
    const fresh = await pods.get(pod.metadata.name!);
    fresh.status = { ...fresh.status, phase: 'Failed' };
    await pods.updateStatus(fresh);
    await until(async () => !!(await pods.list()).items.find((p) => p.metadata.name === pod.metadata.name)?.metadata.deletionTimestamp || !(await pods.list()).items.some((p) => p.metadata.name === pod.metadata.name));
    await finishTerminating();
    await until(async () => (await live()).length === 1 && (await live())[0].metadata.name !== pod.metadata.name);
    assert.ok(
      (await events()).some((e) => e.reason === 'FailedDaemonPod' && e.message === `Found failed daemon pod default/${pod.metadata.name} on node node-a, will try to kill it`),
    );
  });
});
