// The RBAC authorizer with kube-apiserver's semantics (plugin/pkg/auth/authorizer/rbac and
// pkg/registry/rbac/validation/rule.go): cluster role bindings apply everywhere, role bindings only
// in their namespace (also when they reference a ClusterRole), rules are purely additive, and the
// system:masters group is allowed everything before RBAC is consulted.
import type { KubeObject } from '../../api/types.js';
import { forbidden, StatusError } from '../../apimachinery/errors.js';
import { SYSTEM_MASTERS, serviceAccountUsername, type UserInfo } from './authn.js';

/** rbacv1.PolicyRule. */
export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

/** rbacv1.Subject. */
export interface Subject {
  kind: string;
  name: string;
  apiGroup?: string;
  namespace?: string;
}

/** rbacv1.RoleRef. */
export interface RoleRef {
  apiGroup: string;
  kind: string;
  name: string;
}

/** rbacv1.AggregationRule: label selectors naming the ClusterRoles whose rules are folded in. */
export interface AggregationRule {
  clusterRoleSelectors?: { matchLabels?: Record<string, string>; matchExpressions?: LabelSelectorRequirement[] }[];
}

/** metav1.LabelSelectorRequirement. */
export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

/** rbacv1.Role. */
export interface Role extends KubeObject {
  rules?: PolicyRule[] | null;
}

/** rbacv1.ClusterRole. */
export interface ClusterRole extends KubeObject {
  rules?: PolicyRule[] | null;
  aggregationRule?: AggregationRule;
}

// roleRef is required by validation, but optional in these types so that a cache of plain stored
// KubeObjects satisfies RBACSource; a binding without one resolves to no rules (with an error).

/** rbacv1.RoleBinding. */
export interface RoleBinding extends KubeObject {
  subjects?: Subject[];
  roleRef?: RoleRef;
}

/** rbacv1.ClusterRoleBinding. */
export interface ClusterRoleBinding extends KubeObject {
  subjects?: Subject[];
  roleRef?: RoleRef;
}

/**
 * The RBAC objects the authorizer reads: synchronous, because the API server keeps them in an
 * in-memory cache (upstream reads informer listers). Getters return undefined for a missing object.
 */
export interface RBACSource {
  clusterRoles(): ClusterRole[];
  clusterRoleBindings(): ClusterRoleBinding[];
  roles(namespace: string): Role[];
  roleBindings(namespace: string): RoleBinding[];
  getClusterRole(name: string): ClusterRole | undefined;
  getRole(namespace: string, name: string): Role | undefined;
  /**
   * A number that changes whenever any RBAC object does, when the source can tell: the authorizer
   * then remembers its decisions until it changes.
   */
  generation?(): number;
}

/** authorizer.Attributes: what a request wants to do. */
export interface Attributes {
  user: UserInfo;
  verb: string;
  namespace: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  name: string;
  resourceRequest: boolean;
  path: string;
}

/** authorizer.Decision. */
export type Decision = 'allow' | 'deny' | 'no-opinion';

/** The answer to one authorization question; reason is shown to the user on denial. */
export interface AuthorizationResult {
  decision: Decision;
  reason: string;
}

/** authorizer.ResourceRuleInfo as SelfSubjectRulesReview reports it. */
export interface ResourceRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
}

/** authorizer.NonResourceRuleInfo as SelfSubjectRulesReview reports it. */
export interface NonResourceRule {
  verbs: string[];
  nonResourceURLs?: string[];
}

/** Everything a user may do in a namespace (authorizer.RuleResolver.RulesFor). */
export interface RulesForResult {
  resourceRules: ResourceRule[];
  nonResourceRules: NonResourceRule[];
  incomplete: boolean;
  /** Set when some binding could not be resolved (a missing role); the rules found still apply. */
  evaluationError?: string;
}

/** Anything that answers authorization questions (authorizer.Authorizer + RuleResolver). */
export interface Authorizer {
  authorize(attrs: Attributes): AuthorizationResult;
  rulesFor(user: UserInfo, namespace: string): RulesForResult;
}

const NO_ROLE_REF: RoleRef = { apiGroup: '', kind: '', name: '' };

/** Decisions an authorizer remembers before it starts over. */
const DECISIONS_CAP = 8192;

