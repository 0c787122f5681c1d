import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/types.js';
import { startTestServer, type TestServer } from '../apiserver/testing.js';
import { DeletedFinalStateUnknown, Indexer, SharedInformer, SharedInformerFactory, type EventHandler, type ListerWatcher } from './informer.js';
import { VirtualClock } from '../sim/clock.js';
import { RestClient, type ResourceClient, type ResourceRef } from './rest.js';
import { ControllableTransport, eventually, settle } from './testing.js';
import { InProcessTransport } from './transport.js';

const ADMIN = { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };
const CONFIGMAPS: ResourceRef = { group: '', version: 'v1', resource: 'configmaps', namespaced: true, kind: 'ConfigMap' };

function cm(name: string, ns = 'default', labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, labels }, data: { v: '0' } };
}

/** Records what handlers heard, and keeps a handler-built mirror of the cache. */
class Recorder implements EventHandler {
  readonly log: string[] = [];
  readonly mirror = new Map<string, string>();
  tombstones = 0;
  onAdd(obj: KubeObject) {
    this.log.push(`add ${obj.metadata.name}`);
    this.mirror.set(`${obj.metadata.namespace}/${obj.metadata.name}`, obj.metadata.resourceVersion!);
  }
  onUpdate(oldObj: KubeObject, obj: KubeObject) {
    this.log.push(`update ${obj.metadata.name}${oldObj === obj ? ' (resync)' : ''}`);
    this.mirror.set(`${obj.metadata.namespace}/${obj.metadata.name}`, obj.metadata.resourceVersion!);
  }
  onDelete(obj: KubeObject | DeletedFinalStateUnknown) {
    const o = obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
    if (obj instanceof DeletedFinalStateUnknown) this.tombstones++;
    this.log.push(`delete ${o.metadata.name}${obj instanceof DeletedFinalStateUnknown ? ' (tombstone)' : ''}`);
    this.mirror.delete(`${o.metadata.namespace}/${o.metadata.name}`);
  }
}

