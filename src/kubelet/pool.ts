// Many simulated kubelets in one process (kwok's shape): one shared pod informer indexed by
// spec.nodeName routes each pod to its node's kubelet, one timer queue carries every node's and
// pod's due work, and lease renewals are spread over the renew interval. The pool is also the API
// server's way to the kubelets' logs (KubeletConnection) and the source of container usage.
import type { Node, Pod } from '../api/objects.js';
import type { KubeObject } from '../api/types.js';
import { badRequest, StatusError } from '../apimachinery/errors.js';
import type { ContainerLogRequest, KubeletConnection } from '../apiserver/pod-subresources.js';
import { EventRecorder } from '../client/events.js';
import { DeletedFinalStateUnknown, stderrLogger, type Logger, type SharedInformer, type SharedInformerFactory } from '../client/informer.js';
import type { RestClient } from '../client/rest.js';
import type { Clock } from '../sim/clock.js';
import { logTimestamp, type ContainerLog, type LogLine } from './logs.js';
import { SimKubelet } from './node.js';
import type { PodWorker } from './pod-worker.js';
import { TimerQueue } from './timers.js';
import type { SimNodeSpec } from './types.js';
import type { ContainerUsage } from './usage.js';
import { CONFIGMAPS, NODES, PODS, PVCS, SECRETS } from '../client/refs.js';

export interface KubeletPoolConfig {
  /** A client with the rights of the kubelets (nodes, leases, pods/status, events, secrets, ...). */
  client: RestClient;
  informers: SharedInformerFactory;
  clock: Clock;
  log?: Logger;
}

/** The pod index the pool routes by. */
export const NODE_NAME_INDEX = 'spec.nodeName';

export class KubeletPool implements KubeletConnection {
  private readonly kubelets = new Map<string, SimKubelet>();
  private readonly started = new Set<string>();
  private readonly timers: TimerQueue;
  private readonly log: Logger;
  private readonly pods: SharedInformer<Pod>;
  private readonly nodes: SharedInformer<Node>;
  private readonly secrets: SharedInformer<KubeObject>;
  private readonly configMaps: SharedInformer<KubeObject>;
  private readonly claims: SharedInformer<KubeObject>;
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly recorders = new Map<string, EventRecorder>();
  private running = false;
  private signal?: AbortSignal;
  private nextRange = 0;

  constructor(private readonly config: KubeletPoolConfig) {
    this.log = config.log ?? stderrLogger;
    this.timers = new TimerQueue(config.clock, (e) => this.log('kubelet: timer failed', e));
    this.pods = config.informers.forResource<Pod>(PODS);
    this.pods.addIndexers({ [NODE_NAME_INDEX]: (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []) });
    this.nodes = config.informers.forResource<Node>(NODES);
    this.secrets = config.informers.forResource(SECRETS);
    this.configMaps = config.informers.forResource(CONFIGMAPS);
    this.claims = config.informers.forResource(PVCS);
  }

  // ---- nodes ------------------------------------------------------------------------------------

  /** Adds a node; it registers as soon as the pool runs. */
  addNode(spec: SimNodeSpec): void {
    if (this.kubelets.has(spec.name)) throw new Error(`node ${spec.name} is already simulated`);
    const recorder = new EventRecorder({ client: this.config.client, clock: this.config.clock, source: { component: 'kubelet', host: spec.name }, log: this.log });
    this.recorders.set(spec.name, recorder);
    const index = this.nextRange++;
    const kubelet = new SimKubelet(spec, {
      client: this.config.client,
      clock: this.config.clock,
      timers: this.timers,
      recorder,
      nodes: this.nodes.lister,
      secrets: this.secrets.lister,
      configMaps: this.configMaps.lister,
      claims: this.claims.lister,
      log: this.log,
      track: (p) => this.track(p),
      defaultPodRange: `10.${244 + Math.floor(index / 256)}.${index % 256}.0/24`,
    });
    this.kubelets.set(spec.name, kubelet);
    if (this.running) void this.startKubelet(kubelet);
  }

  /** Stops a node's kubelet (its pods stop being simulated); deleteNode also removes the Node. */
  async removeNode(name: string, opts: { deleteNode?: boolean } = {}): Promise<void> {
    const k = this.kubelets.get(name);
    if (!k) return;
    k.stop();
    this.kubelets.delete(name);
    this.started.delete(name);
    this.recorders.delete(name);
    if (opts.deleteNode) {
      try {
        await this.track(this.config.client.resource(NODES).delete(name));
      } catch (e) {
        if (!(e instanceof StatusError && e.code === 404)) throw e;
      }
    }
  }

