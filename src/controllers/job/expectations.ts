// client-go's ControllerExpectations and the job controller's uidTrackingExpectations: what a
// controller has asked the API server to do but not yet seen in its informer cache. Until the
// cache catches up, a sync must not act on the stale picture (it would create pods twice, or count
// a finished pod twice after removing its finalizer).
import type { Clock } from '../../sim/clock.js';

/** Expectations older than this are considered met (ExpectationsTimeout, 5 minutes). */
const EXPECTATIONS_TIMEOUT_MS = 5 * 60_000;

interface Pending {
  add: number;
  del: number;
  at: number;
}

/** Pending pod creations and deletions per controller key. */
export class ControllerExpectations {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly clock: Clock) {}

  /** True when nothing is pending for key, or the expectation expired. */
  satisfied(key: string): boolean {
    const p = this.pending.get(key);
    if (!p) return true;
    if (p.add <= 0 && p.del <= 0) return true;
    return this.clock.now() - p.at > EXPECTATIONS_TIMEOUT_MS;
  }

  expectCreations(key: string, n: number): void {
    this.pending.set(key, { add: n, del: 0, at: this.clock.now() });
  }

  expectDeletions(key: string, n: number): void {
    this.pending.set(key, { add: 0, del: n, at: this.clock.now() });
  }

  creationObserved(key: string): void {
    const p = this.pending.get(key);
    if (p) p.add--;
  }

  deletionObserved(key: string): void {
    const p = this.pending.get(key);
    if (p) p.del--;
  }

  delete(key: string): void {
    this.pending.delete(key);
  }
}

/** Pod UIDs whose tracking finalizer removal a Job is waiting to observe. */
export class UIDTrackingExpectations {
  private readonly uids = new Map<string, Set<string>>();

  expected(key: string): ReadonlySet<string> {
    return this.uids.get(key) ?? new Set();
  }

  expectRemoved(key: string, uids: string[]): void {
    let set = this.uids.get(key);
    if (!set) this.uids.set(key, (set = new Set()));
    for (const u of uids) set.add(u);
  }

  removalObserved(key: string, uid: string): void {
    const set = this.uids.get(key);
    if (!set) return;
    set.delete(uid);
    if (!set.size) this.uids.delete(key);
  }

  delete(key: string): void {
    this.uids.delete(key);
  }
}
