// networking.k8s.io/v1 Ingress: ValidateIngressCreate/Update (rules, paths with a required pathType,
// service or resource backends, TLS hosts) and the status rules of the load-balancer status.
import { isIP } from 'node:net';
import type { KubeObject } from '../../../api/types.js';
import { field, type FieldError } from '../../../apimachinery/errors.js';
import {
  isDNS1035Label,
  isDNS1123Subdomain,
  isValidPathSegmentName,
  isValidPortName,
  isValidPortNum,
  maxLenError,
  regexError,
  validateIP,
} from '../../../apimachinery/validation.js';
import type { Strategy } from '../strategy.js';
import { isObj, unset, type Obj } from '../apps/fields.js';

const ANNOTATION_INGRESS_CLASS = 'kubernetes.io/ingress.class';
const SUPPORTED_PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];

const WILDCARD_FMT = '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
const WILDCARD_RE = new RegExp(`^${WILDCARD_FMT}$`);

/** validation.IsWildcardDNS1123Subdomain: "*.example.com". */
export function isWildcardDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push(maxLenError(253));
  if (!WILDCARD_RE.test(value)) {
    errs.push(
      regexError(
        "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character",
        WILDCARD_FMT,
        '*.example.com',
      ),
    );
  }
  return errs;
}

/** validateIngressTypedLocalObjectReference. */
export function validateTypedLocalObjectReference(ref: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!unset(ref.apiGroup)) errs.push(...isDNS1123Subdomain(String(ref.apiGroup)).map((m) => field.invalid(`${path}.apiGroup`, ref.apiGroup, m)));
  for (const f of ['kind', 'name']) {
    const v = typeof ref[f] === 'string' ? ref[f] : '';
    if (v === '') errs.push(field.required(`${path}.${f}`, `${f} is required`));
    else errs.push(...isValidPathSegmentName(v).map((m) => field.invalid(`${path}.${f}`, v, m)));
  }
  return errs;
}

/** validateIngressBackend: a service (name and port name or number) or a resource, not both. */
export function validateIngressBackend(backend: Obj, path: string): FieldError[] {
  const hasResource = isObj(backend.resource);
  const hasService = isObj(backend.service);
  if (hasResource && hasService) return [field.invalid(path, '', 'cannot set both resource and service backends')];
  if (hasResource) return validateTypedLocalObjectReference(backend.resource, `${path}.resource`);
  if (!hasService) return [field.invalid(path, '', 'resource or service backend is required')];
  const errs: FieldError[] = [];
  const svc: Obj = backend.service;
  const name = typeof svc.name === 'string' ? svc.name : '';
  if (name === '') errs.push(field.required(`${path}.service.name`));
  else errs.push(...isDNS1035Label(name).map((m) => field.invalid(`${path}.service.name`, name, m)));
  const port: Obj = isObj(svc.port) ? svc.port : {};
  const hasName = typeof port.name === 'string' && port.name.length > 0;
  const hasNumber = typeof port.number === 'number' && port.number !== 0;
  if (hasName && hasNumber) errs.push(field.invalid(path, '', 'cannot set both port name & port number'));
  else if (hasName) errs.push(...isValidPortName(port.name).map((m) => field.invalid(`${path}.service.port.name`, port.name, m)));
  else if (hasNumber) errs.push(...isValidPortNum(port.number).map((m) => field.invalid(`${path}.service.port.number`, port.number, m)));
  else errs.push(field.required(path, 'port name or number is required'));
  return errs;
}

function validateHTTPIngressPath(p: Obj, path: string): FieldError[] {
  if (unset(p.pathType)) return [field.required(`${path}.pathType`, 'pathType must be specified')];
  const errs: FieldError[] = [];
  const text = typeof p.path === 'string' ? p.path : '';
  switch (p.pathType) {
    case 'Exact':
    case 'Prefix':
      if (!text.startsWith('/')) errs.push(field.invalid(`${path}.path`, text, 'must be an absolute path'));
      if (text.length > 0) {
        for (const seq of INVALID_PATH_SEQUENCES) if (text.includes(seq)) errs.push(field.invalid(`${path}.path`, text, `must not contain '${seq}'`));
        for (const suf of INVALID_PATH_SUFFIXES) if (text.endsWith(suf)) errs.push(field.invalid(`${path}.path`, text, `cannot end with '${suf}'`));
      }
      break;
    case 'ImplementationSpecific':
      if (text.length > 0 && !text.startsWith('/')) errs.push(field.invalid(`${path}.path`, text, 'must be an absolute path'));
      break;
    default:
      errs.push(field.notSupported(`${path}.pathType`, p.pathType, SUPPORTED_PATH_TYPES));
  }
  errs.push(...validateIngressBackend(isObj(p.backend) ? p.backend : {}, `${path}.backend`));
  return errs;
}

