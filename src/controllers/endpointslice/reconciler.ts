// The EndpointSlice reconciler (k8s.io/endpointslice): turns the pods selected by a Service into
// EndpointSlices of at most maxEndpointsPerSlice endpoints, grouped by the ports they resolve to,
// changing as few slices as it can: keep endpoints in place, fill slices that change anyway, then
// the fullest unchanged slice that fits, and only then create new ones.
import { jsonCopy } from '../../apimachinery/json.js';
import { isDeepStrictEqual } from 'node:util';
import type { EndpointSlice, Node, Pod, Service } from '../../api/objects.js';
import { isPodReady } from '../../api/pod.js';
import type { Lister } from '../../client/informer.js';
import { isNotFound, type RestClient } from '../../client/rest.js';
import { isStatusError } from '../../apimachinery/errors.js';
import { findPort, HEADLESS_LABEL, isIPv6, isServiceIPSet, LAST_CHANGE_TRIGGER_TIME, rfc3339Nano, shouldPodBeInEndpoints, shouldSetHostname } from '../endpoints/util.js';
import type { EndpointSliceTracker } from './tracker.js';
import { ENDPOINT_SLICES } from '../../client/refs.js';

export type Endpoint = EndpointSlice['endpoints'][number];
export type EndpointPort = NonNullable<EndpointSlice['ports']>[number];
type AddressType = 'IPv4' | 'IPv6';

export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
export const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
export const ZONE_LABEL = 'topology.kubernetes.io/zone';
export const DEFAULT_MAX_ENDPOINTS_PER_SLICE = 100;

export interface ReconcilerConfig {
  client: RestClient;
  nodes: Lister<Node>;
  tracker: EndpointSliceTracker;
  maxEndpointsPerSlice: number;
}

export class Reconciler {
  constructor(private readonly config: ReconcilerConfig) {}

  /** Brings the Service's slices in line with pods; throws the collected errors after doing what it could. */
  async reconcile(service: Service, pods: Pod[], existing: EndpointSlice[], triggerTime: number): Promise<void> {
    const supported = addressTypesForService(service);
    const toDelete: EndpointSlice[] = [];
    const byType = new Map<string, EndpointSlice[]>();
    for (const slice of existing) {
      if (!supported.has(slice.addressType as AddressType)) {
        toDelete.push(slice);
        continue;
      }
      byType.set(slice.addressType, [...(byType.get(slice.addressType) ?? []), slice]);
    }
    const errs: string[] = [];
    for (const addressType of supported) {
      try {
        await this.reconcileByAddressType(service, pods, byType.get(addressType) ?? [], triggerTime, addressType);
      } catch (e) {
        errs.push(errorText(e));
      }
    }
    for (const slice of toDelete) {
      try {
        await this.deleteSlice(service, slice);
      } catch (e) {
        errs.push(`error deleting ${slice.metadata.name} EndpointSlice for Service ${service.metadata.namespace}/${service.metadata.name}: ${errorText(e)}`);
      }
    }
    if (errs.length) throw new Error(errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`);
  }

  private async deleteSlice(service: Service, slice: EndpointSlice): Promise<void> {
    try {
      await this.config.client.resource(ENDPOINT_SLICES).namespace(service.metadata.namespace!).delete(slice.metadata.name!);
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    this.config.tracker.expectDeletion(slice);
  }

  private async reconcileByAddressType(service: Service, pods: Pod[], existing: EndpointSlice[], triggerTime: number, addressType: AddressType): Promise<void> {
    const errs: string[] = [];
    let toCreate: EndpointSlice[] = [];
    let toUpdate: EndpointSlice[] = [];
    let toDelete: EndpointSlice[] = [];

    const existingByPortMap = new Map<string, EndpointSlice[]>();
    for (const slice of existing) {
      if (ownedBy(slice, service)) {
        const k = portMapKey(slice.ports ?? []);
        existingByPortMap.set(k, [...(existingByPortMap.get(k) ?? []), slice]);
      } else {
        toDelete.push(slice);
      }
    }

    const desiredPorts = new Map<string, EndpointPort[]>();
    const desired = new Map<string, Map<string, Endpoint>>();
    for (const pod of pods) {
      if (!shouldPodBeInEndpoints(pod, true)) continue;
      const ports = endpointPorts(service, pod);
      const k = portMapKey(ports);
      if (!desired.has(k)) desired.set(k, new Map());
      if (!desiredPorts.has(k)) desiredPorts.set(k, ports);
      const node = pod.spec?.nodeName ? this.config.nodes.get('', pod.spec.nodeName) : undefined;
      if (!node && !service.spec?.publishNotReadyAddresses) {
        // Requeue until the node shows up, but publish the other endpoints meanwhile.
        errs.push(`skipping Pod ${pod.metadata.name} for Service ${service.metadata.namespace}/${service.metadata.name}: Node ${pod.spec?.nodeName ?? ''} Not Found`);
        continue;
      }
      const ep = podToEndpoint(pod, node, service, addressType);
      if (ep.addresses.length > 0) desired.get(k)!.set(endpointKey(ep), ep);
    }

    for (const [k, set] of desired) {
      const r = this.reconcileByPortMapping(service, existingByPortMap.get(k) ?? [], set, { ports: desiredPorts.get(k)!, addressType });
      toCreate.push(...r.toCreate);
      toUpdate.push(...r.toUpdate);
      toDelete.push(...r.toDelete);
    }
    for (const [k, slices] of existingByPortMap) if (!desired.has(k)) toDelete.push(...slices);

    // A Service with no endpoints keeps one empty placeholder slice.
    if (existing.length === toDelete.length && toCreate.length < 1) {
      const placeholder = newEndpointSlice(service, { ports: [], addressType });
      if (toDelete.length === 1 && isPlaceholderOf(toDelete[0], placeholder)) toDelete = [];
      else toCreate.push(placeholder);
    }

    // Topology hints are not produced; drop any left from elsewhere.
    for (const s of [...toCreate, ...toUpdate]) for (const ep of s.endpoints) delete ep.hints;

    try {
      await this.finalize(service, toCreate, toUpdate, toDelete, triggerTime);
    } catch (e) {
      errs.push(errorText(e));
    }
    if (errs.length) throw new Error(errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`);
  }

