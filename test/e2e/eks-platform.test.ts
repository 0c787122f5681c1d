// The EKS platform as the seeds use it, through the real tools: `skiff create cluster -f` with
// seed 000's pms-prod ClusterConfig (samples/pms-prod.yaml) checked with kubectl; a managed node
// group version update over a PodDisruptionBudget, driven by the AWS CLI v2 and watched with
// @kubernetes/client-node; a Fargate profile's pod on its own node; and managed add-ons.
// skiff runs on a virtual clock, fast-forwarded where EKS would take minutes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig, Watch } from '@kubernetes/client-node';
import { RestClient } from '../../src/client/rest.js';
import { HttpsTransport } from '../../src/client/transport.js';
import { realClock } from '../../src/sim/clock.js';
import { haveKubectl, ok as succeeded, skiffCli, SkiffProcess } from './harness.js';
import { awsCli, awsSkip } from './aws.js';
import { repoRoot } from '../fixtures/fixtures.js';

const skip = awsSkip || (!haveKubectl() && 'kubectl is not installed (apt-get install kubernetes-client)');
const ROLE = 'arn:aws:iam::123456789012:role/eks-cluster-role';
const NODE_ROLE = 'arn:aws:iam::123456789012:role/eks-node-role';

describe('EKS platform: eksctl ClusterConfig, node group updates, Fargate, add-ons', { skip }, () => {
  let skiff: SkiffProcess;
  let clockClient: RestClient;
  const { ok, run: aws } = awsCli(() => skiff);
  const kubectl = (context: string, ...args: string[]) => succeeded(skiff.kubectl(['--context', context, ...args]));

  const advance = (duration: string) => clockClient.requestJSON('POST', '/skiff/v1/clock/advance', { query: new URLSearchParams({ duration }) });
  /** Polls check, fast-forwarding `step` of virtual time between tries. */
  async function until<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, step = '5s', tries = 400): Promise<T> {
    let last: unknown;
    for (let i = 0; i < tries; i++) {
      try {
        const v = await check();
        if (v !== undefined && v !== false) return v;
      } catch (e) {
        last = e;
      }
      await advance(step);
      await realClock.sleep(20);
    }
    throw new Error(`gave up waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
  }

  before(async () => {
    skiff = await SkiffProcess.start(undefined, ['--clock', 'virtual', '--no-nodes']);
    clockClient = new RestClient(HttpsTransport.fromKubeconfig(skiff.kubeconfig));
  });
  after(async () => {
    await skiff?.destroy();
  });

  test("seed 000's pms-prod ClusterConfig: the node groups' nodes, capacities and taints; untolerating pods never reach db-nodes", async () => {
    const created = skiffCli(['create', 'cluster', '-f', join(repoRoot(), 'samples/pms-prod.yaml'), '--data-dir', skiff.dataDir]);
    assert.equal(created.code, 0, created.stderr + created.stdout);
    assert.match(created.stdout, /\[ℹ\] {2}creating managed nodegroup "db-nodes"/);
    assert.match(created.stdout, /\[✔\] {2}EKS cluster "pms-prod" in "us-east-1" region is ready/);
    const ctx = 'skiff-pms-prod';
    const rows = kubectl(ctx, 'get', 'nodes', '--no-headers', '-L', 'eks.amazonaws.com/nodegroup,node.kubernetes.io/instance-type,eks.amazonaws.com/capacityType')
      .trim()
      .split('\n')
      .map((l) => l.split(/\s+/));
    const groups = new Map<string, string[]>();
    for (const r of rows) groups.set(`${r[5]} ${r[6]} ${r[7]}`, [...(groups.get(`${r[5]} ${r[6]} ${r[7]}`) ?? []), r[1]]);
    assert.deepEqual(
      [...groups.entries()].map(([k, v]) => `${k} ×${v.length} ${[...new Set(v)].join()}`).sort(),
      ['app-nodes m6i.large ON_DEMAND ×6 Ready', 'db-nodes r6i.xlarge ON_DEMAND ×3 Ready', 'spot-nodes m6i.large SPOT ×2 Ready'],
    );
    // m6i.large: 2 vCPU, 3 ENIs × 10 IPs → 29 pods; r6i.xlarge: 4 vCPU, 32 GiB, 4 ENIs × 15 IPs → 58 pods.
    const cap = (group: string) => kubectl(ctx, 'get', 'nodes', '-l', `eks.amazonaws.com/nodegroup=${group}`, '-o', 'jsonpath={.items[0].status.capacity.cpu} {.items[0].status.allocatable.pods} {.items[0].status.allocatable.cpu} {.items[0].metadata.labels.role}');
    assert.equal(cap('app-nodes'), '2 29 1930m application');
    assert.equal(cap('db-nodes'), '4 58 3920m database');
    const taints = (group: string) => kubectl(ctx, 'get', 'nodes', '-l', `eks.amazonaws.com/nodegroup=${group}`, '-o', 'jsonpath={range .items[*]}{.spec.taints[*].key}={.spec.taints[*].value}:{.spec.taints[*].effect}{"\\n"}{end}').trim().split('\n');
    assert.deepEqual(taints('db-nodes'), Array(3).fill('dedicated=database:NoSchedule'));
    assert.deepEqual(taints('spot-nodes'), Array(2).fill('spot=true:NoSchedule'));
    assert.deepEqual(taints('app-nodes'), Array(6).fill('=:'));

    // More CPU than app-nodes have: what does not fit stays Pending rather than use db-nodes.
    const deployment = (name: string, replicas: number, cpu: string, extra: object = {}) =>
      JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, namespace: 'default' },
        spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu } } }], ...extra } } },
      });
    succeeded(skiff.kubectl(['--context', ctx, 'apply', '-f', '-'], { input: deployment('api', 30, '500m') }));
    succeeded(skiff.kubectl(['--context', ctx, 'apply', '-f', '-'], { input: deployment('db', 2, '500m', { nodeSelector: { role: 'database' }, tolerations: [{ key: 'dedicated', value: 'database', effect: 'NoSchedule' }] }) }));
    const placed = await until('the api pods placed or refused', () => {
      const lines = kubectl(ctx, 'get', 'pods', '-l', 'app in (api,db)', '-o', 'jsonpath={range .items[*]}{.metadata.labels.app} {.spec.nodeName} {.status.phase}{"\\n"}{end}').trim().split('\n');
      const running = lines.filter((l) => l.endsWith(' Running')).length;
      const pending = lines.filter((l) => l.split(' ').length === 3 && l.split(' ')[1] === '').length;
      return lines.length === 32 && running > 0 && pending > 0 && running + pending === 32 ? lines : undefined;
    });
    const dbNodes = new Set(kubectl(ctx, 'get', 'nodes', '-l', 'eks.amazonaws.com/nodegroup=db-nodes', '-o', 'jsonpath={.items[*].metadata.name}').split(' '));
    for (const l of placed) {
      const [app, node] = l.split(' ');
      if (app === 'api') assert.ok(!dbNodes.has(node), `api pod on db node ${node}`);
      if (app === 'db') assert.ok(dbNodes.has(node), `the tolerating db pod ran on ${node}`);
    }
    const why = kubectl(ctx, 'get', 'events', '--field-selector', 'reason=FailedScheduling', '-o', 'jsonpath={.items[0].message}');
    assert.match(why, /3 node\(s\) had untolerated taint \{dedicated: database\}/);
    assert.match(why, /2 node\(s\) had untolerated taint \{spot: true\}/);
    kubectl(ctx, 'delete', 'deployment', 'api', 'db');
  });

  test('a Fargate profile sends its namespace to a fargate-ip node of its own; other pods stay on EC2', async () => {
    const profile = ok(['eks', 'create-fargate-profile', '--cluster-name', 'pms-prod', '--fargate-profile-name', 'batch', '--pod-execution-role-arn', 'arn:aws:iam::123456789012:role/fargate-pods', '--selectors', 'namespace=batch']).fargateProfile;
    assert.equal(profile.status, 'CREATING');
    ok(['eks', 'wait', 'fargate-profile-active', '--cluster-name', 'pms-prod', '--fargate-profile-name', 'batch']);
    assert.deepEqual(ok(['eks', 'list-fargate-profiles', '--cluster-name', 'pms-prod']).fargateProfileNames, ['batch']);
    ok(['eks', 'tag-resource', '--resource-arn', profile.fargateProfileArn, '--tags', 'cost-center=batch']);
    assert.deepEqual(ok(['eks', 'describe-fargate-profile', '--cluster-name', 'pms-prod', '--fargate-profile-name', 'batch']).fargateProfile.tags, { 'cost-center': 'batch' });
    const ctx = 'skiff-pms-prod';
    kubectl(ctx, 'create', 'namespace', 'batch');
    kubectl(ctx, 'run', 'report', '-n', 'batch', '--image=busybox:1.36', '--restart=Never', '--command', '--', 'sleep', '3600');
    kubectl(ctx, 'run', 'web', '--image=nginx:1.27');
    const node = await until('the Fargate pod running', () => {
      const [phase, nodeName] = kubectl(ctx, 'get', 'pod', 'report', '-n', 'batch', '-o', 'jsonpath={.status.phase} {.spec.nodeName}').split(' ');
      return phase === 'Running' && nodeName ? nodeName : undefined;
    });
    assert.match(node, /^fargate-ip-10-0-1[012]-\d+\.ec2\.internal$/, 'a node in one of the private subnets');
    assert.equal(kubectl(ctx, 'get', 'pod', 'report', '-n', 'batch', '-o', 'jsonpath={.spec.schedulerName} {.metadata.annotations.CapacityProvisioned} {.metadata.labels.eks\\.amazonaws\\.com/fargate-profile}'), 'fargate-scheduler 0.25vCPU 0.5GB batch');
    assert.equal(kubectl(ctx, 'get', 'node', node, '-o', 'jsonpath={.metadata.labels.eks\\.amazonaws\\.com/compute-type} {.spec.taints[0].key}={.spec.taints[0].value}:{.spec.taints[0].effect}'), 'fargate eks.amazonaws.com/compute-type=fargate:NoSchedule');
    const web = await until('the default pod running', () => {
      const [phase, nodeName] = kubectl(ctx, 'get', 'pod', 'web', '-o', 'jsonpath={.status.phase} {.spec.nodeName}').split(' ');
      return phase === 'Running' ? nodeName : undefined;
    });
    assert.match(web, /^ip-/);
    kubectl(ctx, 'delete', 'pod', 'report', '-n', 'batch', '--wait=false');
    await until('the Fargate node gone', () => !skiff.kubectl(['--context', ctx, 'get', 'node', node]).stdout.includes(node));
  });

  test('managed add-ons: list, describe, versions, configuration values reach the cluster, delete removes the objects', async () => {
    const ctx = 'skiff-pms-prod';
    assert.deepEqual(ok(['eks', 'list-addons', '--cluster-name', 'pms-prod']).addons, ['aws-ebs-csi-driver', 'coredns', 'kube-proxy', 'metrics-server', 'vpc-cni']);
    // The EBS CSI driver add-on registers its CSIDriver, as `kubectl get csidrivers` shows on EKS.
    assert.match(
      skiff.kubectl(['--context', ctx, 'get', 'csidrivers']).stdout,
      /^NAME\s+ATTACHREQUIRED\s+PODINFOONMOUNT\s+STORAGECAPACITY\s+TOKENREQUESTS\s+REQUIRESREPUBLISH\s+MODES\s+AGE\nebs\.csi\.aws\.com\s+true\s+false\s+false\s+<unset>\s+false\s+Persistent\s+\d+[smh]\n$/,
    );
    const coredns = ok(['eks', 'describe-addon', '--cluster-name', 'pms-prod', '--addon-name', 'coredns']).addon;
    assert.equal(coredns.status, 'ACTIVE');
    ok(['eks', 'tag-resource', '--resource-arn', coredns.addonArn, '--tags', 'team=platform']);
    assert.deepEqual(ok(['eks', 'list-tags-for-resource', '--resource-arn', coredns.addonArn]).tags, { team: 'platform' });
    const versions = ok(['eks', 'describe-addon-versions', '--kubernetes-version', '1.32', '--addon-name', 'coredns']).addons[0].addonVersions;
    assert.equal(versions.filter((v: { compatibilities: { defaultVersion: boolean }[] }) => v.compatibilities[0].defaultVersion).length, 1);
    assert.equal(kubectl(ctx, 'get', 'deployment', 'coredns', '-n', 'kube-system', '-o', 'jsonpath={.spec.replicas}'), '2');
    const update = ok(['eks', 'update-addon', '--cluster-name', 'pms-prod', '--addon-name', 'coredns', '--configuration-values', '{"replicaCount":3}']).update;
    assert.equal(update.type, 'AddonUpdate');
    await until('the update to finish', () => ok(['eks', 'describe-update', '--name', 'pms-prod', '--update-id', update.id, '--addon-name', 'coredns']).update.status === 'Successful');
    assert.equal(kubectl(ctx, 'get', 'deployment', 'coredns', '-n', 'kube-system', '-o', 'jsonpath={.spec.replicas}'), '3');
    const bad = aws(['eks', 'update-addon', '--cluster-name', 'pms-prod', '--addon-name', 'coredns', '--configuration-values', '{"replicas":3}']);
    assert.match(bad.stderr, /\(InvalidParameterException\) .*ConfigurationValue provided in request is not supported: Json schema validation failed with error: \[\$\.replicas: is not defined in the schema/);
    const unknown = aws(['eks', 'create-addon', '--cluster-name', 'pms-prod', '--addon-name', 'no-such-addon']);
    assert.match(unknown.stderr, /\(InvalidParameterException\) .*Addon no-such-addon specified is not supported in 1\.32 kubernetes version/);
    ok(['eks', 'delete-addon', '--cluster-name', 'pms-prod', '--addon-name', 'metrics-server']);
    ok(['eks', 'wait', 'addon-deleted', '--cluster-name', 'pms-prod', '--addon-name', 'metrics-server']);
    assert.match(skiff.kubectl(['--context', ctx, 'get', 'deployment', 'metrics-server', '-n', 'kube-system']).stderr, /NotFound/);
  });

  test('update-nodegroup-version keeps a PDB of minAvailable=2 (proved from a watch) and ends Successful; an unsatisfiable PDB fails it unless forced', async () => {
    ok(['eks', 'create-cluster', '--name', 'upg', '--kubernetes-version', '1.31', '--role-arn', ROLE, '--resources-vpc-config', 'subnetIds=subnet-a,subnet-b,subnet-c']);
    ok(['eks', 'wait', 'cluster-active', '--name', 'upg']);
    const group = (name: string, size: number, maxUnavailable: number) =>
      ok(['eks', 'create-nodegroup', '--cluster-name', 'upg', '--nodegroup-name', name, '--node-role', NODE_ROLE, '--subnets', 'subnet-a', 'subnet-b', 'subnet-c', '--instance-types', 'm5.large', '--scaling-config', `minSize=${size},maxSize=${size},desiredSize=${size}`, '--update-config', `maxUnavailable=${maxUnavailable}`]);
    // Every node may go at once: only the PodDisruptionBudget keeps two pods available.
    group('web', 3, 3);
    group('solo', 1, 1);
    const cv = ok(['eks', 'update-cluster-version', '--name', 'upg', '--kubernetes-version', '1.32']).update;
    await until('the control plane at 1.32', () => ok(['eks', 'describe-update', '--name', 'upg', '--update-id', cv.id]).update.status === 'Successful');
    const ctx = 'skiff-upg';
    const app = (name: string, replicas: number, minAvailable: number) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      nodeSelector: {eks.amazonaws.com/nodegroup: ${name}}
      containers: [{name: app, image: nginx:1.27, resources: {requests: {cpu: 100m}}}]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: ${name}}
spec:
  minAvailable: ${minAvailable}
  selector: {matchLabels: {app: ${name}}}
`;
    succeeded(skiff.kubectl(['--context', ctx, 'apply', '-f', '-'], { input: app('web', 4, 2) + '---' + app('solo', 1, 1) }));
    const readyCount = (sel: string) => kubectl(ctx, 'get', 'pods', '-l', sel, '-o', 'jsonpath={range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{" "}{end}').split(' ').filter((s) => s === 'True').length;
    await until('web and solo available', () => readyCount('app=web') === 4 && readyCount('app=solo') === 1);

    // A watch of the web pods: available = Ready and not being deleted.
    const kc = new KubeConfig();
    kc.loadFromFile(skiff.kubeconfig);
    kc.setCurrentContext(ctx);
    type P = { metadata: { name: string; deletionTimestamp?: string }; status?: { conditions?: { type: string; status: string }[] } };
    const pods = new Map<string, P>();
    const available = () => [...pods.values()].filter((p) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
    let lowest = Infinity;
    let events = 0;
    // The watch opens with an ADDED event per pod: availability counts from once all four are in.
    let tracking = false;
    const req = await new Watch(kc).watch(
      '/api/v1/namespaces/default/pods',
      { labelSelector: 'app=web' },
      (type: string, obj: P) => {
        events++;
        if (type === 'DELETED') pods.delete(obj.metadata.name);
        else pods.set(obj.metadata.name, obj);
        if (tracking) lowest = Math.min(lowest, available());
      },
      () => undefined,
    );
    await until('the watch to list the pods', () => available() === 4);
    tracking = true;
    lowest = available();
    const oldNodes = kubectl(ctx, 'get', 'nodes', '-l', 'eks.amazonaws.com/nodegroup=web', '-o', 'jsonpath={.items[*].metadata.name}').split(' ');
    const up = ok(['eks', 'update-nodegroup-version', '--cluster-name', 'upg', '--nodegroup-name', 'web', '--kubernetes-version', '1.32']).update;
    assert.equal(up.type, 'VersionUpdate');
    assert.equal(ok(['eks', 'describe-nodegroup', '--cluster-name', 'upg', '--nodegroup-name', 'web']).nodegroup.status, 'UPDATING');
    const done = await until('the web update to end', () => {
      const u = ok(['eks', 'describe-update', '--name', 'upg', '--update-id', up.id, '--nodegroup-name', 'web']).update;
      return u.status !== 'InProgress' ? u : undefined;
    }, '10s');
    req.abort();
    assert.equal(done.status, 'Successful', JSON.stringify(done.errors));
    assert.ok(events > 8, `the watch saw the pods move (${events} events)`);
    assert.ok(lowest >= 2, `available web pods fell to ${lowest}`);
    const nodes = kubectl(ctx, 'get', 'nodes', '-l', 'eks.amazonaws.com/nodegroup=web', '--no-headers').trim().split('\n').map((l) => l.split(/\s+/));
    assert.equal(nodes.length, 3);
    assert.ok(nodes.every((n) => !oldNodes.includes(n[0]) && n[1] === 'Ready' && /^v1\.32\./.test(n[4])), JSON.stringify(nodes));
    const ng = ok(['eks', 'describe-nodegroup', '--cluster-name', 'upg', '--nodegroup-name', 'web']).nodegroup;
    assert.deepEqual([ng.status, ng.version, ng.scalingConfig.desiredSize], ['ACTIVE', '1.32', 3]);

    const stuck = ok(['eks', 'update-nodegroup-version', '--cluster-name', 'upg', '--nodegroup-name', 'solo', '--kubernetes-version', '1.32']).update;
    const failed = await until('the solo update to fail', () => {
      const u = ok(['eks', 'describe-update', '--name', 'upg', '--update-id', stuck.id, '--nodegroup-name', 'solo']).update;
      return u.status !== 'InProgress' ? u : undefined;
    }, '30s');
    assert.equal(failed.status, 'Failed');
    assert.equal(failed.errors[0].errorCode, 'PodEvictionFailure');
    assert.equal(failed.errors[0].errorMessage, 'Reached max retries while trying to evict pods from nodes in node group solo');
    const forced = ok(['eks', 'update-nodegroup-version', '--cluster-name', 'upg', '--nodegroup-name', 'solo', '--kubernetes-version', '1.32', '--force']).update;
    const end = await until('the forced update to end', () => {
      const u = ok(['eks', 'describe-update', '--name', 'upg', '--update-id', forced.id, '--nodegroup-name', 'solo']).update;
      return u.status !== 'InProgress' ? u : undefined;
    }, '30s');
    assert.equal(end.status, 'Successful');
  });
});

