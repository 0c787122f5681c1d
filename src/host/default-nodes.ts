// The default cluster's nodes until EKS node groups exist: one managed node group of six m5.large
// instances, two in each of us-east-1a/b/c, named and labelled as EKS names and labels them. The
// capacities are m5.large's (2 vCPU, 8 GiB, 29 pods with the VPC CNI), and allocatable follows the
// EKS AMI's kubelet configuration: kube-reserved cpu 70m, memory 11·maxPods + 255 MiB, ephemeral
// storage 1 GiB, plus the hard eviction thresholds memory.available 100Mi, nodefs.available 10%.
import type { SimNodeSpec } from '../kubelet/types.js';
import { Rand } from '../kubelet/prng.js';

const REGION = 'us-east-1';
const ZONES = [
  { zone: 'us-east-1a', zoneId: 'use1-az1' },
  { zone: 'us-east-1b', zoneId: 'use1-az2' },
  { zone: 'us-east-1c', zoneId: 'use1-az4' },
];
const MAX_PODS = 29;
// What the kernel leaves of 8 GiB on an m5.large running the EKS AMI.
const MEMORY_CAPACITY_KI = 7_910_336;
// An 80 GiB gp3 root volume, as its ext4/xfs filesystem reports it.
const EPHEMERAL_CAPACITY_KI = 83_873_772;

/** EKS AMI allocatable for an instance: capacity minus kube-reserved minus hard eviction. */
export function eksAllocatable(cpuCores: number, memoryKi: number, maxPods: number, ephemeralKi: number): { cpu: string; memory: string; pods: string; 'ephemeral-storage': string } {
  // kube-reserved cpu: 6 % of the first core, 1 % of the second, 0.5 % of the next two, 0.25 % above.
  const steps = [60, 10, 5, 5];
  let reservedMilli = 0;
  for (let c = 0; c < cpuCores; c++) reservedMilli += steps[c] ?? 2.5;
  const reservedMemKi = (11 * maxPods + 255) * 1024 + 100 * 1024;
  const ephemeralBytes = Math.floor(ephemeralKi * 1024 * 0.9 - 1024 ** 3);
  return {
    cpu: `${cpuCores * 1000 - Math.round(reservedMilli)}m`,
    memory: `${memoryKi - reservedMemKi}Ki`,
    pods: String(maxPods),
    'ephemeral-storage': String(ephemeralBytes),
  };
}

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
        capacity: { cpu: '2', memory: `${MEMORY_CAPACITY_KI}Ki`, pods: String(MAX_PODS), 'ephemeral-storage': `${EPHEMERAL_CAPACITY_KI}Ki` },
        allocatable: eksAllocatable(2, MEMORY_CAPACITY_KI, MAX_PODS, EPHEMERAL_CAPACITY_KI),
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
