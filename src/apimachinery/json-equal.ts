// Equality of JSON values, as the bytes they encode to would compare modulo key order: a property
// holding undefined counts as absent (JSON.stringify drops it). Much cheaper than node's
// isDeepStrictEqual, which also weighs prototypes, symbols and property descriptors; the API
// server's no-op write check runs on every update.

/** Whether a and b are the same JSON value (objects compared by their defined properties). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  let defined = 0;
  for (const k in ao) {
    const v = ao[k];
    if (v === undefined) continue;
    defined++;
    if (!jsonEqual(v, bo[k])) return false;
  }
  for (const k in bo) if (bo[k] !== undefined) defined--;
  return defined === 0;
}
