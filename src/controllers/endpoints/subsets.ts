// Endpoints subsets as pkg/api/v1/endpoints builds them: RepackSubsets groups addresses that serve
// the same ports into one subset (not-ready wins over ready for an address), sorted so equal
// content compares equal; truncation keeps an Endpoints object at 1000 addresses.
import { jsonCopy } from '../../apimachinery/json.js';
import type { Endpoints } from '../../api/objects.js';

export type Subset = NonNullable<Endpoints['subsets']>[number];
export type Address = NonNullable<Subset['addresses']>[number];
export type Port = NonNullable<Subset['ports']>[number];

/** maxCapacity: the most addresses one Endpoints object carries. */
export const MAX_CAPACITY = 1000;
/** v1.EndpointsOverCapacity and its value. */
export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';
export const TRUNCATED = 'truncated';

const addressKey = (a: Address) => `${a.ip}\u0000${a.targetRef?.uid ?? ''}`;
const portKey = (p: Port) => JSON.stringify([p.name ?? '', p.port, p.protocol ?? '', p.appProtocol ?? '']);

/** RepackSubsets. */
export function repackSubsets(subsets: Subset[]): Subset[] {
  const allAddrs = new Map<string, Address>();
  // port key → (address key → ready)
  const byPort = new Map<string, { port: Port | undefined; addrs: Map<string, boolean> }>();
  const note = (addr: Address, port: Port | undefined, ready: boolean) => {
    const ak = addressKey(addr);
    if (!allAddrs.has(ak)) allAddrs.set(ak, jsonCopy(addr));
    const pk = port ? portKey(port) : 'sentinel';
    let entry = byPort.get(pk);
    if (!entry) byPort.set(pk, (entry = { port, addrs: new Map() }));
    const was = entry.addrs.get(ak);
    if (was === undefined || was) entry.addrs.set(ak, ready);
  };
  for (const s of subsets) {
    const ports: (Port | undefined)[] = s.ports?.length ? s.ports : [undefined];
    for (const port of ports) {
      for (const a of s.addresses ?? []) note(a, port, true);
      for (const a of s.notReadyAddresses ?? []) note(a, port, false);
    }
  }
  // Address sets that serve the same ports become one subset.
  const groups = new Map<string, { addrs: Map<string, boolean>; ports: Port[] }>();
  for (const { port, addrs } of byPort.values()) {
    const key = [...addrs.entries()].map(([k, r]) => `${k}\u0000${r}`).sort().join('\u0001');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { addrs, ports: [] }));
    if (port) g.ports.push(port);
  }
  const final: Subset[] = [];
  for (const g of groups.values()) {
    const ready: Address[] = [];
    const notReady: Address[] = [];
    for (const [k, r] of g.addrs) (r ? ready : notReady).push(allAddrs.get(k)!);
    const s: Subset = {};
    if (ready.length) s.addresses = ready.sort(compareAddresses);
    if (notReady.length) s.notReadyAddresses = notReady.sort(compareAddresses);
    if (g.ports.length) s.ports = g.ports.sort((a, b) => (portKey(a) < portKey(b) ? -1 : portKey(a) > portKey(b) ? 1 : 0));
    final.push(s);
  }
  return final.sort((a, b) => {
    const ka = JSON.stringify(a);
    const kb = JSON.stringify(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

// addrsByIPAndUID: by the IP's bytes, then the target's UID.
function compareAddresses(a: Address, b: Address): number {
  const ia = ipBytes(a.ip);
  const ib = ipBytes(b.ip);
  for (let i = 0; i < 16; i++) if (ia[i] !== ib[i]) return ia[i] - ib[i];
  const ua = a.targetRef?.uid ?? '';
  const ub = b.targetRef?.uid ?? '';
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

function ipBytes(ip: string): number[] {
  const out = new Array<number>(16).fill(0);
  if (!ip.includes(':')) {
    out[10] = 0xff;
    out[11] = 0xff;
    ip.split('.').forEach((o, i) => (out[12 + i] = Number(o) || 0));
    return out;
  }
  const [head, tail] = ip.split('::');
  const hs = head ? head.split(':') : [];
  const ts = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? hs : [...hs, ...new Array(8 - hs.length - ts.length).fill('0'), ...ts];
  groups.slice(0, 8).forEach((g, i) => {
    const v = parseInt(g, 16) || 0;
    out[i * 2] = v >> 8;
    out[i * 2 + 1] = v & 0xff;
  });
  return out;
}

/**
 * truncateEndpoints: over capacity, keep a share of each subset proportional to its size, ready
 * addresses first; true when anything was cut.
 */
export function truncateEndpoints(subsets: Subset[]): boolean {
  let totalReady = 0;
  let totalNotReady = 0;
  for (const s of subsets) {
    totalReady += s.addresses?.length ?? 0;
    totalNotReady += s.notReadyAddresses?.length ?? 0;
  }
  if (totalReady + totalNotReady <= MAX_CAPACITY) return false;
  const truncateReady = totalReady > MAX_CAPACITY;
  const max = truncateReady ? MAX_CAPACITY : MAX_CAPACITY - totalReady;
  const numTotal = truncateReady ? totalReady : totalNotReady;
  let canBeAdded = max;
  for (const s of subsets) {
    const inSubset = truncateReady ? (s.addresses?.length ?? 0) : (s.notReadyAddresses?.length ?? 0);
    const toBeAdded = Math.min(Math.ceil((inSubset / numTotal) * max), canBeAdded);
    if (truncateReady) {
      s.addresses = (s.addresses ?? []).slice(0, toBeAdded);
      delete s.notReadyAddresses;
      canBeAdded -= s.addresses.length;
    } else {
      s.notReadyAddresses = (s.notReadyAddresses ?? []).slice(0, toBeAdded);
      canBeAdded -= s.notReadyAddresses.length;
    }
  }
  return true;
}

/** Subsets as comparable text: empty lists dropped, targetRef.resourceVersion ignored. */
export function canonicalSubsets(subsets: Subset[] | undefined): string {
  return JSON.stringify(subsets ?? [], (k, v) => {
    if (Array.isArray(v) && v.length === 0 && k !== '') return undefined;
    if (k === 'resourceVersion') return undefined;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const sorted: Record<string, unknown> = {};
      for (const key of Object.keys(v).sort()) sorted[key] = v[key];
      return sorted;
    }
    return v;
  });
}

/** Address counts across subsets. */
export function countAddresses(subsets: Subset[] | undefined): number {
  return (subsets ?? []).reduce((n, s) => n + (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0), 0);
}
