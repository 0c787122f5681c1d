// kube-controller-manager's service account controller (pkg/controller/serviceaccount/
// serviceaccounts_controller.go): every active namespace has a "default" ServiceAccount, created
// when the namespace appears and re-created when someone deletes it.
import type { Namespace, ServiceAccount } from '../../api/objects.js';
import { StatusError } from '../../apimachinery/errors.js';
import { DeletedFinalStateUnknown, type SharedInformer } from '../../client/informer.js';
import type { ResourceClient } from '../../client/rest.js';
import type { ControllerContext } from '../context.js';
import { Controller } from '../controller.js';
import { NAMESPACES, SERVICE_ACCOUNTS } from '../../client/refs.js';

export const SERVICE_ACCOUNT_CONTROLLER = 'service-account-controller';

/** The accounts ensured in every namespace (--service-account... DefaultServiceAccountsControllerOptions). */
const ENSURED = ['default'];

/** NamespaceTerminatingCause: the namespace refuses new content. */
export function isNamespaceTerminating(e: unknown): boolean {
  return e instanceof StatusError && !!e.status.details?.causes?.some((c) => c.reason === 'NamespaceTerminating');
}

/** Keeps a "default" ServiceAccount in every active namespace. Queue keys are namespace names. */
export class ServiceAccountsController extends Controller {
  private readonly namespaces: SharedInformer<Namespace>;
  private readonly accounts: SharedInformer<ServiceAccount>;
  private readonly api: ResourceClient<ServiceAccount>;

  constructor(ctx: ControllerContext, opts: { workers?: number } = {}) {
    super('serviceaccount', { clock: ctx.clock, workers: opts.workers ?? 5, log: ctx.log });
    this.api = ctx.clientFor(SERVICE_ACCOUNT_CONTROLLER).resource<ServiceAccount>(SERVICE_ACCOUNTS);
    this.namespaces = ctx.informers.forResource<Namespace>(NAMESPACES);
    this.accounts = ctx.informers.forResource<ServiceAccount>(SERVICE_ACCOUNTS);
    this.namespaces.addEventHandler({ onAdd: (ns) => this.queue.add(ns.metadata.name!), onUpdate: (_o, ns) => this.queue.add(ns.metadata.name!) });
    this.accounts.addEventHandler({
      onDelete: (obj) => {
        const sa = obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
        if (ENSURED.includes(sa.metadata.name!)) this.queue.add(sa.metadata.namespace!);
      },
    });
  }

  protected override async run(): Promise<void> {
    await Promise.all([this.namespaces.waitForSync(), this.accounts.waitForSync()]);
  }

  protected async sync(namespace: string): Promise<void> {
    const ns = this.namespaces.lister.get('', namespace);
    if (!ns || ns.status?.phase !== 'Active') return;
    const failures: unknown[] = [];
    for (const name of ENSURED) {
      if (this.accounts.lister.get(namespace, name)) continue;
      try {
        await this.api.namespace(namespace).create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } });
      } catch (e) {
        if (e instanceof StatusError && e.code === 409 && e.reason === 'AlreadyExists') continue;
        if (!isNamespaceTerminating(e)) failures.push(e);
      }
    }
    if (failures.length) throw failures[0];
  }
}
