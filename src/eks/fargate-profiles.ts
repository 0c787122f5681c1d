// EKS Fargate profiles: CreateFargateProfile, DescribeFargateProfile, ListFargateProfiles and
// DeleteFargateProfile, with CREATING → ACTIVE and DELETING on the clock. A profile also keeps the
// addresses its Fargate nodes took from its subnets, so they stay taken across restarts, and what
// each of those nodes (microVMs) was booted with, so a restart boots them again: a Fargate pod keeps
// running while the control plane restarts.
import { randomUUID } from 'node:crypto';
import type { Clock } from '../sim/clock.js';
import type { Subnet } from '../cloud/vpc.js';
import { inUse, invalidParameter, notFound } from './errors.js';
import { paginate, requireString, seconds, type ClusterRecord, type Json } from './common.js';
import type { EksStore } from './store.js';
import type { FargateProfile } from './fargate.js';
import type { SimNodeSpec } from '../kubelet/types.js';

export interface FargateProfileRecord {
  region: string;
  profile: Json & FargateProfile & { clusterName: string; fargateProfileArn: string; tags: Record<string, string> };
  /** Node addresses in use by this profile's pods. */
  addresses: string[];
  /** The Fargate nodes running, by address (one of `addresses`): booted again after a restart. */
  nodes?: Record<string, SimNodeSpec>;
}

export interface FargateProfileContext {
  store: EksStore;
  clock: Clock;
  cluster(region: string, name: string): ClusterRecord;
  subnet(rec: ClusterRecord, subnetId: string): Subnet;
  durations: { create: number; delete: number };
}

const NAME_RE = /^[0-9A-Za-z][A-Za-z0-9\-_]*$/;

export class FargateProfileApi {
  constructor(private readonly ctx: FargateProfileContext) {}

  create(region: string, clusterName: string, input: Json): Json {
    const rec = this.ctx.cluster(region, clusterName);
    const name = requireString(input, 'fargateProfileName');
    if (!NAME_RE.test(name) || name.length > 100) throw invalidParameter(`The fargate profile name ${name} is invalid.`, { clusterName, fargateProfileName: name });
    const podExecutionRoleArn = requireString(input, 'podExecutionRoleArn');
    const key = `${region}/${clusterName}/${name}`;
    if (this.ctx.store.get('fargateProfile', key)) throw inUse(`A Fargate Profile already exists with this name in this cluster.`, { clusterName, fargateProfileName: name });
    if (rec.cluster.status !== 'ACTIVE') throw invalidParameter(`Cluster '${clusterName}' is not in ACTIVE status`, { clusterName, fargateProfileName: name });
    const selectors = (input.selectors as { namespace?: string; labels?: Record<string, string> }[] | undefined) ?? [];
    if (!selectors.length) throw invalidParameter('At least one selector is required.', { clusterName, fargateProfileName: name });
    if (selectors.length > 5) throw invalidParameter('A Fargate profile can have at most 5 selectors.', { clusterName, fargateProfileName: name });
    for (const s of selectors) {
      if (!s.namespace) throw invalidParameter('Selector namespace is required.', { clusterName, fargateProfileName: name });
      if (Object.keys(s.labels ?? {}).length > 5) throw invalidParameter('A selector can have at most 5 labels.', { clusterName, fargateProfileName: name });
    }
    // Fargate pods get no public address: only private subnets, by default the cluster's.
    const subnets = (input.subnets as string[] | undefined) ?? rec.subnets.filter((s) => !s.public).map((s) => s.subnetId);
    if (!subnets.length) throw invalidParameter('Fargate profiles need private subnets; the cluster has none.', { clusterName, fargateProfileName: name });
    for (const id of subnets) {
      if (this.ctx.subnet(rec, id).public) throw invalidParameter(`Subnet ${id} provided in Fargate Profile is not a private subnet`, { clusterName, fargateProfileName: name });
    }
    const p: FargateProfileRecord = {
      region,
      addresses: [],
      profile: {
        fargateProfileName: name,
        fargateProfileArn: `arn:aws:eks:${region}:${rec.accountId}:fargateprofile/${clusterName}/${name}/${randomUUID()}`,
        clusterName,
        createdAt: seconds(this.ctx.clock.now()),
        podExecutionRoleArn,
        subnets,
        selectors: selectors.map((s) => ({ namespace: s.namespace!, ...(s.labels ? { labels: s.labels } : {}) })),
        status: 'CREATING',
        tags: (input.tags as Record<string, string> | undefined) ?? {},
        health: { issues: [] },
      },
    };
    this.ctx.store.put('fargateProfile', key, p);
    this.activate(key);
    return { fargateProfile: p.profile };
  }

