import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../apiserver/testing.js';
import { RestClient, type ResourceClient } from '../../client/rest.js';
import { InProcessTransport } from '../../client/transport.js';
import { SharedInformerFactory } from '../../client/informer.js';
import { eventually } from '../../client/testing.js';
import type { KubeObject, OwnerReference } from '../../api/types.js';
import { DisruptionController } from './disruption.js';
import { labelSelectorGoString } from './intstr.js';
import { scaledValue } from '../../api/intstr.js';
import { DEPLOYMENTS, EVENTS, PDBS, PODS, REPLICASETS, STATEFULSETS } from '../../client/refs.js';

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } };

describe('scaledValue (intstr.GetScaledValueFromIntOrPercent, rounding up)', () => {
  const cases: [number | string, number, number][] = [
    [2, 10, 2],
    ['50%', 3, 2],
    ['34%', 3, 2],
    ['33%', 3, 1],
    ['0%', 5, 0],
    ['100%', 7, 7],
  ];
  for (const [v, total, want] of cases) test(`${JSON.stringify(v)} of ${total} is ${want}`, () => assert.equal(scaledValue(v, total, true), want));
  test('a string without % is refused with upstream text', () => {
    assert.throws(() => scaledValue('5', 10, true), /invalid value for IntOrString: invalid type: string is not a percentage/);
  });
  test('selectors print as Go prints *metav1.LabelSelector', () => {
    assert.equal(
      labelSelectorGoString({ matchLabels: { b: '2', a: '1' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['x', 'y'] }] }),
      '&LabelSelector{MatchLabels:map[string]string{a: 1,b: 2,},MatchExpressions:[]LabelSelectorRequirement{LabelSelectorRequirement{Key:tier,Operator:In,Values:[x y],},},}',
    );
  });
});

