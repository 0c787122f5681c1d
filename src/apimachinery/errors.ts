// Status errors, built in one module with kube-apiserver's wording (k8s.io/apimachinery/pkg/api/errors
// and pkg/util/validation/field), because users paste these messages into search engines.

/** A Kubernetes metav1.Status cause. */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** A Kubernetes metav1.Status object, as the API server returns for failures. */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    uid?: string;
    causes?: StatusCause[];
    retryAfterSeconds?: number;
  };
  code: number;
}

/** The resource a message is about: "pods", or "deployments" in group "apps". */
export interface QualifiedResource {
  group: string;
  resource: string;
}

/** The kind a message is about: "Pod", or "Deployment" in group "apps". */
export interface QualifiedKind {
  group: string;
  kind: string;
}

/** An error that the API server returns to the client as a Status body with its code. */
export class StatusError extends Error {
  readonly status: Status;
  constructor(status: Status) {
    super(status.message ?? status.reason ?? 'unknown error');
    this.name = 'StatusError';
    this.status = status;
  }
  get code(): number {
    return this.status.code;
  }
  get reason(): string | undefined {
    return this.status.reason;
  }
}

export function isStatusError(e: unknown): e is StatusError {
  return e instanceof StatusError;
}

/** True when e is a StatusError with the given reason. */
export function hasReason(e: unknown, reason: string): boolean {
  return e instanceof StatusError && e.status.reason === reason;
}

function failure(code: number, reason: string, message: string, details?: Status['details']): StatusError {
  // Field order as Go serializes metav1.Status: ..., reason, details, code.
  const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason } as Status;
  if (details) status.details = details;
  status.code = code;
  return new StatusError(status);
}

/** "deployments.apps" or "pods", as schema.GroupResource.String() prints. */
export function groupResourceString(qr: QualifiedResource): string {
  return qr.group ? `${qr.resource}.${qr.group}` : qr.resource;
}

/** "Deployment.apps" or "Pod", as schema.GroupKind.String() prints. */
export function groupKindString(qk: QualifiedKind): string {
  return qk.group ? `${qk.kind}.${qk.group}` : qk.kind;
}

function resourceDetails(qr: QualifiedResource, name: string): Status['details'] {
  const d: NonNullable<Status['details']> = {};
  if (name) d.name = name;
  if (qr.group) d.group = qr.group;
  d.kind = qr.resource;
  return d;
}

export function notFound(qr: QualifiedResource, name: string): StatusError {
  return failure(404, 'NotFound', `${groupResourceString(qr)} "${name}" not found`, resourceDetails(qr, name));
}

export function alreadyExists(qr: QualifiedResource, name: string): StatusError {
  return failure(409, 'AlreadyExists', `${groupResourceString(qr)} "${name}" already exists`, resourceDetails(qr, name));
}

/** The optimistic-concurrency failure, as errors.NewConflict with registry.OptimisticLockErrorMsg. */
export function conflict(qr: QualifiedResource, name: string, detail = OPTIMISTIC_LOCK_MSG): StatusError {
  return failure(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${groupResourceString(qr)} "${name}": ${detail}`,
    resourceDetails(qr, name),
  );
}

export const OPTIMISTIC_LOCK_MSG = 'the object has been modified; please apply your changes to the latest version and try again';

export function badRequest(message: string): StatusError {
  return failure(400, 'BadRequest', message);
}

export function unauthorized(message = 'Unauthorized'): StatusError {
  return failure(401, 'Unauthorized', message);
}

/** errors.NewForbidden: `pods "x" is forbidden: <reason>` or `pods is forbidden: <reason>`. */
export function forbidden(qr: QualifiedResource, name: string, reason: string): StatusError {
  if (!qr.group && !qr.resource) return failure(403, 'Forbidden', `forbidden: ${reason}`, name ? { name } : {});
  const subject = name ? `${groupResourceString(qr)} "${name}"` : groupResourceString(qr);
  return failure(403, 'Forbidden', `${subject} is forbidden: ${reason}`, resourceDetails(qr, name));
}

export function methodNotAllowed(qr: QualifiedResource, action: string): StatusError {
  return failure(405, 'MethodNotAllowed', `${action} is not supported on resources of kind "${groupResourceString(qr)}"`, {
    ...(qr.group ? { group: qr.group } : {}),
    kind: qr.resource,
  });
}

export function notAcceptable(message: string): StatusError {
  return failure(406, 'NotAcceptable', message);
}

export function unsupportedMediaType(contentType: string): StatusError {
  return failure(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${contentType}`);
}

