// One simulated kubelet: registers its Node as kubelet v1.32 does (labels, addresses, capacity,
// nodeInfo, the four conditions with the kubelet's reasons and messages, startup events), renews
// its Lease in kube-node-lease every 10 s, reports node status every 10 s when it changed and
// every 5 minutes regardless (nodeStatusReportFrequency), and hosts the pod workers of the pods
// bound to it. Pausing it is a dead kubelet: no lease, no status, no pod writes until resumed.
import { jsonEqual } from '../apimachinery/json.js';
import { createTwoWayMergePatch } from '../apimachinery/patch/strategic.js';
import { patchSchemaFor } from '../api/patchmeta.js';
import type { Lease, Node, NodeCondition, Pod } from '../api/objects.js';
import type { KubeObject } from '../api/types.js';
import { StatusError } from '../apimachinery/errors.js';
import type { EventRecorder } from '../client/events.js';
import type { Lister } from '../client/informer.js';
import { isConflict, isNotFound, type ResourceClient, type RestClient } from '../client/rest.js';
import { rfc3339, rfc3339Micro, type Clock } from '../sim/clock.js';
import { imageID, imageName, type ImageRef } from './images.js';
import { PodWorker, type PodWorkerHost } from './pod-worker.js';
import { Rand } from './prng.js';
import type { Task, TimerQueue } from './timers.js';
import type { SimNodeSpec } from './types.js';
import { LEASES, NODES, PODS } from '../client/refs.js';

const LEASE_DURATION_SECONDS = 40;
const LEASE_RENEW_MS = 10_000;

/**
 * Heartbeats and status checks run on a grid shared by every node of the cluster: each one is due at
 * the first multiple of its period (counted from the epoch) at least half a period away. The
 * renewals of all nodes then fall due at the same instant and go out together in one commit (one
 * fsync), which is what lets a virtual hour of a cluster pass in a few hundred commits instead of
 * thousands. After the first, the period is exactly the kubelet's (10 s); upstream adds at most 4%
 * of jitter (wait.JitterUntil), which only spreads load that group commit handles better together.
 */
export function onGrid(ms: number, period: number): number {
  return Math.ceil((ms + period / 2) / period) * period;
}
const NODE_STATUS_UPDATE_MS = 10_000;
const NODE_STATUS_REPORT_MS = 5 * 60_000;
const NODE_LEASE_NAMESPACE = 'kube-node-lease';
const MAX_NODE_IMAGES = 50;

/** What the pool gives each kubelet. */
export interface KubeletDeps {
  client: RestClient;
  clock: Clock;
  timers: TimerQueue;
  recorder: EventRecorder;
  nodes: Lister<Node>;
  secrets: Lister<KubeObject>;
  configMaps: Lister<KubeObject>;
  claims: Lister<KubeObject>;
  log(message: string, err?: unknown): void;
  /** Wraps every API write so the pool knows when it is idle. */
  track<T>(p: Promise<T>): Promise<T>;
  /** 10.244.<n>.0/24 for nodes that name no pod IP range. */
  defaultPodRange: string;
}

/** Parses "a.b.c.d/n" into a base address and size. */
function parseCIDR(cidr: string): { base: number; size: number } {
  const [ip, bits] = cidr.split('/');
  const n = ip.split('.').reduce((acc, o) => (acc << 8) + Number(o), 0) >>> 0;
  const prefix = Number(bits ?? 32);
  const size = 2 ** (32 - prefix);
  return { base: (n & ~(size - 1)) >>> 0, size };
}
const ipString = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');

/** Allocates pod IPs round-robin from a range, skipping the network, gateway, broadcast and node. */
class IPAllocator {
  private readonly base: number;
  private readonly size: number;
  private cursor = 2;
  private readonly used = new Map<string, string>();
  private readonly taken = new Set<string>();

  constructor(cidr: string, reserved: string[]) {
    ({ base: this.base, size: this.size } = parseCIDR(cidr));
    for (const r of reserved) this.taken.add(r);
  }

