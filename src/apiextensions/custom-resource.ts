// The strategy of custom resources served from a CRD version (pkg/registry/customresource): decoding
// (pruning unknown fields, dropping disallowed nulls, defaulting), validation against the version's
// structural schema with upstream's messages, list-type uniqueness, the status and scale
// subresources, selectable fields and finalizer warnings. x-kubernetes-validations (CEL) rules are not
// evaluated: skiff has no CEL interpreter, so objects those rules would reject are accepted.
import { isDeepStrictEqual } from 'node:util';
import { apiVersionOf, type KubeObject } from '../api/types.js';
import { decodeError, decodeErrorMessage } from '../api/schema.js';
import { badRequest, field, fieldErrorString, type FieldError } from '../apimachinery/errors.js';
import { isQualifiedName } from '../apimachinery/validation.js';
import type { Strategy } from '../apiserver/registry/strategy.js';
import { applyDefaults } from './defaulting.js';
import { goNumber, goSprint, goTypeOf, isGoInt } from './gofmt.js';
import { validateListSetsAndMaps } from './listtype.js';
import { prune, pruneNonNullableNulls, strictDecodingErrorText, unknownFieldProblems } from './pruning.js';
import { validateAgainstSchema } from './schema-validation.js';
import { isObject, schemaForVersion, subresourcesForVersion, crdVersion, type CustomResourceDefinition, type CustomResourceSubresourceScale, type JSONSchemaProps } from './types.js';

const MAX_INT32 = 2147483647;

/**
 * The decoder's error for a custom resource whose apiVersion, kind or metadata have the wrong type,
 * at the root or in an x-kubernetes-embedded-resource (structuralobjectmeta.Coerce), e.g.
 * `metadata: Invalid value: "": json: cannot unmarshal string into Go value of type v1.ObjectMeta`.
 * Everything after decoding (pruning, defaulting, validation, the generic store) relies on these
 * being a string and an object.
 */
export function customResourceDecodeError(obj: unknown, schema: JSONSchemaProps | undefined): string | undefined {
  const walk = (x: unknown, s: JSONSchemaProps | undefined, path: string, embedded: boolean): FieldError | undefined => {
    if (Array.isArray(x)) {
      const items = s && isObject(s.items) ? (s.items as JSONSchemaProps) : undefined;
      if (!items) return undefined;
      for (let i = 0; i < x.length; i++) {
        const e = walk(x[i], items, `${path}[${i}]`, !!items['x-kubernetes-embedded-resource']);
        if (e) return e;
      }
      return undefined;
    }
    if (!isObject(x)) return undefined;
    const at = (k: string) => (path ? `${path}.${k}` : k);
    for (const [k, v] of Object.entries(x)) {
      if (embedded && (k === 'apiVersion' || k === 'kind') && typeof v !== 'string') return field.invalid(at(k), v, 'must be a string');
      if (embedded && k === 'metadata' && v !== null) {
        const err = decodeError(v, 'V1ObjectMeta');
        if (err) return field.invalid(at(k), v, err);
      }
      if (!s) continue;
      const props = isObject(s.properties) ? s.properties : undefined;
      const prop = props?.[k] ?? (isObject(s.additionalProperties) ? (s.additionalProperties as JSONSchemaProps) : undefined);
      if (!prop || !isObject(prop)) continue;
      const e = walk(v, prop, at(k), !!prop['x-kubernetes-embedded-resource']);
      if (e) return e;
    }
    return undefined;
  };
  const e = walk(obj, schema, '', true);
  return e ? fieldErrorString(e) : undefined;
}

/**
 * What kube-apiserver does to a custom resource it decodes (unstructuredSchemaCoercer.apply and the
 * defaulter), in place: prune fields the schema does not know, drop nulls the schema does not allow,
 * then apply defaults. Returns the pruned paths, which fieldValidation=Strict turns into
 * `strict decoding error: unknown field "spec.foo"` and Warn into warnings. An object whose
 * apiVersion, kind or metadata cannot be decoded (customResourceDecodeError) is a 400, as upstream's
 * decoder answers it.
 */
export function decodeCustomResource(obj: KubeObject, schema: JSONSchemaProps | undefined): string[] {
  const coerceError = customResourceDecodeError(obj, schema);
  if (coerceError) {
    const version = typeof obj.apiVersion === 'string' ? obj.apiVersion.split('/').pop()! : '';
    throw badRequest(typeof obj.kind === 'string' && obj.kind ? decodeErrorMessage(obj.kind, version, coerceError) : coerceError);
  }
  const unknown = prune(obj, schema, true);
  pruneNonNullableNulls(obj, schema);
  applyDefaults(obj, schema);
  return unknown;
}

/**
 * The BadRequest message fieldValidation=Strict gives a custom resource body with unknown fields on
 * create and update (handlers.transformDecodeError around the strict decoding error):
 * `CronTab in version "v1" cannot be handled as a CronTab: strict decoding error: unknown field "spec.foo"`.
 * Duplicate-field problems, if any, come first, as the JSON decoder reports them first.
 */
