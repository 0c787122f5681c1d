// batch/v1 Job: SetDefaults_Job, the generated selector and labels of the job strategy's
// PrepareForCreate, ValidateJob / ValidateJobUpdate / the status rules (pkg/apis/batch/validation).
import { jsonCopy } from '../../../apimachinery/json.js';
import type { KubeObject } from '../../../api/types.js';
import { field, type FieldError } from '../../../apimachinery/errors.js';
import { goLabelSelector, goStringMap } from '../../../apimachinery/go-syntax.js';
import { isDNS1123Label, isQualifiedName, validateNonnegativeField } from '../../../apimachinery/validation.js';
import { validateLabelSelector } from '../../../apimachinery/labels.js';
import { validatePodTemplateSpec } from '../core/pods.js';
import { defaultPodTemplateSpec } from '../core/pod-defaults.js';
import type { Strategy } from '../strategy.js';
import {
  child,
  isObj,
  semanticEqual,
  unset,
  validateDomainPrefixedPath,
  validateImmutable,
  validateImmutableSelector,
  type Obj,
} from '../apps/fields.js';
import { labelSelectorMatches, SELECTOR_MISMATCH } from '../apps/workload.js';

/** The labels the job controller puts on its pods (batch.ControllerUidLabel and friends). */
export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
export const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';
export const LEGACY_JOB_NAME_LABEL = 'job-name';

const MAX_PARALLELISM_FOR_INDEXED_JOB = 100_000;
const MAX_FAILED_INDEXES_FOR_INDEXED_JOB = 100_000;
const MAX_POD_FAILURE_POLICY_RULES = 20;
const MAX_ON_EXIT_CODES_VALUES = 255;
const MAX_ON_POD_CONDITIONS_PATTERNS = 20;
const MAX_MANAGED_BY_LENGTH = 63;
const MAX_SUCCESS_POLICY_RULES = 20;

/** SetDefaults_Job (batch/v1), including manualSelector false and podReplacementPolicy. */
export function defaultJob(obj: KubeObject): void {
  const spec = child(obj, 'spec');
  if (unset(spec.completions) && unset(spec.parallelism)) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  if (unset(spec.parallelism)) spec.parallelism = 1;
  if (unset(spec.backoffLimit)) spec.backoffLimit = unset(spec.backoffLimitPerIndex) ? 6 : 2147483647;
  const template = child(spec, 'template');
  const tmplLabels = isObj(template.metadata) ? template.metadata.labels : undefined;
  if (isObj(tmplLabels) && Object.keys(obj.metadata.labels ?? {}).length === 0) obj.metadata.labels = { ...tmplLabels };
  if (unset(spec.completionMode)) spec.completionMode = 'NonIndexed';
  if (unset(spec.suspend)) spec.suspend = false;
  if (isObj(spec.podFailurePolicy) && Array.isArray(spec.podFailurePolicy.rules)) {
    for (const rule of spec.podFailurePolicy.rules) {
      if (!isObj(rule) || !Array.isArray(rule.onPodConditions)) continue;
      for (const pattern of rule.onPodConditions) if (isObj(pattern) && !pattern.status) pattern.status = 'True';
    }
  }
  if (unset(spec.podReplacementPolicy)) spec.podReplacementPolicy = isObj(spec.podFailurePolicy) ? 'Failed' : 'TerminatingOrFailed';
  if (unset(spec.manualSelector)) spec.manualSelector = false;
  defaultPodTemplateSpec(template);
}

/**
 * generateSelector: label the template with the job's name and uid and select on the uid, so the
 * job's pods never overlap another controller's. Labels the user set are kept (validation rejects
 * a conflict). The job itself shows its template's labels when it has none of its own, as
 * SetDefaults_Job makes it look when read back.
 */
