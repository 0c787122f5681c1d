import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldSet, deserializePE, keyPE, pathString, serializePE, type Path, type PathElement } from './fieldpath.js';

const f = (name: string): PathElement => ({ field: name });

describe('path elements', () => {
  const cases: Array<{ name: string; pe: PathElement; key: string; text: string }> = [
    { name: 'writes a field as f:<name>', pe: f('replicas'), key: 'f:replicas', text: '.replicas' },
    { name: 'keeps dots and slashes in a field name', pe: f('kubectl.kubernetes.io/last-applied-configuration'), key: 'f:kubectl.kubernetes.io/last-applied-configuration', text: '.kubectl.kubernetes.io/last-applied-configuration' },
    { name: 'writes list-map keys as JSON sorted by key name', pe: keyPE([['protocol', 'TCP'], ['containerPort', 80]]), key: 'k:{"containerPort":80,"protocol":"TCP"}', text: '[containerPort=80,protocol="TCP"]' },
    { name: 'writes a set element as v:<json>', pe: { value: 'example.com/finalizer' }, key: 'v:"example.com/finalizer"', text: '[="example.com/finalizer"]' },
    { name: 'writes an index as i:<n>', pe: { index: 3 }, key: 'i:3', text: '[3]' },
    { name: 'escapes HTML characters as Go does', pe: { value: 'a<b>&c' }, key: 'v:"a\\u003cb\\u003e\\u0026c"', text: '[="a<b>&c"]' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.equal(serializePE(c.pe), c.key);
      assert.equal(pathString([c.pe]), c.text);
      assert.equal(serializePE(deserializePE(c.key)!), c.key);
    });
  }

  test('skips an unknown prefix, as a newer FieldsV1 may carry one', () => {
    assert.equal(deserializePE('x:whatever'), undefined);
  });

  test('rejects a key without a colon', () => {
    assert.throws(() => deserializePE('f.spec'), /missing colon/);
  });
});

// As `kubectl get deploy -o yaml --show-managed-fields` prints a client-side-apply create.
const DEPLOYMENT_FIELDS = {
  'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
  'f:spec': {
    'f:replicas': {},
    'f:selector': {},
    'f:template': {
      'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
      'f:spec': {
        'f:containers': {
          'k:{"name":"nginx"}': {
            '.': {},
            'f:image': {},
            'f:name': {},
            'f:ports': { '.': {}, 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} } },
          },
        },
      },
    },
  },
};

describe('FieldSet', () => {
  test('round-trips a Deployment FieldsV1 with upstream key order', () => {
    const set = FieldSet.fromFieldsV1(DEPLOYMENT_FIELDS);
    assert.equal(JSON.stringify(set.toFieldsV1()), JSON.stringify(DEPLOYMENT_FIELDS));
  });

  test('orders fields before keys before values before indexes', () => {
    const set = FieldSet.of([{ index: 0 }], [{ value: 'a' }], [keyPE([['name', 'x']])], [f('z')], [f('a')]);
    assert.deepEqual(Object.keys(set.toFieldsV1()), ['f:a', 'f:z', 'k:{"name":"x"}', 'v:"a"', 'i:0']);
  });

  test('lists member paths members-first, depth-first', () => {
    const set = FieldSet.fromFieldsV1(DEPLOYMENT_FIELDS);
    const paths = set.paths().map(pathString);
    assert.deepEqual(paths.slice(0, 4), ['.metadata.labels', '.metadata.labels.app', '.spec.replicas', '.spec.selector']);
    assert.ok(paths.includes('.spec.template.spec.containers[name="nginx"].ports[containerPort=80,protocol="TCP"].protocol'));
  });

  const a: Path[] = [[f('spec'), f('replicas')], [f('spec'), f('paused')], [f('metadata'), f('labels'), f('app')]];
  const b: Path[] = [[f('spec'), f('replicas')], [f('metadata'), f('labels'), f('tier')]];
  const setOps: Array<{ name: string; op: (x: FieldSet, y: FieldSet) => FieldSet; want: string[] }> = [
    { name: 'union holds paths of either set', op: (x, y) => x.union(y), want: ['.metadata.labels.app', '.metadata.labels.tier', '.spec.paused', '.spec.replicas'] },
    { name: 'intersection holds paths of both sets', op: (x, y) => x.intersection(y), want: ['.spec.replicas'] },
    { name: 'difference drops paths of the other set', op: (x, y) => x.difference(y), want: ['.metadata.labels.app', '.spec.paused'] },
  ];
  for (const c of setOps) {
    test(c.name, () => {
      const x = FieldSet.of(...a);
      const y = FieldSet.of(...b);
      assert.deepEqual(c.op(x, y).paths().map(pathString).sort(), c.want);
      // Results share subtrees with their operands: the operands must come out unchanged.
      assert.deepEqual(x.paths(), FieldSet.of(...a).paths(), 'left operand unchanged');
      assert.deepEqual(y.paths(), FieldSet.of(...b).paths(), 'right operand unchanged');
    });
  }

  const sameObject: Array<{ name: string; op: (x: FieldSet) => FieldSet; same: boolean }> = [
    { name: 'a union adding nothing is the set itself', op: (x) => x.union(FieldSet.of([f('spec'), f('replicas')])), same: true },
    { name: 'a union with an empty set is the set itself', op: (x) => x.union(new FieldSet()), same: true },
    { name: 'a union adding a path is a new set', op: (x) => x.union(FieldSet.of([f('spec'), f('minReadySeconds')])), same: false },
    { name: 'a difference removing nothing is the set itself', op: (x) => x.difference(FieldSet.of([f('status'), f('replicas')])), same: true },
    { name: 'a difference removing a path is a new set', op: (x) => x.difference(FieldSet.of([f('spec'), f('paused')])), same: false },
    { name: 'a recursive difference removing a parent is a new set', op: (x) => x.recursiveDifference(FieldSet.of([f('metadata')])), same: false },
  ];
  for (const c of sameObject) {
    test(c.name, () => {
      const x = FieldSet.of(...a);
      assert.equal(c.op(x) === x, c.same);
      assert.deepEqual(x.paths(), FieldSet.of(...a).paths());
    });
  }

  test('difference keeps children of a removed parent, recursiveDifference drops them', () => {
    const s = FieldSet.of([f('status')], [f('status'), f('replicas')], [f('spec'), f('replicas')]);
    const status = FieldSet.of([f('status')]);
    assert.deepEqual(s.difference(status).paths().map(pathString), ['.spec.replicas', '.status.replicas']);
    assert.deepEqual(s.recursiveDifference(status).paths().map(pathString), ['.spec.replicas']);
  });

  test('decodes an empty FieldsV1 as an empty set', () => {
    assert.ok(FieldSet.fromFieldsV1({}).empty());
  });
});
