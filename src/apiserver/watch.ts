// Serves a watch: newline-delimited JSON events with upstream's resourceVersion semantics, selector
// transitions, BOOKMARK events, sendInitialEvents, timeoutSeconds and 410 Expired as an ERROR event.
import type { Watcher } from '../storage/store.js';
import type { KubeObject } from '../api/types.js';
import { badRequest } from '../apimachinery/errors.js';
import type { Clock, TimerHandle } from '../sim/clock.js';
import { toStatus, type ResponseSink } from './http.js';
import { onAbort } from './on-abort.js';
import { parseResourceVersion, type GenericRegistry, type ObjectEvent, type ObjectFilter } from './registry/generic.js';

export interface WatchParams {
  namespace: string;
  filter?: ObjectFilter;
  resourceVersion?: string;
  resourceVersionMatch?: string;
  allowWatchBookmarks: boolean;
  sendInitialEvents?: boolean;
  timeoutSeconds?: number;
  /** Turns a stored object into what the client sees (version conversion, Table, metadata). */
  transform: (obj: KubeObject, first: boolean) => unknown;
  /** The apiVersion and kind for BOOKMARK objects. */
  bookmarkType: { apiVersion: string; kind: string };
}

/** How often idle watchers get a BOOKMARK, as the watch cache's bookmark timer (about a minute). */
export const BOOKMARK_INTERVAL_MS = 60_000;

/** How long before a watch's timeout its last BOOKMARK goes (the watch cache's pre-timeout bookmark). */
const PRE_TIMEOUT_BOOKMARK_MS = 2_000;

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** Checks a watch request's parameters as upstream's ValidateListOptions does. */
export function validateWatchParams(p: { sendInitialEvents?: boolean; resourceVersionMatch?: string; allowWatchBookmarks: boolean; resourceVersion?: string }) {
  if (p.sendInitialEvents) {
    if (p.resourceVersionMatch !== 'NotOlderThan') {
      throw badRequest(
        `sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless the resourceVersionMatch is "NotOlderThan"`,
      );
    }
    if (!p.allowWatchBookmarks) throw badRequest('allowWatchBookmarks: Required value: allowWatchBookmarks must be set to true when sendInitialEvents is set');
  } else if (p.resourceVersionMatch) {
    throw badRequest(`resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided`);
  }
}

// One ticker per clock sends every watcher its periodic bookmark, as the watch cache's single
// dispatcher does, rather than a timer per watch (a cluster's components hold dozens of watches).
const bookmarkTickers = new WeakMap<Clock, { handle: TimerHandle; watchers: Set<() => void> }>();
function onBookmarkTick(clock: Clock, fn: () => void): () => void {
  let ticker = bookmarkTickers.get(clock);
  if (!ticker) {
    const watchers = new Set<() => void>();
    const handle = clock.setInterval(() => {
      for (const w of [...watchers]) w();
    }, BOOKMARK_INTERVAL_MS);
    ticker = { handle, watchers };
    bookmarkTickers.set(clock, ticker);
  }
  const t = ticker;
  t.watchers.add(fn);
  return () => {
    t.watchers.delete(fn);
    if (t.watchers.size === 0) {
      clock.clearInterval(t.handle);
      bookmarkTickers.delete(clock);
    }
  };
}

// Watchers of the same resource and version are sent the same (shared, read-only) objects: each
// is serialised once for all of them.
const serializedObjects = new WeakMap<object, { apiVersion: unknown; kind: unknown; json: string }>();
function serialized(object: unknown): string {
  if (typeof object !== 'object' || object === null) return JSON.stringify(object);
  const o = object as { apiVersion?: unknown; kind?: unknown };
  const hit = serializedObjects.get(object);
  // apiVersion/kind are set per watcher just before sending; a hit must agree on both.
  if (hit && hit.apiVersion === o.apiVersion && hit.kind === o.kind) return hit.json;
  const json = JSON.stringify(object);
  serializedObjects.set(object, { apiVersion: o.apiVersion, kind: o.kind, json });
  return json;
}

