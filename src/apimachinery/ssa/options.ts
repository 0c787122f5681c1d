// The write options that concern field management: the fieldManager query parameter, its default
// from the User-Agent (k8s.io/apiserver/pkg/endpoints/handlers: managerOrUserAgent), and force,
// which only an apply may carry (meta/v1/validation: ValidatePatchOptions).

import { BoundedMap } from '../bounded-map.js';
import { field, type FieldError } from '../errors.js';
import { FIELD_MANAGER_MAX_LENGTH, validateFieldManager } from '../validation.js';

const PRINTABLE_RE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/**
 * prefixFromUserAgent: the text before the first "/", without unprintable characters, cut to 128
 * bytes: "kubectl/v1.32.4 (linux/amd64) kubernetes/abc" → "kubectl".
 */
export function defaultManagerFromUserAgent(userAgent: string): string {
  // A handful of clients make every write: each agent's prefix is worked out once.
  return managersByAgent.memo(userAgent, prefixFromUserAgent);
}

const managersByAgent = new BoundedMap<string, string>(256);

function prefixFromUserAgent(userAgent: string): string {
  const prefix = userAgent.split('/')[0];
  let out = '';
  let bytes = 0;
  for (const ch of prefix) {
    const cp = ch.codePointAt(0)!;
    if (!(cp === 0x20 || PRINTABLE_RE.test(ch))) continue;
    const n = Buffer.byteLength(ch, 'utf8');
    if (bytes + n > FIELD_MANAGER_MAX_LENGTH) break;
    out += ch;
    bytes += n;
  }
  return out;
}

/** managerOrUserAgent: the fieldManager parameter when given, else the User-Agent's prefix. */
export function managerOrUserAgent(fieldManager: string | undefined, userAgent: string | undefined): string {
  return fieldManager ? fieldManager : defaultManagerFromUserAgent(userAgent ?? '');
}

/** The field-management options of a write, as decoded from the query. */
export interface FieldManagementOptions {
  /** The fieldManager parameter ('' or absent when not given). */
  fieldManager?: string;
  /** Whether the force parameter was given at all (any value). */
  forceGiven?: boolean;
}

/**
 * The first field errors of ValidateCreateOptions / ValidateUpdateOptions / ValidatePatchOptions:
 * force only with apply, a fieldManager required for apply, and the manager's length and
 * characters. The caller appends the dryRun and fieldValidation errors and answers with
 * invalid({ group: 'meta.k8s.io', kind: 'PatchOptions' }, '', errors) when there are any.
 */
export function fieldManagementErrors(opts: FieldManagementOptions, patchType?: string): FieldError[] {
  const errs: FieldError[] = [];
  const manager = opts.fieldManager ?? '';
  if (patchType !== undefined) {
    if (patchType !== 'application/apply-patch+yaml') {
      if (opts.forceGiven) errs.push(field.forbidden('force', 'may not be specified for non-apply patch'));
    } else if (manager === '') {
      errs.push(field.required('fieldManager', 'is required for apply patch'));
    }
  }
  errs.push(...validateFieldManager(manager, 'fieldManager'));
  return errs;
}
