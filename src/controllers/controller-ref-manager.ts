// kube-controller-manager's ControllerRefManager (pkg/controller/controller_ref_manager.go): a
// controller claims the objects its selector matches. It keeps what it owns and still matches,
// adopts matching orphans (after one uncached re-read proves the controller itself is not being
// deleted or replaced), releases what it owns but no longer matches, and leaves objects controlled
// by someone else alone. Adoption and release are strategic merge patches of
// metadata.ownerReferences keyed by uid, as upstream sends them.
import type { KubeObject, OwnerReference } from '../api/types.js';
import { controllerRef } from '../api/pod.js';
import { hasReason, StatusError } from '../apimachinery/errors.js';
import { matchesCached, type LabelSelector } from '../apimachinery/labels.js';
import { isNotFound, type ResourceClient } from '../client/rest.js';

/** The kind of an owner, as NewControllerRef takes it. */
export interface OwnerKind {
  apiVersion: string;
  kind: string;
}

/** metav1.NewControllerRef: controller and blockOwnerDeletion both true. */
export function newControllerRef(owner: KubeObject, kind: OwnerKind): OwnerReference {
  return { apiVersion: kind.apiVersion, kind: kind.kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

/** A strategic-merge patch making owner the controller of an object (ownerRefControllerPatch). */
export function adoptPatch(owner: KubeObject, kind: OwnerKind, objUid: string): unknown {
  return { metadata: { ownerReferences: [newControllerRef(owner, kind)], uid: objUid } };
}

/** A strategic-merge patch dropping owner's reference from an object (deleteOwnerRefStrategicMergePatch). */
export function releasePatch(ownerUid: string, objUid: string): unknown {
  return { metadata: { ownerReferences: [{ $patch: 'delete', uid: ownerUid }], uid: objUid } };
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

export interface ClaimOptions<T extends KubeObject> {
  /** The controller object (Deployment, ReplicaSet, StatefulSet, DaemonSet) as the cache has it. */
  owner: KubeObject;
  ownerKind: OwnerKind;
  selector: LabelSelector;
  /** Further membership test beyond the selector (StatefulSets: the pod's name has the set's). */
  filter?: (obj: T) => boolean;
  /** Where adoption and release patches go (each object's own namespace is used). */
  client: ResourceClient<T>;
  /** Throws when the owner must not adopt (RecheckDeletionTimestamp); called at most once. */
  canAdopt: () => Promise<void>;
}

/**
 * Claims objs for owner; returns the objects it controls afterwards. Adoption or release errors
 * other than NotFound are collected and thrown after every object was tried, aggregated as
 * upstream's utilerrors.NewAggregate.
 */
export async function claimObjects<T extends KubeObject>(objs: T[], opts: ClaimOptions<T>): Promise<T[]> {
  const { owner } = opts;
  const ownerUid = owner.metadata.uid;
  const claimed: T[] = [];
  const errors: unknown[] = [];
  // Informer objects' label maps are never mutated, so matches are memoised across syncs.
  const match = (o: T) => matchesCached(opts.selector, o.metadata.labels) && (opts.filter?.(o) ?? true);
  let adoptCheck: Promise<void> | undefined;
  for (const obj of objs) {
    const ref = controllerRef(obj);
    if (ref) {
      if (ref.uid !== ownerUid) continue; // someone else's
      if (match(obj)) {
        claimed.push(obj);
        continue;
      }
      if (owner.metadata.deletionTimestamp) continue;
      try {
        await opts.client.namespace(obj.metadata.namespace!).patch(obj.metadata.name!, 'strategic', releasePatch(ownerUid!, obj.metadata.uid!));
      } catch (e) {
        // Gone, or its uid changed (Invalid): either way it is no longer ours.
        if (!isNotFound(e) && !isInvalid(e)) errors.push(e);
      }
      continue;
    }
    // An orphan.
    if (owner.metadata.deletionTimestamp || !match(obj) || obj.metadata.deletionTimestamp) continue;
    if (owner.metadata.namespace && owner.metadata.namespace !== obj.metadata.namespace) continue;
    try {
      adoptCheck ??= opts.canAdopt();
      await adoptCheck;
      claimed.push(await opts.client.namespace(obj.metadata.namespace!).patch(obj.metadata.name!, 'strategic', adoptPatch(owner, opts.ownerKind, obj.metadata.uid!)));
    } catch (e) {
      if (!isNotFound(e)) errors.push(e);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, `[${errors.map((e) => (e instanceof Error ? e.message : String(e))).join(', ')}]`);
  return claimed;
}

/** errors.IsInvalid. */
function isInvalid(e: unknown): boolean {
  return hasReason(e, 'Invalid') || (e instanceof StatusError && e.code === 422);
}
