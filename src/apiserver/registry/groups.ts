// The strategies of every built-in resource outside the core group, keyed "group/resource" as the
// resource table names them, so the API server can look one up for any GroupVersionResource.
import { controllerRevisionStrategy } from './apps/controllerrevisions.js';
import { daemonSetStrategy } from './apps/daemonsets.js';
import { deploymentStrategy } from './apps/deployments.js';
import { replicaSetStrategy } from './apps/replicasets.js';
import { statefulSetStrategy } from './apps/statefulsets.js';
import { horizontalPodAutoscalerStrategy } from './autoscaling/horizontalpodautoscalers.js';
import { cronJobStrategy } from './batch/cronjobs.js';
import { jobStrategy } from './batch/jobs.js';
import { leaseStrategy } from './coordination/leases.js';
import { endpointSliceStrategy } from './discovery/endpointslices.js';
import { eventStrategy } from './events/events.js';
import { ingressClassStrategy } from './networking/ingressclasses.js';
import { ingressStrategy } from './networking/ingresses.js';
import { networkPolicyStrategy } from './networking/networkpolicies.js';
import { podDisruptionBudgetStrategy } from './policy/poddisruptionbudgets.js';
import { clusterRoleBindingStrategy, roleBindingStrategy } from './rbac/bindings.js';
import { clusterRoleStrategy, roleStrategy } from './rbac/roles.js';
import { priorityClassStrategy } from './scheduling/priorityclasses.js';
import type { Strategy } from './strategy.js';
import { csiDriverStrategy } from './storage/csidrivers.js';
import { storageClassStrategy } from './storage/storageclasses.js';

/**
 * Strategy per "group/resource" (e.g. "apps/deployments"). autoscaling v1 and v2 share one entry that
 * works on the v2 shape; core and events.k8s.io events share storage but each has its own strategy.
 */
export const groupStrategies: Record<string, Strategy<any>> = {
  'apps/deployments': deploymentStrategy,
  'apps/replicasets': replicaSetStrategy,
  'apps/statefulsets': statefulSetStrategy,
  'apps/daemonsets': daemonSetStrategy,
  'apps/controllerrevisions': controllerRevisionStrategy,
  'batch/jobs': jobStrategy,
  'batch/cronjobs': cronJobStrategy,
  'autoscaling/horizontalpodautoscalers': horizontalPodAutoscalerStrategy,
  'policy/poddisruptionbudgets': podDisruptionBudgetStrategy,
  'networking.k8s.io/networkpolicies': networkPolicyStrategy,
  'networking.k8s.io/ingresses': ingressStrategy,
  'networking.k8s.io/ingressclasses': ingressClassStrategy,
  'rbac.authorization.k8s.io/roles': roleStrategy,
  'rbac.authorization.k8s.io/clusterroles': clusterRoleStrategy,
  'rbac.authorization.k8s.io/rolebindings': roleBindingStrategy,
  'rbac.authorization.k8s.io/clusterrolebindings': clusterRoleBindingStrategy,
  'storage.k8s.io/storageclasses': storageClassStrategy,
  'storage.k8s.io/csidrivers': csiDriverStrategy,
  'coordination.k8s.io/leases': leaseStrategy,
  'scheduling.k8s.io/priorityclasses': priorityClassStrategy,
  'discovery.k8s.io/endpointslices': endpointSliceStrategy,
  'events.k8s.io/events': eventStrategy,
};
