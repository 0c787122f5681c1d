// client-go's work queue (util/workqueue): a de-duplicating FIFO whose dirty/processing sets make
// sure one key is never handled by two workers at once, a delaying layer on the Clock, and rate
// limiters (per-item exponential backoff plus an overall token bucket, as
// DefaultControllerRateLimiter).
import type { Clock, TimerHandle } from '../sim/clock.js';

/** Decides how long an item waits before it is retried. */
export interface RateLimiter<T> {
  /** The delay for the item's next retry (and counts the failure). */
  when(item: T): number;
  /** Stops tracking the item (it succeeded). */
  forget(item: T): void;
  /** How many times the item has been retried since it was last forgotten. */
  numRequeues(item: T): number;
}

/** Per-item exponential backoff: base·2^failures, capped (ItemExponentialFailureRateLimiter). */
export class ItemExponentialFailureRateLimiter<T> implements RateLimiter<T> {
  private readonly failures = new Map<T, number>();

  constructor(
    private readonly baseMs: number,
    private readonly maxMs: number,
  ) {}

  when(item: T): number {
    const n = this.failures.get(item) ?? 0;
    this.failures.set(item, n + 1);
    const backoff = this.baseMs * 2 ** n;
    return Number.isFinite(backoff) ? Math.min(backoff, this.maxMs) : this.maxMs;
  }
  forget(item: T): void {
    this.failures.delete(item);
  }
  numRequeues(item: T): number {
    return this.failures.get(item) ?? 0;
  }
}

/** An overall token bucket (qps, burst) shared by all items, as client-go's BucketRateLimiter. */
export class BucketRateLimiter<T> implements RateLimiter<T> {
  private tokens: number;
  private last: number;

  constructor(
    private readonly clock: Clock,
    private readonly qps: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
    this.last = clock.now();
  }

  when(_item: T): number {
    // Reserve one token: refill for the time passed, take one, wait for the deficit to refill.
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.qps) * 1000;
  }
  forget(_item: T): void {}
  numRequeues(_item: T): number {
    return 0;
  }
}

/** The longest delay of several limiters (MaxOfRateLimiter). */
export class MaxOfRateLimiter<T> implements RateLimiter<T> {
  private readonly limiters: RateLimiter<T>[];
  constructor(...limiters: RateLimiter<T>[]) {
    this.limiters = limiters;
  }
  when(item: T): number {
    return Math.max(0, ...this.limiters.map((l) => l.when(item)));
  }
  forget(item: T): void {
    for (const l of this.limiters) l.forget(item);
  }
  numRequeues(item: T): number {
    return Math.max(0, ...this.limiters.map((l) => l.numRequeues(item)));
  }
}

/** DefaultControllerRateLimiter: 5 ms → 1000 s per item, and 10 qps / 100 burst overall. */
export function defaultControllerRateLimiter<T>(clock: Clock): RateLimiter<T> {
  return new MaxOfRateLimiter<T>(new ItemExponentialFailureRateLimiter<T>(5, 1000_000), new BucketRateLimiter<T>(clock, 10, 100));
}

/** What get() hands a worker. */
export type QueueItem<T> = { item: T; shutdown: false } | { item: undefined; shutdown: true };

/** Configures a queue. */
export interface WorkQueueConfig<T> {
  clock: Clock;
  /** For logs and metrics. */
  name?: string;
  rateLimiter?: RateLimiter<T>;
}

/**
 * The rate-limited, delaying work queue controllers use. Items are compared by identity (strings
 * by value), so the same key added twice before a worker takes it is processed once.
 */
export class WorkQueue<T> {
  readonly name: string;
  private readonly clock: Clock;
  private readonly rateLimiter: RateLimiter<T>;
  private readonly queue: T[] = [];
  private readonly dirty = new Set<T>();
  private readonly processing = new Set<T>();
  private readonly waiting = new Map<T, { due: number; timer: TimerHandle }>();
  private readonly getters: ((q: QueueItem<T>) => void)[] = [];
  private shuttingDown = false;
  private drainWaiters: (() => void)[] = [];

  constructor(config: WorkQueueConfig<T>) {
    this.clock = config.clock;
    this.name = config.name ?? '';
    this.rateLimiter = config.rateLimiter ?? defaultControllerRateLimiter<T>(config.clock);
  }

  /** Marks item as needing processing; a no-op when it already waits in the queue. */
  add(item: T): void {
    if (this.shuttingDown || this.dirty.has(item)) return;
    this.dirty.add(item);
    if (this.processing.has(item)) return; // done() puts it back
    this.queue.push(item);
    this.handOut();
  }

  /** Adds item once ms have passed on the clock; an earlier pending addAfter wins. */
  addAfter(item: T, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) return this.add(item);
    const due = this.clock.now() + ms;
    const existing = this.waiting.get(item);
    if (existing) {
      if (existing.due <= due) return;
      this.clock.clearTimeout(existing.timer);
    }
    const timer = this.clock.setTimeout(() => {
      this.waiting.delete(item);
      this.add(item);
    }, ms);
    this.waiting.set(item, { due, timer });
  }

  /** Adds item after its rate limiter's delay. */
  addRateLimited(item: T): void {
    this.addAfter(item, this.rateLimiter.when(item));
  }

  /** Clears item's backoff (its processing succeeded). */
  forget(item: T): void {
    this.rateLimiter.forget(item);
  }

  numRequeues(item: T): number {
    return this.rateLimiter.numRequeues(item);
  }

  /** Waits for the next item; { shutdown: true } once shut down and drained. */
  get(): Promise<QueueItem<T>> {
    if (this.queue.length) return Promise.resolve(this.take());
    if (this.shuttingDown) return Promise.resolve({ item: undefined, shutdown: true });
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** Ends processing of item; if it was added meanwhile, it goes back in the queue. */
  done(item: T): void {
    this.processing.delete(item);
    if (this.dirty.has(item)) {
      this.queue.push(item);
      this.handOut();
    }
    this.checkDrained();
  }

  /** Items waiting to be handed out (not those delayed or being processed). */
  len(): number {
    return this.queue.length;
  }

  /** Items being processed right now. */
  processingCount(): number {
    return this.processing.size;
  }

  /** Items scheduled by addAfter/addRateLimited that are not due yet. */
  delayedCount(): number {
    return this.waiting.size;
  }

  /** Stops accepting items; workers drain what is queued, then get() reports shutdown. */
  shutDown(): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    for (const w of this.waiting.values()) this.clock.clearTimeout(w.timer);
    this.waiting.clear();
    if (!this.queue.length) for (const g of this.getters.splice(0)) g({ item: undefined, shutdown: true });
    this.checkDrained();
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** Resolves once nothing is queued or being processed (delayed items do not count). */
  whenIdle(): Promise<void> {
    if (!this.queue.length && !this.processing.size) return Promise.resolve();
    return new Promise((r) => this.drainWaiters.push(r));
  }

  private take(): QueueItem<T> {
    const item = this.queue.shift()!;
    this.processing.add(item);
    this.dirty.delete(item);
    return { item, shutdown: false };
  }

  private handOut(): void {
    while (this.queue.length && this.getters.length) this.getters.shift()!(this.take());
  }

  private checkDrained(): void {
    if (this.queue.length || this.processing.size) return;
    for (const w of this.drainWaiters.splice(0)) w();
    if (this.shuttingDown) for (const g of this.getters.splice(0)) g({ item: undefined, shutdown: true });
  }
}
