import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from './testing.js';

const CM = '/api/v1/namespaces/default/configmaps';

function cm(name: string, labels: Record<string, string> = {}) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data: { k: name } };
}

describe('watch', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.stop());

  async function create(name: string, labels: Record<string, string> = {}) {
    const r = await t.request('POST', CM, { body: cm(name, labels) });
    assert.equal(r.status, 201, r.body);
    return r.json();
  }

  test('from a resourceVersion replays later events in order, then follows live ones', async () => {
    const a = await create('w-a');
    await create('w-b');
    const { res } = t.stream(`${CM}?watch=true&resourceVersion=${a.metadata.resourceVersion}`);
    await res.waitForEvents(1);
    await create('w-c');
    const upd = await t.request('PATCH', `${CM}/w-c`, {
      body: { data: { k: 'changed' } },
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    assert.equal(upd.status, 200);
    assert.equal((await t.request('DELETE', `${CM}/w-b`)).status, 200);
    await res.waitForEvents(4);
    res.close();
    assert.deepEqual(
      res.events().map((e) => `${e.type} ${e.object.metadata.name}`),
      ['ADDED w-b', 'ADDED w-c', 'MODIFIED w-c', 'DELETED w-b'],
    );
    const rvs = res.events().map((e) => Number(e.object.metadata.resourceVersion));
    assert.deepEqual(rvs, [...rvs].sort((x, y) => x - y), 'resourceVersions only grow');
  });

  test('a live event\'s object is byte for byte what a replay decoded from storage gives', async () => {
    // Live events of writes made here skip decoding the stored text (KeyValue.object); they must
    // not differ from it in any value or in the order of any key.
    const from = t.store.currentRevision();
    const { res: live } = t.stream(`${CM}?watch=true&resourceVersion=${from}&labelSelector=set%3Dbytes`);
    const created = await t.request('POST', CM, { body: { ...cm('w-bytes', { set: 'bytes' }), metadata: { name: 'w-bytes', labels: { set: 'bytes' }, annotations: { z: '1', a: '2' } }, binaryData: { b: 'AA==' } } });
    assert.equal(created.status, 201, created.body);
    const put = await t.request('PUT', `${CM}/w-bytes`, { body: { ...(created.json() as object), data: { k: 'replaced', j: 'x' } } });
    assert.equal(put.status, 200, put.body);
    const patched = await t.request('PATCH', `${CM}/w-bytes`, { body: { metadata: { labels: { extra: 'y' } }, data: { k: null } }, headers: { 'content-type': 'application/merge-patch+json' } });
    assert.equal(patched.status, 200, patched.body);
    await live.waitForEvents(3);
    live.close();
    const { res: replay } = t.stream(`${CM}?watch=true&resourceVersion=${from}&labelSelector=set%3Dbytes`);
    await replay.waitForEvents(3);
    replay.close();
    const text = (events: { type: string; object: unknown }[]) => events.map((e) => `${e.type} ${JSON.stringify(e.object)}`);
    assert.deepEqual(text(live.events()), text(replay.events()));
    assert.equal(JSON.stringify(live.events()[2].object), JSON.stringify(patched.json()));
  });

  test('with resourceVersion 0 starts with the current state as ADDED events', async () => {
    const { res } = t.stream(`${CM}?watch=true&resourceVersion=0&labelSelector=set%3Dinitial`);
    await create('w-init-1', { set: 'initial' });
    await res.waitForEvents(1);
    res.close();
    const before = await t.request('GET', `${CM}?labelSelector=set%3Dinitial`);
    assert.equal(before.json().items.length, 1);
    const { res: res2 } = t.stream(`${CM}?watch=1&labelSelector=set%3Dinitial`);
    await res2.waitForEvents(1);
    res2.close();
    assert.deepEqual(res2.events().map((e) => `${e.type} ${e.object.metadata.name}`), ['ADDED w-init-1']);
  });

  test('sends BOOKMARK events about every minute when asked, and none otherwise', async () => {
    const { res } = t.stream(`${CM}?watch=true&allowWatchBookmarks=true&resourceVersion=${t.store.currentRevision()}`);
    const { res: plain } = t.stream(`${CM}?watch=true&resourceVersion=${t.store.currentRevision()}`);
    await t.clock.advance(61_000);
    await res.waitForEvents(1);
    res.close();
    plain.close();
    const [ev] = res.events();
    assert.equal(ev.type, 'BOOKMARK');
    assert.equal(ev.object.kind, 'ConfigMap');
    assert.equal(ev.object.apiVersion, 'v1');
    assert.match(ev.object.metadata.resourceVersion, /^\d+$/);
    assert.deepEqual(plain.events(), []);
  });

  test("a BOOKMARK on a quiet watch carries the store's progress, so re-watching from it survives compaction", async () => {
    const from = t.store.currentRevision();
    const { res } = t.stream(`${CM}?watch=true&allowWatchBookmarks=true&resourceVersion=${from}`);
    // Writes to another resource advance the store's revision; nothing reaches this watch.
    for (const name of ['q-1', 'q-2', 'q-3']) {
      const r = await t.request('POST', '/api/v1/namespaces/default/secrets', { body: { apiVersion: 'v1', kind: 'Secret', metadata: { name } } });
      assert.equal(r.status, 201, r.body);
    }
    const progressed = t.store.currentRevision();
    assert.ok(progressed > from);
    await t.clock.advance(61_000);
    await res.waitForEvents(1);
    res.close();
    const [ev] = res.events();
    assert.equal(ev.type, 'BOOKMARK');
    assert.equal(ev.object.metadata.resourceVersion, String(progressed));
    // Compacting past where the watch started leaves the bookmark's resourceVersion watchable.
    await t.store.compact(progressed);
    const { res: again } = t.stream(`${CM}?watch=true&resourceVersion=${ev.object.metadata.resourceVersion}`);
    await create('q-after');
    await again.waitForEvents(1);
    again.close();
    assert.deepEqual(again.events().map((e) => `${e.type} ${e.object.metadata.name}`), ['ADDED q-after']);
  });

  test('ends the stream after timeoutSeconds', async () => {
    const { res, done } = t.stream(`${CM}?watch=true&timeoutSeconds=5&resourceVersion=${t.store.currentRevision()}`);
    await t.clock.advance(4_000);
    assert.equal(res.ended, false);
    await t.clock.advance(2_000);
    await done;
    assert.equal(res.ended, true);
    assert.equal(res.status, 200);
  });

  test('a watch with bookmarks gets one at the store\'s progress 2 s before its timeout; one without, or with a timeout under 2 s, gets none', async () => {
    const from = t.store.currentRevision();
    const withBookmarks = t.stream(`${CM}?watch=true&timeoutSeconds=5&allowWatchBookmarks=true&resourceVersion=${from}`);
    const without = t.stream(`${CM}?watch=true&timeoutSeconds=5&resourceVersion=${from}`);
    const short = t.stream(`${CM}?watch=true&timeoutSeconds=1&allowWatchBookmarks=true&resourceVersion=${from}`);
    // Writes elsewhere move the store on; no watch has an event of its own to send.
    await t.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'elsewhere' } } });
    await t.clock.advance(3_500);
    await short.done;
    assert.equal(withBookmarks.res.ended, false);
    const events = withBookmarks.res.events();
    assert.deepEqual(events.map((e) => e.type), ['BOOKMARK']);
    assert.ok(Number(events[0].object.metadata.resourceVersion) > from, `bookmark at ${events[0].object.metadata.resourceVersion}, watch from ${from}`);
    await t.clock.advance(2_000);
    await Promise.all([withBookmarks.done, without.done]);
    assert.equal(withBookmarks.res.events().length, 1);
    assert.deepEqual(without.res.events(), []);
    assert.deepEqual(short.res.events(), []);
  });

  test('answers 410 Expired as an ERROR event once the history is compacted', async () => {
    const old = await create('w-old');
    await create('w-newer');
    await t.store.compact(t.store.currentRevision());
    const { res, done } = t.stream(`${CM}?watch=true&resourceVersion=${old.metadata.resourceVersion}`);
    await done;
    const [ev] = res.events();
    assert.equal(res.status, 200);
    assert.equal(ev.type, 'ERROR');
    assert.equal(ev.object.code, 410);
    assert.equal(ev.object.reason, 'Expired');
    assert.match(ev.object.message, new RegExp(`^too old resource version: ${old.metadata.resourceVersion} \\(\\d+\\)$`));
  });

  test('sendInitialEvents sends the state, then a BOOKMARK marking its end', async () => {
    await create('w-sie', { set: 'sie' });
    const { res } = t.stream(
      `${CM}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&labelSelector=set%3Dsie`,
    );
    await res.waitForEvents(2);
    res.close();
    const [added, mark] = res.events();
    assert.equal(added.type, 'ADDED');
    assert.equal(added.object.metadata.name, 'w-sie');
    assert.equal(mark.type, 'BOOKMARK');
    assert.deepEqual(mark.object.metadata.annotations, { 'k8s.io/initial-events-end': 'true' });
  });

  test('sendInitialEvents without resourceVersionMatch=NotOlderThan is refused', async () => {
    const r = await t.request('GET', `${CM}?watch=true&sendInitialEvents=true&allowWatchBookmarks=true`);
    assert.equal(r.status, 400);
    assert.equal(r.json().reason, 'BadRequest');
  });

  test('an object leaving the label selector is DELETED for the watcher; one entering is ADDED', async () => {
    await create('w-sel', { tier: 'web' });
    const { res } = t.stream(`${CM}?watch=true&labelSelector=tier%3Dweb&resourceVersion=${t.store.currentRevision()}`);
    const relabel = (tier: string) =>
      t.request('PATCH', `${CM}/w-sel`, { body: { metadata: { labels: { tier } } }, headers: { 'content-type': 'application/merge-patch+json' } });
    await relabel('db');
    await relabel('web');
    await res.waitForEvents(2);
    res.close();
    assert.deepEqual(res.events().map((e) => `${e.type} ${e.object.metadata.labels.tier}`), ['DELETED db', 'ADDED web']);
  });

  test('a Table watch carries the column definitions on its first event', async () => {
    const { res } = t.stream(`${CM}?watch=true&resourceVersion=0&fieldSelector=metadata.name%3Dw-a`, {
      headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
    });
    await res.waitForEvents(1);
    res.close();
    const [ev] = res.events();
    assert.equal(ev.object.kind, 'Table');
    assert.deepEqual(ev.object.columnDefinitions.map((c: { name: string }) => c.name), ['Name', 'Data', 'Age']);
    assert.equal(ev.object.rows[0].cells[0], 'w-a');
  });
});
