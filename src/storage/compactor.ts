// Periodic compaction, as kube-apiserver runs it against etcd (apiserver/pkg/storage/etcd3/
// compact.go): each tick compacts to the revision that was current at the PREVIOUS tick, so at
// least one full interval of history always survives and a client that re-establishes its watch
// more often than that never sees 410 Gone.

import type { Clock } from '../sim/clock.js';
import type { Store } from './store.js';

/** kube-apiserver's default --etcd-compaction-interval. */
export const defaultCompactionIntervalMs = 5 * 60 * 1000;

/** Starts compacting store every intervalMs on clock; stop() ends it. */
export function startCompactor(
  store: Store,
  clock: Clock,
  opts: { intervalMs?: number } = {},
): { stop(): void } {
  const intervalMs = opts.intervalMs ?? defaultCompactionIntervalMs;
  // The revision seen at the previous tick; 0 on the first tick, where (like upstream) nothing is compacted.
  let previousTickRevision = 0;
  let running = false;
  let stopped = false;
  const timer = clock.setInterval(() => {
    if (running || stopped) return; // a slow compaction skips a tick rather than piling up
    const target = previousTickRevision;
    previousTickRevision = store.currentRevision();
    if (target <= store.compactRevision()) return;
    running = true;
    store
      .compact(target)
      .catch((err: unknown) => {
        if (!stopped) console.error(`storage: compaction to revision ${target} failed:`, err);
      })
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  return {
    stop() {
      stopped = true;
      clock.clearInterval(timer);
    },
  };
}
