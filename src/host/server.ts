// The skiff process: every cluster's Kubernetes API on one HTTPS port. The default cluster answers
// at the root; others under /clusters/<name>/, selected for TLS by SNI (<name>.cluster.skiff, which
// the kubeconfig names as tls-server-name), so each cluster is verified against its own CA.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createSecureContext, type SecureContext, type TLSSocket } from 'node:tls';
import type { Socket } from 'node:net';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLimited, writeError, type ApiRequest } from '../apiserver/http.js';
import { decodePathSegment } from '../apiserver/request-info.js';
import { verifiedPeerCertificate } from '../apiserver/auth/authn.js';
import { pathNotFound } from '../apimachinery/errors.js';
import type { Clock } from '../sim/clock.js';
import { Cluster, clusterServerName } from './cluster.js';
import { renderKubeconfig } from './kubeconfig.js';
import { defaultNodeSpecs } from './default-nodes.js';

/** The name of the cluster `skiff up` creates by default. */
export const DEFAULT_CLUSTER = 'skiff';

export interface SkiffServerOptions {
  dataDir: string;
  port: number;
  host?: string;
  clock: Clock;
  /** false: no simulated nodes in the default cluster. */
  defaultNodes?: boolean;
}

/** What `skiff status` and `skiff down` read: the running process and where it listens. */
export interface ProcessState {
  pid: number;
  port: number;
  host: string;
  dataDir: string;
  clusters: string[];
}

export const STATE_FILE = 'skiff.json';

/** Serves every cluster under one data directory. */
export class SkiffServer {
  readonly clusters = new Map<string, Cluster>();
  private server?: Server;
  private readonly contexts = new Map<string, SecureContext>();
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly opts: SkiffServerOptions) {}

  get host(): string {
    return this.opts.host ?? '127.0.0.1';
  }

  /** Opens every cluster found in the data dir (and the default one), then listens. */
  async start(): Promise<void> {
    mkdirSync(this.opts.dataDir, { recursive: true, mode: 0o700 });
    const names = new Set([DEFAULT_CLUSTER, ...existingClusters(this.opts.dataDir)]);
    for (const name of names) await this.addCluster(name);
    const def = this.clusters.get(DEFAULT_CLUSTER)!;
    this.server = createServer(
      {
        cert: def.serving.certPem,
        key: def.serving.keyPem,
        ca: def.ca.certPem,
        requestCert: true,
        rejectUnauthorized: false,
        // kube-apiserver accepts request headers up to 1 MiB (MaxHeaderBytes); Node's default is 16 KiB.
        maxHeaderSize: 1 << 20,
        SNICallback: (servername, cb) => cb(null, this.contexts.get(servername) ?? this.contexts.get(clusterServerName(DEFAULT_CLUSTER))),
      },
      (req, res) => void this.onRequest(req, res),
    );
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.once('close', () => this.sockets.delete(s));
    });
    this.server.keepAliveTimeout = 65_000;
    this.server.headersTimeout = 66_000;
    this.server.requestTimeout = 0; // watches stream for as long as they last
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.opts.port, this.host, () => resolve());
    });
    const addr = this.server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : this.opts.port;
    for (const c of this.clusters.values()) c.apiserver.serverAddress = `${this.host}:${this.port}`;
    this.writeKubeconfig();
    this.writeState();
  }

  /** Opens (or creates) a cluster and serves it. */
  async addCluster(name: string): Promise<Cluster> {
    const existing = this.clusters.get(name);
    if (existing) return existing;
    // Until EKS node groups exist, the default cluster gets six m5.large nodes over three zones.
    const nodes = name === DEFAULT_CLUSTER && this.opts.defaultNodes !== false ? defaultNodeSpecs({ clusterName: name }) : [];
    const cluster = await Cluster.open(this.opts.dataDir, name, this.opts.clock, { nodes, region: 'us-east-1' });
    this.clusters.set(name, cluster);
    this.contexts.set(
      clusterServerName(name),
      createSecureContext({ cert: cluster.serving.certPem, key: cluster.serving.keyPem, ca: cluster.ca.certPem }),
    );
    if (this.server) {
      this.writeKubeconfig();
      this.writeState();
    }
    return cluster;
  }

  /** The URL clients use for a cluster. */
  endpoint(name: string): string {
    const base = `https://${this.host}:${this.port}`;
    return name === DEFAULT_CLUSTER ? base : `${base}/clusters/${name}`;
  }

  get kubeconfigPath(): string {
    return join(this.opts.dataDir, 'kubeconfig');
  }

  private writeKubeconfig(): void {
    const text = renderKubeconfig(
      [...this.clusters.values()].map((c) => ({
        name: c.name,
        server: this.endpoint(c.name),
        caPem: c.ca.certPem,
        token: c.adminToken,
        tlsServerName: c.name === DEFAULT_CLUSTER ? undefined : clusterServerName(c.name),
      })),
      DEFAULT_CLUSTER,
    );
    atomicWrite(this.kubeconfigPath, text, 0o600);
  }

  private writeState(): void {
    const state: ProcessState = { pid: process.pid, port: this.port, host: this.host, dataDir: this.opts.dataDir, clusters: [...this.clusters.keys()] };
    atomicWrite(join(this.opts.dataDir, STATE_FILE), JSON.stringify(state, null, 2) + '\n', 0o600);
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://skiff');
    let path = url.pathname;
    let cluster = this.clusters.get(DEFAULT_CLUSTER)!;
    const m = /^\/clusters\/([^/]+)(\/.*)?$/.exec(path);
    if (m) {
      let named: Cluster | undefined;
      try {
        named = this.clusters.get(decodePathSegment(m[1]));
      } catch (e) {
        return writeError(res, e);
      }
      if (!named) return writeError(res, pathNotFound());
      cluster = named;
      path = m[2] ?? '/';
    }
    const socket = req.socket as TLSSocket;
    // A client certificate only counts if it chains to this cluster's own CA.
    const peer = socket.servername === clusterServerName(cluster.name) || (!socket.servername && cluster.name === DEFAULT_CLUSTER) ? verifiedPeerCertificate(socket) : undefined;
    const apiReq: ApiRequest = {
      method: req.method ?? 'GET',
      path,
      query: url.searchParams,
      headers: req.headers,
      body: () => readLimited(req),
    };
    await cluster.apiserver.handle(apiReq, res, peer);
  }

  /** Stops listening, ends open watches, and closes every cluster's store. */
  async stop(): Promise<void> {
    const closing = this.server ? new Promise<void>((r) => this.server!.close(() => r())) : Promise.resolve();
    for (const c of this.clusters.values()) c.apiserver.stop();
    for (const s of this.sockets) s.destroy();
    await closing;
    for (const c of this.clusters.values()) await c.close();
    rmSync(join(this.opts.dataDir, STATE_FILE), { force: true });
  }
}

function existingClusters(dataDir: string): string[] {
  const dir = join(dataDir, 'clusters');
  if (!existsSync(dir)) return [];
  // Only directories holding a store are clusters.
  return readdirSync(dir).filter((n) => existsSync(join(dir, n, 'state.db')));
}

/** Writes a file so readers never see half of it. */
export function atomicWrite(path: string, text: string, mode: number): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text, { mode });
  renameSync(tmp, path);
}

/** Reads the state file of a data dir, if any. */
export function readProcessState(dataDir: string): ProcessState | undefined {
  try {
    return JSON.parse(readFileSync(join(dataDir, STATE_FILE), 'utf8')) as ProcessState;
  } catch {
    return undefined;
  }
}
