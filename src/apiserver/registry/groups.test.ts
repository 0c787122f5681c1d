// Every built-in-kind YAML document of the seeds, through the strategies as the generic store drives
// them on create (defaults → system metadata → prepareForCreate → validate): the ones a 1.32 cluster
// accepts must produce no error; the ones it rejects must fail with its exact messages.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import type { KubeObject } from '../../api/types.js';
import { fieldErrorString } from '../../apimachinery/errors.js';
import { RealClock } from '../../sim/clock.js';
import { groupStrategies } from './groups.js';
import type { Strategy } from './strategy.js';

const ctx = { clock: new RealClock() };

/** Which strategy serves a kind, as the resource table would route it. */
const STRATEGY_OF_KIND: Record<string, string> = {
  Deployment: 'apps/deployments',
  StatefulSet: 'apps/statefulsets',
  Job: 'batch/jobs',
  CronJob: 'batch/cronjobs',
  HorizontalPodAutoscaler: 'autoscaling/horizontalpodautoscalers',
  NetworkPolicy: 'networking.k8s.io/networkpolicies',
  StorageClass: 'storage.k8s.io/storageclasses',
  Role: 'rbac.authorization.k8s.io/roles',
  ClusterRole: 'rbac.authorization.k8s.io/clusterroles',
  RoleBinding: 'rbac.authorization.k8s.io/rolebindings',
  ClusterRoleBinding: 'rbac.authorization.k8s.io/clusterrolebindings',
};

/** Runs a create through a strategy in the generic store's order and returns the error strings. */
function createErrors(strategy: Strategy<any>, obj: KubeObject): string[] {
  strategy.defaults?.(obj);
  obj.metadata.uid = '3f1c2a44-0000-4000-8000-000000000001';
  obj.metadata.creationTimestamp = '2025-01-01T00:00:00Z';
  if (strategy.tracksGeneration) obj.metadata.generation = 1;
  strategy.prepareForCreate?.(obj, ctx);
  return (strategy.validate?.(obj, ctx) ?? []).map(fieldErrorString);
}

