// The schema of every built-in kind, read at runtime from @kubernetes/client-node's generated models
// (each class's static attributeTypeMap), so no field list is written by hand. Used for strict
// decoding (unknown/duplicate fields), JSON type errors worded like kube-apiserver's decoder, patch
// metadata walks and OpenAPI generation.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { loadModelTypes, type Attribute, type ModelTypes } from './model-types.js';
import { RESOURCES, type ResourceInfo } from './resources.js';

/** The JSON type of a field, as the schema describes it. */
export type FieldType =
  | { kind: 'string'; format: string }
  | { kind: 'number'; format: string }
  | { kind: 'boolean' }
  | { kind: 'time'; micro: boolean }
  | { kind: 'intOrString' }
  | { kind: 'quantity' }
  | { kind: 'any'; goType?: 'RawExtension' | 'FieldsV1' }
  | { kind: 'array'; items: FieldType }
  | { kind: 'map'; values: FieldType }
  | { kind: 'object'; model: string };

/** A field of a model: its JSON name and type. */
export interface FieldInfo {
  name: string;
  type: FieldType;
}

// Read on first use rather than at import: importing must not await (see model-types.ts).
let modelTypes: ModelTypes | undefined;
function MODELS(): ModelTypes {
  return (modelTypes ??= loadModelTypes());
}

/**
 * Fields that are resource.Quantity upstream. client-node types them as plain strings, but the
 * decoder accepts JSON numbers for them (`cpu: 1` in YAML), so they need their own type. Checked
 * against the upstream OpenAPI document in schema.test.ts.
 */
export const QUANTITY_FIELDS: ReadonlySet<string> = new Set([
  'V1ContainerStatus.allocatedResources',
  'V1EmptyDirVolumeSource.sizeLimit',
  'V1LimitRangeItem.default',
  'V1LimitRangeItem.defaultRequest',
  'V1LimitRangeItem.max',
  'V1LimitRangeItem.maxLimitRequestRatio',
  'V1LimitRangeItem.min',
  'V1NodeStatus.allocatable',
  'V1NodeStatus.capacity',
  'V1PersistentVolumeClaimStatus.allocatedResources',
  'V1PersistentVolumeClaimStatus.capacity',
  'V1PersistentVolumeSpec.capacity',
  'V1PodSpec.overhead',
  'V1ResourceFieldSelector.divisor',
  'V1ResourceQuotaSpec.hard',
  'V1ResourceQuotaStatus.hard',
  'V1ResourceQuotaStatus.used',
  'V1ResourceRequirements.limits',
  'V1ResourceRequirements.requests',
  'V1VolumeResourceRequirements.limits',
  'V1VolumeResourceRequirements.requests',
  'V2HPAScalingRules.tolerance',
  'V2MetricTarget.averageValue',
  'V2MetricTarget.value',
  'V2MetricValueStatus.averageValue',
  'V2MetricValueStatus.value',
]);

/** Model-typed fields whose "any" stands for a known apimachinery type. */
const ANY_GO_TYPES: Record<string, 'RawExtension' | 'FieldsV1'> = {
  'V1ControllerRevision.data': 'RawExtension',
  'V1ManagedFieldsEntry.fieldsV1': 'FieldsV1',
  'V1WatchEvent.object': 'RawExtension',
};

/** True when client-node has a model class of this name. */
export function modelExists(modelType: string): boolean {
  return Array.isArray(MODELS()[modelType]?.attributeTypeMap);
}

/** Every client-node model name. */
export function allModelNames(): string[] {
  return Object.keys(MODELS()).filter(modelExists).sort();
}

/** Parses an attributeTypeMap type string ("Array<V1Container>", "{ [key: string]: string; }", ...). */
export function parseFieldType(type: string, format = ''): FieldType {
  const t = type.trim();
  const array = /^Array<(.+)>$/.exec(t);
  if (array) return { kind: 'array', items: parseFieldType(array[1], format) };
  const map = /^\{\s*\[key: string\]:\s*(.+?);\s*\}$/.exec(t);
  if (map) return { kind: 'map', values: parseFieldType(map[1], format) };
  switch (t) {
    case 'string':
      return { kind: 'string', format };
    case 'number':
      return { kind: 'number', format };
    case 'boolean':
      return { kind: 'boolean' };
    case 'Date':
      return { kind: 'time', micro: false };
    case 'V1MicroTime':
      return { kind: 'time', micro: true };
    case 'IntOrString':
      return { kind: 'intOrString' };
    case 'any':
      return { kind: 'any' };
    default:
      return modelExists(t) ? { kind: 'object', model: t } : { kind: 'any' };
  }
}

