import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { field, fieldErrorBody, fieldErrorString, invalid, type FieldError } from './errors.js';
import { goIntOrString, goLabelSelector, goStringMap, goStringSlice } from './go-syntax.js';

describe('field error messages', () => {
  const cases: Array<[string, FieldError, string]> = [
    ['quotes a string value', field.invalid('spec.x', 'a b', 'bad'), 'spec.x: Invalid value: "a b": bad'],
    ['prints a number bare', field.invalid('spec.replicas', -1, 'must be greater than or equal to 0'), 'spec.replicas: Invalid value: -1: must be greater than or equal to 0'],
    ['prints an already rendered value as is (a Quantity prints bare)', field.invalidRaw('spec.cpu', '1500m', 'must be an integer'), 'spec.cpu: Invalid value: 1500m: must be an integer'],
    ['prints an already rendered value without a detail', field.invalidRaw('spec.selector', 'map[string]string(nil)'), 'spec.selector: Invalid value: map[string]string(nil)'],
    ['prints an already rendered duplicate', field.duplicateRaw('spec.ports[1]', 'core.ServicePort{Port:80}'), 'spec.ports[1]: Duplicate value: core.ServicePort{Port:80}'],
    ['prints a rendered empty string as nothing, not as ""', field.invalidRaw('spec.y', '', 'bad'), 'spec.y: Invalid value: : bad'],
    ['omits the value of a Required error', field.required('spec.z'), 'spec.z: Required value'],
  ];
  for (const [name, err, want] of cases) test(name, () => assert.equal(fieldErrorString(err), want));

  test('a cause carries the body with the rendered value', () => {
    const e = invalid({ group: '', kind: 'LimitRange' }, 'lr', [field.invalidRaw('spec.limits[0].min[cpu]', '2', 'min value 2 is greater than max value 1')]);
    assert.equal(e.status.message, 'LimitRange "lr" is invalid: spec.limits[0].min[cpu]: Invalid value: 2: min value 2 is greater than max value 1');
    assert.equal(e.status.details?.causes?.[0].message, fieldErrorBody(field.invalidRaw('x', '2', 'min value 2 is greater than max value 1')));
  });
});

describe('Go %#v renderings', () => {
  const cases: Array<[string, string, string]> = [
    ['a label map, keys sorted', goStringMap({ b: '2', a: '1' }), 'map[string]string{"a":"1", "b":"2"}'],
    ['an absent map as nil', goStringMap(undefined), 'map[string]string(nil)'],
    ['a string slice', goStringSlice(['x', 'y']), '[]string{"x", "y"}'],
    ['an absent slice as nil', goStringSlice(null), '[]string(nil)'],
    ['an int IntOrString', goIntOrString(3), 'intstr.IntOrString{Type:0, IntVal:3, StrVal:""}'],
    ['a string IntOrString', goIntOrString('25%'), 'intstr.IntOrString{Type:1, IntVal:0, StrVal:"25%"}'],
    [
      'a label selector',
      goLabelSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a'] }] }),
      'v1.LabelSelector{MatchLabels:map[string]string{"app":"web"}, MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"tier", Operator:"In", Values:[]string{"a"}}}}',
    ],
    ['an empty label selector', goLabelSelector({}), 'v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}'],
  ];
  for (const [name, got, want] of cases) test(`renders ${name}`, () => assert.equal(got, want));
});
