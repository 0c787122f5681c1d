// Small statistics for benchmark samples: nearest-rank percentiles and the summaries the report prints.

/** p50/p99/max (and count) of a set of samples, in the samples' unit. */
export interface Summary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** The nearest-rank percentile p (0..100) of samples already sorted ascending. */
export function percentileSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** Summarises samples (any order; the array is not modified). */
export function summarize(samples: readonly number[]): Summary {
  const sorted = Float64Array.from(samples).sort();
  const arr = Array.from(sorted);
  let sum = 0;
  for (const s of arr) sum += s;
  return {
    count: arr.length,
    p50: percentileSorted(arr, 50),
    p90: percentileSorted(arr, 90),
    p99: percentileSorted(arr, 99),
    max: arr.length ? arr[arr.length - 1] : NaN,
    mean: arr.length ? sum / arr.length : NaN,
  };
}

/** The median of a few repeated measurements. */
export function median(samples: readonly number[]): number {
  return percentileSorted(Array.from(Float64Array.from(samples).sort()), 50);
}

/** A number with thousands separators and a fixed number of decimals. */
export function fmt(n: number, decimals = 0): string {
  if (!Number.isFinite(n)) return String(n);
  return n.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** Milliseconds with a precision that suits their size. */
export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  return `${fmt(ms, ms < 10 ? 2 : ms < 100 ? 1 : 0)} ms`;
}
