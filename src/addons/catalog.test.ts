// The add-on catalog: every CRD is one kube-apiserver accepts (validateCRD: names, versions,
// structural schemas, columns), the kinds, versions, subresources and columns are the projects' own,
// lookups by name and kind work, and installing is idempotent.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/types.js';
import { fieldErrorString } from '../apimachinery/errors.js';
import { validateCRD } from '../apiextensions/crd-strategy.js';
import type { CustomResourceDefinition } from '../apiextensions/types.js';
import { ADDONS, addonObjects, addonsForKind, findAddon, installAddon } from './catalog.js';
import { ADDON_LABEL } from './crd.js';

const allCRDs = ADDONS.flatMap((a) => a.crds.map((crd) => ({ addon: a.name, crd })));

function crdNamed(name: string): CustomResourceDefinition {
  const found = allCRDs.find((e) => e.crd.metadata.name === name);
  assert.ok(found, name);
  return found.crd;
}

function servedVersions(crd: CustomResourceDefinition): string[] {
  return crd.spec.versions.filter((v) => v.served).map((v) => v.name);
}

function storageVersionOf(crd: CustomResourceDefinition): string | undefined {
  return crd.spec.versions.find((v) => v.storage)?.name;
}

describe('every catalog CRD', () => {
  for (const { addon, crd } of allCRDs) {
    test(`${crd.metadata.name} (${addon}) passes CustomResourceDefinition validation`, () => {
      assert.deepEqual(validateCRD(crd).map(fieldErrorString), []);
    });
  }

  test('no two add-ons install the same CRD', () => {
    const names = allCRDs.map((e) => e.crd.metadata.name);
    assert.equal(new Set(names).size, names.length);
  });

  test('every CRD is named <plural>.<group> and has exactly one storage version', () => {
    for (const { crd } of allCRDs) {
      assert.equal(crd.metadata.name, `${crd.spec.names.plural}.${crd.spec.group}`);
      assert.equal(crd.spec.versions.filter((v) => v.storage).length, 1, crd.metadata.name);
    }
  });
});

