// kube-controller-manager's node lifecycle controller (pkg/controller/nodelifecycle, v1.32):
// - every node-monitor-period it reads each node's heartbeat (the Ready condition's
//   lastHeartbeatTime and the node's Lease in kube-node-lease); a node silent for longer than the
//   grace period gets Ready/MemoryPressure/DiskPressure/PIDPressure = Unknown, its pods Ready=False;
// - NoExecute taints not-ready/unreachable mirror the Ready condition, applied through per-zone
//   rate-limited queues whose rate follows the zone's disruption state (Normal, PartialDisruption,
//   FullDisruption; all zones fully disrupted stops tainting altogether);
// - NoSchedule taints mirror the pressure conditions and spec.unschedulable (TaintNodesByCondition).
// The queue of the Controller base class carries node names for the NoSchedule pass.
import { jsonCopy } from '../../apimachinery/json.js';
import { isDeepStrictEqual } from 'node:util';
import type { Node, NodeCondition, Pod, PodCondition, Taint, Lease } from '../../api/objects.js';
import type { KubeObject } from '../../api/types.js';
import type { EventRecorder } from '../../client/events.js';
import type { SharedInformer } from '../../client/informer.js';
import { isConflict, isNotFound, type RestClient } from '../../client/rest.js';
import { rfc3339, type TimerHandle } from '../../sim/clock.js';
import { Controller } from '../controller.js';
import { recorderFor, type ControllerContext } from '../context.js';
import { RateLimitedTimedQueue } from './rate-limited-queue.js';
import { addPodNodeNameIndex, podsOnNode } from './resources.js';
import {
  getNodeCondition,
  getZoneKey,
  sameTaint,
  taintExists,
  TAINT_NODE_DISK_PRESSURE,
  TAINT_NODE_MEMORY_PRESSURE,
  TAINT_NODE_NETWORK_UNAVAILABLE,
  TAINT_NODE_NOT_READY,
  TAINT_NODE_PID_PRESSURE,
  TAINT_NODE_UNREACHABLE,
  TAINT_NODE_UNSCHEDULABLE,
} from './taints.js';
import { LEASES, NODES, PODS } from '../../client/refs.js';

export const SERVICE_ACCOUNT = 'node-controller';

/** The templates of the NoExecute taints the controller manages. */
export const NOT_READY_TAINT: Taint = { key: TAINT_NODE_NOT_READY, effect: 'NoExecute' };
export const UNREACHABLE_TAINT: Taint = { key: TAINT_NODE_UNREACHABLE, effect: 'NoExecute' };

/** Zone states as upstream names them (the zone_health metric's values). */
export type ZoneState = 'Initial' | 'Normal' | 'FullDisruption' | 'PartialDisruption';

/** nodeConditionToTaintKeyStatusMap: condition type → status → NoSchedule taint key. */
const CONDITION_TAINTS: Record<string, Record<string, string>> = {
  Ready: { False: TAINT_NODE_NOT_READY, Unknown: TAINT_NODE_UNREACHABLE },
  MemoryPressure: { True: TAINT_NODE_MEMORY_PRESSURE },
  DiskPressure: { True: TAINT_NODE_DISK_PRESSURE },
  NetworkUnavailable: { True: TAINT_NODE_NETWORK_UNAVAILABLE },
  PIDPressure: { True: TAINT_NODE_PID_PRESSURE },
};
const CONDITION_TAINT_KEYS = new Set([...Object.values(CONDITION_TAINTS).flatMap((m) => Object.values(m)), TAINT_NODE_UNSCHEDULABLE]);

// NetworkUnavailable is left alone: it belongs to the network plugin.
const CONDITIONS_SET_UNKNOWN = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

/** Nodes with this label do not count towards their zone's disruption state. */
export const LABEL_EXCLUDE_DISRUPTION = 'node.kubernetes.io/exclude-disruption';

// scheduler.NodeEvictionPeriod: how often the NoExecute tainting queues are drained.
const NODE_EVICTION_PERIOD_MS = 100;

/** kube-controller-manager's node lifecycle flags (v1.32 defaults). */
export interface NodeLifecycleOptions {
  /** --node-monitor-period */
  nodeMonitorPeriodMs?: number;
  /** --node-monitor-grace-period: 50 s since v1.32 (40 s before). */
  nodeMonitorGracePeriodMs?: number;
  /** --node-startup-grace-period */
  nodeStartupGracePeriodMs?: number;
  /** --node-eviction-rate */
  evictionLimiterQPS?: number;
  /** --secondary-node-eviction-rate */
  secondaryEvictionLimiterQPS?: number;
  /** --large-cluster-size-threshold */
  largeClusterThreshold?: number;
  /** --unhealthy-zone-threshold */
  unhealthyZoneThreshold?: number;
  workers?: number;
}

