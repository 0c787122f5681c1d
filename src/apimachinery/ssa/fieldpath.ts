// Field paths and field sets, as sigs.k8s.io/structured-merge-diff/v4/fieldpath: the vocabulary
// server-side apply records ownership in. A FieldSet serializes to FieldsV1, the JSON object that
// `kubectl get -o yaml --show-managed-fields` prints ("f:spec", `k:{"name":"nginx"}`, "v:...",
// "i:...", and "." for a node that is itself a member), with keys in upstream's order.

import { BoundedMap } from '../bounded-map.js';
import { jsonEqual } from '../json.js';

/** A JSON value as it appears in an object. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };

/**
 * One step of a path: a struct field or map key, a list-map element selected by its key fields
 * (sorted by name, as upstream's FieldList), a set element selected by value, or an index.
 */
export type PathElement =
  | { readonly field: string }
  | { readonly key: ReadonlyArray<readonly [string, JsonValue]> }
  | { readonly value: JsonValue }
  | { readonly index: number };

/** A path from the object's root. */
export type Path = readonly PathElement[];

/** A field-name path element. */
export function fieldPE(name: string): PathElement {
  return { field: name };
}

/** A list-map key path element; the key fields are sorted by name as upstream does. */
export function keyPE(fields: Iterable<readonly [string, JsonValue]>): PathElement {
  const key = [...fields].sort((a, b) => compareStrings(a[0], b[0]));
  return { key };
}

const SURROGATE = /[\uD800-\uDFFF]/;
const GO_ESCAPED = /[<>&\u2028\u2029]/;

