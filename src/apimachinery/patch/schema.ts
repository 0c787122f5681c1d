// What strategic merge patch and server-side apply need to know about a schema: for each field,
// how lists merge. Implemented over the built-in schema (api/patchmeta.ts) and, later, CRD schemas.

/** The patch facts of one field, from x-kubernetes-patch-strategy / -merge-key / -list-type. */
export interface PatchFieldMeta {
  /** "merge", "replace", "retainKeys", or "merge,retainKeys". */
  patchStrategy?: string;
  patchMergeKey?: string;
  listType?: 'atomic' | 'set' | 'map';
  listMapKeys?: string[];
  /** The schema of the field's value: of the elements for a list, of the values for a map. */
  schema?: PatchSchema;
  /** 'object' for structs, 'map' for string-keyed maps, 'list', or 'scalar'. */
  kind?: 'object' | 'map' | 'list' | 'scalar';
}

/** A walkable schema node. Unknown fields return undefined: treat them as atomic/replace. */
export interface PatchSchema {
  field(name: string): PatchFieldMeta | undefined;
}

/** A schema that knows nothing: every list is atomic, as for untyped JSON. */
export const EMPTY_PATCH_SCHEMA: PatchSchema = { field: () => undefined };
