import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { eventPrinter } from './events.js';
import { ago, headers, MIN, NOW, row } from './testing.js';

describe('events', () => {
  test('show LAST SEEN TYPE REASON OBJECT MESSAGE by default', () =>
    assert.deepEqual(headers(eventPrinter), ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']));
  test('add SUBOBJECT SOURCE FIRST SEEN COUNT NAME with -o wide, in upstream order', () =>
    assert.deepEqual(headers(eventPrinter, true), ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'SUBOBJECT', 'SOURCE', 'MESSAGE', 'FIRST SEEN', 'COUNT', 'NAME']));
  test('keep the name format on the wide-only Name column', () => {
    const name = eventPrinter.columns.find((c) => c.name === 'Name');
    assert.deepEqual([name?.format, name?.priority], ['name', 1]);
  });

  const backoff: KubeObject = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'api-7d9f8b6c5-x2x7k.17f3a9b2c4d5e6f7', namespace: 'production' },
    involvedObject: { kind: 'Pod', name: 'api-7d9f8b6c5-x2x7k', namespace: 'production', fieldPath: 'spec.containers{api}' },
    reason: 'BackOff',
    message: 'Back-off restarting failed container api in pod api-7d9f8b6c5-x2x7k_production\n',
    source: { component: 'kubelet', host: 'ip-10-0-1-23.ec2.internal' },
    firstTimestamp: ago(12 * MIN),
    lastTimestamp: ago(2 * MIN),
    count: 27,
    type: 'Warning',
  };

  test('print a repeated core/v1 event', () =>
    assert.deepEqual(eventPrinter.cells(backoff, NOW), [
      '2m',
      'Warning',
      'BackOff',
      'pod/api-7d9f8b6c5-x2x7k',
      'spec.containers{api}',
      'kubelet, ip-10-0-1-23.ec2.internal',
      'Back-off restarting failed container api in pod api-7d9f8b6c5-x2x7k_production',
      '12m',
      27,
      'api-7d9f8b6c5-x2x7k.17f3a9b2c4d5e6f7',
    ]));

  test('print an events.k8s.io/v1 event through the core fields', () => {
    const scheduled: KubeObject = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'api-7d9f8b6c5-x2x7k.17f3a9b2c4000000', namespace: 'production' },
      eventTime: '2025-06-01T11:55:00.000000Z',
      reportingController: 'default-scheduler',
      reportingInstance: 'default-scheduler-skiff',
      action: 'Binding',
      reason: 'Scheduled',
      regarding: { kind: 'Pod', name: 'api-7d9f8b6c5-x2x7k', namespace: 'production' },
      note: 'Successfully assigned production/api-7d9f8b6c5-x2x7k to ip-10-0-1-23.ec2.internal',
      type: 'Normal',
    };
    assert.deepEqual(row(eventPrinter, scheduled), {
      'LAST SEEN': '5m',
      TYPE: 'Normal',
      REASON: 'Scheduled',
      OBJECT: 'pod/api-7d9f8b6c5-x2x7k',
      SUBOBJECT: '',
      SOURCE: 'default-scheduler, default-scheduler-skiff',
      MESSAGE: 'Successfully assigned production/api-7d9f8b6c5-x2x7k to ip-10-0-1-23.ec2.internal',
      'FIRST SEEN': '5m',
      COUNT: 1,
      NAME: 'api-7d9f8b6c5-x2x7k.17f3a9b2c4000000',
    });
  });

  test('take last seen and count from a series', () => {
    const r = row(eventPrinter, {
      metadata: { name: 'e' },
      involvedObject: { kind: 'Node', name: 'ip-10-0-1-23.ec2.internal' },
      eventTime: ago(30 * MIN),
      series: { count: 4, lastObservedTime: ago(MIN) },
      reportingComponent: 'kubelet',
    });
    assert.deepEqual([r['LAST SEEN'], r['FIRST SEEN'], r.COUNT, r.SOURCE, r.OBJECT], ['60s', '30m', 4, 'kubelet', 'node/ip-10-0-1-23.ec2.internal']);
  });

  test('print only the kind for an event without an object name, and <unknown> without times', () => {
    const r = row(eventPrinter, { metadata: { name: 'e' }, involvedObject: { kind: 'ClusterAutoscaler' } });
    assert.deepEqual([r.OBJECT, r['LAST SEEN'], r['FIRST SEEN']], ['clusterautoscaler', '<unknown>', '<unknown>']);
  });
});
