import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  QUANTITY_FIELDS,
  base64Error,
  decodeError,
  decodeErrorMessage,
  definitionName,
  duplicateFields,
  goTypeName,
  modelDocs,
  modelFields,
  parseFieldType,
  quantityError,
  schemaDefinitions,
  strictDecodingMessage,
  strictDecodingProblems,
  typeErrors,
  unknownFields,
} from './schema.js';
import { loadReferenceOpenAPI } from './reference.testutil.js';

const deployment = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  // The given fields come first, in the order written, as they would in a request body.
  spec: {
    ...spec,
    selector: 'selector' in spec ? spec.selector : { matchLabels: { app: 'web' } },
    template: 'template' in spec ? spec.template : { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } },
  },
  ...extra,
});

describe('parseFieldType', () => {
  const cases: Array<[string, string, unknown]> = [
    ['string', '', { kind: 'string', format: '' }],
    ['number', 'int32', { kind: 'number', format: 'int32' }],
    ['Array<V1Container>', '', { kind: 'array', items: { kind: 'object', model: 'V1Container' } }],
    ['{ [key: string]: string; }', '', { kind: 'map', values: { kind: 'string', format: '' } }],
    ['{ [key: string]: Array<string>; }', '', { kind: 'map', values: { kind: 'array', items: { kind: 'string', format: '' } } }],
    ['IntOrString', 'int-or-string', { kind: 'intOrString' }],
    ['Date', 'date-time', { kind: 'time', micro: false }],
    ['V1MicroTime', 'date-time-micro', { kind: 'time', micro: true }],
    ['any', '', { kind: 'any' }],
  ];
  for (const [type, format, want] of cases) {
    test(`reads ${type} as ${JSON.stringify(want)}`, () => assert.deepEqual(parseFieldType(type, format), want));
  }

  test('types resource requests as quantities', () => {
    assert.deepEqual(modelFields('V1ResourceRequirements')?.get('requests')?.type, { kind: 'map', values: { kind: 'quantity' } });
  });
});

describe('unknownFields', () => {
  const cases: Array<{ name: string; obj: unknown; model: string; want: string[] }> = [
    { name: 'accepts a complete Deployment', obj: deployment({ replicas: 3 }), model: 'V1Deployment', want: [] },
    {
      name: 'reports unknown fields with their full path and list indices',
      obj: deployment({ foo: 1, template: { spec: { containers: [{ name: 'a', image: 'b', bar: true }] } } }),
      model: 'V1Deployment',
      want: ['spec.foo', 'spec.template.spec.containers[0].bar'],
    },
    { name: 'is case-sensitive, as the decoder is', obj: deployment({ Replicas: 2 }), model: 'V1Deployment', want: ['spec.Replicas'] },
    { name: 'reports an unknown top-level field', obj: deployment({}, { extra: {} }), model: 'V1Deployment', want: ['extra'] },
    { name: 'accepts any key in a map', obj: { metadata: { annotations: { 'x/y': 'z' }, labels: { anything: 'goes' } } }, model: 'V1ConfigMap', want: [] },
    { name: 'accepts anything inside a RawExtension', obj: { metadata: {}, revision: 1, data: { spec: { whatever: 1 } } }, model: 'V1ControllerRevision', want: [] },
    { name: 'accepts anything inside managedFields.fieldsV1', obj: { metadata: { managedFields: [{ manager: 'kubectl', fieldsV1: { 'f:spec': {} } }] } }, model: 'V1Pod', want: [] },
    { name: 'reports unknown fields in map values of objects', obj: { spec: { hard: { cpu: '1' } }, status: { used: {} }, metadata: {}, bogus: 1 }, model: 'V1ResourceQuota', want: ['bogus'] },
    { name: 'ignores values of the wrong type', obj: { spec: 'nope' }, model: 'V1Deployment', want: [] },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(unknownFields(c.obj, c.model), c.want));
});

