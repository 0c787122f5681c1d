import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BoundedMap } from './bounded-map.js';

describe('BoundedMap', () => {
  const cases: { name: string; capacity: number; sets: string[]; want: string[] }[] = [
    { name: 'keeps everything below its capacity', capacity: 3, sets: ['a', 'b'], want: ['a', 'b'] },
    { name: 'drops the oldest entry at capacity', capacity: 2, sets: ['a', 'b', 'c'], want: ['b', 'c'] },
    { name: 'replacing a key drops nothing', capacity: 2, sets: ['a', 'b', 'a'], want: ['a', 'b'] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const m = new BoundedMap<string, number>(c.capacity);
      c.sets.forEach((k, i) => m.set(k, i));
      assert.deepEqual([...m.keys()], c.want);
    });
  }
});
