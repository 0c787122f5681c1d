// eksctl's ClusterConfig (eksctl.io/v1alpha5): one YAML document decoded strictly, the way eksctl's
// strict decoding does (an unknown field is an error), checked with eksctl's rules and filled in
// with eksctl's defaults (pkg/apis/eksctl.io/v1alpha5: types.go, defaults.go, validation.go). Every
// problem is collected, with its field path and line, so one run reports them all.
//
// The YAML is read as YAML 1.1, as eksctl reads it (sigs.k8s.io/yaml over go-yaml): `yes`/`no` are
// booleans there too. Where skiff differs from eksctl it says so: fields eksctl knows but skiff does
// not simulate are rejected as "not supported by skiff" rather than silently dropped.

import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Scalar } from 'yaml';
import { INSTANCE_TYPES, instanceType } from '../cloud/instance-types.js';
import { ipToInt, zonesOf } from '../cloud/vpc.js';
import { isDNS1123Label, isQualifiedName, isValidLabelValue } from '../apimachinery/validation.js';
import { ADDON_CATALOG } from '../eks/addon-catalog.js';


// ---- the vocabulary --------------------------------------------------------------------------

/** The addons skiff can install as EKS add-ons. */
// The add-ons skiff's EKS offers: a config naming another fails here, not after the cluster is up.
export const KNOWN_ADDONS: readonly string[] = ADDON_CATALOG.map((a) => a.addonName);

/** eksctl's SupportedAMIFamilies (types.go). */
export const AMI_FAMILIES = [
  'AmazonLinux2023',
  'AmazonLinux2',
  'UbuntuPro2604',
  'Ubuntu2604',
  'UbuntuPro2404',
  'Ubuntu2404',
  'UbuntuPro2204',
  'Ubuntu2204',
  'UbuntuPro2004',
  'Ubuntu2004',
  'Bottlerocket',
  'BottlerocketFips',
  'WindowsServer2019CoreContainer',
  'WindowsServer2019FullContainer',
  'WindowsServer2022CoreContainer',
  'WindowsServer2022FullContainer',
  'WindowsServer2025CoreContainer',
  'WindowsServer2025FullContainer',
] as const;
export type AmiFamily = (typeof AMI_FAMILIES)[number];

export const VOLUME_TYPES = ['gp2', 'gp3', 'io1', 'io2', 'sc1', 'st1'] as const;
export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;
export type TaintEffect = (typeof TAINT_EFFECTS)[number];
/** eksctl's SupportedCloudWatchClusterLogTypes (cloudwatch.go); "*" and "all" mean all five. */
export const CLUSTER_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;
export type ClusterLogType = (typeof CLUSTER_LOG_TYPES)[number];
/** eksctl's LogRetentionInDaysValues (cloudwatch.go). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827, 3653];
export const AUTHENTICATION_MODES = ['CONFIG_MAP', 'API', 'API_AND_CONFIG_MAP'] as const;
export type AuthenticationMode = (typeof AUTHENTICATION_MODES)[number];
export const NAT_GATEWAY_MODES = ['HighlyAvailable', 'Single', 'Disable'] as const;
export type NatGatewayMode = (typeof NAT_GATEWAY_MODES)[number];
/** NodeGroupIAMAddonPolicies' fields (iam.go). */
export const ADDON_POLICIES = [
  'imageBuilder',
  'autoScaler',
  'externalDNS',
  'certManager',
  'appMesh',
  'appMeshPreview',
  'ebs',
  'fsx',
  'efs',
  'awsLoadBalancerController',
  'albIngress',
  'xRay',
  'cloudWatch',
] as const;
/** WellKnownPolicies' fields (well_known_iam_policy.go). */
export const WELL_KNOWN_POLICIES = ['imageBuilder', 'autoScaler', 'awsLoadBalancerController', 'externalDNS', 'certManager', 'ebsCSIController', 'efsCSIController'] as const;
/** The processes an ASG can suspend (validateASGSuspendProcesses). */
const ASG_PROCESSES = ['Launch', 'Terminate', 'AddToLoadBalancer', 'AlarmNotification', 'AZRebalance', 'HealthCheck', 'InstanceRefresh', 'ReplaceUnhealthy', 'ScheduledActions'];
const ACCESS_ENTRY_TYPES = ['STANDARD', 'EC2', 'EC2_LINUX', 'EC2_WINDOWS', 'FARGATE_LINUX', 'HYBRID_LINUX'];

/**
 * The defaults applied. eksctl's own: instance type, node count, volume, AMI family, VPC CIDR, NAT,
 * endpoints, authentication mode (types.go, defaults.go). skiff's own: region and version, because
 * skiff's EKS is us-east-1 first and defaults to 1.32 (eksctl's are us-west-2 and its newest version).
 */
export const EKSCTL_DEFAULTS = {
  region: 'us-east-1',
  version: '1.32',
  instanceType: 'm5.large',
  nodeCount: 2,
  /** A managed group whose maxSize would default to 0 gets 1 (eksctl's DefaultMaxSize). */
  managedMaxSize: 1,
  volumeSize: 80,
  volumeType: 'gp3',
  gp3Iops: 3000,
  gp3Throughput: 125,
  amiFamily: 'AmazonLinux2023' as AmiFamily,
  vpcCIDR: '192.168.0.0/16',
  natGateway: 'Single' as NatGatewayMode,
  availabilityZones: 3,
  authenticationMode: 'API_AND_CONFIG_MAP' as AuthenticationMode,
  sshPublicKeyPath: '~/.ssh/id_rsa.pub',
} as const;

/** AmazonLinux2 has no EKS AMIs from this Kubernetes version on (eksctl's AmazonLinux2EOLVersion). */
const AL2_EOL_VERSION = '1.33';

// ---- the normalised config -------------------------------------------------------------------

export interface Taint {
  key: string;
  value?: string;
  effect: TaintEffect;
}

export interface SubnetSpec {
  /** The key under vpc.subnets.public/private: an availability zone or a name. */
  name: string;
  id?: string;
  cidr?: string;
  /** The zone: az, or the key when the key is a zone. */
  az: string;
}

export interface VpcConfig {
  id?: string;
  cidr: string;
  subnets: { public: SubnetSpec[]; private: SubnetSpec[] };
  clusterEndpoints: { publicAccess: boolean; privateAccess: boolean };
  publicAccessCIDRs: string[];
  nat: { gateway: NatGatewayMode };
  securityGroup?: string;
  sharedNodeSecurityGroup?: string;
  manageSharedNodeSecurityGroupRules: boolean;
  controlPlaneSubnetIDs: string[];
  controlPlaneSecurityGroupIDs: string[];
  extraCIDRs: string[];
  hostnameType?: string;
}

export interface NodeGroupIAMConfig {
  withAddonPolicies: Record<(typeof ADDON_POLICIES)[number], boolean>;
  attachPolicyARNs: string[];
  attachPolicy?: Record<string, unknown>;
  instanceRoleARN?: string;
  instanceProfileARN?: string;
  instanceRoleName?: string;
  instanceRolePermissionsBoundary?: string;
}

/** A managed (managedNodeGroups) or self-managed (nodeGroups) node group, defaults applied. */
export interface NodeGroupConfig {
  name: string;
  managed: boolean;
  /** The types the group launches: [instanceType] or instanceTypes; never empty. */
  instanceTypes: string[];
  /** The first of instanceTypes. */
  instanceType: string;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  spot: boolean;
  volumeSize: number;
  volumeType: (typeof VOLUME_TYPES)[number];
  volumeIOPS?: number;
  volumeThroughput?: number;
  volumeEncrypted?: boolean;
  volumeKmsKeyID?: string;
  volumeName?: string;
  amiFamily: AmiFamily;
  ami?: string;
  /** The labels written in the config (eksctl's alpha.eksctl.io labels are added by the plan). */
  labels: Record<string, string>;
  taints: Taint[];
  tags: Record<string, string>;
  privateNetworking: boolean;
  /** The zones written in the config; empty means the cluster's. */
  availabilityZones: string[];
  /** Subnet names (vpc.subnets keys) or IDs written in the config. */
  subnets: string[];
  iam: NodeGroupIAMConfig;
  ssh: { allow: boolean; publicKeyName?: string; publicKeyPath?: string; publicKey?: string; sourceSecurityGroupIds: string[]; enableSsm?: boolean };
  securityGroups: { attachIDs: string[]; withShared: boolean; withLocal: boolean };
  maxPodsPerNode?: number;
  updateConfig?: { maxUnavailable?: number; maxUnavailablePercentage?: number };
  releaseVersion?: string;
  nodeRepairConfig?: { enabled: boolean };
  kubeletExtraConfig?: Record<string, unknown>;
  clusterDNS?: string;
  containerRuntime?: string;
  maxInstanceLifetime?: number;
  targetGroupARNs: string[];
  classicLoadBalancerNames: string[];
  cpuCredits?: string;
  preBootstrapCommands: string[];
  overrideBootstrapCommand?: string;
  disableIMDSv1: boolean;
  disablePodIMDS: boolean;
  propagateASGTags?: boolean;
  asgSuspendProcesses: string[];
  ebsOptimized?: boolean;
  efaEnabled?: boolean;
  enableDetailedMonitoring?: boolean;
  instanceName?: string;
  instancePrefix?: string;
}

export interface FargateProfileConfig {
  name: string;
  selectors: { namespace: string; labels: Record<string, string> }[];
  subnets: string[];
  podExecutionRoleARN?: string;
  tags: Record<string, string>;
}

export interface AddonConfig {
  name: string;
  version?: string;
  serviceAccountRoleARN?: string;
  attachPolicyARNs: string[];
  attachPolicy?: Record<string, unknown>;
  permissionsBoundary?: string;
  wellKnownPolicies: Partial<Record<(typeof WELL_KNOWN_POLICIES)[number], boolean>>;
  /** As JSON: eksctl turns YAML configuration values into JSON before sending them. */
  configurationValues?: string;
  resolveConflicts?: 'none' | 'overwrite' | 'preserve';
  tags: Record<string, string>;
}

export interface ServiceAccountConfig {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  attachPolicyARNs: string[];
  attachPolicy?: Record<string, unknown>;
  attachRoleARN?: string;
  permissionsBoundary?: string;
  wellKnownPolicies: Partial<Record<(typeof WELL_KNOWN_POLICIES)[number], boolean>>;
  roleName?: string;
  roleOnly: boolean;
  tags: Record<string, string>;
}

export interface AccessEntryConfig {
  principalARN: string;
  type?: string;
  kubernetesGroups: string[];
  kubernetesUsername?: string;
  accessPolicies: { policyARN: string; accessScope: { type: 'cluster' | 'namespace'; namespaces: string[] } }[];
}

