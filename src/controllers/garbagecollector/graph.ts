// The garbage collector's dependency graph (pkg/controller/garbagecollector/graph.go): one node per
// uid, with the owner references the object lists and the nodes that list it as an owner. Owners
// that have not been observed yet exist as "virtual" nodes until the API server confirms them.
import type { OwnerReference } from '../../api/types.js';

/** An object's coordinates: the owner-reference fields plus its namespace (objectReference). */
export interface ObjectIdentity {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  /** "" for cluster-scoped objects. */
  namespace: string;
}

/** metav1.FinalizerDeleteDependents: the owner waits for its blocking dependents (Foreground). */
export const FINALIZER_DELETE_DEPENDENTS = 'foregroundDeletion';
/** metav1.FinalizerOrphanDependents: the owner's dependents lose their reference to it (Orphan). */
export const FINALIZER_ORPHAN_DEPENDENTS = 'orphan';

/** "v1/ConfigMap, namespace: ns, name: n, uid: u", as objectReference.String() prints. */
export function identityString(id: ObjectIdentity): string {
  return `[${id.apiVersion}/${id.kind}, namespace: ${id.namespace}, name: ${id.name}, uid: ${id.uid}]`;
}

/** True when both identities name the same coordinates. */
export function sameIdentity(a: ObjectIdentity, b: ObjectIdentity): boolean {
  return a.apiVersion === b.apiVersion && a.kind === b.kind && a.name === b.name && a.uid === b.uid && a.namespace === b.namespace;
}

/** ownerReferenceMatchesCoordinates: uid, name, kind and apiVersion agree. */
export function ownerReferenceMatches(ref: OwnerReference, id: Pick<ObjectIdentity, 'apiVersion' | 'kind' | 'name' | 'uid'>): boolean {
  return ref.uid === id.uid && ref.name === id.name && ref.kind === id.kind && ref.apiVersion === id.apiVersion;
}

/** A node of the graph. Fields change only through the GraphBuilder. */
export class GraphNode {
  readonly dependents = new Set<GraphNode>();
  owners: OwnerReference[];
  /** True until an informer has shown the object (owners created from references start this way). */
  virtual: boolean;
  /** The object has a deletionTimestamp. */
  beingDeleted: boolean;
  /** The object has a deletionTimestamp and the foregroundDeletion finalizer. */
  deletingDependents: boolean;

  constructor(
    public identity: ObjectIdentity,
    init: { owners?: OwnerReference[]; virtual?: boolean; beingDeleted?: boolean; deletingDependents?: boolean } = {},
  ) {
    this.owners = init.owners ?? [];
    this.virtual = init.virtual ?? false;
    this.beingDeleted = init.beingDeleted ?? false;
    this.deletingDependents = init.deletingDependents ?? false;
  }

  get observed(): boolean {
    return !this.virtual;
  }

  /** A copy with its own dependents set (the old node stays valid for whoever holds it). */
  clone(): GraphNode {
    const c = new GraphNode({ ...this.identity }, {
      owners: [...this.owners],
      virtual: this.virtual,
      beingDeleted: this.beingDeleted,
      deletingDependents: this.deletingDependents,
    });
    for (const d of this.dependents) c.dependents.add(d);
    return c;
  }

  /** Dependents whose reference to this node has blockOwnerDeletion=true: they hold up a foreground deletion. */
  blockingDependents(): GraphNode[] {
    return [...this.dependents].filter((d) => d.owners.some((r) => r.uid === this.identity.uid && r.blockOwnerDeletion === true));
  }

  /** The owner references with blockOwnerDeletion turned off, for those that had it on. */
  unblockedOwnerReferences(): OwnerReference[] {
    return this.owners.filter((r) => r.blockOwnerDeletion === true).map((r) => ({ ...r, blockOwnerDeletion: false }));
  }
}

