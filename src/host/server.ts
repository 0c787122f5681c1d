// The skiff process: every cluster's Kubernetes API on one HTTPS port. The default cluster answers
// at the root; others under /clusters/<name>/, selected for TLS by SNI (<name>.cluster.skiff, which
// the kubeconfig names as tls-server-name), so each cluster is verified against its own CA.
import { createServer, type Server, type ServerOptions } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createSecureContext, type SecureContext, type TLSSocket } from 'node:tls';
import type { Socket } from 'node:net';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLimited, writeError, type ApiRequest } from '../apiserver/http.js';
import { decodePathSegment } from '../apiserver/request-info.js';
import { verifiedPeerCertificate } from '../apiserver/auth/authn.js';
import { pathNotFound, serviceUnavailable } from '../apimachinery/errors.js';
import type { Clock } from '../sim/clock.js';
import { Cluster, clusterServerName } from './cluster.js';
import { renderKubeconfig } from './kubeconfig.js';
import { defaultNodeSpecs } from './default-nodes.js';
import { ADMIN_USER } from './cluster.js';
import { AwsIamAuthenticator } from '../apiserver/auth/aws-iam.js';
import { AccessPolicyAuthorizer } from '../apiserver/auth/access-policies.js';
import { EksService, type Durations } from '../eks/service.js';
import { EksHttpServer } from '../eks/http.js';
import { EksStore } from '../eks/store.js';
import { IdentityTable } from '../eks/identity.js';
import type { ClusterHandle, ClusterRuntime, ClusterSpec } from '../eks/runtime.js';
import type { SimNodeSpec } from '../kubelet/types.js';
import { createClusterFromFile, createClusterFromPlan, planFromFile } from '../eksctl/create.js';
import { ClusterConfigError } from '../eksctl/cluster-config.js';
import { invalidParameter } from '../eks/errors.js';

/** The name of the cluster `skiff up` creates by default. */
export const DEFAULT_CLUSTER = 'skiff';
/** Where the EKS API listens unless --eks-port says otherwise. */
export const DEFAULT_EKS_PORT = 6444;
/** Marks an EKS cluster's directory and keeps its port. */
const ENDPOINT_FILE = 'endpoint.json';

export interface SkiffServerOptions {
  dataDir: string;
  port: number;
  host?: string;
  clock: Clock;
  /** false: no simulated nodes in the default cluster. */
  defaultNodes?: boolean;
  /** Where the EKS API listens (plain HTTP, as --endpoint-url names it); 0 picks a free port. */
  eksPort?: number;
  /** How long EKS status transitions take (ms of the clock); all zero by default. */
  eksDurations?: Partial<Durations>;
  /** Clusters' commits wait for the disk (`skiff up --fsync`). */
  fsync?: boolean;
  /**
   * The default cluster is opened by startDeferred(), not start(): `skiff up -f` brings the
   * config's cluster up first (everything runs on one event loop, so the default cluster's start-up
   * would delay it), then the default one.
   */
  deferDefaultCluster?: boolean;
}

/** The identity `skiff up -f` creates clusters as when AWS_ACCESS_KEY_ID names none. */
export const LOCAL_ACCESS_KEY = 'AKIASKIFFLOCALADMIN0';

/** What `skiff status` and `skiff down` read: the running process and where it listens. */
export interface ProcessState {
  pid: number;
  port: number;
  host: string;
  dataDir: string;
  clusters: string[];
  eksPort?: number;
}

export const STATE_FILE = 'skiff.json';

/** Serves every cluster under one data directory. */
export class SkiffServer implements ClusterRuntime {
  readonly clusters = new Map<string, Cluster>();
  /** EKS clusters' own HTTPS listeners, by cluster name. */
  private readonly listeners = new Map<string, { server: Server; port: number }>();
  private eks?: { service: EksService; http: EksHttpServer; store: EksStore };
  private server?: Server;
  private readonly contexts = new Map<string, SecureContext>();
  private readonly sockets = new Set<Socket>();
  port = 0;
  /** The cluster the kubeconfig's current context names. */
  private current = DEFAULT_CLUSTER;

