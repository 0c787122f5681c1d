// Cluster IP and node port allocation for Services, done when the Service is written, as
// kube-apiserver's service REST storage does (not by a controller): a free address from the service
// CIDR, free node ports from 30000-32767, and upstream's errors for taken or out-of-range values.
import type { KubeObject } from '../../api/types.js';
import { field, invalid, type FieldError } from '../../apimachinery/errors.js';
import { needsClusterIP, needsNodePorts } from '../registry/core/services.js';
import type { AdmissionAttributes, AdmissionPlugin } from './admission.js';

const NODE_PORT_MIN = 30000;
const NODE_PORT_MAX = 32767;

interface ServicePort {
  nodePort?: number;
}

interface ServiceSpec {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  ports?: ServicePort[];
}

/** An IPv4 CIDR as a base address and size. */
export interface Cidr {
  base: number;
  size: number;
  text: string;
}

/** Parses "10.100.0.0/16". */
export function parseCidr(text: string): Cidr {
  const [addr, bits] = text.split('/');
  const base = ipToInt(addr);
  const size = 2 ** (32 - Number(bits));
  return { base: base - (base % size), size, text };
}

export function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** Allocates cluster IPs and node ports for Services on create (and when an update needs new ones). */
export class ServiceAllocation implements AdmissionPlugin {
  readonly name = 'ServiceAllocation';
  private readonly cidr: Cidr;
  // Values handed out whose Service may not be stored yet, so two concurrent creates never share one.
  private readonly reservedIPs = new Set<string>();
  private readonly reservedPorts = new Set<number>();

  constructor(
    cidr: string,
    private readonly listServices: () => Promise<KubeObject[]>,
    private readonly random: () => number = Math.random,
  ) {
    this.cidr = parseCidr(cidr);
  }

  admit(a: AdmissionAttributes): Promise<void> | void {
    if (a.resource.group !== '' || a.resource.resource !== 'services' || a.subresource || !a.object) return;
    if (a.operation !== 'CREATE' && a.operation !== 'UPDATE') return;
    return this.allocate(a, a.object);
  }

  private async allocate(a: AdmissionAttributes, svc: KubeObject): Promise<void> {
    const spec = (svc.spec ?? {}) as ServiceSpec;
    const old = (a.oldObject?.spec ?? {}) as ServiceSpec;
    const others = (await this.listServices()).filter(
      (s) => !(s.metadata.namespace === svc.metadata.namespace && s.metadata.name === svc.metadata.name),
    );
    const usedIPs = new Set(others.flatMap((s) => ((s.spec as ServiceSpec)?.clusterIPs ?? [(s.spec as ServiceSpec)?.clusterIP]).filter(Boolean) as string[]));
    const usedPorts = new Set(others.flatMap((s) => ((s.spec as ServiceSpec)?.ports ?? []).map((p) => p.nodePort).filter((p): p is number => !!p)));
    this.forgetStored(usedIPs, usedPorts);
    const errs: FieldError[] = [];

    if (needsClusterIP(svc)) {
      const keep = old.clusterIP && old.clusterIP !== 'None' ? old.clusterIP : undefined;
      const wanted = spec.clusterIP || spec.clusterIPs?.[0] || keep;
      if (wanted && wanted !== keep) {
        const problem = this.checkIP(wanted, usedIPs);
        if (problem) errs.push(field.invalid('spec.clusterIPs', [wanted], `failed to allocate IP ${wanted}: ${problem}`));
        else this.reservedIPs.add(wanted);
      }
      const ip = wanted ?? this.freeIP(usedIPs);
      if (ip) {
        spec.clusterIP = ip;
        spec.clusterIPs = [ip];
      }
    }
    if (needsNodePorts(svc)) {
      const oldPorts = new Set((old.ports ?? []).map((p) => p.nodePort).filter(Boolean));
      (spec.ports ?? []).forEach((p, i) => {
        if (p.nodePort) {
          if (oldPorts.has(p.nodePort)) return;
          const problem = this.checkPort(p.nodePort, usedPorts);
          if (problem) errs.push(field.invalid(`spec.ports[${i}].nodePort`, p.nodePort, problem));
          else this.reservedPorts.add(p.nodePort);
          return;
        }
        p.nodePort = this.freePort(usedPorts);
      });
    }
    if (errs.length) throw invalid({ group: '', kind: 'Service' }, svc.metadata.name ?? '', errs);
    svc.spec = spec;
  }

  private checkIP(ip: string, used: Set<string>): string | undefined {
    const n = /^\d+\.\d+\.\d+\.\d+$/.test(ip) ? ipToInt(ip) : NaN;
    if (!(n >= this.cidr.base && n < this.cidr.base + this.cidr.size)) {
      return `the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${this.cidr.text}`;
    }
    if (used.has(ip) || this.reservedIPs.has(ip)) return 'provided IP is already allocated';
    return undefined;
  }

  private checkPort(port: number, used: Set<number>): string | undefined {
    if (port < NODE_PORT_MIN || port > NODE_PORT_MAX) {
      return `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_MIN}-${NODE_PORT_MAX}`;
    }
    if (used.has(port) || this.reservedPorts.has(port)) return 'provided port is already allocated';
    return undefined;
  }

  // A random free address, skipping the network address, the first address (the kubernetes Service)
  // and the broadcast address.
  private freeIP(used: Set<string>): string | undefined {
    const span = this.cidr.size - 3;
    const start = Math.floor(this.random() * span);
    for (let i = 0; i < span; i++) {
      const ip = intToIp(this.cidr.base + 2 + ((start + i) % span));
      if (!used.has(ip) && !this.reservedIPs.has(ip)) {
        this.reservedIPs.add(ip);
        return ip;
      }
    }
    return undefined;
  }

  private freePort(used: Set<number>): number | undefined {
    const span = NODE_PORT_MAX - NODE_PORT_MIN + 1;
    const start = Math.floor(this.random() * span);
    for (let i = 0; i < span; i++) {
      const port = NODE_PORT_MIN + ((start + i) % span);
      if (!used.has(port) && !this.reservedPorts.has(port)) {
        this.reservedPorts.add(port);
        return port;
      }
    }
    return undefined;
  }

  // Once a value is in the store, the store tracks it; its reservation can go.
  private forgetStored(ips: Set<string>, ports: Set<number>): void {
    for (const ip of this.reservedIPs) if (ips.has(ip)) this.reservedIPs.delete(ip);
    for (const p of this.reservedPorts) if (ports.has(p)) this.reservedPorts.delete(p);
  }
}
