// Every built-in-kind YAML document in the seeds, applied with the real kubectl and validation on
// (no --validate=false): created, unchanged on re-apply, one edited field changes just that field,
// and the documents that fail on a real EKS cluster fail here with the same words.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { applyOrder, expectedFailures, namespacesNeeded, seedFixtures, type SeedFixture } from '../fixtures/fixtures.js';
import { haveKubectl, ok, SkiffProcess } from './harness.js';

const skip = haveKubectl() ? false : 'kubectl is not installed (CI installs Debian kubernetes-client)';

interface Doc {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
}

/** kubectl's resource/name form for an applied document, e.g. "networkpolicy.networking.k8s.io/default-deny-all". */
function printedRef(doc: Doc): string {
  const group = doc.apiVersion.includes('/') ? doc.apiVersion.split('/')[0] : '';
  return `${doc.kind.toLowerCase()}${group ? '.' + group : ''}/${doc.metadata.name}`;
}

describe('seed documents through kubectl apply', { skip }, () => {
  let skiff: SkiffProcess;
  const builtin = seedFixtures('builtin');
  // Each file in the order a user applies them (namespaces first, then what workloads refer to).
  const ordered = applyOrder(builtin.map((f) => ({ ...(f.docs[0] as Doc), fixture: f })));
  const firstApply = new Map<string, string>();

  before(async () => {
    skiff = await SkiffProcess.start();
    const docs = builtin.flatMap((f) => f.docs);
    for (const ns of namespacesNeeded(docs)) {
      ok(skiff.kubectl(['apply', '-f', '-'], { input: YAML.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }) }));
    }
  });
  after(async () => {
    await skiff?.destroy();
  });

  test('every built-in document applies with validation on', () => {
    for (const d of ordered) {
      const r = skiff.kubectl(['apply', '-f', d.fixture.path]);
      assert.equal(r.code, 0, `${d.fixture.file}: ${r.stderr}`);
      firstApply.set(d.fixture.file, r.stdout.trim());
      // The same document may appear in two seeds (namespace production): the second is unchanged.
      assert.match(r.stdout.trim(), new RegExp(`^${escape(printedRef(d))} (created|unchanged)$`), d.fixture.file);
    }
  });

  test('re-applying every document prints unchanged', () => {
    for (const d of ordered) {
      const r = skiff.kubectl(['apply', '-f', d.fixture.path]);
      assert.equal(r.code, 0, `${d.fixture.file}: ${r.stderr}`);
      assert.equal(r.stdout.trim(), `${printedRef(d)} unchanged`, d.fixture.file);
    }
  });

  test('editing one field and applying changes just that field', () => {
    const cases: { file: string; edit: (doc: Record<string, any>) => void; changed: (before: any, after: any) => void }[] = [
      {
        file: 'seed000-14-configmap-cluster-info.yaml',
        edit: (doc) => (doc.data[Object.keys(doc.data)[0]] = 'edited-by-test'),
        changed: (b, a) => (b.data[Object.keys(b.data)[0]] = a.data[Object.keys(a.data)[0]]),
      },
      {
        file: 'seed002-10-horizontalpodautoscaler-api-gateway-hpa.yaml',
        edit: (doc) => (doc.spec.maxReplicas = doc.spec.maxReplicas + 7),
        changed: (b, a) => {
          assert.equal(a.metadata.generation, b.metadata.generation + 1, 'a spec change bumps generation');
          b.spec.maxReplicas = a.spec.maxReplicas;
          b.metadata.generation = a.metadata.generation;
        },
      },
    ];
    for (const c of cases) {
      const fixture = builtin.find((f) => f.file === c.file)!;
      const doc = YAML.parse(readFileSync(fixture.path, 'utf8'));
      const ns = doc.metadata.namespace ?? 'default';
      const get = () => JSON.parse(ok(skiff.kubectl(['get', doc.kind.toLowerCase(), doc.metadata.name, '-n', ns, '-o', 'json'])));
      const before = get();
      c.edit(doc);
      // kubectl reads YAML 1.1, where an unquoted On is a bool: write the edit as YAML 1.1.
      const path = skiff.file(`edited-${c.file}`, YAML.stringify(doc, { version: '1.1' }));
      assert.equal(ok(skiff.kubectl(['apply', '-f', path])).trim(), `${printedRef(doc)} configured`);
      const afterObj = get();
      c.changed(before, afterObj);
      for (const o of [before, afterObj]) {
        delete o.metadata.resourceVersion;
        delete o.metadata.managedFields;
        delete o.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'];
      }
      assert.deepEqual(afterObj, before, `${c.file}: only the edited field changed`);
    }
  });

  for (const category of ['invalid', 'removed'] as const) {
    for (const f of seedFixtures(category).filter((x) => isBuiltinOrRemoved(x, category))) {
      const expected = expectedFailures[f.file];
      test(`${f.file} fails as it does on EKS`, () => {
        const r = skiff.kubectl(['apply', '-f', f.path]);
        assert.equal(r.code, 1);
        assert.equal(r.stderr, expected.kubectl.replaceAll('{file}', f.path));
      });
    }
  }
});

function isBuiltinOrRemoved(f: SeedFixture, category: 'invalid' | 'removed'): boolean {
  if (category === 'removed') return true;
  const doc = f.docs[0] as Doc;
  return !doc.apiVersion.includes('.') || /^(apps|batch|policy|autoscaling)\//.test(doc.apiVersion);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
