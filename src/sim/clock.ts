// The one place skiff reads time or schedules work. Every other module takes a Clock, so a
// VirtualClock can run hours of cluster behaviour in seconds through the same code path.
import { BinaryHeap, dueThenSeq } from './heap.js';

/** A handle for a scheduled timer; cancel it with Clock.clearTimeout. */
export interface TimerHandle {
  readonly id: number;
}

/** Time as skiff sees it: wall time, timers, and sleeps. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** The current time as a Date. */
  date(): Date;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
  setInterval(fn: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle | undefined): void;
  /** Resolves after ms, or rejects with the signal's reason once it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** RFC 3339 with second precision, as Kubernetes serialises metav1.Time. */
export function rfc3339(ms: number): string {
  // Every write stamps times; most fall in the same second as the one before.
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    lastRfc3339 = new Date(second * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  return lastRfc3339;
}
let lastSecond = NaN;
let lastRfc3339 = '';

/** RFC 3339 with microseconds, as Kubernetes serialises metav1.MicroTime. */
export function rfc3339Micro(ms: number): string {
  // The second's text (usually the one just made) with the milliseconds spliced in.
  const whole = Math.trunc(ms);
  const millis = whole - Math.floor(whole / 1000) * 1000;
  return `${rfc3339(whole).slice(0, -1)}.${MILLIS[millis]}000Z`;
}
const MILLIS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

function sleepOn(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clock.clearTimeout(handle);
      reject(signal?.reason);
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

// Virtual time moves in whole milliseconds, as Date does: a jittered delay (10_000 × 1.013) must
// not leave now() fractional for everything that formats or hashes it afterwards.
function wholeMs(ms: number): number {
  return Math.max(0, Math.ceil(ms));
}

/** The machine's clock. */
export class RealClock implements Clock {
  private nextId = 1;
  private readonly timers = new Map<number, NodeJS.Timeout>();

  now(): number {
    return Date.now();
  }
  date(): Date {
    return new Date();
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    const t = setTimeout(() => {
      this.timers.delete(id);
      fn();
    }, ms);
    this.timers.set(id, t);
    return { id };
  }
  clearTimeout(handle: TimerHandle | undefined): void {
    if (!handle) return;
    const t = this.timers.get(handle.id);
    if (t) clearTimeout(t);
    this.timers.delete(handle.id);
  }
  setInterval(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    const t = setInterval(fn, ms);
    this.timers.set(id, t);
    return { id };
  }
  clearInterval(handle: TimerHandle | undefined): void {
    if (!handle) return;
    const t = this.timers.get(handle.id);
    if (t) clearInterval(t);
    this.timers.delete(handle.id);
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal);
  }
}

interface VirtualTimer {
  id: number;
  due: number;
  seq: number;
  fn: () => void;
  interval?: number;
}

/**
 * Timers kept in virtual time: a binary heap ordered by (due, seq), with cancelled timers dropped
 * lazily, so tens of thousands of pending timers (one per simulated pod) stay cheap.
 */
class TimerHeap {
  private nextId = 1;
  private seq = 0;
  private readonly heap = new BinaryHeap<VirtualTimer>(dueThenSeq);
  private readonly live = new Map<number, VirtualTimer>();

  get size(): number {
    return this.live.size;
  }

  add(fn: () => void, due: number, interval?: number): TimerHandle {
    const t: VirtualTimer = { id: this.nextId++, due, seq: this.seq++, fn, interval };
    this.live.set(t.id, t);
    this.heap.push(t);
    return { id: t.id };
  }

  cancel(handle: TimerHandle | undefined): void {
    if (handle) this.live.delete(handle.id);
  }

  /** The earliest live timer, if any. */
  peek(): VirtualTimer | undefined {
    let top = this.heap.peek();
    while (top && this.live.get(top.id) !== top) {
      this.heap.pop();
      top = this.heap.peek();
    }
    return top;
  }

  /** Removes the earliest timer and returns it, re-queueing intervals for their next tick. */
  take(): VirtualTimer | undefined {
    const t = this.peek();
    if (!t) return undefined;
    this.heap.pop();
    if (t.interval) {
      const next: VirtualTimer = { ...t, due: t.due + t.interval, seq: this.seq++ };
      this.live.set(t.id, next);
      this.heap.push(next);
    } else {
      this.live.delete(t.id);
    }
    return t;
  }
}

/**
 * Virtual time: now() only moves when the clock is advanced, and advancing runs every timer that
 * falls due, in due order, letting promise callbacks settle between timers.
 */
export class VirtualClock implements Clock {
  private current: number;
  private readonly timers = new TimerHeap();

  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }
  date(): Date {
    return new Date(this.current);
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.timers.add(fn, this.current + wholeMs(ms));
  }
  clearTimeout(handle: TimerHandle | undefined): void {
    this.timers.cancel(handle);
  }
  setInterval(fn: () => void, ms: number): TimerHandle {
    const every = Math.max(1, wholeMs(ms));
    return this.timers.add(fn, this.current + every, every);
  }
  clearInterval(handle: TimerHandle | undefined): void {
    this.timers.cancel(handle);
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal);
  }

  /** The number of timers still scheduled. */
  pending(): number {
    return this.timers.size;
  }

  /** Moves time forward by ms, firing every timer that falls due on the way. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      await settle();
      const next = this.timers.peek();
      if (!next || next.due > target) break;
      this.timers.take();
      this.current = Math.max(this.current, next.due);
      next.fn();
    }
    this.current = target;
    await settle();
  }
}

/**
 * Real time that can be fast-forwarded: it runs at wall-clock speed (timers fire when due, as with
 * RealClock) until advance(ms) jumps ahead, firing every timer that falls due on the way in order, as
 * VirtualClock does. `skiff up --clock virtual` runs on it, so a live cluster can skip a virtual hour.
 */
