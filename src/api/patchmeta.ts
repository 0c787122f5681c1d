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
  // apiextensions.k8s.io.v1
  'V1CustomResourceDefinitionNames.categories': { listType: 'atomic' },
  'V1CustomResourceDefinitionNames.shortNames': { listType: 'atomic' },
  'V1CustomResourceDefinitionSpec.versions': { listType: 'atomic' },
  'V1CustomResourceDefinitionStatus.conditions': { listType: 'map', listMapKeys: ['type'] },
  'V1CustomResourceDefinitionStatus.storedVersions': { listType: 'atomic' },
  'V1CustomResourceDefinitionVersion.additionalPrinterColumns': { listType: 'atomic' },
  'V1CustomResourceDefinitionVersion.selectableFields': { listType: 'atomic' },
  'V1JSONSchemaProps.allOf': { listType: 'atomic' },
  'V1JSONSchemaProps.anyOf': { listType: 'atomic' },
  'V1JSONSchemaProps.enum': { listType: 'atomic' },
  'V1JSONSchemaProps.oneOf': { listType: 'atomic' },
  'V1JSONSchemaProps.required': { listType: 'atomic' },
  'V1JSONSchemaProps.x-kubernetes-list-map-keys': { listType: 'atomic' },
  'V1JSONSchemaProps.x-kubernetes-validations': { strategy: 'merge', mergeKey: 'rule', listType: 'map', listMapKeys: ['rule'] },
  'V1WebhookConversion.conversionReviewVersions': { listType: 'atomic' },
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
  'V1CSIDriverSpec.tokenRequests': { listType: 'atomic' },
  'V1CSIDriverSpec.volumeLifecycleModes': { listType: 'set' },
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

/**
 * Defaults of list-map key fields (+default markers, published in OpenAPI v3), which server-side
 * apply uses to key an element that omits the field: a container port without protocol is TCP.
 */
export const KEY_FIELD_DEFAULTS: Readonly<Record<string, unknown>> = {
  'V1ContainerPort.protocol': 'TCP',
  'V1ServicePort.protocol': 'TCP',
};

/**
 * The fields each struct's Go zero value encodes (non-pointer structs as {}, fields without
 * omitempty as null, "", 0 or false; metav1.Time as null, Quantity as "0"), read from the Go
 * types of k8s.io/api v0.32 and apimachinery's meta/v1. Server-side apply compares a create against
 * this empty object, and decoding fills these fields in, so they decide which fields count as added.
 */
