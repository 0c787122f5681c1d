// Many simulated kubelets share one timer: due work sits in a binary heap and a single Clock timer
// is armed for the earliest entry. Thousands of nodes and pods then cost one pending clock timer,
// not one each (a VirtualClock scans its timers on every step).
import type { Clock, TimerHandle } from '../sim/clock.js';

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
  private readonly heap: Entry[] = [];
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
    this.push(e);
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
    return this.heap.filter((e) => !e.cancelled).length;
  }

  stop(): void {
    this.stopped = true;
    this.clock.clearTimeout(this.handle);
    this.handle = undefined;
    this.heap.length = 0;
  }

  private arm(): void {
    if (this.stopped) return;
    while (this.heap.length && this.heap[0].cancelled) this.pop();
    const top = this.heap[0];
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
    while (!this.stopped && this.heap.length && this.heap[0].due <= now) {
      const e = this.pop()!;
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

  private less(a: Entry, b: Entry): boolean {
    return a.due < b.due || (a.due === b.due && a.seq < b.seq);
  }

  private push(e: Entry): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  private pop(): Entry | undefined {
    const h = this.heap;
    if (!h.length) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (r < h.length && this.less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}
