// Validation of a value against a CRD's OpenAPI v3 schema, as kube-apiserver does it: kube-openapi's
// SchemaValidator (the validators run in its order: type, allOf/oneOf/anyOf/not, string, format,
// number, array, enum, object; its messages "spec.x in body should be ...") and apiextensions'
// translation of those results into field errors (Required, Unsupported value, Too long, Too many,
// Invalid value). On update, CRDValidationRatcheting (beta, on in 1.32) drops errors in parts of the
// object that did not change.
import { isDeepStrictEqual } from 'node:util';
import { field, type FieldError } from '../apimachinery/errors.js';
import { formatValidates, isSupportedFormat } from './formats.js';
import { goFloat, goJSON, goNumber, isGoInt } from './gofmt.js';
import { additionalPropertiesSchema, isObject, itemsSchema, type JSONSchemaProps } from './types.js';

const IN = 'body';

/** One kube-openapi validation error, before translation into a field error. */
interface OpenAPIError {
  kind: 'required' | 'enum' | 'tooLong' | 'maxItems' | 'tooManyProperties' | 'invalidType' | 'validation' | 'composite';
  /** The dotted path kube-openapi names the value by ("spec.replicas"; "" at the root). */
  name: string;
  message: string;
  value?: unknown;
  /** For enum: the allowed values; for tooLong/maxItems/tooManyProperties: the limit. */
  values?: unknown[];
  limit?: number;
}

class Result {
  errors: OpenAPIError[] = [];
  matchCount = 0;
  add(e: OpenAPIError): void {
    this.errors.push(e);
  }
  merge(...others: Array<Result | undefined>): this {
    for (const o of others) {
      if (!o) continue;
      this.errors.push(...o.errors);
      this.matchCount += o.matchCount;
    }
    return this;
  }
  get valid(): boolean {
    return this.errors.length === 0;
  }
}

/** A JS regular expression for a Go (RE2) pattern: (?i) becomes a flag, \A and \z anchors. */
export function compilePattern(pattern: string): RegExp {
  let src = pattern;
  let flags = '';
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead) {
    src = src.slice(lead[0].length);
    if (lead[1].includes('i')) flags += 'i';
    if (lead[1].includes('s')) flags += 's';
    if (lead[1].includes('m')) flags += 'm';
  }
  src = src.replace(/\\A/g, '^').replace(/\\z/g, '$').replace(/\(\?P</g, '(?<');
  try {
    return new RegExp(src, flags + 'u');
  } catch {
    return new RegExp(src, flags);
  }
}

const patternCache = new Map<string, RegExp | Error>();

function cachedPattern(pattern: string): RegExp | Error {
  let re = patternCache.get(pattern);
  if (!re) {
    try {
      re = compilePattern(pattern);
    } catch (e) {
      re = e instanceof Error ? e : new Error(String(e));
    }
    patternCache.set(pattern, re);
  }
  return re;
}

/** The JSON-schema type name kube-openapi infers for a decoded value, with its native format. */
function schemaInfo(v: unknown): { type: string; format: string } {
  if (typeof v === 'boolean') return { type: 'boolean', format: '' };
  if (typeof v === 'string') return { type: 'string', format: '' };
  if (typeof v === 'number') return isGoInt(v) ? { type: 'integer', format: 'int64' } : { type: 'number', format: 'float64' };
  if (Array.isArray(v)) return { type: 'array', format: '' };
  return { type: 'object', format: '' };
}

function typesOf(s: JSONSchemaProps): string[] {
  if (s['x-kubernetes-int-or-string']) return ['integer', 'string'];
  return s.type ? [s.type] : [];
}

/** The schema's format as validation sees it: unsupported formats are stripped. */
function formatOf(s: JSONSchemaProps): string {
  return s.format && isSupportedFormat(s.format) ? s.format : '';
}

