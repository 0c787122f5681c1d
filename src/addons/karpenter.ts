// Karpenter's CRDs (karpenter.sh, karpenter.k8s.aws): the v1alpha5 Provisioner and v1alpha1
// AWSNodeTemplate of Karpenter up to v0.31 (what the seeds use), and the v1 NodePool and EC2NodeClass
// that replaced them in v1.0. Field names, types and columns follow the projects' published CRDs and
// API reference (karpenter.sh/docs). Where Karpenter v0.x rejected values in its validating webhook
// (requirement operators, taint effects, EBS volume types, IMDS options) the schema carries the
// allowed values instead, since skiff runs no add-on webhooks.
import type { CustomResourceDefinition } from '../apiextensions/types.js';
import { AGE_COLUMN, column, defineCRD } from './crd.js';
import {
  bool,
  conditions,
  int32,
  int64,
  list,
  obj,
  freeform,
  oneOfStrings,
  quantity,
  resourceList,
  str,
  stringMap,
  strings,
  time,
} from './schema.js';

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const EBS_VOLUME_TYPES = ['standard', 'io1', 'io2', 'gp2', 'sc1', 'st1', 'gp3'];
/** A qualified label name (prefix/name), the shape of requirement and taint keys. */
const QUALIFIED_NAME = '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*(/))?([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$';
/** A label value. */
const LABEL_VALUE = '^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$';
/** Go durations as Karpenter v1 writes them ("30s", "720h", "1h30m"), or Never. */
const DURATION_OR_NEVER = '^(([0-9]+(s|m|h))+|Never)$';

// ---------------------------------------------------------------------------------------------
// karpenter.sh/v1alpha5 Provisioner

function taintV1alpha5() {
  return obj({ 'effect!': oneOfStrings(TAINT_EFFECTS), 'key!': str(), timeAdded: time(), value: str() });
}

const kubeletConfigurationV1alpha5 = obj({
  clusterDNS: strings(),
  containerRuntime: str(),
  cpuCFSQuota: bool(),
  evictionHard: stringMap(),
  evictionMaxPodGracePeriod: int32(),
  evictionSoft: stringMap(),
  evictionSoftGracePeriod: stringMap(),
  imageGCHighThresholdPercent: int32({ minimum: 0, maximum: 100 }),
  imageGCLowThresholdPercent: int32({ minimum: 0, maximum: 100 }),
  kubeReserved: resourceList(),
  maxPods: int32({ minimum: 0 }),
  podsPerCore: int32({ minimum: 0 }),
  systemReserved: resourceList(),
});

