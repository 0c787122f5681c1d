// Every built-in seed document through server-side apply: its field set survives FieldsV1, a create
// by apply owns exactly the applied fields, and applying the same document again changes nothing.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { patchSchemaFor } from '../../api/patchmeta.js';
import { findByKind } from '../../api/resources.js';
import { seedFixtures } from '../../../test/fixtures/fixtures.js';
import { FieldSet } from './fieldpath.js';
import { apply, fieldSetOf } from './fieldmanager.js';

type Obj = Record<string, any>;

describe('built-in seed documents under server-side apply', () => {
  for (const seed of seedFixtures('builtin')) {
    for (const doc of seed.docs as Obj[]) {
      const [group, version] = String(doc.apiVersion).includes('/') ? String(doc.apiVersion).split('/') : ['', String(doc.apiVersion)];
      const info = findByKind(group, version, doc.kind);
      if (!info) continue;
      test(`${seed.file}: ${doc.kind} ${doc.metadata?.name} round-trips through FieldsV1 and re-applies as a no-op`, () => {
        const schema = patchSchemaFor(info.modelType);
        const set = fieldSetOf(doc, schema, [['status']]);
        const fields = set.toFieldsV1();
        assert.equal(JSON.stringify(FieldSet.fromFieldsV1(fields).toFieldsV1()), JSON.stringify(fields));
        const opts = { manager: 'kubectl', force: false, schema, apiVersion: String(doc.apiVersion), kind: doc.kind, ignoredPaths: [['status']], time: '2025-01-01T00:00:00Z' };
        const created = apply(undefined, doc, opts) as Obj;
        // An object that sets nothing but its name gets no Apply entry, as upstream.
        assert.deepEqual(created.metadata.managedFields?.map((e: Obj) => e.fieldsV1) ?? [], set.empty() ? [] : [fields]);
        created.metadata.uid = 'uid-1';
        const again = apply(created, doc, { ...opts, time: '2025-01-01T00:01:00Z' });
        assert.deepEqual(again, created);
      });
    }
  }
});
