// The generic store every resource shares (kube-apiserver's generic/registry/store.go): keys, the
// fixed order of a write, optimistic concurrency, pagination, deletion, and translation of storage
// errors into Status errors. Kind-specific rules come from the resource's Strategy.
import { jsonCopy, jsonEqual, jsonRoundTrip } from '../../apimachinery/json.js';
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { detectMutations } from '../../apimachinery/mutation-detector.js';
import type { ResourceInfo } from '../../api/resources.js';
import type { KubeObject, ObjectMeta } from '../../api/types.js';
import { apiVersionOf } from '../../api/types.js';
import {
  alreadyExists,
  badRequest,
  conflict,
  field,
  invalid,
  notFound,
  resourceExpired,
  type FieldError,
} from '../../apimachinery/errors.js';
import { generateName, validateObjectMeta, validateObjectMetaUpdate } from '../../apimachinery/validation.js';
import { rfc3339, type Clock } from '../../sim/clock.js';
import { isStoreError, type KeyValue, type Store, type WatchEvent, type Watcher } from '../../storage/store.js';
import type { AdmissionAttributes, AdmissionChain } from '../admission/admission.js';
import type { UserInfo } from '../auth/authn.js';
import type { Strategy, StrategyContext } from './strategy.js';
import { EMPTY_PATCH_SCHEMA, type PatchSchema } from '../../apimachinery/patch/schema.js';
import { trackUpdate } from '../../apimachinery/ssa/index.js';
import { RecentObjects } from './recent.js';

/** Filters a list or watch applies to decoded objects. */
export interface ObjectFilter {
  (obj: KubeObject): boolean;
}

export interface ListParams {
  filter?: ObjectFilter;
  /** True when a label or field selector is set (upstream omits remainingItemCount then). */
  filtered?: boolean;
  limit?: number;
  continueToken?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

export interface ListOutput {
  items: KubeObject[];
  resourceVersion: string;
  continueToken?: string;
  remainingItemCount?: number;
}

export interface WriteOptions {
  user: UserInfo;
  dryRun: boolean;
  subresource?: string;
  /** Record the write in managedFields as an Update by this manager (absent for server-side apply). */
  fieldManager?: { manager: string; apiVersion: string };
  /** The subresource managedFields name when it differs from `subresource` (scale writes the parent). */
  fieldManagerSubresource?: string;
}

export interface DeleteOptions extends WriteOptions {
  preconditions?: { uid?: string; resourceVersion?: string };
  propagationPolicy?: string;
  gracePeriodSeconds?: number;
}

/** A decoded watch event from storage. */
export interface ObjectEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
  /** For MODIFIED/DELETED, the previous object (for selector transitions). */
  previous?: KubeObject;
  revision: number;
}

export interface RegistryDeps {
  store: Store;
  clock: Clock;
  admission: AdmissionChain;
}

const CONTINUE_TOO_OLD =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

/** Parses a resourceVersion parameter; "" and "0" mean "any/latest". */
export function parseResourceVersion(rv: string | undefined | null, what = 'resourceVersion'): number {
  if (rv === undefined || rv === null || rv === '') return 0;
  if (!/^\d+$/.test(rv)) throw invalidResourceVersion(rv, what);
  return Number(rv);
}

function invalidResourceVersion(rv: string, what: string) {
  return badRequest(`${what}: Invalid value: ${JSON.stringify(rv)}: strconv.ParseUint: parsing ${JSON.stringify(rv)}: invalid syntax`);
}

/** The generic store for one resource's storage (all served versions share it). */
export class GenericRegistry {
  readonly ctx: StrategyContext;
  /** The objects this registry wrote or read last (recent.ts). */
  private readonly recent: RecentObjects;

  constructor(
    /** The storage version's resource info. */
    readonly info: ResourceInfo,
    readonly strategy: Strategy,
    private readonly deps: RegistryDeps,
    /** How lists and maps of this kind merge: managedFields need it. */
    readonly patchSchema: PatchSchema = EMPTY_PATCH_SCHEMA,
  ) {
    this.ctx = { clock: deps.clock };
    this.recent = new RecentObjects(strategy.recentObjects);
  }

  get qualified() {
    return { group: this.info.group, resource: this.info.resource };
  }
  get qualifiedKind() {
    return { group: this.info.group, kind: this.info.kind };
  }
  get hasStatus(): boolean {
    return this.info.subresources.some((s) => s.name === 'status');
  }

