import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FIELD_PATCH_META, STRUCT_MAP_TYPES, fieldPatchMeta, isAtomicMap, patchSchemaFor, zeroValueOf, type FieldPatchMeta } from './patchmeta.js';
import { schemaDefinitions } from './schema.js';
import { loadReferenceOpenAPI } from './reference.testutil.js';
import type { PatchSchema } from '../apimachinery/patch/schema.js';

const reference = loadReferenceOpenAPI();
const skip = 'skip' in reference ? reference.skip : false;

/** The facts upstream publishes for one property, in the table's shape. */
function upstreamFacts(prop: Record<string, unknown>): FieldPatchMeta | undefined {
  const facts: FieldPatchMeta = {};
  if (prop['x-kubernetes-patch-strategy']) facts.strategy = prop['x-kubernetes-patch-strategy'] as string;
  if (prop['x-kubernetes-patch-merge-key']) facts.mergeKey = prop['x-kubernetes-patch-merge-key'] as string;
  if (prop['x-kubernetes-list-type']) facts.listType = prop['x-kubernetes-list-type'] as FieldPatchMeta['listType'];
  if (prop['x-kubernetes-list-map-keys']) facts.listMapKeys = prop['x-kubernetes-list-map-keys'] as string[];
  if (prop['x-kubernetes-map-type']) facts.mapType = prop['x-kubernetes-map-type'] as FieldPatchMeta['mapType'];
  return Object.keys(facts).length ? facts : undefined;
}

describe('the patch metadata table against upstream OpenAPI', () => {
  test('every field of every served kind has exactly upstream’s patch strategy, merge key, list and map type', { skip }, () => {
    if (!('doc' in reference)) return;
    const mismatches: string[] = [];
    let compared = 0;
    for (const def of schemaDefinitions()) {
      const upstream = reference.doc.definitions[def.name];
      assert.ok(upstream, `${def.name} (${def.model}) is not an upstream definition`);
      for (const field of def.fields) {
        const prop = upstream.properties?.[field.name];
        if (!prop) continue; // a field newer than the reference (client-node runs ahead): nothing to compare
        compared++;
        const want = upstreamFacts(prop);
        const got = fieldPatchMeta(def.model, field.name);
        try {
          assert.deepEqual(got, want);
        } catch {
          mismatches.push(`${def.model}.${field.name}: table ${JSON.stringify(got)} upstream ${JSON.stringify(want)}`);
        }
      }
    }
    assert.ok(compared > 1000, `compared only ${compared} fields`);
    assert.deepEqual(mismatches, []);
  });

  test('the table has no entry for a field that served kinds do not reach', () => {
    const reached = new Set<string>();
    for (const def of schemaDefinitions()) for (const f of def.fields) reached.add(`${def.model}.${f.name}`);
    assert.deepEqual(Object.keys(FIELD_PATCH_META).filter((k) => !reached.has(k)), []);
  });

  test('atomic structs are exactly the definitions upstream marks x-kubernetes-map-type', { skip }, () => {
    if (!('doc' in reference)) return;
    const want: Record<string, string> = {};
    for (const def of schemaDefinitions()) {
      const mapType = reference.doc.definitions[def.name]?.['x-kubernetes-map-type'];
      if (typeof mapType === 'string') want[def.model] = mapType;
    }
    assert.deepEqual({ ...STRUCT_MAP_TYPES }, want);
  });
});

/** Walks a dotted path of fields through nested schemas: "spec.template.spec.containers". */
function walk(schema: PatchSchema, path: string) {
  let s: PatchSchema | undefined = schema;
  let meta;
  for (const name of path.split('.')) {
    meta = s?.field(name);
    s = meta?.schema;
  }
  return meta;
}

