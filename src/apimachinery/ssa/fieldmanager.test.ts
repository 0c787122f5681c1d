import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { patchSchemaFor } from '../../api/patchmeta.js';
import { StatusError } from '../errors.js';
import { FieldSet, pathString } from './fieldpath.js';
import { apply as applyObject, fieldSetOf, LAST_APPLIED_ANNOTATION, trackUpdate, type ApplyOptions } from './fieldmanager.js';
import type { ManagedFieldsEntry } from './managedfields.js';

type Obj = Record<string, any>;

const apply = (live: object | undefined, config: object, opts: ApplyOptions): Obj => applyObject(live, config, opts);

const DEPLOYMENT = patchSchemaFor('V1Deployment');
const CONFIGMAP = patchSchemaFor('V1ConfigMap');
const T0 = '2025-01-01T00:00:00Z';
const T1 = '2025-01-01T00:01:00Z';
const T2 = '2025-01-01T00:02:00Z';
const T3 = '2025-01-01T00:03:00Z';

const applyOpts = (manager: string, time: string, extra: Partial<ApplyOptions> = {}): ApplyOptions => ({
  manager,
  time,
  force: false,
  schema: DEPLOYMENT,
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  ignoredPaths: [['status']],
  ...extra,
});
const updateOpts = (manager: string, time: string) => ({ manager, time, schema: DEPLOYMENT, apiVersion: 'apps/v1', ignoredPaths: [['status']] });

/** A Deployment configuration as a user writes it. */
function deployment(opts: { replicas?: number; image?: string; labels?: Obj; containers?: Obj[]; selector?: Obj } = {}): Obj {
  const spec: Obj = {
    selector: opts.selector ?? { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: opts.containers ?? [{ name: 'app', image: opts.image ?? 'nginx:1.27' }] },
    },
  };
  if (opts.replicas !== undefined) spec.replicas = opts.replicas;
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', labels: opts.labels ?? { app: 'web' } }, spec };
}

/** What the registry adds on create: identity and version. */
function stored(obj: Obj, rv = '1'): Obj {
  const o = structuredClone(obj);
  o.metadata.uid ??= 'uid-1';
  o.metadata.resourceVersion = rv;
  return o;
}

function entries(obj: Obj): ManagedFieldsEntry[] {
  return obj.metadata.managedFields ?? [];
}

function entry(obj: Obj, manager: string, operation = 'Apply'): ManagedFieldsEntry | undefined {
  return entries(obj).find((e) => e.manager === manager && e.operation === operation);
}

function owned(obj: Obj, manager: string, operation = 'Apply'): string[] {
  const e = entry(obj, manager, operation);
  return e ? FieldSet.fromFieldsV1(e.fieldsV1).paths().map(pathString) : [];
}

function statusOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  assert.fail('expected a StatusError');
}

