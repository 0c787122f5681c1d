import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Event, Pod, ReplicaSet } from '../../api/objects.js';
import { eventually } from '../../client/testing.js';
import type { ResourceClient } from '../../client/rest.js';
import { isPodActive } from '../../api/pod.js';
import { ReplicaSetController, slowStartBatch } from './replicaset.js';
import { markReady, podsIn, startControllerTest, type ControllerTest } from './testing.js';
import { REPLICASETS } from '../../client/refs.js';

const NS = 'default';

function replicaSet(name: string, replicas: number, extra: { minReadySeconds?: number } = {}): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: NS },
    spec: {
      replicas,
      ...extra,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name, tier: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } },
    },
  };
}

describe('ReplicaSetController', () => {
  let h: ControllerTest;
  let rsc: ReplicaSetController;
  let pods: ResourceClient<Pod>;
  let rss: ResourceClient<ReplicaSet>;

  beforeEach(async () => {
    h = await startControllerTest();
    rsc = new ReplicaSetController(h.ctx);
    rsc.start(h.signal);
    h.startInformers();
    pods = podsIn(h.client, NS);
    rss = h.client.resource<ReplicaSet>(REPLICASETS).namespace(NS);
  });
  afterEach(() => h.stop());

  const activePods = async (app: string) => (await pods.list({ labelSelector: `app=${app}` })).items.filter(isPodActive);
  const events = async (reason: string) =>
    (await h.client.resource<Event>({ group: '', version: 'v1', resource: 'events', namespaced: true, kind: 'Event' }).namespace(NS).list()).items.filter(
      (e) => e.reason === reason,
    );

  test('creates spec.replicas pods from the template, named <rs>-, owned by the ReplicaSet, and reports them in status', async () => {
    const rs = await rss.create(replicaSet('web', 3));
    await eventually(async () => (await activePods('web')).length === 3, { clock: h.t.clock, stepMs: 10 });
    const list = await activePods('web');
    for (const p of list) {
      assert.match(p.metadata.name!, /^web-[a-z0-9]{5}$/);
      assert.equal(p.metadata.generateName, 'web-');
      assert.deepEqual(p.metadata.labels, { app: 'web', tier: 'web' });
      assert.deepEqual(p.metadata.ownerReferences, [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true },
      ]);
    }
    await eventually(async () => (await rss.get('web')).status?.replicas === 3, { clock: h.t.clock, stepMs: 10 });
    const status = (await rss.get('web')).status!;
    assert.equal(status.fullyLabeledReplicas, 3);
    assert.equal(status.observedGeneration, 1);
    assert.equal(status.readyReplicas, undefined, 'zero counters are omitted as Go omits them');
    await rsc.flushEvents();
    const created = await events('SuccessfulCreate');
    assert.deepEqual(created.map((e) => e.message).sort(), list.map((p) => `Created pod: ${p.metadata.name}`).sort());
    assert.equal(created[0].source?.component, 'replicaset-controller');
  });

  test('creates in slow-start batches of 1, 2, 4, ...: a failing API stops after the first failing batch', async () => {
    let creates = 0;
    h.gate.refuse = (req) => {
      if (req.method !== 'POST' || !req.path.endsWith('/pods')) return undefined;
      creates++;
      return creates > 4 ? { code: 403, reason: 'Forbidden', message: 'pods "web-" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=4, limited: pods=4' } : undefined;
    };
    await rss.create(replicaSet('web', 10));
    await eventually(async () => (await rss.get('web')).status?.conditions?.length === 1, { clock: h.t.clock, stepMs: 1 });
    // Batches of 1, 2 and 4 (the in-flight count as each create starts); the third batch had
    // failures, so the last 3 were not tried in this sync. Later retries start again at 1.
    const attempts = h.gate.seen.filter((s) => s.line === 'POST /api/v1/namespaces/default/pods').map((s) => s.inflight);
    assert.deepEqual(attempts.slice(0, 7), [1, 1, 2, 1, 2, 3, 4]);
    assert.ok(attempts.slice(7).every((n) => n === 1), `retries are batches of 1: ${attempts}`);
    assert.ok(creates >= 7);
    const cond = (await rss.get('web')).status!.conditions![0];
    assert.equal(cond.type, 'ReplicaFailure');
    assert.equal(cond.status, 'True');
    assert.equal(cond.reason, 'FailedCreate');
    assert.equal(cond.message, 'pods "web-" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=4, limited: pods=4');
    await rsc.flushEvents();
    const failed = await events('FailedCreate');
    assert.ok(failed.reduce((n, e) => n + (e.count ?? 1), 0) >= 3, 'one per failed create');
    for (const e of failed) {
      assert.equal(e.type, 'Warning');
      assert.equal(e.message, 'Error creating: pods "web-" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=4, limited: pods=4');
    }

    // Quota freed: the retry creates the rest and the condition goes away.
    h.gate.refuse = undefined;
    await eventually(async () => (await activePods('web')).length === 10, { clock: h.t.clock, stepMs: 100 });
    await eventually(async () => (await rss.get('web')).status?.conditions === undefined, { clock: h.t.clock, stepMs: 100 });
  });

  test('slowStartBatch doubles the batch until a batch fails', async () => {
    const inflight: number[] = [];
    let current = 0;
    let calls = 0;
    const r = await slowStartBatch(20, 1, async () => {
      const n = ++calls;
      current++;
      inflight.push(current);
      await new Promise((res) => setImmediate(res));
      current--;
      if (n > 10) throw new Error('boom');
    });
    assert.equal(r.successes, 1 + 2 + 4 + 3);
    assert.equal(calls, 1 + 2 + 4 + 8, 'the fourth batch runs whole; no fifth batch');
    assert.equal(Math.max(...inflight), 8);
    assert.deepEqual(await slowStartBatch(5, 1, async () => {}), { successes: 5 });
    assert.equal((r.error as Error).message, 'boom');
  });

  test('does not create twice while the informer catches up (expectations)', async () => {
    await rss.create(replicaSet('web', 5));
    await eventually(async () => (await activePods('web')).length === 5, { clock: h.t.clock, stepMs: 10 });
    // Let any number of resyncs happen: the count stays exact.
    for (let i = 0; i < 5; i++) {
      rsc.queue.add(`${NS}/web`);
      await h.t.clock.advance(50);
    }
    assert.equal((await pods.list()).items.length, 5);
  });

  test('scaling down deletes not-ready pods before ready ones, and the most recently ready first', async () => {
    await rss.create(replicaSet('web', 4));
    await eventually(async () => (await activePods('web')).length === 4, { clock: h.t.clock, stepMs: 10 });
    const [a, b, c, d] = (await activePods('web')).sort((x, y) => x.metadata.name!.localeCompare(y.metadata.name!));
    await markReady(pods, a, h.t.clock.now() - 3_600_000); // ready for an hour
    await markReady(pods, b, h.t.clock.now() - 60_000); // ready for a minute
    await markReady(pods, c, h.t.clock.now() - 1_000); // ready for a second
    // d stays Pending and not ready.
    await h.t.clock.advance(10);
    await rss.patch('web', 'merge', { spec: { replicas: 2 } });
    await eventually(async () => (await activePods('web')).length === 2, { clock: h.t.clock, stepMs: 10 });
    assert.deepEqual((await activePods('web')).map((p) => p.metadata.name).sort(), [a.metadata.name, b.metadata.name].sort());
    await rsc.flushEvents();
    const deleted = (await events('SuccessfulDelete')).map((e) => e.message).sort();
    assert.deepEqual(deleted, [`Deleted pod: ${c.metadata.name}`, `Deleted pod: ${d.metadata.name}`].sort());
  });

  test('the scale subresource (kubectl scale) leads to pods', async () => {
    await rss.create(replicaSet('web', 1));
    await eventually(async () => (await activePods('web')).length === 1, { clock: h.t.clock, stepMs: 10 });
    const { body: scale } = await h.client.requestJSON<{ spec: { replicas: number }; metadata: object }>('GET', '/apis/apps/v1/namespaces/default/replicasets/web/scale');
    scale.spec.replicas = 4;
    await h.client.requestJSON('PUT', '/apis/apps/v1/namespaces/default/replicasets/web/scale', { body: scale });
    await eventually(async () => (await activePods('web')).length === 4, { clock: h.t.clock, stepMs: 10 });
    await eventually(async () => (await rss.get('web')).status?.replicas === 4, { clock: h.t.clock, stepMs: 10 });
    assert.equal((await rss.get('web')).status?.observedGeneration, 2);
  });

  test('adopts matching orphans and releases pods whose labels stop matching', async () => {
    const orphan = await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stray', labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } });
    const rs = await rss.create(replicaSet('web', 2));
    await eventually(async () => (await activePods('web')).length === 2, { clock: h.t.clock, stepMs: 10 });
    const adopted = await pods.get('stray');
    assert.equal(adopted.metadata.ownerReferences?.[0]?.uid, rs.metadata.uid);
    assert.equal(adopted.metadata.ownerReferences?.[0]?.controller, true);
    await eventually(async () => (await rss.get('web')).status?.fullyLabeledReplicas === 1, { clock: h.t.clock, stepMs: 10 });

    await pods.patch('stray', 'merge', { metadata: { labels: { app: 'other' } } });
    await eventually(async () => !(await pods.get('stray')).metadata.ownerReferences?.length, { clock: h.t.clock, stepMs: 10 });
    // Released, so the ReplicaSet makes up the difference.
    await eventually(async () => (await activePods('web')).length === 2, { clock: h.t.clock, stepMs: 10 });
    assert.equal((await pods.get('stray')).metadata.labels?.app, 'other');
  });

  test('availableReplicas waits for minReadySeconds and is requeued on the clock', async () => {
    await rss.create(replicaSet('web', 2, { minReadySeconds: 30 }));
    await eventually(async () => (await activePods('web')).length === 2, { clock: h.t.clock, stepMs: 10 });
    for (const p of await activePods('web')) await markReady(pods, p, h.t.clock.now());
    await eventually(async () => (await rss.get('web')).status?.readyReplicas === 2, { clock: h.t.clock, stepMs: 10 });
    assert.equal((await rss.get('web')).status?.availableReplicas, undefined);
    await h.t.clock.advance(29_000);
    assert.equal((await rss.get('web')).status?.availableReplicas, undefined, 'not before 30 s');
    await eventually(async () => (await rss.get('web')).status?.availableReplicas === 2, { clock: h.t.clock, stepMs: 500, maxRounds: 10 });
  });
});

