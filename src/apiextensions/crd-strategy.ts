// The registry strategy of apiextensions.k8s.io/v1 CustomResourceDefinitions (pkg/registry/
// customresourcedefinition) with SetDefaults_CustomResourceDefinition, and the status the CRD
// controllers give an accepted CRD: the naming controller's NamesAccepted and acceptedNames, the
// establishing controller's Established, and the finalizer's Terminating condition on delete.
import type { KubeObject } from '../api/types.js';
import type { FieldError } from '../apimachinery/errors.js';
import { CREATION_TIMESTAMP_DESCRIPTION, nameColumn } from '../apiserver/printers/format.js';
import type { Printer } from '../apiserver/printers/printer.js';
import type { Strategy } from '../apiserver/registry/strategy.js';
import { rfc3339 } from '../sim/clock.js';
import { validateCRDObject, validateCRDStatusUpdate, validateCRDUpdate } from './crd-validation.js';
import {
  CUSTOM_RESOURCE_CLEANUP_FINALIZER,
  findCondition,
  type CustomResourceDefinition,
  type CustomResourceDefinitionCondition,
  type CustomResourceDefinitionNames,
  type CustomResourceDefinitionStatus,
} from './types.js';

/**
 * What decoding into apiextensions/v1 Go types does to JSON nulls and junk in a schema, so every
 * later walk sees schemas as objects: a null schema in a map or list (properties, allOf, items...)
 * becomes the empty schema {}, a null `not`, `additionalProperties` or `additionalItems` is absent,
 * and `items` that is neither a schema nor a list of schemas is dropped (JSONSchemaPropsOrArray's
 * UnmarshalJSON ignores it). Wrong types elsewhere are decode errors (src/api/schema.ts).
 */
export function normalizeDecodedSchema(schema: unknown): void {
  const seen = new Set<unknown>();
  const walk = (s: unknown, depth: number): void => {
    if (!s || typeof s !== 'object' || Array.isArray(s) || seen.has(s) || depth > 10_000) return;
    seen.add(s);
    const node = s as Record<string, unknown>;
    for (const k of ['properties', 'patternProperties', 'definitions']) {
      const m = node[k];
      if (!m || typeof m !== 'object' || Array.isArray(m)) continue;
      for (const [name, v] of Object.entries(m)) {
        if (v === null) (m as Record<string, unknown>)[name] = {};
        walk((m as Record<string, unknown>)[name], depth + 1);
      }
    }
    for (const k of ['allOf', 'anyOf', 'oneOf']) {
      const list = node[k];
      if (!Array.isArray(list)) continue;
      for (let i = 0; i < list.length; i++) {
        if (list[i] === null) list[i] = {};
        walk(list[i], depth + 1);
      }
    }
    if ('items' in node) {
      const items = node.items;
      if (Array.isArray(items)) {
        for (let i = 0; i < items.length; i++) {
          if (items[i] === null) items[i] = {};
          walk(items[i], depth + 1);
        }
      } else if (items && typeof items === 'object') walk(items, depth + 1);
      else delete node.items;
    }
    zeroNulls(node.required, () => '');
    zeroNulls(node['x-kubernetes-list-map-keys'], () => '');
    zeroNulls(node['x-kubernetes-validations'], () => ({}));
    for (const k of ['not', 'additionalProperties', 'additionalItems']) {
      if (node[k] === null) delete node[k];
      else walk(node[k], depth + 1);
    }
    const deps = node.dependencies;
    if (deps && typeof deps === 'object' && !Array.isArray(deps)) for (const v of Object.values(deps)) walk(v, depth + 1);
  };
  walk(schema, 0);
}

/** Replaces null elements of a list by a zero value, as decoding JSON null into a Go []T does. */
function zeroNulls(list: unknown, zero: () => unknown): void {
  if (!Array.isArray(list)) return;
  for (let i = 0; i < list.length; i++) if (list[i] === null) list[i] = zero();
}

/**
 * The nulls decoding into apiextensions/v1 Go types turns into zero values, in spec and status:
 * a null version, printer column, selectable field, condition or validation rule is {}, a null
 * short name, category, stored version, required field or list-map key is "", a null status list
 * is absent and null acceptedNames the zero names. Schemas get normalizeDecodedSchema. Everything
 * after decoding reads these lists element by element.
 */
