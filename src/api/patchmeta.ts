// The built-in patch strategies and merge keys, the facts that strategic merge patch and server-side
// apply need beyond the shape of the data. Upstream keeps them in Go struct tags
// (`patchStrategy:"merge" patchMergeKey:"name"`) and +listType/+mapType markers, published as
// x-kubernetes-patch-strategy / -patch-merge-key / -list-type / -list-map-keys / -map-type; this
// table states the same facts, keyed by client-node model and JSON field. patchmeta.test.ts checks it
// field by field against the upstream OpenAPI document.

import type { PatchFieldMeta, PatchSchema } from '../apimachinery/patch/schema.js';
import { EMPTY_PATCH_SCHEMA } from '../apimachinery/patch/schema.js';
import { modelFields, type FieldType } from './schema.js';

/** The patch facts of one field. */
export interface FieldPatchMeta {
  /** x-kubernetes-patch-strategy: "merge", "replace", "retainKeys" or "merge,retainKeys". */
  strategy?: string;
  /** x-kubernetes-patch-merge-key. */
  mergeKey?: string;
  /** x-kubernetes-list-type. */
  listType?: 'atomic' | 'set' | 'map';
  /** x-kubernetes-list-map-keys. */
  listMapKeys?: string[];
  /** x-kubernetes-map-type on the field (a map or struct replaced as a whole when atomic). */
  mapType?: 'atomic' | 'granular';
}

