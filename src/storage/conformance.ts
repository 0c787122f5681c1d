// The one conformance suite every Store backend runs (like hono's common.case.test.ts): etcd
// semantics for revisions, compare-and-swap, historical reads, pagination, watch and compaction.
// A backend's test file calls storeConformance(name, open) and adds only backend-specific cases.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { StoreError, isStoreError, type KeyValue, type Store, type WatchEvent, type Watcher } from './store.js';

/** What a watch has received so far, and a way to wait for more. */
interface Collected {
  events: WatchEvent[];
  /** How many times the handler was called (one call per delivered batch). */
  batches: number;
  watcher: Watcher;
  /** Resolves once at least n events arrived. */
  waitFor(n: number): Promise<void>;
}

function collect(store: Store, prefix: string, fromRevision: number): Collected {
  const waiters: { n: number; resolve: () => void }[] = [];
  const c: Collected = {
    events: [],
    batches: 0,
    watcher: undefined as unknown as Watcher,
    waitFor(n) {
      if (c.events.length >= n) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ n, resolve }));
    },
  };
  c.watcher = store.watch(prefix, fromRevision, (events) => {
    c.batches++;
    c.events.push(...events);
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (c.events.length >= waiters[i].n) waiters.splice(i, 1)[0].resolve();
    }
  });
  return c;
}

/** Lets queued deliveries run (no timers: several turns of the event loop). */
async function drain(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
}

async function rejectsWith(p: Promise<unknown>, code: StoreError['code']): Promise<StoreError> {
  try {
    await p;
  } catch (err) {
    assert.ok(isStoreError(err, code), `expected StoreError ${code}, got ${String(err)}`);
    return err as StoreError;
  }
  assert.fail(`expected StoreError ${code}, but the call succeeded`);
}

/** A compact, comparable rendering of a watch event. */
const describeEvent = (e: WatchEvent) =>
  `${e.revision} ${e.type} ${e.kv.key}=${e.kv.value} c${e.kv.createRevision} m${e.kv.modRevision}` +
  (e.prevKv ? ` prev=${e.prevKv.value}@${e.prevKv.modRevision}` : '');

