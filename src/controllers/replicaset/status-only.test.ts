import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReplicaSet } from '../../api/objects.js';
import { statusOnlyChange } from './replicaset.js';

const base: ReplicaSet = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'web', namespace: 'default', uid: 'u', generation: 2, resourceVersion: '10', labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd', controller: true }] },
  spec: { replicas: 3, selector: { matchLabels: { app: 'web' } } },
  status: { replicas: 2, observedGeneration: 2 },
} as ReplicaSet;

function changed(f: (rs: ReplicaSet) => void): ReplicaSet {
  const rs = structuredClone(base);
  rs.metadata.resourceVersion = '11';
  f(rs);
  return rs;
}

describe('statusOnlyChange: which ReplicaSet updates may wait for the batch', () => {
  const cases: [string, ReplicaSet, boolean][] = [
    ['a status write (the controller’s own) waits', changed((rs) => (rs.status = { replicas: 3, readyReplicas: 1, observedGeneration: 2 })), true],
    ['a spec change (a new generation) is synced at once', changed((rs) => ((rs.spec!.replicas = 5), (rs.metadata.generation = 3))), false],
    ['a label change is synced at once', changed((rs) => (rs.metadata.labels = { app: 'web', tier: 'x' })), false],
    ['an annotation change is synced at once', changed((rs) => (rs.metadata.annotations = { 'deployment.kubernetes.io/revision': '2' })), false],
    ['an owner change is synced at once', changed((rs) => (rs.metadata.ownerReferences = [])), false],
    ['a deletion is synced at once', changed((rs) => (rs.metadata.deletionTimestamp = '2026-01-01T00:00:00Z')), false],
    ['a finalizer change is synced at once', changed((rs) => (rs.metadata.finalizers = ['foregroundDeletion'])), false],
  ];
  for (const [name, cur, want] of cases) test(name, () => assert.equal(statusOnlyChange(base, cur), want));
});
