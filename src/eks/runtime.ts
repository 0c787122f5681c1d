// What the EKS control plane needs from the machine it runs on: a Kubernetes API server per
// cluster, and simulated EC2 instances whose kubelets join it. The host (src/host) provides it;
// the EKS layer never reaches into a cluster except through this and the Kubernetes API.
import type { IamToken } from '../apiserver/auth/aws-iam.js';
import type { UserInfo } from '../apiserver/auth/authn.js';
import type { PolicyAssociation } from '../apiserver/auth/access-policies.js';
import type { RestClient } from '../client/rest.js';
import type { SimNodeSpec } from '../kubelet/types.js';
import type { AdmissionPlugin } from '../apiserver/admission/admission.js';

/** How a cluster's API server learns who an IAM principal is and what its access policies allow. */
export interface ClusterAccess {
  resolve(token: IamToken): Promise<UserInfo | null>;
  associations(principalArn: string): PolicyAssociation[];
}

export interface ClusterSpec {
  name: string;
  region: string;
  version: string;
  serviceCIDR: string;
  access: ClusterAccess;
  /** Admission plugins EKS adds (its webhooks: the Fargate pod mutation). */
  admission?: AdmissionPlugin[];
}

/** A running cluster, as the EKS layer sees it. */
export interface ClusterHandle {
  endpoint: string;
  caPem: string;
  /** A client with cluster-admin rights (EKS's own service identity). */
  client: RestClient;
}

export interface ClusterRuntime {
  /** Whether a cluster of this name runs here already (EKS or not). */
  hasCluster(name: string): boolean;
  /** Starts (or reopens after a restart) the cluster's API server and components. */
  ensureCluster(spec: ClusterSpec): Promise<ClusterHandle>;
  /** Stops the cluster and removes its state. */
  deleteCluster(name: string): Promise<void>;
  setVersion(name: string, version: string): void;
  /** Boots an instance: its kubelet registers the Node. */
  launchNode(cluster: string, spec: SimNodeSpec): void;
  /** Terminates an instance: its kubelet stops and the Node is deleted. */
  terminateNode(cluster: string, nodeName: string): Promise<void>;
}
