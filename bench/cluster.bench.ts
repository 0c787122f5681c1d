// The whole data path at scale, as kwok's CI measures it: a Deployment of 10,000 replicas on 1,000
// simulated nodes, from `apply` to every pod Running (deployment and replicaset controllers,
// scheduler, kubelets, events, on the SQLite store with fsync, exactly as `skiff up` runs it), and
// the heap per 1,000 running pods. Baseline in the same run: creating the same number of pods
// straight into the same kind of cluster (no controllers' or scheduler's decisions, no kubelets).
// Also one virtual hour of a */5 CronJob on the six-node default cluster (wall seconds, and the CPU
// of the main thread, which the hour is bounded by and which a shared host disturbs less).
// Run: `npm run bench` (compiled) or `npx tsx bench/cluster.bench.ts [--nodes 1000] [--pods 10000]`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { KubeObject } from '../src/api/types.js';
import { ADMIN_USER, Cluster } from '../src/host/cluster.js';
import { defaultNodeSpecs } from '../src/host/default-nodes.js';
import type { SimNodeSpec } from '../src/kubelet/types.js';
import { realClock, WarpClock, type Clock } from '../src/sim/clock.js';
import { mainThreadCpuSeconds, monotonicUs } from './machine.js';
import { withServerFlags } from '../src/host/node-flags.js';

// Measured as `skiff up` runs: with skiff's V8 flags (this process starts itself again if needed).
withServerFlags();

const { values } = parseArgs({ options: { nodes: { type: 'string', default: '1000' }, pods: { type: 'string', default: '10000' }, only: { type: 'string' }, 'cron-nodes': { type: 'string', default: '6,1' } } });
const NODES = Number(values.nodes);
const PODS = Number(values.pods);
const now = () => performance.now();
const PODS_REF = { group: '', version: 'v1', resource: 'pods', namespaced: true, kind: 'Pod' };
const DEPLOYMENTS = { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true, kind: 'Deployment' };
const CRONJOBS = { group: 'batch', version: 'v1', resource: 'cronjobs', namespaced: true, kind: 'CronJob' };
const JOBS = { group: 'batch', version: 'v1', resource: 'jobs', namespaced: true, kind: 'Job' };

/** n m5.large-shaped nodes over three zones, cloned from the default cluster's. */
function nodeSpecs(n: number): SimNodeSpec[] {
  const base = defaultNodeSpecs({ clusterName: 'bench' });
  return Array.from({ length: n }, (_, i) => {
    const b = base[i % base.length];
    const ip = `10.${(i >> 8) & 255}.${i & 255}.10`;
    const name = `ip-${ip.replaceAll('.', '-')}.ec2.internal`;
    return { ...b, name, addresses: { internalIP: ip, hostname: name, internalDNS: name }, podIPRange: `10.${128 + ((i >> 8) & 127)}.${i & 255}.0/24`, capacity: { ...b.capacity, pods: '110' }, allocatable: { ...b.allocatable!, pods: '110' } };
  });
}

async function open(nodes: SimNodeSpec[], clock: Clock): Promise<{ cluster: Cluster; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-'));
  const cluster = await Cluster.open(dir, 'bench', clock, { nodes, region: 'us-east-1' });
  return { cluster, dir };
}

async function close(c: { cluster: Cluster; dir: string }) {
  await c.cluster.close();
  rmSync(c.dir, { recursive: true, force: true });
}

