// The add-on catalog end to end: `skiff addons list` and `skiff addons install` against a running
// skiff, then every seed custom resource applied with the real kubectl, re-applied without change,
// and the seeds that fail on a real EKS 1.32 cluster failing with the same output.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import YAML from 'yaml';
import { ADDONS } from '../../src/addons/catalog.js';
import { applyOrder, expectedFailures, namespacesNeeded, objectRef, seedFixtures, type SeedFixture } from '../fixtures/fixtures.js';
import { haveKubectl, ok, skiffCli, SkiffProcess } from './harness.js';
import { kubectlEnv } from './waiting.js';

const skip = haveKubectl() ? false : 'kubectl is not installed (CI installs Debian kubernetes-client)';

const SEED_ADDONS = ['karpenter', 'argo-rollouts', 'argo-cd', 'external-secrets', 'velero', 'istio', 'vpa', 'prometheus-operator'];

/**
 * Seeds whose CRD defaults fields inside list items (ESO remoteRef strategies, the Rollout's
 * container port protocol). kubectl's client-side apply diffs with a JSON merge patch for custom
 * resources, which replaces a list whole, so re-applying them sends a patch and prints "configured"
 * against kube-apiserver too; the server re-defaults the list and stores nothing new.
 */
const RE_APPLY_CONFIGURED = new Set([
  'seed001-13-externalsecret-database-credentials.yaml',
  'seed001-17-rollout-api-server.yaml',
  'seed004-01-externalsecret-rds-credentials.yaml',
]);

/** What kubectl prints for a created object: "<kind>.<group>/<name> <verb>". */
function applied(f: SeedFixture, verb: string): string {
  const { apiVersion, kind, name } = objectRef(f.docs[0]);
  const group = apiVersion!.includes('/') ? apiVersion!.split('/')[0] : '';
  return `${kind!.toLowerCase()}${group ? '.' + group : ''}/${name} ${verb}\n`;
}

describe('skiff addons list', () => {
  test('prints the catalog as a table: every add-on with its CRD count and description', () => {
    const r = skiffCli(['addons', 'list']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^NAME\s+CRDS\s+DESCRIPTION$/);
    assert.deepEqual(
      lines.slice(1).map((l) => l.split(/\s{3,}/)),
      ADDONS.map((a) => [a.name, String(a.crds.length), a.description]),
    );
    for (const name of SEED_ADDONS) assert.ok(ADDONS.some((a) => a.name === name), `${name} is in the catalog`);
  });
});

