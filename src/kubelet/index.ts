// The simulated kubelets: KubeletPool runs them, SimNodeSpec describes a node, and the data
// convention of docs/simulation.md (behavior.ts) decides how containers behave.
export { KubeletPool, NODE_NAME_INDEX, validateContainerLogStatus, type KubeletPoolConfig } from './pool.js';
export type { SimNodeSpec, SimResources } from './types.js';
export type { ContainerUsage } from './usage.js';
export { ANNOTATION_PREFIX, resolveBehavior, type ContainerBehavior } from './behavior.js';
