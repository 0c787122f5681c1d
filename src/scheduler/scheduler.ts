// kube-scheduler as a client of the API (upstream pkg/scheduler: scheduler.go, schedule_one.go,
// eventhandlers.go): informers feed the cache and the scheduling queue; one loop pops the most
// important pending pod and runs a synchronous scheduling cycle on a snapshot (filter, score,
// select, assume); the binding cycle (PreBind volumes, pods/binding) runs asynchronously so the
// next pod is scheduled while the API call is in flight. Failures record FailedScheduling and the
// PodScheduled=False condition with upstream's messages; DefaultPreemption runs as PostFilter.
import { jsonEqual } from '../apimachinery/json.js';
import type { Namespace, Node, PersistentVolume, PersistentVolumeClaim, Pod, PodDisruptionBudget, ReplicaSet, Service, StatefulSet, StorageClass } from '../api/objects.js';
import type { KubeObject } from '../api/types.js';
import { EventRecorder } from '../client/events.js';
import { DeletedFinalStateUnknown, stderrLogger, type Logger, type SharedInformer, type SharedInformerFactory } from '../client/informer.js';
import { isNotFound, type RestClient } from '../client/rest.js';
import { defer, rfc3339, type Clock } from '../sim/clock.js';
import { Cache } from './cache.js';
import { FitError, NO_NODE_AVAILABLE_MSG } from './fit-error.js';
import { Framework } from './framework.js';
import { PodInfo } from './nodeinfo.js';
import { ANN_BOUND_BY_CONTROLLER, ANN_SELECTED_NODE, claimBound, type PodVolumes } from './plugins/volumes.js';
import { DefaultPreemption } from './preemption.js';
import { SchedulingQueue, type ClusterEvent, type QueuedPodInfo } from './queue.js';
import { Code, CycleState, Status } from './types.js';
import { NAMESPACES, NODES, PDBS, PODS, PVCS, PVS, REPLICASETS, SERVICES, STATEFULSETS, STORAGE_CLASSES } from '../client/refs.js';

/** Re-exported for bench/scheduler.bench.ts, which imports them from here. */
export { NODES, PODS } from '../client/refs.js';

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';
/** How long PreBind waits for the PV binder (bindTimeoutSeconds). */
export const BIND_TIMEOUT_MS = 600_000;
// events.k8s.io note length limit: longer messages are cut (truncateMessage).
const NOTE_LENGTH_LIMIT = 1024;

export interface SchedulerConfig {
  client: RestClient;
  informers: SharedInformerFactory;
  clock: Clock;
  log?: Logger;
  /** 0 or unset: adaptive (50 − nodes/125, at least 5 %). */
  percentageOfNodesToScore?: number;
  /** Backoff of failed pods (defaults 1 s → 10 s). */
  podInitialBackoffMs?: number;
  podMaxBackoffMs?: number;
}

function isAssigned(p: Pod): boolean {
  return !!p.spec?.nodeName;
}
function isTerminal(p: Pod): boolean {
  return p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
}
function responsible(p: Pod): boolean {
  const n = p.spec?.schedulerName;
  return !n || n === DEFAULT_SCHEDULER_NAME;
}
function podKey(p: Pod): string {
  return `${p.metadata.namespace ?? ''}/${p.metadata.name}`;
}
function unwrap<T>(obj: T | DeletedFinalStateUnknown<T>): T {
  return obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
}
function truncateMessage(msg: string): string {
  return msg.length <= NOTE_LENGTH_LIMIT ? msg : msg.slice(0, NOTE_LENGTH_LIMIT - 3) + '...';
}
function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The default scheduler. */
export class Scheduler {
  readonly cache: Cache;
  readonly queue: SchedulingQueue;
  readonly framework: Framework;
  readonly recorder: EventRecorder;
  private readonly preemption: DefaultPreemption;
  private readonly client: RestClient;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly pods: SharedInformer<Pod>;
  private readonly nodes: SharedInformer<Node>;
  private readonly pvcs: SharedInformer<PersistentVolumeClaim>;
  private readonly pvs: SharedInformer<PersistentVolume>;
  private readonly storageClasses: SharedInformer<StorageClass>;
  private readonly services: SharedInformer<Service>;
  private readonly replicaSets: SharedInformer<ReplicaSet>;
  private readonly statefulSets: SharedInformer<StatefulSet>;
  private readonly namespaces: SharedInformer<Namespace>;
  private readonly pdbs: SharedInformer<PodDisruptionBudget>;
  private signal?: AbortSignal;
  private cycleRunning = false;
  /** Binding cycles and status writes in flight. */
  private pending = 0;
  /** Pods bound so far (for benchmarks). */
  bound = 0;
  /** Scheduling attempts that failed. */
  failures = 0;

