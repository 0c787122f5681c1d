// ValidateCustomResourceDefinition(Update) of apiextensions-apiserver v1.32, with its messages. A v1
// CRD is validated as upstream validates it: first converted to the internal form, where per-version
// schemas, subresources, printer columns and selectable fields that are identical in every version
// move to the top level, so a single-version CRD reports schema errors under
// spec.validation.openAPIV3Schema and a multi-version one under spec.versions[i].schema.openAPIV3Schema.
// x-kubernetes-validations (CEL) rules are checked for their shape only: skiff does not compile CEL,
// so compile errors and cost-limit errors are not reported.
import { isDeepStrictEqual } from 'node:util';
import { field, type FieldError } from '../apimachinery/errors.js';
import { isDNS1035Label, isDNS1123Subdomain, nameIsDNSSubdomain, validateImmutableField, validateObjectMeta, validateObjectMetaUpdate } from '../apimachinery/validation.js';
import { prune } from './pruning.js';
import { validateAgainstSchema } from './schema-validation.js';
import { structuralConversionError, validateStructural } from './structural.js';
import {
  KUBE_API_APPROVED_ANNOTATION,
  isConditionTrue,
  itemsSchema,
  type CustomResourceColumnDefinition,
  type CustomResourceDefinition,
  type CustomResourceDefinitionNames,
  type CustomResourceDefinitionVersion,
  type CustomResourceSubresources,
  type JSONSchemaProps,
  type SelectableField,
} from './types.js';

const child = (p: string, name: string) => (p ? `${p}.${name}` : name);
const key = (p: string, k: string) => `${p}[${k}]`;
const index = (p: string, i: number) => `${p}[${i}]`;

const PRINTER_COLUMN_TYPES = ['boolean', 'date', 'integer', 'number', 'string'];
const PRINTER_COLUMN_FORMATS = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];
const OPENAPI_V3_TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const SUPPORTED_VALIDATION_REASONS = ['FieldValueDuplicate', 'FieldValueForbidden', 'FieldValueInvalid', 'FieldValueRequired'];
const ACCEPTED_CONVERSION_REVIEW_VERSIONS = ['v1', 'v1beta1'];
const MAX_SELECTABLE_FIELDS = 8;
/** JSONSchemaProps fields (by their Go names) that may sit at the root of a schema with a status subresource. */
const ALLOWED_AT_ROOT = [
  'Description', 'Type', 'Format', 'Title', 'Maximum', 'ExclusiveMaximum', 'Minimum', 'ExclusiveMinimum', 'MaxLength', 'MinLength', 'Pattern', 'MaxItems',
  'MinItems', 'UniqueItems', 'MultipleOf', 'Required', 'Items', 'Properties', 'ExternalDocs', 'Example', 'XPreserveUnknownFields', 'XValidations',
];
/** JSON keys of JSONSchemaProps in Go struct order, with their Go field names. */
const SCHEMA_FIELDS: Array<[keyof JSONSchemaProps, string]> = [
  ['id', 'ID'], ['$schema', 'Schema'], ['$ref', 'Ref'], ['description', 'Description'], ['type', 'Type'], ['format', 'Format'], ['title', 'Title'],
  ['default', 'Default'], ['maximum', 'Maximum'], ['exclusiveMaximum', 'ExclusiveMaximum'], ['minimum', 'Minimum'], ['exclusiveMinimum', 'ExclusiveMinimum'],
  ['maxLength', 'MaxLength'], ['minLength', 'MinLength'], ['pattern', 'Pattern'], ['maxItems', 'MaxItems'], ['minItems', 'MinItems'],
  ['uniqueItems', 'UniqueItems'], ['multipleOf', 'MultipleOf'], ['enum', 'Enum'], ['maxProperties', 'MaxProperties'], ['minProperties', 'MinProperties'],
  ['required', 'Required'], ['items', 'Items'], ['allOf', 'AllOf'], ['oneOf', 'OneOf'], ['anyOf', 'AnyOf'], ['not', 'Not'], ['properties', 'Properties'],
  ['additionalProperties', 'AdditionalProperties'], ['patternProperties', 'PatternProperties'], ['dependencies', 'Dependencies'],
  ['additionalItems', 'AdditionalItems'], ['definitions', 'Definitions'], ['externalDocs', 'ExternalDocs'], ['example', 'Example'], ['nullable', 'Nullable'],
  ['x-kubernetes-preserve-unknown-fields', 'XPreserveUnknownFields'], ['x-kubernetes-embedded-resource', 'XEmbeddedResource'],
  ['x-kubernetes-int-or-string', 'XIntOrString'], ['x-kubernetes-list-map-keys', 'XListMapKeys'], ['x-kubernetes-list-type', 'XListType'],
  ['x-kubernetes-map-type', 'XMapType'], ['x-kubernetes-validations', 'XValidations'],
];

/** The internal (hub) form of a version after conversion from v1. */
interface InternalVersion {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated: boolean;
  deprecationWarning?: string;
  /** CustomResourceValidation: present when the version carries `schema` (maybe without openAPIV3Schema). */
  schema?: { openAPIV3Schema?: JSONSchemaProps };
  subresources?: CustomResourceSubresources;
  columns: CustomResourceColumnDefinition[];
  selectableFields: SelectableField[];
}

/** The internal CustomResourceDefinitionSpec: per-version fields identical in all versions live at the top. */
interface InternalSpec {
  group: string;
  names: CustomResourceDefinitionNames;
  scope: string;
  version: string;
  versions: InternalVersion[];
  validation?: { openAPIV3Schema?: JSONSchemaProps };
  subresources?: CustomResourceSubresources;
  columns: CustomResourceColumnDefinition[];
  selectableFields: SelectableField[];
  conversion?: {
    strategy: string;
    webhookClientConfig?: { url?: string; service?: { namespace?: string; name?: string; path?: string; port?: number }; caBundle?: string };
    conversionReviewVersions?: string[];
  };
  preserveUnknownFields: boolean;
}

function emptyToUndefined<T>(xs: T[] | undefined): T[] | undefined {
  return xs && xs.length ? xs : undefined;
}