function child(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

/** errors.InvalidType's wording: strings (and type names) are quoted after a colon. */
function invalidType(name: string, typeName: string, value: unknown): OpenAPIError {
  const message = typeof value === 'string' ? `${name} in ${IN} must be of type ${typeName}: ${JSON.stringify(value)}` : `${name} in ${IN} must be of type ${typeName}`;
  return { kind: 'invalidType', name, message, value };
}

function validationError(name: string, message: string, value?: unknown): OpenAPIError {
  return { kind: 'validation', name, message, value };
}

function typeCheck(s: JSONSchemaProps, data: unknown, path: string): Result {
  const r = new Result();
  r.matchCount++;
  const types = typesOf(s);
  const format = formatOf(s);
  if (types.length === 0 && !format) return r;
  if (data === null || data === undefined) {
    if (types.length > 0 && !types.includes('null') && !s.nullable) r.add(invalidType(path, types.join(','), 'null'));
    return r;
  }
  const { type, format: nativeFormat } = schemaInfo(data);
  const isString = typeof data === 'string';
  const isSlice = Array.isArray(data);
  const isFloatInt = type === 'number' && Number.isInteger(data) && types.includes('integer');
  const isIntFloat = type === 'integer' && types.includes('number');
  const isLowerInt = format === 'int64' && nativeFormat === 'int32';
  if (!isString && !isSlice && format !== '' && !(types.includes(type) || nativeFormat === format || isFloatInt || isIntFloat || isLowerInt)) {
    r.add(invalidType(path, format, nativeFormat));
    return r;
  }
  if (!(types.includes('number') || types.includes('integer')) && format !== '' && (isString || isSlice)) return r;
  if (!(types.includes(type) || isFloatInt || isIntFloat)) r.add(invalidType(path, types.join(','), type));
  return r;
}

function stringCheck(s: JSONSchemaProps, data: string, path: string): Result | undefined {
  const r = new Result();
  const runes = [...data].length;
  if (s.maxLength !== undefined && runes > s.maxLength) {
    r.add({ kind: 'tooLong', name: path, message: `${path} in ${IN} should be at most ${s.maxLength} chars long`, value: data, limit: s.maxLength });
    return r;
  }
  if (s.minLength !== undefined && runes < s.minLength) {
    r.add(validationError(path, `${path} in ${IN} should be at least ${s.minLength} chars long`, data));
    return r;
  }
  if (s.pattern) {
    const re = cachedPattern(s.pattern);
    if (re instanceof Error) {
      r.add(validationError(path, `${path} in ${IN} should match '${s.pattern}, but pattern is invalid: ${re.message}'`, data));
    } else if (!re.test(data)) {
      r.add(validationError(path, `${path} in ${IN} should match '${s.pattern}'`, data));
    }
  }
  return r.valid ? undefined : r;
}

function formatCheck(s: JSONSchemaProps, data: string, path: string): Result | undefined {
  const format = formatOf(s);
  if (!format || formatValidates(format, data)) return undefined;
  const r = new Result();
  r.add(invalidType(path, format, data));
  return r;
}

/** Formats a schema bound the way its error message prints it: an int64 for integral data, else %v of a float64. */
function bound(limit: number, dataIsInt: boolean): string {
  return dataIsInt ? String(Math.trunc(limit)) : goFloat(limit);
}

function numberCheck(s: JSONSchemaProps, data: number, path: string): Result {
  const r = new Result();
  const dataIsInt = isGoInt(data);
  if (s.multipleOf !== undefined) {
    if (s.multipleOf <= 0) {
      r.add(validationError(path, `factor MultipleOf declared for ${path} must be positive: ${goNumber(s.multipleOf)}`, s.multipleOf));
    } else if (dataIsInt && Number.isInteger(s.multipleOf) ? data % s.multipleOf !== 0 : !Number.isInteger(s.multipleOf < 1 ? (1 / s.multipleOf) * data : data / s.multipleOf)) {
      r.add(validationError(path, `${path} in ${IN} should be a multiple of ${dataIsInt && Number.isInteger(s.multipleOf) ? String(s.multipleOf) : goFloat(s.multipleOf)}`, data));
    }
  }
  if (s.minimum !== undefined) {
    const min = dataIsInt ? Math.trunc(s.minimum) : s.minimum;
    if (s.exclusiveMinimum ? data <= min : data < min) {
      r.add(validationError(path, `${path} in ${IN} should be greater than ${s.exclusiveMinimum ? '' : 'or equal to '}${bound(s.minimum, dataIsInt)}`, data));
    }
  }
  if (s.maximum !== undefined) {
    const max = dataIsInt ? Math.trunc(s.maximum) : s.maximum;
    if (s.exclusiveMaximum ? data >= max : data > max) {
      r.add(validationError(path, `${path} in ${IN} should be less than ${s.exclusiveMaximum ? '' : 'or equal to '}${bound(s.maximum, dataIsInt)}`, data));
    }
  }
  // Upstream merges multipleOf, then minimum, then maximum results.
  const order = (e: OpenAPIError) => (/multiple/.test(e.message) ? 0 : /greater/.test(e.message) ? 1 : 2);
  r.errors.sort((a, b) => order(a) - order(b));
  r.matchCount++;
  return r;
}

function enumCheck(s: JSONSchemaProps, data: unknown, path: string): Result | undefined {
  if (!s.enum || s.enum.length === 0) return undefined;
  for (const allowed of s.enum) if (isDeepStrictEqual(allowed, data)) return undefined;
  const r = new Result();
  const values = s.enum.map((v) => (typeof v === 'string' ? v : goJSON(v)));
  r.add({ kind: 'enum', name: path, message: `${path} in ${IN} should be one of [${values.join(' ')}]`, value: data, values: s.enum });
  return r;
}

/** Map-list items of old, by their key tuple, so ratcheting can pair new items with old ones. */
function oldListItem(s: JSONSchemaProps, old: unknown, item: unknown): unknown {
  if (!Array.isArray(old) || s['x-kubernetes-list-type'] !== 'map' || !isObject(item)) return undefined;
  const keys = s['x-kubernetes-list-map-keys'] ?? [];
  return old.find((o) => isObject(o) && keys.every((k) => isDeepStrictEqual(o[k], item[k])));
}

function sliceCheck(s: JSONSchemaProps, data: unknown[], path: string, old: unknown): Result {
  const r = new Result();
  const items = s.items;
  if (items !== undefined && !Array.isArray(items)) {
    data.forEach((v, i) => r.merge(validateNode(items, v, `${path}[${i}]`, oldListItem(s, old, v))));
  } else if (Array.isArray(items)) {
    items.forEach((sch, i) => {
      if (i < data.length) r.merge(validateNode(sch, data[i], `${path}[${i}]`, undefined));
    });
  }
  if (s.minItems !== undefined && data.length < s.minItems) {
    r.add(validationError(path, `${path} in ${IN} should have at least ${s.minItems} items`, data.length));
  }
  if (s.maxItems !== undefined && data.length > s.maxItems) {
    r.add({ kind: 'maxItems', name: path, message: `${path} in ${IN} should have at most ${s.maxItems} items`, value: data.length, limit: s.maxItems });
  }
  if (s.uniqueItems) {
    const dup = data.some((v, i) => data.slice(0, i).some((u) => isDeepStrictEqual(u, v)));
    if (dup) r.add(validationError(path, `${path} in ${IN} shouldn't contain duplicates`));
  }
  r.matchCount++;
  return r;
}

function objectCheck(s: JSONSchemaProps, data: Record<string, unknown>, path: string, old: unknown): Result {
  const r = new Result();
  const keys = Object.keys(data);
  const oldObj = isObject(old) ? old : undefined;
  if (s.minProperties !== undefined && keys.length < s.minProperties) {
    r.add(validationError(path, `${path} in ${IN} should have at least ${s.minProperties} properties`, keys.length));
  }
  if (s.maxProperties !== undefined && keys.length > s.maxProperties) {
    r.add({ kind: 'tooManyProperties', name: path, message: `${path} in ${IN} should have at most ${s.maxProperties} properties`, value: keys.length, limit: s.maxProperties });
  }
  const props = s.properties ?? {};
  if (s.additionalProperties === false) {
    for (const k of keys) {
      if (!(k in props)) r.add(validationError(path, `${path}.${k} in ${IN} is a forbidden property`, k));
    }
  } else {
    const ap = additionalPropertiesSchema(s);
    if (ap) {
      for (const k of keys.filter((x) => !(x in props)).sort()) r.merge(validateNode(ap, data[k], `${path}.${k}`, oldObj?.[k]));
    }
  }
  for (const name of Object.keys(props).sort()) {
    if (name in data) r.merge(validateNode(props[name], data[name], child(path, name), oldObj?.[name]));
  }
  for (const k of s.required ?? []) {
    if (!(k in data)) r.add({ kind: 'required', name: `${path}.${k}`, message: `${path}.${k} in ${IN} is required` });
  }
  return r;
}

function compositeCheck(s: JSONSchemaProps, data: unknown, path: string, old: unknown): Result {
  const main = new Result();
  if (s.anyOf?.length) {
    let best: Result | undefined;
    let ok: Result | undefined;
    for (const sub of s.anyOf) {
      const res = validateNode(sub, data, path, old);
      if (res.valid) {
        ok = res;
        best = undefined;
        break;
      }
      if (!best || res.matchCount > best.matchCount) best = res;
    }
    if (!ok) main.add({ kind: 'composite', name: path, message: `${JSON.stringify(path)} must validate at least one schema (anyOf)` });
    main.merge(best ?? ok);
  }
  if (s.oneOf?.length) {
    let best: Result | undefined;
    let first: Result | undefined;
    let validated = 0;
    for (const sub of s.oneOf) {
      const res = validateNode(sub, data, path, old);
      if (res.valid) {
        validated++;
        best = undefined;
        first ??= res;
        continue;
      }
      if (validated === 0 && (!best || res.matchCount > best.matchCount)) best = res;
    }
    if (validated !== 1) {
      const extra = validated === 0 ? 'Found none valid' : `Found ${validated} valid alternatives`;
      main.add({ kind: 'composite', name: path, message: `${JSON.stringify(path)} must validate one and only one schema (oneOf). ${extra}` });
      main.merge(best);
    } else {
      main.merge(first);
    }
  }
  if (s.allOf?.length) {
    let validated = 0;
    for (const sub of s.allOf) {
      const res = validateNode(sub, data, path, old);
      if (res.valid) validated++;
      main.merge(res);
    }
    if (validated !== s.allOf.length) {
      main.add({ kind: 'composite', name: path, message: `${JSON.stringify(path)} must validate all the schemas (allOf)${validated === 0 ? '. None validated' : ''}` });
    }
  }
  if (s.not && validateNode(s.not, data, path, old).valid) {
    main.add({ kind: 'composite', name: path, message: `${JSON.stringify(path)} must not validate the schema (not)` });
  }
  main.matchCount++;
  return main;
}

/** SchemaValidator.Validate for one value; old (on update) enables ratcheting. */
function validateNode(s: JSONSchemaProps, data: unknown, path: string, old: unknown): Result {
  const result = new Result();
  if (data === null || data === undefined) {
    result.merge(typeCheck(s, data, path), enumCheck(s, data, path));
  } else {
    result.merge(typeCheck(s, data, path));
    result.matchCount++;
    if (s.allOf || s.anyOf || s.oneOf || s.not) result.merge(compositeCheck(s, data, path, old));
    if (typeof data === 'string') {
      result.merge(stringCheck(s, data, path), formatCheck(s, data, path));
    }
    if (typeof data === 'number') result.merge(numberCheck(s, data, path));
    if (Array.isArray(data)) result.merge(sliceCheck(s, data, path, old));
    result.merge(enumCheck(s, data, path));
    if (isObject(data)) result.merge(objectCheck(s, data, path, old));
    result.matchCount++;
  }
  // Ratcheting: a value equal to its old counterpart keeps whatever errors it already had.
  if (!result.valid && old !== undefined && isDeepStrictEqual(data, old)) return new Result();
  return result;
}

/** Appends a kube-openapi name to a field path as apiextensions does (fldPath.Child(name without its leading dot)). */
function errorPath(base: string | undefined, name: string): string {
  const n = name.startsWith('.') ? name.slice(1) : name;
  if (!n) return base ?? '<nil>';
  return base ? `${base}.${n}` : n;
}

function toFieldErrors(base: string | undefined, errs: OpenAPIError[]): FieldError[] {
  return errs.map((e) => {
    const p = errorPath(base, e.name);
    switch (e.kind) {
      case 'required':
        return field.required(p);
      case 'enum':
        return field.notSupported(p, e.value, (e.values ?? []).map((v) => (typeof v === 'string' ? v : goJSON(v))));
      case 'tooLong':
        return field.tooLong(p, e.limit ?? -1);
      case 'maxItems':
      case 'tooManyProperties':
        return field.tooMany(p, e.value as number, e.limit ?? -1);
      case 'invalidType':
        return field.typeInvalid(p, e.value ?? '', e.message);
      case 'validation':
        return field.invalid(p, e.value ?? '', e.message);
      case 'composite':
        return field.invalid(base ?? '<nil>', '', e.message);
    }
  });
}

/**
 * Validates value against schema (ValidateCustomResource / ValidateCustomResourceUpdate): errors are
 * reported under basePath (undefined for a whole object, "status" for a status write, ".default"
 * paths for CRD defaults). With old, unchanged parts of the value are not held to the schema.
 */
export function validateAgainstSchema(value: unknown, schema: JSONSchemaProps | undefined, basePath?: string, old?: unknown): FieldError[] {
  if (!schema) return [];
  const result = validateNode(schema, value, '', old);
  return toFieldErrors(basePath, result.errors);
}
