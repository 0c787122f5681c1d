// EKS access policies, as the EKS authorizer applies them after RBAC: a principal's access entry
// carries policy associations, each scoped to the cluster or to a list of namespaces. Each policy
// grants what the Kubernetes ClusterRole it is modelled on grants (the EKS User Guide, "Review
// access policy permissions"): cluster admin is everything, AmazonEKSAdminPolicy the `admin` role,
// AmazonEKSEditPolicy `edit`, AmazonEKSViewPolicy `view`. The principal is found by the ARN the
// IAM authenticator put in the user's extra (as aws-iam-authenticator does: extra "arn").
import type { UserInfo } from './authn.js';
import { addReviewRules, ruleAllows, type Attributes, type AuthorizationResult, type Authorizer, type PolicyRule, type RBACSource, type RulesForResult } from './rbac.js';

/** One AssociatedAccessPolicy: a policy ARN with its scope. */
export interface PolicyAssociation {
  policyArn: string;
  accessScope: { type: 'cluster' | 'namespace'; namespaces?: string[] };
}

const POLICY_PREFIX = 'arn:aws:eks::aws:cluster-access-policy/';

/** The access policies EKS offers (ListAccessPolicies), with the ClusterRole each mirrors. */
export const ACCESS_POLICIES: { name: string; arn: string; clusterRole: string | '*' }[] = [
  { name: 'AmazonEKSClusterAdminPolicy', clusterRole: '*' },
  { name: 'AmazonEKSAdminPolicy', clusterRole: 'admin' },
  { name: 'AmazonEKSEditPolicy', clusterRole: 'edit' },
  { name: 'AmazonEKSViewPolicy', clusterRole: 'view' },
].map((p) => ({ ...p, arn: POLICY_PREFIX + p.name }));

/** The user's principal ARN, as the IAM authenticator records it. */
export function principalArnOf(user: UserInfo): string | undefined {
  return user.extra?.canonicalArn?.[0] ?? user.extra?.arn?.[0];
}

const EVERYTHING: PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];

export class AccessPolicyAuthorizer implements Authorizer {
  constructor(
    private readonly rbac: RBACSource,
    /** The associations of a principal's access entry (none when it has no entry). */
    private readonly associationsFor: (principalArn: string) => PolicyAssociation[],
  ) {}

  authorize(attrs: Attributes): AuthorizationResult {
    for (const { rules, arn } of this.applicable(attrs.user, attrs.namespace)) {
      if (rules.some((r) => ruleAllows(attrs, r))) return { decision: 'allow', reason: `EKS Access Policy: allowed by ClusterRoleBinding "${arn}"` };
    }
    return { decision: 'no-opinion', reason: '' };
  }

  rulesFor(user: UserInfo, namespace: string): RulesForResult {
    const resourceRules: RulesForResult['resourceRules'] = [];
    const nonResourceRules: RulesForResult['nonResourceRules'] = [];
    for (const { rules } of this.applicable(user, namespace)) for (const r of rules) addReviewRules(r, resourceRules, nonResourceRules);
    return { resourceRules, nonResourceRules, incomplete: false };
  }

  // The rules of every association that covers the namespace (cluster scope covers all, and
  // cluster-scoped requests; namespace scope only its namespaces).
  private applicable(user: UserInfo, namespace: string): { arn: string; rules: PolicyRule[] }[] {
    const principal = principalArnOf(user);
    if (!principal) return [];
    const out: { arn: string; rules: PolicyRule[] }[] = [];
    for (const a of this.associationsFor(principal)) {
      if (a.accessScope.type === 'namespace' && !(namespace && a.accessScope.namespaces?.some((n) => namespaceMatches(n, namespace)))) continue;
      const policy = ACCESS_POLICIES.find((p) => p.arn === a.policyArn);
      if (!policy) continue;
      const rules = policy.clusterRole === '*' ? EVERYTHING : (this.rbac.getClusterRole(policy.clusterRole)?.rules ?? []);
      out.push({ arn: a.policyArn, rules });
    }
    return out;
  }
}

// Namespace scopes may end in a wildcard ("dev-*").
function namespaceMatches(pattern: string, namespace: string): boolean {
  return pattern.endsWith('*') ? namespace.startsWith(pattern.slice(0, -1)) : pattern === namespace;
}
