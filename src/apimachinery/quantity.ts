// resource.Quantity (k8s.io/apimachinery/pkg/api/resource): fixed-point quantities such as "500m",
// "1.5Gi" and "1e3", parsed, compared and printed exactly as the API server does, including which
// strings it keeps verbatim and which it rewrites to canonical form when it stores an object.
import { BoundedMap } from './bounded-map.js';

/** How a quantity prints: 1e3, 1Ki, or 1k. */
export type QuantityFormat = 'DecimalExponent' | 'BinarySI' | 'DecimalSI';

/** A quantity: unscaled × 10^scale, never a float. */
export interface Quantity {
  readonly unscaled: bigint;
  readonly scale: number;
  readonly format: QuantityFormat;
  /** The input string when upstream keeps it verbatim (it was already canonical enough). */
  readonly cached?: string;
}

/** The regular expression upstream names in its format error. */
export const QUANTITY_SPLIT_RE = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
/** resource.ErrFormatWrong's text. */
export const ERR_FORMAT_WRONG = `quantities must match the regular expression '${QUANTITY_SPLIT_RE}'`;
/** resource.ErrNumeric's text. */
export const ERR_NUMERIC = 'unable to parse numeric part of quantity';
/** resource.ErrSuffix's text. */
export const ERR_SUFFIX = "unable to parse quantity's suffix";

/** A quantity that does not parse; the message is upstream's. */
export class QuantityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuantityError';
  }
}

