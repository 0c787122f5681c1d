// Builds apiextensions.k8s.io/v1 CustomResourceDefinition objects for the add-on catalog from a short
// description: names, scope, and per version its spec/status schemas, subresources and columns.
import type {
  CustomResourceColumnDefinition,
  CustomResourceDefinition,
  CustomResourceSubresources,
  JSONSchemaProps,
} from '../apiextensions/types.js';
import { freeform, obj, str } from './schema.js';

/** One served version of an add-on CRD. */
export interface AddonCRDVersion {
  name: string;
  /** Defaults to true. */
  served?: boolean;
  /** Exactly one version of a CRD is the storage version. */
  storage?: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  /** The schema of .spec; omitted means the kind has no spec. */
  spec?: JSONSchemaProps;
  /** The schema of .status; omitted means a free-form status object. */
  status?: JSONSchemaProps;
  /** Other top-level fields beside apiVersion/kind/metadata/spec/status (Argo CD's operation). */
  fields?: Record<string, JSONSchemaProps>;
  /** Top-level required fields ("spec" when the project requires it). */
  required?: string[];
  /** Replaces the whole generated openAPIV3Schema (IstioOperator's free-form schema). */
  schema?: JSONSchemaProps;
  subresources?: CustomResourceSubresources;
  columns?: CustomResourceColumnDefinition[];
}

/** What an add-on CRD is: its group, names, scope and versions. */
export interface AddonCRDDefinition {
  group: string;
  kind: string;
  plural: string;
  singular?: string;
  listKind?: string;
  shortNames?: string[];
  categories?: string[];
  scope: 'Namespaced' | 'Cluster';
  versions: AddonCRDVersion[];
  /** Labels the project puts on its CRDs (app.kubernetes.io/part-of, ...). */
  labels?: Record<string, string>;
  /** Annotations the project puts on its CRDs. */
  annotations?: Record<string, string>;
}

/** The label skiff puts on every CRD it installs from the catalog, naming the add-on. */
export const ADDON_LABEL = 'skiff.dev/addon';

/** The creationTimestamp printer column every kind shows last or near last. */
export const AGE_COLUMN: CustomResourceColumnDefinition = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

/** A printer column; `priority: 1` hides it unless `kubectl get -o wide`. */
export function column(
  name: string,
  type: string,
  jsonPath: string,
  opts: { priority?: number; description?: string; format?: string } = {},
): CustomResourceColumnDefinition {
  const c: CustomResourceColumnDefinition = { name, type, jsonPath };
  if (opts.format) c.format = opts.format;
  if (opts.description) c.description = opts.description;
  if (opts.priority !== undefined) c.priority = opts.priority;
  return c;
}

/** The openAPIV3Schema of one version: apiVersion, kind, metadata, then the kind's own fields. */
export function versionSchema(v: AddonCRDVersion): JSONSchemaProps {
  if (v.schema) return v.schema;
  const props: Record<string, JSONSchemaProps> = {
    apiVersion: str(),
    kind: str(),
    metadata: { type: 'object' },
  };
  if (v.spec) props['spec'] = v.spec;
  props['status'] = v.status ?? freeform();
  Object.assign(props, v.fields ?? {});
  return obj(props, v.required?.length ? { required: v.required } : {});
}

/** The CustomResourceDefinition object for an add-on kind, ready to create. */
export function defineCRD(def: AddonCRDDefinition): CustomResourceDefinition {
  const singular = def.singular ?? def.kind.toLowerCase();
  const names: CustomResourceDefinition['spec']['names'] = {
    kind: def.kind,
    listKind: def.listKind ?? `${def.kind}List`,
    plural: def.plural,
    singular,
  };
  if (def.shortNames?.length) names.shortNames = [...def.shortNames];
  if (def.categories?.length) names.categories = [...def.categories];
  const metadata: CustomResourceDefinition['metadata'] = { name: `${def.plural}.${def.group}` };
  if (def.labels) metadata.labels = { ...def.labels };
  if (def.annotations) metadata.annotations = { ...def.annotations };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata,
    spec: {
      group: def.group,
      names,
      scope: def.scope,
      versions: def.versions.map((v) => {
        const out: CustomResourceDefinition['spec']['versions'][number] = {
          name: v.name,
          served: v.served ?? true,
          storage: v.storage ?? false,
        };
        if (v.deprecated) out.deprecated = true;
        if (v.deprecationWarning) out.deprecationWarning = v.deprecationWarning;
        out.schema = { openAPIV3Schema: versionSchema(v) };
        if (v.subresources) out.subresources = structuredClone(v.subresources);
        if (v.columns?.length) out.additionalPrinterColumns = v.columns.map((c) => ({ ...c }));
        return out;
      }),
    },
  };
}
