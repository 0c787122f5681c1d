// kube-controller-manager's garbage collector (pkg/controller/garbagecollector/garbagecollector.go
// and operations.go), entirely through the client: it deletes dependents whose owners are gone
// (verified by a live GET: absent, or a different uid), drives foreground deletions (dependents
// first, blockOwnerDeletion holds the owner, then the foregroundDeletion finalizer goes), and orphans
// dependents of owners deleted with the orphan finalizer. Discovery re-runs periodically so custom
// resources are collected too.
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject, OwnerReference } from '../../api/types.js';
import { StatusError } from '../../apimachinery/errors.js';
import { stderrLogger, type Logger } from '../../client/informer.js';
import { isConflict, isNotFound, type ResourceClient, type RestClient } from '../../client/rest.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { Clock, TimerHandle } from '../../sim/clock.js';
import { deletableResources, DEFAULT_IGNORED_RESOURCES, GraphBuilder, resourceKey, type InformerSource } from './graph-builder.js';
import { FINALIZER_DELETE_DEPENDENTS, FINALIZER_ORPHAN_DEPENDENTS, GraphNode, identityString, ReferenceCache, type ObjectIdentity } from './graph.js';

/** Configures the garbage collector. */
export interface GarbageCollectorConfig {
  client: RestClient;
  clock: Clock;
  /** Concurrent workers per queue (--concurrent-gc-syncs, 20 upstream). */
  workers?: number;
  /** How often discovery is re-read for new resources (30 s upstream). */
  discoveryPeriodMs?: number;
  /** "group/resource" entries never monitored (events by default). */
  ignoredResources?: ReadonlySet<string>;
  minWatchTimeoutMs?: number;
  /** The controller manager's shared informers, used for the resources they already watch. */
  informers?: InformerSource;
  log?: Logger;
}

/** The owner's kind is not served (yet): a CRD not discovered, or a bad apiVersion. Retried. */
class RestMappingError extends Error {
  constructor(kind: string, apiVersion: string) {
    super(`unable to get REST mapping for ${kind}/${apiVersion}.`);
  }
}

// A virtual delete was queued for the item: nothing to retry.
const VIRTUAL_DELETE_ENQUEUED = Symbol('enqueued virtual delete event');
// A cluster-scoped object naming a namespaced owner: retrying will not help.
const NAMESPACED_OWNER_OF_CLUSTER_SCOPED_OBJECT = Symbol('cluster-scoped objects cannot refer to namespaced owners');

type Outcome = 'forget' | 'requeue';

/** The garbage collector. start(signal) returns at once. */
export class GarbageCollector {
  readonly attemptToDelete: WorkQueue<GraphNode>;
  readonly attemptToOrphan: WorkQueue<GraphNode>;
  readonly graph: GraphBuilder;
  private readonly absentOwnerCache = new ReferenceCache();
  private readonly client: RestClient;
  private readonly clock: Clock;
  private readonly log: Logger;
  private discoveryTimer?: TimerHandle;
  private lastResources = '';

  constructor(private readonly config: GarbageCollectorConfig) {
    this.client = config.client;
    this.clock = config.clock;
    this.log = config.log ?? stderrLogger;
    this.attemptToDelete = new WorkQueue<GraphNode>({ clock: config.clock, name: 'garbage_collector_attempt_to_delete' });
    this.attemptToOrphan = new WorkQueue<GraphNode>({ clock: config.clock, name: 'garbage_collector_attempt_to_orphan' });
    this.graph = new GraphBuilder({
      client: config.client,
      clock: config.clock,
      attemptToDelete: this.attemptToDelete,
      attemptToOrphan: this.attemptToOrphan,
      absentOwnerCache: this.absentOwnerCache,
      ignoredResources: config.ignoredResources ?? DEFAULT_IGNORED_RESOURCES,
      minWatchTimeoutMs: config.minWatchTimeoutMs,
      informers: config.informers,
      log: this.log,
    });
  }

  /** Discovers resources, starts monitors and workers, and re-discovers periodically. */
  start(signal: AbortSignal): void {
    if (signal.aborted) return;
    signal.addEventListener(
      'abort',
      () => {
        this.clock.clearInterval(this.discoveryTimer);
        this.attemptToDelete.shutDown();
        this.attemptToOrphan.shutDown();
      },
      { once: true },
    );
    this.graph.startMonitors(signal);
    void this.resync();
    this.discoveryTimer = this.clock.setInterval(() => void this.resync(), this.config.discoveryPeriodMs ?? 30_000);
    const workers = Math.max(1, this.config.workers ?? 5);
    for (let i = 0; i < workers; i++) {
      void this.worker(this.attemptToDelete, (n) => this.attemptToDeleteWorker(n));
      void this.worker(this.attemptToOrphan, (n) => this.attemptToOrphanWorker(n));
    }
  }