describe('kinds as the projects declare them', () => {
  const table: Array<{ name: string; scope: string; shortNames?: string[]; categories?: string[]; served: string[]; storage: string }> = [
    { name: 'provisioners.karpenter.sh', scope: 'Cluster', categories: ['karpenter'], served: ['v1alpha5'], storage: 'v1alpha5' },
    { name: 'awsnodetemplates.karpenter.k8s.aws', scope: 'Cluster', categories: ['karpenter'], served: ['v1alpha1'], storage: 'v1alpha1' },
    { name: 'nodepools.karpenter.sh', scope: 'Cluster', categories: ['karpenter'], served: ['v1'], storage: 'v1' },
    { name: 'ec2nodeclasses.karpenter.k8s.aws', scope: 'Cluster', shortNames: ['ec2nc', 'ec2ncs'], categories: ['karpenter'], served: ['v1'], storage: 'v1' },
    { name: 'verticalpodautoscalers.autoscaling.k8s.io', scope: 'Namespaced', shortNames: ['vpa'], served: ['v1', 'v1beta2'], storage: 'v1' },
    { name: 'applications.argoproj.io', scope: 'Namespaced', shortNames: ['app', 'apps'], served: ['v1alpha1'], storage: 'v1alpha1' },
    { name: 'rollouts.argoproj.io', scope: 'Namespaced', shortNames: ['ro'], served: ['v1alpha1'], storage: 'v1alpha1' },
    { name: 'secretstores.external-secrets.io', scope: 'Namespaced', shortNames: ['ss'], categories: ['external-secrets'], served: ['v1', 'v1beta1'], storage: 'v1' },
    { name: 'externalsecrets.external-secrets.io', scope: 'Namespaced', shortNames: ['es'], categories: ['external-secrets'], served: ['v1', 'v1beta1'], storage: 'v1' },
    { name: 'backups.velero.io', scope: 'Namespaced', served: ['v1'], storage: 'v1' },
    { name: 'schedules.velero.io', scope: 'Namespaced', served: ['v1'], storage: 'v1' },
    { name: 'virtualservices.networking.istio.io', scope: 'Namespaced', shortNames: ['vs'], categories: ['istio-io', 'networking-istio-io'], served: ['v1', 'v1alpha3', 'v1beta1'], storage: 'v1' },
    { name: 'destinationrules.networking.istio.io', scope: 'Namespaced', shortNames: ['dr'], categories: ['istio-io', 'networking-istio-io'], served: ['v1', 'v1alpha3', 'v1beta1'], storage: 'v1' },
    { name: 'peerauthentications.security.istio.io', scope: 'Namespaced', shortNames: ['pa'], categories: ['istio-io', 'security-istio-io'], served: ['v1', 'v1beta1'], storage: 'v1' },
    { name: 'authorizationpolicies.security.istio.io', scope: 'Namespaced', shortNames: ['ap'], categories: ['istio-io', 'security-istio-io'], served: ['v1', 'v1beta1'], storage: 'v1' },
    { name: 'istiooperators.install.istio.io', scope: 'Namespaced', shortNames: ['iop', 'io'], served: ['v1alpha1'], storage: 'v1alpha1' },
    { name: 'servicemonitors.monitoring.coreos.com', scope: 'Namespaced', shortNames: ['smon'], categories: ['prometheus-operator'], served: ['v1'], storage: 'v1' },
  ];

  for (const row of table) {
    test(`${row.name}: ${row.scope}, serves ${row.served.join(', ')}, stores ${row.storage}`, () => {
      const crd = crdNamed(row.name);
      assert.equal(crd.spec.scope, row.scope);
      assert.deepEqual(crd.spec.names.shortNames, row.shortNames);
      assert.deepEqual(crd.spec.names.categories, row.categories);
      assert.deepEqual(servedVersions(crd), row.served);
      assert.equal(storageVersionOf(crd), row.storage);
    });
  }

  test('VPA v1beta2 is served but deprecated, with the project\'s warning', () => {
    const v1beta2 = crdNamed('verticalpodautoscalers.autoscaling.k8s.io').spec.versions.find((v) => v.name === 'v1beta2')!;
    assert.equal(v1beta2.deprecated, true);
    assert.equal(v1beta2.deprecationWarning, 'autoscaling.k8s.io/v1beta2 API is deprecated');
  });

  test('VPA CRDs carry the API approval annotation autoscaling.k8s.io requires', () => {
    for (const crd of findAddon('vpa')!.crds) {
      assert.match(crd.metadata.annotations?.['api-approved.kubernetes.io'] ?? '', /^https:\/\/github\.com\/kubernetes\/kubernetes\/pull\/\d+$/);
    }
  });

  test('Rollout has status and scale subresources so an HPA can target it', () => {
    const v = crdNamed('rollouts.argoproj.io').spec.versions[0];
    assert.deepEqual(v.subresources, {
      status: {},
      scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.HPAReplicas', labelSelectorPath: '.status.selector' },
    });
  });

  test('kubectl get rollouts shows Desired, Current, Up-to-date, Available and Age', () => {
    const cols = crdNamed('rollouts.argoproj.io').spec.versions[0].additionalPrinterColumns!;
    assert.deepEqual(
      cols.map((c) => [c.name, c.type, c.jsonPath]),
      [
        ['Desired', 'integer', '.spec.replicas'],
        ['Current', 'integer', '.status.replicas'],
        ['Up-to-date', 'integer', '.status.updatedReplicas'],
        ['Available', 'integer', '.status.availableReplicas'],
        ['Age', 'date', '.metadata.creationTimestamp'],
      ],
    );
  });

  test('kubectl get applications shows Sync Status and Health Status, with Revision and Project under -o wide', () => {
    const cols = crdNamed('applications.argoproj.io').spec.versions[0].additionalPrinterColumns!;
    assert.deepEqual(
      cols.map((c) => [c.name, c.jsonPath, c.priority ?? 0]),
      [
        ['Sync Status', '.status.sync.status', 0],
        ['Health Status', '.status.health.status', 0],
        ['Revision', '.status.sync.revision', 10],
        ['Project', '.spec.project', 10],
      ],
    );
  });

  test('kubectl get nodepools shows NodeClass, Nodes, Ready and Age, with Weight, CPU and Memory under -o wide', () => {
    const cols = crdNamed('nodepools.karpenter.sh').spec.versions[0].additionalPrinterColumns!;
    assert.deepEqual(
      cols.map((c) => [c.name, c.priority ?? 0]),
      [['NodeClass', 0], ['Nodes', 0], ['Ready', 0], ['Age', 0], ['Weight', 1], ['CPU', 1], ['Memory', 1]],
    );
  });

  test('Backup has no subresources and no schedule field; Schedule has both schedule and template', () => {
    const backup = crdNamed('backups.velero.io').spec.versions[0];
    assert.equal(backup.subresources, undefined);
    assert.equal('schedule' in (backup.schema!.openAPIV3Schema!.properties!['spec']!.properties ?? {}), false);
    const schedule = crdNamed('schedules.velero.io').spec.versions[0].schema!.openAPIV3Schema!.properties!['spec']!;
    assert.deepEqual(schedule.required, ['schedule', 'template']);
  });

  test('IstioOperator keeps whatever istioctl accepts (free-form schema)', () => {
    const schema = crdNamed('istiooperators.install.istio.io').spec.versions[0].schema!.openAPIV3Schema!;
    assert.deepEqual(schema, { type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
  });
});

describe('findAddon', () => {
  test('finds add-ons by name and alias, case-insensitively', () => {
    assert.equal(findAddon('karpenter')?.name, 'karpenter');
    assert.equal(findAddon('ArgoCD')?.name, 'argo-cd');
    assert.equal(findAddon('eso')?.name, 'external-secrets');
    assert.equal(findAddon('kube-prometheus-stack')?.name, 'prometheus-operator');
  });

  test('returns undefined for an add-on the catalog does not have', () => {
    assert.equal(findAddon('linkerd'), undefined);
  });
});

describe('addonsForKind', () => {
  const cases: Array<[string, string, string[]]> = [
    ['argoproj.io', 'Rollout', ['argo-rollouts']],
    ['argoproj.io', 'Application', ['argo-cd']],
    ['karpenter.sh', 'Provisioner', ['karpenter']],
    ['karpenter.k8s.aws', 'EC2NodeClass', ['karpenter']],
    ['external-secrets.io', 'ExternalSecret', ['external-secrets']],
    ['velero.io', 'Backup', ['velero']],
    ['install.istio.io', 'IstioOperator', ['istio']],
    ['monitoring.coreos.com', 'ServiceMonitor', ['prometheus-operator']],
    ['autoscaling.k8s.io', 'VerticalPodAutoscaler', ['vpa']],
    ['', 'vs', ['istio']],
    ['', 'rollouts', ['argo-rollouts']],
    ['policy', 'PodSecurityPolicy', []],
    ['networking.istio.io', 'Rollout', []],
  ];
  for (const [group, kind, expected] of cases) {
    test(`${kind} in group "${group}" is provided by ${expected.length ? expected.join(', ') : 'no add-on'}`, () => {
      assert.deepEqual(addonsForKind(group, kind).map((a) => a.name), expected);
    });
  }
});

describe('installAddon', () => {
  /** An in-memory apply: create or replace by name, counting what actually changed. */
  function fakeCluster() {
    const objects = new Map<string, KubeObject>();
    let changes = 0;
    const apply = async (obj: KubeObject): Promise<void> => {
      const key = `${obj.kind}/${obj.metadata.name}`;
      const before = objects.get(key);
      if (!before || JSON.stringify(before) !== JSON.stringify(obj)) changes++;
      objects.set(key, structuredClone(obj));
    };
    return { objects, apply, changes: () => changes };
  }

  test('applies every CRD of the add-on, labelled with the add-on name', async () => {
    const cluster = fakeCluster();
    const addon = await installAddon('argo-rollouts', cluster.apply);
    assert.equal(addon.name, 'argo-rollouts');
    assert.deepEqual(
      [...cluster.objects.keys()].sort(),
      addon.crds.map((c) => `CustomResourceDefinition/${c.metadata.name}`).sort(),
    );
    for (const obj of cluster.objects.values()) assert.equal(obj.metadata.labels?.[ADDON_LABEL], 'argo-rollouts');
  });

  test('installing twice changes nothing the second time', async () => {
    const cluster = fakeCluster();
    await installAddon('istio', cluster.apply);
    const first = cluster.changes();
    await installAddon('istio', cluster.apply);
    assert.equal(cluster.changes(), first);
  });

  test('leaves the catalog objects untouched (applies copies)', () => {
    const addon = findAddon('velero')!;
    const copies = addonObjects(addon);
    copies[0]!.metadata.labels![ADDON_LABEL] = 'changed';
    assert.equal(addon.crds[0]!.metadata.labels?.[ADDON_LABEL], undefined);
  });

  test('rejects an unknown add-on, naming the known ones', async () => {
    await assert.rejects(installAddon('linkerd', async () => {}), /unknown add-on "linkerd"; known add-ons: karpenter, vpa, argo-cd/);
  });
});
