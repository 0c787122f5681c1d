import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findByKind } from '../api/resources.js';
import { parseApiVersion, type KubeObject } from '../api/types.js';
import { startTestServer, type TestServer } from '../apiserver/testing.js';
import { ADDON_CATALOG, defaultAddonVersion } from './addon-catalog.js';
import { AddonConfigurationError, addonConfigurationSchema, addonObjects, kubeDnsClusterIP, parseConfigurationValues, type AddonContext } from './addon-manifests.js';

const CTX: AddonContext = { clusterName: 'demo', region: 'us-west-2', serviceCIDR: '10.100.0.0/16' };
const NAMES = ADDON_CATALOG.map((a) => a.addonName);
const objectsOf = (name: string, ctx: Partial<AddonContext> = {}, version = defaultAddonVersion(name, '1.32')!) => addonObjects(name, version, { ...CTX, ...ctx });
const find = (objects: KubeObject[], kind: string, name: string): any => {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  assert.ok(o, `${kind} ${name}`);
  return o;
};
const containers = (o: any): any[] => [...(o.spec.template.spec.initContainers ?? []), ...o.spec.template.spec.containers];

/** The collection path an object is created at, from the resource table; undefined if not served. */
function collectionPath(o: KubeObject): string | undefined {
  const { group, version } = parseApiVersion(o.apiVersion!);
  const info = findByKind(group, version, o.kind!);
  if (!info) return undefined;
  const base = group ? `/apis/${group}/${version}` : `/api/${version}`;
  return info.namespaced ? `${base}/namespaces/${o.metadata.namespace}/${info.resource}` : `${base}/${info.resource}`;
}

describe('addonObjects', () => {
  for (const name of NAMES) {
    test(`${name}: every object has apiVersion, kind, a name, and kube-system for namespaced kinds`, () => {
      const objects = objectsOf(name);
      assert.ok(objects.length > 0);
      for (const o of objects) {
        assert.ok(o.apiVersion && o.kind && o.metadata.name, JSON.stringify(o.metadata));
        const { group, version } = parseApiVersion(o.apiVersion);
        const info = findByKind(group, version, o.kind);
        if (info?.namespaced) assert.equal(o.metadata.namespace, 'kube-system', `${o.kind} ${o.metadata.name}`);
        if (info && !info.namespaced) assert.equal(o.metadata.namespace, undefined, `${o.kind} ${o.metadata.name}`);
      }
    });

    test(`${name}: every image comes from the region's EKS registry`, () => {
      for (const [region, host] of [
        ['eu-west-1', '602401143452.dkr.ecr.eu-west-1.amazonaws.com/'],
        ['il-central-1', '066635153087.dkr.ecr.il-central-1.amazonaws.com/'],
      ]) {
        const workloads = objectsOf(name, { region }).filter((o) => o.kind === 'Deployment' || o.kind === 'DaemonSet');
        assert.ok(workloads.length > 0);
        for (const c of workloads.flatMap(containers)) assert.ok(c.image.startsWith(host), `${c.name}: ${c.image}`);
      }
    });

    test(`${name}: every workload's selector matches its pod template`, () => {
      for (const w of objectsOf(name).filter((o) => o.kind === 'Deployment' || o.kind === 'DaemonSet') as any[]) {
        for (const [k, v] of Object.entries(w.spec.selector.matchLabels)) assert.equal(w.spec.template.metadata.labels[k], v, `${w.metadata.name} ${k}`);
      }
    });
  }

  test('an unknown add-on or version is an error', () => {
    assert.throws(() => addonObjects('nope', 'v1.0.0-eksbuild.1', CTX), /unknown add-on nope/);
    assert.throws(() => addonObjects('coredns', 'v0.0.1-eksbuild.1', CTX), /unknown version v0.0.1-eksbuild.1 of add-on coredns/);
  });
});

