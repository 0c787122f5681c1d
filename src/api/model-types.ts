// The attributeTypeMap of every @kubernetes/client-node model, which src/api/schema.ts builds the
// built-in kinds' schemas from. Importing the models barrel loads 2,556 modules (about a third of
// skiff's start-up), so the maps are kept as one JSON file under node_modules/.cache/skiff, keyed by
// client-node's version: the first run imports the barrel and writes the file, later runs read it.
// A cache that cannot be read or written only costs the import.
//
// Everything here is synchronous, so that no module of skiff needs a top-level await: the CLI bundle
// is CommonJS (scripts/bundle.mjs), which V8 can start from a code cache. The barrel is an ES
// module, which Node 20 only imports asynchronously, so a cold cache is filled by a child process.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** One entry of a generated model's attributeTypeMap. */
export interface Attribute {
  name: string;
  baseName: string;
  type: string;
  format: string;
}

/** Every model name with its attributeTypeMap. */
export type ModelTypes = Record<string, { attributeTypeMap: Attribute[] } | undefined>;

/** Where the cache lives for the installed client-node, or undefined when it cannot be found. */
export function modelTypesCachePath(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    const pkgJson = require.resolve('@kubernetes/client-node/package.json');
    const version = (JSON.parse(readFileSync(pkgJson, 'utf8')) as { version?: string }).version ?? 'unknown';
    // <node_modules>/@kubernetes/client-node/package.json → <node_modules>/.cache/skiff
    return join(dirname(pkgJson), '..', '..', '.cache', 'skiff', `client-node-model-types-${version}.json`);
  } catch {
    return undefined;
  }
}

// Run by `node --input-type=module -e`: imports the barrel named by SKIFF_MODELS_BARREL and prints
// every model's attributeTypeMap as JSON.
const IMPORT_BARREL = `
const models = await import(process.env.SKIFF_MODELS_BARREL);
const out = {};
for (const [name, cls] of Object.entries(models)) {
  const map = cls?.attributeTypeMap;
  if (Array.isArray(map)) out[name] = { attributeTypeMap: map.map((a) => ({ name: a.name, baseName: a.baseName, type: a.type, format: a.format })) };
}
process.stdout.write(JSON.stringify(out));
`;

/** The model types straight from client-node's models barrel (imported by a child process). */
export function importModelTypes(): ModelTypes {
  const barrel = createRequire(import.meta.url).resolve('@kubernetes/client-node/dist/gen/models/all.js');
  const json = execFileSync(process.execPath, ['--input-type=module', '-e', IMPORT_BARREL], {
    env: { ...process.env, SKIFF_MODELS_BARREL: pathToFileURL(barrel).href },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(json) as ModelTypes;
}

/** The model types, from the cache when it is there (writing it when it is not). */
export function loadModelTypes(cachePath = modelTypesCachePath()): ModelTypes {
  if (cachePath) {
    try {
      return JSON.parse(readFileSync(cachePath, 'utf8')) as ModelTypes;
    } catch {
      // absent or unreadable: import, then try to write it
    }
  }
  const types = importModelTypes();
  if (cachePath) {
    try {
      mkdirSync(dirname(cachePath), { recursive: true });
      // Written whole, then renamed: a concurrent reader never sees half a file.
      const tmp = `${cachePath}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(types));
      renameSync(tmp, cachePath);
    } catch {
      // a read-only install: keep importing
    }
  }
  return types;
}
