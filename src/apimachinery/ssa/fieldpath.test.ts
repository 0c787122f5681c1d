import { describe, test } from 'node:test';
import fc from 'fast-check';
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

  test('an encoding is made once per set, frozen, and follows later writes', () => {
    const s = FieldSet.of([f('spec'), f('a')], [f('status'), f('b')]);
    const first = s.encode();
    assert.equal(s.encode(), first);
    assert.ok(Object.isFrozen(first) && Object.isFrozen(first['f:spec']));
    s.insert([f('spec'), f('c')]);
    assert.deepEqual(s.toFieldsV1(), { 'f:spec': { 'f:a': {}, 'f:c': {} }, 'f:status': { 'f:b': {} } });
    assert.ok(!Object.isFrozen(s.toFieldsV1()), 'toFieldsV1 is the caller\'s to change');
  });

  test('a union shares the encoding of each subtree it leaves alone', () => {
    const s = FieldSet.of([f('spec'), f('a')], [f('status'), f('b')]);
    const before = s.encode();
    const after = s.union(FieldSet.of([f('status'), f('c')])).encode();
    assert.equal(after['f:spec'], before['f:spec']);
    assert.deepEqual(after['f:status'], { 'f:b': {}, 'f:c': {} });
  });

  test('decodes an empty FieldsV1 as an empty set', () => {
    assert.ok(FieldSet.fromFieldsV1({}).empty());
  });
});

// The operations share maps and subtrees between operands and results; checked against a model
// (a set of path strings) on random sets. A set's own level is copied before a write once shared,
// so a top-level insert after an operation shows in that set alone; below that, sets are values
// once built (only their builder inserts), as the comment on the operations says.
describe('FieldSet operations against a set of paths', () => {
  const pathArb = fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 3 }).map((names) => names.map((n) => f(n)));
  const setArb = fc.array(pathArb, { maxLength: 8 });
  const topArb = fc.constantFrom('a', 'b', 'c', 'd').map((n) => [f(n)]);
  const strings = (s: FieldSet) => new Set(s.paths().map(pathString));
  const model = (paths: Path[]) => new Set(paths.map(pathString));
  const under = (p: string, parents: Set<string>) => [...parents].some((q) => p.startsWith(`${q}.`));
  const ops: Array<{ name: string; op: (x: FieldSet, y: FieldSet) => FieldSet; want: (x: Set<string>, y: Set<string>) => Set<string> }> = [
    { name: 'union', op: (x, y) => x.union(y), want: (x, y) => new Set([...x, ...y]) },
    { name: 'intersection', op: (x, y) => x.intersection(y), want: (x, y) => new Set([...x].filter((p) => y.has(p))) },
    { name: 'difference', op: (x, y) => x.difference(y), want: (x, y) => new Set([...x].filter((p) => !y.has(p))) },
    {
      name: 'recursiveDifference',
      op: (x, y) => x.recursiveDifference(y),
      want: (x, y) => new Set([...x].filter((p) => !y.has(p) && !under(p, y))),
    },
  ];
  for (const c of ops) {
    test(`${c.name} holds the model's paths and leaves both operands as they were, also after writes`, () => {
      fc.assert(
        fc.property(setArb, setArb, topArb, topArb, (xs, ys, extraX, extraOut) => {
          const x = FieldSet.of(...xs);
          const y = FieldSet.of(...ys);
          const out = c.op(x, y);
          assert.deepEqual(strings(out), c.want(model(xs), model(ys)));
          // Encodings are cached per level: each must still match a set built afresh.
          x.encode();
          y.encode();
          assert.equal(JSON.stringify(out.encode()), JSON.stringify(FieldSet.of(...out.paths()).toFieldsV1()));
          // Writing to an operand or to the result shows in that set alone (unless the result is
          // that operand: an operation that changes nothing returns it).
          if (out === x || out === y) return;
          const before = strings(out);
          x.insert(extraX);
          y.insert(extraX);
          assert.deepEqual(strings(out), before, 'the result is unchanged by a write to an operand');
          const xBefore = strings(x);
          const yBefore = strings(y);
          out.insert(extraOut);
          assert.deepEqual(strings(x), xBefore, 'the left operand is unchanged by a write to the result');
          assert.deepEqual(strings(y), yBefore, 'the right operand is unchanged by a write to the result');
          for (const set of [x, y, out]) assert.equal(JSON.stringify(set.encode()), JSON.stringify(FieldSet.of(...set.paths()).toFieldsV1()));
        }),
      );
    });
  }
  test('intersects and isSubsetOf agree with the sets they stand for', () => {
    fc.assert(
      fc.property(setArb, setArb, (xs, ys) => {
        const x = FieldSet.of(...xs);
        const y = FieldSet.of(...ys);
        assert.equal(x.intersects(y), !x.intersection(y).empty());
        assert.equal(x.isSubsetOf(y), x.difference(y).empty());
        const mx = model(xs);
        const my = model(ys);
        assert.equal(x.isSubsetOf(y), [...mx].every((p) => my.has(p)));
      }),
    );
  });
});
