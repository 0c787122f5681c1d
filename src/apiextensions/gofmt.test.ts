import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { goFloat, goJSON, goSprint } from './gofmt.js';

describe('gofmt', () => {
  const floats: Array<[number, string]> = [[1.5, '1.5'], [100000, '100000'], [1000000, '1e+06'], [1234567.5, '1.2345675e+06'], [0.0001, '0.0001'], [0.00001, '1e-05'], [-2.5, '-2.5']];
  for (const [f, want] of floats) test(`prints ${f} as fmt's %v does: ${want}`, () => assert.equal(goFloat(f), want));
  test('marshals JSON with sorted keys and HTML-safe escapes', () => assert.equal(goJSON({ b: [1, 0.5], a: '<&>' }), '{"a":"\\u003c\\u0026\\u003e","b":[1,0.5]}'));
  test('prints maps as fmt.Sprint does', () => assert.equal(goSprint({ b: 1, a: ['x', true] }), 'map[a:[x true] b:1]'));
});