/** A ClusterConfig after parsing, validation and eksctl's defaults. */
export interface ClusterConfig {
  metadata: { name: string; region: string; version: string; tags: Record<string, string>; annotations: Record<string, string> };
  vpc: VpcConfig;
  /** The cluster's zones: as written, else those of vpc.subnets, else the region's first three. */
  availabilityZones: string[];
  kubernetesNetworkConfig: { ipFamily: 'IPv4'; serviceIPv4CIDR?: string };
  /** managedNodeGroups then nodeGroups, in file order. */
  nodeGroups: NodeGroupConfig[];
  fargateProfiles: FargateProfileConfig[];
  addons: AddonConfig[];
  addonsConfig: { autoApplyPodIdentityAssociations: boolean; disableDefaultAddons: boolean };
  iam: {
    withOIDC: boolean;
    serviceRoleARN?: string;
    serviceRolePermissionsBoundary?: string;
    fargatePodExecutionRoleARN?: string;
    vpcResourceControllerPolicy: boolean;
    serviceAccounts: ServiceAccountConfig[];
  };
  cloudWatch: { clusterLogging: { enableTypes: ClusterLogType[]; logRetentionInDays?: number } };
  accessConfig: { authenticationMode: AuthenticationMode; bootstrapClusterCreatorAdminPermissions: boolean; accessEntries: AccessEntryConfig[] };
  secretsEncryption?: { keyARN: string };
  upgradePolicy?: { supportType: 'STANDARD' | 'EXTENDED' };
  autoModeConfig?: { enabled: false };
}

// ---- errors ----------------------------------------------------------------------------------

/** One thing wrong with a config: the field's path, its line (1-based) when known, and what is wrong. */
export interface ConfigProblem {
  field: string;
  line?: number;
  message: string;
}

/** Every problem of a config file; the message has one `file:line: field: message` line per problem. */
export class ClusterConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: ConfigProblem[],
  ) {
    super(problems.map((p) => formatProblem(file, p)).join('\n'));
    this.name = 'ClusterConfigError';
  }
}

/** `cluster.yaml:12: managedNodeGroups[0].instanceTyp: unknown field "instanceTyp"`. */
export function formatProblem(file: string, p: ConfigProblem): string {
  return `${file}${p.line !== undefined ? `:${p.line}` : ''}: ${p.field ? `${p.field}: ` : ''}${p.message}`;
}

// ---- reading YAML nodes with their lines -----------------------------------------------------

interface Field {
  key: Scalar | null;
  value: unknown;
}

/** A node's field list: which are allowed, which are eksctl's but not skiff's, which belong elsewhere. */
interface Shape {
  fields: readonly string[];
  /** eksctl fields skiff does not simulate. */
  unsupported?: readonly string[];
  /** Fields of the sibling kind, with where they do belong ("managedNodeGroups"). */
  elsewhere?: { fields: readonly string[]; where: string };
}

const join = (path: string, name: string) => (path ? `${path}.${name}` : name);
const quoteList = (xs: readonly string[]) => xs.join(', ');

/** The Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0];
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length];
}

/** The closest known name, when it is close enough to be a typo. */
function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const dd = distance(name, k);
    if (dd < bestD) [best, bestD] = [k, dd];
  }
  return bestD <= Math.max(1, Math.min(3, Math.floor(name.length / 3))) ? best : undefined;
}

const didYouMean = (name: string, known: readonly string[]) => {
  const c = closest(name, known);
  return c === undefined ? '' : ` (did you mean "${c}"?)`;
};

/** The YAML walker: typed reads that record a problem (with the line) and return undefined on a bad value. */
class Reader {
  readonly problems: ConfigProblem[] = [];

  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  line(node: unknown): number | undefined {
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    return range ? this.lines.linePos(range[0]).line : undefined;
  }

  problem(field: string, node: unknown, message: string): void {
    this.problems.push({ field, line: this.line(node), message });
  }

  /** The node behind an alias; an explicit null counts as absent, as in eksctl's JSON decoding. */
  resolve(node: unknown): unknown {
    let n = node;
    for (let i = 0; i < 16 && isAlias(n); i++) n = n.resolve(this.doc);
    if (isScalar(n) && n.value === null) return undefined;
    return n ?? undefined;
  }

  /** A mapping's fields; unknown ones are reported. */
  object(node: unknown, path: string, shape: Shape, keyNode?: unknown): Obj | undefined {
    const n = this.resolve(node);
    if (n === undefined) return undefined;
    if (!isMap(n)) {
      this.problem(path, n, 'must be an object');
      return undefined;
    }
    const fields = new Map<string, Field>();
    const merged: unknown[] = [];
    const take = (pair: { key: unknown; value: unknown }, fromMerge: boolean) => {
      const key = isScalar(pair.key) ? pair.key : null;
      const name = key ? (typeof key.source === 'string' ? key.source : String(key.value)) : String(pair.key);
      const at = join(path, name);
      if (name === '<<' && !fromMerge) {
        // YAML 1.1 merge keys (<<: *anchor, or a list of them): their fields count unless set here.
        const v = this.resolve(pair.value);
        for (const src of isSeq(v) ? v.items : [v]) merged.push(this.resolve(src));
        return;
      }
      if (fields.has(name)) {
        if (!fromMerge) this.problem(at, key ?? pair.value, `duplicate field "${name}"`);
        return;
      }
      if (!shape.fields.includes(name)) {
        if (shape.unsupported?.includes(name)) this.problem(at, key, `field "${name}" is eksctl's but not supported by skiff`);
        else if (shape.elsewhere?.fields.includes(name)) this.problem(at, key, `unknown field "${name}" (it is only valid in ${shape.elsewhere.where})`);
        else this.problem(at, key, `unknown field "${name}"${closest(name, shape.fields) ? `; did you mean "${closest(name, shape.fields)}"?` : ''}`);
        return;
      }
      fields.set(name, { key, value: pair.value });
    };
    for (const pair of n.items) take(pair, false);
    for (const src of merged) {
      if (!isMap(src)) {
        this.problem(join(path, '<<'), src, 'a merge key must refer to a mapping');
        continue;
      }
      for (const pair of src.items) take(pair, true);
    }
    return new Obj(this, path, n, fields, keyNode);
  }

  /** A mapping with any keys (labels, tags, kubeletExtraConfig). */
  entries(node: unknown, path: string): { key: string; keyNode: unknown; value: unknown }[] | undefined {
    const n = this.resolve(node);
    if (n === undefined) return undefined;
    if (!isMap(n)) {
      this.problem(path, n, 'must be a map');
      return undefined;
    }
    const seen = new Set<string>();
    const out: { key: string; keyNode: unknown; value: unknown }[] = [];
    for (const pair of n.items) {
      const key = isScalar(pair.key) ? (typeof pair.key.source === 'string' ? pair.key.source : String(pair.key.value)) : String(pair.key);
      if (seen.has(key)) {
        this.problem(`${path}[${JSON.stringify(key)}]`, pair.key, `duplicate key "${key}"`);
        continue;
      }
      seen.add(key);
      out.push({ key, keyNode: pair.key, value: pair.value });
    }
    return out;
  }

  /** A mapping's key nodes by name, read without reporting anything (entries() already has). */
  keyNodes(node: unknown): Map<string, unknown> {
    const n = this.resolve(node);
    const out = new Map<string, unknown>();
    if (!isMap(n)) return out;
    for (const pair of n.items) {
      const key = isScalar(pair.key) ? (typeof pair.key.source === 'string' ? pair.key.source : String(pair.key.value)) : String(pair.key);
      if (!out.has(key)) out.set(key, pair.key);
    }
    return out;
  }

  list(node: unknown, path: string): unknown[] | undefined {
    const n = this.resolve(node);
    if (n === undefined) return undefined;
    if (!isSeq(n)) {
      this.problem(path, n, 'must be a list');
      return undefined;
    }
    return n.items;
  }

  string(node: unknown, path: string): string | undefined {
    const n = this.resolve(node);
    if (n === undefined) return undefined;
    if (isScalar(n) && typeof n.value === 'string') return n.value;
    const quoted = isScalar(n) && (typeof n.value === 'number' || typeof n.value === 'boolean') ? ` (quote it: "${n.source ?? String(n.value)}")` : '';
    this.problem(path, n, `must be a string${quoted}`);
    return undefined;
  }

  boolean(node: unknown, path: string): boolean | undefined {
    const n = this.resolve(node);
    if (n === undefined) return undefined;
    if (isScalar(n) && typeof n.value === 'boolean') return n.value;
    this.problem(path, n, 'must be true or false');
    return undefined;
  }

  integer(node: unknown, path: string, min = 0): number | undefined {
    const n = this.resolve(node);
    if (n === undefined) return undefined;
    if (isScalar(n) && typeof n.value === 'number' && Number.isInteger(n.value) && n.value >= min) return n.value;
    this.problem(path, n, min === 0 ? 'must be a non-negative integer' : min === 1 ? 'must be a positive integer' : `must be an integer of at least ${min}`);
    return undefined;
  }

  strings(node: unknown, path: string): string[] | undefined {
    const items = this.list(node, path);
    if (!items) return undefined;
    const out: string[] = [];
    items.forEach((item, i) => {
      const s = this.string(item, `${path}[${i}]`);
      if (s !== undefined) out.push(s);
    });
    return out;
  }

  stringMap(node: unknown, path: string): Record<string, string> | undefined {
    const entries = this.entries(node, path);
    if (!entries) return undefined;
    const out: Record<string, string> = {};
    for (const e of entries) {
      const v = this.string(e.value, `${path}.${e.key}`);
      if (v !== undefined) out[e.key] = v;
    }
    return out;
  }

  /** A node as plain JSON-like data, aliases and merge keys resolved. */
  toJS(node: unknown): unknown {
    const n = this.resolve(node);
    return n === undefined ? undefined : (n as { toJS(doc: Document): unknown }).toJS(this.doc);
  }
}

/** A mapping's allowed fields, read by name; each read reports problems under path.name. */
class Obj {
  constructor(
    readonly r: Reader,
    readonly path: string,
    readonly node: unknown,
    private readonly fields: Map<string, Field>,
    /** The key this mapping is the value of: where a missing field is reported. */
    private readonly keyNode?: unknown,
  ) {}

  has(name: string): boolean {
    return this.fields.has(name) && this.r.resolve(this.fields.get(name)!.value) !== undefined;
  }
  value(name: string): unknown {
    return this.fields.get(name)?.value;
  }
  /** The value node, else the key, else this mapping's own key or the mapping: the best place to point at. */
  at(name: string): unknown {
    const f = this.fields.get(name);
    return this.r.resolve(f?.value) ?? f?.key ?? this.keyNode ?? this.node;
  }
  path_(name: string): string {
    return join(this.path, name);
  }
  problem(name: string, message: string): void {
    this.r.problem(this.path_(name), this.at(name), message);
  }
  string(name: string): string | undefined {
    return this.r.string(this.value(name), this.path_(name));
  }
  boolean(name: string): boolean | undefined {
    return this.r.boolean(this.value(name), this.path_(name));
  }
  integer(name: string, min = 0): number | undefined {
    return this.r.integer(this.value(name), this.path_(name), min);
  }
  strings(name: string): string[] | undefined {
    return this.r.strings(this.value(name), this.path_(name));
  }
  stringMap(name: string): Record<string, string> | undefined {
    return this.r.stringMap(this.value(name), this.path_(name));
  }
  object(name: string, shape: Shape): Obj | undefined {
    return this.r.object(this.value(name), this.path_(name), shape, this.fields.get(name)?.key ?? undefined);
  }
  list(name: string): unknown[] | undefined {
    return this.r.list(this.value(name), this.path_(name));
  }
  /** A string from a fixed set; case-insensitive when asked (eksctl normalises amiFamily's case). */
  oneOf<T extends string>(name: string, allowed: readonly T[], caseInsensitive = false): T | undefined {
    const s = this.string(name);
    if (s === undefined) return undefined;
    const hit = allowed.find((a) => a === s || (caseInsensitive && a.toLowerCase() === s.toLowerCase()));
    if (hit === undefined) this.problem(name, `unsupported value "${s}"; supported values: ${quoteList(allowed)}`);
    return hit;
  }
  /** A JSON-like object (attachPolicy, kubeletExtraConfig). */
  anyObject(name: string): Record<string, unknown> | undefined {
    const n = this.r.resolve(this.value(name));
    if (n === undefined) return undefined;
    if (!isMap(n)) {
      this.problem(name, 'must be an object');
      return undefined;
    }
    return this.r.toJS(n) as Record<string, unknown>;
  }
}

