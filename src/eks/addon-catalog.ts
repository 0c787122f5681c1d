// The Amazon EKS add-ons skiff offers, as DescribeAddonVersions describes them: name, type, owner,
// publisher, and each version's compatibilities per cluster version (exactly one default version per
// add-on per cluster version, fixed when that cluster version launched), plus the container images
// each version runs (skiff-only; EKS does not publish them through the API).
//
// Sources (a snapshot of late 2025, matching the cluster versions in service.ts):
// - Types, owners and publishers: aws/aws-cli awscli/examples/eks/describe-addon-versions.rst (vpc-cni,
//   kube-proxy, coredns networking; aws-ebs-csi-driver storage; eks-pod-identity-agent security; all
//   owner aws, publisher eks). metrics-server is a community add-on: type observability, owner
//   community (awsdocs/amazon-eks-user-guide latest/ug/workloads/community-addons.adoc).
// - Latest versions: the EKS user guide's tables (awsdocs/amazon-eks-user-guide
//   latest/ug/networking/managing-{vpc-cni,coredns,kube-proxy}.adoc), and describe-addon-versions
//   output quoted in awsdocs/amazon-eks-user-guide PRs #1155 (kube-proxy 1.33: v1.33.3-eksbuild.10,
//   .6, .4) and #1159 (kube-proxy 1.32: v1.32.6-eksbuild.12).
// - Defaults: EKS fixes an add-on's default version when a cluster version launches and never
//   changes it (aws/amazon-vpc-cni-k8s#2357). The 1.32 defaults are the images a 1.32 cluster created
//   with default add-ons ran in June 2025 (kube-state-metrics dump: amazon-k8s-cni:v1.19.2-eksbuild.1,
//   coredns:v1.11.4-eksbuild.2, kube-proxy:v1.32.0-minimal-eksbuild.2, metrics-server:v0.7.2-eksbuild.3);
//   the 1.29 ones are a 1.29 node's images (vpc-cni v1.16.0-eksbuild.1, coredns v1.11.1-eksbuild.4,
//   kube-proxy v1.29.0-minimal-eksbuild.1). The EKS guide's add-ons-iam example shows
//   aws-ebs-csi-driver v1.31.0-eksbuild.1 as 1.30's default with requiresIamPermissions true. The
//   other defaults (1.30, 1.31, 1.33 and most non-core ones) are inferred from versions current at
//   each launch and are NOT verified.
// - computeTypes are not verified for these add-ons (the field exists: see the EKS guide's
//   describe-addon-versions examples); the values below are skiff's best reading.
// - Images: registries per region from the EKS guide (latest/ug/workloads/add-ons-images.adoc);
//   repository paths and tags as running clusters show them (amazon-k8s-cni:<addon version>,
//   amazon/aws-network-policy-agent, eks/coredns:<addon version>, eks/kube-proxy:<vX.Y.Z>-minimal-
//   eksbuild.N, eks/metrics-server:<addon version>, eks/aws-ebs-csi-driver:<vX.Y.Z> with
//   eks/csi-* sidecars, eks/eks-pod-identity-agent:v0.1.N).

/** The cluster versions skiff's EKS serves (service.ts CLUSTER_VERSIONS). */
export const ADDON_CLUSTER_VERSIONS = ['1.33', '1.32', '1.31', '1.30', '1.29'] as const;

/** One AddonCompatibility. */
export interface AddonCompatibility {
  clusterVersion: string;
  platformVersions: string[];
  defaultVersion: boolean;
}

/** One AddonVersionInfo, plus the images it runs (not part of the EKS API). */
export interface CatalogAddonVersion {
  addonVersion: string;
  architecture: string[];
  computeTypes: string[];
  compatibilities: AddonCompatibility[];
  requiresConfiguration: boolean;
  requiresIamPermissions: boolean;
  /** Container role → image path under the region's EKS registry, e.g. "eks/coredns:v1.11.4-eksbuild.2". */
  images: Record<string, string>;
}

