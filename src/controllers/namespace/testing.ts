// Runs the namespace controller beside an in-process API server, for tests that delete namespaces
// and wait for them to go (the API server no longer drains namespaces itself).
import { SharedInformerFactory } from '../../client/informer.js';
import { RestClient } from '../../client/rest.js';
import { InProcessTransport, type RequestHandler } from '../../client/transport.js';
import type { Clock } from '../../sim/clock.js';
import { NamespaceController } from './namespace-controller.js';

const CONTROLLER_USER = { username: 'system:kube-controller-manager', groups: ['system:masters', 'system:authenticated'] };

/** Starts a NamespaceController against server; returns the function that stops it. */
export function startNamespaceController(server: RequestHandler, clock: Clock): () => void {
  const client = new RestClient(new InProcessTransport(server, CONTROLLER_USER));
  const informers = new SharedInformerFactory({ client, clock, log: () => {} });
  const stop = new AbortController();
  new NamespaceController({ clock, informers, clientFor: () => client, log: () => {} }).start(stop.signal);
  informers.start(stop.signal);
  return () => stop.abort();
}
