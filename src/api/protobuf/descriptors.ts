// Message descriptors compiled once, at load, from the field table in messages.ts, so decoding and
// encoding only index arrays (a few µs per small object).

import {
  ENVELOPE_MESSAGES,
  KINDS,
  MESSAGE_FIELDS,
  META_KINDS_PER_GROUP_VERSION,
  SLICE_MESSAGES,
  UNVERSIONED_META_KINDS,
  WELL_KNOWN_MESSAGES,
} from './messages.js';

/** A proto scalar type as the table names it. */
export type ScalarType = 'string' | 'int32' | 'int64' | 'bool' | 'bytes' | 'double';

/** Messages whose Go type marshals JSON itself (MarshalJSON), so the codec converts them by hand. */
export type WellKnownKind = 'Time' | 'MicroTime' | 'Duration' | 'Quantity' | 'IntOrString' | 'RawExtension' | 'FieldsV1';

/** The type of one value: a scalar or a message. */
export type ValueType = { scalar: ScalarType; message?: undefined } | { scalar?: undefined; message: MessageDescriptor };

/** One field of a message, with the Go facts that decide its wire and JSON forms. */
export interface FieldDescriptor {
  /** JSON name (for inline and json:"-" fields, the proto field name). */
  key: string;
  /** Go field name, as gogo-protobuf's errors print it. */
  goName: string;
  number: number;
  shape: 'single' | 'repeated' | 'map';
  /** The element type (for maps, the value type; keys are always strings in the Kubernetes API). */
  type: ValueType;
  pointer: boolean;
  omitempty: boolean;
  /** Embedded with json:",inline": the sub-message's fields print flattened into this object. */
  inline: boolean;
  /** json:"-": on the wire but never printed. */
  noJson: boolean;
  /** The wire type one element is written with (0 varint, 1 fixed64, 2 length-delimited). */
  wireType: number;
  /** Index in MessageDescriptor.fields. */
  index: number;
}

/** A message: its fields in Go struct order (JSON order) and in field-number order (wire order). */
export interface MessageDescriptor {
  /** Table name, e.g. "apps.v1.Deployment". */
  name: string;
  /** The Go type name, as gogo-protobuf's errors print it: "Deployment". */
  goName: string;
  fields: FieldDescriptor[];
  byNumber: (FieldDescriptor | undefined)[];
  wireOrder: FieldDescriptor[];
  wellKnown?: WellKnownKind;
  /** For a named Go slice type (Verbs, ExtraValue): JSON is the bare array of its `items`. */
  sliceItems?: FieldDescriptor;
}

const WELL_KNOWN_KINDS: Readonly<Record<string, WellKnownKind>> = {
  'meta.v1.Time': 'Time',
  'meta.v1.MicroTime': 'MicroTime',
  'meta.v1.Duration': 'Duration',
  'resource.Quantity': 'Quantity',
  'intstr.IntOrString': 'IntOrString',
  'runtime.RawExtension': 'RawExtension',
  'meta.v1.FieldsV1': 'FieldsV1',
};

const SCALARS = new Set<string>(['string', 'int32', 'int64', 'bool', 'bytes', 'double']);
const FIELD_RE = /^([A-Za-z0-9_]+)(?:\(([A-Za-z0-9_]+)\))?=(\d+)([*?~!]*):(.+)$/;

const TABLE_MESSAGES = new Set(
  [MESSAGE_FIELDS, WELL_KNOWN_MESSAGES, SLICE_MESSAGES, ENVELOPE_MESSAGES].flatMap((table) => Object.keys(table)),
);

const registry = new Map<string, MessageDescriptor>();