const MAX_INT64 = (1n << 63n) - 1n;
const NANO = -9;

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_SUFFIX_BY_EXP = new Map(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const BINARY_SUFFIX_BY_EXP = new Map(Object.entries(BINARY_SUFFIXES).map(([s, e]) => [e, s]));
const SUFFIX_CHARS = 'eEinumkKMGTP';

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

interface Split {
  positive: boolean;
  num: string;
  denom: string;
  suffix: string;
}

// parseQuantityString: sign, numerator (leading zeros stripped), denominator, suffix.
function splitQuantity(str: string): Split {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (pos < end && (str[0] === '-' || str[0] === '+')) {
    positive = str[0] !== '-';
    pos++;
  }
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return { positive, num: '0', denom: '', suffix: '' };
  let i = pos;
  while (i < end && isDigit(str[i])) i++;
  let num = str.slice(pos, i);
  pos = i;
  if (pos >= end) return { positive, num, denom: '', suffix: '' };
  if (num.length === 0) num = '0';
  let denom = '';
  if (str[pos] === '.') {
    pos++;
    i = pos;
    while (i < end && isDigit(str[i])) i++;
    denom = str.slice(pos, i);
    pos = i;
    if (pos >= end) return { positive, num, denom, suffix: '' };
  }
  const suffixStart = pos;
  while (pos < end && SUFFIX_CHARS.includes(str[pos])) pos++;
  if (pos < end && (str[pos] === '-' || str[pos] === '+')) pos++;
  while (pos < end && isDigit(str[pos])) pos++;
  if (pos < end) throw new QuantityError(ERR_FORMAT_WRONG);
  return { positive, num, denom, suffix: str.slice(suffixStart) };
}

function interpretSuffix(s: string): { base: 2 | 10; exponent: number; format: QuantityFormat } {
  if (Object.prototype.hasOwnProperty.call(DECIMAL_SUFFIXES, s)) return { base: 10, exponent: DECIMAL_SUFFIXES[s], format: 'DecimalSI' };
  if (Object.prototype.hasOwnProperty.call(BINARY_SUFFIXES, s)) return { base: 2, exponent: BINARY_SUFFIXES[s], format: 'BinarySI' };
  if (s.length > 1 && (s[0] === 'e' || s[0] === 'E') && /^[+-]?[0-9]+$/.test(s.slice(1))) {
    const e = BigInt(s.slice(1));
    // strconv.ParseInt accepts int64, then upstream truncates to int32.
    if (e >= -(2n ** 63n) && e < 2n ** 63n) return { base: 10, exponent: Number(BigInt.asIntN(32, e)), format: 'DecimalExponent' };
  }
  throw new QuantityError(ERR_SUFFIX);
}

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

function abs(n: bigint): bigint {
  return n < 0n ? -n : n;
}

function digitCount(n: bigint): number {
  return n === 0n ? 0 : abs(n).toString().length;
}

// The same few quantities ("100m", "128Mi") are parsed over and over (every pod's requests, by the
// scheduler, the kubelet and the controllers): keep the most recent 4,096 results, frozen.
const parsed = new BoundedMap<string, Quantity>(4096);

/** resource.ParseQuantity; accepts a JSON number as the decoder does. Throws QuantityError. */
export function parseQuantity(input: string | number): Quantity {
  const str = typeof input === 'number' ? String(input) : input;
  return parsed.memo(str, (s) => Object.freeze(parseQuantityText(s)));
}

function parseQuantityText(str: string): Quantity {
  if (str.length === 0) throw new QuantityError(ERR_FORMAT_WRONG);
  if (str === '0') return { unscaled: 0n, scale: 0, format: 'DecimalSI', cached: '0' };
  const { positive, num, denom, suffix } = splitQuantity(str);
  const { base, exponent, format: parsedFormat } = interpretSuffix(suffix);
  let format = parsedFormat;
  const digits = num + denom;
  let unscaled = BigInt(digits);
  let scale: number;
  if (base === 10) {
    scale = exponent - denom.length;
  } else {
    unscaled <<= BigInt(exponent);
    scale = -denom.length;
  }

  const cached = cachedForm(str, format, exponent, num, denom, unscaled);

  // Round non-zero values away from zero to whole nanos: asking for some resource gets some.
  if (unscaled !== 0n && scale < NANO) {
    const drop = NANO - scale;
    if (drop > digitCount(unscaled)) {
      unscaled = 1n;
    } else {
      const div = pow10(drop);
      const q = unscaled / div;
      unscaled = unscaled % div === 0n ? q : q + 1n;
    }
    scale = NANO;
  }
  if (format === 'BinarySI') {
    if (compareMagnitude(unscaled, scale, MAX_INT64, 0) > 0) {
      unscaled = MAX_INT64;
      scale = 0;
    }
    if (unscaled !== 0n && compareMagnitude(unscaled, scale, 1n, 0) < 0) format = 'DecimalSI';
  }
  const q: Quantity = { unscaled: positive ? unscaled : -unscaled, scale, format };
  return cached === undefined ? q : { ...q, cached };
}

// Upstream's int64 fast path keeps the input string when it is already in canonical shape.
function cachedForm(str: string, format: QuantityFormat, exponent: number, num: string, denom: string, value: bigint): string | undefined {
  if (format === 'BinarySI') {
    if (denom.length !== 0) return undefined;
    const precision = 15 - num.length - Math.trunc((exponent * 3) / 10) - 1;
    if (precision < 0 || value > MAX_INT64) return undefined;
    return exponent % 10 === 0 && (BigInt(num) & 7n) !== 0n ? str : undefined;
  }
  if (18 - (num.length + denom.length) < 0) return undefined;
  const scale = exponent - denom.length;
  if (scale < NANO) return undefined;
  const shifted = num + denom;
  return scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0' ? str : undefined;
}

// Compares |a·10^as| with |b·10^bs| without expanding huge exponents.
function compareMagnitude(a: bigint, as: number, b: bigint, bs: number): number {
  const x = abs(a);
  const y = abs(b);
  if (x === 0n || y === 0n) return x === y ? 0 : x === 0n ? -1 : 1;
  const mx = digitCount(x) + as;
  const my = digitCount(y) + bs;
  if (mx !== my) return mx < my ? -1 : 1;
  const s = Math.min(as, bs);
  const xa = x * pow10(as - s);
  const ya = y * pow10(bs - s);
  return xa < ya ? -1 : xa > ya ? 1 : 0;
}

/** Quantity.Sign: -1, 0 or 1. */
export function quantitySign(q: Quantity): -1 | 0 | 1 {
  return q.unscaled === 0n ? 0 : q.unscaled < 0n ? -1 : 1;
}

/**
 * A quantity as Quantity.UnmarshalJSON reads a JSON value: a string with surrounding spaces trimmed,
 * or a number; undefined when it does not parse (validation reports that, not an exception).
 */
export function quantityFromJSON(input: unknown): Quantity | undefined {
  let text: string | number;
  if (typeof input === 'string') text = input.trim();
  else if (typeof input === 'number' && Number.isFinite(input)) text = input;
  else return undefined;
  try {
    return parseQuantity(text);
  } catch (e) {
    if (e instanceof QuantityError) return undefined;
    throw e;
  }
}

/** Quantity.Cmp: -1, 0 or 1. */
export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  const sa = quantitySign(a);
  const sb = quantitySign(b);
  if (sa !== sb) return sa < sb ? -1 : 1;
  if (sa === 0) return 0;
  const m = compareMagnitude(a.unscaled, a.scale, b.unscaled, b.scale);
  return (sa > 0 ? m : -m) as -1 | 0 | 1;
}

/** Quantity.IsZero. */
export function isZeroQuantity(q: Quantity): boolean {
  return q.unscaled === 0n;
}

