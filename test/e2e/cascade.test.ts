// Deletion through the real kubectl: ownerReferences and the garbage collector of every `skiff up`
// cluster (background, foreground with blockOwnerDeletion, orphan), finalizers holding an object in
// Terminating until they are removed, and graceful pod deletion with kubectl's force-delete warning.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import YAML from 'yaml';
import { haveKubectl, ok, SkiffProcess } from './harness.js';
import { kubectlEnv, kubectlInBackground, waitFor, within } from './waiting.js';

const skip = haveKubectl() ? false : 'kubectl is not installed (CI installs Debian kubernetes-client)';

const FORCE_WARNING =
  'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. ' +
  'The resource may continue to run on the cluster indefinitely.\n';

interface OwnerRef {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  blockOwnerDeletion?: boolean;
}

interface Meta {
  name: string;
  uid: string;
  creationTimestamp: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  finalizers?: string[];
  ownerReferences?: OwnerRef[];
}

describe('cascading deletion, finalizers and graceful deletion through kubectl', { skip }, () => {
  let skiff: SkiffProcess;
  const k = (...args: string[]) => skiff.kubectl(args, { env: kubectlEnv(skiff) });
  const kIn = (input: string, ...args: string[]) => skiff.kubectl(args, { input, env: kubectlEnv(skiff) });
  /** The object's metadata, or undefined once it is gone (any other failure throws). */
  const meta = (kind: string, name: string): Meta | undefined => {
    const r = k('get', kind, name, '-n', 'gc', '-o', 'json');
    if (r.code !== 0 && / not found\n$/.test(r.stderr)) return undefined;
    return JSON.parse(ok(r)).metadata as Meta;
  };
  const gone = (kind: string, name: string) => (meta(kind, name) === undefined ? true : undefined);
  const ownerRef = (owner: Meta, kind: string, block?: boolean): OwnerRef => ({
    apiVersion: 'v1',
    kind,
    name: owner.name,
    uid: owner.uid,
    ...(block === undefined ? {} : { blockOwnerDeletion: block }),
  });
  /** Creates a ConfigMap (or Secret) in namespace gc and returns its metadata. */
  const create = (kind: 'ConfigMap' | 'Secret', name: string, extra: { ownerReferences?: OwnerRef[]; finalizers?: string[] } = {}): Meta => {
    const doc = { apiVersion: 'v1', kind, metadata: { name, namespace: 'gc', ...extra } };
    assert.equal(ok(kIn(YAML.stringify(doc), 'create', '-f', '-')), `${kind.toLowerCase()}/${name} created\n`);
    return meta(kind, name)!;
  };

  before(async () => {
    skiff = await SkiffProcess.start();
    ok(k('create', 'namespace', 'gc'));
  });
  after(async () => {
    await skiff?.destroy();
  });

  test('--cascade=background deletes the owner at once and its dependents after it', async () => {
    const owner = create('ConfigMap', 'bg-owner');
    create('ConfigMap', 'bg-dep', { ownerReferences: [ownerRef(owner, 'ConfigMap', true)] });
    create('Secret', 'bg-secret', { ownerReferences: [ownerRef(owner, 'ConfigMap')] });
    assert.equal(ok(k('delete', 'configmap', 'bg-owner', '-n', 'gc', '--cascade=background')), 'configmap "bg-owner" deleted\n');
    assert.equal(meta('configmap', 'bg-owner'), undefined);
    await waitFor('the garbage collector to delete bg-dep', () => gone('configmap', 'bg-dep'));
    await waitFor('the garbage collector to delete bg-secret', () => gone('secret', 'bg-secret'));
  });

  test('--cascade=foreground keeps the owner, Terminating, until its blocking dependents are gone; kubectl waits for it', async () => {
    const owner = create('ConfigMap', 'fg-owner');
    create('ConfigMap', 'fg-blocking', { ownerReferences: [ownerRef(owner, 'ConfigMap', true)], finalizers: ['example.com/hold'] });
    create('Secret', 'fg-secret', { ownerReferences: [ownerRef(owner, 'ConfigMap', false)] });
    const deleting = kubectlInBackground(skiff, ['delete', 'configmap', 'fg-owner', '-n', 'gc', '--cascade=foreground', '--timeout=30s']);

    const held = await waitFor('fg-owner to be marked for foreground deletion', () => {
      const m = meta('configmap', 'fg-owner');
      return m?.deletionTimestamp ? m : undefined;
    });
    assert.deepEqual(held.finalizers, ['foregroundDeletion']);
    // The collector deletes every dependent; the blocking one stays Terminating behind its own finalizer.
    await waitFor('the non-blocking dependent to be deleted', () => gone('secret', 'fg-secret'));
    const blocking = await waitFor('fg-blocking to be deleted by the collector', () => {
      const m = meta('configmap', 'fg-blocking');
      return m?.deletionTimestamp ? m : undefined;
    });
    assert.deepEqual(blocking.finalizers, ['example.com/hold']);
    assert.ok(meta('configmap', 'fg-owner')?.deletionTimestamp, 'the owner waits for its blocking dependent');
    assert.equal(deleting.exited(), false, 'kubectl delete --wait is still waiting');

    assert.equal(ok(k('patch', 'configmap', 'fg-blocking', '-n', 'gc', '--type=merge', '-p', '{"metadata":{"finalizers":null}}')), 'configmap/fg-blocking patched\n');
    await waitFor('fg-owner to be deleted once its blocking dependent is gone', () => gone('configmap', 'fg-owner'));
    const r = await within('kubectl delete --wait returning once the owner is gone', deleting.done, 5_000);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'configmap "fg-owner" deleted\n');
    assert.equal(meta('configmap', 'fg-blocking'), undefined);
  });

  test('--cascade=orphan deletes only the owner; its dependents stay, without the reference to it', async () => {
    const owner = create('ConfigMap', 'or-owner');
    const other = create('ConfigMap', 'or-other-owner');
    create('ConfigMap', 'or-dep', { ownerReferences: [ownerRef(owner, 'ConfigMap', true)] });
    create('Secret', 'or-shared', { ownerReferences: [ownerRef(owner, 'ConfigMap', true), ownerRef(other, 'ConfigMap')] });
    assert.equal(ok(k('delete', 'configmap', 'or-owner', '-n', 'gc', '--cascade=orphan', '--timeout=30s')), 'configmap "or-owner" deleted\n');
    assert.equal(meta('configmap', 'or-owner'), undefined, 'kubectl delete waited until the orphan finalizer was done');
    const dep = meta('configmap', 'or-dep');
    assert.ok(dep, 'the dependent was orphaned, not deleted');
    assert.equal(dep.ownerReferences, undefined);
    const shared = meta('secret', 'or-shared');
    assert.ok(shared);
    assert.deepEqual(shared.ownerReferences, [ownerRef(other, 'ConfigMap')]);
  });

  test('a dependent whose only owner is already gone is collected', async () => {
    const owner = create('ConfigMap', 'late-owner');
    ok(k('delete', 'configmap', 'late-owner', '-n', 'gc'));
    create('ConfigMap', 'late-dep', { ownerReferences: [ownerRef(owner, 'ConfigMap')] });
    await waitFor('the collector to delete a dependent of an absent owner', () => gone('configmap', 'late-dep'));
  });

  test('a custom finalizer keeps a deleted object Terminating until the finalizer is removed', () => {
    create('ConfigMap', 'held', { finalizers: ['example.com/hold'] });
    assert.equal(ok(k('delete', 'configmap', 'held', '-n', 'gc', '--wait=false')), 'configmap "held" deleted\n');
    const m = meta('configmap', 'held');
    assert.ok(m?.deletionTimestamp, 'marked for deletion');
    assert.match(m.deletionTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(m.deletionGracePeriodSeconds, 0);
    assert.deepEqual(m.finalizers, ['example.com/hold']);
    // A second delete changes nothing and still answers with the object.
    assert.equal(ok(k('delete', 'configmap', 'held', '-n', 'gc', '--wait=false')), 'configmap "held" deleted\n');
    assert.equal(meta('configmap', 'held')?.deletionTimestamp, m.deletionTimestamp);
    assert.equal(ok(k('patch', 'configmap', 'held', '-n', 'gc', '--type=merge', '-p', '{"metadata":{"finalizers":null}}')), 'configmap/held patched\n');
    const after = k('get', 'configmap', 'held', '-n', 'gc');
    assert.equal(after.code, 1);
    assert.equal(after.stderr, 'Error from server (NotFound): configmaps "held" not found\n');
  });

  test('a pod bound to a node is deleted gracefully (30 s), and --grace-period=0 --force removes it with kubectl\'s warning', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'bound', namespace: 'gc' },
      spec: { nodeName: 'node-a', containers: [{ name: 'web', image: 'nginx:1.27' }] },
    };
    assert.equal(ok(kIn(YAML.stringify(pod), 'create', '-f', '-')), 'pod/bound created\n');
    assert.equal(ok(k('delete', 'pod', 'bound', '-n', 'gc', '--wait=false')), 'pod "bound" deleted\n');
    const m = meta('pod', 'bound');
    assert.ok(m?.deletionTimestamp, 'the pod waits for its kubelet');
    assert.equal(m.deletionGracePeriodSeconds, 30);
    const graceSeconds = (Date.parse(m.deletionTimestamp) - Date.parse(m.creationTimestamp)) / 1000;
    assert.ok(graceSeconds >= 30 && graceSeconds <= 35, `deletionTimestamp is the delete time plus 30 s (${graceSeconds} s after creation)`);
    assert.match(ok(k('get', 'pod', 'bound', '-n', 'gc')), /^bound\s+0\/1\s+Terminating\s+0\s+\d+s$/m);

    const force = k('delete', 'pod', 'bound', '-n', 'gc', '--grace-period=0', '--force');
    assert.equal(force.code, 0, force.stderr);
    assert.equal(force.stderr, FORCE_WARNING);
    assert.equal(force.stdout, 'pod "bound" force deleted\n');
    assert.equal(meta('pod', 'bound'), undefined);
  });

  test('a pod not bound to a node is deleted at once', () => {
    // A nodeSelector no node matches keeps the scheduler from binding it.
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'unbound', namespace: 'gc' }, spec: { nodeSelector: { 'skiff.dev/no-such-node': 'true' }, containers: [{ name: 'web', image: 'nginx:1.27' }] } };
    ok(kIn(YAML.stringify(pod), 'create', '-f', '-'));
    assert.equal(ok(k('delete', 'pod', 'unbound', '-n', 'gc', '--wait=false')), 'pod "unbound" deleted\n');
    assert.equal(meta('pod', 'unbound'), undefined);
  });
});
