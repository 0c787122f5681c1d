// Namespaces: pkg/registry/core/namespace's strategy. A new namespace starts Active with the
// "kubernetes" finalizer, carries the kubernetes.io/metadata.name label, and its spec and status only
// change through the finalize and status subresources.
import { jsonCopy } from '../../../apimachinery/json.js';
import type { KubeObject } from '../../../api/types.js';
import { field, type FieldError } from '../../../apimachinery/errors.js';
import type { Strategy } from '../strategy.js';
import { invalidEach, isQualifiedName } from '../../../apimachinery/validation.js';
import { isRecord } from './equality.js';

/** A Namespace as the strategy sees it. */
export type Namespace = KubeObject & { spec?: { finalizers?: string[] }; status?: { phase?: string } };

const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

/** validateFinalizerName: a qualified name, and either standard or domain-prefixed. */
export function validateFinalizerName(name: string, path: string): FieldError[] {
  const errs = invalidEach(path, name, isQualifiedName(name));
  if (!name.includes('/') && !STANDARD_FINALIZERS.has(name)) {
    errs.push(field.invalid(path, name, 'name is neither a standard finalizer name nor is it fully qualified'));
  }
  return errs;
}

function setNameLabel(ns: Namespace): void {
  // SetDefaults_Namespace (and the strategy's Canonicalize) keep this label equal to the name.
  if (!ns.metadata.name) return;
  ns.metadata.labels = { ...(ns.metadata.labels ?? {}), 'kubernetes.io/metadata.name': ns.metadata.name };
}

/** The Namespace strategy (cluster-scoped, names are DNS-1123 labels). */
export const namespaceStrategy = {
  nameValidation: 'label',
  defaults(ns) {
    setNameLabel(ns);
    if (!isRecord(ns.status)) ns.status = {};
    if (!ns.status.phase) ns.status.phase = 'Active';
  },
  prepareForCreate(ns) {
    setNameLabel(ns);
    ns.status = { phase: 'Active' };
    const finalizers = new Set(Array.isArray(ns.spec?.finalizers) ? ns.spec.finalizers : []);
    finalizers.add('kubernetes');
    ns.spec = { ...(ns.spec ?? {}), finalizers: [...finalizers] };
  },
  prepareForUpdate(ns, old) {
    setNameLabel(ns);
    ns.spec = jsonCopy(old.spec ?? {});
    ns.status = jsonCopy(old.status ?? {});
  },
  validate(ns) {
    return (ns.spec?.finalizers ?? []).flatMap((f) => validateFinalizerName(String(f), 'spec.finalizers'));
  },
  validateUpdate() {
    return [];
  },
  selectableFields(ns) {
    return { 'status.phase': ns.status?.phase ?? '' };
  },
  status: {
    prepareForUpdate(ns, old) {
      ns.spec = jsonCopy(old.spec ?? {});
    },
    validateUpdate(ns) {
      const phase = ns.status?.phase ?? '';
      if (!ns.metadata.deletionTimestamp) {
        if (phase !== 'Active') return [field.invalid('status.Phase', phase, "may only be 'Active' if `deletionTimestamp` is empty")];
      } else if (phase !== 'Terminating') {
        return [field.invalid('status.Phase', phase, "may only be 'Terminating' if `deletionTimestamp` is not empty")];
      }
      return [];
    },
  },
} satisfies Strategy<Namespace>;

/** The finalize subresource: only spec.finalizers may change (namespaceFinalizeStrategy). */
export const namespaceFinalizeStrategy = {
  prepareForUpdate(ns: Namespace, old: Namespace): void {
    const finalizers = ns.spec?.finalizers;
    ns.spec = { ...jsonCopy(old.spec ?? {}), finalizers };
    ns.status = jsonCopy(old.status ?? {});
  },
  validateUpdate(ns: Namespace): FieldError[] {
    return (ns.spec?.finalizers ?? []).flatMap((f, i) => validateFinalizerName(String(f), `spec.finalizers[${i}]`));
  },
};
