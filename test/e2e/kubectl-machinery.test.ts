// Issue 3's request features through the real kubectl: diff, explain, get all, impersonation,
// auth can-i --list and auth whoami.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import YAML from 'yaml';
import { haveKubectl, ok, SkiffProcess } from './harness.js';

const skip = haveKubectl() ? false : 'kubectl is not installed (CI installs Debian kubernetes-client)';

function deployment(replicas: number) {
  return YAML.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'machinery', labels: { app: 'web' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } },
    },
  });
}

describe('kubectl request machinery', { skip }, () => {
  let skiff: SkiffProcess;
  const k = (...args: string[]) => skiff.kubectl(args);

  before(async () => {
    skiff = await SkiffProcess.start();
    ok(skiff.kubectl(['apply', '-f', '-'], { input: YAML.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'machinery' } }) }));
    ok(skiff.kubectl(['apply', '-f', skiff.file('web.yaml', deployment(2))]));
  });
  after(async () => {
    await skiff?.destroy();
  });

  test('diff shows the change a server dry run would make, and exits 1', () => {
    const r = k('diff', '-f', skiff.file('web-4.yaml', deployment(4)));
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^-  replicas: 2$/m);
    assert.match(r.stdout, /^\+  replicas: 4$/m);
    assert.match(r.stdout, /^-  generation: 1$/m);
    assert.match(r.stdout, /^\+  generation: 2$/m);
    assert.equal(JSON.parse(ok(k('get', 'deploy', 'web', '-n', 'machinery', '-o', 'json'))).spec.replicas, 2, 'nothing was written');
    const same = k('diff', '-f', skiff.file('web-2.yaml', deployment(2)));
    assert.equal(same.code, 0);
    assert.equal(same.stdout, '');
  });

  test('explain describes built-in fields from the schema source', () => {
    const out = ok(k('explain', 'deployment.spec.replicas'));
    assert.match(out, /^GROUP:\s+apps$/m);
    assert.match(out, /^KIND:\s+Deployment$/m);
    assert.match(out, /^FIELD: replicas <integer>$/m);
    assert.match(out, /Number of desired pods/);
    const pod = ok(k('explain', 'pods.spec.containers.image'));
    assert.match(pod, /^FIELD: image <string>$/m);
  });

  test('get all lists the kinds in the "all" category', () => {
    // The controllers bring the Deployment up; once rolled out its row is settled.
    ok(k('rollout', 'status', 'deployment/web', '-n', 'machinery', '--timeout=120s'));
    const out = ok(k('get', 'all', '-n', 'machinery'));
    assert.match(out, /^deployment\.apps\/web\s+2\/2\s/m);
    assert.match(out, /^replicaset\.apps\/web-\w+\s+2\s+2\s+2\s/m);
    assert.match(out, /^pod\/web-\w+-\w+\s+1\/1\s+Running\s/m);
  });

  test('--as impersonates through RBAC, and auth can-i answers for the impersonated user', () => {
    const denied = k('get', 'deployments', '-n', 'machinery', '--as=jane');
    assert.equal(denied.code, 1);
    assert.equal(
      denied.stderr.trim(),
      'Error from server (Forbidden): deployments.apps is forbidden: User "jane" cannot list resource "deployments" in API group "apps" in the namespace "machinery"',
    );
    assert.equal(k('auth', 'can-i', 'list', 'deployments', '-n', 'machinery', '--as=jane').stdout.trim(), 'no');
    assert.equal(ok(k('auth', 'can-i', 'list', 'deployments', '-n', 'machinery', '--as=jane', '--as-group=system:masters')).trim(), 'yes');
  });

  test('auth can-i --list shows the rules that apply', () => {
    const out = ok(k('auth', 'can-i', '--list', '-n', 'machinery'));
    assert.match(out.split('\n')[0], /^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs$/);
    assert.match(out, /^\*\.\*\s+\[\]\s+\[\]\s+\[\*\]$/m);
    const jane = ok(k('auth', 'can-i', '--list', '-n', 'machinery', '--as=jane'));
    assert.match(jane, /^selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]$/m);
    assert.doesNotMatch(jane, /^\*\.\*/m);
  });

  test('auth whoami reports the user from a SelfSubjectReview', () => {
    const out = ok(k('auth', 'whoami'));
    assert.match(out, /^Username\s+kubernetes-admin$/m);
    assert.match(out, /^Groups\s+\[system:masters system:authenticated\]$/m);
    assert.match(ok(k('auth', 'whoami', '--as=jane', '--as-group=devs')), /^Groups\s+\[devs system:authenticated\]$/m);
  });
});
