// Shared informers as client-go builds them: a reflector lists, then watches from the list's
// resourceVersion (with bookmarks), re-watches from the last resourceVersion it saw when a watch
// ends, and relists on 410 Expired; an indexer caches objects; handlers hear add/update/delete,
// with DeletedFinalStateUnknown tombstones for deletions a relist discovers, and periodic resyncs
// as updates of identical objects. Every delay runs on the Clock.
import type { KubeList, KubeObject } from '../api/types.js';
import { StatusError } from '../apimachinery/errors.js';
import { matches, parseSelector } from '../apimachinery/labels.js';
import type { Clock, TimerHandle } from '../sim/clock.js';
import type { ListOptions, ResourceClient, ResourceRef, RestClient, Watch, WatchOptions } from './rest.js';
import { newCacheMutationDetector } from '../apimachinery/mutation-detector.js';

/** A deletion the informer inferred on relist: the last state it knew, under its key. */
export class DeletedFinalStateUnknown<T = KubeObject> {
  constructor(
    readonly key: string,
    readonly obj: T,
  ) {}
}

/** client-go's MetaNamespaceKeyFunc: "ns/name", or "name" for cluster-scoped objects. */
export function metaNamespaceKey(obj: KubeObject | DeletedFinalStateUnknown): string {
  if (obj instanceof DeletedFinalStateUnknown) return obj.key;
  const ns = obj.metadata.namespace;
  return ns ? `${ns}/${obj.metadata.name}` : String(obj.metadata.name);
}

/** Splits a "ns/name" key; cluster-scoped keys have namespace "". */
export function splitMetaNamespaceKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

/** What an informer tells its handlers. */
export interface EventHandler<T = KubeObject> {
  onAdd?(obj: T, isInInitialList: boolean): void;
  onUpdate?(oldObj: T, newObj: T): void;
  onDelete?(obj: T | DeletedFinalStateUnknown<T>): void;
}

/** Computes the values an object is indexed under. */
export type IndexFunc<T = KubeObject> = (obj: T) => string[];

/** The built-in index of objects by namespace. */
export const NAMESPACE_INDEX = 'namespace';

/** A keyed object cache with secondary indexes (client-go's cache.Indexer). */
export class Indexer<T extends KubeObject = KubeObject> {
  private readonly items = new Map<string, T>();
  private readonly indices = new Map<string, Map<string, Set<string>>>();
  private readonly indexers = new Map<string, IndexFunc<T>>();
  /** Under SKIFF_CACHE_MUTATION_DETECTOR: pristine copies, to prove nobody changed a cached object. */
  private readonly detector = newCacheMutationDetector<T>();

  constructor(
    indexers: Record<string, IndexFunc<T>> = {},
    private readonly keyFunc: (obj: T) => string = metaNamespaceKey,
  ) {
    this.addIndexers({ [NAMESPACE_INDEX]: (o) => [o.metadata.namespace ?? ''], ...indexers });
  }

  /** Adds index functions; existing objects are indexed at once. */
  addIndexers(indexers: Record<string, IndexFunc<T>>): void {
    for (const [name, fn] of Object.entries(indexers)) {
      this.indexers.set(name, fn);
      const index = new Map<string, Set<string>>();
      this.indices.set(name, index);
      for (const [key, obj] of this.items) for (const v of fn(obj)) addTo(index, v, key);
    }
  }

  keyOf(obj: T): string {
    return this.keyFunc(obj);
  }

  /** Stores obj under its key, returning what was there. */
  set(obj: T): T | undefined {
    const key = this.keyFunc(obj);
    const old = this.items.get(key);
    if (old) this.detector?.leaving(key, old);
    this.items.set(key, obj);
    this.detector?.cached(key, obj);
    for (const [name, fn] of this.indexers) {
      const index = this.indices.get(name)!;
      const values = fn(obj);
      if (old) {
        const before = fn(old);
        // As client-go's updateSingleIndex: most updates leave a one-valued index as it was.
        if (before.length === 1 && values.length === 1 && before[0] === values[0]) continue;
        for (const v of before) removeFrom(index, v, key);
      }
      for (const v of values) addTo(index, v, key);
    }
    return old;
  }

