// networking.k8s.io/v1 IngressClass: SetDefaults_IngressClass (parameters scope Cluster) and
// ValidateIngressClass(Update): a domain-prefixed controller that never changes.
import type { KubeObject } from '../../../api/types.js';
import { field, type FieldError } from '../../../apimachinery/errors.js';
import { isDNS1123Label } from '../../../apimachinery/validation.js';
import type { Strategy } from '../strategy.js';
import { child, isObj, unset, validateDomainPrefixedPath, validateImmutable, type Obj } from '../apps/fields.js';
import { validateTypedLocalObjectReference } from './ingresses.js';

const MAX_CONTROLLER_LENGTH = 250;

/** SetDefaults_IngressClass: parameters without a scope are cluster-scoped. */
export function defaultIngressClass(obj: KubeObject): void {
  const spec = child(obj, 'spec');
  if (isObj(spec.parameters) && unset(spec.parameters.scope)) spec.parameters.scope = 'Cluster';
}

/** validateIngressClassParametersReference. */
function validateParameters(params: Obj, path: string): FieldError[] {
  const errs = validateTypedLocalObjectReference(params, path);
  if (unset(params.scope)) return [...errs, field.required(`${path}.scope`)];
  if (params.scope !== 'Cluster' && params.scope !== 'Namespace') {
    errs.push(field.notSupported(`${path}.scope`, params.scope, ['Cluster', 'Namespace']));
    return errs;
  }
  if (params.scope === 'Namespace') {
    if (unset(params.namespace)) errs.push(field.required(`${path}.namespace`, "`parameters.scope` is set to 'Namespace'"));
    else errs.push(...isDNS1123Label(String(params.namespace)).map((m) => field.invalid(`${path}.namespace`, params.namespace, m)));
  }
  if (params.scope === 'Cluster' && !unset(params.namespace)) errs.push(field.forbidden(`${path}.namespace`, "`parameters.scope` is set to 'Cluster'"));
  return errs;
}

/** validateIngressClassSpec. */
export function validateIngressClassSpec(spec: Obj, path: string): FieldError[] {
  const controller = typeof spec.controller === 'string' ? spec.controller : '';
  const errs: FieldError[] = [];
  if (controller.length > MAX_CONTROLLER_LENGTH) errs.push(field.tooLong(`${path}.controller`, MAX_CONTROLLER_LENGTH));
  errs.push(...validateDomainPrefixedPath(controller, `${path}.controller`));
  if (isObj(spec.parameters)) errs.push(...validateParameters(spec.parameters, `${path}.parameters`));
  return errs;
}

/** The networking.k8s.io/v1 ingressclasses strategy. */
export const ingressClassStrategy = {
  tracksGeneration: true,
  defaults: defaultIngressClass,
  validate: (obj) => validateIngressClassSpec(isObj(obj.spec) ? obj.spec : {}, 'spec'),
  validateUpdate: (obj, old) => validateImmutable((obj.spec as Obj | undefined)?.controller, (old.spec as Obj | undefined)?.controller, 'spec.controller'),
} satisfies Strategy;
