// Bad input gets the 4xx kube-apiserver v1.32 answers, word for word, and writes nothing: every
// case runs through the full request chain of an in-process API server and is checked against the
// status, reason and message upstream's handlers build (endpoints/handlers/{create,update,patch,
// rest}.go, apimachinery's errors and strict decoding), then against the store: no write, the
// namespace's objects and their resourceVersions unchanged. A few cases also go through the real
// kubectl against `skiff up`, asserting what it prints.
//
// Cases marked `todo` are where skiff still differs from upstream; they run and report, and say
// which file needs the fix.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InProcessCluster, json, type InProcessResponse } from './inprocess.js';
import { haveKubectl, ok, SkiffProcess } from './harness.js';

const NS = 'bad-input';
const CM = `/api/v1/namespaces/${NS}/configmaps`;
const DEPLOY = `/apis/apps/v1/namespaces/${NS}/deployments`;

/** The shape reflect prints for the anonymous struct upstream's SimpleMetaFactory decodes into. */
const FIND_KIND_STRUCT = 'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';

/** A lowercase RFC 1123 subdomain's validation message (IsDNS1123Subdomain). */
const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

function configMap(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'probe' }, data: { k: 'v' }, ...extra };
}

function deployment(name: string, spec: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } },
      ...spec,
    },
  };
}

/** upstream's summarizeData(body, 30): JSON objects verbatim, anything else as hex. */
function summarize(body: string): string {
  const b = Buffer.from(body);
  if (b.length === 0) return '<empty>';
  const head = b.subarray(0, 30);
  const text = b[0] === 0x7b ? head.toString('utf8') : head.toString('hex');
  return b.length > 30 ? `${text} ...` : text;
}

interface Expected {
  status: number;
  reason: string;
  message: string | RegExp;
  /** The Status details.causes, when upstream sends field causes. */
  causes?: { reason: string; field: string; message?: string | RegExp }[];
  details?: Record<string, unknown>;
}

interface BadInputCase extends Expected {
  name: string;
  method: string;
  url: string;
  contentType?: string;
  body?: string;
  /** Set while skiff differs from upstream: names the file that needs the fix. */
  todo?: string;
}

const J = 'application/json';
const JSON_PATCH = 'application/json-patch+json';
const MERGE_PATCH = 'application/merge-patch+json';
const SMP = 'application/strategic-merge-patch+json';

const bodyOf = (o: unknown) => JSON.stringify(o);

const MALFORMED_JSON = '{"apiVersion": "v1", ';
const MALFORMED_YAML = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: tabbed\n';

