import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from '../errors.js';
import type { PatchFieldMeta, PatchSchema } from './schema.js';
import {
  applyStrategicMergePatch,
  applyStrategicMergePatchRaw,
  createThreeWayMergePatch,
  createTwoWayMergePatch,
  StrategicMergePatchError,
} from './strategic.js';

// A hand-built slice of the Pod schema with the patch facts the built-in types declare.
const schema = (fields: Record<string, PatchFieldMeta>): PatchSchema => ({ field: (name) => fields[name] });
const containerSchema = schema({
  ports: { kind: 'list', patchStrategy: 'merge', patchMergeKey: 'containerPort' },
  env: { kind: 'list', patchStrategy: 'merge', patchMergeKey: 'name' },
  args: { kind: 'list', listType: 'atomic' },
});
const podSpecSchema = schema({
  containers: { kind: 'list', patchStrategy: 'merge', patchMergeKey: 'name', schema: containerSchema },
  volumes: { kind: 'list', patchStrategy: 'merge,retainKeys', patchMergeKey: 'name' },
});
const metaSchema = schema({ labels: { kind: 'map' }, finalizers: { kind: 'list', patchStrategy: 'merge' } });
const podSchema = schema({ metadata: { kind: 'object', schema: metaSchema }, spec: { kind: 'object', schema: podSpecSchema } });

type Obj = Record<string, any>;

function pod(): Obj {
  return {
    metadata: { name: 'p', labels: { app: 'web', tier: 'fe' }, finalizers: ['a', 'b'] },
    spec: {
      containers: [
        { name: 'app', image: 'nginx:1', ports: [{ containerPort: 80 }], args: ['x', 'y'] },
        { name: 'side', image: 'busybox' },
      ],
      volumes: [{ name: 'data', emptyDir: {} }],
    },
  };
}

function withPod(edit: (p: Obj) => void): Obj {
  const p = pod();
  edit(p);
  return p;
}

