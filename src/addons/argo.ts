// Argo's CRDs in group argoproj.io: Argo CD's Application and AppProject, and Argo Rollouts' Rollout with the
// AnalysisTemplate / ClusterAnalysisTemplate / AnalysisRun / Experiment kinds a canary refers to.
// Field names, required fields, subresources and columns follow Argo CD v2/v3's and Argo Rollouts
// v1.x's published CRDs; the Rollout's pod template is the full corev1.PodTemplateSpec schema.
import type { CustomResourceDefinition, JSONSchemaProps } from '../apiextensions/types.js';
import { column, defineCRD } from './crd.js';
import { podTemplateSpecSchema } from './podtemplate.js';
import {
  bool,
  freeform,
  int32,
  int64,
  intOrString,
  labelSelector,
  list,
  map,
  nameRef,
  obj,
  openObj,
  str,
  stringMap,
  strings,
  time,
} from './schema.js';

// ---------------------------------------------------------------------------------------------
// Argo CD: applications.argoproj.io

const jsonnetVar = () => obj({ code: bool(), 'name!': str(), 'value!': str() });

const helmSource = obj({
  apiVersions: strings(),
  fileParameters: list(obj({ name: str(), path: str() })),
  ignoreMissingValueFiles: bool(),
  kubeVersion: str(),
  namespace: str(),
  parameters: list(obj({ forceString: bool(), name: str(), value: str() })),
  passCredentials: bool(),
  releaseName: str(),
  skipCrds: bool(),
  skipSchemaValidation: bool(),
  skipTests: bool(),
  valueFiles: strings(),
  values: str(),
  valuesObject: freeform(),
  version: str(),
});

const kustomizeSource = obj({
  apiVersions: strings(),
  commonAnnotations: stringMap(),
  commonAnnotationsEnvsubst: bool(),
  commonLabels: stringMap(),
  components: strings(),
  forceCommonAnnotations: bool(),
  forceCommonLabels: bool(),
  ignoreMissingComponents: bool(),
  images: strings(),
  kubeVersion: str(),
  labelWithoutSelector: bool(),
  namePrefix: str(),
  nameSuffix: str(),
  namespace: str(),
  patches: list(
    obj({
      options: map(bool()),
      patch: str(),
      path: str(),
      target: obj({
        annotationSelector: str(),
        group: str(),
        kind: str(),
        labelSelector: str(),
        name: str(),
        namespace: str(),
        version: str(),
      }),
    }),
  ),
  replicas: list(obj({ 'count!': intOrString(), 'name!': str() })),
  version: str(),
});

/** v1alpha1.ApplicationSource: a Git path, a Helm chart or a plugin, at a revision. */
function applicationSource(): JSONSchemaProps {
  return obj({
    chart: str(),
    directory: obj({
      exclude: str(),
      include: str(),
      jsonnet: obj({ extVars: list(jsonnetVar()), libs: strings(), tlas: list(jsonnetVar()) }),
      recurse: bool(),
    }),
    helm: helmSource,
    kustomize: kustomizeSource,
    name: str(),
    path: str(),
    plugin: obj({
      env: list(obj({ 'name!': str(), 'value!': str() })),
      name: str(),
      parameters: list(obj({ array: strings(), map: stringMap(), name: str(), string: str() })),
    }),
    ref: str(),
    'repoURL!': str(),
    targetRevision: str(),
  });
}

const applicationSpec = obj({
  'destination!': obj({ name: str(), namespace: str(), server: str() }),
  ignoreDifferences: list(
    obj({
      group: str(),
      jqPathExpressions: strings(),
      jsonPointers: strings(),
      'kind!': str(),
      managedFieldsManagers: strings(),
      name: str(),
      namespace: str(),
    }),
  ),
  info: list(obj({ 'name!': str(), 'value!': str() })),
  'project!': str(),
  revisionHistoryLimit: int64(),
  source: applicationSource(),
  sources: list(applicationSource()),
  syncPolicy: obj({
    automated: obj({ allowEmpty: bool(), enabled: bool(), prune: bool(), selfHeal: bool() }),
    managedNamespaceMetadata: obj({ annotations: stringMap(), labels: stringMap() }),
    retry: obj({
      backoff: obj({ duration: str(), factor: int64(), maxDuration: str() }),
      limit: int64(),
    }),
    syncOptions: strings(),
  }),
});

