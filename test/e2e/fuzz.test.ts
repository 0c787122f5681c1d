// Robustness fuzzing: thousands of random and mutated requests (fast-check, fixed seed, printed
// so a failure reproduces) against the API server in process, and a smaller slice over real HTTPS
// against `skiff up`. Whatever a client sends, the server must answer it (never 5xx), keep
// running (it still answers /readyz and the process is alive), and never half-apply a rejected
// write (the store is untouched and the target object unchanged, resourceVersion and content).
// The requests cover the built-in kinds, server-side apply, CustomResourceDefinitions with broken
// schemas, the custom resources of accepted CRDs, and CRDs deleted while their objects are written.
//
// Reproduce a failure with SKIFF_FUZZ_SEED=<seed> (and SKIFF_FUZZ_RUNS to run longer).
import { after, before, describe, test, type TestContext } from 'node:test';
import { firstDifference } from '../../src/apimachinery/mutation-detector.js';
import assert from 'node:assert/strict';
import { request as httpsRequest, Agent } from 'node:https';
import { METHODS } from 'node:http';
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import YAML from 'yaml';
import { storageKey } from '../../src/api/resources.js';
import { crdResources } from '../../src/apiextensions/resources.js';
import type { CustomResourceDefinition } from '../../src/apiextensions/types.js';
import { ADDONS } from '../../src/addons/catalog.js';
import { realClock, type VirtualClock } from '../../src/sim/clock.js';
import { InProcessCluster, type InProcessResponse } from './inprocess.js';
import { SkiffProcess } from './harness.js';
import { jsonNestingDepth, MAX_JSON_NESTING_DEPTH } from '../../src/apimachinery/json-depth.js';
import { applyArbitrary, describeRequest, FUZZ_NS, requestArbitrary, seedObjects, type FuzzRequest, type SeedObject } from './fuzz-requests.js';
import { catalogCRDs, CRDS_URL, crdRequestArbitrary, customResourceRequests, customSeedObjects, FUZZ_CRD_GROUP_SUFFIX, ownCRDs, sentinelCRD } from './fuzz-crds.js';

const SEED = Number(process.env.SKIFF_FUZZ_SEED ?? 20260101);
const IN_PROCESS_RUNS = Number(process.env.SKIFF_FUZZ_RUNS ?? 2500);
const HTTPS_RUNS = Math.max(50, Math.round(IN_PROCESS_RUNS / 10));
/** The other properties scale with SKIFF_FUZZ_RUNS. */
const runs = (share: number) => Math.max(10, Math.round(IN_PROCESS_RUNS * share));

/** A breach the fuzzer found whose fix belongs outside this test's reach (or a fixed one, replayed). */
interface Finding {
  id: string;
  /** Where the fix belongs. */
  owner: string;
  /** Whether a breach (its reason, request and answer) is this finding. */
  matches(r: FuzzRequest, a: Answer, why: string): boolean;
  /** Requests that set the stage for the repro (answers unchecked). */
  setup?: FuzzRequest[];
  repro: FuzzRequest;
  /** Why the answer to the repro is still wrong, or undefined once fixed; default: it must be a 4xx. */
  verify?: (a: Answer) => string | undefined;
}

/**
 * Breaches whose fix belongs to files outside this test's reach. Each is tolerated (and counted) by
 * the fuzz runs and has a `todo` test that replays it; when that test passes, the fix has landed
 * and the entry moves to FIXED_FINDINGS.
 */
const OPEN_FINDINGS: Finding[] = [];

