import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorString } from '../errors.js';
import { defaultManagerFromUserAgent, fieldManagementErrors, managerOrUserAgent } from './options.js';

describe('defaultManagerFromUserAgent', () => {
  const cases: Array<[string, string, string]> = [
    ['takes kubectl from its user agent', 'kubectl/v1.32.4 (linux/amd64) kubernetes/59526cd', 'kubectl'],
    ['takes a controller name before its version', 'kube-controller-manager/v1.32.0 (linux/amd64) kubernetes/70d3cc9/system:serviceaccount:kube-system:deployment-controller', 'kube-controller-manager'],
    ['keeps a user agent without a slash whole', 'Go-http-client', 'Go-http-client'],
    ['drops unprintable characters', 'my\u0007tool/1.0', 'mytool'],
    ['cuts to 128 bytes', `${'a'.repeat(200)}/1`, 'a'.repeat(128)],
    ['does not split a multi-byte character at the limit', `${'a'.repeat(127)}é/1`, 'a'.repeat(127)],
    ['gives an empty manager for an empty user agent', '', ''],
  ];
  for (const [name, ua, want] of cases) test(name, () => assert.equal(defaultManagerFromUserAgent(ua), want));

  test('prefers an explicit fieldManager', () => {
    assert.equal(managerOrUserAgent('helm', 'kubectl/v1.32.4'), 'helm');
    assert.equal(managerOrUserAgent('', 'kubectl/v1.32.4'), 'kubectl');
  });
});

describe('fieldManagementErrors', () => {
  const cases: Array<{ name: string; opts: Parameters<typeof fieldManagementErrors>[0]; patchType?: string; want: string[] }> = [
    { name: 'requires a fieldManager for apply', opts: {}, patchType: 'application/apply-patch+yaml', want: ['fieldManager: Required value: is required for apply patch'] },
    { name: 'forbids force on a merge patch', opts: { fieldManager: 'x', forceGiven: true }, patchType: 'application/merge-patch+json', want: ['force: Forbidden: may not be specified for non-apply patch'] },
    { name: 'allows force on apply', opts: { fieldManager: 'x', forceGiven: true }, patchType: 'application/apply-patch+yaml', want: [] },
    { name: 'rejects a manager longer than 128 bytes on create', opts: { fieldManager: 'm'.repeat(129) }, want: ['fieldManager: Too long: may not be more than 128 bytes'] },
    { name: 'rejects an unprintable manager', opts: { fieldManager: 'a\tb' }, want: ['fieldManager: Invalid value: "a\\tb": invalid character U+0009 (at position 1)'] },
    { name: 'accepts an update without a manager', opts: {}, want: [] },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(fieldManagementErrors(c.opts, c.patchType).map(fieldErrorString), c.want));
});
