import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonCopy, jsonEqual, jsonRoundTrip } from './json.js';

describe('jsonEqual', () => {
  const cases: [name: string, a: unknown, b: unknown, equal: boolean][] = [
    ['identical scalars are equal', 'x', 'x', true],
    ['different scalars differ', 1, 2, false],
    ['a number and its string differ', 1, '1', false],
    ['null equals null', null, null, true],
    ['null differs from an empty object', null, {}, false],
    ['objects with the same keys in another order are equal', { a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 }, true],
    ['a property holding undefined counts as absent', { a: 1, b: undefined }, { a: 1 }, true],
    ['an absent property differs from a null one', { a: null }, {}, false],
    ['an extra key on the right differs', { a: 1 }, { a: 1, b: 2 }, false],
    ['an extra key on the left differs', { a: 1, b: 2 }, { a: 1 }, false],
    ['arrays compare in order', [1, 2], [2, 1], false],
    ['arrays of different length differ', [1], [1, 1], false],
    ['an array differs from an object with index keys', [1], { 0: 1 }, false],
    ['an object differs from an array with the same entries', { 0: 1 }, [1], false],
    ['nested differences are found', { a: { b: { c: 1 } } }, { a: { b: { c: 2 } } }, false],
    ['same-size objects with different keys differ', { a: 1, b: undefined }, { c: 1 }, false],
  ];
  for (const [name, a, b, equal] of cases) {
    test(name, () => {
      assert.equal(jsonEqual(a, b), equal);
      assert.equal(jsonEqual(b, a), equal, 'symmetric');
    });
  }
});

describe('jsonCopy', () => {
  const cases: [name: string, value: unknown][] = [
    ['copies scalars as they are', 'x'],
    ['copies null', null],
    ['copies nested objects and arrays', { a: [1, { b: 'c' }], d: { e: null, f: true } }],
    ['copies an empty object and an empty array', { o: {}, a: [] }],
  ];
  for (const [name, value] of cases) {
    test(name, () => {
      const copy = jsonCopy(value);
      assert.deepEqual(copy, value);
      assert.ok(jsonEqual(copy, value));
    });
  }
  test('shares nothing with the original', () => {
    const original = { a: { b: [1, 2] }, c: [{ d: 1 }] };
    const copy = jsonCopy(original);
    copy.a.b.push(3);
    copy.c[0].d = 2;
    assert.deepEqual(original, { a: { b: [1, 2] }, c: [{ d: 1 }] });
  });
});

describe('frozen parts', () => {
  for (const [name, copy] of [
    ['jsonCopy', jsonCopy],
    ['jsonRoundTrip', jsonRoundTrip],
  ] as const) {
    test(`${name} shares a frozen object or array instead of copying it, and copies the rest`, () => {
      const frozen = Object.freeze({ 'f:a': Object.freeze({}) });
      const list = Object.freeze([1, 2]);
      const original = { m: { fieldsV1: frozen, other: { x: 1 } }, l: list };
      const out = copy(original) as typeof original;
      assert.deepEqual(out, original);
      assert.equal(out.m.fieldsV1, frozen);
      assert.equal(out.l, list);
      assert.notEqual(out.m, original.m);
      assert.notEqual(out.m.other, original.m.other);
    });
  }
});

describe('jsonRoundTrip', () => {
  const date = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
  const cases: [name: string, value: unknown][] = [
    ['keeps plain objects, arrays and scalars', { a: [1, 'x', true, null], b: { c: {} } }],
    ['drops undefined and function properties', { a: undefined, f: () => 1, b: 1 }],
    ['turns -0 into 0, as JSON prints it', { z: -0, a: [-0] }],
    ['turns undefined and functions in arrays into null', [undefined, () => 1, 2]],
    ['turns non-finite numbers into null', { n: NaN, i: Infinity, m: [-Infinity] }],
    ['honours toJSON, as Dates', { at: date, nested: [date] }],
    ['returns undefined for undefined', undefined],
    ['keeps a top-level string', 'text'],
  ];
  for (const [name, value] of cases) {
    test(`${name}, exactly as JSON.parse(JSON.stringify(v))`, () => {
      const text = JSON.stringify(value);
      assert.deepEqual(jsonRoundTrip(value), text === undefined ? undefined : JSON.parse(text));
    });
  }
});

describe('a "__proto__" key, as JSON.parse makes it (a ConfigMap key may be "__proto__")', () => {
  const parsed = JSON.parse('{"data":{"__proto__":{"polluted":"yes"},"b":"2"}}') as { data: Record<string, unknown> };
  const copies: Array<[name: string, copy: (v: unknown) => unknown]> = [
    ['jsonCopy', jsonCopy],
    ['jsonRoundTrip', jsonRoundTrip],
  ];
  for (const [name, copy] of copies) {
    test(`${name} keeps it an own property and leaves the prototype alone`, () => {
      const out = copy(parsed) as { data: Record<string, unknown> };
      assert.deepEqual(Object.keys(out.data), ['__proto__', 'b']);
      assert.equal(Object.getPrototypeOf(out.data), Object.prototype);
      assert.equal((out.data as { polluted?: string }).polluted, undefined);
      assert.equal(JSON.stringify(out), JSON.stringify(parsed));
      assert.ok(jsonEqual(out, parsed));
    });
  }
});
