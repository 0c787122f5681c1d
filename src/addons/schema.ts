// A compact way to write the structural OpenAPI v3 schemas of add-on CRDs. A property name ending in
// "!" is required (`obj({ 'name!': str(), kind: str() })`), in the order written, which is the order
// the API server reports missing fields in. Everything builds plain JSONSchemaProps objects.
import type { JSONSchemaProps } from '../apiextensions/types.js';

/** Extra JSONSchemaProps keywords for a builder (bounds, patterns, defaults, x-kubernetes-*). */
export type SchemaOptions = Omit<JSONSchemaProps, 'type' | 'properties' | 'items' | 'additionalProperties'>;

/** The pattern controller-gen puts on resource.Quantity fields (apimachinery's quantity grammar). */
export const QUANTITY_PATTERN =
  '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';

/** A DNS-1123 subdomain (object names), as ESO and others constrain references. */
export const DNS1123_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';

/** A DNS-1123 label (namespace names). */
export const DNS1123_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';

/** A string. */
export function str(opts: SchemaOptions = {}): JSONSchemaProps {
  return { type: 'string', ...opts };
}

/** A string restricted to the given values. */
export function oneOfStrings(values: readonly string[], opts: SchemaOptions = {}): JSONSchemaProps {
  return { type: 'string', enum: [...values], ...opts };
}

/** An RFC 3339 timestamp (metav1.Time). */
export function time(opts: SchemaOptions = {}): JSONSchemaProps {
  return { type: 'string', format: 'date-time', ...opts };
}

/** An integer without a declared width (Go int). */
export function int(opts: SchemaOptions = {}): JSONSchemaProps {
  return { type: 'integer', ...opts };
}

/** A Go int32. */
export function int32(opts: SchemaOptions = {}): JSONSchemaProps {
  return { type: 'integer', format: 'int32', ...opts };
}

/** A Go int64. */
export function int64(opts: SchemaOptions = {}): JSONSchemaProps {
  return { type: 'integer', format: 'int64', ...opts };
}

/** A floating-point number. */
export function num(opts: SchemaOptions = {}): JSONSchemaProps {
  return { type: 'number', ...opts };
}

/** A boolean. */
export function bool(opts: SchemaOptions = {}): JSONSchemaProps {
  return { type: 'boolean', ...opts };
}

/** intstr.IntOrString: an integer or a string ("25%"). */
export function intOrString(opts: SchemaOptions = {}): JSONSchemaProps {
  return { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true, ...opts };
}

/** resource.Quantity: `cpu: 1` and `memory: 1Gi` both decode. */
export function quantity(opts: SchemaOptions = {}): JSONSchemaProps {
  return intOrString({ pattern: QUANTITY_PATTERN, ...opts });
}

/** A list of items. */
export function list(items: JSONSchemaProps, opts: SchemaOptions = {}): JSONSchemaProps {
  return { type: 'array', items, ...opts };
}

/** A list of strings. */
export function strings(opts: SchemaOptions = {}, item: SchemaOptions = {}): JSONSchemaProps {
  return list(str(item), opts);
}

/** A map from string keys to values of one schema. */
export function map(values: JSONSchemaProps, opts: SchemaOptions = {}): JSONSchemaProps {
  return { type: 'object', additionalProperties: values, ...opts };
}

/** A map of strings (labels, annotations, tags). */
export function stringMap(opts: SchemaOptions = {}, value: SchemaOptions = {}): JSONSchemaProps {
  return map(str(value), opts);
}

/** A map of resource names to quantities (corev1.ResourceList). */
export function resourceList(opts: SchemaOptions = {}): JSONSchemaProps {
  return map(quantity(), opts);
}

/**
 * An object with known properties. Names ending in "!" are required; the "!" is not part of the
 * name. `opts.required` may add more (for instance when a property is declared elsewhere).
 */
export function obj(props: Record<string, JSONSchemaProps>, opts: SchemaOptions = {}): JSONSchemaProps {
  const properties: Record<string, JSONSchemaProps> = {};
  const required: string[] = [];
  for (const [key, schema] of Object.entries(props)) {
    const name = key.endsWith('!') ? key.slice(0, -1) : key;
    if (name !== key) required.push(name);
    properties[name] = schema;
  }
  const out: JSONSchemaProps = { type: 'object', properties };
  const allRequired = [...required, ...(opts.required ?? [])];
  if (allRequired.length > 0) out.required = allRequired;
  const { required: _ignored, ...rest } = opts;
  return { ...out, ...rest };
}

/** An object kept as written: fields no schema describes (Helm values, free-form config). */
export function freeform(opts: SchemaOptions = {}): JSONSchemaProps {
  return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, ...opts };
}

/** An object whose listed properties are checked and whose other properties are kept unchecked. */
export function openObj(props: Record<string, JSONSchemaProps>, opts: SchemaOptions = {}): JSONSchemaProps {
  return obj(props, { 'x-kubernetes-preserve-unknown-fields': true, ...opts });
}

/** metav1.LabelSelector (matchLabels and matchExpressions), atomic as upstream declares it. */
export function labelSelector(opts: SchemaOptions = {}): JSONSchemaProps {
  return obj(
    {
      matchExpressions: list(
        obj({ 'key!': str(), 'operator!': str(), values: strings({ 'x-kubernetes-list-type': 'atomic' }) }),
        { 'x-kubernetes-list-type': 'atomic' },
      ),
      matchLabels: stringMap(),
    },
    { 'x-kubernetes-map-type': 'atomic', ...opts },
  );
}

/** metav1.Condition as controller-gen emits it for status.conditions. */
export function conditions(opts: SchemaOptions = {}): JSONSchemaProps {
  return list(
    obj({
      'type!': str(),
      'status!': str(),
      observedGeneration: int64({ minimum: 0 }),
      lastTransitionTime: time(),
      reason: str(),
      message: str(),
    }),
    opts,
  );
}

/** A namespaced object reference by name (corev1.LocalObjectReference and friends). */
export function nameRef(extra: Record<string, JSONSchemaProps> = {}): JSONSchemaProps {
  return obj({ 'name!': str(), ...extra });
}
