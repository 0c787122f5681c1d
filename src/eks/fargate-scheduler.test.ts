// The Fargate path end to end in one real in-process cluster: the pod mutation in the API server's
// admission chain, the fargate-scheduler booting one simulated kubelet per pod, kube-scheduler
// leaving Fargate pods alone, and Fargate nodes going away with their pods.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Event, Node, Pod } from '../api/objects.js';
import { SharedInformerFactory } from '../client/informer.js';
import type { ResourceClient, RestClient } from '../client/rest.js';
import { EVENTS, NAMESPACES, NODES, PODS } from '../client/refs.js';
import { eventually } from '../client/testing.js';
import { ADMIN_USER, Cluster } from '../host/cluster.js';
import { VirtualClock } from '../sim/clock.js';
import { FargateMutation, type FargateProfile } from './fargate.js';
import { EXCEEDS_MAX_REASON, FARGATE_POD_ANNOTATION, FARGATE_POD_UID_ANNOTATION, FargateScheduler, fargateNodeName, type FargateAddress } from './fargate-scheduler.js';

const PROFILE: FargateProfile = {
  fargateProfileName: 'fp-apps',
  status: 'ACTIVE',
  subnets: ['subnet-private-a', 'subnet-private-b'],
  selectors: [{ namespace: 'apps', labels: { compute: 'fargate' } }, { namespace: 'batch-*' }],
};

/** A toy IPAM over the profile's two private subnets, 192.168.96.0/19 and 192.168.128.0/19. */
class Addresses {
  private next = 10;
  readonly inUse = new Set<string>();
  readonly released: string[] = [];
  full = false;
  allocate(profile: FargateProfile): FargateAddress | undefined {
    if (this.full) return undefined;
    const n = this.next++;
    const z = n % 2;
    const ip = `192.168.${96 + z * 32 + Math.floor(n / 200)}.${n % 200 + 20}`;
    this.inUse.add(ip);
    return { ip, subnetId: profile.subnets[z], zone: z ? 'us-east-1b' : 'us-east-1a', zoneId: z ? 'use1-az2' : 'use1-az1' };
  }
  release(ip: string): void {
    this.inUse.delete(ip);
    this.released.push(ip);
  }
}

