// Schema-aware walks over JSON objects, as structured-merge-diff's typed package: the field set an
// object specifies (ToFieldSet), the difference between two objects (Compare), the merge of an
// applied configuration into a live object (Merge), and removing a set of fields (RemoveItems).
// Lists follow their x-kubernetes-list-type (atomic lists are one field, sets are keyed by value,
// maps by their key fields), structs and maps marked atomic are one field, and anything the schema
// does not describe is "deduced" from the data: objects are granular maps, lists are atomic.

import { jsonCopy, jsonEqual } from '../json.js';
import { EMPTY_PATCH_SCHEMA, type PatchFieldMeta, type PatchSchema } from '../patch/schema.js';
import {
  FieldSet,
  keyPE,
  pathString,
  peString,
  serializePE,
  valuesEqual,
  type JsonValue,
  type Path,
  type PathElement,
} from './fieldpath.js';

/** How server-side apply treats one node of an object. */
export type TypeNode =
  | { readonly t: 'struct'; readonly schema: PatchSchema; readonly atomic: boolean }
  | { readonly t: 'map'; readonly atomic: boolean; readonly elem: TypeNode }
  | { readonly t: 'list'; readonly atomic: boolean; readonly keys: readonly string[]; readonly elem: TypeNode; readonly elemSchema: PatchSchema }
  | { readonly t: 'scalar' }
  | { readonly t: 'deduced' };

const DEDUCED: TypeNode = { t: 'deduced' };
const SCALAR: TypeNode = { t: 'scalar' };

/** The node of a whole object of a kind. */
export function rootNode(schema: PatchSchema): TypeNode {
  return { t: 'struct', schema, atomic: false };
}

/** The node a field's patch facts describe (kube-openapi's schemaconv rules). */
export function nodeOfMeta(meta: PatchFieldMeta | undefined): TypeNode {
  if (!meta) return DEDUCED;
  switch (meta.kind) {
    case 'object':
      return { t: 'struct', schema: meta.schema ?? EMPTY_PATCH_SCHEMA, atomic: meta.mapType === 'atomic' };
    case 'map':
      return { t: 'map', atomic: meta.mapType === 'atomic', elem: meta.items ? nodeOfMeta(meta.items) : DEDUCED };
    case 'list': {
      let atomic = true;
      let keys: string[] = [];
      if (meta.listType === 'set') atomic = false;
      else if (meta.listType === 'map') {
        atomic = false;
        keys = meta.listMapKeys ?? [];
      } else if (!meta.listType && meta.patchStrategy === 'merge') {
        // A list with patch strategy merge and no list type is associative (schemaconv).
        atomic = false;
        keys = meta.patchMergeKey ? [meta.patchMergeKey] : [];
      }
      const elemSchema = meta.items?.schema ?? meta.schema ?? EMPTY_PATCH_SCHEMA;
      const elem = meta.items ? nodeOfMeta(meta.items) : keys.length > 0 ? { t: 'struct' as const, schema: elemSchema, atomic: false } : atomic ? DEDUCED : SCALAR;
      return { t: 'list', atomic, keys, elem, elemSchema };
    }
    case 'scalar':
      return SCALAR;
    default:
      return DEDUCED;
  }
}

/** The node of a map key or struct field, and whether it is a named field of a struct (shared, read-only). */
export function childNode(node: TypeNode, key: string): { readonly node: TypeNode; readonly named: boolean } {
  if (node.t === 'struct') {
    const meta = node.schema.field(key);
    if (!meta) return UNNAMED_DEDUCED;
    // Every walk asks this for every field: one answer per field of the schema.
    let c = namedChildren.get(meta);
    if (!c) namedChildren.set(meta, (c = { node: nodeOfMeta(meta), named: true }));
    return c;
  }
  if (node.t === 'map') {
    let c = mapChildren.get(node);
    if (!c) mapChildren.set(node, (c = { node: node.elem, named: false }));
    return c;
  }
  return UNNAMED_DEDUCED;
}

const UNNAMED_DEDUCED = { node: DEDUCED, named: false } as const;
const namedChildren = new WeakMap<PatchFieldMeta, { node: TypeNode; named: boolean }>();
const mapChildren = new WeakMap<TypeNode, { node: TypeNode; named: boolean }>();

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

type Resolved = { k: 'leaf' } | { k: 'map' } | { k: 'list'; node: Extract<TypeNode, { t: 'list' }> };

