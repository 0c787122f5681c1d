// Random and mutated CustomResourceDefinitions and custom resources for the robustness fuzz tests:
// CRDs (valid ones of our own and the add-on catalog's, moved into fuzz groups) with their schemas
// and specs broken in the ways hand-written and generated CRDs break them, sent as create/update/
// patch/apply/status writes/delete next to discovery and OpenAPI reads; and the custom resources of
// accepted CRDs as seed objects for the same request fuzzer the built-in kinds go through.
import fc from 'fast-check';
import YAML from 'yaml';
import type { ResourceInfo } from '../../src/api/resources.js';
import { jsonNestingDepth } from '../../src/apimachinery/json-depth.js';
import { ADDONS } from '../../src/addons/catalog.js';
import { crdResources } from '../../src/apiextensions/resources.js';
import { cronTab, cronTabCRD } from '../../src/apiextensions/testdata.js';
import type { CustomResourceDefinition, JSONSchemaProps } from '../../src/apiextensions/types.js';
import { seedFixtures } from '../fixtures/fixtures.js';
import { collectionUrl, encodeName, FUZZ_NS, fuzzValue, mutate, mutationArb, type FuzzRequest, type Mutation, type SeedObject } from './fuzz-requests.js';

/** The CRD collection. */
export const CRDS_URL = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

/** Every group the CRD fuzzer creates CRDs in ends with this. */
export const FUZZ_CRD_GROUP_SUFFIX = 'crd.fuzz.skiff.dev';

/** How many fuzz groups there are: few, so names collide within a group. */
const GROUPS = 4;

/** The fuzz groups, g0.crd.fuzz.skiff.dev ... */
export const fuzzGroups = (): string[] => Array.from({ length: GROUPS }, (_, i) => `g${i}.${FUZZ_CRD_GROUP_SUFFIX}`);

type Json = Record<string, any>;

/** A cluster-scoped CRD with two versions (conversion None), a preserve-unknown root and a deprecated version. */
function bagCRD(): CustomResourceDefinition {
  const schema: JSONSchemaProps = {
    type: 'object',
    'x-kubernetes-preserve-unknown-fields': true,
    properties: {
      spec: {
        type: 'object',
        properties: {
          size: { type: 'integer', minimum: 0, default: 1 },
          items: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
          free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        },
      },
      status: { type: 'object', properties: { phase: { type: 'string' } } },
    },
  };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'bags.own.fuzz.skiff.dev' },
    spec: {
      group: 'own.fuzz.skiff.dev',
      scope: 'Cluster',
      names: { plural: 'bags', singular: 'bag', kind: 'Bag', shortNames: ['bg'] },
      versions: [
        { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema }, subresources: { status: {} } },
        { name: 'v1beta1', served: true, storage: false, deprecated: true, schema: { openAPIV3Schema: structuredClone(schema) }, subresources: { status: {} } },
      ],
    },
  };
}

/** A namespaced CRD with an embedded resource, granular and atomic maps, nullable fields, CEL rules and required fields. */
function gizmoCRD(): CustomResourceDefinition {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'gizmos.own.fuzz.skiff.dev' },
    spec: {
      group: 'own.fuzz.skiff.dev',
      scope: 'Namespaced',
      names: { plural: 'gizmos', singular: 'gizmo', kind: 'Gizmo', categories: ['all'] },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {}, scale: { specReplicasPath: '.spec.count', statusReplicasPath: '.status.count' } },
          additionalPrinterColumns: [{ name: 'Count', type: 'integer', jsonPath: '.spec.count' }],
          schema: {
            openAPIV3Schema: {
              type: 'object',
              required: ['spec'],
              properties: {
                spec: {
                  type: 'object',
                  required: ['mode'],
                  'x-kubernetes-validations': [{ rule: 'self.count >= 0', message: 'count must not be negative' }],
                  properties: {
                    mode: { type: 'string', enum: ['fast', 'slow'] },
                    count: { type: 'integer', format: 'int32', default: 1 },
                    ratio: { type: 'number', maximum: 1, exclusiveMaximum: true },
                    owner: { type: 'string', nullable: true, minLength: 1 },
                    selector: { type: 'object', 'x-kubernetes-map-type': 'atomic', additionalProperties: { type: 'string' } },
                    settings: { type: 'object', 'x-kubernetes-map-type': 'granular', properties: { a: { type: 'string' }, b: { type: 'boolean' } } },
                    template: {
                      type: 'object',
                      'x-kubernetes-embedded-resource': true,
                      'x-kubernetes-preserve-unknown-fields': true,
                    },
                    endpoints: {
                      type: 'array',
                      maxItems: 5,
                      'x-kubernetes-list-type': 'map',
                      'x-kubernetes-list-map-keys': ['host', 'port'],
                      items: { type: 'object', required: ['host', 'port'], properties: { host: { type: 'string' }, port: { type: 'integer' }, weight: { type: 'integer', default: 1 } } },
                    },
                  },
                },
                status: { type: 'object', properties: { count: { type: 'integer' }, ready: { type: 'boolean' } } },
              },
            },
          },
        },
      ],
    },
  };
}

/** The CRDs of our own that the custom-resource fuzz serves (besides the add-on catalog's). */
export function ownCRDs(): CustomResourceDefinition[] {
  return [cronTabCRD(), bagCRD(), gizmoCRD()];
}

