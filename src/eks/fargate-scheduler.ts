// EKS's fargate-scheduler, a client of the Kubernetes API like kube-scheduler: for every pending pod
// whose spec.schedulerName is fargate-scheduler it boots one microVM — a Node named
// fargate-ip-<a-b-c-d>.<region>.compute.internal (ec2.internal in us-east-1) with an address from a
// subnet of the pod's Fargate profile, labelled and tainted as Fargate nodes are, sized to the pod's
// Fargate configuration — and, once that Node exists, annotates the pod with CapacityProvisioned and
// binds it there through pods/binding. When the pod is deleted or finishes, its node is terminated.
//
// Level-triggered and restart-safe: each Node carries the key and uid of the pod it was booted for
// (skiff's own annotations), so after a restart a pod already bound is left alone, a pending pod
// whose node already registered is bound to it, and a Fargate node whose pod is gone is terminated.
//
// What EKS shows that this reproduces (sources in the comments below and in fargate.ts): the node
// labels and taint of `kubectl describe node fargate-ip-…` (aws/containers-roadmap#1976,
// aws/amazon-cloudwatch-agent#580: kubernetes.io/hostname is the ip-… name, pods capacity is 1, no
// instance-type label), the provider ID shape aws:///<zone>/<task id>/<node name>, one subnet IP per
// node, and the PodScheduled=False reason of a pod too big for Fargate
// (aws/eks-distro-prow-jobs#11).
import { createHash } from 'node:crypto';
import type { Node, Pod } from '../api/objects.js';
import { EventRecorder } from '../client/events.js';
import { DeletedFinalStateUnknown, splitMetaNamespaceKey, stderrLogger, type Logger, type SharedInformer, type SharedInformerFactory } from '../client/informer.js';
import { isConflict, isNotFound, type RestClient } from '../client/rest.js';
import { NODES, PODS } from '../client/refs.js';
import { ItemExponentialFailureRateLimiter, WorkQueue } from '../client/workqueue.js';
import { canonicalizeQuantity } from '../apimachinery/quantity.js';
import type { SimNodeSpec } from '../kubelet/types.js';
import { rfc3339, type Clock } from '../sim/clock.js';
import {
  CAPACITY_PROVISIONED_ANNOTATION,
  COMPUTE_TYPE_KEY,
  FARGATE_PROFILE_LABEL,
  FARGATE_SCHEDULER_NAME,
  fargateSize,
  fargateUnsupported,
  matchFargateProfile,
  type FargateProfile,
} from './fargate.js';

/** The Node annotation naming the pod ("namespace/name") a Fargate node was booted for (skiff's). */
export const FARGATE_POD_ANNOTATION = 'fargate.skiff.dev/pod';
/** The Node annotation with that pod's uid (skiff's). */
export const FARGATE_POD_UID_ANNOTATION = 'fargate.skiff.dev/pod-uid';
/** The Node annotation naming the Fargate profile and subnet the node was booted in (skiff's). */
export const FARGATE_PROFILE_ANNOTATION = 'fargate.skiff.dev/profile';
export const FARGATE_SUBNET_ANNOTATION = 'fargate.skiff.dev/subnet-id';

/** PodScheduled=False reason and message of a pod larger than any Fargate configuration (EKS's words). */
export const EXCEEDS_MAX_REASON = 'POD_CPU_MEM_EXCEEDS_MAX_FARGATE_SIZE';
export const EXCEEDS_MAX_MESSAGE = "Your pod's cpu/memory requirements exceed the max Fargate configuration";

// Fargate gives each pod 20 GB of ephemeral storage (fargate-pod-configuration.html, "Fargate storage").
const EPHEMERAL_STORAGE = '20Gi';
const NODE_POD_INDEX = 'fargatePod';

/** Where a Fargate node's address comes from. */
export interface FargateAddress {
  ip: string;
  subnetId: string;
  zone: string;
  zoneId: string;
}

/** Configures a FargateScheduler. */
export interface FargateSchedulerConfig {
  client: RestClient;
  informers: SharedInformerFactory;
  clock: Clock;
  region: string;
  /** The cluster's Fargate profiles, read on every scheduling attempt. */
  profiles: () => FargateProfile[];
  /** An address in one of the profile's subnets; undefined when they are full (the pod stays Pending). */
  allocate(profile: FargateProfile): FargateAddress | undefined;
  release(ip: string): void;
  /** Boots a simulated kubelet whose Node registers. */
  launch(spec: SimNodeSpec): void;
  /** Stops the node's kubelet (and deletes its Node). */
  terminate(nodeName: string): Promise<void>;
  log?: Logger;
  /** Back-off of pods that cannot be placed yet and of failed syncs (defaults 1 s → 5 min). */
  retryBaseMs?: number;
  retryMaxMs?: number;
}