describe('EKS Fargate in a cluster', () => {
  let dir: string;
  let clock: VirtualClock;
  let cluster: Cluster;
  let admin: RestClient;
  let pods: ResourceClient<Pod>;
  let nodes: ResourceClient<Node>;
  const ips = new Addresses();
  const launched: string[] = [];
  let stopScheduler: AbortController;
  let scheduler: FargateScheduler;

  function startScheduler(): void {
    stopScheduler = new AbortController();
    const client = cluster.clientAs({ username: 'eks:fargate-scheduler', groups: ['system:masters'] }, 'fargate-scheduler/v1.32.0');
    scheduler = new FargateScheduler({
      client,
      informers: new SharedInformerFactory({ client, clock }),
      clock,
      region: 'us-east-1',
      profiles: () => [PROFILE],
      allocate: (p) => ips.allocate(p),
      release: (ip) => ips.release(ip),
      launch: (s) => {
        launched.push(s.name);
        cluster.kubelets!.addNode(s);
      },
      terminate: (n) => cluster.kubelets!.removeNode(n, { deleteNode: true }),
      log: () => {},
    });
    scheduler.start(stopScheduler.signal);
  }

  const until = (what: string, cond: () => Promise<boolean>) => eventually(cond, { clock, stepMs: 250, maxRounds: 400, describe: () => what });
  const podNamed = async (ns: string, name: string) => pods.namespace(ns).get(name).catch(() => undefined);
  const nodeNamed = async (name: string) => nodes.get(name).catch(() => undefined);
  const events = async (ns: string, name: string) => (await admin.resource<Event>(EVENTS).namespace(ns).list()).items.filter((e) => e.involvedObject?.name === name);

  async function createPod(ns: string, name: string, labels: Record<string, string>, extra: Partial<NonNullable<Pod['spec']>> = {}, annotations?: Record<string, string>): Promise<Pod> {
    return pods.namespace(ns).create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, labels, ...(annotations ? { annotations } : {}) },
      spec: { containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu: '1', memory: '2Gi' } } }], ...extra },
    });
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'skiff-fargate-'));
    clock = new VirtualClock();
    cluster = await Cluster.open(dir, 'fargate', clock, { nodes: [], region: 'us-east-1', admission: [new FargateMutation(() => [PROFILE])] });
    admin = cluster.clientAs(ADMIN_USER, 'fargate-test');
    pods = admin.resource<Pod>(PODS);
    nodes = admin.resource<Node>(NODES);
    for (const ns of ['apps', 'batch-nightly']) await admin.resource(NAMESPACES).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    startScheduler();
  });

  after(async () => {
    stopScheduler.abort();
    await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let web: Pod;
  let webNode: Node;

  test('a pod matching the profile runs on its own fargate-ip node', async () => {
    const created = await createPod('apps', 'web', { compute: 'fargate', app: 'web' });
    assert.equal(created.spec!.schedulerName, 'fargate-scheduler');
    assert.equal(created.metadata.labels!['eks.amazonaws.com/fargate-profile'], 'fp-apps');
    await until('web Running', async () => (await podNamed('apps', 'web'))?.status?.phase === 'Running');
    web = (await podNamed('apps', 'web'))!;
    assert.match(web.spec!.nodeName!, /^fargate-ip-192-168-\d+-\d+\.ec2\.internal$/);
    assert.equal(web.metadata.annotations!.CapacityProvisioned, '1vCPU 3GB');
    const ip = web.spec!.nodeName!.slice('fargate-ip-'.length).replace('.ec2.internal', '').replaceAll('-', '.');
    assert.ok(ips.inUse.has(ip), `${ip} is allocated`);
    assert.deepEqual([web.status?.podIP, web.status?.hostIP, web.status?.podIPs], [ip, ip, [{ ip }]], 'the pod has its microVM\'s address');
    const scheduled = (await events('apps', 'web')).find((e) => e.reason === 'Scheduled');
    assert.equal(scheduled?.source?.component, 'fargate-scheduler');
    assert.equal(scheduled?.message, `Successfully assigned apps/web to ${web.spec!.nodeName}`);
  });

  test('the node is labelled, tainted and sized as a Fargate node', async () => {
    webNode = (await nodeNamed(web.spec!.nodeName!))!;
    const l = webNode.metadata.labels!;
    assert.equal(l['eks.amazonaws.com/compute-type'], 'fargate');
    assert.match(l['topology.kubernetes.io/zone'], /^us-east-1[ab]$/);
    assert.equal(l['failure-domain.beta.kubernetes.io/zone'], l['topology.kubernetes.io/zone']);
    assert.equal(l['topology.kubernetes.io/region'], 'us-east-1');
    assert.equal(l['failure-domain.beta.kubernetes.io/region'], 'us-east-1');
    assert.match(l['topology.k8s.aws/zone-id'], /^use1-az[12]$/);
    assert.equal(l['kubernetes.io/os'], 'linux');
    assert.equal(l['kubernetes.io/arch'], 'amd64');
    assert.equal(l['kubernetes.io/hostname'], webNode.metadata.name!.slice('fargate-'.length));
    assert.equal(l['node.kubernetes.io/instance-type'], undefined);
    assert.deepEqual(webNode.spec!.taints, [{ key: 'eks.amazonaws.com/compute-type', value: 'fargate', effect: 'NoSchedule' }]);
    assert.deepEqual(
      { cpu: webNode.status!.capacity!.cpu, memory: webNode.status!.capacity!.memory, pods: webNode.status!.capacity!.pods },
      { cpu: '1', memory: '3Gi', pods: '1' },
    );
    assert.equal(webNode.metadata.annotations![FARGATE_POD_ANNOTATION], 'apps/web');
  });

  test('a pod matching no profile stays with the default scheduler, which will not use Fargate nodes', async () => {
    const created = await createPod('apps', 'plain', { app: 'plain' });
    assert.equal(created.spec!.schedulerName, 'default-scheduler');
    assert.equal(created.metadata.labels!['eks.amazonaws.com/fargate-profile'], undefined);
    await until('plain marked unschedulable', async () => (await podNamed('apps', 'plain'))?.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False') ?? false);
    const p = (await podNamed('apps', 'plain'))!;
    assert.equal(p.spec!.nodeName, undefined);
    assert.match(p.status!.conditions!.find((c) => c.type === 'PodScheduled')!.message!, /untolerated taint \{eks\.amazonaws\.com\/compute-type: fargate\}/);
    assert.ok(!(await events('apps', 'plain')).some((e) => e.source?.component === 'fargate-scheduler'));
  });

  test('a pod bigger than any Fargate configuration stays Pending with EKS\'s reason', async () => {
    const before = launched.length;
    await createPod('batch-nightly', 'huge', {}, { containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu: '32', memory: '4Gi' } } }] });
    await until('huge marked', async () => (await podNamed('batch-nightly', 'huge'))?.status?.conditions?.some((c) => c.reason === EXCEEDS_MAX_REASON) ?? false);
    const cond = (await podNamed('batch-nightly', 'huge'))!.status!.conditions!.find((c) => c.type === 'PodScheduled')!;
    assert.deepEqual([cond.status, cond.message], ['False', "Your pod's cpu/memory requirements exceed the max Fargate configuration"]);
    assert.equal(launched.length, before);
    const failed = (await events('batch-nightly', 'huge')).find((e) => e.reason === 'FailedScheduling');
    assert.equal(failed?.source?.component, 'fargate-scheduler');
  });

  test('with the subnets full the pod waits, and runs once an address is free', async () => {
    ips.full = true;
    await createPod('batch-nightly', 'waiting', {});
    await until('a FailedScheduling event', async () => (await events('batch-nightly', 'waiting')).some((e) => e.reason === 'FailedScheduling' && /no free IP addresses/.test(e.message ?? '')));
    assert.equal((await podNamed('batch-nightly', 'waiting'))!.spec!.nodeName, undefined);
    ips.full = false;
    await until('waiting Running', async () => (await podNamed('batch-nightly', 'waiting'))?.status?.phase === 'Running');
  });

  test('a pod that finishes gives its node back', async () => {
    await createPod('batch-nightly', 'job-once', {}, { restartPolicy: 'Never' }, { 'sim.skiff.dev/run-time': '3s' });
    await until('job-once bound', async () => !!(await podNamed('batch-nightly', 'job-once'))?.spec?.nodeName);
    const nodeName = (await podNamed('batch-nightly', 'job-once'))!.spec!.nodeName!;
    await until('job-once Succeeded and its node gone', async () => (await podNamed('batch-nightly', 'job-once'))?.status?.phase === 'Succeeded' && !(await nodeNamed(nodeName)));
    assert.ok(!cluster.kubelets!.nodeNames().includes(nodeName));
  });

  test('after a restart, a bound pod is left alone and a Fargate node without its pod is terminated', async () => {
    stopScheduler.abort();
    await scheduler.whenIdle();
    // A node whose pod went away while no fargate-scheduler was running.
    const orphan = fargateNodeName('192.168.99.99', 'us-east-1');
    cluster.kubelets!.addNode({
      name: orphan,
      zone: 'us-east-1a',
      region: 'us-east-1',
      capacity: { cpu: '250m', memory: '512Mi', pods: '1' },
      addresses: { internalIP: '192.168.99.99' },
      labels: { 'eks.amazonaws.com/compute-type': 'fargate' },
      annotations: { [FARGATE_POD_ANNOTATION]: 'apps/ghost', [FARGATE_POD_UID_ANNOTATION]: 'gone' },
    });
    await until('orphan registered', async () => !!(await nodeNamed(orphan)));
    const before = launched.length;
    startScheduler();
    await until('orphan terminated', async () => !(await nodeNamed(orphan)));
    assert.ok(ips.released.includes('192.168.99.99'));
    await clock.advance(5_000);
    await scheduler.whenIdle();
    assert.equal(launched.length, before, 'no node was launched for pods already bound');
    assert.equal((await podNamed('apps', 'web'))!.spec!.nodeName, web.spec!.nodeName);
    assert.ok(await nodeNamed(web.spec!.nodeName!));
  });

  test('deleting a Fargate pod removes its node and frees its address', async () => {
    const nodeName = web.spec!.nodeName!;
    const ip = webNode.status!.addresses!.find((a) => a.type === 'InternalIP')!.address;
    await pods.namespace('apps').delete('web');
    await until('web and its node gone', async () => !(await podNamed('apps', 'web')) && !(await nodeNamed(nodeName)));
    assert.ok(!cluster.kubelets!.nodeNames().includes(nodeName));
    assert.ok(ips.released.includes(ip));
    assert.ok(!ips.inUse.has(ip));
  });
});
