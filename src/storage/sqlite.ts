// The embedded default backend: etcd semantics on SQLite, shaped like kine's. Every write is an
// INSERT whose row id is the global revision, and a delete is a tombstone row, so history is just
// the table and a watch replays it with a range scan on the primary key. Each row names its key's
// previous row (prev_revision), and a UNIQUE index on (key_id, prev_revision) makes two writes that
// started from the same version of a key impossible: the database itself enforces compare-and-swap,
// even if a bug or a second process slips past the check made here first. Along a key's rows
// prev_revision grows with id, so its newest row is the one with the greatest prev_revision
// (compaction removes a deleted key's rows together with its tombstone, so a key created again
// starts a chain of its own at prev_revision 0). Ids are given explicitly (the revision), so the
// table needs no AUTOINCREMENT either; the newest revision survives a compaction that removes the
// newest row (a tombstone) in meta.
// Keys are named by a small integer (the keys table, one row per key: its name, unique, for lookups
// and prefix ranges), not by their text, in that index: a commit writes every index page it
// touches to the WAL, and with 80-byte names the leases six kubelets renew together sat on six
// different pages, with 8-byte ids on one (a commit of six renewals writes 10 pages, not 15.5, and
// takes a third less time). The process keeps the ids of the keys it has used in a map.
// Writes are group-committed: every write issued in the same turn of the event loop joins ONE
// transaction, each checked on its own (a failed CAS fails only that write), and every promise
// resolves only after the COMMIT. A commit has reached the WAL file when it returns, so it survives
// the process dying (kill -9) in either durability mode. With `fsync` (synchronous=FULL) it has
// also reached the disk, surviving an OS crash or power loss as etcd's commits do, at one fsync per
// transaction; group commit amortises that over the batch. Without it (synchronous=NORMAL, the
// mode SQLite recommends for WAL) the WAL is synced at checkpoints only, and the database is never
// corrupted, but an OS crash may roll back the last commits.

import Database from 'better-sqlite3';
import {
  StoreError,
  type KeyValue,
  type ListOptions,
  type ListResult,
  type Store,
  type WatchEvent,
  type WatchHandler,
  type Watcher,
} from './store.js';
import { WalCheckpointer } from './checkpointer.js';
import { WatchHub } from './watchhub.js';
import { defer } from '../sim/clock.js';
import {
  closedError,
  conflictMessage,
  futureRevisionMessage,
  keyExistsMessage,
  keyNotFoundMessage,
  prefixEnd,
  readRevision,
} from './keyspace.js';

/** The rows table's columns (the migration makes it under another name first). */
const rowsTable = (name: string) => `CREATE TABLE IF NOT EXISTS ${name} (
  id INTEGER PRIMARY KEY,
  key_id INTEGER NOT NULL,
  created INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,
  value TEXT NOT NULL
);`;

const keysTable = 'CREATE TABLE IF NOT EXISTS keys (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);';

const schema = `
${keysTable}
${rowsTable('kv')}
CREATE UNIQUE INDEX IF NOT EXISTS kv_key_prev_revision ON kv (key_id, prev_revision);
`;

const metaSchema = 'CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;';

/** A meta value (0 when unset). */
function readMeta(db: Database.Database, name: string): number {
  return (db.prepare('SELECT value FROM meta WHERE name = ?').pluck().get(name) as number | undefined) ?? 0;
}

/** Sets a meta value. */
function writeMeta(db: Database.Database, name: string, value: number): void {
  db.prepare('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value').run(name, value);
}

/**
 * The newest revision of a database: its newest row's, or what the last compaction recorded when it
 * removed that row (or, in a data directory made before meta kept it, SQLite's AUTOINCREMENT counter).
 */
