// Test scaffolding for the batch controllers: a ControllerContext over an in-process test server,
// and a stand-in for the kubelet that finishes each new pod the way a test asks.
import type { TestServer } from '../../apiserver/testing.js';
import type { Pod } from '../../api/objects.js';
import { SharedInformerFactory } from '../../client/informer.js';
import { RestClient } from '../../client/rest.js';
import { InProcessTransport } from '../../client/transport.js';
import type { ControllerContext } from '../context.js';
import { rfc3339 } from '../../sim/clock.js';
import { PODS } from '../../client/refs.js';

/** The admin's client. */
export function adminClient(t: TestServer): RestClient {
  return new RestClient(new InProcessTransport(t.server, { username: 'kubernetes-admin', groups: ['system:masters'] }));
}

/** A context whose controllers act as kube-system service accounts (with system:masters until RBAC bootstrap has their roles). */
export function testContext(t: TestServer, logs: string[] = []): { ctx: ControllerContext; informers: SharedInformerFactory } {
  const informers = new SharedInformerFactory({ client: adminClient(t), clock: t.clock, log: (m) => logs.push(m) });
  const ctx: ControllerContext = {
    clock: t.clock,
    informers,
    clientFor: (sa) =>
      new RestClient(
        new InProcessTransport(t.server, {
          username: `system:serviceaccount:kube-system:${sa}`,
          groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated', 'system:masters'],
        }),
      ),
    log: (m, e) => logs.push(e === undefined ? m : `${m}: ${String(e)}`),
  };
  return { ctx, informers };
}

/** How the fake kubelet ends a pod: Succeeded, Failed with an exit code, or left running (undefined). */
export type PodOutcome = { phase: 'Succeeded' } | { phase: 'Failed'; exitCode?: number; conditions?: { type: string; status: string }[] } | undefined;

/**
 * Watches pods and finishes each new one as outcome(pod) says, stamping container termination at
 * the clock's time (the job controller's failure backoff reads it). Returns the pods it saw.
 */
export function fakeKubelet(t: TestServer, informers: SharedInformerFactory, outcome: (pod: Pod) => PodOutcome): { seen: Pod[] } {
  const client = adminClient(t);
  const seen: Pod[] = [];
  const done = new Set<string>();
  informers.forResource<Pod>(PODS).addEventHandler({
    onAdd: (pod) => {
      if (done.has(pod.metadata.uid!) || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return;
      done.add(pod.metadata.uid!);
      seen.push(pod);
      const o = outcome(pod);
      if (!o) return;
      const now = rfc3339(t.clock.now());
      const exitCode = o.phase === 'Succeeded' ? 0 : (o.exitCode ?? 1);
      const containerStatuses = (pod.spec?.containers ?? []).map((c) => ({
        name: c.name,
        image: c.image,
        imageID: '',
        ready: false,
        restartCount: 0,
        started: false,
        state: { terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt: now, finishedAt: now } },
      }));
      const conditions = [{ type: 'Ready', status: 'False', lastTransitionTime: now, reason: 'PodCompleted' }, ...(o.phase === 'Failed' ? (o.conditions ?? []) : [])];
      void client
        .resource(PODS)
        .namespace(pod.metadata.namespace!)
        .patch(pod.metadata.name!, 'merge', { status: { phase: o.phase, containerStatuses, conditions } }, { subresource: 'status' })
        .catch(() => undefined);
    },
  });
  return { seen };
}
