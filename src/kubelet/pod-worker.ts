// One pod on one simulated node, as the kubelet's pod worker, runtime manager, prober and status
// manager handle it together. The worker keeps the runtime state (sandbox, container instances,
// back-offs, probe outcomes), advances it level-triggered whenever something falls due (one
// TimerQueue entry for the earliest due moment, none while nothing is), and reports the status
// the kubelet would: waiting reasons, container states, conditions and phase, with the kubelet's
// events along the way. Behaviour comes from data (behavior.ts): a container's stages are
// pull → create → run → exit, each with its delay and outcome.
import { createHash } from 'node:crypto';
import type { Container, ContainerStatus, Pod, PodStatus } from '../api/objects.js';
import { rfc3339 } from '../sim/clock.js';
import { resolveBehavior, imageFamily, type ContainerBehavior } from './behavior.js';
import { formatDuration } from './duration.js';
import { imageID, imageName, imageSize, parseImage, pullDurationMs, pullNotFoundError, type ImageRef } from './images.js';
import { ContainerLog } from './logs.js';
import { containersReadyCondition, initializedCondition, isSidecar, podPhase, readyCondition, withTimes, type ConditionFacts } from './pod-status.js';
import { Rand } from './prng.js';
import type { Task, TimerQueue } from './timers.js';
import { baseUsage, memoryLimit, oomAfterMs, usageAt, type ContainerUsage } from './usage.js';

/** What a pod worker needs from its node's kubelet. */
export interface PodWorkerHost {
  readonly nodeName: string;
  readonly hostIP: string;
  now(): number;
  readonly timers: TimerQueue;
  /** undefined: the node has no pod address left (VPC CNI: subnet or ENI addresses exhausted). */
  allocatePodIP(uid: string): string | undefined;
  releasePodIP(uid: string): void;
  imagePresent(image: string): boolean;
  imagePulled(ref: ImageRef, size: number): void;
  event(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string): void;
  secret(namespace: string, name: string): { data?: Record<string, string>; stringData?: Record<string, string> } | undefined;
  configMap(namespace: string, name: string): { data?: Record<string, string>; binaryData?: Record<string, string> } | undefined;
  claimPhase(namespace: string, name: string): string | undefined;
  /** Sends the status patch (strategic merge) for pod; resolves when written. */
  patchStatus(pod: Pod, status: Record<string, unknown>): Promise<void>;
  /** Deletes the pod with gracePeriodSeconds 0 and a UID precondition. */
  deletePod(pod: Pod): Promise<void>;
  log(message: string, err?: unknown): void;
}

const BACKOFF_INITIAL_MS = 10_000;
const BACKOFF_MAX_MS = 300_000;
// flowcontrol.Backoff forgets an entry whose last update is older than twice the maximum.
const BACKOFF_RESET_MS = 2 * BACKOFF_MAX_MS;
// How soon the pod worker re-syncs after an error (the kubelet's requeue after a failed sync).
const ERROR_RESYNC_MS = 1_000;
// How often blocked volume mounts are retried.
const MOUNT_RETRY_MS = 2_000;
/** How soon a sandbox whose network failed is tried again (the pod worker's resync on error). */
const SANDBOX_RETRY_MS = 10_000;

interface Backoff {
  durationMs: number;
  lastUpdate: number;
}

/** flowcontrol.Backoff.Next: start at 10 s, double to 5 min, start over after 10 quiet minutes. */
function nextBackoff(b: Backoff | undefined, now: number): Backoff {
  if (!b || now - b.lastUpdate > BACKOFF_RESET_MS) return { durationMs: BACKOFF_INITIAL_MS, lastUpdate: now };
  return { durationMs: Math.min(b.durationMs * 2, BACKOFF_MAX_MS), lastUpdate: now };
}

/** One run of a container. */
interface Instance {
  id: string;
  ref: ImageRef;
  startedAt: number;
  /** When the startup probe passed (or startedAt without one); Infinity if it never will. */
  startedFlagAt: number;
  readyAt: number;
  notReadyAt: number;
  exitAt?: number;
  exitCode?: number;
  exitReason?: string;
  /** A probe failure that kills the container: when, and the Killing message. */
  killAt?: number;
  killMessage?: string;
  /** Last-words for the log: false for OOM kills. */
  lastWords: boolean;
  signalled: boolean;
  finishedAt?: number;
  log: ContainerLog;
  base: { cpu: number; memory: number };
  /** Probe ticks already reported as Unhealthy events, up to this time. */
  eventsUpTo: number;
}

type Stage = 'idle' | 'pulling' | 'pull-error' | 'pull-backoff' | 'blocked' | 'creating' | 'running' | 'exited' | 'crash-backoff' | 'done';

interface Runtime {
  spec: Container;
  kind: 'init' | 'sidecar' | 'regular';
  fieldPath: string;
  behavior: ContainerBehavior;
  ref: ImageRef;
  stage: Stage;
  stageUntil: number;
  waiting?: { reason: string; message?: string };
  current?: Instance;
  previous?: Instance;
  restartCount: number;
  runs: number;
  pullBackoff?: Backoff;
  pullAttempts: number;
  lastPullError?: string;
  crashBackoff?: Backoff;
  pullTask?: { startedAt: number; fail: boolean; doneAt: number };
}

interface Probe {
  initialDelaySeconds?: number;
  periodSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
  httpGet?: { path?: string; port?: number | string };
  tcpSocket?: { port?: number | string };
  exec?: unknown;
  grpc?: { port?: number };
  terminationGracePeriodSeconds?: number;
}

const probeParams = (p: Probe) => ({
  delay: (p.initialDelaySeconds ?? 0) * 1000,
  period: Math.max(1, p.periodSeconds ?? 10) * 1000,
  success: Math.max(1, p.successThreshold ?? 1),
  failure: Math.max(1, p.failureThreshold ?? 3),
});