/** Breaches the fuzzer found and that are fixed: replayed as regression tests. */
const FIXED_FINDINGS: Finding[] = [
  {
    id: 'a server-side apply to /scale applies the Scale',
    owner:
      'src/apiserver/resource-handler.ts handleScale: an apply-patch+yaml body goes to applyPatch as if it were a JSON patch ("error decoding patch: Unexpected token \'a\', ... is not valid JSON", Node\'s wording), so `kubectl apply --server-side --subresource=scale` and HPA-style appliers fail; upstream applies the Scale through the scale subresource\'s field manager (spec.replicas owned by the manager with subresource "scale")',
    matches: (r, _a, why) => r.label.endsWith('(scale)') && why.startsWith('an apply of a valid Scale'),
    setup: [
      {
        label: 'setup',
        method: 'POST',
        url: `/apis/apps/v1/namespaces/${FUZZ_NS}/deployments`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'repro-apply-scale' },
          spec: { selector: { matchLabels: { app: 's' } }, template: { metadata: { labels: { app: 's' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
        }),
        write: true,
      },
    ],
    repro: {
      label: 'repro',
      method: 'PATCH',
      url: `/apis/apps/v1/namespaces/${FUZZ_NS}/deployments/repro-apply-scale/scale?fieldManager=scaler`,
      headers: { 'content-type': 'application/apply-patch+yaml' },
      body: 'apiVersion: autoscaling/v1\nkind: Scale\nmetadata:\n  name: repro-apply-scale\nspec:\n  replicas: 3\n',
      write: true,
    },
    verify: (a) => (a.status === 200 && JSON.parse(a.text).spec?.replicas === 3 ? undefined : `${a.status} ${a.text.slice(0, 300)}`),
  },
  {
    // Upstream's ValidatePodTemplateSpecForStatefulSet checks only labels and annotations (its TODO:
    // pod-spec validation would reject volumeClaimTemplates' volumes), so such a StatefulSet is stored.
    id: 'a StatefulSet pod template is not validated as a pod spec, as upstream',
    owner: 'src/apiserver/registry/apps/statefulsets.ts',
    matches: (_r, a) => /failed to create typed live object/.test(a.text),
    repro: {
      label: 'repro',
      method: 'POST',
      url: `/apis/apps/v1/namespaces/${FUZZ_NS}/statefulsets`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'repro-env' },
        spec: { serviceName: 's', selector: { matchLabels: { app: 'r' } }, template: { metadata: { labels: { app: 'r' } }, spec: { containers: [{ name: 'c', image: 'nginx', env: [{}] }] } } },
      }),
      write: true,
    },
    verify: (a) => (a.status === 201 ? undefined : `${a.status} ${a.text.slice(0, 300)}`),
  },

  {
    id: 'a server-side apply to /status records its manager in managedFields',
    owner:
      'src/apiserver/registry/generic.ts prepareUpdate (status branch): it restores all of the old metadata, so the managedFields apply() computed are dropped; upstream ResetObjectMetaForStatus keeps managedFields ("must be preserved since it\'s been modified to track changed fields in the status update")',
    matches: (r, _a, why) => /^apply .* \(status\)$/.test(r.label) && why.startsWith('no Apply entry'),
    setup: [
      {
        label: 'setup',
        method: 'POST',
        url: `/apis/policy/v1/namespaces/${FUZZ_NS}/poddisruptionbudgets`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'repro-ssa-status' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'x' } } } }),
        write: true,
      },
    ],
    repro: {
      label: 'repro',
      method: 'PATCH',
      url: `/apis/policy/v1/namespaces/${FUZZ_NS}/poddisruptionbudgets/repro-ssa-status/status?fieldManager=status-applier`,
      headers: { 'content-type': 'application/apply-patch+yaml' },
      body: 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: repro-ssa-status\nstatus:\n  observedGeneration: 1\n',
      write: true,
    },
    verify: (a) => {
      if (a.status !== 200) return `${a.status} ${a.text.slice(0, 300)}`;
      const entries: { manager: string; operation: string; subresource?: string }[] = JSON.parse(a.text).metadata.managedFields ?? [];
      return entries.some((e) => e.manager === 'status-applier' && e.operation === 'Apply' && e.subresource === 'status') ? undefined : `managedFields: ${JSON.stringify(entries)}`;
    },
  },
  {
    id: 'a strategic merge patch of a custom resource is 415 before anything else',
    owner:
      'src/apiserver/resource-handler.ts handlePatch: for custom resources (kind.strategicMergePatch false) check the patch type against CUSTOM_RESOURCE_PATCH_TYPES before reading the object; upstream PatchResource refuses the media type first, so a missing object is 415, not 404',
    matches: (r, _a, why) => r.label.startsWith('strategic patch') && why.startsWith('expected 415'),
    repro: {
      label: 'repro',
      method: 'PATCH',
      url: `/apis/stable.example.com/v1/namespaces/${FUZZ_NS}/crontabs/no-such-crontab`,
      headers: { 'content-type': 'application/strategic-merge-patch+json' },
      body: '{"spec":{"replicas":2}}',
      write: true,
    },
    verify: (a) => (a.status === 415 ? undefined : `${a.status} ${a.text.slice(0, 300)}`),
  },
  {
    id: 'a server-side apply with a wrongly typed field is a 4xx and stores nothing',
    owner:
      'src/apiserver/resource-handler.ts handleApply: the applied configuration never goes through c.kind.decodeError (handleCreate/Update/Patch do, via checkFields), so wrongly typed values reach the strategies and the store: a CRD with spec.names.kind: [Widget] throws "names.kind.toLowerCase is not a function" in defaultCRD (500), and a ConfigMap applied with metadata.finalizers: "x" is stored (201), after which every DELETE of it answers 500 "finalizers.filter is not a function". Upstream fails converting the configuration to its typed form ("failed to create typed patch object (...): .metadata.finalizers: expected list, got ..."). Check decodeError on the configuration (and on the merged result) before the registry',
    matches: (r, a) =>
      (r.label.startsWith('apply') && a.status === 500 && /is not a function|Cannot read propert|is not iterable|Cannot convert|Cannot create property|Cannot use 'in' operator/.test(a.text)) ||
      (a.status === 500 && /finalizers\.(filter|includes|some) is not a function/.test(a.text)),
    repro: {
      label: 'repro',
      method: 'PATCH',
      url: `/api/v1/namespaces/${FUZZ_NS}/configmaps/repro-typed?fieldManager=repro`,
      headers: { 'content-type': 'application/apply-patch+yaml' },
      body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: repro-typed\n  finalizers: x\ndata:\n  a: b\n',
      write: true,
    },
  },
  {
    id: 'a scale write whose body is not an object is a 4xx',
    owner:
      'src/apiserver/resource-handler.ts handleScale: an update body that decodes to null (or a non-object) reaches `next.spec` → TypeError → 500; decode it as a Scale and answer 400 like upstream\'s decoder',
    matches: (r, a) => /\/scale(\?|$)/.test(r.url) && a.status === 500 && /Cannot read propert/.test(a.text),
    setup: [
      {
        label: 'setup',
        method: 'POST',
        url: `/apis/apps/v1/namespaces/${FUZZ_NS}/deployments`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'repro-scale' },
          spec: { selector: { matchLabels: { app: 'r' } }, template: { metadata: { labels: { app: 'r' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
        }),
        write: true,
      },
    ],
    repro: { label: 'repro', method: 'PUT', url: `/apis/apps/v1/namespaces/${FUZZ_NS}/deployments/repro-scale/scale`, headers: { 'content-type': 'application/json' }, body: 'null', write: true },
  },
  {
    id: 'a YAML body with a list or map as a map key is refused',
    owner:
      'src/apiserver/http.ts decodeBody: YAML keys that are collections are stringified ("[ a, b ]", with a Node warning on stderr per request); sigs.k8s.io/yaml refuses them: 400 "error converting YAML to JSON: yaml: invalid map key: ..."',
    matches: (_r, _a, why) => why.startsWith('a YAML document with a collection as a map key'),
    repro: {
      label: 'repro',
      method: 'POST',
      url: `/api/v1/namespaces/${FUZZ_NS}/configmaps`,
      headers: { 'content-type': 'application/yaml' },
      body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: repro-yaml-key\n? [a, b]\n: c\n',
      write: true,
    },
    verify: (a) => (a.status === 400 ? undefined : `${a.status} ${a.text.slice(0, 300)}`),
  },
  {
    id: 'a custom resource create while its CRD is terminating is refused with 405',
    owner:
      'src/apiserver: the CRD controller finalizes a deleted CRD without re-serving it, so its resources keep all verbs and creates succeed (the finalizer then deletes them again); upstream crdHandler answers MethodNotSupported (405) "create not allowed while custom resource definition is terminating" once it sees Terminating=True (crdResources already drops create from the verbs when given the terminating CRD)',
    matches: (r, _a, why) => r.label === 'late create' && why.startsWith('created while terminating'),
    setup: [
      {
        label: 'setup',
        method: 'POST',
        url: `/apis/own.fuzz.skiff.dev/v1/namespaces/${FUZZ_NS}/gizmos`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ apiVersion: 'own.fuzz.skiff.dev/v1', kind: 'Gizmo', metadata: { name: 'held', finalizers: ['example.com/hold'] }, spec: { mode: 'fast' } }),
        write: true,
      },
      { label: 'setup', method: 'DELETE', url: `${CRDS_URL}/gizmos.own.fuzz.skiff.dev`, headers: {}, write: true },
    ],
    repro: {
      label: 'repro',
      method: 'POST',
      url: `/apis/own.fuzz.skiff.dev/v1/namespaces/${FUZZ_NS}/gizmos`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiVersion: 'own.fuzz.skiff.dev/v1', kind: 'Gizmo', metadata: { name: 'too-late' }, spec: { mode: 'fast' } }),
      write: true,
    },
    verify: (a) => (a.status === 405 && statusMessage(a.text) === TERMINATING_CREATE ? undefined : `${a.status} ${a.text.slice(0, 300)}`),
  },
  {
    id: 'a CRD whose status lists a stored version its spec lacks is still deleted',
    owner:
      'src/apiserver/crd-controller.ts finalize: it removes the cleanup finalizer with a main-resource update, which validates status.storedVersions against spec.versions; a status write may set any storedVersions (upstream validates only acceptedNames there), so the update fails ("status.storedVersions[0]: Invalid value: \"v9\": must appear in spec.versions") and the CRD stays Terminating forever. Upstream crd_finalizer removes the finalizer with UpdateStatus (the CRD status strategy keeps metadata.finalizers from the request)',
    matches: (r, a, why) =>
      (r.label === 'settled crd' && why.includes('still being deleted') && storesUnknownVersion(a.text)) ||
      (r.label === 'crd controller log' && /status\.storedVersions\[\d+\]: Invalid value: .*must appear in spec\.versions/.test(why)),
    setup: [
      {
        label: 'setup',
        method: 'POST',
        url: CRDS_URL,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          apiVersion: 'apiextensions.k8s.io/v1',
          kind: 'CustomResourceDefinition',
          metadata: { name: 'stuck.repro.fuzz.skiff.dev' },
          spec: { group: 'repro.fuzz.skiff.dev', scope: 'Namespaced', names: { plural: 'stuck', kind: 'Stuck' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }] },
        }),
        write: true,
      },
      {
        label: 'setup',
        method: 'PATCH',
        url: `${CRDS_URL}/stuck.repro.fuzz.skiff.dev/status`,
        headers: { 'content-type': 'application/merge-patch+json' },
        body: JSON.stringify({ status: { storedVersions: ['v9'] } }),
        write: true,
      },
      { label: 'setup', method: 'DELETE', url: `${CRDS_URL}/stuck.repro.fuzz.skiff.dev`, headers: {}, write: true },
    ],
    repro: { label: 'repro', method: 'GET', url: `${CRDS_URL}/stuck.repro.fuzz.skiff.dev`, headers: {}, write: false },
    verify: (a) => (a.status === 404 ? undefined : `${a.status} ${a.text.slice(0, 400)}`),
  },
  {
    id: 'malformed percent-escape in a path segment',
    owner: 'src/apiserver/request-info.ts parseRequestInfo: decodeURIComponent throws URIError → 500; Go rejects the URL with 400',
    matches: (_r, a) => a.text.includes('URI malformed'),
    repro: { label: 'repro', method: 'GET', url: '/api/v1/namespaces/%zz/configmaps', headers: {}, write: false },
  },
  {
    id: 'a body nested thousands of levels deep',
    owner:
      'src/apiserver/http.ts decodeBody and resource-handler.ts applyPatch: reject with nestingDepthError() from src/apimachinery/json-depth.ts before parsing (recursive walks and JSON.stringify overflow the stack → 500)',
    matches: (r, a) => jsonNestingDepth(r.body ?? '') > MAX_JSON_NESTING_DEPTH && a.text.includes('Maximum call stack size exceeded'),
    repro: {
      label: 'repro',
      method: 'PATCH',
      url: `/api/v1/namespaces/${FUZZ_NS}/configmaps/cfg`,
      headers: { 'content-type': 'application/merge-patch+json' },
      body: `{"data":{"x":${'['.repeat(50_000)}${']'.repeat(50_000)}}}`,
      write: true,
    },
  },
];