// resolve runs for every node of every walk: its answers are shared constants, or kept per list node.
const LEAF: Resolved = { k: 'leaf' };
const MAP: Resolved = { k: 'map' };
const listResolved = new WeakMap<TypeNode, Resolved>();

function listOf(node: Extract<TypeNode, { t: 'list' }>): Resolved {
  let r = listResolved.get(node);
  if (!r) listResolved.set(node, (r = { k: 'list', node }));
  return r;
}

/**
 * Which walk a node takes for the given values (upstream's deduceAtom/handleAtom, leniently): a and
 * b are the one or two values at this node (undefined and null count as absent).
 */
function resolve(node: TypeNode, a: unknown, b?: unknown): Resolved {
  const hasA = a !== undefined && a !== null;
  const hasB = b !== undefined && b !== null;
  switch (node.t) {
    case 'scalar':
      return LEAF;
    case 'struct':
    case 'map':
      if (node.atomic || (hasA && !isObject(a)) || (hasB && !isObject(b))) return LEAF;
      return MAP;
    case 'list':
      if (node.atomic || (hasA && !Array.isArray(a)) || (hasB && !Array.isArray(b))) return LEAF;
      return listOf(node);
    case 'deduced':
      if (!hasA && !hasB) return MAP;
      if ((!hasA || isObject(a)) && (!hasB || isObject(b))) return MAP;
      return LEAF;
  }
}

/** A schema error in an object, worded as structured-merge-diff's ValidationError. */
export class TypedValueError extends Error {
  constructor(readonly errors: { path: string; message: string }[]) {
    super(errors.length === 1 ? `${errors[0].path}: ${errors[0].message}` : ['errors:', ...errors.map((e) => `  ${e.path}: ${e.message}`)].join('\n'));
    this.name = 'TypedValueError';
  }
}

/** The path element that selects a list element (listItemToPathElement), or an error message. */
export function listItemPE(list: Extract<TypeNode, { t: 'list' }>, item: unknown): PathElement | string {
  if (list.keys.length > 0) {
    if (item === null) return 'associative list with keys may not have a null element';
    if (!isObject(item)) return 'associative list with keys may not have non-map elements';
    const fields: [string, JsonValue][] = [];
    for (const k of list.keys) {
      if (item[k] !== undefined) fields.push([k, item[k] as JsonValue]);
      else {
        const def = list.elemSchema.field(k)?.default;
        if (def !== undefined && def !== null) fields.push([k, def as JsonValue]);
        else return `associative list with keys has an element that omits key field ${JSON.stringify(k)} (and doesn't have default value)`;
      }
    }
    return keyPE(fields);
  }
  if (isObject(item)) return "associative list without keys has an element that's a map type";
  if (Array.isArray(item)) return 'not supported: associative list with lists as elements';
  if (item === null || item === undefined) return "associative list without keys has an element that's an explicit null";
  return { value: item as JsonValue };
}

function mapKeys(l: unknown, r: unknown): string[] {
  const keys = new Set<string>();
  if (isObject(l)) for (const k of Object.keys(l)) if (l[k] !== undefined) keys.add(k);
  if (isObject(r)) for (const k of Object.keys(r)) if (r[k] !== undefined) keys.add(k);
  return [...keys];
}

function isEmptyContainer(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isObject(v)) return Object.keys(v).every((k) => v[k] === undefined);
  return false;
}

// ---- validation (what AsTyped rejects in an applied configuration) ----

/**
 * Checks list keys (and, unless allowDuplicates, duplicate elements) the way upstream validates an
 * object it converts for server-side apply.
 */