/** Streams a watch to res until the client leaves, the timeout passes, or the server stops. */
export async function serveWatch(res: ResponseSink, registry: GenericRegistry, p: WatchParams, clock: Clock, stop: AbortSignal): Promise<void> {
  validateWatchParams(p);
  const rv = parseResourceVersion(p.resourceVersion);
  let first = true;
  let lastRevision = 0;
  let closed = false;
  let timer: TimerHandle | undefined;
  let preTimeout: TimerHandle | undefined;
  let stopBookmarks: (() => void) | undefined;
  let watcher: Watcher | undefined;

  // Events of one store batch go out in one write (one TLS record), not one per event; to a sink
  // that takes objects, as objects (it copies them at once: the next watcher's transform may set
  // another apiVersion on the same shared object).
  let pending: string[] | undefined;
  const send = (type: EventType, object: unknown) => {
    if (closed) return;
    if (res.writeEvent?.(type, object)) return;
    const line = `{"type":"${type}","object":${serialized(object)}}\n`;
    if (pending) pending.push(line);
    else res.write(line);
  };
  const sendObject = (type: EventType, obj: KubeObject) => {
    const out = p.transform(obj, first);
    first = false;
    send(type, out);
  };
  const bookmark = (annotations?: Record<string, string>) => {
    // The store's progress, not just the last event sent: a watch of a quiet resource still moves
    // its client past compactions (the watch cache's bookmarks ride on etcd progress notifies).
    if (watcher) lastRevision = Math.max(lastRevision, watcher.progress());
    const metadata: Record<string, unknown> = { resourceVersion: String(lastRevision) };
    if (annotations) metadata.annotations = annotations;
    send('BOOKMARK', { ...p.bookmarkType, metadata });
  };

  const done = new Promise<void>((resolve) => {
    const finish = () => {
      if (closed) return;
      closed = true;
      clock.clearTimeout(timer);
      clock.clearTimeout(preTimeout);
      stopBookmarks?.();
      watcher?.close();
      unlistenStop();
      res.end();
      resolve();
    };
    res.once('close', finish);
    const unlistenStop = onAbort(stop, finish);
    // Upstream picks a timeout between minRequestTimeout and twice that when the client names none.
    const timeoutMs = p.timeoutSeconds !== undefined ? p.timeoutSeconds * 1000 : 1800_000 * (1 + Math.random());
    timer = clock.setTimeout(finish, timeoutMs);
    // The watch cache bookmarks a watch 2 s before its deadline (not at all when that has passed
    // already), so the client re-watches from the store's progress, not from its last event,
    // which would replay the history since.
    if (p.allowWatchBookmarks && timeoutMs > PRE_TIMEOUT_BOOKMARK_MS) preTimeout = clock.setTimeout(() => bookmark(), timeoutMs - PRE_TIMEOUT_BOOKMARK_MS);
    (res as { finishWatch?: () => void }).finishWatch = finish;
  });

  const matches = (o: KubeObject | undefined) => !!o && (!p.filter || p.filter(o));
  const onEvents = (events: ObjectEvent[]) => {
    pending = [];
    for (const e of events) {
      lastRevision = e.revision;
      if (!p.filter) {
        // Without a selector every event passes as it is (and the previous object stays undecoded).
        sendObject(e.type, e.object);
        continue;
      }
      const now = matches(e.object);
      const before = e.type === 'MODIFIED' ? matches(e.previous) : e.type === 'DELETED';
      if (e.type === 'ADDED') {
        if (now) sendObject('ADDED', e.object);
      } else if (e.type === 'DELETED') {
        if (matches(e.previous)) sendObject('DELETED', e.object);
      } else if (now && before) sendObject('MODIFIED', e.object);
      else if (now && !before) sendObject('ADDED', e.object);
      else if (!now && before) sendObject('DELETED', e.object);
    }
    const out = pending.join('');
    pending = undefined;
    if (out && !closed) res.write(out);
  };

  // The initial list runs before the response starts, so its errors are ordinary Status answers.
  const initial = p.sendInitialEvents || rv === 0;
  const list = initial ? await registry.list(p.namespace, { filter: p.filter }) : undefined;
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders?.();

  let from: number;
  if (list) {
    // "Get state and start at most recent": synthetic ADDED events for what exists now.
    lastRevision = Number(list.resourceVersion);
    for (const obj of list.items) sendObject('ADDED', obj);
    if (p.sendInitialEvents) bookmark({ 'k8s.io/initial-events-end': 'true' });
    from = lastRevision + 1;
  } else {
    lastRevision = rv;
    from = rv + 1;
  }
  try {
    watcher = registry.watch(p.namespace, from, onEvents);
  } catch (e) {
    // A compacted resourceVersion is reported inside the stream, as the watch cache does.
    send('ERROR', toStatus(e));
    (res as { finishWatch?: () => void }).finishWatch?.();
    return done;
  }
  if (p.allowWatchBookmarks) stopBookmarks = onBookmarkTick(clock, bookmark);
  return done;
}