describe('skiff up -f: an eksctl ClusterConfig at start-up', { skip: !haveKubectl() && 'kubectl is not installed (apt-get install kubernetes-client)' }, () => {
  test("seed 000's own ClusterConfig comes up with its six app-nodes, and the kubeconfig points at it", async () => {
    const seed = join(repoRoot(), 'test/fixtures/seeds/eksctl/seed000-01-clusterconfig-pms-prod.yaml');
    const skiff = await SkiffProcess.start(undefined, ['-f', seed]);
    try {
      assert.match(skiff.output, /\[✔\] {2}EKS cluster "pms-prod" in "us-east-1" region is ready/);
      const nodes = succeeded(skiff.kubectl(['get', 'nodes', '--no-headers', '-L', 'eks.amazonaws.com/nodegroup,node.kubernetes.io/instance-type,role']))
        .trim()
        .split('\n')
        .map((l) => l.split(/\s+/));
      assert.equal(nodes.length, 6, 'the current context is pms-prod, and only it has nodes');
      assert.ok(nodes.every((n) => n[1] === 'Ready' && n[5] === 'app-nodes' && n[6] === 'm6i.large' && n[7] === 'application'), JSON.stringify(nodes));
      // privateNetworking: the nodes sit in eksctl's private /19s of 192.168.0.0/16.
      assert.ok(nodes.every((n) => /^ip-192-168-(9[6-9]|1[0-9][0-9])-\d+\.ec2\.internal$/.test(n[0])), JSON.stringify(nodes.map((n) => n[0])));
    } finally {
      await skiff.destroy();
    }
  });

  test('a ClusterConfig with a mistyped field is refused before anything starts, naming the file, line and field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skiff-eksctl-'));
    const file = join(dir, 'cluster.yaml');
    writeFileSync(file, 'apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: typo\nmanagedNodeGroups:\n  - name: ng\n    instanceTyp: m5.large\n    desiredCapacity: -1\n');
    const r = skiffCli(['up', '-f', file, '--data-dir', join(dir, 'data'), '--port', '0', '--eks-port', '0']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`^Error: ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:7: managedNodeGroups\\[0\\]\\.instanceTyp: unknown field "instanceTyp"`, 'm'));
    assert.match(r.stderr, /:8: managedNodeGroups\[0\]\.desiredCapacity: /);
    assert.equal(existsSync(join(dir, 'data', 'skiff.json')), false, 'nothing was started');
    rmSync(dir, { recursive: true, force: true });
  });
});
