// Bundles the compiled CLI (dist/src/cli/main.js, from tsc) into one CommonJS file, dist/skiff.cjs,
// then makes its V8 code cache by running one `skiff up` of the sample cluster. Node's ES module
// loader resolving, reading and linking ~500 modules was half of every command's start-up, and
// compiling the bundle's functions a fifth of a cold `skiff up` (see BENCHMARKS.md, issue 5);
// bin/skiff.js runs the bundle through src/cli/code-cache.ts, which starts it from that cache.
// CommonJS because Node 20 has no code cache for ES modules.
// Left out: better-sqlite3 (a native addon, loaded from node_modules), client-node (its models
// barrel is only imported by a child process, when the model-types cache is cold) and the AWS SDK
// (tests' client only). bin/skiff.js falls back to dist/src when there is no bundle.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist/skiff.cjs');
const cache = `${bundle}.v8cache`;
await build({
  entryPoints: [join(root, 'dist/src/cli/main.js')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // No keepNames: its __name calls cost ~100 ms of `skiff up`, and nothing reads a function's or a
  // class's .name (esbuild renames only where two modules' top-level names collide).
  sourcemap: 'linked',
  external: ['better-sqlite3', '@kubernetes/client-node', '@kubernetes/client-node/*', '@aws-sdk/*'],
  // code-cache.ts hands the bundle its own file URL under this name.
  define: { 'import.meta.url': '__skiffImportMetaUrl' },
  logLevel: 'warning',
});
// ASCII throughout (esbuild leaves comments and some regular expressions as they are), so that
// code-cache.ts can read it as Latin-1, five times faster than decoding UTF-8. A \uXXXX escape
// means the same in a string, a template, a regular expression or an identifier, and is inert in
// a comment.
writeFileSync(
  bundle,
  readFileSync(bundle, 'utf8').replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
);

// The ES module bundle of earlier builds; nothing runs it any more.
rmSync(join(root, 'dist/skiff.mjs'), { force: true });
rmSync(join(root, 'dist/skiff.mjs.map'), { force: true });

// The code cache: a cold process writes one as it exits, holding every function it ran, so the
// build runs what users run first — `skiff up -f samples/pms-prod.yaml` until its cluster is ready.
rmSync(cache, { force: true });
const READY = 'is ready';
const dataDir = mkdtempSync(join(tmpdir(), 'skiff-code-cache-'));
try {
  // Under the flags bin/skiff.js's shebang gives node: V8 rejects a cache made under other flags.
  const { SERVER_NODE_FLAGS } = await import(pathToFileURL(join(root, 'dist/src/host/node-flags.js')).href);
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, join(root, 'bin/skiff.js'), 'up', '-f', join(root, 'samples/pms-prod.yaml'), '--data-dir', dataDir, '--port', '0', '--eks-port', '0'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let stopping = false;
  const onData = (chunk) => {
    out += chunk;
    // Once: a second SIGTERM stops skiff at once, before it writes the cache.
    if (!stopping && out.includes(READY)) stopping = child.kill('SIGTERM');
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  // A bring-up takes seconds; a hung one must not hang the build.
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  await new Promise((resolve) => child.on('exit', resolve));
  clearTimeout(timer);
  if (!out.includes(READY) || !existsSync(cache)) {
    console.warn(`bundle: no code cache (skiff up did not reach "${READY}"); the CLI compiles as it runs.\n${out.slice(-2000)}`);
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
