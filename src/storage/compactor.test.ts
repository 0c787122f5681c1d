import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../sim/clock.js';
import { startCompactor, defaultCompactionIntervalMs } from './compactor.js';
import { MemoryStore } from './memory.js';
import { isStoreError, type Store } from './store.js';

const minute = 60_000;

async function writeN(store: Store, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await store.create(`/k/${store.currentRevision() + 1}`, 'v');
}

describe('startCompactor', () => {
  test('compacts each tick to the revision that was current at the previous tick', async () => {
    const clock = new VirtualClock();
    const store = new MemoryStore();
    const compactor = startCompactor(store, clock, { intervalMs: minute });
    await writeN(store, 5);
    await clock.advance(minute); // first tick: remembers revision 5, compacts nothing
    assert.equal(store.compactRevision(), 0);
    await writeN(store, 3);
    await clock.advance(minute); // compacts to 5, remembers 8
    assert.equal(store.compactRevision(), 5);
    await writeN(store, 2);
    await clock.advance(minute); // compacts to 8, remembers 10
    assert.equal(store.compactRevision(), 8);
    await clock.advance(minute); // compacts to 10, remembers 10
    assert.equal(store.compactRevision(), 10);
    await clock.advance(minute); // nothing new: no-op
    assert.equal(store.compactRevision(), 10);
    compactor.stop();
    await store.close();
  });

  test('defaults to kube-apiserver\'s five-minute interval', async () => {
    assert.equal(defaultCompactionIntervalMs, 5 * minute);
    const clock = new VirtualClock();
    const store = new MemoryStore();
    const compactor = startCompactor(store, clock);
    await writeN(store, 3);
    await clock.advance(5 * minute);
    await writeN(store, 1);
    await clock.advance(5 * minute - 1);
    assert.equal(store.compactRevision(), 0);
    await clock.advance(1);
    assert.equal(store.compactRevision(), 3);
    compactor.stop();
    await store.close();
  });

  test('a client that resumes its watch every 30 s never meets Compacted', async () => {
    const clock = new VirtualClock();
    const store = new MemoryStore();
    const compactor = startCompactor(store, clock, { intervalMs: 5 * minute });
    // Busy keys change every second; the watched prefix only every 20 s, so the client's last
    // seen revision trails the current one, as for any quiet resource.
    let ticks = 0;
    const writer = clock.setInterval(() => {
      ticks++;
      void store.create(`/busy/${ticks}`, 'v');
      if (ticks % 20 === 7) void store.create(`/quiet/${ticks}`, 'v');
    }, 1_000);
    let lastSeen = 0;
    let resumes = 0;
    for (let t = 0; t < 60; t++) {
      // Watch for 30 s, then drop the connection and resume from the last revision seen.
      const watcher = store.watch('/quiet/', lastSeen + 1, (events) => {
        lastSeen = events[events.length - 1].revision;
      });
      resumes++;
      await clock.advance(30_000);
      watcher.close();
    }
    assert.equal(resumes, 60);
    assert.ok(store.compactRevision() > 0, 'compaction happened along the way');
    assert.ok(lastSeen > store.compactRevision());
    // A client that went away for longer than two intervals does get Compacted.
    assert.throws(
      () => store.watch('/quiet/', 1, () => {}),
      (err: unknown) => isStoreError(err, 'Compacted'),
    );
    clock.clearInterval(writer);
    compactor.stop();
    await store.close();
  });

  test('stop() cancels its timer and ends compaction', async () => {
    const clock = new VirtualClock();
    const store = new MemoryStore();
    const compactor = startCompactor(store, clock, { intervalMs: minute });
    await writeN(store, 2);
    await clock.advance(minute);
    compactor.stop();
    compactor.stop();
    assert.equal(clock.pending(), 0);
    await writeN(store, 2);
    await clock.advance(5 * minute);
    assert.equal(store.compactRevision(), 0);
    await store.close();
  });
});
