// Realistic manifests for the protobuf codec tests: the built-in kinds from the seed documents
// (../shared/seeds, copied verbatim, each after a "# from" line naming its file), then objects for the
// served kinds the seeds do not show, written the way the API server returns them (server-set
// metadata, status, managed fields), so every wire type and Go JSON rule is exercised.

/** Built-in kinds from the seed documents. */
export const SEED_MANIFESTS = `
# from 000_c7f81e551560499b.txt
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
---
# from 000_c7f81e551560499b.txt
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
---
# from 000_c7f81e551560499b.txt
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
---
# from 000_c7f81e551560499b.txt
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: postgres-data
  namespace: pms-prod
spec:
  accessModes:
    - ReadWriteOnce
  storageClassName: gp3
  resources:
    requests:
      storage: 100Gi
---
# from 000_c7f81e551560499b.txt
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
---
# from 000_c7f81e551560499b.txt
apiVersion: v1
kind: PersistentVolume
metadata:
  name: efs-pv
spec:
  capacity:
    storage: 100Gi
  volumeMode: Filesystem
  accessModes:
    - ReadWriteMany
  storageClassName: efs-sc
  csi:
    driver: efs.csi.aws.com
    volumeHandle: fs-12345678
---
# from 000_c7f81e551560499b.txt
apiVersion: v1
kind: ServiceAccount
metadata:
  name: apigateway-sa
  namespace: pms-prod
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/pms-apigateway-role
---
# from 000_c7f81e551560499b.txt
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: apigateway-role
rules:
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch"]
---
# from 000_c7f81e551560499b.txt
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
---
# from 000_c7f81e551560499b.txt
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: developer
  namespace: pms-dev
rules:
- apiGroups: ["", "apps", "batch"]
  resources: ["pods", "deployments", "jobs", "configmaps"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
---
# from 000_c7f81e551560499b.txt
apiVersion: v1
kind: ConfigMap
metadata:
  name: cluster-info
  namespace: amazon-cloudwatch
data:
  cluster.name: pms-prod
  logs.region: us-east-1
  http.server: "on"
  http.port: "2020"
---
# from 000_c7f81e551560499b.txt
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
---
# from 000_c7f81e551560499b.txt
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
---
# from 000_c7f81e551560499b.txt
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
---
# from 000_c7f81e551560499b.txt
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
---
# from 001_2f811225d3fb1699.txt
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
---
# from 001_2f811225d3fb1699.txt
apiVersion: v1
kind: Namespace
metadata:
  name: production
  labels:
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/audit: restricted
    pod-security.kubernetes.io/warn: restricted
---
# from 001_2f811225d3fb1699.txt
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
---
# from 001_2f811225d3fb1699.txt
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
---
# from 001_2f811225d3fb1699.txt
apiVersion: v1
kind: ResourceQuota
metadata:
  name: team-quota
  namespace: team-a
spec:
  hard:
    requests.cpu: "20"
    requests.memory: 40Gi
    limits.cpu: "40"
    limits.memory: 80Gi
    persistentvolumeclaims: "10"
---
# from 002_d823ebab48b48889.txt
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
---
# from 002_d823ebab48b48889.txt
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
---
# from 002_d823ebab48b48889.txt
# Service account for applications
apiVersion: v1
kind: ServiceAccount
metadata:
  name: app-service-account
  namespace: default
---
# from 002_d823ebab48b48889.txt
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
---
# from 002_d823ebab48b48889.txt
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
---
# from 002_d823ebab48b48889.txt
# Enforce restricted security standards
apiVersion: v1
kind: Namespace
metadata:
  name: production
  labels:
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/audit: restricted
    pod-security.kubernetes.io/warn: restricted
---
# from 002_d823ebab48b48889.txt
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
---
# from 002_d823ebab48b48889.txt
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
---
# from 002_d823ebab48b48889.txt
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
---
# the EBS CSI add-on's driver, with every spec field set
apiVersion: storage.k8s.io/v1
kind: CSIDriver
metadata:
  name: ebs.csi.aws.com
  labels:
    app.kubernetes.io/name: aws-ebs-csi-driver
spec:
  attachRequired: true
  podInfoOnMount: false
  volumeLifecycleModes: [Persistent, Ephemeral]
  storageCapacity: false
  fsGroupPolicy: File
  tokenRequests:
  - audience: sts.amazonaws.com
    expirationSeconds: 3600
  - audience: ""
  requiresRepublish: false
  seLinuxMount: true
---
# from 002_d823ebab48b48889.txt
# Persistent Volume Claim
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: postgres-pvc
spec:
  accessModes:
    - ReadWriteOnce
  storageClassName: fast-ssd
  resources:
    requests:
      storage: 100Gi
---
# from 002_d823ebab48b48889.txt
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
---
# from 002_d823ebab48b48889.txt
apiVersion: v1
kind: ConfigMap
metadata:
  name: prometheus-config
data:
  prometheus.yml: |
    global:
      scrape_interval: 15s
      evaluation_interval: 15s
    
    scrape_configs:
    - job_name: 'kubernetes-pods'
      kubernetes_sd_configs:
      - role: pod
      relabel_configs:
      - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scrape]
        action: keep
        regex: true
      - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_path]
        action: replace
        target_label: __metrics_path__
        regex: (.+)
---
# from 002_d823ebab48b48889.txt
apiVersion: v1
kind: ConfigMap
metadata:
  name: grafana-dashboards
data:
  kubernetes-cluster.json: |
    {
      "dashboard": {
        "title": "Kubernetes Cluster Overview",
        "panels": [
          {
            "title": "Node CPU Usage",
            "type": "graph",
            "targets": [
              {
                "expr": "100 - (avg by (instance) (rate(node_cpu_seconds_total{mode=\\"idle\\"}[5m])) * 100)"
              }
            ]
          }
        ]
      }
    }
---
# from 002_d823ebab48b48889.txt
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
---
# from 002_d823ebab48b48889.txt
# Kubecost configuration
apiVersion: v1
kind: ConfigMap
metadata:
  name: kubecost-cost-model
data:
  kubecost-cost-model.yaml: |
    prometheus:
      enabled: true
    remoteWrite:
      enabled: true
    costModel:
      enabled: true
      pricing:
        provider: "aws"
        region: "us-east-1"
`;

