// Strategic merge patch (k8s.io/apimachinery/pkg/util/strategicpatch): JSON merge patch plus the
// schema's patch strategies and directives. Applying is what kube-apiserver does for
// application/strategic-merge-patch+json; creating two- and three-way patches is what kubectl
// edit and kubectl apply compute client-side. The algorithms, orderings and error texts follow
// upstream closely, because clients compare results and users search for the messages.

import { jsonCopy } from '../json.js';
import { badRequest, genericInvalid, type StatusError } from '../errors.js';
import { EMPTY_PATCH_SCHEMA, type PatchSchema } from './schema.js';

type JSONMap = Record<string, unknown>;

const DIRECTIVE_MARKER = '$patch';
const DELETE_DIRECTIVE = 'delete';
const REPLACE_DIRECTIVE = 'replace';
const MERGE_DIRECTIVE = 'merge';
const RETAIN_KEYS_STRATEGY = 'retainKeys';
const DELETE_FROM_PRIMITIVE_LIST_PREFIX = '$deleteFromPrimitiveList';
const RETAIN_KEYS_DIRECTIVE = '$retainKeys';
const SET_ELEMENT_ORDER_PREFIX = '$setElementOrder';

// ---- errors (mergepatch and strategicpatch wording) ----

/** How the API server answers a patch error: interpretStrategicMergePatchError. */
type ErrorClass = 'BadRequest' | 'Invalid' | 'Internal';

/** A strategic merge patch failure with upstream's message. */
export class StrategicMergePatchError extends Error {
  readonly errorClass: ErrorClass;
  constructor(message: string, errorClass: ErrorClass = 'Internal') {
    super(message);
    this.name = 'StrategicMergePatchError';
    this.errorClass = errorClass;
  }
}

const errBadJSONDoc = () => new StrategicMergePatchError('invalid JSON document', 'BadRequest');
const errNoListOfLists = () => new StrategicMergePatchError('lists of lists are not supported', 'Invalid');
const errBadPatchFormatForPrimitiveList = () => new StrategicMergePatchError('invalid patch format of primitive list', 'BadRequest');
const errBadPatchFormatForRetainKeys = () => new StrategicMergePatchError('invalid patch format of retainKeys', 'BadRequest');
const errBadPatchFormatForSetElementOrderList = () => new StrategicMergePatchError('invalid patch format of setElementOrder list', 'BadRequest');

function errNoMergeKey(m: JSONMap, k: string): StrategicMergePatchError {
  return new StrategicMergePatchError(`map: ${goFmt(m)} does not contain declared merge key: ${k}`);
}

function errBadArgType(expected: 'map' | 'slice', actual: unknown): StrategicMergePatchError {
  const exp = expected === 'map' ? 'map[string]interface {}' : '[]interface {}';
  return new StrategicMergePatchError(`expected a ${exp}, but received a ${goTypeName(actual)}`);
}

function errBadPatchType(t: unknown, m: JSONMap): StrategicMergePatchError {
  return new StrategicMergePatchError(`unknown patch type: ${goFmtS(t)} in map: ${goFmt(m)}`);
}

/**
 * interpretStrategicMergePatchError: bad patch formats are 400, lists of lists 422 (with the
 * generic "rejected" text). The rest (unknown $patch, missing merge key, wrong element type) are
 * plain errors that kube-apiserver answers with a reason-less 500; skiff keeps their words but
 * answers 400 BadRequest, since the fault is in the client's patch (kubernetes/kubernetes#79210
 * calls the 500 a bug) and a 5xx would invite clients to retry a request that can never succeed.
 */
export function toStatusError(e: StrategicMergePatchError): StatusError {
  if (e.errorClass === 'BadRequest') return badRequest(e.message);
  if (e.errorClass === 'Invalid') return genericInvalid();
  return badRequest(e.message);
}

// ---- Go-flavoured formatting, so messages and sort orders match upstream ----

// reflect.TypeOf(v).String() for values from encoding/json (integers as int64, as k8s decodes them).
function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return '%!s(<nil>)';
  if (Array.isArray(v)) return '[]interface {}';
  switch (typeof v) {
    case 'object':
      return 'map[string]interface {}';
    case 'string':
      return 'string';
    case 'number':
      return Number.isInteger(v) ? 'int64' : 'float64';
    case 'boolean':
      return 'bool';
    default:
      return typeof v;
  }
}