  constructor(config: SchedulerConfig) {
    this.client = config.client;
    this.clock = config.clock;
    this.log = config.log ?? stderrLogger;
    const inf = config.informers;
    this.pods = inf.forResource<Pod>(PODS);
    this.nodes = inf.forResource<Node>(NODES);
    this.pvcs = inf.forResource<PersistentVolumeClaim>(PVCS);
    this.pvs = inf.forResource<PersistentVolume>(PVS);
    this.storageClasses = inf.forResource<StorageClass>(STORAGE_CLASSES);
    this.services = inf.forResource<Service>(SERVICES);
    this.replicaSets = inf.forResource<ReplicaSet>(REPLICASETS);
    this.statefulSets = inf.forResource<StatefulSet>(STATEFULSETS);
    this.namespaces = inf.forResource<Namespace>(NAMESPACES);
    this.pdbs = inf.forResource<PodDisruptionBudget>(PDBS);
    this.recorder = new EventRecorder({ client: this.client, clock: this.clock, source: { component: DEFAULT_SCHEDULER_NAME }, log: this.log });
    this.cache = new Cache((ns) => this.namespaces.lister.get('', ns)?.metadata.labels);
    this.queue = new SchedulingQueue({ clock: this.clock, initialBackoffMs: config.podInitialBackoffMs, maxBackoffMs: config.podMaxBackoffMs });
    const listers = {
      services: (ns: string) => this.services.lister.list(ns),
      replicaSet: (ns: string, name: string) => this.replicaSets.lister.get(ns, name),
      statefulSet: (ns: string, name: string) => this.statefulSets.lister.get(ns, name),
      pvc: (ns: string, name: string) => this.pvcs.lister.get(ns, name),
      pv: (name: string) => this.pvs.lister.get('', name),
      pvs: () => this.pvs.lister.list(),
      storageClass: (name: string) => this.storageClasses.lister.get('', name),
    };
    this.framework = new Framework(listers, this.queue, config.percentageOfNodesToScore);
    this.preemption = new DefaultPreemption({
      framework: this.framework,
      pdbs: () => this.pdbs.lister.list(),
      currentPod: (pi) => this.pods.lister.get(pi.pod.metadata.namespace ?? '', pi.pod.metadata.name!),
      preemptVictim: (preemptor, victim, node) => this.preemptVictim(preemptor, victim, node),
      clearNominated: async (pods) => {
        for (const p of pods) {
          this.queue.addNominatedPod(p, '');
          await this.patchStatus(p.pod, { nominatedNodeName: null });
        }
      },
      nominatedPodsForNode: (n) => this.queue.nominatedPodsForNode(n),
    });
    this.addEventHandlers();
  }

  /** Starts the informers, the queue's flushes and the scheduling loop; returns at once. */
  start(signal: AbortSignal): void {
    if (signal.aborted) return;
    this.signal = signal;
    signal.addEventListener('abort', () => this.queue.close(), { once: true });
    this.queue.run();
    for (const i of this.informerList()) i.start(signal);
    void this.run(signal).catch((e) => this.log('scheduler: loop failed', e));
  }

  private informerList(): SharedInformer<KubeObject>[] {
    return [this.pods, this.nodes, this.pvcs, this.pvs, this.storageClasses, this.services, this.replicaSets, this.statefulSets, this.namespaces, this.pdbs] as unknown as SharedInformer<KubeObject>[];
  }

  /** True once every informer the scheduler reads has synced. */
  hasSynced(): boolean {
    return this.informerList().every((i) => i.hasSynced());
  }

  /** Resolves once no pod is waiting in activeQ, being scheduled or being bound, and events are written. */
  async whenIdle(): Promise<void> {
    for (;;) {
      if (this.isIdle()) {
        await this.recorder.flush();
        if (this.isIdle()) return;
      }
      await new Promise<void>((r) => setImmediate(r));
    }
  }

  private isIdle(): boolean {
    return this.hasSynced() && this.queue.activeCount === 0 && !this.cycleRunning && this.pending === 0;
  }

