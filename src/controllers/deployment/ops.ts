// What the rollout strategies need from the deployment controller: the ReplicaSet split with the
// revision synced, scaling with its event, history cleanup, and the status write.
import type { Deployment, Pod, ReplicaSet } from '../../api/objects.js';

export interface RolloutOps {
  /** getAllReplicaSetsAndSyncRevision; createIfNotExisted creates the new ReplicaSet. */
  getAllReplicaSetsAndSyncRevision(d: Deployment, rsList: ReplicaSet[], createIfNotExisted: boolean): Promise<{ newRS?: ReplicaSet; oldRSs: ReplicaSet[] }>;
  /** scaleReplicaSetAndRecordEvent: scaled is false when rs already had newScale replicas. */
  scaleReplicaSetAndRecordEvent(rs: ReplicaSet, newScale: number, d: Deployment): Promise<{ scaled: boolean; rs: ReplicaSet }>;
  cleanupDeployment(oldRSs: ReplicaSet[], d: Deployment): Promise<void>;
  syncRolloutStatus(allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment): Promise<void>;
}

/** Pods of the Deployment grouped by the uid of the ReplicaSet controlling them. */
export type PodMap = Map<string, Pod[]>;
