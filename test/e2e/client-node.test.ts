// The official JavaScript client, @kubernetes/client-node 1.4, unchanged against a real `skiff up`:
// it reads the kubeconfig skiff writes, and its typed APIs, patch formats, paging, Watch and
// informer must behave as they do against kube-apiserver.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  PatchStrategy,
  Watch,
  makeInformer,
  setHeaderOptions,
  type KubernetesObject,
  type V1ConfigMap,
} from '@kubernetes/client-node';
import { realClock } from '../../src/sim/clock.js';
import { SkiffProcess } from './harness.js';
import { startDroppingProxy, type DroppingProxy } from './tcp-proxy.js';

/** What an ApiException carries: the HTTP code and the Status body the server sent. */
interface StatusBody {
  code: number;
  reason: string;
  message: string;
  details?: { name?: string; kind?: string; causes?: { reason?: string; message?: string; field?: string }[] };
}

/** Runs fn, expects an ApiException, and returns its code and parsed Status body. */
async function apiError(fn: () => Promise<unknown>): Promise<StatusBody> {
  try {
    await fn();
  } catch (e) {
    const err = e as { code?: number; body?: unknown };
    assert.equal(typeof err.code, 'number', `not an ApiException: ${String(e)}`);
    const body = typeof err.body === 'string' ? JSON.parse(err.body) : err.body;
    return { ...(body as StatusBody), code: err.code! };
  }
  assert.fail('the request succeeded');
}

/** Polls cond every 50 ms until it is true or ms pass; returns its last value. */
async function eventually(cond: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = realClock.now() + ms;
  while (realClock.now() < deadline) {
    if (await cond()) return true;
    await realClock.sleep(50);
  }
  return cond();
}

/** Runs tasks with at most `width` in flight. */
async function inParallel<T>(tasks: (() => Promise<T>)[], width: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, tasks.length) }, async () => {
      while (next < tasks.length) {
        const i = next++;
        out[i] = await tasks[i]!();
      }
    }),
  );
  return out;
}

/** name → resourceVersion, sorted by name: what "the cache equals a list" compares. */
function versions(items: readonly KubernetesObject[]): [string, string][] {
  return items.map((o) => [o.metadata!.name!, o.metadata!.resourceVersion!] as [string, string]).sort((a, b) => a[0].localeCompare(b[0]));
}

const patchAs = (strategy: PatchStrategy) => setHeaderOptions('Content-Type', strategy);

