// `skiff addons list` and `skiff addons install NAME...`: the add-on catalog's CRDs, applied to a
// running cluster through its Kubernetes API (server-side apply, field manager "skiff").
import { join } from 'node:path';
import { ADDONS, installAddon } from '../addons/catalog.js';
import type { KubeObject } from '../api/types.js';
import { RestClient } from '../client/rest.js';
import { HttpsTransport } from '../client/transport.js';
import { realClock } from '../sim/clock.js';

const CRDS = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions', namespaced: false };

/** The catalog as a table, as `kubectl get` prints one. */
export function addonsTable(): string {
  const rows = [['NAME', 'CRDS', 'DESCRIPTION'], ...ADDONS.map((a) => [a.name, String(a.crds.length), a.description])];
  const widths = [0, 1].map((i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => `${r[0].padEnd(widths[0])}   ${r[1].padEnd(widths[1])}   ${r[2]}`).join('\n') + '\n';
}

/** Installs add-ons into the cluster the data dir's kubeconfig points at; resolves once each CRD is Established. */
export async function installAddons(dataDir: string, names: string[], context?: string): Promise<string[]> {
  const transport = HttpsTransport.fromKubeconfig(join(dataDir, 'kubeconfig'), context);
  const client = new RestClient(transport);
  const crds = client.resource(CRDS);
  const lines: string[] = [];
  try {
    for (const name of names) {
      const installed: string[] = [];
      const addon = await installAddon(name, async (obj: KubeObject) => {
        await crds.apply(obj, { fieldManager: 'skiff', force: true });
        installed.push(obj.metadata.name!);
      });
      for (const crd of installed) await waitEstablished(crds, crd);
      lines.push(...installed.map((crd) => `customresourcedefinition.apiextensions.k8s.io/${crd} serverside-applied`));
      lines.push(`add-on ${addon.name} installed`);
    }
  } finally {
    transport.close();
  }
  return lines;
}

async function waitEstablished(crds: ReturnType<RestClient['resource']>, name: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const crd = (await crds.get(name)) as { status?: { conditions?: { type: string; status: string }[] } };
    if (crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) return;
    await realClock.sleep(50);
  }
  throw new Error(`customresourcedefinition ${name} did not become Established within 10s`);
}
