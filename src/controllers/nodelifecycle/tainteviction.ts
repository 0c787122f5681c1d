// kube-controller-manager's taint eviction controller (pkg/controller/tainteviction, v1.32): pods
// bound to a node with NoExecute taints they do not tolerate are deleted at once; pods tolerating
// every such taint for a limited tolerationSeconds are deleted when the shortest one runs out,
// counted from when the controller saw the taint (or from the earlier scheduled deletion), and the
// deletion is cancelled if the taints go or the tolerations change. Before deleting, the pod gets
// the DisruptionTarget condition.
import { isDeepStrictEqual } from 'node:util';
import type { Node, Pod, Taint, Toleration } from '../../api/objects.js';
import type { KubeObject } from '../../api/types.js';
import type { EventRecorder } from '../../client/events.js';
import { metaNamespaceKey, splitMetaNamespaceKey, type SharedInformer } from '../../client/informer.js';
import { isNotFound, type RestClient } from '../../client/rest.js';
import { rfc3339, type TimerHandle } from '../../sim/clock.js';
import { Controller } from '../controller.js';
import { recorderFor, type ControllerContext } from '../context.js';
import { addPodNodeNameIndex, podsOnNode } from './resources.js';
import { getMatchingTolerations } from './taints.js';
import { NODES, PODS } from '../../client/refs.js';

const SERVICE_ACCOUNT = 'node-controller';
const CONTROLLER_NAME = 'taint-eviction-controller';

interface ScheduledWork {
  createdAt: number;
  fireAt: number;
  timer?: TimerHandle;
}

/** getMinTolerationTime: ms until eviction; negative means never, 0 at once. */
export function minTolerationTime(tolerations: readonly Toleration[]): number {
  if (!tolerations.length) return 0;
  let min = Infinity;
  for (const t of tolerations) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
    if (t.tolerationSeconds <= 0) return 0;
    min = Math.min(min, t.tolerationSeconds);
  }
  return min === Infinity ? -1 : min * 1000;
}

function noExecuteTaints(taints: readonly Taint[] | undefined): Taint[] {
  return (taints ?? []).filter((t) => t.effect === 'NoExecute');
}

/** The taint eviction controller; see the module comment. start(signal) returns at once. */
export class TaintEvictionController extends Controller {
  private readonly client: RestClient;
  private readonly recorder: EventRecorder;
  private readonly nodes: SharedInformer<Node>;
  private readonly pods: SharedInformer<Pod>;
  private readonly taintedNodes = new Map<string, Taint[]>();
  // A key mapped to null is work that already ran: kept so it is not scheduled again
  // (TimedWorkerQueue's behaviour) until the pod goes away or the work is cancelled.
  private readonly work = new Map<string, ScheduledWork | null>();
  private stopped = false;

  constructor(ctx: ControllerContext, opts: { workers?: number } = {}) {
    super(CONTROLLER_NAME, { clock: ctx.clock, log: ctx.log, workers: opts.workers ?? 8 });
    this.client = ctx.clientFor(SERVICE_ACCOUNT);
    // kube-controller-manager runs it with node-controller's credentials but reports events as itself.
    this.recorder = recorderFor(ctx, SERVICE_ACCOUNT, CONTROLLER_NAME);
    this.nodes = ctx.informers.forResource<Node>(NODES);
    this.pods = ctx.informers.forResource<Pod>(PODS);
    addPodNodeNameIndex(this.pods);
  }

  protected override async run(signal: AbortSignal): Promise<void> {
    signal.addEventListener(
      'abort',
      () => {
        this.stopped = true;
        for (const w of this.work.values()) if (w) this.clock.clearTimeout(w.timer);
        this.work.clear();
      },
      { once: true },
    );
    this.nodes.addEventHandler({
      onAdd: (n) => this.queue.add(`node:${n.metadata.name}`),
      onUpdate: (o, n) => {
        if (!isDeepStrictEqual(noExecuteTaints(o.spec?.taints), noExecuteTaints(n.spec?.taints))) this.queue.add(`node:${n.metadata.name}`);
      },
      onDelete: (n) => this.queue.add(`node:${metaNamespaceKey(n as KubeObject)}`),
    });
    this.pods.addEventHandler({
      onAdd: (p) => {
        if (p.spec?.nodeName) this.queue.add(`pod:${p.metadata.namespace}/${p.metadata.name}`);
      },
      onUpdate: (o, p) => {
        if (o.spec?.nodeName === p.spec?.nodeName && isDeepStrictEqual(o.spec?.tolerations ?? [], p.spec?.tolerations ?? [])) return;
        this.queue.add(`pod:${p.metadata.namespace}/${p.metadata.name}`);
      },
      onDelete: (p) => this.queue.add(`pod:${metaNamespaceKey(p as KubeObject)}`),
    });
    await Promise.all([this.nodes.waitForSync(), this.pods.waitForSync()]);
  }

  protected async sync(key: string): Promise<void> {
    if (key.startsWith('node:')) this.handleNodeUpdate(key.slice(5));
    else if (key.startsWith('pod:')) this.handlePodUpdate(key.slice(4));
  }