  private reconcileByPortMapping(
    service: Service,
    existing: EndpointSlice[],
    desired: Map<string, Endpoint>,
    meta: { ports: EndpointPort[]; addressType: AddressType },
  ): { toCreate: EndpointSlice[]; toUpdate: EndpointSlice[]; toDelete: EndpointSlice[] } {
    const max = this.config.maxEndpointsPerSlice;
    const byName = new Map<string, EndpointSlice>();
    const unchanged = new Set<string>();
    const toUpdateNames = new Set<string>();
    const toDeleteNames = new Set<string>();

    // 1. Keep desired endpoints where they are; note which slices change.
    for (const slice of existing) {
      byName.set(slice.metadata.name!, slice);
      const kept: Endpoint[] = [];
      let updated = false;
      for (const ep of slice.endpoints ?? []) {
        const k = endpointKey(ep);
        const want = desired.get(k);
        if (!want) continue;
        kept.push(want);
        if (!equalBeyondHash(want, ep)) updated = true;
        desired.delete(k);
      }
      const { labels, changed } = sliceLabels(slice, service);
      if (updated || (slice.endpoints ?? []).length !== kept.length) {
        if (kept.length === 0) toDeleteNames.add(slice.metadata.name!);
        else {
          const copy = jsonCopy(slice);
          copy.endpoints = kept;
          copy.metadata.labels = labels;
          byName.set(copy.metadata.name!, copy);
          toUpdateNames.add(copy.metadata.name!);
        }
      } else if (changed) {
        const copy = jsonCopy(slice);
        copy.metadata.labels = labels;
        byName.set(copy.metadata.name!, copy);
        toUpdateNames.add(copy.metadata.name!);
      } else {
        unchanged.add(slice.metadata.name!);
      }
    }

    const pop = (): Endpoint => {
      const [k, ep] = desired.entries().next().value as [string, Endpoint];
      desired.delete(k);
      return ep;
    };

    // 2. Fill the slices that change anyway, fullest first.
    if (desired.size > 0 && toUpdateNames.size > 0) {
      const slices = [...toUpdateNames].map((n) => byName.get(n)!).sort((a, b) => b.endpoints.length - a.endpoints.length);
      for (const s of slices) while (desired.size > 0 && s.endpoints.length < max) s.endpoints.push(pop());
    }

    // 3. The rest: into the unchanged slice that ends up fullest, else into new slices.
    const toCreate: EndpointSlice[] = [];
    while (desired.size > 0) {
      let fill: EndpointSlice | undefined;
      if (desired.size < max && unchanged.size > 0) fill = sliceToFill([...unchanged].map((n) => byName.get(n)!), desired.size, max);
      if (!fill) fill = newEndpointSlice(service, meta);
      else {
        fill = jsonCopy(fill);
        byName.set(fill.metadata.name!, fill);
      }
      while (desired.size > 0 && fill.endpoints.length < max) fill.endpoints.push(pop());
      if (fill.metadata.name) {
        toUpdateNames.add(fill.metadata.name);
        unchanged.delete(fill.metadata.name);
      } else {
        toCreate.push(fill);
      }
    }
    return {
      toCreate,
      toUpdate: [...toUpdateNames].map((n) => byName.get(n)!),
      toDelete: [...toDeleteNames].map((n) => byName.get(n)!),
    };
  }

