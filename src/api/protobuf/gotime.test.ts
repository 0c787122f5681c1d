import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GoTimeError, formatGoDuration, formatRFC3339, formatRFC3339Micro, parseGoDuration, parseRFC3339 } from './gotime.js';

describe('formatGoDuration prints as time.Duration.String', () => {
  const cases: [bigint, string][] = [
    [0n, '0s'],
    [1n, '1ns'],
    [1500n, '1.5µs'],
    [300_000_000n, '300ms'],
    [1_000_000_000n, '1s'],
    [1_500_000_000n, '1.5s'],
    [60_000_000_000n, '1m0s'],
    [3_600_000_000_000n, '1h0m0s'],
    [5_445_000_000_000n, '1h30m45s'],
    [-90_000_000_000n, '-1m30s'],
    [(1n << 63n) - 1n, '2562047h47m16.854775807s'],
  ];
  for (const [ns, text] of cases) {
    test(`${ns}ns prints as ${text}`, () => assert.equal(formatGoDuration(ns), text));
  }
});

describe('parseGoDuration parses as time.ParseDuration', () => {
  const cases: [string, bigint][] = [
    ['0', 0n],
    ['1h0m0s', 3_600_000_000_000n],
    ['1.5s', 1_500_000_000n],
    ['-1m30s', -90_000_000_000n],
    ['300ms', 300_000_000n],
    ['2µs', 2000n],
    ['2us', 2000n],
    ['.5h', 1_800_000_000_000n],
  ];
  for (const [text, ns] of cases) {
    test(`${text} is ${ns}ns`, () => assert.equal(parseGoDuration(text), ns));
  }
  test('rejects a number without a unit as Go does', () => {
    assert.throws(() => parseGoDuration('10'), { message: 'time: missing unit in duration "10"' });
  });
  test('rejects an unknown unit', () => {
    assert.throws(() => parseGoDuration('5d'), { message: 'time: unknown unit "d" in duration "5d"' });
  });
  test('rejects an empty string', () => {
    assert.throws(() => parseGoDuration(''), { message: 'time: invalid duration ""' });
  });
});

describe('RFC 3339 as metav1.Time and metav1.MicroTime print it', () => {
  test('Time prints whole seconds in UTC', () => {
    assert.equal(formatRFC3339(1767225600), '2026-01-01T00:00:00Z');
    assert.equal(formatRFC3339(0), '1970-01-01T00:00:00Z');
  });
  test('MicroTime prints six fractional digits', () => {
    assert.equal(formatRFC3339Micro({ seconds: 1767225600, nanos: 250_000_000 }), '2026-01-01T00:00:00.250000Z');
    assert.equal(formatRFC3339Micro({ seconds: 1767225600, nanos: 0 }), '2026-01-01T00:00:00.000000Z');
  });
  test('a negative nanosecond count borrows a second, as time.Unix normalizes', () => {
    assert.equal(formatRFC3339Micro({ seconds: 1767225600, nanos: -1000 }), '2025-12-31T23:59:59.999999Z');
  });
  test('parses an offset into UTC seconds and keeps the fraction', () => {
    assert.deepEqual(parseRFC3339('2026-01-01T02:00:00.123456789+02:00'), { seconds: 1767225600, nanos: 123456789 });
  });
  test('parses the zero time', () => {
    assert.deepEqual(parseRFC3339('0001-01-01T00:00:00Z'), { seconds: -62135596800, nanos: 0 });
  });
  test('rejects a date that is not RFC 3339', () => {
    assert.throws(() => parseRFC3339('2026-01-01 00:00:00'), GoTimeError);
    assert.throws(() => parseRFC3339('2026-02-30T00:00:00Z'), GoTimeError);
  });
  test('refuses to print a year past 9999, as Time.MarshalJSON does', () => {
    assert.throws(() => formatRFC3339(253402300800), { message: 'Time.MarshalJSON: year outside of range [0,9999]' });
  });
});