/** The first probe tick at or after elapsed `from` (ticks at k·period from start, none before delay). */
function tickAtOrAfter(from: number, delay: number, period: number): number {
  const at = Math.max(from, delay);
  return Math.ceil(at / period) * period;
}

export class PodWorker {
  pod: Pod;
  readonly uid: string;
  private readonly rts: Runtime[] = [];
  private readonly admittedAt: number;
  private sandboxAt?: number;
  private podIP?: string;
  private task?: Task;
  private terminating = false;
  private graceEndsAt?: number;
  private terminal = false;
  private deleted = false;
  private deleteSent = false;
  private volumesBlockedUntil = 0;
  private volumesOk = false;
  private lastSent?: string;
  private sending = false;
  private dirty = false;
  private readonly rand: Rand;
  /** True while the pod waits on a Secret, ConfigMap or claim (a change there should wake it). */
  blockedOnConfig = false;
  private readonly inflight = new Set<Promise<unknown>>();
  /** When each owned condition last changed status (the status manager's lastTransitionTime). */
  private readonly transitions = new Map<string, { status: string; at: string }>();

  constructor(
    pod: Pod,
    private readonly host: PodWorkerHost,
  ) {
    this.pod = pod;
    this.uid = pod.metadata.uid ?? '';
    this.admittedAt = host.now();
    this.rand = new Rand(`pod:${this.uid}`);
    const spec = pod.spec!;
    for (const c of spec.initContainers ?? []) this.rts.push(this.runtime(c, isSidecar(c) ? 'sidecar' : 'init', `spec.initContainers{${c.name}}`));
    for (const c of spec.containers ?? []) this.rts.push(this.runtime(c, 'regular', `spec.containers{${c.name}}`));
    // A pod the API already reports as finished (a kubelet restart) stays finished.
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') this.terminal = true;
  }

  private runtime(spec: Container, kind: Runtime['kind'], fieldPath: string): Runtime {
    return {
      spec,
      kind,
      fieldPath,
      behavior: resolveBehavior(this.pod, spec, kind === 'sidecar' ? 'sidecar' : kind),
      ref: parseImage(spec.image ?? ''),
      stage: 'idle',
      stageUntil: 0,
      restartCount: 0,
      runs: 0,
      pullAttempts: 0,
    };
  }

  /** The pod changed in the API (or was first seen). */
  update(pod: Pod): void {
    this.pod = pod;
    if (pod.metadata.deletionTimestamp && !this.terminating) this.beginTermination(pod.metadata.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30);
    this.sync();
  }

  /** Something the pod may be waiting for changed (a Secret, ConfigMap or claim). */
  wake(): void {
    if (this.deleted) return;
    this.volumesBlockedUntil = 0;
    for (const rt of this.rts) if (rt.stage === 'blocked') rt.stageUntil = 0;
    this.sync();
  }

  /** The pod is gone from the API: stop everything. */
  remove(): void {
    this.deleted = true;
    this.host.timers.cancel(this.task);
    this.task = undefined;
    const now = this.host.now();
    for (const rt of this.rts) {
      if (rt.current && rt.current.finishedAt === undefined) rt.current.log.stop(now, 137, true, false);
    }
    this.host.releasePodIP(this.uid);
  }

  /** Resolves once every write this worker started has finished. */
  async idle(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
  }

  get busy(): boolean {
    return this.inflight.size > 0 || this.sending;
  }

  // ---- the level-triggered loop -------------------------------------------------------------

  /** Advances the pod to now, reports a changed status, and arms the next wake-up. */
  sync(): void {
    if (this.deleted) return;
    const now = this.host.now();
    try {
      this.advance(now);
    } catch (e) {
      this.host.log(`kubelet ${this.host.nodeName}: pod ${this.key}: sync failed`, e);
    }
    this.reportStatus();
    this.arm(now);
  }

  private get key(): string {
    return `${this.pod.metadata.namespace}/${this.pod.metadata.name}`;
  }

  private arm(now: number): void {
    this.host.timers.cancel(this.task);
    this.task = undefined;
    if (this.deleted) return;
    const due = this.nextDue(now);
    if (due !== Infinity) this.task = this.host.timers.at(Math.max(due, now), () => this.sync());
  }

