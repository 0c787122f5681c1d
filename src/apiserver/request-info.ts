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
  try {
    return decodeURIComponent(s);
  } catch {
    const bad = /%(?![0-9a-fA-F]{2}).{0,2}/.exec(s)?.[0] ?? s;
    throw badRequest(`invalid URL escape ${JSON.stringify(bad)}`);
  }
}

/** Splits the request into RequestInfo; `query` supplies watch=true for the legacy watch form. */
export function parseRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
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
  const segs = path.replace(/^\/+|\/+$/g, '').split('/').filter((s) => s !== '');
  if (segs.length === 0) return info;
  const prefix = segs[0];
  if (prefix !== 'api' && prefix !== 'apis') return info;
  info.apiPrefix = prefix;
  let rest = segs.slice(1);
  if (prefix === 'apis') {
    if (rest.length < 1) return info;
    info.apiGroup = rest[0];
    rest = rest.slice(1);
  }
  if (rest.length < 1) return info;
  info.apiVersion = rest[0];
  rest = rest.slice(1);
  if (rest.length < 1) return info;

  info.isResourceRequest = true;
  info.verb = METHOD_VERBS[method.toUpperCase()] ?? method.toLowerCase();

  // The deprecated /watch/ prefix form.
  if (rest[0] === 'watch') {
    info.verb = 'watch';
    rest = rest.slice(1);
  }
  if (rest[0] === 'namespaces' && rest.length > 1) {
    info.namespace = decodePathSegment(rest[1]);
    // Past /namespaces/{ns} comes a namespaced resource, unless it is the namespace's own subresource.
    if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2])) rest = rest.slice(2);
  }
  info.parts = rest.map(decodePathSegment);
  if (info.parts.length >= 1) info.resource = info.parts[0];
  if (info.parts.length >= 2) info.name = info.parts[1];
  if (info.parts.length >= 3) info.subresource = info.parts[2];

  if (!info.name && info.verb === 'get') {
    info.verb = queryBool(query, 'watch') ? 'watch' : 'list';
  } else if (info.verb === 'get' && queryBool(query, 'watch')) {
    info.verb = 'watch';
  }
  if (!info.name && info.verb === 'delete') info.verb = 'deletecollection';
  return info;
}