export class WarpClock implements Clock {
  private offset = 0;
  private readonly timers = new TimerHeap();
  private armed?: { due: number; t: NodeJS.Timeout };
  private advancing = false;

  constructor(startMs?: number) {
    if (startMs !== undefined) this.offset = startMs - Date.now();
  }

  now(): number {
    return Date.now() + this.offset;
  }
  date(): Date {
    return new Date(this.now());
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const h = this.timers.add(fn, this.now() + wholeMs(ms));
    this.arm();
    return h;
  }
  clearTimeout(handle: TimerHandle | undefined): void {
    this.timers.cancel(handle);
    // With nothing left to fire, the armed real timer must not keep the process alive.
    if (!this.timers.size && this.armed) {
      clearTimeout(this.armed.t);
      this.armed = undefined;
    }
  }
  setInterval(fn: () => void, ms: number): TimerHandle {
    const every = Math.max(1, wholeMs(ms));
    const h = this.timers.add(fn, this.now() + every, every);
    this.arm();
    return h;
  }
  clearInterval(handle: TimerHandle | undefined): void {
    this.clearTimeout(handle);
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal);
  }

  /** How far virtual time is ahead of the wall clock, in ms. */
  get skew(): number {
    return this.offset;
  }

  /** Jumps ms ahead, firing due timers in order with promise callbacks settling between them. */
  async advance(ms: number): Promise<void> {
    if (this.advancing) throw new Error('the clock is already advancing');
    this.advancing = true;
    try {
      const target = this.now() + Math.max(0, ms);
      for (;;) {
        await settle();
        const next = this.timers.peek();
        if (!next || next.due > target) break;
        this.timers.take();
        if (next.due > this.now()) this.offset = next.due - Date.now();
        next.fn();
      }
      if (target > this.now()) this.offset = target - Date.now();
      await settle();
    } finally {
      this.advancing = false;
      // The armed real timer was computed for the old skew.
      if (this.armed) clearTimeout(this.armed.t);
      this.armed = undefined;
      this.arm();
    }
  }

  // One real timer, for the earliest virtual one; re-armed whenever that changes.
  private arm(): void {
    if (this.advancing) return;
    const next = this.timers.peek();
    if (!next) return;
    if (this.armed && this.armed.due <= next.due) return;
    if (this.armed) clearTimeout(this.armed.t);
    const t = setTimeout(() => this.fireDue(), Math.max(0, next.due - this.now()));
    this.armed = { due: next.due, t };
  }

  private fireDue(): void {
    this.armed = undefined;
    if (this.advancing) return;
    const now = this.now();
    for (let next = this.timers.peek(); next && next.due <= now; next = this.timers.peek()) {
      this.timers.take();
      try {
        next.fn();
      } catch (e) {
        queueMicrotask(() => {
          throw e;
        });
      }
    }
    this.arm();
  }
}

// Tasks queued with defer that have not run yet: while there are none after a turn of the event
// loop, every chain the last timer started is waiting on a later timer (or on outside I/O), and
// more turns would do nothing.
let deferred = 0;

/**
 * Runs fn on a later turn of the event loop (setImmediate), as work the virtual clock waits for:
 * the store's group commit and watch delivery, the scheduler's next cycle. Between two timers it
 * lets the chains they start finish and stops turning the loop as soon as none is left.
 */
export function defer(fn: () => void): void {
  deferred++;
  setImmediate(() => {
    deferred--;
    fn();
  });
}

// Lets already-resolved promise chains and deferred work run before the next virtual timer fires:
// up to five turns of the event loop, fewer when nothing deferred is left to run.
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise<void>((r) => setImmediate(r));
    if (deferred === 0) return;
  }
}

/** The process-wide real clock, for callers that are not handed one. */
export const realClock: Clock = new RealClock();
