// One emulated cluster on disk: its SQLite store, CA and serving certificate, admin token, and the
// API server over them. Everything lives under <data-dir>/clusters/<name>/ so a restart brings
// the cluster back as it was.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { APIServer } from '../apiserver/apiserver.js';
import { serviceAccountUser, TokenAuthenticator, UnionAuthenticator, X509Authenticator } from '../apiserver/auth/authn.js';
import { RestClient } from '../client/rest.js';
import { InProcessTransport } from '../client/transport.js';
import { GarbageCollector } from '../controllers/garbagecollector/garbagecollector.js';
import { generateClusterCA, issueServingCert, type CertKeyPair } from '../apiserver/auth/certs.js';
import type { Clock } from '../sim/clock.js';
import { startCompactor } from '../storage/compactor.js';
import { SqliteStore } from '../storage/sqlite.js';
import type { Store } from '../storage/store.js';

/** The user the generated kubeconfig authenticates as (kubeadm's admin.conf identity). */
export const ADMIN_USER = { username: 'kubernetes-admin', groups: ['system:masters'] };

/** The host name a cluster's serving certificate carries and clients send as SNI. */
export function clusterServerName(name: string): string {
  return `${name}.cluster.skiff`;
}

/** A running cluster: state on disk, TLS material, and its API server. */
export class Cluster {
  private compactor?: { stop(): void };
  private readonly controllers = new AbortController();

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
  static async open(dataDir: string, name: string, clock: Clock): Promise<Cluster> {
    const dir = join(dataDir, 'clusters', name);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const ca = await loadOrCreate(dir, 'ca', () => generateClusterCA(`${name}-ca`, clock));
    const serving = await loadOrCreate(dir, 'apiserver', () =>
      issueServingCert(ca, { commonName: 'kube-apiserver', dnsNames: [clusterServerName(name)] }, clock),
    );
    const tokenFile = join(dir, 'admin.token');
    if (!existsSync(tokenFile)) writeFileSync(tokenFile, randomBytes(32).toString('base64url') + '\n', { mode: 0o600 });
    const adminToken = readFileSync(tokenFile, 'utf8').trim();
    const store = SqliteStore.open(join(dir, 'state.db'));
    const authenticator = new UnionAuthenticator([
      new X509Authenticator(),
      new TokenAuthenticator([{ token: adminToken, user: ADMIN_USER }]),
    ]);
    const apiserver = new APIServer({ clusterName: name, store, clock, authenticator });
    await apiserver.start();
    const cluster = new Cluster(name, dir, store, ca, serving, adminToken, apiserver);
    cluster.compactor = startCompactor(store, clock);
    cluster.startControllers(clock);
    return cluster;
  }

  /** The controllers that run with every cluster, each through client/ as its own service account. */
  private startControllers(clock: Clock): void {
    const clientAs = (sa: string) => new RestClient(new InProcessTransport(this.apiserver, serviceAccountUser('kube-system', sa)));
    new GarbageCollector({ client: clientAs('generic-garbage-collector'), clock }).start(this.controllers.signal);
  }

  /** Stops the API server and closes the store (every acknowledged write is already durable). */
  async close(): Promise<void> {
    this.controllers.abort();
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