describe('the objects in a cluster', () => {
  let ts: TestServer;
  before(async () => {
    ts = await startTestServer();
  });
  after(() => ts.stop());

  // What skiff's API server creates at first start for its simulated EBS provisioner.
  const BOOTSTRAPPED = ['ClusterRole ebs-external-provisioner-role', 'ClusterRoleBinding ebs-csi-provisioner-binding'];
  const preexisting: string[] = [];

  for (const name of NAMES) {
    test(`${name}: the API server accepts every object it serves`, async () => {
      for (const o of objectsOf(name)) {
        const path = collectionPath(o);
        assert.ok(path, `${o.apiVersion} ${o.kind} is served`);
        const res = await ts.request('POST', path, { body: o });
        if (res.status === 409) {
          // Already there: server-side apply as EKS does (field manager eks, resolveConflicts NONE, so no
          // force): it must not conflict with what the API server bootstrapped.
          preexisting.push(`${o.kind} ${o.metadata.name}`);
          const applied = await ts.request('PATCH', `${path}/${o.metadata.name}?fieldManager=eks`, {
            body: JSON.stringify(o),
            headers: { 'content-type': 'application/apply-patch+yaml' },
          });
          assert.equal(applied.status, 200, `${o.kind} ${o.metadata.name}: ${applied.body}`);
          continue;
        }
        assert.equal(res.status, 201, `${o.kind} ${o.metadata.name}: ${res.body}`);
      }
    });
  }

  test('only the objects skiff bootstraps for its EBS provisioner were there before', () => {
    assert.deepEqual(preexisting, BOOTSTRAPPED);
  });

  test('the kube-dns Service got the address asked for', async () => {
    const res = await ts.request('GET', '/api/v1/namespaces/kube-system/services/kube-dns');
    assert.equal(res.json().spec.clusterIP, '10.100.0.10');
  });
});

describe('installing by server-side apply, as EKS does', () => {
  let ts: TestServer;
  before(async () => {
    ts = await startTestServer();
  });
  after(() => ts.stop());

  const apply = (o: KubeObject, path: string) =>
    ts.request('PATCH', `${path}/${encodeURIComponent(o.metadata.name!)}?fieldManager=eks`, { body: JSON.stringify(o), headers: { 'content-type': 'application/apply-patch+yaml' } });

  test('every served object applies cleanly, and applying again changes nothing', async () => {
    for (const name of NAMES) {
      for (const o of objectsOf(name)) {
        const path = collectionPath(o);
        assert.ok(path, `${o.apiVersion} ${o.kind} is served`);
        const first = await apply(o, path);
        assert.ok(first.status === 201 || first.status === 200, `${o.kind} ${o.metadata.name}: ${first.status} ${first.body}`);
        const again = await apply(o, path);
        assert.equal(again.status, 200, `${o.kind} ${o.metadata.name}: ${again.body}`);
        assert.equal(again.json().metadata.resourceVersion, first.json().metadata.resourceVersion, `${o.kind} ${o.metadata.name} unchanged`);
      }
    }
  });
});

describe('kubeDnsClusterIP', () => {
  const cases: [string, string][] = [
    ['10.100.0.0/16', '10.100.0.10'],
    ['172.20.0.0/16', '172.20.0.10'],
    ['192.168.64.0/18', '192.168.64.10'],
  ];
  for (const [cidr, want] of cases) {
    test(`is ${want} for ${cidr}`, () => {
      assert.equal(kubeDnsClusterIP(cidr), want);
      assert.equal(find(objectsOf('coredns', { serviceCIDR: cidr }), 'Service', 'kube-dns').spec.clusterIP, want);
    });
  }
});

