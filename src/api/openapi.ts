// OpenAPI documents for the served resources, shaped as kube-apiserver publishes them: /openapi/v2
// (Swagger 2.0, one document) and /openapi/v3 (a root listing one OpenAPI 3.0 document per
// group/version). kubectl reads them for `apply` (strategic-merge patch metadata from
// x-kubernetes-patch-* on component schemas whose x-kubernetes-group-version-kind matches, and the
// fieldValidation query parameter on PATCH operations) and for `explain`.

import { createHash } from 'node:crypto';
import { RESOURCES, groupVersions, resourcesInGroupVersion, type ResourceInfo, type SubresourceInfo } from './resources.js';
import { APIMACHINERY_DEFINITIONS, definitionName, schemaDefinitions, type FieldType, type SchemaDefinition } from './schema.js';
import { STRUCT_MAP_TYPES, fieldPatchMeta } from './patchmeta.js';

/** The Kubernetes version the documents describe. */
export const OPENAPI_KUBERNETES_VERSION = 'v1.32.0';

type Json = Record<string, unknown>;
type Flavor = 'v2' | 'v3';

const PATCH_CONTENT_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
] as const;
const PRODUCES = ['application/json', 'application/yaml'];

/** The patch types an operation accepts: kubectl picks strategic merge only where it is listed. */
function patchContentTypes(op: { noStrategicMergePatch?: boolean }): string[] {
  return PATCH_CONTENT_TYPES.filter((t) => !(op.noStrategicMergePatch && t === 'application/strategic-merge-patch+json'));
}

function refTo(name: string, flavor: Flavor): Json {
  return { $ref: flavor === 'v2' ? `#/definitions/${name}` : `#/components/schemas/${name}` };
}

/** A schema referring to another definition; v3 wraps a $ref that has siblings in allOf, as upstream does. */
function refWith(name: string, flavor: Flavor, extra: Json): Json {
  if (Object.keys(extra).length === 0) return refTo(name, flavor);
  return flavor === 'v2' ? { ...extra, ...refTo(name, flavor) } : { ...extra, allOf: [refTo(name, flavor)] };
}

