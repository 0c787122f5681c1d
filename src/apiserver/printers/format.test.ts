import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  accessModesString,
  canonicalQuantity,
  formatLabels,
  formatLabelSelector,
  humanDuration,
  layoutContainerCells,
  listWithMore,
  labelSelectorAsString,
  shortHumanDuration,
  translateTimestampSince,
} from './format.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const Y = 365 * D;

describe('humanDuration', () => {
  const cases: [string, number, string][] = [
    ['tolerates one second of clock skew as 0s', -1.5 * S, '0s'],
    ['calls more than a second in the future invalid', -2 * S, '<invalid>'],
    ['shows whole seconds below two minutes', 119 * S + 999, '119s'],
    ['shows minutes and seconds from two to ten minutes', 3 * M + 20 * S, '3m20s'],
    ['drops zero seconds', 5 * M, '5m'],
    ['shows only minutes from ten minutes to three hours', 179 * M + 59 * S, '179m'],
    ['shows hours and minutes from three to eight hours', 5 * H + 3 * M, '5h3m'],
    ['drops zero minutes', 3 * H, '3h'],
    ['shows only hours from eight to 48 hours', 47 * H + 59 * M, '47h'],
    ['shows days and hours from two to eight days', 2 * D + 5 * H, '2d5h'],
    ['drops zero hours', 3 * D, '3d'],
    ['shows only days from eight days to two years', 45 * D + 23 * H, '45d'],
    ['shows years and days from two to eight years', 3 * Y + 45 * D, '3y45d'],
    ['drops zero days', 2 * Y, '2y'],
    ['shows only years past eight years', 9 * Y + 100 * D, '9y'],
  ];
  for (const [name, ms, want] of cases) test(name, () => assert.equal(humanDuration(ms), want));
});

describe('shortHumanDuration', () => {
  const cases: [number, string][] = [
    [59 * S, '59s'],
    [59 * M + 59 * S, '59m'],
    [23 * H, '23h'],
    [364 * D, '364d'],
    [3 * Y + 10 * D, '3y'],
    [-3 * S, '<invalid>'],
  ];
  for (const [ms, want] of cases) test(`prints ${ms}ms as ${want}`, () => assert.equal(shortHumanDuration(ms), want));
});

describe('translateTimestampSince', () => {
  const now = Date.parse('2025-06-01T12:00:00Z');
  test('prints the age of a timestamp', () => assert.equal(translateTimestampSince('2025-06-01T11:56:40Z', now), '3m20s'));
  test('prints <unknown> for a missing timestamp', () => assert.equal(translateTimestampSince(undefined, now), '<unknown>'));
  test("prints <unknown> for Go's zero time", () => assert.equal(translateTimestampSince('0001-01-01T00:00:00Z', now), '<unknown>'));
});

describe('label selectors', () => {
  test('formats a label map sorted by key', () => assert.equal(formatLabels({ tier: 'web', app: 'api' }), 'app=api,tier=web'));
  test('formats an empty label map as <none>', () => assert.equal(formatLabels({}), '<none>'));
  test('orders requirements by key and sorts set values', () => {
    assert.equal(
      labelSelectorAsString({
        matchLabels: { app: 'api' },
        matchExpressions: [
          { key: 'zone', operator: 'In', values: ['us-east-1b', 'us-east-1a'] },
          { key: 'canary', operator: 'DoesNotExist' },
          { key: 'env', operator: 'NotIn', values: ['dev'] },
          { key: 'gpu', operator: 'Exists' },
        ],
      }),
      'app=api,!canary,env notin (dev),gpu,zone in (us-east-1a,us-east-1b)',
    );
  });
  test('formats an empty selector as <none>', () => assert.equal(formatLabelSelector({}), '<none>'));
  test('prints a missing selector as the empty string', () => assert.equal(labelSelectorAsString(undefined), ''));
  test('reports an unknown operator as unconvertible', () => assert.equal(labelSelectorAsString({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }), undefined));
  test('formats an invalid selector as <error>', () =>
    assert.equal(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }), '<error>'));
});

describe('cell helpers', () => {
  test('lays containers out comma-separated', () =>
    assert.deepEqual(layoutContainerCells([{ name: 'app', image: 'api:1' }, { name: 'proxy', image: 'envoy:1.30' }]), ['app,proxy', 'api:1,envoy:1.30']));
  test('lists three entries and counts the rest', () => assert.equal(listWithMore(['a', 'b', 'c', 'd', 'e'], 3), 'a,b,c + 2 more...'));
  test('prints <unset> for an empty list', () => assert.equal(listWithMore([], 3), '<unset>'));
  test('prints quantities in canonical form', () => assert.deepEqual([canonicalQuantity('0.5'), canonicalQuantity('1536Mi'), canonicalQuantity('2000m')], ['500m', '1536Mi', '2']));
  test('abbreviates access modes in a fixed order', () => assert.equal(accessModesString(['ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOnce']), 'RWO,RWX'));
});
