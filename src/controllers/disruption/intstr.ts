// intstr.GetScaledValueFromIntOrPercent and metav1.LabelSelector's String(): the arithmetic and the
// text the disruption controller's status and events are made of.
import type { LabelSelectorSpec } from '../../apimachinery/labels.js';

/** An IntOrString as JSON carries it: 3 or "30%". */
export type IntOrString = number | string;

/**
 * The absolute value of an int or a percentage of total; percentages round up when roundUp (the
 * disruption controller always rounds up). Throws with upstream's message for malformed strings.
 */
export function scaledValue(value: IntOrString, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  if (!value.endsWith('%')) throw new Error('invalid value for IntOrString: invalid type: string is not a percentage');
  const digits = value.slice(0, -1);
  if (!/^[+-]?\d+$/.test(digits)) throw new Error(`invalid value "${value}": strconv.Atoi: parsing ${JSON.stringify(digits)}: invalid syntax`);
  const percent = Number(digits);
  const exact = (percent * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

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
