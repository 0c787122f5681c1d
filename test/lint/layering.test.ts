// The layering of docs/architecture.md, enforced: components above client/ reach a cluster only
// through the Kubernetes API, and lower layers never import higher ones.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { repoRoot } from '../e2e/harness.js';

/** layer → the top-level src/ folders it must not import at runtime (type-only imports are fine). */
const FORBIDDEN: Record<string, string[]> = {
  sim: ['api', 'apimachinery', 'storage', 'apiserver', 'apiextensions', 'client', 'controllers', 'host', 'cli', 'addons'],
  storage: ['apiserver', 'apiextensions', 'client', 'controllers', 'host', 'cli', 'addons'],
  apimachinery: ['storage', 'apiserver', 'client', 'controllers', 'host', 'cli', 'addons'],
  api: ['storage', 'apiserver', 'client', 'controllers', 'host', 'cli', 'addons'],
  // apiextensions is an API server (upstream's apiextensions-apiserver): it builds on apiserver/.
  apiextensions: ['storage', 'client', 'controllers', 'host', 'cli'],
  addons: ['storage', 'apiserver', 'client', 'controllers', 'host', 'cli'],
  apiserver: ['client', 'controllers', 'host', 'cli'],
  client: ['storage', 'apiserver', 'controllers', 'host', 'cli'],
  controllers: ['storage', 'apiserver', 'host', 'cli', 'scheduler', 'kubelet'],
  // The scheduler and the simulated kubelets are clients of the API like the controllers.
  scheduler: ['storage', 'apiserver', 'apiextensions', 'host', 'cli', 'controllers', 'kubelet'],
  kubelet: ['storage', 'apiserver', 'apiextensions', 'host', 'cli', 'controllers', 'scheduler'],
  cloud: ['storage', 'apiserver', 'client', 'controllers', 'scheduler', 'host', 'cli', 'eks', 'eksctl'],
  // EKS reaches its clusters through the host's ClusterRuntime and the Kubernetes API; eksctl drives EKS.
  eks: ['storage', 'controllers', 'scheduler', 'host', 'cli', 'eksctl'],
  eksctl: ['storage', 'apiserver', 'controllers', 'scheduler', 'host', 'cli'],
};

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (p.endsWith('.ts') && !p.endsWith('.test.ts') && !p.includes('.testutil.') && !p.endsWith('testing.ts')) out.push(p);
  }
  return out;
}

// Runtime imports only: `import type` and `export type` disappear from the compiled code.
const IMPORT = /^\s*(?:import|export)\s+(?!type\b)[^'"]*?from\s+['"](\.[^'"]+)['"]/gm;

describe('layering', () => {
  test('no module imports a layer above its own', () => {
    const src = join(repoRoot, 'src');
    const offenders: string[] = [];
    for (const file of sourceFiles(src)) {
      const layer = relative(src, file).split('/')[0];
      const forbidden = FORBIDDEN[layer];
      if (!forbidden) continue;
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(IMPORT)) {
        const target = relative(src, resolve(dirname(file), m[1])).split('/')[0];
        if (forbidden.includes(target)) offenders.push(`${relative(repoRoot, file)} imports ${m[1]} (${layer} → ${target})`);
      }
    }
    assert.deepEqual(offenders, []);
  });
});
