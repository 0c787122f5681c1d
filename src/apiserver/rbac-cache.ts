// An in-memory, watch-fed copy of the RBAC objects, so authorization is a synchronous lookup on
// every request, as kube-apiserver's RBAC authorizer reads from informers.
import { RESOURCES } from '../api/resources.js';
import type { KubeObject } from '../api/types.js';
import type { RBACSource } from './auth/rbac.js';
import type { GenericRegistry } from './registry/generic.js';

interface RegistryHost {
  registryFor(info: (typeof RESOURCES)[number]): GenericRegistry;
}

const KINDS = ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'] as const;
type Kind = (typeof KINDS)[number];

/** Keeps roles and bindings current from their registries' watches. */
export class RBACCache implements RBACSource {
  private readonly objects = new Map<Kind, Map<string, KubeObject>>(KINDS.map((k) => [k, new Map()]));
  /** Bumped on every change to the cached objects (RBACSource.generation). */
  private changes = 0;

  constructor(private readonly host: RegistryHost) {}

  /** Lists each kind, then follows its watch from the list's revision. */
  async start(signal: AbortSignal): Promise<void> {
    for (const kind of KINDS) {
      const info = RESOURCES.find((r) => r.group === 'rbac.authorization.k8s.io' && r.resource === kind)!;
      const reg = this.host.registryFor(info);
      const list = await reg.list('', {});
      const m = this.objects.get(kind)!;
      for (const o of list.items) m.set(keyOf(o), o);
      this.changes++;
      const w = reg.watch('', Number(list.resourceVersion) + 1, (events) => {
        for (const e of events) {
          if (e.type === 'DELETED') m.delete(keyOf(e.object));
          else m.set(keyOf(e.object), e.object);
        }
        this.changes++;
      });
      signal.addEventListener('abort', () => w.close(), { once: true });
    }
  }

  generation(): number {
    return this.changes;
  }

  clusterRoles(): KubeObject[] {
    return [...this.objects.get('clusterroles')!.values()];
  }
  clusterRoleBindings(): KubeObject[] {
    return [...this.objects.get('clusterrolebindings')!.values()];
  }
  roles(namespace: string): KubeObject[] {
    return [...this.objects.get('roles')!.values()].filter((o) => o.metadata.namespace === namespace);
  }
  roleBindings(namespace: string): KubeObject[] {
    return [...this.objects.get('rolebindings')!.values()].filter((o) => o.metadata.namespace === namespace);
  }
  getClusterRole(name: string): KubeObject | undefined {
    return this.objects.get('clusterroles')!.get(`/${name}`);
  }
  getRole(namespace: string, name: string): KubeObject | undefined {
    return this.objects.get('roles')!.get(`${namespace}/${name}`);
  }
}

function keyOf(o: KubeObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}
