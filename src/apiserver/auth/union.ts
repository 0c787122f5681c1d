// union.New: authorizers asked in turn; the first that allows or denies decides, and the reasons of
// those without an opinion are kept for the Forbidden message. Rules are the union of each one's.
import type { UserInfo } from './authn.js';
import type { Attributes, AuthorizationResult, Authorizer, RulesForResult } from './rbac.js';

export class UnionAuthorizer implements Authorizer {
  constructor(private readonly authorizers: Authorizer[]) {}

  authorize(attrs: Attributes): AuthorizationResult {
    const reasons: string[] = [];
    for (const a of this.authorizers) {
      const d = a.authorize(attrs);
      if (d.decision !== 'no-opinion') return d;
      if (d.reason) reasons.push(d.reason);
    }
    return { decision: 'no-opinion', reason: reasons.join('\n') };
  }

  rulesFor(user: UserInfo, namespace: string): RulesForResult {
    const out: RulesForResult = { resourceRules: [], nonResourceRules: [], incomplete: false };
    const errors: string[] = [];
    for (const a of this.authorizers) {
      const r = a.rulesFor(user, namespace);
      out.resourceRules.push(...r.resourceRules);
      out.nonResourceRules.push(...r.nonResourceRules);
      out.incomplete ||= r.incomplete;
      if (r.evaluationError) errors.push(r.evaluationError);
    }
    if (errors.length) out.evaluationError = errors.join(', ');
    return out;
  }
}
