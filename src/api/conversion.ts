// Conversion between served versions that share storage, as kube-apiserver converts through its
// internal version: autoscaling/v1 ⇄ autoscaling/v2 HorizontalPodAutoscaler (pkg/apis/autoscaling/v1
// conversion.go: v1 keeps targetCPUUtilizationPercentage and carries everything else in
// autoscaling.alpha.kubernetes.io/* annotations) and core/v1 ⇄ events.k8s.io/v1 Event
// (pkg/apis/events/v1 conversion.go: field renames).

import { jsonCopy } from '../apimachinery/json.js';
import { parseApiVersion, type KubeObject } from './types.js';

type Obj = Record<string, unknown>;

/** Annotations autoscaling/v1 uses to round-trip what it cannot express. */
export const HPA_ANNOTATIONS = {
  metrics: 'autoscaling.alpha.kubernetes.io/metrics',
  currentMetrics: 'autoscaling.alpha.kubernetes.io/current-metrics',
  conditions: 'autoscaling.alpha.kubernetes.io/conditions',
  behavior: 'autoscaling.alpha.kubernetes.io/behavior',
} as const;

const ROUND_TRIP = new Set<string>(Object.values(HPA_ANNOTATIONS));

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const clone = jsonCopy;

/** Copies defined values only, so absent fields stay absent (Go's omitempty). */
function compact(o: Obj): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}

/** Thrown for a conversion skiff does not know. */
export class ConversionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConversionError';
  }
}

/**
 * Converts obj to toApiVersion. Objects already at that version are returned as a copy; unsupported
 * pairs throw ConversionError.
 */
export function convert<T extends KubeObject = KubeObject>(obj: KubeObject, toApiVersion: string): T {
  const from = obj.apiVersion ?? '';
  if (from === toApiVersion) return clone(obj) as T;
  const kind = obj.kind ?? '';
  const to = parseApiVersion(toApiVersion);
  const src = parseApiVersion(from);
  if (kind === 'HorizontalPodAutoscaler' && src.group === 'autoscaling' && to.group === 'autoscaling') {
    if (src.version === 'v1' && to.version === 'v2') return hpaV1ToV2(obj) as T;
    if (src.version === 'v2' && to.version === 'v1') return hpaV2ToV1(obj) as T;
  }
  if (kind === 'Event') {
    if (from === 'v1' && toApiVersion === 'events.k8s.io/v1') return coreEventToEvents(obj) as T;
    if (from === 'events.k8s.io/v1' && toApiVersion === 'v1') return eventsEventToCore(obj) as T;
  }
  throw new ConversionError(`converting (${from}, Kind=${kind}) to ${toApiVersion} is not supported`);
}

// ---------------------------------------------------------------------------------------------
// HorizontalPodAutoscaler.

/** The resource-cpu utilization metric that v1's targetCPUUtilizationPercentage stands for. */
function isCpuUtilization(m: Obj): boolean {
  const res = m.resource;
  return m.type === 'Resource' && isObj(res) && res.name === 'cpu' && isObj(res.target) && typeof res.target.averageUtilization === 'number';
}

/** The metadata without the round-trip annotations (and without an emptied annotations map). */
function withoutRoundTrip(meta: Obj): { meta: Obj; annotations: Record<string, string> } {
  const m = clone(meta);
  const annotations = isObj(m.annotations) ? (m.annotations as Record<string, string>) : {};
  const kept: Record<string, string> = {};
  for (const [k, v] of Object.entries(annotations)) if (!ROUND_TRIP.has(k)) kept[k] = v;
  if (Object.keys(kept).length) m.annotations = kept;
  else delete m.annotations;
  return { meta: m, annotations };
}

function parseJsonArray(text: string | undefined): Obj[] | undefined {
  if (text === undefined) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? (v.filter(isObj) as Obj[]) : undefined;
  } catch {
    return undefined;
  }
}

