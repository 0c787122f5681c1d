// EKS on Fargate, the pod side: which pods a Fargate profile takes (the selectors, with EKS's `*` and
// `?` wildcards), how big a Fargate microVM a pod gets, and the mutating admission step that hands a
// matching pod to the fargate-scheduler. The scheduler that boots one node per pod is
// fargate-scheduler.ts.
//
// Sources (EKS User Guide): "Define which Pods use AWS Fargate when launched" (fargate-profile.html:
// selectors, wildcards, alphanumeric choice between profiles, the eks.amazonaws.com/fargate-profile
// label); "Understand Fargate Pod configuration details" (fargate-pod-configuration.html: sizing
// rules, the 256 MB for kubelet/kube-proxy/containerd, the vCPU/memory table, the
// CapacityProvisioned annotation); AWS re:Post "eks-resolve-pending-fargate-pods" (nodeName and
// schedulerName in the spec, and the `eks.amazonaws.com/compute-type: ec2` annotation, make Fargate
// skip a pod).
import type { Pod } from '../api/objects.js';
import { podRequests } from '../api/pod.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../apiserver/admission/admission.js';

/** A Fargate profile as the pod mutation and the scheduler need it (a subset of EKS's FargateProfile). */
export interface FargateProfile {
  fargateProfileName: string;
  /** CREATING | ACTIVE | DELETING | CREATE_FAILED | DELETE_FAILED: only ACTIVE profiles take pods. */
  status: string;
  /** Private subnets only (EKS refuses public ones at CreateFargateProfile). */
  subnets: string[];
  selectors: { namespace: string; labels?: Record<string, string> }[];
}

/** The scheduler name EKS's Fargate webhook writes into matching pods. */
export const FARGATE_SCHEDULER_NAME = 'fargate-scheduler';
/** The pod label naming the profile a pod runs under (set by EKS, or by the user to choose one). */
export const FARGATE_PROFILE_LABEL = 'eks.amazonaws.com/fargate-profile';
/** The node label, and the NoSchedule taint key, of every Fargate node. */
export const COMPUTE_TYPE_KEY = 'eks.amazonaws.com/compute-type';
/** The pod annotation with the Fargate configuration that was provisioned (and is billed). */
export const CAPACITY_PROVISIONED_ANNOTATION = 'CapacityProvisioned';
/** Memory Fargate adds to every pod for kubelet, kube-proxy and containerd. */
export const FARGATE_OVERHEAD_MIB = 256;

const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

/**
 * The vCPU/memory combinations a Fargate pod can get, smallest first (by vCPU, then memory), memory
 * in GiB as Fargate's "GB" (0.5 GB is 512 MiB).
 */
export const FARGATE_CONFIGURATIONS: readonly { vcpu: number; memoryGiB: number }[] = (() => {
  const out: { vcpu: number; memoryGiB: number }[] = [];
  const range = (vcpu: number, from: number, to: number, step: number) => {
    for (let m = from; m <= to; m += step) out.push({ vcpu, memoryGiB: m });
  };
  for (const m of [0.5, 1, 2]) out.push({ vcpu: 0.25, memoryGiB: m });
  range(0.5, 1, 4, 1);
  range(1, 2, 8, 1);
  range(2, 4, 16, 1);
  range(4, 8, 30, 1);
  range(8, 16, 60, 4);
  range(16, 32, 120, 8);
  return out;
})();

/** "0.25vCPU 0.5GB", the CapacityProvisioned annotation's format. */
export function capacityProvisioned(vcpu: number, memoryGiB: number): string {
  return `${vcpu}vCPU ${memoryGiB}GB`;
}

/**
 * The Fargate configuration a pod is provisioned with: the larger of the long-running containers'
 * summed requests and the largest init container's request (limits where no request is set, as
 * API defaulting does), plus 256 MB, rounded up to the smallest combination that holds both vCPU and
 * memory — so 1 vCPU + 8 GB becomes 2 vCPU 9 GB. Undefined when no combination is large enough.
 */
export function fargateSize(pod: Pod): { vcpu: number; memoryGiB: number; annotation: string } | undefined {
  const req = pod.spec ? podRequests(pod.spec) : {};
  const cpuMilli = req.cpu ?? 0;
  const memoryMiB = Math.ceil((req.memory ?? 0) / 2 ** 20) + FARGATE_OVERHEAD_MIB;
  const fit = FARGATE_CONFIGURATIONS.find((c) => c.vcpu * 1000 >= cpuMilli && c.memoryGiB * 1024 >= memoryMiB);
  return fit && { ...fit, annotation: capacityProvisioned(fit.vcpu, fit.memoryGiB) };
}

// EKS's selector wildcards: `*` is any run of characters (also none), `?` exactly one; nothing else
// is special, so every other character matches itself.
function wildcard(pattern: string): RegExp {
  const body = [...pattern].map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, 's');
}

