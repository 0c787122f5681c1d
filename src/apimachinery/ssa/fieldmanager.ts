// The field manager: server-side apply and managedFields tracking for ordinary writes, as
// kube-apiserver's default field manager chain (k8s.io/apimachinery/pkg/util/managedfields/internal:
// FieldManager → VersionCheck → LastAppliedUpdater → LastAppliedManager → SkipNonApplied →
// CapManagers → BuildManagerInfo → ManagedFieldsUpdater → StripMeta → StructuredMerge) over
// structured-merge-diff's merge.Updater. Pure functions over JSON objects: the caller supplies the
// schema, the request's apiVersion and the time, and stores what comes back.

import { BoundedMap } from '../bounded-map.js';
import { jsonEqual } from '../json.js';
import { badRequest, StatusError, type Status } from '../errors.js';
import type { PatchSchema } from '../patch/schema.js';
import { ApplyConflicts, conflictError, type Conflict } from './conflict.js';
import { FieldSet, goJSON, type Path } from './fieldpath.js';
import {
  capUpdateManagers,
  copyManaged,
  decodeManagedFields,
  emptyManaged,
  encodeManagedFields,
  isResetManagedFields,
  managerIdentifier,
  MAX_UPDATE_MANAGERS,
  type Managed,
  type VersionedSet,
} from './managedfields.js';
import {
  clone,
  compare,
  compareWithZeroFields,
  ensureNamedFieldsAreMembers,
  merge,
  removeItems,
  rootNode,
  toFieldSet,
  TypedValueError,
  validateTyped,
  valueOnlyChanges,
  withZeroFields,
  type Comparison,
  type TypeNode,
} from './typed.js';

type Obj = Record<string, unknown>;

/** The annotation client-side `kubectl apply` keeps its last applied configuration in. */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/** The manager whose applies upgrade client-side apply ownership (LastAppliedManager/Updater). */
export const KUBECTL_APPLY_MANAGER = 'kubectl';

/** Fields that never appear in managedFields (stripmeta.go). */
export const STRIPPED_FIELDS: FieldSet = FieldSet.of(
  [{ field: 'apiVersion' }],
  [{ field: 'kind' }],
  [{ field: 'metadata' }],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'].map(
    (f): Path => [{ field: 'metadata' }, { field: f }],
  ),
);

/** What every field-manager call needs to know about the request. */
export interface FieldManagerOptions {
  /** The manager name (the fieldManager parameter, or defaultManagerFromUserAgent). */
  manager: string;
  /** The schema of the kind. */
  schema: PatchSchema;
  /** The request's group/version, e.g. "apps/v1" or "v1". */
  apiVersion: string;
  /** The time to stamp on changed entries, RFC 3339 ("2025-01-02T03:04:05Z"). */
  time: string;
  /** "status", "scale", ... for a subresource write; absent for the main resource. */
  subresource?: string;
  /**
   * Paths the write does not own (the strategy's reset fields), as field-name paths: [['status']]
   * for the main resource of a kind with a status subresource, [['spec'], ...] for its status.
   */
  ignoredPaths?: readonly (readonly string[])[];
}

/** Options of an apply. */
export interface ApplyOptions extends FieldManagerOptions {
  force: boolean;
  /** The kind the endpoint serves; when given, an applied object of another kind is rejected. */
  kind?: string;
}

/** Options of a create, update or non-apply patch. */
export type TrackUpdateOptions = FieldManagerOptions;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function metaOf(o: Obj): Obj {
  return isObj(o.metadata) ? o.metadata : {};
}

function ignoredSet(paths: FieldManagerOptions['ignoredPaths']): FieldSet | undefined {
  if (!paths || paths.length === 0) return undefined;
  return FieldSet.of(...paths.map((p) => p.map((f) => ({ field: f }))));
}

function filter(set: FieldSet, ignore: FieldSet | undefined): FieldSet {
  return ignore ? set.recursiveDifference(ignore) : set;
}

