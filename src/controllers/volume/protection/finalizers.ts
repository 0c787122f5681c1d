// protectionutil: when a protected storage object needs its finalizer added, or may have it lifted.
import type { KubeObject } from '../../../api/types.js';

/** Being deleted and still holding the finalizer: the controller decides whether to lift it. */
export function isDeletionCandidate(obj: KubeObject, finalizer: string): boolean {
  return !!obj.metadata.deletionTimestamp && (obj.metadata.finalizers ?? []).includes(finalizer);
}

/** Not being deleted and missing the finalizer (created before admission added it). */
export function needToAddFinalizer(obj: KubeObject, finalizer: string): boolean {
  return !obj.metadata.deletionTimestamp && !(obj.metadata.finalizers ?? []).includes(finalizer);
}

/** A copy of a cached object with the finalizer appended (cached objects are never mutated). */
export function withFinalizer<T extends KubeObject>(obj: T, finalizer: string): T {
  return { ...obj, metadata: { ...obj.metadata, finalizers: [...(obj.metadata.finalizers ?? []), finalizer] } };
}

/** A copy of a cached object without the finalizer. */
export function withoutFinalizer<T extends KubeObject>(obj: T, finalizer: string): T {
  return { ...obj, metadata: { ...obj.metadata, finalizers: (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer) } };
}