  private async run(signal: AbortSignal): Promise<void> {
    await Promise.all(this.informerList().map((i) => i.waitForSync()));
    while (!signal.aborted) {
      const q = await this.queue.pop();
      if (!q) return;
      this.cycleRunning = true;
      try {
        await this.scheduleOne(q);
      } catch (e) {
        this.log(`scheduler: scheduling ${q.info.key} failed`, e);
        this.queue.done(q.info.key);
      } finally {
        this.cycleRunning = false;
      }
      // Let watch events and binding responses in before the next cycle.
      await new Promise<void>((r) => defer(r));
    }
  }

  // --- the scheduling cycle ---

  private async scheduleOne(q: QueuedPodInfo): Promise<void> {
    const pi = q.info;
    const key = pi.key;
    const cur = this.pods.lister.get(pi.pod.metadata.namespace ?? '', pi.pod.metadata.name!);
    // skipPodSchedule: deleted, being deleted, already bound or assumed.
    if (!cur || cur.metadata.uid !== pi.pod.metadata.uid || cur.metadata.deletionTimestamp || isAssigned(cur) || this.cache.isAssumed(key)) {
      this.queue.done(key);
      return;
    }
    const cycle = this.queue.schedulingCycle;
    const state = new CycleState();
    const snapshot = this.cache.snapshot();
    let nodeName: string;
    try {
      nodeName = this.framework.schedulePod(state, pi, snapshot).node.name;
    } catch (e) {
      if (e instanceof FitError) {
        const post = await this.preemption.postFilter(state, pi, e.diagnosis, snapshot);
        e.diagnosis.postFilterMsg = post.status.message();
        q.unschedulablePlugins = new Set(e.diagnosis.unschedulablePlugins);
        await this.handleFailure(q, cycle, new Status(Code.Unschedulable, [e.message]), post.nominatedNodeName);
      } else {
        q.unschedulablePlugins = new Set();
        const noNodes = errorMessage(e) === NO_NODE_AVAILABLE_MSG;
        await this.handleFailure(q, cycle, noNodes ? Status.unresolvable(NO_NODE_AVAILABLE_MSG) : Status.asStatus(e), noNodes ? '' : undefined);
      }
      return;
    }
    const assumedPod: Pod = { ...pi.pod, spec: { ...pi.pod.spec!, nodeName } };
    const assumed = pi.withPod(assumedPod);
    this.cache.assumePod(assumed, nodeName);
    this.queue.deleteNominated(key);
    if (!state.skipFilterPlugins.has(this.framework.volumeBinding.name)) {
      const st = this.framework.volumeBinding.reserve(state, snapshot.get(nodeName)!);
      if (st) {
        this.cache.forgetPod(key);
        q.unschedulablePlugins = new Set([this.framework.volumeBinding.name]);
        await this.handleFailure(q, cycle, st, undefined);
        return;
      }
    }
    this.pending++;
    void this.bindingCycle(q, cycle, state, assumedPod, nodeName).finally(() => this.pending--);
  }

