// rbac.authorization.k8s.io/v1 Role and ClusterRole: ValidatePolicyRule (verbs, then either
// resource rules or, cluster-wide only, non-resource URLs) and ClusterRole aggregation rules.
import { field, type FieldError } from '../../../apimachinery/errors.js';
import { validateLabelSelector } from '../../../apimachinery/labels.js';
import type { Strategy } from '../strategy.js';
import { isObj, type Obj } from '../apps/fields.js';

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** ValidatePolicyRule; namespaced rules (Roles) cannot name non-resource URLs. */
export function validatePolicyRule(rule: Obj, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (list(rule.verbs).length === 0) errs.push(field.required(`${path}.verbs`, 'verbs must contain at least one value'));
  const urls = list(rule.nonResourceURLs);
  if (urls.length > 0) {
    // %#v of a []string, as upstream prints the list.
    const rendered = `[]string{${urls.map((u) => JSON.stringify(String(u))).join(', ')}}`;
    if (namespaced) errs.push(field.invalidRaw(`${path}.nonResourceURLs`, rendered, 'namespaced rules cannot apply to non-resource URLs'));
    if (list(rule.apiGroups).length > 0 || list(rule.resources).length > 0 || list(rule.resourceNames).length > 0) {
      errs.push(field.invalidRaw(`${path}.nonResourceURLs`, rendered, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errs;
  }
  if (list(rule.apiGroups).length === 0) errs.push(field.required(`${path}.apiGroups`, 'resource rules must supply at least one api group'));
  if (list(rule.resources).length === 0) errs.push(field.required(`${path}.resources`, 'resource rules must supply at least one resource'));
  return errs;
}

function validateRules(rules: unknown, namespaced: boolean): FieldError[] {
  return list(rules).flatMap((r, i) => validatePolicyRule(isObj(r) ? r : {}, namespaced, `rules[${i}]`));
}

/** ValidateClusterRole without ObjectMeta. */
export function validateClusterRole(obj: Obj): FieldError[] {
  const errs = validateRules(obj.rules, false);
  if (isObj(obj.aggregationRule)) {
    const selectors = list(obj.aggregationRule.clusterRoleSelectors);
    const p = 'aggregationRule.clusterRoleSelectors';
    if (selectors.length === 0) errs.push(field.required(p, 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
    selectors.forEach((s, i) => errs.push(...validateLabelSelector(isObj(s) ? s : {}, `${p}[${i}]`)));
  }
  return errs;
}

/** The rbac.authorization.k8s.io/v1 roles strategy. */
export const roleStrategy = {
  nameValidation: 'path-segment',
  validate: (obj) => validateRules(obj.rules, true),
} satisfies Strategy;

/** The rbac.authorization.k8s.io/v1 clusterroles strategy. */
export const clusterRoleStrategy = {
  nameValidation: 'path-segment',
  validate: (obj) => validateClusterRole(obj),
} satisfies Strategy;
