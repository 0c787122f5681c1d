// Many simulated kubelets share one timer: due work sits in a binary heap and a single Clock timer
// is armed for the earliest entry. Thousands of nodes and pods then cost one pending clock timer,
// not one each (a VirtualClock scans its timers on every step).
import type { Clock, TimerHandle } from '../sim/clock.js';
import { BinaryHeap, dueThenSeq } from '../sim/heap.js';

/** A scheduled callback; cancel it with TimerQueue.cancel. */
export interface Task {
  readonly due: number;
  cancelled: boolean;
}

interface Entry extends Task {
  seq: number;
  fn: () => void;
}

export class TimerQueue {
  private readonly heap = new BinaryHeap<Entry>(dueThenSeq);
  private seq = 0;
  private handle?: TimerHandle;
  private armedFor = Infinity;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly onError: (e: unknown) => void = () => {},
  ) {}

  /** Runs fn at time `due` (ms since the epoch), or as soon as possible if that has passed. */
  at(due: number, fn: () => void): Task {
    const e: Entry = { due, fn, seq: this.seq++, cancelled: false };
    this.heap.push(e);
    this.arm();
    return e;
  }

  /** Runs fn after ms. */
  after(ms: number, fn: () => void): Task {
    return this.at(this.clock.now() + Math.max(0, ms), fn);
  }

  cancel(task: Task | undefined): void {
    if (task) task.cancelled = true;
  }

  /** Entries not yet run or cancelled (for tests and idleness). */
  get size(): number {
    return this.heap.items().filter((e) => !e.cancelled).length;
  }

  stop(): void {
    this.stopped = true;
    this.clock.clearTimeout(this.handle);
    this.handle = undefined;
    this.heap.clear();
  }

  private arm(): void {
    if (this.stopped) return;
    while (this.heap.peek()?.cancelled) this.heap.pop();
    const top = this.heap.peek();
    if (!top) {
      this.clock.clearTimeout(this.handle);
      this.handle = undefined;
      this.armedFor = Infinity;
      return;
    }
    if (this.handle && top.due >= this.armedFor) return;
    this.clock.clearTimeout(this.handle);
    this.armedFor = top.due;
    this.handle = this.clock.setTimeout(() => this.run(), Math.max(0, top.due - this.clock.now()));
  }

  private run(): void {
    this.handle = undefined;
    this.armedFor = Infinity;
    const now = this.clock.now();
    while (!this.stopped && this.heap.length && this.heap.peek()!.due <= now) {
      const e = this.heap.pop()!;
      if (e.cancelled) continue;
      e.cancelled = true;
      try {
        e.fn();
      } catch (err) {
        this.onError(err);
      }
    }
    this.arm();
  }
}