export function validateTyped(value: unknown, node: TypeNode, allowDuplicates = false): void {
  const errors: { path: string; message: string }[] = [];
  // One path, grown and shrunk as the walk goes (read only for an error's message); a field is
  // kept as its name until then.
  const path: (PathElement | string)[] = [];
  const where = () => pathString(path.map((pe) => (typeof pe === 'string' ? { field: pe } : pe)));
  const walk = (v: unknown, n: TypeNode) => {
    const r = resolve(n, v);
    if (r.k === 'leaf' || v === null || v === undefined) return;
    if (r.k === 'map') {
      if (!isObject(v)) return;
      for (const k in v) {
        const x = v[k];
        // A scalar needs no walk: it is a leaf whatever its node.
        if (x === undefined || x === null || typeof x !== 'object') continue;
        path.push(k);
        walk(x, childNode(n, k).node);
        path.pop();
      }
      return;
    }
    if (!Array.isArray(v)) return;
    const seen = new Set<string>();
    for (let i = 0; i < v.length; i++) {
      const item = v[i];
      const pe = listItemPE(r.node, item);
      if (typeof pe === 'string') {
        errors.push({ path: where(), message: `element ${i}: ${pe}` });
        continue;
      }
      const key = serializePE(pe);
      if (seen.has(key)) {
        if (allowDuplicates) continue;
        errors.push({ path: where(), message: `duplicate entries for key ${peString(pe)}` });
        continue;
      }
      seen.add(key);
      path.push(pe);
      walk(item, r.node.elem);
      path.pop();
    }
  };
  walk(value, node);
  if (errors.length > 0) throw new TypedValueError(errors);
}

// ---- ToFieldSet ----

/** The set of fields an object specifies: leaves, list elements, map entries and empty containers. */
export function toFieldSet(value: unknown, node: TypeNode): FieldSet {
  const set = new FieldSet();
  const walk = (v: unknown, n: TypeNode, path: PathElement[]) => {
    const r = resolve(n, v);
    if (r.k === 'leaf') {
      set.insert(path);
      return;
    }
    if (r.k === 'map') {
      if (!isObject(v)) return;
      for (const k of Object.keys(v)) {
        const cv = v[k];
        if (cv === undefined) continue;
        const child = childNode(n, k);
        const cp = [...path, { field: k }];
        walk(cv, child.node, cp);
        if (cv === null || (isObject(cv) && isEmptyContainer(cv)) || !child.named) set.insert(cp);
      }
      return;
    }
    if (!Array.isArray(v)) return;
    const pes: (PathElement | undefined)[] = v.map((item) => {
      const pe = listItemPE(r.node, item);
      return typeof pe === 'string' ? undefined : pe;
    });
    const counts = new Map<string, number>();
    for (const pe of pes) if (pe) counts.set(serializePE(pe), (counts.get(serializePE(pe)) ?? 0) + 1);
    const dupInserted = new Set<string>();
    v.forEach((item, i) => {
      const pe = pes[i];
      if (!pe) return;
      const key = serializePE(pe);
      const cp = [...path, pe];
      if ((counts.get(key) ?? 0) > 1) {
        // Duplicated elements are owned as a whole, without their contents.
        if (!dupInserted.has(key)) set.insert(cp);
        dupInserted.add(key);
        return;
      }
      walk(item, r.node.elem, cp);
      set.insert(cp);
    });
  };
  walk(value, node, []);
  return set;
}

// ---- Compare ----

/** The fields the right-hand object removed, modified and added relative to the left (Comparison). */
export interface Comparison {
  removed: FieldSet;
  modified: FieldSet;
  added: FieldSet;
}

/**
 * compare(withZeroFields(lhs), withZeroFields(rhs)), without zero-filling and walking the parts both
 * objects share: a subtree equal in both fills the same way, so it can differ in nothing. Zero
 * fields are added one level at a time, only where the walk goes on; leaves that differ, and lists
 * with duplicated elements, are compared fully filled, as compare sees them. Most writes change a
 * small part of an object (a status, a label), so most of it is only checked for equality.
 */
export function compareWithZeroFields(lhs: unknown, rhs: unknown, node: TypeNode): Comparison {
  return compareTyped(lhs, false, rhs, false, node);
}

/** Compares two objects field by field (TypedValue.Compare). */
export function compare(lhs: unknown, rhs: unknown, node: TypeNode): Comparison {
  return compareTyped(lhs, true, rhs, true, node);
}

/**
 * The walk behind both: lhs and rhs as they are (final), or as withZeroFields would make them
 * (filled on the way). Equal subtrees are skipped either way: they differ in nothing.
 */