  private advance(now: number): void {
    if (this.terminal) return;
    if (!this.terminating && this.deadlineExceeded(now)) return;
    if (!this.sandboxAt) {
      if (this.terminating) return this.finishIfStopped(now);
      if (!this.volumesReady(now)) return;
      // Sandbox and network: a few hundred ms after the volumes are in place.
      this.sandboxAt = now + Math.round(this.rand.between(150, 600));
      return;
    }
    if (now < this.sandboxAt) return;
    if (!this.podIP) this.podIP = this.pod.spec?.hostNetwork ? this.host.hostIP : this.host.allocatePodIP(this.uid);
    if (!this.podIP) {
      // The CNI has no address to give: the sandbox fails and the kubelet tries again later, the
      // pod waiting in ContainerCreating (aws-cni's words, as EKS shows them).
      const sandbox = createHash('sha256').update(`${this.uid}:${now}`).digest('hex');
      this.host.event(this.pod, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${sandbox}": plugin type="aws-cni" name="aws-cni" failed (add): add cmd: failed to assign an IP address to container`);
      this.sandboxAt = now + SANDBOX_RETRY_MS;
      return;
    }
    for (let guard = 0; guard < 50; guard++) {
      let changed = false;
      for (const rt of this.rts) changed = this.step(rt, now) || changed;
      if (!this.terminating) changed = this.startNext(now) || changed;
      if (!changed) break;
    }
    if (this.terminating) this.finishIfStopped(now);
    else this.checkCompletion(now);
  }

  /** The earliest moment something changes on its own. */
  private nextDue(now: number): number {
    if (this.terminal || this.deleted) return Infinity;
    let due = Infinity;
    const take = (t: number | undefined) => {
      if (t !== undefined && t > now && t < due) due = t;
    };
    if (!this.sandboxAt) {
      if (this.volumesBlockedUntil > now) take(this.volumesBlockedUntil);
      return due;
    }
    take(this.sandboxAt);
    if (this.pod.spec?.activeDeadlineSeconds && !this.terminating) take(this.startTime() + this.pod.spec.activeDeadlineSeconds * 1000);
    for (const rt of this.rts) {
      if (rt.stage === 'pulling' || rt.stage === 'creating' || rt.stage === 'pull-backoff' || rt.stage === 'crash-backoff' || rt.stage === 'pull-error' || rt.stage === 'blocked') take(rt.stageUntil);
      const inst = rt.current;
      if (inst && inst.finishedAt === undefined) {
        take(inst.exitAt);
        take(inst.killAt);
        take(inst.startedFlagAt);
        take(inst.readyAt);
        take(inst.notReadyAt);
        take(this.nextFailingProbeTick(rt, inst, now));
      }
    }
    return due;
  }

  // ---- volumes and configuration --------------------------------------------------------------

  private volumesReady(now: number): boolean {
    if (this.volumesOk) return true;
    if (now < this.volumesBlockedUntil) return false;
    const ns = this.pod.metadata.namespace ?? 'default';
    for (const v of (this.pod.spec?.volumes ?? []) as Record<string, any>[]) {
      const err = this.volumeError(ns, v);
      if (err === undefined) continue;
      this.blockedOnConfig = true;
      this.volumesBlockedUntil = now + MOUNT_RETRY_MS;
      if (err) this.host.event(this.pod, 'Warning', 'FailedMount', `MountVolume.SetUp failed for volume "${v.name}" : ${err}`);
      return false;
    }
    this.volumesOk = true;
    this.blockedOnConfig = false;
    return true;
  }

  /** Why a volume cannot be set up: a message, '' (waiting silently), or undefined (fine). */
  private volumeError(ns: string, v: Record<string, any>): string | undefined {
    if (v.secret && !v.secret.optional && !this.host.secret(ns, v.secret.secretName)) return `secret "${v.secret.secretName}" not found`;
    if (v.configMap && !v.configMap.optional && !this.host.configMap(ns, v.configMap.name)) return `configmap "${v.configMap.name}" not found`;
    for (const src of (v.projected?.sources ?? []) as Record<string, any>[]) {
      if (src.secret && !src.secret.optional && !this.host.secret(ns, src.secret.name)) return `secret "${src.secret.name}" not found`;
      if (src.configMap && !src.configMap.optional && !this.host.configMap(ns, src.configMap.name)) return `configmap "${src.configMap.name}" not found`;
    }
    const claim = v.persistentVolumeClaim?.claimName ?? (v.ephemeral ? `${this.pod.metadata.name}-${v.name}` : undefined);
    if (claim !== undefined && this.host.claimPhase(ns, claim) !== 'Bound') return '';
    return undefined;
  }

  /** makeEnvironmentVariables' errors for env and envFrom, worded as the kubelet's. */
  private configError(c: Container): string | undefined {
    const ns = this.pod.metadata.namespace ?? 'default';
    for (const from of c.envFrom ?? []) {
      if (from.configMapRef && !from.configMapRef.optional && !this.host.configMap(ns, from.configMapRef.name!)) return `configmap "${from.configMapRef.name}" not found`;
      if (from.secretRef && !from.secretRef.optional && !this.host.secret(ns, from.secretRef.name!)) return `secret "${from.secretRef.name}" not found`;
    }
    for (const e of c.env ?? []) {
      const cm = e.valueFrom?.configMapKeyRef;
      if (cm && !cm.optional) {
        const obj = this.host.configMap(ns, cm.name!);
        if (!obj) return `configmap "${cm.name}" not found`;
        if (!(cm.key in (obj.data ?? {})) && !(cm.key in (obj.binaryData ?? {}))) return `couldn't find key ${cm.key} in ConfigMap ${ns}/${cm.name}`;
      }
      const s = e.valueFrom?.secretKeyRef;
      if (s && !s.optional) {
        const obj = this.host.secret(ns, s.name!);
        if (!obj) return `secret "${s.name}" not found`;
        if (!(s.key in (obj.data ?? {})) && !(s.key in (obj.stringData ?? {}))) return `couldn't find key ${s.key} in Secret ${ns}/${s.name}`;
      }
    }
    return undefined;
  }

  // ---- starting containers ---------------------------------------------------------------

  /**
   * Starts whatever may start now: init containers one at a time in order (a regular one must
   * have succeeded, a sidecar must have started before the next), then every regular container.
   */
  private startNext(now: number): boolean {
    for (const rt of this.rts) {
      if (rt.kind === 'regular') break;
      if (rt.stage === 'idle' && !rt.current) return this.beginStart(rt, now);
      const inst = rt.current;
      if (rt.kind === 'sidecar') {
        if (!inst || inst.finishedAt !== undefined || now < inst.startedFlagAt) return false;
      } else if (!(rt.stage === 'done' && inst?.exitCode === 0)) return false;
    }
    let changed = false;
    for (const rt of this.rts) if (rt.kind === 'regular' && rt.stage === 'idle' && !rt.current) changed = this.beginStart(rt, now) || changed;
    return changed;
  }

  /** EnsureImageExists, then the container config, then create and start. */
  private beginStart(rt: Runtime, now: number): boolean {
    const image = rt.spec.image ?? '';
    const policy = rt.spec.imagePullPolicy ?? (rt.ref.tag === 'latest' ? 'Always' : 'IfNotPresent');
    const present = this.host.imagePresent(imageName(rt.ref));
    if (policy === 'Never' && !present) {
      const msg = `Container image "${image}" is not present with pull policy of Never`;
      this.host.event(this.pod, 'Warning', 'ErrImageNeverPull', msg, rt.fieldPath);
      this.host.event(this.pod, 'Warning', 'Failed', 'Error: ErrImageNeverPull', rt.fieldPath);
      rt.waiting = { reason: 'ErrImageNeverPull', message: msg };
      rt.stage = 'blocked';
      rt.stageUntil = now + BACKOFF_INITIAL_MS;
      return true;
    }
    if (present && policy !== 'Always') {
      this.host.event(this.pod, 'Normal', 'Pulled', `Container image "${image}" already present on machine`, rt.fieldPath);
      return this.create(rt, now);
    }
    if (rt.pullBackoff && now - rt.pullBackoff.lastUpdate < rt.pullBackoff.durationMs && rt.lastPullError !== undefined) {
      const msg = `Back-off pulling image "${image}"`;
      this.host.event(this.pod, 'Normal', 'BackOff', msg, rt.fieldPath);
      this.host.event(this.pod, 'Warning', 'Failed', 'Error: ImagePullBackOff', rt.fieldPath);
      rt.waiting = { reason: 'ImagePullBackOff', message: `${msg}: ErrImagePull: ${rt.lastPullError}` };
      rt.stage = 'pull-backoff';
      rt.stageUntil = rt.pullBackoff.lastUpdate + rt.pullBackoff.durationMs;
      return true;
    }
    this.host.event(this.pod, 'Normal', 'Pulling', `Pulling image "${image}"`, rt.fieldPath);
    const fail = rt.pullAttempts < rt.behavior.pullFailures;
    rt.pullAttempts++;
    const size = imageSize(rt.ref);
    const cached = present ? 0.1 : 1;
    const ms = Math.round((rt.behavior.pullMs ?? pullDurationMs(size, `${this.host.nodeName}:${imageName(rt.ref)}:${rt.pullAttempts}`)) * (fail ? 0.3 : cached) + (present ? 150 : 0));
    rt.pullTask = { startedAt: now, fail, doneAt: now + ms };
    rt.stage = 'pulling';
    rt.stageUntil = now + ms;
    if (!rt.waiting || rt.current) rt.waiting = undefined;
    return true;
  }

  private create(rt: Runtime, now: number): boolean {
    const err = this.configError(rt.spec);
    if (err) {
      this.host.event(this.pod, 'Warning', 'Failed', `Error: ${err}`, rt.fieldPath);
      rt.waiting = { reason: 'CreateContainerConfigError', message: err };
      rt.stage = 'blocked';
      rt.stageUntil = now + BACKOFF_INITIAL_MS;
      this.blockedOnConfig = true;
      return true;
    }
    rt.stage = 'creating';
    rt.stageUntil = now + rt.behavior.startMs;
    return true;
  }

  /** Moves one container along its stages; true when anything changed. */
  private step(rt: Runtime, now: number): boolean {
    switch (rt.stage) {
      case 'pulling': {
        if (now < rt.stageUntil || !rt.pullTask) return false;
        const t = rt.pullTask;
        rt.pullTask = undefined;
        const image = rt.spec.image ?? '';
        if (t.fail) {
          const err = pullNotFoundError(rt.ref);
          rt.lastPullError = err;
          rt.pullBackoff = nextBackoff(rt.pullBackoff, now);
          this.host.event(this.pod, 'Warning', 'Failed', `Failed to pull image "${image}": ${err}`, rt.fieldPath);
          this.host.event(this.pod, 'Warning', 'Failed', 'Error: ErrImagePull', rt.fieldPath);
          rt.waiting = { reason: 'ErrImagePull', message: err };
          // The pod worker re-syncs shortly after a failed sync and then reports the back-off.
          rt.stage = 'pull-error';
          rt.stageUntil = now + ERROR_RESYNC_MS;
          return true;
        }
        const size = imageSize(rt.ref);
        this.host.imagePulled(rt.ref, size);
        const took = formatDuration(now - t.startedAt);
        this.host.event(this.pod, 'Normal', 'Pulled', `Successfully pulled image "${image}" in ${took} (${took} including waiting). Image size: ${size} bytes.`, rt.fieldPath);
        rt.lastPullError = undefined;
        return this.create(rt, now);
      }
      case 'pull-error':
      case 'pull-backoff':
      case 'blocked':
        if (now < rt.stageUntil || this.terminating) return false;
        rt.stage = 'idle';
        return this.beginStart(rt, now);
      case 'creating':
        if (now < rt.stageUntil) return false;
        this.run(rt, now);
        return true;
      case 'running':
        return this.stepRunning(rt, now);
      case 'crash-backoff':
        if (now < rt.stageUntil || this.terminating) return false;
        rt.crashBackoff = nextBackoff(rt.crashBackoff, now);
        rt.stage = 'idle';
        return this.beginStart(rt, now);
      default:
        return false;
    }
  }

  /** Created and Started: a new instance runs. */
  private run(rt: Runtime, now: number): void {
    const r = new Rand(`instance:${this.uid}:${rt.spec.name}:${rt.runs}`);
    const b = rt.behavior;
    if (rt.current) {
      rt.previous = rt.current;
      rt.restartCount++;
    }
    rt.runs++;
    const family = b.log in { nginx: 1, postgres: 1, redis: 1, mysql: 1, generic: 1, silent: 1 } ? b.log : imageFamily(rt.spec.image ?? '');
    const probePath = rt.spec.readinessProbe?.httpGet?.path ?? rt.spec.livenessProbe?.httpGet?.path;
    const inst: Instance = {
      id: r.hex(64),
      ref: rt.ref,
      startedAt: now,
      startedFlagAt: now,
      readyAt: Infinity,
      notReadyAt: Infinity,
      lastWords: true,
      signalled: false,
      log: new ContainerLog(
        family,
        {
          namespace: this.pod.metadata.namespace ?? '',
          pod: this.pod.metadata.name ?? '',
          container: rt.spec.name,
          image: rt.spec.image ?? '',
          podIP: this.podIP,
          probePath: probePath ?? undefined,
          seed: `${this.uid}:${rt.spec.name}:${rt.runs}`,
        },
        now,
        b.logIntervalMs,
      ),
      base: baseUsage(rt.spec, b, imageFamily(rt.spec.image ?? ''), `${this.uid}:${rt.spec.name}`),
      eventsUpTo: now,
    };
    rt.current = inst;
    rt.waiting = undefined;
    rt.stage = 'running';
    this.host.event(this.pod, 'Normal', 'Created', `Created container ${rt.spec.name}`, rt.fieldPath);
    this.host.event(this.pod, 'Normal', 'Started', `Started container ${rt.spec.name}`, rt.fieldPath);
    this.planInstance(rt, inst);
  }

  /** Works out, from the data, when this instance becomes started and ready and how it ends. */
  private planInstance(rt: Runtime, inst: Instance): void {
    const b = rt.behavior;
    const start = inst.startedAt;
    const exits: { at: number; code: number; reason: string; lastWords: boolean }[] = [];
    if (b.exitAfterMs !== undefined && rt.runs <= b.exitTimes) exits.push({ at: start + b.exitAfterMs, code: b.exitCode, reason: b.exitCode === 0 ? 'Completed' : 'Error', lastWords: true });
    const oom = oomAfterMs(inst.base, b, memoryLimit(rt.spec));
    if (oom !== undefined) exits.push({ at: start + oom, code: 137, reason: 'OOMKilled', lastWords: false });

    // Startup probe: other probes wait for it; failing past its threshold kills the container.
    const sp = rt.spec.startupProbe as Probe | undefined;
    if (sp) {
      const p = probeParams(sp);
      const passTick = tickAtOrAfter(b.startupMs, p.delay, p.period);
      const firstTick = tickAtOrAfter(0, p.delay, p.period);
      const failures = Math.round((passTick - firstTick) / p.period);
      if (failures >= p.failure) {
        inst.startedFlagAt = Infinity;
        inst.killAt = start + firstTick + (p.failure - 1) * p.period;
        inst.killMessage = `Container ${rt.spec.name} failed startup probe, will be restarted`;
      } else inst.startedFlagAt = start + passTick;
    }
    const startedElapsed = inst.startedFlagAt - start;

    const rp = rt.spec.readinessProbe as Probe | undefined;
    if (rt.kind === 'init') {
      inst.readyAt = Infinity;
    } else if (!rp) {
      inst.readyAt = inst.startedFlagAt;
    } else if (Number.isFinite(startedElapsed)) {
      const p = probeParams(rp);
      if (b.readyAfterMs !== Infinity) {
        const firstOk = tickAtOrAfter(Math.max(b.readyAfterMs, startedElapsed), p.delay, p.period);
        inst.readyAt = start + firstOk + (p.success - 1) * p.period;
      }
      if (b.notReadyAfterMs !== undefined) {
        const firstBad = tickAtOrAfter(Math.max(b.notReadyAfterMs, startedElapsed), p.delay, p.period);
        inst.notReadyAt = start + firstBad + (p.failure - 1) * p.period;
        if (inst.notReadyAt <= inst.readyAt) inst.readyAt = Infinity;
      }
    }

    const lp = rt.spec.livenessProbe as Probe | undefined;
    if (lp && b.livenessFailAfterMs !== undefined && Number.isFinite(startedElapsed)) {
      const p = probeParams(lp);
      const firstBad = tickAtOrAfter(Math.max(b.livenessFailAfterMs, startedElapsed), p.delay, p.period);
      const killAt = start + firstBad + (p.failure - 1) * p.period;
      if (inst.killAt === undefined || killAt < inst.killAt) {
        inst.killAt = killAt;
        inst.killMessage = `Container ${rt.spec.name} failed liveness probe, will be restarted`;
      }
    }
    // The earliest natural end (completion, crash, OOM) wins unless a probe kills the container first.
    exits.sort((a, z) => a.at - z.at);
    const natural = exits[0];
    if (inst.killAt !== undefined && (!natural || inst.killAt < natural.at)) {
      const probeGrace = (sp?.terminationGracePeriodSeconds ?? lp?.terminationGracePeriodSeconds ?? this.pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000;
      const graceful = b.shutdownMs <= probeGrace;
      inst.exitAt = inst.killAt + Math.min(b.shutdownMs, probeGrace);
      inst.exitCode = graceful ? 0 : 137;
      inst.exitReason = graceful ? 'Completed' : 'Error';
    } else if (natural) {
      inst.killAt = undefined;
      inst.exitAt = natural.at;
      inst.exitCode = natural.code;
      inst.exitReason = natural.reason;
      inst.lastWords = natural.lastWords;
    }
  }

  private stepRunning(rt: Runtime, now: number): boolean {
    const inst = rt.current!;
    let changed = false;
    this.reportProbeFailures(rt, inst, now);
    if (inst.killAt !== undefined && now >= inst.killAt && !inst.signalled) {
      inst.signalled = true;
      this.host.event(this.pod, 'Normal', 'Killing', inst.killMessage!, rt.fieldPath);
      inst.log.produce(inst.killAt);
      changed = true;
    }
    if (inst.exitAt !== undefined && now >= inst.exitAt) {
      this.exit(rt, inst, inst.exitAt, inst.exitCode ?? 0, inst.exitReason ?? 'Completed', inst.lastWords, inst.signalled);
      return true;
    }
    return changed;
  }

  /** The container stopped: record it, then restart it or leave it finished. */
  private exit(rt: Runtime, inst: Instance, at: number, code: number, reason: string, lastWords: boolean, signal: boolean): void {
    inst.finishedAt = at;
    inst.exitCode = code;
    inst.exitReason = reason;
    inst.log.stop(at, code, signal, lastWords);
    rt.stage = 'exited';
    if (this.terminating) {
      rt.stage = 'done';
      return;
    }
    // Sidecars always restart; a succeeded init container is done; otherwise the pod's policy decides.
    const podPolicy = this.pod.spec?.restartPolicy ?? 'Always';
    const restart = rt.kind === 'sidecar' || (podPolicy === 'Always' && (rt.kind === 'regular' || code !== 0)) || (podPolicy === 'OnFailure' && code !== 0);
    if (!restart) {
      rt.stage = 'done';
      return;
    }
    const now = this.host.now();
    const b = rt.crashBackoff;
    if (b && now - b.lastUpdate <= BACKOFF_RESET_MS && now - at < b.durationMs) {
      rt.stage = 'crash-backoff';
      rt.stageUntil = at + b.durationMs;
      const podRef = `${this.pod.metadata.name}_${this.pod.metadata.namespace}(${this.uid})`;
      this.host.event(this.pod, 'Warning', 'BackOff', `Back-off restarting failed container ${rt.spec.name} in pod ${podRef}`, rt.fieldPath);
      rt.waiting = { reason: 'CrashLoopBackOff', message: `back-off ${formatDuration(b.durationMs)} restarting failed container=${rt.spec.name} pod=${podRef}` };
      return;
    }
    rt.crashBackoff = nextBackoff(b, now);
    rt.stage = 'idle';
    this.beginStart(rt, now);
  }

  // ---- probes ---------------------------------------------------------------------------------

  /** The next probe tick after now that fails (for Unhealthy events); undefined if none. */
  private nextFailingProbeTick(rt: Runtime, inst: Instance, now: number): number | undefined {
    let best: number | undefined;
    for (const f of this.failingProbes(rt, inst)) {
      const elapsed = now - inst.startedAt;
      let t = tickAtOrAfter(Math.max(elapsed + 1, f.from), f.delay, f.period);
      if (t < f.until) best = best === undefined ? inst.startedAt + t : Math.min(best, inst.startedAt + t);
    }
    return best;
  }

  /** Per probe: the elapsed window [from, until) in which its ticks fail, and the message. */
  private failingProbes(rt: Runtime, inst: Instance): { from: number; until: number; delay: number; period: number; message: string }[] {
    const out: { from: number; until: number; delay: number; period: number; message: string }[] = [];
    const b = rt.behavior;
    const startedElapsed = inst.startedFlagAt - inst.startedAt;
    const killElapsed = inst.killAt !== undefined ? inst.killAt - inst.startedAt + 1 : Infinity;
    const sp = rt.spec.startupProbe as Probe | undefined;
    if (sp && b.startupMs > 0) {
      const p = probeParams(sp);
      out.push({ from: 0, until: Math.min(startedElapsed, b.startupMs, killElapsed), delay: p.delay, period: p.period, message: `Startup probe failed: ${this.probeFailure(sp, 500, inst)}` });
    }
    const rp = rt.spec.readinessProbe as Probe | undefined;
    if (rp && rt.kind !== 'init' && Number.isFinite(startedElapsed)) {
      const p = probeParams(rp);
      const msg = `Readiness probe failed: ${this.probeFailure(rp, b.readinessFailStatus, inst)}`;
      if (b.readyAfterMs > startedElapsed) out.push({ from: startedElapsed, until: Math.min(b.readyAfterMs, killElapsed), delay: p.delay, period: p.period, message: msg });
      if (b.notReadyAfterMs !== undefined) out.push({ from: Math.max(b.notReadyAfterMs, startedElapsed), until: killElapsed, delay: p.delay, period: p.period, message: msg });
    }
    const lp = rt.spec.livenessProbe as Probe | undefined;
    if (lp && b.livenessFailAfterMs !== undefined && Number.isFinite(startedElapsed)) {
      const p = probeParams(lp);
      out.push({ from: Math.max(b.livenessFailAfterMs, startedElapsed), until: killElapsed, delay: p.delay, period: p.period, message: `Liveness probe failed: ${this.probeFailure(lp, b.livenessFailStatus, inst)}` });
    }
    return out;
  }

  /** The prober's failure output for a probe's handler. */
  private probeFailure(p: Probe, status: number, _inst: Instance): string {
    if (p.httpGet) return `HTTP probe failed with statuscode: ${status}`;
    const ip = this.podIP ?? '';
    if (p.tcpSocket) return `dial tcp ${ip}:${p.tcpSocket.port}: connect: connection refused`;
    if (p.grpc) return `timeout: failed to connect service "${ip}:${p.grpc.port}" within 1s`;
    return '';
  }

  private reportProbeFailures(rt: Runtime, inst: Instance, now: number): void {
    if (now <= inst.eventsUpTo) return;
    for (const f of this.failingProbes(rt, inst)) {
      let t = tickAtOrAfter(Math.max(inst.eventsUpTo - inst.startedAt + 1, f.from), f.delay, f.period);
      let n = 0;
      while (t < f.until && inst.startedAt + t <= now && n++ < 20) {
        this.host.event(this.pod, 'Warning', 'Unhealthy', f.message, rt.fieldPath);
        t += f.period;
      }
    }
    inst.eventsUpTo = now;
  }

  // ---- termination ----------------------------------------------------------------------------

  /** activeDeadlineSeconds: the kubelet kills the pod and fails it. */
  private deadlineExceeded(now: number): boolean {
    const ads = this.pod.spec?.activeDeadlineSeconds;
    if (!ads || !this.sandboxAt || now < this.startTime() + ads * 1000) return false;
    this.deadlineHit = true;
    this.host.event(this.pod, 'Normal', 'DeadlineExceeded', 'Pod was active on the node longer than the specified deadline');
    this.beginTermination(this.pod.spec?.terminationGracePeriodSeconds ?? 30);
    this.advance(now);
    return true;
  }
  private deadlineHit = false;

  /** Stops every container within its grace period ("Stopping container x"). */
  private beginTermination(graceSeconds: number): void {
    const now = this.host.now();
    this.terminating = true;
    this.graceEndsAt = now + Math.max(0, graceSeconds) * 1000;
    for (const rt of this.rts) {
      const inst = rt.current;
      if (rt.stage === 'running' && inst && inst.finishedAt === undefined) {
        this.host.event(this.pod, 'Normal', 'Killing', `Stopping container ${rt.spec.name}`, rt.fieldPath);
        const grace = Math.max(0, graceSeconds) * 1000;
        const stopAt = now + Math.min(rt.behavior.shutdownMs, grace);
        if (inst.exitAt === undefined || stopAt < inst.exitAt || inst.exitReason === 'Completed') {
          inst.exitAt = stopAt;
          inst.exitCode = rt.behavior.shutdownMs <= grace ? 0 : 137;
          inst.exitReason = inst.exitCode === 0 ? 'Completed' : 'Error';
          inst.lastWords = true;
        }
        inst.signalled = true;
        inst.killAt = undefined;
      } else if (rt.stage !== 'running' && rt.stage !== 'done') {
        rt.stage = rt.current ? 'done' : 'idle';
        rt.pullTask = undefined;
      }
    }
  }

  /** Once every container has stopped: the terminal status, then (if deleting) the pod goes. */
  private finishIfStopped(now: number): void {
    for (const rt of this.rts) {
      const inst = rt.current;
      if (inst && inst.finishedAt === undefined) {
        if (inst.exitAt !== undefined && now >= inst.exitAt) this.exit(rt, inst, inst.exitAt, inst.exitCode ?? 0, inst.exitReason ?? 'Completed', inst.lastWords, true);
        else return;
      }
    }
    this.terminal = true;
    this.host.releasePodIP(this.uid);
  }

  /** Regular containers all finished for good: stop the sidecars, and the pod is done. */
  private checkCompletion(now: number): void {
    const regular = this.rts.filter((r) => r.kind === 'regular');
    const failedInit = this.rts.some((r) => r.kind === 'init' && r.stage === 'done' && r.current?.exitCode !== 0);
    if (!failedInit && !regular.every((r) => r.stage === 'done')) return;
    const sidecarsRunning = this.rts.some((r) => r.kind === 'sidecar' && r.current && r.current.finishedAt === undefined);
    if (sidecarsRunning && !this.terminating) {
      const grace = this.pod.spec?.terminationGracePeriodSeconds ?? 30;
      this.terminating = true;
      for (const rt of this.rts) {
        const inst = rt.current;
        if (rt.kind !== 'sidecar' || !inst || inst.finishedAt !== undefined) continue;
        this.host.event(this.pod, 'Normal', 'Killing', `Stopping container ${rt.spec.name}`, rt.fieldPath);
        inst.exitAt = now + Math.min(rt.behavior.shutdownMs, grace * 1000);
        inst.exitCode = rt.behavior.shutdownMs <= grace * 1000 ? 0 : 137;
        inst.exitReason = inst.exitCode === 0 ? 'Completed' : 'Error';
        inst.signalled = true;
      }
      return;
    }
    for (const rt of this.rts) if (rt.stage !== 'done' && rt.stage !== 'running') rt.stage = rt.current ? 'done' : rt.stage;
    this.terminal = true;
    this.host.releasePodIP(this.uid);
  }

  // ---- status ---------------------------------------------------------------------------------

  private startTime(): number {
    const st = this.pod.status?.startTime;
    return st ? Date.parse(st) : this.admittedAt;
  }

  private containerStatus(rt: Runtime, now: number, hasInit: boolean): ContainerStatus {
    const inst = rt.current;
    const terminated = (i: Instance) => ({
      terminated: {
        exitCode: i.exitCode ?? 0,
        reason: i.exitReason ?? 'Completed',
        startedAt: rfc3339(i.startedAt),
        finishedAt: rfc3339(i.finishedAt ?? now),
        containerID: `containerd://${i.id}`,
      },
    });
    let state: ContainerStatus['state'];
    let lastState: ContainerStatus['lastState'] = {};
    const running = !!inst && inst.finishedAt === undefined;
    if (running) {
      state = { running: { startedAt: rfc3339(inst!.startedAt) } };
      if (rt.previous) lastState = terminated(rt.previous);
    } else if (inst) {
      if (rt.waiting && rt.stage !== 'done' && rt.stage !== 'exited') {
        state = { waiting: { reason: rt.waiting.reason, ...(rt.waiting.message ? { message: rt.waiting.message } : {}) } };
        lastState = terminated(inst);
      } else {
        state = terminated(inst);
        if (rt.previous) lastState = terminated(rt.previous);
      }
    } else {
      const w = rt.waiting ?? { reason: hasInit ? 'PodInitializing' : 'ContainerCreating' };
      state = { waiting: { reason: w.reason, ...(w.message ? { message: w.message } : {}) } };
    }
    const shown = inst ?? undefined;
    const started = running && now >= inst!.startedFlagAt;
    const ready = running && started && now >= inst!.readyAt && now < inst!.notReadyAt;
    const status: ContainerStatus = {
      name: rt.spec.name,
      state,
      lastState,
      ready,
      restartCount: rt.restartCount,
      image: shown ? imageName(shown.ref) : (rt.spec.image ?? ''),
      imageID: shown ? imageID(shown.ref) : '',
      ...(shown ? { containerID: `containerd://${shown.id}` } : {}),
      started,
    };
    const mounts = (rt.spec.volumeMounts ?? []).map((m) => ({
      name: m.name,
      mountPath: m.mountPath,
      ...(m.readOnly ? { readOnly: true, recursiveReadOnly: 'Disabled' } : {}),
    }));
    if (mounts.length) (status as Record<string, unknown>).volumeMounts = mounts;
    return status;
  }

  /** The status the kubelet reports now (the fields it owns). */
  buildStatus(now: number): PodStatus {
    const spec = this.pod.spec!;
    const hasInit = (spec.initContainers ?? []).length > 0;
    const init = this.rts.filter((r) => r.kind !== 'regular').map((r) => this.containerStatus(r, now, hasInit));
    const regular = this.rts.filter((r) => r.kind === 'regular').map((r) => this.containerStatus(r, now, hasInit));
    const phase = this.deadlineHit ? 'Failed' : podPhase(spec, init, regular, this.terminal);
    const facts: ConditionFacts[] = [{ type: 'PodReadyToStartContainers', status: this.podIP && !this.terminal ? 'True' : 'False' }];
    facts.push(initializedCondition(spec, init, phase));
    const cr = containersReadyCondition(spec, init, regular, phase);
    facts.push(readyCondition(spec, cr, this.pod.status?.conditions), cr);
    const status: PodStatus = {
      phase,
      conditions: this.withTimes(facts, now),
      hostIP: this.host.hostIP,
      hostIPs: [{ ip: this.host.hostIP }],
      startTime: rfc3339(this.startTime()),
      containerStatuses: regular,
    };
    if (this.podIP) {
      status.podIP = this.podIP;
      status.podIPs = [{ ip: this.podIP }];
    }
    if (hasInit) status.initContainerStatuses = init;
    if (this.deadlineHit) {
      status.reason = 'DeadlineExceeded';
      status.message = 'Pod was active on the node longer than the specified deadline';
    }
    if (!this.pod.status?.qosClass) status.qosClass = 'BestEffort';
    return status;
  }

  private withTimes(facts: ConditionFacts[], now: number): NonNullable<PodStatus['conditions']> {
    for (const f of facts) {
      const seen = this.transitions.get(f.type);
      if (seen?.status === f.status) continue;
      const fromPod = this.pod.status?.conditions?.find((c) => c.type === f.type);
      const at = !seen && fromPod?.status === f.status && fromPod.lastTransitionTime ? fromPod.lastTransitionTime : rfc3339(now);
      this.transitions.set(f.type, { status: f.status, at });
    }
    return withTimes(facts, (type) => this.transitions.get(type)!.at);
  }

  /**
   * SyncPod's first pass over a new pod: the kubelet reports the pod's status when it starts syncing
   * it (ContainerCreating, no IP), then sets up the sandbox and pulls, creates and starts the first
   * container in the same pass, and reports again only when that pass ends, with the container
   * running or failed. So the pod IP and PodReadyToStartContainers=True arrive with that report, not
   * on their own while the image is pulled (`kubectl get pod -o wide` shows no IP until then).
   */
  private get firstStartInProgress(): boolean {
    if (!this.sandboxAt || this.terminating || this.terminal || this.deadlineHit) return false;
    return this.rts.every((rt) => !rt.current && !rt.waiting && (rt.stage === 'idle' || rt.stage === 'pulling' || rt.stage === 'creating'));
  }

  private reportStatus(): void {
    if (this.deleted) return;
    // The report at admission (nothing sent yet) always goes out.
    if (this.lastSent !== undefined && this.firstStartInProgress) return;
    this.dirty = true;
    if (this.sending) return;
    this.sending = true;
    const p = this.flush().finally(() => {
      this.sending = false;
      this.inflight.delete(p);
    });
    this.inflight.add(p);
  }

  private async flush(): Promise<void> {
    while (this.dirty && !this.deleted) {
      this.dirty = false;
      const now = this.host.now();
      const status = this.buildStatus(now);
      const text = JSON.stringify(status);
      if (text !== this.lastSent) {
        try {
          await this.host.patchStatus(this.pod, status as Record<string, unknown>);
          this.lastSent = text;
        } catch (e) {
          if ((e as { code?: number }).code === 404) {
            this.remove();
            return;
          }
          this.host.log(`kubelet ${this.host.nodeName}: status of pod ${this.key} not written`, e);
          this.host.timers.after(ERROR_RESYNC_MS, () => this.reportStatus());
          return;
        }
      }
      if (this.terminal && this.pod.metadata.deletionTimestamp && !this.deleteSent && !this.dirty) {
        this.deleteSent = true;
        try {
          await this.host.deletePod(this.pod);
        } catch (e) {
          if ((e as { code?: number }).code !== 404) {
            this.deleteSent = false;
            this.host.log(`kubelet ${this.host.nodeName}: pod ${this.key} not deleted`, e);
            this.host.timers.after(ERROR_RESYNC_MS, () => this.reportStatus());
          }
        }
      }
    }
  }

  // ---- read access: logs and usage -------------------------------------------------------------

  /** The current status as this kubelet sees it (what log requests are checked against). */
  statusNow(): PodStatus {
    return this.buildStatus(this.host.now());
  }

  /** The instance whose container ID is id ("containerd://…"). */
  instanceLog(container: string, containerID: string): ContainerLog | undefined {
    const rt = this.rts.find((r) => r.spec.name === container);
    if (!rt) return undefined;
    for (const i of [rt.current, rt.previous]) if (i && `containerd://${i.id}` === containerID) return i.log;
    return undefined;
  }

  /** Usage of every running container. */
  usage(now: number): ContainerUsage[] {
    const out: ContainerUsage[] = [];
    for (const rt of this.rts) {
      const i = rt.current;
      if (!i || i.finishedAt !== undefined) continue;
      const u = usageAt(i.base, rt.behavior, i.startedAt, now, `${this.uid}:${rt.spec.name}`);
      out.push({ name: rt.spec.name, cpu: u.cpu, memory: u.memory, timestamp: rfc3339(now) });
    }
    return out;
  }

  /** True once the kubelet is done with the pod (terminal phase reported). */
  get finished(): boolean {
    return this.terminal;
  }
}
