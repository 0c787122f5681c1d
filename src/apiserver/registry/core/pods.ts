// Pods: the strategy of pkg/registry/core/pod (initial status with the QoS class, the narrow set of
// spec fields an update may touch, field selectors), and the pod-template helpers every workload
// strategy (Deployment, Job, StatefulSet, ...) imports.
import { jsonCopy } from '../../../apimachinery/json.js';
import type { KubeObject } from '../../../api/types.js';
import { field, type FieldError } from '../../../apimachinery/errors.js';
import type { Strategy } from '../strategy.js';
import {
  inclusiveRangeError,
  invalidEach,
  isDNS1123Subdomain,
  validateIP,
  validateQualifiedName,
} from '../../../apimachinery/validation.js';
import { deepEqual, isRecord } from './equality.js';
import { describeDiff } from './persistentvolumeclaims.js';
import { defaultPod } from './pod-defaults.js';
import { validatePodMetadataAndSpec, validatePodCreate, validateTolerations } from './pod-validation.js';
import { addQuantities, compareQuantities, quantityFromJSON, quantitySign, type Quantity } from '../../../apimachinery/quantity.js';

export { defaultPod, defaultPodSpec, defaultPodTemplateSpec, defaultContainer, defaultImagePullPolicy } from './pod-defaults.js';
export {
  validatePodSpec,
  validatePodTemplateSpec,
  validatePodCreate,
  validatePodMetadataAndSpec,
  validateResourceRequirements,
  validateTolerations,
  validateNodeSelector,
  type PodSpecValidationOptions,
} from './pod-validation.js';

type Obj = Record<string, any>;

/** A Pod as the strategy sees it. */
export type Pod = KubeObject & { spec?: Obj; status?: Obj };

function list(v: unknown): any[] {
  return Array.isArray(v) ? v : [];
}

