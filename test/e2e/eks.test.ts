// The EKS API driven by the real AWS CLI v2 (Debian's awscli, --endpoint-url and dummy
// credentials) and @aws-sdk/client-eks, and the clusters it creates driven by the real kubectl
// through `aws eks update-kubeconfig` and its `aws eks get-token` exec plugin.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  AssociateAccessPolicyCommand,
  CreateAccessEntryCommand,
  CreateClusterCommand,
  CreateNodegroupCommand,
  DescribeClusterCommand,
  DescribeClusterVersionsCommand,
  EKSClient,
  ListAccessPoliciesCommand,
  ListTagsForResourceCommand,
  ResourceNotFoundException,
  TagResourceCommand,
  waitUntilNodegroupActive,
} from '@aws-sdk/client-eks';
import { SkiffProcess } from './harness.js';
import { ADMIN_KEY, awsCli, haveAwsV2, SECRET } from './aws.js';
import { waitFor } from './waiting.js';

const ROLE = 'arn:aws:iam::123456789012:role/eks-cluster-role';
const NODE_ROLE = 'arn:aws:iam::123456789012:role/eks-node-role';

describe('EKS API through the AWS CLI and SDK', { skip: !haveAwsV2 && 'no AWS CLI v2' }, () => {
  let skiff: SkiffProcess;
  const { env, run: aws, ok } = awsCli(() => skiff);
  const kubectl = (kubeconfig: string, args: string[], key?: string) => skiff.kubectl(args, { env: { ...env(key), KUBECONFIG: kubeconfig } });
  const sdk = (key = ADMIN_KEY) => new EKSClient({ endpoint: skiff.eksEndpoint, region: 'us-east-1', credentials: { accessKeyId: key, secretAccessKey: SECRET } });

  before(async () => {
    skiff = await SkiffProcess.start(undefined, ['--no-nodes']);
  });
  after(async () => {
    await skiff?.destroy();
  });

  test('create a cluster and node groups, wait, list, describe, update, delete, with the errors EKS gives', () => {
    const created = ok(['eks', 'create-cluster', '--name', 'demo', '--role-arn', ROLE, '--resources-vpc-config', 'subnetIds=subnet-1a,subnet-1b,subnet-1c']);
    assert.equal(created.cluster.status, 'CREATING');
    assert.equal(created.cluster.arn, 'arn:aws:eks:us-east-1:123456789012:cluster/demo');
    ok(['eks', 'wait', 'cluster-active', '--name', 'demo']);
    const described = ok(['eks', 'describe-cluster', '--name', 'demo']).cluster;
    assert.equal(described.status, 'ACTIVE');
    assert.match(described.endpoint, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.match(Buffer.from(described.certificateAuthority.data, 'base64').toString(), /BEGIN CERTIFICATE/);
    assert.match(described.identity.oidc.issuer, /^https:\/\/oidc\.eks\.us-east-1\.amazonaws\.com\/id\/[0-9A-F]{32}$/);
    assert.deepEqual(ok(['eks', 'list-clusters']).clusters, ['demo']);

    const dup = aws(['eks', 'create-cluster', '--name', 'demo', '--role-arn', ROLE, '--resources-vpc-config', 'subnetIds=subnet-1a,subnet-1b']);
    assert.notEqual(dup.code, 0);
    assert.match(dup.stderr, /\(ResourceInUseException\) when calling the CreateCluster operation: Cluster already exists with name: demo/);
    const missing = aws(['eks', 'describe-cluster', '--name', 'nope']);
    assert.match(missing.stderr, /\(ResourceNotFoundException\) when calling the DescribeCluster operation: No cluster found for name: nope\./);
    const oneSubnet = aws(['eks', 'create-cluster', '--name', 'bad', '--role-arn', ROLE, '--resources-vpc-config', 'subnetIds=subnet-1a']);
    assert.match(oneSubnet.stderr, /\(InvalidParameterException\) .*Subnets specified must be in at least two different AZs/);

    const ng = ok(['eks', 'create-nodegroup', '--cluster-name', 'demo', '--nodegroup-name', 'app', '--node-role', NODE_ROLE, '--subnets', 'subnet-1a', 'subnet-1b', 'subnet-1c', '--instance-types', 'm6i.large', '--scaling-config', 'minSize=1,maxSize=6,desiredSize=3', '--labels', 'role=application']).nodegroup;
    assert.equal(ng.status, 'CREATING');
    ok(['eks', 'create-nodegroup', '--cluster-name', 'demo', '--nodegroup-name', 'db', '--node-role', NODE_ROLE, '--subnets', 'subnet-1a', 'subnet-1b', '--instance-types', 'r6i.xlarge', '--scaling-config', 'minSize=1,maxSize=3,desiredSize=2', '--taints', 'key=dedicated,value=database,effect=NO_SCHEDULE']);
    ok(['eks', 'wait', 'nodegroup-active', '--cluster-name', 'demo', '--nodegroup-name', 'app']);
    ok(['eks', 'wait', 'nodegroup-active', '--cluster-name', 'demo', '--nodegroup-name', 'db']);
    assert.deepEqual(ok(['eks', 'list-nodegroups', '--cluster-name', 'demo']).nodegroups, ['app', 'db']);
    const app = ok(['eks', 'describe-nodegroup', '--cluster-name', 'demo', '--nodegroup-name', 'app']).nodegroup;
    assert.deepEqual(app.scalingConfig, { minSize: 1, maxSize: 6, desiredSize: 3 });
    assert.deepEqual(app.instanceTypes, ['m6i.large']);
    assert.equal(app.capacityType, 'ON_DEMAND');
    assert.match(app.nodegroupArn, /^arn:aws:eks:us-east-1:123456789012:nodegroup\/demo\/app\/[0-9a-f-]{36}$/);

    const dupNg = aws(['eks', 'create-nodegroup', '--cluster-name', 'demo', '--nodegroup-name', 'app', '--node-role', NODE_ROLE, '--subnets', 'subnet-1a']);
    assert.match(dupNg.stderr, /\(ResourceInUseException\) .*NodeGroup already exists with name app and cluster name demo/);
    const noCluster = aws(['eks', 'create-nodegroup', '--cluster-name', 'ghost', '--nodegroup-name', 'x', '--node-role', NODE_ROLE, '--subnets', 'subnet-1a']);
    assert.match(noCluster.stderr, /\(ResourceNotFoundException\) .*No cluster found for name: ghost\./);
    const inUse = aws(['eks', 'delete-cluster', '--name', 'demo']);
    assert.match(inUse.stderr, /\(ResourceInUseException\) when calling the DeleteCluster operation: Cluster has nodegroups attached/);

    const update = ok(['eks', 'update-nodegroup-config', '--cluster-name', 'demo', '--nodegroup-name', 'app', '--scaling-config', 'desiredSize=4', '--labels', 'addOrUpdateLabels={tier=web}']).update;
    assert.equal(update.type, 'ConfigUpdate');
    assert.equal(update.status, 'InProgress');
    ok(['eks', 'wait', 'nodegroup-active', '--cluster-name', 'demo', '--nodegroup-name', 'app']);
    const done = ok(['eks', 'describe-update', '--name', 'demo', '--nodegroup-name', 'app', '--update-id', update.id]).update;
    assert.equal(done.status, 'Successful');
    assert.deepEqual(ok(['eks', 'list-updates', '--name', 'demo', '--nodegroup-name', 'app']).updateIds, [update.id]);
    const after = ok(['eks', 'describe-nodegroup', '--cluster-name', 'demo', '--nodegroup-name', 'app']).nodegroup;
    assert.equal(after.scalingConfig.desiredSize, 4);
    assert.deepEqual(after.labels, { role: 'application', tier: 'web' });

    const logging = ok(['eks', 'update-cluster-config', '--name', 'demo', '--logging', '{"clusterLogging":[{"types":["api","audit"],"enabled":true}]}']).update;
    assert.equal(logging.type, 'LoggingUpdate');
    ok(['eks', 'wait', 'cluster-active', '--name', 'demo']);
    assert.deepEqual(ok(['eks', 'describe-cluster', '--name', 'demo']).cluster.logging.clusterLogging[0], { types: ['api', 'audit'], enabled: true });
    const badVersion = aws(['eks', 'update-cluster-version', '--name', 'demo', '--kubernetes-version', '1.29']);
    assert.match(badVersion.stderr, /\(InvalidParameterException\) .*Unsupported Kubernetes minor version update from 1\.32 to 1\.29/);
  });

  test('update-kubeconfig, then kubectl sees the node groups as nodes over three zones; an unknown principal is refused', async () => {
    const kubeconfig = join(skiff.dataDir, 'kube-demo');
    ok(['eks', 'update-kubeconfig', '--name', 'demo', '--kubeconfig', kubeconfig]);
    let last = '';
    const rows = await waitFor(
      'six Ready nodes',
      () => {
        const out = kubectl(kubeconfig, ['get', 'nodes', '-L', 'topology.kubernetes.io/zone,node.kubernetes.io/instance-type', '--no-headers']);
        last = out.stdout + out.stderr;
        const rows = out.stdout.trim().split('\n').map((l) => l.split(/\s+/));
        return out.code === 0 && rows.length === 6 && rows.every((r) => r[1] === 'Ready') ? rows : undefined;
      },
      30_000,
    ).catch((e) => assert.fail(`${(e as Error).message}; last output:\n${last}`));
    assert.deepEqual(rows.filter((r) => r[6] === 'm6i.large').map((r) => r[5]).sort(), ['us-east-1a', 'us-east-1a', 'us-east-1b', 'us-east-1c']);
    assert.deepEqual(rows.filter((r) => r[6] === 'r6i.xlarge').map((r) => r[5]).sort(), ['us-east-1a', 'us-east-1b']);
    const taints = kubectl(kubeconfig, ['get', 'nodes', '-l', 'eks.amazonaws.com/nodegroup=db', '-o', 'jsonpath={.items[*].spec.taints[*].key}={.items[0].spec.taints[0].effect}']);
    assert.equal(taints.stdout, 'dedicated dedicated=NoSchedule');
    const alloc = kubectl(kubeconfig, ['get', 'nodes', '-l', 'node.kubernetes.io/instance-type=m6i.large', '-o', 'jsonpath={.items[0].status.allocatable.pods} {.items[0].status.allocatable.cpu} {.items[0].spec.providerID}']);
    assert.match(alloc.stdout, /^29 1930m aws:\/\/\/us-east-1[abc]\/i-[0-9a-f]{17}$/);
    // CreateCluster's default bootstrapSelfManagedAddons: vpc-cni, kube-proxy and CoreDNS run as
    // self-managed objects, not as EKS add-ons.
    assert.deepEqual(ok(['eks', 'list-addons', '--cluster-name', 'demo']).addons, []);
    const system = kubectl(kubeconfig, ['get', 'daemonsets,deployments', '-n', 'kube-system', '-o', 'name']);
    assert.deepEqual(system.stdout.trim().split('\n').sort(), ['daemonset.apps/aws-node', 'daemonset.apps/kube-proxy', 'deployment.apps/coredns'], system.stderr);
    await waitFor('aws-node on all six nodes and CoreDNS available', () => {
      const out = kubectl(kubeconfig, ['get', 'daemonset/aws-node', 'deployment/coredns', '-n', 'kube-system', '-o', 'jsonpath={.items[0].status.numberReady} {.items[1].status.availableReplicas}']);
      return out.stdout === '6 2' || undefined;
    }, 30_000);
    const stranger = kubectl(kubeconfig, ['get', 'nodes'], 'AKIASTRANGER00000001');
    assert.notEqual(stranger.code, 0);
    assert.match(stranger.stderr, /You must be logged in to the server \(Unauthorized\)/);
  });

  test('node groups go away with delete-nodegroup, and then the cluster with delete-cluster', () => {
    const kubeconfig = join(skiff.dataDir, 'kube-demo');
    ok(['eks', 'delete-nodegroup', '--cluster-name', 'demo', '--nodegroup-name', 'db']);
    ok(['eks', 'wait', 'nodegroup-deleted', '--cluster-name', 'demo', '--nodegroup-name', 'db']);
    const missingNg = aws(['eks', 'describe-nodegroup', '--cluster-name', 'demo', '--nodegroup-name', 'db']);
    assert.match(missingNg.stderr, /\(ResourceNotFoundException\) .*No node group found for name: db\./);
    const nodes = kubectl(kubeconfig, ['get', 'nodes', '-l', 'eks.amazonaws.com/nodegroup=db', '--no-headers']);
    assert.equal(nodes.stdout.trim(), '', 'the db instances were terminated and their Nodes deleted');
    ok(['eks', 'delete-nodegroup', '--cluster-name', 'demo', '--nodegroup-name', 'app']);
    ok(['eks', 'wait', 'nodegroup-deleted', '--cluster-name', 'demo', '--nodegroup-name', 'app']);
    assert.equal(ok(['eks', 'delete-cluster', '--name', 'demo']).cluster.status, 'DELETING');
    ok(['eks', 'wait', 'cluster-deleted', '--name', 'demo']);
    assert.deepEqual(ok(['eks', 'list-clusters']).clusters, []);
  });

  test('SDK: access entries with a namespace-scoped view policy read only in that namespace', async () => {
    const eks = sdk();
    await eks.send(new CreateClusterCommand({ name: 'team', roleArn: ROLE, resourcesVpcConfig: { subnetIds: ['subnet-a', 'subnet-b'] }, accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' }, bootstrapSelfManagedAddons: false }));
    const c = (await eks.send(new DescribeClusterCommand({ name: 'team' }))).cluster!;
    assert.equal(c.status, 'ACTIVE');
    assert.ok(c.createdAt instanceof Date, 'createdAt arrives as epoch seconds the SDK turns into a Date');
    await eks.send(new CreateNodegroupCommand({ clusterName: 'team', nodegroupName: 'ng', nodeRole: NODE_ROLE, subnets: ['subnet-a', 'subnet-b'], scalingConfig: { minSize: 1, maxSize: 2, desiredSize: 1 } }));
    await waitUntilNodegroupActive({ client: eks, maxWaitTime: 120 }, { clusterName: 'team', nodegroupName: 'ng' });

    const viewer = 'arn:aws:iam::123456789012:user/viewer';
    await eks.send(new CreateAccessEntryCommand({ clusterName: 'team', principalArn: viewer }));
    const assoc = await eks.send(new AssociateAccessPolicyCommand({ clusterName: 'team', principalArn: viewer, policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy', accessScope: { type: 'namespace', namespaces: ['team-a'] } }));
    assert.deepEqual(assoc.associatedAccessPolicy?.accessScope, { type: 'namespace', namespaces: ['team-a'] });
    const policies = (await eks.send(new ListAccessPoliciesCommand({}))).accessPolicies!.map((p) => p.name);
    for (const p of ['AmazonEKSClusterAdminPolicy', 'AmazonEKSAdminPolicy', 'AmazonEKSEditPolicy', 'AmazonEKSViewPolicy']) assert.ok(policies.includes(p), p);

    const kubeconfig = join(skiff.dataDir, 'kube-team');
    ok(['eks', 'update-kubeconfig', '--name', 'team', '--kubeconfig', kubeconfig]);
    // The creator got an admin access entry (bootstrapClusterCreatorAdminPermissions).
    assert.equal(kubectl(kubeconfig, ['create', 'namespace', 'team-a']).code, 0);
    // bootstrapSelfManagedAddons: false leaves the networking add-ons out.
    assert.equal(kubectl(kubeconfig, ['get', 'daemonsets,deployments', '-n', 'kube-system']).stderr.trim(), 'No resources found in kube-system namespace.');
    assert.equal(kubectl(kubeconfig, ['create', 'namespace', 'team-b']).code, 0);
    // The IAM user "viewer" signs with its own key; the identity table maps unknown keys to users
    // named after them, so give it one whose ARN is the access entry's.
    const viewerKey = 'viewer';
    const canRead = kubectl(kubeconfig, ['get', 'pods', '-n', 'team-a'], viewerKey);
    assert.equal(canRead.code, 0, canRead.stderr);
    const cannot = kubectl(kubeconfig, ['get', 'pods', '-n', 'team-b'], viewerKey);
    assert.notEqual(cannot.code, 0);
    assert.match(cannot.stderr, /pods is forbidden: User "arn:aws:iam::123456789012:user\/viewer" cannot list resource "pods" in API group "" in the namespace "team-b"/);
    const noWrite = kubectl(kubeconfig, ['create', 'configmap', 'x', '-n', 'team-a'], viewerKey);
    assert.match(noWrite.stderr, /forbidden/);
  });

  test('SDK: cluster versions, tags and a typed not-found error', async () => {
    const eks = sdk();
    const versions = (await eks.send(new DescribeClusterVersionsCommand({}))).clusterVersions!;
    assert.ok(versions.some((v) => v.clusterVersion === '1.32' && v.defaultVersion));
    const arn = (await eks.send(new DescribeClusterCommand({ name: 'team' }))).cluster!.arn!;
    await eks.send(new TagResourceCommand({ resourceArn: arn, tags: { team: 'platform' } }));
    assert.deepEqual((await eks.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, { team: 'platform' });
    await assert.rejects(eks.send(new DescribeClusterCommand({ name: 'missing' })), (e: unknown) => e instanceof ResourceNotFoundException && e.message === 'No cluster found for name: missing.');
  });
});
