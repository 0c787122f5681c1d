// ControllerRevision history as pkg/controller/history keeps it for StatefulSets and DaemonSets:
// immutable snapshots of a controller's template named "<owner>-<hash>", ordered by .revision,
// listed through the shared cache, created with a collision count that perturbs the hash when a
// different snapshot already holds the name, and adopted / released through controller refs.
import { jsonRoundTrip } from '../../apimachinery/json.js';
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../api/types.js';
import type { ControllerRevision } from '../../api/objects.js';
import { controllerRef } from '../../api/pod.js';
import { hasReason } from '../../apimachinery/errors.js';
import { matches, type LabelSelector } from '../../apimachinery/labels.js';
import type { Lister } from '../../client/informer.js';
import { isConflict, isNotFound, type ResourceClient, type RestClient } from '../../client/rest.js';
import { adoptPatch, newControllerRef, releasePatch, type OwnerKind } from '../controller-ref-manager.js';
import { controllerRevisionName, hashControllerRevisionData } from './hash.js';
import { CONTROLLER_REVISIONS } from '../../client/refs.js';

/** history.ControllerRevisionHashLabel: the hash a revision's name was built from. */
export const CONTROLLER_REVISION_HASH_LABEL = 'controller.kubernetes.io/hash';

/** A JSON round trip: what the object looks like once stored and read back. */
export function jsonClone<T>(v: T): T {
  return jsonRoundTrip(v) as T;
}

/**
 * history.NewControllerRevision: a revision of parent holding data, labelled with the template's
 * labels plus the hash label, named from the hash of data and collisionCount.
 */
export function newControllerRevision(
  parent: KubeObject,
  kind: OwnerKind,
  templateLabels: Record<string, string> | undefined,
  data: unknown,
  revision: number,
  collisionCount?: number,
): ControllerRevision {
  const hash = hashControllerRevisionData(data, collisionCount);
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: controllerRevisionName(parent.metadata.name!, hash),
      namespace: parent.metadata.namespace,
      labels: { ...(templateLabels ?? {}), [CONTROLLER_REVISION_HASH_LABEL]: hash },
      ownerReferences: [newControllerRef(parent, kind)],
    },
    data: jsonClone(data) as ControllerRevision['data'],
    revision,
  };
}

/** history.SortControllerRevisions: by revision, then creation time, then name. */
export function sortControllerRevisions(revisions: ControllerRevision[]): ControllerRevision[] {
  return revisions.sort((a, b) => {
    if (a.revision !== b.revision) return a.revision - b.revision;
    const ta = a.metadata.creationTimestamp ?? '';
    const tb = b.metadata.creationTimestamp ?? '';
    if (ta !== tb) return Date.parse(ta) - Date.parse(tb);
    return (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
  });
}

/**
 * history.EqualRevision: the same data (hash labels, when both parse as numbers, must agree too;
 * SafeEncodeString hashes never do, so in practice this compares data).
 */
export function equalRevision(lhs: ControllerRevision | undefined, rhs: ControllerRevision | undefined): boolean {
  if (!lhs || !rhs) return lhs === rhs;
  const lh = numericHash(lhs);
  const rh = numericHash(rhs);
  if (lh !== undefined && rh !== undefined && lh !== rh) return false;
  return isDeepStrictEqual(jsonClone(lhs.data), jsonClone(rhs.data));
}

function numericHash(r: ControllerRevision): number | undefined {
  const s = r.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL];
  return s !== undefined && /^-?\d+$/.test(s) ? Number(s) : undefined;
}

/** history.FindEqualRevisions. */
export function findEqualRevisions(revisions: ControllerRevision[], needle: ControllerRevision): ControllerRevision[] {
  return revisions.filter((r) => equalRevision(r, needle));
}

/** The next revision number: one more than the largest (revisions sorted), 1 for none. */
export function nextRevision(sorted: ControllerRevision[]): number {
  return sorted.length === 0 ? 1 : sorted[sorted.length - 1].revision + 1;
}

