// The namespaced-resources deleter of kube-controller-manager's namespace controller
// (pkg/controller/namespace/deletion): for a Terminating namespace, discover every namespaced
// resource (custom resources included), delete each collection, count what is left and which
// finalizers hold it, report that in the namespace's status conditions, and once nothing is left
// remove the "kubernetes" finalizer through /finalize so the API server can let the namespace go.
import type { Namespace } from '../../api/objects.js';
import type { KubeObject } from '../../api/types.js';
import { StatusError } from '../../apimachinery/errors.js';
import { isConflict, isNotFound, type DiscoveredResource, type ResourceClient, type ResourceRef, type RestClient } from '../../client/rest.js';
import { rfc3339, type Clock } from '../../sim/clock.js';
import { NAMESPACES, PODS } from '../../client/refs.js';

/** The finalizer token this controller owns (v1.FinalizerKubernetes). */
export const FINALIZER_KUBERNETES = 'kubernetes';
/** finalizerEstimateSeconds: how long to wait for content held by finalizers before looking again. */
const FINALIZER_ESTIMATE_SECONDS = 15;

type NamespaceCondition = NonNullable<NonNullable<Namespace['status']>['conditions']>[number];

/** Content remains; look again in about estimate seconds (ResourcesRemainingError). */
export class ResourcesRemainingError extends Error {
  constructor(readonly estimate: number) {
    super(`some content remains in the namespace, estimate ${estimate} seconds before it is removed`);
  }
}

/** The conditions the deleter maintains, in upstream's order, with their "all good" wording. */
const CONDITION_TYPES = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
] as const;
const OK: Record<(typeof CONDITION_TYPES)[number], [reason: string, message: string]> = {
  NamespaceDeletionDiscoveryFailure: ['ResourcesDiscovered', 'All resources successfully discovered'],
  NamespaceDeletionGroupVersionParsingFailure: ['ParsedGroupVersions', 'All legacy kube types successfully parsed'],
  NamespaceDeletionContentFailure: ['ContentDeleted', 'All content successfully deleted, may be waiting on finalization'],
  NamespaceContentRemaining: ['ContentRemoved', 'All content successfully removed'],
  NamespaceFinalizersRemaining: ['ContentHasNoFinalizers', 'All content-preserving finalizers finished'],
};

interface GVRResult {
  estimate: number;
  remaining: number;
  finalizers: Map<string, number>;
}