const provisionerSpec = obj({
  annotations: stringMap(),
  consolidation: obj({ enabled: bool() }),
  kubeletConfiguration: kubeletConfigurationV1alpha5,
  labels: stringMap(),
  limits: obj({ resources: resourceList() }),
  provider: freeform(),
  providerRef: obj({ apiVersion: str(), kind: str(), 'name!': str() }),
  requirements: list(
    obj({
      'key!': str(),
      'operator!': oneOfStrings(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt']),
      values: strings(),
    }),
  ),
  startupTaints: list(taintV1alpha5()),
  taints: list(taintV1alpha5()),
  ttlSecondsAfterEmpty: int64({ minimum: 0 }),
  ttlSecondsUntilExpired: int64({ minimum: 0 }),
  weight: int32({ minimum: 1, maximum: 100 }),
});

/** provisioners.karpenter.sh: v1alpha5 only (Karpenter v0.x). */
export const provisionerCRD: CustomResourceDefinition = defineCRD({
  group: 'karpenter.sh',
  kind: 'Provisioner',
  plural: 'provisioners',
  categories: ['karpenter'],
  scope: 'Cluster',
  versions: [
    {
      name: 'v1alpha5',
      storage: true,
      spec: provisionerSpec,
      status: obj({
        conditions: list(
          obj({ lastTransitionTime: str(), message: str(), reason: str(), severity: str(), 'status!': str(), 'type!': str() }),
        ),
        lastScaleTime: time(),
        resources: resourceList(),
      }),
      subresources: { status: {} },
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// karpenter.k8s.aws/v1alpha1 AWSNodeTemplate

const blockDeviceMappingsV1alpha1 = list(
  obj({
    deviceName: str(),
    ebs: obj({
      deleteOnTermination: bool(),
      encrypted: bool(),
      iops: int64(),
      kmsKeyID: str(),
      snapshotID: str(),
      throughput: int64(),
      volumeSize: quantity(),
      volumeType: oneOfStrings(EBS_VOLUME_TYPES),
    }),
  }),
);

const metadataOptionsV1alpha1 = obj({
  httpEndpoint: oneOfStrings(['enabled', 'disabled']),
  httpProtocolIPv6: oneOfStrings(['enabled', 'disabled']),
  httpPutResponseHopLimit: int64({ minimum: 1, maximum: 64 }),
  httpTokens: oneOfStrings(['required', 'optional']),
});

/** awsnodetemplates.karpenter.k8s.aws: v1alpha1 only (Karpenter v0.x on AWS). */
export const awsNodeTemplateCRD: CustomResourceDefinition = defineCRD({
  group: 'karpenter.k8s.aws',
  kind: 'AWSNodeTemplate',
  plural: 'awsnodetemplates',
  categories: ['karpenter'],
  scope: 'Cluster',
  versions: [
    {
      name: 'v1alpha1',
      storage: true,
      spec: obj({
        amiFamily: oneOfStrings(['AL2', 'Bottlerocket', 'Ubuntu', 'Windows2019', 'Windows2022', 'Custom']),
        amiSelector: stringMap(),
        apiVersion: str(),
        blockDeviceMappings: blockDeviceMappingsV1alpha1,
        context: str(),
        detailedMonitoring: bool(),
        instanceProfile: str(),
        kind: str(),
        launchTemplate: str(),
        metadataOptions: metadataOptionsV1alpha1,
        securityGroupSelector: stringMap(),
        subnetSelector: stringMap(),
        tags: stringMap(),
        userData: str(),
      }),
      status: obj({
        amis: list(obj({ 'id!': str(), name: str(), 'requirements!': list(obj({ 'key!': str(), 'operator!': str(), values: strings() })) })),
        securityGroups: list(obj({ 'id!': str(), name: str() })),
        subnets: list(obj({ 'id!': str(), 'zone!': str() })),
      }),
      subresources: { status: {} },
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// karpenter.sh/v1 NodePool

function taintV1() {
  return obj({
    'effect!': oneOfStrings(TAINT_EFFECTS),
    'key!': str({ minLength: 1, pattern: QUALIFIED_NAME }),
    timeAdded: time(),
    value: str({ pattern: QUALIFIED_NAME }),
  });
}

const nodePoolSpecV1 = obj({
  disruption: obj(
    {
      budgets: list(
        obj({
          duration: str({ pattern: '^((([0-9]+(h|m))|([0-9]+h[0-9]+m))(0s)?)$' }),
          'nodes!': str({ pattern: '^((100|[0-9]{1,2})%|[0-9]+)$', default: '10%' }),
          reasons: list(oneOfStrings(['Underutilized', 'Empty', 'Drifted']), { maxItems: 50, 'x-kubernetes-list-type': 'set' }),
          schedule: str({ pattern: '^(@(annually|yearly|monthly|weekly|daily|midnight|hourly))|((.+)\\s(.+)\\s(.+)\\s(.+)\\s(.+))$' }),
        }),
        { maxItems: 50, default: [{ nodes: '10%' }], 'x-kubernetes-list-type': 'atomic' },
      ),
      'consolidateAfter!': str({ pattern: '^(([0-9]+(s|m|h))+|Never)$' }),
      consolidationPolicy: oneOfStrings(['WhenEmpty', 'WhenEmptyOrUnderutilized', 'Balanced'], { default: 'WhenEmptyOrUnderutilized' }),
    },
    { default: { consolidateAfter: '0s' } },
  ),
  limits: resourceList(),
  // Static NodePools (Karpenter 1.7+): a fixed node count, which the scale subresource exposes.
  replicas: int64({ minimum: 0 }),
  'template!': obj({
    metadata: obj({
      annotations: stringMap(),
      labels: stringMap({ maxProperties: 100 }, { maxLength: 63, pattern: LABEL_VALUE }),
    }),
    'spec!': obj({
      expireAfter: str({ pattern: DURATION_OR_NEVER, default: '720h' }),
      'nodeClassRef!': obj({
        'group!': str({ pattern: '^[^/]*$' }),
        'kind!': str({ minLength: 1 }),
        'name!': str({ minLength: 1 }),
      }),
      'requirements!': list(
        obj({
          'key!': str({ maxLength: 316, pattern: QUALIFIED_NAME }),
          minValues: int32({ minimum: 1, maximum: 50 }),
          'operator!': oneOfStrings(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt', 'Gte', 'Lte']),
          values: strings({ 'x-kubernetes-list-type': 'atomic' }, { maxLength: 63, pattern: LABEL_VALUE }),
        }),
        { maxItems: 100, 'x-kubernetes-list-type': 'atomic' },
      ),
      startupTaints: list(taintV1(), { 'x-kubernetes-list-type': 'atomic' }),
      taints: list(taintV1(), { 'x-kubernetes-list-type': 'atomic' }),
      terminationGracePeriod: str({ pattern: '^([0-9]+(s|m|h))+$' }),
    }),
  }),
  weight: int32({ minimum: 1, maximum: 100 }),
});

/** nodepools.karpenter.sh: v1 (Karpenter v1.x), with the scale subresource static NodePools use. */
export const nodePoolCRD: CustomResourceDefinition = defineCRD({
  group: 'karpenter.sh',
  kind: 'NodePool',
  plural: 'nodepools',
  categories: ['karpenter'],
  scope: 'Cluster',
  versions: [
    {
      name: 'v1',
      storage: true,
      required: ['spec'],
      spec: nodePoolSpecV1,
      status: obj({
        conditions: conditions({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] }),
        nodeClassObservedGeneration: int64(),
        nodes: int64({ default: 0 }),
        resources: resourceList(),
      }),
      subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.nodes' } },
      columns: [
        column('NodeClass', 'string', '.spec.template.spec.nodeClassRef.name'),
        column('Nodes', 'string', '.status.nodes'),
        column('Ready', 'string', '.status.conditions[?(@.type=="Ready")].status'),
        AGE_COLUMN,
        column('Weight', 'integer', '.spec.weight', { priority: 1 }),
        column('CPU', 'string', '.status.resources.cpu', { priority: 1 }),
        column('Memory', 'string', '.status.resources.memory', { priority: 1 }),
      ],
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// karpenter.k8s.aws/v1 EC2NodeClass

function selectorTerms(props: Parameters<typeof obj>[0]) {
  return list(obj(props), { maxItems: 30 });
}

const tagMap = () => stringMap({ maxProperties: 20 });

const ec2NodeClassSpecV1 = obj({
  amiFamily: oneOfStrings(['AL2', 'AL2023', 'Bottlerocket', 'Custom', 'Windows2019', 'Windows2022']),
  'amiSelectorTerms!': list(
    obj({ alias: str({ maxLength: 30, pattern: '^[a-zA-Z0-9]+@.+$' }), id: str({ pattern: 'ami-[0-9a-z]+' }), name: str(), owner: str(), ssmParameter: str(), tags: tagMap() }),
    { minItems: 1, maxItems: 30 },
  ),
  associatePublicIPAddress: bool(),
  blockDeviceMappings: list(
    obj({
      deviceName: str(),
      ebs: obj({
        deleteOnTermination: bool(),
        encrypted: bool(),
        iops: int64(),
        kmsKeyID: str(),
        snapshotID: str(),
        throughput: int64(),
        volumeSize: str({ pattern: '^((?:[1-9][0-9]{0,3}|[1-4][0-9]{4}|[5][0-8][0-9]{3}|59000)Gi|(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|[6][0-3][0-9]{3}|64000)G|([1-9]||[1-5][0-7]|58)Ti|([1-9]||[1-5][0-9]|6[0-3]|64)T)$' }),
        volumeType: oneOfStrings(EBS_VOLUME_TYPES),
      }),
      rootVolume: bool(),
    }),
    { maxItems: 50 },
  ),
  capacityReservationSelectorTerms: selectorTerms({ id: str({ pattern: '^cr-[0-9a-z]+$' }), ownerID: str({ pattern: '^[0-9]{12}$' }), tags: tagMap() }),
  context: str(),
  detailedMonitoring: bool(),
  instanceProfile: str({ minLength: 1 }),
  instanceStorePolicy: oneOfStrings(['RAID0']),
  kubelet: obj({
    clusterDNS: strings(),
    cpuCFSQuota: bool(),
    evictionHard: stringMap(),
    evictionMaxPodGracePeriod: int32(),
    evictionSoft: stringMap(),
    evictionSoftGracePeriod: stringMap(),
    imageGCHighThresholdPercent: int32({ minimum: 0, maximum: 100 }),
    imageGCLowThresholdPercent: int32({ minimum: 0, maximum: 100 }),
    kubeReserved: stringMap(),
    maxPods: int32({ minimum: 0 }),
    podsPerCore: int32({ minimum: 0 }),
    systemReserved: stringMap(),
  }),
  metadataOptions: obj(
    {
      httpEndpoint: oneOfStrings(['enabled', 'disabled'], { default: 'enabled' }),
      httpProtocolIPv6: oneOfStrings(['enabled', 'disabled'], { default: 'disabled' }),
      httpPutResponseHopLimit: int64({ minimum: 1, maximum: 64, default: 1 }),
      httpTokens: oneOfStrings(['required', 'optional'], { default: 'required' }),
    },
    { default: { httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: 1, httpTokens: 'required' } },
  ),
  role: str({ minLength: 1 }),
  'securityGroupSelectorTerms!': selectorTerms({ id: str({ pattern: 'sg-[0-9a-z]+' }), name: str(), tags: tagMap() }),
  'subnetSelectorTerms!': selectorTerms({ id: str({ pattern: 'subnet-[0-9a-z]+' }), tags: tagMap() }),
  tags: stringMap(),
  userData: str(),
});

/** ec2nodeclasses.karpenter.k8s.aws: v1 (Karpenter v1.x on AWS). */
export const ec2NodeClassCRD: CustomResourceDefinition = defineCRD({
  group: 'karpenter.k8s.aws',
  kind: 'EC2NodeClass',
  plural: 'ec2nodeclasses',
  shortNames: ['ec2nc', 'ec2ncs'],
  categories: ['karpenter'],
  scope: 'Cluster',
  versions: [
    {
      name: 'v1',
      storage: true,
      spec: ec2NodeClassSpecV1,
      status: obj({
        amis: list(obj({ deprecated: bool(), 'id!': str(), name: str(), 'requirements!': list(obj({ 'key!': str(), 'operator!': str(), values: strings() })) })),
        conditions: conditions(),
        instanceProfile: str(),
        securityGroups: list(obj({ 'id!': str(), name: str() })),
        subnets: list(obj({ 'id!': str(), 'zone!': str(), zoneID: str() })),
      }),
      subresources: { status: {} },
      columns: [
        column('Ready', 'string', '.status.conditions[?(@.type=="Ready")].status'),
        AGE_COLUMN,
        column('Role', 'string', '.spec.role', { priority: 1 }),
      ],
    },
  ],
});

/** Every Karpenter CRD the catalog installs. */
export const KARPENTER_CRDS: readonly CustomResourceDefinition[] = [provisionerCRD, awsNodeTemplateCRD, nodePoolCRD, ec2NodeClassCRD];
