import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../apiserver/testing.js';
import { VirtualClock, WarpClock } from '../sim/clock.js';
import { clockEndpoint, parseDuration } from './control.js';
import { StatusError } from '../apimachinery/errors.js';

describe('parseDuration (Go time.ParseDuration for fast-forwards)', () => {
  const ok: [string, number][] = [
    ['90s', 90_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['250ms', 250],
    ['2m3s', 123_000],
  ];
  for (const [text, ms] of ok) test(`${text} is ${ms} ms`, () => assert.equal(parseDuration(text), ms));
  for (const bad of ['', '1', '1x', 'h', '1h ', '-1h', '1d']) {
    test(`${JSON.stringify(bad)} is refused with Go's words`, () => {
      assert.throws(() => parseDuration(bad), (e: unknown) => e instanceof StatusError && e.code === 400 && e.status.message === `time: invalid duration "${bad}"`);
    });
  }
});

describe('/skiff/v1/clock', () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer();
  });
  afterEach(() => t.stop());

  test('a virtual clock is fast-forwarded by cluster-admin, firing due timers', async () => {
    const clock = new WarpClock(Date.UTC(2026, 0, 1));
    t.server.registerExtension('/skiff/v1/clock', clockEndpoint(clock));
    let fired = 0;
    clock.setTimeout(() => fired++, 3_000_000);
    const r = await t.request('POST', '/skiff/v1/clock/advance?duration=1h');
    assert.equal(r.status, 200, r.body);
    const body = r.json<{ now: string; virtual: boolean; advancedSeconds: number }>();
    assert.equal(body.virtual, true);
    assert.equal(body.advancedSeconds, 3600);
    assert.match(body.now, /^2026-01-01T01:00:0\dZ$/);
    assert.equal(fired, 1);
  });

  test('a real clock cannot be fast-forwarded', async () => {
    t.server.registerExtension('/skiff/v1/clock', clockEndpoint(new VirtualClock()));
    const r = await t.request('POST', '/skiff/v1/clock/advance?duration=1h');
    assert.equal(r.status, 400);
    assert.match(r.json<{ message: string }>().message, /start skiff with --clock virtual/);
    const g = await t.request('GET', '/skiff/v1/clock');
    assert.equal(g.status, 200);
    assert.equal(g.json<{ virtual: boolean }>().virtual, false);
  });

  test('anonymous callers are refused before the handler runs', async () => {
    const clock = new WarpClock();
    t.server.registerExtension('/skiff/v1/clock', clockEndpoint(clock));
    const r = await t.request('POST', '/skiff/v1/clock/advance?duration=1h', { token: null });
    assert.equal(r.status, 401);
  });
});
