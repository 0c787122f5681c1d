import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../apiserver/testing.js';
import type { Namespace } from '../../api/objects.js';
import { isNotFound, type ResourceClient, type RestClient } from '../../client/rest.js';
import { eventually } from '../../client/testing.js';
import { adminClient, testContext } from '../job/testing.js';
import { NamespaceController } from './namespace-controller.js';
import { CONFIGMAPS, NAMESPACES, PODS } from '../../client/refs.js';

const CRDS = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions', namespaced: false, kind: 'CustomResourceDefinition' };
const WIDGETS = { group: 'example.com', version: 'v1', resource: 'widgets', namespaced: true, kind: 'Widget' };

describe('NamespaceController', () => {
  let t: TestServer;
  let admin: RestClient;
  let namespaces: ResourceClient<Namespace>;
  let stop: AbortController;

  beforeEach(async () => {
    t = await startTestServer();
    admin = adminClient(t);
    namespaces = admin.resource<Namespace>(NAMESPACES);
    const { ctx, informers } = testContext(t);
    stop = new AbortController();
    new NamespaceController(ctx).start(stop.signal);
    informers.start(stop.signal);
    await informers.waitForCacheSync();
  });
  afterEach(() => {
    stop.abort();
    t.stop();
  });

  const gone = async (rc: ResourceClient, name: string) => rc.get(name).then(() => false, (e) => (isNotFound(e) ? true : Promise.reject(e)));
  const conditions = (ns: Namespace) => Object.fromEntries((ns.status?.conditions ?? []).map((c) => [c.type, [c.status, c.reason, c.message]]));

  async function mkns(name: string): Promise<void> {
    await namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }

  test('deletes everything in a Terminating namespace, then finalizes it so it goes', async () => {
    await mkns('doomed');
    const cms = admin.resource(CONFIGMAPS).namespace('doomed');
    for (const n of ['a', 'b']) await cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: n } });
    await admin.resource(PODS).namespace('doomed').create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    await namespaces.delete('doomed');
    await eventually(() => gone(namespaces, 'doomed'), { clock: t.clock, stepMs: 100 });
    assert.deepEqual((await admin.resource(CONFIGMAPS).namespace('doomed').list()).items, []);
    assert.deepEqual((await admin.resource(PODS).namespace('doomed').list()).items, []);
  });

  test('without the controller a deleted namespace stays Terminating: the API server no longer drains it', async () => {
    stop.abort();
    await mkns('stuck');
    await namespaces.delete('stuck');
    await t.clock.advance(60_000);
    const ns = await namespaces.get('stuck');
    assert.equal(ns.status?.phase, 'Terminating');
    assert.deepEqual(ns.spec?.finalizers, ['kubernetes']);
  });

  test('content held by a finalizer keeps the namespace, with upstream conditions naming what remains', async () => {
    await mkns('held');
    const cms = admin.resource(CONFIGMAPS).namespace('held');
    await cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'sticky', finalizers: ['example.com/hold'] } });
    await cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'plain' } });
    await namespaces.delete('held');
    let ns!: Namespace;
    await eventually(
      async () => {
        ns = await namespaces.get('held');
        return conditions(ns).NamespaceContentRemaining?.[0] === 'True';
      },
      { clock: t.clock, stepMs: 100 },
    );
    assert.deepEqual(conditions(ns), {
      NamespaceDeletionDiscoveryFailure: ['False', 'ResourcesDiscovered', 'All resources successfully discovered'],
      NamespaceDeletionGroupVersionParsingFailure: ['False', 'ParsedGroupVersions', 'All legacy kube types successfully parsed'],
      NamespaceDeletionContentFailure: ['False', 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization'],
      NamespaceContentRemaining: ['True', 'SomeResourcesRemain', 'Some resources are remaining: configmaps. has 1 resource instances'],
      NamespaceFinalizersRemaining: ['True', 'SomeFinalizersRemain', 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances'],
    });
    assert.ok(await gone(cms, 'plain'));
    await t.clock.advance(60_000);
    assert.equal((await namespaces.get('held')).status?.phase, 'Terminating', 'still held');
    await cms.patch('sticky', 'merge', { metadata: { finalizers: null } });
    // Looked at again after about half the 15 s finalizer estimate.
    await eventually(() => gone(namespaces, 'held'), { clock: t.clock, stepMs: 1000, maxRounds: 30 });
  });

  test('custom resources are discovered and deleted too', async () => {
    await admin.resource(CRDS).create({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    });
    const widgets = admin.resource(WIDGETS).namespace('crs');
    await mkns('crs');
    await eventually(
      () =>
        widgets.create({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }).then(
          () => true,
          () => false,
        ),
      { clock: t.clock, stepMs: 50 },
    );
    await namespaces.delete('crs');
    await eventually(() => gone(namespaces, 'crs'), { clock: t.clock, stepMs: 100 });
    assert.ok(await gone(widgets, 'w'));
  });

  test('the default namespace content is untouched by deleting another namespace', async () => {
    await admin.resource(CONFIGMAPS).namespace('default').create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'keep' } });
    await mkns('other');
    await namespaces.delete('other');
    await eventually(() => gone(namespaces, 'other'), { clock: t.clock, stepMs: 100 });
    assert.equal(await gone(admin.resource(CONFIGMAPS).namespace('default'), 'keep'), false);
  });
});
