import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  aggregatedDiscovery,
  aggregatedDiscoveryLegacy,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  storageVersionHash,
} from './discovery.js';
import { RESOURCES, type ResourceInfo } from './resources.js';

describe('legacy discovery', () => {
  test('serves /api with the server address for every client', () => {
    assert.deepEqual(apiVersions('10.0.0.1:6443'), {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '10.0.0.1:6443' }],
    });
  });

  test('lists named groups in /apis with their preferred version', () => {
    const list = apiGroupList();
    assert.equal(list.kind, 'APIGroupList');
    assert.equal(list.apiVersion, 'v1');
    assert.equal(list.groups[0].name, 'apps');
    assert.deepEqual(list.groups.find((g) => g.name === 'autoscaling'), {
      name: 'autoscaling',
      versions: [
        { groupVersion: 'autoscaling/v2', version: 'v2' },
        { groupVersion: 'autoscaling/v1', version: 'v1' },
      ],
      preferredVersion: { groupVersion: 'autoscaling/v2', version: 'v2' },
    });
    assert.ok(!list.groups.some((g) => g.name === ''));
  });

  test('serves one group at /apis/<group> and nothing for unknown groups', () => {
    assert.equal(apiGroup('batch')?.kind, 'APIGroup');
    assert.deepEqual(apiGroup('batch')?.versions, [{ groupVersion: 'batch/v1', version: 'v1' }]);
    assert.equal(apiGroup('example.com'), undefined);
  });

  test('lists /api/v1 without an apiVersion, as upstream does', () => {
    const list = apiResourceList('', 'v1')!;
    assert.equal(list.groupVersion, 'v1');
    assert.equal('apiVersion' in list, false);
    assert.equal(apiResourceList('apps', 'v1')!.apiVersion, 'v1');
  });

  test('lists pods and their subresources in upstream’s order and shape', () => {
    const list = apiResourceList('', 'v1')!;
    const pods = list.resources.filter((r) => r.name === 'pods' || r.name.startsWith('pods/'));
    assert.deepEqual(pods.map((r) => r.name), [
      'pods', 'pods/attach', 'pods/binding', 'pods/ephemeralcontainers', 'pods/eviction', 'pods/exec', 'pods/log', 'pods/portforward', 'pods/proxy', 'pods/status',
    ]);
    assert.deepEqual(pods[0], {
      name: 'pods',
      singularName: 'pod',
      namespaced: true,
      kind: 'Pod',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['po'],
      categories: ['all'],
      storageVersionHash: 'xPOwRZ+Yhw8=',
    });
    assert.deepEqual(pods.find((r) => r.name === 'pods/eviction'), {
      name: 'pods/eviction', singularName: '', namespaced: true, group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'],
    });
  });

  test('names the autoscaling/v1 Scale kind on deployments/scale', () => {
    const scale = apiResourceList('apps', 'v1')!.resources.find((r) => r.name === 'deployments/scale');
    assert.deepEqual(scale, { name: 'deployments/scale', singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
  });

  const hashes: Array<[string, string, string, string]> = [
    ['apps', 'v1', 'Deployment', '8aSe+NMegvE='],
    ['', 'v1', 'Pod', 'xPOwRZ+Yhw8='],
  ];
  for (const [g, v, k, want] of hashes) {
    test(`hashes the storage version of ${k} as upstream does`, () => assert.equal(storageVersionHash(g, v, k), want));
  }

  test('gives both HPA versions the hash of their shared autoscaling/v2 storage', () => {
    const h = (v: string) => apiResourceList('autoscaling', v)!.resources.find((r) => r.name === 'horizontalpodautoscalers')!.storageVersionHash;
    assert.equal(h('v1'), h('v2'));
    assert.equal(h('v1'), storageVersionHash('autoscaling', 'v2', 'HorizontalPodAutoscaler'));
  });

  test('gives create-only reviews no storage hash', () => {
    const tr = apiResourceList('authentication.k8s.io', 'v1')!.resources.find((r) => r.name === 'tokenreviews')!;
    assert.deepEqual(tr, { name: 'tokenreviews', singularName: 'tokenreview', namespaced: false, kind: 'TokenReview', verbs: ['create'] });
  });

  test('returns nothing for a group version that is not served', () => {
    assert.equal(apiResourceList('apps', 'v1beta1'), undefined);
  });

  test('lists every resource and subresource of the table exactly once', () => {
    for (const r of RESOURCES) {
      const names = apiResourceList(r.group, r.version)!.resources.map((x) => x.name);
      assert.equal(names.filter((n) => n === r.resource).length, 1, r.resource);
      for (const s of r.subresources) assert.equal(names.filter((n) => n === `${r.resource}/${s.name}`).length, 1, `${r.resource}/${s.name}`);
    }
  });
});