  describe(region: string, clusterName: string, name: string): Json {
    return { fargateProfile: this.profile(region, clusterName, name).profile };
  }

  list(region: string, clusterName: string, q: URLSearchParams): Json {
    this.ctx.cluster(region, clusterName);
    const page = paginate(this.all(region, clusterName).map((p) => p.profile.fargateProfileName), q);
    return { fargateProfileNames: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  }

  delete(region: string, clusterName: string, name: string): Json {
    const p = this.profile(region, clusterName, name);
    const key = `${region}/${clusterName}/${name}`;
    p.profile.status = 'DELETING';
    this.ctx.store.put('fargateProfile', key, p);
    this.ctx.clock.setTimeout(() => this.ctx.store.delete('fargateProfile', key), this.ctx.durations.delete);
    return { fargateProfile: p.profile };
  }

  /** Finishes transitions left by a restart. */
  resume(region: string, clusterName: string): void {
    for (const p of this.all(region, clusterName)) {
      const key = `${region}/${clusterName}/${p.profile.fargateProfileName}`;
      if (p.profile.status === 'CREATING') this.activate(key);
      if (p.profile.status === 'DELETING') this.ctx.store.delete('fargateProfile', key);
    }
  }

  all(region: string, clusterName: string): FargateProfileRecord[] {
    return this.ctx.store.list<FargateProfileRecord>('fargateProfile', `${region}/${clusterName}/`);
  }

  /** Records an address a Fargate node of the profile took (or gave back, with the node booted there). */
  setAddress(region: string, clusterName: string, name: string, ip: string, inUse: boolean): void {
    const key = `${region}/${clusterName}/${name}`;
    const p = this.ctx.store.get<FargateProfileRecord>('fargateProfile', key);
    if (!p) return;
    p.addresses = inUse ? [...new Set([...p.addresses, ip])] : p.addresses.filter((a) => a !== ip);
    if (!inUse && p.nodes?.[ip]) delete p.nodes[ip];
    this.ctx.store.put('fargateProfile', key, p);
  }

  /**
   * Records the node booted at one of the profile's addresses (the address stays taken with it), so
   * the next start boots it again. Gone with the address, when setAddress gives it back.
   */
  setNode(region: string, clusterName: string, name: string, spec: SimNodeSpec): void {
    const key = `${region}/${clusterName}/${name}`;
    const p = this.ctx.store.get<FargateProfileRecord>('fargateProfile', key);
    if (!p) return;
    const ip = spec.addresses.internalIP;
    p.addresses = [...new Set([...p.addresses, ip])];
    p.nodes = { ...p.nodes, [ip]: spec };
    this.ctx.store.put('fargateProfile', key, p);
  }

  /** The Fargate nodes of the cluster's profiles that were running when last recorded. */
  nodes(region: string, clusterName: string): SimNodeSpec[] {
    return this.all(region, clusterName).flatMap((p) => Object.values(p.nodes ?? {}));
  }

  private activate(key: string): void {
    this.ctx.clock.setTimeout(() => {
      const p = this.ctx.store.get<FargateProfileRecord>('fargateProfile', key);
      if (!p || p.profile.status !== 'CREATING') return;
      p.profile.status = 'ACTIVE';
      this.ctx.store.put('fargateProfile', key, p);
    }, this.ctx.durations.create);
  }

  private profile(region: string, clusterName: string, name: string): FargateProfileRecord {
    this.ctx.cluster(region, clusterName);
    const p = this.ctx.store.get<FargateProfileRecord>('fargateProfile', `${region}/${clusterName}/${name}`);
    if (!p) throw notFound(`No Fargate Profile found with name: ${name}.`, { clusterName, fargateProfileName: name });
    return p;
  }
}
