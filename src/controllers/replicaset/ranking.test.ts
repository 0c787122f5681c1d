import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/objects.js';
import { deletionCost, getPodsToDelete } from './ranking.js';

const NOW = Date.UTC(2026, 0, 1, 12);
const ago = (s: number) => new Date(NOW - s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

function pod(name: string, o: { node?: string; phase?: string; readyFor?: number; cost?: string; restarts?: number; age?: number } = {}): Pod {
  return {
    metadata: { name, uid: name, creationTimestamp: ago(o.age ?? 3600), ...(o.cost !== undefined ? { annotations: { 'controller.kubernetes.io/pod-deletion-cost': o.cost } } : {}) },
    spec: { containers: [{ name: 'c' }], ...(o.node ? { nodeName: o.node } : {}) },
    status: {
      phase: o.phase ?? 'Running',
      conditions: o.readyFor !== undefined ? [{ type: 'Ready', status: 'True', lastTransitionTime: ago(o.readyFor) }] : [],
      containerStatuses: [{ name: 'c', restartCount: o.restarts ?? 0, ready: o.readyFor !== undefined, image: '', imageID: '' }],
    },
  } as Pod;
}

const first = (pods: Pod[], related: Pod[] = pods) => getPodsToDelete(pods, related, 1, NOW)[0].metadata.name;

describe('getPodsToDelete ranking', () => {
  const cases: [string, Pod[], string][] = [
    ['unassigned before assigned', [pod('a', { node: 'n1', readyFor: 60 }), pod('b', { phase: 'Pending' })], 'b'],
    ['Pending before Unknown before Running', [pod('a', { node: 'n', phase: 'Running' }), pod('b', { node: 'n', phase: 'Unknown' })], 'b'],
    ['not ready before ready', [pod('a', { node: 'n', readyFor: 60 }), pod('b', { node: 'n' })], 'b'],
    ['lower pod-deletion-cost first', [pod('a', { node: 'n', cost: '10' }), pod('b', { node: 'n', cost: '-5' })], 'b'],
    ['pods doubled up on a node first', [pod('a', { node: 'n1', readyFor: 60 }), pod('b', { node: 'n2', readyFor: 60 }), pod('c', { node: 'n2', readyFor: 60 })], 'b|c'],
    ['ready for less time first (log scale)', [pod('a', { node: 'n1', readyFor: 3600 }), pod('b', { node: 'n2', readyFor: 60 })], 'b'],
    ['more restarts first', [pod('a', { node: 'n1', readyFor: 60 }), pod('b', { node: 'n2', readyFor: 60, restarts: 3 })], 'b'],
    ['newer first', [pod('a', { node: 'n1', age: 86400 }), pod('b', { node: 'n2', age: 60 })], 'b'],
  ];
  for (const [name, pods, want] of cases) {
    test(name, () => {
      assert.ok(want.split('|').includes(first(pods)!), first(pods));
      assert.ok(want.split('|').includes(first([...pods].reverse())!), 'whatever the input order');
    });
  }

  test('deletion cost is an int32 without a sign or leading zeros, else 0', () => {
    const cost = (v: string) => deletionCost({ metadata: { annotations: { 'controller.kubernetes.io/pod-deletion-cost': v } } } as Pod);
    assert.deepEqual(['5', '-5', '0', '+5', '007', 'x', '99999999999'].map(cost), [5, -5, 0, 0, 0, 0, 0]);
  });

  test('deleting every pod needs no ranking', () => {
    const pods = [pod('a'), pod('b')];
    assert.deepEqual(getPodsToDelete(pods, pods, 2, NOW), pods);
  });
});