export function requestEntityTooLarge(message = 'the server has received a request that is too large'): StatusError {
  return failure(413, 'RequestEntityTooLarge', message);
}

/** 410 Gone for a watch or list whose resourceVersion has been compacted away. */
export function resourceExpired(message: string): StatusError {
  return failure(410, 'Expired', message);
}

export function tooManyRequests(message: string, retryAfterSeconds?: number): StatusError {
  return failure(429, 'TooManyRequests', message, retryAfterSeconds ? { retryAfterSeconds } : undefined);
}

export function internalError(err: unknown): StatusError {
  const msg = err instanceof Error ? err.message : String(err);
  return failure(500, 'InternalError', `Internal error occurred: ${msg}`, { causes: [{ message: msg }] });
}

export function serviceUnavailable(message: string): StatusError {
  return failure(503, 'ServiceUnavailable', message);
}

export function timeout(message: string, retryAfterSeconds = 0): StatusError {
  return failure(504, 'Timeout', message, { retryAfterSeconds });
}

/**
 * NewGenericServerResponse(422, ...): the Invalid Status without causes that kube-apiserver returns
 * when a patch cannot be applied; clients only ever see this generic text.
 */
export function genericInvalid(): StatusError {
  return failure(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
}

/** 404 for a path that names no resource, as the API server's not-found handler answers. */
export function pathNotFound(): StatusError {
  return failure(404, 'NotFound', 'the server could not find the requested resource', {});
}

/** errors.NewInvalid: a 422 listing every field error as a cause. */
export function invalid(qk: QualifiedKind, name: string, errs: FieldError[]): StatusError {
  const unique: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of errs) {
    const s = fieldErrorString(e);
    if (!seen.has(s)) {
      seen.add(s);
      unique.push(e);
    }
  }
  const details: NonNullable<Status['details']> = { name, ...(qk.group ? { group: qk.group } : {}), kind: qk.kind };
  details.causes = unique.map((e) => ({ reason: FIELD_REASON[e.type], message: fieldErrorBody(e), field: e.field }));
  const head = `${groupKindString(qk)} "${name}" is invalid`;
  let message = head;
  if (unique.length === 1) message = `${head}: ${fieldErrorString(unique[0])}`;
  else if (unique.length > 1) message = `${head}: [${unique.map(fieldErrorString).join(', ')}]`;
  return failure(422, 'Invalid', message, details);
}

// ---- field errors (k8s.io/apimachinery/pkg/util/validation/field) ----

export type FieldErrorType =
  | 'NotFound'
  | 'Required'
  | 'Duplicate'
  | 'Invalid'
  | 'NotSupported'
  | 'Forbidden'
  | 'TooLong'
  | 'TooMany'
  | 'Internal'
  | 'TypeInvalid';

/** One validation failure at a field path such as "spec.template.spec.containers[0].image". */
export interface FieldError {
  type: FieldErrorType;
  field: string;
  /** The offending value; omitted for Required, Forbidden, TooLong and Internal. */
  value?: unknown;
  /** True when value was given (so that an explicit null or "" prints). */
  hasValue?: boolean;
  /**
   * The value already rendered, printed as is instead of formatFieldValue(value): Go prints a
   * Stringer bare (a Quantity as 1500m) and a struct or map with %#v (map[string]string{...}).
   */
  rawValue?: string;
  detail?: string;
}

const FIELD_REASON: Record<FieldErrorType, string> = {
  NotFound: 'FieldValueNotFound',
  Required: 'FieldValueRequired',
  Duplicate: 'FieldValueDuplicate',
  Invalid: 'FieldValueInvalid',
  NotSupported: 'FieldValueNotSupported',
  Forbidden: 'FieldValueForbidden',
  TooLong: 'FieldValueTooLong',
  TooMany: 'FieldValueTooMany',
  Internal: 'InternalError',
  TypeInvalid: 'FieldValueTypeInvalid',
};