/** How often each open finding was hit in this process. */
const openSeen = new Map<string, number>();

/** A response reduced to what the invariants look at. */
interface Answer {
  status: number;
  text: string;
  /** Store writes made while serving (in process only). */
  writes?: number;
  ended: boolean;
}

/** Sends requests somewhere: the in-process server or HTTPS. */
type Send = (r: FuzzRequest) => Promise<Answer>;

/** True when the request's query asks for a dry run (only dryRun=All is accepted). */
function isDryRun(r: FuzzRequest): boolean {
  const q = new URLSearchParams(r.url.split('?')[1] ?? '');
  const values = q.getAll('dryRun');
  return values.length > 0 && values.every((v) => v === 'All');
}

/**
 * What of an object a rejected write must leave alone. Status belongs to whoever reports it: a
 * CRD's to the CRD controller, a pod's to its kubelet (which restarts a container whose image an
 * earlier request changed), a PodDisruptionBudget's, Deployment's or Service's to its controller
 * (which answers an earlier accepted spec change), any of which may write it at any moment (over
 * HTTPS they run concurrently): compare the rest, status-subresource managedFields entries and
 * resourceVersion aside, unless the request itself writes status. (The request's own store writes
 * are counted separately and must be none.)
 */
function comparable(target: string, text: string, url = ''): string {
  const ownedElsewhere = target.includes('/customresourcedefinitions/') || !/\/status(\?|$)/.test(url);
  if (!ownedElsewhere) return text;
  try {
    const o = JSON.parse(text);
    if (!o?.metadata) return text;
    delete o.status;
    delete o.metadata.resourceVersion;
    o.metadata.managedFields = (o.metadata.managedFields ?? []).filter((e: { subresource?: string }) => e.subresource !== 'status');
    return JSON.stringify(o);
  } catch {
    return text;
  }
}

/** The target object as a GET sees it, for before/after comparison. */
async function observe(send: Send, target: string | undefined, url?: string): Promise<{ status: number; text: string; deleting: boolean } | undefined> {
  if (!target) return undefined;
  const r = await send({ label: 'observe', method: 'GET', url: target, headers: { accept: 'application/json' }, write: false });
  let deleting = false;
  if (r.status === 200) {
    try {
      deleting = !!JSON.parse(r.text).metadata?.deletionTimestamp;
    } catch {
      // not an object: compared as text
    }
  }
  return { status: r.status, text: comparable(target, r.text, url), deleting };
}

