// Services, Endpoints and EndpointSlices, as kube-apiserver's printService/printEndpoints/
// printEndpointSlice show them.
import type { Printer } from './printer.js';
import { ageColumn, arr, column, formatLabels, get, listWithMore, nameColumn, str, translateTimestampSince, wideColumn } from './format.js';

interface ServicePort {
  port?: number;
  nodePort?: number;
  protocol?: string;
}

interface LoadBalancerIngress {
  ip?: string;
  hostname?: string;
}

/**
 * Load-balancer ingress points as upstream's loadBalancerStatusStringer: IP, else hostname,
 * de-duplicated and sorted. The server always prints in wide mode, so nothing is clipped.
 */
export function loadBalancerIngressString(ingress: LoadBalancerIngress[]): string {
  const set = new Set<string>();
  for (const i of ingress) {
    if (i.ip) set.add(i.ip);
    else if (i.hostname) set.add(i.hostname);
  }
  return [...set].sort().join(',');
}

/** The EXTERNAL-IP cell: external IPs, load-balancer ingress, "<pending>" or "<none>" by service type. */
export function serviceExternalIP(svc: unknown): string {
  const externalIPs = arr<string>(get(svc, 'spec', 'externalIPs'));
  const type = str(get(svc, 'spec', 'type')) || 'ClusterIP';
  switch (type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerIngressString(arr(get(svc, 'status', 'loadBalancer', 'ingress')));
      if (externalIPs.length > 0) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return str(get(svc, 'spec', 'externalName'));
    default:
      return '<unknown>';
  }
}

/** The PORT(S) cell: "80/TCP,443:30443/TCP". */
export function servicePorts(ports: ServicePort[]): string {
  return ports
    .map((p) => {
      const protocol = p.protocol || 'TCP';
      return p.nodePort && p.nodePort > 0 ? `${p.port ?? 0}:${p.nodePort}/${protocol}` : `${p.port ?? 0}/${protocol}`;
    })
    .join(',');
}

/** Services: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE; wide SELECTOR. */
export const servicePrinter: Printer = {
  columns: [
    nameColumn(),
    column('Type', 'string', 'type determines how the Service is exposed.'),
    column('Cluster-IP', 'string', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    column('External-IP', 'string', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    column('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
    ageColumn(),
    wideColumn('Selector', 'string', 'Route service traffic to pods with label keys and values matching this selector.'),
  ],
  cells(obj, now) {
    const clusterIPs = arr<string>(get(obj, 'spec', 'clusterIPs'));
    const clusterIP = clusterIPs[0] || str(get(obj, 'spec', 'clusterIP')) || '<none>';
    return [
      str(obj.metadata.name),
      str(get(obj, 'spec', 'type')) || 'ClusterIP',
      clusterIP,
      serviceExternalIP(obj),
      servicePorts(arr(get(obj, 'spec', 'ports'))) || '<none>',
      translateTimestampSince(obj.metadata.creationTimestamp, now),
      formatLabels(get(obj, 'spec', 'selector') as Record<string, string>),
    ];
  },
};

interface EndpointSubset {
  addresses?: { ip: string }[];
  ports?: { name?: string; port: number }[];
}

function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The ENDPOINTS cell: up to three "ip:port" entries, then " + N more...". */
export function formatEndpoints(subsets: EndpointSubset[]): string {
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addresses = ss.addresses ?? [];
    const ports = ss.ports ?? [];
    if (ports.length === 0) {
      // A headless service may have no ports: list bare IPs.
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(a.ip);
      }
      continue;
    }
    for (const port of ports) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(joinHostPort(a.ip, port.port));
      }
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - max} more...` : ret;
}

/** Endpoints: NAME ENDPOINTS AGE. */
export const endpointsPrinter: Printer = {
  columns: [nameColumn(), column('Endpoints', 'string', 'The set of all endpoints is the union of all subsets.'), ageColumn()],
  cells(obj, now) {
    return [str(obj.metadata.name), formatEndpoints(arr(get(obj, 'subsets'))), translateTimestampSince(obj.metadata.creationTimestamp, now)];
  },
};

/** EndpointSlices: NAME ADDRESSTYPE PORTS ENDPOINTS AGE. */
export const endpointSlicePrinter: Printer = {
  columns: [
    nameColumn(),
    column('AddressType', 'string', 'addressType specifies the type of address carried by this EndpointSlice.'),
    column('Ports', 'string', 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
    column('Endpoints', 'string', 'endpoints is a list of unique endpoints in this slice.'),
    ageColumn(),
  ],
  cells(obj, now) {
    const ports = arr<{ port?: number | null; name?: string | null }>(get(obj, 'ports')).map((p) =>
      typeof p.port === 'number' ? String(p.port) : typeof p.name === 'string' ? p.name : '*',
    );
    const addresses = arr<{ addresses?: string[] }>(get(obj, 'endpoints')).flatMap((e) => e.addresses ?? []);
    return [
      str(obj.metadata.name),
      str(get(obj, 'addressType')),
      listWithMore(ports, 3),
      listWithMore(addresses, 3),
      translateTimestampSince(obj.metadata.creationTimestamp, now),
    ];
  },
};
