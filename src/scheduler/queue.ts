// The scheduling queue (upstream internal/queue/scheduling_queue.go): activeQ ordered by
// PrioritySort (priority, then the time the pod entered the queue), backoffQ for pods that failed
// recently (1 s doubling to 10 s per attempt), and unschedulablePods parked until a cluster event
// one of the plugins that rejected them cares about, or at most 5 minutes. Pods with a
// nominatedNodeName are tracked for the filters' nominated-pod pass. All timers run on the clock.
import type { Pod } from '../api/objects.js';
import type { Clock, TimerHandle } from '../sim/clock.js';
import { Heap } from './heap.js';
import { PodInfo } from './nodeinfo.js';

export const DEFAULT_POD_INITIAL_BACKOFF_MS = 1_000;
export const DEFAULT_POD_MAX_BACKOFF_MS = 10_000;
/** podMaxInUnschedulablePodsDuration. */
export const POD_MAX_IN_UNSCHEDULABLE_MS = 5 * 60_000;
const BACKOFF_FLUSH_MS = 1_000;
const UNSCHEDULABLE_FLUSH_MS = 30_000;

/** A pod waiting to be scheduled and its history. */
export interface QueuedPodInfo {
  info: PodInfo;
  /** When it was last added to a queue (or last failed). */
  timestamp: number;
  attempts: number;
  initialAttemptTimestamp?: number;
  /** Plugins that rejected it in the last cycle; empty after an error. */
  unschedulablePlugins: Set<string>;
}

/** A cluster event, "<Resource>/<Action>" (Node/Add, Pod/Delete, PersistentVolumeClaim/Update, ...). */
export type ClusterEvent = string;

/**
 * Which events may make a pod rejected by each plugin schedulable (upstream EventsToRegister).
 * "Pod/Add" and "Pod/Update" mean assigned pods.
 */
export const PLUGIN_EVENTS: Record<string, readonly ClusterEvent[]> = {
  NodeUnschedulable: ['Node/Add', 'Node/Update'],
  NodeName: ['Node/Add', 'Node/Update'],
  TaintToleration: ['Node/Add', 'Node/Update', 'UnscheduledPod/Update'],
  NodeAffinity: ['Node/Add', 'Node/Update', 'UnscheduledPod/Update'],
  NodePorts: ['Pod/Delete', 'Node/Add', 'Node/Update'],
  NodeResourcesFit: ['Pod/Delete', 'Pod/Update', 'Node/Add', 'Node/Update', 'UnscheduledPod/Update'],
  VolumeBinding: ['StorageClass/Add', 'StorageClass/Update', 'PersistentVolumeClaim/Add', 'PersistentVolumeClaim/Update', 'PersistentVolume/Add', 'PersistentVolume/Update', 'Node/Add', 'Node/Update'],
  VolumeZone: ['StorageClass/Add', 'PersistentVolumeClaim/Add', 'PersistentVolumeClaim/Update', 'PersistentVolume/Add', 'PersistentVolume/Update', 'Node/Add', 'Node/Update'],
  PodTopologySpread: ['Pod/Add', 'Pod/Update', 'Pod/Delete', 'Node/Add', 'Node/Update', 'Node/Delete', 'UnscheduledPod/Update'],
  InterPodAffinity: ['Pod/Add', 'Pod/Update', 'Pod/Delete', 'Node/Add', 'Node/Update', 'UnscheduledPod/Update', 'Namespace/Add', 'Namespace/Update'],
};

export interface SchedulingQueueConfig {
  clock: Clock;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  maxInUnschedulableMs?: number;
}

export class SchedulingQueue {
  private readonly clock: Clock;
  private readonly activeQ: Heap<QueuedPodInfo>;
  private readonly backoffQ: Heap<QueuedPodInfo>;
  private readonly unschedulable = new Map<string, QueuedPodInfo>();
  private readonly inFlight = new Map<string, QueuedPodInfo>();
  private readonly initialBackoff: number;
  private readonly maxBackoff: number;
  private readonly maxInUnschedulable: number;
  private waiters: ((q: QueuedPodInfo | undefined) => void)[] = [];
  private timers: TimerHandle[] = [];
  private closed = false;
  /** Incremented by every pop: the cycle a pod was tried in. */
  schedulingCycle = 0;
  /** The cycle during which the last move request happened. */
  private moveRequestCycle = -1;
  /** nominatedNodeName → pods nominated there. */
  private readonly nominated = new Map<string, Map<string, PodInfo>>();
  private readonly nominatedNodeOf = new Map<string, string>();

