import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../../api/types.js';
import { fieldErrorString } from '../../../apimachinery/errors.js';
import { csiDriverStrategy as csi } from './csidrivers.js';

function driver(spec: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'storage.k8s.io/v1', kind: 'CSIDriver', metadata: { name: 'ebs.csi.aws.com' }, spec };
}

/** A driver as the API server stores it: defaulted. */
function stored(spec: Record<string, unknown> = {}, generation?: number): KubeObject {
  const obj = driver(spec);
  csi.defaults(obj);
  if (generation) obj.metadata.generation = generation;
  return obj;
}

describe('CSIDriver', () => {
  test('an empty spec defaults as SetDefaults_CSIDriver does, and is valid', () => {
    const obj = stored();
    assert.deepEqual(obj.spec, {
      attachRequired: true,
      podInfoOnMount: false,
      storageCapacity: false,
      fsGroupPolicy: 'ReadWriteOnceWithFSType',
      volumeLifecycleModes: ['Persistent'],
      requiresRepublish: false,
      seLinuxMount: false,
    });
    assert.deepEqual(csi.validate(obj), []);
  });

  test('defaults fill only what is missing', () => {
    const spec = stored({ attachRequired: false, fsGroupPolicy: 'File', volumeLifecycleModes: ['Ephemeral'], seLinuxMount: true }).spec as Record<string, unknown>;
    assert.deepEqual([spec.attachRequired, spec.fsGroupPolicy, spec.volumeLifecycleModes, spec.seLinuxMount], [false, 'File', ['Ephemeral'], true]);
  });

  const invalid: { name: string; spec: Record<string, unknown>; want: string[] }[] = [
    {
      name: 'an unknown fsGroupPolicy and lifecycle mode are not supported',
      spec: { fsGroupPolicy: 'Always', volumeLifecycleModes: ['Persistent', 'Forever'] },
      want: [
        'spec.fsGroupPolicy: Unsupported value: "Always": supported values: "File", "None", "ReadWriteOnceWithFSType"',
        'spec.volumeLifecycleModes: Unsupported value: "Forever": supported values: "Persistent", "Ephemeral"',
      ],
    },
    {
      name: 'token requests need distinct audiences and 10 minutes to 2^32 seconds',
      spec: { tokenRequests: [{ audience: 'sts.amazonaws.com', expirationSeconds: 60 }, { audience: 'sts.amazonaws.com' }, { audience: '', expirationSeconds: 2 ** 32 + 1 }] },
      want: [
        'spec.tokenRequests[0].expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes',
        'spec.tokenRequests[1].audience: Duplicate value: "sts.amazonaws.com"',
        'spec.tokenRequests[2].expirationSeconds: Invalid value: 4294967297: may not specify a duration larger than 2^32 seconds',
      ],
    },
  ];
  for (const c of invalid) {
    test(c.name, () => {
      assert.deepEqual(csi.validate(stored(c.spec)).map(fieldErrorString), c.want);
    });
  }

  test('without defaults, the booleans upstream requires are named (attachRequired under upstream\'s "attachedRequired")', () => {
    assert.deepEqual(csi.validate(driver()).map(fieldErrorString), [
      'spec.attachedRequired: Required value',
      'spec.podInfoOnMount: Required value',
      'spec.storageCapacity: Required value',
      'spec.seLinuxMount: Required value',
    ]);
  });

  test('attachRequired and volumeLifecycleModes are immutable; the rest of the spec may change', () => {
    const old = stored();
    assert.deepEqual(csi.validateUpdate(stored({ attachRequired: false, volumeLifecycleModes: ['Ephemeral'] }), old).map(fieldErrorString), [
      'spec.attachedRequired: Invalid value: false: field is immutable',
      'spec.volumeLifecycleModes: Invalid value: []storage.VolumeLifecycleMode{"Ephemeral"}: field is immutable',
    ]);
    assert.deepEqual(csi.validateUpdate(stored({ podInfoOnMount: true, storageCapacity: true, fsGroupPolicy: 'None', requiresRepublish: true, tokenRequests: [{ audience: 'x' }] }), old), []);
  });

  const generations: { name: string; old?: number; spec: Record<string, unknown>; want: number | undefined }[] = [
    { name: 'a spec change of a new driver makes generation 1', spec: { podInfoOnMount: true }, want: 1 },
    { name: 'a spec change counts on from the old generation', old: 3, spec: { podInfoOnMount: true }, want: 4 },
    { name: 'an update that leaves the spec alone keeps the old generation', old: 3, spec: {}, want: 3 },
    { name: 'a new driver updated without a spec change has none', spec: {}, want: undefined },
  ];
  for (const c of generations) {
    test(c.name, () => {
      const next = stored(c.spec);
      csi.prepareForUpdate(next, stored({}, c.old));
      assert.equal(next.metadata.generation, c.want);
    });
  }
});
