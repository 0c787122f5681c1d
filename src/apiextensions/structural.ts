// Structural schemas (apiextensions-apiserver's pkg/apiserver/schema): which OpenAPI v3 schemas a v1
// CRD may use. A structural schema specifies a type for every field, keeps properties/items/
// additionalProperties out of allOf/anyOf/oneOf/not, and only lets metadata name name and
// generateName. The checks and messages are upstream's (NewStructural, ValidateStructural).
import { field, fieldErrorString, type FieldError } from '../apimachinery/errors.js';
import { compilePattern } from './schema-validation.js';
import { itemsSchema, type JSONSchemaProps } from './types.js';

type Level = 'root' | 'item' | 'field';

const child = (p: string, name: string) => (p ? `${p}.${name}` : name);
const key = (p: string, k: string) => `${p}[${k}]`;
const index = (p: string, i: number) => `${p}[${i}]`;

/** Why NewStructural cannot even convert the schema (unsupported OpenAPI fields), or undefined. */
export function structuralConversionError(s: JSONSchemaProps | undefined): string | undefined {
  if (!s) return undefined;
  if (s.id) return "OpenAPIV3Schema 'id' is not supported";
  if (s.$schema) return "OpenAPIV3Schema 'schema' is not supported";
  if (s.$ref) return "OpenAPIV3Schema '$ref' is not supported";
  if (s.patternProperties && Object.keys(s.patternProperties).length) return "OpenAPIV3Schema 'patternProperties' is not supported";
  if (s.dependencies && Object.keys(s.dependencies).length) return "OpenAPIV3Schema 'dependencies' is not supported";
  if (s.additionalItems !== undefined) return "OpenAPIV3Schema 'additionalItems' is not supported";
  if (s.definitions && Object.keys(s.definitions).length) return "OpenAPIV3Schema 'definitions' is not supported";
  if (s['x-kubernetes-preserve-unknown-fields'] === false) return "internal error: 'x-kubernetes-preserve-unknown-fields' must be true or undefined";
  for (const sub of [...(s.allOf ?? []), ...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.not ? [s.not] : [])]) {
    const e = structuralConversionError(sub);
    if (e) return e;
  }
  if (Array.isArray(s.items)) return "OpenAPIV3Schema 'items' must be a schema, but is an array";
  const nested = [itemsSchema(s), ...Object.values(s.properties ?? {}), typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined];
  for (const sub of nested) {
    const e = structuralConversionError(sub);
    if (e) return e;
  }
  return undefined;
}

function isIntOrStringAnyOf(anyOf: JSONSchemaProps[] | undefined): boolean {
  return (
    anyOf?.length === 2 &&
    anyOf.every((x, i) => Object.keys(x).length === 1 && x.type === (i === 0 ? 'integer' : 'string'))
  );
}

/** Any value validation at all (the Go ValueValidation struct is non-zero). */
function hasValueValidation(s: JSONSchemaProps): boolean {
  const keys: Array<keyof JSONSchemaProps> = [
    'format', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems',
    'uniqueItems', 'multipleOf', 'enum', 'maxProperties', 'minProperties', 'required', 'allOf', 'oneOf', 'anyOf', 'not',
  ];
  return keys.some((k) => s[k] !== undefined && s[k] !== false);
}

function validateValueValidation(s: JSONSchemaProps, skipAnyOf: boolean, skipFirstAllOfAnyOf: boolean, lvl: Level, p: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!skipAnyOf) (s.anyOf ?? []).forEach((v, i) => errs.push(...validateNested(v, false, lvl, index(child(p, 'anyOf'), i))));
  (s.allOf ?? []).forEach((v, i) => errs.push(...validateNested(v, skipFirstAllOfAnyOf && i === 0, lvl, index(child(p, 'allOf'), i))));
  (s.oneOf ?? []).forEach((v, i) => errs.push(...validateNested(v, false, lvl, index(child(p, 'oneOf'), i))));
  if (s.not) errs.push(...validateNested(s.not, false, lvl, child(p, 'not')));
  if (s.pattern) {
    try {
      compilePattern(s.pattern);
    } catch (e) {
      errs.push(field.invalid(child(p, 'pattern'), s.pattern, `must be a valid regular expression, but isn't: ${e instanceof Error ? e.message : String(e)}`));
    }
  }
  return errs;
}

