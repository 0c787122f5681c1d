// The Kubernetes objects an EKS add-on puts into a cluster, as real clusters show them: names, labels,
// selectors, tolerations, priority classes, requests, ports and the region's ECR images; and the
// add-on's configuration schema, with configurationValues validated and applied the way EKS does
// (Helm-style: maps merge into the defaults, lists replace them).
//
// What the objects rest on (besides the catalog's sources, see addon-catalog.ts):
// - vpc-cni: aws/amazon-vpc-cni-k8s config/master/aws-k8s-cni.yaml (the add-on is that chart):
//   labels app.kubernetes.io/{name: aws-node, instance: aws-vpc-cni, version} + k8s-app: aws-node,
//   containers aws-node and aws-eks-nodeagent (25m CPU each, as a running 1.32 cluster reports), init
//   container aws-vpc-cni-init, the aws-node ClusterRole rules, the amazon-vpc-cni ConfigMap.
// - coredns: labels eks.amazonaws.com/component: coredns + k8s-app: kube-dns (+ kubernetes.io/name:
//   CoreDNS on the Deployment), kube-dns Service labels (eks.amazonaws.com/component: kube-dns,
//   kubernetes.io/cluster-service: "true") and prometheus annotations, requests 100m/70Mi and limit
//   170Mi (kube-state-metrics of a 1.32 cluster), the default topologySpreadConstraints and
//   PodDisruptionBudget (maxUnavailable 1) of the EKS guide's CoreDNS page.
// - kube-proxy: labels eks.amazonaws.com/component: kube-proxy + k8s-app: kube-proxy (EKS guide),
//   100m CPU request (same 1.32 cluster). The ClusterRoleBinding's name (eks:kube-proxy) and the
//   KubeProxyConfiguration's values are from memory of EKS clusters, NOT verified.
// - aws-ebs-csi-driver: labels app.kubernetes.io/{component: csi-driver, managed-by: EKS, name:
//   aws-ebs-csi-driver, version: <upstream version without v>} (an add-on's ebs-csi-controller-sa);
//   container names ebs-plugin, csi-provisioner, csi-attacher, csi-snapshotter, csi-resizer,
//   liveness-probe (an add-on controller pod's events). The rest follows the upstream Helm chart.
// - metrics-server: pod labels app.kubernetes.io/{name,instance}: metrics-server, container port
//   10251 named https, its args, requests 100m/200Mi, limit 400Mi, probes, CriticalAddonsOnly
//   toleration, zone spread, system-cluster-critical (a `kubectl describe pod` of the add-on), two
//   replicas and a PodDisruptionBudget (kube-state-metrics). managed-by: EKS is inferred from the
//   other chart-based add-ons. skiff does not serve apiregistration.k8s.io (src/api/resources.ts
//   has no apiservices), so the v1beta1.metrics.k8s.io APIService the add-on creates is left out.
// - eks-pod-identity-agent: a running add-on DaemonSet (labels incl. managed-by: Helm and
//   helm.sh/chart, the skip-containers annotation, node affinity excluding fargate/hybrid/auto,
//   automountServiceAccountToken false, hostNetwork, the server/initialize commands and args). No
//   service account is created: the agent does not call the Kubernetes API and mounts no token (the
//   observed DaemonSet's service account was not visible, so this is skiff's reading).
import { parse as parseYaml } from 'yaml';
import type { KubeObject } from '../api/types.js';
import type { ConfigMap, DaemonSet, Deployment, PodDisruptionBudget, PodSpec, PodTemplateSpec, Service, ServiceAccount, Toleration } from '../api/objects.js';
import { intToIp, parseCidr } from '../cloud/vpc.js';
import { addonInfo, addonVersionInfo, ecrRegistry } from './addon-catalog.js';

const NS = 'kube-system';

/** What an add-on's objects depend on in the cluster it is installed into. */
export interface AddonContext {
  clusterName: string;
  region: string;
  serviceCIDR: string;
  /** The CreateAddon/UpdateAddon configurationValues: JSON or YAML. */
  configurationValues?: string;
  /** The cluster's API server endpoint, for kube-proxy's kubeconfig. */
  endpoint?: string;
}

/** configurationValues EKS would refuse; the message is EKS's InvalidParameterException text. */
export class AddonConfigurationError extends Error {
  override readonly name = 'AddonConfigurationError';
}

// ---- configuration schemas ------------------------------------------------------------------------

/** The subset of JSON Schema the add-on schemas use. */
export interface JsonSchema {
  $schema?: string;
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  minimum?: number;
  description?: string;
}

const obj = (properties: Record<string, JsonSchema>, additionalProperties: boolean | JsonSchema = false): JsonSchema => ({ type: 'object', properties, additionalProperties });
const STR: JsonSchema = { type: 'string' };
const INT: JsonSchema = { type: 'integer' };
const BOOL: JsonSchema = { type: 'boolean' };
const ANY_OBJECT: JsonSchema = { type: 'object' };
const STRING_MAP: JsonSchema = { type: 'object', additionalProperties: STR };
const RESOURCES = obj({ limits: STRING_MAP, requests: STRING_MAP });
const TOLERATIONS: JsonSchema = { type: 'array', items: ANY_OBJECT };
const pod = { affinity: ANY_OBJECT, nodeSelector: STRING_MAP, tolerations: TOLERATIONS, resources: RESOURCES, podAnnotations: STRING_MAP, podLabels: STRING_MAP };

// The aws-node variables the plugin documents (its README); EKS's schema lists variables one by one.
const VPC_CNI_ENV = [
  'ADDITIONAL_ENI_TAGS', 'ANNOTATE_POD_IP', 'AWS_EC2_ENDPOINT', 'AWS_EXTERNAL_SERVICE_CIDRS', 'AWS_MANAGE_ENIS_NON_SCHEDULABLE',
  'AWS_VPC_CNI_NODE_PORT_SUPPORT', 'AWS_VPC_ENI_MTU', 'AWS_VPC_K8S_CNI_CONFIGURE_RPFILTER', 'AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG',
  'AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS', 'AWS_VPC_K8S_CNI_EXTERNALSNAT', 'AWS_VPC_K8S_CNI_LOGLEVEL', 'AWS_VPC_K8S_CNI_LOG_FILE',
  'AWS_VPC_K8S_CNI_RANDOMIZESNAT', 'AWS_VPC_K8S_CNI_VETHPREFIX', 'AWS_VPC_K8S_PLUGIN_LOG_FILE', 'AWS_VPC_K8S_PLUGIN_LOG_LEVEL',
  'CLUSTER_ENDPOINT', 'DISABLE_INTROSPECTION', 'DISABLE_LEAKED_ENI_CLEANUP', 'DISABLE_METRICS', 'DISABLE_NETWORK_RESOURCE_PROVISIONING',
  'DISABLE_POD_V6', 'ENABLE_BANDWIDTH_PLUGIN', 'ENABLE_IMDS_ONLY_MODE', 'ENABLE_IPv4', 'ENABLE_IPv6', 'ENABLE_NFTABLES',
  'ENABLE_POD_ENI', 'ENABLE_PREFIX_DELEGATION', 'ENABLE_SUBNET_DISCOVERY', 'ENABLE_V4_EGRESS', 'ENABLE_V6_EGRESS',
  'ENI_CONFIG_ANNOTATION_DEF', 'ENI_CONFIG_LABEL_DEF', 'INTROSPECTION_BIND_ADDRESS', 'IP_COOLDOWN_PERIOD', 'MAX_ENI',
  'MINIMUM_IP_TARGET', 'NETWORK_POLICY_ENFORCING_MODE', 'POD_SECURITY_GROUP_ENFORCING_MODE', 'WARM_ENI_TARGET', 'WARM_IP_TARGET',
  'WARM_PREFIX_TARGET',
];
const TRUE_FALSE: JsonSchema = { type: 'string', enum: ['true', 'false'] };

