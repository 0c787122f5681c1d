// ControllerExpectations and UIDTrackingControllerExpectations (pkg/controller/controller_utils.go)
// and the Job controller's uidTrackingExpectations (pkg/controller/job/tracking_utils.go): what a
// controller has asked the API server to do but not yet seen in its informer cache. Until the cache
// catches up, a sync must not act on the stale picture (it would create pods twice, or count a
// finished pod twice after removing its finalizer). Expectations older than five minutes count as
// satisfied, so a lost watch event cannot wedge a controller.
import type { Clock } from '../sim/clock.js';

/** ExpectationsTimeout. */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60_000;

interface Expectation {
  add: number;
  del: number;
  timestamp: number;
}

/** Pending creations and deletions, counted per controller key. */
export class ControllerExpectations {
  private readonly store = new Map<string, Expectation>();

  constructor(private readonly clock: Pick<Clock, 'now'>) {}

  /** The outstanding counts, or undefined when nothing was recorded for key. */
  getExpectations(key: string): { add: number; del: number } | undefined {
    const exp = this.store.get(key);
    return exp && { add: exp.add, del: exp.del };
  }

  /** True when the controller may act on key: nothing outstanding, expired, or never recorded. */
  satisfiedExpectations(key: string): boolean {
    const exp = this.store.get(key);
    if (!exp) return true;
    if (exp.add <= 0 && exp.del <= 0) return true;
    return this.clock.now() - exp.timestamp > EXPECTATIONS_TIMEOUT_MS;
  }

  /** Replaces whatever was pending for key. */
  setExpectations(key: string, add: number, del: number): void {
    this.store.set(key, { add, del, timestamp: this.clock.now() });
  }

  expectCreations(key: string, adds: number): void {
    this.setExpectations(key, adds, 0);
  }

  expectDeletions(key: string, dels: number): void {
    this.setExpectations(key, 0, dels);
  }

  /** Counts down what is pending for key; a key without expectations is left alone. */
  lowerExpectations(key: string, add: number, del: number): void {
    const exp = this.store.get(key);
    if (!exp) return;
    exp.add -= add;
    exp.del -= del;
  }

  creationObserved(key: string): void {
    this.lowerExpectations(key, 1, 0);
  }

  deletionObserved(key: string): void {
    this.lowerExpectations(key, 0, 1);
  }

  deleteExpectations(key: string): void {
    this.store.delete(key);
  }
}

/**
 * ControllerExpectations whose deletions are tracked by pod key ("ns/name"), so each deletion is
 * observed once whether the informer sees the deletionTimestamp or the delete.
 */
export class UIDTrackingControllerExpectations {
  private readonly counts: ControllerExpectations;
  private readonly uids = new Map<string, Set<string>>();

  constructor(clock: Pick<Clock, 'now'>) {
    this.counts = new ControllerExpectations(clock);
  }

  getExpectations(key: string): { add: number; del: number } | undefined {
    return this.counts.getExpectations(key);
  }

  /** The pod keys whose deletion key still waits for. */
  getUIDs(key: string): ReadonlySet<string> | undefined {
    return this.uids.get(key);
  }

  satisfiedExpectations(key: string): boolean {
    return this.counts.satisfiedExpectations(key);
  }

  expectCreations(key: string, adds: number): void {
    this.counts.expectCreations(key, adds);
  }

  creationObserved(key: string): void {
    this.counts.creationObserved(key);
  }

  /** Expects the deletion of the given pod keys, replacing what was pending. */
  expectDeletions(key: string, podKeys: string[]): void {
    this.uids.set(key, new Set(podKeys));
    this.counts.expectDeletions(key, podKeys.length);
  }

  /** Records that podKey went away; counted once per expected key. */
  deletionObserved(key: string, podKey: string): void {
    const set = this.uids.get(key);
    if (!set?.has(podKey)) return;
    set.delete(podKey);
    this.counts.deletionObserved(key);
  }

  deleteExpectations(key: string): void {
    this.counts.deleteExpectations(key);
    this.uids.delete(key);
  }
}

/**
 * The Job controller's uidTrackingExpectations: pod UIDs whose tracking-finalizer removal a Job is
 * waiting to observe. Unlike UIDTrackingControllerExpectations, new UIDs join the pending set and
 * nothing expires.
 */
export class UIDTrackingExpectations {
  private readonly uids = new Map<string, Set<string>>();

  getExpectedUIDs(key: string): ReadonlySet<string> {
    return this.uids.get(key) ?? new Set();
  }

  expectFinalizersRemoved(key: string, uids: string[]): void {
    let set = this.uids.get(key);
    if (!set) this.uids.set(key, (set = new Set()));
    for (const u of uids) set.add(u);
  }

  finalizerRemovalObserved(key: string, uid: string): void {
    const set = this.uids.get(key);
    if (!set) return;
    set.delete(uid);
    if (!set.size) this.uids.delete(key);
  }

  deleteExpectations(key: string): void {
    this.uids.delete(key);
  }
}
