import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../../api/types.js';
import { fieldErrorString } from '../../../apimachinery/errors.js';
import { RealClock } from '../../../sim/clock.js';
import type { Strategy } from '../strategy.js';
import { controllerRevisionStrategy } from './controllerrevisions.js';
import { daemonSetStrategy, TEMPLATE_GENERATION_ANNOTATION } from './daemonsets.js';
import { deploymentStrategy } from './deployments.js';
import { replicaSetStrategy } from './replicasets.js';
import { statefulSetStrategy } from './statefulsets.js';

const ctx = { clock: new RealClock() };

function template(labels: Record<string, string> = { app: 'web' }) {
  return { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } };
}

function workload(kind: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'apps/v1', kind, metadata: { name: 'web', namespace: 'default', uid: 'u1' }, spec };
}

function errors(strategy: Strategy<any>, obj: KubeObject): string[] {
  strategy.defaults?.(obj);
  strategy.prepareForCreate?.(obj, ctx);
  return (strategy.validate?.(obj, ctx) ?? []).map(fieldErrorString);
}

function updateErrors(strategy: Strategy<any>, next: KubeObject, old: KubeObject): string[] {
  strategy.defaults?.(next);
  strategy.defaults?.(old);
  return (strategy.validateUpdate?.(next, old, ctx) ?? []).map(fieldErrorString);
}

describe('Deployment', () => {
  test('defaults as a 1.32 cluster shows them', () => {
    const d = workload('Deployment', { selector: { matchLabels: { app: 'web' } }, template: template() });
    deploymentStrategy.defaults(d);
    const spec = d.spec as any;
    assert.equal(spec.replicas, 1);
    assert.deepEqual(spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    assert.equal(spec.revisionHistoryLimit, 10);
    assert.equal(spec.progressDeadlineSeconds, 600);
    assert.equal(spec.template.spec.restartPolicy, 'Always');
  });

  test('keeps an explicit Recreate strategy without rollingUpdate', () => {
    const d = workload('Deployment', { strategy: { type: 'Recreate' } });
    deploymentStrategy.defaults(d);
    assert.deepEqual((d.spec as any).strategy, { type: 'Recreate' });
  });

  const cases: [string, Record<string, unknown>, string[]][] = [
    [
      'rejects template labels the selector does not match',
      { selector: { matchLabels: { app: 'web' } }, template: template({ app: 'api' }) },
      ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"api"}: `selector` does not match template `labels`'],
    ],
    [
      'rejects an empty selector',
      { selector: {}, template: template() },
      ['spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment'],
    ],
    [
      'rejects negative replicas',
      { replicas: -1, selector: { matchLabels: { app: 'web' } }, template: template() },
      ['spec.replicas: Invalid value: -1: must be greater than or equal to 0'],
    ],
    [
      'rejects maxUnavailable and maxSurge both zero',
      { selector: { matchLabels: { app: 'web' } }, template: template(), strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } } },
      ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0'],
    ],
    [
      'rejects maxUnavailable above 100%',
      { selector: { matchLabels: { app: 'web' } }, template: template(), strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '110%' } } },
      ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"110%"}: must not be greater than 100%'],
    ],
    [
      'rejects rollingUpdate with a Recreate strategy',
      { selector: { matchLabels: { app: 'web' } }, template: template(), strategy: { type: 'Recreate', rollingUpdate: { maxSurge: 1 } } },
      ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"],
    ],
    [
      'rejects a template restartPolicy other than Always',
      { selector: { matchLabels: { app: 'web' } }, template: { ...template(), spec: { ...template().spec, restartPolicy: 'Never' } } },
      ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    ],
    [
      'rejects a progress deadline not above minReadySeconds',
      { selector: { matchLabels: { app: 'web' } }, template: template(), minReadySeconds: 600 },
      ['spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds'],
    ],
  ];
  for (const [name, spec, expected] of cases) {
    test(name, () => assert.deepEqual(errors(deploymentStrategy, workload('Deployment', spec)), expected));
  }

  test('rejects a selector change on update', () => {
    const old = workload('Deployment', { selector: { matchLabels: { app: 'web' } }, template: template() });
    const next = workload('Deployment', { selector: { matchLabels: { app: 'web', tier: 'fe' } }, template: template({ app: 'web', tier: 'fe' }) });
    assert.deepEqual(updateErrors(deploymentStrategy, next, old), [
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "tier":"fe"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    ]);
  });

  test('bumps generation when only annotations change', () => {
    const old = workload('Deployment', {});
    old.metadata.generation = 3;
    const next = structuredClone(old);
    next.metadata.annotations = { 'kubernetes.io/change-cause': 'x' };
    deploymentStrategy.prepareForUpdate(next, old);
    assert.equal(next.metadata.generation, 4);
  });

  test('rejects status counters above status.replicas', () => {
    const d = workload('Deployment', {});
    d.status = { replicas: 1, readyReplicas: 2, availableReplicas: 2 };
    assert.deepEqual(deploymentStrategy.status.validateUpdate(d, workload('Deployment', {})).map(fieldErrorString), [
      'status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas',
      'status.availableReplicas: Invalid value: 2: cannot be greater than status.replicas',
    ]);
  });

  test('serves /scale on spec.replicas', () => {
    assert.deepEqual(deploymentStrategy.scale, { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' });
  });
});

