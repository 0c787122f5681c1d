// The structural schema of a corev1.PodTemplateSpec, derived from skiff's own built-in type registry
// (client-node's models) rather than written out by hand: workload CRDs such as Argo Rollouts embed a
// full pod template, and controller-gen gives them the same schema kube-apiserver's types have.
import { modelDocs, modelFields, type FieldType } from '../api/schema.js';
import { fieldPatchMeta, STRUCT_MAP_TYPES } from '../api/patchmeta.js';
import type { JSONSchemaProps } from '../apiextensions/types.js';
import { freeform, intOrString, obj, quantity, stringMap } from './schema.js';

// A list-map key must be required or defaulted in a structural schema; these are the defaulted ones
// upstream declares (ContainerPort.protocol defaults to TCP).
const LIST_MAP_KEY_DEFAULTS: Readonly<Record<string, string>> = { protocol: 'TCP' };

function fieldSchema(t: FieldType, stack: readonly string[]): JSONSchemaProps {
  switch (t.kind) {
    case 'string':
      return t.format === 'byte' ? { type: 'string', format: 'byte' } : { type: 'string' };
    case 'number':
      if (t.format === 'int32' || t.format === 'int64') return { type: 'integer', format: t.format };
      return { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'time':
      return { type: 'string', format: 'date-time' };
    case 'intOrString':
      return intOrString();
    case 'quantity':
      return quantity();
    case 'any':
      return { 'x-kubernetes-preserve-unknown-fields': true };
    case 'array':
      return { type: 'array', items: fieldSchema(t.items, stack) };
    case 'map':
      return { type: 'object', additionalProperties: fieldSchema(t.values, stack) };
    case 'object':
      return modelSchema(t.model, stack);
  }
}

/**
 * The schema of a client-node model: its fields, the ones its declaration marks required, and the
 * list and map types the patch table knows. A model that reaches itself becomes a free-form object.
 */
export function modelSchema(model: string, stack: readonly string[] = []): JSONSchemaProps {
  const fields = modelFields(model);
  if (!fields || stack.includes(model)) return freeform();
  const inner = [...stack, model];
  const docs = modelDocs(model);
  const properties: Record<string, JSONSchemaProps> = {};
  const required: string[] = [];
  for (const f of [...fields.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    // An embedded ObjectMeta (pod templates, PVC templates) keeps what controllers read: labels and annotations.
    const s = f.type.kind === 'object' && f.type.model === 'V1ObjectMeta'
      ? obj({ labels: stringMap(), annotations: stringMap() })
      : fieldSchema(f.type, inner);
    applyPatchMeta(s, model, f.name);
    properties[f.name] = s;
    if (docs.fields.get(f.name)?.required) required.push(f.name);
  }
  const out: JSONSchemaProps = { type: 'object', properties };
  if (required.length > 0) out.required = required;
  if (STRUCT_MAP_TYPES[model] === 'atomic') out['x-kubernetes-map-type'] = 'atomic';
  return out;
}

function applyPatchMeta(s: JSONSchemaProps, model: string, field: string): void {
  const facts = fieldPatchMeta(model, field);
  if (!facts) return;
  if (facts.mapType && s.type === 'object') s['x-kubernetes-map-type'] = facts.mapType;
  if (!facts.listType || s.type !== 'array') return;
  if (facts.listType !== 'map') {
    s['x-kubernetes-list-type'] = facts.listType;
    return;
  }
  const item = s.items;
  const keys = facts.listMapKeys ?? [];
  if (!item || Array.isArray(item) || keys.length === 0) return;
  // Keys that are neither required nor defaulted would make the schema non-structural: leave the list atomic.
  for (const key of keys) {
    const known = item.required?.includes(key) || key in LIST_MAP_KEY_DEFAULTS;
    if (!known || !item.properties?.[key]) return;
  }
  for (const key of keys) {
    if (!item.required?.includes(key)) item.properties![key] = { ...item.properties![key], default: LIST_MAP_KEY_DEFAULTS[key] };
  }
  s['x-kubernetes-list-type'] = 'map';
  s['x-kubernetes-list-map-keys'] = [...keys];
}

let podTemplateCache: JSONSchemaProps | undefined;

/** corev1.PodTemplateSpec as a CRD schema (metadata: labels and annotations; spec: the full PodSpec). */
export function podTemplateSpecSchema(): JSONSchemaProps {
  podTemplateCache ??= modelSchema('V1PodTemplateSpec');
  return structuredClone(podTemplateCache);
}
