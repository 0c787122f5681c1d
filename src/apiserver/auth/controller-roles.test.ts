// The identities skiff's components run as, against the bootstrap policy the API server actually
// created: each controller as kube-system/<its service account>, the scheduler as
// system:kube-scheduler, the kubelet pool as system:node:skiff-kubelets in system:nodes, the EBS
// provisioner as kube-system/ebs-csi-controller-sa. The table is what each component's code does
// (and a few things it must not be able to do); the requests at the end go through the whole
// request chain, where subresources such as finalize, scale and binding are parsed.
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../testing.js';
import { RestClient, type ResourceRef } from '../../client/rest.js';
import { InProcessTransport } from '../../client/transport.js';
import { StatusError } from '../../apimachinery/errors.js';
import type { UserInfo } from './authn.js';

const sa = (name: string, namespace = 'kube-system'): UserInfo => ({
  username: `system:serviceaccount:${namespace}:${name}`,
  groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
});
const SCHEDULER: UserInfo = { username: 'system:kube-scheduler', groups: ['system:authenticated'] };
const KUBELETS: UserInfo = { username: 'system:node:skiff-kubelets', groups: ['system:nodes', 'system:authenticated'] };
const ADMIN: UserInfo = { username: 'kubernetes-admin', groups: ['system:masters'] };

function who(u: UserInfo): string {
  const m = /^system:serviceaccount:([^:]+):(.+)$/.exec(u.username);
  return m ? (m[1] === 'kube-system' ? m[2] : `${m[1]}/${m[2]}`) : u.username;
}

// [identity, verb, "resource[/subresource][.group]", namespace ('' for cluster scope), allowed, name?]
type Row = [UserInfo, string, string, string, boolean, string?];