export const ZERO_VALUE_FIELDS: Readonly<Record<string, string>> = {
  AdmissionregistrationV1ServiceReference: 'name="" namespace=""',
  AuthenticationV1TokenRequest: 'metadata={} spec={} status={}',
  CoreV1EndpointPort: 'port=0',
  CoreV1Event: 'eventTime=null firstTimestamp=null involvedObject={} lastTimestamp=null metadata={} reportingComponent="" reportingInstance="" source={}',
  CoreV1EventList: 'items=null metadata={}',
  CoreV1EventSeries: 'lastObservedTime=null',
  CoreV1ResourceClaim: 'name=""',
  EventsV1Event: 'deprecatedFirstTimestamp=null deprecatedLastTimestamp=null deprecatedSource={} eventTime=null metadata={} regarding={}',
  EventsV1EventList: 'items=null metadata={}',
  EventsV1EventSeries: 'count=0 lastObservedTime=null',
  FlowcontrolV1Subject: 'kind=""',
  RbacV1Subject: 'kind="" name=""',
  StorageV1TokenRequest: 'audience=""',
  V1AWSElasticBlockStoreVolumeSource: 'volumeID=""',
  V1AppArmorProfile: 'type=""',
  V1AttachedVolume: 'devicePath="" name=""',
  V1AzureDiskVolumeSource: 'diskName="" diskURI=""',
  V1AzureFilePersistentVolumeSource: 'secretName="" secretNamespace=null shareName=""',
  V1AzureFileVolumeSource: 'secretName="" shareName=""',
  V1Binding: 'metadata={} target={}',
  V1CSIDriver: 'metadata={} spec={}',
  V1CSIDriverList: 'items=null metadata={}',
  V1CSIPersistentVolumeSource: 'driver="" volumeHandle=""',
  V1CSIVolumeSource: 'driver=""',
  V1CephFSPersistentVolumeSource: 'monitors=null',
  V1CephFSVolumeSource: 'monitors=null',
  V1CinderPersistentVolumeSource: 'volumeID=""',
  V1CinderVolumeSource: 'volumeID=""',
  V1ClusterRole: 'metadata={} rules=null',
  V1ClusterRoleBinding: 'metadata={} roleRef={}',
  V1ClusterRoleBindingList: 'items=null metadata={}',
  V1ClusterRoleList: 'items=null metadata={}',
  V1ClusterTrustBundleProjection: 'path=""',
  V1ComponentCondition: 'status="" type=""',
  V1ComponentStatus: 'metadata={}',
  V1ComponentStatusList: 'items=null metadata={}',
  V1Condition: 'lastTransitionTime=null message="" reason="" status="" type=""',
  V1ConfigMap: 'metadata={}',
  V1ConfigMapKeySelector: 'key=""',
  V1ConfigMapList: 'items=null metadata={}',
  V1ConfigMapNodeConfigSource: 'kubeletConfigKey="" name="" namespace=""',
  V1Container: 'name="" resources={}',
  V1ContainerImage: 'names=null',
  V1ContainerPort: 'containerPort=0',
  V1ContainerResizePolicy: 'resourceName="" restartPolicy=""',
  V1ContainerStateRunning: 'startedAt=null',
  V1ContainerStateTerminated: 'exitCode=0 finishedAt=null startedAt=null',
  V1ContainerStatus: 'image="" imageID="" lastState={} name="" ready=false restartCount=0 state={}',
  V1ControllerRevision: 'data=null metadata={} revision=0',
  V1ControllerRevisionList: 'items=null metadata={}',
  V1CronJob: 'metadata={} spec={} status={}',
  V1CronJobList: 'items=null metadata={}',
  V1CronJobSpec: 'jobTemplate={} schedule=""',
  V1CrossVersionObjectReference: 'kind="" name=""',
  V1DaemonEndpoint: 'Port=0',
  V1DaemonSet: 'metadata={} spec={} status={}',
  V1DaemonSetCondition: 'lastTransitionTime=null status="" type=""',
  V1DaemonSetList: 'items=null metadata={}',
  V1DaemonSetSpec: 'selector=null template={} updateStrategy={}',
  V1DaemonSetStatus: 'currentNumberScheduled=0 desiredNumberScheduled=0 numberMisscheduled=0 numberReady=0',
  V1Deployment: 'metadata={} spec={} status={}',
  V1DeploymentCondition: 'lastTransitionTime=null lastUpdateTime=null status="" type=""',
  V1DeploymentList: 'items=null metadata={}',
  V1DeploymentSpec: 'selector=null strategy={} template={}',
  V1DownwardAPIVolumeFile: 'path=""',
  V1Endpoint: 'addresses=null conditions={}',
  V1EndpointAddress: 'ip=""',
  V1EndpointSlice: 'addressType="" endpoints=null metadata={} ports=null',
  V1EndpointSliceList: 'items=null metadata={}',
  V1Endpoints: 'metadata={}',
  V1EndpointsList: 'items=null metadata={}',
  V1EnvVar: 'name=""',
  V1EphemeralContainer: 'name="" resources={}',
  V1Eviction: 'metadata={}',
  V1FlexPersistentVolumeSource: 'driver=""',
  V1FlexVolumeSource: 'driver=""',
  V1ForZone: 'name=""',
  V1GCEPersistentDiskVolumeSource: 'pdName=""',
  V1GRPCAction: 'port=0 service=null',
  V1GitRepoVolumeSource: 'repository=""',
  V1GlusterfsPersistentVolumeSource: 'endpoints="" path=""',
  V1GlusterfsVolumeSource: 'endpoints="" path=""',
  V1HTTPGetAction: 'port=0',
  V1HTTPHeader: 'name="" value=""',
  V1HTTPIngressPath: 'backend={} pathType=null',
  V1HTTPIngressRuleValue: 'paths=null',
  V1HorizontalPodAutoscaler: 'metadata={} spec={} status={}',
  V1HorizontalPodAutoscalerList: 'items=null metadata={}',
  V1HorizontalPodAutoscalerSpec: 'maxReplicas=0 scaleTargetRef={}',
  V1HorizontalPodAutoscalerStatus: 'currentReplicas=0 desiredReplicas=0',
  V1HostAlias: 'ip=""',
  V1HostIP: 'ip=""',
  V1HostPathVolumeSource: 'path=""',
  V1IPBlock: 'cidr=""',
  V1ISCSIPersistentVolumeSource: 'iqn="" lun=0 targetPortal=""',
  V1ISCSIVolumeSource: 'iqn="" lun=0 targetPortal=""',
  V1Ingress: 'metadata={} spec={} status={}',
  V1IngressClass: 'metadata={} spec={}',
  V1IngressClassList: 'items=null metadata={}',
  V1IngressClassParametersReference: 'kind="" name="" scope=null',
  V1IngressList: 'items=null metadata={}',
  V1IngressPortStatus: 'port=0 protocol=""',
  V1IngressServiceBackend: 'name="" port={}',
  V1IngressStatus: 'loadBalancer={}',
  V1Job: 'metadata={} spec={} status={}',
  V1JobCondition: 'lastProbeTime=null lastTransitionTime=null status="" type=""',
  V1JobList: 'items=null metadata={}',
  V1JobSpec: 'template={}',
  V1JobTemplateSpec: 'metadata={} spec={}',
  V1KeyToPath: 'key="" path=""',
  V1LabelSelectorRequirement: 'key="" operator=""',
  V1Lease: 'metadata={} spec={}',
  V1LeaseList: 'items=null metadata={}',
  V1LimitRange: 'metadata={} spec={}',
  V1LimitRangeItem: 'type=""',
  V1LimitRangeList: 'items=null metadata={}',
  V1LimitRangeSpec: 'limits=null',
  V1LinuxContainerUser: 'gid=0 uid=0',
  V1LocalSubjectAccessReview: 'metadata={} spec={} status={}',
  V1LocalVolumeSource: 'path=""',
  V1ModifyVolumeStatus: 'status=""',
  V1NFSVolumeSource: 'path="" server=""',
  V1Namespace: 'metadata={} spec={} status={}',
  V1NamespaceCondition: 'lastTransitionTime=null status="" type=""',
  V1NamespaceList: 'items=null metadata={}',
  V1NetworkPolicy: 'metadata={} spec={}',
  V1NetworkPolicyList: 'items=null metadata={}',
  V1NetworkPolicySpec: 'podSelector={}',
  V1Node: 'metadata={} spec={} status={}',
  V1NodeAddress: 'address="" type=""',
  V1NodeCondition: 'lastHeartbeatTime=null lastTransitionTime=null status="" type=""',
  V1NodeDaemonEndpoints: 'kubeletEndpoint={}',
  V1NodeList: 'items=null metadata={}',
  V1NodeRuntimeHandler: 'name=""',
  V1NodeSelector: 'nodeSelectorTerms=null',
  V1NodeSelectorRequirement: 'key="" operator=""',
  V1NodeStatus: 'daemonEndpoints={} nodeInfo={}',
  V1NodeSystemInfo: 'architecture="" bootID="" containerRuntimeVersion="" kernelVersion="" kubeProxyVersion="" kubeletVersion="" machineID="" operatingSystem="" osImage="" systemUUID=""',
  V1NonResourceRule: 'verbs=null',
  V1ObjectFieldSelector: 'fieldPath=""',
  V1ObjectMeta: 'creationTimestamp=null',
  V1OwnerReference: 'apiVersion="" kind="" name="" uid=""',
  V1PersistentVolume: 'metadata={} spec={} status={}',
  V1PersistentVolumeClaim: 'metadata={} spec={} status={}',
  V1PersistentVolumeClaimCondition: 'lastProbeTime=null lastTransitionTime=null status="" type=""',
  V1PersistentVolumeClaimList: 'items=null metadata={}',
  V1PersistentVolumeClaimSpec: 'resources={}',
  V1PersistentVolumeClaimTemplate: 'metadata={} spec={}',
  V1PersistentVolumeClaimVolumeSource: 'claimName=""',
  V1PersistentVolumeList: 'items=null metadata={}',
  V1PhotonPersistentDiskVolumeSource: 'pdID=""',
  V1Pod: 'metadata={} spec={} status={}',
  V1PodAffinityTerm: 'topologyKey=""',
  V1PodCondition: 'lastProbeTime=null lastTransitionTime=null status="" type=""',
  V1PodDisruptionBudget: 'metadata={} spec={} status={}',
  V1PodDisruptionBudgetList: 'items=null metadata={}',
  V1PodDisruptionBudgetStatus: 'currentHealthy=0 desiredHealthy=0 disruptionsAllowed=0 expectedPods=0',
  V1PodFailurePolicy: 'rules=null',
  V1PodFailurePolicyOnExitCodesRequirement: 'operator="" values=null',
  V1PodFailurePolicyOnPodConditionsPattern: 'status="" type=""',
  V1PodFailurePolicyRule: 'action=""',
  V1PodIP: 'ip=""',
  V1PodList: 'items=null metadata={}',
  V1PodOS: 'name=""',
  V1PodReadinessGate: 'conditionType=""',
  V1PodResourceClaim: 'name=""',
  V1PodResourceClaimStatus: 'name=""',
  V1PodSchedulingGate: 'name=""',
  V1PodSpec: 'containers=null',
  V1PodTemplate: 'metadata={} template={}',
  V1PodTemplateList: 'items=null metadata={}',
  V1PodTemplateSpec: 'metadata={} spec={}',
  V1PolicyRule: 'verbs=null',
  V1PortStatus: 'port=0 protocol=""',
  V1PortworxVolumeSource: 'volumeID=""',
  V1PreferredSchedulingTerm: 'preference={} weight=0',
  V1PriorityClass: 'metadata={} value=0',
  V1PriorityClassList: 'items=null metadata={}',
  V1ProjectedVolumeSource: 'sources=null',
  V1QuobyteVolumeSource: 'registry="" volume=""',
  V1RBDPersistentVolumeSource: 'image="" monitors=null',
  V1RBDVolumeSource: 'image="" monitors=null',
  V1ReplicaSet: 'metadata={} spec={} status={}',
  V1ReplicaSetCondition: 'lastTransitionTime=null status="" type=""',
  V1ReplicaSetList: 'items=null metadata={}',
  V1ReplicaSetSpec: 'selector=null template={}',
  V1ReplicaSetStatus: 'replicas=0',
  V1ReplicationController: 'metadata={} spec={} status={}',
  V1ReplicationControllerCondition: 'lastTransitionTime=null status="" type=""',
  V1ReplicationControllerList: 'items=null metadata={}',
  V1ReplicationControllerStatus: 'replicas=0',
  V1ResourceFieldSelector: 'divisor="0" resource=""',
  V1ResourceHealth: 'resourceID=""',
  V1ResourceQuota: 'metadata={} spec={} status={}',
  V1ResourceQuotaList: 'items=null metadata={}',
  V1ResourceRule: 'verbs=null',
  V1ResourceStatus: 'name=""',
  V1Role: 'metadata={} rules=null',
  V1RoleBinding: 'metadata={} roleRef={}',
  V1RoleBindingList: 'items=null metadata={}',
  V1RoleList: 'items=null metadata={}',
  V1RoleRef: 'apiGroup="" kind="" name=""',
  V1Scale: 'metadata={} spec={} status={}',
  V1ScaleIOPersistentVolumeSource: 'gateway="" secretRef=null system=""',
  V1ScaleIOVolumeSource: 'gateway="" secretRef=null system=""',
  V1ScaleStatus: 'replicas=0',
  V1ScopedResourceSelectorRequirement: 'operator="" scopeName=""',
  V1SeccompProfile: 'type=""',
  V1Secret: 'metadata={}',
  V1SecretKeySelector: 'key=""',
  V1SecretList: 'items=null metadata={}',
  V1SelfSubjectAccessReview: 'metadata={} spec={} status={}',
  V1SelfSubjectReview: 'metadata={} status={}',
  V1SelfSubjectReviewStatus: 'userInfo={}',
  V1SelfSubjectRulesReview: 'metadata={} spec={} status={}',
  V1Service: 'metadata={} spec={} status={}',
  V1ServiceAccount: 'metadata={}',
  V1ServiceAccountList: 'items=null metadata={}',
  V1ServiceAccountTokenProjection: 'path=""',
  V1ServiceList: 'items=null metadata={}',
  V1ServicePort: 'port=0 targetPort=0',
  V1ServiceStatus: 'loadBalancer={}',
  V1SleepAction: 'seconds=0',
  V1StatefulSet: 'metadata={} spec={} status={}',
  V1StatefulSetCondition: 'lastTransitionTime=null status="" type=""',
  V1StatefulSetList: 'items=null metadata={}',
  V1StatefulSetOrdinals: 'start=0',
  V1StatefulSetSpec: 'selector=null serviceName="" template={} updateStrategy={}',
  V1StatefulSetStatus: 'availableReplicas=0 replicas=0',
  V1StorageClass: 'metadata={} provisioner=""',
  V1StorageClassList: 'items=null metadata={}',
  V1SubjectAccessReview: 'metadata={} spec={} status={}',
  V1SubjectAccessReviewStatus: 'allowed=false',
  V1SubjectRulesReviewStatus: 'incomplete=false nonResourceRules=null resourceRules=null',
  V1SuccessPolicy: 'rules=null',
  V1Sysctl: 'name="" value=""',
  V1TCPSocketAction: 'port=0',
  V1Taint: 'effect="" key=""',
  V1TokenRequestSpec: 'audiences=null boundObjectRef=null expirationSeconds=null',
  V1TokenRequestStatus: 'expirationTimestamp=null token=""',
  V1TokenReview: 'metadata={} spec={} status={}',
  V1TokenReviewStatus: 'user={}',
  V1TopologySelectorLabelRequirement: 'key="" values=null',
  V1TopologySpreadConstraint: 'maxSkew=0 topologyKey="" whenUnsatisfiable=""',
  V1TypedLocalObjectReference: 'apiGroup=null kind="" name=""',
  V1TypedObjectReference: 'apiGroup=null kind="" name=""',
  V1Volume: 'name=""',
  V1VolumeDevice: 'devicePath="" name=""',
  V1VolumeMount: 'mountPath="" name=""',
  V1VolumeMountStatus: 'mountPath="" name=""',
  V1VsphereVirtualDiskVolumeSource: 'volumePath=""',
  V1WeightedPodAffinityTerm: 'podAffinityTerm={} weight=0',
  V2ContainerResourceMetricSource: 'container="" name="" target={}',
  V2ContainerResourceMetricStatus: 'container="" current={} name=""',
  V2CrossVersionObjectReference: 'kind="" name=""',
  V2ExternalMetricSource: 'metric={} target={}',
  V2ExternalMetricStatus: 'current={} metric={}',
  V2HPAScalingPolicy: 'periodSeconds=0 type="" value=0',
  V2HorizontalPodAutoscaler: 'metadata={} spec={} status={}',
  V2HorizontalPodAutoscalerCondition: 'lastTransitionTime=null status="" type=""',
  V2HorizontalPodAutoscalerList: 'items=null metadata={}',
  V2HorizontalPodAutoscalerSpec: 'maxReplicas=0 scaleTargetRef={}',
  V2HorizontalPodAutoscalerStatus: 'currentMetrics=null desiredReplicas=0',
  V2MetricIdentifier: 'name=""',
  V2MetricSpec: 'type=""',
  V2MetricStatus: 'type=""',
  V2MetricTarget: 'type=""',
  V2ObjectMetricSource: 'describedObject={} metric={} target={}',
  V2ObjectMetricStatus: 'current={} describedObject={} metric={}',
  V2PodsMetricSource: 'metric={} target={}',
  V2PodsMetricStatus: 'current={} metric={}',
  V2ResourceMetricSource: 'name="" target={}',
  V2ResourceMetricStatus: 'current={} name=""',
};

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

