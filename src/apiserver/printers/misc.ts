// Cluster plumbing: Leases, PriorityClasses, RuntimeClasses, admission webhook and policy
// configurations, CertificateSigningRequests, API Priority and Fairness objects and APIServices.
import type { KubeObject } from '../../api/types.js';
import type { Printer } from './printer.js';
import { ageCell, ageColumn, arr, column, get, humanDuration, int, nameColumn, str } from './format.js';

/** Leases: NAME HOLDER AGE. */
export const leasePrinter: Printer = {
  columns: [nameColumn(), column('Holder', 'string', 'holderIdentity contains the identity of the holder of a current lease.'), ageColumn()],
  cells(obj, now) {
    return [str(obj.metadata.name), str(get(obj, 'spec', 'holderIdentity')), ageCell(obj, now)];
  },
};

/** LeaseCandidates (coordination.k8s.io/v1alpha2): NAME LEASENAME BINARYVERSION EMULATIONVERSION AGE. */
export const leaseCandidatePrinter: Printer = {
  columns: [
    nameColumn(),
    column('LeaseName', 'string', 'LeaseName is the name of the lease for which this candidate is contending.'),
    column('BinaryVersion', 'string', 'BinaryVersion is the binary version.'),
    column('EmulationVersion', 'string', 'EmulationVersion is the emulation version.'),
    ageColumn(),
  ],
  cells(obj, now) {
    return [
      str(obj.metadata.name),
      str(get(obj, 'spec', 'leaseName')),
      str(get(obj, 'spec', 'binaryVersion')),
      str(get(obj, 'spec', 'emulationVersion')),
      ageCell(obj, now),
    ];
  },
};

/**
 * PriorityClasses: NAME VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY. PreemptionPolicy has priority 0
 * upstream (only its cell is guarded by wide, and the server always prints wide).
 */
export const priorityClassPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Value', 'integer', 'value represents the integer value of this priority class.'),
    column('Global-Default', 'boolean', 'globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class.'),
    ageColumn(),
    column('PreemptionPolicy', 'string', 'preemptionPolicy is the Policy for preempting pods with lower priority.'),
  ],
  cells(obj, now) {
    // preemptionPolicy defaults to PreemptLowerPriority, so a stored object always has one.
    return [
      str(obj.metadata.name),
      int(get(obj, 'value')),
      get(obj, 'globalDefault') === true,
      ageCell(obj, now),
      str(get(obj, 'preemptionPolicy')) || 'PreemptLowerPriority',
    ];
  },
};

/** RuntimeClasses: NAME HANDLER AGE. */
export const runtimeClassPrinter: Printer = {
  columns: [nameColumn(), column('Handler', 'string', 'handler specifies the underlying runtime and configuration that the CRI implementation will use to handle pods of this class.'), ageColumn()],
  cells(obj, now) {
    return [str(obj.metadata.name), str(get(obj, 'handler')), ageCell(obj, now)];
  },
};

function webhookConfigurationPrinter(): Printer {
  return {
    columns: [nameColumn(), column('Webhooks', 'integer', 'Webhooks indicates the number of webhooks registered in this configuration'), ageColumn()],
    cells(obj, now) {
      return [str(obj.metadata.name), arr(get(obj, 'webhooks')).length, ageCell(obj, now)];
    },
  };
}

/** MutatingWebhookConfigurations: NAME WEBHOOKS AGE. */
export const mutatingWebhookConfigurationPrinter = webhookConfigurationPrinter();
/** ValidatingWebhookConfigurations: NAME WEBHOOKS AGE. */
export const validatingWebhookConfigurationPrinter = webhookConfigurationPrinter();

/** ValidatingAdmissionPolicies: NAME VALIDATIONS PARAMKIND AGE. */
export const validatingAdmissionPolicyPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Validations', 'integer', 'Validations indicates the number of validation rules defined in this configuration'),
    column('ParamKind', 'string', 'ParamKind specifies the kind of resources used to parameterize this policy'),
    ageColumn(),
  ],
  cells(obj, now) {
    const paramKind = get(obj, 'spec', 'paramKind');
    return [
      str(obj.metadata.name),
      arr(get(obj, 'spec', 'validations')).length,
      paramKind ? `${str(get(paramKind, 'apiVersion'))}/${str(get(paramKind, 'kind'))}` : '<unset>',
      ageCell(obj, now),
    ];
  },
};

/** ValidatingAdmissionPolicyBindings: NAME POLICYNAME PARAMREF AGE. */
export const validatingAdmissionPolicyBindingPrinter: Printer = {
  columns: [
    nameColumn(),
    column('PolicyName', 'string', 'PolicyName indicates the policy definition which the policy binding binded to'),
    column('ParamRef', 'string', 'ParamRef indicates the param resource which sets the configration param'),
    ageColumn(),
  ],
  cells(obj, now) {
    const ref = get(obj, 'spec', 'paramRef');
    let param = '<unset>';
    if (ref) {
      const name = str(get(ref, 'name'));
      const namespace = str(get(ref, 'namespace'));
      if (name) {
        // A param without a namespace may be cluster-scoped or in any namespace: upstream prints "*".
        param = namespace ? `${namespace}/${name}` : `*/${name}`;
      } else if (get(ref, 'selector')) {
        param = selectorText(get(ref, 'selector'));
      }
    }
    return [str(obj.metadata.name), str(get(obj, 'spec', 'policyName')), param, ageCell(obj, now)];
  },
};