// Top-level keys as the add-ons' published schemas have them (DescribeAddonConfiguration); nested
// objects skiff does not interpret are accepted as any object. Only the keys noted are applied.
const SCHEMAS: Record<string, JsonSchema> = {
  'vpc-cni': obj({
    affinity: pod.affinity,
    env: obj(Object.fromEntries(VPC_CNI_ENV.map((k) => [k, STR]))),
    enableNetworkPolicy: TRUE_FALSE,
    enableWindowsIpam: TRUE_FALSE,
    enableWindowsPrefixDelegation: TRUE_FALSE,
    eniConfig: ANY_OBJECT,
    init: obj({ env: STRING_MAP }),
    livenessProbeTimeoutSeconds: { type: 'integer', minimum: 1 },
    readinessProbeTimeoutSeconds: { type: 'integer', minimum: 1 },
    nodeAgent: obj({ enableCloudWatchLogs: TRUE_FALSE, enablePolicyEventLogs: TRUE_FALSE, enableIpv6: TRUE_FALSE, healthProbeBindAddr: STR, metricsBindAddr: STR, conntrackCacheCleanupPeriod: INT, resources: RESOURCES }),
    podAnnotations: pod.podAnnotations,
    resources: pod.resources,
    tolerations: pod.tolerations,
  }),
  coredns: obj({
    affinity: pod.affinity,
    autoScaling: obj({ enabled: BOOL, minReplicas: INT, maxReplicas: INT }),
    corefile: STR,
    nodeSelector: pod.nodeSelector,
    podAnnotations: pod.podAnnotations,
    podDisruptionBudget: obj({ enabled: BOOL, maxUnavailable: {}, minAvailable: {} }),
    podLabels: pod.podLabels,
    replicaCount: { type: 'integer', minimum: 1 },
    resources: pod.resources,
    tolerations: pod.tolerations,
    topologySpreadConstraints: { type: 'array', items: ANY_OBJECT },
  }),
  'kube-proxy': obj({
    ipvs: obj({ scheduler: STR }),
    mode: { type: 'string', enum: ['iptables', 'ipvs'] },
    podAnnotations: pod.podAnnotations,
    podLabels: pod.podLabels,
    resources: pod.resources,
  }),
  'aws-ebs-csi-driver': obj({
    controller: obj({ ...pod, replicaCount: { type: 'integer', minimum: 1 }, extraVolumeTags: STRING_MAP, loggingFormat: STR, volumeModificationFeature: ANY_OBJECT }),
    node: obj({ ...pod, tolerateAllTaints: BOOL, loggingFormat: STR, volumeAttachLimit: INT }),
    defaultStorageClass: obj({ enabled: BOOL }),
    sidecars: ANY_OBJECT,
    storageClasses: { type: 'array', items: ANY_OBJECT },
    volumeSnapshotClasses: { type: 'array', items: ANY_OBJECT },
  }),
  'metrics-server': obj({ ...pod, args: { type: 'array', items: STR }, replicas: { type: 'integer', minimum: 1 } }),
  'eks-pod-identity-agent': obj({ agent: obj({ additionalArgs: STRING_MAP }), affinity: pod.affinity, nodeSelector: pod.nodeSelector, resources: pod.resources, tolerations: pod.tolerations }),
};

/** The add-on's configuration schema (what DescribeAddonConfiguration returns, as a JSON Schema). */
export function addonConfigurationSchema(name: string): JsonSchema | undefined {
  const s = SCHEMAS[name];
  return s && { $schema: 'http://json-schema.org/draft-07/schema#', ...s };
}

const jsonType = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v;

/** Validation errors in the wording of the JSON-schema validator EKS runs ("$.foo: ..."). */
function validate(value: unknown, schema: JsonSchema, path: string, errors: string[]): void {
  const t = jsonType(value);
  if (schema.type && !(t === schema.type || (schema.type === 'number' && t === 'integer'))) {
    errors.push(`${path}: ${t} found, ${schema.type} expected`);
    return;
  }
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${path}: does not have a value in the enumeration [${schema.enum.join(', ')}]`);
  if (schema.minimum !== undefined && typeof value === 'number' && value < schema.minimum) errors.push(`${path}: must have a minimum value of ${schema.minimum}`);
  if (t === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const prop = schema.properties?.[k];
      if (prop) validate(v, prop, `${path}.${k}`, errors);
      else if (schema.additionalProperties === false) errors.push(`${path}.${k}: is not defined in the schema and the schema does not allow additional properties`);
      else if (typeof schema.additionalProperties === 'object') validate(v, schema.additionalProperties, `${path}.${k}`, errors);
    }
  }
  if (t === 'array' && schema.items) (value as unknown[]).forEach((v, i) => validate(v, schema.items!, `${path}[${i}]`, errors));
}

const NOT_SUPPORTED = 'ConfigurationValue provided in request is not supported';

/**
 * Parses and validates configurationValues against the add-on's schema, throwing what EKS answers
 * (InvalidParameterException "ConfigurationValue provided in request is not supported: Json schema
 * validation failed with error: [$.foo: is not defined in the schema ...]"). Empty means none.
 */
export function parseConfigurationValues(name: string, raw: string | undefined): Record<string, any> {
  if (raw === undefined || raw.trim() === '') return {};
  const schema = SCHEMAS[name];
  if (!schema) throw new Error(`no configuration schema for add-on ${name}`);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    try {
      value = parseYaml(raw);
    } catch (e) {
      // EKS's wording for unparseable values is not verified; the prefix is.
      throw new AddonConfigurationError(`${NOT_SUPPORTED}: configurationValues is neither valid JSON nor valid YAML: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  const errors: string[] = [];
  validate(value, schema, '$', errors);
  if (errors.length) throw new AddonConfigurationError(`${NOT_SUPPORTED}: Json schema validation failed with error: [${errors.join(', ')}]`);
  return value as Record<string, any>;
}

// ---- helpers --------------------------------------------------------------------------------------

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Helm's value merge: maps merge key by key, anything else replaces. */
function merge<T>(base: T, override: unknown): T {
  if (!isMap(base) || !isMap(override)) return structuredClone(override) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) out[k] = k in out ? merge(out[k], v) : structuredClone(v);
  return out as T;
}

/** "v1.19.2-eksbuild.1" → "v1.19.2". */
const upstreamVersion = (v: string) => v.replace(/-eksbuild\.\d+$/, '');

/** The kube-dns Service's address: the tenth of the service CIDR (10.100.0.10 for 10.100.0.0/16). */
export function kubeDnsClusterIP(serviceCIDR: string): string {
  return intToIp(parseCidr(serviceCIDR).base + 10);
}

