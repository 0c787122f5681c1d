// The pure parts of the simulation: the data convention, Go durations, image references, the
// kubelet's phase and condition rules, and the log ring.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerStatus, Pod, PodSpec } from '../api/objects.js';
import { imageFamily, resolveBehavior } from './behavior.js';
import { formatDuration, parseDuration } from './duration.js';
import { imageDoesNotExist, imageID, imageName, parseImage } from './images.js';
import { LogRing } from './logs.js';
import { containersReadyCondition, initializedCondition, podPhase, readyCondition } from './pod-status.js';

const pod = (annotations: Record<string, string>, restartPolicy = 'Always'): Pod => ({
  metadata: { name: 'p', namespace: 'default', uid: 'u1', annotations },
  spec: { restartPolicy, containers: [{ name: 'app', image: 'nginx:1.27' }, { name: 'side', image: 'redis:7' }] },
});

describe('data convention', () => {
  test('defaults: Always pods run until stopped, Never/OnFailure pods complete in 5–10 s, init containers complete', () => {
    const p = pod({});
    assert.equal(resolveBehavior(p, p.spec!.containers[0], 'regular').exitAfterMs, undefined);
    const job = pod({}, 'Never');
    const b = resolveBehavior(job, job.spec!.containers[0], 'regular');
    assert.ok(b.exitAfterMs! >= 5000 && b.exitAfterMs! <= 10_000);
    assert.equal(b.exitCode, 0);
    assert.ok(resolveBehavior(p, p.spec!.containers[0], 'init').exitAfterMs! <= 2000);
    assert.equal(resolveBehavior(p, p.spec!.containers[0], 'sidecar').exitAfterMs, undefined);
  });

  test('pod-wide keys apply to every container; <container>.sim.skiff.dev/ keys to one and win', () => {
    const p = pod({ 'sim.skiff.dev/crash-after': '30s', 'side.sim.skiff.dev/crash-after': '1m', 'side.sim.skiff.dev/exit-code': '2' });
    const app = resolveBehavior(p, p.spec!.containers[0], 'regular');
    const side = resolveBehavior(p, p.spec!.containers[1], 'regular');
    assert.deepEqual([app.exitAfterMs, app.exitCode], [30_000, 1]);
    assert.deepEqual([side.exitAfterMs, side.exitCode], [60_000, 2]);
  });

  const cases: [string, Record<string, string>, (b: ReturnType<typeof resolveBehavior>) => unknown, unknown][] = [
    ['image-pull: fail never pulls', { 'sim.skiff.dev/image-pull': 'fail' }, (b) => b.pullFailures, Infinity],
    ['image-pull-failures counts', { 'sim.skiff.dev/image-pull-failures': '3' }, (b) => b.pullFailures, 3],
    ['readiness: fail is never ready', { 'sim.skiff.dev/readiness': 'fail' }, (b) => b.readyAfterMs, Infinity],
    ['ready-after delays readiness', { 'sim.skiff.dev/ready-after': '1m30s' }, (b) => b.readyAfterMs, 90_000],
    ['liveness: fail fails at once', { 'sim.skiff.dev/liveness': 'fail' }, (b) => b.livenessFailAfterMs, 0],
    ['cpu is a quantity in millicores', { 'sim.skiff.dev/cpu': '1.5' }, (b) => b.cpuMilli, 1500],
    ['memory is a quantity in bytes', { 'sim.skiff.dev/memory': '256Mi' }, (b) => b.memoryBytes, 256 * 1024 * 1024],
    ['memory-growth accepts a /s suffix', { 'sim.skiff.dev/memory-growth': '1Mi/s' }, (b) => b.memoryGrowthPerSec, 1024 * 1024],
    ['run-time: forever keeps a Job container running', { 'sim.skiff.dev/run-time': 'forever' }, (b) => b.exitAfterMs, undefined],
    ['bare numbers are seconds', { 'sim.skiff.dev/shutdown-time': '45' }, (b) => b.shutdownMs, 45_000],
  ];
  for (const [name, ann, get, want] of cases) {
    test(name, () => {
      const p = pod(ann, 'Never');
      assert.deepEqual(get(resolveBehavior(p, p.spec!.containers[0], 'regular')), want);
    });
  }

  test('image families pick log and usage models', () => {
    assert.deepEqual(['nginx:1.27', 'bitnami/postgresql:16', 'redis', 'mysql:8', 'busybox', 'ghcr.io/acme/api:1'].map(imageFamily), ['nginx', 'postgres', 'redis', 'mysql', 'silent', 'generic']);
  });
});

