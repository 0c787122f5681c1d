// The Kubernetes protobuf serializer (k8s.io/apimachinery/pkg/runtime/serializer/protobuf): the magic
// "k8s\0", then a runtime.Unknown envelope whose raw field holds the typed message. Decoding yields the
// JSON object kube-apiserver's encoding/json would print for the decoded Go struct; encoding writes the
// bytes gogo-protobuf's generated Marshal would (fields in number order, non-pointer scalars always
// written, map keys sorted), so responses and golden bodies compare byte for byte.

import protobuf from 'protobufjs/minimal.js';
import { StatusError, badRequest, internalError } from '../../apimachinery/errors.js';
import { QuantityError, canonicalizeQuantity } from '../../apimachinery/quantity.js';
import { hasTypeMeta, messageDescriptor, messageForKind, type FieldDescriptor, type MessageDescriptor, type ScalarType, type ValueType } from './descriptors.js';
import { GoTimeError, formatGoDuration, formatRFC3339, formatRFC3339Micro, parseGoDuration, parseRFC3339 } from './gotime.js';

type Reader = protobuf.Reader;
type Writer = protobuf.Writer;
type Long = protobuf.Long;

/** The media type kubectl sends typed request bodies in. */
export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';

/** The four bytes every Kubernetes protobuf body starts with: "k8s\0". */
export const PROTOBUF_MAGIC: Readonly<Buffer> = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** kube-apiserver's scheme name, as its "no kind is registered" errors print it. */
const SCHEME_NAME = 'pkg/api/legacyscheme/scheme.go:30';