/**
 * The object without metadata.managedFields, sharing everything else with o: for readers only
 * (typing, zero-filling, comparing), where a deep copy of a whole pod per write would dominate.
 */
function viewWithoutManagedFields(o: Obj): Obj {
  if (!isObj(o.metadata) || !('managedFields' in o.metadata)) return o;
  const metadata: Obj = {};
  for (const k in o.metadata) if (k !== 'managedFields') metadata[k] = o.metadata[k];
  return { ...o, metadata };
}

/** The object without metadata.managedFields (RemoveObjectManagedFields), as a fresh copy. */
function withoutManagedFields(o: Obj): Obj {
  const c = clone(o);
  if (isObj(c.metadata)) delete c.metadata.managedFields;
  return c;
}

/**
 * The fields an object specifies, as managedFields records them: every leaf and structural field
 * by the schema's list and map types, without the metadata upstream never tracks, and without the
 * ignored (reset) paths.
 */
export function fieldSetOf(obj: unknown, schema: PatchSchema, ignoredPaths?: FieldManagerOptions['ignoredPaths']): FieldSet {
  return filter(toFieldSet(obj, rootNode(schema)).difference(STRIPPED_FIELDS), ignoredSet(ignoredPaths));
}

/** A reason-less 500 carrying a plain error's text, as kube-apiserver answers errors that are not Status errors. */
function plainError(message: string): StatusError {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code: 500 };
  return new StatusError(status);
}

/** "namespace/name; group/version, Kind=Kind", as objectGVKNN prints an object in errors. */
function objectGVKNN(o: Obj): string {
  const m = metaOf(o);
  const apiVersion = typeof o.apiVersion === 'string' ? o.apiVersion : '';
  const gv = apiVersion.includes('/') ? apiVersion : `/${apiVersion}`;
  return `${typeof m.namespace === 'string' ? m.namespace : ''}/${typeof m.name === 'string' ? m.name : ''}; ${gv}, Kind=${typeof o.kind === 'string' ? o.kind : ''}`;
}

// ---- merge.Updater ----

interface Context {
  node: TypeNode;
  version: string;
  ignore: FieldSet | undefined;
}

/** Updater.update: others lose the fields that changed (or, without force, they conflict). */
function updateOwnership(ctx: Context, cmp: Comparison, fields: Map<string, VersionedSet>, workflow: string, force: boolean) {
  cmp.removed = filter(cmp.removed, ctx.ignore);
  cmp.modified = filter(cmp.modified, ctx.ignore);
  cmp.added = filter(cmp.added, ctx.ignore);
  const changed = cmp.modified.union(cmp.added);
  const conflicts = new Map<string, FieldSet>();
  for (const [m, vs] of fields) {
    if (m === workflow) continue;
    if (vs.set.intersects(changed)) conflicts.set(m, vs.set.intersection(changed));
  }
  if (!force && conflicts.size > 0) {
    const list: Conflict[] = [];
    for (const m of [...conflicts.keys()].sort()) for (const path of conflicts.get(m)!.paths()) list.push({ manager: m, path });
    throw new ApplyConflicts(list);
  }
  const out = new Map(fields);
  for (const [m, vs] of fields) {
    if (m === workflow) continue;
    let set = vs.set;
    const c = conflicts.get(m);
    if (c) set = set.difference(c);
    if (!cmp.removed.empty()) set = set.difference(cmp.removed);
    if (set !== vs.set) out.set(m, { ...vs, set });
  }
  for (const [m, vs] of out) if (vs.set.empty()) out.delete(m);
  return { fields: out, cmp };
}

/** Updater.Update: the workflow manager gains what changed. */
function smdUpdate(ctx: Context, cmp: Comparison, fields: Map<string, VersionedSet>, workflow: string): Map<string, VersionedSet> {
  const { fields: out } = updateOwnership(ctx, cmp, fields, workflow, true);
  const prev = out.get(workflow)?.set ?? new FieldSet();
  const set = filter(prev.difference(cmp.removed).union(cmp.modified).union(cmp.added), ctx.ignore);
  if (set.empty()) out.delete(workflow);
  else out.set(workflow, { set, apiVersion: ctx.version, applied: false });
  return out;
}

