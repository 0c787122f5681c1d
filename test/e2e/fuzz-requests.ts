// Random and mutated Kubernetes API requests for the robustness fuzz tests: valid objects of the
// built-in kinds (the seed fixtures plus a few workload kinds) and of custom resources, with fields
// dropped, replaced, retyped, blown up or nested deep, sent as create/update/patch (all four types,
// server-side apply included)/delete/list/watch with random query parameters and headers, to the
// right paths and to wrong ones.
import fc from 'fast-check';
import YAML from 'yaml';
import { findByKind, type ResourceInfo } from '../../src/api/resources.js';
import { jsonNestingDepth } from '../../src/apimachinery/json-depth.js';
import { seedFixtures } from '../fixtures/fixtures.js';

/** The namespace the fuzzers seed and mostly aim at. */
export const FUZZ_NS = 'fuzz';

/** One request to send. */
export interface FuzzRequest {
  /** What the generator meant to do, for failure messages. */
  label: string;
  method: string;
  /** Path, already percent-encoded where it should be (raw junk stays raw), plus query string. */
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** The URL of the object a write may touch (for before/after comparison), when there is one. */
  target?: string;
  /** True when the request is a write (anything but GET/HEAD). */
  write: boolean;
  /** An extra expectation on the answer: returns why it is wrong, or undefined. */
  expect?: (status: number, text: string) => string | undefined;
}

/** A valid object of a built-in kind and where it lives. */
export interface SeedObject {
  obj: Record<string, any>;
  info: ResourceInfo;
  /** The collection URL in FUZZ_NS (or cluster-scoped). */
  collection: string;
  name: string;
}

const labels = (app: string) => ({ app });
const podSpec = (app: string) => ({
  containers: [
    {
      name: 'app',
      image: 'nginx:1.27',
      ports: [{ containerPort: 80, name: 'http' }],
      env: [{ name: 'A', value: 'b' }],
      resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: 1 } },
    },
  ],
  volumes: [{ name: 'data', emptyDir: {} }],
  tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }],
});

/** Workload and core kinds the seed fixtures lack. */
const EXTRA_SEEDS: Record<string, any>[] = [
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: labels('web'), annotations: { note: 'x' } },
    spec: { replicas: 2, selector: { matchLabels: labels('web') }, template: { metadata: { labels: labels('web') }, spec: podSpec('web') } },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db' },
    spec: {
      serviceName: 'db',
      replicas: 1,
      selector: { matchLabels: labels('db') },
      template: { metadata: { labels: labels('db') }, spec: podSpec('db') },
      volumeClaimTemplates: [{ metadata: { name: 'pgdata' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent' },
    spec: { selector: { matchLabels: labels('agent') }, template: { metadata: { labels: labels('agent') }, spec: podSpec('agent') } },
  },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pod', labels: labels('pod') }, spec: podSpec('pod') },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'svc' },
    spec: { selector: labels('web'), ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }], type: 'ClusterIP' },
  },
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, type: 'Opaque', data: { password: 'c2VjcmV0' }, stringData: { user: 'admin' } },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { a: 'b' }, binaryData: { bin: 'AAE=' } },
  {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'pdb' },
    spec: { minAvailable: 1, selector: { matchLabels: labels('web') } },
  },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'ing' },
    spec: { rules: [{ host: 'example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'svc', port: { number: 80 } } } }] } }] },
  },
  { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'lease' }, spec: { holderIdentity: 'me', leaseDurationSeconds: 15 } },
  { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'fuzz-high' }, value: 1000, description: 'fuzz' },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fuzz-other', labels: { team: 'a' } } },
  {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'job' },
    spec: { backoffLimit: 2, template: { spec: { ...podSpec('job'), restartPolicy: 'Never' } } },
  },
  {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: { name: 'limits' },
    spec: { limits: [{ type: 'Container', default: { cpu: '500m' }, defaultRequest: { cpu: '100m' } }] },
  },
];

/** The URL of a resource's collection in a namespace (or cluster-scoped). */
export function collectionUrl(info: ResourceInfo, namespace: string): string {
  const base = info.group ? `/apis/${info.group}/${info.version}` : `/api/${info.version}`;
  return info.namespaced ? `${base}/namespaces/${namespace}/${info.resource}` : `${base}/${info.resource}`;
}

