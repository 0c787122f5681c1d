// Request body decoding: a body the in-process client gives as a value (ApiRequest.bodyValue) must
// decode to exactly what its JSON text would, as YAML (apply) and as JSON, errors included.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { jsonRoundTrip } from '../apimachinery/json.js';
import { decodeApplyBody, decodeBody, decodeRequestBody, type ApiRequest } from './http.js';

/** A request as the in-process transport makes one for a body given as a value. */
function valueRequest(v: unknown): ApiRequest {
  return { method: 'POST', path: '/', query: new URLSearchParams(), headers: {}, body: async () => Buffer.from(JSON.stringify(v)), bodyValue: () => jsonRoundTrip(v) };
}

/** The same request with only its text. */
function textRequest(v: unknown): ApiRequest {
  return { method: 'POST', path: '/', query: new URLSearchParams(), headers: {}, body: async () => Buffer.from(JSON.stringify(v)) };
}

const outcome = async (f: () => unknown): Promise<unknown> => {
  try {
    return { value: await f() };
  } catch (e) {
    return { error: (e as Error).message };
  }
};

describe('decoding request bodies', () => {
  const key = fc.string({ maxLength: 40 });
  const leaf = fc.oneof(fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.boolean(), fc.constant(null));
  const value = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(key, tie('node'), { maxKeys: 4 })),
  })).node;

  test('YAML and JSON read any JSON.stringify output as the same value', () => {
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 6 }), (obj) => {
        const buf = Buffer.from(JSON.stringify(obj));
        assert.deepEqual(decodeBody(buf, 'application/yaml'), decodeBody(buf, 'application/json'));
      }),
      { numRuns: 300 },
    );
  });

  test('a body given as a value decodes as its JSON text does, for create/update and for apply', async () => {
    const expect = { apiVersion: 'v1', kind: 'ConfigMap' };
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.dictionary(key, value, { maxKeys: 6 }), value), async (v) => {
        const text = Buffer.from(JSON.stringify(v));
        assert.deepEqual(await outcome(() => decodeRequestBody(valueRequest(v), 'application/json', expect)), await outcome(() => decodeBody(text, 'application/json', expect)));
        assert.deepEqual(await outcome(() => decodeApplyBody(valueRequest(v), undefined, expect)), await outcome(() => decodeBody(text, 'application/yaml', expect)));
      }),
      { numRuns: 300 },
    );
  });

  const cases: Array<{ name: string; body: unknown; contentType?: string; want: unknown }> = [
    { name: 'an object', body: { kind: 'ConfigMap', data: { a: '1' } }, want: { value: { kind: 'ConfigMap', data: { a: '1' } } } },
    { name: 'undefined members are dropped, as JSON.stringify drops them', body: { a: undefined, b: [undefined] }, want: { value: { b: [null] } } },
    {
      name: 'a list where an object is expected is refused with the decoder\'s words',
      body: [1, 2],
      want: { error: 'the object provided is unrecognized (must be of type ConfigMap): couldn\'t get version/kind; json parse error: json: cannot unmarshal array into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" } (5b312c325d)' },
    },
    { name: 'a value sent as YAML is read from its JSON text', body: { a: 1 }, contentType: 'application/yaml', want: { value: { a: 1 } } },
  ];
  for (const c of cases) {
    test(`as a value: ${c.name}`, async () => {
      const got = await outcome(() => decodeRequestBody(valueRequest(c.body), c.contentType ?? 'application/json', { apiVersion: 'v1', kind: 'ConfigMap' }));
      assert.deepEqual(got, c.want);
      assert.deepEqual(got, await outcome(() => decodeRequestBody(textRequest(c.body), c.contentType ?? 'application/json', { apiVersion: 'v1', kind: 'ConfigMap' })), 'the same as its text');
    });
  }
});