/**
 * Updater.prune: the fields to remove because the applier set them last time, no longer does, and
 * no one else owns them (with upstream's add-back of owned and dangling items).
 */
function pruneRemovals(ctx: Context, mergedZ: unknown, fields: Map<string, VersionedSet>, lastSet: VersionedSet | undefined): FieldSet | undefined {
  if (!lastSet || lastSet.set.empty()) return undefined;
  const enf = (s: FieldSet) => ensureNamedFieldsAreMembers(s, ctx.node);
  const last = enf(lastSet.set);
  const pruned = removeItems(mergedZ, last, ctx.node);
  let managed = new FieldSet();
  for (const vs of fields.values()) managed = managed.union(vs.set);
  const mergedSet = enf(toFieldSet(mergedZ, ctx.node));
  const ownedBack = mergedSet.difference(enf(toFieldSet(pruned, ctx.node)).union(enf(managed)));
  const pruned2 = removeItems(mergedZ, ownedBack, ctx.node);
  return mergedSet.difference(enf(toFieldSet(pruned2, ctx.node))).intersection(last);
}

/** Updater.Apply over both the Go-shaped (zero-filled) live object and the stored one. */
function smdApply(ctx: Context, liveZ: Obj, liveNF: Obj, config: Obj, fields: Map<string, VersionedSet>, id: string, force: boolean) {
  const mergedZ = merge(liveZ, config, ctx.node);
  const mergedNF = merge(liveNF, config, ctx.node);
  const managers = new Map(fields);
  const lastSet = managers.get(id);
  managers.set(id, { set: filter(toFieldSet(config, ctx.node), ctx.ignore), apiVersion: ctx.version, applied: true });
  const removals = pruneRemovals(ctx, mergedZ, managers, lastSet);
  const newZ = removals ? removeItems(mergedZ, removals, ctx.node) : mergedZ;
  const newNF = removals ? removeItems(mergedNF, removals, ctx.node) : mergedNF;
  const { fields: out } = updateOwnership(ctx, compare(liveZ, newZ, ctx.node), managers, id, force);
  return { object: (isObj(newNF) ? newNF : {}) as Obj, fields: out };
}

/** StripMetaManager: the manager's entry without the fields never tracked; gone when empty. */
function stripMeta(fields: Map<string, VersionedSet>, id: string): Map<string, VersionedSet> {
  const vs = fields.get(id);
  if (!vs) return fields;
  const out = new Map(fields);
  const set = vs.set.difference(STRIPPED_FIELDS);
  if (set.empty()) out.delete(id);
  else out.set(id, { ...vs, set });
  return out;
}

/** The Update half of the chain below SkipNonApplied (CapManagers … StructuredMerge). */
function innerUpdate(ctx: Context, cmp: Comparison, managed: Managed, manager: string, time: string, subresource?: string): Managed {
  const id = managerIdentifier({ manager: manager || 'unknown', operation: 'Update', apiVersion: ctx.version, subresource });
  const self = 'current-operation';
  const fields = stripMeta(smdUpdate(ctx, cmp, managed.fields, self), self);
  const out: Managed = { fields, times: new Map(managed.times) };
  const vs = fields.get(self);
  if (vs) {
    fields.delete(self);
    const prev = fields.get(id);
    fields.set(id, { set: prev ? vs.set.union(prev.set) : vs.set, apiVersion: vs.apiVersion, applied: vs.applied });
    out.times.set(id, time);
  }
  return capUpdateManagers(out);
}

// ---- nulls left by removal ----

/**
 * Drops the nulls that removing fields leaves where a container emptied (and nulls a configuration
 * sets), which decoding into Go types turns into absent fields; keeps nulls the live object had.
 */