describe('durations and images', () => {
  test('Go durations both ways', () => {
    assert.deepEqual(['30s', '1m30s', '500ms', '2h', '1.5s', '10', 'x'].map(parseDuration), [30_000, 90_000, 500, 7_200_000, 1500, 10_000, undefined]);
    assert.deepEqual([0, 523, 1210, 1396, 80_000, 300_000, 3_723_000].map(formatDuration), ['0s', '523ms', '1.21s', '1.396s', '1m20s', '5m0s', '1h2m3s']);
  });

  test('references normalise as containerd reports them', () => {
    assert.equal(imageName(parseImage('nginx')), 'docker.io/library/nginx:latest');
    assert.equal(imageName(parseImage('bitnami/redis:7.2')), 'docker.io/bitnami/redis:7.2');
    assert.equal(imageName(parseImage('public.ecr.aws/eks/aws-load-balancer-controller:v2.8.1')), 'public.ecr.aws/eks/aws-load-balancer-controller:v2.8.1');
    assert.equal(imageName(parseImage('localhost:5000/app')), 'localhost:5000/app:latest');
    assert.match(imageID(parseImage('nginx:1.27')), /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
    assert.equal(imageID(parseImage('nginx:1.27')), imageID(parseImage('docker.io/library/nginx:1.27')));
  });

  test('names and tags that say the image does not exist', () => {
    const missing = ['nginx:doesnotexist', 'nginx:does-not-exist', 'example.com/nonexistent-app:1', 'app:v1-notfound', 'redis:invalid'];
    const present = ['nginx:1.27', 'example.com/missingno:1'.replace('missingno', 'pokedex'), 'redis:7'];
    for (const i of missing) assert.ok(imageDoesNotExist(parseImage(i)), i);
    for (const i of present) assert.ok(!imageDoesNotExist(parseImage(i)), i);
  });
});

describe('pod phase and conditions (kubelet getPhase / status generation)', () => {
  const running = (name: string, extra: Partial<ContainerStatus> = {}): ContainerStatus => ({ name, ready: true, restartCount: 0, image: '', imageID: '', started: true, state: { running: { startedAt: 'x' } }, ...extra });
  const waiting = (name: string, reason = 'ContainerCreating', extra: Partial<ContainerStatus> = {}): ContainerStatus => ({ name, ready: false, restartCount: 0, image: '', imageID: '', state: { waiting: { reason } }, ...extra });
  const done = (name: string, exitCode = 0): ContainerStatus => ({ name, ready: false, restartCount: 0, image: '', imageID: '', state: { terminated: { exitCode, reason: exitCode ? 'Error' : 'Completed' } } });
  const spec = (restartPolicy: string, init: PodSpec['initContainers'] = []): PodSpec => ({ restartPolicy, initContainers: init, containers: [{ name: 'app' }] }) as PodSpec;

  const phases: [string, PodSpec, ContainerStatus[], ContainerStatus[], boolean, string][] = [
    ['waiting for the first start is Pending', spec('Always'), [], [waiting('app')], false, 'Pending'],
    ['a running container is Running', spec('Always'), [], [running('app')], false, 'Running'],
    ['CrashLoopBackOff after a run is still Running', spec('Always'), [], [waiting('app', 'CrashLoopBackOff', { lastState: { terminated: { exitCode: 1 } } })], false, 'Running'],
    ['Never + exit 0 is Succeeded', spec('Never'), [], [done('app')], false, 'Succeeded'],
    ['Never + exit 1 is Failed', spec('Never'), [], [done('app', 1)], false, 'Failed'],
    ['OnFailure + exit 1 restarts: Running', spec('OnFailure'), [], [done('app', 1)], false, 'Running'],
    ['a terminal pod with a failed container is Failed', spec('Always'), [], [done('app', 137)], true, 'Failed'],
    ['a running init container keeps the pod Pending', spec('Always', [{ name: 'init' }]), [running('init')], [waiting('app', 'PodInitializing')], false, 'Pending'],
    ['a failed init container fails a Never pod', spec('Never', [{ name: 'init' }]), [done('init', 1)], [waiting('app', 'PodInitializing')], false, 'Failed'],
    ['a sidecar that has not started keeps the pod Pending', spec('Always', [{ name: 'proxy', restartPolicy: 'Always' }]), [running('proxy', { started: false })], [waiting('app', 'PodInitializing')], false, 'Pending'],
  ];
  for (const [name, s, init, regular, terminal, want] of phases) test(name, () => assert.equal(podPhase(s, init, regular, terminal), want));

  test('Initialized lists incomplete init containers; sidecars count once started', () => {
    const s = spec('Always', [{ name: 'a' }, { name: 'proxy', restartPolicy: 'Always' }]);
    assert.deepEqual(initializedCondition(s, [running('a'), running('proxy', { started: false })], 'Pending'), { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [a proxy]' });
    assert.deepEqual(initializedCondition(s, [done('a'), running('proxy')], 'Running'), { type: 'Initialized', status: 'True' });
  });

  test('ContainersReady and Ready: unready containers, terminal phases, readiness gates', () => {
    const s = spec('Always');
    assert.deepEqual(containersReadyCondition(s, [], [running('app', { ready: false })], 'Running'), { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [app]' });
    assert.deepEqual(containersReadyCondition(s, [], [done('app')], 'Succeeded'), { type: 'ContainersReady', status: 'False', reason: 'PodCompleted' });
    const cr = containersReadyCondition(s, [], [running('app')], 'Running');
    assert.deepEqual(readyCondition(s, cr, []), { type: 'Ready', status: 'True' });
    const gated = { ...s, readinessGates: [{ conditionType: 'target-health.elbv2.k8s.aws/tg' }] };
    assert.deepEqual(readyCondition(gated, cr, []), {
      type: 'Ready',
      status: 'False',
      reason: 'ReadinessGatesNotReady',
      message: 'corresponding condition of pod readiness gate "target-health.elbv2.k8s.aws/tg" does not exist.',
    });
  });
});

describe('LogRing', () => {
  test('keeps the newest lines and knows what came after a point', () => {
    const r = new LogRing(3);
    for (let i = 1; i <= 5; i++) r.push({ ts: i, text: `l${i}` });
    assert.deepEqual(r.lines().map((l) => l.text), ['l3', 'l4', 'l5']);
    assert.deepEqual(r.linesAfter(3).map((l) => l.text), ['l4', 'l5']);
    assert.deepEqual(r.linesAfter(0).map((l) => l.text), ['l3', 'l4', 'l5']);
  });
});
