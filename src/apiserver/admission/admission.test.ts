import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AdmissionChain, type AdmissionAttributes, type AdmissionPlugin } from './admission.js';
import { RESOURCES } from '../../api/resources.js';

const attrs = (): AdmissionAttributes => ({
  operation: 'CREATE',
  resource: RESOURCES.find((r) => r.resource === 'pods')!,
  namespace: 'default',
  name: 'p',
  subresource: '',
  object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } },
  user: { username: 'u', groups: [] },
  dryRun: false,
});

// A plugin that records its calls; async plugins answer on a later turn.
function plugin(name: string, calls: string[], opts: { async?: boolean; rejectIn?: 'admit' | 'validate' } = {}): AdmissionPlugin {
  const step = (phase: 'admit' | 'validate') => () => {
    const done = () => {
      calls.push(`${name}.${phase}`);
      if (opts.rejectIn === phase) throw new Error(`${name} denies`);
    };
    if (!opts.async) return done();
    return new Promise<void>((resolve, reject) => setImmediate(() => {
      try {
        done();
        resolve();
      } catch (e) {
        reject(e as Error);
      }
    }));
  };
  return { name, admit: step('admit'), validate: step('validate') };
}

describe('AdmissionChain', () => {
  const cases: { name: string; plugins: (calls: string[]) => AdmissionPlugin[]; atOnce: boolean; calls: string[]; error?: string }[] = [
    {
      name: 'runs every admit, then every validate, in order, and answers at once when no plugin is async',
      plugins: (c) => [plugin('a', c), plugin('b', c)],
      atOnce: true,
      calls: ['a.admit', 'b.admit', 'a.validate', 'b.validate'],
    },
    {
      name: 'waits for an async plugin before the next one runs',
      plugins: (c) => [plugin('a', c), plugin('b', c, { async: true }), plugin('c', c)],
      atOnce: false,
      calls: ['a.admit', 'b.admit', 'c.admit', 'a.validate', 'b.validate', 'c.validate'],
    },
    {
      name: 'an async rejection stops the chain there',
      plugins: (c) => [plugin('a', c, { async: true, rejectIn: 'admit' }), plugin('b', c)],
      atOnce: false,
      calls: ['a.admit'],
      error: 'a denies',
    },
    {
      name: 'a synchronous rejection throws at once and stops the chain',
      plugins: (c) => [plugin('a', c), plugin('b', c, { rejectIn: 'validate' }), plugin('c', c)],
      atOnce: true,
      calls: ['a.admit', 'b.admit', 'c.admit', 'a.validate', 'b.validate'],
      error: 'b denies',
    },
    { name: 'an empty chain admits everything at once', plugins: () => [], atOnce: true, calls: [] },
  ];
  for (const tc of cases) {
    test(tc.name, async () => {
      const calls: string[] = [];
      const chain = new AdmissionChain(tc.plugins(calls));
      let result: Promise<void> | undefined;
      let thrown: unknown;
      try {
        result = chain.run(attrs());
      } catch (e) {
        thrown = e;
      }
      assert.equal(result === undefined, tc.atOnce);
      if (result) await result.catch((e) => (thrown = e));
      assert.equal((thrown as Error | undefined)?.message, tc.error);
      assert.deepEqual(calls, tc.calls);
    });
  }
});