  /** The node stops renewing its Lease and posting status (and pods), as a dead kubelet. */
  pauseHeartbeats(name: string): void {
    this.kubelet(name).pause();
  }

  resumeHeartbeats(name: string): void {
    this.kubelet(name).resume();
  }

  /** The names of the simulated nodes. */
  nodeNames(): string[] {
    return [...this.kubelets.keys()];
  }

  private kubelet(name: string): SimKubelet {
    const k = this.kubelets.get(name);
    if (!k) throw new Error(`node ${name} is not simulated`);
    return k;
  }

  // ---- running ----------------------------------------------------------------------------------

  /** Starts the informers and every kubelet; returns at once. Aborting stops everything. */
  start(signal: AbortSignal): void {
    if (this.signal) return;
    this.signal = signal;
    signal.addEventListener(
      'abort',
      () => {
        this.running = false;
        for (const k of this.kubelets.values()) k.stop();
        this.timers.stop();
      },
      { once: true },
    );
    this.pods.addEventHandler({
      onAdd: (p) => this.route(p),
      onUpdate: (_old, p) => this.route(p),
      onDelete: (obj) => {
        const p = obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
        const k = p.spec?.nodeName ? this.kubelets.get(p.spec.nodeName) : undefined;
        k?.podDeleted(p.metadata.uid!);
      },
    });
    const wake = (o: KubeObject | DeletedFinalStateUnknown) => {
      const obj = o instanceof DeletedFinalStateUnknown ? (o.obj as KubeObject) : o;
      const ns = obj.metadata.namespace ?? '';
      for (const k of this.kubelets.values()) k.wakeBlocked(ns);
    };
    for (const inf of [this.secrets, this.configMaps, this.claims]) inf.addEventHandler({ onAdd: wake, onUpdate: (_o, n) => wake(n) });
    this.config.informers.start(signal);
    void Promise.all([this.pods, this.nodes, this.secrets, this.configMaps, this.claims].map((i) => i.waitForSync())).then(() => {
      if (signal.aborted) return;
      this.running = true;
      for (const k of this.kubelets.values()) void this.startKubelet(k);
    });
  }

  private async startKubelet(k: SimKubelet): Promise<void> {
    if (this.started.has(k.name)) return;
    this.started.add(k.name);
    try {
      await k.start();
    } catch (e) {
      this.log(`kubelet ${k.name}: failed to start`, e);
      return;
    }
    if (this.kubelets.get(k.name) !== k) return;
    for (const p of this.pods.indexer.byIndex(NODE_NAME_INDEX, k.name)) k.podChanged(p);
  }

  private route(pod: Pod): void {
    const name = pod.spec?.nodeName;
    if (!name || !this.started.has(name)) return;
    this.kubelets.get(name)?.podChanged(pod);
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inflight.add(p);
    const done = () => this.inflight.delete(p);
    p.then(done, done);
    return p;
  }

  /** Resolves once no kubelet write or event is in flight (for tests). */
  async whenIdle(): Promise<void> {
    for (let i = 0; i < 100; i++) {
      await Promise.allSettled([...this.inflight]);
      await Promise.all([...this.kubelets.values()].map((k) => k.idle()));
      await Promise.all([...this.recorders.values()].map((r) => r.flush()));
      await new Promise<void>((r) => setImmediate(r));
      if (this.inflight.size === 0 && ![...this.kubelets.values()].some((k) => k.busy)) return;
    }
  }

  // ---- usage ------------------------------------------------------------------------------------

  private workerFor(namespace: string, pod: string): { kubelet: SimKubelet; worker: PodWorker } | undefined {
    const p = this.pods.lister.get(namespace, pod);
    const k = p?.spec?.nodeName ? this.kubelets.get(p.spec.nodeName) : undefined;
    const w = k?.worker(p!.metadata.uid!);
    return k && w ? { kubelet: k, worker: w } : undefined;
  }

  /** Per-container usage of a running pod (cpu millicores, memory bytes); undefined if not running here. */
  usage(namespace: string, pod: string): ContainerUsage[] | undefined {
    const found = this.workerFor(namespace, pod);
    if (!found || found.kubelet.isPaused) return undefined;
    return found.worker.usage(this.config.clock.now());
  }

  // ---- logs (KubeletConnection) -------------------------------------------------------------

