// Go's time formats as metav1.Time, metav1.MicroTime and metav1.Duration print and parse them in JSON:
// RFC 3339 in UTC (seconds, or microseconds for MicroTime) and time.Duration.String / ParseDuration.

const NANOS_PER_SECOND = 1_000_000_000n;

/** Thrown when a value does not parse; the codec turns it into a 400 Status. */
export class GoTimeError extends Error {}

/** The seconds and nanoseconds since the Unix epoch of one instant, normalized as time.Unix does. */
export interface UnixInstant {
  seconds: number;
  nanos: number;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** The UTC calendar fields of an instant; years 0..9999 only, as Go's Time.MarshalJSON demands. */
function calendar(seconds: number): string {
  const d = new Date(seconds * 1000);
  const year = d.getUTCFullYear();
  if (year < 0 || year > 9999) throw new GoTimeError('Time.MarshalJSON: year outside of range [0,9999]');
  return `${pad(year, 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
}

/** time.Unix(seconds, nanos) normalization: nanos into [0, 1e9). */
export function normalizeInstant(seconds: number, nanos: number): UnixInstant {
  const carry = Math.floor(nanos / 1e9);
  return { seconds: seconds + carry, nanos: nanos - carry * 1e9 };
}

/** metav1.Time's JSON: `2026-01-01T00:00:00Z` (time.RFC3339 in UTC; sub-second digits are never kept). */
export function formatRFC3339(seconds: number): string {
  return `${calendar(seconds)}Z`;
}

/** metav1.MicroTime's JSON: `2026-01-01T00:00:00.000000Z` (RFC3339Micro in UTC). */
export function formatRFC3339Micro(instant: UnixInstant): string {
  const { seconds, nanos } = normalizeInstant(instant.seconds, instant.nanos);
  return `${calendar(seconds)}.${pad(Math.floor(nanos / 1000), 6)}Z`;
}

const RFC3339_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** time.Parse(time.RFC3339, s): the instant, fractional seconds kept to the nanosecond. */
export function parseRFC3339(s: string): UnixInstant {
  const m = RFC3339_RE.exec(s);
  if (!m) throw new GoTimeError(`parsing time ${JSON.stringify(s)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(s)} as "2006-01-02T15:04:05Z07:00"`);
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
    throw new GoTimeError(`parsing time ${JSON.stringify(s)}: ${month < 1 || month > 12 ? 'month' : 'day or time'} out of range`);
  }
  const probe = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
  probe.setUTCFullYear(year);
  if (probe.getUTCDate() !== day) throw new GoTimeError(`parsing time ${JSON.stringify(s)}: day out of range`);
  let seconds = probe.getTime() / 1000;
  const zone = m[8]!;
  if (zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    seconds -= sign * (Number(zone.slice(1, 3)) * 3600 + Number(zone.slice(4, 6)) * 60);
  }
  const nanos = m[7] ? Number(m[7].padEnd(9, '0')) : 0;
  return { seconds, nanos };
}

/** Go's fmtFrac: the fraction of v/10^prec without trailing zeros (and without the dot when zero). */
function fraction(v: bigint, prec: number): { text: string; rest: bigint } {
  let digits = '';
  let print = false;
  for (let i = 0; i < prec; i++) {
    const digit = v % 10n;
    print ||= digit !== 0n;
    if (print) digits = digit.toString() + digits;
    v /= 10n;
  }
  return { text: print ? `.${digits}` : '', rest: v };
}

/** time.Duration.String(): "1h0m0s", "1.5s", "300ms", "0s". */
export function formatGoDuration(nanoseconds: bigint): string {
  if (nanoseconds === 0n) return '0s';
  const negative = nanoseconds < 0n;
  let u = negative ? -nanoseconds : nanoseconds;
  let text: string;
  if (u < NANOS_PER_SECOND) {
    const [prec, unit] = u < 1000n ? [0, 'ns'] : u < 1_000_000n ? [3, 'µs'] : [6, 'ms'];
    const f = fraction(u, prec);
    text = `${f.rest}${f.text}${unit}`;
  } else {
    const f = fraction(u, 9);
    u = f.rest;
    text = `${u % 60n}${f.text}s`;
    u /= 60n;
    if (u > 0n) {
      text = `${u % 60n}m${text}`;
      u /= 60n;
      if (u > 0n) text = `${u}h${text}`;
    }
  }
  return negative ? `-${text}` : text;
}

const UNIT_NANOS: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', 1000n],
  ['µs', 1000n],
  ['μs', 1000n],
  ['ms', 1_000_000n],
  ['s', NANOS_PER_SECOND],
  ['m', 60n * NANOS_PER_SECOND],
  ['h', 3600n * NANOS_PER_SECOND],
]);

const MAX_INT64 = (1n << 63n) - 1n;

/** time.ParseDuration: "1h30m", "-1.5s", "0"; the result in nanoseconds. */
export function parseGoDuration(s: string): bigint {
  const invalid = (): GoTimeError => new GoTimeError(`time: invalid duration ${JSON.stringify(s)}`);
  let rest = s;
  let negative = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest[0] === '-';
    rest = rest.slice(1);
  }
  if (rest === '0') return 0n;
  if (rest === '') throw invalid();
  let total = 0n;
  const component = /^(\d*)(?:\.(\d*))?([^\d.]*)/;
  while (rest !== '') {
    const m = component.exec(rest);
    if (!m || (m[1] === '' && (m[2] ?? '') === '')) throw invalid();
    if (m[3] === '') throw new GoTimeError(`time: missing unit in duration ${JSON.stringify(s)}`);
    const unit = UNIT_NANOS.get(m[3]!);
    if (unit === undefined) throw new GoTimeError(`time: unknown unit ${JSON.stringify(m[3])} in duration ${JSON.stringify(s)}`);
    const whole = BigInt(m[1] || '0');
    const frac = m[2] ?? '';
    total += whole * unit + (frac ? (BigInt(frac) * unit) / 10n ** BigInt(frac.length) : 0n);
    if (total > MAX_INT64) throw invalid();
    rest = rest.slice(m[0].length);
  }
  return negative ? -total : total;
}
