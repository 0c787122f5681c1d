// Which printer serves which resource, the default table for resources without one, and the
// meta.k8s.io/v1 Table body the API server returns for `Accept: application/json;as=Table`.
import type { KubeList, KubeObject } from '../../api/types.js';
import type { Printer } from './printer.js';
import { hasRowConditions, type Table, type TableRow } from './table.js';
import { ageColumn, CREATION_TIMESTAMP_DESCRIPTION, get, int, nameColumn, parseTime, str, translateTimestampSince, column } from './format.js';
import { podPrinter, podTemplatePrinter } from './pods.js';
import {
  componentStatusPrinter,
  configMapPrinter,
  namespacePrinter,
  nodePrinter,
  resourceQuotaPrinter,
  secretPrinter,
  serviceAccountPrinter,
} from './core.js';
import { endpointSlicePrinter, endpointsPrinter, servicePrinter } from './services.js';
import {
  controllerRevisionPrinter,
  cronJobPrinter,
  daemonSetPrinter,
  deploymentPrinter,
  jobPrinter,
  replicaSetPrinter,
  replicationControllerPrinter,
  statefulSetPrinter,
} from './workloads.js';
import {
  csiDriverPrinter,
  csiNodePrinter,
  csiStorageCapacityPrinter,
  persistentVolumeClaimPrinter,
  persistentVolumePrinter,
  storageClassPrinter,
  volumeAttachmentPrinter,
  volumeAttributesClassPrinter,
} from './storage.js';
import { clusterRoleBindingPrinter, roleBindingPrinter } from './rbac.js';
import { ingressClassPrinter, ingressPrinter, ipAddressPrinter, networkPolicyPrinter, serviceCIDRPrinter } from './networking.js';
import { horizontalPodAutoscalerPrinter } from './autoscaling.js';
import { podDisruptionBudgetPrinter } from './policy.js';
import { eventPrinter } from './events.js';
import {
  apiServicePrinter,
  certificateSigningRequestPrinter,
  flowSchemaPrinter,
  leaseCandidatePrinter,
  leasePrinter,
  mutatingWebhookConfigurationPrinter,
  priorityClassPrinter,
  priorityLevelConfigurationPrinter,
  runtimeClassPrinter,
  validatingAdmissionPolicyBindingPrinter,
  validatingAdmissionPolicyPrinter,
  validatingWebhookConfigurationPrinter,
} from './misc.js';

export type { Printer, TableColumn } from './printer.js';
export type { Table, TableRow, TableRowCondition } from './table.js';

/**
 * Printers by "group/resource" (core group as ""). Resources not listed here (Roles, ClusterRoles,
 * LimitRanges, CRDs, custom resources without additionalPrinterColumns, ...) use defaultPrinter,
 * as they do upstream.
 */
const PRINTERS: Record<string, Printer> = {
  '/pods': podPrinter,
  '/podtemplates': podTemplatePrinter,
  '/replicationcontrollers': replicationControllerPrinter,
  '/services': servicePrinter,
  '/endpoints': endpointsPrinter,
  '/nodes': nodePrinter,
  '/events': eventPrinter,
  '/namespaces': namespacePrinter,
  '/secrets': secretPrinter,
  '/serviceaccounts': serviceAccountPrinter,
  '/persistentvolumes': persistentVolumePrinter,
  '/persistentvolumeclaims': persistentVolumeClaimPrinter,
  '/componentstatuses': componentStatusPrinter,
  '/configmaps': configMapPrinter,
  '/resourcequotas': resourceQuotaPrinter,
  'apps/deployments': deploymentPrinter,
  'apps/replicasets': replicaSetPrinter,
  'apps/statefulsets': statefulSetPrinter,
  'apps/daemonsets': daemonSetPrinter,
  'apps/controllerrevisions': controllerRevisionPrinter,
  'batch/jobs': jobPrinter,
  'batch/cronjobs': cronJobPrinter,
  'autoscaling/horizontalpodautoscalers': horizontalPodAutoscalerPrinter,
  'policy/poddisruptionbudgets': podDisruptionBudgetPrinter,
  'networking.k8s.io/networkpolicies': networkPolicyPrinter,
  'networking.k8s.io/ingresses': ingressPrinter,
  'networking.k8s.io/ingressclasses': ingressClassPrinter,
  'networking.k8s.io/servicecidrs': serviceCIDRPrinter,
  'networking.k8s.io/ipaddresses': ipAddressPrinter,
  'discovery.k8s.io/endpointslices': endpointSlicePrinter,
  'rbac.authorization.k8s.io/rolebindings': roleBindingPrinter,
  'rbac.authorization.k8s.io/clusterrolebindings': clusterRoleBindingPrinter,
  'storage.k8s.io/storageclasses': storageClassPrinter,
  'storage.k8s.io/volumeattachments': volumeAttachmentPrinter,
  'storage.k8s.io/csidrivers': csiDriverPrinter,
  'storage.k8s.io/csinodes': csiNodePrinter,
  'storage.k8s.io/csistoragecapacities': csiStorageCapacityPrinter,
  'storage.k8s.io/volumeattributesclasses': volumeAttributesClassPrinter,
  'events.k8s.io/events': eventPrinter,
  'coordination.k8s.io/leases': leasePrinter,
  'coordination.k8s.io/leasecandidates': leaseCandidatePrinter,
  'scheduling.k8s.io/priorityclasses': priorityClassPrinter,
  'node.k8s.io/runtimeclasses': runtimeClassPrinter,
  'admissionregistration.k8s.io/mutatingwebhookconfigurations': mutatingWebhookConfigurationPrinter,
  'admissionregistration.k8s.io/validatingwebhookconfigurations': validatingWebhookConfigurationPrinter,
  'admissionregistration.k8s.io/validatingadmissionpolicies': validatingAdmissionPolicyPrinter,
  'admissionregistration.k8s.io/validatingadmissionpolicybindings': validatingAdmissionPolicyBindingPrinter,
  'certificates.k8s.io/certificatesigningrequests': certificateSigningRequestPrinter,
  'flowcontrol.apiserver.k8s.io/flowschemas': flowSchemaPrinter,
  'flowcontrol.apiserver.k8s.io/prioritylevelconfigurations': priorityLevelConfigurationPrinter,
  'apiregistration.k8s.io/apiservices': apiServicePrinter,
};

