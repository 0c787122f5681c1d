import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECKPOINT_AFTER_BYTES, CHECKPOINT_INLINE_AFTER_BYTES, WalCheckpointer } from './checkpointer.js';
import { SqliteStore } from './sqlite.js';

const walSize = (path: string) => statSync(`${path}-wal`).size;

describe('WAL checkpoints on a worker thread', () => {
  test('with the worker\'s checkpoints the WAL starts over instead of growing, and the data reads back after reopening', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skiff-checkpoint-'));
    const path = join(dir, 'state.db');
    try {
      const store = SqliteStore.open(path);
      const value = 'x'.repeat(4000);
      // Three times the size at which the WAL starts over, in batches the size a busy cluster commits.
      const total = Math.ceil((3 * CHECKPOINT_INLINE_AFTER_BYTES) / value.length);
      for (let i = 0; i < total; i += 50) {
        await Promise.all(Array.from({ length: Math.min(50, total - i) }, (_, j) => store.create(`/registry/configmaps/default/cm-${i + j}`, value)));
        // Let the worker's checkpoints land between batches, as they do between a cluster's commits.
        await new Promise((r) => setTimeout(r, 5));
      }
      const wal = walSize(path);
      // Without complete checkpoints the WAL would hold every page written (three times the limit);
      // SQLite reuses it from the start after each, which only follow the worker's passes.
      assert.ok(wal < CHECKPOINT_INLINE_AFTER_BYTES + 3 * CHECKPOINT_AFTER_BYTES, `WAL is ${wal} bytes`);
      await store.close();
      const again = SqliteStore.open(path);
      assert.equal((await again.get('/registry/configmaps/default/cm-0'))?.value, value);
      assert.equal((await again.get(`/registry/configmaps/default/cm-${total - 1}`))?.value, value);
      assert.equal(again.currentRevision(), total);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a checkpoint the writer runs itself never throws into the commit that asked for it', async () => {
    let calls = 0;
    const c = new WalCheckpointer('/nonexistent/state.db', () => {
      calls++;
      throw new Error('SQLITE_BUSY');
    });
    // Far past what a worker may fall behind: the writer checkpoints inline (and that fails).
    assert.doesNotThrow(() => c.committed(10 * CHECKPOINT_INLINE_AFTER_BYTES));
    assert.equal(calls, 1);
    // Not done, so the next commit asks again.
    assert.doesNotThrow(() => c.committed(1));
    assert.equal(calls, 2);
    await c.close();
  });
});
