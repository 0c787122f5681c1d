// intstr.IntOrString arithmetic, as every workload controller scales maxSurge, maxUnavailable,
// minAvailable and partitions: one implementation of upstream's GetScaledValueFromIntOrPercent.

/** An IntOrString as JSON carries it: 3 or "30%". */
export type IntOrString = number | string;

/**
 * GetScaledValueFromIntOrPercent: an int as is, "N%" of total rounded up or down; unset is 0.
 * Malformed strings throw with upstream's message (validation refuses them before they get here).
 */
export function scaledValue(value: IntOrString | undefined | null, total: number, roundUp: boolean): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number') return value;
  if (!value.endsWith('%')) throw new Error('invalid value for IntOrString: invalid type: string is not a percentage');
  const digits = value.slice(0, -1);
  if (!/^[+-]?\d+$/.test(digits)) throw new Error(`invalid value for IntOrString: invalid value "${value}": strconv.Atoi: parsing ${JSON.stringify(digits)}: invalid syntax`);
  const exact = (Number(digits) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}
