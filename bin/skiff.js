#!/usr/bin/env -S node --max-semi-space-size=64
// The flags are skiff's server flags (src/host/node-flags.ts says why).
// The bundled CLI (scripts/bundle.mjs, built by `npm run build`) starts from its V8 code cache in a
// fraction of the time; a checkout built with tsc alone still runs from dist/src.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/skiff.cjs', import.meta.url));
if (existsSync(bundle)) {
  const { runBundle } = await import('../dist/src/cli/code-cache.js');
  runBundle(bundle);
} else {
  await import('../dist/src/cli/main.js');
}
