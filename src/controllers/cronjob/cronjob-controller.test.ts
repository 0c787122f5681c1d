import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../apiserver/testing.js';
import type { Event } from '../../api/objects.js';
import type { SharedInformerFactory } from '../../client/informer.js';
import type { ResourceClient, RestClient } from '../../client/rest.js';
import { eventually } from '../../client/testing.js';
import type { ControllerContext } from '../context.js';
import { JobController } from '../job/job-controller.js';
import { adminClient, fakeKubelet, testContext, type PodOutcome } from '../job/testing.js';
import type { CronJob, Job, Pod } from '../job/types.js';
import { CronJobController, jobNameFor, SCHEDULED_TIMESTAMP_ANNOTATION } from './cronjob-controller.js';
import { parseSchedule, rfc3339In } from './schedule.js';
import { CRONJOBS, EVENTS, JOBS } from '../../client/refs.js';

const T0 = Date.UTC(2026, 0, 1);

function cronJob(name: string, schedule: string, spec: Record<string, unknown> = {}): CronJob {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: 'default' },
    spec: {
      schedule,
      jobTemplate: {
        metadata: { labels: { app: name }, annotations: { team: 'batch' } },
        spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'tick', image: 'busybox' }] } } },
      },
      ...spec,
    },
  } as CronJob;
}

describe('schedule', () => {
  test('next is strictly after the given time, for fields, descriptors, @every and time zones', () => {
    const cases: [string, number, string][] = [
      ['*/5 * * * *', T0, '2026-01-01T00:05:00.000Z'],
      ['*/5 * * * *', T0 + 5 * 60_000, '2026-01-01T00:10:00.000Z'],
      ['@hourly', T0 + 1, '2026-01-01T01:00:00.000Z'],
      ['@every 90s', T0 + 500, '2026-01-01T00:01:30.000Z'],
      ['TZ=Asia/Tokyo 0 9 * * *', T0 + 60_000, '2026-01-02T00:00:00.000Z'],
      ['CRON_TZ=America/New_York 30 1 * * *', T0, '2026-01-01T06:30:00.000Z'],
    ];
    for (const [spec, from, want] of cases) assert.equal(new Date(parseSchedule(spec).next(from)).toISOString(), want, spec);
  });

  test('refuses what never fires or does not parse', () => {
    for (const bad of ['59 23 31 2 *', 'bogus', '* * * *', '@every nonsense']) assert.throws(() => parseSchedule(bad), bad);
  });

  test('the scheduled-timestamp annotation is RFC 3339 in the CronJob time zone, Z for UTC', () => {
    assert.equal(rfc3339In(T0 + 5 * 60_000, undefined), '2026-01-01T00:05:00Z');
    assert.equal(rfc3339In(T0 + 5 * 60_000, 'Asia/Kolkata'), '2026-01-01T05:35:00+05:30');
    assert.equal(rfc3339In(T0, 'America/New_York'), '2025-12-31T19:00:00-05:00');
    // The zone's formatter is kept: the offset still follows daylight saving time.
    assert.equal(rfc3339In(Date.UTC(2026, 6, 1, 12), 'America/New_York'), '2026-07-01T08:00:00-04:00');
    assert.equal(rfc3339In(T0, 'UTC'), '2026-01-01T00:00:00Z');
  });
});

