import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import {
  csiDriverPrinter,
  persistentVolumeClaimPrinter,
  persistentVolumePrinter,
  storageClassPrinter,
  volumeAttachmentPrinter,
} from './storage.js';
import { ago, DAY, headers, row } from './testing.js';

describe('storage classes', () => {
  // The fast-ssd and gp3 StorageClasses from the seeds (002 and 000).
  const fastSsd: KubeObject = {
    metadata: { name: 'fast-ssd', creationTimestamp: ago(12 * DAY) },
    provisioner: 'ebs.csi.aws.com',
    parameters: { type: 'gp3', iops: '3000', throughput: '125', encrypted: 'true' },
    volumeBindingMode: 'WaitForFirstConsumer',
    allowVolumeExpansion: true,
  };
  const gp3: KubeObject = {
    metadata: { name: 'gp3', creationTimestamp: ago(12 * DAY), annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: 'ebs.csi.aws.com',
    reclaimPolicy: 'Retain',
    allowVolumeExpansion: true,
  };
  test('show NAME PROVISIONER RECLAIMPOLICY VOLUMEBINDINGMODE ALLOWVOLUMEEXPANSION AGE', () =>
    assert.deepEqual(headers(storageClassPrinter), ['NAME', 'PROVISIONER', 'RECLAIMPOLICY', 'VOLUMEBINDINGMODE', 'ALLOWVOLUMEEXPANSION', 'AGE']));
  test('default the reclaim policy to Delete', () =>
    assert.deepEqual(Object.values(row(storageClassPrinter, fastSsd)), ['fast-ssd', 'ebs.csi.aws.com', 'Delete', 'WaitForFirstConsumer', true, '12d']));
  test('mark the default class and default the binding mode to Immediate', () =>
    assert.deepEqual(Object.values(row(storageClassPrinter, gp3)), ['gp3 (default)', 'ebs.csi.aws.com', 'Retain', 'Immediate', true, '12d']));
  test('honour the beta default annotation and print false expansion', () => {
    const r = row(storageClassPrinter, { metadata: { name: 'gp2', annotations: { 'storageclass.beta.kubernetes.io/is-default-class': 'true' } }, provisioner: 'kubernetes.io/aws-ebs' });
    assert.deepEqual([r.NAME, r.ALLOWVOLUMEEXPANSION], ['gp2 (default)', false]);
  });
});

describe('persistent volume claims', () => {
  test('show VOLUMEATTRIBUTESCLASS by default and VOLUMEMODE wide (1.32)', () => {
    assert.deepEqual(headers(persistentVolumeClaimPrinter), ['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE']);
    assert.deepEqual(headers(persistentVolumeClaimPrinter, true).at(-1), 'VOLUMEMODE');
  });
  test('print a pending claim without capacity or access modes', () =>
    assert.deepEqual(
      row(persistentVolumeClaimPrinter, {
        metadata: { name: 'postgres-pvc', creationTimestamp: ago(30_000) },
        spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast-ssd', resources: { requests: { storage: '100Gi' } }, volumeMode: 'Filesystem' },
        status: { phase: 'Pending' },
      }),
      { NAME: 'postgres-pvc', STATUS: 'Pending', VOLUME: '', CAPACITY: '', 'ACCESS MODES': '', STORAGECLASS: 'fast-ssd', VOLUMEATTRIBUTESCLASS: '<unset>', AGE: '30s', VOLUMEMODE: 'Filesystem' },
    ));
  test('print a bound claim from its status', () => {
    const r = row(persistentVolumeClaimPrinter, {
      metadata: { name: 'postgres-storage-postgres-0' },
      spec: { storageClassName: 'fast-ssd', volumeName: 'pvc-3f2a', resources: { requests: { storage: '100Gi' } } },
      status: { phase: 'Bound', capacity: { storage: '100Gi' }, accessModes: ['ReadWriteOnce'] },
    });
    assert.deepEqual([r.STATUS, r.VOLUME, r.CAPACITY, r['ACCESS MODES'], r.VOLUMEMODE], ['Bound', 'pvc-3f2a', '100Gi', 'RWO', '<unset>']);
  });
  test('print Terminating for a claim being deleted and prefer the beta class annotation', () => {
    const r = row(persistentVolumeClaimPrinter, {
      metadata: { name: 'old', deletionTimestamp: ago(1000), annotations: { 'volume.beta.kubernetes.io/storage-class': 'gp2' } },
      spec: { storageClassName: 'gp3' },
      status: { phase: 'Bound' },
    });
    assert.deepEqual([r.STATUS, r.STORAGECLASS], ['Terminating', 'gp2']);
  });
});

describe('persistent volumes', () => {
  test('show the 1.32 columns', () =>
    assert.deepEqual(headers(persistentVolumePrinter), [
      'NAME', 'CAPACITY', 'ACCESS MODES', 'RECLAIM POLICY', 'STATUS', 'CLAIM', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'REASON', 'AGE',
    ]));
  test('print a bound EBS volume', () =>
    assert.deepEqual(
      Object.values(
        row(persistentVolumePrinter, {
          metadata: { name: 'pvc-3f2a', creationTimestamp: ago(DAY) },
          spec: {
            capacity: { storage: '100Gi' },
            accessModes: ['ReadWriteOnce'],
            persistentVolumeReclaimPolicy: 'Delete',
            storageClassName: 'fast-ssd',
            claimRef: { namespace: 'default', name: 'postgres-pvc' },
            volumeMode: 'Filesystem',
          },
          status: { phase: 'Bound' },
        }),
      ),
      ['pvc-3f2a', '100Gi', 'RWO', 'Delete', 'Bound', 'default/postgres-pvc', 'fast-ssd', '<unset>', '', '24h', 'Filesystem'],
    ));
});

describe('volume attachments and CSI drivers', () => {
  test('print attacher, PV, node and attached', () =>
    assert.deepEqual(
      Object.values(row(volumeAttachmentPrinter, { metadata: { name: 'csi-1' }, spec: { attacher: 'ebs.csi.aws.com', nodeName: 'n1', source: { persistentVolumeName: 'pvc-3f2a' } }, status: { attached: true } })),
      ['csi-1', 'ebs.csi.aws.com', 'pvc-3f2a', 'n1', true, '<unknown>'],
    ));
  test('print CSI driver defaults: attach required, <unset> token requests, <none> modes', () =>
    assert.deepEqual(Object.values(row(csiDriverPrinter, { metadata: { name: 'ebs.csi.aws.com' }, spec: {} })), [
      'ebs.csi.aws.com', true, false, false, '<unset>', false, '<none>', '<unknown>',
    ]));
});