const FIELD_TYPE_TEXT: Record<FieldErrorType, string> = {
  NotFound: 'Not found',
  Required: 'Required value',
  Duplicate: 'Duplicate value',
  Invalid: 'Invalid value',
  NotSupported: 'Unsupported value',
  Forbidden: 'Forbidden',
  TooLong: 'Too long',
  TooMany: 'Too many',
  Internal: 'Internal error',
  TypeInvalid: 'Invalid value',
};

/** Go's %#v-ish rendering that field.Error uses for values: strings quoted, numbers bare. */
export function formatFieldValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) {
    // Go prints a []string as []string{"a", "b"}; other slices only approximately.
    const elem = v.every((x) => typeof x === 'string') ? 'string' : v.every((x) => typeof x === 'number') ? 'int' : 'interface {}';
    return `[]${elem}{${v.map(formatFieldValue).join(', ')}}`;
  }
  return JSON.stringify(v);
}

/** field.Error.ErrorBody(): the message without the field path. */
export function fieldErrorBody(e: FieldError): string {
  let s: string;
  switch (e.type) {
    case 'Required':
    case 'Forbidden':
    case 'TooLong':
    case 'Internal':
      s = FIELD_TYPE_TEXT[e.type];
      break;
    default: {
      const hasValue = e.rawValue !== undefined || (e.hasValue ?? e.value !== undefined);
      s = hasValue ? `${FIELD_TYPE_TEXT[e.type]}: ${e.rawValue ?? formatFieldValue(e.value)}` : FIELD_TYPE_TEXT[e.type];
    }
  }
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

/** field.Error.Error(): "<field>: <body>". */
export function fieldErrorString(e: FieldError): string {
  return `${e.field}: ${fieldErrorBody(e)}`;
}

/** Constructors named as in k8s.io/apimachinery/pkg/util/validation/field. */
export const field = {
  required: (path: string, detail = ''): FieldError => ({ type: 'Required', field: path, detail }),
  invalid: (path: string, value: unknown, detail = ''): FieldError => ({ type: 'Invalid', field: path, value, hasValue: true, detail }),
  /** As invalid, with the value already rendered the way Go prints it (see FieldError.rawValue). */
  invalidRaw: (path: string, rendered: string, detail = ''): FieldError => ({ type: 'Invalid', field: path, rawValue: rendered, detail }),
  notSupported: (path: string, value: unknown, supported: string[]): FieldError => ({
    type: 'NotSupported',
    field: path,
    value,
    hasValue: true,
    detail: supported.length ? `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}` : '',
  }),
  duplicate: (path: string, value: unknown): FieldError => ({ type: 'Duplicate', field: path, value, hasValue: true }),
  /** As duplicate, with the value already rendered the way Go prints it (see FieldError.rawValue). */
  duplicateRaw: (path: string, rendered: string): FieldError => ({ type: 'Duplicate', field: path, rawValue: rendered }),
  forbidden: (path: string, detail: string): FieldError => ({ type: 'Forbidden', field: path, detail }),
  notFound: (path: string, value: unknown): FieldError => ({ type: 'NotFound', field: path, value, hasValue: true }),
  tooLong: (path: string, maxLength: number): FieldError => ({
    type: 'TooLong',
    field: path,
    detail: maxLength >= 0 ? `may not be more than ${maxLength} ${maxLength === 1 ? 'byte' : 'bytes'}` : 'value is too long',
  }),
  tooMany: (path: string, actual: number, max: number): FieldError => ({
    type: 'TooMany',
    field: path,
    value: actual,
    hasValue: true,
    detail: `must have at most ${max} items`,
  }),
  typeInvalid: (path: string, value: unknown, detail: string): FieldError => ({ type: 'TypeInvalid', field: path, value, hasValue: true, detail }),
  internal: (path: string, detail: string): FieldError => ({ type: 'Internal', field: path, detail }),
};
