#!/usr/bin/env node
// The bundled CLI (scripts/bundle.mjs, built by `npm run build`) starts in half the time; a checkout
// built with tsc alone still runs from dist/src.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/skiff.mjs', import.meta.url);
await import(existsSync(bundle) ? bundle.href : '../dist/src/cli/main.js');