function typeSchema(t: FieldType, flavor: Flavor, extra: Json = {}): Json {
  switch (t.kind) {
    case 'string':
      return { ...extra, type: 'string', ...(t.format ? { format: t.format } : {}) };
    case 'number':
      return t.format === 'int32' || t.format === 'int64'
        ? { ...extra, type: 'integer', format: t.format }
        : { ...extra, type: 'number', format: t.format || 'double' };
    case 'boolean':
      return { ...extra, type: 'boolean' };
    case 'time':
      return refWith(t.micro ? APIMACHINERY_DEFINITIONS.microTime : APIMACHINERY_DEFINITIONS.time, flavor, extra);
    case 'intOrString':
      return refWith(APIMACHINERY_DEFINITIONS.intOrString, flavor, extra);
    case 'quantity':
      return refWith(APIMACHINERY_DEFINITIONS.quantity, flavor, extra);
    case 'any':
      if (t.goType === 'RawExtension') return refWith(APIMACHINERY_DEFINITIONS.rawExtension, flavor, extra);
      if (t.goType === 'FieldsV1') return refWith(APIMACHINERY_DEFINITIONS.fieldsV1, flavor, extra);
      return { ...extra, type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    case 'array':
      return { ...extra, type: 'array', items: typeSchema(t.items, flavor) };
    case 'map':
      return { ...extra, type: 'object', additionalProperties: typeSchema(t.values, flavor) };
    case 'object':
      return refWith(definitionName(t.model), flavor, extra);
  }
}

function definitionSchema(def: SchemaDefinition, flavor: Flavor): Json {
  const properties: Json = {};
  for (const f of def.fields) {
    const extra: Json = {};
    if (f.description) extra.description = f.description;
    const facts = fieldPatchMeta(def.model, f.name);
    if (facts?.listMapKeys) extra['x-kubernetes-list-map-keys'] = [...facts.listMapKeys];
    if (facts?.listType) extra['x-kubernetes-list-type'] = facts.listType;
    if (facts?.mapType) extra['x-kubernetes-map-type'] = facts.mapType;
    if (facts?.mergeKey) extra['x-kubernetes-patch-merge-key'] = facts.mergeKey;
    if (facts?.strategy) extra['x-kubernetes-patch-strategy'] = facts.strategy;
    properties[f.name] = typeSchema(f.type, flavor, extra);
  }
  const required = def.fields.filter((f) => f.required).map((f) => f.name);
  const schema: Json = {
    ...(def.description ? { description: def.description } : {}),
    type: 'object',
    ...(required.length ? { required } : {}),
    properties,
  };
  if (def.gvks.length) schema['x-kubernetes-group-version-kind'] = def.gvks.map((g) => ({ group: g.group, kind: g.kind, version: g.version }));
  const mapType = STRUCT_MAP_TYPES[def.model];
  if (mapType) schema['x-kubernetes-map-type'] = mapType;
  return schema;
}

/** The apimachinery types that client-node has no model for. */
function apimachineryDefinitions(): Record<string, Json> {
  return {
    [APIMACHINERY_DEFINITIONS.quantity]: {
      description: 'Quantity is a fixed-point representation of a number, serialized as a string such as "100m", "1Gi" or "2".',
      type: 'string',
    },
    [APIMACHINERY_DEFINITIONS.intOrString]: {
      description: 'IntOrString is a type that can hold an int32 or a string.',
      type: 'string',
      format: 'int-or-string',
    },
    [APIMACHINERY_DEFINITIONS.time]: {
      description: 'Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON, as an RFC 3339 timestamp.',
      type: 'string',
      format: 'date-time',
    },
    [APIMACHINERY_DEFINITIONS.microTime]: {
      description: 'MicroTime is version of Time with microsecond level precision.',
      type: 'string',
      format: 'date-time',
    },
    [APIMACHINERY_DEFINITIONS.rawExtension]: {
      description: 'RawExtension is used to hold extensions in external versions: any JSON object.',
      type: 'object',
    },
    [APIMACHINERY_DEFINITIONS.fieldsV1]: {
      description: 'FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format.',
      type: 'object',
    },
    [APIMACHINERY_DEFINITIONS.patch]: {
      description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
      type: 'object',
    },
  };
}

/**
 * ObjectMeta and ListMeta with what they reach, for documents whose kinds (custom resources) have no
 * client-node model to reach them; they carry no group-version-kind, as upstream's do not.
 */
function metaDefinitions(flavor: Flavor): Array<readonly [string, Json]> {
  const carriers = ['V1ObjectMeta', 'V1ListMeta'].map((m) => ({ ...RESOURCES[0], modelType: m, custom: undefined }));
  return schemaDefinitions(carriers).map((d) => [d.name, definitionSchema({ ...d, gvks: ['V1ObjectMeta', 'V1ListMeta'].includes(d.model) ? [] : d.gvks }, flavor)] as const);
}

function definitions(resources: readonly ResourceInfo[], flavor: Flavor): Record<string, Json> {
  const out: Record<string, Json> = {};
  const builtins = resources.filter((r) => !r.custom);
  const custom = resources.filter((r) => r.custom);
  const defs = [
    ...schemaDefinitions(builtins).map((d) => [d.name, definitionSchema(d, flavor)] as const),
    ...Object.entries(apimachineryDefinitions()),
    ...(custom.length ? metaDefinitions(flavor) : []),
    ...custom.flatMap((r) => Object.entries(r.custom!.definitions[flavor]) as Array<[string, Json]>),
  ];
  const seen = new Set<string>();
  for (let i = defs.length - 1; i >= 0; i--) {
    if (seen.has(defs[i][0])) defs.splice(i, 1);
    else seen.add(defs[i][0]);
  }
  defs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [name, schema] of defs) out[name] = schema;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Paths and operations.

interface Param {
  name: string;
  in: 'path' | 'query' | 'body';
  description: string;
  type?: 'string' | 'boolean' | 'integer';
  required?: boolean;
  /** For body parameters: the definition the body holds. */
  schemaRef?: string;
}

const q = (name: string, type: Param['type'], description: string): Param => ({ name, in: 'query', type, description });

const P = {
  pretty: q('pretty', 'string', "If 'true', then the output is pretty printed."),
  dryRun: q('dryRun', 'string', 'When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed'),
  fieldManager: q('fieldManager', 'string', 'fieldManager is a name associated with the actor or entity that is making these changes.'),
  fieldValidation: q(
    'fieldValidation',
    'string',
    'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict',
  ),
  force: q('force', 'boolean', 'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people.'),
  allowWatchBookmarks: q('allowWatchBookmarks', 'boolean', 'allowWatchBookmarks requests watch events with type "BOOKMARK".'),
  continue: q('continue', 'string', 'The continue option should be set when retrieving more results from the server.'),
  fieldSelector: q('fieldSelector', 'string', 'A selector to restrict the list of returned objects by their fields. Defaults to everything.'),
  labelSelector: q('labelSelector', 'string', 'A selector to restrict the list of returned objects by their labels. Defaults to everything.'),
  limit: q('limit', 'integer', 'limit is a maximum number of responses to return for a list call.'),
  resourceVersion: q('resourceVersion', 'string', 'resourceVersion sets a constraint on what resource versions a request may be served from.'),
  resourceVersionMatch: q('resourceVersionMatch', 'string', 'resourceVersionMatch determines how resourceVersion is applied to list calls.'),
  sendInitialEvents: q('sendInitialEvents', 'boolean', '`sendInitialEvents=true` may be set together with `watch=true`.'),
  timeoutSeconds: q('timeoutSeconds', 'integer', 'Timeout for the list/watch call.'),
  watch: q('watch', 'boolean', 'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.'),
  gracePeriodSeconds: q('gracePeriodSeconds', 'integer', 'The duration in seconds before the object should be deleted.'),
  orphanDependents: q('orphanDependents', 'boolean', 'Deprecated: please use the PropagationPolicy, this field will be deprecated in 1.7.'),
  propagationPolicy: q('propagationPolicy', 'string', "Whether and how garbage collection will be performed: 'Orphan', 'Background' or 'Foreground'."),
};

const LIST_PARAMS = [P.allowWatchBookmarks, P.continue, P.fieldSelector, P.labelSelector, P.limit, P.resourceVersion, P.resourceVersionMatch, P.sendInitialEvents, P.timeoutSeconds, P.watch];
const WRITE_PARAMS = [P.dryRun, P.fieldManager, P.fieldValidation];
const PATCH_PARAMS = [P.dryRun, P.fieldManager, P.fieldValidation, P.force];
const DELETE_PARAMS = [P.dryRun, P.gracePeriodSeconds, P.orphanDependents, P.propagationPolicy];
const DELETE_COLLECTION_PARAMS = [P.continue, P.dryRun, P.fieldSelector, P.gracePeriodSeconds, P.labelSelector, P.limit, P.orphanDependents, P.propagationPolicy, P.resourceVersion, P.resourceVersionMatch, P.sendInitialEvents, P.timeoutSeconds];
const LOG_PARAMS = [
  q('container', 'string', 'The container for which to stream logs. Defaults to only container if there is one container in the pod.'),
  q('follow', 'boolean', 'Follow the log stream of the pod. Defaults to false.'),
  q('insecureSkipTLSVerifyBackend', 'boolean', 'insecureSkipTLSVerifyBackend indicates that the apiserver should not confirm the validity of the serving certificate of the backend it is connecting to.'),
  q('limitBytes', 'integer', 'If set, the number of bytes to read from the server before terminating the log output.'),
  q('previous', 'boolean', 'Return previous terminated container logs. Defaults to false.'),
  q('sinceSeconds', 'integer', 'A relative time in seconds before the current time from which to show logs.'),
  q('tailLines', 'integer', 'If set, the number of lines from the end of the logs to show.'),
  q('stream', 'string', "Specify which container log stream to return to the client. Acceptable values are \"All\", \"Stdout\" and \"Stderr\"."),
  q('timestamps', 'boolean', 'If true, add an RFC3339 or RFC3339Nano timestamp at the beginning of every line of log output.'),
];

/** The query options of connect subresources (PodAttachOptions, PodExecOptions, ...). */
const CONNECT_PARAMS: Record<string, Param[]> = {
  attach: [
    q('container', 'string', 'The container in which to execute the command. Defaults to only container if there is only one container in the pod.'),
    q('stderr', 'boolean', 'Stderr if true indicates that stderr is to be redirected for the attach call. Defaults to true.'),
    q('stdin', 'boolean', 'Stdin if true, redirects the standard input stream of the pod for this call. Defaults to false.'),
    q('stdout', 'boolean', 'Stdout if true indicates that stdout is to be redirected for the attach call. Defaults to true.'),
    q('tty', 'boolean', 'TTY if true indicates that a tty will be allocated for the attach call.'),
  ],
  exec: [
    q('command', 'string', 'Command is the remote command to execute. argv array. Not executed within a shell.'),
    q('container', 'string', 'Container in which to execute the command. Defaults to only container if there is only one container in the pod.'),
    q('stderr', 'boolean', 'Redirect the standard error stream of the pod for this call.'),
    q('stdin', 'boolean', 'Redirect the standard input stream of the pod for this call. Defaults to false.'),
    q('stdout', 'boolean', 'Redirect the standard output stream of the pod for this call.'),
    q('tty', 'boolean', 'TTY if true indicates that a tty will be allocated for the exec call. Defaults to false.'),
  ],
  portforward: [q('ports', 'integer', 'List of ports to forward')],
  proxy: [q('path', 'string', 'Path is the URL path to use for the current proxy request.')],
};

/** An operation before it is rendered for v2 or v3. */
interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete' | 'head' | 'options';
  action: 'get' | 'list' | 'post' | 'put' | 'patch' | 'delete' | 'deletecollection' | 'watch' | 'watchlist' | 'connect';
  operationId: string;
  description: string;
  gvk: { group: string; version: string; kind: string };
  params: Param[];
  /** Definition of the request body (post/put/delete), or 'patch'. */
  body?: string | 'patch';
  /** Definition of the 200 response, or 'string' for streamed text. */
  response: string;
  /** Extra success codes with the same schema. */
  alsoCreated?: boolean;
  /** Custom resources take no strategic merge patch (apiextensions-apiserver answers 415). */
  noStrategicMergePatch?: boolean;
  alsoAccepted?: boolean;
}