const CRITICAL_ADDONS_ONLY: Toleration = { key: 'CriticalAddonsOnly', operator: 'Exists' };
const TOLERATE_ALL: Toleration[] = [{ operator: 'Exists' }];
type NodeSelectorRequirement = { key: string; operator: string; values?: string[] };
const LINUX_NODES: NodeSelectorRequirement = { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] };
const ARCHES: NodeSelectorRequirement = { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] };
const notOn = (...computeTypes: string[]): NodeSelectorRequirement => ({ key: 'eks.amazonaws.com/compute-type', operator: 'NotIn', values: computeTypes });
const nodeAffinity = (...expressions: NodeSelectorRequirement[]) => ({
  nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: expressions }] } },
});
const fieldEnv = (name: string, fieldPath: string) => ({ name, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } } });
const hostPath = (name: string, path: string, type?: string) => ({ name, hostPath: type ? { path, type } : { path } });

/** Applies the pod-level values every add-on schema shares (where the schema has them). */
function applyPodValues(template: PodTemplateSpec, values: Record<string, any>, mainContainer: string): void {
  const spec = template.spec as PodSpec;
  if (values.resources) {
    const c = spec.containers.find((x) => x.name === mainContainer)!;
    c.resources = merge(c.resources ?? {}, values.resources);
  }
  if (values.tolerations) spec.tolerations = structuredClone(values.tolerations);
  if (values.nodeSelector) spec.nodeSelector = merge(spec.nodeSelector ?? {}, values.nodeSelector);
  if (values.affinity) spec.affinity = merge(spec.affinity ?? {}, values.affinity);
  if (values.topologySpreadConstraints) spec.topologySpreadConstraints = structuredClone(values.topologySpreadConstraints);
  if (values.podAnnotations) template.metadata = { ...template.metadata, annotations: { ...template.metadata?.annotations, ...values.podAnnotations } };
  if (values.podLabels) template.metadata = { ...template.metadata, labels: { ...values.podLabels, ...template.metadata?.labels } };
}

const serviceAccount = (name: string, labels: Record<string, string>): ServiceAccount => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: NS, labels } });
const clusterRole = (name: string, labels: Record<string, string>, rules: Record<string, unknown>[], extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRole',
  metadata: { name, labels, ...extra },
  rules,
});
const clusterRoleBinding = (name: string, labels: Record<string, string>, role: string, sa: string, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRoleBinding',
  metadata: { name, labels, ...extra },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
  subjects: [{ kind: 'ServiceAccount', name: sa, namespace: NS }],
});
/** A RoleBinding in the add-on's namespace of a Role there to one of its ServiceAccounts. */
const roleBinding = (name: string, labels: Record<string, string>, role: string, sa: string): KubeObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'RoleBinding',
  metadata: { name, namespace: NS, labels },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role },
  subjects: [{ kind: 'ServiceAccount', name: sa, namespace: NS }],
});
const rule = (apiGroups: string[], resources: string[], verbs: string[]) => ({ apiGroups, resources, verbs });

interface Build {
  version: string;
  images: Record<string, string>;
  ctx: AddonContext;
  values: Record<string, any>;
}

// ---- vpc-cni --------------------------------------------------------------------------------------