  private async finalize(service: Service, toCreate: EndpointSlice[], toUpdate: EndpointSlice[], toDelete: EndpointSlice[], triggerTime: number): Promise<void> {
    // Recycle slices about to be deleted for those about to be created.
    for (let i = 0; i < toDelete.length; ) {
      if (toCreate.length === 0) break;
      const del = toDelete[i];
      const slice = toCreate[toCreate.length - 1];
      if (del.addressType === slice.addressType && ownedBy(del, service)) {
        slice.metadata.name = del.metadata.name;
        toCreate.pop();
        toUpdate.push(slice);
        toDelete.splice(i, 1);
      } else {
        i++;
      }
    }
    const ns = service.metadata.namespace!;
    const slices = this.config.client.resource<EndpointSlice>(ENDPOINT_SLICES).namespace(ns);
    const { name } = service.metadata;
    // No creations while the Service is being deleted: the garbage collector is removing its slices.
    if (!service.metadata.deletionTimestamp) {
      for (const slice of toCreate) {
        addTriggerTime(slice, triggerTime);
        try {
          this.config.tracker.update(await slices.create(slice));
        } catch (e) {
          if (isStatusError(e) && e.status.details?.causes?.some((c) => c.reason === 'NamespaceTerminating')) return;
          throw new Error(`failed to create EndpointSlice for Service ${ns}/${name}: ${errorText(e)}`);
        }
      }
    }
    for (const slice of toUpdate) {
      addTriggerTime(slice, triggerTime);
      try {
        this.config.tracker.update(await slices.update(slice));
      } catch (e) {
        throw new Error(`failed to update ${slice.metadata.name} EndpointSlice for Service ${ns}/${name}: ${errorText(e)}`);
      }
    }
    for (const slice of toDelete) {
      try {
        await this.deleteSlice(service, slice);
      } catch (e) {
        throw new Error(`failed to delete ${slice.metadata.name} EndpointSlice for Service ${ns}/${name}: ${errorText(e)}`);
      }
    }
  }
}

/** getAddressTypesForService: the Service's IP families, or a guess from its cluster IP. */
export function addressTypesForService(svc: Service): Set<AddressType> {
  const out = new Set<AddressType>();
  for (const f of svc.spec?.ipFamilies ?? []) {
    if (f === 'IPv4') out.add('IPv4');
    if (f === 'IPv6') out.add('IPv6');
  }
  if (out.size) return out;
  if (isServiceIPSet(svc)) return new Set([isIPv6(svc.spec!.clusterIP!) ? 'IPv6' : 'IPv4']);
  return new Set(['IPv4', 'IPv6']);
}

/** podToEndpoint. */
export function podToEndpoint(pod: Pod, node: Node | undefined, svc: Service, addressType: AddressType): Endpoint {
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata.deletionTimestamp;
  // "ready" is never true for a terminating pod unless the Service publishes unready addresses.
  const ready = svc.spec?.publishNotReadyAddresses === true || (serving && !terminating);
  const ep: Endpoint = {
    addresses: (pod.status?.podIPs ?? []).map((p) => p.ip).filter((ip) => isIPv6(ip) === (addressType === 'IPv6')),
    conditions: { ready, serving, terminating },
  };
  if (shouldSetHostname(pod, svc)) ep.hostname = pod.spec!.hostname;
  ep.targetRef = { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid };
  if (pod.spec?.nodeName) ep.nodeName = pod.spec.nodeName;
  const zone = node?.metadata.labels?.[ZONE_LABEL];
  if (zone) ep.zone = zone;
  return ep;
}

/** getEndpointPorts: each service port resolved on the pod (unresolvable ones are skipped). */
export function endpointPorts(svc: Service, pod: Pod): EndpointPort[] {
  const out: EndpointPort[] = [];
  if (!(svc.spec?.ports?.length) && svc.spec?.clusterIP === 'None') return out;
  for (const sp of svc.spec?.ports ?? []) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    const ep: EndpointPort = { name: sp.name ?? '', protocol: sp.protocol ?? 'TCP', port };
    if (sp.appProtocol) ep.appProtocol = sp.appProtocol;
    out.push(ep);
  }
  return out;
}

function newEndpointSlice(svc: Service, meta: { ports: EndpointPort[]; addressType: AddressType }): EndpointSlice {
  const slice: EndpointSlice = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      generateName: `${svc.metadata.name}-`,
      namespace: svc.metadata.namespace,
      labels: {},
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: svc.metadata.name!, uid: svc.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    addressType: meta.addressType,
    endpoints: [],
  };
  // ports is omitempty on the wire; endpoints is not.
  if (meta.ports.length) slice.ports = jsonCopy(meta.ports);
  slice.metadata.labels = sliceLabels(slice, svc).labels;
  return slice;
}

