// `eksctl create cluster -f`, as skiff runs it: a planned ClusterConfig (plan.ts) applied through
// the same EksService the EKS API serves — CreateCluster with eksctl's VPC, then access entries,
// the add-ons eksctl installs before node groups, the node groups (managed ones through
// CreateNodegroup, eksctl's own as self-managed instances), the remaining add-ons and the Fargate
// profiles — waiting for ACTIVE and for every node to be Ready, with eksctl's progress lines.
import type { Node } from '../api/objects.js';
import type { Clock } from '../sim/clock.js';
import { NODES } from '../client/refs.js';
import type { Caller } from '../eks/identity.js';
import { EksError } from '../eks/errors.js';
import type { EksService } from '../eks/service.js';
import { ADDONS_BEFORE_NODEGROUPS, type ClusterPlan } from './plan.js';

export interface ApplyOptions {
  clock: Clock;
  /** eksctl-style progress ("[ℹ]  ..."). */
  say(line: string): void;
  /** How long to wait for nodes (clock ms); eksctl's default is 25 minutes. */
  timeoutMs?: number;
}

type Json = Record<string, unknown>;

/** Creates the planned cluster; resolves once it is ACTIVE and all its nodes are Ready. */
export async function applyClusterPlan(svc: EksService, caller: Caller, plan: ClusterPlan, opts: ApplyOptions): Promise<void> {
  const name = plan.createCluster.name as string;
  const say = opts.say;
  const groups = plan.nodegroups;
  say(`using region ${plan.region}`);
  say(`setting availability zones to [${[...new Set(plan.vpc.subnets.map((s) => s.zone))].join(' ')}]`);
  for (const s of plan.vpc.subnets) say(`subnets for ${s.zone} - ${s.public ? 'public' : 'private'}:${s.cidr}`);
  say(`creating EKS cluster "${name}" in "${plan.region}" region with ${describeGroups(plan)}`);
  const region = { ...caller, region: plan.region };
  await svc.createCluster(region, plan.createCluster, { vpcId: plan.vpc.vpcId, subnets: plan.vpc.subnets });
  say(`waiting for the control plane to become ready`);
  await until(opts.clock, () => (svc.describeCluster(region, name).cluster as Json).status === 'ACTIVE', opts.timeoutMs);
  for (const e of plan.accessEntries) {
    const { accessPolicies, ...entry } = e as Json & { accessPolicies?: Json[] };
    svc.createAccessEntry(region, name, entry);
    for (const p of accessPolicies ?? []) svc.associateAccessPolicy(region, name, entry.principalArn as string, p);
  }
  // eksctl's lines in eksctl's order; the add-ons themselves go in together, as EKS installs them
  // independently of each other.
  const createAddons = async (early: boolean) => {
    const addons = plan.addons.filter((x) => ADDONS_BEFORE_NODEGROUPS.includes(x.addonName as string) === early);
    const results = await Promise.allSettled(
      addons.map((a) => {
        say(`creating addon: ${a.addonName}`);
        return svc.addons.create(plan.region, name, a);
      }),
    );
    // The first failure, in eksctl's order, once all have settled.
    for (const r of results) if (r.status === 'rejected') throw r.reason;
  };
  await createAddons(true);
  for (const g of groups) {
    say(`creating ${g.managed ? 'managed ' : ''}nodegroup "${g.input.nodegroupName}"`);
    svc.createNodegroup(region, name, g.input, { selfManaged: !g.managed });
  }
  await createAddons(false);
  for (const f of plan.fargateProfiles) {
    say(`creating Fargate profile "${f.fargateProfileName}" on EKS cluster "${name}"`);
    svc.fargateProfiles.create(plan.region, name, f);
  }
  // Every node of every group Ready, as eksctl waits for them.
  const want = groups.reduce((n, g) => n + ((g.input.scalingConfig as { desiredSize: number }).desiredSize ?? 0), 0);
  say(`waiting for at least ${want} node(s) to become ready`);
  await until(
    opts.clock,
    async () => {
      const client = svc.clusterClient(name);
      if (!client) return false;
      const nodes = (await client.resource<Node>(NODES).list()).items.filter((n) => !n.metadata.labels?.['eks.amazonaws.com/compute-type']);
      return nodes.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length >= want;
    },
    opts.timeoutMs,
  );
  say(`EKS cluster "${name}" in "${plan.region}" region is ready`);
}

function describeGroups(plan: ClusterPlan): string {
  const managed = plan.nodegroups.filter((g) => g.managed).length;
  const own = plan.nodegroups.length - managed;
  const parts = [`${managed} managed nodegroup${managed === 1 ? '' : 's'}`];
  if (own) parts.unshift(`${own} nodegroup${own === 1 ? '' : 's'}`);
  if (plan.fargateProfiles.length) parts.push(`${plan.fargateProfiles.length} Fargate profile${plan.fargateProfiles.length === 1 ? '' : 's'}`);
  return parts.join(' and ');
}

async function until(clock: Clock, check: () => boolean | Promise<boolean>, timeoutMs = 25 * 60_000): Promise<void> {
  const deadline = clock.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (clock.now() > deadline) throw new EksError('ServerException', 500, 'timed out waiting for the cluster to become ready');
    // Often the control plane turns ACTIVE a few ms after the first look; a long poll would add
    // its whole interval to the bring-up. Each look is one store read or one small list.
    await clock.sleep(10);
  }
}
