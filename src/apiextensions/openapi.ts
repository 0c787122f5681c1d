// OpenAPI definitions of custom resources as apiextensions-apiserver's openapi builder publishes them
// (pkg/controller/openapi/builder): the version's structural schema with apiVersion, kind and
// metadata (ObjectMeta) set, x-kubernetes-group-version-kind, and a <Kind>List definition. kubectl
// explain reads the v3 ones; the v2 ones drop what Swagger 2.0 cannot say.
import type { JSONSchemaProps, CustomResourceDefinition } from './types.js';
import { schemaForVersion } from './types.js';
import { isStructural } from './structural.js';

type Json = Record<string, unknown>;

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const LIST_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta';
const API_VERSION_DESCRIPTION =
  'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources';
const KIND_DESCRIPTION =
  'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds';
const EMBEDDED_API_VERSION_DESCRIPTION =
  'apiVersion defines the versioned schema of this representation of an object. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources';
const EMBEDDED_KIND_DESCRIPTION =
  'kind is a string value representing the type of this object. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds';
const METADATA_DESCRIPTION = "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";
const LIST_METADATA_DESCRIPTION = 'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds';

/** util.ToRESTFriendlyName: "stable.example.com/v1/CronTab" → "com.example.stable.v1.CronTab". */
export function customResourceDefinitionName(group: string, version: string, kind: string): string {
  return `${group.split('.').reverse().join('.')}.${version}.${kind}`;
}

function ref(name: string, v2: boolean): string {
  return v2 ? `#/definitions/${name}` : `#/components/schemas/${name}`;
}

/** A $ref with a description: v3 wraps the $ref in allOf, as kube-openapi does. */
function refWithDescription(name: string, description: string, v2: boolean): Json {
  return v2 ? { description, $ref: ref(name, v2) } : { description, allOf: [{ $ref: ref(name, v2) }] };
}

/** Swagger 2.0 cannot express these; kube-apiserver's ToStructuralOpenAPIV2 drops them. */
const V2_DROPPED = new Set(['nullable', 'anyOf', 'oneOf', 'allOf', 'not', 'x-kubernetes-validations']);

/** The published form of a schema node: embedded resources get apiVersion/kind/metadata; v2 drops what it cannot express. */
function publish(s: JSONSchemaProps, v2: boolean): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(s)) {
    if (v2 && V2_DROPPED.has(k)) continue;
    if (k === 'properties' && v && typeof v === 'object') {
      out.properties = Object.fromEntries(Object.entries(v as Record<string, JSONSchemaProps>).map(([pk, pv]) => [pk, publish(pv, v2)]));
    } else if (k === 'items' && v && typeof v === 'object' && !Array.isArray(v)) {
      out.items = publish(v as JSONSchemaProps, v2);
    } else if (k === 'additionalProperties' && v && typeof v === 'object') {
      out.additionalProperties = publish(v as JSONSchemaProps, v2);
    } else {
      out[k] = structuredClone(v);
    }
  }
  if (v2 && s['x-kubernetes-int-or-string']) delete out.type;
  if (s['x-kubernetes-embedded-resource'] && !(v2 && s['x-kubernetes-preserve-unknown-fields'])) {
    const props = (out.properties ?? {}) as Json;
    props.apiVersion = { description: EMBEDDED_API_VERSION_DESCRIPTION, type: 'string' };
    props.kind = { description: EMBEDDED_KIND_DESCRIPTION, type: 'string' };
    props.metadata = refWithDescription(OBJECT_META, METADATA_DESCRIPTION, v2);
    out.properties = props;
    const req = new Set((out.required as string[] | undefined) ?? []);
    out.required = [...((out.required as string[] | undefined) ?? []), ...['kind', 'apiVersion'].filter((x) => !req.has(x))];
  }
  return out;
}

/** The kind's and list kind's definitions of one CRD version, for /openapi/v2 (v2) and /openapi/v3 (v3). */
export function customResourceOpenAPIDefinitions(crd: CustomResourceDefinition, version: string): { v2: Json; v3: Json } {
  const names = crd.status?.acceptedNames?.kind ? crd.status.acceptedNames : crd.spec.names;
  const kind = names.kind;
  const listKind = names.listKind ?? `${kind}List`;
  const plural = names.plural;
  const group = crd.spec.group;
  const name = customResourceDefinitionName(group, version, kind);
  const listName = customResourceDefinitionName(group, version, listKind);
  const schema = schemaForVersion(crd, version);
  const build = (v2: boolean): Json => {
    let kindSchema: Json;
    if (!schema || !isStructural(schema) || (v2 && schema['x-kubernetes-preserve-unknown-fields'])) {
      kindSchema = { type: 'object' };
    } else {
      kindSchema = publish(schema, v2);
      const props = (kindSchema.properties ?? {}) as Json;
      props.apiVersion = { description: API_VERSION_DESCRIPTION, type: 'string' };
      props.kind = { description: KIND_DESCRIPTION, type: 'string' };
      props.metadata = refWithDescription(OBJECT_META, METADATA_DESCRIPTION, v2);
      kindSchema.properties = props;
    }
    kindSchema['x-kubernetes-group-version-kind'] = [{ group, kind, version }];
    const listSchema: Json = {
      description: `${listKind} is a list of ${kind}`,
      type: 'object',
      required: ['items'],
      properties: {
        apiVersion: { description: API_VERSION_DESCRIPTION, type: 'string' },
        items: {
          description: `List of ${plural}. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md`,
          type: 'array',
          items: { $ref: ref(name, v2) },
        },
        kind: { description: KIND_DESCRIPTION, type: 'string' },
        metadata: refWithDescription(LIST_META, LIST_METADATA_DESCRIPTION, v2),
      },
      'x-kubernetes-group-version-kind': [{ group, kind: listKind, version }],
    };
    return { [name]: kindSchema, [listName]: listSchema };
  };
  return { v2: build(true), v3: build(false) };
}
