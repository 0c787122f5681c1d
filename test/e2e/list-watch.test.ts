// What client-go's reflector (under every informer, controller and kubectl wait) does, shown request by
// request: LIST with resourceVersion=0, WATCH from the list's resourceVersion with bookmarks, resume from
// the last resourceVersion seen, and on 410 Expired relist and rewatch. The list-then-watch part runs over
// HTTPS against a real `skiff up`; bookmarks (about one a minute) and compaction (every five minutes) run
// in process on a virtual clock, so the test does not wait for them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../src/apiserver/testing.js';
import { SkiffProcess } from './harness.js';
import { RawClient } from './raw-https.js';

const CM = '/api/v1/namespaces/reflector/configmaps';
// Every request selects app=reflector, as a controller's reflector selects what it owns (and so ignores
// what controllers may add to every namespace, such as kube-root-ca.crt).
const SEL = 'labelSelector=app%3Dreflector';
const labels = { app: 'reflector' };

/** name → resourceVersion of a list's items, sorted by name. */
function versions(items: { metadata: { name: string; resourceVersion: string } }[]): [string, string][] {
  return items.map((o) => [o.metadata.name, o.metadata.resourceVersion] as [string, string]).sort((a, b) => a[0].localeCompare(b[0]));
}

/** Applies watch events to a reflector's store, as client-go's DeltaFIFO + indexer end up doing. */
function replay(store: Map<string, string>, events: { type: string; object: any }[]): void {
  for (const e of events) {
    if (e.type === 'ADDED' || e.type === 'MODIFIED') store.set(e.object.metadata.name, e.object.metadata.resourceVersion);
    else if (e.type === 'DELETED') store.delete(e.object.metadata.name);
  }
}

const merge = 'application/merge-patch+json';

describe('list then watch, as client-go does it, over HTTPS against skiff', () => {
  let skiff: SkiffProcess;
  let api: RawClient;
  let listRV = '';
  let lastRV = '';
  const store = new Map<string, string>();

  before(async () => {
    skiff = await SkiffProcess.start();
    api = new RawClient(skiff.kubeconfig);
    assert.equal((await api.send('POST', '/api/v1/namespaces', { metadata: { name: 'reflector' } })).status, 201);
    for (const name of ['a', 'b', 'c']) {
      assert.equal((await api.send('POST', CM, { metadata: { name, labels }, data: { v: '0' } })).status, 201);
    }
  });
  after(async () => {
    await skiff?.destroy();
  });

  test('LIST with resourceVersion=0 (any version is fine) answers with items and a resourceVersion to watch from', async () => {
    // client-go's first list: limit=500&resourceVersion=0, which kube-apiserver serves from its watch cache.
    const r = await api.send('GET', `${CM}?${SEL}&limit=500&resourceVersion=0`);
    assert.equal(r.status, 200, r.body);
    const list = r.json();
    assert.equal(list.kind, 'ConfigMapList');
    assert.equal(list.apiVersion, 'v1');
    assert.match(list.metadata.resourceVersion, /^\d+$/);
    listRV = list.metadata.resourceVersion;
    for (const [name, rv] of versions(list.items)) {
      assert.ok(Number(rv) <= Number(listRV), `${name} is not newer than the list`);
      store.set(name, rv);
    }
    assert.deepEqual([...store.keys()].sort(), ['a', 'b', 'c']);
  });

  test('WATCH from that resourceVersion sends only later changes, in order; list + events = the current state', async () => {
    const w = await api.watch(`${CM}?allowWatchBookmarks=true&${SEL}&resourceVersion=${listRV}&timeoutSeconds=30&watch=true`);
    assert.equal(w.status, 200);
    assert.equal((await api.send('POST', CM, { metadata: { name: 'd', labels } })).status, 201);
    assert.equal((await api.send('PATCH', `${CM}/a`, { data: { v: '1' } }, merge)).status, 200);
    assert.equal((await api.send('DELETE', `${CM}/b`)).status, 200);
    await w.waitForEvents(3);
    w.close();
    // No ADDED for what the list already had: the watch starts strictly after listRV.
    assert.deepEqual(w.events.map((e) => `${e.type} ${e.object.metadata.name}`), ['ADDED d', 'MODIFIED a', 'DELETED b']);
    const rvs = w.events.map((e) => Number(e.object.metadata.resourceVersion));
    assert.ok(rvs[0]! > Number(listRV));
    assert.deepEqual(rvs, [...rvs].sort((x, y) => x - y), 'resourceVersions only grow');
    replay(store, w.events);
    lastRV = w.events.at(-1)!.object.metadata.resourceVersion;
    const fresh = (await api.send('GET', `${CM}?${SEL}`)).json();
    assert.deepEqual([...store.entries()].sort((x, y) => x[0].localeCompare(y[0])), versions(fresh.items));
  });

  test('a watch resumed from the last resourceVersion seen misses nothing and repeats nothing', async () => {
    // The connection is gone (closed above); changes happen while no one watches.
    assert.equal((await api.send('PATCH', `${CM}/c`, { data: { v: '2' } }, merge)).status, 200);
    assert.equal((await api.send('POST', CM, { metadata: { name: 'e', labels } })).status, 201);
    const w = await api.watch(`${CM}?allowWatchBookmarks=true&${SEL}&resourceVersion=${lastRV}&timeoutSeconds=1&watch=true`);
    await w.ended;
    assert.deepEqual(w.events.map((e) => `${e.type} ${e.object.metadata.name}`), ['MODIFIED c', 'ADDED e']);
    replay(store, w.events);
    const fresh = (await api.send('GET', `${CM}?${SEL}`)).json();
    assert.deepEqual([...store.entries()].sort((x, y) => x[0].localeCompare(y[0])), versions(fresh.items));
  });
});