/** setEndpointSliceLabels: the Service's labels plus the reserved ones; changed when the copied labels differ. */
function sliceLabels(slice: EndpointSlice, svc: Service): { labels: Record<string, string>; changed: boolean } {
  const reserved = (k: string) => k === LABEL_SERVICE_NAME || k === LABEL_MANAGED_BY || k === HEADLESS_LABEL;
  const sliceOwn = Object.fromEntries(Object.entries(slice.metadata.labels ?? {}).filter(([k]) => !reserved(k)));
  const labels = Object.fromEntries(Object.entries(svc.metadata.labels ?? {}).filter(([k]) => !reserved(k)));
  const changed = !isDeepStrictEqual(sliceOwn, labels);
  if (!isServiceIPSet(svc)) labels[HEADLESS_LABEL] = '';
  labels[LABEL_SERVICE_NAME] = svc.metadata.name!;
  labels[LABEL_MANAGED_BY] = CONTROLLER_NAME;
  return { labels, changed };
}

function ownedBy(slice: EndpointSlice, svc: Service): boolean {
  return (slice.metadata.ownerReferences ?? []).some((o) => o.uid === svc.metadata.uid && o.kind === 'Service' && o.apiVersion === 'v1');
}

// placeholderSliceCompare: same namespace, labels, owners, address type, and no ports or endpoints.
function isPlaceholderOf(slice: EndpointSlice, placeholder: EndpointSlice): boolean {
  return (
    slice.metadata.namespace === placeholder.metadata.namespace &&
    isDeepStrictEqual(slice.metadata.labels ?? {}, placeholder.metadata.labels ?? {}) &&
    isDeepStrictEqual(
      (slice.metadata.ownerReferences ?? []).map((o) => [o.apiVersion, o.kind, o.name, o.uid, !!o.controller, !!o.blockOwnerDeletion]),
      (placeholder.metadata.ownerReferences ?? []).map((o) => [o.apiVersion, o.kind, o.name, o.uid, !!o.controller, !!o.blockOwnerDeletion]),
    ) &&
    slice.addressType === placeholder.addressType &&
    (slice.endpoints ?? []).length === 0 &&
    (slice.ports ?? []).length === 0
  );
}

function sliceToFill(slices: EndpointSlice[], numEndpoints: number, max: number): EndpointSlice | undefined {
  let closestDiff = max;
  let closest: EndpointSlice | undefined;
  for (const s of slices) {
    const diff = max - (numEndpoints + s.endpoints.length);
    if (diff >= 0 && diff < closestDiff) {
      closestDiff = diff;
      closest = s;
      if (diff === 0) return s;
    }
  }
  return closest;
}

function addTriggerTime(slice: EndpointSlice, triggerTime: number): void {
  const annotations = (slice.metadata.annotations ??= {});
  if (triggerTime) annotations[LAST_CHANGE_TRIGGER_TIME] = rfc3339Nano(triggerTime);
  else delete annotations[LAST_CHANGE_TRIGGER_TIME];
}

/** NewPortMapKey: ports in a canonical order. */
function portMapKey(ports: EndpointPort[]): string {
  return ports
    .map((p) => JSON.stringify([p.name ?? '', p.protocol ?? '', p.port ?? null, p.appProtocol ?? '']))
    .sort()
    .join('|');
}

/** hashEndpoint's identity: addresses, hostname, and the target. */
function endpointKey(ep: Endpoint): string {
  return JSON.stringify([[...ep.addresses].sort(), ep.hostname ?? '', ep.targetRef?.namespace ?? '', ep.targetRef?.name ?? '']);
}

/** EndpointsEqualBeyondHash: node, zone, conditions and target (resourceVersion aside). */
function equalBeyondHash(a: Endpoint, b: Endpoint): boolean {
  const ref = (e: Endpoint) => (e.targetRef ? { ...e.targetRef, resourceVersion: undefined } : undefined);
  return (
    (a.nodeName ?? null) === (b.nodeName ?? null) &&
    (a.zone ?? null) === (b.zone ?? null) &&
    (a.conditions?.ready ?? null) === (b.conditions?.ready ?? null) &&
    (a.conditions?.serving ?? null) === (b.conditions?.serving ?? null) &&
    (a.conditions?.terminating ?? null) === (b.conditions?.terminating ?? null) &&
    isDeepStrictEqual(JSON.parse(JSON.stringify(ref(a) ?? null)), JSON.parse(JSON.stringify(ref(b) ?? null)))
  );
}

function errorText(e: unknown): string {
  if (isStatusError(e)) return e.status.message ?? e.message;
  return e instanceof Error ? e.message : String(e);
}
