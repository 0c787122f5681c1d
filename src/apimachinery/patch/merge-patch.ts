// JSON merge patch (RFC 7386), as the API server applies application/merge-patch+json through
// evanphx/json-patch v4: objects merge recursively, null deletes, everything else replaces.

import { badRequest } from '../errors.js';

type JSONObject = Record<string, unknown>;

function isObject(v: unknown): v is JSONObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// pruneNulls: a value that lands where nothing was merged loses its null fields, also inside
// objects nested in arrays (array elements themselves are kept, even null ones).
function pruneNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((e) => (e === null ? null : pruneNulls(e)));
  if (isObject(v)) {
    const out: JSONObject = {};
    for (const [k, e] of Object.entries(v)) if (e !== null) out[k] = pruneNulls(e);
    return out;
  }
  return v;
}

function mergeValue(cur: unknown, patch: unknown): unknown {
  if (!isObject(cur)) return pruneNulls(patch);
  // A non-object patch replaces the object as it is (upstream does not prune it).
  if (!isObject(patch)) return patch;
  return mergeObjects(cur, patch);
}

function mergeObjects(doc: JSONObject, patch: JSONObject): JSONObject {
  const out: JSONObject = { ...doc };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (!Object.prototype.hasOwnProperty.call(out, k) || out[k] === null) out[k] = pruneNulls(v);
    else out[k] = mergeValue(out[k], v);
  }
  return out;
}

/**
 * Applies a JSON merge patch without mutating its inputs. As upstream, a null or scalar patch is a
 * 400 "Invalid JSON Patch", an array patch becomes the document, and a non-object document is
 * replaced by the (null-pruned) patch object.
 */
export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object') throw badRequest('Invalid JSON Patch');
  if (Array.isArray(patch)) return pruneNulls(patch);
  if (!isObject(doc)) return pruneNulls(patch);
  return mergeObjects(doc, patch as JSONObject);
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual((a as JSONObject)[k], (b as JSONObject)[k]));
}

/** jsonpatch.CreateMergePatch: the merge patch that turns original into modified (both objects). */
export function createMergePatch(original: JSONObject, modified: JSONObject): JSONObject {
  const into: JSONObject = {};
  for (const [key, bv] of Object.entries(modified)) {
    if (!Object.prototype.hasOwnProperty.call(original, key)) {
      into[key] = bv;
      continue;
    }
    const av = original[key];
    if (isObject(av) && isObject(bv)) {
      const sub = createMergePatch(av, bv);
      if (Object.keys(sub).length > 0) into[key] = sub;
    } else if (!jsonEqual(av, bv)) {
      into[key] = bv;
    }
  }
  for (const key of Object.keys(original)) {
    if (!Object.prototype.hasOwnProperty.call(modified, key)) into[key] = null;
  }
  return into;
}