interface NodeHealth {
  /** The node status the controller last saw. */
  status?: Node['status'];
  probeTimestamp: number;
  readyTransitionTimestamp: number;
  lease?: Lease;
}

const ms = (s: string | undefined): number => (s ? Date.parse(s) : NaN);

/** The node lifecycle controller; see the module comment. */
export class NodeLifecycleController extends Controller {
  readonly options: Required<Omit<NodeLifecycleOptions, 'workers'>>;
  private readonly client: RestClient;
  private readonly recorder: EventRecorder;
  private readonly nodes: SharedInformer<Node>;
  private readonly pods: SharedInformer<Pod>;
  private readonly leases: SharedInformer<Lease>;
  private readonly health = new Map<string, NodeHealth>();
  private readonly knownNodes = new Map<string, Node>();
  private readonly nodesToRetry = new Set<string>();
  /** Disruption state per zone key. */
  readonly zoneStates = new Map<string, ZoneState>();
  private readonly tainters = new Map<string, RateLimitedTimedQueue>();
  private monitorTimer?: TimerHandle;
  private taintTimer?: TimerHandle;
  private monitoring?: Promise<void>;
  private tainting = false;
  private stopped = false;

  constructor(ctx: ControllerContext, opts: NodeLifecycleOptions = {}) {
    super('node-lifecycle-controller', { clock: ctx.clock, log: ctx.log, workers: opts.workers });
    this.options = {
      nodeMonitorPeriodMs: opts.nodeMonitorPeriodMs ?? 5_000,
      nodeMonitorGracePeriodMs: opts.nodeMonitorGracePeriodMs ?? 50_000,
      nodeStartupGracePeriodMs: opts.nodeStartupGracePeriodMs ?? 60_000,
      evictionLimiterQPS: opts.evictionLimiterQPS ?? 0.1,
      secondaryEvictionLimiterQPS: opts.secondaryEvictionLimiterQPS ?? 0.01,
      largeClusterThreshold: opts.largeClusterThreshold ?? 50,
      unhealthyZoneThreshold: opts.unhealthyZoneThreshold ?? 0.55,
    };
    this.client = ctx.clientFor(SERVICE_ACCOUNT);
    this.recorder = recorderFor(ctx, SERVICE_ACCOUNT);
    this.nodes = ctx.informers.forResource<Node>(NODES);
    this.pods = ctx.informers.forResource<Pod>(PODS);
    this.leases = ctx.informers.forResource<Lease>(LEASES);
    addPodNodeNameIndex(this.pods);
  }

  protected override async run(signal: AbortSignal): Promise<void> {
    signal.addEventListener(
      'abort',
      () => {
        this.stopped = true;
        this.clock.clearInterval(this.monitorTimer);
        this.clock.clearTimeout(this.taintTimer);
      },
      { once: true },
    );
    this.nodes.addEventHandler({
      onAdd: (n) => this.enqueue(n),
      onUpdate: (_o, n) => this.enqueue(n),
    });
    await Promise.all([this.nodes.waitForSync(), this.pods.waitForSync(), this.leases.waitForSync()]);
    if (signal.aborted) return;
    // wait.Until: a pass at once, then one every period.
    this.monitorTimer = this.clock.setInterval(() => void this.monitorOnce(), this.options.nodeMonitorPeriodMs);
    void this.monitorOnce();
  }

  /** Runs one monitorNodeHealth pass unless one is running; resolves when that pass is done. */
  monitorOnce(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.monitoring ??= this.monitorNodeHealth()
      .catch((e) => this.log(`${this.name}: monitoring node health failed`, e))
      .finally(() => (this.monitoring = undefined));
    return this.monitoring;
  }

  // ---- NoSchedule taints (doNoScheduleTaintingPass) -------------------------------------------