/** The printer kube-apiserver uses for a built-in resource, or undefined when it uses the default table. */
export function printerFor(group: string, resource: string): Printer | undefined {
  return PRINTERS[`${group}/${resource}`];
}

/** metav1.Time as the default table prints it: RFC 3339 in UTC, Go's zero time when unset. */
function createdAt(ts: unknown): string {
  const ms = parseTime(ts);
  if (ms === undefined) return '0001-01-01T00:00:00Z';
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The apiserver's default table convertor (rest.defaultTableConvertor): NAME and CREATED AT. */
export const defaultPrinter: Printer = {
  columns: [nameColumn(), column('Created At', 'date', CREATION_TIMESTAMP_DESCRIPTION)],
  cells(obj) {
    return [str(obj.metadata.name), createdAt(obj.metadata.creationTimestamp)];
  },
};

/** The scale subresource's table (printScale): its Name column has no "name" format upstream. */
export const scalePrinter: Printer = {
  columns: [
    { ...nameColumn(), format: '' },
    column('Desired', 'integer', 'replicas is the desired number of instances for the scaled object.'),
    column('Available', 'integer', 'replicas is the actual number of observed instances of the scaled object.'),
    ageColumn(),
  ],
  cells(obj, now) {
    return [str(obj.metadata.name), int(get(obj, 'spec', 'replicas')), int(get(obj, 'status', 'replicas')), translateTimestampSince(obj.metadata.creationTimestamp, now)];
  },
};

/** What a Table request asked for (metav1.TableOptions and the includeObject parameter). */
export interface TableOptions {
  /** includeObject: None drops the row object, Metadata (the default) sends PartialObjectMetadata, Object the whole object. */
  includeObject?: 'None' | 'Metadata' | 'Object';
  /** noHeaders: omit columnDefinitions (used by kubectl for watch events after the first). */
  noHeaders?: boolean;
  /** List metadata when `objects` is a bare array. */
  listMeta?: Table['metadata'];
}

function isList(x: unknown): x is KubeList {
  return typeof x === 'object' && x !== null && Array.isArray((x as KubeList).items);
}

function rowObject(obj: KubeObject, includeObject: TableOptions['includeObject']): unknown {
  switch (includeObject) {
    case 'None':
      return null;
    case 'Object':
      return obj;
    default:
      return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
  }
}

/**
 * The meta.k8s.io/v1 Table for one object or a list, as kube-apiserver renders it: every column
 * (kubectl hides priority > 0 itself unless -o wide), list metadata from a list or the object's
 * resourceVersion for a single object, and each row's object per includeObject.
 */
export function toTable(printer: Printer, objects: KubeObject | KubeObject[] | KubeList, now: number, opts: TableOptions = {}): Table {
  let items: KubeObject[];
  let metadata: Table['metadata'] = {};
  if (isList(objects)) {
    items = objects.items;
    metadata = listMetadata(objects.metadata);
  } else if (Array.isArray(objects)) {
    items = objects;
    metadata = listMetadata(opts.listMeta ?? {});
  } else {
    items = [objects];
    if (objects.metadata.resourceVersion) metadata = { resourceVersion: objects.metadata.resourceVersion };
  }
  const rows: TableRow[] = items.map((obj) => {
    const row: TableRow = { cells: printer.cells(obj, now), object: rowObject(obj, opts.includeObject) };
    if (hasRowConditions(printer)) {
      const conditions = printer.rowConditions(obj);
      if (conditions && conditions.length > 0) return { cells: row.cells, conditions, object: row.object };
    }
    return row;
  });
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: opts.noHeaders ? null : printer.columns,
    // The default convertor appends to a nil slice, so an empty list serializes rows as null.
    rows: rows.length === 0 && printer === defaultPrinter ? null : rows,
  };
}

/** ListMeta with Go's omitempty: only the fields that are set. */
function listMetadata(meta: Table['metadata']): Table['metadata'] {
  const out: Table['metadata'] = {};
  if (meta.resourceVersion) out.resourceVersion = meta.resourceVersion;
  if (meta.continue) out.continue = meta.continue;
  if (typeof meta.remainingItemCount === 'number') out.remainingItemCount = meta.remainingItemCount;
  return out;
}
