import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../apiserver/testing.js';
import type { Event } from '../../api/objects.js';
import type { SharedInformerFactory } from '../../client/informer.js';
import type { ResourceClient, RestClient } from '../../client/rest.js';
import { eventually } from '../../client/testing.js';
import { JobController } from './job-controller.js';
import { adminClient, fakeKubelet, testContext, type PodOutcome } from './testing.js';
import type { Job, Pod } from './types.js';
import { JOB_TRACKING_FINALIZER } from './util.js';
import type { ControllerContext } from '../context.js';
import { EVENTS, JOBS, PODS } from '../../client/refs.js';

function job(name: string, spec: Record<string, unknown> = {}, podSpec: Record<string, unknown> = {}): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: {
      template: { spec: { restartPolicy: 'Never', containers: [{ name: 'work', image: 'busybox' }], ...podSpec } },
      ...spec,
    },
  } as Job;
}

describe('JobController', () => {
  let t: TestServer;
  let admin: RestClient;
  let jobs: ResourceClient<Job>;
  let pods: ResourceClient<Pod>;
  let ctx: ControllerContext;
  let informers: SharedInformerFactory;
  let stop: AbortController;
  let logs: string[];
  let outcome: (pod: Pod) => PodOutcome;
  let kubelet: { seen: Pod[] };

  beforeEach(async () => {
    t = await startTestServer();
    admin = adminClient(t);
    jobs = admin.resource<Job>(JOBS).namespace('default');
    pods = admin.resource<Pod>(PODS).namespace('default');
    logs = [];
    ({ ctx, informers } = testContext(t, logs));
    outcome = () => ({ phase: 'Succeeded' });
    kubelet = fakeKubelet(t, informers, (p) => outcome(p));
    stop = new AbortController();
    new JobController(ctx).start(stop.signal);
    informers.start(stop.signal);
    await informers.waitForCacheSync();
  });
  afterEach(() => {
    stop.abort();
    t.stop();
  });

  const get = (name: string) => jobs.get(name);
  const condition = (j: Job, type: string) => j.status?.conditions?.find((c) => c.type === type);
  async function events(name: string): Promise<string[]> {
    const list = await admin.resource<Event>(EVENTS).namespace('default').list();
    return list.items
      .filter((e) => e.involvedObject.name === name && e.involvedObject.kind === 'Job')
      .sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!))
      .map((e) => `${e.type} ${e.reason} ${e.message}${(e.count ?? 1) > 1 ? ` (x${e.count})` : ''}`);
  }
  async function until(name: string, cond: (j: Job) => boolean, stepMs = 500): Promise<Job> {
    let last: Job | undefined;
    await eventually(
      async () => {
        last = await get(name);
        return cond(last);
      },
      { clock: t.clock, stepMs, describe: () => `job ${name}: ${JSON.stringify(last?.status)}; log: ${logs.join(' | ')}` },
    );
    return last!;
  }
  const finished = (j: Job) => !!j.status?.conditions?.some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');

  test('runs completions with at most parallelism pods, then sets SuccessCriteriaMet and Complete as v1.32 does', async () => {
    await jobs.create(job('pi', { completions: 3, parallelism: 2 }));
    const done = await until('pi', finished);
    assert.equal(done.status?.succeeded, 3);
    assert.equal(done.status?.failed, undefined);
    assert.equal(done.status?.active, 0);
    assert.equal(done.status?.ready, 0);
    assert.equal(done.status?.terminating, 0);
    assert.deepEqual(done.status?.uncountedTerminatedPods, {});
    assert.ok(done.status?.startTime);
    assert.equal(done.status?.completionTime, condition(done, 'Complete')?.lastTransitionTime);
    assert.deepEqual(
      done.status?.conditions?.map((c) => [c.type, c.status, c.reason, c.message]),
      [
        ['SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
        ['Complete', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
      ],
    );
    assert.equal(kubelet.seen.length, 3, 'exactly completions pods were created');
    const all = (await pods.list()).items;
    assert.ok(all.every((p) => !p.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER)), 'every finished pod lost the tracking finalizer');
    const ev = await events('pi');
    assert.equal(ev.filter((e) => e.startsWith('Normal SuccessfulCreate Created pod: pi-')).length, 3);
    assert.equal(ev[ev.length - 1], 'Normal Completed Job completed');
  });

  test('never runs more than parallelism pods at once', async () => {
    outcome = () => undefined; // pods keep running
    await jobs.create(job('wide', { completions: 5, parallelism: 2 }));
    const running = await until('wide', (j) => j.status?.active === 2);
    assert.equal(running.status?.ready, 0);
    await t.clock.advance(5_000);
    assert.equal((await pods.list()).items.length, 2);
  });

  test('labels each pod for the Job, owns it as controller, and holds it with the tracking finalizer', async () => {
    outcome = () => undefined;
    const created = await jobs.create(job('labelled'));
    await until('labelled', (j) => j.status?.active === 1);
    const [pod] = (await pods.list()).items;
    const uid = created.metadata.uid!;
    assert.match(pod.metadata.name!, /^labelled-[a-z0-9]{5}$/);
    assert.equal(pod.metadata.labels?.['batch.kubernetes.io/controller-uid'], uid);
    assert.equal(pod.metadata.labels?.['batch.kubernetes.io/job-name'], 'labelled');
    assert.equal(pod.metadata.labels?.['controller-uid'], uid);
    assert.equal(pod.metadata.labels?.['job-name'], 'labelled');
    assert.deepEqual(pod.metadata.finalizers, [JOB_TRACKING_FINALIZER]);
    assert.deepEqual(pod.metadata.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'Job', name: 'labelled', uid, controller: true, blockOwnerDeletion: true }]);
  });

  test('a Job without completions completes once one pod succeeded and the rest have finished', async () => {
    let n = 0;
    outcome = () => (n++ === 0 ? { phase: 'Succeeded' } : undefined);
    await jobs.create(job('queue', { parallelism: 2 }));
    await until('queue', (j) => j.status?.succeeded === 1);
    const mid = await get('queue');
    assert.equal(finished(mid), false, 'the other worker still runs');
    assert.equal(mid.status?.active, 1);
    const rest = (await pods.list()).items.find((p) => p.status?.phase !== 'Succeeded')!;
    await pods.patch(rest.metadata.name!, 'merge', { status: { phase: 'Succeeded' } }, { subresource: 'status' });
    const done = await until('queue', finished);
    assert.equal(done.status?.succeeded, 2);
    assert.equal(kubelet.seen.length, 2, 'no pod replaces the worker after the first success');
  });

  test('Indexed: one pod per completion index with its annotation, label, hostname and env, and completedIndexes', async () => {
    const seen: Pod[] = [];
    outcome = (p) => {
      seen.push(p);
      return { phase: 'Succeeded' };
    };
    await jobs.create(job('idx', { completions: 4, parallelism: 2, completionMode: 'Indexed' }));
    const done = await until('idx', finished);
    assert.equal(done.status?.completedIndexes, '0-3');
    assert.equal(done.status?.succeeded, 4);
    const indexes = seen.map((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index']).sort();
    assert.deepEqual(indexes, ['0', '1', '2', '3']);
    for (const p of seen) {
      const ix = p.metadata.annotations!['batch.kubernetes.io/job-completion-index'];
      assert.equal(p.metadata.labels?.['batch.kubernetes.io/job-completion-index'], ix);
      assert.equal(p.spec?.hostname, `idx-${ix}`);
      assert.match(p.metadata.name!, new RegExp(`^idx-${ix}-[a-z0-9]{5}$`));
      assert.deepEqual(p.spec?.containers[0].env, [
        { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.labels['batch.kubernetes.io/job-completion-index']" } } },
      ]);
    }
  });

  test('Indexed: a failed index is retried under the same index; completedIndexes lists ranges as upstream', async () => {
    let failedOnce = false;
    outcome = (p) => {
      const ix = p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'];
      if (ix === '1' && !failedOnce) {
        failedOnce = true;
        return { phase: 'Failed' };
      }
      return ix === '4' ? undefined : { phase: 'Succeeded' };
    };
    await jobs.create(job('gaps', { completions: 5, parallelism: 5, completionMode: 'Indexed' }));
    const j = await until('gaps', (x) => x.status?.succeeded === 4, 1000);
    assert.equal(j.status?.completedIndexes, '0-3');
    assert.equal(j.status?.failed, 1);
    assert.equal(j.status?.active, 1);
  });

  test('backoffLimit: failures are retried after 10 s, then 20 s, and the Job fails with BackoffLimitExceeded', async () => {
    const created: number[] = [];
    outcome = () => {
      created.push(t.clock.now());
      return { phase: 'Failed' };
    };
    await jobs.create(job('flaky', { backoffLimit: 2 }));
    const done = await until('flaky', finished, 1000);
    assert.equal(done.status?.failed, 3);
    assert.equal(done.status?.succeeded, undefined);
    assert.deepEqual(
      done.status?.conditions?.map((c) => [c.type, c.status, c.reason, c.message]),
      [
        ['FailureTarget', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
        ['Failed', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
      ],
    );
    assert.equal(done.status?.completionTime, undefined, 'a failed Job has no completionTime');
    assert.equal(created.length, 3);
    const gaps = [created[1] - created[0], created[2] - created[1]];
    assert.ok(gaps[0] >= 10_000 && gaps[0] < 12_000, `first retry after ~10 s, got ${gaps[0]}`);
    assert.ok(gaps[1] >= 20_000 && gaps[1] < 22_000, `second retry after ~20 s, got ${gaps[1]}`);
    const ev = await events('flaky');
    assert.equal(ev[ev.length - 1], 'Warning BackoffLimitExceeded Job has reached the specified backoff limit');
  });

  test('activeDeadlineSeconds: running pods are deleted and the Job fails with DeadlineExceeded, on the clock', async () => {
    outcome = () => undefined;
    await jobs.create(job('slow', { activeDeadlineSeconds: 30, parallelism: 2, completions: 2 }));
    await until('slow', (j) => j.status?.active === 2);
    await t.clock.advance(20_000);
    assert.equal(finished(await get('slow')), false, 'still within the deadline');
    const done = await until('slow', finished, 1000);
    assert.ok(t.clock.now() - Date.parse(done.status!.startTime!) >= 30_000);
    assert.deepEqual(
      done.status?.conditions?.map((c) => [c.type, c.reason, c.message]),
      [
        ['FailureTarget', 'DeadlineExceeded', 'Job was active longer than specified deadline'],
        ['Failed', 'DeadlineExceeded', 'Job was active longer than specified deadline'],
      ],
    );
    assert.equal(done.status?.failed, 2, 'the deleted pods count as failed');
    assert.equal(done.status?.active, 0);
    await eventually(async () => (await pods.list()).items.length === 0, { clock: t.clock, stepMs: 500 });
    const ev = await events('slow');
    assert.ok(ev.includes('Warning DeadlineExceeded Job was active longer than specified deadline'), ev.join('\n'));
    assert.equal(ev.filter((e) => e.startsWith('Normal SuccessfulDelete Deleted pod: slow-')).length, 2);
  });

  test('suspend: no pods and a Suspended condition; resuming starts the pods and resets startTime', async () => {
    outcome = () => undefined;
    await jobs.create(job('paused', { suspend: true }));
    const s = await until('paused', (j) => condition(j, 'Suspended')?.status === 'True');
    assert.deepEqual([condition(s, 'Suspended')?.reason, condition(s, 'Suspended')?.message], ['JobSuspended', 'Job suspended']);
    assert.equal(s.status?.startTime, undefined);
    assert.equal((await pods.list()).items.length, 0);
    await t.clock.advance(60_000);
    await jobs.patch('paused', 'merge', { spec: { suspend: false } });
    const r = await until('paused', (j) => j.status?.active === 1);
    assert.deepEqual([condition(r, 'Suspended')?.status, condition(r, 'Suspended')?.reason, condition(r, 'Suspended')?.message], ['False', 'JobResumed', 'Job resumed']);
    assert.ok(Date.parse(r.status!.startTime!) >= Date.parse(condition(r, 'Suspended')!.lastTransitionTime!));
    await jobs.patch('paused', 'merge', { spec: { suspend: true } });
    await until('paused', (j) => j.status?.active === 0 && condition(j, 'Suspended')?.status === 'True');
    await eventually(async () => (await pods.list()).items.length === 0, { clock: t.clock, stepMs: 500 });
    // The recorder folds the repeated Suspended event into one with a count, as client-go does.
    await eventually(async () => (await events('paused')).includes('Normal Suspended Job suspended (x2)'), { clock: t.clock });
    assert.deepEqual(
      (await events('paused')).filter((e) => / (Suspended|Resumed) /.test(e)),
      ['Normal Suspended Job suspended (x2)', 'Normal Resumed Job resumed'],
    );
  });

  test('podFailurePolicy: FailJob on an exit code fails the Job at once with the rule named', async () => {
    outcome = () => ({ phase: 'Failed', exitCode: 42 });
    await jobs.create(
      job('policy', { backoffLimit: 6, podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { containerName: 'work', operator: 'In', values: [42] } }] } }),
    );
    const done = await until('policy', finished);
    const failed = condition(done, 'Failed')!;
    assert.equal(failed.reason, 'PodFailurePolicy');
    assert.match(failed.message!, /^Container work for pod default\/policy-[a-z0-9]{5} failed with exit code 42 matching FailJob rule at index 0$/);
    assert.equal(condition(done, 'FailureTarget')?.message, failed.message);
    assert.equal(done.status?.failed, 1);
  });

  test('podFailurePolicy: Ignore does not count the failure against backoffLimit', async () => {
    let n = 0;
    outcome = () => (n++ === 0 ? { phase: 'Failed', conditions: [{ type: 'DisruptionTarget', status: 'True' }] } : { phase: 'Succeeded' });
    await jobs.create(job('disrupted', { backoffLimit: 0, podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] } }));
    const done = await until('disrupted', finished);
    assert.equal(condition(done, 'Complete')?.status, 'True');
    assert.equal(done.status?.failed, undefined);
    assert.equal(done.status?.succeeded, 1);
  });

  test('a pod deleted from under a running Job is counted as failed and replaced', async () => {
    outcome = () => undefined;
    await jobs.create(job('victim'));
    await until('victim', (j) => j.status?.active === 1);
    const [pod] = (await pods.list()).items;
    await pods.delete(pod.metadata.name!);
    const j = await until('victim', (x) => x.status?.failed === 1 && x.status?.active === 1, 1000);
    assert.equal(j.status?.terminating, 0);
    await eventually(async () => (await pods.list()).items.every((p) => p.metadata.uid !== pod.metadata.uid), { clock: t.clock, stepMs: 500 });
  });

  test('a Job that already finished is left alone', async () => {
    await jobs.create(job('once'));
    await until('once', finished);
    const before = await get('once');
    await t.clock.advance(60_000);
    const after = await get('once');
    assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion);
    assert.equal(kubelet.seen.length, 1);
  });
});
