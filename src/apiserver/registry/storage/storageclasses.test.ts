import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../../api/types.js';
import { fieldErrorString } from '../../../apimachinery/errors.js';
import { storageClassStrategy as sc } from './storageclasses.js';

function gp3(extra: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'gp3' }, provisioner: 'ebs.csi.aws.com', parameters: { type: 'gp3' }, ...extra };
}

describe('StorageClass', () => {
  test('defaults reclaimPolicy Delete and volumeBindingMode Immediate', () => {
    const obj = gp3();
    sc.defaults(obj);
    assert.equal(obj.reclaimPolicy, 'Delete');
    assert.equal(obj.volumeBindingMode, 'Immediate');
    assert.deepEqual(sc.validate(obj), []);
  });

  test('requires a provisioner', () => {
    const obj = gp3({ provisioner: '' });
    sc.defaults(obj);
    assert.deepEqual(sc.validate(obj).map(fieldErrorString), ['provisioner: Required value']);
  });

  test('rejects an unknown reclaim policy and binding mode', () => {
    const obj = gp3({ reclaimPolicy: 'Recycle', volumeBindingMode: 'Later' });
    assert.deepEqual(sc.validate(obj).map(fieldErrorString), [
      'reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"',
      'volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"',
    ]);
  });

  test('forbids changing parameters, provisioner, reclaimPolicy and binding mode', () => {
    const old = gp3();
    sc.defaults(old);
    const next = gp3({ provisioner: 'kubernetes.io/aws-ebs', parameters: { type: 'io2' }, reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer' });
    assert.deepEqual(sc.validateUpdate(next, old).map(fieldErrorString), [
      'parameters: Forbidden: updates to parameters are forbidden.',
      'provisioner: Forbidden: updates to provisioner are forbidden.',
      'reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.',
      'volumeBindingMode: Invalid value: "WaitForFirstConsumer": field is immutable',
    ]);
  });

  test('allows toggling allowVolumeExpansion', () => {
    const old = gp3();
    sc.defaults(old);
    const next = { ...structuredClone(old), allowVolumeExpansion: true };
    assert.deepEqual(sc.validateUpdate(next, old), []);
  });
});
