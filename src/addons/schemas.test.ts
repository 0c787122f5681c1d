// The add-on schemas on realistic objects: documented examples (test/fixtures/addons/) are created,
// the mistakes users make are rejected with kube-apiserver's messages, and defaults the projects
// declare are applied.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseYamlDocuments, repoRoot, seedFixtures } from '../../test/fixtures/fixtures.js';
import type { KubeObject } from '../api/types.js';
import { admitCustomResource, catalogCRD } from './admit.testutil.js';

const examplesDir = join(repoRoot(), 'test', 'fixtures', 'addons');

function example(file: string): KubeObject {
  return parseYamlDocuments(readFileSync(join(examplesDir, file), 'utf8'), file)[0] as KubeObject;
}

function seed(file: string): KubeObject {
  const fixture = seedFixtures('custom').find((f) => f.file === file);
  assert.ok(fixture, `seed ${file}`);
  return structuredClone(fixture.docs[0]) as KubeObject;
}

// Loosely typed access for the mutations below.
type Json = any;

describe('documented add-on examples', () => {
  const files = readdirSync(examplesDir).filter((f) => f.endsWith('.yaml')).sort();

  test('the examples folder holds the expected documents', () => {
    assert.ok(files.length >= 10, files.join(', '));
  });

  for (const file of files) {
    test(`${file} is created without pruning anything`, () => {
      const result = admitCustomResource(example(file));
      assert.equal(result.outcome, 'created', result.message);
    });
  }
});

interface Mistake {
  name: string;
  base: () => KubeObject;
  mutate: (o: Json) => void;
  outcome: 'Invalid' | 'BadRequest';
  message: string;
}