describe('DisruptionController', () => {
  let t: TestServer;
  let client: RestClient;
  let stop: AbortController;
  let dc: DisruptionController;
  let pods: ResourceClient;
  let pdbs: ResourceClient;

  beforeEach(async () => {
    t = await startTestServer();
    client = new RestClient(new InProcessTransport(t.server, { username: 'kubernetes-admin', groups: ['system:masters'] }));
    pods = client.resource(PODS).namespace('default');
    pdbs = client.resource(PDBS).namespace('default');
    stop = new AbortController();
    const informers = new SharedInformerFactory({ client, clock: t.clock });
    dc = new DisruptionController({ clock: t.clock, informers, clientFor: () => client, log: () => {} });
    informers.start(stop.signal);
    dc.start(stop.signal);
    await eventually(() => dc.hasSynced(), { clock: t.clock, stepMs: 10 });
  });
  afterEach(() => {
    stop.abort();
    t.stop();
  });

  function ownerRef(o: KubeObject): OwnerReference {
    return { apiVersion: o.apiVersion!, kind: o.kind!, name: o.metadata.name!, uid: o.metadata.uid!, controller: true, blockOwnerDeletion: true };
  }

  async function pod(name: string, opts: { ready?: boolean; owner?: KubeObject; labels?: Record<string, string> } = {}): Promise<KubeObject> {
    const created = await pods.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, labels: opts.labels ?? { app: 'web' }, ...(opts.owner ? { ownerReferences: [ownerRef(opts.owner)] } : {}) },
      spec: template.spec,
    });
    return pods.updateStatus({
      ...created,
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }] },
    });
  }

  async function replicaSet(name: string, replicas: number, owner?: KubeObject): Promise<KubeObject> {
    return client.resource(REPLICASETS).namespace('default').create({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name, ...(owner ? { ownerReferences: [ownerRef(owner)] } : {}) },
      spec: { replicas, selector: { matchLabels: { app: 'web' } }, template },
    });
  }

  async function pdb(spec: Record<string, unknown>, name = 'web-pdb'): Promise<KubeObject> {
    return pdbs.create({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name }, spec: { selector: { matchLabels: { app: 'web' } }, ...spec } });
  }

  async function statusOf(name = 'web-pdb', cond: (s: any) => boolean = (s) => s?.observedGeneration !== undefined, stepMs = 50): Promise<any> {
    let last: any;
    await eventually(
      async () => {
        last = ((await pdbs.get(name)) as any).status;
        return cond(last);
      },
      { clock: t.clock, stepMs, describe: () => JSON.stringify(last) },
    );
    return last;
  }

  function counters(s: any) {
    return { currentHealthy: s.currentHealthy, desiredHealthy: s.desiredHealthy, expectedPods: s.expectedPods, disruptionsAllowed: s.disruptionsAllowed };
  }

  async function events(reason: string): Promise<any[]> {
    return ((await client.resource(EVENTS).namespace('default').list()).items as any[]).filter((e) => e.reason === reason);
  }

  const budgets: { name: string; spec: Record<string, unknown>; replicas: number; ready: number; unready: number; want: Record<string, number> }[] = [
    { name: 'minAvailable int counts the selected pods as expected', spec: { minAvailable: 2 }, replicas: 5, ready: 3, unready: 0, want: { currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 1 } },
    { name: 'minAvailable percentage of the controller scale rounds up', spec: { minAvailable: '50%' }, replicas: 3, ready: 3, unready: 0, want: { currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 1 } },
    { name: 'maxUnavailable int subtracts from the controller scale', spec: { maxUnavailable: 1 }, replicas: 4, ready: 4, unready: 0, want: { currentHealthy: 4, desiredHealthy: 3, expectedPods: 4, disruptionsAllowed: 1 } },
    { name: 'maxUnavailable percentage rounds the unavailable count up', spec: { maxUnavailable: '34%' }, replicas: 3, ready: 3, unready: 0, want: { currentHealthy: 3, desiredHealthy: 1, expectedPods: 3, disruptionsAllowed: 2 } },
    { name: 'unready pods are not healthy', spec: { minAvailable: 2 }, replicas: 3, ready: 2, unready: 1, want: { currentHealthy: 2, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 0 } },
    { name: 'maxUnavailable 0 allows nothing', spec: { maxUnavailable: 0 }, replicas: 2, ready: 2, unready: 0, want: { currentHealthy: 2, desiredHealthy: 2, expectedPods: 2, disruptionsAllowed: 0 } },
  ];
  for (const c of budgets) {
    test(`status: ${c.name}`, async () => {
      const rs = await replicaSet('web-rs', c.replicas);
      for (let i = 0; i < c.ready; i++) await pod(`web-r${i}`, { owner: rs });
      for (let i = 0; i < c.unready; i++) await pod(`web-u${i}`, { owner: rs, ready: false });
      const created = await pdb(c.spec);
      const s = await statusOf('web-pdb', (s) => s?.expectedPods === c.want.expectedPods && s?.currentHealthy === c.want.currentHealthy);
      assert.deepEqual(counters(s), c.want);
      assert.equal(s.observedGeneration, created.metadata.generation);
      const cond = s.conditions.find((x: any) => x.type === 'DisruptionAllowed');
      assert.deepEqual(
        { status: cond.status, reason: cond.reason, message: cond.message, observedGeneration: cond.observedGeneration },
        c.want.disruptionsAllowed > 0
          ? { status: 'True', reason: 'SufficientPods', message: '', observedGeneration: created.metadata.generation }
          : { status: 'False', reason: 'InsufficientPods', message: '', observedGeneration: created.metadata.generation },
      );
    });
  }

  test('expectedPods of pods under a Deployment come from the Deployment, not its ReplicaSet', async () => {
    const d = await client.resource(DEPLOYMENTS).namespace('default').create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 5, selector: { matchLabels: { app: 'web' } }, template },
    });
    const rs = await replicaSet('web-abc', 3, d);
    for (let i = 0; i < 3; i++) await pod(`web-abc-${i}`, { owner: rs });
    await pdb({ maxUnavailable: '20%' });
    const s = await statusOf('web-pdb', (s) => s?.expectedPods === 5);
    assert.deepEqual(counters(s), { currentHealthy: 3, desiredHealthy: 4, expectedPods: 5, disruptionsAllowed: 0 });
  });

  test('expectedPods of StatefulSet pods come from the StatefulSet', async () => {
    const ss = await client.resource(STATEFULSETS).namespace('default').create({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db' },
      spec: { replicas: 3, serviceName: 'db', selector: { matchLabels: { app: 'web' } }, template },
    });
    for (let i = 0; i < 3; i++) await pod(`db-${i}`, { owner: ss });
    await pdb({ minAvailable: '60%' });
    const s = await statusOf('web-pdb', (s) => s?.expectedPods === 3);
    assert.deepEqual(counters(s), { currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 1 });
  });

  test('status follows readiness: a pod turning unready takes the allowance away', async () => {
    const rs = await replicaSet('web-rs', 3);
    for (let i = 0; i < 3; i++) await pod(`web-${i}`, { owner: rs });
    await pdb({ minAvailable: 2 });
    await statusOf('web-pdb', (s) => s?.disruptionsAllowed === 1);
    const p = (await pods.get('web-0')) as any;
    p.status.conditions[0].status = 'False';
    await pods.updateStatus(p);
    const s = await statusOf('web-pdb', (s) => s?.currentHealthy === 2);
    assert.equal(s.disruptionsAllowed, 0);
    assert.equal(s.conditions[0].reason, 'InsufficientPods');
  });

  test('percentages over unmanaged pods warn with UnmanagedPods', async () => {
    await pod('bare-1');
    await pdb({ maxUnavailable: '50%' });
    const s = await statusOf('web-pdb', (s) => s?.observedGeneration === 1);
    assert.deepEqual(counters(s), { currentHealthy: 1, desiredHealthy: 0, expectedPods: 0, disruptionsAllowed: 0 });
    await eventually(async () => (await events('UnmanagedPods')).length > 0, { clock: t.clock, stepMs: 50 });
    const ev = (await events('UnmanagedPods'))[0];
    assert.equal(ev.type, 'Warning');
    assert.equal(
      ev.message,
      'Pods selected by this PodDisruptionBudget (selector: &LabelSelector{MatchLabels:map[string]string{app: web,},MatchExpressions:[]LabelSelectorRequirement{},}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.',
    );
  });

  test('a pod whose controller cannot be found fails safe with SyncFailed', async () => {
    const ghost = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'gone', uid: 'uid-gone' } } as KubeObject;
    await pod('orphan-1', { owner: ghost });
    await pdb({ maxUnavailable: 1 });
    const s = await statusOf('web-pdb', (s) => s?.conditions?.[0]?.reason === 'SyncFailed');
    assert.equal(s.disruptionsAllowed, 0);
    assert.equal(s.conditions[0].status, 'False');
    assert.equal(s.conditions[0].message, 'found no controllers for pod "orphan-1"');
    await eventually(async () => (await events('CalculateExpectedPodCountFailed')).length > 0, { clock: t.clock, stepMs: 50 });
  });

  test('a budget selecting nothing reports NoPods and allows nothing', async () => {
    await pdb({ minAvailable: 1 });
    const s = await statusOf();
    assert.deepEqual(counters(s), { currentHealthy: 0, desiredHealthy: 1, expectedPods: 0, disruptionsAllowed: 0 });
    await eventually(async () => (await events('NoPods')).some((e) => e.message === 'No matching pods found'), { clock: t.clock, stepMs: 50 });
  });

  test('disruptedPods keeps a pending eviction out of currentHealthy, then drops it after 2 minutes', async () => {
    const rs = await replicaSet('web-rs', 3);
    for (let i = 0; i < 3; i++) await pod(`web-${i}`, { owner: rs });
    await pdb({ minAvailable: 1 });
    const first = await statusOf('web-pdb', (s) => s?.disruptionsAllowed === 2);
    // What the eviction handler writes just before it deletes a pod; here the pod is never deleted.
    const current = (await pdbs.get('web-pdb')) as any;
    const at = new Date(t.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await pdbs.updateStatus({ ...current, status: { ...first, disruptionsAllowed: 1, disruptedPods: { 'web-0': at } } });
    const pending = await statusOf('web-pdb', (s) => s?.currentHealthy === 2);
    assert.deepEqual(pending.disruptedPods, { 'web-0': at });
    assert.equal(pending.disruptionsAllowed, 1);
    await t.clock.advance(60_000);
    assert.deepEqual(((await pdbs.get('web-pdb')) as any).status.disruptedPods, { 'web-0': at });
    const pruned = await statusOf('web-pdb', (s) => s?.disruptedPods === undefined, 1000);
    assert.equal(pruned.currentHealthy, 3);
    assert.equal(pruned.disruptionsAllowed, 2);
    assert.ok(t.clock.now() - Date.parse(at) >= 120_000);
    await eventually(async () => (await events('NotDeleted')).length > 0, { clock: t.clock, stepMs: 50 });
    assert.equal((await events('NotDeleted'))[0].message, "Pod was expected by PDB default/default to be deleted but it wasn't");
  });

  test('observedGeneration follows spec changes', async () => {
    const rs = await replicaSet('web-rs', 3);
    for (let i = 0; i < 3; i++) await pod(`web-${i}`, { owner: rs });
    const created = await pdb({ minAvailable: 1 });
    await statusOf('web-pdb', (s) => s?.disruptionsAllowed === 2);
    const cur = (await pdbs.get('web-pdb')) as any;
    await pdbs.update({ ...cur, spec: { ...cur.spec, minAvailable: 3 } });
    const s = await statusOf('web-pdb', (s) => s?.observedGeneration === (created.metadata.generation ?? 0) + 1);
    assert.deepEqual(counters(s), { currentHealthy: 3, desiredHealthy: 3, expectedPods: 3, disruptionsAllowed: 0 });
  });

  test('a stale DisruptionTarget condition is reset to False after 2 minutes', async () => {
    const p = await pod('web-0');
    const withCond = (await pods.get('web-0')) as any;
    withCond.status.conditions.push({ type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting', lastTransitionTime: new Date(t.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z') });
    await pods.updateStatus(withCond);
    assert.ok(p);
    await t.clock.advance(60_000);
    let cond = ((await pods.get('web-0')) as any).status.conditions.find((c: any) => c.type === 'DisruptionTarget');
    assert.equal(cond.status, 'True');
    await eventually(
      async () => {
        cond = ((await pods.get('web-0')) as any).status.conditions.find((c: any) => c.type === 'DisruptionTarget');
        return cond.status === 'False';
      },
      { clock: t.clock, stepMs: 1000, maxRounds: 200 },
    );
    assert.equal(cond.reason, undefined);
  });
});
