// Endpoints: SetDefaults_Endpoints (port protocol TCP) and ValidateEndpoints: every subset has
// addresses, addresses are real, non-special IPs, and ports are named when there are several.
import type { KubeObject } from '../../../api/types.js';
import { field, type FieldError } from '../../../apimachinery/errors.js';
import type { Strategy } from '../strategy.js';
import {
  invalidEach,
  isDNS1123Subdomain,
  isValidPortNum,
  validateDNS1123Label,
  validateIP,
  validateQualifiedName,
} from '../../../apimachinery/validation.js';
import { isRecord } from './equality.js';
import { validateNonSpecialIP } from './services.js';

/** An Endpoints object as the strategy sees it. */
export type Endpoints = KubeObject & { subsets?: any[] };

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

function validateAddress(addr: any, path: string): FieldError[] {
  const a = isRecord(addr) ? addr : {};
  const errs = validateIP(`${path}.ip`, a.ip ?? '');
  if (a.hostname) errs.push(...validateDNS1123Label(String(a.hostname), `${path}.hostname`));
  if (a.nodeName != null) errs.push(...invalidEach(`${path}.nodeName`, a.nodeName, isDNS1123Subdomain(String(a.nodeName))));
  errs.push(...validateNonSpecialIP(String(a.ip ?? ''), `${path}.ip`));
  return errs;
}

/** ValidateEndpoints, without ObjectMeta. */
export function validateEndpoints(ep: Endpoints): FieldError[] {
  const errs: FieldError[] = [];
  (Array.isArray(ep.subsets) ? ep.subsets : []).forEach((raw, i) => {
    const ss = isRecord(raw) ? raw : {};
    const p = `subsets[${i}]`;
    const addresses: any[] = Array.isArray(ss.addresses) ? ss.addresses : [];
    const notReady: any[] = Array.isArray(ss.notReadyAddresses) ? ss.notReadyAddresses : [];
    if (addresses.length === 0 && notReady.length === 0) errs.push(field.required(p, 'must specify `addresses` or `notReadyAddresses`'));
    addresses.forEach((a, j) => errs.push(...validateAddress(a, `${p}.addresses[${j}]`)));
    notReady.forEach((a, j) => errs.push(...validateAddress(a, `${p}.notReadyAddresses[${j}]`)));
    const ports: any[] = Array.isArray(ss.ports) ? ss.ports : [];
    ports.forEach((port, j) => {
      const pp = `${p}.ports[${j}]`;
      const name = typeof port?.name === 'string' ? port.name : '';
      if (ports.length > 1 && !name) errs.push(field.required(`${pp}.name`));
      else if (name) errs.push(...validateDNS1123Label(name, `${pp}.name`));
      errs.push(...invalidEach(`${pp}.port`, port?.port ?? 0, isValidPortNum(port?.port ?? 0)));
      if (!port?.protocol) errs.push(field.required(`${pp}.protocol`));
      else if (!PROTOCOLS.includes(port.protocol)) errs.push(field.notSupported(`${pp}.protocol`, port.protocol, PROTOCOLS));
      if (port?.appProtocol != null) errs.push(...validateQualifiedName(String(port.appProtocol), `${pp}.appProtocol`));
    });
  });
  return errs;
}

/** The Endpoints strategy. */
export const endpointsStrategy = {
  defaults(ep) {
    for (const ss of Array.isArray(ep.subsets) ? ep.subsets : []) {
      for (const port of Array.isArray(ss?.ports) ? ss.ports : []) if (isRecord(port) && !port.protocol) port.protocol = 'TCP';
    }
  },
  validate(ep) {
    return validateEndpoints(ep);
  },
  validateUpdate(ep) {
    return validateEndpoints(ep);
  },
} satisfies Strategy<Endpoints>;
