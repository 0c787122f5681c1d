// kube-controller-manager's EndpointSlice controller (pkg/controller/endpointslice): for each
// Service with a selector, the EndpointSlices (managed-by endpointslice-controller.k8s.io, owned by
// the Service) that list its pods with ready/serving/terminating conditions, node and zone.
import type { EndpointSlice, Node, Pod, Service } from '../../api/objects.js';
import { matches, selectorFromSet } from '../../apimachinery/labels.js';
import type { EventRecorder } from '../../client/events.js';
import { DeletedFinalStateUnknown, splitMetaNamespaceKey, type SharedInformer } from '../../client/informer.js';
import { recorderFor, type ControllerContext } from '../context.js';
import { Controller, type ControllerConfig } from '../controller.js';
import { handleServiceAndPodEvents, TriggerTimeTracker } from '../endpoints/util.js';
import { CONTROLLER_NAME, DEFAULT_MAX_ENDPOINTS_PER_SLICE, LABEL_MANAGED_BY, LABEL_SERVICE_NAME, Reconciler } from './reconciler.js';
import { EndpointSliceTracker } from './tracker.js';
import { ENDPOINT_SLICES, NODES, PODS, SERVICES } from '../../client/refs.js';

export interface EndpointSliceControllerConfig extends Partial<ControllerConfig> {
  /** --max-endpoints-per-slice (default 100). */
  maxEndpointsPerSlice?: number;
  /** --endpointslice-updates-batch-period (default 0). */
  batchPeriodMs?: number;
}

/** The EndpointSlice controller; service account "endpointslice-controller". */
export class EndpointSliceController extends Controller {
  private readonly recorder: EventRecorder;
  private readonly services: SharedInformer<Service>;
  private readonly pods: SharedInformer<Pod>;
  private readonly nodes: SharedInformer<Node>;
  private readonly slices: SharedInformer<EndpointSlice>;
  private readonly tracker = new EndpointSliceTracker();
  private readonly triggerTimes = new TriggerTimeTracker();
  private readonly reconciler: Reconciler;
  private readonly batchPeriodMs: number;

  constructor(ctx: ControllerContext, config: EndpointSliceControllerConfig = {}) {
    super('endpointslice', { clock: ctx.clock, log: ctx.log, workers: 5, ...config });
    const client = ctx.clientFor('endpointslice-controller');
    this.recorder = recorderFor(ctx, 'endpointslice-controller', 'endpoint-slice-controller');
    this.batchPeriodMs = config.batchPeriodMs ?? 0;
    this.services = ctx.informers.forResource<Service>(SERVICES);
    this.pods = ctx.informers.forResource<Pod>(PODS);
    this.nodes = ctx.informers.forResource<Node>(NODES);
    this.slices = ctx.informers.forResource<EndpointSlice>(ENDPOINT_SLICES);
    this.reconciler = new Reconciler({
      client,
      nodes: this.nodes.lister,
      tracker: this.tracker,
      maxEndpointsPerSlice: config.maxEndpointsPerSlice ?? DEFAULT_MAX_ENDPOINTS_PER_SLICE,
    });

    handleServiceAndPodEvents(this.services, this.pods, (svc) => this.enqueue(svc), (keys) => this.enqueueServices(keys));
    this.slices.addEventHandler({
      onAdd: (slice) => {
        if (managed(slice) && this.tracker.shouldSync(slice)) this.enqueueSliceService(slice);
      },
      onUpdate: (old, slice) => {
        // A slice someone took over, or changed behind our back, needs its Service looked at again.
        if (managed(old) !== managed(slice) || old.metadata.labels?.[LABEL_SERVICE_NAME] !== slice.metadata.labels?.[LABEL_SERVICE_NAME]) {
          this.enqueueSliceService(old);
          this.enqueueSliceService(slice);
        } else if (managed(slice) && this.tracker.shouldSync(slice)) {
          this.enqueueSliceService(slice);
        }
      },
      onDelete: (obj) => {
        const slice = obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
        if (managed(slice) && this.tracker.handleDeletion(slice)) this.enqueueSliceService(slice);
      },
    });
  }

  private enqueueServices(keys: Set<string>): void {
    for (const key of keys) this.queue.addAfter(key, this.batchPeriodMs);
  }

  private enqueueSliceService(slice: EndpointSlice): void {
    const svc = slice.metadata.labels?.[LABEL_SERVICE_NAME];
    if (svc) this.queue.addAfter(`${slice.metadata.namespace}/${svc}`, this.batchPeriodMs);
  }

  protected override async run(): Promise<void> {
    await Promise.all([this.services, this.pods, this.nodes, this.slices].map((i) => i.waitForSync()));
  }

  hasSynced(): boolean {
    return [this.services, this.pods, this.nodes, this.slices].every((i) => i.hasSynced());
  }

  protected async sync(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const service = this.services.lister.get(namespace, name);
    if (!service) {
      // The garbage collector removes the slices through their ownerReference.
      this.triggerTimes.deleteService(namespace, name);
      this.tracker.deleteService(key);
      return;
    }
    if (service.spec?.type === 'ExternalName') return;
    if (!service.spec?.selector) return;

    const sel = selectorFromSet(service.spec.selector);
    const pods = this.pods.lister.list(namespace).filter((p) => matches(sel, p.metadata.labels ?? {}));
    // Slices being deleted are ignored, so a slow garbage collection cannot wedge the Service.
    const slices = this.slices.lister
      .list(namespace)
      .filter((s) => s.metadata.labels?.[LABEL_SERVICE_NAME] === name && s.metadata.labels?.[LABEL_MANAGED_BY] === CONTROLLER_NAME && !s.metadata.deletionTimestamp);
    if (this.tracker.staleSlices(key, slices)) throw new Error('EndpointSlice informer cache is out of date');
    const triggerTime = this.triggerTimes.compute(namespace, service, pods);
    try {
      await this.reconciler.reconcile(service, pods, slices, triggerTime);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.recorder.event(service, 'Warning', 'FailedToUpdateEndpointSlices', `Error updating Endpoint Slices for Service ${namespace}/${name}: ${msg}`);
      throw e;
    }
  }
}

function managed(slice: EndpointSlice): boolean {
  return slice.metadata.labels?.[LABEL_MANAGED_BY] === CONTROLLER_NAME;
}
