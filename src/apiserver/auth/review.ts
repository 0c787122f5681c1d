// The access-review APIs, answered from the authorizer without touching storage, as
// pkg/registry/authorization/* and pkg/registry/authentication/selfsubjectreview do:
// `kubectl auth can-i` (SelfSubjectAccessReview), `kubectl auth can-i --list`
// (SelfSubjectRulesReview), `kubectl auth whoami` (SelfSubjectReview), and the SubjectAccessReview
// / LocalSubjectAccessReview that webhooks and controllers use to ask about someone else.
import { jsonCopy } from '../../apimachinery/json.js';
import { badRequest, field, invalid, type FieldError } from '../../apimachinery/errors.js';
import { rfc3339, type Clock } from '../../sim/clock.js';
import type { UserInfo } from './authn.js';
import type { Attributes, Authorizer, NonResourceRule, ResourceRule } from './rbac.js';

/** authorizationv1.ResourceAttributes. */
export interface ResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  name?: string;
  fieldSelector?: unknown;
  labelSelector?: unknown;
}

/** authorizationv1.NonResourceAttributes. */
export interface NonResourceAttributes {
  path?: string;
  verb?: string;
}

/** authorizationv1.SelfSubjectAccessReviewSpec. */
export interface SelfSubjectAccessReviewSpec {
  resourceAttributes?: ResourceAttributes | null;
  nonResourceAttributes?: NonResourceAttributes | null;
}

/** authorizationv1.SubjectAccessReviewSpec: the same question about a named user. */
export interface SubjectAccessReviewSpec extends SelfSubjectAccessReviewSpec {
  user?: string;
  groups?: string[];
  uid?: string;
  extra?: Record<string, string[]>;
}

/** authorizationv1.SubjectAccessReviewStatus. */
export interface SubjectAccessReviewStatus {
  allowed: boolean;
  denied?: boolean;
  reason?: string;
  evaluationError?: string;
}

/** authorizationv1.SubjectRulesReviewStatus. */
export interface SubjectRulesReviewStatus {
  resourceRules: ResourceRule[];
  nonResourceRules: NonResourceRule[];
  incomplete: boolean;
  evaluationError?: string;
}

