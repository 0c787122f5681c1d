import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADDON_CATALOG, ADDON_CLUSTER_VERSIONS, addonInfo, addonVersionCompatible, defaultAddonVersion, describeAddonVersions, ecrRegistry } from './addon-catalog.js';

const NAMES = ['vpc-cni', 'coredns', 'kube-proxy', 'aws-ebs-csi-driver', 'metrics-server', 'eks-pod-identity-agent'];

describe('the add-on catalog', () => {
  test('offers the six add-ons with the type, owner and publisher EKS lists', () => {
    const facts = Object.fromEntries(ADDON_CATALOG.map((a) => [a.addonName, [a.type, a.owner, a.publisher]]));
    assert.deepEqual(facts, {
      'vpc-cni': ['networking', 'aws', 'eks'],
      coredns: ['networking', 'aws', 'eks'],
      'kube-proxy': ['networking', 'aws', 'eks'],
      'aws-ebs-csi-driver': ['storage', 'aws', 'eks'],
      'metrics-server': ['observability', 'community', 'eks'],
      'eks-pod-identity-agent': ['security', 'aws', 'eks'],
    });
  });

  for (const name of NAMES) {
    for (const clusterVersion of ADDON_CLUSTER_VERSIONS) {
      test(`${name} has exactly one default version for cluster ${clusterVersion}`, () => {
        const defaults = addonInfo(name)!.addonVersions.filter((v) => v.compatibilities.some((c) => c.clusterVersion === clusterVersion && c.defaultVersion));
        assert.equal(defaults.length, 1, defaults.map((d) => d.addonVersion).join(', '));
        assert.equal(defaultAddonVersion(name, clusterVersion), defaults[0].addonVersion);
      });
    }
  }

  test('every version names an image for each container it runs and looks like an EKS build', () => {
    for (const addon of ADDON_CATALOG) {
      for (const v of addon.addonVersions) {
        assert.match(v.addonVersion, /^v\d+\.\d+\.\d+-eksbuild\.\d+$/, `${addon.addonName} ${v.addonVersion}`);
        assert.ok(Object.keys(v.images).length > 0, `${addon.addonName} ${v.addonVersion} has images`);
        assert.deepEqual(v.architecture, ['amd64', 'arm64']);
        for (const c of v.compatibilities) assert.deepEqual(c.platformVersions, ['*']);
      }
    }
  });

  const defaults: [string, string, string][] = [
    ['vpc-cni', '1.32', 'v1.19.2-eksbuild.1'],
    ['vpc-cni', '1.29', 'v1.16.0-eksbuild.1'],
    ['coredns', '1.32', 'v1.11.4-eksbuild.2'],
    ['coredns', '1.33', 'v1.12.1-eksbuild.2'],
    ['kube-proxy', '1.32', 'v1.32.0-eksbuild.2'],
    ['kube-proxy', '1.29', 'v1.29.0-eksbuild.1'],
    ['aws-ebs-csi-driver', '1.30', 'v1.31.0-eksbuild.1'],
    ['metrics-server', '1.32', 'v0.7.2-eksbuild.3'],
  ];
  for (const [name, cluster, version] of defaults) {
    test(`the default ${name} for ${cluster} is ${version}`, () => assert.equal(defaultAddonVersion(name, cluster), version));
  }

  test('kube-proxy versions follow the cluster minor version', () => {
    for (const clusterVersion of ADDON_CLUSTER_VERSIONS) {
      const versions = describeAddonVersions({ addonName: 'kube-proxy', kubernetesVersion: clusterVersion })[0].addonVersions as { addonVersion: string }[];
      assert.ok(versions.length > 0);
      for (const v of versions) assert.ok(v.addonVersion.startsWith(`v${clusterVersion}.`), `${v.addonVersion} on ${clusterVersion}`);
    }
  });

  const compatible: [string, string, string, boolean][] = [
    ['kube-proxy', 'v1.32.0-eksbuild.2', '1.32', true],
    ['kube-proxy', 'v1.32.0-eksbuild.2', '1.33', false],
    ['coredns', 'v1.11.4-eksbuild.2', '1.29', true],
    ['coredns', 'v1.12.1-eksbuild.2', '1.32', false],
    ['vpc-cni', 'v1.20.4-eksbuild.1', '1.29', true],
    ['vpc-cni', 'v9.9.9-eksbuild.1', '1.32', false],
    ['no-such-addon', 'v1.0.0-eksbuild.1', '1.32', false],
  ];
  for (const [name, version, cluster, want] of compatible) {
    test(`${name} ${version} ${want ? 'is' : 'is not'} compatible with ${cluster}`, () => assert.equal(addonVersionCompatible(name, version, cluster), want));
  }

  test('an unknown add-on has no default version and no info', () => {
    assert.equal(defaultAddonVersion('no-such-addon', '1.32'), undefined);
    assert.equal(addonInfo('no-such-addon'), undefined);
  });
});