/** The valid objects the fuzzers start from: every built-in seed fixture plus EXTRA_SEEDS, moved into FUZZ_NS. */
export function seedObjects(): SeedObject[] {
  const docs: Record<string, any>[] = [];
  for (const f of seedFixtures('builtin')) for (const d of f.docs) docs.push(d as Record<string, any>);
  docs.push(...EXTRA_SEEDS);
  const out: SeedObject[] = [];
  const seen = new Set<string>();
  for (const doc of docs) {
    const [group, version] = String(doc.apiVersion).includes('/') ? String(doc.apiVersion).split('/') : ['', String(doc.apiVersion)];
    const info = findByKind(group, version, doc.kind);
    if (!info) continue;
    const obj = structuredClone(doc);
    if (info.namespaced) obj.metadata.namespace = FUZZ_NS;
    const key = `${info.resource}/${obj.metadata.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ obj, info, collection: collectionUrl(info, FUZZ_NS), name: obj.metadata.name });
  }
  return out;
}

// ---- values ----

const WEIRD_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\uD800',
  '\uDFFF\uD800',
  '😀👩‍👩‍👧',
  '\u202Eevil',
  'ÄÖÜß',
  '../../etc/passwd',
  '%zz',
  '%00',
  '\\',
  '"',
  '{}',
  'null',
  '-1',
  '1e309',
  'NaN',
  '${jndi}',
  'A_B',
  'a'.repeat(64),
  'a'.repeat(254),
  'a.'.repeat(200),
  '0x10',
  '1.5',
  '10Gi',
  '-5m',
  'RollingUpdate',
  'Always',
];

const weirdString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...WEIRD_STRINGS) },
  { weight: 3, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 200_000 }).map((n) => 'x'.repeat(n)) },
);

const weirdNumber = fc.oneof(
  fc.constantFrom(0, -1, 1, 2147483647, 2147483648, -2147483649, 9007199254740993, 1e308, -1e-7, 0.5, 1e21),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** A JSON value nested `depth` levels deep, as arrays or objects. */
function nested(depth: number, asArray: boolean): unknown {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { n: v };
  return v;
}

// JSON.stringify recurses, so values built as objects stay under ~1000 levels; deeper documents are
// generated as text (deepText) and only ever parsed by the server.
const deepValue = fc.tuple(fc.integer({ min: 50, max: 1000 }), fc.boolean()).map(([d, a]) => nested(d, a));

/** A JSON document nested up to 100000 levels, as text: `{"a":{"a":...1...}}` or `[[[...]]]`. */
export const deepText = fc.tuple(fc.integer({ min: 1000, max: 100_000 }), fc.boolean()).map(([d, a]) => (a ? '['.repeat(d) + ']'.repeat(d) : '{"a":'.repeat(d) + '1' + '}'.repeat(d)));

const smallJson = fc.jsonValue({ maxDepth: 3 });

/** Any value a field might be replaced with. */
export const fuzzValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: weirdString },
  { weight: 3, arbitrary: weirdNumber },
  { weight: 2, arbitrary: fc.constantFrom(null, true, false, [], {}, [null], { '': null }) },
  { weight: 3, arbitrary: smallJson },
  { weight: 1, arbitrary: deepValue },
);

// ---- mutations ----

type Path = (string | number)[];

/** Every path into a JSON value (objects and arrays), root excluded, capped for speed. */
export function pathsOf(v: unknown, limit = 400): Path[] {
  const out: Path[] = [];
  const walk = (x: unknown, p: Path) => {
    if (out.length >= limit) return;
    if (Array.isArray(x)) x.forEach((e, i) => (out.push([...p, i]), walk(e, [...p, i])));
    else if (x && typeof x === 'object') for (const [k, e] of Object.entries(x)) (out.push([...p, k]), walk(e, [...p, k]));
  };
  walk(v, []);
  return out;
}

const OPS = ['delete', 'null', 'replace', 'retype', 'unknown-field', 'huge', 'deep', 'wrap-array', 'to-object'] as const;

/** One mutation: an op at the n-th path (modulo the count), with a value to use. */
export interface Mutation {
  op: (typeof OPS)[number];
  at: number;
  value: unknown;
  key: string;
}

export const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom(...OPS),
  at: fc.nat(),
  value: fuzzValue,
  key: fc.oneof(fc.constantFrom('foo', 'spec', '$patch', 'apiVersion', 'metadata', 'status', ''), fc.string({ maxLength: 8 })),
});

function getAt(root: any, p: Path): any {
  let cur = root;
  for (const k of p) cur = cur?.[k];
  return cur;
}

function retype(v: unknown): unknown {
  if (typeof v === 'string') return v.length % 2 ? 42 : [v];
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 0;
  if (Array.isArray(v)) return { 0: v[0] ?? null };
  if (v && typeof v === 'object') return Object.values(v);
  return 'null';
}

/** Applies mutations to a copy of obj. */
export function mutate(obj: unknown, mutations: Mutation[]): unknown {
  let root: any = structuredClone(obj);
  for (const m of mutations) {
    const paths = pathsOf(root);
    if (paths.length === 0) {
      root = structuredClone(m.value);
      continue;
    }
    const p = paths[m.at % paths.length];
    const parent = getAt(root, p.slice(0, -1));
    const last = p[p.length - 1];
    if (parent === null || typeof parent !== 'object') continue;
    const current = parent[last];
    switch (m.op) {
      case 'delete':
        if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else delete parent[last];
        break;
      case 'null':
        parent[last] = null;
        break;
      case 'replace':
        parent[last] = structuredClone(m.value);
        break;
      case 'retype':
        parent[last] = retype(current);
        break;
      case 'unknown-field':
        if (current && typeof current === 'object' && !Array.isArray(current)) current[m.key] = structuredClone(m.value);
        else parent[m.key] = structuredClone(m.value);
        break;
      case 'huge':
        parent[last] = 'h'.repeat(50_000 + (m.at % 100_000));
        break;
      case 'deep':
        parent[last] = nested(100 + (m.at % 900), m.at % 2 === 0);
        break;
      case 'wrap-array':
        parent[last] = [current];
        break;
      case 'to-object':
        parent[last] = { value: current };
        break;
    }
  }
  return root;
}

// ---- query parameters and headers ----

const QUERY_VALUES: Record<string, string[]> = {
  dryRun: ['All', 'all', 'Partial', ''],
  fieldValidation: ['Strict', 'Warn', 'Ignore', 'strict', 'Bogus', ''],
  fieldManager: ['kubectl', 'x'.repeat(200), '\u0000'],
  resourceVersion: ['0', '', '1', 'abc', '-1', '99999999999', '18446744073709551616', '1.5', ' 1'],
  resourceVersionMatch: ['Exact', 'NotOlderThan', 'Newest', ''],
  limit: ['1', '0', '-5', '500', 'ten', '9999999999999999999', '2.5'],
  continue: ['', 'abc', 'eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MSwic3RhcnQiOiIuLi8uLiJ9', 'eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6LTEsInN0YXJ0IjoieCJ9', '%%%'],
  labelSelector: ['app=web', 'app in (web,db)', 'app in web', '!app', 'app!=', '=x', 'a,,b', 'x'.repeat(80) + '=y', 'app notin ()', 'app=(', 'a=b=c', '-bad=x'],
  fieldSelector: ['metadata.name=web', 'metadata.name', 'spec.nodeName=n1', 'status.phase!=Running', 'foo=bar', 'metadata.name==x', 'a=b,c', '=', 'metadata.namespace=fuzz'],
  watch: ['true', '1', 'false', 'yes'],
  timeoutSeconds: ['0', '1', '-1', 'x', '99999999999'],
  allowWatchBookmarks: ['true', 'false', 'x'],
  sendInitialEvents: ['true', 'false', 'x'],
  propagationPolicy: ['Orphan', 'Background', 'Foreground', 'Sometimes', ''],
  gracePeriodSeconds: ['0', '30', '-1', 'x', '1e9'],
  orphanDependents: ['true', 'false', 'x'],
  pretty: ['true', 'x'],
  includeObject: ['None', 'Metadata', 'Object', 'Bogus'],
  force: ['true', 'x'],
};

const randomQuery = fc
  .array(fc.tuple(fc.constantFrom(...Object.keys(QUERY_VALUES), 'bogus', '%zz'), fc.nat(), fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: weirdString })), { maxLength: 4 })
  .map((entries) => {
    const q = new URLSearchParams();
    for (const [k, i, raw] of entries) {
      const values = QUERY_VALUES[k] ?? ['x'];
      q.append(k, raw ?? values[i % values.length]);
    }
    return q;
  });

/** Half the requests carry no query at all, so valid requests reach the handlers' success paths. */
const queryArb = fc.oneof(fc.constant(null).map(() => new URLSearchParams()), randomQuery);

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/yaml',
  'application/vnd.kubernetes.protobuf',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/json-patch+json',
  'application/apply-patch+yaml',
  'text/plain',
  '*/*',
  'garbage',
  ';;;',
];
const ACCEPTS = [
  'application/json',
  'application/yaml',
  'application/json;as=Table;v=v1;g=meta.k8s.io',
  'application/json;as=Table;v=v1beta1;g=meta.k8s.io, application/json',
  'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io',
  'application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io',
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
  'application/vnd.kubernetes.protobuf',
  'text/html',
  '*/*',
  ';q=',
];

const randomHeaders = fc.record(
  {
    'content-type': fc.constantFrom(...CONTENT_TYPES),
    accept: fc.constantFrom(...ACCEPTS),
    'user-agent': weirdString.filter((s) => /^[\x20-\x7e]*$/.test(s) && s.length < 200),
  },
  { requiredKeys: [] },
);

const headersArb = fc.oneof(fc.constant(null).map((): Record<string, string> => ({})), randomHeaders);

// ---- paths ----

const BAD_NAMESPACES = ['UPPER', 'missing-ns', 'kube-system', '%zz', 'a'.repeat(300), '..', 'default', '%F0%9F%98%80'];

const JUNK_PATHS = [
  '/',
  '/api',
  '/apis',
  '/version',
  '/readyz',
  '/livez?verbose',
  '/openapi/v2',
  '/openapi/v3',
  '/openapi/v3/apis/apps/v1',
  '/openapi/v3/apis/frob',
  '/apis/frob.example.com/v1',
  '/apis/apps/v9/deployments',
  '/apis//v1/x',
  '/api/v1/namespaces/fuzz/frobnicators',
  '/api/v1/namespaces/%zz/configmaps',
  '/api/v1/namespaces/fuzz/configmaps/%zz',
  '/api/v1/namespaces/fuzz/configmaps/a/b/c/d',
  '/api/v1/namespaces/fuzz/pods/pod/log',
  '/api/v1/namespaces/fuzz/pods/pod/binding',
  '/api/v1/namespaces/fuzz/pods/pod/eviction',
  '/api/v1/namespaces/fuzz/pods/pod/status',
  '/api/v1/namespaces/fuzz/pods/pod/exec',
  '/api/v1/namespaces/fuzz/serviceaccounts/default/token',
  '/apis/apps/v1/namespaces/fuzz/deployments/web/scale',
  '/apis/apps/v1/namespaces/fuzz/deployments/web/status',
  '/apis/apps/v1/namespaces/fuzz/deployments/web/rollback',
  '/apis/apps/v1/namespaces/fuzz/statefulsets/db/scale',
  '/api/v1/namespaces/fuzz/finalize',
  '/api/v1/namespaces/fuzz/status',
  '/api/v1/nodes/n1/proxy/x',
  '/apis/storage.k8s.io/v1/namespaces/fuzz/storageclasses',
  '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
  '/apis/authorization.k8s.io/v1/namespaces/fuzz/localsubjectaccessreviews',
  '/apis/authentication.k8s.io/v1/selfsubjectreviews',
  '/api/v1/watch/namespaces/fuzz/configmaps',
  '/api/v1/namespaces/fuzz/configmaps/cfg/status',
  '/api/v1/namespaces/fuzz/configmaps/',
  '//api//v1//namespaces',
];

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'FROB'];

/** A body that is not what the content type says: junk text, bytes, arrays, scalars, huge documents. */
const junkBody = fc.oneof(
  fc.constantFrom('', '{', '[', 'null', '42', '"x"', '[]', '{}', '{"a":1,"a":2}', '\uFEFF{}', '---\n---\n', 'a: [b', 'a:\n\tb: c', '- 1\n- 2', '{"kind":"Status"}'),
  weirdString,
  smallJson.map((v) => JSON.stringify(v)),
  fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString('latin1')),
  deepValue.map((v) => JSON.stringify(v)),
  deepText,
);

// ---- requests ----

/** A JSON patch operation list: real ops on real paths, or nonsense. */
function jsonPatchArb(seed: SeedObject): fc.Arbitrary<string> {
  const paths = pathsOf(seed.obj).map((p) => '/' + p.map((s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('/'));
  const op = fc.record(
    {
      op: fc.constantFrom('add', 'remove', 'replace', 'move', 'copy', 'test', 'frob', ''),
      path: fc.oneof(fc.constantFrom(...paths, '', '/', '/-', '/metadata/name', '/spec/x/y', '/metadata/labels/a~1b', '~', '/data/-'), weirdString),
      from: fc.constantFrom(...paths, '/nope'),
      value: fuzzValue,
    },
    { requiredKeys: ['op'] },
  );
  return fc.oneof(
    { weight: 5, arbitrary: fc.array(op, { maxLength: 4 }).map((ops) => JSON.stringify(ops)) },
    { weight: 1, arbitrary: fuzzValue.map((v) => JSON.stringify(v)) },
  );
}

/** A strategic-merge-patch directive sprinkled into a patch. */
const directiveArb = fc.record({
  key: fc.constantFrom('$patch', '$retainKeys', '$setElementOrder/containers', '$deleteFromPrimitiveList/finalizers', '$setElementOrder/ports', '$deleteFromPrimitiveList/args'),
  value: fc.oneof(fc.constantFrom('replace', 'delete', 'merge', 'frob', ['name'], [{ name: 'app' }], 1), fuzzValue),
  at: fc.nat(),
});

function withDirectives(patch: unknown, directives: { key: string; value: unknown; at: number }[]): unknown {
  if (!patch || typeof patch !== 'object') return patch;
  const objects: Record<string, unknown>[] = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      objects.push(x as Record<string, unknown>);
      Object.values(x).forEach(walk);
    }
  };
  walk(patch);
  for (const d of directives) if (objects.length) objects[d.at % objects.length][d.key] = structuredClone(d.value);
  return patch;
}

/** A name as a path segment; lone surrogates (which encodeURIComponent refuses) become U+FFFD, as a client's UTF-8 encoder makes them. */
export function encodeName(name: unknown): string {
  const text = typeof name === 'string' && name ? name : 'x';
  return encodeURIComponent(text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));
}

/** Requests built from one seed object. */
function seededRequest(seed: SeedObject): fc.Arbitrary<FuzzRequest> {
  // Unmutated objects keep the success paths (and re-creation after deletes) well exercised.
  const mutations = fc.oneof({ weight: 2, arbitrary: fc.constant<Mutation[]>([]) }, { weight: 5, arbitrary: fc.array(mutationArb, { minLength: 1, maxLength: 4 }) });
  const mutated = mutations.map((ms) => mutate(seed.obj, ms) as Record<string, any>);
  const objectUrl = `${seed.collection}/${encodeName(seed.name)}`;
  const namespaceSwap = fc.oneof({ weight: 7, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(...BAD_NAMESPACES) });
  const where = (ns: string | null, url: string) => (ns && seed.info.namespaced ? url.replace(`/namespaces/${FUZZ_NS}/`, `/namespaces/${ns}/`) : url);
  const bodyText = (v: unknown, yaml: boolean) => (yaml ? toYamlish(v) : JSON.stringify(v) ?? 'null');
  const contentType = fc.oneof({ weight: 8, arbitrary: fc.constant('application/json') }, { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) });

  const create = fc.record({ body: mutated, q: queryArb, h: headersArb, ns: namespaceSwap, ct: contentType }).map(({ body, q, h, ns, ct }) => {
    const name = body && typeof body === 'object' ? body.metadata?.name : undefined;
    const collection = where(ns, seed.collection);
    return {
      label: `create ${seed.info.resource}`,
      method: 'POST',
      url: withQuery(collection, q),
      headers: { ...h, 'content-type': ct },
      body: bodyText(body, ct === 'application/yaml'),
      target: typeof name === 'string' && name ? `${collection}/${encodeName(name)}` : undefined,
      write: true,
    };
  });

  const update = fc
    .record({ body: mutated, q: queryArb, h: headersArb, ns: namespaceSwap, rv: fc.oneof({ weight: 2, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom('1', 'abc', '', '99999999') }), ct: contentType })
    .map(({ body, q, h, ns, rv, ct }) => {
      if (rv !== null && body && typeof body === 'object' && body.metadata && typeof body.metadata === 'object') body.metadata.resourceVersion = rv;
      const url = where(ns, objectUrl);
      return { label: `update ${seed.info.resource}`, method: 'PUT', url: withQuery(url, q), headers: { ...h, 'content-type': ct }, body: bodyText(body, ct === 'application/yaml'), target: url, write: true };
    });

  const mergeLike = fc
    .record({ body: mutated, keep: fc.array(fc.nat(), { maxLength: 3 }), directives: fc.array(directiveArb, { maxLength: 2 }), strategic: fc.boolean(), q: queryArb, h: headersArb, ns: namespaceSwap })
    .map(({ body, keep, directives, strategic, q, h, ns }) => {
      // A patch is a fragment of the mutated object: some top-level keys of it.
      let patch: unknown = body;
      if (body && typeof body === 'object' && !Array.isArray(body) && keep.length) {
        const keys = Object.keys(body);
        patch = Object.fromEntries(keep.filter(() => keys.length).map((i) => [keys[i % keys.length], body[keys[i % keys.length]]]));
      }
      if (strategic) patch = withDirectives(patch, directives);
      const url = where(ns, objectUrl);
      return {
        label: `${strategic ? 'strategic' : 'merge'} patch ${seed.info.resource}`,
        method: 'PATCH',
        url: withQuery(url, q),
        headers: { ...h, 'content-type': strategic ? 'application/strategic-merge-patch+json' : 'application/merge-patch+json' },
        body: JSON.stringify(patch) ?? 'null',
        target: url,
        write: true,
        // Custom resources take no strategic merge patch: the patch handler's first check says so
        // (only a URL Go cannot parse, with a bad percent-escape, fails before it).
        ...(strategic && seed.info.custom && !/%(?![0-9a-fA-F]{2})/.test(url) ? { expect: expectStatus(415) } : {}),
      };
    });

  const jsonPatch = fc.record({ body: jsonPatchArb(seed), q: queryArb, h: headersArb, ns: namespaceSwap }).map(({ body, q, h, ns }) => {
    const url = where(ns, objectUrl);
    return { label: `json patch ${seed.info.resource}`, method: 'PATCH', url: withQuery(url, q), headers: { ...h, 'content-type': 'application/json-patch+json' }, body, target: url, write: true };
  });

  const scale = fc.record({ replicas: fuzzValue, q: queryArb, patch: fc.boolean() }).map(({ replicas, q, patch }) => {
    const url = `${objectUrl}/scale`;
    const body = patch ? JSON.stringify({ spec: { replicas } }) : JSON.stringify({ apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: seed.name, namespace: FUZZ_NS }, spec: { replicas } });
    return {
      label: `scale ${seed.info.resource}`,
      method: patch ? 'PATCH' : 'PUT',
      url: withQuery(url, q),
      headers: { 'content-type': patch ? 'application/merge-patch+json' : 'application/json' },
      body,
      target: objectUrl,
      write: true,
    };
  });

  const status = fc.record({ body: mutated, q: queryArb, patch: fc.boolean() }).map(({ body, q, patch }) => ({
    label: `status ${seed.info.resource}`,
    method: patch ? 'PATCH' : 'PUT',
    url: withQuery(`${objectUrl}/status`, q),
    headers: { 'content-type': patch ? 'application/merge-patch+json' : 'application/json' },
    body: JSON.stringify(patch ? { status: body?.status ?? body } : body) ?? 'null',
    target: objectUrl,
    write: true,
  }));

  const del = fc.record({ body: fc.option(fc.oneof(junkBody, fuzzValue.map((v) => JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', preconditions: v, propagationPolicy: v, gracePeriodSeconds: v }))), { freq: 2 }), q: queryArb, ns: namespaceSwap }).map(({ body, q, ns }) => {
    const url = where(ns, objectUrl);
    return { label: `delete ${seed.info.resource}`, method: 'DELETE', url: withQuery(url, q), headers: { 'content-type': 'application/json' }, body: body ?? undefined, target: url, write: true };
  });

  const read = fc.record({ kind: fc.constantFrom('get', 'list', 'watch'), q: queryArb, h: headersArb, ns: namespaceSwap }).map(({ kind, q, h, ns }) => {
    if (kind === 'watch') q.set('watch', 'true');
    const url = kind === 'get' ? where(ns, objectUrl) : where(ns, seed.collection);
    return { label: `${kind} ${seed.info.resource}`, method: 'GET', url: withQuery(url, q), headers: h, write: false };
  });

  // A valid object with one field replaced by a document nested far deeper than any stringify can follow.
  const deep = fc.record({ text: deepText, at: fc.nat(), method: fc.constantFrom('POST', 'PUT', 'PATCH'), q: queryArb }).map(({ text, at, method, q }) => {
    const marker = '"__deep__"';
    const paths = pathsOf(seed.obj).filter((p) => p.length > 1);
    const copy: any = structuredClone(seed.obj);
    const p = paths[at % paths.length];
    let parent = copy;
    for (const k of p.slice(0, -1)) parent = parent[k];
    parent[p[p.length - 1]] = '__deep__';
    const body = JSON.stringify(copy).replace(marker, text);
    const url = method === 'POST' ? seed.collection : objectUrl;
    return {
      label: `deep ${method} ${seed.info.resource} at ${p.join('.')}`,
      method,
      url: withQuery(url, q),
      headers: { 'content-type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json' },
      body,
      target: objectUrl,
      write: true,
    };
  });

  const hasScale = seed.info.subresources.some((s) => s.name === 'scale');
  const hasStatus = seed.info.subresources.some((s) => s.name === 'status');
  return fc.oneof(
    { weight: 4, arbitrary: applyRequest(seed) },
    { weight: 6, arbitrary: create },
    { weight: 4, arbitrary: update },
    { weight: 5, arbitrary: mergeLike },
    { weight: 3, arbitrary: jsonPatch },
    { weight: hasScale ? 1 : 0, arbitrary: scale },
    { weight: hasStatus ? 1 : 0, arbitrary: status },
    { weight: 2, arbitrary: del },
    { weight: 4, arbitrary: read },
    { weight: 1, arbitrary: deep },
  );
}

/** An expectation that the answer has exactly this status. */
function expectStatus(code: number): (status: number) => string | undefined {
  return (status) => (status === code ? undefined : `expected ${code}, got ${status}`);
}

// ---- server-side apply ----

/** fieldManager values: a good one mostly, absent, empty, too long (128 is the limit), odd characters. */
const fieldManagerArb: fc.Arbitrary<string | null> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('fuzz-apply', 'other-manager') },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.constantFrom('', 'x'.repeat(128), 'x'.repeat(129), 'ü'.repeat(65), 'a b', 'kubectl/v1.32.0 (linux/amd64)', '\u0000', 'tab\\there', '\n', 'before-first-apply', '😀') },
  { weight: 1, arbitrary: weirdString.filter((s) => s.length < 300) },
);

/** force: absent mostly, true, false, or not a boolean. */
const forceArb = fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 3, arbitrary: fc.constant('true') }, { weight: 2, arbitrary: fc.constantFrom('false', 'True', '1', 'x', '') });

/** What to do to an applied configuration before sending it. */
const APPLY_SHAPES = [
  'wrong-apiVersion',
  'wrong-kind',
  'no-apiVersion',
  'no-kind',
  'managedFields',
  'managedFields-junk',
  'listmap-duplicate',
  'no-name',
  'other-name',
  'resourceVersion',
  'status',
  'uid',
  'generateName',
  'finalizers',
  'null-metadata',
] as const;

type ApplyShape = (typeof APPLY_SHAPES)[number];

/** Duplicates an element of the first list of keyed objects (containers, ports, env, conditions): a list-map key twice. */
function duplicateListMapKey(obj: any, at: number): void {
  const lists: any[][] = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) {
      const first = x[0];
      if (first && typeof first === 'object' && !Array.isArray(first) && ['name', 'containerPort', 'port', 'type', 'key', 'ip'].some((k) => k in first)) lists.push(x);
      x.forEach(walk);
    } else if (x && typeof x === 'object') Object.values(x).forEach(walk);
  };
  walk(obj);
  if (!lists.length) return;
  const list = lists[at % lists.length];
  const copy = structuredClone(list[at % list.length]);
  if (at % 2 && copy && typeof copy === 'object') copy.fuzzDuplicate = at;
  list.push(copy);
}

function shapeApply(obj: any, shape: ApplyShape, at: number, value: unknown): void {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return;
  const meta = obj.metadata && typeof obj.metadata === 'object' && !Array.isArray(obj.metadata) ? obj.metadata : undefined;
  switch (shape) {
    case 'wrong-apiVersion':
      obj.apiVersion = ['v2', 'apps/v9', 'frob.example.com/v1', '', 'v1/v1', 42][at % 6];
      break;
    case 'wrong-kind':
      obj.kind = ['Frob', 'ConfigMap', 'List', 'Status', '', 'deployment'][at % 6];
      break;
    case 'no-apiVersion':
      delete obj.apiVersion;
      break;
    case 'no-kind':
      delete obj.kind;
      break;
    case 'managedFields':
      if (meta)
        meta.managedFields = [
          { manager: 'someone', operation: 'Apply', apiVersion: obj.apiVersion, time: '2026-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': { 'f:x': {} } } } },
        ];
      break;
    case 'managedFields-junk':
      if (meta)
        meta.managedFields = [
          value,
          [{ manager: 'm', operation: 'Frob', fieldsType: 'FieldsV2', fieldsV1: 'f:spec' }],
          [{ manager: '', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'k:{bad json': {} } } }],
          [{ manager: 'm', operation: 'Apply', fieldsType: 'FieldsV1', fieldsV1: { 'x:nope': { '.': 1 } } }],
          {},
        ][at % 5];
      break;
    case 'listmap-duplicate':
      duplicateListMapKey(obj, at);
      break;
    case 'no-name':
      if (meta) delete meta.name;
      break;
    case 'other-name':
      if (meta) meta.name = ['other', '', 'UPPER', 'a'.repeat(300), 42][at % 5];
      break;
    case 'resourceVersion':
      if (meta) meta.resourceVersion = ['1', 'abc', '', '99999999', 7][at % 5];
      break;
    case 'status':
      obj.status = value;
      break;
    case 'uid':
      if (meta) meta.uid = ['00000000-0000-0000-0000-000000000000', 'not-a-uid', 1][at % 3];
      break;
    case 'generateName':
      if (meta) {
        delete meta.name;
        meta.generateName = 'gen-';
      }
      break;
    case 'finalizers':
      if (meta) meta.finalizers = [['example.com/f'], ['kubernetes'], ['Bad Finalizer'], 'x', [1]][at % 5];
      break;
    case 'null-metadata':
      obj.metadata = [null, 'x', [], {}][at % 4];
      break;
  }
}

/** A YAML alias bomb: every level refers to the one below ten times. */
function aliasBomb(levels: number): string {
  let out = 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  for (let i = 1; i < levels; i++) out += `a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(',')}]\n`;
  return out;
}

/** Map keys YAML allows and JSON does not: scalars become strings upstream, collections are refused. */
const NON_STRING_KEYS = ['1: x', 'null: y', 'true: z', '~: 1', '.inf: 3', '? [a, b]\n: c', '? {a: 1}\n: 2'];
const COLLECTION_KEY = /^\? [[{]/m;

/** Text-level damage to a YAML document: what a hand-edited manifest or a broken client sends. */
const YAML_TEXT_MUTATIONS: ((text: string, at: number) => string)[] = [
  (t, at) => {
    const lines = t.split('\n');
    lines[at % lines.length] = '\t' + lines[at % lines.length];
    return lines.join('\n');
  },
  (t, at) => t.slice(0, at % (t.length + 1)),
  (t) => `${t}\nkind: Duplicate\n`,
  (t) => `${t}\nmetadata:\n  name: dup\n`,
  (t) => `${aliasBomb(9)}${t}`,
  (t) => `base: &m {labels: {a: b}}\n${t.replace(/^metadata:\n/m, 'metadata:\n  <<: *m\n')}`,
  (t) => `${t}\nextra: *undefined_alias\n`,
  (t) => `${t}\n---\n${t}`,
  (t) => `---\n---\n${t}`,
  (t) => `%YAML 1.1\n---\n${t}`,
  (t) => `%TAG ! tag:example.com,2000:\n---\n${t}`,
  (t) => `\uFEFF${t}`,
  (t) => t.replace(/\n/g, '\r\n'),
  (t, at) => `${t}\n${NON_STRING_KEYS[at % NON_STRING_KEYS.length]}\n`,
  (t, at) => `${t}\nweird: ${['.inf', '-.inf', '.nan', '0o17', '0x1F', '1_000', '2001-12-14t21:59:43.10-05:00', 'yes', 'on', '=', '!!binary aGVsbG8=', '!!set {a, b}', '!!omap [a: 1]', '!custom x', '!!python/object:os.system x', '!!int "x"', '!!float abc', '1e999', '-0', "'unterminated", '"\\ud800"', '"\\x00"', '|\n  block\n   text', '>-\n  folded'][at % 24]}\n`,
  (t, at) => t.replace(/: /g, at % 2 ? ':' : ':  '),
  (t) => t.replace(/^(\s*)(\w+):/m, '$1$2 :'),
  (t, at) => `${t}\nnested: ${'['.repeat(1000 + (at % 50_000))}${']'.repeat(1000 + (at % 50_000))}\n`,
  (t, at) => `${t}\nnested: ${'{a: '.repeat(1000 + (at % 20_000))}1${'}'.repeat(1000 + (at % 20_000))}\n`,
  (t, at) => {
    let out = 'deep:\n';
    const depth = 200 + (at % 2000);
    for (let i = 0; i < depth; i++) out += `${'  '.repeat(i + 1)}a:\n`;
    return `${t}\n${out}${'  '.repeat(depth + 1)}x\n`;
  },
  (t, at) => `${t}\n${'k'.repeat(1000 + (at % 100_000))}: v\n`,
  (t) => t.replace(/"/g, ''),
  (t, at) => `${t}\x00\x01\x7f${String.fromCharCode(at % 32)}`,
  () => '',
  () => '# only a comment\n',
  () => '- a\n- b\n',
  () => 'just a string',
  () => 'null',
];

/** A server-side apply (application/apply-patch+yaml) of a seed object, mutated in body, text and options. */
function applyRequest(seed: SeedObject): fc.Arbitrary<FuzzRequest> {
  const hasScale = seed.info.subresources.some((s) => s.name === 'scale');
  const hasStatus = seed.info.subresources.some((s) => s.name === 'status');
  const objectUrl = `${seed.collection}/${encodeName(seed.name)}`;
  const targets = ['existing', 'existing', 'missing', ...(hasStatus ? ['status'] : []), ...(hasScale ? ['scale', 'scale'] : [])];
  return fc
    .record({
      mutations: fc.oneof({ weight: 3, arbitrary: fc.constant<Mutation[]>([]) }, { weight: 2, arbitrary: fc.array(mutationArb, { minLength: 1, maxLength: 3 }) }),
      shapes: fc.oneof({ weight: 2, arbitrary: fc.constant<ApplyShape[]>([]) }, { weight: 3, arbitrary: fc.array(fc.constantFrom(...APPLY_SHAPES), { minLength: 1, maxLength: 2 }) }),
      at: fc.nat(),
      value: fuzzValue,
      target: fc.constantFrom(...targets),
      encoding: fc.constantFrom('yaml', 'yaml', 'json', 'text-mutated'),
      textMutation: fc.nat(),
      fieldManager: fieldManagerArb,
      force: forceArb,
      extra: fc.oneof({ weight: 3, arbitrary: fc.constant(new URLSearchParams()) }, { weight: 1, arbitrary: randomQuery }),
      contentType: fc.oneof(
        { weight: 12, arbitrary: fc.constant('application/apply-patch+yaml') },
        { weight: 1, arbitrary: fc.constantFrom('application/apply-patch+yaml; charset=utf-8', 'application/apply-patch+json', 'application/apply-patch+cbor', 'application/apply-patch+yaml;;') },
      ),
      replicas: fuzzValue,
      // A third of the applies are well-formed, so the success paths (and ownership) are exercised too.
      plain: fc.nat({ max: 2 }).map((n) => n === 0),
    })
    .map((g) => (g.plain ? { ...g, mutations: [], shapes: [], encoding: 'yaml', extra: new URLSearchParams(), contentType: 'application/apply-patch+yaml', fieldManager: 'fuzz-apply', force: g.force === null ? null : 'true' } : g))
    .map(({ mutations, shapes, at, value, target, encoding, textMutation, fieldManager, force, extra, contentType, replicas }) => {
      const missingName = `${seed.name}-ssa${at % 4}`;
      let body: any;
      if (target === 'scale') {
        body = { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: seed.name, ...(seed.info.namespaced ? { namespace: FUZZ_NS } : {}) }, spec: { replicas: at % 3 ? at % 5 : replicas } };
        body = mutate(body, mutations);
      } else {
        body = mutate(seed.obj, mutations);
        if (target === 'missing' && body && typeof body === 'object' && body.metadata && typeof body.metadata === 'object') body.metadata.name = missingName;
        if (target === 'status' && body && typeof body === 'object' && !Array.isArray(body)) body.status = at % 2 ? value : { observedGeneration: 1, replicas: at % 4, conditions: [{ type: 'Ready', status: 'True' }] };
      }
      for (const shape of shapes) shapeApply(body, shape, at, value);
      // JSON is YAML too; big or deep documents stay JSON, which renders them far faster.
      let text = JSON.stringify(body) ?? 'null';
      if (encoding !== 'json' && text.length < 20_000 && jsonNestingDepth(text) < 40) {
        try {
          text = YAML.stringify(body, { aliasDuplicateObjects: false, lineWidth: 0 });
        } catch {
          // stays JSON
        }
      }
      if (encoding === 'text-mutated') text = YAML_TEXT_MUTATIONS[textMutation % YAML_TEXT_MUTATIONS.length](text, at);
      const q = new URLSearchParams(extra);
      if (fieldManager !== null) q.set('fieldManager', fieldManager);
      if (force !== null) q.set('force', force);
      const url = target === 'missing' ? `${seed.collection}/${encodeName(missingName)}` : target === 'existing' ? objectUrl : `${objectUrl}/${target}`;
      // The manager as the server reads it back from the query (a lone surrogate arrives as U+FFFD).
      const manager = fieldManager === null ? null : new URLSearchParams(new URLSearchParams({ m: fieldManager }).toString()).get('m');
      // A clean configuration sets fields, so its manager must own some (an empty set drops the entry).
      const setsFields = Object.keys(seed.obj).some((k) => !['apiVersion', 'kind', 'metadata'].includes(k)) || !!seed.obj.metadata?.labels || !!seed.obj.metadata?.annotations;
      const clean = mutations.length === 0 && shapes.length === 0 && encoding !== 'text-mutated' && setsFields && target !== 'scale' && (target !== 'status' || at % 2 === 0);
      const apiVersion = seed.info.group ? `${seed.info.group}/${seed.info.version}` : seed.info.version;
      const cleanScale =
        target === 'scale' && mutations.length === 0 && shapes.length === 0 && encoding !== 'text-mutated' && extra.size === 0 && contentType === 'application/apply-patch+yaml' &&
        (fieldManager === 'fuzz-apply' || fieldManager === 'other-manager') && (force === null || force === 'true' || force === 'false') && at % 3 !== 0;
      return {
        label: `apply ${seed.info.resource}${target === 'existing' ? '' : ` (${target})`}`,
        method: 'PATCH',
        url: withQuery(url, q),
        headers: { 'content-type': contentType },
        body: text,
        target: target === 'missing' ? url : objectUrl,
        write: true,
        // An accepted apply records its manager's ownership of what it set.
        expect: (status: number, answer: string) => {
          // A well-formed Scale applied by a proper manager is applied (or meets a missing object or another owner).
          if (cleanScale && ![200, 404, 409].includes(status)) return `an apply of a valid Scale answered ${status}`;
          // sigs.k8s.io/yaml cannot turn a list or map key into a JSON key: "error converting YAML to JSON".
          if (status < 300 && COLLECTION_KEY.test(text)) return 'a YAML document with a collection as a map key was accepted';
          if (status !== 200 && status !== 201) return undefined;
          if (status === 201 && target !== 'missing' && target !== 'existing') return 'a subresource apply created an object';
          let out: any;
          try {
            out = JSON.parse(answer);
          } catch {
            return 'an accepted apply answered no JSON object';
          }
          const entries: any[] = out?.metadata?.managedFields ?? [];
          for (const e of entries) {
            if (e.fieldsType !== 'FieldsV1' || !e.fieldsV1 || typeof e.fieldsV1 !== 'object' || !['Apply', 'Update'].includes(e.operation) || typeof e.manager !== 'string') {
              return `a malformed managedFields entry: ${JSON.stringify(e).slice(0, 400)}`;
            }
          }
          if (!manager || target === 'scale') return undefined;
          const own = entries.find((e) => e.manager === manager && e.operation === 'Apply' && (e.subresource ?? '') === (target === 'status' ? 'status' : ''));
          if (own && own.apiVersion !== apiVersion) return `the Apply entry records apiVersion ${own.apiVersion}, not ${apiVersion}`;
          return own || !clean ? undefined : `no Apply entry of manager ${JSON.stringify(manager)} in managedFields: ${JSON.stringify(entries).slice(0, 400)}`;
        },
      };
    });
}

/** Requests that are not about a seed: junk methods, paths and bodies. */
const junkRequest: fc.Arbitrary<FuzzRequest> = fc
  .record({ method: fc.constantFrom(...METHODS), path: fc.constantFrom(...JUNK_PATHS), q: queryArb, h: headersArb, body: fc.option(junkBody, { freq: 3 }) })
  .map(({ method, path, q, h, body }) => ({
    label: `junk ${method} ${path}`,
    method,
    url: withQuery(path, q),
    headers: h,
    body: body ?? undefined,
    write: method !== 'GET' && method !== 'HEAD',
  }));

/** Any fuzz request: mostly seeded, some junk. */
export function requestArbitrary(seeds: SeedObject[]): fc.Arbitrary<FuzzRequest> {
  const seeded = fc.nat({ max: seeds.length - 1 }).chain((i) => seededRequest(seeds[i]));
  return fc.oneof({ weight: 9, arbitrary: seeded }, { weight: 1, arbitrary: junkRequest });
}

/** Server-side apply requests only, over every seed, with those that have subresources (status, scale) picked more often. */
export function applyArbitrary(seeds: SeedObject[]): fc.Arbitrary<FuzzRequest> {
  const any = fc.nat({ max: seeds.length - 1 }).chain((i) => applyRequest(seeds[i]));
  const withSubresources = seeds.filter((s) => s.info.subresources.some((r) => r.name === 'scale' || r.name === 'status'));
  if (!withSubresources.length) return any;
  return fc.oneof({ weight: 3, arbitrary: any }, { weight: 1, arbitrary: fc.nat({ max: withSubresources.length - 1 }).chain((i) => applyRequest(withSubresources[i])) });
}

function withQuery(path: string, q: URLSearchParams): string {
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** A crude YAML rendering (JSON is YAML), so YAML bodies take the YAML decoder's path. */
function toYamlish(v: unknown): string {
  return `# fuzz\n${JSON.stringify(v) ?? 'null'}\n`;
}

/** A short rendering of a request for failure messages (long strings cut). */
export function describeRequest(r: FuzzRequest): string {
  const cut = (s: string | undefined, n: number) => (s && s.length > n ? `${s.slice(0, n)}…(${s.length} chars)` : s);
  return JSON.stringify({ ...r, url: cut(r.url, 300), body: cut(r.body, 600) });
}