  /** An address for the pod; undefined when the range has none left (the CNI's "failed to assign an IP"). */
  allocate(uid: string): string | undefined {
    const had = this.used.get(uid);
    if (had) return had;
    // The first two and the last address stay out, as on a bridge /24; a tiny range has none.
    for (let i = 2; i < this.size - 1; i++) {
      const offset = this.cursor;
      this.cursor = this.cursor + 1 >= this.size - 1 ? 2 : this.cursor + 1;
      const ip = ipString(this.base + offset);
      if (this.taken.has(ip)) continue;
      this.taken.add(ip);
      this.used.set(uid, ip);
      return ip;
    }
    return undefined;
  }

  release(uid: string): void {
    const ip = this.used.get(uid);
    if (!ip) return;
    this.used.delete(uid);
    this.taken.delete(ip);
  }
}

export class SimKubelet {
  readonly name: string;
  private readonly nodeClient: ResourceClient<Node>;
  private readonly leaseClient: ResourceClient<Lease>;
  private readonly podClient: ResourceClient<Pod>;
  private readonly workers = new Map<string, PodWorker>();
  private readonly images = new Map<string, { ref: ImageRef; size: number }>();
  /** Bumped whenever images changes (an input of the node status). */
  private imagesVersion = 0;
  /** The status inputs (writeStatus) of the last check that found nothing to report. */
  private unchangedFor?: string;
  private readonly ips: IPAllocator;
  private readonly rand: Rand;
  private readonly startedAt: number;
  private registered = false;
  private stopped = false;
  private paused = false;
  private resumeWaiters: (() => void)[] = [];
  private leaseTask?: Task;
  private statusTask?: Task;
  private lease?: Lease;
  private nodeUID?: string;
  private lastReport = 0;
  private lastReadyStatus?: string;
  private readonly bootID: string;
  private readonly machineID: string;
  private readonly systemUUID: string;
  private readonly host: PodWorkerHost;

  constructor(
    readonly spec: SimNodeSpec,
    private readonly deps: KubeletDeps,
  ) {
    this.name = spec.name;
    this.nodeClient = deps.client.resource<Node>(NODES);
    this.leaseClient = deps.client.resource<Lease>(LEASES).namespace(NODE_LEASE_NAMESPACE);
    this.podClient = deps.client.resource<Pod>(PODS);
    this.rand = new Rand(`node:${spec.name}`);
    this.machineID = this.rand.hex(32);
    this.systemUUID = `ec2${this.rand.hex(5)}-${this.rand.hex(4)}-${this.rand.hex(4)}-${this.rand.hex(4)}-${this.rand.hex(12)}`;
    this.bootID = new Rand(`boot:${spec.name}:${deps.clock.now()}`).uuid();
    this.startedAt = deps.clock.now();
    this.ips = new IPAllocator(spec.podIPRange ?? deps.defaultPodRange, [spec.addresses.internalIP]);
    this.host = this.makeHost();
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  /** Registers the node, then starts the lease and status loops. */
  async start(): Promise<void> {
    this.event('Normal', 'Starting', 'Starting kubelet.');
    await this.register();
    if (this.stopped) return;
    this.event('Normal', 'NodeAllocatableEnforced', 'Updated Node Allocatable limit across pods');
    // The first renewal at once (the lease is created), then on the shared grid.
    this.leaseTask = this.deps.timers.after(0, () => void this.renewLease());
    this.scheduleStatus();
    if (this.spec.readyAfterSeconds) this.deps.timers.after(this.spec.readyAfterSeconds * 1000, () => void this.updateStatus(true));
  }

  stop(): void {
    this.stopped = true;
    this.deps.timers.cancel(this.leaseTask);
    this.deps.timers.cancel(this.statusTask);
    for (const w of this.workers.values()) w.remove();
    this.workers.clear();
    this.resume();
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused && !this.stopped) return;
    this.paused = false;
    for (const w of this.resumeWaiters.splice(0)) w();
    if (this.stopped) return;
    // A kubelet coming back reports at once.
    void this.renewLease();
    void this.updateStatus(true);
    for (const w of this.workers.values()) w.sync();
  }