/** Convert_v1_CustomResourceDefinitionSpec_To_apiextensions_CustomResourceDefinitionSpec. */
function toInternal(crd: CustomResourceDefinition): InternalSpec {
  const spec = crd.spec ?? ({} as CustomResourceDefinition['spec']);
  const versions: InternalVersion[] = (spec.versions ?? []).map((v) => ({
    name: v.name ?? '',
    served: !!v.served,
    storage: !!v.storage,
    deprecated: !!v.deprecated,
    ...(v.deprecationWarning !== undefined ? { deprecationWarning: v.deprecationWarning } : {}),
    ...(v.schema !== undefined ? { schema: v.schema } : {}),
    ...(v.subresources !== undefined ? { subresources: v.subresources } : {}),
    columns: v.additionalPrinterColumns ?? [],
    selectableFields: v.selectableFields ?? [],
  }));
  const out: InternalSpec = {
    group: spec.group ?? '',
    names: spec.names ?? ({} as CustomResourceDefinitionNames),
    scope: spec.scope ?? '',
    version: versions[0]?.name ?? '',
    versions,
    columns: [],
    selectableFields: [],
    preserveUnknownFields: !!spec.preserveUnknownFields,
  };
  if (spec.conversion) {
    out.conversion = { strategy: spec.conversion.strategy ?? '' };
    const wh = spec.conversion.webhook;
    if (wh) {
      if (wh.clientConfig) out.conversion.webhookClientConfig = wh.clientConfig;
      if (wh.conversionReviewVersions) out.conversion.conversionReviewVersions = wh.conversionReviewVersions;
    }
  }
  if (versions.length === 0) return out;
  const same = <T>(get: (v: InternalVersion) => T) => versions.every((v) => isDeepStrictEqual(emptyish(get(v)), emptyish(get(versions[0]))));
  if (same((v) => v.subresources)) {
    out.subresources = versions[0].subresources;
    for (const v of versions) delete v.subresources;
  }
  if (same((v) => v.schema)) {
    out.validation = versions[0].schema;
    for (const v of versions) delete v.schema;
  }
  if (same((v) => v.columns)) {
    out.columns = versions[0].columns;
    for (const v of versions) v.columns = [];
  }
  if (same((v) => v.selectableFields)) {
    out.selectableFields = versions[0].selectableFields;
    for (const v of versions) v.selectableFields = [];
  }
  return out;
}

/** Go's Semantic.DeepEqual treats an empty slice like a nil one for our purposes. */
function emptyish(v: unknown): unknown {
  return Array.isArray(v) && v.length === 0 ? undefined : v;
}

// ---------------------------------------------------------------------------------------------
// Go-syntax renderings of the values some errors print with %#v.

function goStringPtr(s: string | undefined): string {
  return s === undefined ? '(*string)(nil)' : '(*string)(0xc000000000)';
}

function goPtr(type: string, v: unknown): string {
  return v === undefined ? `(*apiextensions.${type})(nil)` : `(*apiextensions.${type})(0xc000000000)`;
}

/** %#v of []apiextensions.CustomResourceDefinitionVersion (pointers print as addresses upstream). */
function goVersions(versions: InternalVersion[]): string {
  const one = (v: InternalVersion) =>
    `apiextensions.CustomResourceDefinitionVersion{Name:${JSON.stringify(v.name)}, Served:${v.served}, Storage:${v.storage}, Deprecated:${v.deprecated}, ` +
    `DeprecationWarning:${goStringPtr(v.deprecationWarning)}, Schema:${goPtr('CustomResourceValidation', v.schema)}, ` +
    `Subresources:${goPtr('CustomResourceSubresources', v.subresources)}, AdditionalPrinterColumns:[]apiextensions.CustomResourceColumnDefinition(nil), ` +
    `SelectableFields:[]apiextensions.SelectableField(nil)}`;
  return `[]apiextensions.CustomResourceDefinitionVersion{${versions.map(one).join(', ')}}`;
}

function goStrings(xs: string[] | undefined): string {
  return xs === undefined ? '[]string(nil)' : `[]string{${xs.map((x) => JSON.stringify(x)).join(', ')}}`;
}

// ---------------------------------------------------------------------------------------------
// Names, columns, subresources, conversion.

function dns1035(value: string | undefined): string[] {
  return isDNS1035Label(value ?? '');
}

/** ValidateCustomResourceDefinitionNames (for spec.names and status.acceptedNames). */
export function validateNames(names: Partial<CustomResourceDefinitionNames> | undefined, p: string): FieldError[] {
  const n = names ?? {};
  const errs: FieldError[] = [];
  if (n.plural && dns1035(n.plural).length) errs.push(field.invalid(child(p, 'plural'), n.plural, dns1035(n.plural).join(',')));
  if (n.singular && dns1035(n.singular).length) errs.push(field.invalid(child(p, 'singular'), n.singular, dns1035(n.singular).join(',')));
  if (n.kind && dns1035(n.kind.toLowerCase()).length) {
    errs.push(field.invalid(child(p, 'kind'), n.kind, 'may have mixed case, but should otherwise match: ' + dns1035(n.kind.toLowerCase()).join(',')));
  }
  if (n.listKind && dns1035(n.listKind.toLowerCase()).length) {
    errs.push(field.invalid(child(p, 'listKind'), n.listKind, 'may have mixed case, but should otherwise match: ' + dns1035(n.listKind.toLowerCase()).join(',')));
  }
  (n.shortNames ?? []).forEach((s, i) => {
    const e = dns1035(s);
    if (e.length) errs.push(field.invalid(index(child(p, 'shortNames'), i), s, e.join(',')));
  });
  if (n.kind && n.kind === n.listKind) errs.push(field.invalid(child(p, 'listKind'), n.listKind, 'kind and listKind may not be the same'));
  (n.categories ?? []).forEach((c, i) => {
    const e = dns1035(c);
    if (e.length) errs.push(field.invalid(index(child(p, 'categories'), i), c, e.join(',')));
  });
  return errs;
}

function validateSimpleJSONPath(s: string, p: string): FieldError[] {
  if (s.length === 0) return [field.invalid(p, s, 'must not be empty')];
  if (s[0] !== '.') return [field.invalid(p, s, 'must be a simple json path starting with .')];
  return [];
}

/** ValidateCustomResourceColumnDefinition. */
function validateColumn(col: CustomResourceColumnDefinition, p: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!col.name) errs.push(field.required(child(p, 'name'), ''));
  const types = `must be one of ${PRINTER_COLUMN_TYPES.join(',')}`;
  if (!col.type) errs.push(field.required(child(p, 'type'), types));
  else if (!PRINTER_COLUMN_TYPES.includes(col.type)) errs.push(field.invalid(child(p, 'type'), col.type, types));
  if (col.format && !PRINTER_COLUMN_FORMATS.includes(col.format)) {
    errs.push(field.invalid(child(p, 'format'), col.format, `must be one of ${PRINTER_COLUMN_FORMATS.join(',')}`));
  }
  if (!col.jsonPath) errs.push(field.required(child(p, 'JSONPath'), ''));
  else errs.push(...validateSimpleJSONPath(col.jsonPath, child(p, 'JSONPath')));
  return errs;
}

