// The EC2 instance catalog: the facts of the common families that decide what a node offers the
// scheduler and what it costs. Sources:
// - vCPU, memory, network interfaces and IPv4 addresses per interface: the Amazon EC2 User Guide,
//   "Maximum IP addresses per network interface" and the instance type specifications pages.
// - max pods: amazon-eks-ami's eni-max-pods.txt, which is ENIs × (IPv4 per ENI − 1) + 2 (each ENI's
//   primary address is the node's, not a pod's; +2 for the host-network aws-node and kube-proxy).
// - kube-reserved: amazon-eks-ami's bootstrap (memory 11 × maxPods + 255 MiB; cpu 6% of the first
//   core, 1% of the second, 0.5% of the next two, 0.25% of the rest), plus the kubelet's hard
//   eviction thresholds the AMI sets (memory.available 100Mi, nodefs.available 10%).
// - prices: Amazon EC2 On-Demand pricing, US East (N. Virginia), Linux, per hour in USD.

/** One instance type's facts. */
export interface InstanceType {
  name: string;
  vcpu: number;
  /** Memory as EC2 sells it, in MiB. */
  memoryMiB: number;
  /** Network interfaces the instance can attach. */
  enis: number;
  /** Private IPv4 addresses per interface. */
  ipv4PerEni: number;
  /** us-east-1 on-demand Linux price, USD per hour. */
  priceUSD: number;
}

// name, vCPU, memory GiB, ENIs, IPv4 per ENI, us-east-1 on-demand $/h
const TABLE: [string, number, number, number, number, number][] = [
  ['t3.small', 2, 2, 3, 4, 0.0208],
  ['t3.medium', 2, 4, 3, 6, 0.0416],
  ['t3.large', 2, 8, 3, 12, 0.0832],
  ['t3.xlarge', 4, 16, 4, 15, 0.1664],
  ['t3.2xlarge', 8, 32, 4, 15, 0.3328],
  ['m5.large', 2, 8, 3, 10, 0.096],
  ['m5.xlarge', 4, 16, 4, 15, 0.192],
  ['m5.2xlarge', 8, 32, 4, 15, 0.384],
  ['m5.4xlarge', 16, 64, 8, 30, 0.768],
  ['m6i.large', 2, 8, 3, 10, 0.096],
  ['m6i.xlarge', 4, 16, 4, 15, 0.192],
  ['m6i.2xlarge', 8, 32, 4, 15, 0.384],
  ['m6i.4xlarge', 16, 64, 8, 30, 0.768],
  ['c5.large', 2, 4, 3, 10, 0.085],
  ['c5.xlarge', 4, 8, 4, 15, 0.17],
  ['c5.2xlarge', 8, 16, 4, 15, 0.34],
  ['c5.4xlarge', 16, 32, 8, 30, 0.68],
  ['c6i.large', 2, 4, 3, 10, 0.085],
  ['c6i.xlarge', 4, 8, 4, 15, 0.17],
  ['c6i.2xlarge', 8, 16, 4, 15, 0.34],
  ['c6i.4xlarge', 16, 32, 8, 30, 0.68],
  ['r5.large', 2, 16, 3, 10, 0.126],
  ['r5.xlarge', 4, 32, 4, 15, 0.252],
  ['r5.2xlarge', 8, 64, 4, 15, 0.504],
  ['r5.4xlarge', 16, 128, 8, 30, 1.008],
  ['r6i.large', 2, 16, 3, 10, 0.126],
  ['r6i.xlarge', 4, 32, 4, 15, 0.252],
  ['r6i.2xlarge', 8, 64, 4, 15, 0.504],
  ['r6i.4xlarge', 16, 128, 8, 30, 1.008],
];

export const INSTANCE_TYPES: ReadonlyMap<string, InstanceType> = new Map(
  TABLE.map(([name, vcpu, gib, enis, ipv4PerEni, priceUSD]) => [name, { name, vcpu, memoryMiB: gib * 1024, enis, ipv4PerEni, priceUSD }]),
);

/** The catalog entry, or undefined for a type skiff does not know. */
export function instanceType(name: string): InstanceType | undefined {
  return INSTANCE_TYPES.get(name);
}

/** eni-max-pods: ENIs × (IPv4 per ENI − 1) + 2. */
export function maxPods(t: InstanceType): number {
  return t.enis * (t.ipv4PerEni - 1) + 2;
}

// The share of memory the kernel leaves as MemTotal, as the kubelet reports capacity: an m5.large
// running the EKS AMI reports 7,910,336Ki of its 8 GiB.
const KERNEL_VISIBLE_MEMORY = 7_910_336 / (8 * 1024 * 1024);

/** An 80 GiB gp3 root volume (eksctl's default), as its filesystem reports it, in Ki. */
export const DEFAULT_ROOT_VOLUME_GIB = 80;
const filesystemKi = (gib: number) => Math.floor((gib * 1024 * 1024 * 83_873_772) / (80 * 1024 * 1024));

/** What the kubelet on an instance of this type reports, and allocatable after the EKS AMI's reservations. */
export interface NodeResources {
  capacity: { cpu: string; memory: string; pods: string; 'ephemeral-storage': string };
  allocatable: { cpu: string; memory: string; pods: string; 'ephemeral-storage': string };
}

export function nodeResources(t: InstanceType, rootVolumeGiB = DEFAULT_ROOT_VOLUME_GIB): NodeResources {
  const memoryKi = Math.floor((t.memoryMiB * 1024 * KERNEL_VISIBLE_MEMORY) / 4) * 4;
  const pods = maxPods(t);
  const ephemeralKi = filesystemKi(rootVolumeGiB);
  return {
    capacity: { cpu: String(t.vcpu), memory: `${memoryKi}Ki`, pods: String(pods), 'ephemeral-storage': `${ephemeralKi}Ki` },
    allocatable: eksAllocatable(t.vcpu, memoryKi, pods, ephemeralKi),
  };
}

/** EKS AMI allocatable: capacity minus kube-reserved minus the hard eviction thresholds. */
export function eksAllocatable(cpuCores: number, memoryKi: number, maxPods: number, ephemeralKi: number): NodeResources['allocatable'] {
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
