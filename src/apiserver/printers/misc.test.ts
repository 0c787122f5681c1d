import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  apiServicePrinter,
  certificateSigningRequestPrinter,
  flowSchemaPrinter,
  leasePrinter,
  mutatingWebhookConfigurationPrinter,
  priorityClassPrinter,
  priorityLevelConfigurationPrinter,
  validatingAdmissionPolicyBindingPrinter,
} from './misc.js';
import { ago, DAY, headers, HOUR, row } from './testing.js';

describe('leases and priority classes', () => {
  test('leases show their holder', () =>
    assert.deepEqual(row(leasePrinter, { metadata: { name: 'ip-10-0-1-23.ec2.internal', creationTimestamp: ago(6 * DAY) }, spec: { holderIdentity: 'ip-10-0-1-23.ec2.internal' } }), {
      NAME: 'ip-10-0-1-23.ec2.internal',
      HOLDER: 'ip-10-0-1-23.ec2.internal',
      AGE: '6d',
    }));
  test('priority classes show PREEMPTIONPOLICY without -o wide', () =>
    assert.deepEqual(headers(priorityClassPrinter), ['NAME', 'VALUE', 'GLOBAL-DEFAULT', 'AGE', 'PREEMPTIONPOLICY']));
  test('priority classes print value, default flag and policy', () =>
    assert.deepEqual(Object.values(row(priorityClassPrinter, { metadata: { name: 'system-cluster-critical', creationTimestamp: ago(DAY) }, value: 2000000000 })), [
      'system-cluster-critical', 2000000000, false, '24h', 'PreemptLowerPriority',
    ]));
});

describe('admission configuration', () => {
  test('webhook configurations count their webhooks', () =>
    assert.equal(row(mutatingWebhookConfigurationPrinter, { metadata: { name: 'pod-identity-webhook' }, webhooks: [{ name: 'iam-for-pods.amazonaws.com' }] }).WEBHOOKS, 1));
  test('policy bindings print a namespaced param, a * namespace and <unset>', () => {
    const binding = (paramRef: unknown) => row(validatingAdmissionPolicyBindingPrinter, { metadata: { name: 'b' }, spec: { policyName: 'p', paramRef } }).PARAMREF;
    assert.deepEqual([binding({ name: 'limits', namespace: 'team-a' }), binding({ name: 'limits' }), binding(undefined)], ['team-a/limits', '*/limits', '<unset>']);
  });
});

describe('certificate signing requests', () => {
  test('show NAME AGE SIGNERNAME REQUESTOR REQUESTEDDURATION CONDITION', () =>
    assert.deepEqual(headers(certificateSigningRequestPrinter), ['NAME', 'AGE', 'SIGNERNAME', 'REQUESTOR', 'REQUESTEDDURATION', 'CONDITION']));
  test('print an approved, issued kubelet CSR', () =>
    assert.deepEqual(
      Object.values(
        row(certificateSigningRequestPrinter, {
          metadata: { name: 'csr-8x2lq', creationTimestamp: ago(HOUR) },
          spec: { signerName: 'kubernetes.io/kube-apiserver-client-kubelet', username: 'system:node:ip-10-0-1-23.ec2.internal', expirationSeconds: 86400 },
          status: { conditions: [{ type: 'Approved', status: 'True' }], certificate: 'LS0t' },
        }),
      ),
      ['csr-8x2lq', '60m', 'kubernetes.io/kube-apiserver-client-kubelet', 'system:node:ip-10-0-1-23.ec2.internal', '24h', 'Approved,Issued'],
    ));
  test('print a pending CSR without a requested duration', () =>
    assert.deepEqual(Object.values(row(certificateSigningRequestPrinter, { metadata: { name: 'c' }, spec: {} })).slice(2), ['<none>', '', '<none>', 'Pending']));
});

describe('API priority and fairness, API services', () => {
  test('flow schemas print precedence and the dangling condition', () =>
    assert.deepEqual(
      Object.values(row(flowSchemaPrinter, { metadata: { name: 'system-nodes' }, spec: { priorityLevelConfiguration: { name: 'system' }, matchingPrecedence: 500, distinguisherMethod: { type: 'ByUser' } }, status: { conditions: [{ type: 'Dangling', status: 'False' }] } })),
      ['system-nodes', 'system', 500, 'ByUser', '<unknown>', 'False'],
    ));
  test('priority levels print <none> for the exempt level', () =>
    assert.deepEqual(Object.values(row(priorityLevelConfigurationPrinter, { metadata: { name: 'exempt' }, spec: { type: 'Exempt' } })).slice(1, 6), ['Exempt', '<none>', '<none>', '<none>', '<none>']));
  test('API services print Local or the service, and the unavailable reason', () => {
    assert.deepEqual(Object.values(row(apiServicePrinter, { metadata: { name: 'v1.apps' }, spec: {}, status: { conditions: [{ type: 'Available', status: 'True', reason: 'Local' }] } })).slice(1, 3), ['Local', 'True']);
    assert.deepEqual(
      Object.values(
        row(apiServicePrinter, {
          metadata: { name: 'v1beta1.metrics.k8s.io' },
          spec: { service: { namespace: 'kube-system', name: 'metrics-server' } },
          status: { conditions: [{ type: 'Available', status: 'False', reason: 'MissingEndpoints' }] },
        }),
      ).slice(1, 3),
      ['kube-system/metrics-server', 'False (MissingEndpoints)'],
    );
  });
});
