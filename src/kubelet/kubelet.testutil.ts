// A cluster for kubelet tests: an in-process API server on a VirtualClock, a KubeletPool with
// nodes, and helpers to create pods bound to a node and read back what the kubelet reported.
import type { Event, Node, Pod } from '../api/objects.js';
import { startTestServer, type TestServer } from '../apiserver/testing.js';
import { SharedInformerFactory } from '../client/informer.js';
import { RestClient, type ResourceClient } from '../client/rest.js';
import { eventually } from '../client/testing.js';
import { InProcessTransport } from '../client/transport.js';
import { KubeletPool } from './pool.js';
import type { SimNodeSpec } from './types.js';
import { EVENTS, NODES, PODS } from '../client/refs.js';

export function nodeSpec(name = 'ip-192-168-1-10.ec2.internal', extra: Partial<SimNodeSpec> = {}): SimNodeSpec {
  return {
    name,
    zone: 'us-east-1a',
    region: 'us-east-1',
    instanceType: 'm5.large',
    capacity: { cpu: '2', memory: '7910336Ki', pods: '29', 'ephemeral-storage': '83873772Ki' },
    allocatable: { cpu: '1930m', memory: '7220160Ki', pods: '29', 'ephemeral-storage': '76224326324' },
    providerID: 'aws:///us-east-1a/i-0123456789abcdef0',
    addresses: { internalIP: '192.168.1.10' },
    podIPRange: '192.168.64.0/24',
    ...extra,
  };
}

export interface KubeletHarness {
  t: TestServer;
  client: RestClient;
  pool: KubeletPool;
  pods: ResourceClient<Pod>;
  nodes: ResourceClient<Node>;
  logs: string[];
  stop(): void;
  /** Creates a pod bound to the node. */
  createPod(pod: Partial<Pod> & { metadata: Pod['metadata']; spec: Pod['spec'] }): Promise<Pod>;
  getPod(name: string): Promise<Pod>;
  /** Advances virtual time until cond holds. */
  until(cond: () => boolean | Promise<boolean>, opts?: { stepMs?: number; maxRounds?: number; describe?: () => string }): Promise<void>;
  /** Advances virtual time by ms and lets the kubelets' writes land. */
  advance(ms: number): Promise<void>;
  events(involvedName: string): Promise<Event[]>;
}

export async function startKubelets(nodes: SimNodeSpec[] = [nodeSpec()]): Promise<KubeletHarness> {
  const t = await startTestServer();
  const client = new RestClient(new InProcessTransport(t.server, { username: 'kubernetes-admin', groups: ['system:masters'] }));
  const informers = new SharedInformerFactory({ client, clock: t.clock });
  const logs: string[] = [];
  const pool = new KubeletPool({ client, informers, clock: t.clock, log: (m, e) => logs.push(e === undefined ? m : `${m}: ${String(e)}`) });
  for (const n of nodes) pool.addNode(n);
  const stop = new AbortController();
  pool.start(stop.signal);
  t.server.setKubeletConnection(pool);
  const pods = client.resource<Pod>(PODS).namespace('default');
  const h: KubeletHarness = {
    t,
    client,
    pool,
    pods,
    nodes: client.resource<Node>(NODES),
    logs,
    stop() {
      stop.abort();
      t.stop();
    },
    async createPod(pod) {
      const p = structuredClone(pod) as Pod;
      p.apiVersion = 'v1';
      p.kind = 'Pod';
      p.metadata.namespace ??= 'default';
      p.spec!.nodeName ??= nodes[0]?.name;
      return pods.namespace(p.metadata.namespace).create(p);
    },
    getPod: (name) => pods.get(name),
    async until(cond, opts = {}) {
      await eventually(cond, { clock: t.clock, stepMs: opts.stepMs ?? 100, maxRounds: opts.maxRounds ?? 600, describe: opts.describe });
    },
    async advance(ms) {
      await t.clock.advance(ms);
      await pool.whenIdle();
    },
    async events(name) {
      const list = await client.resource<Event>(EVENTS).list();
      return list.items.filter((e) => e.involvedObject?.name === name).sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''));
    },
  };
  await eventually(async () => {
    try {
      await h.nodes.get(nodes[0]?.name ?? '');
      return true;
    } catch {
      return false;
    }
  }, { clock: t.clock, stepMs: 10, maxRounds: 500 });
  await pool.whenIdle();
  return h;
}
