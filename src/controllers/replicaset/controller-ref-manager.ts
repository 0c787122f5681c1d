// kube-controller-manager's ControllerRefManager (pkg/controller/controller_ref_manager.go): a
// controller claims the objects its selector matches. It keeps what it owns and still matches,
// adopts matching orphans (after one uncached re-read proves the controller itself is not being
// deleted or replaced), and releases what it owns but no longer matches. Adoption and release are
// strategic merge patches of metadata.ownerReferences keyed by uid, as upstream sends them.
import type { KubeObject, OwnerReference } from '../../api/types.js';
import { controllerRef } from '../../api/pod.js';
import { matchesCached, type LabelSelector } from '../../apimachinery/labels.js';
import { isNotFound, type ResourceClient } from '../../client/rest.js';
import { StatusError } from '../../apimachinery/errors.js';

/** metav1.NewControllerRef: controller and blockOwnerDeletion both true. */
export function newControllerRef(owner: KubeObject, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

/** What a claim needs to know about the controller doing it. */
export interface ClaimConfig<T extends KubeObject> {
  /** The controller object (Deployment, ReplicaSet) as the cache has it. */
  controller: KubeObject;
  apiVersion: string;
  kind: string;
  selector: LabelSelector;
  /** The client of the claimed objects' resource, in the controller's namespace. */
  client: ResourceClient<T>;
  /** An uncached read of the controller (RecheckDeletionTimestamp's canAdopt). */
  fresh: () => Promise<KubeObject>;
}

/**
 * Claims objects for a controller; returns the ones it owns afterwards. Errors of individual
 * adoptions/releases are collected and the first is thrown after every object was tried, as
 * upstream's ClaimPods aggregates them.
 */
export async function claimObjects<T extends KubeObject>(cfg: ClaimConfig<T>, objects: T[]): Promise<T[]> {
  const owner = cfg.controller;
  const claimed: T[] = [];
  const errors: unknown[] = [];
  let canAdopt: Promise<void> | undefined;
  const adopt = async (obj: T): Promise<T> => {
    // RecheckDeletionTimestamp: checked once per claim, on the first orphan.
    canAdopt ??= (async () => {
      const latest = await cfg.fresh();
      if (latest.metadata.uid !== owner.metadata.uid) {
        throw new Error(`original ${owner.metadata.namespace}/${owner.metadata.name} is gone: got uid ${latest.metadata.uid}, wanted ${owner.metadata.uid}`);
      }
      if (latest.metadata.deletionTimestamp) {
        throw new Error(`${owner.metadata.namespace}/${owner.metadata.name} has just been deleted at ${latest.metadata.deletionTimestamp}`);
      }
    })();
    await canAdopt;
    const ref = newControllerRef(owner, cfg.apiVersion, cfg.kind);
    return cfg.client.patch(obj.metadata.name!, 'strategic', { metadata: { ownerReferences: [ref], uid: obj.metadata.uid } });
  };
  const release = (obj: T): Promise<T> =>
    cfg.client.patch(obj.metadata.name!, 'strategic', {
      metadata: { ownerReferences: [{ $patch: 'delete', uid: owner.metadata.uid }], uid: obj.metadata.uid },
    });

  for (const obj of objects) {
    const match = matchesCached(cfg.selector, obj.metadata.labels);
    const ref = controllerRef(obj);
    if (ref) {
      if (ref.uid !== owner.metadata.uid) continue; // someone else's
      if (match) {
        claimed.push(obj);
        continue;
      }
      if (owner.metadata.deletionTimestamp) continue;
      try {
        await release(obj);
      } catch (e) {
        // Gone, or (422) no longer ours to release: either way not ours any more.
        if (!isNotFound(e) && !(e instanceof StatusError && e.code === 422)) errors.push(e);
      }
      continue;
    }
    // An orphan.
    if (owner.metadata.deletionTimestamp || !match || obj.metadata.deletionTimestamp) continue;
    if (owner.metadata.namespace && owner.metadata.namespace !== obj.metadata.namespace) continue;
    try {
      claimed.push(await adopt(obj));
    } catch (e) {
      if (!isNotFound(e)) errors.push(e);
    }
  }
  if (errors.length) throw errors[0];
  return claimed;
}
