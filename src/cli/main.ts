// The `skiff` command: up (run every cluster in the foreground), status, down.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { request } from 'node:https';
import { parseArgs } from 'node:util';
import { DEFAULT_EKS_PORT, LOCAL_ACCESS_KEY, readProcessState, SkiffServer, type ProcessState } from '../host/server.js';
import { planFromFile } from '../eksctl/create.js';
import { contextName } from '../host/kubeconfig.js';
import { realClock, WarpClock } from '../sim/clock.js';
import { RestClient } from '../client/rest.js';
import { HttpsTransport } from '../client/transport.js';
import { addonsTable, installAddons } from './addons.js';

const USAGE = `skiff: Amazon EKS emulated on one machine.

Usage:
  skiff up     [-f cluster.yaml] [--data-dir DIR] [--port N] [--eks-port N] [--host ADDR] [--clock real|virtual] [--no-nodes] [--fsync]
                                                           run skiff in the foreground; with -f, create the
                                                           EKS cluster an eksctl ClusterConfig describes
  skiff create cluster -f cluster.yaml [--data-dir DIR]   create an eksctl ClusterConfig's cluster in a running skiff
  skiff status [--data-dir DIR]                            show whether skiff runs, and where
  skiff down   [--data-dir DIR]                            stop the skiff serving DIR
  skiff addons list                                        the add-on catalog (CRDs of Karpenter, Argo, Istio, ...)
  skiff addons install NAME... [--data-dir DIR] [--context CTX]
                                                           install add-ons' CRDs into a running cluster
  skiff clock [advance DURATION] [--data-dir DIR] [--context CTX]
                                                           show the cluster's time, or fast-forward a
                                                           virtual clock (e.g. 1h, 90s) firing every timer
  skiff nodes stop-kubelet|start-kubelet NODE [--data-dir DIR] [--context CTX]
                                                           silence a node's kubelet (no lease renewals,
                                                           no status) or bring it back
  skiff help

Defaults: --data-dir ~/.skiff, --port 6443 (0 picks a free port), --eks-port 6444 (the EKS API,
for aws --endpoint-url), --host 127.0.0.1, --clock real.
A virtual clock runs at wall-clock speed until \`skiff clock advance\` jumps it ahead.
Every acknowledged write survives skiff being killed (kill -9); --fsync also makes each commit wait
for the disk, so it survives an OS crash or power loss as etcd's do, at the cost of write speed.
`;

/** Thrown for bad command lines: printed as "error: ..." with exit code 1. */
class UsageError extends Error {}

function defaultDataDir(): string {
  return process.env.SKIFF_DATA_DIR || join(homedir(), '.skiff');
}

function parse(args: string[], options: Record<string, { type: 'string' | 'boolean'; short?: string }>): Record<string, string | boolean | undefined> {
  try {
    return parseArgs({ args, options: { ...options, help: { type: 'boolean' } }, strict: true, allowPositionals: false }).values as Record<string, string | boolean | undefined>;
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/^Unknown option '([^']+)'.*$/s, 'unknown flag: $1').replace(/\. To specify a positional argument.*$/s, ''));
  }
}

/** The data directory the flags name (--data-dir, else $SKIFF_DATA_DIR or ~/.skiff) and the skiff serving it, if one is alive. */
function locate(v: Record<string, string | boolean | undefined>): { dataDir: string; running: ProcessState | undefined } {
  const dataDir = resolve((v['data-dir'] as string | undefined) ?? defaultDataDir());
  const state = readProcessState(dataDir);
  return { dataDir, running: state && isAlive(state.pid) ? state : undefined };
}

function parsePort(v: string | undefined, flag = 'port', dflt = 6443): number {
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v) || Number(v) > 65535) throw new UsageError(`invalid argument "${v}" for "--${flag}" flag: must be a port number from 0 to 65535`);
  return Number(v);
}

