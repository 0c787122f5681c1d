// DaemonSet helpers (pkg/controller/daemon/util and the predicates in daemon_controller.go): which
// nodes a daemon pod belongs on (nodeSelector, required node affinity, taints against the pod's
// tolerations plus the defaults every daemon pod gets), the pod template stamped with the revision
// hash and template generation, and the node-name affinity that pins each pod to its node.
import type { DaemonSet, Node, Pod, PodSpec, PodTemplateSpec, Toleration } from '../../api/objects.js';
import { matchesRequiredNodeAffinity, type NodeSelectorTerm } from '../../api/nodeaffinity.js';
import { jsonClone } from '../history/history.js';
import { scaledValue } from '../../api/intstr.js';
import { findUntoleratedTaint } from '../../api/taints.js';

/** apps.DefaultDaemonSetUniqueLabelKey. */
export const HASH_LABEL = 'controller-revision-hash';
/** extensions.DaemonSetTemplateGenerationKey. */
export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';
/** The annotation apps/v1 DaemonSets carry their template generation in. */
export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

type Affinity = NonNullable<PodSpec['affinity']>;

/** The tolerations AddOrUpdateDaemonPodTolerations gives every daemon pod. */
export function defaultDaemonTolerations(hostNetwork: boolean): Toleration[] {
  const t: Toleration[] = [
    // Daemon pods stay on nodes that go not-ready or unreachable, however long that lasts.
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (hostNetwork) t.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  return t;
}

/** Toleration.MatchToleration: same key, operator, value and effect. */
function sameToleration(a: Toleration, b: Toleration): boolean {
  return (a.key ?? '') === (b.key ?? '') && (a.operator ?? '') === (b.operator ?? '') && (a.value ?? '') === (b.value ?? '') && (a.effect ?? '') === (b.effect ?? '');
}

/** The spec's tolerations as AddOrUpdateDaemonPodTolerations leaves them, in a new list. */
function daemonPodTolerations(spec: PodSpec): Toleration[] {
  const tolerations = [...(spec.tolerations ?? [])];
  for (const t of defaultDaemonTolerations(!!spec.hostNetwork)) {
    const i = tolerations.findIndex((x) => sameToleration(x, t));
    if (i >= 0) tolerations[i] = t;
    else tolerations.push(t);
  }
  return tolerations;
}

/** AddOrUpdateDaemonPodTolerations (via AddOrUpdateTolerationInPodSpec): a matching toleration is replaced, others appended. */
export function addOrUpdateDaemonPodTolerations(spec: PodSpec): void {
  spec.tolerations = daemonPodTolerations(spec);
}

/**
 * NodeShouldRunDaemonPod: shouldRun (a pod belongs here) and shouldContinueRunning (an existing pod
 * may stay: it fits except for NoSchedule taints, which do not evict). Upstream asks these of
 * NewPod(ds, node), a deep copy of the template; only its node selection and tolerations matter,
 * so they are read from the template itself (with the default daemon tolerations added), as the
 * controller asks this for every node on every sync.
 */
export function nodeShouldRunDaemonPod(node: Node, ds: DaemonSet): { shouldRun: boolean; shouldContinueRunning: boolean } {
  const spec = ds.spec?.template?.spec ?? ({ containers: [] } as PodSpec);
  const templateNode = spec.nodeName;
  if (templateNode && templateNode !== node.metadata.name) return { shouldRun: false, shouldContinueRunning: false };
  if (!matchesRequiredNodeAffinity(spec, node.metadata.labels ?? {}, node.metadata.name ?? '')) return { shouldRun: false, shouldContinueRunning: false };
  const taints = node.spec?.taints ?? [];
  const tolerations = daemonPodTolerations(spec);
  if (findUntoleratedTaint(taints, tolerations, (t) => t.effect === 'NoExecute' || t.effect === 'NoSchedule')) {
    return { shouldRun: false, shouldContinueRunning: !findUntoleratedTaint(taints, tolerations, (t) => t.effect === 'NoExecute') };
  }
  return { shouldRun: true, shouldContinueRunning: true };
}

/** util.GetTemplateGeneration: the deprecated.daemonset.template.generation annotation. */
export function templateGeneration(ds: DaemonSet): number | undefined {
  const v = ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
  if (v === undefined || !/^-?\d+$/.test(v)) return undefined;
  return Number(v);
}

/** util.CreatePodTemplate: default tolerations, pod-template-generation and controller-revision-hash labels. */
export function createPodTemplate(template: PodTemplateSpec, generation: number | undefined, hash: string): PodTemplateSpec {
  const t = jsonClone(template);
  addOrUpdateDaemonPodTolerations(t.spec!);
  t.metadata = { ...(t.metadata ?? {}), labels: { ...(t.metadata?.labels ?? {}) } };
  if (generation !== undefined) t.metadata.labels![TEMPLATE_GENERATION_LABEL] = String(generation);
  if (hash) t.metadata.labels![HASH_LABEL] = hash;
  return t;
}

/** util.ReplaceDaemonSetPodNodeNameNodeAffinity: required affinity matchFields metadata.name In [node]. */
export function replaceNodeNameAffinity(affinity: Affinity | undefined, nodeName: string): Affinity {
  const term = { matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] };
  const out: Affinity = affinity ? jsonClone(affinity) : {};
  out.nodeAffinity ??= {};
  const na = out.nodeAffinity as { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: NodeSelectorTerm[] } };
  if (!na.requiredDuringSchedulingIgnoredDuringExecution) na.requiredDuringSchedulingIgnoredDuringExecution = { nodeSelectorTerms: [term] };
  else na.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms = [term];
  return out;
}

