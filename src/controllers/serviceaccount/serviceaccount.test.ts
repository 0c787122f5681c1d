import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../apiserver/testing.js';
import type { ConfigMap, Namespace, ServiceAccount } from '../../api/objects.js';
import { isNotFound, type ResourceClient, type RestClient } from '../../client/rest.js';
import { eventually } from '../../client/testing.js';
import { adminClient, testContext } from '../job/testing.js';
import { DESCRIPTION, ROOT_CA_CONFIGMAP, RootCACertPublisher } from './root-ca-publisher.js';
import { ServiceAccountsController } from './serviceaccounts-controller.js';
import { CONFIGMAPS, NAMESPACES, SERVICE_ACCOUNTS } from '../../client/refs.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIBskiff\n-----END CERTIFICATE-----\n';

describe('ServiceAccountsController and RootCACertPublisher', () => {
  let t: TestServer;
  let admin: RestClient;
  let sas: ResourceClient<ServiceAccount>;
  let cms: ResourceClient<ConfigMap>;
  let stop: AbortController;
  let logs: string[];

  beforeEach(async () => {
    t = await startTestServer();
    admin = adminClient(t);
    sas = admin.resource<ServiceAccount>(SERVICE_ACCOUNTS);
    cms = admin.resource<ConfigMap>(CONFIGMAPS);
    logs = [];
    const { ctx, informers } = testContext(t, logs);
    stop = new AbortController();
    new ServiceAccountsController(ctx).start(stop.signal);
    new RootCACertPublisher(ctx, { caPem: CA }).start(stop.signal);
    informers.start(stop.signal);
    await informers.waitForCacheSync();
  });
  afterEach(() => {
    stop.abort();
    t.stop();
  });

  const exists = (rc: ResourceClient, ns: string, name: string) =>
    rc
      .namespace(ns)
      .get(name)
      .then(
        () => true,
        (e) => (isNotFound(e) ? false : Promise.reject(e)),
      );

  test('every existing namespace gets a default ServiceAccount and the kube-root-ca.crt ConfigMap', async () => {
    const names = (await admin.resource<Namespace>(NAMESPACES).list()).items.map((n) => n.metadata.name!);
    assert.ok(names.includes('kube-system') && names.includes('default'));
    await eventually(async () => (await Promise.all(names.map((n) => exists(sas, n, 'default')))).every(Boolean), { clock: t.clock, stepMs: 50 });
    await eventually(async () => (await Promise.all(names.map((n) => exists(cms, n, ROOT_CA_CONFIGMAP)))).every(Boolean), { clock: t.clock, stepMs: 50 });
  });

  test('a new namespace gets both; the ConfigMap carries ca.crt and the upstream description', async () => {
    await admin.resource(NAMESPACES).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } });
    await eventually(async () => (await exists(sas, 'team-a', 'default')) && (await exists(cms, 'team-a', ROOT_CA_CONFIGMAP)), { clock: t.clock, stepMs: 50 });
    const cm = await cms.namespace('team-a').get(ROOT_CA_CONFIGMAP);
    assert.deepEqual(cm.data, { 'ca.crt': CA });
    assert.equal(cm.metadata.annotations?.['kubernetes.io/description'], DESCRIPTION);
    assert.match(DESCRIPTION, /^Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes\.default\.svc\. No other usage is guaranteed across distributions of Kubernetes clusters\.$/);
  });

  test('a deleted default ServiceAccount is re-created', async () => {
    await eventually(() => exists(sas, 'default', 'default'), { clock: t.clock, stepMs: 50 });
    const before = await sas.namespace('default').get('default');
    await sas.namespace('default').delete('default');
    await eventually(async () => (await exists(sas, 'default', 'default')) && (await sas.namespace('default').get('default')).metadata.uid !== before.metadata.uid, {
      clock: t.clock,
      stepMs: 50,
    });
  });

  test('an edited or deleted kube-root-ca.crt is put back', async () => {
    await eventually(() => exists(cms, 'default', ROOT_CA_CONFIGMAP), { clock: t.clock, stepMs: 50 });
    await cms.namespace('default').patch(ROOT_CA_CONFIGMAP, 'merge', { data: { 'ca.crt': 'tampered', extra: 'x' }, metadata: { annotations: null } });
    await eventually(
      async () => {
        const cm = await cms.namespace('default').get(ROOT_CA_CONFIGMAP);
        return cm.data?.['ca.crt'] === CA && !cm.data?.extra && cm.metadata.annotations?.['kubernetes.io/description'] === DESCRIPTION;
      },
      { clock: t.clock, stepMs: 50 },
    );
    await cms.namespace('default').delete(ROOT_CA_CONFIGMAP);
    await eventually(() => exists(cms, 'default', ROOT_CA_CONFIGMAP), { clock: t.clock, stepMs: 50 });
  });

  test('a Terminating namespace is left alone: no re-creation attempts, no retried errors', async () => {
    await admin.resource(NAMESPACES).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'leaving' } });
    await eventually(async () => (await exists(sas, 'leaving', 'default')) && (await exists(cms, 'leaving', ROOT_CA_CONFIGMAP)), { clock: t.clock, stepMs: 50 });
    await admin.resource(NAMESPACES).delete('leaving');
    await sas.namespace('leaving').delete('default');
    await cms.namespace('leaving').delete(ROOT_CA_CONFIGMAP);
    await t.clock.advance(5_000);
    assert.equal(await exists(sas, 'leaving', 'default'), false);
    assert.deepEqual(logs.filter((l) => /error syncing/.test(l)), []);
  });
});
