import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../api/objects.js';
import { isNotFound } from '../client/rest.js';
import { startKubelets, type KubeletHarness } from './kubelet.testutil.js';
import { SECRETS } from '../client/refs.js';

const cond = (p: Pod, type: string) => p.status?.conditions?.find((c) => c.type === type);
const cs = (p: Pod, name?: string) => (name ? p.status?.containerStatuses?.find((c) => c.name === name) : p.status?.containerStatuses?.[0]);

describe('simulated kubelet: pod lifecycle', () => {
  let h: KubeletHarness;
  beforeEach(async () => {
    h = await startKubelets();
  });
  afterEach(() => h.stop());

  test('a pod goes Pending/ContainerCreating → Running → Ready, respecting initialDelaySeconds', async () => {
    await h.createPod({
      metadata: { name: 'web' },
      spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', readinessProbe: { httpGet: { path: '/', port: 80 }, initialDelaySeconds: 5, periodSeconds: 2 } }] },
    });
    await h.advance(50);
    let p = await h.getPod('web');
    assert.equal(p.status?.phase, 'Pending');
    assert.equal(cs(p)?.state?.waiting?.reason, 'ContainerCreating');
    assert.equal(cond(p, 'Ready')?.status, 'False');
    assert.equal(cond(p, 'Ready')?.reason, 'ContainersNotReady');
    assert.equal(cond(p, 'Ready')?.message, 'containers with unready status: [nginx]');
    assert.equal(p.status?.hostIP, '192.168.1.10');
    assert.ok(p.status?.startTime);

    await h.until(async () => (await h.getPod('web')).status?.phase === 'Running');
    p = await h.getPod('web');
    const started = Date.parse(cs(p)!.state!.running!.startedAt!);
    assert.equal(cs(p)?.ready, false);
    assert.equal(cs(p)?.started, true);
    assert.match(p.status!.podIP!, /^192\.168\.64\.\d+$/);
    assert.deepEqual(p.status?.podIPs, [{ ip: p.status!.podIP }]);
    assert.match(cs(p)!.containerID!, /^containerd:\/\/[0-9a-f]{64}$/);
    assert.match(cs(p)!.imageID, /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
    assert.equal(cs(p)!.image, 'docker.io/library/nginx:1.27');
    assert.equal(cond(p, 'PodReadyToStartContainers')?.status, 'True');
    assert.equal(cond(p, 'Initialized')?.status, 'True');

    await h.until(async () => cs(await h.getPod('web'))?.ready === true, { stepMs: 250 });
    p = await h.getPod('web');
    const readyAt = Date.parse(cond(p, 'Ready')!.lastTransitionTime!);
    assert.ok(readyAt - started >= 5000, `ready ${readyAt - started} ms after start`);
    assert.ok(readyAt - started <= 7000, `ready ${readyAt - started} ms after start`);
    assert.equal(cond(p, 'ContainersReady')?.status, 'True');
    const events = (await h.events('web')).map((e) => `${e.reason}: ${e.message}`);
    assert.deepEqual(events.map((e) => e.split(':')[0]), ['Pulling', 'Pulled', 'Created', 'Started']);
    assert.match(events[1], /^Pulled: Successfully pulled image "nginx:1.27" in [\d.]+m?s \([\d.]+m?s including waiting\)\. Image size: \d+ bytes\.$/);
    assert.equal(events[2], 'Created: Created container nginx');
    assert.equal(events[3], 'Started: Started container nginx');
  });

  test('SyncPod reports a new pod twice: ContainerCreating without an IP, then Running with it (nothing while the image is pulled)', async () => {
    const seen: string[] = [];
    const watch = await h.pods.watch({ fieldSelector: 'metadata.name=slow' });
    const collecting = (async () => {
      for await (const e of watch) {
        const s = e.object.status;
        if (e.type !== 'MODIFIED' || !s?.phase) continue; // the create (Pending by default) is not the kubelet's
        seen.push(`${s.phase} ${cs(e.object)?.state?.waiting?.reason ?? (cs(e.object)?.state?.running ? 'running' : '-')} ip=${s.podIP ?? 'none'} sandbox=${cond(e.object, 'PodReadyToStartContainers')?.status}`);
      }
    })();
    await h.createPod({ metadata: { name: 'slow', annotations: { 'sim.skiff.dev/pull-time': '20s' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } });
    await h.advance(10_000);
    assert.equal((await h.getPod('slow')).status?.podIP, undefined, 'no IP while the image is pulled');
    await h.until(async () => (await h.getPod('slow')).status?.phase === 'Running', { stepMs: 1000 });
    watch.close();
    await collecting;
    assert.equal(seen.length, 2, seen.join('\n'));
    assert.equal(seen[0], 'Pending ContainerCreating ip=none sandbox=False');
    assert.match(seen[1]!, /^Running running ip=192\.168\.64\.\d+ sandbox=True$/);
  });

  test('a pod without probes or annotations is Ready within a couple of seconds; a second one finds the image present', async () => {
    await h.createPod({ metadata: { name: 'a' }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } });
    await h.advance(3000);
    assert.equal(cond(await h.getPod('a'), 'Ready')?.status, 'True');
    await h.createPod({ metadata: { name: 'b' }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } });
    await h.advance(1500);
    assert.equal(cond(await h.getPod('b'), 'Ready')?.status, 'True');
    const events = (await h.events('b')).map((e) => `${e.reason}: ${e.message}`);
    assert.ok(events.includes('Pulled: Container image "nginx:1.27" already present on machine'), events.join('\n'));
  });

  test('init containers run first, in order, and the app waits with PodInitializing', async () => {
    await h.createPod({
      metadata: { name: 'init', annotations: { 'migrate.sim.skiff.dev/run-time': '5s' } },
      spec: {
        initContainers: [
          { name: 'migrate', image: 'busybox:1.36' },
          { name: 'seed', image: 'busybox:1.36' },
        ],
        containers: [{ name: 'app', image: 'nginx:1.27' }],
      },
    });
    await h.advance(2000);
    let p = await h.getPod('init');
    assert.equal(p.status?.phase, 'Pending');
    assert.ok(p.status?.initContainerStatuses?.[0].state?.running, 'migrate runs');
    assert.equal(p.status?.initContainerStatuses?.[1].state?.waiting?.reason, 'PodInitializing');
    assert.equal(cs(p)?.state?.waiting?.reason, 'PodInitializing');
    assert.equal(cond(p, 'Initialized')?.message, 'containers with incomplete status: [migrate seed]');
    await h.until(async () => (await h.getPod('init')).status?.phase === 'Running');
    p = await h.getPod('init');
    const [migrate, seed] = p.status!.initContainerStatuses!;
    assert.equal(migrate.state?.terminated?.reason, 'Completed');
    assert.equal(migrate.state?.terminated?.exitCode, 0);
    assert.ok(Date.parse(seed.state!.terminated!.startedAt!) >= Date.parse(migrate.state!.terminated!.finishedAt!));
    assert.ok(Date.parse(cs(p)!.state!.running!.startedAt!) >= Date.parse(seed.state!.terminated!.finishedAt!));
    assert.equal(cond(p, 'Initialized')?.status, 'True');
  });

  test('a restartable sidecar init container starts before the app and keeps running', async () => {
    await h.createPod({
      metadata: { name: 'side' },
      spec: { initContainers: [{ name: 'proxy', image: 'envoyproxy/envoy:v1.31', restartPolicy: 'Always' }], containers: [{ name: 'app', image: 'nginx:1.27' }] },
    });
    await h.until(async () => cond(await h.getPod('side'), 'Ready')?.status === 'True');
    const p = await h.getPod('side');
    assert.ok(p.status?.initContainerStatuses?.[0].state?.running);
    assert.equal(p.status?.initContainerStatuses?.[0].started, true);
    assert.ok(Date.parse(cs(p)!.state!.running!.startedAt!) >= Date.parse(p.status!.initContainerStatuses![0].state!.running!.startedAt!));
  });

  test('a Job-style pod (restartPolicy Never) runs to completion and Succeeds', async () => {
    await h.createPod({ metadata: { name: 'job' }, spec: { restartPolicy: 'Never', containers: [{ name: 'work', image: 'python:3.12' }] } });
    await h.until(async () => (await h.getPod('job')).status?.phase === 'Running');
    await h.until(async () => (await h.getPod('job')).status?.phase === 'Succeeded', { stepMs: 500 });
    const p = await h.getPod('job');
    assert.equal(cs(p)?.state?.terminated?.reason, 'Completed');
    assert.equal(cs(p)?.state?.terminated?.exitCode, 0);
    assert.equal(cond(p, 'Ready')?.reason, 'PodCompleted');
    assert.equal(cond(p, 'ContainersReady')?.reason, 'PodCompleted');
    assert.equal(cond(p, 'PodReadyToStartContainers')?.status, 'False');
    const ran = Date.parse(cs(p)!.state!.terminated!.finishedAt!) - Date.parse(cs(p)!.state!.terminated!.startedAt!);
    assert.ok(ran >= 5000 && ran <= 10_000, `ran ${ran} ms`);
  });

  test('a failing Job-style pod (exit code data) Fails with reason Error', async () => {
    await h.createPod({ metadata: { name: 'bad', annotations: { 'sim.skiff.dev/run-time': '2s', 'sim.skiff.dev/exit-code': '3' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'work', image: 'python:3.12' }] } });
    await h.until(async () => (await h.getPod('bad')).status?.phase === 'Failed');
    const p = await h.getPod('bad');
    assert.equal(cs(p)?.state?.terminated?.reason, 'Error');
    assert.equal(cs(p)?.state?.terminated?.exitCode, 3);
    assert.equal(cond(p, 'Ready')?.reason, 'PodFailed');
  });

  test('deletion stops containers within the simulated shutdown time and then removes the pod', async () => {
    await h.createPod({ metadata: { name: 'del', annotations: { 'sim.skiff.dev/shutdown-time': '3s' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } });
    await h.until(async () => cond(await h.getPod('del'), 'Ready')?.status === 'True');
    const t0 = h.t.clock.now();
    await h.pods.delete('del');
    assert.ok((await h.getPod('del')).metadata.deletionTimestamp);
    await h.advance(2500);
    assert.ok((await h.getPod('del')).metadata.deletionTimestamp, 'still terminating');
    await h.until(async () => h.getPod('del').then(() => false, (e) => isNotFound(e)));
    const took = h.t.clock.now() - t0;
    assert.ok(took >= 3000 && took < 4500, `removed after ${took} ms`);
    const events = (await h.events('del')).map((e) => `${e.reason}: ${e.message}`);
    assert.ok(events.includes('Killing: Stopping container nginx'), events.join('\n'));
  });

  test('deletion honours a grace period shorter than the shutdown time', async () => {
    await h.createPod({ metadata: { name: 'slow', annotations: { 'sim.skiff.dev/shutdown-time': '2m' } }, spec: { terminationGracePeriodSeconds: 5, containers: [{ name: 'app', image: 'nginx:1.27' }] } });
    await h.until(async () => (await h.getPod('slow')).status?.phase === 'Running');
    const t0 = h.t.clock.now();
    await h.pods.delete('slow');
    await h.advance(4000);
    assert.ok((await h.getPod('slow')).metadata.deletionTimestamp);
    await h.until(async () => h.getPod('slow').then(() => false, (e) => isNotFound(e)));
    const took = h.t.clock.now() - t0;
    assert.ok(took >= 5000 && took < 6500, `removed after ${took} ms`);
  });

  test('a missing Secret in env is CreateContainerConfigError until the Secret appears', async () => {
    await h.createPod({
      metadata: { name: 'db' },
      spec: { containers: [{ name: 'postgres', image: 'postgres:16', env: [{ name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: 'postgres-secret', key: 'password' } } }] }] },
    });
    await h.advance(5000);
    let p = await h.getPod('db');
    assert.equal(p.status?.phase, 'Pending');
    assert.deepEqual(cs(p)?.state?.waiting, { reason: 'CreateContainerConfigError', message: 'secret "postgres-secret" not found' });
    const events = (await h.events('db')).map((e) => `${e.type} ${e.reason}: ${e.message}`);
    assert.ok(events.includes('Warning Failed: Error: secret "postgres-secret" not found'), events.join('\n'));
    await h.client.resource(SECRETS).namespace('default').create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'postgres-secret' }, stringData: { password: 'x' } });
    await h.until(async () => (await h.getPod('db')).status?.phase === 'Running');
    p = await h.getPod('db');
    assert.ok(cs(p)?.state?.running);
  });

  test('a missing Secret volume keeps the pod ContainerCreating with FailedMount', async () => {
    await h.createPod({ metadata: { name: 'vol' }, spec: { volumes: [{ name: 'creds', secret: { secretName: 'creds' } }], containers: [{ name: 'app', image: 'nginx:1.27', volumeMounts: [{ name: 'creds', mountPath: '/creds' }] }] } });
    await h.advance(5000);
    const p = await h.getPod('vol');
    assert.equal(cs(p)?.state?.waiting?.reason, 'ContainerCreating');
    const events = (await h.events('vol')).map((e) => `${e.reason}: ${e.message}`);
    assert.ok(events.includes('FailedMount: MountVolume.SetUp failed for volume "creds" : secret "creds" not found'), events.join('\n'));
    await h.client.resource(SECRETS).namespace('default').create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, stringData: { a: 'b' } });
    await h.until(async () => (await h.getPod('vol')).status?.phase === 'Running');
  });

  test('a pod with a PersistentVolumeClaim waits until the claim is bound', async () => {
    const pvcs = h.client.resource({ group: '', version: 'v1', resource: 'persistentvolumeclaims', namespaced: true, kind: 'PersistentVolumeClaim' }).namespace('default');
    await pvcs.create({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
    await h.createPod({ metadata: { name: 'claim' }, spec: { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }], containers: [{ name: 'app', image: 'nginx:1.27' }] } });
    await h.advance(10_000);
    assert.equal((await h.getPod('claim')).status?.phase, 'Pending');
    await pvcs.patch('data', 'merge', { status: { phase: 'Bound' } }, { subresource: 'status' });
    await h.until(async () => (await h.getPod('claim')).status?.phase === 'Running');
  });

  test('usage reports each running container in millicores and bytes, from the data when given', async () => {
    await h.createPod({ metadata: { name: 'u', annotations: { 'sim.skiff.dev/cpu': '250m', 'sim.skiff.dev/memory': '128Mi' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } });
    await h.until(async () => (await h.getPod('u')).status?.phase === 'Running');
    const u = h.pool.usage('default', 'u')!;
    assert.equal(u.length, 1);
    assert.equal(u[0].name, 'app');
    assert.ok(u[0].cpu > 150 && u[0].cpu < 350, `cpu ${u[0].cpu}`);
    assert.ok(Math.abs(u[0].memory - 128 * 1024 * 1024) < 8 * 1024 * 1024, `memory ${u[0].memory}`);
    assert.equal(h.pool.usage('default', 'nope'), undefined);
  });
});