function compareTyped(lhs: unknown, lhsFinal: boolean, rhs: unknown, rhsFinal: boolean, node: TypeNode): Comparison {
  const c: Comparison = { removed: new FieldSet(), modified: new FieldSet(), added: new FieldSet() };
  // A value is "final" once withZeroFields would leave it as it is (zero values it inserted, and
  // what lies under a node that is neither struct nor map).
  const full = (v: unknown, final: boolean, n: TypeNode) => (final ? v : withZeroFields(v, n));
  const leaf = (l: unknown, r: unknown, path: Path) => {
    if (l === undefined) c.added.insert(path);
    else if (r === undefined) c.removed.insert(path);
    else if (!valuesEqual(l, r)) c.modified.insert(path);
  };
  // One path, grown and shrunk as the walk goes; FieldSet.insert keeps only its elements.
  const path: PathElement[] = [];
  const walk = (l: unknown, lf: boolean, r: unknown, rf: boolean, n: TypeNode) => {
    if (lf === rf && jsonEqual(l, r)) return;
    const lz = lf ? l : zeroFillLevel(l, n);
    const rz = rf ? r : zeroFillLevel(r, n);
    const res = resolve(n, lz, rz);
    let isLeaf = res.k === 'leaf';
    if (res.k === 'map') {
      if (isEmptyContainer(lz) && isEmptyContainer(rz)) isLeaf = true;
      else
        for (const k of mapKeys(lz, rz)) {
          const lv = isObject(lz) ? lz[k] : undefined;
          const rv = isObject(rz) ? rz[k] : undefined;
          path.push({ field: k });
          walk(lv, childFinal(l, lf, n, k), rv, childFinal(r, rf, n, k), childNode(n, k).node);
          path.pop();
        }
    } else if (res.k === 'list') {
      if (isEmptyContainer(lz) && isEmptyContainer(rz)) isLeaf = true;
      // withZeroFields walks the items of a list node (res.node is n).
      else compareList(lz, lf, rz, rf, res.node);
    }
    if (isLeaf) {
      leaf(full(l, lf, n), full(r, rf, n), path);
      return;
    }
    if (l === undefined) c.added.insert(path);
    else if (r === undefined) c.removed.insert(path);
  };
  const compareList = (l: unknown, lf: boolean, r: unknown, rf: boolean, n: Extract<TypeNode, { t: 'list' }>) => {
    const index = (list: unknown, final: boolean) => {
      const byKey = new Map<string, { pe: PathElement; items: unknown[] }>();
      const order: string[] = [];
      if (Array.isArray(list))
        for (const item of list) {
          // Key fields may be zero fields: the element's key is read from its filled first level.
          const pe = listItemPE(n, final ? item : zeroFillLevel(item, n.elem));
          if (typeof pe === 'string') continue;
          const k = serializePE(pe);
          const e = byKey.get(k);
          if (e) e.items.push(item);
          else {
            byKey.set(k, { pe, items: [item] });
            order.push(k);
          }
        }
      return { byKey, order };
    };
    const li = index(l, lf);
    const ri = index(r, rf);
    const all = [...li.order, ...ri.order.filter((k) => !li.byKey.has(k))];
    for (const k of all) {
      const le = li.byKey.get(k);
      const re = ri.byKey.get(k);
      const pe = (le ?? re)!.pe;
      const lList = le?.items ?? [];
      const rList = re?.items ?? [];
      path.push(pe);
      if (lList.length <= 1 && rList.length <= 1) walk(lList[0], lf, rList[0], rf, n.elem);
      else if (lList.length >= 2 && rList.length >= 2) {
        const equal = lList.length === rList.length && lList.every((x, i) => valuesEqual(full(x, lf, n.elem), full(rList[i], rf, n.elem)));
        if (!equal) c.modified.insert(path);
      } else if (lList.length >= 2) {
        if (rList.length !== 0) walk(undefined, lf, rList[0], rf, n.elem);
        c.removed.insert(path);
      } else {
        if (lList.length !== 0) walk(lList[0], lf, undefined, rf, n.elem);
        c.added.insert(path);
      }
      path.pop();
    }
  };
  walk(lhs, lhsFinal, rhs, rhsFinal, node);
  return c;
}

/** One level of withZeroFields: a struct gains its missing zero fields (as they are, final). */
function zeroFillLevel(v: unknown, n: TypeNode): unknown {
  if (n.t !== 'struct' || !isObject(v)) return v;
  const zero = n.schema.zeroValue?.();
  if (!zero) return v;
  let out: Record<string, unknown> | undefined;
  for (const k in zero) {
    if (v[k] !== undefined) continue;
    out ??= { ...v };
    out[k] = zero[k];
  }
  return out ?? v;
}

