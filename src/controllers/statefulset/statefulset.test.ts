import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ControllerRevision, Event, PersistentVolumeClaim, Pod, StatefulSet } from '../../api/objects.js';
import { startTestServer, type TestServer } from '../../apiserver/testing.js';
import { SharedInformerFactory } from '../../client/informer.js';
import { RestClient, isNotFound, type ResourceClient } from '../../client/rest.js';
import { eventually } from '../../client/testing.js';
import { InProcessTransport } from '../../client/transport.js';
import { rfc3339 } from '../../sim/clock.js';
import type { ControllerContext } from '../context.js';
import { StatefulSetController } from './statefulset.js';
import { CONTROLLER_REVISIONS, EVENTS, PODS, PVCS, STATEFULSETS } from '../../client/refs.js';

function sts(name: string, spec: Partial<NonNullable<StatefulSet['spec']>> = {}, image = 'postgres:16'): StatefulSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: 'default' },
    spec: {
      serviceName: name,
      replicas: 3,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'db', image }] } },
      ...spec,
    },
  };
}

describe('StatefulSetController', () => {
  let t: TestServer;
  let client: RestClient;
  let stop: AbortController;
  let sets: ResourceClient<StatefulSet>;
  let pods: ResourceClient<Pod>;
  let pvcs: ResourceClient<PersistentVolumeClaim>;
  let revisions: ResourceClient<ControllerRevision>;
  let logs: string[];
  let ctrl: StatefulSetController;

  async function startController(opts: ConstructorParameters<typeof StatefulSetController>[1] = {}): Promise<void> {
    const informers = new SharedInformerFactory({ client, clock: t.clock });
    const ctx: ControllerContext = {
      clock: t.clock,
      informers,
      clientFor: (sa) =>
        new RestClient(
          new InProcessTransport(t.server, { username: `system:serviceaccount:kube-system:${sa}`, groups: ['system:serviceaccounts', 'system:masters', 'system:authenticated'] }),
        ),
      log: (m, e) => logs.push(e === undefined ? m : `${m}: ${String(e)}`),
    };
    ctrl = new StatefulSetController(ctx, opts);
    informers.start(stop.signal);
    ctrl.start(stop.signal);
    await informers.waitForCacheSync();
  }

  beforeEach(async () => {
    t = await startTestServer();
    client = new RestClient(new InProcessTransport(t.server, { username: 'kubernetes-admin', groups: ['system:masters'] }));
    sets = client.resource<StatefulSet>(STATEFULSETS).namespace('default');
    pods = client.resource<Pod>(PODS).namespace('default');
    pvcs = client.resource<PersistentVolumeClaim>(PVCS).namespace('default');
    revisions = client.resource<ControllerRevision>(CONTROLLER_REVISIONS).namespace('default');
    stop = new AbortController();
    logs = [];
  });
  afterEach(() => {
    stop.abort();
    t.stop();
  });

  const names = async (selector?: string) => (await pods.list({ labelSelector: selector })).items.map((p) => p.metadata.name!).sort();

  /** Plays scheduler and kubelet: binds the pod and reports it Running and Ready. */
  async function runPod(name: string, node = 'node-1'): Promise<void> {
    const pod = await pods.get(name);
    if (!pod.spec?.nodeName) await pods.createSubresource(name, 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { kind: 'Node', name: node } });
    const fresh = await pods.get(name);
    const now = rfc3339(t.clock.now());
    fresh.status = { ...fresh.status, phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] };
    await pods.updateStatus(fresh);
  }

  /** Plays the kubelet finishing a graceful deletion. */
  async function finishTerminating(): Promise<void> {
    for (const p of (await pods.list()).items) {
      if (p.metadata.deletionTimestamp) {
        try {
          await pods.delete(p.metadata.name!, { gracePeriodSeconds: 0 });
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
      }
    }
  }

  async function until(cond: () => Promise<boolean>, describe: () => string = () => logs.join(' | ')): Promise<void> {
    await eventually(cond, { clock: t.clock, stepMs: 50, maxRounds: 400, describe });
  }

  async function events(): Promise<Event[]> {
    return (await client.resource<Event>(EVENTS).namespace('default').list()).items;
  }

  test('OrderedReady: creates postgres-1 only once postgres-0 is Running and Ready, and so on', async () => {
    await startController();
    await sets.create(sts('postgres'));
    await until(async () => (await names()).length === 1);
    assert.deepEqual(await names(), ['postgres-0']);
    // Time passes; with postgres-0 not ready nothing more is created.
    await t.clock.advance(5_000);
    await ctrl.whenIdle();
    assert.deepEqual(await names(), ['postgres-0']);

    await runPod('postgres-0');
    await until(async () => (await names()).length === 2);
    assert.deepEqual(await names(), ['postgres-0', 'postgres-1']);
    await t.clock.advance(2_000);
    assert.deepEqual(await names(), ['postgres-0', 'postgres-1']);

    await runPod('postgres-1');
    await until(async () => (await names()).length === 3);
    await runPod('postgres-2');
    await until(async () => (await sets.get('postgres')).status?.readyReplicas === 3);
    const st = (await sets.get('postgres')).status!;
    assert.equal(st.replicas, 3);
    assert.equal(st.availableReplicas, 3);
    assert.equal(st.currentReplicas, 3);
    assert.equal(st.updatedReplicas, 3);
    assert.equal(st.observedGeneration, 1);
    assert.equal(st.currentRevision, st.updateRevision);
    assert.match(st.currentRevision!, /^postgres-[bcdfghjklmnpqrstvwxz2456789]+$/);
  });

  test('pods carry identity: pod-name, pod-index and revision labels, hostname, subdomain, controller ref', async () => {
    await startController();
    const created = await sets.create(sts('web', { replicas: 1 }));
    await until(async () => (await names()).length === 1);
    const pod = await pods.get('web-0');
    const set = await sets.get('web');
    assert.equal(pod.metadata.labels?.['statefulset.kubernetes.io/pod-name'], 'web-0');
    assert.equal(pod.metadata.labels?.['apps.kubernetes.io/pod-index'], '0');
    assert.equal(pod.metadata.labels?.['controller-revision-hash'], set.status?.updateRevision);
    assert.equal(pod.metadata.labels?.app, 'web');
    assert.equal(pod.metadata.generateName, 'web-');
    assert.equal(pod.spec?.hostname, 'web-0');
    assert.equal(pod.spec?.subdomain, 'web');
    assert.deepEqual(pod.metadata.ownerReferences, [
      { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: created.metadata.uid, controller: true, blockOwnerDeletion: true },
    ]);
    const rev = await revisions.get(set.status!.updateRevision!);
    assert.equal(rev.revision, 1);
    assert.equal(rev.metadata.labels?.app, 'web');
    assert.ok(rev.metadata.labels?.['controller.kubernetes.io/hash']);
    assert.equal(rev.metadata.ownerReferences?.[0]?.uid, created.metadata.uid);
    const data = rev.data as { spec: { template: Record<string, unknown> } };
    assert.equal(data.spec.template.$patch, 'replace');
    await until(async () => (await events()).some((e) => e.reason === 'SuccessfulCreate' && e.message === 'create Pod web-0 in StatefulSet web successful'));
  });

  test('spec.ordinals.start numbers pods from the start ordinal', async () => {
    await startController();
    await sets.create(sts('kafka', { replicas: 2, podManagementPolicy: 'Parallel', ordinals: { start: 5 } }));
    await until(async () => (await names()).length === 2);
    assert.deepEqual(await names(), ['kafka-5', 'kafka-6']);
    assert.equal((await pods.get('kafka-6')).metadata.labels?.['apps.kubernetes.io/pod-index'], '6');
  });

  test('Parallel creates every pod at once, without waiting for readiness', async () => {
    await startController();
    await sets.create(sts('cache', { replicas: 4, podManagementPolicy: 'Parallel' }));
    await until(async () => (await names()).length === 4);
    assert.deepEqual(await names(), ['cache-0', 'cache-1', 'cache-2', 'cache-3']);
  });

  test('volumeClaimTemplates: claims named <template>-<set>-<ordinal> exist before their pods, with the template and selector labels', async () => {
    await startController();
    // Record the order in which claims and pods appear.
    // The resourceVersion of each ADDED event orders creations across both resources.
    const createdAt = new Map<string, number>();
    const rv = String(t.store.currentRevision());
    const pw = await pods.watch({ resourceVersion: rv });
    const cw = await pvcs.watch({ resourceVersion: rv });
    for (const [w, prefix] of [
      [pw, 'pod'],
      [cw, 'pvc'],
    ] as const) {
      void (async () => {
        for await (const ev of w) if (ev.type === 'ADDED') createdAt.set(`${prefix}/${ev.object.metadata.name}`, Number(ev.object.metadata.resourceVersion));
      })();
    }
    const spec = sts('postgres', {
      replicas: 2,
      volumeClaimTemplates: [
        { metadata: { name: 'storage', labels: { tier: 'db' } }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } } },
      ],
    });
    await sets.create(spec);
    await until(async () => (await names()).length === 1);
    const claim = await pvcs.get('storage-postgres-0');
    assert.deepEqual(claim.metadata.labels, { tier: 'db', app: 'postgres' });
    assert.equal(claim.spec?.resources?.requests?.storage, '10Gi');
    assert.equal(claim.metadata.ownerReferences, undefined, 'Retain/Retain: no owner references');
    const pod = await pods.get('postgres-0');
    assert.deepEqual(
      pod.spec?.volumes?.find((v) => v.name === 'storage'),
      { name: 'storage', persistentVolumeClaim: { claimName: 'storage-postgres-0' } },
    );
    await runPod('postgres-0');
    await until(async () => (await names()).length === 2);
    await until(async () => createdAt.size >= 4);
    pw.close();
    cw.close();
    const at = (k: string) => createdAt.get(k) ?? NaN;
    assert.ok(at('pvc/storage-postgres-0') < at('pod/postgres-0'), JSON.stringify([...createdAt]));
    assert.ok(at('pvc/storage-postgres-1') < at('pod/postgres-1'), JSON.stringify([...createdAt]));
    await until(async () =>
      (await events()).some((e) => e.reason === 'SuccessfulCreate' && e.message === 'create Claim storage-postgres-0 Pod postgres-0 in StatefulSet postgres success'),
    );
  });

  test('persistentVolumeClaimRetentionPolicy WhenDeleted=Delete: claims get the set as controller', async () => {
    await startController();
    const set = await sets.create(
      sts('pg', {
        replicas: 1,
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' },
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      }),
    );
    await until(async () => (await names()).length === 1);
    await runPod('pg-0');
    await until(async () => ((await pvcs.get('data-pg-0')).metadata.ownerReferences ?? []).some((r) => r.uid === set.metadata.uid));
    const refs = (await pvcs.get('data-pg-0')).metadata.ownerReferences!;
    assert.deepEqual(refs, [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'pg', uid: set.metadata.uid, controller: true, blockOwnerDeletion: true }]);
  });

  test('OrderedReady scale-down deletes from the highest ordinal, one at a time', async () => {
    await startController();
    await sets.create(sts('zk', { replicas: 3, podManagementPolicy: 'Parallel' }));
    await until(async () => (await names()).length === 3);
    for (const n of ['zk-0', 'zk-1', 'zk-2']) await runPod(n);
    await until(async () => (await sets.get('zk')).status?.readyReplicas === 3);
    const set = await sets.get('zk');
    set.spec!.replicas = 1;
    set.spec!.podManagementPolicy = 'Parallel'; // immutable, unchanged
    await sets.update(set);
    await until(async () => (await pods.list()).items.some((p) => p.metadata.deletionTimestamp));
    const terminating = (await pods.list()).items.filter((p) => p.metadata.deletionTimestamp).map((p) => p.metadata.name);
    // Parallel: both condemned pods go at once.
    assert.deepEqual(terminating.sort(), ['zk-1', 'zk-2']);
  });

  test('OrderedReady scale-down waits for each pod to be gone before the next', async () => {
    await startController();
    await sets.create(sts('etcd', { replicas: 3 }));
    for (const n of ['etcd-0', 'etcd-1', 'etcd-2']) {
      await until(async () => (await names()).includes(n));
      await runPod(n);
    }
    await until(async () => (await sets.get('etcd')).status?.readyReplicas === 3);
    const set = await sets.get('etcd');
    set.spec!.replicas = 1;
    await sets.update(set);
    await until(async () => !!(await pods.get('etcd-2')).metadata.deletionTimestamp);
    await t.clock.advance(2_000);
    await ctrl.whenIdle();
    assert.equal((await pods.get('etcd-1')).metadata.deletionTimestamp, undefined, 'etcd-1 waits while etcd-2 terminates');
    await finishTerminating();
    await until(async () => (await pods.list()).items.some((p) => p.metadata.name === 'etcd-1' && p.metadata.deletionTimestamp));
    await finishTerminating();
    await until(async () => (await names()).join() === 'etcd-0');
    await until(async () =>
      (await events()).some((e) => e.reason === 'SuccessfulDelete' && e.message === 'delete Pod etcd-2 in StatefulSet etcd successful'),
    );
  });

  test('RollingUpdate with partition updates only ordinals >= partition, highest first, and records the new revision', async () => {
    await startController();
    await sets.create(sts('db', { replicas: 3, podManagementPolicy: 'Parallel', updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }));
    await until(async () => (await names()).length === 3);
    for (const n of ['db-0', 'db-1', 'db-2']) await runPod(n);
    await until(async () => (await sets.get('db')).status?.readyReplicas === 3);
    const rev1 = (await sets.get('db')).status!.currentRevision!;

    const set = await sets.get('db');
    set.spec!.template.spec!.containers[0].image = 'postgres:17';
    await sets.update(set);
    await until(async () => {
      const s = (await sets.get('db')).status;
      return !!s?.updateRevision && s.updateRevision !== rev1;
    });
    const rev2 = (await sets.get('db')).status!.updateRevision!;
    // db-2 goes first.
    await until(async () => !!(await pods.get('db-2')).metadata.deletionTimestamp);
    assert.equal((await pods.get('db-1')).metadata.deletionTimestamp, undefined);
    await finishTerminating();
    await until(async () => (await pods.list()).items.some((p) => p.metadata.name === 'db-2' && p.metadata.labels?.['controller-revision-hash'] === rev2));
    assert.equal((await pods.get('db-2')).spec?.containers[0].image, 'postgres:17');
    await runPod('db-2');
    // Then db-1.
    await until(async () => !!(await pods.get('db-1')).metadata.deletionTimestamp);
    await finishTerminating();
    await until(async () => (await pods.list()).items.some((p) => p.metadata.name === 'db-1' && p.metadata.labels?.['controller-revision-hash'] === rev2));
    await runPod('db-1');
    await until(async () => (await sets.get('db')).status?.updatedReplicas === 2);
    await t.clock.advance(5_000);
    await ctrl.whenIdle();
    // db-0 is below the partition: untouched, still at the old revision.
    const db0 = await pods.get('db-0');
    assert.equal(db0.metadata.deletionTimestamp, undefined);
    assert.equal(db0.metadata.labels?.['controller-revision-hash'], rev1);
    assert.equal(db0.spec?.containers[0].image, 'postgres:16');
    const st = (await sets.get('db')).status!;
    assert.equal(st.currentRevision, rev1);
    assert.equal(st.updateRevision, rev2);
    assert.equal(st.currentReplicas, 1);
    assert.equal(st.updatedReplicas, 2);
    const revs = (await revisions.list()).items.sort((a, b) => a.revision - b.revision);
    assert.deepEqual(revs.map((r) => [r.metadata.name, r.revision]), [[rev1, 1], [rev2, 2]]);

    // Dropping the partition finishes the rollout; the update revision becomes current.
    const s2 = await sets.get('db');
    s2.spec!.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: 0 } };
    await sets.update(s2);
    await until(async () => !!(await pods.get('db-0')).metadata.deletionTimestamp);
    await finishTerminating();
    await until(async () => (await pods.list()).items.some((p) => p.metadata.name === 'db-0' && p.metadata.labels?.['controller-revision-hash'] === rev2));
    await runPod('db-0');
    await until(async () => (await sets.get('db')).status?.currentRevision === rev2);
    const done = (await sets.get('db')).status!;
    assert.equal(done.currentReplicas, 3);
    assert.equal(done.updatedReplicas, 3);
  });

  test('rolling back to an earlier template renumbers its revision instead of creating one', async () => {
    await startController();
    await sets.create(sts('rb', { replicas: 1 }));
    await until(async () => !!(await sets.get('rb')).status?.updateRevision);
    const rev1 = (await sets.get('rb')).status!.updateRevision!;
    let set = await sets.get('rb');
    set.spec!.template.spec!.containers[0].image = 'postgres:17';
    await sets.update(set);
    await until(async () => (await revisions.list()).items.length === 2);
    set = await sets.get('rb');
    set.spec!.template.spec!.containers[0].image = 'postgres:16';
    await sets.update(set);
    await until(async () => (await sets.get('rb')).status?.updateRevision === rev1);
    const r = await revisions.get(rev1);
    assert.equal(r.revision, 3);
    assert.equal((await revisions.list()).items.length, 2);
  });

  test('revisionHistoryLimit truncates the oldest unused revisions', async () => {
    await startController();
    await sets.create(sts('h', { replicas: 0, revisionHistoryLimit: 1 }));
    await until(async () => (await sets.get('h')).status?.observedGeneration === 1);
    for (const tag of ['1', '2', '3', '4']) {
      const set = await sets.get('h');
      set.spec!.template.spec!.containers[0].image = `app:${tag}`;
      await sets.update(set);
      await until(async () => (await sets.get('h')).status?.observedGeneration === set.metadata.generation! + 1);
    }
    await until(async () => (await revisions.list()).items.length === 2);
    await ctrl.whenIdle();
    const revs = (await revisions.list()).items.sort((a, b) => a.revision - b.revision);
    // With no replicas every rollout completes at once: the live revision (5) and one historic (4) stay.
    assert.deepEqual(
      revs.map((r) => [r.revision, (r.data as { spec: { template: Pod } }).spec.template.spec?.containers[0].image]),
      [
        [4, 'app:3'],
        [5, 'app:4'],
      ],
    );
  });

  test('OnDelete: a template change does not delete pods; deleted pods come back at the new revision', async () => {
    await startController();
    await sets.create(sts('od', { replicas: 2, podManagementPolicy: 'Parallel', updateStrategy: { type: 'OnDelete' } }));
    await until(async () => (await names()).length === 2);
    for (const n of ['od-0', 'od-1']) await runPod(n);
    const set = await sets.get('od');
    set.spec!.template.spec!.containers[0].image = 'postgres:17';
    await sets.update(set);
    await until(async () => (await sets.get('od')).status?.updateRevision !== (await sets.get('od')).status?.currentRevision);
    await t.clock.advance(3_000);
    await ctrl.whenIdle();
    assert.ok((await pods.list()).items.every((p) => !p.metadata.deletionTimestamp));
    await pods.delete('od-1', { gracePeriodSeconds: 0 });
    await until(async () => (await pods.list()).items.some((p) => p.metadata.name === 'od-1' && p.spec?.containers[0].image === 'postgres:17'));
    assert.equal((await pods.get('od-0')).spec?.containers[0].image, 'postgres:16');
  });

  test('maxUnavailable lets a rolling update replace several pods at once', async () => {
    await startController();
    await sets.create(
      sts('mu', { replicas: 4, podManagementPolicy: 'Parallel', updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 2 } } }),
    );
    await until(async () => (await names()).length === 4);
    for (const n of ['mu-0', 'mu-1', 'mu-2', 'mu-3']) await runPod(n);
    await until(async () => (await sets.get('mu')).status?.readyReplicas === 4);
    const set = await sets.get('mu');
    set.spec!.template.spec!.containers[0].image = 'postgres:17';
    await sets.update(set);
    await until(async () => (await pods.list()).items.filter((p) => p.metadata.deletionTimestamp).length === 2);
    const terminating = (await pods.list()).items.filter((p) => p.metadata.deletionTimestamp).map((p) => p.metadata.name).sort();
    assert.deepEqual(terminating, ['mu-2', 'mu-3']);
  });

  test('adopts an orphan pod whose name and labels fit, and releases an owned pod whose labels no longer match', async () => {
    await startController();
    // An orphan named like ordinal 0 with matching labels is adopted instead of recreated.
    const orphan = await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'keep-0', labels: { app: 'keep' } }, spec: { containers: [{ name: 'db', image: 'x' }] } });
    const keep = await sets.create(sts('keep', { replicas: 1 }));
    await until(async () => (await pods.get('keep-0')).metadata.ownerReferences?.[0]?.uid === keep.metadata.uid);
    assert.equal((await pods.get('keep-0')).metadata.uid, orphan.metadata.uid);
    const set = await sets.create(sts('ad', { replicas: 1 }));
    await until(async () => (await names()).includes('ad-0'));
    // Relabel ad-0 so it no longer matches: the controller releases it.
    const p0 = await pods.get('ad-0');
    p0.metadata.labels = { ...p0.metadata.labels, app: 'other' };
    await pods.update(p0);
    await until(async () => !(await pods.get('ad-0')).metadata.ownerReferences?.some((r) => r.uid === set.metadata.uid));
  });
});