function vpcCni({ version, images, ctx, values }: Build): KubeObject[] {
  const labels = { 'app.kubernetes.io/name': 'aws-node', 'app.kubernetes.io/instance': 'aws-vpc-cni', 'k8s-app': 'aws-node', 'app.kubernetes.io/version': upstreamVersion(version) };
  const networkPolicy = values.enableNetworkPolicy === 'true';
  const env: Record<string, string> = {
    ADDITIONAL_ENI_TAGS: '{}',
    ANNOTATE_POD_IP: 'false',
    AWS_VPC_CNI_NODE_PORT_SUPPORT: 'true',
    AWS_VPC_ENI_MTU: '9001',
    AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: 'false',
    AWS_VPC_K8S_CNI_EXTERNALSNAT: 'false',
    AWS_VPC_K8S_CNI_LOGLEVEL: 'DEBUG',
    AWS_VPC_K8S_CNI_LOG_FILE: '/host/var/log/aws-routed-eni/ipamd.log',
    AWS_VPC_K8S_CNI_RANDOMIZESNAT: 'prng',
    AWS_VPC_K8S_CNI_VETHPREFIX: 'eni',
    AWS_VPC_K8S_PLUGIN_LOG_FILE: '/var/log/aws-routed-eni/plugin.log',
    AWS_VPC_K8S_PLUGIN_LOG_LEVEL: 'DEBUG',
    CLUSTER_NAME: ctx.clusterName,
    DISABLE_INTROSPECTION: 'false',
    DISABLE_METRICS: 'false',
    DISABLE_NETWORK_RESOURCE_PROVISIONING: 'false',
    ENABLE_IPv4: 'true',
    ENABLE_IPv6: 'false',
    ENABLE_POD_ENI: 'false',
    ENABLE_PREFIX_DELEGATION: 'false',
    ENABLE_SUBNET_DISCOVERY: 'true',
    NETWORK_POLICY_ENFORCING_MODE: 'standard',
    VPC_CNI_VERSION: upstreamVersion(version),
    WARM_ENI_TARGET: '1',
    WARM_PREFIX_TARGET: '1',
    ...values.env,
  };
  const initEnv: Record<string, string> = { DISABLE_TCP_EARLY_DEMUX: 'false', ENABLE_IPv6: 'false', ...values.init?.env };
  const agent = values.nodeAgent ?? {};
  const probe = (timeoutSeconds: number, initialDelaySeconds: number) => ({
    exec: { command: ['/app/grpc-health-probe', '-addr=:50051', '-connect-timeout=5s', '-rpc-timeout=5s'] },
    initialDelaySeconds,
    timeoutSeconds,
  });
  const daemonSet: DaemonSet = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'aws-node', namespace: NS, labels },
    spec: {
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } },
      selector: { matchLabels: { 'k8s-app': 'aws-node' } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'aws-node', 'app.kubernetes.io/instance': 'aws-vpc-cni', 'k8s-app': 'aws-node' } },
        spec: {
          priorityClassName: 'system-node-critical',
          serviceAccountName: 'aws-node',
          hostNetwork: true,
          initContainers: [
            {
              name: 'aws-vpc-cni-init',
              image: `${ecrRegistry(ctx.region)}/${images['aws-vpc-cni-init']}`,
              env: Object.entries(initEnv).map(([name, value]) => ({ name, value })),
              securityContext: { privileged: true },
              resources: { requests: { cpu: '25m' } },
              volumeMounts: [{ mountPath: '/host/opt/cni/bin', name: 'cni-bin-dir' }],
            },
          ],
          terminationGracePeriodSeconds: 10,
          tolerations: structuredClone(TOLERATE_ALL),
          securityContext: {},
          containers: [
            {
              name: 'aws-node',
              image: `${ecrRegistry(ctx.region)}/${images['aws-node']}`,
              ports: [{ containerPort: 61678, name: 'metrics' }],
              livenessProbe: probe(values.livenessProbeTimeoutSeconds ?? 10, 60),
              readinessProbe: probe(values.readinessProbeTimeoutSeconds ?? 10, 1),
              env: [...Object.entries(env).map(([name, value]) => ({ name, value })), fieldEnv('MY_NODE_NAME', 'spec.nodeName'), fieldEnv('MY_POD_NAME', 'metadata.name')],
              resources: { requests: { cpu: '25m' } },
              securityContext: { capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } },
              volumeMounts: [
                { mountPath: '/host/opt/cni/bin', name: 'cni-bin-dir' },
                { mountPath: '/host/etc/cni/net.d', name: 'cni-net-dir' },
                { mountPath: '/host/var/log/aws-routed-eni', name: 'log-dir' },
                { mountPath: '/var/run/aws-node', name: 'run-dir' },
                { mountPath: '/run/xtables.lock', name: 'xtables-lock' },
              ],
            },
            {
              name: 'aws-eks-nodeagent',
              image: `${ecrRegistry(ctx.region)}/${images['aws-eks-nodeagent']}`,
              env: [fieldEnv('MY_NODE_NAME', 'spec.nodeName')],
              args: [
                `--enable-ipv6=${agent.enableIpv6 ?? 'false'}`,
                `--enable-network-policy=${networkPolicy}`,
                `--enable-cloudwatch-logs=${agent.enableCloudWatchLogs ?? 'false'}`,
                `--enable-policy-event-logs=${agent.enablePolicyEventLogs ?? 'false'}`,
                '--log-file=/var/log/aws-routed-eni/network-policy-agent.log',
                `--metrics-bind-addr=${agent.metricsBindAddr ?? ':8162'}`,
                `--health-probe-bind-addr=${agent.healthProbeBindAddr ?? ':8163'}`,
                `--conntrack-cache-cleanup-period=${agent.conntrackCacheCleanupPeriod ?? 300}`,
              ],
              resources: merge({ requests: { cpu: '25m' } }, agent.resources ?? {}),
              securityContext: { capabilities: { add: ['NET_ADMIN'] }, privileged: true },
              volumeMounts: [
                { mountPath: '/host/opt/cni/bin', name: 'cni-bin-dir' },
                { mountPath: '/sys/fs/bpf', name: 'bpf-pin-path' },
                { mountPath: '/var/log/aws-routed-eni', name: 'log-dir' },
                { mountPath: '/var/run/aws-node', name: 'run-dir' },
              ],
            },
          ],
          volumes: [
            hostPath('bpf-pin-path', '/sys/fs/bpf'),
            hostPath('cni-bin-dir', '/opt/cni/bin'),
            hostPath('cni-net-dir', '/etc/cni/net.d'),
            hostPath('log-dir', '/var/log/aws-routed-eni', 'DirectoryOrCreate'),
            hostPath('run-dir', '/var/run/aws-node', 'DirectoryOrCreate'),
            hostPath('xtables-lock', '/run/xtables.lock', 'FileOrCreate'),
          ],
          affinity: nodeAffinity(LINUX_NODES, ARCHES, notOn('fargate', 'hybrid', 'auto')),
        },
      },
    },
  };
  applyPodValues(daemonSet.spec!.template, values, 'aws-node');
  const configMap: ConfigMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'amazon-vpc-cni', namespace: NS, labels },
    data: {
      'enable-windows-ipam': values.enableWindowsIpam ?? 'false',
      'enable-network-policy-controller': String(networkPolicy),
      'enable-windows-prefix-delegation': values.enableWindowsPrefixDelegation ?? 'false',
      'warm-prefix-target': '0',
      'warm-ip-target': '1',
      'minimum-ip-target': '3',
      'branch-eni-cooldown': '60',
    },
  };
  // The chart also installs the PolicyEndpoint CRD (networking.k8s.aws); its long schema is left out.
  const eniConfigCRD: KubeObject = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'eniconfigs.crd.k8s.amazonaws.com' },
    spec: {
      scope: 'Cluster',
      group: 'crd.k8s.amazonaws.com',
      preserveUnknownFields: false,
      versions: [{ name: 'v1alpha1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      names: { plural: 'eniconfigs', singular: 'eniconfig', kind: 'ENIConfig' },
    },
  };
  return [
    eniConfigCRD,
    serviceAccount('aws-node', labels),
    configMap,
    clusterRole('aws-node', labels, [
      rule(['crd.k8s.amazonaws.com'], ['eniconfigs'], ['list', 'watch', 'get']),
      rule([''], ['namespaces'], ['list', 'watch', 'get']),
      rule([''], ['pods'], ['list', 'watch', 'get']),
      rule([''], ['nodes'], ['list', 'watch', 'get']),
      rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'list']),
      rule(['networking.k8s.aws'], ['policyendpoints'], ['get', 'list', 'watch']),
      rule(['networking.k8s.aws'], ['policyendpoints/status'], ['get']),
      rule(['vpcresources.k8s.aws'], ['cninodes'], ['get', 'list', 'patch']),
    ]),
    clusterRoleBinding('aws-node', labels, 'aws-node', 'aws-node'),
    daemonSet,
  ];
}

// ---- coredns --------------------------------------------------------------------------------------

const DEFAULT_COREFILE = `.:53 {
    errors
    health {
        lameduck 5s
      }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
      pods insecure
      fallthrough in-addr.arpa ip6.arpa
    }
    prometheus :9153
    forward . /etc/resolv.conf
    cache 30
    loop
    reload
    loadbalance
}
`;

