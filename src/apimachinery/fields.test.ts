import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from './errors.js';
import {
  defaultFieldLabelConversion,
  escapeFieldValue,
  fieldLabelNotSupportedMessage,
  fieldRequiresExactMatch,
  fieldSelectorString,
  matchesFields,
  parseFieldSelector,
  requirements,
  transformFieldSelector,
  unescapeFieldValue,
} from './fields.js';

describe('parseFieldSelector', () => {
  const cases: Array<[string, Array<[string, '=' | '!=', string]>]> = [
    ['', []],
    ['metadata.name=web', [['metadata.name', '=', 'web']]],
    ['metadata.name==web', [['metadata.name', '=', 'web']]],
    ['status.phase!=Running', [['status.phase', '!=', 'Running']]],
    ['spec.nodeName=n1,status.phase=Pending', [['spec.nodeName', '=', 'n1'], ['status.phase', '=', 'Pending']]],
    ['status.phase=Pending,spec.nodeName=n1', [['spec.nodeName', '=', 'n1'], ['status.phase', '=', 'Pending']]],
    ['a=,b=c', [['a', '=', ''], ['b', '=', 'c']]],
    ['a=b\\,c', [['a', '=', 'b,c']]],
    ['a=b\\=c\\\\d', [['a', '=', 'b=c\\d']]],
    ['a=b,,c=d', [['a', '=', 'b'], ['c', '=', 'd']]],
    ['a!=\\=b', [['a', '!=', '=b']]],
  ];
  for (const [input, want] of cases) {
    test(`parses ${JSON.stringify(input)}`, () => {
      assert.deepEqual(
        requirements(parseFieldSelector(input)).map((r) => [r.field, r.operator, r.value]),
        want,
      );
    });
  }

  const errors: Array<[string, string]> = [
    ['metadata.name', "invalid selector: 'metadata.name'; can't understand 'metadata.name'"],
    ['a=b,c', "invalid selector: 'a=b,c'; can't understand 'c'"],
    ['a=b=c', 'invalid field selector: unescaped character in value: 61'],
    ['a!==b', 'invalid field selector: unescaped character in value: 61'],
    ['a=b\\x', 'invalid field selector: invalid escape sequence: \\x'],
    ['a=b\\', 'invalid field selector: invalid escape sequence: \\'],
  ];
  for (const [input, message] of errors) {
    test(`rejects ${JSON.stringify(input)} as a 400 with upstream's message`, () => {
      assert.throws(
        () => parseFieldSelector(input),
        (e: unknown) => isStatusError(e) && e.code === 400 && e.status.message === message,
      );
    });
  }
});

describe('matchesFields', () => {
  const fields = { 'metadata.name': 'web', 'status.phase': 'Running' };
  const cases: Array<[string, boolean]> = [
    ['', true],
    ['metadata.name=web', true],
    ['metadata.name!=db', true],
    ['metadata.name=web,status.phase=Running', true],
    ['metadata.name=db', false],
    ['status.phase!=Running', false],
    ['spec.nodeName=', true],
    ['spec.nodeName!=', false],
  ];
  for (const [sel, want] of cases) {
    test(`${JSON.stringify(sel)} ${want ? 'matches' : 'does not match'} a running pod named web`, () => {
      assert.equal(matchesFields(parseFieldSelector(sel), fields), want);
    });
  }
});

describe('escaping and printing', () => {
  test('escapes backslash, comma and equals and unescapes them back', () => {
    const raw = 'a\\b,c=d';
    assert.equal(escapeFieldValue(raw), 'a\\\\b\\,c\\=d');
    assert.equal(unescapeFieldValue(escapeFieldValue(raw)), raw);
  });
  test('prints a selector with its values escaped', () => {
    assert.equal(fieldSelectorString(parseFieldSelector('b!=x,a=y\\,z')), 'a=y\\,z,b!=x');
  });
  test('reports the value an equality term demands', () => {
    const sel = parseFieldSelector('spec.nodeName=n1,status.phase!=Failed');
    assert.equal(fieldRequiresExactMatch(sel, 'spec.nodeName'), 'n1');
    assert.equal(fieldRequiresExactMatch(sel, 'status.phase'), undefined);
  });
});

describe('field label conversion', () => {
  test('transform rewrites labels and drops terms rewritten to nothing', () => {
    const sel = transformFieldSelector(parseFieldSelector('name=a,drop=x'), (f, v) => (f === 'drop' ? ['', ''] : [`metadata.${f}`, v]));
    assert.equal(fieldSelectorString(sel), 'metadata.name=a');
  });
  test('the default conversion accepts metadata.name and metadata.namespace only', () => {
    assert.deepEqual(defaultFieldLabelConversion('metadata.namespace', 'x'), ['metadata.namespace', 'x']);
    assert.throws(
      () => defaultFieldLabelConversion('spec.foo', 'x'),
      (e: unknown) => isStatusError(e) && e.code === 400 && e.status.message === '"spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
  });
  test('words an unsupported label as the per-kind conversions do', () => {
    assert.equal(fieldLabelNotSupportedMessage('spec.foo'), 'field label not supported: spec.foo');
  });
});
