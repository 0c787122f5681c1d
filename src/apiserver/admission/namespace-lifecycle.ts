// NamespaceLifecycle admission: no new content in a namespace that does not exist or is being
// terminated, and the system namespaces may never be deleted (as kube-apiserver's plugin).
import type { KubeObject } from '../../api/types.js';
import { forbidden, notFound, StatusError } from '../../apimachinery/errors.js';
import type { AdmissionAttributes, AdmissionPlugin } from './admission.js';

/** Namespaces upstream refuses to delete. */
export const IMMORTAL_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

/** Admission that keeps writes out of missing or terminating namespaces. */
export class NamespaceLifecycle implements AdmissionPlugin {
  readonly name = 'NamespaceLifecycle';
  constructor(private readonly getNamespace: (name: string) => Promise<KubeObject | undefined>) {}

  validate(a: AdmissionAttributes): Promise<void> | void {
    if (a.operation === 'DELETE' && a.resource.group === '' && a.resource.resource === 'namespaces' && IMMORTAL_NAMESPACES.has(a.name)) {
      throw forbidden({ group: a.resource.group, resource: a.resource.resource }, a.name, 'this namespace may not be deleted');
    }
    if (a.operation !== 'CREATE' || !a.resource.namespaced || a.subresource) return;
    return this.checkNamespace(a);
  }

  private async checkNamespace(a: AdmissionAttributes): Promise<void> {
    const qr = { group: a.resource.group, resource: a.resource.resource };
    const ns = await this.getNamespace(a.namespace);
    if (!ns) throw notFound({ group: '', resource: 'namespaces' }, a.namespace);
    if (ns.metadata.deletionTimestamp || (ns.status as { phase?: string } | undefined)?.phase === 'Terminating') {
      const err = forbidden(qr, a.name, `unable to create new content in namespace ${a.namespace} because it is being terminated`);
      err.status.details = {
        ...err.status.details,
        causes: [{ reason: 'NamespaceTerminating', message: `namespace ${a.namespace} is being terminated`, field: 'metadata.namespace' }],
      };
      throw new StatusError(err.status);
    }
  }
}