// ---- field checks ----------------------------------------------------------------------------

const NAME_RE = /^[a-zA-Z][-a-zA-Z0-9]*$/;
const ARN_RE = /^arn:[a-z-]+:[a-z0-9-]*:[a-z0-9-]*:(\d{12}|aws)?:.+$/;
const IPV4_CIDR_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** eksctl's ErrInvalidName wording. */
const invalidName = (name: string) => `validation for ${name} failed, name must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`;

/** An IPv4 CIDR's base address and prefix, or a reason it is not one. */
function ipv4Cidr(s: string): { base: number; prefix: number } | string {
  const m = IPV4_CIDR_RE.exec(s);
  if (!m || m.slice(1, 5).some((o) => Number(o) > 255 || (o.length > 1 && o.startsWith('0'))) || Number(m[5]) > 32) return `"${s}" is not a valid IPv4 CIDR`;
  const prefix = Number(m[5]);
  const ip = ipToInt(m.slice(1, 5).join('.'));
  const size = 2 ** (32 - prefix);
  if (ip % size !== 0) return `"${s}" is not a network address (host bits are set)`;
  return { base: ip, prefix };
}

const cidrContains = (outer: { base: number; prefix: number }, inner: { base: number; prefix: number }) =>
  inner.prefix >= outer.prefix && inner.base >= outer.base && inner.base < outer.base + 2 ** (32 - outer.prefix);
const cidrOverlap = (a: { base: number; prefix: number }, b: { base: number; prefix: number }) => cidrContains(a, b) || cidrContains(b, a);

/** The kubelet labels kubelet may set under kubernetes.io (k8s.io/kubelet/pkg/apis well_known_labels). */
const KUBELET_LABELS = new Set([
  'kubernetes.io/hostname',
  'topology.kubernetes.io/zone',
  'topology.kubernetes.io/region',
  'failure-domain.beta.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/region',
  'beta.kubernetes.io/instance-type',
  'node.kubernetes.io/instance-type',
  'kubernetes.io/os',
  'kubernetes.io/arch',
  'beta.kubernetes.io/os',
  'beta.kubernetes.io/arch',
]);
const isKubernetesNamespace = (ns: string) => ns === 'kubernetes.io' || ns.endsWith('.kubernetes.io') || ns === 'k8s.io' || ns.endsWith('.k8s.io');
const isKubeletLabel = (key: string, ns: string) =>
  KUBELET_LABELS.has(key) || ['kubelet.kubernetes.io', 'node.kubernetes.io'].some((allowed) => ns === allowed || ns.endsWith(`.${allowed}`));

/** eksctl's validateLabels: qualified keys, valid values, no kubernetes.io/k8s.io keys the kubelet may not set. */
function checkLabels(r: Reader, o: Obj, name: string, labels: Record<string, string>, nodeLabels: boolean): void {
  const nodes = r.keyNodes(o.value(name));
  for (const [key, value] of Object.entries(labels)) {
    const at = `${o.path_(name)}.${key}`;
    const node = nodes.get(key) ?? o.at(name);
    const keyErrs = isQualifiedName(key);
    if (keyErrs.length) r.problem(at, node, `label "${key}" is invalid - ${keyErrs.join('; ')}`);
    const valueErrs = isValidLabelValue(value);
    if (valueErrs.length) r.problem(at, node, `label "${key}" has invalid value "${value}" - ${valueErrs.join('; ')}`);
    const parts = key.split('/');
    if (nodeLabels && parts.length === 2 && isKubernetesNamespace(parts[0]) && !isKubeletLabel(key, parts[0])) {
      r.problem(at, node, `label "${key}" is disallowed: the prefixes kubernetes.io/ and k8s.io/ are reserved`);
    }
  }
}

/** AWS's tag rules: keys up to 128 characters, values up to 256, no aws: prefix. */
function checkTags(o: Obj, name: string, tags: Record<string, string>): void {
  for (const [key, value] of Object.entries(tags)) {
    if (key.length === 0 || key.length > 128) o.problem(name, `tag key "${key}" must be 1 to 128 characters`);
    if (key.toLowerCase().startsWith('aws:')) o.problem(name, `tag key "${key}" uses the reserved prefix aws:`);
    if (value.length > 256) o.problem(name, `tag "${key}" has a value longer than 256 characters`);
  }
}

function checkArn(o: Obj, name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!ARN_RE.test(value)) {
    o.problem(name, `"${value}" is not a valid ARN`);
    return undefined;
  }
  return value;
}

function checkArns(o: Obj, name: string): string[] {
  const arns = o.strings(name) ?? [];
  arns.forEach((a, i) => {
    if (!ARN_RE.test(a)) o.r.problem(`${o.path_(name)}[${i}]`, (o.r.resolve(o.value(name)) as { items: unknown[] }).items[i], `"${a}" is not a valid ARN`);
  });
  return arns;
}

function wellKnown(o: Obj | undefined): Partial<Record<(typeof WELL_KNOWN_POLICIES)[number], boolean>> {
  const out: Partial<Record<(typeof WELL_KNOWN_POLICIES)[number], boolean>> = {};
  if (!o) return out;
  for (const p of WELL_KNOWN_POLICIES) {
    const b = o.boolean(p);
    if (b !== undefined) out[p] = b;
  }
  return out;
}

/** The entries whose value is set, for optional fields. */
const definedOnly = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** Compares "1.32"-style versions. */
function versionAtLeast(v: string, min: string): boolean {
  const [a, b] = v.split('.').map(Number);
  const [c, d] = min.split('.').map(Number);
  return a > c || (a === c && b >= d);
}

// ---- the sections ----------------------------------------------------------------------------

const NODEGROUP_BASE = [
  'name',
  'amiFamily',
  'instanceType',
  'availabilityZones',
  'subnets',
  'instancePrefix',
  'instanceName',
  'volumeSize',
  'ssh',
  'labels',
  'privateNetworking',
  'tags',
  'iam',
  'ami',
  'securityGroups',
  'maxPodsPerNode',
  'asgSuspendProcesses',
  'ebsOptimized',
  'volumeType',
  'volumeName',
  'volumeEncrypted',
  'volumeKmsKeyID',
  'volumeIOPS',
  'volumeThroughput',
  'preBootstrapCommands',
  'overrideBootstrapCommand',
  'propagateASGTags',
  'disableIMDSv1',
  'disablePodIMDS',
  'efaEnabled',
  'enableDetailedMonitoring',
  'desiredCapacity',
  'minSize',
  'maxSize',
  'taints',
  'updateConfig',
] as const;
const NODEGROUP_BASE_UNSUPPORTED = ['additionalVolumes', 'placement', 'instanceSelector', 'bottlerocket', 'capacityReservation', 'instanceMarketOptions', 'outpostARN'];
const MANAGED_ONLY = ['instanceTypes', 'spot', 'releaseVersion', 'nodeRepairConfig'];
const MANAGED_UNSUPPORTED = ['launchTemplate'];
const UNMANAGED_ONLY = ['kubeletExtraConfig', 'clusterDNS', 'containerRuntime', 'maxInstanceLifetime', 'targetGroupARNs', 'classicLoadBalancerNames', 'cpuCredits'];
const UNMANAGED_UNSUPPORTED = ['instancesDistribution', 'asgMetricsCollection', 'localZones', 'enclaveEnabled'];

interface ZoneInfo {
  region: string;
  regionZones: string[];
}