export function strictDecodingMessageForCR(kind: string, version: string, unknownPaths: string[], duplicateProblems: string[] = []): string {
  return `${kind} in version "${version}" cannot be handled as a ${kind}: ${strictDecodingErrorText([...duplicateProblems, ...unknownFieldProblems(unknownPaths)])}`;
}

/** unstructured.NestedFieldNoCopy's walk with its accessor errors (`.spec.replicas accessor error: ...`). */
function nested(obj: unknown, path: string[]): { value?: unknown; found: boolean; error?: string } {
  let cur: unknown = obj;
  for (let i = 0; i < path.length; i++) {
    if (!isObject(cur)) {
      if (cur === null || cur === undefined) return { found: false };
      return { found: false, error: `.${path.slice(0, i).join('.')} accessor error: ${goSprint(cur)} is of the type ${goTypeOf(cur)}, expected map[string]interface{}` };
    }
    if (!(path[i] in cur)) return { found: false };
    cur = cur[path[i]];
  }
  return { value: cur, found: true };
}

function nestedInt64(obj: unknown, dotted: string): { value: number; error?: string } {
  const parts = dotted.replace(/^\./, '').split('.');
  const r = nested(obj, parts);
  if (r.error) return { value: 0, error: r.error };
  if (!r.found || r.value === null) return { value: 0 };
  if (typeof r.value === 'number' && isGoInt(r.value)) return { value: r.value };
  return { value: 0, error: `.${parts.join('.')} accessor error: ${goSprint(r.value)} is of the type ${goTypeOf(r.value)}, expected int64` };
}

function nestedString(obj: unknown, dotted: string): { value: string; error?: string } {
  const parts = dotted.replace(/^\./, '').split('.');
  const r = nested(obj, parts);
  if (r.error) return { value: '', error: r.error };
  if (!r.found || r.value === null) return { value: '' };
  if (typeof r.value === 'string') return { value: r.value };
  return { value: '', error: `.${parts.join('.')} accessor error: ${goSprint(r.value)} is of the type ${goTypeOf(r.value)}, expected string` };
}

function validateReplicas(obj: KubeObject, path: string): FieldError[] {
  const r = nestedInt64(obj, path);
  if (r.error) return [field.invalid(path, r.value, r.error)];
  if (r.value < 0) return [field.invalid(path, r.value, 'should be a non-negative integer')];
  if (r.value > MAX_INT32) return [field.invalid(path, r.value, `should be less than or equal to ${MAX_INT32}`)];
  return [];
}

/** ValidateScaleSpec. */
function validateScaleSpec(obj: KubeObject, scale: CustomResourceSubresourceScale | undefined): FieldError[] {
  return scale ? validateReplicas(obj, scale.specReplicasPath) : [];
}

/** ValidateScaleStatus: status replicas, and a label selector path that must hold a string. */
function validateScaleStatus(obj: KubeObject, scale: CustomResourceSubresourceScale | undefined): FieldError[] {
  if (!scale) return [];
  const errs = validateReplicas(obj, scale.statusReplicasPath);
  if (scale.labelSelectorPath) {
    const r = nestedString(obj, scale.labelSelectorPath);
    if (r.error) errs.push(field.invalid(scale.labelSelectorPath, r.value, r.error));
  }
  return errs;
}

/** ValidateTypeMeta: a custom resource's kind and apiVersion must be the version's. */
function validateTypeMeta(obj: KubeObject, group: string, version: string, kind: string): FieldError[] {
  const errs: FieldError[] = [];
  if (obj.kind !== kind) errs.push(field.invalid('kind', obj.kind ?? '', `must be ${kind}`));
  const apiVersion = `${group}/${version}`;
  if (obj.apiVersion !== apiVersion) errs.push(field.invalid('apiVersion', obj.apiVersion ?? '', `must be ${apiVersion}`));
  return errs;
}

const STANDARD_FINALIZERS = new Set(['orphan', 'foregroundDeletion', 'kubernetes']);

/** validateKubeFinalizerName's warnings for finalizers newly added to a custom resource. */
export function finalizerWarnings(obj: KubeObject, old: KubeObject | undefined): string[] {
  const before = new Set(old?.metadata?.finalizers ?? []);
  const added = [...new Set(obj.metadata?.finalizers ?? [])].filter((f) => !before.has(f)).sort();
  const out: string[] = [];
  for (const f of added) {
    for (const msg of isQualifiedName(f)) out.push(`metadata.finalizers: ${JSON.stringify(f)}: ${msg}`);
    if (!f.includes('/') && !STANDARD_FINALIZERS.has(f)) {
      out.push(
        f.includes('.')
          ? `metadata.finalizers: ${JSON.stringify(f)}: prefer a domain-qualified finalizer name including a path (/) to avoid accidental conflicts with other finalizer writers`
          : `metadata.finalizers: ${JSON.stringify(f)}: prefer a domain-qualified finalizer name to avoid accidental conflicts with other finalizer writers`,
      );
    }
  }
  return out;
}

