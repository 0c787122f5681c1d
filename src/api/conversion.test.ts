import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConversionError, HPA_ANNOTATIONS, convert } from './conversion.js';
import type { KubeObject } from './types.js';

const hpaV2 = (): KubeObject => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'prod', annotations: { team: 'payments' } },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    minReplicas: 2,
    maxReplicas: 10,
    metrics: [
      { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } },
      { type: 'Pods', pods: { metric: { name: 'requests_per_second' }, target: { type: 'AverageValue', averageValue: '100' } } },
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
    ],
    behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
  },
  status: {
    observedGeneration: 3,
    currentReplicas: 4,
    desiredReplicas: 5,
    currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 85, averageValue: '850m' } } }],
    conditions: [{ type: 'AbleToScale', status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z', reason: 'ReadyForNewScale' }],
  },
});

describe('HorizontalPodAutoscaler conversion', () => {
  test('keeps the CPU utilization target as targetCPUUtilizationPercentage in v1', () => {
    const v1 = convert(hpaV2(), 'autoscaling/v1');
    assert.equal(v1.apiVersion, 'autoscaling/v1');
    assert.deepEqual(v1.spec, { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 10, targetCPUUtilizationPercentage: 70 });
    assert.deepEqual(v1.status, { observedGeneration: 3, currentReplicas: 4, desiredReplicas: 5, currentCPUUtilizationPercentage: 85 });
  });

  test('carries the other metrics, behavior, current metrics and conditions in annotations', () => {
    const a = convert(hpaV2(), 'autoscaling/v1').metadata.annotations!;
    assert.equal(a.team, 'payments');
    assert.deepEqual(JSON.parse(a[HPA_ANNOTATIONS.metrics]), [
      { type: 'Resource', resource: { name: 'memory', targetAverageValue: '500Mi' } },
      { type: 'Pods', pods: { metricName: 'requests_per_second', targetAverageValue: '100' } },
    ]);
    assert.deepEqual(JSON.parse(a[HPA_ANNOTATIONS.behavior]), { scaleDown: { stabilizationWindowSeconds: 300 } });
    assert.deepEqual(JSON.parse(a[HPA_ANNOTATIONS.currentMetrics]), [{ type: 'Resource', resource: { name: 'cpu', currentAverageUtilization: 85, currentAverageValue: '850m' } }]);
    assert.equal(JSON.parse(a[HPA_ANNOTATIONS.conditions])[0].type, 'AbleToScale');
  });

  test('round-trips v2 → v1 → v2 without loss', () => {
    assert.deepEqual(convert(convert(hpaV2(), 'autoscaling/v1'), 'autoscaling/v2'), hpaV2());
  });

  test('turns a plain v1 CPU target into a v2 Resource metric', () => {
    const v1: KubeObject = {
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'api' },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'api' }, maxReplicas: 5, targetCPUUtilizationPercentage: 50 },
    };
    assert.deepEqual(convert(v1, 'autoscaling/v2'), {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'api' },
      spec: {
        scaleTargetRef: { kind: 'Deployment', name: 'api' },
        maxReplicas: 5,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
      },
    });
  });

  test('ignores round-trip annotations a client set by hand on v2 objects', () => {
    const obj = hpaV2();
    obj.metadata.annotations = { [HPA_ANNOTATIONS.metrics]: '[{"type":"Pods"}]' };
    const spec = convert(obj, 'autoscaling/v1');
    assert.deepEqual(JSON.parse(spec.metadata.annotations![HPA_ANNOTATIONS.metrics]).length, 2);
  });

  test('drops the annotations map when only round-trip annotations were in it', () => {
    const v1 = convert({ ...hpaV2(), metadata: { name: 'web' } }, 'autoscaling/v1');
    assert.equal(convert(v1, 'autoscaling/v2').metadata.annotations, undefined);
  });
});

describe('Event conversion', () => {
  const core = (): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'web-0.17a', namespace: 'prod' },
    involvedObject: { kind: 'Pod', name: 'web-0', namespace: 'prod' },
    reason: 'Scheduled',
    message: 'Successfully assigned prod/web-0 to node-1',
    source: { component: 'default-scheduler' },
    firstTimestamp: '2025-01-01T00:00:00Z',
    lastTimestamp: '2025-01-01T00:00:05Z',
    count: 2,
    type: 'Normal',
    eventTime: '2025-01-01T00:00:00.000000Z',
    action: 'Binding',
    reportingComponent: 'default-scheduler',
    reportingInstance: 'default-scheduler-node-1',
  });

  test('renames core fields to events.k8s.io/v1 names', () => {
    const e = convert(core(), 'events.k8s.io/v1') as Record<string, unknown>;
    assert.equal(e.apiVersion, 'events.k8s.io/v1');
    assert.deepEqual(e.regarding, { kind: 'Pod', name: 'web-0', namespace: 'prod' });
    assert.equal(e.note, 'Successfully assigned prod/web-0 to node-1');
    assert.deepEqual(e.deprecatedSource, { component: 'default-scheduler' });
    assert.equal(e.deprecatedFirstTimestamp, '2025-01-01T00:00:00Z');
    assert.equal(e.deprecatedLastTimestamp, '2025-01-01T00:00:05Z');
    assert.equal(e.deprecatedCount, 2);
    assert.equal(e.reportingController, 'default-scheduler');
    assert.equal(e.reportingInstance, 'default-scheduler-node-1');
    for (const old of ['involvedObject', 'message', 'source', 'count', 'reportingComponent']) assert.equal(old in e, false, old);
  });

  test('round-trips core → events.k8s.io → core', () => {
    assert.deepEqual(convert(convert(core(), 'events.k8s.io/v1'), 'v1'), core());
  });
});

describe('convert', () => {
  test('copies an object already at the target version', () => {
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } };
    const out = convert(cm, 'v1');
    assert.deepEqual(out, cm);
    assert.notEqual(out, cm);
  });

  test('refuses pairs it cannot convert', () => {
    assert.throws(() => convert({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: {} }, 'apps/v1beta1'), ConversionError);
  });
});
