// What a benchmark ran on, printed with every result: numbers without the machine mean little.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

/** The machine as the report names it. */
export interface Machine {
  nproc: number;
  cpuModel: string;
  memory: string;
  node: string;
  kernel: string;
  /** The filesystem the data directories live on: device, type, size. */
  disk: string;
}

/** Describes this machine; dir is where the benchmark's databases are written. */
export function describeMachine(dir: string): Machine {
  return {
    nproc: os.availableParallelism(),
    cpuModel: cpuModel(),
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    kernel: `${os.type()} ${os.release()}`,
    disk: diskOf(dir),
  };
}

function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return m[1].trim();
  } catch {
    // not Linux: fall through to what os reports
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

// `df -T` names the device and filesystem; the block device's rotational flag tells SSD from HDD.
function diskOf(dir: string): string {
  try {
    const lines = execFileSync('df', ['-PT', dir], { encoding: 'utf8' }).trim().split('\n');
    const [device, type, blocks] = lines[lines.length - 1].split(/\s+/);
    const sizeGiB = (Number(blocks) * 1024) / 2 ** 30;
    let kind = '';
    const dev = /^\/dev\/([a-z]+)/.exec(device)?.[1];
    if (dev) {
      try {
        kind = readFileSync(`/sys/block/${dev}/queue/rotational`, 'utf8').trim() === '1' ? ', reports rotational' : ', non-rotational';
      } catch {
        kind = '';
      }
    }
    return `${device} (${type}, ${sizeGiB.toFixed(0)} GiB${kind})`;
  } catch {
    return 'unknown';
  }
}

/** Cumulative CPU time counters of the whole machine (Linux /proc/stat, in clock ticks). */
export interface CpuTimes {
  total: number;
  steal: number;
  iowait: number;
}

/** Reads the machine-wide CPU counters, or undefined where /proc/stat does not exist. */
export function cpuTimes(): CpuTimes | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already inside user)
    return { total: f.slice(0, 8).reduce((a, b) => a + b, 0), steal: f[7] ?? 0, iowait: f[4] ?? 0 };
  } catch {
    return undefined;
  }
}

/** Steal and iowait as shares of all CPU time between two readings ("" when unknown). */
export function describeCpuInterference(before: CpuTimes | undefined, after: CpuTimes | undefined): string {
  if (!before || !after || after.total <= before.total) return '';
  const total = after.total - before.total;
  const pct = (n: number) => `${((n / total) * 100).toFixed(1)}%`;
  return `steal ${pct(after.steal - before.steal)}, iowait ${pct(after.iowait - before.iowait)}`;
}

/**
 * A CPU yardstick: JSON round-trips per second of a ConfigMap-sized object for about ms. Taken at
 * the start and the end of a run, a large difference says the machine was busy with something else.
 */
export function jsonRoundTripsPerSecond(now: () => number, ms: number): number {
  const obj = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cm-000001', namespace: 'bench', labels: { app: 'bench' }, uid: '3f1c2a8e-0000-4000-8000-000000000001', creationTimestamp: '2026-01-01T00:00:00Z' },
    data: { key: 'value-1' },
  };
  let n = 0;
  let sink = 0;
  const start = now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 100; i++) sink += (JSON.parse(JSON.stringify(obj)) as { data: { key: string } }).data.key.length;
    n += 100;
    elapsed = now() - start;
  }
  return sink > 0 ? n / (elapsed / 1000) : 0;
}
