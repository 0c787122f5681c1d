#!/usr/bin/env node
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
