// The verbs of one resource request (get, list, watch, create, update, patch, delete,
// deletecollection, and the status/scale subresources), as kube-apiserver's endpoint handlers.
import { jsonCopy } from '../apimachinery/json.js';
import { findByKind, findResource, type ResourceInfo } from '../api/resources.js';
import type { KubeObject } from '../api/types.js';
import { apiVersionOf } from '../api/types.js';
import { isProtobuf } from '../api/protobuf/codec.js';
import { decodeErrorMessage, duplicateFields } from '../api/schema.js';
import { strategicMergePatchUnsupported } from '../apiextensions/index.js';
import { builtinKindSchema, type KindSchema } from './kind-schema.js';
import type { Printer } from './printers/printer.js';
import {
  badRequest,
  field,
  invalid,
  type FieldError,
  methodNotAllowed,
  pathNotFound,
  StatusError,
  unsupportedMediaType,
} from '../apimachinery/errors.js';
import { matches, parseSelector } from '../apimachinery/labels.js';
import { defaultFieldLabelConversion, fieldLabelNotSupportedMessage, matchesFields, parseFieldSelector, requirements } from '../apimachinery/fields.js';
import { nestingDepthError } from '../apimachinery/json-depth.js';
import { applyJsonPatch } from '../apimachinery/patch/json-patch.js';
import { applyMergePatch } from '../apimachinery/patch/merge-patch.js';
import { applyStrategicMergePatch } from '../apimachinery/patch/strategic.js';
import type { Clock } from '../sim/clock.js';
import type { UserInfo } from './auth/authn.js';
import { bodyUnlessValue, decodeApplyBody, decodeBody, decodeBodyOrValue, goJsonError, goJsonType, mediaType, negotiate, warningHeader, writeObject, type ApiRequest, type ResponseSink } from './http.js';
import { defaultPrinter, printerFor, toTable } from './printers/index.js';
import { type GenericRegistry, type ObjectFilter, type WriteOptions } from './registry/generic.js';
import { apply, fieldManagementErrors, managerOrUserAgent } from '../apimachinery/ssa/index.js';
import { rfc3339 } from '../sim/clock.js';
import { serveWatch } from './watch.js';
import { validateDeleteOptions } from './delete-options.js';
import { queryBool } from './request-info.js';

/** What a resource request handler needs from the server. */
export interface ResourceContext {
  req: ApiRequest;
  res: ResponseSink;
  user: UserInfo;
  /** The served version the client addressed. */
  info: ResourceInfo;
  registry: GenericRegistry;
  namespace: string;
  name: string;
  subresource: string;
  verb: string;
  clock: Clock;
  stop: AbortSignal;
  /** The kind's schema: pruning, strictness, merge semantics, conversion. */
  kind: KindSchema;
  /** The Table columns, when not the built-in printer of the resource (custom resources). */
  printer?: Printer;
}

const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
];

const FIELD_VALIDATION = ['Ignore', 'Strict', 'Warn'];

/** Handles one request to a stored resource. */
export async function handleResource(c: ResourceContext): Promise<void> {
  // A deprecated API version warns on every response, as upstream's deprecation filter does.
  if (c.info.deprecationWarning) c = { ...c, res: withWarning(c.res, c.info.deprecationWarning) };
  const { verb, subresource } = c;
  if (subresource && subresource !== 'status' && subresource !== 'scale' && subresource !== 'finalize') throw pathNotFound();
  if (subresource && !c.info.subresources.some((s) => s.name === subresource)) throw pathNotFound();
  // namespaces/finalize is PUT only: the namespace controller releases its finalizer through it.
  if (subresource === 'finalize' && verb !== 'update') throw methodNotAllowed(qualified(c), verb);
  if (subresource === 'scale') return handleScale(c);
  switch (verb) {
    case 'get':
      return handleGet(c);
    case 'list':
      return handleList(c);
    case 'watch':
      return handleWatch(c);
    case 'create':
      if (subresource) throw methodNotAllowed(qualified(c), 'create');
      return handleCreate(c);
    case 'update':
      return handleUpdate(c);
    case 'patch':
      return handlePatch(c);
    case 'delete':
      if (subresource) throw methodNotAllowed(qualified(c), 'delete');
      return handleDelete(c);
    case 'deletecollection':
      return handleDeleteCollection(c);
    default:
      throw methodNotAllowed(qualified(c), verb);
  }
}