describe('describeAddonVersions', () => {
  test('answers in the AddonInfo shape, without skiff-only fields', () => {
    const [coredns] = describeAddonVersions({ addonName: 'coredns', kubernetesVersion: '1.32' });
    assert.deepEqual(Object.keys(coredns), ['addonName', 'type', 'addonVersions', 'publisher', 'owner']);
    const first = (coredns.addonVersions as Record<string, unknown>[])[0];
    assert.deepEqual(Object.keys(first), ['addonVersion', 'architecture', 'computeTypes', 'compatibilities', 'requiresConfiguration', 'requiresIamPermissions']);
    assert.equal(first.requiresConfiguration, false);
  });

  test('with kubernetesVersion lists only compatible versions, each with that cluster version alone', () => {
    const addons = describeAddonVersions({ kubernetesVersion: '1.33' });
    assert.deepEqual(addons.map((a) => a.addonName), NAMES);
    for (const addon of addons) {
      for (const v of addon.addonVersions as { addonVersion: string; compatibilities: { clusterVersion: string }[] }[]) {
        assert.deepEqual(v.compatibilities.map((c) => c.clusterVersion), ['1.33'], `${addon.addonName} ${v.addonVersion}`);
      }
    }
    const coredns = addons.find((a) => a.addonName === 'coredns')!.addonVersions as { addonVersion: string }[];
    assert.ok(coredns.every((v) => v.addonVersion.startsWith('v1.12.')), 'CoreDNS v1.11 does not serve 1.33');
  });

  test('with a cluster version no add-on serves lists nothing', () => {
    assert.deepEqual(describeAddonVersions({ kubernetesVersion: '1.20' }), []);
  });

  test('without kubernetesVersion lists every compatibility', () => {
    const [vpcCni] = describeAddonVersions({ addonName: 'vpc-cni' });
    const first = (vpcCni.addonVersions as { compatibilities: { clusterVersion: string }[] }[])[0];
    assert.deepEqual(first.compatibilities.map((c) => c.clusterVersion), [...ADDON_CLUSTER_VERSIONS]);
  });

  const filters: [string, Parameters<typeof describeAddonVersions>[0], string[]][] = [
    ['addonName', { addonName: 'aws-ebs-csi-driver' }, ['aws-ebs-csi-driver']],
    ['an unknown addonName', { addonName: 'nope' }, []],
    ['types', { types: ['networking'] }, ['vpc-cni', 'coredns', 'kube-proxy']],
    ['owners', { owners: ['community'] }, ['metrics-server']],
    ['publishers', { publishers: ['someone-else'] }, []],
    ['types and kubernetesVersion', { types: ['storage', 'security'], kubernetesVersion: '1.30' }, ['aws-ebs-csi-driver', 'eks-pod-identity-agent']],
  ];
  for (const [what, q, want] of filters) {
    test(`filters by ${what}`, () => assert.deepEqual(describeAddonVersions(q).map((a) => a.addonName), want));
  }

  test('lists versions newest first, with exactly one default per cluster version', () => {
    const [vpcCni] = describeAddonVersions({ addonName: 'vpc-cni', kubernetesVersion: '1.32' });
    const versions = vpcCni.addonVersions as { addonVersion: string; compatibilities: { defaultVersion: boolean }[] }[];
    assert.equal(versions[0].addonVersion, 'v1.20.4-eksbuild.1');
    assert.deepEqual(versions.filter((v) => v.compatibilities[0].defaultVersion).map((v) => v.addonVersion), ['v1.19.2-eksbuild.1']);
  });

  test('the EBS CSI driver and the VPC CNI ask for IAM permissions; CoreDNS does not', () => {
    const iam = Object.fromEntries(describeAddonVersions({ kubernetesVersion: '1.32' }).map((a) => [a.addonName, (a.addonVersions as { requiresIamPermissions: boolean }[])[0].requiresIamPermissions]));
    assert.equal(iam['aws-ebs-csi-driver'], true);
    assert.equal(iam['vpc-cni'], true);
    assert.equal(iam.coredns, false);
    assert.equal(iam['metrics-server'], false);
  });
});

describe('ecrRegistry', () => {
  const cases: [string, string][] = [
    ['us-west-2', '602401143452.dkr.ecr.us-west-2.amazonaws.com'],
    ['eu-west-1', '602401143452.dkr.ecr.eu-west-1.amazonaws.com'],
    ['il-central-1', '066635153087.dkr.ecr.il-central-1.amazonaws.com'],
    ['af-south-1', '877085696533.dkr.ecr.af-south-1.amazonaws.com'],
    ['cn-north-1', '918309763551.dkr.ecr.cn-north-1.amazonaws.com.cn'],
  ];
  for (const [region, want] of cases) test(`${region} pulls from ${want}`, () => assert.equal(ecrRegistry(region), want));
});
