// Test helpers for the workload controllers: an in-process API server with a ControllerContext
// over it, a transport that can refuse chosen requests, and a stand-in kubelet that marks pods
// Running and Ready through /status (no kubelet runs in these tests).
import type { Pod } from '../../api/objects.js';
import { startTestServer, type TestServer } from '../../apiserver/testing.js';
import { SharedInformerFactory } from '../../client/informer.js';
import { RestClient, type ResourceClient } from '../../client/rest.js';
import { InProcessTransport, type StreamResponse, type Transport, type TransportRequest, type TransportResponse } from '../../client/transport.js';
import { rfc3339 } from '../../sim/clock.js';
import type { ControllerContext } from '../context.js';
import { PODS } from '../../client/refs.js';

/** A transport whose requests a test can refuse with a Status of its choosing. */
export class GatedTransport implements Transport {
  /** Requests seen, as "METHOD path", with how many of the same were in flight when each started. */
  readonly seen: { line: string; inflight: number }[] = [];
  private readonly inflight = new Map<string, number>();
  /** Returns a Status (and its code) to refuse the request, or undefined to pass it on. */
  refuse?: (req: TransportRequest) => { code: number; reason: string; message: string } | undefined;

  constructor(readonly inner: Transport) {}

  async request(req: TransportRequest): Promise<TransportResponse> {
    const line = `${req.method} ${req.path}`;
    this.inflight.set(line, (this.inflight.get(line) ?? 0) + 1);
    this.seen.push({ line, inflight: this.inflight.get(line)! });
    try {
      // One macrotask turn, so requests sent together are seen in flight together.
      await new Promise((r) => setImmediate(r));
      const r = this.refuse?.(req);
      if (r) {
        const body = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: r.message, reason: r.reason, code: r.code };
        return { status: r.code, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(body)) };
      }
      return await this.inner.request(req);
    } finally {
      this.inflight.set(line, this.inflight.get(line)! - 1);
    }
  }

  stream(req: TransportRequest): Promise<StreamResponse> {
    return this.inner.stream(req);
  }

  close(): void {
    this.inner.close();
  }
}

export interface ControllerTest {
  t: TestServer;
  /** The admin's client. */
  client: RestClient;
  /** The transport every controller client goes through. */
  gate: GatedTransport;
  ctx: ControllerContext;
  signal: AbortSignal;
  /** Starts the shared informers (after the controllers registered theirs). */
  startInformers(): void;
  stop(): void;
}

/** An API server, an admin client, and a ControllerContext whose clients can be gated. */
export async function startControllerTest(): Promise<ControllerTest> {
  const t = await startTestServer();
  const client = new RestClient(new InProcessTransport(t.server, { username: 'kubernetes-admin', groups: ['system:masters'] }));
  const gate = new GatedTransport(
    new InProcessTransport(t.server, { username: 'system:kube-controller-manager', groups: ['system:masters', 'system:authenticated'] }),
  );
  const controllerClient = new RestClient(gate);
  const abort = new AbortController();
  const informers = new SharedInformerFactory({ client, clock: t.clock, log: () => {} });
  const ctx: ControllerContext = { clock: t.clock, informers, clientFor: () => controllerClient, log: () => {} };
  return {
    t,
    client,
    gate,
    ctx,
    signal: abort.signal,
    startInformers: () => informers.start(abort.signal),
    stop: () => {
      abort.abort();
      t.stop();
    },
  };
}

/** Marks a pod Running and Ready now (what the kubelet would report), through /status. */
export async function markReady(pods: ResourceClient<Pod>, pod: Pod, nowMs: number): Promise<Pod> {
  const fresh = await pods.get(pod.metadata.name!);
  const ts = rfc3339(nowMs);
  fresh.status = {
    ...(fresh.status ?? {}),
    phase: 'Running',
    conditions: [
      { type: 'PodScheduled', status: 'True', lastTransitionTime: ts },
      { type: 'Initialized', status: 'True', lastTransitionTime: ts },
      { type: 'ContainersReady', status: 'True', lastTransitionTime: ts },
      { type: 'Ready', status: 'True', lastTransitionTime: ts },
    ],
  };
  return pods.updateStatus(fresh);
}

/** podsClient for a namespace. */
export function podsIn(client: RestClient, namespace: string): ResourceClient<Pod> {
  return client.resource<Pod>(PODS).namespace(namespace);
}
