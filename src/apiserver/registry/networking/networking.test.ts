import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../../api/types.js';
import { fieldErrorString } from '../../../apimachinery/errors.js';
import { ingressClassStrategy } from './ingressclasses.js';
import { ingressStrategy } from './ingresses.js';
import { networkPolicyStrategy } from './networkpolicies.js';

function np(spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'default' }, spec };
}

function npErrors(spec: Record<string, unknown>): string[] {
  const obj = np(spec);
  networkPolicyStrategy.defaults(obj);
  return networkPolicyStrategy.validate(obj).map(fieldErrorString);
}

describe('NetworkPolicy', () => {
  test('defaults policyTypes to Ingress, plus Egress when egress rules exist', () => {
    const a = np({ podSelector: {} });
    networkPolicyStrategy.defaults(a);
    assert.deepEqual((a.spec as any).policyTypes, ['Ingress']);
    const b = np({ podSelector: {}, egress: [{ ports: [{ port: 53 }] }] });
    networkPolicyStrategy.defaults(b);
    assert.deepEqual((b.spec as any).policyTypes, ['Ingress', 'Egress']);
    assert.deepEqual((b.spec as any).egress[0].ports[0], { port: 53, protocol: 'TCP' });
  });

  const cases: [string, Record<string, unknown>, string[]][] = [
    ['rejects an ipBlock that is not a CIDR', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.300/8' } }] }] }, [
      'spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.0.0.300/8": not a valid CIDR',
    ]],
    ['rejects an except outside the cidr', { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.1.0.0/24', '10.0.1.0/24'] } }] }] }, [
      'spec.egress[0].to[0].ipBlock.except[0]: Invalid value: "10.1.0.0/24": must be a strict subset of `cidr`',
    ]],
    ['rejects an ipBlock combined with a selector', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }] }] }, [
      'spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer',
    ]],
    ['rejects an empty peer', { podSelector: {}, ingress: [{ from: [{}] }] }, ['spec.ingress[0].from[0]: Required value: must specify a peer']],
    ['rejects an unknown protocol', { podSelector: {}, ingress: [{ ports: [{ protocol: 'ICMP', port: 1 }] }] }, [
      'spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"',
    ]],
    ['rejects endPort below port', { podSelector: {}, ingress: [{ ports: [{ port: 80, endPort: 70 }] }] }, [
      'spec.ingress[0].ports[0].endPort: Invalid value: 80: must be greater than or equal to `port`',
    ]],
    ['rejects an unknown policy type', { podSelector: {}, policyTypes: ['Sideways'] }, [
      'spec.policyTypes[0]: Unsupported value: "Sideways": supported values: "Ingress", "Egress"',
    ]],
  ];
  for (const [name, spec, expected] of cases) test(name, () => assert.deepEqual(npErrors(spec), expected));

  test('accepts IPv6 blocks', () => {
    assert.deepEqual(npErrors({ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '2001:db8::/32', except: ['2001:db8:1::/48'] } }] }] }), []);
  });
});

function ingress(spec: Record<string, unknown>, annotations?: Record<string, string>): string[] {
  const obj: KubeObject = { metadata: { name: 'i', namespace: 'default', ...(annotations ? { annotations } : {}) }, spec };
  return ingressStrategy.validate(obj).map(fieldErrorString);
}

const backend = { service: { name: 'web', port: { number: 80 } } };

describe('Ingress', () => {
  test('accepts an ALB ingress with prefix paths', () => {
    assert.deepEqual(ingress({ ingressClassName: 'alb', rules: [{ host: 'api.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } }] }), []);
  });
  const cases: [string, Record<string, unknown>, string[]][] = [
    ['requires pathType', { rules: [{ http: { paths: [{ path: '/', backend }] } }] }, ['spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified']],
    ['requires rules or a default backend', {}, ['spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified']],
    ['requires a port on a service backend', { defaultBackend: { service: { name: 'web' } } }, ['spec.defaultBackend: Required value: port name or number is required']],
    ['rejects an IP address as host', { rules: [{ host: '10.0.0.1', http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } }] }, [
      'spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address',
    ]],
    ['rejects a relative Prefix path', { rules: [{ http: { paths: [{ path: 'api', pathType: 'Prefix', backend }] } }] }, [
      'spec.rules[0].http.paths[0].path: Invalid value: "api": must be an absolute path',
    ]],
  ];
  for (const [name, spec, expected] of cases) test(name, () => assert.deepEqual(ingress(spec), expected));

  test('rejects the class annotation together with ingressClassName', () => {
    assert.deepEqual(ingress({ ingressClassName: 'alb', defaultBackend: backend }, { 'kubernetes.io/ingress.class': 'alb' }), [
      'annotations.kubernetes.io/ingress.class: Invalid value: "alb": can not be set when the class field is also set',
    ]);
  });
});

describe('IngressClass', () => {
  test('requires a domain-prefixed controller that never changes', () => {
    const bad: KubeObject = { metadata: { name: 'alb' }, spec: { controller: 'alb' } };
    assert.deepEqual(ingressClassStrategy.validate(bad).map(fieldErrorString), [
      'spec.controller: Invalid value: "alb": must be a domain-prefixed path (such as "acme.io/foo")',
    ]);
    const old: KubeObject = { metadata: { name: 'alb' }, spec: { controller: 'ingress.k8s.aws/alb' } };
    const next: KubeObject = { metadata: { name: 'alb' }, spec: { controller: 'k8s.io/ingress-nginx' } };
    assert.deepEqual(ingressClassStrategy.validate(old), []);
    assert.deepEqual(ingressClassStrategy.validateUpdate(next, old).map(fieldErrorString), ['spec.controller: Invalid value: "k8s.io/ingress-nginx": field is immutable']);
  });

  test('defaults the parameters scope to Cluster', () => {
    const ic: KubeObject = { metadata: { name: 'alb' }, spec: { controller: 'ingress.k8s.aws/alb', parameters: { apiGroup: 'elbv2.k8s.aws', kind: 'IngressClassParams', name: 'alb' } } };
    ingressClassStrategy.defaults(ic);
    assert.equal((ic.spec as any).parameters.scope, 'Cluster');
    assert.deepEqual(ingressClassStrategy.validate(ic), []);
  });
});