  async containerLogs(req: ContainerLogRequest, write: (chunk: string) => void, signal: AbortSignal): Promise<void> {
    const k = this.kubelets.get(req.nodeName);
    if (!k || k.isPaused) {
      const ip = k?.spec.addresses.internalIP ?? req.nodeName;
      throw new StatusError({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `Get "https://${ip}:10250/containerLogs/${req.namespace}/${req.pod}/${req.container}": dial tcp ${ip}:10250: connect: no route to host`,
        code: 500,
      });
    }
    const w = k.worker(req.podUID);
    if (!w) {
      throw new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `pod "${req.pod}" does not exist`, reason: 'NotFound', code: 404 });
    }
    const containerID = validateContainerLogStatus(req.pod, w.statusNow(), req.container, req.previous);
    const log = w.instanceLog(req.container, containerID);
    if (!log) throw badRequest(`container "${req.container}" in pod "${req.pod}" is not available`);
    await streamLog(log, req, write, signal, this.config.clock, this.timers);
  }
}

/** The kubelet's validateContainerLogStatus: which instance's log, or why there is none. */
export function validateContainerLogStatus(podName: string, status: NonNullable<Pod['status']>, container: string, previous: boolean): string {
  const s = [...(status.containerStatuses ?? []), ...(status.initContainerStatuses ?? []), ...(status.ephemeralContainerStatuses ?? [])].find((c) => c.name === container);
  if (!s) throw badRequest(`container "${container}" in pod "${podName}" is not available`);
  const last = s.lastState?.terminated;
  const { waiting, running, terminated } = s.state ?? {};
  if (previous) {
    if (!last?.containerID) throw badRequest(`previous terminated container "${container}" in pod "${podName}" not found`);
    return last.containerID;
  }
  if (running) return s.containerID!;
  if (terminated) {
    if (terminated.containerID) return terminated.containerID;
    if (last?.containerID) return last.containerID;
    throw badRequest(`container "${container}" in pod "${podName}" is terminated`);
  }
  if (last) {
    if (!last.containerID) throw badRequest(`container "${container}" in pod "${podName}" is terminated`);
    return last.containerID;
  }
  if (waiting) {
    if (waiting.reason === 'ErrImagePull') throw badRequest(`container "${container}" in pod "${podName}" is waiting to start: image can't be pulled`);
    if (waiting.reason === 'ImagePullBackOff') throw badRequest(`container "${container}" in pod "${podName}" is waiting to start: trying and failing to pull image`);
    throw badRequest(`container "${container}" in pod "${podName}" is waiting to start: ${waiting.reason}`);
  }
  throw badRequest(`container "${container}" in pod "${podName}" is waiting to start - no logs yet`);
}

/** Writes a log as the kubelet's ReadLogs does: tail, then since, timestamps, byte limit, follow. */
async function streamLog(log: ContainerLog, req: ContainerLogRequest, write: (chunk: string) => void, signal: AbortSignal, clock: Clock, timers: TimerQueue): Promise<void> {
  const since = req.sinceTime ? Date.parse(req.sinceTime) : req.sinceSeconds !== undefined ? clock.now() - req.sinceSeconds * 1000 : undefined;
  let budget = req.limitBytes ?? Infinity;
  const format = (l: LogLine) => (req.timestamps ? `${logTimestamp(l.ts)} ${l.text}\n` : `${l.text}\n`);
  // Returns false once the byte limit is spent.
  const emit = (lines: LogLine[]): boolean => {
    let out = '';
    for (const l of lines) {
      if (since !== undefined && l.ts < since) continue;
      const text = format(l);
      const bytes = Buffer.byteLength(text);
      if (bytes > budget) {
        out += Buffer.from(text).subarray(0, budget).toString('utf8');
        budget = 0;
        break;
      }
      budget -= bytes;
      out += text;
    }
    if (out) write(out);
    return budget > 0;
  };
  log.produce(clock.now());
  let lines = log.ring.lines();
  if (req.tailLines !== undefined) lines = req.tailLines === 0 ? [] : lines.slice(-req.tailLines);
  // An empty first write tells the caller the stream has started (headers may go out).
  write('');
  let seen = log.ring.pushed;
  if (!emit(lines) || !req.follow) return;
  while (!signal.aborted && !log.stopped) {
    const due = log.nextDue();
    // Wake on the next line due, on a line or stop the container writes, or on the client leaving.
    await new Promise<void>((resolve) => {
      let settled = false;
      const finish = () => {
        if (settled) return;
        settled = true;
        timers.cancel(task);
        signal.removeEventListener('abort', finish);
        resolve();
      };
      const task = due !== Infinity ? timers.at(due, finish) : undefined;
      signal.addEventListener('abort', finish, { once: true });
      void log.changed().then(finish);
    });
    log.produce(clock.now());
    const fresh = log.ring.linesAfter(seen);
    seen = log.ring.pushed;
    if (!emit(fresh)) return;
  }
}