describe('aggregated discovery', () => {
  test('describes /api as one unnamed core group', () => {
    const doc = aggregatedDiscoveryLegacy();
    assert.equal(doc.kind, 'APIGroupDiscoveryList');
    assert.equal(doc.apiVersion, 'apidiscovery.k8s.io/v2');
    assert.equal(doc.items.length, 1);
    assert.deepEqual(doc.items[0].metadata, { creationTimestamp: null });
    assert.equal(doc.items[0].versions[0].version, 'v1');
    assert.equal(doc.items[0].versions[0].freshness, 'Current');
  });

  test('describes deployments as kube-apiserver 1.32 does', () => {
    const apps = aggregatedDiscovery().items.find((i) => i.metadata.name === 'apps')!;
    const deployments = apps.versions[0].resources.find((r) => r.resource === 'deployments');
    assert.deepEqual(deployments, {
      resource: 'deployments',
      responseKind: { group: '', version: '', kind: 'Deployment' },
      scope: 'Namespaced',
      singularResource: 'deployment',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['deploy'],
      categories: ['all'],
      subresources: [
        { subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] },
        { subresource: 'status', responseKind: { group: '', version: '', kind: 'Deployment' }, verbs: ['get', 'patch', 'update'] },
      ],
    });
  });

  test('lists groups in /apis order with the preferred version first', () => {
    const items = aggregatedDiscovery().items;
    assert.deepEqual(items.map((i) => i.metadata.name), apiGroupList().groups.map((g) => g.name));
    assert.deepEqual(items.find((i) => i.metadata.name === 'autoscaling')!.versions.map((v) => v.version), ['v2', 'v1']);
  });

  test('gives cluster-scoped create-only resources no optional fields', () => {
    const authn = aggregatedDiscovery().items.find((i) => i.metadata.name === 'authentication.k8s.io')!;
    assert.deepEqual(authn.versions[0].resources.find((r) => r.resource === 'tokenreviews'), {
      resource: 'tokenreviews', responseKind: { group: '', version: '', kind: 'TokenReview' }, scope: 'Cluster', singularResource: 'tokenreview', verbs: ['create'],
    });
  });

  test('describes every resource of the table exactly once', () => {
    const seen: string[] = [];
    for (const doc of [aggregatedDiscoveryLegacy(), aggregatedDiscovery()]) {
      for (const item of doc.items) for (const v of item.versions) for (const r of v.resources) seen.push(`${item.metadata.name ?? ''}/${v.version}/${r.resource}`);
    }
    assert.deepEqual(seen.sort(), RESOURCES.map((r) => `${r.group}/${r.version}/${r.resource}`).sort());
  });

  test('includes resources added by the caller, such as CRDs', () => {
    const crd: ResourceInfo = {
      ...RESOURCES[0], group: 'stable.example.com', version: 'v1', resource: 'crontabs', singular: 'crontab', kind: 'CronTab', listKind: 'CronTabList',
      shortNames: ['ct'], categories: [], subresources: [], storage: { group: 'stable.example.com', resource: 'crontabs', version: 'v1' },
    };
    const items = aggregatedDiscovery([...RESOURCES, crd]).items;
    assert.equal(items.at(-1)?.metadata.name, 'stable.example.com');
    assert.equal(items.at(-1)?.versions[0].resources[0].resource, 'crontabs');
  });
});
