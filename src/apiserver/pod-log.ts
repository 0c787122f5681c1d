// pods/log: upstream's LogREST. PodLogOptions come from the query and are validated
// (ValidatePodLogOptions), the container is chosen as LogLocation's validateContainer does, a
// pod not yet on a node answers an empty log, and otherwise the node's kubelet streams the log
// (KubeletConnection), with follow keeping the response open until the container stops or the
// client goes away. The kubelet's own refusals (waiting to start, no previous container) come
// back as the BadRequest the API server's response checker makes of them.
import { onAbort } from './on-abort.js';
import { badRequest, field, invalid, methodNotAllowed, StatusError, type FieldError } from '../apimachinery/errors.js';
import type { ContainerLogRequest, PodSubresourceContext } from './pod-subresources.js';
import { queryBool } from './request-info.js';

interface NamedContainer {
  name: string;
}

function int(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^[+-]?\d+$/.test(v)) throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number(v);
}

/** ValidatePodLogOptions. */
function validateOptions(o: { tailLines?: number; limitBytes?: number; sinceSeconds?: number; sinceTime?: string }): FieldError[] {
  const errs: FieldError[] = [];
  if (o.tailLines !== undefined && o.tailLines < 0) errs.push(field.invalid('tailLines', o.tailLines, 'must be greater than or equal to 0'));
  if (o.limitBytes !== undefined && o.limitBytes < 1) errs.push(field.invalid('limitBytes', o.limitBytes, 'must be greater than 0'));
  if (o.sinceSeconds !== undefined && o.sinceTime !== undefined) errs.push(field.forbidden('', 'at most one of `sinceTime` or `sinceSeconds` may be specified'));
  else if (o.sinceSeconds !== undefined && o.sinceSeconds < 1) errs.push(field.invalid('sinceSeconds', o.sinceSeconds, 'must be greater than 0'));
  return errs;
}

/** LogLocation's validateContainer: the named container must exist; with none named, the only one. */
function chooseContainer(pod: { metadata: { name?: string }; spec?: unknown }, requested: string): string {
  const spec = (pod.spec ?? {}) as { containers?: NamedContainer[]; initContainers?: NamedContainer[]; ephemeralContainers?: NamedContainer[] };
  const name = pod.metadata.name;
  const all = [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])].map((c) => c.name);
  if (!requested) {
    const regular = spec.containers ?? [];
    if (regular.length === 1) return regular[0].name;
    if (regular.length === 0) throw badRequest(`a container name must be specified for pod ${name}`);
    throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${all.join(' ')}]`);
  }
  if (!all.includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${name}`);
  return requested;
}

export async function handlePodLog({ req, res, ri, pods, kubelets, stop }: PodSubresourceContext): Promise<void> {
  if (ri.verb !== 'get') throw methodNotAllowed({ group: '', resource: 'pods/log' }, ri.verb);
  const q = req.query;
  const sinceTimeText = q.get('sinceTime') || undefined;
  if (sinceTimeText !== undefined && Number.isNaN(Date.parse(sinceTimeText))) {
    throw badRequest(`parsing time ${JSON.stringify(sinceTimeText)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(sinceTimeText)} as "2006"`);
  }
  const opts = { tailLines: int(q, 'tailLines'), limitBytes: int(q, 'limitBytes'), sinceSeconds: int(q, 'sinceSeconds'), sinceTime: sinceTimeText };
  const errs = validateOptions(opts);
  if (errs.length) throw invalid({ group: '', kind: 'PodLogOptions' }, ri.name, errs);
  const pod = await pods.get(ri.namespace, ri.name);
  const container = chooseContainer(pod, q.get('container') ?? '');
  const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
  const begin = () => {
    if (res.headersSent) return;
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders?.();
  };
  // A pod no node runs yet has no log: LocationStreamer without a location, which StreamObject
  // answers with 204 No Content.
  if (!nodeName) {
    res.writeHead(204, {});
    res.end();
    return;
  }
  if (!kubelets) {
    throw new StatusError({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `Get "https://${nodeName}:10250/containerLogs/${ri.namespace}/${ri.name}/${container}": dial tcp: lookup ${nodeName}: no such host`,
      code: 500,
    });
  }
  const request: ContainerLogRequest = {
    nodeName,
    namespace: ri.namespace,
    pod: ri.name,
    podUID: pod.metadata.uid ?? '',
    container,
    follow: queryBool(q, 'follow'),
    previous: queryBool(q, 'previous'),
    timestamps: queryBool(q, 'timestamps'),
    ...(opts.tailLines !== undefined ? { tailLines: opts.tailLines } : {}),
    ...(opts.sinceSeconds !== undefined ? { sinceSeconds: opts.sinceSeconds } : {}),
    ...(opts.sinceTime !== undefined ? { sinceTime: opts.sinceTime } : {}),
    ...(opts.limitBytes !== undefined ? { limitBytes: opts.limitBytes } : {}),
  };
  const gone = new AbortController();
  const leave = () => gone.abort();
  res.once('close', leave);
  const unlistenStop = onAbort(stop, leave);
  try {
    await kubelets.containerLogs(
      request,
      (chunk) => {
        if (gone.signal.aborted) return;
        begin();
        if (chunk) res.write(chunk);
      },
      gone.signal,
    );
  } catch (e) {
    // Before the first byte the kubelet's refusal is the answer; after it, the stream just ends.
    if (!res.headersSent) throw e;
  } finally {
    unlistenStop();
  }
  begin();
  res.end();
}