describe('SharedInformer', () => {
  let t: TestServer;
  let transport: ControllableTransport;
  let client: RestClient;
  let cms: ResourceClient;
  let stop: AbortController;

  beforeEach(async () => {
    t = await startTestServer();
    transport = new ControllableTransport(new InProcessTransport(t.server, ADMIN));
    client = new RestClient(transport);
    cms = client.resource(CONFIGMAPS);
    stop = new AbortController();
  });
  afterEach(() => {
    stop.abort();
    t.stop();
  });

  function informer(opts: { resyncPeriodMs?: number; pageSize?: number } = {}) {
    return new SharedInformer<KubeObject>({ lw: cms, clock: t.clock, minWatchTimeoutMs: 60_000, log: () => {}, ...opts });
  }

  async function serverState(): Promise<Map<string, string>> {
    const list = await cms.listAll();
    return new Map(list.items.map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, o.metadata.resourceVersion!]));
  }

  function cacheState(inf: SharedInformer): Map<string, string> {
    return new Map(inf.indexer.list().map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, o.metadata.resourceVersion!]));
  }

  test('lists in pages, syncs, then follows adds, updates and deletes from the watch', async () => {
    for (let i = 0; i < 5; i++) await cms.create(cm(`pre-${i}`));
    const inf = informer({ pageSize: 2 });
    const rec = new Recorder();
    inf.addEventHandler(rec);
    assert.equal(inf.hasSynced(), false);
    inf.start(stop.signal);
    await inf.waitForSync();
    assert.deepEqual(rec.log, ['add pre-0', 'add pre-1', 'add pre-2', 'add pre-3', 'add pre-4']);
    rec.log.length = 0;
    await cms.create(cm('live'));
    await cms.namespace('default').patch('live', 'merge', { data: { v: '1' } });
    await cms.namespace('default').delete('pre-0');
    await eventually(() => rec.log.length === 3);
    assert.deepEqual(rec.log, ['add live', 'update live', 'delete pre-0']);
    assert.deepEqual(cacheState(inf), await serverState());
    assert.equal(inf.listCount, 1);
  });

  test('re-watches from the last resourceVersion it saw when a watch ends, without relisting', async () => {
    const inf = informer();
    const rec = new Recorder();
    inf.addEventHandler(rec);
    inf.start(stop.signal);
    await inf.waitForSync();
    await cms.create(cm('before-drop'));
    await eventually(() => rec.mirror.has('default/before-drop'));
    transport.hold();
    transport.dropStreams();
    // Written while no watch is open: the next watch must replay them from the last resourceVersion.
    await cms.create(cm('while-down'));
    await cms.namespace('default').delete('before-drop');
    transport.release();
    await eventually(() => rec.mirror.has('default/while-down') && !rec.mirror.has('default/before-drop'));
    assert.equal(inf.listCount, 1, 'no relist');
    assert.ok(inf.watchCount >= 2);
    assert.equal(rec.tombstones, 0, 'deletions came from the watch, not a relist');
  });

  test('re-watches when the server ends a watch at its timeoutSeconds', async () => {
    const inf = informer();
    inf.start(stop.signal);
    await inf.waitForSync();
    const watches = inf.watchCount;
    await t.clock.advance(121_000); // past the 2 × 60 s ceiling of timeoutSeconds
    await settle();
    assert.ok(inf.watchCount > watches, 'opened a new watch');
    await cms.create(cm('after-timeout'));
    await eventually(() => !!inf.lister.get('default', 'after-timeout'));
    assert.equal(inf.listCount, 1);
  });

  test('relists on 410 Expired and reports deletions it missed as DeletedFinalStateUnknown', async () => {
    await cms.create(cm('doomed'));
    await cms.create(cm('survivor'));
    const inf = informer();
    const rec = new Recorder();
    inf.addEventHandler(rec);
    inf.start(stop.signal);
    await inf.waitForSync();
    transport.hold();
    transport.dropStreams();
    await cms.namespace('default').delete('doomed');
    await cms.create(cm('newcomer'));
    await t.store.compact(t.store.currentRevision());
    transport.release();
    await eventually(() => inf.listCount === 2 && rec.mirror.has('default/newcomer'), { clock: t.clock, describe: () => `lists ${inf.listCount} watches ${inf.watchCount} streams ${transport.streams} open ${transport.openStreams} rv ${inf.lastSyncResourceVersion} compacted ${t.store.compactRevision()} log ${rec.log}` });
    assert.ok(rec.log.includes('delete doomed (tombstone)'), rec.log.join(', '));
    assert.equal(rec.tombstones, 1);
    assert.ok(rec.log.includes('update survivor'), 'relisted objects already cached are updates');
    assert.deepEqual(cacheState(inf), await serverState());
  });

  test('stays consistent with the server under many concurrent writes, dropped watches and a forced 410', async () => {
    const inf = informer();
    const rec = new Recorder();
    inf.addEventHandler(rec);
    inf.start(stop.signal);
    await inf.waitForSync();
    const names = Array.from({ length: 20 }, (_, i) => `c-${i}`);
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    let ops = 0;
    const writer = async (id: number) => {
      for (let i = 0; i < 60; i++) {
        const name = names[rand(names.length)];
        const ns = cms.namespace('default');
        try {
          const op = rand(3);
          if (op === 0) await ns.create(cm(name));
          else if (op === 1) await ns.patch(name, 'merge', { data: { v: `${id}-${i}` } });
          else await ns.delete(name);
        } catch (e) {
          if (![404, 409].includes((e as { code?: number }).code ?? 0)) throw e;
        }
        ops++;
        await settle(1);
      }
    };
    const writers = Promise.all([1, 2, 3, 4].map(writer));
    const disruptions = (async () => {
      for (let round = 1; round <= 6; round++) {
        // Disrupt while the writers are mid-flight: every 30 operations.
        while (ops < round * 30) await t.clock.advance(200); // lets a backed-off informer reconnect
        if (round === 3) {
          // Hold the reconnect, let writes land, compact them away: the re-watch gets 410.
          transport.hold();
          transport.dropStreams();
          await cms.namespace('default').create(cm('written-while-down'));
          await t.store.compact(t.store.currentRevision());
          transport.release();
        } else {
          transport.dropStreams();
        }
        // The next disruption waits for the informer to be watching again.
        while (transport.openStreams === 0) await t.clock.advance(200);
      }
    })();
    await Promise.all([writers, disruptions]);
    const want = await serverState();
    await eventually(() => cacheState(inf).size === want.size && [...want].every(([k, v]) => cacheState(inf).get(k) === v), {
      clock: t.clock,
      describe: () => `cache ${JSON.stringify([...cacheState(inf)])} server ${JSON.stringify([...want])}`,
    });
    assert.deepEqual(cacheState(inf), want);
    assert.deepEqual(rec.mirror, want, 'handlers saw the same history the cache holds');
    assert.ok(inf.listCount >= 2, 'the forced 410 caused a relist');
    assert.ok(inf.watchCount >= 7, `reconnected after the drops (${inf.watchCount} watches)`);
  });

  test('resyncs every period: handlers get updates with identical objects', async () => {
    await cms.create(cm('r-1'));
    await cms.create(cm('r-2'));
    const inf = informer({ resyncPeriodMs: 30_000 });
    const rec = new Recorder();
    inf.addEventHandler(rec);
    const quiet = new Recorder();
    inf.addEventHandler(quiet, 0);
    inf.start(stop.signal);
    await inf.waitForSync();
    rec.log.length = 0;
    await t.clock.advance(30_000);
    assert.deepEqual(rec.log.sort(), ['update r-1 (resync)', 'update r-2 (resync)']);
    assert.ok(!quiet.log.some((l) => l.includes('resync')), 'a handler without a resync period gets none');
  });

  test('a handler added after sync hears every cached object as an add', async () => {
    await cms.create(cm('late-1'));
    const inf = informer();
    inf.start(stop.signal);
    await inf.waitForSync();
    const rec = new Recorder();
    inf.addEventHandler(rec);
    assert.deepEqual(rec.log, ['add late-1']);
  });

  test('a removed handler hears nothing more, neither changes nor resyncs, while the others do', async () => {
    await cms.create(cm('rm-1'));
    const inf = informer({ resyncPeriodMs: 30_000 });
    const kept = new Recorder();
    const removed = new Recorder();
    inf.addEventHandler(kept);
    inf.addEventHandler(removed);
    inf.start(stop.signal);
    await inf.waitForSync();
    inf.removeEventHandler(removed);
    removed.log.length = 0;
    kept.log.length = 0;
    await cms.create(cm('rm-2'));
    await t.clock.advance(30_000);
    await eventually(() => kept.log.includes('add rm-2'), { clock: t.clock });
    assert.ok(kept.log.includes('update rm-1 (resync)'));
    assert.deepEqual(removed.log, []);
  });

  test('the lister reads by namespace, label selector and custom index', async () => {
    await client.resource({ group: '', version: 'v1', resource: 'namespaces', namespaced: false }).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } });
    await cms.create(cm('a', 'default', { app: 'web' }));
    await cms.create(cm('b', 'default', { app: 'db' }));
    await cms.create(cm('c', 'other', { app: 'web' }));
    const inf = informer();
    inf.addIndexers({ byApp: (o) => (o.metadata.labels?.app ? [o.metadata.labels.app] : []) });
    inf.start(stop.signal);
    await inf.waitForSync();
    const names = (objs: KubeObject[]) => objs.map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort();
    assert.deepEqual(names(inf.lister.list('default')), ['default/a', 'default/b']);
    assert.deepEqual(names(inf.lister.list(undefined, 'app=web')), ['default/a', 'other/c']);
    assert.deepEqual(names(inf.lister.byIndex('byApp', 'web')), ['default/a', 'other/c']);
    assert.equal(inf.lister.get('other', 'c')?.metadata.name, 'c');
    await cms.namespace('default').patch('a', 'merge', { metadata: { labels: { app: 'db' } } });
    await eventually(() => inf.lister.byIndex('byApp', 'db').length === 2);
    assert.deepEqual(names(inf.lister.byIndex('byApp', 'web')), ['other/c'], 'the index follows updates');
  });
});

