import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BinaryHeap, dueThenSeq } from './heap.js';

describe('BinaryHeap', () => {
  test('pops entries in order whatever order they were pushed in', () => {
    const h = new BinaryHeap<number>((a, b) => a < b);
    for (const x of [5, 3, 9, 1, 7, 1, 0, 8]) h.push(x);
    const out: number[] = [];
    while (h.length) out.push(h.pop()!);
    assert.deepEqual(out, [0, 1, 1, 3, 5, 7, 8, 9]);
    assert.equal(h.pop(), undefined);
    assert.equal(h.peek(), undefined);
  });

  test('timers due at the same time come out first-in first-out', () => {
    const h = new BinaryHeap<{ due: number; seq: number }>(dueThenSeq);
    [{ due: 20, seq: 0 }, { due: 10, seq: 1 }, { due: 20, seq: 2 }, { due: 10, seq: 3 }].forEach((t) => h.push(t));
    assert.deepEqual([h.pop(), h.pop(), h.pop(), h.pop()].map((t) => t!.seq), [1, 3, 0, 2]);
  });

  test('clear empties it and items shows what is pending', () => {
    const h = new BinaryHeap<number>((a, b) => a < b);
    h.push(2);
    h.push(1);
    assert.deepEqual([...h.items()].sort(), [1, 2]);
    h.clear();
    assert.equal(h.length, 0);
  });
});