  get isPaused(): boolean {
    return this.paused;
  }

  // Writes wait while the kubelet is "dead".
  private async gate(): Promise<void> {
    while (this.paused && !this.stopped) await new Promise<void>((r) => this.resumeWaiters.push(r));
  }

  // ---- registration and status --------------------------------------------------------------

  private labels(): Record<string, string> {
    const s = this.spec;
    const l: Record<string, string> = {
      'beta.kubernetes.io/arch': 'amd64',
      'beta.kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'kubernetes.io/hostname': s.addresses.hostname ?? s.name,
      'kubernetes.io/os': 'linux',
    };
    if (s.instanceType) {
      l['node.kubernetes.io/instance-type'] = s.instanceType;
      l['beta.kubernetes.io/instance-type'] = s.instanceType;
    }
    if (s.zone) {
      l['topology.kubernetes.io/zone'] = s.zone;
      l['failure-domain.beta.kubernetes.io/zone'] = s.zone;
    }
    if (s.region) {
      l['topology.kubernetes.io/region'] = s.region;
      l['failure-domain.beta.kubernetes.io/region'] = s.region;
    }
    return { ...l, ...(s.labels ?? {}) };
  }

  private nodeObject(): Node {
    const s = this.spec;
    return {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: s.name,
        labels: this.labels(),
        annotations: {
          'alpha.kubernetes.io/provided-node-ip': s.addresses.internalIP,
          'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
          ...(s.annotations ?? {}),
        },
      },
      spec: {
        ...(s.providerID ? { providerID: s.providerID } : {}),
        ...(s.taints?.length ? { taints: s.taints } : {}),
      },
    };
  }

  private ready(now: number): boolean {
    return !this.spec.readyAfterSeconds || now >= this.startedAt + this.spec.readyAfterSeconds * 1000;
  }

  /** The status the kubelet computes now; conditions keep their transition times unless they flip. */
  private computeStatus(current: Node | undefined, now: number): NonNullable<Node['status']> {
    const s = this.spec;
    const ts = rfc3339(now);
    const ready = this.ready(now);
    const wanted: Omit<NodeCondition, 'lastHeartbeatTime' | 'lastTransitionTime'>[] = [
      { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
      { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
      { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
      ready
        ? { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }
        : {
            type: 'Ready',
            status: 'False',
            reason: 'KubeletNotReady',
            message: 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized',
          },
    ];
    const conditions: NodeCondition[] = wanted.map((w) => {
      const prior = current?.status?.conditions?.find((c) => c.type === w.type);
      return { ...w, lastHeartbeatTime: ts, lastTransitionTime: prior && prior.status === w.status && prior.lastTransitionTime ? prior.lastTransitionTime : ts };
    });
    const addresses = [
      { type: 'InternalIP', address: s.addresses.internalIP },
      ...(s.addresses.externalIP ? [{ type: 'ExternalIP', address: s.addresses.externalIP }] : []),
      { type: 'InternalDNS', address: s.addresses.internalDNS ?? s.name },
      { type: 'Hostname', address: s.addresses.hostname ?? s.name },
    ];
    const images = [...this.images.values()]
      .sort((a, b) => b.size - a.size)
      .slice(0, MAX_NODE_IMAGES)
      .map((i) => ({ names: [imageID(i.ref), imageName(i.ref)], sizeBytes: i.size }));
    const withHugePages = (r: Record<string, string | undefined>) => ({ 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', ...(r as Record<string, string>) });
    return {
      capacity: withHugePages(s.capacity),
      allocatable: withHugePages(s.allocatable ?? s.capacity),
      conditions,
      addresses,
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: this.machineID,
        systemUUID: this.systemUUID,
        bootID: this.bootID,
        kernelVersion: s.kernelVersion ?? '6.1.134-152.225.amzn2023.x86_64',
        osImage: s.osImage ?? 'Amazon Linux 2023.7.20250512',
        containerRuntimeVersion: s.containerRuntimeVersion ?? 'containerd://1.7.27',
        kubeletVersion: s.kubeletVersion ?? 'v1.32.9-eks-113cf36',
        kubeProxyVersion: '',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
      images,
      runtimeHandlers: [
        { name: 'runc', features: { recursiveReadOnlyMounts: true, userNamespaces: true } },
        { name: '', features: { recursiveReadOnlyMounts: true, userNamespaces: true } },
      ],
    } as NonNullable<Node['status']>;
  }

  private async register(): Promise<void> {
    const now = this.deps.clock.now();
    let node: Node;
    try {
      node = await this.deps.track(this.nodeClient.create(this.nodeObject()));
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 409)) {
        this.deps.log(`kubelet ${this.name}: unable to register node`, e);
        if (!this.stopped) await this.deps.clock.sleep(7_000);
        if (!this.stopped) return this.register();
        return;
      }
      // Already registered (a restart): reconcile the labels the kubelet owns.
      const want = this.nodeObject();
      node = await this.deps.track(
        this.nodeClient.patch(this.name, 'merge', { metadata: { labels: want.metadata.labels, annotations: want.metadata.annotations }, spec: { providerID: this.spec.providerID } }),
      );
    }
    this.nodeUID = node.metadata.uid;
    this.registered = true;
    await this.writeStatus(node, now, true, true);
  }

  private scheduleStatus(from = this.deps.clock.now()): void {
    this.deps.timers.cancel(this.statusTask);
    if (this.stopped) return;
    this.statusTask = this.deps.timers.at(onGrid(from, NODE_STATUS_UPDATE_MS), () => void this.updateStatus(false));
  }

  /** tryUpdateNodeStatus: patch when anything but heartbeats changed, or the report is due. */
  private async updateStatus(force: boolean): Promise<void> {
    if (this.stopped || !this.registered) return;
    if (this.paused) return this.scheduleStatus();
    const now = this.deps.clock.now();
    const current = this.deps.nodes.get('', this.name);
    try {
      await this.writeStatus(current, now, force || now - this.lastReport >= NODE_STATUS_REPORT_MS);
    } catch (e) {
      this.deps.log(`kubelet ${this.name}: node status not updated`, e);
    }
    this.scheduleStatus(now);
  }

  private async writeStatus(current: Node | undefined, now: number, force: boolean, fresh = false): Promise<void> {
    // What the status is computed from besides the clock: when none of it changed since a check
    // that found nothing to report, this one would find nothing either.
    const inputs = current && `${current.metadata.resourceVersion}/${this.ready(now)}/${this.imagesVersion}`;
    if (!force && inputs !== undefined && inputs === this.unchangedFor) return;
    const status = this.computeStatus(current, now);
    if (!force && current && !statusChanged(current.status, status)) {
      this.unchangedFor = inputs;
      return;
    }
    this.unchangedFor = undefined;
    await this.gate();
    // tryUpdateNodeStatus diffs against the node as the API server's cache has it (a GET with
    // resourceVersion 0), not the informer's copy, which can lag a write made just before (the node
    // lifecycle controller's Unknown verdict): a patch of the difference needs the current base.
    let base = current;
    let next = status;
    if (current && !fresh) {
      base = await this.deps.track(this.nodeClient.get(this.name, { resourceVersion: '0' }));
      if (base.metadata.resourceVersion !== current.metadata.resourceVersion) next = this.computeStatus(base, now);
    }
    await this.deps.track(this.nodeClient.patch(this.name, 'strategic', base ? nodeStatusPatch(base, next) : { status: next }, { subresource: 'status' }));
    this.lastReport = now;
    this.recordConditionEvents(base, next);
  }

  // The kubelet's node status events: each condition reports its state when it changes.
  private recordConditionEvents(before: Node | undefined, after: NonNullable<Node['status']>): void {
    const was = (type: string) => before?.status?.conditions?.find((c) => c.type === type)?.status;
    const first = !before?.status?.conditions?.length;
    const report = (type: string, ok: string, notOk: string, good: 'True' | 'False') => {
      const now = after.conditions!.find((c) => c.type === type)!.status;
      if (!first && was(type) === now) return;
      this.event('Normal', now === good ? ok : notOk, `Node ${this.name} status is now: ${now === good ? ok : notOk}`);
    };
    report('MemoryPressure', 'NodeHasSufficientMemory', 'NodeHasInsufficientMemory', 'False');
    report('DiskPressure', 'NodeHasNoDiskPressure', 'NodeHasDiskPressure', 'False');
    report('PIDPressure', 'NodeHasSufficientPID', 'NodeHasInsufficientPID', 'False');
    const ready = after.conditions!.find((c) => c.type === 'Ready')!.status;
    if (ready !== this.lastReadyStatus || (was('Ready') !== undefined && was('Ready') !== ready)) {
      this.event('Normal', ready === 'True' ? 'NodeReady' : 'NodeNotReady', `Node ${this.name} status is now: ${ready === 'True' ? 'NodeReady' : 'NodeNotReady'}`);
    }
    this.lastReadyStatus = ready;
  }

  // ---- lease ----------------------------------------------------------------------------------

  private async renewLease(): Promise<void> {
    this.deps.timers.cancel(this.leaseTask);
    const started = this.deps.clock.now();
    if (this.stopped) return;
    if (!this.paused) {
      try {
        await this.tryRenew();
      } catch (e) {
        this.deps.log(`kubelet ${this.name}: failed to update lease`, e);
        this.lease = undefined;
      }
    }
    if (!this.stopped) this.leaseTask = this.deps.timers.at(onGrid(started, LEASE_RENEW_MS), () => void this.renewLease());
  }

  private async tryRenew(): Promise<void> {
    const now = rfc3339Micro(this.deps.clock.now());
    if (!this.lease) {
      try {
        this.lease = await this.deps.track(this.leaseClient.get(this.name));
      } catch (e) {
        if (!isNotFound(e)) throw e;
        const lease: Lease = {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: {
            name: this.name,
            namespace: NODE_LEASE_NAMESPACE,
            ...(this.nodeUID ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: this.name, uid: this.nodeUID }] } : {}),
          },
          spec: { holderIdentity: this.name, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: now },
        };
        this.lease = await this.deps.track(this.leaseClient.create(lease));
        return;
      }
    }
    const next: Lease = { ...this.lease!, spec: { ...this.lease!.spec, holderIdentity: this.name, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: now } };
    try {
      this.lease = await this.deps.track(this.leaseClient.update(next));
    } catch (e) {
      this.lease = undefined;
      if (!isConflict(e) && !isNotFound(e)) throw e;
      await this.tryRenew();
    }
  }

  // ---- events ---------------------------------------------------------------------------------

  private event(type: 'Normal' | 'Warning', reason: string, message: string): void {
    if (this.paused) return;
    // The kubelet refers to its node with the node name as UID.
    this.deps.recorder.event({ kind: 'Node', metadata: { name: this.name, uid: this.name } }, type, reason, message);
  }

  // ---- pods -----------------------------------------------------------------------------------

  /** A pod bound to this node was added or changed. */
  podChanged(pod: Pod): void {
    if (this.stopped) return;
    const uid = pod.metadata.uid!;
    let w = this.workers.get(uid);
    if (!w) {
      w = new PodWorker(pod, this.host);
      this.workers.set(uid, w);
    }
    w.update(pod);
  }

  /** A pod bound to this node is gone from the API. */
  podDeleted(uid: string): void {
    const w = this.workers.get(uid);
    if (!w) return;
    w.remove();
    this.workers.delete(uid);
  }

  worker(uid: string): PodWorker | undefined {
    return this.workers.get(uid);
  }

  allWorkers(): IterableIterator<PodWorker> {
    return this.workers.values();
  }

  /** Wakes pods waiting on Secrets, ConfigMaps or claims in namespace. */
  wakeBlocked(namespace: string): void {
    for (const w of this.workers.values()) if (w.blockedOnConfig && w.pod.metadata.namespace === namespace) w.wake();
  }

  async idle(): Promise<void> {
    await Promise.all([...this.workers.values()].map((w) => w.idle()));
  }

  get busy(): boolean {
    for (const w of this.workers.values()) if (w.busy) return true;
    return false;
  }

  private makeHost(): PodWorkerHost {
    return {
    nodeName: this.spec.name,
    hostIP: this.spec.addresses.internalIP,
    now: () => this.deps.clock.now(),
    timers: this.deps.timers,
    allocatePodIP: (uid) => (this.spec.podIPIsNodeIP ? this.spec.addresses.internalIP : this.ips.allocate(uid)),
    releasePodIP: (uid) => this.ips.release(uid),
    imagePresent: (image) => this.images.has(image),
    imagePulled: (ref, size) => {
      this.images.set(imageName(ref), { ref, size });
      this.imagesVersion++;
    },
    event: (pod, type, reason, message, fieldPath) => {
      if (this.paused) return;
      const ref: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid, resourceVersion: pod.metadata.resourceVersion } };
      if (fieldPath) ref.fieldPath = fieldPath;
      this.deps.recorder.event(ref, type, reason, message);
    },
    secret: (ns, name) => this.deps.secrets.get(ns, name) as ReturnType<PodWorkerHost['secret']>,
    configMap: (ns, name) => this.deps.configMaps.get(ns, name) as ReturnType<PodWorkerHost['configMap']>,
    claimPhase: (ns, name) => (this.deps.claims.get(ns, name)?.status as { phase?: string } | undefined)?.phase,
    patchStatus: async (pod, status) => {
      await this.gate();
      if (this.stopped) return;
      await this.deps.track(this.podClient.namespace(pod.metadata.namespace!).patch(pod.metadata.name!, 'strategic', { status }, { subresource: 'status' }));
    },
    deletePod: async (pod) => {
      await this.gate();
      if (this.stopped) return;
      await this.deps.track(this.podClient.namespace(pod.metadata.namespace!).delete(pod.metadata.name!, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } }));
    },
    log: (m, e) => this.deps.log(m, e),
    };
  }
}

