// The shortcut trackUpdate takes for value-only writes must give exactly the managedFields of the
// full field-manager path: checked on a table of writes and on random ones.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { patchSchemaFor } from '../../api/patchmeta.js';
import type { PatchSchema } from '../patch/schema.js';
import { shapeKey, trackUpdate, trackUpdateSlow, trackUpdateTook, type TrackUpdateOptions } from './fieldmanager.js';
import { compare, compareWithZeroFields, rootNode, withZeroFields } from './typed.js';
import { pathString } from './fieldpath.js';

type Obj = Record<string, any>;

interface Kind {
  schema: PatchSchema;
  apiVersion: string;
  hasStatus: boolean;
  make: () => Obj;
}

const KINDS: Record<string, Kind> = {
  Lease: {
    schema: patchSchemaFor('V1Lease'),
    apiVersion: 'coordination.k8s.io/v1',
    hasStatus: false,
    make: () => ({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'node-1', namespace: 'kube-node-lease', ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'node-1', uid: 'n1' }] },
      spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '2025-01-01T00:00:00.000000Z' },
    }),
  },
  Pod: {
    schema: patchSchemaFor('V1Pod'),
    apiVersion: 'v1',
    hasStatus: true,
    make: () => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-1', namespace: 'default', labels: { app: 'web' }, finalizers: ['a.io/x'] },
      spec: {
        nodeName: 'node-1',
        containers: [{ name: 'app', image: 'nginx', command: ['sh'], ports: [{ containerPort: 80, protocol: 'TCP' }], resources: { requests: { cpu: '100m' } } }],
      },
      status: {
        phase: 'Running',
        podIP: '10.1.0.5',
        podIPs: [{ ip: '10.1.0.5' }],
        conditions: [
          { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2025-01-01T00:00:00Z' },
          { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2025-01-01T00:00:00Z' },
        ],
        containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: { startedAt: '2025-01-01T00:00:00Z' } }, lastState: {} }],
      },
    }),
  },
  ConfigMap: {
    schema: patchSchemaFor('V1ConfigMap'),
    apiVersion: 'v1',
    hasStatus: false,
    make: () => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg', namespace: 'default', labels: { a: '1' }, annotations: { note: 'x' } },
      data: { one: '1', two: '2', three: '3' },
    }),
  },
  Deployment: {
    schema: patchSchemaFor('V1Deployment'),
    apiVersion: 'apps/v1',
    hasStatus: true,
    make: () => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default', generation: 1, labels: { app: 'web' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1', env: [{ name: 'A', value: 'x' }] }] } },
      },
      status: { replicas: 2, readyReplicas: 1, observedGeneration: 1, conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }] },
    }),
  },
};

function optsFor(kind: Kind, manager: string, time: string, subresource?: string): TrackUpdateOptions {
  return {
    manager,
    time,
    schema: kind.schema,
    apiVersion: kind.apiVersion,
    subresource,
    ignoredPaths: subresource === 'status' ? [['spec']] : kind.hasStatus ? [['status']] : [],
  };
}

/** The object created by `creator` and stored, as the registry keeps it. */
function created(kind: Kind, creator: string, time: string): Obj {
  const o = kind.make();
  o.metadata.uid = 'uid-1';
  o.metadata.resourceVersion = '1';
  trackUpdate(undefined, o, optsFor(kind, creator, time));
  return o;
}

/** Runs one write through both paths on copies; the results must agree. Returns the shortcut's result. */
function both(old: Obj, next: Obj, opts: TrackUpdateOptions): { obj: Obj; took: 'shortcut' | 'full' } {
  const fast = structuredClone(next);
  const slow = structuredClone(next);
  const took = trackUpdateTook(structuredClone(old), fast, opts);
  trackUpdateSlow(structuredClone(old), slow, opts);
  assert.deepEqual(fast.metadata?.managedFields, slow.metadata?.managedFields);
  assert.equal(JSON.stringify(fast), JSON.stringify(slow));
  return { obj: fast, took };
}

/**
 * next's parts equal to old's made old's own objects, as a status write shares the spec it leaves
 * alone (metadata aside: the field manager writes to next's).
 */