export function normalizeDecodedCRD(crd: CustomResourceDefinition): void {
  const spec = crd.spec as Partial<CustomResourceDefinition['spec']> | undefined;
  if (spec && typeof spec === 'object') {
    zeroNulls(spec.versions, () => ({}));
    for (const v of Array.isArray(spec.versions) ? spec.versions : []) {
      if (!v || typeof v !== 'object') continue;
      zeroNulls(v.additionalPrinterColumns, () => ({}));
      zeroNulls(v.selectableFields, () => ({}));
      normalizeDecodedSchema(v.schema?.openAPIV3Schema);
    }
    if (spec.names && typeof spec.names === 'object') {
      zeroNulls(spec.names.shortNames, () => '');
      zeroNulls(spec.names.categories, () => '');
    }
    zeroNulls(spec.conversion?.webhook?.conversionReviewVersions, () => '');
  }
  const status = crd.status;
  if (status && typeof status === 'object') {
    // Null lists are nil slices (absent); null acceptedNames is the zero CustomResourceDefinitionNames.
    if (status.conditions === null) delete status.conditions;
    if (status.storedVersions === null) delete status.storedVersions;
    if (status.acceptedNames === null) status.acceptedNames = { plural: '', kind: '' };
    zeroNulls(status.conditions, () => ({}));
    zeroNulls(status.storedVersions, () => '');
    if (status.acceptedNames && typeof status.acceptedNames === 'object') {
      zeroNulls(status.acceptedNames.shortNames, () => '');
      zeroNulls(status.acceptedNames.categories, () => '');
    }
  }
}

/** SetDefaults_CustomResourceDefinition(Spec) for v1: singular, listKind, conversion None, storedVersions, webhook port 443. */
export function defaultCRD(crd: CustomResourceDefinition): void {
  normalizeDecodedCRD(crd);
  const spec = (crd.spec ??= {} as CustomResourceDefinition['spec']);
  const names = (spec.names ??= {} as CustomResourceDefinitionNames);
  if (!names.singular && names.kind) names.singular = names.kind.toLowerCase();
  if (!names.listKind && names.kind) names.listKind = `${names.kind}List`;
  spec.conversion ??= { strategy: 'None' };
  const svc = spec.conversion.webhook?.clientConfig?.service;
  if (svc && svc.port === undefined) svc.port = 443;
  if (!crd.status?.storedVersions?.length) {
    const storage = (spec.versions ?? []).find((v) => v.storage);
    if (storage) crd.status = { ...(crd.status ?? {}), storedVersions: [storage.name] };
  }
}

/** Appends the storage version to status.storedVersions unless it is already listed (PrepareForCreate/Update). */
function recordStorageVersion(crd: CustomResourceDefinition): void {
  const storage = (crd.spec?.versions ?? []).find((v) => v.storage);
  if (!storage) return;
  const status = (crd.status ??= {});
  const stored = (status.storedVersions ??= []);
  if (!stored.includes(storage.name)) stored.push(storage.name);
}

/** The CRD's own rules for a create: validation against a CRD that has been defaulted and prepared. */
export function validateCRD(crd: CustomResourceDefinition): FieldError[] {
  const prepared = structuredClone(crd);
  defaultCRD(prepared);
  prepared.status = {};
  recordStorageVersion(prepared);
  return validateCRDObject(prepared);
}

/** The strategy of customresourcedefinitions (cluster-scoped, status subresource, generation on spec changes). */
export const crdStrategy = {
  tracksGeneration: true,
  defaults(obj) {
    defaultCRD(obj);
  },
  prepareForCreate(obj) {
    // The generic store has already reset status; only storedVersions starts filled in.
    obj.status = {};
    recordStorageVersion(obj);
  },
  prepareForUpdate(obj) {
    recordStorageVersion(obj);
  },
  validate(obj) {
    return validateCRDObject(obj);
  },
  validateUpdate(obj, old) {
    return validateCRDUpdate(obj, old);
  },
  status: {
    prepareForUpdate(obj) {
      normalizeDecodedCRD(obj);
    },
    validateUpdate(obj, old) {
      return validateCRDStatusUpdate(obj, old);
    },
  },
} satisfies Strategy<CustomResourceDefinition>;

/** kube-apiserver's default table for CRDs: NAME and CREATED AT (RFC 3339, UTC). */
export const crdPrinter: Printer = {
  columns: [nameColumn(), { name: 'Created At', type: 'date', format: '', description: CREATION_TIMESTAMP_DESCRIPTION, priority: 0 }],
  cells(obj: KubeObject) {
    const ts = obj.metadata.creationTimestamp;
    return [obj.metadata.name ?? '', ts ? rfc3339(Date.parse(ts)) : '0001-01-01T00:00:00Z'];
  },
};

// ---------------------------------------------------------------------------------------------
// Acceptance: the naming and establishing controllers, as one pure step.

