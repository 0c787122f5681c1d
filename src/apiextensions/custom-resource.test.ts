import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/types.js';
import { fieldErrorString, type StatusError } from '../apimachinery/errors.js';
import { customResourceDecodeError, customResourceStrategy, decodeCustomResource, finalizerWarnings, strictDecodingMessageForCR } from './custom-resource.js';
import { prune } from './pruning.js';
import { cronTab, cronTabCRD } from './testdata.js';
import type { Clock } from '../sim/clock.js';

const ctx = { clock: {} as Clock };
const crd = cronTabCRD();
const strategy = customResourceStrategy(crd, 'v1');

function errorsFor(mutate: (spec: Record<string, unknown>, obj: KubeObject) => void): string[] {
  const obj = cronTab() as KubeObject;
  mutate(obj.spec as Record<string, unknown>, obj);
  return (strategy.validate?.(obj, ctx) ?? []).map(fieldErrorString);
}

describe('custom resource validation', () => {
  test('accepts a valid CronTab', () => assert.deepEqual(errorsFor(() => {}), []));

  const cases: Array<{ name: string; mutate: (spec: Record<string, unknown>, obj: KubeObject) => void; want: string[] }> = [
    {
      name: 'reports a value below minimum with the OpenAPI validator words',
      mutate: (s) => (s.replicas = 0),
      want: ['spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1'],
    },
    {
      name: 'reports a value above maximum',
      mutate: (s) => (s.replicas = 11),
      want: ['spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10'],
    },
    {
      name: 'reports a pattern mismatch',
      mutate: (s) => (s.cronSpec = 'every minute'),
      want: [`spec.cronSpec: Invalid value: "every minute": spec.cronSpec in body should match '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'`],
    },
    {
      name: 'reports an enum violation as Unsupported value',
      mutate: (s) => (s.color = 'pink'),
      want: ['spec.color: Unsupported value: "pink": supported values: "red", "green", "blue"'],
    },
    {
      name: 'reports a missing required field',
      mutate: (s) => delete s.cronSpec,
      want: ['spec.cronSpec: Required value'],
    },
    {
      name: 'reports a wrong type',
      mutate: (s) => (s.replicas = 'three'),
      want: [
        'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
        '.spec.replicas: Invalid value: 0: .spec.replicas accessor error: three is of the type string, expected int64',
      ],
    },
    {
      name: 'reports a non-integral number where an integer is expected',
      mutate: (s) => (s.replicas = 1.5),
      want: [
        'spec.replicas: Invalid value: "number": spec.replicas in body must be of type integer: "number"',
        '.spec.replicas: Invalid value: 0: .spec.replicas accessor error: 1.5 is of the type float64, expected int64',
      ],
    },
    {
      name: 'reports a string longer than maxLength as Too long',
      mutate: (s) => (s.image = 'an-image-name-that-is-far-too-long'),
      want: ['spec.image: Too long: may not be more than 30 bytes'],
    },
    {
      name: 'reports too many items',
      mutate: (s) => (s.tags = ['a', 'b', 'c']),
      want: ['spec.tags: Too many: 3: must have at most 2 items'],
    },
    {
      name: 'reports a repeated set value as Duplicate value',
      mutate: (s) => (s.tags = ['a', 'a']),
      want: ['spec.tags[1]: Duplicate value: "a"'],
    },
    {
      name: 'reports a repeated list-map key as Duplicate value',
      mutate: (s) => (s.ports = [{ name: 'http', port: 80 }, { name: 'http', port: 81 }]),
      want: ['spec.ports[1]: Duplicate value: map[string]interface {}{"name":"http"}'],
    },
    {
      name: 'reports a malformed date-time',
      mutate: (s) => (s.startedAt = 'yesterday'),
      want: ['spec.startedAt: Invalid value: "yesterday": spec.startedAt in body must be of type date-time: "yesterday"'],
    },
    {
      name: 'accepts an int-or-string either way and rejects a boolean',
      mutate: (s) => (s.port = true),
      want: [
        'spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"',
        '<nil>: Invalid value: "": "spec.port" must validate at least one schema (anyOf)',
        'spec.port: Invalid value: "boolean": spec.port in body must be of type integer: "boolean"',
      ],
    },
    {
      name: 'checks map values against additionalProperties',
      mutate: (s) => (s.labels = { app: 5 }),
      want: ['spec.labels.app: Invalid value: "integer": spec.labels.app in body must be of type string: "integer"'],
    },
    {
      name: 'requires kind and apiVersion of the version',
      mutate: (_s, o) => (o.apiVersion = 'stable.example.com/v2'),
      want: ['apiVersion: Invalid value: "stable.example.com/v2": must be stable.example.com/v1'],
    },
    {
      name: 'rejects negative replicas at the scale path',
      mutate: (_s, o) => (o.status = { replicas: -1 }),
      want: ['.status.replicas: Invalid value: -1: should be a non-negative integer'],
    },
    {
      name: 'rejects a label selector path that does not hold a string',
      mutate: (_s, o) => (o.status = { selector: { app: 'x' } }),
      want: [
        'status.selector: Invalid value: "object": status.selector in body must be of type string: "object"',
        '.status.selector: Invalid value: "": .status.selector accessor error: map[app:x] is of the type map[string]interface {}, expected string',
      ],
    },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(errorsFor(c.mutate), c.want));

  test('accepts null for a nullable field and an int-or-string as int or string', () => {
    assert.deepEqual(errorsFor((s) => Object.assign(s, { note: null, port: 8080 })), []);
    assert.deepEqual(errorsFor((s) => (s.port = 'http')), []);
  });

  test('on update, an unchanged invalid field is not held to the schema (validation ratcheting)', () => {
    const old = cronTab() as KubeObject;
    (old.spec as Record<string, unknown>).replicas = 0;
    const next = structuredClone(old);
    (next.spec as Record<string, unknown>).image = 'other';
    assert.deepEqual(strategy.validateUpdate?.(next, old, ctx), []);
    (next.spec as Record<string, unknown>).replicas = 20;
    assert.deepEqual(strategy.validateUpdate?.(next, old, ctx)?.map(fieldErrorString), ['spec.replicas: Invalid value: 20: spec.replicas in body should be less than or equal to 10']);
  });

  test('a status write is validated against the status schema under status', () => {
    const old = cronTab() as KubeObject;
    const next = { ...structuredClone(old), status: { replicas: 'x' } };
    assert.deepEqual(strategy.status?.validateUpdate?.(next, old, ctx)?.map(fieldErrorString), [
      'status.replicas: Invalid value: "string": replicas in body must be of type integer: "string"',
      '.status.replicas: Invalid value: 0: .status.replicas accessor error: x is of the type string, expected int64',
    ]);
  });
});