describe('ReplicaSet', () => {
  test('reports an empty selector with upstream\'s "deployment" wording', () => {
    assert.deepEqual(errors(replicaSetStrategy, workload('ReplicaSet', { selector: { matchLabels: {} }, template: template() })), [
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
    ]);
  });
});

describe('StatefulSet', () => {
  test('defaults policies, update strategy and claim templates', () => {
    const s = workload('StatefulSet', {
      selector: { matchLabels: { app: 'web' } },
      template: template(),
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    });
    statefulSetStrategy.defaults(s);
    const spec = s.spec as any;
    assert.equal(spec.podManagementPolicy, 'OrderedReady');
    assert.deepEqual(spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
    assert.deepEqual(spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' });
    assert.equal(spec.revisionHistoryLimit, 10);
    assert.equal(spec.replicas, 1);
    const pvc = spec.volumeClaimTemplates[0];
    assert.equal(pvc.apiVersion, 'v1');
    assert.equal(pvc.kind, 'PersistentVolumeClaim');
    assert.equal(pvc.spec.volumeMode, 'Filesystem');
    assert.deepEqual(pvc.status, { phase: 'Pending' });
  });

  test('forbids changing fields other than the mutable ones', () => {
    const old = workload('StatefulSet', { selector: { matchLabels: { app: 'web' } }, template: template(), serviceName: 'a' });
    const next = workload('StatefulSet', { selector: { matchLabels: { app: 'web' } }, template: template(), serviceName: 'b', replicas: 5 });
    assert.deepEqual(updateErrors(statefulSetStrategy, next, old), [
      "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ]);
  });

  test('allows scaling and a template change', () => {
    const old = workload('StatefulSet', { selector: { matchLabels: { app: 'web' } }, template: template() });
    const next = workload('StatefulSet', { selector: { matchLabels: { app: 'web' } }, template: template({ app: 'web', v: '2' }), replicas: 5 });
    assert.deepEqual(updateErrors(statefulSetStrategy, next, old), []);
  });

  test('rejects an unknown podManagementPolicy and retention policy', () => {
    const s = workload('StatefulSet', {
      selector: { matchLabels: { app: 'web' } },
      template: template(),
      podManagementPolicy: 'Fast',
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Keep' },
    });
    assert.deepEqual(errors(statefulSetStrategy, s), [
      "spec.podManagementPolicy: Invalid value: \"Fast\": must be 'OrderedReady' or 'Parallel'",
      'spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": supported values: "Retain", "Delete"',
    ]);
  });
});

describe('DaemonSet', () => {
  test('defaults a RollingUpdate of one pod at a time and stamps the template generation', () => {
    const ds = workload('DaemonSet', { selector: { matchLabels: { app: 'web' } }, template: template() });
    assert.deepEqual(errors(daemonSetStrategy, ds), []);
    assert.deepEqual((ds.spec as any).updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    assert.equal(ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION], '1');
  });

  test('advances the template generation only when the template changes', () => {
    const old = workload('DaemonSet', { template: template() });
    old.metadata.annotations = { [TEMPLATE_GENERATION_ANNOTATION]: '2' };
    const same = structuredClone(old);
    daemonSetStrategy.prepareForUpdate(same, old);
    assert.equal(same.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION], '2');
    const changed = workload('DaemonSet', { template: template({ app: 'web', v: '2' }) });
    daemonSetStrategy.prepareForUpdate(changed, old);
    assert.equal(changed.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION], '3');
  });

  test('rejects both maxSurge and maxUnavailable set', () => {
    const ds = workload('DaemonSet', {
      selector: { matchLabels: { app: 'web' } },
      template: template(),
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } },
    });
    assert.deepEqual(errors(daemonSetStrategy, ds), ['spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero']);
  });
});

describe('ControllerRevision', () => {
  test('requires data and keeps it immutable', () => {
    const cr: KubeObject = { metadata: { name: 'web-1' }, revision: 1 };
    assert.deepEqual(errors(controllerRevisionStrategy, cr), ['data: Required value: data is mandatory']);
    const old: KubeObject = { metadata: { name: 'web-1' }, revision: 1, data: { a: 1 } };
    const next: KubeObject = { metadata: { name: 'web-1' }, revision: 1, data: { a: 2 } };
    assert.deepEqual(updateErrors(controllerRevisionStrategy, next, old), ['data: Invalid value: {"a":2}: field is immutable']);
  });
});
