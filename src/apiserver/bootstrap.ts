// The objects every new cluster has before anyone writes to it, as kube-apiserver's post-start
// hooks create them: the system namespaces, the `kubernetes` Service, the system PriorityClasses and
// the gp2 StorageClass EKS adds.
import type { KubeObject } from '../api/types.js';

/** The system namespaces, the default/kubernetes Service and the built-in PriorityClasses. */
export function bootstrapObjects(serviceClusterIP: string): KubeObject[] {
  const namespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'].map(
    (name): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }),
  );
  const kubernetesService: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: {
      type: 'ClusterIP',
      clusterIP: serviceClusterIP,
      clusterIPs: [serviceClusterIP],
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 443 }],
      sessionAffinity: 'None',
    },
  };
  const priorityClasses: KubeObject[] = [
    { name: 'system-node-critical', value: 2000001000, description: 'Used for system critical pods that must not be moved from their current node.' },
    { name: 'system-cluster-critical', value: 2000000000, description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.' },
  ].map((p) => ({
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: p.name },
    value: p.value,
    description: p.description,
    preemptionPolicy: 'PreemptLowerPriority',
  }));
  // EKS creates gp2 in every cluster (in-tree provisioner, served through CSI migration by the EBS
  // CSI driver). Clusters created on 1.30 or later no longer get the
  // storageclass.kubernetes.io/is-default-class annotation on it, so a 1.32 cluster has no default.
  const gp2: KubeObject = {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'gp2' },
    provisioner: 'kubernetes.io/aws-ebs',
    parameters: { type: 'gp2', fsType: 'ext4' },
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
  };
  return [...namespaces, kubernetesService, ...priorityClasses, gp2];
}
