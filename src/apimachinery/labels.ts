// Label selectors as k8s.io/apimachinery/pkg/labels parses, matches and prints them, and the
// metav1.LabelSelector helpers (LabelSelectorAsSelector, FormatLabelSelector, ValidateLabelSelector).
// Error texts are upstream's, because kubectl shows them verbatim ("unable to parse requirement: ...").

import { badRequest, field, type FieldError } from './errors.js';
import { goStringSlice } from './go-syntax.js';
import { isQualifiedName, isValidLabelValue, validateLabelName, validateLabels } from './validation.js';

/** selection.Operator, spelled as upstream spells it. */
export type SelectorOperator = '!' | '=' | '==' | 'in' | '!=' | 'notin' | 'exists' | 'gt' | 'lt';

/** One requirement of a selector: key, operator, values (sorted and unique when parsed). */
export interface Requirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: readonly string[];
}

/** A parsed label selector: the AND of its requirements; `nothing` matches no object at all. */
export interface LabelSelector {
  readonly requirements: readonly Requirement[];
  readonly nothing?: boolean;
}

/** metav1.LabelSelectorRequirement as objects carry it (operator In, NotIn, Exists, DoesNotExist). */
export interface LabelSelectorRequirementSpec {
  key: string;
  operator: string;
  values?: string[] | null;
}

/** metav1.LabelSelector as objects carry it (spec.selector of a Deployment, ...). */
export interface LabelSelectorSpec {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: LabelSelectorRequirementSpec[] | null;
}

/** The selector that matches every object (labels.Everything()). */
export const EVERYTHING: LabelSelector = Object.freeze({ requirements: Object.freeze([]) as readonly Requirement[] });
/** The selector that matches no object (labels.Nothing()), what a nil metav1.LabelSelector means. */
export const NOTHING: LabelSelector = Object.freeze({ requirements: Object.freeze([]) as readonly Requirement[], nothing: true });

const BINARY_OPERATORS = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];
const VALID_OPERATORS: readonly string[] = [...BINARY_OPERATORS, 'exists', '!'];

/** A selector error carrying upstream's text; the API server answers it as 400 BadRequest. */
export class SelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectorError';
  }
}

// field.ErrorList.ToAggregate().Error(): one message alone, several as "[a, b]" without duplicates.
function aggregate(messages: string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
}

function invalidText(path: string, valueText: string, detail: string): string {
  return `${path}: Invalid value: ${valueText}: ${detail}`;
}

function keyError(key: string, path: string): string | undefined {
  const errs = isQualifiedName(key);
  return errs.length ? invalidText(path, JSON.stringify(key), errs.join('; ')) : undefined;
}

function isInt64(s: string): boolean {
  if (!/^[+-]?[0-9]+$/.test(s)) return false;
  const n = BigInt(s);
  return n >= -(2n ** 63n) && n < 2n ** 63n;
}

/**
 * labels.NewRequirement: validates key, operator and values as upstream does. `path` prefixes the
 * field paths in the messages ("key", "values[0][app]" when empty).
 */