/** Replaces the innermost string type by Quantity (string, array of strings, or map of strings). */
function asQuantity(t: FieldType): FieldType {
  if (t.kind === 'string') return { kind: 'quantity' };
  if (t.kind === 'map') return { kind: 'map', values: asQuantity(t.values) };
  if (t.kind === 'array') return { kind: 'array', items: asQuantity(t.items) };
  return t;
}

const fieldCache = new Map<string, Map<string, FieldInfo>>();

/** The fields of a model by JSON name, or undefined for an unknown model. */
export function modelFields(modelType: string): Map<string, FieldInfo> | undefined {
  const cached = fieldCache.get(modelType);
  if (cached) return cached;
  const cls = MODELS()[modelType];
  if (!cls || !Array.isArray(cls.attributeTypeMap)) return undefined;
  const fields = new Map<string, FieldInfo>();
  for (const a of cls.attributeTypeMap) {
    const key = `${modelType}.${a.baseName}`;
    let type = parseFieldType(a.type, a.format);
    if (QUANTITY_FIELDS.has(key)) type = asQuantity(type);
    if (type.kind === 'any' && ANY_GO_TYPES[key]) type = { kind: 'any', goType: ANY_GO_TYPES[key] };
    fields.set(a.baseName, { name: a.baseName, type });
  }
  fieldCache.set(modelType, fields);
  return fields;
}

/** The Go type name of a model: "V1DeploymentSpec" → "DeploymentSpec", "CoreV1Event" → "Event". */
export function goTypeName(modelType: string): string {
  return modelType.replace(/^(?:[A-Z][a-z]+)?V\d+(?:(?:alpha|beta)\d+)?(?=[A-Z])/, '');
}

// ---------------------------------------------------------------------------------------------
// Go packages, for OpenAPI definition names (io.k8s.api.apps.v1.Deployment) and Go type strings.

/** Models that live in k8s.io/apimachinery/pkg/apis/meta/v1. */
const META_V1_MODELS = new Set([
  'V1APIGroup', 'V1APIGroupList', 'V1APIResource', 'V1APIResourceList', 'V1APIVersions', 'V1Condition',
  'V1DeleteOptions', 'V1FieldSelectorRequirement', 'V1GroupVersionForDiscovery', 'V1LabelSelector',
  'V1LabelSelectorRequirement', 'V1ListMeta', 'V1ManagedFieldsEntry', 'V1ObjectMeta', 'V1OwnerReference',
  'V1Preconditions', 'V1ServerAddressByClientCIDR', 'V1Status', 'V1StatusCause', 'V1StatusDetails', 'V1WatchEvent',
]);

/** Definitions outside client-node's models, named as upstream's OpenAPI names them. */
export const APIMACHINERY_DEFINITIONS = {
  quantity: 'io.k8s.apimachinery.pkg.api.resource.Quantity',
  intOrString: 'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
  time: 'io.k8s.apimachinery.pkg.apis.meta.v1.Time',
  microTime: 'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime',
  rawExtension: 'io.k8s.apimachinery.pkg.runtime.RawExtension',
  fieldsV1: 'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1',
  patch: 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch',
} as const;

/** The Go package segment of an API group: "" → core, "rbac.authorization.k8s.io" → rbac. */
export function groupPackage(group: string): string {
  return group === '' ? 'core' : group.split('.')[0];
}