/** The facts of a list's elements or a map's values, from their type alone. */
function itemsMeta(t: FieldType): PatchFieldMeta {
  const meta: PatchFieldMeta = { schema: valueSchema(t) };
  const kind = kindOf(t);
  if (kind) meta.kind = kind;
  if (t.kind === 'object' && STRUCT_MAP_TYPES[t.model]) meta.mapType = STRUCT_MAP_TYPES[t.model];
  if (t.kind === 'array' || t.kind === 'map') meta.items = itemsMeta(t.kind === 'array' ? t.items : t.values);
  return meta;
}

const zeroCache = new Map<string, Record<string, unknown>>();

/** The JSON of a model's Go zero value (see ZERO_VALUE_FIELDS); callers must not change it. */
export function zeroValueOf(modelType: string): Record<string, unknown> {
  const cached = zeroCache.get(modelType);
  if (cached) return cached;
  const out: Record<string, unknown> = {};
  zeroCache.set(modelType, out);
  const fields = modelFields(modelType);
  for (const tok of (ZERO_VALUE_FIELDS[modelType] ?? '').split(' ')) {
    if (!tok) continue;
    const eq = tok.indexOf('=');
    const name = tok.slice(0, eq);
    const text = tok.slice(eq + 1);
    const f = fields?.get(name);
    out[name] = text === '{}' && f?.type.kind === 'object' ? zeroValueOf(f.type.model) : JSON.parse(text);
  }
  return out;
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
        const mapType = facts?.mapType ?? (f.type.kind === 'object' ? STRUCT_MAP_TYPES[f.type.model] : undefined);
        if (mapType) meta.mapType = mapType;
        if (f.type.kind === 'array' || f.type.kind === 'map') meta.items = itemsMeta(f.type.kind === 'array' ? f.type.items : f.type.values);
        const def = KEY_FIELD_DEFAULTS[`${modelType}.${name}`];
        if (def !== undefined) meta.default = def;
      }
      fieldCache.set(name, meta);
      return meta;
    },
    zeroValue: () => zeroValueOf(modelType),
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
