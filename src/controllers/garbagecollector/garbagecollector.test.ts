import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import type { KubeObject, OwnerReference } from '../../api/types.js';
import { startTestServer, type TestServer } from '../../apiserver/testing.js';
import { isNotFound, RestClient, type ResourceClient } from '../../client/rest.js';
import { eventually } from '../../client/testing.js';
import { InProcessTransport, type Transport, type TransportRequest, type TransportResponse } from '../../client/transport.js';
import { SharedInformerFactory } from '../../client/informer.js';
import { GarbageCollector } from './garbagecollector.js';
import { startNamespaceController } from '../namespace/testing.js';
import { CONFIGMAPS, DEPLOYMENTS, NAMESPACES, PODS, REPLICASETS } from '../../client/refs.js';

// The collector runs as kube-controller-manager's identity would (the lead adds the
// system:controller:generic-garbage-collector binding; system:masters stands in for now).
const GC_USER = { username: 'system:kube-controller-manager', groups: ['system:masters', 'system:authenticated'] };

function ref(owner: KubeObject, opts: { block?: boolean; controller?: boolean } = {}): OwnerReference {
  const r: OwnerReference = { apiVersion: owner.apiVersion!, kind: owner.kind!, name: owner.metadata.name!, uid: owner.metadata.uid! };
  if (opts.controller) r.controller = true;
  if (opts.block !== undefined) r.blockOwnerDeletion = opts.block;
  return r;
}

function cm(name: string, owners: OwnerReference[] = [], finalizers?: string[]): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', ownerReferences: owners, ...(finalizers ? { finalizers } : {}) }, data: { k: name } };
}

const podSpec = { containers: [{ name: 'app', image: 'nginx' }] };