export function generateJobSelector(obj: KubeObject): void {
  const spec = child(obj, 'spec');
  const meta = child(child(spec, 'template'), 'metadata');
  const labels: Record<string, string> = isObj(meta.labels) ? meta.labels : (meta.labels = {});
  const name = obj.metadata.name ?? '';
  const uid = obj.metadata.uid ?? '';
  for (const key of [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL]) if (!(key in labels)) labels[key] = name;
  for (const key of [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL]) if (!(key in labels)) labels[key] = uid;
  const selector = child(spec, 'selector');
  const matchLabels = child(selector, 'matchLabels');
  if (!(CONTROLLER_UID_LABEL in matchLabels)) matchLabels[CONTROLLER_UID_LABEL] = uid;
}

/** ValidateHasLabel: the template must carry key=expected. */
function validateHasLabel(meta: Obj, path: string, key: string, expected: string): FieldError[] {
  const labels: Obj = isObj(meta.labels) ? meta.labels : {};
  const p = `${path}.labels[${key}]`;
  if (!(key in labels)) return [field.required(p, expected)];
  if (labels[key] !== expected) return [field.invalidRaw(p, goStringMap(labels), `must be '${expected}'`)];
  return [];
}

/** validateGeneratedSelector with prefixed labels required (new jobs). */
export function validateGeneratedSelector(obj: KubeObject): FieldError[] {
  const spec: Obj = isObj(obj.spec) ? obj.spec : {};
  if (spec.manualSelector === true || unset(spec.selector)) return [];
  const errs: FieldError[] = [];
  const uid = obj.metadata.uid ?? '';
  const name = obj.metadata.name ?? '';
  if (!uid) errs.push(field.required('metadata.uid'));
  const meta: Obj = isObj(spec.template) && isObj(spec.template.metadata) ? spec.template.metadata : {};
  const metaPath = 'spec.template.metadata';
  errs.push(...validateHasLabel(meta, metaPath, LEGACY_CONTROLLER_UID_LABEL, uid));
  errs.push(...validateHasLabel(meta, metaPath, LEGACY_JOB_NAME_LABEL, name));
  errs.push(...validateHasLabel(meta, metaPath, CONTROLLER_UID_LABEL, uid));
  errs.push(...validateHasLabel(meta, metaPath, JOB_NAME_LABEL, name));
  const expected = {
    [CONTROLLER_UID_LABEL]: uid,
    [JOB_NAME_LABEL]: name,
    [LEGACY_CONTROLLER_UID_LABEL]: uid,
    [LEGACY_JOB_NAME_LABEL]: name,
  };
  if (validateLabelSelector(spec.selector, 'spec.selector').length === 0 && !labelSelectorMatches(spec.selector, expected)) {
    errs.push(field.invalidRaw('spec.selector', goLabelSelector(spec.selector), '`selector` not auto-generated'));
  }
  return errs;
}

function validatePodFailurePolicy(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const rules: unknown[] = Array.isArray(spec.podFailurePolicy.rules) ? spec.podFailurePolicy.rules : [];
  const rulesPath = `${path}.rules`;
  if (rules.length > MAX_POD_FAILURE_POLICY_RULES) errs.push(field.tooMany(rulesPath, rules.length, MAX_POD_FAILURE_POLICY_RULES));
  const podSpec: Obj = isObj(spec.template) && isObj(spec.template.spec) ? spec.template.spec : {};
  const names = new Set<string>();
  for (const list of [podSpec.containers, podSpec.initContainers]) {
    if (Array.isArray(list)) for (const c of list) if (isObj(c) && typeof c.name === 'string') names.add(c.name);
  }
  const actions = ['Count', 'FailIndex', 'FailJob', 'Ignore'];
  rules.forEach((raw, i) => {
    const rule: Obj = isObj(raw) ? raw : {};
    const rulePath = `${rulesPath}[${i}]`;
    const action = rule.action ?? '';
    if (action === '') errs.push(field.required(`${rulePath}.action`, `valid values: ["Count" "FailIndex" "FailJob" "Ignore"]`));
    else if (action === 'FailIndex') {
      if (unset(spec.backoffLimitPerIndex)) errs.push(field.invalid(`${rulePath}.action`, action, 'requires the backoffLimitPerIndex to be set'));
    } else if (!actions.includes(action)) errs.push(field.notSupported(`${rulePath}.action`, action, actions));
    const hasExitCodes = isObj(rule.onExitCodes);
    const conditions: unknown[] = Array.isArray(rule.onPodConditions) ? rule.onPodConditions : [];
    if (hasExitCodes) errs.push(...validateOnExitCodes(rule.onExitCodes, `${rulePath}.onExitCodes`, names));
    if (conditions.length > 0) errs.push(...validateOnPodConditions(conditions, `${rulePath}.onPodConditions`));
    if (hasExitCodes && conditions.length > 0) {
      errs.push({ type: 'Invalid', field: rulePath, detail: 'specifying both OnExitCodes and OnPodConditions is not supported' });
    }
    if (!hasExitCodes && conditions.length === 0) {
      errs.push({ type: 'Invalid', field: rulePath, detail: 'specifying one of OnExitCodes and OnPodConditions is required' });
    }
  });
  return errs;
}

