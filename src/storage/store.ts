// The storage contract: a revisioned key-value store with etcd semantics (kine-shaped). One global,
// monotonic revision numbers every write; it is the resourceVersion of every Kubernetes object.
// A write resolves only once it is durable, so a killed process loses no acknowledged write.

/** A stored key with the revisions etcd reports for it. */
export interface KeyValue {
  key: string;
  /** The serialized object (JSON text). */
  value: string;
  /** The revision of the write that created this key (since its last delete). */
  createRevision: number;
  /** The revision of the last write to this key. */
  modRevision: number;
  /**
   * On a watch event of a write made in this process: what JSON.parse(value) gives, as the writer
   * handed it over (so the watch need not parse value). The event's alone, and read-only.
   */
  object?: unknown;
}

/** One change seen by a watcher. */
export interface WatchEvent {
  type: 'create' | 'update' | 'delete';
  /** For create/update, the new value; for delete, the last value, with modRevision = the delete's revision. */
  kv: KeyValue;
  /** The value before this write (absent for create). */
  prevKv?: KeyValue;
  /** The revision of this write. */
  revision: number;
}

export interface ListOptions {
  /** At most this many items; 0 or absent means no limit. */
  limit?: number;
  /** Start after this key (exclusive), as returned by a previous page's `continueAfter`. */
  startAfter?: string;
  /** Read the state as of this revision (0 or absent: the latest). */
  revision?: number;
}

export interface ListResult {
  items: KeyValue[];
  /** The revision the list was read at. */
  revision: number;
  /** True when more keys under the prefix follow the last item. */
  more: boolean;
  /** When more: how many keys remain after this page. */
  remaining: number;
}

/** Delivered events arrive in revision order, with no gap and no duplicate. */
export type WatchHandler = (events: WatchEvent[]) => void;

export interface Watcher {
  /** Stops delivery; safe to call more than once. */
  close(): void;
  /**
   * The revision through which this watcher has been handed every event under its prefix: the
   * store's current revision when nothing is queued for it, as etcd's progress notification. A
   * BOOKMARK carrying it lets a client re-watch from there even if nothing it watches changed.
   */
  progress(): number;
}

/** Store errors carry a code so callers translate them without instanceof across modules. */
export class StoreError extends Error {
  constructor(
    readonly code: 'KeyExists' | 'Conflict' | 'NotFound' | 'Compacted' | 'FutureRevision' | 'Closed',
    message: string,
    /** For Conflict and KeyExists: the current value; for Compacted: the compacted revision. */
    readonly current?: KeyValue,
    readonly compactRevision?: number,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

export const isStoreError = (e: unknown, code?: StoreError['code']): e is StoreError =>
  e instanceof StoreError && (code === undefined || e.code === code);

/** A write that failed in a batch is reported as its StoreError; a success as its revision. */
export interface Store {
  /** The newest revision written (0 for an empty store). */
  currentRevision(): number;
  /** The revision below which history is gone (0 if never compacted). */
  compactRevision(): number;

  get(key: string, revision?: number): Promise<KeyValue | undefined>;
  /** Keys that start with prefix, in key order. */
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;
  /** Number of keys under prefix at the latest revision. */
  count(prefix: string): Promise<number>;

  /**
   * Fails with KeyExists if the key exists. Resolves with the new revision once durable. object,
   * when given, is JSON.parse(value), handed to watchers as the event's kv.object.
   */
  create(key: string, value: string, object?: unknown): Promise<KeyValue>;
  /**
   * Compare-and-swap: fails with Conflict unless the key's modRevision is expectedModRevision
   * (NotFound if absent). object as for create; previous, when given, is JSON.parse of the value
   * at expectedModRevision, handed to watchers as the event's prevKv.object.
   */
  update(key: string, value: string, expectedModRevision: number, object?: unknown, previous?: unknown): Promise<KeyValue>;
  /** Deletes the key; with expectedModRevision, only if it still has it (Conflict otherwise). */
  delete(key: string, expectedModRevision?: number): Promise<WatchEvent>;

  /**
   * Delivers every event under prefix with revision >= fromRevision, then live events, in order.
   * Throws StoreError('Compacted') when fromRevision <= compactRevision() (history is gone).
   */
  watch(prefix: string, fromRevision: number, handler: WatchHandler): Watcher;

  /** Forgets history older than revision: keys' old versions and delete tombstones. */
  compact(revision: number): Promise<void>;

  close(): Promise<void>;
}