/** Kinds that are not served as resources but anchor the package of the types they reach. */
const EXTRA_ROOTS: Array<{ model: string; group: string; version: string; kind: string }> = [
  { model: 'V1PodTemplate', group: '', version: 'v1', kind: 'PodTemplate' },
  { model: 'V1ReplicationController', group: '', version: 'v1', kind: 'ReplicationController' },
  { model: 'V1Binding', group: '', version: 'v1', kind: 'Binding' },
  { model: 'V1Scale', group: 'autoscaling', version: 'v1', kind: 'Scale' },
  { model: 'V1Eviction', group: 'policy', version: 'v1', kind: 'Eviction' },
  { model: 'AuthenticationV1TokenRequest', group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' },
];

/** A kind with its model and group/version. */
export interface KindModel {
  model: string;
  group: string;
  version: string;
  kind: string;
}

/** The kinds (and their List kinds) that the given resources serve, plus subresource kinds. */
export function servedKinds(resources: readonly ResourceInfo[] = RESOURCES): KindModel[] {
  const out: KindModel[] = [];
  const seen = new Set<string>();
  const add = (k: KindModel) => {
    if (!modelExists(k.model) || seen.has(k.model)) return;
    seen.add(k.model);
    out.push(k);
  };
  for (const r of resources) {
    add({ model: r.modelType, group: r.group, version: r.version, kind: r.kind });
    add({ model: `${r.modelType}List`, group: r.group, version: r.version, kind: r.listKind });
  }
  for (const e of EXTRA_ROOTS) add(e);
  return out;
}

/** The model types reachable from a model through its fields (itself included), in walk order. */
export function reachableModels(root: string): string[] {
  const seen = new Set<string>();
  const stack = [root];
  while (stack.length) {
    const m = stack.pop()!;
    if (seen.has(m)) continue;
    const fields = modelFields(m);
    if (!fields) continue;
    seen.add(m);
    for (const f of [...fields.values()].reverse()) {
      for (const ref of modelRefs(f.type)) if (!seen.has(ref)) stack.push(ref);
    }
  }
  return [...seen];
}

function modelRefs(t: FieldType): string[] {
  if (t.kind === 'object') return [t.model];
  if (t.kind === 'array') return modelRefs(t.items);
  if (t.kind === 'map') return modelRefs(t.values);
  return [];
}

let packageCache: Map<string, { pkg: string; version: string }> | undefined;

/**
 * Assigns every reachable model its Go package: apimachinery's meta/v1 for the shared meta types;
 * the package named in prefixed names (CoreV1Event, EventsV1Event); otherwise the group of the kinds
 * that reach it, core winning (PodTemplateSpec is core even when reached from a Deployment).
 */
function packages(): Map<string, { pkg: string; version: string }> {
  if (packageCache) return packageCache;
  const roots = [...servedKinds(), ...EXTRA_ROOTS.map((e) => ({ ...e }))];
  const result = new Map<string, { pkg: string; version: string }>();
  // Core kinds first, so core claims shared types before other groups do.
  const ordered = [...roots.filter((r) => r.group === ''), ...roots.filter((r) => r.group !== '')];
  for (const root of ordered) {
    for (const m of reachableModels(root.model)) {
      if (result.has(m)) continue;
      result.set(m, packageOf(m, root.group));
    }
  }
  packageCache = result;
  return result;
}

const APIEXTENSIONS_PACKAGE = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions';

/** Core types that only non-core kinds reach among the served ones (StorageClass.allowedTopologies). */
const CORE_V1_MODELS = new Set(['V1TopologySelectorTerm', 'V1TopologySelectorLabelRequirement']);

function packageOf(model: string, reachedFromGroup: string): { pkg: string; version: string } {
  if (CORE_V1_MODELS.has(model)) return { pkg: 'io.k8s.api.core', version: 'v1' };
  if (META_V1_MODELS.has(model)) return { pkg: 'io.k8s.apimachinery.pkg.apis.meta', version: 'v1' };
  const prefixed = /^([A-Z][a-z]+)(V\d+(?:(?:alpha|beta)\d+)?)[A-Z]/.exec(model);
  const version = (/^(?:[A-Z][a-z]+)?(V\d+(?:(?:alpha|beta)\d+)?)/.exec(model)?.[1] ?? 'V1').toLowerCase();
  if (prefixed) {
    // ApiextensionsV1ServiceReference etc. live with the other apiextensions types.
    if (prefixed[1] === 'Apiextensions') return { pkg: APIEXTENSIONS_PACKAGE, version };
    return { pkg: `io.k8s.api.${prefixed[1].toLowerCase()}`, version };
  }
  // apiextensions-apiserver's types live outside k8s.io/api.
  if (reachedFromGroup === 'apiextensions.k8s.io') return { pkg: APIEXTENSIONS_PACKAGE, version };
  return { pkg: `io.k8s.api.${groupPackage(reachedFromGroup)}`, version };
}

/** The OpenAPI definition name of a model, as upstream names it: "io.k8s.api.apps.v1.Deployment". */
export function definitionName(modelType: string): string {
  if (modelType === 'VersionInfo') return 'io.k8s.apimachinery.pkg.version.Info';
  const p = packages().get(modelType) ?? packageOf(modelType, '');
  return `${p.pkg}.${p.version}.${goTypeName(modelType)}`;
}

/** Go's short package-qualified type name for messages: "v1.PodSpec", "v2.MetricSpec". */
function goQualifiedName(modelType: string): string {
  const p = packages().get(modelType) ?? packageOf(modelType, '');
  return `${p.version}.${goTypeName(modelType)}`;
}

/** The Go type of a field as encoding/json prints it in UnmarshalTypeError ("int32", "[]v1.Container"). */
export function goTypeString(t: FieldType): string {
  switch (t.kind) {
    case 'string':
      return t.format === 'byte' ? '[]uint8' : 'string';
    case 'number':
      return t.format === 'int32' ? 'int32' : t.format === 'int64' ? 'int64' : 'float64';
    case 'boolean':
      return 'bool';
    case 'time':
      return t.micro ? 'v1.MicroTime' : 'v1.Time';
    case 'intOrString':
      return 'intstr.IntOrString';
    case 'quantity':
      return 'resource.Quantity';
    case 'any':
      return t.goType === 'FieldsV1' ? 'v1.FieldsV1' : 'runtime.RawExtension';
    case 'array':
      return `[]${goTypeString(t.items)}`;
    case 'map':
      return `map[string]${goTypeString(t.values)}`;
    case 'object':
      return goQualifiedName(t.model);
  }
}

// ---------------------------------------------------------------------------------------------
// Strict decoding: unknown and duplicate fields.

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function joinPath(parent: string, key: string): string {
  return parent ? `${parent}.${key}` : key;
}

/**
 * Paths of fields the schema does not know, as sigs.k8s.io/json's strict decoder reports them:
 * "spec.foo", "spec.template.spec.containers[0].bar". Maps accept any key; RawExtension and other
 * untyped fields accept anything. Values of the wrong JSON type are left to typeErrors.
 */
export function unknownFields(obj: unknown, modelType: string): string[] {
  const out: string[] = [];
  walkUnknown(obj, { kind: 'object', model: modelType }, undefined, out, false);
  return out;
}

/**
 * Removes the fields the schema does not declare, as the decoder drops them under
 * fieldValidation Warn or Ignore, and returns their paths (as unknownFields does).
 */
export function pruneUnknownFields(obj: unknown, modelType: string, known?: unknown): string[] {
  const out: string[] = [];
  walkUnknown(obj, { kind: 'object', model: modelType }, undefined, out, true, known);
  return out;
}

/** known's part at key, when known is an object or array (the walks' `known`, one level down). */
function knownAt(known: unknown, key: string | number): unknown {
  return known !== null && typeof known === 'object' ? (known as Record<string | number, unknown>)[key] : undefined;
}

/**
 * Where walkUnknown is: a chain of segments, spelled out only for a field it reports (nearly every
 * body has none). dot: the segment is a field or map key (joined with "."), not an index ("[0]").
 */
interface FieldPath {
  parent: FieldPath | undefined;
  seg: string;
  dot: boolean;
}

function renderPath(p: FieldPath | undefined): string {
  if (!p) return '';
  const parent = renderPath(p.parent);
  return p.dot && parent ? `${parent}.${p.seg}` : `${parent}${p.seg}`;
}

/** Only containers can hold unknown fields. */
function holdsFields(type: FieldType): boolean {
  return type.kind === 'object' || type.kind === 'array' || type.kind === 'map';
}

/**
 * known: an object that decoded cleanly (the stored object a patch was applied to): a part of value
 * that is known's own part, as a strategic merge leaves what the patch did not reach, has nothing
 * to report and is not walked.
 */
function walkUnknown(value: unknown, type: FieldType, path: FieldPath | undefined, out: string[], prune: boolean, known?: unknown): void {
  if (value === null || typeof value !== 'object' || value === known) return;
  switch (type.kind) {
    case 'object': {
      if (Array.isArray(value)) return;
      const fields = modelFields(type.model);
      if (!fields) return;
      const o = value as Record<string, unknown>;
      for (const key in o) {
        const f = fields.get(key);
        if (!f) {
          out.push(renderPath({ parent: path, seg: key, dot: true }));
          if (prune) delete o[key];
          continue;
        }
        const v = o[key];
        if (v !== null && typeof v === 'object' && holdsFields(f.type)) walkUnknown(v, f.type, { parent: path, seg: key, dot: true }, out, prune, knownAt(known, key));
      }
      return;
    }
    case 'array':
      if (!Array.isArray(value) || !holdsFields(type.items)) return;
      for (let i = 0; i < value.length; i++) {
        const v = value[i] as unknown;
        if (v !== null && typeof v === 'object') walkUnknown(v, type.items, { parent: path, seg: `[${i}]`, dot: false }, out, prune, knownAt(known, i));
      }
      return;
    case 'map': {
      if (Array.isArray(value) || !holdsFields(type.values)) return;
      const o = value as Record<string, unknown>;
      for (const k in o) {
        const v = o[k];
        if (v !== null && typeof v === 'object') walkUnknown(v, type.values, { parent: path, seg: k, dot: true }, out, prune, knownAt(known, k));
      }
      return;
    }
    default:
      return;
  }
}

/**
 * Paths of keys that occur twice in one JSON object of the raw request body ("spec.replicas",
 * "spec.template.spec.containers[0].name"), in document order. JSON.parse keeps only the last
 * value, so this has to read the text itself. Returns [] for text that is not valid JSON.
 */
export function duplicateFields(jsonText: string): string[] {
  const out: string[] = [];
  let i = 0;
  const s = jsonText;
  const ws = () => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\n' || s[i] === '\r' || s[i] === '\t')) i++;
  };
  const readString = (): string => {
    // s[i] === '"'
    let j = i + 1;
    let raw = '';
    while (j < s.length && s[j] !== '"') {
      if (s[j] === '\\') {
        raw += s.slice(j, j + 2);
        j += 2;
      } else raw += s[j++];
    }
    if (j >= s.length) throw new SyntaxError('unterminated string');
    i = j + 1;
    return JSON.parse(`"${raw}"`) as string;
  };
  const value = (path: string): void => {
    ws();
    const c = s[i];
    if (c === '{') {
      i++;
      const seen = new Set<string>();
      ws();
      if (s[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (s[i] !== '"') throw new SyntaxError('expected key');
        const key = readString();
        const p = joinPath(path, key);
        if (seen.has(key)) out.push(p);
        seen.add(key);
        ws();
        if (s[i] !== ':') throw new SyntaxError('expected colon');
        i++;
        value(p);
        ws();
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === '}') {
          i++;
          return;
        }
        throw new SyntaxError('expected , or }');
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (s[i] === ']') {
        i++;
        return;
      }
      for (let n = 0; ; n++) {
        value(`${path}[${n}]`);
        ws();
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === ']') {
          i++;
          return;
        }
        throw new SyntaxError('expected , or ]');
      }
    }
    if (c === '"') {
      readString();
      return;
    }
    const m = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(s.slice(i, i + 400));
    if (!m) throw new SyntaxError('unexpected token');
    i += m[0].length;
  };
  try {
    value('');
  } catch {
    return [];
  }
  return out;
}

