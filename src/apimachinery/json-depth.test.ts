import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonNestingDepth, MAX_JSON_NESTING_DEPTH, nestingDepthError } from './json-depth.js';

describe('jsonNestingDepth', () => {
  const cases: Array<[string, string, number]> = [
    ['a scalar has depth 0', '42', 0],
    ['an empty object has depth 1', '{}', 1],
    ['counts the deepest branch', '{"a":[1,{"b":[]}],"c":{}}', 4],
    ['ignores brackets inside strings', '{"a":"[[[{{{"}', 1],
    ['ignores escaped quotes inside strings', '{"a":"\\"[[["}', 1],
    ['counts malformed input without failing', '[[[', 3],
  ];
  for (const [name, text, want] of cases) test(name, () => assert.equal(jsonNestingDepth(text), want));

  test('measures a document a hundred thousand levels deep without recursion', () => {
    assert.equal(jsonNestingDepth('['.repeat(100_000) + ']'.repeat(100_000)), 100_000);
  });
});

describe('nestingDepthError', () => {
  test('accepts a document at the limit', () => {
    assert.equal(nestingDepthError('['.repeat(MAX_JSON_NESTING_DEPTH) + ']'.repeat(MAX_JSON_NESTING_DEPTH)), undefined);
  });
  test("rejects one level more with Go's scanner wording, naming the bracket", () => {
    const n = MAX_JSON_NESTING_DEPTH + 1;
    assert.equal(nestingDepthError('{"a":'.repeat(n) + '1' + '}'.repeat(n)), "invalid character '{' exceeded max depth");
    assert.equal(nestingDepthError('['.repeat(n) + ']'.repeat(n)), "invalid character '[' exceeded max depth");
  });
  test('takes a custom limit', () => {
    assert.equal(nestingDepthError('[[1]]', 1), "invalid character '[' exceeded max depth");
  });
});
