import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from '../errors.js';
import { applyMergePatch, createMergePatch } from './merge-patch.js';

describe('applyMergePatch', () => {
  // The RFC 7386 appendix examples, plus evanphx/json-patch's treatment of nulls.
  const cases: Array<[string, unknown, unknown, unknown]> = [
    ['replaces a value', { a: 'b' }, { a: 'c' }, { a: 'c' }],
    ['adds a value', { a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    ['deletes with null', { a: 'b' }, { a: null }, {}],
    ['deletes one of two', { a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    ['replaces a list', { a: ['b'] }, { a: 'c' }, { a: 'c' }],
    ['replaces a scalar with a list', { a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    ['merges nested objects', { a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    ['replaces lists of objects whole', { a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    ['keeps nulls already in the document', { e: null }, { a: 1 }, { e: null, a: 1 }],
    ['prunes nulls in added objects', {}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
    ['prunes nulls inside objects in added lists but keeps null elements', {}, { a: [{ x: null, y: 1 }, null] }, { a: [{ y: 1 }, null] }],
    ['replaces a non-object document with the pruned patch', ['x'], { a: 'b', c: null }, { a: 'b' }],
    ['turns an array patch into the document', { a: 1 }, [1, 2], [1, 2]],
  ];
  for (const [name, doc, patch, want] of cases) {
    test(name, () => {
      assert.deepEqual(applyMergePatch(doc, patch), want);
    });
  }

  test('does not mutate the document', () => {
    const doc = { a: { b: 1 } };
    applyMergePatch(doc, { a: { b: 2 } });
    assert.deepEqual(doc, { a: { b: 1 } });
  });

  for (const [name, patch] of [
    ['null', null],
    ['a number', 5],
    ['a string', 'x'],
  ] as const) {
    test(`rejects a patch that is ${name} as 400 "Invalid JSON Patch"`, () => {
      assert.throws(() => applyMergePatch({}, patch), (e: unknown) => isStatusError(e) && e.code === 400 && e.status.message === 'Invalid JSON Patch');
    });
  }
});

describe('createMergePatch', () => {
  test('records changes, additions and deletions', () => {
    const original = { metadata: { labels: { a: '1', b: '2' } }, spec: { replicas: 1, ports: [80] } };
    const modified = { metadata: { labels: { a: '1', c: '3' } }, spec: { replicas: 2, ports: [80] } };
    const patch = createMergePatch(original, modified);
    assert.deepEqual(patch, { metadata: { labels: { c: '3', b: null } }, spec: { replicas: 2 } });
    assert.deepEqual(applyMergePatch(original, patch), modified);
  });

  test('is empty for equal documents', () => {
    assert.deepEqual(createMergePatch({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }), {});
  });
});
