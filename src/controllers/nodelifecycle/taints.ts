// Taint and toleration facts shared by the node lifecycle and taint eviction controllers (and
// anything else that needs them): the well-known taint keys (k8s.io/api/core/v1 well_known_taints.go),
// v1helper.GetMatchingTolerations, and the zone key of a node (ToleratesTaint is api/taints.ts).
import type { Node, NodeCondition, Taint, Toleration } from '../../api/objects.js';
import { toleratesTaint } from '../../api/taints.js';

export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
export const TAINT_NODE_MEMORY_PRESSURE = 'node.kubernetes.io/memory-pressure';
export const TAINT_NODE_DISK_PRESSURE = 'node.kubernetes.io/disk-pressure';
export const TAINT_NODE_NETWORK_UNAVAILABLE = 'node.kubernetes.io/network-unavailable';
export const TAINT_NODE_PID_PRESSURE = 'node.kubernetes.io/pid-pressure';

export const LABEL_TOPOLOGY_ZONE = 'topology.kubernetes.io/zone';
export const LABEL_TOPOLOGY_REGION = 'topology.kubernetes.io/region';
const LABEL_FAILURE_DOMAIN_BETA_ZONE = 'failure-domain.beta.kubernetes.io/zone';
const LABEL_FAILURE_DOMAIN_BETA_REGION = 'failure-domain.beta.kubernetes.io/region';

/**
 * v1helper.GetMatchingTolerations: whether every taint is tolerated, and for each taint the first
 * toleration that tolerates it.
 */
export function getMatchingTolerations(taints: readonly Taint[], tolerations: readonly Toleration[] | undefined): { allTolerated: boolean; used: Toleration[] } {
  if (!taints.length) return { allTolerated: true, used: [] };
  if (!tolerations?.length) return { allTolerated: false, used: [] };
  const used: Toleration[] = [];
  for (const taint of taints) {
    const t = tolerations.find((tol) => toleratesTaint(tol, taint));
    if (!t) return { allTolerated: false, used: [] };
    used.push(t);
  }
  return { allTolerated: true, used };
}

/** Same key and effect: how upstream's taint helpers identify a taint (Taint.MatchTaint). */
export function sameTaint(a: Taint, b: Taint): boolean {
  return a.key === b.key && a.effect === b.effect;
}

export function taintExists(taints: readonly Taint[] | undefined, taint: Taint): boolean {
  return (taints ?? []).some((t) => sameTaint(t, taint));
}

/** The node's condition of the given type, if any. */
export function getNodeCondition(node: Node, type: string): NodeCondition | undefined {
  return node.status?.conditions?.find((c) => c.type === type);
}

/**
 * nodetopology.GetZoneKey: "<region>:\x00:<zone>" from the topology labels (the beta ones as a
 * fallback); "" when the node has neither.
 */
export function getZoneKey(node: Node): string {
  const labels = node.metadata.labels ?? {};
  const zone = labels[LABEL_TOPOLOGY_ZONE] ?? labels[LABEL_FAILURE_DOMAIN_BETA_ZONE] ?? '';
  const region = labels[LABEL_TOPOLOGY_REGION] ?? labels[LABEL_FAILURE_DOMAIN_BETA_REGION] ?? '';
  if (!zone && !region) return '';
  return `${region}:\x00:${zone}`;
}
