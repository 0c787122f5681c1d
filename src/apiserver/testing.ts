// An in-process API server for tests: a MemoryStore, a VirtualClock, an admin token, and a
// request function that returns what the HTTP layer would have sent (including streamed watches).
import { TokenAuthenticator } from './auth/authn.js';
import { APIServer } from './apiserver.js';
import type { ApiRequest, ResponseSink } from './http.js';
import { MemoryStore } from '../storage/memory.js';
import { VirtualClock } from '../sim/clock.js';

export const TEST_TOKEN = 'test-admin-token';

/** A captured response; for streams, `chunks` grows as the server writes. */
export class CapturedResponse implements ResponseSink {
  status = 0;
  headers: Record<string, string | string[]> = {};
  chunks: string[] = [];
  ended = false;
  headersSent = false;
  private closeListeners: (() => void)[] = [];
  private waiters: (() => void)[] = [];

  writeHead(code: number, headers: Record<string, string | string[]>): this {
    this.status = code;
    this.headers = headers;
    this.headersSent = true;
    return this;
  }
  write(chunk: string | Uint8Array): boolean {
    this.chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    this.wake();
    return true;
  }
  end(chunk?: string | Uint8Array): this {
    if (chunk !== undefined) this.write(chunk);
    this.ended = true;
    this.wake();
    return this;
  }
  once(_event: 'close', cb: () => void): this {
    this.closeListeners.push(cb);
    return this;
  }
  /** Simulates the client going away. */
  close(): void {
    for (const cb of this.closeListeners.splice(0)) cb();
  }
  get body(): string {
    return this.chunks.join('');
  }
  json<T = any>(): T {
    return JSON.parse(this.body) as T;
  }
  /** The watch events written so far. */
  events<T = any>(): { type: string; object: T }[] {
    return this.body
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l));
  }
  /** Resolves once the stream has at least n events (or ended). */
  async waitForEvents(n: number): Promise<void> {
    while (this.events().length < n && !this.ended) await new Promise<void>((r) => this.waiters.push(r));
  }
  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}

export interface TestServer {
  server: APIServer;
  clock: VirtualClock;
  store: MemoryStore;
  /** Sends a request and waits for the response to end (do not await watches: use stream()). */
  request(method: string, path: string, opts?: { body?: unknown; headers?: Record<string, string>; token?: string | null }): Promise<CapturedResponse>;
  /** Starts a streaming request (a watch) and returns its response as it fills. */
  stream(path: string, opts?: { headers?: Record<string, string> }): { res: CapturedResponse; done: Promise<void> };
  stop(): void;
}

/** Builds and starts an in-process API server on a MemoryStore and a VirtualClock. */
export async function startTestServer(): Promise<TestServer> {
  const store = new MemoryStore();
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const server = new APIServer({
    clusterName: 'test',
    store,
    clock,
    authenticator: new TokenAuthenticator([{ token: TEST_TOKEN, user: { username: 'kubernetes-admin', groups: ['system:masters'] } }]),
  });
  await server.start();
  const makeReq = (method: string, path: string, opts: { body?: unknown; headers?: Record<string, string>; token?: string | null } = {}): ApiRequest => {
    const url = new URL(path, 'https://skiff.test');
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token !== null) headers.authorization = `Bearer ${opts.token ?? TEST_TOKEN}`;
    let body: Buffer = Buffer.alloc(0);
    if (opts.body !== undefined) {
      body = Buffer.isBuffer(opts.body) ? opts.body : Buffer.from(typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body));
      headers['content-type'] ??= 'application/json';
    }
    return { method, path: url.pathname, query: url.searchParams, headers, body: async () => body };
  };
  return {
    server,
    clock,
    store,
    async request(method, path, opts) {
      const res = new CapturedResponse();
      await server.handle(makeReq(method, path, opts), res);
      return res;
    },
    stream(path, opts) {
      const res = new CapturedResponse();
      const done = server.handle(makeReq('GET', path, opts), res);
      return { res, done };
    },
    stop() {
      server.stop();
    },
  };
}
