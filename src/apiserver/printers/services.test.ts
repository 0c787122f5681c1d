import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { endpointSlicePrinter, endpointsPrinter, servicePrinter } from './services.js';
import { ago, DAY, headers, row } from './testing.js';

function service(spec: Record<string, unknown>, status: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api-service', creationTimestamp: ago(3 * DAY) }, spec, status };
}

describe('services', () => {
  test('show NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE by default and SELECTOR wide', () => {
    assert.deepEqual(headers(servicePrinter), ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    assert.deepEqual(headers(servicePrinter, true), ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR']);
  });
  const cases: { name: string; svc: KubeObject; want: unknown[] }[] = [
    {
      name: 'a ClusterIP service has no external IP',
      svc: service({ type: 'ClusterIP', clusterIP: '172.20.14.7', clusterIPs: ['172.20.14.7'], ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }], selector: { app: 'api-service' } }),
      want: ['api-service', 'ClusterIP', '172.20.14.7', '<none>', '80/TCP', '3d', 'app=api-service'],
    },
    {
      name: 'a NodePort service shows port:nodePort',
      svc: service({ type: 'NodePort', clusterIPs: ['172.20.3.3'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 443, nodePort: 30443, protocol: 'TCP' }] }),
      want: ['api-service', 'NodePort', '172.20.3.3', '<none>', '80:30080/TCP,443:30443/TCP', '3d', '<none>'],
    },
    {
      name: 'a LoadBalancer service waiting for its load balancer is <pending>',
      svc: service({ type: 'LoadBalancer', clusterIPs: ['172.20.9.1'], ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }] }),
      want: ['api-service', 'LoadBalancer', '172.20.9.1', '<pending>', '443:31443/TCP', '3d', '<none>'],
    },
    {
      name: 'a LoadBalancer service shows its ELB hostname unclipped',
      svc: service(
        { type: 'LoadBalancer', clusterIPs: ['172.20.9.1'], ports: [{ port: 80, nodePort: 31080, protocol: 'TCP' }] },
        { loadBalancer: { ingress: [{ hostname: 'a1b2c3-123456789.us-east-1.elb.amazonaws.com' }] } },
      ),
      want: ['api-service', 'LoadBalancer', '172.20.9.1', 'a1b2c3-123456789.us-east-1.elb.amazonaws.com', '80:31080/TCP', '3d', '<none>'],
    },
    {
      name: 'a LoadBalancer service lists ingress points before external IPs',
      svc: service(
        { type: 'LoadBalancer', clusterIPs: ['172.20.9.1'], externalIPs: ['198.51.100.7'], ports: [{ port: 53, protocol: 'UDP' }] },
        { loadBalancer: { ingress: [{ ip: '203.0.113.9' }, { ip: '203.0.113.2' }] } },
      ),
      want: ['api-service', 'LoadBalancer', '172.20.9.1', '203.0.113.2,203.0.113.9,198.51.100.7', '53/UDP', '3d', '<none>'],
    },
    {
      name: 'a headless service shows None and <none> ports',
      svc: service({ type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], selector: { app: 'postgres' } }),
      want: ['api-service', 'ClusterIP', 'None', '<none>', '<none>', '3d', 'app=postgres'],
    },
    {
      name: 'an ExternalName service shows its external name',
      svc: service({ type: 'ExternalName', externalName: 'db.example.com' }),
      want: ['api-service', 'ExternalName', '<none>', 'db.example.com', '<none>', '3d', '<none>'],
    },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(Object.values(row(servicePrinter, c.svc)), c.want));
});

describe('endpoints', () => {
  test('list up to three ip:port pairs and count the rest', () => {
    const r = row(endpointsPrinter, {
      metadata: { name: 'api-service', creationTimestamp: ago(DAY) },
      subsets: [
        {
          addresses: [{ ip: '10.0.1.5' }, { ip: '10.0.2.6' }, { ip: '10.0.3.7' }, { ip: '10.0.1.8' }],
          ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'metrics', port: 9090, protocol: 'TCP' }],
        },
      ],
    });
    assert.deepEqual(r, { NAME: 'api-service', ENDPOINTS: '10.0.1.5:8080,10.0.2.6:8080,10.0.3.7:8080 + 5 more...', AGE: '24h' });
  });
  test('list bare IPs of a portless subset and bracket IPv6', () => {
    assert.equal(row(endpointsPrinter, { metadata: { name: 'h' }, subsets: [{ addresses: [{ ip: '10.0.1.5' }] }, { addresses: [{ ip: 'fd00::5' }], ports: [{ port: 80 }] }] }).ENDPOINTS, '10.0.1.5,[fd00::5]:80');
  });
  test('show <none> without subsets', () => assert.equal(row(endpointsPrinter, { metadata: { name: 'e' } }).ENDPOINTS, '<none>'));
});

describe('endpoint slices', () => {
  test('show NAME ADDRESSTYPE PORTS ENDPOINTS AGE', () => assert.deepEqual(headers(endpointSlicePrinter), ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE']));
  test('print ports and addresses with <unset> for none', () => {
    const r = row(endpointSlicePrinter, {
      metadata: { name: 'api-service-x7k2p', creationTimestamp: ago(DAY) },
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'any' }],
      endpoints: [{ addresses: ['10.0.1.5'] }, { addresses: ['10.0.2.6'] }, { addresses: ['10.0.3.7'] }, { addresses: ['10.0.1.8'] }],
    });
    assert.deepEqual(r, { NAME: 'api-service-x7k2p', ADDRESSTYPE: 'IPv4', PORTS: '8080,any', ENDPOINTS: '10.0.1.5,10.0.2.6,10.0.3.7 + 1 more...', AGE: '24h' });
    assert.deepEqual(row(endpointSlicePrinter, { metadata: { name: 'e' }, addressType: 'IPv4' }).ENDPOINTS, '<unset>');
  });
});