/** applications.argoproj.io (shortNames app, apps). No status subresource: Argo CD writes status with updates. */
export const applicationCRD: CustomResourceDefinition = defineCRD({
  group: 'argoproj.io',
  kind: 'Application',
  plural: 'applications',
  shortNames: ['app', 'apps'],
  scope: 'Namespaced',
  labels: { 'app.kubernetes.io/name': 'applications.argoproj.io', 'app.kubernetes.io/part-of': 'argocd' },
  versions: [
    {
      name: 'v1alpha1',
      storage: true,
      required: ['metadata', 'spec'],
      spec: applicationSpec,
      // Sync and health are written by the application controller; their many fields are kept as written.
      status: openObj({
        health: openObj({ status: str(), message: str() }),
        sync: openObj({ status: str(), revision: str() }),
        reconciledAt: time(),
      }),
      fields: { operation: freeform() },
      columns: [
        column('Sync Status', 'string', '.status.sync.status'),
        column('Health Status', 'string', '.status.health.status'),
        column('Revision', 'string', '.status.sync.revision', { priority: 10 }),
        column('Project', 'string', '.spec.project', { priority: 10 }),
      ],
    },
  ],
});

const groupKind = (extra: Record<string, JSONSchemaProps> = {}) => obj({ 'group!': str(), 'kind!': str(), ...extra });

const appProjectSpec = obj({
  clusterResourceBlacklist: list(groupKind({ name: str() })),
  clusterResourceWhitelist: list(groupKind({ name: str() })),
  description: str({ maxLength: 255 }),
  destinationServiceAccounts: list(obj({ 'defaultServiceAccount!': str(), namespace: str(), 'server!': str() })),
  destinations: list(obj({ name: str(), namespace: str(), server: str() })),
  namespaceResourceBlacklist: list(groupKind()),
  namespaceResourceWhitelist: list(groupKind()),
  orphanedResources: obj({ ignore: list(obj({ group: str(), kind: str(), name: str() })), warn: bool() }),
  permitOnlyProjectScopedClusters: bool(),
  roles: list(
    obj({
      description: str(),
      groups: strings(),
      jwtTokens: list(obj({ exp: int64(), 'iat!': int64(), id: str() })),
      'name!': str(),
      policies: strings(),
    }),
  ),
  signatureKeys: list(obj({ 'keyID!': str() })),
  sourceNamespaces: strings(),
  sourceRepos: strings(),
  syncWindows: list(
    obj({
      andOperator: bool(),
      applications: strings(),
      clusters: strings(),
      description: str(),
      duration: str(),
      kind: str(),
      manualSync: bool(),
      namespaces: strings(),
      schedule: str(),
      syncOverrun: bool(),
      timeZone: str(),
    }),
  ),
});

