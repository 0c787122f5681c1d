import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorString, isStatusError } from './errors.js';
import {
  matches,
  newRequirement,
  parseSelector,
  parseSelectorOrThrow,
  requiresExactMatch,
  selectorFromLabelSelector,
  selectorFromSet,
  selectorString,
  selectorToString,
  SelectorError,
  validateLabelSelector,
  type LabelSelectorSpec,
} from './labels.js';

const QUALIFIED_NAME_REGEX_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

const LABEL_VALUE_REGEX_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

describe('parseSelector', () => {
  const roundTrips: Array<[string, string]> = [
    ['', ''],
    ['x=a,y=b,z=c', 'x=a,y=b,z=c'],
    ['x!=a,y=b', 'x!=a,y=b'],
    ['x=', 'x='],
    ['x= ,z= ', 'x=,z='],
    ['!x', '!x'],
    ['x>1,z<5', 'x>1,z<5'],
    ['a==b', 'a==b'],
    ['z=1,a=2', 'a=2,z=1'],
    ['x in (foo,,baz),y,z notin ()', 'x in (,baz,foo),y,z notin ()'],
    ['foo  in\t (abc)', 'foo in (abc)'],
    ['x notin\n (abc)', 'x notin (abc)'],
    ['x in (c,a,b,a)', 'x in (a,b,c)'],
    ['a in (x,y,notin, z,in)', 'a in (in,notin,x,y,z)'],
    ['this-is-a-dns.domain.com/key-with-dash', 'this-is-a-dns.domain.com/key-with-dash'],
    ['notin=in', 'notin=in'],
  ];
  for (const [input, printed] of roundTrips) {
    test(`parses ${JSON.stringify(input)} and prints it as ${JSON.stringify(printed)}`, () => {
      assert.equal(selectorToString(parseSelector(input)), printed);
    });
  }

  const errors: Array<[string, string]> = [
    ['a in', "unable to parse requirement: found '' expected: '('"],
    ['a in (', "unable to parse requirement: found '', expected: ',', ')' or identifier"],
    ['a in (x,y', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['A B', "unable to parse requirement: found 'B', expected: in, notin, =, ==, !=, gt, lt"],
    ['a=b c', "found 'c', expected: ',' or 'end of string'"],
    ['x=a||y=b', `unable to parse requirement: values[0][x]: Invalid value: "a||y": ${LABEL_VALUE_REGEX_MSG}`],
    ['a=b,', "found '', expected: identifier after ','"],
    ['x,,y', "found ',', expected: identifier after ','"],
    [',a', "found ',', expected: !, identifier, or 'end of string'"],
    ['(', "found '(', expected: !, identifier, or 'end of string'"],
    ['a=(', "unable to parse requirement: found '(', expected: identifier"],
    ['!x=a', "found '=', expected: ',' or 'end of string'"],
    ['x<a', 'unable to parse requirement: values[0]: Invalid value: "a": for \'Gt\', \'Lt\' operators, the value must be an integer'],
    ['Foo@=1', `unable to parse requirement: <nil>: Invalid value: "Foo@": ${QUALIFIED_NAME_REGEX_MSG}`],
    ['k=' + 'v'.repeat(64), `unable to parse requirement: values[0][k]: Invalid value: "${'v'.repeat(64)}": must be no more than 63 characters`],
  ];
  for (const [input, message] of errors) {
    test(`rejects ${JSON.stringify(input)} with upstream's message`, () => {
      assert.throws(
        () => parseSelector(input),
        (e: unknown) => isStatusError(e) && e.code === 400 && e.reason === 'BadRequest' && e.status.message === message,
      );
    });
  }

  test('parseSelectorOrThrow throws a plain SelectorError with the same text', () => {
    assert.throws(() => parseSelectorOrThrow('a in'), (e: unknown) => e instanceof SelectorError && e.message.startsWith('unable to parse requirement'));
  });

  test('sorts requirements by key but keeps repeated keys in written order', () => {
    assert.deepEqual(
      parseSelector('x=b,a,x=a').requirements.map((r) => `${r.key}${r.operator}${r.values.join('|')}`),
      ['aexists', 'x=b', 'x=a'],
    );
  });
});

describe('matches', () => {
  const cases: Array<[string, Record<string, string>, boolean]> = [
    ['', { x: 'y' }, true],
    ['x=y', { x: 'y' }, true],
    ['x=y,z=w', { x: 'y', z: 'w' }, true],
    ['x!=y,z!=w', { x: 'z', z: 'a' }, true],
    ['x', { x: 'z' }, true],
    ['!x', { y: 'z' }, true],
    ['x>1', { x: '2' }, true],
    ['x<1', { x: '0' }, true],
    ['x in (a,b)', { x: 'b' }, true],
    ['x notin (a,b)', { y: 'a' }, true],
    ['x=', { y: 'a' }, false],
    ['x=z', {}, false],
    ['x=y', { x: 'z' }, false],
    ['x!=y,z!=w', { x: 'z', z: 'w' }, false],
    ['x', { y: 'z' }, false],
    ['!x', { x: 'z' }, false],
    ['x>1', { x: '0' }, false],
    ['x>1', { x: 'abc' }, false],
    ['x<1', { x: '2' }, false],
    ['x in (a,b)', { x: 'c' }, false],
    ['x notin (a,b)', { x: 'a' }, false],
  ];
  for (const [sel, labels, want] of cases) {
    test(`${JSON.stringify(sel)} ${want ? 'matches' : 'does not match'} ${JSON.stringify(labels)}`, () => {
      assert.equal(matches(parseSelector(sel), labels), want);
    });
  }

  test('a label named like an Object.prototype member is not mistaken for present', () => {
    assert.equal(matches(parseSelector('constructor'), {}), false);
  });
});

describe('selectorFromSet and requiresExactMatch', () => {
  test('builds key=value requirements sorted by key', () => {
    assert.equal(selectorToString(selectorFromSet({ tier: 'web', app: 'x' })), 'app=x,tier=web');
  });
  test('an empty set selects everything', () => {
    assert.equal(matches(selectorFromSet({}), { a: 'b' }), true);
  });
  test('reports the single value an equality or one-value in requirement demands', () => {
    assert.equal(requiresExactMatch(parseSelector('a=b,c in (d),e in (f,g)'), 'a'), 'b');
    assert.equal(requiresExactMatch(parseSelector('a=b,c in (d),e in (f,g)'), 'c'), 'd');
    assert.equal(requiresExactMatch(parseSelector('a=b,c in (d),e in (f,g)'), 'e'), undefined);
    assert.equal(requiresExactMatch(parseSelector('a!=b'), 'a'), undefined);
  });
});

describe('selectorFromLabelSelector', () => {
  test('a missing selector matches nothing, an empty one everything', () => {
    assert.equal(matches(selectorFromLabelSelector(undefined), {}), false);
    assert.equal(matches(selectorFromLabelSelector({}), { a: 'b' }), true);
  });

  test('combines matchLabels and matchExpressions with all four operators', () => {
    const sel = selectorFromLabelSelector({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['a', 'b'] },
        { key: 'env', operator: 'NotIn', values: ['dev'] },
        { key: 'team', operator: 'Exists' },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    });
    assert.equal(matches(sel, { app: 'web', tier: 'b', env: 'prod', team: 'x' }), true);
    assert.equal(matches(sel, { app: 'web', tier: 'b', env: 'dev', team: 'x' }), false);
    assert.equal(matches(sel, { app: 'web', tier: 'b', team: 'x', legacy: '1' }), false);
    assert.equal(matches(sel, { app: 'web', tier: 'c', team: 'x' }), false);
  });

  const errors: Array<[string, LabelSelectorSpec, string]> = [
    ['an unknown operator', { matchExpressions: [{ key: 'a', operator: 'Foo' }] }, '"Foo" is not a valid label selector operator'],
    ['In without values', { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }, "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty"],
    [
      'Exists with values',
      { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] },
      'values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist',
    ],
    ['an invalid key', { matchLabels: { 'a b': 'c' } }, `key: Invalid value: "a b": ${QUALIFIED_NAME_REGEX_MSG}`],
  ];
  for (const [name, ls, message] of errors) {
    test(`rejects ${name} with upstream's message`, () => {
      assert.throws(() => selectorFromLabelSelector(ls), (e: unknown) => e instanceof SelectorError && e.message === message);
    });
  }

  test('aggregates several requirement errors in brackets', () => {
    assert.throws(
      () => newRequirement('a b', 'in', []),
      (e: unknown) => e instanceof Error && e.message.startsWith('[key: Invalid value: "a b": ') && e.message.includes(", values: Invalid value: []string{}: "),
    );
  });
});

