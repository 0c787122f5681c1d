import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PersistentVolume, PersistentVolumeClaim } from '../../api/objects.js';
import { startTestServer, type TestServer } from '../testing.js';

const PVC = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };
const PV = {
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  spec: { accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' }, csi: { driver: 'ebs.csi.aws.com', volumeHandle: 'vol-0123456789abcdef0' } },
};

describe('StorageObjectInUseProtection admission', () => {
  let t: TestServer;
  beforeEach(async () => (t = await startTestServer()));
  afterEach(() => t.stop());

  const cases: { name: string; path: string; body: object; finalizers?: string[]; want: string[] }[] = [
    { name: 'a new claim gets kubernetes.io/pvc-protection', path: '/api/v1/namespaces/default/persistentvolumeclaims', body: PVC, want: ['kubernetes.io/pvc-protection'] },
    { name: 'a new volume gets kubernetes.io/pv-protection', path: '/api/v1/persistentvolumes', body: PV, want: ['kubernetes.io/pv-protection'] },
    {
      name: 'a claim keeps its own finalizers and gets protection after them',
      path: '/api/v1/namespaces/default/persistentvolumeclaims',
      body: PVC,
      finalizers: ['example.com/keep'],
      want: ['example.com/keep', 'kubernetes.io/pvc-protection'],
    },
    {
      name: 'a claim that already has the finalizer does not get it twice',
      path: '/api/v1/namespaces/default/persistentvolumeclaims',
      body: PVC,
      finalizers: ['kubernetes.io/pvc-protection'],
      want: ['kubernetes.io/pvc-protection'],
    },
    { name: 'a volume that already has the finalizer does not get it twice', path: '/api/v1/persistentvolumes', body: PV, finalizers: ['kubernetes.io/pv-protection'], want: ['kubernetes.io/pv-protection'] },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const res = await t.request('POST', c.path, { body: { ...c.body, metadata: { name: 'x', ...(c.finalizers ? { finalizers: c.finalizers } : {}) } } });
      assert.equal(res.status, 201, res.body);
      assert.deepEqual(res.json<PersistentVolumeClaim>().metadata.finalizers, c.want);
    });
  }

  test('other objects get no finalizer', async () => {
    const res = await t.request('POST', '/api/v1/namespaces/default/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } } });
    assert.equal(res.status, 201, res.body);
    assert.equal(res.json<PersistentVolumeClaim>().metadata.finalizers, undefined);
  });

  test('updates may remove the finalizer (only creation is admitted)', async () => {
    const created = await t.request('POST', '/api/v1/persistentvolumes', { body: { ...PV, metadata: { name: 'x' } } });
    const pv = created.json<PersistentVolume>();
    pv.metadata.finalizers = [];
    const res = await t.request('PUT', '/api/v1/persistentvolumes/x', { body: pv });
    assert.equal(res.status, 200, res.body);
    assert.deepEqual(res.json<PersistentVolume>().metadata.finalizers ?? [], []);
  });
});