/**
 * Whether withZeroFields leaves the value under key k of v (at node n) as it is: zero fields it
 * inserted are, and so is everything under a node that is neither struct nor map.
 */
function childFinal(v: unknown, final: boolean, n: TypeNode, k: string): boolean {
  if (final) return true;
  if (!isObject(v) || v[k] === undefined) return true;
  return n.t !== 'struct' && n.t !== 'map';
}

// ---- Merge ----

/** Merges an applied configuration (rhs) into a live object (lhs) (TypedValue.Merge). */
export function merge(lhs: unknown, rhs: unknown, node: TypeNode): unknown {
  const errors: { path: string; message: string }[] = [];
  const walk = (l: unknown, r: unknown, n: TypeNode, path: PathElement[]): unknown => {
    const res = resolve(n, l, r);
    if (res.k === 'map' && !(isEmptyContainer(l) && isEmptyContainer(r))) {
      const out: Record<string, unknown> = {};
      for (const k of mapKeys(l, r)) {
        const lv = isObject(l) ? l[k] : undefined;
        const rv = isObject(r) ? r[k] : undefined;
        const m = walk(lv, rv, childNode(n, k).node, [...path, { field: k }]);
        if (m !== undefined) out[k] = m;
      }
      return Object.keys(out).length > 0 ? out : undefined;
    }
    if (res.k === 'list' && !(isEmptyContainer(l) && isEmptyContainer(r))) return mergeList(l, r, res.node, path);
    return r !== undefined ? clone(r) : clone(l);
  };
  const mergeList = (l: unknown, r: unknown, n: Extract<TypeNode, { t: 'list' }>, path: PathElement[]): unknown => {
    const lhs = Array.isArray(l) ? l : [];
    const rhs = Array.isArray(r) ? r : [];
    const index = (list: unknown[], allowDuplicates: boolean) => {
      const pes: PathElement[] = [];
      const positions: number[] = [];
      const observed = new Map<string, unknown>();
      list.forEach((item, i) => {
        const pe = listItemPE(n, item);
        if (typeof pe === 'string') {
          errors.push({ path: pathString(path), message: `element ${i}: ${pe}` });
          return;
        }
        const k = serializePE(pe);
        if (observed.has(k) && !allowDuplicates) {
          errors.push({ path: pathString(path), message: `duplicate entries for key ${peString(pe)}` });
          return;
        }
        // A duplicated live element is not merged with the new value: it stands as null.
        observed.set(k, observed.has(k) ? null : item);
        pes.push(pe);
        positions.push(i);
      });
      return { pes, positions, observed };
    };
    const R = index(rhs, false);
    const L = index(lhs, true);
    if (errors.length > 0) return undefined;
    const key = serializePE;
    const shared = R.pes.filter((pe) => L.observed.has(key(pe)));
    let next: PathElement | undefined = shared.shift();
    const mergedRHS = new Set<string>();
    const out: unknown[] = [];
    const push = (v: unknown) => {
      if (v !== undefined) out.push(v);
    };
    let lI = 0;
    let rI = 0;
    while (lI < L.pes.length || rI < R.pes.length) {
      if (lI < L.pes.length && rI < R.pes.length) {
        const pe = L.pes[lI];
        if (key(pe) === key(R.pes[rI])) {
          mergedRHS.add(key(pe));
          push(walk(L.observed.get(key(pe)), R.observed.get(key(pe)), n.elem, [...path, pe]));
          lI++;
          rI++;
          next = shared.shift();
          continue;
        }
        if (R.observed.has(key(pe)) && next !== undefined && key(next) !== key(pe)) {
          lI++;
          continue;
        }
      }
      if (lI < L.pes.length) {
        const pe = L.pes[lI];
        if (!R.observed.has(key(pe))) {
          push(walk(lhs[L.positions[lI]], undefined, n.elem, [...path, pe]));
          lI++;
          continue;
        } else if (mergedRHS.has(key(pe))) {
          lI++;
        }
      }
      if (rI < R.pes.length) {
        const pe = R.pes[rI];
        mergedRHS.add(key(pe));
        const lChild = L.observed.has(key(pe)) ? L.observed.get(key(pe)) : undefined;
        push(walk(lChild, R.observed.get(key(pe)), n.elem, [...path, pe]));
        rI++;
        if (next !== undefined && key(next) === key(pe)) next = shared.shift();
      }
    }
    return out.length > 0 ? out : undefined;
  };
  const out = walk(lhs, rhs, node, []);
  if (errors.length > 0) throw new TypedValueError(errors);
  return out;
}

