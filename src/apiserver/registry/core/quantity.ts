// Just enough of resource.Quantity for validation: parse "500m", "1.5Gi", "2e3", compare, and print
// the canonical form upstream messages use ("must be less than or equal to cpu limit of 500m").
// Values are held exactly in nano units (10^-9), rounded up as upstream rounds beyond nano scale.

/** How the quantity was written, which decides how it prints (resource.Format). */
export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

/** A parsed quantity: its value in nano units and the format it was written in. */
export interface Quantity {
  nano: bigint;
  format: QuantityFormat;
}

/** resource.ErrFormatWrong's text, which the API server reports for an unparseable quantity. */
export const QUANTITY_FORMAT_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

const DECIMAL_SUFFIX: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIX: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const NANO = 1_000_000_000n;

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a > 0n === b > 0n ? q + 1n : q;
}

/** Parses a quantity as JSON carries it (a string, or a bare number); undefined when malformed. */
export function parseQuantity(input: unknown): Quantity | undefined {
  let s: string;
  if (typeof input === 'number' && Number.isFinite(input)) s = String(input);
  else if (typeof input === 'string') s = input.trim();
  else return undefined;
  const m = /^([+-]?)([0-9]*\.?[0-9]*)([eEinumkKMGTP]*[-+]?[0-9]*)$/.exec(s);
  if (!m || !/[0-9]/.test(m[2])) return undefined;
  const [, sign, num, suffix] = m;
  const [intPart, fracPart = ''] = num.split('.');
  const digits = BigInt((intPart || '0') + fracPart);
  const scale = fracPart.length; // digits = value * 10^scale
  let nano: bigint;
  let format: QuantityFormat;
  if (suffix in BINARY_SUFFIX) {
    format = 'BinarySI';
    nano = ceilDiv(digits * NANO * (1n << BigInt(BINARY_SUFFIX[suffix])), pow10(scale));
  } else if (suffix in DECIMAL_SUFFIX) {
    format = 'DecimalSI';
    const exp = DECIMAL_SUFFIX[suffix] + 9 - scale;
    nano = exp >= 0 ? digits * pow10(exp) : ceilDiv(digits, pow10(-exp));
  } else {
    const e = /^[eE]([-+]?[0-9]+)$/.exec(suffix);
    if (!e) return undefined;
    format = 'DecimalExponent';
    const exp = Number(e[1]) + 9 - scale;
    if (Math.abs(exp) > 1000) return undefined;
    nano = exp >= 0 ? digits * pow10(exp) : ceilDiv(digits, pow10(-exp));
  }
  return { nano: sign === '-' ? -nano : nano, format };
}

/** Quantity.Cmp: -1, 0 or 1. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  return a.nano < b.nano ? -1 : a.nano > b.nano ? 1 : 0;
}

/** Quantity.String(): the canonical text ("0.5" prints as "500m", "1024Mi" as "1Gi"). */
export function quantityString(q: Quantity): string {
  if (q.nano === 0n) return '0';
  const neg = q.nano < 0n;
  const abs = neg ? -q.nano : q.nano;
  const sign = neg ? '-' : '';
  if (q.format === 'BinarySI' && abs % NANO === 0n && abs / NANO >= 1024n) {
    let v = abs / NANO;
    let power = 0;
    while (power < 6 && v % 1024n === 0n) {
      v /= 1024n;
      power++;
    }
    return `${sign}${v}${['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'][power]}`;
  }
  let mantissa = abs;
  let exp = -9;
  while (exp < 18 && mantissa % 1000n === 0n) {
    mantissa /= 1000n;
    exp += 3;
  }
  if (q.format === 'DecimalExponent') return `${sign}${mantissa}${exp === 0 ? '' : `e${exp}`}`;
  const suffix = Object.keys(DECIMAL_SUFFIX).find((k) => DECIMAL_SUFFIX[k] === exp) ?? '';
  return `${sign}${mantissa}${suffix}`;
}

/** The value rounded up to a whole number, as Quantity.Value(). */
export function quantityValue(q: Quantity): bigint {
  return ceilDiv(q.nano, NANO);
}

/** The value in milli units, rounded up, as Quantity.MilliValue(). */
export function quantityMilliValue(q: Quantity): bigint {
  return ceilDiv(q.nano, 1_000_000n);
}