/** `unknown field "spec.foo"`, as one strict-decoding problem. */
export function unknownFieldProblem(path: string): string {
  return `unknown field "${path}"`;
}

/** `duplicate field "spec.replicas"`, as one strict-decoding problem. */
export function duplicateFieldProblem(path: string): string {
  return `duplicate field "${path}"`;
}

/**
 * The strict-decoding problems of a request body, duplicates first then unknown fields, each
 * worded as kube-apiserver words them (also the text of each fieldValidation=Warn warning).
 */
export function strictDecodingProblems(obj: unknown, modelType: string, jsonText?: string): string[] {
  const dups = jsonText === undefined ? [] : duplicateFields(jsonText).map(duplicateFieldProblem);
  return [...dups, ...unknownFields(obj, modelType).map(unknownFieldProblem)];
}

/**
 * The BadRequest message for fieldValidation=Strict:
 * `Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo"`.
 */
export function strictDecodingMessage(kind: string, version: string, problems: string[]): string {
  return decodeErrorMessage(kind, version, `strict decoding error: ${problems.join(', ')}`);
}

/** transformDecodeError's wording: `<Kind> in version "<v>" cannot be handled as a <Kind>: <err>`. */
export function decodeErrorMessage(kind: string, version: string, err: string): string {
  return `${kind} in version "${version}" cannot be handled as a ${kind}: ${err}`;
}