// ---- RemoveItems ----

/**
 * Removes the given fields (TypedValue.RemoveItems). A container left empty becomes null, as
 * upstream's removing walker leaves it; callers decide what a null means for the stored object.
 */
export function removeItems(value: unknown, toRemove: FieldSet, node: TypeNode): unknown {
  const walk = (v: unknown, set: FieldSet, n: TypeNode): unknown => {
    const res = resolve(n, v);
    if (res.k === 'leaf') {
      if (n.t === 'scalar' || (n.t === 'deduced' && !Array.isArray(v) && !isObject(v))) return v;
      // An atomic list or map under a removal loses its contents.
      if (Array.isArray(v) || isObject(v)) return null;
      return v;
    }
    if (res.k === 'map') {
      if (!isObject(v) || isEmptyContainer(v)) return null;
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v)) {
        if (v[k] === undefined) continue;
        const pe: PathElement = { field: k };
        if (set.has([pe])) continue;
        const sub = set.withPrefix(pe);
        out[k] = sub.empty() ? v[k] : walk(v[k], sub, childNode(n, k).node);
      }
      return Object.keys(out).length > 0 ? out : null;
    }
    if (!Array.isArray(v) || v.length === 0) return null;
    const items: unknown[] = [];
    for (const item of v) {
      const pe = listItemPE(res.node, item);
      if (typeof pe === 'string') {
        items.push(item);
        continue;
      }
      if (set.has([pe])) continue;
      const sub = set.withPrefix(pe);
      items.push(sub.empty() ? item : walk(item, sub, res.node.elem));
    }
    return items.length > 0 ? items : null;
  };
  if (toRemove.empty()) return value;
  return walk(value, toRemove, node);
}

/** Adds every named struct field that has children as a member too (Set.EnsureNamedFieldsAreMembers). */
export function ensureNamedFieldsAreMembers(set: FieldSet, node: TypeNode): FieldSet {
  const out = new FieldSet();
  for (const pe of set.memberElements()) out.addMember(pe);
  for (const c of set.childElements()) {
    let cn: TypeNode = DEDUCED;
    if ('field' in c.pe) {
      if (node.t === 'struct' && node.schema.field(c.pe.field)) out.addMember(c.pe);
      cn = node.t === 'struct' || node.t === 'map' ? childNode(node, c.pe.field).node : DEDUCED;
    } else if ('key' in c.pe && node.t === 'list') {
      cn = node.elem;
    }
    out.setChild(c.pe, ensureNamedFieldsAreMembers(c.set, cn));
  }
  return out;
}

// ---- Go zero values ----

/**
 * The object as Go would encode it after decoding into its types: every struct gains the fields of
 * its zero value (non-pointer structs as {}, fields without omitempty as null or their zero). Used
 * so that comparisons see the same "present" fields that upstream's typed objects have.
 */
export function withZeroFields(value: unknown, node: TypeNode): unknown {
  const walk = (v: unknown, n: TypeNode): unknown => {
    if (Array.isArray(v)) {
      if (n.t !== 'list') return v.map((x) => clone(x));
      return v.map((x) => walk(x, n.elem));
    }
    if (!isObject(v)) return v;
    const out: Record<string, unknown> = {};
    if (n.t === 'struct') {
      const zero = n.schema.zeroValue?.();
      for (const [k, z] of Object.entries(zero ?? {})) if (v[k] === undefined) out[k] = clone(z);
    }
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined) continue;
      out[k] = n.t === 'struct' || n.t === 'map' ? walk(x, childNode(n, k).node) : clone(x);
    }
    // Keep the caller's key order first, zero fields after, as the order does not matter here.
    return out;
  };
  return walk(value, node);
}

/** A deep copy of a JSON value. */
export const clone = jsonCopy;

// ---- value-only changes ----

function shapeClass(v: unknown): number {
  if (v === undefined) return 0;
  if (v === null) return 1;
  if (Array.isArray(v)) return 3;
  if (typeof v === 'object') return 4;
  return 2;
}

// The top-level metadata fields no manager's set ever holds (stripMeta removes them): whether either
// object has them changes nothing the answer is used for. A patched or status-written object comes
// without the resourceVersion the stored one has.
const UNTRACKED_META = new Set(['managedFields', 'resourceVersion']);