/** utilerrors.NewAggregate(errs).Error(). */
function aggregate(errs: unknown[]): string {
  const msgs = errs.map((e) => (e instanceof Error ? e.message : String(e)));
  return msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`;
}

/** GroupVersionResource.String(): "apps/v1, Resource=deployments", "/v1, Resource=pods". */
function gvrString(r: DiscoveredResource): string {
  return `${r.group}/${r.version}, Resource=${r.resource}`;
}

/** Deletes a namespace's content and finalizes it. */
export class NamespacedResourcesDeleter {
  private readonly namespaces: ResourceClient<Namespace>;
  // Verbs a resource turned out not to support (405/404), so they are not tried again (operationNotSupportedCache).
  private readonly unsupported = new Set<string>();

  constructor(
    private readonly client: RestClient,
    private readonly clock: Clock,
  ) {
    this.namespaces = client.resource<Namespace>(NAMESPACES);
  }

  /** Deletes the namespace's content; throws ResourcesRemainingError while some remains. */
  async delete(name: string): Promise<void> {
    let ns: Namespace;
    try {
      ns = await this.namespaces.get(name);
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    if (!ns.metadata.deletionTimestamp) return;
    ns = await this.retryOnConflict(ns, (n) => this.markTerminating(n));
    if (!ns.metadata.deletionTimestamp) return;
    if (!(ns.spec?.finalizers ?? []).includes(FINALIZER_KUBERNETES)) return;
    const estimate = await this.deleteAllContent(ns);
    if (estimate > 0) throw new ResourcesRemainingError(estimate);
    try {
      await this.retryOnConflict(ns, (n) => this.finalize(n));
    } catch (e) {
      // Another deleter sharing the token may have finished first.
      if (!isNotFound(e)) throw e;
    }
  }

  private async retryOnConflict(ns: Namespace, fn: (n: Namespace) => Promise<Namespace>): Promise<Namespace> {
    let latest = ns;
    for (;;) {
      try {
        return await fn(latest);
      } catch (e) {
        if (!isConflict(e)) throw e;
        const prev = latest;
        latest = await this.namespaces.get(prev.metadata.name!);
        if (latest.metadata.uid !== prev.metadata.uid) throw new Error('namespace uid has changed across retries');
      }
    }
  }

  private async markTerminating(ns: Namespace): Promise<Namespace> {
    if (!ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating') return ns;
    return this.namespaces.updateStatus({ ...ns, status: { ...ns.status, phase: 'Terminating' } });
  }

  private async finalize(ns: Namespace): Promise<Namespace> {
    const finalizers = [...new Set((ns.spec?.finalizers ?? []).filter((f) => f !== FINALIZER_KUBERNETES))].sort();
    const body: Namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: ns.metadata, spec: { ...ns.spec, finalizers } };
    const { body: out } = await this.client.requestJSON<Namespace>('PUT', this.namespaces.path(undefined, ns.metadata.name, 'finalize'), {
      body,
      qr: { group: '', resource: 'namespaces' },
      name: ns.metadata.name,
    });
    return out;
  }

  /** deleteAllContent: returns the seconds to wait before looking again (0: all gone). */
  private async deleteAllContent(ns: Namespace): Promise<number> {
    const name = ns.metadata.name!;
    const deletedAt = Date.parse(ns.metadata.deletionTimestamp!);
    const errs: unknown[] = [];
    const newConditions: NamespaceCondition[] = [];
    const now = rfc3339(this.clock.now());
    let resources: DiscoveredResource[] = [];
    try {
      this.client.invalidate();
      resources = (await this.client.serverPreferredResources()).filter((r) => r.namespaced && r.verbs.includes('delete'));
    } catch (e) {
      // Not fatal: delete what can be found, and say what could not.
      errs.push(e);
      newConditions.push({ type: 'NamespaceDeletionDiscoveryFailure', status: 'True', lastTransitionTime: now, reason: 'DiscoveryFailed', message: (e as Error).message });
    }
    let estimate = 0;
    const contentErrs: unknown[] = [];
    const remaining = new Map<string, number>();
    const byFinalizer = new Map<string, number>();
    for (const r of resources) {
      let res: GVRResult;
      try {
        res = await this.deleteAllOf(r, name, deletedAt);
      } catch (e) {
        errs.push(e);
        contentErrs.push(e);
        continue;
      }
      estimate = Math.max(estimate, res.estimate);
      if (res.remaining > 0) {
        remaining.set(`${r.resource}.${r.group}`, res.remaining);
        for (const [f, n] of res.finalizers) byFinalizer.set(f, (byFinalizer.get(f) ?? 0) + n);
      }
    }
    if (remaining.size) {
      const list = [...remaining].map(([gr, n]) => `${gr} has ${n} resource instances`).sort();
      newConditions.push({ type: 'NamespaceContentRemaining', status: 'True', lastTransitionTime: now, reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${list.join(', ')}` });
    }
    if (byFinalizer.size) {
      const list = [...byFinalizer].map(([f, n]) => `${f} in ${n} resource instances`).sort();
      newConditions.push({
        type: 'NamespaceFinalizersRemaining',
        status: 'True',
        lastTransitionTime: now,
        reason: 'SomeFinalizersRemain',
        message: `Some content in the namespace has finalizers remaining: ${list.join(', ')}`,
      });
    }
    if (contentErrs.length) {
      newConditions.push({
        type: 'NamespaceDeletionContentFailure',
        status: 'True',
        lastTransitionTime: now,
        reason: 'ContentDeletionFailed',
        message: `Failed to delete all resource types, ${contentErrs.length} remaining: ${aggregate(contentErrs)}`,
      });
    }
    // Always written when changed: a condition that went back to "fine" must say so.
    if (updateConditions(ns, newConditions, now)) {
      try {
        await this.namespaces.updateStatus(ns);
      } catch {
        // The next pass writes them again.
      }
    }
    if (errs.length) throw new Error(aggregate(errs));
    return estimate;
  }

  private async deleteAllOf(r: DiscoveredResource, namespace: string, deletedAt: number): Promise<GVRResult> {
    const ref: ResourceRef = { group: r.group, version: r.version, resource: r.resource, namespaced: true, kind: r.kind };
    const rc = this.client.resource(ref, { metadataOnly: true }).namespace(namespace);
    const key = `${r.group}/${r.version}/${r.resource}`;
    const canList = r.verbs.includes('list') && !this.unsupported.has(`list ${key}`);
    const estimate = r.group === '' && r.resource === 'pods' ? await this.estimatePods(rc, deletedAt) : 0;

    let collected = false;
    if (r.verbs.includes('deletecollection') && canList && !this.unsupported.has(`deletecollection ${key}`)) {
      try {
        await rc.deleteCollection({ propagationPolicy: 'Background' });
        collected = true;
      } catch (e) {
        if (!(e instanceof StatusError && (e.code === 405 || e.code === 404))) throw e;
        this.unsupported.add(`deletecollection ${key}`);
      }
    }
    if (!collected && canList) {
      for (const item of (await this.listOrNothing(rc, key)) ?? []) {
        try {
          await rc.delete(item.metadata.name!, { propagationPolicy: 'Background' });
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
      }
    }
    const left = canList ? await this.listOrNothing(rc, key) : undefined;
    if (!left) return { estimate, remaining: 0, finalizers: new Map() };
    const finalizers = new Map<string, number>();
    for (const item of left) for (const f of item.metadata.finalizers ?? []) finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
    if (estimate > 0) return { estimate, remaining: left.length, finalizers };
    // Content held by finalizers is normal: give whoever owns them time.
    if (finalizers.size) return { estimate: FINALIZER_ESTIMATE_SECONDS, remaining: left.length, finalizers };
    if (left.length) throw new Error(`unexpected items still remain in namespace: ${namespace} for gvr: ${gvrString(r)}`);
    return { estimate, remaining: 0, finalizers };
  }

  private async listOrNothing(rc: ResourceClient, key: string): Promise<KubeObject[] | undefined> {
    try {
      return (await rc.listAll()).items;
    } catch (e) {
      if (e instanceof StatusError && (e.code === 405 || e.code === 404)) {
        this.unsupported.add(`list ${key}`);
        return undefined;
      }
      throw e;
    }
  }

  /** estimateGracefulTerminationForPods: the longest grace period of a pod not yet terminal, less time served. */
  private async estimatePods(rc: ResourceClient, deletedAt: number): Promise<number> {
    const full = this.client.resource(PODS).namespace(rc.ns!);
    let estimate = 0;
    for (const pod of (await full.listAll()).items) {
      const phase = (pod.status as { phase?: string } | undefined)?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') continue;
      const grace = (pod.spec as { terminationGracePeriodSeconds?: number } | undefined)?.terminationGracePeriodSeconds;
      if (grace != null && grace > estimate) estimate = grace;
    }
    return this.clock.now() - deletedAt >= estimate * 1000 ? 0 : estimate;
  }
}

/** updateConditions: every maintained type is present, "False" with its ok wording unless failing. */
function updateConditions(ns: Namespace, fresh: NamespaceCondition[], now: string): boolean {
  const status = (ns.status ??= {});
  const list = (status.conditions ??= []);
  let changed = false;
  for (const type of CONDITION_TYPES) {
    const want = fresh.find((c) => c.type === type) ?? { type, status: 'False', lastTransitionTime: now, reason: OK[type][0], message: OK[type][1] };
    const old = list.find((c) => c.type === type);
    if (!old) {
      list.push(want);
      changed = true;
    } else if (old.status !== want.status || old.reason !== want.reason || old.message !== want.message) {
      if (old.status !== want.status) old.lastTransitionTime = now;
      old.status = want.status;
      old.reason = want.reason;
      old.message = want.message;
      changed = true;
    }
  }
  return changed;
}
