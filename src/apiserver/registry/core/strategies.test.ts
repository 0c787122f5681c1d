import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorString, isStatusError, type FieldError } from '../../../apimachinery/errors.js';
import type { Clock } from '../../../sim/clock.js';
import type { Strategy } from '../strategy.js';
import { coreStrategies, needsClusterIP } from './index.js';

const ctx = { clock: { now: () => Date.UTC(2025, 0, 2, 3, 4, 5) } as unknown as Clock };
const msgs = (errs: FieldError[]) => errs.map(fieldErrorString);

/** Runs an object through a create the way the generic store does: defaults, prepare, validate. */
function create(resource: string, obj: any): { obj: any; errors: string[] } {
  const s: Strategy<any> = coreStrategies[resource];
  const o = structuredClone(obj);
  s.defaults?.(o);
  s.prepareForCreate?.(o, ctx);
  return { obj: o, errors: msgs(s.validate?.(o, ctx) ?? []) };
}

/** An update through the main resource: defaults, prepare, validate, validateUpdate. */
function update(resource: string, next: any, old: any): string[] {
  const s: Strategy<any> = coreStrategies[resource];
  const o = structuredClone(next);
  s.defaults?.(o);
  if (o.status !== undefined || old.status !== undefined) o.status = structuredClone(old.status);
  s.prepareForUpdate?.(o, old, ctx);
  return msgs(s.validateUpdate?.(o, old, ctx) ?? []);
}

// Core kinds from the seed documents; every one must be accepted as is.
const seeds: Array<[string, any]> = [
  ['configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cluster-info', namespace: 'amazon-cloudwatch' }, data: { 'cluster.name': 'pms-prod', 'logs.region': 'us-east-1', 'http.server': 'on', 'http.port': '2020' } }],
  ['configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'prometheus-config' }, data: { 'prometheus.yml': 'global:\n  scrape_interval: 15s\n' } }],
  ['configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'grafana-dashboards' }, data: { 'kubernetes-cluster.json': '{"dashboard": {"title": "Kubernetes Cluster Overview"}}\n' } }],
  ['configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kubecost-cost-model' }, data: { 'kubecost-cost-model.yaml': 'prometheus:\n  enabled: true\n' } }],
  ['namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'production', labels: { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/audit': 'restricted', 'pod-security.kubernetes.io/warn': 'restricted' } } }],
  ['serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'apigateway-sa', namespace: 'pms-prod', annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/pms-apigateway-role' } } }],
  ['serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'app-service-account', namespace: 'default' } }],
  ['persistentvolumeclaims', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'postgres-data', namespace: 'pms-prod' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'gp3', resources: { requests: { storage: '100Gi' } } } }],
  ['persistentvolumeclaims', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'postgres-pvc' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast-ssd', resources: { requests: { storage: '100Gi' } } } }],
  ['persistentvolumes', { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'efs-pv' }, spec: { capacity: { storage: '100Gi' }, volumeMode: 'Filesystem', accessModes: ['ReadWriteMany'], storageClassName: 'efs-sc', csi: { driver: 'efs.csi.aws.com', volumeHandle: 'fs-12345678' } } }],
  ['resourcequotas', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'team-quota', namespace: 'team-a' }, spec: { hard: { 'requests.cpu': '20', 'requests.memory': '40Gi', 'limits.cpu': '40', 'limits.memory': '80Gi', persistentvolumeclaims: '10' } } }],
];

describe('core strategies accept the seed manifests', () => {
  for (const [resource, obj] of seeds) {
    test(`accepts ${obj.kind} ${obj.metadata.name}`, () => assert.deepEqual(create(resource, obj).errors, []));
  }
});

describe('namespaces', () => {
  test('a new namespace is Active, finalized by kubernetes and labelled with its name', () => {
    const { obj } = create('namespaces', seeds[4][1]);
    assert.deepEqual(obj.status, { phase: 'Active' });
    assert.deepEqual(obj.spec, { finalizers: ['kubernetes'] });
    assert.equal(obj.metadata.labels['kubernetes.io/metadata.name'], 'production');
    assert.equal(obj.metadata.labels['pod-security.kubernetes.io/enforce'], 'restricted');
    assert.deepEqual(coreStrategies.namespaces.selectableFields?.(obj), { 'status.phase': 'Active' });
  });

  test('rejects a finalizer that is neither standard nor qualified', () => {
    const { errors } = create('namespaces', { metadata: { name: 'x' }, spec: { finalizers: ['custom'] } });
    assert.deepEqual(errors, ['spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified']);
  });

  test('the name label cannot be changed by an update', () => {
    const { obj: old } = create('namespaces', { metadata: { name: 'team-a' } });
    const next = structuredClone(old);
    next.metadata.labels['kubernetes.io/metadata.name'] = 'other';
    const s = coreStrategies.namespaces;
    s.defaults?.(next);
    s.prepareForUpdate?.(next, old, ctx);
    assert.equal(next.metadata.labels['kubernetes.io/metadata.name'], 'team-a');
  });
});

