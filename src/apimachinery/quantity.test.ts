import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addQuantities,
  canonicalString,
  canonicalizeQuantity,
  compareQuantities,
  ERR_FORMAT_WRONG,
  ERR_SUFFIX,
  milliValue,
  parseQuantity,
  QuantityError,
  quantityFromJSON,
  quantityFromMilli,
  quantitySign,
  quantityToString,
  subtractQuantities,
  value,
} from './quantity.js';

describe('parseQuantity and quantityToString', () => {
  // Expected strings are upstream's Quantity.String() for the same input (TestQuantityParseEmit,
  // TestQuantityString and the parse table in quantity_test.go).
  const cases: Array<[string | number, string, string]> = [
    ['1000m', '1', 'DecimalSI'],
    ['0.5', '500m', 'DecimalSI'],
    ['1Gi', '1Gi', 'BinarySI'],
    ['1024Mi', '1Gi', 'BinarySI'],
    ['1.5Gi', '1536Mi', 'BinarySI'],
    ['1000M', '1G', 'DecimalSI'],
    ['1e3', '1e3', 'DecimalExponent'],
    ['1E6', '1E6', 'DecimalExponent'],
    ['1.2e3', '1200', 'DecimalExponent'],
    ['50k', '50k', 'DecimalSI'],
    ['100.035k', '100.035k', 'DecimalSI'],
    ['10.035M', '10.035M', 'DecimalSI'],
    ['10.0350M', '10035k', 'DecimalSI'],
    ['.001Ki', '1024m', 'BinarySI'],
    ['.000001Ki', '1024u', 'DecimalSI'],
    ['.000000000001Ki', '2n', 'DecimalSI'],
    ['100.035Ki', '102435840m', 'BinarySI'],
    ['3.001n', '4n', 'DecimalSI'],
    ['0.0000000001', '1n', 'DecimalSI'],
    ['9Ei', '9223372036854775807', 'BinarySI'],
    ['0', '0', 'DecimalSI'],
    ['0Ki', '0', 'BinarySI'],
    ['-0.5', '-500m', 'DecimalSI'],
    ['-1Gi', '-1Gi', 'BinarySI'],
    ['0.1m', '100u', 'DecimalSI'],
    [1.5, '1500m', 'DecimalSI'],
    [2, '2', 'DecimalSI'],
    ['500m', '500m', 'DecimalSI'],
    ['1.5k', '1500', 'DecimalSI'],
    ['0.5Ki', '512', 'BinarySI'],
    ['100Gi', '100Gi', 'BinarySI'],
  ];
  for (const [input, printed, format] of cases) {
    test(`${JSON.stringify(input)} prints as ${JSON.stringify(printed)} (${format})`, () => {
      const q = parseQuantity(input);
      assert.equal(quantityToString(q), printed);
      assert.equal(q.format, format);
    });
  }

  test('keeps inputs verbatim where the API server does (and canonicalizes the rest)', () => {
    assert.equal(canonicalizeQuantity('+1'), '+1');
    assert.equal(canonicalizeQuantity('1.G'), '1.G');
    assert.equal(canonicalizeQuantity('1000m'), '1');
    assert.equal(canonicalString(parseQuantity('+1')), '1');
  });

  const errors: Array<[string, string]> = [
    ['', ERR_FORMAT_WRONG],
    ['abc', ERR_FORMAT_WRONG],
    [' 1', ERR_FORMAT_WRONG],
    ['1 ', ERR_FORMAT_WRONG],
    ['1.1.M', ERR_FORMAT_WRONG],
    ['1+1.0M', ERR_FORMAT_WRONG],
    ['1Q', ERR_FORMAT_WRONG],
    ['1ki', ERR_SUFFIX],
    ['0.1mi', ERR_SUFFIX],
    ['1i', ERR_SUFFIX],
    ['-3.01e-', ERR_SUFFIX],
  ];
  for (const [input, message] of errors) {
    test(`rejects ${JSON.stringify(input)} with "${message.slice(0, 30)}…"`, () => {
      assert.throws(() => parseQuantity(input), (e: unknown) => e instanceof QuantityError && e.message === message);
    });
  }

  test('the format error quotes upstream\'s regular expression', () => {
    assert.equal(ERR_FORMAT_WRONG, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
  });
});

describe('values and comparison', () => {
  const values: Array<[string, number, number]> = [
    ['100m', 100, 1],
    ['1', 1000, 1],
    ['1.5', 1500, 2],
    ['250m', 250, 1],
    ['1Gi', 1073741824000, 1073741824],
    ['1n', 1, 1],
    ['-1.5', -1500, -2],
  ];
  for (const [input, milli, whole] of values) {
    test(`${input} is ${milli} milli and rounds up to ${whole}`, () => {
      assert.equal(milliValue(parseQuantity(input)), milli);
      assert.equal(value(parseQuantity(input)), whole);
    });
  }

  const comparisons: Array<[string, string, number]> = [
    ['1Gi', '1G', 1],
    ['1000m', '1', 0],
    ['500m', '0.5', 0],
    ['1Ki', '1024', 0],
    ['-1', '1', -1],
    ['1e3', '1k', 0],
    ['128Mi', '1Gi', -1],
    ['1e100', '1E', 1],
  ];
  for (const [a, b, want] of comparisons) {
    test(`compares ${a} with ${b} as ${want}`, () => {
      assert.equal(compareQuantities(parseQuantity(a), parseQuantity(b)), want);
      assert.equal(compareQuantities(parseQuantity(b), parseQuantity(a)), -want || 0);
    });
  }
});

describe('arithmetic', () => {
  test('adds requests across formats and keeps the first non-zero format', () => {
    assert.equal(quantityToString(addQuantities(parseQuantity('500m'), parseQuantity('1.5'))), '2');
    assert.equal(quantityToString(addQuantities(parseQuantity('1Gi'), parseQuantity('512Mi'))), '1536Mi');
    assert.equal(quantityToString(addQuantities(parseQuantity('0'), parseQuantity('1Gi'))), '1Gi');
  });
  test('subtracts and builds milli quantities', () => {
    assert.equal(quantityToString(subtractQuantities(parseQuantity('2'), quantityFromMilli(250))), '1750m');
  });
});

describe('quantityFromJSON', () => {
  test('trims spaces around a string, as Quantity.UnmarshalJSON does', () => {
    assert.equal(quantityToString(quantityFromJSON(' 1Gi ')!), '1Gi');
  });
  test('reads a JSON number', () => {
    assert.equal(quantityToString(quantityFromJSON(1.5)!), '1500m');
  });
  for (const bad of ['abc', '1.2.3', '5 Gi', '1Xi', '1ki', null, true, {}, Number.NaN]) {
    test(`gives undefined for ${String(bad)}`, () => assert.equal(quantityFromJSON(bad), undefined));
  }
  test('signs quantities as Quantity.Sign', () => {
    assert.deepEqual(['-1m', '0', '0Ki', '1n'].map((s) => quantitySign(parseQuantity(s))), [-1, 0, 0, 1]);
  });
});
