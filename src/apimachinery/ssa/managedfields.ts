// metadata.managedFields, decoded into per-manager field sets and encoded back, as
// k8s.io/apimachinery/pkg/util/managedfields/internal (managedfields.go, capmanagers.go): a
// manager is identified by its name, operation, subresource and (for updates) apiVersion; entries
// are written sorted by operation, time, manager, apiVersion and subresource.

import { BoundedMap } from '../bounded-map.js';
import { FieldSet, goJSON } from './fieldpath.js';

/** metav1.ManagedFieldsEntry, with its fields in the order Go serializes them. */
export interface ManagedFieldsEntry {
  manager?: string;
  operation?: 'Apply' | 'Update' | string;
  apiVersion?: string;
  time?: string;
  fieldsType?: 'FieldsV1' | string;
  fieldsV1?: Record<string, unknown>;
  subresource?: string;
}

/** The fields one manager owns, at the apiVersion it last wrote, and whether it applied them. */
export interface VersionedSet {
  set: FieldSet;
  apiVersion: string;
  applied: boolean;
}

/** Every manager's fields (keyed by manager identifier) and the time each last changed the object. */
export interface Managed {
  fields: Map<string, VersionedSet>;
  times: Map<string, string | undefined>;
}

/** An empty Managed. */
export function emptyManaged(): Managed {
  return { fields: new Map(), times: new Map() };
}

/** A copy whose maps can be changed without touching the original. */
export function copyManaged(m: Managed): Managed {
  return { fields: new Map(m.fields), times: new Map(m.times) };
}

/**
 * BuildManagerIdentifier: the entry's JSON without fieldsType, fieldsV1 and time, and without
 * apiVersion for appliers (an applier is the same manager whatever version it applies).
 */
export function managerIdentifier(e: { manager?: string; operation?: string; apiVersion?: string; subresource?: string }): string {
  // Length-prefixed parts: no manager name can pass for another's parts.
  const parts = [e.manager ?? '', e.operation ?? '', e.apiVersion ?? '', e.subresource ?? ''];
  const key = parts.map((p) => `${p.length}:${p}`).join('');
  return identifiers.memo(key, () => buildManagerIdentifier(e));
}

// Every write names its manager and decodes every entry's: the few distinct ones are kept both ways.
const identifiers = new BoundedMap<string, string>(1024);
const parsedIdentifiers = new BoundedMap<string, Readonly<ManagerIdentity>>(1024);

/** What a manager identifier names. */
export interface ManagerIdentity {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  subresource?: string;
}

function buildManagerIdentifier(e: ManagerIdentity): string {
  const id: Record<string, string> = {};
  if (e.manager) id.manager = e.manager;
  if (e.operation) id.operation = e.operation;
  if (e.apiVersion && e.operation !== 'Apply') id.apiVersion = e.apiVersion;
  if (e.subresource) id.subresource = e.subresource;
  return goJSON(id);
}

/** The parts of a manager identifier (shared and frozen). */
export function parseManagerIdentifier(id: string): Readonly<ManagerIdentity> {
  return parsedIdentifiers.memo(id, (key) => Object.freeze(parseIdentifier(key)));
}

function parseIdentifier(id: string): ManagerIdentity {
  try {
    const v = JSON.parse(id) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, string>;
  } catch {
    // Not JSON: a bare manager name.
  }
  return { manager: id };
}

/** DecodeManagedFields; throws with upstream's message on an invalid entry. */
export function decodeManagedFields(entries: unknown): Managed {
  const managed = emptyManaged();
  if (entries === undefined || entries === null) return managed;
  if (!Array.isArray(entries)) throw new Error('managedFields must be a list');
  entries.forEach((raw, i) => {
    const e = (raw ?? {}) as ManagedFieldsEntry;
    if (e.operation !== 'Apply' && e.operation !== 'Update') throw new Error('operation must be `Apply` or `Update`');
    if (!e.apiVersion) throw new Error('apiVersion must not be empty');
    if (!e.fieldsType) throw new Error(`missing fieldsType in managed fields entry ${i}`);
    if (e.fieldsType !== 'FieldsV1') throw new Error(`invalid fieldsType ${JSON.stringify(e.fieldsType)} in managed fields entry ${i}`);
    const id = managerIdentifier(e);
    let set: FieldSet;
    try {
      set = decodeFieldsV1(e.fieldsV1 ?? {});
    } catch (err) {
      throw new Error(`error decoding versioned set from ${goJSON(e)}: error decoding set: ${(err as Error).message}`);
    }
    managed.fields.set(id, { set, apiVersion: e.apiVersion, applied: e.operation === 'Apply' });
    managed.times.set(id, e.time);
  });
  return managed;
}

