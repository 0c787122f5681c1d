import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../api/objects.js';
import { findResource } from '../api/resources.js';
import type { AdmissionAttributes } from '../apiserver/admission/admission.js';
import { FARGATE_CONFIGURATIONS, FargateMutation, fargateSize, fargateUnsupported, matchFargateProfile, type FargateProfile } from './fargate.js';
import { fargateNodeName, fargateNodeSpec } from './fargate-scheduler.js';

type Resources = { requests?: Record<string, string>; limits?: Record<string, string> };

function pod(opts: { ns?: string; labels?: Record<string, string>; annotations?: Record<string, string>; containers?: Resources[]; init?: Resources[]; schedulerName?: string; nodeName?: string } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: opts.ns ?? 'default', uid: 'uid-1', labels: opts.labels, annotations: opts.annotations },
    spec: {
      containers: (opts.containers ?? [{}]).map((resources, i) => ({ name: `c${i}`, image: 'nginx', resources })),
      ...(opts.init ? { initContainers: opts.init.map((resources, i) => ({ name: `i${i}`, image: 'busybox', resources })) } : {}),
      ...(opts.schedulerName ? { schedulerName: opts.schedulerName } : {}),
      ...(opts.nodeName ? { nodeName: opts.nodeName } : {}),
    },
  };
}

const req = (cpu?: string, memory?: string): Resources => ({ requests: { ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) } });

describe('fargateSize (EKS "Pod CPU and memory")', () => {
  const cases: { name: string; pod: Pod; want: string | undefined }[] = [
    { name: 'a pod without requests gets the smallest configuration', pod: pod(), want: '0.25vCPU 0.5GB' },
    { name: '1 cpu + 2Gi, plus 256 MB, is 1vCPU 3GB', pod: pod({ containers: [req('1', '2Gi')] }), want: '1vCPU 3GB' },
    { name: '256Mi of requests plus 256 MB fills 0.5 GB exactly', pod: pod({ containers: [req('100m', '256Mi')] }), want: '0.25vCPU 0.5GB' },
    { name: 'long-running containers add up', pod: pod({ containers: [req('300m', '512Mi'), req('300m', '512Mi')] }), want: '1vCPU 2GB' },
    { name: 'limits stand in for missing requests', pod: pod({ containers: [{ limits: { cpu: '2', memory: '4Gi' } }] }), want: '2vCPU 5GB' },
    { name: 'the largest init container wins when it is larger than the sum', pod: pod({ containers: [req('250m', '256Mi')], init: [req('2', '1Gi'), req('500m', '6Gi')] }), want: '2vCPU 7GB' },
    { name: 'the sum wins when it is larger than any init container', pod: pod({ containers: [req('1', '1Gi'), req('1', '1Gi')], init: [req('500m', '512Mi')] }), want: '2vCPU 4GB' },
    { name: '1 vCPU + 8 GB needs 2 vCPU 9 GB (the EKS guide\'s example)', pod: pod({ containers: [req('1', '8Gi')] }), want: '2vCPU 9GB' },
    { name: '0.25 vCPU + 2 GB needs more vCPU for the overhead', pod: pod({ containers: [req('250m', '2Gi')] }), want: '0.5vCPU 3GB' },
    { name: 'decimal units round up to whole MiB (2.5G is 2385 MiB)', pod: pod({ containers: [req('1', '2.5G')] }), want: '1vCPU 3GB' },
    { name: '8 vCPU steps by 4 GB', pod: pod({ containers: [req('5', '17Gi')] }), want: '8vCPU 20GB' },
    { name: '16 vCPU steps by 8 GB', pod: pod({ containers: [req('9', '40Gi')] }), want: '16vCPU 48GB' },
    { name: 'the largest configuration is 16vCPU 120GB', pod: pod({ containers: [req('16', '119Gi')] }), want: '16vCPU 120GB' },
    { name: 'more cpu than 16 vCPU does not fit', pod: pod({ containers: [req('17', '1Gi')] }), want: undefined },
    { name: 'more memory than 120 GB with the overhead does not fit', pod: pod({ containers: [req('1', '120Gi')] }), want: undefined },
  ];
  for (const c of cases) test(c.name, () => assert.equal(fargateSize(c.pod)?.annotation, c.want));

  test('the table has the 0.25, 0.5, 1, 2, 4, 8 and 16 vCPU rows of the EKS guide', () => {
    const rows = new Map<number, number[]>();
    for (const c of FARGATE_CONFIGURATIONS) rows.set(c.vcpu, [...(rows.get(c.vcpu) ?? []), c.memoryGiB]);
    assert.deepEqual(rows.get(0.25), [0.5, 1, 2]);
    assert.deepEqual(rows.get(0.5), [1, 2, 3, 4]);
    assert.deepEqual(rows.get(1), [2, 3, 4, 5, 6, 7, 8]);
    assert.equal(rows.get(2)!.length, 13);
    assert.deepEqual([rows.get(4)![0], rows.get(4)!.at(-1)], [8, 30]);
    assert.deepEqual(rows.get(8), [16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60]);
    assert.deepEqual(rows.get(16), [32, 40, 48, 56, 64, 72, 80, 88, 96, 104, 112, 120]);
  });
});