const NS = 'default';
const rows: Row[] = [
  // deployment-controller: scales ReplicaSets, writes its status, never touches pods itself
  [sa('deployment-controller'), 'update', 'deployments/status.apps', NS, true],
  [sa('deployment-controller'), 'get', 'deployments.apps', NS, true],
  [sa('deployment-controller'), 'create', 'replicasets.apps', NS, true],
  [sa('deployment-controller'), 'update', 'replicasets.apps', NS, true],
  [sa('deployment-controller'), 'patch', 'replicasets.apps', NS, true],
  [sa('deployment-controller'), 'delete', 'replicasets.apps', NS, true],
  [sa('deployment-controller'), 'create', 'events', NS, true],
  [sa('deployment-controller'), 'patch', 'events', NS, true],
  [sa('deployment-controller'), 'create', 'pods', NS, false],
  [sa('deployment-controller'), 'delete', 'deployments.apps', NS, false],
  // replicaset-controller
  [sa('replicaset-controller'), 'create', 'pods', NS, true],
  [sa('replicaset-controller'), 'delete', 'pods', NS, true],
  [sa('replicaset-controller'), 'patch', 'pods', NS, true],
  [sa('replicaset-controller'), 'update', 'replicasets/status.apps', NS, true],
  [sa('replicaset-controller'), 'get', 'replicasets.apps', NS, true],
  [sa('replicaset-controller'), 'update', 'pods', NS, false],
  [sa('replicaset-controller'), 'create', 'replicasets.apps', NS, false],
  // statefulset-controller: pods, their claims, revisions
  [sa('statefulset-controller'), 'create', 'pods', NS, true],
  [sa('statefulset-controller'), 'update', 'pods', NS, true],
  [sa('statefulset-controller'), 'patch', 'pods', NS, true],
  [sa('statefulset-controller'), 'delete', 'pods', NS, true],
  [sa('statefulset-controller'), 'create', 'persistentvolumeclaims', NS, true],
  [sa('statefulset-controller'), 'update', 'persistentvolumeclaims', NS, true],
  [sa('statefulset-controller'), 'delete', 'persistentvolumeclaims', NS, true],
  [sa('statefulset-controller'), 'create', 'controllerrevisions.apps', NS, true],
  [sa('statefulset-controller'), 'patch', 'controllerrevisions.apps', NS, true],
  [sa('statefulset-controller'), 'update', 'statefulsets/status.apps', NS, true],
  [sa('statefulset-controller'), 'delete', 'statefulsets.apps', NS, false],
  [sa('statefulset-controller'), 'create', 'persistentvolumes', '', false],
  // daemon-set-controller
  [sa('daemon-set-controller'), 'create', 'pods', NS, true],
  [sa('daemon-set-controller'), 'patch', 'pods', NS, true],
  [sa('daemon-set-controller'), 'delete', 'pods', NS, true],
  [sa('daemon-set-controller'), 'create', 'pods/binding', NS, true],
  [sa('daemon-set-controller'), 'update', 'daemonsets/status.apps', NS, true],
  [sa('daemon-set-controller'), 'get', 'daemonsets.apps', NS, true],
  [sa('daemon-set-controller'), 'update', 'controllerrevisions.apps', NS, true],
  [sa('daemon-set-controller'), 'delete', 'controllerrevisions.apps', NS, true],
  [sa('daemon-set-controller'), 'list', 'nodes', '', true],
  [sa('daemon-set-controller'), 'update', 'nodes', '', false],
  // job-controller: pods with tracking finalizers, job status
  [sa('job-controller'), 'create', 'pods', NS, true],
  [sa('job-controller'), 'patch', 'pods', NS, true],
  [sa('job-controller'), 'delete', 'pods', NS, true],
  [sa('job-controller'), 'update', 'jobs/status.batch', NS, true],
  [sa('job-controller'), 'patch', 'jobs.batch', NS, true],
  [sa('job-controller'), 'create', 'jobs.batch', NS, false],
  // ttl-after-finished-controller
  [sa('ttl-after-finished-controller'), 'get', 'jobs.batch', NS, true],
  [sa('ttl-after-finished-controller'), 'delete', 'jobs.batch', NS, true],
  [sa('ttl-after-finished-controller'), 'delete', 'pods', NS, false],
  // cronjob-controller
  [sa('cronjob-controller'), 'create', 'jobs.batch', NS, true],
  [sa('cronjob-controller'), 'delete', 'jobs.batch', NS, true],
  [sa('cronjob-controller'), 'get', 'cronjobs.batch', NS, true],
  [sa('cronjob-controller'), 'update', 'cronjobs/status.batch', NS, true],
  [sa('cronjob-controller'), 'delete', 'cronjobs.batch', NS, false],
  // namespace-controller: empties a namespace of every served resource, then finalizes it
  [sa('namespace-controller'), 'deletecollection', 'configmaps', NS, true],
  [sa('namespace-controller'), 'deletecollection', 'pods', NS, true],
  [sa('namespace-controller'), 'list', 'secrets', NS, true],
  [sa('namespace-controller'), 'delete', 'leases.coordination.k8s.io', NS, true],
  [sa('namespace-controller'), 'deletecollection', 'widgets.example.com', NS, true],
  [sa('namespace-controller'), 'get', 'namespaces', '', true, NS],
  [sa('namespace-controller'), 'update', 'namespaces/finalize', '', true, NS],
  [sa('namespace-controller'), 'update', 'namespaces/status', '', true, NS],
  [sa('namespace-controller'), 'update', 'namespaces', '', false, NS],
  [sa('namespace-controller'), 'create', 'configmaps', NS, false],
  // service-account-controller and root-ca-cert-publisher
  [sa('service-account-controller'), 'create', 'serviceaccounts', NS, true],
  [sa('service-account-controller'), 'create', 'events', NS, true],
  [sa('service-account-controller'), 'delete', 'serviceaccounts', NS, false],
  [sa('root-ca-cert-publisher'), 'create', 'configmaps', NS, true],
  [sa('root-ca-cert-publisher'), 'update', 'configmaps', NS, true],
  [sa('root-ca-cert-publisher'), 'delete', 'configmaps', NS, false],
  [sa('root-ca-cert-publisher'), 'get', 'secrets', NS, false],
  // endpoint-controller and endpointslice-controller
  [sa('endpoint-controller'), 'create', 'endpoints', NS, true],
  [sa('endpoint-controller'), 'update', 'endpoints', NS, true],
  [sa('endpoint-controller'), 'delete', 'endpoints', NS, true],
  [sa('endpoint-controller'), 'create', 'endpointslices.discovery.k8s.io', NS, false],
  [sa('endpointslice-controller'), 'create', 'endpointslices.discovery.k8s.io', NS, true],
  [sa('endpointslice-controller'), 'update', 'endpointslices.discovery.k8s.io', NS, true],
  [sa('endpointslice-controller'), 'delete', 'endpointslices.discovery.k8s.io', NS, true],
  [sa('endpointslice-controller'), 'update', 'services/finalizers', NS, true],
  [sa('endpointslice-controller'), 'create', 'endpoints', NS, false],
  // disruption-controller: reads any controller's scale, writes PDB status and pod conditions
  [sa('disruption-controller'), 'get', 'deployments/scale.apps', NS, true],
  [sa('disruption-controller'), 'get', 'widgets/scale.example.com', NS, true],
  [sa('disruption-controller'), 'update', 'poddisruptionbudgets/status.policy', NS, true],
  [sa('disruption-controller'), 'update', 'pods/status', NS, true],
  [sa('disruption-controller'), 'patch', 'pods/status', NS, true],
  [sa('disruption-controller'), 'update', 'deployments/scale.apps', NS, false],
  [sa('disruption-controller'), 'delete', 'pods', NS, false],
  // node-controller: node lifecycle (status, taints, pods not ready) and taint eviction
  [sa('node-controller'), 'update', 'nodes/status', '', true],
  [sa('node-controller'), 'patch', 'nodes', '', true],
  [sa('node-controller'), 'get', 'nodes', '', true],
  [sa('node-controller'), 'update', 'pods/status', NS, true],
  [sa('node-controller'), 'patch', 'pods/status', NS, true],
  [sa('node-controller'), 'get', 'pods', NS, true],
  [sa('node-controller'), 'delete', 'pods', NS, true],
  [sa('node-controller'), 'create', 'events', NS, true],
  [sa('node-controller'), 'create', 'pods', NS, false],
  // persistent-volume-binder
  [sa('persistent-volume-binder'), 'update', 'persistentvolumes', '', true],
  [sa('persistent-volume-binder'), 'update', 'persistentvolumes/status', '', true],
  [sa('persistent-volume-binder'), 'update', 'persistentvolumeclaims', NS, true],
  [sa('persistent-volume-binder'), 'update', 'persistentvolumeclaims/status', NS, true],
  [sa('persistent-volume-binder'), 'get', 'persistentvolumeclaims', NS, true],
  [sa('persistent-volume-binder'), 'list', 'storageclasses.storage.k8s.io', '', true],
  [sa('persistent-volume-binder'), 'patch', 'persistentvolumes', '', false],
  // pvc-protection-controller and pv-protection-controller: lift finalizers, nothing more
  [sa('pvc-protection-controller'), 'update', 'persistentvolumeclaims', NS, true],
  [sa('pvc-protection-controller'), 'list', 'pods', NS, true],
  [sa('pvc-protection-controller'), 'create', 'events', NS, true],
  [sa('pvc-protection-controller'), 'delete', 'persistentvolumeclaims', NS, false],
  [sa('pvc-protection-controller'), 'update', 'pods', NS, false],
  [sa('pv-protection-controller'), 'update', 'persistentvolumes', '', true],
  [sa('pv-protection-controller'), 'watch', 'persistentvolumes', '', true],
  [sa('pv-protection-controller'), 'delete', 'persistentvolumes', '', false],
  [sa('pv-protection-controller'), 'update', 'persistentvolumeclaims', NS, false],
  // generic-garbage-collector: anything, but only what owners' deletion needs
  [sa('generic-garbage-collector'), 'delete', 'widgets.example.com', NS, true],
  [sa('generic-garbage-collector'), 'patch', 'replicasets.apps', NS, true],
  [sa('generic-garbage-collector'), 'create', 'pods', NS, false],
  // the simulated EBS CSI controller (external-provisioner's role)
  [sa('ebs-csi-controller-sa'), 'create', 'persistentvolumes', '', true],
  [sa('ebs-csi-controller-sa'), 'delete', 'persistentvolumes', '', true],
  [sa('ebs-csi-controller-sa'), 'patch', 'persistentvolumes', '', true],
  [sa('ebs-csi-controller-sa'), 'watch', 'persistentvolumes', '', true],
  [sa('ebs-csi-controller-sa'), 'update', 'persistentvolumeclaims', NS, true],
  [sa('ebs-csi-controller-sa'), 'list', 'storageclasses.storage.k8s.io', '', true],
  [sa('ebs-csi-controller-sa'), 'get', 'csinodes.storage.k8s.io', '', true],
  [sa('ebs-csi-controller-sa'), 'list', 'nodes', '', true],
  [sa('ebs-csi-controller-sa'), 'create', 'events', NS, true],
  [sa('ebs-csi-controller-sa'), 'delete', 'persistentvolumeclaims', NS, false],
  [sa('ebs-csi-controller-sa'), 'update', 'nodes', '', false],
  // kube-scheduler (system:kube-scheduler and system:volume-scheduler)
  [SCHEDULER, 'create', 'pods/binding', NS, true],
  [SCHEDULER, 'patch', 'pods/status', NS, true],
  [SCHEDULER, 'delete', 'pods', NS, true],
  [SCHEDULER, 'watch', 'pods', '', true],
  [SCHEDULER, 'list', 'nodes', '', true],
  [SCHEDULER, 'list', 'namespaces', '', true],
  [SCHEDULER, 'list', 'services', '', true],
  [SCHEDULER, 'list', 'replicasets.apps', '', true],
  [SCHEDULER, 'list', 'statefulsets.apps', '', true],
  [SCHEDULER, 'list', 'poddisruptionbudgets.policy', '', true],
  [SCHEDULER, 'list', 'storageclasses.storage.k8s.io', '', true],
  [SCHEDULER, 'list', 'csinodes.storage.k8s.io', '', true],
  [SCHEDULER, 'patch', 'persistentvolumes', '', true],
  [SCHEDULER, 'patch', 'persistentvolumeclaims', NS, true],
  [SCHEDULER, 'create', 'events', NS, true],
  [SCHEDULER, 'update', 'leases.coordination.k8s.io', 'kube-system', true, 'kube-scheduler'],
  [SCHEDULER, 'update', 'leases.coordination.k8s.io', 'kube-system', false, 'kube-controller-manager'],
  [SCHEDULER, 'create', 'pods', NS, false],
  [SCHEDULER, 'update', 'nodes', '', false],
  // the kubelet pool (system:node through skiff:node-pool, and skiff:node-pool-extras)
  [KUBELETS, 'create', 'nodes', '', true],
  [KUBELETS, 'get', 'nodes', '', true, 'ip-10-0-1-10.ec2.internal'],
  [KUBELETS, 'patch', 'nodes', '', true, 'ip-10-0-1-10.ec2.internal'],
  [KUBELETS, 'update', 'nodes', '', true, 'ip-10-0-1-10.ec2.internal'],
  [KUBELETS, 'patch', 'nodes/status', '', true, 'ip-10-0-1-10.ec2.internal'],
  [KUBELETS, 'update', 'nodes/status', '', true, 'ip-10-0-1-10.ec2.internal'],
  [KUBELETS, 'delete', 'nodes', '', true, 'ip-10-0-1-10.ec2.internal'],
  [KUBELETS, 'get', 'leases.coordination.k8s.io', 'kube-node-lease', true, 'ip-10-0-1-10.ec2.internal'],
  [KUBELETS, 'create', 'leases.coordination.k8s.io', 'kube-node-lease', true],
  [KUBELETS, 'update', 'leases.coordination.k8s.io', 'kube-node-lease', true, 'ip-10-0-1-10.ec2.internal'],
  [KUBELETS, 'patch', 'leases.coordination.k8s.io', 'kube-node-lease', true, 'ip-10-0-1-10.ec2.internal'],
  [KUBELETS, 'list', 'pods', '', true],
  [KUBELETS, 'watch', 'pods', '', true],
  [KUBELETS, 'get', 'pods', NS, true],
  [KUBELETS, 'delete', 'pods', NS, true],
  [KUBELETS, 'patch', 'pods/status', NS, true],
  [KUBELETS, 'update', 'pods/status', NS, true],
  [KUBELETS, 'create', 'pods/eviction', NS, true],
  [KUBELETS, 'create', 'events', NS, true],
  [KUBELETS, 'patch', 'events', NS, true],
  [KUBELETS, 'update', 'events', NS, true],
  [KUBELETS, 'list', 'secrets', '', true],
  [KUBELETS, 'watch', 'secrets', '', true],
  [KUBELETS, 'get', 'secrets', NS, true],
  [KUBELETS, 'list', 'configmaps', '', true],
  [KUBELETS, 'watch', 'configmaps', '', true],
  [KUBELETS, 'list', 'persistentvolumeclaims', '', true],
  [KUBELETS, 'watch', 'persistentvolumeclaims', '', true],
  [KUBELETS, 'get', 'persistentvolumeclaims', NS, true],
  [KUBELETS, 'list', 'persistentvolumes', '', true],
  [KUBELETS, 'get', 'persistentvolumes', '', true],
  [KUBELETS, 'update', 'pods', NS, false],
  [KUBELETS, 'create', 'deployments.apps', NS, false],
  [KUBELETS, 'create', 'pods/binding', NS, false],
  [KUBELETS, 'delete', 'persistentvolumeclaims', NS, false],
  // bindings are to kube-system's accounts, not to any account of that name
  [sa('deployment-controller', 'default'), 'create', 'replicasets.apps', NS, false],
  [sa('default'), 'create', 'pods', NS, false],
  [sa('default'), 'list', 'nodes', '', false],
];