describe('applyStrategicMergePatch', () => {
  const cases: Array<[string, Obj, Obj]> = [
    ['merges maps recursively', { metadata: { labels: { env: 'prod' } } }, withPod((p) => (p.metadata.labels.env = 'prod'))],
    ['deletes a map entry with null', { metadata: { labels: { tier: null } } }, withPod((p) => delete p.metadata.labels.tier)],
    ['deletes a whole field with null', { spec: null }, withPod((p) => delete p.spec)],
    [
      'merges list elements by merge key and keeps the others',
      { spec: { containers: [{ name: 'app', image: 'nginx:2' }] } },
      withPod((p) => (p.spec.containers[0].image = 'nginx:2')),
    ],
    [
      'puts new list elements before server-only ones when no order is given',
      { spec: { containers: [{ name: 'log', image: 'fluent' }] } },
      withPod((p) => p.spec.containers.unshift({ name: 'log', image: 'fluent' })),
    ],
    [
      'merges nested merge lists and replaces atomic lists',
      { spec: { containers: [{ name: 'app', args: ['z'], ports: [{ containerPort: 443 }] }] } },
      withPod((p) => {
        p.spec.containers[0].args = ['z'];
        p.spec.containers[0].ports = [{ containerPort: 443 }, { containerPort: 80 }];
      }),
    ],
    [
      'removes a field inside a list element with null',
      { spec: { containers: [{ name: 'side', image: null }] } },
      withPod((p) => delete p.spec.containers[1].image),
    ],
    ['unions primitive merge lists', { metadata: { finalizers: ['c', 'a'] } }, withPod((p) => (p.metadata.finalizers = ['c', 'a', 'b']))],
    [
      'deletes a list element with $patch: delete',
      { spec: { containers: [{ name: 'side', $patch: 'delete' }] } },
      withPod((p) => p.spec.containers.splice(1, 1)),
    ],
    [
      'replaces a whole merge list with $patch: replace',
      { spec: { containers: [{ name: 'only', image: 'x' }, { $patch: 'replace' }] } },
      withPod((p) => (p.spec.containers = [{ name: 'only', image: 'x' }])),
    ],
    ['replaces a map with $patch: replace', { metadata: { labels: { $patch: 'replace', x: 'y' } } }, withPod((p) => (p.metadata.labels = { x: 'y' }))],
    ['empties a map with $patch: delete', { metadata: { labels: { $patch: 'delete' } } }, withPod((p) => (p.metadata.labels = {}))],
    ['replaces the whole object with a top-level $patch: replace', { $patch: 'replace', metadata: { name: 'q' } }, { metadata: { name: 'q' } }],
    [
      'reorders a merge list with $setElementOrder',
      { spec: { '$setElementOrder/containers': [{ name: 'side' }, { name: 'app' }] } },
      withPod((p) => p.spec.containers.reverse()),
    ],
    [
      'places new elements where $setElementOrder says',
      { spec: { '$setElementOrder/containers': [{ name: 'app' }, { name: 'log' }, { name: 'side' }], containers: [{ name: 'log', image: 'fluent' }] } },
      withPod((p) => p.spec.containers.splice(1, 0, { name: 'log', image: 'fluent' })),
    ],
    [
      'removes primitives listed in $deleteFromPrimitiveList',
      { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } },
      withPod((p) => (p.metadata.finalizers = ['b'])),
    ],
    [
      'clears keys missing from $retainKeys, so a volume can switch its source',
      { spec: { volumes: [{ name: 'data', hostPath: { path: '/x' }, $retainKeys: ['name', 'hostPath'] }] } },
      withPod((p) => (p.spec.volumes = [{ name: 'data', hostPath: { path: '/x' } }])),
    ],
    [
      'takes unknown fields as plain JSON merge',
      { spec: { hostname: 'h', extra: { list: [1, 2] } } },
      withPod((p) => Object.assign(p.spec, { hostname: 'h', extra: { list: [1, 2] } })),
    ],
    [
      'drops nulls and directives inside values it adds',
      { spec: { securityContext: { runAsUser: 1, fsGroup: null } } },
      withPod((p) => (p.spec.securityContext = { runAsUser: 1 })),
    ],
  ];
  for (const [name, patch, want] of cases) {
    test(name, () => {
      // The result shares what the patch left alone with the original, which must not change.
      const original = pod();
      assert.deepEqual(applyStrategicMergePatch(original, patch, podSchema), want);
      assert.deepEqual(original, pod(), 'the original is left as it was');
    });
  }

  test('shares what the patch did not reach with the original', () => {
    const original = pod();
    const out = applyStrategicMergePatch(original, { metadata: { labels: { env: 'prod' } } }, podSchema) as Obj;
    assert.equal(out.spec, original.spec);
    assert.notEqual(out.metadata, original.metadata);
    assert.equal(out.metadata.finalizers, original.metadata.finalizers);
  });

  test('leaves its inputs untouched', () => {
    const original = pod();
    const patch = { spec: { containers: [{ name: 'side', $patch: 'delete' }], '$setElementOrder/containers': [{ name: 'app' }] } };
    const patchCopy = structuredClone(patch);
    applyStrategicMergePatch(original, patch, podSchema);
    assert.deepEqual(original, pod());
    assert.deepEqual(patch, patchCopy);
  });

  const errors: Array<[string, Obj, number, string]> = [
    ['an unknown $patch value in a map', { metadata: { labels: { $patch: 'foo' } } }, 400, 'unknown patch type: foo in map: map[$patch:foo]'],
    ['$patch: merge in a map', { metadata: { labels: { $patch: 'merge' } } }, 400, 'unknown patch type: merge in map: map[$patch:merge]'],
    ['$patch: merge in a list element', { spec: { containers: [{ $patch: 'merge', name: 'x' }] } }, 400, 'merging lists cannot yet be specified in the patch'],
    [
      'an unknown $patch value in a list element',
      { spec: { containers: [{ $patch: 'frob', name: 'x' }] } },
      400,
      'unknown patch type: frob in map: map[$patch:frob name:x]',
    ],
    ['a list element without its merge key', { spec: { containers: [{ image: 'x' }] } }, 400, 'map: map[image:x] does not contain declared merge key: name'],
    ['a delete directive without its merge key', { spec: { containers: [{ $patch: 'delete' }] } }, 400, 'map: map[$patch:delete] does not contain declared merge key: name'],
    ['a malformed $deleteFromPrimitiveList key', { metadata: { $deleteFromPrimitiveList: ['a'] } }, 400, 'invalid patch format of primitive list'],
    ['a malformed $setElementOrder key', { spec: { $setElementOrder: [] } }, 400, 'invalid patch format of setElementOrder list'],
    ['a $retainKeys that is not a list', { spec: { volumes: [{ name: 'data', $retainKeys: 'name' }] } }, 400, 'invalid patch format of retainKeys'],
    [
      'a patch field missing from $retainKeys',
      { spec: { volumes: [{ name: 'data', hostPath: { path: '/x' }, $retainKeys: ['name'] }] } },
      400,
      'invalid patch format of retainKeys',
    ],
    [
      'a patch list out of $setElementOrder order',
      { spec: { '$setElementOrder/containers': [{ name: 'app' }, { name: 'side' }], containers: [{ name: 'side', image: 'b' }, { name: 'app', image: 'a' }] } },
      400,
      "The order in patch list:\n[map[image:b name:side] map[image:a name:app]]\n doesn't match $setElementOrder list:\n[map[name:app] map[name:side]]\n",
    ],
    ['a list of lists', { spec: { containers: [[1]] } }, 400, 'list element types are not identical: '],
    ['lists of lists under a merge strategy', { metadata: { finalizers: [['x']] } }, 400, 'list element types are not identical: '],
  ];
  for (const [name, patch, code, message] of errors) {
    test(`answers ${name} with ${code} and upstream's words`, () => {
      assert.throws(
        () => applyStrategicMergePatch(pod(), patch, podSchema),
        (e: unknown) => isStatusError(e) && e.code === code && (e.status.message ?? '').startsWith(message),
      );
    });
  }

  test('answers lists of lists with the generic 422', () => {
    const original = { metadata: { finalizers: [['x']] } };
    assert.throws(
      () => applyStrategicMergePatch(original, { metadata: { finalizers: [['y']] } }, podSchema),
      (e: unknown) => isStatusError(e) && e.code === 422 && e.status.message === 'the server rejected our request due to an error in our request',
    );
  });

  test('applyStrategicMergePatchRaw throws the upstream error text', () => {
    assert.throws(
      () => applyStrategicMergePatchRaw(pod(), { metadata: { labels: { $patch: 'foo' } } }, podSchema),
      (e: unknown) => e instanceof StrategicMergePatchError && e.message === 'unknown patch type: foo in map: map[$patch:foo]',
    );
  });
});

