// What the endpoints and endpointslice controllers share (k8s.io/endpointslice/util): which pods
// belong in a Service's endpoints, how a service port resolves on a pod, which Services a pod change
// touches, and the last-change-trigger-time bookkeeping.
import type { Pod, Service } from '../../api/objects.js';
import { isPodReady, isPodTerminal } from '../../api/pod.js';
import { isDeepStrictEqual } from 'node:util';
import { matches, selectorFromSet } from '../../apimachinery/labels.js';
import { DeletedFinalStateUnknown, type Lister, type SharedInformer } from '../../client/informer.js';

/** v1.EndpointsLastChangeTriggerTime. */
export const LAST_CHANGE_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';
/** v1.IsHeadlessService. */
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';

export type ServicePort = NonNullable<NonNullable<Service['spec']>['ports']>[number];

/** ShouldPodBeInEndpoints: not terminal, has an IP, and (unless includeTerminating) not being deleted. */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  if (isPodTerminal(pod)) return false;
  if (!pod.status?.podIP && !(pod.status?.podIPs?.length)) return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false;
  return true;
}

/** ShouldSetHostname: the pod names a hostname and lives in the Service's subdomain. */
export function shouldSetHostname(pod: Pod, svc: Service): boolean {
  return !!pod.spec?.hostname && pod.spec.subdomain === svc.metadata.name && svc.metadata.namespace === pod.metadata.namespace;
}

/** helper.IsServiceIPSet: a cluster IP other than None. */
export function isServiceIPSet(svc: Service): boolean {
  const ip = svc.spec?.clusterIP;
  return !!ip && ip !== 'None';
}

export function isIPv6(ip: string): boolean {
  return ip.includes(':');
}

/**
 * FindPort: a numeric targetPort as is; a named one looked up (same protocol) in the containers,
 * then in restartable sidecar init containers. undefined when the pod has no such port.
 */
export function findPort(pod: Pod, svcPort: ServicePort): number | undefined {
  const target = svcPort.targetPort ?? svcPort.port;
  if (typeof target === 'number') return target;
  const protocol = svcPort.protocol ?? 'TCP';
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  }
  for (const c of pod.spec?.initContainers ?? []) {
    if (c.restartPolicy !== 'Always') continue;
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  }
  return undefined;
}

/** The keys of the Services in namespace whose selector matches labels (nil selectors match nothing). */
export function servicesForLabels(services: Lister<Service>, namespace: string, labels: Record<string, string>): Set<string> {
  const out = new Set<string>();
  for (const svc of services.list(namespace)) {
    if (!svc.spec?.selector) continue;
    if (matches(selectorFromSet(svc.spec.selector), labels)) out.add(`${svc.metadata.namespace}/${svc.metadata.name}`);
  }
  return out;
}

export function podServiceMemberships(services: Lister<Service>, pod: Pod): Set<string> {
  return servicesForLabels(services, pod.metadata.namespace!, pod.metadata.labels ?? {});
}

/**
 * podEndpointsChanged: [whether the pod's endpoint may differ, whether the Services it matches may].
 */
export function podEndpointsChanged(oldPod: Pod, newPod: Pod): [boolean, boolean] {
  const labelsChanged =
    !isDeepStrictEqual(newPod.metadata.labels ?? {}, oldPod.metadata.labels ?? {}) ||
    newPod.spec?.hostname !== oldPod.spec?.hostname ||
    newPod.spec?.subdomain !== oldPod.spec?.subdomain;
  if (newPod.metadata.deletionTimestamp !== oldPod.metadata.deletionTimestamp) return [true, labelsChanged];
  if (isPodReady(oldPod) !== isPodReady(newPod)) return [true, labelsChanged];
  const a = oldPod.status?.podIPs ?? [];
  const b = newPod.status?.podIPs ?? [];
  if (a.length !== b.length || a.some((ip, i) => ip.ip !== b[i].ip)) return [true, labelsChanged];
  return [false, labelsChanged];
}

