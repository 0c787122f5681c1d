import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { podDisruptionBudgetPrinter } from './policy.js';
import { ago, DAY, headers, row } from './testing.js';

describe('pod disruption budgets', () => {
  test('show NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE', () =>
    assert.deepEqual(headers(podDisruptionBudgetPrinter), ['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE']));
  test('print N/A for the unset bound and percentages as strings', () => {
    assert.deepEqual(Object.values(row(podDisruptionBudgetPrinter, { metadata: { name: 'api-pdb', creationTimestamp: ago(DAY) }, spec: { minAvailable: 2 }, status: { disruptionsAllowed: 1 } })), [
      'api-pdb', '2', 'N/A', 1, '24h',
    ]);
    assert.deepEqual(Object.values(row(podDisruptionBudgetPrinter, { metadata: { name: 'db-pdb' }, spec: { maxUnavailable: '25%' } })).slice(1, 4), ['N/A', '25%', 0]);
  });
});