  /** Removes the object under key, returning it. */
  delete(key: string): T | undefined {
    const old = this.items.get(key);
    if (!old) return undefined;
    this.unindex(key, old);
    this.items.delete(key);
    this.detector?.leaving(key, old);
    return old;
  }

  /** Under SKIFF_CACHE_MUTATION_DETECTOR, checks that no cached object was changed. */
  checkMutations(): void {
    this.detector?.checkAll((key) => this.items.get(key));
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  keys(): string[] {
    return [...this.items.keys()];
  }

  get size(): number {
    return this.items.size;
  }

  /** How many objects the index holds under value, without building them. */
  indexCount(indexName: string, value: string): number {
    const index = this.indices.get(indexName);
    if (!index) throw new Error(`Index with name ${indexName} does not exist`);
    return index.get(value)?.size ?? 0;
  }

  /** Objects whose index function yields value. */
  byIndex(indexName: string, value: string): T[] {
    const index = this.indices.get(indexName);
    if (!index) throw new Error(`Index with name ${indexName} does not exist`);
    const out: T[] = [];
    for (const k of index.get(value) ?? []) {
      const o = this.items.get(k);
      if (o) out.push(o);
    }
    return out;
  }

  private unindex(key: string, obj: T): void {
    for (const [name, fn] of this.indexers) {
      const index = this.indices.get(name)!;
      for (const v of fn(obj)) removeFrom(index, v, key);
    }
  }
}

function removeFrom(index: Map<string, Set<string>>, value: string, key: string): void {
  const set = index.get(value);
  set?.delete(key);
  if (set && !set.size) index.delete(value);
}

function addTo(index: Map<string, Set<string>>, value: string, key: string): void {
  let set = index.get(value);
  if (!set) index.set(value, (set = new Set()));
  set.add(key);
}

/** Read access to an informer's cache, by namespace and label selector (client-go's listers). */
export class Lister<T extends KubeObject = KubeObject> {
  constructor(private readonly indexer: Indexer<T>) {}

  /** The object ns/name (or name for cluster-scoped), or undefined. */
  get(namespace: string, name: string): T | undefined {
    return this.indexer.get(namespace ? `${namespace}/${name}` : name);
  }

  /** Objects in a namespace ("" or undefined: all), optionally matching a label selector string. */
  list(namespace?: string, labelSelector?: string): T[] {
    const objs = namespace ? this.indexer.byIndex(NAMESPACE_INDEX, namespace) : this.indexer.list();
    if (!labelSelector) return objs;
    const sel = parseSelector(labelSelector);
    return objs.filter((o) => matches(sel, o.metadata.labels ?? {}));
  }

  byIndex(indexName: string, value: string): T[] {
    return this.indexer.byIndex(indexName, value);
  }
}

/** The list and watch calls a reflector makes (a ResourceClient provides them). */
export interface ListerWatcher<T> {
  list(opts: ListOptions): Promise<KubeList<T>>;
  watch(opts: WatchOptions): Promise<Watch<T>>;
}

/** Receives diagnostics; defaults to stderr. */
export type Logger = (message: string, err?: unknown) => void;

/** The default logger: one line on stderr. */
export const stderrLogger: Logger = (message, err) => {
  console.error(err === undefined ? message : `${message}: ${err instanceof Error ? err.message : String(err)}`);
};

/** Configures a shared informer. */
export interface InformerConfig<T extends KubeObject> {
  lw: ListerWatcher<T>;
  clock: Clock;
  /** How often handlers get every cached object again as an update (0: never). */
  resyncPeriodMs?: number;
  indexers?: Record<string, IndexFunc<T>>;
  /** The list page size (client-go's pager default: 500). */
  pageSize?: number;
  /** Watches ask the server to end them after [min, 2·min) (the reflector's 5 minutes). */
  minWatchTimeoutMs?: number;
  /** What the informer reports on; client-go's "<resource>" reflector name. */
  name?: string;
  log?: Logger;
  /** Stamps apiVersion/kind on objects that lack them (metadata-only lists and watches). */
  typeMeta?: { apiVersion: string; kind: string };
}

interface Registration<T> {
  handler: EventHandler<T>;
  resyncMs: number;
  timer?: TimerHandle;
}

// The reflector's backoff after a failed list or watch: 800 ms doubling to 30 s (client-go's
// NewExponentialBackoffManager(800ms, 30s, 2min, 2.0, 1.0)).
const BACKOFF_INITIAL_MS = 800;
const BACKOFF_MAX_MS = 30_000;

/**
 * One resource's shared informer: a reflector feeding an indexer and any number of handlers.
 * start(signal) returns at once; stopping the signal stops the watch.
 */
export class SharedInformer<T extends KubeObject = KubeObject> {
  readonly indexer: Indexer<T>;
  readonly lister: Lister<T>;
  private readonly registrations: Registration<T>[] = [];
  private readonly clock: Clock;
  private readonly log: Logger;
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  private started = false;
  private signal?: AbortSignal;
  private watch?: Watch<T>;
  /** The resourceVersion the informer has seen up to (list, events, bookmarks). */
  lastSyncResourceVersion = '';
  /** How many times the reflector listed (1 + relists), for tests and metrics. */
  listCount = 0;
  /** How many watches the reflector opened. */
  watchCount = 0;

