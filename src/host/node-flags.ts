// The V8 flags skiff's own process runs with. An API server, controllers and kubelets in one
// process allocate mostly short-lived objects (request bodies, copies, watch events) at a high rate
// while holding a large live heap (the informers' caches): with V8's default 16 MiB semi-spaces a
// 10,000-pod run spent ~12% of its time in scavenges; with 64 MiB, ~8%, and finished ~10% sooner
// (BENCHMARKS.md). The young generation only grows to that size under load.
//
// V8 reads heap sizes when the process starts, so the flags are on the command line: in
// bin/skiff.js's shebang (`env -S`) and the package.json scripts; node-flags.test.ts checks both
// still say what this module says. Benchmarks that run a cluster in their own process start
// themselves again with them (withServerFlags).
import { spawnSync } from 'node:child_process';

export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];

/** Whether this process was started with SERVER_NODE_FLAGS. */
export function hasServerFlags(execArgv: readonly string[] = process.execArgv): boolean {
  return SERVER_NODE_FLAGS.every((f) => execArgv.includes(f));
}

/**
 * Runs this script again under SERVER_NODE_FLAGS (keeping its other flags and arguments) and exits
 * with its status, unless it already has them. For benchmarks, which must measure a cluster as
 * `skiff up` runs it.
 */
export function withServerFlags(): void {
  if (hasServerFlags()) return;
  const r = spawnSync(process.execPath, [...process.execArgv, ...SERVER_NODE_FLAGS, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