describe('duplicateFields', () => {
  const cases: Array<[string, string, string[]]> = [
    ['finds a duplicate nested field', '{"spec":{"replicas":1,"replicas":2}}', ['spec.replicas']],
    ['finds duplicates inside list items', '{"spec":{"containers":[{"name":"a"},{"name":"b","name":"c"}]}}', ['spec.containers[1].name']],
    ['finds a duplicate map key', '{"metadata":{"labels":{"app":"a","app":"b"}}}', ['metadata.labels.app']],
    ['finds a duplicate top-level field', '{"kind":"Pod","kind":"Pod"}', ['kind']],
    ['ignores the same key in sibling objects', '{"a":{"x":1},"b":{"x":1}}', []],
    ['handles escaped keys and strings', '{"a\\"b":"}\\"","a\\"b":1}', ['a"b']],
    ['returns nothing for invalid JSON', '{"a":1,"a":', []],
  ];
  for (const [name, text, want] of cases) test(name, () => assert.deepEqual(duplicateFields(text), want));
});

describe('strict decoding messages', () => {
  test('words a strict failure as kube-apiserver does', () => {
    const obj = deployment({ foo: 1, template: { spec: { containers: [{ name: 'a', image: 'b', bar: 1 }] } } });
    assert.equal(
      strictDecodingMessage('Deployment', 'v1', strictDecodingProblems(obj, 'V1Deployment')),
      'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo", unknown field "spec.template.spec.containers[0].bar"',
    );
  });

  test('lists duplicate fields from the raw text before unknown fields', () => {
    const text = '{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"a","name":"b"},"datta":{}}';
    assert.deepEqual(strictDecodingProblems(JSON.parse(text), 'V1ConfigMap', text), ['duplicate field "metadata.name"', 'unknown field "datta"']);
  });
});

