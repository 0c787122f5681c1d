// A binary min-heap over an ordering, for timer queues: the virtual clocks' timers and the kubelet
// pool's shared TimerQueue keep thousands of pending entries and only ever need the earliest.
// Removal is lazy (callers mark entries dead and skip them when they surface), so there is no
// decrease-key; src/scheduler/heap.ts is the keyed, updatable kind.

/** Timer order: by due time, then by insertion sequence so equal due times run first-in first-out. */
export function dueThenSeq(a: { due: number; seq: number }, b: { due: number; seq: number }): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}

export class BinaryHeap<T> {
  private readonly h: T[] = [];

  /** less(a, b): a comes out before b. */
  constructor(private readonly less: (a: T, b: T) => boolean) {}

  get length(): number {
    return this.h.length;
  }

  /** The entries in heap order (the earliest first, the rest unordered). */
  items(): readonly T[] {
    return this.h;
  }

  peek(): T | undefined {
    return this.h[0];
  }

  push(x: T): void {
    const h = this.h;
    h.push(x);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i], h[p])) break;
      // A temporary, not a destructuring swap: this runs cold often enough (a few times per virtual
      // second) that the array a swap allocates before it is optimised away shows in profiles.
      const t = h[i];
      h[i] = h[p];
      h[p] = t;
      i = p;
    }
  }

  /** Removes and returns the earliest entry. */
  pop(): T | undefined {
    const h = this.h;
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
        const t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
      }
    }
    return top;
  }

  clear(): void {
    this.h.length = 0;
  }
}