function selectorMatches(sel: FargateProfile['selectors'][number], namespace: string, labels: Record<string, string>): boolean {
  if (!wildcard(sel.namespace).test(namespace)) return false;
  const podLabels = Object.entries(labels);
  return Object.entries(sel.labels ?? {}).every(([k, v]) => {
    const key = wildcard(k);
    const value = wildcard(v);
    return podLabels.some(([pk, pv]) => key.test(pk) && value.test(pv));
  });
}

/** Whether any selector of the profile takes the pod (namespace and every selector label match). */
export function profileMatches(profile: FargateProfile, pod: Pod): boolean {
  const ns = pod.metadata.namespace ?? 'default';
  const labels = pod.metadata.labels ?? {};
  return profile.selectors.some((s) => selectorMatches(s, ns, labels));
}

/**
 * The ACTIVE profile a pod runs under. A pod labelled eks.amazonaws.com/fargate-profile gets that
 * profile only, and only if one of its selectors matches; otherwise, of the matching profiles, the
 * first by name in code-point order (EKS: "alphanumeric sorting by profile name"; older guides said
 * "at random").
 */
export function matchFargateProfile(profiles: FargateProfile[], pod: Pod): FargateProfile | undefined {
  const active = profiles.filter((p) => p.status === 'ACTIVE');
  const wanted = pod.metadata.labels?.[FARGATE_PROFILE_LABEL];
  if (wanted !== undefined) {
    const p = active.find((x) => x.fargateProfileName === wanted);
    return p && profileMatches(p, pod) ? p : undefined;
  }
  return active
    .filter((p) => profileMatches(p, pod))
    .sort((a, b) => (a.fargateProfileName < b.fargateProfileName ? -1 : a.fargateProfileName > b.fargateProfileName ? 1 : 0))[0];
}

/**
 * What fargate-scheduler refuses to run, in the words of its FailedScheduling event ("Pod not
 * supported on Fargate: fields not supported: HostNetwork, invalid SecurityContext fields:
 * Privileged, port contains HostIP or HostPort" — kubernetes-sigs/aws-efs-csi-driver#589; "…,
 * volumes not supported: x is of an unsupported volume Type" — freegroup/kube-s3#14), or undefined.
 * Only host paths are refused among volumes here: the full list of Fargate's volume types was not
 * checked.
 */
export function fargateUnsupported(pod: Pod): string | undefined {
  const spec = pod.spec;
  if (!spec) return undefined;
  const all = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  const problems: string[] = [];
  const fields = [spec.hostNetwork && 'HostNetwork', spec.hostPID && 'HostPID', spec.hostIPC && 'HostIPC'].filter(Boolean);
  if (fields.length) problems.push(`fields not supported: ${fields.join(', ')}`);
  if (all.some((c) => c.securityContext?.privileged)) problems.push('invalid SecurityContext fields: Privileged');
  if (all.some((c) => c.ports?.some((p) => p.hostPort || p.hostIP))) problems.push('port contains HostIP or HostPort');
  const hostPaths = (spec.volumes ?? []).filter((v) => v.hostPath).map((v) => `${v.name} is of an unsupported volume Type`);
  if (hostPaths.length) problems.push(`volumes not supported: ${hostPaths.join(', ')}`);
  return problems.length ? `Pod not supported on Fargate: ${problems.join(', ')}` : undefined;
}

/**
 * Why Fargate leaves a new pod to the other schedulers, or undefined if it may take it: a pod that
 * names its node, asks for a scheduler of its own, or is annotated for EC2 (EKS's CoreDNS is) is not
 * Fargate's.
 */
export function fargateSkipReason(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return 'spec.nodeName is set';
  const scheduler = pod.spec?.schedulerName;
  if (scheduler && scheduler !== DEFAULT_SCHEDULER_NAME && scheduler !== FARGATE_SCHEDULER_NAME) return `spec.schedulerName is ${scheduler}`;
  if (pod.metadata.annotations?.[COMPUTE_TYPE_KEY] === 'ec2') return `annotation ${COMPUTE_TYPE_KEY}: ec2`;
  return undefined;
}

/**
 * EKS's Fargate mutating webhook as an admission plugin: a new pod that an ACTIVE profile takes gets
 * spec.schedulerName fargate-scheduler and the label eks.amazonaws.com/fargate-profile naming the
 * profile. Matching happens once, at creation: a profile created later does not move existing pods.
 */
export class FargateMutation implements AdmissionPlugin {
  readonly name = 'EKSFargatePodMutation';

  constructor(private readonly profiles: () => FargateProfile[]) {}

  admit(a: AdmissionAttributes): void {
    if (a.operation !== 'CREATE' || a.resource.group !== '' || a.resource.resource !== 'pods' || a.subresource) return;
    const pod = a.object as Pod | undefined;
    if (!pod?.metadata || !pod.spec || fargateSkipReason(pod)) return;
    const view: Pod = { ...pod, metadata: { ...pod.metadata, namespace: pod.metadata.namespace || a.namespace } };
    const profile = matchFargateProfile(this.profiles(), view);
    if (!profile) return;
    pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [FARGATE_PROFILE_LABEL]: profile.fargateProfileName };
    pod.spec.schedulerName = FARGATE_SCHEDULER_NAME;
  }
}