describe('fieldSetOf', () => {
  const cases: Array<{ name: string; obj: Obj; schema?: typeof DEPLOYMENT; ignored?: string[][]; want: string[] }> = [
    {
      name: 'owns an atomic LabelSelector as one field',
      obj: { spec: { selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'a', operator: 'Exists' }] } } },
      want: ['.spec.selector'],
    },
    {
      name: 'keys containers by name and ports by containerPort and defaulted protocol, without owning the lists themselves',
      obj: { spec: { template: { spec: { containers: [{ name: 'app', ports: [{ containerPort: 80 }] }] } } } },
      want: [
        '.spec.template.spec.containers[name="app"]',
        '.spec.template.spec.containers[name="app"].name',
        '.spec.template.spec.containers[name="app"].ports[containerPort=80,protocol="TCP"]',
        '.spec.template.spec.containers[name="app"].ports[containerPort=80,protocol="TCP"].containerPort',
      ],
    },
    {
      name: 'owns set-list elements by value',
      obj: { metadata: { finalizers: ['a.io/x', 'b.io/y'] } },
      schema: CONFIGMAP,
      want: ['.metadata.finalizers[="a.io/x"]', '.metadata.finalizers[="b.io/y"]'],
    },
    {
      name: 'owns an atomic list as one field',
      obj: { spec: { template: { spec: { containers: [{ name: 'app', command: ['sh', '-c'] }] } } } },
      want: ['.spec.template.spec.containers[name="app"]', '.spec.template.spec.containers[name="app"].command', '.spec.template.spec.containers[name="app"].name'],
    },
    {
      name: 'leaves out identity metadata but keeps labels',
      obj: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'd', uid: 'u', resourceVersion: '3', generation: 2, labels: { a: 'b' } } },
      want: ['.metadata.labels.a'],
    },
    {
      name: 'leaves out the reset paths (status for the main resource)',
      obj: { spec: { replicas: 1 }, status: { replicas: 1 } },
      ignored: [['status']],
      want: ['.spec.replicas'],
    },
    {
      name: 'owns a map value with its own entries under a deduced field',
      obj: { data: { a: '1' } },
      schema: CONFIGMAP,
      want: ['.data.a'],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.deepEqual(fieldSetOf(c.obj, c.schema ?? DEPLOYMENT, c.ignored).paths().map(pathString).sort(), [...c.want].sort());
    });
  }
});

