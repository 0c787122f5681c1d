// A Fargate pod keeps running across a skiff restart, as it does across EKS control plane restarts:
// the fargate-scheduler's microVM (a simulated kubelet) is booted again from what the Fargate profile
// stored, so its Node stays Ready and the node lifecycle controller never evicts the pod.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SkiffServer } from '../host/server.js';
import { ADMIN_USER } from '../host/cluster.js';
import { WarpClock } from '../sim/clock.js';
import { NAMESPACES, NODES, PODS } from '../client/refs.js';
import type { Node, Pod } from '../api/objects.js';
import type { KubeObject } from '../api/types.js';
import type { RestClient } from '../client/rest.js';

const caller = { accessKeyId: 'AKIAFARGATE', arn: 'arn:aws:iam::123456789012:user/admin', accountId: '123456789012', region: 'us-east-1' };
const region = caller.region;
const ready = (o: { status?: { conditions?: { type: string; status: string }[] } }) => !!o.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
const internalIP = (n: Node) => n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;

const podObject = (name: string): KubeObject =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'batch' },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu: '250m', memory: '256Mi' } } }] },
  }) as KubeObject;

describe('Fargate pods survive a skiff restart', () => {
  const clock = new WarpClock(Date.UTC(2026, 0, 1));
  const dir = mkdtempSync(join(tmpdir(), 'skiff-fargate-restart-'));
  let server = new SkiffServer({ dataDir: dir, port: 0, clock, defaultNodes: false, eksPort: 0 });
  let kube: RestClient;

  /** Moves virtual time in steps until check() holds; fails after limitMs. */
  const until = async (what: string, check: () => Promise<boolean> | boolean, limitMs = 600_000, stepMs = 1_000) => {
    for (let t = 0; t <= limitMs; t += stepMs) {
      if (await check()) return;
      await clock.advance(stepMs);
    }
    assert.fail(`timed out waiting for ${what}`);
  };
  const pods = () => kube.resource<Pod>(PODS).namespace('batch');
  const getPod = (name: string) => pods().get(name);
  const getNode = (name: string) => kube.resource<Node>(NODES).get(name);
  const runningOnFargate = (p: Pod) => p.status?.phase === 'Running' && ready(p) && !!p.spec?.nodeName?.startsWith('fargate-ip-');

  before(async () => {
    await server.start();
    const svc = server.eksService!;
    await svc.createCluster(caller, { name: 'fg', roleArn: 'arn:aws:iam::123456789012:role/eks', resourcesVpcConfig: { subnetIds: ['subnet-a', 'subnet-b'] } });
    await clock.advance(1_000);
    svc.fargateProfiles.create(region, 'fg', { fargateProfileName: 'batch', podExecutionRoleArn: 'arn:aws:iam::123456789012:role/fargate-pods', selectors: [{ namespace: 'batch' }] });
    await clock.advance(1_000);
    kube = server.clusters.get('fg')!.clientAs(ADMIN_USER, 'test');
    await kube.resource(NAMESPACES).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'batch' } } as KubeObject);
  });
  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the pod stays Running and Ready on its node, the node stays Ready, and new pods get other addresses', async () => {
    await pods().create(podObject('report'));
    await until('the Fargate pod running', async () => runningOnFargate(await getPod('report')));
    const before = await getPod('report');
    const nodeName = before.spec!.nodeName!;
    const nodeIP = internalIP(await getNode(nodeName))!;
    assert.ok(nodeIP, 'the Fargate node has an address');
    assert.deepEqual(
      server.eksService!.fargateProfiles.all(region, 'fg').flatMap((p) => p.addresses),
      [nodeIP],
      'the profile holds the node address',
    );

    await server.stop();
    server = new SkiffServer({ dataDir: dir, port: 0, clock, defaultNodes: false, eksPort: 0 });
    await server.start();
    kube = server.clusters.get('fg')!.clientAs(ADMIN_USER, 'test');

    // Well past the node monitor grace period (40 s) and the eviction timeout (5 min): the node's
    // kubelet was booted again, so nothing goes NotReady and the pod is never evicted.
    for (let t = 0; t < 600_000; t += 10_000) {
      await clock.advance(10_000);
      const node = await getNode(nodeName);
      assert.ok(ready(node), `node ${nodeName} Ready ${(t + 10_000) / 1000} s after the restart: ${JSON.stringify(node.status?.conditions?.find((c) => c.type === 'Ready'))}`);
      assert.ok(!node.spec?.taints?.some((x) => x.key.startsWith('node.kubernetes.io/')), `node ${nodeName} untainted: ${JSON.stringify(node.spec?.taints)}`);
    }
    const afterRestart = await getPod('report');
    assert.equal(afterRestart.metadata.uid, before.metadata.uid, 'the same pod');
    assert.equal(afterRestart.metadata.deletionTimestamp, undefined, 'not evicted');
    assert.equal(afterRestart.spec?.nodeName, nodeName, 'on the same node');
    assert.ok(runningOnFargate(afterRestart), `Running and Ready: ${JSON.stringify(afterRestart.status?.conditions)}`);

    // A second pod after the restart gets a node (and address) of its own.
    await pods().create(podObject('second'));
    await until('the second Fargate pod running', async () => runningOnFargate(await getPod('second')));
    const second = await getPod('second');
    assert.notEqual(second.spec!.nodeName, nodeName);
    const secondIP = internalIP(await getNode(second.spec!.nodeName!))!;
    assert.notEqual(secondIP, nodeIP, 'the restarted node keeps its subnet address reserved');
    assert.deepEqual([second.status?.podIP, (await getPod('report')).status?.podIP], [secondIP, nodeIP], 'each pod has its node\'s address');
    assert.deepEqual(server.eksService!.fargateProfiles.all(region, 'fg').flatMap((p) => p.addresses).sort(), [nodeIP, secondIP].sort());

    // The first pod's node is still cleaned up when its pod goes.
    await pods().delete('report', { gracePeriodSeconds: 0 });
    await until('the first Fargate node gone', async () => !(await kube.resource<Node>(NODES).list()).items.some((n) => n.metadata.name === nodeName));
    await until('its address released', () => !server.eksService!.fargateProfiles.all(region, 'fg').some((p) => p.addresses.includes(nodeIP)));
    assert.deepEqual(server.eksService!.fargateProfiles.all(region, 'fg').flatMap((p) => p.addresses), [secondIP]);
    assert.deepEqual(Object.keys(server.eksService!.fargateProfiles.all(region, 'fg')[0].nodes ?? {}), [secondIP], 'only the live node is kept for the next restart');
  });

  test('a Fargate node whose pod went away while skiff was down is terminated after the restart', async () => {
    const pod = await getPod('second');
    const nodeName = pod.spec!.nodeName!;
    const nodeIP = internalIP(await getNode(nodeName))!;
    // The fargate-scheduler stops first, so it cannot see the pod go: only the next start can.
    server.eksService!.stop();
    await pods().delete('second', { gracePeriodSeconds: 0 });
    assert.ok((await kube.resource<Node>(NODES).list()).items.some((n) => n.metadata.name === nodeName), 'the node outlives the pod before the restart');
    await server.stop();
    server = new SkiffServer({ dataDir: dir, port: 0, clock, defaultNodes: false, eksPort: 0 });
    await server.start();
    kube = server.clusters.get('fg')!.clientAs(ADMIN_USER, 'test');

    await until('the orphaned Fargate node gone', async () => !(await kube.resource<Node>(NODES).list()).items.some((n) => n.metadata.name === nodeName));
    await until('its address released', () => !server.eksService!.fargateProfiles.all(region, 'fg').some((p) => p.addresses.includes(nodeIP)));
    const [profile] = server.eksService!.fargateProfiles.all(region, 'fg');
    assert.deepEqual(profile.addresses, []);
    assert.deepEqual(profile.nodes ?? {}, {});
    // Nothing comes back on the restart after that.
    await server.stop();
    server = new SkiffServer({ dataDir: dir, port: 0, clock, defaultNodes: false, eksPort: 0 });
    await server.start();
    kube = server.clusters.get('fg')!.clientAs(ADMIN_USER, 'test');
    await clock.advance(10_000);
    assert.ok(!(await kube.resource<Node>(NODES).list()).items.some((n) => n.metadata.name?.startsWith('fargate-ip-')), 'no Fargate node booted again');
  });
});
