// kube-controller-manager's namespace controller (pkg/controller/namespace): every namespace with
// a deletionTimestamp is drained by the NamespacedResourcesDeleter; while content remains it is
// looked at again after about half the deleter's estimate, and failures back off (5 ms to 60 s).
import type { Namespace } from '../../api/objects.js';
import { splitMetaNamespaceKey, type SharedInformer } from '../../client/informer.js';
import { ItemExponentialFailureRateLimiter } from '../../client/workqueue.js';
import type { ControllerContext } from '../context.js';
import { Controller } from '../controller.js';
import { NamespacedResourcesDeleter, ResourcesRemainingError } from './deleter.js';
import { NAMESPACES } from '../../client/refs.js';

export const NAMESPACE_CONTROLLER = 'namespace-controller';
/** The namespace informer's resync (--namespace-sync-period, 5 minutes). */
const RESYNC_MS = 5 * 60_000;

/** Drains and finalizes Terminating namespaces. */
export class NamespaceController extends Controller {
  private readonly namespaces: SharedInformer<Namespace>;
  private readonly deleter: NamespacedResourcesDeleter;

  constructor(ctx: ControllerContext, opts: { workers?: number } = {}) {
    // --concurrent-namespace-syncs is 10 upstream.
    super('namespace', { clock: ctx.clock, workers: opts.workers ?? 10, log: ctx.log, rateLimiter: new ItemExponentialFailureRateLimiter<string>(5, 60_000) });
    this.deleter = new NamespacedResourcesDeleter(ctx.clientFor(NAMESPACE_CONTROLLER), ctx.clock);
    this.namespaces = ctx.informers.forResource<Namespace>(NAMESPACES);
    const consider = (ns: Namespace) => {
      if (ns.metadata.deletionTimestamp) this.enqueue(ns);
    };
    this.namespaces.addEventHandler({ onAdd: consider, onUpdate: (_o, n) => consider(n) }, RESYNC_MS);
  }

  protected override async run(): Promise<void> {
    await this.namespaces.waitForSync();
  }

  protected async sync(key: string): Promise<void> {
    const { name } = splitMetaNamespaceKey(key);
    if (!this.namespaces.lister.get('', name)) return;
    try {
      await this.deleter.delete(name);
    } catch (e) {
      if (!(e instanceof ResourcesRemainingError)) throw e;
      this.queue.addAfter(key, (Math.floor(e.estimate / 2) + 1) * 1000);
    }
  }
}