const SEEDS: { seed: string; yaml: string }[] = [
  {
    seed: '000_c7f81e551560499b.txt',
    yaml: `
# Deny all traffic by default
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-all
  namespace: pms-prod
spec:
  podSelector: {}
  policyTypes:
  - Ingress
  - Egress
`,
  },
  {
    seed: '000_c7f81e551560499b.txt',
    yaml: `
# Allow intra-namespace traffic
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-intra-namespace
  namespace: pms-prod
spec:
  podSelector: {}
  policyTypes:
  - Ingress
  - Egress
  ingress:
  - from:
    - podSelector: {}
  egress:
  - to:
    - podSelector: {}
`,
  },
  {
    seed: '000_c7f81e551560499b.txt',
    yaml: `
# Allow API Gateway to access all services
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-apigateway
  namespace: pms-prod
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: apigateway
  policyTypes:
  - Egress
  egress:
  - to:
    - podSelector:
        matchLabels:
          app.kubernetes.io/name: portfolio
    ports:
    - protocol: TCP
      port: 8095
  - to:
    - podSelector:
        matchLabels:
          app.kubernetes.io/name: simulation
    ports:
    - protocol: TCP
      port: 8090
  # Add other service rules...
`,
  },
  {
    seed: '000_c7f81e551560499b.txt',
    yaml: `
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: gp3
provisioner: ebs.csi.aws.com
parameters:
  type: gp3
  iops: "3000"
  throughput: "125"
reclaimPolicy: Retain
allowVolumeExpansion: true
`,
  },
  {
    seed: '000_c7f81e551560499b.txt',
    yaml: `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: apigateway-role
rules:
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch"]
`,
  },
  {
    seed: '000_c7f81e551560499b.txt',
    yaml: `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: cluster-admin-binding
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
- kind: User
  name: admin@pms-platform.com
  apiGroup: rbac.authorization.k8s.io
`,
  },
  {
    seed: '000_c7f81e551560499b.txt',
    yaml: `
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: developer
  namespace: pms-dev
rules:
- apiGroups: ["", "apps", "batch"]
  resources: ["pods", "deployments", "jobs", "configmaps"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
`,
  },
  {
    seed: '000_c7f81e551560499b.txt',
    yaml: `
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: apigateway-hpa
  namespace: pms-prod
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: apigateway
  minReplicas: 3
  maxReplicas: 10
  metrics:
  - type: Resource
    resource:
      name: cpu
      target:
        type: Utilization
        averageUtilization: 70
  - type: Resource
    resource:
      name: memory
      target:
        type: Utilization
        averageUtilization: 80
`,
  },
  {
    seed: '000_c7f81e551560499b.txt',
    yaml: `
apiVersion: batch/v1
kind: CronJob
metadata:
  name: postgres-backup
  namespace: pms-prod
spec:
  schedule: "0 2 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: backup
            image: postgres:15-alpine
            command:
            - /bin/sh
            - -c
            - pg_dump -h $DB_HOST -U $DB_USER -d $DB_NAME | gzip > /backup/backup-$(date +%Y%m%d-%H%M%S).sql.gz
            env:
            - name: DB_HOST
              valueFrom:
                secretKeyRef:
                  name: postgres-secret
                  key: host
            # ... other env vars
            volumeMounts:
            - name: backup-volume
              mountPath: /backup
          volumes:
          - name: backup-volume
            persistentVolumeClaim:
              claimName: backup-pvc
          restartPolicy: OnFailure
`,
  },
  {
    seed: '000_c7f81e551560499b.txt',
    yaml: `
# Using Trivy
apiVersion: batch/v1
kind: Job
metadata:
  name: image-scan
spec:
  template:
    spec:
      containers:
      - name: trivy
        image: aquasecurity/trivy:latest
        command: ["trivy", "image", "nehanawork1/pms-apigateway:latest"]
      restartPolicy: Never
`,
  },
  {
    seed: '000_c7f81e551560499b.txt',
    yaml: `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: cost-optimized-app
spec:
  replicas: 3
  template:
    spec:
      nodeSelector:
        lifecycle: spot
      containers:
      - name: app
        image: nehanawork1/pms-apigateway:latest
        resources:
          requests:
            cpu: 100m
            memory: 128Mi
          limits:
            cpu: 500m
            memory: 512Mi
`,
  },
  {
    seed: '001_2f811225d3fb1699.txt',
    yaml: `
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: api-server
  namespace: production
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: api-server
  minReplicas: 3
  maxReplicas: 50
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: 70
    - type: Resource
      resource:
        name: memory
        target:
          type: Utilization
          averageUtilization: 80
    - type: Pods
      pods:
        metric:
          name: http_requests_per_second
        target:
          type: AverageValue
          averageValue: "1000"
  behavior:
    scaleDown:
      stabilizationWindowSeconds: 300
      policies:
        - type: Percent
          value: 10
          periodSeconds: 60
    scaleUp:
      stabilizationWindowSeconds: 0
      policies:
        - type: Percent
          value: 100
          periodSeconds: 15
`,
  },
  {
    seed: '001_2f811225d3fb1699.txt',
    yaml: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-all
  namespace: production
spec:
  podSelector: {}
  policyTypes:
    - Ingress
    - Egress
`,
  },
  {
    seed: '001_2f811225d3fb1699.txt',
    yaml: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-api-ingress
  namespace: production
spec:
  podSelector:
    matchLabels:
      app: api-server
  policyTypes:
    - Ingress
  ingress:
    - from:
        - namespaceSelector:
            matchLabels:
              name: ingress-nginx
      ports:
        - protocol: TCP
          port: 8080
`,
  },
  {
    seed: '002_d823ebab48b48889.txt',
    yaml: `
# Default deny all ingress/egress
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-all
  namespace: default
spec:
  podSelector: {}
  policyTypes:
  - Ingress
  - Egress
`,
  },
  {
    seed: '002_d823ebab48b48889.txt',
    yaml: `
# Allow specific service communication
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: api-gateway-to-services
  namespace: default
spec:
  podSelector:
    matchLabels:
      app: api-gateway
  policyTypes:
  - Egress
  egress:
  - to:
    - podSelector:
        matchLabels:
          app: identity-service
    ports:
    - protocol: TCP
      port: 8080
`,
  },
  {
    seed: '002_d823ebab48b48889.txt',
    yaml: `
# Role with minimal permissions
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  namespace: default
  name: app-role
rules:
- apiGroups: [""]
  resources: ["configmaps", "secrets"]
  verbs: ["get", "list"]
`,
  },
  {
    seed: '002_d823ebab48b48889.txt',
    yaml: `
# Bind role to service account
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: app-role-binding
  namespace: default
subjects:
- kind: ServiceAccount
  name: app-service-account
  namespace: default
roleRef:
  kind: Role
  name: app-role
  apiGroup: rbac.authorization.k8s.io
`,
  },
  {
    seed: '002_d823ebab48b48889.txt',
    yaml: `
# Example deployment with resource management
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api-gateway
spec:
  replicas: 3
  template:
    spec:
      containers:
      - name: api-gateway
        image: api-gateway:latest
        resources:
          requests:
            memory: "256Mi"
            cpu: "250m"
          limits:
            memory: "512Mi"
            cpu: "500m"
        livenessProbe:
          httpGet:
            path: /health
            port: 8080
          initialDelaySeconds: 30
          periodSeconds: 10
        readinessProbe:
          httpGet:
            path: /ready
            port: 8080
          initialDelaySeconds: 5
          periodSeconds: 5
`,
  },
  {
    seed: '002_d823ebab48b48889.txt',
    yaml: `
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: api-gateway-hpa
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: api-gateway
  minReplicas: 3
  maxReplicas: 50
  metrics:
  - type: Resource
    resource:
      name: cpu
      target:
        type: Utilization
        averageUtilization: 70
  - type: Resource
    resource:
      name: memory
      target:
        type: Utilization
        averageUtilization: 80
`,
  },
  {
    seed: '002_d823ebab48b48889.txt',
    yaml: `
# Storage class for high-performance SSD
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: fast-ssd
provisioner: ebs.csi.aws.com
parameters:
  type: gp3
  iops: "3000"
  throughput: "125"
  encrypted: "true"
volumeBindingMode: WaitForFirstConsumer
allowVolumeExpansion: true
`,
  },
  {
    seed: '002_d823ebab48b48889.txt',
    yaml: `
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: postgres
spec:
  serviceName: postgres-headless
  replicas: 3
  template:
    spec:
      containers:
      - name: postgres
        image: postgres:15
        env:
        - name: POSTGRES_DB
          value: "app"
        - name: POSTGRES_USER
          valueFrom:
            secretKeyRef:
              name: postgres-secret
              key: username
        - name: POSTGRES_PASSWORD
          valueFrom:
            secretKeyRef:
              name: postgres-secret
              key: password
        ports:
        - containerPort: 5432
        volumeMounts:
        - name: postgres-storage
          mountPath: /var/lib/postgresql/data
  volumeClaimTemplates:
  - metadata:
      name: postgres-storage
    spec:
      accessModes: ["ReadWriteOnce"]
      storageClassName: fast-ssd
      resources:
        requests:
          storage: 100Gi
`,
  },
  {
    seed: '002_d823ebab48b48889.txt',
    yaml: `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api-gateway
spec:
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 25%
  template:
    spec:
      containers:
      - name: api-gateway
        image: api-gateway:v2.0.0
`,
  },
];