const mistakes: Mistake[] = [
  {
    name: 'rejects a Karpenter Provisioner whose ttlSecondsAfterEmpty is the string "30"',
    base: () => seed('seed001-04-provisioner-default.yaml'),
    mutate: (o) => (o.spec.ttlSecondsAfterEmpty = '30'),
    outcome: 'Invalid',
    message:
      'Provisioner.karpenter.sh "default" is invalid: spec.ttlSecondsAfterEmpty: Invalid value: "string": ' +
      'spec.ttlSecondsAfterEmpty in body must be of type integer: "string"',
  },
  {
    name: 'rejects a Provisioner weight of 0 (weights run 1-100)',
    base: () => seed('seed001-14-provisioner-spot.yaml'),
    mutate: (o) => (o.spec.weight = 0),
    outcome: 'Invalid',
    message: 'Provisioner.karpenter.sh "spot" is invalid: spec.weight: Invalid value: 0: spec.weight in body should be greater than or equal to 1',
  },
  {
    name: 'rejects a Provisioner requirement with operator Equals',
    base: () => seed('seed001-14-provisioner-spot.yaml'),
    mutate: (o) => (o.spec.requirements[0].operator = 'Equals'),
    outcome: 'Invalid',
    message:
      'Provisioner.karpenter.sh "spot" is invalid: spec.requirements[0].operator: Unsupported value: "Equals": ' +
      'supported values: "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"',
  },
  {
    name: 'rejects an AWSNodeTemplate EBS volume type gp4',
    base: () => seed('seed001-05-awsnodetemplate-default.yaml'),
    mutate: (o) => (o.spec.blockDeviceMappings[0].ebs.volumeType = 'gp4'),
    outcome: 'Invalid',
    message:
      'AWSNodeTemplate.karpenter.k8s.aws "default" is invalid: spec.blockDeviceMappings[0].ebs.volumeType: Unsupported value: "gp4": ' +
      'supported values: "standard", "io1", "io2", "gp2", "sc1", "st1", "gp3"',
  },
  {
    name: 'rejects a NodePool without nodeClassRef',
    base: () => example('nodepool-default.yaml'),
    mutate: (o) => delete o.spec.template.spec.nodeClassRef,
    outcome: 'Invalid',
    message: 'NodePool.karpenter.sh "default" is invalid: spec.template.spec.nodeClassRef: Required value',
  },
  {
    name: 'rejects a NodePool disruption budget of "150%"',
    base: () => example('nodepool-default.yaml'),
    mutate: (o) => (o.spec.disruption.budgets[0].nodes = '150%'),
    outcome: 'Invalid',
    message:
      "NodePool.karpenter.sh \"default\" is invalid: spec.disruption.budgets[0].nodes: Invalid value: \"150%\": " +
      "spec.disruption.budgets[0].nodes in body should match '^((100|[0-9]{1,2})%|[0-9]+)$'",
  },
  {
    name: 'rejects an EC2NodeClass without subnetSelectorTerms',
    base: () => example('ec2nodeclass-default.yaml'),
    mutate: (o) => delete o.spec.subnetSelectorTerms,
    outcome: 'Invalid',
    message: 'EC2NodeClass.karpenter.k8s.aws "default" is invalid: spec.subnetSelectorTerms: Required value',
  },
  {
    name: 'rejects a VirtualService route with weight 150',
    base: () => seed('seed002-13-virtualservice-api-gateway-vs.yaml'),
    mutate: (o) => (o.spec.http[1].route[0].weight = 150),
    outcome: 'Invalid',
    message:
      'VirtualService.networking.istio.io "api-gateway-vs" is invalid: spec.http[1].route[0].weight: Invalid value: 150: ' +
      'spec.http[1].route[0].weight in body should be less than or equal to 100',
  },
  {
    name: 'rejects a VirtualService route destination without host',
    base: () => seed('seed002-13-virtualservice-api-gateway-vs.yaml'),
    mutate: (o) => delete o.spec.http[0].route[0].destination.host,
    outcome: 'Invalid',
    message: 'VirtualService.networking.istio.io "api-gateway-vs" is invalid: spec.http[0].route[0].destination.host: Required value',
  },
  {
    name: 'rejects a DestinationRule subset without a name',
    base: () => seed('seed002-14-destinationrule-api-gateway-dr.yaml'),
    mutate: (o) => delete o.spec.subsets[1].name,
    outcome: 'Invalid',
    message: 'DestinationRule.networking.istio.io "api-gateway-dr" is invalid: spec.subsets[1].name: Required value',
  },
  {
    name: 'rejects a PeerAuthentication mTLS mode in the wrong case',
    base: () => seed('seed002-15-peerauthentication-default.yaml'),
    mutate: (o) => (o.spec.mtls.mode = 'strict'),
    outcome: 'Invalid',
    message:
      'PeerAuthentication.security.istio.io "default" is invalid: spec.mtls.mode: Unsupported value: "strict": ' +
      'supported values: "UNSET", "DISABLE", "PERMISSIVE", "STRICT"',
  },
  {
    name: 'rejects an AuthorizationPolicy action Allow (actions are upper case)',
    base: () => seed('seed002-16-authorizationpolicy-api-gateway-authz.yaml'),
    mutate: (o) => (o.spec.action = 'Allow'),
    outcome: 'Invalid',
    message:
      'AuthorizationPolicy.security.istio.io "api-gateway-authz" is invalid: spec.action: Unsupported value: "Allow": ' +
      'supported values: "ALLOW", "DENY", "AUDIT", "CUSTOM"',
  },
  {
    name: 'rejects an ExternalSecret data entry without remoteRef.key',
    base: () => seed('seed001-13-externalsecret-database-credentials.yaml'),
    mutate: (o) => delete o.spec.data[1].remoteRef.key,
    outcome: 'Invalid',
    message: 'ExternalSecret.external-secrets.io "database-credentials" is invalid: spec.data[1].remoteRef.key: Required value',
  },
  {
    name: 'rejects an ExternalSecret whose secretStoreRef.kind is Secret',
    base: () => seed('seed001-13-externalsecret-database-credentials.yaml'),
    mutate: (o) => (o.spec.secretStoreRef.kind = 'Secret'),
    outcome: 'Invalid',
    message:
      'ExternalSecret.external-secrets.io "database-credentials" is invalid: spec.secretStoreRef.kind: Unsupported value: "Secret": ' +
      'supported values: "SecretStore", "ClusterSecretStore"',
  },
  {
    name: 'rejects a SecretStore with two providers',
    base: () => seed('seed001-12-secretstore-aws-secrets-manager.yaml'),
    mutate: (o) => (o.spec.provider.vault = { server: 'https://vault.example.com' }),
    outcome: 'Invalid',
    message: 'SecretStore.external-secrets.io "aws-secrets-manager" is invalid: spec.provider: Too many: 2: must have at most 1 items',
  },
  {
    name: 'rejects a SecretStore AWS provider without region',
    base: () => seed('seed001-12-secretstore-aws-secrets-manager.yaml'),
    mutate: (o) => delete o.spec.provider.aws.region,
    outcome: 'Invalid',
    message: 'SecretStore.external-secrets.io "aws-secrets-manager" is invalid: spec.provider.aws.region: Required value',
  },
  {
    name: 'rejects a VPA updateMode "auto" (modes are capitalised)',
    base: () => seed('seed002-11-verticalpodautoscaler-api-gateway-vpa.yaml'),
    mutate: (o) => (o.spec.updatePolicy.updateMode = 'auto'),
    outcome: 'Invalid',
    message:
      'VerticalPodAutoscaler.autoscaling.k8s.io "api-gateway-vpa" is invalid: spec.updatePolicy.updateMode: Unsupported value: "auto": ' +
      'supported values: "Off", "Initial", "Recreate", "InPlaceOrRecreate", "Auto"',
  },
  {
    name: 'rejects a VPA without targetRef',
    base: () => seed('seed002-11-verticalpodautoscaler-api-gateway-vpa.yaml'),
    mutate: (o) => delete o.spec.targetRef,
    outcome: 'Invalid',
    message: 'VerticalPodAutoscaler.autoscaling.k8s.io "api-gateway-vpa" is invalid: spec.targetRef: Required value',
  },
  {
    name: 'rejects a VPA maxAllowed memory of "1 GB" (not a quantity)',
    base: () => seed('seed002-11-verticalpodautoscaler-api-gateway-vpa.yaml'),
    mutate: (o) => (o.spec.resourcePolicy.containerPolicies[0].maxAllowed.memory = '1 GB'),
    outcome: 'Invalid',
    message:
      'VerticalPodAutoscaler.autoscaling.k8s.io "api-gateway-vpa" is invalid: spec.resourcePolicy.containerPolicies[0].maxAllowed.memory: ' +
      'Invalid value: "1 GB": spec.resourcePolicy.containerPolicies[0].maxAllowed.memory in body should match ' +
      "'^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$'",
  },
  {
    name: 'rejects an Argo CD Application without project',
    base: () => seed('seed001-02-application-applications.yaml'),
    mutate: (o) => delete o.spec.project,
    outcome: 'Invalid',
    message: 'Application.argoproj.io "applications" is invalid: spec.project: Required value',
  },
  {
    name: 'rejects an Argo CD Application source without repoURL',
    base: () => seed('seed001-02-application-applications.yaml'),
    mutate: (o) => delete o.spec.source.repoURL,
    outcome: 'Invalid',
    message: 'Application.argoproj.io "applications" is invalid: spec.source.repoURL: Required value',
  },
  {
    name: 'rejects a canary step setWeight of "5%"',
    base: () => seed('seed001-17-rollout-api-server.yaml'),
    mutate: (o) => (o.spec.strategy.canary.steps[0].setWeight = '5%'),
    outcome: 'Invalid',
    message:
      'Rollout.argoproj.io "api-server" is invalid: spec.strategy.canary.steps[0].setWeight: Invalid value: "string": ' +
      'spec.strategy.canary.steps[0].setWeight in body must be of type integer: "string"',
  },
  {
    name: 'rejects a Rollout pod template container without a name',
    base: () => seed('seed001-17-rollout-api-server.yaml'),
    mutate: (o) => delete o.spec.template.spec.containers[0].name,
    outcome: 'Invalid',
    message: 'Rollout.argoproj.io "api-server" is invalid: spec.template.spec.containers[0].name: Required value',
  },
  {
    name: 'rejects a misspelled canary field (steps) under Strict field validation',
    base: () => seed('seed001-17-rollout-api-server.yaml'),
    mutate: (o) => {
      o.spec.strategy.canary.step = o.spec.strategy.canary.steps;
      delete o.spec.strategy.canary.steps;
    },
    outcome: 'BadRequest',
    message: 'Rollout in version "v1alpha1" cannot be handled as a Rollout: strict decoding error: unknown field "spec.strategy.canary.step"',
  },
  {
    name: 'rejects a blue-green Rollout without activeService',
    base: () => example('rollout-bluegreen.yaml'),
    mutate: (o) => delete o.spec.strategy.blueGreen.activeService,
    outcome: 'Invalid',
    message: 'Rollout.argoproj.io "checkout" is invalid: spec.strategy.blueGreen.activeService: Required value',
  },
  {
    name: 'rejects a Velero Schedule without template',
    base: () => example('schedule-daily-backup.yaml'),
    mutate: (o) => delete o.spec.template,
    outcome: 'Invalid',
    message: 'Schedule.velero.io "daily-backup" is invalid: spec.template: Required value',
  },
  {
    name: 'rejects a ServiceMonitor scrape interval of "30 seconds"',
    base: () => example('servicemonitor-api.yaml'),
    mutate: (o) => (o.spec.endpoints[0].interval = '30 seconds'),
    outcome: 'Invalid',
    message:
      'ServiceMonitor.monitoring.coreos.com "api-server" is invalid: spec.endpoints[0].interval: Invalid value: "30 seconds": ' +
      "spec.endpoints[0].interval in body should match '^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$'",
  },
  {
    name: 'rejects a ServiceMonitor without selector',
    base: () => example('servicemonitor-api.yaml'),
    mutate: (o) => delete o.spec.selector,
    outcome: 'Invalid',
    message: 'ServiceMonitor.monitoring.coreos.com "api-server" is invalid: spec.selector: Required value',
  },
];

