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

  test('memo makes a value once per key and keeps it', () => {
    const m = new BoundedMap<string, number>(2);
    let made = 0;
    const make = (k: string) => (made++, k.length);
    assert.deepEqual([m.memo('ab', make), m.memo('ab', make), m.memo('xyz', make)], [2, 2, 3]);
    assert.equal(made, 2);
  });

  test('memo keeps no undefined value, so a later call makes it again', () => {
    const m = new BoundedMap<string, number | undefined>(2);
    let made = 0;
    m.memo('k', () => (made++, undefined));
    m.memo('k', () => (made++, undefined));
    assert.equal(made, 2);
    assert.equal(m.size, 0);
  });
});
