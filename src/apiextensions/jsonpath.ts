// The JSONPath dialect of kubectl and kube-apiserver (k8s.io/client-go/util/jsonpath) as CRD printer
// columns and selectable fields use it: ".spec.replicas", ".status.conditions[?(@.type=="Ready")].status",
// ".spec.containers[*].image", ".metadata.labels['app.kubernetes.io/name']", "..name", "[0:2]", "[-1]".
// Missing keys yield no result (AllowMissingKeys(true)), as in printer columns.

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'recursive'; name: string }
  | { kind: 'index'; indices: number[] }
  | { kind: 'slice'; start?: number; end?: number; step?: number }
  | { kind: 'wildcard' }
  | { kind: 'filter'; path: Step[]; op?: string; value?: unknown };

/** A parse failure, worded as client-go's parser words the common ones. */
export class JSONPathError extends Error {}

function parseLiteral(s: string): unknown {
  const t = s.trim();
  if (/^'.*'$/.test(t) || /^".*"$/.test(t)) return t.slice(1, -1);
  if (t === 'true' || t === 'false') return t === 'true';
  if (t !== '' && !Number.isNaN(Number(t))) return Number(t);
  throw new JSONPathError(`unrecognized identifier ${t}`);
}

function parseFilter(expr: string): Step {
  const m = /^\s*@((?:\.[^\s=!<>]+|\[[^\]]*\])*)\s*(==|!=|<=|>=|<|>)?\s*(.*?)\s*$/.exec(expr);
  if (!m) throw new JSONPathError(`unrecognized filter ${expr}`);
  const path = m[1] ? parseSteps(m[1]) : [];
  if (!m[2]) return { kind: 'filter', path };
  return { kind: 'filter', path, op: m[2], value: parseLiteral(m[3]) };
}

function parseBracket(content: string): Step {
  const c = content.trim();
  if (c === '*') return { kind: 'wildcard' };
  if (c.startsWith('?')) {
    const inner = c.slice(1).trim();
    if (!inner.startsWith('(') || !inner.endsWith(')')) throw new JSONPathError(`unrecognized filter ${c}`);
    return parseFilter(inner.slice(1, -1));
  }
  if (/^'.*'$/.test(c) || /^".*"$/.test(c)) return { kind: 'field', name: c.slice(1, -1) };
  if (c.includes(':')) {
    const [a, b, st] = c.split(':').map((x) => (x.trim() === '' ? undefined : Number(x)));
    return { kind: 'slice', start: a, end: b, step: st };
  }
  const parts = c.split(',').map((x) => x.trim());
  if (parts.every((p) => /^-?\d+$/.test(p))) return { kind: 'index', indices: parts.map(Number) };
  return { kind: 'field', name: c };
}

/** Splits a path into steps; a leading "$" or "{...}" wrapper is accepted. */
export function parseSteps(path: string): Step[] {
  let s = path.trim();
  if (s.startsWith('{') && s.endsWith('}')) s = s.slice(1, -1).trim();
  if (s.startsWith('$')) s = s.slice(1);
  const steps: Step[] = [];
  let i = 0;
  while (i < s.length) {
    if (s.startsWith('..', i)) {
      i += 2;
      let j = i;
      while (j < s.length && s[j] !== '.' && s[j] !== '[') j++;
      steps.push({ kind: 'recursive', name: s.slice(i, j) || '*' });
      i = j;
    } else if (s[i] === '.') {
      i++;
      let j = i;
      while (j < s.length && s[j] !== '.' && s[j] !== '[') j++;
      const name = s.slice(i, j);
      if (name === '*') steps.push({ kind: 'wildcard' });
      else if (name) steps.push({ kind: 'field', name });
      i = j;
    } else if (s[i] === '[') {
      let depth = 0;
      let quote = '';
      let j = i;
      for (; j < s.length; j++) {
        const ch = s[j];
        if (quote) {
          if (ch === quote) quote = '';
        } else if (ch === '"' || ch === "'") quote = ch;
        else if (ch === '[' || ch === '(') depth++;
        else if (ch === ']' || ch === ')') {
          depth--;
          if (depth === 0 && ch === ']') break;
        }
      }
      if (j >= s.length) throw new JSONPathError('unterminated array');
      steps.push(parseBracket(s.slice(i + 1, j)));
      i = j + 1;
    } else {
      let j = i;
      while (j < s.length && s[j] !== '.' && s[j] !== '[') j++;
      steps.push({ kind: 'field', name: s.slice(i, j) });
      i = j;
    }
  }
  return steps;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function compare(a: unknown, op: string, b: unknown): boolean {
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    default:
      if (typeof a !== typeof b || (typeof a !== 'number' && typeof a !== 'string')) return false;
      if (op === '<') return (a as number) < (b as number);
      if (op === '>') return (a as number) > (b as number);
      if (op === '<=') return (a as number) <= (b as number);
      return (a as number) >= (b as number);
  }
}

function recurse(v: unknown, name: string, out: unknown[]): void {
  if (isObj(v)) {
    for (const k of Object.keys(v).sort()) {
      if (name === '*' || k === name) out.push(v[k]);
    }
    for (const k of Object.keys(v).sort()) recurse(v[k], name, out);
  } else if (Array.isArray(v)) {
    for (const x of v) {
      if (name === '*') out.push(x);
      recurse(x, name, out);
    }
  }
}

function applyStep(values: unknown[], step: Step): unknown[] {
  const out: unknown[] = [];
  for (const v of values) {
    switch (step.kind) {
      case 'field':
        if (isObj(v) && step.name in v) out.push(v[step.name]);
        break;
      case 'recursive':
        recurse(v, step.name, out);
        break;
      case 'wildcard':
        if (Array.isArray(v)) out.push(...v);
        else if (isObj(v)) for (const k of Object.keys(v).sort()) out.push(v[k]);
        break;
      case 'index':
        if (Array.isArray(v)) {
          for (const i of step.indices) {
            const j = i < 0 ? v.length + i : i;
            if (j >= 0 && j < v.length) out.push(v[j]);
          }
        }
        break;
      case 'slice':
        if (Array.isArray(v)) {
          const len = v.length;
          let start = step.start ?? 0;
          let end = step.end ?? len;
          if (start < 0) start += len;
          if (end < 0) end += len;
          start = Math.max(0, Math.min(start, len));
          end = Math.max(0, Math.min(end, len));
          const st = step.step && step.step > 0 ? step.step : 1;
          for (let i = start; i < end; i += st) out.push(v[i]);
        }
        break;
      case 'filter': {
        const items = Array.isArray(v) ? v : isObj(v) ? [v] : [];
        for (const item of items) {
          const found = evaluate(item, step.path);
          if (step.op === undefined ? found.length > 0 : found.some((x) => compare(x, step.op!, step.value))) out.push(item);
        }
        break;
      }
    }
  }
  return out;
}

function evaluate(data: unknown, steps: Step[]): unknown[] {
  let values: unknown[] = [data];
  for (const step of steps) values = applyStep(values, step);
  return values;
}

/** Every value the path selects in data, in order (an unparsable path throws JSONPathError). */
export function findResults(data: unknown, path: string): unknown[] {
  return evaluate(data, parseSteps(path));
}
