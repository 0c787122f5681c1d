import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Pod, ReplicaSet } from '../../api/objects.js';
import { Cache } from '../cache.js';
import { PodInfo } from '../nodeinfo.js';
import { makeNode, makePod } from '../testing.js';
import { CycleState } from '../types.js';
import { PodTopologySpread } from './podtopologyspread.js';

const RS: ReplicaSet = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web', namespace: 'default', uid: 'rs-1' }, spec: { selector: { matchLabels: { app: 'web' } } } } as ReplicaSet;
const owner = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-1', controller: true }];
const listers = { services: () => [], replicaSet: () => RS, statefulSet: () => undefined };

/** The zone counts preScore hands to Score, for one pod. */
function zoneCounts(plugin: PodTopologySpread, cache: Cache, pod: Pod): Record<string, number> {
  const snapshot = cache.snapshot();
  const state = new CycleState();
  plugin.preScore(state, new PodInfo(pod), snapshot.list(), snapshot);
  const s = state.read<{ constraints: { topologyKey: string }[]; pairCounts: Map<string, number>[] }>('PreScorePodTopologySpread')!;
  const i = s.constraints.findIndex((c) => c.topologyKey === 'topology.kubernetes.io/zone');
  return Object.fromEntries([...s.pairCounts[i]!].sort());
}

/** Every node's score for one pod (hostname counts per node, zone counts per domain). */
function scores(plugin: PodTopologySpread, cache: Cache, pod: Pod): Record<string, number> {
  const snapshot = cache.snapshot();
  const state = new CycleState();
  const pi = new PodInfo(pod);
  plugin.preScore(state, pi, snapshot.list(), snapshot);
  return Object.fromEntries(snapshot.list().map((ni) => [ni.name, plugin.score(state, pi, ni)]));
}

describe('PodTopologySpread zone counts kept across cycles', () => {
  // A pod with a node selector every node matches takes the per-node path; one without takes the
  // tally kept across cycles. Both must count the same after every kind of change.
  const free = makePod('next', { labels: { app: 'web' }, ownerReferences: owner });
  const pinned = makePod('next-pinned', { labels: { app: 'web' }, ownerReferences: owner, spec: { nodeSelector: { 'kubernetes.io/os': 'linux' } } });
  const steps: { name: string; change: (c: Cache) => void; want: Record<string, number> }[] = [
    { name: 'an empty cluster counts zero in every zone', change: () => {}, want: { '': 0, a: 0, b: 0, c: 0 } },
    {
      name: 'bound pods count in their node’s zone; other apps and namespaces do not',
      change: (c) => {
        c.addPod(makePod('w1', { labels: { app: 'web' }, nodeName: 'n0' }));
        c.addPod(makePod('w2', { labels: { app: 'web' }, nodeName: 'n3' }));
        c.addPod(makePod('w3', { labels: { app: 'web' }, nodeName: 'n4' }));
        c.addPod(makePod('db', { labels: { app: 'db' }, nodeName: 'n1' }));
        c.addPod(makePod('w-other-ns', { labels: { app: 'web' }, nodeName: 'n2', namespace: 'other' }));
      },
      want: { '': 0, a: 1, b: 2, c: 0 },
    },
    {
      name: 'an assumed pod counts before its binding is seen',
      change: (c) => c.assumePod(new PodInfo(makePod('w4', { labels: { app: 'web' }, nodeName: 'n6' })), 'n6'),
      want: { '': 0, a: 1, b: 2, c: 1 },
    },
    { name: 'a removed pod stops counting', change: (c) => c.removePod('default/w2'), want: { '': 0, a: 1, b: 1, c: 1 } },
    {
      name: 'a terminating pod stops counting',
      change: (c) => {
        const p = makePod('w3', { labels: { app: 'web' }, nodeName: 'n4' });
        p.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
        c.updatePod(p);
      },
      want: { '': 0, a: 1, b: 0, c: 1 },
    },
    { name: 'a node moved to another zone takes its pods along', change: (c) => c.updateNode(makeNode('n0', { zone: 'c' })), want: { '': 0, a: 0, b: 0, c: 2 } },
    {
      name: 'a new node rebuilds the counts',
      change: (c) => {
        c.addNode(makeNode('n9', { zone: 'a' }));
        c.addPod(makePod('w5', { labels: { app: 'web' }, nodeName: 'n9' }));
      },
      want: { '': 0, a: 1, b: 0, c: 2 },
    },
  ];
  const cache = new Cache();
  for (let i = 0; i < 9; i++) cache.addNode(makeNode(`n${i}`, { zone: i === 8 ? undefined : 'abc'[Math.floor(i / 3) % 3] }));
  const plugin = new PodTopologySpread(listers);
  for (const s of steps) {
    test(s.name, () => {
      s.change(cache);
      assert.deepEqual(zoneCounts(plugin, cache, free), s.want);
      assert.deepEqual(zoneCounts(plugin, cache, pinned), s.want);
      assert.deepEqual(zoneCounts(new PodTopologySpread(listers), cache, free), s.want, 'a fresh tally agrees');
      assert.deepEqual(scores(plugin, cache, free), scores(new PodTopologySpread(listers), cache, free), 'node scores agree with a fresh tally');
    });
  }
});
