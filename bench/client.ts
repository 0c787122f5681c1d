// A lean HTTPS client for the benchmark: node:https over a keep-alive agent, bearer token and the
// cluster CA from the kubeconfig, bodies returned as raw buffers so the client spends as little CPU
// as it can (on 2 cores every cycle the client burns is one the server does not get).
import { Agent, request } from 'node:https';

/** Where the API server is and how to trust and authenticate to it. */
export interface Target {
  host: string;
  port: number;
  caPem: string;
  token: string;
}

/** A finished response. */
export interface Reply {
  status: number;
  body: Buffer;
}

/** Options of one request. */
export interface RequestOptions {
  body?: string;
  accept?: string;
}

/** Issues requests over one keep-alive connection pool. */
export class ApiClient {
  readonly agent: Agent;

  constructor(
    readonly target: Target,
    maxSockets: number,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, ca: target.caPem });
  }

  /** Sends a request and resolves with the whole response. */
  request(method: string, path: string, opts: RequestOptions = {}): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = {
        Authorization: `Bearer ${this.target.token}`,
        Accept: opts.accept ?? 'application/json',
      };
      if (opts.body !== undefined) {
        headers['Content-Type'] = 'application/json';
        headers['Content-Length'] = String(Buffer.byteLength(opts.body));
      }
      const req = request({ agent: this.agent, host: this.target.host, port: this.target.port, method, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(opts.body);
    });
  }

  /** Sends a request and fails unless the status is 2xx; resolves with the parsed JSON body. */
  async json<T = unknown>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const r = await this.request(method, path, opts);
    if (r.status < 200 || r.status > 299) throw new Error(`${method} ${path}: HTTP ${r.status}: ${r.body.toString('utf8').slice(0, 300)}`);
    return JSON.parse(r.body.toString('utf8')) as T;
  }

  /**
   * Opens a watch stream and calls onLine for every complete newline-delimited event.
   * `ready` resolves once the server answered 200 (it subscribes before it sends the headers).
   */
  watch(path: string, onLine: (line: string) => void): { ready: Promise<void>; close(): void } {
    let close = () => {};
    const ready = new Promise<void>((resolve, reject) => {
      const req = request(
        {
          agent: this.agent,
          host: this.target.host,
          port: this.target.port,
          method: 'GET',
          path,
          headers: { Authorization: `Bearer ${this.target.token}`, Accept: 'application/json' },
        },
        (res) => {
          if (res.statusCode !== 200) {
            reject(new Error(`watch ${path}: HTTP ${res.statusCode}`));
            res.resume();
            return;
          }
          let pending = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            pending += chunk;
            let nl: number;
            while ((nl = pending.indexOf('\n')) >= 0) {
              const line = pending.slice(0, nl);
              pending = pending.slice(nl + 1);
              if (line) onLine(line);
            }
          });
          res.on('error', () => {});
          resolve();
        },
      );
      req.on('error', (e) => reject(e));
      req.end();
      close = () => req.destroy();
    });
    return { ready, close: () => close() };
  }

  /** Closes every pooled connection. */
  close(): void {
    this.agent.destroy();
  }
}

/** Runs total calls of fn with at most concurrency in flight (a closed loop); resolves when all finished. */
export async function closedLoop(total: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      await fn(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
}