/** One AddonInfo. */
export interface CatalogAddon {
  addonName: string;
  type: 'networking' | 'storage' | 'observability' | 'security';
  publisher: string;
  owner: string;
  /** Newest first, as DescribeAddonVersions lists them. */
  addonVersions: CatalogAddonVersion[];
}

const ALL = ADDON_CLUSTER_VERSIONS;
const ARCH = ['amd64', 'arm64'];

interface VersionRow {
  v: string;
  clusters: readonly string[];
  /** The cluster versions this version is the default for. */
  defaultFor?: readonly string[];
  images: Record<string, string>;
}

function versions(
  rows: VersionRow[],
  facts: { computeTypes: string[]; requiresIamPermissions: boolean },
): CatalogAddonVersion[] {
  return rows.map((r) => ({
    addonVersion: r.v,
    architecture: [...ARCH],
    computeTypes: [...facts.computeTypes],
    compatibilities: r.clusters.map((c) => ({ clusterVersion: c, platformVersions: ['*'], defaultVersion: !!r.defaultFor?.includes(c) })),
    requiresConfiguration: false,
    requiresIamPermissions: facts.requiresIamPermissions,
    images: r.images,
  }));
}

/** "v1.19.2-eksbuild.1" → "v1.19.2". */
const upstream = (v: string) => v.replace(/-eksbuild\.\d+$/, '');

/** vpc-cni: the CNI and its init image carry the add-on version; the network policy agent has its own. */
function vpcCni(v: string, clusters: readonly string[], networkPolicyAgent: string, defaultFor?: readonly string[]): VersionRow {
  return {
    v,
    clusters,
    defaultFor,
    images: {
      'aws-node': `amazon-k8s-cni:${v}`,
      'aws-vpc-cni-init': `amazon-k8s-cni-init:${v}`,
      'aws-eks-nodeagent': `amazon/aws-network-policy-agent:${networkPolicyAgent}`,
    },
  };
}

// The network policy agent shipped with v1.19.2-eksbuild.1 is v1.1.6-eksbuild.1 (the June 2025 1.32
// cluster); v1.19.6-eksbuild.1 ships v1.2.2-eksbuild.1 (an EKS node bootstrap image list). Those are
// the only pairings verified: the other versions reuse the nearest verified agent tag.
const NPA_OLD = 'v1.1.6-eksbuild.1';
const NPA_NEW = 'v1.2.2-eksbuild.1';
const VPC_CNI: VersionRow[] = [
  vpcCni('v1.20.4-eksbuild.1', ALL, NPA_NEW),
  vpcCni('v1.20.1-eksbuild.3', ALL, NPA_NEW),
  vpcCni('v1.19.6-eksbuild.1', ALL, NPA_NEW),
  vpcCni('v1.19.5-eksbuild.1', ALL, NPA_NEW, ['1.33']),
  vpcCni('v1.19.3-eksbuild.1', ALL, NPA_OLD),
  vpcCni('v1.19.2-eksbuild.1', ALL, NPA_OLD, ['1.32']),
  vpcCni('v1.19.0-eksbuild.1', ALL, NPA_OLD),
  vpcCni('v1.18.5-eksbuild.1', ALL, NPA_OLD),
  vpcCni('v1.18.3-eksbuild.2', ALL, NPA_OLD, ['1.31']),
  vpcCni('v1.18.1-eksbuild.3', ALL, NPA_OLD, ['1.30']),
  vpcCni('v1.16.0-eksbuild.1', ALL, NPA_OLD, ['1.29']),
];

// CoreDNS v1.11 serves 1.29–1.32 and v1.12 serves 1.33 (the EKS guide's CoreDNS versions table).
const COREDNS_111 = ['1.32', '1.31', '1.30', '1.29'] as const;
const coredns = (v: string, clusters: readonly string[], defaultFor?: readonly string[]): VersionRow => ({ v, clusters, defaultFor, images: { coredns: `eks/coredns:${v}` } });
const COREDNS: VersionRow[] = [
  coredns('v1.12.3-eksbuild.1', ['1.33']),
  coredns('v1.12.2-eksbuild.4', ['1.33']),
  coredns('v1.12.1-eksbuild.2', ['1.33'], ['1.33']),
  coredns('v1.11.4-eksbuild.22', COREDNS_111),
  coredns('v1.11.4-eksbuild.14', COREDNS_111),
  coredns('v1.11.4-eksbuild.2', COREDNS_111, ['1.32']),
  coredns('v1.11.3-eksbuild.1', COREDNS_111, ['1.31']),
  coredns('v1.11.1-eksbuild.8', COREDNS_111, ['1.30']),
  coredns('v1.11.1-eksbuild.4', COREDNS_111, ['1.29']),
];

