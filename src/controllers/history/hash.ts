// ControllerRevision names and hashes (pkg/controller/history), built from controller.ComputeHash's
// parts in ../hash.ts.
import { fnv32a, goJSON, safeEncodeString } from '../hash.js';

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

/** history.ControllerRevisionName: "<prefix>-<hash>", the prefix cut to 223 characters. */
export function controllerRevisionName(prefix: string, hash: string): string {
  return `${prefix.length > 223 ? prefix.slice(0, 223) : prefix}-${hash}`;
}