  protected async sync(name: string): Promise<void> {
    const node = this.nodes.lister.get('', name);
    if (!node) return;
    const want: Taint[] = [];
    for (const c of node.status?.conditions ?? []) {
      const key = CONDITION_TAINTS[c.type]?.[c.status];
      if (key) want.push({ key, effect: 'NoSchedule' });
    }
    if (node.spec?.unschedulable) want.push({ key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' });
    const have = (node.spec?.taints ?? []).filter((t) => t.effect === 'NoSchedule' && CONDITION_TAINT_KEYS.has(t.key));
    const add = want.filter((t) => !taintExists(have, t));
    const del = have.filter((t) => !taintExists(want, t));
    if (!add.length && !del.length) return;
    await this.swapTaints(name, add, del);
  }

  // ---- node health ----------------------------------------------------------------------------

  private async monitorNodeHealth(): Promise<void> {
    const nodes = this.nodes.lister.list();
    await this.classifyNodes(nodes);
    const zoneConditions = new Map<string, (NodeCondition | undefined)[]>();
    for (const cached of nodes) {
      if (this.stopped) return;
      let result: { node: Node; observed: NodeCondition; current?: NodeCondition };
      try {
        result = await this.tryUpdateNodeHealth(cached);
      } catch (e) {
        if (isNotFound(e)) continue;
        this.log(`${this.name}: updating health of node ${cached.metadata.name} failed; skipping it this pass`, e);
        continue;
      }
      const { node, observed, current } = result;
      if (!node.metadata.labels?.[LABEL_EXCLUDE_DISRUPTION]) {
        const zone = getZoneKey(node);
        if (!zoneConditions.has(zone)) zoneConditions.set(zone, []);
        zoneConditions.get(zone)!.push(current);
      }
      if (!current) continue;
      const name = node.metadata.name!;
      await this.processTaintBaseEviction(node, observed);
      const transitioned = current.status !== 'True' && observed.status === 'True';
      if (transitioned) this.recordNodeStatusChange(node, 'NodeNotReady');
      if (transitioned || (this.nodesToRetry.has(name) && observed.status !== 'True')) {
        try {
          await this.markPodsNotReady(podsOnNode(this.pods, name), name);
          this.nodesToRetry.delete(name);
        } catch (e) {
          this.log(`${this.name}: unable to mark all pods NotReady on node ${name}; queuing for retry`, e);
          this.nodesToRetry.add(name);
        }
      }
    }
    await this.handleDisruption(zoneConditions, nodes);
  }

  // New nodes get an event and a zone queue; deleted ones lose their state.
  private async classifyNodes(nodes: Node[]): Promise<void> {
    const seen = new Set<string>();
    for (const node of nodes) {
      const name = node.metadata.name!;
      seen.add(name);
      const zone = getZoneKey(node);
      if (!this.zoneStates.has(zone)) {
        this.zoneStates.set(zone, 'Initial');
        this.tainters.set(zone, new RateLimitedTimedQueue(this.clock, this.options.evictionLimiterQPS));
      }
      if (!this.knownNodes.has(name)) {
        this.recordNodeEvent(node, 'RegisteredNode', `Registered Node ${name} in Controller`);
        // As upstream: a node the controller has not seen starts untainted; the next passes taint
        // it again if it is still unhealthy.
        await this.markNodeAsReachable(node).catch((e) => this.log(`${this.name}: failed to remove taints from node ${name}`, e));
      }
      this.knownNodes.set(name, node);
    }
    for (const [name, node] of this.knownNodes) {
      if (seen.has(name)) continue;
      this.recordNodeEvent(node, 'RemovingNode', `Removing Node ${name} from Controller`);
      this.knownNodes.delete(name);
      this.health.delete(name);
      this.nodesToRetry.delete(name);
      this.tainters.get(getZoneKey(node))?.remove(name);
    }
  }

  /**
   * tryUpdateNodeHealth: refreshes the probe timestamp from the Ready condition's heartbeat and the
   * Lease; past the grace period, the kubelet-owned conditions become Unknown. The cached node is
   * only read: a copy is made (and returned) only when its conditions are to be rewritten, since
   * cloning every node every 5 s is most of this pass's cost.
   */
  private async tryUpdateNodeHealth(cached: Node): Promise<{ node: Node; observed: NodeCondition; current?: NodeCondition }> {
    let node = cached;
    const name = node.metadata.name!;
    const now = this.clock.now();
    let health = this.health.get(name);
    let current = getNodeCondition(node, 'Ready');
    let observed: NodeCondition;
    let gracePeriod: number;
    if (!current) {
      // Never posted: judge from creation time with the startup grace period.
      observed = { type: 'Ready', status: 'Unknown', lastHeartbeatTime: node.metadata.creationTimestamp, lastTransitionTime: node.metadata.creationTimestamp };
      gracePeriod = this.options.nodeStartupGracePeriodMs;
      const created = ms(node.metadata.creationTimestamp);
      if (health) health.status = node.status;
      else health = { status: node.status, probeTimestamp: created, readyTransitionTimestamp: created };
    } else {
      observed = { ...current };
      gracePeriod = this.options.nodeMonitorGracePeriodMs;
    }
    const saved = health?.status ? getNodeCondition({ metadata: {}, status: health.status } as Node, 'Ready') : undefined;
    const savedLease = health?.lease;
    if (!health) {
      health = { status: node.status, probeTimestamp: now, readyTransitionTimestamp: now };
    } else if (!saved && current) {
      health = { status: node.status, probeTimestamp: now, readyTransitionTimestamp: now };
    } else if (saved && !current) {
      this.log(`${this.name}: ReadyCondition was removed from Status of Node ${name}`);
      health = { status: node.status, probeTimestamp: now, readyTransitionTimestamp: now };
    } else if (saved && current && saved.lastHeartbeatTime !== current.lastHeartbeatTime) {
      const transition = saved.lastTransitionTime !== current.lastTransitionTime ? now : health.readyTransitionTimestamp;
      health = { status: node.status, probeTimestamp: now, readyTransitionTimestamp: transition };
    }
    health.lease = savedLease;
    // A renewed lease is a heartbeat too, even if the kubelet never posted a status.
    const lease = this.leases.lister.get('kube-node-lease', name);
    // The informer's object is replaced on every renewal: the same object is the same renewTime.
    if (lease && lease !== savedLease && (!savedLease || ms(savedLease.spec?.renewTime) < ms(lease.spec?.renewTime))) {
      health.lease = lease;
      health.probeTimestamp = now;
    }
    this.health.set(name, health);

    if (now > health.probeTimestamp + gracePeriod) {
      const ts = rfc3339(now);
      node = jsonCopy(cached);
      node.status ??= {};
      node.status.conditions ??= [];
      for (const type of CONDITIONS_SET_UNKNOWN) {
        const c = node.status.conditions.find((x) => x.type === type);
        if (!c) {
          node.status.conditions.push({
            type,
            status: 'Unknown',
            reason: 'NodeStatusNeverUpdated',
            message: 'Kubelet never posted node status.',
            lastHeartbeatTime: node.metadata.creationTimestamp,
            lastTransitionTime: ts,
          });
        } else if (c.status !== 'Unknown') {
          c.status = 'Unknown';
          c.reason = 'NodeStatusUnknown';
          c.message = 'Kubelet stopped posting node status.';
          c.lastTransitionTime = ts;
        }
      }
      current = getNodeCondition(node, 'Ready');
      if (!isDeepStrictEqual(current, observed)) {
        const updated = await this.client.resource<Node>(NODES).updateStatus(node);
        node.metadata.resourceVersion = updated.metadata.resourceVersion;
        this.health.set(name, { status: node.status, probeTimestamp: health.probeTimestamp, readyTransitionTimestamp: now, lease });
      }
    }
    return { node, observed, current };
  }

  // ---- NoExecute taints -----------------------------------------------------------------------

  private async processTaintBaseEviction(node: Node, observed: NodeCondition): Promise<void> {
    switch (observed.status) {
      case 'False':
        if (taintExists(node.spec?.taints, UNREACHABLE_TAINT)) {
          // Swap at once rather than wait for the queue: the node is tainted already.
          await this.swapTaints(node.metadata.name!, [NOT_READY_TAINT], [UNREACHABLE_TAINT]).catch((e) =>
            this.log(`${this.name}: failed to instantly swap UnreachableTaint to NotReadyTaint; will try again in the next cycle`, e),
          );
        } else this.markNodeForTainting(node);
        break;
      case 'Unknown':
        if (taintExists(node.spec?.taints, NOT_READY_TAINT)) {
          await this.swapTaints(node.metadata.name!, [UNREACHABLE_TAINT], [NOT_READY_TAINT]).catch((e) =>
            this.log(`${this.name}: failed to instantly swap NotReadyTaint to UnreachableTaint; will try again in the next cycle`, e),
          );
        } else this.markNodeForTainting(node);
        break;
      case 'True':
        await this.markNodeAsReachable(node).catch((e) => this.log(`${this.name}: failed to remove taints from node ${node.metadata.name}`, e));
        break;
    }
  }

  private markNodeForTainting(node: Node): void {
    const q = this.tainters.get(getZoneKey(node));
    if (q?.add(node.metadata.name!, node.metadata.uid ?? '')) this.armTaintPass();
  }

  private async markNodeAsReachable(node: Node): Promise<void> {
    this.tainters.get(getZoneKey(node))?.remove(node.metadata.name!);
    const taints = node.spec?.taints ?? [];
    const del = [UNREACHABLE_TAINT, NOT_READY_TAINT].filter((t) => taintExists(taints, t));
    if (del.length) await this.swapTaints(node.metadata.name!, [], del);
  }

  private armTaintPass(): void {
    if (this.taintTimer || this.stopped) return;
    this.taintTimer = this.clock.setTimeout(() => {
      this.taintTimer = undefined;
      void this.doNoExecuteTaintingPass().finally(() => {
        if ([...this.tainters.values()].some((q) => q.length)) this.armTaintPass();
      });
    }, NODE_EVICTION_PERIOD_MS);
  }

  private async doNoExecuteTaintingPass(): Promise<void> {
    if (this.tainting) return;
    this.tainting = true;
    try {
      for (const q of [...this.tainters.values()]) {
        await q.try(async (v) => {
          const node = this.nodes.lister.get('', v.value);
          if (!node) return [true, 0];
          const ready = getNodeCondition(node, 'Ready');
          if (!ready) return [false, 50];
          let add: Taint, opposite: Taint;
          if (ready.status === 'False') [add, opposite] = [NOT_READY_TAINT, UNREACHABLE_TAINT];
          else if (ready.status === 'Unknown') [add, opposite] = [UNREACHABLE_TAINT, NOT_READY_TAINT];
          else return [true, 0]; // ready again: nothing to taint
          try {
            await this.swapTaints(node.metadata.name!, [add], [opposite]);
            return [true, 0];
          } catch (e) {
            this.log(`${this.name}: failed to taint node ${node.metadata.name}`, e);
            return [false, 0];
          }
        });
      }
    } finally {
      this.tainting = false;
    }
  }

  /**
   * controllerutil.SwapNodeControllerTaint: adds taints (stamped timeAdded) and removes others in
   * one write, re-reading the node on conflict.
   */
  private async swapTaints(name: string, add: Taint[], del: Taint[]): Promise<void> {
    const nodes = this.client.resource<Node>(NODES);
    let node = this.nodes.lister.get('', name);
    for (let attempt = 0; ; attempt++) {
      if (!node) node = await nodes.get(name);
      const old = node.spec?.taints ?? [];
      let next = old.filter((t) => !del.some((d) => sameTaint(d, t)));
      const timeAdded = rfc3339(this.clock.now());
      for (const t of add) {
        if (taintExists(next, t)) continue;
        next = [...next, { ...t, timeAdded }];
      }
      if (isDeepStrictEqual(next, old)) return;
      try {
        await nodes.patch(name, 'merge', { metadata: { resourceVersion: node.metadata.resourceVersion }, spec: { taints: next.length ? next : null } });
        return;
      } catch (e) {
        if (!isConflict(e) || attempt >= 4) throw e;
        node = undefined;
      }
    }
  }

  // ---- disruption -----------------------------------------------------------------------------

  /** ComputeZoneState: how many nodes are not ready, and what that makes the zone. */
  computeZoneState(conditions: (NodeCondition | undefined)[]): [number, ZoneState] {
    let ready = 0;
    let notReady = 0;
    for (const c of conditions) {
      if (c?.status === 'True') ready++;
      else notReady++;
    }
    if (ready === 0 && notReady > 0) return [notReady, 'FullDisruption'];
    if (notReady > 2 && notReady / (notReady + ready) >= this.options.unhealthyZoneThreshold) return [notReady, 'PartialDisruption'];
    return [notReady, 'Normal'];
  }

  private async handleDisruption(zoneConditions: Map<string, (NodeCondition | undefined)[]>, nodes: Node[]): Promise<void> {
    const newStates = new Map<string, ZoneState>();
    let allAreFullyDisrupted = true;
    for (const [zone, conds] of zoneConditions) {
      const [, state] = this.computeZoneState(conds);
      newStates.set(zone, state);
      if (state !== 'FullDisruption') allAreFullyDisrupted = false;
    }
    let allWasFullyDisrupted = true;
    for (const [zone, state] of [...this.zoneStates]) {
      if (!zoneConditions.has(zone)) {
        this.zoneStates.delete(zone);
        continue;
      }
      if (state !== 'FullDisruption') {
        allWasFullyDisrupted = false;
        break;
      }
    }
    if (allAreFullyDisrupted && allWasFullyDisrupted) return;
    if (allAreFullyDisrupted) {
      this.log(`${this.name}: Controller detected that all Nodes are not-Ready. Entering master disruption mode`);
      for (const node of nodes) {
        const fresh = this.nodes.lister.get('', node.metadata.name!) ?? node;
        await this.markNodeAsReachable(fresh).catch((e) => this.log(`${this.name}: failed to remove taints from node ${node.metadata.name}`, e));
      }
      for (const zone of this.zoneStates.keys()) {
        this.tainters.get(zone)?.swapLimiter(0);
        this.zoneStates.set(zone, 'FullDisruption');
      }
      return;
    }
    if (allWasFullyDisrupted) {
      this.log(`${this.name}: Controller detected that some Nodes are Ready. Exiting master disruption mode`);
      const now = this.clock.now();
      for (const node of nodes) {
        const h = this.health.get(node.metadata.name!);
        if (h) {
          h.probeTimestamp = now;
          h.readyTransitionTimestamp = now;
        }
      }
      for (const zone of this.zoneStates.keys()) {
        const state = newStates.get(zone) ?? 'Normal';
        this.setLimiterInZone(zone, zoneConditions.get(zone)?.length ?? 0, state);
        this.zoneStates.set(zone, state);
      }
      return;
    }
    for (const [zone, state] of this.zoneStates) {
      const next = newStates.get(zone);
      if (!next || next === state) continue;
      this.log(`${this.name}: Controller detected that zone ${JSON.stringify(zone)} is now in new state ${next}`);
      this.setLimiterInZone(zone, zoneConditions.get(zone)?.length ?? 0, next);
      this.zoneStates.set(zone, next);
    }
  }

  private setLimiterInZone(zone: string, zoneSize: number, state: ZoneState): void {
    const q = this.tainters.get(zone);
    if (!q) return;
    switch (state) {
      case 'Normal':
        q.swapLimiter(this.options.evictionLimiterQPS);
        break;
      case 'PartialDisruption':
        // ReducedQPSFunc: small clusters stop evicting; large ones slow down.
        q.swapLimiter(zoneSize > this.options.largeClusterThreshold ? this.options.secondaryEvictionLimiterQPS : 0);
        break;
      case 'FullDisruption':
        // HealthyQPSFunc: a whole zone down is evicted at the normal rate.
        q.swapLimiter(this.options.evictionLimiterQPS);
        break;
    }
  }

  /** The QPS a zone's tainting queue runs at now (for tests and the console). */
  zoneTaintingQPS(zone: string): number | undefined {
    return this.tainters.get(zone)?.qps;
  }

  // ---- pods and events ------------------------------------------------------------------------

  /** controllerutil.MarkPodsNotReady: the Ready condition of every pod on the node goes False. */
  private async markPodsNotReady(pods: Pod[], nodeName: string): Promise<void> {
    const errors: unknown[] = [];
    const podsClient = this.client.resource<Pod>(PODS);
    for (const cached of pods) {
      if (cached.spec?.nodeName !== nodeName) continue;
      const cond = cached.status?.conditions?.find((c) => c.type === 'Ready');
      if (!cond || cond.status === 'False') continue;
      const pod = jsonCopy(cached);
      const c = pod.status!.conditions!.find((x) => x.type === 'Ready') as PodCondition;
      c.status = 'False';
      c.lastTransitionTime = rfc3339(this.clock.now());
      try {
        await podsClient.namespace(pod.metadata.namespace!).updateStatus(pod);
      } catch (e) {
        if (isNotFound(e)) continue;
        errors.push(e);
        continue;
      }
      this.recorder.event(cached, 'Warning', 'NodeNotReady', 'Node is not ready');
    }
    if (errors.length) throw errors[0];
  }

  /** controllerutil.RecordNodeStatusChange: the reference's uid is the node's name, as upstream's. */
  private recordNodeStatusChange(node: Node, status: string): void {
    const ref: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: node.metadata.name, uid: node.metadata.name } };
    this.recorder.event(ref, 'Normal', status, `Node ${node.metadata.name} status is now: ${status}`);
  }

  /** nodeutil.RecordNodeEvent. */
  private recordNodeEvent(node: Node, reason: string, message: string): void {
    const ref: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: node.metadata.name, uid: node.metadata.uid } };
    this.recorder.event(ref, 'Normal', reason, `Node ${node.metadata.name} event: ${message}`);
  }

  /** Resolves once queued events are written; for tests. */
  flushEvents(): Promise<void> {
    return this.recorder.flush();
  }
}

