// The storage layer's public face: the contract, the backends, and the compactor.

import { MemoryStore } from './memory.js';
import { SqliteStore } from './sqlite.js';
import type { Store } from './store.js';

export * from './store.js';
export { MemoryStore } from './memory.js';
export { SqliteStore } from './sqlite.js';
export { startCompactor, defaultCompactionIntervalMs } from './compactor.js';

/** Opens a backend by name; sqlite without a path is a private in-memory database. */
export function openStore(kind: 'sqlite' | 'memory', path?: string): Store {
  switch (kind) {
    case 'sqlite':
      return SqliteStore.open(path ?? ':memory:');
    case 'memory':
      return new MemoryStore();
  }
}
