import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from './testing.js';
import { startNamespaceController } from '../controllers/namespace/testing.js';

const NS = '/api/v1/namespaces/default';
const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';
const MERGE = { 'content-type': 'application/merge-patch+json' };

function deployment(name: string, replicas = 2) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } },
    },
  };
}

describe('API semantics', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.stop());

  test('create fills uid, creationTimestamp, resourceVersion and generation 1', async () => {
    const r = await t.request('POST', DEPLOY, { body: deployment('meta') });
    assert.equal(r.status, 201);
    const o = r.json();
    assert.match(o.metadata.uid, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(o.metadata.creationTimestamp, '2026-01-01T00:00:00Z', 'from the virtual clock');
    assert.equal(o.metadata.resourceVersion, String(t.store.currentRevision()));
    assert.equal(o.metadata.generation, 1);
    assert.deepEqual(o.status, {});
  });

  test('generation moves on spec changes only, never on status writes', async () => {
    const patch = (path: string, body: unknown) => t.request('PATCH', path, { body, headers: MERGE });
    assert.equal((await patch(`${DEPLOY}/meta`, { metadata: { labels: { x: 'y' } } })).json().metadata.generation, 1);
    assert.equal((await patch(`${DEPLOY}/meta`, { spec: { replicas: 3 } })).json().metadata.generation, 2);
    const st = await patch(`${DEPLOY}/meta/status`, { status: { replicas: 3 }, spec: { replicas: 9 } });
    assert.equal(st.status, 200);
    assert.equal(st.json().metadata.generation, 2);
    assert.equal(st.json().spec.replicas, 3, 'a status write cannot change spec');
    assert.equal(st.json().status.replicas, 3);
    const main = await patch(`${DEPLOY}/meta`, { status: { replicas: 7 } });
    assert.equal(main.json().status.replicas, 3, 'the main resource cannot change status');
  });

  test('an update with a stale resourceVersion is a 409 Conflict worded as upstream', async () => {
    const cur = (await t.request('GET', `${DEPLOY}/meta`)).json();
    const stale = { ...cur, metadata: { ...cur.metadata, resourceVersion: '1' } };
    const r = await t.request('PUT', `${DEPLOY}/meta`, { body: stale });
    assert.equal(r.status, 409);
    assert.equal(r.json().reason, 'Conflict');
    assert.equal(
      r.json().message,
      'Operation cannot be fulfilled on deployments.apps "meta": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  test('generateName makes a name from the prefix', async () => {
    const r = await t.request('POST', `${NS}/configmaps`, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'job-' } } });
    assert.equal(r.status, 201);
    assert.match(r.json().metadata.name, /^job-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  test('dryRun=All validates and answers without writing', async () => {
    const rev = t.store.currentRevision();
    const r = await t.request('POST', `${DEPLOY}?dryRun=All`, { body: deployment('dry') });
    assert.equal(r.status, 201);
    assert.equal(r.json().metadata.name, 'dry');
    assert.equal(t.store.currentRevision(), rev);
    assert.equal((await t.request('GET', `${DEPLOY}/dry`)).status, 404);
    const bad = await t.request('POST', `${DEPLOY}?dryRun=All`, { body: { ...deployment('dry'), spec: { ...deployment('dry').spec, replicas: -1 } } });
    assert.equal(bad.status, 422);
    assert.equal(bad.json().message, 'Deployment.apps "dry" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    assert.equal(bad.json().details.causes[0].field, 'spec.replicas');
  });

  test('invalid names are 422 with upstream wording', async () => {
    const r = await t.request('POST', `${NS}/configmaps`, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name' } } });
    assert.equal(r.status, 422);
    assert.equal(
      r.json().message,
      `ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    );
  });

  test('pagination with limit and continue walks every item once, at one resourceVersion', async () => {
    for (let i = 0; i < 7; i++) {
      await t.request('POST', `${NS}/configmaps`, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `page-${i}`, labels: { page: 'yes' } } } });
    }
    const names: string[] = [];
    let cont = '';
    let rv = '';
    let pages = 0;
    do {
      const r = (await t.request('GET', `${NS}/configmaps?labelSelector=page%3Dyes&limit=3${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`)).json();
      names.push(...r.items.map((o: { metadata: { name: string } }) => o.metadata.name));
      rv ||= r.metadata.resourceVersion;
      assert.equal(r.metadata.resourceVersion, rv);
      cont = r.metadata.continue ?? '';
      pages++;
      if (pages === 1) {
        // A write between pages does not show up in the rest of this list.
        await t.request('POST', `${NS}/configmaps`, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'page-late', labels: { page: 'yes' } } } });
      }
    } while (cont);
    assert.equal(pages, 3);
    assert.deepEqual(names, ['page-0', 'page-1', 'page-2', 'page-3', 'page-4', 'page-5', 'page-6']);
    const unfiltered = (await t.request('GET', `${NS}/configmaps?limit=2`)).json();
    assert.equal(typeof unfiltered.metadata.remainingItemCount, 'number');
  });

  test('a malformed continue token is a 400', async () => {
    const r = await t.request('GET', `${NS}/configmaps?limit=2&continue=not-a-token`);
    assert.equal(r.status, 400);
    assert.match(r.json().message, /^continue key is not valid/);
  });

  test('pods select on spec.nodeName and status.phase; events on involvedObject fields', async () => {
    const pod = (name: string, nodeName?: string) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name },
      spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c', image: 'busybox' }] },
    });
    assert.equal((await t.request('POST', `${NS}/pods`, { body: pod('on-node', 'node-a') })).status, 201);
    assert.equal((await t.request('POST', `${NS}/pods`, { body: pod('unscheduled') })).status, 201);
    const byNode = (await t.request('GET', `${NS}/pods?fieldSelector=spec.nodeName%3Dnode-a`)).json();
    assert.deepEqual(byNode.items.map((p: { metadata: { name: string } }) => p.metadata.name), ['on-node']);
    const pending = (await t.request('GET', `/api/v1/pods?fieldSelector=status.phase%3DPending,spec.nodeName%3D`)).json();
    assert.deepEqual(pending.items.map((p: { metadata: { name: string } }) => p.metadata.name), ['unscheduled']);
    const ev = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'on-node.1' },
      involvedObject: { kind: 'Pod', name: 'on-node', namespace: 'default' },
      reason: 'Scheduled',
      message: 'Successfully assigned default/on-node to node-a',
      type: 'Normal',
    };
    assert.equal((await t.request('POST', `${NS}/events`, { body: ev })).status, 201);
    const evs = (await t.request('GET', `${NS}/events?fieldSelector=involvedObject.kind%3DPod,involvedObject.name%3Don-node`)).json();
    assert.deepEqual(evs.items.map((e: { reason: string }) => e.reason), ['Scheduled']);
    const none = (await t.request('GET', `${NS}/events?fieldSelector=involvedObject.name%3Dother`)).json();
    assert.deepEqual(none.items, []);
  });

  test('the scale subresource reads and writes replicas as autoscaling/v1 Scale', async () => {
    const s = await t.request('GET', `${DEPLOY}/meta/scale`);
    assert.equal(s.status, 200);
    assert.equal(s.json().kind, 'Scale');
    assert.equal(s.json().apiVersion, 'autoscaling/v1');
    assert.equal(s.json().status.selector, 'app=meta');
    const r = await t.request('PATCH', `${DEPLOY}/meta/scale`, { body: { spec: { replicas: 5 } }, headers: MERGE });
    assert.equal(r.status, 200);
    assert.equal(r.json().spec.replicas, 5);
    assert.equal((await t.request('GET', `${DEPLOY}/meta`)).json().spec.replicas, 5);
  });

  test('pods/log is served; a pod on no node has no log yet (204, as LogLocation without a node)', async () => {
    const r = await t.request('GET', `${NS}/pods/unscheduled/log`);
    assert.equal(r.status, 204);
    assert.equal(r.body, '');
  });

  test('a request without credentials is 401; with a wrong token too; /healthz and /version are public', async () => {
    const none = await t.request('GET', `${NS}/configmaps`, { token: null });
    assert.equal(none.status, 401);
    assert.deepEqual(none.json(), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
    assert.equal((await t.request('GET', `${NS}/configmaps`, { token: 'wrong' })).status, 401);
    assert.equal((await t.request('GET', '/healthz', { token: null })).body, 'ok');
    assert.equal((await t.request('GET', '/version', { token: null })).json().gitVersion, 'v1.32.9-eks-skiff');
  });

  test('RBAC denies with upstream wording; impersonation needs the impersonate verb', async () => {
    const r = await t.request('GET', `${NS}/secrets`, { headers: { 'impersonate-user': 'jane' } });
    assert.equal(r.status, 403);
    assert.equal(r.json().message, 'secrets is forbidden: User "jane" cannot list resource "secrets" in API group "" in the namespace "default"');
    const review = await t.request('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb: 'list', resource: 'secrets', namespace: 'default' } } },
    });
    assert.equal(review.status, 201);
    assert.equal(review.json().status.allowed, true);
  });

  test('deleting a namespace marks it Terminating, removes its content, then removes it', async (tc) => {
    // The namespace controller (kube-controller-manager's, behind client/) drains and finalizes it.
    tc.after(startNamespaceController(t.server, t.clock));
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } };
    assert.equal((await t.request('POST', '/api/v1/namespaces', { body: ns })).status, 201);
    assert.equal((await t.request('POST', '/api/v1/namespaces/doomed/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } } })).status, 201);
    const del = await t.request('DELETE', '/api/v1/namespaces/doomed');
    assert.equal(del.status, 200);
    assert.equal(del.json().status.phase, 'Terminating');
    const refused = await t.request('POST', '/api/v1/namespaces/doomed/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'y' } } });
    if (refused.status !== 404) {
      assert.equal(refused.status, 403);
      assert.equal(refused.json().message, 'configmaps "y" is forbidden: unable to create new content in namespace doomed because it is being terminated');
    }
    for (let i = 0; i < 50 && (await t.request('GET', '/api/v1/namespaces/doomed')).status !== 404; i++) await t.clock.advance(100);
    assert.equal((await t.request('GET', '/api/v1/namespaces/doomed')).status, 404);
    assert.equal((await t.request('GET', '/api/v1/namespaces/doomed/configmaps/x')).status, 404);
  });
});

describe('the add-on endpoint', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.stop());

  test('lists the catalog, installs an add-on, and serves its kinds once Established', async () => {
    const list = (await t.request('GET', '/skiff/v1/addons')).json();
    assert.equal(list.kind, 'AddonList');
    assert.ok(list.items.some((a: { name: string; installed: boolean }) => a.name === 'velero' && !a.installed));
    const r = await t.request('POST', '/skiff/v1/addons/velero');
    assert.equal(r.status, 201, r.body);
    assert.equal(r.json().installed, true);
    for (let i = 0; i < 50 && (await t.request('GET', '/apis/velero.io/v1/namespaces/default/backups')).status !== 200; i++) await t.clock.advance(10);
    const backups = await t.request('GET', '/apis/velero.io/v1/namespaces/default/backups');
    assert.equal(backups.status, 200, backups.body);
    assert.equal(backups.json().kind, 'BackupList');
    assert.equal((await t.request('POST', '/skiff/v1/addons/nope')).status, 404);
    const denied = await t.request('POST', '/skiff/v1/addons/velero', { headers: { 'impersonate-user': 'jane' } });
    assert.equal(denied.status, 403);
  });
});

describe('deprecated API versions', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
    assert.equal((await t.request('POST', '/skiff/v1/addons/vpa')).status, 201);
    for (let i = 0; i < 50 && (await t.request('GET', '/apis/autoscaling.k8s.io/v1beta2/verticalpodautoscalers')).status !== 200; i++) await t.clock.advance(10);
  });
  after(() => t.stop());

  test('every response of a deprecated CRD version carries its Warning header', async () => {
    const old = await t.request('GET', '/apis/autoscaling.k8s.io/v1beta2/namespaces/default/verticalpodautoscalers');
    assert.equal(old.status, 200);
    // The CRD's own deprecationWarning text, as the VPA project declares it.
    assert.deepEqual(old.headers['Warning'], ['299 - "autoscaling.k8s.io/v1beta2 API is deprecated"']);
    const current = await t.request('GET', '/apis/autoscaling.k8s.io/v1/namespaces/default/verticalpodautoscalers');
    assert.equal(current.headers['Warning'], undefined);
  });
});