  constructor(private readonly opts: SkiffServerOptions) {}

  /**
   * Creates the cluster an eksctl ClusterConfig describes, through the EKS control plane, as the
   * caller AWS_ACCESS_KEY_ID names; its context becomes the kubeconfig's current one. A cluster
   * that exists already (skiff restarted on the same data dir) is left as it is.
   */
  async createFromConfig(text: string, file: string, say: (line: string) => void, accessKeyId = process.env.AWS_ACCESS_KEY_ID || LOCAL_ACCESS_KEY): Promise<string> {
    const svc = this.eks!.service;
    const caller = svc.identities.resolve(accessKeyId, 'us-east-1');
    const plan = planFromFile(text, file, caller);
    const name = plan.createCluster.name as string;
    if (svc.hasCluster(plan.region, name)) say(`cluster "${name}" exists already in "${plan.region}"; using it as it is`);
    else await createClusterFromPlan(svc, { ...caller, region: plan.region }, plan, { clock: this.opts.clock, say });
    this.current = name;
    this.writeKubeconfig();
    return name;
  }

  get host(): string {
    return this.opts.host ?? '127.0.0.1';
  }

  /** Opens every cluster found in the data dir (and the default one), then listens. */
  async start(): Promise<void> {
    mkdirSync(this.opts.dataDir, { recursive: true, mode: 0o700 });
    // EKS clusters are brought back by the EKS control plane, with their node groups.
    const names = new Set([DEFAULT_CLUSTER, ...existingClusters(this.opts.dataDir).filter((n) => !existsSync(join(this.opts.dataDir, 'clusters', n, ENDPOINT_FILE)))]);
    if (this.opts.deferDefaultCluster) names.delete(DEFAULT_CLUSTER);
    for (const name of names) await this.addCluster(name);
    // The port is taken now, whether or not the default cluster is open yet: a port in use fails
    // `skiff up` before any cluster is created. Until it is open, a handshake that names no other
    // cluster has no certificate to get, and fails.
    const def = this.clusters.get(DEFAULT_CLUSTER);
    this.server = this.apiListener(
      {
        ...(def ? { cert: def.serving.certPem, key: def.serving.keyPem, ca: def.ca.certPem } : {}),
        SNICallback: (servername, cb) => cb(null, this.contexts.get(servername) ?? this.contexts.get(clusterServerName(DEFAULT_CLUSTER))),
      },
      (req, res) => void this.onRequest(req, res),
    );
    this.port = await this.listenOn(this.server, this.opts.port);
    for (const c of this.clusters.values()) c.apiserver.serverAddress = `${this.host}:${this.port}`;
    await this.startEks();
    this.writeKubeconfig();
    this.writeState();
  }

  /** Opens the default cluster when start() left it for later (deferDefaultCluster). */
  async startDeferred(): Promise<void> {
    if (this.clusters.has(DEFAULT_CLUSTER)) return;
    const def = await this.addCluster(DEFAULT_CLUSTER);
    // Handshakes without a server name get the default cluster's certificate from now on.
    this.server?.setSecureContext({ cert: def.serving.certPem, key: def.serving.keyPem, ca: def.ca.certPem });
  }

  /** The EKS API port, once listening. */
  get eksPort(): number | undefined {
    return this.eks?.http.port;
  }

  get eksService(): EksService | undefined {
    return this.eks?.service;
  }

  private async startEks(): Promise<void> {
    const store = new EksStore(join(this.opts.dataDir, 'eks.db'));
    const service = new EksService({
      store,
      runtime: this,
      clock: this.opts.clock,
      identities: IdentityTable.load(join(this.opts.dataDir, 'identities.json')),
      durations: this.opts.eksDurations,
      log: (m, e) => console.error(e === undefined ? m : `${m}: ${e instanceof Error ? e.message : String(e)}`),
    });
    const http = new EksHttpServer(service, [
      // skiff's own: `skiff create cluster -f` sends the ClusterConfig here, as eksctl would drive EKS.
      ['POST', '/skiff/v1/eksctl/clusters', async ({ caller, body }) => {
        const lines: string[] = [];
        try {
          const out = await createClusterFromFile(service, caller, String(body.config ?? ''), String(body.file ?? 'cluster.yaml'), { clock: this.opts.clock, say: (l) => lines.push(l) });
          return { ...out, lines };
        } catch (e) {
          if (e instanceof ClusterConfigError) throw invalidParameter(e.message);
          throw e;
        }
      }],
    ]);
    this.eks = { service, http, store };
    await service.start();
    await http.listen(this.opts.eksPort ?? 0, this.host);
  }

