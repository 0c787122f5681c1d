// The shape every controller shares (ARCHITECTURE "Controller"): informer callbacks only enqueue a
// key, N workers call a level-triggered sync(key) that re-reads from the cache, errors requeue with
// rate limiting, NotFound means there is nothing left to do. Constructors take a config object with
// an injectable clock; start(signal) returns at once and the signal stops everything (kwok's style).
import { StatusError } from '../apimachinery/errors.js';
import { DeletedFinalStateUnknown, metaNamespaceKey, stderrLogger, type Logger } from '../client/informer.js';
import { WorkQueue, type RateLimiter } from '../client/workqueue.js';
import type { KubeObject } from '../api/types.js';
import type { Clock } from '../sim/clock.js';

/** What every controller's config carries. */
export interface ControllerConfig {
  clock: Clock;
  /** Concurrent sync workers (kube-controller-manager's --concurrent-* flags). */
  workers?: number;
  rateLimiter?: RateLimiter<string>;
  log?: Logger;
}

/** A queue-driven controller: subclasses wire informers to enqueue() and implement sync(). */
export abstract class Controller {
  readonly queue: WorkQueue<string>;
  protected readonly clock: Clock;
  protected readonly log: Logger;
  private readonly workers: number;

  constructor(
    /** The controller's name, as kube-controller-manager logs it ("deployment", "garbagecollector"). */
    readonly name: string,
    config: ControllerConfig,
  ) {
    this.clock = config.clock;
    this.log = config.log ?? stderrLogger;
    this.workers = Math.max(1, config.workers ?? 1);
    this.queue = new WorkQueue<string>({ clock: config.clock, name, rateLimiter: config.rateLimiter });
  }

  /** Brings one key's world in line with its desired state; throw to be retried later. */
  protected abstract sync(key: string): Promise<void>;

  /** Runs before the workers start (start informers, register handlers). Must not block. */
  protected run(_signal: AbortSignal): void | Promise<void> {}

  /** Enqueues an object's "ns/name" key (tombstones included), as informer handlers should. */
  enqueue(obj: KubeObject | DeletedFinalStateUnknown): void {
    this.queue.add(metaNamespaceKey(obj));
  }

  /** Starts the workers; returns at once. Aborting the signal shuts the queue down. */
  start(signal: AbortSignal): void {
    if (signal.aborted) return;
    signal.addEventListener('abort', () => this.queue.shutDown(), { once: true });
    void Promise.resolve(this.run(signal)).then(
      () => {
        for (let i = 0; i < this.workers; i++) void this.worker();
      },
      (e) => this.log(`${this.name}: failed to start`, e),
    );
  }

  /** Resolves once no key is queued or being synced (delayed retries excluded); for tests. */
  whenIdle(): Promise<void> {
    return this.queue.whenIdle();
  }

  private async worker(): Promise<void> {
    for (;;) {
      const next = await this.queue.get();
      if (next.shutdown) return;
      await this.processNext(next.item);
    }
  }

  private async processNext(key: string): Promise<void> {
    try {
      await this.sync(key);
      this.queue.forget(key);
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) {
        this.queue.forget(key);
      } else {
        this.log(`${this.name}: error syncing ${JSON.stringify(key)}, requeuing`, e);
        this.queue.addRateLimited(key);
      }
    } finally {
      this.queue.done(key);
    }
  }
}
