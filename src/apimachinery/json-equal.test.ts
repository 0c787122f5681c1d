import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonEqual } from './json-equal.js';

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
