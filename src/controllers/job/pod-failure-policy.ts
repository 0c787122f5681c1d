// spec.podFailurePolicy (pkg/controller/job/pod_failure_policy.go): the first rule a failed pod
// matches decides whether the failure counts against backoffLimit, is ignored, or fails the Job.
import type { Pod, PodFailurePolicy } from './types.js';
import type { ContainerStatus, PodCondition } from '../../api/objects.js';

export type PolicyAction = 'Ignore' | 'FailIndex' | 'Count' | 'FailJob';

export interface PolicyMatch {
  /** Set for FailJob: the Job's failure message. */
  jobFailureMessage?: string;
  /** False only for Ignore. */
  countFailed: boolean;
  action?: PolicyAction;
}

type Rule = PodFailurePolicy['rules'][number];

function matchingContainer(statuses: ContainerStatus[] | undefined, req: NonNullable<Rule['onExitCodes']>): ContainerStatus | undefined {
  for (const s of statuses ?? []) {
    const code = s.state?.terminated?.exitCode;
    if (code === undefined || code === 0) continue;
    if (req.containerName && req.containerName !== s.name) continue;
    const listed = req.values.includes(code);
    if (req.operator === 'In' ? listed : req.operator === 'NotIn' ? !listed : false) return s;
  }
  return undefined;
}

function matchingCondition(pod: Pod, patterns: NonNullable<Rule['onPodConditions']>): PodCondition | undefined {
  for (const c of pod.status?.conditions ?? []) {
    if (patterns.some((p) => p.type === c.type && (p.status ?? 'True') === c.status)) return c;
  }
  return undefined;
}

/** matchPodFailurePolicy. */
export function matchPodFailurePolicy(policy: PodFailurePolicy | undefined, pod: Pod): PolicyMatch {
  if (!policy) return { countFailed: true };
  for (const [i, rule] of (policy.rules ?? []).entries()) {
    const action = rule.action as PolicyAction;
    let failMessage: string | undefined;
    if (rule.onExitCodes) {
      const s = matchingContainer(pod.status?.containerStatuses, rule.onExitCodes) ?? matchingContainer(pod.status?.initContainerStatuses, rule.onExitCodes);
      if (!s) continue;
      failMessage = `Container ${s.name} for pod ${pod.metadata.namespace}/${pod.metadata.name} failed with exit code ${s.state!.terminated!.exitCode} matching ${action} rule at index ${i}`;
    } else if (rule.onPodConditions) {
      const c = matchingCondition(pod, rule.onPodConditions);
      if (!c) continue;
      failMessage = `Pod ${pod.metadata.namespace}/${pod.metadata.name} has condition ${c.type} matching ${action} rule at index ${i}`;
    } else {
      continue;
    }
    switch (action) {
      case 'Ignore':
        return { countFailed: false, action };
      case 'FailIndex':
      case 'Count':
        return { countFailed: true, action };
      case 'FailJob':
        return { jobFailureMessage: failMessage, countFailed: true, action };
    }
  }
  return { countFailed: true };
}
