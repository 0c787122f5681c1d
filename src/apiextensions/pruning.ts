// Pruning of fields a CRD's structural schema does not specify (apiextensions-apiserver's
// schema/pruning): what kube-apiserver silently drops from every custom resource it decodes, and what
// fieldValidation=Strict reports as `unknown field "spec.foo"` instead.
import { isObject, type JSONSchemaProps } from './types.js';

const META_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

interface PruneState {
  parent: string[];
  unknown: string[];
}

function appendKey(st: PruneState, key: string): void {
  if (st.parent.length > 0) st.parent.push('.');
  st.parent.push(key);
}

function record(st: PruneState, key: string): void {
  const n = st.parent.length;
  appendKey(st, key);
  st.unknown.push(st.parent.join(''));
  st.parent.length = n;
}

/** The schema that applies to a property's value, or null for "additionalProperties: true" (values keep nothing). */
function propertySchema(s: JSONSchemaProps, key: string): JSONSchemaProps | null | undefined {
  if (s.properties && Object.prototype.hasOwnProperty.call(s.properties, key)) return s.properties[key];
  const ap = s.additionalProperties;
  if (ap === undefined) return undefined;
  return typeof ap === 'boolean' ? null : ap;
}

function itemSchema(s: JSONSchemaProps | null | undefined): JSONSchemaProps | null {
  const it = s?.items;
  return it === undefined || Array.isArray(it) ? null : it;
}

function pruneValue(x: unknown, s: JSONSchemaProps | null, embedded: boolean, st: PruneState): void {
  if (s && s['x-kubernetes-preserve-unknown-fields']) {
    skipPrune(x, s, embedded, st);
    return;
  }
  const base = st.parent.length;
  if (Array.isArray(x)) {
    x.forEach((v, i) => {
      st.parent.push('[', String(i), ']');
      pruneValue(v, itemSchema(s), false, st);
      st.parent.length = base;
    });
    return;
  }
  if (!isObject(x)) return;
  if (!s) {
    for (const k of Object.keys(x)) {
      record(st, k);
      delete x[k];
    }
    return;
  }
  for (const k of Object.keys(x)) {
    if ((embedded || s['x-kubernetes-embedded-resource']) && META_FIELDS.has(k)) continue;
    const sub = propertySchema(s, k);
    if (sub !== undefined) {
      appendKey(st, k);
      pruneValue(x[k], sub, false, st);
      st.parent.length = base;
    } else {
      record(st, k);
      delete x[k];
    }
  }
}

function skipPrune(x: unknown, s: JSONSchemaProps, embedded: boolean, st: PruneState): void {
  const base = st.parent.length;
  if (Array.isArray(x)) {
    const items = itemSchema(s);
    x.forEach((v, i) => {
      st.parent.push('[', String(i), ']');
      if (items) skipPrune(v, items, false, st);
      st.parent.length = base;
    });
    return;
  }
  if (!isObject(x)) return;
  for (const k of Object.keys(x)) {
    if ((embedded || s['x-kubernetes-embedded-resource']) && META_FIELDS.has(k)) continue;
    const sub = propertySchema(s, k);
    if (sub === undefined) continue;
    appendKey(st, k);
    pruneValue(x[k], sub, false, st);
    st.parent.length = base;
  }
}

/**
 * Removes from obj (in place) every field the schema does not specify and returns their paths,
 * sorted ("spec.foo", "spec.items[0].bar"). At a resource root (isResourceRoot), apiVersion, kind
 * and metadata are kept, as for any x-kubernetes-embedded-resource.
 */
export function prune(obj: unknown, schema: JSONSchemaProps | undefined, isResourceRoot = true): string[] {
  const st: PruneState = { parent: [], unknown: [] };
  pruneValue(obj, schema ?? {}, isResourceRoot, st);
  return st.unknown.sort();
}

/** True when the value is a null the schema neither allows (nullable) nor defaults. */
function nonNullableNullWithoutDefault(v: unknown, s: JSONSchemaProps | null | undefined): boolean {
  return v === null && !!s && !s.nullable && s.default === undefined;
}

/** PruneNonNullableNullsWithoutDefaults: drops null fields the schema does not allow to be null. */
export function pruneNonNullableNulls(x: unknown, s: JSONSchemaProps | null | undefined): void {
  if (Array.isArray(x)) {
    const items = itemSchema(s);
    for (const v of x) pruneNonNullableNulls(v, items);
    return;
  }
  if (!isObject(x)) return;
  for (const k of Object.keys(x)) {
    const sub = s ? propertySchema(s, k) : undefined;
    if (nonNullableNullWithoutDefault(x[k], sub)) delete x[k];
    else pruneNonNullableNulls(x[k], sub);
  }
}

/** The strict-decoding problem for each pruned path: `unknown field "spec.foo"`. */
export function unknownFieldProblems(paths: string[]): string[] {
  return paths.map((p) => `unknown field "${p}"`);
}

/** runtime.StrictDecodingError's text: `strict decoding error: unknown field "spec.foo", unknown field "spec.bar"`. */
export function strictDecodingErrorText(problems: string[]): string {
  return `strict decoding error: ${problems.join(', ')}`;
}
