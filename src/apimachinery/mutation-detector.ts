// Objects from watches, informers and listers are shared: in-process watchers of a resource get one
// copy of each event (client/transport.ts), and every handler and lister of an informer the same
// cached object. Like client-go's caches they are read-only: copy before changing. With
// SKIFF_CACHE_MUTATION_DETECTOR=true (`npm test` sets it), an informer's Indexer keeps a pristine
// copy of everything it caches and compares when the object is replaced or removed, or the
// informer stops; a difference crashes the process, as client-go's KUBE_CACHE_MUTATION_DETECTOR
// panics. Comparing rather than freezing: a TypeError from a frozen object would be caught and
// logged by whichever sync loop ran into it, and the test might still pass.
import { jsonCopy, jsonEqual } from './json.js';

/** Whether caches check their objects (read once, from the process's environment). */
export const detectMutations = /^(1|true)$/i.test(process.env.SKIFF_CACHE_MUTATION_DETECTOR ?? '');

/** Pristine copies of a cache's objects, by key. */
export class CacheMutationDetector<T> {
  private readonly pristine = new Map<string, T>();

  /** panic reports a difference; by default it throws outside any caller's try (see compare). */
  constructor(private readonly panic: (err: Error) => void = throwUncaught) {}

  /** Remembers obj as cached under key. */
  cached(key: string, obj: T): void {
    this.pristine.set(key, jsonCopy(obj));
  }

  /** obj is still cached under key: it must be as it was cached. */
  unchanged(key: string, obj: T): void {
    const was = this.pristine.get(key);
    if (was !== undefined) this.compare(key, was, obj);
  }

  /** obj leaves the cache (replaced or deleted): it must be as it was cached. */
  leaving(key: string, obj: T): void {
    const was = this.pristine.get(key);
    this.pristine.delete(key);
    if (was !== undefined) this.compare(key, was, obj);
  }

  /** Checks every cached object (when the informer stops). */
  checkAll(current: (key: string) => T | undefined): void {
    for (const [key, was] of this.pristine) {
      const now = current(key);
      if (now !== undefined) this.compare(key, was, now);
    }
  }

  private compare(key: string, was: T, now: T): void {
    if (jsonEqual(was, now)) return;
    this.panic(new Error(`cache mutation detected: the cached object ${key} was modified at ${firstDifference(was, now, '')} (objects from informers, listers and watches are shared: copy before changing)`));
  }
}

// A panic, as client-go's: thrown outside any caller's try, so no sync loop can swallow it.
function throwUncaught(err: Error): void {
  queueMicrotask(() => {
    throw err;
  });
}

/** A detector when SKIFF_CACHE_MUTATION_DETECTOR is on. */
export function newCacheMutationDetector<T>(): CacheMutationDetector<T> | undefined {
  return detectMutations ? new CacheMutationDetector<T>() : undefined;
}

/** The path of the first difference between two JSON values, for the report. */
export function firstDifference(a: unknown, b: unknown, path: string): string {
  if (jsonEqual(a, b)) return '';
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return path || '.';
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  for (const k of new Set([...Object.keys(ao), ...Object.keys(bo)])) {
    if (!jsonEqual(ao[k], bo[k])) return firstDifference(ao[k], bo[k], Array.isArray(a) ? `${path}[${k}]` : `${path}.${k}`);
  }
  return path || '.';
}
