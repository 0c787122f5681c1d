// How the client reaches an API server: one small interface with two implementations. HTTPS for
// components in another process (kubeconfig, CA, bearer token or client certificate, a keep-alive
// agent), and an in-process transport that hands requests straight to APIServer.handle as the
// given user, so authorization, admission and watch semantics are the same without sockets.
import { jsonRoundTrip } from '../apimachinery/json.js';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { dirname, isAbsolute, resolve } from 'node:path';
import YAML from 'yaml';
import type { ApiRequest, ResponseSink } from '../apiserver/http.js';
import type { UserInfo } from '../apiserver/auth/authn.js';
import { MAX_REQUEST_BODY_BYTES, readLimited } from '../apimachinery/request-body.js';

/** Response headers, lower-case names. */
export type Headers = Record<string, string | string[]>;

/** One request: the path without query, the query separately, an optional raw body. */
export interface TransportRequest {
  method: string;
  path: string;
  query?: URLSearchParams;
  /** Request headers (any case; transports lower-case them). */
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /**
   * A JSON body as the value it stands for, instead of body: over the network it goes as
   * JSON.stringify's text; in process the server takes a copy of the value itself, skipping the
   * text both ways (see ApiRequest.bodyValue).
   */
  bodyValue?: unknown;
  /**
   * The caller takes JSON as values when the transport can carry them: a response body as
   * TransportResponse.value, a stream's lines as StreamResponse.values.
   */
  values?: boolean;
  /**
   * With values on a stream: the caller only reads what it is handed (an informer's cache, checked
   * by the mutation detector under npm test), so in process a watch event may carry the server's
   * own read-only object instead of a copy of it.
   */
  readOnly?: boolean;
}

/** A complete response. */
export interface TransportResponse {
  status: number;
  headers: Headers;
  body: Buffer;
  /**
   * Set (with an empty body) when the request asked for values and the transport carries them
   * (in process): the value the JSON body would parse to, the caller's own copy.
   */
  value?: unknown;
}

/**
 * A streamed response (a watch): lines of newline-delimited JSON as they arrive. The iteration ends
 * when the server ends the response or close() is called; a non-2xx answer arrives the same way
 * (its body as lines), so callers check status first.
 */
export interface StreamResponse {
  status: number;
  headers: Headers;
  lines: AsyncIterable<string>;
  /**
   * Set when the request asked for values and the transport carries them (in process): the values
   * the lines would parse to, in their place (lines then stays empty).
   */
  values?: AsyncIterable<unknown>;
  /** Stops the stream (the server sees the client go away). Idempotent. */
  close(): void;
}

/** The client's view of an API server. */
export interface Transport {
  request(req: TransportRequest): Promise<TransportResponse>;
  stream(req: TransportRequest): Promise<StreamResponse>;
  /** Releases sockets; in-flight streams are closed. */
  close(): void;
}

/** The first value of a header, whatever its case in the map. */
export function headerValue(headers: Headers, name: string): string | undefined {
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === want) return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}

function lowerCaseHeaders(h: Record<string, string> | undefined): Record<string, string> {
  if (!h) return {};
  // The RestClient names its headers in lower case already (a fresh object per request): kept.
  let lower = true;
  for (const k in h) {
    if (k !== k.toLowerCase()) {
      lower = false;
      break;
    }
  }
  if (lower) return h;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = v;
  return out;
}

/**
 * A push-fed async iterable of lines: chunks go in as they are written, complete lines come out.
 * Shared by both transports so the streaming semantics are identical. With a parse function it
 * yields each line's value instead (lines that do not parse are dropped, as a torn line would be),
 * and takes values pushed as they are.
 */
class LineQueue<T = string> implements AsyncIterable<T> {
  private partial = '';
  private readonly items: T[] = [];
  private ended = false;
  private waiter?: () => void;

  constructor(private readonly parse?: (line: string) => T | undefined) {}

  push(chunk: string): void {
    if (this.ended) return;
    const text = this.partial + chunk;
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    for (const p of parts) if (p.trim()) this.add(p);
    this.wake();
  }

  /** Queues a value as if its line had arrived (a values queue only). */
  pushValue(value: T): void {
    if (this.ended) return;
    this.items.push(value);
    this.wake();
  }

  end(): void {
    if (this.ended) return;
    if (this.partial.trim()) this.add(this.partial);
    this.partial = '';
    this.ended = true;
    this.wake();
  }