describe('trackUpdate', () => {
  test('gives the creating manager every field it set, with "." where upstream writes it', () => {
    const obj = stored(deployment({ replicas: 2 }));
    obj.metadata.annotations = { [LAST_APPLIED_ANNOTATION]: '{}\n' };
    obj.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } };
    obj.spec.template.spec.containers[0].resources = {};
    trackUpdate(undefined, obj, updateOpts('kubectl-client-side-apply', T0));
    assert.deepEqual(entries(obj), [
      {
        manager: 'kubectl-client-side-apply',
        operation: 'Update',
        apiVersion: 'apps/v1',
        time: T0,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': {
            'f:annotations': { '.': {}, 'f:kubectl.kubernetes.io/last-applied-configuration': {} },
            'f:labels': { '.': {}, 'f:app': {} },
          },
          'f:spec': {
            'f:replicas': {},
            'f:selector': {},
            'f:strategy': { 'f:rollingUpdate': { '.': {}, 'f:maxSurge': {}, 'f:maxUnavailable': {} }, 'f:type': {} },
            'f:template': {
              'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
              'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {}, 'f:name': {}, 'f:resources': {} } } },
            },
          },
        },
      },
    ]);
  });

  test('moves a changed field to the updating manager and stamps only its entry', () => {
    const live = stored(deployment({ replicas: 2 }));
    trackUpdate(undefined, live, updateOpts('kubectl-create', T0));
    const next = structuredClone(live);
    next.spec.replicas = 5;
    trackUpdate(live, next, updateOpts('kube-controller-manager', T1));
    assert.deepEqual(owned(next, 'kube-controller-manager', 'Update'), ['.spec.replicas']);
    assert.ok(!owned(next, 'kubectl-create', 'Update').includes('.spec.replicas'));
    assert.equal(entry(next, 'kubectl-create', 'Update')?.time, T0);
    assert.equal(entry(next, 'kube-controller-manager', 'Update')?.time, T1);
  });

  test('a no-op update leaves managedFields exactly as they were', () => {
    const live = stored(deployment({ replicas: 2 }));
    trackUpdate(undefined, live, updateOpts('kubectl-create', T0));
    const next = structuredClone(live);
    trackUpdate(live, next, updateOpts('kubectl-edit', T1));
    assert.deepEqual(next.metadata.managedFields, live.metadata.managedFields);
  });

  test('takes removed fields away from their owner', () => {
    const live = stored(deployment({ replicas: 2, labels: { app: 'web', tier: 'front' } }));
    trackUpdate(undefined, live, updateOpts('kubectl-create', T0));
    const next = structuredClone(live);
    delete next.metadata.labels.tier;
    trackUpdate(live, next, updateOpts('kubectl-edit', T1));
    assert.ok(!owned(next, 'kubectl-create', 'Update').includes('.metadata.labels.tier'));
    assert.equal(entry(next, 'kubectl-edit', 'Update'), undefined, 'a removal alone gives the remover nothing');
  });

  test('an empty managedFields list in the write clears them', () => {
    const live = stored(deployment());
    trackUpdate(undefined, live, updateOpts('kubectl-create', T0));
    const next = structuredClone(live);
    next.metadata.managedFields = [];
    next.spec.replicas = 3;
    trackUpdate(live, next, updateOpts('kubectl-edit', T1));
    assert.equal(next.metadata.managedFields, undefined);
  });

  test('keeps managedFields the client rewrote when they decode', () => {
    const live = stored(deployment());
    trackUpdate(undefined, live, updateOpts('kubectl-create', T0));
    const next = structuredClone(live);
    next.metadata.managedFields[0].manager = 'renamed';
    trackUpdate(live, next, updateOpts('kubectl', T1));
    assert.deepEqual(
      entries(next).map((e) => e.manager),
      ['renamed'],
    );
  });

  test('ignores managedFields that do not decode and keeps the live ones', () => {
    const live = stored(deployment());
    trackUpdate(undefined, live, updateOpts('kubectl-create', T0));
    const next = structuredClone(live);
    next.metadata.managedFields = [{ manager: 'x', operation: 'Patch', apiVersion: 'apps/v1', fieldsType: 'FieldsV1', fieldsV1: {} }];
    trackUpdate(live, next, updateOpts('kubectl', T1));
    assert.deepEqual(next.metadata.managedFields, live.metadata.managedFields);
  });

  test('does not start tracking an existing object that has no managedFields', () => {
    const live = stored(deployment());
    const next = structuredClone(live);
    next.spec.replicas = 4;
    trackUpdate(live, next, updateOpts('kubectl-edit', T1));
    assert.equal(next.metadata.managedFields, undefined);
  });

  test('records a subresource write under its own entry and ignores managedFields it carries', () => {
    const live = stored(deployment({ replicas: 1 }));
    trackUpdate(undefined, live, updateOpts('kubectl-create', T0));
    const next = structuredClone(live);
    next.spec.replicas = 3;
    next.metadata.managedFields = [];
    trackUpdate(live, next, { ...updateOpts('kubectl', T1), subresource: 'scale', ignoredPaths: [['status']] });
    const scale = entries(next).find((e) => e.subresource === 'scale');
    assert.equal(scale?.manager, 'kubectl');
    assert.deepEqual(FieldSet.fromFieldsV1(scale?.fieldsV1).paths().map(pathString), ['.spec.replicas']);
    assert.ok(entry(next, 'kubectl-create', 'Update'));
  });

  test('merges the oldest of more than ten updaters into ancient-changes', () => {
    let live = stored(deployment());
    trackUpdate(undefined, live, updateOpts('creator', '2025-01-01T00:00:00Z'));
    for (let i = 0; i < 11; i++) {
      const next = structuredClone(live);
      next.metadata.labels[`l${i}`] = 'x';
      trackUpdate(live, next, updateOpts(`updater-${i}`, `2025-01-01T00:00:${String(i + 1).padStart(2, '0')}Z`));
      live = next;
    }
    const updaters = entries(live).filter((e) => e.operation === 'Update');
    assert.equal(updaters.length, 10);
    assert.ok(updaters.some((e) => e.manager === 'ancient-changes'));
    assert.ok(!updaters.some((e) => e.manager === 'creator'));
  });
});

