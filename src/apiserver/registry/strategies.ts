// Looks up the Strategy of each stored resource: core/v1 kinds by resource, others by group/resource.
import type { ResourceInfo } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { coreStrategies } from './core/index.js';
import { groupStrategies } from './groups.js';
import type { Strategy } from './strategy.js';
import { crdStrategy, markCRDTerminating, type CustomResourceDefinition } from '../../apiextensions/index.js';

/**
 * A pod's grace period (podStrategy.CheckGracefulDelete): what the client asked for, else
 * spec.terminationGracePeriodSeconds; 0 for pods never scheduled or already finished.
 */
export function podGracePeriod(pod: KubeObject, requested: number | undefined): number {
  const spec = (pod.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  let period = requested ?? spec.terminationGracePeriodSeconds ?? 0;
  if (!spec.nodeName) period = 0;
  if (phase === 'Failed' || phase === 'Succeeded') period = 0;
  return period;
}

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
  if (info.group === 'apiextensions.k8s.io' && info.resource === 'customresourcedefinitions') {
    // Deleting a CRD first marks it Terminating with the cleanup finalizer; its instances go, then it.
    const base = crdStrategy as Strategy;
    return {
      ...base,
      beforeDelete: (crd, now) => markCRDTerminating(crd as CustomResourceDefinition, now),
      status: { ...(base.status ?? {}), finalizersFromRequest: true },
    };
  }
  if (info.group === '' && info.resource === 'pods') return { ...strategy, checkGracefulDelete: podGracePeriod };
  return strategy;
}