/** util.GetTargetNodeName: spec.nodeName, or the single metadata.name In [node] term of its affinity. */
export function targetNodeName(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms = (pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution as { nodeSelectorTerms?: NodeSelectorTerm[] } | undefined)?.nodeSelectorTerms;
  if (!terms || terms.length !== 1) return undefined;
  for (const f of terms[0].matchFields ?? []) {
    if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
  }
  return undefined;
}

/** util.IsPodUpdated: the pod carries the current hash, or the current template generation. */
export function isPodUpdated(pod: Pod, hash: string, generation: number | undefined): boolean {
  const labels = pod.metadata.labels ?? {};
  const templateMatches = generation !== undefined && labels[TEMPLATE_GENERATION_LABEL] === String(generation);
  const hashMatches = hash.length > 0 && labels[HASH_LABEL] === hash;
  return hashMatches || templateMatches;
}


/** util.UnavailableCount. */
export function unavailableCount(ds: DaemonSet, numberToSchedule: number): number {
  const us = ds.spec?.updateStrategy;
  if (us?.type !== 'RollingUpdate' || !us.rollingUpdate) return 0;
  return scaledValue(us.rollingUpdate.maxUnavailable as number | string | undefined, numberToSchedule, true);
}

/** util.SurgeCount. */
export function surgeCount(ds: DaemonSet, numberToSchedule: number): number {
  const us = ds.spec?.updateStrategy;
  if (us?.type !== 'RollingUpdate' || !us.rollingUpdate) return 0;
  return scaledValue(us.rollingUpdate.maxSurge as number | string | undefined, numberToSchedule, true);
}

/** util.AllowsSurge. */
export function allowsSurge(ds: DaemonSet): boolean {
  try {
    return surgeCount(ds, 1) > 0;
  } catch {
    return false;
  }
}

/** podByCreationTimestampAndPhase: scheduled pods first, then oldest, then by name. */
export function byCreationTimestampAndPhase(a: Pod, b: Pod): number {
  const as = !!a.spec?.nodeName;
  const bs = !!b.spec?.nodeName;
  if (as !== bs) return as ? -1 : 1;
  const ta = Date.parse(a.metadata.creationTimestamp ?? '') || 0;
  const tb = Date.parse(b.metadata.creationTimestamp ?? '') || 0;
  if (ta !== tb) return ta - tb;
  return (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}

/** getPatch: the revision data, a strategic-merge patch replacing spec.template. */
export function getPatch(ds: DaemonSet): { spec: { template: Record<string, unknown> } } {
  return { spec: { template: { ...(jsonClone(ds.spec?.template) as Record<string, unknown>), $patch: 'replace' } } };
}