function coredns({ images, ctx, values }: Build): KubeObject[] {
  const labels = { 'eks.amazonaws.com/component': 'coredns', 'k8s-app': 'kube-dns' };
  const deployment: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'coredns', namespace: NS, labels: { ...labels, 'kubernetes.io/name': 'CoreDNS' } },
    spec: {
      replicas: values.replicaCount ?? 2,
      selector: { matchLabels: { ...labels } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: { labels: { ...labels } },
        spec: {
          priorityClassName: 'system-cluster-critical',
          serviceAccountName: 'coredns',
          affinity: {
            ...nodeAffinity(LINUX_NODES, ARCHES),
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                { weight: 100, podAffinityTerm: { labelSelector: { matchExpressions: [{ key: 'k8s-app', operator: 'In', values: ['kube-dns'] }] }, topologyKey: 'kubernetes.io/hostname' } },
              ],
            },
          },
          tolerations: [{ ...CRITICAL_ADDONS_ONLY }, { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }, { key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' }],
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          containers: [
            {
              name: 'coredns',
              image: `${ecrRegistry(ctx.region)}/${images.coredns}`,
              imagePullPolicy: 'IfNotPresent',
              resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
              args: ['-conf', '/etc/coredns/Corefile'],
              volumeMounts: [{ name: 'config-volume', mountPath: '/etc/coredns', readOnly: true }],
              ports: [
                { containerPort: 53, name: 'dns', protocol: 'UDP' },
                { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' },
                { containerPort: 9153, name: 'metrics', protocol: 'TCP' },
              ],
              securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] }, readOnlyRootFilesystem: true },
              livenessProbe: { httpGet: { path: '/health', port: 8080, scheme: 'HTTP' }, initialDelaySeconds: 60, timeoutSeconds: 5, successThreshold: 1, failureThreshold: 5 },
              readinessProbe: { httpGet: { path: '/ready', port: 8181, scheme: 'HTTP' }, initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 },
            },
          ],
          dnsPolicy: 'Default',
          volumes: [{ name: 'config-volume', configMap: { name: 'coredns', items: [{ key: 'Corefile', path: 'Corefile' }] } }],
        },
      },
    },
  };
  applyPodValues(deployment.spec!.template, values, 'coredns');
  const clusterIP = kubeDnsClusterIP(ctx.serviceCIDR);
  const service: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kube-dns',
      namespace: NS,
      labels: { 'eks.amazonaws.com/component': 'kube-dns', 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
      annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
    },
    spec: {
      selector: { 'k8s-app': 'kube-dns' },
      clusterIP,
      clusterIPs: [clusterIP],
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ],
    },
  };
  const pdbValues = values.podDisruptionBudget ?? {};
  const budget = pdbValues.minAvailable !== undefined ? { minAvailable: pdbValues.minAvailable } : { maxUnavailable: pdbValues.maxUnavailable ?? 1 };
  const pdb: PodDisruptionBudget = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'coredns', namespace: NS, labels },
    spec: { ...budget, selector: { matchLabels: { ...labels } } },
  };
  const configMap: ConfigMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'coredns', namespace: NS, labels },
    data: { Corefile: values.corefile ?? DEFAULT_COREFILE },
  };
  return [
    serviceAccount('coredns', labels),
    clusterRole('system:coredns', { ...labels, 'kubernetes.io/bootstrapping': 'rbac-defaults' }, [
      rule([''], ['endpoints', 'services', 'pods', 'namespaces'], ['list', 'watch']),
      rule([''], ['nodes'], ['get']),
      rule(['discovery.k8s.io'], ['endpointslices'], ['list', 'watch']),
    ]),
    clusterRoleBinding('system:coredns', { ...labels, 'kubernetes.io/bootstrapping': 'rbac-defaults' }, 'system:coredns', 'coredns', {
      annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
    }),
    configMap,
    deployment,
    service,
    // EKS leaves the PodDisruptionBudget in place when podDisruptionBudget.enabled is false.
    pdb,
  ];
}

// ---- kube-proxy -----------------------------------------------------------------------------------

function kubeProxy({ images, ctx, values }: Build): KubeObject[] {
  const labels = { 'eks.amazonaws.com/component': 'kube-proxy', 'k8s-app': 'kube-proxy' };
  const server = ctx.endpoint ?? `https://${ctx.clusterName}.${ctx.region}.eks.amazonaws.com`;
  const kubeconfig = [
    'kind: Config',
    'apiVersion: v1',
    'clusters:',
    '- cluster:',
    '    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
    `    server: ${server}`,
    '  name: default',
    'contexts:',
    '- context:',
    '    cluster: default',
    '    namespace: default',
    '    user: default',
    '  name: default',
    'current-context: default',
    'users:',
    '- name: default',
    '  user:',
    '    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token',
  ].join('\n');
  const config = [
    'apiVersion: kubeproxy.config.k8s.io/v1alpha1',
    'bindAddress: 0.0.0.0',
    'clientConnection:',
    '  acceptContentTypes: ""',
    '  burst: 10',
    '  contentType: application/vnd.kubernetes.protobuf',
    '  kubeconfig: /var/lib/kube-proxy/kubeconfig',
    '  qps: 5',
    'clusterCIDR: ""',
    'configSyncPeriod: 15m0s',
    'conntrack:',
    '  maxPerCore: 32768',
    '  min: 131072',
    '  tcpCloseWaitTimeout: 1h0m0s',
    '  tcpEstablishedTimeout: 24h0m0s',
    'enableProfiling: false',
    'healthzBindAddress: 0.0.0.0:10256',
    'hostnameOverride: ""',
    'iptables:',
    '  masqueradeAll: false',
    '  masqueradeBit: 14',
    '  minSyncPeriod: 0s',
    '  syncPeriod: 30s',
    'ipvs:',
    '  excludeCIDRs: null',
    '  minSyncPeriod: 0s',
    `  scheduler: "${values.ipvs?.scheduler ?? ''}"`,
    '  syncPeriod: 30s',
    'kind: KubeProxyConfiguration',
    'metricsBindAddress: 0.0.0.0:10249',
    `mode: "${values.mode ?? 'iptables'}"`,
    'nodePortAddresses: null',
    'oomScoreAdj: -998',
    'portRange: ""',
  ].join('\n');
  const daemonSet: DaemonSet = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'kube-proxy', namespace: NS, labels },
    spec: {
      selector: { matchLabels: { 'k8s-app': 'kube-proxy' } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } },
      template: {
        metadata: { labels: { 'k8s-app': 'kube-proxy' } },
        spec: {
          affinity: nodeAffinity(LINUX_NODES, ARCHES, notOn('fargate', 'auto')),
          containers: [
            {
              name: 'kube-proxy',
              image: `${ecrRegistry(ctx.region)}/${images['kube-proxy']}`,
              command: ['kube-proxy', '--v=2', '--config=/var/lib/kube-proxy-config/config', '--hostname-override=$(NODE_NAME)'],
              env: [fieldEnv('NODE_NAME', 'spec.nodeName')],
              resources: { requests: { cpu: '100m' } },
              securityContext: { privileged: true },
              volumeMounts: [
                { mountPath: '/var/log', name: 'varlog' },
                { mountPath: '/run/xtables.lock', name: 'xtables-lock' },
                { mountPath: '/lib/modules', name: 'lib-modules', readOnly: true },
                { mountPath: '/var/lib/kube-proxy/', name: 'kubeconfig' },
                { mountPath: '/var/lib/kube-proxy-config/', name: 'config' },
              ],
            },
          ],
          hostNetwork: true,
          priorityClassName: 'system-node-critical',
          serviceAccountName: 'kube-proxy',
          tolerations: structuredClone(TOLERATE_ALL),
          volumes: [
            hostPath('varlog', '/var/log'),
            hostPath('xtables-lock', '/run/xtables.lock', 'FileOrCreate'),
            hostPath('lib-modules', '/lib/modules'),
            { name: 'kubeconfig', configMap: { name: 'kube-proxy' } },
            { name: 'config', configMap: { name: 'kube-proxy-config' } },
          ],
        },
      },
    },
  };
  applyPodValues(daemonSet.spec!.template, values, 'kube-proxy');
  return [
    serviceAccount('kube-proxy', labels),
    clusterRoleBinding('eks:kube-proxy', labels, 'system:node-proxier', 'kube-proxy'),
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-proxy', namespace: NS, labels }, data: { kubeconfig } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-proxy-config', namespace: NS, labels }, data: { config } },
    daemonSet,
  ];
}

// ---- aws-ebs-csi-driver ---------------------------------------------------------------------------