/** One node group, as written plus eksctl's per-group defaults; cross-group checks come later. */
function readNodeGroup(r: Reader, node: unknown, path: string, managed: boolean, version: string | undefined, zones: ZoneInfo): (NodeGroupConfig & { nameNode: unknown }) | undefined {
  const o = r.object(node, path, {
    fields: [...NODEGROUP_BASE, ...(managed ? MANAGED_ONLY : UNMANAGED_ONLY)],
    unsupported: [...NODEGROUP_BASE_UNSUPPORTED, ...(managed ? MANAGED_UNSUPPORTED : UNMANAGED_UNSUPPORTED)],
    elsewhere: managed ? { fields: [...UNMANAGED_ONLY, ...UNMANAGED_UNSUPPORTED], where: 'nodeGroups' } : { fields: [...MANAGED_ONLY, ...MANAGED_UNSUPPORTED], where: 'managedNodeGroups' },
  });
  if (!o) {
    if (r.resolve(node) === undefined) r.problem(path, node, 'must be an object');
    return undefined;
  }

  const name = o.string('name');
  if (name === undefined && !o.has('name')) o.problem('name', 'must be set');
  else if (name !== undefined && !NAME_RE.test(name)) o.problem('name', invalidName(name));

  // Instance types: one of instanceType and instanceTypes, each from skiff's catalog.
  const catalog = [...INSTANCE_TYPES.keys()];
  const checkType = (t: string, at: string, atNode: unknown) => {
    if (!instanceType(t)) r.problem(at, atNode, `unknown instance type "${t}"${didYouMean(t, catalog)}; skiff's catalog has ${quoteList(catalog)}`);
  };
  const single = o.string('instanceType');
  if (single !== undefined) checkType(single, o.path_('instanceType'), o.at('instanceType'));
  let instanceTypes: string[] = [];
  if (managed && o.has('instanceTypes')) {
    instanceTypes = o.strings('instanceTypes') ?? [];
    const items = (r.resolve(o.value('instanceTypes')) as { items?: unknown[] } | undefined)?.items ?? [];
    instanceTypes.forEach((t, i) => checkType(t, `${o.path_('instanceTypes')}[${i}]`, items[i]));
    if (instanceTypes.length === 0) o.problem('instanceTypes', 'must list at least one instance type');
    if (new Set(instanceTypes).size !== instanceTypes.length) o.problem('instanceTypes', 'lists an instance type twice');
    if (single !== undefined) r.problem(path, o.at('instanceTypes'), `only one of instanceType or instanceTypes can be specified (${path})`);
  }
  if (single !== undefined) instanceTypes = [single];
  if (instanceTypes.length === 0) instanceTypes = [EKSCTL_DEFAULTS.instanceType];

  // Scaling, as eksctl's ValidateManagedNodeGroup (and NodeGroupResourceSet) fill it in: minSize
  // from desiredCapacity or 2, maxSize from desiredCapacity or minSize, desiredCapacity from minSize.
  const minSet = o.integer('minSize');
  const maxSet = o.integer('maxSize');
  const desiredSet = o.integer('desiredCapacity');
  const minSize = minSet ?? desiredSet ?? EKSCTL_DEFAULTS.nodeCount;
  let maxSize = maxSet ?? desiredSet ?? minSize;
  if (maxSet === undefined && maxSize === 0 && managed) maxSize = EKSCTL_DEFAULTS.managedMaxSize;
  const desiredCapacity = desiredSet ?? minSize;
  if (minSet !== undefined && desiredSet !== undefined && desiredSet < minSet) {
    o.problem('desiredCapacity', `desiredCapacity (${desiredSet}) cannot be lower than minSize (${minSet})`);
  } else if (maxSet !== undefined && desiredSet !== undefined && desiredSet > maxSet) {
    o.problem('desiredCapacity', `desiredCapacity (${desiredSet}) cannot be greater than maxSize (${maxSet})`);
  } else if (managed && maxSet === 0) {
    o.problem('maxSize', 'must be at least 1 for a managed nodegroup (EKS requires maxSize >= 1)');
  } else if (maxSet !== undefined && minSize > maxSet) {
    const what = minSet !== undefined ? `${minSize}` : desiredSet !== undefined ? `${minSize}, from desiredCapacity` : `${minSize}, eksctl's default`;
    o.problem(minSet !== undefined ? 'minSize' : 'maxSize', `minSize (${what}) cannot be greater than maxSize (${maxSet})`);
  }

  // Volumes.
  const volumeSize = o.integer('volumeSize', 1) ?? EKSCTL_DEFAULTS.volumeSize;
  const volumeType = o.oneOf('volumeType', VOLUME_TYPES) ?? EKSCTL_DEFAULTS.volumeType;
  let volumeIOPS = o.integer('volumeIOPS', 1);
  let volumeThroughput = o.integer('volumeThroughput', 1);
  if (volumeIOPS !== undefined && !['gp3', 'io1', 'io2'].includes(volumeType)) o.problem('volumeIOPS', `${path}.volumeIOPS is only supported for io1, io2 and gp3 volume types`);
  if (volumeThroughput !== undefined && volumeType !== 'gp3') o.problem('volumeThroughput', `${path}.volumeThroughput is only supported for gp3 volume type`);
  if (volumeType === 'gp3') {
    if (volumeIOPS !== undefined && (volumeIOPS < 3000 || volumeIOPS > 16000)) o.problem('volumeIOPS', `value for ${path}.volumeIOPS must be within range 3000-16000`);
    if (volumeThroughput !== undefined && (volumeThroughput < 125 || volumeThroughput > 1000)) o.problem('volumeThroughput', `value for ${path}.volumeThroughput must be within range 125-1000`);
    volumeIOPS ??= EKSCTL_DEFAULTS.gp3Iops;
    volumeThroughput ??= EKSCTL_DEFAULTS.gp3Throughput;
  }
  const volumeEncrypted = o.boolean('volumeEncrypted');
  const volumeKmsKeyID = o.string('volumeKmsKeyID');
  if (volumeKmsKeyID !== undefined && volumeEncrypted !== true) o.problem('volumeKmsKeyID', `${path}.volumeKmsKeyID can not be set without ${path}.volumeEncrypted enabled explicitly`);

  // AMI.
  const amiFamily = o.oneOf('amiFamily', AMI_FAMILIES, true) ?? EKSCTL_DEFAULTS.amiFamily;
  if (amiFamily === 'AmazonLinux2' && version !== undefined && versionAtLeast(version, AL2_EOL_VERSION)) {
    o.problem('amiFamily', `AmazonLinux2 is not supported for Kubernetes version ${version}`);
  }
  const ami = o.string('ami');
  if (ami !== undefined) {
    if (!/^ami-[0-9a-f]{8,17}$/.test(ami)) o.problem('ami', `invalid AMI "${ami}" (${path}.ami)`);
    if (!o.has('amiFamily')) o.problem('ami', 'when using a custom AMI, amiFamily needs to be explicitly set via config file or via --node-ami-family flag');
  }

  // Labels and taints.
  const labels = o.stringMap('labels') ?? {};
  checkLabels(r, o, 'labels', labels, true);
  const taints = readTaints(r, o);

  const tags = o.stringMap('tags') ?? {};
  checkTags(o, 'tags', tags);

  // Placement.
  const privateNetworking = o.boolean('privateNetworking') ?? false;
  const availabilityZones = o.strings('availabilityZones') ?? [];
  const azItems = (r.resolve(o.value('availabilityZones')) as { items?: unknown[] } | undefined)?.items ?? [];
  availabilityZones.forEach((z, i) => {
    if (!zones.regionZones.includes(z)) r.problem(`${o.path_('availabilityZones')}[${i}]`, azItems[i], `${z} is not an availability zone of ${zones.region} (${quoteList(zones.regionZones)})`);
  });
  const subnets = o.strings('subnets') ?? [];
  if (availabilityZones.length > 0 && subnets.length > 0) o.problem('subnets', `only one of ${path}.subnets or ${path}.availabilityZones should be set`);

  // IAM.
  const iam = readNodeGroupIAM(r, o, managed);

  // SSH.
  const sshObj = o.object('ssh', { fields: ['allow', 'publicKeyName', 'publicKeyPath', 'publicKey', 'sourceSecurityGroupIds', 'enableSsm'] });
  const ssh: NodeGroupConfig['ssh'] = { allow: false, sourceSecurityGroupIds: [] };
  if (sshObj) {
    const allow = sshObj.boolean('allow');
    const publicKeyName = sshObj.string('publicKeyName');
    const publicKeyPath = sshObj.string('publicKeyPath');
    const publicKey = sshObj.string('publicKey');
    const keys = [publicKeyName, publicKeyPath, publicKey].filter((k) => k !== undefined).length;
    if (keys > 1) r.problem(sshObj.path, sshObj.node, 'only one of publicKeyName, publicKeyPath or publicKey can be specified for SSH per node-group');
    ssh.allow = keys > 0 ? allow !== false : allow === true;
    if (publicKeyName !== undefined) ssh.publicKeyName = publicKeyName;
    if (publicKeyPath !== undefined) ssh.publicKeyPath = publicKeyPath;
    if (publicKey !== undefined) ssh.publicKey = publicKey;
    if (keys === 0 && ssh.allow) ssh.publicKeyPath = EKSCTL_DEFAULTS.sshPublicKeyPath;
    ssh.sourceSecurityGroupIds = sshObj.strings('sourceSecurityGroupIds') ?? [];
    const enableSsm = sshObj.boolean('enableSsm');
    if (enableSsm === false) sshObj.problem('enableSsm', 'SSM agent is now built into EKS AMIs and cannot be disabled');
    if (enableSsm !== undefined) ssh.enableSsm = enableSsm;
  }

  const sgObj = o.object('securityGroups', { fields: ['attachIDs', 'withShared', 'withLocal'] });
  const securityGroups = { attachIDs: sgObj?.strings('attachIDs') ?? [], withShared: sgObj?.boolean('withShared') ?? !managed, withLocal: sgObj?.boolean('withLocal') ?? !managed };
  if (managed && (securityGroups.withShared || securityGroups.withLocal)) {
    o.problem('securityGroups', `securityGroups.withLocal and securityGroups.withShared are not supported for managed nodegroups (${path}.securityGroups)`);
  }

  const maxPodsPerNode = o.integer('maxPodsPerNode', 1);

  // updateConfig: EKS's default is maxUnavailable 1 for managed groups.
  let updateConfig: NodeGroupConfig['updateConfig'] = managed ? { maxUnavailable: 1 } : undefined;
  const uc = o.object('updateConfig', { fields: ['maxUnavailable', 'maxUnavailablePercentage'] });
  if (uc) {
    const maxUnavailable = uc.integer('maxUnavailable', 1);
    const pct = uc.integer('maxUnavailablePercentage', 1);
    if (!uc.has('maxUnavailable') && !uc.has('maxUnavailablePercentage')) {
      r.problem(uc.path, uc.node, 'invalid UpdateConfig: maxUnavailable or maxUnavailablePercentage must be defined');
    } else if (maxUnavailable !== undefined && pct !== undefined) {
      r.problem(uc.path, uc.node, `cannot use maxUnavailable=${maxUnavailable} and maxUnavailablePercentage=${pct} at the same time`);
    }
    if (pct !== undefined && pct > 100) uc.problem('maxUnavailablePercentage', 'must be between 1 and 100');
    if (maxUnavailable !== undefined && maxUnavailable > maxSize) uc.problem('maxUnavailable', `maxUnavailable=${maxUnavailable} cannot be greater than maxSize=${maxSize}`);
    updateConfig = {};
    if (maxUnavailable !== undefined) updateConfig.maxUnavailable = maxUnavailable;
    if (pct !== undefined) updateConfig.maxUnavailablePercentage = pct;
  }

  const asgSuspendProcesses = o.strings('asgSuspendProcesses') ?? [];
  for (const p of asgSuspendProcesses) if (!ASG_PROCESSES.includes(p)) o.problem('asgSuspendProcesses', `asgSuspendProcesses contains invalid process name '${p}'`);

  const preBootstrapCommands = o.strings('preBootstrapCommands') ?? [];
  const overrideBootstrapCommand = o.string('overrideBootstrapCommand');
  if (amiFamily.startsWith('Bottlerocket')) {
    for (const f of ['preBootstrapCommands', 'overrideBootstrapCommand']) {
      if (o.has(f)) o.problem(f, `${f} is not supported for ${amiFamily} nodegroups (path=${path}.${f})`);
    }
  }
  if (managed && overrideBootstrapCommand !== undefined && ami === undefined) {
    o.problem('overrideBootstrapCommand', `${path}.overrideBootstrapCommand can only be set when a custom AMI (${path}.ami) is specified`);
  }

  const ng: NodeGroupConfig & { nameNode: unknown } = {
    name: name ?? '',
    nameNode: o.at('name'),
    managed,
    instanceTypes,
    instanceType: instanceTypes[0],
    minSize,
    maxSize,
    desiredCapacity,
    spot: (managed && o.boolean('spot')) || false,
    volumeSize,
    volumeType,
    amiFamily,
    labels,
    taints,
    tags,
    privateNetworking,
    availabilityZones,
    subnets,
    iam,
    ssh,
    securityGroups,
    targetGroupARNs: [],
    classicLoadBalancerNames: [],
    preBootstrapCommands,
    disableIMDSv1: o.boolean('disableIMDSv1') ?? true,
    disablePodIMDS: o.boolean('disablePodIMDS') ?? false,
    asgSuspendProcesses,
  };
  const optional = {
    volumeIOPS,
    volumeThroughput,
    volumeEncrypted,
    volumeKmsKeyID,
    volumeName: o.string('volumeName'),
    ami,
    maxPodsPerNode,
    updateConfig,
    overrideBootstrapCommand,
    propagateASGTags: o.boolean('propagateASGTags'),
    ebsOptimized: o.boolean('ebsOptimized'),
    efaEnabled: o.boolean('efaEnabled'),
    enableDetailedMonitoring: o.boolean('enableDetailedMonitoring'),
    instanceName: o.string('instanceName'),
    instancePrefix: o.string('instancePrefix'),
  };
  Object.assign(ng, definedOnly(optional));
  if (ng.disablePodIMDS && Object.values(iam.withAddonPolicies).some(Boolean)) {
    o.problem('disablePodIMDS', `${path}.disablePodIMDS and ${path}.iam.withAddonPolicies cannot be set at the same time`);
  }

  if (managed) {
    const releaseVersion = o.string('releaseVersion');
    if (releaseVersion !== undefined) ng.releaseVersion = releaseVersion;
    const repair = o.object('nodeRepairConfig', { fields: ['enabled'], unsupported: ['maxUnhealthyNodeThresholdPercentage', 'maxUnhealthyNodeThresholdCount', 'maxParallelNodesRepairedPercentage', 'maxParallelNodesRepairedCount', 'nodeRepairConfigOverrides'] });
    if (repair) ng.nodeRepairConfig = { enabled: repair.boolean('enabled') ?? false };
  } else {
    const kubeletExtraConfig = o.anyObject('kubeletExtraConfig');
    if (kubeletExtraConfig) {
      // eksctl refuses overrides of the settings its bootstrap depends on (validateNodeGroupKubeletExtraConfig).
      for (const k of ['kind', 'apiVersion', 'address', 'clusterDomain', 'authentication', 'authorization', 'serverTLSBootstrap']) {
        if (k in kubeletExtraConfig) o.problem('kubeletExtraConfig', `cannot override "${k}" in kubelet config, as it's critical to eksctl functionality`);
      }
      ng.kubeletExtraConfig = kubeletExtraConfig;
    }
    const clusterDNS = o.string('clusterDNS');
    if (clusterDNS !== undefined) ng.clusterDNS = clusterDNS;
    const containerRuntime = o.string('containerRuntime');
    if (containerRuntime !== undefined) {
      if (containerRuntime !== 'containerd') o.problem('containerRuntime', 'only containerd is supported for container runtime, starting with EKS version 1.24');
      ng.containerRuntime = containerRuntime;
    }
    const maxInstanceLifetime = o.integer('maxInstanceLifetime');
    if (maxInstanceLifetime !== undefined) {
      if (maxInstanceLifetime < 86400) o.problem('maxInstanceLifetime', `maximum instance lifetime must have a minimum value of 86,400 seconds (one day), but was: ${maxInstanceLifetime}`);
      ng.maxInstanceLifetime = maxInstanceLifetime;
    }
    ng.targetGroupARNs = checkArns(o, 'targetGroupARNs');
    ng.classicLoadBalancerNames = o.strings('classicLoadBalancerNames') ?? [];
    const cpuCredits = o.string('cpuCredits');
    if (cpuCredits !== undefined) {
      if (!['standard', 'unlimited'].includes(cpuCredits.toLowerCase())) o.problem('cpuCredits', "cpuCredits option accepts only one of 'standard' or 'unlimited'");
      else if (!instanceTypes.some((t) => /^t[23]/.test(t))) o.problem('cpuCredits', 'cpuCredits option set for nodegroup, but it has no t2/t3 instance types');
      ng.cpuCredits = cpuCredits;
    }
  }
  return ng;
}

