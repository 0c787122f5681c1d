// The Vertical Pod Autoscaler's CRDs (autoscaling.k8s.io, from kubernetes/autoscaler's
// vertical-pod-autoscaler): VerticalPodAutoscaler and VerticalPodAutoscalerCheckpoint, v1 stored and
// the deprecated v1beta2 still served, as VPA releases before 1.4 served it. autoscaling.k8s.io is a
// protected group, so the CRDs carry the api-approved annotation the project points at.
import type { CustomResourceDefinition } from '../apiextensions/types.js';
import { AGE_COLUMN, column, defineCRD } from './crd.js';
import { conditions, freeform, int, int32, list, nameRef, num, obj, oneOfStrings, resourceList, str, time } from './schema.js';

const API_APPROVED = { 'api-approved.kubernetes.io': 'https://github.com/kubernetes/kubernetes/pull/63797' };

const targetRef = () =>
  obj({ apiVersion: str(), 'kind!': str(), 'name!': str() }, { 'x-kubernetes-map-type': 'atomic' });

const containerRecommendations = () =>
  list(
    obj({
      containerName: str(),
      lowerBound: resourceList(),
      'target!': resourceList(),
      uncappedTarget: resourceList(),
      upperBound: resourceList(),
    }),
  );

const specV1 = obj({
  recommenders: list(nameRef()),
  resourcePolicy: obj({
    containerPolicies: list(
      obj({
        containerName: str(),
        controlledResources: list(oneOfStrings(['cpu', 'memory'])),
        controlledValues: oneOfStrings(['RequestsAndLimits', 'RequestsOnly']),
        maxAllowed: resourceList(),
        minAllowed: resourceList(),
        mode: oneOfStrings(['Auto', 'Off']),
      }),
    ),
  }),
  'targetRef!': targetRef(),
  updatePolicy: obj({
    evictionRequirements: list(
      obj({
        'changeRequirement!': oneOfStrings(['TargetHigherThanRequests', 'TargetLowerThanRequests']),
        'resources!': list(oneOfStrings(['cpu', 'memory'])),
      }),
    ),
    minReplicas: int32(),
    updateMode: oneOfStrings(['Off', 'Initial', 'Recreate', 'InPlaceOrRecreate', 'Auto']),
  }),
});

const specV1beta2 = obj({
  resourcePolicy: obj({
    containerPolicies: list(
      obj({ containerName: str(), maxAllowed: resourceList(), minAllowed: resourceList(), mode: oneOfStrings(['Auto', 'Off']) }),
    ),
  }),
  'targetRef!': targetRef(),
  updatePolicy: obj({ updateMode: oneOfStrings(['Off', 'Initial', 'Recreate', 'Auto']) }),
});

const statusV1 = obj({
  conditions: conditions(),
  recommendation: obj({ containerRecommendations: containerRecommendations() }),
});

const DEPRECATED_V1BETA2 = { deprecated: true, deprecationWarning: 'autoscaling.k8s.io/v1beta2 API is deprecated' };

/** verticalpodautoscalers.autoscaling.k8s.io (shortName vpa). */
export const verticalPodAutoscalerCRD: CustomResourceDefinition = defineCRD({
  group: 'autoscaling.k8s.io',
  kind: 'VerticalPodAutoscaler',
  plural: 'verticalpodautoscalers',
  shortNames: ['vpa'],
  scope: 'Namespaced',
  annotations: API_APPROVED,
  versions: [
    {
      name: 'v1',
      storage: true,
      required: ['spec'],
      spec: specV1,
      status: statusV1,
      subresources: { status: {} },
      columns: [
        column('Mode', 'string', '.spec.updatePolicy.updateMode'),
        column('CPU', 'string', '.status.recommendation.containerRecommendations[0].target.cpu'),
        column('Mem', 'string', '.status.recommendation.containerRecommendations[0].target.memory'),
        column('Provided', 'string', ".status.conditions[?(@.type=='RecommendationProvided')].status"),
        AGE_COLUMN,
      ],
    },
    {
      name: 'v1beta2',
      ...DEPRECATED_V1BETA2,
      required: ['spec'],
      spec: specV1beta2,
      status: statusV1,
      subresources: { status: {} },
    },
  ],
});

const histogram = () => obj({ bucketWeights: freeform(), referenceTimestamp: time({ nullable: true }), totalWeight: num() });

const checkpointVersion = {
  spec: obj({ containerName: str(), vpaObjectName: str() }),
  status: obj({
    cpuHistogram: histogram(),
    firstSampleStart: time({ nullable: true }),
    lastSampleStart: time({ nullable: true }),
    lastUpdateTime: time({ nullable: true }),
    memoryHistogram: histogram(),
    totalSamplesCount: int(),
    version: str(),
  }),
};

/** verticalpodautoscalercheckpoints.autoscaling.k8s.io: the recommender's saved histograms. */
export const verticalPodAutoscalerCheckpointCRD: CustomResourceDefinition = defineCRD({
  group: 'autoscaling.k8s.io',
  kind: 'VerticalPodAutoscalerCheckpoint',
  plural: 'verticalpodautoscalercheckpoints',
  shortNames: ['vpacheckpoint'],
  scope: 'Namespaced',
  annotations: API_APPROVED,
  versions: [
    { name: 'v1', storage: true, ...checkpointVersion },
    { name: 'v1beta2', ...DEPRECATED_V1BETA2, ...checkpointVersion },
  ],
});

/** Every VPA CRD the catalog installs. */
export const VPA_CRDS: readonly CustomResourceDefinition[] = [verticalPodAutoscalerCRD, verticalPodAutoscalerCheckpointCRD];