  private add(line: string): void {
    if (!this.parse) {
      this.items.push(line as T);
      return;
    }
    const v = this.parse(line);
    if (v !== undefined) this.items.push(v);
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      if (this.items.length) {
        yield this.items.shift()!;
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((r) => (this.waiter = r));
    }
  }
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}

// In-process watchers of the same resource share one copy of each event's object, as client-go's
// shared informers share one decoded object among all their consumers: copying it per watcher was
// most of the cost of delivering an event. What they are handed is therefore read-only
// (apimachinery/mutation-detector.ts checks that under npm test). The server sends the same object to
// each watcher after setting apiVersion and kind for it, so a copy serves a watcher only while
// both still agree.
const eventCopies = new WeakMap<object, { apiVersion: unknown; kind: unknown; copy: unknown }>();

function eventCopy(object: unknown): unknown {
  if (typeof object !== 'object' || object === null) return jsonRoundTrip(object);
  const o = object as { apiVersion?: unknown; kind?: unknown };
  const hit = eventCopies.get(object);
  if (hit && hit.apiVersion === o.apiVersion && hit.kind === o.kind) return hit.copy;
  const copy = jsonRoundTrip(object);
  eventCopies.set(object, { apiVersion: o.apiVersion, kind: o.kind, copy });
  return copy;
}

/** Anything with APIServer.handle's shape (kept structural so client/ does not construct servers). */
export interface RequestHandler {
  handle(req: ApiRequest, res: ResponseSink): Promise<void>;
}

/**
 * The ResponseSink the in-process transport gives the server: buffers, or feeds a LineQueue of
 * lines, or (for a caller that takes values) of the values the lines stand for.
 */
class InProcessSink implements ResponseSink {
  status = 0;
  headers: Headers = {};
  headersSent = false;
  readonly chunks: Buffer[] = [];
  lines?: LineQueue;
  values?: LineQueue<unknown>;
  /** The caller takes a response body as a value (request() with values). */
  takesValue = false;
  /** Watch events go out as the server's own objects (TransportRequest.readOnly). */
  sharesEvents = false;
  value?: unknown;
  private closeListeners: (() => void)[] = [];
  private onHead?: () => void;
  closed = false;

  constructor(onHead?: () => void) {
    this.onHead = onHead;
  }

  writeHead(code: number, headers: Record<string, string | string[]>): this {
    this.status = code;
    this.headers = {};
    for (const [k, v] of Object.entries(headers)) this.headers[k.toLowerCase()] = v;
    this.headersSent = true;
    const cb = this.onHead;
    this.onHead = undefined;
    cb?.();
    return this;
  }
  flushHeaders(): void {}
  write(chunk: string | Uint8Array): boolean {
    const queue = this.values ?? this.lines;
    if (queue) queue.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    else this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
    return true;
  }
  writeValue(code: number, headers: Record<string, string | string[]>, value: unknown): boolean {
    if (!this.takesValue || value === undefined) return false;
    this.value = jsonRoundTrip(value);
    this.writeHead(code, headers);
    this.end();
    return true;
  }
  /**
   * A watch event as a value: to a read-only watcher (an informer) the server's own object; to any
   * other, one copy (as a JSON round trip would make) shared by every such watcher it goes to.
   */
  writeEvent(type: string, object: unknown): boolean {
    if (!this.values) return false;
    this.values.pushValue({ type, object: this.sharesEvents ? object : eventCopy(object) });
    return true;
  }
  end(chunk?: string | Uint8Array): this {
    if (chunk !== undefined) this.write(chunk);
    this.lines?.end();
    this.values?.end();
    return this;
  }
  once(_event: 'close', cb: () => void): this {
    if (this.closed) cb();
    else this.closeListeners.push(cb);
    return this;
  }
  /** The client went away: tell the server (it ends the watch). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const cb of this.closeListeners.splice(0)) cb();
    this.lines?.end();
    this.values?.end();
  }
}

/**
 * Enters the API server's request chain directly as `user`: authentication is skipped (the
 * identity is given), authorization, admission and watch semantics are not. No sockets; bodies are
 * still serialized so the caller never shares objects with the server.
 */
export class InProcessTransport implements Transport {
  private readonly open = new Set<InProcessSink>();

  constructor(
    private readonly server: RequestHandler,
    private readonly user: UserInfo,
  ) {}

