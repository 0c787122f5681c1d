// Discovery documents, as kube-apiserver v1.32 shapes them: legacy /api, /apis, /apis/<group>,
// /api/v1 and /apis/<group>/<version>, and aggregated discovery (apidiscovery.k8s.io/v2
// APIGroupDiscoveryList) for /api and /apis. Pure builders over a resource list, so CRDs can be
// appended to RESOURCES by the caller.

import { createHash } from 'node:crypto';
import { RESOURCES, groupVersions, resourcesInGroupVersion, type ResourceInfo } from './resources.js';

/** metav1.ServerAddressByClientCIDR. */
export interface ServerAddressByClientCIDR {
  clientCIDR: string;
  serverAddress: string;
}

/** GET /api: the legacy core group's versions. */
export function apiVersions(serverAddress: string): {
  kind: 'APIVersions';
  versions: string[];
  serverAddressByClientCIDRs: ServerAddressByClientCIDR[];
} {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

/** metav1.GroupVersionForDiscovery. */
export interface GroupVersionForDiscovery {
  groupVersion: string;
  version: string;
}

/** metav1.APIGroup, as listed in /apis and served at /apis/<group>. */
export interface APIGroup {
  name: string;
  versions: GroupVersionForDiscovery[];
  preferredVersion: GroupVersionForDiscovery;
}

function gvfd(group: string, version: string): GroupVersionForDiscovery {
  return { groupVersion: `${group}/${version}`, version };
}

/** The named groups (not the core group) in /apis order. */
function namedGroups(resources: readonly ResourceInfo[]): APIGroup[] {
  return groupVersions(resources)
    .filter((g) => g.group !== '')
    .map((g) => ({ name: g.group, versions: g.versions.map((v) => gvfd(g.group, v)), preferredVersion: gvfd(g.group, g.preferredVersion) }));
}

/** GET /apis: every named group with its versions, preferred first. */
export function apiGroupList(resources: readonly ResourceInfo[] = RESOURCES): { kind: 'APIGroupList'; apiVersion: 'v1'; groups: APIGroup[] } {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: namedGroups(resources) };
}

/** GET /apis/<group>, or undefined when the group is not served. */
export function apiGroup(group: string, resources: readonly ResourceInfo[] = RESOURCES): ({ kind: 'APIGroup'; apiVersion: 'v1' } & APIGroup) | undefined {
  const g = namedGroups(resources).find((x) => x.name === group);
  return g && { kind: 'APIGroup', apiVersion: 'v1', ...g };
}

/** metav1.APIResource, one entry of an APIResourceList. */
export interface APIResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  storageVersionHash?: string;
}

/**
 * discovery.StorageVersionHash: the first 8 bytes of sha256("<group>/<version>/<kind>") of the storage
 * version, base64. Clients (the storage version migrator) compare it to notice storage changes.
 */
export function storageVersionHash(group: string, version: string, kind: string): string {
  return createHash('sha256').update(`${group}/${version}/${kind}`).digest().subarray(0, 8).toString('base64');
}

/** The kind an object is stored as, for the storage version hash. */
function storageKind(r: ResourceInfo, resources: readonly ResourceInfo[]): string {
  const stored = resources.find((x) => x.group === r.storage.group && x.version === r.storage.version && x.resource === r.storage.resource);
  return stored?.kind ?? r.kind;
}

/** The APIResource entries of one resource: the resource itself, then its subresources by name. */
export function apiResourceEntries(r: ResourceInfo, resources: readonly ResourceInfo[] = RESOURCES): APIResource[] {
  const main: APIResource = { name: r.resource, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: [...r.verbs] };
  if (r.shortNames.length) main.shortNames = [...r.shortNames];
  if (r.categories.length) main.categories = [...r.categories];
  // Only stored resources carry a hash; create-only reviews (TokenReview, ...) never reach storage.
  if (r.verbs.includes('get')) main.storageVersionHash = storageVersionHash(r.storage.group, r.storage.version, storageKind(r, resources));
  // CRD-served resources list status before scale, as apiextensions-apiserver's discovery does.
  const subs = (r.custom ? [...r.subresources] : [...r.subresources].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)))
    .map((s): APIResource => ({
      name: `${r.resource}/${s.name}`,
      singularName: '',
      namespaced: r.namespaced,
      // Only subresources of another group/version (scale, eviction, token) name it, as upstream's GroupVersionKindProvider.
      ...(s.group !== undefined ? { group: s.group } : {}),
      ...(s.version !== undefined ? { version: s.version } : {}),
      kind: s.kind,
      verbs: [...s.verbs],
    }));
  return [main, ...subs];
}

