// External Secrets Operator's CRDs (external-secrets.io): SecretStore, ClusterSecretStore and
// ExternalSecret as ESO v0.16 serves them, v1 stored and v1beta1 (what the seeds use) served with the
// same schema. The AWS provider (Secrets Manager, Parameter Store) is fully typed; the other ~30
// providers are kept as written, with the one-provider-per-store rule still enforced.
import type { CustomResourceDefinition } from '../apiextensions/types.js';
import { column, defineCRD, type AddonCRDVersion } from './crd.js';
import {
  bool,
  DNS1123_LABEL,
  DNS1123_SUBDOMAIN,
  int,
  int32,
  int64,
  labelSelector,
  list,
  obj,
  oneOfStrings,
  openObj,
  str,
  stringMap,
  strings,
  time,
} from './schema.js';

const objectName = () => str({ minLength: 1, maxLength: 253, pattern: DNS1123_SUBDOMAIN });
const namespaceName = () => str({ minLength: 1, maxLength: 63, pattern: DNS1123_LABEL });
const secretKey = () => str({ minLength: 1, maxLength: 253, pattern: '^[-._a-zA-Z0-9]+$' });

/** esmeta.SecretKeySelector: a key of a Secret, in the store's namespace unless cluster-scoped. */
const secretKeySelector = () => obj({ key: secretKey(), name: objectName(), namespace: namespaceName() });

const awsProvider = obj({
  additionalRoles: strings(),
  auth: obj({
    jwt: obj({ serviceAccountRef: obj({ audiences: strings(), 'name!': objectName(), namespace: namespaceName() }) }),
    secretRef: obj({
      accessKeyIDSecretRef: secretKeySelector(),
      secretAccessKeySecretRef: secretKeySelector(),
      sessionTokenSecretRef: secretKeySelector(),
    }),
  }),
  externalID: str(),
  prefix: str(),
  'region!': str(),
  role: str(),
  secretsManager: obj({ forceDeleteWithoutRecovery: bool(), recoveryWindowInDays: int64() }),
  'service!': oneOfStrings(['SecretsManager', 'ParameterStore']),
  sessionTags: list(obj({ 'key!': str(), 'value!': str() })),
  transitiveTagKeys: strings(),
});

const secretStoreSpec = obj({
  conditions: list(obj({ namespaceRegexes: strings(), namespaceSelector: labelSelector(), namespaces: strings() })),
  controller: str(),
  'provider!': openObj(
    {
      aws: awsProvider,
      vault: openObj({ 'server!': str(), path: str(), version: oneOfStrings(['v1', 'v2'], { default: 'v2' }), namespace: str() }),
      kubernetes: openObj({ remoteNamespace: str({ default: 'default' }) }),
      fake: openObj({ 'data!': list(openObj({ 'key!': str(), value: str(), version: str() })) }),
    },
    { minProperties: 1, maxProperties: 1 },
  ),
  refreshInterval: int(),
  retrySettings: obj({ maxRetries: int32(), retryInterval: str() }),
});

const storeColumns = [
  column('AGE', 'date', '.metadata.creationTimestamp'),
  column('Status', 'string', '.status.conditions[?(@.type=="Ready")].reason'),
  column('Capabilities', 'string', '.status.capabilities'),
  column('Ready', 'string', '.status.conditions[?(@.type=="Ready")].status'),
];

function storeVersions(): AddonCRDVersion[] {
  const common = {
    spec: secretStoreSpec,
    status: obj({ capabilities: str(), conditions: list(obj({ lastTransitionTime: time(), message: str(), reason: str(), 'status!': str(), 'type!': str() })) }),
    subresources: { status: {} },
    columns: storeColumns,
  };
  return [
    { name: 'v1', storage: true, ...common },
    { name: 'v1beta1', ...common },
  ];
}

/** secretstores.external-secrets.io (shortName ss). */
export const secretStoreCRD: CustomResourceDefinition = defineCRD({
  group: 'external-secrets.io',
  kind: 'SecretStore',
  plural: 'secretstores',
  shortNames: ['ss'],
  categories: ['external-secrets'],
  scope: 'Namespaced',
  versions: storeVersions(),
});

/** clustersecretstores.external-secrets.io (shortName css): a SecretStore every namespace may use. */
export const clusterSecretStoreCRD: CustomResourceDefinition = defineCRD({
  group: 'external-secrets.io',
  kind: 'ClusterSecretStore',
  plural: 'clustersecretstores',
  shortNames: ['css'],
  categories: ['external-secrets'],
  scope: 'Cluster',
  versions: storeVersions(),
});

const storeRef = () => obj({ kind: oneOfStrings(['SecretStore', 'ClusterSecretStore']), name: objectName() });

