// The Recreate strategy (recreate.go): scale every old ReplicaSet to zero, wait until none of
// their pods runs any more, then create (or reuse) the new ReplicaSet at full size.
import type { Deployment, ReplicaSet } from '../../api/objects.js';
import { specReplicas } from '../replicaset/status.js';
import type { PodMap, RolloutOps } from './ops.js';
import { activeReplicaSets, actualReplicaCount, deploymentComplete, desiredReplicas } from './util.js';

export async function rolloutRecreate(ops: RolloutOps, d: Deployment, rsList: ReplicaSet[], podMap: PodMap): Promise<void> {
  // Not creating the new ReplicaSet yet keeps it from scaling up before the old ones are down.
  let { newRS, oldRSs } = await ops.getAllReplicaSetsAndSyncRevision(d, rsList, false);
  let allRSs: (ReplicaSet | undefined)[] = [...oldRSs, newRS];
  if (await scaleDownOldReplicaSetsForRecreate(ops, activeReplicaSets(oldRSs), d)) return ops.syncRolloutStatus(allRSs, newRS, d);
  if (oldPodsRunning(newRS, oldRSs, podMap)) return ops.syncRolloutStatus(allRSs, newRS, d);
  if (!newRS) {
    ({ newRS, oldRSs } = await ops.getAllReplicaSetsAndSyncRevision(d, rsList, true));
    allRSs = [...oldRSs, newRS];
  }
  await ops.scaleReplicaSetAndRecordEvent(newRS!, desiredReplicas(d), d);
  if (deploymentComplete(d, d.status ?? {})) await ops.cleanupDeployment(oldRSs, d);
  return ops.syncRolloutStatus(allRSs, newRS, d);
}

async function scaleDownOldReplicaSetsForRecreate(ops: RolloutOps, oldRSs: ReplicaSet[], d: Deployment): Promise<boolean> {
  let scaled = false;
  for (const rs of oldRSs) {
    if (specReplicas(rs) === 0) continue;
    if ((await ops.scaleReplicaSetAndRecordEvent(rs, 0, d)).scaled) scaled = true;
  }
  return scaled;
}

/** oldPodsRunning: an old ReplicaSet reports pods, or an old pod is not yet Succeeded or Failed. */
export function oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[], podMap: PodMap): boolean {
  if (actualReplicaCount(oldRSs) > 0) return true;
  for (const [uid, pods] of podMap) {
    if (newRS && newRS.metadata.uid === uid) continue;
    for (const pod of pods) {
      const phase = pod.status?.phase;
      if (phase === 'Failed' || phase === 'Succeeded') continue;
      // Unknown counts too: it may still run.
      return true;
    }
  }
  return false;
}
