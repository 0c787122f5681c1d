// pkg/controller/nodelifecycle/scheduler/rate_limited_queue.go on the Clock: a unique queue of node
// names drained through a token bucket (burst 1) whose rate the zone's disruption state swaps. A
// name stays "known" after it is processed until remove() is called, so a node is acted on once
// per unhealthy spell.
import type { Clock } from '../../sim/clock.js';

/** flowcontrol's token bucket with burst 1 (EvictionRateLimiterBurst); qps 0 never accepts. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly qps: number,
    private readonly clock: Clock,
    private readonly burst = 1,
  ) {
    this.tokens = burst;
    this.last = clock.now();
  }

  tryAccept(): boolean {
    if (this.qps <= 0) return false;
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export interface TimedValue {
  value: string;
  uid: string;
  addedAt: number;
  processAt: number;
}

/** Returns true when done with the value, or false and a delay (ms) before it is tried again. */
export type ActionFunc = (v: TimedValue) => Promise<[boolean, number]>;

export class RateLimitedTimedQueue {
  private queue: TimedValue[] = [];
  private readonly known = new Set<string>();
  private limiter: TokenBucket;

  constructor(
    private readonly clock: Clock,
    qps: number,
  ) {
    this.limiter = new TokenBucket(qps, clock);
  }

  get qps(): number {
    return this.limiter.qps;
  }

  get length(): number {
    return this.queue.length;
  }

  /** Adds value unless it is already known; true if it was added. */
  add(value: string, uid: string): boolean {
    if (this.known.has(value)) return false;
    const now = this.clock.now();
    this.known.add(value);
    this.push({ value, uid, addedAt: now, processAt: now });
    return true;
  }

  /** Forgets value entirely (queued or processed); true if it was known. */
  remove(value: string): boolean {
    const had = this.known.delete(value);
    this.queue = this.queue.filter((v) => v.value !== value);
    return had;
  }

  clear(): void {
    this.queue = [];
    this.known.clear();
  }

  /** Processes due values while the limiter lets it. */
  async try(fn: ActionFunc): Promise<void> {
    while (this.queue.length) {
      const head = this.queue[0];
      if (!this.limiter.tryAccept()) return;
      const now = this.clock.now();
      if (now < head.processAt) return;
      const [done, wait] = await fn(head);
      // The value may have been removed while fn ran.
      if (this.queue[0] !== head) continue;
      this.queue.shift();
      if (!done) this.push({ ...head, processAt: now + wait + 1 });
    }
  }

  /** RateLimitedTimedQueue.SwapLimiter: a new bucket, drained if the old one was exhausted. */
  swapLimiter(qps: number): void {
    if (this.limiter.qps === qps) return;
    const next = new TokenBucket(qps, this.clock);
    if (qps > 0 && !this.limiter.tryAccept()) next.tryAccept();
    this.limiter = next;
  }

  private push(v: TimedValue): void {
    // Ordered by processAt, then insertion (the TimedQueue heap's order).
    let i = this.queue.length;
    while (i > 0 && this.queue[i - 1].processAt > v.processAt) i--;
    this.queue.splice(i, 0, v);
  }
}
