import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../../api/types.js';
import { fieldErrorString } from '../../../apimachinery/errors.js';
import { RealClock } from '../../../sim/clock.js';
import type { Strategy } from '../strategy.js';
import { parseStandardError } from './cron.js';
import { cronJobStrategy } from './cronjobs.js';
import { jobStrategy } from './jobs.js';

const ctx = { clock: new RealClock() };
const UID = '0b4d6c1e-1111-4222-8333-444455556666';

function podTemplate(restartPolicy?: string) {
  return { spec: { containers: [{ name: 'c', image: 'busybox' }], ...(restartPolicy ? { restartPolicy } : {}) } };
}

function create(strategy: Strategy<any>, obj: KubeObject): string[] {
  strategy.defaults?.(obj);
  obj.metadata.uid ??= UID;
  strategy.prepareForCreate?.(obj, ctx);
  return (strategy.validate?.(obj, ctx) ?? []).map(fieldErrorString);
}

function job(spec: Record<string, unknown>, name = 'pi'): KubeObject {
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'default' }, spec };
}

function cronJob(spec: Record<string, unknown>, name = 'backup'): KubeObject {
  return { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name, namespace: 'default' }, spec };
}

describe('Job', () => {
  test('defaults and generates the selector and labels the job controller relies on', () => {
    const j = job({ template: podTemplate('Never') });
    assert.deepEqual(create(jobStrategy, j), []);
    const spec = j.spec as any;
    assert.equal(spec.completions, 1);
    assert.equal(spec.parallelism, 1);
    assert.equal(spec.backoffLimit, 6);
    assert.equal(spec.completionMode, 'NonIndexed');
    assert.equal(spec.suspend, false);
    assert.equal(spec.manualSelector, false);
    assert.equal(spec.podReplacementPolicy, 'TerminatingOrFailed');
    assert.deepEqual(spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': UID } });
    const labels = { 'batch.kubernetes.io/controller-uid': UID, 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': UID, 'job-name': 'pi' };
    assert.deepEqual(spec.template.metadata.labels, labels);
    assert.deepEqual(j.metadata.labels, labels);
  });

  test('keeps its own labels when the job has some', () => {
    const j = job({ template: { ...podTemplate('Never'), metadata: { labels: { app: 'batch' } } } });
    assert.deepEqual(create(jobStrategy, j), []);
    assert.deepEqual(j.metadata.labels, { app: 'batch' });
  });

  test('requires restartPolicy OnFailure or Never', () => {
    assert.deepEqual(create(jobStrategy, job({ template: podTemplate() })), [
      'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
    ]);
  });

  test('rejects a manual selector that does not match the template', () => {
    const j = job({ manualSelector: true, selector: { matchLabels: { app: 'x' } }, template: { ...podTemplate('Never'), metadata: { labels: { app: 'y' } } } });
    assert.deepEqual(create(jobStrategy, j), ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"y"}: `selector` does not match template `labels`']);
  });

  test('rejects a generated label the user set to another value', () => {
    const j = job({ template: { ...podTemplate('Never'), metadata: { labels: { 'job-name': 'other' } } } });
    const errs = create(jobStrategy, j);
    assert.ok(errs.includes(`spec.template.metadata.labels[job-name]: Invalid value: map[string]string{"batch.kubernetes.io/controller-uid":"${UID}", "batch.kubernetes.io/job-name":"pi", "controller-uid":"${UID}", "job-name":"other"}: must be 'pi'`), errs.join('\n'));
  });

  test('rejects negative counts', () => {
    assert.deepEqual(create(jobStrategy, job({ backoffLimit: -1, template: podTemplate('Never') })), [
      'spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0',
    ]);
  });

  test('keeps the template immutable once running', () => {
    const old = job({ template: podTemplate('Never') });
    create(jobStrategy, old);
    const next = structuredClone(old);
    (next.spec as any).template.spec.containers[0].image = 'busybox:2';
    const errs = jobStrategy.validateUpdate(next, old).map(fieldErrorString);
    assert.equal(errs.length, 1);
    assert.match(errs[0], /^spec\.template: Invalid value: .*: field is immutable$/);
  });

  test('lets a suspended job that never started change its node selector', () => {
    const old = job({ suspend: true, template: podTemplate('Never') });
    create(jobStrategy, old);
    const next = structuredClone(old);
    (next.spec as any).template.spec.nodeSelector = { zone: 'a' };
    assert.deepEqual(jobStrategy.validateUpdate(next, old), []);
  });

  test('selects by status.successful', () => {
    assert.deepEqual(jobStrategy.selectableFields({ metadata: {}, status: { succeeded: 2 } }), { 'status.successful': '2' });
  });
});

describe('CronJob', () => {
  test('defaults concurrency, suspend and history limits', () => {
    const c = cronJob({ schedule: '0 2 * * *', jobTemplate: { spec: { template: podTemplate('OnFailure') } } });
    assert.deepEqual(create(cronJobStrategy, c), []);
    const spec = c.spec as any;
    assert.equal(spec.concurrencyPolicy, 'Allow');
    assert.equal(spec.suspend, false);
    assert.equal(spec.successfulJobsHistoryLimit, 3);
    assert.equal(spec.failedJobsHistoryLimit, 1);
    assert.equal(spec.jobTemplate.spec.backoffLimit, undefined, 'job defaults are not applied to a job template');
  });

  const cases: [string, Record<string, unknown>, string[]][] = [
    ['requires a schedule', {}, ['spec.schedule: Required value']],
    ['rejects a four-field schedule', { schedule: '0 2 * *' }, ['spec.schedule: Invalid value: "0 2 * *": expected exactly 5 fields, found 4: [0 2 * *]']],
    ['rejects a minute out of range', { schedule: '60 * * * *' }, ['spec.schedule: Invalid value: "60 * * * *": end of range (60) above maximum (59): 60']],
    [
      'rejects TZ in the schedule',
      { schedule: 'TZ=UTC 0 2 * * *' },
      ['spec.schedule: Invalid value: "TZ=UTC 0 2 * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead'],
    ],
    ['rejects an unknown time zone', { schedule: '@daily', timeZone: 'Mars/Olympus' }, ['spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus']],
    ['accepts a named time zone', { schedule: '@hourly', timeZone: 'Europe/Paris' }, []],
    [
      'rejects an unknown concurrency policy',
      { schedule: '@daily', concurrencyPolicy: 'Sometimes' },
      ['spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"'],
    ],
  ];
  for (const [name, spec, expected] of cases) {
    test(name, () => {
      const c = cronJob({ ...spec, jobTemplate: { spec: { template: podTemplate('OnFailure') } } });
      assert.deepEqual(create(cronJobStrategy, c), expected);
    });
  }

  test('rejects a name longer than 52 characters', () => {
    const name = 'a'.repeat(53);
    const c = cronJob({ schedule: '@daily', jobTemplate: { spec: { template: podTemplate('OnFailure') } } }, name);
    assert.deepEqual(create(cronJobStrategy, c), [`metadata.name: Invalid value: "${name}": must be no more than 52 characters`]);
  });

  test('rejects a selector in the job template', () => {
    const c = cronJob({ schedule: '@daily', jobTemplate: { spec: { selector: { matchLabels: { a: 'b' } }, template: podTemplate('OnFailure') } } });
    assert.deepEqual(create(cronJobStrategy, c), [
      'spec.jobTemplate.spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"a":"b"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` will be auto-generated',
    ]);
  });
});

describe('cron schedule parser', () => {
  const valid = ['0 2 * * *', '*/15 * * * *', '0 9-17 * * mon-fri', '0 0 1 jan,jul ?', '@hourly', '@every 1h30m', '5 4 * * sun', '0 0 L * *'.replace('L', '1')];
  for (const s of valid) test(`accepts ${JSON.stringify(s)}`, () => assert.equal(parseStandardError(s), undefined));
  const invalid: [string, string][] = [
    ['', 'empty spec string'],
    ['* * * * * *', 'expected exactly 5 fields, found 6: [* * * * * *]'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['* 24 * * *', 'end of range (24) above maximum (23): 24'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['1/2/3 * * * *', 'too many slashes: 1/2/3'],
    ['@fortnightly', 'unrecognized descriptor: @fortnightly'],
  ];
  for (const [s, msg] of invalid) test(`rejects ${JSON.stringify(s)} with robfig/cron's message`, () => assert.equal(parseStandardError(s), msg));
});
