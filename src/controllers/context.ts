// What kube-controller-manager hands each controller: the clock, the shared informers (one cache
// per resource, shared by every controller), a client acting as the controller's own service
// account (--use-service-account-credentials, as EKS runs it), and an event recorder.
import { EventRecorder } from '../client/events.js';
import type { Logger, SharedInformerFactory } from '../client/informer.js';
import type { RestClient } from '../client/rest.js';
import type { Clock } from '../sim/clock.js';

export interface ControllerContext {
  clock: Clock;
  /** The shared informers; controllers call forResource() before start and never mutate cached objects. */
  informers: SharedInformerFactory;
  /** A client acting as kube-system/<serviceAccount> ("deployment-controller", ...). */
  clientFor(serviceAccount: string): RestClient;
  log?: Logger;
}

/** An event recorder reporting as component (source.component, e.g. "deployment-controller"). */
export function recorderFor(ctx: ControllerContext, serviceAccount: string, component = serviceAccount): EventRecorder {
  return new EventRecorder({ client: ctx.clientFor(serviceAccount), clock: ctx.clock, source: { component }, log: ctx.log });
}
