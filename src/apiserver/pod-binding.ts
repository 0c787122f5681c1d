// pods/binding: the scheduler's bind, which sets spec.nodeName once (BindingREST).
import { badRequest, methodNotAllowed, StatusError } from '../apimachinery/errors.js';
import { decodeRequestBody, writeObject } from './http.js';
import type { PodSubresourceContext } from './pod-subresources.js';
import { rfc3339 } from '../sim/clock.js';

export async function handleBinding({ req, res, ri, user, pods, clock }: PodSubresourceContext): Promise<void> {
  if (ri.verb !== 'create') throw methodNotAllowed({ group: '', resource: 'pods/binding' }, ri.verb);
  const binding = (await decodeRequestBody(req, req.headers['content-type'], { apiVersion: 'v1', kind: 'Binding' })) as { target?: { name?: string } };
  const node = binding?.target?.name;
  if (!node) throw badRequest('Binding target.name is required');
  await pods.update(
    ri.namespace,
    ri.name,
    (pod) => {
      const spec = (pod.spec ??= {}) as { nodeName?: string };
      if (spec.nodeName) {
        throw new StatusError({
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: `Operation cannot be fulfilled on pods/binding "${ri.name}": pod ${ri.name} is already assigned to node "${spec.nodeName}"`,
          reason: 'Conflict',
          details: { name: ri.name, kind: 'pods/binding' },
          code: 409,
        });
      }
      spec.nodeName = node;
      // assignPod: the binding also records PodScheduled=True (kubectl describe's "PodScheduled True").
      const status = (pod.status ??= {}) as { conditions?: { type: string; status: string; lastProbeTime?: null; lastTransitionTime?: string }[] };
      const conditions = (status.conditions ??= []);
      const scheduled = conditions.find((c) => c.type === 'PodScheduled');
      const now = rfc3339(clock.now());
      if (!scheduled) conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now });
      else if (scheduled.status !== 'True') {
        // Deleted, not set to undefined: the stored object is plain JSON (GenericRegistry.eventObject).
        const c = scheduled as { status: string; lastTransitionTime?: string; reason?: string; message?: string };
        c.status = 'True';
        c.lastTransitionTime = now;
        delete c.reason;
        delete c.message;
      }
      delete pod.metadata.resourceVersion;
      return pod;
    },
    { user, dryRun: false, subresource: 'binding' },
  );
  writeObject(res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}
