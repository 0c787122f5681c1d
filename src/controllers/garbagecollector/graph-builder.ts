// The GraphBuilder (pkg/controller/garbagecollector/graph_builder.go): metadata-only informers
// ("monitors") on every deletable resource feed one serialized stream of changes into the
// dependency graph, which decides what the collector should look at: dependents of owners that went
// away, owners that started a foreground or orphan deletion, owners no longer blocked.
import type { KubeObject, OwnerReference } from '../../api/types.js';
import { DeletedFinalStateUnknown, SharedInformer, type EventHandler, type Logger } from '../../client/informer.js';
import type { DiscoveredResource, RestClient } from '../../client/rest.js';
import type { WorkQueue } from '../../client/workqueue.js';
import type { Clock } from '../../sim/clock.js';
import {
  alternateOwnerIdentity,
  FINALIZER_DELETE_DEPENDENTS,
  FINALIZER_ORPHAN_DEPENDENTS,
  GraphNode,
  identityString,
  ownerReferenceMatches,
  partitionDependents,
  ReferenceCache,
  referencesDiffs,
  sameIdentity,
  type ObjectIdentity,
} from './graph.js';

/** Resources the collector never watches: events are many and never own anything. */
export const DEFAULT_IGNORED_RESOURCES: ReadonlySet<string> = new Set(['/events', 'events.k8s.io/events']);

/** One change for the graph: from an informer, or a "virtual" delete the collector verified. */
export interface GraphEvent {
  type: 'add' | 'update' | 'delete';
  obj: KubeObject;
  oldObj?: KubeObject;
  /** The event's apiVersion and kind (the monitor's resource). */
  apiVersion: string;
  kind: string;
  virtual?: boolean;
}

interface Monitor {
  resource: DiscoveredResource;
  informer: SharedInformer;
  handler: EventHandler<KubeObject>;
  /**
   * Stops the collector's own metadata-only informer; absent for one of the controllers' shared
   * informers, which the collector neither starts nor stops.
   */
  stop?: AbortController;
}

/** Where the collector finds informers the other controllers already run (SharedInformerFactory). */
export interface InformerSource {
  existing(ref: { group: string; version: string; resource: string }): SharedInformer | undefined;
}

/** The key of a resource in the monitor table: "group/version/resource". */
export function resourceKey(r: { group: string; version: string; resource: string }): string {
  return `${r.group}/${r.version}/${r.resource}`;
}

/** The preferred resources that support delete, list and watch (GetDeletableResources). */
export function deletableResources(all: DiscoveredResource[], ignored: ReadonlySet<string> = DEFAULT_IGNORED_RESOURCES): DiscoveredResource[] {
  return all.filter(
    (r) => r.preferred && ['delete', 'list', 'watch'].every((v) => r.verbs.includes(v)) && !ignored.has(`${r.group}/${r.resource}`),
  );
}

function hasFinalizer(obj: KubeObject | undefined, f: string): boolean {
  return !!obj?.metadata.finalizers?.includes(f);
}

function beingDeleted(obj: KubeObject | undefined): boolean {
  return !!obj?.metadata.deletionTimestamp;
}

// deletionStartsWithFinalizer: the new object is being deleted with the finalizer, the old one was not.
function deletionStartsWithFinalizer(oldObj: KubeObject | undefined, obj: KubeObject, f: string): boolean {
  if (!beingDeleted(obj) || !hasFinalizer(obj, f)) return false;
  if (!oldObj) return true;
  return !beingDeleted(oldObj) || !hasFinalizer(oldObj, f);
}

/** Configures the GraphBuilder. */
export interface GraphBuilderConfig {
  client: RestClient;
  clock: Clock;
  attemptToDelete: WorkQueue<GraphNode>;
  attemptToOrphan: WorkQueue<GraphNode>;
  absentOwnerCache: ReferenceCache;
  ignoredResources?: ReadonlySet<string>;
  minWatchTimeoutMs?: number;
  log: Logger;
  /**
   * The controller manager's shared informers: a resource one of them watches already is monitored
   * through it (as upstream's informerfactory.ForResource hands the collector the typed shared
   * informer), so each change is listed, watched and cached once, not again by a monitor of its own.
   */
  informers?: InformerSource;
  /** Records an Event on an object (OwnerRefInvalidNamespace); optional. */
  recordEvent?: (about: ObjectIdentity, type: 'Normal' | 'Warning', reason: string, message: string) => void;
}