  // ---- ClusterRuntime: what the EKS control plane asks of this machine -----------------------

  hasCluster(name: string): boolean {
    return this.clusters.has(name);
  }

  async ensureCluster(spec: ClusterSpec): Promise<ClusterHandle> {
    let cluster = this.clusters.get(spec.name);
    if (!cluster) {
      cluster = await Cluster.open(this.opts.dataDir, spec.name, this.opts.clock, {
        nodes: [],
        region: spec.region,
        kubernetesVersion: spec.version,
        serviceCIDR: spec.serviceCIDR,
        authenticators: [new AwsIamAuthenticator(this.opts.clock, (t) => spec.access.resolve(t))],
        authorizers: (rbac) => [new AccessPolicyAuthorizer(rbac, (arn) => spec.access.associations(arn))],
        admission: spec.admission,
        fsync: this.opts.fsync,
      });
      this.clusters.set(spec.name, cluster);
      await this.listenFor(cluster);
      if (this.server) {
        this.writeKubeconfig();
        this.writeState();
      }
    }
    return { endpoint: this.endpoint(spec.name), caPem: cluster.ca.certPem, client: cluster.clientAs(ADMIN_USER, 'eks.amazonaws.com') };
  }

  async deleteCluster(name: string): Promise<void> {
    const cluster = this.clusters.get(name);
    const l = this.listeners.get(name);
    if (l) {
      l.server.closeAllConnections();
      await new Promise<void>((r) => l.server.close(() => r()));
      this.listeners.delete(name);
    }
    if (cluster) {
      cluster.apiserver.stop();
      await cluster.close();
      this.clusters.delete(name);
    }
    rmSync(join(this.opts.dataDir, 'clusters', name), { recursive: true, force: true });
    if (this.server) {
      this.writeKubeconfig();
      this.writeState();
    }
  }

  setVersion(name: string, version: string): void {
    this.clusters.get(name)?.apiserver.setKubernetesVersion(version);
  }

  launchNode(cluster: string, spec: SimNodeSpec): void {
    this.clusters.get(cluster)?.kubelets?.addNode(spec);
  }

  async terminateNode(cluster: string, nodeName: string): Promise<void> {
    await this.clusters.get(cluster)?.kubelets?.removeNode(nodeName, { deleteNode: true });
  }