describe('@kubernetes/client-node against skiff', () => {
  let skiff: SkiffProcess;
  let kc: KubeConfig;
  let core: CoreV1Api;
  let apps: AppsV1Api;

  before(async () => {
    skiff = await SkiffProcess.start();
    kc = new KubeConfig();
    kc.loadFromFile(skiff.kubeconfig);
    core = kc.makeApiClient(CoreV1Api);
    apps = kc.makeApiClient(AppsV1Api);
    for (const name of ['crud', 'patching', 'paging', 'watched', 'informed']) {
      await core.createNamespace({ body: { metadata: { name } } });
    }
  });
  after(async () => {
    await skiff?.destroy();
  });

  test('reads the kubeconfig skiff writes: one context, token auth, the CA embedded', async () => {
    assert.equal(kc.getCurrentContext(), 'skiff');
    assert.match(kc.getCurrentCluster()!.server, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(kc.getCurrentCluster()!.caData, 'certificate-authority-data');
    const names = (await core.listNamespace()).items.map((n) => n.metadata!.name);
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) assert.ok(names.includes(ns), ns);
  });

  // One row per kind: create, read, replace with the read resourceVersion, list by label, delete.
  const kinds: {
    kind: string;
    create: () => Promise<KubernetesObject>;
    read: () => Promise<KubernetesObject>;
    replace: (obj: any) => Promise<KubernetesObject>;
    list: (labelSelector: string) => Promise<{ items: KubernetesObject[] }>;
    remove: () => Promise<unknown>;
    /** Edits the read object before replace, and checks the replaced one. */
    edit: (obj: any) => void;
    check: (created: any, replaced: any) => void;
    notFound: string;
  }[] = [
    {
      kind: 'ConfigMap',
      create: () => core.createNamespacedConfigMap({ namespace: 'crud', body: { metadata: { name: 'cfg', labels: { suite: 'crud' } }, data: { color: 'blue' } } }),
      read: () => core.readNamespacedConfigMap({ namespace: 'crud', name: 'cfg' }),
      replace: (body) => core.replaceNamespacedConfigMap({ namespace: 'crud', name: 'cfg', body }),
      list: (labelSelector) => core.listNamespacedConfigMap({ namespace: 'crud', labelSelector }),
      remove: () => core.deleteNamespacedConfigMap({ namespace: 'crud', name: 'cfg' }),
      edit: (o) => (o.data.color = 'green'),
      check: (_c, r) => assert.deepEqual(r.data, { color: 'green' }),
      notFound: 'configmaps "cfg" not found',
    },
    {
      kind: 'Secret',
      create: () => core.createNamespacedSecret({ namespace: 'crud', body: { metadata: { name: 'creds', labels: { suite: 'crud' } }, stringData: { password: 's3cret' } } }),
      read: () => core.readNamespacedSecret({ namespace: 'crud', name: 'creds' }),
      replace: (body) => core.replaceNamespacedSecret({ namespace: 'crud', name: 'creds', body }),
      list: (labelSelector) => core.listNamespacedSecret({ namespace: 'crud', labelSelector }),
      remove: () => core.deleteNamespacedSecret({ namespace: 'crud', name: 'creds' }),
      edit: (o) => (o.data.user = Buffer.from('admin').toString('base64')),
      check: (c, r) => {
        // stringData is write-only: the server folds it into data and defaults the type.
        assert.equal(c.stringData, undefined);
        assert.equal(c.type, 'Opaque');
        assert.equal(Buffer.from(c.data.password, 'base64').toString(), 's3cret');
        assert.deepEqual(Object.keys(r.data).sort(), ['password', 'user']);
      },
      notFound: 'secrets "creds" not found',
    },
    {
      kind: 'Service',
      create: () =>
        core.createNamespacedService({
          namespace: 'crud',
          body: { metadata: { name: 'web', labels: { suite: 'crud' } }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } },
        }),
      read: () => core.readNamespacedService({ namespace: 'crud', name: 'web' }),
      replace: (body) => core.replaceNamespacedService({ namespace: 'crud', name: 'web', body }),
      list: (labelSelector) => core.listNamespacedService({ namespace: 'crud', labelSelector }),
      remove: () => core.deleteNamespacedService({ namespace: 'crud', name: 'web' }),
      edit: (o) => o.spec.ports.push({ name: 'metrics', port: 9090 }),
      check: (c, r) => {
        assert.equal(c.spec.type, 'ClusterIP');
        assert.match(c.spec.clusterIP, /^\d+\.\d+\.\d+\.\d+$/);
        // clusterIP survives a replace that carries it, and targetPort defaults to port.
        assert.equal(r.spec.clusterIP, c.spec.clusterIP);
        assert.equal(r.spec.ports[1].targetPort, 9090);
      },
      notFound: 'services "web" not found',
    },
    {
      kind: 'ServiceAccount',
      create: () => core.createNamespacedServiceAccount({ namespace: 'crud', body: { metadata: { name: 'robot', labels: { suite: 'crud' } } } }),
      read: () => core.readNamespacedServiceAccount({ namespace: 'crud', name: 'robot' }),
      replace: (body) => core.replaceNamespacedServiceAccount({ namespace: 'crud', name: 'robot', body }),
      list: (labelSelector) => core.listNamespacedServiceAccount({ namespace: 'crud', labelSelector }),
      remove: () => core.deleteNamespacedServiceAccount({ namespace: 'crud', name: 'robot' }),
      edit: (o) => (o.automountServiceAccountToken = false),
      check: (_c, r) => assert.equal(r.automountServiceAccountToken, false),
      notFound: 'serviceaccounts "robot" not found',
    },
    {
      kind: 'Deployment',
      create: () =>
        apps.createNamespacedDeployment({
          namespace: 'crud',
          body: {
            metadata: { name: 'api', labels: { suite: 'crud' } },
            spec: {
              replicas: 2,
              selector: { matchLabels: { app: 'api' } },
              template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'nginx:1.27' }] } },
            },
          },
        }),
      read: () => apps.readNamespacedDeployment({ namespace: 'crud', name: 'api' }),
      replace: (body) => apps.replaceNamespacedDeployment({ namespace: 'crud', name: 'api', body }),
      list: (labelSelector) => apps.listNamespacedDeployment({ namespace: 'crud', labelSelector }),
      remove: () => apps.deleteNamespacedDeployment({ namespace: 'crud', name: 'api' }),
      edit: (o) => (o.spec.template.spec.containers[0].image = 'nginx:1.28'),
      check: (c, r) => {
        assert.equal(c.metadata.generation, 1);
        assert.equal(c.spec.strategy.type, 'RollingUpdate');
        // A template change is a spec change: generation moves on.
        assert.equal(r.metadata.generation, 2);
        assert.equal(r.spec.template.spec.containers[0].image, 'nginx:1.28');
      },
      notFound: 'deployments.apps "api" not found',
    },
    {
      kind: 'StatefulSet',
      create: () =>
        apps.createNamespacedStatefulSet({
          namespace: 'crud',
          body: {
            metadata: { name: 'db', labels: { suite: 'crud' } },
            spec: {
              serviceName: 'db',
              selector: { matchLabels: { app: 'db' } },
              template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'pg', image: 'postgres:16' }] } },
            },
          },
        }),
      read: () => apps.readNamespacedStatefulSet({ namespace: 'crud', name: 'db' }),
      replace: (body) => apps.replaceNamespacedStatefulSet({ namespace: 'crud', name: 'db', body }),
      list: (labelSelector) => apps.listNamespacedStatefulSet({ namespace: 'crud', labelSelector }),
      remove: () => apps.deleteNamespacedStatefulSet({ namespace: 'crud', name: 'db' }),
      edit: (o) => (o.spec.replicas = 3),
      check: (c, r) => {
        assert.equal(c.spec.replicas, 1);
        assert.equal(c.spec.podManagementPolicy, 'OrderedReady');
        assert.equal(r.spec.replicas, 3);
      },
      notFound: 'statefulsets.apps "db" not found',
    },
  ];

  for (const k of kinds) {
    test(`${k.kind}: create, read, replace, list by label and delete through the typed API`, async () => {
      const created: any = await k.create();
      assert.match(created.metadata.uid, /^[0-9a-f-]{36}$/);
      assert.match(created.metadata.resourceVersion, /^\d+$/);
      assert.ok(created.metadata.creationTimestamp instanceof Date, 'creationTimestamp deserializes to a Date');

      // Controllers write status behind our back (a Deployment's, a StatefulSet's), so the edit is
      // retried on conflict, as client-go's retry.RetryOnConflict does.
      let read: any;
      let replaced: any;
      for (let attempt = 0; ; attempt++) {
        read = await k.read();
        assert.ok(Number(read.metadata.resourceVersion) >= Number(created.metadata.resourceVersion));
        k.edit(read);
        try {
          replaced = await k.replace(read);
          break;
        } catch (e) {
          if (attempt >= 20 || (e as { code?: number }).code !== 409) throw e;
        }
      }
      assert.ok(Number(replaced.metadata.resourceVersion) > Number(created.metadata.resourceVersion));
      assert.equal(replaced.metadata.uid, created.metadata.uid);
      k.check(created, replaced);

      // Replacing with the now stale resourceVersion is the optimistic-concurrency conflict.
      const conflict = await apiError(() => k.replace(read));
      assert.equal(conflict.code, 409);
      assert.equal(conflict.reason, 'Conflict');
      assert.match(conflict.message, /^Operation cannot be fulfilled on .+: the object has been modified; please apply your changes to the latest version and try again$/);

      assert.deepEqual((await k.list('suite=crud')).items.map((o) => o.metadata!.name), [created.metadata.name]);
      assert.deepEqual((await k.list('suite=other')).items, []);

      await k.remove();
      const gone = await apiError(k.read);
      assert.equal(gone.code, 404);
      assert.equal(gone.reason, 'NotFound');
      assert.equal(gone.message, k.notFound);
    });
  }

  test('a cluster-scoped Namespace: create, read, label by patch, delete to Terminating or gone', async () => {
    const ns = await core.createNamespace({ body: { metadata: { name: 'short-lived' } } });
    assert.equal(ns.status?.phase, 'Active');
    const patched = await core.patchNamespace(
      { name: 'short-lived', body: { metadata: { labels: { team: 'a' } } } },
      patchAs(PatchStrategy.MergePatch),
    );
    assert.equal(patched.metadata?.labels?.team, 'a');
    assert.equal(patched.metadata?.labels?.['kubernetes.io/metadata.name'], 'short-lived');
    await core.deleteNamespace({ name: 'short-lived' });
    const after = await core.readNamespace({ name: 'short-lived' }).catch((e) => e as { code: number });
    if ('code' in after) assert.equal(after.code, 404);
    else assert.equal(after.status?.phase, 'Terminating');
  });

  describe('patch in every format client-node sends', () => {
    before(async () => {
      await core.createNamespacedConfigMap({ namespace: 'patching', body: { metadata: { name: 'p' }, data: { a: '1' } } });
      await apps.createNamespacedDeployment({
        namespace: 'patching',
        body: {
          metadata: { name: 'web' },
          spec: {
            selector: { matchLabels: { app: 'web' } },
            template: {
              metadata: { labels: { app: 'web' } },
              spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }, { name: 'sidecar', image: 'envoy:1.30' }] },
            },
          },
        },
      });
    });

    test('a JSON patch (application/json-patch+json) applies its operations in order', async () => {
      const out = await core.patchNamespacedConfigMap(
        {
          namespace: 'patching',
          name: 'p',
          body: [
            { op: 'add', path: '/data/b', value: '2' },
            { op: 'replace', path: '/data/a', value: 'one' },
            { op: 'test', path: '/data/b', value: '2' },
            { op: 'add', path: '/metadata/labels', value: { via: 'json-patch' } },
          ],
        },
        patchAs(PatchStrategy.JsonPatch),
      );
      assert.deepEqual(out.data, { a: 'one', b: '2' });
      assert.deepEqual(out.metadata?.labels, { via: 'json-patch' });
    });

    test('client-node sends a JSON patch when no patch strategy is set', async () => {
      const out = await core.patchNamespacedConfigMap({ namespace: 'patching', name: 'p', body: [{ op: 'remove', path: '/data/b' }] });
      assert.deepEqual(out.data, { a: 'one' });
    });

    test('a failing JSON patch test operation is 422 Invalid with the generic message, as kube-apiserver answers', async () => {
      const err = await apiError(() =>
        core.patchNamespacedConfigMap({ namespace: 'patching', name: 'p', body: [{ op: 'test', path: '/data/a', value: 'nope' }] }, patchAs(PatchStrategy.JsonPatch)),
      );
      assert.equal(err.code, 422);
      assert.equal(err.reason, 'Invalid');
      assert.equal(err.message, 'the server rejected our request due to an error in our request');
      // patch.go calls NewGenericServerResponse(422, ..., isUnexpectedResponse=false): no causes.
      assert.equal(err.details?.causes, undefined);
    });

    test('a merge patch (application/merge-patch+json) merges maps and deletes keys set to null', async () => {
      const out = await core.patchNamespacedConfigMap(
        { namespace: 'patching', name: 'p', body: { data: { a: null, c: '3' }, metadata: { annotations: { note: 'merged' } } } },
        patchAs(PatchStrategy.MergePatch),
      );
      assert.deepEqual(out.data, { c: '3' });
      assert.equal(out.metadata?.annotations?.note, 'merged');
    });

    test('a strategic merge patch merges containers by name; a merge patch replaces the list', async () => {
      const smp = await apps.patchNamespacedDeployment(
        { namespace: 'patching', name: 'web', body: { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.28' }] } } } } },
        patchAs(PatchStrategy.StrategicMergePatch),
      );
      assert.deepEqual(
        smp.spec?.template.spec?.containers.map((c) => `${c.name}=${c.image}`),
        ['nginx=nginx:1.28', 'sidecar=envoy:1.30'],
      );
      assert.equal(smp.metadata?.generation, 2);

      const removed = await apps.patchNamespacedDeployment(
        { namespace: 'patching', name: 'web', body: { spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } } } },
        patchAs(PatchStrategy.StrategicMergePatch),
      );
      assert.deepEqual(removed.spec?.template.spec?.containers.map((c) => c.name), ['nginx']);

      const merge = await apps.patchNamespacedDeployment(
        { namespace: 'patching', name: 'web', body: { spec: { template: { spec: { containers: [{ name: 'only', image: 'busybox' }] } } } } },
        patchAs(PatchStrategy.MergePatch),
      );
      assert.deepEqual(merge.spec?.template.spec?.containers.map((c) => c.name), ['only']);
      // Defaults apply to the patched result as to a create.
      assert.equal(merge.spec?.template.spec?.containers[0]?.terminationMessagePath, '/dev/termination-log');
    });

    test('a patch through the scale subresource changes spec.replicas', async () => {
      const scale = await apps.patchNamespacedDeploymentScale(
        { namespace: 'patching', name: 'web', body: { spec: { replicas: 4 } } },
        patchAs(PatchStrategy.MergePatch),
      );
      assert.equal(scale.kind, 'Scale');
      assert.equal(scale.spec?.replicas, 4);
      assert.equal((await apps.readNamespacedDeployment({ namespace: 'patching', name: 'web' })).spec?.replicas, 4);
    });
  });

  test('lists by label selector and pages through one consistent snapshot with limit and continue', async () => {
    for (let i = 0; i < 25; i++) {
      await core.createNamespacedConfigMap({
        namespace: 'paging',
        body: { metadata: { name: `page-${String(i).padStart(2, '0')}`, labels: { tier: 'page', parity: i % 2 ? 'odd' : 'even' } } },
      });
    }
    for (let i = 0; i < 5; i++) {
      await core.createNamespacedConfigMap({ namespace: 'paging', body: { metadata: { name: `other-${i}`, labels: { tier: 'other' } } } });
    }
    const selected = (sel: string) => core.listNamespacedConfigMap({ namespace: 'paging', labelSelector: sel }).then((l) => l.items.length);
    assert.equal(await selected('tier=page'), 25);
    assert.equal(await selected('tier=page,parity=odd'), 12);
    assert.equal(await selected('tier in (page,other),parity!=odd'), 18);
    // (kube-root-ca.crt, published into every namespace, has no tier label.)
    assert.equal(await selected('tier,!parity'), 5);

    const first = await core.listNamespacedConfigMap({ namespace: 'paging', labelSelector: 'tier=page', limit: 10 });
    assert.equal(first.items.length, 10);
    assert.ok(first.metadata?._continue, 'a continue token');
    // With a selector the server cannot count what remains, so it leaves remainingItemCount out.
    assert.equal(first.metadata?.remainingItemCount, undefined);
    // A write after the first page does not show up in later pages: they come from the same revision.
    await core.createNamespacedConfigMap({ namespace: 'paging', body: { metadata: { name: 'page-99', labels: { tier: 'page' } } } });
    const names = first.items.map((o) => o.metadata!.name!);
    let token: string | undefined = first.metadata?._continue;
    while (token) {
      const page = await core.listNamespacedConfigMap({ namespace: 'paging', labelSelector: 'tier=page', limit: 10, _continue: token });
      assert.equal(page.metadata?.resourceVersion, first.metadata?.resourceVersion);
      names.push(...page.items.map((o) => o.metadata!.name!));
      token = page.metadata?._continue;
    }
    assert.deepEqual(names, Array.from({ length: 25 }, (_, i) => `page-${String(i).padStart(2, '0')}`));

    const all = (await core.listNamespacedConfigMap({ namespace: 'paging' })).items.length;
    const unselected = await core.listNamespacedConfigMap({ namespace: 'paging', limit: 7 });
    assert.equal(unselected.items.length, 7);
    assert.equal(unselected.metadata?.remainingItemCount, all - 7);
  });

  test('Watch delivers ADDED, MODIFIED and DELETED in order, and selector transitions', async () => {
    await core.createNamespacedConfigMap({ namespace: 'watched', body: { metadata: { name: 'before', labels: { w: 'yes' } } } });
    const events: string[] = [];
    const rvs: number[] = [];
    let ended: unknown = 'not yet';
    const watch = new Watch(kc);
    const req = await watch.watch(
      '/api/v1/namespaces/watched/configmaps',
      { labelSelector: 'w=yes' },
      (type, obj: V1ConfigMap) => {
        events.push(`${type} ${obj.metadata?.name} ${JSON.stringify(obj.data ?? {})}`);
        rvs.push(Number(obj.metadata?.resourceVersion));
      },
      (err) => (ended = err),
    );
    // No resourceVersion: the watch starts with the current state as ADDED.
    assert.ok(await eventually(() => events.length === 1, 5_000), 'initial ADDED');
    await core.createNamespacedConfigMap({ namespace: 'watched', body: { metadata: { name: 'w', labels: { w: 'yes' } }, data: { n: '0' } } });
    await core.createNamespacedConfigMap({ namespace: 'watched', body: { metadata: { name: 'unselected' } } });
    for (let n = 1; n <= 3; n++) {
      await core.patchNamespacedConfigMap({ namespace: 'watched', name: 'w', body: { data: { n: String(n) } } }, patchAs(PatchStrategy.MergePatch));
    }
    // Leaving the selector is DELETED for this watcher, coming back is ADDED.
    await core.patchNamespacedConfigMap({ namespace: 'watched', name: 'w', body: { metadata: { labels: { w: 'no' } } } }, patchAs(PatchStrategy.MergePatch));
    await core.patchNamespacedConfigMap({ namespace: 'watched', name: 'w', body: { metadata: { labels: { w: 'yes' } } } }, patchAs(PatchStrategy.MergePatch));
    await core.deleteNamespacedConfigMap({ namespace: 'watched', name: 'w' });
    assert.ok(await eventually(() => events.length >= 8, 5_000), `got ${events.join(', ')}`);
    req.abort();
    assert.deepEqual(events, [
      'ADDED before {}',
      'ADDED w {"n":"0"}',
      'MODIFIED w {"n":"1"}',
      'MODIFIED w {"n":"2"}',
      'MODIFIED w {"n":"3"}',
      'DELETED w {"n":"3"}',
      'ADDED w {"n":"3"}',
      'DELETED w {"n":"3"}',
    ]);
    assert.deepEqual(rvs.slice(1), [...rvs.slice(1)].sort((a, b) => a - b), 'resourceVersions only grow');
    assert.ok(await eventually(() => ended !== 'not yet', 2_000), 'done called after abort');
  });

  test('Watch from a resourceVersion replays what happened since, and ends after timeoutSeconds', async () => {
    const start = await core.listNamespacedConfigMap({ namespace: 'watched' });
    await core.createNamespacedConfigMap({ namespace: 'watched', body: { metadata: { name: 'late' } } });
    await core.deleteNamespacedConfigMap({ namespace: 'watched', name: 'late' });
    const events: string[] = [];
    let ended: unknown = 'not yet';
    await new Watch(kc).watch(
      '/api/v1/namespaces/watched/configmaps',
      { resourceVersion: start.metadata!.resourceVersion, timeoutSeconds: 1 },
      (type, obj: KubernetesObject) => events.push(`${type} ${obj.metadata?.name}`),
      (err) => (ended = err),
    );
    assert.ok(await eventually(() => ended !== 'not yet', 5_000), 'the server ends the watch');
    assert.equal(ended, null, 'a clean end, not an error');
    assert.deepEqual(events, ['ADDED late', 'DELETED late']);
  });

  describe('an informer under 1,000 concurrent updates, its watch broken again and again', () => {
    const NS = 'informed';
    const OBJECTS = 50;
    const UPDATES = 1_000;
    const SET = { set: 'informer' };
    // In flight at once: client-node opens one TLS connection per request, and a default soft limit of
    // 1,024 open files per process bounds how many skiff and this test may hold.
    const WIDTH = 100;
    let proxy: DroppingProxy;

    before(async () => {
      const server = new URL(kc.getCurrentCluster()!.server);
      proxy = await startDroppingProxy(server.hostname, Number(server.port));
    });
    after(async () => {
      await proxy?.close();
    });

    test('its cache equals a fresh list afterwards: same names, same resourceVersions', async (t) => {
      for (let i = 0; i < OBJECTS; i++) {
        await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: `obj-${i}`, labels: SET }, data: { n: '0' } } });
      }
      // The informer talks to skiff through the proxy; the writers talk to skiff directly.
      const viaProxy = new KubeConfig();
      viaProxy.loadFromOptions({
        clusters: kc.clusters.map((c) => ({ ...c, server: `https://127.0.0.1:${proxy.port}` })),
        users: kc.users,
        contexts: kc.contexts,
        currentContext: kc.currentContext,
      });
      const proxiedCore = viaProxy.makeApiClient(CoreV1Api);
      // Watches are broken two ways, as in production:
      // - cleanly by the server: timeoutSeconds=1 in the watch path (client-node's Watch appends its own
      //   query to the path's), so every second skiff ends the stream and the informer re-watches from
      //   its last resourceVersion by itself;
      // - abruptly: the proxy resets every connection every 1.5 s (list or watch, mid-stream). client-node's
      //   informer then reports 'error' and stops, and the application restarts it, as client-node's README
      //   shows; it resumes from its last resourceVersion (no relist) since nothing was compacted.
      // The label selector keeps out what controllers may add to every namespace (kube-root-ca.crt).
      const informer = makeInformer(
        viaProxy,
        `/api/v1/namespaces/${NS}/configmaps?timeoutSeconds=1`,
        () => proxiedCore.listNamespacedConfigMap({ namespace: NS, labelSelector: 'set=informer' }),
        'set=informer',
      );
      let connects = 0;
      let errors = 0;
      let stopping = false;
      const deleted = new Set<string>();
      informer.on('connect', () => connects++);
      informer.on('delete', (o) => deleted.add(o.metadata!.name!));
      informer.on('error', () => {
        errors++;
        if (!stopping) realClock.setTimeout(() => void (stopping || informer.start()), 20);
      });
      await informer.start();
      assert.ok(await eventually(() => informer.list(NS).length === OBJECTS, 5_000), 'the first list fills the cache');

      const dropper = realClock.setInterval(() => proxy.dropAll(), 1_500);
      try {
        // 1,000 merge patches spread over the objects, 100 in flight at a time, while 10 objects are
        // deleted and 10 created: the informer must see adds, updates and deletes across reconnects.
        const updates = Array.from({ length: UPDATES }, (_, i) => () =>
          core.patchNamespacedConfigMap({ namespace: NS, name: `obj-${i % OBJECTS}`, body: { data: { n: String(i) } } }, patchAs(PatchStrategy.MergePatch)),
        );
        const churn = Array.from({ length: 10 }, (_, i) => [
          () => core.deleteNamespacedConfigMap({ namespace: NS, name: `obj-${OBJECTS - 1 - i}` }),
          () => core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: `new-${i}`, labels: SET } } }),
        ]).flat();
        const writes: (() => Promise<unknown>)[] = [];
        updates.forEach((u, i) => {
          writes.push(u);
          if (i % 50 === 25 && churn.length) writes.push(churn.shift()!);
        });
        writes.push(...churn);
        // Patches to objects already deleted fail with 404; everything else must succeed.
        const results = await inParallel(
          writes.map((w) => () => w().then(() => 'ok', (e: { code?: number }) => `error ${e.code}`)),
          WIDTH,
        );
        const failures = results.filter((r) => r !== 'ok');
        assert.ok(failures.every((f) => f === 'error 404'), failures.join(', '));
        // Keep breaking the watch for a moment after the last write, so the end state also arrives over a
        // fresh connection (and, with the server idle again, at least one watch runs to its timeout).
        await realClock.sleep(2_000);
      } finally {
        realClock.clearInterval(dropper);
      }

      const fresh = await core.listNamespacedConfigMap({ namespace: NS, labelSelector: 'set=informer' });
      const settled = await eventually(() => JSON.stringify(versions(informer.list(NS))) === JSON.stringify(versions(fresh.items)), 10_000);
      const [connected, broken] = [connects, errors];
      stopping = true;
      await informer.stop();
      t.diagnostic(`${connected} connects, ${broken} broken by the proxy (${proxy.dropped} connections cut), ${deleted.size} deletes seen`);
      assert.deepEqual(versions(informer.list(NS)), versions(fresh.items), 'informer cache vs. a fresh list');
      assert.ok(settled);
      assert.equal(fresh.items.length, OBJECTS);
      for (let i = 0; i < 10; i++) assert.ok(deleted.has(`obj-${OBJECTS - 1 - i}`), `delete seen for obj-${OBJECTS - 1 - i}`);
      assert.ok(proxy.dropped >= 2, `the proxy cut ${proxy.dropped} connections`);
      assert.ok(broken >= 1, `the informer saw ${broken} broken connections`);
      assert.ok(connected - broken >= 2, `the informer reconnected after ${connected - broken - 1} clean server-side ends`);
    });
  });
});
