// The CustomResourceDefinition controllers apiextensions-apiserver runs inside the API server: the
// naming and establishing controllers (accept names, set NamesAccepted/Established), the serving of
// each Established CRD's resources, and the finalizer that deletes a CRD's objects before the CRD.
import { jsonCopy } from '../apimachinery/json.js';
import { isDeepStrictEqual } from 'node:util';
import { CRD_RESOURCE } from '../api/resources.js';
import type { KubeObject } from '../api/types.js';
import { StatusError } from '../apimachinery/errors.js';
import {
  acceptCRD,
  isEstablished,
  type CustomResourceDefinition,
} from '../apiextensions/index.js';
import type { Clock } from '../sim/clock.js';
import type { UserInfo } from './auth/authn.js';
import type { GenericRegistry } from './registry/generic.js';

const CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';
const CONTROLLER: UserInfo = { username: 'system:apiserver', groups: ['system:masters', 'system:authenticated'] };

/** What the controller needs from the API server. */
export interface CRDHost {
  clock: Clock;
  registryFor(info: typeof CRD_RESOURCE): GenericRegistry;
  /** Starts (or refreshes) serving an Established CRD's resources. */
  serve(crd: CustomResourceDefinition): void;
  /** Stops serving a CRD's resources once the CRD is gone. */
  unserve(name: string): void;
  /** The registry of a served CRD's objects, if it is served. */
  customRegistry(name: string): GenericRegistry | undefined;
}

/** Keeps CRD status and serving in step with the stored CRDs. */
export class CRDController {
  private readonly queue = new Set<string>();
  private running = false;
  private signal?: AbortSignal;
  private readonly known = new Map<string, CustomResourceDefinition>();

  constructor(private readonly host: CRDHost) {}

  /** Reads every CRD, serves the Established ones, then follows the watch. Resolves once the first pass is done. */
  async start(signal: AbortSignal): Promise<void> {
    this.signal = signal;
    const reg = this.host.registryFor(CRD_RESOURCE);
    const list = await reg.list('', {});
    for (const crd of list.items) this.known.set(crd.metadata.name!, crd as CustomResourceDefinition);
    for (const crd of list.items) if (isEstablished(crd as CustomResourceDefinition)) this.host.serve(crd as CustomResourceDefinition);
    const w = reg.watch('', Number(list.resourceVersion) + 1, (events) => {
      for (const e of events) {
        const name = e.object.metadata.name!;
        if (e.type === 'DELETED') {
          this.known.delete(name);
          this.host.unserve(name);
          // A name another CRD wanted may be free now.
          for (const other of this.known.keys()) this.queue.add(other);
        } else {
          this.known.set(name, e.object as CustomResourceDefinition);
          this.queue.add(name);
        }
      }
      void this.drain();
    });
    signal.addEventListener('abort', () => w.close(), { once: true });
    for (const name of this.known.keys()) this.queue.add(name);
    await this.drain();
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.queue.size && !this.signal?.aborted) {
        const name = this.queue.values().next().value as string;
        this.queue.delete(name);
        try {
          await this.reconcile(name);
        } catch (e) {
          // A conflict means a newer version is on its way through the watch.
          if (!(e instanceof StatusError && (e.code === 409 || e.code === 404))) console.error(`crd ${name}: ${(e as Error).message}`);
        }
      }
    } finally {
      this.running = false;
    }
  }

  private async reconcile(name: string): Promise<void> {
    const reg = this.host.registryFor(CRD_RESOURCE);
    let crd: CustomResourceDefinition;
    try {
      crd = (await reg.get('', name)) as CustomResourceDefinition;
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) return;
      throw e;
    }
    if (crd.metadata.deletionTimestamp) return this.finalize(crd);
    const others = [...this.known.values()].filter((c) => c.metadata.name !== name);
    const status = acceptCRD(crd, others, this.host.clock.now());
    if (!isDeepStrictEqual(stripTimes(status), stripTimes(crd.status ?? {}))) {
      await reg.update(
        '',
        name,
        (current) => {
          const next = jsonCopy(current) as KubeObject;
          next.status = acceptCRD(current as CustomResourceDefinition, others, this.host.clock.now());
          delete next.metadata.resourceVersion;
          return next;
        },
        { user: CONTROLLER, dryRun: false, subresource: 'status' },
      );
      return; // the status write comes back through the watch
    }
    if (isEstablished(crd)) this.host.serve(crd);
  }

  // The finalizer: delete every object of the CRD, then let the CRD itself go.
  private async finalize(crd: CustomResourceDefinition): Promise<void> {
    if (!crd.metadata.finalizers?.includes(CLEANUP_FINALIZER)) return;
    const name = crd.metadata.name!;
    // Serve the terminating CRD, so creates are refused while its objects go.
    if (this.host.customRegistry(name)) this.host.serve(crd);
    const objects = this.host.customRegistry(name);
    if (objects) {
      const list = await objects.list('', {});
      for (const o of list.items) {
        try {
          await objects.delete(o.metadata.namespace ?? '', o.metadata.name!, { user: CONTROLLER, dryRun: false, propagationPolicy: 'Background' });
        } catch (e) {
          if (!(e instanceof StatusError && e.code === 404)) throw e;
        }
      }
      if ((await objects.list('', { limit: 1 })).items.length) {
        // Objects with finalizers of their own: look again shortly.
        this.host.clock.setTimeout(() => {
          this.queue.add(name);
          void this.drain();
        }, 1000);
        return;
      }
    }
    await this.host.registryFor(CRD_RESOURCE).update(
      '',
      name,
      (current) => {
        const next = jsonCopy(current);
        next.metadata.finalizers = (next.metadata.finalizers ?? []).filter((f) => f !== CLEANUP_FINALIZER);
        delete next.metadata.resourceVersion;
        return next;
      },
      // As upstream's crd_finalizer: through /status, whose strategy takes finalizers from the request.
      { user: CONTROLLER, dryRun: false, subresource: 'status' },
    );
  }
}

// Condition times move on every computation; compare the rest.
function stripTimes(status: unknown): unknown {
  const s = jsonCopy(status) as { conditions?: { lastTransitionTime?: string }[] };
  for (const c of s.conditions ?? []) delete c.lastTransitionTime;
  return s;
}
