import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { podPrinter, podTemplatePrinter } from './pods.js';
import { ago, DAY, headers, HOUR, MIN, row } from './testing.js';

function pod(spec: Record<string, unknown>, status: Record<string, unknown>, meta: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'api-7d9f8b6c5-x2x7k', namespace: 'production', creationTimestamp: ago(2 * DAY + 5 * HOUR), ...meta },
    spec: { containers: [{ name: 'api', image: 'api:1.4.2' }], ...spec },
    status,
  };
}

const running = { running: { startedAt: ago(HOUR) } };

describe('pod columns', () => {
  test('shows NAME READY STATUS RESTARTS AGE by default', () =>
    assert.deepEqual(headers(podPrinter), ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']));
  test('adds IP NODE NOMINATED NODE READINESS GATES with -o wide', () =>
    assert.deepEqual(headers(podPrinter, true), ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']));
  test('formats the Name column as a name and Restarts as a string', () => {
    assert.equal(podPrinter.columns[0].format, 'name');
    assert.equal(podPrinter.columns[3].type, 'string');
  });
});

describe('pod status', () => {
  const cases: { name: string; pod: KubeObject; ready: string; status: string; restarts: string }[] = [
    {
      name: 'a running ready pod is Running 1/1',
      pod: pod({}, { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'api', ready: true, restartCount: 0, state: running }] }),
      ready: '1/1',
      status: 'Running',
      restarts: '0',
    },
    {
      name: 'a pod in CrashLoopBackOff with 5 restarts shows when it last restarted',
      pod: pod({}, {
        phase: 'Running',
        containerStatuses: [
          {
            name: 'api',
            ready: false,
            restartCount: 5,
            state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 2m40s restarting failed container' } },
            lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(2 * MIN) } },
          },
        ],
      }),
      ready: '0/1',
      status: 'CrashLoopBackOff',
      restarts: '5 (2m ago)',
    },
    {
      name: 'a pending pod whose containers are being created is ContainerCreating',
      pod: pod({ nodeName: 'ip-10-0-1-23.ec2.internal' }, { phase: 'Pending', containerStatuses: [{ name: 'api', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] }),
      ready: '0/1',
      status: 'ContainerCreating',
      restarts: '0',
    },
    {
      name: 'an unscheduled pod is Pending',
      pod: pod({}, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] }),
      ready: '0/1',
      status: 'Pending',
      restarts: '0',
    },
    {
      name: 'a pod held by scheduling gates is SchedulingGated',
      pod: pod({}, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }),
      ready: '0/1',
      status: 'SchedulingGated',
      restarts: '0',
    },
    {
      name: 'a pod waiting on its second of three init containers is Init:1/3',
      pod: pod(
        { initContainers: [{ name: 'migrate' }, { name: 'seed' }, { name: 'warm' }] },
        {
          phase: 'Pending',
          initContainerStatuses: [
            { name: 'migrate', ready: true, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
            { name: 'seed', ready: false, restartCount: 0, state: running },
            { name: 'warm', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } },
          ],
          containerStatuses: [{ name: 'api', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }],
        },
      ),
      ready: '0/1',
      status: 'Init:1/3',
      restarts: '0',
    },
    {
      name: 'a crash-looping init container is Init:CrashLoopBackOff and counts its restarts',
      pod: pod(
        { initContainers: [{ name: 'migrate' }] },
        {
          phase: 'Pending',
          initContainerStatuses: [
            { name: 'migrate', restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, finishedAt: ago(30_000) } } },
          ],
          containerStatuses: [{ name: 'api', restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }],
        },
      ),
      ready: '0/1',
      status: 'Init:CrashLoopBackOff',
      restarts: '3 (30s ago)',
    },
    {
      name: 'a failed init container without a reason shows its exit code',
      pod: pod({ initContainers: [{ name: 'migrate' }] }, { phase: 'Pending', initContainerStatuses: [{ name: 'migrate', state: { terminated: { exitCode: 2 } } }] }),
      ready: '0/1',
      status: 'Init:ExitCode:2',
      restarts: '0',
    },
    {
      name: 'a pod past its init containers is PodInitializing',
      pod: pod(
        { initContainers: [{ name: 'migrate' }] },
        {
          phase: 'Pending',
          conditions: [{ type: 'Initialized', status: 'True' }],
          initContainerStatuses: [{ name: 'migrate', state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
          containerStatuses: [{ name: 'api', state: { waiting: { reason: 'PodInitializing' } } }],
        },
      ),
      ready: '0/1',
      status: 'PodInitializing',
      restarts: '0',
    },
    {
      name: 'a started sidecar counts as a ready container',
      pod: pod(
        { initContainers: [{ name: 'istio-proxy', restartPolicy: 'Always' }] },
        {
          phase: 'Running',
          conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }],
          initContainerStatuses: [{ name: 'istio-proxy', ready: true, started: true, restartCount: 1, state: running, lastState: { terminated: { exitCode: 137, finishedAt: ago(10 * MIN) } } }],
          containerStatuses: [{ name: 'api', ready: true, restartCount: 0, state: running }],
        },
      ),
      ready: '2/2',
      status: 'Running',
      restarts: '1 (10m ago)',
    },
    {
      name: 'a finished job pod is Completed',
      pod: pod({}, { phase: 'Succeeded', containerStatuses: [{ name: 'api', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }),
      ready: '0/1',
      status: 'Completed',
      restarts: '0',
    },
    {
      name: 'a failed container is Error',
      pod: pod({}, { phase: 'Failed', containerStatuses: [{ name: 'api', state: { terminated: { exitCode: 1, reason: 'Error' } } }] }),
      ready: '0/1',
      status: 'Error',
      restarts: '0',
    },
    {
      name: 'an OOM-killed container shows OOMKilled',
      pod: pod({}, { phase: 'Running', containerStatuses: [{ name: 'api', restartCount: 1, state: { terminated: { exitCode: 137, reason: 'OOMKilled' } } }] }),
      ready: '0/1',
      status: 'OOMKilled',
      restarts: '1',
    },
    {
      name: 'a container killed by a signal without a reason shows the signal',
      pod: pod({}, { phase: 'Running', containerStatuses: [{ name: 'api', state: { terminated: { exitCode: 0, signal: 9 } } }] }),
      ready: '0/1',
      status: 'Signal:9',
      restarts: '0',
    },
    {
      name: 'a completed container beside a running one is Running when the pod is ready',
      pod: pod(
        { containers: [{ name: 'api' }, { name: 'once' }] },
        {
          phase: 'Running',
          conditions: [{ type: 'Ready', status: 'True' }],
          containerStatuses: [
            { name: 'api', ready: true, state: running },
            { name: 'once', ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
          ],
        },
      ),
      ready: '1/2',
      status: 'Running',
      restarts: '0',
    },
    {
      name: 'a completed container beside a running one is NotReady when the pod is not ready',
      pod: pod(
        { containers: [{ name: 'api' }, { name: 'once' }] },
        {
          phase: 'Running',
          conditions: [{ type: 'Ready', status: 'False' }],
          containerStatuses: [
            { name: 'api', ready: true, state: running },
            { name: 'once', ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
          ],
        },
      ),
      ready: '1/2',
      status: 'NotReady',
      restarts: '0',
    },
    {
      name: 'a deleted running pod is Terminating',
      pod: pod({}, { phase: 'Running', containerStatuses: [{ name: 'api', ready: true, state: running }] }, { deletionTimestamp: ago(5_000) }),
      ready: '1/1',
      status: 'Terminating',
      restarts: '0',
    },
    {
      name: 'a deleted pod on a lost node is Unknown',
      pod: pod({}, { phase: 'Running', reason: 'NodeLost' }, { deletionTimestamp: ago(5_000) }),
      ready: '0/1',
      status: 'Unknown',
      restarts: '0',
    },
    {
      name: 'a deleted succeeded pod stays Completed',
      pod: pod({}, { phase: 'Succeeded', containerStatuses: [{ name: 'api', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }, { deletionTimestamp: ago(5_000) }),
      ready: '0/1',
      status: 'Completed',
      restarts: '0',
    },
    {
      name: 'an evicted pod shows the pod status reason',
      pod: pod({}, { phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' }),
      ready: '0/1',
      status: 'Evicted',
      restarts: '0',
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const r = row(podPrinter, c.pod);
      assert.deepEqual([r.READY, r.STATUS, r.RESTARTS], [c.ready, c.status, c.restarts]);
    });
  }
});

describe('pod wide cells', () => {
  test('shows IP, node, <none> nomination and readiness gates', () => {
    const r = row(
      podPrinter,
      pod(
        { nodeName: 'ip-10-0-1-23.ec2.internal', readinessGates: [{ conditionType: 'target-health.elbv2.k8s.aws/api' }] },
        {
          phase: 'Running',
          podIP: '10.0.1.57',
          podIPs: [{ ip: '10.0.1.57' }],
          conditions: [{ type: 'target-health.elbv2.k8s.aws/api', status: 'True' }],
        },
      ),
    );
    assert.deepEqual([r.NAME, r.AGE, r.IP, r.NODE, r['NOMINATED NODE'], r['READINESS GATES']], [
      'api-7d9f8b6c5-x2x7k',
      '2d5h',
      '10.0.1.57',
      'ip-10-0-1-23.ec2.internal',
      '<none>',
      '1/1',
    ]);
  });
  test('shows <none> for an unscheduled pod without an IP', () => {
    const r = row(podPrinter, pod({}, { phase: 'Pending', nominatedNodeName: 'ip-10-0-2-9.ec2.internal' }));
    assert.deepEqual([r.IP, r.NODE, r['NOMINATED NODE'], r['READINESS GATES']], ['<none>', '<none>', 'ip-10-0-2-9.ec2.internal', '<none>']);
  });
});

describe('pod row conditions', () => {
  test('marks a succeeded pod Completed', () =>
    assert.deepEqual(podPrinter.rowConditions(pod({}, { phase: 'Succeeded' })), [
      { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
    ]));
  test('marks a failed pod Completed with reason Failed', () =>
    assert.equal(podPrinter.rowConditions(pod({}, { phase: 'Failed' }))?.[0].reason, 'Failed'));
  test('marks a running pod with nothing', () => assert.equal(podPrinter.rowConditions(pod({}, { phase: 'Running' })), undefined));
});

describe('pod templates', () => {
  test('prints containers, images and pod labels', () => {
    const r = row(podTemplatePrinter, {
      metadata: { name: 'batch-template' },
      template: { metadata: { labels: { tier: 'batch', app: 'etl' } }, spec: { containers: [{ name: 'etl', image: 'etl:2' }] } },
    });
    assert.deepEqual(r, { NAME: 'batch-template', CONTAINERS: 'etl', IMAGES: 'etl:2', 'POD LABELS': 'app=etl,tier=batch' });
  });
});