const pod = (i: number): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p-${i}`, namespace: 'default', labels: { app: 'bench' } }, spec: { containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } });

async function baselineCreates(): Promise<number> {
  const c = await open([], realClock);
  const client = c.cluster.clientAs(ADMIN_USER, 'bench');
  const pods = client.resource(PODS_REF).namespace('default');
  const t0 = now();
  let next = 0;
  await Promise.all(Array.from({ length: 64 }, async () => {
    while (next < PODS) await pods.create(pod(next++));
  }));
  const rate = PODS / ((now() - t0) / 1000);
  await close(c);
  return rate;
}

async function toRunning(): Promise<{ seconds: number; rate: number; heapPer1000: number; registerSeconds: number }> {
  const t0 = now();
  const c = await open(nodeSpecs(NODES), realClock);
  const client = c.cluster.clientAs(ADMIN_USER, 'bench');
  const nodesApi = client.resource({ group: '', version: 'v1', resource: 'nodes', namespaced: false, kind: 'Node' });
  while ((await nodesApi.list()).items.length < NODES) await realClock.sleep(200);
  const registerSeconds = (now() - t0) / 1000;
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const t1 = now();
  await client.resource(DEPLOYMENTS).namespace('default').create({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'bench', namespace: 'default' },
    spec: { replicas: PODS, selector: { matchLabels: { app: 'bench' } }, template: pod(0) as never },
  });
  // Count Running pods from a watch (what kwok's CI does with kubectl), not by re-listing.
  const running = new Set<string>();
  const watch = await client.resource(PODS_REF).namespace('default').watch({ fieldSelector: 'status.phase=Running' });
  for await (const e of watch) {
    if (e.type === 'ADDED' || e.type === 'MODIFIED') running.add(e.object.metadata.name!);
    else if (e.type === 'DELETED') running.delete(e.object.metadata.name!);
    if (running.size >= PODS) break;
  }
  watch.close();
  const seconds = (now() - t1) / 1000;
  global.gc?.();
  const heapPer1000 = (process.memoryUsage().heapUsed - heap0) / (PODS / 1000);
  await close(c);
  return { seconds, rate: PODS / seconds, heapPer1000, registerSeconds };
}

async function cronHour(nodes: number): Promise<{ wall: number; jobs: number; cpuSeconds: number; mainThreadSeconds?: number }> {
  const clock = new WarpClock(Date.UTC(2026, 0, 1, 0, 0, 30));
  const c = await open(defaultNodeSpecs({ clusterName: 'bench' }).slice(0, nodes), clock);
  const client = c.cluster.clientAs(ADMIN_USER, 'bench');
  await realClock.sleep(2000); // nodes register
  await client.resource(CRONJOBS).namespace('default').create({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'every5', namespace: 'default' },
    spec: { schedule: '*/5 * * * *', successfulJobsHistoryLimit: 20, jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } } } } },
  });
  await realClock.sleep(500);
  // The hour starts on a collected heap, as in a fresh `skiff up`: not with the garbage the previous
  // measurement (a closed 10,000-pod cluster) left for a collection to find during it.
  global.gc?.();
  const t0 = now();
  const fromUs = monotonicUs();
  const cpu0 = process.cpuUsage();
  const main0 = mainThreadCpuSeconds();
  await clock.advance(3_600_000);
  const cpu = process.cpuUsage(cpu0);
  const main1 = mainThreadCpuSeconds();
  const wall = (now() - t0) / 1000;
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  // For `cpuprofile-top --from-us --to-us` under --cpu-prof: the hour alone, without start-up.
  if (process.execArgv.includes('--cpu-prof')) console.log(`virtual hour window: --from-us ${fromUs} --to-us ${monotonicUs()}`);
  const jobs = (await client.resource(JOBS).namespace('default').list()).items.length;
  await close(c);
  return { wall, jobs, cpuSeconds, mainThreadSeconds: main0 !== undefined && main1 !== undefined ? main1 - main0 : undefined };
}

if (values.only !== 'cron') {
  const base = await baselineCreates();
  console.log(`baseline: ${PODS} pod creates, no controllers: ${base.toFixed(0)} pods/s`);
  const r = await toRunning();
  console.log(`${NODES} nodes registered in ${r.registerSeconds.toFixed(1)} s`);
  console.log(`Deployment of ${PODS} replicas on ${NODES} nodes: all Running in ${r.seconds.toFixed(1)} s (${r.rate.toFixed(0)} pods/s, ${(r.rate / base).toFixed(2)}× the create-only baseline); kwok anchor: ≤ 60 s`);
  console.log(`heap per 1,000 running pods (incl. the API server's cache, informers and kubelet state): ${(r.heapPer1000 / 1024 / 1024).toFixed(1)} MiB`);
}
for (const n of values['cron-nodes']!.split(',').map(Number)) {
  const h = await cronHour(n);
  const main = h.mainThreadSeconds === undefined ? '' : `, ${h.mainThreadSeconds.toFixed(2)} s on the main thread`;
  console.log(`one virtual hour, */5 CronJob, ${n}-node cluster (leases, status, controllers all running): ${h.jobs} Jobs, ${h.wall.toFixed(2)} s of wall time (${h.cpuSeconds.toFixed(2)} s of CPU${main})`);
}
process.exit(0);
