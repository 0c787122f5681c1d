import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { openapiV2, openapiV3GroupVersion, openapiV3Hash, openapiV3Root } from './openapi.js';
import { RESOURCES, type ResourceInfo } from './resources.js';
import { loadReferenceOpenAPI } from './reference.testutil.js';

type Json = Record<string, any>;

/** Every "$ref" string anywhere in a document. */
function refsIn(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) for (const x of v) refsIn(x, out);
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === '$ref' && typeof x === 'string') out.push(x);
      else refsIn(x, out);
    }
  }
  return out;
}

function v3Doc(r: Pick<ResourceInfo, 'group' | 'version'>): Json {
  const doc = openapiV3GroupVersion(r.group, r.version);
  assert.ok(doc, `no v3 document for ${r.group}/${r.version}`);
  return doc as Json;
}

// --- kubectl's readers, restated: cli-runtime queryParamVerifierV3, kubectl apply's Patcher and
// apimachinery's PatchMetaFromOpenAPIV3, so the documents are checked the way kubectl reads them.

const gvkEquals = (ext: any, r: { group: string; version: string; kind: string }) =>
  ext && ext.group === r.group && ext.version === r.version && ext.kind === r.kind;

/** supportsQueryParamV3: the first PATCH operation for the GVK decides. */
function supportsQueryParam(doc: Json, gvk: { group: string; version: string; kind: string }, param: string): boolean {
  for (const item of Object.values<Json>(doc.paths)) {
    const op = item.patch;
    if (!op || !gvkEquals(op['x-kubernetes-group-version-kind'], gvk)) continue;
    return (op.parameters ?? []).some((p: Json) => p.name === param);
  }
  return false;
}

/** gvkSupportsPatchOpenAPIV3. */
function supportsStrategicMerge(doc: Json, gvk: { group: string; version: string; kind: string }): boolean {
  for (const item of Object.values<Json>(doc.paths)) {
    const op = item.patch;
    if (!op || !gvkEquals(op['x-kubernetes-group-version-kind'], gvk)) continue;
    return !!op.requestBody?.content?.['application/strategic-merge-patch+json'];
  }
  return false;
}

/** PatchMetaFromOpenAPIV3: walk struct fields, then read the last one's patch extensions. */
function patchMetaV3(doc: Json, gvk: { group: string; version: string; kind: string }, path: string[]): { mergeKey?: string; strategy?: string } {
  const schemas: Json = doc.components.schemas;
  let schema: Json | undefined = Object.values<Json>(schemas).find((s) => (s['x-kubernetes-group-version-kind'] ?? []).some((g: Json) => gvkEquals(g, gvk)));
  assert.ok(schema, `no component schema for ${gvk.kind}`);
  const resolve = (s: Json): Json => {
    let r = s;
    if (r.allOf?.length) r = r.allOf[0];
    if (r.$ref) {
      const target = schemas[String(r.$ref).replace('#/components/schemas/', '')];
      assert.ok(target, `unresolvable ${r.$ref}`);
      r = target;
    }
    return r;
  };
  let meta = {};
  for (const key of path) {
    const prop: Json | undefined = schema!.properties?.[key];
    assert.ok(prop, `unable to find api field "${key}"`);
    meta = { mergeKey: prop['x-kubernetes-patch-merge-key'], strategy: prop['x-kubernetes-patch-strategy'] };
    schema = resolve(prop.items ?? prop);
  }
  return meta;
}