async function up(args: string[]): Promise<number> {
  const v = parse(args, { 'data-dir': { type: 'string' }, port: { type: 'string' }, 'eks-port': { type: 'string' }, host: { type: 'string' }, clock: { type: 'string' }, 'no-nodes': { type: 'boolean' }, fsync: { type: 'boolean' }, filename: { type: 'string', short: 'f' } });
  if (v.help) return help();
  const config = v.filename !== undefined ? readConfigFile(v.filename as string) : undefined;
  // Bad ClusterConfigs fail before anything starts, naming the field and line.
  if (config) {
    try {
      planFromFile(config.text, config.file, { accessKeyId: LOCAL_ACCESS_KEY, arn: 'arn:aws:iam::123456789012:user/skiff', accountId: '123456789012', region: 'us-east-1' });
    } catch (e) {
      console.error(`Error: ${(e as Error).message}`);
      return 1;
    }
  }
  const clockKind = (v.clock as string | undefined) ?? 'real';
  if (clockKind !== 'real' && clockKind !== 'virtual') throw new UsageError(`invalid argument "${clockKind}" for "--clock" flag: must be real or virtual`);
  const { dataDir, running } = locate(v);
  if (running) {
    console.error(`error: skiff is already running for ${dataDir} (pid ${running.pid}, port ${running.port})`);
    return 1;
  }
  const server = new SkiffServer({ dataDir, port: parsePort(v.port as string | undefined), host: (v.host as string | undefined) ?? '127.0.0.1', clock: clockKind === 'virtual' ? new WarpClock() : realClock, defaultNodes: !v['no-nodes'] && !config, deferDefaultCluster: !!config, eksPort: parsePort(v['eks-port'] as string | undefined, 'eks-port', DEFAULT_EKS_PORT), fsync: v.fsync === true });
  try {
    await server.start();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') console.error(`error: address ${(err as NodeJS.ErrnoException & { port?: number }).port ?? v.port ?? 6443} is already in use; choose another with --port or --eks-port (0 picks a free one)`);
    else console.error(`error: ${err.message}`);
    await server.stop().catch(() => undefined);
    return 1;
  }
  // Listening for SIGTERM and SIGINT from here on: one that comes while the config's cluster is
  // still being created stops skiff as soon as it is, not half-way (nor killed by the default action).
  const signalled = new Promise<string>((resolveSignal) => {
    process.once('SIGTERM', () => resolveSignal('SIGTERM'));
    process.once('SIGINT', () => resolveSignal('SIGINT'));
  });
  if (config) {
    try {
      await server.createFromConfig(config.text, config.file, eksctlSay);
      await server.startDeferred();
    } catch (e) {
      console.error(`Error: ${(e as Error).message}`);
      await server.stop().catch(() => undefined);
      return 1;
    }
  }
  console.log(`skiff is serving ${server.clusters.size} cluster(s) on https://${server.host}:${server.port}`);
  for (const name of server.clusters.keys()) console.log(`  cluster ${name}: ${server.endpoint(name)}`);
  console.log(`EKS API: http://${server.host}:${server.eksPort} (aws eks ... --endpoint-url http://${server.host}:${server.eksPort})`);
  console.log(`Point kubectl at it with:\n\nexport KUBECONFIG=${server.kubeconfigPath}\n`);
  const signal = await signalled;
  console.log(`skiff: ${signal} received, stopping`);
  await server.stop().catch((e) => console.error(`error while stopping: ${(e as Error).message}`));
  return 0;
}

/** eksctl's progress line: "2026-11-21 12:00:00 [ℹ]  message". */
function eksctlSay(line: string): void {
  const t = realClock.date().toISOString().replace('T', ' ').slice(0, 19);
  console.log(`${t} [${/is ready$/.test(line) ? '✔' : 'ℹ'}]  ${line}`);
}

function readConfigFile(file: string): { text: string; file: string } {
  try {
    return { text: readFileSync(file, 'utf8'), file };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new UsageError(err.code === 'ENOENT' ? `reading config file "${file}": open ${file}: no such file or directory` : `reading config file "${file}": ${err.message}`);
  }
}