export function newRequirement(key: string, operator: string, values: readonly string[], path = ''): Requirement {
  const p = (child: string) => (path ? `${path}.${child}` : child);
  const errs: string[] = [];
  const k = keyError(key, p('key'));
  if (k) errs.push(k);
  const valuePath = p('values');
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) errs.push(invalidText(valuePath, goStringSlice(values), "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) errs.push(invalidText(valuePath, goStringSlice(values), 'exact-match compatibility requires one single value'));
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) errs.push(invalidText(valuePath, goStringSlice(values), 'values set must be empty for exists and does not exist'));
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) errs.push(invalidText(valuePath, goStringSlice(values), "for 'Gt', 'Lt' operators, exactly one value is required"));
      values.forEach((v, i) => {
        if (!isInt64(v)) errs.push(invalidText(`${valuePath}[${i}]`, JSON.stringify(v), "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
    default:
      errs.push(
        `${p('operator')}: Unsupported value: ${JSON.stringify(operator)}: supported values: ${VALID_OPERATORS.map((o) => JSON.stringify(o)).join(', ')}`,
      );
  }
  values.forEach((v, i) => {
    const msgs = isValidLabelValue(v);
    if (msgs.length) errs.push(invalidText(`${valuePath}[${i}][${key}]`, JSON.stringify(v), msgs.join('; ')));
  });
  if (errs.length) throw new SelectorError(aggregate(errs));
  return { key, operator: operator as SelectorOperator, values: [...values] };
}

const hasOwn = Object.hasOwn as (o: object, k: string) => boolean;

/** Requirement.Matches. */
export function requirementMatches(r: Requirement, labels: Readonly<Record<string, string>>): boolean {
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return hasOwn(labels, r.key) && r.values.includes(labels[r.key]);
    case 'notin':
    case '!=':
      return !hasOwn(labels, r.key) || !r.values.includes(labels[r.key]);
    case 'exists':
      return hasOwn(labels, r.key);
    case '!':
      return !hasOwn(labels, r.key);
    case 'gt':
    case 'lt': {
      if (!hasOwn(labels, r.key) || r.values.length !== 1) return false;
      const have = labels[r.key];
      if (!isInt64(have) || !isInt64(r.values[0])) return false;
      const lv = BigInt(have);
      const rv = BigInt(r.values[0]);
      return r.operator === 'gt' ? lv > rv : lv < rv;
    }
    default:
      return false;
  }
}

/** Selector.Matches: every requirement holds (Nothing matches nothing). */
export function matches(sel: LabelSelector, labels: Readonly<Record<string, string>> | undefined | null): boolean {
  if (sel.nothing) return false;
  const l = labels ?? {};
  for (const r of sel.requirements) if (!requirementMatches(r, l)) return false;
  return true;
}

// Controllers test the same selectors against the same cached label maps on every sync (a
// ReplicaSet against each of its thousands of pods). Objects from an informer's cache are never
// mutated (an update replaces them), so a match can be remembered per label map, keyed by the
// selector's canonical text (a selector is rebuilt on every sync; its text is not).
const matchMemo = new Map<string, WeakMap<object, boolean>>();
const MATCH_MEMO_SELECTORS = 4096;
const selectorKeys = new WeakMap<LabelSelector, string>();

/** matches(), memoised per label-map object: only for label maps that are never mutated (informer caches). */
export function matchesCached(sel: LabelSelector, labels: Readonly<Record<string, string>> | undefined | null): boolean {
  if (!labels || sel.nothing) return matches(sel, labels);
  let key = selectorKeys.get(sel);
  if (key === undefined) selectorKeys.set(sel, (key = selectorToString(sel)));
  let memo = matchMemo.get(key);
  if (!memo) {
    if (matchMemo.size >= MATCH_MEMO_SELECTORS) matchMemo.clear();
    memo = new WeakMap();
    matchMemo.set(key, memo);
  }
  let hit = memo.get(labels);
  if (hit === undefined) {
    hit = matches(sel, labels);
    memo.set(labels, hit);
  }
  return hit;
}

/** Selector.Empty: true when the selector does not restrict anything (Nothing is not empty). */
export function isEmptySelector(sel: LabelSelector): boolean {
  return !sel.nothing && sel.requirements.length === 0;
}

/** Requirement.String: "a=b", "a in (x,y)", "!a"; multiple values print sorted. */
export function requirementString(r: Requirement): string {
  let s = r.operator === '!' ? '!' + r.key : r.key;
  switch (r.operator) {
    case 'exists':
    case '!':
      return s;
    case 'in':
      s += ' in ';
      break;
    case 'notin':
      s += ' notin ';
      break;
    case 'gt':
      s += '>';
      break;
    case 'lt':
      s += '<';
      break;
    default:
      s += r.operator;
  }
  const vals = r.values.length === 1 ? r.values[0] : [...r.values].sort(compareStrings).join(',');
  return r.operator === 'in' || r.operator === 'notin' ? `${s}(${vals})` : s + vals;
}

/** Selector.String: requirements joined by ","; "" for Everything and Nothing. */
export function selectorToString(sel: LabelSelector): string {
  return sel.nothing ? '' : sel.requirements.map(requirementString).join(',');
}

/** RequiresExactMatch: the single value the selector demands for label, if it demands one. */
export function requiresExactMatch(sel: LabelSelector, label: string): string | undefined {
  for (const r of sel.requirements) {
    if (r.key !== label) continue;
    if ((r.operator === '=' || r.operator === '==' || r.operator === 'in') && r.values.length === 1) return r.values[0];
    return undefined;
  }
  return undefined;
}

// Go compares strings bytewise; for the ASCII that selectors allow this is code-unit order.
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortByKey(reqs: Requirement[]): Requirement[] {
  // Array.prototype.sort is stable, so requirements on one key keep their written order.
  return reqs.sort((a, b) => compareStrings(a.key, b.key));
}

// ---- the lexer and parser (labels.Lexer / labels.Parser) ----

const enum Tok {
  Error,
  EndOfString,
  ClosedPar,
  Comma,
  DoesNotExist,
  DoubleEquals,
  Equals,
  GreaterThan,
  Identifier,
  In,
  LessThan,
  NotEquals,
  NotIn,
  OpenPar,
}

const STRING_TO_TOKEN: Record<string, Tok> = {
  ')': Tok.ClosedPar,
  ',': Tok.Comma,
  '!': Tok.DoesNotExist,
  '==': Tok.DoubleEquals,
  '=': Tok.Equals,
  '>': Tok.GreaterThan,
  in: Tok.In,
  '<': Tok.LessThan,
  '!=': Tok.NotEquals,
  notin: Tok.NotIn,
  '(': Tok.OpenPar,
};

interface Scanned {
  tok: Tok;
  lit: string;
}

function isWhitespace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
}

