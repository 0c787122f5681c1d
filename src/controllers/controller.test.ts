import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { notFound } from '../apimachinery/errors.js';
import { DeletedFinalStateUnknown } from '../client/informer.js';
import { eventually, settle } from '../client/testing.js';
import { VirtualClock } from '../sim/clock.js';
import { Controller, type ControllerConfig } from './controller.js';

/** A controller whose sync is scripted by the test. */
class ScriptedController extends Controller {
  readonly calls: { key: string; at: number }[] = [];
  active = new Set<string>();
  overlap = false;
  maxParallel = 0;
  constructor(
    config: ControllerConfig,
    private readonly behaviour: (key: string, attempt: number) => Promise<void> | void,
  ) {
    super('scripted', config);
  }
  protected async sync(key: string): Promise<void> {
    if (this.active.has(key)) this.overlap = true;
    this.active.add(key);
    this.maxParallel = Math.max(this.maxParallel, this.active.size);
    const attempt = this.calls.filter((c) => c.key === key).length;
    this.calls.push({ key, at: this.clock.now() });
    try {
      await this.behaviour(key, attempt);
    } finally {
      this.active.delete(key);
    }
  }
}

describe('Controller', () => {
  test('start does not block, and each enqueued key is synced', async () => {
    const clock = new VirtualClock();
    const c = new ScriptedController({ clock, log: () => {} }, () => {});
    const stop = new AbortController();
    c.start(stop.signal); // returns at once
    c.enqueue({ metadata: { namespace: 'ns', name: 'a' } });
    c.enqueue({ metadata: { name: 'cluster-scoped' } });
    c.enqueue(new DeletedFinalStateUnknown('ns/gone', { metadata: { namespace: 'ns', name: 'gone' } }));
    await eventually(() => c.calls.length === 3);
    assert.deepEqual(c.calls.map((x) => x.key), ['ns/a', 'cluster-scoped', 'ns/gone']);
    stop.abort();
  });

  test('requeues a failing key with exponential backoff on the clock, then forgets it once it succeeds', async () => {
    const clock = new VirtualClock();
    const start = clock.now();
    const c = new ScriptedController({ clock, log: () => {} }, (_k, attempt) => {
      if (attempt < 3) throw new Error('transient');
    });
    const stop = new AbortController();
    c.start(stop.signal);
    c.enqueue({ metadata: { namespace: 'ns', name: 'flaky' } });
    await eventually(() => c.calls.length === 4, { clock, stepMs: 1 });
    assert.deepEqual(c.calls.map((x) => x.at - start), [0, 5, 15, 35], '5 ms, then 10, then 20');
    assert.equal(c.queue.numRequeues('ns/flaky'), 0, 'forgotten after success');
    stop.abort();
  });

  test('treats NotFound as done: no retry', async () => {
    const clock = new VirtualClock();
    const c = new ScriptedController({ clock, log: () => {} }, (key) => {
      throw notFound({ group: '', resource: 'configmaps' }, key);
    });
    const stop = new AbortController();
    c.start(stop.signal);
    c.enqueue({ metadata: { namespace: 'ns', name: 'vanished' } });
    await eventually(() => c.calls.length === 1);
    await clock.advance(10_000);
    assert.equal(c.calls.length, 1);
    assert.equal(c.queue.delayedCount(), 0);
    stop.abort();
  });

  test('runs keys in parallel across workers but never one key twice at once', async () => {
    const clock = new VirtualClock();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const c = new ScriptedController({ clock, workers: 3, log: () => {} }, () => gate);
    const stop = new AbortController();
    c.start(stop.signal);
    await settle();
    for (const n of ['a', 'b', 'c']) c.enqueue({ metadata: { namespace: 'ns', name: n } });
    await eventually(() => c.active.size === 3);
    c.enqueue({ metadata: { namespace: 'ns', name: 'a' } }); // while 'a' is being synced
    await settle();
    assert.equal(c.calls.length, 3, 'the second "a" waits for the first');
    release();
    await eventually(() => c.calls.length === 4);
    assert.equal(c.overlap, false);
    assert.equal(c.maxParallel, 3);
    stop.abort();
  });

  test('aborting the signal stops the workers and ignores later keys', async () => {
    const clock = new VirtualClock();
    const c = new ScriptedController({ clock, log: () => {} }, () => {});
    const stop = new AbortController();
    c.start(stop.signal);
    stop.abort();
    c.enqueue({ metadata: { namespace: 'ns', name: 'late' } });
    await settle();
    assert.equal(c.calls.length, 0);
    assert.equal(c.queue.isShuttingDown, true);
  });
});