describe('typeErrors', () => {
  const cases: Array<{ name: string; obj: unknown; model: string; want: string[] }> = [
    { name: 'accepts a well-typed Deployment', obj: deployment({ replicas: 3, strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } } }), model: 'V1Deployment', want: [] },
    {
      name: 'reports a string where an int32 is required',
      obj: deployment({ replicas: '3' }),
      model: 'V1Deployment',
      want: ['json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32'],
    },
    {
      name: 'reports a fraction for an integer with its value',
      obj: deployment({ replicas: 1.5 }),
      model: 'V1Deployment',
      want: ['json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32'],
    },
    {
      name: 'reports a string where a list of structs is required',
      obj: deployment({ template: { spec: { containers: 'nginx' } } }),
      model: 'V1Deployment',
      want: ['json: cannot unmarshal string into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container'],
    },
    {
      name: 'reports nested fields without list indices',
      obj: deployment({ template: { spec: { containers: [{ name: 'a', ports: [{ containerPort: '80' }] }] } } }),
      model: 'V1Deployment',
      want: ['json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32'],
    },
    {
      name: 'reports a number as a label value',
      obj: { metadata: { labels: { version: 1 } } },
      model: 'V1Pod',
      want: ['json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string'],
    },
    {
      name: 'reports an object where a bool is required',
      obj: { spec: { suspend: {} } },
      model: 'V1CronJob',
      want: ['json: cannot unmarshal object into Go struct field CronJobSpec.spec.suspend of type bool'],
    },
    { name: 'accepts numbers as quantities', obj: { spec: { containers: [{ name: 'a', resources: { requests: { cpu: 1, memory: '128Mi' } } }] } }, model: 'V1Pod', want: [] },
    {
      name: 'reports a quantity with a bad suffix',
      obj: { spec: { containers: [{ name: 'a', resources: { limits: { cpu: '100mm' } } }] } },
      model: 'V1Pod',
      want: ["unable to parse quantity's suffix"],
    },
    {
      name: 'reports a bool as an IntOrString',
      obj: deployment({ strategy: { rollingUpdate: { maxSurge: true } } }),
      model: 'V1Deployment',
      want: ['json: cannot unmarshal bool into Go value of type int32'],
    },
    { name: 'reports invalid base64 in Secret data', obj: { data: { password: 'not base64!' } }, model: 'V1Secret', want: ['illegal base64 data at input byte 3'] },
    { name: 'accepts valid base64 in Secret data', obj: { data: { password: 'cGFzc3dvcmQ=' }, stringData: { x: 'plain' } }, model: 'V1Secret', want: [] },
    { name: 'accepts null anywhere', obj: deployment({ replicas: null, template: null }), model: 'V1Deployment', want: [] },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(typeErrors(c.obj, c.model), c.want));

  test('returns the error that aborts decoding before saved ones, as encoding/json does', () => {
    const obj = deployment({ replicas: 'x', strategy: { rollingUpdate: { maxSurge: [] } } });
    assert.equal(decodeError(obj, 'V1Deployment'), 'json: cannot unmarshal array into Go value of type int32');
  });

  const crdWithSchema = (schema: unknown) => ({ spec: { versions: [{ name: 'v1', schema: { openAPIV3Schema: schema } }] } });
  const schemaOrCases: Array<{ name: string; schema: unknown; want: string | undefined }> = [
    { name: 'refuses additionalProperties that is neither a boolean nor a schema', schema: { additionalProperties: 'x' }, want: 'boolean or JSON schema expected' },
    { name: 'refuses additionalItems of the wrong type', schema: { additionalItems: 1 }, want: 'boolean or JSON schema expected' },
    { name: 'accepts additionalProperties true and null', schema: { properties: { a: { additionalProperties: true }, b: { additionalProperties: null } } }, want: undefined },
    {
      name: 'types the schema inside additionalProperties',
      schema: { additionalProperties: { type: 3 } },
      want: 'json: cannot unmarshal number into Go struct field JSONSchemaProps.spec.versions.schema.openAPIV3Schema.additionalProperties.type of type string',
    },
    { name: 'ignores items that are neither a schema nor a list (JSONSchemaPropsOrArray)', schema: { items: 'x' }, want: undefined },
    {
      name: 'types a list of item schemas',
      schema: { items: [{ type: [] }] },
      want: 'json: cannot unmarshal array into Go struct field JSONSchemaProps.spec.versions.schema.openAPIV3Schema.items.type of type string',
    },
    { name: 'ignores dependencies values that are neither a schema nor a string list', schema: { dependencies: { a: 1, b: ['c'] } }, want: undefined },
  ];
  for (const c of schemaOrCases) test(c.name, () => assert.equal(decodeError(crdWithSchema(c.schema), 'V1CustomResourceDefinition'), c.want));

  test('wraps a decode error as transformDecodeError does', () => {
    assert.equal(
      decodeErrorMessage('Deployment', 'v1', decodeError(deployment({ replicas: '3' }), 'V1Deployment')!),
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    );
  });
});

