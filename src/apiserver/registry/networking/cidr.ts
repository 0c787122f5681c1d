// Just enough IP arithmetic for NetworkPolicy ipBlocks: parse a CIDR to a masked network and ask
// whether one block lies strictly inside another (net.IPNet.Contains and Mask.Size upstream).
import { isIP } from 'node:net';

/** A parsed CIDR: its masked network address as a number, its prefix length and family. */
export interface Cidr {
  network: bigint;
  prefix: number;
  bits: 32 | 128;
}

function ipToBigInt(ip: string): bigint | undefined {
  const family = isIP(ip);
  if (family === 4) return ip.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
  if (family !== 6) return undefined;
  let text = ip;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hex groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = ipToBigInt(v4[1])!;
    text = text.slice(0, v4.index) + `${((n >> 16n) & 0xffffn).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array(tail !== undefined ? missing : 0).fill('0'), ...tailGroups];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g || '0', 16)), 0n);
}

/** ParseCIDR: undefined when the text is not a CIDR. */
export function parseCidr(text: unknown): Cidr | undefined {
  if (typeof text !== 'string') return undefined;
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const ip = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  const family = isIP(ip);
  if (family === 0 || !/^[0-9]+$/.test(prefixText)) return undefined;
  const bits = family === 4 ? 32 : 128;
  const prefix = Number(prefixText);
  if (prefix > bits) return undefined;
  const addr = ipToBigInt(ip)!;
  const mask = ((1n << BigInt(prefix)) - 1n) << BigInt(bits - prefix);
  return { network: addr & mask, prefix, bits };
}

/** True when inner is a strict subset of outer (same family, longer prefix, inside it). */
export function isStrictSubset(inner: Cidr, outer: Cidr): boolean {
  if (inner.bits !== outer.bits || inner.prefix <= outer.prefix) return false;
  const shift = BigInt(outer.bits - outer.prefix);
  return inner.network >> shift === outer.network >> shift;
}
