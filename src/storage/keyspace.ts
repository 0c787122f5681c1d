// Key ranges, read-revision rules and error wording shared by the storage backends, so every
// backend answers the same question with the same StoreError.

import { StoreError } from './store.js';

/** etcd's wording, which kube-apiserver recognises and turns into 410 Gone. */
export const compactedMessage = 'mvcc: required revision has been compacted';
/** etcd's wording for a read beyond the newest revision. */
export const futureRevisionMessage = 'mvcc: required revision is a future revision';

/**
 * The smallest string greater than every string that starts with prefix, for an indexed range
 * scan (name >= prefix AND name < end) instead of LIKE; undefined when there is no upper bound.
 * Code points compare the same way as UTF-8 bytes, which is SQLite's BINARY collation.
 */
export function prefixEnd(prefix: string): string | undefined {
  const chars = Array.from(prefix);
  while (chars.length > 0) {
    const last = chars.pop()!.codePointAt(0)!;
    let next = last + 1;
    if (next >= 0xd800 && next <= 0xdfff) next = 0xe000; // surrogates are not characters
    if (next <= 0x10ffff) return chars.join('') + String.fromCodePoint(next);
  }
  return undefined;
}

/** Checks a read revision against the store's window; returns the revision to read at. */
export function readRevision(requested: number | undefined, current: number, compacted: number): number {
  if (!requested || requested <= 0) return current;
  if (requested > current) throw new StoreError('FutureRevision', futureRevisionMessage);
  if (requested < compacted) throw new StoreError('Compacted', compactedMessage, undefined, compacted);
  return requested;
}

/** The message for a failed compare-and-swap. */
export function conflictMessage(key: string, expected: number, actual: number): string {
  return `revision mismatch for ${key}: expected ${expected}, found ${actual}`;
}

/** Fails a create whose key is already live. */
export const keyExistsMessage = (key: string) => `key exists: ${key}`;
/** Fails an update or delete whose key is absent. */
export const keyNotFoundMessage = (key: string) => `key not found: ${key}`;
/** Fails any call on a closed store. */
export const closedError = () => new StoreError('Closed', 'store is closed');
