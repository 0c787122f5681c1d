// CronJob schedules as the v2 controller reads them (robfig/cron's ParseStandard): five fields or a
// descriptor (@hourly, ...), "@every <duration>", an optional TZ=/CRON_TZ= prefix, and
// spec.timeZone. Next(t) is the first activation strictly after t, as robfig's Schedule.Next.
import { CronExpressionParser } from 'cron-parser';
import { BoundedMap } from '../../apimachinery/bounded-map.js';

export interface Schedule {
  /** The next activation after ms (epoch milliseconds); throws when there is none. */
  next(ms: number): number;
}

const GO_DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

function parseGoDuration(s: string): number {
  const re = /(\d+(?:\.\d*)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += Number(m[1]) * GO_DURATION_UNITS[m[2]];
    matched = re.lastIndex;
  }
  if (!s || matched !== s.length) throw new Error(`failed to parse duration ${s}: time: invalid duration ${JSON.stringify(s)}`);
  return total;
}

// The controller parses a CronJob's schedule on every sync; a schedule is immutable once parsed,
// so each spec string is parsed once (the most recent 1,000).
const parsed = new BoundedMap<string, Schedule>(1000);

/** Parses spec.schedule (with spec.timeZone, which the caller folds in as "TZ=<zone> <schedule>"). */
export function parseSchedule(spec: string): Schedule {
  return parsed.memo(spec, parseUncached);
}

function parseUncached(spec: string): Schedule {
  let expr = spec.trim();
  let tz = 'UTC';
  const prefix = /^(?:CRON_)?TZ=(\S+)\s+/.exec(expr);
  if (prefix) {
    tz = prefix[1];
    expr = expr.slice(prefix[0].length).trim();
  }
  if (expr.startsWith('@every ')) {
    // ConstantDelaySchedule: whole seconds, at least one.
    const delay = Math.max(1000, Math.floor(parseGoDuration(expr.slice(7).trim()) / 1000) * 1000);
    return { next: (ms) => Math.floor(ms / 1000) * 1000 + delay };
  }
  if (!expr.startsWith('@') && expr.split(/\s+/).length !== 5) throw new Error(`expected exactly 5 fields, found ${expr.split(/\s+/).length}: ${expr}`);
  // Fails here on an expression that does not parse; one parsed expression, reset per question.
  const cron = CronExpressionParser.parse(expr, { currentDate: new Date(0), tz });
  // Each sync asks for the activations after the same few instants (the last schedule time, the
  // earliest unmet one); cron-parser takes tens of microseconds per answer, so answers are kept.
  const answers = new BoundedMap<number, number>(256);
  const next = (ms: number) =>
    answers.memo(ms, () => {
      cron.reset(new Date(ms));
      return cron.next().getTime();
    });
  next(0); // and on one that never fires
  return { next };
}

/** The time in zone as Go's time.RFC3339 writes it ("Z" for a zero offset). */
export function rfc3339In(ms: number, zone: string | undefined): string {
  const tz = zone || 'UTC';
  const offsetMin = tz === 'UTC' ? 0 : offsetMinutes(ms, tz);
  const local = new Date(ms + offsetMin * 60_000).toISOString().replace(/\.\d{3}Z$/, '');
  if (!offsetMin) return `${local}Z`;
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

// Making an Intl.DateTimeFormat costs most of a millisecond (ICU loads the zone); one per zone is kept.
const offsetFormats = new BoundedMap<string, Intl.DateTimeFormat>(1000);

/** The zone's offset from UTC at ms, in minutes east. */
function offsetMinutes(ms: number, tz: string): number {
  const format = offsetFormats.memo(tz, () => new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' }));
  const part = format.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(part);
  return m?.[1] ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/** True when zone is a time zone the runtime knows (time.LoadLocation succeeds). */
export function isKnownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
