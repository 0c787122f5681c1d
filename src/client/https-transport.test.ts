// The client over real HTTPS: a `skiff up` process, its kubeconfig (CA, token), keep-alive requests
// and a streamed watch feeding an informer on the real clock.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import type { KubeObject } from '../api/types.js';
import { StatusError } from '../apimachinery/errors.js';
import { realClock } from '../sim/clock.js';
import { SkiffProcess } from '../../test/e2e/harness.js';
import { SharedInformer } from './informer.js';
import { RestClient, type ResourceRef } from './rest.js';
import { HttpsTransport, kubeconfigTransportConfig } from './transport.js';

const CONFIGMAPS: ResourceRef = { group: '', version: 'v1', resource: 'configmaps', namespaced: true, kind: 'ConfigMap' };

describe('HttpsTransport against skiff up', () => {
  let skiff: SkiffProcess;
  let transport: HttpsTransport;
  let client: RestClient;
  before(async () => {
    skiff = await SkiffProcess.start();
    transport = HttpsTransport.fromKubeconfig(skiff.kubeconfig);
    client = new RestClient(transport, { userAgent: 'skiff-client-test' });
  });
  after(async () => {
    transport?.close();
    await skiff?.destroy();
  });

  test('reads the kubeconfig: server, embedded CA and token', () => {
    const cfg = kubeconfigTransportConfig(readFileSync(skiff.kubeconfig, 'utf8'), dirname(skiff.kubeconfig));
    assert.match(cfg.server, /^https:\/\//);
    assert.match(String(cfg.ca), /BEGIN CERTIFICATE/);
    assert.ok(cfg.token);
  });

  test('creates, reads and lists over TLS with the kubeconfig credentials', async () => {
    const cms = client.resource(CONFIGMAPS).namespace('default');
    const created = await cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'over-https' }, data: { a: '1' } });
    assert.deepEqual((await cms.get('over-https')).data, { a: '1' });
    const list = await cms.list({ fieldSelector: 'metadata.name=over-https' });
    assert.deepEqual(list.items.map((i) => i.metadata.uid), [created.metadata.uid]);
  });

  test('surfaces the server\'s Status as a StatusError', async () => {
    await assert.rejects(() => client.resource(CONFIGMAPS).namespace('default').get('absent-over-https'), (e: unknown) => {
      assert.ok(e instanceof StatusError);
      assert.equal(e.code, 404);
      assert.equal(e.message, 'configmaps "absent-over-https" not found');
      return true;
    });
  });

  test('a wrong token is 401 Unauthorized', async () => {
    const cfg = kubeconfigTransportConfig(readFileSync(skiff.kubeconfig, 'utf8'), dirname(skiff.kubeconfig));
    const bad = new HttpsTransport({ ...cfg, token: 'not-a-token' });
    try {
      await assert.rejects(() => new RestClient(bad).resource(CONFIGMAPS).list(), { name: 'StatusError', message: 'Unauthorized' });
    } finally {
      bad.close();
    }
  });

  test('discovers resources from the real server', async () => {
    const all = await client.serverPreferredResources();
    assert.ok(all.some((r) => r.group === 'apps' && r.resource === 'deployments' && r.namespaced));
  });

  test('an informer lists and then follows a streamed watch', async () => {
    const stop = new AbortController();
    const inf = new SharedInformer<KubeObject>({ lw: client.resource(CONFIGMAPS).namespace('default'), clock: realClock, log: () => {} });
    const seen: string[] = [];
    inf.addEventHandler({ onAdd: (o) => seen.push(`add ${o.metadata.name}`), onDelete: (o) => seen.push(`delete ${'metadata' in o ? o.metadata.name : o.key}`) });
    inf.start(stop.signal);
    try {
      await inf.waitForSync();
      const cms = client.resource(CONFIGMAPS).namespace('default');
      await cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'watched-over-https' } });
      await cms.delete('watched-over-https');
      for (let i = 0; i < 200 && !seen.includes('delete watched-over-https'); i++) await realClock.sleep(20);
      assert.ok(seen.includes('add watched-over-https'), seen.join(', '));
      assert.ok(seen.includes('delete watched-over-https'), seen.join(', '));
      assert.equal(inf.listCount, 1);
    } finally {
      stop.abort();
    }
  });
});

describe('HttpsTransport on a kept-alive socket the server drops', () => {
  /** A server that answers, then drops the connection on the next request that arrives on the same socket. */
  async function droppingServer(): Promise<{ url: string; sockets: () => number; close: () => Promise<void> }> {
    const served = new WeakMap<object, number>();
    let sockets = 0;
    const server = http.createServer((req, res) => {
      const n = (served.get(req.socket) ?? 0) + 1;
      served.set(req.socket, n);
      req.resume();
      req.on('end', () => {
        if (n > 1) req.socket.destroy();
        else res.end(JSON.stringify({ path: req.url }));
      });
    });
    server.on('connection', () => sockets++);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, sockets: () => sockets, close: () => new Promise((r) => server.close(() => r())) };
  }

  test('a request the server drops on a reused socket is sent once more on a new one', async () => {
    const server = await droppingServer();
    const t = new HttpsTransport({ server: server.url });
    try {
      assert.equal((await t.request({ method: 'GET', path: '/first' })).status, 200);
      const second = await t.request({ method: 'PATCH', path: '/second', body: 'x'.repeat(64 * 1024) });
      assert.equal(second.status, 200);
      assert.deepEqual(JSON.parse(second.body.toString()), { path: '/second' });
      assert.equal(server.sockets(), 2);
    } finally {
      t.close();
      await server.close();
    }
  });

  test('a reset on a fresh socket is not retried', async () => {
    const server = http.createServer((req) => req.socket.destroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    let requests = 0;
    server.on('request', () => requests++);
    const t = new HttpsTransport({ server: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    try {
      await assert.rejects(() => t.request({ method: 'GET', path: '/' }), { code: 'ECONNRESET' });
      assert.equal(requests, 1);
    } finally {
      t.close();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
