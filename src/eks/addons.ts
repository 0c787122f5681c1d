// EKS managed add-ons: CreateAddon, DescribeAddon, ListAddons, UpdateAddon, DeleteAddon and
// DescribeAddonVersions. An add-on's Kubernetes objects (addon-manifests.ts) are server-side
// applied into the cluster under the field manager "eks", as EKS does: with resolveConflicts NONE a
// field another manager owns fails the add-on with ConfigurationConflict; OVERWRITE takes it over.
import { randomUUID } from 'node:crypto';
import type { Clock } from '../sim/clock.js';
import type { KubeObject } from '../api/types.js';
import { StatusError } from '../apimachinery/errors.js';
import { isNotFound, type RestClient } from '../client/rest.js';
import { addonInfo, addonVersionCompatible, defaultAddonVersion, describeAddonVersions } from './addon-catalog.js';
import { AddonConfigurationError, addonObjects } from './addon-manifests.js';
import { inUse, invalidParameter, notFound } from './errors.js';
import { newUpdate, paginate, requireString, seconds, updateKey, type ClusterRecord, type Json, type UpdateRecord } from './common.js';
import type { EksStore } from './store.js';

/** The field manager EKS applies add-on objects with. */
export const EKS_FIELD_MANAGER = 'eks';

interface AddonRecord {
  region: string;
  addon: Json & { addonName: string; clusterName: string; status: string; addonVersion: string; addonArn: string; tags: Record<string, string> };
  resolveConflicts: string;
}

export interface AddonContext {
  store: EksStore;
  clock: Clock;
  /** The cluster's record (throws ResourceNotFoundException when there is none). */
  cluster(region: string, name: string): ClusterRecord;
  /** An admin client of the cluster's Kubernetes API, once it runs. */
  client(clusterName: string): RestClient | undefined;
  log(message: string, err?: unknown): void;
}

const RESOLVE = ['NONE', 'OVERWRITE', 'PRESERVE'];

/** What CreateCluster installs unless bootstrapSelfManagedAddons is false ("the default networking add-ons"). */
export const SELF_MANAGED_ADDONS = ['vpc-cni', 'kube-proxy', 'coredns'];

/**
 * Server-side applies an add-on's objects under EKS's field manager; returns the objects that
 * failed, with their errors, in the order given. Definitions go first (objects of a new kind or in
 * a new namespace need them), then the rest at once: their applies then share commits, instead of
 * each waiting its turn on a busy event loop. Kinds the cluster's API server does not serve are
 * left out, not failed on.
 */
async function applyAddonObjects(client: RestClient, objects: KubeObject[], force: boolean): Promise<{ obj: KubeObject; error: unknown }[]> {
  const applyOne = async (obj: KubeObject): Promise<unknown> => {
    const ref = await client.mapping(obj.apiVersion!, obj.kind!);
    if (!ref) return undefined;
    try {
      const rc = client.resource(ref);
      await (obj.metadata?.namespace ? rc.namespace(obj.metadata.namespace) : rc).apply(obj, { fieldManager: EKS_FIELD_MANAGER, force });
      return undefined;
    } catch (e) {
      return e;
    }
  };
  const first = (o: KubeObject) => o.kind === 'CustomResourceDefinition' || o.kind === 'Namespace';
  const definitions = objects.filter(first);
  const rest = objects.filter((o) => !first(o));
  const errors = [...(await Promise.all(definitions.map(applyOne))), ...(await Promise.all(rest.map(applyOne)))];
  return [...definitions, ...rest].map((obj, i) => ({ obj, error: errors[i] })).filter((r) => r.error !== undefined);
}

export class AddonApi {
  constructor(private readonly ctx: AddonContext) {}