function validateOnExitCodes(req: Obj, path: string, containerNames: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const op = req.operator ?? '';
  if (op === '') errs.push(field.required(`${path}.operator`, 'valid values: ["In" "NotIn"]'));
  else if (op !== 'In' && op !== 'NotIn') errs.push(field.notSupported(`${path}.operator`, op, ['In', 'NotIn']));
  if (!unset(req.containerName) && !containerNames.has(req.containerName)) {
    errs.push(field.invalid(`${path}.containerName`, req.containerName, 'must be one of the container or initContainer names in the pod template'));
  }
  const values: number[] = Array.isArray(req.values) ? req.values : [];
  const valuesPath = `${path}.values`;
  if (values.length === 0) errs.push(field.invalid(valuesPath, values, 'at least one value is required'));
  else if (values.length > MAX_ON_EXIT_CODES_VALUES) errs.push(field.tooMany(valuesPath, values.length, MAX_ON_EXIT_CODES_VALUES));
  const seen = new Set<number>();
  let ordered = true;
  values.forEach((v, j) => {
    const p = `${valuesPath}[${j}]`;
    if (op === 'In' && v === 0) errs.push(field.invalid(p, v, 'must not be 0 for the In operator'));
    if (seen.has(v)) errs.push(field.duplicate(p, v));
    else seen.add(v);
    if (j > 0 && values[j - 1] > v) ordered = false;
  });
  if (!ordered) errs.push(field.invalid(valuesPath, values, 'must be ordered'));
  return errs;
}