/** Builds and maintains the owner→dependents graph. */
export class GraphBuilder {
  readonly uidToNode = new Map<string, GraphNode>();
  private readonly monitors = new Map<string, Monitor>();
  private signal?: AbortSignal;

  constructor(private readonly config: GraphBuilderConfig) {}

  /** Starts (or stops) monitors so exactly `resources` are watched. */
  syncMonitors(resources: DiscoveredResource[]): { added: number; removed: number } {
    const want = new Map(resources.map((r) => [resourceKey(r), r]));
    let added = 0;
    let removed = 0;
    for (const [key, m] of this.monitors) {
      if (want.has(key)) continue;
      if (m.stop) m.stop.abort();
      else m.informer.removeEventHandler(m.handler);
      this.monitors.delete(key);
      removed++;
    }
    for (const [key, r] of want) {
      if (this.monitors.has(key)) continue;
      this.monitors.set(key, this.monitorFor(r));
      added++;
    }
    if (this.signal) this.startMonitors(this.signal);
    return { added, removed };
  }

  private monitorFor(r: DiscoveredResource): Monitor {
    const apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
    const event = (type: GraphEvent['type'], obj: KubeObject, oldObj?: KubeObject) => this.processGraphChange({ type, obj, oldObj, apiVersion, kind: r.kind });
    const handler: EventHandler<KubeObject> = {
      onAdd: (obj) => event('add', obj),
      onUpdate: (oldObj, obj) => event('update', obj, oldObj),
      onDelete: (obj) => event('delete', obj instanceof DeletedFinalStateUnknown ? obj.obj : obj),
    };
    const shared = this.config.informers?.existing(r);
    if (shared) {
      shared.addEventHandler(handler, 0);
      return { resource: r, informer: shared, handler };
    }
    const informer = new SharedInformer<KubeObject>({
      lw: this.config.client.resource({ group: r.group, version: r.version, resource: r.resource, namespaced: r.namespaced, kind: r.kind }, { metadataOnly: true }),
      clock: this.config.clock,
      minWatchTimeoutMs: this.config.minWatchTimeoutMs,
      name: `garbagecollector ${r.group ? `${r.resource}.${r.version}.${r.group}` : `${r.resource}.${r.version}`}`,
      log: this.config.log,
      typeMeta: { apiVersion, kind: r.kind },
    });
    informer.addEventHandler(handler);
    return { resource: r, informer, handler, stop: new AbortController() };
  }

  /** Starts every monitor not yet running; monitors added later start at once. */
  startMonitors(signal: AbortSignal): void {
    if (this.signal !== signal) {
      this.signal = signal;
      // One listener for every monitor, not one each: those would pile up on the cluster's signal
      // (Node warns past 10) and outlive the monitors of resources that went away.
      signal.addEventListener('abort', () => this.monitors.forEach((m) => m.stop?.abort()), { once: true });
    }
    for (const m of this.monitors.values()) {
      // A shared informer runs on the controller manager's signal, started by its factory.
      const stop = m.stop;
      if (!stop || m.informer.isStarted) continue;
      if (signal.aborted) stop.abort();
      m.informer.start(stop.signal);
    }
  }

  /** True when there are monitors and every one has listed. */
  isSynced(): boolean {
    if (!this.monitors.size) return false;
    return [...this.monitors.values()].every((m) => m.informer.hasSynced());
  }

  /** The resources being watched. */
  monitoredResources(): DiscoveredResource[] {
    return [...this.monitors.values()].map((m) => m.resource);
  }

  /** Queues a delete for a node the API server says does not exist (enqueueVirtualDeleteEvent). */
  enqueueVirtualDeleteEvent(id: ObjectIdentity): void {
    this.processGraphChange({
      type: 'delete',
      virtual: true,
      apiVersion: id.apiVersion,
      kind: id.kind,
      obj: { apiVersion: id.apiVersion, kind: id.kind, metadata: { namespace: id.namespace || undefined, uid: id.uid, name: id.name } },
    });
  }

