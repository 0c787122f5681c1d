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

/** Machine-wide busy CPU and the CPU of named processes, to tell how much other work shared the run. */
export interface CpuShare {
  machineBusy: number;
  ours: number;
  total: number;
}

/** utime + stime, in clock ticks, from a Linux /proc stat file (a process's or a thread's); undefined if unreadable. */
function statTicks(path: string): number | undefined {
  try {
    const stat = readFileSync(path, 'utf8');
    // Fields after "(comm)": state is field 3, utime 14 and stime 15 (1-based, comm may hold spaces).
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return undefined;
  }
}

function procTicks(pid: number | 'self'): number {
  return statTicks(`/proc/${pid}/stat`) ?? 0;
}

/** Reads machine busy ticks and the ticks used so far by this process and pids. */
export function cpuShare(pids: number[]): CpuShare | undefined {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
    const total = f.reduce((a, b) => a + b, 0);
    const idle = f[3] + f[4];
    return { machineBusy: total - idle, ours: procTicks('self') + pids.reduce((a, p) => a + procTicks(p), 0), total };
  } catch {
    return undefined;
  }
}

/** The share of the machine's CPU that processes other than ours used between two readings. */
export function othersShare(before: CpuShare | undefined, after: CpuShare | undefined): number | undefined {
  if (!before || !after || after.total <= before.total) return undefined;
  const others = after.machineBusy - before.machineBusy - (after.ours - before.ours);
  return Math.max(0, others) / (after.total - before.total);
}

/**
 * CPU seconds used so far by this process's main (JavaScript) thread alone, from Linux
 * /proc/self/task/<pid>/stat (10 ms ticks); undefined elsewhere. Process CPU also counts V8's GC
 * and compiler threads and SQLite's checkpointer; wall time also counts the time a shared host
 * takes the CPU away. The event loop's own CPU is what a virtual hour is bounded by.
 */
export function mainThreadCpuSeconds(): number | undefined {
  if (process.platform !== 'linux') return undefined;
  const ticks = statTicks(`/proc/self/task/${process.pid}/stat`);
  return ticks === undefined ? undefined : ticks / 100;
}

/**
 * Microseconds of the monotonic clock V8's --cpu-prof timestamps use, so a profile can be cut to
 * one phase (`cpuprofile-top --from-us A --to-us B`).
 */
export const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);
