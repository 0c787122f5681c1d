// In-process watch fan-out shared by the storage backends. A watcher is registered before its
// history is replayed and every live event at or below the last queued revision is dropped, so a
// watcher sees each revision exactly once and in order (kine's subscribe → replay → de-duplicate).
// Delivery is deferred to a later turn of the event loop (sim/clock's defer, which the virtual clock
// waits for) so a writer's commit never runs watch handlers inline.

import { StoreError, type WatchEvent, type WatchHandler, type Watcher } from './store.js';
import { compactedMessage } from './keyspace.js';
import { defer } from '../sim/clock.js';

/** Replayed history is handed to a handler in slices of at most this many events. */
const replayChunk = 1000;

/** Reads the events under prefix with from <= revision <= to from a backend's history, in order. */
export type HistoryReader = (prefix: string, from: number, to: number) => WatchEvent[];

class HubWatcher implements Watcher {
  /** The highest revision handed to the delivery queue; live events at or below it are duplicates. */
  lastQueued: number;
  /** The highest revision handed to the handler. */
  private lastDelivered: number;
  closed = false;
  private readonly queue: WatchEvent[][] = [];
  private scheduled = false;

  constructor(
    private readonly hub: WatchHub,
    readonly prefix: string,
    fromRevision: number,
    private readonly handler: WatchHandler,
  ) {
    this.lastQueued = fromRevision - 1;
    this.lastDelivered = fromRevision - 1;
  }

  progress(): number {
    // Commits publish in the same turn that advances the revision, so with an empty queue every
    // event up to the current revision has reached the handler.
    if (this.queue.length === 0) return Math.max(this.lastQueued, this.hub.currentRevision());
    return this.lastDelivered;
  }

  /** Queues the events of one commit (already filtered to this watcher's prefix). */
  enqueue(events: WatchEvent[]): void {
    const fresh = events[0].revision > this.lastQueued ? events : events.filter((e) => e.revision > this.lastQueued);
    if (fresh.length === 0 || this.closed) return;
    this.lastQueued = fresh[fresh.length - 1].revision;
    this.queue.push(fresh);
    if (!this.scheduled) {
      this.scheduled = true;
      defer(() => this.drain());
    }
  }

  private drain(): void {
    this.scheduled = false;
    while (this.queue.length > 0 && !this.closed) {
      const batch = this.queue.shift()!;
      this.lastDelivered = batch[batch.length - 1].revision;
      try {
        this.handler(batch);
      } catch (err) {
        // A failing handler must not starve the other watchers or the writers; it loses its watch.
        console.error('storage: watch handler failed, closing its watch:', err);
        this.close();
      }
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.hub.remove(this);
  }
}

/**
 * The part of a key or prefix that names its resource, "/registry/<group>/<resource>/" (up to the
 * fourth "/"), or undefined when it is shorter. A key can only match a prefix that has the same one.
 */
export function resourcePrefix(s: string): string | undefined {
  let at = -1;
  for (let n = 0; n < 4; n++) {
    at = s.indexOf('/', at + 1);
    if (at < 0) return undefined;
  }
  return s.slice(0, at + 1);
}

/** Hands w the events under its prefix, if any. */
function offer(w: HubWatcher, events: WatchEvent[]): void {
  if (w.prefix === '') {
    w.enqueue(events);
    return;
  }
  let matching: WatchEvent[] | undefined;
  let all = true;
  for (const e of events) {
    if (e.kv.key.startsWith(w.prefix)) (matching ??= []).push(e);
    else all = false;
  }
  if (matching) w.enqueue(all ? events : matching);
}

/** The set of live watchers of one store. */
export class WatchHub {
  private readonly watchers = new Set<HubWatcher>();
  // Watchers by the resource their prefix names, so that a commit is offered only to the watchers
  // of the resources it wrote (dozens of informers watch dozens of resources); broad ones (a prefix
  // shorter than a resource's) see every commit.
  private readonly byResource = new Map<string, Set<HubWatcher>>();
  private readonly broad = new Set<HubWatcher>();

  /** currentRevision: the store's revision, which it advances in the same turn it publishes. */
  constructor(readonly currentRevision: () => number) {}

  /** The number of open watchers (for tests and metrics). */
  get size(): number {
    return this.watchers.size;
  }

  /**
   * Registers a watcher for revisions >= fromRevision, then replays what history holds up to
   * currentRevision. fromRevision <= 0 means "from now". Refuses history that compaction removed.
   */
  subscribe(
    prefix: string,
    fromRevision: number,
    handler: WatchHandler,
    state: { currentRevision: number; compactRevision: number },
    readHistory: HistoryReader,
  ): Watcher {
    const from = fromRevision <= 0 ? state.currentRevision + 1 : fromRevision;
    if (from <= state.compactRevision) {
      throw new StoreError('Compacted', compactedMessage, undefined, state.compactRevision);
    }
    const watcher = new HubWatcher(this, prefix, from, handler);
    this.watchers.add(watcher);
    const resource = resourcePrefix(prefix);
    if (resource === undefined) this.broad.add(watcher);
    else {
      let set = this.byResource.get(resource);
      if (!set) this.byResource.set(resource, (set = new Set()));
      set.add(watcher);
    }
    if (from <= state.currentRevision) {
      const history = readHistory(prefix, from, state.currentRevision);
      for (let i = 0; i < history.length; i += replayChunk) watcher.enqueue(history.slice(i, i + replayChunk));
      // Nothing under the prefix changed in the replayed range; later revisions are still wanted.
      watcher.lastQueued = Math.max(watcher.lastQueued, state.currentRevision);
    }
    return watcher;
  }

  /** Fans out the events of one commit, in revision order, to every watcher whose prefix matches. */
  publish(events: WatchEvent[]): void {
    if (events.length === 0 || this.watchers.size === 0) return;
    for (const w of this.broad) offer(w, events);
    if (this.byResource.size === 0) return;
    if (events.length === 1) {
      this.offerResource(resourcePrefix(events[0].kv.key), events);
      return;
    }
    // The commit's events by resource, each list in revision order.
    const groups = new Map<string | undefined, WatchEvent[]>();
    for (const e of events) {
      const r = resourcePrefix(e.kv.key);
      const list = groups.get(r);
      if (list) list.push(e);
      else groups.set(r, [e]);
    }
    for (const [r, list] of groups) this.offerResource(r, list);
  }

  private offerResource(resource: string | undefined, events: WatchEvent[]): void {
    const set = resource === undefined ? undefined : this.byResource.get(resource);
    if (set) for (const w of set) offer(w, events);
  }

  remove(w: HubWatcher): void {
    this.watchers.delete(w);
    this.broad.delete(w);
    const r = resourcePrefix(w.prefix);
    const set = r === undefined ? undefined : this.byResource.get(r);
    if (set) {
      set.delete(w);
      if (set.size === 0) this.byResource.delete(r!);
    }
  }

  /** Stops every watcher (the store is closing). */
  closeAll(): void {
    for (const w of [...this.watchers]) w.close();
  }
}
