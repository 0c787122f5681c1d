import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { customResourcePatchSchema, strategicMergePatchUnsupported } from './patch-schema.js';
import { cronTabCRD } from './testdata.js';

describe('customResourcePatchSchema', () => {
  const schema = customResourcePatchSchema(cronTabCRD(), 'v1');

  test('reads list types and map keys from the CRD schema', () => {
    const spec = schema.field('spec')!.schema!;
    assert.deepEqual({ ...spec.field('ports'), schema: undefined, items: undefined }, { kind: 'list', listType: 'map', listMapKeys: ['name'], schema: undefined, items: undefined });
    assert.equal(spec.field('ports')?.items?.kind, 'object');
    assert.equal(spec.field('replicas')?.default, 1);
    assert.equal(spec.field('tags')?.listType, 'set');
    assert.equal(spec.field('ports')?.schema?.field('port')?.kind, 'scalar');
    assert.equal(spec.field('labels')?.kind, 'map');
    assert.equal(spec.field('nope'), undefined);
    assert.equal(schema.field('status')!.schema!.field('conditions')?.listMapKeys?.[0], 'type');
  });

  test('refuses strategic merge patch with 415 and the accepted types', () => {
    const e = strategicMergePatchUnsupported();
    assert.equal(e.code, 415);
    assert.equal(
      e.status.message,
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    );
  });
});