/**
 * GET /api/v1 or /apis/<group>/<version>: the APIResourceList, or undefined when not served.
 * Upstream's core list has no apiVersion; named groups' lists do.
 */
export function apiResourceList(
  group: string,
  version: string,
  resources: readonly ResourceInfo[] = RESOURCES,
): { kind: 'APIResourceList'; apiVersion?: 'v1'; groupVersion: string; resources: APIResource[] } | undefined {
  const rows = resourcesInGroupVersion(group, version, resources);
  if (rows.length === 0) return undefined;
  const list = rows.flatMap((r) => apiResourceEntries(r, resources));
  const groupVersion = group ? `${group}/${version}` : version;
  return group
    ? { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources: list }
    : { kind: 'APIResourceList', groupVersion, resources: list };
}

// ---------------------------------------------------------------------------------------------
// Aggregated discovery (apidiscovery.k8s.io/v2).

/** The media type parameters a client sends to ask for aggregated discovery. */
export const AGGREGATED_DISCOVERY_V2 = { group: 'apidiscovery.k8s.io', version: 'v2', kind: 'APIGroupDiscoveryList' } as const;

/** metav1.GroupVersionKind as discovery prints it (empty group/version mean "the enclosing one"). */
export interface ResponseKind {
  group: string;
  version: string;
  kind: string;
}

/** apidiscovery.v2.APISubresourceDiscovery. */
export interface APISubresourceDiscovery {
  subresource: string;
  responseKind: ResponseKind;
  verbs: string[];
}

/** apidiscovery.v2.APIResourceDiscovery. */
export interface APIResourceDiscovery {
  resource: string;
  responseKind: ResponseKind;
  scope: 'Namespaced' | 'Cluster';
  singularResource: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: APISubresourceDiscovery[];
}

/** apidiscovery.v2.APIVersionDiscovery. */
export interface APIVersionDiscovery {
  version: string;
  resources: APIResourceDiscovery[];
  freshness: 'Current' | 'Stale';
}

/** apidiscovery.v2.APIGroupDiscovery. */
export interface APIGroupDiscovery {
  metadata: { name?: string; creationTimestamp: null };
  versions: APIVersionDiscovery[];
}

/** apidiscovery.v2.APIGroupDiscoveryList. */
export interface APIGroupDiscoveryList {
  kind: 'APIGroupDiscoveryList';
  apiVersion: 'apidiscovery.k8s.io/v2';
  metadata: Record<string, never>;
  items: APIGroupDiscovery[];
}

/**
 * One resource as aggregated discovery lists it. Like upstream (ConvertGroupVersionIntoToDiscovery
 * over the legacy entries), responseKind has empty group and version unless the legacy entry names
 * them (scale → autoscaling/v1 Scale, eviction → policy/v1, token → authentication.k8s.io/v1).
 */
export function resourceDiscovery(r: ResourceInfo): APIResourceDiscovery {
  // apiextensions-apiserver fills in the group and version of a custom resource's response kinds.
  const own = r.custom ? { group: r.group, version: r.version } : { group: '', version: '' };
  const out: APIResourceDiscovery = {
    resource: r.resource,
    responseKind: { ...own, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: [...r.verbs],
  };
  if (r.shortNames.length) out.shortNames = [...r.shortNames];
  if (r.categories.length) out.categories = [...r.categories];
  if (r.subresources.length) {
    out.subresources = (r.custom ? [...r.subresources] : [...r.subresources].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)))
      .map((s) => ({ subresource: s.name, responseKind: { group: s.group ?? own.group, version: s.version ?? own.version, kind: s.kind }, verbs: [...s.verbs] }));
  }
  return out;
}

function groupDiscovery(group: string, versions: string[], resources: readonly ResourceInfo[]): APIGroupDiscovery {
  return {
    metadata: group ? { name: group, creationTimestamp: null } : { creationTimestamp: null },
    versions: versions.map((version) => ({
      version,
      resources: resourcesInGroupVersion(group, version, resources).map(resourceDiscovery),
      freshness: 'Current' as const,
    })),
  };
}

/** Aggregated discovery for /api: one item for the core group. */
export function aggregatedDiscoveryLegacy(resources: readonly ResourceInfo[] = RESOURCES): APIGroupDiscoveryList {
  const core = groupVersions(resources).find((g) => g.group === '');
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: core ? [groupDiscovery('', core.versions, resources)] : [],
  };
}

/** Aggregated discovery for /apis: every named group in /apis order, versions preferred first. */
export function aggregatedDiscovery(resources: readonly ResourceInfo[] = RESOURCES): APIGroupDiscoveryList {
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: groupVersions(resources)
      .filter((g) => g.group !== '')
      .map((g) => groupDiscovery(g.group, g.versions, resources)),
  };
}