// fmt's %v for JSON values: maps print with sorted keys, slices space-separated.
function goFmt(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goFmt).join(' ')}]`;
  if (typeof v === 'object') {
    const m = v as JSONMap;
    return `map[${Object.keys(m)
      .sort(compareStrings)
      .map((k) => `${k}:${goFmt(m[k])}`)
      .join(' ')}]`;
  }
  return String(v);
}

// fmt's %s: as %v for strings; Go marks other kinds as %!s(type=value).
function goFmtS(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '%!s(<nil>)';
  if (typeof v === 'number') return `%!s(${goTypeName(v)}=${v})`;
  if (typeof v === 'boolean') return `%!s(bool=${v})`;
  return goFmt(v);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---- JSON helpers ----

function isMap(v: unknown): v is JSONMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function hasOwn(o: object, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

type Kind = 'map' | 'slice' | 'string' | 'number' | 'bool' | 'null';

function kindOf(v: unknown): Kind {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'slice';
  switch (typeof v) {
    case 'object':
      return 'map';
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    default:
      return 'bool';
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => hasOwn(b, k) && deepEqual((a as JSONMap)[k], (b as JSONMap)[k]));
}

const clone = jsonCopy;

// ---- schema lookups (LookupPatchMetadataForStruct / ForSlice over PatchSchema) ----

interface PatchMeta {
  schema: PatchSchema;
  strategies: string[];
  mergeKey: string;
}

const NO_META: PatchMeta = { schema: EMPTY_PATCH_SCHEMA, strategies: [], mergeKey: '' };

// The schema of a string-keyed map: every key has the map's value schema and no strategy.
function mapValueSchema(values: PatchSchema | undefined): PatchSchema {
  const meta = { schema: values };
  return { field: () => meta };
}

function lookupPatchMeta(schema: PatchSchema, key: string): PatchMeta {
  const meta = schema.field(key);
  if (!meta) return NO_META;
  const sub = meta.kind === 'map' ? mapValueSchema(meta.schema) : (meta.schema ?? EMPTY_PATCH_SCHEMA);
  return {
    schema: sub,
    strategies: meta.patchStrategy ? meta.patchStrategy.split(',') : [],
    mergeKey: meta.patchMergeKey ?? '',
  };
}

// extractRetainKeysPatchStrategy: "merge,retainKeys" → retainKeys plus the other strategy.
function extractRetainKeysPatchStrategy(strategies: string[]): { retainKeys: boolean; strategy: string } {
  switch (strategies.length) {
    case 0:
      return { retainKeys: false, strategy: '' };
    case 1:
      return strategies[0] === RETAIN_KEYS_STRATEGY ? { retainKeys: true, strategy: '' } : { retainKeys: false, strategy: strategies[0] };
    case 2:
      if (strategies[0] === RETAIN_KEYS_STRATEGY) return { retainKeys: true, strategy: strategies[1] };
      if (strategies[1] === RETAIN_KEYS_STRATEGY) return { retainKeys: true, strategy: strategies[0] };
  }
  throw new StrategicMergePatchError(`unexpected patch strategy: [${strategies.join(' ')}]`);
}

// ---- list helpers ----

// sliceElementType: every element has one kind and no element is a list.
function sliceElementKind(...slices: unknown[][]): Kind {
  let prev: Kind | undefined;
  for (const s of slices) {
    for (const v of s) {
      const k = kindOf(v);
      if (prev === undefined) {
        prev = k;
        if (prev === 'slice') throw errNoListOfLists();
      } else if (prev !== k) {
        throw new StrategicMergePatchError(`list element types are not identical: ${goFmt(slices)}`);
      }
    }
  }
  if (prev === undefined) throw new StrategicMergePatchError('no elements in any of the given slices');
  return prev;
}

// sortScalars sorts in place by the %v text, as upstream does (callers rely on the side effect).
function sortScalars(s: unknown[]): unknown[] {
  return s.sort((a, b) => compareStrings(goFmt(a), goFmt(b)));
}

// deduplicateScalars: upstream's in-place algorithm, which moves the last element into a hole.
function deduplicateScalars(s: unknown[]): unknown[] {
  let length = s.length - 1;
  for (let i = 0; i < length; i++) {
    for (let j = i + 1; j <= length; j++) {
      if (s[i] === s[j]) {
        s[j] = s[length];
        s.length = length;
        length--;
        j--;
      }
    }
  }
  return s;
}

function mergeKeyValueOf(item: unknown, mergeKey: string, kind: Kind): unknown {
  if (kind !== 'map') return item;
  return isMap(item) ? item[mergeKey] : undefined;
}

function indexIn(list: unknown[], val: unknown, mergeKey: string, kind: Kind): number {
  const want = mergeKeyValueOf(val, mergeKey, kind);
  for (let i = 0; i < list.length; i++) if (mergeKeyValueOf(list[i], mergeKey, kind) === want) return i;
  return -1;
}

function validateMergeKeyInLists(mergeKey: string, ...lists: unknown[][]): void {
  for (const list of lists) {
    for (const item of list) {
      if (!isMap(item)) throw errBadArgType('map', item);
      if (!hasOwn(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
    }
  }
}

function extractToDeleteItems(l: unknown[]): { nonDelete: unknown[]; toDelete: unknown[] } {
  const nonDelete: unknown[] = [];
  const toDelete: unknown[] = [];
  for (const v of l) {
    if (!isMap(v)) throw errBadArgType('map', v);
    if (hasOwn(v, DIRECTIVE_MARKER) && v[DIRECTIVE_MARKER] === DELETE_DIRECTIVE) toDelete.push(v);
    else nonDelete.push(v);
  }
  return { nonDelete, toDelete };
}

// normalizeSliceOrder: sort toSort by the order of its items in `order`; deletions go last.
function normalizeSliceOrder(toSort: unknown[], order: unknown[], mergeKey: string, kind: Kind): unknown[] {
  let items = toSort;
  let toDelete: unknown[] = [];
  if (kind === 'map') {
    validateMergeKeyInLists(mergeKey, toSort, order);
    ({ nonDelete: items, toDelete } = extractToDeleteItems(toSort));
  }
  const keyed = items.map((item, pos) => ({ item, pos, idx: indexIn(order, item, mergeKey, kind) }));
  keyed.sort((a, b) => (a.idx >= 0 && b.idx >= 0 ? a.idx - b.idx : a.pos - b.pos));
  return [...keyed.map((k) => k.item), ...toDelete];
}

// mergeSortedSlice: interleave server-only items (left) into patch items (right) by live order.
function mergeSortedSlice(left: unknown[], right: unknown[], serverOrder: unknown[], mergeKey: string, kind: Kind): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey, kind);
      const ri = indexIn(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

function normalizeElementOrder(
  patch: unknown[],
  serverOnly: unknown[],
  patchOrder: unknown[],
  serverOrder: unknown[],
  mergeKey: string,
  kind: Kind,
): unknown[] {
  const p = normalizeSliceOrder(patch, patchOrder, mergeKey, kind);
  const s = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSortedSlice(s, p, serverOrder, mergeKey, kind);
}

function findMapInSliceBasedOnKeyValue(m: unknown[], key: string, value: unknown): { map: JSONMap; index: number } | undefined {
  for (let k = 0; k < m.length; k++) {
    const v = m[k];
    if (!isMap(v)) throw new StrategicMergePatchError(`value for key ${k} is not a map`);
    if (hasOwn(v, key) && v[key] === value) return { map: v, index: k };
  }
  return undefined;
}

function partitionPrimitivesByPresentInList(original: unknown[], partitionBy: unknown[]): [unknown[], unknown[]] {
  const inPatch = new Set(partitionBy);
  const patch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of original) (inPatch.has(v) ? patch : serverOnly).push(v);
  return [patch, serverOnly];
}

function partitionMapsByPresentInList(original: unknown[], partitionBy: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const patch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of original) {
    if (!isMap(v)) throw errBadArgType('map', v);
    if (!hasOwn(v, mergeKey)) throw errNoMergeKey(v, mergeKey);
    (findMapInSliceBasedOnKeyValue(partitionBy, mergeKey, v[mergeKey]) ? patch : serverOnly).push(v);
  }
  return [patch, serverOnly];
}

// removeDirectives: drops maps that carry $patch (and strips them from nested lists).
function removeDirectives(obj: unknown): { value: unknown; keep: boolean } {
  if (isMap(obj)) {
    if (hasOwn(obj, DIRECTIVE_MARKER)) return { value: undefined, keep: false };
    for (const k of Object.keys(obj)) {
      const r = removeDirectives(obj[k]);
      if (r.keep) obj[k] = r.value;
      else delete obj[k];
    }
    return { value: obj, keep: true };
  }
  if (Array.isArray(obj)) {
    const res: unknown[] = [];
    for (const v of obj) {
      const r = removeDirectives(v);
      if (r.keep) res.push(r.value);
    }
    return { value: res, keep: true };
  }
  return { value: obj, keep: true };
}

function discardNullValuesFromPatch(v: unknown): void {
  if (isMap(v)) {
    for (const k of Object.keys(v)) {
      if (v[k] === null) delete v[k];
      else discardNullValuesFromPatch(v[k]);
    }
  } else if (Array.isArray(v)) {
    for (const e of v) discardNullValuesFromPatch(e);
  }
}

// ---- applying a patch (mergeMap and friends) ----

interface MergeOptions {
  /** Apply parallel lists ($deleteFromPrimitiveList, $setElementOrder); false when merging patches. */
  mergeParallelList: boolean;
  /** Drop nulls that match nothing; false keeps them so merged patches still delete. */
  ignoreUnmatchedNulls: boolean;
}

function handleDirectiveInMergeMap(directive: unknown, patch: JSONMap): JSONMap {
  if (directive === REPLACE_DIRECTIVE) {
    delete patch[DIRECTIVE_MARKER];
    return patch;
  }
  if (directive === DELETE_DIRECTIVE) return {};
  throw errBadPatchType(directive, patch);
}

function extractKey(s: string, prefix: string): string {
  const slash = s.indexOf('/');
  if (slash < 0 || s.slice(0, slash) !== prefix) {
    if (prefix === DELETE_FROM_PRIMITIVE_LIST_PREFIX) throw errBadPatchFormatForPrimitiveList();
    if (prefix === SET_ELEMENT_ORDER_PREFIX) throw errBadPatchFormatForSetElementOrderList();
    throw new StrategicMergePatchError(`fail to find unknown prefix "${prefix}" in ${s}\n`);
  }
  return s.slice(slash + 1);
}

function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (mergeKey.length === 0) return left === right;
  if (!isMap(left)) throw errBadArgType('map', left);
  if (!isMap(right)) throw errBadArgType('map', right);
  if (!hasOwn(left, mergeKey)) throw errNoMergeKey(left, mergeKey);
  if (!hasOwn(right, mergeKey)) throw errNoMergeKey(right, mergeKey);
  return left[mergeKey] === right[mergeKey];
}

function containsDirectiveMarker(item: unknown): boolean {
  return isMap(item) && hasOwn(item, DIRECTIVE_MARKER);
}

// validatePatchWithSetOrderList: patch items must appear in $setElementOrder, in the same order.
function validatePatchWithSetOrderList(patchList: unknown, setOrderList: unknown, mergeKey: string): void {
  if (!Array.isArray(setOrderList)) throw errBadPatchFormatForSetElementOrderList();
  if (!Array.isArray(patchList)) throw errBadPatchFormatForSetElementOrderList();
  if (setOrderList.length === 0 || patchList.length === 0) return;
  const nonDelete = mergeKey.length > 0 ? extractToDeleteItems(patchList).nonDelete : patchList;
  let p = 0;
  let s = 0;
  while (p < nonDelete.length && s < setOrderList.length) {
    if (containsDirectiveMarker(nonDelete[p])) {
      p++;
      continue;
    }
    if (mergeKeyValueEqual(nonDelete[p], setOrderList[s], mergeKey)) p++;
    s++;
  }
  if (p < nonDelete.length && s >= setOrderList.length) {
    throw new StrategicMergePatchError(
      `The order in patch list:\n${goFmt(patchList)}\n doesn't match ${SET_ELEMENT_ORDER_PREFIX} list:\n${goFmt(setOrderList)}\n`,
    );
  }
}

