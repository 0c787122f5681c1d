// kube-controller-manager's endpoints controller (pkg/controller/endpoint): one Endpoints object per
// Service with a selector, listing the selected pods' IPs — ready ones in addresses, the rest in
// notReadyAddresses — with each service port resolved on each pod. Services without a selector keep
// whatever Endpoints users write; Endpoints whose Service is gone are deleted.
import { jsonCopy } from '../../apimachinery/json.js';
import { isDeepStrictEqual } from 'node:util';
import type { Endpoints, Pod, Service } from '../../api/objects.js';
import { isPodReady } from '../../api/pod.js';
import { isStatusError } from '../../apimachinery/errors.js';
import { selectorFromSet, matches } from '../../apimachinery/labels.js';
import type { EventRecorder } from '../../client/events.js';
import { splitMetaNamespaceKey, type SharedInformer } from '../../client/informer.js';
import { isNotFound, type RestClient } from '../../client/rest.js';
import { recorderFor, type ControllerContext } from '../context.js';
import { Controller, type ControllerConfig } from '../controller.js';
import { canonicalSubsets, countAddresses, MAX_CAPACITY, OVER_CAPACITY_ANNOTATION, repackSubsets, truncateEndpoints, TRUNCATED, type Address, type Port, type Subset } from './subsets.js';
import {
  findPort,
  handleServiceAndPodEvents,
  HEADLESS_LABEL,
  isIPv6,
  isServiceIPSet,
  LAST_CHANGE_TRIGGER_TIME,
  rfc3339Nano,
  shouldPodBeInEndpoints,
  shouldSetHostname,
  TriggerTimeTracker,
} from './util.js';
import { ENDPOINTS, PODS, SERVICES } from '../../client/refs.js';

/** resourcelock.LeaderElectionRecordAnnotationKey: old leader-election Endpoints have no Service and must stay. */
const LEADER_ANNOTATION = 'control-plane.alpha.kubernetes.io/leader';

export interface EndpointsControllerConfig extends Partial<ControllerConfig> {
  /** --endpoint-updates-batch-period: how long pod changes wait to be batched (default 0). */
  batchPeriodMs?: number;
}

/** The endpoints controller; service account "endpoint-controller". */
export class EndpointsController extends Controller {
  private readonly client: RestClient;
  private readonly recorder: EventRecorder;
  private readonly services: SharedInformer<Service>;
  private readonly pods: SharedInformer<Pod>;
  private readonly endpoints: SharedInformer<Endpoints>;
  private readonly triggerTimes = new TriggerTimeTracker();
  // staleEndpointsTracker: resourceVersions we have already replaced, so a lagging cache is noticed.
  private readonly staleVersions = new Map<string, string>();
  private readonly batchPeriodMs: number;

  constructor(ctx: ControllerContext, config: EndpointsControllerConfig = {}) {
    super('endpoint', { clock: ctx.clock, log: ctx.log, workers: 5, ...config });
    this.client = ctx.clientFor('endpoint-controller');
    this.recorder = recorderFor(ctx, 'endpoint-controller');
    this.batchPeriodMs = config.batchPeriodMs ?? 0;
    this.services = ctx.informers.forResource<Service>(SERVICES);
    this.pods = ctx.informers.forResource<Pod>(PODS);
    this.endpoints = ctx.informers.forResource<Endpoints>(ENDPOINTS);

    handleServiceAndPodEvents(this.services, this.pods, (svc) => this.enqueue(svc), (keys) => this.enqueueServices(keys));
    this.endpoints.addEventHandler({ onDelete: (ep) => this.enqueue(ep) });
  }

  private enqueueServices(keys: Set<string>): void {
    for (const key of keys) this.queue.addAfter(key, this.batchPeriodMs);
  }

  protected override async run(): Promise<void> {
    await Promise.all([this.services, this.pods, this.endpoints].map((i) => i.waitForSync()));
    this.checkLeftoverEndpoints();
  }

  hasSynced(): boolean {
    return this.services.hasSynced() && this.pods.hasSynced() && this.endpoints.hasSynced();
  }

  // Once at start: Endpoints whose Service went away while we were down are found and deleted.
  private checkLeftoverEndpoints(): void {
    for (const ep of this.endpoints.lister.list()) {
      if (ep.metadata.annotations?.[LEADER_ANNOTATION] !== undefined) continue;
      this.enqueue(ep);
    }
  }