// ---------------------------------------------------------------------------------------------
// JSON type errors, as encoding/json (sigs.k8s.io/json) words them.

/** One decode failure; `fatal` ones (from custom unmarshalers) stop decoding and win over saved ones. */
export interface TypeError {
  message: string;
  fatal: boolean;
}

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  return typeof v === 'number' ? 'number' : typeof v === 'string' ? 'string' : 'object';
}

/** The strict regular expression resource.ParseQuantity requires. */
const QUANTITY_RE = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const QUANTITY_SUFFIXES = new Set(['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'n', 'u', 'm', 'k', 'M', 'G', 'T', 'P', 'E']);

/** resource.ParseQuantity's error for a malformed quantity, or undefined when it parses. */
export function quantityError(text: string): string | undefined {
  const s = text.trim();
  const m = QUANTITY_RE.exec(s);
  if (!m || s.length === 0) return "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
  const [, num, suffix] = m;
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)$/.test(num)) return 'unable to parse numeric part of quantity';
  if (!QUANTITY_SUFFIXES.has(suffix) && !/^[eE][-+]?\d+$/.test(suffix)) return "unable to parse quantity's suffix";
  return undefined;
}

/** base64.StdEncoding's error for text that is not valid padded base64, or undefined. */
export function base64Error(text: string): string | undefined {
  const chars: Array<{ c: string; at: number }> = [];
  for (let k = 0; k < text.length; k++) if (text[k] !== '\r' && text[k] !== '\n') chars.push({ c: text[k], at: k });
  for (let q = 0; q < chars.length; q += 4) {
    const quantum = chars.slice(q, q + 4);
    for (let j = 0; j < quantum.length; j++) {
      const { c, at } = quantum[j];
      if (c === '=') {
        // Padding may only fill the last one or two places of the final quantum.
        const rest = quantum.slice(j);
        const final = q + 4 >= chars.length;
        if (j < 2 || !final || quantum.length !== 4 || rest.some((r) => r.c !== '=')) return `illegal base64 data at input byte ${at}`;
        return undefined;
      }
      if (!/[A-Za-z0-9+/]/.test(c)) return `illegal base64 data at input byte ${at}`;
    }
    if (quantum.length < 4) return `illegal base64 data at input byte ${quantum[0].at}`;
  }
  return undefined;
}

