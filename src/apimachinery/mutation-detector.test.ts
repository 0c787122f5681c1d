import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CacheMutationDetector, firstDifference } from './mutation-detector.js';

const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const informerModule = pathToFileURL(fileURLToPath(new URL(`../client/informer${ext}`, import.meta.url))).href;

describe('the cache mutation detector', () => {
  test('firstDifference names the path where two objects part', () => {
    const cases: Array<[string, unknown, unknown, string]> = [
      ['equal objects', { a: { b: 1 } }, { a: { b: 1 } }, ''],
      ['a nested value', { a: { b: 1 } }, { a: { b: 2 } }, '.a.b'],
      ['an added key', { metadata: {} }, { metadata: { labels: {} } }, '.metadata.labels'],
      ['an array item', { spec: { containers: [{ name: 'a' }, { name: 'b' }] } }, { spec: { containers: [{ name: 'a' }, { name: 'c' }] } }, '.spec.containers[1].name'],
      ['a scalar root', 1, 2, '.'],
    ];
    for (const [name, a, b, want] of cases) assert.equal(firstDifference(a, b, ''), want, name);
  });

  test('an object left as it was cached passes; a changed one is reported, naming key and path', () => {
    type Obj = { metadata: { name: string; labels?: Record<string, string> } };
    const reports: string[] = [];
    const d = new CacheMutationDetector<Obj>((e) => reports.push(e.message));
    const kept: Obj = { metadata: { name: 'kept' } };
    const changed: Obj = { metadata: { name: 'changed' } };
    d.cached('default/kept', kept);
    d.cached('default/changed', changed);
    changed.metadata.labels = { touched: 'yes' };
    d.leaving('default/kept', kept);
    assert.deepEqual(reports, []);
    d.leaving('default/changed', changed);
    assert.equal(reports.length, 1);
    assert.match(reports[0], /cache mutation detected: the cached object default\/changed was modified at \.metadata\.labels/);
    // checkAll (an informer stopping) looks at what is still cached.
    const later: Obj = { metadata: { name: 'later' } };
    d.cached('default/later', later);
    later.metadata.name = 'renamed';
    d.checkAll((key) => (key === 'default/later' ? later : undefined));
    assert.match(reports[1], /default\/later was modified at \.metadata\.name/);
  });

  test('an informer under SKIFF_CACHE_MUTATION_DETECTOR crashes its process when a handler changes a cached object', () => {
    // A child process: the detector is read from the environment once, and its report is a crash.
    const script = `
      const { Indexer } = await import(process.env.INFORMER_MODULE);
      const idx = new Indexer();
      const pod = { metadata: { name: 'p', namespace: 'default', resourceVersion: '1' } };
      idx.set(pod);
      pod.metadata.labels = { changed: 'by a handler' };
      idx.set({ metadata: { name: 'p', namespace: 'default', resourceVersion: '2' } });
      await new Promise((r) => setTimeout(r, 10));
      console.log('not detected');
    `;
    const args = [...(ext === '.ts' ? ['--import', 'tsx'] : []), '--input-type=module', '-e', script];
    const run = (on: string) => spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, INFORMER_MODULE: informerModule, SKIFF_CACHE_MUTATION_DETECTOR: on } });
    const on = run('true');
    assert.notEqual(on.status, 0);
    assert.match(on.stderr, /cache mutation detected: the cached object default\/p was modified at \.metadata\.labels/);
    const off = run('');
    assert.equal(off.status, 0, off.stderr);
    assert.equal(off.stdout.trim(), 'not detected');
  });
});
