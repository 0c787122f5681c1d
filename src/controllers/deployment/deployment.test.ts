import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment, Event, Pod, ReplicaSet } from '../../api/objects.js';
import { controllerRef, isPodActive, isPodReady } from '../../api/pod.js';
import type { ResourceClient } from '../../client/rest.js';
import { ReplicaSetController } from '../replicaset/replicaset.js';
import { markReady, podsIn, startControllerTest, type ControllerTest } from '../replicaset/testing.js';
import { DeploymentController } from './deployment.js';
import { DEPLOYMENTS, REPLICASETS } from '../../client/refs.js';

const NS = 'default';

type Strategy = NonNullable<Deployment['spec']>['strategy'];

function deployment(name: string, replicas: number, opts: { strategy?: Strategy; image?: string; extra?: Partial<NonNullable<Deployment['spec']>>; annotations?: Record<string, string> } = {}): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS, ...(opts.annotations ? { annotations: opts.annotations } : {}) },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: opts.image ?? 'nginx:1.0' }] } },
      ...(opts.strategy ? { strategy: opts.strategy } : {}),
      ...(opts.extra ?? {}),
    },
  };
}

/** kubectl rollout status's verdict (DeploymentStatusViewer). */
function rolloutStatus(d: Deployment): { done: boolean; message: string } {
  const s = d.status ?? {};
  if ((d.metadata.generation ?? 0) > (s.observedGeneration ?? 0)) return { done: false, message: 'Waiting for deployment spec update to be observed...' };
  const cond = s.conditions?.find((c) => c.type === 'Progressing');
  if (cond?.reason === 'ProgressDeadlineExceeded') throw new Error(`deployment "${d.metadata.name}" exceeded its progress deadline`);
  const want = d.spec?.replicas ?? 1;
  if ((s.updatedReplicas ?? 0) < want) return { done: false, message: `${s.updatedReplicas ?? 0} out of ${want} new replicas have been updated...` };
  if ((s.replicas ?? 0) > (s.updatedReplicas ?? 0)) return { done: false, message: `${(s.replicas ?? 0) - (s.updatedReplicas ?? 0)} old replicas are pending termination...` };
  if ((s.availableReplicas ?? 0) < (s.updatedReplicas ?? 0)) return { done: false, message: `${s.availableReplicas ?? 0} of ${s.updatedReplicas ?? 0} updated replicas are available...` };
  return { done: true, message: `deployment "${d.metadata.name}" successfully rolled out` };
}