function isInt(format: string): boolean {
  return format === 'int32' || format === 'int64';
}

function outOfRange(v: number, format: string): boolean {
  if (format === 'int32') return v < -2147483648 || v > 2147483647;
  return !Number.isSafeInteger(v) && Math.abs(v) > 9223372036854775807;
}

/**
 * Every JSON type mismatch between obj and the model, worded as kube-apiserver's decoder words them:
 * `json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`.
 * Saved errors come in document order, after any fatal one.
 */
export function typeErrors(obj: unknown, modelType: string, known?: unknown): string[] {
  const errs: TypeError[] = [];
  walkTypes(obj, { kind: 'object', model: modelType }, { model: '', key: '' }, errs, known);
  return [...errs.filter((e) => e.fatal), ...errs.filter((e) => !e.fatal)].map((e) => e.message);
}

/** The one error upstream's decoder returns for obj, if any (the first fatal one, else the first saved one). */
export function decodeError(obj: unknown, modelType: string, known?: unknown): string | undefined {
  return typeErrors(obj, modelType, known)[0];
}

/**
 * Where the walk is, for error messages only: built per field without string work, since nearly
 * every body has no error; struct and path are spelled out when one is reported.
 */
interface Ctx {
  /** The model of the innermost struct being decoded ('' at the root). */
  model: string;
  /** The enclosing field's context, and this field's JSON name. */
  parent?: Ctx;
  key: string;
}

/** Dotted JSON path from the root, without list indices or map keys. */
function ctxPath(ctx: Ctx): string {
  return ctx.parent ? joinPath(ctxPath(ctx.parent), ctx.key) : ctx.key;
}

/**
 * A scalar that walkTypes would pass without a word (most fields of every body): checked here so
 * that the walk makes no context for it.
 */
function plainScalarFits(v: unknown, type: FieldType): boolean {
  switch (type.kind) {
    case 'string':
      return typeof v === 'string' && type.format !== 'byte';
    case 'number':
      return typeof v === 'number' && (!isInt(type.format) || (Number.isInteger(v) && !outOfRange(v, type.format)));
    case 'boolean':
      return typeof v === 'boolean';
    case 'time':
      return typeof v === 'string';
    case 'intOrString':
      return typeof v === 'string';
    case 'any':
      return true;
    default:
      return false;
  }
}