describe('realistic mistakes', () => {
  for (const m of mistakes) {
    test(m.name, () => {
      const obj = m.base();
      m.mutate(obj);
      const result = admitCustomResource(obj);
      assert.equal(result.outcome, m.outcome);
      assert.equal(result.message, m.message);
    });
  }

  test('accepts an ExternalSecret without secretStoreRef, as ESO does since v0.9 (sources may name their own store or generator)', () => {
    const obj = seed('seed001-13-externalsecret-database-credentials.yaml') as Json;
    delete obj.spec.secretStoreRef;
    obj.spec.data = [{ secretKey: 'token', sourceRef: { generatorRef: { kind: 'Password', name: 'db-password' } }, remoteRef: { key: 'x' } }];
    assert.equal(admitCustomResource(obj).outcome, 'created');
  });
});

describe('defaults the projects declare', () => {
  test('a NodePool without disruption gets consolidateAfter 0s, a 10% budget and WhenEmptyOrUnderutilized', () => {
    const obj = example('nodepool-default.yaml') as Json;
    delete obj.spec.disruption;
    delete obj.spec.template.spec.expireAfter;
    const stored = admitCustomResource(obj).object as Json;
    assert.deepEqual(stored.spec.disruption, { consolidateAfter: '0s', budgets: [{ nodes: '10%' }], consolidationPolicy: 'WhenEmptyOrUnderutilized' });
    assert.equal(stored.spec.template.spec.expireAfter, '720h');
  });

  test('an ExternalSecret gets refreshInterval, creation and deletion policies and remoteRef strategies', () => {
    const stored = admitCustomResource(seed('seed004-01-externalsecret-rds-credentials.yaml')).object as Json;
    assert.equal(stored.spec.refreshInterval, '1h');
    assert.deepEqual(stored.spec.target, { name: 'rds-credentials', creationPolicy: 'Owner', deletionPolicy: 'Retain' });
    assert.deepEqual(stored.spec.data[0].remoteRef, {
      key: 'medrobotics-rds-secret',
      property: 'password',
      conversionStrategy: 'Default',
      decodingStrategy: 'None',
      metadataPolicy: 'None',
    });
  });

  test('a Rollout container port gets protocol TCP, the key its port list is merged by', () => {
    const stored = admitCustomResource(seed('seed001-17-rollout-api-server.yaml')).object as Json;
    assert.deepEqual(stored.spec.template.spec.containers[0].ports, [{ containerPort: 8080, protocol: 'TCP' }]);
  });

  test('an EC2NodeClass gets IMDSv2-only metadata options', () => {
    const stored = admitCustomResource(example('ec2nodeclass-default.yaml')).object as Json;
    assert.deepEqual(stored.spec.metadataOptions, {
      httpEndpoint: 'enabled',
      httpProtocolIPv6: 'disabled',
      httpPutResponseHopLimit: 1,
      httpTokens: 'required',
    });
  });

  test('the Rollout pod template keeps the full PodSpec (probes, resources) rather than pruning it', () => {
    const stored = admitCustomResource(example('rollout-bluegreen.yaml')).object as Json;
    const container = stored.spec.template.spec.containers[0];
    assert.deepEqual(container.readinessProbe, { httpGet: { path: '/ready', port: 'http' } });
    assert.deepEqual(container.resources.requests, { cpu: '250m', memory: '256Mi' });
    assert.ok(catalogCRD('argoproj.io', 'Rollout'));
  });
});