  private async bindingCycle(q: QueuedPodInfo, cycle: number, state: CycleState, pod: Pod, nodeName: string): Promise<void> {
    const ns = pod.metadata.namespace ?? '';
    const name = pod.metadata.name!;
    try {
      const volumes = this.framework.volumeBinding.reserved(state);
      if (volumes) {
        try {
          await this.bindPodVolumes(volumes, nodeName);
        } catch (e) {
          throw new Error(`running PreBind plugin "VolumeBinding": ${errorMessage(e)}`);
        }
      }
      try {
        await this.client
          .resource(PODS)
          .namespace(ns)
          .createSubresource(name, 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace: ns, uid: pod.metadata.uid }, target: { apiVersion: 'v1', kind: 'Node', name: nodeName } });
      } catch (e) {
        throw new Error(`running Bind plugin "DefaultBinder": ${errorMessage(e)}`);
      }
      this.bound++;
      this.queue.done(q.info.key);
      this.recorder.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${name} to ${nodeName}`);
    } catch (e) {
      this.cache.forgetPod(q.info.key);
      // The assumed pod's resources are free again.
      this.queue.moveAllToActiveOrBackoffQueue('Pod/Delete');
      q.unschedulablePlugins = new Set();
      await this.handleFailure(q, cycle, Status.asStatus(e), undefined);
    }
  }

  /** VolumeBinding PreBind: write the decisions, then wait (polling every second) for the binder. */
  private async bindPodVolumes(volumes: PodVolumes, nodeName: string): Promise<void> {
    for (const { pvc, pv } of volumes.staticBindings) {
      const claimRef = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: pvc.metadata.namespace, name: pvc.metadata.name, uid: pvc.metadata.uid, resourceVersion: pvc.metadata.resourceVersion };
      await this.client.resource(PVS).patch(pv.metadata.name!, 'merge', { metadata: { annotations: { [ANN_BOUND_BY_CONTROLLER]: 'yes' } }, spec: { claimRef } });
    }
    for (const pvc of volumes.provisions) {
      await this.client.resource(PVCS).namespace(pvc.metadata.namespace!).patch(pvc.metadata.name!, 'merge', { metadata: { annotations: { [ANN_SELECTED_NODE]: nodeName } } });
    }
    const claims = [...volumes.staticBindings.map((b) => b.pvc), ...volumes.provisions];
    const provisioning = new Set(volumes.provisions.map((c) => c.metadata.name));
    const deadline = this.clock.now() + BIND_TIMEOUT_MS;
    for (;;) {
      await this.clock.sleep(1000, this.signal);
      let done = true;
      for (const c of claims) {
        const cur = this.pvcs.lister.get(c.metadata.namespace ?? '', c.metadata.name!);
        if (!cur) throw new Error(`binding volumes: pvc ${c.metadata.namespace}/${c.metadata.name} was deleted`);
        if (claimBound(cur)) continue;
        if (provisioning.has(c.metadata.name) && !cur.metadata.annotations?.[ANN_SELECTED_NODE]) throw new Error(`binding volumes: provisioning failed for PVC "${c.metadata.name}"`);
        done = false;
      }
      if (done) return;
      if (this.clock.now() >= deadline) throw new Error(`binding volumes: context deadline exceeded`);
    }
  }

  /**
   * handleSchedulingFailure: requeue (unless the pod is gone or bound meanwhile), record the
   * nomination, emit FailedScheduling and set PodScheduled=False.
   */
  private async handleFailure(q: QueuedPodInfo, cycle: number, status: Status, nominatedNodeName: string | undefined): Promise<void> {
    this.failures++;
    const pod = q.info.pod;
    const cur = this.pods.lister.get(pod.metadata.namespace ?? '', pod.metadata.name!);
    if (!cur || isAssigned(cur)) {
      this.queue.done(q.info.key);
    } else {
      q.info = new PodInfo(cur);
      this.queue.addUnschedulableIfNotPresent(q, cycle);
    }
    if (nominatedNodeName !== undefined) this.queue.addNominatedPod(q.info, nominatedNodeName);
    const msg = status.message();
    const target = cur ?? pod;
    this.recorder.event(target, 'Warning', 'FailedScheduling', truncateMessage(msg));
    if (!cur) return;
    const reason = status.isRejected() ? 'Unschedulable' : 'SchedulerError';
    const prior = cur.status?.conditions?.find((c) => c.type === 'PodScheduled');
    const condChanged = !prior || prior.status !== 'False' || prior.reason !== reason || prior.message !== msg;
    const nnnChanged = nominatedNodeName !== undefined && (cur.status?.nominatedNodeName ?? '') !== nominatedNodeName;
    if (!condChanged && !nnnChanged) return;
    const status_: Record<string, unknown> = {};
    if (condChanged) {
      const lastTransitionTime = prior && prior.status === 'False' && prior.lastTransitionTime ? prior.lastTransitionTime : rfc3339(this.clock.now());
      status_.conditions = [{ type: 'PodScheduled', status: 'False', reason, message: msg, lastProbeTime: null, lastTransitionTime }];
    }
    if (nnnChanged) status_.nominatedNodeName = nominatedNodeName || null;
    await this.patchStatus(cur, status_);
  }

  private async patchStatus(pod: Pod, status: Record<string, unknown>): Promise<void> {
    this.pending++;
    try {
      await this.client.resource(PODS).namespace(pod.metadata.namespace ?? '').patch(pod.metadata.name!, 'strategic', { status }, { subresource: 'status' });
    } catch (e) {
      if (!isNotFound(e)) this.log(`scheduler: updating status of pod ${podKey(pod)} failed`, e);
    } finally {
      this.pending--;
    }
  }

  private async preemptVictim(preemptor: Pod, victim: Pod, nodeName: string): Promise<void> {
    const pods = this.client.resource(PODS).namespace(victim.metadata.namespace ?? '');
    const schedulerName = preemptor.spec?.schedulerName || DEFAULT_SCHEDULER_NAME;
    const prior = victim.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
    try {
      if (!(prior?.status === 'True' && prior.reason === 'PreemptionByScheduler')) {
        const cond = { type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler', message: `${schedulerName}: preempting to accommodate a higher priority pod`, lastTransitionTime: rfc3339(this.clock.now()) };
        await pods.patch(victim.metadata.name!, 'strategic', { status: { conditions: [cond] } }, { subresource: 'status' });
      }
      await pods.delete(victim.metadata.name!);
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    this.recorder.event(victim, 'Normal', 'Preempted', `Preempted by pod ${preemptor.metadata.uid} on node ${nodeName}`);
  }

  // --- informer events ---

  private move(event: ClusterEvent): void {
    this.queue.moveAllToActiveOrBackoffQueue(event);
  }

  private addEventHandlers(): void {
    this.pods.addEventHandler({
      onAdd: (p) => {
        if (isAssigned(p)) {
          if (isTerminal(p)) return;
          this.cache.addPod(p);
          this.move('Pod/Add');
        } else if (responsible(p) && !isTerminal(p)) {
          this.enqueuePending(p);
        }
      },
      onUpdate: (o, n) => {
        if (isAssigned(n)) {
          if (!isAssigned(o)) this.queue.delete(o);
          if (isTerminal(n)) {
            this.cache.removePod(podKey(n));
            this.move('Pod/Delete');
          } else {
            this.cache.updatePod(n);
            this.move(isAssigned(o) ? 'Pod/Update' : 'Pod/Add');
          }
          return;
        }
        if (!responsible(n)) return;
        if (isTerminal(n)) this.queue.delete(n);
        else if (n.spec?.schedulingGates?.length) this.gate(n);
        else if (o.spec?.schedulingGates?.length) this.queue.add(n);
        else {
          this.queue.update(o, n);
          if (o.spec?.nodeName !== n.spec?.nodeName || o.metadata.deletionTimestamp !== n.metadata.deletionTimestamp) this.move('UnscheduledPod/Update');
        }
      },
      onDelete: (obj) => {
        const p = unwrap(obj);
        if (isAssigned(p)) {
          this.cache.removePod(podKey(p));
          this.move('Pod/Delete');
        } else {
          this.queue.delete(p);
        }
      },
    });
    this.nodes.addEventHandler({
      onAdd: (n) => {
        this.cache.addNode(n);
        this.move('Node/Add');
      },
      onUpdate: (o, n) => {
        this.cache.updateNode(n);
        if (nodeSchedulingPropertiesChanged(o, n)) this.move('Node/Update');
      },
      onDelete: (obj) => {
        this.cache.removeNode(unwrap(obj).metadata.name!);
        this.move('Node/Delete');
      },
    });
    const moveOn = (resource: string) => ({
      onAdd: () => this.move(`${resource}/Add`),
      onUpdate: (o: KubeObject, n: KubeObject) => {
        if (o.metadata.resourceVersion !== n.metadata.resourceVersion) this.move(`${resource}/Update`);
      },
    });
    this.pvcs.addEventHandler(moveOn('PersistentVolumeClaim'));
    this.pvs.addEventHandler(moveOn('PersistentVolume'));
    this.storageClasses.addEventHandler(moveOn('StorageClass'));
    this.namespaces.addEventHandler(moveOn('Namespace'));
  }

  private enqueuePending(p: Pod): void {
    if (p.spec?.schedulingGates?.length) this.gate(p);
    else this.queue.add(p);
  }

  // SchedulingGates PreEnqueue: the pod waits outside the queue, marked SchedulingGated.
  private gate(p: Pod): void {
    this.queue.delete(p);
    const c = p.status?.conditions?.find((x) => x.type === 'PodScheduled');
    if (c?.reason === 'SchedulingGated') return;
    void this.patchStatus(p, { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates', lastProbeTime: null, lastTransitionTime: rfc3339(this.clock.now()) }] });
  }
}

// Heartbeats change only conditions' timestamps; the queue moves pods on what filters read.
function nodeSchedulingPropertiesChanged(o: Node, n: Node): boolean {
  // Compared as values, key order aside (as reflect.DeepEqual compares maps); a node's status write
  // shares its labels and taints with the node before it, so those are usually the same object.
  const same = (a: unknown, b: unknown) => jsonEqual(a ?? null, b ?? null);
  if (!same(o.metadata.labels, n.metadata.labels)) return true;
  if (!same(o.spec?.taints, n.spec?.taints)) return true;
  if (!!o.spec?.unschedulable !== !!n.spec?.unschedulable) return true;
  if (!same(o.status?.allocatable, n.status?.allocatable)) return true;
  const ready = (x: Node) => x.status?.conditions?.find((c) => c.type === 'Ready')?.status;
  return ready(o) !== ready(n);
}