  private identityFromEvent(e: GraphEvent): ObjectIdentity {
    return { apiVersion: e.apiVersion, kind: e.kind, uid: e.obj.metadata.uid ?? '', name: e.obj.metadata.name ?? '', namespace: e.obj.metadata.namespace ?? '' };
  }

  /** Applies one change to the graph (processGraphChanges); all graph mutation happens here. */
  processGraphChange(e: GraphEvent): void {
    const { attemptToDelete, absentOwnerCache } = this.config;
    const meta = e.obj.metadata;
    const uid = meta.uid ?? '';
    let existing = this.uidToNode.get(uid);
    if (existing && !e.virtual && existing.virtual) {
      // First sight of an owner the graph only knew from references.
      const observed = this.identityFromEvent(e);
      if (!sameIdentity(observed, existing.identity)) {
        // Dependents that name it by other coordinates may be wrong; let the collector verify them.
        const { nonmatching } = partitionDependents(existing.dependents, observed);
        for (const dep of nonmatching) {
          if (observed.namespace && dep.identity.namespace !== observed.namespace) this.reportInvalidNamespaceOwnerRef(dep, observed.uid);
          attemptToDelete.add(dep);
        }
        existing = existing.clone();
        existing.identity = observed;
        this.uidToNode.set(uid, existing);
      }
      existing.virtual = false;
    }

    if ((e.type === 'add' || e.type === 'update') && !existing) {
      const node = new GraphNode(this.identityFromEvent(e), {
        owners: [...(meta.ownerReferences ?? [])],
        beingDeleted: beingDeleted(e.obj),
        deletingDependents: beingDeleted(e.obj) && hasFinalizer(e.obj, FINALIZER_DELETE_DEPENDENTS),
      });
      this.uidToNode.set(uid, node);
      this.addDependentToOwners(node, node.owners);
      this.processTransitions(e.oldObj, e.obj, node);
      return;
    }
    if (e.type === 'add' || e.type === 'update') {
      let node = existing!;
      if (!e.virtual && (node.identity.apiVersion !== e.apiVersion || node.identity.kind !== e.kind)) {
        // The object was seen through another version: keep the graph's identity current.
        const old = node;
        node = node.clone();
        node.identity = { ...node.identity, apiVersion: e.apiVersion, kind: e.kind };
        this.uidToNode.set(uid, node);
        for (const ref of node.owners) {
          const owner = this.uidToNode.get(ref.uid);
          if (owner?.dependents.delete(old)) owner.dependents.add(node);
        }
      }
      const { added, removed, changed } = referencesDiffs(node.owners, meta.ownerReferences ?? []);
      if (added.length || removed.length || changed.length) {
        this.addUnblockedOwnersToDeleteQueue(removed, changed);
        node.owners = [...(meta.ownerReferences ?? [])];
        this.addDependentToOwners(node, added);
        this.removeDependentFromOwners(node, removed);
      }
      if (beingDeleted(e.obj)) node.beingDeleted = true;
      this.processTransitions(e.oldObj, e.obj, node);
      return;
    }

    // delete
    if (!existing) return;
    let removeExisting = true;
    if (e.virtual) {
      const deleted = this.identityFromEvent(e);
      if (existing.virtual) {
        const { matching, nonmatching } = partitionDependents(existing.dependents, deleted);
        if (nonmatching.length) {
          // Some dependents name this uid by other coordinates: keep the node until those are verified too.
          removeExisting = false;
          if (matching.length) {
            absentOwnerCache.add(deleted);
            for (const dep of matching) attemptToDelete.add(dep);
          }
          if (sameIdentity(existing.identity, deleted)) {
            const replacement = alternateOwnerIdentity(nonmatching, deleted);
            if (replacement) {
              const node = existing.clone();
              node.identity = replacement;
              this.uidToNode.set(uid, node);
              attemptToDelete.addRateLimited(node);
            }
          }
        }
      } else if (!sameIdentity(existing.identity, deleted)) {
        // The observed object is real; only the dependents using the absent coordinates are affected.
        removeExisting = false;
        const { matching } = partitionDependents(existing.dependents, deleted);
        if (matching.length) {
          absentOwnerCache.add(deleted);
          for (const dep of matching) attemptToDelete.add(dep);
        }
      }
    }
    if (!removeExisting) return;
    this.removeNode(existing);
    if (existing.dependents.size) absentOwnerCache.add(this.identityFromEvent(e));
    for (const dep of existing.dependents) attemptToDelete.add(dep);
    for (const ref of existing.owners) {
      const owner = this.uidToNode.get(ref.uid);
      // An owner waiting for its dependents may now be free to go.
      if (owner?.deletingDependents) attemptToDelete.add(owner);
    }
  }