/** known: as walkUnknown's (a part of value that is known's own decodes as it did). */
function walkTypes(value: unknown, type: FieldType, ctx: Ctx, errs: TypeError[], known?: unknown): void {
  if (value === null || value === undefined || value === known) return;
  const mismatch = (what = jsonKind(value)) => {
    const where = ctx.model ? `Go struct field ${goTypeName(ctx.model)}.${ctxPath(ctx)}` : 'Go value';
    errs.push({ message: `json: cannot unmarshal ${what} into ${where} of type ${goTypeString(type)}`, fatal: false });
  };
  switch (type.kind) {
    case 'string':
      if (typeof value !== 'string') return mismatch();
      if (type.format === 'byte') {
        const e = base64Error(value);
        if (e) errs.push({ message: e, fatal: false });
      }
      return;
    case 'number':
      if (typeof value !== 'number') return mismatch();
      if (isInt(type.format) && (!Number.isInteger(value) || outOfRange(value, type.format))) return mismatch(`number ${value}`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') mismatch();
      return;
    case 'time':
      // metav1.Time unmarshals through a string; anything else fails inside its UnmarshalJSON.
      if (typeof value !== 'string') errs.push({ message: `json: cannot unmarshal ${jsonKind(value)} into Go value of type string`, fatal: true });
      return;
    case 'intOrString':
      if (typeof value === 'string') return;
      if (typeof value === 'number' && Number.isInteger(value) && !outOfRange(value, 'int32')) return;
      errs.push({
        message: `json: cannot unmarshal ${typeof value === 'number' ? `number ${value}` : jsonKind(value)} into Go value of type int32`,
        fatal: true,
      });
      return;
    case 'quantity': {
      const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : JSON.stringify(value);
      const e = quantityError(text);
      if (e) errs.push({ message: e, fatal: true });
      return;
    }
    case 'any':
      return;
    case 'array':
      if (!Array.isArray(value)) return mismatch();
      for (let i = 0; i < value.length; i++) walkTypes(value[i], type.items, ctx, errs, knownAt(known, i));
      return;
    case 'map':
      if (!isPlainObject(value)) return mismatch();
      for (const k in value) walkTypes(value[k], type.values, ctx, errs, knownAt(known, k));
      return;
    case 'object': {
      if (!isPlainObject(value)) return mismatch();
      const fields = modelFields(type.model);
      if (!fields) return;
      const schemaProps = type.model === 'V1JSONSchemaProps';
      for (const key in value) {
        const f = fields.get(key);
        if (!f) continue;
        const v = (value as Record<string, unknown>)[key];
        if (v === null || v === undefined) continue;
        const k = knownAt(known, key);
        if (v === k && typeof v === 'object') continue;
        const schemaOr = schemaProps ? SCHEMA_OR_FIELDS[`${type.model}.${key}`] : undefined;
        if (schemaOr) walkSchemaOr(v, schemaOr, { model: type.model, parent: ctx, key }, errs);
        else if (!plainScalarFits(v, f.type)) walkTypes(v, f.type, { model: type.model, parent: ctx, key }, errs, k);
      }
      return;
    }
  }
}

/**
 * JSONSchemaProps fields that client-node types as `any` but that upstream decodes with their own
 * UnmarshalJSON (apiextensions/v1 marshal.go): JSONSchemaPropsOrBool takes a schema or a boolean
 * and refuses anything else; JSONSchemaPropsOrArray takes a schema or a list of schemas and
 * silently ignores anything else; the values of dependencies (JSONSchemaPropsOrStringArray) take a
 * schema or a list of strings and ignore anything else.
 */
const SCHEMA_OR_FIELDS: Record<string, 'bool' | 'array' | 'stringArray'> = {
  'V1JSONSchemaProps.additionalProperties': 'bool',
  'V1JSONSchemaProps.additionalItems': 'bool',
  'V1JSONSchemaProps.items': 'array',
  'V1JSONSchemaProps.dependencies': 'stringArray',
};

const SCHEMA_TYPE: FieldType = { kind: 'object', model: 'V1JSONSchemaProps' };

function walkSchemaOr(value: unknown, or: 'bool' | 'array' | 'stringArray', ctx: Ctx, errs: TypeError[]): void {
  if (value === null || value === undefined) return;
  if (or === 'stringArray') {
    if (!isPlainObject(value)) return;
    for (const v of Object.values(value)) {
      if (isPlainObject(v)) walkTypes(v, SCHEMA_TYPE, ctx, errs);
      else if (Array.isArray(v)) walkTypes(v, { kind: 'array', items: { kind: 'string', format: '' } }, ctx, errs);
    }
    return;
  }
  if (isPlainObject(value)) return walkTypes(value, SCHEMA_TYPE, ctx, errs);
  if (or === 'array') {
    if (Array.isArray(value)) walkTypes(value, { kind: 'array', items: SCHEMA_TYPE }, ctx, errs);
    return;
  }
  if (typeof value !== 'boolean') errs.push({ message: 'boolean or JSON schema expected', fatal: true });
}

// ---------------------------------------------------------------------------------------------
// Documentation from the models' .d.ts comments, and the data OpenAPI generation needs.

/** A model's description and, per field, its description and whether the .d.ts marks it required. */
export interface ModelDocs {
  description?: string;
  fields: Map<string, { description?: string; required: boolean }>;
}

const docsCache = new Map<string, ModelDocs>();
let modelsDir: string | undefined;

function clientNodeModelsDir(): string | undefined {
  if (modelsDir !== undefined) return modelsDir || undefined;
  try {
    const require = createRequire(import.meta.url);
    modelsDir = join(dirname(require.resolve('@kubernetes/client-node')), 'gen', 'models');
  } catch {
    modelsDir = '';
  }
  return modelsDir || undefined;
}

/** Reads a model's documentation from client-node's declaration file (empty when unavailable). */
export function modelDocs(modelType: string): ModelDocs {
  const cached = docsCache.get(modelType);
  if (cached) return cached;
  const docs: ModelDocs = { fields: new Map() };
  const dir = clientNodeModelsDir();
  if (dir && /^\w+$/.test(modelType)) {
    try {
      parseDeclaration(readFileSync(join(dir, `${modelType}.d.ts`), 'utf8'), docs);
    } catch {
      // No declaration file: the schema still works, only without descriptions.
    }
  }
  docsCache.set(modelType, docs);
  return docs;
}

function parseDeclaration(text: string, docs: ModelDocs): void {
  const lines = text.split('\n');
  let comment: string[] | undefined;
  let pending: string | undefined;
  let inClass = false;
  for (const line of lines) {
    const t = line.trim();
    if (t.startsWith('/**')) {
      comment = [];
      continue;
    }
    if (comment && t.startsWith('*/')) {
      pending = comment.join('\n').trim() || undefined;
      comment = undefined;
      continue;
    }
    if (comment) {
      comment.push(t.replace(/^\* ?/, ''));
      continue;
    }
    if (t.startsWith('export declare class')) {
      inClass = true;
      if (pending) docs.description = pending;
      pending = undefined;
      continue;
    }
    const prop = inClass ? /^'([^']+)'(\?)?:/.exec(t) : null;
    if (prop) {
      docs.fields.set(prop[1], { ...(pending ? { description: pending } : {}), required: prop[2] !== '?' });
      pending = undefined;
    } else if (t && !t.startsWith('[') && !t.startsWith('}')) {
      pending = undefined;
    }
  }
}

