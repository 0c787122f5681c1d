import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorString, type FieldError } from '../../../apimachinery/errors.js';
import type { Clock } from '../../../sim/clock.js';
import type { Strategy } from '../strategy.js';
import {
  defaultPod,
  defaultPodTemplateSpec,
  podQOSClass,
  podStrategy,
  validatePodSpec,
  validatePodTemplateSpec,
  validatePodUpdate,
} from './pods.js';

const ctx = { clock: { now: () => Date.UTC(2025, 0, 1) } as unknown as Clock };
const msgs = (errs: FieldError[]) => errs.map(fieldErrorString);

// Pod templates from the seed documents (CronJob, Job, Deployments, StatefulSet).
const seedTemplates: Record<string, any> = {
  'postgres-backup CronJob': {
    spec: {
      containers: [
        {
          name: 'backup',
          image: 'postgres:15-alpine',
          command: ['/bin/sh', '-c', 'pg_dump -h $DB_HOST -U $DB_USER -d $DB_NAME | gzip > /backup/backup.sql.gz'],
          env: [{ name: 'DB_HOST', valueFrom: { secretKeyRef: { name: 'postgres-secret', key: 'host' } } }],
          volumeMounts: [{ name: 'backup-volume', mountPath: '/backup' }],
        },
      ],
      volumes: [{ name: 'backup-volume', persistentVolumeClaim: { claimName: 'backup-pvc' } }],
      restartPolicy: 'OnFailure',
    },
  },
  'image-scan Job': {
    spec: {
      containers: [{ name: 'trivy', image: 'aquasecurity/trivy:latest', command: ['trivy', 'image', 'nehanawork1/pms-apigateway:latest'] }],
      restartPolicy: 'Never',
    },
  },
  'cost-optimized-app Deployment': {
    spec: {
      nodeSelector: { lifecycle: 'spot' },
      containers: [
        {
          name: 'app',
          image: 'nehanawork1/pms-apigateway:latest',
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
        },
      ],
    },
  },
  'api-gateway Deployment with probes': {
    spec: {
      containers: [
        {
          name: 'api-gateway',
          image: 'api-gateway:latest',
          resources: { requests: { memory: '256Mi', cpu: '250m' }, limits: { memory: '512Mi', cpu: '500m' } },
          livenessProbe: { httpGet: { path: '/health', port: 8080 }, initialDelaySeconds: 30, periodSeconds: 10 },
          readinessProbe: { httpGet: { path: '/ready', port: 8080 }, initialDelaySeconds: 5, periodSeconds: 5 },
        },
      ],
    },
  },
  'postgres StatefulSet': {
    spec: {
      containers: [
        {
          name: 'postgres',
          image: 'postgres:15',
          env: [
            { name: 'POSTGRES_DB', value: 'app' },
            { name: 'POSTGRES_USER', valueFrom: { secretKeyRef: { name: 'postgres-secret', key: 'username' } } },
          ],
          ports: [{ containerPort: 5432 }],
          volumeMounts: [{ name: 'postgres-storage', mountPath: '/var/lib/postgresql/data' }],
        },
      ],
      // volumeClaimTemplates become volumes of the same name in each pod.
      volumes: [{ name: 'postgres-storage', persistentVolumeClaim: { claimName: 'postgres-storage-postgres-0' } }],
    },
  },
};