describe('decoding custom resources', () => {
  test('prunes unknown fields and reports their paths, keeping preserve-unknown-fields subtrees', () => {
    const obj = cronTab() as KubeObject;
    Object.assign(obj.spec as object, { foo: 1, ports: [{ name: 'a', bogus: true }], template: { anything: { goes: 1 } } });
    obj.extra = 'x';
    const unknown = decodeCustomResource(obj, crd.spec.versions[0].schema!.openAPIV3Schema);
    assert.deepEqual(unknown, ['extra', 'spec.foo', 'spec.ports[0].bogus']);
    assert.equal(obj.extra, undefined);
    assert.deepEqual((obj.spec as Record<string, unknown>).template, { anything: { goes: 1 } });
    assert.deepEqual((obj.spec as Record<string, unknown>).ports, [{ name: 'a', port: 80 }]);
    assert.deepEqual(obj.metadata, { name: 'my-new-cron-object', namespace: 'default' });
  });

  test('applies defaults, including to list items, and drops nulls the schema does not allow', () => {
    const obj = cronTab() as KubeObject;
    delete (obj.spec as Record<string, unknown>).replicas;
    (obj.spec as Record<string, unknown>).image = null;
    decodeCustomResource(obj, crd.spec.versions[0].schema!.openAPIV3Schema);
    assert.equal((obj.spec as Record<string, unknown>).replicas, 1);
    assert.equal('image' in (obj.spec as object), false);
  });

  test('additionalProperties: true keeps keys but prunes inside object values', () => {
    const obj = { a: { x: { y: 1 } } };
    assert.deepEqual(prune(obj, { type: 'object', properties: { a: { type: 'object', additionalProperties: true } } }, false), ['a.x.y']);
  });

  const undecodable: Array<{ name: string; mutate: (obj: Record<string, any>) => void; want: string | undefined }> = [
    { name: 'a string metadata', mutate: (o) => (o.metadata = ''), want: 'metadata: Invalid value: "": json: cannot unmarshal string into Go value of type v1.ObjectMeta' },
    { name: 'metadata.labels as a list', mutate: (o) => (o.metadata.labels = ['a']), want: 'metadata: Invalid value: {"name":"my-new-cron-object","namespace":"default","labels":["a"]}: json: cannot unmarshal array into Go struct field ObjectMeta.labels of type map[string]string' },
    { name: 'a numeric kind', mutate: (o) => (o.kind = 7), want: 'kind: Invalid value: 7: must be a string' },
    { name: 'an embedded resource whose metadata is a number', mutate: (o) => (o.spec.template = { metadata: 5 }), want: undefined },
    { name: 'null metadata (decodes as absent)', mutate: (o) => (o.metadata = null), want: undefined },
  ];
  for (const c of undecodable) {
    test(`a custom resource with ${c.name} is ${c.want ? 'a 400 with the decoder error' : 'decoded'}`, () => {
      const obj = cronTab() as Record<string, any>;
      c.mutate(obj);
      const got = customResourceDecodeError(obj, crd.spec.versions[0].schema!.openAPIV3Schema);
      assert.equal(got, c.want);
      if (c.want) {
        assert.throws(
          () => decodeCustomResource(obj as KubeObject, crd.spec.versions[0].schema!.openAPIV3Schema),
          (e: StatusError) => e.code === 400 && e.message === (typeof obj.kind === 'string' ? `CronTab in version "v1" cannot be handled as a CronTab: ${c.want}` : c.want),
        );
      }
    });
  }

  test('checks the metadata of x-kubernetes-embedded-resource objects', () => {
    const schema = { type: 'object', properties: { spec: { type: 'object', properties: { template: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true } } } } };
    assert.equal(
      customResourceDecodeError({ apiVersion: 'x/v1', kind: 'X', metadata: {}, spec: { template: { apiVersion: 'v1', kind: 'Pod', metadata: 5 } } }, schema),
      'spec.template.metadata: Invalid value: 5: json: cannot unmarshal number into Go value of type v1.ObjectMeta',
    );
    assert.equal(customResourceDecodeError({ apiVersion: 'x/v1', kind: 'X', metadata: {}, spec: { template: { kind: ['Pod'] } } }, schema), 'spec.template.kind: Invalid value: []string{"Pod"}: must be a string');
  });

  test('words the strict decoding failure as kube-apiserver does for custom resources', () => {
    assert.equal(
      strictDecodingMessageForCR('CronTab', 'v1', ['spec.foo', 'spec.bar']),
      'CronTab in version "v1" cannot be handled as a CronTab: strict decoding error: unknown field "spec.foo", unknown field "spec.bar"',
    );
  });
});

