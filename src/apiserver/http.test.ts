// Request body decoding: the shortcut decodeApplyBody takes for bodies JSON.stringify built.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeBody } from './http.js';

describe('decodeBody', () => {
  // decodeApplyBody reads an in-process client's apply-patch+yaml body with JSON.parse; that is only
  // sound if the YAML reading of any JSON.stringify output is the same value.
  test('YAML and JSON read any JSON.stringify output as the same value', () => {
    const key = fc.string({ maxLength: 40 });
    const leaf = fc.oneof(fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.boolean(), fc.constant(null));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(key, tie('node'), { maxKeys: 4 })),
    })).node;
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 6 }), (obj) => {
        const buf = Buffer.from(JSON.stringify(obj));
        assert.deepEqual(decodeBody(buf, 'application/yaml'), decodeBody(buf, 'application/json'));
      }),
      { numRuns: 300 },
    );
  });
});