function validateIngressRules(rules: unknown[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  rules.forEach((raw, i) => {
    const rule: Obj = isObj(raw) ? raw : {};
    const rulePath = `${path}[${i}]`;
    const host = typeof rule.host === 'string' ? rule.host : '';
    if (host.length > 0) {
      if (isIP(host) !== 0) errs.push(field.invalid(`${rulePath}.host`, host, 'must be a DNS name, not an IP address'));
      const msgs = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
      errs.push(...msgs.map((m) => field.invalid(`${rulePath}.host`, host, m)));
    }
    if (isObj(rule.http)) {
      const paths: unknown[] = Array.isArray(rule.http.paths) ? rule.http.paths : [];
      if (paths.length === 0) errs.push(field.required(`${rulePath}.http.paths`));
      paths.forEach((p, j) => errs.push(...validateHTTPIngressPath(isObj(p) ? p : {}, `${rulePath}.http.paths[${j}]`)));
    }
  });
  return errs;
}

/** ValidateIngressSpec. */
export function validateIngressSpec(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const rules: unknown[] = Array.isArray(spec.rules) ? spec.rules : [];
  if (rules.length === 0 && !isObj(spec.defaultBackend)) {
    const rendered = Array.isArray(spec.rules) ? '[]networking.IngressRule{}' : '[]networking.IngressRule(nil)';
    errs.push(field.invalidRaw(path, rendered, 'either `defaultBackend` or `rules` must be specified'));
  }
  if (isObj(spec.defaultBackend)) errs.push(...validateIngressBackend(spec.defaultBackend, `${path}.defaultBackend`));
  if (rules.length > 0) errs.push(...validateIngressRules(rules, `${path}.rules`));
  const tls: unknown[] = Array.isArray(spec.tls) ? spec.tls : [];
  tls.forEach((raw, i) => {
    const hosts: unknown[] = isObj(raw) && Array.isArray(raw.hosts) ? raw.hosts : [];
    hosts.forEach((h, j) => {
      const host = String(h ?? '');
      const msgs = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
      errs.push(...msgs.map((m) => field.invalid(`${path}.tls[${i}].hosts[${j}]`, host, m)));
    });
  });
  if (!unset(spec.ingressClassName)) {
    const name = String(spec.ingressClassName);
    errs.push(...isDNS1123Subdomain(name).map((m) => field.invalid(`${path}.ingressClassName`, name, m)));
  }
  return errs;
}

/** ValidateIngressCreate without ObjectMeta: the class annotation and field may not both be set. */
export function validateIngress(obj: KubeObject): FieldError[] {
  const spec: Obj = isObj(obj.spec) ? obj.spec : {};
  const errs = validateIngressSpec(spec, 'spec');
  const annotation = obj.metadata.annotations?.[ANNOTATION_INGRESS_CLASS];
  if (annotation !== undefined && !unset(spec.ingressClassName)) {
    errs.push(field.invalid(`annotations.${ANNOTATION_INGRESS_CLASS}`, annotation, 'can not be set when the class field is also set'));
  }
  return errs;
}

/** ValidateIngressLoadBalancerStatus. */
export function validateIngressStatus(status: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const lb: Obj = isObj(status.loadBalancer) ? status.loadBalancer : {};
  (Array.isArray(lb.ingress) ? lb.ingress : []).forEach((raw: unknown, i: number) => {
    const ing: Obj = isObj(raw) ? raw : {};
    const p = `status.loadBalancer.ingress[${i}]`;
    if (typeof ing.ip === 'string' && ing.ip.length > 0) errs.push(...validateIP(`${p}.ip`, ing.ip));
    if (typeof ing.hostname === 'string' && ing.hostname.length > 0) {
      errs.push(...isDNS1123Subdomain(ing.hostname).map((m) => field.invalid(`${p}.hostname`, ing.hostname, m)));
      if (isIP(ing.hostname) !== 0) errs.push(field.invalid(`${p}.hostname`, ing.hostname, 'must be a DNS name, not an IP address'));
    }
  });
  return errs;
}

/** The networking.k8s.io/v1 ingresses strategy. */
export const ingressStrategy = {
  tracksGeneration: true,
  validate: (obj) => validateIngress(obj),
  status: { validateUpdate: (obj) => validateIngressStatus(isObj(obj.status) ? obj.status : {}) },
} satisfies Strategy;