  constructor(private readonly config: InformerConfig<T>) {
    this.clock = config.clock;
    this.log = config.log ?? stderrLogger;
    this.indexer = new Indexer<T>(config.indexers ?? {});
    this.lister = new Lister(this.indexer);
  }

  /** Registers handlers; a handler added after sync first hears every cached object as an add. */
  addEventHandler(handler: EventHandler<T>, resyncPeriodMs = this.config.resyncPeriodMs ?? 0): void {
    const reg: Registration<T> = { handler, resyncMs: resyncPeriodMs };
    this.registrations.push(reg);
    if (this.synced) for (const obj of this.indexer.list()) this.safely(() => handler.onAdd?.(obj, true));
    if (this.started) this.scheduleResync(reg);
  }

  /** Stops delivering to handler (RemoveEventHandler); the informer itself runs on. */
  removeEventHandler(handler: EventHandler<T>): void {
    const i = this.registrations.findIndex((r) => r.handler === handler);
    if (i < 0) return;
    const [reg] = this.registrations.splice(i, 1);
    if (reg.timer) this.clock.clearInterval(reg.timer);
  }

  /** Adds index functions to the cache. */
  addIndexers(indexers: Record<string, IndexFunc<T>>): void {
    this.indexer.addIndexers(indexers);
  }

  /** True once the first list has been delivered to the cache and the handlers. */
  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves once hasSynced() (or never, if the signal stops the informer first). */
  waitForSync(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((r) => this.syncWaiters.push(r));
  }

  get isStarted(): boolean {
    return this.started;
  }

  /** Starts listing and watching until signal aborts; does not block. */
  start(signal: AbortSignal): void {
    if (this.started) return;
    this.started = true;
    this.signal = signal;
    signal.addEventListener('abort', () => {
      this.watch?.close();
      for (const r of this.registrations) this.clock.clearInterval(r.timer);
      this.indexer.checkMutations();
    }, { once: true });
    for (const r of this.registrations) this.scheduleResync(r);
    void this.run(signal);
  }

  private scheduleResync(reg: Registration<T>): void {
    if (reg.resyncMs <= 0 || reg.timer) return;
    reg.timer = this.clock.setInterval(() => {
      if (this.signal?.aborted || !this.synced) return;
      for (const obj of this.indexer.list()) this.safely(() => reg.handler.onUpdate?.(obj, obj));
    }, reg.resyncMs);
  }

  private async run(signal: AbortSignal): Promise<void> {
    let backoff = BACKOFF_INITIAL_MS;
    while (!signal.aborted) {
      try {
        await this.listAndWatch(signal);
        backoff = BACKOFF_INITIAL_MS;
      } catch (e) {
        if (signal.aborted) return;
        this.log(`${this.name}: list and watch failed; retrying in ${backoff} ms`, e);
        try {
          await this.clock.sleep(backoff, signal);
        } catch {
          return;
        }
        backoff = Math.min(BACKOFF_MAX_MS, backoff * 2);
      }
    }
  }

  private get name(): string {
    return this.config.name ?? 'informer';
  }