/** `skiff create cluster -f FILE`: the running skiff's EKS control plane creates it. */
async function createCmd(args: string[]): Promise<number> {
  const [what, ...rest] = args;
  if (what !== 'cluster') throw new UsageError(what ? `unknown command "${what}" for "skiff create"` : 'skiff create needs a resource: skiff create cluster -f cluster.yaml');
  const v = parse(rest, { 'data-dir': { type: 'string' }, filename: { type: 'string', short: 'f' } });
  if (v.help) return help();
  if (v.filename === undefined) throw new UsageError('skiff create cluster needs a ClusterConfig: -f cluster.yaml');
  const config = readConfigFile(v.filename as string);
  const { dataDir, running } = locate(v);
  if (!running?.eksPort) {
    console.error(`error: skiff is not running for ${dataDir}; start it with: skiff up --data-dir ${dataDir}`);
    return 1;
  }
  // Any SigV4-shaped credential names the caller; the access key ID is what counts.
  const key = process.env.AWS_ACCESS_KEY_ID || LOCAL_ACCESS_KEY;
  const res = await fetch(`http://${running.host}:${running.eksPort}/skiff/v1/eksctl/clusters`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `AWS4-HMAC-SHA256 Credential=${key}/20260101/us-east-1/eks/aws4_request, SignedHeaders=host, Signature=0` },
    body: JSON.stringify({ config: config.text, file: config.file }),
  });
  const body = (await res.json()) as { lines?: string[]; message?: string; name?: string };
  for (const l of body.lines ?? []) eksctlSay(l);
  if (!res.ok) {
    console.error(`Error: ${body.message ?? res.statusText}`);
    return 1;
  }
  console.log(`kubectl: export KUBECONFIG=${join(dataDir, 'kubeconfig')}; kubectl config use-context ${contextName(body.name!)}`);
  return 0;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  // An exited process its parent has not reaped yet (a zombie) still answers signal 0.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

function probeReady(host: string, port: number): Promise<boolean> {
  return new Promise((resolveProbe) => {
    const req = request({ host, port, path: '/readyz', rejectUnauthorized: false, timeout: 2000 }, (res) => {
      res.resume();
      resolveProbe(res.statusCode === 200);
    });
    req.on('error', () => resolveProbe(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

async function status(args: string[]): Promise<number> {
  const v = parse(args, { 'data-dir': { type: 'string' } });
  if (v.help) return help();
  const { dataDir, running: state } = locate(v);
  if (!state) {
    console.log(`skiff is not running (data dir ${dataDir})`);
    return 1;
  }
  const ready = await probeReady(state.host, state.port);
  console.log(`skiff is running (pid ${state.pid}) on https://${state.host}:${state.port}${ready ? '' : ' (not ready)'}`);
  console.log(`data dir:   ${dataDir}`);
  console.log(`kubeconfig: ${join(dataDir, 'kubeconfig')}`);
  console.log('CLUSTERS');
  for (const c of state.clusters) console.log(`  ${c}`);
  return ready ? 0 : 1;
}

async function down(args: string[]): Promise<number> {
  const v = parse(args, { 'data-dir': { type: 'string' } });
  if (v.help) return help();
  const { dataDir, running: state } = locate(v);
  if (!state) {
    console.log(`skiff is not running (data dir ${dataDir})`);
    return 0;
  }
  process.kill(state.pid, 'SIGTERM');
  // Wait for a clean stop: the process removes its state file as it exits.
  for (let i = 0; i < 300 && isAlive(state.pid); i++) await new Promise((r) => setImmediate(r)).then(() => sleepMs(50));
  if (isAlive(state.pid)) {
    console.error(`error: skiff (pid ${state.pid}) did not stop within 15s`);
    return 1;
  }
  console.log(`skiff stopped (pid ${state.pid})`);
  return 0;
}

function sleepMs(ms: number): Promise<void> {
  return realClock.sleep(ms);
}

async function addons(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'list') {
    parse(rest, {});
    process.stdout.write(addonsTable());
    return 0;
  }
  if (sub !== 'install') throw new UsageError(`unknown command "${sub ?? ''}" for "skiff addons"\nRun 'skiff help' for usage.`);
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { 'data-dir': { type: 'string' }, context: { type: 'string' } }, strict: true, allowPositionals: true });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/^Unknown option '([^']+)'.*$/s, 'unknown flag: $1'));
  }
  if (!parsed.positionals.length) throw new UsageError('skiff addons install needs at least one add-on name; see `skiff addons list`');
  const { dataDir, running } = locate(parsed.values);
  if (!running) {
    console.error(`error: skiff is not running for ${dataDir}; start it with \`skiff up --data-dir ${dataDir}\``);
    return 1;
  }
  try {
    for (const line of await installAddons(dataDir, parsed.positionals, parsed.values.context)) console.log(line);
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    return 1;
  }
  return 0;
}

