// The EKS control plane: clusters, managed node groups and their instances, updates, access entries
// and tags, with EKS's status transitions (CREATING → ACTIVE, UPDATING, DELETING) timed on the
// clock. Records live in the EksStore; every cluster is a skiff cluster started through the
// ClusterRuntime, and every node group instance a simulated EC2 instance whose kubelet joins it.
import { randomUUID } from 'node:crypto';
import type { Clock } from '../sim/clock.js';
import { instanceType, nodeResources } from '../cloud/instance-types.js';
import { InsufficientAddressesError, SubnetAddresses, zonesOf, type Subnet } from '../cloud/vpc.js';
import { Rand } from '../kubelet/prng.js';
import type { SimNodeSpec } from '../kubelet/types.js';
import type { PolicyAssociation } from '../apiserver/auth/access-policies.js';
import { ACCESS_POLICIES } from '../apiserver/auth/access-policies.js';
import type { IamToken } from '../apiserver/auth/aws-iam.js';
import { verifyIamTokenSignature } from '../apiserver/auth/aws-iam.js';
import type { UserInfo } from '../apiserver/auth/authn.js';
import { clusterNotFound, EksError, inUse, invalidParameter, invalidRequest, nodegroupNotFound, notFound } from './errors.js';
import { parseIamArn, type Caller, type IdentityTable } from './identity.js';
import type { EksStore } from './store.js';
import type { ClusterHandle, ClusterRuntime } from './runtime.js';
import { parseAwsAuth } from './aws-auth.js';
import { surgeSize, unavailableNodes, upgradeNodegroup } from './nodegroup-upgrade.js';
import { AddonApi } from './addons.js';
import { FargateProfileApi, type FargateProfileRecord } from './fargate-profiles.js';
import { FargateMutation, type FargateProfile } from './fargate.js';
import { FargateScheduler, type FargateAddress } from './fargate-scheduler.js';
import { SharedInformerFactory } from '../client/informer.js';
import type { RestClient } from '../client/rest.js';
import { CONFIGMAPS } from '../client/refs.js';
import { newUpdate, paginate, stoppableClock, requireString, seconds, updateKey, type ClusterRecord, type Json, type UpdateRecord } from './common.js';

/** Kubernetes versions EKS offers (DescribeClusterVersions), newest first, with their platform versions. */
export const CLUSTER_VERSIONS = [
  { version: '1.33', platform: 'eks.5', releaseDate: Date.UTC(2025, 4, 29), endOfStandard: Date.UTC(2026, 6, 29), endOfExtended: Date.UTC(2027, 6, 29), status: 'STANDARD_SUPPORT', patch: '1.33.5' },
  { version: '1.32', platform: 'eks.16', releaseDate: Date.UTC(2025, 0, 23), endOfStandard: Date.UTC(2026, 2, 23), endOfExtended: Date.UTC(2027, 2, 23), status: 'EXTENDED_SUPPORT', patch: '1.32.9' },
  { version: '1.31', platform: 'eks.29', releaseDate: Date.UTC(2024, 8, 26), endOfStandard: Date.UTC(2025, 10, 26), endOfExtended: Date.UTC(2026, 10, 26), status: 'EXTENDED_SUPPORT', patch: '1.31.13' },
  { version: '1.30', platform: 'eks.38', releaseDate: Date.UTC(2024, 4, 23), endOfStandard: Date.UTC(2025, 6, 23), endOfExtended: Date.UTC(2026, 6, 23), status: 'EXTENDED_SUPPORT', patch: '1.30.14' },
  { version: '1.29', platform: 'eks.45', releaseDate: Date.UTC(2024, 0, 23), endOfStandard: Date.UTC(2025, 2, 23), endOfExtended: Date.UTC(2026, 2, 23), status: 'EXTENDED_SUPPORT', patch: '1.29.15' },
];
export const DEFAULT_VERSION = '1.32';

/** How long transitions take, in ms of the clock. Zero by default: EKS's minutes become a tick. */
export interface Durations {
  clusterCreate: number;
  clusterDelete: number;
  nodegroupCreate: number;
  nodegroupDelete: number;
  fargateProfileCreate: number;
  fargateProfileDelete: number;
  update: number;
}
const FAST: Durations = { clusterCreate: 0, clusterDelete: 0, nodegroupCreate: 0, nodegroupDelete: 0, fargateProfileCreate: 0, fargateProfileDelete: 0, update: 0 };

interface InstanceRecord {
  instanceId: string;
  nodeName: string;
  privateIp: string;
  zone: string;
  subnetId: string;
  podCidr?: string;
  instanceType: string;
  version: string;
  /** The image it was launched from (older records: the group's). */
  ami?: string;
}

/** A version update under way: what the group moves to, and what it was before. */
interface GroupUpgrade {
  updateId: string;
  version: string;
  releaseVersion: string;
  ami: string;
  force: boolean;
  /** The sizes before the update, restored at its end. */
  scaling: { minSize: number; maxSize: number; desiredSize: number };
  /** The group's instance count when it started: how many new-image instances it ends with. */
  size: number;
  surge: number;
  maxUnavailable: number;
}

interface NodegroupRecord {
  region: string;
  nodegroup: Json & { nodegroupName: string; clusterName: string; status: string; version: string; nodegroupArn: string; tags: Record<string, string>; scalingConfig: { minSize: number; maxSize: number; desiredSize: number } };
  instances: InstanceRecord[];
  ami: string;
  launchTemplateId: string;
  upgrade?: GroupUpgrade;
  /** eksctl's unmanaged nodeGroups: instances of an Auto Scaling group EKS does not list. */
  selfManaged?: boolean;
}

interface AccessEntryRecord {
  region: string;
  entry: Json & { clusterName: string; principalArn: string; username: string; kubernetesGroups: string[]; accessEntryArn: string; tags: Record<string, string> };
  policies: (PolicyAssociation & { associatedAt: number; modifiedAt: number })[];
}

const NAME_RE = /^[0-9A-Za-z][A-Za-z0-9\-_]*$/;

export interface EksServiceOptions {
  store: EksStore;
  runtime: ClusterRuntime;
  clock: Clock;
  identities: IdentityTable;
  durations?: Partial<Durations>;
  log?: (message: string, err?: unknown) => void;
}

export class EksService {
  private readonly store: EksStore;
  private readonly runtime: ClusterRuntime;
  readonly clock: Clock;
  private readonly durations: Durations;
  private readonly handles = new Map<string, ClusterHandle>();
  private readonly log: (message: string, err?: unknown) => void;
  readonly identities: IdentityTable;
  readonly addons: AddonApi;
  readonly fargateProfiles: FargateProfileApi;
  private readonly stopping = new AbortController();
  /** Per cluster: stops its EKS-side components (the fargate-scheduler). */
  private readonly components = new Map<string, AbortController>();

  constructor(opts: EksServiceOptions) {
    this.store = opts.store;
    this.runtime = opts.runtime;
    this.clock = stoppableClock(opts.clock, this.stopping.signal);
    this.identities = opts.identities;
    this.durations = { ...FAST, ...opts.durations };
    this.log = opts.log ?? (() => {});
    const cluster = (region: string, name: string) => this.cluster(region, name);
    this.addons = new AddonApi({ store: this.store, clock: this.clock, cluster, client: (name) => this.handles.get(name)?.client, log: this.log });
    this.fargateProfiles = new FargateProfileApi({
      store: this.store,
      clock: this.clock,
      cluster,
      subnet: (rec, id) => this.subnet(rec, id),
      durations: { create: this.durations.fargateProfileCreate, delete: this.durations.fargateProfileDelete },
    });
  }

  /** Brings back every stored cluster and its instances (after a restart), finishing transitions. */
  async start(): Promise<void> {
    for (const rec of this.store.list<ClusterRecord>('cluster', '')) {
      if (rec.cluster.status === 'DELETING') {
        await this.finishClusterDelete(rec);
        continue;
      }
      await this.bringUp(rec);
      await this.bootstrapSelfManagedAddons(rec);
      if (rec.cluster.status === 'CREATING') this.activateCluster(rec.region, rec.cluster.name);
      for (const ng of this.store.list<NodegroupRecord>('nodegroup', `${rec.region}/${rec.cluster.name}/`)) {
        for (const inst of ng.instances) this.boot(rec, ng, inst);
        if (ng.nodegroup.status === 'CREATING') this.reconcileNodegroup(rec.region, rec.cluster.name, ng.nodegroup.nodegroupName);
        if (ng.nodegroup.status === 'DELETING') void this.finishNodegroupDelete(rec.region, rec.cluster.name, ng.nodegroup.nodegroupName);
      }
      this.fargateProfiles.resume(rec.region, rec.cluster.name);
      await this.addons.resume(rec.region, rec.cluster.name);
      for (const u of this.store.list<UpdateRecord>('update', `${rec.region}/${rec.cluster.name}/`)) {
        if (u.update.status !== 'InProgress' || u.addonName) continue;
        if (u.nodegroupName && u.update.type === 'VersionUpdate') this.runUpgrade(u.region, u.clusterName, u.nodegroupName);
        else this.completeUpdate(u);
      }
    }
  }

  /** Stops work under way (node group updates resume on the next start). */
  stop(): void {
    this.stopping.abort();
    for (const c of this.components.values()) c.abort();
  }

  // ---- clusters -------------------------------------------------------------------------------