  async create(region: string, clusterName: string, input: Json): Promise<Json> {
    const rec = this.ctx.cluster(region, clusterName);
    const name = requireString(input, 'addonName');
    const version = this.checkVersion(name, input.addonVersion as string | undefined, rec, clusterName);
    const key = `${region}/${clusterName}/${name}`;
    if (this.ctx.store.get('addon', key)) throw inUse('Addon already exists.', { clusterName, addonName: name });
    const resolveConflicts = (input.resolveConflicts as string | undefined) ?? 'NONE';
    if (!RESOLVE.includes(resolveConflicts)) throw invalidParameter(`resolveConflicts must be one of ${RESOLVE.join(', ')}`, { clusterName, addonName: name });
    const configurationValues = input.configurationValues as string | undefined;
    this.render(name, version, rec, configurationValues, clusterName); // bad values fail the request, not the add-on
    const now = seconds(this.ctx.clock.now());
    const a: AddonRecord = {
      region,
      resolveConflicts,
      addon: {
        addonName: name,
        clusterName,
        status: 'CREATING',
        addonVersion: version,
        health: { issues: [] },
        addonArn: `arn:aws:eks:${region}:${rec.accountId}:addon/${clusterName}/${name}/${randomUUID()}`,
        createdAt: now,
        modifiedAt: now,
        ...(input.serviceAccountRoleArn ? { serviceAccountRoleArn: input.serviceAccountRoleArn } : {}),
        tags: (input.tags as Record<string, string> | undefined) ?? {},
        ...(configurationValues ? { configurationValues } : {}),
      },
    };
    this.ctx.store.put('addon', key, a);
    const view = { ...a.addon };
    await this.install(key);
    return { addon: view };
  }

  describe(region: string, clusterName: string, name: string): Json {
    return { addon: this.addon(region, clusterName, name).addon };
  }