/** Registers the shared Store test cases under describe(name). */
export function storeConformance(name: string, open: () => Promise<Store> | Store): void {
  const withStore = (fn: (store: Store) => Promise<void>) => async () => {
    const store = await open();
    try {
      await fn(store);
    } finally {
      await store.close();
    }
  };
  const it = (title: string, fn: (store: Store) => Promise<void>) => test(title, { timeout: 20_000 }, withStore(fn));

  describe(`${name}: Store conformance`, () => {
    describe('create', () => {
      it('numbers writes with one global revision, starting at 1', async (store) => {
        assert.equal(store.currentRevision(), 0);
        const a = await store.create('/a', 'A');
        const b = await store.create('/b', 'B');
        assert.deepEqual(a, { key: '/a', value: 'A', createRevision: 1, modRevision: 1 });
        assert.deepEqual(b, { key: '/b', value: 'B', createRevision: 2, modRevision: 2 });
        assert.equal(store.currentRevision(), 2);
        assert.deepEqual(await store.get('/a'), a);
      });

      it('fails with KeyExists, carrying the current value, when the key exists', async (store) => {
        const first = await store.create('/k', 'one');
        const err = await rejectsWith(store.create('/k', 'two'), 'KeyExists');
        assert.deepEqual(err.current, first);
        assert.equal(store.currentRevision(), 1, 'a failed write consumes no revision');
        assert.equal((await store.get('/k'))?.value, 'one');
      });

      it('re-creates a deleted key with a fresh createRevision', async (store) => {
        await store.create('/k', 'one');
        await store.delete('/k');
        const again = await store.create('/k', 'two');
        assert.deepEqual(again, { key: '/k', value: 'two', createRevision: 3, modRevision: 3 });
      });

      it('gives 200 concurrent creates distinct, increasing, gap-free revisions', async (store) => {
        const base = store.currentRevision();
        const kvs = await Promise.all(Array.from({ length: 200 }, (_, i) => store.create(`/c/${i}`, `v${i}`)));
        assert.deepEqual(
          kvs.map((kv) => kv.modRevision),
          Array.from({ length: 200 }, (_, i) => base + i + 1),
        );
        assert.equal(store.currentRevision(), base + 200);
        assert.equal(await store.count('/c/'), 200);
      });

      it('fails only the conflicting write of a concurrent batch', async (store) => {
        await store.create('/dup', 'old');
        const results = await Promise.allSettled([
          store.create('/x1', '1'),
          store.create('/dup', 'new'),
          store.create('/x2', '2'),
          store.update('/missing', 'v', 1),
          store.create('/x3', '3'),
        ]);
        assert.deepEqual(
          results.map((r) => (r.status === 'fulfilled' ? r.value.modRevision : (r.reason as StoreError).code)),
          [2, 'KeyExists', 3, 'NotFound', 4],
        );
        assert.equal((await store.get('/dup'))?.value, 'old');
      });
    });

    describe('update', () => {
      it('swaps the value when the expected modRevision matches, keeping createRevision', async (store) => {
        const created = await store.create('/k', 'v1');
        await store.create('/other', 'x');
        const updated = await store.update('/k', 'v2', created.modRevision);
        assert.deepEqual(updated, { key: '/k', value: 'v2', createRevision: 1, modRevision: 3 });
        assert.deepEqual(await store.get('/k'), updated);
      });

      it('fails with Conflict, carrying the current value, on a stale modRevision', async (store) => {
        const v1 = await store.create('/k', 'v1');
        const v2 = await store.update('/k', 'v2', v1.modRevision);
        const err = await rejectsWith(store.update('/k', 'v3', v1.modRevision), 'Conflict');
        assert.deepEqual(err.current, v2);
        assert.equal((await store.get('/k'))?.value, 'v2');
      });

      it('fails with NotFound when the key never existed or was deleted', async (store) => {
        await rejectsWith(store.update('/nope', 'v', 1), 'NotFound');
        const kv = await store.create('/gone', 'v');
        await store.delete('/gone');
        await rejectsWith(store.update('/gone', 'v2', kv.modRevision), 'NotFound');
      });

      it('lets exactly one of two racing updates from the same revision win', async (store) => {
        const kv = await store.create('/race', 'v0');
        const results = await Promise.allSettled([
          store.update('/race', 'left', kv.modRevision),
          store.update('/race', 'right', kv.modRevision),
        ]);
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        assert.equal(won.length, 1);
        assert.equal(lost.length, 1);
        assert.ok(isStoreError(lost[0].reason, 'Conflict'));
        const winner = (won[0] as PromiseFulfilledResult<KeyValue>).value;
        assert.deepEqual(await store.get('/race'), winner);
        assert.deepEqual((lost[0].reason as StoreError).current, winner);
      });

      it('serialises many racing CAS loops without losing an increment', async (store) => {
        await store.create('/counter', '0');
        const increment = async () => {
          for (;;) {
            const cur = (await store.get('/counter'))!;
            try {
              await store.update('/counter', String(Number(cur.value) + 1), cur.modRevision);
              return;
            } catch (err) {
              if (!isStoreError(err, 'Conflict')) throw err;
            }
          }
        };
        await Promise.all(Array.from({ length: 20 }, increment));
        assert.equal((await store.get('/counter'))?.value, '20');
      });
    });

    describe('delete', () => {
      it('deletes unconditionally and reports the last value', async (store) => {
        await store.create('/k', 'v1');
        const v2 = await store.update('/k', 'v2', 1);
        const event = await store.delete('/k');
        assert.deepEqual(event, {
          type: 'delete',
          kv: { key: '/k', value: 'v2', createRevision: 1, modRevision: 3 },
          prevKv: v2,
          revision: 3,
        });
        assert.equal(await store.get('/k'), undefined);
        assert.equal(store.currentRevision(), 3);
      });

      it('deletes conditionally when the expected modRevision matches', async (store) => {
        const kv = await store.create('/k', 'v');
        const event = await store.delete('/k', kv.modRevision);
        assert.equal(event.revision, 2);
        assert.equal(await store.get('/k'), undefined);
      });

      it('fails a conditional delete with Conflict on a stale modRevision', async (store) => {
        const v1 = await store.create('/k', 'v1');
        const v2 = await store.update('/k', 'v2', v1.modRevision);
        const err = await rejectsWith(store.delete('/k', v1.modRevision), 'Conflict');
        assert.deepEqual(err.current, v2);
        assert.deepEqual(await store.get('/k'), v2);
      });

      it('fails with NotFound when the key is absent', async (store) => {
        await rejectsWith(store.delete('/nope'), 'NotFound');
        await rejectsWith(store.delete('/nope', 5), 'NotFound');
        await store.create('/k', 'v');
        await store.delete('/k');
        await rejectsWith(store.delete('/k'), 'NotFound');
      });
    });

    describe('get', () => {
      it('reads the value a key had at a past revision', async (store) => {
        await store.create('/k', 'v1'); // 1
        await store.update('/k', 'v2', 1); // 2
        await store.create('/other', 'x'); // 3
        await store.delete('/k'); // 4
        await store.create('/k', 'v3'); // 5
        const at = async (rev: number) => (await store.get('/k', rev))?.value;
        assert.deepEqual([await at(1), await at(2), await at(3), await at(4), await at(5)], ['v1', 'v2', 'v2', undefined, 'v3']);
        assert.deepEqual(await store.get('/k', 3), { key: '/k', value: 'v2', createRevision: 1, modRevision: 2 });
        assert.equal(await store.get('/other', 2), undefined);
      });

      it('refuses a revision newer than the current one with FutureRevision', async (store) => {
        await store.create('/k', 'v');
        await rejectsWith(store.get('/k', 2), 'FutureRevision');
      });
    });

    describe('list', () => {
      it('returns only keys under the prefix, in key order', async (store) => {
        for (const key of ['/a/bc/1', '/a/b/2', '/a/b', '/a/b/1', '/a/c/1', '/a/b/0/x', '/a/a/9']) {
          await store.create(key, key);
        }
        const result = await store.list('/a/b/');
        assert.deepEqual(
          result.items.map((kv) => kv.key),
          ['/a/b/0/x', '/a/b/1', '/a/b/2'],
        );
        assert.equal(result.revision, 7);
        assert.equal(result.more, false);
        assert.equal(result.remaining, 0);
        assert.equal((await store.list('')).items.length, 7);
      });

      it('bounds a prefix that ends in a non-ASCII character correctly', async (store) => {
        for (const key of ['/caf\u00e9/1', '/caf\u00e9', '/caf\u00e9x', '/caf\u00ea', '/cafe', '/caf\u00e8']) {
          await store.create(key, 'v');
        }
        assert.deepEqual(
          (await store.list('/caf\u00e9')).items.map((kv) => kv.key),
          ['/caf\u00e9', '/caf\u00e9/1', '/caf\u00e9x'],
        );
        assert.equal(await store.count('/caf\u00e9'), 3);
      });

      it('skips deleted keys and carries each key\'s revisions', async (store) => {
        await store.create('/p/a', 'a'); // 1
        await store.create('/p/b', 'b'); // 2
        await store.update('/p/a', 'a2', 1); // 3
        await store.delete('/p/b'); // 4
        const result = await store.list('/p/');
        assert.deepEqual(result.items, [{ key: '/p/a', value: 'a2', createRevision: 1, modRevision: 3 }]);
        assert.equal(result.revision, 4);
      });

      it('reads the key set as of a past revision', async (store) => {
        await store.create('/p/a', 'a1'); // 1
        await store.create('/p/b', 'b1'); // 2
        await store.update('/p/a', 'a2', 1); // 3
        await store.delete('/p/b'); // 4
        await store.create('/p/c', 'c1'); // 5
        const at2 = await store.list('/p/', { revision: 2 });
        assert.deepEqual(
          at2.items.map((kv) => `${kv.key}=${kv.value}`),
          ['/p/a=a1', '/p/b=b1'],
        );
        assert.equal(at2.revision, 2);
        const at4 = await store.list('/p/', { revision: 4 });
        assert.deepEqual(
          at4.items.map((kv) => `${kv.key}=${kv.value}`),
          ['/p/a=a2'],
        );
        await rejectsWith(store.list('/p/', { revision: 6 }), 'FutureRevision');
      });

      it('pages with limit and startAfter, reporting more and remaining', async (store) => {
        for (let i = 0; i < 10; i++) await store.create(`/p/${i}`, `v${i}`);
        await store.create('/q/0', 'outside');
        const page1 = await store.list('/p/', { limit: 4 });
        assert.deepEqual(
          page1.items.map((kv) => kv.key),
          ['/p/0', '/p/1', '/p/2', '/p/3'],
        );
        assert.equal(page1.more, true);
        assert.equal(page1.remaining, 6);
        const page3 = await store.list('/p/', { limit: 4, startAfter: '/p/7' });
        assert.deepEqual(
          page3.items.map((kv) => kv.key),
          ['/p/8', '/p/9'],
        );
        assert.equal(page3.more, false);
        assert.equal(page3.remaining, 0);
        const exact = await store.list('/p/', { limit: 10 });
        assert.equal(exact.items.length, 10);
        assert.equal(exact.more, false);
      });

      it('keeps every page consistent with the first page\'s revision while writes continue', async (store) => {
        for (let i = 0; i < 20; i++) await store.create(`/p/${String(i).padStart(2, '0')}`, 'orig');
        const first = await store.list('/p/', { limit: 5 });
        const expected = (await store.list('/p/', { revision: first.revision })).items;
        const pages = [first];
        let n = 0;
        for (let last = first; last.more; ) {
          // Writes between pages: new keys before and after the cursor, updates, deletes.
          await Promise.all([
            store.create(`/p/${String(n).padStart(2, '0')}a`, 'new'),
            store.create(`/p/99-${n}`, 'new'),
            store.delete(`/p/${String(19 - n).padStart(2, '0')}`),
            store.update(`/p/${String(n * 2).padStart(2, '0')}`, 'changed', n * 2 + 1).catch(() => undefined),
          ]);
          n++;
          const lastKey = last.items[last.items.length - 1].key;
          last = await store.list('/p/', { limit: 5, startAfter: lastKey, revision: first.revision });
          assert.equal(last.revision, first.revision);
          pages.push(last);
        }
        assert.deepEqual(
          pages.flatMap((p) => p.items),
          expected,
        );
        assert.equal(expected.length, 20);
        assert.deepEqual(
          pages.map((p) => p.remaining),
          [15, 10, 5, 0],
        );
      });
    });

    describe('count', () => {
      it('counts live keys under the prefix only', async (store) => {
        await store.create('/a/b/1', 'x');
        await store.create('/a/b/2', 'x');
        await store.create('/a/bc/1', 'x');
        await store.create('/a/b/3', 'x');
        await store.delete('/a/b/3');
        assert.equal(await store.count('/a/b/'), 2);
        assert.equal(await store.count('/a/'), 3);
        assert.equal(await store.count('/z/'), 0);
      });
    });

    describe('watch', () => {
      it('reports create, update and delete with values and previous values', async (store) => {
        const w = collect(store, '/k', 1);
        await store.create('/k', 'v1');
        await store.update('/k', 'v2', 1);
        await store.delete('/k', 2);
        await w.waitFor(3);
        assert.deepEqual(w.events.map(describeEvent), [
          '1 create /k=v1 c1 m1',
          '2 update /k=v2 c1 m2 prev=v1@1',
          '3 delete /k=v2 c1 m3 prev=v2@2',
        ]);
        w.watcher.close();
      });


      it('hands live watchers the objects a writer gave for the new and the previous value', async (store) => {
        const w = collect(store, '/k', 1);
        const v1 = { n: 1 };
        const v2 = { n: 2 };
        await store.create('/k', JSON.stringify(v1), v1);
        await store.update('/k', JSON.stringify(v2), 1, v2, v1);
        await store.update('/k', '{"n":3}', 2);
        await w.waitFor(3);
        assert.equal(w.events[0].kv.object, v1);
        assert.equal(w.events[1].kv.object, v2);
        assert.equal(w.events[1].prevKv?.object, v1);
        assert.equal(w.events[2].kv.object, undefined, 'no object given: none attached');
        assert.equal(w.events[2].prevKv?.object, undefined, 'no previous given: none attached');
        w.watcher.close();
      });
      it('replays history identical to the live events it would have seen', async (store) => {
        const live = collect(store, '/', 1);
        await store.create('/k', 'v1');
        await store.update('/k', 'v2', 1);
        await store.delete('/k');
        await store.create('/k', 'v3');
        await live.waitFor(4);
        const replayed = collect(store, '/', 1);
        await replayed.waitFor(4);
        assert.deepEqual(replayed.events, live.events);
        live.watcher.close();
        replayed.watcher.close();
      });

      it('replays history then live events with no gap and no duplicate under 500 interleaved writes', async (store) => {
        const done: WatchEvent[] = [];
        const write = async (i: number) => {
          const key = `/w/${i % 7}`;
          for (;;) {
            const cur = await store.get(key);
            try {
              if (!cur) {
                const kv = await store.create(key, `v${i}`);
                done.push({ type: 'create', kv, revision: kv.modRevision });
              } else if (i % 5 === 0) {
                done.push(await store.delete(key, cur.modRevision));
              } else {
                const kv = await store.update(key, `v${i}`, cur.modRevision);
                done.push({ type: 'update', kv, prevKv: cur, revision: kv.modRevision });
              }
              return;
            } catch (err) {
              if (!isStoreError(err)) throw err;
            }
          }
        };
        // Five writers race on seven keys; a watch opens from revision 40 once ~100 writes landed.
        let next = 0;
        let watch: Collected | undefined;
        const writer = async () => {
          while (next < 500) {
            await write(next++);
            if (!watch && store.currentRevision() >= 100) watch = collect(store, '/w/', 40);
          }
        };
        await Promise.all([writer(), writer(), writer(), writer(), writer()]);
        assert.ok(watch, 'the watch opened mid-stream');
        const expected = done.filter((e) => e.revision >= 40).sort((a, b) => a.revision - b.revision);
        assert.equal(expected[expected.length - 1].revision, store.currentRevision());
        await watch.waitFor(expected.length);
        await drain();
        assert.deepEqual(watch.events.map(describeEvent), expected.map(describeEvent));
        const revisions = watch.events.map((e) => e.revision);
        assert.deepEqual(
          revisions,
          Array.from({ length: revisions.length }, (_, i) => 40 + i),
          'every revision from 40 on, each exactly once',
        );
        watch.watcher.close();
      });

      it('delivers only events under its prefix', async (store) => {
        const w = collect(store, '/a/b/', 1);
        await store.create('/a/b', 'no');
        await store.create('/a/b/1', 'yes');
        await store.create('/a/bc/1', 'no');
        await store.create('/a/b/2', 'yes');
        await store.delete('/a/bc/1');
        await store.delete('/a/b/1');
        await w.waitFor(3);
        await drain();
        assert.deepEqual(
          w.events.map((e) => `${e.type} ${e.kv.key}`),
          ['create /a/b/1', 'create /a/b/2', 'delete /a/b/1'],
        );
        w.watcher.close();
      });

      it('starts after the current revision when asked for revision 0', async (store) => {
        await store.create('/k/old', 'x');
        const w = collect(store, '/k/', 0);
        await store.create('/k/new', 'y');
        await w.waitFor(1);
        await drain();
        assert.deepEqual(
          w.events.map((e) => e.kv.key),
          ['/k/new'],
        );
        w.watcher.close();
      });

      it('waits for a future revision without error', async (store) => {
        const w = collect(store, '/k/', 3);
        await store.create('/k/1', 'a');
        await store.create('/k/2', 'b');
        await store.create('/k/3', 'c');
        await w.waitFor(1);
        await drain();
        assert.deepEqual(
          w.events.map((e) => e.revision),
          [3],
        );
        w.watcher.close();
      });

      it('stops delivering once closed', async (store) => {
        const w = collect(store, '/', 1);
        await store.create('/a', '1');
        await w.waitFor(1);
        w.watcher.close();
        w.watcher.close();
        await store.create('/b', '2');
        await drain();
        assert.equal(w.events.length, 1);
      });

      it('keeps delivering to other watchers when one handler throws', async (store) => {
        const errors = console.error;
        console.error = () => {};
        try {
          store.watch('/', 1, () => {
            throw new Error('boom');
          });
          const w = collect(store, '/', 1);
          await store.create('/a', '1');
          await store.create('/b', '2');
          await w.waitFor(2);
          assert.equal(w.events.length, 2);
          w.watcher.close();
        } finally {
          console.error = errors;
        }
      });
    });

      it('reports progress no further than its first undelivered event, and the current revision once idle', async (store) => {
        const w = collect(store, '/mine/', 1);
        const mine: number[] = [];
        const check = () => {
          const delivered = new Set(w.events.map((e) => e.revision));
          const waiting = mine.filter((r) => !delivered.has(r));
          if (waiting.length) assert.ok(w.watcher.progress() < Math.min(...waiting), `progress ${w.watcher.progress()} passed undelivered ${waiting}`);
        };
        for (let i = 0; i < 20; i++) {
          const kv = store.create(`/mine/${i}`, 'v').then((x) => (mine.push(x.modRevision), check()));
          check();
          await store.create(`/other/${i}`, 'v');
          check();
          await kv;
        }
        await w.waitFor(20);
        await new Promise((r) => setImmediate(r));
        assert.equal(w.watcher.progress(), store.currentRevision());
        w.watcher.close();
      });

    describe('compact', () => {
      async function history(store: Store) {
        await store.create('/p/live', 'l1'); // 1
        await store.create('/p/dead', 'd1'); // 2
        await store.update('/p/live', 'l2', 1); // 3
        await store.delete('/p/dead'); // 4
        await store.create('/p/late', 't1'); // 5
        await store.update('/p/live', 'l3', 3); // 6
      }

      it('refuses reads and watches of compacted history with Compacted', async (store) => {
        await history(store);
        await store.compact(5);
        assert.equal(store.compactRevision(), 5);
        const listErr = await rejectsWith(store.list('/p/', { revision: 4 }), 'Compacted');
        assert.equal(listErr.compactRevision, 5);
        await rejectsWith(store.get('/p/live', 2), 'Compacted');
        assert.throws(
          () => store.watch('/p/', 5, () => {}),
          (err: unknown) => isStoreError(err, 'Compacted') && err.compactRevision === 5,
        );
        assert.throws(
          () => store.watch('/p/', 1, () => {}),
          (err: unknown) => isStoreError(err, 'Compacted'),
        );
      });

      it('keeps the state at the compaction revision and everything after it', async (store) => {
        await history(store);
        await store.compact(5);
        const at5 = await store.list('/p/', { revision: 5 });
        assert.deepEqual(
          at5.items.map((kv) => `${kv.key}=${kv.value}@${kv.modRevision}`),
          ['/p/late=t1@5', '/p/live=l2@3'],
        );
        const latest = await store.list('/p/');
        assert.deepEqual(
          latest.items.map((kv) => `${kv.key}=${kv.value}@${kv.modRevision}/c${kv.createRevision}`),
          ['/p/late=t1@5/c5', '/p/live=l3@6/c1'],
        );
        const w = collect(store, '/p/', 6);
        await w.waitFor(1);
        assert.deepEqual(w.events.map(describeEvent), ['6 update /p/live=l3 c1 m6 prev=l2@3']);
        w.watcher.close();
        assert.equal(await store.count('/p/'), 2);
      });

      it('forgets tombstones, so a deleted key can be created afresh', async (store) => {
        await history(store);
        await store.compact(6);
        assert.equal(await store.get('/p/dead', 6), undefined);
        const again = await store.create('/p/dead', 'd2');
        assert.equal(again.createRevision, 7);
        const w = collect(store, '/p/dead', 7);
        await w.waitFor(1);
        assert.deepEqual(w.events.map(describeEvent), ['7 create /p/dead=d2 c7 m7']);
        w.watcher.close();
      });

      it('compacts repeatedly and ignores a revision at or below the last one', async (store) => {
        await history(store);
        await store.compact(3);
        await store.compact(2);
        assert.equal(store.compactRevision(), 3);
        await store.update('/p/live', 'l4', 6); // 7
        await store.delete('/p/late'); // 8
        await store.compact(7);
        assert.equal(store.compactRevision(), 7);
        assert.deepEqual(
          (await store.list('/p/', { revision: 7 })).items.map((kv) => kv.value),
          ['t1', 'l4'],
        );
        assert.deepEqual(
          (await store.list('/p/')).items.map((kv) => kv.value),
          ['l4'],
        );
        await rejectsWith(store.compact(9), 'FutureRevision');
      });

      it('keeps the revision counter after compacting away the newest row', async (store) => {
        await store.create('/k', 'v');
        await store.delete('/k');
        await store.compact(2);
        const kv = await store.create('/k2', 'v');
        assert.equal(kv.modRevision, 3);
      });
    });

    describe('close', () => {
      test('rejects calls on a closed store with Closed', async () => {
        const store = await open();
        await store.create('/k', 'v');
        await store.close();
        await rejectsWith(store.create('/k2', 'v'), 'Closed');
        await rejectsWith(store.get('/k'), 'Closed');
        assert.throws(
          () => store.watch('/', 0, () => {}),
          (err: unknown) => isStoreError(err, 'Closed'),
        );
      });
    });
  });
}