describe('configmaps', () => {
  test('rejects an invalid key', () => {
    assert.deepEqual(create('configmaps', { metadata: { name: 'c' }, data: { 'bad key': 'v' } }).errors, [
      `data[bad key]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
    ]);
  });
  test('rejects more than 1 MiB of data', () => {
    assert.deepEqual(create('configmaps', { metadata: { name: 'c' }, data: { big: 'x'.repeat(1024 * 1024 + 1) } }).errors, [': Too long: may not be more than 1048576 bytes']);
  });
  test('an immutable ConfigMap keeps its data', () => {
    const old = { metadata: { name: 'c' }, data: { a: '1' }, immutable: true };
    assert.deepEqual(update('configmaps', { ...old, data: { a: '2' } }, old), ['data: Forbidden: field is immutable when `immutable` is set']);
  });
});

describe('secrets', () => {
  test('defaults the type to Opaque and folds stringData into data as base64', () => {
    const { obj, errors } = create('secrets', { metadata: { name: 's' }, data: { a: 'YQ==' }, stringData: { password: 's3cret' } });
    assert.deepEqual(errors, []);
    assert.equal(obj.type, 'Opaque');
    assert.deepEqual(obj.data, { a: 'YQ==', password: Buffer.from('s3cret').toString('base64') });
    assert.equal(obj.stringData, undefined);
  });
  test('a TLS secret needs tls.crt and tls.key', () => {
    assert.deepEqual(create('secrets', { metadata: { name: 's' }, type: 'kubernetes.io/tls', data: {} }).errors, ['data[tls.crt]: Required value', 'data[tls.key]: Required value']);
  });
  test('a dockerconfigjson secret needs its key', () => {
    assert.deepEqual(create('secrets', { metadata: { name: 's' }, type: 'kubernetes.io/dockerconfigjson' }).errors, ['data[.dockerconfigjson]: Required value']);
  });
  test('a service-account-token secret needs the service-account.name annotation', () => {
    assert.deepEqual(create('secrets', { metadata: { name: 's' }, type: 'kubernetes.io/service-account-token' }).errors, [
      'metadata.annotations[kubernetes.io/service-account.name]: Required value',
    ]);
  });
  test('data that is not base64 is a decode error', () => {
    assert.throws(
      () => create('secrets', { metadata: { name: 's' }, data: { a: 'not base64!' } }),
      (e: unknown) => isStatusError(e) && e.code === 400 && e.status.message === 'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3',
    );
  });
  test('the type is immutable', () => {
    const old = { metadata: { name: 's' }, type: 'Opaque', data: {} };
    assert.deepEqual(update('secrets', { ...old, type: 'kubernetes.io/basic-auth', data: { username: 'dQ==' } }, old), ['type: Invalid value: "kubernetes.io/basic-auth": field is immutable']);
  });
});

describe('services', () => {
  const svc = (spec: any) => ({ metadata: { name: 'web', namespace: 'default' }, spec });

  test('defaults a ClusterIP service as a 1.32 cluster shows it', () => {
    const { obj, errors } = create('services', svc({ selector: { app: 'web' }, ports: [{ port: 80 }] }));
    assert.deepEqual(errors, []);
    assert.deepEqual(obj.spec, {
      selector: { app: 'web' },
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      sessionAffinity: 'None',
      type: 'ClusterIP',
      internalTrafficPolicy: 'Cluster',
      ipFamilyPolicy: 'SingleStack',
      ipFamilies: ['IPv4'],
    });
    assert.deepEqual(obj.status, { loadBalancer: {} });
    assert.equal(needsClusterIP(obj), true);
  });

  test('defaults a LoadBalancer service', () => {
    const { obj, errors } = create('services', svc({ type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 443, targetPort: 'https' }] }));
    assert.deepEqual(errors, []);
    assert.equal(obj.spec.externalTrafficPolicy, 'Cluster');
    assert.equal(obj.spec.allocateLoadBalancerNodePorts, true);
    assert.equal(obj.spec.ports[0].targetPort, 'https');
  });

  test('a headless selectorless service requires dual stack, as upstream', () => {
    const { obj, errors } = create('services', svc({ clusterIP: 'None', ports: [{ port: 5432 }] }));
    assert.deepEqual(errors, []);
    assert.deepEqual(obj.spec.clusterIPs, ['None']);
    assert.equal(obj.spec.ipFamilyPolicy, 'RequireDualStack');
    assert.equal(needsClusterIP(obj), false);
  });

  const invalid: Array<[string, any, string[]]> = [
    ['rejects a service without ports', { selector: { app: 'web' } }, ['spec.ports: Required value']],
    [
      'rejects a port out of range (and the targetPort defaulted from it)',
      { ports: [{ port: 0 }] },
      ['spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive', 'spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive'],
    ],
    [
      'requires port names when there are several',
      { ports: [{ port: 80 }, { port: 443, name: 'https' }] },
      ['spec.ports[0].name: Required value'],
    ],
    ['rejects duplicate port names', { ports: [{ port: 80, name: 'web' }, { port: 81, name: 'web' }] }, ['spec.ports[1].name: Duplicate value: "web"']],
    [
      'rejects an unknown type',
      { type: 'Ingress', ports: [{ port: 80 }] },
      ['spec.type: Unsupported value: "Ingress": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'],
    ],
    [
      'rejects an invalid selector',
      { selector: { app: 'we b' }, ports: [{ port: 80 }] },
      [
        `spec.selector: Invalid value: "we b": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
      ],
    ],
    ['rejects a nodePort on a ClusterIP service', { ports: [{ port: 80, nodePort: 30080 }] }, ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]],
  ];
  for (const [name, spec, expected] of invalid) test(name, () => assert.deepEqual(create('services', svc(spec)).errors, expected));

  test('rejects a service name that is not a DNS-1035 label', () => {
    assert.deepEqual(create('services', { metadata: { name: '1web' }, spec: { ports: [{ port: 80 }] } }).errors, [
      `metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    ]);
  });

  test('the cluster IP may not change once set, but an update may omit it', () => {
    const { obj: old } = create('services', svc({ clusterIP: '10.100.0.10', ports: [{ port: 80 }] }));
    assert.deepEqual(update('services', svc({ ports: [{ port: 80 }] }), old), []);
    assert.deepEqual(update('services', svc({ clusterIP: '10.100.0.11', ports: [{ port: 80 }] }), old), [
      'spec.clusterIPs[0]: Invalid value: []string{"10.100.0.11"}: may not change once set',
    ]);
  });
});

describe('persistentvolumeclaims', () => {
  const pvc = (spec: any, status?: any) => ({ metadata: { name: 'data', namespace: 'default' }, spec, ...(status ? { status } : {}) });
  test('defaults volumeMode and starts Pending', () => {
    const { obj } = create('persistentvolumeclaims', seeds[7][1]);
    assert.equal(obj.spec.volumeMode, 'Filesystem');
    assert.deepEqual(obj.status, { phase: 'Pending' });
  });
  test('requires access modes and a storage request', () => {
    assert.deepEqual(create('persistentvolumeclaims', pvc({})).errors, ['spec.accessModes: Required value: at least 1 access mode is required', 'spec.resources[storage]: Required value']);
  });
  test('rejects an unknown access mode', () => {
    assert.deepEqual(create('persistentvolumeclaims', pvc({ accessModes: ['ReadWriteSometimes'], resources: { requests: { storage: '1Gi' } } })).errors, [
      'spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
    ]);
  });
  test('a claim without a class may gain one, as upstream allows an upgrade from nil', () => {
    const { obj: old } = create('persistentvolumeclaims', pvc({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } }));
    const next = structuredClone(old);
    next.spec.storageClassName = 'gp3';
    assert.deepEqual(update('persistentvolumeclaims', next, old), []);
  });
  test('a bound claim may grow but other spec changes are forbidden', () => {
    const { obj: old } = create('persistentvolumeclaims', pvc({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } }));
    old.status = { phase: 'Bound', capacity: { storage: '10Gi' } };
    old.spec.volumeName = 'pv-1';
    const grown = structuredClone(old);
    grown.spec.resources.requests.storage = '20Gi';
    assert.deepEqual(update('persistentvolumeclaims', grown, old), []);
    const changed = structuredClone(old);
    changed.spec.accessModes = ['ReadWriteMany'];
    const errs = update('persistentvolumeclaims', changed, old);
    assert.equal(errs.length, 1);
    assert.ok(errs[0].startsWith('spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n'), errs[0]);
  });
});

describe('persistentvolumes', () => {
  test('defaults reclaim policy Retain and records the Pending phase time', () => {
    const { obj } = create('persistentvolumes', seeds[9][1]);
    assert.equal(obj.spec.persistentVolumeReclaimPolicy, 'Retain');
    assert.deepEqual(obj.status, { phase: 'Pending', lastPhaseTransitionTime: '2025-01-02T03:04:05Z' });
  });
  test('requires capacity, access modes and a volume source', () => {
    assert.deepEqual(create('persistentvolumes', { metadata: { name: 'pv' }, spec: {} }).errors, [
      'spec.accessModes: Required value',
      'spec.capacity: Required value',
      'spec.capacity: Unsupported value: {}: supported values: "storage"',
      'spec: Required value: must specify a volume type',
    ]);
  });
  test('the volume source is immutable', () => {
    const { obj: old } = create('persistentvolumes', seeds[9][1]);
    const next = structuredClone(old);
    next.spec.csi.volumeHandle = 'fs-other';
    const errs = update('persistentvolumes', next, old);
    assert.equal(errs.length, 1);
    assert.ok(errs[0].startsWith('spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation\n'));
  });
});

describe('resourcequotas and limitranges', () => {
  test('rejects a non-standard quota resource and a fractional object count', () => {
    assert.deepEqual(create('resourcequotas', { metadata: { name: 'q' }, spec: { hard: { gpus: '1', pods: '1.5' } } }).errors, [
      'spec.hard[gpus]: Invalid value: "gpus": must be a standard resource type or fully qualified',
      'spec.hard[gpus]: Invalid value: "gpus": must be a standard resource for quota',
      'spec.hard[pods]: Invalid value: 1500m: must be an integer',
    ]);
  });
  test('defaults container limit ranges from max and default', () => {
    const { obj, errors } = create('limitranges', { metadata: { name: 'l' }, spec: { limits: [{ type: 'Container', max: { cpu: '2' }, min: { memory: '64Mi' } }] } });
    assert.deepEqual(errors, []);
    assert.deepEqual(obj.spec.limits[0].default, { cpu: '2' });
    assert.deepEqual(obj.spec.limits[0].defaultRequest, { cpu: '2', memory: '64Mi' });
  });
  test('rejects min above max', () => {
    assert.deepEqual(create('limitranges', { metadata: { name: 'l' }, spec: { limits: [{ type: 'Pod', min: { cpu: '2' }, max: { cpu: '1' } }] } }).errors, [
      'spec.limits[0].min[cpu]: Invalid value: 2: min value 2 is greater than max value 1',
    ]);
  });
  test('rejects an unknown limit type', () => {
    assert.deepEqual(create('limitranges', { metadata: { name: 'l' }, spec: { limits: [{ type: 'Node', max: { cpu: '1' } }] } }).errors, [
      'spec.limits[0].type: Invalid value: "Node": must be a standard limit type or fully qualified',
    ]);
  });
});

describe('nodes, events and endpoints', () => {
  test('nodes default allocatable to capacity and select on spec.unschedulable', () => {
    const { obj, errors } = create('nodes', { metadata: { name: 'ip-10-0-1-5.ec2.internal' }, spec: { unschedulable: true }, status: { capacity: { cpu: '2', memory: '4Gi', pods: '17' } } });
    assert.deepEqual(errors, []);
    assert.deepEqual(obj.status.allocatable, { cpu: '2', memory: '4Gi', pods: '17' });
    assert.deepEqual(coreStrategies.nodes.selectableFields?.(obj), { 'spec.unschedulable': 'true' });
  });
  test('rejects duplicate node taints', () => {
    const taint = { key: 'dedicated', value: 'db', effect: 'NoSchedule' };
    const errs = create('nodes', { metadata: { name: 'n' }, spec: { taints: [taint, taint] } }).errors;
    assert.equal(errs.length, 1);
    assert.ok(errs[0].startsWith('metadata.taints[1]: Duplicate value: ') && errs[0].endsWith(': taints must be unique by key and effect pair'), errs[0]);
  });
  test('rejects an event whose involved object is in another namespace', () => {
    const ev = { metadata: { name: 'e', namespace: 'default' }, involvedObject: { kind: 'Pod', name: 'web', namespace: 'prod' }, reason: 'Started' };
    assert.deepEqual(create('events', ev).errors, ['involvedObject.namespace: Invalid value: "prod": does not match event.namespace']);
  });
  test('events expose upstream field selectors', () => {
    const ev = { metadata: { name: 'e', namespace: 'prod' }, involvedObject: { kind: 'Pod', name: 'web', namespace: 'prod', uid: 'u1' }, reason: 'Started', type: 'Normal', source: { component: 'kubelet' } };
    assert.deepEqual(coreStrategies.events.selectableFields?.(ev), {
      'involvedObject.kind': 'Pod',
      'involvedObject.namespace': 'prod',
      'involvedObject.name': 'web',
      'involvedObject.uid': 'u1',
      'involvedObject.apiVersion': '',
      'involvedObject.resourceVersion': '',
      'involvedObject.fieldPath': '',
      reason: 'Started',
      reportingComponent: '',
      source: 'kubelet',
      type: 'Normal',
    });
  });
  test('endpoints reject a loopback address and unnamed ports when there are several', () => {
    const ep = { metadata: { name: 'web' }, subsets: [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ port: 80 }, { port: 443, name: 'https' }] }] };
    assert.deepEqual(create('endpoints', ep).errors, [
      'subsets[0].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      'subsets[0].ports[0].name: Required value',
    ]);
  });
});