/** Taints in either of eksctl's forms: a list of {key, value, effect} or a map key: "value:Effect". */
function readTaints(r: Reader, o: Obj): Taint[] {
  const path = o.path_('taints');
  const n = r.resolve(o.value('taints'));
  if (n === undefined) return [];
  const out: Taint[] = [];
  const check = (t: { key?: string; value?: string; effect?: string }, at: string, node: unknown) => {
    if (!t.key) {
      r.problem(at, node, 'taint key must be non-empty');
      return;
    }
    const keyErrs = isQualifiedName(t.key);
    if (keyErrs.length) r.problem(at, node, `invalid taint key: ${t.key}, ${keyErrs.join('; ')}`);
    if (t.value) {
      const valueErrs = isValidLabelValue(t.value);
      if (valueErrs.length) r.problem(at, node, `invalid taint value: ${t.value}, ${valueErrs.join('; ')}`);
    }
    if (!TAINT_EFFECTS.includes(t.effect as TaintEffect)) {
      r.problem(at, node, `invalid taint effect: ${t.effect ?? ''}, unsupported taint effect. Valid taint effects are: NoSchedule, NoExecute and PreferNoSchedule`);
      return;
    }
    if (keyErrs.length) return;
    out.push({ key: t.key, ...(t.value ? { value: t.value } : {}), effect: t.effect as TaintEffect });
  };
  if (isMap(n)) {
    // eksctl's taintsWrapper: "value:Effect" or ":Effect" (or just "Effect").
    for (const e of r.entries(n, path) ?? []) {
      const at = `${path}.${e.key}`;
      const spec = r.string(e.value, at);
      if (spec === undefined) continue;
      const parts = spec.split(':');
      const [value, effect] = parts.length === 1 ? ['', parts[0]] : parts.length === 2 ? parts : ['', ''];
      if (parts.length > 2) {
        r.problem(at, r.resolve(e.value), `"${spec}" must be "value:Effect" or ":Effect"`);
        continue;
      }
      check({ key: e.key, value, effect }, at, r.resolve(e.value) ?? e.keyNode);
    }
    return out;
  }
  if (!isSeq(n)) {
    r.problem(path, n, 'taints must be a {string: string} or a [{key, value, effect}]');
    return [];
  }
  n.items.forEach((item, i) => {
    const at = `${path}[${i}]`;
    const t = r.object(item, at, { fields: ['key', 'value', 'effect'] });
    if (!t) {
      if (r.resolve(item) === undefined) r.problem(at, item, 'must be an object');
      return;
    }
    check({ key: t.string('key'), value: t.string('value'), effect: t.string('effect') }, at, t.node);
  });
  return out;
}

function readNodeGroupIAM(r: Reader, o: Obj, managed: boolean): NodeGroupIAMConfig {
  const path = o.path;
  const iam: NodeGroupIAMConfig = {
    withAddonPolicies: Object.fromEntries(ADDON_POLICIES.map((p) => [p, false])) as NodeGroupIAMConfig['withAddonPolicies'],
    attachPolicyARNs: [],
  };
  const io = o.object('iam', {
    fields: ['attachPolicy', 'attachPolicyARNs', 'instanceProfileARN', 'instanceRoleARN', 'instanceRoleName', 'instanceRolePermissionsBoundary', 'withAddonPolicies'],
  });
  if (!io) return iam;
  const wap = io.object('withAddonPolicies', { fields: ADDON_POLICIES });
  if (wap) for (const p of ADDON_POLICIES) iam.withAddonPolicies[p] = wap.boolean(p) ?? false;
  if (iam.withAddonPolicies.albIngress && iam.withAddonPolicies.awsLoadBalancerController) {
    r.problem(io.path_('withAddonPolicies'), io.at('withAddonPolicies'), '"awsLoadBalancerController" and "albIngress" cannot both be configured, please use "awsLoadBalancerController" as "albIngress" is deprecated');
  }
  iam.attachPolicyARNs = checkArns(io, 'attachPolicyARNs');
  const attachPolicy = io.anyObject('attachPolicy');
  if (attachPolicy) iam.attachPolicy = attachPolicy;
  const roleArn = checkArn(io, 'instanceRoleARN', io.string('instanceRoleARN'));
  const profileArn = checkArn(io, 'instanceProfileARN', io.string('instanceProfileARN'));
  const roleName = io.string('instanceRoleName');
  const boundary = checkArn(io, 'instanceRolePermissionsBoundary', io.string('instanceRolePermissionsBoundary'));
  if (roleArn !== undefined) iam.instanceRoleARN = roleArn;
  if (profileArn !== undefined) iam.instanceProfileARN = profileArn;
  if (roleName !== undefined) iam.instanceRoleName = roleName;
  if (boundary !== undefined) iam.instanceRolePermissionsBoundary = boundary;
  if (managed && io.has('instanceProfileARN')) io.problem('instanceProfileARN', `instanceProfileARN is not supported for Managed Nodes (${path}.instanceProfileARN)`);
  // validateNodeGroupIAM: an existing role (or profile) leaves nothing for eksctl to attach.
  const existing = io.has('instanceRoleARN') ? 'instanceRoleARN' : io.has('instanceProfileARN') && !managed ? 'instanceProfileARN' : undefined;
  if (existing) {
    const conflicts = ['instanceRoleName', 'attachPolicy', 'attachPolicyARNs', 'instanceRolePermissionsBoundary'].filter((f) => io.has(f));
    if (Object.values(iam.withAddonPolicies).some(Boolean)) conflicts.push('withAddonPolicies');
    for (const c of conflicts) io.problem(c, `${path}.iam.${existing} and ${path}.iam.${c} cannot be set at the same time`);
  }
  return iam;
}

