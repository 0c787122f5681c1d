import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { defaultPrinter, printerFor, scalePrinter, toTable } from './index.js';
import { ago, DAY, headers, NOW } from './testing.js';

const role: KubeObject = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'Role',
  metadata: { name: 'app-role', namespace: 'default', resourceVersion: '812', creationTimestamp: '2025-05-30T08:15:02Z' },
  rules: [{ apiGroups: [''], resources: ['configmaps', 'secrets'], verbs: ['get', 'list'] }],
};

function pod(name: string, phase: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', resourceVersion: '90', creationTimestamp: ago(DAY) },
    spec: { containers: [{ name: 'c', image: 'i' }] },
    status: { phase },
  };
}

describe('printerFor', () => {
  const cases: [string, string, string[]][] = [
    ['', 'pods', ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']],
    ['apps', 'deployments', ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']],
    ['autoscaling', 'horizontalpodautoscalers', ['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE']],
    ['events.k8s.io', 'events', ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']],
    ['storage.k8s.io', 'storageclasses', ['NAME', 'PROVISIONER', 'RECLAIMPOLICY', 'VOLUMEBINDINGMODE', 'ALLOWVOLUMEEXPANSION', 'AGE']],
  ];
  for (const [group, resource, want] of cases) {
    test(`finds the ${group || 'core'}/${resource} printer`, () => assert.deepEqual(headers(printerFor(group, resource)!), want));
  }
  test('has no printer for roles, cluster roles or limit ranges, which use the default table', () => {
    assert.equal(printerFor('rbac.authorization.k8s.io', 'roles'), undefined);
    assert.equal(printerFor('rbac.authorization.k8s.io', 'clusterroles'), undefined);
    assert.equal(printerFor('', 'limitranges'), undefined);
  });
  test('does not confuse a resource across groups', () => assert.equal(printerFor('apps', 'pods'), undefined));
});

describe('defaultPrinter', () => {
  test('shows NAME CREATED AT with a date column', () => {
    assert.deepEqual(headers(defaultPrinter), ['NAME', 'CREATED AT']);
    assert.deepEqual(defaultPrinter.columns.map((c) => [c.type, c.format]), [['string', 'name'], ['date', '']]);
  });
  test('prints the creation time in RFC 3339 UTC', () => assert.deepEqual(defaultPrinter.cells(role, NOW), ['app-role', '2025-05-30T08:15:02Z']));
  test("prints Go's zero time when the creation time is unset", () =>
    assert.deepEqual(defaultPrinter.cells({ metadata: { name: 'x' } }, NOW), ['x', '0001-01-01T00:00:00Z']));
});

describe('scalePrinter', () => {
  test('has an unformatted Name column', () => {
    assert.deepEqual(headers(scalePrinter), ['NAME', 'DESIRED', 'AVAILABLE', 'AGE']);
    assert.equal(scalePrinter.columns[0].format, '');
  });
});

describe('toTable', () => {
  test('renders a list as a meta.k8s.io/v1 Table with PartialObjectMetadata rows by default', () => {
    const table = toTable(printerFor('', 'pods')!, { apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion: '120', continue: 'abc' }, items: [pod('a', 'Running')] }, NOW);
    assert.equal(table.kind, 'Table');
    assert.equal(table.apiVersion, 'meta.k8s.io/v1');
    assert.deepEqual(table.metadata, { resourceVersion: '120', continue: 'abc' });
    assert.equal(table.columnDefinitions?.length, 9);
    assert.deepEqual(table.rows, [
      {
        cells: ['a', '0/1', 'Running', '0', '24h', '<none>', '<none>', '<none>', '<none>'],
        object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: pod('a', 'Running').metadata },
      },
    ]);
  });
  test('embeds the whole object for includeObject=Object', () => {
    const table = toTable(defaultPrinter, [role], NOW, { includeObject: 'Object' });
    assert.deepEqual(table.rows?.[0].object, role);
  });
  test('sends a null object for includeObject=None', () => {
    const table = toTable(defaultPrinter, [role], NOW, { includeObject: 'None' });
    assert.equal(table.rows?.[0].object, null);
  });
  test("takes a single object's resourceVersion", () => assert.deepEqual(toTable(defaultPrinter, role, NOW).metadata, { resourceVersion: '812' }));
  test('omits columnDefinitions with noHeaders', () => assert.equal(toTable(defaultPrinter, [role], NOW, { noHeaders: true }).columnDefinitions, null));
  test('marks completed pods with a row condition and leaves others without', () => {
    const rows = toTable(printerFor('', 'pods')!, [pod('done', 'Succeeded'), pod('up', 'Running')], NOW).rows!;
    assert.deepEqual(rows[0].conditions, [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]);
    assert.equal('conditions' in rows[1], false);
  });
  test('renders empty rows as [] for a printer and null for the default table, as upstream serializes them', () => {
    assert.deepEqual(toTable(printerFor('', 'pods')!, [], NOW, { listMeta: { resourceVersion: '5' } }).rows, []);
    assert.equal(toTable(defaultPrinter, [], NOW).rows, null);
    assert.deepEqual(toTable(defaultPrinter, [], NOW, { listMeta: { resourceVersion: '5' } }).metadata, { resourceVersion: '5' });
  });
});