/** ValidateCustomResourceDefinitionSubresources: the scale paths. */
function validateSubresources(sub: CustomResourceSubresources | undefined, p: string): FieldError[] {
  const scale = sub?.scale;
  if (!scale) return [];
  const errs: FieldError[] = [];
  const spec = child(p, 'scale.specReplicasPath');
  if (!scale.specReplicasPath) errs.push(field.required(spec, ''));
  else {
    const e = validateSimpleJSONPath(scale.specReplicasPath, spec);
    if (e.length) errs.push(...e);
    else if (!scale.specReplicasPath.startsWith('.spec.')) errs.push(field.invalid(spec, scale.specReplicasPath, 'should be a json path under .spec'));
  }
  const status = child(p, 'scale.statusReplicasPath');
  if (!scale.statusReplicasPath) errs.push(field.required(status, ''));
  else {
    const e = validateSimpleJSONPath(scale.statusReplicasPath, status);
    if (e.length) errs.push(...e);
    else if (!scale.statusReplicasPath.startsWith('.status.')) errs.push(field.invalid(status, scale.statusReplicasPath, 'should be a json path under .status'));
  }
  if (scale.labelSelectorPath) {
    const sel = child(p, 'scale.labelSelectorPath');
    const e = validateSimpleJSONPath(scale.labelSelectorPath, sel);
    if (e.length) errs.push(...e);
    else if (!scale.labelSelectorPath.startsWith('.spec.') && !scale.labelSelectorPath.startsWith('.status.')) {
      errs.push(field.invalid(sel, scale.labelSelectorPath, 'should be a json path under either .spec or .status'));
    }
  }
  return errs;
}

function validateEnumString(p: string, value: string, accepted: string[], required: boolean): FieldError[] {
  if (!value) return required ? [field.required(p, '')] : [];
  return accepted.includes(value) ? [] : [field.notSupported(p, value, accepted)];
}

function validateWebhookURL(p: string, url: string): FieldError[] {
  let u: URL;
  try {
    u = new URL(url);
  } catch (e) {
    return [field.invalid(p, url, `host must be specified`)];
  }
  const errs: FieldError[] = [];
  if (u.protocol !== 'https:') errs.push(field.invalid(p, url, `'https' is the only allowed URL scheme`));
  if (!u.host) errs.push(field.invalid(p, url, 'host must be specified'));
  if (u.username || u.password) errs.push(field.invalid(p, url, 'user information is not permitted in the URL'));
  if (u.hash) errs.push(field.invalid(p, url, 'fragments are not permitted in the URL'));
  if (u.search) errs.push(field.invalid(p, url, 'query parameters are not permitted in the URL'));
  return errs;
}

function validateConversion(spec: InternalSpec, requireRecognized: boolean, p: string): FieldError[] {
  const c = spec.conversion;
  if (!c) return [];
  const errs = validateEnumString(child(p, 'strategy'), c.strategy, ['None', 'Webhook'], true);
  if (c.strategy === 'Webhook') {
    const cc = c.webhookClientConfig;
    if (!cc) errs.push(field.required(child(p, 'webhookClientConfig'), 'required when strategy is set to Webhook'));
    else if ((cc.url === undefined) === (cc.service === undefined)) {
      errs.push(field.required(child(p, 'webhookClientConfig'), 'exactly one of url or service is required'));
    } else if (cc.url !== undefined) {
      errs.push(...validateWebhookURL(child(child(p, 'webhookClientConfig'), 'url'), cc.url));
    } else if (cc.service) {
      const sp = child(child(p, 'webhookClientConfig'), 'service');
      if (!cc.service.name) errs.push(field.required(child(sp, 'name'), 'service name is required'));
      if (!cc.service.namespace) errs.push(field.required(child(sp, 'namespace'), 'service namespace is required'));
      const port = cc.service.port ?? 443;
      if (port < 1 || port > 65535) errs.push(field.invalid(child(sp, 'port'), port, 'port is not valid: must be between 1 and 65535, inclusive'));
    }
    const versions = c.conversionReviewVersions;
    const vp = child(p, 'conversionReviewVersions');
    if (!versions || versions.length < 1) errs.push(field.required(vp, ''));
    else {
      const seen = new Set<string>();
      let accepted = false;
      versions.forEach((v, i) => {
        if (seen.has(v)) {
          errs.push(field.invalid(index(vp, i), v, 'duplicate version'));
          return;
        }
        seen.add(v);
        for (const m of isDNS1035Label(v)) errs.push(field.invalid(index(vp, i), v, m));
        if (ACCEPTED_CONVERSION_REVIEW_VERSIONS.includes(v)) accepted = true;
      });
      if (requireRecognized && !accepted) errs.push(field.invalid(vp, versions, `must include at least one of ${ACCEPTED_CONVERSION_REVIEW_VERSIONS.join(', ')}`));
    }
  } else {
    if (c.webhookClientConfig) errs.push(field.forbidden(child(p, 'webhookClientConfig'), 'should not be set when strategy is not set to Webhook'));
    if (c.conversionReviewVersions?.length) errs.push(field.forbidden(child(p, 'conversionReviewVersions'), 'should not be set when strategy is not set to Webhook'));
  }
  return errs;
}

// ---------------------------------------------------------------------------------------------
// OpenAPI schema checks (ValidateCustomResourceDefinitionOpenAPISchema and specStandardValidatorV3).

interface SchemaOpts {
  allowDefaults: boolean;
  disallowDefaultsReason?: string;
  insideResourceMeta: boolean;
  requireValidPropertyType: boolean;
  requireAtomicSetType: boolean;
  requireMapListKeysMapSetValidation: boolean;
}

function specStandard(s: JSONSchemaProps, p: string, o: SchemaOpts): FieldError[] {
  const errs: FieldError[] = [];
  if (o.requireValidPropertyType && s.type && !OPENAPI_V3_TYPES.includes(s.type)) errs.push(field.notSupported(child(p, 'type'), s.type, OPENAPI_V3_TYPES));
  if (s.default !== undefined && !o.allowDefaults) {
    errs.push(field.forbidden(child(p, 'default'), o.disallowDefaultsReason ? `must not be set ${o.disallowDefaultsReason}` : 'must not be set'));
  }
  if (s.id) errs.push(field.forbidden(child(p, 'id'), 'id is not supported'));
  if (s.additionalItems !== undefined) errs.push(field.forbidden(child(p, 'additionalItems'), 'additionalItems is not supported'));
  if (s.patternProperties && Object.keys(s.patternProperties).length) errs.push(field.forbidden(child(p, 'patternProperties'), 'patternProperties is not supported'));
  if (s.definitions && Object.keys(s.definitions).length) errs.push(field.forbidden(child(p, 'definitions'), 'definitions is not supported'));
  if (s.dependencies !== undefined) errs.push(field.forbidden(child(p, 'dependencies'), 'dependencies is not supported'));
  if (s.$ref !== undefined) errs.push(field.forbidden(child(p, '$ref'), '$ref is not supported'));
  if (s.type === 'null') errs.push(field.forbidden(child(p, 'type'), 'type cannot be set to null, use nullable as an alternative'));
  if (Array.isArray(s.items) && s.items.length) errs.push(field.forbidden(child(p, 'items'), 'items must be a schema object and not an array'));
  if (o.insideResourceMeta && s['x-kubernetes-embedded-resource']) {
    errs.push(field.forbidden(child(p, 'x-kubernetes-embedded-resource'), 'must not be used inside of resource meta'));
  }
  return errs;
}

