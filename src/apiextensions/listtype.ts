// x-kubernetes-list-type set and map uniqueness (apiextensions-apiserver's schema/listtype): a set
// may not repeat a value, a map list may not repeat a key tuple; each repeat is a Duplicate value.
import { field, type FieldError } from '../apimachinery/errors.js';
import { goJSON, goNumber } from './gofmt.js';
import { isObject, type JSONSchemaProps } from './types.js';

/** Go's %#v of a decoded JSON value, as field.Duplicate prints it. */
export function goSyntax(v: unknown): string {
  if (v === null || v === undefined) return 'interface {}(nil)';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return goNumber(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map(goSyntax).join(', ')}}`;
  return `map[string]interface {}{${Object.keys(v)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${goSyntax((v as Record<string, unknown>)[k])}`)
    .join(', ')}}`;
}

function duplicate(path: string, v: unknown): FieldError {
  return typeof v === 'object' && v !== null ? field.duplicateRaw(path, goSyntax(v)) : field.duplicate(path, v);
}

/** Indices of the second occurrence of each repeated value (later repeats are not reported again). */
function nonUnique(values: unknown[]): number[] {
  if (values.length <= 1) return [];
  const seen = new Map<string, number>();
  const out: number[] = [];
  values.forEach((x, i) => {
    const key = x === UNSPECIFIED ? '\u0000unspecified' : typeof x === 'object' && x !== null ? `o${goJSON(x)}` : `${typeof x}:${String(x)}`;
    const times = seen.get(key) ?? 0;
    seen.set(key, times + 1);
    if (times === 1) out.push(i);
  });
  return out;
}

const UNSPECIFIED = Symbol('unspecified');

function validateListMap(path: string, s: JSONSchemaProps, list: unknown[]): FieldError[] {
  for (let i = 0; i < list.length; i++) {
    const x = list[i];
    if (x !== null && !isObject(x)) return [field.invalidRaw(`${path}[${i}]`, goSyntax(x), 'must be an object for an array of list-type map')];
  }
  if (list.length <= 1) return [];
  const keyFields = s['x-kubernetes-list-map-keys'] ?? [];
  if (keyFields.length === 1) {
    const k = keyFields[0];
    const keys = list.map((x) => (isObject(x) && k in x ? x[k] : UNSPECIFIED));
    return nonUnique(keys).map((i) => (keys[i] === UNSPECIFIED ? field.duplicateRaw(`${path}[${i}]`, goSyntax({})) : field.duplicateRaw(`${path}[${i}]`, goSyntax({ [k]: keys[i] }))));
  }
  const keys = list.map((x) => {
    const key: Record<string, unknown> = {};
    if (isObject(x)) for (const k of keyFields) if (k in x) key[k] = x[k];
    return key;
  });
  return nonUnique(keys).map((i) => field.duplicateRaw(`${path}[${i}]`, goSyntax(keys[i])));
}

function validateValue(path: string, s: JSONSchemaProps, v: unknown): FieldError[] {
  if (Array.isArray(v)) return validateArray(path, s, v);
  if (isObject(v)) return validateObject(path, s, v);
  return [];
}

function validateArray(path: string, s: JSONSchemaProps, list: unknown[]): FieldError[] {
  const errs: FieldError[] = [];
  if (s['x-kubernetes-list-type'] === 'set') {
    for (const i of nonUnique(list)) errs.push(duplicate(`${path}[${i}]`, list[i]));
  } else if (s['x-kubernetes-list-type'] === 'map') {
    errs.push(...validateListMap(path, s, list));
  }
  const items = s.items === undefined || Array.isArray(s.items) ? undefined : s.items;
  if (items) list.forEach((x, i) => errs.push(...validateValue(`${path}[${i}]`, items, x)));
  return errs;
}

function validateObject(path: string, s: JSONSchemaProps, obj: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = [];
  const ap = s.additionalProperties;
  if (ap !== undefined && typeof ap !== 'boolean') {
    for (const k of Object.keys(obj)) errs.push(...validateValue(`${path}[${k}]`, ap, obj[k]));
  }
  if (s.properties) {
    for (const k of Object.keys(obj)) {
      const sub = s.properties[k];
      if (sub) errs.push(...validateValue(path ? `${path}.${k}` : k, sub, obj[k]));
    }
  }
  return errs;
}

/** ValidateListSetsAndMaps over a whole object: Duplicate value errors for repeated set values and map keys. */
export function validateListSetsAndMaps(obj: unknown, schema: JSONSchemaProps | undefined): FieldError[] {
  if (!schema || !isObject(obj)) return [];
  return validateObject('', schema, obj);
}
