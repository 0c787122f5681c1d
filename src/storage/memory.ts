// A Store that keeps its whole history in memory: the same rows, revisions, compaction and watch
// semantics as the SQLite backend (one row per write, delete as a tombstone row), without
// durability. For tests and throwaway clusters.

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
import { WatchHub } from './watchhub.js';
import {
  closedError,
  conflictMessage,
  futureRevisionMessage,
  keyExistsMessage,
  keyNotFoundMessage,
  readRevision,
} from './keyspace.js';

/** One write, as the SQLite backend's table holds it. */
interface Row {
  revision: number;
  key: string;
  value: string;
  createRevision: number;
  /** The revision of the key's previous row (0 when the key never had one). */
  prevRevision: number;
  /** True for the first write after the key was absent. */
  created: boolean;
  deleted: boolean;
}

/** The in-memory backend. */
export class MemoryStore implements Store {
  private revision = 0;
  private compacted = 0;
  /** Every retained row in revision order (the watch history). */
  private log: Row[] = [];
  /** Retained rows per key, oldest first. */
  private readonly history = new Map<string, Row[]>();
  /** Keys with at least one retained row, sorted, for prefix scans. */
  private readonly keys: string[] = [];
  private readonly hub = new WatchHub(() => this.revision);
  private closed = false;

  currentRevision(): number {
    return this.revision;
  }

  compactRevision(): number {
    return this.compacted;
  }

  async get(key: string, revision?: number): Promise<KeyValue | undefined> {
    this.ensureOpen();
    const rev = readRevision(revision, this.revision, this.compacted);
    const row = this.rowAt(key, rev);
    return row && !row.deleted ? toKeyValue(row) : undefined;
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.ensureOpen();
    const rev = readRevision(opts.revision, this.revision, this.compacted);
    const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
    const after = opts.startAfter;
    let i = lowerBound(this.keys, after !== undefined && after >= prefix ? after : prefix);
    if (i < this.keys.length && this.keys[i] === after) i++;
    const items: KeyValue[] = [];
    let remaining = 0;
    for (; i < this.keys.length; i++) {
      const key = this.keys[i];
      if (!key.startsWith(prefix)) break;
      const row = this.rowAt(key, rev);
      if (!row || row.deleted) continue;
      if (items.length < limit) items.push(toKeyValue(row));
      else remaining++;
    }
    return { items, revision: rev, more: remaining > 0, remaining };
  }

  async count(prefix: string): Promise<number> {
    this.ensureOpen();
    let n = 0;
    for (let i = lowerBound(this.keys, prefix); i < this.keys.length && this.keys[i].startsWith(prefix); i++) {
      const rows = this.history.get(this.keys[i])!;
      if (!rows[rows.length - 1].deleted) n++;
    }
    return n;
  }

  async create(key: string, value: string, object?: unknown): Promise<KeyValue> {
    this.ensureOpen();
    const latest = this.latest(key);
    if (latest && !latest.deleted) throw new StoreError('KeyExists', keyExistsMessage(key), toKeyValue(latest));
    const rev = this.revision + 1;
    const row: Row = {
      revision: rev,
      key,
      value,
      createRevision: rev,
      prevRevision: latest?.revision ?? 0,
      created: true,
      deleted: false,
    };
    this.append(row);
    this.hub.publish([{ type: 'create', kv: withObject(toKeyValue(row), object), revision: rev }]);
    return toKeyValue(row);
  }

  async update(key: string, value: string, expectedModRevision: number, object?: unknown, previous?: unknown): Promise<KeyValue> {
    this.ensureOpen();
    const latest = this.latestForWrite(key, expectedModRevision);
    const rev = this.revision + 1;
    const row: Row = {
      revision: rev,
      key,
      value,
      createRevision: latest.createRevision,
      prevRevision: latest.revision,
      created: false,
      deleted: false,
    };
    this.append(row);
    const kv = toKeyValue(row);
    this.hub.publish([{ type: 'update', kv: withObject({ ...kv }, object), prevKv: withObject(toKeyValue(latest), previous), revision: rev }]);
    return kv;
  }