  /** The storage key prefix of the resource (all namespaces), or of one namespace. */
  prefix(namespace?: string): string {
    const base = `/registry/${this.info.storage.group || 'core'}/${this.info.storage.resource}/`;
    return this.info.namespaced && namespace ? `${base}${namespace}/` : base;
  }

  key(namespace: string, name: string): string {
    return this.info.namespaced ? `${this.prefix(namespace)}${name}` : `${this.prefix()}${name}`;
  }

  /** Decodes a stored value, stamping the revision as resourceVersion. */
  decode(kv: KeyValue): KubeObject {
    return this.withRevision(JSON.parse(kv.value) as KubeObject, kv.modRevision);
  }

  private withRevision(obj: KubeObject, revision: number): KubeObject {
    obj.metadata.resourceVersion = String(revision);
    return obj;
  }

  private encode(obj: KubeObject): string {
    const rv = obj.metadata.resourceVersion;
    delete obj.metadata.resourceVersion;
    const text = JSON.stringify(obj);
    if (rv !== undefined) obj.metadata.resourceVersion = rv;
    return text;
  }

  /**
   * What the watch would get by decoding obj's stored text (encode, then JSON.parse): obj itself,
   * from here on read-only, shared by the store's watchers (KeyValue.object), this registry's recent
   * objects and the caller, who only sends it (resource-handler.ts; the in-process transport copies
   * a response). A write's object is plain JSON already (no undefined, no Dates), so it is what a
   * decode would make; under the mutation detector (npm test) each one is checked against a JSON
   * round trip. Called right after encode, which left resourceVersion last in metadata, where decode
   * puts it too (watch.test.ts compares the two byte for byte).
   */
  private eventObject(obj: KubeObject): KubeObject {
    if (detectMutations && !isDeepStrictEqual(obj, jsonRoundTrip(obj))) {
      throw new Error(`${this.info.resource} ${obj.metadata?.name}: a write's object is not plain JSON: ${JSON.stringify(obj)}`);
    }
    return obj;
  }

  /**
   * An object as a GET returns it. With resourceVersion "0" (any state will do; kube-apiserver
   * answers from its watch cache) the result is peek's, shared and read-only: to be read and sent,
   * never changed; otherwise it is the caller's.
   */
  async get(namespace: string, name: string, resourceVersion?: string): Promise<KubeObject> {
    // A malformed resourceVersion is a 400; any valid one is satisfied by the latest state.
    parseResourceVersion(resourceVersion);
    // The kubelet reads its Node this way before every status report: no read and decode of the
    // stored text when the newest state this registry wrote or read is at hand.
    if (resourceVersion === '0') {
      const known = await this.peek(namespace, name);
      if (!known) throw notFound(this.qualified, name);
      return known;
    }
    let kv: KeyValue | undefined;
    try {
      // A get with a resourceVersion other than 0 reads at least as new as it; the latest satisfies that.
      kv = await this.deps.store.get(this.key(namespace, name));
    } catch (e) {
      throw this.translate(e, name);
    }
    if (!kv) throw notFound(this.qualified, name);
    return this.decode(kv);
  }

