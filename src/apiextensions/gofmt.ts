// How Go prints the values that reach CRD error messages and printer cells: fmt's %v for numbers
// and interfaces, and encoding/json's Marshal (sorted keys, HTML-safe escapes). JSON numbers decode
// to int64 when integral and float64 otherwise, as apimachinery's unstructured decoder does.

/** True for numbers the unstructured decoder would hold as int64. */
export function isGoInt(n: number): boolean {
  return Number.isInteger(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER;
}

/** fmt's %v of a float64 (strconv 'g' with the shortest precision: exponent form below 1e-4 or from 1e6). */
export function goFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mant, expText] = f.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const e = Math.abs(exp);
    return `${mant}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  const digits = mant.replace('-', '').replace('.', '');
  const neg = f < 0 ? '-' : '';
  if (exp >= 0) {
    const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
    const frac = digits.slice(exp + 1);
    return `${neg}${intPart}${frac ? `.${frac}` : ''}`;
  }
  return `${neg}0.${'0'.repeat(-exp - 1)}${digits}`;
}

/** fmt's %v of a decoded JSON number: int64 bare, float64 as goFloat. */
export function goNumber(n: number): string {
  return isGoInt(n) ? String(n) : goFloat(n);
}

/** Go's %T of a decoded JSON value, for accessor errors ("string", "float64", "map[string]interface {}"). */
export function goTypeOf(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return isGoInt(v) ? 'int64' : 'float64';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

/** fmt.Sprint of a decoded JSON value: maps as map[k:v] (sorted keys), slices as [a b]. */
export function goSprint(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return goNumber(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(goSprint).join(' ')}]`;
  const o = v as Record<string, unknown>;
  return `map[${Object.keys(o)
    .sort()
    .map((k) => `${k}:${goSprint(o[k])}`)
    .join(' ')}]`;
}

/** encoding/json's string escaping, including its HTML-safe \u003c, \u003e and \u0026. */
function goJSONString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** encoding/json.Marshal of a decoded JSON value: map keys sorted, numbers as Go writes them. */
export function goJSON(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return goJSONString(v);
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return isGoInt(v) ? String(v) : jsonFloat(v);
  if (Array.isArray(v)) return `[${v.map(goJSON).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${goJSONString(k)}:${goJSON(o[k])}`)
    .join(',')}}`;
}

/** encoding/json's float64: plain notation between 1e-6 and 1e21, else exponent with a short exponent. */
function jsonFloat(f: number): string {
  const abs = Math.abs(f);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    return f.toExponential();
  }
  return String(f);
}
