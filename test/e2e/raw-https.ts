// Plain HTTPS requests to a skiff, with the server, CA and token taken from the kubeconfig it wrote:
// for tests that must show the exact requests a client library makes, without a library in between.
import { request } from 'node:https';
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { realClock } from '../../src/sim/clock.js';

/** A response read to its end. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json<T = any>(): T;
}

/** A watch in progress: the events parsed so far, and a way to wait for more or for the end. */
export interface RawWatch {
  status: number;
  events: { type: string; object: any }[];
  /** Resolves once at least n events arrived or the stream ended; rejects after timeoutMs (default 5 s). */
  waitForEvents(n: number, timeoutMs?: number): Promise<void>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/** Requests against the current context of a kubeconfig written by skiff (token user, embedded CA). */
export class RawClient {
  private readonly server: URL;
  private readonly ca: string;
  private readonly token: string;

  constructor(kubeconfigPath: string) {
    const kc = YAML.parse(readFileSync(kubeconfigPath, 'utf8'));
    const ctx = kc.contexts.find((c: any) => c.name === kc['current-context']).context;
    const cluster = kc.clusters.find((c: any) => c.name === ctx.cluster).cluster;
    const user = kc.users.find((u: any) => u.name === ctx.user).user;
    this.server = new URL(cluster.server);
    this.ca = Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8');
    this.token = user.token;
  }

  private open(method: string, path: string, body?: unknown, contentType = 'application/json') {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    return request({
      host: this.server.hostname,
      port: this.server.port,
      path,
      method,
      ca: this.ca,
      headers: {
        authorization: `Bearer ${this.token}`,
        accept: 'application/json',
        ...(payload !== undefined ? { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) } : {}),
      },
    }).end(payload);
  }

  /** Sends one request and reads the whole response. */
  send(method: string, path: string, body?: unknown, contentType?: string): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const req = this.open(method, path, body, contentType);
      req.on('error', reject);
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('error', reject);
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json: () => JSON.parse(text) }),
        );
      });
    });
  }

  /** Starts a watch (path must carry watch=true) and parses newline-delimited events as they come. */
  watch(path: string): Promise<RawWatch> {
    return new Promise((resolve, reject) => {
      const req = this.open('GET', path);
      req.on('error', reject);
      req.on('response', (res) => {
        const events: { type: string; object: any }[] = [];
        let waiters: (() => void)[] = [];
        let done = false;
        const wake = () => {
          for (const w of waiters) w();
          waiters = [];
        };
        let partial = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          const lines = (partial + d).split('\n');
          partial = lines.pop()!;
          for (const line of lines) if (line.trim()) events.push(JSON.parse(line));
          wake();
        });
        const ended = new Promise<void>((r) => {
          const finish = () => {
            done = true;
            wake();
            r();
          };
          res.on('end', finish);
          res.on('close', finish);
          res.on('error', finish);
        });
        resolve({
          status: res.statusCode ?? 0,
          events,
          ended,
          async waitForEvents(n: number, timeoutMs = 5_000) {
            const timer = new AbortController();
            const arrived = (async () => {
              while (events.length < n && !done) await new Promise<void>((r) => waiters.push(r));
            })();
            const timedOut = realClock.sleep(timeoutMs, timer.signal).then(
              () => Promise.reject(new Error(`waited ${timeoutMs} ms for ${n} events, got ${JSON.stringify(events.map((e) => e.type))}`)),
              () => undefined,
            );
            try {
              await Promise.race([arrived, timedOut]);
            } finally {
              timer.abort();
            }
          },
          close: () => req.destroy(),
        });
      });
    });
  }
}