describe('OpenAPI v3', () => {
  test('lists a content-hashed document for every served group version', () => {
    const root = openapiV3Root();
    const keys = Object.keys(root.paths);
    assert.ok(keys.includes('api/v1') && keys.includes('apis/apps/v1') && keys.includes('apis/autoscaling/v1') && keys.includes('apis/autoscaling/v2'));
    for (const [key, { serverRelativeURL }] of Object.entries(root.paths)) {
      assert.match(serverRelativeURL, new RegExp(`^/openapi/v3/${key}\\?hash=[0-9A-F]{128}$`));
    }
  });

  test('hashes a document by its content, stably', () => {
    const doc = openapiV3GroupVersion('apps', 'v1');
    const want = createHash('sha512').update(JSON.stringify(doc)).digest('hex').toUpperCase();
    assert.equal(openapiV3Hash('apps', 'v1'), want);
    assert.deepEqual(openapiV3Root(), openapiV3Root());
  });

  test('serves nothing for a group version that is not served', () => {
    assert.equal(openapiV3GroupVersion('apps', 'v1beta1'), undefined);
  });

  for (const r of RESOURCES) {
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    test(`${r.group || 'core'}/${r.version} ${r.resource}: resolves every $ref and declares ${r.kind}'s group-version-kind`, () => {
      const doc = v3Doc(r);
      assert.equal(doc.openapi, '3.0.0');
      const schemas = doc.components.schemas;
      const dangling = refsIn(doc).filter((ref) => !schemas[ref.replace('#/components/schemas/', '')]);
      assert.deepEqual([...new Set(dangling)], []);
      const kindSchemas = Object.values<Json>(schemas).filter((s) => (s['x-kubernetes-group-version-kind'] ?? []).some((g: Json) => gvkEquals(g, gvk)));
      assert.equal(kindSchemas.length, 1);
    });
    if (r.verbs.includes('patch')) {
      test(`${r.group || 'core'}/${r.version} ${r.resource}: kubectl finds fieldValidation and strategic merge patch`, () => {
        const doc = v3Doc(r);
        assert.equal(supportsQueryParam(doc, gvk, 'fieldValidation'), true);
        assert.equal(supportsStrategicMerge(doc, gvk), true);
      });
    }
  }

  test('declares every parameter and patch content type on every PATCH operation', () => {
    for (const key of Object.keys(openapiV3Root().paths)) {
      const [, group, version] = key.startsWith('api/') ? ['', '', key.split('/')[1]] : key.split('/');
      const doc = openapiV3GroupVersion(group, version) as Json;
      for (const [path, item] of Object.entries<Json>(doc.paths)) {
        if (!item.patch || item.patch['x-kubernetes-action'] !== 'patch') continue;
        assert.deepEqual(item.patch.parameters.map((p: Json) => p.name).sort(), ['dryRun', 'fieldManager', 'fieldValidation', 'force'], path);
        assert.deepEqual(Object.keys(item.patch.requestBody.content).sort(), [
          'application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json',
        ], path);
      }
    }
  });

  const mergeKeys: Array<{ name: string; gvk: { group: string; version: string; kind: string }; path: string[]; want: { mergeKey?: string; strategy?: string } }> = [
    { name: 'Deployment containers merge on name', gvk: { group: 'apps', version: 'v1', kind: 'Deployment' }, path: ['spec', 'template', 'spec', 'containers'], want: { mergeKey: 'name', strategy: 'merge' } },
    { name: 'Deployment container env merges on name', gvk: { group: 'apps', version: 'v1', kind: 'Deployment' }, path: ['spec', 'template', 'spec', 'containers', 'env'], want: { mergeKey: 'name', strategy: 'merge' } },
    { name: 'Pod container ports merge on containerPort', gvk: { group: '', version: 'v1', kind: 'Pod' }, path: ['spec', 'containers', 'ports'], want: { mergeKey: 'containerPort', strategy: 'merge' } },
    { name: 'Service ports merge on port', gvk: { group: '', version: 'v1', kind: 'Service' }, path: ['spec', 'ports'], want: { mergeKey: 'port', strategy: 'merge' } },
    { name: 'StatefulSet volumes merge on name, retaining keys', gvk: { group: 'apps', version: 'v1', kind: 'StatefulSet' }, path: ['spec', 'template', 'spec', 'volumes'], want: { mergeKey: 'name', strategy: 'merge,retainKeys' } },
    { name: 'metadata finalizers merge', gvk: { group: 'batch', version: 'v1', kind: 'Job' }, path: ['metadata', 'finalizers'], want: { mergeKey: undefined, strategy: 'merge' } },
    { name: 'tolerations replace', gvk: { group: 'apps', version: 'v1', kind: 'DaemonSet' }, path: ['spec', 'template', 'spec', 'tolerations'], want: { mergeKey: undefined, strategy: undefined } },
  ];
  for (const c of mergeKeys) {
    test(`kubectl apply reads: ${c.name}`, () => {
      assert.deepEqual(patchMetaV3(v3Doc(c.gvk), c.gvk, c.path), c.want);
    });
  }

  test('carries descriptions and required fields from client-node', () => {
    const deploymentSpec = v3Doc({ group: 'apps', version: 'v1' }).components.schemas['io.k8s.api.apps.v1.DeploymentSpec'];
    assert.deepEqual(deploymentSpec.required, ['selector', 'template']);
    assert.match(deploymentSpec.properties.replicas.description, /Number of desired pods/);
    assert.deepEqual(deploymentSpec.properties.replicas.type, 'integer');
  });
});

