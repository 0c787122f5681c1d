import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importModelTypes, loadModelTypes } from './model-types.js';

describe('client-node model types', () => {
  test('a missing cache is written with exactly what the models barrel holds, and read back the same', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skiff-model-types-'));
    try {
      const path = join(dir, 'nested', 'types.json');
      const fresh = loadModelTypes(path);
      assert.deepEqual(fresh, importModelTypes());
      assert.ok(fresh.V1Pod?.attributeTypeMap.some((a) => a.name === 'spec' && a.type === 'V1PodSpec'));
      assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), fresh);
      assert.deepEqual(loadModelTypes(path), fresh);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an unreadable cache falls back to the import', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skiff-model-types-'));
    try {
      const path = join(dir, 'types.json');
      writeFileSync(path, '{"truncated":');
      const types = loadModelTypes(path);
      assert.ok(types.V1Deployment);
      assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), types, 'rewritten whole');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