/** v2 MetricSpec → the autoscaling/v1 MetricSpec shape stored in the metrics annotation. */
function metricSpecToV1(m: Obj): Obj {
  const out: Obj = { type: m.type };
  const target = (s: Obj) => (isObj(s.target) ? s.target : {});
  const metric = (s: Obj) => (isObj(s.metric) ? s.metric : {});
  if (isObj(m.object)) {
    const s = m.object;
    out.object = compact({ target: s.describedObject, metricName: metric(s).name, targetValue: target(s).value, selector: metric(s).selector, averageValue: target(s).averageValue });
  }
  if (isObj(m.pods)) {
    const s = m.pods;
    out.pods = compact({ metricName: metric(s).name, targetAverageValue: target(s).averageValue, selector: metric(s).selector });
  }
  if (isObj(m.resource)) {
    const s = m.resource;
    out.resource = compact({ name: s.name, targetAverageUtilization: target(s).averageUtilization, targetAverageValue: target(s).averageValue });
  }
  if (isObj(m.containerResource)) {
    const s = m.containerResource;
    out.containerResource = compact({ name: s.name, targetAverageUtilization: target(s).averageUtilization, targetAverageValue: target(s).averageValue, container: s.container });
  }
  if (isObj(m.external)) {
    const s = m.external;
    out.external = compact({ metricName: metric(s).name, metricSelector: metric(s).selector, targetValue: target(s).value, targetAverageValue: target(s).averageValue });
  }
  return out;
}

/** The autoscaling/v1 annotation MetricSpec shape → v2 MetricSpec. */
function metricSpecFromV1(m: Obj): Obj {
  const out: Obj = { type: m.type };
  if (isObj(m.object)) {
    const s = m.object;
    out.object = compact({
      describedObject: s.target,
      metric: compact({ name: s.metricName, selector: s.selector }),
      target: s.averageValue !== undefined ? { type: 'AverageValue', averageValue: s.averageValue } : compact({ type: 'Value', value: s.targetValue }),
    });
  }
  if (isObj(m.pods)) {
    const s = m.pods;
    out.pods = { metric: compact({ name: s.metricName, selector: s.selector }), target: compact({ type: 'AverageValue', averageValue: s.targetAverageValue }) };
  }
  const resourceTarget = (s: Obj) =>
    s.targetAverageUtilization !== undefined
      ? { type: 'Utilization', averageUtilization: s.targetAverageUtilization }
      : compact({ type: 'AverageValue', averageValue: s.targetAverageValue });
  if (isObj(m.resource)) out.resource = { name: m.resource.name, target: resourceTarget(m.resource) };
  if (isObj(m.containerResource)) {
    const s = m.containerResource;
    out.containerResource = compact({ name: s.name, container: s.container, target: resourceTarget(s) });
  }
  if (isObj(m.external)) {
    const s = m.external;
    out.external = {
      metric: compact({ name: s.metricName, selector: s.metricSelector }),
      target: s.targetValue !== undefined ? { type: 'Value', value: s.targetValue } : compact({ type: 'AverageValue', averageValue: s.targetAverageValue }),
    };
  }
  return out;
}

/** v2 MetricStatus → the autoscaling/v1 MetricStatus shape stored in the current-metrics annotation. */
function metricStatusToV1(m: Obj): Obj {
  const out: Obj = { type: m.type };
  const current = (s: Obj) => (isObj(s.current) ? s.current : {});
  const metric = (s: Obj) => (isObj(s.metric) ? s.metric : {});
  if (isObj(m.object)) {
    const s = m.object;
    out.object = compact({ target: s.describedObject, metricName: metric(s).name, currentValue: current(s).value, selector: metric(s).selector, averageValue: current(s).averageValue });
  }
  if (isObj(m.pods)) {
    const s = m.pods;
    out.pods = compact({ metricName: metric(s).name, currentAverageValue: current(s).averageValue, selector: metric(s).selector });
  }
  if (isObj(m.resource)) {
    const s = m.resource;
    out.resource = compact({ name: s.name, currentAverageUtilization: current(s).averageUtilization, currentAverageValue: current(s).averageValue });
  }
  if (isObj(m.containerResource)) {
    const s = m.containerResource;
    out.containerResource = compact({ name: s.name, currentAverageUtilization: current(s).averageUtilization, currentAverageValue: current(s).averageValue, container: s.container });
  }
  if (isObj(m.external)) {
    const s = m.external;
    out.external = compact({ metricName: metric(s).name, metricSelector: metric(s).selector, currentValue: current(s).value, currentAverageValue: current(s).averageValue });
  }
  return out;
}

