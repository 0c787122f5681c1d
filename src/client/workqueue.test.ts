import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../sim/clock.js';
import { BucketRateLimiter, defaultControllerRateLimiter, ItemExponentialFailureRateLimiter, MaxOfRateLimiter, WorkQueue } from './workqueue.js';

function queue(clock = new VirtualClock()) {
  return { clock, q: new WorkQueue<string>({ clock }) };
}

describe('WorkQueue', () => {
  test('hands out an item added twice before a worker takes it only once', async () => {
    const { q } = queue();
    q.add('ns/a');
    q.add('ns/b');
    q.add('ns/a');
    assert.equal(q.len(), 2);
    assert.deepEqual(await q.get(), { item: 'ns/a', shutdown: false });
    assert.deepEqual(await q.get(), { item: 'ns/b', shutdown: false });
    assert.equal(q.len(), 0);
  });

  test('never hands out a key that is being processed; an add meanwhile requeues it on done', async () => {
    const { q } = queue();
    q.add('k');
    const first = await q.get();
    q.add('k'); // arrives while a worker holds it
    assert.equal(q.len(), 0, 'not handed to a second worker');
    let second: string | undefined;
    void q.get().then((r) => (second = r.item));
    await new Promise((r) => setImmediate(r));
    assert.equal(second, undefined);
    q.done(first.item!);
    await new Promise((r) => setImmediate(r));
    assert.equal(second, 'k');
  });

  test('a key added and completed without a new add is not requeued', async () => {
    const { q } = queue();
    q.add('k');
    const { item } = await q.get();
    q.done(item!);
    assert.equal(q.len(), 0);
  });

  test('a waiting get wakes up when an item arrives', async () => {
    const { q } = queue();
    const pending = q.get();
    q.add('x');
    assert.deepEqual(await pending, { item: 'x', shutdown: false });
  });

  test('shutDown drains what is queued, then get reports shutdown and adds are ignored', async () => {
    const { q } = queue();
    q.add('a');
    q.shutDown();
    q.add('b');
    assert.deepEqual(await q.get(), { item: 'a', shutdown: false });
    assert.deepEqual(await q.get(), { item: undefined, shutdown: true });
  });

  test('shutDown releases a worker blocked in get', async () => {
    const { q } = queue();
    const pending = q.get();
    q.shutDown();
    assert.deepEqual(await pending, { item: undefined, shutdown: true });
  });

  test('addAfter adds the item once the clock passes the delay', async () => {
    const { q, clock } = queue();
    q.addAfter('k', 1000);
    assert.equal(q.len(), 0);
    await clock.advance(999);
    assert.equal(q.len(), 0);
    await clock.advance(1);
    assert.equal(q.len(), 1);
  });

  test('addAfter keeps the earliest of two pending delays', async () => {
    const { q, clock } = queue();
    q.addAfter('k', 5000);
    q.addAfter('k', 100);
    q.addAfter('k', 3000);
    await clock.advance(100);
    assert.equal(q.len(), 1);
    assert.equal(q.delayedCount(), 0);
  });

  test('addRateLimited backs off exponentially per item from 5 ms, and forget resets it', async () => {
    const { q, clock } = queue();
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const start = clock.now();
      q.addRateLimited('k');
      while (q.len() === 0) await clock.advance(1);
      delays.push(clock.now() - start);
      const { item } = await q.get();
      q.done(item!);
    }
    assert.deepEqual(delays, [5, 10, 20, 40]);
    assert.equal(q.numRequeues('k'), 4);
    q.forget('k');
    assert.equal(q.numRequeues('k'), 0);
  });
});

describe('rate limiters', () => {
  test('ItemExponentialFailureRateLimiter caps at its maximum (1000 s by default in controllers)', () => {
    const rl = new ItemExponentialFailureRateLimiter<string>(5, 1000_000);
    let last = 0;
    for (let i = 0; i < 40; i++) last = rl.when('x');
    assert.equal(last, 1000_000);
    assert.equal(rl.when('other'), 5, 'items back off independently');
  });

  test('BucketRateLimiter lets a burst through, then spaces items at 1/qps', async () => {
    const clock = new VirtualClock();
    const rl = new BucketRateLimiter<string>(clock, 10, 3);
    assert.deepEqual([rl.when('a'), rl.when('b'), rl.when('c')], [0, 0, 0]);
    assert.equal(Math.round(rl.when('d')), 100);
    assert.equal(Math.round(rl.when('e')), 200);
    await clock.advance(1000);
    assert.equal(rl.when('f'), 0, 'tokens refill with time');
  });

  test('MaxOfRateLimiter takes the longest delay', () => {
    const clock = new VirtualClock();
    const rl = new MaxOfRateLimiter<string>(new ItemExponentialFailureRateLimiter(5, 1000), new BucketRateLimiter(clock, 1, 1));
    assert.equal(rl.when('a'), 5);
    assert.equal(rl.when('a'), 1000, 'the empty bucket dominates');
  });

  test('the default controller rate limiter starts at 5 ms', () => {
    const rl = defaultControllerRateLimiter<string>(new VirtualClock());
    assert.deepEqual([rl.when('a'), rl.when('a'), rl.when('b')], [5, 10, 5]);
  });
});