function shareEqualParts(old: Obj, next: Obj): void {
  const share = (a: Obj, b: Obj) => {
    for (const k of Object.keys(b)) {
      if (a[k] === undefined || typeof b[k] !== 'object' || b[k] === null) continue;
      if (isDeepStrictEqual(a[k], b[k])) b[k] = a[k];
      else if (!Array.isArray(b[k]) && typeof a[k] === 'object' && !Array.isArray(a[k])) share(a[k], b[k]);
    }
  };
  for (const k of Object.keys(next)) {
    if (k === 'metadata' || typeof next[k] !== 'object' || next[k] === null || old[k] === undefined) continue;
    if (isDeepStrictEqual(old[k], next[k])) next[k] = old[k];
    else if (!Array.isArray(next[k]) && typeof old[k] === 'object' && !Array.isArray(old[k])) share(old[k], next[k]);
  }
}

/** As both, with the shortcut's next sharing old's unchanged parts (shareEqualParts). */
function bothSharing(old: Obj, next: Obj, opts: TrackUpdateOptions): { obj: Obj; took: 'shortcut' | 'full' } {
  const fastOld = structuredClone(old);
  const fast = structuredClone(next);
  shareEqualParts(fastOld, fast);
  const frozenOld = JSON.stringify(fastOld);
  const slow = structuredClone(next);
  const took = trackUpdateTook(fastOld, fast, opts);
  trackUpdateSlow(structuredClone(old), slow, opts);
  assert.equal(JSON.stringify(fastOld), frozenOld, 'old is left as it was');
  assert.deepEqual(fast.metadata?.managedFields, slow.metadata?.managedFields);
  assert.equal(JSON.stringify(fast), JSON.stringify(slow));
  return { obj: structuredClone(fast), took };
}

const T0 = '2025-01-01T00:00:00Z';
const T1 = '2025-01-01T00:00:10Z';
const T2 = '2025-01-01T00:00:20Z';