describe('createTwoWayMergePatch', () => {
  const cases: Array<[string, Obj, Obj, Obj]> = [
    [
      'changes a container and drops a label, with the element order kubectl sends',
      { metadata: { labels: { app: 'web', tier: 'fe' } }, spec: { containers: [{ name: 'app', image: 'nginx:1' }] } },
      { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:2' }] } },
      { metadata: { labels: { tier: null } }, spec: { containers: [{ name: 'app', image: 'nginx:2' }], '$setElementOrder/containers': [{ name: 'app' }] } },
    ],
    [
      'records a pure reorder as $setElementOrder only',
      { spec: { containers: [{ name: 'a' }, { name: 'b' }] } },
      { spec: { containers: [{ name: 'b' }, { name: 'a' }] } },
      { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }] } },
    ],
    [
      'deletes a list element with a delete directive',
      { spec: { containers: [{ name: 'a' }, { name: 'b' }] } },
      { spec: { containers: [{ name: 'a' }] } },
      { spec: { containers: [{ name: 'b', $patch: 'delete' }], '$setElementOrder/containers': [{ name: 'a' }] } },
    ],
    [
      'uses a parallel deletion list for primitive merge lists',
      { metadata: { finalizers: ['a', 'b'] } },
      { metadata: { finalizers: ['b', 'c'] } },
      { metadata: { finalizers: ['c'], '$deleteFromPrimitiveList/finalizers': ['a'], '$setElementOrder/finalizers': ['b', 'c'] } },
    ],
    [
      'adds $retainKeys for retainKeys lists',
      { spec: { volumes: [{ name: 'd', emptyDir: {} }] } },
      { spec: { volumes: [{ name: 'd', hostPath: { path: '/x' } }] } },
      {
        spec: {
          volumes: [{ name: 'd', hostPath: { path: '/x' }, emptyDir: null, $retainKeys: ['hostPath', 'name'] }],
          '$setElementOrder/volumes': [{ name: 'd' }],
        },
      },
    ],
    ['replaces atomic lists whole', { spec: { containers: [{ name: 'a', args: ['1', '2'] }] } }, { spec: { containers: [{ name: 'a', args: ['2'] }] } }, {
      spec: { containers: [{ name: 'a', args: ['2'] }], '$setElementOrder/containers': [{ name: 'a' }] },
    }],
    ['is empty for equal documents', pod(), pod(), {}],
  ];
  for (const [name, original, modified, want] of cases) {
    test(name, () => {
      const patch = createTwoWayMergePatch(original, modified, podSchema);
      assert.deepEqual(patch, want);
      assert.deepEqual(applyStrategicMergePatch(original, patch, podSchema), modified);
    });
  }
});