/** A response sink that adds one Warning header to whatever the handler writes. */
export function withWarning(res: ResponseSink, text: string): ResponseSink {
  return {
    writeHead(code, headers) {
      const existing = headers['Warning'];
      const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [existing];
      return res.writeHead(code, { ...headers, Warning: [warningHeader(text), ...list] });
    },
    write: (chunk) => res.write(chunk),
    end: (chunk) => res.end(chunk),
    once: (event, cb) => res.once(event, cb),
    get headersSent() {
      return res.headersSent;
    },
    flushHeaders: () => res.flushHeaders?.(),
  };
}

function qualified(c: ResourceContext) {
  return { group: c.info.group, resource: c.info.resource };
}

/** The apiVersion the client addressed. */
function requestApiVersion(c: ResourceContext): string {
  return apiVersionOf(c.info.group, c.info.version);
}

/** Converts a stored object to the version the client addressed, with its TypeMeta. */
export function toRequestVersion(info: ResourceInfo, obj: KubeObject, kind: KindSchema = builtinKindSchema(info)): KubeObject {
  const target = apiVersionOf(info.group, info.version);
  const out = kind.convert(obj, target);
  out.apiVersion = target;
  out.kind = info.kind;
  return out;
}

function toStorageVersion(c: ResourceContext, obj: KubeObject): KubeObject {
  const reg = c.registry;
  const target = reg.storageApiVersion;
  const out = c.kind.convert(obj, target);
  out.apiVersion = target;
  out.kind = reg.info.kind;
  return out;
}

const boolParam = queryBool;

/** The options kind a verb's query parameters decode into (CreateOptions, UpdateOptions, ...). */
function optionsKind(verb: string): string {
  return verb === 'create' ? 'CreateOptions' : verb === 'patch' ? 'PatchOptions' : verb === 'update' ? 'UpdateOptions' : 'DeleteOptions';
}

/** A write's query options, validated together as upstream's ValidateCreate/Update/PatchOptions. */
interface WriteQuery {
  dryRun: boolean;
  fieldValidation: string;
  /** The field manager: the fieldManager parameter, else derived from the User-Agent. */
  manager: string;
  force: boolean;
}

function writeQuery(c: ResourceContext, patchType?: string): WriteQuery {
  const q = c.req.query;
  const errs: FieldError[] = [];
  const fieldManager = q.get('fieldManager') ?? '';
  if (c.verb !== 'delete') errs.push(...fieldManagementErrors({ fieldManager, forceGiven: q.has('force') }, patchType));
  const dry = q.getAll('dryRun');
  if (dry.some((v) => v !== 'All')) errs.push(field.notSupported('dryRun', dry, ['All']));
  const fv = q.get('fieldValidation') ?? '';
  if (fv !== '' && !FIELD_VALIDATION.includes(fv)) errs.push(field.notSupported('fieldValidation', fv, ['', ...FIELD_VALIDATION]));
  if (errs.length) throw invalid({ group: 'meta.k8s.io', kind: optionsKind(c.verb) }, '', errs);
  return {
    dryRun: dry.length > 0,
    fieldValidation: fv || 'Warn',
    manager: managerOrUserAgent(fieldManager, c.req.headers['user-agent']),
    force: boolParam(q, 'force'),
  };
}

function dryRun(q: URLSearchParams): boolean {
  const all = q.getAll('dryRun');
  if (all.some((v) => v !== 'All')) throw invalid({ group: 'meta.k8s.io', kind: 'DeleteOptions' }, '', [field.notSupported('dryRun', all, ['All'])]);
  return all.length > 0;
}

/** Builds the label/field selector filter of a list, watch or deletecollection. */
export function selectorFilter(c: ResourceContext): { filter?: ObjectFilter; filtered: boolean } {
  const q = c.req.query;
  const ls = q.get('labelSelector');
  const fs = q.get('fieldSelector');
  const filters: ObjectFilter[] = [];
  if (ls) {
    let sel;
    try {
      sel = parseSelector(ls);
    } catch (e) {
      if (e instanceof StatusError) throw e;
      throw badRequest((e as Error).message);
    }
    filters.push((o) => matches(sel, o.metadata.labels ?? {}));
  }
  if (fs) {
    let sel;
    try {
      sel = parseFieldSelector(fs);
    } catch (e) {
      if (e instanceof StatusError) throw e;
      throw badRequest((e as Error).message);
    }
    const selectable = c.registry.strategy.selectableFields;
    const supported = new Set(['metadata.name', 'metadata.namespace', ...Object.keys(probeSelectable(selectable))]);
    for (const r of requirements(sel)) {
      if (supported.has(r.field)) continue;
      // Kinds without their own field labels answer as runtime.DefaultMetaV1FieldSelectorConversion.
      if (!selectable) defaultFieldLabelConversion(r.field, r.value);
      throw badRequest(fieldLabelNotSupportedMessage(r.field));
    }
    filters.push((o) => {
      const fields: Record<string, string> = { 'metadata.name': o.metadata.name ?? '', ...(selectable?.(o) ?? {}) };
      if (c.info.namespaced) fields['metadata.namespace'] = o.metadata.namespace ?? '';
      return matchesFields(sel, fields);
    });
  }
  if (!filters.length) return { filtered: false };
  return { filter: (o) => filters.every((f) => f(o)), filtered: true };
}