/**
 * apihelpers.SetCRDCondition: replaces the condition of that type, moving lastTransitionTime only
 * when status changes. A reason or message the new condition lacks is removed, never set to
 * undefined: the result must equal its own JSON round trip, or the CRD controller, comparing the
 * status it computed with the stored one, sees a difference no write can settle.
 */
export function setCondition(status: CustomResourceDefinitionStatus, cond: CustomResourceDefinitionCondition, now: number): void {
  const conditions = (status.conditions ??= []);
  const at = rfc3339(now);
  let existing = conditions.find((c) => c.type === cond.type);
  if (!existing) {
    existing = { type: cond.type, status: cond.status, lastTransitionTime: at };
    conditions.push(existing);
  } else {
    if (existing.status !== cond.status || !existing.lastTransitionTime) existing.lastTransitionTime = at;
    existing.status = cond.status;
  }
  for (const k of ['reason', 'message'] as const) {
    if (cond[k] === undefined) delete existing[k];
    else existing[k] = cond[k];
  }
}

function equalToAcceptedOrFresh(requested: string | undefined, accepted: string | undefined, used: Set<string>): string | undefined {
  if ((requested ?? '') === (accepted ?? '')) return undefined;
  if (!used.has(requested ?? '')) return undefined;
  return `${JSON.stringify(requested ?? '')} is already in use`;
}

function sameNames(a: CustomResourceDefinitionNames | undefined, b: CustomResourceDefinitionNames | undefined): boolean {
  return JSON.stringify(normalizeNames(a)) === JSON.stringify(normalizeNames(b));
}

function normalizeNames(n: CustomResourceDefinitionNames | undefined) {
  return {
    plural: n?.plural ?? '',
    singular: n?.singular ?? '',
    shortNames: n?.shortNames?.length ? n.shortNames : [],
    kind: n?.kind ?? '',
    listKind: n?.listKind ?? '',
    categories: n?.categories?.length ? n.categories : [],
  };
}

/** The names other CRDs of the same group have claimed (their status.acceptedNames). */
function namesInUse(crd: CustomResourceDefinition, others: readonly CustomResourceDefinition[]) {
  const resources = new Set<string>();
  const kinds = new Set<string>();
  for (const o of others) {
    if (o.metadata?.name === crd.metadata?.name || o.spec?.group !== crd.spec?.group) continue;
    const n = o.status?.acceptedNames;
    if (!n) continue;
    for (const r of [n.plural, n.singular, ...(n.shortNames ?? [])]) if (r !== undefined) resources.add(r);
    for (const k of [n.kind, n.listKind]) if (k !== undefined) kinds.add(k);
  }
  return { resources, kinds };
}

/**
 * The status kube-apiserver's CRD controllers converge a CRD to (NamingConditionController then
 * EstablishingController): acceptedNames taken from spec.names where no other CRD of the group holds
 * them, NamesAccepted True "NoConflicts" or False with the conflict, and Established True
 * "InitialNamesAccepted" once the names are accepted. Returns a new status; crd is not modified.
 */
