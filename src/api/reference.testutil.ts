// Test helper: finds the upstream Kubernetes OpenAPI v2 document that sits next to the repository
// (../shared/reference/), which tests compare skiff's tables with. It is read-only reference data and
// is never copied into the project, so tests that need it skip when it is absent.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REFERENCE_FILE = 'kubernetes-1.35-openapi-v2.json';

/** The repository root: the nearest directory above `from` holding skiff's package.json. */
function repoRoot(from: string): string | undefined {
  let dir = from;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'skiff') return dir;
      } catch {
        // Not a readable package.json: keep walking up.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The upstream OpenAPI document's shape, as far as the tests read it. */
export interface ReferenceOpenAPI {
  definitions: Record<string, { properties?: Record<string, Record<string, unknown>>; [ext: string]: unknown }>;
  paths: Record<string, Record<string, unknown>>;
}

/** Loads the reference document, or returns the reason it is unavailable (for a test's skip message). */
export function loadReferenceOpenAPI(): { doc: ReferenceOpenAPI } | { skip: string } {
  const roots = [repoRoot(dirname(fileURLToPath(import.meta.url))), repoRoot(process.cwd())].filter((r): r is string => !!r);
  for (const root of roots) {
    const file = resolve(root, '..', 'shared', 'reference', REFERENCE_FILE);
    if (existsSync(file)) return { doc: JSON.parse(readFileSync(file, 'utf8')) as ReferenceOpenAPI };
  }
  return { skip: `upstream reference ../shared/reference/${REFERENCE_FILE} is not present next to the repository` };
}