// The field-selector labels a strategy supports: its selectableFields on an empty object.
function probeSelectable(fn: ((o: KubeObject) => Record<string, string>) | undefined): Record<string, string> {
  if (!fn) return {};
  try {
    return fn({ metadata: {}, spec: {}, status: {}, involvedObject: {}, source: {}, regarding: {} } as KubeObject);
  } catch {
    return {};
  }
}

function printer(c: ResourceContext) {
  return c.printer ?? printerFor(c.info.group, c.info.resource) ?? defaultPrinter;
}

// The autoscaling/v1 Scale kind every /scale endpoint reads and writes.
const SCALE_KIND = builtinKindSchema({ ...findResource('autoscaling', 'v1', 'horizontalpodautoscalers')!, kind: 'Scale', modelType: 'V1Scale' });

function includeObject(q: URLSearchParams): 'None' | 'Metadata' | 'Object' {
  const v = q.get('includeObject');
  if (v === 'None' || v === 'Object') return v;
  return 'Metadata';
}

function partialMetadata(obj: KubeObject): KubeObject {
  return { apiVersion: 'meta.k8s.io/v1', kind: 'PartialObjectMetadata', metadata: obj.metadata };
}

async function handleGet(c: ResourceContext): Promise<void> {
  const neg = negotiate(c.req.headers.accept, { allowTable: true, list: false });
  const stored = await c.registry.get(c.namespace, c.name, c.req.query.get('resourceVersion') ?? undefined);
  const obj = toRequestVersion(c.info, stored, c.kind);
  if (neg.rep === 'table') {
    const table = toTable(printer(c), [obj], c.clock.now(), { includeObject: includeObject(c.req.query) });
    (table.metadata as Record<string, unknown>).resourceVersion = obj.metadata.resourceVersion;
    return writeObject(c.res, 200, table, { yaml: neg.yaml });
  }
  if (neg.rep === 'partial-metadata') return writeObject(c.res, 200, partialMetadata(obj), { yaml: neg.yaml });
  writeObject(c.res, 200, obj, { yaml: neg.yaml });
}

function parseLimit(q: URLSearchParams): number | undefined {
  const v = q.get('limit');
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  const n = Number(v);
  return n > 0 ? n : undefined;
}

async function handleList(c: ResourceContext): Promise<void> {
  const q = c.req.query;
  const neg = negotiate(c.req.headers.accept, { allowTable: true, list: true });
  const { filter, filtered } = selectorFilter(c);
  const page = await c.registry.list(c.namespace, {
    filter,
    filtered,
    limit: parseLimit(q),
    continueToken: q.get('continue') ?? undefined,
    resourceVersion: q.get('resourceVersion') ?? undefined,
    resourceVersionMatch: q.get('resourceVersionMatch') ?? undefined,
  });
  const metadata: Record<string, unknown> = { resourceVersion: page.resourceVersion };
  if (page.continueToken) metadata.continue = page.continueToken;
  if (page.remainingItemCount !== undefined) metadata.remainingItemCount = page.remainingItemCount;
  const items = page.items.map((o) => toRequestVersion(c.info, o, c.kind));
  if (neg.rep === 'table') {
    const table = toTable(printer(c), items, c.clock.now(), { includeObject: includeObject(q) });
    table.metadata = metadata;
    return writeObject(c.res, 200, table, { yaml: neg.yaml });
  }
  if (neg.rep === 'partial-metadata-list') {
    return writeObject(
      c.res,
      200,
      { apiVersion: 'meta.k8s.io/v1', kind: 'PartialObjectMetadataList', metadata, items: items.map(partialMetadata) },
      { yaml: neg.yaml },
    );
  }
  writeObject(c.res, 200, { kind: c.info.listKind, apiVersion: requestApiVersion(c), metadata, items: items.map(withoutTypeMeta) }, { yaml: neg.yaml });
}

