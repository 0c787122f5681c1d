// What every pod-owning controller object shares (pkg/apis/apps/validation's selector and template
// checks, reused by batch): the selector is required and non-empty, the template's labels must match
// it, and the template's restartPolicy suits the controller.
import { field, type FieldError } from '../../../apimachinery/errors.js';
import { goLabelSelector, goStringMap } from '../../../apimachinery/go-syntax.js';
import { matches, selectorFromLabelSelector, validateLabelSelector } from '../../../apimachinery/labels.js';
import { validateAnnotations, validateLabels } from '../../../apimachinery/validation.js';
import { validatePodTemplateSpec } from '../core/pods.js';
import { isObj, unset, type Obj } from './fields.js';

/** upstream's message when the template's labels are not selected by the controller's selector. */
export const SELECTOR_MISMATCH = '`selector` does not match template `labels`';

/**
 * metav1.LabelSelectorAsSelector(ls).Matches(labels): a missing selector selects nothing, an empty
 * one selects everything, an unparseable one nothing.
 */
export function labelSelectorMatches(ls: unknown, labels: unknown): boolean {
  try {
    return matches(selectorFromLabelSelector(isObj(ls) ? ls : undefined), isObj(labels) ? (labels as Record<string, string>) : undefined);
  } catch {
    return false;
  }
}

/** True for a selector with neither matchLabels nor matchExpressions (labels.Selector.Empty()). */
export function isEmptySelector(ls: unknown): boolean {
  if (!isObj(ls)) return false;
  const nLabels = isObj(ls.matchLabels) ? Object.keys(ls.matchLabels).length : 0;
  const nExprs = Array.isArray(ls.matchExpressions) ? ls.matchExpressions.length : 0;
  return nLabels + nExprs === 0;
}

/** How the template of a controller is checked beyond the selector. */
export interface TemplateRules {
  /** The word in "empty selector is invalid for <kind>" (upstream says "deployment" for ReplicaSets too). */
  emptySelectorKind: string;
  /** The kind named in "activeDeadlineSeconds in <Kind> is not Supported". */
  kind: string;
  /** false for StatefulSets, whose pod spec upstream leaves unvalidated (only labels and annotations). */
  validatePodSpec?: boolean;
  /** Whether the selector may be missing (DaemonSet reports only the template mismatch then). */
  selectorOptional?: boolean;
}

/**
 * The selector and template rules of ValidateDeploymentSpec / ValidateReplicaSetSpec /
 * ValidateStatefulSetSpec / ValidateDaemonSetSpec, in upstream's order: selector, template labels,
 * pod template, restartPolicy Always, no activeDeadlineSeconds.
 */
export function validateSelectorAndTemplate(spec: Obj, path: string, rules: TemplateRules): FieldError[] {
  const errs: FieldError[] = [];
  const selPath = `${path}.selector`;
  const tmplPath = `${path}.template`;
  const selector = spec.selector;
  let selectorValid = true;
  if (unset(selector)) {
    if (!rules.selectorOptional) errs.push(field.required(selPath));
  } else {
    const selErrs = validateLabelSelector(selector, selPath);
    errs.push(...selErrs);
    selectorValid = selErrs.length === 0;
    if (isEmptySelector(selector)) errs.push(field.invalidRaw(selPath, goLabelSelector(selector), `empty selector is invalid for ${rules.emptySelectorKind}`));
  }
  const template: Obj = isObj(spec.template) ? spec.template : {};
  const labels = isObj(template.metadata) ? template.metadata.labels : undefined;
  if (!selectorValid) {
    if (rules.kind !== 'DaemonSet') errs.push(field.invalidRaw(selPath, goLabelSelector(selector), rules.kind === 'StatefulSet' ? '' : 'invalid label selector'));
  } else if (!isEmptySelector(selector) && !labelSelectorMatches(selector, labels)) {
    errs.push(field.invalidRaw(`${tmplPath}.metadata.labels`, goStringMap(labels), SELECTOR_MISMATCH));
  }
  // ReplicaSets and Deployments skip the whole template when the selector cannot be parsed.
  const checkTemplate = selectorValid || rules.kind === 'DaemonSet' || rules.kind === 'StatefulSet';
  if (!checkTemplate) return errs;
  if (rules.validatePodSpec === false) {
    // ValidatePodTemplateSpecForStatefulSet: labels and annotations only, at these (odd) paths.
    const meta: Obj = isObj(template.metadata) ? template.metadata : {};
    errs.push(...validateLabels(meta.labels, `${tmplPath}.labels`));
    errs.push(...validateAnnotations(meta.annotations, `${tmplPath}.annotations`));
  } else {
    errs.push(...validatePodTemplateSpec(template, tmplPath));
  }
  const podSpec: Obj = isObj(template.spec) ? template.spec : {};
  if (podSpec.restartPolicy !== 'Always') {
    errs.push(field.notSupported(`${tmplPath}.spec.restartPolicy`, podSpec.restartPolicy ?? '', ['Always']));
  }
  if (!unset(podSpec.activeDeadlineSeconds)) {
    errs.push(field.forbidden(`${tmplPath}.spec.activeDeadlineSeconds`, `activeDeadlineSeconds in ${rules.kind} is not Supported`));
  }
  return errs;
}
