// Test helpers for printer tests: headers as kubectl prints them and cells by header.
import type { KubeObject } from '../../api/types.js';
import type { Printer } from './printer.js';

/** A fixed "now" for printer tests: 2025-06-01T12:00:00Z. */
export const NOW = Date.parse('2025-06-01T12:00:00Z');

/** An RFC 3339 timestamp `ms` before NOW. */
export function ago(ms: number): string {
  return new Date(NOW - ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The headers kubectl shows: default columns, or all with -o wide. */
export function headers(p: Printer, wide = false): string[] {
  return p.columns.filter((c) => wide || c.priority === 0).map((c) => c.name.toUpperCase());
}

/** One row as a header → cell map, over every column (what -o wide shows). */
export function row(p: Printer, obj: KubeObject, now = NOW): Record<string, unknown> {
  const cells = p.cells(obj, now);
  if (cells.length < p.columns.length) throw new Error(`printer returned ${cells.length} cells for ${p.columns.length} columns`);
  return Object.fromEntries(p.columns.map((c, i) => [c.name.toUpperCase(), cells[i]]));
}

/** Minutes, hours and days in ms. */
export const MIN = 60_000;
/** See MIN. */
export const HOUR = 60 * MIN;
/** See MIN. */
export const DAY = 24 * HOUR;
