import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { WatchEvent } from './store.js';
import { resourcePrefix, WatchHub } from './watchhub.js';

describe('resourcePrefix', () => {
  const cases: [string, string | undefined][] = [
    ['/registry/core/pods/default/web-1', '/registry/core/pods/'],
    ['/registry/core/pods/', '/registry/core/pods/'],
    ['/registry/apps/deployments/kube-system/', '/registry/apps/deployments/'],
    ['/registry/core/pods', undefined],
    ['/registry/core/po', undefined],
    ['/registry/', undefined],
    ['', undefined],
    ['/k', undefined],
  ];
  for (const [s, want] of cases) test(`${JSON.stringify(s)} → ${JSON.stringify(want)}`, () => assert.equal(resourcePrefix(s), want));
});

describe('WatchHub.publish', () => {
  test('hands each watcher exactly the events under its prefix, in order, whatever resources a commit mixes', async () => {
    const prefixes = ['', '/registry/', '/registry/core/po', '/registry/core/pods/', '/registry/core/pods/default/', '/registry/core/pods/other/', '/registry/apps/deployments/', '/registry/core/nodes/', '/k'];
    const keys = ['/registry/core/pods/default/a', '/registry/apps/deployments/default/d', '/registry/core/pods/other/b', '/registry/core/podtemplates/default/t', '/registry/core/pods/default/c', '/k1', '/registry/core/nodes/n1'];
    let rev = 0;
    const hub = new WatchHub(() => rev);
    const got = new Map<string, string[]>(prefixes.map((p) => [p, []]));
    for (const p of prefixes) hub.subscribe(p, 1, (events) => got.get(p)!.push(...events.map((e) => e.kv.key)), { currentRevision: 0, compactRevision: 0 }, () => []);
    const event = (key: string): WatchEvent => ({ type: 'create', kv: { key, value: 'v', createRevision: ++rev, modRevision: rev }, revision: rev });
    // One commit of all the keys, then commits of one key each.
    hub.publish(keys.map(event));
    for (const k of keys) hub.publish([event(k)]);
    await new Promise((r) => setImmediate(r));
    for (const p of prefixes) {
      const want = [...keys, ...keys].filter((k) => k.startsWith(p));
      assert.deepEqual(got.get(p), want, p);
    }
  });

  test('a closed watcher gets nothing more, and the others still get theirs', async () => {
    let rev = 0;
    const hub = new WatchHub(() => rev);
    const a: string[] = [];
    const b: string[] = [];
    const wa = hub.subscribe('/registry/core/pods/', 1, (es) => a.push(...es.map((e) => e.kv.key)), { currentRevision: 0, compactRevision: 0 }, () => []);
    hub.subscribe('/registry/core/pods/default/', 1, (es) => b.push(...es.map((e) => e.kv.key)), { currentRevision: 0, compactRevision: 0 }, () => []);
    wa.close();
    rev++;
    hub.publish([{ type: 'create', kv: { key: '/registry/core/pods/default/x', value: '', createRevision: 1, modRevision: 1 }, revision: 1 }]);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(a, []);
    assert.deepEqual(b, ['/registry/core/pods/default/x']);
    assert.equal(hub.size, 1);
  });
});