  /** Reads a page of the resource, as upstream's list with limit/continue/resourceVersion(Match). */
  async list(namespace: string, p: ListParams): Promise<ListOutput> {
    const prefix = this.prefix(namespace);
    let revision = 0;
    let startAfter: string | undefined;
    if (p.continueToken) {
      const c = decodeContinue(p.continueToken);
      // rv -1: continue at the latest revision (the token a compacted page hands back).
      revision = c.rv === -1 ? 0 : c.rv;
      startAfter = prefix + c.start;
    } else {
      const rv = parseResourceVersion(p.resourceVersion);
      if (p.resourceVersionMatch === 'Exact') {
        if (!rv) throw badRequest('resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"');
        revision = rv;
      } else if (p.resourceVersionMatch && p.resourceVersionMatch !== 'NotOlderThan') {
        throw invalid({ group: 'meta.k8s.io', kind: 'ListOptions' }, '', [
          field.notSupported('resourceVersionMatch', p.resourceVersionMatch, ['Exact', 'NotOlderThan', '']),
        ]);
      } else if (rv > this.deps.store.currentRevision()) {
        throw tooLargeResourceVersion(rv);
      }
    }
    const limit = p.limit && p.limit > 0 ? p.limit : 0;
    const items: KubeObject[] = [];
    let more = false;
    let remaining = 0;
    let lastKey: string | undefined;
    let readRevision = revision;
    for (;;) {
      let page;
      try {
        page = await this.deps.store.list(prefix, {
          revision: readRevision || undefined,
          startAfter,
          limit: limit ? Math.max(limit - items.length, p.filter ? limit : 0) : undefined,
        });
      } catch (e) {
        if (isStoreError(e, 'Compacted')) {
          if (!p.continueToken) throw resourceExpired(`too old resource version: ${revision} (${e.compactRevision ?? ''})`);
          // handleCompactedErrorForPaging: the Status carries a token that continues at the latest revision.
          const err = resourceExpired(CONTINUE_TOO_OLD);
          err.status.metadata = { continue: encodeContinue(-1, (startAfter ?? prefix).slice(prefix.length)) };
          throw err;
        }
        if (isStoreError(e, 'FutureRevision')) throw tooLargeResourceVersion(revision);
        throw e;
      }
      readRevision = page.revision;
      for (const kv of page.items) {
        lastKey = kv.key;
        const obj = this.decode(kv);
        if (p.filter && !p.filter(obj)) continue;
        items.push(obj);
        if (limit && items.length >= limit) break;
      }
      more = page.more || (limit > 0 && items.length >= limit && lastKey !== page.items[page.items.length - 1]?.key);
      remaining = page.remaining;
      if (!limit || items.length >= limit || !page.more) break;
      startAfter = lastKey;
    }
    const out: ListOutput = { items, resourceVersion: String(readRevision) };
    if (limit && more && lastKey !== undefined) {
      out.continueToken = encodeContinue(readRevision, lastKey.slice(prefix.length));
      // Unfiltered pages end exactly at the store's page, so its count of what remains is exact.
      if (!p.filter) out.remainingItemCount = remaining;
    }
    return out;
  }

  /** Creates obj (already in the storage version) in the fixed upstream order. */
  async create(namespace: string, obj: KubeObject, opts: WriteOptions): Promise<KubeObject> {
    const meta = (obj.metadata ??= {} as ObjectMeta);
    this.checkNamespace(namespace, meta);
    this.strategy.defaults?.(obj);
    if (!meta.name && meta.generateName) meta.name = generateName(meta.generateName);
    // FillObjectMetaSystemFields: the server owns these.
    meta.uid = randomUUID();
    meta.creationTimestamp = rfc3339(this.deps.clock.now());
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.selfLink;
    if (this.strategy.tracksGeneration) meta.generation = 1;
    else delete meta.generation;
    if (opts.fieldManager) this.trackUpdate(undefined, obj, opts);
    if (this.hasStatus && !this.strategy.preserveStatusOnCreate) obj.status = {};
    this.strategy.prepareForCreate?.(obj, this.ctx);
    await this.admit('CREATE', namespace, obj, undefined, opts);
    const errs: FieldError[] = [
      ...validateObjectMeta(meta, { namespaced: this.info.namespaced, nameValidation: this.strategy.nameValidation ?? 'subdomain' }),
      ...(this.strategy.validate?.(obj, this.ctx) ?? []),
    ];
    if (errs.length) throw invalid(this.qualifiedKind, meta.name ?? meta.generateName ?? '', errs);
    if (opts.dryRun) {
      // The dry-run store still answers AlreadyExists for a taken name.
      if (await this.deps.store.get(this.key(namespace, meta.name!))) throw alreadyExists(this.qualified, meta.name!);
      return obj;
    }
    try {
      const key = this.key(namespace, meta.name!);
      const ev = this.eventObject(obj);
      const kv = await this.deps.store.create(key, this.encode(obj), ev);
      meta.resourceVersion = String(kv.modRevision);
      this.remember(key, ev, kv.modRevision);
      return obj;
    } catch (e) {
      throw this.translate(e, meta.name!);
    }
  }

