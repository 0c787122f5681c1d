// Test helper: runs a custom resource through what kube-apiserver does to a create once the add-on's
// CRD is installed — find the CRD and served version, decode (prune, default) with Strict field
// validation, prepareForCreate, validate against the schema — using src/apiextensions, and reports
// the outcome with the Status message the server would send.
import type { KubeObject } from '../api/types.js';
import { parseApiVersion } from '../api/types.js';
import { badRequest, invalid, type FieldError } from '../apimachinery/errors.js';
import { customResourceStrategy, decodeCustomResource, strictDecodingMessageForCR } from '../apiextensions/custom-resource.js';
import type { CustomResourceDefinition } from '../apiextensions/types.js';
import { schemaForVersion } from '../apiextensions/types.js';
import { VirtualClock } from '../sim/clock.js';
import { ADDONS } from './catalog.js';

/** How a create of a custom resource ends. */
export interface Admission {
  outcome: 'created' | 'Invalid' | 'BadRequest' | 'NoMatch';
  /** The Status message (Invalid, BadRequest) or kubectl's mapping error (NoMatch). */
  message?: string;
  errors: FieldError[];
  /** The object as it would be stored (pruned and defaulted), when created. */
  object?: KubeObject;
}

/** The catalog CRD serving a group and kind, if any. */
export function catalogCRD(group: string, kind: string): CustomResourceDefinition | undefined {
  for (const addon of ADDONS) {
    const crd = addon.crds.find((c) => c.spec.group === group && c.spec.names.kind === kind);
    if (crd) return crd;
  }
  return undefined;
}

/** Creates `doc` against the catalog's CRDs with fieldValidation=Strict (kubectl's default). */
export function admitCustomResource(doc: unknown, fieldValidation: 'Strict' | 'Ignore' = 'Strict'): Admission {
  const obj = structuredClone(doc) as KubeObject;
  const { group, version } = parseApiVersion(obj.apiVersion ?? '');
  const kind = obj.kind ?? '';
  const crd = catalogCRD(group, kind);
  const served = crd?.spec.versions.find((v) => v.name === version && v.served);
  if (!crd || !served) {
    return { outcome: 'NoMatch', message: `no matches for kind "${kind}" in version "${obj.apiVersion}"`, errors: [] };
  }
  obj.metadata ??= {};
  const unknown = decodeCustomResource(obj, schemaForVersion(crd, version));
  if (unknown.length > 0 && fieldValidation === 'Strict') {
    return { outcome: 'BadRequest', message: badRequest(strictDecodingMessageForCR(kind, version, unknown)).message, errors: [] };
  }
  const strategy = customResourceStrategy(crd, version);
  const ctx = { clock: new VirtualClock() };
  if (strategy.prepareForCreate) {
    // The generic store gives kinds with a status subresource an empty status before prepareForCreate.
    strategy.prepareForCreate(obj, ctx);
  }
  const errors = strategy.validate?.(obj, ctx) ?? [];
  if (errors.length > 0) {
    return { outcome: 'Invalid', message: invalid({ group, kind }, obj.metadata.name ?? '', errors).message, errors };
  }
  return { outcome: 'created', errors: [], object: obj };
}