/** metav1.LabelSelector.String(): Go's struct print, approximated as its JSON. */
function selectorText(sel: unknown): string {
  return JSON.stringify(sel);
}

/** The CONDITION cell of a CSR: Approved/Denied/Pending, then ",Failed" and ",Issued". */
export function csrCondition(obj: KubeObject): string {
  const types = new Set(arr<{ type: string }>(get(obj, 'status', 'conditions')).map((c) => c.type));
  let status = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending';
  if (types.has('Failed')) status += ',Failed';
  if (str(get(obj, 'status', 'certificate')).length > 0) status += ',Issued';
  return status;
}

/** CertificateSigningRequests: NAME AGE SIGNERNAME REQUESTOR REQUESTEDDURATION CONDITION. */
export const certificateSigningRequestPrinter: Printer = {
  columns: [
    nameColumn(),
    ageColumn(),
    column('SignerName', 'string', 'Requested signer for the request.'),
    column('Requestor', 'string', 'Base64-encoded PKCS#10 CSR data'),
    column('RequestedDuration', 'string', 'expirationSeconds is the requested duration of validity of the issued certificate.'),
    column('Condition', 'string', 'Conditions applied to the request, such as approval or denial.'),
  ],
  cells(obj, now) {
    const expiration = get(obj, 'spec', 'expirationSeconds');
    return [
      str(obj.metadata.name),
      ageCell(obj, now),
      str(get(obj, 'spec', 'signerName')) || '<none>',
      str(get(obj, 'spec', 'username')),
      typeof expiration === 'number' ? humanDuration(expiration * 1000) : '<none>',
      csrCondition(obj),
    ];
  },
};

/** FlowSchemas: NAME PRIORITYLEVEL MATCHINGPRECEDENCE DISTINGUISHERMETHOD AGE MISSINGPL. */
export const flowSchemaPrinter: Printer = {
  columns: [
    nameColumn(),
    column('PriorityLevel', 'string', '`name` is the name of the priority level configuration being referenced'),
    column('MatchingPrecedence', 'string', '`matchingPrecedence` is used to choose among the FlowSchemas that match a given request.'),
    column('DistinguisherMethod', 'string', '`distinguisherMethod` defines how to compute the flow distinguisher for requests that match this schema.'),
    ageColumn(),
    column('MissingPL', 'string', 'references a broken or non-existent PriorityLevelConfiguration'),
  ],
  cells(obj, now) {
    const dangling = arr<{ type: string; status: string }>(get(obj, 'status', 'conditions')).find((c) => c.type === 'Dangling');
    const method = get(obj, 'spec', 'distinguisherMethod', 'type');
    return [
      str(obj.metadata.name),
      str(get(obj, 'spec', 'priorityLevelConfiguration', 'name')),
      int(get(obj, 'spec', 'matchingPrecedence')),
      typeof method === 'string' ? method : '<none>',
      ageCell(obj, now),
      dangling ? dangling.status : '?',
    ];
  },
};

/** PriorityLevelConfigurations: NAME TYPE NOMINALCONCURRENCYSHARES QUEUES HANDSIZE QUEUELENGTHLIMIT AGE. */
export const priorityLevelConfigurationPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Type', 'string', '`type` indicates whether this priority level is subject to limitation on request execution.'),
    column('NominalConcurrencyShares', 'string', '`nominalConcurrencyShares` (NCS) contributes to the computation of the NominalConcurrencyLimit (NominalCL) of this level.'),
    column('Queues', 'string', '`queues` is the number of queues for this priority level.'),
    column('HandSize', 'string', '`handSize` is a small positive number that configures the shuffle sharding of requests into queues.'),
    column('QueueLengthLimit', 'string', '`queueLengthLimit` is the maximum number of requests allowed to be waiting in a given queue of this priority level at a time.'),
    ageColumn(),
  ],
  cells(obj, now) {
    const limited = get(obj, 'spec', 'limited');
    let ncs: unknown = '<none>';
    let queues: unknown = '<none>';
    let handSize: unknown = '<none>';
    let queueLengthLimit: unknown = '<none>';
    if (limited) {
      ncs = int(get(limited, 'nominalConcurrencyShares'));
      const queuing = get(limited, 'limitResponse', 'queuing');
      if (queuing) {
        queues = int(get(queuing, 'queues'));
        handSize = int(get(queuing, 'handSize'));
        queueLengthLimit = int(get(queuing, 'queueLengthLimit'));
      }
    }
    return [str(obj.metadata.name), str(get(obj, 'spec', 'type')), ncs, queues, handSize, queueLengthLimit, ageCell(obj, now)];
  },
};

/** APIServices (kube-aggregator): NAME SERVICE AVAILABLE AGE; AVAILABLE like "False (MissingEndpoints)". */
export const apiServicePrinter: Printer = {
  columns: [
    nameColumn(),
    column('Service', 'string', 'The reference to the service that hosts this API endpoint.'),
    column('Available', 'string', 'Whether this service is available.'),
    ageColumn(),
  ],
  cells(obj, now) {
    const svc = get(obj, 'spec', 'service');
    const service = svc ? `${str(get(svc, 'namespace'))}/${str(get(svc, 'name'))}` : 'Local';
    const available = arr<{ type: string; status: string; reason?: string }>(get(obj, 'status', 'conditions')).find((c) => c.type === 'Available');
    let status = 'Unknown';
    if (available) status = available.status !== 'True' && available.reason ? `${available.status} (${available.reason})` : available.status;
    return [str(obj.metadata.name), service, status, ageCell(obj, now)];
  },
};