describe('defaultPodTemplateSpec', () => {
  test('fills in what kubectl get -o yaml shows for a Deployment template', () => {
    const tmpl = structuredClone(seedTemplates['api-gateway Deployment with probes']);
    defaultPodTemplateSpec(tmpl);
    const spec = tmpl.spec;
    assert.equal(spec.restartPolicy, 'Always');
    assert.equal(spec.dnsPolicy, 'ClusterFirst');
    assert.equal(spec.terminationGracePeriodSeconds, 30);
    assert.equal(spec.schedulerName, 'default-scheduler');
    assert.deepEqual(spec.securityContext, {});
    assert.equal(spec.enableServiceLinks, undefined, 'enableServiceLinks is pod-only (SetDefaults_Pod)');
    const c = spec.containers[0];
    assert.equal(c.imagePullPolicy, 'Always');
    assert.equal(c.terminationMessagePath, '/dev/termination-log');
    assert.equal(c.terminationMessagePolicy, 'File');
    assert.deepEqual(c.livenessProbe, {
      httpGet: { path: '/health', port: 8080, scheme: 'HTTP' },
      initialDelaySeconds: 30,
      periodSeconds: 10,
      timeoutSeconds: 1,
      successThreshold: 1,
      failureThreshold: 3,
    });
    assert.equal(c.readinessProbe.periodSeconds, 5);
  });

  for (const [image, policy] of [
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['postgres:15', 'IfNotPresent'],
    ['localhost:5000/app', 'Always'],
    ['localhost:5000/app:v1', 'IfNotPresent'],
    ['nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'IfNotPresent'],
  ]) {
    test(`defaults imagePullPolicy of ${image} to ${policy}`, () => {
      const tmpl: any = { spec: { containers: [{ name: 'c', image }] } };
      defaultPodTemplateSpec(tmpl);
      assert.equal(tmpl.spec.containers[0].imagePullPolicy, policy);
    });
  }

  test('defaults ports, fieldRef apiVersion and volume modes', () => {
    const tmpl: any = {
      spec: {
        containers: [{ name: 'c', image: 'x:1', ports: [{ containerPort: 80 }], env: [{ name: 'N', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] }],
        volumes: [
          { name: 'a', configMap: { name: 'cm' } },
          { name: 'b', secret: { secretName: 's' } },
          { name: 'c' },
          { name: 'd', hostPath: { path: '/data' } },
          { name: 'e', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } },
        ],
      },
    };
    defaultPodTemplateSpec(tmpl);
    assert.equal(tmpl.spec.containers[0].ports[0].protocol, 'TCP');
    assert.equal(tmpl.spec.containers[0].env[0].valueFrom.fieldRef.apiVersion, 'v1');
    assert.equal(tmpl.spec.volumes[0].configMap.defaultMode, 420);
    assert.equal(tmpl.spec.volumes[1].secret.defaultMode, 420);
    assert.deepEqual(tmpl.spec.volumes[2].emptyDir, {});
    assert.equal(tmpl.spec.volumes[3].hostPath.type, '');
    assert.equal(tmpl.spec.volumes[4].projected.defaultMode, 420);
    assert.equal(tmpl.spec.volumes[4].projected.sources[0].serviceAccountToken.expirationSeconds, 3600);
  });

  test('defaultPod adds the pod-only defaults: service links and requests from limits', () => {
    const pod: any = { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x:1', resources: { limits: { cpu: '1', memory: '1Gi' } } }] } };
    defaultPod(pod);
    assert.equal(pod.spec.enableServiceLinks, true);
    assert.deepEqual(pod.spec.containers[0].resources.requests, { cpu: '1', memory: '1Gi' });
  });
});

describe('validatePodTemplateSpec', () => {
  for (const [name, tmpl] of Object.entries(seedTemplates)) {
    test(`accepts the seed's ${name} template once defaulted`, () => {
      const t = structuredClone(tmpl);
      defaultPodTemplateSpec(t);
      assert.deepEqual(msgs(validatePodTemplateSpec(t, 'spec.template')), []);
    });
  }

  const base = () => ({ spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } });
  const cases: Array<[string, (t: any) => void, string[]]> = [
    ['rejects a template without containers', (t) => (t.spec.containers = []), ['spec.template.spec.containers: Required value']],
    ['rejects a container without an image', (t) => delete t.spec.containers[0].image, ['spec.template.spec.containers[0].image: Required value']],
    [
      'rejects duplicate container names',
      (t) => t.spec.containers.push({ name: 'app', image: 'x:1' }),
      ['spec.template.spec.containers[1].name: Duplicate value: "app"'],
    ],
    [
      'rejects a container name that is not a DNS-1123 label',
      (t) => (t.spec.containers[0].name = 'App_1'),
      [
        `spec.template.spec.containers[0].name: Invalid value: "App_1": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
      ],
    ],
    [
      'rejects a containerPort above 65535',
      (t) => (t.spec.containers[0].ports = [{ containerPort: 70000 }]),
      ['spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive'],
    ],
    [
      'rejects an unknown port protocol',
      (t) => (t.spec.containers[0].ports = [{ containerPort: 80, protocol: 'HTTP' }]),
      ['spec.template.spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'],
    ],
    [
      'rejects a port name longer than 15 characters',
      (t) => (t.spec.containers[0].ports = [{ containerPort: 80, name: 'a-very-long-port-name' }]),
      ['spec.template.spec.containers[0].ports[0].name: Invalid value: "a-very-long-port-name": must be no more than 15 characters'],
    ],
    [
      'rejects an unknown restartPolicy with the supported list',
      (t) => (t.spec.restartPolicy = 'Sometimes'),
      ['spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
    ],
    [
      'rejects an unknown dnsPolicy',
      (t) => (t.spec.dnsPolicy = 'Google'),
      ['spec.template.spec.dnsPolicy: Unsupported value: "Google": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"'],
    ],
    [
      'rejects requests above limits',
      (t) => (t.spec.containers[0].resources = { requests: { cpu: '1' }, limits: { cpu: '500m' } }),
      ['spec.template.spec.containers[0].resources.requests: Invalid value: "1": must be less than or equal to cpu limit of 500m'],
    ],
    [
      'rejects a negative memory request',
      (t) => (t.spec.containers[0].resources = { requests: { memory: '-1Gi' } }),
      ['spec.template.spec.containers[0].resources.requests[memory]: Invalid value: "-1Gi": must be greater than or equal to 0'],
    ],
    [
      'rejects a volumeMount of a volume that does not exist',
      (t) => (t.spec.containers[0].volumeMounts = [{ name: 'data', mountPath: '/data' }]),
      ['spec.template.spec.containers[0].volumeMounts[0].name: Not found: "data"'],
    ],
    [
      'rejects duplicate volume names',
      (t) => (t.spec.volumes = [{ name: 'v', emptyDir: {} }, { name: 'v', emptyDir: {} }]),
      ['spec.template.spec.volumes[1].name: Duplicate value: "v"'],
    ],
    [
      'rejects a volume with two sources',
      (t) => (t.spec.volumes = [{ name: 'v', emptyDir: {}, configMap: { name: 'c', defaultMode: 420 } }]),
      ['spec.template.spec.volumes[0].configMap: Forbidden: may not specify more than 1 volume type'],
    ],
    [
      'rejects a probe with two handlers',
      (t) => (t.spec.containers[0].readinessProbe = { exec: { command: ['true'] }, tcpSocket: { port: 80 }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 }),
      ['spec.template.spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type'],
    ],
    [
      'rejects a liveness probe whose successThreshold is not 1',
      (t) => (t.spec.containers[0].livenessProbe = { exec: { command: ['true'] }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 2, failureThreshold: 3 }),
      ['spec.template.spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1'],
    ],
    [
      'rejects an env var without a name',
      (t) => (t.spec.containers[0].env = [{ value: 'x' }]),
      ['spec.template.spec.containers[0].env[0].name: Required value'],
    ],
    [
      'rejects an env var name containing =',
      (t) => (t.spec.containers[0].env = [{ name: 'A=B', value: 'x' }]),
      [`spec.template.spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='`],
    ],
    [
      'rejects a nodeSelector value that is not a label value',
      (t) => (t.spec.nodeSelector = { zone: 'us east' }),
      [
        `spec.template.spec.nodeSelector: Invalid value: "us east": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
      ],
    ],
    [
      'rejects a toleration with an empty key and operator Equal',
      (t) => (t.spec.tolerations = [{ operator: 'Equal', value: 'x', effect: 'NoSchedule' }]),
      ['spec.template.spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"'],
    ],
    [
      'rejects an unknown toleration effect',
      (t) => (t.spec.tolerations = [{ key: 'spot', operator: 'Exists', effect: 'NoRun' }]),
      ['spec.template.spec.tolerations[0].effect: Unsupported value: "NoRun": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"'],
    ],
    [
      'rejects a topology spread constraint with maxSkew 0 and no topologyKey',
      (t) => (t.spec.topologySpreadConstraints = [{ maxSkew: 0, topologyKey: '', whenUnsatisfiable: 'DoNotSchedule' }]),
      [
        'spec.template.spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero',
        'spec.template.spec.topologySpreadConstraints[0].topologyKey: Required value: can not be empty',
      ],
    ],
    [
      'rejects an unknown whenUnsatisfiable',
      (t) => (t.spec.topologySpreadConstraints = [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'Never' }]),
      ['spec.template.spec.topologySpreadConstraints[0].whenUnsatisfiable: Unsupported value: "Never": supported values: "DoNotSchedule", "ScheduleAnyway"'],
    ],
    [
      'rejects a serviceAccountName that is not a DNS subdomain',
      (t) => (t.spec.serviceAccountName = 'My_SA'),
      [
        `spec.template.spec.serviceAccountName: Invalid value: "My_SA": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      ],
    ],
    [
      'rejects a node affinity without terms',
      (t) => (t.spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } }),
      ['spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term'],
    ],
    [
      'rejects a pod anti-affinity term without a topologyKey',
      (t) =>
        (t.spec.affinity = {
          podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { app: 'x' } } } }] },
        }),
      [
        'spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey: Required value: can not be empty',
        'spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey: Invalid value: "": name part must be non-empty',
        `spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey: Invalid value: "": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
      ],
    ],
    [
      'rejects a runAsUser outside the uid range',
      (t) => (t.spec.securityContext = { runAsUser: -1 }),
      ['spec.template.spec.securityContext.runAsUser: Invalid value: -1: must be between 0 and 4294967295, inclusive'],
    ],
  ];
  for (const [name, mutate, expected] of cases) {
    test(name, () => {
      const t = base();
      mutate(t);
      defaultPodTemplateSpec(t);
      assert.deepEqual(msgs(validatePodTemplateSpec(t, 'spec.template')), expected);
    });
  }

  test('reports a missing terminationGracePeriodSeconds on an undefaulted spec', () => {
    const errs = msgs(validatePodSpec({ containers: [{ name: 'a', image: 'b', terminationMessagePolicy: 'File', imagePullPolicy: 'Always' }], restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' }, 'spec'));
    assert.deepEqual(errs, ['spec.terminationGracePeriodSeconds: Required value']);
  });
});

describe('podStrategy', () => {
  const strategy: Strategy<any> = podStrategy;
  const newPod = (resources?: any): any => {
    const pod: any = { metadata: { name: 'web', namespace: 'default' }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', ...(resources ? { resources } : {}) }] } };
    strategy.defaults!(pod);
    strategy.prepareForCreate!(pod, ctx);
    return pod;
  };

  test('starts a pod Pending with its QoS class', () => {
    assert.deepEqual(newPod().status, { phase: 'Pending', qosClass: 'BestEffort' });
  });

  const qosCases: Array<[string, any, string]> = [
    ['is BestEffort without requests or limits', undefined, 'BestEffort'],
    ['is Burstable with requests below limits', { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } }, 'Burstable'],
    ['is Burstable with only a memory limit', { limits: { memory: '512Mi' } }, 'Burstable'],
    ['is Guaranteed with cpu and memory limits only (requests default to them)', { limits: { cpu: '1', memory: '1Gi' } }, 'Guaranteed'],
    ['is Guaranteed when requests equal limits in other units', { requests: { cpu: '1000m', memory: '1024Mi' }, limits: { cpu: '1', memory: '1Gi' } }, 'Guaranteed'],
  ];
  for (const [name, resources, qos] of qosCases) {
    test(`QoS ${name}`, () => assert.equal(podQOSClass(newPod(resources)), qos));
  }

  test('accepts a valid new pod', () => {
    assert.deepEqual(msgs(strategy.validate!(newPod(), ctx)), []);
  });

  test('rejects ephemeral containers on create', () => {
    const pod = newPod();
    pod.spec.ephemeralContainers = [{ name: 'debug', image: 'busybox', terminationMessagePolicy: 'File', imagePullPolicy: 'Always' }];
    assert.deepEqual(msgs(strategy.validate!(pod, ctx)), ['spec.ephemeralContainers: Forbidden: cannot be set on create']);
  });

  test('allows changing a container image', () => {
    const old = newPod();
    const pod = structuredClone(old);
    pod.spec.containers[0].image = 'nginx:1.28';
    assert.deepEqual(msgs(validatePodUpdate(pod, old)), []);
  });

  test('allows adding a toleration but not changing one', () => {
    const old = newPod();
    old.spec.tolerations = [{ key: 'a', operator: 'Exists' }];
    const added = structuredClone(old);
    added.spec.tolerations.push({ key: 'b', operator: 'Exists' });
    assert.deepEqual(msgs(validatePodUpdate(added, old)), []);
    const changed = structuredClone(old);
    changed.spec.tolerations = [{ key: 'c', operator: 'Exists' }];
    assert.deepEqual(msgs(validatePodUpdate(changed, old)), ['spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds']);
  });

  test('rejects any other spec change with the upstream message', () => {
    const old = newPod();
    const pod = structuredClone(old);
    pod.spec.restartPolicy = 'Never';
    const errs = msgs(validatePodUpdate(pod, old));
    assert.equal(errs.length, 1);
    assert.ok(
      errs[0].startsWith(
        'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n',
      ),
      errs[0],
    );
  });

  test('rejects adding a container', () => {
    const old = newPod();
    const pod = structuredClone(old);
    pod.spec.containers.push({ ...pod.spec.containers[0], name: 'sidecar' });
    assert.deepEqual(msgs(validatePodUpdate(pod, old)), ['spec.containers: Forbidden: pod updates may not add or remove containers']);
  });

  test('rejects raising activeDeadlineSeconds', () => {
    const old = newPod();
    old.spec.activeDeadlineSeconds = 10;
    const pod = structuredClone(old);
    pod.spec.activeDeadlineSeconds = 20;
    assert.deepEqual(msgs(validatePodUpdate(pod, old)), ['spec.activeDeadlineSeconds: Invalid value: 20: must be less than or equal to previous value']);
  });

  test('exposes the pod field selectors', () => {
    const pod = newPod();
    pod.spec.nodeName = 'node-1';
    pod.status.podIPs = [{ ip: '10.0.0.5' }];
    assert.deepEqual(strategy.selectableFields!(pod), {
      'spec.nodeName': 'node-1',
      'spec.restartPolicy': 'Always',
      'spec.schedulerName': 'default-scheduler',
      'spec.serviceAccountName': '',
      'spec.hostNetwork': 'false',
      'status.phase': 'Pending',
      'status.podIP': '10.0.0.5',
      'status.nominatedNodeName': '',
    });
  });
});
