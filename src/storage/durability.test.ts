import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteStore } from './sqlite.js';
import { durableValue } from './durability-child.js';

function tempDb(): { path: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-durability-'));
  return { path: join(dir, 'state.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs the writer child on dbPath, SIGKILLs it after `acks` acknowledged writes, returns the acknowledged keys. */
function writeUntilKilled(dbPath: string, acks: number, mode: 'fsync' | 'default'): Promise<string[]> {
  // Run the sibling child the same way this file runs: through tsx from src/, plain node from dist/.
  const self = fileURLToPath(import.meta.url);
  const ext = self.endsWith('.ts') ? '.ts' : '.js';
  const child = fileURLToPath(new URL(`./durability-child${ext}`, import.meta.url));
  const args = ext === '.ts' ? ['--import', 'tsx', child, dbPath, mode] : [child, dbPath, mode];
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: string[] = [];
    let partial = '';
    let stderr = '';
    let killed = false;
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop()!; // a line without its newline was not fully acknowledged
      acked.push(...lines);
      if (!killed && acked.length >= acks) {
        killed = true;
        proc.kill('SIGKILL');
      }
    });
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (chunk: string) => (stderr += chunk));
    proc.on('error', reject);
    proc.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' && killed) resolve(acked);
      else reject(new Error(`writer exited early (code ${code}, signal ${signal}) after ${acked.length} acks:\n${stderr}`));
    });
  });
}

describe('SqliteStore durability', () => {
  for (const mode of ['default', 'fsync'] as const) test(`loses no acknowledged write when the writing process is killed with SIGKILL (${mode === 'fsync' ? 'every commit fsynced' : 'the default, commits reach the WAL'})`, { timeout: 60_000 }, async () => {
    const { path, cleanup } = tempDb();
    try {
      const acked = await writeUntilKilled(path, 300, mode);
      assert.ok(acked.length >= 300);
      const store = SqliteStore.open(path);
      try {
        const stored = new Map((await store.list('/durable/')).items.map((kv) => [kv.key, kv.value]));
        const missing = acked.filter((key) => stored.get(key) !== durableValue(key));
        assert.deepEqual(missing, [], 'every acknowledged key is present with its value');
        assert.ok(store.currentRevision() >= acked.length);
        // The store is usable after the crash and continues the revision sequence.
        const kv = await store.create('/after-crash', 'v');
        assert.equal(kv.modRevision, store.currentRevision());
        assert.ok(kv.modRevision > acked.length);
      } finally {
        await store.close();
      }
    } finally {
      cleanup();
    }
  });

  test('reopening the file restores keys, history, currentRevision and compactRevision', async () => {
    const { path, cleanup } = tempDb();
    try {
      const store = SqliteStore.open(path);
      await store.create('/a', '1'); // 1
      await store.update('/a', '2', 1); // 2
      await store.create('/b', 'x'); // 3
      await store.delete('/b'); // 4
      await store.compact(2);
      await store.close();

      const reopened = SqliteStore.open(path);
      try {
        assert.equal(reopened.currentRevision(), 4);
        assert.equal(reopened.compactRevision(), 2);
        assert.deepEqual(await reopened.get('/a'), { key: '/a', value: '2', createRevision: 1, modRevision: 2 });
        assert.equal((await reopened.get('/b', 3))?.value, 'x');
        assert.equal((await reopened.create('/c', 'y')).modRevision, 5);
      } finally {
        await reopened.close();
      }
    } finally {
      cleanup();
    }
  });

  test('reopening after the newest row was compacted away continues the revision sequence', async () => {
    const { path, cleanup } = tempDb();
    try {
      const store = SqliteStore.open(path);
      await store.create('/a', '1');
      await store.delete('/a');
      await store.compact(2);
      await store.close();
      const reopened = SqliteStore.open(path);
      try {
        assert.equal(reopened.currentRevision(), 2);
        assert.equal(reopened.compactRevision(), 2);
        assert.equal((await reopened.create('/a', 'again')).modRevision, 3);
      } finally {
        await reopened.close();
      }
    } finally {
      cleanup();
    }
  });
});