// A rule together with the binding that granted it, for the "allowed by ..." reason.
type RuleVisitor = (source: string | undefined, rule: PolicyRule | undefined, err: string | undefined) => boolean;

/** kube-apiserver's RBAC authorizer, preceded by the system:masters privileged-group authorizer. */
export class RBACAuthorizer implements Authorizer {
  // Every request asks; the same few users ask the same questions over and over, and the answer
  // depends only on them and on the RBAC objects (the source's generation).
  private readonly decisions = new Map<string, AuthorizationResult>();
  private decisionsGeneration = -1;

  constructor(private readonly source: RBACSource) {}

  authorize(attrs: Attributes): AuthorizationResult {
    // authorizerfactory.NewPrivilegedGroups(system:masters) runs first and gives no reason.
    if (attrs.user.groups.includes(SYSTEM_MASTERS)) return { decision: 'allow', reason: '' };
    const generation = this.source.generation?.();
    if (generation === undefined) return this.decide(attrs);
    if (generation !== this.decisionsGeneration || this.decisions.size >= DECISIONS_CAP) {
      this.decisions.clear();
      this.decisionsGeneration = generation;
    }
    const u = attrs.user;
    const key = [u.username, u.groups.join('\u0001'), attrs.verb, attrs.namespace, attrs.apiGroup, attrs.resource, attrs.subresource, attrs.name, attrs.resourceRequest ? '' : attrs.path].join('\u0000');
    let d = this.decisions.get(key);
    if (!d) this.decisions.set(key, (d = this.decide(attrs)));
    return { ...d };
  }

  private decide(attrs: Attributes): AuthorizationResult {

    let allowedBy: string | undefined;
    const errors: string[] = [];
    this.visitRulesFor(attrs.user, attrs.namespace, (source, rule, err) => {
      if (rule && ruleAllows(attrs, rule)) {
        allowedBy = source;
        return false;
      }
      if (err) errors.push(err);
      return true;
    });
    if (allowedBy !== undefined) return { decision: 'allow', reason: `RBAC: allowed by ${allowedBy}` };
    return { decision: 'no-opinion', reason: errors.length ? `RBAC: ${aggregateErrors(errors)}` : '' };
  }

  rulesFor(user: UserInfo, namespace: string): RulesForResult {
    const resourceRules: ResourceRule[] = [];
    const nonResourceRules: NonResourceRule[] = [];
    const errors: string[] = [];
    this.visitRulesFor(user, namespace, (_source, rule, err) => {
      if (rule) addReviewRules(rule, resourceRules, nonResourceRules);
      if (err) errors.push(err);
      return true;
    });
    const result: RulesForResult = { resourceRules, nonResourceRules, incomplete: false };
    if (errors.length) result.evaluationError = aggregateErrors(errors);
    return result;
  }

  /** Every rule that applies to user in namespace (cluster-wide ones first), as PolicyRules. */
  policyRulesFor(user: UserInfo, namespace: string): { rules: PolicyRule[]; errors: string[] } {
    const rules: PolicyRule[] = [];
    const errors: string[] = [];
    this.visitRulesFor(user, namespace, (_s, rule, err) => {
      if (rule) rules.push(rule);
      if (err) errors.push(err);
      return true;
    });
    return { rules, errors };
  }

  // DefaultRuleResolver.VisitRulesFor: cluster role bindings, then (for a namespace) role bindings.
  private visitRulesFor(user: UserInfo, namespace: string, visit: RuleVisitor): void {
    for (const binding of this.source.clusterRoleBindings()) {
      const subject = firstApplicableSubject(user, binding.subjects, '');
      if (!subject) continue;
      const ref = binding.roleRef ?? NO_ROLE_REF;
      const resolved = this.roleReferenceRules(ref, '');
      if ('error' in resolved) {
        if (!visit(undefined, undefined, resolved.error)) return;
        continue;
      }
      const source = `ClusterRoleBinding ${goQuote(binding.metadata.name ?? '')} of ${ref.kind} ${goQuote(ref.name)} to ${describeSubject(subject, '')}`;
      for (const rule of resolved.rules) if (!visit(source, rule, undefined)) return;
    }
    if (!namespace) return;
    for (const binding of this.source.roleBindings(namespace)) {
      const subject = firstApplicableSubject(user, binding.subjects, namespace);
      if (!subject) continue;
      const ref = binding.roleRef ?? NO_ROLE_REF;
      const resolved = this.roleReferenceRules(ref, namespace);
      if ('error' in resolved) {
        if (!visit(undefined, undefined, resolved.error)) return;
        continue;
      }
      const bindingNs = binding.metadata.namespace ?? namespace;
      const source = `RoleBinding ${goQuote(`${binding.metadata.name ?? ''}/${bindingNs}`)} of ${ref.kind} ${goQuote(ref.name)} to ${describeSubject(subject, bindingNs)}`;
      for (const rule of resolved.rules) if (!visit(source, rule, undefined)) return;
    }
  }

