// networking.k8s.io/v1 NetworkPolicy: SetDefaults_NetworkPolicy (policyTypes, port protocol TCP) and
// ValidateNetworkPolicy (ports, peers, ipBlocks, policyTypes).
import type { KubeObject } from '../../../api/types.js';
import { field, type FieldError } from '../../../apimachinery/errors.js';
import { validateLabelSelector } from '../../../apimachinery/labels.js';
import { isValidPortName, isValidPortNum } from '../../../apimachinery/validation.js';
import type { Strategy } from '../strategy.js';
import { child, isObj, unset, type Obj } from '../apps/fields.js';
import { isStrictSubset, parseCidr } from './cidr.js';

/** SetDefaults_NetworkPolicy and SetDefaults_NetworkPolicyPort. */
export function defaultNetworkPolicy(obj: KubeObject): void {
  const spec = child(obj, 'spec');
  for (const rules of [spec.ingress, spec.egress]) {
    if (!Array.isArray(rules)) continue;
    for (const rule of rules) {
      if (!isObj(rule) || !Array.isArray(rule.ports)) continue;
      for (const port of rule.ports) if (isObj(port) && unset(port.protocol)) port.protocol = 'TCP';
    }
  }
  // A policy without policyTypes is an Ingress policy, plus Egress when it has egress rules.
  if (!Array.isArray(spec.policyTypes) || spec.policyTypes.length === 0) {
    spec.policyTypes = ['Ingress'];
    if (Array.isArray(spec.egress) && spec.egress.length > 0) spec.policyTypes.push('Egress');
  }
}

/** ValidateNetworkPolicyPort. */
export function validateNetworkPolicyPort(port: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!unset(port.protocol) && !['TCP', 'UDP', 'SCTP'].includes(port.protocol)) {
    errs.push(field.notSupported(`${path}.protocol`, port.protocol, ['TCP', 'UDP', 'SCTP']));
  }
  if (!unset(port.port)) {
    if (typeof port.port === 'number') {
      errs.push(...isValidPortNum(port.port).map((m) => field.invalid(`${path}.port`, port.port, m)));
      if (typeof port.endPort === 'number') {
        if (port.endPort < port.port) errs.push(field.invalid(`${path}.endPort`, port.port, 'must be greater than or equal to `port`'));
        errs.push(...isValidPortNum(port.endPort).map((m) => field.invalid(`${path}.endPort`, port.endPort, m)));
      }
    } else {
      if (!unset(port.endPort)) errs.push(field.invalid(`${path}.endPort`, port.endPort, 'may not be specified when `port` is non-numeric'));
      errs.push(...isValidPortName(String(port.port)).map((m) => field.invalid(`${path}.port`, port.port, m)));
    }
  } else if (!unset(port.endPort)) {
    errs.push(field.invalid(`${path}.endPort`, port.endPort, 'may not be specified when `port` is not specified'));
  }
  return errs;
}

/** ValidateIPBlock: a CIDR and excepts strictly inside it. */
export function validateIPBlock(block: Obj, path: string): FieldError[] {
  const cidrText = typeof block.cidr === 'string' ? block.cidr : '';
  if (cidrText === '') return [field.required(`${path}.cidr`)];
  const cidr = parseCidr(cidrText);
  if (!cidr) return [field.invalid(`${path}.cidr`, cidrText, 'not a valid CIDR')];
  const errs: FieldError[] = [];
  const excepts: unknown[] = Array.isArray(block.except) ? block.except : [];
  for (const [i, text] of excepts.entries()) {
    const p = `${path}.except[${i}]`;
    const except = parseCidr(text);
    if (!except) return [...errs, field.invalid(p, text, 'not a valid CIDR')];
    if (!isStrictSubset(except, cidr)) errs.push(field.invalid(p, text, 'must be a strict subset of `cidr`'));
  }
  return errs;
}

/** ValidateNetworkPolicyPeer: exactly one kind of peer, or pod and namespace selectors together. */
export function validateNetworkPolicyPeer(peer: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let peers = 0;
  if (isObj(peer.podSelector)) {
    peers++;
    errs.push(...validateLabelSelector(peer.podSelector, `${path}.podSelector`));
  }
  if (isObj(peer.namespaceSelector)) {
    peers++;
    errs.push(...validateLabelSelector(peer.namespaceSelector, `${path}.namespaceSelector`));
  }
  if (isObj(peer.ipBlock)) {
    peers++;
    errs.push(...validateIPBlock(peer.ipBlock, `${path}.ipBlock`));
  }
  if (peers === 0) errs.push(field.required(path, 'must specify a peer'));
  else if (peers > 1 && isObj(peer.ipBlock)) errs.push(field.forbidden(path, 'may not specify both ipBlock and another peer'));
  return errs;
}

/** ValidateNetworkPolicySpec. */
export function validateNetworkPolicySpec(spec: Obj, path: string): FieldError[] {
  const errs = validateLabelSelector(isObj(spec.podSelector) ? spec.podSelector : {}, `${path}.podSelector`);
  for (const [dir, peersKey] of [
    ['ingress', 'from'],
    ['egress', 'to'],
  ] as const) {
    const rules: unknown[] = Array.isArray(spec[dir]) ? spec[dir] : [];
    rules.forEach((raw, i) => {
      const rule: Obj = isObj(raw) ? raw : {};
      const rulePath = `${path}.${dir}[${i}]`;
      (Array.isArray(rule.ports) ? rule.ports : []).forEach((port: unknown, j: number) =>
        errs.push(...validateNetworkPolicyPort(isObj(port) ? port : {}, `${rulePath}.ports[${j}]`)),
      );
      (Array.isArray(rule[peersKey]) ? rule[peersKey] : []).forEach((peer: unknown, j: number) =>
        errs.push(...validateNetworkPolicyPeer(isObj(peer) ? peer : {}, `${rulePath}.${peersKey}[${j}]`)),
      );
    });
  }
  const types: unknown[] = Array.isArray(spec.policyTypes) ? spec.policyTypes : [];
  if (types.length > 2) {
    const rendered = `[]networking.PolicyType{${types.map((t) => JSON.stringify(String(t))).join(', ')}}`;
    return [...errs, field.invalidRaw(`${path}.policyTypes`, rendered, 'may not specify more than two policyTypes')];
  }
  types.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') errs.push(field.notSupported(`${path}.policyTypes[${i}]`, t, ['Ingress', 'Egress']));
  });
  return errs;
}

/** The networking.k8s.io/v1 networkpolicies strategy. */
export const networkPolicyStrategy = {
  tracksGeneration: true,
  defaults: defaultNetworkPolicy,
  validate: (obj) => validateNetworkPolicySpec(isObj(obj.spec) ? obj.spec : {}, 'spec'),
} satisfies Strategy;
