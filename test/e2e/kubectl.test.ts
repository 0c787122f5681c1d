// The real kubectl against a real `skiff up`: every command the core issue names, asserting on
// the columns, messages and exit codes kubectl prints against a real cluster.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { haveKubectl, ok, SkiffProcess } from './harness.js';

const skip = haveKubectl() ? false : 'kubectl is not installed (CI installs Debian kubernetes-client)';

describe('kubectl against skiff', { skip }, () => {
  let skiff: SkiffProcess;
  const k = (...args: string[]) => skiff.kubectl(args);

  before(async () => {
    skiff = await SkiffProcess.start();
  });
  after(async () => {
    await skiff?.destroy();
  });

  test('create namespace, configmap, secret and deployment print what kubectl prints', () => {
    assert.equal(ok(k('create', 'namespace', 'demo')).trim(), 'namespace/demo created');
    assert.equal(ok(k('create', 'configmap', 'cfg', '-n', 'demo', '--from-literal=color=blue')).trim(), 'configmap/cfg created');
    assert.equal(ok(k('create', 'secret', 'generic', 'creds', '-n', 'demo', '--from-literal=password=s3cret')).trim(), 'secret/creds created');
    assert.equal(
      ok(k('create', 'deployment', 'web', '-n', 'demo', '--image=nginx:1.27', '--replicas=2')).trim(),
      'deployment.apps/web created',
    );
  });

  test('creating an existing object fails with AlreadyExists', () => {
    const r = k('create', 'namespace', 'demo');
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), 'Error from server (AlreadyExists): namespaces "demo" already exists');
  });

  test('get prints the default table with upstream columns', () => {
    // The controllers, scheduler and kubelets bring the Deployment up; then its columns are settled.
    ok(k('rollout', 'status', 'deployment/web', '-n', 'demo', '--timeout=120s'));
    const out = ok(k('get', 'deployments', '-n', 'demo'));
    const [header, row] = out.trimEnd().split('\n');
    assert.match(header, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/);
    assert.match(row, /^web\s+2\/2\s+2\s+2\s+\d+s$/);
  });

  test('get -o wide adds the priority-1 columns', () => {
    const out = ok(k('get', 'deploy', 'web', '-n', 'demo', '-o', 'wide'));
    const [header, row] = out.trimEnd().split('\n');
    assert.match(header, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR$/);
    assert.match(row, /^web\s+2\/2\s+2\s+2\s+\d+s\s+nginx\s+nginx:1\.27\s+app=web$/);
  });

  test('get namespaces shows the system namespaces Active', () => {
    const out = ok(k('get', 'namespaces'));
    assert.match(out, /^NAME\s+STATUS\s+AGE$/m);
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'demo']) {
      assert.match(out, new RegExp(`^${ns}\\s+Active\\s+\\d+[smh]`, 'm'));
    }
  });

  test('get -o yaml and -o json show the stored object with server-set metadata', () => {
    const obj = JSON.parse(ok(k('get', 'deploy', 'web', '-n', 'demo', '-o', 'json')));
    assert.equal(obj.apiVersion, 'apps/v1');
    assert.equal(obj.kind, 'Deployment');
    assert.equal(obj.metadata.generation, 1);
    assert.match(obj.metadata.uid, /^[0-9a-f-]{36}$/);
    assert.match(obj.metadata.resourceVersion, /^\d+$/);
    assert.equal(obj.spec.strategy.type, 'RollingUpdate');
    assert.equal(obj.spec.revisionHistoryLimit, 10);
    const yaml = ok(k('get', 'deploy', 'web', '-n', 'demo', '-o', 'yaml'));
    assert.match(yaml, /^apiVersion: apps\/v1\nkind: Deployment\n/);
    assert.match(yaml, /progressDeadlineSeconds: 600/);
  });

  test('get -o jsonpath and -o custom-columns', () => {
    assert.equal(ok(k('get', 'deploy', 'web', '-n', 'demo', '-o', 'jsonpath={.spec.replicas}')), '2');
    const out = ok(k('get', 'deploy', '-n', 'demo', '-o', 'custom-columns=NAME:.metadata.name,IMAGE:.spec.template.spec.containers[0].image'));
    assert.match(out, /^NAME\s+IMAGE\nweb\s+nginx:1\.27\n$/);
  });

  test('get -A adds the NAMESPACE column', () => {
    const out = ok(k('get', 'configmaps', '-A'));
    assert.match(out.split('\n')[0], /^NAMESPACE\s+NAME\s+DATA\s+AGE$/);
    assert.match(out, /^demo\s+cfg\s+1\s+\d+s$/m);
  });

  test('get -l, --field-selector and --show-labels', () => {
    assert.match(ok(k('get', 'deploy', '-n', 'demo', '-l', 'app=web')), /^web\s/m);
    const none = k('get', 'deploy', '-n', 'demo', '-l', 'app in (api,worker)');
    assert.equal(none.code, 0);
    assert.equal(none.stderr.trim(), 'No resources found in demo namespace.');
    assert.match(ok(k('get', 'cm', '-n', 'demo', '--field-selector', 'metadata.name=cfg')), /^cfg\s+1\s/m);
    const labels = ok(k('get', 'deploy', 'web', '-n', 'demo', '--show-labels'));
    assert.match(labels.split('\n')[0], /\sLABELS$/);
    assert.match(labels, /app=web$/m);
  });

  test('an unsupported field selector is a BadRequest', () => {
    const r = k('get', 'cm', '-n', 'demo', '--field-selector', 'spec.foo=bar');
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), 'Error from server (BadRequest): Unable to find "/v1, Resource=configmaps" that match label selector "", field selector "spec.foo=bar": "spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace"');
  });

  test('label, annotate and scale', () => {
    assert.equal(ok(k('label', 'deploy', 'web', '-n', 'demo', 'tier=frontend')).trim(), 'deployment.apps/web labeled');
    assert.equal(ok(k('annotate', 'deploy', 'web', '-n', 'demo', 'owner=platform')).trim(), 'deployment.apps/web annotated');
    assert.equal(ok(k('scale', 'deploy', 'web', '-n', 'demo', '--replicas=3')).trim(), 'deployment.apps/web scaled');
    const obj = JSON.parse(ok(k('get', 'deploy', 'web', '-n', 'demo', '-o', 'json')));
    assert.equal(obj.metadata.labels.tier, 'frontend');
    assert.equal(obj.metadata.annotations.owner, 'platform');
    assert.equal(obj.spec.replicas, 3);
    // Upstream's Deployment strategy bumps generation for spec and annotation changes, not labels.
    assert.equal(obj.metadata.generation, 3);
  });

  test('patch --type merge, json and strategic', () => {
    assert.equal(ok(k('patch', 'deploy', 'web', '-n', 'demo', '--type', 'merge', '-p', '{"spec":{"replicas":4}}')).trim(), 'deployment.apps/web patched');
    assert.equal(
      ok(k('patch', 'deploy', 'web', '-n', 'demo', '--type', 'merge', '-p', '{"spec":{"replicas":4}}')).trim(),
      'deployment.apps/web patched (no change)',
    );
    ok(k('patch', 'deploy', 'web', '-n', 'demo', '--type', 'json', '-p', '[{"op":"replace","path":"/spec/replicas","value":5}]'));
    ok(k('patch', 'deploy', 'web', '-n', 'demo', '--type', 'strategic', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.28"}]}}}}'));
    const obj = JSON.parse(ok(k('get', 'deploy', 'web', '-n', 'demo', '-o', 'json')));
    assert.equal(obj.spec.replicas, 5);
    assert.equal(obj.spec.template.spec.containers.length, 1, 'strategic merge keeps the list merged by name');
    assert.equal(obj.spec.template.spec.containers[0].image, 'nginx:1.28');
  });

  test('an invalid JSON patch is rejected and changes nothing', () => {
    const before = JSON.parse(ok(k('get', 'deploy', 'web', '-n', 'demo', '-o', 'json')));
    const r = k('patch', 'deploy', 'web', '-n', 'demo', '--type', 'json', '-p', '[{"op":"replace","path":"/spec/nope/deeper","value":1}]');
    assert.equal(r.code, 1);
    // kube-apiserver answers every failing JSON-patch operation with this 422, which kubectl prints so.
    assert.equal(r.stderr.trim(), 'The request is invalid: the server rejected our request due to an error in our request');
    const afterObj = JSON.parse(ok(k('get', 'deploy', 'web', '-n', 'demo', '-o', 'json')));
    // The Deployment is still rolling out, so its controller may write status meanwhile: the
    // patch's own target is the spec, which bumps the generation whenever it changes.
    assert.equal(afterObj.metadata.generation, before.metadata.generation);
    assert.deepEqual(afterObj.spec, before.spec);
  });

  test('edit applies what the editor wrote', () => {
    const out = skiff.kubectl(['edit', 'deploy', 'web', '-n', 'demo'], {
      env: { KUBE_EDITOR: `sed -i -e 's/replicas: 5/replicas: 6/'`, EDITOR: '' },
    });
    assert.equal(ok(out).trim(), 'deployment.apps/web edited');
    assert.equal(ok(k('get', 'deploy', 'web', '-n', 'demo', '-o', 'jsonpath={.spec.replicas}')), '6');
  });

  test('describe shows the object in kubectl describe layout', () => {
    ok(k('rollout', 'status', 'deployment/web', '-n', 'demo', '--timeout=120s'));
    const out = ok(k('describe', 'deploy', 'web', '-n', 'demo'));
    assert.match(out, /^Name:\s+web$/m);
    assert.match(out, /^Namespace:\s+demo$/m);
    assert.match(out, /^Selector:\s+app=web$/m);
    assert.match(out, /^Replicas:\s+6 desired \| 6 updated \| 6 total \| 6 available \| 0 unavailable$/m);
    assert.match(out, /^NewReplicaSet:\s+web-\w+ \(6\/6 replicas created\)$/m);
    assert.match(out, /^StrategyType:\s+RollingUpdate$/m);
    const cm = ok(k('describe', 'configmap', 'cfg', '-n', 'demo'));
    assert.match(cm, /^color:\n----\nblue$/m);
  });

  test('api-resources and api-versions list what is served', () => {
    const res = ok(k('api-resources'));
    assert.match(res.split('\n')[0], /^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND$/);
    assert.match(res, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    assert.match(res, /^pods\s+po\s+v1\s+true\s+Pod$/m);
    assert.match(res, /^horizontalpodautoscalers\s+hpa\s+autoscaling\/v2\s+true\s+HorizontalPodAutoscaler$/m);
    assert.match(res, /^clusterroles\s+rbac\.authorization\.k8s\.io\/v1\s+false\s+ClusterRole$/m);
    const versions = ok(k('api-versions')).split('\n');
    for (const v of ['v1', 'apps/v1', 'batch/v1', 'autoscaling/v1', 'autoscaling/v2', 'networking.k8s.io/v1', 'rbac.authorization.k8s.io/v1']) {
      assert.ok(versions.includes(v), `api-versions lists ${v}`);
    }
  });

  test('auth can-i answers for the admin', () => {
    assert.equal(ok(k('auth', 'can-i', 'create', 'deployments')).trim(), 'yes');
    assert.equal(ok(k('auth', 'can-i', '*', '*', '--all-namespaces')).trim(), 'yes');
  });

  test('wait --for=jsonpath and --for=delete', async () => {
    assert.equal(ok(k('wait', '--for=jsonpath={.spec.replicas}=6', 'deploy/web', '-n', 'demo', '--timeout=10s')).trim(), 'deployment.apps/web condition met');
    ok(k('create', 'configmap', 'doomed', '-n', 'demo'));
    const waiter = runAsync(skiff, ['wait', '--for=delete', 'configmap/doomed', '-n', 'demo', '--timeout=20s']);
    await delay(500);
    assert.equal(ok(k('delete', 'configmap', 'doomed', '-n', 'demo')).trim(), 'configmap "doomed" deleted');
    const r = await waiter;
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'configmap/doomed condition met');
  });

  test('get -w streams changes as they happen', async () => {
    const watcher = spawn('kubectl', ['get', 'configmaps', '-n', 'demo', '-w', '--request-timeout=0'], {
      env: { ...process.env, KUBECONFIG: skiff.kubeconfig },
    });
    let out = '';
    watcher.stdout.on('data', (d) => (out += d.toString()));
    await waitFor(() => /^cfg\s/m.test(out));
    ok(k('create', 'configmap', 'watched', '-n', 'demo', '--from-literal=a=b'));
    await waitFor(() => /^watched\s+1\s/m.test(out));
    watcher.kill();
    assert.match(out.split('\n')[0], /^NAME\s+DATA\s+AGE$/);
  });

  test('a request without valid credentials gets 401', () => {
    const r = skiff.kubectl(['get', 'pods', '--token=not-a-real-token']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /error: You must be logged in to the server \(Unauthorized\)/);
  });

  test('delete a namespace: Terminating, its content removed, then gone', () => {
    assert.equal(ok(k('delete', 'namespace', 'demo', '--timeout=30s')).trim(), 'namespace "demo" deleted');
    const r = k('get', 'namespace', 'demo');
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), 'Error from server (NotFound): namespaces "demo" not found');
    const cms = k('get', 'configmaps', '-n', 'demo');
    assert.equal(cms.stderr.trim(), 'No resources found in demo namespace.');
  });

  test('the default namespace may not be deleted', () => {
    const r = k('delete', 'namespace', 'default');
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), 'Error from server (Forbidden): namespaces "default" is forbidden: this namespace may not be deleted');
  });
});

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function waitFor(cond: () => boolean, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await delay(50);
  }
}

function runAsync(skiff: SkiffProcess, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('kubectl', args, { env: { ...process.env, KUBECONFIG: skiff.kubeconfig } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d.toString()));
    child.stderr.on('data', (d) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
