// The DaemonSet rolling update (pkg/controller/daemon/update.go rollingUpdate): which old pods to
// delete and which nodes get a new pod this pass. Without surge, old available pods are deleted
// while fewer than maxUnavailable nodes are unavailable (old unavailable pods are replaced at once),
// and the manage loop recreates them. With surge, a new pod is started beside an old one on up to
// maxSurge nodes, and the old pod goes once the new one is available.
import type { DaemonSet, Node, Pod } from '../../api/objects.js';
import { isPodAvailable } from '../../api/pod.js';
import { isPodUpdated, nodeShouldRunDaemonPod, surgeCount, templateGeneration, unavailableCount } from './util.js';

/** findUpdatedPodsOnNode: at most one new and one old live pod on the node, or ok=false. */
export function findUpdatedPodsOnNode(ds: DaemonSet, pods: Pod[], hash: string): { newPod?: Pod; oldPod?: Pod; ok: boolean } {
  let newPod: Pod | undefined;
  let oldPod: Pod | undefined;
  const generation = templateGeneration(ds);
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    if (isPodUpdated(pod, hash, generation)) {
      if (newPod) return { ok: false };
      newPod = pod;
    } else {
      if (oldPod) return { ok: false };
      oldPod = pod;
    }
  }
  return { newPod, oldPod, ok: true };
}

/** updatedDesiredNodeCounts: maxSurge, maxUnavailable (1 if both are 0) and the desired count; adds empty entries for nodes wanting a pod. */
export function updatedDesiredNodeCounts(ds: DaemonSet, nodes: Node[], nodeToPods: Map<string, Pod[]>): { maxSurge: number; maxUnavailable: number; desired: number } {
  let desired = 0;
  for (const node of nodes) {
    if (!nodeShouldRunDaemonPod(node, ds).shouldRun) continue;
    desired++;
    if (!nodeToPods.has(node.metadata.name!)) nodeToPods.set(node.metadata.name!, []);
  }
  let maxUnavailable: number;
  let maxSurge: number;
  try {
    maxUnavailable = unavailableCount(ds, desired);
  } catch (e) {
    throw new Error(`invalid value for MaxUnavailable: ${(e as Error).message}`);
  }
  try {
    maxSurge = surgeCount(ds, desired);
  } catch (e) {
    throw new Error(`invalid value for MaxSurge: ${(e as Error).message}`);
  }
  if (desired > 0 && maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable, desired };
}

/** The rolling update's decisions for one pass. */
export function rollingUpdatePlan(
  ds: DaemonSet,
  nodes: Node[],
  nodeToPods: Map<string, Pod[]>,
  hash: string,
  nowMs: number,
): { podsToDelete: string[]; nodesNeedingPods: string[] } {
  const { maxSurge, maxUnavailable, desired } = updatedDesiredNodeCounts(ds, nodes, nodeToPods);
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const available = (p: Pod) => isPodAvailable(p, minReady, nowMs);
  const nodeByName = new Map(nodes.map((n) => [n.metadata.name!, n]));
  const shouldRun = (name: string) => {
    const node = nodeByName.get(name);
    if (!node) throw new Error(`couldn't get node for nodeName ${JSON.stringify(name)}: node "${name}" not found`);
    return nodeShouldRunDaemonPod(node, ds).shouldRun;
  };

  if (maxSurge === 0) {
    let numUnavailable = 0;
    const allowedReplacement: string[] = [];
    const candidates: string[] = [];
    for (const pods of nodeToPods.values()) {
      const { newPod, oldPod, ok } = findUpdatedPodsOnNode(ds, pods, hash);
      if (!ok) {
        numUnavailable++;
        continue;
      }
      if ((!oldPod && !newPod) || (oldPod && newPod)) {
        numUnavailable++;
      } else if (newPod) {
        if (!available(newPod)) numUnavailable++;
      } else if (oldPod) {
        if (!available(oldPod)) {
          allowedReplacement.push(oldPod.metadata.name!);
          numUnavailable++;
        } else if (numUnavailable < maxUnavailable) {
          candidates.push(oldPod.metadata.name!);
        }
      }
    }
    const remaining = Math.min(Math.max(0, maxUnavailable - numUnavailable), candidates.length);
    return { podsToDelete: [...allowedReplacement, ...candidates.slice(0, remaining)], nodesNeedingPods: [] };
  }

  const oldPodsToDelete: string[] = [];
  const shouldNotRunPodsToDelete: string[] = [];
  const candidateNewNodes: string[] = [];
  const allowedNewNodes: string[] = [];
  let numSurge = 0;
  let numAvailable = 0;
  for (const [nodeName, pods] of nodeToPods) {
    const { newPod, oldPod, ok } = findUpdatedPodsOnNode(ds, pods, hash);
    if (!ok) {
      numSurge++;
      continue;
    }
    if (oldPod) {
      if (available(oldPod)) numAvailable++;
    } else if (newPod && available(newPod)) numAvailable++;
    if (!oldPod) continue;
    if (!newPod) {
      if (!available(oldPod)) {
        if (!shouldRun(nodeName)) {
          oldPodsToDelete.push(oldPod.metadata.name!);
          continue;
        }
        allowedNewNodes.push(nodeName);
      } else {
        if (!shouldRun(nodeName)) {
          shouldNotRunPodsToDelete.push(oldPod.metadata.name!);
          continue;
        }
        if (numSurge >= maxSurge) continue;
        candidateNewNodes.push(nodeName);
      }
    } else {
      if (!available(newPod)) {
        numSurge++;
        continue;
      }
      oldPodsToDelete.push(oldPod.metadata.name!);
    }
  }
  // With surge users expect full availability: pods on nodes the set left go only once enough others are available.
  const deletable = Math.min(numAvailable - desired, shouldNotRunPodsToDelete.length);
  if (deletable > 0) oldPodsToDelete.push(...shouldNotRunPodsToDelete.slice(0, deletable));
  const remainingSurge = Math.min(Math.max(0, maxSurge - numSurge), candidateNewNodes.length);
  return { podsToDelete: oldPodsToDelete, nodesNeedingPods: [...allowedNewNodes, ...candidateNewNodes.slice(0, remainingSurge)] };
}