// Most writes leave most managers' sets as they were (a kubelet renewing its Lease changes one
// entry's time), yet every write decodes every entry and encodes it back, at tens of µs each on a
// Node. So sets are cached both ways: decoded by their FieldsV1's JSON text, and a set's encoding
// by the set. Neither is changed once made (FieldSet operations return new sets; only the walks in
// typed.ts insert, into sets of their own), and an encoding is handed out frozen, shared by every
// object that carries it (a write that tried to change one in place would throw).
const decodedSets = new BoundedMap<string, FieldSet>(4096);
const decodedEncodings = new WeakMap<object, FieldSet>();

/**
 * FieldSet.fromFieldsV1, cached by the text of fields (the most recently decoded 4,096), and
 * by identity for an encoding made here (shared frozen by every copy of the object carrying it).
 */
export function decodeFieldsV1(fields: unknown): FieldSet {
  if (typeof fields === 'object' && fields !== null) {
    const own = decodedEncodings.get(fields);
    if (own) return own;
  }
  return decodedSets.memo(JSON.stringify(fields), () => FieldSet.fromFieldsV1(fields));
}

/** set's FieldsV1, deeply frozen and shared (FieldSet.encode), known again by identity when decoded. */
export function encodeFieldsV1(set: FieldSet): Readonly<Record<string, unknown>> {
  const enc = set.encode();
  decodedEncodings.set(enc, set);
  return enc;
}

function unixSeconds(t: string | undefined): number {
  if (!t) return 0;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** encodeManagedFields: one entry per manager, sorted as upstream; undefined when there are none. */
export function encodeManagedFields(managed: Managed): ManagedFieldsEntry[] | undefined {
  if (managed.fields.size === 0) return undefined;
  const out: ManagedFieldsEntry[] = [];
  for (const [id, vs] of managed.fields) {
    const ident = parseManagerIdentifier(id);
    const e: ManagedFieldsEntry = {};
    if (ident.manager) e.manager = ident.manager;
    e.operation = vs.applied ? 'Apply' : (ident.operation ?? 'Update');
    e.apiVersion = vs.apiVersion;
    const t = managed.times.get(id);
    if (t) e.time = t;
    e.fieldsType = 'FieldsV1';
    e.fieldsV1 = encodeFieldsV1(vs.set);
    if (ident.subresource) e.subresource = ident.subresource;
    out.push(e);
  }
  out.sort(
    (p, q) =>
      cmp(p.operation ?? '', q.operation ?? '') ||
      unixSeconds(p.time) - unixSeconds(q.time) ||
      cmp(p.manager ?? '', q.manager ?? '') ||
      cmp(p.apiVersion ?? '', q.apiVersion ?? '') ||
      cmp(p.subresource ?? '', q.subresource ?? ''),
  );
  return out;
}

/** isResetManagedFields: an empty list, or a list of one empty entry, asks to clear managedFields. */
export function isResetManagedFields(entries: unknown): boolean {
  if (!Array.isArray(entries)) return false;
  if (entries.length === 0) return true;
  if (entries.length === 1) {
    const e = entries[0] as Record<string, unknown> | null;
    return !!e && typeof e === 'object' && Object.values(e).every((v) => v === undefined || v === '' || v === null);
  }
  return false;
}

/** DefaultMaxUpdateManagers: beyond this many Update entries the oldest merge into "ancient-changes". */
export const MAX_UPDATE_MANAGERS = 10;

/** capUpdateManagers: merges the oldest update entries into per-version "ancient-changes" buckets. */
export function capUpdateManagers(managed: Managed, max = MAX_UPDATE_MANAGERS): Managed {
  const updaters = [...managed.fields].filter(([, vs]) => !vs.applied).map(([id]) => id);
  if (updaters.length <= max) return managed;
  const out = copyManaged(managed);
  updaters.sort((a, b) => unixSeconds(managed.times.get(a)) - unixSeconds(managed.times.get(b)) || cmp(a, b));
  const firstOfVersion = new Map<string, string>();
  let length = updaters.length;
  for (let i = 0; i < updaters.length && length > max; i++) {
    const id = updaters[i];
    const vs = out.fields.get(id)!;
    const time = out.times.get(id);
    const bucket = managerIdentifier({ manager: 'ancient-changes', operation: 'Update', apiVersion: vs.apiVersion });
    const first = firstOfVersion.get(vs.apiVersion);
    if (first === undefined) {
      firstOfVersion.set(vs.apiVersion, id);
      continue;
    }
    if (!out.fields.has(bucket)) {
      out.fields.set(bucket, out.fields.get(first)!);
      out.fields.delete(first);
    }
    out.fields.set(bucket, { set: vs.set.union(out.fields.get(bucket)!.set), apiVersion: vs.apiVersion, applied: vs.applied });
    out.fields.delete(id);
    length--;
    out.times.set(bucket, time);
  }
  return out;
}
