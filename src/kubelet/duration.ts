// Go's time.Duration text, both ways: the data convention takes "30s", "1m30s", "500ms" (or bare
// seconds), and kubelet messages print durations as Go does ("1.21s", "523ms", "5m0s").

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses a Go duration or a bare number of seconds into milliseconds; undefined if malformed. */
export function parseDuration(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const s = text.trim();
  if (s === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let i = 0;
  while (i < s.length) {
    re.lastIndex = i;
    const m = re.exec(s);
    if (!m) return undefined;
    total += Number(m[1]) * UNITS[m[2]];
    i = re.lastIndex;
  }
  return total;
}

/** Formats milliseconds as Go's Duration.String() does (to the millisecond). */
export function formatDuration(ms: number): string {
  ms = Math.round(ms);
  if (ms === 0) return '0s';
  const neg = ms < 0;
  if (neg) ms = -ms;
  let out: string;
  if (ms < 1000) out = `${ms}ms`;
  else {
    const h = Math.floor(ms / 3_600_000);
    const m = Math.floor((ms % 3_600_000) / 60_000);
    const secMs = ms % 60_000;
    const sec = (secMs / 1000).toFixed(3).replace(/\.?0+$/, '');
    out = h ? `${h}h${m}m${sec}s` : m ? `${m}m${sec}s` : `${sec}s`;
  }
  return neg ? `-${out}` : out;
}
