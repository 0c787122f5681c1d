// Nodes (cluster-scoped): ValidateNode{,Update} and the node strategies. Taints must be unique by key
// and effect; podCIDRs and providerID are set once; `kubectl cordon` flips spec.unschedulable, which
// is also a field selector.
import { jsonCopy } from '../../../apimachinery/json.js';
import type { KubeObject } from '../../../api/types.js';
import { field, type FieldError } from '../../../apimachinery/errors.js';
import type { Strategy } from '../strategy.js';
import { isValidCIDR, isValidLabelValue, validateCIDR, validateLabelName } from '../../../apimachinery/validation.js';
import { deepEqual, isRecord } from './equality.js';
import { validateTaintEffect } from './pod-validation.js';
import { quantityAt, validateResourceQuantityValue } from './resources.js';

/** A Node as the strategy sees it. */
export type Node = KubeObject & { spec?: Record<string, any>; status?: Record<string, any> };

/** validateNodeTaints. Upstream reports these under metadata.taints, and so do we. */
export function validateNodeTaints(taints: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Map<string, Set<string>>();
  (Array.isArray(taints) ? taints : []).forEach((t: any, i) => {
    const p = `${path}[${i}]`;
    const key = String(t?.key ?? '');
    const value = String(t?.value ?? '');
    errs.push(...validateLabelName(key, `${p}.key`));
    const msgs = isValidLabelValue(value);
    if (msgs.length) errs.push(field.invalid(`${p}.value`, value, msgs.join(';')));
    errs.push(...validateTaintEffect(t?.effect ?? '', false, `${p}.effect`));
    const effect = String(t?.effect ?? '');
    if (seen.get(effect)?.has(key)) {
      errs.push({ ...field.duplicate(p, t), detail: 'taints must be unique by key and effect pair' });
      return;
    }
    if (!seen.has(effect)) seen.set(effect, new Set());
    seen.get(effect)!.add(key);
  });
  return errs;
}

function validateNodeResources(node: Node): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of ['capacity', 'allocatable']) {
    const list = node.status?.[key];
    if (!isRecord(list)) continue;
    for (const [name, value] of Object.entries(list)) {
      const p = `status.${key}.${name}`;
      const q = quantityAt(value, p, errs);
      if (q) errs.push(...validateResourceQuantityValue(name, q, p));
    }
  }
  return errs;
}

/** ValidateNode, without ObjectMeta. */
export function validateNode(node: Node): FieldError[] {
  const errs: FieldError[] = [];
  const spec = isRecord(node.spec) ? node.spec : {};
  if (Array.isArray(spec.taints) && spec.taints.length) errs.push(...validateNodeTaints(spec.taints, 'metadata.taints'));
  errs.push(...validateNodeResources(node));
  const cidrs: unknown[] = Array.isArray(spec.podCIDRs) ? spec.podCIDRs : [];
  cidrs.forEach((c, i) => errs.push(...validateCIDR(`spec.podCIDRs[${i}]`, c)));
  if (cidrs.length > 1 && cidrs.every(isValidCIDR)) {
    const families = new Set(cidrs.map((c) => (String(c).includes(':') ? 6 : 4)));
    if (families.size !== cidrs.length || cidrs.length > 2) {
      errs.push(field.invalid('spec.podCIDRs', cidrs, 'may specify no more than one CIDR for each IP family'));
    }
    const seen = new Set<unknown>();
    cidrs.forEach((c, i) => {
      if (seen.has(c)) errs.push(field.duplicate(`spec.podCIDRs[${i}]`, c));
      seen.add(c);
    });
  }
  return errs;
}

/** ValidateNodeUpdate, without ObjectMeta. */
export function validateNodeUpdate(node: Node, old: Node): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validateNodeResources(node));
  const addresses: unknown[] = Array.isArray(node.status?.addresses) ? node.status!.addresses : [];
  addresses.forEach((a, i) => {
    if (addresses.slice(0, i).some((b) => deepEqual(a, b))) errs.push(field.duplicate(`status.addresses[${i}]`, a));
  });
  const oldCIDRs: unknown[] = Array.isArray(old.spec?.podCIDRs) ? old.spec!.podCIDRs : [];
  const newCIDRs: unknown[] = Array.isArray(node.spec?.podCIDRs) ? node.spec!.podCIDRs : [];
  if (oldCIDRs.length > 0) {
    const msg = 'node updates may not change podCIDR except from "" to valid';
    if (oldCIDRs.length !== newCIDRs.length) errs.push(field.forbidden('spec.podCIDRs', msg));
    else oldCIDRs.forEach((c, i) => c !== newCIDRs[i] && errs.push(field.forbidden('spec.podCIDRs', msg)));
  }
  const oldProvider = old.spec?.providerID ?? '';
  if (oldProvider && oldProvider !== (node.spec?.providerID ?? '')) {
    errs.push(field.forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  }
  if (Array.isArray(node.spec?.taints) && node.spec!.taints.length) errs.push(...validateNodeTaints(node.spec!.taints, 'metadata.taints'));
  if ((node.spec?.externalID ?? '') !== (old.spec?.externalID ?? '')) errs.push(field.forbidden('spec.externalID', 'may not be updated'));
  return errs;
}

/** SetDefaults_NodeStatus: allocatable defaults to capacity. */
export function defaultNode(node: Node): void {
  const status = node.status;
  if (isRecord(status) && isRecord(status.capacity) && status.allocatable == null) status.allocatable = { ...status.capacity };
}

/** The Node strategy (cluster-scoped). */
export const nodeStrategy = {
  defaults(node) {
    defaultNode(node);
  },
  validate(node) {
    return validateNode(node);
  },
  validateUpdate(node, old) {
    return validateNodeUpdate(node, old);
  },
  selectableFields(node) {
    return { 'spec.unschedulable': String(node.spec?.unschedulable === true) };
  },
  status: {
    prepareForUpdate(node, old) {
      // nodeStatusStrategy: a status write keeps the spec.
      node.spec = jsonCopy(old.spec ?? {});
    },
    validateUpdate(node, old) {
      return validateNodeUpdate(node, old);
    },
  },
} satisfies Strategy<Node>;