/** validateNestedValueValidation: what allOf/anyOf/oneOf/not may not specify. */
function validateNested(v: JSONSchemaProps, skipAnyOf: boolean, lvl: Level, p: string): FieldError[] {
  const errs = validateValueValidation(v, skipAnyOf, false, lvl, p);
  const items = itemsSchema(v);
  if (items) errs.push(...validateNested(items, false, lvl, child(p, 'items')));
  for (const k of Object.keys(v.properties ?? {}).sort()) errs.push(...validateNested(v.properties![k], false, 'field', key(child(p, 'properties'), k)));
  if (v.type) errs.push(field.forbidden(child(p, 'type'), 'must be empty to be structural'));
  if (v.additionalProperties !== undefined && v.additionalProperties !== false) {
    errs.push(field.forbidden(child(p, 'additionalProperties'), 'must be undefined to be structural'));
  }
  if (v.default !== undefined) errs.push(field.forbidden(child(p, 'default'), 'must be undefined to be structural'));
  if (v.title) errs.push(field.forbidden(child(p, 'title'), 'must be empty to be structural'));
  if (v.description) errs.push(field.forbidden(child(p, 'description'), 'must be empty to be structural'));
  if (v.nullable) errs.push(field.forbidden(child(p, 'nullable'), 'must be false to be structural'));
  if (v['x-kubernetes-preserve-unknown-fields']) errs.push(field.forbidden(child(p, 'x-kubernetes-preserve-unknown-fields'), 'must be false to be structural'));
  if (v['x-kubernetes-embedded-resource']) errs.push(field.forbidden(child(p, 'x-kubernetes-embedded-resource'), 'must be false to be structural'));
  if (v['x-kubernetes-int-or-string']) errs.push(field.forbidden(child(p, 'x-kubernetes-int-or-string'), 'must be false to be structural'));
  if (v['x-kubernetes-list-map-keys']?.length) errs.push(field.forbidden(child(p, 'x-kubernetes-list-map-keys'), 'must be empty to be structural'));
  if (v['x-kubernetes-list-type'] !== undefined) errs.push(field.forbidden(child(p, 'x-kubernetes-list-type'), 'must be undefined to be structural'));
  if (v['x-kubernetes-map-type'] !== undefined) errs.push(field.forbidden(child(p, 'x-kubernetes-map-type'), 'must be undefined to be structural'));
  if (v['x-kubernetes-validations']?.length) errs.push(field.forbidden(child(p, 'x-kubernetes-validations'), 'must be empty to be structural'));
  if (v.properties && 'metadata' in v.properties) errs.push(field.forbidden(key(child(p, 'properties'), 'metadata'), 'must not be specified in a nested context'));
  return errs;
}

function validateMetadata(m: JSONSchemaProps, checkMetadata: boolean, lvl: Level, p: string): FieldError[] {
  const errs: FieldError[] = [];
  if (checkMetadata && m.type !== 'object') errs.push(field.invalid(child(p, 'type'), m.type ?? '', 'must be object'));
  if (lvl === 'root') {
    // Only name and generateName may be specified; everything but type and default counts.
    const props = Object.keys(m.properties ?? {});
    const onlyNames = props.every((k) => k === 'name' || k === 'generateName');
    const rest = Object.entries(m).filter(([k, v]) => k !== 'type' && k !== 'default' && k !== 'properties' && v !== undefined && v !== false);
    if (!onlyNames || rest.length > 0) {
      errs.push(field.forbidden(p, 'must not specify anything other than name and generateName, but metadata is implicitly specified'));
    }
  }
  return errs;
}

