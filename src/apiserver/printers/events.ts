// Events, from core/v1 or events.k8s.io/v1: both share one registry upstream and print through
// printEvent on the internal (core-shaped) Event, so an events.k8s.io object is read through its
// conversion first (note → message, regarding → involvedObject, deprecated* → the legacy fields).
import type { KubeObject } from '../../api/types.js';
import type { Printer } from './printer.js';
import { column, get, int, nameColumn, parseTime, str, translateTimestampSince, wideColumn } from './format.js';

/** The fields printEvent reads, in core/v1 naming. */
interface CoreEventView {
  name: string;
  type: string;
  reason: string;
  message: string;
  kind: string;
  objectName: string;
  fieldPath: string;
  sourceComponent: string;
  sourceHost: string;
  reportingController: string;
  reportingInstance: string;
  firstTimestamp: unknown;
  lastTimestamp: unknown;
  eventTime: unknown;
  count: number;
  series?: { count: number; lastObservedTime: unknown };
}

function isEventsV1(obj: KubeObject): boolean {
  if (obj.apiVersion) return obj.apiVersion === 'events.k8s.io/v1' || obj.apiVersion === 'events.k8s.io/v1beta1';
  return obj.involvedObject === undefined && (obj.regarding !== undefined || obj.note !== undefined);
}

/** Reads either Event version as core/v1 field names. */
export function coreEventView(obj: KubeObject): CoreEventView {
  const v1 = isEventsV1(obj);
  const involved = v1 ? get(obj, 'regarding') : get(obj, 'involvedObject');
  const source = v1 ? get(obj, 'deprecatedSource') : get(obj, 'source');
  const series = get(obj, 'series');
  return {
    name: str(obj.metadata.name),
    type: str(get(obj, 'type')),
    reason: str(get(obj, 'reason')),
    message: str(v1 ? get(obj, 'note') : get(obj, 'message')),
    kind: str(get(involved, 'kind')),
    objectName: str(get(involved, 'name')),
    fieldPath: str(get(involved, 'fieldPath')),
    sourceComponent: str(get(source, 'component')),
    sourceHost: str(get(source, 'host')),
    // core/v1 calls the reporting controller "reportingComponent".
    reportingController: str(v1 ? get(obj, 'reportingController') : get(obj, 'reportingComponent')),
    reportingInstance: str(get(obj, 'reportingInstance')),
    firstTimestamp: v1 ? get(obj, 'deprecatedFirstTimestamp') : get(obj, 'firstTimestamp'),
    lastTimestamp: v1 ? get(obj, 'deprecatedLastTimestamp') : get(obj, 'lastTimestamp'),
    eventTime: get(obj, 'eventTime'),
    count: int(v1 ? get(obj, 'deprecatedCount') : get(obj, 'count')),
    series: series && typeof series === 'object' ? { count: int(get(series, 'count')), lastObservedTime: get(series, 'lastObservedTime') } : undefined,
  };
}

/** printers' formatEventSource: "component, host", falling back to the reporting controller/instance. */
export function formatEventSource(e: CoreEventView): string {
  const component = e.sourceComponent || e.reportingController;
  const instance = e.sourceHost || e.reportingInstance;
  return instance ? `${component}, ${instance}` : component;
}

/** Events: LAST SEEN TYPE REASON OBJECT MESSAGE; wide SUBOBJECT SOURCE FIRST SEEN COUNT NAME. */
export const eventPrinter: Printer = {
  columns: [
    column('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
    column('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
    column('Reason', 'string', "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
    column('Object', 'string', 'The object that this event is about.'),
    wideColumn('Subobject', 'string', 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.'),
    wideColumn('Source', 'string', 'The component reporting this event. Should be a short machine understandable string.'),
    column('Message', 'string', 'A human-readable description of the status of this operation.'),
    wideColumn('First Seen', 'string', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)'),
    wideColumn('Count', 'string', 'The number of times this event has occurred.'),
    nameColumn(1),
  ],
  cells(obj, now) {
    const e = coreEventView(obj);
    const first = parseTime(e.firstTimestamp) !== undefined ? translateTimestampSince(e.firstTimestamp, now) : translateTimestampSince(e.eventTime, now);
    let last = parseTime(e.lastTimestamp) !== undefined ? translateTimestampSince(e.lastTimestamp, now) : first;
    let count = e.count;
    if (e.series) {
      last = translateTimestampSince(e.series.lastObservedTime, now);
      count = e.series.count;
    } else if (count === 0) {
      // Singleton events in the new API carry no count.
      count = 1;
    }
    const target = e.objectName ? `${e.kind.toLowerCase()}/${e.objectName}` : e.kind.toLowerCase();
    return [last, e.type, e.reason, target, e.fieldPath, formatEventSource(e), e.message.trim(), first, count, e.name];
  },
};
