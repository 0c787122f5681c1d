// events.k8s.io/v1 Event, in its own shape (regarding, note, deprecated* fields): ValidateEventCreate
// and ValidateEventUpdate for requests through events.k8s.io/v1. Upstream validates the internal
// (core) type, so its field paths use the core names: involvedObject, message, source, count, ...
import type { KubeObject } from '../../../api/types.js';
import { field, type FieldError } from '../../../apimachinery/errors.js';
import { isDNS1123Subdomain, isQualifiedName } from '../../../apimachinery/validation.js';
import type { Strategy } from '../strategy.js';
import { isObj, semanticEqual, unset, validateImmutable, type Obj } from '../apps/fields.js';

/** Length limits of pkg/apis/core/validation/events.go. */
export const REPORTING_INSTANCE_LENGTH_LIMIT = 128;
export const ACTION_LENGTH_LIMIT = 128;
export const REASON_LENGTH_LIMIT = 128;
export const NOTE_LENGTH_LIMIT = 1024;

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** The internal (core) view of an event, whichever shape it arrives in; error paths use these names. */
interface EventView {
  namespace: string;
  involvedObject: Obj;
  message: unknown;
  source: Obj;
  firstTimestamp: unknown;
  lastTimestamp: unknown;
  count: unknown;
  reportingController: unknown;
  [k: string]: unknown;
}

/**
 * events.k8s.io/v1 bodies name fields regarding/note/deprecated*; core/v1 bodies (the storage shape
 * both APIs share) name them involvedObject/message/...; either is accepted.
 */
export function eventView(ev: KubeObject): EventView {
  const core = ev.involvedObject !== undefined || ev.message !== undefined || ev.reportingComponent !== undefined;
  const pick = (v1: string, c: string) => (core && ev[v1] === undefined ? ev[c] : ev[v1]);
  const involved = pick('regarding', 'involvedObject');
  const source = pick('deprecatedSource', 'source');
  return {
    ...ev,
    namespace: ev.metadata.namespace ?? '',
    involvedObject: isObj(involved) ? involved : {},
    message: pick('note', 'message'),
    source: isObj(source) ? source : {},
    firstTimestamp: pick('deprecatedFirstTimestamp', 'firstTimestamp'),
    lastTimestamp: pick('deprecatedLastTimestamp', 'lastTimestamp'),
    count: pick('deprecatedCount', 'count'),
    reportingController: pick('reportingController', 'reportingComponent'),
  };
}

/** legacyValidateEvent for an event that has an eventTime (all events.k8s.io/v1 events do). */
function validateReportedEvent(ev: EventView): FieldError[] {
  const errs: FieldError[] = [];
  const regarding = ev.involvedObject;
  const ns = ev.namespace;
  if (unset(ev.eventTime)) {
    // Old-style events: the event lives in its object's namespace.
    const objNs = str(regarding.namespace);
    if (objNs === '' ? ns !== '' && ns !== 'default' : ns !== objNs) {
      errs.push(field.invalid('involvedObject.namespace', objNs, 'does not match event.namespace'));
    }
  } else {
    if (str(regarding.namespace) === '' && ns !== 'default' && ns !== 'kube-system') {
      errs.push(field.invalid('involvedObject.namespace', str(regarding.namespace), 'does not match event.namespace'));
    }
    const controller = str(ev.reportingController);
    if (controller === '') errs.push(field.required('reportingController'));
    errs.push(...isQualifiedName(controller).map((m) => field.invalid('reportingController', controller, m)));
    const limits: [string, number][] = [
      ['reportingInstance', REPORTING_INSTANCE_LENGTH_LIMIT],
      ['action', ACTION_LENGTH_LIMIT],
      ['reason', REASON_LENGTH_LIMIT],
    ];
    for (const [f, limit] of limits) {
      const v = str(ev[f]);
      if (v === '') errs.push(field.required(f));
      if (v.length > limit) errs.push(field.invalid(f, '', `can have at most ${limit} characters`));
    }
    if (str(ev.message).length > NOTE_LENGTH_LIMIT) errs.push(field.invalid('message', '', `can have at most ${NOTE_LENGTH_LIMIT} characters`));
  }
  errs.push(...isDNS1123Subdomain(ns).map((m) => field.invalid('namespace', ns, m)));
  return errs;
}

/** validateV1EventSeries. */
function validateSeries(ev: { series?: unknown; [k: string]: unknown }): FieldError[] {
  if (!isObj(ev.series)) return [];
  const errs: FieldError[] = [];
  if (Number(ev.series.count ?? 0) < 2) errs.push(field.invalid('series.count', '', 'should be at least 2'));
  if (unset(ev.series.lastObservedTime)) errs.push(field.required('series.lastObservedTime'));
  return errs;
}

/** ValidateEventCreate for events.k8s.io/v1: the strict rules new-style events follow. */
export function validateEvent(obj: KubeObject): FieldError[] {
  const ev = eventView(obj);
  const errs = [...validateReportedEvent(ev), ...validateSeries(ev)];
  if (unset(ev.eventTime)) errs.push(field.required('eventTime'));
  if (ev.type !== 'Normal' && ev.type !== 'Warning') errs.push(field.invalid('type', '', `has invalid value: ${str(ev.type)}`));
  if (!unset(ev.firstTimestamp)) errs.push(field.invalid('firstTimestamp', '', 'needs to be unset'));
  if (!unset(ev.lastTimestamp)) errs.push(field.invalid('lastTimestamp', '', 'needs to be unset'));
  if (typeof ev.count === 'number' && ev.count !== 0) errs.push(field.invalid('count', '', 'needs to be unset'));
  if (str(ev.source.component) !== '' || str(ev.source.host) !== '') errs.push(field.invalid('source', '', 'needs to be unset'));
  return errs;
}

/** ValidateEventUpdate for events.k8s.io/v1: what happened, and who said so, never changes. */
export function validateEventUpdate(next: KubeObject, prev: KubeObject): FieldError[] {
  const ev = eventView(next);
  const old = eventView(prev);
  const errs: FieldError[] = [];
  if (!semanticEqual(ev.series, old.series)) errs.push(...validateSeries(ev));
  const immutable = [
    'involvedObject',
    'reason',
    'message',
    'source',
    'firstTimestamp',
    'lastTimestamp',
    'count',
    'action',
    'related',
    'reportingController',
    'reportingInstance',
  ];
  for (const f of immutable) errs.push(...validateImmutable(ev[f], old[f], f));
  return errs;
}

/** Field selectors on events, by the core/v1 names upstream supports for both API versions. */
export function eventSelectableFields(obj: KubeObject): Record<string, string> {
  const ev = eventView(obj);
  const r = ev.involvedObject;
  const source = ev.source;
  return {
    'involvedObject.kind': str(r.kind),
    'involvedObject.namespace': str(r.namespace),
    'involvedObject.name': str(r.name),
    'involvedObject.uid': str(r.uid),
    'involvedObject.apiVersion': str(r.apiVersion),
    'involvedObject.resourceVersion': str(r.resourceVersion),
    'involvedObject.fieldPath': str(r.fieldPath),
    reason: str(ev.reason),
    reportingComponent: str(ev.reportingController),
    source: str(source.component),
    type: str(ev.type),
  };
}

/** The events.k8s.io/v1 events strategy. */
export const eventStrategy = {
  validate: (obj) => validateEvent(obj),
  validateUpdate: validateEventUpdate,
  selectableFields: eventSelectableFields,
} satisfies Strategy;
