// Services: SetDefaults_Service, the registry's ClusterIP/ipFamily bookkeeping (allocation of the
// addresses themselves lives elsewhere; see needsClusterIP/needsNodePorts) and ValidateService{,Update}.
import { jsonCopy } from '../../../apimachinery/json.js';
import type { KubeObject } from '../../../api/types.js';
import { field, type FieldError } from '../../../apimachinery/errors.js';
import type { Strategy } from '../strategy.js';
import {
  invalidEach,
  isDNS1035Label,
  isDNS1123Label,
  isValidPortNum,
  validateCIDR,
  validateDNS1123Label,
  validateDNS1123Subdomain,
  validateIP,
  validateLabels,
  validateQualifiedName,
} from '../../../apimachinery/validation.js';
import { isRecord } from './equality.js';
import { isIP } from 'node:net';

type Obj = Record<string, any>;

/** A Service as the strategy sees it. */
export type Service = KubeObject & { spec?: Obj; status?: Obj };

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const KUBELET_PORT = 10250;

function spec(svc: Service): Obj {
  return isRecord(svc.spec) ? svc.spec : {};
}

function ports(svc: Service): Obj[] {
  return Array.isArray(svc.spec?.ports) ? svc.spec!.ports.map((p: unknown) => (isRecord(p) ? p : {})) : [];
}

/** True for a service that is given cluster IPs (every type but ExternalName, unless headless). */
export function needsClusterIP(svc: Service): boolean {
  const s = spec(svc);
  return s.type !== 'ExternalName' && s.clusterIP !== 'None';
}

/** True for a service whose ports get node ports (NodePort, or LoadBalancer unless allocation is off). */
export function needsNodePorts(svc: Service): boolean {
  const s = spec(svc);
  return s.type === 'NodePort' || (s.type === 'LoadBalancer' && s.allocateLoadBalancerNodePorts !== false);
}

/** True for a LoadBalancer service with externalTrafficPolicy Local, which gets a health-check node port. */
export function needsHealthCheckNodePort(svc: Service): boolean {
  const s = spec(svc);
  return s.type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local';
}

function externallyAccessible(s: Obj): boolean {
  return s.type === 'LoadBalancer' || s.type === 'NodePort' || (s.type === 'ClusterIP' && Array.isArray(s.externalIPs) && s.externalIPs.length > 0);
}

function isHeadless(s: Obj): boolean {
  return Array.isArray(s.clusterIPs) && s.clusterIPs.length === 1 && s.clusterIPs[0] === 'None';
}