describe('trackUpdate shortcut for value-only writes', () => {
  interface Case {
    name: string;
    kind: string;
    /** Writes before the one under test: manager, subresource and the change. */
    creator?: string;
    history: { manager: string; sub?: string; edit: (o: Obj) => void }[];
    manager: string;
    sub?: string;
    apiVersion?: string;
    edit: (o: Obj) => void;
    took: 'shortcut' | 'full';
  }
  const cases: Case[] = [
    {
      name: 'a kubelet renewing its own Lease only moves its entry time',
      kind: 'Lease',
      creator: 'kubelet',
      history: [],
      manager: 'kubelet',
      edit: (o) => (o.spec.renewTime = '2025-01-01T00:00:10.000000Z'),
      took: 'shortcut',
    },
    {
      name: 'a Lease renewal by a manager that does not own renewTime takes it over through the full path',
      kind: 'Lease',
      history: [],
      manager: 'other',
      edit: (o) => (o.spec.renewTime = '2025-01-01T00:00:10.000000Z'),
      took: 'full',
    },
    {
      name: 'a no-op write leaves managedFields as they were',
      kind: 'Lease',
      history: [{ manager: 'kubelet', edit: (o) => (o.spec.renewTime = 'x') }],
      manager: 'kubelet',
      edit: () => {},
      took: 'shortcut',
    },
    {
      name: 'a status write by the kubelet over conditions it set before',
      kind: 'Pod',
      history: [{ manager: 'kubelet', sub: 'status', edit: (o) => ((o.status.conditions[0].status = 'False'), (o.status.containerStatuses[0].ready = false)) }],
      manager: 'kubelet',
      sub: 'status',
      edit: (o) => ((o.status.conditions[0].status = 'True'), (o.status.containerStatuses[0].ready = true)),
      took: 'shortcut',
    },
    {
      name: 'a patched status write (no resourceVersion in what is written) by the kubelet over conditions it set before',
      kind: 'Pod',
      history: [{ manager: 'kubelet', sub: 'status', edit: (o) => (o.status.conditions[0].status = 'False') }],
      manager: 'kubelet',
      sub: 'status',
      edit: (o) => ((o.status.conditions[0].status = 'True'), delete o.metadata.resourceVersion),
      took: 'shortcut',
    },
    {
      name: 'a write whose resourceVersion differs from the stored one only moves its entry time',
      kind: 'Lease',
      creator: 'kubelet',
      history: [],
      manager: 'kubelet',
      edit: (o) => ((o.spec.renewTime = '2025-01-01T00:00:10.000000Z'), (o.metadata.resourceVersion = '7')),
      took: 'shortcut',
    },
    {
      name: 'a write without resourceVersion that also changes a label falls back to the full path',
      kind: 'Lease',
      creator: 'kubelet',
      history: [],
      manager: 'other',
      edit: (o) => ((o.metadata.labels = { a: 'b' }), delete o.metadata.resourceVersion),
      took: 'full',
    },
    {
      name: 'a status write that changes a field the kubelet does not own falls back',
      kind: 'Pod',
      history: [{ manager: 'kubelet', sub: 'status', edit: (o) => (o.status.conditions[0].status = 'False') }],
      manager: 'kubelet',
      sub: 'status',
      edit: (o) => ((o.status.conditions[0].status = 'True'), (o.status.phase = 'Failed')),
      took: 'full',
    },
    {
      name: 'a status write that renames a condition type (a list key) falls back',
      kind: 'Pod',
      history: [{ manager: 'kubelet', sub: 'status', edit: (o) => (o.status.conditions[0].type = 'Ready') }],
      manager: 'kubelet',
      sub: 'status',
      edit: (o) => (o.status.conditions[0].type = 'Initialized'),
      took: 'full',
    },
    {
      name: 'a status write that reorders conditions falls back',
      kind: 'Pod',
      history: [],
      manager: 'kubelet',
      sub: 'status',
      edit: (o) => o.status.conditions.reverse(),
      took: 'full',
    },
    {
      name: 'a status write that swaps two conditions the kubelet owns outright falls back (and changes nothing)',
      kind: 'Pod',
      history: [
        {
          manager: 'kubelet',
          sub: 'status',
          edit: (o) => (o.status.conditions = [{ type: 'Initialized', status: 'True' }, { type: 'ContainersReady', status: 'False' }]),
        },
      ],
      manager: 'kubelet',
      sub: 'status',
      edit: (o) => o.status.conditions.reverse(),
      took: 'full',
    },
    {
      name: 'a finalizer replaced by its owner is a removal and an addition, through the full path',
      kind: 'Pod',
      history: [],
      manager: 'creator',
      edit: (o) => (o.metadata.finalizers = ['b.io/y']),
      took: 'full',
    },
    {
      name: 'an update that changes a field another manager also owns falls back and takes it',
      kind: 'ConfigMap',
      history: [
        { manager: 'a', edit: (o) => (o.data.one = 'A') },
        { manager: 'b', edit: (o) => ((o.data.one = 'B'), (o.data.two = 'B')) },
        { manager: 'a', edit: (o) => (o.data.three = 'A') },
      ],
      manager: 'a',
      edit: (o) => (o.data.three = 'AA'),
      took: 'shortcut',
    },
    {
      name: 'an update by the same manager at another apiVersion is another entry and falls back',
      kind: 'ConfigMap',
      history: [{ manager: 'a', edit: (o) => (o.data.one = 'A') }],
      manager: 'a',
      apiVersion: 'v1beta1',
      edit: (o) => (o.data.one = 'AA'),
      took: 'full',
    },
    {
      name: 'an update that adds a data key falls back',
      kind: 'ConfigMap',
      history: [],
      manager: 'creator',
      edit: (o) => (o.data.four = '4'),
      took: 'full',
    },
    {
      name: 'a status write of a Deployment by the controller over fields it wrote',
      kind: 'Deployment',
      history: [{ manager: 'kcm', sub: 'status', edit: (o) => ((o.status.readyReplicas = 2), (o.status.observedGeneration = 2)) }],
      manager: 'kcm',
      sub: 'status',
      edit: (o) => ((o.status.readyReplicas = 1), (o.status.observedGeneration = 3)),
      took: 'shortcut',
    },
    {
      name: 'a main-resource write that changes only status (reset) fields is a no-op for ownership',
      kind: 'Deployment',
      history: [],
      manager: 'someone',
      edit: (o) => (o.status.readyReplicas = 0),
      took: 'shortcut',
    },
    {
      name: 'an image change by the creator, with generation bumped, stays with the creator',
      kind: 'Deployment',
      history: [],
      manager: 'creator',
      edit: (o) => ((o.spec.template.spec.containers[0].image = 'nginx:2'), (o.metadata.generation = 2)),
      took: 'shortcut',
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const kind = KINDS[c.kind];
      let live = created(kind, c.creator ?? 'creator', T0);
      c.history.forEach((h, i) => {
        const next = structuredClone(live);
        h.edit(next);
        next.metadata.resourceVersion = String(i + 2);
        trackUpdateSlow(live, next, optsFor(kind, h.manager, T1, h.sub));
        live = next;
      });
      const next = structuredClone(live);
      c.edit(next);
      const { obj, took } = both(live, next, { ...optsFor(kind, c.manager, T2, c.sub), ...(c.apiVersion ? { apiVersion: c.apiVersion } : {}) });
      assert.equal(took, c.took);
      if (c.name.startsWith('a kubelet renewing')) {
        assert.deepEqual(
          obj.metadata.managedFields.map((e: Obj) => [e.manager, e.time]),
          [['kubelet', T2]],
        );
        assert.deepEqual(obj.metadata.managedFields[0].fieldsV1, live.metadata.managedFields[0].fieldsV1);
      }
    });
  }

  test('a field two managers own goes to the one that changes it, through the full path', () => {
    const kind = KINDS.ConfigMap;
    const live = created(kind, 'a', T0);
    live.metadata.managedFields = [
      { manager: 'a', operation: 'Update', apiVersion: 'v1', time: T0, fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:one': {} } } },
      { manager: 'b', operation: 'Apply', apiVersion: 'v1', time: T0, fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:one': {}, 'f:two': {} } } },
    ];
    const next = structuredClone(live);
    next.data.one = 'x';
    const { obj, took } = both(live, next, optsFor(kind, 'a', T1));
    assert.equal(took, 'full');
    assert.deepEqual(obj.metadata.managedFields.find((e: Obj) => e.manager === 'b').fieldsV1, { 'f:data': { 'f:two': {} } });
  });

  test('a changed field a client-sent entry claims in untracked metadata is dropped from it, through the full path', () => {
    const kind = KINDS.Deployment;
    const live = created(kind, 'a', T0);
    live.metadata.managedFields = [
      { manager: 'a', operation: 'Update', apiVersion: 'apps/v1', time: T0, fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:generation': {} }, 'f:spec': { 'f:replicas': {} } } },
    ];
    const next = structuredClone(live);
    next.spec.replicas = 3;
    next.metadata.generation = 2;
    const { obj, took } = both(live, next, optsFor(kind, 'a', T1));
    assert.equal(took, 'full');
    assert.deepEqual(obj.metadata.managedFields[0].fieldsV1, { 'f:spec': { 'f:replicas': {} } });
  });

  test('a client that sends more than ten updaters gets them capped as the full path does', () => {
    const kind = KINDS.ConfigMap;
    const live = created(kind, 'a', T0);
    const next = structuredClone(live);
    next.data.one = 'x';
    next.metadata.managedFields = Array.from({ length: 12 }, (_, i) => ({
      manager: i === 0 ? 'a' : `m${i}`,
      operation: 'Update',
      apiVersion: 'v1',
      time: timeAt(i),
      fieldsType: 'FieldsV1',
      fieldsV1: i === 0 ? { 'f:data': { 'f:one': {} } } : { 'f:metadata': { 'f:labels': { [`f:l${i}`]: {} } } },
    }));
    const { obj, took } = both(live, next, optsFor(kind, 'a', T1));
    assert.equal(took, 'full');
    assert.ok(obj.metadata.managedFields.some((e: Obj) => e.manager === 'ancient-changes'));
  });

  test('a client that sends managedFields other than the live ones gets them tracked as the full path does', () => {
    const kind = KINDS.ConfigMap;
    const live = created(kind, 'a', T0);
    const next = structuredClone(live);
    next.data.one = 'x';
    next.metadata.managedFields = [
      { manager: 'a', operation: 'Update', apiVersion: 'v1', time: T0, fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:one': {}, 'f:two': {} } } },
      { manager: 'z', operation: 'Update', apiVersion: 'v1', time: T0, fieldsType: 'FieldsV1', fieldsV1: {} },
    ];
    const { took } = both(live, next, optsFor(kind, 'a', T1));
    assert.equal(took, 'full', 'an empty entry is dropped only by the full path');
  });
});

// ---- random writes ----

const SCALARS = fc.oneof(fc.constantFrom('a', 'b', 'nginx', 'True', 'False', '', '10.1.0.5', 'Ready'), fc.integer({ min: -1, max: 3 }), fc.boolean());

/** Every scalar leaf path of an object (not metadata.managedFields). */
function leafPaths(o: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (o === null || typeof o !== 'object') return prefix.length ? [prefix] : [];
  if (prefix.length === 1 && prefix[0] === 'metadata') {
    const { managedFields: _mf, ...rest } = o as Obj;
    o = rest;
  }
  const out: (string | number)[][] = [];
  if (Array.isArray(o)) o.forEach((x, i) => out.push(...leafPaths(x, [...prefix, i])));
  else for (const [k, v] of Object.entries(o as Obj)) out.push(...leafPaths(v, [...prefix, k]));
  return out;
}

function setAt(o: Obj, path: (string | number)[], v: unknown): void {
  let cur: any = o;
  for (let i = 0; i < path.length - 1; i++) cur = cur[path[i]];
  cur[path[path.length - 1]] = v;
}

const edit = fc.record({
  manager: fc.constantFrom('kubelet', 'kcm', 'creator'),
  status: fc.boolean(),
  values: fc.array(fc.tuple(fc.nat(), SCALARS), { maxLength: 3 }),
  // Structural changes, for histories with varied ownership.
  addLabel: fc.option(fc.constantFrom('x', 'y'), { nil: undefined }),
  drop: fc.option(fc.nat(), { nil: undefined }),
  second: fc.integer({ min: 0, max: 40 }),
});

type Edit = { manager: string; status: boolean; values: [number, unknown][]; addLabel?: string; drop?: number; second: number };

function applyEdit(o: Obj, e: Edit, valuesOnly: boolean): void {
  const leaves = leafPaths(o);
  if (leaves.length === 0) return;
  for (const [i, v] of e.values) setAt(o, leaves[i % leaves.length], v);
  if (valuesOnly) return;
  if (e.addLabel) o.metadata.labels = { ...(o.metadata.labels ?? {}), [e.addLabel]: 'v' };
  if (e.drop !== undefined) {
    const p = leaves[e.drop % leaves.length];
    if (p[0] !== 'metadata' || !['name', 'uid', 'namespace'].includes(String(p[1]))) {
      let cur: any = o;
      for (let i = 0; i < p.length - 1; i++) cur = cur[p[i]];
      if (Array.isArray(cur)) cur.splice(Number(p[p.length - 1]), 1);
      else delete cur[p[p.length - 1]];
    }
  }
}

const timeAt = (s: number) => `2025-01-01T00:00:${String(s).padStart(2, '0')}Z`;

describe('trackUpdate shortcut on random writes', () => {
  test('gives the same managedFields as the full path for random value-only writes after random histories', () => {
    let shortcuts = 0;
    let runs = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(KINDS)),
        fc.array(edit, { maxLength: 5 }),
        fc.array(edit, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (kindName, history, finals, sharing) => {
          const kind = KINDS[kindName];
          let live = created(kind, 'creator', T0);
          let rv = 2;
          const step = (e: Edit, valuesOnly: boolean) => {
            const next = structuredClone(live);
            applyEdit(next, e, valuesOnly);
            next.metadata.resourceVersion = String(rv++);
            const sub = e.status && kind.hasStatus ? 'status' : undefined;
            const opts = optsFor(kind, e.manager, timeAt(e.second), sub);
            if (valuesOnly) {
              const r = (sharing ? bothSharing : both)(live, next, opts);
              runs++;
              if (r.took === 'shortcut') shortcuts++;
              live = r.obj;
            } else {
              trackUpdateSlow(live, next, opts);
              live = next;
            }
          };
          for (const e of history) step(e, false);
          // The same write again, as a kubelet or controller repeats it, then other value changes.
          for (const e of finals) {
            step(e, true);
            step(e, true);
          }
        },
      ),
      { numRuns: 300 },
    );
    // The property must exercise the shortcut, not only the fallback.
    if (process.env.SSA_SHORTCUT_STATS) console.log(`shortcut taken ${shortcuts} times in ${runs} writes`);
    assert.ok(shortcuts > runs / 4, `shortcut taken ${shortcuts} times in ${runs} writes`);
  });
});

describe('compareWithZeroFields', () => {
  test('reports what compare reports on the zero-filled objects, for random writes of every shape', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(KINDS)), fc.array(edit, { maxLength: 3 }), fc.array(edit, { minLength: 1, maxLength: 3 }), fc.boolean(), (kindName, before, after, fromEmpty) => {
        const kind = KINDS[kindName];
        const node = rootNode(kind.schema);
        const old = kind.make();
        for (const e of before) applyEdit(old, e, false);
        const next = structuredClone(old);
        for (const e of after) applyEdit(next, e, false);
        const lhs = fromEmpty ? {} : old;
        const want = compare(withZeroFields(lhs, node), withZeroFields(next, node), node);
        const got = compareWithZeroFields(lhs, next, node);
        for (const k of ['added', 'modified', 'removed'] as const) {
          assert.deepEqual(got[k].paths().map(pathString), want[k].paths().map(pathString), k);
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('trackUpdate on create', () => {
  /** Scalar leaves outside any list: changing one keeps an object's shape (shapeKey). */
  const shapeKeepingLeaves = (o: Obj) => leafPaths(o).filter((p) => !p.some((x) => typeof x === 'number'));

  test('gives the same managedFields as the full path for random objects, and for others of the same shape that reuse its set', () => {
    let reused = 0;
    let shortcuts = 0;
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(KINDS)), fc.array(edit, { maxLength: 4 }), fc.array(fc.tuple(fc.nat(), SCALARS), { minLength: 1, maxLength: 4 }), (kindName, edits, values) => {
        const kind = KINDS[kindName];
        const first = kind.make();
        for (const e of edits) applyEdit(first, e, false);
        delete first.metadata.managedFields;
        const opts = optsFor(kind, 'creator', T0);
        // (An object that does not type, such as a list-map element without its key, takes the full path.)
        if (both(undefined as unknown as Obj, first, opts).took === 'shortcut') shortcuts++;
        // Another object of that shape: other values outside lists (a string stays a string).
        const sibling = structuredClone(first);
        const leaves = shapeKeepingLeaves(sibling);
        for (const [i, v] of values) {
          if (!leaves.length) break;
          const p = leaves[i % leaves.length];
          let cur: any = sibling;
          for (const k of p) cur = cur[k];
          if (typeof v === typeof cur && (typeof v !== 'number' || Number.isInteger(v) === Number.isInteger(cur))) setAt(sibling, p, v);
        }
        if (shapeKey(sibling) === shapeKey(first)) reused++;
        both(undefined as unknown as Obj, sibling, optsFor(kind, 'other', T1));
      }),
      { numRuns: 300 },
    );
    assert.ok(reused > 200, `only ${reused} of 300 siblings kept their shape`);
    assert.ok(shortcuts > 200, `the shortcut was taken for only ${shortcuts} of 300 creates`);
  });

  const shapes: { name: string; a: unknown; b: unknown; same: boolean }[] = [
    { name: 'other string values share a shape', a: { x: 'a', y: { z: 'b' } }, b: { x: 'c', y: { z: '' } }, same: true },
    { name: 'a string and a number differ', a: { x: 'a' }, b: { x: 1 }, same: false },
    { name: 'an integer and a fraction differ', a: { x: 1 }, b: { x: 1.5 }, same: false },
    { name: 'null and a missing field differ', a: { x: null }, b: {}, same: false },
    { name: 'an undefined field is a missing one', a: { x: undefined }, b: {}, same: true },
    { name: 'an empty object and an empty list differ', a: { x: {} }, b: { x: [] }, same: false },
    { name: 'list elements count by value', a: { x: [{ name: 'a' }] }, b: { x: [{ name: 'b' }] }, same: false },
    { name: 'a key cannot pass for the end of another', a: { 'a=s,b': 's' }, b: { a: 's', b: 's' }, same: false },
    { name: 'field order does not change the fields', a: { x: 'a', y: 'b' }, b: { x: 'c', y: 'd' }, same: true },
  ];
  for (const c of shapes) {
    test(`shapeKey: ${c.name}`, () => {
      assert.equal(shapeKey(c.a) === shapeKey(c.b), c.same);
    });
  }
});
