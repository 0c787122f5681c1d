// How deeply a JSON document nests, measured on the text without parsing it. Go's encoding/json
// refuses documents nested deeper than 10000 levels; skiff must refuse far earlier, because
// JSON.stringify, structuredClone and every recursive walk (patches, schema checks) overflow the
// stack after one or two thousand levels, which would turn a client's bad body into a 500.

/** Go encoding/json's maxNestingDepth. */
export const GO_MAX_NESTING_DEPTH = 10000;

/**
 * The deepest nesting skiff accepts in a request body. No Kubernetes object comes near it (the
 * deepest built-in schemas nest about 20 levels; CRDs a few dozen), and everything below it
 * stringifies and clones safely on Node's default stack.
 */
export const MAX_JSON_NESTING_DEPTH = 512;

/**
 * The maximum nesting depth of the arrays and objects in a JSON text (0 for a scalar), ignoring
 * brackets inside strings. Linear, iterative, and tolerant of malformed input (it only counts).
 */
export function jsonNestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      if (depth > 0) depth--;
    }
  }
  return max;
}

/**
 * The decoder error for a document nested deeper than limit, worded as Go's scanner reports it
 * ("invalid character '[' exceeded max depth"), or undefined when the document is shallow enough.
 */
export function nestingDepthError(text: string, limit = MAX_JSON_NESTING_DEPTH): string | undefined {
  // Going past limit takes more than limit opening brackets: most bodies are too short to.
  if (text.length <= limit) return undefined;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return `invalid character '${text[i]}' exceeded max depth`;
    } else if (c === 0x7d || c === 0x5d) {
      if (depth > 0) depth--;
    }
  }
  return undefined;
}
