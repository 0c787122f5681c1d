// Draining a node the way EKS's managed node group updater does (and `kubectl drain` before it):
// cordon, then evict every pod through the eviction API so PodDisruptionBudgets are honoured,
// retrying refusals every 5 s until a deadline. DaemonSet pods and mirror pods stay (their
// controllers would put them straight back); finished pods are deleted outright.
import type { Node, Pod } from '../api/objects.js';
import type { Clock } from '../sim/clock.js';
import { isNotFound, type RestClient } from '../client/rest.js';
import { NODES, PODS } from '../client/refs.js';
import { StatusError } from '../apimachinery/errors.js';

/** kubectl drain's (and eksctl's) pause between refused evictions. */
export const EVICTION_RETRY_MS = 5_000;

/** Marks a node unschedulable and keeps load balancers from sending it new traffic. */
export async function cordon(client: RestClient, nodeName: string): Promise<void> {
  await client.resource<Node>(NODES).patch(nodeName, 'merge', {
    metadata: { labels: { 'node.kubernetes.io/exclude-from-external-load-balancers': 'true' } },
    spec: { unschedulable: true },
  });
}

/** Pods a drain leaves alone: DaemonSet-managed (their controller ignores unschedulable) and mirror pods. */
export function drainSkips(pod: Pod): boolean {
  if (pod.metadata?.annotations?.['kubernetes.io/config.mirror']) return true;
  return (pod.metadata?.ownerReferences ?? []).some((o) => o.controller && o.kind === 'DaemonSet');
}

export interface DrainResult {
  /** Pods still on the node at the deadline (empty: drained). */
  stuck: string[];
}

/**
 * Evicts the node's pods until none is left or deadlineMs (clock time) passes. With force, the
 * pods left at the deadline are deleted, as `update-nodegroup-version --force` does.
 */
export async function drainNode(client: RestClient, clock: Clock, nodeName: string, opts: { deadlineMs: number; force: boolean; signal?: AbortSignal }): Promise<DrainResult> {
  const pods = client.resource<Pod>(PODS);
  for (;;) {
    const onNode = (await pods.list({ fieldSelector: `spec.nodeName=${nodeName}` })).items.filter((p) => !drainSkips(p));
    if (!onNode.length) return { stuck: [] };
    const late = clock.now() >= opts.deadlineMs;
    if (late && !opts.force) return { stuck: onNode.map(podKey) };
    for (const p of onNode) {
      if (p.metadata?.deletionTimestamp) continue; // evicted already: waiting out its grace period
      const ns = p.metadata!.namespace!;
      const name = p.metadata!.name!;
      try {
        const finished = p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
        if (finished || late) await pods.namespace(ns).delete(name);
        else await pods.namespace(ns).createSubresource(name, 'eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: ns } });
      } catch (e) {
        // 429: a PodDisruptionBudget refuses for now; 404: gone already. Both mean "look again later".
        if (isNotFound(e) || (e instanceof StatusError && e.status.code === 429)) continue;
        throw e;
      }
    }
    await clock.sleep(EVICTION_RETRY_MS, opts.signal);
  }
}

function podKey(p: Pod): string {
  return `${p.metadata?.namespace}/${p.metadata?.name}`;
}