describe('fargateUnsupported (fargate-scheduler\'s "Pod not supported on Fargate")', () => {
  const withSpec = (extra: Partial<NonNullable<Pod['spec']>>): Pod => {
    const p = pod();
    Object.assign(p.spec!, extra);
    return p;
  };
  const cases: { name: string; pod: Pod; want: string | undefined }[] = [
    { name: 'an ordinary pod is supported', pod: pod(), want: undefined },
    {
      name: 'host network, a privileged container and a host port, in EKS\'s order and words',
      pod: withSpec({ hostNetwork: true, containers: [{ name: 'c', image: 'x', securityContext: { privileged: true }, ports: [{ containerPort: 80, hostPort: 80 }] }] }),
      want: 'Pod not supported on Fargate: fields not supported: HostNetwork, invalid SecurityContext fields: Privileged, port contains HostIP or HostPort',
    },
    {
      name: 'a host path volume',
      pod: withSpec({ volumes: [{ name: 'mntdatas3fs', hostPath: { path: '/mnt/data' } }, { name: 'tmp', emptyDir: {} }] }),
      want: 'Pod not supported on Fargate: volumes not supported: mntdatas3fs is of an unsupported volume Type',
    },
  ];
  for (const c of cases) test(c.name, () => assert.equal(fargateUnsupported(c.pod), c.want));
});

const profile = (name: string, selectors: FargateProfile['selectors'], status = 'ACTIVE'): FargateProfile => ({ fargateProfileName: name, status, subnets: ['subnet-a'], selectors });

describe('matchFargateProfile', () => {
  const cases: { name: string; profiles: FargateProfile[]; pod: Pod; want: string | undefined }[] = [
    { name: 'a namespace-only selector takes every pod of the namespace', profiles: [profile('fp', [{ namespace: 'apps' }])], pod: pod({ ns: 'apps' }), want: 'fp' },
    { name: 'another namespace does not match', profiles: [profile('fp', [{ namespace: 'apps' }])], pod: pod({ ns: 'default' }), want: undefined },
    { name: 'every selector label must be on the pod', profiles: [profile('fp', [{ namespace: 'apps', labels: { a: '1', b: '2' } }])], pod: pod({ ns: 'apps', labels: { a: '1' } }), want: undefined },
    { name: 'extra pod labels do not matter', profiles: [profile('fp', [{ namespace: 'apps', labels: { a: '1' } }])], pod: pod({ ns: 'apps', labels: { a: '1', z: '9' } }), want: 'fp' },
    { name: 'a label with another value does not match', profiles: [profile('fp', [{ namespace: 'apps', labels: { a: '1' } }])], pod: pod({ ns: 'apps', labels: { a: '2' } }), want: undefined },
    { name: 'any one selector of a profile is enough', profiles: [profile('fp', [{ namespace: 'x' }, { namespace: 'apps' }])], pod: pod({ ns: 'apps' }), want: 'fp' },
    { name: '* in a namespace matches none or more characters', profiles: [profile('fp', [{ namespace: 'prod*' }])], pod: pod({ ns: 'prod' }), want: 'fp' },
    { name: '* matches prod-metrics too', profiles: [profile('fp', [{ namespace: 'prod*' }])], pod: pod({ ns: 'prod-metrics' }), want: 'fp' },
    { name: '? matches exactly one character', profiles: [profile('fp', [{ namespace: 'team?' }])], pod: pod({ ns: 'teama' }), want: 'fp' },
    { name: '? does not match none', profiles: [profile('fp', [{ namespace: 'team?' }])], pod: pod({ ns: 'team' }), want: undefined },
    { name: '? does not match two', profiles: [profile('fp', [{ namespace: 'team?' }])], pod: pod({ ns: 'team-a' }), want: undefined },
    { name: 'wildcards work in label keys and values', profiles: [profile('fp', [{ namespace: '*', labels: { 'key?': 'value*' } }])], pod: pod({ labels: { keya: 'value-x' } }), want: 'fp' },
    { name: 'dots are not wildcards', profiles: [profile('fp', [{ namespace: 'a.b' }])], pod: pod({ ns: 'axb' }), want: undefined },
    { name: 'an inactive profile is ignored', profiles: [profile('fp', [{ namespace: 'apps' }], 'CREATING'), profile('zz', [{ namespace: 'apps' }], 'DELETING')], pod: pod({ ns: 'apps' }), want: undefined },
    { name: 'of several matches, the first by name (alphanumeric) wins', profiles: [profile('prod-workload', [{ namespace: 'apps' }]), profile('beta-workload', [{ namespace: 'apps' }])], pod: pod({ ns: 'apps' }), want: 'beta-workload' },
    {
      name: 'the eks.amazonaws.com/fargate-profile label chooses among matches',
      profiles: [profile('a', [{ namespace: 'apps' }]), profile('b', [{ namespace: 'apps' }])],
      pod: pod({ ns: 'apps', labels: { 'eks.amazonaws.com/fargate-profile': 'b' } }),
      want: 'b',
    },
    {
      name: 'the chosen profile must still match the pod',
      profiles: [profile('a', [{ namespace: 'apps' }]), profile('b', [{ namespace: 'other' }])],
      pod: pod({ ns: 'apps', labels: { 'eks.amazonaws.com/fargate-profile': 'b' } }),
      want: undefined,
    },
  ];
  for (const c of cases) test(c.name, () => assert.equal(matchFargateProfile(c.profiles, c.pod)?.fargateProfileName, c.want));
});