const CASES: BadInputCase[] = [
  // ---- decoding ----
  {
    name: 'rejects a truncated JSON body with the decoder error and a summary of the body',
    method: 'POST',
    url: CM,
    contentType: J,
    body: MALFORMED_JSON,
    status: 400,
    reason: 'BadRequest',
    message: `the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: unexpected end of JSON input (${summarize(MALFORMED_JSON)})`,
  },
  {
    name: 'rejects malformed YAML with the YAML-to-JSON error',
    method: 'POST',
    url: CM,
    contentType: 'application/yaml',
    body: MALFORMED_YAML,
    status: 400,
    reason: 'BadRequest',
    message: `the object provided is unrecognized (must be of type ConfigMap): error converting YAML to JSON: yaml: line 4: found character that cannot start any token (${summarize(MALFORMED_YAML)})`,
    todo: 'src/apiserver/http.ts decodeBody: go-yaml wording and transformDecodeError summary',
  },
  {
    name: 'rejects a JSON array as the body',
    method: 'POST',
    url: CM,
    contentType: J,
    body: '[1,2]',
    status: 400,
    reason: 'BadRequest',
    message: `the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: json: cannot unmarshal array into Go value of type ${FIND_KIND_STRUCT} (${summarize('[1,2]')})`,
  },
  {
    name: 'rejects a JSON number as the body',
    method: 'POST',
    url: CM,
    contentType: J,
    body: '42',
    status: 400,
    reason: 'BadRequest',
    message: `the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: json: cannot unmarshal number into Go value of type ${FIND_KIND_STRUCT} (${summarize('42')})`,
  },
  {
    name: 'rejects a JSON string as the body',
    method: 'POST',
    url: CM,
    contentType: J,
    body: '"configmap"',
    status: 400,
    reason: 'BadRequest',
    message: `the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: json: cannot unmarshal string into Go value of type ${FIND_KIND_STRUCT} (${summarize('"configmap"')})`,
  },
  {
    name: 'rejects a body whose apiVersion is another version of the kind than the URL names',
    method: 'POST',
    url: `/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers`,
    contentType: J,
    body: bodyOf({
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'hpa' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 3 },
    }),
    status: 400,
    reason: 'BadRequest',
    message: 'the API version in the data (autoscaling/v1) does not match the expected API version (autoscaling/v2)',
  },
  {
    name: 'rejects a body whose kind is not the kind the URL serves',
    method: 'POST',
    url: CM,
    contentType: J,
    body: bodyOf({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } }),
    status: 400,
    reason: 'BadRequest',
    message: 'Secret in version "v1" cannot be handled as a ConfigMap: converting (v1.Secret) to (core.ConfigMap): unknown conversion',
  },
  {
    name: 'rejects a field of the wrong JSON type with the decoder error',
    method: 'POST',
    url: DEPLOY,
    contentType: J,
    body: bodyOf(deployment('typed', { replicas: 'three' })),
    status: 400,
    reason: 'BadRequest',
    message: 'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
  },
  // ---- strict field validation ----
  {
    name: 'rejects an unknown field under fieldValidation=Strict',
    method: 'POST',
    url: `${DEPLOY}?fieldValidation=Strict`,
    contentType: J,
    body: bodyOf(deployment('strict', { foo: 'bar' })),
    status: 400,
    reason: 'BadRequest',
    message: 'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo"',
  },
  {
    name: 'rejects a duplicate field under fieldValidation=Strict',
    method: 'POST',
    url: `${CM}?fieldValidation=Strict`,
    contentType: J,
    body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup"},"data":{"a":"1"},"data":{"b":"2"}}',
    status: 400,
    reason: 'BadRequest',
    message: 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: duplicate field "data"',
  },
  {
    name: 'lists every strict decoding problem, duplicates and unknown fields, in one message',
    method: 'POST',
    url: `${CM}?fieldValidation=Strict`,
    contentType: J,
    body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup","name":"dup"},"data":{},"bogus":1}',
    status: 400,
    reason: 'BadRequest',
    message: 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: duplicate field "metadata.name", unknown field "bogus"',
  },
  {
    name: 'rejects an unsupported fieldValidation value',
    method: 'POST',
    url: `${CM}?fieldValidation=Loose`,
    contentType: J,
    body: bodyOf(configMap()),
    status: 422,
    reason: 'Invalid',
    message: 'CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Loose": supported values: "", "Ignore", "Strict", "Warn"',
    details: { group: 'meta.k8s.io', kind: 'CreateOptions' },
  },
  // ---- names ----
  {
    name: 'rejects an uppercase name with a field cause',
    method: 'POST',
    url: CM,
    contentType: J,
    body: bodyOf(configMap({ metadata: { name: 'Bad_Name' } })),
    status: 422,
    reason: 'Invalid',
    message: `ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": ${SUBDOMAIN_MSG}`,
    causes: [{ reason: 'FieldValueInvalid', field: 'metadata.name', message: `Invalid value: "Bad_Name": ${SUBDOMAIN_MSG}` }],
    details: { name: 'Bad_Name', kind: 'ConfigMap' },
  },
  {
    name: 'rejects a name longer than 253 characters',
    method: 'POST',
    url: CM,
    contentType: J,
    body: bodyOf(configMap({ metadata: { name: 'a'.repeat(254) } })),
    status: 422,
    reason: 'Invalid',
    message: `ConfigMap "${'a'.repeat(254)}" is invalid: metadata.name: Invalid value: "${'a'.repeat(254)}": must be no more than 253 characters`,
    causes: [{ reason: 'FieldValueInvalid', field: 'metadata.name' }],
  },
  {
    name: 'rejects a Service name that is not a DNS-1035 label',
    method: 'POST',
    url: `/api/v1/namespaces/${NS}/services`,
    contentType: J,
    body: bodyOf({ apiVersion: 'v1', kind: 'Service', metadata: { name: '1web' }, spec: { ports: [{ port: 80 }] } }),
    status: 422,
    reason: 'Invalid',
    message:
      `Service "1web" is invalid: metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    causes: [{ reason: 'FieldValueInvalid', field: 'metadata.name' }],
  },
  {
    name: 'rejects a bad generateName, and the name generated from it',
    method: 'POST',
    url: CM,
    contentType: J,
    body: bodyOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'Bad_' } }),
    status: 422,
    reason: 'Invalid',
    message: new RegExp(
      `^ConfigMap "Bad_[a-z0-9]{5}" is invalid: \\[metadata\\.generateName: Invalid value: "Bad_": ${escape(SUBDOMAIN_MSG)}, metadata\\.name: Invalid value: "Bad_[a-z0-9]{5}": ${escape(SUBDOMAIN_MSG)}\\]$`,
    ),
    causes: [
      { reason: 'FieldValueInvalid', field: 'metadata.generateName' },
      { reason: 'FieldValueInvalid', field: 'metadata.name' },
    ],
  },
  {
    name: 'rejects a create without a name or generateName',
    method: 'POST',
    url: CM,
    contentType: J,
    body: bodyOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }),
    status: 422,
    reason: 'Invalid',
    message: 'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required',
    causes: [{ reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' }],
  },
  // ---- size ----
  {
    name: 'rejects a body over 3 MiB with 413',
    method: 'POST',
    url: CM,
    contentType: J,
    body: bodyOf(configMap({ data: { big: 'x'.repeat(3 * 1024 * 1024) } })),
    status: 413,
    reason: 'RequestEntityTooLarge',
    message: 'Request entity too large: limit is 3145728',
  },
  // ---- options ----
  {
    name: 'rejects an unsupported dryRun value',
    method: 'POST',
    url: `${CM}?dryRun=Partial`,
    contentType: J,
    body: bodyOf(configMap()),
    status: 422,
    reason: 'Invalid',
    message: 'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"Partial"}: supported values: "All"',
    causes: [{ reason: 'FieldValueNotSupported', field: 'dryRun', message: 'Unsupported value: []string{"Partial"}: supported values: "All"' }],
    details: { group: 'meta.k8s.io', kind: 'CreateOptions' },
  },
  {
    name: 'rejects a namespace in the body that differs from the URL',
    method: 'POST',
    url: CM,
    contentType: J,
    body: bodyOf(configMap({ metadata: { name: 'elsewhere', namespace: 'default' } })),
    status: 400,
    reason: 'BadRequest',
    message: 'the namespace of the provided object does not match the namespace sent on the request',
  },
  {
    name: 'rejects a POST to a named object path',
    method: 'POST',
    url: `${CM}/existing`,
    contentType: J,
    body: bodyOf(configMap({ metadata: { name: 'existing' } })),
    status: 405,
    reason: 'MethodNotAllowed',
    message: 'create is not supported on resources of kind "configmaps"',
  },
  // ---- update ----
  {
    name: 'rejects an update naming a resourceVersion that is not the current one with 409',
    method: 'PUT',
    url: `${CM}/existing`,
    contentType: J,
    body: bodyOf(configMap({ metadata: { name: 'existing', resourceVersion: '1' }, data: { changed: 'yes' } })),
    status: 409,
    reason: 'Conflict',
    message: 'Operation cannot be fulfilled on configmaps "existing": the object has been modified; please apply your changes to the latest version and try again',
    details: { name: 'existing', kind: 'configmaps' },
  },
  {
    name: 'rejects an update naming a resourceVersion from the future with 409',
    method: 'PUT',
    url: `${CM}/existing`,
    contentType: J,
    body: bodyOf(configMap({ metadata: { name: 'existing', resourceVersion: '99999999' }, data: { changed: 'yes' } })),
    status: 409,
    reason: 'Conflict',
    message: 'Operation cannot be fulfilled on configmaps "existing": the object has been modified; please apply your changes to the latest version and try again',
  },
  {
    // Upstream's versioner returns a bare strconv error here (a reason-less 500); skiff keeps the words at 400.
    name: 'rejects an update with a non-numeric resourceVersion as a bad request',
    method: 'PUT',
    url: `${CM}/existing`,
    contentType: J,
    body: bodyOf(configMap({ metadata: { name: 'existing', resourceVersion: 'abc' } })),
    status: 400,
    reason: 'BadRequest',
    message: 'metadata.resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax',
  },
  {
    name: 'rejects an update whose body names another object than the URL',
    method: 'PUT',
    url: `${CM}/existing`,
    contentType: J,
    body: bodyOf(configMap({ metadata: { name: 'other' } })),
    status: 400,
    reason: 'BadRequest',
    message: 'the name of the object (other) does not match the name on the URL (existing)',
  },
  {
    name: 'rejects an update whose body names another namespace than the URL',
    method: 'PUT',
    url: `${CM}/existing`,
    contentType: J,
    body: bodyOf(configMap({ metadata: { name: 'existing', namespace: 'default' } })),
    status: 400,
    reason: 'BadRequest',
    message: 'the namespace of the provided object does not match the namespace sent on the request',
  },
  {
    name: 'rejects an update of an object that does not exist with 404',
    method: 'PUT',
    url: `${CM}/missing`,
    contentType: J,
    body: bodyOf(configMap({ metadata: { name: 'missing' } })),
    status: 404,
    reason: 'NotFound',
    message: 'configmaps "missing" not found',
  },
  {
    name: 'rejects an update that changes an immutable field with 422',
    method: 'PUT',
    url: `${DEPLOY}/web`,
    contentType: J,
    body: bodyOf(deployment('web', { selector: { matchLabels: { app: 'other' } }, template: { metadata: { labels: { app: 'other' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } } })),
    status: 422,
    reason: 'Invalid',
    message: /^Deployment\.apps "web" is invalid: spec\.selector: Invalid value: v1\.LabelSelector\{.*\}: field is immutable$/,
    causes: [{ reason: 'FieldValueInvalid', field: 'spec.selector' }],
  },
  // ---- patch ----
  {
    name: 'rejects a truncated JSON patch document',
    method: 'PATCH',
    url: `${CM}/existing`,
    contentType: JSON_PATCH,
    body: '[{"op":',
    status: 400,
    reason: 'BadRequest',
    message: 'error decoding patch: unexpected end of JSON input',
  },
  {
    name: 'rejects a JSON patch that is not a list of operations (fieldValidation=Ignore)',
    method: 'PATCH',
    url: `${CM}/existing?fieldValidation=Ignore`,
    contentType: JSON_PATCH,
    body: '{"op":"add","path":"/data/x","value":"1"}',
    status: 400,
    reason: 'BadRequest',
    message: 'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
  },
  {
    name: 'rejects a JSON patch that is not a list of operations (strict decoding first, the default)',
    method: 'PATCH',
    url: `${CM}/existing`,
    contentType: JSON_PATCH,
    body: '{"op":"add","path":"/data/x","value":"1"}',
    status: 400,
    reason: 'BadRequest',
    message: 'error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp',
  },
  {
    name: 'answers a JSON patch whose test operation fails with the generic 422',
    method: 'PATCH',
    url: `${CM}/existing`,
    contentType: JSON_PATCH,
    body: '[{"op":"test","path":"/data/k","value":"not-v"}]',
    status: 422,
    reason: 'Invalid',
    message: 'the server rejected our request due to an error in our request',
    details: {},
  },
  {
    name: 'answers a JSON patch removing a missing path with the generic 422',
    method: 'PATCH',
    url: `${CM}/existing`,
    contentType: JSON_PATCH,
    body: '[{"op":"remove","path":"/data/nope"}]',
    status: 422,
    reason: 'Invalid',
    message: 'the server rejected our request due to an error in our request',
  },
  {
    name: 'rejects a merge patch that is a JSON string (fieldValidation=Ignore)',
    method: 'PATCH',
    url: `${CM}/existing?fieldValidation=Ignore`,
    contentType: MERGE_PATCH,
    body: '"data"',
    status: 400,
    reason: 'BadRequest',
    message: 'Invalid JSON Patch',
  },
  {
    name: 'rejects a merge patch that is not an object (strict decoding first, the default)',
    method: 'PATCH',
    url: `${CM}/existing`,
    contentType: MERGE_PATCH,
    body: '[1]',
    status: 400,
    reason: 'BadRequest',
    message: 'error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}',
  },
  {
    name: 'rejects a strategic merge patch that is not an object',
    method: 'PATCH',
    url: `${CM}/existing`,
    contentType: SMP,
    body: '[]',
    status: 400,
    reason: 'BadRequest',
    message: 'json: cannot unmarshal array into Go value of type map[string]interface {}',
  },
  {
    // Upstream answers this plain error with a reason-less 500 (kubernetes/kubernetes#79210); skiff keeps the words at 400.
    name: 'rejects a strategic merge patch with an unknown $patch directive',
    method: 'PATCH',
    url: `${CM}/existing`,
    contentType: SMP,
    body: '{"data":{"$patch":"frob"}}',
    status: 400,
    reason: 'BadRequest',
    message: 'unknown patch type: frob in map: map[$patch:frob]',
  },
  {
    name: 'rejects a strategic merge patch whose list element lacks its merge key',
    method: 'PATCH',
    url: `${DEPLOY}/web`,
    contentType: SMP,
    body: '{"spec":{"template":{"spec":{"containers":[{"image":"nginx:2"}]}}}}',
    status: 400,
    reason: 'BadRequest',
    message: 'map: map[image:nginx:2] does not contain declared merge key: name',
  },
  {
    name: 'rejects a patch with an unknown field under fieldValidation=Strict',
    method: 'PATCH',
    url: `${DEPLOY}/web?fieldValidation=Strict`,
    contentType: MERGE_PATCH,
    body: '{"spec":{"foo":1}}',
    status: 422,
    reason: 'Invalid',
    message: /^ "" is invalid: patch: Invalid value: "\{.*\}": strict decoding error: unknown field "spec\.foo"$/,
    causes: [{ reason: 'FieldValueInvalid', field: 'patch' }],
  },
  {
    name: 'rejects an unsupported patch Content-Type with 415',
    method: 'PATCH',
    url: `${CM}/existing`,
    contentType: 'text/plain',
    body: '{"data":{"k":"w"}}',
    status: 415,
    reason: 'UnsupportedMediaType',
    message:
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml',
  },
  {
    name: 'rejects a patch of an object that does not exist with 404',
    method: 'PATCH',
    url: `${CM}/missing`,
    contentType: MERGE_PATCH,
    body: '{"data":{"k":"w"}}',
    status: 404,
    reason: 'NotFound',
    message: 'configmaps "missing" not found',
  },
  // ---- reads ----
  {
    // Upstream's cacher returns a bare storage.InvalidError (a reason-less 500); skiff keeps the words at 400.
    name: 'rejects a list with a non-numeric resourceVersion as a bad request',
    method: 'GET',
    url: `${CM}?resourceVersion=abc`,
    status: 400,
    reason: 'BadRequest',
    message: 'resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax',
  },
  {
    name: 'rejects a get with a non-numeric resourceVersion as a bad request',
    method: 'GET',
    url: `${CM}/existing?resourceVersion=abc`,
    status: 400,
    reason: 'BadRequest',
    message: 'resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax',
  },
  {
    name: 'rejects a watch with a non-numeric resourceVersion as a bad request',
    method: 'GET',
    url: `${CM}?watch=true&resourceVersion=abc`,
    status: 400,
    reason: 'BadRequest',
    message: 'resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax',
  },
  {
    name: 'rejects a label selector that does not parse',
    method: 'GET',
    url: `${CM}?labelSelector=${encodeURIComponent('app in web')}`,
    status: 400,
    reason: 'BadRequest',
    message: "unable to parse requirement: found 'web' expected: '('",
  },
  {
    name: 'rejects a label selector with an invalid key',
    method: 'GET',
    url: `${CM}?labelSelector=${encodeURIComponent('-bad=x')}`,
    status: 400,
    reason: 'BadRequest',
    message: /^unable to parse requirement: <nil>: Invalid value: "-bad": name part must consist of alphanumeric characters/,
  },
  {
    name: 'rejects a field selector without an operator',
    method: 'GET',
    url: `${CM}?fieldSelector=metadata.name`,
    status: 400,
    reason: 'BadRequest',
    message: "invalid selector: 'metadata.name'; can't understand 'metadata.name'",
  },
  {
    name: 'rejects a field selector on a pod field label it does not support',
    method: 'GET',
    url: `/api/v1/namespaces/${NS}/pods?fieldSelector=${encodeURIComponent('spec.image=nginx')}`,
    status: 400,
    reason: 'BadRequest',
    message: 'field label not supported: spec.image',
  },
  {
    name: 'rejects a field selector on a kind with only the metadata field labels',
    method: 'GET',
    url: `${CM}?fieldSelector=${encodeURIComponent('data.k=v')}`,
    status: 400,
    reason: 'BadRequest',
    message: '"data.k" is not a known field selector: only "metadata.name", "metadata.namespace"',
  },
  {
    name: 'rejects a list with an unsupported resourceVersionMatch',
    method: 'GET',
    url: `${CM}?resourceVersion=1&resourceVersionMatch=Newest`,
    status: 422,
    reason: 'Invalid',
    message: 'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Unsupported value: "Newest": supported values: "Exact", "NotOlderThan", ""',
  },
  {
    name: 'rejects a list with a limit that is not an integer',
    method: 'GET',
    url: `${CM}?limit=ten`,
    status: 400,
    reason: 'BadRequest',
    message: 'strconv.ParseInt: parsing "ten": invalid syntax',
  },
  // ---- delete ----
  {
    name: 'rejects a delete with an unsupported propagationPolicy',
    method: 'DELETE',
    url: `${CM}/existing?propagationPolicy=Sometimes`,
    status: 422,
    reason: 'Invalid',
    message: 'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Sometimes": supported values: "Foreground", "Background", "Orphan", "nil"',
  },
  {
    name: 'rejects a delete whose uid precondition does not match with 409',
    method: 'DELETE',
    url: `${CM}/existing`,
    contentType: J,
    body: bodyOf({ kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: '00000000-0000-0000-0000-000000000000' } }),
    status: 409,
    reason: 'Conflict',
    // rest.BeforeDelete checks preconditions first ("to fail early") and names the kind.
    message: /^Operation cannot be fulfilled on ConfigMap "existing": the UID in the precondition \(00000000-0000-0000-0000-000000000000\) does not match the UID in record \([0-9a-f-]{36}\)\. The object might have been deleted and then recreated$/,
  },
  // ---- paths ----
  {
    name: 'answers an unknown resource with 404',
    method: 'GET',
    url: `/api/v1/namespaces/${NS}/frobnicators`,
    status: 404,
    reason: 'NotFound',
    message: 'the server could not find the requested resource',
  },
];

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** What a namespace holds: every object's kind/name and resourceVersion. */
async function snapshot(c: InProcessCluster): Promise<string[]> {
  const out: string[] = [];
  for (const path of [CM, DEPLOY, `/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers`, `/api/v1/namespaces/${NS}/services`]) {
    const r = await c.request({ method: 'GET', url: path });
    assert.equal(r.status, 200, r.text);
    for (const o of json(r).items) out.push(`${path} ${o.metadata.name} ${o.metadata.resourceVersion} ${JSON.stringify(o.data ?? o.spec)}`);
  }
  return out.sort();
}

function assertStatus(r: InProcessResponse, want: Expected): void {
  assert.equal(r.ended, true, 'the response was not ended');
  const body = json(r);
  assert.equal(body.kind, 'Status', r.text);
  assert.equal(body.status, 'Failure');
  assert.equal(r.status, want.status, `HTTP status: ${r.text.slice(0, 400)}`);
  assert.equal(body.code, want.status);
  assert.equal(body.reason, want.reason, r.text.slice(0, 400));
  if (typeof want.message === 'string') assert.equal(body.message, want.message);
  else assert.match(body.message, want.message);
  if (want.details) {
    for (const [k, v] of Object.entries(want.details)) assert.deepEqual(body.details?.[k], v, `details.${k}`);
    if (Object.keys(want.details).length === 0) assert.deepEqual(body.details, {});
  }
  if (want.causes) {
    const causes = body.details?.causes ?? [];
    assert.equal(causes.length, want.causes.length, JSON.stringify(causes));
    want.causes.forEach((w, i) => {
      assert.equal(causes[i].reason, w.reason);
      assert.equal(causes[i].field, w.field);
      if (typeof w.message === 'string') assert.equal(causes[i].message, w.message);
      else if (w.message) assert.match(causes[i].message, w.message);
    });
  }
}

describe('bad input through the API server in process', () => {
  let c: InProcessCluster;

  before(async () => {
    c = await InProcessCluster.start();
    const setup = [
      { url: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } } },
      { url: CM, body: configMap({ metadata: { name: 'existing' } }) },
      { url: DEPLOY, body: deployment('web') },
    ];
    for (const s of setup) {
      const r = await c.request({ method: 'POST', url: s.url, body: s.body });
      assert.equal(r.status, 201, r.text);
    }
  });
  after(() => c?.stop());

  for (const tc of CASES) {
    test(tc.name, { todo: tc.todo }, async () => {
      const before = await snapshot(c);
      const revision = c.store.currentRevision();
      const r = await c.request({
        method: tc.method,
        url: tc.url,
        headers: tc.contentType ? { 'content-type': tc.contentType } : {},
        body: tc.body,
      });
      assertStatus(r, tc);
      assert.equal(r.writes, 0, 'a rejected request wrote to the store');
      assert.equal(c.store.currentRevision(), revision, 'the store revision moved');
      assert.deepEqual(await snapshot(c), before, 'the namespace changed');
    });
  }

  test('rejects a dry-run create exactly as a real one, without writing', async () => {
    const revision = c.store.currentRevision();
    const r = await c.request({ method: 'POST', url: `${CM}?dryRun=All`, body: configMap({ metadata: { name: 'Bad_Name' } }) });
    assertStatus(r, { status: 422, reason: 'Invalid', message: `ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": ${SUBDOMAIN_MSG}` });
    assert.equal(c.store.currentRevision(), revision);
  });

  test('fieldValidation=Warn creates the object without the unknown field and warns about it', async () => {
    const r = await c.request({ method: 'POST', url: `${DEPLOY}?fieldValidation=Warn`, body: deployment('warned', { foo: 'bar' }) });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.headers['Warning'], ['299 - "unknown field \\"spec.foo\\""']);
    const stored = json(await c.request({ method: 'GET', url: `${DEPLOY}/warned` }));
    assert.equal(stored.spec.foo, undefined);
    assert.equal(stored.spec.replicas, 1);
  });

  test('with no fieldValidation, the default is Warn', async () => {
    const r = await c.request({ method: 'POST', url: CM, body: configMap({ metadata: { name: 'default-warn' }, extra: true }) });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.headers['Warning'], ['299 - "unknown field \\"extra\\""']);
    assert.equal(json(r).extra, undefined);
  });

  test('fieldValidation=Warn reports duplicate fields and keeps the last value, as encoding/json does', async () => {
    const r = await c.request({
      method: 'POST',
      url: `${CM}?fieldValidation=Warn`,
      headers: { 'content-type': 'application/json' },
      body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup-warn"},"data":{"a":"1"},"data":{"b":"2"}}',
    });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.headers['Warning'], ['299 - "duplicate field \\"data\\""']);
    assert.deepEqual(json(r).data, { b: '2' });
  });

  test('fieldValidation=Ignore creates the object without the unknown field and without a warning', async () => {
    const r = await c.request({ method: 'POST', url: `${DEPLOY}?fieldValidation=Ignore`, body: deployment('ignored', { foo: 'bar' }) });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.headers['Warning'], undefined);
    const stored = json(await c.request({ method: 'GET', url: `${DEPLOY}/ignored` }));
    assert.equal(stored.spec.foo, undefined);
  });

  test('a merge patch with an unknown field under Warn applies the rest and warns', async () => {
    const r = await c.request({
      method: 'PATCH',
      url: `${DEPLOY}/web`,
      headers: { 'content-type': MERGE_PATCH },
      body: '{"spec":{"foo":1,"replicas":2}}',
    });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.headers['Warning'], ['299 - "unknown field \\"spec.foo\\""']);
    assert.equal(json(r).spec.replicas, 2);
    assert.equal(json(r).spec.foo, undefined);
  });
});

