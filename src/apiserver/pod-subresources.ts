// The pod subresources that are not plain object writes: pods/binding (the scheduler's bind),
// pods/log (streamed from the node's kubelet) and pods/eviction (a delete that respects
// PodDisruptionBudgets). Each gets the same context from the API server.
import type { ResourceInfo } from '../api/resources.js';
import type { Clock } from '../sim/clock.js';
import type { UserInfo } from './auth/authn.js';
import type { ApiRequest, ResponseSink } from './http.js';
import type { GenericRegistry } from './registry/generic.js';
import type { RequestInfo } from './request-info.js';

/**
 * How the API server reaches kubelets (upstream: the node's kubeletEndpoint over HTTPS). The host
 * plugs in its simulated kubelets; without one, logs answer as a node that cannot be reached would.
 */
export interface KubeletConnection {
  /**
   * Streams a container's log to write(). Resolves when the log is exhausted (or, with follow,
   * when the container stops or signal aborts). Throws a StatusError the API server returns as is.
   */
  containerLogs(req: ContainerLogRequest, write: (chunk: string) => void, signal: AbortSignal): Promise<void>;
}

/** What `GET .../pods/{name}/log` asks for (PodLogOptions). */
export interface ContainerLogRequest {
  nodeName: string;
  namespace: string;
  pod: string;
  podUID: string;
  container: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: string;
  limitBytes?: number;
}

/** Everything a pod subresource handler gets. */
export interface PodSubresourceContext {
  req: ApiRequest;
  res: ResponseSink;
  ri: RequestInfo;
  user: UserInfo;
  /** The pods registry. */
  pods: GenericRegistry;
  /** Any other resource's registry (PodDisruptionBudgets for eviction). */
  registryFor(info: ResourceInfo): GenericRegistry;
  clock: Clock;
  kubelets?: KubeletConnection;
  /** Aborts when the API server stops (ends streaming logs). */
  stop: AbortSignal;
}