function applyRetainKeysDirective(original: JSONMap, patch: JSONMap, options: MergeOptions): void {
  if (!hasOwn(patch, RETAIN_KEYS_DIRECTIVE)) return;
  const retainKeysInPatch = patch[RETAIN_KEYS_DIRECTIVE];
  delete patch[RETAIN_KEYS_DIRECTIVE];
  if (!options.mergeParallelList) {
    // Merging two patches: both must agree on the directive.
    if (hasOwn(original, RETAIN_KEYS_DIRECTIVE)) {
      if (!deepEqual(original[RETAIN_KEYS_DIRECTIVE], retainKeysInPatch)) {
        throw new StrategicMergePatchError(
          `${goFmt(original[RETAIN_KEYS_DIRECTIVE])} and ${goFmt(retainKeysInPatch)} are not deep equal: this may happen when calculating the 3-way diff patch`,
        );
      }
    } else {
      original[RETAIN_KEYS_DIRECTIVE] = retainKeysInPatch;
    }
    return;
  }
  if (!Array.isArray(retainKeysInPatch)) throw errBadPatchFormatForRetainKeys();
  const retained = new Set<unknown>(retainKeysInPatch);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX) || k.startsWith(SET_ELEMENT_ORDER_PREFIX)) continue;
    if (!retained.has(k)) throw errBadPatchFormatForRetainKeys();
  }
  for (const k of Object.keys(original)) if (!retained.has(k)) delete original[k];
}