  /** Re-reads discovery and starts/stops monitors when the deletable resources changed (GarbageCollector.Sync). */
  async resync(): Promise<void> {
    try {
      this.client.invalidate();
      const resources = deletableResources(await this.client.serverResources(), this.config.ignoredResources ?? DEFAULT_IGNORED_RESOURCES);
      if (!resources.length) return;
      const fingerprint = resources.map(resourceKey).sort().join(',');
      if (fingerprint === this.lastResources) return;
      this.lastResources = fingerprint;
      this.graph.syncMonitors(resources);
    } catch (e) {
      this.log('garbagecollector: failed to discover resources', e);
    }
  }

  /** True when every monitor has listed. */
  isSynced(): boolean {
    return this.graph.isSynced();
  }

  /** True when the graph holds a node for uid (GraphHasUID, for tests). */
  graphHasUID(uid: string): boolean {
    return this.graph.uidToNode.has(uid);
  }

  private async worker(queue: WorkQueue<GraphNode>, work: (n: GraphNode) => Promise<Outcome>): Promise<void> {
    for (;;) {
      const next = await queue.get();
      if (next.shutdown) return;
      let outcome: Outcome = 'requeue';
      try {
        outcome = await work(next.item);
      } catch (e) {
        this.log(`garbagecollector: error syncing item ${identityString(next.item.identity)}`, e);
      }
      if (outcome === 'forget') queue.forget(next.item);
      else queue.addRateLimited(next.item);
      queue.done(next.item);
    }
  }

  private async attemptToDeleteWorker(queued: GraphNode): Promise<Outcome> {
    let n = queued;
    if (n.virtual) {
      const inGraph = this.graph.uidToNode.get(n.identity.uid);
      // Deleted meanwhile, or observed for real since it was queued: nothing to verify.
      if (!inGraph || inGraph.observed) return 'forget';
    }
    const inGraph = this.graph.uidToNode.get(n.identity.uid);
    if (inGraph && (inGraph.identity.apiVersion !== n.identity.apiVersion || inGraph.identity.kind !== n.identity.kind)) {
      n = n.clone();
      n.identity = { ...n.identity, apiVersion: inGraph.identity.apiVersion, kind: inGraph.identity.kind };
    }
    let result: symbol | undefined;
    try {
      result = await this.attemptToDeleteItem(n);
    } catch (e) {
      this.log(`garbagecollector: error syncing item ${identityString(n.identity)}`, e);
      return 'requeue';
    }
    if (result === VIRTUAL_DELETE_ENQUEUED || result === NAMESPACED_OWNER_OF_CLUSTER_SCOPED_OBJECT) return 'forget';
    // Keep polling a virtual node until an informer shows it, so one created and deleted while a
    // watch was down does not linger (kubernetes#56121).
    if (n.virtual) return 'requeue';
    return 'forget';
  }

  /**
   * Looks up the live object of a node and deletes it when every owner is gone, it is not
   * blocked on its own dependents, and its uid still matches (attemptToDeleteItem).
   */
  private async attemptToDeleteItem(item: GraphNode): Promise<symbol | undefined> {
    // Being deleted is a one-way trip; wait for the deletion event to process its dependents.
    if (item.beingDeleted && !item.deletingDependents) return undefined;
    let latest: KubeObject;
    try {
      latest = await this.getObject(item.identity);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      this.graph.enqueueVirtualDeleteEvent(item.identity);
      return VIRTUAL_DELETE_ENQUEUED;
    }
    if (latest.metadata.uid !== item.identity.uid) {
      this.graph.enqueueVirtualDeleteEvent(item.identity);
      return VIRTUAL_DELETE_ENQUEUED;
    }
    if (item.deletingDependents) {
      await this.processDeletingDependentsItem(item);
      return undefined;
    }
    const ownerReferences = latest.metadata.ownerReferences ?? [];
    if (!ownerReferences.length) return undefined;

    const classified = await this.classifyReferences(item, ownerReferences);
    if (typeof classified === 'symbol') return classified;
    const { solid, dangling, waiting } = classified;
    if (solid.length) {
      if (!dangling.length && !waiting.length) return undefined;
      // References to owners that are gone, or that wait for this dependent, would hold their
      // owners' foreground deletion forever: drop them.
      const drop = new Set([...dangling, ...waiting].map((r) => r.uid));
      await this.patchOwnerReferences(item, (refs) => refs.filter((r) => !drop.has(r.uid)));
      return undefined;
    }
    if (waiting.length && item.dependents.size) {
      for (const dep of item.dependents) {
        if (!dep.deletingDependents) continue;
        // An owner and a dependent both wait on each other: make this item's references
        // non-blocking so the cycle breaks, then delete it in the foreground.
        this.log(`garbagecollector: ${identityString(item.identity)} and its dependent ${identityString(dep.identity)} both wait for dependents; unblocking its owner references`);
        await this.patchOwnerReferences(item, (refs) => refs.map((r) => (r.blockOwnerDeletion === true ? { ...r, blockOwnerDeletion: false } : r)));
        break;
      }
      // The owner waits for this item and the item has dependents: the whole chain goes in the foreground.
      return this.deleteOrVirtual(item, latest, 'Foreground');
    }
    // No solid owner: collect it, honouring a propagation a finalizer already asks for.
    const finalizers = latest.metadata.finalizers ?? [];
    const policy = finalizers.includes(FINALIZER_ORPHAN_DEPENDENTS) ? 'Orphan' : finalizers.includes(FINALIZER_DELETE_DEPENDENTS) ? 'Foreground' : 'Background';
    return this.deleteOrVirtual(item, latest, policy);
  }