/** appprojects.argoproj.io (shortNames appproj, appprojs): the project every Application names. */
export const appProjectCRD: CustomResourceDefinition = defineCRD({
  group: 'argoproj.io',
  kind: 'AppProject',
  plural: 'appprojects',
  shortNames: ['appproj', 'appprojs'],
  scope: 'Namespaced',
  labels: { 'app.kubernetes.io/name': 'appprojects.argoproj.io', 'app.kubernetes.io/part-of': 'argocd' },
  versions: [
    {
      name: 'v1alpha1',
      storage: true,
      required: ['metadata', 'spec'],
      spec: appProjectSpec,
      status: openObj({ jwtTokensByRole: freeform() }),
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// Argo Rollouts: analysis references shared by rollouts, experiments and runs

const metadataLabelsAnnotations = () => obj({ annotations: stringMap(), labels: stringMap() });

function analysisArgs(): JSONSchemaProps {
  return list(
    obj({
      'name!': str(),
      value: str(),
      valueFrom: obj({ fieldRef: obj({ 'fieldPath!': str() }), podTemplateHashValue: str() }),
    }),
  );
}

const dryRun = () => list(obj({ 'metricName!': str() }));
const measurementRetention = () => list(obj({ 'limit!': int32(), 'metricName!': str() }));

/** RolloutAnalysis: templates to run, with arguments (background analysis adds startingStep). */
function rolloutAnalysis(extra: Record<string, JSONSchemaProps> = {}): JSONSchemaProps {
  return obj({
    analysisRunMetadata: metadataLabelsAnnotations(),
    args: analysisArgs(),
    dryRun: dryRun(),
    measurementRetention: measurementRetention(),
    templates: list(obj({ clusterScope: bool(), templateName: str() })),
    ...extra,
  });
}

const stringMatch = () => obj({ exact: str(), prefix: str(), regex: str() });

const canaryStep = obj({
  analysis: rolloutAnalysis(),
  experiment: obj({
    analyses: list(
      obj({ args: analysisArgs(), clusterScope: bool(), 'name!': str(), requiredForCompletion: bool(), 'templateName!': str() }),
    ),
    analysisRunMetadata: metadataLabelsAnnotations(),
    dryRun: dryRun(),
    duration: str(),
    scaleDownDelaySeconds: int32(),
    'templates!': list(
      obj({
        metadata: metadataLabelsAnnotations(),
        'name!': str(),
        replicas: int32(),
        selector: labelSelector(),
        service: obj({ name: str() }),
        'specRef!': str(),
        weight: int32(),
      }),
    ),
  }),
  pause: obj({ duration: intOrString() }),
  plugin: obj({ config: freeform(), 'name!': str() }),
  setCanaryScale: obj({ matchTrafficWeight: bool(), replicas: int32(), weight: int32() }),
  setHeaderRoute: obj({
    match: list(obj({ 'headerName!': str(), 'headerValue!': stringMatch() })),
    name: str(),
  }),
  setMirrorRoute: obj({
    match: list(obj({ headers: map(stringMatch()), method: stringMatch(), path: stringMatch() })),
    'name!': str(),
    percentage: int32(),
  }),
  setWeight: int32(),
});

const istioVirtualService = (nameRequired: boolean) =>
  obj({
    [nameRequired ? 'name!' : 'name']: str(),
    routes: strings(),
    tcpRoutes: list(obj({ port: int64() })),
    tlsRoutes: list(obj({ port: int64(), sniHosts: strings() })),
  });

const trafficRouting = obj({
  alb: obj({
    annotationPrefix: str(),
    ingress: str(),
    ingresses: strings(),
    rootService: str(),
    'servicePort!': int32(),
    stickinessConfig: obj({ 'durationSeconds!': int64(), 'enabled!': bool() }),
  }),
  ambassador: obj({ 'mappings!': strings() }),
  apisix: obj({ route: obj({ 'name!': str(), rules: strings() }) }),
  appMesh: obj({
    virtualNodeGroup: obj({ 'canaryVirtualNodeRef!': nameRef(), 'stableVirtualNodeRef!': nameRef() }),
    virtualService: obj({ 'name!': str(), routes: strings() }),
  }),
  // Rollouts v1.x requires both subset names with a destinationRule (seed002-23 omits them).
  istio: obj({
    destinationRule: obj({ additionalSubsetNames: strings(), 'canarySubsetName!': str(), 'name!': str(), 'stableSubsetName!': str() }),
    virtualService: istioVirtualService(true),
    virtualServices: list(istioVirtualService(true)),
  }),
  managedRoutes: list(nameRef()),
  maxTrafficWeight: int32(),
  nginx: obj({
    additionalIngressAnnotations: stringMap(),
    annotationPrefix: str(),
    canaryIngressAnnotations: stringMap(),
    stableIngress: str(),
    stableIngresses: strings(),
  }),
  plugins: freeform(),
  smi: obj({ rootService: str(), trafficSplitName: str() }),
  traefik: obj({ 'weightedTraefikServiceName!': str() }),
});

const antiAffinity = () =>
  obj({
    preferredDuringSchedulingIgnoredDuringExecution: obj({ 'weight!': int32() }),
    requiredDuringSchedulingIgnoredDuringExecution: obj({}),
  });

const canaryStrategy = obj({
  abortScaleDownDelaySeconds: int32(),
  analysis: rolloutAnalysis({ startingStep: int32() }),
  antiAffinity: antiAffinity(),
  canaryMetadata: metadataLabelsAnnotations(),
  canaryService: str(),
  dynamicStableScale: bool(),
  maxSurge: intOrString(),
  maxUnavailable: intOrString(),
  minPodsPerReplicaSet: int32(),
  pingPong: obj({ 'pingService!': str(), 'pongService!': str() }),
  scaleDownDelayRevisionLimit: int32(),
  scaleDownDelaySeconds: int32(),
  stableMetadata: metadataLabelsAnnotations(),
  stableService: str(),
  steps: list(canaryStep),
  trafficRouting,
});

const blueGreenStrategy = obj({
  abortScaleDownDelaySeconds: int32(),
  activeMetadata: metadataLabelsAnnotations(),
  'activeService!': str(),
  antiAffinity: antiAffinity(),
  autoPromotionEnabled: bool(),
  autoPromotionSeconds: int32(),
  maxUnavailable: intOrString(),
  postPromotionAnalysis: rolloutAnalysis(),
  prePromotionAnalysis: rolloutAnalysis(),
  previewMetadata: metadataLabelsAnnotations(),
  previewReplicaCount: int32(),
  previewService: str(),
  scaleDownDelayRevisionLimit: int32(),
  scaleDownDelaySeconds: int32(),
});

// Built on first use, as everything holding a pod template (podTemplateSpecSchema takes ~20 ms):
// importing the catalog must not pay for add-ons nobody installs.
const rolloutSpec = () => obj({
  analysis: obj({ successfulRunHistoryLimit: int32(), unsuccessfulRunHistoryLimit: int32() }),
  minReadySeconds: int32(),
  paused: bool(),
  progressDeadlineAbort: bool(),
  progressDeadlineSeconds: int32(),
  replicas: int32(),
  restartAt: time(),
  revisionHistoryLimit: int32(),
  rollbackWindow: obj({ revisions: int32() }),
  selector: labelSelector(),
  strategy: obj({ blueGreen: blueGreenStrategy, canary: canaryStrategy }),
  template: podTemplateSpecSchema(),
  workloadRef: obj({ apiVersion: str(), kind: str(), name: str(), scaleDown: str() }),
});

// The controller owns status; the fields the columns and the scale subresource read are typed, the
// rest (canary/blueGreen step state, pause conditions) kept as the controller writes them.
const rolloutStatus = openObj({
  HPAReplicas: int32(),
  abort: bool(),
  abortedAt: time(),
  availableReplicas: int32(),
  collisionCount: int32(),
  conditions: list(
    obj({
      'lastTransitionTime!': time(),
      'lastUpdateTime!': time(),
      'message!': str(),
      'reason!': str(),
      'status!': str(),
      'type!': str(),
    }),
  ),
  controllerPause: bool(),
  currentPodHash: str(),
  currentStepHash: str(),
  currentStepIndex: int32(),
  message: str(),
  observedGeneration: str(),
  phase: str(),
  readyReplicas: int32(),
  replicas: int32(),
  restartedAt: time(),
  selector: str(),
  stableRS: str(),
  updatedReplicas: int32(),
  workloadObservedGeneration: str(),
});

/** rollouts.argoproj.io (shortName ro), with status and scale subresources so HPAs can target it. */
const rolloutCRD = (): CustomResourceDefinition => defineCRD({
  group: 'argoproj.io',
  kind: 'Rollout',
  plural: 'rollouts',
  shortNames: ['ro'],
  scope: 'Namespaced',
  versions: [
    {
      name: 'v1alpha1',
      storage: true,
      required: ['spec'],
      spec: rolloutSpec(),
      status: rolloutStatus,
      subresources: {
        status: {},
        scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.HPAReplicas', labelSelectorPath: '.status.selector' },
      },
      columns: [
        column('Desired', 'integer', '.spec.replicas', { description: 'Number of desired pods' }),
        column('Current', 'integer', '.status.replicas', { description: 'Total number of non-terminated pods targeted by this rollout' }),
        column('Up-to-date', 'integer', '.status.updatedReplicas', {
          description: 'Total number of non-terminated pods targeted by this rollout that have the desired template spec',
        }),
        column('Available', 'integer', '.status.availableReplicas', {
          description: 'Total number of available pods (ready for at least minReadySeconds) targeted by this rollout',
        }),
        column('Age', 'date', '.metadata.creationTimestamp', { description: 'Time since resource was created' }),
      ],
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// Argo Rollouts: analysis templates, runs and experiments

const metric = obj({
  consecutiveErrorLimit: intOrString(),
  consecutiveSuccessLimit: intOrString(),
  count: intOrString(),
  failureCondition: str(),
  failureLimit: intOrString(),
  inconclusiveLimit: intOrString(),
  initialDelay: str(),
  interval: str(),
  'name!': str(),
  // One of prometheus, datadog, web, job, cloudWatch, newRelic, wavefront, kayenta, graphite, influxdb,
  // skywalking or plugin; each provider's settings are kept as written.
  'provider!': freeform(),
  successCondition: str(),
});

const analysisTemplateSpec = obj({
  args: analysisArgs(),
  dryRun: dryRun(),
  measurementRetention: measurementRetention(),
  metrics: list(metric),
  templates: list(obj({ clusterScope: bool(), templateName: str() })),
});

const AGE_SINCE_CREATED = column('Age', 'date', '.metadata.creationTimestamp', { description: 'Time since resource was created' });

/** analysistemplates.argoproj.io (shortName at). */
export const analysisTemplateCRD: CustomResourceDefinition = defineCRD({
  group: 'argoproj.io',
  kind: 'AnalysisTemplate',
  plural: 'analysistemplates',
  shortNames: ['at'],
  scope: 'Namespaced',
  versions: [{ name: 'v1alpha1', storage: true, required: ['spec'], spec: analysisTemplateSpec, columns: [AGE_SINCE_CREATED] }],
});

/** clusteranalysistemplates.argoproj.io (shortName cat). */
export const clusterAnalysisTemplateCRD: CustomResourceDefinition = defineCRD({
  group: 'argoproj.io',
  kind: 'ClusterAnalysisTemplate',
  plural: 'clusteranalysistemplates',
  shortNames: ['cat'],
  scope: 'Cluster',
  versions: [{ name: 'v1alpha1', storage: true, required: ['spec'], spec: analysisTemplateSpec, columns: [AGE_SINCE_CREATED] }],
});

/** analysisruns.argoproj.io (shortName ar). */
export const analysisRunCRD: CustomResourceDefinition = defineCRD({
  group: 'argoproj.io',
  kind: 'AnalysisRun',
  plural: 'analysisruns',
  shortNames: ['ar'],
  scope: 'Namespaced',
  versions: [
    {
      name: 'v1alpha1',
      storage: true,
      required: ['spec'],
      spec: obj({
        args: analysisArgs(),
        dryRun: dryRun(),
        measurementRetention: measurementRetention(),
        'metrics!': list(metric),
        terminate: bool(),
        ttlStrategy: obj({ secondsAfterCompletion: int32(), secondsAfterFailure: int32(), secondsAfterSuccess: int32() }),
      }),
      status: openObj({ message: str(), phase: str(), startedAt: time() }),
      columns: [column('Status', 'string', '.status.phase', { description: 'AnalysisRun status' }), AGE_SINCE_CREATED],
    },
  ],
});

/** experiments.argoproj.io (shortName exp). */
const experimentCRD = (): CustomResourceDefinition => defineCRD({
  group: 'argoproj.io',
  kind: 'Experiment',
  plural: 'experiments',
  shortNames: ['exp'],
  scope: 'Namespaced',
  versions: [
    {
      name: 'v1alpha1',
      storage: true,
      required: ['spec'],
      spec: obj({
        analyses: list(
          obj({ args: analysisArgs(), clusterScope: bool(), 'name!': str(), requiredForCompletion: bool(), 'templateName!': str() }),
        ),
        analysisRunMetadata: metadataLabelsAnnotations(),
        dryRun: dryRun(),
        duration: str(),
        measurementRetention: measurementRetention(),
        progressDeadlineSeconds: int32(),
        scaleDownDelaySeconds: int32(),
        'templates!': list(
          obj({
            minReadySeconds: int32(),
            'name!': str(),
            replicas: int32(),
            'selector!': labelSelector(),
            service: obj({ name: str() }),
            'template!': podTemplateSpecSchema(),
          }),
        ),
        terminate: bool(),
      }),
      status: openObj({ message: str(), phase: str(), availableAt: time() }),
      columns: [column('Status', 'string', '.status.phase', { description: 'Experiment status' }), AGE_SINCE_CREATED],
    },
  ],
});

/** Argo CD's CRDs the catalog installs (ApplicationSet is not included yet). */
export const ARGO_CD_CRDS: readonly CustomResourceDefinition[] = [applicationCRD, appProjectCRD];

let rolloutsCRDs: readonly CustomResourceDefinition[] | undefined;

/** Argo Rollouts' CRDs the catalog installs (made on first use). */
export function argoRolloutsCRDs(): readonly CustomResourceDefinition[] {
  return (rolloutsCRDs ??= [rolloutCRD(), analysisTemplateCRD, clusterAnalysisTemplateCRD, analysisRunCRD, experimentCRD()]);
}