const skip = haveKubectl() ? false : 'kubectl is not installed (CI installs Debian kubernetes-client)';

describe('bad input through the real kubectl', { skip }, () => {
  let skiff: SkiffProcess;
  const k = (...args: string[]) => skiff.kubectl(args);

  before(async () => {
    skiff = await SkiffProcess.start();
    // apply sends JSON; kubectl's typed create commands send protobuf, a separate concern.
    ok(k('apply', '-f', skiff.file('ns.yaml', `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${NS}\n`)));
  });
  after(async () => {
    await skiff?.destroy();
  });

  test('kubectl apply of a manifest with an unknown field prints the strict decoding error and creates nothing', () => {
    const file = skiff.file(
      'unknown-field.yaml',
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: strict-web
  namespace: ${NS}
spec:
  foo: bar
  selector:
    matchLabels: {app: strict-web}
  template:
    metadata:
      labels: {app: strict-web}
    spec:
      containers:
      - name: app
        image: nginx:1.27
`,
    );
    const r = k('apply', '-f', file);
    assert.equal(r.code, 1, r.stdout);
    assert.equal(
      r.stderr.trim(),
      `Error from server (BadRequest): error when creating "${file}": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo"`,
    );
    const get = k('get', 'deployment', 'strict-web', '-n', NS);
    assert.equal(get.stderr.trim(), 'Error from server (NotFound): deployments.apps "strict-web" not found');
  });

  test('kubectl apply of a ConfigMap with an invalid name prints the Invalid error', () => {
    const file = skiff.file('bad-name.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n  namespace: ${NS}\ndata: {a: b}\n`);
    const r = k('apply', '-f', file);
    assert.equal(r.code, 1, r.stdout);
    assert.equal(r.stderr.trim(), `The ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": ${SUBDOMAIN_MSG}`);
  });

  const looseConfigMap = (name: string) =>
    skiff.file(`${name}.yaml`, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${NS}\ndata: {a: b}\nbogus: 1\n`);

  test('kubectl apply --validate=warn of an unknown field prints the server warning and creates the object without it', () => {
    const r = k('apply', '--validate=warn', '-f', looseConfigMap('warned'));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr.trim(), 'Warning: unknown field "bogus"');
    assert.equal(r.stdout.trim(), 'configmap/warned created');
    assert.equal(ok(k('get', 'configmap', 'warned', '-n', NS, '-o', 'jsonpath={.data.a}{.bogus}')), 'b');
  });

  test('kubectl apply --validate=false of an unknown field creates the object silently without it', () => {
    const r = k('apply', '--validate=false', '-f', looseConfigMap('loose'));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout.trim(), 'configmap/loose created');
  });

  test('kubectl patch with a failing JSON patch test prints the 422 and changes nothing', () => {
    ok(k('apply', '-f', skiff.file('patched.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: patched\n  namespace: ${NS}\ndata: {k: v}\n`)));
    const rv = ok(k('get', 'configmap', 'patched', '-n', NS, '-o', 'jsonpath={.metadata.resourceVersion}'));
    const r = k('patch', 'configmap', 'patched', '-n', NS, '--type=json', '-p', '[{"op":"test","path":"/data/k","value":"nope"}]');
    assert.equal(r.code, 1, r.stdout);
    assert.equal(r.stderr.trim(), 'The request is invalid: the server rejected our request due to an error in our request');
    assert.equal(ok(k('get', 'configmap', 'patched', '-n', NS, '-o', 'jsonpath={.metadata.resourceVersion}')), rv);
  });

  test('kubectl get with a malformed label selector prints the parse error', () => {
    const r = k('get', 'configmaps', '-n', NS, '-l', 'app in web');
    assert.equal(r.code, 1, r.stdout);
    assert.equal(
      r.stderr.trim(),
      `Error from server (BadRequest): Unable to find "/v1, Resource=configmaps" that match label selector "app in web", field selector "": unable to parse requirement: found 'web' expected: '('`,
    );
  });
});
