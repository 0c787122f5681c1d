import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregatedDiscovery, apiGroupList, apiResourceList } from '../api/discovery.js';
import { openapiV2, openapiV3GroupVersion } from '../api/openapi.js';
import { RESOURCES } from '../api/resources.js';
import { acceptCRD, defaultCRD } from './crd-strategy.js';
import { crdResources } from './resources.js';
import { cronTabCRD } from './testdata.js';

function establishedCronTab() {
  const crd = cronTabCRD();
  crd.spec.versions.push({ ...structuredClone(crd.spec.versions[0]), name: 'v1beta1', storage: false, deprecated: true });
  defaultCRD(crd);
  crd.status = acceptCRD(crd, [], 0);
  return crd;
}

describe('crdResources', () => {
  const rows = crdResources(establishedCronTab());

  test('serves one row per served version, stored in the storage version', () => {
    assert.deepEqual(rows.map((r) => [r.version, r.resource, r.kind, r.namespaced, r.storage.version]), [
      ['v1', 'crontabs', 'CronTab', true, 'v1'],
      ['v1beta1', 'crontabs', 'CronTab', true, 'v1'],
    ]);
    assert.deepEqual(rows[0].verbs, ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch']);
    assert.deepEqual(rows[0].shortNames, ['ct']);
    assert.equal(rows[1].deprecationWarning, 'stable.example.com/v1beta1 CronTab is deprecated');
  });

  test('appears in legacy discovery with status then scale, and the group prefers v1', () => {
    const all = [...RESOURCES, ...rows];
    const list = apiResourceList('stable.example.com', 'v1', all)!;
    assert.deepEqual(list.resources.map((r) => [r.name, r.kind, r.group ?? '', r.version ?? '']), [
      ['crontabs', 'CronTab', '', ''],
      ['crontabs/status', 'CronTab', '', ''],
      ['crontabs/scale', 'Scale', 'autoscaling', 'v1'],
    ]);
    const group = apiGroupList(all).groups.find((g) => g.name === 'stable.example.com')!;
    assert.deepEqual(group.preferredVersion, { groupVersion: 'stable.example.com/v1', version: 'v1' });
  });

  test('appears in aggregated discovery with its group and version in every responseKind', () => {
    const item = aggregatedDiscovery([...RESOURCES, ...rows]).items.find((i) => i.metadata.name === 'stable.example.com')!;
    const r = item.versions[0].resources[0];
    assert.deepEqual(r.responseKind, { group: 'stable.example.com', version: 'v1', kind: 'CronTab' });
    assert.deepEqual(r.subresources?.map((s) => [s.subresource, s.responseKind]), [
      ['status', { group: 'stable.example.com', version: 'v1', kind: 'CronTab' }],
      ['scale', { group: 'autoscaling', version: 'v1', kind: 'Scale' }],
    ]);
  });

  test('publishes the schema in /openapi/v3 for kubectl explain, with ObjectMeta and the list kind', () => {
    const doc = openapiV3GroupVersion('stable.example.com', 'v1', [...RESOURCES, ...rows]) as { components: { schemas: Record<string, any> }; paths: Record<string, any> };
    const schemas = doc.components.schemas;
    const kind = schemas['com.example.stable.v1.CronTab'];
    assert.deepEqual(kind['x-kubernetes-group-version-kind'], [{ group: 'stable.example.com', kind: 'CronTab', version: 'v1' }]);
    assert.equal(kind.properties.spec.properties.cronSpec.pattern, '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$');
    assert.deepEqual(kind.properties.metadata.allOf, [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }]);
    assert.ok(schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']);
    assert.equal(schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']['x-kubernetes-group-version-kind'], undefined);
    assert.deepEqual(schemas['com.example.stable.v1.CronTabList'].properties.items.items, { $ref: '#/components/schemas/com.example.stable.v1.CronTab' });
    assert.ok(doc.paths['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}/scale']);
    const v2 = openapiV2([...RESOURCES, ...rows]) as { definitions: Record<string, any> };
    assert.equal(v2.definitions['com.example.stable.v1.CronTab'].properties.spec.properties.port.anyOf, undefined);
  });
});