  // GetRoleReferenceRules, with the listers' NotFound messages.
  private roleReferenceRules(ref: RoleRef, bindingNamespace: string): { rules: PolicyRule[] } | { error: string } {
    switch (ref.kind) {
      case 'Role': {
        const role = bindingNamespace ? this.source.getRole(bindingNamespace, ref.name) : undefined;
        if (!role) return { error: `role.rbac.authorization.k8s.io ${goQuote(ref.name)} not found` };
        return { rules: role.rules ?? [] };
      }
      case 'ClusterRole': {
        const role = this.source.getClusterRole(ref.name);
        if (!role) return { error: `clusterrole.rbac.authorization.k8s.io ${goQuote(ref.name)} not found` };
        return { rules: role.rules ?? [] };
      }
      default:
        return { error: `unsupported role reference kind: ${goQuote(ref.kind)}` };
    }
  }
}

/** True when the rule grants the request (rbac.RuleAllows). */
export function ruleAllows(attrs: Attributes, rule: PolicyRule): boolean {
  if (attrs.resourceRequest) {
    const combined = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
    return (
      verbMatches(rule, attrs.verb) &&
      apiGroupMatches(rule, attrs.apiGroup) &&
      resourceMatches(rule, combined, attrs.subresource) &&
      resourceNameMatches(rule, attrs.name)
    );
  }
  return verbMatches(rule, attrs.verb) && nonResourceURLMatches(rule, attrs.path);
}

/** True when any of the rules grants the request (rbac.RulesAllow). */
export function rulesAllow(attrs: Attributes, rules: PolicyRule[]): boolean {
  return rules.some((r) => ruleAllows(attrs, r));
}

/** rbacv1helpers.VerbMatches. */
export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return (rule.verbs ?? []).some((v) => v === '*' || v === verb);
}

/** rbacv1helpers.APIGroupMatches. */
export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return (rule.apiGroups ?? []).some((g) => g === '*' || g === group);
}

/** rbacv1helpers.ResourceMatches: "*", an exact "resource[/subresource]", or "*\/subresource". */
export function resourceMatches(rule: PolicyRule, combinedResource: string, subresource: string): boolean {
  for (const r of rule.resources ?? []) {
    if (r === '*' || r === combinedResource) return true;
    if (subresource && r.length === subresource.length + 2 && r.startsWith('*/') && r.endsWith(subresource)) return true;
  }
  return false;
}

/** rbacv1helpers.ResourceNameMatches: an empty resourceNames list matches every name. */
export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(name);
}

/** rbacv1helpers.NonResourceURLMatches: "*", exact, or a prefix ending in "*". */
export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  for (const u of rule.nonResourceURLs ?? []) {
    if (u === '*' || u === path) return true;
    if (u.endsWith('*') && path.startsWith(u.replace(/\*+$/, ''))) return true;
  }
  return false;
}

/** True when a binding subject names this user (appliesToUser); SA subjects default to the binding's namespace. */
export function subjectAppliesTo(user: UserInfo, subject: Subject, namespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return user.username === subject.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const ns = subject.namespace || namespace;
      if (!ns) return false;
      return user.username === serviceAccountUsername(ns, subject.name);
    }
    default:
      return false;
  }
}

function firstApplicableSubject(user: UserInfo, subjects: Subject[] | undefined, namespace: string): Subject | undefined {
  return (subjects ?? []).find((s) => subjectAppliesTo(user, s, namespace));
}

function describeSubject(s: Subject, bindingNamespace: string): string {
  if (s.kind === 'ServiceAccount') return `${s.kind} ${goQuote(`${s.name}/${s.namespace || bindingNamespace}`)}`;
  return `${s.kind} ${goQuote(s.name)}`;
}