/** The autoscaling/v1 annotation MetricStatus shape → v2 MetricStatus. */
function metricStatusFromV1(m: Obj): Obj {
  const out: Obj = { type: m.type };
  if (isObj(m.object)) {
    const s = m.object;
    out.object = compact({ describedObject: s.target, metric: compact({ name: s.metricName, selector: s.selector }), current: compact({ value: s.currentValue, averageValue: s.averageValue }) });
  }
  if (isObj(m.pods)) {
    const s = m.pods;
    out.pods = { metric: compact({ name: s.metricName, selector: s.selector }), current: compact({ averageValue: s.currentAverageValue }) };
  }
  if (isObj(m.resource)) {
    const s = m.resource;
    out.resource = { name: s.name, current: compact({ averageUtilization: s.currentAverageUtilization, averageValue: s.currentAverageValue }) };
  }
  if (isObj(m.containerResource)) {
    const s = m.containerResource;
    out.containerResource = { name: s.name, container: s.container, current: compact({ averageUtilization: s.currentAverageUtilization, averageValue: s.currentAverageValue }) };
  }
  if (isObj(m.external)) {
    const s = m.external;
    out.external = { metric: compact({ name: s.metricName, selector: s.metricSelector }), current: compact({ value: s.currentValue, averageValue: s.currentAverageValue }) };
  }
  return out;
}

function hpaV2ToV1(obj: KubeObject): KubeObject {
  const spec = isObj(obj.spec) ? obj.spec : {};
  const status = isObj(obj.status) ? obj.status : undefined;
  const { meta } = withoutRoundTrip(obj.metadata);
  const metrics = Array.isArray(spec.metrics) ? (spec.metrics.filter(isObj) as Obj[]) : [];
  const cpu = metrics.find(isCpuUtilization);
  const others = metrics.filter((m) => !isCpuUtilization(m)).map(metricSpecToV1);

  const annotations: Record<string, string> = isObj(meta.annotations) ? { ...(meta.annotations as Record<string, string>) } : {};
  if (others.length) annotations[HPA_ANNOTATIONS.metrics] = JSON.stringify(others);
  if (isObj(spec.behavior)) annotations[HPA_ANNOTATIONS.behavior] = JSON.stringify(spec.behavior);
  const currentMetrics = status && Array.isArray(status.currentMetrics) ? (status.currentMetrics.filter(isObj) as Obj[]) : [];
  // The status is kept whole, even the CPU entry v1 can show, so the raw value survives the round trip.
  if (currentMetrics.length) annotations[HPA_ANNOTATIONS.currentMetrics] = JSON.stringify(currentMetrics.map(metricStatusToV1));
  const conditions = status && Array.isArray(status.conditions) ? status.conditions : [];
  if (conditions.length) annotations[HPA_ANNOTATIONS.conditions] = JSON.stringify(conditions);
  if (Object.keys(annotations).length) meta.annotations = annotations;

  const v1Spec = compact({
    scaleTargetRef: clone(spec.scaleTargetRef),
    minReplicas: spec.minReplicas,
    maxReplicas: spec.maxReplicas,
    targetCPUUtilizationPercentage: cpu ? (cpu.resource as { target: { averageUtilization: number } }).target.averageUtilization : undefined,
  });
  const out: KubeObject = { kind: 'HorizontalPodAutoscaler', apiVersion: 'autoscaling/v1', metadata: meta as KubeObject['metadata'], spec: v1Spec };
  if (status) {
    const cpuStatus = currentMetrics.find((m) => m.type === 'Resource' && isObj(m.resource) && m.resource.name === 'cpu');
    const cpuCurrent = cpuStatus && isObj(cpuStatus.resource) && isObj(cpuStatus.resource.current) ? cpuStatus.resource.current.averageUtilization : undefined;
    out.status = compact({
      observedGeneration: status.observedGeneration,
      lastScaleTime: status.lastScaleTime,
      currentReplicas: status.currentReplicas ?? 0,
      desiredReplicas: status.desiredReplicas ?? 0,
      currentCPUUtilizationPercentage: cpuCurrent,
    });
  }
  return out;
}