  protected async sync(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const service = this.services.lister.get(namespace, name);
    if (!service) {
      try {
        await this.client.resource(ENDPOINTS).namespace(namespace).delete(name);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      this.triggerTimes.deleteService(namespace, name);
      this.staleVersions.delete(key);
      return;
    }
    // ExternalName Services get no endpoints; selectorless ones get the endpoints users write.
    if (service.spec?.type === 'ExternalName') return;
    if (!service.spec?.selector) return;

    const sel = selectorFromSet(service.spec.selector);
    const pods = this.pods.lister.list(namespace).filter((p) => matches(sel, p.metadata.labels ?? {}));
    // Computed even when nothing changes, so the tracker's state stays current.
    const triggerTime = this.triggerTimes.compute(namespace, service, pods);
    const publishNotReady = service.spec.publishNotReadyAddresses === true;

    let subsets: Subset[] = [];
    for (const pod of pods) {
      if (!shouldPodBeInEndpoints(pod, publishNotReady)) continue;
      const address = podAddress(service, pod);
      if (!address) continue;
      if (shouldSetHostname(pod, service)) address.hostname = pod.spec!.hostname;
      const ports = service.spec.ports ?? [];
      if (ports.length === 0) {
        // A headless Service may have no ports at all.
        if (service.spec.clusterIP === 'None') subsets.push(subsetFor(pod, address, undefined, publishNotReady));
        continue;
      }
      for (const sp of ports) {
        const portNum = findPort(pod, sp);
        if (portNum === undefined) continue;
        const port: Port = { name: sp.name, port: portNum, protocol: sp.protocol };
        if (sp.appProtocol) port.appProtocol = sp.appProtocol;
        if (!port.name) delete port.name;
        subsets.push(subsetFor(pod, address, port, publishNotReady));
      }
    }
    subsets = repackSubsets(subsets);

    let current = this.endpoints.lister.get(namespace, name);
    if (current && this.staleVersions.get(key) === current.metadata.resourceVersion) {
      throw new Error(`endpoints informer cache is out of date, resource version ${current.metadata.resourceVersion} already processed for endpoints ${key}`);
    }
    const create = !current;
    if (!current) current = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace, labels: service.metadata.labels } };

    const compareLabels = { ...(current.metadata.labels ?? {}) };
    delete compareLabels[HEADLESS_LABEL];
    if (
      !create &&
      canonicalSubsets(current.subsets) === canonicalSubsets(subsets) &&
      isDeepStrictEqual(compareLabels, service.metadata.labels ?? {}) &&
      capacityAnnotationSetCorrectly(current)
    ) {
      return;
    }

    const next: Endpoints = jsonCopy(current);
    next.apiVersion = 'v1';
    next.kind = 'Endpoints';
    next.subsets = subsets;
    const annotations = (next.metadata.annotations ??= {});
    if (triggerTime) annotations[LAST_CHANGE_TRIGGER_TIME] = rfc3339Nano(triggerTime);
    else delete annotations[LAST_CHANGE_TRIGGER_TIME];
    if (truncateEndpoints(next.subsets)) annotations[OVER_CAPACITY_ANNOTATION] = TRUNCATED;
    else delete annotations[OVER_CAPACITY_ANNOTATION];
    if (!next.subsets.length) delete next.subsets;
    else for (const s of next.subsets) dropEmpty(s);
    const labels: Record<string, string> = { ...(service.metadata.labels ?? {}) };
    if (!isServiceIPSet(service)) labels[HEADLESS_LABEL] = '';
    else delete labels[HEADLESS_LABEL];
    next.metadata.labels = labels;

    const endpoints = this.client.resource<Endpoints>(ENDPOINTS).namespace(namespace);
    try {
      if (create) {
        await endpoints.create(next);
      } else {
        const updated = await endpoints.update(next);
        if (updated.metadata.resourceVersion !== current.metadata.resourceVersion) this.staleVersions.set(key, current.metadata.resourceVersion!);
      }
    } catch (e) {
      // A terminating namespace refuses creates until it is gone: nothing to retry.
      if (create && isStatusError(e) && e.code === 403 && e.status.details?.causes?.some((c) => c.reason === 'NamespaceTerminating')) return;
      const msg = isStatusError(e) ? (e.status.message ?? e.message) : String(e);
      if (create) this.recorder.event(next, 'Warning', 'FailedToCreateEndpoint', `Failed to create endpoint for service ${namespace}/${name}: ${msg}`);
      else this.recorder.event(next, 'Warning', 'FailedToUpdateEndpoint', `Failed to update endpoint ${namespace}/${name}: ${msg}`);
      throw e;
    }
  }
}

// podToEndpointAddressForService: the pod IP of the Service's (first) family.
function podAddress(svc: Service, pod: Pod): Address | undefined {
  let v6: boolean;
  if (svc.spec?.ipFamilies?.length) v6 = svc.spec.ipFamilies[0] === 'IPv6';
  else if (isServiceIPSet(svc)) v6 = isIPv6(svc.spec!.clusterIP!);
  else v6 = isIPv6(pod.status?.podIP ?? '');
  const ip = (pod.status?.podIPs ?? []).map((p) => p.ip).find((ip) => isIPv6(ip) === v6);
  if (!ip) return undefined;
  return {
    ip,
    nodeName: pod.spec?.nodeName,
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
  };
}

function subsetFor(pod: Pod, address: Address, port: Port | undefined, tolerateUnready: boolean): Subset {
  const ports = port ? [port] : [];
  if (tolerateUnready || isPodReady(pod)) return { addresses: [jsonCopy(address)], ports };
  return { notReadyAddresses: [jsonCopy(address)], ports };
}

function dropEmpty(s: Subset): void {
  if (!s.addresses?.length) delete s.addresses;
  if (!s.notReadyAddresses?.length) delete s.notReadyAddresses;
  if (!s.ports?.length) delete s.ports;
}

// capacityAnnotationSetCorrectly: over capacity always needs a write (to truncate); under it, the annotation must be absent.
function capacityAnnotationSetCorrectly(ep: Endpoints): boolean {
  if (countAddresses(ep.subsets) > MAX_CAPACITY) return false;
  return ep.metadata.annotations?.[OVER_CAPACITY_ANNOTATION] === undefined;
}
