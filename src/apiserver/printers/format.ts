// Shared formatting for Table cells: ages as kubectl shows them, label and selector strings,
// container lists, access modes. Each mirrors the apimachinery/printers helper named in its comment.
import { selectorFromLabelSelector, selectorString, selectorToString, type LabelSelectorSpec } from '../../apimachinery/labels.js';
import { canonicalizeQuantity } from '../../apimachinery/quantity.js';
import type { KubeObject } from '../../api/types.js';
import type { TableColumn } from './printer.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * A duration in ms as ~2-3 significant figures, exactly as apimachinery's duration.HumanDuration:
 * "45s", "3m20s", "15m", "5h3m", "20h", "2d5h", "45d", "3y45d", "12y". Up to 2s in the future is
 * tolerated as clock skew ("0s"); further is "<invalid>".
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.floor(ms / MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (hours < 24 * 365 * 8) {
    const dy = days % 365;
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${years}y`;
}

/** A duration in ms with one unit, as duration.ShortHumanDuration: "45s", "3m", "5h", "45d", "2y". */
export function shortHumanDuration(ms: number): string {
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(ms / MINUTE);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(ms / HOUR);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${Math.floor(hours / 24)}d`;
  return `${Math.floor(hours / 24 / 365)}y`;
}

/** 0001-01-01T00:00:00Z, Go's zero time.Time. */
const ZERO_TIME_MS = -62135596800000;

/** Milliseconds since the epoch for a metav1.Time/MicroTime string, or undefined when unset or zero. */
export function parseTime(ts: unknown): number | undefined {
  if (typeof ts !== 'string' || ts === '') return undefined;
  const ms = Date.parse(ts);
  // Go's zero time (0001-01-01T00:00:00Z) is how an unset metav1.Time round-trips.
  if (Number.isNaN(ms) || ms <= ZERO_TIME_MS) return undefined;
  return ms;
}

/** The age of a timestamp as printers' translateTimestampSince: "<unknown>" when unset. */
export function translateTimestampSince(ts: unknown, now: number): string {
  const ms = parseTime(ts);
  return ms === undefined ? '<unknown>' : humanDuration(now - ms);
}

/** Time left until a timestamp, as printers' translateTimestampUntil. */
export function translateTimestampUntil(ts: unknown, now: number): string {
  const ms = parseTime(ts);
  return ms === undefined ? '<unknown>' : humanDuration(ms - now);
}

/** labels.Set.String(): "k1=v1,k2=v2" sorted by key; "" for none. */
export function labelsString(labels: Record<string, string> | undefined | null): string {
  if (!labels) return '';
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');
}

/** labels.FormatLabels: like labelsString, but "<none>" for an empty set. */
export function formatLabels(labels: Record<string, string> | undefined | null): string {
  return labelsString(labels) || '<none>';
}

/** metav1.LabelSelector as objects carry it. */
export type LabelSelector = LabelSelectorSpec;

/**
 * metav1.LabelSelectorAsSelector(...).String(): requirements sorted by key ("k=v", "k in (a,b)",
 * "!k"), "" for a missing or empty selector, undefined when the selector does not convert.
 */
export function labelSelectorAsString(sel: LabelSelector | undefined | null): string | undefined {
  try {
    return selectorToString(selectorFromLabelSelector(sel));
  } catch {
    return undefined;
  }
}

/** metav1.FormatLabelSelector: "<none>" for an empty or missing selector, "<error>" for an invalid one. */
export function formatLabelSelector(sel: LabelSelector | undefined | null): string {
  return selectorString(sel);
}

/** A container as printers read it. */
export interface ContainerLike {
  name?: string;
  image?: string;
}

/** printers' layoutContainerCells: container names and images, each comma-joined in order. */
export function layoutContainerCells(containers: ContainerLike[] | undefined): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name ?? '').join(','), list.map((c) => c.image ?? '').join(',')];
}

/** printers' listWithMoreString: "a,b,c + 2 more..." past max entries, "<unset>" when empty. */
export function listWithMore(items: string[], max: number): string {
  const shown = items.slice(0, max).join(',');
  if (items.length > max) return `${shown} + ${items.length - max} more...`;
  return shown === '' ? '<unset>' : shown;
}

/** helper.GetAccessModesAsString: "RWO,ROX,RWX,RWOP" in that fixed order, duplicates removed. */
export function accessModesString(modes: string[] | undefined): string {
  const set = new Set(modes ?? []);
  const out: string[] = [];
  if (set.has('ReadWriteOnce')) out.push('RWO');
  if (set.has('ReadOnlyMany')) out.push('ROX');
  if (set.has('ReadWriteMany')) out.push('RWX');
  if (set.has('ReadWriteOncePod')) out.push('RWOP');
  return out.join(',');
}

/** resource.Quantity.String() of a serialized quantity; "<nil>" for a missing pointer, as Go prints it. */
export function quantityString(q: unknown): string {
  if (q === undefined || q === null) return '<nil>';
  return canonicalQuantity(q);
}

/** A serialized quantity as the API server prints it ("0.5" → "500m"); unparseable input verbatim. */
export function canonicalQuantity(q: unknown): string {
  if (typeof q !== 'string' && typeof q !== 'number') return String(q);
  try {
    return canonicalizeQuantity(q);
  } catch {
    return String(q);
  }
}

/** printers' printBool: "True" / "False". */
export function printBool(b: boolean): string {
  return b ? 'True' : 'False';
}

/** Upstream's description of metadata.name, carried by every Name column. */
export const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';

/** Upstream's description of metadata.creationTimestamp, carried by every Age column. */
export const CREATION_TIMESTAMP_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

/** The Name column every printer starts with. */
export function nameColumn(priority = 0): TableColumn {
  return { name: 'Name', type: 'string', format: 'name', description: NAME_DESCRIPTION, priority };
}

/** The Age column (creationTimestamp as a human duration). */
export function ageColumn(): TableColumn {
  return { name: 'Age', type: 'string', format: '', description: CREATION_TIMESTAMP_DESCRIPTION, priority: 0 };
}

/** The Age column's cell: how long ago the object was created. */
export function ageCell(obj: KubeObject, now: number): string {
  return translateTimestampSince(obj.metadata.creationTimestamp, now);
}

/** A column shown by default. */
export function column(name: string, type: TableColumn['type'], description: string): TableColumn {
  return { name, type, format: '', description, priority: 0 };
}

/** A column shown only with -o wide (priority 1). */
export function wideColumn(name: string, type: TableColumn['type'], description: string): TableColumn {
  return { name, type, format: '', description, priority: 1 };
}

/** The Containers / Images columns of pod templates (wide columns of workloads, default ones of PodTemplates). */
export const CONTAINERS_DESCRIPTION = 'Names of each container in the template.';
/** See CONTAINERS_DESCRIPTION. */
export const IMAGES_DESCRIPTION = 'Images referenced by each container in the template.';

/** Reads a nested field of a loosely typed object: get(obj, 'spec', 'replicas'). */
export function get(obj: unknown, ...path: string[]): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** A field as a string, '' when missing (Go's zero value). */
export function str(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

/** A field as an integer, 0 when missing (Go's zero value). */
export function int(v: unknown): number {
  return typeof v === 'number' ? v : typeof v === 'string' && v !== '' && !Number.isNaN(Number(v)) ? Number(v) : 0;
}

/** A field as an array, [] when missing. */
export function arr<T = unknown>(v: unknown): T[] {
  return Array.isArray(v) ? (v as T[]) : [];
}
