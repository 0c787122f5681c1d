// Looks up the Strategy of each stored resource: core/v1 kinds by resource, others by group/resource.
import type { ResourceInfo } from '../../api/resources.js';
import { coreStrategies } from './core/index.js';
import { groupStrategies } from './groups.js';
import type { Strategy } from './strategy.js';

/** The strategy for a resource; a resource without kind-specific rules gets the empty strategy. */
export function strategyFor(info: ResourceInfo): Strategy {
  const s = info.group === '' ? coreStrategies[info.resource] : groupStrategies[`${info.group}/${info.resource}`];
  const strategy = s ?? {};
  if (info.group === '' && info.resource === 'namespaces') {
    // Deleting a namespace marks it Terminating until its content is gone (namespace controller).
    return {
      ...strategy,
      prepareForDelete(obj) {
        obj.status = { ...((obj.status as object) ?? {}), phase: 'Terminating' };
      },
    };
  }
  if (info.group === '' && info.resource === 'nodes') return { ...strategy, preserveStatusOnCreate: true };
  return strategy;
}