describe('add-ons installed into a running skiff, then the seed custom resources through kubectl', { skip }, () => {
  let skiff: SkiffProcess;
  const k = (...args: string[]) => skiff.kubectl(args, { env: kubectlEnv(skiff) });
  const custom = seedFixtures('custom');

  before(async () => {
    skiff = await SkiffProcess.start();
  });
  after(async () => {
    await skiff?.destroy();
  });

  test('before installing, a seed custom resource has no REST mapping', () => {
    const f = custom.find((s) => s.file === 'seed001-17-rollout-api-server.yaml')!;
    const r = k('apply', '-f', f.path);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      `error: resource mapping not found for name: "api-server" namespace: "production" from "${f.path}": ` +
        'no matches for kind "Rollout" in version "argoproj.io/v1alpha1"\nensure CRDs are installed first\n',
    );
  });

  test('skiff addons install creates every CRD of the named add-ons and waits until they are Established', () => {
    const r = skiffCli(['addons', 'install', ...SEED_ADDONS, '--data-dir', skiff.dataDir]);
    assert.equal(r.code, 0, `${r.stdout}${r.stderr}\nskiff's output:\n${skiff.output}`);
    const expected = SEED_ADDONS.flatMap((name) => {
      const addon = ADDONS.find((a) => a.name === name)!;
      return [...addon.crds.map((c) => `customresourcedefinition.apiextensions.k8s.io/${c.metadata.name} serverside-applied`), `add-on ${name} installed`];
    });
    assert.deepEqual(r.stdout.trimEnd().split('\n'), expected);
    // custom-columns, not -o json: the CRDs' schemas are megabytes.
    const established = ok(k('get', 'crd', '--no-headers', '-o', 'custom-columns=NAME:.metadata.name,ESTABLISHED:.status.conditions[?(@.type=="Established")].status'));
    const wanted = SEED_ADDONS.flatMap((name) => ADDONS.find((a) => a.name === name)!.crds.map((c) => c.metadata.name!));
    assert.deepEqual(
      established.trimEnd().split('\n').map((l) => l.split(/\s+/)),
      [...wanted].sort().map((name) => [name, 'True']),
    );
  });

  test('an unknown add-on name fails and installs nothing', () => {
    const r = skiffCli(['addons', 'install', 'no-such-addon', '--data-dir', skiff.dataDir]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `error: unknown add-on "no-such-addon"; known add-ons: ${ADDONS.map((a) => a.name).join(', ')}\n`);
  });

  test('every seed custom resource applies with kubectl once its namespaces exist', () => {
    for (const ns of namespacesNeeded(custom.flatMap((f) => f.docs))) {
      assert.equal(ok(k('create', 'namespace', ns)), `namespace/${ns} created\n`);
    }
    for (const f of applyOrder(custom.map((fixture) => ({ ...(fixture.docs[0] as object), fixture }))).map((d) => d.fixture)) {
      const r = k('apply', '-f', f.path);
      assert.equal(r.code, 0, `${f.file}: ${r.stderr}`);
      assert.equal(r.stderr, '', f.file);
      assert.equal(r.stdout, applied(f, 'created'), f.file);
    }
  });

  test('re-applying every seed custom resource stores nothing new', () => {
    for (const f of custom) {
      const before = JSON.parse(ok(k('get', '-f', f.path, '-o', 'json')));
      const r = k('apply', '-f', f.path);
      assert.equal(r.code, 0, `${f.file}: ${r.stderr}`);
      assert.equal(r.stdout, applied(f, RE_APPLY_CONFIGURED.has(f.file) ? 'configured' : 'unchanged'), f.file);
      const afterApply = JSON.parse(ok(k('get', '-f', f.path, '-o', 'json')));
      assert.equal(afterApply.metadata.resourceVersion, before.metadata.resourceVersion, `${f.file}: nothing was written`);
    }
  });

  test('the seed custom resources are listed by kind and print their CRDs\' columns', () => {
    const rollouts = ok(k('get', 'rollouts', '-n', 'production')).trimEnd().split('\n');
    assert.match(rollouts[0]!, /^NAME\s+DESIRED\s+CURRENT\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/);
    assert.match(rollouts[1]!, /^api-server\s+10\s+\s+\s+\s+\d+s$/);
    const provisioners = ok(k('get', 'provisioners', '-o', 'name')).trimEnd().split('\n').sort();
    assert.deepEqual(provisioners, ['provisioner.karpenter.sh/default', 'provisioner.karpenter.sh/on-demand', 'provisioner.karpenter.sh/spot']);
  });

  test('the two invalid seed custom resources fail exactly as on a real cluster', () => {
    const invalid = seedFixtures('invalid').filter((f) => /^seed002-2[34]-/.test(f.file));
    assert.equal(invalid.length, 2);
    for (const f of invalid) {
      const r = k('apply', '-f', f.path);
      assert.equal(r.code, 1, f.file);
      assert.equal(r.stdout, '', f.file);
      assert.equal(r.stderr, expectedFailures[f.file]!.kubectl.replaceAll('{file}', f.path), f.file);
    }
  });

  test('policy/v1beta1 PodSecurityPolicy has no REST mapping: kubectl fails before sending', () => {
    const [psp] = seedFixtures('removed');
    const r = k('apply', '-f', psp!.path);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, expectedFailures[psp!.file]!.kubectl.replaceAll('{file}', psp!.path));
  });

  test('a seed custom resource re-applied server-side takes ownership without conflicts', () => {
    const f = custom.find((s) => s.file === 'seed002-11-verticalpodautoscaler-api-gateway-vpa.yaml')!;
    assert.equal(ok(k('apply', '--server-side', '-f', f.path)), applied(f, 'serverside-applied'));
    assert.equal(YAML.parse(ok(k('get', '-f', f.path, '-o', 'yaml'))).kind, 'VerticalPodAutoscaler');
  });
});
