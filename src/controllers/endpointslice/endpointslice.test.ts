import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../apiserver/testing.js';
import { RestClient, type ResourceClient } from '../../client/rest.js';
import { InProcessTransport } from '../../client/transport.js';
import { SharedInformerFactory } from '../../client/informer.js';
import { eventually } from '../../client/testing.js';
import type { KubeObject } from '../../api/types.js';
import { EndpointSliceController } from './endpointslice.js';
import { ENDPOINT_SLICES, NODES, PODS, SERVICES } from '../../client/refs.js';

describe('EndpointSliceController', () => {
  let t: TestServer;
  let client: RestClient;
  let stop: AbortController;
  let esc: EndpointSliceController;
  let pods: ResourceClient;
  let services: ResourceClient;
  let slices: ResourceClient;

  async function startController(maxEndpointsPerSlice?: number): Promise<void> {
    const informers = new SharedInformerFactory({ client, clock: t.clock });
    esc = new EndpointSliceController({ clock: t.clock, informers, clientFor: () => client, log: () => {} }, { maxEndpointsPerSlice });
    informers.start(stop.signal);
    esc.start(stop.signal);
    await eventually(() => esc.hasSynced(), { clock: t.clock, stepMs: 10 });
  }

  beforeEach(async () => {
    t = await startTestServer();
    client = new RestClient(new InProcessTransport(t.server, { username: 'kubernetes-admin', groups: ['system:masters'] }));
    pods = client.resource(PODS).namespace('default');
    services = client.resource(SERVICES).namespace('default');
    slices = client.resource(ENDPOINT_SLICES).namespace('default');
    stop = new AbortController();
    const nodes = client.resource(NODES);
    for (const [name, zone] of [
      ['node-a', 'us-east-1a'],
      ['node-b', 'us-east-1b'],
    ]) {
      await nodes.create({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'topology.kubernetes.io/zone': zone } } });
    }
  });
  afterEach(() => {
    stop.abort();
    t.stop();
  });

  async function service(spec: Record<string, unknown> = {}, name = 'web'): Promise<KubeObject> {
    return services.create({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }], ...spec } });
  }

  async function pod(name: string, ip: string, opts: { ready?: boolean; node?: string } = {}): Promise<KubeObject> {
    const created = await pods.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, labels: { app: 'web' } },
      spec: { nodeName: opts.node ?? 'node-a', containers: [{ name: 'app', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }] },
    });
    return setReady(created, opts.ready ?? true, ip);
  }

  async function setReady(p: KubeObject, ready: boolean, ip?: string): Promise<KubeObject> {
    const cur = (await pods.get(p.metadata.name!)) as any;
    return pods.updateStatus({
      ...cur,
      status: { ...cur.status, phase: 'Running', ...(ip ? { podIP: ip, podIPs: [{ ip }] } : {}), conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: '2026-01-01T00:00:00Z' }] },
    });
  }

  async function slicesOf(svc: string, cond: (items: any[]) => boolean): Promise<any[]> {
    let last: any[] = [];
    await eventually(
      async () => {
        last = (await slices.list({ labelSelector: `kubernetes.io/service-name=${svc}` })).items as any[];
        return cond(last);
      },
      { clock: t.clock, stepMs: 50, describe: () => JSON.stringify(last) },
    );
    return last;
  }

  const endpointCount = (items: any[]) => items.reduce((n, s) => n + (s.endpoints?.length ?? 0), 0);

  test('a Service gets a slice named after it, labelled, owned, with endpoints carrying zones and conditions', async () => {
    await startController();
    const svc = await service();
    const a = await pod('web-a', '10.0.0.1', { node: 'node-a' });
    const b = await pod('web-b', '10.0.0.2', { node: 'node-b', ready: false });
    const [slice] = await slicesOf('web', (items) => endpointCount(items) === 2);
    assert.match(slice.metadata.name, /^web-[a-z0-9]{5}$/);
    assert.equal(slice.metadata.generateName, 'web-');
    assert.deepEqual(slice.metadata.labels, { 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    assert.deepEqual(slice.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    assert.equal(slice.addressType, 'IPv4');
    assert.deepEqual(slice.ports, [{ name: 'http', protocol: 'TCP', port: 8080 }]);
    const byName = Object.fromEntries(slice.endpoints.map((e: any) => [e.targetRef.name, e]));
    assert.deepEqual(byName['web-a'], {
      addresses: ['10.0.0.1'],
      conditions: { ready: true, serving: true, terminating: false },
      targetRef: { kind: 'Pod', namespace: 'default', name: 'web-a', uid: a.metadata.uid },
      nodeName: 'node-a',
      zone: 'us-east-1a',
    });
    assert.deepEqual(byName['web-b'].conditions, { ready: false, serving: false, terminating: false });
    assert.equal(byName['web-b'].zone, 'us-east-1b');
    assert.ok(b);
    assert.equal(slice.metadata.annotations['endpoints.kubernetes.io/last-change-trigger-time'], svc.metadata.creationTimestamp);
  });

  test('endpoints follow readiness and termination', async () => {
    await startController();
    await service();
    const a = await pod('web-a', '10.0.0.1');
    await slicesOf('web', (items) => items[0]?.endpoints?.[0]?.conditions?.ready === true);
    await setReady(a, false);
    let [slice] = await slicesOf('web', (items) => items[0]?.endpoints?.[0]?.conditions?.ready === false);
    assert.deepEqual(slice.endpoints[0].conditions, { ready: false, serving: false, terminating: false });
    await setReady(a, true);
    await slicesOf('web', (items) => items[0]?.endpoints?.[0]?.conditions?.ready === true);
    await pods.patch('web-a', 'merge', { metadata: { finalizers: ['example.com/hold'] } });
    await pods.delete('web-a');
    [slice] = await slicesOf('web', (items) => items[0]?.endpoints?.[0]?.conditions?.terminating === true);
    // Terminating endpoints stay listed, serving but not ready.
    assert.deepEqual(slice.endpoints[0].conditions, { ready: false, serving: true, terminating: true });
  });

  test('a Service without pods keeps one empty placeholder slice', async () => {
    await startController();
    await service();
    const items = await slicesOf('web', (items) => items.length === 1);
    assert.deepEqual(items[0].endpoints, []);
    assert.equal(items[0].ports, undefined);
    assert.equal(items[0].addressType, 'IPv4');
    // The placeholder stays put across later syncs.
    await t.clock.advance(5000);
    assert.deepEqual((await slicesOf('web', (x) => x.length === 1)).map((s) => s.metadata.name), [items[0].metadata.name]);
  });

  test('no slice holds more than maxEndpointsPerSlice endpoints', async () => {
    await startController(3);
    await service();
    for (let i = 0; i < 7; i++) await pod(`web-${i}`, `10.0.0.${i + 1}`);
    const items = await slicesOf('web', (items) => endpointCount(items) === 7);
    assert.ok(items.every((s) => s.endpoints.length <= 3), JSON.stringify(items.map((s) => s.endpoints.length)));
    assert.equal(items.length, 3);
  });

  test('the default maximum is 100 endpoints per slice', async () => {
    await startController();
    await service({ publishNotReadyAddresses: true });
    for (let i = 0; i < 101; i++) {
      const created = await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, labels: { app: 'web' } }, spec: { nodeName: 'node-a', containers: [{ name: 'c', image: 'i', ports: [{ name: 'http', containerPort: 80 }] }] } });
      await pods.updateStatus({ ...created, status: { phase: 'Running', podIP: `10.1.0.${i}`, podIPs: [{ ip: `10.1.0.${i}` }] } });
    }
    const items = await slicesOf('web', (items) => endpointCount(items) === 101);
    assert.deepEqual(items.map((s) => s.endpoints.length).sort((a, b) => a - b), [1, 100]);
  });

  test('Services without a selector get no slices', async () => {
    await startController();
    await services.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext' }, spec: { ports: [{ port: 80 }] } });
    await t.clock.advance(1000);
    await esc.whenIdle();
    assert.equal((await slices.list({ labelSelector: 'kubernetes.io/service-name=ext' })).items.length, 0);
  });

  test('a slice deleted behind the controller is recreated', async () => {
    await startController();
    await service();
    await pod('web-a', '10.0.0.1');
    const [first] = await slicesOf('web', (items) => endpointCount(items) === 1);
    await slices.delete(first.metadata.name);
    const items = await slicesOf('web', (items) => items.length === 1 && items[0].metadata.name !== first.metadata.name && endpointCount(items) === 1);
    assert.equal(items[0].endpoints[0].addresses[0], '10.0.0.1');
  });
});