/** The pod's QoS class, as qos.ComputePodQOS: Guaranteed, Burstable or BestEffort. */
export function podQOSClass(pod: { spec?: Obj }): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let guaranteed = true;
  const add = (into: Map<string, Quantity>, name: string, q: Quantity) => {
    const prev = into.get(name);
    into.set(name, prev ? addQuantities(prev, q) : q);
  };
  for (const c of [...list(pod.spec?.containers), ...list(pod.spec?.initContainers)]) {
    const res = isRecord(c?.resources) ? c.resources : {};
    for (const [name, value] of Object.entries(isRecord(res.requests) ? res.requests : {})) {
      if (name !== 'cpu' && name !== 'memory') continue;
      const q = quantityFromJSON(value);
      if (q && quantitySign(q) > 0) add(requests, name, q);
    }
    const found = new Set<string>();
    for (const [name, value] of Object.entries(isRecord(res.limits) ? res.limits : {})) {
      if (name !== 'cpu' && name !== 'memory') continue;
      const q = quantityFromJSON(value);
      if (q && quantitySign(q) > 0) {
        found.add(name);
        add(limits, name, q);
      }
    }
    if (!found.has('cpu') || !found.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) {
      const lim = limits.get(name);
      if (!lim || compareQuantities(lim, req) !== 0) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

/** The fields ValidatePodUpdate lets change (1.32, InPlacePodVerticalScaling off). */
export const UPDATABLE_POD_SPEC_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

function validateContainerUpdates(newCs: unknown, oldCs: unknown, path: string): { errs: FieldError[]; stop: boolean } {
  const n = list(newCs);
  if (n.length !== list(oldCs).length) return { errs: [field.forbidden(path, 'pod updates may not add or remove containers')], stop: true };
  const errs: FieldError[] = [];
  n.forEach((c, i) => {
    const image = typeof c?.image === 'string' ? c.image : '';
    if (!image) errs.push(field.required(`${path}[${i}].image`));
    if (image.trim() !== image) errs.push(field.invalid(`${path}[${i}].image`, image, 'must not have leading or trailing whitespace'));
  });
  return { errs, stop: false };
}

function tolerationEqualIgnoringSeconds(a: Obj, b: Obj): boolean {
  return deepEqual({ ...a, tolerationSeconds: undefined }, { ...b, tolerationSeconds: undefined });
}

/** ValidatePodUpdate, without ObjectMeta (the generic store checks that). */
export function validatePodUpdate(pod: Pod, old: Pod): FieldError[] {
  const errs = validatePodMetadataAndSpec(pod);
  const spec: Obj = isRecord(pod.spec) ? pod.spec : {};
  const oldSpec: Obj = isRecord(old.spec) ? old.spec : {};
  for (const key of ['containers', 'initContainers']) {
    const r = validateContainerUpdates(spec[key], oldSpec[key], `spec.${key}`);
    errs.push(...r.errs);
    if (r.stop) return errs;
  }
  const ads = spec.activeDeadlineSeconds;
  if (ads !== undefined && ads !== null) {
    if (typeof ads !== 'number' || ads < 0 || ads > 2147483647) {
      errs.push(field.invalid('spec.activeDeadlineSeconds', ads, inclusiveRangeError(0, 2147483647)));
      return errs;
    }
    if (typeof oldSpec.activeDeadlineSeconds === 'number' && oldSpec.activeDeadlineSeconds < ads) {
      errs.push(field.invalid('spec.activeDeadlineSeconds', ads, 'must be less than or equal to previous value'));
      return errs;
    }
  } else if (oldSpec.activeDeadlineSeconds !== undefined && oldSpec.activeDeadlineSeconds !== null) {
    errs.push(field.invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
  }
  // Tolerations may only be added (an existing one may change its tolerationSeconds).
  const newTolerations = list(spec.tolerations);
  const missing = list(oldSpec.tolerations).some((o) => !newTolerations.some((n) => tolerationEqualIgnoringSeconds(o, n)));
  if (missing) errs.push(field.forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds'));
  else errs.push(...validateTolerations(newTolerations, 'spec.tolerations'));
  // Scheduling gates may only be removed.
  const oldGates = new Set(list(oldSpec.schedulingGates).map((g) => g?.name));
  list(spec.schedulingGates).forEach((g, i) => {
    if (!oldGates.has(g?.name)) {
      errs.push(field.forbidden(`spec.schedulingGates[${i}].name`, `only deletion is allowed, but found new scheduling gate '${g?.name}'`));
    }
  });
  if (deepEqual(spec, oldSpec)) return errs;

  const munged: Obj = jsonCopy(spec);
  for (const key of ['containers', 'initContainers']) {
    list(munged[key]).forEach((c, i) => {
      if (isRecord(c)) c.image = oldSpec[key][i]?.image;
    });
  }
  munged.activeDeadlineSeconds = oldSpec.activeDeadlineSeconds;
  munged.schedulingGates = oldSpec.schedulingGates;
  munged.tolerations = oldSpec.tolerations;
  if (typeof oldSpec.terminationGracePeriodSeconds === 'number' && oldSpec.terminationGracePeriodSeconds < 0 && munged.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = oldSpec.terminationGracePeriodSeconds;
  }
  // A pod still held by scheduling gates may gain nodeSelector entries (but not change or lose any).
  if (list(oldSpec.schedulingGates).length > 0 && isRecord(munged.nodeSelector)) {
    const oldSel: Obj = isRecord(oldSpec.nodeSelector) ? oldSpec.nodeSelector : {};
    const keepsOld = Object.entries(oldSel).every(([k, v]) => munged.nodeSelector[k] === v);
    if (keepsOld) munged.nodeSelector = oldSpec.nodeSelector;
  }
  if (!deepEqual(munged, oldSpec)) {
    const diff = describeDiff(oldSpec, munged).join('\n');
    errs.push(field.forbidden('spec', `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS.join(',')}\n${diff}`));
  }
  return errs;
}

/** ValidatePodStatusUpdate, without ObjectMeta. */
export function validatePodStatusUpdate(pod: Pod, old: Pod): FieldError[] {
  const errs: FieldError[] = [];
  const status: Obj = isRecord(pod.status) ? pod.status : {};
  const system = new Set(['PodScheduled', 'Ready', 'Initialized']);
  list(status.conditions).forEach((c, i) => {
    if (!system.has(c?.type)) errs.push(...validateQualifiedName(String(c?.type ?? ''), `metadata.conditions[${i}].Type`));
  });
  if ((pod.spec?.nodeName ?? '') !== (old.spec?.nodeName ?? '')) errs.push(field.forbidden('status.nodeName', 'may not be changed directly'));
  const nominated = typeof status.nominatedNodeName === 'string' ? status.nominatedNodeName : '';
  if (nominated && nominated !== old.status?.nominatedNodeName) {
    errs.push(...invalidEach('status.nominatedNodeName', nominated, isDNS1123Subdomain(nominated)));
  }
  list(status.podIPs).forEach((ip, i) => errs.push(...validateIP(`status.podIPs[${i}]`, ip?.ip)));
  const hostIPs = list(status.hostIPs);
  if (hostIPs.length > 0) {
    if (status.hostIP !== hostIPs[0]?.ip) errs.push(field.invalid('status.hostIPs[0].ip', hostIPs[0]?.ip ?? '', 'must be equal to `hostIP`'));
    hostIPs.forEach((ip, i) => errs.push(...validateIP(`status.hostIPs[${i}]`, ip?.ip)));
  }
  return errs;
}

/** The Pod strategy. */
export const podStrategy = {
  // Pods are written in waves as large as a ReplicaSet (bound, then reported by every kubelet):
  // with 1,024 a 10,000-pod rollout read most of its status writes' state back from SQLite. The
  // objects are the ones the informers hold as well, so keeping them costs little.
  recentObjects: 16_384,
  defaults(pod) {
    defaultPod(pod);
  },
  prepareForCreate(pod) {
    const status: Obj = { phase: 'Pending', qosClass: podQOSClass(pod) };
    // A pod created with scheduling gates says so in its PodScheduled condition.
    if (list(pod.spec?.schedulingGates).length > 0) {
      status.conditions = [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' }];
    }
    pod.status = status;
  },
  validate(pod) {
    return validatePodCreate(pod);
  },
  validateUpdate(pod, old) {
    return validatePodUpdate(pod, old);
  },
  selectableFields(pod) {
    const spec: Obj = pod.spec ?? {};
    const status: Obj = pod.status ?? {};
    return {
      'spec.nodeName': spec.nodeName ?? '',
      'spec.restartPolicy': spec.restartPolicy ?? '',
      'spec.schedulerName': spec.schedulerName ?? '',
      'spec.serviceAccountName': spec.serviceAccountName ?? '',
      'spec.hostNetwork': String(spec.hostNetwork === true),
      'status.phase': status.phase ?? '',
      'status.podIP': list(status.podIPs)[0]?.ip ?? '',
      'status.nominatedNodeName': status.nominatedNodeName ?? '',
    };
  },
  status: {
    // podStatusStrategy keeps the spec as it was: the generic status preparation already does.
    validateUpdate(pod, old) {
      return validatePodStatusUpdate(pod, old);
    },
  },
} satisfies Strategy<Pod>;
