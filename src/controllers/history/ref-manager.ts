// controller.BaseControllerRefManager.ClaimObject, shared by the workload controllers for their pods
// and ControllerRevisions: keep what we control and still select, release what we control but no
// longer select, adopt orphans we select (after one fresh read proves the owner is not being
// deleted), and leave objects controlled by someone else alone.
import type { KubeObject } from '../../api/types.js';
import { controllerRef } from '../../api/pod.js';
import { hasReason } from '../../apimachinery/errors.js';
import { matches, type LabelSelector } from '../../apimachinery/labels.js';
import { isNotFound, type ResourceClient } from '../../client/rest.js';
import { adoptPatch, releasePatch, type OwnerKind } from './history.js';

export interface ClaimOptions<T extends KubeObject> {
  owner: KubeObject;
  ownerKind: OwnerKind;
  selector: LabelSelector;
  /** Further membership test beyond the selector (StatefulSets: the pod's name has the set's). */
  filter?: (obj: T) => boolean;
  /** Where adoption and release patches go (objects' namespace is taken from each object). */
  client: ResourceClient<T>;
  /** Throws when the owner must not adopt (RecheckDeletionTimestamp); called at most once. */
  canAdopt: () => Promise<void>;
}

/**
 * Claims objs for owner; returns the objects it controls afterwards. Adoption or release errors
 * other than NotFound are thrown after every object was tried.
 */
export async function claimObjects<T extends KubeObject>(objs: T[], opts: ClaimOptions<T>): Promise<T[]> {
  const claimed: T[] = [];
  const errors: unknown[] = [];
  const match = (o: T) => matches(opts.selector, o.metadata.labels) && (opts.filter?.(o) ?? true);
  let adoptCheck: Promise<void> | undefined;
  const ownerUid = opts.owner.metadata.uid;
  for (const obj of objs) {
    const ref = controllerRef(obj);
    const client = opts.client.namespace(obj.metadata.namespace!);
    if (ref) {
      if (ref.uid !== ownerUid) continue;
      if (match(obj)) {
        claimed.push(obj);
        continue;
      }
      if (opts.owner.metadata.deletionTimestamp) continue;
      try {
        await client.patch(obj.metadata.name!, 'strategic', releasePatch(ownerUid!, obj.metadata.uid!));
      } catch (e) {
        // Gone, or its uid changed (Invalid): either way it is no longer ours.
        if (!isNotFound(e) && !hasReason(e, 'Invalid')) errors.push(e);
      }
      continue;
    }
    if (opts.owner.metadata.deletionTimestamp || !match(obj)) continue;
    if (obj.metadata.deletionTimestamp) continue;
    try {
      adoptCheck ??= opts.canAdopt();
      await adoptCheck;
      const adopted = await client.patch(obj.metadata.name!, 'strategic', adoptPatch(opts.owner, opts.ownerKind, obj.metadata.uid!));
      claimed.push(adopted);
    } catch (e) {
      if (!isNotFound(e)) errors.push(e);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, `[${errors.map((e) => (e instanceof Error ? e.message : String(e))).join(', ')}]`);
  return claimed;
}

/**
 * controller.RecheckDeletionTimestamp over a fresh GET: the owner must still be the same object
 * (uid) and not being deleted.
 */
export function recheckDeletionTimestamp(kind: string, owner: KubeObject, getFresh: () => Promise<KubeObject>): () => Promise<void> {
  return async () => {
    const fresh = await getFresh();
    const ns = owner.metadata.namespace;
    if (fresh.metadata.uid !== owner.metadata.uid) {
      throw new Error(`original ${kind} ${ns}/${owner.metadata.name} is gone: got uid ${fresh.metadata.uid}, wanted ${owner.metadata.uid}`);
    }
    if (fresh.metadata.deletionTimestamp) throw new Error(`${ns}/${owner.metadata.name} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
  };
}
