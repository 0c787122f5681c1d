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

function tempDb(): { path: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-sqlite-'));
  return { path: join(dir, 'state.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('SqliteStore on disk', () => {
  for (const [name, opts, synchronous] of [
    ['runs in WAL mode with synchronous=NORMAL by default (a commit survives kill -9)', {}, 1],
    ['runs in WAL mode with synchronous=FULL under fsync (a commit survives power loss)', { fsync: true }, 2],
  ] as const) {
    test(name, () => {
      const { path, cleanup } = tempDb();
      try {
        const store = SqliteStore.open(path, opts);
        const db = (store as unknown as { db: Database.Database }).db;
        assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
        assert.equal(db.pragma('synchronous', { simple: true }), synchronous);
        void store.close();
      } finally {
        cleanup();
      }
    });
  }

  test('compaction deletes superseded rows and tombstones from the table', async () => {
    const { path, cleanup } = tempDb();
    try {
      const store = SqliteStore.open(path);
      await store.create('/live', 'v1'); // 1
      await store.update('/live', 'v2', 1); // 2
      await store.create('/dead', 'x'); // 3
      await store.delete('/dead'); // 4
      await store.update('/live', 'v3', 2); // 5
      await store.compact(4);
      const peek = new Database(path, { readonly: true });
      const rows = peek.prepare('SELECT id, name, deleted FROM kv ORDER BY id').all();
      peek.close();
      // Revision 2 is the state of /live at the compaction revision; 5 is newer.
      assert.deepEqual(rows, [
        { id: 2, name: '/live', deleted: 0 },
        { id: 5, name: '/live', deleted: 0 },
      ]);
      await store.close();
    } finally {
      cleanup();
    }
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

  test('the unique (name, prev_revision) index refuses a second write from the same version', async () => {
    const store = SqliteStore.open(':memory:');
    await store.create('/k', 'v1');
    await store.update('/k', 'v2', 1);
    const db = (store as unknown as { db: Database.Database }).db;
    assert.throws(
      () =>
        db
          .prepare("INSERT INTO kv (name, created, deleted, create_revision, prev_revision, value) VALUES ('/k', 0, 0, 1, 1, 'sneaky')")
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
