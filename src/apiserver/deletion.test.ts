import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from './testing.js';

const CM = '/api/v1/namespaces/default/configmaps';
const PODS = '/api/v1/namespaces/default/pods';
const MERGE = { 'content-type': 'application/merge-patch+json' };

describe('deletion', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.stop());

  const createCM = async (name: string, finalizers?: string[]) => {
    const r = await t.request('POST', CM, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(finalizers ? { finalizers } : {}) } } });
    assert.equal(r.status, 201, r.body);
    return r.json();
  };

  test('an object with finalizers gets a deletionTimestamp and stays until the last finalizer goes', async () => {
    await createCM('held', ['example.com/hold']);
    const del = await t.request('DELETE', `${CM}/held`);
    assert.equal(del.status, 200);
    assert.equal(del.json().metadata.deletionTimestamp, '2026-01-01T00:00:00Z');
    assert.equal(del.json().metadata.deletionGracePeriodSeconds, 0);
    assert.equal((await t.request('GET', `${CM}/held`)).status, 200);
    const again = await t.request('DELETE', `${CM}/held`);
    assert.equal(again.status, 200, 'deleting again changes nothing');
    assert.equal(again.json().metadata.resourceVersion, del.json().metadata.resourceVersion);
    const release = await t.request('PATCH', `${CM}/held`, { body: { metadata: { finalizers: null } }, headers: MERGE });
    assert.equal(release.status, 200);
    assert.equal((await t.request('GET', `${CM}/held`)).status, 404);
  });

  for (const [policy, finalizer] of [
    ['Orphan', 'orphan'],
    ['Foreground', 'foregroundDeletion'],
  ] as const) {
    test(`propagationPolicy=${policy} adds the ${finalizer} finalizer for the garbage collector`, async () => {
      await createCM(`policy-${finalizer.toLowerCase()}`);
      const del = await t.request('DELETE', `${CM}/policy-${finalizer.toLowerCase()}`, {
        body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: policy },
      });
      assert.equal(del.status, 200);
      assert.deepEqual(del.json().metadata.finalizers, [finalizer]);
      assert.ok(del.json().metadata.deletionTimestamp);
    });
  }

  test('propagationPolicy=Background deletes at once', async () => {
    await createCM('bg');
    const del = await t.request('DELETE', `${CM}/bg?propagationPolicy=Background`);
    assert.equal(del.status, 200);
    assert.equal(del.json().status, 'Success');
    assert.equal((await t.request('GET', `${CM}/bg`)).status, 404);
  });

  test('a scheduled pod is deleted gracefully, and a grace period of 0 then removes it', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'graceful' }, spec: { nodeName: 'node-a', containers: [{ name: 'c', image: 'busybox' }] } };
    assert.equal((await t.request('POST', PODS, { body: pod })).status, 201);
    const del = await t.request('DELETE', `${PODS}/graceful`);
    assert.equal(del.status, 200);
    assert.equal(del.json().metadata.deletionGracePeriodSeconds, 30);
    assert.equal(del.json().metadata.deletionTimestamp, '2026-01-01T00:00:30Z', 'now + terminationGracePeriodSeconds');
    const longer = await t.request('DELETE', `${PODS}/graceful?gracePeriodSeconds=60`);
    assert.equal(longer.json().metadata.deletionGracePeriodSeconds, 30, 'a longer grace period is ignored');
    const shorter = await t.request('DELETE', `${PODS}/graceful?gracePeriodSeconds=10`);
    assert.equal(shorter.json().metadata.deletionGracePeriodSeconds, 10);
    assert.equal(shorter.json().metadata.deletionTimestamp, '2026-01-01T00:00:10Z');
    const now = await t.request('DELETE', `${PODS}/graceful`, { body: { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0 } });
    assert.equal(now.status, 200);
    assert.equal((await t.request('GET', `${PODS}/graceful`)).status, 404);
  });

  test('a pod that was never scheduled is deleted at once', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'unscheduled-del' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
    assert.equal((await t.request('POST', PODS, { body: pod })).status, 201);
    assert.equal((await t.request('DELETE', `${PODS}/unscheduled-del`)).status, 200);
    assert.equal((await t.request('GET', `${PODS}/unscheduled-del`)).status, 404);
  });

  test('a UID precondition that does not match is a Conflict worded as upstream', async () => {
    const cm = await createCM('pre');
    const r = await t.request('DELETE', `${CM}/pre`, { body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: 'not-it' } } });
    assert.equal(r.status, 409);
    assert.equal(
      r.json().message,
      `Operation cannot be fulfilled on ConfigMap "pre": the UID in the precondition (not-it) does not match the UID in record (${cm.metadata.uid}). The object might have been deleted and then recreated`,
    );
  });
});