function readVpc(r: Reader, root: Obj, region: string, regionZones: string[]): VpcConfig {
  const vpc: VpcConfig = {
    cidr: EKSCTL_DEFAULTS.vpcCIDR,
    subnets: { public: [], private: [] },
    clusterEndpoints: { publicAccess: true, privateAccess: false },
    publicAccessCIDRs: [],
    nat: { gateway: EKSCTL_DEFAULTS.natGateway },
    manageSharedNodeSecurityGroupRules: true,
    controlPlaneSubnetIDs: [],
    controlPlaneSecurityGroupIDs: [],
    extraCIDRs: [],
  };
  const o = root.object('vpc', {
    fields: [
      'id',
      'cidr',
      'subnets',
      'clusterEndpoints',
      'publicAccessCIDRs',
      'nat',
      'securityGroup',
      'sharedNodeSecurityGroup',
      'manageSharedNodeSecurityGroupRules',
      'controlPlaneSubnetIDs',
      'controlPlaneSecurityGroupIDs',
      'extraCIDRs',
      'hostnameType',
    ],
    unsupported: ['ipv6Cidr', 'ipv6Pool', 'extraIPv6CIDRs', 'autoAllocateIPv6', 'controlPlaneOnPrivateSubnets', 'controlPlaneEgressMode'],
  });
  if (!o) return vpc;

  const id = o.string('id');
  if (id !== undefined) {
    if (!/^vpc-[0-9a-f]{8,17}$/.test(id)) o.problem('id', `"${id}" is not a VPC ID (vpc-…)`);
    vpc.id = id;
  }
  const cidrText = o.string('cidr');
  let cidr: { base: number; prefix: number } | undefined;
  if (cidrText !== undefined) {
    const c = ipv4Cidr(cidrText);
    if (typeof c === 'string') o.problem('cidr', c);
    else if (c.prefix < 16 || c.prefix > 24) o.problem('cidr', `"${cidrText}" must have a prefix between /16 and /24`);
    else {
      cidr = c;
      vpc.cidr = cidrText;
    }
  } else cidr = ipv4Cidr(vpc.cidr) as { base: number; prefix: number };

  // Subnets: vpc.subnets.{public,private}.<zone or name>: {id, cidr, az}.
  const so = o.object('subnets', { fields: ['public', 'private'] });
  if (so) {
    const seenCidrs: { text: string; c: { base: number; prefix: number }; at: string }[] = [];
    for (const topology of ['public', 'private'] as const) {
      const entries = r.entries(so.value(topology), so.path_(topology)) ?? [];
      for (const e of entries) {
        const at = `${so.path_(topology)}.${e.key}`;
        const s = r.object(e.value, at, { fields: ['id', 'cidr', 'az'] });
        const spec: SubnetSpec = { name: e.key, az: e.key };
        const sid = s?.string('id');
        const scidr = s?.string('cidr');
        const saz = s?.string('az');
        if (sid !== undefined) {
          if (!/^subnet-[0-9a-f]{8,17}$/.test(sid)) s!.problem('id', `"${sid}" is not a subnet ID (subnet-…)`);
          spec.id = sid;
        }
        if (saz !== undefined) spec.az = saz;
        if (!regionZones.includes(spec.az)) {
          r.problem(saz !== undefined ? s!.path_('az') : at, saz !== undefined ? s!.at('az') : e.keyNode, saz !== undefined || s?.has('az') ? `${spec.az} is not an availability zone of ${region} (${quoteList(regionZones)})` : `az must be set when the subnet's key is not an availability zone of ${region} (${quoteList(regionZones)})`);
        }
        if (scidr !== undefined) {
          const c = ipv4Cidr(scidr);
          if (typeof c === 'string') s!.problem('cidr', c);
          else if (cidr && !cidrContains(cidr, c)) s!.problem('cidr', `${scidr} is not inside vpc.cidr ${vpc.cidr}`);
          else if (c.prefix > 28) s!.problem('cidr', `${scidr} is smaller than /28, the smallest subnet AWS allows`);
          else {
            const clash = seenCidrs.find((x) => cidrOverlap(x.c, c));
            if (clash) s!.problem('cidr', `${scidr} overlaps ${clash.text} (${clash.at})`);
            seenCidrs.push({ text: scidr, c, at });
          }
          spec.cidr = scidr;
        }
        if (vpc.id !== undefined && spec.id === undefined) r.problem(at, e.keyNode, 'id must be set: with vpc.id the subnets are existing ones');
        vpc.subnets[topology].push(spec);
      }
    }
  }
  if (vpc.id !== undefined && vpc.subnets.public.length + vpc.subnets.private.length === 0) {
    o.problem('id', 'vpc.subnets must be set when vpc.id is given (skiff has no existing VPC to look them up in)');
  }

  const ce = o.object('clusterEndpoints', { fields: ['publicAccess', 'privateAccess'] });
  if (ce) {
    vpc.clusterEndpoints.publicAccess = ce.boolean('publicAccess') ?? true;
    vpc.clusterEndpoints.privateAccess = ce.boolean('privateAccess') ?? false;
    if (!vpc.clusterEndpoints.publicAccess && !vpc.clusterEndpoints.privateAccess) {
      r.problem(ce.path, ce.node, 'Kubernetes API access must have one of public or private clusterEndpoints enabled');
    }
  }
  vpc.publicAccessCIDRs = o.strings('publicAccessCIDRs') ?? [];
  vpc.publicAccessCIDRs.forEach((c) => {
    const parsed = ipv4Cidr(c);
    if (typeof parsed === 'string') o.problem('publicAccessCIDRs', parsed);
  });
  const nat = o.object('nat', { fields: ['gateway'] });
  if (nat) vpc.nat.gateway = nat.oneOf('gateway', NAT_GATEWAY_MODES) ?? EKSCTL_DEFAULTS.natGateway;
  const optional = {
    securityGroup: o.string('securityGroup'),
    sharedNodeSecurityGroup: o.string('sharedNodeSecurityGroup'),
    hostnameType: o.oneOf('hostnameType', ['ip-name', 'resource-name']),
  };
  Object.assign(vpc, definedOnly(optional));
  vpc.manageSharedNodeSecurityGroupRules = o.boolean('manageSharedNodeSecurityGroupRules') ?? true;
  vpc.controlPlaneSubnetIDs = o.strings('controlPlaneSubnetIDs') ?? [];
  vpc.controlPlaneSecurityGroupIDs = o.strings('controlPlaneSecurityGroupIDs') ?? [];
  vpc.extraCIDRs = o.strings('extraCIDRs') ?? [];
  for (const c of vpc.extraCIDRs) {
    const parsed = ipv4Cidr(c);
    if (typeof parsed === 'string') o.problem('extraCIDRs', parsed);
  }
  return vpc;
}

// ---- the whole document ----------------------------------------------------------------------

const TOP_LEVEL = [
  'apiVersion',
  'kind',
  'metadata',
  'vpc',
  'availabilityZones',
  'kubernetesNetworkConfig',
  'managedNodeGroups',
  'nodeGroups',
  'fargateProfiles',
  'addons',
  'addonsConfig',
  'iam',
  'cloudWatch',
  'accessConfig',
  'secretsEncryption',
  'autoModeConfig',
  'upgradePolicy',
] as const;
const TOP_LEVEL_UNSUPPORTED = [
  'remoteNetworkConfig',
  'iamIdentityMappings',
  'identityProviders',
  'privateCluster',
  'localZones',
  'gitops',
  'karpenter',
  'outpost',
  'controlPlaneScalingConfig',
  'zonalShiftConfig',
  'kubeAPIServerConfig',
  'kubeSchedulerConfig',
  'kubeControllerManagerConfig',
  'capabilities',
];

/** The `version:` scalar: a string, or a YAML number whose text is exactly the version ("1.32", not 1.30 → 1.3). */
function readVersion(r: Reader, o: Obj): string | undefined {
  const n = r.resolve(o.value('version'));
  if (n === undefined) return undefined;
  let v: string | undefined;
  if (isScalar(n) && typeof n.value === 'string') v = n.value;
  else if (isScalar(n) && typeof n.value === 'number' && typeof n.source === 'string' && String(n.value) === n.source && /^1\.\d\d$/.test(n.source)) v = n.source;
  else if (isScalar(n) && typeof n.value === 'number' && /^1\.\d$/.test(n.source ?? '')) {
    o.problem('version', `must be a string: the YAML number ${n.source} may be a shortened 1.${n.source!.slice(2)}0; write version: "1.${n.source!.slice(2)}0" (or "${n.source}")`);
    return undefined;
  } else if (isScalar(n) && typeof n.value === 'number') {
    o.problem('version', `must be a string: the YAML number ${n.source ?? n.value} reads as ${n.value}; write version: "${n.source ?? n.value}"`);
    return undefined;
  } else {
    o.problem('version', 'must be a string such as "1.32"');
    return undefined;
  }
  if (!/^1\.\d{1,2}$/.test(v)) {
    o.problem('version', `"${v}" is not a Kubernetes minor version such as "1.32"`);
    return undefined;
  }
  return v;
}