/** authenticationv1.UserInfo as SelfSubjectReview reports it. */
export interface ReviewUserInfo {
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

type ReviewKind = 'SelfSubjectAccessReview' | 'SubjectAccessReview' | 'LocalSubjectAccessReview';

/** authorizationutil.ResourceAttributesFrom / NonResourceAttributesFrom. */
export function attributesFromSpec(user: UserInfo, spec: SelfSubjectAccessReviewSpec): Attributes {
  const ra = spec.resourceAttributes;
  if (ra) {
    return {
      user,
      verb: ra.verb ?? '',
      namespace: ra.namespace ?? '',
      apiGroup: ra.group ?? '',
      // matchAllVersionIfEmpty: a review without a version asks about every version.
      apiVersion: ra.version || '*',
      resource: ra.resource ?? '',
      subresource: ra.subresource ?? '',
      name: ra.name ?? '',
      resourceRequest: true,
      path: '',
    };
  }
  const nra = spec.nonResourceAttributes ?? {};
  return {
    user,
    verb: nra.verb ?? '',
    namespace: '',
    apiGroup: '',
    apiVersion: '',
    resource: '',
    subresource: '',
    name: '',
    resourceRequest: false,
    path: nra.path ?? '',
  };
}

function decide(authorizer: Authorizer, attrs: Attributes): SubjectAccessReviewStatus {
  const { decision, reason } = authorizer.authorize(attrs);
  const status: SubjectAccessReviewStatus = { allowed: decision === 'allow' };
  if (decision === 'deny') status.denied = true;
  if (reason) status.reason = reason;
  return status;
}

/** `kubectl auth can-i`: may the requesting user do this? Throws 422 for a malformed spec. */
export function selfSubjectAccessReview(
  authorizer: Authorizer,
  user: UserInfo,
  spec: SelfSubjectAccessReviewSpec,
): SubjectAccessReviewStatus {
  const errs = validateAttributesChoice(spec);
  if (errs.length) throw invalid({ group: 'authorization.k8s.io', kind: 'SelfSubjectAccessReview' }, '', errs);
  return decide(authorizer, attributesFromSpec(user, spec));
}

/**
 * SubjectAccessReview: may spec.user (with spec.groups, taken as given — no system:authenticated
 * is added) do this? Throws 422 for a malformed spec.
 */
export function subjectAccessReview(authorizer: Authorizer, spec: SubjectAccessReviewSpec): SubjectAccessReviewStatus {
  const errs = validateSubjectAccessReviewSpec(spec);
  if (errs.length) throw invalid({ group: 'authorization.k8s.io', kind: 'SubjectAccessReview' }, '', errs);
  return decide(authorizer, attributesFromSpec(userFromSpec(spec), spec));
}

/** LocalSubjectAccessReview: a SubjectAccessReview confined to one namespace. */
export function localSubjectAccessReview(
  authorizer: Authorizer,
  namespace: string,
  spec: SubjectAccessReviewSpec,
): SubjectAccessReviewStatus {
  const errs = validateSubjectAccessReviewSpec(spec);
  if (spec.resourceAttributes && (spec.resourceAttributes.namespace ?? '') !== namespace) {
    errs.push(field.invalid('spec.resourceAttributes.namespace', spec.resourceAttributes.namespace ?? '', 'must match metadata.namespace'));
  }
  if (spec.nonResourceAttributes) {
    errs.push(field.invalid('spec.nonResourceAttributes', spec.nonResourceAttributes, 'disallowed on this kind of request'));
  }
  if (errs.length) throw invalid({ group: 'authorization.k8s.io', kind: 'LocalSubjectAccessReview' }, '', errs);
  return decide(authorizer, attributesFromSpec(userFromSpec(spec), spec));
}

/** `kubectl auth can-i --list`: every rule the requesting user has in a namespace. */
export function selfSubjectRulesReview(authorizer: Authorizer, user: UserInfo, namespace: string): SubjectRulesReviewStatus {
  if (!namespace) throw badRequest('no namespace on request');
  const r = authorizer.rulesFor(user, namespace);
  const status: SubjectRulesReviewStatus = {
    resourceRules: r.resourceRules,
    nonResourceRules: r.nonResourceRules,
    incomplete: r.incomplete,
  };
  if (r.evaluationError) status.evaluationError = r.evaluationError;
  return status;
}

/** `kubectl auth whoami`: the authentication.k8s.io/v1 SelfSubjectReview status. */
export function selfSubjectReview(user: UserInfo): { userInfo: ReviewUserInfo } {
  const userInfo: ReviewUserInfo = {};
  if (user.username) userInfo.username = user.username;
  if (user.uid) userInfo.uid = user.uid;
  if (user.groups.length) userInfo.groups = [...user.groups];
  if (user.extra && Object.keys(user.extra).length) userInfo.extra = jsonCopy(user.extra);
  return { userInfo };
}

// ---- whole-object handlers: what the REST endpoints return for a POSTed body ----

/** The body a review endpoint receives: apiVersion/kind, metadata, spec. */
export interface ReviewBody {
  apiVersion?: string;
  kind?: string;
  metadata?: Record<string, unknown>;
  spec?: Record<string, unknown>;
}

/** Answers a POSTed SelfSubjectAccessReview with the same object plus its status. */
export function handleSelfSubjectAccessReview(authorizer: Authorizer, user: UserInfo, body: ReviewBody): Record<string, unknown> {
  const spec = (body.spec ?? {}) as SelfSubjectAccessReviewSpec;
  const errs = [...validateAttributesChoice(spec), ...validateEmptyMetadata(body.metadata, false)];
  if (errs.length) throw invalid({ group: 'authorization.k8s.io', kind: 'SelfSubjectAccessReview' }, '', errs);
  return reviewResponse(body, 'SelfSubjectAccessReview', decide(authorizer, attributesFromSpec(user, spec)));
}

/** Answers a POSTed SubjectAccessReview. */
export function handleSubjectAccessReview(authorizer: Authorizer, body: ReviewBody): Record<string, unknown> {
  const spec = (body.spec ?? {}) as SubjectAccessReviewSpec;
  const errs = [...validateSubjectAccessReviewSpec(spec), ...validateEmptyMetadata(body.metadata, false)];
  if (errs.length) throw invalid({ group: 'authorization.k8s.io', kind: 'SubjectAccessReview' }, '', errs);
  return reviewResponse(body, 'SubjectAccessReview', decide(authorizer, attributesFromSpec(userFromSpec(spec), spec)));
}

/** Answers a POSTed LocalSubjectAccessReview in the namespace of the request path. */
export function handleLocalSubjectAccessReview(authorizer: Authorizer, namespace: string, body: ReviewBody): Record<string, unknown> {
  const spec = (body.spec ?? {}) as SubjectAccessReviewSpec;
  const metaErrs = validateEmptyMetadata(body.metadata, true);
  if (metaErrs.length) throw invalid({ group: 'authorization.k8s.io', kind: 'LocalSubjectAccessReview' }, '', metaErrs);
  const status = localSubjectAccessReview(authorizer, namespace, spec);
  const out = reviewResponse(body, 'LocalSubjectAccessReview', status);
  out.metadata = { ...(out.metadata as Record<string, unknown>), namespace };
  return out;
}

/** Answers a POSTed SelfSubjectRulesReview (spec.namespace is required). */
export function handleSelfSubjectRulesReview(authorizer: Authorizer, user: UserInfo, body: ReviewBody): Record<string, unknown> {
  const namespace = typeof body.spec?.namespace === 'string' ? body.spec.namespace : '';
  const status = selfSubjectRulesReview(authorizer, user, namespace);
  // The registry builds a fresh object: only spec.namespace survives from the request.
  return {
    kind: 'SelfSubjectRulesReview',
    apiVersion: body.apiVersion ?? 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec: {},
    status,
  };
}

/** Answers a POSTed SelfSubjectReview; creationTimestamp is now, as upstream stamps it. */
export function handleSelfSubjectReview(user: UserInfo, body: ReviewBody, clock: Clock): Record<string, unknown> {
  return {
    kind: 'SelfSubjectReview',
    apiVersion: body.apiVersion ?? 'authentication.k8s.io/v1',
    metadata: { creationTimestamp: rfc3339(clock.now()) },
    status: selfSubjectReview(user),
  };
}

function reviewResponse(body: ReviewBody, kind: ReviewKind, status: SubjectAccessReviewStatus): Record<string, unknown> {
  return {
    kind,
    apiVersion: body.apiVersion ?? 'authorization.k8s.io/v1',
    metadata: { ...(body.metadata ?? {}), creationTimestamp: null },
    spec: body.spec ?? {},
    status,
  };
}

function userFromSpec(spec: SubjectAccessReviewSpec): UserInfo {
  const user: UserInfo = { username: spec.user ?? '', groups: [...(spec.groups ?? [])] };
  if (spec.uid) user.uid = spec.uid;
  if (spec.extra) user.extra = jsonCopy(spec.extra);
  return user;
}

// ValidateSelfSubjectAccessReviewSpec. The "null" is how field.Invalid prints the nil
// nonResourceAttributes pointer upstream passes as the bad value.
function validateAttributesChoice(spec: SelfSubjectAccessReviewSpec): FieldError[] {
  const errs: FieldError[] = [];
  if (spec.resourceAttributes && spec.nonResourceAttributes) {
    errs.push(field.invalid('spec.nonResourceAttributes', spec.nonResourceAttributes, 'cannot be specified in combination with resourceAttributes'));
  }
  if (!spec.resourceAttributes && !spec.nonResourceAttributes) {
    errs.push(field.invalid('spec.resourceAttributes', 'null', 'exactly one of nonResourceAttributes or resourceAttributes must be specified'));
  }
  return errs;
}

// ValidateSubjectAccessReviewSpec.
function validateSubjectAccessReviewSpec(spec: SubjectAccessReviewSpec): FieldError[] {
  const errs = validateAttributesChoice(spec);
  if (!spec.user && !(spec.groups ?? []).length) {
    errs.push(field.invalid('spec.user', spec.user ?? '', 'at least one of user or group must be specified'));
  }
  return errs;
}

// Reviews are not stored, so their metadata must be empty (kubectl sends creationTimestamp: null).
function validateEmptyMetadata(metadata: Record<string, unknown> | undefined, allowNamespace: boolean): FieldError[] {
  const meaningful = Object.entries(metadata ?? {}).filter(
    ([k, v]) => v !== null && v !== undefined && k !== 'managedFields' && !(allowNamespace && k === 'namespace'),
  );
  if (!meaningful.length) return [];
  return [field.invalid('metadata', metadata, allowNamespace ? 'must be empty except for namespace' : 'must be empty')];
}