function validateOnPodConditions(patterns: unknown[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (patterns.length > MAX_ON_POD_CONDITIONS_PATTERNS) errs.push(field.tooMany(path, patterns.length, MAX_ON_POD_CONDITIONS_PATTERNS));
  patterns.forEach((raw, j) => {
    const pattern: Obj = isObj(raw) ? raw : {};
    const p = `${path}[${j}]`;
    errs.push(...isQualifiedName(String(pattern.type ?? '')).map((m) => field.invalid(`${p}.type`, pattern.type ?? '', m)));
    const status = pattern.status ?? '';
    if (status === '') errs.push(field.required(`${p}.status`, 'valid values: ["False" "True" "Unknown"]'));
    else if (!['False', 'True', 'Unknown'].includes(status)) errs.push(field.notSupported(`${p}.status`, status, ['False', 'True', 'Unknown']));
  });
  return errs;
}

function validateSuccessPolicy(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const rules: unknown[] = Array.isArray(spec.successPolicy.rules) ? spec.successPolicy.rules : [];
  const rulesPath = `${path}.rules`;
  if (rules.length === 0) errs.push(field.required(rulesPath, 'at least one rules must be specified when the successPolicy is specified'));
  if (rules.length > MAX_SUCCESS_POLICY_RULES) errs.push(field.tooMany(rulesPath, rules.length, MAX_SUCCESS_POLICY_RULES));
  const completions = Number(spec.completions ?? 0);
  rules.forEach((raw, i) => {
    const rule: Obj = isObj(raw) ? raw : {};
    const p = `${rulesPath}[${i}]`;
    if (unset(rule.succeededCount) && unset(rule.succeededIndexes)) {
      errs.push(field.required(p, 'at least one of succeededCount or succeededIndexes must be specified'));
    }
    if (typeof rule.succeededCount === 'number') {
      errs.push(...validateNonnegativeField(rule.succeededCount, `${p}.succeededCount`));
      if (rule.succeededCount > completions) {
        errs.push(
          field.invalid(`${p}.succeededCount`, rule.succeededCount, `must be less than or equal to ${completions} (the number of specified completions)`),
        );
      }
    }
  });
  return errs;
}

/** validateJobSpec: the rules a Job and a CronJob's jobTemplate share. */
export function validateJobSpecCommon(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex']) {
    errs.push(...validateNonnegativeField(spec[f], `${path}.${f}`));
  }
  if (!unset(spec.maxFailedIndexes)) {
    errs.push(...validateNonnegativeField(spec.maxFailedIndexes, `${path}.maxFailedIndexes`));
    if (unset(spec.backoffLimitPerIndex)) errs.push(field.required(`${path}.backoffLimitPerIndex`, 'when maxFailedIndexes is specified'));
  }
  if (typeof spec.managedBy === 'string') {
    errs.push(...validateDomainPrefixedPath(spec.managedBy, `${path}.managedBy`));
    if (spec.managedBy.length > MAX_MANAGED_BY_LENGTH) errs.push(field.tooLong(`${path}.managedBy`, MAX_MANAGED_BY_LENGTH));
  }
  const mode = spec.completionMode;
  if (!unset(mode)) {
    if (mode !== 'NonIndexed' && mode !== 'Indexed') errs.push(field.notSupported(`${path}.completionMode`, mode, ['NonIndexed', 'Indexed']));
    if (mode === 'Indexed') {
      if (unset(spec.completions)) errs.push(field.required(`${path}.completions`, 'when completion mode is Indexed'));
      if (typeof spec.parallelism === 'number' && spec.parallelism > MAX_PARALLELISM_FOR_INDEXED_JOB) {
        errs.push(field.invalid(`${path}.parallelism`, spec.parallelism, `must be less than or equal to ${MAX_PARALLELISM_FOR_INDEXED_JOB} when completion mode is Indexed`));
      }
      if (typeof spec.completions === 'number' && typeof spec.maxFailedIndexes === 'number' && spec.maxFailedIndexes > spec.completions) {
        errs.push(field.invalid(`${path}.maxFailedIndexes`, spec.maxFailedIndexes, 'must be less than or equal to completions'));
      }
      if (typeof spec.maxFailedIndexes === 'number' && spec.maxFailedIndexes > MAX_FAILED_INDEXES_FOR_INDEXED_JOB) {
        errs.push(field.invalid(`${path}.maxFailedIndexes`, spec.maxFailedIndexes, `must be less than or equal to ${MAX_FAILED_INDEXES_FOR_INDEXED_JOB}`));
      }
    }
  }
  if (unset(mode) || mode === 'NonIndexed') {
    if (!unset(spec.backoffLimitPerIndex)) errs.push(field.invalid(`${path}.backoffLimitPerIndex`, spec.backoffLimitPerIndex, 'requires indexed completion mode'));
    if (!unset(spec.maxFailedIndexes)) errs.push(field.invalid(`${path}.maxFailedIndexes`, spec.maxFailedIndexes, 'requires indexed completion mode'));
  }
  if (isObj(spec.podFailurePolicy)) errs.push(...validatePodFailurePolicy(spec, `${path}.podFailurePolicy`));
  if (isObj(spec.successPolicy)) {
    if (mode !== 'Indexed') errs.push(field.invalid(`${path}.successPolicy`, spec.successPolicy, 'requires indexed completion mode'));
    else errs.push(...validateSuccessPolicy(spec, `${path}.successPolicy`));
  }
  if (!unset(spec.podReplacementPolicy)) {
    if (isObj(spec.podFailurePolicy)) {
      if (spec.podReplacementPolicy !== 'Failed') errs.push(field.notSupported(`${path}.podReplacementPolicy`, spec.podReplacementPolicy, ['Failed']));
    } else if (!['Failed', 'TerminatingOrFailed'].includes(spec.podReplacementPolicy)) {
      errs.push(field.notSupported(`${path}.podReplacementPolicy`, spec.podReplacementPolicy, ['Failed', 'TerminatingOrFailed']));
    }
  }
  const template: Obj = isObj(spec.template) ? spec.template : {};
  errs.push(...validatePodTemplateSpec(template, `${path}.template`));
  // A template without restartPolicy was defaulted to Always, so both read as "not chosen".
  const restartPolicy = isObj(template.spec) ? (template.spec.restartPolicy ?? '') : '';
  const rpPath = `${path}.template.spec.restartPolicy`;
  if (restartPolicy === 'Always' || restartPolicy === '') errs.push(field.required(rpPath, 'valid values: "OnFailure", "Never"'));
  else if (restartPolicy !== 'OnFailure' && restartPolicy !== 'Never') errs.push(field.notSupported(rpPath, restartPolicy, ['OnFailure', 'Never']));
  else if (isObj(spec.podFailurePolicy) && restartPolicy !== 'Never') {
    errs.push(field.invalid(rpPath, restartPolicy, 'only "Never" is supported when podFailurePolicy is specified'));
  }
  return errs;
}

