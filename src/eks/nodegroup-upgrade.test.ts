import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SkiffServer } from '../host/server.js';
import { ADMIN_USER } from '../host/cluster.js';
import { WarpClock } from '../sim/clock.js';
import { DEPLOYMENTS, NODES, PDBS, PODS } from '../client/refs.js';
import type { Node, Pod } from '../api/objects.js';
import type { KubeObject } from '../api/types.js';
import type { RestClient } from '../client/rest.js';
import type { EksService } from './service.js';
import { surgeSize, unavailableNodes } from './nodegroup-upgrade.js';

describe('surge and maxUnavailable, as EKS sizes them', () => {
  const cases: [string, number, number, number, number][] = [
    ['three nodes over three zones all surge at once (twice the zones, at most the nodes)', 3, 3, 1, 3],
    ['ten nodes over two zones surge four (twice the zones)', 10, 2, 1, 4],
    ['a maxUnavailable above twice the zones wins', 10, 2, 6, 6],
    ['an empty group surges nothing', 0, 3, 1, 0],
  ];
  for (const [name, nodes, zones, maxUnavailable, want] of cases) test(name, () => assert.equal(surgeSize(nodes, zones, maxUnavailable), want));
  test('maxUnavailablePercentage rounds down but is at least one node', () => {
    assert.equal(unavailableNodes({ maxUnavailablePercentage: 50 }, 5), 2);
    assert.equal(unavailableNodes({ maxUnavailablePercentage: 10 }, 5), 1);
    assert.equal(unavailableNodes({ maxUnavailable: 3 }, 5), 3);
    assert.equal(unavailableNodes({}, 5), 1);
  });
});

const caller = { accessKeyId: 'AKIAUPGRADE', arn: 'arn:aws:iam::123456789012:user/admin', accountId: '123456789012', region: 'us-east-1' };
const ready = (o: { status?: { conditions?: { type: string; status: string }[] } }) => !!o.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');

