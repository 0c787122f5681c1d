import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../../api/types.js';
import { fieldErrorString } from '../../../apimachinery/errors.js';
import { podDisruptionBudgetStrategy as pdb } from './poddisruptionbudgets.js';

function errors(spec: Record<string, unknown>): string[] {
  const obj: KubeObject = { metadata: { name: 'web', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'web' } }, ...spec } };
  return pdb.validate(obj).map(fieldErrorString);
}

describe('PodDisruptionBudget', () => {
  test('accepts a count or a percentage', () => {
    assert.deepEqual(errors({ minAvailable: 2 }), []);
    assert.deepEqual(errors({ maxUnavailable: '25%' }), []);
  });

  test('rejects minAvailable together with maxUnavailable', () => {
    const errs = errors({ minAvailable: 1, maxUnavailable: 1 });
    assert.equal(errs.length, 1);
    assert.match(errs[0], /^spec: Invalid value: .*: minAvailable and maxUnavailable cannot be both set$/);
  });

  test('rejects a malformed or oversized percentage', () => {
    assert.deepEqual(errors({ minAvailable: 'half' }), [
      "spec.minAvailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"half\"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
    ]);
    assert.deepEqual(errors({ maxUnavailable: '150%' }), [
      'spec.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%',
    ]);
  });

  test('rejects an unknown unhealthy pod eviction policy', () => {
    assert.deepEqual(errors({ minAvailable: 1, unhealthyPodEvictionPolicy: 'Never' }), [
      'spec.unhealthyPodEvictionPolicy: Unsupported value: "Never": supported values: "AlwaysAllow", "IfHealthyBudget"',
    ]);
  });

  test('rejects negative status counters', () => {
    const obj: KubeObject = { metadata: {}, status: { disruptionsAllowed: -1 } };
    assert.deepEqual(pdb.status.validateUpdate(obj).map(fieldErrorString), ['status.disruptionsAllowed: Invalid value: -1: must be greater than or equal to 0']);
  });
});