  list(region: string, clusterName: string, q: URLSearchParams): Json {
    this.ctx.cluster(region, clusterName);
    const names = this.ctx.store.list<AddonRecord>('addon', `${region}/${clusterName}/`).map((a) => a.addon.addonName);
    const page = paginate(names, q);
    return { addons: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  }

  async update(region: string, clusterName: string, name: string, input: Json): Promise<Json> {
    const rec = this.ctx.cluster(region, clusterName);
    const a = this.addon(region, clusterName, name);
    if (a.addon.status === 'CREATING' || a.addon.status === 'UPDATING' || a.addon.status === 'DELETING') throw inUse(`Addon ${name} is currently in ${a.addon.status} status`, { clusterName, addonName: name });
    const params: { type: string; value: string }[] = [];
    const version = input.addonVersion !== undefined ? this.checkVersion(name, input.addonVersion as string, rec, clusterName) : a.addon.addonVersion;
    if (input.addonVersion !== undefined) params.push({ type: 'AddonVersion', value: version });
    if (input.serviceAccountRoleArn !== undefined) params.push({ type: 'ServiceAccountRoleArn', value: input.serviceAccountRoleArn as string });
    if (input.resolveConflicts !== undefined) {
      if (!RESOLVE.includes(input.resolveConflicts as string)) throw invalidParameter(`resolveConflicts must be one of ${RESOLVE.join(', ')}`, { clusterName, addonName: name });
      params.push({ type: 'ResolveConflicts', value: input.resolveConflicts as string });
    }
    const configurationValues = input.configurationValues !== undefined ? (input.configurationValues as string) : (a.addon.configurationValues as string | undefined);
    if (input.configurationValues !== undefined) params.push({ type: 'ConfigurationValues', value: configurationValues ?? '' });
    this.render(name, version, rec, configurationValues, clusterName);
    const u = newUpdate(this.ctx.clock.now(), region, clusterName, { addonName: name }, 'AddonUpdate', params);
    a.addon.addonVersion = version;
    if (input.serviceAccountRoleArn !== undefined) a.addon.serviceAccountRoleArn = input.serviceAccountRoleArn;
    if (configurationValues) a.addon.configurationValues = configurationValues;
    else delete a.addon.configurationValues;
    // PRESERVE keeps fields others changed: applied without force, like NONE, but not a failure.
    a.resolveConflicts = (input.resolveConflicts as string | undefined) ?? 'NONE';
    a.addon.status = 'UPDATING';
    a.addon.modifiedAt = seconds(this.ctx.clock.now());
    const key = `${region}/${clusterName}/${name}`;
    this.ctx.store.transaction(() => {
      this.ctx.store.put('addon', key, a);
      this.ctx.store.put('update', updateKey(u), u);
    });
    void this.install(key, u);
    return { update: u.update };
  }

  async delete(region: string, clusterName: string, name: string, preserve: boolean): Promise<Json> {
    const a = this.addon(region, clusterName, name);
    const key = `${region}/${clusterName}/${name}`;
    a.addon.status = 'DELETING';
    this.ctx.store.put('addon', key, a);
    const view = { ...a.addon };
    const client = this.ctx.client(clusterName);
    const rec = this.ctx.cluster(region, clusterName);
    if (client && !preserve) {
      for (const obj of this.render(name, a.addon.addonVersion, rec, a.addon.configurationValues as string | undefined, clusterName).reverse()) {
        const ref = await client.mapping(obj.apiVersion!, obj.kind!);
        if (!ref) continue;
        try {
          const rc = client.resource(ref);
          await (obj.metadata?.namespace ? rc.namespace(obj.metadata.namespace) : rc).delete(obj.metadata!.name!, { propagationPolicy: 'Background' });
        } catch (e) {
          if (!isNotFound(e)) this.ctx.log(`eks: deleting ${obj.kind} ${obj.metadata?.name} of add-on ${name} failed`, e);
        }
      }
    }
    this.ctx.store.transaction(() => {
      this.ctx.store.delete('addon', key);
      for (const u of this.ctx.store.list<UpdateRecord>('update', `${region}/${clusterName}/`)) if (u.addonName === name) this.ctx.store.delete('update', updateKey(u));
    });
    return { addon: view };
  }

  versions(q: URLSearchParams): Json {
    const addons = describeAddonVersions({
      kubernetesVersion: q.get('kubernetesVersion') ?? undefined,
      addonName: q.get('addonName') ?? undefined,
      types: q.getAll('types'),
      publishers: q.getAll('publishers'),
      owners: q.getAll('owners'),
    });
    const page = paginate(addons.map((_, i) => String(i)), q);
    return { addons: page.items.map((i) => addons[Number(i)]), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  }

  /**
   * CreateCluster's default networking add-ons (bootstrapSelfManagedAddons): vpc-cni, kube-proxy
   * and CoreDNS at the cluster version's default versions, put into the cluster as self-managed
   * objects. EKS manages no add-on for them (ListAddons stays empty); CreateAddon takes them over
   * later. Rejects with the first failure; applying again is harmless (server-side apply).
   */
  async bootstrapSelfManaged(region: string, clusterName: string): Promise<void> {
    const rec = this.ctx.cluster(region, clusterName);
    const client = this.ctx.client(clusterName);
    if (!client) throw new Error(`cluster ${clusterName} has no running API server`);
    const objects = SELF_MANAGED_ADDONS.flatMap((name) => this.render(name, defaultAddonVersion(name, rec.cluster.version)!, rec, undefined, clusterName));
    // A conflict can only come from a restart after someone changed the objects: theirs stand.
    const failed = (await applyAddonObjects(client, objects, false)).find((f) => !(f.error instanceof StatusError && f.error.code === 409));
    if (failed) throw new Error(`${failed.obj.kind} ${failed.obj.metadata?.name}: ${failed.error instanceof Error ? failed.error.message : String(failed.error)}`);
  }

  /** Re-applies every add-on (after a restart, or for one still CREATING/UPDATING). */
  async resume(region: string, clusterName: string): Promise<void> {
    for (const a of this.ctx.store.list<AddonRecord>('addon', `${region}/${clusterName}/`)) {
      const key = `${region}/${clusterName}/${a.addon.addonName}`;
      if (a.addon.status === 'DELETING') await this.delete(region, clusterName, a.addon.addonName, false);
      else if (a.addon.status !== 'ACTIVE' && a.addon.status !== 'CREATE_FAILED' && a.addon.status !== 'DEGRADED') {
        const u = this.ctx.store.list<UpdateRecord>('update', `${region}/${clusterName}/`).find((x) => x.addonName === a.addon.addonName && x.update.status === 'InProgress');
        await this.install(key, u);
      }
    }
  }

  private addon(region: string, clusterName: string, name: string): AddonRecord {
    this.ctx.cluster(region, clusterName);
    const a = this.ctx.store.get<AddonRecord>('addon', `${region}/${clusterName}/${name}`);
    if (!a) throw notFound(`No addon: ${name} found in cluster: ${clusterName}`, { clusterName, addonName: name });
    return a;
  }

  private checkVersion(name: string, version: string | undefined, rec: ClusterRecord, clusterName: string): string {
    if (!addonInfo(name)) throw invalidParameter(`Addon ${name} specified is not supported in ${rec.cluster.version} kubernetes version`, { clusterName, addonName: name });
    const v = version ?? defaultAddonVersion(name, rec.cluster.version);
    if (!v) throw invalidParameter(`Addon ${name} specified is not supported in ${rec.cluster.version} kubernetes version`, { clusterName, addonName: name });
    if (!addonVersionCompatible(name, v, rec.cluster.version)) throw invalidParameter('Addon version specified is not supported', { clusterName, addonName: name });
    return v;
  }

  private render(name: string, version: string, rec: ClusterRecord, configurationValues: string | undefined, clusterName: string): KubeObject[] {
    try {
      return addonObjects(name, version, { clusterName, region: rec.region, serviceCIDR: (rec.cluster.kubernetesNetworkConfig as Json).serviceIpv4Cidr as string, configurationValues, endpoint: rec.cluster.endpoint as string });
    } catch (e) {
      if (e instanceof AddonConfigurationError) throw invalidParameter(e.message, { clusterName, addonName: name });
      throw e;
    }
  }

  /** Applies the add-on's objects, then marks it (and its update) as the apply went. */
  private async install(key: string, u?: UpdateRecord): Promise<void> {
    const a = this.ctx.store.get<AddonRecord>('addon', key);
    if (!a) return;
    const clusterName = a.addon.clusterName;
    const rec = this.ctx.cluster(a.region, clusterName);
    const client = this.ctx.client(clusterName);
    const conflicts: string[] = [];
    let failure: string | undefined;
    if (client) {
      const objects = this.render(a.addon.addonName, a.addon.addonVersion, rec, a.addon.configurationValues as string | undefined, clusterName);
      for (const { obj, error: e } of await applyAddonObjects(client, objects, a.resolveConflicts === 'OVERWRITE')) {
        if (e instanceof StatusError && e.code === 409) conflicts.push(`${obj.kind} ${obj.metadata?.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata?.name}: ${e.message}`);
        else failure = `${obj.kind} ${obj.metadata?.name}: ${e instanceof Error ? e.message : String(e)}`;
      }
    }
    const cur = this.ctx.store.get<AddonRecord>('addon', key);
    if (!cur || cur.addon.status === 'DELETING') return;
    const issues: Json[] = [];
    if (conflicts.length && a.resolveConflicts !== 'PRESERVE') issues.push({ code: 'ConfigurationConflict', message: `Conflicts found when trying to apply. Will not continue due to resolve conflicts mode. Conflicts:\n${conflicts.join('\n')}`, resourceIds: [] });
    if (failure) issues.push({ code: 'InternalFailure', message: failure, resourceIds: [] });
    const creating = cur.addon.status === 'CREATING';
    cur.addon.status = issues.length ? (creating ? 'CREATE_FAILED' : 'UPDATE_FAILED') : 'ACTIVE';
    cur.addon.health = { issues };
    cur.addon.modifiedAt = seconds(this.ctx.clock.now());
    this.ctx.store.transaction(() => {
      this.ctx.store.put('addon', key, cur);
      if (u) {
        u.update.status = issues.length ? 'Failed' : 'Successful';
        u.update.errors = issues.map((i) => ({ errorCode: i.code, errorMessage: i.message, resourceIds: [] }));
        this.ctx.store.put('update', updateKey(u), u);
      }
    });
  }
}
