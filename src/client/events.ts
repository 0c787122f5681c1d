// An event recorder as client-go's tools/record builds one: components report what happened to an
// object as core/v1 Events, named "<object>.<hex nanoseconds>", passed through the EventCorrelator:
// - aggregation: from the 10th event within 10 minutes that differs from the ones before only by
//   its message (same source, object, type and reason), one "(combined from similar events): …"
//   Event stands for them all;
// - de-duplication: repeats of the same event are folded into one Event whose count, message and
//   lastTimestamp are patched;
// - the spam filter: each source may write 25 events about one object at once, then one every five
//   minutes (a token bucket on the clock); the rest are dropped. A ReplicaSet creating thousands of
//   pods therefore leaves 25 SuccessfulCreate events, as upstream.
// Writes are fire-and-forget: losing an event never fails the caller.
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
  /** Created on the server (until then a repeat creates it rather than patching). */
  created?: boolean;
  /** The series' last write, which its next one waits for. */
  writing?: Promise<void>;
}

/** client-go's defaults (tools/record/events_cache.go). */
const AGGREGATE_MAX_EVENTS = 10;
const AGGREGATE_INTERVAL_MS = 600_000;
const SPAM_BURST = 25;
const SPAM_QPS = 1 / 300;

/** Messages seen for one aggregate key, and when the last arrived. */
interface Aggregate {
  messages: Set<string>;
  last: number;
}

/** A token bucket (flowcontrol.NewTokenBucketRateLimiterWithClock): starts full. */
interface Bucket {
  tokens: number;
  at: number;
}

/** A Map used as an LRU: re-inserting makes an entry the newest; the oldest goes past size. */
function touchLRU<V>(m: Map<string, V>, key: string, v: V, size: number): void {
  m.delete(key);
  m.set(key, v);
  if (m.size > size) m.delete(m.keys().next().value!);
}

/** Records events about objects; see the module comment. */
export class EventRecorder {
  private readonly events: ResourceClient<Event>;
  private readonly seen = new Map<string, Seen>();
  private readonly aggregates = new Map<string, Aggregate>();
  private readonly buckets = new Map<string, Bucket>();
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
    const now = Math.floor(this.config.clock.now());
    const ts = rfc3339(now);
    const object = [src.component, src.host ?? '', involvedObject.kind, involvedObject.namespace ?? '', involvedObject.name, involvedObject.uid ?? '', involvedObject.apiVersion ?? ''];
    // EventAggregate: the 10th distinct message for the same reason becomes the combined event.
    // (Its key's reporting controller and instance are the source, already in object.)
    const aggregateKey = [...object, type, reason].join('\u0000');
    let agg = this.aggregates.get(aggregateKey);
    if (!agg || now - agg.last > AGGREGATE_INTERVAL_MS) agg = { messages: new Set(), last: now };
    agg.messages.add(message);
    agg.last = now;
    touchLRU(this.aggregates, aggregateKey, agg, this.cacheSize);
    let key: string;
    if (agg.messages.size < AGGREGATE_MAX_EVENTS) {
      key = [...object, involvedObject.fieldPath ?? '', type, reason, message].join('\u0000');
    } else {
      agg.messages.delete(agg.messages.values().next().value!); // do not grow the set past the limit
      message = `(combined from similar events): ${message}`;
      key = aggregateKey;
    }
    // eventObserve: a repeat grows the series it belongs to, and a new one starts a series, whether
    // or not the spam filter then lets it be written (a series never written is created later,
    // with its count so far, as client-go's failed patch falls back to a create).
    let series = this.seen.get(key);
    if (series) series.count++;
    else series = { namespace, name: this.eventName(obj, now), count: 1, firstTimestamp: ts };
    touchLRU(this.seen, key, series, this.cacheSize);
    // EventSourceObjectSpamFilter.
    if (!this.tryAccept(object.join('\u0000'), now)) return;
    const s = series;
    const write = async () => {
      if (s.created) {
        try {
          await this.events.namespace(s.namespace).patch(s.name, 'merge', { count: s.count, message, lastTimestamp: ts });
          this.written++;
          return;
        } catch (e) {
          if (!isNotFound(e)) throw e;
          // Expired or deleted: start the series again under a new name.
          Object.assign(s, { name: this.eventName(obj, now), count: 1, firstTimestamp: ts, created: false });
        }
      }
      const event: Event = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: s.name, namespace },
        involvedObject,
        reason,
        message,
        source: src.host ? { component: src.component, host: src.host } : { component: src.component },
        firstTimestamp: s.firstTimestamp,
        lastTimestamp: ts,
        count: s.count,
        type,
        eventTime: null as unknown as undefined,
        reportingComponent: src.component,
        reportingInstance: src.host ?? '',
      };
      await this.events.namespace(namespace).create(event);
      s.created = true;
      this.written++;
    };
    // One write at a time per series, as the broadcaster sends them: a patch never overtakes the
    // create it patches.
    s.writing = (s.writing ?? Promise.resolve()).catch(() => undefined).then(write);
    await s.writing;
  }

  private eventName(obj: KubeObject, now: number): string {
    return `${obj.metadata.name}.${(BigInt(now) * 1_000_000n + BigInt(this.seq++ % 1_000_000)).toString(16)}`;
  }

  /** The spam filter's token bucket for one source and object: whether this event may be written. */
  private tryAccept(key: string, now: number): boolean {
    let b = this.buckets.get(key);
    if (b) b.tokens = Math.min(SPAM_BURST, b.tokens + ((now - b.at) / 1000) * SPAM_QPS);
    else b = { tokens: SPAM_BURST, at: now };
    b.at = now;
    touchLRU(this.buckets, key, b, this.cacheSize);
    if (b.tokens < 1) return false;
    b.tokens--;
    return true;
  }
}

/** The micro-time format events.k8s.io uses, re-exported for components that set eventTime. */
export { rfc3339Micro };
