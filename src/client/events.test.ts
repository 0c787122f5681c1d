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
});
