// JSON patch (RFC 6902) for application/json-patch+json, applied by fast-json-patch with the API
// server's error handling (apiserver/pkg/endpoints/handlers/patch.go): a patch that is not a list
// of operation objects is a 400, more than 10000 operations a 413, and any operation that fails
// (a failing test, a missing path, an unknown op) a 422 whose message says only that the request
// was rejected, exactly as kube-apiserver words it.

import { jsonCopy } from '../json.js';
import jsonpatch from 'fast-json-patch';
import { badRequest, genericInvalid, requestEntityTooLarge, type StatusError } from '../errors.js';

/** The most operations one JSON patch may hold (maxJSONPatchOperations). */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

/** One RFC 6902 operation. */
export interface JsonPatchOperation {
  op: string;
  path: string;
  value?: unknown;
  from?: string;
}

// encoding/json's names for JSON value kinds, as its UnmarshalTypeError prints them.
function goJSONKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'string') return 'string';
  return 'object';
}

/** jsonpatch.DecodePatch's shape check: a list (or null) of objects. Throws 400 BadRequest. */
export function decodeJsonPatch(patch: unknown): JsonPatchOperation[] {
  if (patch === null || patch === undefined) return [];
  if (!Array.isArray(patch)) throw badRequest(`json: cannot unmarshal ${goJSONKind(patch)} into Go value of type jsonpatch.Patch`);
  for (const op of patch) {
    if (op !== null && (typeof op !== 'object' || Array.isArray(op))) {
      throw badRequest(`json: cannot unmarshal ${goJSONKind(op)} into Go value of type jsonpatch.Operation`);
    }
  }
  return patch as JsonPatchOperation[];
}

/**
 * NewGenericServerResponse(422, ...): the Status kube-apiserver returns when a JSON patch does not
 * apply. The reason for the failure stays in `cause` for logs; clients only see the generic text.
 */
export function jsonPatchApplyError(cause?: unknown): StatusError {
  const err = genericInvalid();
  // patch.go passes isUnexpectedResponse=false, so the Status carries no cause.
  if (cause !== undefined) (err as Error & { cause?: unknown }).cause = cause;
  return err;
}


/**
 * Applies an RFC 6902 patch to a copy of doc. Throws StatusErrors: 400 for a malformed patch
 * document, 413 for too many operations, 422 for an operation that fails.
 */
export function applyJsonPatch(doc: unknown, patch: unknown): unknown {
  const ops = decodeJsonPatch(patch);
  if (ops.length > MAX_JSON_PATCH_OPERATIONS) {
    throw requestEntityTooLarge(`The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`);
  }
  if (ops.length === 0) return jsonCopy(doc);
  // evanphx/json-patch treats a missing value on add/replace as null; fast-json-patch would refuse it.
  const normalized = ops.map((op) => {
    if (op === null) return { op: 'unknown', path: '' } as JsonPatchOperation;
    if ((op.op === 'add' || op.op === 'replace') && !Object.prototype.hasOwnProperty.call(op, 'value')) return { ...op, value: null };
    return op;
  });
  try {
    return jsonpatch.applyPatch(doc, normalized as Parameters<typeof jsonpatch.applyPatch>[1], true, false).newDocument;
  } catch (e) {
    throw jsonPatchApplyError(e);
  }
}
