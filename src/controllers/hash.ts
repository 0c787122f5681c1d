// controller.ComputeHash (pkg/controller/controller_utils.go) and its parts: FNV-1a 32 over a
// canonical encoding of a pod template, then over the collision count, printed in decimal and passed
// through rand.SafeEncodeString so the result has no vowels (no accidental words) and no characters
// that confuse name validation. Upstream hashes Go's spew dump of the struct; skiff hashes canonical
// JSON, so values have upstream's shape and stability but not its digits.

/**
 * Go's encoding/json output for plain JSON values: map keys sorted and, with escapeHTML (Go's
 * default), <, >, & and U+2028/9 escaped in strings.
 */
export function goJSON(value: unknown, escapeHTML = true): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map((v) => goJSON(v === undefined ? null : v, escapeHTML)).join(',')}]`;
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${goString(k, escapeHTML)}:${goJSON(obj[k], escapeHTML)}`).join(',')}}`;
  }
  if (typeof value === 'string') return goString(value, escapeHTML);
  return JSON.stringify(value);
}

function goString(s: string, escapeHTML: boolean): string {
  const json = JSON.stringify(s);
  if (!escapeHTML) return json;
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** hash/fnv New32a over bytes, continuing from seed. */
export function fnv32a(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** rand.SafeEncodeString: every character mapped onto a vowel-free alphabet. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (const ch of s) out += ALPHANUMS[ch.codePointAt(0)! % ALPHANUMS.length];
  return out;
}

export interface ComputeHashOptions {
  /**
   * Bytes the collision count is written as, little-endian: 8 as upstream (the Deployment's
   * pod-template-hash), 4 for the DaemonSet's controller-revision-hash.
   */
  collisionCountBytes?: 4 | 8;
  /** Escape HTML characters in the template's JSON as Go does (the DaemonSet's encoding). */
  escapeHTML?: boolean;
}

/**
 * controller.ComputeHash: the template's canonical JSON and, when set, the collision count, hashed
 * and safe-encoded. The two encodings exist because Deployments and DaemonSets already carry hashes
 * made each way in pod labels and object names; changing either would roll every pod.
 */
export function computeHash(template: unknown, collisionCount?: number | null, opts: ComputeHashOptions = {}): string {
  let h = fnv32a(new TextEncoder().encode(goJSON(template, opts.escapeHTML ?? false)));
  if (collisionCount !== undefined && collisionCount !== null) {
    const b = new Uint8Array(opts.collisionCountBytes ?? 8);
    new DataView(b.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(b, h);
  }
  return safeEncodeString(String(h));
}
