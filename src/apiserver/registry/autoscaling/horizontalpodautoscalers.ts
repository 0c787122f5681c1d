// autoscaling/v2 HorizontalPodAutoscaler (the storage version; v1 bodies are converted before the
// strategy sees them): SetDefaults_HorizontalPodAutoscaler of autoscaling/v2 and
// ValidateHorizontalPodAutoscaler(Update) of pkg/apis/autoscaling/validation.
import type { KubeObject } from '../../../api/types.js';
import { field, type FieldError } from '../../../apimachinery/errors.js';
import { parseQuantity, compareQuantities, quantityFromInt } from '../../../apimachinery/quantity.js';
import { isDNS1123Label, isValidPathSegmentName, validateNonnegativeField } from '../../../apimachinery/validation.js';
import type { Strategy } from '../strategy.js';
import { child, isObj, unset, type Obj } from '../apps/fields.js';

/** autoscaling.DefaultCPUUtilization: the target when an HPA names no metric. */
export const DEFAULT_CPU_UTILIZATION = 80;
/** The largest policy period and stabilization window upstream accepts. */
export const MAX_PERIOD_SECONDS = 1800;
export const MAX_STABILIZATION_WINDOW_SECONDS = 3600;

/** defaultHPAScaleUpRules: the faster of 4 pods or 100% every 15s, no stabilization. */
export function defaultScaleUpRules(): Obj {
  return {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ],
  };
}

/** defaultHPAScaleDownRules: 100% every 15s; the stabilization window stays the controller's flag. */
export function defaultScaleDownRules(): Obj {
  return { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };
}

/** copyHPAScalingRules: the given rule's set fields over the defaults (GenerateHPAScale{Up,Down}Rules). */
function fillRules(given: unknown, defaults: Obj): Obj {
  if (!isObj(given)) return defaults;
  const out: Obj = { ...defaults };
  for (const k of ['selectPolicy', 'stabilizationWindowSeconds', 'policies', 'tolerance']) if (!unset(given[k])) out[k] = given[k];
  return out;
}

/** SetDefaults_HorizontalPodAutoscaler (autoscaling/v2). */
export function defaultHorizontalPodAutoscaler(obj: KubeObject): void {
  const spec = child(obj, 'spec');
  if (unset(spec.minReplicas)) spec.minReplicas = 1;
  if (!Array.isArray(spec.metrics) || spec.metrics.length === 0) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } }];
  }
  if (isObj(spec.behavior)) {
    spec.behavior.scaleUp = fillRules(spec.behavior.scaleUp, defaultScaleUpRules());
    spec.behavior.scaleDown = fillRules(spec.behavior.scaleDown, defaultScaleDownRules());
  }
}

/** ValidateCrossVersionObjectReference. */
export function validateCrossVersionObjectReference(ref: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['kind', 'name']) {
    const v = typeof ref[f] === 'string' ? ref[f] : '';
    if (v.length === 0) errs.push(field.required(`${path}.${f}`));
    else errs.push(...isValidPathSegmentName(v).map((m) => field.invalid(`${path}.${f}`, v, m)));
  }
  return errs;
}

function validateMetricIdentifier(id: Obj, path: string): FieldError[] {
  const name = typeof id.name === 'string' ? id.name : '';
  if (name.length === 0) return [field.required(`${path}.name`, 'must specify a metric name')];
  return isValidPathSegmentName(name).map((m) => field.invalid(`${path}.name`, name, m));
}

/** True when a quantity is set and parses to a value above zero (Sign() == 1). */
function isPositiveQuantity(v: unknown): boolean {
  try {
    return compareQuantities(parseQuantity(v as string | number), quantityFromInt(0)) > 0;
  } catch {
    return false;
  }
}

function validateMetricTarget(mt: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const type = mt.type ?? '';
  if (type === '') errs.push(field.required(`${path}.type`, 'must specify a metric target type'));
  if (!['Utilization', 'Value', 'AverageValue'].includes(type)) {
    errs.push(field.invalid(`${path}.type`, type, 'must be either Utilization, Value, or AverageValue'));
  }
  // Quantities print bare, as Go prints a resource.Quantity.
  if (!unset(mt.value) && !isPositiveQuantity(mt.value)) errs.push(field.invalidRaw(`${path}.value`, String(mt.value), 'must be positive'));
  if (!unset(mt.averageValue) && !isPositiveQuantity(mt.averageValue)) {
    errs.push(field.invalidRaw(`${path}.averageValue`, String(mt.averageValue), 'must be positive'));
  }
  if (typeof mt.averageUtilization === 'number' && mt.averageUtilization < 1) {
    errs.push(field.invalid(`${path}.averageUtilization`, mt.averageUtilization, 'must be greater than 0'));
  }
  return errs;
}