// mergePatchIntoOriginal: processes $setElementOrder lists together with the lists they order.
function mergePatchIntoOriginal(original: JSONMap, patch: JSONMap, schema: PatchSchema, options: MergeOptions): void {
  for (const key of Object.keys(patch)) {
    if (!hasOwn(patch, key) || !key.startsWith(SET_ELEMENT_ORDER_PREFIX)) continue;
    const setElementOrderInPatch = patch[key];
    if (!options.mergeParallelList) {
      if (hasOwn(original, key)) {
        if (!deepEqual(original[key], setElementOrderInPatch)) throw errBadPatchFormatForSetElementOrderList();
      } else {
        original[key] = setElementOrderInPatch;
      }
    }
    delete patch[key];

    if (!Array.isArray(setElementOrderInPatch)) throw errBadArgType('slice', setElementOrderInPatch);
    const originalKey = extractKey(key, SET_ELEMENT_ORDER_PREFIX);
    const foundOriginal = hasOwn(original, originalKey);
    const foundPatch = hasOwn(patch, originalKey);
    let originalFieldValue: unknown[] = [];
    let patchFieldValue: unknown[] = [];
    if (foundOriginal) {
      if (!Array.isArray(original[originalKey])) throw errBadArgType('slice', original[originalKey]);
      originalFieldValue = original[originalKey] as unknown[];
    }
    if (foundPatch) {
      if (!Array.isArray(patch[originalKey])) throw errBadArgType('slice', patch[originalKey]);
      patchFieldValue = patch[originalKey] as unknown[];
    }
    const meta = lookupPatchMeta(schema, originalKey);
    const { strategy } = extractRetainKeysPatchStrategy(meta.strategies);
    validatePatchWithSetOrderList(patchFieldValue, setElementOrderInPatch, meta.mergeKey);

    let merged: unknown[];
    if (foundOriginal && !foundPatch) {
      merged = originalFieldValue;
    } else if (!foundOriginal && foundPatch) {
      merged = removeDirectives(patchFieldValue).value as unknown[];
    } else if (foundOriginal && foundPatch) {
      merged = mergeSliceHandler(original[originalKey], patch[originalKey], meta.schema, strategy, meta.mergeKey, false, options);
    } else {
      continue;
    }

    const [patchItems, serverOnlyItems] =
      meta.mergeKey.length === 0
        ? partitionPrimitivesByPresentInList(merged, setElementOrderInPatch)
        : partitionMapsByPresentInList(merged, setElementOrderInPatch, meta.mergeKey);
    const kind = sliceElementKind(originalFieldValue, patchFieldValue);
    original[originalKey] = normalizeElementOrder(patchItems, serverOnlyItems, setElementOrderInPatch, originalFieldValue, meta.mergeKey, kind);
    delete patch[originalKey];
  }
}