  constructor(config: SchedulingQueueConfig) {
    this.clock = config.clock;
    this.initialBackoff = config.initialBackoffMs ?? DEFAULT_POD_INITIAL_BACKOFF_MS;
    this.maxBackoff = config.maxBackoffMs ?? DEFAULT_POD_MAX_BACKOFF_MS;
    this.maxInUnschedulable = config.maxInUnschedulableMs ?? POD_MAX_IN_UNSCHEDULABLE_MS;
    const key = (q: QueuedPodInfo) => q.info.key;
    this.activeQ = new Heap(key, (a, b) => {
      if (a.info.priority !== b.info.priority) return a.info.priority > b.info.priority;
      return a.timestamp < b.timestamp;
    });
    this.backoffQ = new Heap(key, (a, b) => this.backoffExpiry(a) < this.backoffExpiry(b));
  }

  /** Starts the periodic flushes (backoffQ every second, leftovers every 30 s). */
  run(): void {
    this.running = true;
    if (this.backoffQ.size > 0) this.startBackoffTicker();
    this.timers.push(this.clock.setInterval(() => this.flushUnschedulableLeftover(), UNSCHEDULABLE_FLUSH_MS));
  }

  private running = false;
  private backoffTicker?: TimerHandle;

  close(): void {
    this.closed = true;
    for (const t of this.timers) this.clock.clearInterval(t);
    this.clock.clearInterval(this.backoffTicker);
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  /** A new pending pod. */
  add(pod: Pod): void {
    const info = new PodInfo(pod);
    const q = this.newQueued(info);
    this.unschedulable.delete(info.key);
    this.backoffQ.delete(info.key);
    this.toActive(q);
    this.updateNominated(info);
  }

  /** A pending pod changed. */
  update(oldPod: Pod, newPod: Pod): void {
    const info = new PodInfo(newPod);
    const key = info.key;
    this.updateNominated(info);
    const inActive = this.activeQ.get(key);
    if (inActive) {
      this.activeQ.addOrUpdate({ ...inActive, info });
      return;
    }
    const inBackoff = this.backoffQ.get(key);
    if (inBackoff) {
      this.addToBackoff({ ...inBackoff, info });
      return;
    }
    const parked = this.unschedulable.get(key);
    if (parked) {
      const q = { ...parked, info };
      if (specChanged(oldPod, newPod)) {
        this.unschedulable.delete(key);
        if (this.isBackingOff(q)) this.addToBackoff(q);
        else this.toActive(q);
      } else {
        this.unschedulable.set(key, q);
      }
      return;
    }
    const flying = this.inFlight.get(key);
    if (flying) {
      flying.info = info;
      if (specChanged(oldPod, newPod)) this.moveRequestCycle = this.schedulingCycle;
      return;
    }
    this.toActive(this.newQueued(info));
  }

  /** A pending pod went away (deleted, or bound). */
  delete(pod: Pod): void {
    const key = `${pod.metadata.namespace ?? ''}/${pod.metadata.name}`;
    this.activeQ.delete(key);
    this.backoffQ.delete(key);
    this.unschedulable.delete(key);
    this.deleteNominated(key);
  }

  /** Waits for the highest-priority active pod; undefined once closed. */
  pop(): Promise<QueuedPodInfo | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    const q = this.take();
    if (q) return Promise.resolve(q);
    return new Promise((r) => this.waiters.push(r));
  }

  private take(): QueuedPodInfo | undefined {
    const q = this.activeQ.pop();
    if (!q) return undefined;
    q.attempts++;
    q.initialAttemptTimestamp ??= this.clock.now();
    this.schedulingCycle++;
    this.inFlight.set(q.info.key, q);
    return q;
  }

  /** The scheduling attempt of key ended (scheduled or requeued). */
  done(key: string): void {
    this.inFlight.delete(key);
  }

  isInFlight(key: string): boolean {
    return this.inFlight.has(key);
  }

  /**
   * Requeues a pod that failed in podCycle: to backoffQ if it failed with an error or something it
   * waits for changed while it was being scheduled, else parked as unschedulable.
   */
  addUnschedulableIfNotPresent(q: QueuedPodInfo, podCycle: number): void {
    const key = q.info.key;
    this.inFlight.delete(key);
    if (this.activeQ.has(key) || this.backoffQ.has(key) || this.unschedulable.has(key)) return;
    q.timestamp = this.clock.now();
    if (this.moveRequestCycle >= podCycle || q.unschedulablePlugins.size === 0) this.addToBackoff(q);
    else this.unschedulable.set(key, q);
    this.updateNominated(q.info);
  }

  /** Moves parked pods a cluster event may help into backoffQ or activeQ. */
  moveAllToActiveOrBackoffQueue(event: ClusterEvent, filter?: (q: QueuedPodInfo) => boolean): void {
    for (const [key, q] of this.unschedulable) {
      if (!podMatchesEvent(q, event)) continue;
      if (filter && !filter(q)) continue;
      this.unschedulable.delete(key);
      if (this.isBackingOff(q)) this.addToBackoff(q);
      else this.toActive(q);
    }
    this.moveRequestCycle = this.schedulingCycle;
  }

  // --- nominated pods ---