/** Patch facts by "<Model>.<field>". Fields not listed merge as plain JSON (lists replace). */
export const FIELD_PATCH_META: Readonly<Record<string, FieldPatchMeta>> = {
  // apps.v1
  'V1DaemonSetStatus.conditions': { strategy: 'merge', mergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
  'V1DeploymentSpec.strategy': { strategy: 'retainKeys' },
  'V1DeploymentStatus.conditions': { strategy: 'merge', mergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
  'V1ReplicaSetStatus.conditions': { strategy: 'merge', mergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
  'V1StatefulSetSpec.volumeClaimTemplates': { listType: 'atomic' },
  'V1StatefulSetStatus.conditions': { strategy: 'merge', mergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
  // authentication.v1
  'V1TokenRequestSpec.audiences': { listType: 'atomic' },
  'V1TokenReviewSpec.audiences': { listType: 'atomic' },
  'V1TokenReviewStatus.audiences': { listType: 'atomic' },
  'V1UserInfo.groups': { listType: 'atomic' },
  // authorization.v1
  'V1FieldSelectorAttributes.requirements': { listType: 'atomic' },
  'V1LabelSelectorAttributes.requirements': { listType: 'atomic' },
  'V1NonResourceRule.nonResourceURLs': { listType: 'atomic' },
  'V1NonResourceRule.verbs': { listType: 'atomic' },
  'V1ResourceRule.apiGroups': { listType: 'atomic' },
  'V1ResourceRule.resourceNames': { listType: 'atomic' },
  'V1ResourceRule.resources': { listType: 'atomic' },
  'V1ResourceRule.verbs': { listType: 'atomic' },
  'V1SubjectAccessReviewSpec.groups': { listType: 'atomic' },
  'V1SubjectRulesReviewStatus.nonResourceRules': { listType: 'atomic' },
  'V1SubjectRulesReviewStatus.resourceRules': { listType: 'atomic' },
  // autoscaling.v2
  'V2HPAScalingRules.policies': { listType: 'atomic' },
  'V2HorizontalPodAutoscalerSpec.metrics': { listType: 'atomic' },
  'V2HorizontalPodAutoscalerStatus.conditions': { strategy: 'merge', mergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
  'V2HorizontalPodAutoscalerStatus.currentMetrics': { listType: 'atomic' },
  // batch.v1
  'V1CronJobStatus.active': { listType: 'atomic' },
  'V1JobStatus.conditions': { strategy: 'merge', mergeKey: 'type', listType: 'atomic' },
  'V1PodFailurePolicy.rules': { listType: 'atomic' },
  'V1PodFailurePolicyOnExitCodesRequirement.values': { listType: 'set' },
  'V1PodFailurePolicyRule.onPodConditions': { listType: 'atomic' },
  'V1SuccessPolicy.rules': { listType: 'atomic' },
  'V1UncountedTerminatedPods.failed': { listType: 'set' },
  'V1UncountedTerminatedPods.succeeded': { listType: 'set' },
  // core.v1
  'V1Capabilities.add': { listType: 'atomic' },
  'V1Capabilities.drop': { listType: 'atomic' },
  'V1CephFSPersistentVolumeSource.monitors': { listType: 'atomic' },
  'V1CephFSVolumeSource.monitors': { listType: 'atomic' },
  'V1ConfigMapProjection.items': { listType: 'atomic' },
  'V1ConfigMapVolumeSource.items': { listType: 'atomic' },
  'V1Container.args': { listType: 'atomic' },
  'V1Container.command': { listType: 'atomic' },
  'V1Container.env': { strategy: 'merge', mergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
  'V1Container.envFrom': { listType: 'atomic' },
  'V1Container.ports': { strategy: 'merge', mergeKey: 'containerPort', listType: 'map', listMapKeys: ['containerPort', 'protocol'] },
  'V1Container.resizePolicy': { listType: 'atomic' },
  'V1Container.restartPolicyRules': { listType: 'atomic' },
  'V1Container.volumeDevices': { strategy: 'merge', mergeKey: 'devicePath', listType: 'map', listMapKeys: ['devicePath'] },
  'V1Container.volumeMounts': { strategy: 'merge', mergeKey: 'mountPath', listType: 'map', listMapKeys: ['mountPath'] },
  'V1ContainerImage.names': { listType: 'atomic' },
  'V1ContainerRestartRuleOnExitCodes.values': { listType: 'set' },
  'V1ContainerStatus.allocatedResourcesStatus': { strategy: 'merge', mergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
  'V1ContainerStatus.volumeMounts': { strategy: 'merge', mergeKey: 'mountPath', listType: 'map', listMapKeys: ['mountPath'] },
  'V1DownwardAPIProjection.items': { listType: 'atomic' },
  'V1DownwardAPIVolumeSource.items': { listType: 'atomic' },
  'V1EndpointSubset.addresses': { listType: 'atomic' },
  'V1EndpointSubset.notReadyAddresses': { listType: 'atomic' },
  'V1EndpointSubset.ports': { listType: 'atomic' },
  'V1Endpoints.subsets': { listType: 'atomic' },
  'V1EphemeralContainer.args': { listType: 'atomic' },
  'V1EphemeralContainer.command': { listType: 'atomic' },
  'V1EphemeralContainer.env': { strategy: 'merge', mergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
  'V1EphemeralContainer.envFrom': { listType: 'atomic' },
  'V1EphemeralContainer.ports': { strategy: 'merge', mergeKey: 'containerPort', listType: 'map', listMapKeys: ['containerPort', 'protocol'] },
  'V1EphemeralContainer.resizePolicy': { listType: 'atomic' },
  'V1EphemeralContainer.restartPolicyRules': { listType: 'atomic' },
  'V1EphemeralContainer.volumeDevices': { strategy: 'merge', mergeKey: 'devicePath', listType: 'map', listMapKeys: ['devicePath'] },
  'V1EphemeralContainer.volumeMounts': { strategy: 'merge', mergeKey: 'mountPath', listType: 'map', listMapKeys: ['mountPath'] },
  'V1ExecAction.command': { listType: 'atomic' },
  'V1FCVolumeSource.targetWWNs': { listType: 'atomic' },
  'V1FCVolumeSource.wwids': { listType: 'atomic' },
  'V1HTTPGetAction.httpHeaders': { listType: 'atomic' },
  'V1HostAlias.hostnames': { listType: 'atomic' },
  'V1ISCSIPersistentVolumeSource.portals': { listType: 'atomic' },
  'V1ISCSIVolumeSource.portals': { listType: 'atomic' },
  'V1LimitRangeSpec.limits': { listType: 'atomic' },
  'V1LinuxContainerUser.supplementalGroups': { listType: 'atomic' },
  'V1LoadBalancerIngress.ports': { listType: 'atomic' },
  'V1LoadBalancerStatus.ingress': { listType: 'atomic' },
  'V1NamespaceSpec.finalizers': { listType: 'atomic' },
  'V1NamespaceStatus.conditions': { strategy: 'merge', mergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
  'V1NodeAffinity.preferredDuringSchedulingIgnoredDuringExecution': { listType: 'atomic' },
  'V1NodeSelector.nodeSelectorTerms': { listType: 'atomic' },
  'V1NodeSelectorRequirement.values': { listType: 'atomic' },
  'V1NodeSelectorTerm.matchExpressions': { listType: 'atomic' },
  'V1NodeSelectorTerm.matchFields': { listType: 'atomic' },
  'V1NodeSpec.podCIDRs': { strategy: 'merge', listType: 'set' },
  'V1NodeSpec.taints': { listType: 'atomic' },
  'V1NodeStatus.addresses': { strategy: 'merge', mergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
  'V1NodeStatus.conditions': { strategy: 'merge', mergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
  'V1NodeStatus.images': { listType: 'atomic' },
  'V1NodeStatus.runtimeHandlers': { listType: 'atomic' },
  'V1NodeStatus.volumesAttached': { listType: 'atomic' },
  'V1NodeStatus.volumesInUse': { listType: 'atomic' },
  'V1PersistentVolumeClaimSpec.accessModes': { listType: 'atomic' },
  'V1PersistentVolumeClaimStatus.accessModes': { listType: 'atomic' },
  'V1PersistentVolumeClaimStatus.allocatedResourceStatuses': { mapType: 'granular' },
  'V1PersistentVolumeClaimStatus.conditions': { strategy: 'merge', mergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
  'V1PersistentVolumeSpec.accessModes': { listType: 'atomic' },
  'V1PersistentVolumeSpec.claimRef': { mapType: 'granular' },
  'V1PersistentVolumeSpec.mountOptions': { listType: 'atomic' },
  'V1PodAffinity.preferredDuringSchedulingIgnoredDuringExecution': { listType: 'atomic' },
  'V1PodAffinity.requiredDuringSchedulingIgnoredDuringExecution': { listType: 'atomic' },
  'V1PodAffinityTerm.matchLabelKeys': { listType: 'atomic' },
  'V1PodAffinityTerm.mismatchLabelKeys': { listType: 'atomic' },
  'V1PodAffinityTerm.namespaces': { listType: 'atomic' },
  'V1PodAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution': { listType: 'atomic' },
  'V1PodAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution': { listType: 'atomic' },
  'V1PodDNSConfig.nameservers': { listType: 'atomic' },
  'V1PodDNSConfig.options': { listType: 'atomic' },
  'V1PodDNSConfig.searches': { listType: 'atomic' },
  'V1PodExtendedResourceClaimStatus.requestMappings': { listType: 'atomic' },
  'V1PodSecurityContext.supplementalGroups': { listType: 'atomic' },
  'V1PodSecurityContext.sysctls': { listType: 'atomic' },
  'V1PodSpec.containers': { strategy: 'merge', mergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
  'V1PodSpec.ephemeralContainers': { strategy: 'merge', mergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
  'V1PodSpec.hostAliases': { strategy: 'merge', mergeKey: 'ip', listType: 'map', listMapKeys: ['ip'] },
  'V1PodSpec.imagePullSecrets': { strategy: 'merge', mergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
  'V1PodSpec.initContainers': { strategy: 'merge', mergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
  'V1PodSpec.nodeSelector': { mapType: 'atomic' },
  'V1PodSpec.readinessGates': { listType: 'atomic' },
  'V1PodSpec.resourceClaims': { strategy: 'merge,retainKeys', mergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
  'V1PodSpec.schedulingGates': { strategy: 'merge', mergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
  'V1PodSpec.tolerations': { listType: 'atomic' },
  'V1PodSpec.topologySpreadConstraints': { strategy: 'merge', mergeKey: 'topologyKey', listType: 'map', listMapKeys: ['topologyKey', 'whenUnsatisfiable'] },
  'V1PodSpec.volumes': { strategy: 'merge,retainKeys', mergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
  'V1PodStatus.conditions': { strategy: 'merge', mergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
  'V1PodStatus.containerStatuses': { listType: 'atomic' },
  'V1PodStatus.ephemeralContainerStatuses': { listType: 'atomic' },
  'V1PodStatus.hostIPs': { strategy: 'merge', mergeKey: 'ip', listType: 'atomic' },
  'V1PodStatus.initContainerStatuses': { listType: 'atomic' },
  'V1PodStatus.podIPs': { strategy: 'merge', mergeKey: 'ip', listType: 'map', listMapKeys: ['ip'] },
  'V1PodStatus.resourceClaimStatuses': { strategy: 'merge,retainKeys', mergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
  'V1ProjectedVolumeSource.sources': { listType: 'atomic' },
  'V1RBDPersistentVolumeSource.monitors': { listType: 'atomic' },
  'V1RBDVolumeSource.monitors': { listType: 'atomic' },
  'V1ReplicationControllerSpec.selector': { mapType: 'atomic' },
  'V1ReplicationControllerStatus.conditions': { strategy: 'merge', mergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
  'V1ResourceQuotaSpec.scopes': { listType: 'atomic' },
  'V1ResourceRequirements.claims': { listType: 'map', listMapKeys: ['name'] },
  'V1ResourceStatus.resources': { listType: 'map', listMapKeys: ['resourceID'] },
  'V1ScopeSelector.matchExpressions': { listType: 'atomic' },
  'V1ScopedResourceSelectorRequirement.values': { listType: 'atomic' },
  'V1SecretProjection.items': { listType: 'atomic' },
  'V1SecretVolumeSource.items': { listType: 'atomic' },
  'V1ServiceAccount.imagePullSecrets': { listType: 'atomic' },
  'V1ServiceAccount.secrets': { strategy: 'merge', mergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
  'V1ServiceSpec.clusterIPs': { listType: 'atomic' },
  'V1ServiceSpec.externalIPs': { listType: 'atomic' },
  'V1ServiceSpec.ipFamilies': { listType: 'atomic' },
  'V1ServiceSpec.loadBalancerSourceRanges': { listType: 'atomic' },
  'V1ServiceSpec.ports': { strategy: 'merge', mergeKey: 'port', listType: 'map', listMapKeys: ['port', 'protocol'] },
  'V1ServiceSpec.selector': { mapType: 'atomic' },
  'V1ServiceStatus.conditions': { strategy: 'merge', mergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
  'V1TopologySelectorLabelRequirement.values': { listType: 'atomic' },
  'V1TopologySelectorTerm.matchLabelExpressions': { listType: 'atomic' },
  'V1TopologySpreadConstraint.matchLabelKeys': { listType: 'atomic' },
  // discovery.v1
  'V1Endpoint.addresses': { listType: 'set' },
  'V1EndpointHints.forNodes': { listType: 'atomic' },
  'V1EndpointHints.forZones': { listType: 'atomic' },
  'V1EndpointSlice.endpoints': { listType: 'atomic' },
  'V1EndpointSlice.ports': { listType: 'atomic' },
  // networking.v1
  'V1HTTPIngressRuleValue.paths': { listType: 'atomic' },
  'V1IPBlock.except': { listType: 'atomic' },
  'V1IngressLoadBalancerIngress.ports': { listType: 'atomic' },
  'V1IngressLoadBalancerStatus.ingress': { listType: 'atomic' },
  'V1IngressSpec.rules': { listType: 'atomic' },
  'V1IngressSpec.tls': { listType: 'atomic' },
  'V1IngressTLS.hosts': { listType: 'atomic' },
  'V1NetworkPolicyEgressRule.ports': { listType: 'atomic' },
  'V1NetworkPolicyEgressRule.to': { listType: 'atomic' },
  'V1NetworkPolicyIngressRule.from': { listType: 'atomic' },
  'V1NetworkPolicyIngressRule.ports': { listType: 'atomic' },
  'V1NetworkPolicySpec.egress': { listType: 'atomic' },
  'V1NetworkPolicySpec.ingress': { listType: 'atomic' },
  'V1NetworkPolicySpec.policyTypes': { listType: 'atomic' },
  // policy.v1
  'V1PodDisruptionBudgetSpec.selector': { strategy: 'replace' },
  'V1PodDisruptionBudgetStatus.conditions': { strategy: 'merge', mergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
  // rbac.v1
  'V1AggregationRule.clusterRoleSelectors': { listType: 'atomic' },
  'V1ClusterRole.rules': { listType: 'atomic' },
  'V1ClusterRoleBinding.subjects': { listType: 'atomic' },
  'V1PolicyRule.apiGroups': { listType: 'atomic' },
  'V1PolicyRule.nonResourceURLs': { listType: 'atomic' },
  'V1PolicyRule.resourceNames': { listType: 'atomic' },
  'V1PolicyRule.resources': { listType: 'atomic' },
  'V1PolicyRule.verbs': { listType: 'atomic' },
  'V1Role.rules': { listType: 'atomic' },
  'V1RoleBinding.subjects': { listType: 'atomic' },
  // storage.v1
  'V1StorageClass.allowedTopologies': { listType: 'atomic' },
  'V1StorageClass.mountOptions': { listType: 'atomic' },
  // meta.v1
  'V1APIGroup.serverAddressByClientCIDRs': { listType: 'atomic' },
  'V1APIGroup.versions': { listType: 'atomic' },
  'V1APIGroupList.groups': { listType: 'atomic' },
  'V1APIResource.categories': { listType: 'atomic' },
  'V1APIResource.shortNames': { listType: 'atomic' },
  'V1APIResourceList.resources': { listType: 'atomic' },
  'V1APIVersions.serverAddressByClientCIDRs': { listType: 'atomic' },
  'V1APIVersions.versions': { listType: 'atomic' },
  'V1DeleteOptions.dryRun': { listType: 'atomic' },
  'V1FieldSelectorRequirement.values': { listType: 'atomic' },
  'V1LabelSelector.matchExpressions': { listType: 'atomic' },
  'V1LabelSelectorRequirement.values': { listType: 'atomic' },
  'V1ObjectMeta.finalizers': { strategy: 'merge', listType: 'set' },
  'V1ObjectMeta.managedFields': { listType: 'atomic' },
  'V1ObjectMeta.ownerReferences': { strategy: 'merge', mergeKey: 'uid', listType: 'map', listMapKeys: ['uid'] },
  'V1StatusDetails.causes': { listType: 'atomic' },
};

/** Structs that upstream marks x-kubernetes-map-type: atomic (replaced as a whole by apply). */
export const STRUCT_MAP_TYPES: Readonly<Record<string, 'atomic' | 'granular'>> = {
  V1CrossVersionObjectReference: 'atomic',
  V1ConfigMapKeySelector: 'atomic',
  V1EndpointAddress: 'atomic',
  CoreV1EndpointPort: 'atomic',
  V1FileKeySelector: 'atomic',
  V1LocalObjectReference: 'atomic',
  V1NodeSelector: 'atomic',
  V1NodeSelectorTerm: 'atomic',
  V1ObjectFieldSelector: 'atomic',
  V1ObjectReference: 'atomic',
  V1ResourceFieldSelector: 'atomic',
  V1ScopeSelector: 'atomic',
  V1SecretKeySelector: 'atomic',
  V1SecretReference: 'atomic',
  V1TopologySelectorTerm: 'atomic',
  V1TypedLocalObjectReference: 'atomic',
  DiscoveryV1EndpointPort: 'atomic',
  V1ServiceBackendPort: 'atomic',
  V1RoleRef: 'atomic',
  RbacV1Subject: 'atomic',
  V1LabelSelector: 'atomic',
  V1OwnerReference: 'atomic',
};

/** The patch facts of model.field, if the field has any. */
export function fieldPatchMeta(modelType: string, field: string): FieldPatchMeta | undefined {
  return FIELD_PATCH_META[`${modelType}.${field}`];
}

function kindOf(t: FieldType): PatchFieldMeta['kind'] {
  switch (t.kind) {
    case 'object':
      return 'object';
    case 'map':
      return 'map';
    case 'array':
      return 'list';
    case 'any':
      return undefined;
    default:
      return 'scalar';
  }
}

/** The schema of the values a field holds: the elements of a list, the values of a map. */
function valueSchema(t: FieldType): PatchSchema {
  if (t.kind === 'object') return patchSchemaFor(t.model);
  if (t.kind === 'array' || t.kind === 'map') return valueSchema(t.kind === 'array' ? t.items : t.values);
  return EMPTY_PATCH_SCHEMA;
}

const schemaCache = new Map<string, PatchSchema>();

/**
 * The PatchSchema of a client-node model, walking its fields lazily. Unknown models get the empty
 * schema (every list atomic), as untyped JSON does upstream.
 */
export function patchSchemaFor(modelType: string): PatchSchema {
  const cached = schemaCache.get(modelType);
  if (cached) return cached;
  if (!modelFields(modelType)) return EMPTY_PATCH_SCHEMA;
  const fieldCache = new Map<string, PatchFieldMeta | undefined>();
  const schema: PatchSchema = {
    field(name: string): PatchFieldMeta | undefined {
      if (fieldCache.has(name)) return fieldCache.get(name);
      const f = modelFields(modelType)!.get(name);
      let meta: PatchFieldMeta | undefined;
      if (f) {
        const facts = fieldPatchMeta(modelType, name);
        meta = {
          ...(facts?.strategy ? { patchStrategy: facts.strategy } : {}),
          ...(facts?.mergeKey ? { patchMergeKey: facts.mergeKey } : {}),
          ...(facts?.listType ? { listType: facts.listType } : {}),
          ...(facts?.listMapKeys ? { listMapKeys: [...facts.listMapKeys] } : {}),
          schema: valueSchema(f.type),
        };
        const kind = kindOf(f.type);
        if (kind) meta.kind = kind;
      }
      fieldCache.set(name, meta);
      return meta;
    },
  };
  schemaCache.set(modelType, schema);
  return schema;
}

/** Whether apply replaces model.field (or the struct it holds) as a whole: x-kubernetes-map-type atomic. */
export function isAtomicMap(modelType: string, field: string): boolean {
  const facts = fieldPatchMeta(modelType, field);
  if (facts?.mapType) return facts.mapType === 'atomic';
  const f = modelFields(modelType)?.get(field);
  return f?.type.kind === 'object' && STRUCT_MAP_TYPES[f.type.model] === 'atomic';
}