function validateInvariants(s: JSONSchemaProps, lvl: Level, p: string): FieldError[] {
  const errs: FieldError[] = [];
  const items = itemsSchema(s);
  if (s.type === 'array' && !items) errs.push(field.required(child(p, 'items'), 'must be specified'));
  if (items) errs.push(...validateInvariants(items, 'item', child(p, 'items')));
  for (const k of Object.keys(s.properties ?? {})) errs.push(...validateInvariants(s.properties![k], 'field', key(child(p, 'properties'), k)));
  if (s.additionalProperties !== undefined) {
    if (lvl === 'root') errs.push(field.forbidden(child(p, 'additionalProperties'), 'must not be used at the root'));
    if (typeof s.additionalProperties === 'object') errs.push(...validateInvariants(s.additionalProperties, 'field', child(p, 'additionalProperties')));
  }
  const intOrString = !!s['x-kubernetes-int-or-string'];
  const preserve = !!s['x-kubernetes-preserve-unknown-fields'];
  const embedded = !!s['x-kubernetes-embedded-resource'];
  if (intOrString && preserve) errs.push(field.invalid(child(p, 'x-kubernetes-preserve-unknown-fields'), true, 'must be false if x-kubernetes-int-or-string is true'));
  if (intOrString && embedded) errs.push(field.invalid(child(p, 'x-kubernetes-embedded-resource'), true, 'must be false if x-kubernetes-int-or-string is true'));
  const skipAnyOf = isIntOrStringAnyOf(s.anyOf);
  const skipFirstAllOfAnyOf = (s.allOf?.length ?? 0) >= 1 && isIntOrStringAnyOf(s.allOf![0].anyOf);
  errs.push(...validateValueValidation(s, skipAnyOf, skipFirstAllOfAnyOf, lvl, p));
  const checkMetadata = lvl === 'root' || embedded;
  const type = s.type ?? '';
  if (embedded && type !== 'object') {
    errs.push(type === '' ? field.required(child(p, 'type'), 'must be object if x-kubernetes-embedded-resource is true') : field.invalid(child(p, 'type'), type, 'must be object if x-kubernetes-embedded-resource is true'));
  } else if (type === '' && !intOrString && !preserve) {
    const detail = lvl === 'root' ? 'must not be empty at the root' : lvl === 'item' ? 'must not be empty for specified array items' : 'must not be empty for specified object fields';
    errs.push(field.required(child(p, 'type'), detail));
  }
  if (embedded && s.additionalProperties !== undefined) errs.push(field.forbidden(child(p, 'additionalProperties'), 'must not be used if x-kubernetes-embedded-resource is set'));
  if (lvl === 'root' && type !== '' && type !== 'object') errs.push(field.invalid(child(p, 'type'), type, 'must be object at the root'));
  const props = s.properties ?? {};
  if ('kind' in props && checkMetadata && props.kind.type !== 'string') errs.push(field.invalid(child(key(child(p, 'properties'), 'kind'), 'type'), props.kind.type ?? '', 'must be string'));
  if ('apiVersion' in props && checkMetadata && props.apiVersion.type !== 'string') {
    errs.push(field.invalid(child(key(child(p, 'properties'), 'apiVersion'), 'type'), props.apiVersion.type ?? '', 'must be string'));
  }
  if ('metadata' in props) errs.push(...validateMetadata(props.metadata, checkMetadata, lvl, key(child(p, 'properties'), 'metadata')));
  if (embedded && !preserve && Object.keys(props).length === 0) {
    errs.push(field.required(child(p, 'properties'), 'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields'));
  }
  return errs;
}

/** Completeness: every property a value validation (allOf, ...) mentions is specified in the skeleton. */
function validateCompleteness(v: JSONSchemaProps, s: JSONSchemaProps | undefined, sPath: string, vPath: string): FieldError[] {
  if (!s) return [field.required(sPath, `because it is defined in ${vPath}`)];
  const errs: FieldError[] = [];
  if (v.not) errs.push(...nestedCompleteness(v.not, s, sPath, child(vPath, 'not')));
  (v.allOf ?? []).forEach((x, i) => errs.push(...nestedCompleteness(x, s, sPath, index(child(vPath, 'allOf'), i))));
  (v.anyOf ?? []).forEach((x, i) => errs.push(...nestedCompleteness(x, s, sPath, index(child(vPath, 'anyOf'), i))));
  (v.oneOf ?? []).forEach((x, i) => errs.push(...nestedCompleteness(x, s, sPath, index(child(vPath, 'oneOf'), i))));
  return errs;
}

function nestedCompleteness(v: JSONSchemaProps, s: JSONSchemaProps | undefined, sPath: string, vPath: string): FieldError[] {
  if (!s) return [field.required(sPath, `because it is defined in ${vPath}`)];
  const errs = validateCompleteness(v, s, sPath, vPath);
  const vItems = itemsSchema(v);
  if (vItems) errs.push(...nestedCompleteness(vItems, itemsSchema(s), child(sPath, 'items'), child(vPath, 'items')));
  for (const k of Object.keys(v.properties ?? {})) {
    const sFld = s.properties?.[k];
    if (!sFld) errs.push(field.required(key(child(sPath, 'properties'), k), `because it is defined in ${key(child(vPath, 'properties'), k)}`));
    else errs.push(...nestedCompleteness(v.properties![k], sFld, key(child(sPath, 'properties'), k), key(child(vPath, 'properties'), k)));
  }
  return errs;
}

/**
 * ValidateStructural: the structural-schema violations of a schema at path p (e.g.
 * "spec.validation.openAPIV3Schema"), sorted by message as upstream sorts them.
 */
export function validateStructural(p: string, s: JSONSchemaProps): FieldError[] {
  const errs = [...validateInvariants(s, 'root', p), ...(hasValueValidation(s) ? validateCompleteness(s, s, p, p) : [])];
  return errs.sort((a, b) => {
    const x = fieldErrorString(a);
    const y = fieldErrorString(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/** True when the schema converts and has no structural violations. */
export function isStructural(s: JSONSchemaProps | undefined): boolean {
  if (!s) return true;
  return structuralConversionError(s) === undefined && validateStructural('', s).length === 0;
}
