import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../apiserver/testing.js';
import { RestClient, isNotFound, type ResourceClient } from '../../client/rest.js';
import { InProcessTransport } from '../../client/transport.js';
import { SharedInformerFactory } from '../../client/informer.js';
import { eventually } from '../../client/testing.js';
import type { KubeObject } from '../../api/types.js';
import { EndpointsController } from './endpoints.js';
import { repackSubsets, truncateEndpoints, type Subset } from './subsets.js';
import { rfc3339Nano } from './util.js';
import { ENDPOINTS, PODS, SERVICES } from '../../client/refs.js';

describe('repackSubsets', () => {
  const addr = (ip: string) => ({ ip, targetRef: { kind: 'Pod', name: ip, uid: ip } });
  test('addresses serving the same ports share one subset, sorted by IP', () => {
    const http = { name: 'http', port: 80, protocol: 'TCP' };
    const out = repackSubsets([
      { addresses: [addr('10.0.0.10')], ports: [http] },
      { addresses: [addr('10.0.0.9')], ports: [http] },
      { notReadyAddresses: [addr('10.0.0.2')], ports: [http] },
    ]);
    assert.deepEqual(out, [{ addresses: [addr('10.0.0.9'), addr('10.0.0.10')], notReadyAddresses: [addr('10.0.0.2')], ports: [http] }]);
  });
  test('an address both ready and not ready on a port is not ready', () => {
    const p = { port: 80, protocol: 'TCP' };
    assert.deepEqual(repackSubsets([{ addresses: [addr('10.0.0.1')], ports: [p] }, { notReadyAddresses: [addr('10.0.0.1')], ports: [p] }]), [
      { notReadyAddresses: [addr('10.0.0.1')], ports: [p] },
    ]);
  });
  test('truncation keeps 1000 addresses, ready ones first', () => {
    const subsets: Subset[] = [
      { addresses: Array.from({ length: 900 }, (_, i) => addr(`10.0.${i >> 8}.${i & 255}`)), notReadyAddresses: Array.from({ length: 200 }, (_, i) => addr(`10.1.0.${i}`)) },
    ];
    assert.equal(truncateEndpoints(subsets), true);
    assert.equal(subsets[0].addresses!.length, 900);
    assert.equal(subsets[0].notReadyAddresses!.length, 100);
  });
  test('RFC3339Nano drops a zero fraction', () => {
    assert.equal(rfc3339Nano(Date.UTC(2026, 0, 1)), '2026-01-01T00:00:00Z');
    assert.equal(rfc3339Nano(Date.UTC(2026, 0, 1) + 120), '2026-01-01T00:00:00.12Z');
  });
});

