// LimitRanges: SetDefaults_LimitRangeItem (container defaults from max, default requests from default
// or min) and ValidateLimitRange's ordering rules min <= defaultRequest <= default <= max.
import type { KubeObject } from '../../../api/types.js';
import { field, type FieldError } from '../../../apimachinery/errors.js';
import type { Strategy } from '../strategy.js';
import { invalidEach, isQualifiedName } from '../../../apimachinery/validation.js';
import { isRecord } from './equality.js';
import { compareQuantities, milliValue, quantityFromInt, quantityToString, type Quantity } from '../../../apimachinery/quantity.js';
import { isOvercommitAllowed, quantityAt, validateContainerResourceName, validateResourceName } from './resources.js';

/** A LimitRange as the strategy sees it. */
export type LimitRange = KubeObject & { spec?: { limits?: any[] } };

const LIMIT_TYPES = new Set(['Pod', 'Container', 'PersistentVolumeClaim']);
// maxLimitRequestRatio may not be below 1.
const ONE = quantityFromInt(1);

/** SetDefaults_LimitRangeItem for every Container item. */
export function defaultLimitRange(lr: LimitRange): void {
  for (const item of Array.isArray(lr.spec?.limits) ? lr.spec!.limits : []) {
    if (!isRecord(item) || item.type !== 'Container') continue;
    const def: Record<string, unknown> = isRecord(item.default) ? item.default : {};
    const defReq: Record<string, unknown> = isRecord(item.defaultRequest) ? item.defaultRequest : {};
    for (const [k, v] of Object.entries(isRecord(item.max) ? item.max : {})) if (!(k in def)) def[k] = v;
    for (const [k, v] of Object.entries(def)) if (!(k in defReq)) defReq[k] = v;
    for (const [k, v] of Object.entries(isRecord(item.min) ? item.min : {})) if (!(k in defReq)) defReq[k] = v;
    item.default = def;
    item.defaultRequest = defReq;
  }
}

function validateTypeName(type: string, path: string): FieldError[] {
  const errs = invalidEach(path, type, isQualifiedName(type));
  if (errs.length) return errs;
  if (!type.includes('/') && !LIMIT_TYPES.has(type)) errs.push(field.invalid(path, type, 'must be a standard limit type or fully qualified'));
  return errs;
}

/** ValidateLimitRange, without ObjectMeta. */
export function validateLimitRange(lr: LimitRange): FieldError[] {
  const errs: FieldError[] = [];
  const types = new Set<string>();
  (Array.isArray(lr.spec?.limits) ? lr.spec!.limits : []).forEach((raw: any, i: number) => {
    const limit = isRecord(raw) ? raw : {};
    const p = `spec.limits[${i}]`;
    const type = String(limit.type ?? '');
    errs.push(...validateTypeName(type, `${p}.type`));
    if (types.has(type)) errs.push(field.duplicate(`${p}.type`, type));
    types.add(type);
    const nameCheck = (name: string, path: string) =>
      type === 'Pod' || type === 'Container' ? validateContainerResourceName(name, path) : validateResourceName(name, path);
    const keys = new Set<string>();
    const collect = (key: string): Map<string, Quantity> => {
      const out = new Map<string, Quantity>();
      if (!isRecord(limit[key])) return out;
      for (const [name, value] of Object.entries(limit[key])) {
        const fp = `${p}.${key}[${name}]`;
        errs.push(...nameCheck(name, fp));
        keys.add(name);
        const q = quantityAt(value, fp, errs);
        if (q) out.set(name, q);
      }
      return out;
    };
    const max = collect('max');
    const min = collect('min');
    let defaults = new Map<string, Quantity>();
    let defaultRequests = new Map<string, Quantity>();
    if (type === 'Pod') {
      if (isRecord(limit.default) && Object.keys(limit.default).length) errs.push(field.forbidden(`${p}.default`, "may not be specified when `type` is 'Pod'"));
      if (isRecord(limit.defaultRequest) && Object.keys(limit.defaultRequest).length) {
        errs.push(field.forbidden(`${p}.defaultRequest`, "may not be specified when `type` is 'Pod'"));
      }
    } else {
      defaults = collect('default');
      defaultRequests = collect('defaultRequest');
    }
    if (type === 'PersistentVolumeClaim' && !min.has('storage') && !max.has('storage')) {
      errs.push(field.required(`${p}.limits`, 'either minimum or maximum storage value is required, but neither was provided'));
    }
    const ratios = collect('maxLimitRequestRatio');
    for (const k of keys) {
      const mn = min.get(k);
      const mx = max.get(k);
      const d = defaults.get(k);
      const dr = defaultRequests.get(k);
      const ratio = ratios.get(k);
      const s = quantityToString;
      if (mn && mx && compareQuantities(mn, mx) > 0) errs.push(field.invalidRaw(`${p}.min[${k}]`, s(mn), `min value ${s(mn)} is greater than max value ${s(mx)}`));
      if (dr && mn && compareQuantities(mn, dr) > 0) {
        errs.push(field.invalidRaw(`${p}.defaultRequest[${k}]`, s(dr), `min value ${s(mn)} is greater than default request value ${s(dr)}`));
      }
      if (dr && mx && compareQuantities(dr, mx) > 0) {
        errs.push(field.invalidRaw(`${p}.defaultRequest[${k}]`, s(dr), `default request value ${s(dr)} is greater than max value ${s(mx)}`));
      }
      if (dr && d && compareQuantities(dr, d) > 0) {
        errs.push(field.invalidRaw(`${p}.defaultRequest[${k}]`, s(dr), `default request value ${s(dr)} is greater than default limit value ${s(d)}`));
      }
      if (d && mn && compareQuantities(mn, d) > 0) errs.push(field.invalidRaw(`${p}.default[${k}]`, s(mn), `min value ${s(mn)} is greater than default value ${s(d)}`));
      if (d && mx && compareQuantities(d, mx) > 0) errs.push(field.invalidRaw(`${p}.default[${k}]`, s(mx), `default value ${s(d)} is greater than max value ${s(mx)}`));
      if (ratio && compareQuantities(ratio, ONE) < 0) errs.push(field.invalidRaw(`${p}.maxLimitRequestRatio[${k}]`, s(ratio), `ratio ${s(ratio)} is less than 1`));
      if (ratio && mn && mx) {
        const limit = milliValue(mx) / milliValue(mn);
        const ratioValue = milliValue(ratio) / 1000;
        if (ratioValue > limit) errs.push(field.invalidRaw(`${p}.maxLimitRequestRatio[${k}]`, s(ratio), `ratio ${s(ratio)} is greater than max/min = ${limit.toFixed(6)}`));
      }
      if (!isOvercommitAllowed(k) && d && dr && compareQuantities(d, dr) !== 0) {
        errs.push(field.invalidRaw(`${p}.defaultRequest[${k}]`, s(dr), `default value ${s(d)} must equal to defaultRequest value ${s(dr)} in ${k}`));
      }
    }
  });
  return errs;
}

/** The LimitRange strategy. */
export const limitRangeStrategy = {
  defaults(lr) {
    defaultLimitRange(lr);
  },
  validate(lr) {
    return validateLimitRange(lr);
  },
  validateUpdate(lr) {
    return validateLimitRange(lr);
  },
} satisfies Strategy<LimitRange>;
