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
        kind = readFileSync(`/sys/block/${dev}/queue/rotational`, 'utf8').trim() === '1' ? ', rotational' : ', non-rotational';
      } catch {
        kind = '';
      }
    }
    return `${device} (${type}, ${sizeGiB.toFixed(0)} GiB${kind})`;
  } catch {
    return 'unknown';
  }
}
