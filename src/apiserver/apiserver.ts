// One cluster's Kubernetes API server: authentication → authorization → routing to discovery,
// OpenAPI, health, and the resource handlers over one GenericRegistry per stored resource.
import { jsonCopy } from '../apimachinery/json.js';
import { createHash } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { PeerCertificate } from 'node:tls';
import type { ResourceInfo } from '../api/resources.js';
import { CRD_RESOURCE, RESOURCES, findResource } from '../api/resources.js';
import type { KubeObject } from '../api/types.js';
import { aggregatedDiscovery, aggregatedDiscoveryLegacy, apiGroup, apiGroupList, apiResourceList, apiVersions } from '../api/discovery.js';
import { openapiV2, openapiV3GroupVersion, openapiV3Root } from '../api/openapi.js';
import { patchSchemaFor } from '../api/patchmeta.js';
import { badRequest, methodNotAllowed, notFound, pathNotFound, StatusError, unauthorized } from '../apimachinery/errors.js';
import type { Clock } from '../sim/clock.js';
import type { Store } from '../storage/store.js';
import { AdmissionChain, type AdmissionPlugin } from './admission/admission.js';
import { NamespaceLifecycle } from './admission/namespace-lifecycle.js';
import { DefaultTolerationSeconds } from './admission/default-toleration-seconds.js';
import { StorageObjectInUseProtection } from './admission/storage-object-in-use-protection.js';
import { intToIp, parseCidr, ServiceAllocation } from './admission/service-allocation.js';
import { ANONYMOUS, withAuthenticatedGroup, type Authenticator, type UserInfo } from './auth/authn.js';
import { bootstrapPolicy } from './auth/bootstrap.js';
import { forbiddenError, RBACAuthorizer, type Attributes, type Authorizer, type RBACSource } from './auth/rbac.js';
import { UnionAuthorizer } from './auth/union.js';
import { RBACCache } from './rbac-cache.js';
import { handleReview, REVIEW_RESOURCES } from './reviews.js';
import { ADDONS, findAddon, installAddon, type Addon } from '../addons/catalog.js';
import { decodeRequestBody, writeError, writeObject, type ApiRequest, type ResponseSink } from './http.js';
import { parseRequestInfo, type RequestInfo } from './request-info.js';
import { GenericRegistry } from './registry/generic.js';
import { strategyFor } from './registry/strategies.js';
import { handleResource } from './resource-handler.js';
import { CRDController } from './crd-controller.js';
import { builtinKindSchema, customKindSchema, type KindSchema } from './kind-schema.js';
import type { Printer } from './printers/printer.js';
import {
  crdPrinter,
  crdResources,
  customResourcePatchSchema,
  customResourcePrinter,
  customResourceStrategy,
  type CustomResourceDefinition,
} from '../apiextensions/index.js';
import { bootstrapObjects } from './bootstrap.js';
import type { KubeletConnection, PodSubresourceContext } from './pod-subresources.js';
import { handleBinding } from './pod-binding.js';
import { handleEviction } from './pod-eviction.js';
import { handlePodLog } from './pod-log.js';

/** A served CustomResourceDefinition: its resource rows, one registry, and per-version views. */
interface CustomServing {
  crd: CustomResourceDefinition;
  infos: ResourceInfo[];
  registry: GenericRegistry;
  kinds: Map<string, KindSchema>;
  printers: Map<string, Printer>;
}

/** What /version reports. */
export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

export interface APIServerConfig {
  clusterName: string;
  store: Store;
  clock: Clock;
  authenticator: Authenticator;
  /** The Kubernetes version the server reports, e.g. "1.32". */
  kubernetesVersion?: string;
  /** Where Service cluster IPs come from (EKS's default for a 10.x VPC: 10.100.0.0/16). */
  serviceCIDR?: string;
  extraAdmission?: AdmissionPlugin[];
  /** Authorizers asked after RBAC (EKS access policies), given the RBAC objects they may read. */
  extraAuthorizers?: (rbac: RBACSource) => Authorizer[];
}

/** Handles a host-provided control path for an authorized user. */
export type ExtensionHandler = (req: ApiRequest, res: ResponseSink, path: string, user: UserInfo) => Promise<void>;