function upperFirst(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function shellFor(name: string): MessageDescriptor {
  let d = registry.get(name);
  if (!d) {
    d = { name, goName: name.slice(name.lastIndexOf('.') + 1), fields: [], byNumber: [], wireOrder: [] };
    registry.set(name, d);
  }
  return d;
}

function valueType(type: string): ValueType {
  if (SCALARS.has(type)) return { scalar: type as ScalarType };
  if (!TABLE_MESSAGES.has(type)) throw new Error(`protobuf table: unknown message type ${type}`);
  return { message: shellFor(type) };
}

function wireTypeOf(t: ValueType): number {
  if (t.message) return 2;
  switch (t.scalar) {
    case 'string':
    case 'bytes':
      return 2;
    case 'double':
      return 1;
    default:
      return 0;
  }
}

function parseField(entry: string, index: number, messageName: string): FieldDescriptor {
  const m = FIELD_RE.exec(entry);
  if (!m) throw new Error(`protobuf table: bad field entry ${JSON.stringify(entry)} in ${messageName}`);
  const [, key, goName, number, flags, typeText] = m as unknown as [string, string, string | undefined, string, string, string];
  let shape: FieldDescriptor['shape'] = 'single';
  let elem = typeText;
  if (typeText.startsWith('[]')) {
    shape = 'repeated';
    elem = typeText.slice(2);
  } else if (typeText.startsWith('map<')) {
    shape = 'map';
    const [k, v] = typeText.slice(4, -1).split(',') as [string, string];
    if (k !== 'string') throw new Error(`protobuf table: map key ${k} in ${messageName} is not supported`);
    elem = v;
  }
  const type = valueType(elem);
  return {
    key,
    goName: goName ?? upperFirst(key),
    number: Number(number),
    shape,
    type,
    pointer: flags.includes('*'),
    omitempty: flags.includes('?'),
    inline: flags.includes('~'),
    noJson: flags.includes('!'),
    wireType: shape === 'map' ? 2 : wireTypeOf(type),
    index,
  };
}

function define(name: string, spec: string): void {
  const d = shellFor(name);
  d.fields = (spec === '' ? [] : spec.split(' ')).map((entry, i) => parseField(entry, i, name));
  for (const f of d.fields) {
    if (d.byNumber[f.number]) throw new Error(`protobuf table: ${name} uses field number ${f.number} twice`);
    d.byNumber[f.number] = f;
  }
  d.wireOrder = [...d.fields].sort((a, b) => a.number - b.number);
  const wk = WELL_KNOWN_KINDS[name];
  if (wk) d.wellKnown = wk;
}

for (const [name, spec] of Object.entries(ENVELOPE_MESSAGES)) define(name, spec);
for (const [name, spec] of Object.entries(WELL_KNOWN_MESSAGES)) define(name, spec);
for (const [name, elem] of Object.entries(SLICE_MESSAGES)) {
  define(name, `items=1:[]${elem}`);
  const d = shellFor(name);
  d.sliceItems = d.fields[0];
}
for (const [name, spec] of Object.entries(MESSAGE_FIELDS)) define(name, spec);

/** The descriptor of a table message ("apps.v1.Deployment"), or undefined. */
export function messageDescriptor(name: string): MessageDescriptor | undefined {
  return registry.get(name);
}

const kindsByGroupVersion = new Map<string, Map<string, string>>();
const metaPerGroupVersion = META_KINDS_PER_GROUP_VERSION.split(' ');
const unversionedKinds = new Set(UNVERSIONED_META_KINDS.split(' '));
for (const [gv, [pkg, kinds]] of Object.entries(KINDS)) {
  const m = new Map<string, string>();
  for (const kind of metaPerGroupVersion) m.set(kind, `meta.v1.${kind}`);
  for (const kind of kinds.split(' ')) m.set(kind, `${pkg}.${kind}`);
  kindsByGroupVersion.set(gv, m);
}

/**
 * The message a registered apiVersion/kind is encoded as, or undefined when the scheme does not know
 * it. Unversioned meta kinds (Status, APIResourceList, ...) resolve under any apiVersion, as in
 * runtime.Scheme.New.
 */
export function messageForKind(apiVersion: string, kind: string): MessageDescriptor | undefined {
  const name = kindsByGroupVersion.get(apiVersion)?.get(kind) ?? (unversionedKinds.has(kind) ? `meta.v1.${kind}` : undefined);
  return name === undefined ? undefined : registry.get(name);
}

/** True when the kind's Go struct embeds TypeMeta (every kind but WatchEvent), so JSON carries kind/apiVersion. */
export function hasTypeMeta(d: MessageDescriptor): boolean {
  return d.name !== 'meta.v1.WatchEvent';
}