describe('SharedInformer against a server that closes watches at once', () => {
  test('backs off on the clock instead of reconnecting in a hot loop', async () => {
    const clock = new VirtualClock();
    let watches = 0;
    const lw: ListerWatcher<KubeObject> = {
      async list() {
        return { apiVersion: 'v1', kind: 'ConfigMapList', metadata: { resourceVersion: '7' }, items: [] };
      },
      async watch() {
        watches++;
        return { close() {}, async *[Symbol.asyncIterator]() {} };
      },
    };
    const stop = new AbortController();
    const inf = new SharedInformer<KubeObject>({ lw, clock, log: () => {} });
    inf.start(stop.signal);
    await settle(50);
    assert.equal(watches, 1, 'waits before the second watch');
    await clock.advance(800);
    assert.equal(watches, 2);
    await clock.advance(1600);
    assert.equal(watches, 3, 'the wait doubles');
    assert.equal(inf.listCount, 1, 'short watches do not relist');
    stop.abort();
  });
});

describe('Indexer', () => {
  test('re-indexes an object whose indexed value changed and forgets deleted ones', () => {
    const idx = new Indexer<KubeObject>({ byLabel: (o) => Object.values(o.metadata.labels ?? {}) });
    idx.set(cm('x', 'default', { a: 'one' }));
    idx.set(cm('x', 'default', { a: 'two' }));
    assert.deepEqual(idx.byIndex('byLabel', 'one'), []);
    assert.equal(idx.byIndex('byLabel', 'two').length, 1);
    idx.delete('default/x');
    assert.deepEqual(idx.byIndex('byLabel', 'two'), []);
    assert.deepEqual(idx.byIndex('namespace', 'default'), []);
    assert.throws(() => idx.byIndex('nope', 'x'), { message: 'Index with name nope does not exist' });
  });

  const transitions: { name: string; from: Record<string, string>; to: Record<string, string> }[] = [
    { name: 'an unchanged single value keeps the object under it', from: { a: 'one' }, to: { a: 'one' } },
    { name: 'a single value replaced by another', from: { a: 'one' }, to: { a: 'two' } },
    { name: 'one value becoming two', from: { a: 'one' }, to: { a: 'one', b: 'two' } },
    { name: 'two values becoming one', from: { a: 'one', b: 'two' }, to: { b: 'two' } },
    { name: 'values becoming none', from: { a: 'one', b: 'two' }, to: {} },
    { name: 'none becoming a value', from: {}, to: { a: 'one' } },
  ];
  for (const t of transitions) {
    test(`an update indexes the object exactly under its new values: ${t.name}`, () => {
      const idx = new Indexer<KubeObject>({ byLabel: (o) => Object.values(o.metadata.labels ?? {}) });
      idx.set(cm('x', 'default', t.from));
      idx.set(cm('y', 'default', t.from));
      idx.set(cm('x', 'default', t.to));
      for (const v of ['one', 'two']) {
        const names = idx.byIndex('byLabel', v).map((o) => o.metadata.name).sort();
        const want = [...(Object.values(t.to).includes(v) ? ['x'] : []), ...(Object.values(t.from).includes(v) ? ['y'] : [])].sort();
        assert.deepEqual(names, want, v);
        assert.equal(idx.indexCount('byLabel', v), want.length, v);
      }
      assert.equal(idx.byIndex('namespace', 'default').length, 2);
    });
  }
});

