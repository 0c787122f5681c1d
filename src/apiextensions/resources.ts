// The resources a CustomResourceDefinition serves, as rows of the resource table (src/api/resources.ts):
// one per served version, named by status.acceptedNames as discovery names them, with the verbs and
// subresources apiextensions-apiserver serves, all versions sharing one storage key space in the
// storage version (conversion None only rewrites apiVersion).
import type { ResourceInfo, SubresourceInfo } from '../api/resources.js';
import { customResourceDefinitionName, customResourceOpenAPIDefinitions } from './openapi.js';
import { storageVersion, type CustomResourceDefinition } from './types.js';

/** The verbs of custom resources, in the order their discovery lists them. */
export const CUSTOM_RESOURCE_VERBS = ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'];
/** The verbs left while a deleted CRD's instances are being removed (Terminating=True). */
export const TERMINATING_CUSTOM_RESOURCE_VERBS = ['delete', 'deletecollection', 'get', 'list', 'watch'];

/** One row per served version of the CRD (call for Established CRDs only). */
export function crdResources(crd: CustomResourceDefinition): ResourceInfo[] {
  const names = crd.status?.acceptedNames?.plural ? crd.status.acceptedNames : crd.spec.names;
  const kind = names.kind;
  const group = crd.spec.group;
  const stored = storageVersion(crd) ?? crd.spec.versions[0]?.name ?? '';
  const terminating = crd.status?.conditions?.some((c) => c.type === 'Terminating' && c.status === 'True');
  return crd.spec.versions
    .filter((v) => v.served)
    .map((v): ResourceInfo => {
      const subresources: SubresourceInfo[] = [];
      if (v.subresources?.status) subresources.push({ name: 'status', kind, verbs: ['get', 'patch', 'update'] });
      if (v.subresources?.scale) subresources.push({ name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] });
      return {
        group,
        version: v.name,
        resource: names.plural,
        singular: names.singular ?? kind.toLowerCase(),
        kind,
        listKind: names.listKind ?? `${kind}List`,
        namespaced: crd.spec.scope === 'Namespaced',
        verbs: [...(terminating ? TERMINATING_CUSTOM_RESOURCE_VERBS : CUSTOM_RESOURCE_VERBS)],
        shortNames: [...(names.shortNames ?? [])],
        categories: [...(names.categories ?? [])],
        subresources,
        modelType: customResourceDefinitionName(group, v.name, kind),
        storage: { group, resource: names.plural, version: stored },
        // The group's preferred version is the highest by Kubernetes version order, over all its CRDs.
        preferred: false,
        ...(v.deprecated ? { deprecationWarning: v.deprecationWarning ?? `${group}/${v.name} ${kind} is deprecated` } : {}),
        custom: { definitionName: customResourceDefinitionName(group, v.name, kind), definitions: customResourceOpenAPIDefinitions(crd, v.name) },
      };
    });
}