function isSpecialSymbol(ch: string): boolean {
  return ch === '=' || ch === '!' || ch === '(' || ch === ')' || ch === ',' || ch === '>' || ch === '<';
}

function scan(s: string): Scanned[] {
  const items: Scanned[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isWhitespace(s[pos])) pos++;
    if (pos >= s.length) {
      items.push({ tok: Tok.EndOfString, lit: '' });
      return items;
    }
    if (isSpecialSymbol(s[pos])) {
      // Longest run of symbols that still spells an operator ("!=", "=="), as scanSpecialSymbol.
      let buffer = '';
      let last: Scanned | undefined;
      while (pos < s.length && isSpecialSymbol(s[pos])) {
        buffer += s[pos];
        const t = STRING_TO_TOKEN[buffer];
        if (t !== undefined) {
          last = { tok: t, lit: buffer };
          pos++;
        } else if (last) {
          break;
        } else {
          pos++;
        }
      }
      items.push(last ?? { tok: Tok.Error, lit: `error expected: keyword found '${buffer}'` });
    } else {
      const start = pos;
      while (pos < s.length && !isSpecialSymbol(s[pos]) && !isWhitespace(s[pos])) pos++;
      const word = s.slice(start, pos);
      const t = Object.prototype.hasOwnProperty.call(STRING_TO_TOKEN, word) ? STRING_TO_TOKEN[word] : undefined;
      items.push({ tok: t ?? Tok.Identifier, lit: word });
    }
  }
}

class Parser {
  private position = 0;
  constructor(private readonly items: Scanned[]) {}

  // In a values context the keywords "in" and "notin" are ordinary identifiers.
  lookahead(values: boolean): Scanned {
    const it = this.items[this.position];
    return values && (it.tok === Tok.In || it.tok === Tok.NotIn) ? { tok: Tok.Identifier, lit: it.lit } : it;
  }