  /**
   * Updates name through the main resource or a subresource: tryUpdate builds the new object from
   * the current one (for PUT it returns the body; for PATCH, the patched current). Retries on a
   * conflict unless the caller pinned a resourceVersion.
   */
  async update(
    namespace: string,
    name: string,
    tryUpdate: (current: KubeObject) => KubeObject | Promise<KubeObject>,
    opts: WriteOptions,
  ): Promise<KubeObject> {
    const key = this.key(namespace, name);
    // GuaranteedUpdate: start from the object this registry wrote last when it has it (read-only,
    // perhaps stale); any failure from such a state is decided again on the store's.
    let state = this.recent.get(key);
    let stateIsCurrent = false;
    for (let attempt = 0; ; attempt++) {
      if (!state) {
        state = await this.readCurrent(key, name);
        stateIsCurrent = true;
      }
      const old = state;
      let next: KubeObject;
      let pinned: boolean;
      try {
        ({ next, pinned } = await this.nextForUpdate(namespace, name, old, tryUpdate, opts));
      } catch (e) {
        if (stateIsCurrent) throw e;
        const fresh = await this.readCurrent(key, name);
        if (fresh.metadata.resourceVersion === old.metadata.resourceVersion) throw e;
        state = fresh;
        stateIsCurrent = true;
        continue;
      }
      if (jsonEqual(next, old)) {
        // A no-op write keeps its resourceVersion, if the state it compared with is the latest.
        if (stateIsCurrent) return jsonCopy(old);
        state = undefined;
        continue;
      }
      if (opts.dryRun) return next;
      const modRevision = Number(old.metadata.resourceVersion);
      // A retry after a conflict reads the store; a pinned resourceVersion fails there, not here.
      const retry = (e: unknown) => isStoreError(e, 'Conflict') && (!stateIsCurrent || !pinned) && attempt < 16;
      // Removing the last finalizer of an object being deleted completes its deletion.
      if (next.metadata.deletionTimestamp && !(next.metadata.finalizers?.length) && !this.pendingNamespaceFinalizers(next)) {
        try {
          const ev = await this.deps.store.delete(key, modRevision);
          this.recent.deleted(key, ev.revision);
          return next;
        } catch (e) {
          if (retry(e)) {
            state = undefined;
            continue;
          }
          throw this.translate(e, name);
        }
      }
      try {
        const ev = this.eventObject(next);
        const written = await this.deps.store.update(key, this.encode(next), modRevision, ev, old);
        next.metadata.resourceVersion = String(written.modRevision);
        this.remember(key, ev, written.modRevision);
        return next;
      } catch (e) {
        if (retry(e)) {
          state = undefined;
          continue;
        }
        this.recent.forget(key);
        throw this.translate(e, name);
      }
    }
  }

  /** The stored object at key, decoded, and remembered as its latest state; NotFound if absent. */
  private async readCurrent(key: string, name: string): Promise<KubeObject> {
    const obj = await this.readStored(key, name);
    if (!obj) throw notFound(this.qualified, name);
    return obj;
  }

  /** The stored object at key, decoded, and remembered as its latest state; undefined if absent. */
  private async readStored(key: string, name: string): Promise<KubeObject | undefined> {
    let kv: KeyValue | undefined;
    try {
      kv = await this.deps.store.get(key);
    } catch (e) {
      throw this.translate(e, name);
    }
    if (!kv) return undefined;
    const obj = this.decode(kv);
    this.recent.set(key, obj);
    return obj;
  }

  /** Records what a write stored at key (the watchers' read-only copy) as its latest state. */
  private remember(key: string, written: KubeObject, revision: number): void {
    written.metadata.resourceVersion = String(revision);
    this.recent.set(key, written);
  }

  /**
   * The latest object at namespace/name, read-only (shared with watchers and later writes), for
   * server-internal readers such as admission: no copy, and no store read when this registry has
   * it. Undefined when absent.
   */
  async peek(namespace: string, name: string): Promise<KubeObject | undefined> {
    const key = this.key(namespace, name);
    return this.recent.get(key) ?? this.readStored(key, name);
  }

