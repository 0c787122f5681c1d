import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from '../errors.js';
import { applyJsonPatch, MAX_JSON_PATCH_OPERATIONS } from './json-patch.js';

const deployment = { metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas: 1, template: { spec: { containers: [{ name: 'app', image: 'nginx:1' }] } } } };

describe('applyJsonPatch', () => {
  const cases: Array<[string, unknown[], unknown]> = [
    ['replaces a scalar', [{ op: 'replace', path: '/spec/replicas', value: 3 }], { ...deployment, spec: { ...deployment.spec, replicas: 3 } }],
    [
      'adds a map entry with an escaped key',
      [{ op: 'add', path: '/metadata/labels/example.com~1tier', value: 'fe' }],
      { ...deployment, metadata: { name: 'web', labels: { app: 'web', 'example.com/tier': 'fe' } } },
    ],
    ['removes a field', [{ op: 'remove', path: '/metadata/labels' }], { ...deployment, metadata: { name: 'web' } }],
    [
      'appends to a list with "-"',
      [{ op: 'add', path: '/spec/template/spec/containers/-', value: { name: 'side', image: 'busybox' } }],
      {
        ...deployment,
        spec: { ...deployment.spec, template: { spec: { containers: [{ name: 'app', image: 'nginx:1' }, { name: 'side', image: 'busybox' }] } } },
      },
    ],
    ['passes a matching test', [{ op: 'test', path: '/spec/replicas', value: 1 }], deployment],
    ['treats a missing add value as null, as evanphx/json-patch does', [{ op: 'add', path: '/spec/paused' }], { ...deployment, spec: { ...deployment.spec, paused: null } }],
    ['accepts a null patch as no operations', null as unknown as unknown[], deployment],
  ];
  for (const [name, patch, want] of cases) {
    test(name, () => {
      assert.deepEqual(applyJsonPatch(deployment, patch), want);
    });
  }

  test('does not mutate the document', () => {
    const doc = structuredClone(deployment);
    applyJsonPatch(doc, [{ op: 'replace', path: '/spec/replicas', value: 9 }]);
    assert.deepEqual(doc, deployment);
  });

  const failing: Array<[string, unknown[]]> = [
    ['a failing test operation', [{ op: 'test', path: '/spec/replicas', value: 2 }]],
    ['replacing a missing path', [{ op: 'replace', path: '/spec/paused', value: true }]],
    ['removing a missing path', [{ op: 'remove', path: '/metadata/annotations' }]],
    ['adding under a missing parent', [{ op: 'add', path: '/status/phase', value: 'x' }]],
    ['an unknown op', [{ op: 'frobnicate', path: '/spec' }]],
    ['a null operation', [null]],
  ];
  for (const [name, patch] of failing) {
    test(`answers ${name} with kube-apiserver's 422`, () => {
      assert.throws(
        () => applyJsonPatch(deployment, patch),
        (e: unknown) =>
          isStatusError(e) &&
          e.code === 422 &&
          e.reason === 'Invalid' &&
          e.status.message === 'the server rejected our request due to an error in our request',
      );
    });
  }

  const malformed: Array<[string, unknown, string]> = [
    ['an object', { op: 'add' }, 'json: cannot unmarshal object into Go value of type jsonpatch.Patch'],
    ['a string', 'x', 'json: cannot unmarshal string into Go value of type jsonpatch.Patch'],
    ['a list of numbers', [1], 'json: cannot unmarshal number into Go value of type jsonpatch.Operation'],
  ];
  for (const [name, patch, message] of malformed) {
    test(`rejects a patch that is ${name} as 400 BadRequest`, () => {
      assert.throws(() => applyJsonPatch(deployment, patch), (e: unknown) => isStatusError(e) && e.code === 400 && e.status.message === message);
    });
  }

  test('rejects more than 10000 operations with 413', () => {
    const ops = Array.from({ length: MAX_JSON_PATCH_OPERATIONS + 1 }, () => ({ op: 'test', path: '/spec/replicas', value: 1 }));
    assert.throws(
      () => applyJsonPatch(deployment, ops),
      (e: unknown) => isStatusError(e) && e.code === 413 && e.status.message === 'The allowed maximum operations in a JSON patch is 10000, got 10001',
    );
  });
});
