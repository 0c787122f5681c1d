// Pod facts every component needs the same way (upstream's podutil, resourcehelper and
// controller helpers): readiness, availability, phase checks, the controller owner, and the
// resources a pod requests as the scheduler and kubelet count them.
import type { OwnerReference, KubeObject } from './types.js';
import type { Pod, PodCondition, PodSpec } from './objects.js';
import { milliValue, parseQuantity, value } from '../apimachinery/quantity.js';

/** The condition of the given type, if the pod has it. */
export function getPodCondition(pod: Pod, type: string): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === type);
}

/** podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return getPodCondition(pod, 'Ready')?.status === 'True';
}

/**
 * podutil.IsPodAvailable: ready for at least minReadySeconds (measured from the Ready condition's
 * lastTransitionTime) at nowMs.
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  const c = getPodCondition(pod, 'Ready');
  if (c?.status !== 'True') return false;
  if (!minReadySeconds) return true;
  const since = c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN;
  return !Number.isNaN(since) && since + minReadySeconds * 1000 <= nowMs;
}

/** Succeeded or Failed: the pod will never run again. */
export function isPodTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** controller.IsPodActive: not terminal and not being deleted. */
export function isPodActive(pod: Pod): boolean {
  return !isPodTerminal(pod) && !pod.metadata.deletionTimestamp;
}

/** metav1.GetControllerOf: the ownerReference with controller=true. */
export function controllerRef(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** A pod's resource requests in base units: cpu in millicores, everything else in units (bytes). */
export type ResourceList = Record<string, number>;

function toUnits(resources: Record<string, string | number> | undefined): ResourceList {
  const out: ResourceList = {};
  for (const [name, q] of Object.entries(resources ?? {})) {
    try {
      const parsed = parseQuantity(q);
      out[name] = name === 'cpu' ? milliValue(parsed) : value(parsed);
    } catch {
      // Validation already refused malformed quantities; ignore anything that slips through.
    }
  }
  return out;
}

function addInto(into: ResourceList, add: ResourceList): void {
  for (const [k, v] of Object.entries(add)) into[k] = (into[k] ?? 0) + v;
}

function maxInto(into: ResourceList, other: ResourceList): void {
  for (const [k, v] of Object.entries(other)) into[k] = Math.max(into[k] ?? 0, v);
}

/**
 * resourcehelper.PodRequests: the sum of the app containers' requests (limits when no request is
 * set, as defaulting does), at least the largest init container's (restartable sidecar init
 * containers add up with the app containers), plus the pod overhead.
 */
export function podRequests(spec: PodSpec): ResourceList {
  const reqs = (c: PodSpec['containers'][number]) => {
    const r = toUnits(c.resources?.limits as Record<string, string>);
    Object.assign(r, toUnits(c.resources?.requests as Record<string, string>));
    return r;
  };
  const total: ResourceList = {};
  for (const c of spec.containers ?? []) addInto(total, reqs(c));
  const initMax: ResourceList = {};
  const sidecars: ResourceList = {};
  for (const c of spec.initContainers ?? []) {
    const r = reqs(c);
    if (c.restartPolicy === 'Always') {
      addInto(total, r);
      addInto(sidecars, r);
    } else {
      const withSidecars = { ...r };
      addInto(withSidecars, sidecars);
      maxInto(initMax, withSidecars);
    }
  }
  maxInto(total, initMax);
  addInto(total, toUnits(spec.overhead as Record<string, string>));
  return total;
}

/** Parses a ResourceList of quantities (node capacity, allocatable) into base units, cpu in millicores. */
export function resourceListUnits(list: Record<string, string | number> | undefined): ResourceList {
  return toUnits(list);
}
