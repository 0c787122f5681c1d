import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../../api/types.js';
import { fieldErrorString } from '../../../apimachinery/errors.js';
import { eventStrategy } from './events.js';

function event(extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: { name: 'web.17a', namespace: 'default' },
    eventTime: '2025-01-01T00:00:00.000000Z',
    reportingController: 'skiff.dev/scheduler',
    reportingInstance: 'scheduler-1',
    action: 'Binding',
    reason: 'Scheduled',
    type: 'Normal',
    note: 'Successfully assigned default/web to node-1',
    regarding: { kind: 'Pod', namespace: 'default', name: 'web', uid: 'u1', apiVersion: 'v1' },
    ...extra,
  };
}

describe('events.k8s.io/v1 Event', () => {
  test('accepts a complete new-style event', () => {
    assert.deepEqual(eventStrategy.validate(event()), []);
  });

  test('requires eventTime, reporter, action and reason', () => {
    const errs = eventStrategy.validate(event({ reportingInstance: '', action: '', reason: '' })).map(fieldErrorString);
    assert.deepEqual(errs, ['reportingInstance: Required value', 'action: Required value', 'reason: Required value']);
    assert.ok(eventStrategy.validate(event({ eventTime: undefined })).map(fieldErrorString).includes('eventTime: Required value'));
  });

  test('limits the note to 1024 characters, reported at the core path', () => {
    assert.deepEqual(eventStrategy.validate(event({ note: 'x'.repeat(1025) })).map(fieldErrorString), ['message: Invalid value: "": can have at most 1024 characters']);
  });

  test('rejects an unknown type and deprecated fields', () => {
    assert.deepEqual(eventStrategy.validate(event({ type: 'Info', deprecatedCount: 3, deprecatedSource: { component: 'kubelet' } })).map(fieldErrorString), [
      'type: Invalid value: "": has invalid value: Info',
      'count: Invalid value: "": needs to be unset',
      'source: Invalid value: "": needs to be unset',
    ]);
  });

  test('keeps what happened immutable', () => {
    const old = event();
    const next = event({ note: 'changed', series: { count: 2, lastObservedTime: '2025-01-01T00:01:00.000000Z' } });
    assert.deepEqual(eventStrategy.validateUpdate(next, old).map(fieldErrorString), ['message: Invalid value: "changed": field is immutable']);
  });

  test('selects by the core field names', () => {
    const fields = eventStrategy.selectableFields(event());
    assert.equal(fields['involvedObject.name'], 'web');
    assert.equal(fields.reportingComponent, 'skiff.dev/scheduler');
    assert.equal(fields.type, 'Normal');
  });
});

describe('events in the shared core/v1 storage shape', () => {
  test('validate with the same rules and paths', () => {
    const core: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'web.17a', namespace: 'default' },
      eventTime: '2025-01-01T00:00:00.000000Z',
      reportingComponent: 'skiff.dev/scheduler',
      reportingInstance: 'scheduler-1',
      action: 'Binding',
      reason: 'Scheduled',
      type: 'Normal',
      message: 'x'.repeat(1025),
      involvedObject: { kind: 'Pod', namespace: 'default', name: 'web' },
      count: 2,
    };
    assert.deepEqual(eventStrategy.validate(core).map(fieldErrorString), [
      'message: Invalid value: "": can have at most 1024 characters',
      'count: Invalid value: "": needs to be unset',
    ]);
    assert.equal(eventStrategy.selectableFields(core)['involvedObject.name'], 'web');
  });
});