describe('GarbageCollector', () => {
  let t: TestServer;
  let client: RestClient;
  let gc: GarbageCollector;
  let stop: AbortController;
  let cms: ResourceClient;
  let logs: string[];

  beforeEach(async () => {
    t = await startTestServer();
    client = new RestClient(new InProcessTransport(t.server, { username: 'kubernetes-admin', groups: ['system:masters'] }));
    cms = client.resource(CONFIGMAPS).namespace('default');
    stop = new AbortController();
    logs = [];
    gc = new GarbageCollector({
      client: new RestClient(new InProcessTransport(t.server, GC_USER)),
      clock: t.clock,
      workers: 3,
      log: (m, e) => logs.push(e === undefined ? m : `${m}: ${String(e)}`),
    });
    gc.start(stop.signal);
    await eventually(() => gc.isSynced(), { clock: t.clock, stepMs: 10 });
  });
  afterEach(() => {
    stop.abort();
    t.stop();
  });

  async function exists(rc: ResourceClient, name: string): Promise<boolean> {
    try {
      await rc.get(name);
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }

  async function gone(rc: ResourceClient, ...names: string[]): Promise<void> {
    await eventually(async () => (await Promise.all(names.map((n) => exists(rc, n)))).every((x) => !x), {
      clock: t.clock,
      stepMs: 50,
      describe: () => `${names.join(', ')} still exist; gc log: ${logs.join(' | ')}`,
    });
  }

  /** Records the order of DELETED events of configmaps. */
  async function deletionOrder(): Promise<{ order: string[]; stop(): void }> {
    const w = await cms.watch({ resourceVersion: String(t.store.currentRevision()) });
    const order: string[] = [];
    void (async () => {
      for await (const ev of w) if (ev.type === 'DELETED') order.push(ev.object.metadata.name!);
    })();
    return { order, stop: () => w.close() };
  }

  test('Background: deletes the dependents of an owner that was deleted', async () => {
    const owner = await cms.create(cm('bg-owner'));
    await cms.create(cm('bg-dep-1', [ref(owner)]));
    await cms.create(cm('bg-dep-2', [ref(owner, { controller: true, block: true })]));
    await cms.create(cm('bg-bystander'));
    await cms.delete('bg-owner', { propagationPolicy: 'Background' });
    await gone(cms, 'bg-dep-1', 'bg-dep-2');
    assert.ok(await exists(cms, 'bg-bystander'));
  });

  test('Background: cascades down a Deployment → ReplicaSet → Pod chain across resources', async () => {
    const deps = client.resource(DEPLOYMENTS).namespace('default');
    const rss = client.resource(REPLICASETS).namespace('default');
    const pods = client.resource(PODS).namespace('default');
    const d = await deps.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: podSpec } },
    });
    const rs = await rss.create({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web-7d4b9c', labels: { app: 'web' }, ownerReferences: [ref(d, { controller: true, block: true })] },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: podSpec } },
    });
    for (const name of ['web-7d4b9c-a', 'web-7d4b9c-b']) {
      await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'web' }, ownerReferences: [ref(rs, { controller: true, block: true })] }, spec: podSpec });
    }
    await deps.delete('web');
    await gone(rss, 'web-7d4b9c');
    await gone(pods, 'web-7d4b9c-a', 'web-7d4b9c-b');
  });

  test('deletes a dependent whose owner never existed, verified by a live GET', async () => {
    await cms.create(cm('orphaned-from-birth', [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: '00000000-0000-0000-0000-000000000001' }]));
    await gone(cms, 'orphaned-from-birth');
  });

  test('deletes a dependent whose owner was replaced by another object with the same name (uid mismatch)', async () => {
    const first = await cms.create(cm('reborn'));
    await cms.delete('reborn');
    // Recreated before the dependent exists: the name resolves, the uid does not.
    await cms.create(cm('reborn'));
    await cms.create(cm('stale-dep', [ref(first)]));
    await gone(cms, 'stale-dep');
    assert.ok(await exists(cms, 'reborn'), 'the new object of that name is no one\'s dependent and stays');
  });

  test('keeps a dependent that still has a live owner, dropping only the dangling reference', async () => {
    const alive = await cms.create(cm('alive-owner'));
    const doomed = await cms.create(cm('doomed-owner'));
    await cms.create(cm('two-owners', [ref(alive), ref(doomed)]));
    await cms.delete('doomed-owner');
    await eventually(async () => (await cms.get('two-owners')).metadata.ownerReferences?.length === 1, { clock: t.clock, stepMs: 50 });
    const dep = await cms.get('two-owners');
    assert.deepEqual(dep.metadata.ownerReferences?.map((r) => r.name), ['alive-owner']);
  });

  test('Foreground: deletes blocking dependents first, then the owner, through a chain', async () => {
    const owner = await cms.create(cm('fg-owner'));
    const mid = await cms.create(cm('fg-mid', [ref(owner, { block: true })]));
    await cms.create(cm('fg-leaf', [ref(mid, { block: true })]));
    const watch = await deletionOrder();
    await cms.delete('fg-owner', { propagationPolicy: 'Foreground' });
    const during = await cms.get('fg-owner');
    assert.ok(during.metadata.deletionTimestamp, 'the owner waits with a deletionTimestamp');
    await gone(cms, 'fg-owner', 'fg-mid', 'fg-leaf');
    await eventually(() => watch.order.length === 3, { clock: t.clock, stepMs: 10 });
    watch.stop();
    assert.deepEqual(watch.order, ['fg-leaf', 'fg-mid', 'fg-owner'], 'each owner goes after its dependents');
  });

  test('Foreground: a dependent with blockOwnerDeletion holds the owner until it is gone', async () => {
    const owner = await cms.create(cm('hold-owner'));
    // The dependent has a finalizer of its own, so it lingers after the collector deletes it.
    await cms.create(cm('hold-dep', [ref(owner, { block: true })], ['example.com/hold']));
    await cms.delete('hold-owner', { propagationPolicy: 'Foreground' });
    await eventually(async () => !!(await cms.get('hold-dep')).metadata.deletionTimestamp, { clock: t.clock, stepMs: 50 });
    await t.clock.advance(5_000);
    const held = await cms.get('hold-owner');
    assert.deepEqual(held.metadata.finalizers, ['foregroundDeletion'], 'the owner is still waiting');
    await cms.patch('hold-dep', 'merge', { metadata: { finalizers: null } });
    await gone(cms, 'hold-dep', 'hold-owner');
  });

  test('Foreground: dependents without blockOwnerDeletion are deleted but do not hold the owner', async () => {
    const owner = await cms.create(cm('nb-owner'));
    await cms.create(cm('nb-dep', [ref(owner, { block: false })], ['example.com/hold']));
    await cms.delete('nb-owner', { propagationPolicy: 'Foreground' });
    await gone(cms, 'nb-owner');
    assert.ok((await cms.get('nb-dep')).metadata.deletionTimestamp, 'the dependent was deleted too');
  });

  test('Foreground: an owner with no dependents loses its finalizer and goes', async () => {
    await cms.create(cm('lonely'));
    await cms.delete('lonely', { propagationPolicy: 'Foreground' });
    await gone(cms, 'lonely');
  });

  test('Orphan: removes the owner from its dependents\' references, then the orphan finalizer', async () => {
    // The API server adds the orphan finalizer for propagationPolicy=Orphan; here the owner carries it from the start.
    const owner = await cms.create(cm('orphan-owner', [], ['orphan']));
    const other = await cms.create(cm('other-owner'));
    await cms.create(cm('orphan-dep-1', [ref(owner, { block: true })]));
    await cms.create(cm('orphan-dep-2', [ref(owner), ref(other)]));
    await cms.delete('orphan-owner');
    await gone(cms, 'orphan-owner');
    assert.equal((await cms.get('orphan-dep-1')).metadata.ownerReferences, undefined);
    assert.deepEqual((await cms.get('orphan-dep-2')).metadata.ownerReferences?.map((r) => r.name), ['other-owner']);
  });

  test('Orphan: DELETE with propagationPolicy=Orphan leaves the dependents', async (tc) => {
    await cms.create(cm('probe'));
    const answer = (await cms.delete('probe', { propagationPolicy: 'Orphan' })) as KubeObject;
    if (!answer.metadata?.finalizers?.includes('orphan')) {
      tc.skip('the API server does not add the orphan finalizer for propagationPolicy=Orphan yet');
      return;
    }
    await gone(cms, 'probe');
    const owner = await cms.create(cm('op-owner'));
    await cms.create(cm('op-dep', [ref(owner, { block: true })]));
    await cms.delete('op-owner', { propagationPolicy: 'Orphan' });
    await gone(cms, 'op-owner');
    assert.equal((await cms.get('op-dep')).metadata.ownerReferences, undefined);
  });

  test('a namespaced dependent may have a cluster-scoped owner', async () => {
    const ns = await client.resource(NAMESPACES).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'owned-ns-owner' } });
    // A namespace owning a configmap elsewhere: cluster-scoped owners are valid from any namespace.
    await cms.create(cm('owned-by-namespace', [ref(ns)]));
    await t.clock.advance(2_000);
    assert.ok(await exists(cms, 'owned-by-namespace'), 'a live cluster-scoped owner is solid');
    // The namespace controller finalizes the namespace once it is empty.
    const stopNamespaces = startNamespaceController(t.server, t.clock);
    try {
      await client.resource(NAMESPACES).delete('owned-ns-owner');
      await eventually(async () => !(await exists(client.resource(NAMESPACES), 'owned-ns-owner')), { clock: t.clock, stepMs: 100 });
    } finally {
      stopNamespaces();
    }
    await gone(cms, 'owned-by-namespace');
  });

  test('a namespaced owner in another namespace counts as absent', async () => {
    await client.resource(NAMESPACES).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'elsewhere' } });
    const foreign = await client.resource(CONFIGMAPS).namespace('elsewhere').create({ ...cm('foreign-owner'), metadata: { name: 'foreign-owner', namespace: 'elsewhere' } });
    // References name no namespace: the owner is looked up in the dependent's namespace, where it is not.
    await cms.create(cm('cross-namespace-dep', [ref(foreign)]));
    await gone(cms, 'cross-namespace-dep');
    assert.ok(await exists(client.resource(CONFIGMAPS).namespace('elsewhere'), 'foreign-owner'));
  });

  test('forgets owners once gone: the graph drops their nodes', async () => {
    const owner = await cms.create(cm('graph-owner'));
    const dep = await cms.create(cm('graph-dep', [ref(owner)]));
    await eventually(() => gc.graphHasUID(owner.metadata.uid!) && gc.graphHasUID(dep.metadata.uid!), { clock: t.clock, stepMs: 10 });
    await cms.delete('graph-owner');
    await gone(cms, 'graph-dep');
    await eventually(() => !gc.graphHasUID(owner.metadata.uid!) && !gc.graphHasUID(dep.metadata.uid!), { clock: t.clock, stepMs: 10 });
  });
});

