// What `eksctl create cluster -f` asks of AWS for a ClusterConfig, as plain EKS API requests: the
// VPC and subnets its cluster stack builds, CreateCluster as its AWS::EKS::Cluster resource says it
// (pkg/cfn/builder/cluster.go), one CreateNodegroup per managed group (managed_nodegroup.go), the
// add-ons with eksctl's defaults (pkg/actions/addon/tasks.go), Fargate profiles and access entries.
// Names follow CloudFormation's physical names for eksctl's stacks: eksctl-<cluster>-cluster-
// ServiceRole-<suffix>, eksctl-<cluster>-nodegroup-<ng>-NodeInstanceRole-<suffix>.

import { eksctlSubnets, zonesOf, type Subnet } from '../cloud/vpc.js';
import type { AmiFamily, ClusterConfig, NodeGroupConfig } from './cluster-config.js';

/** The eksctl release whose behaviour this follows; it is the value of the alpha.eksctl.io/eksctl-version tag. */
export const EKSCTL_VERSION = '0.230.0';

/** The labels and tags eksctl puts on what it creates (types.go). */
export const EKSCTL_CLUSTER_NAME = 'alpha.eksctl.io/cluster-name';
export const EKSCTL_OLD_CLUSTER_NAME = 'eksctl.cluster.k8s.io/v1alpha1/cluster-name';
export const EKSCTL_VERSION_TAG = 'alpha.eksctl.io/eksctl-version';
export const EKSCTL_OIDC_ENABLED = 'alpha.eksctl.io/cluster-oidc-enabled';
export const EKSCTL_NODEGROUP_NAME = 'alpha.eksctl.io/nodegroup-name';
export const EKSCTL_NODEGROUP_TYPE = 'alpha.eksctl.io/nodegroup-type';

/** The add-ons eksctl installs unless addonsConfig.disableDefaultAddons (KnownAddons' IsDefault). */
export const DEFAULT_ADDONS = ['vpc-cni', 'kube-proxy', 'coredns', 'metrics-server'] as const;
/** Add-ons eksctl creates before the node groups (CreateBeforeNodeGroup); the rest come after. */
export const ADDONS_BEFORE_NODEGROUPS = ['vpc-cni', 'kube-proxy', 'coredns', 'eks-pod-identity-agent'];

export interface PlannedNodegroup {
  managed: boolean;
  /** A CreateNodegroup request body (the cluster name is the caller's path parameter). */
  input: Record<string, unknown>;
}

/** The EKS requests that create a ClusterConfig's cluster, in the order eksctl makes them. */
export interface ClusterPlan {
  region: string;
  vpc: { vpcId: string; cidr: string; subnets: Subnet[] };
  createCluster: Record<string, unknown>;
  /** managedNodeGroups then nodeGroups; unmanaged ones are the caller's to launch as self-managed instances. */
  nodegroups: PlannedNodegroup[];
  /** CreateAddon bodies: those eksctl creates before the node groups first, then the rest. */
  addons: Record<string, unknown>[];
  fargateProfiles: Record<string, unknown>[];
  /** CreateAccessEntry bodies, each with the policies to associate after it. */
  accessEntries: Record<string, unknown>[];
  withOIDC: boolean;
}

/** The ARN partition of a region. */
function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  return 'aws';
}

/** Regions where eksctl does not install metrics-server by default (KnownAddons' ExcludedRegions). */
const noMetricsServer = (region: string) => /^(cn-|us-gov-|us-iso|eu-isoe-)/.test(region);

/** The EKS amiType for an AMI family on x86_64 (skiff's catalog has no Arm or GPU types): api.GetAMIType. */
export function amiTypeOf(family: AmiFamily, customAmi = false): string {
  if (customAmi) return 'CUSTOM';
  switch (family) {
    case 'AmazonLinux2023':
      return 'AL2023_x86_64_STANDARD';
    case 'AmazonLinux2':
      return 'AL2_x86_64';
    case 'Bottlerocket':
      return 'BOTTLEROCKET_x86_64';
    case 'BottlerocketFips':
      return 'BOTTLEROCKET_x86_64_FIPS';
    case 'WindowsServer2019FullContainer':
      return 'WINDOWS_FULL_2019_x86_64';
    case 'WindowsServer2019CoreContainer':
      return 'WINDOWS_CORE_2019_x86_64';
    case 'WindowsServer2022FullContainer':
      return 'WINDOWS_FULL_2022_x86_64';
    case 'WindowsServer2022CoreContainer':
      return 'WINDOWS_CORE_2022_x86_64';
    case 'WindowsServer2025FullContainer':
      return 'WINDOWS_FULL_2025_x86_64';
    case 'WindowsServer2025CoreContainer':
      return 'WINDOWS_CORE_2025_x86_64';
    default:
      // Ubuntu has no EKS-optimised managed AMI type: eksctl launches it from a custom AMI.
      return 'CUSTOM';
  }
}

