// Indexed completion mode (pkg/controller/job/indexed_job_utils.go): each pod carries its completion
// index in an annotation and label, the Job's status.completedIndexes lists the succeeded ones as
// ordered intervals ("1,3-5"), and new pods fill the lowest indexes neither succeeded nor running.
import { JOB_COMPLETION_INDEX, JOB_COMPLETION_INDEX_ENV } from './util.js';
import type { Job, Pod } from './types.js';
import type { PodTemplateSpec, Container } from '../../api/objects.js';

export const UNKNOWN_INDEX = -1;

/** The pod's completion index from its annotation, or UNKNOWN_INDEX. */
export function completionIndex(pod: Pod): number {
  const v = pod.metadata.annotations?.[JOB_COMPLETION_INDEX];
  if (v === undefined || !/^\d+$/.test(v)) return UNKNOWN_INDEX;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : UNKNOWN_INDEX;
}

export function isIndexedJob(job: Job): boolean {
  return job.spec?.completionMode === 'Indexed';
}

/** Sorted, disjoint [first, last] intervals. */
export type Intervals = [number, number][];

/** Parses "1,3-5" (ignoring anything out of [0, completions)). */
export function parseIndexes(s: string | undefined, completions: number): Intervals {
  const out: Intervals = [];
  if (!s) return out;
  for (const part of s.split(',')) {
    const [a, b] = part.split('-');
    const first = Number(a);
    const last = b === undefined ? first : Number(b);
    if (!Number.isInteger(first) || !Number.isInteger(last) || first < 0 || first >= completions) continue;
    out.push([first, Math.min(last, completions - 1)]);
  }
  return mergeIntervals(out);
}

function mergeIntervals(list: Intervals): Intervals {
  const sorted = [...list].sort((x, y) => x[0] - y[0]);
  const out: Intervals = [];
  for (const [f, l] of sorted) {
    const prev = out[out.length - 1];
    if (prev && f <= prev[1] + 1) prev[1] = Math.max(prev[1], l);
    else out.push([f, l]);
  }
  return out;
}

/** The intervals with more indexes added. */
export function withIndexes(iv: Intervals, indexes: Iterable<number>): Intervals {
  return mergeIntervals([...iv.map(([f, l]) => [f, l] as [number, number]), ...[...indexes].map((i) => [i, i] as [number, number])]);
}

export function intervalsTotal(iv: Intervals): number {
  return iv.reduce((n, [f, l]) => n + l - f + 1, 0);
}

export function intervalsHas(iv: Intervals, ix: number): boolean {
  return iv.some(([f, l]) => ix >= f && ix <= l);
}

/** orderedIntervals.String: a pair of neighbours is written "1,2", longer runs "3-5". */
export function formatIntervals(iv: Intervals): string {
  return iv.map(([f, l]) => (l === f ? `${f}` : l === f + 1 ? `${f},${l}` : `${f}-${l}`)).join(',');
}

/** The lowest count indexes below completions not in nonPending. */
export function firstPendingIndexes(nonPending: Intervals, count: number, completions: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < completions && out.length < count; i++) if (!intervalsHas(nonPending, i)) out.push(i);
  return out;
}

/** Adds the index env var to every container, through the downward API (PodIndexLabel). */
export function addCompletionIndexEnv(template: PodTemplateSpec): void {
  const add = (c: Container) => {
    if (c.env?.some((e) => e.name === JOB_COMPLETION_INDEX_ENV)) return;
    (c.env ??= []).push({ name: JOB_COMPLETION_INDEX_ENV, valueFrom: { fieldRef: { fieldPath: `metadata.labels['${JOB_COMPLETION_INDEX}']` } } });
  };
  for (const c of template.spec?.containers ?? []) add(c);
  for (const c of template.spec?.initContainers ?? []) add(c);
}

/** podGenerateNameWithIndex: "<job>-<index>-", the job name cut so the prefix fits a DNS label. */
export function generateNameWithIndex(jobName: string, index: number): string {
  const suffix = `-${index}-`;
  const prefix = jobName + suffix;
  return prefix.length > 63 ? jobName.slice(0, 63 - suffix.length) + suffix : prefix;
}
