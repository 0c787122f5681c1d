import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../sim/clock.js';
import { TimerQueue } from './timers.js';

describe('TimerQueue', () => {
  test('runs entries in due order on one clock timer, skipping cancelled ones', async () => {
    const clock = new VirtualClock(0);
    const q = new TimerQueue(clock);
    const ran: string[] = [];
    q.at(300, () => ran.push('c'));
    q.at(100, () => ran.push('a'));
    const b = q.at(200, () => ran.push('b'));
    q.at(100, () => ran.push('a2'));
    q.cancel(b);
    assert.equal(clock.pending(), 1);
    await clock.advance(150);
    assert.deepEqual(ran, ['a', 'a2']);
    await clock.advance(1000);
    assert.deepEqual(ran, ['a', 'a2', 'c']);
    assert.equal(clock.pending(), 0);
  });

  test('an earlier entry re-arms the clock timer', async () => {
    const clock = new VirtualClock(0);
    const q = new TimerQueue(clock);
    const ran: number[] = [];
    q.at(1000, () => ran.push(clock.now()));
    q.at(10, () => ran.push(clock.now()));
    await clock.advance(2000);
    assert.deepEqual(ran, [10, 1000]);
  });

  test('stop drops everything', async () => {
    const clock = new VirtualClock(0);
    const q = new TimerQueue(clock);
    let ran = false;
    q.after(10, () => (ran = true));
    q.stop();
    await clock.advance(100);
    assert.equal(ran, false);
    assert.equal(clock.pending(), 0);
  });
});
