import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from './testing.js';

const POD = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
const binding = (node: string) => ({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'web', namespace: 'default' }, target: { apiVersion: 'v1', kind: 'Node', name: node } });

describe('pods/binding', () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer();
    assert.equal((await t.request('POST', '/api/v1/namespaces/default/pods', { body: POD })).status, 201);
  });
  afterEach(() => t.stop());

  test('sets spec.nodeName and PodScheduled=True, answering a Success Status', async () => {
    const r = await t.request('POST', '/api/v1/namespaces/default/pods/web/binding', { body: binding('node-1') });
    assert.equal(r.status, 201);
    assert.equal(r.json<{ status: string }>().status, 'Success');
    const pod = (await t.request('GET', '/api/v1/namespaces/default/pods/web')).json<any>();
    assert.equal(pod.spec.nodeName, 'node-1');
    const cond = pod.status.conditions.find((c: any) => c.type === 'PodScheduled');
    assert.equal(cond.status, 'True');
    assert.match(cond.lastTransitionTime, /^2026-01-01T/);
  });

  test('a second binding is a 409 naming the node the pod is on', async () => {
    await t.request('POST', '/api/v1/namespaces/default/pods/web/binding', { body: binding('node-1') });
    const r = await t.request('POST', '/api/v1/namespaces/default/pods/web/binding', { body: binding('node-2') });
    assert.equal(r.status, 409);
    assert.equal(r.json<{ message: string }>().message, 'Operation cannot be fulfilled on pods/binding "web": pod web is already assigned to node "node-1"');
  });

  test('a binding without a target is refused', async () => {
    const r = await t.request('POST', '/api/v1/namespaces/default/pods/web/binding', { body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'web' } } });
    assert.equal(r.status, 400);
  });
});