const NODE_PATCH_SCHEMA = patchSchemaFor('V1Node');

/**
 * PatchNodeStatus's body (preparePatchBytesforNodeStatus): the two-way strategic merge patch from the
 * node as last seen to the node with the new status, so a heartbeat sends the changed heartbeat
 * times and not the whole status (images and all). Metadata and spec are the node's own, so only
 * status is compared. Addresses are declared patchStrategy=merge on type alone, which would keep a
 * removed address; when they changed the list goes whole with a $patch: replace element instead.
 */
export function nodeStatusPatch(current: Node, status: NonNullable<Node['status']>): Record<string, unknown> {
  const manualAddresses = (current.status?.addresses?.length ?? 0) > 0 && !jsonEqual(current.status?.addresses, status.addresses);
  let diffStatus: NonNullable<Node['status']> = status;
  if (manualAddresses) {
    const { addresses: _dropped, ...rest } = status;
    diffStatus = rest;
  }
  const patch = createTwoWayMergePatch({ status: current.status ?? {} }, { status: diffStatus }, NODE_PATCH_SCHEMA);
  if (manualAddresses) {
    const s = (patch.status ??= {}) as Record<string, unknown>;
    s.addresses = [...(status.addresses ?? []), { $patch: 'replace' }];
  }
  return patch;
}

/** nodeStatusHasChanged: anything but the conditions' heartbeat times differs. */
function statusChanged(before: Node['status'] | undefined, after: NonNullable<Node['status']>): boolean {
  const strip = (s: Node['status'] | undefined) => {
    if (!s) return '';
    const conditions = (s.conditions ?? []).filter((c) => after.conditions!.some((a) => a.type === c.type)).map((c) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message, t: c.lastTransitionTime }));
    conditions.sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
    return { conditions, capacity: s.capacity, allocatable: s.allocatable, addresses: s.addresses, nodeInfo: s.nodeInfo, images: s.images };
  };
  return !jsonEqual(strip(before), strip(after));
}