  /**
   * CreateCluster. vpc, when given, is the VPC the subnets belong to (eksctl's CloudFormation made
   * it); otherwise skiff imagines one behind the subnet IDs.
   */
  async createCluster(caller: Caller, input: Json, vpcGiven?: { vpcId: string; subnets: Subnet[] }): Promise<Json> {
    const name = requireString(input, 'name');
    if (!NAME_RE.test(name) || name.length > 100) throw invalidParameter(`The cluster name ${name} is invalid. Cluster names can only contain alphanumeric characters, hyphens and underscores, must start with an alphanumeric character, and be at most 100 characters long.`, { clusterName: name });
    const roleArn = requireString(input, 'roleArn');
    if (!parseIamArn(roleArn)) throw invalidParameter(`Role ${roleArn} is not a valid IAM role ARN.`, { clusterName: name });
    const vpc = (input.resourcesVpcConfig ?? undefined) as Json | undefined;
    if (!vpc) throw invalidParameter('resourcesVpcConfig is required.', { clusterName: name });
    const subnetIds = (vpc.subnetIds as string[] | undefined) ?? [];
    if (new Set(subnetIds).size < 2) throw invalidParameter('Subnets specified must be in at least two different AZs', { clusterName: name });
    const version = (input.version as string | undefined) ?? DEFAULT_VERSION;
    const release = CLUSTER_VERSIONS.find((v) => v.version === version);
    if (!release) throw invalidParameter(`unsupported Kubernetes version ${version}`, { clusterName: name });
    const access = (input.accessConfig ?? {}) as Json;
    const authenticationMode = (access.authenticationMode as string | undefined) ?? 'CONFIG_MAP';
    if (!['API', 'API_AND_CONFIG_MAP', 'CONFIG_MAP'].includes(authenticationMode)) throw invalidParameter(`Unsupported authentication mode: ${authenticationMode}`, { clusterName: name });
    const bootstrap = (access.bootstrapClusterCreatorAdminPermissions as boolean | undefined) ?? true;
    const selfManagedAddons = input.bootstrapSelfManagedAddons ?? true;
    if (typeof selfManagedAddons !== 'boolean') throw new EksError('SerializationException', 400, `bootstrapSelfManagedAddons must be a boolean, not ${JSON.stringify(selfManagedAddons)}`);
    const key = `${caller.region}/${name}`;
    // Cluster directories are per name, whatever the region: a name any cluster has is taken.
    if (this.store.get('cluster', key) || this.runtime.hasCluster(name)) throw inUse(`Cluster already exists with name: ${name}`, { clusterName: name });
    const net = (input.kubernetesNetworkConfig ?? {}) as Json;
    // EKS picks 10.100.0.0/16, or 172.20.0.0/16 when the VPC is in 10.0.0.0/8 and would overlap.
    const serviceCIDR = (net.serviceIpv4Cidr as string | undefined) ?? (vpcGiven?.subnets.some((sn) => sn.cidr.startsWith('10.')) ? '172.20.0.0/16' : '10.100.0.0/16');
    const r = new Rand(`eks:${key}:${this.clock.now()}`);
    const id = r.hex(32).toUpperCase();
    for (const id of subnetIds) if (vpcGiven && !vpcGiven.subnets.some((s) => s.subnetId === id)) throw invalidParameter(`The subnet ID '${id}' does not exist`, { clusterName: name });
    const subnets = vpcGiven ? vpcGiven.subnets : subnetIds.map((subnetId, i) => syntheticSubnet(caller.region, subnetId, i));
    const now = seconds(this.clock.now());
    const rec: ClusterRecord = {
      region: caller.region,
      accountId: caller.accountId,
      creatorArn: caller.arn,
      vpcId: vpcGiven?.vpcId ?? `vpc-${r.hex(17)}`,
      subnets,
      cluster: {
        name,
        arn: `arn:aws:eks:${caller.region}:${caller.accountId}:cluster/${name}`,
        createdAt: now,
        version,
        endpoint: '',
        roleArn,
        resourcesVpcConfig: {
          subnetIds,
          securityGroupIds: (vpc.securityGroupIds as string[] | undefined) ?? [],
          clusterSecurityGroupId: `sg-${r.hex(17)}`,
          vpcId: '',
          endpointPublicAccess: (vpc.endpointPublicAccess as boolean | undefined) ?? true,
          endpointPrivateAccess: (vpc.endpointPrivateAccess as boolean | undefined) ?? false,
          publicAccessCidrs: (vpc.publicAccessCidrs as string[] | undefined) ?? ['0.0.0.0/0'],
        },
        kubernetesNetworkConfig: { serviceIpv4Cidr: serviceCIDR, ipFamily: (net.ipFamily as string | undefined) ?? 'ipv4', elasticLoadBalancing: { enabled: false } },
        logging: normaliseLogging(input.logging as Json | undefined),
        identity: { oidc: { issuer: `https://oidc.eks.${caller.region}.amazonaws.com/id/${id}` } },
        status: 'CREATING',
        certificateAuthority: {},
        platformVersion: release.platform,
        tags: (input.tags as Record<string, string> | undefined) ?? {},
        health: { issues: [] },
        accessConfig: { bootstrapClusterCreatorAdminPermissions: bootstrap, authenticationMode },
        upgradePolicy: { supportType: ((input.upgradePolicy as Json | undefined)?.supportType as string | undefined) ?? 'EXTENDED' },
      },
    };
    (rec.cluster.resourcesVpcConfig as Json).vpcId = rec.vpcId;
    if (selfManagedAddons) rec.selfManagedAddonsPending = true;
    this.store.transaction(() => {
      this.store.put('cluster', key, rec);
      if (bootstrap && authenticationMode !== 'CONFIG_MAP') this.putCreatorEntry(rec, caller);
    });
    // The API server comes up before the answer, so the endpoint and CA are there on the first
    // DescribeCluster and the CLI's waiter sees ACTIVE at once.
    await this.bringUp(rec);
    this.store.put('cluster', key, rec);
    await this.bootstrapSelfManagedAddons(rec);
    this.activateCluster(caller.region, name);
    return { cluster: this.clusterView(rec) };
  }

  /** Whether a cluster of this name exists in the region. */
  hasCluster(region: string, name: string): boolean {
    return !!this.store.get('cluster', `${region}/${name}`);
  }

  /** An admin client of a cluster's Kubernetes API (EKS's own identity), once it runs. */
  clusterClient(name: string): RestClient | undefined {
    return this.handles.get(name)?.client;
  }

  describeCluster(caller: Caller, name: string): Json {
    return { cluster: this.clusterView(this.cluster(caller.region, name)) };
  }