function mergeMap(originalIn: JSONMap | null, patch: JSONMap, schema: PatchSchema, options: MergeOptions): JSONMap {
  if (hasOwn(patch, DIRECTIVE_MARKER)) return handleDirectiveInMergeMap(patch[DIRECTIVE_MARKER], patch);
  const original: JSONMap = originalIn ?? {};
  applyRetainKeysDirective(original, patch, options);
  mergePatchIntoOriginal(original, patch, schema, options);

  for (const patchKey of Object.keys(patch)) {
    if (!hasOwn(patch, patchKey)) continue;
    const patchV = patch[patchKey];
    let k = patchKey;
    let isDeleteList = false;
    if (patchKey.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX)) {
      if (!options.mergeParallelList) {
        original[patchKey] = patchV;
        continue;
      }
      k = extractKey(patchKey, DELETE_FROM_PRIMITIVE_LIST_PREFIX);
      isDeleteList = true;
    }

    if (patchV === null) {
      delete original[k];
      if (options.ignoreUnmatchedNulls) continue;
    }

    if (!hasOwn(original, k)) {
      if (!isDeleteList) {
        if (options.ignoreUnmatchedNulls) discardNullValuesFromPatch(patchV);
        const r = removeDirectives(patchV);
        if (r.keep) original[k] = r.value;
        else delete original[k];
      }
      continue;
    }

    const originalKind = kindOf(original[k]);
    if (originalKind !== kindOf(patchV)) {
      if (!isDeleteList) {
        if (options.ignoreUnmatchedNulls) discardNullValuesFromPatch(patchV);
        const r = removeDirectives(patchV);
        if (r.keep) original[k] = r.value;
        else delete original[k];
      }
      continue;
    }

    if (originalKind === 'map') {
      const meta = lookupPatchMeta(schema, k);
      const { strategy } = extractRetainKeysPatchStrategy(meta.strategies);
      original[k] = strategy !== REPLACE_DIRECTIVE ? mergeMap(original[k] as JSONMap, patchV as JSONMap, meta.schema, options) : patchV;
    } else if (originalKind === 'slice') {
      const meta = lookupPatchMeta(schema, k);
      const { strategy } = extractRetainKeysPatchStrategy(meta.strategies);
      original[k] = mergeSliceHandler(original[k], patchV, meta.schema, strategy, meta.mergeKey, isDeleteList, options);
    } else {
      const r = removeDirectives(patchV);
      if (r.keep) original[k] = r.value;
      else delete original[k];
    }
  }
  return original;
}

function mergeSliceHandler(
  original: unknown,
  patch: unknown,
  schema: PatchSchema,
  strategy: string,
  mergeKey: string,
  isDeleteList: boolean,
  options: MergeOptions,
): unknown[] {
  if (!Array.isArray(original)) throw errBadArgType('slice', original);
  if (!Array.isArray(patch)) throw errBadArgType('slice', patch);
  if (strategy === MERGE_DIRECTIVE || isDeleteList) return mergeSlice(original, patch, schema, mergeKey, options, isDeleteList);
  return patch;
}

function mergeSlice(original: unknown[], patch: unknown[], schema: PatchSchema, mergeKey: string, options: MergeOptions, isDeleteList: boolean): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = sliceElementKind(original, patch);
  if (kind !== 'map') {
    if (options.mergeParallelList && isDeleteList) {
      const toDelete = new Set(patch);
      return original.filter((v) => !toDelete.has(v));
    }
    const merged = deduplicateScalars([...original, ...patch]);
    const [patchItems, serverOnlyItems] =
      mergeKey.length === 0 ? partitionPrimitivesByPresentInList(merged, patch) : partitionMapsByPresentInList(merged, patch, mergeKey);
    return normalizeElementOrder(patchItems, serverOnlyItems, patch, original, mergeKey, kind);
  }
  if (mergeKey === '') throw new StrategicMergePatchError('cannot merge lists without merge key for struct');
  const slice: GoSlice = { arr: original, len: original.length, shared: true };
  const special = mergeSliceWithSpecialElements(slice, patch, mergeKey);
  const serverOrder = special.slice.arr.slice(0, special.slice.len);
  mergeSliceWithoutSpecialElements(special.slice, special.patch, mergeKey, schema, options);
  const merged = special.slice.arr.slice(0, special.slice.len);
  const [patchItems, serverOnlyItems] = partitionMapsByPresentInList(merged, special.patch, mergeKey);
  return normalizeElementOrder(patchItems, serverOnlyItems, special.patch, serverOrder, mergeKey, kind);
}

// A Go slice over a JS array. Upstream deletes list elements in place and then appends into the
// freed capacity, which rewrites the live list that $setElementOrder later reads its order from;
// the resulting element order is observable, so the aliasing is reproduced (cap == len on entry,
// as for objects the API server converts to maps).
interface GoSlice {
  arr: unknown[];
  len: number;
  /** True while arr is the caller's array (writes are visible to it). */
  shared: boolean;
}

function goSliceIndexOf(s: GoSlice, key: string, value: unknown): number {
  for (let k = 0; k < s.len; k++) {
    const v = s.arr[k];
    if (!isMap(v)) throw new StrategicMergePatchError(`value for key ${k} is not a map`);
    if (hasOwn(v, key) && v[key] === value) return k;
  }
  return -1;
}

function goSliceAppend(s: GoSlice, v: unknown): void {
  if (s.shared && s.len >= s.arr.length) {
    s.arr = s.arr.slice(0, s.len);
    s.shared = false;
  }
  s.arr[s.len++] = v;
}

// mergeSliceWithSpecialElements: list elements that carry $patch (delete one, replace all).
function mergeSliceWithSpecialElements(slice: GoSlice, patch: unknown[], mergeKey: string): { slice: GoSlice; patch: unknown[] } {
  const withoutSpecial: unknown[] = [];
  let replace = false;
  for (const v of patch) {
    const typed = v as JSONMap;
    if (!hasOwn(typed, DIRECTIVE_MARKER)) {
      withoutSpecial.push(v);
      continue;
    }
    const patchType = typed[DIRECTIVE_MARKER];
    if (patchType === DELETE_DIRECTIVE) {
      if (!hasOwn(typed, mergeKey)) throw errNoMergeKey(typed, mergeKey);
      for (let k = goSliceIndexOf(slice, mergeKey, typed[mergeKey]); k >= 0; k = goSliceIndexOf(slice, mergeKey, typed[mergeKey])) {
        slice.arr.copyWithin(k, k + 1, slice.len);
        slice.len--;
      }
    } else if (patchType === REPLACE_DIRECTIVE) {
      // Keep going, so that other $patch elements are still validated and pruned.
      replace = true;
    } else if (patchType === MERGE_DIRECTIVE) {
      throw new StrategicMergePatchError('merging lists cannot yet be specified in the patch');
    } else {
      throw errBadPatchType(patchType, typed);
    }
  }
  if (replace) return { slice: { arr: withoutSpecial, len: withoutSpecial.length, shared: false }, patch: [] };
  return { slice, patch: withoutSpecial };
}