  private processTransitions(oldObj: KubeObject | undefined, obj: KubeObject, node: GraphNode): void {
    if (deletionStartsWithFinalizer(oldObj, obj, FINALIZER_ORPHAN_DEPENDENTS)) {
      this.config.attemptToOrphan.add(node);
      return;
    }
    if (deletionStartsWithFinalizer(oldObj, obj, FINALIZER_DELETE_DEPENDENTS)) {
      // A node first created as virtual has not had this set yet.
      node.deletingDependents = true;
      for (const dep of node.dependents) this.config.attemptToDelete.add(dep);
      this.config.attemptToDelete.add(node);
    }
  }

  // A removed blocking reference, or one turned non-blocking, may let a foreground deletion finish.
  private addUnblockedOwnersToDeleteQueue(removed: OwnerReference[], changed: { oldRef: OwnerReference; newRef: OwnerReference }[]): void {
    for (const ref of removed) {
      if (ref.blockOwnerDeletion !== true) continue;
      const node = this.uidToNode.get(ref.uid);
      if (node) this.config.attemptToDelete.add(node);
    }
    for (const c of changed) {
      if (c.oldRef.blockOwnerDeletion === true && c.newRef.blockOwnerDeletion !== true) {
        const node = this.uidToNode.get(c.newRef.uid);
        if (node) this.config.attemptToDelete.add(node);
      }
    }
  }

  /**
   * Adds n to its owners' dependents, creating virtual owners the collector must verify, and queues
   * n itself when a reference looks wrong (namespace or coordinates disagree with the owner seen).
   */
  private addDependentToOwners(n: GraphNode, owners: OwnerReference[]): void {
    let potentiallyInvalid = false;
    for (const ref of owners) {
      let owner = this.uidToNode.get(ref.uid);
      const isNew = !owner;
      if (!owner) {
        owner = new GraphNode(
          { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid, namespace: n.identity.namespace },
          { virtual: true },
        );
        this.uidToNode.set(ref.uid, owner);
      }
      owner.dependents.add(n);
      if (isNew) {
        this.config.attemptToDelete.add(owner);
      } else if (!potentiallyInvalid) {
        const ownerNamespaced = owner.identity.namespace !== '';
        if (ownerNamespaced && owner.identity.namespace !== n.identity.namespace) {
          if (owner.observed) this.reportInvalidNamespaceOwnerRef(n, ref.uid);
          potentiallyInvalid = true;
        } else if (!ownerReferenceMatches(ref, owner.identity)) {
          potentiallyInvalid = true;
        } else if (!ownerNamespaced && owner.identity.namespace !== n.identity.namespace && owner.virtual) {
          // A virtual cluster-scoped owner may really be a missing namespaced object (kubernetes#98040).
          potentiallyInvalid = true;
        }
      }
    }
    if (potentiallyInvalid) this.config.attemptToDelete.add(n);
  }

  private removeDependentFromOwners(n: GraphNode, owners: OwnerReference[]): void {
    for (const ref of owners) this.uidToNode.get(ref.uid)?.dependents.delete(n);
  }

  private removeNode(n: GraphNode): void {
    this.uidToNode.delete(n.identity.uid);
    this.removeDependentFromOwners(n, n.owners);
  }

  private reportInvalidNamespaceOwnerRef(n: GraphNode, ownerUid: string): void {
    const ref = n.owners.find((r) => r.uid === ownerUid);
    if (!ref) return;
    const invalid: ObjectIdentity = { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid, namespace: n.identity.namespace };
    const message = `ownerRef ${identityString(invalid)} does not exist in namespace ${JSON.stringify(n.identity.namespace)}`;
    this.config.recordEvent?.(n.identity, 'Warning', 'OwnerRefInvalidNamespace', message);
    this.config.log(`garbagecollector: ${identityString(n.identity)}: ${message}`);
  }
}