/** The sentinel CRD: created before the CRD fuzz in a group the fuzz never touches; it must keep serving. */
export function sentinelCRD(): CustomResourceDefinition {
  const crd = cronTabCRD();
  crd.metadata.name = 'crontabs.sentinel.fuzz.skiff.dev';
  crd.spec.group = 'sentinel.fuzz.skiff.dev';
  return crd;
}

/** Every CRD of the add-on catalog. */
export function catalogCRDs(): CustomResourceDefinition[] {
  return ADDONS.flatMap((a) => a.crds.map((c) => structuredClone(c)));
}

/** Valid custom resources of ownCRDs() (in FUZZ_NS where namespaced). */
function ownCustomResources(): Json[] {
  const ct = cronTab() as Json;
  ct.metadata.namespace = FUZZ_NS;
  ct.spec = { ...ct.spec, color: 'red', port: 'http', tags: ['a'], ports: [{ name: 'web', port: 8080 }], labels: { a: 'b' }, template: { anything: { goes: [1, 'x'] } } };
  return [
    ct,
    { apiVersion: 'own.fuzz.skiff.dev/v1', kind: 'Bag', metadata: { name: 'bag' }, spec: { size: 2, items: ['a', 'b'], free: { x: { y: [1, 2] } } }, loose: { top: 'level' } },
    { apiVersion: 'own.fuzz.skiff.dev/v1beta1', kind: 'Bag', metadata: { name: 'old-bag' }, spec: { size: 0 } },
    {
      apiVersion: 'own.fuzz.skiff.dev/v1',
      kind: 'Gizmo',
      metadata: { name: 'gizmo', namespace: FUZZ_NS },
      spec: {
        mode: 'fast',
        count: 2,
        ratio: 0.5,
        owner: null,
        selector: { app: 'web' },
        settings: { a: 'x', b: true },
        template: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'inner' }, data: { k: 'v' } },
        endpoints: [
          { host: 'a', port: 80 },
          { host: 'a', port: 443, weight: 3 },
        ],
      },
    },
  ];
}

/**
 * The custom resources the fuzz starts from: ours plus every custom seed fixture, moved into
 * FUZZ_NS, each matched to the served resource of a stored (Established) CRD. Documents whose kind
 * no given CRD serves are left out.
 */