describe('OpenAPI v2', () => {
  const doc = openapiV2() as Json;

  test('is a Swagger 2.0 document whose every $ref resolves', () => {
    assert.equal(doc.swagger, '2.0');
    const dangling = refsIn(doc).filter((ref) => !doc.definitions[ref.replace('#/definitions/', '')]);
    assert.deepEqual([...new Set(dangling)], []);
  });

  test('consumes every patch type on every PATCH operation', () => {
    for (const [path, item] of Object.entries<Json>(doc.paths)) {
      if (!item.patch || item.patch['x-kubernetes-action'] !== 'patch') continue;
      assert.deepEqual(item.patch.consumes, ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'], path);
      const names = item.patch.parameters.map((p: Json) => p.name);
      for (const n of ['body', 'dryRun', 'fieldManager', 'fieldValidation', 'force']) assert.ok(names.includes(n), `${path} lacks ${n}`);
    }
  });

  test('puts patch extensions on array properties', () => {
    const containers = doc.definitions['io.k8s.api.core.v1.PodSpec'].properties.containers;
    assert.equal(containers['x-kubernetes-patch-merge-key'], 'name');
    assert.equal(containers['x-kubernetes-patch-strategy'], 'merge');
    assert.deepEqual(containers.items, { $ref: '#/definitions/io.k8s.api.core.v1.Container' });
  });
});

describe('OpenAPI against upstream', () => {
  const reference = loadReferenceOpenAPI();
  const skip = 'skip' in reference ? reference.skip : false;
  /** Upstream additions after v1.32 that skiff, serving 1.32, leaves out. */
  const NEWER_THAN_132 = [/\/pods\/\{name\}\/resize$/];
  const NEWER_PARAMS = new Set(['ignoreStoreReadErrorWithClusterBreakingPotential', 'shardSelector']);

  function resolveParamNames(params: any[] | undefined): string[] {
    if (!('doc' in reference)) return [];
    const all = (reference.doc as unknown as { parameters: Record<string, { name: string }> }).parameters;
    return (params ?? [])
      .map((p) => (p.$ref ? all[p.$ref.replace('#/parameters/', '')].name : p.name))
      .filter((n: string) => !NEWER_PARAMS.has(n))
      .sort();
  }

  test('has upstream’s paths, operation ids, actions, kinds and parameters for every served resource', { skip }, () => {
    if (!('doc' in reference)) return;
    const ours = openapiV2() as Json;
    const problems: string[] = [];
    for (const [path, item] of Object.entries<Json>(ours.paths)) {
      const theirs = reference.doc.paths[path] as Json | undefined;
      if (!theirs) {
        problems.push(`${path} is not upstream`);
        continue;
      }
      for (const [method, op] of Object.entries<Json>(item)) {
        if (method === 'parameters') continue;
        const up = theirs[method];
        if (!up) {
          problems.push(`${method} ${path} is not upstream`);
          continue;
        }
        for (const key of ['operationId', 'x-kubernetes-action']) if (op[key] !== up[key]) problems.push(`${method} ${path} ${key}: ${op[key]} upstream ${up[key]}`);
        if (JSON.stringify(op['x-kubernetes-group-version-kind']) !== JSON.stringify(up['x-kubernetes-group-version-kind'])) {
          problems.push(`${method} ${path} gvk: ${JSON.stringify(op['x-kubernetes-group-version-kind'])} upstream ${JSON.stringify(up['x-kubernetes-group-version-kind'])}`);
        }
        const mine = resolveParamNames(op.parameters);
        const want = resolveParamNames(up.parameters);
        if (JSON.stringify(mine) !== JSON.stringify(want)) problems.push(`${method} ${path} params: ${mine} upstream ${want}`);
      }
      for (const method of Object.keys(theirs)) if (method !== 'parameters' && !item[method]) problems.push(`${method} ${path} missing`);
      const mineP = resolveParamNames(item.parameters);
      const wantP = resolveParamNames(theirs.parameters);
      if (JSON.stringify(mineP) !== JSON.stringify(wantP)) problems.push(`${path} path params: ${mineP} upstream ${wantP}`);
    }
    // And nothing upstream serves for these resources is missing.
    for (const r of RESOURCES) {
      const prefix = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
      const roots = [`${prefix}/${r.resource}`, `${prefix}/namespaces/{namespace}/${r.resource}`, `${prefix}/watch/${r.resource}`, `${prefix}/watch/namespaces/{namespace}/${r.resource}`];
      for (const path of Object.keys(reference.doc.paths)) {
        if (!roots.some((root) => path === root || path.startsWith(`${root}/{name}`))) continue;
        if (NEWER_THAN_132.some((re) => re.test(path))) continue;
        if (!ours.paths[path]) problems.push(`${path} missing`);
      }
    }
    assert.deepEqual(problems, []);
  });
});
