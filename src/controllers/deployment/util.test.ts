import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment, ReplicaSet } from '../../api/objects.js';
import { computeHash, safeEncodeString } from '../hash.js';
import { equalIgnoreHash, maxSurge, maxUnavailable, resolveFenceposts, setNewReplicaSetAnnotations } from './util.js';

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } };

function dep(replicas: number, surge: number | string, unavailable: number | string): Deployment {
  return { metadata: { name: 'web' }, spec: { replicas, selector: {}, template, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } } } } as Deployment;
}

describe('deployment util', () => {
  for (const [replicas, surge, unavailable, want] of [
    [10, '25%', '25%', { surge: 3, unavailable: 2 }],
    [3, '25%', '25%', { surge: 1, unavailable: 0 }],
    [1, '25%', '25%', { surge: 1, unavailable: 0 }],
    [4, 0, '10%', { surge: 0, unavailable: 1 }],
    [5, '50%', '50%', { surge: 3, unavailable: 2 }],
    [0, '25%', '25%', { surge: 0, unavailable: 1 }],
  ] as const) {
    test(`fenceposts for ${replicas} replicas, maxSurge ${surge}, maxUnavailable ${unavailable}: surge rounds up, unavailable down, both 0 → unavailable 1`, () => {
      assert.deepEqual(resolveFenceposts(surge, unavailable, replicas), want);
    });
  }

  test('MaxUnavailable is capped at replicas and 0 for zero replicas or Recreate', () => {
    assert.equal(maxUnavailable(dep(2, 0, 5)), 2);
    assert.equal(maxUnavailable(dep(0, 1, 1)), 0);
    assert.equal(maxSurge(dep(4, '25%', 0)), 1);
    const recreate = { ...dep(4, 1, 1), spec: { ...dep(4, 1, 1).spec!, strategy: { type: 'Recreate' } } } as Deployment;
    assert.equal(maxUnavailable(recreate), 0);
    assert.equal(maxSurge(recreate), 0);
  });

  test('SafeEncodeString maps decimal digits into the vowel-free alphabet', () => {
    assert.equal(safeEncodeString('0123456789'), '456789bcdf');
  });

  test('the pod-template-hash is stable, key-order independent, and changes with template and collisionCount', () => {
    const h = computeHash(template);
    assert.match(h, /^[456789bcdf]{1,10}$/);
    assert.equal(computeHash({ spec: { containers: [{ image: 'nginx', name: 'app' }] }, metadata: { labels: { app: 'web' } } }), h);
    assert.notEqual(computeHash({ ...template, spec: { containers: [{ name: 'app', image: 'nginx:2' }] } }), h);
    assert.notEqual(computeHash(template, 0), h);
    assert.notEqual(computeHash(template, 1), computeHash(template, 0));
  });

  test('EqualIgnoreHash ignores pod-template-hash and empty maps', () => {
    const withHash = { metadata: { labels: { app: 'web', 'pod-template-hash': 'abc' }, annotations: {} }, spec: template.spec };
    assert.ok(equalIgnoreHash(withHash, template));
    assert.ok(!equalIgnoreHash(withHash, { ...template, spec: { containers: [{ name: 'app', image: 'other' }] } }));
  });

  test('a rollback moves the revision up and appends the old one to revision-history', () => {
    const d = { metadata: { name: 'web', annotations: { 'kubernetes.io/change-cause': 'undo', 'kubectl.kubernetes.io/last-applied-configuration': '{}' } }, spec: dep(3, 1, 0).spec } as Deployment;
    const rs = { metadata: { name: 'web-1', annotations: { 'deployment.kubernetes.io/revision': '2', 'deployment.kubernetes.io/revision-history': '1' } } } as ReplicaSet;
    assert.equal(setNewReplicaSetAnnotations(d, rs, 5, true), true);
    assert.deepEqual(rs.metadata.annotations, {
      'deployment.kubernetes.io/revision': '5',
      'deployment.kubernetes.io/revision-history': '1,2',
      'kubernetes.io/change-cause': 'undo',
    });
    assert.equal(setNewReplicaSetAnnotations(d, rs, 5, true), false, 'nothing more to change');
    const fresh = { metadata: { name: 'web-2' } } as ReplicaSet;
    setNewReplicaSetAnnotations(d, fresh, 1, false);
    assert.equal(fresh.metadata.annotations!['deployment.kubernetes.io/desired-replicas'], '3');
    assert.equal(fresh.metadata.annotations!['deployment.kubernetes.io/max-replicas'], '4');
    assert.equal(fresh.metadata.annotations!['deployment.kubernetes.io/revision-history'], undefined);
  });
});
