import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../apimachinery/errors.js';
import { parseRequestInfo, type RequestInfo } from './request-info.js';

type Want = Partial<RequestInfo>;

describe('parseRequestInfo', () => {
  const cases: { name: string; method: string; path: string; query?: string; want: Want }[] = [
    {
      name: 'a core namespaced object',
      method: 'GET',
      path: '/api/v1/namespaces/default/pods/web-1',
      want: { isResourceRequest: true, verb: 'get', apiPrefix: 'api', apiGroup: '', apiVersion: 'v1', namespace: 'default', resource: 'pods', name: 'web-1', subresource: '', parts: ['pods', 'web-1'] },
    },
    {
      name: 'a group resource list across namespaces',
      method: 'GET',
      path: '/apis/apps/v1/deployments',
      want: { isResourceRequest: true, verb: 'list', apiPrefix: 'apis', apiGroup: 'apps', apiVersion: 'v1', namespace: '', resource: 'deployments', name: '', parts: ['deployments'] },
    },
    {
      name: 'a subresource update',
      method: 'PUT',
      path: '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n1/status',
      want: { verb: 'update', apiGroup: 'coordination.k8s.io', namespace: 'kube-node-lease', resource: 'leases', name: 'n1', subresource: 'status' },
    },
    { name: 'watch=true turns a list into a watch', method: 'GET', path: '/api/v1/pods', query: 'watch=true', want: { verb: 'watch', resource: 'pods' } },
    { name: 'watch=false leaves a list', method: 'GET', path: '/api/v1/pods', query: 'watch=false', want: { verb: 'list' } },
    { name: 'watch= (empty) counts as true', method: 'GET', path: '/api/v1/pods', query: 'watch=', want: { verb: 'watch' } },
    { name: 'watch=true on a named get is a watch', method: 'GET', path: '/api/v1/namespaces/d/pods/p', query: 'watch=1', want: { verb: 'watch', name: 'p' } },
    { name: 'the deprecated /watch/ prefix', method: 'GET', path: '/api/v1/watch/namespaces/d/pods', want: { verb: 'watch', namespace: 'd', resource: 'pods' } },
    { name: 'a DELETE without a name deletes a collection', method: 'DELETE', path: '/api/v1/namespaces/d/configmaps', want: { verb: 'deletecollection', resource: 'configmaps' } },
    { name: 'a DELETE with a name deletes one', method: 'DELETE', path: '/api/v1/namespaces/d/configmaps/c', want: { verb: 'delete', name: 'c' } },
    { name: 'POST creates, PATCH patches, HEAD gets', method: 'HEAD', path: '/api/v1/namespaces/d/pods/p', want: { verb: 'get' } },
    { name: 'a PATCH', method: 'PATCH', path: '/api/v1/nodes/n1/status', want: { verb: 'patch', namespace: '', resource: 'nodes', name: 'n1', subresource: 'status' } },
    { name: 'a POST', method: 'POST', path: '/api/v1/namespaces/d/pods/p/eviction', want: { verb: 'create', resource: 'pods', name: 'p', subresource: 'eviction' } },
    {
      name: 'a namespace itself',
      method: 'GET',
      path: '/api/v1/namespaces/kube-system',
      want: { verb: 'get', namespace: 'kube-system', resource: 'namespaces', name: 'kube-system', parts: ['namespaces', 'kube-system'] },
    },
    {
      name: "a namespace's own status and finalize subresources",
      method: 'PUT',
      path: '/api/v1/namespaces/team/finalize',
      want: { verb: 'update', namespace: 'team', resource: 'namespaces', name: 'team', subresource: 'finalize' },
    },
    { name: 'the namespace list', method: 'GET', path: '/api/v1/namespaces', want: { verb: 'list', namespace: '', resource: 'namespaces' } },
    {
      name: 'path segments past the subresource (a proxy path)',
      method: 'GET',
      path: '/api/v1/namespaces/d/pods/p/proxy/metrics/x',
      want: { resource: 'pods', name: 'p', subresource: 'proxy', parts: ['pods', 'p', 'proxy', 'metrics', 'x'] },
    },
    { name: 'percent-escapes are decoded', method: 'GET', path: '/api/v1/namespaces/d/configmaps/a%3Ab', want: { name: 'a:b' } },
    { name: 'empty segments and slashes at either end are ignored', method: 'GET', path: '//api//v1/namespaces/d/pods/p/', want: { isResourceRequest: true, namespace: 'd', resource: 'pods', name: 'p' } },
    { name: 'the group list is not a resource request', method: 'GET', path: '/apis', want: { isResourceRequest: false, verb: 'get', apiPrefix: 'apis', apiGroup: '' } },
    { name: 'a group is not a resource request', method: 'GET', path: '/apis/apps', want: { isResourceRequest: false, apiGroup: 'apps', apiVersion: '' } },
    { name: 'a group version is not a resource request', method: 'GET', path: '/apis/apps/v1', want: { isResourceRequest: false, apiGroup: 'apps', apiVersion: 'v1' } },
    { name: 'the core version is not a resource request', method: 'GET', path: '/api/v1', want: { isResourceRequest: false, apiPrefix: 'api', apiVersion: 'v1' } },
    { name: 'a non-resource path keeps the lower-cased method as verb', method: 'GET', path: '/healthz', want: { isResourceRequest: false, verb: 'get', apiPrefix: '', path: '/healthz' } },
    { name: 'the root', method: 'POST', path: '/', want: { isResourceRequest: false, verb: 'post' } },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const info = parseRequestInfo(c.method, c.path, new URLSearchParams(c.query ?? ''));
      const got: Want = {};
      for (const k of Object.keys(c.want) as (keyof RequestInfo)[]) (got as Record<string, unknown>)[k] = info[k];
      assert.deepEqual(got, c.want);
    });
  }

  test('a bad escape is a 400 naming it', () => {
    assert.throws(
      () => parseRequestInfo('GET', '/api/v1/namespaces/d/configmaps/a%zz', new URLSearchParams()),
      (e: unknown) => e instanceof StatusError && e.code === 400 && e.message === 'invalid URL escape "%zz"',
    );
  });
});
