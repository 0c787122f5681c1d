// UIDTrackingControllerExpectations (pkg/controller/controller_utils.go): what a controller is
// waiting to see in its informer after creating or deleting pods, so a sync that runs before the
// cache caught up does not create or delete the same pods again. Creations are counted; deletions
// are tracked by pod key, so each deletion is observed once whether the informer sees the
// deletionTimestamp or the delete. Expectations older than five minutes count as satisfied, so a
// lost watch event cannot wedge a controller.
import type { Clock } from '../../sim/clock.js';

/** ExpectationsTimeout. */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60 * 1000;

interface Expectation {
  add: number;
  del: number;
  timestamp: number;
}

export class ControllerExpectations {
  private readonly store = new Map<string, Expectation>();
  private readonly uids = new Map<string, Set<string>>();

  constructor(private readonly clock: Clock) {}

  /** True when the controller may act on key: nothing outstanding, expired, or never recorded. */
  satisfiedExpectations(key: string): boolean {
    const exp = this.store.get(key);
    if (!exp) return true;
    if (exp.add <= 0 && exp.del <= 0) return true;
    return this.clock.now() - exp.timestamp > EXPECTATIONS_TIMEOUT_MS;
  }

  expectCreations(key: string, adds: number): void {
    this.store.set(key, { add: adds, del: 0, timestamp: this.clock.now() });
  }

  /** Expects the deletion of the given pod keys ("ns/name"). */
  expectDeletions(key: string, podKeys: string[]): void {
    this.uids.set(key, new Set(podKeys));
    this.store.set(key, { add: 0, del: podKeys.length, timestamp: this.clock.now() });
  }

  creationObserved(key: string): void {
    const exp = this.store.get(key);
    if (exp) exp.add--;
  }

  /** Records that podKey went away; counted once per expected key. */
  deletionObserved(key: string, podKey: string): void {
    const set = this.uids.get(key);
    if (!set?.has(podKey)) return;
    set.delete(podKey);
    const exp = this.store.get(key);
    if (exp) exp.del--;
  }

  deleteExpectations(key: string): void {
    this.store.delete(key);
    this.uids.delete(key);
  }

  /** The outstanding counts, for tests. */
  get(key: string): { add: number; del: number } | undefined {
    const exp = this.store.get(key);
    return exp && { add: exp.add, del: exp.del };
  }
}
