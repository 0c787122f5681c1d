import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../../api/types.js';
import { fieldErrorString } from '../../../apimachinery/errors.js';
import { leaseStrategy } from '../coordination/leases.js';
import { endpointSliceStrategy as eps } from './endpointslices.js';

function slice(extra: Record<string, unknown>): KubeObject {
  return { metadata: { name: 'web-abc', namespace: 'default' }, ...extra };
}

describe('EndpointSlice', () => {
  test('defaults port name and protocol', () => {
    const obj = slice({ addressType: 'IPv4', endpoints: [{ addresses: ['10.0.1.5'] }], ports: [{ port: 80 }] });
    eps.defaults(obj);
    assert.deepEqual(obj.ports, [{ port: 80, name: '', protocol: 'TCP' }]);
    assert.deepEqual(eps.validate(obj), []);
  });

  test('requires an address type', () => {
    assert.deepEqual(eps.validate(slice({})).map(fieldErrorString), ['addressType: Required value']);
  });

  test('rejects addresses of another family and special addresses', () => {
    const obj = slice({ addressType: 'IPv4', endpoints: [{ addresses: ['fd00::1', '127.0.0.1'] }, { addresses: [] }] });
    assert.deepEqual(eps.validate(obj).map(fieldErrorString), [
      'endpoints[0].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address',
      'endpoints[0].addresses[1]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      'endpoints[1].addresses: Required value: must contain at least 1 address',
    ]);
  });

  test('keeps the address type fixed', () => {
    assert.deepEqual(eps.validateUpdate(slice({ addressType: 'IPv6' }), slice({ addressType: 'IPv4' })).map(fieldErrorString), [
      'addressType: Invalid value: "IPv6": field is immutable',
    ]);
  });
});

describe('Lease', () => {
  test('rejects a non-positive duration and negative transitions', () => {
    const lease: KubeObject = { metadata: { name: 'node-1' }, spec: { leaseDurationSeconds: 0, leaseTransitions: -1 } };
    assert.deepEqual(leaseStrategy.validate(lease).map(fieldErrorString), [
      'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
      'spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0',
    ]);
  });
});