  consume(values: boolean): Scanned {
    const it = this.lookahead(values);
    this.position++;
    return it;
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const { tok, lit } = this.lookahead(true);
      switch (tok) {
        case Tok.Identifier:
        case Tok.DoesNotExist: {
          let r: Requirement;
          try {
            r = this.parseRequirement();
          } catch (e) {
            throw new SelectorError(`unable to parse requirement: ${(e as Error).message}`);
          }
          reqs.push(r);
          const t = this.consume(true);
          if (t.tok === Tok.EndOfString) return reqs;
          if (t.tok === Tok.Comma) {
            const t2 = this.lookahead(true);
            if (t2.tok !== Tok.Identifier && t2.tok !== Tok.DoesNotExist) {
              throw new SelectorError(`found '${t2.lit}', expected: identifier after ','`);
            }
            break;
          }
          throw new SelectorError(`found '${t.lit}', expected: ',' or 'end of string'`);
        }
        case Tok.EndOfString:
          return reqs;
        default:
          throw new SelectorError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      }
    }
  }

  private parseRequirement(): Requirement {
    const { key, operator } = this.parseKeyAndInferOperator();
    if (operator === 'exists' || operator === '!') return newRequirement(key, operator, []);
    const op = this.parseOperator();
    const values = op === 'in' || op === 'notin' ? this.parseValues() : this.parseExactValue();
    return newRequirement(key, op, [...values].sort(compareStrings));
  }

  private parseKeyAndInferOperator(): { key: string; operator: SelectorOperator | '' } {
    let operator: SelectorOperator | '' = '';
    let t = this.consume(true);
    if (t.tok === Tok.DoesNotExist) {
      operator = '!';
      t = this.consume(true);
    }
    if (t.tok !== Tok.Identifier) throw new Error(`found '${t.lit}', expected: identifier`);
    // Upstream validates the key against a nil field path here, hence the literal "<nil>".
    const k = keyError(t.lit, '<nil>');
    if (k) throw new Error(k);
    const next = this.lookahead(true).tok;
    if ((next === Tok.EndOfString || next === Tok.Comma) && operator !== '!') operator = 'exists';
    return { key: t.lit, operator };
  }

  private parseOperator(): SelectorOperator {
    const { tok, lit } = this.consume(false);
    switch (tok) {
      case Tok.In:
        return 'in';
      case Tok.Equals:
        return '=';
      case Tok.DoubleEquals:
        return '==';
      case Tok.GreaterThan:
        return 'gt';
      case Tok.LessThan:
        return 'lt';
      case Tok.NotIn:
        return 'notin';
      case Tok.NotEquals:
        return '!=';
      default:
        throw new Error(`found '${lit}', expected: ${BINARY_OPERATORS.join(', ')}`);
    }
  }

  private parseValues(): Set<string> {
    const open = this.consume(true);
    if (open.tok !== Tok.OpenPar) throw new Error(`found '${open.lit}' expected: '('`);
    const { tok, lit } = this.lookahead(true);
    switch (tok) {
      case Tok.Identifier:
      case Tok.Comma: {
        const s = this.parseIdentifiersList();
        if (this.consume(true).tok !== Tok.ClosedPar) throw new Error(`found '${lit}', expected: ')'`);
        return s;
      }
      case Tok.ClosedPar:
        this.consume(true);
        return new Set(['']);
      default:
        throw new Error(`found '${lit}', expected: ',', ')' or identifier`);
    }
  }

  private parseIdentifiersList(): Set<string> {
    const s = new Set<string>();
    for (;;) {
      const { tok, lit } = this.consume(true);
      switch (tok) {
        case Tok.Identifier: {
          s.add(lit);
          const next = this.lookahead(true);
          if (next.tok === Tok.Comma) continue;
          if (next.tok === Tok.ClosedPar) return s;
          throw new Error(`found '${next.lit}', expected: ',' or ')'`);
        }
        case Tok.Comma: {
          // Empty values are allowed: "(,a)", "(a,)" and "(a,,b)" all contain "".
          if (s.size === 0) s.add('');
          const next = this.lookahead(true).tok;
          if (next === Tok.ClosedPar) {
            s.add('');
            return s;
          }
          if (next === Tok.Comma) {
            this.consume(true);
            s.add('');
          }
          break;
        }
        default:
          throw new Error(`found '${lit}', expected: ',', or identifier`);
      }
    }
  }

  private parseExactValue(): Set<string> {
    const next = this.lookahead(true).tok;
    if (next === Tok.EndOfString || next === Tok.Comma) return new Set(['']);
    const { tok, lit } = this.consume(true);
    if (tok === Tok.Identifier) return new Set([lit]);
    throw new Error(`found '${lit}', expected: identifier`);
  }
}

