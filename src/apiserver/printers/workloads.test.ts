import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import {
  controllerRevisionPrinter,
  cronJobPrinter,
  daemonSetPrinter,
  deploymentPrinter,
  jobPrinter,
  replicaSetPrinter,
  replicationControllerPrinter,
  statefulSetPrinter,
} from './workloads.js';
import { ago, DAY, headers, HOUR, MIN, row } from './testing.js';

// The api-gateway Deployment from the seeds (002, "Resource Requests and Limits"), as stored after a rollout.
const apiGateway: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api-gateway', namespace: 'default', creationTimestamp: ago(3 * HOUR + 20 * MIN) },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'api-gateway' } },
    template: {
      metadata: { labels: { app: 'api-gateway' } },
      spec: { containers: [{ name: 'api-gateway', image: 'api-gateway:latest', resources: { requests: { memory: '256Mi', cpu: '250m' } } }] },
    },
  },
  status: { replicas: 3, updatedReplicas: 3, readyReplicas: 2, availableReplicas: 2 },
};

describe('deployments', () => {
  test('show NAME READY UP-TO-DATE AVAILABLE AGE by default', () =>
    assert.deepEqual(headers(deploymentPrinter), ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']));
  test('add CONTAINERS IMAGES SELECTOR with -o wide', () =>
    assert.deepEqual(headers(deploymentPrinter, true), ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']));
  test('print the seed api-gateway mid-rollout', () =>
    assert.deepEqual(deploymentPrinter.cells(apiGateway, Date.parse(ago(0))), ['api-gateway', '2/3', 3, 2, '3h20m', 'api-gateway', 'api-gateway:latest', 'app=api-gateway']));
  test('print a fresh deployment without status as 0/N', () => {
    const fresh = { ...apiGateway, status: {} };
    const r = row(deploymentPrinter, fresh);
    assert.deepEqual([r.READY, r['UP-TO-DATE'], r.AVAILABLE], ['0/3', 0, 0]);
  });
});

describe('replica sets', () => {
  const rs: KubeObject = {
    metadata: { name: 'api-gateway-5f7c9d8b4', creationTimestamp: ago(DAY) },
    spec: { replicas: 3, selector: { matchLabels: { app: 'api-gateway', 'pod-template-hash': '5f7c9d8b4' } }, template: { spec: { containers: [{ name: 'api-gateway', image: 'api-gateway:latest' }] } } },
    status: { replicas: 3, readyReplicas: 3 },
  };
  test('show NAME DESIRED CURRENT READY AGE by default', () => assert.deepEqual(headers(replicaSetPrinter), ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE']));
  test('print integer counts and the selector', () =>
    assert.deepEqual(row(replicaSetPrinter, rs), {
      NAME: 'api-gateway-5f7c9d8b4',
      DESIRED: 3,
      CURRENT: 3,
      READY: 3,
      AGE: '24h',
      CONTAINERS: 'api-gateway',
      IMAGES: 'api-gateway:latest',
      SELECTOR: 'app=api-gateway,pod-template-hash=5f7c9d8b4',
    }));
  test('replication controllers print a map selector', () =>
    assert.equal(row(replicationControllerPrinter, { metadata: { name: 'rc' }, spec: { replicas: 1, selector: { app: 'legacy' } } }).SELECTOR, 'app=legacy'));
});

describe('stateful sets', () => {
  // The postgres StatefulSet from the seeds (002), two of three replicas ready.
  const postgres: KubeObject = {
    metadata: { name: 'postgres', creationTimestamp: ago(10 * DAY) },
    spec: { serviceName: 'postgres-headless', replicas: 3, template: { spec: { containers: [{ name: 'postgres', image: 'postgres:15' }] } } },
    status: { replicas: 3, readyReplicas: 2 },
  };
  test('show NAME READY AGE by default and CONTAINERS IMAGES wide', () => {
    assert.deepEqual(headers(statefulSetPrinter), ['NAME', 'READY', 'AGE']);
    assert.deepEqual(headers(statefulSetPrinter, true), ['NAME', 'READY', 'AGE', 'CONTAINERS', 'IMAGES']);
  });
  test('print ready/desired', () => assert.deepEqual(row(statefulSetPrinter, postgres), { NAME: 'postgres', READY: '2/3', AGE: '10d', CONTAINERS: 'postgres', IMAGES: 'postgres:15' }));
});

describe('daemon sets', () => {
  test('show the node selector by default', () =>
    assert.deepEqual(headers(daemonSetPrinter), ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE']));
  test('print counts, node selector and selector', () => {
    const r = row(daemonSetPrinter, {
      metadata: { name: 'aws-node', creationTimestamp: ago(50 * DAY) },
      spec: { selector: { matchLabels: { 'k8s-app': 'aws-node' } }, template: { spec: { nodeSelector: { 'kubernetes.io/os': 'linux' }, containers: [{ name: 'aws-node', image: 'amazon-k8s-cni:v1.19.0' }] } } },
      status: { desiredNumberScheduled: 6, currentNumberScheduled: 6, numberReady: 5, updatedNumberScheduled: 6, numberAvailable: 5 },
    });
    assert.deepEqual(Object.values(r), [
      'aws-node', 6, 6, 5, 6, 5, 'kubernetes.io/os=linux', '50d', 'aws-node', 'amazon-k8s-cni:v1.19.0', 'k8s-app=aws-node',
    ]);
  });
  test('print <none> without a node selector', () => assert.equal(row(daemonSetPrinter, { metadata: { name: 'x' }, spec: {} })['NODE SELECTOR'], '<none>'));
});

describe('controller revisions', () => {
  test('print the controller as kind.group/name', () =>
    assert.deepEqual(
      row(controllerRevisionPrinter, {
        metadata: {
          name: 'postgres-6c9b7d5f4',
          creationTimestamp: ago(HOUR),
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'postgres', uid: 'u', controller: true }],
        },
        revision: 2,
      }),
      { NAME: 'postgres-6c9b7d5f4', CONTROLLER: 'statefulset.apps/postgres', REVISION: 2, AGE: '60m' },
    ));
  test('print <none> without a controller', () => assert.equal(row(controllerRevisionPrinter, { metadata: { name: 'r' }, revision: 1 }).CONTROLLER, '<none>'));
});

describe('jobs', () => {
  function job(spec: Record<string, unknown>, status: Record<string, unknown>, meta: Record<string, unknown> = {}): KubeObject {
    return {
      metadata: { name: 'db-backup-29145600', creationTimestamp: ago(20 * MIN), ...meta },
      spec: { template: { spec: { containers: [{ name: 'pg-dump', image: 'postgres:15' }] } }, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'abc' } }, ...spec },
      status,
    };
  }
  test('show NAME STATUS COMPLETIONS DURATION AGE by default', () => assert.deepEqual(headers(jobPrinter), ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE']));
  test('show CONTAINERS IMAGES SELECTOR wide', () =>
    assert.deepEqual(headers(jobPrinter, true).slice(5), ['CONTAINERS', 'IMAGES', 'SELECTOR']));
  const cases: { name: string; job: KubeObject; status: string; completions: string; duration: string }[] = [
    {
      name: 'a complete job shows its run time',
      job: job({ completions: 1, parallelism: 1 }, { succeeded: 1, startTime: ago(20 * MIN), completionTime: ago(20 * MIN - 45_000), conditions: [{ type: 'Complete', status: 'True' }] }),
      status: 'Complete',
      completions: '1/1',
      duration: '45s',
    },
    {
      name: 'a running job shows time since start',
      job: job({ completions: 5, parallelism: 2 }, { succeeded: 2, active: 2, startTime: ago(3 * MIN + 20_000) }),
      status: 'Running',
      completions: '2/5',
      duration: '3m20s',
    },
    {
      name: 'a work-queue job shows its parallelism',
      job: job({ parallelism: 3 }, { succeeded: 0, startTime: ago(MIN) }),
      status: 'Running',
      completions: '0/1 of 3',
      duration: '60s',
    },
    {
      name: 'a failed job is Failed',
      job: job({ completions: 1 }, { failed: 7, startTime: ago(10 * MIN), conditions: [{ type: 'FailureTarget', status: 'True' }, { type: 'Failed', status: 'True' }] }),
      status: 'Failed',
      completions: '0/1',
      duration: '10m',
    },
    {
      name: 'a suspended job that never started has no duration',
      job: job({ completions: 1, suspend: true }, { conditions: [{ type: 'Suspended', status: 'True' }] }),
      status: 'Suspended',
      completions: '0/1',
      duration: '',
    },
    {
      name: 'a job being deleted is Terminating',
      job: job({ completions: 1 }, { startTime: ago(MIN) }, { deletionTimestamp: ago(1000) }),
      status: 'Terminating',
      completions: '0/1',
      duration: '60s',
    },
    {
      name: 'a job that hit its failure target shows FailureTarget',
      job: job({ completions: 1 }, { startTime: ago(MIN), conditions: [{ type: 'FailureTarget', status: 'True' }] }),
      status: 'FailureTarget',
      completions: '0/1',
      duration: '60s',
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const r = row(jobPrinter, c.job);
      assert.deepEqual([r.STATUS, r.COMPLETIONS, r.DURATION], [c.status, c.completions, c.duration]);
    });
  }
});

describe('cron jobs', () => {
  // The nightly pg_dump CronJob from the seeds (000).
  const backup: KubeObject = {
    metadata: { name: 'postgres-backup', creationTimestamp: ago(5 * DAY) },
    spec: {
      schedule: '0 2 * * *',
      suspend: false,
      jobTemplate: { spec: { template: { spec: { containers: [{ name: 'backup', image: 'postgres:15-alpine' }] } } } },
    },
    status: { active: [{ name: 'postgres-backup-29145600' }], lastScheduleTime: ago(10 * HOUR) },
  };
  test('show TIMEZONE and SUSPEND in 1.32', () =>
    assert.deepEqual(headers(cronJobPrinter), ['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE']));
  test('print schedule, suspend as False and last schedule age', () =>
    assert.deepEqual(row(cronJobPrinter, backup), {
      NAME: 'postgres-backup',
      SCHEDULE: '0 2 * * *',
      TIMEZONE: '<none>',
      SUSPEND: 'False',
      ACTIVE: 1,
      'LAST SCHEDULE': '10h',
      AGE: '5d',
      CONTAINERS: 'backup',
      IMAGES: 'postgres:15-alpine',
      SELECTOR: '<none>',
    }));
  test('print <none> before the first run and the time zone when set', () => {
    const r = row(cronJobPrinter, { metadata: { name: 'c' }, spec: { schedule: '@hourly', timeZone: 'Etc/UTC', suspend: true } });
    assert.deepEqual([r.TIMEZONE, r.SUSPEND, r.ACTIVE, r['LAST SCHEDULE'], r.AGE], ['Etc/UTC', 'True', 0, '<none>', '<unknown>']);
  });
});
