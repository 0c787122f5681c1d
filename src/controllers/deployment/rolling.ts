// The RollingUpdate strategy (rolling.go): grow the new ReplicaSet up to replicas + maxSurge pods in
// all, shrink old ones while at least replicas - maxUnavailable stay available, unhealthy old
// replicas first.
import type { Deployment, ReplicaSet } from '../../api/objects.js';
import { specReplicas } from '../replicaset/status.js';
import type { RolloutOps } from './ops.js';
import { activeReplicaSets, availableReplicaCount, byCreationTimestamp, deploymentComplete, desiredReplicas, maxUnavailable, newRSNewReplicas, replicaCount } from './util.js';

export async function rolloutRolling(ops: RolloutOps, d: Deployment, rsList: ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await ops.getAllReplicaSetsAndSyncRevision(d, rsList, true);
  const allRSs = [...oldRSs, newRS!];
  if (await reconcileNewReplicaSet(ops, allRSs, newRS!, d)) return ops.syncRolloutStatus(allRSs, newRS, d);
  if (await reconcileOldReplicaSets(ops, allRSs, activeReplicaSets(oldRSs), newRS!, d)) return ops.syncRolloutStatus(allRSs, newRS, d);
  if (deploymentComplete(d, d.status ?? {})) await ops.cleanupDeployment(oldRSs, d);
  return ops.syncRolloutStatus(allRSs, newRS, d);
}

async function reconcileNewReplicaSet(ops: RolloutOps, allRSs: ReplicaSet[], newRS: ReplicaSet, d: Deployment): Promise<boolean> {
  const want = desiredReplicas(d);
  if (specReplicas(newRS) === want) return false;
  if (specReplicas(newRS) > want) return (await ops.scaleReplicaSetAndRecordEvent(newRS, want, d)).scaled;
  return (await ops.scaleReplicaSetAndRecordEvent(newRS, newRSNewReplicas(d, allRSs, newRS), d)).scaled;
}

async function reconcileOldReplicaSets(ops: RolloutOps, allRSs: ReplicaSet[], oldRSs: ReplicaSet[], newRS: ReplicaSet, d: Deployment): Promise<boolean> {
  if (replicaCount(oldRSs) === 0) return false; // nothing left to scale down
  const allPods = replicaCount(allRSs);
  const minAvailable = desiredReplicas(d) - maxUnavailable(d);
  const newUnavailable = specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
  // Scale down only what leaves minAvailable even if every unavailable new pod stays unavailable.
  const maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  let cleaned: { rss: ReplicaSet[]; count: number };
  try {
    // Unhealthy old replicas first: removing them costs no availability.
    cleaned = await cleanupUnhealthyReplicas(ops, oldRSs, d, maxScaledDown);
  } catch {
    return false;
  }
  let scaledDown: number;
  try {
    scaledDown = await scaleDownOldReplicaSetsForRollingUpdate(ops, [...cleaned.rss, newRS], cleaned.rss, d);
  } catch {
    return false;
  }
  return cleaned.count + scaledDown > 0;
}

async function cleanupUnhealthyReplicas(ops: RolloutOps, oldRSs: ReplicaSet[], d: Deployment, maxCleanup: number): Promise<{ rss: ReplicaSet[]; count: number }> {
  const rss = [...oldRSs].sort(byCreationTimestamp);
  let total = 0;
  for (let i = 0; i < rss.length; i++) {
    if (total >= maxCleanup) break;
    const rs = rss[i];
    const n = specReplicas(rs);
    const avail = rs.status?.availableReplicas ?? 0;
    if (n === 0 || n === avail) continue;
    const down = Math.min(maxCleanup - total, n - avail);
    const next = n - down;
    if (next > n) throw new Error(`when cleaning up unhealthy replicas, got invalid request to scale down ${rs.metadata.namespace}/${rs.metadata.name} ${n} -> ${next}`);
    const r = await ops.scaleReplicaSetAndRecordEvent(rs, next, d);
    total += down;
    rss[i] = r.rs;
  }
  return { rss, count: total };
}

async function scaleDownOldReplicaSetsForRollingUpdate(ops: RolloutOps, allRSs: ReplicaSet[], oldRSs: ReplicaSet[], d: Deployment): Promise<number> {
  const minAvailable = desiredReplicas(d) - maxUnavailable(d);
  const available = availableReplicaCount(allRSs);
  if (available <= minAvailable) return 0;
  const rss = [...oldRSs].sort(byCreationTimestamp);
  const totalToScaleDown = available - minAvailable;
  let total = 0;
  for (const rs of rss) {
    if (total >= totalToScaleDown) break;
    const n = specReplicas(rs);
    if (n === 0) continue;
    const down = Math.min(n, totalToScaleDown - total);
    const next = n - down;
    if (next > n) throw new Error(`when scaling down old RS, got invalid request to scale down ${rs.metadata.namespace}/${rs.metadata.name} ${n} -> ${next}`);
    await ops.scaleReplicaSetAndRecordEvent(rs, next, d);
    total += down;
  }
  return total;
}
