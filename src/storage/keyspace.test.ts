import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { prefixEnd, readRevision } from './keyspace.js';
import { isStoreError } from './store.js';

describe('prefixEnd', () => {
  const cases: [prefix: string, end: string | undefined][] = [
    ['/registry/pods/', '/registry/pods0'],
    ['/a/b', '/a/c'],
    ['', undefined],
    ['caf\u00e9', 'caf\u00ea'],
    ['x\ud7ff', 'x\ue000'], // skips the surrogate range
    ['x\uffff', 'x\u{10000}'], // U+FFFF is followed by the supplementary planes
    ['ab\u{10ffff}', 'ac'], // the last code point cannot grow: carry into the one before
    ['\u{10ffff}', undefined],
  ];
  for (const [prefix, end] of cases) {
    test(`bounds keys starting with ${JSON.stringify(prefix)} by ${JSON.stringify(end)}`, () => {
      assert.equal(prefixEnd(prefix), end);
    });
  }
});

describe('readRevision', () => {
  test('reads the latest revision when none (or 0) is asked for', () => {
    assert.equal(readRevision(undefined, 9, 3), 9);
    assert.equal(readRevision(0, 9, 3), 9);
  });

  test('reads at the compaction revision itself and anything up to the current one', () => {
    assert.equal(readRevision(3, 9, 3), 3);
    assert.equal(readRevision(9, 9, 3), 9);
  });

  test('refuses revisions below the compaction revision and beyond the current one', () => {
    assert.throws(() => readRevision(2, 9, 3), (e: unknown) => isStoreError(e, 'Compacted') && e.compactRevision === 3);
    assert.throws(() => readRevision(10, 9, 3), (e: unknown) => isStoreError(e, 'FutureRevision'));
  });
});
