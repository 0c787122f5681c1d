import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startKubelets, type KubeletHarness } from '../kubelet/kubelet.testutil.js';

const logPath = (pod: string, query = '') => `/api/v1/namespaces/default/pods/${pod}/log${query ? `?${query}` : ''}`;

describe('pods/log through the simulated kubelets', () => {
  let h: KubeletHarness;
  beforeEach(async () => {
    h = await startKubelets();
  });
  afterEach(() => h.stop());

  const running = async (name: string) => h.until(async () => (await h.getPod(name)).status?.phase === 'Running', { stepMs: 200 });

  test('returns the log; tailLines, timestamps, sinceSeconds and limitBytes shape it', async () => {
    await h.createPod({ metadata: { name: 'web', annotations: { 'sim.skiff.dev/log-interval': '1s' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } });
    await running('web');
    await h.advance(10_000);
    const all = await h.t.request('GET', logPath('web'));
    assert.equal(all.status, 200);
    assert.equal(all.headers['Content-Type'], 'text/plain');
    const lines = all.body.trimEnd().split('\n');
    assert.equal(lines[0], '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration');
    assert.ok(lines.some((l) => /\[notice\] 1#1: start worker processes/.test(l)));
    assert.ok(lines.some((l) => /"GET \S+ HTTP\/1\.1" \d{3} \d+/.test(l)), 'access log lines');

    const tail = await h.t.request('GET', logPath('web', 'tailLines=2'));
    assert.deepEqual(tail.body.trimEnd().split('\n'), lines.slice(-2));
    const none = await h.t.request('GET', logPath('web', 'tailLines=0'));
    assert.equal(none.body, '');

    const ts = await h.t.request('GET', logPath('web', 'timestamps=true&tailLines=1'));
    assert.match(ts.body, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z .+\n$/);

    const recent = await h.t.request('GET', logPath('web', 'sinceSeconds=3'));
    const count = recent.body.trimEnd().split('\n').length;
    assert.ok(count >= 1 && count < lines.length, `${count} of ${lines.length} lines in the last 3 s`);

    const limited = await h.t.request('GET', logPath('web', 'limitBytes=20'));
    assert.equal(limited.body, lines[0].slice(0, 20));
  });

  test('follow streams new lines until the container stops', async () => {
    await h.createPod({
      metadata: { name: 'job', annotations: { 'sim.skiff.dev/log-interval': '1s', 'sim.skiff.dev/run-time': '8s' } },
      spec: { restartPolicy: 'Never', containers: [{ name: 'work', image: 'example.com/batch/worker:1.0' }] },
    });
    await running('job');
    const { res, done } = h.t.stream(logPath('job', 'follow=true'));
    await h.advance(100);
    assert.equal(res.status, 200);
    const before = res.body.split('\n').length;
    await h.advance(3000);
    assert.ok(res.body.split('\n').length > before, 'new lines arrive while following');
    assert.equal(res.ended, false);
    await h.advance(8000);
    await done;
    assert.equal(res.ended, true);
    assert.match(res.body, /msg="work finished" exitCode=0\n$/);
  });

  test('a follower that goes away ends the stream', async () => {
    await h.createPod({ metadata: { name: 'web' }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } });
    await running('web');
    const { res, done } = h.t.stream(logPath('web', 'follow=true'));
    await h.advance(100);
    res.close();
    await done;
    assert.equal(res.ended, true);
  });

  test('--previous shows the crashed instance, with its last words', async () => {
    await h.createPod({ metadata: { name: 'crash', annotations: { 'sim.skiff.dev/crash-after': '3s' } }, spec: { containers: [{ name: 'app', image: 'example.com/shop/api:2.1' }] } });
    await running('crash');
    const none = await h.t.request('GET', logPath('crash', 'previous=true'));
    assert.equal(none.status, 400);
    assert.equal(none.json().message, 'previous terminated container "app" in pod "crash" not found');
    await h.until(async () => ((await h.getPod('crash')).status?.containerStatuses?.[0].restartCount ?? 0) >= 1);
    const prev = await h.t.request('GET', logPath('crash', 'previous=true'));
    assert.equal(prev.status, 200);
    assert.match(prev.body, /level=error msg="unrecoverable error, exiting" error="simulated failure" exitCode=1\n$/);
  });

  test('refuses as upstream: container choice, waiting containers, invalid options', async () => {
    await h.createPod({ metadata: { name: 'two' }, spec: { initContainers: [{ name: 'init', image: 'busybox:1.36' }], containers: [{ name: 'a', image: 'nginx:1.27' }, { name: 'b', image: 'nginx:1.27' }] } });
    const noName = await h.t.request('GET', logPath('two'));
    assert.equal(noName.status, 400);
    assert.equal(noName.json().message, 'a container name must be specified for pod two, choose one of: [init a b]');
    const bad = await h.t.request('GET', logPath('two', 'container=c'));
    assert.equal(bad.json().message, 'container c is not valid for pod two');

    await h.createPod({ metadata: { name: 'new' }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } });
    await h.advance(10);
    const waiting = await h.t.request('GET', logPath('new'));
    assert.equal(waiting.status, 400);
    assert.equal(waiting.json().message, 'container "app" in pod "new" is waiting to start: ContainerCreating');

    await h.createPod({ metadata: { name: 'ghost' }, spec: { containers: [{ name: 'app', image: 'nginx:doesnotexist' }] } });
    await h.until(async () => (await h.getPod('ghost')).status?.containerStatuses?.[0].state?.waiting?.reason === 'ImagePullBackOff');
    const pull = await h.t.request('GET', logPath('ghost'));
    assert.equal(pull.json().message, 'container "app" in pod "ghost" is waiting to start: trying and failing to pull image');

    const invalid = await h.t.request('GET', logPath('new', 'tailLines=-1&limitBytes=0'));
    assert.equal(invalid.status, 422);
    assert.equal(invalid.json().message, 'PodLogOptions "new" is invalid: [tailLines: Invalid value: -1: must be greater than or equal to 0, limitBytes: Invalid value: 0: must be greater than 0]');
    const both = await h.t.request('GET', logPath('new', 'sinceSeconds=5&sinceTime=2026-01-01T00:00:00Z'));
    assert.equal(both.json().message, 'PodLogOptions "new" is invalid: : Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified');
  });

  test('a pod not yet on a node has no log: 204 No Content', async () => {
    await h.pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pending' }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } });
    const res = await h.t.request('GET', logPath('pending'));
    assert.equal(res.status, 204);
    assert.equal(res.body, '');
  });

  test('a node whose kubelet is down cannot be reached', async () => {
    await h.createPod({ metadata: { name: 'web' }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } });
    await running('web');
    h.pool.pauseHeartbeats('ip-192-168-1-10.ec2.internal');
    const res = await h.t.request('GET', logPath('web'));
    assert.equal(res.status, 500);
    assert.equal(res.json().message, 'Get "https://192.168.1.10:10250/containerLogs/default/web/nginx": dial tcp 192.168.1.10:10250: connect: no route to host');
  });
});