/**
 * Seed documents a real cluster rejects: apps/v1 requires a selector that matches the template's
 * labels, and these examples (abridged in their documents) have neither.
 */
const REJECTED: Record<string, string[]> = {
  'Deployment/cost-optimized-app': [
    'spec.selector: Required value',
    'spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template `labels`',
  ],
  'Deployment/api-gateway': [
    'spec.selector: Required value',
    'spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template `labels`',
  ],
  'StatefulSet/postgres': [
    'spec.selector: Required value',
    'spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template `labels`',
  ],
};

describe('seed documents', () => {
  for (const { seed, yaml } of SEEDS) {
    const obj = parse(yaml) as KubeObject;
    const id = `${obj.kind}/${obj.metadata.name}`;
    const expected = REJECTED[id] ?? [];
    test(`${seed} ${id} ${expected.length ? 'is rejected as upstream rejects it' : 'defaults and validates cleanly'}`, () => {
      const strategy = groupStrategies[STRATEGY_OF_KIND[obj.kind!]];
      assert.ok(strategy, `no strategy for ${obj.kind}`);
      assert.deepEqual(createErrors(strategy, obj), expected);
    });
  }

  test('the seed deployments validate once given a selector matching their template', () => {
    for (const { yaml } of SEEDS) {
      const obj = parse(yaml) as KubeObject;
      if (obj.kind !== 'Deployment' && obj.kind !== 'StatefulSet') continue;
      const spec = obj.spec as any;
      spec.selector = { matchLabels: { app: obj.metadata.name } };
      spec.template.metadata = { labels: { app: obj.metadata.name } };
      assert.deepEqual(createErrors(groupStrategies[STRATEGY_OF_KIND[obj.kind]], obj), [], obj.metadata.name);
    }
  });

  test('every strategy key names a group and a plural resource', () => {
    for (const key of Object.keys(groupStrategies)) assert.match(key, /^[a-z0-9.]+\/[a-z]+$/);
  });
});
