import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeFieldsV1, decodeManagedFields, encodeFieldsV1, encodeManagedFields } from './managedfields.js';

const LEASE_FIELDS = { 'f:spec': { 'f:holderIdentity': {}, 'f:leaseDurationSeconds': {}, 'f:renewTime': {} } };
const entry = (time: string, fieldsV1: unknown = LEASE_FIELDS) => ({ manager: 'kubelet', operation: 'Update', apiVersion: 'coordination.k8s.io/v1', time, fieldsType: 'FieldsV1', fieldsV1 });

describe('managedFields decoding and encoding caches', () => {
  test('equal FieldsV1 decode to one shared set, and encode back to what they were', () => {
    const a = decodeFieldsV1(structuredClone(LEASE_FIELDS));
    const b = decodeFieldsV1(structuredClone(LEASE_FIELDS));
    assert.equal(a, b, 'one set for equal text');
    assert.deepEqual(encodeFieldsV1(a), LEASE_FIELDS);
  });

  test('an encoding is shared and frozen: changing it throws, and later encodings stay as they were', () => {
    const set = decodeFieldsV1({ 'f:data': { 'f:k': {} } });
    const first = encodeFieldsV1(set);
    assert.equal(encodeFieldsV1(set), first);
    assert.throws(() => {
      (first['f:data'] as Record<string, unknown>)['f:changed'] = {};
    }, TypeError);
    assert.deepEqual(encodeFieldsV1(set), { 'f:data': { 'f:k': {} } });
  });

  test('a renewal\'s managedFields round-trip with only the time changed', () => {
    const before = [entry('2026-01-01T00:00:00Z')];
    const managed = decodeManagedFields(before);
    const id = [...managed.times.keys()][0];
    managed.times.set(id, '2026-01-01T00:00:10Z');
    assert.deepEqual(encodeManagedFields(managed), [entry('2026-01-01T00:00:10Z')]);
  });

  test('an invalid FieldsV1 still fails with upstream\'s message, every time (failures are not cached)', () => {
    const bad = [entry('2026-01-01T00:00:00Z', { 'f:spec': 'not a map' })];
    for (let i = 0; i < 2; i++) assert.throws(() => decodeManagedFields(bad), /error decoding versioned set from .*: error decoding set: /);
  });
});