describe('what real EKS clusters show', () => {
  test('coredns: two replicas labelled k8s-app kube-dns, 100m/70Mi requests, 170Mi limit, spread by hostname', () => {
    const objects = objectsOf('coredns');
    const d = find(objects, 'Deployment', 'coredns');
    assert.equal(d.spec.replicas, 2);
    assert.deepEqual(d.spec.selector.matchLabels, { 'eks.amazonaws.com/component': 'coredns', 'k8s-app': 'kube-dns' });
    const pod = d.spec.template.spec;
    assert.equal(pod.priorityClassName, 'system-cluster-critical');
    assert.deepEqual(pod.containers[0].resources, { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } });
    assert.deepEqual(pod.containers[0].ports.map((p: any) => `${p.containerPort}/${p.protocol}`), ['53/UDP', '53/TCP', '9153/TCP']);
    assert.equal(pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey, 'kubernetes.io/hostname');
    assert.equal(pod.containers[0].image, '602401143452.dkr.ecr.us-west-2.amazonaws.com/eks/coredns:v1.11.4-eksbuild.2');
    const svc = find(objects, 'Service', 'kube-dns');
    assert.deepEqual(svc.spec.ports.map((p: any) => [p.name, p.port, p.protocol]), [['dns', 53, 'UDP'], ['dns-tcp', 53, 'TCP'], ['metrics', 9153, 'TCP']]);
    assert.equal(find(objects, 'PodDisruptionBudget', 'coredns').spec.maxUnavailable, 1);
    assert.match(find(objects, 'ConfigMap', 'coredns').data.Corefile, /kubernetes cluster\.local in-addr\.arpa ip6\.arpa/);
  });

  test('vpc-cni: aws-node runs aws-node and aws-eks-nodeagent on the host network, tolerating everything', () => {
    const ds = find(objectsOf('vpc-cni'), 'DaemonSet', 'aws-node');
    const pod = ds.spec.template.spec;
    assert.equal(pod.hostNetwork, true);
    assert.equal(pod.priorityClassName, 'system-node-critical');
    assert.deepEqual(pod.tolerations, [{ operator: 'Exists' }]);
    assert.deepEqual(pod.initContainers.map((c: any) => c.name), ['aws-vpc-cni-init']);
    assert.deepEqual(pod.containers.map((c: any) => [c.name, c.resources.requests.cpu]), [['aws-node', '25m'], ['aws-eks-nodeagent', '25m']]);
    assert.equal(pod.containers[0].image, '602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon-k8s-cni:v1.19.2-eksbuild.1');
    assert.equal(pod.containers[1].image, '602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon/aws-network-policy-agent:v1.1.6-eksbuild.1');
    assert.equal(ds.metadata.labels['k8s-app'], 'aws-node');
    const env = Object.fromEntries(pod.containers[0].env.filter((e: any) => 'value' in e).map((e: any) => [e.name, e.value]));
    assert.equal(env.ENABLE_PREFIX_DELEGATION, 'false');
    assert.equal(env.CLUSTER_NAME, 'demo');
  });

  test('kube-proxy: the minimal image of the cluster minor, 100m CPU, host network, system-node-critical', () => {
    const objects = objectsOf('kube-proxy');
    const pod = find(objects, 'DaemonSet', 'kube-proxy').spec.template.spec;
    assert.equal(pod.containers[0].image, '602401143452.dkr.ecr.us-west-2.amazonaws.com/eks/kube-proxy:v1.32.0-minimal-eksbuild.2');
    assert.deepEqual(pod.containers[0].resources, { requests: { cpu: '100m' } });
    assert.equal(pod.hostNetwork, true);
    assert.equal(pod.priorityClassName, 'system-node-critical');
    assert.deepEqual(pod.tolerations, [{ operator: 'Exists' }]);
    assert.equal(find(objects, 'ClusterRoleBinding', 'eks:kube-proxy').roleRef.name, 'system:node-proxier');
    assert.match(find(objects, 'ConfigMap', 'kube-proxy-config').data.config, /mode: "iptables"/);
    assert.match(find(objects, 'ConfigMap', 'kube-proxy').data.kubeconfig, /server: https:\/\//);
  });

  test('aws-ebs-csi-driver: labelled managed-by EKS, two controllers, a node plugin everywhere, the CSIDriver', () => {
    const objects = objectsOf('aws-ebs-csi-driver', {}, 'v1.45.0-eksbuild.2');
    const sa = find(objects, 'ServiceAccount', 'ebs-csi-controller-sa');
    assert.deepEqual(sa.metadata.labels, { 'app.kubernetes.io/component': 'csi-driver', 'app.kubernetes.io/managed-by': 'EKS', 'app.kubernetes.io/name': 'aws-ebs-csi-driver', 'app.kubernetes.io/version': '1.45.0' });
    const controller = find(objects, 'Deployment', 'ebs-csi-controller');
    assert.equal(controller.spec.replicas, 2);
    assert.deepEqual(controller.spec.template.spec.containers.map((c: any) => c.name), ['ebs-plugin', 'csi-provisioner', 'csi-attacher', 'csi-snapshotter', 'csi-resizer', 'liveness-probe']);
    assert.equal(controller.spec.template.spec.containers[0].image, '602401143452.dkr.ecr.us-west-2.amazonaws.com/eks/aws-ebs-csi-driver:v1.45.0');
    assert.equal(find(objects, 'DaemonSet', 'ebs-csi-node').spec.template.spec.serviceAccountName, 'ebs-csi-node-sa');
    const driver = find(objects, 'CSIDriver', 'ebs.csi.aws.com');
    assert.equal(driver.apiVersion, 'storage.k8s.io/v1');
    assert.equal(driver.metadata.namespace, undefined);
    assert.equal(driver.spec.attachRequired, true);
    assert.equal(driver.spec.podInfoOnMount, false);
    assert.ok(find(objects, 'PodDisruptionBudget', 'ebs-csi-controller'));
  });

  test('metrics-server: two replicas serving 10251 behind a port-443 Service, and no APIService', () => {
    const objects = objectsOf('metrics-server');
    const d = find(objects, 'Deployment', 'metrics-server');
    assert.equal(d.spec.replicas, 2);
    assert.deepEqual(d.spec.template.spec.containers[0].ports, [{ name: 'https', containerPort: 10251, protocol: 'TCP' }]);
    assert.deepEqual(find(objects, 'Service', 'metrics-server').spec.ports, [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 'https' }]);
    assert.ok(!objects.some((o) => o.kind === 'APIService'));
    assert.ok(find(objects, 'ClusterRole', 'system:metrics-server'));
  });

  test('eks-pod-identity-agent: a host-network DaemonSet on every EC2 node', () => {
    const ds = find(objectsOf('eks-pod-identity-agent', {}, 'v1.3.10-eksbuild.1'), 'DaemonSet', 'eks-pod-identity-agent');
    const pod = ds.spec.template.spec;
    assert.equal(pod.hostNetwork, true);
    assert.deepEqual(pod.containers[0].args.slice(0, 4), ['--port', '80', '--cluster-name', 'demo']);
    assert.equal(pod.containers[0].image, '602401143452.dkr.ecr.us-west-2.amazonaws.com/eks/eks-pod-identity-agent:v0.1.37');
  });
});

