// The hashes controllers put in names and labels (pkg/controller/history and controller.ComputeHash):
// FNV-1a 32 over a canonical encoding, printed in decimal and passed through rand.SafeEncodeString so
// the result has no vowels (no accidental words) and no characters that confuse name validation.

/** Go's encoding/json output for plain JSON values: map keys sorted, <, >, & and U+2028/9 escaped. */
export function goJSON(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map((v) => goJSON(v === undefined ? null : v)).join(',')}]`;
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${goString(k)}:${goJSON(obj[k])}`).join(',')}}`;
  }
  if (typeof value === 'string') return goString(value);
  return JSON.stringify(value);
}

function goString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** hash/fnv New32a over bytes. */
export function fnv32a(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** rand.SafeEncodeString: every byte mapped onto a vowel-free alphabet. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += ALPHANUMS[s.charCodeAt(i) % ALPHANUMS.length];
  return out;
}

/**
 * history.HashControllerRevision: the revision's data (its raw JSON) and, when given, the collision
 * count in decimal, hashed and safe-encoded.
 */
export function hashControllerRevisionData(data: unknown, collisionCount?: number): string {
  const enc = new TextEncoder();
  let h = fnv32a(enc.encode(goJSON(data)));
  if (collisionCount !== undefined) h = fnv32a(enc.encode(String(collisionCount)), h);
  return safeEncodeString(String(h));
}

/**
 * controller.ComputeHash: a pod template and the collision count (4 bytes little-endian), as
 * DaemonSets and ReplicaSets name their pods' controller-revision-hash / pod-template-hash.
 * Upstream hashes Go's spew dump of the struct; skiff hashes the canonical JSON, so values differ
 * from a real cluster's but are stable and change exactly when the template does.
 */
export function computeHash(template: unknown, collisionCount?: number): string {
  let h = fnv32a(new TextEncoder().encode(goJSON(template)));
  if (collisionCount !== undefined && collisionCount !== null) {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(b, h);
  }
  return safeEncodeString(String(h));
}

/** history.ControllerRevisionName: "<prefix>-<hash>", the prefix cut to 223 characters. */
export function controllerRevisionName(prefix: string, hash: string): string {
  return `${prefix.length > 223 ? prefix.slice(0, 223) : prefix}-${hash}`;
}