/** Hides one API group from discovery until reveal(), as a CRD that is not created yet. */
class HidingDiscoveryTransport implements Transport {
  hidden = true;
  constructor(
    private readonly inner: Transport,
    private readonly group: string,
  ) {}
  async request(req: TransportRequest): Promise<TransportResponse> {
    const res = await this.inner.request(req);
    if (!this.hidden || req.path !== '/apis' || res.status !== 200) return res;
    const doc = JSON.parse(res.body.toString('utf8')) as { items?: { metadata: { name: string } }[]; groups?: { name: string }[] };
    if (doc.items) doc.items = doc.items.filter((g) => g.metadata.name !== this.group);
    if (doc.groups) doc.groups = doc.groups.filter((g) => g.name !== this.group);
    // A rewritten document is not the one the server's ETag names (the client would be told its
    // copy of this one is current once the group shows).
    const { etag: _etag, ...headers } = res.headers;
    return { ...res, headers, body: Buffer.from(JSON.stringify(doc)) };
  }
  stream(req: TransportRequest) {
    return this.inner.stream(req);
  }
  close(): void {
    this.inner.close();
  }
}

describe('GarbageCollector discovery', () => {
  test('re-reads discovery periodically and starts collecting resources that appeared', async () => {
    const t = await startTestServer();
    const stop = new AbortController();
    try {
      const admin = new RestClient(new InProcessTransport(t.server, { username: 'kubernetes-admin', groups: ['system:masters'] }));
      const hiding = new HidingDiscoveryTransport(new InProcessTransport(t.server, GC_USER), 'apps');
      const gc = new GarbageCollector({ client: new RestClient(hiding), clock: t.clock, discoveryPeriodMs: 30_000, log: () => {} });
      gc.start(stop.signal);
      await eventually(() => gc.isSynced(), { clock: t.clock, stepMs: 10 });
      assert.ok(!gc.graph.monitoredResources().some((r) => r.group === 'apps'), 'apps is not discovered yet');

      const cms = admin.resource(CONFIGMAPS).namespace('default');
      const rss = admin.resource(REPLICASETS).namespace('default');
      const owner = await cms.create(cm('rs-owner'));
      await rss.create({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: 'owned-rs', ownerReferences: [ref(owner)] },
        spec: { selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x' } }, spec: podSpec } },
      });
      await cms.delete('rs-owner');
      await t.clock.advance(5_000);
      assert.ok(await rss.get('owned-rs'), 'an unmonitored resource is not collected');

      hiding.hidden = false;
      await t.clock.advance(30_000);
      await eventually(() => gc.graph.monitoredResources().some((r) => r.resource === 'replicasets') && gc.isSynced(), { clock: t.clock, stepMs: 10 });
      await eventually(
        async () => {
          try {
            await rss.get('owned-rs');
            return false;
          } catch (e) {
            return isNotFound(e);
          }
        },
        { clock: t.clock, stepMs: 50 },
      );
    } finally {
      stop.abort();
      t.stop();
    }
  });

  test('does not monitor events', async () => {
    const t = await startTestServer();
    const stop = new AbortController();
    try {
      const gc = new GarbageCollector({ client: new RestClient(new InProcessTransport(t.server, GC_USER)), clock: t.clock, log: () => {} });
      gc.start(stop.signal);
      await eventually(() => gc.isSynced(), { clock: t.clock, stepMs: 10 });
      const monitored = gc.graph.monitoredResources().map((r) => `${r.group}/${r.resource}`);
      assert.ok(monitored.includes('/configmaps') && monitored.includes('apps/deployments'));
      assert.ok(!monitored.includes('/events') && !monitored.includes('events.k8s.io/events'));
    } finally {
      stop.abort();
      t.stop();
    }
  });
});

