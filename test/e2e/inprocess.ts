// An API server in this process, on a MemoryStore and a VirtualClock, driven through
// APIServer.handle() with a fake request/response pair: the same request chain as over HTTPS
// (authentication, authorization, admission, registry), thousands of times faster.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingHttpHeaders } from 'node:http';
import { APIServer } from '../../src/apiserver/apiserver.js';
import { startNamespaceController } from '../../src/controllers/namespace/testing.js';
import { TokenAuthenticator } from '../../src/apiserver/auth/authn.js';
import { readLimited, type ApiRequest, type ResponseSink } from '../../src/apiserver/http.js';
import { VirtualClock } from '../../src/sim/clock.js';
import { MemoryStore } from '../../src/storage/memory.js';
import type { KeyValue, Store, WatchEvent } from '../../src/storage/store.js';

/** The bearer token the in-process cluster's admin authenticates with. */
export const ADMIN_TOKEN = 'skiff-inprocess-admin-token';

/** One answer of the in-process server. */
export interface InProcessResponse {
  status: number;
  headers: Record<string, string | string[]>;
  /** The body as text (a watch's events, newline-delimited). */
  text: string;
  /** Writes to the store made while serving this request (the whole request chain's, nobody else's). */
  writes: number;
  /** True when the handler ended the response. */
  ended: boolean;
}

/** A request to send: the body is raw (a string or bytes) or an object sent as JSON. */
export interface InProcessRequest {
  method: string;
  /** The path with an optional query string, e.g. "/api/v1/namespaces/default/configmaps?dryRun=All". */
  url: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array | object;
  /** Leave out the admin token (to exercise anonymous access). */
  anonymous?: boolean;
}

/** The request a store call belongs to, so writes are counted per request. */
interface RequestScope {
  writes: number;
}

/**
 * Counts successful mutations per request with AsyncLocalStorage: background loops (namespace
 * controller, RBAC cache) keep the context of the write that woke them, never a later request's.
 */
class CountingStore implements Store {
  constructor(
    private readonly inner: Store,
    private readonly scope: AsyncLocalStorage<RequestScope>,
  ) {}
  currentRevision(): number {
    return this.inner.currentRevision();
  }
  compactRevision(): number {
    return this.inner.compactRevision();
  }
  get(key: string, revision?: number) {
    return this.inner.get(key, revision);
  }
  list(prefix: string, opts?: Parameters<Store['list']>[1]) {
    return this.inner.list(prefix, opts);
  }
  count(prefix: string) {
    return this.inner.count(prefix);
  }
  async create(key: string, value: string): Promise<KeyValue> {
    const kv = await this.inner.create(key, value);
    this.counted();
    return kv;
  }
  async update(key: string, value: string, expectedModRevision: number): Promise<KeyValue> {
    const kv = await this.inner.update(key, value, expectedModRevision);
    this.counted();
    return kv;
  }
  async delete(key: string, expectedModRevision?: number): Promise<WatchEvent> {
    const ev = await this.inner.delete(key, expectedModRevision);
    this.counted();
    return ev;
  }
  watch(prefix: string, fromRevision: number, handler: Parameters<Store['watch']>[2]) {
    return this.inner.watch(prefix, fromRevision, handler);
  }
  compact(revision: number) {
    return this.inner.compact(revision);
  }
  close() {
    return this.inner.close();
  }
  private counted(): void {
    const s = this.scope.getStore();
    if (s) s.writes++;
  }
}

/** A fake http.ServerResponse that collects what the handler writes. */
class CollectingSink implements ResponseSink {
  status = 0;
  headers: Record<string, string | string[]> = {};
  headersSent = false;
  ended = false;
  private readonly chunks: Buffer[] = [];
  private readonly closeListeners: (() => void)[] = [];

  writeHead(code: number, headers: Record<string, string | string[]>): this {
    if (this.headersSent) throw new Error('writeHead called twice');
    this.status = code;
    this.headers = headers;
    this.headersSent = true;
    // A streamed answer (a watch) would run until the client leaves: leave once the first events are out.
    if (headers['Transfer-Encoding'] === 'chunked') queueMicrotask(() => queueMicrotask(() => this.close()));
    return this;
  }
  write(chunk: string | Uint8Array): boolean {
    if (this.ended) throw new Error('write after end');
    this.chunks.push(Buffer.from(chunk));
    return true;
  }
  end(chunk?: string | Uint8Array): this {
    if (this.ended) return this;
    if (chunk !== undefined) this.chunks.push(Buffer.from(chunk));
    this.ended = true;
    return this;
  }
  once(_event: 'close', cb: () => void): this {
    this.closeListeners.push(cb);
    return this;
  }
  flushHeaders(): void {}
  /** The client goes away. */
  close(): void {
    for (const cb of this.closeListeners.splice(0)) cb();
  }
  get text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** An APIServer over a MemoryStore, started with its bootstrap objects. */
export class InProcessCluster {
  private readonly scope = new AsyncLocalStorage<RequestScope>();
  readonly store: Store;
  readonly apiserver: APIServer;
  private stopControllers: () => void = () => {};

  private constructor() {
    this.store = new CountingStore(new MemoryStore(), this.scope);
    const clock = new VirtualClock();
    this.apiserver = new APIServer({
      clusterName: 'inprocess',
      store: this.store,
      clock,
      authenticator: new TokenAuthenticator([{ token: ADMIN_TOKEN, user: { username: 'kubernetes-admin', groups: ['system:masters'] } }]),
    });
  }

  /** Builds and starts a cluster, with the namespace controller that drains deleted namespaces. */
  static async start(): Promise<InProcessCluster> {
    const c = new InProcessCluster();
    await c.apiserver.start();
    c.stopControllers = startNamespaceController(c.apiserver, c.apiserver.clock);
    return c;
  }

  /** Sends one request through APIServer.handle and collects the answer. */
  async request(r: InProcessRequest): Promise<InProcessResponse> {
    const q = r.url.indexOf('?');
    const path = q < 0 ? r.url : r.url.slice(0, q);
    const query = new URLSearchParams(q < 0 ? '' : r.url.slice(q + 1));
    const headers: IncomingHttpHeaders = {};
    let body: Buffer = Buffer.alloc(0);
    if (r.body !== undefined) {
      if (typeof r.body === 'string') body = Buffer.from(r.body);
      else if (r.body instanceof Uint8Array) body = Buffer.from(r.body);
      else {
        body = Buffer.from(JSON.stringify(r.body));
        headers['content-type'] = 'application/json';
      }
    }
    for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = v;
    if (!r.anonymous) headers.authorization = `Bearer ${ADMIN_TOKEN}`;
    const req: ApiRequest = {
      method: r.method,
      path,
      query,
      headers,
      // Through the same 3 MiB limit the HTTPS server applies.
      body: () => readLimited((async function* () { yield body; })()),
    };
    const sink = new CollectingSink();
    const scope: RequestScope = { writes: 0 };
    await this.scope.run(scope, () => this.apiserver.handle(req, sink));
    return { status: sink.status, headers: sink.headers, text: sink.text, writes: scope.writes, ended: sink.ended };
  }

  /** Stops the server's loops. */
  stop(): void {
    this.stopControllers();
    this.apiserver.stop();
  }
}

/** Parses a JSON body, failing with the body in the message. */
export function json<T = any>(r: { text: string; status: number }): T {
  try {
    return JSON.parse(r.text) as T;
  } catch {
    throw new Error(`not JSON (status ${r.status}): ${r.text.slice(0, 500)}`);
  }
}
