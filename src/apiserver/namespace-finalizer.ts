// Completes namespace deletion inside the API server: once a namespace is Terminating, delete
// everything in it, then remove its "kubernetes" finalizer so the namespace itself goes, as the
// namespace controller of kube-controller-manager does. (It moves behind client/ with the controllers.)
import { RESOURCES } from '../api/resources.js';
import type { KubeObject } from '../api/types.js';
import { StatusError } from '../apimachinery/errors.js';
import type { UserInfo } from './auth/authn.js';
import type { GenericRegistry } from './registry/generic.js';

interface RegistryHost {
  registries: Map<string, GenericRegistry>;
  registryFor(info: (typeof RESOURCES)[number]): GenericRegistry;
}

const CONTROLLER: UserInfo = { username: 'system:serviceaccount:kube-system:namespace-controller', groups: ['system:masters', 'system:authenticated'] };

/** Drains Terminating namespaces one at a time. */
export class NamespaceFinalizer {
  private readonly queue = new Set<string>();
  private running = false;
  private signal?: AbortSignal;

  constructor(private readonly host: RegistryHost) {}

  start(signal: AbortSignal): void {
    this.signal = signal;
    const info = RESOURCES.find((r) => r.group === '' && r.resource === 'namespaces')!;
    const reg = this.host.registryFor(info);
    void reg.list('', {}).then((list) => {
      for (const ns of list.items) this.consider(ns);
      const w = reg.watch('', Number(list.resourceVersion) + 1, (events) => {
        for (const e of events) if (e.type !== 'DELETED') this.consider(e.object);
      });
      signal.addEventListener('abort', () => w.close(), { once: true });
    });
  }

  private consider(ns: KubeObject): void {
    if (!ns.metadata.deletionTimestamp) return;
    this.queue.add(ns.metadata.name!);
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.queue.size && !this.signal?.aborted) {
        const name = this.queue.values().next().value as string;
        this.queue.delete(name);
        try {
          await this.finalize(name);
        } catch (e) {
          // A failed pass is retried on the namespace's next event; nothing else depends on it.
          if (!(e instanceof StatusError)) console.error(`namespace ${name}: ${(e as Error).message}`);
        }
      }
    } finally {
      this.running = false;
    }
  }

  private async finalize(name: string): Promise<void> {
    const seen = new Set<GenericRegistry>();
    let remaining = 0;
    for (const reg of this.host.registries.values()) {
      if (seen.has(reg) || !reg.info.namespaced) continue;
      seen.add(reg);
      const list = await reg.list(name, {});
      for (const obj of list.items) {
        try {
          const r = await reg.delete(name, obj.metadata.name!, { user: CONTROLLER, dryRun: false, propagationPolicy: 'Background' });
          if (!r.deleted) remaining++;
        } catch (e) {
          if (!(e instanceof StatusError && e.code === 404)) throw e;
        }
      }
    }
    if (remaining) return; // objects with finalizers: their updates re-queue nothing, so poll on the next namespace event
    const nsInfo = RESOURCES.find((r) => r.group === '' && r.resource === 'namespaces')!;
    await this.host.registryFor(nsInfo).update(
      '',
      name,
      (ns) => {
        const spec = (ns.spec ??= {}) as { finalizers?: string[] };
        spec.finalizers = (spec.finalizers ?? []).filter((f) => f !== 'kubernetes');
        delete ns.metadata.resourceVersion;
        return ns;
      },
      { user: CONTROLLER, dryRun: false, subresource: 'finalize' },
    );
  }
}