/** The dependents of an owner that refer to it by exactly these coordinates, and those that disagree. */
export function partitionDependents(dependents: Iterable<GraphNode>, owner: ObjectIdentity): { matching: GraphNode[]; nonmatching: GraphNode[] } {
  const matching: GraphNode[] = [];
  const nonmatching: GraphNode[] = [];
  const ownerNamespaced = owner.namespace !== '';
  for (const dep of dependents) {
    let match = false;
    let mismatch = false;
    if (ownerNamespaced && owner.namespace !== dep.identity.namespace) {
      mismatch = true; // a namespaced owner can only own objects in its own namespace
    } else {
      for (const ref of dep.owners) {
        if (ref.uid !== owner.uid) continue;
        if (ownerReferenceMatches(ref, owner)) match = true;
        else mismatch = true;
      }
    }
    if (match) matching.push(dep);
    if (mismatch) nonmatching.push(dep);
  }
  return { matching, nonmatching };
}

function referenceLess(a: ObjectIdentity, b: ObjectIdentity): boolean {
  // kind and apiVersion first, so alternates of one kind sort together whatever their scope.
  for (const k of ['kind', 'apiVersion', 'namespace', 'name', 'uid'] as const) {
    if (a[k] !== b[k]) return a[k] < b[k];
  }
  return false;
}

/**
 * Another identity the dependents use for a uid verified absent under `absent` (getAlternateOwnerIdentity):
 * the first that sorts after it, else the first overall, else undefined.
 */
export function alternateOwnerIdentity(deps: Iterable<GraphNode>, absent: ObjectIdentity): ObjectIdentity | undefined {
  const absentClusterScoped = absent.namespace === '';
  const seen = new Set<string>([JSON.stringify(absent)]);
  let first: ObjectIdentity | undefined;
  let firstFollowing: ObjectIdentity | undefined;
  for (const dep of deps) {
    for (const ref of dep.owners) {
      if (ref.uid !== absent.uid) continue;
      if (ownerReferenceMatches(ref, absent) && (absentClusterScoped || absent.namespace === dep.identity.namespace)) continue;
      const alt: ObjectIdentity = { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid, namespace: dep.identity.namespace };
      // That apiVersion/kind is known to be cluster-scoped from the verified identity.
      if (absentClusterScoped && alt.apiVersion === absent.apiVersion && alt.kind === absent.kind) alt.namespace = '';
      const key = JSON.stringify(alt);
      if (seen.has(key)) continue;
      seen.add(key);
      if (!first || referenceLess(alt, first)) first = alt;
      if (referenceLess(absent, alt) && (!firstFollowing || referenceLess(alt, firstFollowing))) firstFollowing = alt;
    }
  }
  return firstFollowing ?? first;
}

/** Owner references added, removed and changed between two lists, matched by uid (referencesDiffs). */
export function referencesDiffs(
  oldRefs: OwnerReference[],
  newRefs: OwnerReference[],
): { added: OwnerReference[]; removed: OwnerReference[]; changed: { oldRef: OwnerReference; newRef: OwnerReference }[] } {
  const oldByUid = new Map(oldRefs.map((r) => [r.uid, r]));
  const added: OwnerReference[] = [];
  const changed: { oldRef: OwnerReference; newRef: OwnerReference }[] = [];
  for (const r of newRefs) {
    const o = oldByUid.get(r.uid);
    if (!o) {
      added.push(r);
      continue;
    }
    if (!sameReference(o, r)) changed.push({ oldRef: o, newRef: r });
    oldByUid.delete(r.uid);
  }
  return { added, removed: [...oldByUid.values()], changed };
}

function sameReference(a: OwnerReference, b: OwnerReference): boolean {
  return (
    a.apiVersion === b.apiVersion &&
    a.kind === b.kind &&
    a.name === b.name &&
    a.uid === b.uid &&
    (a.controller ?? null) === (b.controller ?? null) &&
    (a.blockOwnerDeletion ?? null) === (b.blockOwnerDeletion ?? null)
  );
}

/** A bounded set of identities verified absent (the absentOwnerCache, an LRU of 500 upstream). */
export class ReferenceCache {
  private readonly entries = new Map<string, true>();
  constructor(private readonly max = 500) {}

  private static key(id: ObjectIdentity): string {
    return JSON.stringify([id.apiVersion, id.kind, id.name, id.uid, id.namespace]);
  }
  add(id: ObjectIdentity): void {
    const k = ReferenceCache.key(id);
    this.entries.delete(k);
    this.entries.set(k, true);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }
  has(id: ObjectIdentity): boolean {
    const k = ReferenceCache.key(id);
    if (!this.entries.has(k)) return false;
    this.entries.delete(k);
    this.entries.set(k, true);
    return true;
  }
}