describe('custom resource strategy', () => {
  test('clears status on create when status is a subresource, and bumps generation on any non-metadata change', () => {
    const obj = { ...(cronTab() as KubeObject), status: { replicas: 1 } };
    strategy.prepareForCreate?.(obj, ctx);
    assert.equal('status' in obj, false);
    const old: KubeObject = { ...(cronTab() as KubeObject), metadata: { name: 'a', generation: 4 } };
    const next = structuredClone(old);
    (next.spec as Record<string, unknown>).image = 'b';
    strategy.prepareForUpdate?.(next, old, ctx);
    assert.equal(next.metadata.generation, 5);
  });

  test('exposes the scale paths without their leading dots and the selectable fields', () => {
    assert.deepEqual(strategy.scale, { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'status.selector' });
    const obj = cronTab() as KubeObject;
    (obj.spec as Record<string, unknown>).color = 'red';
    assert.deepEqual(strategy.selectableFields?.(obj), { 'spec.color': 'red' });
  });

  test('warns about finalizers that are not domain-qualified', () => {
    const obj = cronTab() as KubeObject;
    obj.metadata.finalizers = ['cleanup', 'example.com/cleanup'];
    assert.deepEqual(finalizerWarnings(obj, undefined), [
      'metadata.finalizers: "cleanup": prefer a domain-qualified finalizer name to avoid accidental conflicts with other finalizer writers',
    ]);
  });
});
