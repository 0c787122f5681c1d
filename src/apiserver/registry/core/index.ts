// The core/v1 ("" group) strategies, keyed by resource name, for the registry to look up.
import type { Strategy } from '../strategy.js';
import { configMapStrategy } from './configmaps.js';
import { endpointsStrategy } from './endpoints.js';
import { eventStrategy } from './events.js';
import { limitRangeStrategy } from './limitranges.js';
import { namespaceStrategy } from './namespaces.js';
import { nodeStrategy } from './nodes.js';
import { persistentVolumeClaimStrategy } from './persistentvolumeclaims.js';
import { persistentVolumeStrategy } from './persistentvolumes.js';
import { podStrategy } from './pods.js';
import { resourceQuotaStrategy } from './resourcequotas.js';
import { secretStrategy } from './secrets.js';
import { serviceAccountStrategy } from './serviceaccounts.js';
import { serviceStrategy } from './services.js';

/** Strategy per core/v1 resource ("pods", "services", ...). */
export const coreStrategies: Record<string, Strategy<any>> = {
  pods: podStrategy,
  namespaces: namespaceStrategy,
  services: serviceStrategy,
  endpoints: endpointsStrategy,
  configmaps: configMapStrategy,
  secrets: secretStrategy,
  serviceaccounts: serviceAccountStrategy,
  nodes: nodeStrategy,
  events: eventStrategy,
  persistentvolumes: persistentVolumeStrategy,
  persistentvolumeclaims: persistentVolumeClaimStrategy,
  resourcequotas: resourceQuotaStrategy,
  limitranges: limitRangeStrategy,
};

export { namespaceFinalizeStrategy } from './namespaces.js';
export { needsClusterIP, needsNodePorts, needsHealthCheckNodePort } from './services.js';
export { podQOSClass } from './pods.js';
