// The pods-by-node index the node controllers share.
import type { Pod } from '../../api/objects.js';
import type { SharedInformer } from '../../client/informer.js';

/** The pod index kube-controller-manager's node controllers build: spec.nodeName, bound pods only. */
export const POD_NODE_NAME_INDEX = 'spec.nodeName';

export function addPodNodeNameIndex(pods: SharedInformer<Pod>): void {
  pods.addIndexers({ [POD_NODE_NAME_INDEX]: (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []) });
}

/** The pods bound to nodeName, from the informer's cache. */
export function podsOnNode(pods: SharedInformer<Pod>, nodeName: string): Pod[] {
  return pods.indexer.byIndex(POD_NODE_NAME_INDEX, nodeName);
}