// The value rounded away from zero to a multiple of 10^target, as unscaled units of 10^target.
function scaledTo(q: Quantity, target: number): { value: bigint; exact: boolean } {
  if (q.unscaled === 0n) return { value: 0n, exact: true };
  if (q.scale >= target) return { value: q.unscaled * pow10(q.scale - target), exact: true };
  const drop = target - q.scale;
  const a = abs(q.unscaled);
  let r: bigint;
  let exact: boolean;
  if (drop > digitCount(a)) {
    r = 1n;
    exact = false;
  } else {
    const div = pow10(drop);
    r = a / div;
    exact = a % div === 0n;
    if (!exact) r += 1n;
  }
  return { value: q.unscaled < 0n ? -r : r, exact };
}

// Guards against expanding an absurd exponent into a gigantic bigint.
function tooLarge(q: Quantity, target: number): boolean {
  return digitCount(q.unscaled) + q.scale - target > 40;
}

/** Quantity.ScaledValue as a bigint: ceil(q / 10^scale), rounded away from zero. */
export function scaledValueBig(q: Quantity, scale: number): bigint {
  if (tooLarge(q, scale)) return q.unscaled < 0n ? -(1n << 63n) : MAX_INT64;
  return scaledTo(q, scale).value;
}

/** Quantity.Value: whole units, rounded away from zero ("1.5" → 2, "100m" → 1). */
export function value(q: Quantity): number {
  return Number(scaledValueBig(q, 0));
}

/** Quantity.MilliValue: thousandths, rounded away from zero ("100m" → 100, "1" → 1000). */
export function milliValue(q: Quantity): number {
  return Number(scaledValueBig(q, -3));
}

/** Quantity.String(): the canonical form, or the input kept verbatim when upstream keeps it. */
export function quantityToString(q: Quantity): string {
  return q.cached ?? canonicalString(q);
}

/** The canonical form, ignoring any verbatim input: "1000m" → "1", "0.5" → "500m", "1536Mi" stays. */
export function canonicalString(q: Quantity): string {
  if (q.unscaled === 0n) return '0';
  let format = q.format;
  let rounded: bigint | undefined;
  if (format === 'BinarySI') {
    if (compareMagnitude(q.unscaled, q.scale, 1024n, 0) < 0) {
      format = 'DecimalSI';
    } else {
      const r = tooLarge(q, 0) ? { value: 0n, exact: false } : scaledTo(q, 0);
      if (r.exact) rounded = r.value;
      else format = 'DecimalSI';
    }
  }
  if (format === 'BinarySI' && rounded !== undefined) {
    let v = rounded;
    let e = 0;
    while (v !== 0n && v % 1024n === 0n) {
      v /= 1024n;
      e++;
    }
    return v.toString() + (BINARY_SUFFIX_BY_EXP.get(e * 10) ?? '');
  }
  let m = q.unscaled;
  let e = q.scale;
  while (m % 10n === 0n) {
    m /= 10n;
    e++;
  }
  while (e % 3 !== 0) {
    m *= 10n;
    e--;
  }
  if (format === 'DecimalExponent') return m.toString() + (e === 0 ? '' : `e${e}`);
  return m.toString() + (DECIMAL_SUFFIX_BY_EXP.get(e) ?? '');
}

/** What the API server stores for a quantity string: parse, then print as Quantity.String(). */
export function canonicalizeQuantity(s: string | number): string {
  return quantityToString(parseQuantity(s));
}

/** NewQuantity: an integer value in a format. */
export function quantityFromInt(n: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
  return { unscaled: BigInt(n), scale: 0, format };
}

/** NewMilliQuantity: n thousandths in a format. */
export function quantityFromMilli(n: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
  return { unscaled: BigInt(n), scale: -3, format };
}

function align(a: Quantity, b: Quantity): [bigint, bigint, number] {
  const s = Math.min(a.scale, b.scale);
  return [a.unscaled * pow10(a.scale - s), b.unscaled * pow10(b.scale - s), s];
}

/** Quantity.Add: a zero left side takes the right side's format. */
export function addQuantities(a: Quantity, b: Quantity): Quantity {
  const [x, y, s] = align(a, b);
  return { unscaled: x + y, scale: s, format: a.unscaled === 0n ? b.format : a.format };
}

/** Quantity.Sub: a zero left side takes the right side's format. */
export function subtractQuantities(a: Quantity, b: Quantity): Quantity {
  const [x, y, s] = align(a, b);
  return { unscaled: x - y, scale: s, format: a.unscaled === 0n ? b.format : a.format };
}

/** Quantity.Neg. */
export function negateQuantity(q: Quantity): Quantity {
  return { unscaled: -q.unscaled, scale: q.scale, format: q.format };
}

/** Quantity.Mul by an integer. */
export function multiplyQuantity(q: Quantity, n: number | bigint): Quantity {
  return { unscaled: q.unscaled * BigInt(n), scale: q.scale, format: q.format };
}