// kube-proxy follows the cluster's minor version: each build is compatible with its own minor only.
// The image is the "minimal" flavour: v1.32.0-eksbuild.2 runs eks/kube-proxy:v1.32.0-minimal-eksbuild.2.
const kubeProxy = (v: string, isDefault = false): VersionRow => {
  const minor = v.replace(/^v(\d+\.\d+)\..*$/, '$1');
  return { v, clusters: [minor], defaultFor: isDefault ? [minor] : undefined, images: { 'kube-proxy': `eks/kube-proxy:${v.replace('-eksbuild.', '-minimal-eksbuild.')}` } };
};
const KUBE_PROXY: VersionRow[] = [
  kubeProxy('v1.33.3-eksbuild.10'),
  kubeProxy('v1.33.3-eksbuild.6'),
  kubeProxy('v1.33.3-eksbuild.4'),
  kubeProxy('v1.33.0-eksbuild.2', true),
  kubeProxy('v1.32.6-eksbuild.12'),
  kubeProxy('v1.32.3-eksbuild.7'),
  kubeProxy('v1.32.0-eksbuild.2', true),
  kubeProxy('v1.31.7-eksbuild.7'),
  kubeProxy('v1.31.3-eksbuild.2'),
  kubeProxy('v1.31.0-eksbuild.2', true),
  kubeProxy('v1.30.11-eksbuild.5'),
  kubeProxy('v1.30.7-eksbuild.2'),
  kubeProxy('v1.30.0-eksbuild.3', true),
  kubeProxy('v1.29.15-eksbuild.5'),
  kubeProxy('v1.29.11-eksbuild.2'),
  kubeProxy('v1.29.0-eksbuild.1', true),
];

// The EBS CSI driver image is tagged with the upstream version (eks/aws-ebs-csi-driver:v1.45.0 for the
// v1.45.0 add-on); its sidecars are EKS builds. The sidecar tags are those an add-on v1.45.0 controller
// pulled (csi-provisioner v5.3.0-eksbuild.2, csi-attacher v4.9.0-eksbuild.2, csi-snapshotter
// v8.2.0-eksbuild.2, csi-resizer v1.14.0-eksbuild.2, livenessprobe v2.16.0-eksbuild.3) and the node
// registrar of the same release (v2.14.0-eksbuild.3); skiff pairs them with every version.
const ebsCsi = (v: string, defaultFor?: readonly string[]): VersionRow => ({
  v,
  clusters: ALL,
  defaultFor,
  images: {
    'ebs-plugin': `eks/aws-ebs-csi-driver:${upstream(v)}`,
    'csi-provisioner': 'eks/csi-provisioner:v5.3.0-eksbuild.2',
    'csi-attacher': 'eks/csi-attacher:v4.9.0-eksbuild.2',
    'csi-snapshotter': 'eks/csi-snapshotter:v8.2.0-eksbuild.2',
    'csi-resizer': 'eks/csi-resizer:v1.14.0-eksbuild.2',
    'liveness-probe': 'eks/livenessprobe:v2.16.0-eksbuild.3',
    'node-driver-registrar': 'eks/csi-node-driver-registrar:v2.14.0-eksbuild.3',
  },
});
const EBS_CSI: VersionRow[] = [
  ebsCsi('v1.51.0-eksbuild.1'),
  ebsCsi('v1.48.0-eksbuild.1'),
  ebsCsi('v1.46.0-eksbuild.1'),
  ebsCsi('v1.45.0-eksbuild.2'),
  ebsCsi('v1.44.0-eksbuild.1', ['1.33']),
  ebsCsi('v1.42.0-eksbuild.1'),
  ebsCsi('v1.40.1-eksbuild.1'),
  ebsCsi('v1.37.0-eksbuild.1', ['1.32']),
  ebsCsi('v1.35.0-eksbuild.1', ['1.31']),
  ebsCsi('v1.31.0-eksbuild.1', ['1.30', '1.29']),
];

