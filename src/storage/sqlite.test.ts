import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { storeConformance } from './conformance.js';
import { SqliteStore } from './sqlite.js';
import type { WatchEvent } from './store.js';

storeConformance('SqliteStore', () => SqliteStore.open(':memory:'));

/** Runs fn on a database file in a fresh directory, removed afterwards. */
async function onDisk(fn: (path: string) => void | Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-sqlite-'));
  try {
    await fn(join(dir, 'state.db'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('SqliteStore on disk', () => {
  for (const [name, opts, synchronous] of [
    ['runs in WAL mode with synchronous=NORMAL by default (a commit survives kill -9)', {}, 1],
    ['runs in WAL mode with synchronous=FULL under fsync (a commit survives power loss)', { fsync: true }, 2],
  ] as const) {
    test(name, async () => {
      await onDisk(async (path) => {
        const store = SqliteStore.open(path, opts);
        const db = (store as unknown as { db: Database.Database }).db;
        assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
        assert.equal(db.pragma('synchronous', { simple: true }), synchronous);
        void store.close();
      });
    });
  }

  test('compaction deletes superseded rows and tombstones from the table', async () => {
    await onDisk(async (path) => {
      const store = SqliteStore.open(path);
      await store.create('/live', 'v1'); // 1
      await store.update('/live', 'v2', 1); // 2
      await store.create('/dead', 'x'); // 3
      await store.delete('/dead'); // 4
      await store.update('/live', 'v3', 2); // 5
      await store.compact(4);
      const peek = new Database(path, { readonly: true });
      const rows = peek.prepare('SELECT kv.id, keys.name, deleted FROM kv JOIN keys ON keys.id = kv.key_id ORDER BY kv.id').all();
      const keys = peek.prepare('SELECT name FROM keys ORDER BY name').pluck().all();
      peek.close();
      // Revision 2 is the state of /live at the compaction revision; 5 is newer.
      assert.deepEqual(rows, [
        { id: 2, name: '/live', deleted: 0 },
        { id: 5, name: '/live', deleted: 0 },
      ]);
      assert.deepEqual(keys, ['/live'], 'a key without rows leaves the keys table');
      await store.close();
    });
  });

  test('the revision does not go back when compaction removes the newest row, across a restart', async () => {
    await onDisk(async (path) => {
      const store = SqliteStore.open(path);
      await store.create('/k', 'v'); // 1
      await store.delete('/k'); // 2: the newest row, a tombstone
      await store.compact(2);
      await store.close();
      const again = SqliteStore.open(path);
      assert.equal(again.currentRevision(), 2);
      const kv = await again.create('/k', 'v2');
      assert.equal(kv.modRevision, 3, 'a new write takes the next revision, never a used one');
      assert.equal((await again.get('/k'))?.value, 'v2');
      await again.close();
    });
  });

  test('a key deleted, compacted and created again reads and updates from its new row', async () => {
    await onDisk(async (path) => {
      const store = SqliteStore.open(path);
      await store.create('/k', 'a'); // 1
      await store.update('/k', 'b', 1); // 2
      await store.delete('/k'); // 3
      await store.create('/other', 'x'); // 4
      await store.compact(3);
      const c = await store.create('/k', 'c'); // 5, a chain of its own from prev_revision 0
      await store.update('/k', 'd', c.modRevision); // 6
      assert.equal((await store.get('/k'))?.value, 'd');
      assert.equal((await store.get('/k', 5))?.value, 'c');
      assert.deepEqual((await store.list('/')).items.map((i) => `${i.key}=${i.value}`), ['/k=d', '/other=x']);
      assert.deepEqual((await store.list('/', { revision: 5 })).items.map((i) => `${i.key}=${i.value}`), ['/k=c', '/other=x']);
      await store.close();
    });
  });

  test('a data directory from before (AUTOINCREMENT, a second index by name and id) opens with its revision and data', async () => {
    await onDisk(async (path) => {
      const old = new Database(path);
      old.exec(`
        CREATE TABLE kv (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, created INTEGER NOT NULL, deleted INTEGER NOT NULL,
          create_revision INTEGER NOT NULL, prev_revision INTEGER NOT NULL, value TEXT NOT NULL);
        CREATE UNIQUE INDEX kv_name_prev_revision ON kv (name, prev_revision);
        CREATE INDEX kv_name_id ON kv (name, id);
        CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        INSERT INTO kv VALUES (1, '/a', 1, 0, 1, 0, 'a1');
        INSERT INTO kv VALUES (2, '/a', 0, 0, 1, 1, 'a2');
        INSERT INTO kv VALUES (3, '/b', 1, 0, 3, 0, 'b1');
        INSERT INTO kv VALUES (4, '/b', 0, 1, 3, 3, 'b1');
        DELETE FROM kv WHERE id = 4;
      `);
      old.close();
      const store = SqliteStore.open(path);
      // Row 4 is gone, but SQLite's counter remembers it was used.
      assert.equal(store.currentRevision(), 4);
      assert.equal((await store.get('/a'))?.value, 'a2');
      assert.equal((await store.update('/a', 'a3', 2)).modRevision, 5);
      await store.close();
      const peek = new Database(path, { readonly: true });
      const indexes = peek.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'kv'").pluck().all();
      peek.close();
      assert.deepEqual(indexes, ['kv_key_prev_revision'], 'the indexes by name are gone');
    });
  });

  test('a data directory whose rows name their keys by text moves to key ids with every row, revision and compaction kept', async () => {
    await onDisk(async (path) => {
      const old = new Database(path);
      old.exec(`
        CREATE TABLE kv (id INTEGER PRIMARY KEY, name TEXT NOT NULL, created INTEGER NOT NULL, deleted INTEGER NOT NULL,
          create_revision INTEGER NOT NULL, prev_revision INTEGER NOT NULL, value TEXT NOT NULL);
        CREATE UNIQUE INDEX kv_name_prev_revision ON kv (name, prev_revision);
        CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        INSERT INTO kv VALUES (2, '/a', 0, 0, 1, 1, 'a2');
        INSERT INTO kv VALUES (3, '/b/x', 1, 0, 3, 0, 'x1');
        INSERT INTO kv VALUES (4, '/b/y', 1, 0, 4, 0, 'y1');
        INSERT INTO kv VALUES (5, '/b/x', 0, 0, 3, 3, 'x2');
        INSERT INTO meta VALUES ('compact_revision', 2), ('revision', 6);
      `);
      old.close();
      const store = SqliteStore.open(path);
      assert.equal(store.currentRevision(), 6, 'the revision a compaction recorded survives');
      assert.equal(store.compactRevision(), 2);
      assert.deepEqual((await store.list('/b/')).items.map((i) => `${i.key}=${i.value}@${i.modRevision}/${i.createRevision}`), ['/b/x=x2@5/3', '/b/y=y1@4/4']);
      assert.equal((await store.get('/b/x', 4))?.value, 'x1', 'history reads by revision');
      const replayed: string[] = [];
      const w = store.watch('/b/', 3, (evs) => replayed.push(...evs.map((e) => `${e.type} ${e.kv.key}@${e.revision}${e.prevKv ? ` from ${e.prevKv.value}` : ''}`)));
      await new Promise((r) => setImmediate(r));
      w.close();
      assert.deepEqual(replayed, ['create /b/x@3', 'create /b/y@4', 'update /b/x@5 from x1']);
      await assert.rejects(store.update('/b/x', 'stale', 3), { code: 'Conflict' });
      assert.equal((await store.update('/b/x', 'x3', 5)).modRevision, 7);
      assert.equal((await store.create('/c', 'c1')).modRevision, 8);
      await store.close();
      const peek = new Database(path, { readonly: true });
      const columns = peek.prepare("SELECT name FROM pragma_table_info('kv')").pluck().all();
      peek.close();
      assert.deepEqual(columns, ['id', 'key_id', 'created', 'deleted', 'create_revision', 'prev_revision', 'value']);
    });
  });

  test('reads and writes by key use the (key_id, prev_revision) index, not a scan', () => {
    const store = SqliteStore.open(':memory:');
    const internals = store as unknown as { db: Database.Database; selectLatest: Database.Statement; selectAt: Database.Statement };
    const plans = [
      [internals.selectLatest.source, [1]],
      [internals.selectAt.source, [1, 1]],
    ].map(([sql, args]) => (internals.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(args as unknown[])) as { detail: string }[]).map((r) => r.detail).join('; '));
    for (const plan of plans) {
      assert.match(plan, /USING (COVERING )?INDEX kv_key_prev_revision \(key_id=\?\)/);
      assert.doesNotMatch(plan, /TEMP B-TREE/, 'no sort');
    }
    void store.close();
  });

  test('a list walks the keys in name order and a watch replays history by revision, neither scanning kv', () => {
    const store = SqliteStore.open(':memory:');
    const internals = store as unknown as {
      db: Database.Database;
      range(exclusiveLower: boolean, bounded: boolean): { list: Database.Statement; count: Database.Statement };
      selectHistoryBounded: Database.Statement;
    };
    const plan = (stmt: Database.Statement, args: unknown[]) =>
      (internals.db.prepare(`EXPLAIN QUERY PLAN ${stmt.source}`).all(...args) as { detail: string }[]).map((r) => r.detail).join('; ');
    const list = plan(internals.range(false, true).list, ['/a/', '/a0', 1, 10]);
    assert.match(list, /SEARCH k USING (COVERING )?INDEX sqlite_autoindex_keys_1 \(name>\? AND name<\?\)/);
    assert.doesNotMatch(list, /SCAN|TEMP B-TREE/);
    const history = plan(internals.selectHistoryBounded, [1, 2, '/a/', '/a0']);
    assert.match(history, /SEARCH c USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/);
    assert.doesNotMatch(history, /SCAN/);
    void store.close();
  });
});

describe('SqliteStore group commit', () => {
  test('commits writes issued in the same turn as one transaction, seen by a watcher as one batch', async () => {
    const store = SqliteStore.open(':memory:');
    const batches: WatchEvent[][] = [];
    store.watch('/', 0, (events) => batches.push(events));
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.create(`/k/${i}`, 'v')));
    await store.create('/after', 'v');
    for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
    assert.deepEqual(
      batches.map((b) => b.length),
      [50, 1],
    );
    await store.close();
  });

  test('the unique (key_id, prev_revision) index refuses a second write from the same version', async () => {
    const store = SqliteStore.open(':memory:');
    await store.create('/k', 'v1');
    await store.update('/k', 'v2', 1);
    const db = (store as unknown as { db: Database.Database }).db;
    assert.throws(
      () =>
        db
          .prepare("INSERT INTO kv (key_id, created, deleted, create_revision, prev_revision, value) VALUES ((SELECT id FROM keys WHERE name = '/k'), 0, 0, 1, 1, 'sneaky')")
          .run(),
      /UNIQUE constraint failed/,
    );
    await store.close();
  });

  test('settles writes queued before close instead of dropping them', async () => {
    const store = SqliteStore.open(':memory:');
    const pending = store.create('/k', 'v');
    await store.close();
    assert.equal((await pending).modRevision, 1);
  });
});