function dropNewNulls(v: unknown, live: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => dropNewNulls(x, undefined));
  if (!isObj(v)) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) {
    const lx = isObj(live) ? live[k] : undefined;
    if (x === null && lx !== null) continue;
    out[k] = dropNewNulls(x, lx);
  }
  return out;
}

// ---- last-applied (client-side apply) handling ----

function lastAppliedOf(o: Obj): string | undefined {
  const ann = metaOf(o).annotations;
  const v = isObj(ann) ? ann[LAST_APPLIED_ANNOTATION] : undefined;
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/**
 * allowedConflictsFromLastApplied: the fields the last client-side apply set that still hold the
 * values it set; kubectl's first server-side apply may take these over without a conflict.
 */
function allowedConflictsFromLastApplied(ctx: Context, liveZ: Obj): FieldSet | undefined {
  const text = lastAppliedOf(liveZ);
  if (!text) return undefined;
  let last: unknown;
  try {
    last = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObj(last) || last.apiVersion !== ctx.version) return undefined;
  try {
    const set = toFieldSet(last, ctx.node);
    const cmp = compare(last, liveZ, ctx.node);
    return set.difference(cmp.modified).difference(cmp.added).difference(cmp.removed);
  } catch {
    return undefined;
  }
}

/** buildLastApplied: the applied configuration without the annotation, as Go's json.Encoder writes it. */
export function buildLastApplied(config: Obj): string {
  const c = clone(config);
  if (isObj(c.metadata) && isObj(c.metadata.annotations)) delete c.metadata.annotations[LAST_APPLIED_ANNOTATION];
  return `${goJSON(sortKeys(c))}\n`;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!isObj(v)) return v;
  const out: Obj = {};
  for (const k of Object.keys(v).sort()) if (v[k] !== undefined) out[k] = sortKeys(v[k]);
  return out;
}

// ---- entry points ----

// The result is a Kubernetes object, whose ObjectMeta is a struct: metadata is always an object,
// even when the configuration said `metadata: null` (callers name the object through it).
function setManagedFields(o: Obj, managed: Managed): void {
  const encoded = encodeManagedFields(managed);
  if (!isObj(o.metadata)) o.metadata = {};
  const m = o.metadata as Obj;
  if (encoded) m.managedFields = encoded;
  else delete m.managedFields;
}

function gvkString(apiVersion: string, kind: string): string {
  return `${apiVersion.includes('/') ? apiVersion : `/${apiVersion}`}, Kind=${kind}`;
}

/**
 * Server-side apply: merges the applied configuration into the live object (or into an empty one
 * when creating), removes what this manager applied before and no longer applies (unless someone
 * else owns it), and records ownership in metadata.managedFields. Throws the upstream 409 when the
 * configuration changes a field another manager owns and force is false; kubectl's first
 * server-side apply over client-side apply takes over the fields the last-applied annotation
 * still matches without conflict, and keeps that annotation in step.
 */
