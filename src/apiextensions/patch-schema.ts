// Patch metadata of custom resources: server-side apply merges lists and maps as the CRD schema's
// x-kubernetes-list-type / -list-map-keys / -map-type say; strategic merge patch has no metadata for
// custom resources, so kube-apiserver refuses it with 415.
import { unsupportedMediaType, type StatusError } from '../apimachinery/errors.js';
import type { PatchFieldMeta, PatchSchema } from '../apimachinery/patch/schema.js';
import { schemaForVersion, type CustomResourceDefinition, type JSONSchemaProps } from './types.js';

/** The patch content types a custom resource accepts (no strategic merge patch). */
export const CUSTOM_RESOURCE_PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'] as const;

/**
 * The 415 for a strategic merge patch of a custom resource, as negotiation.NewUnsupportedMediaTypeError
 * words it: `the body of the request was in an unknown format - accepted media types include:
 * application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`.
 */
export function strategicMergePatchUnsupported(): StatusError {
  return unsupportedMediaType(CUSTOM_RESOURCE_PATCH_TYPES.join(', '));
}

/** The upstream text of that 415 (the Status message). */
export const SMP_UNSUPPORTED_MESSAGE = `the body of the request was in an unknown format - accepted media types include: ${CUSTOM_RESOURCE_PATCH_TYPES.join(', ')}`;

const EMBEDDED_META = new Set(['apiVersion', 'kind', 'metadata']);

function fieldMeta(s: JSONSchemaProps): PatchFieldMeta {
  const items = s.items === undefined || Array.isArray(s.items) ? undefined : s.items;
  const extra: PatchFieldMeta = s.default !== undefined ? { default: s.default } : {};
  if (s.type === 'array' || items) {
    const lt = s['x-kubernetes-list-type'];
    const listType = lt === 'set' || lt === 'map' ? lt : 'atomic';
    return {
      ...extra,
      kind: 'list',
      listType,
      ...(listType === 'map' ? { listMapKeys: [...(s['x-kubernetes-list-map-keys'] ?? [])] } : {}),
      ...(items ? { schema: schemaNode(items), items: fieldMeta(items) } : {}),
    };
  }
  if (s.type === 'object' || s.properties || s.additionalProperties !== undefined || s['x-kubernetes-preserve-unknown-fields']) {
    const isMap = !s.properties && typeof s.additionalProperties === 'object';
    const values = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
    const mt = s['x-kubernetes-map-type'];
    return {
      ...extra,
      kind: isMap ? 'map' : 'object',
      schema: isMap && values ? elementNode(values) : schemaNode(s),
      ...(mt === 'atomic' || mt === 'granular' ? { mapType: mt } : {}),
      ...(isMap && values ? { items: fieldMeta(values) } : {}),
    };
  }
  return { ...extra, kind: 'scalar' };
}

/** A node whose field() answers for a map's values: every key has the value schema. */
function elementNode(values: JSONSchemaProps): PatchSchema {
  return { field: () => fieldMeta(values) };
}

function schemaNode(s: JSONSchemaProps): PatchSchema {
  return {
    field(name: string): PatchFieldMeta | undefined {
      const prop = s.properties?.[name];
      if (prop) return fieldMeta(prop);
      if (typeof s.additionalProperties === 'object') return fieldMeta(s.additionalProperties);
      return undefined;
    },
  };
}

/** The PatchSchema of a CRD version's objects; apiVersion, kind and metadata are the standard ones. */
export function customResourcePatchSchema(crd: CustomResourceDefinition, version: string, metadataSchema?: PatchSchema): PatchSchema {
  const root = schemaNode(schemaForVersion(crd, version) ?? { type: 'object' });
  return {
    field(name: string) {
      if (EMBEDDED_META.has(name)) {
        if (name === 'metadata') return { kind: 'object', ...(metadataSchema ? { schema: metadataSchema } : {}) };
        return { kind: 'scalar' };
      }
      return root.field(name);
    },
  };
}

/** x-kubernetes-map-type of a field path (atomic maps are replaced whole by server-side apply). */
export function mapTypeAt(crd: CustomResourceDefinition, version: string, path: string[]): 'atomic' | 'granular' | undefined {
  let s: JSONSchemaProps | undefined = schemaForVersion(crd, version);
  for (const p of path) {
    if (!s) return undefined;
    s = s.properties?.[p] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined) ?? (s.items && !Array.isArray(s.items) ? s.items : undefined);
  }
  const t = s?.['x-kubernetes-map-type'];
  return t === 'atomic' || t === 'granular' ? t : undefined;
}
