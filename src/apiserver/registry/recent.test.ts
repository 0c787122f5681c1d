import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { RecentObjects } from './recent.js';

const obj = (name: string, rv: number): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, resourceVersion: String(rv) } });

type Step = ['set', string, number] | ['deleted', string, number] | ['forget', string] | ['get', string];

describe('RecentObjects', () => {
  const cases: { name: string; capacity?: number; steps: Step[]; want: Record<string, number | undefined> }[] = [
    { name: 'keeps the newest state of a key', steps: [['set', 'a', 1], ['set', 'a', 2]], want: { a: 2 } },
    { name: 'never goes back to an older state', steps: [['set', 'a', 3], ['set', 'a', 2]], want: { a: 3 } },
    { name: 'forgets a deleted key', steps: [['set', 'a', 1], ['deleted', 'a', 2]], want: { a: undefined } },
    { name: 'does not bring back a key deleted after the state it is handed', steps: [['deleted', 'a', 5], ['set', 'a', 4]], want: { a: undefined } },
    { name: 'takes a key created again after its deletion', steps: [['deleted', 'a', 5], ['set', 'a', 6]], want: { a: 6 } },
    { name: 'forgets a key whose state is unknown', steps: [['set', 'a', 1], ['forget', 'a'], ['set', 'a', 1]], want: { a: 1 } },
    {
      name: 'drops the least recently used key at capacity',
      capacity: 2,
      steps: [['set', 'a', 1], ['set', 'b', 2], ['get', 'a'], ['set', 'c', 3]],
      want: { a: 1, b: undefined, c: 3 },
    },
    { name: 'counts a replaced key once', capacity: 2, steps: [['set', 'a', 1], ['set', 'a', 2], ['set', 'b', 3]], want: { a: 2, b: 3 } },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const r = new RecentObjects(c.capacity);
      for (const s of c.steps) {
        if (s[0] === 'set') r.set(s[1], obj(s[1], s[2]));
        else if (s[0] === 'deleted') r.deleted(s[1], s[2]);
        else if (s[0] === 'forget') r.forget(s[1]);
        else r.get(s[1]);
      }
      for (const [key, rv] of Object.entries(c.want)) {
        assert.equal(r.get(key)?.metadata.resourceVersion, rv === undefined ? undefined : String(rv), key);
      }
      assert.ok(r.size <= r.capacity);
    });
  }

  test('hands out the object it was given, not a copy (entries are shared and read-only)', () => {
    const r = new RecentObjects();
    const o = obj('a', 1);
    r.set('a', o);
    assert.equal(r.get('a'), o);
  });
});