  /** Lists every page, then replaces the cache; returns the list's resourceVersion. */
  private async list(): Promise<string> {
    const pageSize = this.config.pageSize ?? 500;
    const items: T[] = [];
    let rv = '';
    let cont: string | undefined;
    try {
      do {
        const page = await this.config.lw.list({ limit: pageSize, continue: cont });
        items.push(...page.items);
        cont = page.metadata.continue || undefined;
        rv = page.metadata.resourceVersion ?? rv;
      } while (cont);
    } catch (e) {
      // A continue token that expired mid-pagination: fall back to one full list, as client-go's pager.
      if (!(cont && e instanceof StatusError && e.code === 410)) throw e;
      const full = await this.config.lw.list({});
      items.splice(0, items.length, ...full.items);
      rv = full.metadata.resourceVersion ?? '';
    }
    this.listCount++;
    this.replace(items.map((o) => this.stamped(o)));
    return rv;
  }

  private async listAndWatch(signal: AbortSignal): Promise<void> {
    this.lastSyncResourceVersion = await this.list();
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w();
    }
    const minTimeout = this.config.minWatchTimeoutMs ?? 300_000;
    let shortWatchBackoff = BACKOFF_INITIAL_MS;
    while (!signal.aborted) {
      let watch: Watch<T>;
      try {
        watch = await this.config.lw.watch({
          resourceVersion: this.lastSyncResourceVersion,
          allowWatchBookmarks: true,
          timeoutSeconds: Math.floor((minTimeout * (1 + Math.random())) / 1000),
          // The cache is read-only (its handlers and listers copy before changing anything).
          readOnly: true,
        });
      } catch (e) {
        if (e instanceof StatusError && e.code === 410) return; // relist
        throw e;
      }
      this.watchCount++;
      this.watch = watch;
      if (signal.aborted) {
        watch.close();
        return;
      }
      const started = this.clock.now();
      const { expired, events } = await this.handleWatch(watch);
      this.watch = undefined;
      if (expired) return; // relist from scratch
      if (events === 0 && this.clock.now() - started < 1000 && !signal.aborted) {
        // A watch that closes at once with nothing in it (the reflector's "very short watch"):
        // back off instead of reconnecting in a hot loop.
        this.log(`${this.name}: very short watch: unexpected watch close - watch lasted less than a second and no items received`);
        await this.clock.sleep(shortWatchBackoff, signal).catch(() => undefined);
        shortWatchBackoff = Math.min(BACKOFF_MAX_MS, shortWatchBackoff * 2);
      } else {
        shortWatchBackoff = BACKOFF_INITIAL_MS;
      }
    }
  }

  /** Applies one watch's events; expired when the server said the resourceVersion is too old. */
  private async handleWatch(watch: Watch<T>): Promise<{ expired: boolean; events: number }> {
    let events = 0;
    for await (const ev of watch) {
      events++;
      if (ev.type === 'ERROR') {
        const status = ev.object as unknown as { code?: number; message?: string };
        watch.close();
        if (status.code === 410) return { expired: true, events };
        throw new StatusError(ev.object as never);
      }
      const rv = ev.object?.metadata?.resourceVersion;
      if (ev.type === 'BOOKMARK') {
        if (rv) this.lastSyncResourceVersion = rv;
        continue;
      }
      const obj = this.stamped(ev.object);
      const key = this.indexer.keyOf(obj);
      if (ev.type === 'ADDED' || ev.type === 'MODIFIED') {
        const old = this.indexer.set(obj);
        if (old) this.notify((h) => h.onUpdate?.(old, obj));
        else this.notify((h) => h.onAdd?.(obj, false));
      } else if (ev.type === 'DELETED') {
        const old = this.indexer.delete(key);
        this.notify((h) => h.onDelete?.(obj ?? old));
      }
      if (rv) this.lastSyncResourceVersion = rv;
    }
    return { expired: false, events };
  }

  /** Replaces the cache with a list: adds, updates, and tombstoned deletes (DeltaFIFO.Replace). */
  private replace(items: T[]): void {
    const seen = new Set<string>();
    const initial = !this.synced;
    for (const obj of items) {
      const key = this.indexer.keyOf(obj);
      seen.add(key);
      const old = this.indexer.set(obj);
      if (old) this.notify((h) => h.onUpdate?.(old, obj));
      else this.notify((h) => h.onAdd?.(obj, initial));
    }
    for (const key of this.indexer.keys()) {
      if (seen.has(key)) continue;
      const old = this.indexer.delete(key)!;
      const tombstone = new DeletedFinalStateUnknown<T>(key, old);
      this.notify((h) => h.onDelete?.(tombstone));
    }
  }

