// The seed documents against the catalog's CRDs: every custom resource in the seeds is created once
// its add-on is installed, and the two invalid custom resources fail exactly as on EKS with the real
// add-on CRDs (test/fixtures/fixtures.ts expectedFailures).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { expectedFailures, objectRef, seedFixtures } from '../../test/fixtures/fixtures.js';
import { parseApiVersion } from '../api/types.js';
import { admitCustomResource } from './admit.testutil.js';
import { addonsForKind } from './catalog.js';

const customSeeds = seedFixtures('custom').flatMap((f) => f.docs.map((doc) => ({ file: f.file, doc })));

describe('seed custom resources', () => {
  test('there are custom seed documents to check', () => {
    assert.equal(customSeeds.length, 16);
  });

  for (const { file, doc } of customSeeds) {
    test(`${file} is created against its add-on's CRD without pruning anything`, () => {
      const result = admitCustomResource(doc);
      assert.equal(result.outcome, 'created', result.message);
    });

    test(`${file} names a kind exactly one add-on provides`, () => {
      const { apiVersion, kind } = objectRef(doc);
      const { group } = parseApiVersion(apiVersion!);
      assert.equal(addonsForKind(group, kind!).length, 1);
    });
  }
});

describe('invalid seed custom resources', () => {
  const invalidCustom = seedFixtures('invalid').filter((f) => f.file.startsWith('seed002-23') || f.file.startsWith('seed002-24'));

  test('both invalid custom resources are present', () => {
    assert.deepEqual(
      invalidCustom.map((f) => f.file),
      ['seed002-23-rollout-api-gateway-rollout.yaml', 'seed002-24-backup-daily-backup.yaml'],
    );
  });

  for (const fixture of invalidCustom) {
    const expected = expectedFailures[fixture.file]!;
    test(`${fixture.file} fails with ${expected.reason}: ${expected.statusMessage}`, () => {
      const result = admitCustomResource(fixture.docs[0]);
      assert.equal(result.outcome, expected.reason);
      assert.equal(result.message, expected.statusMessage);
    });
  }

  test('seed002-24 is a one-off backup when field validation is off: spec.schedule is pruned', () => {
    const backup = seedFixtures('invalid').find((f) => f.file.startsWith('seed002-24'))!.docs[0];
    const result = admitCustomResource(backup, 'Ignore');
    assert.equal(result.outcome, 'created');
    const spec = result.object!['spec'] as Record<string, unknown>;
    assert.equal('schedule' in spec, false);
    assert.deepEqual(spec['includedNamespaces'], ['production', 'staging']);
    assert.equal(spec['ttl'], '720h0m0s');
  });
});
