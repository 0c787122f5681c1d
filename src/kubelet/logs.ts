// Container logs as data: a log model per image family produces startup lines, periodic lines
// and last words (a crash's error, a graceful shutdown), and each container instance keeps what
// it wrote in a bounded ring buffer. Lines are produced lazily from virtual time (no timer per
// container): reading or following a log first materialises every line due by now.
import { Rand } from './prng.js';

/** One line as the runtime stores it: when it was written, and the text. */
export interface LogLine {
  ts: number;
  text: string;
}

/** What a log model may mention. */
export interface LogContext {
  namespace: string;
  pod: string;
  container: string;
  image: string;
  podIP?: string;
  /** An httpGet probe path and port, so probes show in access logs. */
  probePath?: string;
  seed: string;
}

interface Model {
  startup(ctx: LogContext, at: number): LogLine[];
  periodic(ctx: LogContext, at: number, i: number, r: Rand): string[];
  exit(ctx: LogContext, at: number, code: number, signal: boolean): string[];
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
function d(ms: number) {
  const t = new Date(ms);
  return {
    Y: t.getUTCFullYear(),
    M: pad(t.getUTCMonth() + 1),
    Mon: MONTHS[t.getUTCMonth()],
    D: pad(t.getUTCDate()),
    h: pad(t.getUTCHours()),
    m: pad(t.getUTCMinutes()),
    s: pad(t.getUTCSeconds()),
    ms: pad(t.getUTCMilliseconds(), 3),
  };
}
const nginxTime = (ms: number) => {
  const t = d(ms);
  return `${t.Y}/${t.M}/${t.D} ${t.h}:${t.m}:${t.s}`;
};
const clfTime = (ms: number) => {
  const t = d(ms);
  return `${t.D}/${t.Mon}/${t.Y}:${t.h}:${t.m}:${t.s} +0000`;
};
const pgTime = (ms: number) => {
  const t = d(ms);
  return `${t.Y}-${t.M}-${t.D} ${t.h}:${t.m}:${t.s}.${t.ms} UTC`;
};
const redisTime = (ms: number) => {
  const t = d(ms);
  return `${t.D} ${t.Mon} ${t.Y} ${t.h}:${t.m}:${t.s}.${t.ms}`;
};
const isoTime = (ms: number) => new Date(ms).toISOString();
const at = (ts: number, ...texts: string[]): LogLine[] => texts.map((text) => ({ ts, text }));
const clientIP = (r: Rand) => `192.168.${r.int(0, 95)}.${r.int(2, 254)}`;

const nginx: Model = {
  startup(_ctx, t) {
    const n = nginxTime(t + 40);
    return [
      ...at(
        t,
        '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
        '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
        '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
        '10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf',
        '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
        '/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh',
        '/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh',
        '/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh',
        '/docker-entrypoint.sh: Configuration complete; ready for start up',
      ),
      ...at(
        t + 40,
        `${n} [notice] 1#1: using the "epoll" event method`,
        `${n} [notice] 1#1: nginx/1.27.3`,
        `${n} [notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14) `,
        `${n} [notice] 1#1: OS: Linux 6.1.134-152.225.amzn2023.x86_64`,
        `${n} [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576`,
        `${n} [notice] 1#1: start worker processes`,
        `${n} [notice] 1#1: start worker process 29`,
        `${n} [notice] 1#1: start worker process 30`,
      ),
    ];
  },
  periodic(ctx, t, _i, r) {
    const probe = ctx.probePath !== undefined && r.next() < 0.5;
    const from = probe ? `192.168.${r.int(0, 95)}.${r.int(2, 254)}` : clientIP(r);
    const path = probe ? ctx.probePath! : r.pick(['/', '/', '/index.html', '/favicon.ico', '/api/health']);
    const status = path === '/favicon.ico' ? 404 : 200;
    const bytes = status === 404 ? 153 : 615;
    const agent = probe ? 'kube-probe/1.32' : r.pick(['curl/8.5.0', 'Mozilla/5.0 (X11; Linux x86_64)', 'Go-http-client/1.1']);
    return [`${from} - - [${clfTime(t)}] "GET ${path} HTTP/1.1" ${status} ${bytes} "-" "${agent}" "-"`];
  },
  exit(_ctx, t, code, signal) {
    const n = nginxTime(t);
    if (signal) return [`${n} [notice] 1#1: signal 3 (SIGQUIT) received, shutting down`, `${n} [notice] 29#29: gracefully shutting down`, `${n} [notice] 1#1: exit`];
    if (code === 0) return [`${n} [notice] 1#1: exit`];
    return [`${n} [emerg] 1#1: host not found in upstream "backend:8080" in /etc/nginx/conf.d/default.conf:14`, `nginx: [emerg] host not found in upstream "backend:8080" in /etc/nginx/conf.d/default.conf:14`];
  },
};

const postgres: Model = {
  startup(_ctx, t) {
    return [
      ...at(t, 'PostgreSQL Database directory appears to contain a database; Skipping initialization', ''),
      ...at(
        t + 20,
        `${pgTime(t + 20)} [1] LOG:  starting PostgreSQL 16.6 (Debian 16.6-1.pgdg120+1) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit`,
        `${pgTime(t + 21)} [1] LOG:  listening on IPv4 address "0.0.0.0", port 5432`,
        `${pgTime(t + 21)} [1] LOG:  listening on IPv6 address "::", port 5432`,
        `${pgTime(t + 23)} [1] LOG:  listening on Unix socket "/var/run/postgresql/.s.PGSQL.5432"`,
        `${pgTime(t + 30)} [29] LOG:  database system was shut down at ${pgTime(t - 60_000).replace(/\.\d+ /, ' ')}`,
        `${pgTime(t + 36)} [1] LOG:  database system is ready to accept connections`,
      ),
    ];
  },
  periodic(_ctx, t, _i, r) {
    const buffers = r.int(1, 40);
    return [
      `${pgTime(t)} [27] LOG:  checkpoint starting: time`,
      `${pgTime(t + 2)} [27] LOG:  checkpoint complete: wrote ${buffers} buffers (0.${r.int(0, 9)}%); 0 WAL file(s) added, 0 removed, 0 recycled; write=${(buffers * 0.1).toFixed(3)} s, sync=0.00${r.int(1, 9)} s, total=${(buffers * 0.1 + 0.01).toFixed(3)} s; sync files=${r.int(1, 9)}, longest=0.001 s, average=0.001 s; distance=${r.int(4, 200)} kB, estimate=${r.int(200, 400)} kB; lsn=0/1${r.hex(7).toUpperCase()}, redo lsn=0/1${r.hex(7).toUpperCase()}`,
    ];
  },
  exit(_ctx, t, code, signal) {
    if (signal) return [`${pgTime(t)} [1] LOG:  received fast shutdown request`, `${pgTime(t + 1)} [1] LOG:  aborting any active transactions`, `${pgTime(t + 5)} [1] LOG:  database system is shut down`];
    if (code === 0) return [`${pgTime(t)} [1] LOG:  database system is shut down`];
    return [`${pgTime(t)} [1] FATAL:  could not open file "global/pg_filenode.map": Permission denied`, `${pgTime(t)} [1] LOG:  database system is shut down`];
  },
};

const redis: Model = {
  startup(_ctx, t) {
    return at(
      t,
      `1:C ${redisTime(t)} # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo`,
      `1:C ${redisTime(t)} # Redis version=7.4.1, bits=64, commit=00000000, modified=0, pid=1, just started`,
      `1:C ${redisTime(t)} # Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf`,
      `1:M ${redisTime(t + 1)} * monotonic clock: POSIX clock_gettime`,
      `1:M ${redisTime(t + 1)} * Running mode=standalone, port=6379.`,
      `1:M ${redisTime(t + 2)} * Server initialized`,
      `1:M ${redisTime(t + 2)} * Ready to accept connections tcp`,
    );
  },
  periodic(_ctx, t, _i, r) {
    const pid = r.int(20, 900);
    return [
      `1:M ${redisTime(t)} * ${r.int(1, 100)} changes in 60 seconds. Saving...`,
      `1:M ${redisTime(t)} * Background saving started by pid ${pid}`,
      `${pid}:C ${redisTime(t + 3)} * DB saved on disk`,
      `1:M ${redisTime(t + 102)} * Background saving terminated with success`,
    ];
  },
  exit(_ctx, t, code, signal) {
    if (signal || code === 0) return [`1:signal-handler (${Math.floor(t / 1000)}) Received SIGTERM scheduling shutdown...`, `1:M ${redisTime(t)} # User requested shutdown...`, `1:M ${redisTime(t)} # Redis is now ready to exit, bye bye...`];
    return [`1:M ${redisTime(t)} # Fatal error loading the DB, check server logs. Exiting.`];
  },
};

const mysql: Model = {
  startup(_ctx, t) {
    const ts = (o: number) => isoTime(t + o).replace('Z', '000Z');
    return at(
      t,
      `${isoTime(t).replace(/\.\d+Z$/, '+00:00')} [Note] [Entrypoint]: Entrypoint script for MySQL Server 8.4.3-1.el9 started.`,
      `${ts(400)} 0 [System] [MY-015015] [Server] MySQL Server - start.`,
      `${ts(900)} 0 [System] [MY-010116] [Server] /usr/sbin/mysqld (mysqld 8.4.3) starting as process 1`,
      `${ts(2500)} 1 [System] [MY-013576] [InnoDB] InnoDB initialization has started.`,
      `${ts(4800)} 1 [System] [MY-013577] [InnoDB] InnoDB initialization has ended.`,
      `${ts(5500)} 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '8.4.3'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.`,
    );
  },
  periodic() {
    return [];
  },
  exit(_ctx, t, code, signal) {
    const ts = isoTime(t).replace('Z', '000Z');
    if (signal || code === 0) return [`${ts} 0 [System] [MY-013172] [Server] Received SHUTDOWN from user <via user signal>. Shutting down mysqld (Version: 8.4.3).`, `${ts} 0 [System] [MY-010910] [Server] /usr/sbin/mysqld: Shutdown complete (mysqld 8.4.3)  MySQL Community Server - GPL.`];
    return [`${ts} 0 [ERROR] [MY-010119] [Server] Aborting`];
  },
};

const generic: Model = {
  startup(ctx, t) {
    return at(
      t,
      `time="${isoTime(t)}" level=info msg="starting ${ctx.container}" image="${ctx.image}"`,
      `time="${isoTime(t + 15)}" level=info msg="listening" addr=":8080"`,
    );
  },
  periodic(ctx, t, _i, r) {
    const probe = ctx.probePath !== undefined && r.next() < 0.4;
    const path = probe ? ctx.probePath : r.pick(['/', '/api/v1/items', '/api/v1/orders', '/metrics']);
    return [`time="${isoTime(t)}" level=info msg="request handled" method=GET path=${path} status=200 duration=${r.int(1, 40)}ms remote=${clientIP(r)}`];
  },
  exit(ctx, t, code, signal) {
    if (signal) return [`time="${isoTime(t)}" level=info msg="received signal, shutting down" signal=terminated`];
    if (code === 0) return [`time="${isoTime(t)}" level=info msg="${ctx.container} finished" exitCode=0`];
    return [`time="${isoTime(t)}" level=error msg="unrecoverable error, exiting" error="simulated failure" exitCode=${code}`];
  },
};

const silent: Model = {
  startup: () => [],
  periodic: () => [],
  exit: () => [],
};

const MODELS: Record<string, Model> = { nginx, postgres, redis, mysql, generic, silent };

/** A bounded ring of lines. */
export class LogRing {
  private readonly buf: LogLine[] = [];
  private start = 0;
  /** Lines ever pushed (the ring holds the last `length` of them). */
  pushed = 0;

