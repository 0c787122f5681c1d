// The string formats a CRD schema may declare and kube-apiserver checks (apiextensions-apiserver's
// supportedFormats over kube-openapi's strfmt.Default registry). Other formats (int32, int64, float,
// double, ...) are stripped before validation, so they never reject a value.
import { isIP } from 'node:net';

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const UUID3 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const UUID4 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
const UUID5 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
const HOSTNAME =
  /^([a-zA-Z0-9\p{S}\p{L}]((-?[a-zA-Z0-9\p{S}\p{L}]{0,62})?)|([a-zA-Z0-9\p{S}\p{L}](([a-zA-Z0-9\-\p{S}\p{L}]{0,61}[a-zA-Z0-9\p{S}\p{L}])?)(\.)){1,}([a-zA-Z\p{L}]){2,63})$/u;
const DATE_TIME_TAIL = /^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$/;
const DURATION_UNITS = ['ns', 'nano', 'us', 'µs', 'micro', 'ms', 'milli', 's', 'sec', 'm', 'min', 'h', 'hr', 'd', 'day', 'w', 'wk'];

/** RFC 3339 full-date, as time.Parse("2006-01-02") accepts it. */
export function isDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1];
  return d <= days;
}

/** strfmt.IsDateTime: a full-date, "t", then hh:mm:ss[.frac](z|±hh:mm), case-insensitively. */
export function isDateTime(s: string): boolean {
  if (s.length < 4) return false;
  const parts = s.toLowerCase().split('t');
  if (parts.length < 2 || !isDate(parts[0])) return false;
  const m = DATE_TIME_TAIL.exec(parts[1]);
  if (!m) return false;
  return m[1] <= '23' && m[2] <= '59' && m[3] <= '59';
}

/** Go's time.ParseDuration, or strfmt's "<n> <unit>" fallback. */
export function isDuration(s: string): boolean {
  if (/^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/.test(s) || s === '0') return true;
  const matches = [...s.matchAll(/(\d+)\s*([A-Za-zµ]+)/g)];
  if (matches.length === 0) return false;
  return matches.every((m) => DURATION_UNITS.some((u) => m[2] === u || m[2] === `${u}s`));
}

function isBase64(s: string): boolean {
  return /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/.test(s);
}

function isCIDR(s: string): boolean {
  const i = s.indexOf('/');
  if (i < 0) return false;
  const ip = s.slice(0, i).replace(/(^|\.)0+(\d)/g, '$1$2');
  const bits = s.slice(i + 1);
  const family = isIP(ip);
  if (!family || !/^\d+$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

function isIPv4(s: string): boolean {
  return s.includes('.') && isIP(s.replace(/(^|\.)0+(\d)/g, '$1$2')) !== 0;
}

function isRequestURI(s: string): boolean {
  if (s.startsWith('/')) return !/\s/.test(s);
  try {
    return new URL(s).protocol.length > 1;
  } catch {
    return false;
  }
}

const CHECKS: Record<string, (s: string) => boolean> = {
  bsonobjectid: (s) => /^[0-9a-fA-F]{24}$/.test(s),
  uri: isRequestURI,
  email: (s) => /^[^\s@<>]+@[^\s@<>]+$/.test(s.replace(/^.*<(.*)>$/, '$1')),
  hostname: (s) => HOSTNAME.test(s) && s.length <= 255,
  ipv4: isIPv4,
  ipv6: (s) => isIP(s) === 6,
  cidr: isCIDR,
  mac: (s) => /^([0-9A-Fa-f]{2}[:-]){5,19}[0-9A-Fa-f]{2}$/.test(s) || /^([0-9A-Fa-f]{4}\.){2,9}[0-9A-Fa-f]{4}$/.test(s),
  uuid: (s) => UUID.test(s),
  uuid3: (s) => UUID3.test(s),
  uuid4: (s) => UUID4.test(s),
  uuid5: (s) => UUID5.test(s),
  isbn: (s) => /^(?:\d{9}[\dX]|\d{13})$/.test(s.replace(/[\s-]/g, '')),
  isbn10: (s) => /^\d{9}[\dX]$/.test(s.replace(/[\s-]/g, '')),
  isbn13: (s) => /^\d{13}$/.test(s.replace(/[\s-]/g, '')),
  creditcard: (s) => /^\d{12,19}$/.test(s.replace(/\D/g, '')),
  ssn: (s) => /^\d{3}[- ]?\d{2}[- ]?\d{4}$/.test(s),
  hexcolor: (s) => /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(s),
  rgbcolor: (s) => /^rgb\(\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*\d{1,3}\s*\)$/.test(s),
  byte: isBase64,
  password: () => true,
  date: isDate,
  duration: isDuration,
  datetime: isDateTime,
};

/** go-openapi's name normalization: "date-time" and "datetime" are one format. */
export function normalizeFormat(format: string): string {
  return format.replace(/-/g, '');
}

/** True when kube-apiserver validates this format (the rest are stripped: StripUnsupportedFormatsPostProcess). */
export function isSupportedFormat(format: string): boolean {
  return normalizeFormat(format) in CHECKS;
}

/** True when s satisfies a supported format. */
export function formatValidates(format: string, s: string): boolean {
  const check = CHECKS[normalizeFormat(format)];
  return check ? check(s) : true;
}