function targetOf(src: Obj): Obj {
  return isObj(src.target) ? src.target : {};
}

function validateObjectSource(src: Obj, path: string): FieldError[] {
  const t = targetOf(src);
  const errs = [
    ...validateCrossVersionObjectReference(isObj(src.describedObject) ? src.describedObject : {}, `${path}.describedObject`),
    ...validateMetricIdentifier(isObj(src.metric) ? src.metric : {}, `${path}.metric`),
    ...validateMetricTarget(t, `${path}.target`),
  ];
  if (unset(t.value) && unset(t.averageValue)) errs.push(field.required(`${path}.target.averageValue`, 'must set either a target value or averageValue'));
  return errs;
}

function validateExternalSource(src: Obj, path: string): FieldError[] {
  const t = targetOf(src);
  const errs = [...validateMetricIdentifier(isObj(src.metric) ? src.metric : {}, `${path}.metric`), ...validateMetricTarget(t, `${path}.target`)];
  if (unset(t.value) && unset(t.averageValue)) {
    errs.push(field.required(`${path}.target.averageValue`, 'must set either a target value for metric or a per-pod target'));
  }
  if (!unset(t.value) && !unset(t.averageValue)) {
    errs.push(field.forbidden(`${path}.target.value`, 'may not set both a target value for metric and a per-pod target'));
  }
  return errs;
}

function validatePodsSource(src: Obj, path: string): FieldError[] {
  const t = targetOf(src);
  const errs = [...validateMetricIdentifier(isObj(src.metric) ? src.metric : {}, `${path}.metric`), ...validateMetricTarget(t, `${path}.target`)];
  if (unset(t.averageValue)) errs.push(field.required(`${path}.target.averageValue`, 'must specify a positive target averageValue'));
  return errs;
}

function validateUtilizationOrValue(t: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (unset(t.averageUtilization) && unset(t.averageValue)) {
    errs.push(field.required(`${path}.target.averageUtilization`, 'must set either a target raw value or a target utilization'));
  }
  if (!unset(t.averageUtilization) && !unset(t.averageValue)) {
    errs.push(field.forbidden(`${path}.target.averageValue`, 'may not set both a target raw value and a target utilization'));
  }
  return errs;
}

function validateResourceSource(src: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!src.name) errs.push(field.required(`${path}.name`, 'must specify a resource name'));
  errs.push(...validateMetricTarget(targetOf(src), `${path}.target`));
  errs.push(...validateUtilizationOrValue(targetOf(src), path));
  return errs;
}

function validateContainerResourceSource(src: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!src.name) errs.push(field.required(`${path}.name`, 'must specify a resource name'));
  const container = typeof src.container === 'string' ? src.container : '';
  if (container.length === 0) errs.push(field.required(`${path}.container`, 'must specify a container'));
  else errs.push(...isDNS1123Label(container).map((m) => field.invalid(`${path}.container`, container, m)));
  errs.push(...validateMetricTarget(targetOf(src), `${path}.target`));
  errs.push(...validateUtilizationOrValue(targetOf(src), path));
  return errs;
}

const METRIC_SOURCE_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const SOURCE_FIELD: Record<string, string> = {
  Object: 'object',
  Pods: 'pods',
  Resource: 'resource',
  External: 'external',
  ContainerResource: 'containerResource',
};
const SOURCE_VALIDATORS: [string, (src: Obj, path: string) => FieldError[]][] = [
  ['object', validateObjectSource],
  ['external', validateExternalSource],
  ['pods', validatePodsSource],
  ['resource', validateResourceSource],
  ['containerResource', validateContainerResourceSource],
];

/** validateMetricSpec: exactly the source its type names. */
export function validateMetricSpec(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const type = spec.type ?? '';
  if (type === '') errs.push(field.required(`${path}.type`, 'must specify a metric source type'));
  if (!METRIC_SOURCE_TYPES.includes(type)) errs.push(field.notSupported(`${path}.type`, type, METRIC_SOURCE_TYPES));
  const present: string[] = [];
  for (const [key, validate] of SOURCE_VALIDATORS) {
    if (!isObj(spec[key])) continue;
    present.push(key);
    // Only the first source present is validated in depth, as upstream does.
    if (present.length === 1) errs.push(...validate(spec[key], `${path}.${key}`));
  }
  const expected = SOURCE_FIELD[type];
  if (expected === undefined) errs.push(field.notSupported(`${path}.type`, type, METRIC_SOURCE_TYPES));
  else if (!isObj(spec[expected])) errs.push(field.required(`${path}.${expected}`, 'must populate information for the given metric source'));
  if (present.length !== 1) {
    for (const key of present) if (key !== expected) errs.push(field.forbidden(`${path}.${key}`, 'must populate the given metric source only'));
  }
  return errs;
}

