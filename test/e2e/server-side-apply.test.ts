// Server-side apply through the real kubectl: every built-in seed document, conflicts and
// --force-conflicts, field removal by ownership, and switching between client-side and
// server-side apply in both directions.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import YAML from 'yaml';
import { applyOrder, namespacesNeeded, seedFixtures } from '../fixtures/fixtures.js';
import { haveKubectl, ok, SkiffProcess } from './harness.js';

const skip = haveKubectl() ? false : 'kubectl is not installed (CI installs Debian kubernetes-client)';

function deployment(opts: { replicas: number; labels?: Record<string, string> }) {
  return YAML.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'ssa', namespace: 'ssa', labels: { app: 'ssa', ...(opts.labels ?? {}) } },
    spec: {
      replicas: opts.replicas,
      selector: { matchLabels: { app: 'ssa' } },
      template: { metadata: { labels: { app: 'ssa' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } },
    },
  });
}

interface ManagedField {
  manager: string;
  operation: string;
  subresource?: string;
}

describe('server-side apply through kubectl', { skip }, () => {
  let skiff: SkiffProcess;
  const k = (...args: string[]) => skiff.kubectl(args);
  const get = () => JSON.parse(ok(k('get', 'deploy', 'ssa', '-n', 'ssa', '-o', 'json', '--show-managed-fields')));
  const managers = () => (get().metadata.managedFields as ManagedField[]).map((m) => `${m.manager}/${m.operation}${m.subresource ? '/' + m.subresource : ''}`).sort();

  before(async () => {
    skiff = await SkiffProcess.start();
    ok(skiff.kubectl(['apply', '--server-side', '-f', '-'], { input: YAML.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ssa' } }) }));
  });
  after(async () => {
    await skiff?.destroy();
  });

  test('every built-in seed document applies server-side, and re-applying changes nothing', () => {
    const builtin = seedFixtures('builtin');
    for (const ns of namespacesNeeded(builtin.flatMap((f) => f.docs))) {
      ok(skiff.kubectl(['apply', '--server-side', '-f', '-'], { input: YAML.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }) }));
    }
    const ordered = applyOrder(builtin.map((f) => ({ ...(f.docs[0] as { kind: string }), fixture: f })));
    for (const d of ordered) {
      const r = k('apply', '--server-side', '-f', d.fixture.path);
      assert.equal(r.code, 0, `${d.fixture.file}: ${r.stderr}`);
      assert.match(r.stdout.trim(), / serverside-applied$/, d.fixture.file);
    }
    // The controllers keep writing status meanwhile (the image-scan Job runs its pod to completion
    // over some seconds), so a resourceVersion can move between the read and the apply for reasons
    // of their own. An apply that writes does so on every attempt; a controller's write does not
    // land in the same short window every time.
    for (const d of ordered) {
      const rv = (...verb: string[]): string => JSON.parse(ok(k(...verb, '-f', d.fixture.path, '-o', 'json'))).metadata.resourceVersion;
      const seen: string[] = [];
      let from = '';
      let to = '';
      for (let attempt = 0; attempt < 5 && (attempt === 0 || to !== from); attempt++) {
        from = rv('get');
        to = rv('apply', '--server-side');
        seen.push(`${from}→${to}`);
      }
      assert.equal(to, from, `${d.fixture.file}: a repeated apply is a no-op (resourceVersions ${seen.join(', ')})`);
    }
  });

  test('a field another manager owns conflicts, with kubectl\'s advice; --force-conflicts takes it', () => {
    ok(k('apply', '--server-side', '-f', skiff.file('ssa-2.yaml', deployment({ replicas: 2 }))));
    assert.equal(ok(k('scale', 'deploy', 'ssa', '-n', 'ssa', '--replicas=5')).trim(), 'deployment.apps/ssa scaled');
    // kube-controller-manager's status writes show up as a manager too (Update/status), as on EKS.
    assert.deepEqual(managers().filter((m) => !m.startsWith('kube-controller-manager/')), ['kubectl/Apply', 'kubectl/Update/scale']);
    const r = k('apply', '--server-side', '-f', skiff.file('ssa-3.yaml', deployment({ replicas: 3 })));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps\/v1: \.spec\.replicas$/m);
    assert.match(r.stderr, /re-run the apply\s+command with the `--force-conflicts` flag/);
    assert.equal(get().spec.replicas, 5, 'nothing changed');
    ok(k('apply', '--server-side', '--force-conflicts', '-f', skiff.file('ssa-3.yaml', deployment({ replicas: 3 }))));
    assert.equal(get().spec.replicas, 3);
  });

  test('a field the applier stops applying is removed when no one else owns it', () => {
    ok(k('apply', '--server-side', '-f', skiff.file('ssa-l.yaml', deployment({ replicas: 3, labels: { tier: 'web' } }))));
    assert.equal(get().metadata.labels.tier, 'web');
    ok(k('apply', '--server-side', '-f', skiff.file('ssa-nl.yaml', deployment({ replicas: 3 }))));
    assert.equal(get().metadata.labels.tier, undefined);
  });

  test('client-side apply, then server-side apply, then client-side again, without conflicts', () => {
    const cm = (value: string) =>
      YAML.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'switch', namespace: 'ssa' }, data: { key: value } });
    assert.equal(ok(k('apply', '-f', skiff.file('cm-1.yaml', cm('one')))).trim(), 'configmap/switch created');
    assert.equal(ok(k('apply', '--server-side', '-f', skiff.file('cm-2.yaml', cm('two')))).trim(), 'configmap/switch serverside-applied');
    const after = JSON.parse(ok(k('get', 'cm', 'switch', '-n', 'ssa', '-o', 'json', '--show-managed-fields')));
    assert.equal(after.data.key, 'two');
    const names = (after.metadata.managedFields as ManagedField[]).map((m) => m.manager);
    assert.ok(!names.includes('kubectl-client-side-apply'), `kubectl upgraded the client-side manager: ${names.join(', ')}`);
    assert.equal(ok(k('apply', '-f', skiff.file('cm-3.yaml', cm('three')))).trim(), 'configmap/switch configured');
    assert.equal(JSON.parse(ok(k('get', 'cm', 'switch', '-n', 'ssa', '-o', 'json'))).data.key, 'three');
  });

  test('managedFields are kept by the server and hidden by kubectl unless asked for', () => {
    const plain = ok(k('get', 'deploy', 'ssa', '-n', 'ssa', '-o', 'yaml'));
    assert.doesNotMatch(plain, /managedFields/);
    const shown = ok(k('get', 'deploy', 'ssa', '-n', 'ssa', '-o', 'yaml', '--show-managed-fields'));
    assert.match(shown, /managedFields:\n {2}- apiVersion: apps\/v1\n {4}fieldsType: FieldsV1/);
  });
});
