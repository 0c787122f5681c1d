// Renders the kubeconfig `skiff up` writes: one cluster, user and context per emulated cluster,
// with the cluster CA embedded and an admin token, as kubeadm's admin.conf.
import YAML from 'yaml';

/** What one kubeconfig entry needs. */
export interface KubeconfigEntry {
  name: string;
  server: string;
  caPem: string;
  token: string;
  /** Sent as SNI and checked against the serving certificate (clusters behind /clusters/<name>). */
  tlsServerName?: string;
}

/** The context name for a cluster. */
export function contextName(cluster: string): string {
  return cluster === 'skiff' ? 'skiff' : `skiff-${cluster}`;
}

/** A kubeconfig (YAML) whose current context is currentCluster's. */
export function renderKubeconfig(entries: KubeconfigEntry[], currentCluster: string): string {
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    'current-context': contextName(currentCluster),
    clusters: entries.map((e) => ({
      name: contextName(e.name),
      cluster: {
        server: e.server,
        'certificate-authority-data': Buffer.from(e.caPem).toString('base64'),
        ...(e.tlsServerName ? { 'tls-server-name': e.tlsServerName } : {}),
      },
    })),
    users: entries.map((e) => ({ name: `${contextName(e.name)}-admin`, user: { token: e.token } })),
    contexts: entries.map((e) => ({ name: contextName(e.name), context: { cluster: contextName(e.name), user: `${contextName(e.name)}-admin` } })),
  };
  return YAML.stringify(doc);
}