interface PathItem {
  path: string;
  params: Param[];
  ops: Operation[];
}

/** "rbac.authorization.k8s.io" → "RbacAuthorization"; "" → "Core". */
function groupIdent(group: string): string {
  if (!group) return 'Core';
  return group
    .replace(/\.k8s\.io$/, '')
    .split('.')
    .map((s) => s.charAt(0).toUpperCase() + s.slice(1))
    .join('');
}

/** The tag upstream gives a group version: "apps_v1", "core_v1", "rbacAuthorization_v1". */
function tagOf(group: string, version: string): string {
  const ident = groupIdent(group);
  return `${ident.charAt(0).toLowerCase()}${ident.slice(1)}_${version}`;
}

function prefixOf(group: string, version: string): string {
  return group ? `/apis/${group}/${version}` : `/api/${version}`;
}

function kindDef(r: ResourceInfo, list = false): string {
  if (r.custom) return list ? `${r.custom.definitionName.replace(/[^.]+$/, '')}${r.listKind}` : r.custom.definitionName;
  return definitionName(list ? `${r.modelType}List` : r.modelType);
}

function subresourceGvk(r: ResourceInfo, s: SubresourceInfo) {
  return { group: s.group ?? r.group, version: s.version ?? r.version, kind: s.kind };
}

