// discovery.k8s.io/v1 EndpointSlice: SetDefaults_EndpointPort (name "", protocol TCP) and
// ValidateEndpointSlice(Update): an address type, addresses of that type, valid ports.
import { isIP } from 'node:net';
import { field, type FieldError } from '../../../apimachinery/errors.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName } from '../../../apimachinery/validation.js';
import { validateLabels } from '../../../apimachinery/validation.js';
import type { KubeObject } from '../../../api/types.js';
import type { Strategy } from '../strategy.js';
import { isObj, unset, validateImmutable, type Obj } from '../apps/fields.js';

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const MAX_TOPOLOGY_LABELS = 16;
const MAX_ADDRESSES = 100;
const MAX_PORTS = 20000;
const MAX_ENDPOINTS = 1000;
const MAX_ZONE_HINTS = 8;

/** SetDefaults_EndpointPort. */
export function defaultEndpointSlice(obj: KubeObject): void {
  if (!Array.isArray(obj.ports)) return;
  for (const port of obj.ports as unknown[]) {
    if (!isObj(port)) continue;
    if (unset(port.name)) port.name = '';
    if (unset(port.protocol)) port.protocol = 'TCP';
  }
}

/** ValidateNonSpecialIP: endpoints may not point at unspecified, loopback or link-local addresses. */
function validateNonSpecialIP(ip: string, path: string): FieldError[] {
  const v4 = isIP(ip) === 4;
  const lower = ip.toLowerCase();
  if (v4 ? ip === '0.0.0.0' : /^[0:]+$/.test(lower)) return [field.invalid(path, ip, `may not be unspecified (${ip})`)];
  if (v4 ? ip.startsWith('127.') : lower === '::1') return [field.invalid(path, ip, 'may not be in the loopback range (127.0.0.0/8, ::1/128)')];
  if (v4 ? ip.startsWith('169.254.') : /^fe[89ab]/.test(lower)) return [field.invalid(path, ip, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)')];
  if (v4 ? ip.startsWith('224.0.0.') : lower.startsWith('ff02:')) {
    return [field.invalid(path, ip, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)')];
  }
  return [];
}

/** IsFullyQualifiedDomainName: a subdomain of at least two labels (a trailing dot is allowed). */
function validateFQDN(fqdn: string, path: string): FieldError[] {
  if (fqdn.length === 0) return [field.required(path)];
  const name = fqdn.endsWith('.') ? fqdn.slice(0, -1) : fqdn;
  const subErrs = isDNS1123Subdomain(name);
  if (subErrs.length > 0) return [field.invalid(path, name, subErrs.join(','))];
  const labels = name.split('.');
  if (labels.length < 2) return [field.invalid(path, name, 'should be a domain with at least two segments separated by dots')];
  for (const label of labels) {
    const labelErrs = isDNS1123Label(label);
    if (labelErrs.length > 0) return [field.invalid(path, label, labelErrs.join(','))];
  }
  return [];
}

function validateEndpoints(endpoints: unknown[], addressType: string): FieldError[] {
  if (endpoints.length > MAX_ENDPOINTS) return [field.tooMany('endpoints', endpoints.length, MAX_ENDPOINTS)];
  const errs: FieldError[] = [];
  endpoints.forEach((raw, i) => {
    const ep: Obj = isObj(raw) ? raw : {};
    const p = `endpoints[${i}]`;
    const addresses: unknown[] = Array.isArray(ep.addresses) ? ep.addresses : [];
    if (addresses.length === 0) errs.push(field.required(`${p}.addresses`, 'must contain at least 1 address'));
    else if (addresses.length > MAX_ADDRESSES) errs.push(field.tooMany(`${p}.addresses`, addresses.length, MAX_ADDRESSES));
    addresses.forEach((a, j) => {
      const ap = `${p}.addresses[${j}]`;
      const addr = String(a ?? '');
      if (addressType === 'IPv4' || addressType === 'IPv6') {
        const family = addressType === 'IPv4' ? 4 : 6;
        if (isIP(addr) !== family) errs.push(field.invalid(ap, addr, `must be a valid ${addressType} address`));
        else errs.push(...validateNonSpecialIP(addr, ap));
      } else if (addressType === 'FQDN') {
        errs.push(...validateFQDN(addr, ap));
      }
    });
    if (!unset(ep.nodeName)) errs.push(...isDNS1123Subdomain(String(ep.nodeName)).map((m) => field.invalid(`${p}.nodeName`, ep.nodeName, m)));
    if (isObj(ep.deprecatedTopology)) {
      const n = Object.keys(ep.deprecatedTopology).length;
      if (n > MAX_TOPOLOGY_LABELS) errs.push(field.tooMany(`${p}.deprecatedTopology`, n, MAX_TOPOLOGY_LABELS));
      errs.push(...validateLabels(ep.deprecatedTopology, `${p}.deprecatedTopology`));
    }
    if (!unset(ep.zone)) errs.push(...isQualifiedName(String(ep.zone)).map((m) => field.invalid(`${p}.zone`, ep.zone, m)));
    if (!unset(ep.hostname)) errs.push(...isDNS1123Label(String(ep.hostname)).map((m) => field.invalid(`${p}.hostname`, ep.hostname, m)));
    if (isObj(ep.hints) && Array.isArray(ep.hints.forZones)) {
      const zones: unknown[] = ep.hints.forZones;
      if (zones.length > MAX_ZONE_HINTS) errs.push(field.tooMany(`${p}.hints.forZones`, zones.length, MAX_ZONE_HINTS));
      const seen = new Set<string>();
      zones.forEach((z, k) => {
        const name = String(isObj(z) ? (z.name ?? '') : '');
        const zp = `${p}.hints.forZones[${k}].name`;
        if (seen.has(name)) errs.push(field.duplicate(zp, name));
        else seen.add(name);
        errs.push(...isQualifiedName(name).map((m) => field.invalid(zp, name, m)));
      });
    }
  });
  return errs;
}

function validatePorts(ports: unknown[]): FieldError[] {
  if (ports.length > MAX_PORTS) return [field.tooMany('ports', ports.length, MAX_PORTS)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((raw, i) => {
    const port: Obj = isObj(raw) ? raw : {};
    const p = `ports[${i}]`;
    const name = typeof port.name === 'string' ? port.name : '';
    if (name.length > 0) errs.push(...isDNS1123Label(name).map((m) => field.invalid(`${p}.name`, name, m)));
    if (names.has(name)) errs.push(field.duplicate(`${p}.name`, name));
    else names.add(name);
    if (unset(port.protocol)) errs.push(field.required(`${p}.protocol`));
    else if (!PORT_PROTOCOLS.includes(port.protocol)) errs.push(field.notSupported(`${p}.protocol`, port.protocol, PORT_PROTOCOLS));
    if (!unset(port.appProtocol)) {
      errs.push(...isQualifiedName(String(port.appProtocol)).map((m) => field.invalid(`${p}.appProtocol`, port.appProtocol, m)));
    }
  });
  return errs;
}

/** ValidateEndpointSlice without ObjectMeta. */
export function validateEndpointSlice(obj: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const addressType = obj.addressType ?? '';
  if (addressType === '') errs.push(field.required('addressType'));
  else if (!ADDRESS_TYPES.includes(addressType)) errs.push(field.notSupported('addressType', addressType, ADDRESS_TYPES));
  errs.push(...validateEndpoints(Array.isArray(obj.endpoints) ? obj.endpoints : [], addressType));
  errs.push(...validatePorts(Array.isArray(obj.ports) ? obj.ports : []));
  return errs;
}

/** The discovery.k8s.io/v1 endpointslices strategy. */
export const endpointSliceStrategy = {
  tracksGeneration: true,
  defaults: defaultEndpointSlice,
  validate: (obj) => validateEndpointSlice(obj),
  validateUpdate: (obj, old) => validateImmutable(obj.addressType, old.addressType, 'addressType'),
} satisfies Strategy;