describe('ReplicaSetController with pod status batching', () => {
  let h: ControllerTest;
  let rsc: ReplicaSetController;
  let pods: ResourceClient<Pod>;
  let rss: ResourceClient<ReplicaSet>;

  beforeEach(async () => {
    h = await startControllerTest();
    // 100 ms per owned pod: 10 pods → status changes reach the sync after a second.
    rsc = new ReplicaSetController(h.ctx, { podStatusBatchPerPodMs: 100 });
    rsc.start(h.signal);
    h.startInformers();
    pods = podsIn(h.client, NS);
    rss = h.client.resource<ReplicaSet>(REPLICASETS).namespace(NS);
  });
  afterEach(() => h.stop());

  test('pod status changes reach status after the batch period scaled by the set size; no sooner', async () => {
    await rss.create(replicaSet('big', 10));
    await eventually(async () => (await pods.list({ labelSelector: 'app=big' })).items.length === 10, { clock: h.t.clock, stepMs: 10 });
    await eventually(async () => (await rss.get('big')).status?.replicas === 10, { clock: h.t.clock, stepMs: 10 });
    // Let the syncs its own status writes trigger run out before the pods change.
    await h.t.clock.advance(2000);
    await rsc.whenIdle();
    for (const p of (await pods.list({ labelSelector: 'app=big' })).items) await markReady(pods, p, h.t.clock.now());
    await h.t.clock.advance(500);
    assert.equal((await rss.get('big')).status?.readyReplicas, undefined, 'still batching at 0.5 s');
    await eventually(async () => (await rss.get('big')).status?.readyReplicas === 10, { clock: h.t.clock, stepMs: 100, maxRounds: 30 });
  });
});
