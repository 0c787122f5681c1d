// The scheduler benchmark, shaped like upstream's scheduler_perf SchedulingBasic: an in-process API
// server (MemoryStore, in-process transport, real clock), 1,000 and 5,000 nodes, 10,000 pods
// created up front, and the scheduler binding them; pods/s is measured from the first binding to
// the last. Baselines in the same run, against the same kind of server: creating and binding the
// same pods round robin without any decisions (create+bind), and binding pre-created pods round
// robin (bind only, the same API work the scheduler does per pod, minus its Scheduled event).
// Run: `npx tsx bench/scheduler.bench.ts [--nodes 1000,5000] [--pods 10000]`. Never part of `npm test`.
import { setMaxListeners } from 'node:events';
import { parseArgs } from 'node:util';
import { APIServer } from '../src/apiserver/apiserver.js';
import { TokenAuthenticator } from '../src/apiserver/auth/authn.js';
import { SharedInformerFactory } from '../src/client/informer.js';
import { RestClient } from '../src/client/rest.js';
import { InProcessTransport } from '../src/client/transport.js';
import { Scheduler, NODES, PODS } from '../src/scheduler/scheduler.js';
import { makeNode, makePod } from '../src/scheduler/testing.js';
import { realClock } from '../src/sim/clock.js';
import { MemoryStore } from '../src/storage/memory.js';
import { withServerFlags } from '../src/host/node-flags.js';

// Measured as `skiff up` runs: with skiff's V8 flags (this process starts itself again if needed).
withServerFlags();

const now = () => performance.now();
const ADMIN = { username: 'kubernetes-admin', groups: ['system:masters'] };

const { values } = parseArgs({ options: { nodes: { type: 'string', default: '1000,5000' }, pods: { type: 'string', default: '10000' }, concurrency: { type: 'string', default: '64' }, 'skip-baselines': { type: 'boolean', default: false } } });
const NODE_COUNTS = values.nodes!.split(',').map(Number);
const POD_COUNT = Number(values.pods);
const CONCURRENCY = Number(values.concurrency);

async function newCluster(nodes: number): Promise<{ server: APIServer; client: RestClient }> {
  const server = new APIServer({ clusterName: 'bench', store: new MemoryStore(), clock: realClock, authenticator: new TokenAuthenticator([]) });
  await server.start();
  const client = new RestClient(new InProcessTransport(server, ADMIN));
  // scheduler_perf's node-default: 4 cpu, 32Gi, 110 pods.
  await pool(nodes, (i) => client.resource(NODES).create(makeNode(`node-${i}`, { cpu: '4', memory: '32Gi', pods: '110', zone: `zone-${i % 3}` })));
  return { server, client };
}

async function pool(n: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, n) }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

// scheduler_perf's pod-default: 100m cpu, 500Mi memory, no owner.
const benchPod = (i: number) => makePod(`pod-${i}`, { cpu: '100m', memory: '500Mi', namespace: 'default' });

function bind(client: RestClient, i: number, node: string): Promise<unknown> {
  const name = `pod-${i}`;
  return client.resource(PODS).namespace('default').createSubresource(name, 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace: 'default' }, target: { apiVersion: 'v1', kind: 'Node', name: node } });
}

async function baselineCreateBind(nodes: number): Promise<number> {
  const { server, client } = await newCluster(nodes);
  const t0 = now();
  await pool(POD_COUNT, async (i) => {
    await client.resource(PODS).namespace('default').create(benchPod(i));
    await bind(client, i, `node-${i % nodes}`);
  });
  const rate = POD_COUNT / ((now() - t0) / 1000);
  server.stop();
  return rate;
}

async function baselineBindOnly(nodes: number): Promise<number> {
  const { server, client } = await newCluster(nodes);
  await pool(POD_COUNT, (i) => client.resource(PODS).namespace('default').create(benchPod(i)));
  const t0 = now();
  await pool(POD_COUNT, (i) => bind(client, i, `node-${i % nodes}`));
  const rate = POD_COUNT / ((now() - t0) / 1000);
  server.stop();
  return rate;
}

async function withScheduler(nodes: number): Promise<{ rate: number; bytesPer1000: number; failures: number }> {
  const { server, client } = await newCluster(nodes);
  await pool(POD_COUNT, (i) => client.resource(PODS).namespace('default').create(benchPod(i)));
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const stop = new AbortController();
  setMaxListeners(100, stop.signal);
  const sched = new Scheduler({ client, informers: new SharedInformerFactory({ client, clock: realClock }), clock: realClock });
  sched.start(stop.signal);
  let first = 0;
  while (sched.bound < POD_COUNT) {
    if (!first && sched.bound > 0) first = now();
    await realClock.sleep(5);
  }
  const last = now();
  await sched.whenIdle();
  global.gc?.();
  const heap1 = process.memoryUsage().heapUsed;
  const rate = (POD_COUNT - 1) / ((last - first) / 1000);
  stop.abort();
  server.stop();
  return { rate, bytesPer1000: ((heap1 - heap0) / POD_COUNT) * 1000, failures: sched.failures };
}

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(2)} MiB`;
console.log(`scheduler benchmark: ${POD_COUNT} pods, nodes ${NODE_COUNTS.join(', ')}, node ${process.version}${global.gc ? '' : ' (run with --expose-gc for steadier memory figures)'}`);
for (const nodes of NODE_COUNTS) {
  const createBind = values['skip-baselines'] ? NaN : await baselineCreateBind(nodes);
  const bindOnly = values['skip-baselines'] ? NaN : await baselineBindOnly(nodes);
  const s = await withScheduler(nodes);
  console.log(`\n${nodes} nodes`);
  console.log(`  baseline create+bind (round robin)  ${createBind.toFixed(0).padStart(7)} pods/s`);
  console.log(`  baseline bind only (round robin)    ${bindOnly.toFixed(0).padStart(7)} pods/s`);
  console.log(`  scheduler, first→last binding       ${s.rate.toFixed(0).padStart(7)} pods/s   ${(s.rate / bindOnly).toFixed(2)}× bind-only, ${(s.rate / createBind).toFixed(2)}× create+bind   (target ≥ 680: ${s.rate >= 680 ? 'met' : 'NOT met'})`);
  console.log(`  scheduler heap growth               ${mb(s.bytesPer1000)} per 1,000 pods   failed attempts: ${s.failures}`);
}
