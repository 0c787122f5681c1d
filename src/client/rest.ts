// A REST client over a Transport, shaped like client-go's dynamic and metadata clients: one
// ResourceClient per group/version/resource with the standard verbs, errors as StatusError built
// from the server's Status body, and discovery (aggregated v2, or the legacy per-group documents).
import type { KubeList, KubeObject } from '../api/types.js';
import { apiVersionOf, parseApiVersion } from '../api/types.js';
import { groupResourceString, StatusError, type Status } from '../apimachinery/errors.js';
import { headerValue, type Transport, type TransportResponse } from './transport.js';

/** Which resource a client addresses. */
export interface ResourceRef {
  group: string;
  version: string;
  /** Plural, lower-case: "deployments". */
  resource: string;
  namespaced: boolean;
  /** The kind, when known (discovery fills it); used to stamp list items. */
  kind?: string;
}

/** Options of get. */
export interface GetOptions {
  resourceVersion?: string;
}

/** Options of list and watch (ListOptions). */
export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
  timeoutSeconds?: number;
}

/** Options of watch. */
export interface WatchOptions extends ListOptions {
  allowWatchBookmarks?: boolean;
  sendInitialEvents?: boolean;
  /**
   * The caller never changes the objects it is handed (an informer's cache): in process they may
   * then be the API server's own, shared read-only, with no copy made (TransportRequest.readOnly).
   */
  readOnly?: boolean;
}

/** Options shared by writes. */
export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: 'Ignore' | 'Warn' | 'Strict';
}

/** The patch flavours the API server accepts. */
export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

/** Options of patch; force only applies to server-side apply. */
export interface PatchOptions extends WriteOptions {
  force?: boolean;
  subresource?: string;
}

/** DeleteOptions. */
export interface DeleteOptions {
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

/** A watch event as the API streams it. */
export interface WatchEvent<T = KubeObject> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  /** For ERROR, a Status. */
  object: T;
}

/** An open watch: iterate its events; close() stops it. */
export interface Watch<T = KubeObject> extends AsyncIterable<WatchEvent<T>> {
  close(): void;
}

/** A resource as discovery describes it (subresources are folded into their parent). */
export interface DiscoveredResource {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames: string[];
  categories: string[];
  subresources: string[];
  /** The group's preferred version. */
  preferred: boolean;
}

/** The Status a non-Status error body stands for, as client-go's NewGenericServerResponse words it. */
export function genericServerResponse(code: number, method: string, qr: { group: string; resource: string } | undefined, name: string, serverMessage: string): StatusError {
  let reason = 'Unknown';
  let message = `the server responded with the status code ${code} but did not return more information`;
  switch (code) {
    case 409:
      reason = method === 'POST' ? 'AlreadyExists' : 'Conflict';
      message = 'the server reported a conflict';
      break;
    case 404:
      reason = 'NotFound';
      message = 'the server could not find the requested resource';
      break;
    case 400:
      reason = 'BadRequest';
      message = 'the server rejected our request for an unknown reason';
      break;
    case 401:
      reason = 'Unauthorized';
      message = 'the server has asked for the client to provide credentials';
      break;
    case 403:
      reason = 'Forbidden';
      message = serverMessage;
      break;
    case 405:
      reason = 'MethodNotAllowed';
      message = 'the server does not allow this method on the requested resource';
      break;
    case 406:
      reason = 'NotAcceptable';
      message = serverMessage;
      break;
    case 415:
      reason = 'UnsupportedMediaType';
      message = serverMessage;
      break;
    case 422:
      reason = 'Invalid';
      message = 'the server rejected our request due to an error in our request';
      break;
    case 429:
      reason = 'TooManyRequests';
      message = 'the server has received too many requests and has asked us to try again later';
      break;
    case 503:
      reason = 'ServiceUnavailable';
      message = 'the server is currently unable to handle the request';
      break;
    case 504:
      reason = 'Timeout';
      message = 'the server was unable to return a response in the time allotted, but may still be processing the request';
      break;
    default:
      if (code >= 500) {
        reason = 'InternalError';
        message = `an error on the server (${JSON.stringify(serverMessage)}) has prevented the request from succeeding`;
      }
  }
  if (qr?.resource) message = `${message} (${method.toLowerCase()} ${groupResourceString(qr)}${name ? ` ${name}` : ''})`;
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (qr?.resource) status.details = { ...(name ? { name } : {}), ...(qr.group ? { group: qr.group } : {}), kind: qr.resource };
  return new StatusError(status);
}