  private apiRequest(req: TransportRequest): ApiRequest {
    const value = req.bodyValue;
    // A value's text is only made when a handler reads the body as bytes.
    let body: Buffer | undefined = value !== undefined ? undefined : req.body === undefined ? Buffer.alloc(0) : Buffer.from(req.body);
    const out: ApiRequest = {
      method: req.method,
      path: req.path,
      query: new URLSearchParams(req.query ?? ''),
      headers: lowerCaseHeaders(req.headers),
      // The same 413 as over HTTP for a body past MaxRequestBodyBytes.
      body: () => {
        const bytes = (body ??= Buffer.from(JSON.stringify(value)));
        return bytes.length <= MAX_REQUEST_BODY_BYTES
          ? Promise.resolve(bytes)
          : readLimited((async function* () {
              yield bytes;
            })());
      },
      user: this.user,
    };
    if (value !== undefined) out.bodyValue = () => jsonRoundTrip(value);
    return out;
  }

  async request(req: TransportRequest): Promise<TransportResponse> {
    const sink = new InProcessSink();
    sink.takesValue = req.values === true;
    await this.server.handle(this.apiRequest(req), sink);
    const res: TransportResponse = { status: sink.status, headers: sink.headers, body: Buffer.concat(sink.chunks) };
    if (sink.value !== undefined) res.value = sink.value;
    return res;
  }

  stream(req: TransportRequest): Promise<StreamResponse> {
    return new Promise((resolveStream, reject) => {
      let sink: InProcessSink;
      const respond = () => {
        // A successful stream goes to a caller that takes values as values; anything else (an
        // error's Status body) as lines.
        const asValues = req.values === true && sink.status >= 200 && sink.status < 300;
        const lines = new LineQueue();
        const values = asValues ? new LineQueue<unknown>(parseLine) : undefined;
        // Whatever was written before the head went out (nothing, normally) stays in front.
        for (const c of sink.chunks.splice(0)) (values ?? lines).push(c.toString('utf8'));
        if (values) {
          sink.values = values;
          lines.end(); // nothing comes as lines on a values stream
        } else sink.lines = lines;
        this.open.add(sink);
        resolveStream({
          status: sink.status,
          headers: sink.headers,
          lines,
          values,
          close: () => {
            this.open.delete(sink);
            sink.close();
          },
        });
      };
      sink = new InProcessSink(respond);
      sink.sharesEvents = req.values === true && req.readOnly === true;
      this.server.handle(this.apiRequest(req), sink).then(
        () => {
          sink.lines?.end();
          sink.values?.end();
          this.open.delete(sink);
          if (!sink.headersSent) reject(new Error('in-process server ended a stream without a response'));
        },
        (e) => {
          sink.lines?.end();
          sink.values?.end();
          this.open.delete(sink);
          reject(e);
        },
      );
    });
  }

  /** Drops every open stream, as a server restart or a broken connection would. */
  closeStreams(): void {
    for (const s of [...this.open]) {
      this.open.delete(s);
      s.close();
    }
  }

  close(): void {
    this.closeStreams();
  }
}

/** How to reach and trust a server over HTTPS. */
export interface HttpsTransportConfig {
  /** https://host:port[/prefix] (http: works too, for tests behind a proxy). */
  server: string;
  /** PEM of the CA that signs the serving certificate. */
  ca?: string | Buffer;
  token?: string;
  /** PEM client certificate and key. */
  cert?: string | Buffer;
  key?: string | Buffer;
  /** SNI name and the name the certificate is checked against (kubeconfig tls-server-name). */
  tlsServerName?: string;
  insecureSkipTLSVerify?: boolean;
  userAgent?: string;
}

/** Talks to an API server over HTTP(S) with one keep-alive agent. */
export class HttpsTransport implements Transport {
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly open = new Set<http.ClientRequest>();

  constructor(private readonly config: HttpsTransportConfig) {
    this.base = new URL(config.server);
    const secure = this.base.protocol === 'https:';
    this.agent = secure
      ? new https.Agent({
          keepAlive: true,
          ca: config.ca,
          cert: config.cert,
          key: config.key,
          servername: config.tlsServerName,
          rejectUnauthorized: !config.insecureSkipTLSVerify,
        })
      : new http.Agent({ keepAlive: true });
  }

  /** Reads a kubeconfig file (the given context, else current-context) into a transport. */
  static fromKubeconfig(path: string, context?: string): HttpsTransport {
    return new HttpsTransport(kubeconfigTransportConfig(readFileSync(path, 'utf8'), dirname(path), context));
  }