// metrics-server became an EKS (community) add-on in March 2025; its image carries the add-on version.
const metricsServer = (v: string, defaultFor?: readonly string[]): VersionRow => ({ v, clusters: ALL, defaultFor, images: { 'metrics-server': `eks/metrics-server:${v}` } });
const METRICS_SERVER: VersionRow[] = [
  metricsServer('v0.8.0-eksbuild.3'),
  metricsServer('v0.7.2-eksbuild.3', ALL),
  metricsServer('v0.7.2-eksbuild.1'),
];

// The Pod Identity Agent's image has its own version: the v1.3.10 chart runs v0.1.37 (a running
// DaemonSet's labels); v0.1.31 ran in a late-2025 1.33 cluster whose add-on version is not known.
// Only the first pairing is verified: older add-on versions reuse v0.1.31.
const podIdentity = (v: string, agent: string, defaultFor?: readonly string[]): VersionRow => ({
  v,
  clusters: ALL,
  defaultFor,
  images: { 'eks-pod-identity-agent': `eks/eks-pod-identity-agent:${agent}` },
});
const POD_IDENTITY: VersionRow[] = [
  podIdentity('v1.3.10-eksbuild.1', 'v0.1.37'),
  podIdentity('v1.3.8-eksbuild.2', 'v0.1.31'),
  podIdentity('v1.3.7-eksbuild.2', 'v0.1.31', ['1.33']),
  podIdentity('v1.3.4-eksbuild.1', 'v0.1.31', ['1.32']),
  podIdentity('v1.3.2-eksbuild.2', 'v0.1.31', ['1.31', '1.30']),
  podIdentity('v1.3.0-eksbuild.1', 'v0.1.31', ['1.29']),
];

/** Every add-on skiff offers, in the order DescribeAddonVersions lists them. */
export const ADDON_CATALOG: readonly CatalogAddon[] = [
  {
    addonName: 'vpc-cni',
    type: 'networking',
    publisher: 'eks',
    owner: 'aws',
    // aws-node's IAM role (AmazonEKS_CNI_Policy) is requested through IRSA or Pod Identity.
    addonVersions: versions(VPC_CNI, { computeTypes: ['ec2'], requiresIamPermissions: true }),
  },
  {
    addonName: 'coredns',
    type: 'networking',
    publisher: 'eks',
    owner: 'aws',
    addonVersions: versions(COREDNS, { computeTypes: ['ec2', 'fargate', 'hybrid'], requiresIamPermissions: false }),
  },
  {
    addonName: 'kube-proxy',
    type: 'networking',
    publisher: 'eks',
    owner: 'aws',
    addonVersions: versions(KUBE_PROXY, { computeTypes: ['ec2', 'hybrid'], requiresIamPermissions: false }),
  },
  {
    addonName: 'aws-ebs-csi-driver',
    type: 'storage',
    publisher: 'eks',
    owner: 'aws',
    addonVersions: versions(EBS_CSI, { computeTypes: ['ec2', 'hybrid'], requiresIamPermissions: true }),
  },
  {
    addonName: 'metrics-server',
    type: 'observability',
    // The publisher of community add-ons is not verified.
    publisher: 'eks',
    owner: 'community',
    addonVersions: versions(METRICS_SERVER, { computeTypes: ['ec2', 'fargate', 'hybrid'], requiresIamPermissions: false }),
  },
  {
    addonName: 'eks-pod-identity-agent',
    type: 'security',
    publisher: 'eks',
    owner: 'aws',
    addonVersions: versions(POD_IDENTITY, { computeTypes: ['ec2', 'hybrid'], requiresIamPermissions: false }),
  },
];

/** The catalog entry of an add-on, if skiff offers it. */
export function addonInfo(name: string): CatalogAddon | undefined {
  return ADDON_CATALOG.find((a) => a.addonName === name);
}