/** Byte-wise string order, as Go's strings.Compare on UTF-8. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  // UTF-16 code unit order differs from UTF-8 byte order only around surrogates.
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : 1;
  const ba = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return Buffer.compare(ba, bb);
}

function kindRank(v: JsonValue): number {
  if (typeof v === 'number') return 0;
  if (typeof v === 'string') return 2;
  if (typeof v === 'boolean') return 3;
  if (Array.isArray(v)) return 4;
  if (v === null) return 6;
  return 5;
}

/** value.Compare: a total order over JSON values (numbers, strings, bools, lists, maps, null). */
export function compareValues(a: JsonValue, b: JsonValue): number {
  const ra = kindRank(a);
  const rb = kindRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  if (typeof a === 'number') return a < (b as number) ? -1 : a > (b as number) ? 1 : 0;
  if (typeof a === 'string') return compareStrings(a, b as string);
  if (typeof a === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (Array.isArray(a)) {
    const bl = b as JsonValue[];
    for (let i = 0; i < Math.min(a.length, bl.length); i++) {
      const c = compareValues(a[i], bl[i]);
      if (c !== 0) return c;
    }
    return a.length === bl.length ? 0 : a.length < bl.length ? -1 : 1;
  }
  if (a === null) return 0;
  const bm = b as Record<string, JsonValue>;
  const ak = Object.keys(a).sort(compareStrings);
  const bk = Object.keys(bm).sort(compareStrings);
  for (let i = 0; i < Math.min(ak.length, bk.length); i++) {
    const c = compareStrings(ak[i], bk[i]);
    if (c !== 0) return c;
    const d = compareValues(a[ak[i]], bm[bk[i]]);
    if (d !== 0) return d;
  }
  return ak.length === bk.length ? 0 : ak.length < bk.length ? -1 : 1;
}

/** value.Equals: deep equality of JSON values (a property holding undefined counts as absent). */
export const valuesEqual: (a: unknown, b: unknown) => boolean = jsonEqual;

/** PathElement.Compare: fields < keys < values < indexes, then by content. */
export function comparePE(a: PathElement, b: PathElement): number {
  if ('field' in a) return 'field' in b ? compareStrings(a.field, b.field) : -1;
  if ('field' in b) return 1;
  if ('key' in a) {
    if (!('key' in b)) return -1;
    for (let i = 0; ; i++) {
      if (i >= a.key.length && i >= b.key.length) return 0;
      if (i >= a.key.length) return -1;
      if (i >= b.key.length) return 1;
      const c = compareStrings(a.key[i][0], b.key[i][0]);
      if (c !== 0) return c;
      const d = compareValues(a.key[i][1], b.key[i][1]);
      if (d !== 0) return d;
    }
  }
  if ('key' in b) return 1;
  if ('value' in a) return 'value' in b ? compareValues(a.value, b.value) : -1;
  if ('value' in b) return 1;
  return a.index < (b as { index: number }).index ? -1 : a.index > (b as { index: number }).index ? 1 : 0;
}

/** JSON as Go's encoding/json writes it: HTML-sensitive characters and U+2028/9 escaped. */
export function goJSON(v: unknown): string {
  const s = JSON.stringify(v);
  // Most JSON has nothing Go escapes beyond what JSON.stringify does.
  if (s !== undefined && !GO_ESCAPED.test(s)) return s;
  return s
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

// List keys repeat endlessly ("name", "type", "Ready", "TCP"): their JSON is kept, up to a bound.
const goStrings = new BoundedMap<string, string>(8192);

function goJSONKeyPart(v: unknown): string {
  if (typeof v !== 'string') return goJSON(v);
  return goStrings.memo(v, goJSON);
}

/** The FieldsV1 key of a path element: "f:name", `k:{"name":"x"}`, "v:<json>", "i:<n>". */
export function serializePE(pe: PathElement): string {
  if ('field' in pe) return `f:${pe.field}`;
  if ('key' in pe) {
    let out = 'k:{';
    for (let i = 0; i < pe.key.length; i++) {
      if (i > 0) out += ',';
      out += `${goJSONKeyPart(pe.key[i][0])}:${goJSONKeyPart(pe.key[i][1])}`;
    }
    return `${out}}`;
  }
  if ('value' in pe) return `v:${goJSON(pe.value)}`;
  return `i:${pe.index}`;
}

/** Parses a FieldsV1 key; undefined for an unknown prefix (which upstream skips). */
export function deserializePE(s: string): PathElement | undefined {
  if (s.length < 2) throw new Error('key must be 2 characters long:');
  if (s[1] !== ':') throw new Error(`missing colon: ${s}`);
  const body = s.slice(2);
  switch (s[0]) {
    case 'f':
      return { field: body };
    case 'v':
      return { value: JSON.parse(body) as JsonValue };
    case 'k': {
      const obj = JSON.parse(body) as unknown;
      if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new Error(`expected an object in ${s}`);
      return keyPE(Object.entries(obj as Record<string, JsonValue>));
    }
    case 'i': {
      if (!/^[+-]?\d+$/.test(body)) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(body)}: invalid syntax`);
      return { index: Number(body) };
    }
    default:
      return undefined;
  }
}

/** value.ToString, used in human-readable paths: strings quoted, numbers and bools bare. */
function valueToString(v: JsonValue): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(valueToString).join(',')}]`;
  return Object.entries(v)
    .map(([k, x]) => `${k}=${valueToString(x)}`)
    .join('');
}

/** PathElement.String: ".name", `[name="x"]`, `[="v"]`, "[0]". */
export function peString(pe: PathElement): string {
  if ('field' in pe) return `.${pe.field}`;
  if ('key' in pe) return `[${pe.key.map(([n, v]) => `${n}=${valueToString(v)}`).join(',')}]`;
  if ('value' in pe) return `[=${valueToString(pe.value)}]`;
  return `[${pe.index}]`;
}

/** Path.String: the concatenated elements, e.g. `.spec.template.spec.containers[name="nginx"].image`. */
export function pathString(p: Path): string {
  return p.map(peString).join('');
}

interface Child {
  pe: PathElement;
  set: FieldSet;
}

const NO_MEMBERS: ReadonlyMap<string, PathElement> = new Map();
const NO_CHILDREN: ReadonlyMap<string, Child> = new Map();
// A member's value in FieldsV1 ({}), frozen, so every encoding shares it.
const LEAF: Readonly<Record<string, unknown>> = Object.freeze({});

/** A mutable deep copy of a frozen encoding. */
function jsonThaw(v: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in v) out[k] = jsonThaw(v[k] as Readonly<Record<string, unknown>>);
  return out;
}

/** Whether two maps have a key in common (walking the smaller). */
function sharesKey(a: ReadonlyMap<string, unknown>, b: ReadonlyMap<string, unknown>): boolean {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const k of small.keys()) if (large.has(k)) return true;
  return false;
}

/**
 * A set of field paths, stored as a tree: the members at this level and the subsets below each
 * child element. A node can be both a member and a parent (FieldsV1 writes that as ".").
 */
export class FieldSet {
  // Most sets built by the operations below are small or empty, and every level of every set had
  // two Maps: a level now shares one empty, never-written map until its first insert.
  private members = NO_MEMBERS as Map<string, PathElement>;
  private children = NO_CHILDREN as Map<string, Child>;
  // Whether this set may write its maps (1 members, 2 children): a map it shares (the empty one,
  // or another set's after an operation) is copied first, so sharing never shows through.
  private owned = 0;
  // This level's FieldsV1 encoding, frozen, and with a "." member first: made once per set and
  // shared by the encodings of every set holding this one as a subtree (operations share the
  // subtrees they leave alone), so encoding a changed set costs only what changed. A write
  // through this level drops them.
  private encoded?: Readonly<Record<string, unknown>>;
  private encodedWithSelf?: Readonly<Record<string, unknown>>;

  /** A set holding the given paths. */
  static of(...paths: Path[]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  /** Adds a path; the empty path (the whole object) is not tracked, as upstream. */
  insert(p: Path): void {
    if (p.length === 0) return;
    let s: FieldSet = this;
    for (let i = 0; i < p.length - 1; i++) {
      s.encoded = s.encodedWithSelf = undefined;
      s = s.descend(p[i]);
    }
    const last = p[p.length - 1];
    s.ownMembers().set(serializePE(last), last);
  }

  private descend(pe: PathElement): FieldSet {
    const k = serializePE(pe);
    let c = this.children.get(k);
    if (!c) {
      c = { pe, set: new FieldSet() };
      this.ownChildren().set(k, c);
    }
    return c.set;
  }

  private ownMembers(): Map<string, PathElement> {
    this.encoded = this.encodedWithSelf = undefined;
    if (!(this.owned & 1)) {
      this.members = new Map(this.members);
      this.owned |= 1;
    }
    return this.members;
  }

  private ownChildren(): Map<string, Child> {
    this.encoded = this.encodedWithSelf = undefined;
    if (!(this.owned & 2)) {
      this.children = new Map(this.children);
      this.owned |= 2;
    }
    return this.children;
  }

  /** Whether the path is a member. */
  has(p: Path): boolean {
    if (p.length === 0) return false;
    let s: FieldSet | undefined = this;
    for (let i = 0; i < p.length - 1 && s; i++) s = s.children.get(serializePE(p[i]))?.set;
    return !!s && s.members.has(serializePE(p[p.length - 1]));
  }

  /** The subset under one child element, without the prefix. */
  withPrefix(pe: PathElement): FieldSet {
    return this.children.get(serializePE(pe))?.set ?? new FieldSet();
  }

  /** True when no path is a member. */
  empty(): boolean {
    if (this.members.size > 0) return false;
    for (const c of this.children.values()) if (!c.set.empty()) return false;
    return true;
  }

  /** The number of member paths. */
  size(): number {
    let n = this.members.size;
    for (const c of this.children.values()) n += c.set.size();
    return n;
  }

  // Sets are values once built (only the code building a fresh set inserts into it), so the
  // operations below share unchanged subtrees with their operands and return an operand itself
  // when the result equals it. A manager's set an update leaves alone thus stays the same object,
  // and its FieldsV1 encoding stays cached (managedfields.ts).

  /** Paths in either set. */
  union(o: FieldSet): FieldSet {
    if (o === this || o.isBare()) return this;
    if (this.isBare()) return o;
    let out: FieldSet | undefined;
    for (const [k, pe] of o.members) {
      if (this.members.has(k)) continue;
      out ??= this.shallowCopy();
      out.ownMembers().set(k, pe);
    }
    for (const [k, oc] of o.children) {
      const c = this.children.get(k);
      const set = c ? c.set.union(oc.set) : oc.set;
      if (c && set === c.set) continue;
      out ??= this.shallowCopy();
      out.ownChildren().set(k, c ? { pe: c.pe, set } : oc);
    }
    return out ?? this;
  }

  /** Paths in both sets. */
  intersection(o: FieldSet): FieldSet {
    const out = new FieldSet();
    if (this.isBare() || o.isBare()) return out;
    for (const [k, pe] of this.members) if (o.members.has(k)) out.ownMembers().set(k, pe);
    for (const [k, c] of this.children) {
      const oc = o.children.get(k);
      if (!oc) continue;
      const i = c.set.intersection(oc.set);
      if (!i.empty()) out.ownChildren().set(k, { pe: c.pe, set: i });
    }
    return out;
  }

  /** Whether some path is in both sets: !intersection(o).empty(), without building it. */
  intersects(o: FieldSet): boolean {
    if (this.isBare() || o.isBare()) return false;
    if (sharesKey(this.members, o.members)) return true;
    for (const [k, c] of this.children) {
      const oc = o.children.get(k);
      if (oc && c.set.intersects(oc.set)) return true;
    }
    return false;
  }

  /** Whether every path of this set is in o: difference(o).empty(), without building it. */
  isSubsetOf(o: FieldSet): boolean {
    if (this === o) return true;
    for (const k of this.members.keys()) if (!o.members.has(k)) return false;
    for (const [k, c] of this.children) {
      const oc = o.children.get(k);
      if (oc ? !c.set.isSubsetOf(oc.set) : !c.set.empty()) return false;
    }
    return true;
  }

  /** Paths in this set and not in o (a member of o does not remove its children: parent - child = parent). */
  difference(o: FieldSet): FieldSet {
    return this.minus(o, false);
  }

  /** As difference, but a member of o also removes everything below it. */
  recursiveDifference(o: FieldSet): FieldSet {
    return this.minus(o, true);
  }

  private minus(o: FieldSet, recursive: boolean): FieldSet {
    if (o.isBare() || this.isBare()) return this;
    // Built only once something is removed; until then the result is this set itself.
    let out: FieldSet | undefined;
    if (sharesKey(this.members, o.members)) {
      out = new FieldSet();
      const kept = out.ownMembers();
      for (const [k, pe] of this.members) if (!o.members.has(k)) kept.set(k, pe);
    }
    // The children that change (undefined: removed), noted first; the map is rebuilt once if any do.
    let changes: Map<string, Child | undefined> | undefined;
    for (const [k, c] of this.children) {
      let next: Child | undefined = c;
      if (recursive && o.members.has(k)) next = undefined;
      else {
        const oc = o.children.get(k);
        if (oc) {
          const d = c.set.minus(oc.set, recursive);
          if (d !== c.set) next = d.empty() ? undefined : { pe: c.pe, set: d };
        }
      }
      if (next !== c) (changes ??= new Map()).set(k, next);
    }
    if (!out && !changes) return this;
    out ??= this.shallowCopy(1);
    if (changes) {
      const children = new Map<string, Child>();
      for (const [k, c] of this.children) {
        const next = changes.has(k) ? changes.get(k) : c;
        if (next) children.set(k, next);
      }
      out.children = children;
      out.owned |= 2;
    } else {
      out.children = this.children;
      this.owned &= ~2;
    }
    return out;
  }

  /**
   * A new set sharing this one's maps (those in mask: 1 members, 2 children) until either writes
   * to them, which copies first.
   */
  private shallowCopy(mask = 3): FieldSet {
    const out = new FieldSet();
    if (mask & 1) {
      out.members = this.members;
      this.owned &= ~1;
    }
    if (mask & 2) {
      out.children = this.children;
      this.owned &= ~2;
    }
    return out;
  }

  /** No members and no children at this level (an empty set, cheaply). */
  private isBare(): boolean {
    return this.members.size === 0 && this.children.size === 0;
  }

  /** True when both sets hold the same paths. */
  equals(o: FieldSet): boolean {
    return this.difference(o).empty() && o.difference(this).empty();
  }

  /** A deep copy. */
  clone(): FieldSet {
    const out = new FieldSet();
    if (this.members.size > 0) out.members = new Map(this.members);
    for (const [k, c] of this.children) out.ownChildren().set(k, { pe: c.pe, set: c.set.clone() });
    out.owned = 3;
    return out;
  }

  /** The member elements at this level, in upstream's order. */
  memberElements(): PathElement[] {
    return [...this.members.values()].sort(comparePE);
  }

  /** The child elements at this level with their subsets, in upstream's order. */
  childElements(): { pe: PathElement; set: FieldSet }[] {
    return [...this.children.values()].sort((a, b) => comparePE(a.pe, b.pe));
  }

  /** Adds a member at this level (used by schema-aware helpers). */
  addMember(pe: PathElement): void {
    this.ownMembers().set(serializePE(pe), pe);
  }

  /** Sets the subset under a child element (used by schema-aware helpers). */
  setChild(pe: PathElement, set: FieldSet): void {
    if (!set.empty()) this.ownChildren().set(serializePE(pe), { pe, set });
  }

  /** Every member path, members before children at each level (upstream's preorder Iterate). */
  paths(): Path[] {
    const out: Path[] = [];
    const walk = (s: FieldSet, prefix: PathElement[]) => {
      for (const pe of s.memberElements()) out.push([...prefix, pe]);
      for (const c of s.childElements()) walk(c.set, [...prefix, c.pe]);
    };
    walk(this, []);
    return out;
  }

  /** One path per line, as Set.String. */
  toString(): string {
    return this.paths().map(pathString).join('\n');
  }

  /** The FieldsV1 object (SetToFields): keys in upstream's order, "." for a member that has children. */
  toFieldsV1(): Record<string, unknown> {
    return jsonThaw(this.encode());
  }

  /** toFieldsV1, deeply frozen: made once per set (and subtree), shared by every caller. */
  encode(): Readonly<Record<string, unknown>> {
    return (this.encoded ??= this.emit(false));
  }

  private encodeWithSelf(): Readonly<Record<string, unknown>> {
    return (this.encodedWithSelf ??= this.emit(true));
  }

  private emit(includeSelf: boolean): Readonly<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    // The maps are keyed by each element's FieldsV1 key already: sort the entries, reuse the keys.
    const members = [...this.members].sort((a, b) => comparePE(a[1], b[1]));
    const children: [string, FieldSet, PathElement][] = [];
    for (const [k, c] of this.children) if (!c.set.empty()) children.push([k, c.set, c.pe]);
    children.sort((a, b) => comparePE(a[2], b[2]));
    if (includeSelf && (members.length > 0 || children.length > 0)) out['.'] = LEAF;
    let mi = 0;
    let ci = 0;
    while (mi < members.length || ci < children.length) {
      const c = mi < members.length && ci < children.length ? comparePE(members[mi]![1], children[ci]![2]) : mi < members.length ? -1 : 1;
      if (c < 0) {
        out[members[mi++]![0]] = LEAF;
      } else if (c > 0) {
        const [k, set] = children[ci++]!;
        out[k] = set.encode();
      } else {
        const [k, set] = children[ci++]!;
        mi++;
        out[k] = set.encodeWithSelf();
      }
    }
    return Object.freeze(out);
  }

  /** Parses a FieldsV1 object (FieldsToSet); throws on a malformed key. */
  static fromFieldsV1(fields: unknown): FieldSet {
    const read = (obj: unknown): { set: FieldSet | undefined; isMember: boolean } => {
      let set: FieldSet | undefined;
      let isMember = false;
      if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
        if (obj === null) return { set: undefined, isMember: true };
        throw new Error(`ReadMapCB: expect { or n, but found ${JSON.stringify(obj)?.[0] ?? ''}`);
      }
      for (const [key, val] of Object.entries(obj as Record<string, unknown>)) {
        if (key === '.') {
          isMember = true;
          continue;
        }
        const pe = deserializePE(key);
        if (!pe) continue;
        const r = read(val);
        if (r.isMember) {
          set ??= new FieldSet();
          set.addMember(pe);
        }
        if (r.set) {
          set ??= new FieldSet();
          const existing = set.children.get(serializePE(pe));
          if (existing) existing.set.mergeFrom(r.set);
          else set.ownChildren().set(serializePE(pe), { pe, set: r.set });
        }
      }
      if (!set) isMember = true;
      return { set, isMember };
    };
    return read(fields ?? {}).set ?? new FieldSet();
  }

  private mergeFrom(o: FieldSet): void {
    const u = this.union(o);
    if (u === this) return;
    this.members = new Map(u.members);
    this.children = new Map(u.children);
    this.owned = 3;
    this.encoded = this.encodedWithSelf = undefined;
  }
}
