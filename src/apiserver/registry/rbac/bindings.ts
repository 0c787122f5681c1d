// rbac.authorization.k8s.io/v1 RoleBinding and ClusterRoleBinding: SetDefaults (roleRef and subject
// apiGroups) and ValidateRoleBinding / ValidateClusterRoleBinding; roleRef never changes.
import type { KubeObject } from '../../../api/types.js';
import { field, type FieldError } from '../../../apimachinery/errors.js';
import { isDNS1123Subdomain, isValidPathSegmentName } from '../../../apimachinery/validation.js';
import type { Strategy } from '../strategy.js';
import { child, isObj, semanticEqual, type Obj } from '../apps/fields.js';

/** The RBAC API group, the only one a roleRef may name. */
export const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** SetDefaults_RoleBinding/ClusterRoleBinding and SetDefaults_Subject. */
export function defaultBinding(obj: KubeObject): void {
  const roleRef = child(obj, 'roleRef');
  if (!roleRef.apiGroup) roleRef.apiGroup = RBAC_GROUP;
  if (!Array.isArray(obj.subjects)) return;
  for (const s of obj.subjects as unknown[]) {
    if (!isObj(s) || s.apiGroup) continue;
    // A ServiceAccount's apiGroup defaults to "", which Go's omitempty never serializes.
    if (s.kind === 'ServiceAccount') delete s.apiGroup;
    else if (s.kind === 'User' || s.kind === 'Group') s.apiGroup = RBAC_GROUP;
  }
}

/** ValidateRoleBindingSubject; cluster bindings must name a ServiceAccount's namespace. */
export function validateSubject(subject: Obj, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = typeof subject.name === 'string' ? subject.name : '';
  const apiGroup = subject.apiGroup ?? '';
  if (name.length === 0) errs.push(field.required(`${path}.name`));
  switch (subject.kind) {
    case 'ServiceAccount':
      if (name.length > 0) errs.push(...isDNS1123Subdomain(name).map((m) => field.invalid(`${path}.name`, name, m)));
      if (apiGroup.length > 0) errs.push(field.notSupported(`${path}.apiGroup`, apiGroup, ['']));
      if (!namespaced && !subject.namespace) errs.push(field.required(`${path}.namespace`));
      break;
    case 'User':
    case 'Group':
      if (apiGroup !== RBAC_GROUP) errs.push(field.notSupported(`${path}.apiGroup`, apiGroup, [RBAC_GROUP]));
      break;
    default:
      errs.push(field.notSupported(`${path}.kind`, subject.kind ?? '', ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

/** ValidateRoleBinding / ValidateClusterRoleBinding without ObjectMeta. */
export function validateBinding(obj: Obj, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const roleRef: Obj = isObj(obj.roleRef) ? obj.roleRef : {};
  if ((roleRef.apiGroup ?? '') !== RBAC_GROUP) errs.push(field.notSupported('roleRef.apiGroup', roleRef.apiGroup ?? '', [RBAC_GROUP]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(roleRef.kind)) errs.push(field.notSupported('roleRef.kind', roleRef.kind ?? '', kinds));
  const name = typeof roleRef.name === 'string' ? roleRef.name : '';
  if (name.length === 0) errs.push(field.required('roleRef.name'));
  else errs.push(...isValidPathSegmentName(name).map((m) => field.invalid('roleRef.name', name, m)));
  const subjects: unknown[] = Array.isArray(obj.subjects) ? obj.subjects : [];
  subjects.forEach((s, i) => errs.push(...validateSubject(isObj(s) ? s : {}, namespaced, `subjects[${i}]`)));
  return errs;
}

/** roleRef is immutable: a binding to another role is a new binding. */
export function validateRoleRefUpdate(obj: Obj, old: Obj): FieldError[] {
  if (semanticEqual(obj.roleRef, old.roleRef)) return [];
  const r: Obj = isObj(obj.roleRef) ? obj.roleRef : {};
  // %#v of rbac.RoleRef, as upstream prints the new value.
  const rendered = `rbac.RoleRef{APIGroup:${JSON.stringify(r.apiGroup ?? '')}, Kind:${JSON.stringify(r.kind ?? '')}, Name:${JSON.stringify(r.name ?? '')}}`;
  return [field.invalidRaw('roleRef', rendered, 'cannot change roleRef')];
}

/** The rbac.authorization.k8s.io/v1 rolebindings strategy. */
export const roleBindingStrategy = {
  nameValidation: 'path-segment',
  defaults: defaultBinding,
  validate: (obj) => validateBinding(obj, true),
  validateUpdate: validateRoleRefUpdate,
} satisfies Strategy;

/** The rbac.authorization.k8s.io/v1 clusterrolebindings strategy. */
export const clusterRoleBindingStrategy = {
  nameValidation: 'path-segment',
  defaults: defaultBinding,
  validate: (obj) => validateBinding(obj, false),
  validateUpdate: validateRoleRefUpdate,
} satisfies Strategy;
