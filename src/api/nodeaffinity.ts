// Node selection as component-helpers/scheduling/corev1/nodeaffinity defines it, the one meaning
// the scheduler (NodeAffinity, PodTopologySpread's nodeAffinityPolicy, a PV's node affinity in
// VolumeBinding) and the DaemonSet controller (NodeShouldRunDaemonPod) share:
// - a NodeSelector's terms are ORed, and a term with neither matchExpressions nor matchFields
//   matches nothing;
// - a term's matchExpressions are label requirements as labels.NewRequirement makes them (In,
//   NotIn, Exists, DoesNotExist, Gt, Lt, each validated), its matchFields a field selector over
//   the node's fields (only metadata.name), In or NotIn with exactly one value; a term with any
//   requirement that does not parse matches nothing (LazyErrorNodeSelector);
// - a pod's required node affinity is its nodeSelector (every pair present) and, when given, the
//   required terms (GetRequiredNodeAffinity); preferred terms score the sum of the weights of
//   those that match, skipping weight 0 and empty terms (PreferredSchedulingTerms).
import { newRequirement, requirementMatches, type Requirement, type SelectorOperator } from '../apimachinery/labels.js';
import type { PodSpec } from './objects.js';

export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

export interface PreferredSchedulingTerm {
  weight?: number;
  preference: NodeSelectorTerm;
}

const LABEL_OPERATORS: Record<string, SelectorOperator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!', Gt: 'gt', Lt: 'lt' };

interface FieldTerm {
  key: string;
  value: string;
  equal: boolean;
}

/** A parsed term; undefined requirement lists mean it did not parse (and matches nothing). */
interface ParsedTerm {
  labels?: Requirement[];
  fields?: FieldTerm[];
}

const UNPARSABLE: ParsedTerm = Object.freeze({});

// Terms are matched against every node, and come from objects the components hold read-only
// (informer caches, where npm test's mutation detector checks that nothing changes them): each
// term object is parsed once.
const parsedTerms = new WeakMap<NodeSelectorTerm, ParsedTerm>();

function parseTerm(term: NodeSelectorTerm): ParsedTerm {
  let p = parsedTerms.get(term);
  if (!p) {
    p = parseTermUncached(term);
    parsedTerms.set(term, p);
  }
  return p;
}

function parseTermUncached(term: NodeSelectorTerm): ParsedTerm {
  const labels: Requirement[] = [];
  for (const r of term.matchExpressions ?? []) {
    const op = LABEL_OPERATORS[r.operator];
    if (!op) return UNPARSABLE;
    try {
      labels.push(newRequirement(r.key, op, r.values ?? []));
    } catch {
      return UNPARSABLE;
    }
  }
  const fields: FieldTerm[] = [];
  for (const r of term.matchFields ?? []) {
    if ((r.operator !== 'In' && r.operator !== 'NotIn') || r.values?.length !== 1) return UNPARSABLE;
    fields.push({ key: r.key, value: r.values[0], equal: r.operator === 'In' });
  }
  return { labels, fields };
}

function isEmptyTerm(term: NodeSelectorTerm): boolean {
  return !term.matchExpressions?.length && !term.matchFields?.length;
}

/** One term against a node's labels and name. */
export function nodeSelectorTermMatches(term: NodeSelectorTerm, labels: Readonly<Record<string, string>>, nodeName: string): boolean {
  if (isEmptyTerm(term)) return false;
  const t = parseTerm(term);
  if (!t.labels || !t.fields) return false;
  for (const r of t.labels) if (!requirementMatches(r, labels)) return false;
  // A node's fields are its name only, and none at all without one.
  if (nodeName) {
    for (const f of t.fields) if (((f.key === 'metadata.name' ? nodeName : '') === f.value) !== f.equal) return false;
  }
  return true;
}

/** A NodeSelector: its terms ORed. */
export function nodeSelectorTermsMatch(terms: readonly NodeSelectorTerm[], labels: Readonly<Record<string, string>>, nodeName: string): boolean {
  for (const t of terms) if (nodeSelectorTermMatches(t, labels, nodeName)) return true;
  return false;
}

/** GetRequiredNodeAffinity(pod).Match(node): spec.nodeSelector, then the required terms if given. */
export function matchesRequiredNodeAffinity(spec: PodSpec | undefined, labels: Readonly<Record<string, string>>, nodeName: string): boolean {
  const sel = spec?.nodeSelector;
  if (sel) for (const k in sel) if (!Object.hasOwn(labels, k) || labels[k] !== sel[k]) return false;
  const required = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution as { nodeSelectorTerms?: NodeSelectorTerm[] } | undefined;
  if (!required) return true;
  return nodeSelectorTermsMatch(required.nodeSelectorTerms ?? [], labels, nodeName);
}

/** PreferredSchedulingTerms.Score: the weights of the matching terms (weight 0 and empty terms skipped). */
export function preferredTermsScore(terms: readonly PreferredSchedulingTerm[] | undefined, labels: Readonly<Record<string, string>>, nodeName: string): number {
  let score = 0;
  for (const p of terms ?? []) if (p.weight && nodeSelectorTermMatches(p.preference, labels, nodeName)) score += p.weight;
  return score;
}