function mergeSliceWithoutSpecialElements(slice: GoSlice, patch: unknown[], mergeKey: string, schema: PatchSchema, options: MergeOptions): void {
  for (const v of patch) {
    const typed = v as JSONMap;
    if (!hasOwn(typed, mergeKey)) throw errNoMergeKey(typed, mergeKey);
    const idx = goSliceIndexOf(slice, mergeKey, typed[mergeKey]);
    if (idx >= 0) slice.arr[idx] = mergeMap(slice.arr[idx] as JSONMap, typed, schema, options);
    else goSliceAppend(slice, v);
  }
}

const SERVER_MERGE: MergeOptions = { mergeParallelList: true, ignoreUnmatchedNulls: true };

// Typed decoding drops fields the schema does not know; directive keys left in a merged object
// (for instance inside a newly added list element) must not reach storage. Only what the merge
// wrote can hold one: a part of the result that is still original's own (cloneAlong) is skipped.
function stripDirectiveKeys(v: unknown, original?: unknown): void {
  if (v === original) return;
  if (isMap(v)) {
    const o = isMap(original) ? original : undefined;
    for (const k of Object.keys(v)) {
      if (k === DIRECTIVE_MARKER || k === RETAIN_KEYS_DIRECTIVE || k.startsWith(SET_ELEMENT_ORDER_PREFIX + '/') || k.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX + '/')) {
        delete v[k];
      } else {
        stripDirectiveKeys(v[k], o?.[k]);
      }
    }
  } else if (Array.isArray(v)) {
    for (const e of v) stripDirectiveKeys(e);
  }
}

/** The field a patch key is about: its own name, or the list a list directive names. */
function patchKeyField(k: string): string | undefined {
  if (k === DIRECTIVE_MARKER || k === RETAIN_KEYS_DIRECTIVE) return undefined;
  if (k.startsWith(SET_ELEMENT_ORDER_PREFIX + '/')) return extractKey(k, SET_ELEMENT_ORDER_PREFIX);
  if (k.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX + '/')) return extractKey(k, DELETE_FROM_PRIMITIVE_LIST_PREFIX);
  return k;
}

/**
 * original, copied only as far as patch reaches, for mergeMap to change: every map level the
 * patch goes into is a copy, a value under a key the patch names (or a list one of its directives
 * names) is copied whole unless both are maps, and everything else stays original's own. mergeMap
 * changes nothing else (it works key by key through the patch), so original is left as it was at
 * the cost of copying the patched paths (a status patch no longer copies a pod's spec).
 */
function cloneAlong(original: JSONMap, patch: JSONMap): JSONMap {
  const out: JSONMap = { ...original };
  for (const pk of Object.keys(patch)) {
    const k = patchKeyField(pk);
    if (k === undefined || !hasOwn(original, k) || out[k] !== original[k]) continue;
    const ov = original[k];
    const pv = patch[pk];
    out[k] = pk === k && isMap(ov) && isMap(pv) ? cloneAlong(ov, pv) : clone(ov);
  }
  return out;
}

/**
 * StrategicMergeMapPatch: applies patch to original (neither is mutated) with every directive:
 * $patch replace/delete, null deletes, merge-key list merging, $setElementOrder,
 * $deleteFromPrimitiveList and $retainKeys. Throws StrategicMergePatchError with upstream's text;
 * toStatusError() gives the Status kube-apiserver would return.
 */
export function applyStrategicMergePatchRaw(original: unknown, patch: unknown, schema: PatchSchema): JSONMap {
  if (original !== null && original !== undefined && !isMap(original)) throw errBadJSONDoc();
  if (!isMap(patch)) throw errBadJSONDoc();
  const base = (original ?? {}) as JSONMap;
  const result = mergeMap(cloneAlong(base, patch), clone(patch), schema, SERVER_MERGE);
  stripDirectiveKeys(result, base);
  return result;
}

/** As applyStrategicMergePatchRaw, but failures are thrown as the StatusError kube-apiserver returns. */
export function applyStrategicMergePatch(original: unknown, patch: unknown, schema: PatchSchema): unknown {
  try {
    return applyStrategicMergePatchRaw(original, patch, schema);
  } catch (e) {
    if (e instanceof StrategicMergePatchError) throw toStatusError(e);
    throw e;
  }
}

// ---- creating patches (diffMaps and friends) ----

interface DiffOptions {
  setElementOrder: boolean;
  ignoreChangesAndAdditions: boolean;
  ignoreDeletions: boolean;
  buildRetainKeysDirective: boolean;
}

