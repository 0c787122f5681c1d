import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { hasServerFlags, SERVER_NODE_FLAGS } from './node-flags.js';

const repo = (p: string) => fileURLToPath(new URL(`../../../${p}`, import.meta.url));

describe('the flags skiff runs with', () => {
  test('bin/skiff.js starts node with them', () => {
    const shebang = readFileSync(repo('bin/skiff.js'), 'utf8').split('\n')[0];
    assert.equal(shebang, `#!/usr/bin/env -S node ${SERVER_NODE_FLAGS.join(' ')}`);
  });

  test('npm start runs the cluster with them', () => {
    const scripts = JSON.parse(readFileSync(repo('package.json'), 'utf8')).scripts as Record<string, string>;
    assert.match(scripts.start, new RegExp(`node ${SERVER_NODE_FLAGS.join(' ')} bin/skiff\\.js up`));
  });

  const cases: { name: string; execArgv: string[]; want: boolean }[] = [
    { name: 'a process started with them has them', execArgv: ['--expose-gc', ...SERVER_NODE_FLAGS], want: true },
    { name: 'a process started without them lacks them', execArgv: ['--expose-gc'], want: false },
    { name: 'another semi-space size is not theirs', execArgv: ['--max-semi-space-size=16'], want: false },
  ];
  for (const c of cases) test(c.name, () => assert.equal(hasServerFlags(c.execArgv), c.want));
});