/** The largest revision number, 0 for none. */
export function maxRevision(revisions: ControllerRevision[]): number {
  return revisions.reduce((m, r) => Math.max(m, r.revision), 0);
}

/** history.Interface over the API (realHistory): writes through client, reads through the cache. */
export class ControllerHistory {
  private readonly revisions: ResourceClient<ControllerRevision>;

  constructor(
    client: RestClient,
    private readonly lister: Lister<ControllerRevision>,
  ) {
    this.revisions = client.resource<ControllerRevision>(CONTROLLER_REVISIONS);
  }

  /** Revisions in parent's namespace matching selector that parent controls or nobody does. */
  listControllerRevisions(parent: KubeObject, selector: LabelSelector): ControllerRevision[] {
    return this.lister
      .list(parent.metadata.namespace)
      .filter((r) => matches(selector, r.metadata.labels))
      .filter((r) => {
        const ref = controllerRef(r);
        return !ref || ref.uid === parent.metadata.uid;
      });
  }

  /**
   * Creates revision under parent's name and the hash of its data and collisionCount; when another
   * revision holds that name with different data, bumps the count and tries again. Returns the
   * stored revision and the count that named it.
   */
  async createControllerRevision(parent: KubeObject, revision: ControllerRevision, collisionCount: number): Promise<{ revision: ControllerRevision; collisionCount: number }> {
    const ns = parent.metadata.namespace!;
    const client = this.revisions.namespace(ns);
    for (;;) {
      const clone = jsonClone(revision);
      clone.metadata.name = controllerRevisionName(parent.metadata.name!, hashControllerRevisionData(revision.data, collisionCount));
      clone.metadata.namespace = ns;
      try {
        return { revision: await client.create(clone), collisionCount };
      } catch (e) {
        if (!hasReason(e, 'AlreadyExists')) throw e;
        const existing = await client.get(clone.metadata.name!);
        if (isDeepStrictEqual(jsonClone(existing.data), jsonClone(clone.data))) return { revision: existing, collisionCount };
        collisionCount++;
      }
    }
  }

  /** Sets revision's number to newRevision, retrying on conflicts with a fresh read. */
  async updateControllerRevision(revision: ControllerRevision, newRevision: number): Promise<ControllerRevision> {
    const client = this.revisions.namespace(revision.metadata.namespace!);
    let clone = jsonClone(revision);
    for (let attempt = 0; ; attempt++) {
      if (clone.revision === newRevision) return clone;
      clone.revision = newRevision;
      try {
        return await client.update(clone);
      } catch (e) {
        if (!isConflict(e) || attempt >= 5) throw e;
        clone = await client.get(revision.metadata.name!);
      }
    }
  }

  /** Deletes a revision; one already gone is fine. */
  async deleteControllerRevision(revision: ControllerRevision): Promise<void> {
    try {
      await this.revisions.namespace(revision.metadata.namespace!).delete(revision.metadata.name!);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  /** Makes parent the controller of an orphaned revision. */
  async adoptControllerRevision(parent: KubeObject, kind: OwnerKind, revision: ControllerRevision): Promise<ControllerRevision> {
    const owner = controllerRef(revision);
    if (owner) throw new Error(`attempt to adopt revision owned by ${JSON.stringify(owner)}`);
    return this.revisions
      .namespace(revision.metadata.namespace!)
      .patch(revision.metadata.name!, 'strategic', adoptPatch(parent, kind, revision.metadata.uid!));
  }

  /** Drops parent's controller reference from a revision. */
  async releaseControllerRevision(parent: KubeObject, revision: ControllerRevision): Promise<ControllerRevision | undefined> {
    try {
      return await this.revisions
        .namespace(revision.metadata.namespace!)
        .patch(revision.metadata.name!, 'strategic', releasePatch(parent.metadata.uid!, revision.metadata.uid!));
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }
}
