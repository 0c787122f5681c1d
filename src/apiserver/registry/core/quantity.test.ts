import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compareQuantities, parseQuantity, quantityString } from './quantity.js';

describe('quantity', () => {
  const canonical: Array<[unknown, string]> = [
    ['500m', '500m'],
    ['0.5', '500m'],
    ['1000m', '1'],
    ['1.5k', '1500'],
    ['1024Mi', '1Gi'],
    ['1.5Gi', '1536Mi'],
    ['0.5Ki', '512'],
    [2, '2'],
    ['100Gi', '100Gi'],
    ['1e3', '1e3'],
    ['-1Gi', '-1Gi'],
  ];
  for (const [input, out] of canonical) {
    test(`prints ${JSON.stringify(input)} as ${out}`, () => assert.equal(quantityString(parseQuantity(input)!), out));
  }
  for (const bad of ['', 'abc', '1.2.3', '5 Gi', 'Gi', '1Xi']) {
    test(`rejects ${JSON.stringify(bad)}`, () => assert.equal(parseQuantity(bad), undefined));
  }
  test('compares across units', () => {
    assert.equal(compareQuantities(parseQuantity('1Gi')!, parseQuantity('1024Mi')!), 0);
    assert.equal(compareQuantities(parseQuantity('1')!, parseQuantity('500m')!), 1);
    assert.equal(compareQuantities(parseQuantity('128Mi')!, parseQuantity('1G')!), -1);
  });
});