function ebsCsiDriver({ version, images, ctx, values }: Build): KubeObject[] {
  const labels = {
    'app.kubernetes.io/component': 'csi-driver',
    'app.kubernetes.io/managed-by': 'EKS',
    'app.kubernetes.io/name': 'aws-ebs-csi-driver',
    'app.kubernetes.io/version': upstreamVersion(version).replace(/^v/, ''),
  };
  const img = (role: string) => `${ecrRegistry(ctx.region)}/${images[role]}`;
  const sidecarResources = () => ({ limits: { memory: '256Mi' }, requests: { cpu: '10m', memory: '40Mi' } });
  const sidecarSecurity = { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false };
  const controllerValues = values.controller ?? {};
  const nodeValues = values.node ?? {};
  const tags = Object.entries((controllerValues.extraVolumeTags ?? {}) as Record<string, string>).map(([k, v]) => `${k}=${v}`);
  const extraTags = tags.length ? [`--extra-tags=${tags.join(',')}`] : [];
  const controllerSelector = { app: 'ebs-csi-controller', 'app.kubernetes.io/name': 'aws-ebs-csi-driver' };
  const socketDir = { name: 'socket-dir', mountPath: '/var/lib/csi/sockets/pluginproxy/' };
  const sidecar = (name: string, args: string[]) => ({
    name,
    image: img(name),
    imagePullPolicy: 'IfNotPresent',
    args: [...args, '--csi-address=$(ADDRESS)', '--v=2'],
    env: [{ name: 'ADDRESS', value: '/var/lib/csi/sockets/pluginproxy/csi.sock' }],
    volumeMounts: [{ ...socketDir }],
    resources: sidecarResources(),
    securityContext: { ...sidecarSecurity },
  });
  const controller: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'ebs-csi-controller', namespace: NS, labels },
    spec: {
      replicas: controllerValues.replicaCount ?? 2,
      revisionHistoryLimit: 10,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      selector: { matchLabels: { ...controllerSelector } },
      template: {
        metadata: { labels: { ...controllerSelector, ...labels } },
        spec: {
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          serviceAccountName: 'ebs-csi-controller-sa',
          priorityClassName: 'system-cluster-critical',
          affinity: {
            ...nodeAffinity(notOn('fargate', 'auto', 'hybrid')),
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                { weight: 100, podAffinityTerm: { labelSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['ebs-csi-controller'] }] }, topologyKey: 'kubernetes.io/hostname' } },
              ],
            },
          },
          tolerations: [{ ...CRITICAL_ADDONS_ONLY }, { effect: 'NoExecute', operator: 'Exists', tolerationSeconds: 300 }],
          securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 },
          containers: [
            {
              name: 'ebs-plugin',
              image: img('ebs-plugin'),
              imagePullPolicy: 'IfNotPresent',
              args: ['controller', '--endpoint=$(CSI_ENDPOINT)', '--batching=true', ...extraTags, `--logging-format=${controllerValues.loggingFormat ?? 'text'}`, '--v=2'],
              env: [
                { name: 'CSI_ENDPOINT', value: 'unix:///var/lib/csi/sockets/pluginproxy/csi.sock' },
                fieldEnv('CSI_NODE_NAME', 'spec.nodeName'),
                { name: 'AWS_REGION', value: ctx.region },
              ],
              volumeMounts: [{ ...socketDir }],
              ports: [{ name: 'healthz', containerPort: 9808, protocol: 'TCP' }],
              livenessProbe: { httpGet: { path: '/healthz', port: 'healthz' }, initialDelaySeconds: 10, timeoutSeconds: 3, periodSeconds: 10, failureThreshold: 5 },
              readinessProbe: { httpGet: { path: '/healthz', port: 'healthz' }, initialDelaySeconds: 10, timeoutSeconds: 3, periodSeconds: 10, failureThreshold: 5 },
              resources: sidecarResources(),
              securityContext: { ...sidecarSecurity },
            },
            sidecar('csi-provisioner', ['--timeout=60s', '--feature-gates=Topology=true', '--extra-create-metadata', '--leader-election=true', '--default-fstype=ext4', '--kube-api-qps=20', '--kube-api-burst=100', '--worker-threads=100', '--retry-interval-max=30m']),
            sidecar('csi-attacher', ['--timeout=6m', '--leader-election=true', '--kube-api-qps=20', '--kube-api-burst=100', '--worker-threads=100', '--retry-interval-max=5m']),
            sidecar('csi-snapshotter', ['--leader-election=true', '--extra-create-metadata', '--kube-api-qps=20', '--kube-api-burst=100', '--worker-threads=100', '--retry-interval-max=30m']),
            sidecar('csi-resizer', ['--timeout=60s', '--handle-volume-inuse-error=false', '--leader-election=true', '--kube-api-qps=20', '--kube-api-burst=100', '--workers=100', '--retry-interval-max=30m']),
            {
              name: 'liveness-probe',
              image: img('liveness-probe'),
              imagePullPolicy: 'IfNotPresent',
              args: ['--csi-address=/csi/csi.sock'],
              volumeMounts: [{ name: 'socket-dir', mountPath: '/csi' }],
              resources: sidecarResources(),
              securityContext: { ...sidecarSecurity },
            },
          ],
          volumes: [{ name: 'socket-dir', emptyDir: {} }],
        },
      },
    },
  };
  applyPodValues(controller.spec!.template, controllerValues, 'ebs-plugin');
  const nodeSelectorLabels = { app: 'ebs-csi-node', 'app.kubernetes.io/name': 'aws-ebs-csi-driver' };
  const node: DaemonSet = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'ebs-csi-node', namespace: NS, labels },
    spec: {
      selector: { matchLabels: { ...nodeSelectorLabels } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } },
      template: {
        metadata: { labels: { ...nodeSelectorLabels, ...labels } },
        spec: {
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          serviceAccountName: 'ebs-csi-node-sa',
          terminationGracePeriodSeconds: 30,
          priorityClassName: 'system-node-critical',
          affinity: nodeAffinity(notOn('fargate', 'auto', 'hybrid')),
          tolerations: nodeValues.tolerateAllTaints === false ? [{ ...CRITICAL_ADDONS_ONLY }, { effect: 'NoExecute', operator: 'Exists', tolerationSeconds: 300 }] : structuredClone(TOLERATE_ALL),
          securityContext: { runAsNonRoot: false, runAsUser: 0, runAsGroup: 0, fsGroup: 0 },
          containers: [
            {
              name: 'ebs-plugin',
              image: img('ebs-plugin'),
              imagePullPolicy: 'IfNotPresent',
              args: ['node', '--endpoint=$(CSI_ENDPOINT)', '--csi-mount-point-prefix=/var/lib/kubelet/plugins/kubernetes.io/csi/ebs.csi.aws.com/', ...(nodeValues.volumeAttachLimit ? [`--volume-attach-limit=${nodeValues.volumeAttachLimit}`] : []), `--logging-format=${nodeValues.loggingFormat ?? 'text'}`, '--v=2'],
              env: [{ name: 'CSI_ENDPOINT', value: 'unix:/csi/csi.sock' }, fieldEnv('CSI_NODE_NAME', 'spec.nodeName')],
              volumeMounts: [
                { name: 'kubelet-dir', mountPath: '/var/lib/kubelet', mountPropagation: 'Bidirectional' },
                { name: 'plugin-dir', mountPath: '/csi' },
                { name: 'device-dir', mountPath: '/dev' },
              ],
              ports: [{ name: 'healthz', containerPort: 9808, protocol: 'TCP' }],
              livenessProbe: { httpGet: { path: '/healthz', port: 'healthz' }, initialDelaySeconds: 10, timeoutSeconds: 3, periodSeconds: 10, failureThreshold: 5 },
              resources: sidecarResources(),
              securityContext: { privileged: true, readOnlyRootFilesystem: true },
            },
            {
              name: 'node-driver-registrar',
              image: img('node-driver-registrar'),
              imagePullPolicy: 'IfNotPresent',
              args: ['--csi-address=$(ADDRESS)', '--kubelet-registration-path=$(DRIVER_REG_SOCK_PATH)', '--v=2'],
              env: [
                { name: 'ADDRESS', value: '/csi/csi.sock' },
                { name: 'DRIVER_REG_SOCK_PATH', value: '/var/lib/kubelet/plugins/ebs.csi.aws.com/csi.sock' },
              ],
              livenessProbe: { exec: { command: ['/csi-node-driver-registrar', '--kubelet-registration-path=$(DRIVER_REG_SOCK_PATH)', '--mode=kubelet-registration-probe'] }, initialDelaySeconds: 30, periodSeconds: 90, timeoutSeconds: 15 },
              volumeMounts: [
                { name: 'plugin-dir', mountPath: '/csi' },
                { name: 'registration-dir', mountPath: '/registration' },
                { name: 'probe-dir', mountPath: '/var/lib/kubelet/plugins/ebs.csi.aws.com/' },
              ],
              resources: sidecarResources(),
              securityContext: { ...sidecarSecurity },
            },
            {
              name: 'liveness-probe',
              image: img('liveness-probe'),
              imagePullPolicy: 'IfNotPresent',
              args: ['--csi-address=/csi/csi.sock'],
              volumeMounts: [{ name: 'plugin-dir', mountPath: '/csi' }],
              resources: sidecarResources(),
              securityContext: { ...sidecarSecurity },
            },
          ],
          volumes: [
            hostPath('kubelet-dir', '/var/lib/kubelet', 'Directory'),
            hostPath('plugin-dir', '/var/lib/kubelet/plugins/ebs.csi.aws.com/', 'DirectoryOrCreate'),
            hostPath('registration-dir', '/var/lib/kubelet/plugins_registry/', 'Directory'),
            hostPath('device-dir', '/dev', 'Directory'),
            hostPath('probe-dir', '/var/lib/kubelet/plugins/ebs.csi.aws.com/', 'DirectoryOrCreate'),
          ],
        },
      },
    },
  };
  applyPodValues(node.spec!.template, nodeValues, 'ebs-plugin');
  const pdb: PodDisruptionBudget = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'ebs-csi-controller', namespace: NS, labels },
    spec: { selector: { matchLabels: { ...controllerSelector } }, maxUnavailable: 1 },
  };
  const csiDriver: KubeObject = {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'CSIDriver',
    metadata: { name: 'ebs.csi.aws.com', labels },
    spec: { attachRequired: true, podInfoOnMount: false, fsGroupPolicy: 'File' },
  };
  const objects: KubeObject[] = [
    serviceAccount('ebs-csi-controller-sa', labels),
    serviceAccount('ebs-csi-node-sa', labels),
    clusterRole('ebs-external-provisioner-role', labels, [
      rule([''], ['persistentvolumes'], ['get', 'list', 'watch', 'create', 'patch', 'delete']),
      rule([''], ['persistentvolumeclaims'], ['get', 'list', 'watch', 'update']),
      rule(['storage.k8s.io'], ['storageclasses'], ['get', 'list', 'watch']),
      rule([''], ['events'], ['list', 'watch', 'create', 'update', 'patch']),
      rule(['snapshot.storage.k8s.io'], ['volumesnapshots'], ['get', 'list']),
      rule(['snapshot.storage.k8s.io'], ['volumesnapshotcontents'], ['get', 'list']),
      rule(['storage.k8s.io'], ['csinodes'], ['get', 'list', 'watch']),
      rule([''], ['nodes'], ['get', 'list', 'watch']),
      rule(['storage.k8s.io'], ['volumeattachments'], ['get', 'list', 'watch']),
      rule(['storage.k8s.io'], ['volumeattributesclasses'], ['get']),
    ]),
    clusterRole('ebs-external-attacher-role', labels, [
      rule([''], ['persistentvolumes'], ['get', 'list', 'watch', 'update', 'patch']),
      rule([''], ['nodes'], ['get', 'list', 'watch']),
      rule(['csi.storage.k8s.io'], ['csinodeinfos'], ['get', 'list', 'watch']),
      rule(['storage.k8s.io'], ['volumeattachments'], ['get', 'list', 'watch', 'update', 'patch']),
      rule(['storage.k8s.io'], ['volumeattachments/status'], ['patch']),
    ]),
    clusterRole('ebs-csi-node-role', labels, [
      rule([''], ['nodes'], ['get', 'patch']),
      rule(['storage.k8s.io'], ['volumeattachments'], ['get', 'list', 'watch']),
      rule(['storage.k8s.io'], ['csinodes'], ['get']),
    ]),
    // The controllers' leader election, in the driver's namespace.
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'ebs-csi-leases-role', namespace: NS, labels },
      rules: [rule(['coordination.k8s.io'], ['leases'], ['get', 'watch', 'list', 'delete', 'update', 'create'])],
    },
    // skiff's API server already holds this role and binding (its simulated EBS provisioner runs as
    // ebs-csi-controller-sa from the first start), with the same rules: install by apply, as EKS does.
    clusterRoleBinding('ebs-csi-provisioner-binding', labels, 'ebs-external-provisioner-role', 'ebs-csi-controller-sa'),
    clusterRoleBinding('ebs-csi-attacher-binding', labels, 'ebs-external-attacher-role', 'ebs-csi-controller-sa'),
    clusterRoleBinding('ebs-csi-node-getter-binding', labels, 'ebs-csi-node-role', 'ebs-csi-node-sa'),
    roleBinding('ebs-csi-leases-rolebinding', labels, 'ebs-csi-leases-role', 'ebs-csi-controller-sa'),
    controller,
    node,
    pdb,
    csiDriver,
  ];
  if (values.defaultStorageClass?.enabled) {
    objects.push({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'ebs-csi-default-sc', labels, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'ebs.csi.aws.com',
      volumeBindingMode: 'WaitForFirstConsumer',
      reclaimPolicy: 'Delete',
      allowVolumeExpansion: true,
    });
  }
  return objects;
}