  /** Records pi as nominated to nodeName (or clears it with ""). */
  addNominatedPod(info: PodInfo, nodeName: string): void {
    this.deleteNominated(info.key);
    if (!nodeName) return;
    let m = this.nominated.get(nodeName);
    if (!m) this.nominated.set(nodeName, (m = new Map()));
    m.set(info.key, info);
    this.nominatedNodeOf.set(info.key, nodeName);
  }

  nominatedPodsForNode(nodeName: string): PodInfo[] {
    const m = this.nominated.get(nodeName);
    return m ? [...m.values()] : [];
  }

  get hasNominatedPods(): boolean {
    return this.nominatedNodeOf.size > 0;
  }

  private updateNominated(info: PodInfo): void {
    const nn = info.pod.status?.nominatedNodeName;
    if (nn) this.addNominatedPod(info, nn);
    else if (this.nominatedNodeOf.has(info.key)) this.deleteNominated(info.key);
  }

  deleteNominated(key: string): void {
    const node = this.nominatedNodeOf.get(key);
    if (node === undefined) return;
    this.nominatedNodeOf.delete(key);
    const m = this.nominated.get(node);
    m?.delete(key);
    if (m && m.size === 0) this.nominated.delete(node);
  }

  // --- introspection ---

  get activeCount(): number {
    return this.activeQ.size;
  }
  get backoffCount(): number {
    return this.backoffQ.size;
  }
  get unschedulableCount(): number {
    return this.unschedulable.size;
  }
  get inFlightCount(): number {
    return this.inFlight.size;
  }
  /** Where a pod waits: "active", "backoff", "unschedulable", or undefined. */
  whereIs(key: string): 'active' | 'backoff' | 'unschedulable' | undefined {
    if (this.activeQ.has(key)) return 'active';
    if (this.backoffQ.has(key)) return 'backoff';
    if (this.unschedulable.has(key)) return 'unschedulable';
    return undefined;
  }

  // --- internals ---

  private newQueued(info: PodInfo): QueuedPodInfo {
    return { info, timestamp: this.clock.now(), attempts: 0, unschedulablePlugins: new Set() };
  }

  private toActive(q: QueuedPodInfo): void {
    const w = this.waiters.shift();
    if (w) {
      this.activeQ.addOrUpdate(q);
      w(this.take());
      return;
    }
    this.activeQ.addOrUpdate(q);
  }

  private backoffDuration(q: QueuedPodInfo): number {
    let d = this.initialBackoff;
    for (let i = 1; i < q.attempts; i++) {
      if (d > this.maxBackoff - d) return this.maxBackoff;
      d += d;
    }
    return d;
  }

  private backoffExpiry(q: QueuedPodInfo): number {
    return q.timestamp + this.backoffDuration(q);
  }

  private isBackingOff(q: QueuedPodInfo): boolean {
    return this.backoffExpiry(q) > this.clock.now();
  }

  private flushBackoffCompleted(): void {
    for (;;) {
      const q = this.backoffQ.peek();
      if (!q) break;
      if (this.isBackingOff(q)) return;
      this.backoffQ.pop();
      this.toActive(q);
    }
    // Nothing backing off: stop ticking until a pod backs off again (an idle cluster's virtual
    // hour then costs no scheduler ticks).
    this.clock.clearInterval(this.backoffTicker);
    this.backoffTicker = undefined;
  }

  private addToBackoff(q: QueuedPodInfo): void {
    this.backoffQ.addOrUpdate(q);
    if (this.running && !this.backoffTicker) this.startBackoffTicker();
  }

  // The backoffQ is flushed once a second (flushBackoffQCompleted), while it holds pods.
  private startBackoffTicker(): void {
    if (this.closed) return;
    this.backoffTicker = this.clock.setInterval(() => this.flushBackoffCompleted(), BACKOFF_FLUSH_MS);
  }

  private flushUnschedulableLeftover(): void {
    const now = this.clock.now();
    for (const [key, q] of this.unschedulable) {
      if (now - q.timestamp <= this.maxInUnschedulable) continue;
      this.unschedulable.delete(key);
      if (this.isBackingOff(q)) this.addToBackoff(q);
      else this.toActive(q);
    }
  }
}

function podMatchesEvent(q: QueuedPodInfo, event: ClusterEvent): boolean {
  // A pod that failed with an error (no plugin to blame) retries on any event.
  if (q.unschedulablePlugins.size === 0) return true;
  for (const p of q.unschedulablePlugins) if (PLUGIN_EVENTS[p]?.includes(event)) return true;
  return false;
}

// isPodUpdated: a change besides status, resourceVersion, generation and managedFields.
function specChanged(oldPod: Pod, newPod: Pod): boolean {
  const strip = (p: Pod) => JSON.stringify({ ...p, status: undefined, metadata: { ...p.metadata, resourceVersion: undefined, generation: undefined, managedFields: undefined } });
  return strip(oldPod) !== strip(newPod);
}
