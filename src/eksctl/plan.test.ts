import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, seedFixtures } from '../../test/fixtures/fixtures.js';
import { parseClusterConfig } from './cluster-config.js';
import { amiTypeOf, EKSCTL_VERSION, planCluster, type ClusterPlan } from './plan.js';

/** Seed 000's ClusterConfig, as test/fixtures extracted it from the seed. */
const seedClusterConfig = () => seedFixtures('eksctl').find((f) => f.file.startsWith('seed000-'))!.text;

const ACCOUNT = { accountId: '111122223333' };
/** Deterministic identifiers: subnet-0…, vpc-0…, and CloudFormation suffixes SFX0…. */
const ids = (kind: string, n: number) => (kind === 'suffix' ? `SFX${n}` : `${kind}-${n}`);
const HEAD = 'apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: demo\n';
const plan = (yaml: string): ClusterPlan => planCluster(parseClusterConfig(yaml), ACCOUNT, ids);
const ng = (p: ClusterPlan, name: string) => p.nodegroups.find((g) => g.input.nodegroupName === name)!;

describe('planCluster: the VPC', () => {
  const p = plan(HEAD);

  test("eksctl's layout: public /19s then private /19s over three zones", () => {
    assert.equal(p.vpc.vpcId, 'vpc-0');
    assert.equal(p.vpc.cidr, '192.168.0.0/16');
    assert.deepEqual(
      p.vpc.subnets.map((s) => `${s.subnetId} ${s.cidr} ${s.zone} ${s.public ? 'public' : 'private'}`),
      [
        'subnet-0 192.168.0.0/19 us-east-1a public',
        'subnet-1 192.168.32.0/19 us-east-1b public',
        'subnet-2 192.168.64.0/19 us-east-1c public',
        'subnet-3 192.168.96.0/19 us-east-1a private',
        'subnet-4 192.168.128.0/19 us-east-1b private',
        'subnet-5 192.168.160.0/19 us-east-1c private',
      ],
    );
  });

  test('the control plane gets every subnet, public then private', () => {
    assert.deepEqual((p.createCluster.resourcesVpcConfig as { subnetIds: string[] }).subnetIds, ['subnet-0', 'subnet-1', 'subnet-2', 'subnet-3', 'subnet-4', 'subnet-5']);
  });

  test("the config's own subnets and CIDRs are used when it lists them", () => {
    const sample = planCluster(parseClusterConfig(readFileSync(join(repoRoot(), 'samples', 'pms-prod.yaml'), 'utf8')), ACCOUNT, ids);
    assert.deepEqual(
      sample.vpc.subnets.map((s) => `${s.cidr} ${s.zone} ${s.zoneId} ${s.public ? 'public' : 'private'}`),
      [
        '10.0.1.0/24 us-east-1a use1-az1 public',
        '10.0.2.0/24 us-east-1b use1-az2 public',
        '10.0.3.0/24 us-east-1c use1-az4 public',
        '10.0.10.0/24 us-east-1a use1-az1 private',
        '10.0.11.0/24 us-east-1b use1-az2 private',
        '10.0.12.0/24 us-east-1c use1-az4 private',
      ],
    );
  });
});