/** True when a CRD (as JSON) lists a stored version that is not one of its spec.versions. */
function storesUnknownVersion(text: string): boolean {
  try {
    const crd = JSON.parse(text) as CustomResourceDefinition;
    const names = new Set((Array.isArray(crd.spec?.versions) ? crd.spec.versions : []).map((v) => v?.name));
    return (crd.status?.storedVersions ?? []).some((v) => !names.has(v));
  } catch {
    return false;
  }
}

/** A breach of an invariant, with the request and answer in the message. */
class Breach extends Error {}

/** True (and counted) when a breach is an open finding. */
function tolerated(r: FuzzRequest, a: Answer, why: string): boolean {
  const known = OPEN_FINDINGS.find((f) => f.matches(r, a, why));
  if (known) openSeen.set(known.id, (openSeen.get(known.id) ?? 0) + 1);
  return !!known;
}

/** apiextensions-apiserver's refusal of a create while the CRD's objects are being deleted. */
const TERMINATING_CREATE = 'create not allowed while custom resource definition is terminating';

function statusMessage(text: string): string | undefined {
  try {
    return JSON.parse(text).message;
  } catch {
    return undefined;
  }
}

/**
 * Sends one request and checks the invariants; throws with the request and answer on a breach
 * (unless it is an open finding, which is counted). Returns the status for the tally.
 */
async function checkOne(send: Send, r: FuzzRequest): Promise<number> {
  const before = r.write ? await observe(send, r.target, r.url) : undefined;
  let a: Answer;
  try {
    a = await send(r);
  } catch (e) {
    throw new Error(`the request failed in transport: ${(e as Error).message}\nrequest: ${describeRequest(r)}`);
  }
  try {
    await checkAnswer(send, r, a, before);
  } catch (e) {
    if (!(e instanceof Breach)) throw e;
    if (!tolerated(r, a, e.message)) throw new Error(`${e.message}\nrequest: ${describeRequest(r)}\nanswer: ${a.status} ${a.text.slice(0, 800)}`);
  }
  return a.status;
}

async function checkAnswer(send: Send, r: FuzzRequest, a: Answer, before: Awaited<ReturnType<typeof observe>>): Promise<void> {
  const fail = (why: string) => {
    throw new Breach(why);
  };
  if (!a.ended) fail('the response was never ended');
  if (a.status < 100) fail('no status was written');
  if (a.status >= 500) fail(`answered ${a.status}`);
  if (a.status >= 400 && r.method !== 'HEAD' && a.text) {
    let status: { kind?: string; code?: number } | undefined;
    try {
      status = JSON.parse(a.text);
    } catch {
      // Node's own HTTP parser answers malformed requests (unknown methods) in plain text.
    }
    if (status && (status.kind !== 'Status' || status.code !== a.status)) fail('the error body is not a Status with the same code');
  }
  const unexpected = r.expect?.(a.status, a.text);
  if (unexpected) fail(unexpected);
  const rejected = a.status >= 300;
  if (r.write && (rejected || isDryRun(r))) {
    if (a.writes !== undefined && a.writes > 0) fail(`a ${rejected ? 'rejected' : 'dry-run'} write made ${a.writes} store write(s)`);
    const after = await observe(send, r.target, r.url);
    // An object being finalized changes under the namespace finalizer; the write count covers it.
    if (before && after && !before.deleting && !after.deleting && (before.status !== after.status || before.text !== after.text)) {
      fail(`the target changed although the write was ${rejected ? 'rejected' : 'a dry run'}:\n${describeChange(before.text, after.text)}\nbefore: ${before.text.slice(0, 400)}\nafter:  ${after.text.slice(0, 400)}`);
    }
  }
}

/** Where two observations of an object differ first, and what each holds there. */
function describeChange(before: string, after: string): string {
  try {
    const [b, a] = [JSON.parse(before), JSON.parse(after)];
    const path = firstDifference(b, a, '');
    const at = (o: unknown) => JSON.stringify(path.split(/\.|\[|\]/).filter(Boolean).reduce<any>((v, k) => v?.[k], o))?.slice(0, 600);
    return `first difference at ${path}: before ${at(b)}, after ${at(a)}`;
  } catch {
    return 'not JSON';
  }
}

/** Creates the fuzz namespace (once) and every seed object; returns how many seeds were accepted. */
async function plant(send: Send, seeds: SeedObject[]): Promise<number> {
  await ensureNamespace(send);
  let accepted = 0;
  for (const s of seeds) {
    const r = await send({ label: 'seed', method: 'POST', url: s.collection, headers: { 'content-type': 'application/json' }, body: JSON.stringify(s.obj), write: true });
    if (r.status === 201) accepted++;
    else assert.ok(r.status < 500, `seed ${s.info.resource}/${s.name}: ${r.status} ${r.text}`);
  }
  return accepted;
}

/** Runs the property and fails with the reproducible seed and the first breach. */
async function fuzz(
  t: TestContext,
  send: Send,
  requests: fc.Arbitrary<FuzzRequest>,
  runs: number,
  timeLimitMs: number,
  afterEach?: () => Promise<void>,
): Promise<Map<number, number>> {
  const tally = new Map<number, number>();
  openSeen.clear();
  // The slowest request, reported (not asserted): a fuzz run that hits its time limit says why.
  let slowest = { ms: 0, what: '' };
  let inRequests = 0;
  let pending: FuzzRequest | undefined;
  const began = performance.now();
  const result = await fc.check(
    fc.asyncProperty(requests, async (r) => {
      const started = performance.now();
      pending = r;
      const status = await checkOne(send, r);
      pending = undefined;
      const ms = performance.now() - started;
      inRequests += ms;
      if (ms > slowest.ms) slowest = { ms, what: `${r.label} ${r.method} ${r.url.slice(0, 120)} → ${status}` };
      tally.set(status, (tally.get(status) ?? 0) + 1);
      await afterEach?.();
    }),
    { seed: SEED, numRuns: runs, endOnFailure: true, interruptAfterTimeLimit: timeLimitMs, markInterruptAsFailure: false },
  );
  if (openSeen.size) t.diagnostic(`open findings hit: ${[...openSeen].map(([id, n]) => `${id} ×${n}`).join('; ')}`);
  if (pending) t.diagnostic(`still unanswered when the time was up: ${describeRequest(pending)}`);
  t.diagnostic(`${Math.round(performance.now() - began)} ms, ${Math.round(inRequests)} ms of it in requests; slowest: ${Math.round(slowest.ms)} ms for ${slowest.what}`);
  t.diagnostic(`fast-check seed ${SEED}: ${result.numRuns} requests; statuses ${[...tally].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`).join(' ')}`);
  if (result.failed) {
    const message = result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
    assert.fail(`fuzz breach (reproduce with SKIFF_FUZZ_SEED=${SEED}, path ${result.counterexamplePath}):\n${message}`);
  }
  return tally;
}

/** Sends a fixed list of requests in order with the same invariants as fuzz(); returns the status tally. */
async function replay(t: TestContext, send: Send, requests: readonly FuzzRequest[]): Promise<Map<number, number>> {
  const tally = new Map<number, number>();
  openSeen.clear();
  for (const r of requests) {
    const status = await checkOne(send, r);
    tally.set(status, (tally.get(status) ?? 0) + 1);
  }
  if (openSeen.size) t.diagnostic(`open findings hit: ${[...openSeen].map(([id, n]) => `${id} ×${n}`).join('; ')}`);
  t.diagnostic(`${requests.length} requests (seed ${SEED}); statuses ${[...tally].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`).join(' ')}`);
  return tally;
}

