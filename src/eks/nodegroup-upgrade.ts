// A managed node group's rolling update (UpdateNodegroupVersion), in EKS's phases
// (docs.aws.amazon.com/eks/latest/userguide/managed-node-update-behavior.html):
//  - scale up: the Auto Scaling group grows by the larger of twice its zones and maxUnavailable
//    (never more than the nodes to replace), and the new nodes must be Ready;
//  - cordon every node not on the target image;
//  - upgrade: up to maxUnavailable old nodes at a time are drained through the eviction API
//    (PodDisruptionBudgets hold it back; after 15 minutes it fails with PodEvictionFailure, or with
//    force the pods left are deleted), left a minute, and terminated; a new-image replacement is
//    launched while the group has fewer new nodes than before the update;
//  - scale down: the sizes return to what they were (the service restores them).
// The group's instances are the service's; everything in the cluster goes through its API.
import type { Node } from '../api/objects.js';
import type { Clock } from '../sim/clock.js';
import { isNotFound, type RestClient } from '../client/rest.js';
import { NODES } from '../client/refs.js';
import { cordon, drainNode } from './drain.js';

/** How long EKS waits for a node's pods to leave before PodEvictionFailure. */
export const DRAIN_TIMEOUT_MS = 15 * 60_000;
/** EKS leaves a drained node cordoned this long before terminating it, so load balancers let go. */
export const DRAINED_GRACE_MS = 60_000;
/** How long new nodes have to turn Ready before NodeCreationFailure. */
export const JOIN_TIMEOUT_MS = 15 * 60_000;
const POLL_MS = 2_000;

/** What the update works on: the node group's instances, as the EKS service keeps them. */
export interface UpgradeGroup {
  readonly nodegroupName: string;
  /** Every instance of the group, and whether it runs the target image. */
  instances(): { nodeName: string; current: boolean }[];
  /** Launches n instances of the target image. */
  launch(n: number): void;
  /** Terminates one instance. */
  terminate(nodeName: string): Promise<void>;
}

export interface UpgradeOptions {
  /** Nodes drained at once (updateConfig). */
  maxUnavailable: number;
  /** The group's size before the update: how many new-image instances it ends with. */
  size: number;
  /** Instances added before any is drained. */
  surge: number;
  force: boolean;
  signal?: AbortSignal;
  log?: (message: string) => void;
}

/** An EKS update error (DescribeUpdate's errors[]). */
export interface UpdateError {
  errorCode: string;
  errorMessage: string;
  resourceIds: string[];
}

/** The scale-up step: the larger of twice the zones and maxUnavailable, at most the nodes to replace. */
export function surgeSize(oldNodes: number, zones: number, maxUnavailable: number): number {
  return Math.min(oldNodes, Math.max(2 * zones, maxUnavailable));
}

/** maxUnavailable as a node count (a percentage rounds down, but is at least one node). */
export function unavailableNodes(updateConfig: { maxUnavailable?: number; maxUnavailablePercentage?: number }, desired: number): number {
  if (updateConfig.maxUnavailable !== undefined) return Math.max(1, updateConfig.maxUnavailable);
  if (updateConfig.maxUnavailablePercentage !== undefined) return Math.max(1, Math.floor((desired * updateConfig.maxUnavailablePercentage) / 100));
  return 1;
}

/** Runs the update to the end; resolves with the error that failed it, if any. Safe to resume. */
export async function upgradeNodegroup(client: RestClient, clock: Clock, group: UpgradeGroup, opts: UpgradeOptions): Promise<UpdateError | undefined> {
  const log = opts.log ?? (() => {});
  const count = () => {
    const all = group.instances();
    const current = all.filter((i) => i.current).length;
    return { current, old: all.length - current };
  };
  // The group never holds more than size + surge instances, and ends with size new ones.
  const topUp = () => {
    const { current, old } = count();
    const n = Math.max(0, Math.min(opts.size - current, opts.size + opts.surge - current - old));
    if (n) group.launch(n);
  };
  topUp(); // scale up (a resumed update finds its surge there already)
  const joinFailure = await waitReady(client, clock, group, opts.signal);
  if (joinFailure) return joinFailure;
  const olds = () => group.instances().filter((i) => !i.current).map((i) => i.nodeName).sort();
  for (const n of olds()) {
    await cordon(client, n).catch((e: unknown) => {
      if (!isNotFound(e)) throw e;
    });
  }
  log(`nodegroup ${group.nodegroupName}: ${olds().length} old nodes cordoned`);
  for (;;) {
    const batch = olds().slice(0, opts.maxUnavailable);
    if (!batch.length) break;
    const deadlineMs = clock.now() + DRAIN_TIMEOUT_MS;
    const results = await Promise.all(batch.map((n) => drainNode(client, clock, n, { deadlineMs, force: opts.force, signal: opts.signal })));
    const stuck = batch.filter((_, i) => results[i].stuck.length);
    if (stuck.length) {
      log(`nodegroup ${group.nodegroupName}: pods would not leave ${stuck.join(', ')}: ${results.flatMap((r) => r.stuck).join(', ')}`);
      return { errorCode: 'PodEvictionFailure', errorMessage: `Reached max retries while trying to evict pods from nodes in node group ${group.nodegroupName}`, resourceIds: stuck };
    }
    await clock.sleep(DRAINED_GRACE_MS, opts.signal);
    for (const n of batch) await group.terminate(n);
    log(`nodegroup ${group.nodegroupName}: terminated ${batch.join(', ')}`);
    topUp();
    const failed = await waitReady(client, clock, group, opts.signal);
    if (failed) return failed;
  }
  return undefined;
}

/** Waits until every instance of the target image has a Ready Node. */
async function waitReady(client: RestClient, clock: Clock, group: UpgradeGroup, signal?: AbortSignal): Promise<UpdateError | undefined> {
  const deadline = clock.now() + JOIN_TIMEOUT_MS;
  for (;;) {
    const want = group.instances().filter((i) => i.current).map((i) => i.nodeName);
    const nodes = new Map(((await client.resource<Node>(NODES).list({ labelSelector: `eks.amazonaws.com/nodegroup=${group.nodegroupName}` })).items).map((n) => [n.metadata!.name!, n]));
    const waiting = want.filter((n) => !nodes.get(n)?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    if (!waiting.length) return undefined;
    if (clock.now() >= deadline) return { errorCode: 'NodeCreationFailure', errorMessage: 'Instances failed to join the kubernetes cluster', resourceIds: waiting };
    await clock.sleep(POLL_MS, signal);
  }
}