// ---- metrics-server -------------------------------------------------------------------------------

function metricsServer({ version, images, ctx, values }: Build): KubeObject[] {
  const selector = { 'app.kubernetes.io/name': 'metrics-server', 'app.kubernetes.io/instance': 'metrics-server' };
  const labels = { ...selector, 'app.kubernetes.io/version': upstreamVersion(version).replace(/^v/, ''), 'app.kubernetes.io/managed-by': 'EKS' };
  const deployment: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'metrics-server', namespace: NS, labels },
    spec: {
      replicas: values.replicas ?? 2,
      revisionHistoryLimit: 10,
      selector: { matchLabels: { ...selector } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: { labels: { ...selector } },
        spec: {
          serviceAccountName: 'metrics-server',
          priorityClassName: 'system-cluster-critical',
          tolerations: [{ ...CRITICAL_ADDONS_ONLY }],
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { ...selector } } }],
          containers: [
            {
              name: 'metrics-server',
              image: `${ecrRegistry(ctx.region)}/${images['metrics-server']}`,
              imagePullPolicy: 'IfNotPresent',
              args: [
                '--secure-port=10251',
                '--cert-dir=/tmp',
                '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname',
                '--kubelet-use-node-status-port',
                '--metric-resolution=15s',
                ...((values.args as string[] | undefined) ?? []),
              ],
              ports: [{ name: 'https', containerPort: 10251, protocol: 'TCP' }],
              livenessProbe: { httpGet: { path: '/livez', port: 'https', scheme: 'HTTPS' }, initialDelaySeconds: 0, periodSeconds: 10, failureThreshold: 3 },
              readinessProbe: { httpGet: { path: '/readyz', port: 'https', scheme: 'HTTPS' }, initialDelaySeconds: 20, periodSeconds: 10, failureThreshold: 3 },
              resources: { limits: { memory: '400Mi' }, requests: { cpu: '100m', memory: '200Mi' } },
              securityContext: {
                allowPrivilegeEscalation: false,
                capabilities: { drop: ['ALL'] },
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                runAsUser: 1000,
                seccompProfile: { type: 'RuntimeDefault' },
              },
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
  };
  applyPodValues(deployment.spec!.template, values, 'metrics-server');
  const service: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'metrics-server', namespace: NS, labels },
    spec: { type: 'ClusterIP', selector: { ...selector }, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 'https' }] },
  };
  const pdb: PodDisruptionBudget = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'metrics-server', namespace: NS, labels },
    spec: { minAvailable: 1, selector: { matchLabels: { ...selector } } },
  };
  return [
    serviceAccount('metrics-server', labels),
    clusterRole('system:metrics-server-aggregated-reader', { ...labels, 'rbac.authorization.k8s.io/aggregate-to-admin': 'true', 'rbac.authorization.k8s.io/aggregate-to-edit': 'true', 'rbac.authorization.k8s.io/aggregate-to-view': 'true' }, [
      rule(['metrics.k8s.io'], ['pods', 'nodes'], ['get', 'list', 'watch']),
    ]),
    clusterRole('system:metrics-server', labels, [rule([''], ['nodes/metrics'], ['get']), rule([''], ['pods', 'nodes', 'namespaces', 'configmaps'], ['get', 'list', 'watch'])]),
    clusterRoleBinding('metrics-server:system:auth-delegator', labels, 'system:auth-delegator', 'metrics-server'),
    clusterRoleBinding('system:metrics-server', labels, 'system:metrics-server', 'metrics-server'),
    roleBinding('metrics-server-auth-reader', labels, 'extension-apiserver-authentication-reader', 'metrics-server'),
    service,
    deployment,
    pdb,
  ];
}

