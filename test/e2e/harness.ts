// Starts a real `skiff up` process on a temporary data dir and drives it with the real kubectl,
// so end-to-end tests assert on what the actual clients print.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVER_NODE_FLAGS } from '../../src/host/node-flags.js';

const here = dirname(fileURLToPath(import.meta.url));
const compiled = import.meta.url.endsWith('.js');
/** The repository root (test/e2e is two levels down from it, or three under dist/). */
export const repoRoot = resolve(here, compiled ? '../../..' : '../..');

/**
 * The command that runs the skiff CLI: under `npm test` what users run (bin/skiff.js: the bundle
 * `npm run build` makes, from its code cache, under the node flags of its shebang, which the cache
 * was made under), TypeScript under tsx.
 */
function cliCommand(): string[] {
  if (compiled) return [process.execPath, ...SERVER_NODE_FLAGS, join(repoRoot, 'bin/skiff.js')];
  return [process.execPath, '--import', 'tsx', join(repoRoot, 'src/cli/main.ts')];
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the skiff CLI to completion. */
export function skiffCli(args: string[], env: Record<string, string> = {}): RunResult {
  const [cmd, ...pre] = cliCommand();
  const r = spawnSync(cmd, [...pre, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A running skiff with its own data dir. */
export class SkiffProcess {
  readonly kubeconfig: string;
  private child?: ChildProcess;
  output = '';

  private constructor(
    readonly dataDir: string,
    private readonly extraArgs: string[] = [],
  ) {
    this.kubeconfig = join(dataDir, 'kubeconfig');
  }

  /** Starts `skiff up --data-dir <tmp> --port 0` and waits for it to print the KUBECONFIG line. */
  static async start(dataDir?: string, extraArgs: string[] = []): Promise<SkiffProcess> {
    const p = new SkiffProcess(dataDir ?? mkdtempSync(join(tmpdir(), 'skiff-e2e-')), extraArgs);
    await p.up();
    return p;
  }

  async up(): Promise<void> {
    const [cmd, ...pre] = cliCommand();
    this.output = '';
    const child = spawn(cmd, [...pre, 'up', '--data-dir', this.dataDir, '--port', '0', '--eks-port', '0', ...this.extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    await new Promise<void>((resolveUp, reject) => {
      const onData = (d: Buffer) => {
        this.output += d.toString();
        if (this.output.includes(`export KUBECONFIG=${this.kubeconfig}`)) resolveUp();
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', (d: Buffer) => (this.output += d.toString()));
      child.once('exit', (code) => reject(new Error(`skiff up exited with ${code} before it was ready:\n${this.output}`)));
    });
  }

  /** The EKS API's URL, for aws --endpoint-url and the SDK's endpoint. */
  get eksEndpoint(): string {
    const m = /EKS API: (http:\/\/[^\s]+)/.exec(this.output);
    if (!m) throw new Error(`skiff did not print its EKS API address:\n${this.output}`);
    return m[1];
  }

  get pid(): number {
    return this.child?.pid ?? -1;
  }

  /** Sends a signal and waits for the process to exit; resolves with its exit code. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill(signal);
    return exited;
  }

  /** Runs the real kubectl against this skiff. */
  kubectl(args: string[], opts: { input?: string; env?: Record<string, string> } = {}): RunResult {
    const r = spawnSync('kubectl', args, {
      encoding: 'utf8',
      input: opts.input,
      env: { ...process.env, KUBECONFIG: this.kubeconfig, KUBECTL_PLUGINS_PATH: '', ...opts.env },
      timeout: 60_000,
    });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  }

  /** Writes text to a file in the data dir and returns its path (for kubectl -f). */
  file(name: string, text: string): string {
    const path = join(this.dataDir, name);
    writeFileSync(path, text);
    return path;
  }

  /** Stops the process and removes the data dir. */
  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** Asserts a kubectl run succeeded, with its output in the failure message. */
export function ok(r: RunResult): string {
  if (r.code !== 0) throw new Error(`command failed (exit ${r.code}):\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r.stdout;
}

/** True when the real kubectl is on PATH; tests that need it say so when it is missing. */
export function haveKubectl(): boolean {
  return spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
}
