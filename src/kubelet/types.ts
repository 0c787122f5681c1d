// What describes one simulated node: the facts an EC2 instance and its kubelet configuration give
// the kubelet (capacity, reserved resources, labels, taints, addresses, provider ID).
import type { Taint } from '../api/objects.js';

/** Resources as quantities ("2", "1930m", "7910336Ki"). */
export interface SimResources {
  cpu: string;
  memory: string;
  pods: string;
  'ephemeral-storage'?: string;
  [name: string]: string | undefined;
}

/** One simulated node. */
export interface SimNodeSpec {
  /** The node name (EKS: the instance's private DNS name, "ip-192-168-12-34.ec2.internal"). */
  name: string;
  zone?: string;
  region?: string;
  instanceType?: string;
  capacity: SimResources;
  /** Defaults to capacity. */
  allocatable?: SimResources;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Registered with the node (kubelet --register-with-taints). */
  taints?: Taint[];
  /** "aws:///us-east-1a/i-0123456789abcdef0" */
  providerID?: string;
  addresses: {
    internalIP: string;
    externalIP?: string;
    /** Defaults to the node name. */
    hostname?: string;
    /** Defaults to the node name. */
    internalDNS?: string;
  };
  /** Where pod IPs come from (a CIDR); defaults to a /24 of 10.244.0.0/16 per node. */
  podIPRange?: string;
  /**
   * Pods get the node's own InternalIP instead (a Fargate microVM: one pod, whose network
   * interface is the node's).
   */
  podIPIsNodeIP?: boolean;
  /** Registers NotReady (network plugin not initialised) and turns Ready this much later. */
  readyAfterSeconds?: number;
  kubeletVersion?: string;
  containerRuntimeVersion?: string;
  osImage?: string;
  kernelVersion?: string;
}