  private async deleteOrVirtual(item: GraphNode, latest: KubeObject, policy: 'Foreground' | 'Background' | 'Orphan'): Promise<symbol | undefined> {
    try {
      await this.deleteObject(item.identity, latest.metadata.resourceVersion ?? '', latest.metadata.ownerReferences ?? [], policy);
      return undefined;
    } catch (e) {
      if (!isNotFound(e)) throw e;
      this.graph.enqueueVirtualDeleteEvent(item.identity);
      return VIRTUAL_DELETE_ENQUEUED;
    }
  }

  /** The owner waits for its dependents: finish when none blocks it, else push the blockers along. */
  private async processDeletingDependentsItem(item: GraphNode): Promise<void> {
    const blocking = item.blockingDependents();
    if (!blocking.length) {
      await this.removeFinalizer(item, FINALIZER_DELETE_DEPENDENTS);
      return;
    }
    for (const dep of blocking) if (!dep.deletingDependents) this.attemptToDelete.add(dep);
  }

  /** Sorts references into solid (owner exists), dangling (gone) and waiting (owner deletes in the foreground). */
  private async classifyReferences(
    item: GraphNode,
    refs: OwnerReference[],
  ): Promise<{ solid: OwnerReference[]; dangling: OwnerReference[]; waiting: OwnerReference[] } | symbol> {
    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const ref of refs) {
      const r = await this.isDangling(ref, item);
      if (typeof r === 'symbol') return r;
      if (r.dangling) {
        dangling.push(ref);
        continue;
      }
      const owner = r.owner!;
      if (owner.metadata.deletionTimestamp && owner.metadata.finalizers?.includes(FINALIZER_DELETE_DEPENDENTS)) waiting.push(ref);
      else solid.push(ref);
    }
    return { solid, dangling, waiting };
  }

  /** Whether a reference points at nothing: absent, or a different object under that name (a live GET). */
  private async isDangling(ref: OwnerReference, item: GraphNode): Promise<{ dangling: boolean; owner?: KubeObject } | symbol> {
    const key: ObjectIdentity = { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid, namespace: '' };
    if (this.absentOwnerCache.has(key)) return { dangling: true };
    key.namespace = item.identity.namespace;
    if (this.absentOwnerCache.has(key)) return { dangling: true };
    const mapping = await this.client.mapping(ref.apiVersion, ref.kind);
    if (!mapping) throw new RestMappingError(ref.kind, ref.apiVersion);
    if (!mapping.namespaced) key.namespace = '';
    if (!item.identity.namespace && mapping.namespaced) {
      this.log(`garbagecollector: ${identityString(item.identity)} is cluster-scoped, but refers to a namespaced owner of kind ${ref.kind}`);
      return NAMESPACED_OWNER_OF_CLUSTER_SCOPED_OBJECT;
    }
    let owner: KubeObject;
    try {
      let rc = this.client.resource(mapping, { metadataOnly: true });
      if (mapping.namespaced) rc = rc.namespace(item.identity.namespace);
      owner = await rc.get(ref.name);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      this.absentOwnerCache.add(key);
      return { dangling: true };
    }
    if (owner.metadata.uid !== ref.uid) {
      this.absentOwnerCache.add(key);
      return { dangling: true };
    }
    return { dangling: false, owner };
  }

  /** Removes the owner from each dependent's references, then its orphan finalizer (attemptToOrphanWorker). */
  private async attemptToOrphanWorker(owner: GraphNode): Promise<Outcome> {
    const errors: string[] = [];
    await Promise.all(
      [...owner.dependents].map(async (dep) => {
        try {
          await this.patchOwnerReferences(dep, (refs) => refs.filter((r) => r.uid !== owner.identity.uid));
        } catch (e) {
          if (!isNotFound(e)) errors.push(`orphaning ${identityString(dep.identity)} failed, ${(e as Error).message}`);
        }
      }),
    );
    if (errors.length) {
      this.log(`garbagecollector: failed to orphan dependents of owner ${identityString(owner.identity)}, got errors: ${errors.join(', ')}`);
      return 'requeue';
    }
    try {
      await this.removeFinalizer(owner, FINALIZER_ORPHAN_DEPENDENTS);
    } catch (e) {
      this.log(`garbagecollector: removeOrphanFinalizer for ${identityString(owner.identity)} failed`, e);
      return 'requeue';
    }
    return 'forget';
  }

  // ---- operations (operations.go) ----

  private async resourceClient(id: ObjectIdentity): Promise<ResourceClient> {
    const mapping = await this.client.mapping(id.apiVersion, id.kind);
    if (!mapping) throw new RestMappingError(id.kind, id.apiVersion);
    const rc = this.client.resource(mapping, { metadataOnly: true });
    return mapping.namespaced ? rc.namespace(id.namespace) : rc;
  }

  private async getObject(id: ObjectIdentity): Promise<KubeObject> {
    return (await this.resourceClient(id)).get(id.name);
  }

  /**
   * Deletes with uid and resourceVersion preconditions; when only the resourceVersion moved and
   * the owner references are as they were, deletes again on the uid alone.
   */
  private async deleteObject(id: ObjectIdentity, resourceVersion: string, ownersAtResourceVersion: OwnerReference[], policy: 'Foreground' | 'Background' | 'Orphan'): Promise<void> {
    const rc = await this.resourceClient(id);
    try {
      await rc.delete(id.name, { propagationPolicy: policy, preconditions: { uid: id.uid, ...(resourceVersion ? { resourceVersion } : {}) } });
    } catch (e) {
      if (!(isConflict(e) && resourceVersion)) throw e;
      const live = await rc.get(id.name);
      if (live.metadata.uid !== id.uid) throw e;
      if (!isDeepStrictEqual(live.metadata.ownerReferences ?? [], ownersAtResourceVersion)) throw e;
      await rc.delete(id.name, { propagationPolicy: policy, preconditions: { uid: id.uid } });
    }
  }

  /**
   * Rewrites a node's owner references with a JSON merge patch pinned to the resourceVersion read,
   * retrying on conflict. (Upstream tries a strategic merge patch first and falls back to this for
   * custom resources; the merge patch works for every kind, with the same preconditions.)
   */
  private async patchOwnerReferences(item: GraphNode, change: (refs: OwnerReference[]) => OwnerReference[]): Promise<void> {
    const rc = await this.resourceClient(item.identity);
    await retryOnConflict(async () => {
      const latest = await rc.get(item.identity.name);
      if (latest.metadata.uid !== item.identity.uid) throw notFoundFor(item.identity);
      const refs = latest.metadata.ownerReferences ?? [];
      const next = change(refs);
      if (isDeepStrictEqual(next, refs)) return;
      await rc.patch(item.identity.name, 'merge', {
        metadata: { ownerReferences: next.length ? next : null, resourceVersion: latest.metadata.resourceVersion },
      });
    });
  }

  /** Removes one finalizer from the node's object (a no-op when absent or gone). */
  private async removeFinalizer(item: GraphNode, finalizer: string): Promise<void> {
    const rc = await this.resourceClient(item.identity);
    await retryOnConflict(async () => {
      let latest: KubeObject;
      try {
        latest = await rc.get(item.identity.name);
      } catch (e) {
        if (isNotFound(e)) return;
        throw new Error(`cannot finalize owner ${identityString(item.identity)}, because cannot get it: ${(e as Error).message}. The garbage collector will retry later.`);
      }
      if (latest.metadata.uid !== item.identity.uid) return;
      const finalizers = latest.metadata.finalizers ?? [];
      if (!finalizers.includes(finalizer)) return;
      const next = finalizers.filter((f) => f !== finalizer);
      await rc.patch(item.identity.name, 'merge', { metadata: { finalizers: next.length ? next : null, resourceVersion: latest.metadata.resourceVersion } });
    });
  }
}

function notFoundFor(id: ObjectIdentity): StatusError {
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `${identityString(id)} not found`, reason: 'NotFound', code: 404 });
}

// retry.RetryOnConflict with DefaultRetry's five steps.
async function retryOnConflict(fn: () => Promise<void>, steps = 5): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (!isConflict(e) || i + 1 >= steps) throw e;
    }
  }
}