/** The value a selectable field's JSONPath (".spec.color") gives an object, printed as fmt.Sprint does ("" when absent). */
export function selectableFieldValue(obj: KubeObject, jsonPath: string): string {
  const r = nested(obj, jsonPath.replace(/^\./, '').split('.'));
  if (!r.found || r.value === null || r.value === undefined) return '';
  return typeof r.value === 'number' ? goNumber(r.value) : goSprint(r.value);
}

/** Everything a CR strategy needs to know about its CRD version. */
export interface CustomResourceVersionInfo {
  group: string;
  version: string;
  kind: string;
  namespaced: boolean;
  schema?: JSONSchemaProps;
  hasStatus: boolean;
  scale?: CustomResourceSubresourceScale;
  selectableFields: string[];
}

/** The facts of one CRD version that its strategy, printer and patch schema use. */
export function customResourceVersionInfo(crd: CustomResourceDefinition, version: string): CustomResourceVersionInfo {
  const sub = subresourcesForVersion(crd, version);
  const names = crd.status?.acceptedNames?.kind ? crd.status.acceptedNames : crd.spec.names;
  return {
    group: crd.spec.group,
    version,
    kind: names.kind,
    namespaced: crd.spec.scope === 'Namespaced',
    schema: schemaForVersion(crd, version),
    hasStatus: !!sub?.status,
    ...(sub?.scale ? { scale: sub.scale } : {}),
    selectableFields: (crdVersion(crd, version)?.selectableFields ?? []).map((f) => f.jsonPath),
  };
}

function nonMetadata(obj: KubeObject): Record<string, unknown> {
  const { metadata: _m, ...rest } = obj;
  void _m;
  return rest;
}

/**
 * The Strategy of a CRD version's custom resources. Objects reach validate already decoded (see
 * decodeCustomResource; defaults() applies it too, so every write through the main resource is
 * pruned and defaulted). The generic store validates ObjectMeta.
 */
export function customResourceStrategy(crd: CustomResourceDefinition, version: string): Strategy {
  const info = customResourceVersionInfo(crd, version);
  const schema = info.schema;
  const statusSchema = isObject(schema?.properties) ? schema?.properties?.status : undefined;
  const validateCommon = (obj: KubeObject, old?: KubeObject): FieldError[] => {
    const meta = validateTypeMeta(obj, info.group, info.version, info.kind);
    if (meta.length) return meta;
    const errs = [...validateAgainstSchema(obj, schema, undefined, old), ...validateScaleSpec(obj, info.scale), ...validateScaleStatus(obj, info.scale)];
    if (!old || validateListSetsAndMaps(old, schema).length === 0) errs.push(...validateListSetsAndMaps(obj, schema));
    return errs;
  };
  return {
    tracksGeneration: true,
    defaults(obj) {
      decodeCustomResource(obj, schema);
    },
    prepareForCreate(obj) {
      if (info.hasStatus) delete obj.status;
    },
    prepareForUpdate(obj, old) {
      // Any change outside metadata moves generation (status too, when it is not a subresource).
      if (!isDeepStrictEqual(nonMetadata(obj), nonMetadata(old))) obj.metadata.generation = (old.metadata.generation ?? 0) + 1;
    },
    validate(obj) {
      return validateCommon(obj);
    },
    validateUpdate(obj, old) {
      return validateCommon(obj, old);
    },
    warnings(obj, old) {
      return finalizerWarnings(obj, old);
    },
    selectableFields(obj) {
      const out: Record<string, string> = {};
      for (const p of info.selectableFields) out[p.replace(/^\./, '')] = selectableFieldValue(obj, p);
      return out;
    },
    ...(info.hasStatus
      ? {
          status: {
            validateUpdate(obj: KubeObject, old: KubeObject) {
              const meta = validateTypeMeta(obj, info.group, info.version, info.kind);
              if (meta.length) return meta;
              const errs: FieldError[] = [];
              if ('status' in obj) errs.push(...validateAgainstSchema(obj.status, statusSchema, 'status', old.status));
              errs.push(...validateScaleStatus(obj, info.scale));
              const listErrs = validateListSetsAndMaps(obj, schema);
              if (listErrs.length && validateListSetsAndMaps(old, schema).length === 0) errs.push(...listErrs);
              return errs;
            },
          },
        }
      : {}),
    ...(info.scale
      ? {
          scale: {
            specReplicasPath: info.scale.specReplicasPath.replace(/^\./, ''),
            statusReplicasPath: info.scale.statusReplicasPath.replace(/^\./, ''),
            ...(info.scale.labelSelectorPath ? { labelSelectorPath: info.scale.labelSelectorPath.replace(/^\./, '') } : {}),
          },
        }
      : {}),
  };
}

/** The apiVersion of a CRD version's objects. */
export function customResourceApiVersion(crd: CustomResourceDefinition, version: string): string {
  return apiVersionOf(crd.spec.group, version);
}

/**
 * Conversion between versions of a CRD with conversion strategy None: only apiVersion changes
 * (nopConverter). Webhook conversion is not supported by skiff; the lead answers those with an error.
 */
export function convertCustomResource(obj: KubeObject, crd: CustomResourceDefinition, toVersion: string): KubeObject {
  return { ...obj, apiVersion: apiVersionOf(crd.spec.group, toVersion) };
}