function parse(spec: string): { resource: string; subresource: string; apiGroup: string } {
  const dot = spec.indexOf('.');
  const [rs, apiGroup] = dot < 0 ? [spec, ''] : [spec.slice(0, dot), spec.slice(dot + 1)];
  const [resource, subresource = ''] = rs.split('/');
  return { resource, subresource, apiGroup };
}

describe('component identities against the bootstrap policy', () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer();
  });
  afterEach(() => t.stop());

  for (const [user, verb, spec, namespace, allowed, name = ''] of rows) {
    const where = namespace ? ` in ${namespace}` : '';
    const named = name ? ` ${name}` : '';
    test(`${who(user)} ${allowed ? 'can' : 'cannot'} ${verb} ${spec}${named}${where}`, () => {
      const { resource, subresource, apiGroup } = parse(spec);
      const d = t.server.rbacAuthorizer.authorize({
        user,
        verb,
        namespace,
        apiGroup,
        apiVersion: 'v1',
        resource,
        subresource,
        name,
        resourceRequest: true,
        path: '',
      });
      assert.equal(d.decision === 'allow', allowed, d.reason);
    });
  }
});

const NODES: ResourceRef = { group: '', version: 'v1', resource: 'nodes', namespaced: false, kind: 'Node' };
const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true, kind: 'Pod' };
const LEASES: ResourceRef = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespaced: true, kind: 'Lease' };
const PVCS: ResourceRef = { group: '', version: 'v1', resource: 'persistentvolumeclaims', namespaced: true, kind: 'PersistentVolumeClaim' };
const PVS: ResourceRef = { group: '', version: 'v1', resource: 'persistentvolumes', namespaced: false, kind: 'PersistentVolume' };
const CONFIGMAPS: ResourceRef = { group: '', version: 'v1', resource: 'configmaps', namespaced: true, kind: 'ConfigMap' };
const NAMESPACES: ResourceRef = { group: '', version: 'v1', resource: 'namespaces', namespaced: false, kind: 'Namespace' };
const DEPLOYMENTS: ResourceRef = { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true, kind: 'Deployment' };

