import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  RESOURCES,
  compareKubeVersions,
  findByKind,
  findResource,
  groupVersions,
  resourcesInGroupVersion,
  sharingStorage,
  storageKey,
} from './resources.js';
import { modelExists } from './schema.js';
import { loadReferenceOpenAPI } from './reference.testutil.js';

describe('the resource table', () => {
  test('names a client-node model for every kind, and for its list when it can be listed', () => {
    const missing = RESOURCES.flatMap((r) => (r.verbs.includes('list') ? [r.modelType, `${r.modelType}List`] : [r.modelType])).filter((m) => !modelExists(m));
    assert.deepEqual(missing, []);
  });

  test('serves each group/version/resource once', () => {
    const keys = RESOURCES.map((r) => `${r.group}/${r.version}/${r.resource}`);
    assert.equal(new Set(keys).size, keys.length);
  });

  test('puts exactly upstream’s `kubectl get all` resources in category all', () => {
    const all = RESOURCES.filter((r) => r.categories.includes('all')).map((r) => `${r.group}/${r.version}/${r.resource}`);
    assert.deepEqual(all.sort(), [
      '/v1/pods',
      '/v1/services',
      'apps/v1/daemonsets',
      'apps/v1/deployments',
      'apps/v1/replicasets',
      'apps/v1/statefulsets',
      'autoscaling/v1/horizontalpodautoscalers',
      'autoscaling/v2/horizontalpodautoscalers',
      'batch/v1/cronjobs',
      'batch/v1/jobs',
    ]);
  });

  const shortNames: Array<[string, string]> = [
    ['po', 'pods'], ['svc', 'services'], ['deploy', 'deployments'], ['rs', 'replicasets'], ['sts', 'statefulsets'],
    ['ds', 'daemonsets'], ['cj', 'cronjobs'], ['hpa', 'horizontalpodautoscalers'], ['pdb', 'poddisruptionbudgets'],
    ['netpol', 'networkpolicies'], ['ing', 'ingresses'], ['sc', 'storageclasses'], ['pc', 'priorityclasses'],
    ['ns', 'namespaces'], ['no', 'nodes'], ['cm', 'configmaps'], ['sa', 'serviceaccounts'], ['ev', 'events'],
    ['pv', 'persistentvolumes'], ['pvc', 'persistentvolumeclaims'], ['quota', 'resourcequotas'], ['limits', 'limitranges'], ['ep', 'endpoints'],
  ];
  for (const [short, resource] of shortNames) {
    test(`resolves short name ${short} to ${resource}`, () => {
      const hits = new Set(RESOURCES.filter((r) => r.shortNames.includes(short)).map((r) => r.resource));
      assert.deepEqual([...hits], [resource]);
    });
  }

  test('lists groups in kube-apiserver’s /apis order with the core group first', () => {
    assert.deepEqual(
      groupVersions().map((g) => `${g.group || 'core'}:${g.versions.join(',')}`),
      [
        'core:v1', 'apps:v1', 'events.k8s.io:v1', 'authentication.k8s.io:v1', 'authorization.k8s.io:v1', 'autoscaling:v2,v1',
        'batch:v1', 'networking.k8s.io:v1', 'policy:v1', 'rbac.authorization.k8s.io:v1', 'storage.k8s.io:v1',
        'apiextensions.k8s.io:v1', 'scheduling.k8s.io:v1', 'coordination.k8s.io:v1', 'discovery.k8s.io:v1',
      ],
    );
  });

  test('prefers autoscaling/v2 over v1', () => {
    assert.equal(groupVersions().find((g) => g.group === 'autoscaling')?.preferredVersion, 'v2');
  });

  test('puts groups unknown to the priority table (CRDs) after the built-ins', () => {
    const crd = { ...RESOURCES[0], group: 'example.com', version: 'v1alpha1', resource: 'widgets', kind: 'Widget' };
    const groups = groupVersions([...RESOURCES, crd]).map((g) => g.group);
    assert.equal(groups.at(-1), 'example.com');
  });

  const versionOrder: Array<[string[], string[]]> = [
    [['v1', 'v2'], ['v2', 'v1']],
    [['v1beta1', 'v1', 'v1alpha1', 'v2beta2'], ['v1', 'v2beta2', 'v1beta1', 'v1alpha1']],
    [['v1beta1', 'v1beta2'], ['v1beta2', 'v1beta1']],
  ];
  for (const [input, want] of versionOrder) {
    test(`orders versions ${input.join(',')} as ${want.join(',')}`, () => {
      assert.deepEqual([...input].sort(compareKubeVersions), want);
    });
  }

  test('finds rows by resource and by kind', () => {
    assert.equal(findResource('apps', 'v1', 'deployments')?.kind, 'Deployment');
    assert.equal(findResource('apps', 'v1', 'nope'), undefined);
    assert.equal(findByKind('', 'v1', 'Event')?.modelType, 'CoreV1Event');
    assert.equal(findByKind('events.k8s.io', 'v1', 'Event')?.modelType, 'EventsV1Event');
    assert.equal(findByKind('autoscaling', 'v1', 'HorizontalPodAutoscaler')?.modelType, 'V1HorizontalPodAutoscaler');
  });

  test('lists one group version’s resources by name', () => {
    assert.deepEqual(
      resourcesInGroupVersion('apps', 'v1').map((r) => r.resource),
      ['controllerrevisions', 'daemonsets', 'deployments', 'replicasets', 'statefulsets'],
    );
  });

  test('stores both HPA versions as autoscaling/v2 in one key space', () => {
    const v1 = findResource('autoscaling', 'v1', 'horizontalpodautoscalers')!;
    const v2 = findResource('autoscaling', 'v2', 'horizontalpodautoscalers')!;
    assert.deepEqual(v1.storage, { group: 'autoscaling', resource: 'horizontalpodautoscalers', version: 'v2' });
    assert.equal(storageKey(v1, 'default', 'web'), storageKey(v2, 'default', 'web'));
    assert.deepEqual(sharingStorage(v1).map((r) => r.version).sort(), ['v1', 'v2']);
  });

  test('stores events.k8s.io Events with core Events', () => {
    const events = findResource('events.k8s.io', 'v1', 'events')!;
    assert.equal(storageKey(events, 'kube-system', 'e1'), storageKey(findResource('', 'v1', 'events')!, 'kube-system', 'e1'));
  });

  const keys: Array<[string, string, string, string | undefined, string | undefined, string]> = [
    ['core namespaced object', '', 'pods', 'default', 'web-0', '/registry/pods/default/web-0'],
    ['core namespace prefix', '', 'pods', 'default', undefined, '/registry/pods/default/'],
    ['core all-namespaces prefix', '', 'pods', undefined, undefined, '/registry/pods/'],
    ['cluster-scoped object', '', 'nodes', undefined, 'ip-10-0-1-5', '/registry/nodes/ip-10-0-1-5'],
    ['grouped object', 'apps', 'deployments', 'prod', 'api', '/registry/apps/deployments/prod/api'],
  ];
  for (const [name, group, resource, ns, objName, want] of keys) {
    test(`builds the storage key for a ${name}`, () => {
      const info = RESOURCES.find((r) => r.group === group && r.resource === resource)!;
      assert.equal(storageKey(info, ns, objName), want);
    });
  }
});