describe('EndpointsController', () => {
  let t: TestServer;
  let client: RestClient;
  let stop: AbortController;
  let ec: EndpointsController;
  let pods: ResourceClient;
  let services: ResourceClient;
  let endpoints: ResourceClient;

  beforeEach(async () => {
    t = await startTestServer();
    client = new RestClient(new InProcessTransport(t.server, { username: 'kubernetes-admin', groups: ['system:masters'] }));
    pods = client.resource(PODS).namespace('default');
    services = client.resource(SERVICES).namespace('default');
    endpoints = client.resource(ENDPOINTS).namespace('default');
    stop = new AbortController();
    const informers = new SharedInformerFactory({ client, clock: t.clock });
    ec = new EndpointsController({ clock: t.clock, informers, clientFor: () => client, log: () => {} });
    informers.start(stop.signal);
    ec.start(stop.signal);
    await eventually(() => ec.hasSynced(), { clock: t.clock, stepMs: 10 });
  });
  afterEach(() => {
    stop.abort();
    t.stop();
  });

  async function service(spec: Record<string, unknown>, name = 'web', labels?: Record<string, string>): Promise<KubeObject> {
    return services.create({ apiVersion: 'v1', kind: 'Service', metadata: { name, ...(labels ? { labels } : {}) }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }], ...spec } });
  }

  async function pod(name: string, ip: string, opts: { ready?: boolean; labels?: Record<string, string>; hostname?: string; subdomain?: string; port?: number } = {}): Promise<KubeObject> {
    const created = await pods.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, labels: opts.labels ?? { app: 'web' } },
      spec: {
        nodeName: 'node-a',
        ...(opts.hostname ? { hostname: opts.hostname, subdomain: opts.subdomain } : {}),
        containers: [{ name: 'app', image: 'nginx', ports: [{ name: 'http', containerPort: opts.port ?? 8080 }] }],
      },
    });
    return setReady(created, opts.ready ?? true, ip);
  }

  async function setReady(p: KubeObject, ready: boolean, ip?: string): Promise<KubeObject> {
    const cur = (await pods.get(p.metadata.name!)) as any;
    const status = {
      ...cur.status,
      phase: 'Running',
      ...(ip ? { podIP: ip, podIPs: [{ ip }] } : {}),
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: new Date(t.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z') }],
    };
    return pods.updateStatus({ ...cur, status });
  }

  async function endpointsOf(name: string, cond: (ep: any) => boolean): Promise<any> {
    let last: any;
    await eventually(
      async () => {
        try {
          last = await endpoints.get(name);
        } catch (e) {
          if (!isNotFound(e)) throw e;
          last = undefined;
        }
        return cond(last);
      },
      { clock: t.clock, stepMs: 50, describe: () => JSON.stringify(last) },
    );
    return last;
  }

  const ips = (list: any[] | undefined) => (list ?? []).map((a) => a.ip);

  test('ready pods are addresses, unready ones notReadyAddresses, and they follow readiness', async () => {
    await service({});
    const a = await pod('web-a', '10.0.0.1');
    await pod('web-b', '10.0.0.2', { ready: false });
    let ep = await endpointsOf('web', (ep) => ep?.subsets?.[0]?.notReadyAddresses?.length === 1);
    assert.deepEqual(ep.subsets, [
      {
        addresses: [{ ip: '10.0.0.1', nodeName: 'node-a', targetRef: { kind: 'Pod', namespace: 'default', name: 'web-a', uid: a.metadata.uid } }],
        notReadyAddresses: [{ ip: '10.0.0.2', nodeName: 'node-a', targetRef: { kind: 'Pod', namespace: 'default', name: 'web-b', uid: (await pods.get('web-b')).metadata.uid } }],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
    ]);
    await setReady(a, false);
    ep = await endpointsOf('web', (ep) => ep?.subsets?.[0]?.addresses === undefined);
    assert.deepEqual(ips(ep.subsets[0].notReadyAddresses), ['10.0.0.1', '10.0.0.2']);
    await setReady(a, true);
    ep = await endpointsOf('web', (ep) => ep?.subsets?.[0]?.addresses?.length === 1);
    assert.deepEqual(ips(ep.subsets[0].addresses), ['10.0.0.1']);
  });

  test('publishNotReadyAddresses puts every pod in addresses', async () => {
    await service({ publishNotReadyAddresses: true });
    await pod('web-a', '10.0.0.1', { ready: false });
    const ep = await endpointsOf('web', (ep) => ep?.subsets?.length === 1);
    assert.deepEqual(ips(ep.subsets[0].addresses), ['10.0.0.1']);
    assert.equal(ep.subsets[0].notReadyAddresses, undefined);
  });

  test('terminating pods are left out', async () => {
    await service({});
    await pod('web-a', '10.0.0.1');
    const b = await pod('web-b', '10.0.0.2');
    await endpointsOf('web', (ep) => ep?.subsets?.[0]?.addresses?.length === 2);
    // A finalizer keeps the pod around while it is terminating.
    await pods.patch('web-b', 'merge', { metadata: { finalizers: ['example.com/hold'] } });
    await pods.delete('web-b');
    const ep = await endpointsOf('web', (ep) => ep?.subsets?.[0]?.addresses?.length === 1);
    assert.deepEqual(ips(ep.subsets[0].addresses), ['10.0.0.1']);
    assert.ok(b);
  });

  test('named target ports resolve per pod, grouping pods by port', async () => {
    await service({});
    await pod('web-a', '10.0.0.1', { port: 8080 });
    await pod('web-b', '10.0.0.2', { port: 9090 });
    const ep = await endpointsOf('web', (ep) => ep?.subsets?.length === 2);
    const byPort = Object.fromEntries(ep.subsets.map((s: any) => [s.ports[0].port, ips(s.addresses)]));
    assert.deepEqual(byPort, { 8080: ['10.0.0.1'], 9090: ['10.0.0.2'] });
  });

  test('carries the trigger-time annotation and the Service labels', async () => {
    const svc = await service({}, 'web', { tier: 'front' });
    const ep = await endpointsOf('web', (ep) => !!ep);
    assert.equal(ep.metadata.annotations['endpoints.kubernetes.io/last-change-trigger-time'], svc.metadata.creationTimestamp);
    assert.deepEqual(ep.metadata.labels, { tier: 'front' });
  });

  test('headless Services get the headless label and hostnames for pods in their subdomain', async () => {
    await service({ clusterIP: 'None', ports: [] }, 'db');
    await pod('db-0', '10.0.0.5', { hostname: 'db-0', subdomain: 'db' });
    const ep = await endpointsOf('db', (ep) => ep?.subsets?.length === 1);
    assert.deepEqual(ep.metadata.labels, { 'service.kubernetes.io/headless': '' });
    assert.equal(ep.subsets[0].addresses[0].hostname, 'db-0');
    assert.equal(ep.subsets[0].ports, undefined);
  });

  test('Services without a selector are left alone', async () => {
    await services.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext' }, spec: { ports: [{ port: 80 }] } });
    await endpoints.create({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'ext' }, subsets: [{ addresses: [{ ip: '192.0.2.1' }], ports: [{ port: 80 }] }] });
    await t.clock.advance(1000);
    await ec.whenIdle();
    const ep = (await endpoints.get('ext')) as any;
    assert.deepEqual(ips(ep.subsets[0].addresses), ['192.0.2.1']);
  });

  test('Endpoints go when the Service goes', async () => {
    await service({});
    await pod('web-a', '10.0.0.1');
    await endpointsOf('web', (ep) => !!ep);
    await services.delete('web');
    await endpointsOf('web', (ep) => ep === undefined);
  });

  test('more than 1000 addresses are truncated and annotated', async () => {
    await service({ publishNotReadyAddresses: true, ports: [{ port: 80, targetPort: 80 }] });
    for (let i = 0; i < 1005; i++) {
      const created = await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, labels: { app: 'web' } }, spec: { nodeName: 'n', containers: [{ name: 'c', image: 'i' }] } });
      await pods.updateStatus({ ...created, status: { phase: 'Running', podIP: `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`, podIPs: [{ ip: `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}` }] } });
    }
    const ep = await endpointsOf('web', (ep) => ep?.metadata?.annotations?.['endpoints.kubernetes.io/over-capacity'] === 'truncated');
    assert.equal(ep.subsets[0].addresses.length, 1000);
  });
});
