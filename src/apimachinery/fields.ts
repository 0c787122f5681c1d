// Field selectors as k8s.io/apimachinery/pkg/fields parses and matches them: comma-separated
// "field=value", "field==value" and "field!=value" terms, with "\", "," and "=" in values
// backslash-escaped. Errors carry upstream's text; the API server answers them as 400 BadRequest.

import { badRequest } from './errors.js';

/** One term of a field selector; "==" parses as "=". */
export interface FieldRequirement {
  readonly field: string;
  readonly operator: '=' | '!=';
  readonly value: string;
}

/** A parsed field selector: the AND of its terms. */
export interface FieldSelector {
  readonly requirements: readonly FieldRequirement[];
}

/** The field selector that matches everything. */
export const EVERYTHING_FIELDS: FieldSelector = Object.freeze({ requirements: Object.freeze([]) as readonly FieldRequirement[] });

/** A field selector error carrying upstream's text. */
export class FieldSelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FieldSelectorError';
  }
}

/** fields.EscapeValue: prefixes "\", "," and "=" with a backslash. */
export function escapeFieldValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => '\\' + c);
}

/** fields.UnescapeValue; throws FieldSelectorError on a bad escape or an unescaped "," or "=". */
export function unescapeFieldValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c === '\\' || c === ',' || c === '=') out += c;
      else throw new FieldSelectorError(`invalid field selector: invalid escape sequence: \\${c}`);
      inSlash = false;
      continue;
    }
    if (c === '\\') inSlash = true;
    // Upstream prints the rune with %v, which is its code point number.
    else if (c === ',' || c === '=') throw new FieldSelectorError(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    else out += c;
  }
  if (inSlash) throw new FieldSelectorError('invalid field selector: invalid escape sequence: \\');
  return out;
}

// splitTerms: commas split terms unless escaped; the escaping backslash stays in the term.
function splitTerms(selector: string): string[] {
  if (selector.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

const TERM_OPERATORS = ['!=', '==', '='] as const;

// splitTerm: the first operator occurrence splits the term; "==" is tried before "=".
function splitTerm(term: string): { lhs: string; op: (typeof TERM_OPERATORS)[number]; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of TERM_OPERATORS) {
      if (term.startsWith(op, i)) return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

/** As parseFieldSelector, but throws a plain FieldSelectorError. */
export function parseFieldSelectorOrThrow(selector: string): FieldSelector {
  // Upstream sorts the raw terms, which fixes the order of requirements.
  const parts = splitTerms(selector).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const reqs: FieldRequirement[] = [];
  for (const part of parts) {
    if (part === '') continue;
    const t = splitTerm(part);
    if (!t) throw new FieldSelectorError(`invalid selector: '${selector}'; can't understand '${part}'`);
    const value = unescapeFieldValue(t.rhs);
    reqs.push({ field: t.lhs, operator: t.op === '!=' ? '!=' : '=', value });
  }
  return reqs.length === 0 ? EVERYTHING_FIELDS : { requirements: reqs };
}

/** fields.ParseSelector; throws a StatusError 400 BadRequest with upstream's text. */
export function parseFieldSelector(selector: string): FieldSelector {
  try {
    return parseFieldSelectorOrThrow(selector);
  } catch (e) {
    if (e instanceof FieldSelectorError) throw badRequest(e.message);
    throw e;
  }
}

/** Selector.Matches over an object's selectable fields; a missing field reads as "". */
export function matchesFields(sel: FieldSelector, fields: Readonly<Record<string, string>>): boolean {
  for (const r of sel.requirements) {
    const have = Object.prototype.hasOwnProperty.call(fields, r.field) ? fields[r.field] : '';
    if (r.operator === '=' ? have !== r.value : have === r.value) return false;
  }
  return true;
}

/** Selector.Requirements: the terms, for checking which field labels a resource supports. */
export function requirements(sel: FieldSelector): readonly FieldRequirement[] {
  return sel.requirements;
}

/** Selector.Empty. */
export function isEmptyFieldSelector(sel: FieldSelector): boolean {
  return sel.requirements.length === 0;
}

/** Selector.RequiresExactMatch: the value an "=" term demands for field, if any. */
export function fieldRequiresExactMatch(sel: FieldSelector, fieldName: string): string | undefined {
  for (const r of sel.requirements) if (r.operator === '=' && r.field === fieldName) return r.value;
  return undefined;
}

/** Selector.String: terms joined by ",", values escaped. */
export function fieldSelectorString(sel: FieldSelector): string {
  return sel.requirements.map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(',');
}

/** fields.SelectorFromSet: field=value for each entry. */
export function fieldSelectorFromSet(set: Readonly<Record<string, string>>): FieldSelector {
  const reqs: FieldRequirement[] = Object.entries(set).map(([f, value]) => ({ field: f, operator: '=', value }));
  return { requirements: reqs };
}

/**
 * Selector.Transform: rewrite each term's field and value (the API server converts field labels
 * this way); a term rewritten to an empty field and value is dropped. Errors from fn propagate.
 */
export function transformFieldSelector(sel: FieldSelector, fn: (fieldName: string, value: string) => [string, string]): FieldSelector {
  const out: FieldRequirement[] = [];
  for (const r of sel.requirements) {
    const [f, v] = fn(r.field, r.value);
    if (f === '' && v === '') continue;
    out.push({ field: f, operator: r.operator, value: v });
  }
  return { requirements: out };
}

/** The message a resource's field label conversion gives for a label it does not support. */
export function fieldLabelNotSupportedMessage(label: string): string {
  return `field label not supported: ${label}`;
}

/**
 * runtime.DefaultMetaV1FieldSelectorConversion: what a kind without its own conversion accepts,
 * metadata.name and metadata.namespace. Throws a StatusError 400 with upstream's text otherwise.
 */
export function defaultFieldLabelConversion(label: string, value: string): [string, string] {
  if (label === 'metadata.name' || label === 'metadata.namespace') return [label, value];
  throw badRequest(`${JSON.stringify(label)} is not a known field selector: only "metadata.name", "metadata.namespace"`);
}
