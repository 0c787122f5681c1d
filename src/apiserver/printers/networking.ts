// networking.k8s.io: NetworkPolicies, Ingresses, IngressClasses, ServiceCIDRs and IPAddresses.
import type { Printer } from './printer.js';
import { ageCell, ageColumn, arr, column, formatLabelSelector, get, nameColumn, str, type LabelSelector } from './format.js';
import { loadBalancerIngressString } from './services.js';

/** NetworkPolicies: NAME POD-SELECTOR AGE ("<none>" for the empty selector that selects every pod). */
export const networkPolicyPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Pod-Selector', 'string', 'Selects the pods to which this NetworkPolicy object applies.'),
    ageColumn(),
  ],
  cells(obj, now) {
    return [str(obj.metadata.name), formatLabelSelector((get(obj, 'spec', 'podSelector') ?? {}) as LabelSelector), ageCell(obj, now)];
  },
};

/** The HOSTS cell of an Ingress: up to three rule hosts, "*" when none is set. */
export function ingressHosts(rules: { host?: string }[]): string {
  const max = 3;
  const list: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (list.length === max) more = true;
    if (!more && rule.host) list.push(rule.host);
  }
  if (list.length === 0) return '*';
  const ret = list.join(',');
  return more ? `${ret} + ${rules.length - max} more...` : ret;
}

/** Ingresses: NAME CLASS HOSTS ADDRESS PORTS AGE. */
export const ingressPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Class', 'string', 'The name of the IngressClass resource that should be used for additional configuration'),
    column('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
    column('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
    column('Ports', 'string', 'Ports of TLS configurations that open'),
    ageColumn(),
  ],
  cells(obj, now) {
    const className = get(obj, 'spec', 'ingressClassName');
    return [
      str(obj.metadata.name),
      typeof className === 'string' ? className : '<none>',
      ingressHosts(arr(get(obj, 'spec', 'rules'))),
      loadBalancerIngressString(arr(get(obj, 'status', 'loadBalancer', 'ingress'))),
      arr(get(obj, 'spec', 'tls')).length > 0 ? '80, 443' : '80',
      ageCell(obj, now),
    ];
  },
};

/** IngressClasses: NAME CONTROLLER PARAMETERS AGE; PARAMETERS like "IngressParameters.k8s.example.com/external-lb". */
export const ingressClassPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Controller', 'string', 'Controller that is responsible for handling this class'),
    column('Parameters', 'string', 'A reference to a resource with additional parameters'),
    ageColumn(),
  ],
  cells(obj, now) {
    const params = get(obj, 'spec', 'parameters') as { kind?: string; apiGroup?: string; name?: string } | undefined;
    let parameters = '<none>';
    if (params) {
      parameters = str(params.kind);
      if (typeof params.apiGroup === 'string') parameters += `.${params.apiGroup}`;
      parameters += `/${str(params.name)}`;
    }
    return [str(obj.metadata.name), str(get(obj, 'spec', 'controller')), parameters, ageCell(obj, now)];
  },
};

/** ServiceCIDRs: NAME CIDRS AGE. */
export const serviceCIDRPrinter: Printer = {
  columns: [nameColumn(), column('CIDRs', 'string', 'CIDRs defines the IP blocks in CIDR notation from which to assign service cluster IPs.'), ageColumn()],
  cells(obj, now) {
    return [str(obj.metadata.name), arr<string>(get(obj, 'spec', 'cidrs')).join(','), ageCell(obj, now)];
  },
};

/** IPAddresses: NAME PARENTREF, e.g. "services/default/kubernetes". */
export const ipAddressPrinter: Printer = {
  columns: [nameColumn(), column('ParentRef', 'string', 'ParentRef references the resource that an IPAddress is attached to.')],
  cells(obj, now) {
    const ref = get(obj, 'spec', 'parentRef') as { group?: string; resource?: string; namespace?: string; name?: string } | undefined;
    let parent = '<none>';
    if (ref) {
      // schema.GroupResource.String(): "resource.group", or "resource" in the core group.
      parent = (ref.group ? `${str(ref.resource)}.${ref.group}` : str(ref.resource)).toLowerCase();
      if (ref.namespace) parent += `/${ref.namespace}`;
      parent += `/${str(ref.name)}`;
    }
    // Upstream appends an age cell although the columns stop at ParentRef; kubectl ignores it.
    return [str(obj.metadata.name), parent, ageCell(obj, now)];
  },
};
