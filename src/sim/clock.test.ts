import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rfc3339, rfc3339Micro, VirtualClock, WarpClock } from './clock.js';

describe('VirtualClock', () => {
  test('fires timers in due order, ties in scheduling order, and cancelled ones never', async () => {
    const c = new VirtualClock(0);
    const fired: string[] = [];
    c.setTimeout(() => fired.push('b@20'), 20);
    c.setTimeout(() => fired.push('a@10'), 10);
    const x = c.setTimeout(() => fired.push('x@15'), 15);
    c.setTimeout(() => fired.push('c@20'), 20);
    c.clearTimeout(x);
    await c.advance(25);
    assert.deepEqual(fired, ['a@10', 'b@20', 'c@20']);
    assert.equal(c.now(), 25);
  });

  test('intervals tick once per period while time advances', async () => {
    const c = new VirtualClock(0);
    let ticks = 0;
    const h = c.setInterval(() => ticks++, 5_000);
    await c.advance(60_000);
    assert.equal(ticks, 12);
    c.clearInterval(h);
    await c.advance(60_000);
    assert.equal(ticks, 12);
    assert.equal(c.pending(), 0);
  });

  test('timers scheduled by a firing timer run within the same advance when due', async () => {
    const c = new VirtualClock(0);
    const at: number[] = [];
    const chain = (n: number) => c.setTimeout(() => { at.push(c.now()); if (n > 0) chain(n - 1); }, 1_000);
    chain(4);
    await c.advance(10_000);
    assert.deepEqual(at, [1000, 2000, 3000, 4000, 5000]);
  });

  test('ten thousand timers stay cheap (heap, not a scan)', async () => {
    const c = new VirtualClock(0);
    let n = 0;
    for (let i = 0; i < 10_000; i++) c.setTimeout(() => n++, (i * 7919) % 100_000);
    await c.advance(100_000);
    assert.equal(n, 10_000);
  });
});

describe('WarpClock', () => {
  test('runs at wall-clock speed and fires real-time timers', async () => {
    const c = new WarpClock();
    const t0 = c.now();
    await new Promise<void>((resolve) => c.setTimeout(resolve, 20));
    assert.ok(c.now() - t0 >= 15);
  });

  test('advance jumps ahead, firing due timers in order with now() at their due time', async () => {
    const c = new WarpClock(Date.UTC(2026, 0, 1));
    const start = c.now();
    const seen: number[] = [];
    c.setTimeout(() => seen.push(c.now() - start), 3_600_000);
    c.setTimeout(() => seen.push(c.now() - start), 60_000);
    const later = c.setTimeout(() => seen.push(-1), 7_200_000);
    await c.advance(3_600_000);
    assert.equal(seen.length, 2);
    assert.ok(seen[0] >= 60_000 && seen[0] < 61_000);
    assert.ok(seen[1] >= 3_600_000 && seen[1] < 3_601_000);
    assert.ok(c.now() - start >= 3_600_000);
    c.clearTimeout(later);
  });
});

describe('whole milliseconds', () => {
  test('a fractional delay (a jittered 10 s) leaves virtual time whole', async () => {
    const c = new VirtualClock(0);
    let at = -1;
    c.setTimeout(() => (at = c.now()), 10_000 * 1.0137);
    await c.advance(20_000);
    assert.equal(at, 10_137);
    const w = new WarpClock(Date.UTC(2026, 0, 1));
    let wat = 0.5;
    w.setTimeout(() => (wat = w.now()), 1234.56);
    await w.advance(2000);
    assert.equal(wat % 1, 0);
  });
});

describe('rfc3339 timestamps', () => {
  const cases: [name: string, ms: number, seconds: string, micro: string][] = [
    ['drops the milliseconds for RFC 3339', Date.UTC(2026, 0, 1, 0, 0, 30, 999), '2026-01-01T00:00:30Z', '2026-01-01T00:00:30.999000Z'],
    ['keeps the same second after a call in that second', Date.UTC(2026, 0, 1, 0, 0, 30, 1), '2026-01-01T00:00:30Z', '2026-01-01T00:00:30.001000Z'],
    ['moves to the next second', Date.UTC(2026, 0, 1, 0, 0, 31), '2026-01-01T00:00:31Z', '2026-01-01T00:00:31.000000Z'],
    ['goes back to an earlier second', Date.UTC(2025, 11, 31, 23, 59, 59, 500), '2025-12-31T23:59:59Z', '2025-12-31T23:59:59.500000Z'],
    ['formats the epoch', 0, '1970-01-01T00:00:00Z', '1970-01-01T00:00:00.000000Z'],
    ['truncates a fractional millisecond', Date.UTC(2026, 5, 30, 12, 0, 0, 7) + 0.9, '2026-06-30T12:00:00Z', '2026-06-30T12:00:00.007000Z'],
    ['pads milliseconds under ten', Date.UTC(2026, 5, 30, 12, 0, 1, 42), '2026-06-30T12:00:01Z', '2026-06-30T12:00:01.042000Z'],
  ];
  // In order: each case follows the one before, as successive writes stamp times.
  for (const [name, ms, seconds, micro] of cases) {
    test(name, () => {
      assert.equal(rfc3339(ms), seconds);
      assert.equal(rfc3339Micro(ms), micro);
    });
  }
});