describe('SharedInformerFactory', () => {
  test('shares one informer per resource and starts those created after start', async () => {
    const t = await startTestServer();
    const stop = new AbortController();
    try {
      const factory = new SharedInformerFactory({ client: new RestClient(new InProcessTransport(t.server, ADMIN)), clock: t.clock, log: () => {} });
      const a = factory.forResource(CONFIGMAPS);
      assert.equal(factory.forResource(CONFIGMAPS), a);
      assert.notEqual(factory.forResource(CONFIGMAPS, { metadataOnly: true }), a, 'metadata-only is a separate informer');
      factory.start(stop.signal);
      const late = factory.forResource({ group: 'apps', version: 'v1', resource: 'deployments', namespaced: true, kind: 'Deployment' });
      assert.equal(late.isStarted, true);
      await factory.waitForCacheSync();
      assert.ok(a.hasSynced() && late.hasSynced());
      const meta = factory.forResource(CONFIGMAPS, { metadataOnly: true });
      await new RestClient(new InProcessTransport(t.server, ADMIN)).resource(CONFIGMAPS).create(cm('m'));
      await eventually(() => !!meta.lister.get('default', 'm'));
      assert.equal(meta.lister.get('default', 'm')!.kind, 'ConfigMap', 'metadata objects carry their real kind');
      assert.equal(meta.lister.get('default', 'm')!.data, undefined);
    } finally {
      stop.abort();
      t.stop();
    }
  });
});
