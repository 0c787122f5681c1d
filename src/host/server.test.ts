// SkiffServer's start-up order: with deferDefaultCluster (`skiff up -f`), start() takes the port and
// opens the EKS control plane but not the default cluster, which startDeferred() opens afterwards.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { DEFAULT_CLUSTER, SkiffServer } from './server.js';
import { WarpClock } from '../sim/clock.js';

interface Kubeconfig {
  'current-context': string;
  contexts: { name: string; context: { cluster: string; user: string } }[];
  clusters: { name: string; cluster: { server: string; 'certificate-authority-data': string } }[];
  users: { name: string; user: { token: string } }[];
}

/** GET path on the kubeconfig's cluster of that name, as its CA and token allow: status and body, or the connection's error. */
function get(kc: Kubeconfig, name: string, path: string): Promise<{ status?: number; body?: string; error?: string }> {
  const cluster = kc.clusters.find((c) => c.name === name)!.cluster;
  const user = kc.users.find((u) => u.name === kc.contexts.find((c) => c.context.cluster === name)!.context.user)!.user;
  const url = new URL(cluster.server);
  return new Promise((resolve) => {
    const req = request({ host: url.hostname, port: url.port, path, ca: Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8'), headers: { authorization: `Bearer ${user.token}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', (e) => resolve({ error: e.message }));
    req.end();
  });
}

describe('a server that defers its default cluster', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-server-'));
  const server = new SkiffServer({ dataDir: dir, port: 0, clock: new WarpClock(), defaultNodes: false, eksPort: 0, deferDefaultCluster: true });
  const kubeconfig = () => YAML.parse(readFileSync(server.kubeconfigPath, 'utf8')) as Kubeconfig;
  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('start() takes the API and EKS ports without opening the default cluster', async () => {
    await server.start();
    assert.ok(server.port > 0);
    assert.ok((server.eksPort ?? 0) > 0);
    assert.equal(server.clusters.has(DEFAULT_CLUSTER), false);
    assert.deepEqual(kubeconfig().clusters, []);
  });

  test('startDeferred() opens it: it is in the kubeconfig and answers on the main port with its own certificate', async () => {
    await server.startDeferred();
    assert.ok(server.clusters.has(DEFAULT_CLUSTER));
    const kc = kubeconfig();
    assert.equal(kc['current-context'], DEFAULT_CLUSTER);
    assert.equal(kc.clusters.find((c) => c.name === DEFAULT_CLUSTER)?.cluster.server, `https://127.0.0.1:${server.port}`);
    const version = await get(kc, DEFAULT_CLUSTER, '/version');
    assert.equal(version.error, undefined);
    assert.equal(version.status, 200);
    assert.match(JSON.parse(version.body!).gitVersion, /^v1\.\d+\./);
    const namespaces = await get(kc, DEFAULT_CLUSTER, '/api/v1/namespaces/kube-system');
    assert.equal(namespaces.status, 200, namespaces.body);
  });

  test('a second startDeferred() changes nothing', async () => {
    const before = server.clusters.get(DEFAULT_CLUSTER);
    await server.startDeferred();
    assert.equal(server.clusters.get(DEFAULT_CLUSTER), before);
  });
});
