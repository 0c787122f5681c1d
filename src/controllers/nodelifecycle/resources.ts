// The resources the node controllers watch, and the pods-by-node index they share.
import type { Pod } from '../../api/objects.js';
import type { SharedInformer } from '../../client/informer.js';
import type { ResourceRef } from '../../client/rest.js';

export const NODES: ResourceRef = { group: '', version: 'v1', resource: 'nodes', namespaced: false, kind: 'Node' };
export const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true, kind: 'Pod' };
export const LEASES: ResourceRef = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespaced: true, kind: 'Lease' };

/** The pod index kube-controller-manager's node controllers build: spec.nodeName, bound pods only. */
export const POD_NODE_NAME_INDEX = 'spec.nodeName';

export function addPodNodeNameIndex(pods: SharedInformer<Pod>): void {
  pods.addIndexers({ [POD_NODE_NAME_INDEX]: (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []) });
}

/** The pods bound to nodeName, from the informer's cache. */
export function podsOnNode(pods: SharedInformer<Pod>, nodeName: string): Pod[] {
  return pods.indexer.byIndex(POD_NODE_NAME_INDEX, nodeName);
}
