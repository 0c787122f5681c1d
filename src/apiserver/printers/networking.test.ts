import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ingressClassPrinter, ingressHosts, ingressPrinter, ipAddressPrinter, networkPolicyPrinter } from './networking.js';
import { ago, DAY, headers, row } from './testing.js';

describe('network policies', () => {
  test('show NAME POD-SELECTOR AGE', () => assert.deepEqual(headers(networkPolicyPrinter), ['NAME', 'POD-SELECTOR', 'AGE']));
  test('print <none> for the seed default-deny policy that selects every pod', () =>
    assert.deepEqual(row(networkPolicyPrinter, { metadata: { name: 'default-deny-all', creationTimestamp: ago(DAY) }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } }), {
      NAME: 'default-deny-all',
      'POD-SELECTOR': '<none>',
      AGE: '24h',
    }));
  test('print the pod selector', () =>
    assert.equal(
      row(networkPolicyPrinter, { metadata: { name: 'api-gateway-to-services' }, spec: { podSelector: { matchLabels: { app: 'api-gateway' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['frontend'] }] } } })['POD-SELECTOR'],
      'app=api-gateway,tier in (frontend)',
    ));
});

describe('ingresses', () => {
  test('show NAME CLASS HOSTS ADDRESS PORTS AGE', () => assert.deepEqual(headers(ingressPrinter), ['NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE']));
  test('print the ALB ingress with TLS', () =>
    assert.deepEqual(
      Object.values(
        row(ingressPrinter, {
          metadata: { name: 'api-ingress', creationTimestamp: ago(DAY) },
          spec: { ingressClassName: 'alb', tls: [{ hosts: ['api.example.com'] }], rules: [{ host: 'api.example.com' }] },
          status: { loadBalancer: { ingress: [{ hostname: 'k8s-default-apiingre-0123456789-1234567890.us-east-1.elb.amazonaws.com' }] } },
        }),
      ),
      ['api-ingress', 'alb', 'api.example.com', 'k8s-default-apiingre-0123456789-1234567890.us-east-1.elb.amazonaws.com', '80, 443', '24h'],
    ));
  test('print <none> class, * hosts and empty address before provisioning', () =>
    assert.deepEqual(Object.values(row(ingressPrinter, { metadata: { name: 'i' }, spec: { defaultBackend: {} } })).slice(1, 5), ['<none>', '*', '', '80']));
  test('list three hosts and count further rules', () =>
    assert.equal(ingressHosts([{ host: 'a' }, {}, { host: 'b' }, { host: 'c' }, { host: 'd' }]), 'a,b,c + 2 more...'));
  test('print ingress class parameters as Kind.group/name', () =>
    assert.deepEqual(
      row(ingressClassPrinter, { metadata: { name: 'alb' }, spec: { controller: 'ingress.k8s.aws/alb', parameters: { apiGroup: 'elbv2.k8s.aws', kind: 'IngressClassParams', name: 'alb' } } }),
      { NAME: 'alb', CONTROLLER: 'ingress.k8s.aws/alb', PARAMETERS: 'IngressClassParams.elbv2.k8s.aws/alb', AGE: '<unknown>' },
    ));
  test('print an IP address parent as resource/namespace/name', () =>
    assert.equal(row(ipAddressPrinter, { metadata: { name: '172.20.0.1' }, spec: { parentRef: { group: '', resource: 'services', namespace: 'default', name: 'kubernetes' } } }).PARENTREF, 'services/default/kubernetes'));
});