const remoteRefFields = {
  conversionStrategy: oneOfStrings(['Default', 'Unicode'], { default: 'Default' }),
  decodingStrategy: oneOfStrings(['Auto', 'Base64', 'Base64URL', 'None'], { default: 'None' }),
  metadataPolicy: oneOfStrings(['None', 'Fetch'], { default: 'None' }),
  property: str(),
  version: str(),
};

const sourceRef = () =>
  obj(
    {
      generatorRef: obj({
        apiVersion: str({ default: 'generators.external-secrets.io/v1alpha1' }),
        'kind!': str(),
        'name!': objectName(),
      }),
      storeRef: storeRef(),
    },
    { minProperties: 1, maxProperties: 1 },
  );

const templateItems = () => list(obj({ 'key!': secretKey(), templateAs: oneOfStrings(['Values', 'KeysAndValues'], { default: 'Values' }) }));

const externalSecretSpec = obj({
  data: list(
    obj({
      'remoteRef!': obj({ 'key!': str(), ...remoteRefFields }),
      'secretKey!': secretKey(),
      sourceRef: sourceRef(),
    }),
  ),
  dataFrom: list(
    obj({
      extract: obj({ 'key!': str(), ...remoteRefFields }),
      find: obj({
        conversionStrategy: remoteRefFields.conversionStrategy,
        decodingStrategy: remoteRefFields.decodingStrategy,
        name: obj({ regexp: str() }),
        path: str(),
        tags: stringMap(),
      }),
      rewrite: list(
        obj(
          {
            regexp: obj({ 'source!': str(), 'target!': str() }),
            transform: obj({ 'template!': str() }),
          },
          { minProperties: 1, maxProperties: 1 },
        ),
      ),
      sourceRef: sourceRef(),
    }),
  ),
  refreshInterval: str({ default: '1h' }),
  refreshPolicy: oneOfStrings(['CreatedOnce', 'Periodic', 'OnChange']),
  secretStoreRef: storeRef(),
  target: obj(
    {
      creationPolicy: oneOfStrings(['Owner', 'Orphan', 'Merge', 'None'], { default: 'Owner' }),
      deletionPolicy: oneOfStrings(['Delete', 'Merge', 'Retain'], { default: 'Retain' }),
      immutable: bool(),
      name: objectName(),
      template: obj({
        data: stringMap(),
        engineVersion: oneOfStrings(['v2'], { default: 'v2' }),
        mergePolicy: oneOfStrings(['Replace', 'Merge'], { default: 'Replace' }),
        metadata: obj({ annotations: stringMap(), labels: stringMap() }),
        templateFrom: list(
          obj({
            configMap: obj({ 'items!': templateItems(), 'name!': objectName() }),
            literal: str(),
            secret: obj({ 'items!': templateItems(), 'name!': objectName() }),
            target: oneOfStrings(['Data', 'Annotations', 'Labels'], { default: 'Data' }),
          }),
        ),
        type: str(),
      }),
    },
    { default: { creationPolicy: 'Owner', deletionPolicy: 'Retain' } },
  ),
});

const externalSecretStatus = obj({
  binding: obj({ name: str({ default: '' }) }, { 'x-kubernetes-map-type': 'atomic' }),
  conditions: list(obj({ lastTransitionTime: time(), message: str(), reason: str(), 'status!': str(), 'type!': str() })),
  refreshTime: time({ nullable: true }),
  syncedResourceVersion: str(),
});

const externalSecretColumns = [
  column('StoreType', 'string', '.spec.secretStoreRef.kind'),
  column('Store', 'string', '.spec.secretStoreRef.name'),
  column('Refresh Interval', 'string', '.spec.refreshInterval'),
  column('Status', 'string', '.status.conditions[?(@.type=="Ready")].reason'),
  column('Ready', 'string', '.status.conditions[?(@.type=="Ready")].status'),
];

/** externalsecrets.external-secrets.io (shortName es). */
export const externalSecretCRD: CustomResourceDefinition = defineCRD({
  group: 'external-secrets.io',
  kind: 'ExternalSecret',
  plural: 'externalsecrets',
  shortNames: ['es'],
  categories: ['external-secrets'],
  scope: 'Namespaced',
  versions: ['v1', 'v1beta1'].map((name) => ({
    name,
    storage: name === 'v1',
    spec: externalSecretSpec,
    status: externalSecretStatus,
    subresources: { status: {} },
    columns: externalSecretColumns,
  })),
});

/** Every External Secrets CRD the catalog installs. */
export const EXTERNAL_SECRETS_CRDS: readonly CustomResourceDefinition[] = [secretStoreCRD, clusterSecretStoreCRD, externalSecretCRD];