export function apply(live: object | undefined, config: object, opts: ApplyOptions): Obj {
  const cfg = config as Obj;
  if (opts.kind !== undefined) {
    const gotVersion = typeof cfg.apiVersion === 'string' ? cfg.apiVersion : '';
    const gotKind = typeof cfg.kind === 'string' ? cfg.kind : '';
    if (gotVersion !== opts.apiVersion || gotKind !== opts.kind) throw badRequest(`invalid object type: ${gvkString(gotVersion, gotKind)}`);
  }
  if (isObj(cfg.metadata) && cfg.metadata.managedFields !== undefined && cfg.metadata.managedFields !== null) {
    throw badRequest('metadata.managedFields must be nil');
  }
  const ctx: Context = { node: rootNode(opts.schema), version: opts.apiVersion, ignore: ignoredSet(opts.ignoredPaths) };
  const liveObj = (live ?? {}) as Obj;
  let managed: Managed;
  try {
    managed = decodeManagedFields(metaOf(liveObj).managedFields);
  } catch (e) {
    throw plainError(`failed to decode managed fields: ${(e as Error).message}`);
  }
  try {
    validateTyped(cfg, ctx.node);
  } catch (e) {
    if (e instanceof TypedValueError) throw plainError(`failed to create typed patch object (${objectGVKNN(cfg)}): ${e.message}`);
    throw e;
  }
  const liveNF = withoutManagedFields(liveObj);
  // The live object is typed with duplicates allowed, as upstream converts it; one it cannot type
  // (a list-map element without its key) fails here with upstream's words, not deep in the merge.
  try {
    validateTyped(liveNF, ctx.node, true);
  } catch (e) {
    if (e instanceof TypedValueError) throw plainError(`failed to create typed live object (${objectGVKNN(liveObj)}): ${e.message}`);
    throw e;
  }
  const liveZ = withZeroFields(liveNF, ctx.node) as Obj;
  const emptyZ = withZeroFields({}, ctx.node);

  // SkipNonApplied … StructuredMerge, for one attempt.
  const attempt = (force: boolean): { object: Obj; managed: Managed } => {
    let m = copyManaged(managed);
    if (m.fields.size === 0 && live !== undefined) {
      // Everything set before the first apply belongs to "before-first-apply".
      m = innerUpdate(ctx, compare(emptyZ, liveZ, ctx.node), m, 'before-first-apply', opts.time, opts.subresource);
    }
    const id = managerIdentifier({ manager: opts.manager || 'unknown', operation: 'Apply', subresource: opts.subresource });
    const r = smdApply(ctx, liveZ, liveNF, cfg, m.fields, id, force);
    const fields = stripMeta(r.fields, id);
    const object = dropNewNulls(r.object, liveNF) as Obj;
    const times = new Map(m.times);
    const changed = !jsonEqual(object, liveNF);
    if (changed) times.set(id, opts.time);
    return { object: changed ? object : clone(liveNF), managed: { fields, times } };
  };

  let result: { object: Obj; managed: Managed };
  try {
    result = attempt(opts.force);
  } catch (e) {
    if (!(e instanceof ApplyConflicts)) throw e;
    if (opts.manager !== KUBECTL_APPLY_MANAGER) throw conflictError(e.conflicts);
    const allowed = allowedConflictsFromLastApplied(ctx, liveZ);
    if (!allowed) throw conflictError(e.conflicts);
    const remaining = e.conflicts.filter((c) => !allowed.has(c.path));
    if (remaining.length > 0) throw conflictError(remaining);
    result = attempt(true);
  }
  const object = result.object;
  if (opts.manager === KUBECTL_APPLY_MANAGER && lastAppliedOf(object)) {
    const meta = object.metadata as Obj;
    meta.annotations = { ...(meta.annotations as Obj), [LAST_APPLIED_ANNOTATION]: buildLastApplied(cfg) };
  }
  setManagedFields(object, result.managed);
  return object;
}

/**
 * managedFields for a create, update or non-apply patch (operation Update): the manager gains the
 * fields that changed (every field on create), others lose them, and only entries whose fields
 * changed get the new time, so a no-op write leaves managedFields as they were. Managed fields the
 * client sent are kept when they decode (an empty list clears them); for a subresource, and when
 * they do not decode, the live object's are used. Sets next.metadata.managedFields in place.
 */
export function trackUpdate(old: object | undefined, next: object, opts: TrackUpdateOptions): void {
  trackUpdateWith(old, next, opts, true);
}

/**
 * trackUpdate without its shortcuts (for value-only writes, and past the parts both objects share):
 * the reference they are tested against.
 */
export function trackUpdateSlow(old: object | undefined, next: object, opts: TrackUpdateOptions): void {
  trackUpdateWith(old, next, opts, false);
}

/** trackUpdate, answering whether it took the shortcut for value-only writes (for tests). */
export function trackUpdateTook(old: object | undefined, next: object, opts: TrackUpdateOptions): 'shortcut' | 'full' {
  return trackUpdateWith(old, next, opts, true);
}