  // An EKS cluster's API server gets a port of its own, so `aws eks update-kubeconfig` can name it
  // by address alone (no SNI) and verify it against the cluster's own CA. The port is kept across
  // restarts when it is still free.
  private async listenFor(cluster: Cluster): Promise<void> {
    const file = join(cluster.dir, ENDPOINT_FILE);
    let want = 0;
    try {
      want = (JSON.parse(readFileSync(file, 'utf8')) as { port: number }).port;
    } catch {
      want = 0;
    }
    const server = this.apiListener({ cert: cluster.serving.certPem, key: cluster.serving.keyPem, ca: cluster.ca.certPem }, (req, res) => void this.serveCluster(cluster, req, res, req.url ?? '/'));
    let port: number;
    try {
      port = await this.listenOn(server, want);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || want === 0) throw e;
      port = await this.listenOn(server, 0);
    }
    this.listeners.set(cluster.name, { server, port });
    cluster.apiserver.serverAddress = `${this.host}:${port}`;
    atomicWrite(file, JSON.stringify({ port }) + '\n', 0o600);
  }

  /** An HTTPS server for Kubernetes API clients: client certificates asked for, sockets tracked for stop(). */
  private apiListener(tls: Pick<ServerOptions, 'cert' | 'key' | 'ca' | 'SNICallback'>, handler: (req: IncomingMessage, res: ServerResponse) => void): Server {
    const server = createServer(
      // kube-apiserver accepts request headers up to 1 MiB (MaxHeaderBytes); Node's default is 16 KiB.
      { ...tls, requestCert: true, rejectUnauthorized: false, maxHeaderSize: 1 << 20 },
      handler,
    );
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.once('close', () => this.sockets.delete(s));
    });
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    server.requestTimeout = 0; // watches stream for as long as they last
    return server;
  }

  /** Listens on port (0: a free one) at this.host; resolves with the port bound. */
  private async listenOn(server: Server, port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.host, () => resolve());
    });
    const addr = server.address();
    return typeof addr === 'object' && addr ? addr.port : port;
  }

  /** Opens (or creates) a cluster and serves it. */
  async addCluster(name: string): Promise<Cluster> {
    const existing = this.clusters.get(name);
    if (existing) return existing;
    // Until EKS node groups exist, the default cluster gets six m5.large nodes over three zones.
    const nodes = name === DEFAULT_CLUSTER && this.opts.defaultNodes !== false ? defaultNodeSpecs({ clusterName: name }) : [];
    const cluster = await Cluster.open(this.opts.dataDir, name, this.opts.clock, { nodes, region: 'us-east-1', fsync: this.opts.fsync });
    // Served on the main port: its address is known once that listens (start() sets it for the
    // clusters opened before).
    if (this.server) cluster.apiserver.serverAddress = `${this.host}:${this.port}`;
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
    const own = this.listeners.get(name);
    if (own) return `https://${this.host}:${own.port}`;
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
        tlsServerName: c.name === DEFAULT_CLUSTER || this.listeners.has(c.name) ? undefined : clusterServerName(c.name),
      })),
      this.clusters.has(this.current) ? this.current : DEFAULT_CLUSTER,
    );
    atomicWrite(this.kubeconfigPath, text, 0o600);
  }

  private writeState(): void {
    const state: ProcessState = { pid: process.pid, port: this.port, host: this.host, dataDir: this.opts.dataDir, clusters: [...this.clusters.keys()], eksPort: this.eks?.http.port };
    atomicWrite(join(this.opts.dataDir, STATE_FILE), JSON.stringify(state, null, 2) + '\n', 0o600);
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://skiff');
    let path = url.pathname;
    let cluster = this.clusters.get(DEFAULT_CLUSTER);
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
    // The default cluster is not open yet (deferDefaultCluster): what kube-apiserver says while its
    // storage is not ready.
    if (!cluster) return writeError(res, serviceUnavailable('the default cluster is starting'));
    const socket = req.socket as TLSSocket;
    // A client certificate only counts if it chains to this cluster's own CA.
    const peer = socket.servername === clusterServerName(cluster.name) || (!socket.servername && cluster.name === DEFAULT_CLUSTER) ? verifiedPeerCertificate(socket) : undefined;
    await this.dispatch(cluster, req, res, url, path, peer);
  }

  // A request on an EKS cluster's own port: every path is that cluster's.
  private async serveCluster(cluster: Cluster, req: IncomingMessage, res: ServerResponse, rawUrl: string): Promise<void> {
    const url = new URL(rawUrl, 'https://skiff');
    await this.dispatch(cluster, req, res, url, url.pathname, verifiedPeerCertificate(req.socket as TLSSocket));
  }

  private async dispatch(cluster: Cluster, req: IncomingMessage, res: ServerResponse, url: URL, path: string, peer: ReturnType<typeof verifiedPeerCertificate>): Promise<void> {
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
    this.eks?.service.stop();
    await this.eks?.http.close();
    const closing = Promise.all([
      this.server ? new Promise<void>((r) => this.server!.close(() => r())) : Promise.resolve(),
      ...[...this.listeners.values()].map((l) => new Promise<void>((r) => l.server.close(() => r()))),
    ]);
    for (const c of this.clusters.values()) c.apiserver.stop();
    for (const s of this.sockets) s.destroy();
    await closing;
    for (const c of this.clusters.values()) await c.close();
    this.eks?.store.close();
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
