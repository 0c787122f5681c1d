import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../../api/types.js';
import { fieldErrorString } from '../../../apimachinery/errors.js';
import { horizontalPodAutoscalerStrategy as hpa } from './horizontalpodautoscalers.js';

const target = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };

function create(spec: Record<string, unknown>): { obj: KubeObject; errs: string[] } {
  const obj: KubeObject = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'default' }, spec };
  hpa.defaults(obj);
  return { obj, errs: hpa.validate(obj).map(fieldErrorString) };
}

describe('HorizontalPodAutoscaler', () => {
  test('defaults minReplicas and an 80% CPU target when no metric is named', () => {
    const { obj, errs } = create({ scaleTargetRef: target, maxReplicas: 5 });
    assert.deepEqual(errs, []);
    assert.equal((obj.spec as any).minReplicas, 1);
    assert.deepEqual((obj.spec as any).metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
    assert.equal((obj.spec as any).behavior, undefined);
  });

  test('fills the rest of a partial behavior with the upstream scaling rules', () => {
    const { obj } = create({
      scaleTargetRef: target,
      maxReplicas: 5,
      behavior: { scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] } },
    });
    assert.deepEqual((obj.spec as any).behavior, {
      scaleDown: { selectPolicy: 'Max', stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] },
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [
          { type: 'Pods', value: 4, periodSeconds: 15 },
          { type: 'Percent', value: 100, periodSeconds: 15 },
        ],
      },
    });
  });

  const cases: [string, Record<string, unknown>, string[]][] = [
    ['rejects minReplicas below 1', { scaleTargetRef: target, minReplicas: 0, maxReplicas: 3, metrics: [] }, [
      'spec.minReplicas: Invalid value: 0: must be greater than or equal to 1',
      'spec.metrics: Forbidden: must specify at least one Object or External metric to support scaling to zero replicas',
    ]],
    ['rejects maxReplicas below minReplicas', { scaleTargetRef: target, minReplicas: 5, maxReplicas: 3 }, [
      'spec.maxReplicas: Invalid value: 3: must be greater than or equal to `minReplicas`',
    ]],
    ['requires the scale target kind and name', { scaleTargetRef: {}, maxReplicas: 3 }, [
      'spec.scaleTargetRef.kind: Required value',
      'spec.scaleTargetRef.name: Required value',
    ]],
    ['rejects a Resource metric without a target', { scaleTargetRef: target, maxReplicas: 3, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization' } } }] }, [
      'spec.metrics[0].resource.target.averageUtilization: Required value: must set either a target raw value or a target utilization',
    ]],
    ['rejects a metric type without its source', { scaleTargetRef: target, maxReplicas: 3, metrics: [{ type: 'Pods' }] }, [
      'spec.metrics[0].pods: Required value: must populate information for the given metric source',
    ]],
    ['rejects a zero scaling policy value', { scaleTargetRef: target, maxReplicas: 3, behavior: { scaleUp: { policies: [{ type: 'Pods', value: 0, periodSeconds: 15 }] } } }, [
      'spec.behavior.scaleUp.policies[0].value: Invalid value: 0: must be greater than zero',
    ]],
    ['rejects a non-positive averageValue', { scaleTargetRef: target, maxReplicas: 3, metrics: [{ type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '0' } } }] }, [
      'spec.metrics[0].pods.target.averageValue: Invalid value: 0: must be positive',
    ]],
  ];
  for (const [name, spec, expected] of cases) test(name, () => assert.deepEqual(create(spec).errs, expected));

  test('rejects negative status replicas', () => {
    const obj: KubeObject = { metadata: {}, status: { currentReplicas: -1, desiredReplicas: 0 } };
    assert.deepEqual(hpa.status.validateUpdate(obj).map(fieldErrorString), ['status.currentReplicas: Invalid value: -1: must be greater than or equal to 0']);
  });
});
