// The objects a registry wrote last, by storage key, decoded: the state an update starts from
// without reading and parsing the stored value again. kube-apiserver's GuaranteedUpdate does the
// same with its watch cache's copy (cachedExistingObject): the state may be stale, and the
// compare-and-swap write says so, after which the update reads the store and tries again.
//
// Entries are shared and read-only: they are the objects handed to watchers as the events' objects.
// Each carries its resourceVersion. Revisions only move forward here: an entry is never replaced
// by an older one, and a deletion leaves a tombstone (its revision) so that a slower writer of an
// older state cannot bring the key back. The least recently used entries go first once `capacity`
// is reached. Under SKIFF_CACHE_MUTATION_DETECTOR every entry is checked against a pristine copy
// when it is read, replaced or dropped (apimachinery/mutation-detector.ts).
import type { KubeObject } from '../../api/types.js';
import { newCacheMutationDetector } from '../../apimachinery/mutation-detector.js';

interface Entry {
  revision: number;
  /** Absent for a tombstone. */
  object?: KubeObject;
}

export class RecentObjects {
  private readonly entries = new Map<string, Entry>();
  private readonly detector = newCacheMutationDetector<KubeObject>();

  constructor(readonly capacity = 1024) {}

  /** The newest object known for key (read-only), or undefined (never seen, deleted or evicted). */
  get(key: string): KubeObject | undefined {
    const e = this.entries.get(key);
    if (!e?.object) return undefined;
    // Most recently used last (a Map iterates in insertion order).
    this.entries.delete(key);
    this.entries.set(key, e);
    this.detector?.unchanged(key, e.object);
    return e.object;
  }

  /** Records obj (with metadata.resourceVersion set) as key's state, unless a newer one is known. */
  set(key: string, obj: KubeObject): void {
    this.put(key, { revision: Number(obj.metadata.resourceVersion), object: obj });
  }

  /** Key was deleted at revision. */
  deleted(key: string, revision: number): void {
    this.put(key, { revision });
  }

  /** Forgets key (its state is unknown, e.g. after a write whose outcome is unknown). */
  forget(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    if (e.object) this.detector?.leaving(key, e.object);
  }

  get size(): number {
    return this.entries.size;
  }

  private put(key: string, next: Entry): void {
    const e = this.entries.get(key);
    if (e) {
      if (e.revision > next.revision) return;
      this.entries.delete(key);
      if (e.object) this.detector?.leaving(key, e.object);
    } else if (this.entries.size >= this.capacity) {
      const [oldest, dropped] = this.entries.entries().next().value as [string, Entry];
      this.entries.delete(oldest);
      if (dropped.object) this.detector?.leaving(oldest, dropped.object);
    }
    this.entries.set(key, next);
    if (next.object) this.detector?.cached(key, next.object);
  }
}