export function customSeedObjects(storedCRDs: readonly CustomResourceDefinition[]): SeedObject[] {
  const infos: ResourceInfo[] = storedCRDs.flatMap((c) => crdResources(c));
  const docs: Json[] = [...ownCustomResources()];
  for (const f of seedFixtures('custom')) for (const d of f.docs) docs.push(structuredClone(d) as Json);
  const out: SeedObject[] = [];
  const seen = new Set<string>();
  for (const doc of docs) {
    const apiVersion = String(doc.apiVersion);
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    const info = infos.find((i) => i.group === group && i.version === version && i.kind === doc.kind);
    if (!info) continue;
    if (info.namespaced) doc.metadata.namespace = FUZZ_NS;
    else delete doc.metadata.namespace;
    const key = `${info.group}/${info.resource}/${doc.metadata.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ obj: doc, info, collection: collectionUrl(info, FUZZ_NS), name: doc.metadata.name });
  }
  return out;
}

// ---- CRD mutations ----

/** Names the fuzz CRDs take, chosen from a few so that kinds, plurals and short names collide. */
const NAMES: Json[] = [
  { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wd'] },
  { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', shortNames: ['gd'], categories: ['all'] },
  // Conflicts with the two above: same kind, same short name, same singular.
  { plural: 'thingamajigs', singular: 'thingamajig', kind: 'Widget' },
  { plural: 'doohickeys', singular: 'doohickey', kind: 'Doohickey', shortNames: ['wd', 'gd'] },
  { plural: 'whatsits', singular: 'gadget', kind: 'Whatsit', listKind: 'GadgetList' },
  { plural: 'sprockets', singular: 'sprocket', kind: 'Sprocket', listKind: 'Sprocket' },
];

/** Every schema node of a CRD (roots, properties, items, additionalProperties, anyOf...), for targeted damage. */
export function schemaNodes(crd: Json): Json[] {
  const out: Json[] = [];
  const walk = (s: unknown, depth: number) => {
    if (!s || typeof s !== 'object' || Array.isArray(s) || depth > 60 || out.length > 300) return;
    const node = s as Json;
    out.push(node);
    for (const p of Object.values(node.properties ?? {})) walk(p, depth + 1);
    if (Array.isArray(node.items)) node.items.forEach((i: unknown) => walk(i, depth + 1));
    else walk(node.items, depth + 1);
    if (typeof node.additionalProperties === 'object') walk(node.additionalProperties, depth + 1);
    for (const k of ['anyOf', 'allOf', 'oneOf']) if (Array.isArray(node[k])) node[k].forEach((x: unknown) => walk(x, depth + 1));
    walk(node.not, depth + 1);
  };
  for (const v of Array.isArray(crd?.spec?.versions) ? crd.spec.versions : []) walk(v?.schema?.openAPIV3Schema, 0);
  return out;
}

const TYPES = ['object', 'array', 'string', 'integer', 'number', 'boolean', 'null', '', 'frob', 'Object', 42, null];
const BAD_PATTERNS = ['(', '[a-', '\\p{Foo}', '(?=a)', '(a)\\1', '^(a+)+$', '\\', '[[:alpha:]]', '(?P<n>x)', 'a{99999}', '\\Z', '*'];
const FORMATS = ['date-time', 'date', 'int32', 'int64', 'byte', 'uuid', 'quantity', 'int-or-string', 'frob', '', 'email', 'cidr', 'duration'];
const CEL_RULES = ['self.count >= 0', 'self.x.y.z', '', 'has(self.spec)', 'self == oldSelf', 'size(self) < 10', 'self.matches("[")', '!!!', 'self.all(x, x > 0)', 'x'.repeat(5000)];

/** One targeted schema damage: an op on the n-th schema node. */
export interface SchemaMutation {
  op: (typeof SCHEMA_OPS)[number];
  at: number;
  n: number;
  value: unknown;
}

const SCHEMA_OPS = [
  'type',
  'nest-properties',
  'nest-items',
  'preserve-unknown',
  'int-or-string',
  'embedded-resource',
  'list-map-keys-not-required',
  'list-map-keys-missing',
  'list-map-bad-items',
  'list-set-objects',
  'map-type',
  'default-wrong-type',
  'default-valid',
  'huge-enum',
  'mixed-enum',
  'pattern',
  'format',
  'bounds',
  'cel',
  'combinators',
  'ref',
  'additional-and-properties',
  'required-junk',
  'nullable',
  'metadata-schema',
  'huge-description',
  'delete-type',
  'items-array',
  'unknown-keyword',
] as const;

export const schemaMutationArb: fc.Arbitrary<SchemaMutation> = fc.record({
  op: fc.constantFrom(...SCHEMA_OPS),
  at: fc.nat(),
  n: fc.nat({ max: 10_000 }),
  value: fuzzValue,
});

function nestedSchema(depth: number, viaItems: boolean, leafType: string): Json {
  let s: Json = { type: leafType };
  for (let i = 0; i < depth; i++) s = viaItems ? { type: 'array', items: s } : { type: 'object', properties: { n: s } };
  return s;
}

/** Applies one targeted damage to a schema node of crd (in place). */
export function mutateSchema(crd: Json, m: SchemaMutation): void {
  const nodes = schemaNodes(crd);
  if (!nodes.length) return;
  const s = nodes[m.at % nodes.length];
  const pick = <T>(xs: readonly T[]) => xs[m.n % xs.length];
  switch (m.op) {
    case 'type':
      s.type = pick(TYPES);
      break;
    case 'nest-properties':
      s.type = 'object';
      s.properties = { ...(s.properties ?? {}), deep: nestedSchema(1 + (m.n % 300), false, pick(['string', 'object', 'integer'])) };
      break;
    case 'nest-items':
      s.type = 'array';
      s.items = nestedSchema(1 + (m.n % 300), true, pick(['string', 'object', 'boolean']));
      delete s.properties;
      break;
    case 'preserve-unknown':
      s['x-kubernetes-preserve-unknown-fields'] = pick([true, false, 'yes', null]);
      break;
    case 'int-or-string':
      s['x-kubernetes-int-or-string'] = true;
      if (m.n % 2) delete s.type;
      if (m.n % 3 === 0) s.anyOf = [{ type: 'integer' }, { type: 'string' }];
      break;
    case 'embedded-resource':
      s['x-kubernetes-embedded-resource'] = pick([true, false, 1]);
      if (m.n % 2) s['x-kubernetes-preserve-unknown-fields'] = true;
      if (m.n % 3 === 0) s.type = 'object';
      break;
    case 'list-map-keys-not-required':
      s.type = 'array';
      s['x-kubernetes-list-type'] = 'map';
      s['x-kubernetes-list-map-keys'] = ['name'];
      s.items = { type: 'object', properties: { name: { type: 'string' }, value: { type: 'string' } } };
      delete s.properties;
      break;
    case 'list-map-keys-missing':
      s['x-kubernetes-list-type'] = 'map';
      s['x-kubernetes-list-map-keys'] = pick([[], ['nope'], ['name', 'name'], 'name', [1], null]);
      break;
    case 'list-map-bad-items':
      s.type = 'array';
      s['x-kubernetes-list-type'] = 'map';
      s['x-kubernetes-list-map-keys'] = ['k'];
      s.items = pick([{ type: 'string' }, { type: 'object', required: ['k'], properties: { k: { type: 'object' } } }, [{ type: 'object' }], { type: 'object', properties: { k: { type: 'string', nullable: true } }, required: ['k'] }]);
      delete s.properties;
      break;
    case 'list-set-objects':
      s.type = 'array';
      s['x-kubernetes-list-type'] = pick(['set', 'atomic', 'frob', '']);
      s.items = pick([{ type: 'object', properties: { a: { type: 'string' } } }, { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' }, { type: 'string' }]);
      delete s.properties;
      break;
    case 'map-type':
      s['x-kubernetes-map-type'] = pick(['atomic', 'granular', 'frob', '', 1]);
      break;
    case 'default-wrong-type':
      s.default = m.value;
      break;
    case 'default-valid':
      s.default = s.type === 'object' ? {} : s.type === 'array' ? [] : s.type === 'integer' ? 1 : s.type === 'boolean' ? false : 'x';
      break;
    case 'huge-enum':
      s.enum = Array.from({ length: 1000 + (m.n % 5000) }, (_, i) => (s.type === 'integer' ? i : `v${i}`));
      break;
    case 'mixed-enum':
      s.enum = pick([[], [null], [1, 'a', true, {}, []], 'notalist', [m.value]]);
      break;
    case 'pattern':
      s.pattern = pick(BAD_PATTERNS);
      break;
    case 'format':
      s.format = pick(FORMATS);
      break;
    case 'bounds':
      Object.assign(s, pick([{ minimum: 10, maximum: 1 }, { minLength: -1 }, { maxItems: 0, minItems: 5 }, { multipleOf: 0 }, { maxProperties: -3 }, { maximum: 'x' }, { minLength: 1.5 }, { exclusiveMinimum: true }, { uniqueItems: true }]));
      break;
    case 'cel':
      s['x-kubernetes-validations'] = pick([[{ rule: pick(CEL_RULES) }], [{ rule: 'self.a', messageExpression: '1 +' }], [{ rule: 'true', reason: 'Frob' }], [{ rule: 'true', fieldPath: '..x' }], 'rule', [m.value]]);
      break;
    case 'combinators':
      Object.assign(s, pick([{ anyOf: [{ type: 'string' }] }, { allOf: [{ properties: { x: { type: 'string' } } }] }, { oneOf: [{ required: ['a'] }, { required: ['b'] }] }, { not: { type: 'string' } }, { anyOf: [] }, { anyOf: [{ default: 1 }] }, { allOf: [{ 'x-kubernetes-preserve-unknown-fields': true }] }]));
      break;
    case 'ref':
      Object.assign(s, pick([{ $ref: '#/definitions/x' }, { definitions: { x: { type: 'string' } } }, { id: 'x' }, { $schema: 'http://json-schema.org/draft-04/schema#' }, { patternProperties: { '.*': { type: 'string' } } }, { dependencies: { a: ['b'] } }, { additionalItems: false }]));
      break;
    case 'additional-and-properties':
      s.additionalProperties = pick([false, true, { type: 'string' }, { type: 'object', properties: { a: { type: 'integer' } } }]);
      if (m.n % 2) s.properties ??= { a: { type: 'string' } };
      break;
    case 'required-junk':
      s.required = pick([['nope'], [''], 'spec', [1], [], ['a', 'a']]);
      break;
    case 'nullable':
      s.nullable = pick([true, false, 'true']);
      break;
    case 'metadata-schema': {
      const root = nodes[0];
      root.properties ??= {};
      root.properties.metadata = pick([
        { type: 'object', properties: { name: { type: 'string', maxLength: 5 } } },
        { type: 'object', properties: { labels: { type: 'object' } } },
        { type: 'string' },
        { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        { type: 'object', properties: { name: { type: 'string', pattern: '^a' }, generateName: { type: 'string' } } },
      ]);
      break;
    }
    case 'huge-description':
      s.description = 'd'.repeat(10_000 + (m.n % 100_000));
      break;
    case 'delete-type':
      delete s.type;
      break;
    case 'items-array':
      s.items = [{ type: 'string' }, { type: 'integer' }];
      break;
    case 'unknown-keyword':
      s[pick(['x-kubernetes-frob', 'frob', 'x-kubernetes-list-type-typo', '$patch', 'example'])] = m.value;
      break;
  }
}

/** One damage to the rest of a CRD's spec: versions, names, group, scope, conversion, subresources, columns. */
export interface SpecMutation {
  op: (typeof SPEC_OPS)[number];
  n: number;
  value: unknown;
}

const SPEC_OPS = [
  'two-storage',
  'no-storage',
  'no-versions',
  'duplicate-version',
  'bad-version-name',
  'not-served',
  'bad-group',
  'bad-names',
  'scope',
  'conversion-webhook',
  'conversion-junk',
  'preserve-unknown-fields',
  'scale-paths',
  'status-junk',
  'printer-columns',
  'selectable-fields',
  'no-schema',
  'second-version',
  'deprecation',
  'name-mismatch',
  'approval',
] as const;

export const specMutationArb: fc.Arbitrary<SpecMutation> = fc.record({ op: fc.constantFrom(...SPEC_OPS), n: fc.nat({ max: 10_000 }), value: fuzzValue });

/** Applies one spec damage to crd (in place). */
export function mutateSpec(crd: Json, m: SpecMutation): void {
  const spec = crd.spec && typeof crd.spec === 'object' ? crd.spec : (crd.spec = {});
  const versions: Json[] = Array.isArray(spec.versions) ? spec.versions : (spec.versions = []);
  const pick = <T>(xs: readonly T[]) => xs[m.n % xs.length];
  const v0 = versions[0] && typeof versions[0] === 'object' ? versions[0] : undefined;
  switch (m.op) {
    case 'two-storage':
      if (versions.length < 2 && v0) versions.push({ ...structuredClone(v0), name: v0.name === 'v2' ? 'v3' : 'v2' });
      for (const v of versions) if (v && typeof v === 'object') v.storage = true;
      break;
    case 'no-storage':
      for (const v of versions) if (v && typeof v === 'object') v.storage = false;
      break;
    case 'no-versions':
      spec.versions = pick([[], null, {}, 'v1']);
      break;
    case 'duplicate-version':
      if (v0) versions.push({ ...structuredClone(v0), storage: false });
      break;
    case 'bad-version-name':
      if (v0) v0.name = pick(['V1', '1', 'v1.0', 'v1-beta', '', 'v1alpha1beta', 'a'.repeat(70), 'v0', 'v1beta', 'version one']);
      break;
    case 'not-served':
      for (const v of versions) if (v && typeof v === 'object') v.served = false;
      break;
    case 'bad-group':
      spec.group = pick(['nodot', 'UPPER.example.com', '', '.x.com', `${'a'.repeat(260)}.com`, 'k8s.io', 'x.k8s.io', 'apps', 'a_b.example.com', 'example.com.']);
      break;
    case 'bad-names': {
      const names = spec.names && typeof spec.names === 'object' ? spec.names : (spec.names = {});
      Object.assign(
        names,
        pick([{ plural: 'Widgets' }, { kind: 'widget' }, { kind: '' }, { listKind: names.kind }, { singular: 'a.b' }, { shortNames: ['', 'UP'] }, { categories: [''] }, { plural: '' }, { kind: 'List' }, { plural: 'a'.repeat(70) }, { shortNames: 'x' }, { singular: names.plural }]),
      );
      break;
    }
    case 'scope':
      spec.scope = pick(['Frob', '', 'namespaced', 'Cluster', 'Namespaced', null]);
      break;
    case 'conversion-webhook': {
      const webhooks: Json[] = [
        { clientConfig: { url: 'https://convert.example.com/convert' }, conversionReviewVersions: ['v1'] },
        { clientConfig: { url: 'http://insecure.example.com' }, conversionReviewVersions: ['v1'] },
        { clientConfig: { url: 'https://u:p@x.example.com/?q=1#f' }, conversionReviewVersions: ['v1beta1'] },
        { clientConfig: { service: { name: 'svc', namespace: 'default', port: 0 } }, conversionReviewVersions: ['v1'] },
        { clientConfig: { service: { name: 'svc' } }, conversionReviewVersions: ['v2'] },
        { clientConfig: { url: 'https://x.example.com', service: { name: 's', namespace: 'n' } }, conversionReviewVersions: [] },
        { clientConfig: { url: 'https://x.example.com', caBundle: '!!!not base64' }, conversionReviewVersions: ['v1', 'v1'] },
        { clientConfig: { service: { name: 'svc', namespace: 'default', port: 70_000, path: 'no-slash' } }, conversionReviewVersions: ['v1'] },
        {},
      ];
      spec.conversion = { strategy: pick(['Webhook', 'Webhook', 'None']), webhook: webhooks[m.n % webhooks.length] };
      if (m.n % 5 === 0) delete spec.conversion.webhook;
      break;
    }
    case 'conversion-junk':
      spec.conversion = pick([{ strategy: 'Frob' }, { strategy: '' }, {}, 'None', null, { strategy: 'None', webhookClientConfig: {} }]);
      break;
    case 'preserve-unknown-fields':
      spec.preserveUnknownFields = pick([true, false, 'yes']);
      break;
    case 'scale-paths':
      if (v0)
        v0.subresources = {
          ...(v0.subresources ?? {}),
          scale: pick([
            { specReplicasPath: 'spec.replicas', statusReplicasPath: '.status.replicas' },
            { specReplicasPath: '.spec.replicas[0]', statusReplicasPath: '.status.replicas' },
            { specReplicasPath: '.spec.nope', statusReplicasPath: '.status.nope', labelSelectorPath: '.status.nope' },
            { specReplicasPath: '', statusReplicasPath: '' },
            { specReplicasPath: '.metadata.name', statusReplicasPath: '.status.replicas' },
            { specReplicasPath: '.spec.replicas' },
            { specReplicasPath: '.spec.template', statusReplicasPath: '.spec.template' },
          ]),
        };
      break;
    case 'status-junk':
      if (v0) v0.subresources = pick([{ status: { foo: 1 } }, { status: null }, { status: 'yes' }, { frob: {} }, null, []]);
      break;
    case 'printer-columns':
      if (v0)
        v0.additionalPrinterColumns = [
          pick([
            { name: 'X', type: 'string', jsonPath: '{.x}' },
            { name: 'X', type: 'string', jsonPath: '..x' },
            { name: 'X', type: 'string', jsonPath: '.spec[' },
            { name: '', type: 'string', jsonPath: '.spec' },
            { name: 'X', type: 'frob', jsonPath: '.spec' },
            { name: 'X', type: 'integer', format: 'x', jsonPath: '.spec' },
            { name: 'X', type: 'string', priority: -1, jsonPath: '.spec' },
            { name: 'X', type: 'string', jsonPath: '.spec.x[?(@.a=="b")].c' },
            { name: 'X', type: 'date', jsonPath: '.metadata.creationTimestamp' },
            { name: 'X', type: 'string', jsonPath: `.${'a.'.repeat(500)}b` },
          ]),
        ];
      break;
    case 'selectable-fields':
      if (v0) v0.selectableFields = pick([[{ jsonPath: '.spec.nope' }], [{ jsonPath: '.metadata.name' }], [{ jsonPath: 'spec.x' }], [{ jsonPath: '.spec' }], [{ jsonPath: '.spec.replicas' }, { jsonPath: '.spec.replicas' }], 'x', [{}]]);
      break;
    case 'no-schema':
      if (v0) delete v0.schema;
      break;
    case 'second-version':
      if (v0) versions.push({ ...structuredClone(v0), name: pick(['v2', 'v1beta1', 'v1alpha1', 'v10']), storage: false, schema: pick([v0.schema, undefined, { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'string' } } } }]) });
      break;
    case 'deprecation':
      if (v0) Object.assign(v0, pick([{ deprecated: true }, { deprecated: true, deprecationWarning: 'w'.repeat(300) }, { deprecationWarning: 'not deprecated' }, { deprecated: 'yes' }, { deprecated: true, deprecationWarning: '\u0000\n' }]));
      break;
    case 'name-mismatch':
      crd.metadata = { ...(crd.metadata ?? {}), name: pick(['other.example.com', 'widgets', '', 'WIDGETS.g0.crd.fuzz.skiff.dev']) };
      break;
    case 'approval':
      crd.metadata = { ...(crd.metadata ?? {}), annotations: { 'api-approved.kubernetes.io': pick(['unapproved, experimental', 'https://github.com/kubernetes/kubernetes/pull/1', '', 'yes']) } };
      break;
  }
}

/** A CRD the fuzz starts from, moved into fuzz group g<group> with names from NAMES. */
function rebase(base: CustomResourceDefinition, group: number, names: number): Json {
  const crd: Json = structuredClone(base);
  const g = `g${group % GROUPS}.${FUZZ_CRD_GROUP_SUFFIX}`;
  crd.spec.group = g;
  crd.spec.names = structuredClone(NAMES[names % NAMES.length]);
  crd.metadata = { name: `${crd.spec.names.plural}.${g}`, ...(names % 7 === 0 ? { labels: { fuzz: 'yes' } } : {}) };
  delete crd.status;
  return crd;
}

/** A mutated CRD: a base moved into a fuzz group, with schema and spec damage and generic mutations. */
export function crdArbitrary(bases: readonly CustomResourceDefinition[]): fc.Arbitrary<Json> {
  return fc
    .record({
      base: fc.nat({ max: bases.length - 1 }),
      group: fc.nat(),
      names: fc.nat(),
      schema: fc.oneof({ weight: 2, arbitrary: fc.constant<SchemaMutation[]>([]) }, { weight: 5, arbitrary: fc.array(schemaMutationArb, { minLength: 1, maxLength: 3 }) }),
      spec: fc.oneof({ weight: 3, arbitrary: fc.constant<SpecMutation[]>([]) }, { weight: 3, arbitrary: fc.array(specMutationArb, { minLength: 1, maxLength: 2 }) }),
      generic: fc.oneof({ weight: 6, arbitrary: fc.constant<Mutation[]>([]) }, { weight: 1, arbitrary: fc.array(mutationArb, { minLength: 1, maxLength: 2 }) }),
    })
    .map(({ base, group, names, schema, spec, generic }) => {
      const crd = rebase(bases[base], group, names);
      for (const m of schema) mutateSchema(crd, m);
      for (const m of spec) mutateSpec(crd, m);
      return generic.length ? (mutate(crd, generic) as Json) : crd;
    });
}

/** YAML for small documents; JSON (which is YAML too) for big or deep ones, which YAML renders slowly. */
function yamlText(v: unknown): string {
  const json = JSON.stringify(v) ?? 'null';
  if (json.length > 20_000 || jsonNestingDepth(json) > 40) return json;
  return YAML.stringify(v, { lineWidth: 0 });
}

function nameOf(crd: unknown): string | undefined {
  const n = (crd as Json | null)?.metadata?.name;
  return typeof n === 'string' && n ? n : undefined;
}

/** Junk for a CRD's status: the controller reads acceptedNames, conditions and storedVersions back. */
const crdStatusArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    { acceptedNames: { plural: 'other', kind: 'Other' } },
    { acceptedNames: { plural: '', kind: '' }, conditions: [] },
    { acceptedNames: null, conditions: null, storedVersions: null },
    { storedVersions: [] },
    { storedVersions: ['v9'] },
    { conditions: [{ type: 'Established', status: 'True' }] },
    { conditions: [{ type: 'Established', status: 'Frob', lastTransitionTime: 'yesterday' }] },
    { conditions: [{ type: 'Terminating', status: 'True' }, { type: 'NamesAccepted', status: 'False' }] },
    { conditions: 'x', acceptedNames: [] },
    { acceptedNames: { plural: 'gadgets', kind: 'Gadget', shortNames: ['gd'], listKind: 'GadgetList', singular: 'gadget' } },
  ),
  fuzzValue,
);

/** Reads that render every CRD: discovery (both kinds), OpenAPI v2 and v3, and the CRD table. */
function crdReadArbitrary(): fc.Arbitrary<FuzzRequest> {
  const groups = fuzzGroups();
  return fc.record({ g: fc.constantFrom(...groups), v: fc.constantFrom('v1', 'v2', 'v1beta1'), r: fc.constantFrom(...NAMES.map((n) => n.plural)), which: fc.nat({ max: 9 }) }).map(({ g, v, r, which }) => {
    const reads: [string, Record<string, string>][] = [
      ['/apis', {}],
      ['/apis', { accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' }],
      [`/apis/${g}`, {}],
      [`/apis/${g}/${v}`, {}],
      // (the /openapi/v3 index is read once the fuzz is over: each CRD change makes it costly to build)
      [`/openapi/v3/apis/${g}/${v}`, {}],
      [`/openapi/v3/apis/${g}/${v}`, { accept: 'application/com.github.proto-openapi.spec.v3@v1.0+protobuf' }],
      ['/openapi/v2', {}],
      [`/apis/${g}/${v}/${r}`, {}],
      [`/apis/${g}/${v}/namespaces/${FUZZ_NS}/${r}`, { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' }],
      [CRDS_URL, { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' }],
    ];
    const [url, headers] = reads[which];
    return { label: `read ${url}`, method: 'GET', url, headers, write: false };
  });
}

/** Requests that write CRDs: create, update, merge and JSON patch, apply, status writes and delete, plus reads. */
export function crdRequestArbitrary(bases: readonly CustomResourceDefinition[]): fc.Arbitrary<FuzzRequest> {
  const crd = crdArbitrary(bases);
  const fv = fc.constantFrom('', '', '?fieldValidation=Strict', '?fieldValidation=Ignore', '?dryRun=All');
  const create = fc.record({ crd, yaml: fc.boolean(), q: fv }).map(({ crd, yaml, q }) => ({
    label: 'create crd',
    method: 'POST',
    url: CRDS_URL + q,
    headers: { 'content-type': yaml ? 'application/yaml' : 'application/json' },
    body: yaml ? yamlText(crd) : JSON.stringify(crd),
    target: `${CRDS_URL}/${encodeName(nameOf(crd))}`,
    write: true,
  }));
  const update = fc.record({ crd, q: fv }).map(({ crd, q }) => ({
    label: 'update crd',
    method: 'PUT',
    url: `${CRDS_URL}/${encodeName(nameOf(crd))}${q}`,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(crd),
    target: `${CRDS_URL}/${encodeName(nameOf(crd))}`,
    write: true,
  }));
  const merge = fc.record({ crd, q: fv, whole: fc.boolean() }).map(({ crd, q, whole }) => ({
    label: 'merge patch crd',
    method: 'PATCH',
    url: `${CRDS_URL}/${encodeName(nameOf(crd))}${q}`,
    headers: { 'content-type': 'application/merge-patch+json' },
    body: JSON.stringify(whole ? crd : { spec: crd?.spec ?? null }),
    target: `${CRDS_URL}/${encodeName(nameOf(crd))}`,
    write: true,
  }));
  const jsonPatch = fc.record({ crd, path: fc.constantFrom('/spec/versions/0/schema/openAPIV3Schema', '/spec/versions/0', '/spec/names', '/spec/versions/-', '/spec/scope', '/spec/conversion', '/status'), op: fc.constantFrom('replace', 'add', 'remove') }).map(({ crd, path, op }) => {
    const value = path.split('/').slice(1).reduce<any>((x, k) => (k === '-' ? x?.[0] : x?.[k]), crd);
    return {
      label: 'json patch crd',
      method: 'PATCH',
      url: `${CRDS_URL}/${encodeName(nameOf(crd))}`,
      headers: { 'content-type': 'application/json-patch+json' },
      body: JSON.stringify([{ op, path, value: value ?? null }]),
      target: `${CRDS_URL}/${encodeName(nameOf(crd))}`,
      write: true,
    };
  });
  const apply = fc.record({ crd, force: fc.boolean(), manager: fc.constantFrom('fuzz-crd', 'other-crd') }).map(({ crd, force, manager }) => ({
    label: 'apply crd',
    method: 'PATCH',
    url: `${CRDS_URL}/${encodeName(nameOf(crd))}?fieldManager=${manager}${force ? '&force=true' : ''}`,
    headers: { 'content-type': 'application/apply-patch+yaml' },
    body: yamlText(crd),
    target: `${CRDS_URL}/${encodeName(nameOf(crd))}`,
    write: true,
  }));
  const status = fc.record({ crd, status: crdStatusArb, patch: fc.boolean() }).map(({ crd, status, patch }) => ({
    label: 'status crd',
    method: patch ? 'PATCH' : 'PUT',
    url: `${CRDS_URL}/${encodeName(nameOf(crd))}/status`,
    headers: { 'content-type': patch ? 'application/merge-patch+json' : 'application/json' },
    body: JSON.stringify(patch ? { status } : { ...crd, status }),
    target: `${CRDS_URL}/${encodeName(nameOf(crd))}`,
    write: true,
  }));
  const del = crd.map((crd) => ({ label: 'delete crd', method: 'DELETE', url: `${CRDS_URL}/${encodeName(nameOf(crd))}`, headers: {}, target: `${CRDS_URL}/${encodeName(nameOf(crd))}`, write: true }));
  return fc.oneof(
    { weight: 10, arbitrary: create },
    { weight: 2, arbitrary: update },
    { weight: 3, arbitrary: merge },
    { weight: 2, arbitrary: jsonPatch },
    { weight: 3, arbitrary: apply },
    { weight: 2, arbitrary: status },
    { weight: 2, arbitrary: del },
    { weight: 2, arbitrary: crdReadArbitrary() },
  );
}

// ---- custom resources of fuzzed CRDs ----

/** How deep instanceArb follows a schema before it stops describing the data. */
const MAX_INSTANCE_DEPTH = 24;

/**
 * Values shaped by a schema (mostly conforming, sometimes not): objects with its properties,
 * arrays of its items, enum members, integers within its bounds, preserved unknown fields. Custom
 * resources built from them reach the decoding, defaulting, validation, pruning and printing of
 * whatever schema the CRD fuzz got accepted.
 */
export function instanceArb(s: unknown, depth = 0): fc.Arbitrary<unknown> {
  if (!s || typeof s !== 'object' || Array.isArray(s) || depth > MAX_INSTANCE_DEPTH) return fc.jsonValue({ maxDepth: 1 });
  const schema = s as Json;
  const conforming = conformingArb(schema, depth);
  return fc.oneof({ weight: 9, arbitrary: conforming }, { weight: 1, arbitrary: fuzzValue });
}

function conformingArb(s: Json, depth: number): fc.Arbitrary<unknown> {
  if (Array.isArray(s.enum) && s.enum.length) return fc.constantFrom(...s.enum.slice(0, 50));
  if (s['x-kubernetes-int-or-string']) return fc.oneof(fc.integer({ min: -5, max: 100 }), fc.constantFrom('10%', 'http', ''));
  const type = s.type ?? (s.properties ? 'object' : s.items ? 'array' : undefined);
  switch (type) {
    case 'object': {
      const props = isPlainObject(s.properties) ? Object.entries(s.properties).filter(([k]) => k !== 'metadata' && k !== 'apiVersion' && k !== 'kind').slice(0, 16) : [];
      const required = new Set(Array.isArray(s.required) ? s.required : []);
      const named = fc.record(Object.fromEntries(props.map(([k, p]) => [k, instanceArb(p, depth + 1)])), { requiredKeys: props.map(([k]) => k).filter((k) => required.has(k)) });
      const extra = isPlainObject(s.additionalProperties)
        ? fc.dictionary(fc.constantFrom('a', 'b', 'key.with.dots', ''), instanceArb(s.additionalProperties, depth + 1), { maxKeys: 3 })
        : s['x-kubernetes-preserve-unknown-fields'] === true
          ? fc.dictionary(fc.constantFrom('free', 'x', 'nested'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 2 })
          : fc.constant({});
      return fc.tuple(named, extra).map(([a, b]) => ({ ...b, ...a }));
    }
    case 'array':
      return fc.array(instanceArb(Array.isArray(s.items) ? s.items[0] : s.items, depth + 1), { maxLength: 3 });
    case 'string':
      if (s.format === 'date-time') return fc.constantFrom('2026-01-01T00:00:00Z', 'yesterday');
      return fc.string({ maxLength: typeof s.maxLength === 'number' && s.maxLength >= 0 ? Math.min(s.maxLength + 1, 20) : 12 });
    case 'integer': {
      const min = typeof s.minimum === 'number' ? Math.ceil(s.minimum) : -10;
      const max = typeof s.maximum === 'number' ? Math.floor(s.maximum) : 1000;
      return min <= max ? fc.integer({ min, max }) : fc.integer();
    }
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 });
    case 'boolean':
      return fc.boolean();
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function isPlainObject(v: unknown): v is Json {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Requests that write and read custom resources of a stored, Established CRD: objects built from
 * each served version's schema, created, applied, merge-patched, written to status and scale, and
 * listed as a Table (its printer columns). Deterministic for a seed.
 */
export function customResourceRequests(crd: CustomResourceDefinition, seed: number, count: number): FuzzRequest[] {
  const out: FuzzRequest[] = [];
  for (const info of crdResources(crd)) {
    const version = crd.spec.versions.find((v) => v.name === info.version);
    const schema = version?.schema?.openAPIV3Schema as Json | undefined;
    const props = isPlainObject(schema?.properties) ? schema.properties : {};
    const body = fc.record({ spec: instanceArb(props.spec ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }), status: instanceArb(props.status), rest: instanceArb({ ...(schema ?? {}), properties: Object.fromEntries(Object.entries(props).filter(([k]) => !['spec', 'status', 'metadata', 'apiVersion', 'kind'].includes(k))) }), n: fc.nat({ max: 3 }), verb: fc.nat({ max: 5 }) });
    const coll = collectionUrl(info, FUZZ_NS);
    const apiVersion = `${info.group}/${info.version}`;
    for (const { spec, status, rest, n, verb } of fc.sample(body, { seed, numRuns: count })) {
      const name = `cr${n}`;
      const obj: Json = { ...(isPlainObject(rest) ? rest : {}), apiVersion, kind: info.kind, metadata: { name }, ...(spec === undefined ? {} : { spec }), ...(status === undefined ? {} : { status }) };
      const url = `${coll}/${name}`;
      const requests: FuzzRequest[] = [
        { label: `create ${info.resource}`, method: 'POST', url: coll, headers: { 'content-type': 'application/json' }, body: JSON.stringify(obj), target: url, write: true },
        { label: `apply ${info.resource}`, method: 'PATCH', url: `${url}?fieldManager=fuzz-cr&force=true`, headers: { 'content-type': 'application/apply-patch+yaml' }, body: yamlText(obj), target: url, write: true },
        { label: `merge patch ${info.resource}`, method: 'PATCH', url, headers: { 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ spec: spec ?? null }), target: url, write: true },
        { label: `update ${info.resource}`, method: 'PUT', url: `${url}?fieldValidation=Strict`, headers: { 'content-type': 'application/json' }, body: JSON.stringify(obj), target: url, write: true },
        { label: `status ${info.resource}`, method: 'PATCH', url: `${url}/status`, headers: { 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ status: status ?? null }), target: url, write: true },
        { label: `scale ${info.resource}`, method: 'PATCH', url: `${url}/scale`, headers: { 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ spec: { replicas: n } }), target: url, write: true },
      ];
      // The object first (when it does not exist yet), then one of the other writes.
      out.push(requests[0]);
      if (verb > 0) out.push(requests[verb]);
    }
    out.push({ label: `table ${info.resource}`, method: 'GET', url: coll, headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' }, write: false });
    out.push({ label: `table ${info.resource}`, method: 'GET', url: `/apis/${info.group}/${info.version}/${info.resource}`, headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' }, write: false });
  }
  return out;
}