describe('FargateMutation (EKS Fargate pod webhook)', () => {
  const pods = findResource('', 'v1', 'pods')!;
  const plugin = new FargateMutation(() => [profile('fp-apps', [{ namespace: 'apps', labels: { fargate: 'yes' } }])]);
  const admit = (p: Pod, operation: AdmissionAttributes['operation'] = 'CREATE', subresource = ''): Pod => {
    plugin.admit({ operation, resource: pods, namespace: p.metadata.namespace ?? '', name: p.metadata.name ?? '', subresource, object: p, user: { username: 'u', groups: [] }, dryRun: false });
    return p;
  };

  test('a matching pod is handed to fargate-scheduler and labelled with its profile', () => {
    const p = admit(pod({ ns: 'apps', labels: { fargate: 'yes' }, schedulerName: 'default-scheduler' }));
    assert.equal(p.spec!.schedulerName, 'fargate-scheduler');
    assert.equal(p.metadata.labels!['eks.amazonaws.com/fargate-profile'], 'fp-apps');
    assert.equal(p.metadata.labels!.fargate, 'yes');
  });

  test('a pod without schedulerName (not yet defaulted) is handed over too', () => {
    assert.equal(admit(pod({ ns: 'apps', labels: { fargate: 'yes' } })).spec!.schedulerName, 'fargate-scheduler');
  });

  const untouched: { name: string; pod: Pod; operation?: AdmissionAttributes['operation'] }[] = [
    { name: 'a pod matching no profile is untouched', pod: pod({ ns: 'apps', schedulerName: 'default-scheduler' }) },
    { name: 'a pod with a scheduler of its own is left to it', pod: pod({ ns: 'apps', labels: { fargate: 'yes' }, schedulerName: 'my-scheduler' }) },
    { name: 'a pod that names its node is untouched', pod: pod({ ns: 'apps', labels: { fargate: 'yes' }, nodeName: 'ip-10-0-0-1.ec2.internal' }) },
    { name: 'a pod annotated eks.amazonaws.com/compute-type: ec2 (EKS CoreDNS) is untouched', pod: pod({ ns: 'apps', labels: { fargate: 'yes' }, annotations: { 'eks.amazonaws.com/compute-type': 'ec2' } }) },
    { name: 'updates are not mutated: matching happens at creation only', pod: pod({ ns: 'apps', labels: { fargate: 'yes' }, schedulerName: 'default-scheduler' }), operation: 'UPDATE' },
  ];
  for (const c of untouched) {
    test(c.name, () => {
      const before = structuredClone(c.pod);
      assert.deepEqual(admit(c.pod, c.operation), before);
    });
  }
});

describe('Fargate nodes', () => {
  test('are named fargate-ip-<ip> in ec2.internal (us-east-1) or <region>.compute.internal', () => {
    assert.equal(fargateNodeName('192.168.12.34', 'us-east-1'), 'fargate-ip-192-168-12-34.ec2.internal');
    assert.equal(fargateNodeName('10.0.8.190', 'us-east-2'), 'fargate-ip-10-0-8-190.us-east-2.compute.internal');
  });

  test('carry the Fargate label and taint, the ip- hostname, one pod and the configuration as capacity', () => {
    const s = fargateNodeSpec(pod(), profile('fp', [{ namespace: 'default' }]), { ip: '10.0.8.190', subnetId: 'subnet-1', zone: 'us-east-2c', zoneId: 'use2-az3' }, { vcpu: 0.25, memoryGiB: 0.5 }, 'us-east-2');
    assert.equal(s.labels!['eks.amazonaws.com/compute-type'], 'fargate');
    assert.equal(s.labels!['topology.k8s.aws/zone-id'], 'use2-az3');
    assert.deepEqual(s.taints, [{ key: 'eks.amazonaws.com/compute-type', value: 'fargate', effect: 'NoSchedule' }]);
    assert.equal(s.addresses.hostname, 'ip-10-0-8-190.us-east-2.compute.internal');
    assert.deepEqual(s.capacity, { cpu: '250m', memory: '512Mi', pods: '1', 'ephemeral-storage': '20Gi' });
    assert.equal(s.instanceType, undefined);
    assert.match(s.providerID!, /^aws:\/\/\/us-east-2c\/[0-9a-f]{10}-[0-9a-f]{32}\/fargate-ip-10-0-8-190\.us-east-2\.compute\.internal$/);
  });
});
