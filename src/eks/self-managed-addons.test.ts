// CreateCluster's bootstrapSelfManagedAddons: clusters made through the EKS API (not the console,
// not eksctl) come with vpc-cni, kube-proxy and CoreDNS as self-managed objects unless it is false.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SkiffServer } from '../host/server.js';
import { ADMIN_USER } from '../host/cluster.js';
import { WarpClock } from '../sim/clock.js';
import { DAEMONSETS, DEPLOYMENTS } from '../client/refs.js';
import { EksError } from './errors.js';
import { EksStore } from './store.js';
import type { ClusterRecord } from './common.js';

const caller = { accessKeyId: 'AKIABOOTSTRAP', arn: 'arn:aws:iam::123456789012:user/admin', accountId: '123456789012', region: 'us-east-1' };
const clusterInput = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  roleArn: 'arn:aws:iam::123456789012:role/eks',
  resourcesVpcConfig: { subnetIds: ['subnet-a', 'subnet-b'] },
  ...extra,
});
const SELF_MANAGED = ['DaemonSet aws-node', 'DaemonSet kube-proxy', 'Deployment coredns'];

describe('CreateCluster bootstraps the self-managed networking add-ons', () => {
  const clock = new WarpClock(Date.UTC(2026, 0, 1));
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bootstrap-addons-'));
  let server = new SkiffServer({ dataDir: dir, port: 0, clock, defaultNodes: false, eksPort: 0 });

  /** The add-on workloads in the cluster's kube-system. */
  const workloads = async (cluster: string): Promise<string[]> => {
    const kube = server.clusters.get(cluster)!.clientAs(ADMIN_USER, 'test');
    const ds = await kube.resource(DAEMONSETS).namespace('kube-system').list();
    const deploy = await kube.resource(DEPLOYMENTS).namespace('kube-system').list();
    return [...ds.items.map((o) => `DaemonSet ${o.metadata.name}`), ...deploy.items.map((o) => `Deployment ${o.metadata.name}`)].sort();
  };

  before(() => server.start());
  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const cases: { name: string; input: Record<string, unknown>; want: string[] }[] = [
    { name: 'by default vpc-cni, kube-proxy and CoreDNS are in kube-system', input: {}, want: SELF_MANAGED },
    { name: 'bootstrapSelfManagedAddons true is the default said out loud', input: { bootstrapSelfManagedAddons: true }, want: SELF_MANAGED },
    { name: 'bootstrapSelfManagedAddons false leaves them out', input: { bootstrapSelfManagedAddons: false }, want: [] },
  ];
  cases.forEach((c, i) =>
    test(c.name, async () => {
      const name = `c${i}`;
      await server.eksService!.createCluster(caller, clusterInput(name, c.input));
      assert.deepEqual(await workloads(name), c.want);
      // They are not EKS add-ons: EKS manages none of them.
      assert.deepEqual(server.eksService!.addons.list(caller.region, name, new URLSearchParams()).addons, []);
    }),
  );

  test('the self-managed objects are applied under the field manager EKS add-ons use, so CreateAddon takes them over without conflicts', async () => {
    const kube = server.clusters.get('c0')!.clientAs(ADMIN_USER, 'test');
    const coredns = await kube.resource(DEPLOYMENTS).namespace('kube-system').get('coredns');
    const appliers = (coredns.metadata.managedFields as { manager: string; operation: string }[]).filter((m) => m.operation === 'Apply').map((m) => m.manager);
    assert.deepEqual(appliers, ['eks']);
    await server.eksService!.addons.create(caller.region, 'c0', { addonName: 'coredns' });
    const described = server.eksService!.addons.describe(caller.region, 'c0', 'coredns').addon as { status: string; health: unknown };
    assert.deepEqual([described.status, described.health], ['ACTIVE', { issues: [] }]);
  });

  test('a bootstrapSelfManagedAddons that is not a boolean is refused, naming the field, and no cluster is made', async () => {
    await assert.rejects(server.eksService!.createCluster(caller, clusterInput('bad', { bootstrapSelfManagedAddons: 'yes' })), (e: unknown) => {
      assert.ok(e instanceof EksError);
      assert.equal(e.type, 'SerializationException');
      assert.equal(e.status, 400);
      assert.match(e.message, /^bootstrapSelfManagedAddons must be a boolean/);
      return true;
    });
    assert.equal(server.eksService!.hasCluster(caller.region, 'bad'), false);
  });

  test('a restart before the bootstrap was recorded as done applies the add-ons then', async () => {
    await server.eksService!.createCluster(caller, clusterInput('late', { bootstrapSelfManagedAddons: false }));
    await server.stop();
    // What the store holds when skiff dies between recording the cluster and applying its add-ons.
    const store = new EksStore(join(dir, 'eks.db'));
    const rec = store.get<ClusterRecord>('cluster', `${caller.region}/late`)!;
    store.put('cluster', `${caller.region}/late`, { ...rec, selfManagedAddonsPending: true });
    store.close();
    server = new SkiffServer({ dataDir: dir, port: 0, clock, defaultNodes: false, eksPort: 0 });
    await server.start();
    assert.deepEqual(await workloads('late'), SELF_MANAGED);
    const after = new EksStore(join(dir, 'eks.db'));
    assert.equal(after.get<ClusterRecord>('cluster', `${caller.region}/late`)!.selfManagedAddonsPending, undefined, 'done, so a later restart does not apply them again');
    after.close();
  });
});
