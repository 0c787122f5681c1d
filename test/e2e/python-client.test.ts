// The official Python client (Debian's python3-kubernetes 22.6) unchanged against a real `skiff up`:
// scripts under test/e2e/python/ do CRUD, patches, watches and kubernetes.utils.create_from_yaml over
// every built-in seed document, and this test asserts on exactly what they print.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node';
import { applyOrder, namespacesNeeded, objectRef, seedFixtures } from '../fixtures/fixtures.js';
import { repoRoot, SkiffProcess, type RunResult } from './harness.js';

// Debian's package installs for the system interpreter only; a python3 earlier on PATH (pyenv) lacks it.
const PYTHON = '/usr/bin/python3';

function havePythonKubernetes(): boolean {
  return spawnSync(PYTHON, ['-c', 'import kubernetes'], { encoding: 'utf8' }).status === 0;
}

const skip = havePythonKubernetes()
  ? false
  : `python3-kubernetes is not installed for ${PYTHON}: apt-get install python3-kubernetes (CI installs it)`;

/** Runs one of the scripts in test/e2e/python/ with the system interpreter. */
function python(script: string, args: string[]): RunResult {
  const r = spawnSync(PYTHON, [join(repoRoot, 'test', 'e2e', 'python', script), ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('the Python client (python3-kubernetes) against skiff', { skip }, () => {
  let skiff: SkiffProcess;

  before(async () => {
    skiff = await SkiffProcess.start();
  });
  after(async () => {
    await skiff?.destroy();
  });

  test('CRUD, patches, label selectors and watches print what they print against kube-apiserver', () => {
    const r = python('crud_watch.py', [skiff.kubeconfig, 'py']);
    assert.equal(r.stderr, '', 'no traceback');
    assert.equal(r.code, 0);
    // The watch lines need skiff to read Python's `watch=True` as kube-apiserver does (any value but
    // "false" or "0" is true); a list answered to a watch request prints no events at all.
    assert.deepEqual(r.stdout.trimEnd().split('\n'), [
      'namespace py Active',
      'created cfg uid {"color": "blue"}',
      'read cfg same-rv',
      'replaced {"color": "green"} newer-rv',
      'stale replace 409 Conflict Operation cannot be fulfilled on configmaps "cfg": the object has been modified; please apply your changes to the latest version and try again',
      'strategic merge patch {"color": "green", "size": "L"}',
      'json patch {"color": "green", "shape": "round"}',
      'deployment web generation 1 strategy RollingUpdate',
      'deployment strategic merge patch nginx=nginx:1.28 sidecar=envoy:1.30 generation 2',
      'scale Scale 5',
      'list app=py cfg',
      'list app,app!=py other',
      'watch ADDED w {"n": "0"}',
      'watch MODIFIED w {"n": "1"}',
      'watch DELETED w {"n": "1"}',
      'watch ended',
      'initial ADDED cfg',
      'initial ADDED other',
      'initial ended',
      'deleted Success cfg configmaps',
      'read after delete 404 NotFound configmaps "cfg" not found',
    ]);
  });

  test('kubernetes.utils.create_from_yaml creates every built-in seed document', async () => {
    const fixtures = seedFixtures('builtin');
    const ordered = applyOrder(fixtures.map((f) => ({ ...objectRef(f.docs[0]), fixture: f })));
    const namespaces = namespacesNeeded(fixtures.flatMap((f) => f.docs));
    const r = python('create_seeds.py', [skiff.kubeconfig, namespaces.join(','), ...ordered.map((d) => d.fixture.path)]);
    assert.equal(r.stderr, '', 'no traceback');
    assert.equal(r.code, 0);

    const expected = namespaces.map((ns) => `namespace ${ns} created`);
    const namespacesCreated = new Set<string>();
    for (const d of ordered) {
      const ref = `${d.kind}/${d.name}`;
      if (d.kind === 'Namespace' && namespacesCreated.has(d.name!)) {
        // The same Namespace is in two seeds; the second create is AlreadyExists, as on any cluster.
        expected.push(`${d.fixture.file} already exists: namespaces "${d.name}" already exists`);
      } else if (d.apiVersion === 'autoscaling/v2') {
        // python3-kubernetes 22.6 has no AutoscalingV2Api; its dynamic client finds the resource by discovery.
        expected.push(`${d.fixture.file} created ${ref} via dynamic client with a resourceVersion`);
      } else {
        expected.push(`${d.fixture.file} created ${ref} as V1${d.kind}`);
      }
      if (d.kind === 'Namespace') namespacesCreated.add(d.name!);
    }
    assert.deepEqual(r.stdout.trimEnd().split('\n'), expected);

    // Another client reads every object back where the document put it.
    const kc = new KubeConfig();
    kc.loadFromFile(skiff.kubeconfig);
    const objects = KubernetesObjectApi.makeApiClient(kc);
    for (const d of ordered) {
      const clusterScoped = ['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass', 'PersistentVolume'].includes(d.kind!);
      const namespace = clusterScoped ? undefined : (d.namespace ?? 'default');
      const got = await objects.read({ apiVersion: d.apiVersion!, kind: d.kind!, metadata: { name: d.name!, namespace } });
      assert.equal(got.metadata?.name, d.name, d.fixture.file);
    }
  });
});