/** Creates the fuzz namespace unless it exists. */
async function ensureNamespace(send: Send): Promise<void> {
  const ns = await send({ label: 'ns', method: 'POST', url: '/api/v1/namespaces', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: FUZZ_NS } }), write: true });
  assert.ok(ns.status === 201 || ns.status === 409, ns.text);
}

/** Requests that succeeded and that were rejected, of a tally. */
function split(tally: Map<number, number>): { ok: number; rejected: number; total: number } {
  const total = [...tally.values()].reduce((a, b) => a + b, 0);
  const ok = [...tally].filter(([s]) => s < 300).reduce((a, [, n]) => a + n, 0);
  return { ok, rejected: total - ok, total };
}

/** GETs a URL and parses the JSON answer. */
async function getJson(send: Send, url: string): Promise<{ status: number; body: any; text: string }> {
  const r = await send({ label: 'get', method: 'GET', url, headers: { accept: 'application/json' }, write: false });
  let body: any;
  try {
    body = JSON.parse(r.text);
  } catch {
    body = undefined;
  }
  return { status: r.status, body, text: r.text };
}

function condition(crd: CustomResourceDefinition, type: string): string | undefined {
  return crd.status?.conditions?.find((c) => c.type === type)?.status;
}

/** Creates CRDs and waits until each is Established; returns them as stored. */
async function establish(send: Send, crds: readonly CustomResourceDefinition[], wait: () => Promise<void>): Promise<CustomResourceDefinition[]> {
  for (const crd of crds) {
    const r = await send({ label: 'crd', method: 'POST', url: CRDS_URL, headers: { 'content-type': 'application/json' }, body: JSON.stringify(crd), write: true });
    assert.ok(r.status === 201 || r.status === 409, `${crd.metadata.name}: ${r.status} ${r.text.slice(0, 500)}`);
  }
  const stored: CustomResourceDefinition[] = [];
  for (const crd of crds) {
    let got: CustomResourceDefinition | undefined;
    for (let i = 0; i < 200; i++) {
      const r = await getJson(send, `${CRDS_URL}/${crd.metadata.name}`);
      if (r.status === 200 && condition(r.body, 'Established') === 'True') {
        got = r.body;
        break;
      }
      await wait();
    }
    assert.ok(got, `${crd.metadata.name} never became Established`);
    stored.push(got);
  }
  return stored;
}

/** Installs every add-on of the catalog through skiff's add-on endpoint. */
async function installAddons(send: Send): Promise<void> {
  for (const a of ADDONS) {
    const r = await send({ label: 'addon', method: 'POST', url: `/skiff/v1/addons/${a.name}`, headers: {}, write: true });
    assert.ok(r.status === 200 || r.status === 201, `add-on ${a.name}: ${r.status} ${r.text.slice(0, 300)}`);
  }
}

/** The paths every Established CRD must answer: its list per served version, discovery and OpenAPI v3. */
function servingPaths(crd: CustomResourceDefinition): string[] {
  return crdResources(crd).flatMap((i) => [`/apis/${i.group}/${i.version}`, `/apis/${i.group}/${i.version}/${i.resource}`, `/openapi/v3/apis/${i.group}/${i.version}`]);
}

const seeds = seedObjects();

