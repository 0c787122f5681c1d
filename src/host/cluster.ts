// One emulated cluster on disk: its SQLite store, CA and serving certificate, admin token, and the
// API server over them. Everything lives under <data-dir>/clusters/<name>/ so a restart brings
// the cluster back as it was.
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { APIServer } from '../apiserver/apiserver.js';
import { serviceAccountUser, TokenAuthenticator, UnionAuthenticator, X509Authenticator } from '../apiserver/auth/authn.js';
import { SharedInformerFactory } from '../client/informer.js';
import { RestClient } from '../client/rest.js';
import { InProcessTransport } from '../client/transport.js';
import { startControllerManager, type ControllerManager } from '../controllers/manager.js';
import { KubeletPool } from '../kubelet/pool.js';
import type { SimNodeSpec } from '../kubelet/types.js';
import { Scheduler } from '../scheduler/scheduler.js';
import type { Authenticator, UserInfo } from '../apiserver/auth/authn.js';
import type { Authorizer, RBACSource } from '../apiserver/auth/rbac.js';
import type { AdmissionPlugin } from '../apiserver/admission/admission.js';
import { clockEndpoint, nodesEndpoint } from './control.js';
import { generateClusterCA, issueServingCert, type CertKeyPair } from '../apiserver/auth/certs.js';
import { realClock, rfc3339Micro, type Clock } from '../sim/clock.js';
import type { Logger } from '../client/informer.js';
import { startCompactor } from '../storage/compactor.js';
import { SqliteStore } from '../storage/sqlite.js';
import type { Store } from '../storage/store.js';

/** The user the generated kubeconfig authenticates as (kubeadm's admin.conf identity). */
export const ADMIN_USER = { username: 'kubernetes-admin', groups: ['system:masters'] };

/** The host name a cluster's serving certificate carries and clients send as SNI. */
export function clusterServerName(name: string): string {
  return `${name}.cluster.skiff`;
}

/** The version components report in their user agents (managedFields managers come from them). */
const COMPONENT_VERSION = 'v1.32.9-eks-6d0f5f2';

/** What runs inside a cluster besides its API server. */
export interface ClusterOptions {
  /** Simulated nodes to run kubelets for (their Node objects are registered on start). */
  nodes?: SimNodeSpec[];
  region?: string;
  /** The Kubernetes minor version the API server reports ("1.32"). */
  kubernetesVersion?: string;
  serviceCIDR?: string;
  /** Tried after the admin token and client certificates (EKS: IAM tokens). */
  authenticators?: Authenticator[];
  /** Asked after RBAC (EKS: access policies). */
  authorizers?: (rbac: RBACSource) => Authorizer[];
  /** Run after the built-in admission plugins (EKS: the Fargate pod mutation). */
  admission?: AdmissionPlugin[];
  /** Every commit of the cluster's state waits for the disk (survives power loss, not only kill -9). */
  fsync?: boolean;
}

/**
 * A running cluster: state on disk, TLS material, its API server, and the components that bring it
 * alive (kube-controller-manager's controllers, kube-scheduler, one simulated kubelet per node), each
 * a client of the API server under its own identity.
 */
export class Cluster {
  private compactor?: { stop(): void };
  private readonly components = new AbortController();
  controllerManager?: ControllerManager;
  scheduler?: Scheduler;
  kubelets?: KubeletPool;
  private logFile?: WriteStream;

  private constructor(
    readonly name: string,
    readonly dir: string,
    readonly store: Store,
    readonly ca: CertKeyPair,
    readonly serving: CertKeyPair,
    readonly adminToken: string,
    readonly apiserver: APIServer,
  ) {}

  /** Opens (creating on first use) the cluster under dataDir/clusters/name and starts its API server. */
  static async open(dataDir: string, name: string, clock: Clock, opts: ClusterOptions = {}): Promise<Cluster> {
    const dir = join(dataDir, 'clusters', name);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // The CA's validity starts at the machine's time, not the cluster's: TLS clients check it against
    // their own clock, which a fast-forwarded virtual clock runs ahead of (its leaves start with it).
    const ca = await loadOrCreate(dir, 'ca', () => generateClusterCA(`${name}-ca`, realClock));
    const serving = await loadOrCreate(dir, 'apiserver', () =>
      issueServingCert(ca, { commonName: 'kube-apiserver', dnsNames: [clusterServerName(name)] }, clock),
    );
    const tokenFile = join(dir, 'admin.token');
    if (!existsSync(tokenFile)) writeFileSync(tokenFile, randomBytes(32).toString('base64url') + '\n', { mode: 0o600 });
    const adminToken = readFileSync(tokenFile, 'utf8').trim();
    const store = SqliteStore.open(join(dir, 'state.db'), { fsync: opts.fsync });
    const authenticator = new UnionAuthenticator([
      new X509Authenticator(),
      new TokenAuthenticator([{ token: adminToken, user: ADMIN_USER }]),
      ...(opts.authenticators ?? []),
    ]);
    const apiserver = new APIServer({
      clusterName: name,
      store,
      clock,
      authenticator,
      kubernetesVersion: opts.kubernetesVersion,
      serviceCIDR: opts.serviceCIDR,
      extraAuthorizers: opts.authorizers,
      extraAdmission: opts.admission,
    });
    await apiserver.start();
    const cluster = new Cluster(name, dir, store, ca, serving, adminToken, apiserver);
    cluster.compactor = startCompactor(store, clock);
    cluster.startComponents(clock, opts);
    return cluster;
  }