  constructor(private readonly max = 2000) {}

  push(line: LogLine): void {
    this.pushed++;
    if (this.buf.length < this.max) this.buf.push(line);
    else {
      this.buf[this.start] = line;
      this.start = (this.start + 1) % this.max;
    }
  }

  /** Every line held, oldest first. */
  lines(): LogLine[] {
    return this.start === 0 ? this.buf.slice() : [...this.buf.slice(this.start), ...this.buf.slice(0, this.start)];
  }

  get length(): number {
    return this.buf.length;
  }

  /** The lines pushed after the first `n` ever pushed (those still held). */
  linesAfter(n: number): LogLine[] {
    const all = this.lines();
    const firstHeld = this.pushed - all.length;
    return all.slice(Math.max(0, n - firstHeld));
  }
}

/** One container instance's log: produced lazily, bounded, followable. */
export class ContainerLog {
  readonly ring: LogRing;
  private readonly model: Model;
  private readonly pending: LogLine[];
  private nextPeriodic: number;
  private periodicIndex = 0;
  private readonly rand: Rand;
  private stoppedAt?: number;
  private readonly waiters = new Set<() => void>();

  constructor(
    family: string,
    private readonly ctx: LogContext,
    startedAt: number,
    private readonly intervalMs: number,
    maxLines = 2000,
  ) {
    this.ring = new LogRing(maxLines);
    this.model = MODELS[family] ?? generic;
    this.rand = new Rand(`log:${ctx.seed}`);
    this.pending = this.model.startup(ctx, startedAt);
    this.nextPeriodic = Number.isFinite(intervalMs) ? startedAt + Math.max(1000, intervalMs) : Infinity;
  }