/**
 * The text kube-apiserver returns on denial (responsewriters.forbiddenMessage), e.g.
 * `User "jane" cannot list resource "pods" in API group "" in the namespace "default"`.
 */
export function forbiddenMessage(attrs: Attributes): string {
  const user = goQuote(attrs.user.username);
  if (!attrs.resourceRequest) return `User ${user} cannot ${attrs.verb} path ${goQuote(attrs.path)}`;
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  if (attrs.namespace) {
    return `User ${user} cannot ${attrs.verb} resource ${goQuote(resource)} in API group ${goQuote(attrs.apiGroup)} in the namespace ${goQuote(attrs.namespace)}`;
  }
  return `User ${user} cannot ${attrs.verb} resource ${goQuote(resource)} in API group ${goQuote(attrs.apiGroup)} at the cluster scope`;
}

/**
 * The 403 the API server sends (responsewriters.Forbidden): `pods "x" is forbidden: <message>`,
 * with the authorizer's reason appended after ": " when there is one, and HTML-ish characters
 * escaped as upstream does.
 */
export function forbiddenError(attrs: Attributes, reason = ''): StatusError {
  const msg = sanitize(forbiddenMessage(attrs));
  const full = reason ? `${msg}: ${reason}` : msg;
  if (!attrs.resource && !attrs.apiGroup) {
    // errors.NewForbidden with an empty GroupResource: `forbidden: User "system:anonymous" cannot get path "/"`.
    return new StatusError({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `forbidden: ${full}`,
      reason: 'Forbidden',
      details: attrs.name ? { name: attrs.name } : {},
      code: 403,
    });
  }
  return forbidden({ group: attrs.apiGroup, resource: attrs.resource }, attrs.name, full);
}

// responsewriters' sanitizer: avoid emitting errors that look like valid HTML.
function sanitize(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** utilerrors.NewAggregate(...).Error(): one message alone, several as "[a, b]", duplicates dropped. */
export function aggregateErrors(messages: string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
}

/** Go's %q for the printable strings Kubernetes names are made of (JSON quoting agrees on those). */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** Adds a PolicyRule's resource and non-resource parts as SelfSubjectRulesReview reports them. */
export function addReviewRules(rule: PolicyRule, resourceRules: ResourceRule[], nonResourceRules: NonResourceRule[]): void {
  if (rule.resources?.length) {
    resourceRules.push(
      omitEmpty({
        verbs: [...rule.verbs],
        apiGroups: rule.apiGroups && [...rule.apiGroups],
        resources: [...rule.resources],
        resourceNames: rule.resourceNames && [...rule.resourceNames],
      }),
    );
  }
  if (rule.nonResourceURLs?.length) nonResourceRules.push({ verbs: [...rule.verbs], nonResourceURLs: [...rule.nonResourceURLs] });
}

function omitEmpty(rule: ResourceRule): ResourceRule {
  const out: ResourceRule = { verbs: rule.verbs };
  if (rule.apiGroups?.length) out.apiGroups = rule.apiGroups;
  if (rule.resources?.length) out.resources = rule.resources;
  if (rule.resourceNames?.length) out.resourceNames = rule.resourceNames;
  return out;
}

/** An RBACSource over plain arrays: for tests, bootstrap, and callers without a cache. */
export class StaticRBACSource implements RBACSource {
  constructor(
    private readonly objects: {
      clusterRoles?: ClusterRole[];
      clusterRoleBindings?: ClusterRoleBinding[];
      roles?: Role[];
      roleBindings?: RoleBinding[];
    },
  ) {}
  clusterRoles(): ClusterRole[] {
    return this.objects.clusterRoles ?? [];
  }
  clusterRoleBindings(): ClusterRoleBinding[] {
    return this.objects.clusterRoleBindings ?? [];
  }
  roles(namespace: string): Role[] {
    return (this.objects.roles ?? []).filter((r) => r.metadata.namespace === namespace);
  }
  roleBindings(namespace: string): RoleBinding[] {
    return (this.objects.roleBindings ?? []).filter((r) => r.metadata.namespace === namespace);
  }
  getClusterRole(name: string): ClusterRole | undefined {
    return this.clusterRoles().find((r) => r.metadata.name === name);
  }
  getRole(namespace: string, name: string): Role | undefined {
    return this.roles(namespace).find((r) => r.metadata.name === name);
  }
}