describe('CronJobController', () => {
  let t: TestServer;
  let admin: RestClient;
  let cronJobs: ResourceClient<CronJob>;
  let jobs: ResourceClient<Job>;
  let ctx: ControllerContext;
  let informers: SharedInformerFactory;
  let stop: AbortController;
  let logs: string[];
  let outcome: (p: Pod) => PodOutcome;

  beforeEach(async () => {
    t = await startTestServer();
    admin = adminClient(t);
    cronJobs = admin.resource<CronJob>(CRONJOBS).namespace('default');
    jobs = admin.resource<Job>(JOBS).namespace('default');
    logs = [];
    ({ ctx, informers } = testContext(t, logs));
    outcome = () => ({ phase: 'Succeeded' });
    fakeKubelet(t, informers, (p) => outcome(p));
    stop = new AbortController();
    new JobController(ctx).start(stop.signal);
    new CronJobController(ctx).start(stop.signal);
    informers.start(stop.signal);
    await informers.waitForCacheSync();
  });
  afterEach(() => {
    stop.abort();
    t.stop();
  });

  async function events(name: string): Promise<{ type: string; reason: string; message: string; count: number }[]> {
    const list = await admin.resource<Event>(EVENTS).namespace('default').list();
    return list.items
      .filter((e) => e.involvedObject.name === name && e.involvedObject.kind === 'CronJob')
      .sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!))
      .map((e) => ({ type: e.type!, reason: e.reason!, message: e.message!, count: e.count ?? 1 }));
  }
  async function advance(ms: number, step = 1000): Promise<void> {
    for (let left = ms; left > 0; left -= step) await t.clock.advance(Math.min(step, left));
  }

  // How fast a virtual hour passes is measured in bench/cluster.bench.ts, never asserted here.
  test('"*/5 * * * *" runs exactly 12 times in one virtual hour, each Job completing', async () => {
    await cronJobs.create(cronJob('every5', '*/5 * * * *', { successfulJobsHistoryLimit: 20 }));
    await t.clock.advance(3_600_000);
    await eventually(async () => (await jobs.list()).items.filter((j) => j.metadata.name!.startsWith('every5-') && j.status?.completionTime).length === 12, { clock: t.clock, stepMs: 500 });
    const all = (await jobs.list()).items.filter((j) => j.metadata.name!.startsWith('every5-'));
    const names = all.map((j) => j.metadata.name).sort();
    const expected = Array.from({ length: 12 }, (_, i) => jobNameFor('every5', T0 + (i + 1) * 5 * 60_000)).sort();
    assert.deepEqual(names, expected);
    assert.ok(all.every((j) => j.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True')), 'every run completed');
    const cj = await cronJobs.get('every5');
    assert.equal(cj.status?.lastScheduleTime, '2026-01-01T01:00:00Z');
    assert.equal(cj.status?.lastSuccessfulTime !== undefined, true);
    assert.equal(cj.status?.active, undefined, 'nothing left running');
    const ev = await events('every5');
    // Five minutes apart, the 10th and later messages for one reason are combined (client-go's
    // EventAggregator): nine events, then one "(combined from similar events)" counting three.
    for (const reason of ['SuccessfulCreate', 'SawCompletedJob']) {
      const of = ev.filter((e) => e.reason === reason);
      assert.equal(of.reduce((n, e) => n + e.count, 0), 12, reason);
      const combined = of.filter((e) => e.message.startsWith('(combined from similar events): '));
      assert.deepEqual([of.length, combined.length, combined[0]?.count], [10, 1, 3], reason);
    }
  });

  test('names, labels, annotates and owns each Job; events SuccessfulCreate and SawCompletedJob as upstream words them', async () => {
    const created = await cronJobs.create(cronJob('report', '*/10 * * * *'));
    await advance(10 * 60_000 + 5_000);
    const name = jobNameFor('report', T0 + 10 * 60_000);
    const job = await jobs.get(name);
    assert.equal(name, `report-${(T0 + 600_000) / 60_000}`);
    assert.equal(job.metadata.labels?.app, 'report');
    assert.equal(job.metadata.annotations?.team, 'batch');
    assert.equal(job.metadata.annotations?.[SCHEDULED_TIMESTAMP_ANNOTATION], '2026-01-01T00:10:00Z');
    assert.deepEqual(job.metadata.ownerReferences, [
      { apiVersion: 'batch/v1', kind: 'CronJob', name: 'report', uid: created.metadata.uid, controller: true, blockOwnerDeletion: true },
    ]);
    await eventually(async () => (await events('report')).some((e) => e.reason === 'SawCompletedJob'), { clock: t.clock, stepMs: 500 });
    const ev = await events('report');
    assert.deepEqual(
      ev.map((e) => `${e.type} ${e.reason} ${e.message}`),
      [`Normal SuccessfulCreate Created job ${name}`, `Normal SawCompletedJob Saw completed job: ${name}, status: Complete`],
    );
  });

  test('status.active lists the running Job with its reference while it runs', async () => {
    outcome = () => undefined;
    await cronJobs.create(cronJob('long', '*/5 * * * *'));
    await advance(5 * 60_000 + 2_000);
    const cj = await cronJobs.get('long');
    const name = jobNameFor('long', T0 + 5 * 60_000);
    const job = await jobs.get(name);
    assert.equal(cj.status?.active?.length, 1);
    assert.deepEqual(
      { kind: cj.status!.active![0].kind, name: cj.status!.active![0].name, namespace: cj.status!.active![0].namespace, uid: cj.status!.active![0].uid, apiVersion: cj.status!.active![0].apiVersion },
      { kind: 'Job', name, namespace: 'default', uid: job.metadata.uid, apiVersion: 'batch/v1' },
    );
    assert.equal(cj.status?.lastScheduleTime, '2026-01-01T00:05:00Z');
  });

  test('concurrencyPolicy Forbid skips a run while the previous one is active, with JobAlreadyActive', async () => {
    outcome = () => undefined;
    await cronJobs.create(cronJob('solo', '*/5 * * * *', { concurrencyPolicy: 'Forbid' }));
    await advance(15 * 60_000 + 2_000);
    const all = (await jobs.list()).items;
    assert.deepEqual(all.map((j) => j.metadata.name), [jobNameFor('solo', T0 + 5 * 60_000)]);
    const ev = await events('solo');
    const already = ev.find((e) => e.reason === 'JobAlreadyActive');
    assert.equal(already?.message, 'Not starting job because prior execution is running and concurrency policy is Forbid');
    assert.equal(already?.type, 'Normal');
    assert.equal(already?.count, 2, 'at 00:10 and at 00:15');
  });

  test('concurrencyPolicy Replace deletes the running Job and starts the new one', async () => {
    outcome = () => undefined;
    await cronJobs.create(cronJob('fresh', '*/5 * * * *', { concurrencyPolicy: 'Replace' }));
    await advance(10 * 60_000 + 2_000);
    const first = jobNameFor('fresh', T0 + 5 * 60_000);
    const second = jobNameFor('fresh', T0 + 10 * 60_000);
    const cj = await cronJobs.get('fresh');
    assert.deepEqual(cj.status?.active?.map((r) => r.name), [second]);
    await eventually(async () => (await jobs.list()).items.every((j) => j.metadata.name !== first || !!j.metadata.deletionTimestamp), { clock: t.clock });
    const ev = (await events('fresh')).map((e) => `${e.reason} ${e.message}`);
    assert.deepEqual(ev, [`SuccessfulCreate Created job ${first}`, `SuccessfulDelete Deleted job ${first}`, `SuccessfulCreate Created job ${second}`]);
  });

  test('concurrencyPolicy Allow runs overlapping Jobs', async () => {
    outcome = () => undefined;
    await cronJobs.create(cronJob('many', '*/5 * * * *'));
    await advance(15 * 60_000 + 2_000);
    assert.equal((await cronJobs.get('many')).status?.active?.length, 3);
  });

  test('suspend stops new runs; resuming after missed schedules runs only the most recent one', async () => {
    await cronJobs.create(cronJob('sleepy', '*/5 * * * *', { suspend: true }));
    await advance(30 * 60_000);
    assert.equal((await jobs.list()).items.length, 0);
    await cronJobs.patch('sleepy', 'merge', { spec: { suspend: false } });
    await advance(2_000);
    const names = (await jobs.list()).items.map((j) => j.metadata.name);
    assert.deepEqual(names, [jobNameFor('sleepy', T0 + 30 * 60_000)]);
  });

  test('startingDeadlineSeconds: a start missed by more than the deadline is not run late', async () => {
    await cronJobs.create(cronJob('strict', '*/5 * * * *', { suspend: true, startingDeadlineSeconds: 10 }));
    await advance(5 * 60_000 + 30_000);
    await cronJobs.patch('strict', 'merge', { spec: { suspend: false } });
    await advance(2_000);
    // As upstream, the search for unmet schedules starts at now - startingDeadlineSeconds, so the
    // 00:05 start (30 s ago) is simply not seen.
    assert.equal((await jobs.list()).items.length, 0, '00:05 was missed by 30 s, more than 10 s');
    await advance(5 * 60_000);
    assert.deepEqual((await jobs.list()).items.map((j) => j.metadata.name), [jobNameFor('strict', T0 + 10 * 60_000)]);
  });

  test('more than 100 missed start times warns TooManyMissedTimes and still runs the latest', async () => {
    await cronJobs.create(cronJob('behind', '* * * * *', { suspend: true }));
    await advance(200 * 60_000, 60_000);
    await cronJobs.patch('behind', 'merge', { spec: { suspend: false } });
    await advance(2_000);
    const ev = await events('behind');
    assert.ok(
      ev.some((e) => e.type === 'Warning' && e.reason === 'TooManyMissedTimes' && e.message === 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew'),
      JSON.stringify(ev),
    );
    assert.deepEqual((await jobs.list()).items.map((j) => j.metadata.name), [jobNameFor('behind', T0 + 200 * 60_000)]);
  });

  test('history limits keep the newest successful and failed Jobs, deleting older ones with SuccessfulDelete', async () => {
    let n = 0;
    outcome = () => (n++ % 2 === 0 ? { phase: 'Succeeded' } : { phase: 'Failed' });
    await cronJobs.create(
      cronJob('hist', '* * * * *', {
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 1,
        jobTemplate: { spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } },
      }),
    );
    await advance(6 * 60_000 + 10_000);
    const left = (await jobs.list()).items.filter((j) => !j.metadata.deletionTimestamp);
    const states = left.map((j) => j.status?.conditions?.find((c) => c.status === 'True' && (c.type === 'Complete' || c.type === 'Failed'))?.type).sort();
    assert.deepEqual(states, ['Complete', 'Failed']);
    assert.deepEqual(left.map((j) => j.metadata.name).sort(), [jobNameFor('hist', T0 + 5 * 60_000), jobNameFor('hist', T0 + 6 * 60_000)].sort());
    const deletes = (await events('hist')).filter((e) => e.reason === 'SuccessfulDelete');
    assert.equal(deletes.length, 4);
    assert.ok(deletes.every((e) => /^Deleted job hist-\d+$/.test(e.message)));
  });

  test('timeZone: the schedule is read in that zone and the annotation carries its offset', async () => {
    await cronJobs.create(cronJob('tokyo', '0 9 * * *', { timeZone: 'Asia/Tokyo' }));
    // 09:00 in Tokyo is 00:00 UTC; the CronJob was created at 00:00 UTC, so the next is a day later.
    await advance(24 * 3_600_000 + 2_000, 60_000);
    const [job] = (await jobs.list()).items;
    assert.equal(job.metadata.name, jobNameFor('tokyo', T0 + 24 * 3_600_000));
    assert.equal(job.metadata.annotations?.[SCHEDULED_TIMESTAMP_ANNOTATION], '2026-01-02T09:00:00+09:00');
  });

  test('a Job of ours deleted by someone else is dropped from active with MissingJob', async () => {
    outcome = () => undefined;
    await cronJobs.create(cronJob('lost', '*/5 * * * *'));
    await advance(5 * 60_000 + 2_000);
    const name = jobNameFor('lost', T0 + 5 * 60_000);
    await jobs.delete(name, { propagationPolicy: 'Background' });
    await eventually(async () => (await cronJobs.get('lost')).status?.active === undefined, { clock: t.clock, stepMs: 500 });
    const ev = await events('lost');
    assert.ok(ev.some((e) => e.reason === 'MissingJob' && e.message === `Active job went missing: ${name}`) || ev.length === 1, JSON.stringify(ev));
  });

  test('the controller sleeps between schedules: no timer polls it', async () => {
    await cronJobs.create(cronJob('quiet', '0 * * * *'));
    await advance(2_000);
    const before = logs.length;
    // Only the requeue at the next schedule is pending for this CronJob; nothing happens until then.
    await advance(30 * 60_000, 60_000);
    assert.equal((await jobs.list()).items.length, 0);
    assert.equal(logs.length, before);
    await advance(31 * 60_000, 60_000);
    assert.equal((await jobs.list()).items.length, 1);
  });
});