describe('bookmarks and 410 Expired in the reflector loop (in process, virtual clock)', () => {
  let t: TestServer;
  const NS = '/api/v1/namespaces/default/configmaps';

  before(async () => {
    t = await startTestServer();
  });
  after(() => t.stop());

  async function create(name: string) {
    const r = await t.request('POST', NS, { body: { metadata: { name } } });
    assert.equal(r.status, 201, r.body);
    return r.json();
  }
  async function list(query = '') {
    const r = await t.request('GET', `${NS}${query}`);
    assert.equal(r.status, 200, r.body);
    return r.json();
  }

  test('an idle watch with allowWatchBookmarks gets a BOOKMARK each minute, and resuming from it repeats nothing', async () => {
    const rv = (await list('?limit=500&resourceVersion=0')).metadata.resourceVersion;
    const { res } = t.stream(`${NS}?allowWatchBookmarks=true&resourceVersion=${rv}&watch=true`);
    const added = await create('bm-1');
    await res.waitForEvents(1);
    await t.clock.advance(30_000);
    assert.deepEqual(res.events().map((e) => e.type), ['ADDED'], 'no bookmark within the first half minute');
    await t.clock.advance(31_000);
    await res.waitForEvents(2);
    res.close();
    const bookmark = res.events()[1]!;
    assert.equal(bookmark.type, 'BOOKMARK');
    // A bookmark is an object of the watched kind with nothing but metadata.resourceVersion.
    assert.deepEqual(Object.keys(bookmark.object).sort(), ['apiVersion', 'kind', 'metadata']);
    assert.equal(bookmark.object.kind, 'ConfigMap');
    assert.equal(bookmark.object.apiVersion, 'v1');
    const bookmarkRV = Number(bookmark.object.metadata.resourceVersion);
    assert.ok(bookmarkRV >= Number(added.metadata.resourceVersion) && bookmarkRV <= t.store.currentRevision(), String(bookmarkRV));

    // The reflector resumes from the bookmark's resourceVersion: only what came after it.
    await create('bm-2');
    const { res: resumed } = t.stream(`${NS}?allowWatchBookmarks=true&resourceVersion=${bookmarkRV}&watch=true`);
    await resumed.waitForEvents(1);
    resumed.close();
    assert.deepEqual(resumed.events().map((e) => `${e.type} ${e.object.metadata.name}`), ['ADDED bm-2']);
  });

  test('after compaction a watch from an old resourceVersion gets ERROR 410 Expired; relist and rewatch recover', async () => {
    const first = await list('?limit=500&resourceVersion=0');
    const oldRV = first.metadata.resourceVersion;
    await create('gone-1');
    await create('gone-2');
    await t.store.compact(t.store.currentRevision());

    const { res, done } = t.stream(`${NS}?allowWatchBookmarks=true&resourceVersion=${oldRV}&watch=true`);
    await done;
    assert.equal(res.status, 200, 'the error comes inside the stream, as the watch cache sends it');
    const events = res.events();
    assert.equal(events.length, 1);
    assert.equal(events[0]!.type, 'ERROR');
    assert.equal(events[0]!.object.kind, 'Status');
    assert.equal(events[0]!.object.code, 410);
    assert.equal(events[0]!.object.reason, 'Expired');
    assert.match(events[0]!.object.message, new RegExp(`^too old resource version: ${oldRV} \\(\\d+\\)$`));

    // client-go relists with resourceVersion="" (a consistent read) after 410, then watches from there.
    const relist = await list('?limit=500');
    assert.equal(Number(relist.metadata.resourceVersion), t.store.currentRevision(), 'a consistent read is at the latest revision');
    const names = relist.items.map((o: any) => o.metadata.name);
    for (const n of ['gone-1', 'gone-2']) assert.ok(names.includes(n), n);
    const { res: rewatch } = t.stream(`${NS}?allowWatchBookmarks=true&resourceVersion=${relist.metadata.resourceVersion}&watch=true`);
    await create('after-410');
    await rewatch.waitForEvents(1);
    rewatch.close();
    assert.deepEqual(rewatch.events().map((e) => `${e.type} ${e.object.metadata.name}`), ['ADDED after-410']);
  });

  test('a paged list continued after compaction is 410 Expired with a token to continue inconsistently', async () => {
    for (const n of ['page-1', 'page-2', 'page-3']) await create(n);
    const page = await list('?limit=2');
    assert.ok(page.metadata.continue);
    await create('page-4');
    await t.store.compact(t.store.currentRevision());
    const r = await t.request('GET', `${NS}?limit=2&continue=${encodeURIComponent(page.metadata.continue)}`);
    assert.equal(r.status, 410);
    const status = r.json();
    assert.equal(status.reason, 'Expired');
    assert.equal(
      status.message,
      'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
    );
    // kube-apiserver's etcd3 store hands back a token (resourceVersion -1) that continues at the latest revision.
    assert.ok(status.metadata?.continue, 'a continue token in the Status');
    const rest = await list(`?limit=500&continue=${encodeURIComponent(status.metadata.continue)}`);
    assert.equal(rest.metadata.continue, undefined);
    assert.ok(rest.items.some((o: any) => o.metadata.name === 'page-4'), 'the inconsistent continuation sees the newer object');
  });

  // Query booleans decode as kube-apiserver's Convert_Slice_string_To_bool: only "false" and "0" (any
  // case) are false. The Python client sends watch=True and allowWatchBookmarks=True.
  for (const [value, verb] of [
    ['true', 'watch'],
    ['1', 'watch'],
    ['True', 'watch'],
    ['TRUE', 'watch'],
    ['yes', 'watch'],
    ['false', 'list'],
    ['False', 'list'],
    ['0', 'list'],
  ] as const) {
    test(`watch=${value} is a ${verb}, as kube-apiserver parses query booleans`, async () => {
      if ((await list()).items.length === 0) await create('bool');
      const { res, done } = t.stream(`${NS}?resourceVersion=0&watch=${value}`);
      await res.waitForEvents(1);
      res.close();
      await done;
      const first = res.events()[0] as any;
      assert.equal(first.type === 'ADDED' ? 'watch' : first.kind === 'ConfigMapList' ? 'list' : JSON.stringify(first), verb);
    });
  }

  test('allowWatchBookmarks=True (as the Python client sends it) turns bookmarks on', async () => {
    const { res } = t.stream(`${NS}?allowWatchBookmarks=True&resourceVersion=${t.store.currentRevision()}&watch=true`);
    await t.clock.advance(61_000);
    res.close();
    assert.deepEqual(res.events().map((e) => e.type), ['BOOKMARK']);
  });
});