  private handleNodeUpdate(nodeName: string): void {
    const node = this.nodes.lister.get('', nodeName);
    if (!node) {
      this.taintedNodes.delete(nodeName);
      return;
    }
    const taints = noExecuteTaints(node.spec?.taints);
    if (taints.length) this.taintedNodes.set(nodeName, taints);
    else this.taintedNodes.delete(nodeName);
    const pods = podsOnNode(this.pods, nodeName);
    if (!pods.length) return;
    if (!taints.length) {
      for (const p of pods) this.cancelWorkWithEvent(`${p.metadata.namespace}/${p.metadata.name}`);
      return;
    }
    const now = this.clock.now();
    for (const p of pods) this.processPodOnNode(`${p.metadata.namespace}/${p.metadata.name}`, p.spec?.tolerations ?? [], taints, now);
  }

  private handlePodUpdate(podKey: string): void {
    const { namespace, name } = splitMetaNamespaceKey(podKey);
    const pod = this.pods.lister.get(namespace, name);
    if (!pod) {
      this.cancelWorkWithEvent(podKey);
      return;
    }
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) return;
    const taints = this.taintedNodes.get(nodeName);
    if (!taints) return;
    this.processPodOnNode(podKey, pod.spec?.tolerations ?? [], taints, this.clock.now());
  }

  private processPodOnNode(podKey: string, tolerations: Toleration[], taints: Taint[], now: number): void {
    if (!taints.length) this.cancelWorkWithEvent(podKey);
    const { allTolerated, used } = getMatchingTolerations(taints, tolerations);
    if (!allTolerated) {
      this.cancelWorkWithEvent(podKey);
      this.addWork(podKey, now, now);
      return;
    }
    const wait = minTolerationTime(used);
    if (wait < 0) {
      this.cancelWorkWithEvent(podKey);
      return;
    }
    let start = now;
    const scheduled = this.work.get(podKey);
    if (scheduled) {
      start = scheduled.createdAt;
      // A deletion scheduled earlier keeps its start, so waiting on does not postpone it.
      if (start < now) return;
      this.cancelWorkWithEvent(podKey);
    }
    this.addWork(podKey, start, start + wait);
  }

  /** Deletions scheduled (not yet run), by "ns/name", with their due times; for tests. */
  scheduled(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [k, w] of this.work) if (w) out.set(k, w.fireAt);
    return out;
  }

  private addWork(podKey: string, createdAt: number, fireAt: number): void {
    if (this.stopped || this.work.has(podKey)) return;
    const w: ScheduledWork = { createdAt, fireAt };
    this.work.set(podKey, w);
    w.timer = this.clock.setTimeout(() => void this.fire(podKey, w), Math.max(0, fireAt - this.clock.now()));
  }

  private cancelWorkWithEvent(podKey: string): void {
    const w = this.work.get(podKey);
    if (w === undefined) return;
    this.work.delete(podKey);
    if (w) {
      this.clock.clearTimeout(w.timer);
      this.emit(podKey, `Cancelling deletion of Pod ${podKey}`);
    }
  }

  private async fire(podKey: string, w: ScheduledWork): Promise<void> {
    if (this.work.get(podKey) !== w) return;
    this.emit(podKey, `Marking for deletion Pod ${podKey}`);
    let err: unknown;
    for (let i = 0; i < 5; i++) {
      try {
        await this.addConditionAndDeletePod(podKey);
        err = undefined;
        break;
      } catch (e) {
        err = e;
        if (isNotFound(e)) break;
        await this.clock.sleep(10);
      }
    }
    if (this.work.get(podKey) !== w) return;
    if (err === undefined || isNotFound(err)) this.work.set(podKey, null);
    else {
      this.log(`${this.name}: deleting pod ${podKey} failed`, err);
      this.work.delete(podKey);
    }
  }

  private async addConditionAndDeletePod(podKey: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(podKey);
    const pods = this.client.resource<Pod>(PODS).namespace(namespace);
    const pod = await pods.get(name);
    const existing = pod.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
    const reason = 'DeletionByTaintManager';
    const message = 'Taint manager: deleting due to NoExecute taint';
    if (!existing || existing.status !== 'True' || existing.reason !== reason || existing.message !== message) {
      const lastTransitionTime = existing?.status === 'True' ? existing.lastTransitionTime : rfc3339(this.clock.now());
      await pods.patch(
        name,
        'strategic',
        { metadata: { uid: pod.metadata.uid }, status: { conditions: [{ type: 'DisruptionTarget', status: 'True', reason, message, lastTransitionTime }] } },
        { subresource: 'status' },
      );
    }
    await pods.delete(name);
  }

  private emit(podKey: string, message: string): void {
    const { namespace, name } = splitMetaNamespaceKey(podKey);
    const ref: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace } };
    this.recorder.event(ref, 'Normal', 'TaintManagerEviction', message);
  }

  /** Resolves once queued events are written; for tests. */
  flushEvents(): Promise<void> {
    return this.recorder.flush();
  }
}