describe('patchSchemaFor', () => {
  const cases: Array<{ name: string; model: string; path: string; want: Record<string, unknown> | undefined }> = [
    { name: 'merges Deployment containers on name', model: 'V1Deployment', path: 'spec.template.spec.containers', want: { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'], kind: 'list' } },
    { name: 'merges container ports on containerPort', model: 'V1Pod', path: 'spec.containers.ports', want: { patchStrategy: 'merge', patchMergeKey: 'containerPort', listType: 'map', listMapKeys: ['containerPort', 'protocol'], kind: 'list' } },
    { name: 'merges env on name', model: 'V1StatefulSet', path: 'spec.template.spec.containers.env', want: { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'], kind: 'list' } },
    { name: 'merges volumeMounts on mountPath', model: 'V1Pod', path: 'spec.initContainers.volumeMounts', want: { patchStrategy: 'merge', patchMergeKey: 'mountPath', listType: 'map', listMapKeys: ['mountPath'], kind: 'list' } },
    { name: 'merges volumes on name with retainKeys', model: 'V1Pod', path: 'spec.volumes', want: { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'], kind: 'list' } },
    { name: 'keeps tolerations atomic', model: 'V1Pod', path: 'spec.tolerations', want: { listType: 'atomic', kind: 'list' } },
    { name: 'merges finalizers as a set', model: 'V1ConfigMap', path: 'metadata.finalizers', want: { patchStrategy: 'merge', listType: 'set', kind: 'list' } },
    { name: 'merges ownerReferences on uid', model: 'V1ReplicaSet', path: 'metadata.ownerReferences', want: { patchStrategy: 'merge', patchMergeKey: 'uid', listType: 'map', listMapKeys: ['uid'], kind: 'list' } },
    { name: 'merges status conditions on type', model: 'V1Deployment', path: 'status.conditions', want: { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'], kind: 'list' } },
    { name: 'retains keys of the deployment strategy', model: 'V1Deployment', path: 'spec.strategy', want: { patchStrategy: 'retainKeys', kind: 'object' } },
    { name: 'marks a label selector atomic', model: 'V1Deployment', path: 'spec.selector', want: { kind: 'object', mapType: 'atomic' } },
    { name: 'keeps a PersistentVolume claimRef granular though ObjectReference is atomic', model: 'V1PersistentVolume', path: 'spec.claimRef', want: { kind: 'object', mapType: 'granular' } },
    { name: 'defaults a container port protocol to TCP', model: 'V1Pod', path: 'spec.containers.ports.protocol', want: { kind: 'scalar', default: 'TCP' } },
    { name: 'reports labels as a map', model: 'V1Service', path: 'metadata.labels', want: { kind: 'map' } },
    { name: 'reports replicas as a scalar', model: 'V1Deployment', path: 'spec.replicas', want: { kind: 'scalar' } },
    { name: 'knows nothing of unknown fields', model: 'V1Deployment', path: 'spec.nope', want: undefined },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const meta = walk(patchSchemaFor(c.model), c.path);
      if (c.want === undefined) return assert.equal(meta, undefined);
      assert.ok(meta, `${c.path} not found`);
      const { schema: _schema, items: _items, ...facts } = meta;
      assert.deepEqual(facts, c.want);
    });
  }

  test('gives element schemas for lists, so merge keys nest', () => {
    const containers = walk(patchSchemaFor('V1PodTemplate'), 'template.spec.containers');
    assert.equal(containers?.schema?.field('env')?.patchMergeKey, 'name');
  });

  test('describes list elements, so apply knows an ownerReference is one atomic value', () => {
    const items = walk(patchSchemaFor('V1ReplicaSet'), 'metadata.ownerReferences')?.items;
    assert.equal(items?.kind, 'object');
    assert.equal(items?.mapType, 'atomic');
  });

  test('describes map values and nested lists', () => {
    assert.equal(walk(patchSchemaFor('V1ConfigMap'), 'data')?.items?.kind, 'scalar');
    assert.equal(walk(patchSchemaFor('V1SubjectAccessReview'), 'spec.extra')?.items?.items?.kind, 'scalar');
  });

  test('gives the Go zero value of a Deployment: non-pointer structs and fields without omitempty', () => {
    assert.deepEqual(patchSchemaFor('V1Deployment').zeroValue?.(), {
      metadata: { creationTimestamp: null },
      spec: {
        selector: null,
        strategy: {},
        template: { metadata: { creationTimestamp: null }, spec: { containers: null } },
      },
      status: {},
    });
    assert.deepEqual(zeroValueOf('V1Container'), { name: '', resources: {} });
    assert.deepEqual(zeroValueOf('V1ConfigMap'), { metadata: { creationTimestamp: null } });
  });

  test('returns the empty schema for an unknown model', () => {
    assert.equal(patchSchemaFor('V1NoSuchThing').field('spec'), undefined);
  });

  const atomic: Array<[string, string, boolean]> = [
    ['V1DeploymentSpec', 'selector', true],
    ['V1ServiceSpec', 'selector', true],
    ['V1PodSpec', 'nodeSelector', true],
    ['V1ObjectMeta', 'labels', false],
    ['V1PersistentVolumeSpec', 'claimRef', false],
  ];
  for (const [model, field, want] of atomic) {
    test(`${want ? 'replaces' : 'merges'} ${model}.${field} ${want ? 'as a whole' : 'key by key'} under apply`, () => {
      assert.equal(isAtomicMap(model, field), want);
    });
  }
});
