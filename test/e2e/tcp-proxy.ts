// A TCP proxy that can cut every connection through it at once, to break a client's watch the way a
// load balancer's idle timeout or a restarted API server does: mid-stream, without a clean HTTP end.
// It forwards bytes untouched, so TLS runs end to end between the client and skiff.
import { createServer, connect, type Server, type Socket } from 'node:net';

/** A running proxy on 127.0.0.1 in front of one TCP address. */
export interface DroppingProxy {
  /** The port clients connect to. */
  readonly port: number;
  /** How many connections have been cut so far (by dropAll). */
  readonly dropped: number;
  /** Destroys every open connection in both directions; returns how many were open. */
  dropAll(): number;
  /** Drops everything and stops listening. */
  close(): Promise<void>;
}

/** Starts a proxy that forwards 127.0.0.1:<random port> to host:port. */
export async function startDroppingProxy(host: string, port: number): Promise<DroppingProxy> {
  const open = new Set<{ client: Socket; upstream: Socket }>();
  let dropped = 0;
  const server: Server = createServer((client) => {
    const upstream = connect(port, host);
    const pair = { client, upstream };
    open.add(pair);
    const forget = () => {
      open.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', forget).on('close', forget);
    upstream.on('error', forget).on('close', forget);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no TCP address');
  const dropAll = () => {
    const n = open.size;
    for (const { client, upstream } of [...open]) {
      // resetAndDestroy sends RST, as a dropped connection looks to the peer; plain destroy would FIN.
      client.resetAndDestroy();
      upstream.destroy();
    }
    open.clear();
    dropped += n;
    return n;
  };
  return {
    port: address.port,
    get dropped() {
      return dropped;
    },
    dropAll,
    async close() {
      dropAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
