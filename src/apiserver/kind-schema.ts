// What the request path needs to know about a kind's schema, for built-in kinds (from
// @kubernetes/client-node's models) and custom resources (from their CRD's structural schema) alike:
// pruning and strict decoding, type errors, patch merge semantics, and version conversion.
import { convert } from '../api/conversion.js';
import { patchSchemaFor } from '../api/patchmeta.js';
import type { ResourceInfo } from '../api/resources.js';
import type { KubeObject } from '../api/types.js';
import { decodeError, pruneUnknownFields, strictDecodingMessage } from '../api/schema.js';
import { EMPTY_PATCH_SCHEMA, type PatchSchema } from '../apimachinery/patch/schema.js';
import {
  convertCustomResource,
  customResourcePatchSchema,
  decodeCustomResource,
  strictDecodingMessageForCR,
  type CustomResourceDefinition,
} from '../apiextensions/index.js';

/** A kind's schema as the request path uses it. */
export interface KindSchema {
  /**
   * Removes fields the schema does not declare (and applies CR defaults); returns their paths.
   * known: an object of this kind that decoded cleanly, whose own parts obj may share (a patched
   * object shares what the patch left alone); a built-in kind skips those.
   */
  prune(obj: KubeObject, known?: KubeObject): string[];
  /** The decoder's type error for a wrongly typed field ("json: cannot unmarshal ..."), if any; known as for prune. */
  decodeError(obj: KubeObject, known?: KubeObject): string | undefined;
  /** The 400 message for fieldValidation=Strict failures. */
  strictMessage(unknownPaths: string[], duplicateProblems: string[]): string;
  /** List and map merge semantics, for strategic merge patch and server-side apply. */
  patchSchema: PatchSchema;
  /** False for custom resources: strategic merge patch is answered 415. */
  strategicMergePatch: boolean;
  /** obj (any served version of the kind) as apiVersion. */
  convert(obj: KubeObject, apiVersion: string): KubeObject;
}

/** A built-in kind's schema, from its @kubernetes/client-node model. */
export function builtinKindSchema(info: ResourceInfo): KindSchema {
  return {
    prune: (obj, known) => pruneUnknownFields(obj, info.modelType, known),
    decodeError: (obj, known) => decodeError(obj, info.modelType, known),
    strictMessage: (unknown, dups) => strictDecodingMessage(info.kind, info.version, [...dups, ...unknown.map((u) => `unknown field "${u}"`)]),
    patchSchema: patchSchemaFor(info.modelType),
    strategicMergePatch: true,
    convert: (obj, apiVersion) => (obj.apiVersion === apiVersion ? obj : convert(obj, apiVersion)),
  };
}

/** A custom resource's schema, from its CRD's version (conversion strategy None). */
export function customKindSchema(crd: CustomResourceDefinition, version: string, info: ResourceInfo): KindSchema {
  const schema = crd.spec.versions.find((v) => v.name === version)?.schema?.openAPIV3Schema;
  return {
    prune: (obj) => decodeCustomResource(obj, schema),
    decodeError: () => undefined,
    strictMessage: (unknown, dups) => strictDecodingMessageForCR(info.kind, version, unknown, dups),
    patchSchema: customResourcePatchSchema(crd, version) ?? EMPTY_PATCH_SCHEMA,
    strategicMergePatch: false,
    convert: (obj, apiVersion) => (obj.apiVersion === apiVersion ? obj : convertCustomResource(obj, crd, apiVersion.split('/').pop()!)),
  };
}
