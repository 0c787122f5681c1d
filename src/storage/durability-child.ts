// Child process for durability.test.ts: writes keys into a SqliteStore as fast as it can and
// prints each key on stdout only after its create resolved (i.e. after the commit), so every
// printed key is an acknowledged write. The parent kills this process with SIGKILL mid-stream.
// (Named so that `node --test` does not pick it up as a test file.)

import { pathToFileURL } from 'node:url';
import { SqliteStore } from './sqlite.js';

/** The value the parent expects to find for key. */
export const durableValue = (key: string) => `{"key":"${key}","payload":"${'x'.repeat(200)}"}`;

// Only when run as a program: the test imports durableValue from this module too.
const path = process.argv[2];
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && path) {
  const store = SqliteStore.open(path, { fsync: process.argv[3] === 'fsync' });
  let next = 0;
  const writer = async () => {
    for (;;) {
      const key = `/durable/${String(next++).padStart(8, '0')}`;
      await store.create(key, durableValue(key));
      // Writes to a pipe are synchronous on Linux, so the line is out before the next commit.
      process.stdout.write(`${key}\n`);
    }
  };
  // Several writers keep group commits busy, as concurrent API requests would.
  for (let i = 0; i < 16; i++) void writer();
}