/** GetServicesToUpdateOnPodChange: the Services whose endpoints a pod update may change. */
export function servicesToUpdateOnPodChange(services: Lister<Service>, oldPod: Pod, newPod: Pod): Set<string> {
  // Resyncs carry nothing new; the Service informer resyncs Services itself.
  if (newPod.metadata.resourceVersion === oldPod.metadata.resourceVersion) return new Set();
  const [podChanged, labelsChanged] = podEndpointsChanged(oldPod, newPod);
  if (!podChanged && !labelsChanged) return new Set();
  const now = podServiceMemberships(services, newPod);
  if (!labelsChanged) return now;
  const before = podServiceMemberships(services, oldPod);
  if (podChanged) return new Set([...now, ...before]);
  // Only the labels changed: the Services the pod joined or left.
  return new Set([...[...now].filter((k) => !before.has(k)), ...[...before].filter((k) => !now.has(k))]);
}

/** time.RFC3339Nano of a UTC instant: fractional seconds only when there are any, without trailing zeros. */
export function rfc3339Nano(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.replace(/\.(\d{3})Z$/, (_m, f: string) => (f === '000' ? 'Z' : `.${f.replace(/0+$/, '')}Z`));
}

interface ServiceState {
  lastServiceTriggerTime: number;
  lastPodTriggerTimes: Map<string, number>;
}

/**
 * TriggerTimeTracker: the EndpointsLastChangeTriggerTime annotation is the earliest change (pod
 * readiness transition or Service creation) since the previous sync; a new Service reports its creation.
 */
export class TriggerTimeTracker {
  private readonly states = new Map<string, ServiceState>();

  /** The trigger time in ms since the epoch, or 0 when nothing changed. */
  compute(namespace: string, svc: Service, pods: Pod[]): number {
    const key = `${namespace}/${svc.metadata.name}`;
    const known = this.states.get(key);
    const state: ServiceState = known ?? { lastServiceTriggerTime: 0, lastPodTriggerTimes: new Map() };
    let minChanged = 0;
    const min = (t: number) => {
      if (minChanged === 0 || t < minChanged) minChanged = t;
    };
    const podTimes = new Map<string, number>();
    for (const pod of pods) {
      const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
      const t = ready?.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : 0;
      if (!t) continue;
      podTimes.set(pod.metadata.name!, t);
      if (t > (state.lastPodTriggerTimes.get(pod.metadata.name!) ?? 0)) min(t);
    }
    const created = svc.metadata.creationTimestamp ? Date.parse(svc.metadata.creationTimestamp) : 0;
    if (created > state.lastServiceTriggerTime) min(created);
    this.states.set(key, { lastServiceTriggerTime: created, lastPodTriggerTimes: podTimes });
    return known ? minChanged : created;
  }

  deleteService(namespace: string, name: string): void {
    this.states.delete(`${namespace}/${name}`);
  }
}

/**
 * The informer wiring both endpoints controllers share: any change of a Service syncs it, and a pod
 * change syncs every Service whose selector matched the pod before or after it.
 */
export function handleServiceAndPodEvents(
  services: SharedInformer<Service>,
  pods: SharedInformer<Pod>,
  enqueue: (svc: Service | DeletedFinalStateUnknown<Service>) => void,
  enqueueServices: (keys: Set<string>) => void,
): void {
  services.addEventHandler({
    onAdd: (svc) => enqueue(svc),
    onUpdate: (_old, svc) => enqueue(svc),
    onDelete: (svc) => enqueue(svc),
  });
  pods.addEventHandler({
    onAdd: (pod) => enqueueServices(podServiceMemberships(services.lister, pod)),
    onUpdate: (old, pod) => enqueueServices(servicesToUpdateOnPodChange(services.lister, old, pod)),
    onDelete: (obj) => {
      const pod = obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
      enqueueServices(podServiceMemberships(services.lister, pod));
    },
  });
}
