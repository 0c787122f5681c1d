// ServiceAccounts: only ObjectMeta is validated upstream (names are DNS subdomains), which the generic
// store already does; the strategy exists so the resource is registered with its rules spelled out.
import type { KubeObject } from '../../../api/types.js';
import type { Strategy } from '../strategy.js';

/** The ServiceAccount strategy. */
export const serviceAccountStrategy = {
  nameValidation: 'subdomain',
} satisfies Strategy<KubeObject>;
