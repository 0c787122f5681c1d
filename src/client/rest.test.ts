import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/types.js';
import { StatusError } from '../apimachinery/errors.js';
import { startTestServer, type TestServer } from '../apiserver/testing.js';
import { errorFromResponse, genericServerResponse, RestClient, type ResourceRef, type WatchEvent } from './rest.js';
import { InProcessTransport, type StreamResponse, type Transport, type TransportRequest, type TransportResponse } from './transport.js';

const ADMIN = { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };
const CONFIGMAPS: ResourceRef = { group: '', version: 'v1', resource: 'configmaps', namespaced: true, kind: 'ConfigMap' };
const DEPLOYMENTS: ResourceRef = { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true, kind: 'Deployment' };

function cm(name: string, labels: Record<string, string> = {}, data: Record<string, string> = { k: name }): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', labels }, data };
}

function deployment(name: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    },
  };
}

/** Expects fn to fail with a StatusError and returns it. */
async function statusError(fn: () => Promise<unknown>): Promise<StatusError> {
  try {
    await fn();
  } catch (e) {
    assert.ok(e instanceof StatusError, `expected a StatusError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the call to fail');
}

/** A transport that records requests and lets a test rewrite them. */
/** A watch's first event. */
async function first(w: AsyncIterable<WatchEvent>): Promise<WatchEvent> {
  for await (const ev of w) return ev;
  throw new Error('watch ended');
}

class RecordingTransport implements Transport {
  readonly requests: TransportRequest[] = [];
  constructor(
    private readonly inner: Transport,
    private readonly rewrite: (r: TransportRequest) => TransportRequest = (r) => r,
  ) {}
  request(req: TransportRequest): Promise<TransportResponse> {
    this.requests.push(req);
    return this.inner.request(this.rewrite(req));
  }
  stream(req: TransportRequest): Promise<StreamResponse> {
    this.requests.push(req);
    return this.inner.stream(this.rewrite(req));
  }
  close(): void {
    this.inner.close();
  }
}

describe('RestClient over the in-process transport', () => {
  let t: TestServer;
  let client: RestClient;
  before(async () => {
    t = await startTestServer();
    client = new RestClient(new InProcessTransport(t.server, ADMIN));
  });
  after(() => t.stop());

  test('creates, gets and lists objects, with TypeMeta on list items', async () => {
    const cms = client.resource(CONFIGMAPS).namespace('default');
    const created = await cms.create(cm('rest-a', { tier: 'web' }));
    assert.ok(created.metadata.uid);
    assert.equal((await cms.get('rest-a')).metadata.uid, created.metadata.uid);
    const list = await cms.list({ labelSelector: 'tier=web' });
    assert.deepEqual(list.items.map((i) => `${i.apiVersion} ${i.kind} ${i.metadata.name}`), ['v1 ConfigMap rest-a']);
    assert.ok(Number(list.metadata.resourceVersion) >= Number(created.metadata.resourceVersion));
  });

  test('takes the namespace from the object when the client is not scoped', async () => {
    const created = await client.resource(CONFIGMAPS).create(cm('rest-unscoped'));
    assert.equal(created.metadata.namespace, 'default');
  });

  test('filters lists by field selector', async () => {
    const cms = client.resource(CONFIGMAPS).namespace('default');
    await cms.create(cm('rest-field'));
    const list = await cms.list({ fieldSelector: 'metadata.name=rest-field' });
    assert.deepEqual(list.items.map((i) => i.metadata.name), ['rest-field']);
  });

  test('pages with limit and continue, and listAll follows every page', async () => {
    const cms = client.resource(CONFIGMAPS).namespace('paging');
    await client.resource({ group: '', version: 'v1', resource: 'namespaces', namespaced: false }).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'paging' } });
    for (let i = 0; i < 5; i++) await cms.create({ ...cm(`p-${i}`), metadata: { name: `p-${i}`, namespace: 'paging' } });
    const first = await cms.list({ limit: 2 });
    assert.equal(first.items.length, 2);
    assert.ok(first.metadata.continue);
    assert.equal(first.metadata.remainingItemCount, 3);
    const second = await cms.list({ limit: 2, continue: first.metadata.continue });
    assert.deepEqual(second.items.map((i) => i.metadata.name), ['p-2', 'p-3']);
    const all = await cms.listAll({ limit: 2 });
    assert.deepEqual(all.items.map((i) => i.metadata.name), ['p-0', 'p-1', 'p-2', 'p-3', 'p-4']);
    assert.equal(all.metadata.continue, undefined);
  });

  test('reports a missing object as the server\'s NotFound Status', async () => {
    const e = await statusError(() => client.resource(CONFIGMAPS).namespace('default').get('nope'));
    assert.equal(e.code, 404);
    assert.equal(e.reason, 'NotFound');
    assert.equal(e.message, 'configmaps "nope" not found');
  });

  test('a stale update fails with the optimistic-concurrency Conflict', async () => {
    const cms = client.resource(CONFIGMAPS).namespace('default');
    const created = await cms.create(cm('rest-conflict'));
    await cms.update({ ...created, data: { k: 'first' } });
    const e = await statusError(() => cms.update({ ...created, data: { k: 'stale' } }));
    assert.equal(e.code, 409);
    assert.equal(e.message, 'Operation cannot be fulfilled on configmaps "rest-conflict": the object has been modified; please apply your changes to the latest version and try again');
  });

  test('updateStatus changes status only, update keeps it', async () => {
    const deps = client.resource(DEPLOYMENTS).namespace('default');
    const created = await deps.create(deployment('rest-status'));
    const withStatus = await deps.updateStatus({ ...created, spec: { ...(created.spec as object), replicas: 9 }, status: { replicas: 3 } });
    assert.deepEqual(withStatus.status, { replicas: 3 });
    assert.equal((withStatus.spec as { replicas: number }).replicas, 1, 'spec untouched through /status');
    const updated = await deps.update({ ...withStatus, status: { replicas: 99 } });
    assert.deepEqual(updated.status, { replicas: 3 }, 'status untouched through the main resource');
  });

  for (const [type, patch] of [
    ['merge', { data: { k: 'merged' } }],
    ['strategic', { data: { k: 'merged' } }],
    ['json', [{ op: 'replace', path: '/data/k', value: 'merged' }]],
  ] as const) {
    test(`patches with a ${type} patch`, async () => {
      const cms = client.resource(CONFIGMAPS).namespace('default');
      await cms.create(cm(`rest-patch-${type}`));
      const patched = await cms.patch(`rest-patch-${type}`, type, patch);
      assert.deepEqual(patched.data, { k: 'merged' });
    });
  }

  test('deletes with a uid precondition that does not match as a Conflict', async () => {
    const cms = client.resource(CONFIGMAPS).namespace('default');
    const created = await cms.create(cm('rest-pre'));
    const e = await statusError(() => cms.delete('rest-pre', { preconditions: { uid: 'not-the-uid' } }));
    assert.equal(e.code, 409);
    assert.match(e.message, /not-the-uid/, 'the message names the precondition that failed');
    const ok = (await cms.delete('rest-pre', { preconditions: { uid: created.metadata.uid } })) as { status?: string };
    assert.equal(ok.status, 'Success');
  });

  test('a Foreground delete leaves the object with deletionTimestamp and the foregroundDeletion finalizer', async () => {
    const cms = client.resource(CONFIGMAPS).namespace('default');
    await cms.create(cm('rest-fg'));
    const r = (await cms.delete('rest-fg', { propagationPolicy: 'Foreground' })) as KubeObject;
    assert.ok(r.metadata.deletionTimestamp);
    assert.deepEqual(r.metadata.finalizers, ['foregroundDeletion']);
    assert.ok((await cms.get('rest-fg')).metadata.deletionTimestamp);
  });

  test('deleteCollection removes what the selector matches and nothing else', async () => {
    const cms = client.resource(CONFIGMAPS).namespace('default');
    await cms.create(cm('rest-dc-1', { sweep: 'yes' }));
    await cms.create(cm('rest-dc-2', { sweep: 'yes' }));
    await cms.create(cm('rest-dc-keep', { sweep: 'no' }));
    const gone = await cms.deleteCollection({ labelSelector: 'sweep=yes' });
    assert.deepEqual(gone.items.map((i) => i.metadata.name).sort(), ['rest-dc-1', 'rest-dc-2']);
    assert.deepEqual((await cms.list({ labelSelector: 'sweep' })).items.map((i) => i.metadata.name), ['rest-dc-keep']);
  });

  test('watches from a resourceVersion and streams ADDED, MODIFIED and DELETED in order', async () => {
    const cms = client.resource(CONFIGMAPS).namespace('default');
    const start = await cms.list({ labelSelector: 'watched' });
    const w = await cms.watch({ resourceVersion: start.metadata.resourceVersion, labelSelector: 'watched' });
    const seen: string[] = [];
    const done = (async () => {
      for await (const ev of w) {
        seen.push(`${ev.type} ${ev.object.metadata.name}`);
        if (ev.type === 'DELETED') break;
      }
    })();
    await cms.create(cm('rest-w', { watched: 'y' }));
    await cms.patch('rest-w', 'merge', { data: { k: 'v2' } });
    await cms.delete('rest-w');
    await done;
    w.close();
    assert.deepEqual(seen, ['ADDED rest-w', 'MODIFIED rest-w', 'DELETED rest-w']);
  });

  test('in-process watchers of an event share one copy of it, not the server\'s, equal to what the server serialises', async () => {
    const cms = client.resource(CONFIGMAPS).namespace('default');
    const start = await cms.list({});
    const a = await cms.watch({ resourceVersion: start.metadata.resourceVersion });
    const b = await cms.watch({ resourceVersion: start.metadata.resourceVersion });
    const created = await cms.create(cm('rest-copies', {}, { k: 'original' }));
    const [ea, eb] = await Promise.all([first(a), first(b)]);
    a.close();
    b.close();
    assert.deepEqual(ea, { type: 'ADDED', object: created });
    assert.equal(ea.object, eb.object, 'one copy for both watchers');
    // Read-only, as informer caches are (apimachinery/mutation-detector.ts); even so, changing it changes
    // no one's but the in-process watchers'.
    (ea.object as unknown as { data: Record<string, string> }).data.k = 'changed by a watcher';
    assert.deepEqual((await cms.get('rest-copies')).data, { k: 'original' }, 'the server\'s object is not the copy');
    // A raw stream of the same watch still gets JSON lines.
    const raw = await client.transport.stream({ method: 'GET', path: '/api/v1/namespaces/default/configmaps', query: new URLSearchParams({ watch: 'true', resourceVersion: start.metadata.resourceVersion! }) });
    assert.equal(raw.values, undefined);
    for await (const line of raw.lines) {
      assert.deepEqual(JSON.parse(line), { type: 'ADDED', object: created });
      break;
    }
    raw.close();
  });

  test('read-only watchers (informers) are handed the server\'s own event object; others a copy of it', async () => {
    const cms = client.resource(CONFIGMAPS).namespace('default');
    const start = await cms.list({});
    const from = { resourceVersion: start.metadata.resourceVersion };
    const [ro1, ro2, copying] = await Promise.all([cms.watch({ ...from, readOnly: true }), cms.watch({ ...from, readOnly: true }), cms.watch(from)]);
    const created = await cms.create(cm('rest-read-only', {}, { k: 'v' }));
    const [e1, e2, e3] = await Promise.all([first(ro1), first(ro2), first(copying)]);
    for (const w of [ro1, ro2, copying]) w.close();
    assert.deepEqual(e1, { type: 'ADDED', object: created });
    assert.equal(e1.object, e2.object, 'both read-only watchers hold the one object');
    assert.deepEqual(e3.object, e1.object);
    assert.notEqual(e3.object, e1.object, 'a watcher that may change what it gets has its own copy');
  });

  test('in process a response comes as a value when asked for one, as bytes otherwise, and both say the same', async () => {
    await client.resource(CONFIGMAPS).create(cm('rest-value'));
    const path = '/api/v1/namespaces/default/configmaps/rest-value';
    const asValue = await client.transport.request({ method: 'GET', path, values: true });
    const asBytes = await client.transport.request({ method: 'GET', path });
    assert.equal(asValue.body.length, 0);
    assert.equal(asBytes.value, undefined);
    assert.deepEqual(asValue.value, JSON.parse(asBytes.body.toString('utf8')));
    assert.equal(asValue.headers['content-type'], 'application/json');
    // Errors too: the Status arrives as a value and still becomes the StatusError.
    const missing = await client.transport.request({ method: 'GET', path: `${path}-missing`, values: true });
    assert.equal(missing.status, 404);
    assert.equal(errorFromResponse(missing, 'GET').status.reason, 'NotFound');
  });

  test('a watch from a compacted resourceVersion reports 410 Expired as an ERROR event', async () => {
    const cms = client.resource(CONFIGMAPS).namespace('default');
    const old = await cms.create(cm('rest-compact-1'));
    await cms.create(cm('rest-compact-2'));
    await t.store.compact(t.store.currentRevision());
    const w = await cms.watch({ resourceVersion: old.metadata.resourceVersion });
    const events: WatchEvent[] = [];
    for await (const ev of w) events.push(ev);
    assert.equal(events.length, 1);
    assert.equal(events[0].type, 'ERROR');
    assert.equal((events[0].object as unknown as { code: number }).code, 410);
  });

  test('metadata-only clients get PartialObjectMetadata', async () => {
    const cms = client.resource(CONFIGMAPS, { metadataOnly: true }).namespace('default');
    await client.resource(CONFIGMAPS).create(cm('rest-meta', { m: 'y' }));
    const one = await cms.get('rest-meta');
    assert.equal(one.kind, 'PartialObjectMetadata');
    assert.equal(one.data, undefined);
    assert.equal(one.metadata.name, 'rest-meta');
    const list = await cms.list({ labelSelector: 'm=y' });
    assert.equal((list as unknown as { kind: string }).kind, 'PartialObjectMetadataList');
    assert.deepEqual(list.items.map((i) => i.kind), ['PartialObjectMetadata']);
  });

  test('enforces RBAC for the transport\'s user: a user without bindings is Forbidden', async () => {
    const alice = new RestClient(new InProcessTransport(t.server, { username: 'alice', groups: ['system:authenticated'] }));
    const e = await statusError(() => alice.resource(CONFIGMAPS).namespace('default').list());
    assert.equal(e.code, 403);
    assert.equal(e.message, 'configmaps is forbidden: User "alice" cannot list resource "configmaps" in API group "" in the namespace "default"');
  });

  test('discovers resources through aggregated discovery, with scope, kind, verbs and preferred version', async () => {
    const all = await new RestClient(new InProcessTransport(t.server, ADMIN)).serverResources();
    const deploy = all.find((r) => r.group === 'apps' && r.resource === 'deployments');
    assert.deepEqual(
      deploy && { kind: deploy.kind, namespaced: deploy.namespaced, preferred: deploy.preferred, subresources: deploy.subresources },
      { kind: 'Deployment', namespaced: true, preferred: true, subresources: ['scale', 'status'] },
    );
    assert.ok(deploy!.verbs.includes('watch'));
    const ns = all.find((r) => r.group === '' && r.resource === 'namespaces');
    assert.equal(ns?.namespaced, false);
  });

  test('aggregated discovery carries an ETag; sent back unchanged, it is answered 304 and the client reuses what it had', async () => {
    const raw = new InProcessTransport(t.server, ADMIN);
    const accept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
    const first = await raw.request({ method: 'GET', path: '/apis', headers: { accept } });
    const etag = String(first.headers.etag);
    assert.match(etag, /^"[0-9A-F]{128}"$/, 'the SHA-512 of the document, upper-case hex, quoted');
    assert.equal(first.headers['cache-control'], 'public');
    assert.equal(first.headers.vary, 'Accept');
    const again = await raw.request({ method: 'GET', path: '/apis', headers: { accept, 'if-none-match': etag } });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    assert.equal(again.headers.etag, etag);
    const other = await raw.request({ method: 'GET', path: '/apis', headers: { accept, 'if-none-match': '"0"' } });
    assert.equal(other.status, 200);

    const recording = new RecordingTransport(raw);
    const rc = new RestClient(recording);
    const before = await rc.serverResources();
    rc.invalidate();
    const after = await rc.serverResources();
    assert.deepEqual(after, before);
    const etags = recording.requests.map((r) => r.headers?.['if-none-match']);
    assert.deepEqual(etags.map((e) => e !== undefined), [false, false, true, true], 'the second discovery names what the first got');
  });

  test('legacy discovery finds the same resources as aggregated discovery', async () => {
    const legacyTransport = new RecordingTransport(new InProcessTransport(t.server, ADMIN), (r) => ({ ...r, headers: { ...r.headers, accept: 'application/json' } }));
    const legacy = await new RestClient(legacyTransport).serverResources();
    const aggregated = await new RestClient(new InProcessTransport(t.server, ADMIN)).serverResources();
    assert.ok(legacyTransport.requests.some((r) => r.path === '/apis/apps/v1'), 'walked the per-group documents');
    const key = (r: (typeof legacy)[number]) => `${r.group}/${r.version}/${r.resource} ${r.kind} ${r.namespaced} ${r.preferred} ${r.subresources.join('+')}`;
    assert.deepEqual(legacy.map(key).sort(), aggregated.map(key).sort());
  });

  test('maps apiVersion and kind to a resource client through discovery', async () => {
    const rc = await client.resourceFor('apps/v1', 'Deployment');
    assert.equal(rc.ref.resource, 'deployments');
    await assert.rejects(() => client.resourceFor('example.com/v1', 'Widget'), { message: 'no matches for kind "Widget" in version "example.com/v1"' });
  });
});

describe('server-side apply requests', () => {
  test('send the applied object as application/apply-patch+yaml with fieldManager and force', async () => {
    let seen: TransportRequest | undefined;
    const fake: Transport = {
      async request(req) {
        seen = req;
        return { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(cm('applied'))) };
      },
      async stream() {
        throw new Error('unused');
      },
      close() {},
    };
    const client = new RestClient(fake);
    await client.resource(CONFIGMAPS).apply(cm('applied'), { fieldManager: 'skiff-test', force: true });
    assert.ok(seen);
    assert.equal(seen.method, 'PATCH');
    assert.equal(seen.path, '/api/v1/namespaces/default/configmaps/applied');
    assert.equal(seen.headers?.['content-type'], 'application/apply-patch+yaml');
    assert.equal(seen.query?.get('fieldManager'), 'skiff-test');
    assert.equal(seen.query?.get('force'), 'true');
    // As a value: the transport encodes it for the network, or hands it over in process.
    assert.equal(seen.body, undefined);
    assert.equal((seen.bodyValue as KubeObject).metadata.name, 'applied');
  });
});

describe('errors from responses', () => {
  test('use the server\'s Status body when there is one', () => {
    const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'boom', reason: 'BadRequest', code: 400 };
    const e = errorFromResponse({ status: 400, headers: {}, body: Buffer.from(JSON.stringify(status)) }, 'GET');
    assert.deepEqual(e.status, status);
  });

  const cases: [number, string, string][] = [
    [404, 'NotFound', 'the server could not find the requested resource (get deployments.apps web)'],
    [503, 'ServiceUnavailable', 'the server is currently unable to handle the request (get deployments.apps web)'],
    [500, 'InternalError', 'an error on the server ("oops") has prevented the request from succeeding (get deployments.apps web)'],
    [418, 'Unknown', 'the server responded with the status code 418 but did not return more information (get deployments.apps web)'],
  ];
  for (const [code, reason, message] of cases) {
    test(`word a bare ${code} as client-go does`, () => {
      const e = genericServerResponse(code, 'GET', { group: 'apps', resource: 'deployments' }, 'web', 'oops');
      assert.equal(e.reason, reason);
      assert.equal(e.message, message);
      assert.equal(e.code, code);
    });
  }
});