describe('configurationValues', () => {
  test('replicaCount scales CoreDNS (JSON)', () => {
    const d = find(objectsOf('coredns', { configurationValues: '{"replicaCount": 3}' }), 'Deployment', 'coredns');
    assert.equal(d.spec.replicas, 3);
  });

  test('YAML works as well as JSON', () => {
    const d = find(objectsOf('coredns', { configurationValues: 'replicaCount: 4\nnodeSelector:\n  pool: system\n' }), 'Deployment', 'coredns');
    assert.equal(d.spec.replicas, 4);
    assert.deepEqual(d.spec.template.spec.nodeSelector, { pool: 'system' });
  });

  test('the EBS CSI controller and metrics-server take their own replica keys', () => {
    assert.equal(find(objectsOf('aws-ebs-csi-driver', { configurationValues: '{"controller":{"replicaCount":3}}' }), 'Deployment', 'ebs-csi-controller').spec.replicas, 3);
    assert.equal(find(objectsOf('metrics-server', { configurationValues: '{"replicas":1}' }), 'Deployment', 'metrics-server').spec.replicas, 1);
  });

  test('resources merge into the defaults; tolerations replace them', () => {
    const values = JSON.stringify({ resources: { limits: { memory: '300Mi' } }, tolerations: [{ key: 'dedicated', operator: 'Exists' }] });
    const pod = find(objectsOf('coredns', { configurationValues: values }), 'Deployment', 'coredns').spec.template.spec;
    assert.deepEqual(pod.containers[0].resources, { limits: { memory: '300Mi' }, requests: { cpu: '100m', memory: '70Mi' } });
    assert.deepEqual(pod.tolerations, [{ key: 'dedicated', operator: 'Exists' }]);
  });

  test('vpc-cni env overrides a default and adds new variables', () => {
    const values = JSON.stringify({ env: { ENABLE_PREFIX_DELEGATION: 'true', WARM_IP_TARGET: '5' } });
    const env = find(objectsOf('vpc-cni', { configurationValues: values }), 'DaemonSet', 'aws-node').spec.template.spec.containers[0].env;
    const byName = Object.fromEntries(env.map((e: any) => [e.name, e.value]));
    assert.equal(byName.ENABLE_PREFIX_DELEGATION, 'true');
    assert.equal(byName.WARM_IP_TARGET, '5');
    assert.equal(env.filter((e: any) => e.name === 'ENABLE_PREFIX_DELEGATION').length, 1);
  });

  test('enableNetworkPolicy turns the node agent and the controller on', () => {
    const objects = objectsOf('vpc-cni', { configurationValues: '{"enableNetworkPolicy":"true"}' });
    assert.ok(find(objects, 'DaemonSet', 'aws-node').spec.template.spec.containers[1].args.includes('--enable-network-policy=true'));
    assert.equal(find(objects, 'ConfigMap', 'amazon-vpc-cni').data['enable-network-policy-controller'], 'true');
  });

  test('corefile and kube-proxy mode land in their ConfigMaps', () => {
    assert.equal(find(objectsOf('coredns', { configurationValues: JSON.stringify({ corefile: '.:53 {\n  errors\n}\n' }) }), 'ConfigMap', 'coredns').data.Corefile, '.:53 {\n  errors\n}\n');
    assert.match(find(objectsOf('kube-proxy', { configurationValues: '{"mode":"ipvs"}' }), 'ConfigMap', 'kube-proxy-config').data.config, /mode: "ipvs"/);
  });

  const rejected: [string, string, string, string][] = [
    ['a key not in the schema', 'coredns', '{"foo": 1}', '[$.foo: is not defined in the schema and the schema does not allow additional properties]'],
    ['a top-level nodeSelector for the EBS CSI driver', 'aws-ebs-csi-driver', '{"nodeSelector": {"a": "b"}}', '[$.nodeSelector: is not defined in the schema and the schema does not allow additional properties]'],
    ['replicaCount for a DaemonSet add-on', 'vpc-cni', '{"replicaCount": 2}', '[$.replicaCount: is not defined in the schema and the schema does not allow additional properties]'],
    ['an unknown vpc-cni variable', 'vpc-cni', '{"env": {"NOT_A_VAR": "1"}}', '[$.env.NOT_A_VAR: is not defined in the schema and the schema does not allow additional properties]'],
    ['a string replicaCount', 'coredns', '{"replicaCount": "3"}', '[$.replicaCount: string found, integer expected]'],
    ['a replicaCount of 0', 'coredns', '{"replicaCount": 0}', '[$.replicaCount: must have a minimum value of 1]'],
    ['an unknown kube-proxy mode', 'kube-proxy', '{"mode": "userspace"}', '[$.mode: does not have a value in the enumeration [iptables, ipvs]]'],
    ['a list instead of an object', 'coredns', '[1, 2]', '[$: array found, object expected]'],
    ['two bad keys at once', 'metrics-server', '{"a": 1, "b": 2}', '[$.a: is not defined in the schema and the schema does not allow additional properties, $.b: is not defined in the schema and the schema does not allow additional properties]'],
  ];
  for (const [what, name, values, errors] of rejected) {
    test(`rejects ${what} in EKS's words`, () => {
      assert.throws(
        () => objectsOf(name, { configurationValues: values }),
        (e: unknown) => {
          assert.ok(e instanceof AddonConfigurationError);
          assert.equal(e.message, `ConfigurationValue provided in request is not supported: Json schema validation failed with error: ${errors}`);
          return true;
        },
      );
    });
  }

  test('rejects values that are neither JSON nor YAML', () => {
    assert.throws(() => parseConfigurationValues('coredns', '{"replicaCount": 3'), (e: unknown) => e instanceof AddonConfigurationError && /^ConfigurationValue provided in request is not supported: /.test(e.message));
  });

  test('empty values mean the defaults', () => {
    assert.deepEqual(parseConfigurationValues('coredns', ''), {});
    assert.deepEqual(parseConfigurationValues('coredns', undefined), {});
  });

  test('every add-on publishes a JSON schema that refuses unknown top-level keys', () => {
    for (const name of NAMES) {
      const schema = addonConfigurationSchema(name)!;
      assert.equal(schema.type, 'object', name);
      assert.equal(schema.additionalProperties, false, name);
    }
  });
});