/** Runs fn with a client of the running skiff's cluster (the kubeconfig's context). */
async function withCluster(values: Record<string, string | boolean | undefined>, fn: (client: RestClient) => Promise<void>): Promise<number> {
  const { dataDir, running } = locate(values);
  if (!running) {
    console.error(`error: skiff is not running for ${dataDir}; start it with \`skiff up --data-dir ${dataDir}\``);
    return 1;
  }
  const transport = HttpsTransport.fromKubeconfig(join(dataDir, 'kubeconfig'), values.context as string | undefined);
  try {
    await fn(new RestClient(transport));
    return 0;
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    return 1;
  } finally {
    transport.close();
  }
}

function positionalArgs(args: string[]): { positionals: string[]; values: Record<string, string | boolean | undefined> } {
  try {
    return parseArgs({ args, options: { 'data-dir': { type: 'string' }, context: { type: 'string' } }, strict: true, allowPositionals: true });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/^Unknown option '([^']+)'.*$/s, 'unknown flag: $1'));
  }
}

async function clockCmd(args: string[]): Promise<number> {
  const { positionals, values } = positionalArgs(args);
  const [sub, duration, ...extra] = positionals;
  if (sub !== undefined && sub !== 'advance') throw new UsageError(`unknown command "${sub}" for "skiff clock"`);
  if (sub === 'advance' && (!duration || extra.length)) throw new UsageError('skiff clock advance needs one duration, e.g. 1h or 90s');
  return withCluster(values, async (client) => {
    if (!sub) {
      const { body } = await client.requestJSON<{ now: string; virtual: boolean }>('GET', '/skiff/v1/clock');
      console.log(`${body.now} (${body.virtual ? 'virtual' : 'real'} clock)`);
      return;
    }
    const { body } = await client.requestJSON<{ now: string; wallSeconds: number }>('POST', '/skiff/v1/clock/advance', { query: new URLSearchParams({ duration }) });
    console.log(`clock advanced by ${duration} to ${body.now} in ${body.wallSeconds}s`);
  });
}

async function nodesCmd(args: string[]): Promise<number> {
  const { positionals, values } = positionalArgs(args);
  const [sub, node, ...extra] = positionals;
  if (sub !== 'stop-kubelet' && sub !== 'start-kubelet') throw new UsageError(`unknown command "${sub ?? ''}" for "skiff nodes"`);
  if (!node || extra.length) throw new UsageError(`skiff nodes ${sub} needs one node name`);
  const action = sub === 'stop-kubelet' ? 'stop' : 'start';
  return withCluster(values, async (client) => {
    await client.requestJSON('POST', `/skiff/v1/nodes/${encodeURIComponent(node)}/kubelet`, { query: new URLSearchParams({ action }) });
    console.log(`node/${node} kubelet ${action === 'stop' ? 'stopped' : 'started'}`);
  });
}

function help(): number {
  process.stdout.write(USAGE);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'up':
      return up(rest);
    case 'status':
      return status(rest);
    case 'down':
      return down(rest);
    case 'addons':
      return addons(rest);
    case 'clock':
      return clockCmd(rest);
    case 'create':
      return createCmd(rest);
    case 'nodes':
      return nodesCmd(rest);
    case 'help':
    case '--help':
    case '-h':
    case undefined:
      return help();
    default:
      throw new UsageError(`unknown command "${cmd}" for "skiff"\nRun 'skiff help' for usage.`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    if (e instanceof UsageError) {
      console.error(`error: ${e.message}`);
      process.exit(1);
    }
    console.error(e);
    process.exit(1);
  },
);
