// Core (v1) resources other than pods, services and storage: Namespaces, ConfigMaps, Secrets,
// ServiceAccounts, Nodes, ResourceQuotas and ComponentStatuses.
import type { KubeObject } from '../../api/types.js';
import type { Printer } from './printer.js';
import { ageCell, ageColumn, arr, canonicalQuantity, column, get, nameColumn, str, wideColumn } from './format.js';

function keyCount(...maps: unknown[]): number {
  const keys = new Set<string>();
  for (const m of maps) if (m && typeof m === 'object') for (const k of Object.keys(m)) keys.add(k);
  return keys.size;
}

/** Namespaces: NAME STATUS AGE. */
export const namespacePrinter: Printer = {
  columns: [nameColumn(), column('Status', 'string', 'The status of the namespace'), ageColumn()],
  cells(obj, now) {
    return [str(obj.metadata.name), str(get(obj, 'status', 'phase')), ageCell(obj, now)];
  },
};

/** ConfigMaps: NAME DATA AGE, DATA counting data and binaryData keys. */
export const configMapPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Data', 'string', 'Data contains the configuration data.'),
    ageColumn(),
  ],
  cells(obj, now) {
    const data = get(obj, 'data');
    const binary = get(obj, 'binaryData');
    const count = (data && typeof data === 'object' ? Object.keys(data).length : 0) + (binary && typeof binary === 'object' ? Object.keys(binary).length : 0);
    return [str(obj.metadata.name), count, ageCell(obj, now)];
  },
};

/** Secrets: NAME TYPE DATA AGE. */
export const secretPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Type', 'string', 'Used to facilitate programmatic handling of secret data.'),
    column('Data', 'string', 'Data contains the secret data.'),
    ageColumn(),
  ],
  cells(obj, now) {
    // stringData is merged into data when a v1 Secret is decoded, so its keys count too.
    return [str(obj.metadata.name), str(get(obj, 'type')) || 'Opaque', keyCount(get(obj, 'data'), get(obj, 'stringData')), ageCell(obj, now)];
  },
};

/** ServiceAccounts: NAME SECRETS AGE. */
export const serviceAccountPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Secrets', 'string', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.'),
    ageColumn(),
  ],
  cells(obj, now) {
    return [str(obj.metadata.name), arr(get(obj, 'secrets')).length, ageCell(obj, now)];
  },
};

const NODE_ROLE_PREFIX = 'node-role.kubernetes.io/';
const NODE_ROLE_LABEL = 'kubernetes.io/role';

/** A node's roles from node-role.kubernetes.io/<role> labels and the kubernetes.io/role label, sorted. */
export function nodeRoles(labels: Record<string, string> | undefined): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (k.startsWith(NODE_ROLE_PREFIX)) {
      const role = k.slice(NODE_ROLE_PREFIX.length);
      if (role) roles.add(role);
    } else if (k === NODE_ROLE_LABEL && v !== '') {
      roles.add(v);
    }
  }
  return [...roles].sort();
}

/** A node's STATUS cell: Ready/NotReady/Unknown, plus SchedulingDisabled when cordoned. */
export function nodeStatus(node: KubeObject): string {
  const conditions = arr<{ type: string; status: string }>(get(node, 'status', 'conditions'));
  // Like upstream's condition map, a later condition of the same type wins.
  const ready = conditions.filter((c) => c.type === 'Ready').at(-1);
  const status: string[] = [];
  if (ready) status.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  else status.push('Unknown');
  if (get(node, 'spec', 'unschedulable') === true) status.push('SchedulingDisabled');
  return status.join(',');
}

function nodeAddress(node: KubeObject, type: string): string {
  const a = arr<{ type: string; address: string }>(get(node, 'status', 'addresses')).find((a) => a.type === type);
  return a ? a.address : '<none>';
}

/** Nodes: NAME STATUS ROLES AGE VERSION; wide INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME. */
export const nodePrinter: Printer = {
  columns: [
    nameColumn(),
    column('Status', 'string', 'The status of the node'),
    column('Roles', 'string', 'The roles of the node'),
    ageColumn(),
    column('Version', 'string', 'Kubelet Version reported by the node.'),
    wideColumn('Internal-IP', 'string', 'List of addresses reachable to the node.'),
    wideColumn('External-IP', 'string', 'List of addresses reachable to the node.'),
    wideColumn('OS-Image', 'string', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).'),
    wideColumn('Kernel-Version', 'string', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
    wideColumn('Container-Runtime', 'string', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).'),
  ],
  cells(obj, now) {
    const info = (get(obj, 'status', 'nodeInfo') ?? {}) as Record<string, unknown>;
    return [
      str(obj.metadata.name),
      nodeStatus(obj),
      nodeRoles(obj.metadata.labels).join(',') || '<none>',
      ageCell(obj, now),
      str(info.kubeletVersion),
      nodeAddress(obj, 'InternalIP'),
      nodeAddress(obj, 'ExternalIP'),
      str(info.osImage) || '<unknown>',
      str(info.kernelVersion) || '<unknown>',
      str(info.containerRuntimeVersion) || '<unknown>',
    ];
  },
};

/** The REQUEST and LIMIT cells of a ResourceQuota: "cpu: 500m/2, memory: 1Gi/4Gi" from status. */
export function resourceQuotaCells(quota: KubeObject): [string, string] {
  const hard = (get(quota, 'status', 'hard') ?? {}) as Record<string, unknown>;
  const used = (get(quota, 'status', 'used') ?? {}) as Record<string, unknown>;
  const request: string[] = [];
  const limit: string[] = [];
  for (const resource of Object.keys(hard).sort()) {
    const pieces = resource.split('.');
    const target = pieces.length > 1 && pieces[0] === 'limits' ? limit : request;
    // A missing used quantity is the zero Quantity, which prints as "0".
    target.push(`${resource}: ${used[resource] === undefined ? '0' : canonicalQuantity(used[resource])}/${canonicalQuantity(hard[resource])}`);
  }
  return [request.join(', '), limit.join(', ')];
}

/** ResourceQuotas: NAME REQUEST LIMIT AGE. */
export const resourceQuotaPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Request', 'string', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
    column(
      'Limit',
      'string',
      'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.',
    ),
    ageColumn(),
  ],
  cells(obj, now) {
    const [request, limit] = resourceQuotaCells(obj);
    return [str(obj.metadata.name), request, limit, ageCell(obj, now)];
  },
};

/** ComponentStatuses: NAME STATUS MESSAGE ERROR. */
export const componentStatusPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Status', 'string', 'Status of the component conditions'),
    column('Message', 'string', 'Message of the component conditions'),
    column('Error', 'string', 'Error of the component conditions'),
  ],
  cells(obj) {
    const healthy = arr<{ type: string; status: string; message?: string; error?: string }>(get(obj, 'conditions')).find(
      (c) => c.type === 'Healthy',
    );
    const status = healthy ? (healthy.status === 'True' ? 'Healthy' : 'Unhealthy') : 'Unknown';
    return [str(obj.metadata.name), status, str(healthy?.message), str(healthy?.error)];
  },
};