/** EKS's service CIDR for clusters whose VPC is in 10.0.0.0/8. */
export const DEFAULT_SERVICE_CIDR = '10.100.0.0/16';

/** Paths anyone may read without credentials (system:public-info-viewer). */
const PUBLIC_PATHS = new Set(['/healthz', '/livez', '/readyz', '/version', '/version/']);

const AGGREGATED_DISCOVERY_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** The full EKS-style version string for a minor version. */
export function versionInfo(kubernetesVersion: string): VersionInfo {
  const [major, minor] = kubernetesVersion.split('.');
  const patch = PATCH_RELEASES[kubernetesVersion] ?? 0;
  return {
    major,
    minor: `${minor}+`,
    gitVersion: `v${major}.${minor}.${patch}-eks-skiff`,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.23.0',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

const PATCH_RELEASES: Record<string, number> = { '1.28': 15, '1.29': 14, '1.30': 14, '1.31': 13, '1.32': 9, '1.33': 5 };

/** A cluster's API server. */
export class APIServer {
  readonly registries = new Map<string, GenericRegistry>();
  readonly clock: Clock;
  private readonly stopController = new AbortController();
  private readonly rbac: RBACCache;
  private readonly authorizer: Authorizer;
  private readonly crdController: CRDController;
  private readonly admission: AdmissionChain;
  /** Served CustomResourceDefinitions, by CRD name. */
  private readonly custom = new Map<string, CustomServing>();
  private readonly builtinKinds = new Map<ResourceInfo, KindSchema>();
  private resourcesCache?: readonly ResourceInfo[];
  private kubernetesVersion: string;
  private started = false;

  private kubelets?: KubeletConnection;
  private readonly extensions = new Map<string, ExtensionHandler>();

  constructor(readonly config: APIServerConfig) {
    this.clock = config.clock;
    this.kubernetesVersion = config.kubernetesVersion ?? '1.32';
    const admission = (this.admission = new AdmissionChain([
      new NamespaceLifecycle(async (name) => this.tryGet('', 'namespaces', '', name)),
      new ServiceAllocation(config.serviceCIDR ?? DEFAULT_SERVICE_CIDR, async () => {
        const info = RESOURCES.find((r) => r.group === '' && r.resource === 'services')!;
        return (await this.registryFor(info).list('', {})).items;
      }),
      new DefaultTolerationSeconds(),
      new StorageObjectInUseProtection(),
      ...(config.extraAdmission ?? []),
    ]));
    for (const info of RESOURCES) {
      if (REVIEW_RESOURCES.has(`${info.group}/${info.resource}`)) continue;
      const key = storageKey(info);
      if (this.registries.has(key)) continue;
      const storageInfo = RESOURCES.find(
        (r) => r.group === info.storage.group && r.resource === info.storage.resource && r.version === info.storage.version,
      );
      if (!storageInfo) continue;
      this.registries.set(
        key,
        new GenericRegistry(storageInfo, strategyFor(storageInfo), { store: config.store, clock: config.clock, admission }, patchSchemaFor(storageInfo.modelType)),
      );
    }
    // Every open watch listens for the stop signal; thousands of watches are normal.
    setMaxListeners(0, this.stopController.signal);
    this.rbac = new RBACCache(this);
    this.authorizer = new UnionAuthorizer([new RBACAuthorizer(this.rbac), ...(config.extraAuthorizers?.(this.rbac) ?? [])]);
    this.crdController = new CRDController({
      clock: this.clock,
      registryFor: (info) => this.registryFor(info),
      serve: (crd) => this.serveCRD(crd),
      unserve: (name) => this.unserveCRD(name),
      customRegistry: (name) => this.custom.get(name)?.registry,
    });
  }

  /** Every resource served now: the built-in table plus the resources of Established CRDs. */
  resources(): readonly ResourceInfo[] {
    this.resourcesCache ??= [...RESOURCES, ...[...this.custom.values()].flatMap((c) => c.infos)];
    return this.resourcesCache;
  }

  // The aggregated discovery documents as bytes with their ETag, made again only when the served
  // resources change (resourcesCache is replaced then): clients re-discover often (the garbage
  // collector every 30 s), and one that sends the ETag back gets a 304.
  private readonly aggregatedDocs = new Map<string, { of: readonly ResourceInfo[]; doc: AggregatedDoc }>();
  private aggregatedDoc(root: string, build: (resources: readonly ResourceInfo[]) => unknown): AggregatedDoc {
    const resources = this.resources();
    const hit = this.aggregatedDocs.get(root);
    if (hit?.of === resources) return hit.doc;
    const body = Buffer.from(JSON.stringify(build(resources)));
    // As upstream's calculateETag: the document's SHA-512 in upper-case hex, quoted.
    const doc = { body, etag: JSON.stringify(createHash('sha512').update(body).digest('hex').toUpperCase()) };
    this.aggregatedDocs.set(root, { of: resources, doc });
    return doc;
  }

  // Serves (or re-serves, after a change) an Established CRD's versions over one registry.
  private serveCRD(crd: CustomResourceDefinition): void {
    const name = crd.metadata.name!;
    const existing = this.custom.get(name);
    if (existing && existing.crd.metadata.resourceVersion === crd.metadata.resourceVersion) return;
    const infos = crdResources(crd);
    if (!infos.length) return this.unserveCRD(name);
    const storageVersion = infos[0].storage.version;
    const storageInfo = infos.find((i) => i.version === storageVersion) ?? { ...infos[0], version: storageVersion };
    const registry = new GenericRegistry(
      storageInfo,
      customResourceStrategy(crd, storageVersion),
      { store: this.config.store, clock: this.clock, admission: this.admission },
      customResourcePatchSchema(crd, storageVersion),
    );
    const kinds = new Map(infos.map((i) => [i.version, customKindSchema(crd, i.version, i)]));
    const printers = new Map(infos.map((i) => [i.version, customResourcePrinter(crd, i.version)]));
    if (existing) this.registries.delete(storageKey(existing.infos[0]));
    this.custom.set(name, { crd, infos, registry, kinds, printers });
    this.registries.set(storageKey(storageInfo), registry);
    this.resourcesCache = undefined;
  }

  private unserveCRD(name: string): void {
    const existing = this.custom.get(name);
    if (!existing) return;
    this.custom.delete(name);
    this.registries.delete(storageKey(existing.infos[0]));
    this.resourcesCache = undefined;
  }

  private customTerminating(info: ResourceInfo): boolean {
    for (const c of this.custom.values()) if (c.infos.includes(info)) return !!c.crd.metadata.deletionTimestamp;
    return false;
  }

  /** The schema view of a served resource: its CRD's, or the built-in model's. */
  private kindFor(info: ResourceInfo): { kind: KindSchema; printer?: Printer } {
    if (info.custom) {
      for (const c of this.custom.values()) {
        if (c.infos.includes(info)) return { kind: c.kinds.get(info.version)!, printer: c.printers.get(info.version) };
      }
    }
    let kind = this.builtinKinds.get(info);
    if (!kind) this.builtinKinds.set(info, (kind = builtinKindSchema(info)));
    return { kind, printer: info.group === 'apiextensions.k8s.io' ? crdPrinter : undefined };
  }

  /** Creates the objects every cluster starts with, then starts the in-server loops. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const system: UserInfo = { username: 'system:apiserver', groups: ['system:masters', 'system:authenticated'] };
    // Namespaces first (admission wants them for the rest), then the rest all at once: the writes
    // then share a few commits instead of taking one each (92 objects).
    const objects = [...bootstrapObjects(intToIp(parseCidr(this.config.serviceCIDR ?? DEFAULT_SERVICE_CIDR).base + 1)), ...bootstrapPolicy()];
    const create = async (obj: KubeObject) => {
      try {
        await this.registryFor(resourceForObject(obj)).create(obj.metadata.namespace ?? '', jsonCopy(obj), { user: system, dryRun: false });
      } catch (e) {
        if (!(e instanceof StatusError && e.code === 409)) throw e;
      }
    };
    const isNamespace = (o: KubeObject) => o.kind === 'Namespace' && !o.apiVersion?.includes('/');
    await Promise.all(objects.filter(isNamespace).map(create));
    await Promise.all(objects.filter((o) => !isNamespace(o)).map(create));
    await this.rbac.start(this.stopController.signal);
    await this.crdController.start(this.stopController.signal);
  }

  /** Stops watches and loops; the store is the caller's to close. */
  stop(): void {
    this.stopController.abort();
  }

  /** The registry serving a resource (any served version). */
  registryFor(info: ResourceInfo): GenericRegistry {
    const reg = this.registries.get(storageKey(info));
    if (!reg) throw pathNotFound();
    return reg;
  }

  /**
   * Reads an object through its registry, or undefined when absent: read-only, for the server's own
   * checks (GenericRegistry.peek).
   */
  async tryGet(group: string, resource: string, namespace: string, name: string): Promise<KubeObject | undefined> {
    const info = RESOURCES.find((r) => r.group === group && r.resource === resource);
    if (!info) return undefined;
    return this.registryFor(info).peek(namespace, name);
  }

  /** The address clients reach this server at, for /api's serverAddressByClientCIDRs. */
  serverAddress = '127.0.0.1:6443';

  /** Sets the version /version reports (EKS UpdateClusterVersion). */
  setKubernetesVersion(v: string): void {
    this.kubernetesVersion = v;
  }

  /** Handles one request end to end. peerCertificate is set only for a CA-verified client certificate. */
  async handle(req: ApiRequest, res: ResponseSink, peerCertificate?: PeerCertificate): Promise<void> {
    try {
      const ri = parseRequestInfo(req.method, req.path, req.query);
      const user = this.impersonate(req, await this.authenticate(req, ri, peerCertificate));
      this.authorize(user, ri);
      await this.route(req, res, ri, user);
    } catch (e) {
      writeError(res, e);
    }
  }

  private async authenticate(req: ApiRequest, ri: RequestInfo, peerCertificate?: PeerCertificate): Promise<UserInfo> {
    // An in-process caller is authenticated, and every authenticated user is in system:authenticated.
    if (req.user) return withAuthenticatedGroup(req.user);
    const user = await this.config.authenticator.authenticate({ headers: req.headers, peerCertificate });
    if (user) return user;
    if (!ri.isResourceRequest && PUBLIC_PATHS.has(ri.path)) return ANONYMOUS;
    throw unauthorized();
  }

  /**
   * Impersonate-User / -Group / -Uid / -Extra-* headers, as kube-apiserver's impersonation filter:
   * each requested identity needs the `impersonate` verb on users, groups, serviceaccounts, uids or
   * userextras; the request then runs as the impersonated user.
   */
  private impersonate(req: ApiRequest, user: UserInfo): UserInfo {
    // Almost no request impersonates: one look at the header names settles it.
    let any = false;
    for (const h in req.headers) {
      if (h.startsWith('impersonate-')) {
        any = true;
        break;
      }
    }
    if (!any) return user;
    const header = (name: string): string[] => {
      const v = req.headers[name];
      return v === undefined ? [] : (Array.isArray(v) ? v : String(v).split(',')).map((x) => x.trim()).filter(Boolean);
    };
    const users = header('impersonate-user');
    const groups = header('impersonate-group');
    const uids = header('impersonate-uid');
    const extras = Object.keys(req.headers).filter((h) => h.startsWith('impersonate-extra-'));
    if (!users.length && !groups.length && !uids.length && !extras.length) return user;
    if (!users.length) {
      throw badRequest('requested [' + [...groups.map((g) => `{Group  ${g}  authentication.k8s.io/v1  }`)].join(' ') + '] without impersonating a user');
    }
    const check = (resource: string, name: string, apiGroup = '', namespace = '', subresource = '') => {
      const attrs: Attributes = { user, verb: 'impersonate', namespace, apiGroup, apiVersion: '', resource, subresource, name, resourceRequest: true, path: '' };
      const d = this.authorizer.authorize(attrs);
      if (d.decision !== 'allow') throw forbiddenError(attrs, d.reason);
    };
    const username = users[0];
    const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(username);
    if (sa) check('serviceaccounts', sa[2], '', sa[1]);
    else check('users', username);
    for (const g of groups) check('groups', g);
    for (const u of uids) check('uids', u, 'authentication.k8s.io');
    const extra: Record<string, string[]> = {};
    for (const h of extras) {
      const key = decodeURIComponent(h.slice('impersonate-extra-'.length));
      for (const v of header(h)) check('userextras', v, 'authentication.k8s.io', '', key);
      extra[key] = header(h);
    }
    const finalGroups = [...groups];
    if (sa && !groups.length) finalGroups.push('system:serviceaccounts', `system:serviceaccounts:${sa[1]}`);
    if (username !== 'system:anonymous' && !finalGroups.includes('system:authenticated')) finalGroups.push('system:authenticated');
    return { username, uid: uids[0], groups: finalGroups, extra };
  }

  private authorize(user: UserInfo, ri: RequestInfo): void {
    const attrs: Attributes = {
      user,
      verb: ri.verb,
      namespace: ri.namespace,
      apiGroup: ri.apiGroup,
      apiVersion: ri.apiVersion,
      resource: ri.resource,
      subresource: ri.subresource,
      name: ri.name,
      resourceRequest: ri.isResourceRequest,
      path: ri.path,
    };
    const d = this.authorizer.authorize(attrs);
    if (d.decision === 'allow') return;
    throw forbiddenError(attrs, d.reason);
  }

  /** Answers what the authorizer decides, for access reviews. */
  get rbacAuthorizer(): Authorizer {
    return this.authorizer;
  }

  private async route(req: ApiRequest, res: ResponseSink, ri: RequestInfo, user: UserInfo): Promise<void> {
    if (ri.isResourceRequest) return this.routeResource(req, res, ri, user);
    const path = ri.path.replace(/\/+$/, '') || '/';
    if (path === '/skiff/v1/addons' || path.startsWith('/skiff/v1/addons/')) return this.addonsEndpoint(req, res, path, user);
    for (const [prefix, handler] of this.extensions) {
      if (path === prefix || path.startsWith(prefix + '/')) return handler(req, res, path, user);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowedPath();
    switch (path) {
      case '/healthz':
      case '/livez':
      case '/readyz':
        return writeHealth(res, path.slice(1), req.query.has('verbose'));
      case '/version':
        return writeObject(res, 200, versionInfo(this.kubernetesVersion));
      case '/api':
        if (wantsAggregated(req)) return writeAggregated(req, res, this.aggregatedDoc('/api', aggregatedDiscoveryLegacy));
        return writeObject(res, 200, apiVersions(this.serverAddress));
      case '/apis':
        if (wantsAggregated(req)) return writeAggregated(req, res, this.aggregatedDoc('/apis', aggregatedDiscovery));
        return writeObject(res, 200, apiGroupList(this.resources()));
      case '/openapi/v2':
        if (!acceptsJson(req.headers.accept)) return writeOpenAPIV2Protobuf(res);
        return writeObject(res, 200, openapiV2(this.resources()));
      case '/openapi/v3':
        return writeObject(res, 200, openapiV3Root(this.resources()));
      case '/':
        return writeObject(res, 200, { paths: rootPaths() });
    }
    if (path.startsWith('/openapi/v3/')) {
      const gv = path.slice('/openapi/v3/'.length);
      const doc = gv === 'api/v1' ? openapiV3GroupVersion('', 'v1', this.resources()) : gv.startsWith('apis/') ? openapiV3GroupVersion(gv.split('/')[1], gv.split('/')[2] ?? '', this.resources()) : undefined;
      if (!doc) throw pathNotFound();
      return writeObject(res, 200, doc);
    }
    const segs = path.split('/').filter(Boolean);
    if (segs[0] === 'api' && segs.length === 2) {
      const doc = apiResourceList('', segs[1], this.resources());
      if (!doc) throw pathNotFound();
      return writeObject(res, 200, doc);
    }
    if (segs[0] === 'apis' && segs.length === 2) {
      const doc = apiGroup(segs[1], this.resources());
      if (!doc) throw pathNotFound();
      return writeObject(res, 200, doc);
    }
    if (segs[0] === 'apis' && segs.length === 3) {
      const doc = apiResourceList(segs[1], segs[2], this.resources());
      if (!doc) throw pathNotFound();
      return writeObject(res, 200, doc);
    }
    throw pathNotFound();
  }

  private async routeResource(req: ApiRequest, res: ResponseSink, ri: RequestInfo, user: UserInfo): Promise<void> {
    const info = findResource(ri.apiGroup, ri.apiVersion, ri.resource, this.resources());
    if (!info) throw pathNotFound();
    // A namespaced path to a cluster-scoped resource, or a named namespaced object without a namespace, does not exist.
    if (!info.namespaced && ri.namespace && !(info.group === '' && info.resource === 'namespaces')) throw pathNotFound();
    if (info.namespaced && !ri.namespace && ri.name) throw pathNotFound();
    const review = REVIEW_RESOURCES.get(`${info.group}/${info.resource}`);
    if (review) {
      if (ri.verb !== 'create') throw methodNotAllowed({ group: info.group, resource: info.resource }, ri.verb);
      const body = await decodeRequestBody(req, req.headers['content-type'], { apiVersion: info.version && info.group ? `${info.group}/${info.version}` : info.version, kind: info.kind });
      return writeObject(res, 201, handleReview(review, this, user, ri.namespace, body as KubeObject));
    }
    const registry = this.registryFor(info);
    if (info.custom && ri.verb === 'create' && this.customTerminating(info)) {
      // crdHandler: no new objects while the CRD's objects are being deleted.
      const err = methodNotAllowed({ group: info.group, resource: info.resource }, ri.verb);
      err.status.message = `${ri.verb} not allowed while custom resource definition is terminating`;
      throw err;
    }
    if (info.group === '' && info.resource === 'pods' && (ri.subresource === 'log' || ri.subresource === 'binding' || ri.subresource === 'eviction')) {
      return this.podSubresource(req, res, ri, user, registry);
    }
    await handleResource({
      req,
      res,
      user,
      info,
      registry,
      namespace: info.namespaced ? ri.namespace : '',
      name: ri.name,
      subresource: ri.subresource,
      verb: ri.verb,
      clock: this.clock,
      stop: this.stopController.signal,
      ...this.kindFor(info),
    });
  }

  /**
   * skiff's add-on catalog for this cluster: GET /skiff/v1/addons lists it (with what is
   * installed); POST /skiff/v1/addons/{name} installs the add-on's CRDs as the caller, who must be
   * allowed to create CustomResourceDefinitions.
   */
  private async addonsEndpoint(req: ApiRequest, res: ResponseSink, path: string, user: UserInfo): Promise<void> {
    const crds = this.registryFor(CRD_RESOURCE);
    let installed = new Set((await crds.list('', {})).items.map((c) => c.metadata.name));
    const describe = (a: Addon) => ({
      name: a.name,
      description: a.description,
      customResourceDefinitions: a.crds.map((c) => c.metadata.name),
      installed: a.crds.every((c) => installed.has(c.metadata.name)),
    });
    if (req.method === 'GET' && path === '/skiff/v1/addons') return writeObject(res, 200, { kind: 'AddonList', apiVersion: 'skiff.dev/v1', items: ADDONS.map(describe) });
    const name = path.slice('/skiff/v1/addons/'.length);
    if (req.method !== 'POST' || !name || name.includes('/')) throw methodNotAllowedPath();
    const attrs: Attributes = { user, verb: 'create', namespace: '', apiGroup: 'apiextensions.k8s.io', apiVersion: 'v1', resource: 'customresourcedefinitions', subresource: '', name: '', resourceRequest: true, path };
    const d = this.authorizer.authorize(attrs);
    if (d.decision !== 'allow') throw forbiddenError(attrs, d.reason);
    if (!findAddon(name)) throw notFound({ group: 'skiff.dev', resource: 'addons' }, name);
    const addon = await installAddon(name, async (crd) => {
      try {
        await crds.create('', jsonCopy(crd), { user, dryRun: false });
      } catch (e) {
        if (!(e instanceof StatusError && e.code === 409)) throw e;
        await crds.update('', crd.metadata.name!, (current) => ({ ...current, spec: crd.spec, metadata: { ...current.metadata, labels: { ...current.metadata.labels, ...crd.metadata.labels } } }), { user, dryRun: false });
      }
    });
    installed = new Set((await crds.list('', {})).items.map((c) => c.metadata.name));
    writeObject(res, 201, describe(addon));
  }

  // pods/binding, pods/log and pods/eviction: their own handlers over the same context.
  private async podSubresource(req: ApiRequest, res: ResponseSink, ri: RequestInfo, user: UserInfo, registry: GenericRegistry): Promise<void> {
    const ctx: PodSubresourceContext = { req, res, ri, user, pods: registry, registryFor: (info) => this.registryFor(info), clock: this.clock, kubelets: this.kubelets, stop: this.stopController.signal };
    if (ri.subresource === 'log') return handlePodLog(ctx);
    if (ri.subresource === 'eviction') return handleEviction(ctx);
    return handleBinding(ctx);
  }

  /**
   * Serves a skiff control path (/skiff/v1/...) the host provides, such as the clock or a node's
   * heartbeats. It is authorized as a non-resource URL, so only callers granted it (cluster-admin)
   * reach the handler.
   */
  registerExtension(prefix: string, handler: ExtensionHandler): void {
    this.extensions.set(prefix, handler);
  }

  /** Plugs in how logs reach kubelets (the host's simulated kubelets). */
  setKubeletConnection(kubelets: KubeletConnection | undefined): void {
    this.kubelets = kubelets;
  }
}

function methodNotAllowedPath() {
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server does not allow this method on the requested resource', reason: 'MethodNotAllowed', details: {}, code: 405 });
}

/** The storage key space of a resource, shared by all its served versions. */
export function storageKey(info: ResourceInfo): string {
  return `${info.storage.group}/${info.storage.resource}`;
}

function resourceForObject(obj: KubeObject): ResourceInfo {
  const [group, version] = obj.apiVersion!.includes('/') ? obj.apiVersion!.split('/') : ['', obj.apiVersion!];
  const info = RESOURCES.find((r) => r.group === group && r.version === version && r.kind === obj.kind);
  if (!info) throw new Error(`no resource for ${obj.apiVersion} ${obj.kind}`);
  return info;
}

/**
 * The gnostic OpenAPIv2 protobuf kubectl asks for when it validates client-side (only for kinds the
 * v3 documents do not cover). skiff sends a valid Document holding `swagger: "2.0"` and no
 * definitions, so kubectl skips schema checks for unknown kinds, as against a server without them.
 */
function writeOpenAPIV2Protobuf(res: ResponseSink): void {
  const swagger = Buffer.from('2.0');
  const body = Buffer.concat([Buffer.from([0x0a, swagger.length]), swagger]); // field 1 (swagger), length-delimited
  res.writeHead(200, { 'Content-Type': 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf', 'Content-Length': String(body.length) });
  res.end(body);
}

function acceptsJson(accept: string | undefined): boolean {
  if (!accept) return true;
  return accept.split(',').some((a) => /^\s*(application\/json|\*\/\*|application\/\*)\s*(;|$)/.test(a));
}

function wantsAggregated(req: ApiRequest): boolean {
  const accept = req.headers.accept ?? '';
  return accept.split(',').some((a) => a.includes('g=apidiscovery.k8s.io') && a.includes('as=APIGroupDiscoveryList') && /v=v2(?!beta)/.test(a));
}

interface AggregatedDoc {
  body: Buffer;
  /** Quoted, as the ETag header carries it. */
  etag: string;
}

/** ServeHTTPWithETag: the document, or 304 Not Modified to a client whose If-None-Match names it. */
function writeAggregated(req: ApiRequest, res: ResponseSink, doc: AggregatedDoc): void {
  const headers = { ETag: doc.etag, Vary: 'Accept', 'Cache-Control': 'public' };
  if (req.headers['if-none-match'] === doc.etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Type': AGGREGATED_DISCOVERY_TYPE, 'Content-Length': String(doc.body.length) });
  res.end(doc.body);
}

const HEALTH_CHECKS = ['ping', 'log', 'etcd', 'poststarthook/start-apiextensions-informers', 'poststarthook/rbac/bootstrap-roles', 'poststarthook/scheduling/bootstrap-system-priority-classes'];

function writeHealth(res: ResponseSink, which: string, verbose: boolean): void {
  const body = verbose ? HEALTH_CHECKS.map((c) => `[+]${c} ok`).join('\n') + `\n${which} check passed\n` : 'ok';
  res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache, private' });
  res.end(body);
}

function rootPaths(): string[] {
  const paths = new Set(['/api', '/api/v1', '/apis', '/healthz', '/livez', '/readyz', '/openapi/v2', '/openapi/v3', '/version']);
  for (const r of RESOURCES) if (r.group) {
    paths.add(`/apis/${r.group}`);
    paths.add(`/apis/${r.group}/${r.version}`);
  }
  return [...paths].sort();
}

