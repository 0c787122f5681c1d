// Parses a request path into what authorization and routing need, as kube-apiserver's
// RequestInfoFactory does: /api/v1/namespaces/ns/pods/name/status → verb, group, resource, ...
import { badRequest } from '../apimachinery/errors.js';

/** What a request is about. */
export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  /** get, list, watch, create, update, patch, delete, deletecollection (resource requests); the lower-cased HTTP method otherwise. */
  verb: string;
  apiPrefix: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  /** Path segments after the subresource (e.g. proxy paths); rarely used. */
  parts: string[];
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

const METHOD_VERBS: Record<string, string> = {
  POST: 'create',
  GET: 'get',
  HEAD: 'get',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

/**
 * A boolean query parameter as upstream's Convert_Slice_string_To_bool reads it: absent, "0" and
 * "false" (any case) are false; anything else, the empty value included ("?watch="), is true.
 */
export function queryBool(query: URLSearchParams, name: string): boolean {
  const v = query.get(name);
  return v !== null && v.toLowerCase() !== 'false' && v !== '0';
}

/** decodeURIComponent, failing as a 400 (as Go's URL parser rejects a bad escape) instead of throwing URIError. */
export function decodePathSegment(s: string): string {
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    const bad = /%(?![0-9a-fA-F]{2}).{0,2}/.exec(s)?.[0] ?? s;
    throw badRequest(`invalid URL escape ${JSON.stringify(bad)}`);
  }
}

/** The path's segments, empty ones (from leading, trailing or doubled slashes) left out. */
function pathSegments(path: string): string[] {
  const segs: string[] = [];
  let start = 0;
  for (let i = 0; i <= path.length; i++) {
    if (i < path.length && path.charCodeAt(i) !== 47 /* / */) continue;
    if (i > start) segs.push(path.slice(start, i));
    start = i + 1;
  }
  return segs;
}

/** Splits the request into RequestInfo; `query` supplies watch=true for the legacy watch form. */
export function parseRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  // Every request comes through here, so it indexes into the segments rather than slicing them.
  const info: RequestInfo = {
    isResourceRequest: false,
    path,
    verb: method.toLowerCase(),
    apiPrefix: '',
    apiGroup: '',
    apiVersion: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
    parts: [],
  };
  const segs = pathSegments(path);
  if (segs.length === 0) return info;
  const prefix = segs[0];
  if (prefix !== 'api' && prefix !== 'apis') return info;
  info.apiPrefix = prefix;
  let i = 1;
  if (prefix === 'apis') {
    if (segs.length <= i) return info;
    info.apiGroup = segs[i++];
  }
  if (segs.length <= i) return info;
  info.apiVersion = segs[i++];
  if (segs.length <= i) return info;

  info.isResourceRequest = true;
  info.verb = METHOD_VERBS[method] ?? METHOD_VERBS[method.toUpperCase()] ?? info.verb;

  // The deprecated /watch/ prefix form.
  if (segs[i] === 'watch') {
    info.verb = 'watch';
    i++;
  }
  if (segs[i] === 'namespaces' && segs.length - i > 1) {
    info.namespace = decodePathSegment(segs[i + 1]);
    // Past /namespaces/{ns} comes a namespaced resource, unless it is the namespace's own subresource.
    if (segs.length - i > 2 && !NAMESPACE_SUBRESOURCES.has(segs[i + 2])) i += 2;
  }
  const parts: string[] = [];
  for (; i < segs.length; i++) parts.push(decodePathSegment(segs[i]));
  info.parts = parts;
  if (parts.length >= 1) info.resource = parts[0];
  if (parts.length >= 2) info.name = parts[1];
  if (parts.length >= 3) info.subresource = parts[2];

  if (!info.name && info.verb === 'get') {
    info.verb = queryBool(query, 'watch') ? 'watch' : 'list';
  } else if (info.verb === 'get' && queryBool(query, 'watch')) {
    info.verb = 'watch';
  }
  if (!info.name && info.verb === 'delete') info.verb = 'deletecollection';
  return info;
}
