// The create-only review resources: access reviews (authorization.k8s.io) and SelfSubjectReview
// (authentication.k8s.io). They are answered from the authorizer and never stored.
import type { KubeObject } from '../api/types.js';
import type { Clock } from '../sim/clock.js';
import {
  handleLocalSubjectAccessReview,
  handleSelfSubjectAccessReview,
  handleSelfSubjectReview,
  handleSelfSubjectRulesReview,
  handleSubjectAccessReview,
  type ReviewBody,
} from './auth/review.js';
import type { Authorizer } from './auth/rbac.js';
import type { UserInfo } from './auth/authn.js';

type ReviewKind = 'SelfSubjectAccessReview' | 'SelfSubjectRulesReview' | 'SubjectAccessReview' | 'LocalSubjectAccessReview' | 'SelfSubjectReview' | 'TokenReview';

/** group/resource → the review it answers. */
export const REVIEW_RESOURCES = new Map<string, ReviewKind>([
  ['authorization.k8s.io/selfsubjectaccessreviews', 'SelfSubjectAccessReview'],
  ['authorization.k8s.io/selfsubjectrulesreviews', 'SelfSubjectRulesReview'],
  ['authorization.k8s.io/subjectaccessreviews', 'SubjectAccessReview'],
  ['authorization.k8s.io/localsubjectaccessreviews', 'LocalSubjectAccessReview'],
  ['authentication.k8s.io/selfsubjectreviews', 'SelfSubjectReview'],
  ['authentication.k8s.io/tokenreviews', 'TokenReview'],
]);

/** Answers a review request body with the object and its status filled in. */
export function handleReview(
  kind: ReviewKind,
  server: { rbacAuthorizer: Authorizer; clock: Clock },
  user: UserInfo,
  namespace: string,
  body: KubeObject,
): Record<string, unknown> {
  const authz = server.rbacAuthorizer;
  const review = body as unknown as ReviewBody;
  switch (kind) {
    case 'SelfSubjectAccessReview':
      return handleSelfSubjectAccessReview(authz, user, review);
    case 'SubjectAccessReview':
      return handleSubjectAccessReview(authz, review);
    case 'LocalSubjectAccessReview':
      return handleLocalSubjectAccessReview(authz, namespace, review);
    case 'SelfSubjectRulesReview':
      return handleSelfSubjectRulesReview(authz, user, review);
    case 'SelfSubjectReview':
      return handleSelfSubjectReview(user, review, server.clock);
    case 'TokenReview':
      // Token review arrives with the service-account and EKS token authenticators.
      return { ...body, metadata: { creationTimestamp: null }, status: { authenticated: false, error: 'token review is not supported by skiff yet' } };
  }
}
