import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { codeCachePath } from './code-cache.js';
import { SERVER_NODE_FLAGS } from '../host/node-flags.js';

const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const self = pathToFileURL(fileURLToPath(new URL(`./code-cache${ext}`, import.meta.url))).href;

// A bundle shaped like scripts/bundle.mjs's: CommonJS, with import.meta.url renamed.
const BUNDLE = `
const { basename } = require('node:path');
function work(n) { let s = 0; for (let i = 0; i < n; i++) s += i; return s; }
console.log(JSON.stringify({ sum: work(10), file: basename(__filename), url: __skiffImportMetaUrl, exports: typeof module.exports }));
`;

/**
 * Runs the bundle in a fresh node through runBundle, under node flags (bin/skiff.js's by default);
 * returns what it printed and the cache state.
 */
function run(bundle: string, flags: readonly string[] = SERVER_NODE_FLAGS): { state: string; printed: Record<string, unknown> } {
  const script = `const { runBundle } = await import(process.env.CODE_CACHE_MODULE); process.stderr.write(runBundle(process.env.BUNDLE));`;
  const args = [...flags, ...(ext === '.ts' ? ['--import', 'tsx'] : []), '--input-type=module', '-e', script];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, CODE_CACHE_MODULE: self, BUNDLE: bundle } });
  assert.equal(r.status, 0, r.stderr);
  return { state: r.stderr.trim().split('\n').pop()!, printed: JSON.parse(r.stdout) as Record<string, unknown> };
}

describe('the CLI bundle runs from a V8 code cache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-code-cache-'));
  const bundle = join(dir, 'bundle.cjs');
  const cache = codeCachePath(bundle);
  writeFileSync(bundle, BUNDLE);

  const cases: Array<{ name: string; before?: () => void; flags?: string[]; want: string; cacheAfter: boolean }> = [
    { name: 'a first run compiles, runs, and writes the cache as it exits', want: 'absent', cacheAfter: true },
    { name: 'the next run starts from that cache', want: 'accepted', cacheAfter: true },
    { name: 'a corrupt cache is rejected, the bundle still runs, and a good cache replaces it', before: () => writeFileSync(cache, 'not a code cache'), want: 'rejected', cacheAfter: true },
    { name: 'the replaced cache is accepted', want: 'accepted', cacheAfter: true },
    { name: 'a cache of another source is rejected', before: () => writeFileSync(bundle, BUNDLE + '\n// changed\n'), want: 'rejected', cacheAfter: true },
    // V8 itself only compares the source's length.
    { name: 'a cache of another source of the same length is rejected', before: () => writeFileSync(bundle, BUNDLE + '\n// CHANGED\n'), want: 'rejected', cacheAfter: true },
    { name: 'after which its own cache is accepted', want: 'accepted', cacheAfter: true },
    // V8 takes a cache only under the flags it was made under.
    { name: 'a run without bin/skiff.js\'s node flags cannot use the cache, and runs', flags: [], want: 'rejected', cacheAfter: true },
    { name: 'and leaves it for the runs with them', want: 'accepted', cacheAfter: true },
  ];
  for (const c of cases) {
    test(c.name, () => {
      c.before?.();
      const { state, printed } = run(bundle, c.flags);
      assert.equal(state, c.want);
      assert.deepEqual(printed, { sum: 45, file: 'bundle.cjs', url: pathToFileURL(bundle).href, exports: 'object' });
      assert.equal(existsSync(cache), c.cacheAfter);
      assert.notEqual(readFileSync(cache, 'utf8'), 'not a code cache');
    });
  }
  test('cleanup', () => rmSync(dir, { recursive: true, force: true }));
});
