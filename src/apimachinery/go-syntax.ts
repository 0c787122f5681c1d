// Go's %#v renderings of the values that field errors carry most often (label maps, selectors,
// string slices, int-or-string). field.Error prints values that are neither strings, numbers nor
// Stringers this way, so messages built with these (via FieldError.rawValue) match upstream's word
// for word.

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** %#v of a map[string]string: keys sorted, map[string]string(nil) when absent. */
export function goStringMap(m: unknown): string {
  if (!isObject(m)) return 'map[string]string(nil)';
  const keys = Object.keys(m).sort();
  return `map[string]string{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(String(m[k]))}`).join(', ')}}`;
}

/** %#v of a []string: []string{"a", "b"}, []string(nil) when absent. */
export function goStringSlice(v: unknown): string {
  if (!Array.isArray(v)) return '[]string(nil)';
  return `[]string{${v.map((s) => JSON.stringify(String(s))).join(', ')}}`;
}

/** %#v of a (dereferenced) metav1.LabelSelector, as ValidateImmutableField prints spec.selector. */
export function goLabelSelector(ls: unknown): string {
  if (!isObject(ls)) return 'null';
  const exprs = Array.isArray(ls.matchExpressions)
    ? `[]v1.LabelSelectorRequirement{${ls.matchExpressions
        .map((r: any) => `v1.LabelSelectorRequirement{Key:${JSON.stringify(String(r?.key ?? ''))}, Operator:${JSON.stringify(String(r?.operator ?? ''))}, Values:${goStringSlice(r?.values)}}`)
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${goStringMap(ls.matchLabels)}, MatchExpressions:${exprs}}`;
}

/** %#v of an intstr.IntOrString. */
export function goIntOrString(v: unknown): string {
  if (typeof v === 'number') return `intstr.IntOrString{Type:0, IntVal:${v}, StrVal:""}`;
  return `intstr.IntOrString{Type:1, IntVal:0, StrVal:${JSON.stringify(String(v ?? ''))}}`;
}
