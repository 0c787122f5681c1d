// storage.k8s.io/v1 StorageClass: SetDefaults_StorageClass (reclaimPolicy Delete, volumeBindingMode
// Immediate) and ValidateStorageClass(Update): parameters, provisioner and reclaimPolicy are fixed.
import type { KubeObject } from '../../../api/types.js';
import { field, type FieldError } from '../../../apimachinery/errors.js';
import { isQualifiedName, isValidLabelValue } from '../../../apimachinery/validation.js';
import type { Strategy } from '../strategy.js';
import { isObj, semanticEqual, unset, validateImmutable, type Obj } from '../apps/fields.js';

const MAX_PARAMETERS = 512;
const MAX_PARAMETERS_SIZE = 256 * 1024;
const RECLAIM_POLICIES = ['Delete', 'Retain'];
const BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'];

/** SetDefaults_StorageClass. */
export function defaultStorageClass(obj: KubeObject): void {
  if (!obj.reclaimPolicy) obj.reclaimPolicy = 'Delete';
  if (!obj.volumeBindingMode) obj.volumeBindingMode = 'Immediate';
}

function validateParameters(params: unknown): FieldError[] {
  if (!isObj(params)) return [];
  const entries = Object.entries(params);
  if (entries.length > MAX_PARAMETERS) {
    return [field.tooLong('parameters', MAX_PARAMETERS)];
  }
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of entries) {
    if (k.length < 1) errs.push(field.invalid('parameters', k, 'field can not be empty.'));
    size += k.length + String(v ?? '').length;
  }
  if (size > MAX_PARAMETERS_SIZE) errs.push(field.tooLong('parameters', MAX_PARAMETERS_SIZE));
  return errs;
}

/** validateAllowedTopologies: label-selector terms over node labels. */
function validateAllowedTopologies(terms: unknown): FieldError[] {
  if (!Array.isArray(terms)) return [];
  const errs: FieldError[] = [];
  terms.forEach((raw, i) => {
    const term: Obj = isObj(raw) ? raw : {};
    const p = `allowedTopologies[${i}]`;
    const exprs: unknown[] = Array.isArray(term.matchLabelExpressions) ? term.matchLabelExpressions : [];
    if (exprs.length === 0) errs.push(field.required(p, 'must have at least one topology selector requirement'));
    const keys = new Set<string>();
    exprs.forEach((e, j) => {
      const req: Obj = isObj(e) ? e : {};
      const rp = `${p}.matchLabelExpressions[${j}]`;
      const key = String(req.key ?? '');
      errs.push(...isQualifiedName(key).map((m) => field.invalid(`${rp}.key`, key, m)));
      const values: unknown[] = Array.isArray(req.values) ? req.values : [];
      if (values.length === 0) errs.push(field.required(`${rp}.values`, 'must specify as least one value'));
      const seen = new Set<string>();
      values.forEach((v, k) => {
        const s = String(v ?? '');
        errs.push(...isValidLabelValue(s).map((m) => field.invalid(`${rp}.values[${k}]`, s, m)));
        if (seen.has(s)) errs.push(field.duplicate(`${rp}.values[${k}]`, s));
        seen.add(s);
      });
      if (keys.has(key)) errs.push(field.duplicate(`${rp}.key`, key));
      keys.add(key);
    });
  });
  return errs;
}

/** ValidateStorageClass without ObjectMeta. */
export function validateStorageClass(obj: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const provisioner = typeof obj.provisioner === 'string' ? obj.provisioner : '';
  if (provisioner.length === 0) errs.push(field.required('provisioner'));
  // Provisioner names are qualified names; upstream checks them lower-cased.
  else errs.push(...isQualifiedName(provisioner.toLowerCase()).map((m) => field.invalid('provisioner', provisioner.toLowerCase(), m)));
  errs.push(...validateParameters(obj.parameters));
  const reclaim = obj.reclaimPolicy ?? '';
  if (reclaim !== '' && !RECLAIM_POLICIES.includes(reclaim)) errs.push(field.notSupported('reclaimPolicy', reclaim, RECLAIM_POLICIES));
  if (unset(obj.volumeBindingMode)) errs.push(field.required('volumeBindingMode'));
  else if (!BINDING_MODES.includes(obj.volumeBindingMode)) errs.push(field.notSupported('volumeBindingMode', obj.volumeBindingMode, BINDING_MODES));
  errs.push(...validateAllowedTopologies(obj.allowedTopologies));
  return errs;
}

/** ValidateStorageClassUpdate. */
export function validateStorageClassUpdate(obj: Obj, old: Obj): FieldError[] {
  const errs: FieldError[] = [];
  if (!semanticEqual(obj.parameters, old.parameters)) errs.push(field.forbidden('parameters', 'updates to parameters are forbidden.'));
  if ((obj.provisioner ?? '') !== (old.provisioner ?? '')) errs.push(field.forbidden('provisioner', 'updates to provisioner are forbidden.'));
  if ((obj.reclaimPolicy ?? '') !== (old.reclaimPolicy ?? '')) errs.push(field.forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
  errs.push(...validateImmutable(obj.volumeBindingMode, old.volumeBindingMode, 'volumeBindingMode'));
  return errs;
}

/** The storage.k8s.io/v1 storageclasses strategy. */
export const storageClassStrategy = {
  defaults: defaultStorageClass,
  validate: (obj) => validateStorageClass(obj),
  validateUpdate: validateStorageClassUpdate,
} satisfies Strategy;