/** The node name domain: ec2.internal in us-east-1, <region>.compute.internal elsewhere (EC2 private DNS). */
export function nodeDomain(region: string): string {
  return region === 'us-east-1' ? 'ec2.internal' : `${region}.compute.internal`;
}

/** "fargate-ip-192-168-12-34.ec2.internal". */
export function fargateNodeName(ip: string, region: string): string {
  return `fargate-ip-${ip.replaceAll('.', '-')}.${nodeDomain(region)}`;
}

/** The node a Fargate pod runs on: one microVM sized to the pod's Fargate configuration. */
export function fargateNodeSpec(pod: Pod, profile: FargateProfile, addr: FargateAddress, size: { vcpu: number; memoryGiB: number }, region: string): SimNodeSpec {
  const name = fargateNodeName(addr.ip, region);
  const hostname = `ip-${addr.ip.replaceAll('.', '-')}.${nodeDomain(region)}`;
  // A task-ID-like middle segment, stable for the pod (real ones look like b7af340c11-9ec3eeb6…).
  const h = createHash('sha256').update(pod.metadata.uid ?? name).digest('hex');
  const capacity = {
    cpu: canonicalizeQuantity(`${size.vcpu * 1000}m`),
    memory: canonicalizeQuantity(`${size.memoryGiB * 1024}Mi`),
    pods: '1',
    'ephemeral-storage': EPHEMERAL_STORAGE,
  };
  return {
    name,
    zone: addr.zone,
    region,
    capacity,
    allocatable: { ...capacity },
    labels: { [COMPUTE_TYPE_KEY]: 'fargate', 'topology.k8s.aws/zone-id': addr.zoneId },
    annotations: {
      [FARGATE_POD_ANNOTATION]: `${pod.metadata.namespace}/${pod.metadata.name}`,
      [FARGATE_POD_UID_ANNOTATION]: pod.metadata.uid ?? '',
      [FARGATE_PROFILE_ANNOTATION]: profile.fargateProfileName,
      [FARGATE_SUBNET_ANNOTATION]: addr.subnetId,
    },
    taints: [{ key: COMPUTE_TYPE_KEY, value: 'fargate', effect: 'NoSchedule' }],
    providerID: `aws:///${addr.zone}/${h.slice(0, 10)}-${h.slice(10, 42)}/${name}`,
    addresses: { internalIP: addr.ip, hostname, internalDNS: hostname },
    // The pod's address is the microVM's, as `kubectl get pod -o wide` shows on EKS.
    podIPIsNodeIP: true,
  };
}

function isTerminal(p: Pod): boolean {
  return p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
}

function unwrap<T>(obj: T | DeletedFinalStateUnknown<T>): T {
  return obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
}

function nodeIP(n: Node): string | undefined {
  return n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? n.metadata.annotations?.['alpha.kubernetes.io/provided-node-ip'];
}

type SyncResult = 'done' | 'retry';

/** EKS's fargate-scheduler: one Fargate node per pod, bound through pods/binding. */
export class FargateScheduler {
  readonly recorder: EventRecorder;
  private readonly config: FargateSchedulerConfig;
  private readonly client: RestClient;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly pods: SharedInformer<Pod>;
  private readonly nodes: SharedInformer<Node>;
  private readonly queue: WorkQueue<string>;
  /** Nodes booted by this process that have not registered and been bound yet, by pod uid. */
  private readonly launched = new Map<string, { key: string; nodeName: string; ip: string }>();
  /** Nodes whose termination is in flight or done while the informer may still list them. */
  private readonly terminated = new Set<string>();
  private readonly terminating = new Set<string>();

  constructor(config: FargateSchedulerConfig) {
    this.config = config;
    this.client = config.client;
    this.clock = config.clock;
    this.log = config.log ?? stderrLogger;
    this.pods = config.informers.forResource<Pod>(PODS);
    this.nodes = config.informers.forResource<Node>(NODES);
    this.nodes.addIndexers({ [NODE_POD_INDEX]: (n) => (n.metadata.annotations?.[FARGATE_POD_ANNOTATION] ? [n.metadata.annotations[FARGATE_POD_ANNOTATION]] : []) });
    this.queue = new WorkQueue<string>({
      clock: config.clock,
      name: FARGATE_SCHEDULER_NAME,
      rateLimiter: new ItemExponentialFailureRateLimiter<string>(config.retryBaseMs ?? 1000, config.retryMaxMs ?? 300_000),
    });
    this.recorder = new EventRecorder({ client: this.client, clock: this.clock, source: { component: FARGATE_SCHEDULER_NAME }, log: this.log });
    this.addEventHandlers();
  }