describe('quantity and base64 checks', () => {
  const quantities: Array<[string, string | undefined]> = [
    ['100m', undefined], ['1.5Gi', undefined], ['2', undefined], ['1e3', undefined], ['-1', undefined], ['.5', undefined],
    ['', "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
    ['abc', "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
    ['1Gb', "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
    ['100mm', "unable to parse quantity's suffix"],
    ['1.2.3', 'unable to parse numeric part of quantity'],
  ];
  for (const [q, want] of quantities) test(`${want ? 'rejects' : 'accepts'} quantity "${q}"`, () => assert.equal(quantityError(q), want));

  const b64: Array<[string, string | undefined]> = [
    ['aGVsbG8=', undefined], ['aGk=', undefined], ['', undefined], ['aGVs\nbG8=', undefined],
    ['aGVsbG8', 'illegal base64 data at input byte 4'],
    ['a=bc', 'illegal base64 data at input byte 1'],
    ['aG!s', 'illegal base64 data at input byte 2'],
  ];
  for (const [s, want] of b64) test(`${want ? 'rejects' : 'accepts'} base64 ${JSON.stringify(s)}`, () => assert.equal(base64Error(s), want));
});

describe('definition names', () => {
  const cases: Array<[string, string]> = [
    ['V1Deployment', 'io.k8s.api.apps.v1.Deployment'],
    ['V1PodTemplateSpec', 'io.k8s.api.core.v1.PodTemplateSpec'],
    ['V1ObjectMeta', 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'],
    ['V1LabelSelector', 'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector'],
    ['CoreV1Event', 'io.k8s.api.core.v1.Event'],
    ['EventsV1Event', 'io.k8s.api.events.v1.Event'],
    ['V2MetricSpec', 'io.k8s.api.autoscaling.v2.MetricSpec'],
    ['V1CrossVersionObjectReference', 'io.k8s.api.autoscaling.v1.CrossVersionObjectReference'],
    ['V1Scale', 'io.k8s.api.autoscaling.v1.Scale'],
    ['V1TopologySelectorTerm', 'io.k8s.api.core.v1.TopologySelectorTerm'],
    ['RbacV1Subject', 'io.k8s.api.rbac.v1.Subject'],
    ['V1Lease', 'io.k8s.api.coordination.v1.Lease'],
  ];
  for (const [model, want] of cases) test(`names ${model} ${want}`, () => assert.equal(definitionName(model), want));

  test('strips client-node prefixes to get Go type names', () => {
    assert.deepEqual(['V1DeploymentSpec', 'CoreV1Event', 'V2HPAScalingPolicy', 'V1beta1Foo'].map(goTypeName), ['DeploymentSpec', 'Event', 'HPAScalingPolicy', 'Foo']);
  });
});

describe('model documentation', () => {
  test('reads descriptions and required fields from the declaration files', () => {
    const docs = modelDocs('V1DeploymentSpec');
    assert.match(docs.description ?? '', /^DeploymentSpec is the specification/);
    assert.equal(docs.fields.get('selector')?.required, true);
    assert.equal(docs.fields.get('replicas')?.required, false);
    assert.match(docs.fields.get('replicas')?.description ?? '', /Number of desired pods/);
  });

  test('gives group-version-kinds to served kinds and their lists', () => {
    const defs = new Map(schemaDefinitions().map((d) => [d.name, d]));
    assert.deepEqual(defs.get('io.k8s.api.apps.v1.Deployment')?.gvks, [{ group: 'apps', version: 'v1', kind: 'Deployment' }]);
    assert.deepEqual(defs.get('io.k8s.api.apps.v1.DeploymentList')?.gvks, [{ group: 'apps', version: 'v1', kind: 'DeploymentList' }]);
    assert.deepEqual(defs.get('io.k8s.api.apps.v1.DeploymentSpec')?.gvks, []);
  });
});

describe('the schema against upstream OpenAPI', () => {
  const reference = loadReferenceOpenAPI();
  const skip = 'skip' in reference ? reference.skip : false;

  test('names every definition as upstream does', { skip }, () => {
    if (!('doc' in reference)) return;
    assert.deepEqual(schemaDefinitions().map((d) => d.name).filter((n) => !reference.doc.definitions[n]), []);
  });

  test('knows exactly which reachable fields are resource.Quantity', { skip }, () => {
    if (!('doc' in reference)) return;
    const upstream: string[] = [];
    for (const d of schemaDefinitions()) {
      for (const f of d.fields) {
        const prop = reference.doc.definitions[d.name]?.properties?.[f.name] as { $ref?: string; additionalProperties?: { $ref?: string } } | undefined;
        const ref = prop?.$ref ?? prop?.additionalProperties?.$ref;
        if (ref?.endsWith('io.k8s.apimachinery.pkg.api.resource.Quantity')) upstream.push(`${d.model}.${f.name}`);
      }
    }
    assert.deepEqual([...QUANTITY_FIELDS].sort(), upstream.sort());
  });
});
