// Waiting on a running skiff from e2e tests: polling until a condition holds (controllers act
// asynchronously) and running kubectl without blocking, for commands that wait themselves
// (`kubectl delete --wait`) while the test does what lets them finish.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { realClock } from '../../src/sim/clock.js';
import type { RunResult, SkiffProcess } from './harness.js';

/** Polls `check` every 50 ms until it returns a value other than undefined; throws `what` after timeoutMs. */
export async function waitFor<T>(what: string, check: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = realClock.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (realClock.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await realClock.sleep(50);
  }
}

/** kubectl's environment for this skiff, with a discovery cache of its own (ports are reused across runs). */
export function kubectlEnv(skiff: SkiffProcess): Record<string, string> {
  return { KUBECONFIG: skiff.kubeconfig, KUBECTL_PLUGINS_PATH: '', KUBECACHEDIR: join(skiff.dataDir, 'kube-cache') };
}

/** A kubectl started in the background: `done` settles when it exits; `exited` says whether it has. */
export interface BackgroundKubectl {
  done: Promise<RunResult>;
  exited(): boolean;
  /** What it has printed to stdout so far. */
  stdout(): string;
  /** Ends it (for watches and `logs -f`, which never end on their own). */
  kill(): void;
}

/** Starts kubectl without waiting for it (spawnSync would block the test until the command returns). */
export function kubectlInBackground(skiff: SkiffProcess, args: string[]): BackgroundKubectl {
  const child = spawn('kubectl', args, { env: { ...process.env, ...kubectlEnv(skiff) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let finished = false;
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<RunResult>((resolveRun) =>
    child.once('close', (code) => {
      finished = true;
      resolveRun({ code: code ?? -1, stdout, stderr });
    }),
  );
  return { done, exited: () => finished, stdout: () => stdout, kill: () => void child.kill('SIGTERM') };
}

/** Settles as `promise` does, or rejects naming `what` if it has not settled within ms. */
export function within<T>(what: string, promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolveWithin, reject) => {
    const timer = realClock.setTimeout(() => reject(new Error(`${what}: not done within ${ms} ms`)), ms);
    promise.then(
      (v) => {
        realClock.clearTimeout(timer);
        resolveWithin(v);
      },
      (e: unknown) => {
        realClock.clearTimeout(timer);
        reject(e);
      },
    );
  });
}