/** ValidateJobSpec: the common rules plus the (generated or manual) selector. */
export function validateJobSpec(spec: Obj, path: string): FieldError[] {
  const errs = validateJobSpecCommon(spec, path);
  if (unset(spec.selector)) errs.push(field.required(`${path}.selector`));
  else errs.push(...validateLabelSelector(spec.selector, `${path}.selector`));
  const labels = isObj(spec.template) && isObj(spec.template.metadata) ? spec.template.metadata.labels : undefined;
  if (!unset(spec.selector) && validateLabelSelector(spec.selector, `${path}.selector`).length === 0 && !labelSelectorMatches(spec.selector, labels)) {
    errs.push(field.invalidRaw(`${path}.template.metadata.labels`, goStringMap(labels), SELECTOR_MISMATCH));
  } else if (unset(spec.selector)) {
    errs.push(field.invalidRaw(`${path}.template.metadata.labels`, goStringMap(labels), SELECTOR_MISMATCH));
  }
  return errs;
}

/** ValidateJob without ObjectMeta. */
export function validateJob(obj: KubeObject): FieldError[] {
  const spec: Obj = isObj(obj.spec) ? obj.spec : {};
  const errs = [...validateGeneratedSelector(obj), ...validateJobSpec(spec, 'spec')];
  if (spec.completionMode === 'Indexed' && typeof spec.completions === 'number' && spec.completions > 0) {
    // Indexed pods are named <job>-<index>, which must stay a DNS label.
    const hostname = `${obj.metadata.name ?? ''}-${spec.completions - 1}`;
    if (isDNS1123Label(hostname).length > 0) {
      errs.push(field.invalid('metadata.name', obj.metadata.name ?? '', `will not able to create pod with invalid DNS label: ${hostname}`));
    }
  }
  return errs;
}

