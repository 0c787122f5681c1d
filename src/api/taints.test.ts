import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Taint, Toleration } from './objects.js';
import { findUntoleratedTaint, toleratesTaint } from './taints.js';

const taint: Taint = { key: 'dedicated', value: 'database', effect: 'NoSchedule' };

describe('toleratesTaint', () => {
  const cases: [string, Toleration, boolean][] = [
    ['Equal with the same key, value and effect tolerates', { key: 'dedicated', operator: 'Equal', value: 'database', effect: 'NoSchedule' }, true],
    ['an unset operator means Equal', { key: 'dedicated', value: 'database' }, true],
    ['an empty operator means Equal', { key: 'dedicated', operator: '', value: 'web' }, false],
    ['Equal with another value does not tolerate', { key: 'dedicated', operator: 'Equal', value: 'web' }, false],
    ['Exists on the key tolerates any value', { key: 'dedicated', operator: 'Exists' }, true],
    ['Exists without a key tolerates every taint', { operator: 'Exists' }, true],
    ['another effect does not tolerate', { key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }, false],
    ['another key does not tolerate', { key: 'gpu', operator: 'Exists' }, false],
    ['an unknown operator tolerates nothing', { key: 'dedicated', operator: 'In', value: 'database' }, false],
  ];
  for (const [name, tol, want] of cases) test(name, () => assert.equal(toleratesTaint(tol, taint), want));
});

describe('findUntoleratedTaint', () => {
  const noExecute: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
  test('answers the first taint no toleration tolerates', () => {
    assert.deepEqual(findUntoleratedTaint([taint, noExecute], [{ key: 'dedicated', operator: 'Exists' }]), noExecute);
  });
  test('skips the taints the filter leaves out', () => {
    assert.equal(findUntoleratedTaint([taint, noExecute], [], (t) => t.effect === 'NoSchedule'), taint);
    assert.equal(findUntoleratedTaint([noExecute], undefined, (t) => t.effect === 'NoSchedule'), undefined);
  });
});
