// Defaulting of custom resources from the `default` values of their structural schema
// (apiextensions-apiserver's schema/defaulting.Default). kube-apiserver applies it when it decodes a
// request body and again when it reads an object from storage, so objects stored before a default
// was added show it too.
import { isObject, type JSONSchemaProps } from './types.js';

function nonNullableNull(v: unknown, s: JSONSchemaProps | undefined): boolean {
  return v === null && !!s && !s.nullable;
}

/** Fills in defaults (in place): missing or non-nullable null properties get their schema's default, recursively. */
export function applyDefaults(x: unknown, s: JSONSchemaProps | undefined): void {
  if (!s) return;
  if (Array.isArray(x)) {
    const items = s.items === undefined || Array.isArray(s.items) ? undefined : s.items;
    for (let i = 0; i < x.length; i++) {
      if (items && nonNullableNull(x[i], items) && items.default !== undefined) x[i] = structuredClone(items.default);
      applyDefaults(x[i], items);
    }
    return;
  }
  if (!isObject(x)) return;
  const props = s.properties ?? {};
  for (const [k, prop] of Object.entries(props)) {
    if (prop.default === undefined) continue;
    if (!(k in x) || nonNullableNull(x[k], prop)) x[k] = structuredClone(prop.default);
  }
  const ap = s.additionalProperties;
  for (const k of Object.keys(x)) {
    if (Object.prototype.hasOwnProperty.call(props, k)) {
      applyDefaults(x[k], props[k]);
    } else if (ap !== undefined && typeof ap !== 'boolean') {
      if (nonNullableNull(x[k], ap) && ap.default !== undefined) x[k] = structuredClone(ap.default);
      applyDefaults(x[k], ap);
    }
  }
}