describe('planCluster: CreateCluster', () => {
  const p = plan(`${HEAD}  version: "1.31"\n  tags: {team: pms}\niam:\n  withOIDC: true\ncloudWatch:\n  clusterLogging:\n    enableTypes: [all]\nkubernetesNetworkConfig:\n  serviceIPv4CIDR: 172.20.0.0/16\n`);
  const cases: [string, string, unknown][] = [
    ['the name and version', 'name version', ['demo', '1.31']],
    ['the service role is the cluster stack ServiceRole', 'roleArn', 'arn:aws:iam::111122223333:role/eksctl-demo-cluster-ServiceRole-SFX0'],
    ['"all" logs all five types', 'logging', { clusterLogging: [{ types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: true }] }],
    ['access: API_AND_CONFIG_MAP with the creator as admin', 'accessConfig', { authenticationMode: 'API_AND_CONFIG_MAP', bootstrapClusterCreatorAdminPermissions: true }],
    ['the service CIDR in the API casing', 'kubernetesNetworkConfig', { ipFamily: 'ipv4', serviceIpv4Cidr: '172.20.0.0/16' }],
    ['self-managed add-ons are not bootstrapped: eksctl installs EKS add-ons', 'bootstrapSelfManagedAddons', false],
  ];
  for (const [name, fields, want] of cases) {
    test(name, () => {
      const keys = fields.split(' ');
      assert.deepEqual(keys.length === 1 ? p.createCluster[keys[0]] : keys.map((k) => p.createCluster[k]), want);
    });
  }

  test("the tags are metadata.tags plus eksctl's stack tags", () => {
    assert.deepEqual(p.createCluster.tags, {
      team: 'pms',
      'alpha.eksctl.io/cluster-name': 'demo',
      'eksctl.cluster.k8s.io/v1alpha1/cluster-name': 'demo',
      'alpha.eksctl.io/eksctl-version': EKSCTL_VERSION,
      'alpha.eksctl.io/cluster-oidc-enabled': 'true',
    });
    assert.equal(p.withOIDC, true);
  });

  test('no enableTypes sends no logging', () => {
    assert.equal(plan(HEAD).createCluster.logging, undefined);
  });

  test('an existing service role is used as is', () => {
    assert.equal(plan(`${HEAD}iam:\n  serviceRoleARN: arn:aws:iam::111122223333:role/eks\n`).createCluster.roleArn, 'arn:aws:iam::111122223333:role/eks');
  });
});

