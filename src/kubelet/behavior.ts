// The data convention that decides how a simulated container behaves (docs/simulation.md).
// Nothing here is code per failure mode: a container's behaviour is a record of delays and
// outcomes, resolved from (lowest to highest precedence) built-in defaults, the image family's
// defaults, the image-name convention, pod annotations `sim.skiff.dev/<key>` and per-container
// annotations `<container>.sim.skiff.dev/<key>`. The pod worker turns the record into stages.
import type { Container, Pod } from '../api/objects.js';
import { milliValue, parseQuantity, value } from '../apimachinery/quantity.js';
import { parseDuration } from './duration.js';
import { imageDoesNotExist, parseImage } from './images.js';
import { Rand } from './prng.js';

export const ANNOTATION_PREFIX = 'sim.skiff.dev/';

/** How one container behaves, in milliseconds and plain numbers. */
export interface ContainerBehavior {
  /** Image pull time; undefined: derived from the image size. */
  pullMs?: number;
  /** Pull attempts that fail before one succeeds (Infinity: the image does not exist). */
  pullFailures: number;
  /** From "create" to the process running. */
  startMs: number;
  /** Exit after this long running (crash or completion); undefined: runs until stopped. */
  exitAfterMs?: number;
  exitCode: number;
  /** How many instances exit as above; later instances keep running (Infinity: all). */
  exitTimes: number;
  /** The startup probe passes this long after start. */
  startupMs: number;
  /** The readiness probe passes from readyAfterMs (Infinity: never) until notReadyAfterMs. */
  readyAfterMs: number;
  notReadyAfterMs?: number;
  /** The liveness probe fails from this long after start. */
  livenessFailAfterMs?: number;
  /** HTTP status failing httpGet probes answer with. */
  readinessFailStatus: number;
  livenessFailStatus: number;
  /** Time to exit after SIGTERM. */
  shutdownMs: number;
  /** Steady usage; undefined: a fraction of requests. */
  cpuMilli?: number;
  memoryBytes?: number;
  /** Memory growth in bytes per second (leaks); with a memory limit this ends in OOMKilled. */
  memoryGrowthPerSec: number;
  /** OOM-killed this long after start, whatever the memory model says. */
  oomAfterMs?: number;
  /** The log model ("nginx", "postgres", "redis", "mysql", "generic", "silent"). */
  log: string;
  logIntervalMs: number;
}

/** The log and usage family of an image. */
export function imageFamily(image: string): string {
  const name = parseImage(image).name.toLowerCase();
  if (name.includes('nginx') || name === 'httpd' || name.includes('apache')) return 'nginx';
  if (name.includes('postgres') || name === 'postgis') return 'postgres';
  if (name.includes('redis') || name.includes('valkey')) return 'redis';
  if (name.includes('mysql') || name.includes('mariadb')) return 'mysql';
  if (name === 'busybox' || name === 'alpine' || name === 'pause') return 'silent';
  return 'generic';
}

// Family defaults: databases take a moment before they accept connections.
const FAMILY: Record<string, Partial<ContainerBehavior>> = {
  postgres: { readyAfterMs: 1500, startupMs: 1500 },
  mysql: { readyAfterMs: 6000, startupMs: 6000 },
  redis: {},
  nginx: {},
  generic: {},
  silent: {},
};

/** Reads one key: the container's own annotation wins over the pod-wide one. */
function lookup(ann: Record<string, string>, container: string, key: string): string | undefined {
  return ann[`${container}.${ANNOTATION_PREFIX}${key}`] ?? ann[`${ANNOTATION_PREFIX}${key}`];
}

function duration(ann: Record<string, string>, c: string, key: string): number | undefined {
  const v = lookup(ann, c, key);
  if (v === undefined) return undefined;
  if (/^(never|forever|none)$/i.test(v.trim())) return Infinity;
  return parseDuration(v);
}

function int(ann: Record<string, string>, c: string, key: string): number | undefined {
  const v = lookup(ann, c, key);
  if (v === undefined) return undefined;
  if (/^(always|forever)$/i.test(v.trim())) return Infinity;
  const n = Number(v);
  return Number.isFinite(n) ? Math.trunc(n) : undefined;
}

function quantity(ann: Record<string, string>, c: string, key: string, milli: boolean): number | undefined {
  const v = lookup(ann, c, key);
  if (v === undefined) return undefined;
  try {
    const q = parseQuantity(v.replace(/\/s$/, ''));
    return milli ? milliValue(q) : value(q);
  } catch {
    return undefined;
  }
}

/**
 * Resolves a container's behaviour. restartPolicy Never/OnFailure pods run to completion (exit 0
 * after 5–10 s) unless the data says otherwise; Always pods run until stopped.
 */