/** The catalog entry of one version of an add-on. */
export function addonVersionInfo(name: string, version: string): CatalogAddonVersion | undefined {
  return addonInfo(name)?.addonVersions.find((v) => v.addonVersion === version);
}

/** The version EKS installs when CreateAddon names none: the one marked default for the cluster version. */
export function defaultAddonVersion(name: string, clusterVersion: string): string | undefined {
  return addonInfo(name)?.addonVersions.find((v) => v.compatibilities.some((c) => c.clusterVersion === clusterVersion && c.defaultVersion))?.addonVersion;
}

/** True if the add-on version lists the cluster version among its compatibilities. */
export function addonVersionCompatible(name: string, version: string, clusterVersion: string): boolean {
  return !!addonVersionInfo(name, version)?.compatibilities.some((c) => c.clusterVersion === clusterVersion);
}

/** The DescribeAddonVersions query (pagination is the caller's). */
export interface DescribeAddonVersionsQuery {
  kubernetesVersion?: string;
  addonName?: string;
  types?: string[];
  publishers?: string[];
  owners?: string[];
}

/**
 * The `addons` array of DescribeAddonVersions. With kubernetesVersion, as EKS: only versions compatible
 * with it, each listing that cluster version's compatibility alone, and add-ons left with no version
 * are dropped.
 */
export function describeAddonVersions(q: DescribeAddonVersionsQuery = {}): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const addon of ADDON_CATALOG) {
    if (q.addonName !== undefined && addon.addonName !== q.addonName) continue;
    if (q.types?.length && !q.types.includes(addon.type)) continue;
    if (q.publishers?.length && !q.publishers.includes(addon.publisher)) continue;
    if (q.owners?.length && !q.owners.includes(addon.owner)) continue;
    const addonVersions: Record<string, unknown>[] = [];
    for (const v of addon.addonVersions) {
      const compatibilities = q.kubernetesVersion === undefined ? v.compatibilities : v.compatibilities.filter((c) => c.clusterVersion === q.kubernetesVersion);
      if (!compatibilities.length) continue;
      addonVersions.push({
        addonVersion: v.addonVersion,
        architecture: [...v.architecture],
        computeTypes: [...v.computeTypes],
        compatibilities: compatibilities.map((c) => ({ clusterVersion: c.clusterVersion, platformVersions: [...c.platformVersions], defaultVersion: c.defaultVersion })),
        requiresConfiguration: v.requiresConfiguration,
        requiresIamPermissions: v.requiresIamPermissions,
      });
    }
    if (!addonVersions.length) continue;
    out.push({ addonName: addon.addonName, type: addon.type, addonVersions, publisher: addon.publisher, owner: addon.owner });
  }
  return out;
}

// The registry account per region (EKS user guide, "View Amazon container image registries for Amazon
// EKS add-ons"); every region not listed uses 602401143452.
const REGISTRY_ACCOUNTS: Record<string, string> = {
  'af-south-1': '877085696533',
  'ap-east-1': '800184023465',
  'ap-east-2': '533267051163',
  'ap-southeast-3': '296578399912',
  'ap-south-2': '900889452093',
  'ap-southeast-4': '491585149902',
  'ap-southeast-6': '333609536671',
  'ap-southeast-7': '121268973566',
  'cn-north-1': '918309763551',
  'cn-northwest-1': '961992271922',
  'eu-south-1': '590381155156',
  'eu-south-2': '455263428931',
  'eu-central-2': '900612956339',
  'il-central-1': '066635153087',
  'mx-central-1': '730335286997',
  'me-south-1': '558608220178',
  'me-central-1': '759879836304',
  'ca-west-1': '761377655185',
  'us-gov-east-1': '151742754352',
  'us-gov-west-1': '013241004608',
};

/** The region's EKS add-on registry, e.g. "602401143452.dkr.ecr.us-west-2.amazonaws.com". */
export function ecrRegistry(region: string): string {
  const account = REGISTRY_ACCOUNTS[region] ?? '602401143452';
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `${account}.dkr.ecr.${region}.${suffix}`;
}
