// The yardstick every API figure is divided by: single-row INSERTs straight into better-sqlite3,
// one transaction each, on a fresh file with the pragmas SqliteStore runs with in the same mode
// (WAL; synchronous=FULL, one fsync per insert, for a store under --fsync, else NORMAL) and its kv
// table shape. It is what "one acknowledged write" costs this disk when nothing else is in the way.
import Database from 'better-sqlite3';
import { summarize, type Summary } from './stats.js';

/** What the baseline measured. */
export interface BaselineResult {
  inserts: number;
  seconds: number;
  insertsPerSecond: number;
  /** The size of each inserted value, in bytes. */
  valueBytes: number;
  /** The synchronous pragma it ran with. */
  synchronous: 'FULL' | 'NORMAL';
  /** Per-insert time (ms): its tail is the disk's fsync tail, which every durable write waits on. */
  latency: Summary;
}

/** The same table and indexes SqliteStore creates, so the baseline pays the same index upkeep. */
const SCHEMA = `
CREATE TABLE kv (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  created INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,
  value TEXT NOT NULL
);
CREATE UNIQUE INDEX kv_name_prev_revision ON kv (name, prev_revision);
CREATE INDEX kv_name_id ON kv (name, id);
`;

/** A value shaped like a small stored ConfigMap (uid, timestamp, a label, one data key). */
export function storedConfigMapValue(i: number): string {
  const name = `cm-${String(i).padStart(6, '0')}`;
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      namespace: 'bench',
      labels: { app: 'bench' },
      uid: `3f1c2a8e-0000-4000-8000-${String(i).padStart(12, '0')}`,
      creationTimestamp: '2026-01-01T00:00:00Z',
    },
    data: { key: `value-${i}` },
  });
}

/**
 * Inserts rows one transaction at a time into a fresh database at path for about durationMs
 * (at least minInserts), timing with now() (milliseconds, monotonic).
 */
export function runBaseline(path: string, durationMs: number, minInserts: number, now: () => number, fsync = true): BaselineResult {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(fsync ? 'synchronous = FULL' : 'synchronous = NORMAL');
    db.exec(SCHEMA);
    const insert = db.prepare(
      'INSERT INTO kv (id, name, created, deleted, create_revision, prev_revision, value) VALUES (?, ?, 1, 0, ?, 0, ?)',
    );
    // better-sqlite3 runs a lone statement in autocommit mode: one transaction, one WAL fsync.
    const one = (i: number) => insert.run(i, `/registry/core/configmaps/bench/cm-${i}`, i, storedConfigMapValue(i));
    for (let i = 1; i <= 50; i++) one(i); // warm the statement and the WAL file
    let n = 0;
    const start = now();
    let elapsed = 0;
    const latencies: number[] = [];
    while (elapsed < durationMs || n < minInserts) {
      const t0 = now();
      one(51 + n);
      n++;
      const t1 = now();
      latencies.push(t1 - t0);
      elapsed = t1 - start;
    }
    return {
      inserts: n,
      seconds: elapsed / 1000,
      insertsPerSecond: n / (elapsed / 1000),
      valueBytes: storedConfigMapValue(1).length,
      synchronous: fsync ? 'FULL' : 'NORMAL',
      latency: summarize(latencies),
    };
  } finally {
    db.close();
  }
}