/**
 * An item of a typed list: TypeMeta on the list only, as upstream serializes them. A shallow copy,
 * as a registry's result may be the object it shares with watchers (GenericRegistry.eventObject).
 */
function withoutTypeMeta(o: KubeObject): KubeObject {
  const { apiVersion: _apiVersion, kind: _kind, ...rest } = o;
  return rest as KubeObject;
}

async function handleWatch(c: ResourceContext): Promise<void> {
  const q = c.req.query;
  const neg = negotiate(c.req.headers.accept, { allowTable: true, list: true });
  const { filter } = selectorFilter(c);
  let fieldNameFilter: ObjectFilter | undefined;
  if (c.name) fieldNameFilter = (o) => o.metadata.name === c.name;
  const combined: ObjectFilter | undefined =
    filter && fieldNameFilter ? (o) => filter(o) && fieldNameFilter!(o) : (filter ?? fieldNameFilter);
  const timeout = q.get('timeoutSeconds');
  const sie = q.get('sendInitialEvents');
  const pr = printer(c);
  await serveWatch(
    c.res,
    c.registry,
    {
      namespace: c.namespace,
      filter: combined,
      resourceVersion: q.get('resourceVersion') ?? undefined,
      resourceVersionMatch: q.get('resourceVersionMatch') ?? undefined,
      allowWatchBookmarks: boolParam(q, 'allowWatchBookmarks'),
      sendInitialEvents: sie === null ? undefined : queryBool(q, 'sendInitialEvents'),
      timeoutSeconds: timeout !== null && /^\d+$/.test(timeout) ? Number(timeout) : undefined,
      bookmarkType: { apiVersion: requestApiVersion(c), kind: c.info.kind },
      transform: (stored, first) => {
        // Each watcher decoded its own copy, so only a version conversion needs a new object.
        const obj = toRequestVersion(c.info, stored, c.kind);
        if (neg.rep === 'table') {
          const t = toTable(pr, [obj], c.clock.now(), { includeObject: includeObject(q) });
          if (!first) t.columnDefinitions = [];
          t.metadata = { resourceVersion: obj.metadata.resourceVersion };
          return t;
        }
        if (neg.rep === 'partial-metadata-list') return partialMetadata(obj);
        return obj;
      },
    },
    c.clock,
    c.stop,
  );
}

