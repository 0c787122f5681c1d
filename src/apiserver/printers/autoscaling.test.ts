import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { formatHPAMetrics, horizontalPodAutoscalerPrinter } from './autoscaling.js';
import { ago, DAY, headers, row } from './testing.js';

// The api-gateway-hpa from the seeds (002): cpu 70% and memory 80%.
const apiGatewayHpa: KubeObject = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'api-gateway-hpa', namespace: 'default', creationTimestamp: ago(2 * DAY) },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api-gateway' },
    minReplicas: 3,
    maxReplicas: 50,
    metrics: [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
      { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } },
    ],
  },
  status: { currentReplicas: 3, desiredReplicas: 3 },
};

describe('horizontal pod autoscalers', () => {
  test('show NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE', () =>
    assert.deepEqual(headers(horizontalPodAutoscalerPrinter), ['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE']));
  test('print the seed HPA before metrics arrive', () =>
    assert.deepEqual(Object.values(row(horizontalPodAutoscalerPrinter, apiGatewayHpa)), [
      'api-gateway-hpa',
      'Deployment/api-gateway',
      'cpu: <unknown>/70%, memory: <unknown>/80%',
      '3',
      50,
      3,
      '2d',
    ]));
  test('print current utilization once metrics arrive', () => {
    const withMetrics = {
      ...apiGatewayHpa,
      status: {
        currentReplicas: 4,
        currentMetrics: [
          { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 45, averageValue: '112m' } } },
          { type: 'Resource', resource: { name: 'memory', current: { averageUtilization: 61, averageValue: '160Mi' } } },
        ],
      },
    };
    assert.equal(row(horizontalPodAutoscalerPrinter, withMetrics).TARGETS, 'cpu: 45%/70%, memory: 61%/80%');
  });
  test('print an autoscaling/v1 HPA from targetCPUUtilizationPercentage', () => {
    const v1: KubeObject = {
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'api-server' },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'api-server' }, minReplicas: 2, maxReplicas: 10, targetCPUUtilizationPercentage: 60 },
      status: { currentReplicas: 2, currentCPUUtilizationPercentage: 33 },
    };
    const r = row(horizontalPodAutoscalerPrinter, v1);
    assert.deepEqual([r.REFERENCE, r.TARGETS, r.MINPODS, r.MAXPODS, r.REPLICAS], ['Deployment/api-server', 'cpu: 33%/60%', '2', 10, 2]);
  });
  test('print the 80% cpu default for an HPA without metrics', () => {
    const bare = { metadata: { name: 'h' }, apiVersion: 'autoscaling/v1', spec: { scaleTargetRef: { kind: 'Deployment', name: 'd' }, maxReplicas: 5 } };
    assert.deepEqual([row(horizontalPodAutoscalerPrinter, bare).TARGETS, row(horizontalPodAutoscalerPrinter, bare).MINPODS], ['cpu: <unknown>/80%', '1']);
  });
});

describe('formatHPAMetrics', () => {
  const cases: { name: string; specs: unknown[]; statuses: unknown[]; want: string }[] = [
    { name: 'prints <none> without metrics', specs: [], statuses: [], want: '<none>' },
    {
      name: 'prints a pods metric as current/target',
      specs: [{ type: 'Pods', pods: { metric: { name: 'http_requests_per_second' }, target: { type: 'AverageValue', averageValue: '1k' } } }],
      statuses: [{ type: 'Pods', pods: { current: { averageValue: '750' } } }],
      want: '750/1k',
    },
    {
      name: 'prints an unknown pods metric before it is measured',
      specs: [{ type: 'Pods', pods: { target: { type: 'AverageValue', averageValue: '100' } } }],
      statuses: [],
      want: '<unknown>/100',
    },
    {
      name: 'prints a resource average-value target with its name',
      specs: [{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '512Mi' } } }],
      statuses: [{ type: 'Resource', resource: { name: 'memory', current: { averageValue: '300Mi' } } }],
      want: 'memory: 300Mi/512Mi',
    },
    {
      name: 'marks external average-value targets (avg)',
      specs: [{ type: 'External', external: { target: { type: 'AverageValue', averageValue: '30' } } }],
      statuses: [],
      want: '<unknown>/30 (avg)',
    },
    {
      name: 'prints an object value target',
      specs: [{ type: 'Object', object: { target: { type: 'Value', value: '2k' } } }],
      statuses: [{ type: 'Object', object: { current: { value: '1500' } } }],
      want: '1500/2k',
    },
    {
      name: 'prints a container resource metric',
      specs: [{ type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', target: { type: 'Utilization', averageUtilization: 60 } } }],
      statuses: [],
      want: 'cpu: <unknown>/60%',
    },
    {
      name: 'shows two metrics and counts the rest',
      specs: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } },
        { type: 'Pods', pods: { target: { averageValue: '100' } } },
      ],
      statuses: [],
      want: 'cpu: <unknown>/70%, memory: <unknown>/80% + 1 more...',
    },
  ];
  for (const c of cases) test(c.name, () => assert.equal(formatHPAMetrics(c.specs as never, c.statuses as never), c.want));
});