function validateScalingRules(rules: unknown, path: string): FieldError[] {
  if (!isObj(rules)) return [];
  const errs: FieldError[] = [];
  const window = rules.stabilizationWindowSeconds;
  if (typeof window === 'number' && window < 0) {
    errs.push(field.invalid(`${path}.stabilizationWindowSeconds`, window, 'must be greater than or equal to zero'));
  }
  if (typeof window === 'number' && window > MAX_STABILIZATION_WINDOW_SECONDS) {
    errs.push(field.invalid(`${path}.stabilizationWindowSeconds`, window, `must be less than or equal to ${MAX_STABILIZATION_WINDOW_SECONDS}`));
  }
  if (!unset(rules.selectPolicy) && !['Disabled', 'Max', 'Min'].includes(rules.selectPolicy)) {
    errs.push(field.notSupported(`${path}.selectPolicy`, rules.selectPolicy, ['Disabled', 'Max', 'Min']));
  }
  const policies: unknown[] = Array.isArray(rules.policies) ? rules.policies : [];
  if (policies.length === 0) errs.push(field.required(`${path}.policies`, 'must specify at least one Policy'));
  policies.forEach((raw, i) => {
    const p: Obj = isObj(raw) ? raw : {};
    const pp = `${path}.policies[${i}]`;
    if (p.type !== 'Pods' && p.type !== 'Percent') errs.push(field.notSupported(`${pp}.type`, p.type ?? '', ['Percent', 'Pods']));
    if (!(Number(p.value ?? 0) > 0)) errs.push(field.invalid(`${pp}.value`, p.value ?? 0, 'must be greater than zero'));
    const period = Number(p.periodSeconds ?? 0);
    if (!(period > 0)) errs.push(field.invalid(`${pp}.periodSeconds`, p.periodSeconds ?? 0, 'must be greater than zero'));
    if (period > MAX_PERIOD_SECONDS) errs.push(field.invalid(`${pp}.periodSeconds`, period, `must be less than or equal to ${MAX_PERIOD_SECONDS}`));
  });
  return errs;
}

/** validateHorizontalPodAutoscalerSpec; minReplicasLowerBound is 1 unless scale-to-zero applies. */
export function validateHorizontalPodAutoscalerSpec(spec: Obj, path: string, minReplicasLowerBound = 1): FieldError[] {
  const errs: FieldError[] = [];
  const min = spec.minReplicas;
  const max = Number(spec.maxReplicas ?? 0);
  if (typeof min === 'number' && min < minReplicasLowerBound) {
    errs.push(field.invalid(`${path}.minReplicas`, min, `must be greater than or equal to ${minReplicasLowerBound}`));
  }
  if (max < 1) errs.push(field.invalid(`${path}.maxReplicas`, max, 'must be greater than 0'));
  if (typeof min === 'number' && max < min) errs.push(field.invalid(`${path}.maxReplicas`, max, 'must be greater than or equal to `minReplicas`'));
  errs.push(...validateCrossVersionObjectReference(isObj(spec.scaleTargetRef) ? spec.scaleTargetRef : {}, `${path}.scaleTargetRef`));
  const metrics: unknown[] = Array.isArray(spec.metrics) ? spec.metrics : [];
  metrics.forEach((m, i) => errs.push(...validateMetricSpec(isObj(m) ? m : {}, `${path}.metrics[${i}]`)));
  if (min === 0 && !metrics.some((m) => isObj(m) && (m.type === 'Object' || m.type === 'External'))) {
    errs.push(field.forbidden(`${path}.metrics`, 'must specify at least one Object or External metric to support scaling to zero replicas'));
  }
  if (isObj(spec.behavior)) {
    errs.push(...validateScalingRules(spec.behavior.scaleUp, `${path}.behavior.scaleUp`));
    errs.push(...validateScalingRules(spec.behavior.scaleDown, `${path}.behavior.scaleDown`));
  }
  return errs;
}

/** The autoscaling/v2 horizontalpodautoscalers strategy (also serves autoscaling/v1 after conversion). */
export const horizontalPodAutoscalerStrategy = {
  tracksGeneration: true,
  defaults: defaultHorizontalPodAutoscaler,
  validate: (obj) => validateHorizontalPodAutoscalerSpec(isObj(obj.spec) ? obj.spec : {}, 'spec'),
  status: {
    validateUpdate: (obj) => {
      const status: Obj = isObj(obj.status) ? obj.status : {};
      return [...validateNonnegativeField(status.currentReplicas, 'status.currentReplicas'), ...validateNonnegativeField(status.desiredReplicas, 'status.desiredReplicas')];
    },
  },
} satisfies Strategy;
