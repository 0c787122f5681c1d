import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../api/objects.js';
import { startKubelets, type KubeletHarness } from './kubelet.testutil.js';

const cond = (p: Pod, type: string) => p.status?.conditions?.find((c) => c.type === type);
const cs = (p: Pod) => p.status?.containerStatuses?.[0] ?? ({ name: '', ready: false, restartCount: 0, image: '', imageID: '' } as NonNullable<NonNullable<Pod['status']>['containerStatuses']>[number]);

describe('simulated kubelet: failure modes chosen by data', () => {
  let h: KubeletHarness;
  beforeEach(async () => {
    h = await startKubelets();
  });
  afterEach(() => h.stop());

  /** Samples the container's waiting reason every stepMs for ms; returns [time offset, reason] changes. */
  async function timeline(name: string, ms: number, stepMs: number, pick: (p: Pod) => string): Promise<[number, string][]> {
    const t0 = h.t.clock.now();
    const out: [number, string][] = [];
    for (let t = 0; t <= ms; t += stepMs) {
      const v = pick(await h.getPod(name));
      if (out.length === 0 || out[out.length - 1][1] !== v) out.push([h.t.clock.now() - t0, v]);
      await h.advance(stepMs);
    }
    return out;
  }

  test('an image whose tag says it does not exist: ErrImagePull, then ImagePullBackOff with the back-off doubling from 10 s', async () => {
    await h.createPod({ metadata: { name: 'ghost' }, spec: { containers: [{ name: 'app', image: 'nginx:doesnotexist' }] } });
    const tl = await timeline('ghost', 80_000, 500, (p) => cs(p).state?.waiting?.reason ?? 'none');
    const reasons = tl.map(([, r]) => r).filter((r) => r !== 'none');
    assert.deepEqual(reasons.slice(0, 6), ['ContainerCreating', 'ErrImagePull', 'ImagePullBackOff', 'ErrImagePull', 'ImagePullBackOff', 'ErrImagePull']);
    const errAt = tl.filter(([, r]) => r === 'ErrImagePull').map(([t]) => t);
    // Retries 10 s, then 20 s, after each failure (plus the short pull attempt).
    assert.ok(Math.abs(errAt[1] - errAt[0] - 10_000) <= 1500, `second failure after ${errAt[1] - errAt[0]} ms`);
    assert.ok(Math.abs(errAt[2] - errAt[1] - 20_000) <= 1500, `third failure after ${errAt[2] - errAt[1]} ms`);
    const p = await h.getPod('ghost');
    assert.equal(p.status?.phase, 'Pending');
    const events = (await h.events('ghost')).map((e) => `${e.type} ${e.reason}: ${e.message}`);
    const notFound = 'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:doesnotexist": failed to resolve reference "docker.io/library/nginx:doesnotexist": docker.io/library/nginx:doesnotexist: not found';
    for (const e of [
      'Normal Pulling: Pulling image "nginx:doesnotexist"',
      `Warning Failed: Failed to pull image "nginx:doesnotexist": ${notFound}`,
      'Warning Failed: Error: ErrImagePull',
      'Normal BackOff: Back-off pulling image "nginx:doesnotexist"',
      'Warning Failed: Error: ImagePullBackOff',
    ]) assert.ok(events.includes(e), `missing ${e} in\n${events.join('\n')}`);
    await h.until(async () => cs(await h.getPod('ghost')).state?.waiting?.reason === 'ImagePullBackOff');
    assert.equal(cs(await h.getPod('ghost')).state?.waiting?.message, `Back-off pulling image "nginx:doesnotexist": ErrImagePull: ${notFound}`);
  });

  test('image-pull-failures: N fails N pulls and then runs', async () => {
    await h.createPod({ metadata: { name: 'flaky', annotations: { 'sim.skiff.dev/image-pull-failures': '1' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } });
    await h.advance(3000);
    assert.equal(cs(await h.getPod('flaky')).state?.waiting?.reason, 'ImagePullBackOff');
    await h.until(async () => (await h.getPod('flaky')).status?.phase === 'Running', { stepMs: 500 });
  });

  test('crash-after: restarts at once, then CrashLoopBackOff 10 s, 20 s, 40 s with the kubelet event and message', async () => {
    const created = await h.createPod({ metadata: { name: 'crash', annotations: { 'sim.skiff.dev/crash-after': '2s' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } });
    const starts: number[] = [];
    await h.until(
      async () => {
        const s = cs(await h.getPod('crash'));
        const at = s.state?.running?.startedAt;
        if (at && !starts.includes(Date.parse(at))) starts.push(Date.parse(at));
        return starts.length >= 5;
      },
      { stepMs: 250, maxRounds: 2000 },
    );
    const gaps = starts.slice(1).map((t, i) => t - starts[i]);
    // run 2 s, then: immediate restart, 10 s, 20 s, 40 s of back-off
    const expected = [2000, 12_000, 22_000, 42_000];
    gaps.forEach((g, i) => assert.ok(Math.abs(g - expected[i]) <= 1200, `gap ${i}: ${g} vs ${expected[i]} (${gaps.join(', ')})`));
    await h.until(async () => cs(await h.getPod('crash')).state?.waiting?.reason === 'CrashLoopBackOff');
    const p = await h.getPod('crash');
    const podRef = `crash_default(${created.metadata.uid})`;
    assert.equal(cs(p).state?.waiting?.message, `back-off 1m20s restarting failed container=app pod=${podRef}`);
    assert.equal(cs(p).lastState?.terminated?.reason, 'Error');
    assert.equal(cs(p).lastState?.terminated?.exitCode, 1);
    assert.equal(cs(p).restartCount, 4);
    assert.equal(p.status?.phase, 'Running');
    assert.equal(cond(p, 'Ready')?.status, 'False');
    const events = (await h.events('crash')).map((e) => `${e.type} ${e.reason}: ${e.message}`);
    assert.ok(events.includes(`Warning BackOff: Back-off restarting failed container app in pod ${podRef}`), events.join('\n'));
  });

  test('crash-times: the first N runs crash, later ones keep running', async () => {
    await h.createPod({ metadata: { name: 'heal', annotations: { 'sim.skiff.dev/crash-after': '1s', 'sim.skiff.dev/crash-times': '2' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } });
    await h.advance(30_000);
    const p = await h.getPod('heal');
    assert.equal(cs(p).restartCount, 2);
    assert.ok(cs(p).state?.running);
    assert.equal(cond(p, 'Ready')?.status, 'True');
  });

  test('memory growing past the limit ends in OOMKilled (exit code 137)', async () => {
    await h.createPod({
      metadata: { name: 'leak', annotations: { 'sim.skiff.dev/memory': '32Mi', 'sim.skiff.dev/memory-growth': '8Mi' } },
      spec: { containers: [{ name: 'app', image: 'nginx:1.27', resources: { limits: { memory: '64Mi' } } }] },
    });
    await h.until(async () => !!cs(await h.getPod('leak')).lastState?.terminated, { stepMs: 500 });
    const p = await h.getPod('leak');
    const t = cs(p).lastState!.terminated!;
    assert.equal(t.reason, 'OOMKilled');
    assert.equal(t.exitCode, 137);
    const ran = Date.parse(t.finishedAt!) - Date.parse(t.startedAt!);
    assert.ok(ran >= 3000 && ran <= 5000, `ran ${ran} ms before the OOM kill`);
  });

  test('a failing readiness probe keeps the pod not Ready, with Unhealthy events', async () => {
    await h.createPod({
      metadata: { name: 'unready', annotations: { 'sim.skiff.dev/readiness': 'fail' } },
      spec: { containers: [{ name: 'app', image: 'nginx:1.27', readinessProbe: { httpGet: { path: '/healthz', port: 80 }, periodSeconds: 5 } }] },
    });
    await h.advance(30_000);
    const p = await h.getPod('unready');
    assert.equal(p.status?.phase, 'Running');
    assert.equal(cs(p).ready, false);
    assert.equal(cond(p, 'Ready')?.status, 'False');
    const unhealthy = (await h.events('unready')).filter((e) => e.reason === 'Unhealthy');
    assert.equal(unhealthy.length, 1, 'one Event, counted');
    assert.equal(unhealthy[0].message, 'Readiness probe failed: HTTP probe failed with statuscode: 503');
    assert.ok((unhealthy[0].count ?? 0) >= 4, `count ${unhealthy[0].count}`);
  });

  test('a failing liveness probe restarts the container', async () => {
    await h.createPod({
      metadata: { name: 'stuck', annotations: { 'sim.skiff.dev/liveness-fail-after': '10s' } },
      spec: { containers: [{ name: 'app', image: 'nginx:1.27', livenessProbe: { httpGet: { path: '/healthz', port: 80 }, periodSeconds: 5, failureThreshold: 3 } }] },
    });
    await h.until(async () => cs(await h.getPod('stuck')).restartCount === 1, { stepMs: 500 });
    const events = (await h.events('stuck')).map((e) => `${e.reason}: ${e.message}`);
    assert.ok(events.includes('Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500'), events.join('\n'));
    assert.ok(events.includes('Killing: Container app failed liveness probe, will be restarted'), events.join('\n'));
  });

  test('a startup probe that never passes kills the container', async () => {
    await h.createPod({
      metadata: { name: 'slowstart', annotations: { 'sim.skiff.dev/startup-time': '10m' } },
      spec: { containers: [{ name: 'app', image: 'nginx:1.27', startupProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 2, failureThreshold: 3 } }] },
    });
    await h.advance(3000);
    assert.equal(cs(await h.getPod('slowstart')).started, false);
    await h.until(async () => cs(await h.getPod('slowstart')).restartCount === 1, { stepMs: 500 });
    const events = (await h.events('slowstart')).map((e) => `${e.reason}: ${e.message}`);
    assert.ok(events.includes('Killing: Container app failed startup probe, will be restarted'), events.join('\n'));
    assert.ok(events.includes('Unhealthy: Startup probe failed: HTTP probe failed with statuscode: 500'), events.join('\n'));
  });
});
