// Plain JSON values (what JSON.parse returns), compared and copied on every API write, so both are
// written for that case alone. jsonEqual compares as the encoded bytes would modulo key order (a
// property holding undefined counts as absent, as JSON.stringify drops it); node's
// isDeepStrictEqual also weighs prototypes, symbols and descriptors. jsonCopy is several times
// faster than structuredClone on API objects, whose cost is mostly fixed overhead per call.

/** Whether a and b are the same JSON value (objects compared by their defined properties). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  let defined = 0;
  for (const k in ao) {
    const v = ao[k];
    if (v === undefined) continue;
    defined++;
    if (!jsonEqual(v, bo[k])) return false;
  }
  for (const k in bo) if (bo[k] !== undefined) defined--;
  return defined === 0;
}

// A frozen object or array is shared by copies instead of copied: it can change no more than a
// string can. The field manager hands out frozen FieldsV1 encodings (a third of a pod's objects),
// so they pass from a write to its stored, watched and returned copies as they are.

/**
 * A deep copy of a plain JSON value (objects, arrays, scalars; own enumerable keys as they are),
 * sharing frozen parts.
 */
export function jsonCopy<T>(v: T): T {
  if (typeof v !== 'object' || v === null || Object.isFrozen(v)) return v;
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (let i = 0; i < v.length; i++) out.push(jsonCopy(v[i]));
    return out as T;
  }
  const out: Record<string, unknown> = {};
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k];
    const c = typeof x === 'object' && x !== null ? jsonCopy(x) : x;
    // Inline rather than setOwn: this loop copies every object of every write.
    if (k === '__proto__') setOwn(out, k, c);
    else out[k] = c;
  }
  return out as T;
}

/**
 * out[k] = x for a key "__proto__" (JSON.parse makes it an own property, and a ConfigMap may well
 * have one): an own property, instead of replacing out's prototype as the assignment would.
 */
function setOwn(out: Record<string, unknown>, k: string, x: unknown): void {
  Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
}

/**
 * What JSON.parse(JSON.stringify(v)) returns, without the text in between: toJSON is honoured
 * (Dates become strings), undefined and function properties are dropped, and in arrays become
 * null, as do non-finite numbers. For handing a value across a boundary that used to be JSON.
 * Frozen parts are shared as they are (taken to be JSON values already).
 */
export function jsonRoundTrip(v: unknown): unknown {
  const out = roundTrip(v);
  return out === SKIP ? undefined : out;
}

const SKIP = Symbol('skip');

function roundTrip(v: unknown): unknown {
  if (v === null) return null;
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      // JSON has no -0: it prints 0 (and non-finite numbers as null).
      return Number.isFinite(v) ? (v === 0 ? 0 : v) : null;
    case 'object':
      break;
    case 'bigint':
      throw new TypeError('Do not know how to serialize a BigInt');
    default:
      return SKIP; // undefined, functions, symbols
  }
  if (Object.isFrozen(v)) return v;
  if (Array.isArray(v)) {
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const x = roundTrip(v[i]);
      out[i] = x === SKIP ? null : x;
    }
    return out;
  }
  const proto = Object.getPrototypeOf(v) as unknown;
  // A plain object (what JSON.parse makes) has no toJSON and nothing inherited to skip.
  const plain = proto === Object.prototype || proto === null;
  if (!plain) {
    const o = v as { toJSON?: () => unknown };
    if (typeof o.toJSON === 'function') return roundTrip(o.toJSON());
  }
  const out: Record<string, unknown> = {};
  for (const k in v as Record<string, unknown>) {
    if (!plain && !Object.prototype.hasOwnProperty.call(v, k)) continue;
    const x = roundTrip((v as Record<string, unknown>)[k]);
    if (x === SKIP) continue;
    if (k === '__proto__') setOwn(out, k, x);
    else out[k] = x;
  }
  return out;
}