/** Turns a failed response into a StatusError: the server's Status when it sent one. */
export function errorFromResponse(res: TransportResponse, method: string, qr?: { group: string; resource: string }, name = ''): StatusError {
  const text = res.value !== undefined ? JSON.stringify(res.value) : res.body.toString('utf8');
  const parsed = parseStatus(text);
  if (parsed) return new StatusError({ ...parsed, code: parsed.code || res.status });
  return genericServerResponse(res.status, method, qr, name, text.trim());
}

function parseStatus(text: string): Status | undefined {
  try {
    const v = JSON.parse(text) as Partial<Status>;
    if (v && v.kind === 'Status' && typeof v.status === 'string') return v as Status;
  } catch {
    // not JSON
  }
  return undefined;
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** The client of one cluster: raw requests, resources, discovery. */
export class RestClient {
  private discovery?: Promise<DiscoveredResource[]>;
  /** Each root's last aggregated document with its ETag: an unchanged one comes back as a 304. */
  private readonly aggregated = new Map<string, { etag: string; resources: DiscoveredResource[] }>();

  constructor(
    readonly transport: Transport,
    private readonly opts: { userAgent?: string } = {},
  ) {}

  /**
   * Sends a request and returns the parsed JSON body, or throws a StatusError. headers: more request
   * headers (lower-case names); a 304 (to a conditional request) comes back with no body.
   */
  async requestJSON<T = unknown>(
    method: string,
    path: string,
    init: {
      query?: URLSearchParams;
      body?: unknown;
      contentType?: string;
      accept?: string;
      headers?: Record<string, string>;
      qr?: { group: string; resource: string };
      name?: string;
    } = {},
  ): Promise<{ body: T; headers: TransportResponse['headers']; status: number }> {
    const headers: Record<string, string> = { ...init.headers, accept: init.accept ?? 'application/json' };
    if (this.opts.userAgent) headers['user-agent'] = this.opts.userAgent;
    if (init.body !== undefined) headers['content-type'] = init.contentType ?? 'application/json';
    // Text goes as it is; anything else as a value, which the transport encodes or hands over.
    const body = typeof init.body === 'string' ? init.body : undefined;
    const bodyValue = typeof init.body === 'string' ? undefined : init.body;
    const res = await this.transport.request({ method, path, query: init.query, headers, body, bodyValue, values: true });
    if (res.status === 304) return { body: undefined as T, headers: res.headers, status: res.status };
    if (!isSuccess(res.status)) throw errorFromResponse(res, method, init.qr, init.name);
    if (res.value !== undefined) return { body: res.value as T, headers: res.headers, status: res.status };
    const text = res.body.toString('utf8');
    return { body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers, status: res.status };
  }

  /** A client for one resource. metadataOnly asks for PartialObjectMetadata, as client-go's metadata client. */
  resource<T extends KubeObject = KubeObject>(ref: ResourceRef, opts: { metadataOnly?: boolean } = {}): ResourceClient<T> {
    return new ResourceClient<T>(this, ref, undefined, !!opts.metadataOnly);
  }

  /** A client for the resource serving apiVersion/kind, found through discovery (a RESTMapper). */
  async resourceFor<T extends KubeObject = KubeObject>(apiVersion: string, kind: string, opts: { metadataOnly?: boolean } = {}): Promise<ResourceClient<T>> {
    const ref = await this.mapping(apiVersion, kind);
    if (!ref) {
      const { group, version } = parseApiVersion(apiVersion);
      throw new Error(`no matches for kind "${kind}" in version "${apiVersionOf(group, version)}"`);
    }
    return this.resource<T>(ref, opts);
  }

  /** The resource serving apiVersion/kind, or undefined (discovery is cached; invalidate() refreshes it). */
  async mapping(apiVersion: string, kind: string): Promise<ResourceRef | undefined> {
    const { group, version } = parseApiVersion(apiVersion);
    const find = (all: DiscoveredResource[]) => all.find((r) => r.group === group && r.version === version && r.kind === kind);
    let hit = find(await this.serverResources());
    if (!hit) {
      // A kind we have not seen may be a CRD created since the last discovery.
      this.invalidate();
      hit = find(await this.serverResources());
    }
    return hit && { group: hit.group, version: hit.version, resource: hit.resource, namespaced: hit.namespaced, kind: hit.kind };
  }

  /** Forgets cached discovery. */
  invalidate(): void {
    this.discovery = undefined;
  }

  /** Every resource of every served group version (cached until invalidate()). */
  serverResources(): Promise<DiscoveredResource[]> {
    if (!this.discovery) {
      const p = this.discover();
      this.discovery = p;
      p.catch(() => {
        if (this.discovery === p) this.discovery = undefined;
      });
    }
    return this.discovery;
  }

  /** The preferred version of each resource, as discovery's ServerPreferredResources. */
  async serverPreferredResources(): Promise<DiscoveredResource[]> {
    return (await this.serverResources()).filter((r) => r.preferred);
  }

  private async discover(): Promise<DiscoveredResource[]> {
    const accept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';
    const out: DiscoveredResource[] = [];
    for (const root of ['/api', '/apis']) {
      const cached = this.aggregated.get(root);
      const { body, headers, status } = await this.requestJSON<AggregatedList | LegacyRoot>('GET', root, {
        accept,
        headers: cached ? { 'if-none-match': cached.etag } : undefined,
      });
      if (status === 304) {
        if (!cached) throw new Error(`GET ${root}: 304 Not Modified to a request that named no ETag`);
        out.push(...cached.resources);
        continue;
      }
      if ((headerValue(headers, 'content-type') ?? '').includes('apidiscovery.k8s.io') || (body as AggregatedList).kind === 'APIGroupDiscoveryList') {
        const resources = fromAggregated(body as AggregatedList);
        const etag = headerValue(headers, 'etag');
        if (etag) this.aggregated.set(root, { etag, resources });
        out.push(...resources);
      } else {
        out.push(...(await this.discoverLegacy(root, body as LegacyRoot)));
      }
    }
    return out;
  }

  private async discoverLegacy(root: string, doc: LegacyRoot): Promise<DiscoveredResource[]> {
    const gvs: { group: string; version: string; preferred: boolean }[] = [];
    if (root === '/api') for (const v of doc.versions ?? []) gvs.push({ group: '', version: v, preferred: v === doc.versions![0] });
    else {
      for (const g of doc.groups ?? []) {
        for (const v of g.versions) gvs.push({ group: g.name, version: v.version, preferred: v.version === g.preferredVersion?.version });
      }
    }
    const out: DiscoveredResource[] = [];
    for (const gv of gvs) {
      const path = gv.group ? `/apis/${gv.group}/${gv.version}` : `/api/${gv.version}`;
      const { body } = await this.requestJSON<{ resources: { name: string; kind: string; namespaced: boolean; verbs: string[]; shortNames?: string[]; categories?: string[] }[] }>('GET', path);
      const subs = new Map<string, string[]>();
      for (const r of body.resources) {
        const [parent, sub] = r.name.split('/');
        if (sub) subs.set(parent, [...(subs.get(parent) ?? []), sub]);
      }
      for (const r of body.resources) {
        if (r.name.includes('/')) continue;
        out.push({
          group: gv.group,
          version: gv.version,
          resource: r.name,
          kind: r.kind,
          namespaced: r.namespaced,
          verbs: r.verbs ?? [],
          shortNames: r.shortNames ?? [],
          categories: r.categories ?? [],
          subresources: subs.get(r.name) ?? [],
          preferred: gv.preferred,
        });
      }
    }
    return out;
  }
}

interface AggregatedList {
  kind: string;
  items: {
    metadata: { name?: string };
    versions: {
      version: string;
      resources: { resource: string; responseKind?: { kind: string }; scope: string; verbs: string[]; shortNames?: string[]; categories?: string[]; subresources?: { subresource: string }[] }[];
    }[];
  }[];
}

interface LegacyRoot {
  versions?: string[];
  groups?: { name: string; versions: { version: string }[]; preferredVersion?: { version: string } }[];
}

// Aggregated discovery lists each group's versions preferred first.
function fromAggregated(doc: AggregatedList): DiscoveredResource[] {
  const out: DiscoveredResource[] = [];
  for (const g of doc.items ?? []) {
    g.versions.forEach((v, i) => {
      for (const r of v.resources ?? []) {
        out.push({
          group: g.metadata.name ?? '',
          version: v.version,
          resource: r.resource,
          kind: r.responseKind?.kind ?? '',
          namespaced: r.scope === 'Namespaced',
          verbs: r.verbs ?? [],
          shortNames: r.shortNames ?? [],
          categories: r.categories ?? [],
          subresources: (r.subresources ?? []).map((s) => s.subresource),
          preferred: i === 0,
        });
      }
    });
  }
  return out;
}

const PARTIAL_METADATA = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json';
const PARTIAL_METADATA_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

function listQuery(o: ListOptions & WatchOptions, q = new URLSearchParams()): URLSearchParams {
  if (o.labelSelector) q.set('labelSelector', o.labelSelector);
  if (o.fieldSelector) q.set('fieldSelector', o.fieldSelector);
  if (o.limit !== undefined) q.set('limit', String(o.limit));
  if (o.continue) q.set('continue', o.continue);
  if (o.resourceVersion !== undefined) q.set('resourceVersion', o.resourceVersion);
  if (o.resourceVersionMatch) q.set('resourceVersionMatch', o.resourceVersionMatch);
  if (o.timeoutSeconds !== undefined) q.set('timeoutSeconds', String(o.timeoutSeconds));
  if (o.allowWatchBookmarks) q.set('allowWatchBookmarks', 'true');
  if (o.sendInitialEvents !== undefined) q.set('sendInitialEvents', String(o.sendInitialEvents));
  return q;
}

function writeQuery(o: WriteOptions & { force?: boolean }): URLSearchParams {
  const q = new URLSearchParams();
  if (o.dryRun) q.set('dryRun', 'All');
  if (o.fieldManager) q.set('fieldManager', o.fieldManager);
  if (o.fieldValidation) q.set('fieldValidation', o.fieldValidation);
  if (o.force !== undefined) q.set('force', String(o.force));
  return q;
}

/** The verbs of one resource, optionally scoped to a namespace (client-go's dynamic ResourceInterface). */
export class ResourceClient<T extends KubeObject = KubeObject> {
  constructor(
    readonly rest: RestClient,
    readonly ref: ResourceRef,
    readonly ns: string | undefined,
    readonly metadataOnly: boolean,
  ) {}

  /** The same resource in one namespace. */
  namespace(ns: string): ResourceClient<T> {
    return new ResourceClient<T>(this.rest, this.ref, ns, this.metadataOnly);
  }

  /** The same resource as PartialObjectMetadata. */
  metadata(): ResourceClient<T> {
    return new ResourceClient<T>(this.rest, this.ref, this.ns, true);
  }

  private get qr() {
    return { group: this.ref.group, resource: this.ref.resource };
  }

  /** /api/v1[/namespaces/ns]/resource[/name[/subresource]] */
  path(ns: string | undefined, name?: string, subresource?: string): string {
    const base = this.ref.group ? `/apis/${this.ref.group}/${this.ref.version}` : `/api/${this.ref.version}`;
    let p = base;
    if (this.ref.namespaced && ns) p += `/namespaces/${encodeURIComponent(ns)}`;
    p += `/${this.ref.resource}`;
    if (name !== undefined) p += `/${encodeURIComponent(name)}`;
    if (subresource) p += `/${subresource}`;
    return p;
  }

  private objectNamespace(obj: KubeObject): string | undefined {
    return this.ns ?? obj.metadata?.namespace;
  }

  async get(name: string, opts: GetOptions = {}): Promise<T> {
    const q = new URLSearchParams();
    if (opts.resourceVersion !== undefined) q.set('resourceVersion', opts.resourceVersion);
    const { body } = await this.rest.requestJSON<T>('GET', this.path(this.ns, name), {
      query: q,
      accept: this.metadataOnly ? PARTIAL_METADATA : undefined,
      qr: this.qr,
      name,
    });
    return body;
  }

  /** One page of the list (all namespaces when the client is not scoped). Items carry apiVersion/kind. */
  async list(opts: ListOptions = {}): Promise<KubeList<T>> {
    const { body } = await this.rest.requestJSON<KubeList<T>>('GET', this.path(this.ns), {
      query: listQuery(opts),
      accept: this.metadataOnly ? PARTIAL_METADATA_LIST : undefined,
      qr: this.qr,
    });
    // Typed lists leave TypeMeta off their items; fill it in as client-go's decoders do.
    if (!this.metadataOnly && this.ref.kind) {
      const apiVersion = apiVersionOf(this.ref.group, this.ref.version);
      for (const item of body.items ?? []) {
        item.apiVersion ??= apiVersion;
        item.kind ??= this.ref.kind;
      }
    }
    body.items ??= [];
    return body;
  }

  /** Every page of the list, following continue tokens. */
  async listAll(opts: ListOptions = {}): Promise<KubeList<T>> {
    const first = await this.list(opts);
    let page = first;
    while (page.metadata.continue) {
      page = await this.list({ ...opts, continue: page.metadata.continue, resourceVersion: undefined });
      first.items.push(...page.items);
    }
    first.metadata = { resourceVersion: page.metadata.resourceVersion ?? first.metadata.resourceVersion };
    return first;
  }

  async create(obj: T, opts: WriteOptions = {}): Promise<T> {
    const { body } = await this.rest.requestJSON<T>('POST', this.path(this.objectNamespace(obj)), { query: writeQuery(opts), body: obj, qr: this.qr, name: obj.metadata?.name ?? '' });
    return body;
  }

  async update(obj: T, opts: WriteOptions = {}): Promise<T> {
    const name = obj.metadata.name!;
    const { body } = await this.rest.requestJSON<T>('PUT', this.path(this.objectNamespace(obj), name), { query: writeQuery(opts), body: obj, qr: this.qr, name });
    return body;
  }

  async updateStatus(obj: T, opts: WriteOptions = {}): Promise<T> {
    const name = obj.metadata.name!;
    const { body } = await this.rest.requestJSON<T>('PUT', this.path(this.objectNamespace(obj), name, 'status'), { query: writeQuery(opts), body: obj, qr: this.qr, name });
    return body;
  }

  /** POSTs body to a subresource of name (pods/binding, pods/eviction, serviceaccounts/token). */
  async createSubresource<R = unknown>(name: string, subresource: string, body: unknown, opts: WriteOptions = {}): Promise<R> {
    const { body: out } = await this.rest.requestJSON<R>('POST', this.path(this.ns, name, subresource), { query: writeQuery(opts), body, qr: this.qr, name });
    return out;
  }

  /** Patches name; for 'apply' the body is the applied configuration and fieldManager is required. */
  async patch(name: string, type: PatchType, patch: unknown, opts: PatchOptions = {}): Promise<T> {
    const { body } = await this.rest.requestJSON<T>('PATCH', this.path(this.ns, name, opts.subresource), {
      query: writeQuery({ ...opts, force: type === 'apply' ? opts.force : undefined }),
      body: patch,
      contentType: PATCH_CONTENT_TYPES[type],
      qr: this.qr,
      name,
    });
    return body;
  }

  /** Server-side apply of obj as fieldManager. */
  apply(obj: T, opts: PatchOptions & { fieldManager: string }): Promise<T> {
    const scoped = this.ns === undefined && obj.metadata.namespace ? this.namespace(obj.metadata.namespace) : this;
    return scoped.patch(obj.metadata.name!, 'apply', obj, opts);
  }

  /** Deletes name; resolves with what the server answers (the object while finalizers remain, else a Status or the object). */
  async delete(name: string, opts: DeleteOptions = {}): Promise<T | Status> {
    const q = new URLSearchParams();
    if (opts.dryRun) q.set('dryRun', 'All');
    const { body } = await this.rest.requestJSON<T | Status>('DELETE', this.path(this.ns, name), { query: q, body: deleteBody(opts), qr: this.qr, name });
    return body;
  }

  /** Deletes everything the selectors match (in the client's namespace, or all). */
  async deleteCollection(opts: DeleteOptions & ListOptions = {}): Promise<KubeList<T>> {
    const q = listQuery(opts);
    if (opts.dryRun) q.set('dryRun', 'All');
    const { body } = await this.rest.requestJSON<KubeList<T>>('DELETE', this.path(this.ns), { query: q, body: deleteBody(opts), qr: this.qr });
    return body;
  }

  /** Opens a watch; HTTP errors throw StatusError, in-stream errors arrive as ERROR events. */
  async watch(opts: WatchOptions = {}): Promise<Watch<T>> {
    const q = listQuery(opts);
    q.set('watch', 'true');
    const s = await this.rest.transport.stream({
      method: 'GET',
      path: this.path(this.ns),
      query: q,
      headers: { accept: this.metadataOnly ? PARTIAL_METADATA_LIST : 'application/json' },
      values: true,
      readOnly: opts.readOnly,
    });
    if (!isSuccess(s.status)) {
      const chunks: string[] = [];
      for await (const l of s.lines) chunks.push(l);
      s.close();
      throw errorFromResponse({ status: s.status, headers: s.headers, body: Buffer.from(chunks.join('\n')) }, 'GET', this.qr);
    }
    return {
      close: () => s.close(),
      async *[Symbol.asyncIterator]() {
        // In process the events arrive as values (copies of the server's), without JSON between.
        if (s.values) {
          yield* s.values as AsyncIterable<WatchEvent<T>>;
          return;
        }
        for await (const line of s.lines) {
          let ev: WatchEvent<T>;
          try {
            ev = JSON.parse(line) as WatchEvent<T>;
          } catch {
            continue; // a torn line from a broken connection; the reflector re-watches
          }
          yield ev;
        }
      },
    };
  }
}

function deleteBody(o: DeleteOptions): Record<string, unknown> {
  const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' };
  if (o.propagationPolicy) body.propagationPolicy = o.propagationPolicy;
  if (o.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = o.gracePeriodSeconds;
  if (o.preconditions) body.preconditions = o.preconditions;
  if (o.dryRun) body.dryRun = ['All'];
  return body;
}

/** True when e is a StatusError with HTTP code 404. */
export function isNotFound(e: unknown): boolean {
  return e instanceof StatusError && e.code === 404;
}

/** True when e is a 409 Conflict (not AlreadyExists). */
export function isConflict(e: unknown): boolean {
  return e instanceof StatusError && e.code === 409 && e.reason === 'Conflict';
}

/** True when e is a 410 Expired/Gone. */
export function isResourceExpired(e: unknown): boolean {
  return e instanceof StatusError && e.code === 410;
}