/** True for application/vnd.kubernetes.protobuf, with or without parameters (e.g. ;stream=watch). */
export function isProtobuf(contentType: string | undefined | null): boolean {
  if (!contentType) return false;
  const semi = contentType.indexOf(';');
  return (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase() === PROTOBUF_CONTENT_TYPE;
}

/**
 * A body that does not decode: a 400 whose message is the protobuf serializer's error, as
 * kube-apiserver reports it. `detail` is that error alone (the handler may wrap it the way
 * transformDecodeError does: `Deployment in version "v1" cannot be handled as a Deployment: <detail>`);
 * apiVersion/kind are set once the envelope named them.
 */
export class ProtobufDecodeError extends StatusError {
  readonly detail: string;
  readonly apiVersion: string | undefined;
  readonly kind: string | undefined;
  constructor(detail: string, apiVersion?: string, kind?: string) {
    super(badRequest(detail).status);
    this.name = 'ProtobufDecodeError';
    this.detail = detail;
    this.apiVersion = apiVersion;
    this.kind = kind;
  }
}

/** The result of decoding a body: the envelope's type and the object as kube-apiserver's JSON. */
export interface DecodedProtobuf {
  apiVersion: string;
  kind: string;
  object: Record<string, unknown>;
}

/** Internal: a decode failure carrying the upstream error text. */
class WireError extends Error {}

function fail(message: string): never {
  throw new WireError(message);
}

const UNKNOWN = messageDescriptor('runtime.Unknown')!;

/**
 * Decodes a protobuf request body into the JSON object kube-apiserver would have decoded.
 * `defaults` fills an empty apiVersion or kind in the envelope, as the serializer's defaulting GVK
 * (from the request path) does. Every failure is a ProtobufDecodeError (400).
 */
export function decodeKubernetesProtobuf(body: Uint8Array, defaults?: { apiVersion?: string; kind?: string }): DecodedProtobuf {
  let apiVersion: string | undefined;
  let kind: string | undefined;
  try {
    if (body.length === 0) fail('empty data');
    if (!hasMagic(body)) {
      fail('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
    }
    if (body.length === PROTOBUF_MAGIC.length) fail('empty body');
    const envelope = decodeMessage(body.subarray(PROTOBUF_MAGIC.length), UNKNOWN);
    const typeMeta = envelope[0] as unknown[] | undefined;
    const envelopeApiVersion = (typeMeta?.[0] as string | undefined) ?? '';
    const envelopeKind = (typeMeta?.[1] as string | undefined) ?? '';
    kind = envelopeKind || defaults?.kind || '';
    apiVersion = envelopeApiVersion || defaults?.apiVersion || '';
    const typeMetaText = () => `runtime.TypeMeta{APIVersion:${JSON.stringify(envelopeApiVersion)}, Kind:${JSON.stringify(envelopeKind)}}`;
    if (!kind) fail(`Object 'Kind' is missing in '${typeMetaText()}'`);
    if (!apiVersion) fail(`Object 'apiVersion' is missing in '${typeMetaText()}'`);
    const d = messageForKind(apiVersion, kind);
    if (!d) fail(`no kind ${JSON.stringify(kind)} is registered for version ${JSON.stringify(apiVersion)} in scheme ${JSON.stringify(SCHEME_NAME)}`);
    const raw = (envelope[1] as Uint8Array | undefined) ?? new Uint8Array(0);
    const fields = decodeMessage(raw, d);
    const object: Record<string, unknown> = hasTypeMeta(d) ? { kind, apiVersion } : {};
    writeJSONFields(d, fields, object);
    return { apiVersion, kind, object };
  } catch (e) {
    throw new ProtobufDecodeError(failureText(e), apiVersion, kind);
  }
}

function hasMagic(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x6b && b[1] === 0x38 && b[2] === 0x73 && b[3] === 0x00;
}

/** Upstream's text for a failure inside the decoder; anything unexpected is a bug and is rethrown. */
function failureText(e: unknown): string {
  if (e instanceof WireError || e instanceof GoTimeError || e instanceof QuantityError) return e.message;
  if (e instanceof ProtobufDecodeError) return e.detail;
  // protobufjs reports reading past the end as a RangeError, like Go's io.ErrUnexpectedEOF.
  if (e instanceof RangeError) return 'unexpected EOF';
  if (e instanceof Error && e.message === 'invalid varint encoding') return 'proto: integer overflow';
  // A length past 2^31: Go reads it as a large int whose end lies beyond the data.
  if (e instanceof Error && e.message === 'invalid length encoding') return 'unexpected EOF';
  throw e;
}

/**
 * Decodes one typed message (no envelope) given its table name, e.g. "apps.v1.DeploymentSpec", into
 * its JSON form. For tests and for callers that hold a bare message.
 */
export function decodeMessageJSON(messageName: string, bytes: Uint8Array): unknown {
  const d = messageDescriptor(messageName);
  if (!d) throw new Error(`unknown protobuf message ${messageName}`);
  try {
    const r = protobuf.Reader.create(bytes);
    return elementJSON({ message: d }, readMessageBody(r, d, bytes.length));
  } catch (e) {
    throw new ProtobufDecodeError(failureText(e));
  }
}

// ---- wire → decoded Go-shaped values ------------------------------------------------------------
//
// A regular message decodes into an array indexed by field index (undefined = never on the wire,
// i.e. the Go zero value); repeated fields into arrays, maps into Maps. Well-known messages decode
// straight to their final JSON value (never undefined, so "set" stays distinguishable from "unset").

function decodeMessage(bytes: Uint8Array, d: MessageDescriptor): unknown[] {
  const r = protobuf.Reader.create(bytes);
  const fields: unknown[] = [];
  decodeInto(r, bytes.length, d, fields);
  return fields;
}

function decodeInto(r: Reader, end: number, d: MessageDescriptor, fields: unknown[]): void {
  const outerLen = r.len;
  // Bounding the reader to this message makes a read past its end fail like Go's sub-slice does.
  r.len = end;
  try {
    while (r.pos < end) {
      const tag = r.uint32();
      const number = tag >>> 3;
      const wire = tag & 7;
      if (wire === 4) fail(`proto: ${d.goName}: wiretype end group for non-group`);
      if (number <= 0) fail(`proto: ${d.goName}: illegal tag ${number} (wire type ${wire})`);
      const f = d.byNumber[number];
      if (!f) {
        skipField(r, wire);
        continue;
      }
      if (f.shape === 'repeated' && wire === 2 && f.wireType !== 2) {
        // A packed repeated scalar: gogo accepts both encodings.
        const packedEnd = lengthDelimitedEnd(r);
        const list = (fields[f.index] ??= []) as unknown[];
        while (r.pos < packedEnd) list.push(readScalar(r, f.type.scalar!));
        continue;
      }
      if (wire !== f.wireType) fail(`proto: wrong wireType = ${wire} for field ${f.goName}`);
      if (f.shape === 'map') {
        readMapEntry(r, f, (fields[f.index] ??= new Map()) as Map<string, unknown>);
      } else if (f.shape === 'repeated') {
        ((fields[f.index] ??= []) as unknown[]).push(readValue(r, f.type, undefined, d.wellKnown === 'Duration'));
      } else {
        fields[f.index] = readValue(r, f.type, fields[f.index], d.wellKnown === 'Duration');
      }
    }
  } finally {
    r.len = outerLen;
  }
}

function lengthDelimitedEnd(r: Reader): number {
  const length = r.uint32();
  const end = r.pos + length;
  if (end > r.len) fail('unexpected EOF');
  return end;
}

/** Skips one unknown field whose tag was just read, groups included, as gogo's skipGenerated does. */
function skipField(r: Reader, wire: number): void {
  let depth = 0;
  for (;;) {
    switch (wire) {
      case 0:
        r.skip();
        break;
      case 1:
        r.skip(8);
        break;
      case 2:
        r.pos = lengthDelimitedEnd(r);
        break;
      case 3:
        depth++;
        break;
      case 4:
        if (depth === 0) fail('proto: unexpected end of group');
        depth--;
        break;
      case 5:
        r.skip(4);
        break;
      default:
        fail(`proto: illegal wireType ${wire}`);
    }
    if (depth === 0) return;
    wire = r.uint32() & 7;
  }
}

function longToNumber(v: Long | number): number {
  // Long#toNumber's arithmetic: exact up to 2^53, like JSON numbers everywhere else in skiff.
  return typeof v === 'number' ? v : v.high * 4294967296 + (v.low >>> 0);
}

function bigIntToLong(v: bigint): Long {
  const bits = BigInt.asUintN(64, v);
  return { low: Number(bits & 0xffffffffn) | 0, high: Number(bits >> 32n) | 0, unsigned: false };
}

function longToBigInt(v: Long | number): bigint {
  if (typeof v === 'number') return BigInt(v);
  return BigInt.asIntN(64, (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0));
}

function readScalar(r: Reader, t: ScalarType, exactInt64 = false): unknown {
  switch (t) {
    case 'string':
      return r.string();
    case 'int32':
      return r.int32();
    case 'int64':
      return exactInt64 ? longToBigInt(r.int64()) : longToNumber(r.int64());
    case 'bool':
      return r.bool();
    case 'bytes':
      return r.bytes();
    case 'double':
      return r.double();
  }
}

/** One element: a scalar, or a length-delimited message (merged into `previous`, as Go's Unmarshal does). */
function readValue(r: Reader, t: ValueType, previous: unknown, exactInt64: boolean): unknown {
  if (t.scalar) return readScalar(r, t.scalar, exactInt64);
  const end = lengthDelimitedEnd(r);
  return readMessageBody(r, t.message, end, previous);
}

function readMessageBody(r: Reader, d: MessageDescriptor, end: number, previous?: unknown): unknown {
  const start = r.pos;
  if (d.wellKnown) {
    const fields: unknown[] = [];
    decodeInto(r, end, d, fields);
    return wellKnownJSON(d, fields, end - start);
  }
  if (d.sliceItems) {
    const fields: unknown[] = [];
    decodeInto(r, end, d, fields);
    return (fields[0] as unknown[] | undefined) ?? [];
  }
  const fields = Array.isArray(previous) ? (previous as unknown[]) : [];
  decodeInto(r, end, d, fields);
  return fields;
}

function readMapEntry(r: Reader, f: FieldDescriptor, map: Map<string, unknown>): void {
  const end = lengthDelimitedEnd(r);
  const outerLen = r.len;
  r.len = end;
  let key = '';
  let value: unknown;
  try {
    while (r.pos < end) {
      const tag = r.uint32();
      const number = tag >>> 3;
      if (number === 1) key = r.string();
      else if (number === 2) value = readValue(r, f.type, undefined, false);
      else skipField(r, tag & 7);
    }
  } finally {
    r.len = outerLen;
  }
  map.set(key, value);
}

// ---- the Go types that print their own JSON ------------------------------------------------------

/** JSON of a well-known message from its decoded wire fields (in WELL_KNOWN_MESSAGES order). */
function wellKnownJSON(d: MessageDescriptor, f: unknown[], byteLength: number): unknown {
  switch (d.wellKnown) {
    case 'Time':
      // Time.Unmarshal: empty bytes are the zero time (JSON null); nanoseconds are dropped.
      return byteLength === 0 ? null : formatRFC3339((f[0] as number | undefined) ?? 0);
    case 'MicroTime': {
      if (byteLength === 0) return null;
      const nanos = (f[1] as number | undefined) ?? 0;
      return formatRFC3339Micro({ seconds: (f[0] as number | undefined) ?? 0, nanos: nanos - (nanos % 1000) });
    }
    case 'Duration':
      return formatGoDuration((f[0] as bigint | undefined) ?? 0n);
    case 'Quantity':
      // Quantity.Unmarshal parses the string, so the JSON is its canonical String().
      return f[0] === undefined ? '0' : canonicalQuantity(f[0] as string);
    case 'IntOrString': {
      const type = (f[0] as number | undefined) ?? 0;
      if (type === 1) return (f[2] as string | undefined) ?? '';
      if (type === 0) return (f[1] as number | undefined) ?? 0;
      return fail('impossible IntOrString.Type');
    }
    case 'RawExtension':
    case 'FieldsV1':
      return f[0] === undefined ? null : embeddedJSON(f[0] as Uint8Array, d.wellKnown);
    default:
      throw new Error(`unhandled well-known message ${d.name}`);
  }
}

/** Quantity strings repeat ("100m", "1Gi"), and parsing one costs more than the rest of a field. */
const canonicalQuantities = new Map<string | number, string>();

function canonicalQuantity(q: string | number): string {
  let c = canonicalQuantities.get(q);
  if (c === undefined) {
    c = canonicalizeQuantity(q);
    if (canonicalQuantities.size >= 4096) canonicalQuantities.clear();
    canonicalQuantities.set(q, c);
  }
  return c;
}

/** The JSON of a well-known message that never appeared on the wire (the Go zero value's MarshalJSON). */
function wellKnownZero(d: MessageDescriptor): unknown {
  switch (d.wellKnown) {
    case 'Duration':
      return '0s';
    case 'Quantity':
      return '0';
    case 'IntOrString':
      return 0;
    default:
      return null;
  }
}

/** RawExtension/FieldsV1 bytes: embedded JSON, or an embedded protobuf object (watch events, lists). */
function embeddedJSON(raw: Uint8Array, typeName: string): unknown {
  if (hasMagic(raw)) {
    return decodeKubernetesProtobuf(raw).object;
  }
  const text = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const detail = text.trim() === '' ? 'unexpected end of JSON input' : `invalid character ${JSON.stringify(text.trim()[0])} looking for beginning of value`;
    return fail(`json: error calling MarshalJSON for type ${typeName === 'FieldsV1' ? 'v1.FieldsV1' : 'runtime.RawExtension'}: ${detail}`);
  }
}

// ---- decoded values → JSON, as encoding/json prints the Go struct -------------------------------

const OMIT = Symbol('omit');

const SCALAR_ZERO: Readonly<Record<ScalarType, unknown>> = { string: '', int32: 0, int64: 0, bool: false, bytes: undefined, double: 0 };

function writeJSONFields(d: MessageDescriptor, fields: unknown[] | undefined, out: Record<string, unknown>): void {
  for (const f of d.fields) {
    if (f.noJson) continue;
    const v = fields?.[f.index];
    if (f.inline) {
      writeJSONFields(f.type.message!, v as unknown[] | undefined, out);
      continue;
    }
    const json = fieldJSON(f, v);
    if (json !== OMIT) out[f.key] = json;
  }
}

function nilJSON(f: FieldDescriptor): unknown {
  return f.omitempty ? OMIT : null;
}

function fieldJSON(f: FieldDescriptor, v: unknown): unknown {
  const t = f.type;
  if (f.shape === 'repeated') {
    const list = v as unknown[] | undefined;
    return list && list.length > 0 ? list.map((e) => elementJSON(t, e)) : nilJSON(f);
  }
  if (f.shape === 'map') {
    const map = v as Map<string, unknown> | undefined;
    if (!map || map.size === 0) return nilJSON(f);
    const out: Record<string, unknown> = {};
    for (const key of [...map.keys()].sort(compareGoStrings)) out[key] = elementJSON(t, map.get(key));
    return out;
  }
  if (t.message?.sliceItems) {
    const list = v as unknown[] | undefined;
    return list && list.length > 0 ? elementJSON(t, list) : nilJSON(f);
  }
  if (f.pointer) return v === undefined ? nilJSON(f) : elementJSON(t, v);
  if (t.scalar === 'bytes') {
    // A []byte is a slice: nil when absent, omitted when empty under omitempty.
    if (v === undefined) return nilJSON(f);
    return (v as Uint8Array).length === 0 && f.omitempty ? OMIT : elementJSON(t, v);
  }
  if (t.scalar) {
    const value = v ?? SCALAR_ZERO[t.scalar];
    return f.omitempty && (value === '' || value === 0 || value === false) ? OMIT : value;
  }
  // A non-pointer struct: encoding/json never omits it, omitempty or not.
  return elementJSON(t, v);
}

function elementJSON(t: ValueType, v: unknown): unknown {
  if (t.scalar) {
    if (t.scalar === 'bytes') return v === undefined ? null : base64(v as Uint8Array);
    return v ?? SCALAR_ZERO[t.scalar];
  }
  const d = t.message;
  if (d.wellKnown) return v === undefined ? wellKnownZero(d) : v;
  if (d.sliceItems) {
    const list = v as unknown[] | undefined;
    return list && list.length > 0 ? list.map((e) => elementJSON(d.sliceItems!.type, e)) : null;
  }
  const out: Record<string, unknown> = {};
  writeJSONFields(d, v as unknown[] | undefined, out);
  return out;
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Go's string order (bytewise UTF-8), which gogo's sorted map keys and encoding/json both use. */
function compareGoStrings(a: string, b: string): number {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(a) && /^[\x00-\x7f]*$/.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

// ---- JSON → wire ---------------------------------------------------------------------------------

/**
 * Encodes a JSON object of a registered kind as a protobuf body (magic + runtime.Unknown), as
 * kube-apiserver's protobuf serializer writes it. Lists (DeploymentList), Status (any apiVersion) and
 * WatchEvent (whose `object` may be a Uint8Array of an already-encoded body) work alike.
 */
export function encodeKubernetesProtobuf(obj: Record<string, unknown>, apiVersion: string, kind: string): Buffer {
  const d = messageForKind(apiVersion, kind);
  if (!d) {
    throw internalError(new Error(`no kind ${JSON.stringify(kind)} is registered for version ${JSON.stringify(apiVersion)} in scheme ${JSON.stringify(SCHEME_NAME)}`));
  }
  const raw = encodeMessage(d, obj);
  const w = protobuf.Writer.create();
  w.uint32(0x0a).fork().uint32(0x0a).string(apiVersion).uint32(0x12).string(kind).ldelim();
  w.uint32(0x12).bytes(raw);
  // contentEncoding and contentType: gogo writes these non-pointer strings even when empty.
  w.uint32(0x1a).string('');
  w.uint32(0x22).string('');
  return Buffer.concat([PROTOBUF_MAGIC, w.finish()]);
}

/** Encodes one typed message (no envelope) given its table name, e.g. "core.v1.PodSpec". */
export function encodeMessageJSON(messageName: string, value: unknown): Uint8Array {
  const d = messageDescriptor(messageName);
  if (!d) throw new Error(`unknown protobuf message ${messageName}`);
  return encodeMessage(d, value);
}

function encodeMessage(d: MessageDescriptor, value: unknown): Uint8Array {
  const w = protobuf.Writer.create();
  try {
    writeMessageBody(w, d, value);
  } catch (e) {
    if (e instanceof GoTimeError || e instanceof QuantityError) throw badRequest(e.message);
    throw e;
  }
  return w.finish();
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function tag(w: Writer, number: number, wireType: number): Writer {
  return w.uint32((number << 3) | wireType);
}

function writeFields(w: Writer, d: MessageDescriptor, obj: Record<string, unknown> | undefined): void {
  for (const f of d.wireOrder) {
    if (f.noJson) continue;
    const v = f.inline ? obj : obj?.[f.key];
    if (f.shape === 'repeated') {
      if (Array.isArray(v)) for (const e of v) writeElement(w, f, e);
      continue;
    }
    if (f.shape === 'map') {
      if (isObject(v)) {
        for (const key of Object.keys(v).sort(compareGoStrings)) writeMapEntry(w, f, key, v[key]);
      }
      continue;
    }
    const t = f.type;
    // Pointers, []byte and named slices are written only when non-nil; everything else always.
    if (v == null && (f.pointer || t.scalar === 'bytes' || t.message?.sliceItems)) continue;
    writeElement(w, f, v);
  }
}

function writeElement(w: Writer, f: FieldDescriptor, v: unknown): void {
  tag(w, f.number, f.wireType);
  writeValue(w, f.type, v);
}

function writeMapEntry(w: Writer, f: FieldDescriptor, key: string, v: unknown): void {
  tag(w, f.number, 2).fork();
  tag(w, 1, 2).string(key);
  // A nil []byte value is left out; strings and messages are always written.
  if (!(f.type.scalar === 'bytes' && v == null)) {
    tag(w, 2, f.type.scalar ? wireTypeOfScalar(f.type.scalar) : 2);
    writeValue(w, f.type, v);
  }
  w.ldelim();
}

function wireTypeOfScalar(t: ScalarType): number {
  return t === 'string' || t === 'bytes' ? 2 : t === 'double' ? 1 : 0;
}

function writeValue(w: Writer, t: ValueType, v: unknown): void {
  if (t.scalar) {
    writeScalar(w, t.scalar, v);
    return;
  }
  w.fork();
  writeMessageBody(w, t.message, v);
  w.ldelim();
}

function writeScalar(w: Writer, t: ScalarType, v: unknown): void {
  switch (t) {
    case 'string':
      w.string(v == null ? '' : String(v));
      return;
    case 'int32':
      w.int32(Number(v ?? 0));
      return;
    case 'int64':
      w.int64(typeof v === 'bigint' ? bigIntToLong(v) : Number(v ?? 0));
      return;
    case 'bool':
      w.bool(v === true);
      return;
    case 'bytes':
      w.bytes(v instanceof Uint8Array ? v : Buffer.from(typeof v === 'string' ? v : '', 'base64'));
      return;
    case 'double':
      w.double(Number(v ?? 0));
      return;
  }
}

/** Go's zero time.Time (0001-01-01T00:00:00Z): Time.Marshal writes nothing for it. */
const ZERO_TIME_SECONDS = -62135596800;

function writeMessageBody(w: Writer, d: MessageDescriptor, v: unknown): void {
  if (d.sliceItems) {
    if (Array.isArray(v)) for (const e of v) writeElement(w, d.sliceItems, e);
    return;
  }
  switch (d.wellKnown) {
    case undefined:
      writeFields(w, d, isObject(v) ? v : undefined);
      return;
    case 'Time':
    case 'MicroTime': {
      if (typeof v !== 'string') return;
      const { seconds, nanos } = parseRFC3339(v);
      if (seconds === ZERO_TIME_SECONDS && nanos === 0) return;
      // Timestamp's fields are non-pointers: both always written; Time keeps whole seconds only.
      w.uint32(0x08).int64(seconds).uint32(0x10).int32(d.wellKnown === 'Time' ? 0 : nanos - (nanos % 1000));
      return;
    }
    case 'Duration':
      w.uint32(0x08).int64(bigIntToLong(parseGoDuration(typeof v === 'string' ? v : '0')));
      return;
    case 'Quantity':
      w.uint32(0x0a).string(v == null ? '0' : canonicalQuantity(v as string | number));
      return;
    case 'IntOrString': {
      const isString = typeof v === 'string';
      w.uint32(0x08).int64(isString ? 1 : 0);
      w.uint32(0x10).int32(isString ? 0 : Number(v ?? 0));
      w.uint32(0x1a).string(isString ? v : '');
      return;
    }
    case 'RawExtension':
    case 'FieldsV1':
      if (v == null) return;
      w.uint32(0x0a).bytes(v instanceof Uint8Array ? v : Buffer.from(JSON.stringify(v), 'utf8'));
      return;
  }
}