const META = (t: string) => `io.k8s.apimachinery.pkg.apis.meta.v1.${t}`;

/** Definitions for subresource kinds that have a model. */
const SUBRESOURCE_DEFS: Record<string, string> = {
  Scale: 'io.k8s.api.autoscaling.v1.Scale',
  Eviction: 'io.k8s.api.policy.v1.Eviction',
  Binding: 'io.k8s.api.core.v1.Binding',
  TokenRequest: 'io.k8s.api.authentication.v1.TokenRequest',
};

const CONNECT_METHODS: Array<Operation['method']> = ['delete', 'get', 'head', 'options', 'patch', 'post', 'put'];

function pathItems(resources: readonly ResourceInfo[]): PathItem[] {
  const items: PathItem[] = [];
  for (const r of resources) {
    const prefix = prefixOf(r.group, r.version);
    const gi = `${groupIdent(r.group)}${r.version.charAt(0).toUpperCase()}${r.version.slice(1)}`;
    const ns = r.namespaced ? 'Namespaced' : '';
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    const has = (v: string) => r.verbs.includes(v);
    const nsParam: Param = { name: 'namespace', in: 'path', required: true, type: 'string', description: 'object name and auth scope, such as for teams and projects' };
    const nameParam = (kind: string): Param => ({ name: 'name', in: 'path', required: true, type: 'string', description: `name of the ${kind}` });
    const collection = r.namespaced ? `${prefix}/namespaces/{namespace}/${r.resource}` : `${prefix}/${r.resource}`;
    const scopeParams = r.namespaced ? [nsParam] : [];
    const body = (def: string): Param => ({ name: 'body', in: 'body', required: true, schemaRef: def, description: '' });

    const collOps: Operation[] = [];
    if (has('list')) {
      collOps.push({ method: 'get', action: 'list', operationId: `list${gi}${ns}${r.kind}`, description: `list or watch objects of kind ${r.kind}`, gvk, params: LIST_PARAMS, response: kindDef(r, true) });
    }
    if (has('create')) {
      collOps.push({ method: 'post', action: 'post', operationId: `create${gi}${ns}${r.kind}`, description: `create ${article(r.kind)} ${r.kind}`, gvk, params: WRITE_PARAMS, body: kindDef(r), response: kindDef(r), alsoCreated: true, alsoAccepted: true });
    }
    if (has('deletecollection')) {
      collOps.push({ method: 'delete', action: 'deletecollection', operationId: `delete${gi}Collection${ns}${r.kind}`, description: `delete collection of ${r.kind}`, gvk, params: DELETE_COLLECTION_PARAMS, body: META('DeleteOptions'), response: META('Status') });
    }
    if (collOps.length) items.push({ path: collection, params: [...scopeParams, P.pretty], ops: collOps });

    const objOps: Operation[] = [];
    if (has('get')) objOps.push({ method: 'get', action: 'get', operationId: `read${gi}${ns}${r.kind}`, description: `read the specified ${r.kind}`, gvk, params: [], response: kindDef(r) });
    if (has('update')) objOps.push({ method: 'put', action: 'put', operationId: `replace${gi}${ns}${r.kind}`, description: `replace the specified ${r.kind}`, gvk, params: WRITE_PARAMS, body: kindDef(r), response: kindDef(r), alsoCreated: true });
    if (has('patch')) objOps.push({ method: 'patch', action: 'patch', operationId: `patch${gi}${ns}${r.kind}`, description: `partially update the specified ${r.kind}`, gvk, params: PATCH_PARAMS, body: 'patch', response: kindDef(r), alsoCreated: true, noStrategicMergePatch: !!r.custom });
    if (has('delete')) objOps.push({ method: 'delete', action: 'delete', operationId: `delete${gi}${ns}${r.kind}`, description: `delete ${article(r.kind)} ${r.kind}`, gvk, params: DELETE_PARAMS, body: META('DeleteOptions'), response: META('Status'), alsoAccepted: true });
    const objPath = `${collection}/{name}`;
    if (objOps.length) items.push({ path: objPath, params: [nameParam(r.kind), ...scopeParams, P.pretty], ops: objOps });

    if (has('watch')) {
      const watchPrefix = r.namespaced ? `${prefix}/watch/namespaces/{namespace}/${r.resource}` : `${prefix}/watch/${r.resource}`;
      items.push({
        path: watchPrefix,
        params: [...scopeParams, ...LIST_PARAMS, P.pretty],
        ops: [{ method: 'get', action: 'watchlist', operationId: `watch${gi}${ns}${r.kind}List`, description: `watch individual changes to a list of ${r.kind}. deprecated: use the 'watch' parameter with a list operation instead.`, gvk, params: [], response: META('WatchEvent') }],
      });
      items.push({
        path: `${watchPrefix}/{name}`,
        params: [nameParam(r.kind), ...scopeParams, ...LIST_PARAMS, P.pretty],
        ops: [{ method: 'get', action: 'watch', operationId: `watch${gi}${ns}${r.kind}`, description: `watch changes to an object of kind ${r.kind}. deprecated: use the 'watch' parameter with a list operation instead, filtered to a single item with the 'fieldSelector' parameter.`, gvk, params: [], response: META('WatchEvent') }],
      });
    }
    if (r.namespaced && has('list')) {
      items.push({
        path: `${prefix}/${r.resource}`,
        params: [...LIST_PARAMS, P.pretty],
        ops: [{ method: 'get', action: 'list', operationId: `list${gi}${r.kind}ForAllNamespaces`, description: `list or watch objects of kind ${r.kind}`, gvk, params: [], response: kindDef(r, true) }],
      });
      if (has('watch')) {
        items.push({
          path: `${prefix}/watch/${r.resource}`,
          params: [...LIST_PARAMS, P.pretty],
          ops: [{ method: 'get', action: 'watchlist', operationId: `watch${gi}${r.kind}ListForAllNamespaces`, description: `watch individual changes to a list of ${r.kind}. deprecated: use the 'watch' parameter with a list operation instead.`, gvk, params: [], response: META('WatchEvent') }],
        });
      }
    }

    for (const s of r.subresources) items.push(...subresourceItems(r, s, objPath, gi, ns, [nameParam(r.kind), ...scopeParams]));
  }
  return items.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function subresourceItems(r: ResourceInfo, s: SubresourceInfo, objPath: string, gi: string, ns: string, baseParams: Param[]): PathItem[] {
  const gvk = subresourceGvk(r, s);
  const title = s.name.charAt(0).toUpperCase() + s.name.slice(1);
  const path = `${objPath}/${s.name}`;
  const def = SUBRESOURCE_DEFS[s.kind] ?? (s.kind === r.kind ? kindDef(r) : undefined);
  const has = (v: string) => s.verbs.includes(v);
  const ops: Operation[] = [];
  const connect = def === undefined || s.name === 'log';
  if (s.name === 'log') {
    return [{ path, params: [...baseParams, P.pretty], ops: [{ method: 'get', action: 'get', operationId: `read${gi}${ns}${r.kind}Log`, description: `read log of the specified ${r.kind}`, gvk, params: LOG_PARAMS, response: 'string' }] }];
  }
  if (connect) {
    // attach, exec, portforward and proxy are "connect" operations on every method they accept.
    const methods = s.name === 'proxy' ? CONNECT_METHODS : (['get', 'post'] as const);
    const mk = (p: string, withPath: boolean): PathItem => ({
      path: p,
      params: [...baseParams, ...(withPath ? [{ name: 'path', in: 'path', required: true, type: 'string', description: 'path to the resource' } as Param] : []), ...(CONNECT_PARAMS[s.name] ?? [])],
      ops: methods.map((m) => ({
        method: m,
        action: 'connect',
        operationId: `connect${gi}${m.charAt(0).toUpperCase()}${m.slice(1)}${ns}${r.kind}${title}${withPath ? 'WithPath' : ''}`,
        description: `connect ${m.toUpperCase()} requests to ${s.name} of ${r.kind}`,
        gvk,
        params: [],
        response: 'string',
      })),
    });
    return s.name === 'proxy' ? [mk(path, false), mk(`${path}/{path}`, true)] : [mk(path, false)];
  }
  if (has('get')) ops.push({ method: 'get', action: 'get', operationId: `read${gi}${ns}${r.kind}${title}`, description: `read ${s.name} of the specified ${r.kind}`, gvk, params: [], response: def! });
  if (has('create')) ops.push({ method: 'post', action: 'post', operationId: `create${gi}${ns}${r.kind}${title}`, description: `create ${s.name} of ${article(r.kind)} ${r.kind}`, gvk, params: WRITE_PARAMS, body: def!, response: def!, alsoCreated: true, alsoAccepted: true });
  if (has('update')) ops.push({ method: 'put', action: 'put', operationId: `replace${gi}${ns}${r.kind}${title}`, description: `replace ${s.name} of the specified ${r.kind}`, gvk, params: WRITE_PARAMS, body: def!, response: def!, alsoCreated: true });
  if (has('patch')) ops.push({ method: 'patch', action: 'patch', operationId: `patch${gi}${ns}${r.kind}${title}`, description: `partially update ${s.name} of the specified ${r.kind}`, gvk, params: PATCH_PARAMS, body: 'patch', response: def!, alsoCreated: true, noStrategicMergePatch: !!r.custom });
  return [{ path, params: [...baseParams, P.pretty], ops }];
}

function article(kind: string): string {
  return /^[AEIOU]/.test(kind) ? 'an' : 'a';
}

// ---------------------------------------------------------------------------------------------
// Rendering.

function renderParamV2(p: Param): Json {
  if (p.in === 'body') return { name: 'body', in: 'body', required: true, schema: refTo(p.schemaRef!, 'v2') };
  return { ...(p.description ? { description: p.description } : {}), in: p.in, name: p.name, ...(p.required ? { required: true } : {}), type: p.type ?? 'string', uniqueItems: true };
}

function renderParamV3(p: Param): Json {
  return { name: p.name, in: p.in, ...(p.description ? { description: p.description } : {}), ...(p.required ? { required: true } : {}), schema: { type: p.type ?? 'string', uniqueItems: true } };
}

function responseSchema(def: string, flavor: Flavor): Json {
  return def === 'string' ? { type: 'string' } : refTo(def, flavor);
}

function renderOpV2(op: Operation, tag: string): Json {
  const params: Json[] = [];
  if (op.body) params.push(renderParamV2({ name: 'body', in: 'body', description: '', schemaRef: op.body === 'patch' ? APIMACHINERY_DEFINITIONS.patch : op.body }));
  params.push(...op.params.map(renderParamV2));
  const schema = responseSchema(op.response, 'v2');
  const responses: Json = { '200': { description: 'OK', schema } };
  if (op.alsoCreated) responses['201'] = { description: 'Created', schema };
  if (op.alsoAccepted) responses['202'] = { description: 'Accepted', schema };
  responses['401'] = { description: 'Unauthorized' };
  return {
    consumes: op.body === 'patch' ? patchContentTypes(op) : ['*/*'],
    description: op.description,
    operationId: op.operationId,
    ...(params.length ? { parameters: params } : {}),
    produces: op.response === 'string' ? ['*/*'] : op.action === 'watch' || op.action === 'watchlist' ? [...PRODUCES, 'application/json;stream=watch'] : [...PRODUCES],
    responses,
    schemes: ['https'],
    tags: [tag],
    'x-kubernetes-action': op.action,
    'x-kubernetes-group-version-kind': { group: op.gvk.group, kind: op.gvk.kind, version: op.gvk.version },
  };
}

function renderOpV3(op: Operation, tag: string): Json {
  const schema = responseSchema(op.response, 'v3');
  const content = (): Json => (op.response === 'string' ? { '*/*': { schema } } : Object.fromEntries(PRODUCES.map((t) => [t, { schema }])));
  const responses: Json = { '200': { description: 'OK', content: content() } };
  if (op.alsoCreated) responses['201'] = { description: 'Created', content: content() };
  if (op.alsoAccepted) responses['202'] = { description: 'Accepted', content: content() };
  responses['401'] = { description: 'Unauthorized' };
  const out: Json = {
    tags: [tag],
    description: op.description,
    operationId: op.operationId,
    ...(op.params.length ? { parameters: op.params.map(renderParamV3) } : {}),
  };
  if (op.body === 'patch') {
    out.requestBody = { content: Object.fromEntries(patchContentTypes(op).map((t) => [t, { schema: refTo(APIMACHINERY_DEFINITIONS.patch, 'v3') }])), required: true };
  } else if (op.body) {
    out.requestBody = { content: { '*/*': { schema: refTo(op.body, 'v3') } }, ...(op.method === 'delete' ? {} : { required: true }) };
  }
  out.responses = responses;
  out['x-kubernetes-action'] = op.action;
  out['x-kubernetes-group-version-kind'] = { group: op.gvk.group, kind: op.gvk.kind, version: op.gvk.version };
  return out;
}

function renderPaths(items: PathItem[], flavor: Flavor): Json {
  const paths: Json = {};
  for (const item of items) {
    const group = item.path.startsWith('/api/') ? '' : item.path.split('/')[2];
    const version = item.path.startsWith('/api/') ? item.path.split('/')[2] : item.path.split('/')[3];
    const tag = tagOf(group, version);
    // Like upstream's generator, parameters every operation of a path shares move up to the path.
    const shared = item.ops.length ? item.ops[0].params.filter((p) => item.ops.every((op) => op.params.some((x) => x.name === p.name))) : [];
    const sharedNames = new Set(shared.map((p) => p.name));
    const rendered: Json = {};
    for (const op of item.ops) {
      const own = { ...op, params: op.params.filter((p) => !sharedNames.has(p.name)) };
      rendered[op.method] = flavor === 'v2' ? renderOpV2(own, tag) : renderOpV3(own, tag);
    }
    rendered.parameters = [...item.params, ...shared].map(flavor === 'v2' ? renderParamV2 : renderParamV3);
    paths[item.path] = rendered;
  }
  return paths;
}

/** The GET of "/apis/<group>/<version>/" (or "/api/v1/"), which returns the APIResourceList. */
function resourceListPath(group: string, version: string, flavor: Flavor): Json {
  const tag = tagOf(group, version);
  const op: Operation = {
    method: 'get',
    action: 'get',
    operationId: `get${groupIdent(group)}${version.charAt(0).toUpperCase()}${version.slice(1)}APIResources`,
    description: 'get available resources',
    gvk: { group: '', version: '', kind: '' },
    params: [],
    response: META('APIResourceList'),
  };
  const rendered = flavor === 'v2' ? renderOpV2(op, tag) : renderOpV3(op, tag);
  delete rendered['x-kubernetes-action'];
  delete rendered['x-kubernetes-group-version-kind'];
  return { [`${prefixOf(group, version)}/`]: { get: rendered } };
}

const SECURITY_V2 = {
  securityDefinitions: { BearerToken: { description: 'Bearer Token authentication', in: 'header', name: 'authorization', type: 'apiKey' } },
  security: [{ BearerToken: [] }],
};

const cacheV2 = new WeakMap<readonly ResourceInfo[], Json>();
const cacheV3 = new WeakMap<readonly ResourceInfo[], Map<string, { doc: Json; hash: string }>>();

/** The /openapi/v2 document (Swagger 2.0) for all the resources. */
export function openapiV2(resources: readonly ResourceInfo[] = RESOURCES): Json {
  const cached = cacheV2.get(resources);
  if (cached) return cached;
  let paths: Json = {};
  for (const gv of groupVersions(resources)) {
    for (const v of gv.versions) paths = { ...paths, ...resourceListPath(gv.group, v, 'v2') };
  }
  paths = { ...paths, ...renderPaths(pathItems(resources), 'v2') };
  const sorted = Object.fromEntries(Object.entries(paths).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const doc: Json = {
    definitions: definitions(resources, 'v2'),
    info: { title: 'Kubernetes', version: OPENAPI_KUBERNETES_VERSION },
    paths: sorted,
    ...SECURITY_V2,
    swagger: '2.0',
  };
  cacheV2.set(resources, doc);
  return doc;
}

/** "api/v1" or "apis/apps/v1": the key of a group version in the /openapi/v3 root. */
export function openapiV3Key(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

function v3Documents(resources: readonly ResourceInfo[]): Map<string, { doc: Json; hash: string }> {
  const cached = cacheV3.get(resources);
  if (cached) return cached;
  const docs = new Map<string, { doc: Json; hash: string }>();
  for (const gv of groupVersions(resources)) {
    for (const version of gv.versions) {
      const gvResources = resourcesInGroupVersion(gv.group, version, resources);
      const paths = { ...resourceListPath(gv.group, version, 'v3'), ...renderPaths(pathItems(gvResources), 'v3') };
      const doc: Json = {
        openapi: '3.0.0',
        info: { title: 'Kubernetes', version: OPENAPI_KUBERNETES_VERSION },
        paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
        components: {
          schemas: definitions(gvResources, 'v3'),
          securitySchemes: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } },
        },
        security: [{ BearerToken: [] }],
      };
      // Upstream's hash is the upper-case hex SHA-512 of the served JSON, so it changes exactly when the document does.
      const hash = createHash('sha512').update(JSON.stringify(doc)).digest('hex').toUpperCase();
      docs.set(openapiV3Key(gv.group, version), { doc, hash });
    }
  }
  cacheV3.set(resources, docs);
  return docs;
}

/** The /openapi/v3 root: every group version's document with a content-hashed URL. */
export function openapiV3Root(resources: readonly ResourceInfo[] = RESOURCES): { paths: Record<string, { serverRelativeURL: string }> } {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const [key, { hash }] of v3Documents(resources)) paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
  return { paths };
}

/** The /openapi/v3/apis/<group>/<version> (or /openapi/v3/api/v1) document, or undefined if not served. */
export function openapiV3GroupVersion(group: string, version: string, resources: readonly ResourceInfo[] = RESOURCES): Json | undefined {
  return v3Documents(resources).get(openapiV3Key(group, version))?.doc;
}

/** The content hash of a group version's v3 document (for ETag / immutable caching of ?hash= URLs). */
export function openapiV3Hash(group: string, version: string, resources: readonly ResourceInfo[] = RESOURCES): string | undefined {
  return v3Documents(resources).get(openapiV3Key(group, version))?.hash;
}