  /**
   * What an update of old (read-only) comes to, up to the write: the callback's proposal, prepared,
   * with managedFields, admitted and validated. pinned: the caller named a resourceVersion.
   */
  private async nextForUpdate(
    namespace: string,
    name: string,
    old: KubeObject,
    tryUpdate: (current: KubeObject) => KubeObject | Promise<KubeObject>,
    opts: WriteOptions,
  ): Promise<{ next: KubeObject; pinned: boolean }> {
    // The callback gets its own copy to change; one that takes no argument (a PUT, whose body
    // replaces the object) never sees it, so none is made.
    const proposed = await tryUpdate(tryUpdate.length === 0 ? old : jsonCopy(old));
    const meta = (proposed.metadata ??= {} as ObjectMeta);
    if (meta.name !== undefined && meta.name !== name) {
      throw badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${name})`);
    }
    meta.name = name;
    this.checkNamespace(namespace, meta);
    const pinned = meta.resourceVersion !== undefined && meta.resourceVersion !== '';
    if (pinned) {
      parseResourceVersion(meta.resourceVersion, 'metadata.resourceVersion');
      if (meta.resourceVersion !== old.metadata.resourceVersion) throw conflict(this.qualified, name);
    }
    const next = this.prepareUpdate(proposed, old, opts.subresource ?? '');
    if (opts.fieldManager) this.trackUpdate(old, next, opts);
    // An unconditional update is validated as if it named the version it replaces.
    if (!pinned) next.metadata.resourceVersion = old.metadata.resourceVersion;
    await this.admit('UPDATE', namespace, next, old, opts);
    const errs = this.validateUpdate(next, old, opts.subresource ?? '');
    if (errs.length) throw invalid(this.qualifiedKind, name, errs);
    next.metadata.resourceVersion = old.metadata.resourceVersion;
    return { next, pinned };
  }

  /**
   * rest.BeforeUpdate's preparation: next itself, or for a subresource a copy of old carrying what
   * the subresource may change. (A fresh object, not next emptied and refilled: deleting every key
   * leaves V8 a slow dictionary-mode object that every later step pays for.)
   */
  private prepareUpdate(next: KubeObject, old: KubeObject, subresource: string): KubeObject {
    const meta = next.metadata;
    const oldMeta = old.metadata;
    if (subresource === 'finalize' || subresource === 'binding') {
      // /finalize changes a namespace's spec.finalizers only; binding sets spec.nodeName and the
      // PodScheduled condition only.
      const spec = (next.spec ?? {}) as Record<string, unknown>;
      const conditions = (next.status as { conditions?: unknown } | undefined)?.conditions;
      const rv = meta.resourceVersion;
      const out = jsonCopy(old);
      const outSpec = (out.spec ??= {}) as Record<string, unknown>;
      if (subresource === 'finalize') outSpec.finalizers = spec.finalizers;
      else {
        outSpec.nodeName = spec.nodeName;
        if (conditions) ((out.status ??= {}) as Record<string, unknown>).conditions = conditions;
      }
      out.metadata.resourceVersion = rv;
      return out;
    }
    if (subresource === 'status') {
      // A status write changes status only (ResetObjectMetaForStatus and the status strategies).
      const status = next.status;
      const rv = meta.resourceVersion;
      // ResetObjectMetaForStatus keeps managedFields: a status apply has just computed them.
      const managedFields = meta.managedFields;
      const finalizers = meta.finalizers;
      const annotations = meta.annotations;
      // Old with the new status in its place: its metadata copied (the write sets resourceVersion
      // and managedFields there), everything else old's own, shared read-only as old is. A status
      // write changes none of it, and the field manager then skips it by identity (a pod's spec
      // is most of what it would otherwise compare, after copying).
      const out = {} as KubeObject;
      for (const k in old) {
        if (k === 'metadata') out.metadata = jsonCopy(old.metadata);
        else if (k !== 'status') (out as Record<string, unknown>)[k] = (old as Record<string, unknown>)[k];
        else if (status !== undefined) out.status = status;
      }
      if (status !== undefined) out.status = status;
      out.metadata.resourceVersion = rv;
      if (managedFields !== undefined) out.metadata.managedFields = managedFields;
      if (this.strategy.status?.finalizersFromRequest) {
        if (finalizers?.length) out.metadata.finalizers = finalizers;
        else delete out.metadata.finalizers;
      }
      if (this.strategy.status?.annotationsFromRequest) {
        if (annotations && Object.keys(annotations).length) out.metadata.annotations = annotations;
        else delete out.metadata.annotations;
      }
      this.strategy.status?.prepareForUpdate?.(out, old, this.ctx);
      return out;
    }
    this.strategy.defaults?.(next);
    // rest.BeforeUpdate: fields an update never changes.
    if (this.strategy.tracksGeneration) meta.generation = oldMeta.generation;
    else delete meta.generation;
    if (!meta.uid) meta.uid = oldMeta.uid;
    if (oldMeta.creationTimestamp) meta.creationTimestamp = oldMeta.creationTimestamp;
    if (oldMeta.deletionTimestamp) meta.deletionTimestamp = oldMeta.deletionTimestamp;
    else delete meta.deletionTimestamp;
    if (oldMeta.deletionGracePeriodSeconds !== undefined && meta.deletionGracePeriodSeconds === undefined) {
      meta.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds;
    }
    if (this.hasStatus) {
      if (old.status === undefined) delete next.status;
      else next.status = jsonCopy(old.status);
    }
    this.strategy.prepareForUpdate?.(next, old, this.ctx);
    if (this.strategy.tracksGeneration && specChanged(next, old)) meta.generation = (oldMeta.generation ?? 0) + 1;
    return next;
  }

  private validateUpdate(next: KubeObject, old: KubeObject, subresource: string): FieldError[] {
    const errs: FieldError[] = [...validateObjectMetaUpdate(next.metadata, old.metadata)];
    if (subresource === 'finalize' || subresource === 'binding') return errs;
    if (subresource === 'status') {
      errs.push(...(this.strategy.status?.validateUpdate?.(next, old, this.ctx) ?? []));
      return errs;
    }
    errs.push(
      ...validateObjectMeta(next.metadata, { namespaced: this.info.namespaced, nameValidation: this.strategy.nameValidation ?? 'subdomain' }),
    );
    errs.push(...(this.strategy.validate?.(next, this.ctx) ?? []));
    errs.push(...(this.strategy.validateUpdate?.(next, old, this.ctx) ?? []));
    return errs;
  }

  /**
   * Deletes name as kube-apiserver's store does (rest.BeforeDelete + Store.Delete): graceful
   * deletion for kinds whose strategy asks for it (pods), the garbage collector's finalizers per
   * propagationPolicy, deletionTimestamp while finalizers remain, and removal once none do.
   */
  async delete(namespace: string, name: string, opts: DeleteOptions): Promise<{ object: KubeObject; deleted: boolean }> {
    const key = this.key(namespace, name);
    for (let attempt = 0; ; attempt++) {
      const kv = await this.deps.store.get(key);
      if (!kv) throw notFound(this.qualified, name);
      const obj = this.decode(kv);
      this.checkDeletePreconditions(obj, opts);
      await this.admit('DELETE', namespace, undefined, obj, opts);
      const next = jsonCopy(obj);
      const meta = next.metadata;
      const now = this.deps.clock.now();
      // Negative grace periods count as 1 s, as upstream treats them.
      const requested = opts.gracePeriodSeconds !== undefined && opts.gracePeriodSeconds < 0 ? 1 : opts.gracePeriodSeconds;
      let graceful = false;
      if (meta.deletionTimestamp) {
        const current = meta.deletionGracePeriodSeconds ?? 0;
        if (current > 0 && requested !== undefined && requested < current) {
          // Only a shorter grace period may be given, and never one that ends in the past.
          let end = Date.parse(meta.deletionTimestamp) - current * 1000 + requested * 1000;
          let period = requested;
          if (end < now) {
            end = now;
            if (period !== 0) period = 1;
          }
          meta.deletionTimestamp = rfc3339(end);
          meta.deletionGracePeriodSeconds = period;
          graceful = period > 0;
        } else if (current > 0 || (meta.finalizers?.length ?? 0) > 0 || this.pendingNamespaceFinalizers(obj)) {
          // Deletion is already under way; finalizers cannot change through DeleteOptions now.
          return { object: obj, deleted: false };
        }
      } else {
        this.strategy.beforeDelete?.(next, now);
        const period = this.strategy.checkGracefulDelete?.(obj, requested);
        if (period !== undefined && period > 0) {
          meta.deletionTimestamp = rfc3339(now + period * 1000);
          meta.deletionGracePeriodSeconds = period;
          if ((meta.generation ?? 0) > 0) meta.generation = meta.generation! + 1;
          graceful = true;
        }
      }
      if (!meta.deletionTimestamp || graceful || meta.deletionGracePeriodSeconds === 0) {
        const finalizers = gcFinalizers(meta.finalizers ?? [], opts.propagationPolicy);
        if (finalizers.length) meta.finalizers = finalizers;
        else delete meta.finalizers;
      }
      const pending = (meta.finalizers?.length ?? 0) > 0 || this.pendingNamespaceFinalizers(next);
      if (graceful || pending) {
        if (!meta.deletionTimestamp) {
          // markAsDeleting: an object waiting on finalizers is deleting now, with no grace period.
          meta.deletionTimestamp = rfc3339(now);
          meta.deletionGracePeriodSeconds = 0;
          if (this.strategy.tracksGeneration && (meta.generation ?? 0) > 0) meta.generation = meta.generation! + 1;
        }
        this.strategy.prepareForDelete?.(next);
        if (opts.dryRun) return { object: next, deleted: false };
        if (jsonEqual(next, obj)) return { object: obj, deleted: false };
        try {
          const ev = this.eventObject(next);
          const written = await this.deps.store.update(key, this.encode(next), kv.modRevision, ev, obj);
          meta.resourceVersion = String(written.modRevision);
          this.remember(key, ev, written.modRevision);
          return { object: next, deleted: false };
        } catch (e) {
          if (isStoreError(e, 'Conflict') && attempt < 16) continue;
          throw this.translate(e, name);
        }
      }
      if (opts.dryRun) return { object: obj, deleted: true };
      try {
        const ev = await this.deps.store.delete(key, kv.modRevision);
        this.recent.deleted(key, ev.revision);
        obj.metadata.resourceVersion = String(ev.revision);
        return { object: obj, deleted: true };
      } catch (e) {
        if (isStoreError(e, 'Conflict') && attempt < 16) continue;
        if (isStoreError(e, 'NotFound')) throw notFound(this.qualified, name);
        throw this.translate(e, name);
      }
    }
  }

  // managedFields for an ordinary write (the field manager's Update operation).
  private trackUpdate(old: KubeObject | undefined, next: KubeObject, opts: WriteOptions): void {
    const sub = opts.fieldManagerSubresource ?? opts.subresource ?? '';
    trackUpdate(old, next, {
      manager: opts.fieldManager!.manager,
      apiVersion: opts.fieldManager!.apiVersion,
      schema: this.patchSchema,
      time: rfc3339(this.deps.clock.now()),
      subresource: sub || undefined,
      ignoredPaths: sub === 'status' ? [['spec']] : this.hasStatus ? [['status']] : [],
    });
  }

  private checkDeletePreconditions(obj: KubeObject, opts: DeleteOptions): void {
    const pre = opts.preconditions;
    // BeforeDelete names the kind, not the resource, in these conflicts.
    const kind = { group: this.info.group, resource: this.info.kind };
    if (pre?.uid && pre.uid !== obj.metadata.uid) {
      throw conflict(
        kind,
        obj.metadata.name ?? '',
        `the UID in the precondition (${pre.uid}) does not match the UID in record (${obj.metadata.uid ?? ''}). The object might have been deleted and then recreated`,
      );
    }
    if (pre?.resourceVersion && pre.resourceVersion !== obj.metadata.resourceVersion) {
      throw conflict(
        kind,
        obj.metadata.name ?? '',
        `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${obj.metadata.resourceVersion}). The object might have been modified`,
      );
    }
  }

  /** Namespaces wait for their spec.finalizers (the namespace controller's "kubernetes") too. */
  private pendingNamespaceFinalizers(obj: KubeObject): boolean {
    if (this.info.resource !== 'namespaces' || this.info.group !== '') return false;
    const spec = obj.spec as { finalizers?: string[] } | undefined;
    return (spec?.finalizers?.length ?? 0) > 0;
  }

  /**
   * Streams decoded events under the namespace (all if ""), from fromRevision on. Throws a 410
   * Expired StatusError when that history is compacted.
   */
  watch(namespace: string, fromRevision: number, onEvents: (events: ObjectEvent[]) => void): Watcher {
    try {
      return this.deps.store.watch(this.prefix(namespace), fromRevision, (events) => onEvents(events.map((e) => this.toObjectEvent(e))));
    } catch (e) {
      if (isStoreError(e, 'Compacted')) {
        throw resourceExpired(`too old resource version: ${fromRevision - 1} (${e.compactRevision ?? this.deps.store.compactRevision()})`);
      }
      throw e;
    }
  }

  // The store hands the same event objects to every watcher of a commit; decoding each once and
  // sharing the result saves a JSON.parse per watcher. Watchers treat objects as read-only (the
  // watch stream serialises each right after its version is set).
  private readonly decodedEvents = new WeakMap<WatchEvent, ObjectEvent>();

  private toObjectEvent(e: WatchEvent): ObjectEvent {
    let out = this.decodedEvents.get(e);
    if (!out) {
      out = this.decodeEvent(e);
      this.decodedEvents.set(e, out);
    }
    return out;
  }

  private decodeEvent(e: WatchEvent): ObjectEvent {
    if (e.type === 'delete') {
      const object = this.decode({ ...e.kv, modRevision: e.revision });
      return { type: 'DELETED', object, previous: object, revision: e.revision };
    }
    // A write made here came with its object already decoded (eventObject): the event's own.
    const object = e.kv.object !== undefined ? this.withRevision(e.kv.object as KubeObject, e.kv.modRevision) : this.decode(e.kv);
    const prevKv = e.prevKv;
    if (!prevKv) return { type: e.type === 'create' ? 'ADDED' : 'MODIFIED', object, revision: e.revision };
    // An update made here came with the state it replaced, decoded (read-only, as object is).
    if (prevKv.object !== undefined) return { type: 'MODIFIED', object, previous: prevKv.object as KubeObject, revision: e.revision };
    // Only a watch with a selector looks at the previous object; decode it on first use.
    let previous: KubeObject | undefined;
    const decode = (kv: KeyValue) => this.decode(kv);
    return {
      type: e.type === 'create' ? 'ADDED' : 'MODIFIED',
      object,
      get previous() {
        return (previous ??= decode(prevKv));
      },
      revision: e.revision,
    };
  }

  currentRevision(): number {
    return this.deps.store.currentRevision();
  }

  private checkNamespace(namespace: string, meta: ObjectMeta): void {
    if (!this.info.namespaced) {
      // Upstream clears a namespace given for a cluster-scoped object.
      delete meta.namespace;
      return;
    }
    if (meta.namespace && meta.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    meta.namespace = namespace;
  }

  private async admit(op: AdmissionAttributes['operation'], namespace: string, obj: KubeObject | undefined, old: KubeObject | undefined, opts: WriteOptions) {
    await this.deps.admission.run({
      operation: op,
      resource: this.info,
      namespace,
      name: obj?.metadata?.name ?? old?.metadata?.name ?? '',
      subresource: opts.subresource ?? '',
      object: obj,
      oldObject: old,
      user: opts.user,
      dryRun: opts.dryRun,
    });
  }

  private translate(e: unknown, name: string): unknown {
    if (isStoreError(e, 'KeyExists')) return alreadyExists(this.qualified, name);
    if (isStoreError(e, 'Conflict')) return conflict(this.qualified, name);
    if (isStoreError(e, 'NotFound')) return notFound(this.qualified, name);
    return e;
  }

  /** The apiVersion objects are stored in. */
  get storageApiVersion(): string {
    return apiVersionOf(this.info.group, this.info.version);
  }
}

/** The finalizers the garbage collector needs for a deletion's propagationPolicy (deletionFinalizersForGarbageCollection). */
export function gcFinalizers(finalizers: string[], policy: string | undefined): string[] {
  const rest = finalizers.filter((f) => f !== ORPHAN_FINALIZER && f !== FOREGROUND_FINALIZER);
  if (policy === 'Orphan') return [...rest, ORPHAN_FINALIZER];
  if (policy === 'Foreground') return [...rest, FOREGROUND_FINALIZER];
  if (policy === 'Background') return rest;
  return finalizers;
}

/** The garbage collector's finalizers (metav1.FinalizerOrphanDependents, FinalizerDeleteDependents). */
export const ORPHAN_FINALIZER = 'orphan';
export const FOREGROUND_FINALIZER = 'foregroundDeletion';

/** True when anything outside metadata and status differs: upstream bumps generation then. */
export function specChanged(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = o;
    return rest;
  };
  return !jsonEqual(strip(a), strip(b));
}

function tooLargeResourceVersion(rv: number) {
  return badRequest(`Too large resource version: ${rv}, current: unknown`);
}

/** Encodes a continue token as upstream does: base64 of {"v":"meta.k8s.io/v1","rv":N,"start":"key\u0000"}. */
export function encodeContinue(rv: number, lastKey: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start: `${lastKey}\u0000` })).toString('base64url');
}

/** Decodes a continue token; a malformed one is 400 BadRequest. */
export function decodeContinue(token: string): { rv: number; start: string } {
  const bad = (why: string) => badRequest(`continue key is not valid: ${why}`);
  let parsed: { v?: string; rv?: number; start?: string };
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw bad('illegal base64 data or invalid JSON');
  }
  if (parsed.v !== 'meta.k8s.io/v1') throw bad(`server does not recognize this encoded key (${parsed.v ?? ''})`);
  if (typeof parsed.rv !== 'number' || (parsed.rv <= 0 && parsed.rv !== -1) || typeof parsed.start !== 'string') {
    throw bad('incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  const start = parsed.start.endsWith('\u0000') ? parsed.start.slice(0, -1) : parsed.start;
  if (start.includes('..') || start.startsWith('/')) throw bad('key is not valid');
  return { rv: parsed.rv, start };
}

