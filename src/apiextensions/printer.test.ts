import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/types.js';
import { findResults } from './jsonpath.js';
import { customResourcePrinter } from './printer.js';
import { cronTab, cronTabCRD } from './testdata.js';

const NOW = Date.parse('2025-01-01T01:00:00Z');

describe('jsonpath', () => {
  const data = {
    metadata: { labels: { 'app.kubernetes.io/name': 'web' } },
    spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] },
    status: { conditions: [{ type: 'Synced', status: 'False' }, { type: 'Ready', status: 'True' }] },
  };
  const cases: Array<[string, unknown[]]> = [
    ['.spec.containers[*].name', ['a', 'b']],
    ['.spec.containers[-1].image', ['y']],
    ['.spec.containers[0:1].name', ['a']],
    ['.status.conditions[?(@.type=="Ready")].status', ['True']],
    ["{.metadata.labels['app.kubernetes.io/name']}", ['web']],
    ['..image', ['x', 'y']],
    ['.spec.missing.deeper', []],
  ];
  for (const [path, want] of cases) test(`evaluates ${path}`, () => assert.deepEqual(findResults(data, path), want));
});

describe('customResourcePrinter', () => {
  test('prints NAME then the declared columns, typed as declared', () => {
    const p = customResourcePrinter(cronTabCRD(), 'v1');
    assert.deepEqual(
      p.columns.map((c) => [c.name, c.type, c.priority]),
      [['Name', 'string', 0], ['Spec', 'string', 0], ['Replicas', 'integer', 0], ['Ready', 'string', 0], ['Image', 'string', 1], ['Age', 'date', 0]],
    );
    assert.equal(p.columns[1].description, 'The cron spec defining the interval a CronJob is run');
    assert.equal(p.columns[2].description, 'Custom resource definition column (in JSONPath format): .spec.replicas');
    const obj = { ...(cronTab() as KubeObject), status: { conditions: [{ type: 'Ready', status: 'True' }] } };
    obj.metadata.creationTimestamp = '2025-01-01T00:00:00Z';
    assert.deepEqual(p.cells(obj, NOW), ['my-new-cron-object', '* * * * */5', 3, 'True', 'my-awesome-cron-image', '60m']);
  });

  test('leaves missing values empty and marks unparsable dates <invalid>', () => {
    const p = customResourcePrinter(cronTabCRD(), 'v1');
    const obj = { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'x', creationTimestamp: 'not a date' } };
    assert.deepEqual(p.cells(obj, NOW), ['x', null, null, null, null, '<invalid>']);
  });

  test('prints NAME and AGE when the version declares no columns', () => {
    const crd = cronTabCRD();
    delete crd.spec.versions[0].additionalPrinterColumns;
    const p = customResourcePrinter(crd, 'v1');
    assert.deepEqual(p.columns.map((c) => [c.name, c.type]), [['Name', 'string'], ['Age', 'date']]);
    assert.deepEqual(p.cells({ metadata: { name: 'x', creationTimestamp: '2025-01-01T00:59:30Z' } }, NOW), ['x', '30s']);
  });

  test('prints maps and lists in a string column as JSON, numbers as Go does', () => {
    const crd = cronTabCRD();
    crd.spec.versions[0].additionalPrinterColumns = [
      { name: 'Labels', type: 'string', jsonPath: '.spec.labels' },
      { name: 'Ratio', type: 'string', jsonPath: '.spec.ratio' },
    ];
    const p = customResourcePrinter(crd, 'v1');
    assert.deepEqual(p.cells({ metadata: { name: 'x' }, spec: { labels: { b: '2', a: '<1>' }, ratio: 0.5 } }, NOW), ['x', '{"a":"\\u003c1\\u003e","b":"2"}', '0.5']);
  });
});
