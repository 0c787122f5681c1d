// JSON helpers the core/v1 strategies share: the zero-value-blind equality that
// apiequality.Semantic.DeepEqual gives after decoding into Go structs, and the immutability check
// built on it (pkg/apis/core/validation).
import { field, type FieldError } from '../../../apimachinery/errors.js';

/** ValidateImmutableField: `field is immutable` when the value changed. */
export function validateImmutable(newVal: unknown, oldVal: unknown, path: string): FieldError[] {
  return deepEqual(newVal, oldVal) ? [] : [field.invalid(path, newVal, 'field is immutable')];
}

/** True for a plain JSON object. */
export function isRecord(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Semantic equality of JSON values as apiequality.Semantic.DeepEqual sees them after decoding into Go
 * structs: an absent field, null, "", 0, false, an empty list and an empty map are all zero values.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (isEmptyJSON(a) && isEmptyJSON(b)) return true;
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!deepEqual(a[k], b[k])) return false;
    return true;
  }
  return false;
}

function isEmptyJSON(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isRecord(v)) return Object.keys(v).length === 0;
  return false;
}