/**
 * labels.Parse: equality-based ("a=b", "a==b", "a!=b") and set-based ("a in (x,y)", "a notin (x)",
 * "a", "!a") requirements, plus "a>1" / "a<1". Throws a StatusError 400 BadRequest with upstream's text.
 */
export function parseSelector(s: string): LabelSelector {
  try {
    return parseSelectorOrThrow(s);
  } catch (e) {
    if (e instanceof SelectorError) throw badRequest(e.message);
    throw e;
  }
}

/** As parseSelector, but throws a plain SelectorError (for callers outside a request). */
export function parseSelectorOrThrow(s: string): LabelSelector {
  const reqs = new Parser(scan(s)).parse();
  return reqs.length === 0 ? EVERYTHING : { requirements: sortByKey(reqs) };
}

/** labels.SelectorFromSet: key=value for each entry, unvalidated; an empty set selects everything. */
export function selectorFromSet(set: Readonly<Record<string, string>> | undefined | null): LabelSelector {
  if (!set) return EVERYTHING;
  const reqs: Requirement[] = Object.entries(set).map(([key, value]) => ({ key, operator: '=', values: [value] }));
  return reqs.length === 0 ? EVERYTHING : { requirements: sortByKey(reqs) };
}

/** metav1.LabelSelectorAsSelector: a nil selector matches nothing, an empty one everything. Throws SelectorError. */
export function selectorFromLabelSelector(ls: LabelSelectorSpec | undefined | null): LabelSelector {
  if (!ls) return NOTHING;
  const matchLabels = ls.matchLabels ?? {};
  const exprs = ls.matchExpressions ?? [];
  if (Object.keys(matchLabels).length + exprs.length === 0) return EVERYTHING;
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(matchLabels)) reqs.push(newRequirement(k, '=', [v]));
  for (const expr of exprs) {
    let op: SelectorOperator;
    switch (expr.operator) {
      case 'In':
        op = 'in';
        break;
      case 'NotIn':
        op = 'notin';
        break;
      case 'Exists':
        op = 'exists';
        break;
      case 'DoesNotExist':
        op = '!';
        break;
      default:
        throw new SelectorError(`${JSON.stringify(expr.operator ?? '')} is not a valid label selector operator`);
    }
    reqs.push(newRequirement(expr.key ?? '', op, expr.values ?? []));
  }
  return { requirements: sortByKey(reqs) };
}

/** metav1.FormatLabelSelector: "app=web,tier in (a,b)", "<none>" when empty, "<error>" when invalid. */
export function selectorString(ls: LabelSelectorSpec | undefined | null): string {
  let sel: LabelSelector;
  try {
    sel = selectorFromLabelSelector(ls);
  } catch {
    return '<error>';
  }
  const s = selectorToString(sel);
  return s.length === 0 ? '<none>' : s;
}

/** metav1validation.ValidateLabelSelector with default options (strict values, known operators). */
export function validateLabelSelector(ls: LabelSelectorSpec | undefined | null, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!ls) return errs;
  errs.push(...validateLabels(ls.matchLabels ?? undefined, `${path}.matchLabels`));
  (ls.matchExpressions ?? []).forEach((expr, i) => {
    const p = `${path}.matchExpressions[${i}]`;
    const values = expr.values ?? [];
    switch (expr.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push(field.required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) errs.push(field.forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(field.invalid(`${p}.operator`, expr.operator ?? '', 'not a valid selector operator'));
    }
    errs.push(...validateLabelName(expr.key ?? '', `${p}.key`));
    values.forEach((v, j) => {
      for (const msg of isValidLabelValue(v)) errs.push(field.invalid(`${p}.values[${j}]`, v, msg));
    });
  });
  return errs;
}