describe('planCluster: node groups', () => {
  const p = plan(
    `${HEAD}managedNodeGroups:\n` +
      '  - name: app\n    instanceType: m6i.large\n    minSize: 3\n    maxSize: 20\n    desiredCapacity: 6\n    privateNetworking: true\n    labels: {role: application}\n' +
      '  - name: spot\n    spot: true\n    taints:\n      - {key: spot, value: "true", effect: NoSchedule}\n      - {key: gpu, effect: PreferNoSchedule}\n' +
      '  - name: one-zone\n    availabilityZones: [us-east-1b]\n    amiFamily: Bottlerocket\n' +
      'nodeGroups:\n  - name: self\n    privateNetworking: true\n    taints:\n      dedicated: "db:NoExecute"\n',
  );

  test('a private group runs in the private subnets', () => {
    assert.deepEqual(ng(p, 'app').input.subnets, ['subnet-3', 'subnet-4', 'subnet-5']);
  });

  test('a public group runs in the public subnets', () => {
    assert.deepEqual(ng(p, 'spot').input.subnets, ['subnet-0', 'subnet-1', 'subnet-2']);
  });

  test("a group's availabilityZones restrict its subnets", () => {
    assert.deepEqual(ng(p, 'one-zone').input.subnets, ['subnet-1']);
  });

  test('sizes become the scaling config and the instance type a list', () => {
    const input = ng(p, 'app').input;
    assert.deepEqual(input.scalingConfig, { minSize: 3, maxSize: 20, desiredSize: 6 });
    assert.deepEqual(input.instanceTypes, ['m6i.large']);
    assert.equal(input.capacityType, 'ON_DEMAND');
    assert.equal(input.diskSize, 80);
    assert.equal(input.amiType, 'AL2023_x86_64_STANDARD');
    assert.deepEqual(input.updateConfig, { maxUnavailable: 1 });
  });

  test('spot: true becomes capacityType SPOT', () => {
    assert.equal(ng(p, 'spot').input.capacityType, 'SPOT');
  });

  test('taints become the EKS API form: NoSchedule → NO_SCHEDULE', () => {
    assert.deepEqual(ng(p, 'spot').input.taints, [
      { key: 'spot', value: 'true', effect: 'NO_SCHEDULE' },
      { key: 'gpu', effect: 'PREFER_NO_SCHEDULE' },
    ]);
    assert.deepEqual(ng(p, 'self').input.taints, [{ key: 'dedicated', value: 'db', effect: 'NO_EXECUTE' }]);
    assert.equal(ng(p, 'app').input.taints, undefined);
  });

  test("eksctl's labels join the group's own", () => {
    assert.deepEqual(ng(p, 'app').input.labels, { role: 'application', 'alpha.eksctl.io/cluster-name': 'demo', 'alpha.eksctl.io/nodegroup-name': 'app' });
  });

  test('the node role is the nodegroup stack NodeInstanceRole', () => {
    assert.equal(ng(p, 'app').input.nodeRole, 'arn:aws:iam::111122223333:role/eksctl-demo-nodegroup-app-NodeInstanceRole-SFX1');
  });

  test('tags name the group and its kind', () => {
    const tags = ng(p, 'self').input.tags as Record<string, string>;
    assert.equal(tags['alpha.eksctl.io/nodegroup-name'], 'self');
    assert.equal(tags['alpha.eksctl.io/nodegroup-type'], 'unmanaged');
    assert.equal((ng(p, 'app').input.tags as Record<string, string>)['alpha.eksctl.io/nodegroup-type'], 'managed');
  });

  test('Bottlerocket becomes BOTTLEROCKET_x86_64', () => {
    assert.equal(ng(p, 'one-zone').input.amiType, 'BOTTLEROCKET_x86_64');
  });

  test('managed groups come first, self-managed ones are marked', () => {
    assert.deepEqual(
      p.nodegroups.map((g) => [g.input.nodegroupName, g.managed]),
      [['app', true], ['spot', true], ['one-zone', true], ['self', false]],
    );
  });

  test('a self-managed group gets an EC2_LINUX access entry for its role', () => {
    assert.deepEqual(p.accessEntries, [{ principalArn: ng(p, 'self').input.nodeRole, type: 'EC2_LINUX', accessPolicies: [] }]);
  });

  const amiTypes: [Parameters<typeof amiTypeOf>[0], string][] = [
    ['AmazonLinux2023', 'AL2023_x86_64_STANDARD'],
    ['AmazonLinux2', 'AL2_x86_64'],
    ['Bottlerocket', 'BOTTLEROCKET_x86_64'],
    ['WindowsServer2022FullContainer', 'WINDOWS_FULL_2022_x86_64'],
    ['Ubuntu2204', 'CUSTOM'],
  ];
  for (const [family, want] of amiTypes) test(`amiFamily ${family} is amiType ${want}`, () => assert.equal(amiTypeOf(family), want));
});

describe('planCluster: add-ons', () => {
  const names = (p: ClusterPlan) => p.addons.map((a) => a.addonName);

  test("with none listed, eksctl's defaults: vpc-cni, kube-proxy, coredns, then metrics-server", () => {
    assert.deepEqual(names(plan(HEAD)), ['vpc-cni', 'kube-proxy', 'coredns', 'metrics-server']);
  });

  test('listed add-ons keep their settings; missing defaults are added; node-time add-ons go first', () => {
    const p = plan(`${HEAD}addons:\n  - name: aws-ebs-csi-driver\n    version: v1.35.0-eksbuild.1\n    resolveConflicts: overwrite\n    tags: {team: storage}\n  - name: coredns\n    configurationValues: '{"replicaCount": 3}'\n`);
    assert.deepEqual(names(p), ['coredns', 'vpc-cni', 'kube-proxy', 'aws-ebs-csi-driver', 'metrics-server']);
    assert.deepEqual(p.addons.find((a) => a.addonName === 'aws-ebs-csi-driver'), {
      addonName: 'aws-ebs-csi-driver',
      addonVersion: 'v1.35.0-eksbuild.1',
      resolveConflicts: 'OVERWRITE',
      tags: { team: 'storage' },
    });
    assert.equal(p.addons.find((a) => a.addonName === 'coredns')!.configurationValues, '{"replicaCount": 3}');
  });

  test('disableDefaultAddons installs only what is listed', () => {
    assert.deepEqual(names(plan(`${HEAD}addonsConfig:\n  disableDefaultAddons: true\naddons:\n  - name: coredns\n`)), ['coredns']);
  });

  test('with OIDC, vpc-cni and the EBS CSI driver get an IRSA role from their add-on stack', () => {
    const p = plan(`${HEAD}iam:\n  withOIDC: true\naddons:\n  - name: aws-ebs-csi-driver\n`);
    assert.match(String(p.addons.find((a) => a.addonName === 'vpc-cni')!.serviceAccountRoleArn), /^arn:aws:iam::111122223333:role\/eksctl-demo-addon-vpc-cni-Role1-SFX\d+$/);
    assert.match(String(p.addons.find((a) => a.addonName === 'aws-ebs-csi-driver')!.serviceAccountRoleArn), /eksctl-demo-addon-aws-ebs-csi-driver-Role1-/);
    assert.equal(p.addons.find((a) => a.addonName === 'coredns')!.serviceAccountRoleArn, undefined);
  });
});