describe('createThreeWayMergePatch (kubectl apply)', () => {
  const lastApplied = { metadata: { name: 'p', labels: { app: 'web', tier: 'fe' } }, spec: { containers: [{ name: 'app', image: 'nginx:1', args: ['x'] }] } };

  test('sends changes and deletions but keeps what other writers added', () => {
    const modified = { metadata: { name: 'p', labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:2', args: ['x'] }] } };
    const current = withPod((p) => {
      p.spec.containers[0].args = ['x'];
      p.metadata.labels.ownedByOthers = 'yes';
    });
    const patch = createThreeWayMergePatch(lastApplied, modified, current, podSchema);
    assert.deepEqual(patch, {
      metadata: { labels: { tier: null } },
      spec: { containers: [{ name: 'app', image: 'nginx:2' }], '$setElementOrder/containers': [{ name: 'app' }] },
    });
    assert.deepEqual(
      applyStrategicMergePatch(current, patch, podSchema),
      withPod((p) => {
        p.spec.containers[0].args = ['x'];
        p.spec.containers[0].image = 'nginx:2';
        p.metadata.labels = { app: 'web', ownedByOthers: 'yes' };
      }),
    );
  });

  test('deletes a container that left the configuration and adds the new one in kube-apiserver\'s order', () => {
    const original = { spec: { containers: [{ name: 'a' }, { name: 'b' }] } };
    const modified = { spec: { containers: [{ name: 'c' }, { name: 'a' }] } };
    const current = { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b' }, { name: 'z' }] } };
    const patch = createThreeWayMergePatch(original, modified, current, podSchema);
    assert.deepEqual(patch, {
      spec: { '$setElementOrder/containers': [{ name: 'c' }, { name: 'a' }], containers: [{ name: 'c' }, { name: 'b', $patch: 'delete' }] },
    });
    // Upstream appends "c" into the slot the deleted "b" freed in the live list, which then ranks the
    // server-only "z" ahead of it; the order below is what kube-apiserver returns.
    assert.deepEqual(applyStrategicMergePatch(current, patch, podSchema), { spec: { containers: [{ name: 'z' }, { name: 'c' }, { name: 'a', image: 'x' }] } });
  });

  test('is empty when the configuration did not change and the live object agrees', () => {
    assert.deepEqual(createThreeWayMergePatch(lastApplied, lastApplied, lastApplied, podSchema), {});
  });

  test('resets a field changed by hand back to the configuration', () => {
    const current = structuredClone(lastApplied);
    current.spec.containers[0].image = 'nginx:hand-edited';
    assert.deepEqual(createThreeWayMergePatch(lastApplied, lastApplied, current, podSchema), {
      spec: { containers: [{ name: 'app', image: 'nginx:1' }], '$setElementOrder/containers': [{ name: 'app' }] },
    });
  });
});
