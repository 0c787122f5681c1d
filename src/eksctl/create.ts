// `create cluster -f`: a ClusterConfig file parsed (cluster-config.ts), planned (plan.ts) and applied
// (apply.ts) through the EKS service, for `skiff up -f` in-process and for `skiff create cluster -f`
// through the EKS API port. IDs (subnets, roles) are derived from the cluster name, so a config
// gives the same VPC every time.
import type { Clock } from '../sim/clock.js';
import { Rand } from '../kubelet/prng.js';
import type { Caller } from '../eks/identity.js';
import { inUse } from '../eks/errors.js';
import type { EksService } from '../eks/service.js';
import { parseClusterConfig } from './cluster-config.js';
import { planCluster, type ClusterPlan } from './plan.js';
import { applyClusterPlan } from './apply.js';

/** Parses and plans a ClusterConfig for a caller (throws ClusterConfigError naming field and line). */
export function planFromFile(text: string, file: string, caller: Caller): ClusterPlan {
  const cfg = parseClusterConfig(text, file);
  const r = new Rand(`eksctl:${cfg.metadata.region}:${cfg.metadata.name}`);
  const ids = new Map<string, string>();
  // The same kind and number always get the same ID within one plan.
  const id = (kind: string, n: number) => {
    const k = `${kind}:${n}`;
    if (!ids.has(k)) ids.set(k, kind === 'suffix' ? r.hex(12).toUpperCase() : `${kind}-${r.hex(17)}`);
    return ids.get(k)!;
  };
  return planCluster(cfg, { accountId: caller.accountId }, id);
}

/** Creates the cluster a ClusterConfig describes; resolves when its nodes are Ready. */
export async function createClusterFromFile(svc: EksService, caller: Caller, text: string, file: string, opts: { clock: Clock; say(line: string): void }): Promise<{ name: string; region: string }> {
  return createClusterFromPlan(svc, caller, planFromFile(text, file, caller), opts);
}

/** Creates a planned cluster, refused as eksctl's CloudFormation refuses a stack that exists. */
export async function createClusterFromPlan(svc: EksService, caller: Caller, plan: ClusterPlan, opts: { clock: Clock; say(line: string): void }): Promise<{ name: string; region: string }> {
  const name = plan.createCluster.name as string;
  if (svc.hasCluster(plan.region, name)) throw inUse(`creating CloudFormation stack "eksctl-${name}-cluster": operation error CloudFormation: CreateStack, AlreadyExistsException: Stack [eksctl-${name}-cluster] already exists`, { clusterName: name });
  await applyClusterPlan(svc, caller, plan, opts);
  return { name, region: plan.region };
}