describe('selectorString (metav1.FormatLabelSelector)', () => {
  const cases: Array<[string, LabelSelectorSpec | null | undefined, string]> = [
    ['labels and expressions', { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] }, 'app=web,tier in (a,b)'],
    ['keys sorted across both parts', { matchLabels: { z: '1' }, matchExpressions: [{ key: 'a', operator: 'Exists' }] }, 'a,z=1'],
    ['DoesNotExist', { matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] }, '!a'],
    ['NotIn with one value', { matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['x'] }] }, 'a notin (x)'],
    ['an empty selector', {}, '<none>'],
    ['a missing selector', null, '<none>'],
    ['an invalid selector', { matchExpressions: [{ key: 'a', operator: 'Foo' }] }, '<error>'],
  ];
  for (const [name, ls, want] of cases) {
    test(`prints ${name} as ${JSON.stringify(want)}`, () => {
      assert.equal(selectorString(ls), want);
    });
  }
});

describe('validateLabelSelector', () => {
  test('accepts a valid selector', () => {
    assert.deepEqual(validateLabelSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'a', operator: 'In', values: ['b'] }] }, 'spec.selector'), []);
  });

  test('reports every problem with its field path', () => {
    const errs = validateLabelSelector(
      {
        matchLabels: { app: 'bad value' },
        matchExpressions: [
          { key: 'a', operator: 'In' },
          { key: 'b', operator: 'Exists', values: ['x'] },
          { key: 'c', operator: 'Gt', values: ['1'] },
          { key: 'd', operator: 'In', values: ['-x'] },
        ],
      },
      'spec.selector',
    ).map(fieldErrorString);
    assert.deepEqual(errs, [
      `spec.selector.matchLabels: Invalid value: "bad value": ${LABEL_VALUE_REGEX_MSG}`,
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      'spec.selector.matchExpressions[2].operator: Invalid value: "Gt": not a valid selector operator',
      `spec.selector.matchExpressions[3].values[0]: Invalid value: "-x": ${LABEL_VALUE_REGEX_MSG}`,
    ]);
  });
});
