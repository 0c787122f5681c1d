import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import {
  componentStatusPrinter,
  configMapPrinter,
  namespacePrinter,
  nodePrinter,
  nodeRoles,
  resourceQuotaPrinter,
  secretPrinter,
  serviceAccountPrinter,
} from './core.js';
import { ago, DAY, headers, HOUR, row } from './testing.js';

describe('namespaces, config maps, secrets, service accounts', () => {
  test('namespaces show NAME STATUS AGE', () => {
    assert.deepEqual(headers(namespacePrinter), ['NAME', 'STATUS', 'AGE']);
    assert.deepEqual(row(namespacePrinter, { metadata: { name: 'production', creationTimestamp: ago(45 * DAY) }, status: { phase: 'Active' } }), {
      NAME: 'production',
      STATUS: 'Active',
      AGE: '45d',
    });
  });
  test('config maps count data and binaryData keys', () => {
    assert.deepEqual(headers(configMapPrinter), ['NAME', 'DATA', 'AGE']);
    assert.equal(row(configMapPrinter, { metadata: { name: 'prometheus-config' }, data: { 'prometheus.yml': '', 'rules.yml': '' }, binaryData: { logo: 'AA==' } }).DATA, 3);
  });
  test('secrets show TYPE and count data keys', () => {
    assert.deepEqual(headers(secretPrinter), ['NAME', 'TYPE', 'DATA', 'AGE']);
    assert.deepEqual(
      row(secretPrinter, { metadata: { name: 'postgres-secret', creationTimestamp: ago(2 * HOUR) }, type: 'Opaque', data: { username: 'YXBw', password: 'cw==' } }),
      { NAME: 'postgres-secret', TYPE: 'Opaque', DATA: 2, AGE: '120m' },
    );
  });
  test('service accounts count their secrets', () => {
    assert.deepEqual(headers(serviceAccountPrinter), ['NAME', 'SECRETS', 'AGE']);
    assert.equal(row(serviceAccountPrinter, { metadata: { name: 'app-service-account' } }).SECRETS, 0);
  });
});

describe('nodes', () => {
  function node(overrides: { labels?: Record<string, string>; unschedulable?: boolean; conditions?: unknown[]; nodeInfo?: Record<string, string> }): KubeObject {
    return {
      metadata: { name: 'ip-10-0-1-23.ec2.internal', creationTimestamp: ago(6 * DAY + 4 * HOUR), labels: overrides.labels ?? {} },
      spec: { unschedulable: overrides.unschedulable },
      status: {
        conditions: overrides.conditions ?? [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: 'True' }],
        addresses: [
          { type: 'InternalIP', address: '10.0.1.23' },
          { type: 'Hostname', address: 'ip-10-0-1-23.ec2.internal' },
        ],
        nodeInfo: overrides.nodeInfo ?? {
          kubeletVersion: 'v1.32.3-eks-473151a',
          osImage: 'Amazon Linux 2023.7.20250428',
          kernelVersion: '6.1.134-150.224.amzn2023.x86_64',
          containerRuntimeVersion: 'containerd://1.7.27',
        },
      },
    };
  }
  test('show NAME STATUS ROLES AGE VERSION and the wide columns', () => {
    assert.deepEqual(headers(nodePrinter), ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
    assert.deepEqual(headers(nodePrinter, true), [
      'NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', 'INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME',
    ]);
  });
  test('print an EKS worker node', () =>
    assert.deepEqual(Object.values(row(nodePrinter, node({}))), [
      'ip-10-0-1-23.ec2.internal', 'Ready', '<none>', '6d4h', 'v1.32.3-eks-473151a', '10.0.1.23', '<none>',
      'Amazon Linux 2023.7.20250428', '6.1.134-150.224.amzn2023.x86_64', 'containerd://1.7.27',
    ]));
  test('add SchedulingDisabled to a cordoned node', () => assert.equal(row(nodePrinter, node({ unschedulable: true })).STATUS, 'Ready,SchedulingDisabled'));
  test('show NotReady for a node whose Ready condition is Unknown', () =>
    assert.equal(row(nodePrinter, node({ conditions: [{ type: 'Ready', status: 'Unknown' }] })).STATUS, 'NotReady'));
  test('show Unknown for a node without a Ready condition', () => assert.equal(row(nodePrinter, node({ conditions: [] })).STATUS, 'Unknown'));
  test('print <unknown> for missing node info', () => {
    const r = row(nodePrinter, node({ nodeInfo: {} }));
    assert.deepEqual([r.VERSION, r['OS-IMAGE'], r['KERNEL-VERSION'], r['CONTAINER-RUNTIME']], ['', '<unknown>', '<unknown>', '<unknown>']);
  });
  test('collect roles from node-role labels and kubernetes.io/role, sorted', () => {
    assert.deepEqual(nodeRoles({ 'node-role.kubernetes.io/worker': '', 'kubernetes.io/role': 'database', 'node-role.kubernetes.io/': 'x', 'node-role.kubernetes.io/control-plane': '' }), [
      'control-plane',
      'database',
      'worker',
    ]);
    assert.equal(row(nodePrinter, node({ labels: { 'node-role.kubernetes.io/spot': '' } })).ROLES, 'spot');
  });
});

describe('resource quotas', () => {
  // The team-quota ResourceQuota from the seeds (001), after the quota controller filled status.
  const quota: KubeObject = {
    metadata: { name: 'team-quota', namespace: 'team-a', creationTimestamp: ago(DAY) },
    spec: { hard: { 'requests.cpu': '20', 'requests.memory': '40Gi', 'limits.cpu': '40', 'limits.memory': '80Gi', persistentvolumeclaims: '10' } },
    status: {
      hard: { 'requests.cpu': '20', 'requests.memory': '40Gi', 'limits.cpu': '40', 'limits.memory': '80Gi', persistentvolumeclaims: '10' },
      used: { 'requests.cpu': '750m', 'requests.memory': '1536Mi', 'limits.cpu': '1500m', 'limits.memory': '3Gi' },
    },
  };
  test('show NAME REQUEST LIMIT AGE', () => assert.deepEqual(headers(resourceQuotaPrinter), ['NAME', 'REQUEST', 'LIMIT', 'AGE']));
  test('split limits.* into LIMIT and sort by resource name', () =>
    assert.deepEqual(row(resourceQuotaPrinter, quota), {
      NAME: 'team-quota',
      REQUEST: 'persistentvolumeclaims: 0/10, requests.cpu: 750m/20, requests.memory: 1536Mi/40Gi',
      LIMIT: 'limits.cpu: 1500m/40, limits.memory: 3Gi/80Gi',
      AGE: '24h',
    }));
  test('print empty cells before the quota controller has run', () => {
    const r = row(resourceQuotaPrinter, { metadata: { name: 'q' }, spec: { hard: { pods: '10' } } });
    assert.deepEqual([r.REQUEST, r.LIMIT], ['', '']);
  });
});

describe('component statuses', () => {
  test('print Healthy with the condition message', () =>
    assert.deepEqual(row(componentStatusPrinter, { metadata: { name: 'etcd-0' }, conditions: [{ type: 'Healthy', status: 'True', message: 'ok' }] }), {
      NAME: 'etcd-0',
      STATUS: 'Healthy',
      MESSAGE: 'ok',
      ERROR: '',
    }));
});
