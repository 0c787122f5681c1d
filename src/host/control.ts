// skiff's own control paths on each cluster's API server, for what Kubernetes has no API for:
// moving a virtual clock and silencing a node's kubelet. They sit under /skiff/v1/ and are
// authorized as non-resource URLs, so only cluster-admin reaches them.
import { badRequest, methodNotAllowed, notFound } from '../apimachinery/errors.js';
import { writeObject } from '../apiserver/http.js';
import type { ExtensionHandler } from '../apiserver/apiserver.js';
import type { KubeletPool } from '../kubelet/pool.js';
import { rfc3339, WarpClock, type Clock } from '../sim/clock.js';

/** Go's time.ParseDuration for the units a user fast-forwards by ("90s", "1h30m", "1.5h"). */
export function parseDuration(s: string): number {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += Number(m[1]) * units[m[2]];
    matched = re.lastIndex;
  }
  if (!s || matched !== s.length) throw badRequest(`time: invalid duration "${s}"`);
  return total;
}

/**
 * GET /skiff/v1/clock → the cluster's time; POST /skiff/v1/clock/advance?duration=1h fast-forwards a
 * virtual clock (skiff up --clock virtual), firing every timer due on the way.
 */
export function clockEndpoint(clock: Clock): ExtensionHandler {
  return async (req, res, path) => {
    const virtual = clock instanceof WarpClock;
    const describe = (extra: Record<string, unknown> = {}) => ({ kind: 'Clock', apiVersion: 'skiff.dev/v1', now: rfc3339(clock.now()), virtual, ...extra });
    if (path === '/skiff/v1/clock') {
      if (req.method !== 'GET') throw methodNotAllowed({ group: 'skiff.dev', resource: 'clock' }, req.method.toLowerCase());
      return writeObject(res, 200, describe());
    }
    if (path !== '/skiff/v1/clock/advance') throw notFound({ group: 'skiff.dev', resource: 'clock' }, path.slice('/skiff/v1/clock/'.length));
    if (req.method !== 'POST') throw methodNotAllowed({ group: 'skiff.dev', resource: 'clock/advance' }, req.method.toLowerCase());
    if (!(clock instanceof WarpClock)) throw badRequest('the clock is real; start skiff with --clock virtual to fast-forward it');
    const ms = parseDuration(req.query.get('duration') ?? '');
    const started = performance.now();
    await clock.advance(ms);
    writeObject(res, 200, describe({ advancedSeconds: ms / 1000, wallSeconds: Number(((performance.now() - started) / 1000).toFixed(3)) }));
  };
}

/**
 * POST /skiff/v1/nodes/{name}/kubelet?action=stop|start: stops a node's kubelet from renewing its
 * Lease and posting status (as a crashed kubelet or a lost instance would), or starts it again.
 */
export function nodesEndpoint(pool: KubeletPool): ExtensionHandler {
  return async (req, res, path) => {
    const m = /^\/skiff\/v1\/nodes\/([^/]+)\/kubelet$/.exec(path);
    if (!m) throw notFound({ group: 'skiff.dev', resource: 'nodes' }, path.slice('/skiff/v1/nodes/'.length));
    if (req.method !== 'POST') throw methodNotAllowed({ group: 'skiff.dev', resource: 'nodes/kubelet' }, req.method.toLowerCase());
    const name = decodeURIComponent(m[1]);
    if (!pool.nodeNames().includes(name)) throw notFound({ group: '', resource: 'nodes' }, name);
    const action = req.query.get('action');
    if (action === 'stop') pool.pauseHeartbeats(name);
    else if (action === 'start') pool.resumeHeartbeats(name);
    else throw badRequest(`action must be "stop" or "start", not ${JSON.stringify(action ?? '')}`);
    writeObject(res, 200, { kind: 'NodeKubelet', apiVersion: 'skiff.dev/v1', node: name, running: action === 'start' });
  };
}