export function resolveBehavior(pod: Pod, container: Container, kind: 'init' | 'sidecar' | 'regular'): ContainerBehavior {
  const ann = pod.metadata.annotations ?? {};
  const c = container.name;
  const image = container.image ?? '';
  const family = imageFamily(image);
  const r = new Rand(`behavior:${pod.metadata.uid}:${c}`);
  const restartPolicy = pod.spec?.restartPolicy ?? 'Always';
  const b: ContainerBehavior = {
    pullFailures: imageDoesNotExist(parseImage(image)) ? Infinity : 0,
    startMs: Math.round(r.between(80, 350)),
    exitCode: 0,
    exitTimes: Infinity,
    startupMs: 0,
    readyAfterMs: 0,
    readinessFailStatus: 503,
    livenessFailStatus: 500,
    shutdownMs: Math.round(r.between(100, 800)),
    memoryGrowthPerSec: 0,
    log: family,
    logIntervalMs: family === 'silent' ? Infinity : Math.round(r.between(8000, 20000)),
    ...FAMILY[family],
  };
  // Init containers (not sidecars) and run-to-completion pods finish by default.
  if (kind === 'init') b.exitAfterMs = Math.round(r.between(500, 2000));
  else if (kind === 'regular' && restartPolicy !== 'Always') b.exitAfterMs = Math.round(r.between(5000, 10000));
  // Most pods say nothing about their simulation: skip the two dozen lookups below.
  if (!Object.keys(ann).some((k) => k.includes(ANNOTATION_PREFIX))) return b;

  const pullMs = duration(ann, c, 'pull-time');
  if (pullMs !== undefined) b.pullMs = pullMs;
  const pull = lookup(ann, c, 'image-pull');
  if (pull !== undefined) b.pullFailures = /^fail/i.test(pull) ? Infinity : 0;
  const pullFailures = int(ann, c, 'image-pull-failures');
  if (pullFailures !== undefined) b.pullFailures = pullFailures;
  const start = duration(ann, c, 'start-time');
  if (start !== undefined) b.startMs = start;

  const runTime = duration(ann, c, 'run-time');
  if (runTime !== undefined) b.exitAfterMs = runTime === Infinity ? undefined : runTime;
  const crashAfter = duration(ann, c, 'crash-after');
  if (crashAfter !== undefined && crashAfter !== Infinity) {
    b.exitAfterMs = b.exitAfterMs === undefined ? crashAfter : Math.min(b.exitAfterMs, crashAfter);
    b.exitCode = 1;
  }
  const exitCode = int(ann, c, 'exit-code');
  if (exitCode !== undefined) b.exitCode = exitCode;
  const times = int(ann, c, 'crash-times');
  if (times !== undefined) b.exitTimes = times;

  const startup = duration(ann, c, 'startup-time');
  if (startup !== undefined) b.startupMs = startup;
  const readiness = lookup(ann, c, 'readiness');
  if (readiness !== undefined && /^fail/i.test(readiness)) b.readyAfterMs = Infinity;
  const readyAfter = duration(ann, c, 'ready-after');
  if (readyAfter !== undefined) b.readyAfterMs = readyAfter;
  const notReadyAfter = duration(ann, c, 'not-ready-after');
  if (notReadyAfter !== undefined) b.notReadyAfterMs = notReadyAfter;
  const liveness = lookup(ann, c, 'liveness');
  if (liveness !== undefined && /^fail/i.test(liveness)) b.livenessFailAfterMs = 0;
  const livenessAfter = duration(ann, c, 'liveness-fail-after');
  if (livenessAfter !== undefined) b.livenessFailAfterMs = livenessAfter;
  const status = int(ann, c, 'probe-status');
  if (status !== undefined) {
    b.readinessFailStatus = status;
    b.livenessFailStatus = status;
  }
  const shutdown = duration(ann, c, 'shutdown-time');
  if (shutdown !== undefined) b.shutdownMs = shutdown;

  const cpu = quantity(ann, c, 'cpu', true);
  if (cpu !== undefined) b.cpuMilli = cpu;
  const memory = quantity(ann, c, 'memory', false);
  if (memory !== undefined) b.memoryBytes = memory;
  const growth = quantity(ann, c, 'memory-growth', false);
  if (growth !== undefined) b.memoryGrowthPerSec = growth;
  const oomAfter = duration(ann, c, 'oom-after');
  if (oomAfter !== undefined && oomAfter !== Infinity) b.oomAfterMs = oomAfter;

  const log = lookup(ann, c, 'log');
  if (log !== undefined) b.log = log;
  const logInterval = duration(ann, c, 'log-interval');
  if (logInterval !== undefined) b.logIntervalMs = logInterval;
  return b;
}