function validateMapListKeysMapSet(s: JSONSchemaProps, p: string): FieldError[] {
  const items = itemsSchema(s);
  const lt = s['x-kubernetes-list-type'];
  if (!items || (lt !== 'set' && lt !== 'map')) return [];
  const errs: FieldError[] = [];
  if (items.nullable) errs.push(field.forbidden(child(child(p, 'items'), 'nullable'), `cannot be nullable when x-kubernetes-list-type is ${lt}`));
  if (lt === 'map') {
    const required = new Set(items.required ?? []);
    for (const k of s['x-kubernetes-list-map-keys'] ?? []) {
      const prop = items.properties?.[k];
      if (!prop) continue;
      const kp = key(child(child(p, 'items'), 'properties'), k);
      if (!required.has(k) && prop.default === undefined) {
        errs.push(field.required(child(kp, 'default'), 'this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property'));
      }
      if (prop.nullable) errs.push(field.forbidden(child(kp, 'nullable'), 'this property is in x-kubernetes-list-map-keys, so it cannot be nullable'));
    }
  }
  return errs;
}

const META_PROPERTIES = new Set(['metadata', 'kind', 'apiVersion']);

function validateOpenAPISchema(s: JSONSchemaProps | undefined, p: string, o: SchemaOpts, isRoot: boolean): FieldError[] {
  if (!s) return [];
  const errs = specStandard(s, p, o);
  if (s.uniqueItems) errs.push(field.forbidden(child(p, 'uniqueItems'), 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic'));
  if (s.additionalProperties !== undefined) {
    if (s.properties && Object.keys(s.properties).length && (s.additionalProperties === false || typeof s.additionalProperties === 'object')) {
      errs.push(field.forbidden(child(p, 'additionalProperties'), 'additionalProperties and properties are mutual exclusive'));
    }
    const sub = o.insideResourceMeta ? { ...o, allowDefaults: false, disallowDefaultsReason: 'inside additionalProperties applying to object metadata' } : o;
    if (typeof s.additionalProperties === 'object') errs.push(...validateOpenAPISchema(s.additionalProperties, child(p, 'additionalProperties'), sub, false));
  }
  for (const name of Object.keys(s.properties ?? {}).sort()) {
    let sub = o;
    if ((isRoot || s['x-kubernetes-embedded-resource']) && META_PROPERTIES.has(name)) {
      sub = { ...sub, insideResourceMeta: true };
      if (isRoot) sub = { ...sub, allowDefaults: false, disallowDefaultsReason: `in top-level ${name}` };
    }
    errs.push(...validateOpenAPISchema(s.properties![name], key(child(p, 'properties'), name), sub, false));
  }
  errs.push(...validateOpenAPISchema(s.not, child(p, 'not'), o, false));
  (s.allOf ?? []).forEach((x, i) => errs.push(...validateOpenAPISchema(x, index(child(p, 'allOf'), i), o, false)));
  (s.oneOf ?? []).forEach((x, i) => errs.push(...validateOpenAPISchema(x, index(child(p, 'oneOf'), i), o, false)));
  (s.anyOf ?? []).forEach((x, i) => errs.push(...validateOpenAPISchema(x, index(child(p, 'anyOf'), i), o, false)));
  for (const name of Object.keys(s.definitions ?? {}).sort()) errs.push(...validateOpenAPISchema(s.definitions![name], key(child(p, 'definitions'), name), o, false));
  if (s.items !== undefined) {
    if (Array.isArray(s.items)) s.items.forEach((x, i) => errs.push(...validateOpenAPISchema(x, index(child(p, 'items'), i), o, false)));
    else errs.push(...validateOpenAPISchema(s.items, child(p, 'items'), o, false));
  }
  for (const name of Object.keys(s.dependencies ?? {}).sort()) {
    const d = s.dependencies![name];
    if (!Array.isArray(d)) errs.push(...validateOpenAPISchema(d, key(child(p, 'dependencies'), name), o, false));
  }
  if (s['x-kubernetes-preserve-unknown-fields'] === false) errs.push(field.invalid(child(p, 'x-kubernetes-preserve-unknown-fields'), false, 'must be true or undefined'));
  const mapType = s['x-kubernetes-map-type'];
  if (mapType !== undefined && s.type !== 'object') {
    errs.push(!s.type ? field.required(child(p, 'type'), 'must be object if x-kubernetes-map-type is specified') : field.invalid(child(p, 'type'), s.type, 'must be object if x-kubernetes-map-type is specified'));
  }
  if (mapType !== undefined && mapType !== 'atomic' && mapType !== 'granular') errs.push(field.notSupported(child(p, 'x-kubernetes-map-type'), mapType, ['atomic', 'granular']));
  const listType = s['x-kubernetes-list-type'];
  const items = itemsSchema(s);
  if (listType !== undefined && s.type !== 'array') {
    errs.push(!s.type ? field.required(child(p, 'type'), 'must be array if x-kubernetes-list-type is specified') : field.invalid(child(p, 'type'), s.type, 'must be array if x-kubernetes-list-type is specified'));
  } else if (o.requireAtomicSetType && listType === 'set' && items) {
    if (items.type === 'array' && items['x-kubernetes-list-type'] !== undefined && items['x-kubernetes-list-type'] !== 'atomic') {
      errs.push(field.invalid(child(child(p, 'items'), 'x-kubernetes-list-type'), items['x-kubernetes-list-type'], 'must be atomic as item of a list with x-kubernetes-list-type=set'));
    }
    if (items.type === 'object' && items['x-kubernetes-map-type'] !== 'atomic') {
      // Upstream prints the items' list type here, not its map type.
      errs.push(field.invalid(child(child(p, 'items'), 'x-kubernetes-map-type'), items['x-kubernetes-list-type'] ?? null, 'must be atomic as item of a list with x-kubernetes-list-type=set'));
    }
  }
  if (listType !== undefined && !['atomic', 'set', 'map'].includes(listType)) errs.push(field.notSupported(child(p, 'x-kubernetes-list-type'), listType, ['atomic', 'set', 'map']));
  const mapKeys = s['x-kubernetes-list-map-keys'] ?? [];
  if (mapKeys.length) {
    if (listType === undefined) errs.push(field.required(child(p, 'x-kubernetes-list-type'), 'must be map if x-kubernetes-list-map-keys is non-empty'));
    else if (listType !== 'map') errs.push(field.invalid(child(p, 'x-kubernetes-list-type'), listType, 'must be map if x-kubernetes-list-map-keys is non-empty'));
  }
  if (listType === 'map') {
    if (!mapKeys.length) errs.push(field.required(child(p, 'x-kubernetes-list-map-keys'), 'must not be empty if x-kubernetes-list-type is map'));
    if (s.items === undefined) errs.push(field.required(child(p, 'items'), 'must have a schema if x-kubernetes-list-type is map'));
    if (Array.isArray(s.items)) errs.push(field.invalidRaw(child(p, 'items'), '&apiextensions.JSONSchemaPropsOrArray{...}', 'must only have a single schema if x-kubernetes-list-type is map'));
    if (items && items.type !== 'object') errs.push(field.invalid(child(child(p, 'items'), 'type'), items.type ?? '', "must be object if parent array's x-kubernetes-list-type is map"));
    if (items && items.type === 'object') {
      const seen = new Set<string>();
      for (const k of mapKeys) {
        const prop = items.properties?.[k];
        if (prop) {
          if (prop.type === 'array' || prop.type === 'object') {
            errs.push(field.invalid(child(key(child(child(p, 'items'), 'properties'), k), 'type'), items.type, "must be a scalar type if parent array's x-kubernetes-list-type is map"));
          }
        } else {
          errs.push(field.invalid(child(p, 'x-kubernetes-list-map-keys'), mapKeys, 'entries must all be names of item properties'));
        }
        if (seen.has(k)) errs.push(field.invalid(child(p, 'x-kubernetes-list-map-keys'), mapKeys, 'must not contain duplicate entries'));
        seen.add(k);
      }
    }
  }
  if (o.requireMapListKeysMapSetValidation) errs.push(...validateMapListKeysMapSet(s, p));
  (s['x-kubernetes-validations'] ?? []).forEach((rule, i) => {
    const rp = index(child(p, 'x-kubernetes-validations'), i);
    const r = (rule.rule ?? '').trim();
    const msg = (rule.message ?? '').trim();
    if (!r) errs.push(field.required(child(rp, 'rule'), 'rule is not specified'));
    else if ((rule.message ?? '').length > 0 && !msg) errs.push(field.invalid(child(rp, 'message'), rule.message, 'message must be non-empty if specified'));
    else if (/[\n\r]/.test(msg)) errs.push(field.invalid(child(rp, 'message'), rule.message, 'message must not contain line breaks'));
    else if (/[\n\r]/.test(r) && !msg) errs.push(field.required(child(rp, 'message'), 'message must be specified if rule contains line breaks'));
    if ((rule.messageExpression ?? '').length > 0 && !rule.messageExpression!.trim()) {
      errs.push(field.required(child(rp, 'messageExpression'), 'messageExpression must be non-empty if specified'));
    }
    if (rule.reason !== undefined && !SUPPORTED_VALIDATION_REASONS.includes(rule.reason)) errs.push(field.notSupported(child(rp, 'reason'), rule.reason, SUPPORTED_VALIDATION_REASONS));
    if (rule.fieldPath !== undefined && rule.fieldPath.length > 0 && !rule.fieldPath.trim()) errs.push(field.invalid(child(rp, 'fieldPath'), rule.fieldPath, 'fieldPath must be non-empty if specified'));
    if (rule.fieldPath !== undefined && /[\n\r]/.test(rule.fieldPath)) errs.push(field.invalid(child(rp, 'fieldPath'), rule.fieldPath, 'fieldPath must not contain line breaks'));
  });
  return errs;
}

// ---------------------------------------------------------------------------------------------
// Defaults (structuraldefaulting.ValidateDefaults).

function validateDefaults(s: JSONSchemaProps, p: string, requirePruned: boolean, insideMeta: boolean, isRoot: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const embedded = isRoot || !!s['x-kubernetes-embedded-resource'];
  if (s['x-kubernetes-embedded-resource']) insideMeta = false;
  if (s.default !== undefined && !insideMeta) {
    if (requirePruned) {
      const pruned = structuredClone(s.default);
      prune(pruned, s, !!s['x-kubernetes-embedded-resource']);
      if (!isDeepStrictEqual(pruned, s.default)) errs.push(field.invalid(child(p, 'default'), s.default, 'must not have unknown fields'));
    }
    errs.push(...validateAgainstSchema(s.default, s, child(p, 'default')));
  }
  const items = itemsSchema(s);
  if (items) errs.push(...validateDefaults(items, child(p, 'items'), requirePruned, insideMeta, false));
  for (const name of Object.keys(s.properties ?? {}).sort()) {
    const sub = insideMeta || (embedded && META_PROPERTIES.has(name));
    errs.push(...validateDefaults(s.properties![name], key(child(p, 'properties'), name), requirePruned, sub, false));
  }
  return errs;
}

// ---------------------------------------------------------------------------------------------
// The schema of one version (or the top-level one).

/** Go's reflect walk over a JSONSchemaProps: the first set field not allowed at the root with status. */
function statusRootErrors(s: JSONSchemaProps, p: string): FieldError[] {
  for (const [k, goName] of SCHEMA_FIELDS) {
    const v = s[k];
    if (v === undefined || v === false || v === '' || v === 0) continue;
    if (goName === 'Type') {
      if (s.type !== 'object') return [field.invalid(child(p, 'openAPIV3Schema.type'), s.type, 'only "object" is allowed as the type at the root of the schema if the status subresource is enabled')];
      continue;
    }
    if (!ALLOWED_AT_ROOT.includes(goName)) {
      return [field.invalidRaw(child(p, 'openAPIV3Schema'), 'apiextensions.JSONSchemaProps{...}', `only [${ALLOWED_AT_ROOT.join(' ')}] fields are allowed at the root of the schema if the status subresource is enabled`)];
    }
  }
  return [];
}

interface SpecOpts {
  requireOpenAPISchema: boolean;
  requireValidPropertyType: boolean;
  requireStructuralSchema: boolean;
  requirePrunedDefaults: boolean;
  requireAtomicSetType: boolean;
  requireMapListKeysMapSetValidation: boolean;
  requireRecognizedConversionReviewVersion: boolean;
}

function validateValidation(v: { openAPIV3Schema?: JSONSchemaProps } | undefined, statusEnabled: boolean, opts: SpecOpts, p: string): FieldError[] {
  const schema = v?.openAPIV3Schema;
  if (!schema) return [];
  const errs: FieldError[] = [];
  if (statusEnabled) errs.push(...statusRootErrors(schema, p));
  if (schema.nullable) errs.push(field.forbidden(child(p, 'openAPIV3Schema.nullable'), 'nullable cannot be true at the root'));
  const sp = child(p, 'openAPIV3Schema');
  const initErrs: FieldError[] = [];
  if (opts.requireStructuralSchema) {
    const convErr = structuralConversionError(schema);
    if (convErr) initErrs.push(field.invalid(sp, '', convErr));
    else {
      const structural = validateStructural(sp, schema);
      if (structural.length) errs.push(...structural);
      else errs.push(...validateDefaults(schema, sp, opts.requirePrunedDefaults, false, true));
    }
  }
  errs.push(
    ...validateOpenAPISchema(schema, sp, {
      allowDefaults: true,
      insideResourceMeta: false,
      requireValidPropertyType: opts.requireValidPropertyType,
      requireAtomicSetType: opts.requireAtomicSetType,
      requireMapListKeysMapSetValidation: opts.requireMapListKeysMapSetValidation,
    }, true),
  );
  if (errs.length === 0) errs.push(...initErrs);
  return errs;
}

/** cel.ValidFieldPath without array notation: the schema a selectable field's dotted path leads to. */
function selectableFieldSchema(path: string, s: JSONSchemaProps): { schema?: JSONSchemaProps; root: string; error?: string } {
  if (!path.startsWith('.')) return { root: '', error: `expected [.] but got ${JSON.stringify(path.charAt(0))}` };
  const parts = path.slice(1).split('.');
  let cur: JSONSchemaProps | undefined = s;
  for (const part of parts) {
    if (!part) return { root: parts[0], error: 'empty field name' };
    if (/[[\]]/.test(part)) return { root: parts[0], error: 'array notation is not allowed' };
    const next: JSONSchemaProps | undefined = cur?.properties?.[part] ?? (typeof cur?.additionalProperties === 'object' ? cur.additionalProperties : undefined);
    if (!next) return { root: parts[0], error: `does not refer to a valid field` };
    cur = next;
  }
  return { schema: cur, root: parts[0] };
}

/** ValidateCustomResourceSelectableFields. */
function validateSelectableFields(fields: SelectableField[], schema: JSONSchemaProps | undefined, p: string): FieldError[] {
  const errs: FieldError[] = [];
  const unique = new Set<string>();
  fields.forEach((sf, i) => {
    const jp = child(index(p, i), 'jsonPath');
    if (!sf.jsonPath) {
      errs.push(field.required(jp, ''));
      return;
    }
    const found = schema ? selectableFieldSchema(sf.jsonPath, schema) : { root: '', error: 'no schema' };
    if (found.error) {
      errs.push(field.invalid(jp, sf.jsonPath, `is an invalid path: ${found.error}`));
      return;
    }
    if (found.root === 'metadata') errs.push(field.invalid(jp, sf.jsonPath, 'must not point to fields in metadata'));
    if (!found.schema || !['string', 'boolean', 'integer'].includes(found.schema.type ?? '')) {
      errs.push(field.invalid(jp, sf.jsonPath, 'must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed.'));
    }
    if (unique.has(sf.jsonPath)) errs.push(field.duplicate(jp, sf.jsonPath));
    else unique.add(sf.jsonPath);
  });
  if (unique.size > MAX_SELECTABLE_FIELDS) errs.push(field.tooMany(p, unique.size, MAX_SELECTABLE_FIELDS));
  return errs;
}

function validateDeprecationWarning(v: InternalVersion): string[] {
  if (!v.deprecated && v.deprecationWarning !== undefined) return ['can only be set for deprecated versions'];
  const w = v.deprecationWarning;
  if (w === undefined) return [];
  const errs: string[] = [];
  if (Buffer.byteLength(w, 'utf8') > 256) errs.push('must be <= 256 characters long');
  if (w.length === 0) errs.push('must not be an empty string');
  let i = 0;
  for (const ch of w) {
    if (/\p{Cc}/u.test(ch)) {
      errs.push(`must only contain printable UTF-8 characters; control character found at index ${i}`);
      break;
    }
    if (!/[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u.test(ch)) {
      errs.push(`must only contain printable UTF-8 characters; non-printable character found at index ${i}`);
      break;
    }
    i += Buffer.byteLength(ch, 'utf8');
  }
  return errs;
}

function validateVersion(v: InternalVersion, p: string, statusEnabled: boolean, opts: SpecOpts): FieldError[] {
  const errs: FieldError[] = [];
  for (const m of validateDeprecationWarning(v)) errs.push(field.invalid(child(p, 'deprecationWarning'), v.deprecationWarning ?? null, m));
  errs.push(...validateValidation(v.schema, statusEnabled, opts, child(p, 'schema')));
  errs.push(...validateSubresources(v.subresources, child(p, 'subresources')));
  v.columns.forEach((c, i) => errs.push(...validateColumn(c, index(child(p, 'additionalPrinterColumns'), i))));
  if (v.selectableFields.length) {
    if (!v.schema?.openAPIV3Schema) {
      errs.push(field.invalid(child(p, 'selectableFields'), '', 'selectableFields may only be set when version.schema.openAPIV3Schema is not included'));
    } else {
      const convErr = structuralConversionError(v.schema.openAPIV3Schema);
      if (convErr) errs.push(field.invalid(child(p, 'schema.openAPIV3Schema'), '', convErr));
      errs.push(...validateSelectableFields(v.selectableFields, v.schema.openAPIV3Schema, child(p, 'selectableFields')));
    }
  }
  return errs;
}

function schemasOf(spec: InternalSpec): JSONSchemaProps[] {
  const out: JSONSchemaProps[] = [];
  if (spec.validation?.openAPIV3Schema) out.push(spec.validation.openAPIV3Schema);
  for (const v of spec.versions) if (v.schema?.openAPIV3Schema) out.push(v.schema.openAPIV3Schema);
  return out;
}

/** SchemaHas: pred holds somewhere in the schema tree. */
function schemaHas(s: JSONSchemaProps | undefined, pred: (s: JSONSchemaProps) => boolean): boolean {
  if (!s) return false;
  if (pred(s)) return true;
  const subs: Array<JSONSchemaProps | undefined> = [
    ...(Array.isArray(s.items) ? s.items : [s.items]),
    ...(s.allOf ?? []),
    ...(s.anyOf ?? []),
    ...(s.oneOf ?? []),
    s.not,
    ...Object.values(s.properties ?? {}),
    typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined,
    ...Object.values(s.patternProperties ?? {}),
    typeof s.additionalItems === 'object' ? s.additionalItems : undefined,
    ...Object.values(s.definitions ?? {}),
    ...Object.values(s.dependencies ?? {}).filter((d): d is JSONSchemaProps => !Array.isArray(d)),
  ];
  return subs.some((x) => schemaHas(x, pred));
}

function validateSpec(spec: InternalSpec, opts: SpecOpts, p: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!spec.group) errs.push(field.required(child(p, 'group'), ''));
  else if (isDNS1123Subdomain(spec.group).length) errs.push(field.invalid(child(p, 'group'), spec.group, isDNS1123Subdomain(spec.group).join(',')));
  else if (spec.group.split('.').length < 2) errs.push(field.invalid(child(p, 'group'), spec.group, 'should be a domain with at least one dot'));
  errs.push(...validateEnumString(child(p, 'scope'), spec.scope, ['Cluster', 'Namespaced'], true));
  if (opts.requireOpenAPISchema) {
    if (!spec.validation?.openAPIV3Schema) {
      spec.versions.forEach((v, i) => {
        if (!v.schema?.openAPIV3Schema) errs.push(field.required(child(child(index(child(p, 'versions'), i), 'schema'), 'openAPIV3Schema'), 'schemas are required'));
      });
    }
  }
  if (spec.preserveUnknownFields && schemasOf(spec).some((s) => schemaHas(s, (x) => x.default !== undefined))) {
    errs.push(field.invalid(child(p, 'preserveUnknownFields'), true, 'must be false in order to use defaults in the schema'));
  }
  let storageCount = 0;
  const seen = new Set<string>();
  let unique = true;
  const statusAnywhere = !!spec.subresources?.status || spec.versions.some((v) => !!v.subresources?.status);
  spec.versions.forEach((v, i) => {
    if (v.storage) storageCount++;
    if (seen.has(v.name)) unique = false;
    seen.add(v.name);
    const vp = index(child(p, 'versions'), i);
    const nameErrs = isDNS1035Label(v.name);
    if (nameErrs.length) errs.push(field.invalid(child(vp, 'name'), v.name, nameErrs.join(',')));
    const sub = spec.versions.some((x) => x.subresources !== undefined) ? v.subresources : spec.subresources;
    errs.push(...validateVersion(v, vp, !!sub?.status, opts));
  });
  if (!unique) errs.push(field.invalidRaw(child(p, 'versions'), goVersions(spec.versions), 'must contain unique version names'));
  if (storageCount !== 1) errs.push(field.invalidRaw(child(p, 'versions'), goVersions(spec.versions), 'must have exactly one version marked as storage version'));
  if (spec.version) {
    const e = isDNS1035Label(spec.version);
    if (e.length) errs.push(field.invalid(child(p, 'version'), spec.version, e.join(',')));
  }
  const names = spec.names ?? {};
  if (!names.plural) errs.push(field.required(child(child(p, 'names'), 'plural'), ''));
  if (!names.singular) errs.push(field.required(child(child(p, 'names'), 'singular'), ''));
  if (!names.kind) errs.push(field.required(child(child(p, 'names'), 'kind'), ''));
  if (!names.listKind) errs.push(field.required(child(child(p, 'names'), 'listKind'), ''));
  errs.push(...validateNames(names, child(p, 'names')));
  errs.push(...validateValidation(spec.validation, statusAnywhere, opts, child(p, 'validation')));
  errs.push(...validateSubresources(spec.subresources, child(p, 'subresources')));
  spec.columns.forEach((c, i) => errs.push(...validateColumn(c, index(child(p, 'additionalPrinterColumns'), i))));
  if (spec.selectableFields.length) {
    if (!spec.validation) {
      errs.push(field.invalid(child(p, 'selectableFields'), '', 'selectableFields may only be set when validations.schema is included'));
    } else {
      const convErr = structuralConversionError(spec.validation.openAPIV3Schema);
      if (convErr) errs.push(field.invalid(child(p, 'schema.openAPIV3Schema'), '', convErr));
      errs.push(...validateSelectableFields(spec.selectableFields, spec.validation.openAPIV3Schema, child(p, 'selectableFields')));
    }
  }
  if (spec.conversion && spec.conversion.strategy !== 'None' && spec.preserveUnknownFields) {
    errs.push(field.invalid(child(child(p, 'conversion'), 'strategy'), spec.conversion.strategy, 'must be None if spec.preserveUnknownFields is true'));
  }
  errs.push(...validateConversion(spec, opts.requireRecognizedConversionReviewVersion, child(p, 'conversion')));
  return errs;
}

/** ValidateCustomResourceDefinitionStoredVersions. */
function validateStoredVersions(stored: string[] | undefined, versions: CustomResourceDefinitionVersion[], p: string): FieldError[] {
  if (!stored || stored.length === 0) return [field.invalidRaw(p, goStrings(stored), 'must have at least one stored version')];
  const errs: FieldError[] = [];
  const remaining = new Map<string, number>();
  stored.forEach((v, i) => remaining.set(v, i));
  for (const v of versions ?? []) {
    if (v.storage && !remaining.has(v.name)) errs.push(field.invalid(p, stored, `must have the storage version ${v.name}`));
    remaining.delete(v.name);
  }
  for (const [v, i] of [...remaining.entries()].sort((a, b) => a[1] - b[1])) errs.push(field.invalid(index(p, i), v, 'must appear in spec.versions'));
  return errs;
}

/** IsProtectedCommunityGroup: *.k8s.io and *.kubernetes.io need the api-approved annotation. */
export function isProtectedCommunityGroup(group: string): boolean {
  return group === 'k8s.io' || group.endsWith('.k8s.io') || group === 'kubernetes.io' || group.endsWith('.kubernetes.io');
}

type ApprovalState = 'invalid' | 'approved' | 'bypassed' | 'missing';

function approvalState(annotations: Record<string, string> | undefined): { state: ApprovalState; reason: string } {
  const a = annotations?.[KUBE_API_APPROVED_ANNOTATION] ?? '';
  if (!a) return { state: 'missing', reason: `protected groups must have approval annotation "${KUBE_API_APPROVED_ANNOTATION}", see https://github.com/kubernetes/enhancements/pull/1111` };
  if (a.startsWith('unapproved')) return { state: 'bypassed', reason: `not approved: ${JSON.stringify(a)}` };
  try {
    const u = new URL(a);
    if (u.host && u.protocol) return { state: 'approved', reason: `approved in ${a}` };
  } catch {
    // falls through to invalid
  }
  return {
    state: 'invalid',
    reason: `protected groups must have approval annotation "${KUBE_API_APPROVED_ANNOTATION}" with either a URL or a reason starting with "unapproved", see https://github.com/kubernetes/enhancements/pull/1111`,
  };
}

function validateAPIApproval(crd: CustomResourceDefinition, old?: CustomResourceDefinition): FieldError[] {
  if (!isProtectedCommunityGroup(crd.spec?.group ?? '')) return [];
  const next = approvalState(crd.metadata?.annotations);
  if (old && approvalState(old.metadata?.annotations).state === next.state) return [];
  const p = `metadata.annotations[${KUBE_API_APPROVED_ANNOTATION}]`;
  switch (next.state) {
    case 'missing':
      return [field.required(p, next.reason)];
    case 'approved':
    case 'bypassed':
      return [];
    default:
      return [field.invalid(p, crd.metadata?.annotations?.[KUBE_API_APPROVED_ANNOTATION] ?? '', next.reason)];
  }
}

function validatePreserveUnknownFields(crd: CustomResourceDefinition, old?: CustomResourceDefinition): FieldError[] {
  if (old?.spec?.preserveUnknownFields) return [];
  if (crd.spec?.preserveUnknownFields) {
    return [field.invalid('spec.preserveUnknownFields', true, 'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead')];
  }
  return [];
}

/** The metadata.name rule of CRDs: a DNS subdomain equal to spec.names.plural + "." + spec.group. */
export function crdNameErrors(crd: CustomResourceDefinition): FieldError[] {
  const name = crd.metadata?.name ?? '';
  if (!name) return [];
  const required = `${crd.spec?.names?.plural ?? ''}.${crd.spec?.group ?? ''}`;
  return name === required ? [] : [field.invalid('metadata.name', name, 'must be spec.names.plural+"."+spec.group')];
}

function crdNameValidator(crd: CustomResourceDefinition) {
  return (name: string, prefix: boolean): string[] => {
    const errs = nameIsDNSSubdomain(name, prefix);
    if (name !== `${crd.spec?.names?.plural ?? ''}.${crd.spec?.group ?? ''}`) errs.push('must be spec.names.plural+"."+spec.group');
    return errs;
  };
}

const CREATE_OPTS: SpecOpts = {
  requireOpenAPISchema: true,
  requireValidPropertyType: true,
  requireStructuralSchema: true,
  requirePrunedDefaults: true,
  requireAtomicSetType: true,
  requireMapListKeysMapSetValidation: true,
  requireRecognizedConversionReviewVersion: true,
};

/**
 * ValidateCustomResourceDefinition: every error kube-apiserver v1.32 reports for creating this v1
 * CRD (metadata included). Call it on a defaulted CRD (see defaultCRD) whose status storedVersions
 * has been filled as on create (prepareCRDForCreate), or use crdStrategy which does both.
 */
export function validateCRDObject(crd: CustomResourceDefinition): FieldError[] {
  const spec = toInternal(crd);
  return [
    ...validateObjectMeta(crd.metadata, { namespaced: false, nameValidation: crdNameValidator(crd) }),
    ...validateSpec(spec, CREATE_OPTS, 'spec'),
    ...validateNames(crd.status?.acceptedNames, 'status.acceptedNames'),
    ...validateStoredVersions(crd.status?.storedVersions, crd.spec?.versions ?? [], 'status.storedVersions'),
    ...validateAPIApproval(crd),
    ...validatePreserveUnknownFields(crd),
  ];
}

function specHasInvalidTypes(spec: InternalSpec): boolean {
  return schemasOf(spec).some((s) => schemaHas(s, (x) => !!x.type && !OPENAPI_V3_TYPES.includes(x.type)));
}

function hasNonAtomicSetType(spec: InternalSpec): boolean {
  return schemasOf(spec).some((s) =>
    schemaHas(s, (x) => {
      const it = itemsSchema(x);
      if (x['x-kubernetes-list-type'] !== 'set' || !it) return false;
      if (it.type === 'array') return it['x-kubernetes-list-type'] !== undefined && it['x-kubernetes-list-type'] !== 'atomic';
      if (it.type === 'object') return it['x-kubernetes-map-type'] !== 'atomic';
      return false;
    }),
  );
}

function hasInvalidMapListKeys(spec: InternalSpec): boolean {
  return schemasOf(spec).some((s) => schemaHas(s, (x) => validateMapListKeysMapSet(x, '').length > 0));
}

function hasUnprunedDefaults(spec: InternalSpec): boolean {
  return schemasOf(spec).some((s) => {
    if (!schemaHas(s, (x) => x.default !== undefined) || structuralConversionError(s) || validateStructural('', s).length) return false;
    return validateDefaults(s, '', true, false, true).some((e) => e.detail === 'must not have unknown fields');
  });
}

/**
 * ValidateCustomResourceDefinitionUpdate: as on create, but rules the old CRD already broke are not
 * enforced (ratcheting), names and scope freeze once Established, and group and plural never change.
 */
export function validateCRDUpdate(crd: CustomResourceDefinition, old: CustomResourceDefinition): FieldError[] {
  const spec = toInternal(crd);
  const oldSpec = toInternal(old);
  const opts: SpecOpts = {
    requireOpenAPISchema: !!oldSpec.validation?.openAPIV3Schema || oldSpec.versions.every((v) => !!v.schema?.openAPIV3Schema),
    requireValidPropertyType: !specHasInvalidTypes(oldSpec),
    requireStructuralSchema: true,
    requirePrunedDefaults: !hasUnprunedDefaults(oldSpec),
    requireAtomicSetType: !hasNonAtomicSetType(oldSpec),
    requireMapListKeysMapSetValidation: !hasInvalidMapListKeys(oldSpec),
    requireRecognizedConversionReviewVersion:
      !oldSpec.conversion?.conversionReviewVersions?.length || oldSpec.conversion.conversionReviewVersions.some((v) => ACCEPTED_CONVERSION_REVIEW_VERSIONS.includes(v)),
  };
  // v1 CRDs always prune (preserveUnknownFields is false), so structural schemas stay required even
  // when the old CRD's schema was not structural.
  const errs: FieldError[] = [...validateObjectMetaUpdate(crd.metadata, old.metadata), ...validateSpec(spec, opts, 'spec')];
  if (isConditionTrue(old, 'Established')) {
    errs.push(...validateImmutableField(crd.spec?.scope, old.spec?.scope, 'spec.scope'));
    errs.push(...validateImmutableField(crd.spec?.names?.kind, old.spec?.names?.kind, 'spec.names.kind'));
  }
  errs.push(...validateImmutableField(crd.spec?.group, old.spec?.group, 'spec.group'));
  errs.push(...validateImmutableField(crd.spec?.names?.plural, old.spec?.names?.plural, 'spec.names.plural'));
  errs.push(...validateNames(crd.status?.acceptedNames, 'status.acceptedNames'));
  errs.push(...validateStoredVersions(crd.status?.storedVersions, crd.spec?.versions ?? [], 'status.storedVersions'));
  errs.push(...validateAPIApproval(crd, old), ...validatePreserveUnknownFields(crd, old));
  return errs;
}

/** ValidateUpdateCustomResourceDefinitionStatus: what a /status write is checked for. */
export function validateCRDStatusUpdate(crd: CustomResourceDefinition, old: CustomResourceDefinition): FieldError[] {
  return [...validateObjectMetaUpdate(crd.metadata, old.metadata), ...validateNames(crd.status?.acceptedNames, 'status.acceptedNames')];
}
