// Test helpers for code built on the client: a transport whose watches a test can drop or hold
// back (to force reconnects and 410s at chosen moments), and a poll that lets virtual time and
// pending promises run until a condition holds.
import type { VirtualClock } from '../sim/clock.js';
import type { StreamResponse, Transport, TransportRequest, TransportResponse } from './transport.js';

/** Wraps a transport so tests can drop every open watch and hold new ones until released. */
export class ControllableTransport implements Transport {
  private readonly open = new Set<StreamResponse>();
  private gate?: Promise<void>;
  private openGate?: () => void;
  private epoch = 0;
  /** Streams opened so far (watches). */
  streams = 0;

  constructor(readonly inner: Transport) {}

  request(req: TransportRequest): Promise<TransportResponse> {
    return this.inner.request(req);
  }

  async stream(req: TransportRequest): Promise<StreamResponse> {
    while (this.gate) await this.gate;
    const epoch = this.epoch;
    const s = await this.inner.stream(req);
    this.streams++;
    // A stream that was still connecting when the test dropped streams is dropped too.
    if (epoch !== this.epoch) s.close();
    else this.open.add(s);
    return {
      ...s,
      close: () => {
        this.open.delete(s);
        s.close();
      },
    };
  }

  /** Ends every open stream, as a dropped connection or a restarted server would. */
  dropStreams(): void {
    this.epoch++;
    for (const s of [...this.open]) {
      this.open.delete(s);
      s.close();
    }
  }

  /** Makes new streams wait until release(). */
  hold(): void {
    if (this.gate) return;
    this.gate = new Promise((r) => (this.openGate = r));
  }

  release(): void {
    const open = this.openGate;
    this.gate = undefined;
    this.openGate = undefined;
    open?.();
  }

  get openStreams(): number {
    return this.open.size;
  }

  close(): void {
    this.dropStreams();
    this.inner.close();
  }
}

/** Lets pending callbacks run (a few macrotask turns). */
export async function settle(turns = 10): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((r) => setImmediate(r));
}

/**
 * Polls cond, letting promises settle and (given a clock) virtual time move stepMs per round, until
 * it holds; fails after maxRounds with what describe() says.
 */
export async function eventually(
  cond: () => boolean | Promise<boolean>,
  opts: { clock?: VirtualClock; stepMs?: number; maxRounds?: number; describe?: () => string } = {},
): Promise<void> {
  const rounds = opts.maxRounds ?? 500;
  for (let i = 0; i < rounds; i++) {
    if (await cond()) return;
    if (opts.clock) await opts.clock.advance(opts.stepMs ?? 100);
    else await settle(2);
  }
  throw new Error(`condition not met after ${rounds} rounds${opts.describe ? `: ${opts.describe()}` : ''}`);
}
