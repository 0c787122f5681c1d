// The EKS API over HTTP, in the rest-json protocol of the EKS service model (2017-11-01): each
// operation is a method and a URI template, input in the path, query and JSON body, output as a
// JSON body; errors carry their type in x-amzn-ErrorType and the body. The caller is whoever the
// SigV4 credential names (see identity.ts).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { credentialFromAuthorization, type Caller } from './identity.js';
import { EksError, serverError } from './errors.js';
import type { EksService } from './service.js';

type Json = Record<string, unknown>;
export type Handler = (ctx: { caller: Caller; params: Record<string, string>; query: URLSearchParams; body: Json }) => Json | Promise<Json>;

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

/** The operations skiff serves, by method and URI template, as the service model names them. */
export function eksRoutes(svc: EksService, extra: [string, string, Handler][] = []): Route[] {
  const r: [string, string, Handler][] = [
    ...extra,
    ['POST', '/clusters', ({ caller, body }) => svc.createCluster(caller, body)],
    ['GET', '/clusters', ({ caller, query }) => svc.listClusters(caller, query)],
    ['GET', '/clusters/{name}', ({ caller, params }) => svc.describeCluster(caller, params.name)],
    ['DELETE', '/clusters/{name}', ({ caller, params }) => svc.deleteCluster(caller, params.name)],
    ['POST', '/clusters/{name}/update-config', ({ caller, params, body }) => svc.updateClusterConfig(caller, params.name, body)],
    ['POST', '/clusters/{name}/updates', ({ caller, params, body }) => svc.updateClusterVersion(caller, params.name, body)],
    ['GET', '/clusters/{name}/updates', ({ caller, params, query }) => svc.listUpdates(caller, params.name, query)],
    ['GET', '/clusters/{name}/updates/{updateId}', ({ caller, params, query }) => svc.describeUpdate(caller, params.name, params.updateId, query)],
    ['GET', '/cluster-versions', ({ query }) => svc.describeClusterVersions(query)],
    ['POST', '/clusters/{name}/node-groups', ({ caller, params, body }) => svc.createNodegroup(caller, params.name, body)],
    ['GET', '/clusters/{name}/node-groups', ({ caller, params, query }) => svc.listNodegroups(caller, params.name, query)],
    ['GET', '/clusters/{name}/node-groups/{nodegroupName}', ({ caller, params }) => svc.describeNodegroup(caller, params.name, params.nodegroupName)],
    ['DELETE', '/clusters/{name}/node-groups/{nodegroupName}', ({ caller, params }) => svc.deleteNodegroup(caller, params.name, params.nodegroupName)],
    ['POST', '/clusters/{name}/node-groups/{nodegroupName}/update-config', ({ caller, params, body }) => svc.updateNodegroupConfig(caller, params.name, params.nodegroupName, body)],
    ['POST', '/clusters/{name}/node-groups/{nodegroupName}/update-version', ({ caller, params, body }) => svc.updateNodegroupVersion(caller, params.name, params.nodegroupName, body)],
    ['POST', '/clusters/{name}/access-entries', ({ caller, params, body }) => svc.createAccessEntry(caller, params.name, body)],
    ['GET', '/clusters/{name}/access-entries', ({ caller, params, query }) => svc.listAccessEntries(caller, params.name, query)],
    ['GET', '/clusters/{name}/access-entries/{principalArn}', ({ caller, params }) => svc.describeAccessEntry(caller, params.name, params.principalArn)],
    ['POST', '/clusters/{name}/access-entries/{principalArn}', ({ caller, params, body }) => svc.updateAccessEntry(caller, params.name, params.principalArn, body)],
    ['DELETE', '/clusters/{name}/access-entries/{principalArn}', ({ caller, params }) => svc.deleteAccessEntry(caller, params.name, params.principalArn)],
    ['POST', '/clusters/{name}/access-entries/{principalArn}/access-policies', ({ caller, params, body }) => svc.associateAccessPolicy(caller, params.name, params.principalArn, body)],
    ['GET', '/clusters/{name}/access-entries/{principalArn}/access-policies', ({ caller, params }) => svc.listAssociatedAccessPolicies(caller, params.name, params.principalArn)],
    ['DELETE', '/clusters/{name}/access-entries/{principalArn}/access-policies/{policyArn}', ({ caller, params }) => svc.disassociateAccessPolicy(caller, params.name, params.principalArn, params.policyArn)],
    ['GET', '/access-policies', () => svc.listAccessPolicies()],
    ['POST', '/clusters/{name}/addons', ({ caller, params, body }) => svc.addons.create(caller.region, params.name, body)],
    ['GET', '/clusters/{name}/addons', ({ caller, params, query }) => svc.addons.list(caller.region, params.name, query)],
    ['GET', '/clusters/{name}/addons/{addonName}', ({ caller, params }) => svc.addons.describe(caller.region, params.name, params.addonName)],
    ['DELETE', '/clusters/{name}/addons/{addonName}', ({ caller, params, query }) => svc.addons.delete(caller.region, params.name, params.addonName, query.get('preserve') === 'true')],
    ['POST', '/clusters/{name}/addons/{addonName}/update', ({ caller, params, body }) => svc.addons.update(caller.region, params.name, params.addonName, body)],
    ['GET', '/addons/supported-versions', ({ query }) => svc.addons.versions(query)],
    ['POST', '/clusters/{name}/fargate-profiles', ({ caller, params, body }) => svc.fargateProfiles.create(caller.region, params.name, body)],
    ['GET', '/clusters/{name}/fargate-profiles', ({ caller, params, query }) => svc.fargateProfiles.list(caller.region, params.name, query)],
    ['GET', '/clusters/{name}/fargate-profiles/{fargateProfileName}', ({ caller, params }) => svc.fargateProfiles.describe(caller.region, params.name, params.fargateProfileName)],
    ['DELETE', '/clusters/{name}/fargate-profiles/{fargateProfileName}', ({ caller, params }) => svc.fargateProfiles.delete(caller.region, params.name, params.fargateProfileName)],
    ['GET', '/tags/{resourceArn}', ({ params }) => svc.listTagsForResource(params.resourceArn)],
    ['POST', '/tags/{resourceArn}', ({ params, body }) => svc.tagResource(params.resourceArn, body)],
    ['DELETE', '/tags/{resourceArn}', ({ params, query }) => svc.untagResource(params.resourceArn, query.getAll('tagKeys'))],
  ];
  return r.map(([method, template, handler]) => {
    const names: string[] = [];
    // The SDKs send each label URI-encoded as one segment; ARNs keep ':' but encode '/'.
    const pattern = new RegExp('^' + template.replace(/\{(\w+)\}/g, (_m, n: string) => (names.push(n), '([^/]+)')) + '/?$');
    return { method, pattern, names, handler };
  });
}