const TAINT_EFFECT_API = { NoSchedule: 'NO_SCHEDULE', PreferNoSchedule: 'PREFER_NO_SCHEDULE', NoExecute: 'NO_EXECUTE' } as const;

/**
 * Turns a parsed ClusterConfig into EKS API requests. `id(kind, n)` gives fresh identifiers: `vpc`
 * and `subnet` an EC2 ID (vpc-…, subnet-…), `suffix` the random tail CloudFormation puts on a
 * physical name (the 12 characters after NodeInstanceRole-); n counts from 0 per kind.
 */
export function planCluster(cfg: ClusterConfig, account: { accountId: string }, id: (kind: string, n: number) => string): ClusterPlan {
  const cluster = cfg.metadata.name;
  const region = cfg.metadata.region;
  const iamArn = (path: string) => `arn:${partitionOf(region)}:iam::${account.accountId}:${path}`;
  let suffixes = 0;
  const suffix = () => id('suffix', suffixes++);

  // The VPC: eksctl's /19 layout over the cluster's zones, or the subnets the config names.
  const zoneIds = new Map(zonesOf(region).map((z) => [z.zone, z.zoneId]));
  const zones = cfg.availabilityZones.map((zone) => ({ zone, zoneId: zoneIds.get(zone) ?? zone }));
  const layout = eksctlSubnets(cfg.vpc.cidr, zones, (n) => String(n));
  const subnets: Subnet[] = [];
  const subnetNames: (string | undefined)[] = [];
  const explicit = cfg.vpc.subnets.public.length + cfg.vpc.subnets.private.length > 0;
  if (!explicit) {
    layout.forEach((s, n) => {
      subnets.push({ ...s, subnetId: id('subnet', n) });
      subnetNames.push(undefined);
    });
  } else {
    let n = 0;
    for (const isPublic of [true, false]) {
      for (const spec of cfg.vpc.subnets[isPublic ? 'public' : 'private']) {
        const fallback = layout.find((s) => s.zone === spec.az && s.public === isPublic);
        subnets.push({
          subnetId: spec.id ?? id('subnet', n++),
          cidr: spec.cidr ?? fallback?.cidr ?? '',
          zone: spec.az,
          zoneId: zoneIds.get(spec.az) ?? spec.az,
          public: isPublic,
        });
        subnetNames.push(spec.name);
      }
    }
  }
  const vpcId = cfg.vpc.id ?? id('vpc', 0);
  const byNameOrId = (ref: string) => subnets.filter((s, i) => s.subnetId === ref || subnetNames[i] === ref);

  // CreateCluster. Stack tags propagate to the cluster: eksctl's own, then metadata.tags.
  const eksctlTags = { [EKSCTL_CLUSTER_NAME]: cluster, [EKSCTL_OLD_CLUSTER_NAME]: cluster, [EKSCTL_VERSION_TAG]: EKSCTL_VERSION };
  const clusterTags = { ...cfg.metadata.tags, ...eksctlTags, [EKSCTL_OIDC_ENABLED]: String(cfg.iam.withOIDC) };
  const resourcesVpcConfig: Record<string, unknown> = {
    subnetIds: cfg.vpc.controlPlaneSubnetIDs.length ? cfg.vpc.controlPlaneSubnetIDs : subnets.map((s) => s.subnetId),
    endpointPublicAccess: cfg.vpc.clusterEndpoints.publicAccess,
    endpointPrivateAccess: cfg.vpc.clusterEndpoints.privateAccess,
  };
  if (cfg.vpc.publicAccessCIDRs.length) resourcesVpcConfig.publicAccessCidrs = cfg.vpc.publicAccessCIDRs;
  if (cfg.vpc.controlPlaneSecurityGroupIDs.length) resourcesVpcConfig.securityGroupIds = cfg.vpc.controlPlaneSecurityGroupIDs;
  const kubernetesNetworkConfig: Record<string, unknown> = { ipFamily: 'ipv4' };
  if (cfg.kubernetesNetworkConfig.serviceIPv4CIDR) kubernetesNetworkConfig.serviceIpv4Cidr = cfg.kubernetesNetworkConfig.serviceIPv4CIDR;
  const createCluster: Record<string, unknown> = {
    name: cluster,
    version: cfg.metadata.version,
    roleArn: cfg.iam.serviceRoleARN ?? iamArn(`role/eksctl-${cluster}-cluster-ServiceRole-${suffix()}`),
    resourcesVpcConfig,
    kubernetesNetworkConfig,
    accessConfig: {
      authenticationMode: cfg.accessConfig.authenticationMode,
      bootstrapClusterCreatorAdminPermissions: cfg.accessConfig.bootstrapClusterCreatorAdminPermissions,
    },
    // eksctl installs vpc-cni, kube-proxy and CoreDNS as EKS add-ons instead (cluster.go).
    bootstrapSelfManagedAddons: false,
    tags: clusterTags,
  };
  const logTypes = cfg.cloudWatch.clusterLogging.enableTypes;
  if (logTypes.length) createCluster.logging = { clusterLogging: [{ types: [...logTypes], enabled: true }] };
  if (cfg.secretsEncryption) createCluster.encryptionConfig = [{ resources: ['secrets'], provider: { keyArn: cfg.secretsEncryption.keyARN } }];
  if (cfg.upgradePolicy) createCluster.upgradePolicy = { supportType: cfg.upgradePolicy.supportType };

  // Node groups.
  const nodegroups: PlannedNodegroup[] = [];
  const nodeRoles: { ng: NodeGroupConfig; roleArn: string }[] = [];
  for (const ng of cfg.nodeGroups) {
    const wantPublic = !ng.privateNetworking;
    let ngSubnets = ng.subnets.length ? ng.subnets.flatMap(byNameOrId) : subnets.filter((s) => s.public === wantPublic);
    if (ng.availabilityZones.length) ngSubnets = ngSubnets.filter((s) => ng.availabilityZones.includes(s.zone));
    const roleArn = ng.iam.instanceRoleARN ?? iamArn(`role/eksctl-${cluster}-nodegroup-${ng.name}-NodeInstanceRole-${suffix()}`);
    nodeRoles.push({ ng, roleArn });
    const input: Record<string, unknown> = {
      nodegroupName: ng.name,
      nodeRole: roleArn,
      subnets: ngSubnets.map((s) => s.subnetId),
      instanceTypes: [...ng.instanceTypes],
      scalingConfig: { minSize: ng.minSize, maxSize: ng.maxSize, desiredSize: ng.desiredCapacity },
      capacityType: ng.spot ? 'SPOT' : 'ON_DEMAND',
      labels: { ...ng.labels, [EKSCTL_CLUSTER_NAME]: cluster, [EKSCTL_NODEGROUP_NAME]: ng.name },
      diskSize: ng.volumeSize,
      amiType: amiTypeOf(ng.amiFamily, ng.ami !== undefined),
      tags: {
        ...cfg.metadata.tags,
        ...ng.tags,
        ...eksctlTags,
        [EKSCTL_NODEGROUP_NAME]: ng.name,
        [EKSCTL_NODEGROUP_TYPE]: ng.managed ? 'managed' : 'unmanaged',
      },
    };
    if (ng.taints.length) {
      input.taints = ng.taints.map((t) => ({ key: t.key, ...(t.value !== undefined ? { value: t.value } : {}), effect: TAINT_EFFECT_API[t.effect] }));
    }
    if (ng.updateConfig) input.updateConfig = { ...ng.updateConfig };
    if (ng.releaseVersion) input.releaseVersion = ng.releaseVersion;
    if (ng.nodeRepairConfig) input.nodeRepairConfig = { ...ng.nodeRepairConfig };
    if (ng.ssh.allow && ng.ssh.publicKeyName) {
      input.remoteAccess = { ec2SshKey: ng.ssh.publicKeyName, ...(ng.ssh.sourceSecurityGroupIds.length ? { sourceSecurityGroups: ng.ssh.sourceSecurityGroupIds } : {}) };
    }
    nodegroups.push({ managed: ng.managed, input });
  }

  // Add-ons: the config's, then eksctl's defaults it does not name; those needed before nodes first.
  const named = cfg.addons.map((a) => a.name as string);
  const defaults = cfg.addonsConfig.disableDefaultAddons
    ? []
    : DEFAULT_ADDONS.filter((a) => !named.includes(a) && !(a === 'metrics-server' && noMetricsServer(region))).map((name) => ({ name, tags: {} as Record<string, string> }));
  const wanted = [...cfg.addons, ...defaults];
  const ordered = [...wanted.filter((a) => ADDONS_BEFORE_NODEGROUPS.includes(a.name)), ...wanted.filter((a) => !ADDONS_BEFORE_NODEGROUPS.includes(a.name))];
  const addons = ordered.map((a) => {
    const input: Record<string, unknown> = { addonName: a.name };
    const full = 'attachPolicyARNs' in a ? a : undefined;
    if (full?.version && !['latest', 'default'].includes(full.version)) input.addonVersion = full.version;
    if (full?.serviceAccountRoleARN) input.serviceAccountRoleArn = full.serviceAccountRoleARN;
    else if (cfg.iam.withOIDC && !cfg.addonsConfig.autoApplyPodIdentityAssociations && needsIRSARole(a.name, full)) {
      // eksctl's IRSA stack eksctl-<cluster>-addon-<name>, whose role is its Role1 resource.
      input.serviceAccountRoleArn = iamArn(`role/eksctl-${cluster}-addon-${a.name}-Role1-${suffix()}`);
    }
    if (full?.configurationValues) input.configurationValues = full.configurationValues;
    if (full?.resolveConflicts) input.resolveConflicts = full.resolveConflicts.toUpperCase();
    if (Object.keys(a.tags).length) input.tags = { ...a.tags };
    return input;
  });

  // Fargate profiles run in the private subnets, with the cluster stack's pod execution role.
  let fargateRole = cfg.iam.fargatePodExecutionRoleARN;
  const fargateProfiles = cfg.fargateProfiles.map((fp) => {
    const role = fp.podExecutionRoleARN ?? (fargateRole ??= iamArn(`role/eksctl-${cluster}-cluster-FargatePodExecutionRole-${suffix()}`));
    const fpSubnets = fp.subnets.length ? fp.subnets.flatMap(byNameOrId) : subnets.filter((s) => !s.public);
    const input: Record<string, unknown> = {
      fargateProfileName: fp.name,
      podExecutionRoleArn: role,
      subnets: fpSubnets.map((s) => s.subnetId),
      selectors: fp.selectors.map((s) => ({ namespace: s.namespace, ...(Object.keys(s.labels).length ? { labels: { ...s.labels } } : {}) })),
    };
    if (Object.keys(fp.tags).length) input.tags = { ...fp.tags };
    return input;
  });

  // Access entries: the config's, then one per self-managed node role (EKS makes managed groups' own).
  const accessEntries: Record<string, unknown>[] = cfg.accessConfig.accessEntries.map((e) => {
    const entry: Record<string, unknown> = { principalArn: e.principalARN, type: e.type ?? 'STANDARD' };
    if (e.kubernetesGroups.length) entry.kubernetesGroups = [...e.kubernetesGroups];
    if (e.kubernetesUsername) entry.username = e.kubernetesUsername;
    entry.accessPolicies = e.accessPolicies.map((p) => ({
      policyArn: p.policyARN,
      accessScope: { type: p.accessScope.type, ...(p.accessScope.namespaces.length ? { namespaces: [...p.accessScope.namespaces] } : {}) },
    }));
    return entry;
  });
  if (cfg.accessConfig.authenticationMode !== 'CONFIG_MAP') {
    for (const { ng, roleArn } of nodeRoles) {
      if (ng.managed) continue;
      accessEntries.push({ principalArn: roleArn, type: ng.amiFamily.startsWith('Windows') ? 'EC2_WINDOWS' : 'EC2_LINUX', accessPolicies: [] });
    }
  }

  return {
    region,
    vpc: { vpcId, cidr: cfg.vpc.cidr, subnets },
    createCluster,
    nodegroups,
    addons,
    fargateProfiles,
    accessEntries,
    withOIDC: cfg.iam.withOIDC,
  };
}

/** eksctl gives an add-on an IRSA role when it asks for policies, or when eksctl recommends some (setRecommendedPoliciesForIRSA). */
function needsIRSARole(name: string, a: ClusterConfig['addons'][number] | undefined): boolean {
  if (a && (a.attachPolicyARNs.length > 0 || a.attachPolicy || Object.values(a.wellKnownPolicies).some(Boolean))) return true;
  return ['vpc-cni', 'aws-ebs-csi-driver', 'aws-efs-csi-driver'].includes(name);
}
