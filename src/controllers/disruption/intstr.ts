// metav1.LabelSelector's String(): the text the disruption controller's events are made of.
import type { LabelSelectorSpec } from '../../apimachinery/labels.js';

/** The gogo-protobuf String() of a *metav1.LabelSelector, which %v prints in event messages. */
export function labelSelectorGoString(sel: LabelSelectorSpec | null | undefined): string {
  if (!sel) return 'nil';
  const labels = Object.keys(sel.matchLabels ?? {})
    .sort()
    .map((k) => `${k}: ${sel.matchLabels![k]},`)
    .join('');
  const exprs = (sel.matchExpressions ?? [])
    .map((e) => `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],},`)
    .join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${exprs}},}`;
}