// ---- eks-pod-identity-agent -----------------------------------------------------------------------

function podIdentityAgent({ version, images, ctx, values }: Build): KubeObject[] {
  const selector = { 'app.kubernetes.io/name': 'eks-pod-identity-agent', 'app.kubernetes.io/instance': 'eks-pod-identity-agent' };
  const agentVersion = images['eks-pod-identity-agent'].replace(/^.*:v/, '');
  const chart = upstreamVersion(version).replace(/^v/, '');
  const labels = { ...selector, 'app.kubernetes.io/managed-by': 'Helm', 'app.kubernetes.io/version': agentVersion, 'helm.sh/chart': `eks-pod-identity-agent-${chart}` };
  const image = `${ecrRegistry(ctx.region)}/${images['eks-pod-identity-agent']}`;
  const extraArgs = Object.entries((values.agent?.additionalArgs ?? {}) as Record<string, string>).flatMap(([k, v]) => [k, v]);
  const daemonSet: DaemonSet = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'eks-pod-identity-agent', namespace: NS, labels },
    spec: {
      revisionHistoryLimit: 10,
      selector: { matchLabels: { ...selector } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } },
      template: {
        metadata: { labels: { ...selector }, annotations: { 'eks.amazonaws.com/skip-containers': 'eks-pod-identity-agent,eks-pod-identity-agent-init' } },
        spec: {
          affinity: nodeAffinity(LINUX_NODES, ARCHES, notOn('fargate', 'hybrid', 'auto')),
          automountServiceAccountToken: false,
          hostNetwork: true,
          priorityClassName: 'system-node-critical',
          terminationGracePeriodSeconds: 30,
          tolerations: structuredClone(TOLERATE_ALL),
          initContainers: [
            {
              name: 'eks-pod-identity-agent-init',
              image,
              imagePullPolicy: 'Always',
              command: ['/go-runner', '/eks-pod-identity-agent', 'initialize'],
              securityContext: { privileged: true },
            },
          ],
          containers: [
            {
              name: 'eks-pod-identity-agent',
              image,
              imagePullPolicy: 'Always',
              command: ['/go-runner', '/eks-pod-identity-agent', 'server'],
              args: ['--port', '80', '--cluster-name', ctx.clusterName, '--probe-port', '2703', ...extraArgs],
              env: [{ name: 'AWS_REGION', value: ctx.region }],
              ports: [
                { containerPort: 80, name: 'proxy', protocol: 'TCP' },
                { containerPort: 2703, name: 'probes-port', protocol: 'TCP' },
              ],
              livenessProbe: { httpGet: { host: 'localhost', path: '/healthz', port: 'probes-port', scheme: 'HTTP' }, initialDelaySeconds: 30, timeoutSeconds: 10, failureThreshold: 3 },
              readinessProbe: { httpGet: { host: 'localhost', path: '/readyz', port: 'probes-port', scheme: 'HTTP' }, initialDelaySeconds: 1, timeoutSeconds: 10, failureThreshold: 30 },
              securityContext: { capabilities: { add: ['CAP_NET_BIND_SERVICE'] } },
            },
          ],
        },
      },
    },
  };
  applyPodValues(daemonSet.spec!.template, values, 'eks-pod-identity-agent');
  return [daemonSet];
}

const BUILDERS: Record<string, (b: Build) => KubeObject[]> = {
  'vpc-cni': vpcCni,
  coredns,
  'kube-proxy': kubeProxy,
  'aws-ebs-csi-driver': ebsCsiDriver,
  'metrics-server': metricsServer,
  'eks-pod-identity-agent': podIdentityAgent,
};

/**
 * The objects EKS creates for an add-on version, in creation order: CRDs, service accounts and RBAC,
 * config, workloads, services, disruption budgets. Throws AddonConfigurationError for
 * configurationValues EKS would refuse; an unknown add-on or version is the caller's to reject first.
 */
export function addonObjects(name: string, version: string, ctx: AddonContext): KubeObject[] {
  const build = BUILDERS[name];
  if (!build || !addonInfo(name)) throw new Error(`unknown add-on ${name}`);
  const info = addonVersionInfo(name, version);
  if (!info) throw new Error(`unknown version ${version} of add-on ${name}`);
  const values = parseConfigurationValues(name, ctx.configurationValues);
  return build({ version, images: info.images, ctx, values });
}