function hpaV1ToV2(obj: KubeObject): KubeObject {
  const spec = isObj(obj.spec) ? obj.spec : {};
  const status = isObj(obj.status) ? obj.status : undefined;
  const { meta, annotations } = withoutRoundTrip(obj.metadata);

  const metrics: Obj[] = (parseJsonArray(annotations[HPA_ANNOTATIONS.metrics]) ?? []).map(metricSpecFromV1);
  if (typeof spec.targetCPUUtilizationPercentage === 'number') {
    metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } } });
  }
  let behavior: unknown;
  if (annotations[HPA_ANNOTATIONS.behavior] !== undefined) {
    try {
      behavior = JSON.parse(annotations[HPA_ANNOTATIONS.behavior]);
    } catch {
      behavior = undefined;
    }
  }
  const v2Spec = compact({
    scaleTargetRef: clone(spec.scaleTargetRef),
    minReplicas: spec.minReplicas,
    maxReplicas: spec.maxReplicas,
    metrics: metrics.length ? metrics : undefined,
    behavior: isObj(behavior) ? behavior : undefined,
  });
  const out: KubeObject = { kind: 'HorizontalPodAutoscaler', apiVersion: 'autoscaling/v2', metadata: meta as KubeObject['metadata'], spec: v2Spec };
  if (status) {
    let currentMetrics = parseJsonArray(annotations[HPA_ANNOTATIONS.currentMetrics])?.map(metricStatusFromV1);
    if (!currentMetrics && typeof status.currentCPUUtilizationPercentage === 'number') {
      currentMetrics = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } } }];
    }
    out.status = compact({
      observedGeneration: status.observedGeneration,
      lastScaleTime: status.lastScaleTime,
      currentReplicas: status.currentReplicas,
      desiredReplicas: status.desiredReplicas ?? 0,
      currentMetrics,
      conditions: parseJsonArray(annotations[HPA_ANNOTATIONS.conditions]),
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Event.

/** core/v1 field → events.k8s.io/v1 field, for the fields that were renamed. */
const EVENT_RENAMES: ReadonlyArray<[core: string, events: string]> = [
  ['involvedObject', 'regarding'],
  ['message', 'note'],
  ['source', 'deprecatedSource'],
  ['firstTimestamp', 'deprecatedFirstTimestamp'],
  ['lastTimestamp', 'deprecatedLastTimestamp'],
  ['count', 'deprecatedCount'],
  ['reportingComponent', 'reportingController'],
];
/** Fields with the same name in both versions. */
const EVENT_SHARED = ['eventTime', 'series', 'action', 'reason', 'related', 'reportingInstance', 'type'];

function coreEventToEvents(obj: KubeObject): KubeObject {
  const src = obj as Obj;
  const out: Obj = { kind: 'Event', apiVersion: 'events.k8s.io/v1', metadata: clone(obj.metadata) };
  for (const [core, events] of EVENT_RENAMES) if (src[core] !== undefined) out[events] = clone(src[core]);
  for (const f of EVENT_SHARED) if (src[f] !== undefined) out[f] = clone(src[f]);
  return out as KubeObject;
}

function eventsEventToCore(obj: KubeObject): KubeObject {
  const src = obj as Obj;
  const out: Obj = { kind: 'Event', apiVersion: 'v1', metadata: clone(obj.metadata) };
  for (const [core, events] of EVENT_RENAMES) if (src[events] !== undefined) out[core] = clone(src[events]);
  for (const f of EVENT_SHARED) if (src[f] !== undefined) out[f] = clone(src[f]);
  return out as KubeObject;
}