async function forbidden(p: Promise<unknown>): Promise<void> {
  await assert.rejects(p, (e: unknown) => e instanceof StatusError && e.status.code === 403);
}

describe('component requests through the API server', () => {
  let t: TestServer;
  let admin: RestClient;
  const as = (u: UserInfo) => new RestClient(new InProcessTransport(t.server, u));

  beforeEach(async () => {
    t = await startTestServer();
    admin = as(ADMIN);
  });
  afterEach(() => t.stop());

  test('the namespace controller empties a namespace and removes its kubernetes finalizer', async () => {
    await admin.resource(NAMESPACES).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } });
    await admin.resource(CONFIGMAPS).namespace('doomed').create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
    await admin.resource(NAMESPACES).delete('doomed');
    const nc = as(sa('namespace-controller'));
    const cms = nc.resource(CONFIGMAPS).namespace('doomed');
    await cms.deleteCollection();
    assert.deepEqual((await cms.list()).items, []);
    const ns = await nc.resource(NAMESPACES).get('doomed');
    await nc.resource(NAMESPACES).updateStatus(ns);
    const { body } = await nc.requestJSON<{ spec?: { finalizers?: string[] } }>('PUT', '/api/v1/namespaces/doomed/finalize', {
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: ns.metadata, spec: { finalizers: [] } },
    });
    assert.deepEqual(body.spec?.finalizers ?? [], []);
    await forbidden(nc.resource(CONFIGMAPS).namespace(NS).create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }));
  });

  test('the disruption controller reads a deployment through its scale subresource, and cannot scale it', async () => {
    await admin.resource(DEPLOYMENTS).namespace(NS).create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    });
    const dc = as(sa('disruption-controller'));
    const { body } = await dc.requestJSON<{ spec?: { replicas?: number } }>('GET', '/apis/apps/v1/namespaces/default/deployments/web/scale');
    assert.equal(body.spec?.replicas, 3);
    await forbidden(
      dc.requestJSON('PUT', '/apis/apps/v1/namespaces/default/deployments/web/scale', {
        body: { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web', namespace: NS }, spec: { replicas: 1 } },
      }),
    );
  });

  test('a kubelet registers its node, renews its lease, reports status; the scheduler binds; the node controller evicts', async () => {
    const kubelet = as(KUBELETS);
    const node = 'ip-10-0-1-10.ec2.internal';
    await kubelet.resource(NODES).create({ apiVersion: 'v1', kind: 'Node', metadata: { name: node } });
    await kubelet.resource(NODES).patch(node, 'strategic', { status: { conditions: [{ type: 'Ready', status: 'True' }] } }, { subresource: 'status' });
    const leases = kubelet.resource(LEASES).namespace('kube-node-lease');
    const lease = await leases.create({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: node }, spec: { holderIdentity: node } });
    await leases.update(lease);
    await kubelet.resource(PVCS).list();

    await admin.resource(PODS).namespace(NS).create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    const sched = as(SCHEDULER);
    await sched.resource(PODS).namespace(NS).createSubresource('p', 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p' }, target: { apiVersion: 'v1', kind: 'Node', name: node } });
    await kubelet.resource(PODS).namespace(NS).patch('p', 'strategic', { status: { phase: 'Running' } }, { subresource: 'status' });

    const nc = as(sa('node-controller'));
    await nc.resource(PODS).namespace(NS).patch('p', 'strategic', { status: { conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager' }] } }, { subresource: 'status' });
    await nc.resource(PODS).namespace(NS).delete('p');
    await forbidden(kubelet.resource(DEPLOYMENTS).namespace(NS).list());
    await forbidden(nc.resource(PODS).namespace(NS).create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'q' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }));
  });

  test('the EBS provisioner creates and deletes volumes but cannot delete claims', async () => {
    const ebs = as(sa('ebs-csi-controller-sa'));
    await ebs.resource(PVS).create({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'pvc-1' },
      spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], csi: { driver: 'ebs.csi.aws.com', volumeHandle: 'vol-1' } },
    });
    await ebs.resource(PVS).delete('pvc-1');
    await admin.resource(PVCS).namespace(NS).create({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    });
    await forbidden(ebs.resource(PVCS).namespace(NS).delete('data'));
  });
});