const MAX_BODY = 1 << 20;

export class EksHttpServer {
  private server?: Server;
  private readonly routes: Route[];
  port = 0;

  constructor(
    private readonly svc: EksService,
    /** Routes the host adds (skiff's own, beside the EKS service model's). */
    extra: [string, string, Handler][] = [],
    private readonly defaultRegion = 'us-east-1',
  ) {
    this.routes = eksRoutes(svc, extra);
  }

  async listen(port: number, host: string): Promise<number> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    const addr = this.server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : port;
    return this.port;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections?.();
    await new Promise<void>((r) => this.server!.close(() => r()));
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    try {
      const url = new URL(req.url ?? '/', 'http://eks');
      const route = this.match(req.method ?? 'GET', url.pathname);
      const scope = credentialFromAuthorization(req.headers.authorization);
      if (!scope) throw new EksError('MissingAuthenticationTokenException', 403, 'Missing Authentication Token');
      const caller = this.svc.identities.resolve(scope.accessKeyId, scope.region || this.defaultRegion);
      const body = await readJson(req);
      const out = await route.handler({ caller, params: route.params, query: url.searchParams, body });
      send(res, 200, out, requestId);
    } catch (e) {
      const err = e instanceof EksError ? e : serverError('An internal error occurred');
      if (!(e instanceof EksError)) console.error('eks: internal error:', e);
      res.setHeader('x-amzn-ErrorType', err.type);
      send(res, err.status, err.body(), requestId);
    }
  }

  private match(method: string, path: string): { handler: Handler; params: Record<string, string> } {
    let pathMatched = false;
    for (const r of this.routes) {
      const m = r.pattern.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (r.method !== method) continue;
      const params: Record<string, string> = {};
      r.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1])));
      return { handler: r.handler, params };
    }
    if (pathMatched) throw new EksError('MethodNotAllowedException', 405, `Method ${method} is not allowed on ${path}`);
    throw new EksError('UnknownOperationException', 404, `No operation matches ${method} ${path}`);
  }
}

async function readJson(req: IncomingMessage): Promise<Json> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw new EksError('BadRequestException', 400, 'Request body is too large');
    chunks.push(c as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new EksError('SerializationException', 400, `Could not parse request body into json: ${(e as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new EksError('SerializationException', 400, 'Request body must be a JSON object');
  return parsed as Json;
}

function send(res: ServerResponse, status: number, body: Json, requestId: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-RequestId': requestId, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