  /** Starts the informers and the worker once they have synced; returns at once. */
  start(signal: AbortSignal): void {
    if (signal.aborted) return;
    signal.addEventListener('abort', () => this.queue.shutDown(), { once: true });
    this.pods.start(signal);
    this.nodes.start(signal);
    void Promise.all([this.pods.waitForSync(), this.nodes.waitForSync()]).then(() => this.worker());
  }

  /** Resolves once nothing is queued or being synced (retries waiting on back-off excluded), and events are written. */
  async whenIdle(): Promise<void> {
    await this.queue.whenIdle();
    await this.recorder.flush();
  }

  // --- informer events: only compute a pod key ---

  private addEventHandlers(): void {
    const podKey = (p: Pod) => `${p.metadata.namespace ?? ''}/${p.metadata.name}`;
    const ours = (p: Pod) => p.spec?.schedulerName === FARGATE_SCHEDULER_NAME;
    this.pods.addEventHandler({
      onAdd: (p) => {
        if (ours(p)) this.queue.add(podKey(p));
      },
      // A bound, running pod needs nothing until it finishes.
      onUpdate: (_o, n) => {
        if (ours(n) && (!n.spec?.nodeName || isTerminal(n))) this.queue.add(podKey(n));
      },
      onDelete: (obj) => {
        const p = unwrap(obj);
        if (ours(p) || this.nodes.lister.byIndex(NODE_POD_INDEX, podKey(p)).length) this.queue.add(podKey(p));
      },
    });
    const nodeEvent = (n: Node) => {
      const key = n.metadata.annotations?.[FARGATE_POD_ANNOTATION];
      if (key) this.queue.add(key);
    };
    this.nodes.addEventHandler({
      onAdd: nodeEvent,
      onDelete: (obj) => {
        const n = unwrap(obj);
        if (!this.terminating.has(n.metadata.name!)) this.terminated.delete(n.metadata.name!);
        nodeEvent(n);
      },
    });
  }

  private async worker(): Promise<void> {
    for (;;) {
      const next = await this.queue.get();
      if (next.shutdown) return;
      const key = next.item;
      try {
        if ((await this.syncPod(key)) === 'retry') this.queue.addRateLimited(key);
        else this.queue.forget(key);
      } catch (e) {
        this.log(`fargate-scheduler: syncing pod ${key} failed, requeuing`, e);
        this.queue.addRateLimited(key);
      } finally {
        this.queue.done(key);
      }
    }
  }

  // --- the level-triggered sync of one pod key ---