  /** Writes every line due at or before now into the ring. */
  produce(now: number): void {
    const limit = this.stoppedAt === undefined ? now : Math.min(now, this.stoppedAt);
    let wrote = false;
    while (this.pending.length && this.pending[0].ts <= limit) {
      this.ring.push(this.pending.shift()!);
      wrote = true;
    }
    while (this.nextPeriodic <= limit) {
      for (const text of this.model.periodic(this.ctx, this.nextPeriodic, this.periodicIndex++, this.rand)) this.ring.push({ ts: this.nextPeriodic, text });
      this.nextPeriodic += this.intervalMs * this.rand.between(0.6, 1.4);
      wrote = true;
    }
    if (wrote) this.wake();
  }

  /** When the next line is due (Infinity: none until the container stops). */
  nextDue(): number {
    if (this.stoppedAt !== undefined) return Infinity;
    return Math.min(this.pending[0]?.ts ?? Infinity, this.nextPeriodic);
  }

  /** The container's last words, then no more lines. signal: it was stopped rather than exited. */
  stop(at: number, exitCode: number, signal: boolean, lastWords = true): void {
    if (this.stoppedAt !== undefined) return;
    this.produce(at);
    this.stoppedAt = at;
    this.pending.length = 0;
    if (lastWords) for (const text of this.model.exit(this.ctx, at, exitCode, signal)) this.ring.push({ ts: at, text });
    this.wake();
  }

  get stopped(): boolean {
    return this.stoppedAt !== undefined;
  }

  /** Resolves on the next line or stop. */
  changed(): Promise<void> {
    return new Promise((r) => this.waiters.add(r));
  }

  private wake(): void {
    const ws = [...this.waiters];
    this.waiters.clear();
    for (const w of ws) w();
  }
}

/** Kubelet's --timestamps format: RFC 3339 with nanoseconds. */
export function logTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}