/**
 * The fields compare(withZeroFields(lhs), withZeroFields(rhs)) reports as modified, when it reports
 * nothing added or removed and rhs validates (validateTyped with duplicates allowed); undefined
 * whenever that is not certain. Walks both objects once without copying them: it answers only when
 * both have the same shape (the same keys in every map, the same list lengths with the same
 * element keys in the same order, no duplicated or unkeyable elements, no list key left to a
 * default) and differ only in values. Same-shape objects gain identical zero fields in identical
 * places, so the zero-filled comparison sees exactly the differences of the raw one.
 * metadata.managedFields is left out on both sides, as the field manager compares objects without it.
 */
export function valueOnlyChanges(lhs: unknown, rhs: unknown, node: TypeNode): FieldSet | undefined {
  const modified = new FieldSet();
  // One path, grown and shrunk as the walk goes; FieldSet.insert keeps only its elements.
  const path: PathElement[] = [];
  const walk = (l: unknown, r: unknown, n: TypeNode, skip: boolean): boolean => {
    const cl = shapeClass(l);
    if (cl !== shapeClass(r)) return false;
    if (cl <= 1) return true;
    if (cl === 2) {
      // A scalar anywhere is a leaf.
      if (l !== r) modified.insert(path);
      return true;
    }
    const res = resolve(n, l, r);
    if (res.k === 'leaf') {
      if (!valuesEqual(l, r)) modified.insert(path);
      return true;
    }
    if (cl === 4) {
      if (res.k !== 'map') return false;
      const lo = l as Record<string, unknown>;
      const ro = r as Record<string, unknown>;
      // The same defined keys on both sides: rhs's counted, each of lhs's looked up once.
      let unmatched = 0;
      for (const k in ro) if (ro[k] !== undefined && !(skip && UNTRACKED_META.has(k))) unmatched++;
      const top = path.length === 0;
      // Parts that are different objects are walked first: a status write shares the spec it
      // leaves alone, and when its status changed shape the answer is known without walking the
      // spec. (A shared part is still walked when the rest passes: the answer also says rhs
      // validates.) A walk that fails before the key sets are compared only answers sooner.
      let shared: string[] | undefined;
      for (const k in lo) {
        const a = lo[k];
        if (a === undefined || (skip && UNTRACKED_META.has(k))) continue;
        const b = ro[k];
        if (b === undefined) return false;
        unmatched--;
        if (a === b) {
          (shared ??= []).push(k);
          continue;
        }
        path.push({ field: k });
        const ok = walk(a, b, childNode(n, k).node, top && k === 'metadata');
        path.pop();
        if (!ok) return false;
      }
      if (unmatched !== 0) return false;
      if (shared) {
        for (const k of shared) {
          const v = lo[k];
          path.push({ field: k });
          const ok = walk(v, v, childNode(n, k).node, top && k === 'metadata');
          path.pop();
          if (!ok) return false;
        }
      }
      return true;
    }
    if (res.k !== 'list') return false;
    const la = l as unknown[];
    const ra = r as unknown[];
    if (la.length !== ra.length) return false;
    const keys = res.node.keys;
    const seen = new Set<string>();
    for (let i = 0; i < la.length; i++) {
      if (keys.length > 0) {
        // Same key values, each a scalar: a missing key could be filled by a default or a zero
        // field, and a structured one could gain zero fields.
        const li = la[i];
        const ri = ra[i];
        if (shapeClass(li) !== 4 || shapeClass(ri) !== 4) return false;
        for (const k of keys) {
          const lv = (li as Record<string, unknown>)[k];
          if (shapeClass(lv) !== 2 || lv !== (ri as Record<string, unknown>)[k]) return false;
        }
      }
      const pe = listItemPE(res.node, ra[i]);
      if (typeof pe === 'string') return false;
      const key = serializePE(pe);
      if (seen.has(key)) return false;
      seen.add(key);
      if (keys.length === 0) {
        // A set element is its own key: any change is a removal and an addition.
        if (la[i] !== ra[i]) return false;
        continue;
      }
      path.push(pe);
      const ok = walk(la[i], ra[i], res.node.elem, false);
      path.pop();
      if (!ok) return false;
    }
    return true;
  };
  return walk(lhs, rhs, node, false) ? modified : undefined;
}
