import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../../api/types.js';
import { fieldErrorString } from '../../../apimachinery/errors.js';
import { priorityClassStrategy as pc } from './priorityclasses.js';

function create(name: string, value: number, extra: Record<string, unknown> = {}): string[] {
  const obj: KubeObject = { metadata: { name }, value, ...extra };
  pc.defaults(obj);
  return pc.validate(obj).map(fieldErrorString);
}

describe('PriorityClass', () => {
  test('defaults preemptionPolicy to PreemptLowerPriority', () => {
    const obj: KubeObject = { metadata: { name: 'high' }, value: 1000 };
    pc.defaults(obj);
    assert.equal(obj.preemptionPolicy, 'PreemptLowerPriority');
  });

  test('accepts the built-in system classes with their values', () => {
    assert.deepEqual(create('system-cluster-critical', 2000000000), []);
  });

  test('reserves the system- prefix', () => {
    assert.deepEqual(create('system-mine', 10), [
      "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class",
    ]);
  });

  test('caps user-defined values', () => {
    assert.deepEqual(create('huge', 1000000001), ['value: Forbidden: maximum allowed value of a user defined priority is 1000000000']);
  });

  test('keeps value and preemptionPolicy fixed', () => {
    const old: KubeObject = { metadata: { name: 'high' }, value: 1000, preemptionPolicy: 'PreemptLowerPriority' };
    const next: KubeObject = { metadata: { name: 'high' }, value: 2000, preemptionPolicy: 'Never' };
    assert.deepEqual(pc.validateUpdate(next, old).map(fieldErrorString), [
      'value: Forbidden: may not be changed in an update.',
      'preemptionPolicy: Invalid value: "Never": field is immutable',
    ]);
  });
});
