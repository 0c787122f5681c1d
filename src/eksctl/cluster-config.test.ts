import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, seedFixtures } from '../../test/fixtures/fixtures.js';
import { ClusterConfigError, parseClusterConfig, type ClusterConfig, type ConfigProblem } from './cluster-config.js';

/** Seed 000's ClusterConfig, as test/fixtures extracted it from the seed. */
const seedClusterConfig = () => seedFixtures('eksctl').find((f) => f.file.startsWith('seed000-'))!.text;

const HEAD = 'apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: demo\n';

/** The problems a config is rejected with (fails when it is accepted). */
function problems(text: string): ConfigProblem[] {
  try {
    parseClusterConfig(text);
  } catch (e) {
    assert.ok(e instanceof ClusterConfigError, String(e));
    return e.problems;
  }
  assert.fail('the config was accepted');
}

describe('parseClusterConfig: seed 000 and the sample', () => {
  test('every ClusterConfig in the seeds is accepted', () => {
    const configs = seedFixtures('eksctl');
    assert.ok(configs.length >= 1);
    for (const f of configs) assert.doesNotThrow(() => parseClusterConfig(f.text, f.file), f.file);
  });

  test("seed 000's pms-prod ClusterConfig is accepted with its sizes and eksctl's defaults", () => {
    const text = seedClusterConfig();
    const cfg = parseClusterConfig(text, '000_c7f81e551560499b.txt');
    assert.equal(cfg.metadata.name, 'pms-prod');
    assert.equal(cfg.metadata.region, 'us-east-1');
    assert.equal(cfg.metadata.version, '1.32');
    assert.deepEqual(cfg.availabilityZones, ['us-east-1a', 'us-east-1b', 'us-east-1c']);
    assert.equal(cfg.nodeGroups.length, 1);
    const ng = cfg.nodeGroups[0];
    assert.deepEqual(
      { name: ng.name, managed: ng.managed, type: ng.instanceType, min: ng.minSize, max: ng.maxSize, desired: ng.desiredCapacity, private: ng.privateNetworking },
      { name: 'app-nodes', managed: true, type: 'm6i.large', min: 3, max: 20, desired: 6, private: true },
    );
    assert.deepEqual(ng.labels, { role: 'application' });
    assert.deepEqual(ng.taints, []);
    assert.equal(ng.iam.withAddonPolicies.albIngress, true);
    assert.equal(ng.iam.withAddonPolicies.cloudWatch, true);
    assert.equal(ng.iam.withAddonPolicies.ebs, true);
    assert.equal(ng.iam.withAddonPolicies.autoScaler, false);
    assert.equal(ng.volumeSize, 80);
    assert.equal(ng.amiFamily, 'AmazonLinux2023');
  });

  test('samples/pms-prod.yaml parses: three node groups, its own subnets, logging and add-ons', () => {
    const cfg = parseClusterConfig(readFileSync(join(repoRoot(), 'samples', 'pms-prod.yaml'), 'utf8'), 'pms-prod.yaml');
    assert.equal(cfg.metadata.version, '1.32');
    assert.equal(cfg.vpc.cidr, '10.0.0.0/16');
    assert.equal(cfg.vpc.nat.gateway, 'HighlyAvailable');
    assert.deepEqual(cfg.vpc.subnets.public.map((s) => `${s.az} ${s.cidr}`), ['us-east-1a 10.0.1.0/24', 'us-east-1b 10.0.2.0/24', 'us-east-1c 10.0.3.0/24']);
    assert.deepEqual(cfg.vpc.subnets.private.map((s) => s.cidr), ['10.0.10.0/24', '10.0.11.0/24', '10.0.12.0/24']);
    assert.equal(cfg.iam.withOIDC, true);
    assert.deepEqual(cfg.cloudWatch.clusterLogging.enableTypes, ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
    assert.deepEqual(cfg.addons.map((a) => a.name), ['vpc-cni', 'coredns', 'kube-proxy', 'aws-ebs-csi-driver']);
    assert.deepEqual(
      cfg.nodeGroups.map((g) => [g.name, g.instanceType, g.minSize, g.maxSize, g.desiredCapacity, g.spot, g.privateNetworking]),
      [
        ['app-nodes', 'm6i.large', 3, 20, 6, false, true],
        ['db-nodes', 'r6i.xlarge', 2, 8, 3, false, true],
        ['spot-nodes', 'm6i.large', 0, 10, 2, true, false],
      ],
    );
    assert.deepEqual(cfg.nodeGroups[1].taints, [{ key: 'dedicated', value: 'database', effect: 'NoSchedule' }]);
    assert.deepEqual(cfg.nodeGroups[2].taints, [{ key: 'spot', value: 'true', effect: 'NoSchedule' }]);
    assert.deepEqual(cfg.nodeGroups[2].labels, { lifecycle: 'spot' });
  });
});

describe("parseClusterConfig: eksctl's defaults", () => {
  const minimal = parseClusterConfig(`${HEAD}managedNodeGroups:\n  - name: ng-1\nnodeGroups:\n  - name: ng-2\n`);
  const cases: [string, (c: ClusterConfig) => unknown, unknown][] = [
    ['a group with no instance type gets m5.large', (c) => c.nodeGroups.map((g) => g.instanceTypes), [['m5.large'], ['m5.large']]],
    ['a group with no sizes gets 2 nodes, min 2 and max 2', (c) => [c.nodeGroups[0].minSize, c.nodeGroups[0].maxSize, c.nodeGroups[0].desiredCapacity], [2, 2, 2]],
    ['volumes default to 80 GiB of gp3 at 3000 IOPS and 125 MiB/s', (c) => [c.nodeGroups[0].volumeSize, c.nodeGroups[0].volumeType, c.nodeGroups[0].volumeIOPS, c.nodeGroups[0].volumeThroughput], [80, 'gp3', 3000, 125]],
    ['the AMI family defaults to AmazonLinux2023', (c) => c.nodeGroups[0].amiFamily, 'AmazonLinux2023'],
    ['node groups are public, on-demand and without SSH', (c) => [c.nodeGroups[0].privateNetworking, c.nodeGroups[0].spot, c.nodeGroups[0].ssh.allow], [false, false, false]],
    ['managed groups update one node at a time; self-managed ones have no updateConfig', (c) => c.nodeGroups.map((g) => g.updateConfig), [{ maxUnavailable: 1 }, undefined]],
    ['the managed group comes first and both say which kind they are', (c) => c.nodeGroups.map((g) => [g.name, g.managed]), [['ng-1', true], ['ng-2', false]]],
    ['region us-east-1, version 1.32', (c) => [c.metadata.region, c.metadata.version], ['us-east-1', '1.32']],
    ['the VPC is 192.168.0.0/16 with one NAT gateway and a public endpoint', (c) => [c.vpc.cidr, c.vpc.nat.gateway, c.vpc.clusterEndpoints], ['192.168.0.0/16', 'Single', { publicAccess: true, privateAccess: false }]],
    ['three zones: the first three of the region', (c) => c.availabilityZones, ['us-east-1a', 'us-east-1b', 'us-east-1c']],
    ['access: API_AND_CONFIG_MAP, the creator is admin', (c) => [c.accessConfig.authenticationMode, c.accessConfig.bootstrapClusterCreatorAdminPermissions], ['API_AND_CONFIG_MAP', true]],
    ['no OIDC provider, no logging', (c) => [c.iam.withOIDC, c.cloudWatch.clusterLogging.enableTypes], [false, []]],
    ['IMDSv1 is disabled', (c) => c.nodeGroups[0].disableIMDSv1, true],
  ];
  for (const [name, get, want] of cases) test(name, () => assert.deepEqual(get(minimal), want));

  const scaling: [string, string, [number, number, number]][] = [
    ['desiredCapacity alone sets min and max to it', 'desiredCapacity: 4', [4, 4, 4]],
    ['minSize alone sets desired and max to it', 'minSize: 3', [3, 3, 3]],
    ['minSize and maxSize start at minSize', 'minSize: 1\n    maxSize: 5', [1, 5, 1]],
    ['desiredCapacity and maxSize take min from desired', 'desiredCapacity: 2\n    maxSize: 6', [2, 6, 2]],
    ['a managed group of zero nodes may grow to one', 'desiredCapacity: 0', [0, 1, 0]],
  ];
  for (const [name, fields, want] of scaling) {
    test(name, () => {
      const ng = parseClusterConfig(`${HEAD}managedNodeGroups:\n  - name: ng\n    ${fields}\n`).nodeGroups[0];
      assert.deepEqual([ng.minSize, ng.maxSize, ng.desiredCapacity], want);
    });
  }

  test('zones come from vpc.subnets when availabilityZones is not given', () => {
    const cfg = parseClusterConfig(`${HEAD}vpc:\n  subnets:\n    private:\n      us-east-1d: {cidr: 192.168.0.0/20}\n      us-east-1b: {cidr: 192.168.16.0/20}\n`);
    assert.deepEqual(cfg.availabilityZones, ['us-east-1b', 'us-east-1d']);
  });

  test('a version written as the YAML number 1.32 is the string "1.32"', () => {
    assert.equal(parseClusterConfig(`${HEAD}  version: 1.32\n`).metadata.version, '1.32');
  });

  test('"*" in enableTypes turns on all five log types', () => {
    const cfg = parseClusterConfig(`${HEAD}cloudWatch:\n  clusterLogging:\n    enableTypes: ["*"]\n`);
    assert.deepEqual(cfg.cloudWatch.clusterLogging.enableTypes, ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
  });

  test('YAML configurationValues become JSON, as eksctl sends them', () => {
    const cfg = parseClusterConfig(`${HEAD}addons:\n  - name: coredns\n    configurationValues: |\n      replicaCount: 3\n`);
    assert.equal(cfg.addons[0].configurationValues, '{"replicaCount":3}');
  });

  test('amiFamily is matched case-insensitively, as eksctl normalises it', () => {
    assert.equal(parseClusterConfig(`${HEAD}managedNodeGroups:\n  - name: ng\n    amiFamily: bottlerocket\n`).nodeGroups[0].amiFamily, 'Bottlerocket');
  });

  test('an SSH key name turns SSH on', () => {
    const ng = parseClusterConfig(`${HEAD}managedNodeGroups:\n  - name: ng\n    ssh:\n      publicKeyName: ops\n`).nodeGroups[0];
    assert.deepEqual([ng.ssh.allow, ng.ssh.publicKeyName], [true, 'ops']);
  });
});

describe('parseClusterConfig: taints in both of eksctl forms', () => {
  const taintsOf = (yaml: string) => parseClusterConfig(`${HEAD}nodeGroups:\n  - name: ng\n    taints:\n${yaml}`).nodeGroups[0].taints;
  const cases: [string, string, unknown][] = [
    ['a taint list entry keeps key, value and effect', '      - {key: dedicated, value: database, effect: NoSchedule}\n', [{ key: 'dedicated', value: 'database', effect: 'NoSchedule' }]],
    ['a taint list entry may leave the value out', '      - {key: gpu, effect: NoExecute}\n', [{ key: 'gpu', effect: 'NoExecute' }]],
    ['a taint map entry becomes key, value and effect', '      dedicated: "database:NoSchedule"\n', [{ key: 'dedicated', value: 'database', effect: 'NoSchedule' }]],
    ['a taint map entry ":Effect" has no value', '      example.com/gpu: ":PreferNoSchedule"\n', [{ key: 'example.com/gpu', effect: 'PreferNoSchedule' }]],
    ['an empty taint list is no taints', '      []\n', []],
  ];
  for (const [name, yaml, want] of cases) test(name, () => assert.deepEqual(taintsOf(yaml), want));

  test('managed groups take the map form too', () => {
    const ng = parseClusterConfig(`${HEAD}managedNodeGroups:\n  - name: ng\n    taints:\n      spot: "true:NoSchedule"\n`).nodeGroups[0];
    assert.deepEqual(ng.taints, [{ key: 'spot', value: 'true', effect: 'NoSchedule' }]);
  });
});

describe('parseClusterConfig: each kind of error names its field and line', () => {
  const cases: [string, string, { field: string; line: number; message: RegExp }][] = [
    ['an unknown field names its path and line', `${HEAD}managedNodeGroups:\n  - name: ng\n    instanceTyp: m5.large\n`, { field: 'managedNodeGroups[0].instanceTyp', line: 7, message: /^unknown field "instanceTyp"; did you mean "instanceType"\?$/ }],
    ['a managed-only field in nodeGroups says where it belongs', `${HEAD}nodeGroups:\n  - name: ng\n    spot: true\n`, { field: 'nodeGroups[0].spot', line: 7, message: /only valid in managedNodeGroups/ }],
    ["an eksctl field skiff does not simulate says so", `${HEAD}karpenter:\n  version: "1.0"\n`, { field: 'karpenter', line: 5, message: /not supported by skiff/ }],
    ['a wrong apiVersion is named', 'apiVersion: eksctl.io/v1alpha4\nkind: ClusterConfig\nmetadata: {name: x}\n', { field: 'apiVersion', line: 1, message: /eksctl\.io\/v1alpha5/ }],
    ['a wrong kind is named', 'apiVersion: eksctl.io/v1alpha5\nkind: Cluster\nmetadata: {name: x}\n', { field: 'kind', line: 2, message: /not ClusterConfig/ }],
    ['a missing metadata.name must be set', 'apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  region: us-east-1\n', { field: 'metadata.name', line: 3, message: /must be set/ }],
    ["a cluster name breaking eksctl's pattern is rejected in eksctl's words", 'apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: 1-pms\n', { field: 'metadata.name', line: 4, message: /name must satisfy regular expression pattern: \[a-zA-Z\]\[-a-zA-Z0-9\]\*/ }],
    ['a version written as the bare number 1.3 is ambiguous and rejected', `${HEAD}  version: 1.3\n`, { field: 'metadata.version', line: 5, message: /must be a string.*write version: "1\.30"/ }],
    ['a version written as 1.30 (the number 1.3) is rejected', `${HEAD}  version: 1.30\n`, { field: 'metadata.version', line: 5, message: /must be a string.*write version: "1\.30"/ }],
    ['a minSize above maxSize is rejected', `${HEAD}managedNodeGroups:\n  - name: ng\n    minSize: 5\n    maxSize: 3\n`, { field: 'managedNodeGroups[0].minSize', line: 7, message: /^minSize \(5\) cannot be greater than maxSize \(3\)$/ }],
    ['a desiredCapacity above maxSize is rejected', `${HEAD}managedNodeGroups:\n  - name: ng\n    maxSize: 3\n    desiredCapacity: 4\n`, { field: 'managedNodeGroups[0].desiredCapacity', line: 8, message: /cannot be greater than maxSize \(3\)/ }],
    ['a negative size is not a non-negative integer', `${HEAD}managedNodeGroups:\n  - name: ng\n    minSize: -1\n`, { field: 'managedNodeGroups[0].minSize', line: 7, message: /^must be a non-negative integer$/ }],
    ['a quoted size is not an integer', `${HEAD}managedNodeGroups:\n  - name: ng\n    maxSize: "3"\n`, { field: 'managedNodeGroups[0].maxSize', line: 7, message: /non-negative integer/ }],
    ['instanceType and instanceTypes together are rejected', `${HEAD}managedNodeGroups:\n  - name: ng\n    instanceType: m5.large\n    instanceTypes: [m5.xlarge]\n`, { field: 'managedNodeGroups[0]', line: 8, message: /only one of instanceType or instanceTypes can be specified/ }],
    ["an instance type outside skiff's catalog lists the catalog", `${HEAD}managedNodeGroups:\n  - name: ng\n    instanceType: m7g.large\n`, { field: 'managedNodeGroups[0].instanceType', line: 7, message: /unknown instance type "m7g\.large".*skiff's catalog has t3\.small, .*r6i\.4xlarge/ }],
    ['a zone outside the region is rejected', `${HEAD}availabilityZones: [us-east-1a, us-west-2b]\n`, { field: 'availabilityZones[1]', line: 5, message: /us-west-2b is not an availability zone of us-east-1/ }],
    ["one zone is fewer than eksctl's two", `${HEAD}availabilityZones: [us-east-1a]\n`, { field: 'availabilityZones', line: 5, message: /only 1 zone\(s\) specified \[us-east-1a\], 2 are required/ }],
    ["a node group zone outside the cluster's is rejected", `${HEAD}availabilityZones: [us-east-1a, us-east-1b]\nmanagedNodeGroups:\n  - name: ng\n    availabilityZones: [us-east-1d]\n`, { field: 'managedNodeGroups[0].availabilityZones', line: 7, message: /us-east-1d is not one of the cluster's availability zones/ }],
    ['an unknown taint effect is rejected', `${HEAD}nodeGroups:\n  - name: ng\n    taints:\n      - {key: a, value: b, effect: NoSchedul}\n`, { field: 'nodeGroups[0].taints[0]', line: 8, message: /invalid taint effect: NoSchedul/ }],
    ['a taint map value without an effect is rejected', `${HEAD}nodeGroups:\n  - name: ng\n    taints:\n      a: "b:c:d"\n`, { field: 'nodeGroups[0].taints.a', line: 8, message: /must be "value:Effect"/ }],
    ['a label value with a space is invalid', `${HEAD}managedNodeGroups:\n  - name: ng\n    labels:\n      role: "app server"\n`, { field: 'managedNodeGroups[0].labels.role', line: 8, message: /label "role" has invalid value "app server"/ }],
    ['a kubernetes.io label is reserved', `${HEAD}managedNodeGroups:\n  - name: ng\n    labels:\n      kubernetes.io/role: x\n`, { field: 'managedNodeGroups[0].labels.kubernetes.io/role', line: 8, message: /reserved/ }],
    ['a numeric label value must be quoted', `${HEAD}managedNodeGroups:\n  - name: ng\n    labels:\n      tier: 1\n`, { field: 'managedNodeGroups[0].labels.tier', line: 8, message: /must be a string \(quote it: "1"\)/ }],
    ['node group names are unique across both lists', `${HEAD}managedNodeGroups:\n  - name: ng\nnodeGroups:\n  - name: ng\n`, { field: 'nodeGroups[0].name', line: 8, message: /"ng" is not unique \(also managedNodeGroups\[0\]\.name\)/ }],
    ['a duplicate field is rejected', `${HEAD}managedNodeGroups:\n  - name: ng\n    minSize: 1\n    minSize: 2\n`, { field: 'managedNodeGroups[0].minSize', line: 8, message: /duplicate field "minSize"/ }],
    ['a VPC CIDR larger than /16 is rejected', `${HEAD}vpc:\n  cidr: 10.0.0.0/8\n`, { field: 'vpc.cidr', line: 6, message: /between \/16 and \/24/ }],
    ['a VPC CIDR that is not one is rejected', `${HEAD}vpc:\n  cidr: 10.0.0.300/16\n`, { field: 'vpc.cidr', line: 6, message: /not a valid IPv4 CIDR/ }],
    ['a subnet outside the VPC is rejected', `${HEAD}vpc:\n  cidr: 10.0.0.0/16\n  subnets:\n    private:\n      us-east-1a: {cidr: 10.1.0.0/24}\n`, { field: 'vpc.subnets.private.us-east-1a.cidr', line: 9, message: /not inside vpc\.cidr/ }],
    ['an unknown add-on names addons[i].name', `${HEAD}addons:\n  - name: vpc-cni\n  - name: corednss\n`, { field: 'addons[1].name', line: 7, message: /unknown addon "corednss" \(did you mean "coredns"\?\); skiff offers vpc-cni, / }],
    ['a resolveConflicts outside none/overwrite/preserve is rejected', `${HEAD}addons:\n  - name: coredns\n    resolveConflicts: merge\n`, { field: 'addons[0].resolveConflicts', line: 7, message: /none, overwrite, preserve/ }],
    ['an unknown log type is rejected in eksctl words', `${HEAD}cloudWatch:\n  clusterLogging:\n    enableTypes: [api, kubelet]\n`, { field: 'cloudWatch.clusterLogging.enableTypes[1]', line: 7, message: /log type "kubelet" \(cloudWatch\.clusterLogging\.enableTypes\[1\]\) is unknown/ }],
    ['an unknown authenticationMode is rejected', `${HEAD}accessConfig:\n  authenticationMode: IAM\n`, { field: 'accessConfig.authenticationMode', line: 6, message: /CONFIG_MAP, API, API_AND_CONFIG_MAP/ }],
    ['access entries need API authentication', `${HEAD}accessConfig:\n  authenticationMode: CONFIG_MAP\n  accessEntries:\n    - principalARN: arn:aws:iam::111122223333:role/ops\n`, { field: 'accessConfig.accessEntries', line: 8, message: /must be set to either API_AND_CONFIG_MAP or API/ }],
    ['a Fargate selector needs a namespace', `${HEAD}fargateProfiles:\n  - name: fp\n    selectors:\n      - labels: {a: b}\n`, { field: 'fargateProfiles[0].selectors[0].namespace', line: 8, message: /empty namespace/ }],
    ['service accounts need withOIDC', `${HEAD}iam:\n  serviceAccounts:\n    - metadata: {name: s}\n      attachPolicyARNs: [arn:aws:iam::aws:policy/ReadOnlyAccess]\n`, { field: 'iam.serviceAccounts', line: 7, message: /iam\.withOIDC must be enabled explicitly/ }],
    ['AmazonLinux2 is refused from Kubernetes 1.33', `${HEAD}  version: "1.33"\nmanagedNodeGroups:\n  - name: ng\n    amiFamily: AmazonLinux2\n`, { field: 'managedNodeGroups[0].amiFamily', line: 8, message: /AmazonLinux2 is not supported for Kubernetes version 1\.33/ }],
    ['both endpoints off leaves no API access', `${HEAD}vpc:\n  clusterEndpoints: {publicAccess: false, privateAccess: false}\n`, { field: 'vpc.clusterEndpoints', line: 6, message: /one of public or private clusterEndpoints enabled/ }],
  ];
  for (const [name, text, want] of cases) {
    test(name, () => {
      const got = problems(text);
      const hit = got.find((p) => p.field === want.field);
      assert.ok(hit, `no problem for ${want.field}; got ${JSON.stringify(got)}`);
      assert.equal(hit.line, want.line, `line of ${want.field}`);
      assert.match(hit.message, want.message);
    });
  }

  test('several errors are reported together, in line order, one per line of the message', () => {
    const text = `${HEAD}  version: 1.30\nmanagedNodeGroups:\n  - name: app\n    instanceTyp: m5.large\n    minSize: 5\n    maxSize: 3\naddons:\n  - name: nope\n`;
    let err: unknown;
    try {
      parseClusterConfig(text, 'pms.yaml');
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof ClusterConfigError);
    assert.deepEqual(
      err.problems.map((p) => [p.line, p.field]),
      [
        [5, 'metadata.version'],
        [8, 'managedNodeGroups[0].instanceTyp'],
        [9, 'managedNodeGroups[0].minSize'],
        [12, 'addons[0].name'],
      ],
    );
    const lines = err.message.split('\n');
    assert.equal(lines.length, 4);
    assert.equal(lines[1], 'pms.yaml:8: managedNodeGroups[0].instanceTyp: unknown field "instanceTyp"; did you mean "instanceType"?');
    assert.equal(lines[2], 'pms.yaml:9: managedNodeGroups[0].minSize: minSize (5) cannot be greater than maxSize (3)');
  });

  test('a YAML syntax error is a ClusterConfigError with its line', () => {
    const got = problems(`${HEAD}managedNodeGroups:\n  - name: [ng\n    minSize: 1\n`);
    assert.ok(got.length >= 1);
    assert.equal(got[0].field, '');
    assert.equal(typeof got[0].line, 'number');
    assert.ok(got[0].line! >= 6 && got[0].line! <= 7, `line ${got[0].line}`);
    assert.match(got[0].message, /^YAML syntax error: /);
  });

  test('an empty file says it is empty', () => {
    assert.match(problems('# nothing\n')[0].message, /empty/);
  });

  test('a file that is not a mapping says so', () => {
    assert.match(problems('- a\n- b\n')[0].message, /must be a YAML mapping/);
  });
});