function diffMaps(original: JSONMap, modified: JSONMap, schema: PatchSchema, options: DiffOptions): JSONMap {
  const patch: JSONMap = {};
  const retainKeysList: unknown[] = [];
  for (const key of Object.keys(modified)) {
    const modifiedValue = modified[key];
    if (options.buildRetainKeysDirective && modifiedValue !== null) retainKeysList.push(key);
    if (!hasOwn(original, key)) {
      if (!options.ignoreChangesAndAdditions) patch[key] = modifiedValue;
      continue;
    }
    const originalValue = original[key];
    if (key === DIRECTIVE_MARKER) {
      if (typeof originalValue !== 'string' || typeof modifiedValue !== 'string') {
        throw new StrategicMergePatchError(`invalid value for special key: ${DIRECTIVE_MARKER}`);
      }
      if (originalValue !== modifiedValue) patch[DIRECTIVE_MARKER] = modifiedValue;
      continue;
    }
    const kind = kindOf(originalValue);
    if (kind !== kindOf(modifiedValue)) {
      if (!options.ignoreChangesAndAdditions) patch[key] = modifiedValue;
      continue;
    }
    if (kind === 'map') handleMapDiff(key, originalValue as JSONMap, modifiedValue as JSONMap, patch, schema, options);
    else if (kind === 'slice') handleSliceDiff(key, originalValue as unknown[], modifiedValue as unknown[], patch, schema, options);
    else replacePatchFieldIfNotEqual(key, originalValue, modifiedValue, patch, options);
  }
  if (!options.ignoreDeletions) {
    for (const key of Object.keys(original)) if (!hasOwn(modified, key)) patch[key] = null;
  }
  if (retainKeysList.length > 0 && (Object.keys(patch).length > 0 || hasAdditionalNewField(original, modified))) {
    patch[RETAIN_KEYS_DIRECTIVE] = sortScalars(retainKeysList);
  }
  return patch;
}

function hasAdditionalNewField(original: JSONMap, modified: JSONMap): boolean {
  for (const [k, v] of Object.entries(original)) if (v !== null && !hasOwn(modified, k)) return true;
  return false;
}

function handleMapDiff(key: string, original: JSONMap, modified: JSONMap, patch: JSONMap, schema: PatchSchema, options: DiffOptions): void {
  const meta = lookupPatchMeta(schema, key);
  const { retainKeys, strategy } = extractRetainKeysPatchStrategy(meta.strategies);
  const opts = { ...options, buildRetainKeysDirective: retainKeys };
  if (strategy === REPLACE_DIRECTIVE) {
    if (!opts.ignoreChangesAndAdditions) patch[key] = modified;
    return;
  }
  const sub = diffMaps(original, modified, meta.schema, opts);
  if (Object.keys(sub).length > 0) patch[key] = sub;
}

function handleSliceDiff(key: string, original: unknown[], modified: unknown[], patch: JSONMap, schema: PatchSchema, options: DiffOptions): void {
  const meta = lookupPatchMeta(schema, key);
  const { retainKeys, strategy } = extractRetainKeysPatchStrategy(meta.strategies);
  if (strategy !== MERGE_DIRECTIVE) {
    replacePatchFieldIfNotEqual(key, original, modified, patch, options);
    return;
  }
  const opts = { ...options, buildRetainKeysDirective: retainKeys };
  const { patchList, deleteList, setOrderList } = diffLists(original, modified, meta.schema, meta.mergeKey, opts);
  if (patchList.length > 0) patch[key] = patchList;
  if (deleteList.length > 0) patch[`${DELETE_FROM_PRIMITIVE_LIST_PREFIX}/${key}`] = deleteList;
  if (setOrderList.length > 0) patch[`${SET_ELEMENT_ORDER_PREFIX}/${key}`] = setOrderList;
}

function replacePatchFieldIfNotEqual(key: string, original: unknown, modified: unknown, patch: JSONMap, options: DiffOptions): void {
  if (options.ignoreChangesAndAdditions) return;
  if (deepEqual(original, modified)) return;
  patch[key] = modified;
}

function diffLists(
  original: unknown[],
  modified: unknown[],
  schema: PatchSchema,
  mergeKey: string,
  options: DiffOptions,
): { patchList: unknown[]; deleteList: unknown[]; setOrderList: unknown[] } {
  if (original.length === 0) {
    if (modified.length === 0 || options.ignoreChangesAndAdditions) return { patchList: [], deleteList: [], setOrderList: [] };
    return { patchList: modified, deleteList: [], setOrderList: [] };
  }
  const kind = sliceElementKind(original, modified);
  if (kind === 'map') {
    const diff = diffListsOfMaps(original, modified, schema, mergeKey, options);
    let patchList = normalizeSliceOrder(diff.patch, modified, mergeKey, kind);
    const orderSame = isOrderSame(original, modified, mergeKey);
    patchList = [...patchList, ...diff.deletions];
    let setOrderList: unknown[] = [];
    if (
      options.setElementOrder &&
      ((!options.ignoreChangesAndAdditions && (patchList.length > 0 || !orderSame)) || (!options.ignoreDeletions && patchList.length > 0))
    ) {
      setOrderList = modified.map((v) => ({ [mergeKey]: (v as JSONMap)[mergeKey] }));
    }
    return { patchList, deleteList: [], setOrderList };
  }
  const { addList, deletionList } = diffListsOfScalars(original, modified, options);
  const patchList = normalizeSliceOrder(addList, modified, mergeKey, kind);
  const setOrderList =
    options.setElementOrder &&
    ((!options.ignoreDeletions && deletionList.length > 0) || (!options.ignoreChangesAndAdditions && !deepEqual(original, modified)))
      ? modified
      : [];
  return { patchList, deleteList: deletionList, setOrderList };
}

function isOrderSame(original: unknown[], modified: unknown[], mergeKey: string): boolean {
  if (original.length !== modified.length) return false;
  for (let i = 0; i < modified.length; i++) if (!mergeKeyValueEqual(original[i], modified[i], mergeKey)) return false;
  return true;
}