describe('fuzzing the API server in process', () => {
  let c: InProcessCluster;
  let clock: VirtualClock;
  const rejections: unknown[] = [];
  const onRejection = (e: unknown) => rejections.push(e);
  /** What the in-server loops (the CRD controller) logged as errors. */
  const loopErrors: string[] = [];
  const consoleError = console.error;
  const send: Send = async (r) => {
    const a: InProcessResponse = await c.request({ method: r.method, url: r.url, headers: r.headers, body: r.body });
    return { status: a.status, text: a.text, writes: a.writes, ended: a.ended };
  };
  /** Fails on what the CRD controller logged, but for open findings. */
  const assertNoLoopErrors = () => {
    const r: FuzzRequest = { label: 'crd controller log', method: 'GET', url: '', headers: {}, write: false };
    const unexpected = loopErrors.filter((line) => !tolerated(r, { status: 0, text: line, ended: true }, line));
    loopErrors.length = 0;
    assert.deepEqual(unexpected, [], 'the CRD controller logged errors');
  };
  /** Lets the CRD controller and the other watch-driven loops catch up. */
  const tick = () => clock.advance(1);
  let customSeeds: SeedObject[] = [];

  before(async () => {
    process.on('unhandledRejection', onRejection);
    // The CRD controller reports what it could not do as "crd <name>: <error>" and carries on.
    console.error = (...args: unknown[]) => {
      const line = args.map(String).join(' ');
      if (line.startsWith('crd ')) loopErrors.push(line);
      else consoleError(...args);
    };
    c = await InProcessCluster.start();
    clock = c.apiserver.clock as VirtualClock;
  });
  after(() => {
    process.off('unhandledRejection', onRejection);
    console.error = consoleError;
    c?.stop();
  });

  test('the seed objects are valid, so mutations start from accepted objects', async () => {
    const accepted = await plant(send, seeds);
    assert.ok(seeds.length >= 30, `only ${seeds.length} seeds`);
    assert.equal(accepted, seeds.length, 'every seed object is created');
  });

  test(`random and mutated requests get no 5xx and never half-apply a rejected write (seed ${SEED})`, async (t) => {
    const { ok, rejected, total } = split(await fuzz(t, send, requestArbitrary(seeds), IN_PROCESS_RUNS, 40_000));
    // A fuzzer whose every request bounces off the front door tests nothing.
    assert.ok(ok > total * 0.05, `only ${ok} of ${total} requests succeeded`);
    assert.ok(rejected > total * 0.2, `only ${rejected} of ${total} requests were rejected`);
  });

  test(`server-side apply bodies, texts and options get no 5xx, record their manager, and a rejected apply writes nothing (seed ${SEED})`, async (t) => {
    const tally = await fuzz(t, send, applyArbitrary(seeds), runs(0.3), 15_000);
    const { ok, rejected, total } = split(tally);
    assert.ok(ok > total * 0.1, `only ${ok} of ${total} applies succeeded`);
    assert.ok((tally.get(201) ?? 0) > 0, 'no apply created an object');
    assert.ok(rejected > total * 0.2, `only ${rejected} of ${total} applies were rejected`);
  });

  test(`mutated CRD schemas and specs get no 5xx, and the CRD controller settles every accepted CRD (seed ${SEED})`, async (t) => {
    await ensureNamespace(send);
    const [sentinel] = await establish(send, [sentinelCRD()], tick);
    const bases = [...ownCRDs(), ...catalogCRDs()];
    const tally = await fuzz(t, send, crdRequestArbitrary(bases), runs(0.2), 20_000, tick);
    const { ok, total } = split(tally);
    assert.ok((tally.get(201) ?? 0) >= Math.min(10, total / 20), `only ${tally.get(201) ?? 0} of ${total} CRD requests created one`);
    assert.ok(ok < total, 'no CRD request was rejected');
    // Let the controller finish: names, Established, finalizers of deleted CRDs (they have no objects).
    for (let i = 0; i < 20; i++) await clock.advance(100);
    const list = await getJson(send, CRDS_URL);
    assert.equal(list.status, 200, list.text);
    const fuzzed: CustomResourceDefinition[] = list.body.items.filter((c: CustomResourceDefinition) => c.spec.group.endsWith(FUZZ_CRD_GROUP_SUFFIX));
    t.diagnostic(`${fuzzed.length} fuzzed CRDs stored: ${fuzzed.filter((c) => condition(c, 'Established') === 'True').length} Established, ${fuzzed.filter((c) => condition(c, 'NamesAccepted') === 'False').length} with names not accepted`);
    assert.ok(fuzzed.length > 0, 'no fuzzed CRD was stored');
    for (const crd of fuzzed) {
      if (crd.metadata.deletionTimestamp) {
        const why = `${crd.metadata.name} is still being deleted, with no objects to delete`;
        const r: FuzzRequest = { label: 'settled crd', method: 'GET', url: `${CRDS_URL}/${crd.metadata.name}`, headers: {}, write: false };
        if (!tolerated(r, { status: 200, text: JSON.stringify(crd), ended: true }, why)) assert.fail(`${why}: ${JSON.stringify(crd.status)}`);
        continue;
      }
      const settled = condition(crd, 'Established') === 'True' || condition(crd, 'NamesAccepted') === 'False';
      assert.ok(settled, `${crd.metadata.name} neither Established nor refused its names: ${JSON.stringify(crd.status)}`);
      if (condition(crd, 'Established') !== 'True') continue;
      for (const path of servingPaths(crd)) {
        const r = await getJson(send, path);
        assert.equal(r.status, 200, `${crd.metadata.name}: GET ${path}: ${r.text.slice(0, 400)}\n${JSON.stringify(crd).slice(0, 3000)}`);
      }
    }
    // Objects of whatever schemas were accepted: built from the schema, mostly conforming.
    const established = fuzzed.filter((c) => condition(c, 'Established') === 'True');
    const crTally = await replay(t, send, established.flatMap((crd) => customResourceRequests(crd, SEED, Math.max(5, runs(0.01)))));
    assert.ok((crTally.get(201) ?? 0) > 0, 'no custom resource of a fuzzed CRD was created');
    assert.ok([...crTally.keys()].some((s) => s >= 400), 'every write of a custom resource of a fuzzed CRD was accepted');
    for (const url of ['/apis', '/api', '/openapi/v2', '/openapi/v3', `/apis/${sentinel.spec.group}/v1/namespaces/${FUZZ_NS}/crontabs`]) {
      const r = await getJson(send, url);
      assert.equal(r.status, 200, `GET ${url}: ${r.text.slice(0, 400)}`);
    }
    const cr = await send({
      label: 'sentinel',
      method: 'POST',
      url: `/apis/${sentinel.spec.group}/v1/namespaces/${FUZZ_NS}/crontabs`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiVersion: `${sentinel.spec.group}/v1`, kind: 'CronTab', metadata: { name: 'still-served' }, spec: { cronSpec: '* * * * *' } }),
      write: true,
    });
    assert.equal(cr.status, 201, cr.text);
    assertNoLoopErrors();
  });

  test('the add-on catalog and our own CRDs become Established and their custom resources are created', async () => {
    await installAddons(send);
    customSeeds = customSeedObjects(await establish(send, [...ownCRDs(), ...catalogCRDs()], tick));
    assert.ok(customSeeds.length >= 15, `only ${customSeeds.length} custom seeds`);
    const accepted = await plant(send, customSeeds);
    assert.equal(accepted, customSeeds.length, 'every custom seed object is created');
  });

  test(`mutated custom resources get no 5xx, strategic merge patches get 415, and a rejected write changes nothing (seed ${SEED})`, async (t) => {
    assert.ok(customSeeds.length, 'no custom seeds');
    const tally = await fuzz(t, send, requestArbitrary(customSeeds), runs(0.6), 25_000);
    const { ok, rejected, total } = split(tally);
    assert.ok(ok > total * 0.05, `only ${ok} of ${total} requests succeeded`);
    assert.ok(rejected > total * 0.2, `only ${rejected} of ${total} requests were rejected`);
    assert.ok((tally.get(415) ?? 0) > 0, 'no strategic merge patch was refused');
  });

  test(`deleting CRDs while their custom resources are written gets no 5xx and leaves no objects behind (seed ${SEED})`, async (t) => {
    const base = ownCRDs().find((c) => c.spec.names.kind === 'Gizmo')!;
    const objectOf = (group: string, name: string, count: number) => ({
      apiVersion: `${group}/v1`,
      kind: 'Gizmo',
      metadata: { name, namespace: FUZZ_NS },
      spec: { mode: 'fast', count },
    });
    let round = 0;
    const raceTally = new Map<string, number>();
    const result = await fc.check(
      fc.asyncProperty(
        fc.record({
          writes: fc.array(fc.record({ verb: fc.constantFrom('create', 'update', 'merge', 'apply', 'status', 'scale', 'delete', 'json'), name: fc.nat({ max: 5 }), count: fc.integer({ min: -1, max: 20 }) }), { minLength: 3, maxLength: 25 }),
          deleteAt: fc.nat({ max: 25 }),
          ticksBetween: fc.nat({ max: 3 }),
          lateTicks: fc.boolean(),
          hold: fc.boolean(),
        }),
        async ({ writes, deleteAt, ticksBetween, lateTicks, hold }) => {
          const group = `del${round++}.fuzz.skiff.dev`;
          const crd = structuredClone(base);
          crd.spec.group = group;
          crd.metadata.name = `gizmos.${group}`;
          const [stored] = await establish(send, [crd], tick);
          const info = crdResources(stored)[0];
          const coll = `/apis/${group}/v1/namespaces/${FUZZ_NS}/gizmos`;
          for (let i = 0; i < 3; i++) {
            // With hold, one object carries a finalizer of its own: the CRD stays Terminating until
            // it is released, and the cleanup must wait for it, not give up.
            const obj = objectOf(group, `g${i}`, i) as Record<string, any>;
            if (hold && i === 0) obj.metadata.finalizers = ['example.com/hold'];
            const r = await send({ label: 'cr', method: 'POST', url: coll, headers: { 'content-type': 'application/json' }, body: JSON.stringify(obj), write: true });
            assert.equal(r.status, 201, r.text);
          }
          const requests: FuzzRequest[] = writes.map(({ verb, name, count }): FuzzRequest => {
            const n = `g${name}`;
            const url = `${coll}/${n}`;
            const body = objectOf(group, n, count);
            switch (verb) {
              case 'create':
                return { label: verb, method: 'POST', url: coll, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), write: true };
              case 'update':
                return { label: verb, method: 'PUT', url, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), write: true };
              case 'merge':
                return { label: verb, method: 'PATCH', url, headers: { 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ metadata: { labels: { n: String(count) } }, spec: { count } }), write: true };
              case 'json':
                return { label: verb, method: 'PATCH', url, headers: { 'content-type': 'application/json-patch+json' }, body: JSON.stringify([{ op: 'replace', path: '/spec/count', value: count }]), write: true };
              case 'apply':
                return { label: verb, method: 'PATCH', url: `${url}?fieldManager=racer&force=true`, headers: { 'content-type': 'application/apply-patch+yaml' }, body: YAML.stringify(body), write: true };
              case 'status':
                return { label: verb, method: 'PATCH', url: `${url}/status`, headers: { 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ status: { count, ready: true } }), write: true };
              case 'scale':
                return { label: verb, method: 'PATCH', url: `${url}/scale`, headers: { 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ spec: { replicas: count } }), write: true };
              default:
                return { label: verb, method: 'DELETE', url, headers: {}, write: true };
            }
          });
          const del: FuzzRequest = { label: 'delete crd', method: 'DELETE', url: `${CRDS_URL}/${crd.metadata.name}`, headers: {}, write: true };
          requests.splice(Math.min(deleteAt, requests.length), 0, del);
          // Everything in flight at once, with the controller running in between.
          const answers = await Promise.all(
            requests.map(async (r, i) => {
              for (let k = 0; k < (i % (ticksBetween + 1)); k++) await tick();
              return { r, a: await send(r) };
            }),
          );
          for (const { r, a } of answers) {
            assert.ok(a.status < 500 && a.status >= 200, `${r.label} ${r.url}: ${a.status} ${a.text.slice(0, 400)}`);
            const k = `${r.label} ${a.status}`;
            raceTally.set(k, (raceTally.get(k) ?? 0) + 1);
          }
          const delAnswer = answers.find((x) => x.r === del)!.a;
          assert.equal(delAnswer.status, 200, delAnswer.text);
          // A client keeps creating objects while the cleanup runs: none may outlive the CRD.
          let gone = false;
          for (let i = 0; i < 100 && !gone; i++) {
            if (hold && i === 4) {
              const release = await send({ label: 'release', method: 'PATCH', url: `${coll}/g0`, headers: { 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ metadata: { finalizers: null } }), write: true });
              assert.ok(release.status === 200 || release.status === 404, `releasing the held object: ${release.status} ${release.text.slice(0, 300)}`);
            }
            const late = send({ label: 'late create', method: 'POST', url: coll, headers: { 'content-type': 'application/json' }, body: JSON.stringify(objectOf(group, `late${i}`, 1)), write: true });
            // Small steps first (the cleanup mid-way), then whole seconds (the finalizer's re-checks).
            const [a] = await Promise.all([late, clock.advance(lateTicks || i >= 20 ? 500 : 1)]);
            assert.ok(a.status < 500, `late create: ${a.status} ${a.text.slice(0, 300)}`);
            // From the second try on, the server has seen the CRD Terminating: creates are refused.
            if (i > 0 && a.status !== 404) {
              const why = a.status === 405 && statusMessage(a.text) === TERMINATING_CREATE ? undefined : `created while terminating: ${a.status} ${a.text.slice(0, 200)}`;
              if (why && !tolerated({ label: 'late create', method: 'POST', url: coll, headers: {}, write: true }, a, why)) assert.fail(why);
            }
            raceTally.set(`late create ${a.status}`, (raceTally.get(`late create ${a.status}`) ?? 0) + 1);
            gone = (await getJson(send, `${CRDS_URL}/${crd.metadata.name}`)).status === 404;
          }
          assert.ok(gone, `${crd.metadata.name} was never deleted: ${(await getJson(send, `${CRDS_URL}/${crd.metadata.name}`)).text.slice(0, 600)}`);
          const left = await c.store.list(storageKey(info));
          assert.deepEqual(left.items.map((kv) => kv.key), [], 'custom resources outlived their CRD');
          const after = await getJson(send, coll);
          assert.equal(after.status, 404, `the resource is still served after its CRD is gone: ${after.text.slice(0, 300)}`);
          // The same CRD again starts empty.
          await establish(send, [crd], tick);
          const fresh = await getJson(send, coll);
          assert.equal(fresh.status, 200, fresh.text);
          assert.deepEqual(fresh.body.items, [], 'a re-created CRD serves objects of the deleted one');
          const ready = await send({ label: 'readyz', method: 'GET', url: '/readyz', headers: {}, write: false });
          assert.equal(ready.status, 200);
        },
      ),
      { seed: SEED, numRuns: Math.max(3, Math.round(runs(0.006))), endOnFailure: true, interruptAfterTimeLimit: 15_000, markInterruptAsFailure: false },
    );
    t.diagnostic(`fast-check seed ${SEED}: ${result.numRuns} CRDs deleted under writes; answers ${[...raceTally].sort().map(([k, n]) => `${k}×${n}`).join(', ')}`);
    if (result.failed) {
      const message = result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
      assert.fail(`breach (reproduce with SKIFF_FUZZ_SEED=${SEED}, path ${result.counterexamplePath}):\n${message}`);
    }
    assertNoLoopErrors();
  });

  for (const f of [...FIXED_FINDINGS, ...OPEN_FINDINGS]) {
    test(`replays a fuzz finding: ${f.id}`, { todo: OPEN_FINDINGS.includes(f) ? f.owner : undefined }, async () => {
      for (const s of f.setup ?? []) await send(s);
      await clock.advance(10); // the watch-driven loops see the setup
      const a = await send(f.repro);
      const wrong = f.verify ? f.verify(a) : a.status >= 400 && a.status < 500 ? undefined : `${a.status} ${a.text}`;
      assert.equal(wrong, undefined);
    });
  }

  test('no promise was left rejected and the server still serves afterwards', async () => {
    assert.deepEqual(rejections, []);
    const ready = await c.request({ method: 'GET', url: '/readyz' });
    assert.equal(ready.status, 200);
    assert.equal(ready.text, 'ok');
    const r = await c.request({ method: 'POST', url: `/api/v1/namespaces/${FUZZ_NS}/configmaps`, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-fuzz' }, data: { ok: 'yes' } } });
    assert.ok(r.status === 201 || r.status === 403 || r.status === 404, r.text);
  });
});

