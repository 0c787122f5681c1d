// The kube-system/aws-auth ConfigMap (aws-iam-authenticator's EKS mapping): mapRoles and mapUsers,
// each a YAML list of {rolearn|userarn, username, groups}. Malformed entries are skipped, as the
// authenticator skips them.
import YAML from 'yaml';

export interface AwsAuthMapping {
  arn: string;
  username: string;
  groups: string[];
}

export function parseAwsAuth(cm: { data?: Record<string, string> } | undefined): AwsAuthMapping[] {
  const out: AwsAuthMapping[] = [];
  for (const [field, arnKey] of [
    ['mapRoles', 'rolearn'],
    ['mapUsers', 'userarn'],
  ] as const) {
    const text = cm?.data?.[field];
    if (!text) continue;
    let list: unknown;
    try {
      list = YAML.parse(text);
    } catch {
      continue;
    }
    if (!Array.isArray(list)) continue;
    for (const m of list) {
      if (!m || typeof m[arnKey] !== 'string') continue;
      out.push({ arn: m[arnKey], username: typeof m.username === 'string' ? m.username : m[arnKey], groups: Array.isArray(m.groups) ? m.groups.filter((g: unknown) => typeof g === 'string') : [] });
    }
  }
  return out;
}
