// Bundles the compiled CLI (dist/src/cli/main.js, from tsc) into one file, dist/skiff.mjs: Node's
// ES module loader then resolves, reads and links one module instead of ~300 of ours and ~200 of
// our dependencies', which halves every `skiff` command's start-up (see BENCHMARKS.md, issue 5).
// Left out: better-sqlite3 (a native addon, loaded from node_modules), client-node (only its
// models barrel is imported, and only when the model-types cache is cold) and the AWS SDK (tests'
// client only). Run by `npm run build`; bin/skiff.js falls back to dist/src when there is no bundle.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await build({
  entryPoints: [join(root, 'dist/src/cli/main.js')],
  outfile: join(root, 'dist/skiff.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // No keepNames: its __name calls cost ~100 ms of `skiff up`, and nothing reads a function's or a
  // class's .name (esbuild renames only where two modules' top-level names collide).
  sourcemap: 'linked',
  external: ['better-sqlite3', '@kubernetes/client-node', '@kubernetes/client-node/*', '@aws-sdk/*'],
  // The CommonJS dependencies bundled in (yaml's, protobufjs', x509's) call require for Node's
  // built-ins, which an ES module has to be given.
  banner: { js: "import { createRequire as __skiffCreateRequire } from 'node:module'; const require = __skiffCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
