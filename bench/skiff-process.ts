// Runs `skiff up` as a child process for the benchmark, so the server has a Node event loop (and,
// on a 2-core machine, a core) of its own and the client's work is not billed to it.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { realClock } from '../src/sim/clock.js';
import type { Target } from './client.js';

/** A running skiff child process. */
export interface SkiffProcess {
  pid: number;
  target: Target;
  /** The command line it was started with, for the report. */
  command: string;
  /** Sends SIGTERM and waits for a clean exit (so a --cpu-prof profile gets written). */
  stop(): Promise<void>;
}

/** How to start the CLI: compiled (dist/) or from source through tsx, matching how the bench runs. */
export interface SkiffEntry {
  /** The repository root (the child's working directory). */
  root: string;
  /** node arguments that run `skiff`, before its own arguments. */
  args: string[];
}

/** Starts `skiff up --data-dir dataDir --port 0` and resolves once it serves and wrote its kubeconfig. */
export async function startSkiff(entry: SkiffEntry, dataDir: string, extraNodeArgs: string[], extraSkiffArgs: string[] = []): Promise<SkiffProcess> {
  const args = [...extraNodeArgs, ...entry.args, 'up', '--data-dir', dataDir, '--port', '0', ...extraSkiffArgs];
  const child = spawn(process.execPath, args, { cwd: entry.root, stdio: ['ignore', 'pipe', 'pipe'] });
  const command = `node ${args.join(' ')}`;
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (c: string) => {
    stderr += c;
    process.stderr.write(`[skiff] ${c}`);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = realClock.setTimeout(() => reject(new Error(`skiff did not start within 60s\n${stderr}`)), 60_000);
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (c: string) => {
      out += c;
      const m = /serving .* on https:\/\/[^:]+:(\d+)/.exec(out);
      if (m) {
        realClock.clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    void exited.then((code) => {
      realClock.clearTimeout(timer);
      reject(new Error(`skiff exited with code ${code} before serving\n${stderr}`));
    });
  });
  const target = readKubeconfig(join(dataDir, 'kubeconfig'), port);
  return {
    pid: child.pid!,
    target,
    command,
    stop: () => stopChild(child, exited),
  };
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  const timer = realClock.setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  realClock.clearTimeout(timer);
}

/** The default cluster's CA and admin token from the kubeconfig skiff wrote. */
export function readKubeconfig(path: string, port: number): Target {
  const doc = YAML.parse(readFileSync(path, 'utf8')) as {
    'current-context': string;
    clusters: { name: string; cluster: { server: string; 'certificate-authority-data': string } }[];
    users: { name: string; user: { token: string } }[];
    contexts: { name: string; context: { cluster: string; user: string } }[];
  };
  const ctx = doc.contexts.find((c) => c.name === doc['current-context'])!.context;
  const cluster = doc.clusters.find((c) => c.name === ctx.cluster)!.cluster;
  const user = doc.users.find((u) => u.name === ctx.user)!.user;
  const url = new URL(cluster.server);
  return {
    host: url.hostname,
    port: Number(url.port) || port,
    caPem: Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8'),
    token: user.token,
  };
}
