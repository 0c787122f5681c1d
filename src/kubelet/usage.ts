// The resource-usage model: what a running container consumes at a moment, as cAdvisor would
// measure it. Steady usage comes from the data (annotations) or a fraction of the container's
// requests, with gentle seeded noise that changes every 15 s (metrics-server's resolution), plus
// an optional memory growth that ends in OOMKilled once it crosses the memory limit.
import type { Container } from '../api/objects.js';
import { milliValue, parseQuantity, value } from '../apimachinery/quantity.js';
import type { ContainerBehavior } from './behavior.js';
import { Rand, unit } from './prng.js';

/** One container's usage at a moment: cpu in millicores, memory (working set) in bytes. */
export interface ContainerUsage {
  name: string;
  cpu: number;
  memory: number;
  /** RFC 3339 time of the sample. */
  timestamp: string;
}

const MI = 1024 * 1024;
// Idle usage of a family when the container requests nothing: [cpu millicores], [memory MiB].
const IDLE: Record<string, { cpu: [number, number]; mem: [number, number] }> = {
  nginx: { cpu: [1, 3], mem: [3, 8] },
  postgres: { cpu: [4, 12], mem: [25, 60] },
  redis: { cpu: [2, 6], mem: [3, 10] },
  mysql: { cpu: [8, 20], mem: [350, 450] },
  generic: { cpu: [2, 10], mem: [15, 60] },
  silent: { cpu: [0, 1], mem: [0.3, 1] },
};

function quantityOf(list: Record<string, unknown> | undefined, name: string, milli: boolean): number | undefined {
  const q = list?.[name];
  if (q === undefined || q === null) return undefined;
  try {
    const p = parseQuantity(q as string);
    return milli ? milliValue(p) : value(p);
  } catch {
    return undefined;
  }
}

/** A container's memory limit in bytes, if it has one. */
export function memoryLimit(c: Container): number | undefined {
  return quantityOf(c.resources?.limits as Record<string, unknown>, 'memory', false);
}

/** The steady (noise-free) usage a container settles at. */
export function baseUsage(c: Container, b: ContainerBehavior, family: string, seed: string): { cpu: number; memory: number } {
  const r = new Rand(`usage:${seed}`);
  const idle = IDLE[family] ?? IDLE.generic;
  const reqCpu = quantityOf(c.resources?.requests as Record<string, unknown>, 'cpu', true) ?? quantityOf(c.resources?.limits as Record<string, unknown>, 'cpu', true);
  const reqMem = quantityOf(c.resources?.requests as Record<string, unknown>, 'memory', false) ?? memoryLimit(c);
  const cpu = b.cpuMilli ?? (reqCpu ? reqCpu * r.between(0.15, 0.45) : r.between(idle.cpu[0], idle.cpu[1]));
  const memory = b.memoryBytes ?? (reqMem ? reqMem * r.between(0.45, 0.8) : r.between(idle.mem[0], idle.mem[1]) * MI);
  return { cpu, memory };
}

/** Usage at now for a container running since startedAt. */
export function usageAt(base: { cpu: number; memory: number }, b: ContainerBehavior, startedAt: number, now: number, seed: string): { cpu: number; memory: number } {
  const bucket = Math.floor(now / 15_000);
  const wave = Math.sin((2 * Math.PI * now) / 600_000 + unit(`phase:${seed}`) * 2 * Math.PI);
  const noise = unit(`noise:${seed}:${bucket}`) - 0.5;
  const cpu = Math.max(0, base.cpu * (1 + 0.12 * wave + 0.2 * noise));
  const grown = base.memory + (b.memoryGrowthPerSec * Math.max(0, now - startedAt)) / 1000;
  const memory = Math.max(0, grown * (1 + 0.03 * (unit(`mnoise:${seed}:${bucket}`) - 0.5)));
  return { cpu: Math.round(cpu), memory: Math.round(memory) };
}

/**
 * When the container is OOM-killed, in ms after start: the data's oom-after, else the moment its
 * growing memory crosses the limit (immediately if it starts above it); undefined if never.
 */
export function oomAfterMs(base: { memory: number }, b: ContainerBehavior, limit: number | undefined): number | undefined {
  if (b.oomAfterMs !== undefined) return b.oomAfterMs;
  if (limit === undefined) return undefined;
  if (base.memory >= limit) return 500;
  if (b.memoryGrowthPerSec <= 0) return undefined;
  return Math.ceil(((limit - base.memory) / b.memoryGrowthPerSec) * 1000);
}
