// Copies a WAL database's committed pages back into the database file from a worker thread. SQLite
// does that (a checkpoint) inside whichever commit pushes the WAL past 1,000 pages, and with
// synchronous=NORMAL a checkpoint is where the fsyncs happen: on this project's machine it took
// about 45% of all commit time and made one commit in ~100 wait ~13 ms. A PASSIVE checkpoint on a
// second connection runs beside the writer (WAL mode lets it), so the event loop waits on it no more.
// It cannot finish while the writer keeps appending, though, and SQLite only starts the WAL over
// after a checkpoint that copied every frame; so once the WAL holds CHECKPOINT_INLINE_AFTER_BYTES,
// the writer runs one itself as soon as the worker's pass ends, with only the frames since to copy.
// Durability is unchanged: a commit is in the WAL when it returns either way; the checkpoint only
// moves pages from the WAL to the main file.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// The worker: its own connection, one PASSIVE checkpoint per request, closed on request.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
parentPort.on('message', (m) => {
  if (m === 'checkpoint') {
    let ok = true;
    try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { ok = false; }
    parentPort.postMessage(ok);
  } else if (m === 'close') {
    db.close();
    parentPort.close();
  }
});
`;

/** Roughly SQLite's own trigger: 1,000 pages of 4 KiB. */
export const CHECKPOINT_AFTER_BYTES = 4 * 1024 * 1024;
/** How far the WAL grows before the writer completes a checkpoint itself (so the WAL starts over). */
export const CHECKPOINT_INLINE_AFTER_BYTES = 16 * 1024 * 1024;
/** A worker this far behind (stuck, or gone) no longer counts: the writer checkpoints. */
const WORKER_STUCK_AFTER_BYTES = 4 * CHECKPOINT_INLINE_AFTER_BYTES;

export class WalCheckpointer {
  private worker?: Worker;
  private exited?: Promise<void>;
  private running = false;
  private failed = false;
  private closing = false;
  private pending = 0;
  private sinceCheckpoint = 0;

  /** inline runs a checkpoint on the writer's own connection (the fallback). */
  constructor(
    private readonly path: string,
    private readonly inline: () => void,
  ) {}

  /** A commit wrote about bytes to the WAL. */
  committed(bytes: number): void {
    this.pending += bytes;
    this.sinceCheckpoint += bytes;
    // A worker that failed leaves every checkpoint to the writer, as SQLite itself would run them.
    if (this.sinceCheckpoint >= WORKER_STUCK_AFTER_BYTES || (this.failed && this.pending >= CHECKPOINT_AFTER_BYTES)) {
      this.complete();
      return;
    }
    if (this.running || this.failed || this.pending < CHECKPOINT_AFTER_BYTES) return;
    this.pending = 0;
    this.running = true;
    (this.worker ??= this.spawn()).postMessage('checkpoint');
  }

  // Never throws: a checkpoint that fails (the database busy or closing) is only tried again later,
  // and the commit that asked for it has already been acknowledged and must still reach watchers.
  private complete(): void {
    if (this.closing) return;
    try {
      this.inline();
      this.pending = 0;
      this.sinceCheckpoint = 0;
    } catch {
      // the next commit asks again
    }
  }

  /** Stops the worker (after a checkpoint in progress), closing its connection first. */
  async close(): Promise<void> {
    this.closing = true;
    const w = this.worker;
    this.worker = undefined;
    if (!w) return;
    // Kept alive until it has closed its connection (it is unref'd otherwise).
    w.ref();
    w.postMessage('close');
    await this.exited;
  }

  private spawn(): Worker {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, path: this.path } });
    this.exited = new Promise((resolve) => w.once('exit', () => resolve()));
    w.on('message', () => {
      this.running = false;
      // Just after the worker's pass, little is left to copy: finish it here, so the WAL starts over.
      if (this.sinceCheckpoint >= CHECKPOINT_INLINE_AFTER_BYTES) this.complete();
    });
    // A worker that cannot run (no threads, a driver that will not load) leaves checkpoints to the
    // writer, as SQLite would have done them.
    w.on('error', () => {
      this.failed = true;
      this.running = false;
    });
    // Not a reason to keep the process alive.
    w.unref();
    return w;
  }
}
