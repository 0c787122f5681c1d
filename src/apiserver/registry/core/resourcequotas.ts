// ResourceQuotas: ValidateResourceQuota{,Update}. Hard limits name standard (or domain-qualified)
// resources with valid, non-negative quantities; scopes are fixed once created.
import { jsonCopy } from '../../../apimachinery/json.js';
import type { KubeObject } from '../../../api/types.js';
import { field, type FieldError } from '../../../apimachinery/errors.js';
import type { Strategy } from '../strategy.js';
import { isRecord } from './equality.js';
import { quantityAt, validateQuotaResourceName, validateResourceQuantityValue } from './resources.js';

/** A ResourceQuota as the strategy sees it. */
export type ResourceQuota = KubeObject & { spec?: Record<string, any>; status?: Record<string, any> };

const SCOPES = ['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity', 'VolumeAttributesClass'];
const POD_SCOPE_RESOURCES = new Set(['pods', 'cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);

function scopeValidForResource(scope: string, resource: string): boolean {
  switch (scope) {
    case 'Terminating':
    case 'NotTerminating':
    case 'NotBestEffort':
    case 'PriorityClass':
    case 'CrossNamespacePodAffinity':
      return POD_SCOPE_RESOURCES.has(resource) || resource.startsWith('requests.hugepages-') || resource.startsWith('hugepages-');
    case 'BestEffort':
      return resource === 'pods';
    case 'VolumeAttributesClass':
      return ['persistentvolumeclaims', 'requests.storage'].includes(resource);
    default:
      return true;
  }
}

function validateResourceList(list: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isRecord(list)) return errs;
  for (const [name, value] of Object.entries(list)) {
    const p = `${path}[${name}]`;
    errs.push(...validateQuotaResourceName(name, p));
    const q = quantityAt(value, p, errs);
    if (q) errs.push(...validateResourceQuantityValue(name, q, p));
  }
  return errs;
}

/** ValidateResourceQuotaSpec. */
export function validateResourceQuotaSpec(spec: any, path: string): FieldError[] {
  const s = isRecord(spec) ? spec : {};
  const errs = validateResourceList(s.hard, `${path}.hard`);
  const hard = Object.keys(isRecord(s.hard) ? s.hard : {}).sort();
  const scopes: string[] = Array.isArray(s.scopes) ? s.scopes : [];
  for (const scope of scopes) {
    if (!SCOPES.includes(scope)) errs.push(field.invalid(`${path}.scopes`, scopes, 'unsupported scope'));
    for (const r of hard) {
      if (!r.includes('/') && !scopeValidForResource(scope, r)) errs.push(field.invalid(`${path}.scopes`, scopes, 'unsupported scope applied to resource'));
    }
  }
  const conflicting = (set: Set<string>) =>
    (set.has('BestEffort') && set.has('NotBestEffort')) || (set.has('Terminating') && set.has('NotTerminating'));
  if (conflicting(new Set(scopes))) errs.push(field.invalid(`${path}.scopes`, scopes, 'conflicting scopes'));
  const exprs: any[] = Array.isArray(s.scopeSelector?.matchExpressions) ? s.scopeSelector.matchExpressions : [];
  const selPath = `${path}.scopeSelector.matchExpressions`;
  const selScopes = new Set<string>();
  for (const req of exprs) {
    const scope = String(req?.scopeName ?? '');
    if (!SCOPES.includes(scope)) errs.push(field.invalid(`${selPath}.scopeName`, scope, 'unsupported scope'));
    const values: unknown[] = Array.isArray(req?.values) ? req.values : [];
    if (['BestEffort', 'NotBestEffort', 'Terminating', 'NotTerminating', 'CrossNamespacePodAffinity'].includes(scope) && req?.operator !== 'Exists') {
      errs.push(
        field.invalid(
          `${selPath}.operator`,
          req?.operator ?? '',
          "must be 'Exist' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity",
        ),
      );
    }
    if (req?.operator === 'In' || req?.operator === 'NotIn') {
      if (values.length === 0) errs.push(field.required(`${selPath}.values`, "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector"));
    } else if (req?.operator === 'Exists' || req?.operator === 'DoesNotExist') {
      if (values.length !== 0) errs.push(field.invalid(`${selPath}.values`, values, "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector"));
    } else errs.push(field.invalid(`${selPath}.operator`, req?.operator ?? '', 'not a valid selector operator'));
    selScopes.add(scope);
  }
  if (conflicting(selScopes)) errs.push(field.invalid(selPath, scopes, 'conflicting scopes'));
  return errs;
}

/** The ResourceQuota strategy. */
export const resourceQuotaStrategy = {
  validate(rq) {
    return [...validateResourceQuotaSpec(rq.spec, 'spec'), ...validateResourceList(rq.status?.hard, 'status.hard'), ...validateResourceList(rq.status?.used, 'status.used')];
  },
  validateUpdate(rq, old) {
    const errs = validateResourceQuotaSpec(rq.spec, 'spec');
    const a = new Set<string>(rq.spec?.scopes ?? []);
    const b = new Set<string>(old.spec?.scopes ?? []);
    if (a.size !== b.size || [...a].some((s) => !b.has(s))) errs.push(field.invalid('spec.scopes', rq.spec?.scopes ?? [], 'field is immutable'));
    return errs;
  },
  status: {
    prepareForUpdate(rq, old) {
      rq.spec = jsonCopy(old.spec ?? {});
    },
    validateUpdate(rq) {
      return [...validateResourceList(rq.status?.hard, 'status.hard'), ...validateResourceList(rq.status?.used, 'status.used')];
    },
  },
} satisfies Strategy<ResourceQuota>;
