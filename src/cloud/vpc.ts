// Simulated VPC networking: subnets per availability zone carved from the VPC's CIDR, and the
// addresses in them. AWS keeps the first four addresses and the last of every subnet. A node takes
// one address for itself and, as the VPC CNI's secondary IPs, an aligned block big enough for its
// max pods (pod IPs come from the node's own subnet, as on EKS).

/** Availability zones and their zone IDs, per region (the IDs are the account-independent names). */
export const REGION_ZONES: Record<string, { zone: string; zoneId: string }[]> = {
  'us-east-1': [
    { zone: 'us-east-1a', zoneId: 'use1-az1' },
    { zone: 'us-east-1b', zoneId: 'use1-az2' },
    { zone: 'us-east-1c', zoneId: 'use1-az4' },
    { zone: 'us-east-1d', zoneId: 'use1-az6' },
    { zone: 'us-east-1f', zoneId: 'use1-az5' },
  ],
  'us-east-2': [
    { zone: 'us-east-2a', zoneId: 'use2-az1' },
    { zone: 'us-east-2b', zoneId: 'use2-az2' },
    { zone: 'us-east-2c', zoneId: 'use2-az3' },
  ],
  'us-west-2': [
    { zone: 'us-west-2a', zoneId: 'usw2-az1' },
    { zone: 'us-west-2b', zoneId: 'usw2-az2' },
    { zone: 'us-west-2c', zoneId: 'usw2-az3' },
    { zone: 'us-west-2d', zoneId: 'usw2-az4' },
  ],
  'eu-west-1': [
    { zone: 'eu-west-1a', zoneId: 'euw1-az1' },
    { zone: 'eu-west-1b', zoneId: 'euw1-az2' },
    { zone: 'eu-west-1c', zoneId: 'euw1-az3' },
  ],
};

/** The zones of a region; regions skiff has no table for get a, b and c. */
export function zonesOf(region: string): { zone: string; zoneId: string }[] {
  return REGION_ZONES[region] ?? ['a', 'b', 'c'].map((l, i) => ({ zone: `${region}${l}`, zoneId: `${region.replace(/-/g, '').slice(0, 4)}-az${i + 1}` }));
}

export interface Subnet {
  subnetId: string;
  cidr: string;
  zone: string;
  zoneId: string;
  public: boolean;
}

export const ipToInt = (ip: string) => ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
export const intToIp = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

export function parseCidr(cidr: string): { base: number; prefix: number; size: number } {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(cidr);
  if (!m || m[1].split('.').some((o) => Number(o) > 255) || Number(m[2]) > 32) throw new Error(`invalid CIDR address: ${cidr}`);
  const prefix = Number(m[2]);
  const size = 2 ** (32 - prefix);
  const base = Math.floor(ipToInt(m[1]) / size) * size;
  return { base, prefix, size };
}

/**
 * eksctl's layout of a VPC over zones: the CIDR split in /19s (for a /16), public subnets first, then
 * private ones, one of each per zone.
 */
export function eksctlSubnets(vpcCidr: string, zones: { zone: string; zoneId: string }[], id: (n: number) => string): Subnet[] {
  const { base, prefix } = parseCidr(vpcCidr);
  const subPrefix = Math.min(prefix + 3, 28);
  const step = 2 ** (32 - subPrefix);
  const out: Subnet[] = [];
  [true, false].forEach((isPublic, k) =>
    zones.forEach((z, i) => {
      const n = k * zones.length + i;
      out.push({ subnetId: id(n), cidr: `${intToIp(base + n * step)}/${subPrefix}`, zone: z.zone, zoneId: z.zoneId, public: isPublic });
    }),
  );
  return out;
}

/** The next power of two at or above n. */
const pow2 = (n: number) => 2 ** Math.ceil(Math.log2(Math.max(n, 1)));

/** Thrown when a subnet has no room left; the message is EC2's. */
export class InsufficientAddressesError extends Error {}

/** The addresses in use in one subnet. */
export class SubnetAddresses {
  private readonly base: number;
  private readonly size: number;
  private readonly used = new Set<number>();

  constructor(readonly subnet: Subnet) {
    const c = parseCidr(subnet.cidr);
    this.base = c.base;
    this.size = c.size;
  }

  /** Marks an address (or a block) taken, for instances that already exist. */
  reserve(ip: string, count = 1): void {
    const off = ipToInt(ip) - this.base;
    for (let i = 0; i < count; i++) this.used.add(off + i);
  }

  /** Whether ip lies in this subnet. */
  contains(ip: string): boolean {
    const off = ipToInt(ip) - this.base;
    return off >= 0 && off < this.size;
  }

  /** How many addresses are left to hand out. */
  free(): number {
    let used = 0;
    for (const off of this.used) if (off >= 4 && off < this.size - 1) used++;
    return this.size - 5 - used;
  }

  /** The lowest free address (AWS keeps .0–.3 and the last). */
  allocateAddress(): string {
    for (let off = 4; off < this.size - 1; off++) {
      if (!this.used.has(off)) {
        this.used.add(off);
        return intToIp(this.base + off);
      }
    }
    throw new InsufficientAddressesError(`There are not enough free addresses in subnet '${this.subnet.subnetId}' to satisfy the requested number of instances.`);
  }

  /** The highest free aligned block of at least count addresses, as a CIDR; undefined when none. */
  allocateBlock(count: number): string | undefined {
    const size = pow2(count);
    for (let off = this.size - size; off >= 0; off -= size) {
      if (off < 4 || off + size > this.size - 1) continue;
      let free = true;
      for (let i = 0; i < size && free; i++) free = !this.used.has(off + i);
      if (!free) continue;
      for (let i = 0; i < size; i++) this.used.add(off + i);
      return `${intToIp(this.base + off)}/${32 - Math.log2(size)}`;
    }
    return undefined;
  }
}
