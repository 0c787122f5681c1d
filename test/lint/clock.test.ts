// Time only through the Clock: no module but src/sim/clock.ts may read the wall clock or schedule
// timers, so that a VirtualClock can drive everything.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from '../e2e/harness.js';

const FORBIDDEN = [/\bDate\.now\(/, /new Date\(\s*\)/, /(?<![.\w])setTimeout\(/, /(?<![.\w])setInterval\(/];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (p.endsWith('.ts') && !p.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

describe('the Clock rule', () => {
  test('no source file outside src/sim/clock.ts reads the wall clock or schedules timers', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(join(repoRoot, 'src'))) {
      const rel = relative(repoRoot, file);
      if (rel === join('src', 'sim', 'clock.ts')) continue;
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        const code = line.replace(/\/\/.*$/, '');
        for (const re of FORBIDDEN) if (re.test(code)) offenders.push(`${rel}:${i + 1}: ${line.trim()}`);
      });
    }
    assert.deepEqual(offenders, []);
  });
});