function trackUpdateWith(old: object | undefined, next: object, opts: TrackUpdateOptions, shortcut: boolean): 'shortcut' | 'full' {
  const oldObj = (old ?? {}) as Obj;
  const nextObj = next as Obj;
  const ctx: Context = { node: rootNode(opts.schema), version: opts.apiVersion, ignore: ignoredSet(opts.ignoredPaths) };
  const liveManaged = (): Managed => {
    try {
      return decodeManagedFields(metaOf(oldObj).managedFields);
    } catch {
      return emptyManaged();
    }
  };
  // decodeLiveOrNew
  let managed: Managed;
  const sent = metaOf(nextObj).managedFields;
  if (opts.subresource) managed = liveManaged();
  else if (isResetManagedFields(sent)) managed = emptyManaged();
  else {
    try {
      managed = decodeManagedFields(sent);
      if (managed.fields.size === 0) managed = liveManaged();
    } catch {
      managed = liveManaged();
    }
  }
  const isCreate = old === undefined || !metaOf(oldObj).uid;
  if (managed.fields.size === 0 && !isCreate) {
    // SkipNonApplied: an object without managedFields is not tracked until it is applied.
    if (isObj(nextObj.metadata)) delete nextObj.metadata.managedFields;
    return 'full';
  }
  if (shortcut && old === undefined && managed.fields.size === 0) {
    const set = createdFields(ctx, nextObj, opts.ignoredPaths);
    if (set) {
      setManagedFields(nextObj, set.empty() ? emptyManaged() : createdManaged(ctx, set, opts));
      return 'shortcut';
    }
  }
  if (shortcut && !isCreate) {
    const out = valueOnlyUpdate(ctx, oldObj, nextObj, managed, opts);
    if (out) {
      setManagedFields(nextObj, out);
      return 'shortcut';
    }
  }
  const newNF = viewWithoutManagedFields(nextObj);
  try {
    validateTyped(newNF, ctx.node, true);
  } catch {
    // UpdateNoErrors: keep the live object's managedFields when tracking fails.
    const liveEntries = metaOf(oldObj).managedFields;
    if (isObj(nextObj.metadata)) {
      if (liveEntries === undefined) delete nextObj.metadata.managedFields;
      else nextObj.metadata.managedFields = clone(liveEntries);
    }
    return 'full';
  }
  const oldNF = old === undefined ? {} : viewWithoutManagedFields(oldObj);
  // The reference path compares the zero-filled objects whole; the other skips what they share.
  const cmp = shortcut ? compareWithZeroFields(oldNF, newNF, ctx.node) : compare(withZeroFields(oldNF, ctx.node), withZeroFields(newNF, ctx.node), ctx.node);
  const out = innerUpdate(ctx, cmp, managed, opts.manager, opts.time, opts.subresource);
  setManagedFields(nextObj, out);
  return 'full';
}

// Creates are most writes (every Event), and what a create's manager gains is every field of the
// new object: a function of its shape alone (which fields it has, whether each holds an object, a
// list, a string, a number, a boolean or null; list elements as they are, since their keys and set
// values are part of the set), never of its other values. Objects from one source share a shape
// (the Events a recorder makes, the pods of one template), so the set is kept per shape, per
// schema and ignored paths, for the most recently seen 1,024 shapes of each.
const createdSets = new WeakMap<object, BoundedMap<string, FieldSet>>();

/** The shape of a JSON value (see above): a key only equal values of the same shape share. */
export function shapeKey(v: unknown): string {
  if (v === null) return 'n';
  switch (typeof v) {
    case 'string':
      return 's';
    case 'boolean':
      return 'b';
    case 'number':
      return Number.isInteger(v) ? 'i' : 'f';
    case 'object': {
      if (Array.isArray(v)) return `[${JSON.stringify(v)}]`;
      let out = '{';
      const o = v as Obj;
      for (const k in o) {
        const x = o[k];
        if (x === undefined) continue;
        // Length-prefixed, so no key can pass for another's end.
        out += `${k.length}:${k}=${shapeKey(x)},`;
      }
      return `${out}}`;
    }
    default:
      return 'u';
  }
}