/** The kubeconfig's server URL, CA and admin token. */
function credentials(kubeconfig: string): { server: string; ca: string; token: string } {
  const kc = YAML.parse(readFileSync(kubeconfig, 'utf8'));
  const current = kc.contexts.find((x: any) => x.name === kc['current-context']).context;
  const cluster = kc.clusters.find((x: any) => x.name === current.cluster).cluster;
  const user = kc.users.find((x: any) => x.name === current.user).user;
  return { server: cluster.server, ca: Buffer.from(cluster['certificate-authority-data'], 'base64').toString(), token: user.token };
}

describe('fuzzing skiff up over HTTPS', () => {
  let skiff: SkiffProcess;
  let send: Send;
  let agent: Agent;

  before(async () => {
    skiff = await SkiffProcess.start();
    const { server, ca, token } = credentials(skiff.kubeconfig);
    const base = new URL(server);
    agent = new Agent({ ca, keepAlive: true, servername: base.hostname === '127.0.0.1' ? undefined : base.hostname });
    send = (r) =>
      new Promise<Answer>((resolve, reject) => {
        const body = r.body === undefined ? undefined : Buffer.from(r.body);
        const req = httpsRequest(
          {
            host: base.hostname,
            port: base.port,
            method: r.method,
            path: r.url,
            agent,
            headers: { ...r.headers, authorization: `Bearer ${token}`, ...(body ? { 'content-length': String(body.length) } : {}) },
          },
          (res) => {
            const chunks: Buffer[] = [];
            const finish = () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), ended: true });
            // A watch streams until its timeout: take what came with the headers and leave. Any
            // watch value but "0" and "false" asks for one (upstream's query boolean).
            const watchParam = new URLSearchParams(r.url.split('?')[1] ?? '').get('watch');
            const watching = /\/watch\//.test(r.url) || (watchParam !== null && watchParam !== '0' && watchParam.toLowerCase() !== 'false');
            if (res.headers['transfer-encoding'] === 'chunked' && res.statusCode === 200 && watching) {
              res.once('data', (d: Buffer) => chunks.push(d));
              res.destroy();
              return finish();
            }
            res.on('data', (d: Buffer) => chunks.push(d));
            res.on('end', finish);
            res.on('error', reject);
          },
        );
        req.on('error', (e: NodeJS.ErrnoException) => {
          // Node's HTTP parser answers a request line or headers over its 16 KiB limit (431) and an
          // unknown method (400) itself and closes the socket, which a client still sending its
          // body sees as a reset: count those as the answers they are.
          const reset = e.code === 'ECONNRESET' || e.code === 'EPIPE';
          if (reset && r.url.length > 16_000) resolve({ status: 431, text: '', ended: true });
          else if (reset && !METHODS.includes(r.method)) resolve({ status: 400, text: '', ended: true });
          else reject(e);
        });
        req.end(body);
      });
  });
  after(async () => {
    agent?.destroy();
    await skiff?.destroy();
  });

  test(`random and mutated requests over HTTPS get no 5xx and never half-apply a rejected write (seed ${SEED})`, async (t) => {
    await plant(send, seeds);
    await fuzz(t, send, requestArbitrary(seeds), HTTPS_RUNS, 20_000);
  });

  test(`mutated CRDs and custom resources over HTTPS get no 5xx and never half-apply a rejected write (seed ${SEED})`, async (t) => {
    await installAddons(send);
    const stored = await establish(send, [...ownCRDs(), ...catalogCRDs()], () => realClock.sleep(20));
    const custom = customSeedObjects(stored);
    assert.equal(await plant(send, custom), custom.length, 'every custom seed object is created');
    await fuzz(t, send, requestArbitrary(custom), Math.round(HTTPS_RUNS * 0.6), 10_000);
    await fuzz(t, send, crdRequestArbitrary([...ownCRDs(), ...catalogCRDs()]), Math.round(HTTPS_RUNS * 0.3), 8_000);
  });

  test('the process is alive and ready after the fuzzing', async () => {
    assert.doesNotThrow(() => process.kill(skiff.pid, 0), 'the skiff process is gone');
    const r = await send({ label: 'readyz', method: 'GET', url: '/readyz', headers: {}, write: false });
    assert.equal(r.status, 200);
    assert.equal(r.text, 'ok');
    assert.doesNotMatch(skiff.output, /Uncaught|unhandled|FATAL|Maximum call stack|^crd /im);
  });
});