describe('DeploymentController', () => {
  let h: ControllerTest;
  let dc: DeploymentController;
  let pods: ResourceClient<Pod>;
  let rss: ResourceClient<ReplicaSet>;
  let deps: ResourceClient<Deployment>;

  beforeEach(async () => {
    h = await startControllerTest();
    dc = new DeploymentController(h.ctx);
    const rsc = new ReplicaSetController(h.ctx);
    dc.start(h.signal);
    rsc.start(h.signal);
    h.startInformers();
    pods = podsIn(h.client, NS);
    rss = h.client.resource<ReplicaSet>(REPLICASETS).namespace(NS);
    deps = h.client.resource<Deployment>(DEPLOYMENTS).namespace(NS);
  });
  afterEach(() => h.stop());

  const clock = () => h.t.clock;
  const activePods = async () => (await pods.list()).items.filter(isPodActive);
  const rsOf = async (name: string) => (await rss.list()).items.filter((rs) => rs.metadata.name!.startsWith(`${name}-`));
  const events = async (reason: string) =>
    (await h.client.resource<Event>({ group: '', version: 'v1', resource: 'events', namespaced: true, kind: 'Event' }).namespace(NS).list()).items
      .filter((e) => e.reason === reason)
      .sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));

  /** Plays the kubelet: readies one pending pod per step until kubectl rollout status would finish. */
  async function rollOut(name: string, opts: { all?: boolean } = {}): Promise<Deployment> {
    for (let i = 0; i < 400; i++) {
      await clock().advance(20);
      const d = await deps.get(name);
      if (rolloutStatus(d).done) return d;
      const pending = (await activePods()).filter((p) => !isPodReady(p)).sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
      for (const p of opts.all ? pending : pending.slice(0, 1)) await markReady(pods, p, clock().now());
    }
    throw new Error(`rollout of ${name} did not finish: ${rolloutStatus(await deps.get(name)).message}`);
  }

  async function setImage(name: string, image: string): Promise<void> {
    await deps.patch(name, 'strategic', { spec: { template: { spec: { containers: [{ name: 'app', image }] } } } });
  }

  /** Watches pods from now on and calls check with the active and ready counts after every event. */
  async function watchPods(check: (active: Pod[], ready: number, ev: { type: string; pod: Pod }) => void): Promise<() => void> {
    const list = await pods.list();
    const state = new Map(list.items.map((p) => [p.metadata.name!, p]));
    const w = await pods.watch({ resourceVersion: list.metadata.resourceVersion });
    void (async () => {
      for await (const ev of w) {
        if (ev.type === 'BOOKMARK' || ev.type === 'ERROR') continue;
        if (ev.type === 'DELETED') state.delete(ev.object.metadata.name!);
        else state.set(ev.object.metadata.name!, ev.object);
        const active = [...state.values()].filter(isPodActive);
        check(active, active.filter(isPodReady).length, { type: ev.type, pod: ev.object });
      }
    })();
    return () => w.close();
  }

  test('creates "<name>-<pod-template-hash>" with the hash on selector, template and pods, and reports a finished rollout', async () => {
    await deps.create(deployment('web', 3, { annotations: { 'kubernetes.io/change-cause': 'kubectl create deployment web --image=nginx:1.0' } }));
    await rollOut('web', { all: true });
    const [rs] = await rsOf('web');
    const hash = rs.metadata.labels!['pod-template-hash'];
    assert.match(hash, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    assert.equal(rs.metadata.name, `web-${hash}`);
    assert.deepEqual(rs.spec!.selector.matchLabels, { app: 'web', 'pod-template-hash': hash });
    assert.equal(rs.spec!.template!.metadata!.labels!['pod-template-hash'], hash);
    assert.equal(rs.metadata.annotations!['deployment.kubernetes.io/revision'], '1');
    assert.equal(rs.metadata.annotations!['deployment.kubernetes.io/desired-replicas'], '3');
    assert.equal(rs.metadata.annotations!['deployment.kubernetes.io/max-replicas'], '4', '3 + 25% rounded up');
    assert.equal(rs.metadata.annotations!['kubernetes.io/change-cause'], 'kubectl create deployment web --image=nginx:1.0');
    for (const p of await activePods()) assert.equal(p.metadata.labels!['pod-template-hash'], hash);

    const d = await deps.get('web');
    assert.equal(d.metadata.annotations!['deployment.kubernetes.io/revision'], '1');
    assert.equal(d.status!.observedGeneration, d.metadata.generation);
    assert.deepEqual(
      { replicas: d.status!.replicas, updated: d.status!.updatedReplicas, ready: d.status!.readyReplicas, available: d.status!.availableReplicas, unavailable: d.status!.unavailableReplicas },
      { replicas: 3, updated: 3, ready: 3, available: 3, unavailable: undefined },
    );
    const available = d.status!.conditions!.find((c) => c.type === 'Available')!;
    assert.deepEqual([available.status, available.reason, available.message], ['True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.']);
    const progressing = d.status!.conditions!.find((c) => c.type === 'Progressing')!;
    assert.deepEqual([progressing.status, progressing.reason, progressing.message], ['True', 'NewReplicaSetAvailable', `ReplicaSet "${rs.metadata.name}" has successfully progressed.`]);
    assert.equal(rolloutStatus(d).message, 'deployment "web" successfully rolled out');
    await dc.flushEvents();
    assert.deepEqual((await events('ScalingReplicaSet')).map((e) => e.message), [`Scaled up replica set ${rs.metadata.name} from 0 to 3`]);
  });

  test('Progressing goes NewReplicaSetCreated → ReplicaSetUpdated → NewReplicaSetAvailable as pods become ready', async () => {
    const w = await deps.watch({ resourceVersion: String(h.t.store.currentRevision()) });
    const seen: string[] = [];
    void (async () => {
      for await (const ev of w) {
        const p = ev.object.status?.conditions?.find((c) => c.type === 'Progressing');
        const line = p ? `${p.reason}: ${p.message}` : '';
        if (line && seen[seen.length - 1] !== line) seen.push(line);
      }
    })();
    await deps.create(deployment('web', 2));
    await rollOut('web');
    await clock().advance(20);
    w.close();
    const [rs] = await rsOf('web');
    assert.deepEqual(seen, [
      `NewReplicaSetCreated: Created new replica set "${rs.metadata.name}"`,
      `ReplicaSetUpdated: ReplicaSet "${rs.metadata.name}" is progressing.`,
      `NewReplicaSetAvailable: ReplicaSet "${rs.metadata.name}" has successfully progressed.`,
    ]);
  });

  for (const c of [
    { replicas: 4, surge: 1, unavailable: 0, maxUp: 1, maxDown: 0 },
    { replicas: 4, surge: 0, unavailable: 1, maxUp: 0, maxDown: 1 },
    { replicas: 4, surge: '25%', unavailable: '25%', maxUp: 1, maxDown: 1 },
    { replicas: 5, surge: 2, unavailable: 1, maxUp: 2, maxDown: 1 },
    { replicas: 3, surge: '50%', unavailable: '50%', maxUp: 2, maxDown: 1 },
  ]) {
    test(`RollingUpdate maxSurge=${c.surge} maxUnavailable=${c.unavailable} on ${c.replicas}: never above ${c.replicas}+${c.maxUp} pods nor below ${c.replicas}-${c.maxDown} ready`, async () => {
      const strategy: Strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: c.surge, maxUnavailable: c.unavailable } };
      await deps.create(deployment('web', c.replicas, { strategy }));
      await rollOut('web', { all: true });
      const violations: string[] = [];
      let maxActive = 0;
      let minReady = Infinity;
      const stop = await watchPods((active, ready, ev) => {
        maxActive = Math.max(maxActive, active.length);
        minReady = Math.min(minReady, ready);
        if (active.length > c.replicas + c.maxUp) violations.push(`${active.length} pods after ${ev.type} ${ev.pod.metadata.name}`);
        if (ready < c.replicas - c.maxDown) violations.push(`${ready} ready after ${ev.type} ${ev.pod.metadata.name}`);
      });
      await setImage('web', 'nginx:2.0');
      const d = await rollOut('web');
      stop();
      assert.deepEqual(violations, []);
      assert.equal(maxActive, c.replicas + c.maxUp, 'the surge is used');
      assert.equal(minReady, c.replicas - c.maxDown, 'the unavailability budget is used');
      const all = await rsOf('web');
      assert.equal(all.length, 2);
      const next = all.find((rs) => rs.spec!.template!.spec!.containers[0].image === 'nginx:2.0')!;
      const prev = all.find((rs) => rs !== next)!;
      assert.equal(next.spec!.replicas, c.replicas);
      assert.equal(prev.spec!.replicas, 0);
      assert.equal(next.metadata.annotations!['deployment.kubernetes.io/revision'], '2');
      assert.equal(d.metadata.annotations!['deployment.kubernetes.io/revision'], '2');
      for (const p of await activePods()) assert.equal(controllerRef(p)!.uid, next.metadata.uid);
      await dc.flushEvents();
      // Past nine messages the recorder combines them, as client-go's EventAggregator words it.
      const scaling = (await events('ScalingReplicaSet')).map((e) => e.message!.replace(/^\(combined from similar events\): /, ''));
      assert.ok(scaling.some((m) => m.startsWith(`Scaled down replica set ${prev.metadata.name} from `) && m.endsWith(' to 0')), scaling.join('\n'));
      assert.ok(scaling.every((m) => /^Scaled (up|down) replica set web-\w+ from \d+ to \d+$/.test(m)), scaling.join('\n'));
    });
  }

  test('Recreate scales the old ReplicaSet to zero and creates new pods only once no old pod is left', async () => {
    await deps.create(deployment('web', 3, { strategy: { type: 'Recreate' } }));
    await rollOut('web', { all: true });
    const [old] = await rsOf('web');
    const violations: string[] = [];
    const stop = await watchPods((active, _ready, ev) => {
      if (ev.type !== 'ADDED') return;
      const olds = active.filter((p) => controllerRef(p)?.uid === old.metadata.uid);
      if (olds.length) violations.push(`${ev.pod.metadata.name} created while ${olds.length} old pods exist`);
    });
    await setImage('web', 'nginx:2.0');
    await rollOut('web', { all: true });
    stop();
    assert.deepEqual(violations, []);
    assert.equal((await rss.get(old.metadata.name!)).spec!.replicas, 0);
    assert.equal((await activePods()).length, 3);
  });

  test('rollout undo reuses the old ReplicaSet under the next revision and keeps revision-history', async () => {
    await deps.create(deployment('web', 2, { annotations: { 'kubernetes.io/change-cause': 'v1' } }));
    await rollOut('web', { all: true });
    const [first] = await rsOf('web');
    await deps.patch('web', 'merge', { metadata: { annotations: { 'kubernetes.io/change-cause': 'v2' } }, spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:2.0' }] } } } });
    await rollOut('web', { all: true });
    const second = (await rsOf('web')).find((rs) => rs.metadata.uid !== first.metadata.uid)!;
    assert.equal(second.metadata.annotations!['deployment.kubernetes.io/revision'], '2');
    assert.equal(second.metadata.annotations!['kubernetes.io/change-cause'], 'v2');

    // kubectl rollout undo: the old ReplicaSet's template without its hash, and its annotations.
    const d = await deps.get('web');
    const template = structuredClone(first.spec!.template!);
    delete template.metadata!.labels!['pod-template-hash'];
    const annotations: Record<string, string> = { 'deployment.kubernetes.io/revision': d.metadata.annotations!['deployment.kubernetes.io/revision'] };
    for (const [k, v] of Object.entries(first.metadata.annotations!)) {
      if (!k.startsWith('deployment.kubernetes.io/')) annotations[k] = v;
    }
    await deps.patch('web', 'json', [
      { op: 'replace', path: '/spec/template', value: template },
      { op: 'replace', path: '/metadata/annotations', value: annotations },
    ]);
    await rollOut('web', { all: true });

    const all = await rsOf('web');
    assert.equal(all.length, 2, 'no third ReplicaSet');
    const reused = all.find((rs) => rs.metadata.uid === first.metadata.uid)!;
    assert.equal(reused.spec!.replicas, 2);
    assert.equal(reused.metadata.annotations!['deployment.kubernetes.io/revision'], '3');
    assert.equal(reused.metadata.annotations!['deployment.kubernetes.io/revision-history'], '1');
    assert.equal(reused.metadata.annotations!['kubernetes.io/change-cause'], 'v1');
    assert.equal((await rss.get(second.metadata.name!)).spec!.replicas, 0);
    assert.equal((await deps.get('web')).metadata.annotations!['deployment.kubernetes.io/revision'], '3');
    // kubectl rollout history: one row per ReplicaSet revision.
    const history = (await rsOf('web')).map((rs) => [Number(rs.metadata.annotations!['deployment.kubernetes.io/revision']), rs.metadata.annotations!['kubernetes.io/change-cause']]).sort();
    assert.deepEqual(history, [
      [2, 'v2'],
      [3, 'v1'],
    ]);
  });

  test('revisionHistoryLimit deletes the oldest scaled-down ReplicaSets beyond the limit', async () => {
    await deps.create(deployment('web', 1, { extra: { revisionHistoryLimit: 1 } }));
    await rollOut('web', { all: true });
    const firstName = (await rsOf('web'))[0].metadata.name;
    for (const image of ['nginx:2.0', 'nginx:3.0', 'nginx:4.0']) {
      await setImage('web', image);
      await rollOut('web', { all: true });
    }
    // One more sync after completion does the cleanup.
    for (let i = 0; i < 50 && (await rsOf('web')).length > 2; i++) await clock().advance(20);
    const left = await rsOf('web');
    assert.equal(left.length, 2, left.map((rs) => rs.metadata.name).join(','));
    assert.deepEqual(left.map((rs) => rs.metadata.annotations!['deployment.kubernetes.io/revision']).sort(), ['3', '4']);
    assert.ok(!left.some((rs) => rs.metadata.name === firstName));
  });

  test('paused: a template change rolls nothing out; resume rolls it out (DeploymentPaused, DeploymentResumed)', async () => {
    await deps.create(deployment('web', 2));
    await rollOut('web', { all: true });
    await deps.patch('web', 'merge', { spec: { paused: true } });
    await setImage('web', 'nginx:2.0');
    for (let i = 0; i < 20; i++) await clock().advance(20);
    let d = await deps.get('web');
    let p = d.status!.conditions!.find((c) => c.type === 'Progressing')!;
    assert.deepEqual([p.status, p.reason, p.message], ['Unknown', 'DeploymentPaused', 'Deployment is paused']);
    assert.equal(d.status!.observedGeneration, d.metadata.generation, 'observed, even while paused');
    assert.equal((await rsOf('web')).length, 1, 'no new ReplicaSet while paused');

    await deps.patch('web', 'merge', { spec: { paused: false } });
    let sawResumed = false;
    for (let i = 0; i < 50 && !sawResumed; i++) {
      await clock().advance(2);
      p = (await deps.get('web')).status!.conditions!.find((c) => c.type === 'Progressing')!;
      sawResumed = p.reason === 'DeploymentResumed' || (await rsOf('web')).length === 2;
    }
    assert.ok(sawResumed);
    d = await rollOut('web', { all: true });
    p = d.status!.conditions!.find((c) => c.type === 'Progressing')!;
    assert.equal(p.reason, 'NewReplicaSetAvailable');
    assert.equal((await rsOf('web')).length, 2);
  });

  test('pods that never become ready exceed progressDeadlineSeconds: ProgressDeadlineExceeded on the clock alone', async () => {
    await deps.create(deployment('web', 2, { extra: { progressDeadlineSeconds: 60 } }));
    for (let i = 0; i < 20; i++) await clock().advance(20);
    const [rs] = await rsOf('web');
    assert.equal((await activePods()).length, 2);
    let p = (await deps.get('web')).status!.conditions!.find((c) => c.type === 'Progressing')!;
    assert.equal(p.status, 'True');
    await clock().advance(55_000);
    p = (await deps.get('web')).status!.conditions!.find((c) => c.type === 'Progressing')!;
    assert.equal(p.status, 'True', 'not before the deadline');
    await clock().advance(10_000);
    for (let i = 0; i < 10; i++) await clock().advance(20);
    const d = await deps.get('web');
    p = d.status!.conditions!.find((c) => c.type === 'Progressing')!;
    assert.deepEqual([p.status, p.reason, p.message], ['False', 'ProgressDeadlineExceeded', `ReplicaSet "${rs.metadata.name}" has timed out progressing.`]);
    const a = d.status!.conditions!.find((c) => c.type === 'Available')!;
    assert.deepEqual([a.status, a.reason, a.message], ['False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.']);
    assert.throws(() => rolloutStatus(d), /deployment "web" exceeded its progress deadline/);
  });

  test('scaling during a rollout is proportional across the active ReplicaSets', async () => {
    await deps.create(deployment('web', 10, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } }));
    await rollOut('web', { all: true });
    await setImage('web', 'nginx:2.0');
    // Nothing new becomes ready: the rollout stalls at 10+3 replicas, 8 of them old.
    for (let i = 0; i < 30; i++) await clock().advance(20);
    const before = await rsOf('web');
    assert.deepEqual(before.map((rs) => rs.spec!.replicas).sort((a, b) => a! - b!), [5, 8]);
    await deps.patch('web', 'merge', { spec: { replicas: 20 } });
    for (let i = 0; i < 30; i++) await clock().advance(20);
    const after = await rsOf('web');
    // 13 → 23 allowed (20 + 3): 8 → 14 (8·23/13 = 14.15), 5 → 9 (5·23/13 = 8.85).
    assert.deepEqual(after.map((rs) => rs.spec!.replicas).sort((a, b) => a! - b!), [9, 14]);
    for (const rs of after) {
      assert.equal(rs.metadata.annotations!['deployment.kubernetes.io/desired-replicas'], '20');
      assert.equal(rs.metadata.annotations!['deployment.kubernetes.io/max-replicas'], '23');
    }
  });
});