  /**
   * The object with the informer's apiVersion and kind: metadata-only objects say
   * PartialObjectMetadata, and the informer knows what they really are. A watch event's object is
   * shared with other informers, so the stamped one is a shallow copy.
   */
  private stamped(obj: T): T {
    const tm = this.config.typeMeta;
    if (!tm || !obj) return obj;
    if (!obj.kind || obj.kind === 'PartialObjectMetadata') return { ...obj, apiVersion: tm.apiVersion, kind: tm.kind };
    return obj;
  }

  private notify(fn: (h: EventHandler<T>) => void): void {
    for (const r of this.registrations) this.safely(() => fn(r.handler));
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.log(`${this.name}: event handler failed`, e);
    }
  }
}

/** Options of an informer the factory builds. */
export interface FactoryInformerOptions {
  /** Watch PartialObjectMetadata only (the metadata informers of the garbage collector). */
  metadataOnly?: boolean;
  resyncPeriodMs?: number;
}

/** Configures a SharedInformerFactory. */
export interface SharedInformerFactoryConfig {
  client: RestClient;
  clock: Clock;
  /** The resync period of informers that do not name their own (0: none). */
  defaultResyncMs?: number;
  /** Restricts every informer to one namespace. */
  namespace?: string;
  minWatchTimeoutMs?: number;
  log?: Logger;
}

/** A factory's key for the informer of ref ("group/version/resource", "#metadata" for metadata-only). */
function informerKey(ref: Pick<ResourceRef, 'group' | 'version' | 'resource'>, metadataOnly: boolean | undefined): string {
  return `${ref.group}/${ref.version}/${ref.resource}${metadataOnly ? '#metadata' : ''}`;
}

/**
 * One informer per resource (and representation), shared by every controller that asks for it,
 * as client-go's SharedInformerFactory.
 */
export class SharedInformerFactory {
  private readonly informers = new Map<string, SharedInformer<KubeObject>>();
  private signal?: AbortSignal;

  constructor(private readonly config: SharedInformerFactoryConfig) {}

  /** The shared informer for ref, created on first use (started if the factory already runs). */
  forResource<T extends KubeObject = KubeObject>(ref: ResourceRef, opts: FactoryInformerOptions = {}): SharedInformer<T> {
    const key = informerKey(ref, opts.metadataOnly);
    let inf = this.informers.get(key);
    if (!inf) {
      let client: ResourceClient<KubeObject> = this.config.client.resource(ref, { metadataOnly: opts.metadataOnly });
      if (this.config.namespace && ref.namespaced) client = client.namespace(this.config.namespace);
      inf = new SharedInformer<KubeObject>({
        lw: client,
        clock: this.config.clock,
        resyncPeriodMs: opts.resyncPeriodMs ?? this.config.defaultResyncMs ?? 0,
        minWatchTimeoutMs: this.config.minWatchTimeoutMs,
        name: ref.group ? `${ref.resource}.${ref.version}.${ref.group}` : `${ref.resource}.${ref.version}`,
        log: this.config.log,
        typeMeta: ref.kind ? { apiVersion: ref.group ? `${ref.group}/${ref.version}` : ref.version, kind: ref.kind } : undefined,
      });
      this.informers.set(key, inf);
      if (this.signal && !this.signal.aborted) inf.start(this.signal);
    }
    return inf as unknown as SharedInformer<T>;
  }

  /** The full-object informer for ref if something created one already, without creating it. */
  existing<T extends KubeObject = KubeObject>(ref: Pick<ResourceRef, 'group' | 'version' | 'resource'>): SharedInformer<T> | undefined {
    return this.informers.get(informerKey(ref, false)) as unknown as SharedInformer<T> | undefined;
  }

  /** Starts every informer created so far, and any created later, until signal aborts. */
  start(signal: AbortSignal): void {
    this.signal = signal;
    for (const inf of this.informers.values()) inf.start(signal);
  }

  /** Resolves once every started informer has synced. */
  async waitForCacheSync(): Promise<void> {
    await Promise.all([...this.informers.values()].filter((i) => i.isStarted).map((i) => i.waitForSync()));
  }
}