export function acceptCRD(crd: CustomResourceDefinition, existingCRDs: readonly CustomResourceDefinition[], now: number): CustomResourceDefinitionStatus {
  const status: CustomResourceDefinitionStatus = structuredClone(crd.status ?? {});
  const requested = crd.spec.names;
  const accepted: Partial<CustomResourceDefinitionNames> = status.acceptedNames ?? {};
  // NamingConditionController.calculateNamesAndConditions: every pass, so a status that lost its
  // NamesAccepted condition (or was written by hand) gets it back.
  const { resources, kinds } = namesInUse(crd, existingCRDs);
  const next: CustomResourceDefinitionNames = { plural: accepted.plural ?? '', kind: accepted.kind ?? '' };
  if (accepted.singular !== undefined) next.singular = accepted.singular;
  if (accepted.shortNames !== undefined) next.shortNames = accepted.shortNames;
  if (accepted.listKind !== undefined) next.listKind = accepted.listKind;
  let cond: CustomResourceDefinitionCondition = { type: 'NamesAccepted', status: 'Unknown' };
  const conflict = (reason: string, message: string) => {
    cond = { type: 'NamesAccepted', status: 'False', reason, message };
  };
  let err = equalToAcceptedOrFresh(requested.plural, accepted.plural, resources);
  if (err) conflict('PluralConflict', err);
  else next.plural = requested.plural;
  err = equalToAcceptedOrFresh(requested.singular, accepted.singular, resources);
  if (err) conflict('SingularConflict', err);
  else if (requested.singular !== undefined) next.singular = requested.singular;
  if (JSON.stringify(requested.shortNames ?? []) !== JSON.stringify(accepted.shortNames ?? [])) {
    const had = new Set(accepted.shortNames ?? []);
    const errs = [...new Set((requested.shortNames ?? []).filter((s) => !had.has(s)).map((s) => equalToAcceptedOrFresh(s, '', resources)).filter((e): e is string => !!e))];
    if (errs.length) conflict('ShortNamesConflict', errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`);
    else if (requested.shortNames !== undefined) next.shortNames = requested.shortNames;
    else delete next.shortNames;
  }
  err = equalToAcceptedOrFresh(requested.kind, accepted.kind, kinds);
  if (err) conflict('KindConflict', err);
  else next.kind = requested.kind;
  err = equalToAcceptedOrFresh(requested.listKind, accepted.listKind, kinds);
  if (err) conflict('ListKindConflict', err);
  else if (requested.listKind !== undefined) next.listKind = requested.listKind;
  if (requested.categories !== undefined) next.categories = requested.categories;
  if (cond.status === 'Unknown') cond = { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' };
  // sync: nothing to write when the names and the NamesAccepted condition are unchanged.
  const current = status.conditions?.find((c) => c.type === 'NamesAccepted');
  const equivalent = !!current && current.status === cond.status && current.reason === cond.reason && current.message === cond.message;
  if (!sameNames(next, status.acceptedNames as CustomResourceDefinitionNames | undefined) || !equivalent) {
    let established: CustomResourceDefinitionCondition = findCondition(crd, 'Established') ?? {
      type: 'Established',
      status: 'False',
      reason: 'NotAccepted',
      message: 'not all names are accepted',
    };
    if (established.status !== 'True' && cond.status === 'True') {
      established = { type: 'Established', status: 'False', reason: 'Installing', message: 'the initial names have been accepted' };
    }
    status.acceptedNames = next;
    setCondition(status, cond, now);
    setCondition(status, { type: established.type, status: established.status, reason: established.reason, message: established.message }, now);
  }
  // EstablishingController: accepted names make the CRD Established.
  const names = status.conditions?.find((c) => c.type === 'NamesAccepted');
  const est = status.conditions?.find((c) => c.type === 'Established');
  if (names?.status === 'True' && est?.status !== 'True') {
    setCondition(status, { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' }, now);
  }
  return status;
}

/** True when the CRD serves its resources (discovery, OpenAPI and the REST paths): Established=True. */
export function isEstablished(crd: CustomResourceDefinition): boolean {
  return findCondition(crd, 'Established')?.status === 'True';
}

/** True while a deleted CRD's custom resources are being removed (CR discovery verbs shrink then). */
export function isTerminating(crd: CustomResourceDefinition): boolean {
  return findCondition(crd, 'Terminating')?.status === 'True';
}

/**
 * What DELETE of a CRD does first (customresourcedefinition REST.Delete): deletionTimestamp, the
 * customresourcecleanup finalizer and Terminating=True InstanceDeletionPending. The object is then
 * updated, not removed; once its custom resources are deleted, finishCRDCleanup releases it.
 */
export function markCRDTerminating(crd: CustomResourceDefinition, now: number): void {
  crd.metadata.deletionTimestamp ??= rfc3339(now);
  const finalizers = (crd.metadata.finalizers ??= []);
  if (!finalizers.includes(CUSTOM_RESOURCE_CLEANUP_FINALIZER)) finalizers.push(CUSTOM_RESOURCE_CLEANUP_FINALIZER);
  setCondition((crd.status ??= {}), {
    type: 'Terminating',
    status: 'True',
    reason: 'InstanceDeletionPending',
    message: 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon',
  }, now);
}

/** The Terminating condition while the finalizer deletes instances (crd_finalizer.go). */
export const INSTANCE_DELETION_IN_PROGRESS: CustomResourceDefinitionCondition = {
  type: 'Terminating',
  status: 'True',
  reason: 'InstanceDeletionInProgress',
  message: 'CustomResource deletion is in progress',
};

/**
 * The finalizer's last step once every custom resource is gone: Terminating=False
 * InstanceDeletionCompleted, and the customresourcecleanup finalizer removed (so the store deletes it).
 */
export function finishCRDCleanup(crd: CustomResourceDefinition, now: number): void {
  setCondition((crd.status ??= {}), {
    type: 'Terminating',
    status: 'False',
    reason: 'InstanceDeletionCompleted',
    message: 'removed all instances',
  }, now);
  crd.metadata.finalizers = (crd.metadata.finalizers ?? []).filter((f) => f !== CUSTOM_RESOURCE_CLEANUP_FINALIZER);
}
