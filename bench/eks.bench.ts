// EKS control plane timings through @aws-sdk/client-eks against an in-process skiff: CreateCluster
// until DescribeCluster says ACTIVE, and CreateNodegroup (3 × m6i.large) until every Node is Ready.
// Anchors (issue 5): EKS 15–20 minutes, kind 33 s, k3d 20 s, LocalStack's k3s 60–120 s; target < 1 s.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateClusterCommand, CreateNodegroupCommand, DeleteClusterCommand, DeleteNodegroupCommand, DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { SkiffServer } from '../src/host/server.js';
import { realClock } from '../src/sim/clock.js';
import { ADMIN_USER } from '../src/host/cluster.js';
import { NODES } from '../src/client/refs.js';

const now = () => performance.now();
const dir = mkdtempSync(join(tmpdir(), 'skiff-eks-bench-'));
const server = new SkiffServer({ dataDir: dir, port: 0, clock: realClock, defaultNodes: false, eksPort: 0 });
await server.start();
const eks = new EKSClient({ endpoint: `http://127.0.0.1:${server.eksPort}`, region: 'us-east-1', credentials: { accessKeyId: 'AKIABENCH', secretAccessKey: 'x' } });
const ROUNDS = 5;
const active: number[] = [];
const ready: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  const name = `bench-${i}`;
  const t0 = now();
  await eks.send(new CreateClusterCommand({ name, roleArn: 'arn:aws:iam::123456789012:role/eks', resourcesVpcConfig: { subnetIds: ['subnet-a', 'subnet-b', 'subnet-c'] } }));
  while ((await eks.send(new DescribeClusterCommand({ name }))).cluster?.status !== 'ACTIVE') await realClock.sleep(5);
  active.push(now() - t0);
  const t1 = now();
  await eks.send(new CreateNodegroupCommand({ clusterName: name, nodegroupName: 'ng', nodeRole: 'arn:aws:iam::123456789012:role/node', subnets: ['subnet-a', 'subnet-b', 'subnet-c'], instanceTypes: ['m6i.large'], scalingConfig: { minSize: 3, maxSize: 3, desiredSize: 3 } }));
  const client = server.clusters.get(name)!.clientAs(ADMIN_USER, 'bench');
  for (;;) {
    const nodes = (await client.resource(NODES).list()).items as { status?: { conditions?: { type: string; status: string }[] } }[];
    if (nodes.length === 3 && nodes.every((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))) break;
    await realClock.sleep(5);
  }
  ready.push(now() - t1);
  await eks.send(new DeleteNodegroupCommand({ clusterName: name, nodegroupName: 'ng' }));
  while (server.eksService && (await server.clusters.get(name)?.clientAs(ADMIN_USER, 'bench').resource(NODES).list())?.items.length) await realClock.sleep(5);
  await realClock.sleep(50);
  await eks.send(new DeleteClusterCommand({ name })).catch(() => undefined);
}
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
console.log(`CreateCluster → ACTIVE (SDK, in-process skiff): median ${median(active).toFixed(0)} ms over ${ROUNDS} (min ${Math.min(...active).toFixed(0)}, max ${Math.max(...active).toFixed(0)}); EKS anchor 15–20 min, target < 1 s`);
console.log(`CreateNodegroup (3 × m6i.large) → 3 Nodes Ready: median ${median(ready).toFixed(0)} ms over ${ROUNDS} (min ${Math.min(...ready).toFixed(0)}, max ${Math.max(...ready).toFixed(0)})`);
await server.stop();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
