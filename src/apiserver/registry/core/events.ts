// core/v1 Events: legacyValidateEvent (the only validation the v1 API applies) and the event field
// selectors kubectl uses (`kubectl get events --field-selector involvedObject.name=web-0`).
import type { KubeObject } from '../../../api/types.js';
import { field, type FieldError } from '../../../apimachinery/errors.js';
import type { Strategy } from '../strategy.js';
import { invalidEach, isDNS1123Subdomain, isQualifiedName } from '../../../apimachinery/validation.js';
import { isRecord } from './equality.js';

/** A core/v1 Event as the strategy sees it. */
export type Event = KubeObject & {
  involvedObject?: Record<string, any>;
  reason?: string;
  message?: string;
  source?: { component?: string; host?: string };
  type?: string;
  eventTime?: string | null;
  reportingComponent?: string;
  reportingInstance?: string;
  action?: string;
};

/** legacyValidateEvent. */
export function validateEvent(event: Event): FieldError[] {
  const errs: FieldError[] = [];
  const inv = isRecord(event.involvedObject) ? event.involvedObject : {};
  const invNs = typeof inv.namespace === 'string' ? inv.namespace : '';
  const ns = event.metadata.namespace ?? '';
  if (!event.eventTime) {
    if (!invNs) {
      if (ns !== '' && ns !== 'default') errs.push(field.invalid('involvedObject.namespace', invNs, 'does not match event.namespace'));
    } else if (ns !== invNs) errs.push(field.invalid('involvedObject.namespace', invNs, 'does not match event.namespace'));
  } else {
    if (!invNs && ns !== 'default' && ns !== 'kube-system') errs.push(field.invalid('involvedObject.namespace', invNs, 'does not match event.namespace'));
    const rc = event.reportingComponent ?? '';
    if (!rc) errs.push(field.required('reportingController'));
    errs.push(...invalidEach('reportingController', rc, isQualifiedName(rc)));
    const ri = event.reportingInstance ?? '';
    if (!ri) errs.push(field.required('reportingInstance'));
    if (ri.length > 128) errs.push(field.invalid('reportingInstance', '', 'can have at most 128 characters'));
    const action = event.action ?? '';
    if (!action) errs.push(field.required('action'));
    if (action.length > 128) errs.push(field.invalid('action', '', 'can have at most 128 characters'));
    const reason = event.reason ?? '';
    if (!reason) errs.push(field.required('reason'));
    if (reason.length > 128) errs.push(field.invalid('reason', '', 'can have at most 128 characters'));
    if ((event.message ?? '').length > 1024) errs.push(field.invalid('message', '', 'can have at most 1024 characters'));
  }
  errs.push(...invalidEach('namespace', ns, isDNS1123Subdomain(ns)));
  return errs;
}

/** The core/v1 Event strategy. */
export const eventStrategy = {
  validate(event) {
    return validateEvent(event);
  },
  validateUpdate(event) {
    return validateEvent(event);
  },
  selectableFields(event) {
    const inv = isRecord(event.involvedObject) ? event.involvedObject : {};
    const source = event.source?.component || event.reportingComponent || '';
    return {
      'involvedObject.kind': inv.kind ?? '',
      'involvedObject.namespace': inv.namespace ?? '',
      'involvedObject.name': inv.name ?? '',
      'involvedObject.uid': inv.uid ?? '',
      'involvedObject.apiVersion': inv.apiVersion ?? '',
      'involvedObject.resourceVersion': inv.resourceVersion ?? '',
      'involvedObject.fieldPath': inv.fieldPath ?? '',
      reason: event.reason ?? '',
      reportingComponent: event.reportingComponent ?? '',
      source,
      type: event.type ?? '',
    };
  },
} satisfies Strategy<Event>;