  private async syncPod(key: string): Promise<SyncResult> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const pod = this.pods.lister.get(namespace, name);
    const finished = !pod || isTerminal(pod);
    const uid = pod?.metadata.uid;
    // Nodes of a pod that is gone, finished, or was replaced by a pod of the same name.
    for (const n of this.nodes.lister.byIndex(NODE_POD_INDEX, key)) {
      if (finished || n.metadata.annotations?.[FARGATE_POD_UID_ANNOTATION] !== uid) await this.terminateNode(n.metadata.name!, nodeIP(n));
    }
    for (const [launchedUid, l] of [...this.launched]) {
      if (l.key === key && (finished || launchedUid !== uid)) await this.terminateNode(l.nodeName, l.ip);
    }
    if (!pod || finished || pod.spec?.schedulerName !== FARGATE_SCHEDULER_NAME) return 'done';
    // Bound already (by us before a restart, or by anyone): left alone. Being deleted: nothing to place.
    if (pod.spec.nodeName || pod.metadata.deletionTimestamp) return 'done';
    const node = this.nodes.lister.byIndex(NODE_POD_INDEX, key).find((n) => n.metadata.annotations?.[FARGATE_POD_UID_ANNOTATION] === uid && !this.terminated.has(n.metadata.name!));
    if (node) return this.bind(pod, node.metadata.name!);
    // Booting: the Node's registration requeues the pod.
    if (this.launched.has(uid!)) return 'done';
    return this.provision(pod);
  }

  private profileFor(pod: Pod): FargateProfile | undefined {
    const profiles = this.config.profiles();
    const named = pod.metadata.labels?.[FARGATE_PROFILE_LABEL];
    if (named !== undefined) return profiles.find((p) => p.fargateProfileName === named && p.status === 'ACTIVE');
    return matchFargateProfile(profiles, pod);
  }

  private async provision(pod: Pod): Promise<SyncResult> {
    const profile = this.profileFor(pod);
    if (!profile) {
      // skiff's wording: no EKS message for this case was found.
      const named = pod.metadata.labels?.[FARGATE_PROFILE_LABEL];
      this.recorder.event(pod, 'Warning', 'FailedScheduling', named ? `Fargate profile ${named} is not ACTIVE; pod will be retried` : 'No ACTIVE Fargate profile matches the pod; pod will be retried');
      return 'retry';
    }
    const unsupported = fargateUnsupported(pod);
    if (unsupported) {
      this.recorder.event(pod, 'Warning', 'FailedScheduling', unsupported);
      return 'done';
    }
    const size = fargateSize(pod);
    if (!size) {
      await this.markUnschedulable(pod, EXCEEDS_MAX_REASON, EXCEEDS_MAX_MESSAGE);
      return 'done';
    }
    const addr = this.config.allocate(profile);
    if (!addr) {
      // skiff's wording: EKS documents running out of subnet addresses as a cause, not its message.
      this.recorder.event(pod, 'Warning', 'FailedScheduling', `Pod provisioning failed: no free IP addresses in the subnets of Fargate profile ${profile.fargateProfileName} (will retry)`);
      return 'retry';
    }
    const spec = fargateNodeSpec(pod, profile, addr, size, this.config.region);
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    this.launched.set(pod.metadata.uid!, { key, nodeName: spec.name, ip: addr.ip });
    try {
      this.config.launch(spec);
    } catch (e) {
      this.launched.delete(pod.metadata.uid!);
      this.config.release(addr.ip);
      throw e;
    }
    return 'done';
  }

  private async bind(pod: Pod, nodeName: string): Promise<SyncResult> {
    const ns = pod.metadata.namespace!;
    const name = pod.metadata.name!;
    const pods = this.client.resource<Pod>(PODS).namespace(ns);
    const size = fargateSize(pod);
    try {
      if (size && pod.metadata.annotations?.[CAPACITY_PROVISIONED_ANNOTATION] !== size.annotation) {
        await pods.patch(name, 'merge', { metadata: { annotations: { [CAPACITY_PROVISIONED_ANNOTATION]: size.annotation } } });
      }
      await pods.createSubresource(name, 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace: ns, uid: pod.metadata.uid }, target: { apiVersion: 'v1', kind: 'Node', name: nodeName } });
    } catch (e) {
      // Gone (its deletion requeues it) or bound meanwhile: nothing left to do here.
      if (isNotFound(e) || isConflict(e)) return 'done';
      throw e;
    }
    this.launched.delete(pod.metadata.uid!);
    this.recorder.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${name} to ${nodeName}`);
    return 'done';
  }

  private async markUnschedulable(pod: Pod, reason: string, message: string): Promise<void> {
    const prior = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (prior?.status === 'False' && prior.reason === reason) return;
    this.recorder.event(pod, 'Warning', 'FailedScheduling', message);
    const condition = { type: 'PodScheduled', status: 'False', reason, message, lastProbeTime: null, lastTransitionTime: rfc3339(this.clock.now()) };
    try {
      await this.client.resource<Pod>(PODS).namespace(pod.metadata.namespace!).patch(pod.metadata.name!, 'strategic', { status: { conditions: [condition] } }, { subresource: 'status' });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  // Terminates the microVM, makes sure its Node is gone (terminate cannot remove a Node whose kubelet
  // this process never booted, e.g. after a restart), and frees its subnet address once.
  private async terminateNode(nodeName: string, ip: string | undefined): Promise<void> {
    if (this.terminated.has(nodeName)) return;
    this.terminated.add(nodeName);
    this.terminating.add(nodeName);
    try {
      await this.config.terminate(nodeName);
      try {
        await this.client.resource<Node>(NODES).delete(nodeName);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      if (ip) this.config.release(ip);
      for (const [uid, l] of this.launched) if (l.nodeName === nodeName) this.launched.delete(uid);
    } catch (e) {
      this.terminated.delete(nodeName);
      throw e;
    } finally {
      this.terminating.delete(nodeName);
      if (this.terminated.has(nodeName) && !this.nodes.lister.get('', nodeName)) this.terminated.delete(nodeName);
    }
  }
}
