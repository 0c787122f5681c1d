// The compact schema builders and the pod template schema derived from the built-in types.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { validateAgainstSchema } from '../apiextensions/schema-validation.js';
import { fieldErrorString } from '../apimachinery/errors.js';
import { modelSchema, podTemplateSpecSchema } from './podtemplate.js';
import { int32, list, obj, oneOfStrings, quantity, str, stringMap } from './schema.js';

describe('obj', () => {
  test('a trailing "!" marks a property required, in the order written, and is dropped from the name', () => {
    const s = obj({ 'canarySubsetName!': str(), 'name!': str(), stableSubsetName: str(), 'z!': str() });
    assert.deepEqual(Object.keys(s.properties!), ['canarySubsetName', 'name', 'stableSubsetName', 'z']);
    assert.deepEqual(s.required, ['canarySubsetName', 'name', 'z']);
  });

  test('an object without required properties has no required list', () => {
    assert.equal('required' in obj({ a: str() }), false);
  });

  test('options are kept beside the properties', () => {
    const s = obj({ a: str() }, { maxProperties: 1, default: { a: 'x' } });
    assert.equal(s.maxProperties, 1);
    assert.deepEqual(s.default, { a: 'x' });
  });
});

describe('builders validate as their Go types do', () => {
  const schema = obj({
    'name!': str(),
    replicas: int32({ minimum: 0 }),
    mode: oneOfStrings(['Auto', 'Off']),
    limits: stringMap(),
    cpu: quantity(),
    items: list(str()),
  });
  const cases: Array<[string, unknown, string[]]> = [
    ['accepts a complete object', { name: 'a', replicas: 1, mode: 'Off', cpu: 1, items: ['x'] }, []],
    ['accepts a quantity written as a string', { name: 'a', cpu: '500m' }, []],
    ['requires name', { replicas: 1 }, ['name: Required value']],
    ['rejects a negative replicas', { name: 'a', replicas: -1 }, ['replicas: Invalid value: -1: replicas in body should be greater than or equal to 0']],
    ['rejects a mode outside the enum', { name: 'a', mode: 'auto' }, ['mode: Unsupported value: "auto": supported values: "Auto", "Off"']],
  ];
  for (const [name, value, expected] of cases) {
    test(name, () => {
      assert.deepEqual(validateAgainstSchema(value, schema).map(fieldErrorString), expected);
    });
  }
});

describe('podTemplateSpecSchema', () => {
  const s = podTemplateSpecSchema();
  const spec = s.properties!['spec']!;
  const containers = spec.properties!['containers']!;
  const container = containers.items as NonNullable<typeof spec>;

  test('requires containers, and a name on each', () => {
    assert.deepEqual(spec.required, ['containers']);
    assert.ok(container.required?.includes('name'));
  });

  test('lists containers as a map keyed by name, as server-side apply merges them', () => {
    assert.equal(containers['x-kubernetes-list-type'], 'map');
    assert.deepEqual(containers['x-kubernetes-list-map-keys'], ['name']);
  });

  test('keys container ports by containerPort and protocol, defaulting protocol to TCP', () => {
    const ports = container.properties!['ports']!;
    assert.deepEqual(ports['x-kubernetes-list-map-keys'], ['containerPort', 'protocol']);
    assert.equal((ports.items as typeof spec).properties!['protocol']!.default, 'TCP');
  });

  test('types resources as quantities and the template metadata as labels and annotations', () => {
    const limits = container.properties!['resources']!.properties!['limits']!;
    assert.equal((limits.additionalProperties as typeof spec)['x-kubernetes-int-or-string'], true);
    assert.deepEqual(Object.keys(s.properties!['metadata']!.properties!), ['labels', 'annotations']);
  });

  test('returns a fresh copy each time', () => {
    const a = podTemplateSpecSchema();
    a.properties!['spec']!.required = [];
    assert.deepEqual(podTemplateSpecSchema().properties!['spec']!.required, ['containers']);
  });

  test('an unknown model is a free-form object', () => {
    assert.deepEqual(modelSchema('NoSuchModel'), { type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
  });
});
