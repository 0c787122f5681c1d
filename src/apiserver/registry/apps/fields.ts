// Small field validators that upstream keeps in pkg/apis/core/validation and k8s.io/apimachinery
// (ValidateNonnegativeField, ValidateImmutableField, IsValidPercent, IsValidPortNum, ...), shared by
// the strategies of every non-core group. Objects are plain JSON, so every helper tolerates gaps.
import { isDeepStrictEqual } from 'node:util';
import { field, type FieldError } from '../../../apimachinery/errors.js';
import { goIntOrString, goLabelSelector } from '../../../apimachinery/go-syntax.js';
import {
  FIELD_IMMUTABLE_ERROR_MSG,
  isDNS1123Subdomain,
  isValidPercent,
  regexError,
  validateNonnegativeField,
} from '../../../apimachinery/validation.js';

/** A loosely typed JSON object, as bodies arrive from clients. */
export type Obj = Record<string, any>;

/** True for a non-null, non-array object. */
export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The object at obj[key], created empty when missing, so defaulting can fill nested structs. */
export function child(obj: Obj, key: string): Obj {
  if (!isObj(obj[key])) obj[key] = {};
  return obj[key] as Obj;
}

/** True when a JSON field is absent (Go's nil pointer / zero value for omitempty fields). */
export function unset(v: unknown): v is undefined | null {
  return v === undefined || v === null;
}

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isObj(v)) return Object.keys(v).length === 0;
  return false;
}

/**
 * apiequality.Semantic.DeepEqual for JSON: like deep equality, except that a missing field, null, an
 * empty list and an empty map are all the same (Go cannot tell them apart after decoding).
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (isEmpty(a) && isEmpty(b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => semanticEqual(x, b[i]));
  }
  if (isObj(a) && isObj(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!semanticEqual(a[k], b[k])) return false;
    return true;
  }
  return isDeepStrictEqual(a, b);
}

/** ValidateImmutableField: `Invalid value: <new>: field is immutable` when the value changed. */
export function validateImmutable(next: unknown, old: unknown, path: string): FieldError[] {
  return semanticEqual(next, old) ? [] : [field.invalid(path, next ?? null, FIELD_IMMUTABLE_ERROR_MSG)];
}

const PERCENT_RE = /^[0-9]+%$/;

/** The numeric value of an int-or-percent (getIntOrPercentValue): 25 for "25%" and for 25, 0 otherwise. */
export function intOrPercentValue(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && PERCENT_RE.test(v)) return Number.parseInt(v.slice(0, -1), 10);
  return 0;
}

/** ValidatePositiveIntOrPercent: a non-negative integer or a valid percent string. */
export function validatePositiveIntOrPercent(v: unknown, path: string): FieldError[] {
  if (typeof v === 'string') return isValidPercent(v).map((m) => field.invalidRaw(path, goIntOrString(v), m));
  if (typeof v === 'number') return validateNonnegativeField(v, path);
  return [field.invalidRaw(path, goIntOrString(v), "must be an integer or percentage (e.g '5%%')")];
}

/** IsNotMoreThan100Percent. */
export function validateNotMoreThan100Percent(v: unknown, path: string): FieldError[] {
  if (typeof v !== 'string' || !PERCENT_RE.test(v)) return [];
  return intOrPercentValue(v) > 100 ? [field.invalidRaw(path, goIntOrString(v), 'must not be greater than 100%')] : [];
}

/** ValidateImmutableField for a label selector, printed as upstream prints it. */
export function validateImmutableSelector(next: unknown, old: unknown, path: string): FieldError[] {
  return semanticEqual(next, old) ? [] : [field.invalidRaw(path, goLabelSelector(next), FIELD_IMMUTABLE_ERROR_MSG)];
}

const HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
const HTTP_PATH_RE = /^[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/;

/** validation.IsDomainPrefixedPath: "acme.io/foo" (Job managedBy, IngressClass controller). */
export function validateDomainPrefixedPath(value: string, path: string): FieldError[] {
  if (value.length === 0) return [field.required(path)];
  const slash = value.indexOf('/');
  const host = slash < 0 ? value : value.slice(0, slash);
  const rest = slash < 0 ? '' : value.slice(slash + 1);
  if (slash < 0 || host.length === 0 || rest.length === 0) {
    return [field.invalid(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  }
  const errs = isDNS1123Subdomain(host).map((m) => field.invalid(path, host, m));
  if (!HTTP_PATH_RE.test(rest)) errs.push(field.invalid(path, rest, regexError('Invalid path', HTTP_PATH_FMT)));
  return errs;
}
