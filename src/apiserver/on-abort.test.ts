import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { onAbort } from './on-abort.js';

describe('onAbort', () => {
  test('calls every registered function once when the signal aborts, none that unregistered', () => {
    const c = new AbortController();
    const calls: string[] = [];
    onAbort(c.signal, () => calls.push('a'));
    const stopB = onAbort(c.signal, () => calls.push('b'));
    onAbort(c.signal, () => calls.push('c'));
    stopB();
    c.abort();
    c.abort();
    assert.deepEqual(calls, ['a', 'c']);
  });

  test('a function registered on an aborted signal is called soon after', async () => {
    const c = new AbortController();
    c.abort();
    let called = 0;
    onAbort(c.signal, () => called++);
    assert.equal(called, 0, 'not from inside the call');
    await Promise.resolve();
    assert.equal(called, 1);
  });

  test('the signal carries one listener however many functions wait on it', () => {
    const c = new AbortController();
    let added = 0;
    const add = c.signal.addEventListener.bind(c.signal);
    c.signal.addEventListener = ((...args: Parameters<typeof add>) => (added++, add(...args))) as typeof add;
    for (let i = 0; i < 50; i++) onAbort(c.signal, () => {})();
    assert.equal(added, 1);
  });
});
