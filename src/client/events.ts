// An event recorder as client-go's tools/record builds one: components report what happened to an
// object as core/v1 Events, named "<object>.<hex nanoseconds>", and repeats of the same event
// (same object, type, reason, message and source) are folded into one Event whose count and
// lastTimestamp grow, as the EventCorrelator's de-duplication does. Writes are fire-and-forget:
// losing an event never fails the caller.
import type { KubeObject } from '../api/types.js';
import type { Event } from '../api/objects.js';
import { rfc3339, rfc3339Micro, type Clock } from '../sim/clock.js';
import { stderrLogger, type Logger } from './informer.js';
import { isNotFound, type ResourceClient, type RestClient } from './rest.js';
import { EVENTS } from './refs.js';

/** Who reports: source.component ("default-scheduler", "deployment-controller", "kubelet") and host. */
export interface EventSource {
  component: string;
  host?: string;
}

export type EventType = 'Normal' | 'Warning';

/** What the recorder needs. */
export interface EventRecorderConfig {
  client: RestClient;
  clock: Clock;
  source: EventSource;
  log?: Logger;
  /** Distinct events remembered for de-duplication (client-go's maxLruCacheEntries). */
  cacheSize?: number;
}

interface Seen {
  namespace: string;
  name: string;
  count: number;
  firstTimestamp: string;
}

/** Records events about objects; see the module comment. */
export class EventRecorder {
  private readonly events: ResourceClient<Event>;
  private readonly seen = new Map<string, Seen>();
  private readonly log: Logger;
  private readonly cacheSize: number;
  private pending: Promise<unknown> = Promise.resolve();
  /** Events written (created or folded), for tests and benchmarks. */
  written = 0;
  // Names events recorded in the same millisecond apart, even while earlier writes are in flight;
  // it starts at a random point so recorders writing at the same virtual instant do not collide.
  private seq = Math.floor(Math.random() * 1_000_000);

  constructor(private readonly config: EventRecorderConfig) {
    this.events = config.client.resource<Event>(EVENTS);
    this.log = config.log ?? stderrLogger;
    this.cacheSize = config.cacheSize ?? 4096;
  }

  /** Records an event about obj (an object with apiVersion and kind). */
  event(obj: KubeObject, type: EventType, reason: string, message: string): void {
    const p = this.record(obj, type, reason, message).catch((e) => this.log(`${this.config.source.component}: event ${reason} on ${obj.metadata.name} dropped`, e));
    this.pending = this.pending.then(() => p);
  }

  /** Resolves once every event recorded so far is written (or dropped); for tests. */
  flush(): Promise<void> {
    return this.pending.then(() => undefined);
  }

  private async record(obj: KubeObject, type: EventType, reason: string, message: string): Promise<void> {
    const namespace = obj.metadata.namespace || 'default';
    const involvedObject = {
      kind: obj.kind,
      namespace: obj.metadata.namespace,
      name: obj.metadata.name,
      uid: obj.metadata.uid,
      apiVersion: obj.apiVersion,
      resourceVersion: obj.metadata.resourceVersion,
      ...(obj.fieldPath ? { fieldPath: obj.fieldPath as string } : {}),
    };
    const src = this.config.source;
    const key = [src.component, src.host ?? '', involvedObject.kind, involvedObject.namespace ?? '', involvedObject.name, involvedObject.uid ?? '', involvedObject.fieldPath ?? '', type, reason, message].join('\u0000');
    const now = Math.floor(this.config.clock.now());
    const ts = rfc3339(now);
    const prior = this.seen.get(key);
    if (prior) {
      prior.count++;
      this.touch(key, prior);
      try {
        await this.events.namespace(prior.namespace).patch(prior.name, 'merge', { count: prior.count, lastTimestamp: ts });
        this.written++;
        return;
      } catch (e) {
        if (!isNotFound(e)) throw e;
        this.seen.delete(key); // expired or deleted: start a new series below
      }
    }
    const name = `${obj.metadata.name}.${(BigInt(now) * 1_000_000n + BigInt(this.seq++ % 1_000_000)).toString(16)}`;
    const event: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject,
      reason,
      message,
      source: src.host ? { component: src.component, host: src.host } : { component: src.component },
      firstTimestamp: ts,
      lastTimestamp: ts,
      count: 1,
      type,
      eventTime: null as unknown as undefined,
      reportingComponent: src.component,
      reportingInstance: src.host ?? '',
    };
    await this.events.namespace(namespace).create(event);
    this.written++;
    this.touch(key, { namespace, name, count: 1, firstTimestamp: ts });
  }

  // A Map keeps insertion order, so re-inserting makes it an LRU.
  private touch(key: string, s: Seen): void {
    this.seen.delete(key);
    this.seen.set(key, s);
    if (this.seen.size > this.cacheSize) this.seen.delete(this.seen.keys().next().value!);
  }
}

/** The micro-time format events.k8s.io uses, re-exported for components that set eventTime. */
export { rfc3339Micro };