describe('apply', () => {
  test('creates an object and gives the applier exactly the fields it applied', () => {
    const obj = apply(undefined, deployment({ replicas: 2 }), applyOpts('kubectl', T0));
    assert.equal(obj.spec.replicas, 2);
    assert.deepEqual(entries(obj), [
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: T0,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:selector': {},
            'f:template': {
              'f:metadata': { 'f:labels': { 'f:app': {} } },
              'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
            },
          },
        },
      },
    ]);
  });

  test('updates a field it owns and restamps its entry', () => {
    const live = stored(apply(undefined, deployment({ replicas: 2 }), applyOpts('kubectl', T0)));
    const obj = apply(live, deployment({ replicas: 2, image: 'nginx:1.28' }), applyOpts('kubectl', T1));
    assert.equal(obj.spec.template.spec.containers[0].image, 'nginx:1.28');
    assert.equal(obj.metadata.uid, 'uid-1', 'live metadata survives');
    assert.equal(entry(obj, 'kubectl')?.time, T1);
  });

  test('a no-op apply leaves the object and its entry time alone', () => {
    const live = stored(apply(undefined, deployment({ replicas: 2 }), applyOpts('kubectl', T0)));
    const obj = apply(live, deployment({ replicas: 2 }), applyOpts('kubectl', T1));
    assert.deepEqual(obj, live);
  });

  test('removes a field the applier stopped applying when no one else owns it', () => {
    const live = stored(apply(undefined, deployment({ replicas: 2, labels: { app: 'web', tier: 'front' } }), applyOpts('kubectl', T0)));
    const obj = apply(live, deployment({ replicas: 2 }), applyOpts('kubectl', T1));
    assert.deepEqual(obj.metadata.labels, { app: 'web' });
    assert.ok(!owned(obj, 'kubectl').includes('.metadata.labels.tier'));
  });

  test('removes the last label without leaving a null map behind', () => {
    const live = stored(apply(undefined, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { a: 'b' } }, data: { k: 'v' } }, { ...applyOpts('m', T0), schema: CONFIGMAP, apiVersion: 'v1', kind: 'ConfigMap' }));
    const obj = apply(live, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { k: 'v' } }, { ...applyOpts('m', T1), schema: CONFIGMAP, apiVersion: 'v1', kind: 'ConfigMap' });
    assert.equal('labels' in obj.metadata, false);
  });

  test('keeps a field the applier stopped applying when another manager also owns it', () => {
    let live = stored(apply(undefined, deployment({ replicas: 2, labels: { app: 'web', tier: 'front' } }), applyOpts('kubectl', T0)));
    live = stored(apply(live, deployment({ replicas: 2, labels: { tier: 'front' } }), applyOpts('other', T1)));
    const obj = apply(live, deployment({ replicas: 2 }), applyOpts('kubectl', T2));
    assert.deepEqual(obj.metadata.labels, { app: 'web', tier: 'front' });
  });

  test('keeps a field an updater set even when the applier stops applying it', () => {
    let live = stored(apply(undefined, deployment({ replicas: 2 }), applyOpts('kubectl', T0)));
    const next = structuredClone(live);
    next.spec.replicas = 7;
    trackUpdate(live, next, updateOpts('hpa', T1));
    live = next;
    const obj = apply(live, deployment({}), applyOpts('kubectl', T2));
    assert.equal(obj.spec.replicas, 7);
    assert.deepEqual(owned(obj, 'hpa', 'Update'), ['.spec.replicas']);
  });

  test('conflicts with the updater that owns a field it would change, worded as upstream', () => {
    let live = stored(apply(undefined, deployment({ replicas: 2 }), applyOpts('kubectl', T0)));
    const next = structuredClone(live);
    next.spec.replicas = 5;
    trackUpdate(live, next, updateOpts('kubectl-client-side-apply', T1));
    live = next;
    const err = statusOf(() => apply(live, deployment({ replicas: 3 }), applyOpts('kubectl', T2)));
    assert.deepEqual(err.status, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
      reason: 'Conflict',
      details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' }] },
      code: 409,
    });
  });

  test('lists several conflicts grouped by manager, and names an applier without a version', () => {
    const live = stored(apply(undefined, deployment({ replicas: 2, image: 'a' }), applyOpts('ci', T0)));
    const err = statusOf(() => apply(live, deployment({ replicas: 3, image: 'b' }), applyOpts('dev', T1)));
    assert.equal(
      err.status.message,
      'Apply failed with 2 conflicts: conflicts with "ci":\n- .spec.replicas\n- .spec.template.spec.containers[name="app"].image',
    );
    assert.deepEqual(
      err.status.details?.causes?.map((c) => c.field),
      ['.spec.replicas', '.spec.template.spec.containers[name="app"].image'],
    );
  });

  test('setting a field to the value it already has is not a conflict, and shares ownership', () => {
    const live = stored(apply(undefined, deployment({ replicas: 2 }), applyOpts('ci', T0)));
    const obj = apply(live, deployment({ replicas: 2 }), applyOpts('dev', T1));
    assert.ok(owned(obj, 'ci').includes('.spec.replicas'));
    assert.ok(owned(obj, 'dev').includes('.spec.replicas'));
  });

  test('force takes the field over from its owner', () => {
    const live = stored(apply(undefined, deployment({ replicas: 2 }), applyOpts('ci', T0)));
    const obj = apply(live, deployment({ replicas: 3 }), applyOpts('dev', T1, { force: true }));
    assert.equal(obj.spec.replicas, 3);
    assert.ok(!owned(obj, 'ci').includes('.spec.replicas'));
    assert.ok(owned(obj, 'dev').includes('.spec.replicas'));
  });

  test('two appliers share a containers list, each owning its own element by name', () => {
    let live = stored(apply(undefined, deployment({ containers: [{ name: 'app', image: 'app:1' }] }), applyOpts('team-a', T0)));
    live = stored(apply(live, deployment({ containers: [{ name: 'sidecar', image: 'proxy:1' }] }), applyOpts('team-b', T1)));
    assert.deepEqual(
      live.spec.template.spec.containers.map((c: Obj) => c.name),
      ['app', 'sidecar'],
    );
    const obj = apply(live, { ...deployment({ containers: [] }), spec: { selector: { matchLabels: { app: 'web' } } } }, applyOpts('team-a', T2));
    assert.deepEqual(
      obj.spec.template.spec.containers.map((c: Obj) => c.name),
      ['sidecar'],
    );
  });

  test('keeps the applier order for list elements it adds among live ones', () => {
    const live = stored(apply(undefined, deployment({ containers: [{ name: 'a', image: 'x' }, { name: 'c', image: 'x' }] }), applyOpts('m', T0)));
    const obj = apply(live, deployment({ containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'x' }, { name: 'c', image: 'x' }] }), applyOpts('m', T1));
    assert.deepEqual(
      obj.spec.template.spec.containers.map((c: Obj) => c.name),
      ['a', 'b', 'c'],
    );
  });

  test('replaces an atomic LabelSelector as a whole, and conflicts on it as one field', () => {
    const live = stored(apply(undefined, deployment({ selector: { matchLabels: { app: 'web', tier: 'x' } } }), applyOpts('ci', T0)));
    const obj = apply(live, deployment({ selector: { matchLabels: { app: 'web' } } }), applyOpts('ci', T1));
    assert.deepEqual(obj.spec.selector, { matchLabels: { app: 'web' } });
    const err = statusOf(() => apply(live, deployment({ selector: { matchLabels: { app: 'other' } } }), applyOpts('dev', T1)));
    assert.equal(err.status.message, 'Apply failed with 1 conflict: conflict with "ci": .spec.selector');
  });

  test('merges a granular map (labels) key by key between appliers', () => {
    let live = stored(apply(undefined, deployment({ labels: { app: 'web' } }), applyOpts('ci', T0)));
    live = stored(apply(live, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', labels: { owner: 'me' } } }, applyOpts('labeler', T1)));
    assert.deepEqual(live.metadata.labels, { app: 'web', owner: 'me' });
    assert.deepEqual(owned(live, 'labeler'), ['.metadata.labels.owner']);
  });

  test('merges set lists by value and removes only what the applier owned', () => {
    const opts = (m: string, t: string) => ({ ...applyOpts(m, t), schema: CONFIGMAP, apiVersion: 'v1', kind: 'ConfigMap' });
    const cm = (finalizers: string[]) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', finalizers } });
    let live = stored(apply(undefined, cm(['a.io/one']), opts('a', T0)));
    live = stored(apply(live, cm(['b.io/two']), opts('b', T1)));
    assert.deepEqual(live.metadata.finalizers, ['a.io/one', 'b.io/two']);
    assert.deepEqual(owned(live, 'b'), ['.metadata.finalizers[="b.io/two"]']);
    const obj = apply(live, cm([]), opts('a', T2));
    assert.deepEqual(obj.metadata.finalizers, ['b.io/two']);
  });

  test('does not own status applied to the main resource', () => {
    const cfg = { ...deployment({ replicas: 1 }), status: { replicas: 9 } };
    const obj = apply(undefined, cfg, applyOpts('kubectl', T0));
    assert.ok(!owned(obj, 'kubectl').some((p) => p.startsWith('.status')));
  });

  test('gives fields set before the first apply to before-first-apply', () => {
    const live = stored(deployment({ replicas: 2, labels: { app: 'web', tier: 'x' } }));
    const obj = apply(live, deployment({ replicas: 2 }), applyOpts('kubectl', T1));
    assert.ok(owned(obj, 'before-first-apply', 'Update').includes('.metadata.labels.tier'));
    assert.deepEqual(obj.metadata.labels, { app: 'web', tier: 'x' });
  });

  const badConfigs: Array<{ name: string; cfg: Obj; status: number; message: string }> = [
    {
      name: 'rejects managedFields in the applied configuration',
      cfg: { ...deployment(), metadata: { name: 'web', managedFields: [] } },
      status: 400,
      message: 'metadata.managedFields must be nil',
    },
    {
      name: 'rejects an applied object of another kind',
      cfg: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web' } },
      status: 400,
      message: 'invalid object type: /v1, Kind=ConfigMap',
    },
    {
      name: 'rejects a container without its name key',
      cfg: deployment({ containers: [{ image: 'x' }] }),
      status: 500,
      message:
        'failed to create typed patch object (default/web; apps/v1, Kind=Deployment): .spec.template.spec.containers: element 0: associative list with keys has an element that omits key field "name" (and doesn\'t have default value)',
    },
    {
      name: 'rejects duplicate containers',
      cfg: deployment({ containers: [{ name: 'a' }, { name: 'a' }] }),
      status: 500,
      message: 'failed to create typed patch object (default/web; apps/v1, Kind=Deployment): .spec.template.spec.containers: duplicate entries for key [name="a"]',
    },
  ];
  for (const c of badConfigs) {
    test(c.name, () => {
      const err = statusOf(() => apply(undefined, c.cfg, applyOpts('kubectl', T0)));
      assert.equal(err.code, c.status);
      assert.equal(err.status.message, c.message);
    });
  }

  test('returns an object with metadata even when the configuration has metadata: null', () => {
    const obj = apply(undefined, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: null }, applyOpts('kubectl', T0));
    assert.deepEqual(obj.metadata, {});
  });

  test('fails with upstream words on a live object it cannot type, and tolerates duplicates in it', () => {
    const broken = stored(deployment({ containers: [{ name: 'app', image: 'x', env: [{ value: 'no name' }] }] }));
    const err = statusOf(() => apply(broken, deployment({ replicas: 3 }), applyOpts('kubectl', T1)));
    assert.equal(err.code, 500);
    assert.equal(
      err.status.message,
      'failed to create typed live object (default/web; apps/v1, Kind=Deployment): .spec.template.spec.containers[name="app"].env: element 0: associative list with keys has an element that omits key field "name" (and doesn\'t have default value)',
    );
    const duplicated = stored(deployment({ containers: [{ name: 'a', image: 'x' }, { name: 'a', image: 'y' }] }));
    assert.doesNotThrow(() => apply(duplicated, deployment({ replicas: 3 }), applyOpts('kubectl', T1)));
  });
});