describe('planCluster: Fargate and access entries', () => {
  const p = plan(
    `${HEAD}fargateProfiles:\n  - name: fp-default\n    selectors:\n      - namespace: default\n      - namespace: kube-system\n        labels: {app: dns}\n` +
      'accessConfig:\n  accessEntries:\n    - principalARN: arn:aws:iam::111122223333:role/dev\n      kubernetesGroups: [devs]\n      accessPolicies:\n        - policyARN: arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy\n          accessScope: {type: namespace, namespaces: [pms-dev]}\n',
  );

  test('a Fargate profile runs in the private subnets with the cluster stack pod execution role', () => {
    assert.deepEqual(p.fargateProfiles, [
      {
        fargateProfileName: 'fp-default',
        podExecutionRoleArn: 'arn:aws:iam::111122223333:role/eksctl-demo-cluster-FargatePodExecutionRole-SFX1',
        subnets: ['subnet-3', 'subnet-4', 'subnet-5'],
        selectors: [{ namespace: 'default' }, { namespace: 'kube-system', labels: { app: 'dns' } }],
      },
    ]);
  });

  test('an access entry carries its groups and policies in API casing', () => {
    assert.deepEqual(p.accessEntries, [
      {
        principalArn: 'arn:aws:iam::111122223333:role/dev',
        type: 'STANDARD',
        kubernetesGroups: ['devs'],
        accessPolicies: [{ policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy', accessScope: { type: 'namespace', namespaces: ['pms-dev'] } }],
      },
    ]);
  });
});

describe('planCluster: seed 000', () => {
  test("pms-prod's app-nodes: 6 m6i.large in the private subnets", () => {
    const text = seedClusterConfig();
    const p = planCluster(parseClusterConfig(text), ACCOUNT, ids);
    assert.equal(p.nodegroups.length, 1);
    const input = p.nodegroups[0].input;
    assert.deepEqual(input.scalingConfig, { minSize: 3, maxSize: 20, desiredSize: 6 });
    assert.deepEqual(input.instanceTypes, ['m6i.large']);
    assert.deepEqual(input.subnets, p.vpc.subnets.filter((s) => !s.public).map((s) => s.subnetId));
  });

  test('the sample plans three groups: spot-nodes as SPOT with its taint, db-nodes tainted', () => {
    const p = planCluster(parseClusterConfig(readFileSync(join(repoRoot(), 'samples', 'pms-prod.yaml'), 'utf8')), ACCOUNT, ids);
    assert.equal(ng(p, 'spot-nodes').input.capacityType, 'SPOT');
    assert.deepEqual(ng(p, 'spot-nodes').input.taints, [{ key: 'spot', value: 'true', effect: 'NO_SCHEDULE' }]);
    assert.deepEqual(ng(p, 'db-nodes').input.taints, [{ key: 'dedicated', value: 'database', effect: 'NO_SCHEDULE' }]);
    assert.deepEqual(
      p.addons.map((a) => a.addonName),
      ['vpc-cni', 'coredns', 'kube-proxy', 'aws-ebs-csi-driver', 'metrics-server'],
    );
  });
});