describe('the resource table against upstream OpenAPI paths', () => {
  const reference = loadReferenceOpenAPI();
  const skip = 'skip' in reference ? reference.skip : false;
  /** Subresources upstream serves after v1.32, which skiff (as 1.32) does not. */
  const NEWER_THAN_132 = new Set(['pods/resize']);

  test('serves every verb and subresource upstream serves for each resource, and no other', { skip }, () => {
    if (!('doc' in reference)) return;
    const problems: string[] = [];
    for (const r of RESOURCES) {
      const prefix = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
      const collection = r.namespaced ? `${prefix}/namespaces/{namespace}/${r.resource}` : `${prefix}/${r.resource}`;
      const verbs = new Set<string>();
      const subs = new Map<string, Set<string>>();
      for (const [path, item] of Object.entries(reference.doc.paths)) {
        const watchPath = collection.replace(prefix, `${prefix}/watch`);
        for (const [method, op] of Object.entries(item)) {
          if (method === 'parameters') continue;
          const action = (op as { 'x-kubernetes-action': string })['x-kubernetes-action'];
          if (path === collection) verbs.add(action === 'post' ? 'create' : action);
          else if (path === `${collection}/{name}`) verbs.add({ get: 'get', put: 'update', patch: 'patch', delete: 'delete' }[method]!);
          else if (path === watchPath || path === `${watchPath}/{name}`) verbs.add('watch');
          else if (path.startsWith(`${collection}/{name}/`)) {
            const sub = path.slice(`${collection}/{name}/`.length).split('/')[0];
            const verb = { get: 'get', put: 'update', patch: 'patch', delete: 'delete', post: 'create' }[method];
            if (!subs.has(sub)) subs.set(sub, new Set());
            if (verb) subs.get(sub)!.add(verb);
          }
        }
      }
      const want = [...verbs].sort();
      if (JSON.stringify(want) !== JSON.stringify([...r.verbs].sort())) problems.push(`${r.group}/${r.resource}: verbs ${r.verbs} upstream ${want}`);
      for (const [sub, subVerbs] of subs) {
        if (NEWER_THAN_132.has(`${r.resource}/${sub}`)) continue;
        const mine = r.subresources.find((s) => s.name === sub);
        if (!mine) problems.push(`${r.group}/${r.resource}/${sub} missing`);
        else if (JSON.stringify([...subVerbs].sort()) !== JSON.stringify([...mine.verbs].sort())) problems.push(`${r.resource}/${sub}: verbs ${mine.verbs} upstream ${[...subVerbs].sort()}`);
      }
      for (const s of r.subresources) if (!subs.has(s.name)) problems.push(`${r.resource}/${s.name} is not upstream`);
    }
    assert.deepEqual(problems, []);
  });

  test('names subresource kinds as upstream’s operations do', { skip }, () => {
    if (!('doc' in reference)) return;
    const problems: string[] = [];
    for (const r of RESOURCES) {
      const prefix = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
      const collection = r.namespaced ? `${prefix}/namespaces/{namespace}/${r.resource}` : `${prefix}/${r.resource}`;
      for (const s of r.subresources) {
        const item = reference.doc.paths[`${collection}/{name}/${s.name}`] ?? {};
        for (const [method, op] of Object.entries(item)) {
          if (method === 'parameters') continue;
          const gvk = (op as { 'x-kubernetes-group-version-kind': { group: string; version: string; kind: string } })['x-kubernetes-group-version-kind'];
          const mine = { group: s.group ?? r.group, version: s.version ?? r.version, kind: s.kind };
          if (JSON.stringify(gvk) !== JSON.stringify({ group: mine.group, kind: mine.kind, version: mine.version })) {
            problems.push(`${r.resource}/${s.name} ${method}: ${JSON.stringify(mine)} upstream ${JSON.stringify(gvk)}`);
          }
        }
      }
    }
    assert.deepEqual(problems, []);
  });
});