/** Suspended jobs that never started may change scheduling directives of their template. */
function mutableSchedulingTemplate(template: Obj, oldTemplate: Obj): Obj {
  const old = jsonCopy(oldTemplate);
  const spec: Obj = isObj(template.spec) ? template.spec : {};
  const oldSpec = child(old, 'spec');
  const oldMeta = child(old, 'metadata');
  const meta: Obj = isObj(template.metadata) ? template.metadata : {};
  if (isObj(spec.affinity) || isObj(oldSpec.affinity)) {
    const affinity: Obj = isObj(oldSpec.affinity) ? oldSpec.affinity : {};
    if (isObj(spec.affinity)) affinity.nodeAffinity = spec.affinity.nodeAffinity;
    else delete affinity.nodeAffinity;
    oldSpec.affinity = Object.keys(affinity).length === 0 && !isObj(spec.affinity) ? undefined : affinity;
  }
  oldSpec.nodeSelector = spec.nodeSelector;
  oldSpec.tolerations = spec.tolerations;
  oldSpec.schedulingGates = spec.schedulingGates;
  oldMeta.annotations = meta.annotations;
  oldMeta.labels = meta.labels;
  return old;
}

/** ValidateJobSpecUpdate's immutability rules. */
export function validateJobUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const spec: Obj = isObj(obj.spec) ? obj.spec : {};
  const oldSpec: Obj = isObj(old.spec) ? old.spec : {};
  const errs: FieldError[] = [];
  // ElasticIndexedJob (GA): an Indexed job may change completions together with parallelism.
  if (spec.completionMode === 'Indexed') {
    if (!semanticEqual(spec.completions, oldSpec.completions) && !unset(spec.completions) && spec.completions !== spec.parallelism) {
      errs.push(field.invalid('spec.completions', spec.completions, 'can only be modified in tandem with spec.parallelism'));
    }
  } else {
    errs.push(...validateImmutable(spec.completions, oldSpec.completions, 'spec.completions'));
  }
  errs.push(...validateImmutableSelector(spec.selector, oldSpec.selector, 'spec.selector'));
  const template: Obj = isObj(spec.template) ? spec.template : {};
  let oldTemplate: Obj = isObj(oldSpec.template) ? oldSpec.template : {};
  const notStarted = !isObj(old.status) || unset(old.status.startTime);
  if (oldSpec.suspend === true && notStarted) oldTemplate = mutableSchedulingTemplate(template, oldTemplate);
  if (!semanticEqual(template, oldTemplate)) errs.push(field.invalid('spec.template', template, 'field is immutable'));
  for (const f of ['completionMode', 'podFailurePolicy', 'backoffLimitPerIndex', 'managedBy', 'successPolicy']) {
    errs.push(...validateImmutable(spec[f], oldSpec[f], `spec.${f}`));
  }
  return errs;
}

/** The counters of ValidateJobStatus. */
export function validateJobStatus(status: Obj): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['active', 'succeeded', 'failed', 'ready', 'terminating']) errs.push(...validateNonnegativeField(status[f], `status.${f}`));
  if (typeof status.ready === 'number' && status.ready > Number(status.active ?? 0)) {
    errs.push(field.invalid('status.ready', status.ready, 'cannot set more ready pods than active'));
  }
  return errs;
}

/** The batch/v1 jobs strategy. */
export const jobStrategy = {
  tracksGeneration: true,
  defaults: defaultJob,
  prepareForCreate(obj) {
    const spec = child(obj, 'spec');
    if (spec.manualSelector !== true) generateJobSelector(obj);
    const labels = (spec.template as Obj)?.metadata?.labels;
    if (Object.keys(obj.metadata.labels ?? {}).length === 0 && isObj(labels)) obj.metadata.labels = { ...labels };
  },
  validate: (obj) => validateJob(obj),
  validateUpdate: validateJobUpdate,
  status: { validateUpdate: (obj) => validateJobStatus(isObj(obj.status) ? obj.status : {}) },
  selectableFields: (obj) => ({ 'status.successful': String((obj.status as Obj | undefined)?.succeeded ?? 0) }),
} satisfies Strategy;