// diffListsOfScalars sorts `original` in place, as upstream does; diffLists then compares the
// sorted original with modified, which decides whether a $setElementOrder list is emitted.
function diffListsOfScalars(original: unknown[], modified: unknown[], options: DiffOptions): { addList: unknown[]; deletionList: unknown[] } {
  const originalScalars = sortScalars(original);
  const modifiedScalars = sortScalars([...modified]);
  const addList: unknown[] = [];
  const deletionList: unknown[] = [];
  let oi = 0;
  let mi = 0;
  while (oi < originalScalars.length || mi < modifiedScalars.length) {
    const oIn = oi < originalScalars.length;
    const mIn = mi < modifiedScalars.length;
    const os = oIn ? goFmt(originalScalars[oi]) : '';
    const ms = mIn ? goFmt(modifiedScalars[mi]) : '';
    if (oIn && mIn && os === ms) {
      oi++;
      mi++;
    } else if (!oIn || (mIn && os > ms)) {
      if (!options.ignoreChangesAndAdditions) addList.push(modifiedScalars[mi]);
      mi++;
    } else {
      if (!options.ignoreDeletions) deletionList.push(originalScalars[oi]);
      oi++;
    }
  }
  return { addList, deletionList: deduplicateScalars(deletionList) };
}

function sortMapsByMergeKey(list: unknown[], mergeKey: string): unknown[] {
  if (list.length === 0) return list;
  const kind = sliceElementKind(list);
  if (kind !== 'map') return sortScalars(deduplicateScalars([...list]));
  return [...list].sort((a, b) => compareStrings(goFmt((a as JSONMap)[mergeKey]), goFmt((b as JSONMap)[mergeKey])));
}

function diffListsOfMaps(
  original: unknown[],
  modified: unknown[],
  schema: PatchSchema,
  mergeKey: string,
  options: DiffOptions,
): { patch: unknown[]; deletions: unknown[] } {
  const patch: unknown[] = [];
  const deletions: unknown[] = [];
  const originalSorted = sortMapsByMergeKey(original, mergeKey);
  const modifiedSorted = sortMapsByMergeKey(modified, mergeKey);
  const entry = (list: unknown[], i: number): { m: JSONMap; key: unknown; keyString: string } => {
    const m = list[i];
    if (!isMap(m)) throw errBadArgType('map', m);
    if (!hasOwn(m, mergeKey)) throw errNoMergeKey(m, mergeKey);
    return { m, key: m[mergeKey], keyString: goFmt(m[mergeKey]) };
  };
  let oi = 0;
  let mi = 0;
  while (oi < originalSorted.length || mi < modifiedSorted.length) {
    const oIn = oi < originalSorted.length;
    const mIn = mi < modifiedSorted.length;
    const o = oIn ? entry(originalSorted, oi) : undefined;
    const m = mIn ? entry(modifiedSorted, mi) : undefined;
    if (o && m && o.keyString === m.keyString) {
      const sub = diffMaps(o.m, m.m, schema, options);
      if (Object.keys(sub).length > 0) {
        sub[mergeKey] = m.key;
        patch.push(sub);
      }
      oi++;
      mi++;
    } else if (!o || (m && o.keyString > m.keyString)) {
      if (!options.ignoreChangesAndAdditions) patch.push(m!.m);
      mi++;
    } else {
      if (!options.ignoreDeletions) deletions.push({ [mergeKey]: o.key, [DIRECTIVE_MARKER]: DELETE_DIRECTIVE });
      oi++;
    }
  }
  return { patch, deletions };
}

/**
 * CreateTwoWayMergePatch: the strategic merge patch that turns original into modified, with
 * $setElementOrder lists and $retainKeys where the schema asks for them (kubectl edit, patch).
 */
export function createTwoWayMergePatch(original: unknown, modified: unknown, schema: PatchSchema): JSONMap {
  const o = original === null || original === undefined ? {} : original;
  const m = modified === null || modified === undefined ? {} : modified;
  if (!isMap(o) || !isMap(m)) throw errBadJSONDoc();
  return diffMaps(clone(o), clone(m), schema, {
    setElementOrder: true,
    ignoreChangesAndAdditions: false,
    ignoreDeletions: false,
    buildRetainKeysDirective: false,
  });
}

/**
 * CreateThreeWayMergePatch as kubectl apply computes it (with --overwrite, its default): the
 * changes from current to modified, plus the deletions from original (the last-applied
 * configuration) to modified, so fields other writers set are kept.
 */
export function createThreeWayMergePatch(original: unknown, modified: unknown, current: unknown, schema: PatchSchema): JSONMap {
  const norm = (v: unknown): JSONMap => {
    const x = v === null || v === undefined ? {} : v;
    if (!isMap(x)) throw errBadJSONDoc();
    return clone(x);
  };
  const originalMap = norm(original);
  const modifiedMap = norm(modified);
  const currentMap = norm(current);
  const deltaMap = diffMaps(currentMap, clone(modifiedMap), schema, {
    setElementOrder: true,
    ignoreChangesAndAdditions: false,
    ignoreDeletions: true,
    buildRetainKeysDirective: false,
  });
  const deletionsMap = diffMaps(originalMap, modifiedMap, schema, {
    setElementOrder: true,
    ignoreChangesAndAdditions: true,
    ignoreDeletions: false,
    buildRetainKeysDirective: false,
  });
  return mergeMap(deletionsMap, deltaMap, schema, { mergeParallelList: false, ignoreUnmatchedNulls: false });
}
