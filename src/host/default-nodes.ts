// The default cluster's nodes until EKS node groups exist: one managed node group of six m5.large
// instances, two in each of us-east-1a/b/c, named and labelled as EKS names and labels them. The
// capacities and allocatable are m5.large's from the instance catalog (cloud/instance-types).
import type { SimNodeSpec } from '../kubelet/types.js';
import { Rand } from '../kubelet/prng.js';
import { instanceType, nodeResources } from '../cloud/instance-types.js';

const REGION = 'us-east-1';
const ZONES = [
  { zone: 'us-east-1a', zoneId: 'use1-az1' },
  { zone: 'us-east-1b', zoneId: 'use1-az2' },
  { zone: 'us-east-1c', zoneId: 'use1-az4' },
];
const M5_LARGE = nodeResources(instanceType('m5.large')!);

/** Six m5.large nodes of the default managed node group, two per zone, the same on every call. */
export function defaultNodeSpecs(opts: { clusterName?: string; nodegroup?: string } = {}): SimNodeSpec[] {
  const cluster = opts.clusterName ?? 'default';
  const nodegroup = opts.nodegroup ?? 'default';
  const r = new Rand(`default-nodes:${cluster}:${nodegroup}`);
  const ami = `ami-${r.hex(17)}`;
  const launchTemplate = `lt-${r.hex(17)}`;
  const cloudProvider = r.hex(32);
  const specs: SimNodeSpec[] = [];
  ZONES.forEach(({ zone, zoneId }, z) => {
    for (let k = 0; k < 2; k++) {
      // eksctl's default VPC: one /19 per zone (192.168.0.0/19, .32.0/19, .64.0/19); nodes in its
      // lower half, each node's pod IPs (VPC CNI secondary addresses) in a /24 of the upper half.
      const ip = `192.168.${z * 32 + r.int(0, 15)}.${r.int(4, 250)}`;
      const name = `ip-${ip.replaceAll('.', '-')}.ec2.internal`;
      specs.push({
        name,
        zone,
        region: REGION,
        instanceType: 'm5.large',
        capacity: { ...M5_LARGE.capacity },
        allocatable: { ...M5_LARGE.allocatable },
        providerID: `aws:///${zone}/i-${r.hex(17)}`,
        addresses: { internalIP: ip, hostname: name, internalDNS: name },
        podIPRange: `192.168.${z * 32 + 16 + k * 8}.0/24`,
        labels: {
          'eks.amazonaws.com/capacityType': 'ON_DEMAND',
          'eks.amazonaws.com/nodegroup': nodegroup,
          'eks.amazonaws.com/nodegroup-image': ami,
          'eks.amazonaws.com/sourceLaunchTemplateId': launchTemplate,
          'eks.amazonaws.com/sourceLaunchTemplateVersion': '1',
          'k8s.io/cloud-provider-aws': cloudProvider,
          'topology.k8s.aws/zone-id': zoneId,
          'topology.ebs.csi.aws.com/zone': zone,
        },
      });
    }
  });
  return specs;
}