function newestRevision(db: Database.Database): number {
  const hasSequence = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").pluck().get() !== undefined;
  const seq = hasSequence ? (db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'kv'").pluck().get() as number | undefined) : undefined;
  const maxId = db.prepare('SELECT MAX(id) FROM kv').pluck().get() as number | null;
  return Math.max(seq ?? 0, maxId ?? 0, readMeta(db, 'revision'), readMeta(db, 'compact_revision'));
}

/**
 * Moves a data directory whose rows name their key by text (every layout before key ids) to the
 * keys table, in one transaction: the rows keep their ids, so revisions, history and compaction
 * state are what they were, and the newest revision is written to meta first (the old table may
 * have counted it in AUTOINCREMENT's sequence, which goes with it).
 */
function migrateKeysByName(db: Database.Database): void {
  const byName = db.prepare("SELECT 1 FROM pragma_table_info('kv') WHERE name = 'name'").pluck().get() !== undefined;
  if (!byName) return;
  db.transaction(() => {
    writeMeta(db, 'revision', newestRevision(db));
    db.exec(`
      ${keysTable}
      INSERT INTO keys (name) SELECT DISTINCT name FROM kv ORDER BY name;
      ${rowsTable('kv_by_key_id')}
      INSERT INTO kv_by_key_id (id, key_id, created, deleted, create_revision, prev_revision, value)
        SELECT kv.id, keys.id, kv.created, kv.deleted, kv.create_revision, kv.prev_revision, kv.value
        FROM kv JOIN keys ON keys.name = kv.name ORDER BY kv.id;
      DROP TABLE kv;
      ALTER TABLE kv_by_key_id RENAME TO kv;
    `);
  }).immediate();
}

/** The kind of a queued write. */
type Op = 'create' | 'update' | 'delete';

/** A write waiting for the next group commit. */
interface PendingWrite {
  op: Op;
  key: string;
  value: string;
  /** For update, and for a conditional delete; -1 means unconditional. */
  expected: number;
  /** JSON.parse(value), when the writer gave it (for watch events). */
  object?: unknown;
  /** For update: JSON.parse of the value at `expected`, when the writer gave it (prevKv.object). */
  previous?: unknown;
  resolve: (result: KeyValue | WatchEvent) => void;
  reject: (err: unknown) => void;
}

/** What one write in a batch came to. */
type Outcome = KeyValue | WatchEvent | StoreError;

/** The newest row of a key, as selectLatest returns it (raw mode). */
type LatestRow = [id: number, deleted: number, createRevision: number, value: string];

/** The key's value as a row holds it, or undefined when there is no row or it is a tombstone. */
function liveKv(key: string, row: LatestRow | undefined): KeyValue | undefined {
  return row && !row[1] ? { key, value: row[3], createRevision: row[2], modRevision: row[0] } : undefined;
}

/** A list/count statement for one shape of key range. */
interface RangeStatements {
  list: Database.Statement;
  count: Database.Statement;
}

/** The SQLite backend. */
export class SqliteStore implements Store {
  private revision: number;
  private compacted: number;
  private queue: PendingWrite[] = [];
  private flushScheduled = false;
  private closed = false;
  private readonly hub = new WatchHub(() => this.revision);
  private readonly rangeStatements = new Map<string, RangeStatements>();

  /** The ids of the keys this process has read or written (rows of the keys table). */
  private readonly keyIds = new Map<string, number>();
  private readonly selectKeyId: Database.Statement;
  private readonly insertKey: Database.Statement;
  private readonly selectLatest: Database.Statement;
  private readonly selectAt: Database.Statement;
  private readonly insert: Database.Statement;
  private readonly selectHistory: Database.Statement;
  private readonly selectHistoryBounded: Database.Statement;
  private readonly commitBatch: Database.Transaction<(batch: PendingWrite[], outcomes: Outcome[], events: WatchEvent[]) => number>;

  private constructor(
    private readonly db: Database.Database,
    private readonly checkpointer?: WalCheckpointer,
  ) {
    this.selectKeyId = db.prepare('SELECT id FROM keys WHERE name = ?').pluck();
    this.insertKey = db.prepare('INSERT INTO keys (name) VALUES (?)');
    this.selectLatest = db
      .prepare('SELECT id, deleted, create_revision, value FROM kv WHERE key_id = ? ORDER BY prev_revision DESC LIMIT 1')
      .raw(true);
    this.selectAt = db
      .prepare('SELECT id, deleted, create_revision, value FROM kv WHERE key_id = ? AND id <= ? ORDER BY prev_revision DESC LIMIT 1')
      .raw(true);
    this.insert = db.prepare(
      'INSERT INTO kv (id, key_id, created, deleted, create_revision, prev_revision, value) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    // Watches usually start near the newest revision, so scan the id range, not the name index.
    const history = (bounded: boolean) =>
      db
        .prepare(
          `SELECT c.id, k.name, c.created, c.deleted, c.create_revision, c.prev_revision, c.value,
                  p.create_revision, p.value
           FROM kv c JOIN keys k ON k.id = c.key_id LEFT JOIN kv p ON p.id = c.prev_revision AND c.created = 0
           WHERE c.id >= ? AND c.id <= ? AND +k.name >= ? ${bounded ? 'AND +k.name < ?' : ''}
           ORDER BY c.id`,
        )
        .raw(true);
    this.selectHistory = history(false);
    this.selectHistoryBounded = history(true);
    this.commitBatch = db.transaction((batch: PendingWrite[], outcomes: Outcome[], events: WatchEvent[]) => {
      let rev = this.revision;
      for (let i = 0; i < batch.length; i++) {
        const outcome = this.apply(batch[i], rev + 1, events);
        if (!(outcome instanceof StoreError)) rev++;
        outcomes[i] = outcome;
      }
      return rev;
    });

    this.compacted = readMeta(db, 'compact_revision');
    this.revision = newestRevision(db);
  }

  /**
   * Opens (creating if needed) the store in a file; ':memory:' gives a private in-memory database.
   * fsync: every commit waits for the disk (see the top of this file); the default is false.
   */
  static open(path: string, opts: { fsync?: boolean } = {}): SqliteStore {
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma(opts.fsync ? 'synchronous = FULL' : 'synchronous = NORMAL');
    db.exec(metaSchema);
    migrateKeysByName(db);
    db.exec(schema);
    if (path === ':memory:' || path === '') return new SqliteStore(db);
    // Checkpoints run beside the writer, on a worker's connection (checkpointer.ts).
    db.pragma('wal_autocheckpoint = 0');
    return new SqliteStore(db, new WalCheckpointer(path, () => db.pragma('wal_checkpoint(PASSIVE)')));
  }

  currentRevision(): number {
    return this.revision;
  }

  compactRevision(): number {
    return this.compacted;
  }

  async get(key: string, revision?: number): Promise<KeyValue | undefined> {
    this.ensureOpen();
    const rev = readRevision(revision, this.revision, this.compacted);
    const id = this.keyId(key);
    return liveKv(key, id === undefined ? undefined : (this.selectAt.get(id, rev) as LatestRow | undefined));
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.ensureOpen();
    const rev = readRevision(opts.revision, this.revision, this.compacted);
    const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
    const end = prefixEnd(prefix);
    const after = opts.startAfter !== undefined && opts.startAfter >= prefix ? opts.startAfter : undefined;
    const stmts = this.range(after !== undefined, end !== undefined);
    const params: unknown[] = [after ?? prefix];
    if (end !== undefined) params.push(end);
    params.push(rev);
    const rows = stmts.list.all(...params, limit > 0 ? limit + 1 : -1) as [number, string, number, string][];
    let more = false;
    let remaining = 0;
    if (limit > 0 && rows.length > limit) {
      rows.length = limit;
      more = true;
      params[0] = rows[limit - 1][1];
      remaining = this.range(true, end !== undefined).count.get(...params) as number;
    }
    const items: KeyValue[] = rows.map(([id, key, createRevision, value]) => ({
      key,
      value,
      createRevision,
      modRevision: id,
    }));
    return { items, revision: rev, more, remaining };
  }

  async count(prefix: string): Promise<number> {
    this.ensureOpen();
    const end = prefixEnd(prefix);
    const params: unknown[] = [prefix];
    if (end !== undefined) params.push(end);
    return this.range(false, end !== undefined).count.get(...params, this.revision) as number;
  }

  create(key: string, value: string, object?: unknown): Promise<KeyValue> {
    return this.enqueue('create', key, value, -1, object);
  }

  update(key: string, value: string, expectedModRevision: number, object?: unknown, previous?: unknown): Promise<KeyValue> {
    return this.enqueue('update', key, value, expectedModRevision, object, previous);
  }

  delete(key: string, expectedModRevision?: number): Promise<WatchEvent> {
    return this.enqueue('delete', key, '', expectedModRevision ?? -1);
  }

  watch(prefix: string, fromRevision: number, handler: WatchHandler): Watcher {
    this.ensureOpen();
    return this.hub.subscribe(
      prefix,
      fromRevision,
      handler,
      { currentRevision: this.revision, compactRevision: this.compacted },
      (p, from, to) => this.readHistory(p, from, to),
    );
  }

  async compact(revision: number): Promise<void> {
    this.ensureOpen();
    if (revision > this.revision) throw new StoreError('FutureRevision', futureRevisionMessage);
    const since = this.compacted;
    if (revision <= since) return;
    // A row is superseded once a later row of its key at or below revision names it as
    // prev_revision; rows up to the previous compaction already had theirs removed, so only the
    // rows written since are scanned. Tombstones at or below revision are then dead weight.
    // A key left without rows (deleted, and its tombstone gone) leaves the keys table too.
    const gone: string[] = [];
    this.db.transaction(() => {
      this.db
        .prepare(
          'DELETE FROM kv WHERE id IN (SELECT prev_revision FROM kv WHERE id > ? AND id <= ? AND prev_revision > 0)',
        )
        .run(since, revision);
      const deletedKeys = this.db.prepare('DELETE FROM kv WHERE deleted = 1 AND id > ? AND id <= ? RETURNING key_id').pluck().all(since, revision);
      const dropKey = this.db.prepare('DELETE FROM keys WHERE id = ? AND NOT EXISTS (SELECT 1 FROM kv WHERE key_id = ?) RETURNING name').pluck();
      for (const id of new Set(deletedKeys)) {
        const name = dropKey.get(id, id) as string | undefined;
        if (name !== undefined) gone.push(name);
      }
      writeMeta(this.db, 'compact_revision', revision);
      // The newest row may have been a tombstone removed just now: the revision must not go back.
      writeMeta(this.db, 'revision', this.revision);
    }).immediate();
    for (const name of gone) this.keyIds.delete(name);
    this.compacted = revision;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Writes already accepted are committed, not dropped.
    if (this.queue.length > 0) this.flush();
    this.closed = true;
    this.hub.closeAll();
    await this.checkpointer?.close();
    this.db.close();
  }

  private ensureOpen(): void {
    if (this.closed) throw closedError();
  }

  private enqueue<T>(op: Op, key: string, value: string, expected: number, object?: unknown, previous?: unknown): Promise<T> {
    if (this.closed) return Promise.reject(closedError());
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ op, key, value, expected, object, previous, resolve: resolve as PendingWrite['resolve'], reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        defer(() => this.flush());
      }
    });
  }

  /** Commits every queued write in one transaction, then settles their promises and notifies watchers. */
  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    const outcomes: Outcome[] = new Array(batch.length);
    const events: WatchEvent[] = [];
    try {
      this.revision = this.commitBatch.immediate(batch, outcomes, events);
    } catch (err) {
      // The transaction rolled back: nothing in the batch is durable, key ids it made included.
      this.keyIds.clear();
      for (const w of batch) w.reject(err);
      return;
    }
    let bytes = 0;
    for (let i = 0; i < batch.length; i++) {
      const outcome = outcomes[i];
      if (outcome instanceof StoreError) {
        batch[i].reject(outcome);
        continue;
      }
      batch[i].resolve(outcome);
      // What the row and its two index entries add to the WAL, roughly.
      bytes += batch[i].value.length + 3 * batch[i].key.length + 64;
    }
    this.checkpointer?.committed(bytes);
    this.hub.publish(events);
  }

  /** Checks and inserts one write at revision rev inside the batch's transaction. */
  private apply(w: PendingWrite, rev: number, events: WatchEvent[]): Outcome {
    const { key } = w;
    let keyId = this.keyId(key);
    const latest = this.newestRow(keyId);
    const current = liveKv(key, latest);
    let kv: KeyValue;
    let event: WatchEvent;
    switch (w.op) {
      case 'create': {
        if (current) return new StoreError('KeyExists', keyExistsMessage(key), current);
        kv = { key, value: w.value, createRevision: rev, modRevision: rev };
        if (w.object !== undefined) kv.object = w.object;
        event = { type: 'create', kv, revision: rev };
        break;
      }
      case 'update': {
        if (!current) return new StoreError('NotFound', keyNotFoundMessage(key));
        if (current.modRevision !== w.expected) {
          return new StoreError('Conflict', conflictMessage(key, w.expected, current.modRevision), current);
        }
        kv = { key, value: w.value, createRevision: current.createRevision, modRevision: rev };
        if (w.object !== undefined) kv.object = w.object;
        // CAS held, so the writer's previous object is the decode of exactly this row.
        if (w.previous !== undefined) (current as KeyValue).object = w.previous;
        event = { type: 'update', kv, prevKv: current, revision: rev };
        break;
      }
      case 'delete': {
        if (!current) return new StoreError('NotFound', keyNotFoundMessage(key));
        if (w.expected >= 0 && current.modRevision !== w.expected) {
          return new StoreError('Conflict', conflictMessage(key, w.expected, current.modRevision), current);
        }
        // The tombstone keeps the last value, so a replayed delete needs no join.
        kv = { key, value: current.value, createRevision: current.createRevision, modRevision: rev };
        event = { type: 'delete', kv, prevKv: current, revision: rev };
        break;
      }
    }
    try {
      keyId ??= this.newKeyId(key);
      this.insert.run(
        rev,
        keyId,
        w.op === 'create' ? 1 : 0,
        w.op === 'delete' ? 1 : 0,
        kv.createRevision,
        latest ? latest[0] : 0,
        kv.value,
      );
    } catch (err) {
      // The unique (key_id, prev_revision) index refused a second write from the same version.
      if ((err as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw err;
      this.keyIds.delete(key);
      const now = this.newestRow(this.keyId(key));
      const nowKv = liveKv(key, now);
      if (w.op === 'create') return new StoreError('KeyExists', keyExistsMessage(key), nowKv);
      return new StoreError('Conflict', conflictMessage(key, w.expected, now?.[0] ?? 0), nowKv);
    }
    events.push(event);
    return w.op === 'delete' ? event : kv;
  }

  /** The id of key in the keys table, or undefined when it has none (it has no rows). */
  private keyId(key: string): number | undefined {
    let id = this.keyIds.get(key);
    if (id === undefined) {
      id = this.selectKeyId.get(key) as number | undefined;
      if (id !== undefined) this.keyIds.set(key, id);
    }
    return id;
  }

  /** The newest row of the key with this id (a tombstone if it was deleted last), if it has one. */
  private newestRow(keyId: number | undefined): LatestRow | undefined {
    return keyId === undefined ? undefined : (this.selectLatest.get(keyId) as LatestRow | undefined);
  }

  /** Gives key a row in the keys table (inside a write's transaction: flush forgets it on rollback). */
  private newKeyId(key: string): number {
    const id = Number(this.insertKey.run(key).lastInsertRowid);
    this.keyIds.set(key, id);
    return id;
  }

  /** The statements for a key range: lower bound inclusive (a prefix) or exclusive (startAfter), with or without an upper bound. */
  private range(exclusiveLower: boolean, bounded: boolean): RangeStatements {
    const id = `${exclusiveLower ? 'x' : 'i'}${bounded ? 'b' : 'u'}`;
    let stmts = this.rangeStatements.get(id);
    if (!stmts) {
      const range = `k.name ${exclusiveLower ? '>' : '>='} ? ${bounded ? 'AND k.name < ?' : ''}`;
      // The key's newest row at or below the revision (the bound after the range's).
      const newest = (column: string) => `(SELECT l.${column} FROM kv l WHERE l.key_id = k.id AND l.id <= ? ORDER BY l.prev_revision DESC LIMIT 1)`;
      // A page walks the keys in name order and stops at LIMIT, each key's row found through the
      // (key_id, prev_revision) index; a deleted key's newest row is its tombstone.
      const list = `SELECT j.id, k.name, j.create_revision, j.value FROM keys k, kv j
        WHERE ${range} AND j.id = ${newest('id')} AND j.deleted = 0
        ORDER BY k.name LIMIT ?`;
      const count = `SELECT COUNT(*) FROM keys k WHERE ${range} AND ${newest('deleted')} = 0`;
      stmts = { list: this.db.prepare(list).raw(true), count: this.db.prepare(count).pluck() };
      this.rangeStatements.set(id, stmts);
    }
    return stmts;
  }

  private readHistory(prefix: string, from: number, to: number): WatchEvent[] {
    const end = prefixEnd(prefix);
    const rows = (
      end === undefined ? this.selectHistory.all(from, to, prefix) : this.selectHistoryBounded.all(from, to, prefix, end)
    ) as [number, string, number, number, number, number, string, number | null, string | null][];
    return rows.map(([id, key, created, deleted, createRevision, prevRevision, value, prevCreate, prevValue]) => {
      const kv: KeyValue = { key, value, createRevision, modRevision: id };
      if (created) return { type: 'create', kv, revision: id };
      const prevKv: KeyValue | undefined = deleted
        ? { key, value, createRevision, modRevision: prevRevision }
        : prevValue !== null
          ? { key, value: prevValue, createRevision: prevCreate!, modRevision: prevRevision }
          : undefined;
      return { type: deleted ? 'delete' : 'update', kv, prevKv, revision: id };
    });
  }
}