  listClusters(caller: Caller, q: URLSearchParams): Json {
    const names = this.store.list<ClusterRecord>('cluster', `${caller.region}/`).map((c) => c.cluster.name);
    const page = paginate(names, q);
    return { clusters: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  }

  async deleteCluster(caller: Caller, name: string): Promise<Json> {
    const rec = this.cluster(caller.region, name);
    const groups = this.store.list<NodegroupRecord>('nodegroup', `${caller.region}/${name}/`).filter((g) => !g.selfManaged);
    if (groups.length) throw inUse('Cluster has nodegroups attached', { clusterName: name, nodegroupName: groups[0].nodegroup.nodegroupName });
    if (rec.cluster.status === 'CREATING' || rec.cluster.status === 'UPDATING') throw inUse(`Cluster ${name} is currently being ${rec.cluster.status === 'CREATING' ? 'created' : 'updated'}`, { clusterName: name });
    rec.cluster.status = 'DELETING';
    this.store.put('cluster', `${caller.region}/${name}`, rec);
    const view = this.clusterView(rec);
    this.clock.setTimeout(() => void this.finishClusterDelete(rec), this.durations.clusterDelete);
    return { cluster: view };
  }

  updateClusterConfig(caller: Caller, name: string, input: Json): Json {
    const rec = this.cluster(caller.region, name);
    this.requireActive(rec);
    const params: { type: string; value: string }[] = [];
    let type = '';
    if (input.logging) {
      type = 'LoggingUpdate';
      rec.cluster.logging = normaliseLogging(input.logging as Json, rec.cluster.logging as Json);
      params.push({ type: 'ClusterLogging', value: JSON.stringify((rec.cluster.logging as Json).clusterLogging) });
    }
    const vpc = input.resourcesVpcConfig as Json | undefined;
    if (vpc) {
      type ||= 'EndpointAccessUpdate';
      const cur = rec.cluster.resourcesVpcConfig as Json;
      for (const [field, param] of [
        ['endpointPublicAccess', 'EndpointPublicAccess'],
        ['endpointPrivateAccess', 'EndpointPrivateAccess'],
        ['publicAccessCidrs', 'PublicAccessCidrs'],
      ] as const) {
        if (vpc[field] === undefined) continue;
        cur[field] = vpc[field];
        params.push({ type: param, value: JSON.stringify(vpc[field]) });
      }
      if (cur.endpointPublicAccess === false && cur.endpointPrivateAccess === false) throw invalidParameter('Cluster must have either public or private access enabled', { clusterName: name });
    }
    const access = input.accessConfig as Json | undefined;
    if (access?.authenticationMode) {
      type ||= 'AccessConfigUpdate';
      const cur = rec.cluster.accessConfig as Json;
      const order = ['CONFIG_MAP', 'API_AND_CONFIG_MAP', 'API'];
      const from = order.indexOf(cur.authenticationMode as string);
      const to = order.indexOf(access.authenticationMode as string);
      if (to < 0) throw invalidParameter(`Unsupported authentication mode: ${access.authenticationMode}`, { clusterName: name });
      if (to < from) throw invalidParameter(`Unsupported authentication mode update from ${cur.authenticationMode} to ${access.authenticationMode}`, { clusterName: name });
      cur.authenticationMode = access.authenticationMode;
      params.push({ type: 'AuthenticationMode', value: access.authenticationMode as string });
    }
    if (!type) throw invalidParameter('No changes needed for the logging config provided', { clusterName: name });
    return this.startClusterUpdate(rec, type, params);
  }

  // The cluster goes UPDATING and the update InProgress in one write; the clock completes it.
  private startClusterUpdate(rec: ClusterRecord, type: string, params: { type: string; value: string }[]): Json {
    const update = this.newUpdate(rec.region, rec.cluster.name, undefined, type, params);
    this.store.transaction(() => {
      rec.cluster.status = 'UPDATING';
      this.store.put('cluster', `${rec.region}/${rec.cluster.name}`, rec);
      this.store.put('update', updateKey(update), update);
    });
    this.completeUpdate(update);
    return { update: update.update };
  }

  updateClusterVersion(caller: Caller, name: string, input: Json): Json {
    const rec = this.cluster(caller.region, name);
    this.requireActive(rec);
    const version = requireString(input, 'version');
    if (!CLUSTER_VERSIONS.some((v) => v.version === version)) throw invalidParameter(`unsupported Kubernetes version ${version}`, { clusterName: name });
    const [maj, min] = rec.cluster.version.split('.').map(Number);
    const [tmaj, tmin] = version.split('.').map(Number);
    if (tmaj !== maj || tmin !== min + 1) {
      throw invalidParameter(`Unsupported Kubernetes minor version update from ${rec.cluster.version} to ${version}`, { clusterName: name });
    }
    return this.startClusterUpdate(rec, 'VersionUpdate', [
      { type: 'Version', value: version },
      { type: 'PlatformVersion', value: CLUSTER_VERSIONS.find((v) => v.version === version)!.platform },
    ]);
  }

  describeClusterVersions(q: URLSearchParams): Json {
    const wanted = q.getAll('clusterVersions');
    const defaultOnly = q.get('defaultOnly') === 'true';
    const list = CLUSTER_VERSIONS.filter((v) => (!wanted.length || wanted.includes(v.version)) && (!defaultOnly || v.version === DEFAULT_VERSION));
    return {
      clusterVersions: list.map((v) => ({
        clusterVersion: v.version,
        clusterType: 'eks',
        defaultPlatformVersion: v.platform,
        defaultVersion: v.version === DEFAULT_VERSION,
        releaseDate: seconds(v.releaseDate),
        endOfStandardSupportDate: seconds(v.endOfStandard),
        endOfExtendedSupportDate: seconds(v.endOfExtended),
        status: v.status,
        versionStatus: v.status,
        kubernetesPatchVersion: v.patch,
      })),
    };
  }

  // ---- updates --------------------------------------------------------------------------------

  listUpdates(caller: Caller, name: string, q: URLSearchParams): Json {
    this.cluster(caller.region, name);
    const ng = q.get('nodegroupName') ?? undefined;
    if (ng) this.nodegroup(caller.region, name, ng);
    const addon = q.get('addonName') ?? undefined;
    const ids = this.store
      .list<UpdateRecord>('update', `${caller.region}/${name}/`)
      .filter((u) => u.nodegroupName === ng && u.addonName === addon)
      .sort((a, b) => (a.update.createdAt as number) - (b.update.createdAt as number))
      .map((u) => u.update.id);
    const page = paginate(ids, q);
    return { updateIds: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  }

  describeUpdate(caller: Caller, name: string, id: string, q: URLSearchParams): Json {
    this.cluster(caller.region, name);
    const ng = q.get('nodegroupName') ?? undefined;
    if (ng) this.nodegroup(caller.region, name, ng);
    const u = this.store.get<UpdateRecord>('update', `${caller.region}/${name}/${id}`);
    if (!u || u.nodegroupName !== ng || u.addonName !== (q.get('addonName') ?? undefined)) throw notFound(`No update found for ID: ${id}`, { clusterName: name, nodegroupName: ng });
    return { update: u.update };
  }

  // ---- node groups ----------------------------------------------------------------------------

  createNodegroup(caller: Caller, clusterName: string, input: Json, opts: { selfManaged?: boolean } = {}): Json {
    const rec = this.cluster(caller.region, clusterName);
    const name = requireString(input, 'nodegroupName');
    if (!NAME_RE.test(name) || name.length > 63) throw invalidParameter(`The nodegroup name ${name} is invalid.`, { clusterName, nodegroupName: name });
    const key = `${caller.region}/${clusterName}/${name}`;
    if (this.store.get('nodegroup', key)) throw inUse(`NodeGroup already exists with name ${name} and cluster name ${clusterName}`, { clusterName, nodegroupName: name });
    if (rec.cluster.status !== 'ACTIVE') throw invalidRequest(`Cluster '${clusterName}' is not in ACTIVE status`, { clusterName, nodegroupName: name });
    const nodeRole = requireString(input, 'nodeRole');
    const subnets = (input.subnets as string[] | undefined) ?? [];
    if (!subnets.length) throw invalidParameter('Subnets are required', { clusterName, nodegroupName: name });
    for (const s of subnets) this.subnet(rec, s);
    const instanceTypes = (input.instanceTypes as string[] | undefined) ?? ['t3.medium'];
    for (const t of instanceTypes) if (!instanceType(t)) throw invalidParameter(`Instance type ${t} is not supported`, { clusterName, nodegroupName: name });
    const scaling = { minSize: 1, maxSize: 2, desiredSize: 2, ...((input.scalingConfig as Json | undefined) ?? {}) } as NodegroupRecord['nodegroup']['scalingConfig'];
    validateScaling(scaling, clusterName, name);
    const taints = (input.taints as Json[] | undefined) ?? [];
    for (const t of taints) validateTaint(t, clusterName, name);
    const version = (input.version as string | undefined) ?? rec.cluster.version;
    if (version !== rec.cluster.version) {
      const [, cmin] = rec.cluster.version.split('.').map(Number);
      const [, nmin] = version.split('.').map(Number);
      if (nmin > cmin || cmin - nmin > 3) throw invalidParameter(`Requested Nodegroup version ${version} is invalid. Allowed values for cluster version ${rec.cluster.version} are from ${cmin - 3 > 0 ? `1.${cmin - 3}` : rec.cluster.version} to ${rec.cluster.version}`, { clusterName, nodegroupName: name });
    }
    const r = new Rand(`eks-ng:${key}:${this.clock.now()}`);
    const now = seconds(this.clock.now());
    const uuid = randomUUID();
    const ami = amiFor(caller.region, (input.amiType as string | undefined) ?? 'AL2023_x86_64_STANDARD', releaseVersionFor(version));
    const ng: NodegroupRecord = {
      region: caller.region,
      ...(opts.selfManaged ? { selfManaged: true } : {}),
      ami,
      launchTemplateId: `lt-${r.hex(17)}`,
      instances: [],
      nodegroup: {
        nodegroupName: name,
        nodegroupArn: `arn:aws:eks:${caller.region}:${rec.accountId}:nodegroup/${clusterName}/${name}/${uuid}`,
        clusterName,
        version,
        releaseVersion: releaseVersionFor(version),
        createdAt: now,
        modifiedAt: now,
        status: 'CREATING',
        capacityType: (input.capacityType as string | undefined) ?? 'ON_DEMAND',
        scalingConfig: scaling,
        instanceTypes,
        subnets,
        amiType: (input.amiType as string | undefined) ?? 'AL2023_x86_64_STANDARD',
        nodeRole,
        labels: (input.labels as Record<string, string> | undefined) ?? {},
        ...(taints.length ? { taints } : {}),
        resources: { autoScalingGroups: [{ name: `eks-${name}-${uuid}` }] },
        diskSize: (input.diskSize as number | undefined) ?? 20,
        health: { issues: [] },
        updateConfig: (input.updateConfig as Json | undefined) ?? { maxUnavailable: 1 },
        tags: (input.tags as Record<string, string> | undefined) ?? {},
      },
    };
    this.store.put('nodegroup', key, ng);
    this.clock.setTimeout(() => this.reconcileNodegroup(caller.region, clusterName, name), this.durations.nodegroupCreate);
    return { nodegroup: this.nodegroupView(ng) };
  }

  describeNodegroup(caller: Caller, clusterName: string, name: string): Json {
    this.cluster(caller.region, clusterName);
    return { nodegroup: this.nodegroupView(this.nodegroup(caller.region, clusterName, name)) };
  }

  listNodegroups(caller: Caller, clusterName: string, q: URLSearchParams): Json {
    this.cluster(caller.region, clusterName);
    const names = this.store
      .list<NodegroupRecord>('nodegroup', `${caller.region}/${clusterName}/`)
      .filter((n) => !n.selfManaged)
      .map((n) => n.nodegroup.nodegroupName);
    const page = paginate(names, q);
    return { nodegroups: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  }

  deleteNodegroup(caller: Caller, clusterName: string, name: string): Json {
    this.cluster(caller.region, clusterName);
    const ng = this.nodegroup(caller.region, clusterName, name);
    if (ng.nodegroup.status === 'DELETING') throw inUse(`Nodegroup ${name} is already in DELETING status`, { clusterName, nodegroupName: name });
    ng.nodegroup.status = 'DELETING';
    this.store.put('nodegroup', `${caller.region}/${clusterName}/${name}`, ng);
    const view = this.nodegroupView(ng);
    this.clock.setTimeout(() => void this.finishNodegroupDelete(caller.region, clusterName, name), this.durations.nodegroupDelete);
    return { nodegroup: view };
  }

  updateNodegroupConfig(caller: Caller, clusterName: string, name: string, input: Json): Json {
    this.cluster(caller.region, clusterName);
    const ng = this.nodegroup(caller.region, clusterName, name);
    if (ng.nodegroup.status !== 'ACTIVE') throw inUse(`Nodegroup ${name} is currently in ${ng.nodegroup.status} status`, { clusterName, nodegroupName: name });
    const params: { type: string; value: string }[] = [];
    const g = ng.nodegroup;
    const labels = input.labels as { addOrUpdateLabels?: Record<string, string>; removeLabels?: string[] } | undefined;
    if (labels) {
      const next = { ...(g.labels as Record<string, string>) };
      for (const k of labels.removeLabels ?? []) delete next[k];
      Object.assign(next, labels.addOrUpdateLabels ?? {});
      if (labels.addOrUpdateLabels) params.push({ type: 'LabelsToAdd', value: JSON.stringify(labels.addOrUpdateLabels) });
      if (labels.removeLabels) params.push({ type: 'LabelsToRemove', value: JSON.stringify(labels.removeLabels) });
      g.labels = next;
    }
    const taints = input.taints as { addOrUpdateTaints?: Json[]; removeTaints?: Json[] } | undefined;
    if (taints) {
      let next = [...((g.taints as Json[] | undefined) ?? [])];
      for (const t of taints.addOrUpdateTaints ?? []) validateTaint(t, clusterName, name);
      for (const t of taints.removeTaints ?? []) next = next.filter((x) => !(x.key === t.key && x.effect === t.effect));
      for (const t of taints.addOrUpdateTaints ?? []) next = [...next.filter((x) => !(x.key === t.key && x.effect === t.effect)), t];
      if (taints.addOrUpdateTaints) params.push({ type: 'TaintsToAdd', value: JSON.stringify(taints.addOrUpdateTaints) });
      if (taints.removeTaints) params.push({ type: 'TaintsToRemove', value: JSON.stringify(taints.removeTaints) });
      if (next.length) g.taints = next;
      else delete g.taints;
    }
    const scaling = input.scalingConfig as Partial<NodegroupRecord['nodegroup']['scalingConfig']> | undefined;
    if (scaling) {
      const next = { ...g.scalingConfig, ...scaling };
      validateScaling(next, clusterName, name);
      for (const [k, t] of [['minSize', 'MinSize'], ['maxSize', 'MaxSize'], ['desiredSize', 'DesiredSize']] as const) {
        if (scaling[k] !== undefined) params.push({ type: t, value: String(scaling[k]) });
      }
      g.scalingConfig = next;
    }
    const updateConfig = input.updateConfig as Json | undefined;
    if (updateConfig) {
      if (updateConfig.maxUnavailable !== undefined && updateConfig.maxUnavailablePercentage !== undefined) throw invalidParameter('You cannot specify both maxUnavailable and maxUnavailablePercentage', { clusterName, nodegroupName: name });
      g.updateConfig = updateConfig;
      if (updateConfig.maxUnavailable !== undefined) params.push({ type: 'MaxUnavailable', value: String(updateConfig.maxUnavailable) });
      if (updateConfig.maxUnavailablePercentage !== undefined) params.push({ type: 'MaxUnavailablePercentage', value: String(updateConfig.maxUnavailablePercentage) });
    }
    if (!params.length) throw invalidParameter('No changes needed for the nodegroup config provided', { clusterName, nodegroupName: name });
    g.modifiedAt = seconds(this.clock.now());
    g.status = 'UPDATING';
    const update = this.newUpdate(caller.region, clusterName, name, 'ConfigUpdate', params);
    this.store.transaction(() => {
      this.store.put('nodegroup', `${caller.region}/${clusterName}/${name}`, ng);
      this.store.put('update', updateKey(update), update);
    });
    this.completeUpdate(update);
    return { update: update.update };
  }

  /**
   * UpdateNodegroupVersion: a rolling replacement of the group's instances with the target
   * version's image (nodegroup-upgrade.ts), reported through DescribeUpdate.
   */
  updateNodegroupVersion(caller: Caller, clusterName: string, name: string, input: Json): Json {
    const rec = this.cluster(caller.region, clusterName);
    const ng = this.nodegroup(caller.region, clusterName, name);
    if (ng.nodegroup.status !== 'ACTIVE') throw inUse(`Nodegroup ${name} is currently in ${ng.nodegroup.status} status`, { clusterName, nodegroupName: name });
    if (input.launchTemplate) throw invalidParameter('You cannot specify a launch template for a node group that was not created with one', { clusterName, nodegroupName: name });
    const version = (input.version as string | undefined) ?? ng.nodegroup.version;
    if (!CLUSTER_VERSIONS.some((v) => v.version === version)) throw invalidParameter(`Requested Nodegroup version ${version} is invalid.`, { clusterName, nodegroupName: name });
    const minor = (v: string) => Number(v.split('.')[1]);
    if (minor(version) > minor(rec.cluster.version)) throw invalidParameter(`Requested Nodegroup version ${version} is invalid. Nodegroup version cannot be greater than the cluster version ${rec.cluster.version}`, { clusterName, nodegroupName: name });
    if (minor(version) < minor(ng.nodegroup.version)) throw invalidParameter(`Requested Nodegroup version ${version} is less than the current version ${ng.nodegroup.version}`, { clusterName, nodegroupName: name });
    const releaseVersion = (input.releaseVersion as string | undefined) ?? releaseVersionFor(version);
    if (releaseVersion !== releaseVersionFor(version)) throw invalidParameter(`Requested release version ${releaseVersion} is not valid for kubernetes version ${version}.`, { clusterName, nodegroupName: name });
    const g = ng.nodegroup;
    const update = this.newUpdate(caller.region, clusterName, name, 'VersionUpdate', [
      { type: 'Version', value: version },
      { type: 'ReleaseVersion', value: releaseVersion },
    ]);
    // After a failed update the group may hold more instances than it should; it ends with desiredSize.
    const size = g.scalingConfig.desiredSize;
    const maxUnavailable = unavailableNodes(g.updateConfig as { maxUnavailable?: number; maxUnavailablePercentage?: number }, size);
    const zones = new Set(ng.instances.map((i) => i.zone)).size;
    const ami = amiFor(caller.region, g.amiType as string, releaseVersion);
    const surge = surgeSize(ng.instances.filter((i) => (i.ami ?? ng.ami) !== ami).length, zones, maxUnavailable);
    ng.upgrade = {
      updateId: update.update.id,
      version,
      releaseVersion,
      ami,
      force: input.force === true,
      scaling: { ...g.scalingConfig },
      size,
      surge,
      maxUnavailable,
    };
    // The Auto Scaling group grows by the surge for the length of the update.
    g.scalingConfig = { ...g.scalingConfig, desiredSize: size + surge, maxSize: Math.max(g.scalingConfig.maxSize, size + surge) };
    g.status = 'UPDATING';
    g.modifiedAt = seconds(this.clock.now());
    this.store.transaction(() => {
      this.store.put('nodegroup', `${caller.region}/${clusterName}/${name}`, ng);
      this.store.put('update', updateKey(update), update);
    });
    this.runUpgrade(caller.region, clusterName, name);
    return { update: update.update };
  }

  /** Runs (or resumes) a group's version update to its end, then records how it ended. */
  private runUpgrade(region: string, clusterName: string, name: string): void {
    const key = `${region}/${clusterName}/${name}`;
    const read = () => this.store.get<NodegroupRecord>('nodegroup', key);
    const first = read();
    const handle = this.handles.get(clusterName);
    if (!first?.upgrade || !handle) return;
    const up = first.upgrade;
    const group = {
      nodegroupName: name,
      instances: () => {
        const ng = read();
        return (ng?.instances ?? []).map((i) => ({ nodeName: i.nodeName, current: (i.ami ?? ng!.ami) === up.ami }));
      },
      launch: (n: number) => this.grow(region, clusterName, name, n, { version: up.version, ami: up.ami }),
      terminate: async (nodeName: string) => {
        const ng = read();
        const inst = ng?.instances.find((i) => i.nodeName === nodeName);
        if (!ng || !inst) return;
        ng.instances = ng.instances.filter((i) => i !== inst);
        this.store.put('nodegroup', key, ng);
        await this.terminate(clusterName, inst);
      },
    };
    void upgradeNodegroup(handle.client, this.clock, group, {
      size: up.size,
      surge: up.surge,
      maxUnavailable: up.maxUnavailable,
      force: up.force,
      signal: this.stopping.signal,
      log: (m) => this.log(`eks: ${m}`),
    }).then(
      (error) => this.finishUpgrade(region, clusterName, name, error),
      (e) => {
        if (this.stopping.signal.aborted) return; // resumed on the next start
        this.log(`eks: updating nodegroup ${name} failed`, e);
        this.finishUpgrade(region, clusterName, name, { errorCode: 'InternalFailure', errorMessage: e instanceof Error ? e.message : String(e), resourceIds: [] });
      },
    );
  }

  private finishUpgrade(region: string, clusterName: string, name: string, error: { errorCode: string; errorMessage: string; resourceIds: string[] } | undefined): void {
    const key = `${region}/${clusterName}/${name}`;
    const ng = this.store.get<NodegroupRecord>('nodegroup', key);
    if (!ng?.upgrade) return;
    const up = ng.upgrade;
    const u = this.store.get<UpdateRecord>('update', `${region}/${clusterName}/${up.updateId}`);
    const g = ng.nodegroup;
    if (!error) {
      g.version = up.version;
      g.releaseVersion = up.releaseVersion;
      ng.ami = up.ami;
    }
    g.scalingConfig = up.scaling;
    g.status = 'ACTIVE';
    g.modifiedAt = seconds(this.clock.now());
    delete ng.upgrade;
    this.store.transaction(() => {
      this.store.put('nodegroup', key, ng);
      if (u) {
        u.update.status = error ? 'Failed' : 'Successful';
        u.update.errors = error ? [error] : [];
        this.store.put('update', updateKey(u), u);
      }
    });
  }

  // ---- access entries -------------------------------------------------------------------------

  createAccessEntry(caller: Caller, clusterName: string, input: Json): Json {
    const rec = this.cluster(caller.region, clusterName);
    this.requireApiAuthentication(rec);
    const principalArn = requireString(input, 'principalArn');
    const iam = parseIamArn(principalArn);
    if (!iam || iam.kind === 'assumed-role' || iam.kind === 'root') throw invalidParameter(`The specified principalArn is invalid: invalid arn ${principalArn}`, { clusterName });
    const key = `${caller.region}/${clusterName}/${principalArn}`;
    if (this.store.get('accessEntry', key)) throw inUse('The specified access entry resource is already in use on this cluster.', { clusterName });
    const groups = (input.kubernetesGroups as string[] | undefined) ?? [];
    for (const g of groups) if (g.startsWith('system:')) throw invalidParameter(`The kubernetes group name ${g} is invalid, it cannot start with system:`, { clusterName });
    const entry = this.newEntry(rec, principalArn, (input.username as string | undefined) ?? undefined, groups, (input.tags as Record<string, string> | undefined) ?? {}, (input.type as string | undefined) ?? 'STANDARD');
    this.store.put('accessEntry', key, entry);
    return { accessEntry: entry.entry };
  }

  describeAccessEntry(caller: Caller, clusterName: string, principalArn: string): Json {
    return { accessEntry: this.accessEntry(caller.region, clusterName, principalArn).entry };
  }

  listAccessEntries(caller: Caller, clusterName: string, q: URLSearchParams): Json {
    const rec = this.cluster(caller.region, clusterName);
    this.requireApiAuthentication(rec);
    let entries = this.store.list<AccessEntryRecord>('accessEntry', `${caller.region}/${clusterName}/`);
    const policy = q.get('associatedPolicyArn');
    if (policy) entries = entries.filter((e) => e.policies.some((p) => p.policyArn === policy));
    const page = paginate(entries.map((e) => e.entry.principalArn), q);
    return { accessEntries: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  }

  updateAccessEntry(caller: Caller, clusterName: string, principalArn: string, input: Json): Json {
    const e = this.accessEntry(caller.region, clusterName, principalArn);
    if (input.kubernetesGroups) e.entry.kubernetesGroups = input.kubernetesGroups as string[];
    if (input.username) e.entry.username = input.username as string;
    e.entry.modifiedAt = seconds(this.clock.now());
    this.store.put('accessEntry', `${caller.region}/${clusterName}/${principalArn}`, e);
    return { accessEntry: e.entry };
  }

  deleteAccessEntry(caller: Caller, clusterName: string, principalArn: string): Json {
    this.accessEntry(caller.region, clusterName, principalArn);
    this.store.delete('accessEntry', `${caller.region}/${clusterName}/${principalArn}`);
    return {};
  }

  associateAccessPolicy(caller: Caller, clusterName: string, principalArn: string, input: Json): Json {
    const e = this.accessEntry(caller.region, clusterName, principalArn);
    const policyArn = requireString(input, 'policyArn');
    if (!ACCESS_POLICIES.some((p) => p.arn === policyArn)) throw notFound(`The specified policyArn ${policyArn} could not be found.`, { clusterName });
    const scope = (input.accessScope ?? undefined) as PolicyAssociation['accessScope'] | undefined;
    if (!scope || !['cluster', 'namespace'].includes(scope.type)) throw invalidParameter('accessScope.type must be one of [cluster, namespace]', { clusterName });
    if (scope.type === 'namespace' && !scope.namespaces?.length) throw invalidParameter('At least one namespace must be provided for namespace access scope', { clusterName });
    if (scope.type === 'cluster' && scope.namespaces?.length) throw invalidParameter('Namespaces cannot be provided for cluster access scope', { clusterName });
    const now = seconds(this.clock.now());
    const prior = e.policies.find((p) => p.policyArn === policyArn);
    const assoc = { policyArn, accessScope: scope.type === 'cluster' ? { type: 'cluster' as const, namespaces: [] } : { type: 'namespace' as const, namespaces: scope.namespaces }, associatedAt: prior?.associatedAt ?? now, modifiedAt: now };
    e.policies = [...e.policies.filter((p) => p.policyArn !== policyArn), assoc];
    this.store.put('accessEntry', `${caller.region}/${clusterName}/${principalArn}`, e);
    return { clusterName, principalArn, associatedAccessPolicy: assoc };
  }

  disassociateAccessPolicy(caller: Caller, clusterName: string, principalArn: string, policyArn: string): Json {
    const e = this.accessEntry(caller.region, clusterName, principalArn);
    if (!e.policies.some((p) => p.policyArn === policyArn)) throw notFound(`The specified policyArn ${policyArn} is not associated with the access entry.`, { clusterName });
    e.policies = e.policies.filter((p) => p.policyArn !== policyArn);
    this.store.put('accessEntry', `${caller.region}/${clusterName}/${principalArn}`, e);
    return {};
  }

  listAssociatedAccessPolicies(caller: Caller, clusterName: string, principalArn: string): Json {
    const e = this.accessEntry(caller.region, clusterName, principalArn);
    return { clusterName, principalArn, associatedAccessPolicies: e.policies };
  }

  listAccessPolicies(): Json {
    return { accessPolicies: ACCESS_POLICIES.map((p) => ({ name: p.name, arn: p.arn })) };
  }

  // ---- tags -----------------------------------------------------------------------------------

  listTagsForResource(arn: string): Json {
    return { tags: this.taggable(arn).tags() };
  }

  tagResource(arn: string, input: Json): Json {
    const t = this.taggable(arn);
    const tags = input.tags as Record<string, string> | undefined;
    if (!tags || !Object.keys(tags).length) throw new EksError('BadRequestException', 400, 'tags must not be empty');
    for (const k of Object.keys(tags)) if (k.toLowerCase().startsWith('aws:')) throw new EksError('BadRequestException', 400, 'Tag keys starting with aws: are reserved for AWS use');
    t.set({ ...t.tags(), ...tags });
    return {};
  }

  untagResource(arn: string, keys: string[]): Json {
    const t = this.taggable(arn);
    const next = { ...t.tags() };
    for (const k of keys) delete next[k];
    t.set(next);
    return {};
  }

  // ---- what a cluster's API server asks -------------------------------------------------------

  /** The Kubernetes identity of the principal behind an IAM token, for one cluster. */
  async resolveToken(region: string, clusterName: string, token: IamToken): Promise<UserInfo | null> {
    const rec = this.store.get<ClusterRecord>('cluster', `${region}/${clusterName}`);
    if (!rec) return null;
    const caller = this.identities.resolve(token.accessKeyId, token.region);
    if (caller.secretAccessKey && !verifyIamTokenSignature(token, caller.secretAccessKey, clusterName)) {
      this.log(`eks: token for ${caller.arn} is not signed for cluster ${clusterName}`);
      return null;
    }
    const sessionName = token.accessKeyId;
    const extra = { arn: [caller.arn], canonicalArn: [caller.arn], accessKeyId: [token.accessKeyId], sessionName: [sessionName] };
    const mode = (rec.cluster.accessConfig as Json).authenticationMode as string;
    if (mode !== 'CONFIG_MAP') {
      const e = this.store.get<AccessEntryRecord>('accessEntry', `${region}/${clusterName}/${caller.arn}`);
      if (e) return { username: e.entry.username.replace('{{SessionName}}', sessionName), uid: `aws-iam-authenticator:${rec.accountId}:${token.accessKeyId}`, groups: [...e.entry.kubernetesGroups], extra };
    }
    if (mode !== 'API') {
      if (caller.arn === rec.creatorArn && (rec.cluster.accessConfig as Json).bootstrapClusterCreatorAdminPermissions) {
        return { username: 'kubernetes-admin', uid: `aws-iam-authenticator:${rec.accountId}:${token.accessKeyId}`, groups: ['system:masters'], extra };
      }
      const handle = this.handles.get(clusterName);
      const mapped = handle ? parseAwsAuth(await readAwsAuth(handle)).find((m) => m.arn === caller.arn) : undefined;
      if (mapped) return { username: mapped.username.replace('{{SessionName}}', sessionName).replace('{{AccountID}}', rec.accountId), uid: `aws-iam-authenticator:${rec.accountId}:${token.accessKeyId}`, groups: mapped.groups, extra };
    }
    return null;
  }

  /** The access policies of a principal's access entry in a cluster. */
  associations(region: string, clusterName: string, principalArn: string): PolicyAssociation[] {
    const rec = this.store.get<ClusterRecord>('cluster', `${region}/${clusterName}`);
    if (!rec || (rec.cluster.accessConfig as Json).authenticationMode === 'CONFIG_MAP') return [];
    return this.store.get<AccessEntryRecord>('accessEntry', `${region}/${clusterName}/${principalArn}`)?.policies ?? [];
  }

  // ---- internals ------------------------------------------------------------------------------

  private cluster(region: string, name: string): ClusterRecord {
    const rec = this.store.get<ClusterRecord>('cluster', `${region}/${name}`);
    if (!rec) throw clusterNotFound(name);
    return rec;
  }

  private nodegroup(region: string, cluster: string, name: string): NodegroupRecord {
    const ng = this.store.get<NodegroupRecord>('nodegroup', `${region}/${cluster}/${name}`);
    if (!ng || ng.selfManaged) throw nodegroupNotFound(cluster, name);
    return ng;
  }

  private accessEntry(region: string, clusterName: string, principalArn: string): AccessEntryRecord {
    const rec = this.cluster(region, clusterName);
    this.requireApiAuthentication(rec);
    const e = this.store.get<AccessEntryRecord>('accessEntry', `${region}/${clusterName}/${principalArn}`);
    if (!e) throw notFound(`The specified principalArn could not be found. You can view your available access entries with 'list-access-entries'.`, { clusterName });
    return e;
  }

  private requireActive(rec: ClusterRecord): void {
    if (rec.cluster.status !== 'ACTIVE') throw inUse(`Cluster ${rec.cluster.name} is currently in ${rec.cluster.status} status`, { clusterName: rec.cluster.name });
  }

  private requireApiAuthentication(rec: ClusterRecord): void {
    if ((rec.cluster.accessConfig as Json).authenticationMode === 'CONFIG_MAP') {
      throw invalidRequest("The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.", { clusterName: rec.cluster.name });
    }
  }

  private subnet(rec: ClusterRecord, subnetId: string): Subnet {
    let s = rec.subnets.find((x) => x.subnetId === subnetId);
    if (!s) {
      // A subnet the cluster was not created with: the simulated VPC grows one in the next zone,
      // while its 192.168.0.0/16 has /19s left.
      if (rec.subnets.length >= 8) throw invalidParameter(`The subnet ID '${subnetId}' does not exist`, { clusterName: rec.cluster.name });
      s = syntheticSubnet(rec.region, subnetId, rec.subnets.length);
      rec.subnets.push(s);
      this.store.put('cluster', `${rec.region}/${rec.cluster.name}`, rec);
    }
    return s;
  }

  private putCreatorEntry(rec: ClusterRecord, caller: Caller): void {
    const e = this.newEntry(rec, caller.arn, undefined, [], {}, 'STANDARD');
    const now = seconds(this.clock.now());
    e.policies.push({ policyArn: ACCESS_POLICIES[0].arn, accessScope: { type: 'cluster', namespaces: [] }, associatedAt: now, modifiedAt: now });
    this.store.put('accessEntry', `${rec.region}/${rec.cluster.name}/${caller.arn}`, e);
  }

  private newEntry(rec: ClusterRecord, principalArn: string, username: string | undefined, groups: string[], tags: Record<string, string>, type: string): AccessEntryRecord {
    const iam = parseIamArn(principalArn)!;
    const now = seconds(this.clock.now());
    const defaultUsername = iam.kind === 'role' ? `arn:aws:sts::${iam.accountId}:assumed-role/${iam.name.split('/').pop()}/{{SessionName}}` : principalArn;
    return {
      region: rec.region,
      entry: {
        clusterName: rec.cluster.name,
        principalArn,
        kubernetesGroups: groups,
        accessEntryArn: `arn:aws:eks:${rec.region}:${rec.accountId}:access-entry/${rec.cluster.name}/${iam.kind}/${iam.accountId}/${iam.name.split('/').pop()}/${randomUUID()}`,
        createdAt: now,
        modifiedAt: now,
        tags,
        username: username ?? defaultUsername,
        type,
      },
      policies: [],
    };
  }

  private async bringUp(rec: ClusterRecord): Promise<void> {
    const handle = await this.runtime.ensureCluster({
      name: rec.cluster.name,
      region: rec.region,
      version: rec.cluster.version,
      serviceCIDR: (rec.cluster.kubernetesNetworkConfig as Json).serviceIpv4Cidr as string,
      access: {
        resolve: (token) => this.resolveToken(rec.region, rec.cluster.name, token),
        associations: (arn) => this.associations(rec.region, rec.cluster.name, arn),
      },
      // EKS's Fargate webhook: pods a profile selects go to the fargate-scheduler.
      admission: [new FargateMutation(() => this.profilesOf(rec.region, rec.cluster.name))],
    });
    this.handles.set(rec.cluster.name, handle);
    if (!this.components.has(rec.cluster.name)) this.startFargateScheduler(rec, handle);
    rec.cluster.endpoint = handle.endpoint;
    rec.cluster.certificateAuthority = { data: Buffer.from(handle.caPem).toString('base64') };
  }

  /**
   * Puts CreateCluster's default networking add-ons into the cluster once (a restart before that
   * was recorded tries again). A failure is logged and leaves the cluster without them, as an EKS
   * cluster whose bootstrap failed would be; it does not fail the cluster.
   */
  private async bootstrapSelfManagedAddons(rec: ClusterRecord): Promise<void> {
    if (!rec.selfManagedAddonsPending) return;
    try {
      await this.addons.bootstrapSelfManaged(rec.region, rec.cluster.name);
    } catch (e) {
      this.log(`eks: ${rec.cluster.name}: installing the self-managed add-ons failed`, e);
    }
    const stored = this.store.get<ClusterRecord>('cluster', `${rec.region}/${rec.cluster.name}`);
    delete rec.selfManagedAddonsPending;
    if (stored) {
      delete stored.selfManagedAddonsPending;
      this.store.put('cluster', `${rec.region}/${rec.cluster.name}`, stored);
    }
  }

  private profilesOf(region: string, clusterName: string): FargateProfile[] {
    return this.fargateProfiles.all(region, clusterName).map((p) => p.profile);
  }

  /** EKS's fargate-scheduler for one cluster: a client of its Kubernetes API, like kube-scheduler. */
  private startFargateScheduler(rec: ClusterRecord, handle: ClusterHandle): void {
    const { region } = rec;
    const name = rec.cluster.name;
    const stop = new AbortController();
    this.components.set(name, stop);
    const log = (m: string, e?: unknown) => this.log(`eks: ${name}: ${m}`, e);
    // A Fargate pod's microVM outlives a control plane restart: boot again every node the profiles
    // recorded, before the scheduler lists Nodes, so it finds each bound pod on a live node and leaves
    // it alone (a node whose pod is gone it still terminates, giving back the address and the record).
    for (const spec of this.fargateProfiles.nodes(region, name)) {
      try {
        this.runtime.launchNode(name, spec);
      } catch (e) {
        log(`booting Fargate node ${spec.name} again failed`, e);
      }
    }
    const profileOf = (ip: string) => this.fargateProfiles.all(region, name).find((p) => p.addresses.includes(ip))?.profile.fargateProfileName;
    const scheduler = new FargateScheduler({
      client: handle.client,
      informers: new SharedInformerFactory({ client: handle.client, clock: this.clock, log }),
      clock: this.clock,
      region,
      profiles: () => this.profilesOf(region, name),
      allocate: (profile) => this.allocateFargateAddress(region, name, profile),
      release: (ip) => {
        const profile = profileOf(ip);
        if (profile) this.fargateProfiles.setAddress(region, name, profile, ip, false);
      },
      // Recorded before it boots: a restart in between boots it again rather than losing it.
      launch: (spec) => {
        const profile = profileOf(spec.addresses.internalIP);
        if (profile) this.fargateProfiles.setNode(region, name, profile, spec);
        this.runtime.launchNode(name, spec);
      },
      terminate: (nodeName) => this.runtime.terminateNode(name, nodeName),
      log,
    });
    scheduler.start(stop.signal);
  }

  /** A Fargate node's address: from the profile's subnet with the most room. */
  private allocateFargateAddress(region: string, clusterName: string, profile: FargateProfile): FargateAddress | undefined {
    const rec = this.store.get<ClusterRecord>('cluster', `${region}/${clusterName}`);
    if (!rec) return undefined;
    const book = this.addressBook(rec);
    const subnets = profile.subnets.map((id) => this.subnet(rec, id)).sort((a, b) => book.get(b.subnetId)!.free() - book.get(a.subnetId)!.free());
    for (const s of subnets) {
      try {
        const ip = book.get(s.subnetId)!.allocateAddress();
        this.fargateProfiles.setAddress(region, clusterName, profile.fargateProfileName, ip, true);
        return { ip, subnetId: s.subnetId, zone: s.zone, zoneId: s.zoneId };
      } catch (e) {
        if (!(e instanceof InsufficientAddressesError)) throw e;
      }
    }
    return undefined;
  }

  private activateCluster(region: string, name: string): void {
    this.clock.setTimeout(() => {
      const rec = this.store.get<ClusterRecord>('cluster', `${region}/${name}`);
      if (!rec || rec.cluster.status !== 'CREATING') return;
      rec.cluster.status = 'ACTIVE';
      this.store.put('cluster', `${region}/${name}`, rec);
    }, this.durations.clusterCreate);
  }

  private async finishClusterDelete(rec: ClusterRecord): Promise<void> {
    const name = rec.cluster.name;
    // Self-managed instances outlive nothing: their Auto Scaling groups go with the cluster here.
    for (const g of this.store.list<NodegroupRecord>('nodegroup', `${rec.region}/${name}/`)) await Promise.all(g.instances.map((i) => this.terminate(name, i)));
    this.store.deletePrefix('nodegroup', `${rec.region}/${name}/`);
    try {
      await this.runtime.deleteCluster(name);
    } catch (e) {
      this.log(`eks: deleting cluster ${name} failed`, e);
    }
    this.handles.delete(name);
    this.components.get(name)?.abort();
    this.components.delete(name);
    this.store.transaction(() => {
      this.store.delete('cluster', `${rec.region}/${name}`);
      this.store.deletePrefix('addon', `${rec.region}/${name}/`);
      this.store.deletePrefix('fargateProfile', `${rec.region}/${name}/`);
      this.store.deletePrefix('update', `${rec.region}/${name}/`);
      this.store.deletePrefix('accessEntry', `${rec.region}/${name}/`);
    });
  }

  private newUpdate(region: string, clusterName: string, nodegroupName: string | undefined, type: string, params: { type: string; value: string }[]): UpdateRecord {
    return newUpdate(this.clock.now(), region, clusterName, nodegroupName ? { nodegroupName } : {}, type, params);
  }

  /** Applies an update's effect when its time has come, and marks it Successful. */
  private completeUpdate(u: UpdateRecord): void {
    this.clock.setTimeout(() => {
      const cur = this.store.get<UpdateRecord>('update', updateKey(u));
      if (!cur || cur.update.status !== 'InProgress') return;
      const rec = this.store.get<ClusterRecord>('cluster', `${u.region}/${u.clusterName}`);
      if (!rec) return;
      if (u.nodegroupName) {
        const ng = this.store.get<NodegroupRecord>('nodegroup', `${u.region}/${u.clusterName}/${u.nodegroupName}`);
        if (ng) {
          ng.nodegroup.status = 'ACTIVE';
          this.store.put('nodegroup', `${u.region}/${u.clusterName}/${u.nodegroupName}`, ng);
          this.reconcileNodegroup(u.region, u.clusterName, u.nodegroupName);
        }
      } else {
        if (cur.update.type === 'VersionUpdate') {
          const version = (cur.update.params as { type: string; value: string }[]).find((p) => p.type === 'Version')!.value;
          rec.cluster.version = version;
          rec.cluster.platformVersion = CLUSTER_VERSIONS.find((v) => v.version === version)!.platform;
          this.runtime.setVersion(u.clusterName, version);
        }
        rec.cluster.status = 'ACTIVE';
      }
      cur.update.status = 'Successful';
      this.store.transaction(() => {
        this.store.put('cluster', `${u.region}/${u.clusterName}`, rec);
        this.store.put('update', updateKey(cur), cur);
      });
    }, this.durations.update);
  }

  /** Launches or terminates instances until the group has desiredSize of them, spread over its subnets' zones. */
  private reconcileNodegroup(region: string, clusterName: string, name: string): void {
    const rec = this.store.get<ClusterRecord>('cluster', `${region}/${clusterName}`);
    const ng = this.store.get<NodegroupRecord>('nodegroup', `${region}/${clusterName}/${name}`);
    if (!rec || !ng || ng.nodegroup.status === 'DELETING') return;
    const want = ng.nodegroup.scalingConfig.desiredSize;
    const issues = this.launchInto(rec, ng, Math.max(0, want - ng.instances.length), { version: ng.nodegroup.version, ami: ng.ami });
    const removed: InstanceRecord[] = [];
    while (ng.instances.length > want) removed.push(ng.instances.pop()!);
    if (ng.nodegroup.status === 'CREATING') ng.nodegroup.status = issues.length ? 'CREATE_FAILED' : 'ACTIVE';
    ng.nodegroup.health = { issues };
    this.store.put('nodegroup', `${region}/${clusterName}/${name}`, ng);
    this.bootNew(rec, ng);
    for (const inst of removed) void this.terminate(clusterName, inst);
  }

  /** Adds n instances of an image to a group (as its Auto Scaling group would), and boots them. */
  private grow(region: string, clusterName: string, name: string, n: number, image: { version: string; ami: string }): void {
    const rec = this.store.get<ClusterRecord>('cluster', `${region}/${clusterName}`);
    const ng = this.store.get<NodegroupRecord>('nodegroup', `${region}/${clusterName}/${name}`);
    if (!rec || !ng) return;
    ng.nodegroup.health = { issues: this.launchInto(rec, ng, n, image) };
    this.store.put('nodegroup', `${region}/${clusterName}/${name}`, ng);
    this.bootNew(rec, ng);
  }

  /** Records n new instances in the group, each in the subnet with the fewest; returns the health issues met. */
  private launchInto(rec: ClusterRecord, ng: NodegroupRecord, n: number, image: { version: string; ami: string }): Json[] {
    const addresses = this.addressBook(rec);
    const issues: Json[] = [];
    for (let k = 0; k < n; k++) {
      // The ASG balances zones: the next instance goes to the subnet with the fewest.
      const subnets = (ng.nodegroup.subnets as string[]).map((id) => this.subnet(rec, id));
      const counts = subnets.map((s) => ng.instances.filter((i) => i.subnetId === s.subnetId).length);
      const subnet = subnets[counts.indexOf(Math.min(...counts))];
      try {
        ng.instances.push(this.launch(rec, ng, subnet, addresses, image));
      } catch (e) {
        if (!(e instanceof InsufficientAddressesError)) throw e;
        issues.push({ code: 'Ec2SubnetInvalidConfiguration', message: e.message, resourceIds: [subnet.subnetId] });
        break;
      }
    }
    return issues;
  }

  private readonly launched = new Set<string>();

  /** Boots the group's instances this process has not started yet (records are written first). */
  private bootNew(rec: ClusterRecord, ng: NodegroupRecord): void {
    for (const inst of ng.instances) if (!this.launched.has(inst.instanceId)) this.boot(rec, ng, inst);
  }

  private boot(rec: ClusterRecord, ng: NodegroupRecord, inst: InstanceRecord): void {
    this.launched.add(inst.instanceId);
    this.runtime.launchNode(rec.cluster.name, this.nodeSpec(rec, ng, inst));
  }

  private async terminate(clusterName: string, inst: InstanceRecord): Promise<void> {
    this.launched.delete(inst.instanceId);
    await this.runtime.terminateNode(clusterName, inst.nodeName).catch((e) => this.log(`eks: terminating ${inst.instanceId} failed`, e));
  }

  private addressBook(rec: ClusterRecord): Map<string, SubnetAddresses> {
    const book = new Map<string, SubnetAddresses>();
    for (const s of rec.subnets) book.set(s.subnetId, new SubnetAddresses(s));
    for (const p of this.fargateProfiles.all(rec.region, rec.cluster.name)) {
      for (const ip of p.addresses) for (const a of book.values()) if (a.contains(ip)) a.reserve(ip);
    }
    for (const ng of this.store.list<NodegroupRecord>('nodegroup', `${rec.region}/${rec.cluster.name}/`)) {
      for (const i of ng.instances) {
        const a = book.get(i.subnetId);
        a?.reserve(i.privateIp);
        if (i.podCidr) {
          const [ip, bits] = i.podCidr.split('/');
          a?.reserve(ip, 2 ** (32 - Number(bits)));
        }
      }
    }
    return book;
  }

  private launch(rec: ClusterRecord, ng: NodegroupRecord, subnet: Subnet, book: Map<string, SubnetAddresses>, image: { version: string; ami: string }): InstanceRecord {
    const addresses = book.get(subnet.subnetId)!;
    const type = (ng.nodegroup.instanceTypes as string[])[0];
    const ip = addresses.allocateAddress();
    // VPC CNI hands pods secondary addresses of the node's subnet: a block sized to max pods, or what
    // a crowded subnet still has; with none, the node's pods fail to get an address (/32: the node's own).
    let podCidr: string | undefined;
    for (let n = Number(nodeResources(instanceType(type)!).capacity.pods); n >= 4 && !podCidr; n = Math.floor(n / 2)) podCidr = addresses.allocateBlock(n);
    podCidr ??= `${ip}/32`;
    const r = new Rand(`instance:${rec.cluster.name}:${ng.nodegroup.nodegroupName}:${ip}:${this.clock.now()}`);
    const domain = rec.region === 'us-east-1' ? 'ec2.internal' : `${rec.region}.compute.internal`;
    return { instanceId: `i-${r.hex(17)}`, nodeName: `ip-${ip.replaceAll('.', '-')}.${domain}`, privateIp: ip, zone: subnet.zone, subnetId: subnet.subnetId, podCidr, instanceType: type, version: image.version, ami: image.ami };
  }


  private nodeSpec(rec: ClusterRecord, ng: NodegroupRecord, inst: InstanceRecord): SimNodeSpec {
    const t = instanceType(inst.instanceType)!;
    const res = nodeResources(t, ng.nodegroup.diskSize as number);
    const zoneId = rec.subnets.find((s) => s.subnetId === inst.subnetId)?.zoneId ?? '';
    const g = ng.nodegroup;
    return {
      name: inst.nodeName,
      zone: inst.zone,
      region: rec.region,
      instanceType: inst.instanceType,
      capacity: { ...res.capacity },
      allocatable: { ...res.allocatable },
      providerID: `aws:///${inst.zone}/${inst.instanceId}`,
      addresses: { internalIP: inst.privateIp, hostname: inst.nodeName, internalDNS: inst.nodeName },
      ...(inst.podCidr ? { podIPRange: inst.podCidr } : {}),
      kubeletVersion: `v${releaseVersionFor(inst.version).split('-')[0]}-eks-113cf36`,
      labels: {
        ...(g.labels as Record<string, string>),
        // Managed groups' nodes carry EKS's labels; eksctl's own groups only what eksctl's bootstrap sets.
        ...(ng.selfManaged
          ? { 'alpha.eksctl.io/cluster-name': rec.cluster.name, 'alpha.eksctl.io/nodegroup-name': g.nodegroupName, 'alpha.eksctl.io/instance-id': inst.instanceId, ...(g.capacityType === 'SPOT' ? { 'node-lifecycle': 'spot' } : {}) }
          : {
              'eks.amazonaws.com/capacityType': g.capacityType as string,
              'eks.amazonaws.com/nodegroup': g.nodegroupName,
              'eks.amazonaws.com/nodegroup-image': inst.ami ?? ng.ami,
              'eks.amazonaws.com/sourceLaunchTemplateId': ng.launchTemplateId,
              'eks.amazonaws.com/sourceLaunchTemplateVersion': '1',
            }),
        'k8s.io/cloud-provider-aws': rec.cluster.name,
        'topology.k8s.aws/zone-id': zoneId,
        'topology.ebs.csi.aws.com/zone': inst.zone,
      },
      taints: ((g.taints as Json[] | undefined) ?? []).map((x) => ({ key: x.key as string, ...(x.value !== undefined ? { value: x.value as string } : {}), effect: TAINT_EFFECTS[x.effect as string] })),
    };
  }

  private async finishNodegroupDelete(region: string, clusterName: string, name: string): Promise<void> {
    const ng = this.store.get<NodegroupRecord>('nodegroup', `${region}/${clusterName}/${name}`);
    if (!ng) return;
    await Promise.all(ng.instances.map((i) => this.terminate(clusterName, i)));
    this.store.transaction(() => {
      this.store.delete('nodegroup', `${region}/${clusterName}/${name}`);
      for (const u of this.store.list<UpdateRecord>('update', `${region}/${clusterName}/`)) if (u.nodegroupName === name) this.store.delete('update', updateKey(u));
    });
  }

  private clusterView(rec: ClusterRecord): Json {
    return { ...rec.cluster };
  }

  private nodegroupView(ng: NodegroupRecord): Json {
    return { ...ng.nodegroup };
  }

  private taggable(arn: string): { tags(): Record<string, string>; set(t: Record<string, string>): void } {
    const m = /^arn:aws:eks:([^:]+):(\d{12}):(cluster|nodegroup|addon|fargateprofile)\/([^/]+)(?:\/([^/]+)\/[^/]+)?$/.exec(arn);
    if (m && m[3] === 'cluster') {
      const rec = this.store.get<ClusterRecord>('cluster', `${m[1]}/${m[4]}`);
      if (rec && rec.cluster.arn === arn) {
        return { tags: () => rec.cluster.tags, set: (t) => (rec.cluster.tags = t, this.store.put('cluster', `${m[1]}/${m[4]}`, rec)) };
      }
    }
    // A cluster's sub-resources: <kind>/<cluster>/<name>/<uuid>, each record holding its ARN and tags.
    const sub = m && SUB_RESOURCES[m[3]];
    if (m && sub && m[5]) {
      const key = `${m[1]}/${m[4]}/${m[5]}`;
      const rec = this.store.get<Record<string, Json & { tags: Record<string, string> }>>(sub.kind, key);
      const body = rec?.[sub.field];
      if (rec && body && body[sub.arn] === arn) return { tags: () => body.tags, set: (t) => (body.tags = t, this.store.put(sub.kind, key, rec)) };
    }
    throw new EksError('NotFoundException', 404, `Resource not found: ${arn}`);
  }
}

/** Where each taggable sub-resource keeps its ARN and tags. */
const SUB_RESOURCES: Record<string, { kind: 'nodegroup' | 'addon' | 'fargateProfile'; field: string; arn: string }> = {
  nodegroup: { kind: 'nodegroup', field: 'nodegroup', arn: 'nodegroupArn' },
  addon: { kind: 'addon', field: 'addon', arn: 'addonArn' },
  fargateprofile: { kind: 'fargateProfile', field: 'profile', arn: 'fargateProfileArn' },
};

const TAINT_EFFECTS: Record<string, 'NoSchedule' | 'NoExecute' | 'PreferNoSchedule'> = { NO_SCHEDULE: 'NoSchedule', NO_EXECUTE: 'NoExecute', PREFER_NO_SCHEDULE: 'PreferNoSchedule' };

/** The EKS optimized AMI of a release, one per region, AMI type and release version (as SSM publishes them). */
function amiFor(region: string, amiType: string, releaseVersion: string): string {
  return `ami-${new Rand(`ami:${region}:${amiType}:${releaseVersion}`).hex(17)}`;
}

function releaseVersionFor(version: string): string {
  const patch = CLUSTER_VERSIONS.find((v) => v.version === version)?.patch ?? `${version}.0`;
  return `${patch}-20251016`;
}

/**
 * The VPC skiff imagines behind subnet IDs given to the API (there is no EC2 API to have made
 * them): the i-th is 192.168.(32·i).0/19 in the region's i-th zone, round-robin.
 */
function syntheticSubnet(region: string, subnetId: string, i: number): Subnet {
  const zones = zonesOf(region);
  const z = zones[i % zones.length];
  return { subnetId, cidr: `192.168.${i * 32}.0/19`, zone: z.zone, zoneId: z.zoneId, public: false };
}

function validateScaling(s: { minSize: number; maxSize: number; desiredSize: number }, clusterName: string, nodegroupName: string): void {
  for (const k of ['minSize', 'maxSize', 'desiredSize'] as const) {
    if (!Number.isInteger(s[k]) || s[k] < 0) throw invalidParameter(`${k} must be a non-negative integer`, { clusterName, nodegroupName });
  }
  if (s.maxSize < 1) throw invalidParameter('Maxsize must be greater than or equal to 1', { clusterName, nodegroupName });
  if (s.desiredSize > s.maxSize) throw invalidParameter('Desired capacity:' + s.desiredSize + ' can\'t be greater than max size:' + s.maxSize, { clusterName, nodegroupName });
  if (s.desiredSize < s.minSize) throw invalidParameter('Desired capacity:' + s.desiredSize + ' can\'t be lower than min size:' + s.minSize, { clusterName, nodegroupName });
  if (s.minSize > s.maxSize) throw invalidParameter(`Minimum capacity ${s.minSize} can't be greater than maximum capacity ${s.maxSize}`, { clusterName, nodegroupName });
}

function validateTaint(t: Json, clusterName: string, nodegroupName: string): void {
  if (typeof t.key !== 'string' || !t.key) throw invalidParameter('Taint key is required', { clusterName, nodegroupName });
  if (!TAINT_EFFECTS[t.effect as string]) throw invalidParameter(`Taint effect ${String(t.effect)} is invalid; valid values are NO_SCHEDULE, NO_EXECUTE, PREFER_NO_SCHEDULE`, { clusterName, nodegroupName });
}

const LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];

/** Logging as DescribeCluster reports it: the enabled types in one entry, the rest in another. */
function normaliseLogging(input: Json | undefined, current?: Json): Json {
  const enabled = new Set<string>();
  for (const s of ((current?.clusterLogging as Json[] | undefined) ?? [])) if (s.enabled) for (const t of s.types as string[]) enabled.add(t);
  for (const s of ((input?.clusterLogging as Json[] | undefined) ?? [])) {
    for (const t of (s.types as string[] | undefined) ?? []) {
      if (!LOG_TYPES.includes(t)) throw invalidParameter(`${t} is not a valid log type; valid types are ${LOG_TYPES.join(', ')}`);
      if (s.enabled) enabled.add(t);
      else enabled.delete(t);
    }
  }
  const on = LOG_TYPES.filter((t) => enabled.has(t));
  const off = LOG_TYPES.filter((t) => !enabled.has(t));
  return { clusterLogging: [...(on.length ? [{ types: on, enabled: true }] : []), ...(off.length ? [{ types: off, enabled: false }] : [])] };
}

async function readAwsAuth(handle: ClusterHandle): Promise<Json | undefined> {
  try {
    return (await handle.client.resource(CONFIGMAPS).namespace('kube-system').get('aws-auth')) as unknown as Json;
  } catch {
    return undefined;
  }
}