/** One definition for OpenAPI: a model with its name, fields, docs and (for kinds) group-version-kinds. */
export interface SchemaDefinition {
  name: string;
  model: string;
  description?: string;
  fields: Array<FieldInfo & { description?: string; required: boolean }>;
  gvks: Array<{ group: string; version: string; kind: string }>;
}

/**
 * Every definition reachable from the served kinds (and DeleteOptions, Status, WatchEvent, the
 * discovery types), sorted by definition name.
 */
export function schemaDefinitions(resources: readonly ResourceInfo[] = RESOURCES): SchemaDefinition[] {
  const kinds = servedKinds(resources);
  const gvks = new Map<string, Array<{ group: string; version: string; kind: string }>>();
  for (const k of kinds) {
    if (!gvks.has(k.model)) gvks.set(k.model, []);
    gvks.get(k.model)!.push({ group: k.group, version: k.version, kind: k.kind });
  }
  // Status and DeleteOptions are registered in every group/version upstream; core v1 is enough for clients.
  for (const kind of ['Status', 'DeleteOptions', 'APIGroup', 'APIGroupList', 'APIResourceList', 'APIVersions']) {
    gvks.set(`V1${kind}`, [{ group: '', version: 'v1', kind }]);
  }
  const roots = [...kinds.map((k) => k.model), 'V1Status', 'V1DeleteOptions', 'V1WatchEvent', 'V1APIGroup', 'V1APIGroupList', 'V1APIResourceList', 'V1APIVersions'];
  const models = new Set<string>();
  for (const r of roots) for (const m of reachableModels(r)) models.add(m);
  const defs: SchemaDefinition[] = [];
  for (const model of models) {
    const docs = modelDocs(model);
    const fields = [...modelFields(model)!.values()].map((f) => {
      const d = docs.fields.get(f.name);
      return { ...f, ...(d?.description ? { description: d.description } : {}), required: d?.required ?? false };
    });
    defs.push({
      name: definitionName(model),
      model,
      ...(docs.description ? { description: docs.description } : {}),
      fields,
      gvks: gvks.get(model) ?? [],
    });
  }
  return defs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