/** Parses and validates one eksctl ClusterConfig document; throws ClusterConfigError listing every problem. */
export function parseClusterConfig(text: string, file = 'cluster.yaml'): ClusterConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, version: '1.1', uniqueKeys: false, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ClusterConfigError(
      file,
      doc.errors.map((e) => ({ field: '', line: e.linePos?.[0].line, message: `YAML syntax error: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}` })),
    );
  }
  const r = new Reader(doc, lines);
  const root = r.object(doc.contents, '', { fields: TOP_LEVEL, unsupported: TOP_LEVEL_UNSUPPORTED });
  if (!root) {
    throw new ClusterConfigError(file, [{ field: '', line: r.line(doc.contents) ?? 1, message: r.resolve(doc.contents) === undefined ? 'the file has no ClusterConfig: it is empty' : 'a ClusterConfig must be a YAML mapping' }]);
  }

  // apiVersion and kind.
  const apiVersion = root.string('apiVersion');
  if (!root.has('apiVersion')) root.problem('apiVersion', 'must be set to eksctl.io/v1alpha5');
  else if (apiVersion !== undefined && apiVersion !== 'eksctl.io/v1alpha5') root.problem('apiVersion', `"${apiVersion}" is not supported; use eksctl.io/v1alpha5`);
  const kind = root.string('kind');
  if (!root.has('kind')) root.problem('kind', 'must be set to ClusterConfig');
  else if (kind !== undefined && kind !== 'ClusterConfig') root.problem('kind', `"${kind}" is not ClusterConfig`);

  // metadata.
  const meta = root.object('metadata', { fields: ['name', 'region', 'version', 'tags', 'annotations'], unsupported: ['forceUpdateVersion', 'rollbackConfig'] });
  if (!root.has('metadata')) root.problem('metadata', 'must be set');
  const name = meta?.string('name');
  if (meta && !meta.has('name')) meta.problem('name', 'must be set');
  if (name !== undefined && !NAME_RE.test(name)) meta!.problem('name', invalidName(name));
  else if (name !== undefined && name.length > 100) meta!.problem('name', `must be at most 100 characters (it has ${name.length})`);
  let region = meta?.string('region') ?? EKSCTL_DEFAULTS.region;
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
    meta!.problem('region', `"${region}" is not an AWS region such as us-east-1`);
    region = EKSCTL_DEFAULTS.region;
  }
  const regionZones = zonesOf(region).map((z) => z.zone);
  const version = (meta && readVersion(r, meta)) ?? EKSCTL_DEFAULTS.version;
  const tags = meta?.stringMap('tags') ?? {};
  if (meta) checkTags(meta, 'tags', tags);
  const annotations = meta?.stringMap('annotations') ?? {};

  // Availability zones and the VPC.
  const vpc = readVpc(r, root, region, regionZones);
  let availabilityZones = root.strings('availabilityZones');
  if (availabilityZones) {
    const items = (r.resolve(root.value('availabilityZones')) as { items: unknown[] }).items;
    availabilityZones.forEach((z, i) => {
      if (!regionZones.includes(z)) r.problem(`availabilityZones[${i}]`, items[i], `${z} is not an availability zone of ${region} (${quoteList(regionZones)})`);
    });
    if (availabilityZones.length < 2) {
      root.problem('availabilityZones', `only ${availabilityZones.length} zone(s) specified [${availabilityZones.join(' ')}], 2 are required (can be non-unique)`);
    }
    const subnetZones = [...vpc.subnets.public, ...vpc.subnets.private].map((s) => s.az).filter((z) => !availabilityZones!.includes(z));
    if (subnetZones.length) root.problem('availabilityZones', `does not include the zones of vpc.subnets (${quoteList([...new Set(subnetZones)])})`);
  } else {
    const fromSubnets = [...new Set([...vpc.subnets.public, ...vpc.subnets.private].map((s) => s.az))].filter((z) => regionZones.includes(z));
    availabilityZones = fromSubnets.length ? regionZones.filter((z) => fromSubnets.includes(z)) : regionZones.slice(0, EKSCTL_DEFAULTS.availabilityZones);
  }

  // kubernetesNetworkConfig.
  const knc = root.object('kubernetesNetworkConfig', { fields: ['ipFamily', 'serviceIPv4CIDR'], unsupported: ['serviceIPv6CIDR'] });
  const kubernetesNetworkConfig: ClusterConfig['kubernetesNetworkConfig'] = { ipFamily: 'IPv4' };
  if (knc) {
    const ipFamily = knc.string('ipFamily');
    if (ipFamily !== undefined) {
      if (ipFamily.toLowerCase() === 'ipv6') knc.problem('ipFamily', 'IPv6 clusters are not supported by skiff');
      else if (ipFamily.toLowerCase() !== 'ipv4') knc.problem('ipFamily', `invalid value "${ipFamily}" for ipFamily; allowed are IPv4 and IPv6`);
    }
    const svc = knc.string('serviceIPv4CIDR');
    if (svc !== undefined) {
      const c = ipv4Cidr(svc);
      if (typeof c === 'string') knc.problem('serviceIPv4CIDR', `invalid IPv4 CIDR for kubernetesNetworkConfig.serviceIPv4CIDR: ${c}`);
      else if (c.prefix < 12 || c.prefix > 24) knc.problem('serviceIPv4CIDR', `${svc} must have a prefix between /12 and /24`);
      else {
        const vpcCidr = ipv4Cidr(vpc.cidr);
        if (typeof vpcCidr !== 'string' && cidrOverlap(vpcCidr, c)) knc.problem('serviceIPv4CIDR', `${svc} overlaps the VPC's ${vpc.cidr}`);
        kubernetesNetworkConfig.serviceIPv4CIDR = svc;
      }
    }
  }

  // Node groups: managed first, then self-managed; names unique across both.
  const zoneInfo = { region, regionZones };
  const nodeGroups: (NodeGroupConfig & { nameNode: unknown; path: string })[] = [];
  for (const [field, managed] of [['managedNodeGroups', true], ['nodeGroups', false]] as const) {
    (root.list(field) ?? []).forEach((item, i) => {
      const path = `${field}[${i}]`;
      const ng = readNodeGroup(r, item, path, managed, version, zoneInfo);
      if (ng) nodeGroups.push({ ...ng, path });
    });
  }
  const ngNames = new Map<string, string>();
  for (const ng of nodeGroups) {
    if (!ng.name) continue;
    const first = ngNames.get(ng.name);
    if (first) r.problem(`${ng.path}.name`, ng.nameNode, `"${ng.name}" is not unique (also ${first}.name)`);
    else ngNames.set(ng.name, ng.path);
  }
  const allSubnets = [...vpc.subnets.public.map((s) => ({ ...s, public: true })), ...vpc.subnets.private.map((s) => ({ ...s, public: false }))];
  for (const ng of nodeGroups) {
    for (const z of ng.availabilityZones) {
      if (regionZones.includes(z) && !availabilityZones.includes(z)) {
        r.problem(`${ng.path}.availabilityZones`, ng.nameNode, `${z} is not one of the cluster's availability zones (${quoteList(availabilityZones)})`);
      }
    }
    for (const s of ng.subnets) {
      const hit = allSubnets.find((x) => x.name === s || x.id === s);
      if (!hit) r.problem(`${ng.path}.subnets`, ng.nameNode, `"${s}" is not a subnet of vpc.subnets (by name or ID)`);
      else if (hit.public === ng.privateNetworking) {
        r.problem(`${ng.path}.subnets`, ng.nameNode, `"${s}" is a ${hit.public ? 'public' : 'private'} subnet, but privateNetworking is ${ng.privateNetworking}`);
      }
    }
    if (allSubnets.length > 0 && ng.subnets.length === 0) {
      const topology = ng.privateNetworking ? 'private' : 'public';
      const usable = allSubnets.filter((x) => x.public !== ng.privateNetworking && (ng.availabilityZones.length === 0 || ng.availabilityZones.includes(x.az)));
      if (usable.length === 0) r.problem(ng.path, ng.nameNode, `vpc.subnets has no ${topology} subnets${ng.availabilityZones.length ? ` in ${quoteList(ng.availabilityZones)}` : ''} for this nodegroup`);
    }
  }

  // Fargate profiles.
  const fargateProfiles: FargateProfileConfig[] = [];
  const fpNames = new Map<string, string>();
  (root.list('fargateProfiles') ?? []).forEach((item, i) => {
    const path = `fargateProfiles[${i}]`;
    const o = r.object(item, path, { fields: ['name', 'selectors', 'subnets', 'podExecutionRoleARN', 'tags'] });
    if (!o) return;
    const fpName = o.string('name');
    if (!o.has('name')) o.problem('name', 'invalid Fargate profile: empty name');
    else if (fpName !== undefined && fpName.startsWith('eks-')) o.problem('name', `invalid Fargate profile "${fpName}": name should NOT start with "eks-"`);
    else if (fpName !== undefined) {
      const first = fpNames.get(fpName);
      if (first) o.problem('name', `"${fpName}" is not unique (also ${first}.name)`);
      else fpNames.set(fpName, path);
    }
    const selectors: FargateProfileConfig['selectors'] = [];
    const selItems = o.list('selectors');
    if (!selItems || selItems.length === 0) o.problem('selectors', `invalid Fargate profile "${fpName ?? ''}": no profile selector`);
    (selItems ?? []).forEach((s, j) => {
      const so = r.object(s, `${path}.selectors[${j}]`, { fields: ['namespace', 'labels'] });
      if (!so) return;
      const namespace = so.string('namespace');
      if (!so.has('namespace') || namespace === '') {
        r.problem(`${path}.selectors[${j}].namespace`, so.at('namespace'), `invalid Fargate profile "${fpName ?? ''}": invalid profile selector at index #${j}: empty namespace`);
      } else if (namespace !== undefined && isDNS1123Label(namespace).length) {
        so.problem('namespace', `"${namespace}" is not a valid namespace name: ${isDNS1123Label(namespace).join('; ')}`);
      }
      const labels = so.stringMap('labels') ?? {};
      checkLabels(r, so, 'labels', labels, false);
      selectors.push({ namespace: namespace ?? '', labels });
    });
    const subnets = o.strings('subnets') ?? [];
    for (const s of subnets) {
      const hit = allSubnets.find((x) => x.name === s || x.id === s);
      if (!hit) o.problem('subnets', `"${s}" is not a subnet of vpc.subnets (by name or ID)`);
      else if (hit.public) o.problem('subnets', `"${s}" is a public subnet; Fargate pods run in private subnets`);
    }
    const fpTags = o.stringMap('tags') ?? {};
    checkTags(o, 'tags', fpTags);
    const fp: FargateProfileConfig = { name: fpName ?? '', selectors, subnets, tags: fpTags };
    const role = checkArn(o, 'podExecutionRoleARN', o.string('podExecutionRoleARN'));
    if (role !== undefined) fp.podExecutionRoleARN = role;
    fargateProfiles.push(fp);
  });

  if (fargateProfiles.length > 0 && allSubnets.length > 0 && !allSubnets.some((s) => !s.public)) {
    root.problem('fargateProfiles', 'Fargate pods run in private subnets, and vpc.subnets has none');
  }

  // Addons.
  const addons: AddonConfig[] = [];
  const addonNames = new Map<string, string>();
  (root.list('addons') ?? []).forEach((item, i) => {
    const path = `addons[${i}]`;
    const o = r.object(item, path, {
      fields: ['name', 'version', 'serviceAccountRoleARN', 'attachPolicyARNs', 'attachPolicy', 'permissionsBoundary', 'wellKnownPolicies', 'tags', 'resolveConflicts', 'configurationValues'],
      unsupported: ['podIdentityAssociations', 'useDefaultPodIdentityAssociations', 'namespaceConfig', 'publishers', 'types', 'owners'],
    });
    if (!o) return;
    const addonName = o.string('name');
    if (!o.has('name')) o.problem('name', 'invalid configuration for "" addon: name is required');
    const known = KNOWN_ADDONS.find((k) => k === addonName?.toLowerCase());
    if (addonName !== undefined && !known) o.problem('name', `unknown addon "${addonName}"${didYouMean(addonName, KNOWN_ADDONS)}; skiff offers ${quoteList(KNOWN_ADDONS)}`);
    if (known) {
      const first = addonNames.get(known);
      if (first) o.problem('name', `"${known}" is not unique (also ${first}.name)`);
      else addonNames.set(known, path);
    }
    const addon: AddonConfig = { name: known ?? (addonName as AddonConfig['name']), attachPolicyARNs: checkArns(o, 'attachPolicyARNs'), wellKnownPolicies: wellKnown(o.object('wellKnownPolicies', { fields: WELL_KNOWN_POLICIES })), tags: o.stringMap('tags') ?? {} };
    checkTags(o, 'tags', addon.tags);
    const v = o.string('version');
    if (v !== undefined && v !== '') addon.version = v;
    const role = checkArn(o, 'serviceAccountRoleARN', o.string('serviceAccountRoleARN'));
    if (role !== undefined) addon.serviceAccountRoleARN = role;
    const attachPolicy = o.anyObject('attachPolicy');
    if (attachPolicy) addon.attachPolicy = attachPolicy;
    const boundary = checkArn(o, 'permissionsBoundary', o.string('permissionsBoundary'));
    if (boundary !== undefined) addon.permissionsBoundary = boundary;
    const providers = [o.has('serviceAccountRoleARN'), addon.attachPolicyARNs.length > 0, o.has('attachPolicy'), Object.values(addon.wellKnownPolicies).some(Boolean)].filter(Boolean).length;
    if (providers > 1) r.problem(path, o.node, `invalid configuration for "${addonName ?? ''}" addon: at most one of serviceAccountRoleARN, attachPolicyARNs, attachPolicy and wellKnownPolicies can be set`);
    const rc = o.string('resolveConflicts');
    if (rc !== undefined) {
      const lower = rc.toLowerCase();
      if (lower === 'none' || lower === 'overwrite' || lower === 'preserve') addon.resolveConflicts = lower;
      else o.problem('resolveConflicts', `unsupported value "${rc}"; supported values: none, overwrite, preserve`);
    }
    const cv = o.string('configurationValues');
    if (cv !== undefined && cv.trim() !== '') {
      const json = configurationValuesAsJSON(cv);
      if (json === undefined) o.problem('configurationValues', `invalid configuration for "${addonName ?? ''}" addon: configurationValues: ${JSON.stringify(cv)} is not valid, supported format(s) are: JSON and YAML`);
      else addon.configurationValues = json;
    }
    addons.push(addon);
  });
  const ac = root.object('addonsConfig', { fields: ['autoApplyPodIdentityAssociations', 'disableDefaultAddons'] });
  const addonsConfig = { autoApplyPodIdentityAssociations: ac?.boolean('autoApplyPodIdentityAssociations') ?? false, disableDefaultAddons: ac?.boolean('disableDefaultAddons') ?? false };

  // IAM.
  const io = root.object('iam', {
    fields: ['withOIDC', 'serviceRoleARN', 'serviceRolePermissionsBoundary', 'fargatePodExecutionRoleARN', 'vpcResourceControllerPolicy', 'serviceAccounts'],
    unsupported: ['fargatePodExecutionRolePermissionsBoundary', 'podIdentityAssociations'],
  });
  const iam: ClusterConfig['iam'] = { withOIDC: io?.boolean('withOIDC') ?? false, vpcResourceControllerPolicy: io?.boolean('vpcResourceControllerPolicy') ?? true, serviceAccounts: [] };
  if (io) {
    const sr = checkArn(io, 'serviceRoleARN', io.string('serviceRoleARN'));
    if (sr !== undefined) iam.serviceRoleARN = sr;
    const srb = checkArn(io, 'serviceRolePermissionsBoundary', io.string('serviceRolePermissionsBoundary'));
    if (srb !== undefined) iam.serviceRolePermissionsBoundary = srb;
    const fr = checkArn(io, 'fargatePodExecutionRoleARN', io.string('fargatePodExecutionRoleARN'));
    if (fr !== undefined) iam.fargatePodExecutionRoleARN = fr;
    const saItems = io.list('serviceAccounts') ?? [];
    if (saItems.length > 0 && !iam.withOIDC) io.problem('serviceAccounts', 'iam.withOIDC must be enabled explicitly for iam.serviceAccounts to be created');
    const saNames = new Map<string, string>();
    saItems.forEach((item, i) => {
      const path = `iam.serviceAccounts[${i}]`;
      const o = r.object(item, path, {
        fields: ['metadata', 'attachPolicyARNs', 'wellKnownPolicies', 'attachPolicy', 'attachRoleARN', 'permissionsBoundary', 'roleName', 'roleOnly', 'tags'],
        unsupported: ['status', 'subjectPattern'],
      });
      if (!o) return;
      const m = o.object('metadata', { fields: ['name', 'namespace', 'labels', 'annotations'] });
      const saName = m?.string('name');
      if (!saName) r.problem(`${path}.name`, m?.at('name') ?? o.node, `${path}.name must be set`);
      const namespace = m?.string('namespace') ?? 'default';
      if (m?.has('namespace') && isDNS1123Label(namespace).length) m.problem('namespace', `"${namespace}" is not a valid namespace name: ${isDNS1123Label(namespace).join('; ')}`);
      if (saName) {
        const key = `${namespace}/${saName}`;
        const first = saNames.get(key);
        if (first) r.problem(`${path}.metadata.name`, m!.at('name'), `<namespace>/<name> of ${path} "${key}" is not unique (also ${first})`);
        else saNames.set(key, path);
      }
      const labels = m?.stringMap('labels') ?? {};
      if (m) checkLabels(r, m, 'labels', labels, false);
      const sa: ServiceAccountConfig = {
        name: saName ?? '',
        namespace,
        labels,
        annotations: m?.stringMap('annotations') ?? {},
        attachPolicyARNs: checkArns(o, 'attachPolicyARNs'),
        wellKnownPolicies: wellKnown(o.object('wellKnownPolicies', { fields: WELL_KNOWN_POLICIES })),
        roleOnly: o.boolean('roleOnly') ?? false,
        tags: o.stringMap('tags') ?? {},
      };
      const attachPolicy = o.anyObject('attachPolicy');
      if (attachPolicy) sa.attachPolicy = attachPolicy;
      const roleArn = checkArn(o, 'attachRoleARN', o.string('attachRoleARN'));
      if (roleArn !== undefined) sa.attachRoleARN = roleArn;
      const boundary = checkArn(o, 'permissionsBoundary', o.string('permissionsBoundary'));
      if (boundary !== undefined) sa.permissionsBoundary = boundary;
      const roleName = o.string('roleName');
      if (roleName !== undefined) sa.roleName = roleName;
      if (!sa.attachPolicyARNs.length && !sa.attachPolicy && !sa.attachRoleARN && !Object.values(sa.wellKnownPolicies).some(Boolean)) {
        r.problem(path, o.node, `${path}.wellKnownPolicies, ${path}.attachPolicyARNs,${path}.attachRoleARN  or ${path}.attachPolicy must be set`);
      }
      iam.serviceAccounts.push(sa);
    });
  }

  // CloudWatch logging.
  const cw = root.object('cloudWatch', { fields: ['clusterLogging'] });
  const cl = cw?.object('clusterLogging', { fields: ['enableTypes', 'logRetentionInDays'] });
  const cloudWatch: ClusterConfig['cloudWatch'] = { clusterLogging: { enableTypes: [] } };
  if (cl) {
    const types = cl.strings('enableTypes') ?? [];
    const items = (r.resolve(cl.value('enableTypes')) as { items?: unknown[] } | undefined)?.items ?? [];
    const enabled = new Set<ClusterLogType>();
    types.forEach((t, i) => {
      if (t === '*' || t === 'all') CLUSTER_LOG_TYPES.forEach((x) => enabled.add(x));
      else if ((CLUSTER_LOG_TYPES as readonly string[]).includes(t)) enabled.add(t as ClusterLogType);
      else r.problem(`${cl.path_('enableTypes')}[${i}]`, items[i], `log type "${t}" (cloudWatch.clusterLogging.enableTypes[${i}]) is unknown; known types: ${quoteList(CLUSTER_LOG_TYPES)}, or "*"/"all"`);
    });
    cloudWatch.clusterLogging.enableTypes = CLUSTER_LOG_TYPES.filter((t) => enabled.has(t));
    const days = cl.integer('logRetentionInDays', 1);
    if (days !== undefined) {
      if (types.length === 0) cl.problem('logRetentionInDays', 'cannot set cloudWatch.clusterLogging.logRetentionInDays without enabling log types');
      else if (!LOG_RETENTION_DAYS.includes(days)) cl.problem('logRetentionInDays', `invalid value ${days} for logRetentionInDays; supported values are [${LOG_RETENTION_DAYS.join(' ')}]`);
      else cloudWatch.clusterLogging.logRetentionInDays = days;
    }
  }

  // Access config.
  const aco = root.object('accessConfig', { fields: ['authenticationMode', 'bootstrapClusterCreatorAdminPermissions', 'accessEntries'] });
  const accessConfig: ClusterConfig['accessConfig'] = {
    authenticationMode: aco?.oneOf('authenticationMode', AUTHENTICATION_MODES) ?? EKSCTL_DEFAULTS.authenticationMode,
    bootstrapClusterCreatorAdminPermissions: aco?.boolean('bootstrapClusterCreatorAdminPermissions') ?? true,
    accessEntries: [],
  };
  if (aco) {
    const entries = aco.list('accessEntries') ?? [];
    if (entries.length > 0 && accessConfig.authenticationMode === 'CONFIG_MAP') {
      aco.problem('accessEntries', 'accessConfig.authenticationMode must be set to either API_AND_CONFIG_MAP or API to use access entries');
    }
    const principals = new Map<string, string>();
    entries.forEach((item, i) => {
      const path = `accessConfig.accessEntries[${i}]`;
      const o = r.object(item, path, { fields: ['principalARN', 'type', 'kubernetesGroups', 'kubernetesUsername', 'accessPolicies'] });
      if (!o) return;
      const principal = o.string('principalARN');
      if (principal === undefined || !ARN_RE.test(principal)) o.problem('principalARN', `accessEntries[${i}].principalARN must be set to a valid AWS ARN`);
      else {
        const first = principals.get(principal);
        if (first) o.problem('principalARN', `duplicate access entry accessEntries[${i}] with principal ARN "${principal}" (also ${first})`);
        else principals.set(principal, path);
      }
      const type = o.string('type');
      const entry: AccessEntryConfig = { principalARN: principal ?? '', kubernetesGroups: o.strings('kubernetesGroups') ?? [], accessPolicies: [] };
      const username = o.string('kubernetesUsername');
      if (username !== undefined) entry.kubernetesUsername = username;
      if (type !== undefined) {
        if (!ACCESS_ENTRY_TYPES.includes(type)) o.problem('type', `invalid access entry type "${type}" for accessEntries[${i}]`);
        else if (!['STANDARD', 'EC2'].includes(type)) {
          if (entry.kubernetesGroups.length || username !== undefined) o.problem('type', `cannot specify accessEntries[${i}].kubernetesGroups nor accessEntries[${i}].kubernetesUsername when type is set to ${type}`);
          if (o.has('accessPolicies')) o.problem('type', `cannot specify accessEntries[${i}].accessPolicies when type is set to ${type}`);
        }
        entry.type = type;
      }
      (o.list('accessPolicies') ?? []).forEach((p, j) => {
        const po = r.object(p, `${path}.accessPolicies[${j}]`, { fields: ['policyARN', 'accessScope'] });
        if (!po) return;
        const policyARN = po.string('policyARN');
        if (policyARN === undefined || !ARN_RE.test(policyARN)) po.problem('policyARN', `accessEntries[${i}].policyARN must be set to a valid AWS ARN`);
        else if (!/:cluster-access-policy\/[^/]+$/.test(policyARN)) po.problem('policyARN', `accessEntries[${i}].policyARN must be a cluster-access-policy resource`);
        const so = po.object('accessScope', { fields: ['type', 'namespaces'] });
        const scopeType = so?.string('type');
        const namespaces = so?.strings('namespaces') ?? [];
        if (!so || scopeType === undefined) r.problem(`${path}.accessPolicies[${j}].accessScope.type`, so?.node ?? po.node, `accessEntries[${i}].accessScope.type must be set to either "namespace" or "cluster"`);
        else if (scopeType === 'cluster' && namespaces.length > 0) so.problem('namespaces', `cannot specify accessEntries[${i}].accessScope.namespaces when accessScope is set to cluster`);
        else if (scopeType === 'namespace' && namespaces.length === 0) so.problem('type', `at least one namespace must be specified when accessScope is set to namespace: (accessEntries[${i}])`);
        else if (scopeType !== 'cluster' && scopeType !== 'namespace') so.problem('type', `invalid access scope type "${scopeType}" for accessEntries[${i}]`);
        if (policyARN !== undefined && (scopeType === 'cluster' || scopeType === 'namespace')) entry.accessPolicies.push({ policyARN, accessScope: { type: scopeType, namespaces } });
      });
      accessConfig.accessEntries.push(entry);
    });
  }

  // Secrets encryption, upgrade policy, Auto Mode.
  let secretsEncryption: ClusterConfig['secretsEncryption'];
  const se = root.object('secretsEncryption', { fields: ['keyARN'] });
  if (se) {
    const keyARN = se.string('keyARN');
    if (!se.has('keyARN')) se.problem('keyARN', 'field secretsEncryption.keyARN is required for enabling secrets encryption');
    else if (keyARN !== undefined && !/^arn:[a-z-]+:kms:[a-z0-9-]+:\d{12}:(key|alias)\/.+$/.test(keyARN)) se.problem('keyARN', `invalid ARN in secretsEncryption.keyARN: "${keyARN}"`);
    else if (keyARN !== undefined) secretsEncryption = { keyARN };
  }
  let upgradePolicy: ClusterConfig['upgradePolicy'];
  const up = root.object('upgradePolicy', { fields: ['supportType'] });
  if (up) {
    const st = up.string('supportType');
    if (st !== undefined && st !== 'STANDARD' && st !== 'EXTENDED') up.problem('supportType', `upgradePolicy.supportType must be either "STANDARD" or "EXTENDED"`);
    else if (st !== undefined) upgradePolicy = { supportType: st };
  }
  let autoModeConfig: ClusterConfig['autoModeConfig'];
  const am = root.object('autoModeConfig', { fields: ['enabled'], unsupported: ['nodeRoleARN', 'permissionsBoundaryARN', 'nodePools'] });
  if (am) {
    const enabled = am.boolean('enabled');
    if (enabled === true) am.problem('enabled', 'EKS Auto Mode is not supported by skiff; use managedNodeGroups');
    else autoModeConfig = { enabled: false };
  }

  if (r.problems.length > 0) {
    const byLine = r.problems.map((p, i) => ({ p, i })).sort((a, b) => (a.p.line ?? Infinity) - (b.p.line ?? Infinity) || a.i - b.i);
    throw new ClusterConfigError(file, byLine.map((x) => x.p));
  }

  return {
    metadata: { name: name!, region, version, tags, annotations },
    vpc,
    availabilityZones,
    kubernetesNetworkConfig,
    nodeGroups: nodeGroups.map(({ nameNode: _n, path: _p, ...ng }) => ng),
    fargateProfiles,
    addons,
    addonsConfig,
    iam,
    cloudWatch,
    accessConfig,
    ...(secretsEncryption ? { secretsEncryption } : {}),
    ...(upgradePolicy ? { upgradePolicy } : {}),
    ...(autoModeConfig ? { autoModeConfig } : {}),
  };
}

/** eksctl's Addon.convertConfigurationValuesToJSON: JSON as is, a YAML mapping as JSON, else undefined. */
function configurationValuesAsJSON(text: string): string | undefined {
  try {
    JSON.parse(text);
    return text;
  } catch {
    const doc = parseDocument(text, { uniqueKeys: true });
    if (doc.errors.length > 0 || !isMap(doc.contents)) return undefined;
    return JSON.stringify(doc.toJS());
  }
}