  async delete(key: string, expectedModRevision?: number): Promise<WatchEvent> {
    this.ensureOpen();
    const latest = this.latestForWrite(key, expectedModRevision);
    const rev = this.revision + 1;
    const row: Row = {
      revision: rev,
      key,
      value: latest.value,
      createRevision: latest.createRevision,
      prevRevision: latest.revision,
      created: false,
      deleted: true,
    };
    this.append(row);
    const event: WatchEvent = { type: 'delete', kv: toKeyValue(row), prevKv: toKeyValue(latest), revision: rev };
    this.hub.publish([event]);
    return event;
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
    if (revision > this.revision) {
      throw new StoreError('FutureRevision', futureRevisionMessage);
    }
    if (revision <= this.compacted) return;
    // Keep, per key, every row newer than revision plus the newest row at or below it, unless
    // that row is a tombstone: exactly what a read at revision (or later) still needs.
    const dropped = new Set<Row>();
    for (const [key, rows] of this.history) {
      let newestAtRev = -1;
      for (let i = 0; i < rows.length && rows[i].revision <= revision; i++) newestAtRev = i;
      if (newestAtRev < 0) continue;
      const cut = rows[newestAtRev].deleted ? newestAtRev + 1 : newestAtRev;
      if (cut === 0) continue;
      for (let i = 0; i < cut; i++) dropped.add(rows[i]);
      if (cut === rows.length) {
        this.history.delete(key);
        this.keys.splice(lowerBound(this.keys, key), 1);
      } else {
        this.history.set(key, rows.slice(cut));
      }
    }
    if (dropped.size > 0) this.log = this.log.filter((r) => !dropped.has(r));
    this.compacted = revision;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.hub.closeAll();
  }

  private ensureOpen(): void {
    if (this.closed) throw closedError();
  }

  private latest(key: string): Row | undefined {
    const rows = this.history.get(key);
    return rows?.[rows.length - 1];
  }

  /** The newest row of a live key that an update or delete will replace: NotFound, or Conflict when expected is given and differs. */
  private latestForWrite(key: string, expected: number | undefined): Row {
    const latest = this.latest(key);
    if (!latest || latest.deleted) throw new StoreError('NotFound', keyNotFoundMessage(key));
    if (expected !== undefined && latest.revision !== expected) {
      throw new StoreError('Conflict', conflictMessage(key, expected, latest.revision), toKeyValue(latest));
    }
    return latest;
  }

  /** The newest row of key at or below revision. */
  private rowAt(key: string, revision: number): Row | undefined {
    const rows = this.history.get(key);
    if (!rows) return undefined;
    for (let i = rows.length - 1; i >= 0; i--) if (rows[i].revision <= revision) return rows[i];
    return undefined;
  }

  private append(row: Row): void {
    this.revision = row.revision;
    this.log.push(row);
    const rows = this.history.get(row.key);
    if (rows) {
      rows.push(row);
    } else {
      this.history.set(row.key, [row]);
      this.keys.splice(lowerBound(this.keys, row.key), 0, row.key);
    }
  }

  private readHistory(prefix: string, from: number, to: number): WatchEvent[] {
    const events: WatchEvent[] = [];
    let lo = 0;
    let hi = this.log.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.log[mid].revision < from) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.log.length && this.log[i].revision <= to; i++) {
      const row = this.log[i];
      if (!row.key.startsWith(prefix)) continue;
      events.push(this.toEvent(row));
    }
    return events;
  }

  private toEvent(row: Row): WatchEvent {
    const kv = toKeyValue(row);
    if (row.created) return { type: 'create', kv, revision: row.revision };
    const prev = this.history.get(row.key)!.find((r) => r.revision === row.prevRevision);
    const prevKv = prev ? toKeyValue(prev) : undefined;
    return { type: row.deleted ? 'delete' : 'update', kv, prevKv, revision: row.revision };
  }
}

function toKeyValue(row: Row): KeyValue {
  return { key: row.key, value: row.value, createRevision: row.createRevision, modRevision: row.revision };
}

/** The index of the first element >= value in a sorted array. */
function lowerBound(sorted: string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** kv with the writer's object for the watch event (see KeyValue.object). */
function withObject(kv: KeyValue, object: unknown): KeyValue {
  if (object !== undefined) kv.object = object;
  return kv;
}