/** SetDefaults_Service. */
export function defaultService(svc: Service): void {
  if (!isRecord(svc.spec)) svc.spec = {};
  const s = svc.spec!;
  if (!s.sessionAffinity) s.sessionAffinity = 'None';
  if (s.sessionAffinity === 'None') delete s.sessionAffinityConfig;
  if (s.sessionAffinity === 'ClientIP' && s.sessionAffinityConfig?.clientIP?.timeoutSeconds == null) {
    s.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  }
  if (!s.type) s.type = 'ClusterIP';
  for (const p of ports(svc)) {
    if (!p.protocol) p.protocol = 'TCP';
    if (p.targetPort === undefined || p.targetPort === null || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  if (externallyAccessible(s) && !s.externalTrafficPolicy) s.externalTrafficPolicy = 'Cluster';
  if (s.internalTrafficPolicy == null && ['NodePort', 'LoadBalancer', 'ClusterIP'].includes(s.type)) s.internalTrafficPolicy = 'Cluster';
  if (s.type === 'LoadBalancer' && s.allocateLoadBalancerNodePorts == null) s.allocateLoadBalancerNodePorts = true;
  if (s.type === 'LoadBalancer') {
    for (const ing of Array.isArray(svc.status?.loadBalancer?.ingress) ? svc.status!.loadBalancer.ingress : []) {
      if (ing?.ip && ing.ipMode == null) ing.ipMode = 'VIP';
    }
  }
}

/** Keeps clusterIP and clusterIPs in step, as the service registry's normalizeClusterIPs. */
function normalizeClusterIPs(s: Obj, old?: Obj): void {
  if (s.type === 'ExternalName') return;
  const ips: unknown[] = Array.isArray(s.clusterIPs) ? s.clusterIPs : [];
  if (old && s.clusterIP === old.clusterIP && ips.length === 0 && Array.isArray(old.clusterIPs)) {
    s.clusterIPs = [...old.clusterIPs];
    return;
  }
  if (s.clusterIP && ips.length === 0) s.clusterIPs = [s.clusterIP];
  else if (!s.clusterIP && ips.length > 0 && typeof ips[0] === 'string') s.clusterIP = ips[0];
}

/** Single-stack IPv4 cluster: the ipFamily fields the allocator fills in on a new service. */
function initIPFamilyFields(s: Obj): void {
  if (s.type === 'ExternalName') return;
  const headlessSelectorless = isHeadless(s) && !(isRecord(s.selector) && Object.keys(s.selector).length > 0);
  if (s.ipFamilyPolicy == null) s.ipFamilyPolicy = headlessSelectorless ? 'RequireDualStack' : 'SingleStack';
  if (!Array.isArray(s.ipFamilies) || s.ipFamilies.length === 0) {
    const first = Array.isArray(s.clusterIPs) ? s.clusterIPs.find((ip: unknown) => typeof ip === 'string' && isIP(ip)) : undefined;
    s.ipFamilies = [first && isIP(first) === 6 ? 'IPv6' : 'IPv4'];
  }
}

/** patchAllocatedValues: an update that omits allocated values (apply, replace) keeps them. */
function patchAllocatedValues(svc: Service, old: Service): void {
  const s = spec(svc);
  const o = spec(old);
  if (needsClusterIP(old) && needsClusterIP(svc) && o.type !== 'ExternalName' && s.type !== 'ExternalName') {
    if (!s.clusterIP) s.clusterIP = o.clusterIP;
    if ((!Array.isArray(s.clusterIPs) || s.clusterIPs.length === 0) && s.clusterIP === o.clusterIP) s.clusterIPs = o.clusterIPs;
  }
  if (needsNodePorts(old) && needsNodePorts(svc)) {
    const used = (x: Service) => new Set(ports(x).map((p) => p.nodePort).filter((n) => n));
    const newUsed = used(svc);
    const inBoth = new Set([...used(old)].filter((n) => newUsed.has(n)));
    const byName = new Map(ports(old).map((p) => [p.name ?? '', p.nodePort]));
    for (const p of ports(svc)) {
      if (!p.nodePort) {
        const prev = byName.get(p.name ?? '');
        if (prev && !inBoth.has(prev)) p.nodePort = prev;
      }
    }
  }
  if (needsHealthCheckNodePort(old) && needsHealthCheckNodePort(svc) && !s.healthCheckNodePort) s.healthCheckNodePort = o.healthCheckNodePort;
  if (s.type !== 'ExternalName' && o.type !== 'ExternalName') {
    if (s.ipFamilyPolicy == null) s.ipFamilyPolicy = o.ipFamilyPolicy;
    if (!Array.isArray(s.ipFamilies) || s.ipFamilies.length === 0) s.ipFamilies = o.ipFamilies;
  }
}

/** Go's %#v of the (protocol, port) key upstream reports duplicate service ports with. */
function servicePortKey(p: Obj): string {
  return `core.ServicePort{Name:"", Protocol:"${p.protocol ?? ''}", AppProtocol:(*string)(nil), Port:${p.port ?? 0}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`;
}

/** ValidateNonSpecialIP: no unspecified, loopback or link-local addresses (endpoints, external IPs). */
export function validateNonSpecialIP(ip: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isIP(ip)) return [field.invalid(path, ip, 'must be a valid IP address')];
  const lower = ip.toLowerCase();
  if (ip === '0.0.0.0' || lower === '::') errs.push(field.invalid(path, ip, `may not be unspecified (${ip})`));
  if (ip.startsWith('127.') || lower === '::1') errs.push(field.invalid(path, ip, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  if (ip.startsWith('169.254.') || /^fe[89ab]/.test(lower)) errs.push(field.invalid(path, ip, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  if (ip.startsWith('224.0.0.') || lower.startsWith('ff02:')) {
    errs.push(field.invalid(path, ip, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  }
  return errs;
}



function validatePortNumOrName(port: unknown, path: string): FieldError[] {
  if (typeof port === 'string') {
    const msgs: string[] = [];
    if (port.length > 15) msgs.push('must be no more than 15 characters');
    if (!/^[-a-z0-9]+$/.test(port)) msgs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
    if (!/[a-z]/.test(port)) msgs.push('must contain at least one letter (a-z)');
    if (port.includes('--')) msgs.push('must not contain consecutive hyphens');
    if (port.startsWith('-') || port.endsWith('-')) msgs.push('must not begin or end with a hyphen');
    return invalidEach(path, port, msgs);
  }
  const n = typeof port === 'number' ? port : 0;
  return invalidEach(path, n, isValidPortNum(n));
}

function validateClusterIPsRelatedFields(s: Obj): FieldError[] {
  if (s.type === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const ips: unknown[] = Array.isArray(s.clusterIPs) ? s.clusterIPs : [];
  if (s.clusterIP) {
    if (ips.length === 0) errs.push(field.required('spec.clusterIPs'));
    else if (ips[0] !== s.clusterIP) errs.push(field.invalid('spec.clusterIPs', ips, 'first value must match `clusterIP`'));
  } else if (ips.length !== 0) errs.push(field.invalid('spec.clusterIPs', ips, 'must be empty when `clusterIP` is not specified'));
  const families: unknown[] = Array.isArray(s.ipFamilies) ? s.ipFamilies : [];
  const seen = new Set<unknown>();
  families.forEach((f, i) => {
    if (f !== 'IPv4' && f !== 'IPv6') errs.push(field.notSupported(`spec.ipFamilies[${i}]`, f, ['IPv4', 'IPv6']));
    if (seen.has(f)) errs.push(field.duplicate(`spec.ipFamilies[${i}]`, f));
    seen.add(f);
  });
  const policies = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
  if (s.ipFamilyPolicy != null && !policies.includes(s.ipFamilyPolicy)) errs.push(field.notSupported('spec.ipFamilyPolicy', s.ipFamilyPolicy, policies));
  let invalidIPs = false;
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) {
        invalidIPs = true;
        errs.push(field.invalid('spec.clusterIPs', ips, "'None' must be the first and only value"));
      }
      return;
    }
    const e = validateIP(`spec.clusterIPs[${i}]`, ip);
    if (e.length) invalidIPs = true;
    errs.push(...e);
  });
  if (ips.length > 2) errs.push(field.invalid('spec.clusterIPs', ips, 'may only hold up to 2 values'));
  if (invalidIPs) return errs;
  if (ips.length > 1 && new Set(ips.map((ip) => isIP(String(ip)))).size !== ips.length) {
    errs.push(field.invalid('spec.clusterIPs', ips, 'may specify no more than one IP for each IP family'));
  }
  if (!isHeadless(s)) {
    ips.forEach((ip, i) => {
      if (i >= families.length) return;
      const v6 = isIP(String(ip)) === 6;
      if (families[i] === 'IPv4' && v6) errs.push(field.invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      if (families[i] === 'IPv6' && !v6) errs.push(field.invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
    });
  }
  return errs;
}

/** ValidateService, without ObjectMeta (plus the DNS-1035 rule on the name, see nameValidation). */
export function validateService(svc: Service): FieldError[] {
  const errs: FieldError[] = [];
  const name = svc.metadata.name ?? '';
  if (name && isDNS1123Label(name).length === 0) errs.push(...invalidEach('metadata.name', name, isDNS1035Label(name)));
  const ann = svc.metadata.annotations ?? {};
  const hints = ann['service.kubernetes.io/topology-aware-hints'];
  const mode = ann['service.kubernetes.io/topology-mode'];
  if (hints !== undefined && mode !== undefined && hints !== mode) {
    errs.push(field.invalid('metadata.annotations[service.kubernetes.io/topology-mode]', mode, 'must match annotations[service.kubernetes.io/topology-aware-hints] when both are specified'));
  }
  const s = spec(svc);
  const ps = ports(svc);
  const headless = isHeadless(s);
  if (ps.length === 0 && !headless && s.type !== 'ExternalName') errs.push(field.required('spec.ports'));
  if (s.type === 'LoadBalancer') {
    ps.forEach((p, i) => {
      if (p.port === KUBELET_PORT) errs.push(field.invalid(`spec.ports[${i}]`, p.port, `may not expose port ${KUBELET_PORT} externally since it is used by kubelet`));
    });
    if (headless) errs.push(field.invalid('spec.clusterIPs[0]', 'None', "may not be set to 'None' for LoadBalancer services"));
  } else if (s.type === 'NodePort') {
    if (headless) errs.push(field.invalid('spec.clusterIPs[0]', 'None', "may not be set to 'None' for NodePort services"));
  } else if (s.type === 'ExternalName') {
    if (Array.isArray(s.clusterIPs) && s.clusterIPs.length > 0) errs.push(field.forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    if (Array.isArray(s.ipFamilies) && s.ipFamilies.length > 0) errs.push(field.forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
    if (s.ipFamilyPolicy != null) errs.push(field.forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
    const cname = String(s.externalName ?? '').replace(/\.$/, '');
    if (cname) errs.push(...validateDNS1123Subdomain(cname, 'spec.externalName'));
    else errs.push(field.required('spec.externalName'));
  }
  const names = new Set<string>();
  ps.forEach((p, i) => {
    const pp = `spec.ports[${i}]`;
    const pname = typeof p.name === 'string' ? p.name : '';
    if (ps.length > 1 && !pname) errs.push(field.required(`${pp}.name`));
    else if (pname) {
      errs.push(...validateDNS1123Label(pname, `${pp}.name`));
      if (names.has(pname)) errs.push(field.duplicate(`${pp}.name`, pname));
      else names.add(pname);
    }
    errs.push(...invalidEach(`${pp}.port`, p.port ?? 0, isValidPortNum(p.port ?? 0)));
    if (!p.protocol) errs.push(field.required(`${pp}.protocol`));
    else if (!PROTOCOLS.includes(p.protocol)) errs.push(field.notSupported(`${pp}.protocol`, p.protocol, PROTOCOLS));
    errs.push(...validatePortNumOrName(p.targetPort, `${pp}.targetPort`));
    if (p.appProtocol != null) errs.push(...validateQualifiedName(String(p.appProtocol), `${pp}.appProtocol`));
  });
  if (s.selector != null) errs.push(...validateLabels(s.selector, 'spec.selector'));
  if (!s.sessionAffinity) errs.push(field.required('spec.sessionAffinity'));
  else if (!['ClientIP', 'None'].includes(s.sessionAffinity)) errs.push(field.notSupported('spec.sessionAffinity', s.sessionAffinity, ['ClientIP', 'None']));
  if (s.sessionAffinity === 'ClientIP') {
    const cfg = s.sessionAffinityConfig;
    const p = 'spec.sessionAffinityConfig';
    const detail = 'when session affinity type is ClientIP';
    if (!isRecord(cfg)) errs.push(field.required(p, detail));
    else if (!isRecord(cfg.clientIP)) errs.push(field.required(`${p}.clientIP`, detail));
    else if (cfg.clientIP.timeoutSeconds == null) errs.push(field.required(`${p}.clientIP.timeoutSeconds`, detail));
    else if (cfg.clientIP.timeoutSeconds <= 0 || cfg.clientIP.timeoutSeconds > 86400) {
      errs.push(field.invalid(`${p}.clientIP.timeoutSeconds`, cfg.clientIP.timeoutSeconds, 'must be greater than 0 and less than 86400'));
    }
  } else if (s.sessionAffinity === 'None' && s.sessionAffinityConfig != null) {
    errs.push(field.forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  }
  errs.push(...validateClusterIPsRelatedFields(s));
  (Array.isArray(s.externalIPs) ? s.externalIPs : []).forEach((ip: unknown, i: number) => {
    const p = `spec.externalIPs[${i}]`;
    const e = validateIP(p, ip);
    errs.push(...(e.length ? e : validateNonSpecialIP(String(ip), p)));
  });
  if (!s.type) errs.push(field.required('spec.type'));
  else if (!SERVICE_TYPES.includes(s.type)) errs.push(field.notSupported('spec.type', s.type, SERVICE_TYPES));
  if (s.type === 'ClusterIP') {
    ps.forEach((p, i) => {
      if (p.nodePort) errs.push(field.forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    });
  }
  const nodePorts = new Set<string>();
  ps.forEach((p, i) => {
    if (!p.nodePort) return;
    const key = `${p.protocol}/${p.nodePort}`;
    if (nodePorts.has(key)) errs.push(field.duplicate(`spec.ports[${i}].nodePort`, p.nodePort));
    nodePorts.add(key);
  });
  const portKeys = new Set<string>();
  ps.forEach((p, i) => {
    const key = `${p.protocol}/${p.port}`;
    if (portKeys.has(key)) errs.push(field.duplicateRaw(`spec.ports[${i}]`, servicePortKey(p)));
    portKeys.add(key);
  });
  const ranges: unknown[] = Array.isArray(s.loadBalancerSourceRanges) ? s.loadBalancerSourceRanges : [];
  if (ranges.length > 0) {
    if (s.type !== 'LoadBalancer') errs.push(field.forbidden('spec.LoadBalancerSourceRanges', "may only be used when `type` is 'LoadBalancer'"));
    ranges.forEach((r, i) => errs.push(...validateCIDR(`spec.LoadBalancerSourceRanges[${i}]`, String(r ?? '').trim())));
  } else if (ann['service.beta.kubernetes.io/load-balancer-source-ranges'] !== undefined) {
    const p = 'metadata.annotations[service.beta.kubernetes.io/load-balancer-source-ranges]';
    if (s.type !== 'LoadBalancer') errs.push(field.forbidden(p, "may only be used when `type` is 'LoadBalancer'"));
    const val = ann['service.beta.kubernetes.io/load-balancer-source-ranges'].trim();
    if (val) for (const cidr of val.split(',')) errs.push(...validateCIDR(p, cidr.trim()));
  }
  if (s.allocateLoadBalancerNodePorts != null && s.type !== 'LoadBalancer') {
    errs.push(field.forbidden('spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'"));
  }
  if (s.type === 'LoadBalancer' && s.allocateLoadBalancerNodePorts == null) errs.push(field.required('allocateLoadBalancerNodePorts'));
  if (s.type === 'LoadBalancer') {
    if (s.loadBalancerClass != null) errs.push(...validateQualifiedName(String(s.loadBalancerClass), 'spec.loadBalancerClass'));
  } else if (s.loadBalancerClass != null) {
    errs.push(field.forbidden('spec.loadBalancerClass', "may only be used when `type` is 'LoadBalancer'"));
  }
  if (!externallyAccessible(s)) {
    if (s.externalTrafficPolicy) errs.push(field.invalid('spec.externalTrafficPolicy', s.externalTrafficPolicy, 'may only be set for externally-accessible services'));
  } else if (!s.externalTrafficPolicy) errs.push(field.required('spec.externalTrafficPolicy'));
  else if (!['Cluster', 'Local'].includes(s.externalTrafficPolicy)) {
    errs.push(field.notSupported('spec.externalTrafficPolicy', s.externalTrafficPolicy, ['Cluster', 'Local']));
  }
  if (!needsHealthCheckNodePort(svc)) {
    if (s.healthCheckNodePort) {
      errs.push(field.invalid('spec.healthCheckNodePort', s.healthCheckNodePort, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
    }
  }
  if (s.internalTrafficPolicy == null) {
    if (['NodePort', 'LoadBalancer', 'ClusterIP'].includes(s.type)) errs.push(field.required('spec.internalTrafficPolicy'));
  } else if (!['Cluster', 'Local'].includes(s.internalTrafficPolicy)) {
    errs.push(field.notSupported('spec.internalTrafficPolicy', s.internalTrafficPolicy, ['Cluster', 'Local']));
  }
  if (s.trafficDistribution != null && s.trafficDistribution !== 'PreferClose') {
    errs.push(field.notSupported('spec.trafficDistribution', s.trafficDistribution, ['PreferClose']));
  }
  return errs;
}

/** The update-only rules of ValidateServiceUpdate (cluster IPs, families, class, health-check port). */
export function validateServiceUpdate(svc: Service, old: Service): FieldError[] {
  const errs: FieldError[] = [];
  const s = spec(svc);
  const o = spec(old);
  if (s.type !== 'ExternalName' && o.type !== 'ExternalName' && !(isHeadless(s) && isHeadless(o))) {
    const n: unknown[] = Array.isArray(s.clusterIPs) ? s.clusterIPs : [];
    const p: unknown[] = Array.isArray(o.clusterIPs) ? o.clusterIPs : [];
    if (n.length === p.length) {
      p.forEach((ip, i) => ip !== n[i] && errs.push(field.invalid(`spec.clusterIPs[${i}]`, n, 'may not change once set')));
    } else if (p.length > n.length) {
      if (n.length === 0) errs.push(field.invalid('spec.clusterIPs[0]', n, 'primary clusterIP can not be unset'));
      if (p.length > 0 && n.length > 0 && n[0] !== p[0]) errs.push(field.invalid('spec.clusterIPs[0]', n, 'may not change once set'));
      if (n.length === 1 && s.ipFamilyPolicy !== 'SingleStack') {
        errs.push(field.invalid('spec.ipFamilyPolicy', s.ipFamilyPolicy ?? null, "must be set to 'SingleStack' when releasing the secondary clusterIP"));
      }
    } else if (p.length > 0 && n[0] !== p[0]) errs.push(field.invalid('spec.clusterIPs[0]', n, 'may not change once set'));
  }
  if (s.type !== 'ExternalName' && o.type !== 'ExternalName' && isHeadless(s) === isHeadless(o) && !isHeadless(s)) {
    const n: unknown[] = Array.isArray(s.ipFamilies) ? s.ipFamilies : [];
    const p: unknown[] = Array.isArray(o.ipFamilies) ? o.ipFamilies : [];
    if (n.length === p.length) {
      p.forEach((f, i) => f !== n[i] && errs.push(field.invalid('spec.ipFamilies[0]', n, 'may not change once set')));
    } else if (n.length > 0 && p.length > 0 && n[0] !== p[0]) {
      errs.push(field.invalid('spec.ipFamilies[0]', s.clusterIPs ?? [], 'may not change once set'));
    }
  }
  if (o.type === 'LoadBalancer' && s.type === 'LoadBalancer' && (o.loadBalancerClass ?? null) !== (s.loadBalancerClass ?? null)) {
    errs.push(field.invalid('spec.loadBalancerClass', s.loadBalancerClass ?? null, 'may not change once set'));
  }
  if (needsHealthCheckNodePort(old) && needsHealthCheckNodePort(svc) && s.healthCheckNodePort !== o.healthCheckNodePort) {
    errs.push(field.forbidden('spec.healthCheckNodePort', 'field is immutable'));
  }
  return errs;
}

/** ValidateLoadBalancerStatus. */
export function validateLoadBalancerStatus(svc: Service): FieldError[] {
  const errs: FieldError[] = [];
  const ingress: Obj[] = Array.isArray(svc.status?.loadBalancer?.ingress) ? svc.status!.loadBalancer.ingress : [];
  if (spec(svc).type !== 'LoadBalancer' && ingress.length !== 0) {
    return [field.forbidden('status.loadBalancer.ingress', "may only be used when `spec.type` is 'LoadBalancer'")];
  }
  ingress.forEach((ing, i) => {
    const p = `status.loadBalancer.ingress[${i}]`;
    if (ing?.ip) errs.push(...validateIP(`${p}.ip`, ing.ip));
    if (ing?.ipMode == null) {
      if (ing?.ip) errs.push(field.required(`${p}.ipMode`, 'must be specified when `ip` is set'));
    } else if (!ing.ip) errs.push(field.forbidden(`${p}.ipMode`, 'may not be specified when `ip` is not set'));
    else if (!['Proxy', 'VIP'].includes(ing.ipMode)) errs.push(field.notSupported(`${p}.ipMode`, ing.ipMode, ['Proxy', 'VIP']));
    if (ing?.hostname) {
      errs.push(...validateDNS1123Subdomain(String(ing.hostname), `${p}.hostname`));
      if (isIP(String(ing.hostname))) errs.push(field.invalid(`${p}.hostname`, ing.hostname, 'must be a DNS name, not an IP address'));
    }
  });
  return errs;
}

/** The Service strategy. Names are DNS-1035 labels; the store checks the DNS-1123 label part. */
export const serviceStrategy = {
  nameValidation: 'label',
  defaults(svc) {
    defaultService(svc);
  },
  prepareForCreate(svc) {
    svc.status = { loadBalancer: {} };
    const s = spec(svc);
    normalizeClusterIPs(s);
    initIPFamilyFields(s);
  },
  prepareForUpdate(svc, old) {
    patchAllocatedValues(svc, old);
    normalizeClusterIPs(spec(svc), spec(old));
    initIPFamilyFields(spec(svc));
  },
  validate(svc) {
    return validateService(svc);
  },
  validateUpdate(svc, old) {
    return [...validateServiceUpdate(svc, old), ...validateService(svc)];
  },
  selectableFields(svc) {
    return { 'spec.clusterIP': spec(svc).clusterIP ?? '', 'spec.type': spec(svc).type ?? '' };
  },
  status: {
    prepareForUpdate(svc, old) {
      svc.spec = jsonCopy(old.spec ?? {});
    },
    validateUpdate(svc) {
      return validateLoadBalancerStatus(svc);
    },
  },
} satisfies Strategy<Service>;