describe('UpdateNodegroupVersion drains through the eviction API', () => {
  const clock = new WarpClock(Date.UTC(2026, 0, 1));
  const dir = mkdtempSync(join(tmpdir(), 'skiff-ng-upgrade-'));
  const server = new SkiffServer({ dataDir: dir, port: 0, clock, defaultNodes: false, eksPort: 0 });
  let svc: EksService;
  let kube: RestClient;

  /** Moves virtual time in steps until check() holds; fails after limitMs. */
  const until = async (what: string, check: () => Promise<boolean> | boolean, limitMs = 3_600_000, stepMs = 5_000) => {
    for (let t = 0; t <= limitMs; t += stepMs) {
      if (await check()) return;
      await clock.advance(stepMs);
    }
    assert.fail(`timed out waiting for ${what}`);
  };
  const groupNodes = async (group: string) => (await kube.resource<Node>(NODES).list({ labelSelector: `eks.amazonaws.com/nodegroup=${group}` })).items;
  const updateStatus = (group: string, id: string) => svc.describeUpdate(caller, 'upg', id, new URLSearchParams({ nodegroupName: group })).update as { status: string; errors: { errorCode: string; errorMessage: string; resourceIds: string[] }[] };

  const deployment = (name: string, replicas: number, group: string): KubeObject =>
    ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: 'default' },
      spec: {
        replicas,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: { nodeSelector: { 'eks.amazonaws.com/nodegroup': group }, containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu: '100m', memory: '64Mi' } } }] },
        },
      },
    }) as KubeObject;
  const pdb = (name: string, minAvailable: number): KubeObject =>
    ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace: 'default' }, spec: { minAvailable, selector: { matchLabels: { app: name } } } }) as KubeObject;

  const createGroup = async (group: string, size: number, maxUnavailable = 1) => {
    svc.createNodegroup(caller, 'upg', { nodegroupName: group, version: '1.31', updateConfig: { maxUnavailable }, nodeRole: 'arn:aws:iam::123456789012:role/node', subnets: ['subnet-a', 'subnet-b', 'subnet-c'], instanceTypes: ['m5.large'], scalingConfig: { minSize: size, maxSize: size, desiredSize: size } });
    await until(`${group} Ready`, async () => (await groupNodes(group)).filter(ready).length === size);
  };
  const runApp = async (name: string, replicas: number, group: string, minAvailable: number) => {
    await kube.resource(DEPLOYMENTS).namespace('default').create(deployment(name, replicas, group));
    await kube.resource(PDBS).namespace('default').create(pdb(name, minAvailable));
    await until(`${name} available`, async () => (await kube.resource<Pod>(PODS).namespace('default').list({ labelSelector: `app=${name}` })).items.filter(ready).length === replicas);
  };

  before(async () => {
    await server.start();
    svc = server.eksService!;
    await svc.createCluster(caller, { name: 'upg', roleArn: 'arn:aws:iam::123456789012:role/eks', resourcesVpcConfig: { subnetIds: ['subnet-a', 'subnet-b', 'subnet-c'] } });
    await clock.advance(1_000);
    kube = server.clusters.get('upg')!.clientAs(ADMIN_USER, 'test');
  });
  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a Deployment with PDB minAvailable=2 keeps two pods available throughout, and the update ends Successful', async () => {
    // Every node may drain at once: only the PodDisruptionBudget keeps two pods available.
    await createGroup('web-nodes', 3, 3);
    await runApp('web', 4, 'web-nodes', 2);
    const oldNodes = (await groupNodes('web-nodes')).map((n) => n.metadata!.name!);
    const oldImage = (await groupNodes('web-nodes'))[0].metadata!.labels!['eks.amazonaws.com/nodegroup-image'];
    // Availability, as a watch sees it: Ready pods that are not being deleted.
    const pods = kube.resource<Pod>(PODS).namespace('default');
    const listed = await pods.list({ labelSelector: 'app=web' });
    const state = new Map(listed.items.map((p) => [p.metadata!.name!, p]));
    const available = () => [...state.values()].filter((p) => ready(p) && !p.metadata?.deletionTimestamp).length;
    let lowest = available();
    let events = 0;
    const watch = await pods.watch({ labelSelector: 'app=web', resourceVersion: listed.metadata!.resourceVersion });
    const watching = (async () => {
      for await (const ev of watch) {
        const p = ev.object as Pod;
        events++;
        if (ev.type === 'DELETED') state.delete(p.metadata!.name!);
        else state.set(p.metadata!.name!, p);
        lowest = Math.min(lowest, available());
      }
    })();

    const { update } = svc.updateNodegroupVersion(caller, 'upg', 'web-nodes', { version: '1.32' }) as { update: { id: string; status: string; type: string } };
    assert.equal(update.status, 'InProgress');
    assert.equal(update.type, 'VersionUpdate');
    const during = svc.describeNodegroup(caller, 'upg', 'web-nodes').nodegroup as { status: string; scalingConfig: { desiredSize: number } };
    assert.equal(during.status, 'UPDATING');
    assert.equal(during.scalingConfig.desiredSize, 6, 'the group surges by min(nodes, 2 × zones)');
    await until('the update to end', () => updateStatus('web-nodes', update.id).status !== 'InProgress', 4 * 3_600_000);
    watch.close();
    await watching;

    assert.equal(updateStatus('web-nodes', update.id).status, 'Successful', JSON.stringify(updateStatus('web-nodes', update.id).errors));
    assert.ok(events > 4, `the watch saw the pods move (${events} events)`);
    assert.ok(lowest >= 2, `available pods fell to ${lowest}`);
    const after = await groupNodes('web-nodes');
    assert.equal(after.length, 3);
    assert.ok(after.every((n) => !oldNodes.includes(n.metadata!.name!)), 'every old node is gone');
    assert.ok(after.every((n) => n.metadata!.labels!['eks.amazonaws.com/nodegroup-image'] !== oldImage && !n.spec?.unschedulable));
    const ng = svc.describeNodegroup(caller, 'upg', 'web-nodes').nodegroup as { status: string; scalingConfig: { minSize: number; maxSize: number; desiredSize: number } };
    assert.equal(ng.status, 'ACTIVE');
    assert.deepEqual(ng.scalingConfig, { minSize: 3, maxSize: 3, desiredSize: 3 });
    await until('web available again', async () => (await pods.list({ labelSelector: 'app=web' })).items.filter((p) => ready(p) && !p.metadata?.deletionTimestamp).length === 4);
  });

  test('a PDB that can never be satisfied fails the update with PodEvictionFailure; force gets through', async () => {
    await createGroup('solo-nodes', 1);
    await runApp('solo', 1, 'solo-nodes', 1);
    const stuckNode = (await groupNodes('solo-nodes'))[0].metadata!.name!;
    const { update } = svc.updateNodegroupVersion(caller, 'upg', 'solo-nodes', { version: '1.32' }) as { update: { id: string } };
    await until('the update to fail', () => updateStatus('solo-nodes', update.id).status !== 'InProgress', 3_600_000);
    const failed = updateStatus('solo-nodes', update.id);
    assert.equal(failed.status, 'Failed');
    assert.deepEqual(failed.errors, [{ errorCode: 'PodEvictionFailure', errorMessage: 'Reached max retries while trying to evict pods from nodes in node group solo-nodes', resourceIds: [stuckNode] }]);
    assert.equal((svc.describeNodegroup(caller, 'upg', 'solo-nodes').nodegroup as { status: string }).status, 'ACTIVE');

    const forced = svc.updateNodegroupVersion(caller, 'upg', 'solo-nodes', { version: '1.32', force: true }) as { update: { id: string } };
    await until('the forced update to end', () => updateStatus('solo-nodes', forced.update.id).status !== 'InProgress', 3_600_000);
    assert.equal(updateStatus('solo-nodes', forced.update.id).status, 'Successful');
    assert.ok((await groupNodes('solo-nodes')).every((n) => n.metadata!.name !== stuckNode));
  });

  test('the version must not pass the cluster, nor go back', () => {
    assert.throws(() => svc.updateNodegroupVersion(caller, 'upg', 'web-nodes', { version: '1.33' }), /cannot be greater than the cluster version 1.32/);
    assert.throws(() => svc.updateNodegroupVersion(caller, 'upg', 'web-nodes', { version: '1.31' }), /less than the current version 1.32/);
    assert.throws(() => svc.updateNodegroupVersion(caller, 'upg', 'web-nodes', { releaseVersion: '1.32.0-20200101' }), /release version 1.32.0-20200101 is not valid for kubernetes version 1.32/);
  });
});