  /** A client of this cluster's API server acting as user, identified to it by userAgent. */
  clientAs(user: UserInfo, userAgent: string): RestClient {
    return new RestClient(new InProcessTransport(this.apiserver, user), { userAgent });
  }

  /**
   * Where the components log (clusters/<name>/components.log), as kube-controller-manager, the
   * scheduler and kubelets log to their own files: requeues and zone state changes are theirs to
   * tell, not noise on the console of `skiff up`.
   */
  private componentLogger(clock: Clock): Logger {
    this.logFile = createWriteStream(join(this.dir, 'components.log'), { flags: 'a', mode: 0o600 });
    const file = this.logFile;
    return (message, err) => {
      // Work in flight when the cluster closes may still log; the file has ended by then.
      if (file.writableEnded) return;
      const detail = err === undefined ? '' : `: ${err instanceof Error ? err.message : String(err)}`;
      file.write(`${rfc3339Micro(clock.now())} ${message}${detail}\n`);
    };
  }

  private startComponents(clock: Clock, opts: ClusterOptions): void {
    const signal = this.components.signal;
    const log = this.componentLogger(clock);
    setMaxListeners(0, signal); // every informer, queue and kubelet listens for the stop
    const agent = (component: string, suffix = '') => `${component}/${COMPONENT_VERSION} (linux/amd64) kubernetes${suffix}`;
    // kube-controller-manager: shared informers under its own identity, each controller writing as
    // its own service account (--use-service-account-credentials, as EKS runs it).
    const kcm = this.clientAs({ username: 'system:kube-controller-manager', groups: [] }, agent('kube-controller-manager'));
    this.controllerManager = startControllerManager(
      {
        clock,
        informers: new SharedInformerFactory({ client: kcm, clock, log }),
        clientFor: (sa) => this.clientAs(serviceAccountUser('kube-system', sa), agent('kube-controller-manager', `/${sa}`)),
        log,
      },
      { caPem: this.ca.certPem, region: opts.region, zones: [...new Set((opts.nodes ?? []).flatMap((n) => (n.zone ? [n.zone] : [])))] },
      signal,
    );
    const sched = this.clientAs({ username: 'system:kube-scheduler', groups: [] }, agent('kube-scheduler'));
    this.scheduler = new Scheduler({ client: sched, informers: new SharedInformerFactory({ client: sched, clock, log }), clock, log });
    this.scheduler.start(signal);
    // Every simulated kubelet shares one identity in system:nodes (skiff has no Node authorizer).
    const kubelet = this.clientAs({ username: 'system:node:skiff-kubelets', groups: ['system:nodes'] }, agent('kubelet'));
    this.kubelets = new KubeletPool({ client: kubelet, informers: new SharedInformerFactory({ client: kubelet, clock, log }), clock, log });
    for (const node of opts.nodes ?? []) this.kubelets.addNode(node);
    this.apiserver.setKubeletConnection(this.kubelets);
    this.kubelets.start(signal);
    this.apiserver.registerExtension('/skiff/v1/clock', clockEndpoint(clock));
    this.apiserver.registerExtension('/skiff/v1/nodes', nodesEndpoint(this.kubelets));
  }

  /** Stops the API server and closes the store (every acknowledged write is already durable). */
  async close(): Promise<void> {
    this.components.abort();
    this.logFile?.end();
    this.compactor?.stop();
    this.apiserver.stop();
    await this.store.close();
  }
}

async function loadOrCreate(dir: string, base: string, create: () => Promise<CertKeyPair>): Promise<CertKeyPair> {
  const crt = join(dir, `${base}.crt`);
  const key = join(dir, `${base}.key`);
  if (existsSync(crt) && existsSync(key)) return { certPem: readFileSync(crt, 'utf8'), keyPem: readFileSync(key, 'utf8') };
  const pair = await create();
  writeFileSync(key, pair.keyPem, { mode: 0o600 });
  writeFileSync(crt, pair.certPem);
  return pair;
}
