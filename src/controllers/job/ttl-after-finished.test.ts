import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../apiserver/testing.js';
import { isNotFound, type ResourceClient } from '../../client/rest.js';
import { eventually } from '../../client/testing.js';
import { JobController } from './job-controller.js';
import { TTLAfterFinishedController } from './ttl-after-finished.js';
import { adminClient, fakeKubelet, testContext } from './testing.js';
import type { Job } from './types.js';
import { isJobFinished } from './util.js';
import { JOBS } from '../../client/refs.js';

describe('TTLAfterFinishedController', () => {
  let t: TestServer;
  let jobs: ResourceClient<Job>;
  let stop: AbortController;

  beforeEach(async () => {
    t = await startTestServer();
    jobs = adminClient(t).resource<Job>(JOBS).namespace('default');
    const { ctx, informers } = testContext(t);
    fakeKubelet(t, informers, () => ({ phase: 'Succeeded' }));
    stop = new AbortController();
    new JobController(ctx).start(stop.signal);
    new TTLAfterFinishedController(ctx).start(stop.signal);
    informers.start(stop.signal);
    await informers.waitForCacheSync();
  });
  afterEach(() => {
    stop.abort();
    t.stop();
  });

  const mk = (name: string, ttl?: number): Job =>
    ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name },
      spec: { ...(ttl === undefined ? {} : { ttlSecondsAfterFinished: ttl }), template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
    }) as Job;
  const exists = async (name: string) => jobs.get(name).then(() => true, (e) => (isNotFound(e) ? false : Promise.reject(e)));

  test('deletes a finished Job ttlSecondsAfterFinished after it finished, not before', async () => {
    await jobs.create(mk('short', 100));
    await eventually(async () => isJobFinished(await jobs.get('short')), { clock: t.clock, stepMs: 500 });
    const finishedAt = Date.parse((await jobs.get('short')).status!.completionTime!);
    await t.clock.advance(finishedAt + 99_000 - t.clock.now());
    assert.ok(await exists('short'), 'still there one second before the TTL');
    await eventually(async () => !(await exists('short')), { clock: t.clock, stepMs: 500 });
    assert.ok(t.clock.now() >= finishedAt + 100_000);
  });

  test('ttlSecondsAfterFinished: 0 deletes the Job as soon as it finishes; Jobs without a TTL stay', async () => {
    await jobs.create(mk('zero', 0));
    await jobs.create(mk('keep'));
    await eventually(async () => !(await exists('zero')), { clock: t.clock, stepMs: 500 });
    await eventually(async () => isJobFinished(await jobs.get('keep')), { clock: t.clock, stepMs: 500 });
    await t.clock.advance(3_600_000);
    assert.ok(await exists('keep'));
  });

  test('a TTL raised before it expires postpones the deletion', async () => {
    await jobs.create(mk('extended', 60));
    await eventually(async () => isJobFinished(await jobs.get('extended')), { clock: t.clock, stepMs: 500 });
    await jobs.patch('extended', 'merge', { spec: { ttlSecondsAfterFinished: 600 } });
    await t.clock.advance(120_000);
    assert.ok(await exists('extended'));
    await eventually(async () => !(await exists('extended')), { clock: t.clock, stepMs: 10_000 });
  });
});