/**
 * The fields a create (with no managedFields sent) gives its manager: what innerUpdate computes
 * from compare({}, new), per shape. Undefined when the object does not type (the full path
 * then decides, keeping upstream's handling).
 */
function createdFields(ctx: Context, nextObj: Obj, ignoredPaths: FieldManagerOptions['ignoredPaths']): FieldSet | undefined {
  const newNF = viewWithoutManagedFields(nextObj);
  const schema = (ctx.node as Extract<TypeNode, { t: 'struct' }>).schema;
  let bySchema = createdSets.get(schema);
  if (!bySchema) createdSets.set(schema, (bySchema = new BoundedMap(1024)));
  const key = `${ignoredPaths ? JSON.stringify(ignoredPaths) : ''}|${ctx.version}|${shapeKey(newNF)}`;
  return bySchema.memo(key, () => {
    try {
      validateTyped(newNF, ctx.node, true);
    } catch {
      return undefined;
    }
    const probe = 'created';
    const out = innerUpdate(ctx, compareWithZeroFields({}, newNF, ctx.node), emptyManaged(), probe, '');
    return out.fields.get(managerIdentifier({ manager: probe, operation: 'Update', apiVersion: ctx.version }))?.set ?? new FieldSet();
  });
}

/** A created object's managedFields: its manager's Update entry, owning set, stamped now. */
function createdManaged(ctx: Context, set: FieldSet, opts: TrackUpdateOptions): Managed {
  const id = managerIdentifier({ manager: opts.manager || 'unknown', operation: 'Update', apiVersion: ctx.version, subresource: opts.subresource });
  return { fields: new Map([[id, { set, apiVersion: ctx.version, applied: false }]]), times: new Map([[id, opts.time]]) };
}

/**
 * The managedFields of the dominant write in a running cluster (a kubelet renewing its Lease, a
 * controller writing the status it wrote before): only values change, every changed field already
 * belongs to this manager's Update entry and to no one else. Then innerUpdate takes nothing from
 * anyone (others' sets miss the changed fields, nothing was removed) and gives the manager what it
 * had (its set minus the changed fields plus the changed fields), so the only change is the entry's
 * time, stamped when anything changed. Undefined when any of that is not certain, for the full path.
 */
function valueOnlyUpdate(ctx: Context, oldObj: Obj, nextObj: Obj, managed: Managed, opts: TrackUpdateOptions): Managed | undefined {
  const raw = valueOnlyChanges(oldObj, nextObj, ctx.node);
  if (!raw) return undefined;
  const changed = filter(raw, ctx.ignore);
  const id = managerIdentifier({ manager: opts.manager || 'unknown', operation: 'Update', apiVersion: ctx.version, subresource: opts.subresource });
  let updaters = 0;
  for (const [m, vs] of managed.fields) {
    // An empty entry would be dropped, and too many updaters would be capped.
    if (vs.set.empty()) return undefined;
    if (!vs.applied) updaters++;
    if (m !== id && vs.set.intersects(changed)) return undefined;
  }
  if (updaters > MAX_UPDATE_MANAGERS) return undefined;
  // What the manager gains leaves out the metadata never tracked (stripMeta); a changed field of
  // that kind it already owned (only a client-sent entry can hold one) would be lost instead.
  const gained = changed.difference(STRIPPED_FIELDS);
  const own = managed.fields.get(id);
  if (!own) return gained.empty() ? managed : undefined;
  if (own.applied || own.apiVersion !== ctx.version) return undefined;
  if (!gained.isSubsetOf(own.set) || !own.set.intersection(changed).isSubsetOf(gained)) return undefined;
  if (gained.empty()) return managed;
  const times = new Map(managed.times);
  times.set(id, opts.time);
  return { fields: managed.fields, times };
}

