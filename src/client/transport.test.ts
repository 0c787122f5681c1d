import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpsTransport } from './transport.js';

// A plain HTTP server that writes the given chunks, each on its own turn, then ends.
async function serving(chunks: string[], fn: (t: HttpsTransport) => Promise<void>): Promise<void> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    let i = 0;
    const next = () => {
      if (i === chunks.length) return res.end();
      res.write(chunks[i++]);
      setTimeout(next, 2);
    };
    next();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const t = new HttpsTransport({ server: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  try {
    await fn(t);
  } finally {
    t.close();
    server.close();
  }
}

describe('stream lines', () => {
  const cases: { name: string; chunks: string[]; lines: string[] }[] = [
    { name: 'a line split across chunks arrives whole, once its end is in', chunks: ['{"a":', '1}', '\n'], lines: ['{"a":1}'] },
    { name: 'several lines in one chunk arrive one by one, in order', chunks: ['{"a":1}\n{"b":2}\n{"c":3}\n'], lines: ['{"a":1}', '{"b":2}', '{"c":3}'] },
    { name: 'a last line without a newline arrives when the stream ends', chunks: ['{"a":1}\n{"b":', '2}'], lines: ['{"a":1}', '{"b":2}'] },
    { name: 'blank lines are skipped', chunks: ['\n\n{"a":1}\n', '\n'], lines: ['{"a":1}'] },
    { name: 'a stream that sends nothing ends with no lines', chunks: [], lines: [] },
  ];
  for (const tc of cases) {
    test(tc.name, () =>
      serving(tc.chunks, async (t) => {
        const s = await t.stream({ method: 'GET', path: '/watch' });
        const got: string[] = [];
        for await (const l of s.lines) got.push(l);
        assert.deepEqual(got, tc.lines);
      }),
    );
  }

  test('a reader that stops early leaves the rest unread, and close ends the stream', () =>
    serving(['{"a":1}\n{"b":2}\n', '{"c":3}\n'], async (t) => {
      const s = await t.stream({ method: 'GET', path: '/watch' });
      const got: string[] = [];
      for await (const l of s.lines) {
        got.push(l);
        break;
      }
      s.close();
      assert.deepEqual(got, ['{"a":1}']);
    }),
  );
});