  private send(
    req: TransportRequest,
    onResponse: (res: http.IncomingMessage, creq: http.ClientRequest) => void,
    onError: (e: Error, creq: http.ClientRequest) => void,
  ): void {
    const prefix = this.base.pathname.replace(/\/+$/, '');
    const qs = req.query?.toString();
    const headers: Record<string, string> = { ...lowerCaseHeaders(req.headers) };
    if (this.config.token) headers.authorization = `Bearer ${this.config.token}`;
    if (this.config.userAgent) headers['user-agent'] ??= this.config.userAgent;
    const body = req.bodyValue !== undefined ? Buffer.from(JSON.stringify(req.bodyValue)) : req.body === undefined ? undefined : Buffer.from(req.body);
    if (body) headers['content-length'] = String(body.length);
    const mod = this.base.protocol === 'https:' ? https : http;
    const creq = mod.request(
      {
        protocol: this.base.protocol,
        hostname: this.base.hostname,
        port: this.base.port,
        method: req.method,
        path: `${prefix}${req.path}${qs ? `?${qs}` : ''}`,
        headers,
        agent: this.agent,
        servername: this.config.tlsServerName,
      },
      (res) => onResponse(res, creq),
    );
    creq.on('error', (e) => onError(e, creq));
    creq.end(body);
  }

  request(req: TransportRequest): Promise<TransportResponse> {
    return new Promise((resolveReq, reject) => {
      const attempt = (retried: boolean) =>
        this.send(
          req,
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolveReq({ status: res.statusCode ?? 0, headers: res.headers as Headers, body: Buffer.concat(chunks) }));
            res.on('error', reject);
          },
          (e, creq) => {
            // A kept-alive socket the server closed before answering (Node's documented keep-alive
            // race, and its HTTP server dropping a connection on which a request arrives while the
            // previous large response is still draining) never got a response: send once more.
            if (!retried && creq.reusedSocket && (e as NodeJS.ErrnoException).code === 'ECONNRESET') attempt(true);
            else reject(e);
          },
        );
      attempt(false);
    });
  }

  stream(req: TransportRequest): Promise<StreamResponse> {
    return new Promise((resolveStream, reject) => {
      this.send(
        req,
        (res, creq) => {
          this.open.add(creq);
          const lines = new LineQueue();
          res.setEncoding('utf8');
          res.on('data', (c: string) => lines.push(c));
          const finish = () => {
            this.open.delete(creq);
            lines.end();
          };
          res.on('end', finish);
          res.on('close', finish);
          res.on('error', finish);
          resolveStream({
            status: res.statusCode ?? 0,
            headers: res.headers as Headers,
            lines,
            close: () => {
              finish();
              creq.destroy();
            },
          });
        },
        (e) => reject(e),
      );
    });
  }

  close(): void {
    for (const r of this.open) r.destroy();
    this.open.clear();
    this.agent.destroy();
  }
}

interface KubeconfigDoc {
  'current-context'?: string;
  clusters?: { name: string; cluster: Record<string, string | boolean | undefined> }[];
  users?: { name: string; user: Record<string, string | undefined> }[];
  contexts?: { name: string; context: { cluster: string; user: string } }[];
}

/** Resolves a kubeconfig's cluster and user for one context, reading referenced files relative to baseDir. */
export function kubeconfigTransportConfig(text: string, baseDir: string, context?: string): HttpsTransportConfig {
  const doc = (YAML.parse(text) ?? {}) as KubeconfigDoc;
  const ctxName = context ?? doc['current-context'];
  if (!ctxName) throw new Error('invalid configuration: no configuration has been provided');
  const ctx = doc.contexts?.find((c) => c.name === ctxName)?.context;
  if (!ctx) throw new Error(`context was not found for specified context: ${ctxName}`);
  const cluster = doc.clusters?.find((c) => c.name === ctx.cluster)?.cluster;
  if (!cluster) throw new Error(`cluster has no server defined`);
  const user = doc.users?.find((u) => u.name === ctx.user)?.user ?? {};
  const file = (p: string) => readFileSync(isAbsolute(p) ? p : resolve(baseDir, p));
  const data = (inline: unknown, path: unknown): Buffer | undefined => {
    if (typeof inline === 'string' && inline) return Buffer.from(inline, 'base64');
    if (typeof path === 'string' && path) return file(path);
    return undefined;
  };
  const token = user.token ?? (user.tokenFile ? file(user.tokenFile).toString('utf8').trim() : undefined);
  return {
    server: String(cluster.server),
    ca: data(cluster['certificate-authority-data'], cluster['certificate-authority']),
    tlsServerName: typeof cluster['tls-server-name'] === 'string' ? cluster['tls-server-name'] : undefined,
    insecureSkipTLSVerify: cluster['insecure-skip-tls-verify'] === true,
    token,
    cert: data(user['client-certificate-data'], user['client-certificate']),
    key: data(user['client-key-data'], user['client-key']),
  };
}
