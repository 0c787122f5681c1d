// Admission: the plugins that see every write after the strategy prepared it and before it is
// validated and stored, as kube-apiserver's mutating then validating admission chain.
import type { ResourceInfo } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import type { UserInfo } from '../auth/authn.js';

/** What admission plugins are told about a request. */
export interface AdmissionAttributes {
  operation: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
  resource: ResourceInfo;
  namespace: string;
  name: string;
  subresource: string;
  /** The object being written (mutable in admit). */
  object?: KubeObject;
  oldObject?: KubeObject;
  user: UserInfo;
  dryRun: boolean;
}

/** An admission plugin: admit may mutate the object; validate may only reject (throw a StatusError). */
export interface AdmissionPlugin {
  readonly name: string;
  admit?(attrs: AdmissionAttributes): Promise<void> | void;
  validate?(attrs: AdmissionAttributes): Promise<void> | void;
}

/** Runs every plugin's admit, then every plugin's validate, in order. */
export class AdmissionChain {
  constructor(private readonly plugins: AdmissionPlugin[]) {}

  async run(attrs: AdmissionAttributes): Promise<void> {
    // Most plugins answer most requests at once (not their resource): only a promise is awaited.
    for (const p of this.plugins) {
      const r = p.admit?.(attrs);
      if (r) await r;
    }
    for (const p of this.plugins) {
      const r = p.validate?.(attrs);
      if (r) await r;
    }
  }
}
