// Runs the CommonJS CLI bundle (dist/skiff.cjs, from scripts/bundle.mjs) from a V8 code cache.
// Compiling the 3.5 MB bundle, and then each function the first time it runs, is a fifth of a cold
// `skiff up`; the cache holds the bytecode of every function a whole bring-up ran (the build makes
// it by running one), so a later process skips that work. Node 20 has no compile cache of its own
// (module.enableCompileCache came in 22.1), and none at all for ES modules, hence CommonJS.
//
// V8 rejects a cache made by another V8 version or with other flags, but of the source it only
// checks the length, so the file starts with the SHA-256 of the bundle it was made from. A cache
// that does not fit is not used: the bundle compiles as usual, and a fresh cache is written when
// the process exits. A cache that cannot be read or written only costs the compile.
import { hasServerFlags } from '../host/node-flags.js';
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';

/** What became of the code cache when the bundle started. */
export type CodeCacheState = 'accepted' | 'rejected' | 'absent';

/** The code cache file beside a bundle. */
export function codeCachePath(bundle: string): string {
  return `${bundle}.v8cache`;
}

// The bundle sees what Node gives a CommonJS module, and import.meta.url as esbuild's define renames
// it (scripts/bundle.mjs).
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname, __skiffImportMetaUrl) {';
const WRAPPER_TAIL = '\n})';

/**
 * Compiles and runs a CommonJS bundle with the code cache beside it. When there is no usable
 * cache, one is written as the process exits (by then it holds every function the run compiled).
 */
export function runBundle(bundle: string, cacheFile = codeCachePath(bundle)): CodeCacheState {
  const bytes = readFileSync(bundle);
  const digest = createHash('sha256').update(bytes).digest();
  let file: Buffer | undefined;
  try {
    file = readFileSync(cacheFile);
  } catch {
    // absent: compile, and write one at exit
  }
  const ours = file !== undefined && file.length > digest.length && digest.equals(file.subarray(0, digest.length));
  const cachedData = ours ? file!.subarray(digest.length) : undefined;
  // The build makes the bundle ASCII, which reads as Latin-1 five times faster than as UTF-8.
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const script = new Script(WRAPPER_HEAD + source + WRAPPER_TAIL, { filename: bundle, cachedData });
  const state: CodeCacheState = file === undefined ? 'absent' : !ours || script.cachedDataRejected ? 'rejected' : 'accepted';
  // V8 takes a cache only under the flags it was made under: it is made (and remade) only under
  // bin/skiff.js's, so a run started without them (`node bin/skiff.js`) compiles, but leaves the
  // cache for the runs that can use it.
  if (state !== 'accepted' && hasServerFlags()) process.once('exit', () => writeCodeCache(script, digest, cacheFile));
  const main = script.runInThisContext() as (...args: unknown[]) => void;
  const module = { exports: {} };
  main(module.exports, createRequire(bundle), module, bundle, dirname(bundle), pathToFileURL(bundle).href);
  return state;
}

/**
 * Writes the script's code cache after the digest of its bundle, whole, then renames it: a
 * concurrent start never reads half a file.
 */
function writeCodeCache(script: Script, digest: Buffer, cacheFile: string): void {
  try {
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.concat([digest, script.createCachedData()]));
    renameSync(tmp, cacheFile);
  } catch {
    // a read-only install: keep compiling
  }
}