/** Served kinds the seeds do not show, as the API server would hold them. */
export const EXTRA_MANIFESTS = `
apiVersion: v1
kind: Pod
metadata:
  name: api-7d9f8b6c5d-x2x4k
  generateName: api-7d9f8b6c5d-
  namespace: production
  uid: 6f1c2f0e-2b8a-4c55-9d8e-0a7c3b1e5f10
  resourceVersion: "48213"
  creationTimestamp: "2026-01-01T00:00:00Z"
  labels:
    app: api
    pod-template-hash: 7d9f8b6c5d
  annotations:
    kubectl.kubernetes.io/restartedAt: "2026-01-01T00:00:00Z"
  ownerReferences:
  - apiVersion: apps/v1
    kind: ReplicaSet
    name: api-7d9f8b6c5d
    uid: 0b6b7c1a-9f0e-4e5f-8f1c-2d3e4f5a6b7c
    controller: true
    blockOwnerDeletion: true
  managedFields:
  - manager: kube-controller-manager
    operation: Update
    apiVersion: v1
    time: "2026-01-01T00:00:00Z"
    fieldsType: FieldsV1
    fieldsV1:
      f:metadata:
        f:labels:
          .: {}
          f:app: {}
spec:
  serviceAccountName: app-service-account
  serviceAccount: app-service-account
  nodeName: ip-10-0-1-23.ec2.internal
  nodeSelector:
    node.kubernetes.io/lifecycle: spot
  priority: 0
  enableServiceLinks: true
  terminationGracePeriodSeconds: 30
  dnsPolicy: ClusterFirst
  restartPolicy: Always
  schedulerName: default-scheduler
  preemptionPolicy: PreemptLowerPriority
  securityContext:
    runAsNonRoot: true
    runAsUser: 1000
    fsGroup: 2000
    seccompProfile:
      type: RuntimeDefault
  tolerations:
  - key: spot
    operator: Equal
    value: "true"
    effect: NoSchedule
  - key: node.kubernetes.io/not-ready
    operator: Exists
    effect: NoExecute
    tolerationSeconds: 300
  affinity:
    podAntiAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 100
        podAffinityTerm:
          topologyKey: topology.kubernetes.io/zone
          labelSelector:
            matchExpressions:
            - key: app
              operator: In
              values: [api]
  topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: topology.kubernetes.io/zone
    whenUnsatisfiable: ScheduleAnyway
    labelSelector:
      matchLabels:
        app: api
  initContainers:
  - name: migrate
    image: api:1.4.2
    command: [/app/migrate]
    resources: {}
    terminationMessagePath: /dev/termination-log
    terminationMessagePolicy: File
    imagePullPolicy: IfNotPresent
  containers:
  - name: api
    image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1.4.2
    args: [--port=8080]
    ports:
    - name: http
      containerPort: 8080
      protocol: TCP
    env:
    - name: DB_PASSWORD
      valueFrom:
        secretKeyRef:
          name: db-credentials
          key: password
    - name: POD_IP
      valueFrom:
        fieldRef:
          apiVersion: v1
          fieldPath: status.podIP
    - name: MEMORY_LIMIT
      valueFrom:
        resourceFieldRef:
          containerName: api
          resource: limits.memory
          divisor: 1Mi
    envFrom:
    - configMapRef:
        name: api-config
    resources:
      requests:
        cpu: 250m
        memory: 256Mi
      limits:
        cpu: "1"
        memory: 512Mi
    livenessProbe:
      httpGet:
        path: /healthz
        port: http
        scheme: HTTP
      initialDelaySeconds: 10
      timeoutSeconds: 1
      periodSeconds: 10
      successThreshold: 1
      failureThreshold: 3
    readinessProbe:
      tcpSocket:
        port: 8080
      timeoutSeconds: 1
      periodSeconds: 5
      successThreshold: 1
      failureThreshold: 3
    lifecycle:
      preStop:
        exec:
          command: [sh, -c, sleep 5]
    volumeMounts:
    - name: config
      mountPath: /etc/api
      readOnly: true
    - name: kube-api-access-abcde
      mountPath: /var/run/secrets/kubernetes.io/serviceaccount
      readOnly: true
    securityContext:
      allowPrivilegeEscalation: false
      readOnlyRootFilesystem: true
      capabilities:
        drop: [ALL]
    terminationMessagePath: /dev/termination-log
    terminationMessagePolicy: File
    imagePullPolicy: IfNotPresent
  volumes:
  - name: config
    configMap:
      name: api-config
      defaultMode: 420
      items:
      - key: app.yaml
        path: app.yaml
  - name: data
    emptyDir:
      sizeLimit: 1Gi
  - name: kube-api-access-abcde
    projected:
      defaultMode: 420
      sources:
      - serviceAccountToken:
          expirationSeconds: 3607
          path: token
      - configMap:
          name: kube-root-ca.crt
          items:
          - key: ca.crt
            path: ca.crt
      - downwardAPI:
          items:
          - path: namespace
            fieldRef:
              apiVersion: v1
              fieldPath: metadata.namespace
status:
  phase: Running
  qosClass: Burstable
  hostIP: 10.0.1.23
  hostIPs:
  - ip: 10.0.1.23
  podIP: 10.0.1.57
  podIPs:
  - ip: 10.0.1.57
  startTime: "2026-01-01T00:00:01Z"
  conditions:
  - type: Ready
    status: "True"
    lastProbeTime: null
    lastTransitionTime: "2026-01-01T00:00:09Z"
  containerStatuses:
  - name: api
    ready: true
    started: true
    restartCount: 2
    image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1.4.2
    imageID: 123456789012.dkr.ecr.us-east-1.amazonaws.com/api@sha256:0f1e2d3c
    containerID: containerd://abc123
    state:
      running:
        startedAt: "2026-01-01T00:00:05Z"
    lastState:
      terminated:
        exitCode: 137
        reason: OOMKilled
        startedAt: "2026-01-01T00:00:02Z"
        finishedAt: "2026-01-01T00:00:04Z"
        containerID: containerd://abc122
---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: production
  labels:
    app: api
  annotations:
    service.beta.kubernetes.io/aws-load-balancer-type: nlb
spec:
  type: LoadBalancer
  selector:
    app: api
  ports:
  - name: http
    protocol: TCP
    port: 80
    targetPort: http
    nodePort: 31080
  - name: metrics
    protocol: TCP
    port: 9090
    targetPort: 9090
    nodePort: 31090
  clusterIP: 172.20.14.7
  clusterIPs: [172.20.14.7]
  ipFamilies: [IPv4]
  ipFamilyPolicy: SingleStack
  sessionAffinity: None
  externalTrafficPolicy: Cluster
  internalTrafficPolicy: Cluster
  allocateLoadBalancerNodePorts: true
status:
  loadBalancer:
    ingress:
    - hostname: a1b2c3-123456.elb.us-east-1.amazonaws.com
---
apiVersion: v1
kind: Secret
metadata:
  name: db-credentials
  namespace: production
type: Opaque
data:
  username: YXBw
  password: czNjcjN0IQ==
  empty: ""
immutable: false
---
apiVersion: v1
kind: Endpoints
metadata:
  name: api
  namespace: production
subsets:
- addresses:
  - ip: 10.0.1.57
    nodeName: ip-10-0-1-23.ec2.internal
    targetRef:
      kind: Pod
      namespace: production
      name: api-7d9f8b6c5d-x2x4k
      uid: 6f1c2f0e-2b8a-4c55-9d8e-0a7c3b1e5f10
  notReadyAddresses:
  - ip: 10.0.2.11
  ports:
  - name: http
    port: 8080
    protocol: TCP
---
apiVersion: v1
kind: Event
metadata:
  name: api-7d9f8b6c5d-x2x4k.17a1b2c3d4e5f6a7
  namespace: production
involvedObject:
  kind: Pod
  namespace: production
  name: api-7d9f8b6c5d-x2x4k
  uid: 6f1c2f0e-2b8a-4c55-9d8e-0a7c3b1e5f10
  apiVersion: v1
  resourceVersion: "48200"
  fieldPath: spec.containers{api}
reason: Pulled
message: Container image "api:1.4.2" already present on machine
source:
  component: kubelet
  host: ip-10-0-1-23.ec2.internal
firstTimestamp: "2026-01-01T00:00:04Z"
lastTimestamp: "2026-01-01T00:00:04Z"
count: 1
type: Normal
eventTime: null
reportingComponent: kubelet
reportingInstance: ip-10-0-1-23.ec2.internal
---
apiVersion: v1
kind: LimitRange
metadata:
  name: defaults
  namespace: production
spec:
  limits:
  - type: Container
    default:
      cpu: 500m
      memory: 512Mi
    defaultRequest:
      cpu: 100m
      memory: 128Mi
    max:
      cpu: "2"
---
apiVersion: v1
kind: Node
metadata:
  name: ip-10-0-1-23.ec2.internal
  labels:
    kubernetes.io/hostname: ip-10-0-1-23.ec2.internal
    node.kubernetes.io/instance-type: m5.large
    topology.kubernetes.io/zone: us-east-1a
    eks.amazonaws.com/nodegroup: application
spec:
  providerID: aws:///us-east-1a/i-0123456789abcdef0
  podCIDR: 10.244.1.0/24
  podCIDRs: [10.244.1.0/24]
  taints:
  - key: dedicated
    value: database
    effect: NoSchedule
status:
  capacity:
    cpu: "2"
    memory: 7910Mi
    pods: "29"
    ephemeral-storage: 20959212Ki
  allocatable:
    cpu: 1930m
    memory: 7220Mi
    pods: "29"
  conditions:
  - type: Ready
    status: "True"
    lastHeartbeatTime: "2026-01-01T00:10:00Z"
    lastTransitionTime: "2026-01-01T00:00:30Z"
    reason: KubeletReady
    message: kubelet is posting ready status
  addresses:
  - type: InternalIP
    address: 10.0.1.23
  - type: Hostname
    address: ip-10-0-1-23.ec2.internal
  daemonEndpoints:
    kubeletEndpoint:
      Port: 10250
  nodeInfo:
    machineID: ec2abc
    systemUUID: ec2abc
    bootID: 1f2e3d
    kernelVersion: 5.10.210-201.852.amzn2.x86_64
    osImage: Amazon Linux 2
    containerRuntimeVersion: containerd://1.7.11
    kubeletVersion: v1.32.0-eks-5e0fdde
    kubeProxyVersion: v1.32.0-eks-5e0fdde
    operatingSystem: linux
    architecture: amd64
  images:
  - names: [123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1.4.2]
    sizeBytes: 48213761
---
apiVersion: v1
kind: NodeProxyOptions
path: /metrics
---
apiVersion: v1
kind: PodAttachOptions
stdin: true
stdout: true
tty: true
container: api
---
apiVersion: v1
kind: PodExecOptions
stdout: true
stderr: true
container: api
command: [sh, -c, echo hi]
---
apiVersion: v1
kind: PodPortForwardOptions
ports: [8080, 9090]
---
apiVersion: v1
kind: PodProxyOptions
path: /healthz
---
apiVersion: v1
kind: ServiceProxyOptions
path: /api
---
apiVersion: v1
kind: Binding
metadata:
  name: api-7d9f8b6c5d-x2x4k
  namespace: production
target:
  kind: Node
  apiVersion: v1
  name: ip-10-0-1-23.ec2.internal
---
apiVersion: policy/v1
kind: Eviction
metadata:
  name: api-7d9f8b6c5d-x2x4k
  namespace: production
deleteOptions:
  gracePeriodSeconds: 0
  propagationPolicy: Background
---
apiVersion: authentication.k8s.io/v1
kind: TokenRequest
metadata:
  name: app-service-account
  namespace: production
spec:
  audiences: [https://kubernetes.default.svc]
  expirationSeconds: 3600
  boundObjectRef:
    kind: Pod
    apiVersion: v1
    name: api-7d9f8b6c5d-x2x4k
    uid: 6f1c2f0e-2b8a-4c55-9d8e-0a7c3b1e5f10
status:
  token: eyJhbGciOiJSUzI1NiJ9.e30.c2ln
  expirationTimestamp: "2026-01-01T01:00:00Z"
---
apiVersion: apps/v1
kind: ControllerRevision
metadata:
  name: postgres-5b8d7c9f4
  namespace: production
revision: 3
data:
  spec:
    template:
      $patch: replace
      metadata:
        labels:
          app: postgres
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-exporter
  namespace: monitoring
  generation: 1
spec:
  selector:
    matchLabels:
      app: node-exporter
  template:
    metadata:
      labels:
        app: node-exporter
    spec:
      hostNetwork: true
      hostPID: true
      containers:
      - name: node-exporter
        image: quay.io/prometheus/node-exporter:v1.8.0
        ports:
        - containerPort: 9100
          hostPort: 9100
  updateStrategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 1
      maxSurge: 0
  revisionHistoryLimit: 10
status:
  currentNumberScheduled: 3
  numberMisscheduled: 0
  desiredNumberScheduled: 3
  numberReady: 3
  observedGeneration: 1
  updatedNumberScheduled: 3
  numberAvailable: 3
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: api-7d9f8b6c5d
  namespace: production
  labels:
    app: api
  annotations:
    deployment.kubernetes.io/revision: "3"
  ownerReferences:
  - apiVersion: apps/v1
    kind: Deployment
    name: api
    uid: 9a8b7c6d-0000-4000-8000-000000000001
    controller: true
    blockOwnerDeletion: true
spec:
  replicas: 3
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
      - name: api
        image: api:1.4.2
status:
  replicas: 3
  fullyLabeledReplicas: 3
  readyReplicas: 3
  availableReplicas: 3
  observedGeneration: 2
---
apiVersion: autoscaling/v1
kind: Scale
metadata:
  name: api
  namespace: production
spec:
  replicas: 5
status:
  replicas: 3
  selector: app=api
---
apiVersion: events.k8s.io/v1
kind: Event
metadata:
  name: api.17a1b2c3d4e5f6a7
  namespace: production
eventTime: "2026-01-01T00:00:04.123456Z"
reportingController: kubelet
reportingInstance: ip-10-0-1-23.ec2.internal
action: Pulling
reason: Pulling
regarding:
  kind: Pod
  namespace: production
  name: api-7d9f8b6c5d-x2x4k
note: Pulling image "api:1.4.2"
type: Normal
series:
  count: 4
  lastObservedTime: "2026-01-01T00:05:00.000001Z"
deprecatedFirstTimestamp: "2026-01-01T00:00:04Z"
deprecatedCount: 4
---
apiVersion: authentication.k8s.io/v1
kind: SelfSubjectReview
metadata: {}
status:
  userInfo:
    username: kubernetes-admin
    uid: aws-iam-authenticator:123456789012:AROAEXAMPLE
    groups: [system:masters, system:authenticated]
    extra:
      accessKeyId: [AKIAEXAMPLE]
      arn: [arn:aws:sts::123456789012:assumed-role/admin/session]
---
apiVersion: authentication.k8s.io/v1
kind: TokenReview
metadata: {}
spec:
  token: k8s-aws-v1.aHR0cHM6Ly9zdHM
  audiences: [https://kubernetes.default.svc]
status:
  authenticated: true
  user:
    username: system:serviceaccount:production:app-service-account
    uid: 4c3b2a19-0000-4000-8000-000000000002
    groups: [system:serviceaccounts, system:serviceaccounts:production, system:authenticated]
    extra:
      authentication.kubernetes.io/pod-name: [api-7d9f8b6c5d-x2x4k]
  audiences: [https://kubernetes.default.svc]
---
apiVersion: authorization.k8s.io/v1
kind: LocalSubjectAccessReview
metadata:
  namespace: production
spec:
  resourceAttributes:
    namespace: production
    verb: list
    resource: secrets
  user: jane
  groups: [developers]
status:
  allowed: false
  reason: no RBAC policy matched
---
apiVersion: authorization.k8s.io/v1
kind: SelfSubjectAccessReview
metadata: {}
spec:
  resourceAttributes:
    namespace: production
    verb: create
    group: apps
    resource: deployments
    subresource: scale
status:
  allowed: true
  reason: 'RBAC: allowed by RoleBinding "app-role-binding/production" of Role "app-role" to User "jane"'
---
apiVersion: authorization.k8s.io/v1
kind: SelfSubjectRulesReview
metadata: {}
spec:
  namespace: production
status:
  resourceRules:
  - verbs: [get, list, watch]
    apiGroups: [""]
    resources: [pods, pods/log]
  - verbs: [create]
    apiGroups: [authorization.k8s.io]
    resources: [selfsubjectaccessreviews, selfsubjectrulesreviews]
  nonResourceRules:
  - verbs: [get]
    nonResourceURLs: [/healthz, /version]
  incomplete: false
---
apiVersion: authorization.k8s.io/v1
kind: SubjectAccessReview
metadata: {}
spec:
  nonResourceAttributes:
    path: /metrics
    verb: get
  user: system:serviceaccount:monitoring:prometheus
  groups: [system:serviceaccounts]
  extra:
    scopes: [read]
  uid: 7e6d5c4b
status:
  allowed: true
  denied: false
---
apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata:
  name: data-ingestion
  namespace: production
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: data-ingestion
  minReplicas: 2
  maxReplicas: 10
  targetCPUUtilizationPercentage: 70
status:
  currentReplicas: 2
  desiredReplicas: 2
  currentCPUUtilizationPercentage: 35
  lastScaleTime: "2026-01-01T00:03:00Z"
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: alb
  annotations:
    ingressclass.kubernetes.io/is-default-class: "true"
spec:
  controller: ingress.k8s.aws/alb
  parameters:
    apiGroup: elbv2.k8s.aws
    kind: IngressClassParams
    name: alb-params
    scope: Cluster
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: api-ingress
  namespace: production
  annotations:
    alb.ingress.kubernetes.io/scheme: internet-facing
    alb.ingress.kubernetes.io/target-type: ip
spec:
  ingressClassName: alb
  tls:
  - hosts: [api.example.com]
    secretName: api-tls
  rules:
  - host: api.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: api-service
            port:
              number: 80
      - path: /ingest
        pathType: Prefix
        backend:
          service:
            name: data-ingestion
            port:
              name: http
status:
  loadBalancer:
    ingress:
    - hostname: k8s-producti-apiingre-0123456789.us-east-1.elb.amazonaws.com
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: api-pdb
  namespace: production
  generation: 1
spec:
  minAvailable: 50%
  selector:
    matchLabels:
      app: api
  unhealthyPodEvictionPolicy: AlwaysAllow
status:
  observedGeneration: 1
  disruptedPods:
    api-7d9f8b6c5d-x2x4k: "2026-01-01T00:04:00Z"
  disruptionsAllowed: 1
  currentHealthy: 3
  desiredHealthy: 2
  expectedPods: 3
  conditions:
  - type: DisruptionAllowed
    status: "True"
    observedGeneration: 1
    lastTransitionTime: "2026-01-01T00:01:00Z"
    reason: SufficientPods
    message: ""
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata:
  name: critical-api
value: 1000000
globalDefault: false
description: Priority for the customer-facing API
preemptionPolicy: PreemptLowerPriority
---
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata:
  name: ip-10-0-1-23.ec2.internal
  namespace: kube-node-lease
  ownerReferences:
  - apiVersion: v1
    kind: Node
    name: ip-10-0-1-23.ec2.internal
    uid: 5d4c3b2a-0000-4000-8000-000000000003
spec:
  holderIdentity: ip-10-0-1-23.ec2.internal
  leaseDurationSeconds: 40
  renewTime: "2026-01-01T00:10:00.250000Z"
  acquireTime: "2026-01-01T00:00:30.000000Z"
  leaseTransitions: 0
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: api-abc12
  namespace: production
  labels:
    kubernetes.io/service-name: api
    endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io
addressType: IPv4
endpoints:
- addresses: [10.0.1.57]
  conditions:
    ready: true
    serving: true
    terminating: false
  nodeName: ip-10-0-1-23.ec2.internal
  zone: us-east-1a
  targetRef:
    kind: Pod
    namespace: production
    name: api-7d9f8b6c5d-x2x4k
    uid: 6f1c2f0e-2b8a-4c55-9d8e-0a7c3b1e5f10
  hints:
    forZones:
    - name: us-east-1a
ports:
- name: http
  protocol: TCP
  port: 8080
  appProtocol: http
`;
