import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from './testing.js';
import { RestClient, isNotFound, type ResourceClient, type ResourceRef } from '../client/rest.js';
import { InProcessTransport } from '../client/transport.js';
import type { KubeObject } from '../api/types.js';

const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true, kind: 'Pod' };
const PDBS: ResourceRef = { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets', namespaced: true, kind: 'PodDisruptionBudget' };

describe('pods/eviction', () => {
  let t: TestServer;
  let pods: ResourceClient;
  let pdbs: ResourceClient;

  beforeEach(async () => {
    t = await startTestServer();
    const client = new RestClient(new InProcessTransport(t.server, { username: 'kubernetes-admin', groups: ['system:masters'] }));
    pods = client.resource(PODS).namespace('default');
    pdbs = client.resource(PDBS).namespace('default');
  });
  afterEach(() => t.stop());

  async function pod(name: string, opts: { labels?: Record<string, string>; phase?: string; ready?: boolean; finalizers?: string[] } = {}): Promise<KubeObject> {
    const created = await pods.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, labels: opts.labels ?? { app: 'web' }, ...(opts.finalizers ? { finalizers: opts.finalizers } : {}) },
      spec: { containers: [{ name: 'app', image: 'nginx' }] },
    });
    const status: Record<string, unknown> = { phase: opts.phase ?? 'Running' };
    if (opts.ready !== undefined) status.conditions = [{ type: 'Ready', status: opts.ready ? 'True' : 'False', lastTransitionTime: '2026-01-01T00:00:00Z' }];
    return pods.updateStatus({ ...created, status });
  }

  /** A PDB with the status a disruption controller would have written. */
  async function pdb(name: string, status: Record<string, unknown>, spec: Record<string, unknown> = {}): Promise<KubeObject> {
    const created = await pdbs.create({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name },
      spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } }, ...spec },
    });
    return pdbs.updateStatus({ ...created, status: { observedGeneration: created.metadata.generation, ...status } });
  }

  function evict(name: string, body: Record<string, unknown> = {}, query = '') {
    return t.request('POST', `/api/v1/namespaces/default/pods/${name}/eviction${query}`, {
      body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'default' }, ...body },
    });
  }

  async function exists(name: string): Promise<boolean> {
    try {
      await pods.get(name);
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }

  test('is refused with 429 and the budget in the cause when it would violate minAvailable', async () => {
    await pod('web-1', { ready: true });
    await pdb('web-pdb', { disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2, expectedPods: 2 });
    const res = await evict('web-1');
    assert.equal(res.status, 429);
    assert.deepEqual(res.json(), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      reason: 'TooManyRequests',
      details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget web-pdb needs 2 healthy pods and has 2 currently' }] },
      code: 429,
    });
    assert.ok(await exists('web-1'));
  });

  test('is allowed when the budget has room: the pod goes and disruptionsAllowed drops with the pod recorded', async () => {
    await pod('web-1', { ready: true });
    await pdb('web-pdb', { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3 });
    const res = await evict('web-1');
    assert.equal(res.status, 201);
    assert.deepEqual(res.json(), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    assert.equal(await exists('web-1'), false);
    const after = (await pdbs.get('web-pdb')) as any;
    assert.equal(after.status.disruptionsAllowed, 0);
    assert.deepEqual(after.status.disruptedPods, { 'web-1': '2026-01-01T00:00:00Z' });
    const cond = after.status.conditions.find((c: any) => c.type === 'DisruptionAllowed');
    assert.equal(cond.status, 'False');
    assert.equal(cond.reason, 'InsufficientPods');
  });

  test('a second eviction against the same budget is refused once the first used it up', async () => {
    await pod('web-1', { ready: true });
    await pod('web-2', { ready: true });
    await pdb('web-pdb', { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3 });
    assert.equal((await evict('web-1')).status, 201);
    const second = await evict('web-2');
    assert.equal(second.status, 429);
    assert.ok(await exists('web-2'));
  });

  test('marks the pod with the DisruptionTarget condition before deleting it', async () => {
    await pod('web-1', { ready: true, finalizers: ['example.com/hold'] });
    await pdb('web-pdb', { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3 });
    assert.equal((await evict('web-1')).status, 201);
    const p = (await pods.get('web-1')) as any;
    assert.ok(p.metadata.deletionTimestamp);
    const cond = p.status.conditions.find((c: any) => c.type === 'DisruptionTarget');
    assert.deepEqual(
      { status: cond.status, reason: cond.reason, message: cond.message, lastTransitionTime: cond.lastTransitionTime },
      { status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting', lastTransitionTime: '2026-01-01T00:00:00Z' },
    );
  });

  for (const phase of ['Succeeded', 'Failed']) {
    test(`a ${phase} pod is evicted regardless of its budget`, async () => {
      await pod('done', { phase });
      await pdb('web-pdb', { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 2, expectedPods: 2 });
      assert.equal((await evict('done')).status, 201);
      assert.equal(await exists('done'), false);
      assert.equal(((await pdbs.get('web-pdb')) as any).status.disruptionsAllowed, 0);
    });
  }

  test('a pod no budget covers is deleted straight away', async () => {
    await pod('other', { labels: { app: 'other' }, ready: true });
    await pdb('web-pdb', { disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2, expectedPods: 2 });
    assert.equal((await evict('other')).status, 201);
    assert.equal(await exists('other'), false);
  });

  test('a pod covered by two budgets answers 500', async () => {
    await pod('web-1', { ready: true });
    await pdb('pdb-a', { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3 });
    await pdb('pdb-b', { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3 });
    const res = await evict('web-1');
    assert.equal(res.status, 500);
    assert.deepEqual(res.json(), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
      code: 500,
    });
    assert.ok(await exists('web-1'));
  });

  test('a budget the controller has not observed yet answers 429 with Retry-After', async () => {
    await pod('web-1', { ready: true });
    const b = await pdb('web-pdb', { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3 });
    await pdbs.update({ ...b, spec: { ...(b.spec as object), minAvailable: 1 } }); // generation 2, observed 1
    const res = await evict('web-1');
    assert.equal(res.status, 429);
    assert.equal(res.headers['Retry-After'], '10');
    assert.deepEqual(res.json().details, {
      causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget web-pdb is still being processed by the server.' }],
      retryAfterSeconds: 10,
    });
  });

  const unhealthy: { name: string; policy?: string; currentHealthy: number; evicted: boolean }[] = [
    { name: 'IfHealthyBudget (default) evicts an unready pod while the budget is healthy', currentHealthy: 2, evicted: true },
    { name: 'IfHealthyBudget refuses an unready pod while the budget is unhealthy', policy: 'IfHealthyBudget', currentHealthy: 1, evicted: false },
    { name: 'AlwaysAllow evicts an unready pod even while the budget is unhealthy', policy: 'AlwaysAllow', currentHealthy: 1, evicted: true },
  ];
  for (const c of unhealthy) {
    test(`unhealthyPodEvictionPolicy ${c.name}`, async () => {
      await pod('web-1', { ready: false });
      await pdb(
        'web-pdb',
        { disruptionsAllowed: 0, currentHealthy: c.currentHealthy, desiredHealthy: 2, expectedPods: 3 },
        c.policy ? { unhealthyPodEvictionPolicy: c.policy } : {},
      );
      const res = await evict('web-1');
      assert.equal(res.status, c.evicted ? 201 : 429);
      assert.equal(await exists('web-1'), !c.evicted);
      // An unready pod never takes from the budget.
      const after = (await pdbs.get('web-pdb')) as any;
      assert.equal(after.status.disruptionsAllowed, 0);
      assert.equal(after.status.disruptedPods, undefined);
    });
  }

  test('dryRun checks the budget and changes nothing', async () => {
    await pod('web-1', { ready: true });
    await pdb('web-pdb', { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3 });
    const res = await evict('web-1', {}, '?dryRun=All');
    assert.equal(res.status, 201);
    assert.ok(await exists('web-1'));
    assert.equal(((await pdbs.get('web-pdb')) as any).status.disruptionsAllowed, 1);
    const p = (await pods.get('web-1')) as any;
    assert.equal(p.status.conditions.find((c: any) => c.type === 'DisruptionTarget'), undefined);
  });

  test('a name that differs from the URL is a 400', async () => {
    await pod('web-1', { ready: true });
    const res = await t.request('POST', '/api/v1/namespaces/default/pods/web-1/eviction', {
      body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'web-2' } },
    });
    assert.equal(res.status, 400);
    assert.equal(res.json().message, 'name in URL does not match name in Eviction object');
  });

  test('a policy/v1beta1 Eviction is accepted', async () => {
    await pod('web-1', { ready: true });
    const res = await t.request('POST', '/api/v1/namespaces/default/pods/web-1/eviction', {
      body: { apiVersion: 'policy/v1beta1', kind: 'Eviction', metadata: { name: 'web-1' } },
    });
    assert.equal(res.status, 201);
    assert.equal(await exists('web-1'), false);
  });

  test('deleteOptions preconditions reach the delete: a stale uid is a 409 and the pod stays', async () => {
    await pod('web-1', { ready: true });
    const res = await evict('web-1', { deleteOptions: { preconditions: { uid: 'not-the-uid' } } });
    assert.equal(res.status, 409);
    assert.match(res.json().message, /the UID in the precondition \(not-the-uid\) does not match the UID in record/);
    assert.ok(await exists('web-1'));
  });

  test('deleteOptions propagationPolicy reaches the delete', async () => {
    await pod('web-1', { ready: true });
    assert.equal((await evict('web-1', { deleteOptions: { propagationPolicy: 'Orphan' } })).status, 201);
    const p = (await pods.get('web-1')) as any;
    assert.deepEqual(p.metadata.finalizers, ['orphan']);
  });

  test('malformed deleteOptions are a 400 and unsupported values a 422, leaving the pod', async () => {
    await pod('web-1', { ready: true });
    const typed = await evict('web-1', { deleteOptions: { gracePeriodSeconds: 'soon' } });
    assert.equal(typed.status, 400);
    assert.match(typed.json().message, /cannot unmarshal string into Go struct field Eviction.deleteOptions.gracePeriodSeconds of type int64/);
    const dry = await evict('web-1', { deleteOptions: { dryRun: ['Some'] } });
    assert.equal(dry.status, 422);
    assert.equal(dry.json().message, 'DeleteOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: ["Some"]: supported values: "All"');
    assert.ok(await exists('web-1'));
  });

  test('a missing pod is a 404', async () => {
    const res = await evict('nope');
    assert.equal(res.status, 404);
    assert.equal(res.json().message, 'pods "nope" not found');
  });
});