/** Decodes a create/update body: version checks, strict/warn field validation, pruning. */
async function decodeObject(c: ResourceContext, warnings: string[]): Promise<KubeObject> {
  const buf = await bodyUnlessValue(c.req);
  const ct = c.req.headers['content-type'];
  const mt = mediaType(ct);
  if (mt && mt !== 'application/json' && mt !== 'application/yaml' && mt !== '*/*' && !isProtobuf(mt)) {
    throw unsupportedMediaType('application/json, application/yaml, application/vnd.kubernetes.protobuf');
  }
  const obj = decodeBodyOrValue(c.req, buf, ct, { apiVersion: requestApiVersion(c), kind: c.info.kind }) as KubeObject;
  const expected = requestApiVersion(c);
  if (obj.apiVersion !== undefined && obj.apiVersion !== expected) {
    throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${expected})`);
  }
  if (obj.kind !== undefined && obj.kind !== c.info.kind) {
    const known = findByKind(c.info.group, c.info.version, String(obj.kind));
    const why = known
      ? `converting (${c.info.version}.${obj.kind}) to (${internalPackage(c.info.group)}.${c.info.kind}): unknown conversion`
      : `no kind ${JSON.stringify(obj.kind)} is registered for version ${JSON.stringify(expected)} in scheme "pkg/api/legacyscheme/scheme.go:30"`;
    throw badRequest(`${obj.kind} in version "${c.info.version}" cannot be handled as a ${c.info.kind}: ${why}`);
  }
  // A body given as a value (in process) has no text in which a key could repeat.
  const dup = (mt === 'application/json' || !mt) && buf ? duplicateFields(buf.toString('utf8')) : [];
  checkFields(c, obj, dup, warnings);
  obj.apiVersion = expected;
  obj.kind = c.info.kind;
  if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
  return obj;
}

// The Go package of a group's internal types, as scheme conversion errors name it ("core", "apps").
function internalPackage(group: string): string {
  return group === '' ? 'core' : group.split('.')[0];
}

/** Applies fieldValidation to unknown and duplicate fields, as upstream's strict decoding. */
function checkFields(c: ResourceContext, obj: KubeObject, duplicates: string[], warnings: string[], known?: KubeObject): void {
  const mode = writeQuery(c).fieldValidation;
  const typeError = c.kind.decodeError(obj, known);
  if (typeError) throw badRequest(decodeErrorMessage(c.info.kind, c.info.version, typeError));
  const unknown = c.kind.prune(obj, known);
  if (mode === 'Ignore') return;
  const problems = [...duplicates.map((d) => `duplicate field "${d}"`), ...unknown.map((u) => `unknown field "${u}"`)];
  if (!problems.length) return;
  if (mode === 'Strict') throw badRequest(c.kind.strictMessage(unknown, duplicates.map((d) => `duplicate field "${d}"`)));
  warnings.push(...problems);
}

/** The registry's options for a write, with the managedFields tracking every non-apply write gets. */
function writeOpts(c: ResourceContext, subresource = '', patchType?: string): WriteOptions {
  const q = writeQuery(c, patchType);
  return { user: c.user, dryRun: q.dryRun, subresource, fieldManager: { manager: q.manager, apiVersion: requestApiVersion(c) } };
}

async function handleCreate(c: ResourceContext): Promise<void> {
  const warnings: string[] = [];
  const opts = writeOpts(c);
  const obj = await decodeObject(c, warnings);
  if (c.name) throw methodNotAllowed(qualified(c), 'create');
  const created = await c.registry.create(c.namespace, toStorageVersion(c, obj), opts);
  warnings.push(...(c.registry.strategy.warnings?.(created, undefined) ?? []));
  writeObject(c.res, 201, toRequestVersion(c.info, created, c.kind), { warnings });
}

async function handleUpdate(c: ResourceContext): Promise<void> {
  const warnings: string[] = [];
  const opts = writeOpts(c, c.subresource);
  const body = toStorageVersion(c, await decodeObject(c, warnings));
  const updated = await c.registry.update(c.namespace, c.name, () => jsonCopy(body), opts);
  writeObject(c.res, 200, toRequestVersion(c.info, updated, c.kind), { warnings });
}

/** Applies a patch document to the object in the client's version. */
export function applyPatch(kind: KindSchema, current: KubeObject, patchType: string, patchText: string, mode = 'Ignore'): KubeObject {
  if (patchType === 'application/strategic-merge-patch+json' && !kind.strategicMergePatch) throw strategicMergePatchUnsupported();
  const tooDeep = nestingDepthError(patchText);
  if (tooDeep) throw badRequest(`error decoding patch: ${tooDeep}`);
  let patch: unknown;
  try {
    patch = JSON.parse(patchText);
  } catch (e) {
    throw badRequest(`error decoding patch: ${goJsonError(e as Error, patchText)}`);
  }
  // Under Warn and Strict upstream first decodes the patch strictly into its Go shape; strategic
  // patches are always decoded into a map first.
  const isMap = typeof patch === 'object' && patch !== null && !Array.isArray(patch);
  if (patchType === 'application/strategic-merge-patch+json' && !isMap) {
    throw badRequest(`json: cannot unmarshal ${goJsonType(patch)} into Go value of type map[string]interface {}`);
  }
  if (mode !== 'Ignore') {
    if (patchType === 'application/json-patch+json' && !Array.isArray(patch)) {
      throw badRequest(`error decoding patch: json: cannot unmarshal ${goJsonType(patch)} into Go value of type []handlers.jsonPatchOp`);
    }
    if (patchType === 'application/merge-patch+json' && !isMap) {
      throw badRequest(`error decoding patch: json: cannot unmarshal ${goJsonType(patch)} into Go value of type map[string]interface {}`);
    }
  }
  switch (patchType) {
    case 'application/json-patch+json':
      return applyJsonPatch(current, patch) as KubeObject;
    case 'application/merge-patch+json':
      return applyMergePatch(current, patch) as KubeObject;
    case 'application/strategic-merge-patch+json':
      return applyStrategicMergePatch(current, patch, kind.patchSchema) as KubeObject;
    default:
      throw unsupportedMediaType(PATCH_TYPES.join(', '));
  }
}

async function handlePatch(c: ResourceContext): Promise<void> {
  const patchType = mediaType(c.req.headers['content-type']);
  if (!PATCH_TYPES.includes(patchType)) throw unsupportedMediaType(PATCH_TYPES.join(', '));
  if (patchType === 'application/apply-patch+yaml') return handleApply(c);
  // Upstream refuses the media type before it reads the object.
  if (patchType === 'application/strategic-merge-patch+json' && !c.kind.strategicMergePatch) throw strategicMergePatchUnsupported();
  const patchText = (await c.req.body()).toString('utf8');
  const warnings: string[] = [];
  const opts = writeOpts(c, c.subresource, patchType);
  const updated = await c.registry.update(
    c.namespace,
    c.name,
    (current) => {
      const versioned = toRequestVersion(c.info, current, c.kind);
      const pinnedBefore = versioned.metadata.resourceVersion;
      const mode = writeQuery(c, patchType).fieldValidation;
      const patched = applyPatch(c.kind, versioned, patchType, patchText, mode);
      if (typeof patched !== 'object' || patched === null || Array.isArray(patched)) throw badRequest('patched object is not a JSON object');
      patched.metadata ??= {};
      const fieldWarnings: string[] = [];
      try {
        // What the patch left alone is the current object's own, which decoded when it was written.
        checkFields(c, patched, [], fieldWarnings, versioned);
      } catch (e) {
        // A JSON or merge patch that leaves unknown fields is reported against the patch itself.
        if (mode === 'Strict' && e instanceof StatusError && /strict decoding error/.test(e.message) && patchType !== 'application/strategic-merge-patch+json') {
          const detail = e.message.slice(e.message.indexOf('strict decoding error'));
          throw invalid({ group: '', kind: '' }, '', [field.invalid('patch', JSON.stringify(patched), detail)]);
        }
        throw e;
      }
      warnings.splice(0, warnings.length, ...fieldWarnings);
      // A patch that does not name a resourceVersion is applied to whatever is current.
      if (patched.metadata.resourceVersion === pinnedBefore) delete patched.metadata.resourceVersion;
      if (patched.apiVersion !== requestApiVersion(c) || patched.kind !== c.info.kind) {
        throw badRequest(`the API version in the data (${String(patched.apiVersion)}) does not match the expected API version (${requestApiVersion(c)})`);
      }
      return toStorageVersion(c, patched);
    },
    opts,
  );
  writeObject(c.res, 200, toRequestVersion(c.info, updated, c.kind), { warnings });
}

/**
 * Server-side apply (application/apply-patch+yaml): merges the applied configuration into the
 * live object with managedFields ownership, creating the object when it does not exist.
 */
async function handleApply(c: ResourceContext): Promise<void> {
  const body = await bodyUnlessValue(c.req);
  const q = writeQuery(c, 'application/apply-patch+yaml');
  const config = decodeApplyBody(c.req, body) as KubeObject;
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw badRequest('error decoding YAML: the applied configuration is not an object');
  const warnings: string[] = [];
  // The configuration must convert to the kind's typed form before anything uses its values.
  const typeError = c.kind.decodeError(config);
  if (typeError) throw badRequest(`failed to create typed patch object (${gvkDisplay(c)}): ${typeError}`);
  const unknown = c.kind.prune(config);
  if (unknown.length && q.fieldValidation === 'Strict') {
    throw badRequest(`failed to create typed patch object (${gvkDisplay(c)}): ${unknown.map((u) => `.${u}: field not declared in schema`).join(', ')}`);
  }
  if (q.fieldValidation === 'Warn') warnings.push(...unknown.map((u) => `unknown field "${u}"`));
  const pinned = (config.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
  const applyOpts = {
    manager: q.manager,
    force: q.force,
    schema: c.kind.patchSchema,
    apiVersion: requestApiVersion(c),
    kind: c.info.kind,
    time: rfc3339(c.clock.now()),
    subresource: c.subresource || undefined,
    ignoredPaths: ignoredPathsFor(c),
  };
  const opts: WriteOptions = { user: c.user, dryRun: q.dryRun, subresource: c.subresource };
  const run = (live: KubeObject | undefined) => {
    try {
      return apply(live, config, applyOpts) as KubeObject;
    } catch (e) {
      // Upstream answers a typed-patch failure with a reason-less 500; it is the client's input, so 400.
      if (e instanceof StatusError && e.code >= 500) throw badRequest(e.message);
      throw e;
    }
  };
  let result: KubeObject;
  let created = false;
  try {
    result = await c.registry.update(
      c.namespace,
      c.name,
      (current) => {
        const out = run(toRequestVersion(c.info, current, c.kind));
        if (pinned) out.metadata.resourceVersion = pinned;
        else delete out.metadata.resourceVersion;
        return toStorageVersion(c, out);
      },
      opts,
    );
  } catch (e) {
    if (!(e instanceof StatusError && e.code === 404) || c.subresource) throw e;
    // Create on apply: the configuration names the object the URL names.
    const out = run(undefined);
    out.metadata.name ??= c.name;
    if (out.metadata.name !== c.name) {
      throw badRequest(`the name of the object (${out.metadata.name}) does not match the name on the URL (${c.name})`);
    }
    result = await c.registry.create(c.namespace, toStorageVersion(c, out), opts);
    created = true;
  }
  writeObject(c.res, created ? 201 : 200, toRequestVersion(c.info, result, c.kind), { warnings });
}

/** What a write to this endpoint does not own: status for the main resource, spec for /status. */
function ignoredPathsFor(c: ResourceContext): string[][] {
  if (c.subresource === 'status') return [['spec']];
  return c.registry.hasStatus ? [['status']] : [];
}

function gvkDisplay(c: ResourceContext): string {
  return `${c.info.group}/${c.info.version}, Kind=${c.info.kind}`;
}

interface DeleteBody {
  propagationPolicy?: string;
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: string[];
  orphanDependents?: boolean | null;
}

async function deleteOptions(c: ResourceContext): Promise<DeleteBody> {
  const buf = await bodyUnlessValue(c.req);
  let body: DeleteBody = {};
  if (c.req.bodyValue || (buf!.length && buf!.toString('utf8').trim())) {
    const parsed = decodeBodyOrValue(c.req, buf, c.req.headers['content-type']);
    if (typeof parsed !== 'object' || parsed === null) throw badRequest('invalid DeleteOptions');
    body = parsed as DeleteBody;
  }
  const q = c.req.query;
  if (q.get('propagationPolicy')) body.propagationPolicy = q.get('propagationPolicy')!;
  if (q.get('gracePeriodSeconds')) body.gracePeriodSeconds = Number(q.get('gracePeriodSeconds'));
  if (q.get('orphanDependents')) body.orphanDependents = q.get('orphanDependents') === 'true';
  validateDeleteOptions(body);
  // The deprecated orphanDependents maps onto the propagation policies.
  if (body.orphanDependents !== undefined && body.orphanDependents !== null) body.propagationPolicy = body.orphanDependents ? 'Orphan' : 'Background';
  return body;
}


// Resources whose delete answers with the object rather than a Status (ReturnDeletedObject).
const RETURNS_DELETED_OBJECT = new Set(['pods', 'services', 'namespaces', 'persistentvolumes', 'persistentvolumeclaims', 'nodes']);

async function handleDelete(c: ResourceContext): Promise<void> {
  const body = await deleteOptions(c);
  const { object, deleted } = await c.registry.delete(c.namespace, c.name, {
    user: c.user,
    dryRun: dryRun(c.req.query) || !!body.dryRun?.length,
    preconditions: body.preconditions,
    propagationPolicy: body.propagationPolicy,
    gracePeriodSeconds: body.gracePeriodSeconds,
  });
  if (!deleted || RETURNS_DELETED_OBJECT.has(c.info.resource) && c.info.group === '') {
    return writeObject(c.res, 200, toRequestVersion(c.info, object, c.kind));
  }
  const details: Record<string, unknown> = { name: c.name };
  if (c.info.group) details.group = c.info.group;
  details.kind = c.info.resource;
  details.uid = object.metadata.uid;
  writeObject(c.res, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details });
}

async function handleDeleteCollection(c: ResourceContext): Promise<void> {
  const body = await deleteOptions(c);
  const { filter } = selectorFilter(c);
  const page = await c.registry.list(c.namespace, { filter });
  const deletedItems: KubeObject[] = [];
  for (const obj of page.items) {
    try {
      const r = await c.registry.delete(obj.metadata.namespace ?? '', obj.metadata.name!, {
        user: c.user,
        dryRun: dryRun(c.req.query),
        propagationPolicy: body.propagationPolicy,
        gracePeriodSeconds: body.gracePeriodSeconds,
      });
      deletedItems.push(toRequestVersion(c.info, r.object, c.kind));
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) continue;
      throw e;
    }
  }
  writeObject(c.res, 200, { kind: c.info.listKind, apiVersion: requestApiVersion(c), metadata: { resourceVersion: String(c.registry.currentRevision()) }, items: deletedItems.map(withoutTypeMeta) });
}

// ---- scale subresource ----

function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const p of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = obj;
  for (const p of parts.slice(0, -1)) {
    if (typeof cur[p] !== 'object' || cur[p] === null) cur[p] = {};
    cur = cur[p] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]] = value;
}

/** The autoscaling/v1 Scale view of an object, as the scale subresource returns it. */
export function toScale(registry: GenericRegistry, obj: KubeObject): KubeObject {
  const paths = registry.strategy.scale!;
  let selector = '';
  if (paths.labelSelectorPath) {
    const sel = getPath(obj, paths.labelSelectorPath);
    if (typeof sel === 'string') selector = sel;
    else if (sel && typeof sel === 'object') selector = labelSelectorToString(sel as LabelSelectorLike);
  }
  const status: Record<string, unknown> = { replicas: Number(getPath(obj, paths.statusReplicasPath) ?? 0) };
  if (selector) status.selector = selector;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
      uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion,
      creationTimestamp: obj.metadata.creationTimestamp,
    },
    spec: { replicas: Number(getPath(obj, paths.specReplicasPath) ?? 0) },
    status,
  };
}

interface LabelSelectorLike {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

// The selector string the Scale status carries (metav1.LabelSelectorAsSelector(...).String()).
function labelSelectorToString(ls: LabelSelectorLike): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(ls.matchLabels ?? {})) parts.push(`${k}=${v}`);
  for (const e of ls.matchExpressions ?? []) {
    const vals = [...(e.values ?? [])].sort().join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${vals})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${vals})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.sort().join(',');
}

async function handleScale(c: ResourceContext): Promise<void> {
  if (!c.registry.strategy.scale) throw pathNotFound();
  const paths = c.registry.strategy.scale;
  if (c.verb === 'get') {
    const obj = await c.registry.get(c.namespace, c.name);
    return writeObject(c.res, 200, toScale(c.registry, obj));
  }
  if (c.verb !== 'update' && c.verb !== 'patch') throw methodNotAllowed(qualified(c), c.verb);
  const patchType = mediaType(c.req.headers['content-type']);
  const applying = c.verb === 'patch' && patchType === 'application/apply-patch+yaml';
  const scaleKind = { apiVersion: 'autoscaling/v1', kind: 'Scale' };
  const body = c.verb === 'update' || applying ? await bodyUnlessValue(c.req) : await c.req.body();
  const updated = await c.registry.update(
    c.namespace,
    c.name,
    (current) => {
      const scale = toScale(c.registry, current);
      let next: KubeObject;
      if (applying) {
        // Server-side apply of a Scale: the applied replicas go to the parent; managedFields record
        // the write as the scale subresource's (conflicts on the Scale view are not computed).
        const config = decodeApplyBody(c.req, body, scaleKind) as KubeObject;
        next = { ...scale, spec: { ...(scale.spec as object), ...((config.spec as object | undefined) ?? {}) } };
      } else if (c.verb === 'patch') next = applyPatch(SCALE_KIND, scale, patchType, body!.toString('utf8'));
      else next = decodeBodyOrValue(c.req, body, c.req.headers['content-type'], scaleKind) as KubeObject;
      const replicas = (next.spec as { replicas?: unknown } | undefined)?.replicas;
      if (typeof replicas !== 'number' || !Number.isInteger(replicas)) {
        throw badRequest(`Scale in version "v1" cannot be handled as a Scale: json: cannot unmarshal ${typeof replicas} into Go struct field ScaleSpec.spec.replicas of type int32`);
      }
      if (replicas < 0) {
        throw new StatusError({
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: `Scale.autoscaling "${c.name}" is invalid: spec.replicas: Invalid value: ${replicas}: must be greater than or equal to 0`,
          reason: 'Invalid',
          details: { name: c.name, group: 'autoscaling', kind: 'Scale', causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: ${replicas}: must be greater than or equal to 0`, field: 'spec.replicas' }] },
          code: 422,
        });
      }
      const rv = next.metadata?.resourceVersion;
      const out = jsonCopy(current);
      setPath(out as Record<string, unknown>, paths.specReplicasPath, replicas);
      out.metadata.resourceVersion = rv && rv !== current.metadata.resourceVersion ? rv : undefined;
      if (c.verb === 'patch' && rv === current.metadata.resourceVersion) delete out.metadata.resourceVersion;
      return out;
    },
    // The parent is written as itself, but managedFields record the write as the scale subresource's.
    { ...writeOpts(c, '', c.verb === 'patch' ? patchType : undefined), fieldManagerSubresource: 'scale' },
  );
  writeObject(c.res, 200, toScale(c.registry, updated));
}