describe('client-side apply to server-side apply', () => {
  /** `kubectl apply` (client-side): the object with its last-applied annotation, created by kubectl-client-side-apply. */
  function clientSideApplied(cfg: Obj): Obj {
    const obj = stored(cfg);
    obj.metadata.annotations = { [LAST_APPLIED_ANNOTATION]: `${JSON.stringify(cfg)}\n` };
    trackUpdate(undefined, obj, updateOpts('kubectl-client-side-apply', T0));
    return obj;
  }

  test('kubectl --server-side takes over fields client-side apply set, without conflicts', () => {
    const live = clientSideApplied(deployment({ replicas: 2 }));
    const obj = apply(live, deployment({ replicas: 4 }), applyOpts('kubectl', T1));
    assert.equal(obj.spec.replicas, 4);
    assert.ok(owned(obj, 'kubectl').includes('.spec.replicas'));
    assert.ok(!owned(obj, 'kubectl-client-side-apply', 'Update').includes('.spec.replicas'));
  });

  test('keeps the last-applied annotation in step with what kubectl applied', () => {
    const live = clientSideApplied(deployment({ replicas: 2 }));
    const obj = apply(live, deployment({ replicas: 4 }), applyOpts('kubectl', T1));
    const last = JSON.parse(obj.metadata.annotations[LAST_APPLIED_ANNOTATION]);
    assert.equal(last.spec.replicas, 4);
    assert.ok(obj.metadata.annotations[LAST_APPLIED_ANNOTATION].endsWith('}\n'));
    assert.ok(obj.metadata.annotations[LAST_APPLIED_ANNOTATION].startsWith('{"apiVersion":"apps/v1","kind":"Deployment","metadata":'));
  });

  test('another manager still conflicts with client-side apply', () => {
    const live = clientSideApplied(deployment({ replicas: 2 }));
    const err = statusOf(() => apply(live, deployment({ replicas: 4 }), applyOpts('argocd', T1)));
    assert.equal(err.status.message, 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
  });

  test('a field changed since the last client-side apply still conflicts for kubectl', () => {
    let live = clientSideApplied(deployment({ replicas: 2 }));
    const next = structuredClone(live);
    next.spec.replicas = 9;
    trackUpdate(live, next, updateOpts('kubectl-client-side-apply', T1));
    live = next;
    const err = statusOf(() => apply(live, deployment({ replicas: 4 }), applyOpts('kubectl', T2)));
    assert.equal(err.code, 409);
  });

  test('managedFields kubectl upgraded client-side are kept, and its next apply prunes what it dropped', () => {
    const live = clientSideApplied(deployment({ replicas: 2, labels: { app: 'web', tier: 'x' } }));
    // What kubectl's csaupgrade sends as a JSON patch before a server-side apply.
    const upgraded = structuredClone(live);
    upgraded.metadata.managedFields = [{ ...upgraded.metadata.managedFields[0], manager: 'kubectl', operation: 'Apply' }];
    trackUpdate(live, upgraded, updateOpts('kubectl', T1));
    assert.deepEqual(entries(upgraded).map((e) => `${e.manager}/${e.operation}`), ['kubectl/Apply']);
    const obj = apply(stored(upgraded, '2'), deployment({ replicas: 3 }), applyOpts('kubectl', T2));
    assert.deepEqual(obj.metadata.labels, { app: 'web' });
    assert.equal(obj.spec.replicas, 3);
  });

  test('client-side apply after server-side apply records its changes as an update', () => {
    const live = stored(apply(clientSideApplied(deployment({ replicas: 2 })), deployment({ replicas: 4 }), applyOpts('kubectl', T1)));
    const next = structuredClone(live);
    next.spec.replicas = 6;
    trackUpdate(live, next, updateOpts('kubectl-client-side-apply', T3));
    assert.deepEqual(owned(next, 'kubectl-client-side-apply', 'Update').filter((p) => p === '.spec.replicas'), ['.spec.replicas']);
    assert.ok(!owned(next, 'kubectl').includes('.spec.replicas'));
  });
});
