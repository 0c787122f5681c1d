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
  /**
   * x-kubernetes-map-type (or +structType) of an 'object' or 'map' field: 'atomic' means server-side
   * apply owns and replaces it as one value. Absent means granular.
   */
  mapType?: 'atomic' | 'granular';
  /**
   * The facts of a list's elements or a map's values, described as if they were a field (their kind,
   * schema, and for nested lists their list type). Absent: server-side apply deduces them from the data.
   */
  items?: PatchFieldMeta;
  /** The field's schema default, when it has one (server-side apply fills a missing list-map key from it). */
  default?: unknown;
}

/** A walkable schema node. Unknown fields return undefined: treat them as atomic/replace. */
export interface PatchSchema {
  field(name: string): PatchFieldMeta | undefined;
  /**
   * The JSON that Go's zero value of this struct encodes to: its non-pointer struct fields ({} with
   * their own zero fields) and fields without omitempty (null, "", 0, false). Upstream's field manager
   * compares a create against this empty object, so these fields never count as added. Absent for
   * schemas without Go types (custom resources), whose empty object is {}.
   */
  zeroValue?(): Record<string, unknown>;
}

/** A schema that knows nothing: every list is atomic, as for untyped JSON. */
export const EMPTY_PATCH_SCHEMA: PatchSchema = { field: () => undefined };