describe('GarbageCollector and its stop signal', () => {
  test('monitors every resource with a fixed number of abort listeners on the signal it was started with', async () => {
    const t = await startTestServer();
    const stop = new AbortController();
    try {
      const gc = new GarbageCollector({ client: new RestClient(new InProcessTransport(t.server, GC_USER)), clock: t.clock, log: () => {} });
      gc.start(stop.signal);
      await eventually(() => gc.isSynced(), { clock: t.clock, stepMs: 10 });
      assert.ok(gc.graph.monitoredResources().length > 10, 'more monitors than Node allows listeners before warning');
      assert.ok(getEventListeners(stop.signal, 'abort').length <= 2, `${getEventListeners(stop.signal, 'abort').length} abort listeners`);
      stop.abort();
      assert.ok(gc.graph.monitoredResources().length > 0);
    } finally {
      stop.abort();
      t.stop();
    }
  });
});

describe('GarbageCollector and the controller manager\'s shared informers', () => {
  test('monitors a resource the controllers already watch through their informer, opening no watch of its own, and still collects', async () => {
    const t = await startTestServer();
    const stop = new AbortController();
    try {
      const admin = new RestClient(new InProcessTransport(t.server, { username: 'kubernetes-admin', groups: ['system:masters'] }));
      const factory = new SharedInformerFactory({ client: admin, clock: t.clock, log: () => {} });
      factory.forResource(CONFIGMAPS);
      factory.start(stop.signal);
      // Watches the collector's own identity opens, by resource.
      const watched: string[] = [];
      const inner = new InProcessTransport(t.server, GC_USER);
      const counting: Transport = {
        request: (r) => inner.request(r),
        stream: (r) => {
          watched.push(r.path);
          return inner.stream(r);
        },
        close: () => inner.close(),
      };
      const gc = new GarbageCollector({ client: new RestClient(counting), clock: t.clock, informers: factory, log: () => {} });
      gc.start(stop.signal);
      await eventually(() => gc.isSynced(), { clock: t.clock, stepMs: 10 });
      assert.ok(gc.graph.monitoredResources().some((r) => r.resource === 'configmaps'));
      assert.ok(!watched.some((p) => p.endsWith('/configmaps')), `the collector watched configmaps itself: ${watched.join(' ')}`);
      assert.ok(watched.some((p) => p.endsWith('/secrets')), 'resources no controller watches get monitors of their own');

      const cms = admin.resource(CONFIGMAPS).namespace('default');
      const owner = await cms.create(cm('owner'));
      await cms.create(cm('dependent', [ref(owner)]));
      await cms.delete('owner');
      await eventually(async () => !(await cms.list()).items.some((o) => o.metadata.name === 'dependent'), { clock: t.clock, stepMs: 50 });
    } finally {
      stop.abort();
      t.stop();
    }
  });
});
