import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../apiserver/testing.js';
import type { Event } from '../api/objects.js';
import { EventRecorder } from './events.js';
import { RestClient } from './rest.js';
import { InProcessTransport } from './transport.js';

const ADMIN = { username: 'kubernetes-admin', groups: ['system:masters'] };
const EVENTS = { group: '', version: 'v1', resource: 'events', namespaced: true, kind: 'Event' };
const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-0', namespace: 'default', uid: 'u1', resourceVersion: '5' } };

describe('EventRecorder', () => {
  let t: TestServer;
  let client: RestClient;
  beforeEach(async () => {
    t = await startTestServer();
    client = new RestClient(new InProcessTransport(t.server, ADMIN));
  });
  afterEach(() => t.stop());

  test('records an event about an object with the source and upstream fields', async () => {
    const rec = new EventRecorder({ client, clock: t.clock, source: { component: 'default-scheduler' } });
    rec.event(pod, 'Normal', 'Scheduled', 'Successfully assigned default/web-0 to node-1');
    await rec.flush();
    const list = await client.resource<Event>(EVENTS).namespace('default').list();
    assert.equal(list.items.length, 1);
    const e = list.items[0];
    assert.match(e.metadata.name!, /^web-0\.[0-9a-f]+$/);
    assert.deepEqual(e.involvedObject, { kind: 'Pod', namespace: 'default', name: 'web-0', uid: 'u1', apiVersion: 'v1', resourceVersion: '5' });
    assert.equal(e.reason, 'Scheduled');
    assert.equal(e.type, 'Normal');
    assert.equal(e.count, 1);
    assert.deepEqual(e.source, { component: 'default-scheduler' });
  });

  test('folds repeats of the same event into one with a growing count', async () => {
    const rec = new EventRecorder({ client, clock: t.clock, source: { component: 'kubelet', host: 'node-1' } });
    rec.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container app in pod web-0_default(u1)');
    await t.clock.advance(10_000);
    rec.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container app in pod web-0_default(u1)');
    rec.event(pod, 'Normal', 'Pulled', 'other');
    await rec.flush();
    const list = await client.resource<Event>(EVENTS).namespace('default').list();
    assert.equal(list.items.length, 2);
    const backoff = list.items.find((e) => e.reason === 'BackOff')!;
    assert.equal(backoff.count, 2);
    assert.notEqual(backoff.firstTimestamp, backoff.lastTimestamp);
  });

  test('events about cluster-scoped objects go to the default namespace', async () => {
    const rec = new EventRecorder({ client, clock: t.clock, source: { component: 'node-controller' } });
    rec.event({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', uid: 'n1' } }, 'Normal', 'NodeNotReady', 'Node node-1 status is now: NodeNotReady');
    await rec.flush();
    const list = await client.resource<Event>(EVENTS).namespace('default').list();
    assert.equal(list.items[0].involvedObject.kind, 'Node');
  });

  const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-5d8f', namespace: 'default', uid: 'rs1' } };
  const list = async () => (await client.resource<Event>(EVENTS).namespace('default').list()).items;

  test('the spam filter lets 25 events about one object through, then one every five minutes', async () => {
    const rec = new EventRecorder({ client, clock: t.clock, source: { component: 'replicaset-controller' } });
    for (let i = 0; i < 40; i++) rec.event(rs, 'Normal', `Reason${i}`, `event ${i}`);
    await rec.flush();
    assert.equal((await list()).length, 25);
    await t.clock.advance(299_000);
    rec.event(rs, 'Normal', 'Late', 'too early for a token');
    await rec.flush();
    assert.equal((await list()).length, 25);
    await t.clock.advance(2_000);
    rec.event(rs, 'Normal', 'Later', 'a token refilled');
    await rec.flush();
    assert.deepEqual((await list()).filter((e) => e.reason!.startsWith('Late')).map((e) => e.message), ['a token refilled']);
    // Another object has its own bucket.
    rec.event(pod, 'Normal', 'Scheduled', 'a different object');
    await rec.flush();
    assert.equal((await list()).filter((e) => e.involvedObject.name === 'web-0').length, 1);
  });

  test('from the 10th message for the same reason, similar events are combined into one', async () => {
    const rec = new EventRecorder({ client, clock: t.clock, source: { component: 'replicaset-controller' } });
    for (let i = 0; i < 12; i++) rec.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: web-5d8f-${i}`);
    await rec.flush();
    const events = await list();
    const separate = events.filter((e) => !e.message!.startsWith('(combined'));
    const combined = events.filter((e) => e.message!.startsWith('(combined'));
    assert.equal(separate.length, 9);
    assert.equal(combined.length, 1);
    assert.equal(combined[0].message, '(combined from similar events): Created pod: web-5d8f-11');
    assert.equal(combined[0].count, 3);
  });
});
