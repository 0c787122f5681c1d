// Name and metadata validation with kube-apiserver's wording: k8s.io/apimachinery/pkg/util/validation
// (the is* checks, which return lists of messages), pkg/api/validation (ObjectMeta on create and
// update) and pkg/api/validation/path (names used as URL path segments), plus the apiserver's
// SimpleNameGenerator for metadata.generateName.

import { isIP } from 'node:net';
import { BoundedMap } from './bounded-map.js';
import { field, type FieldError } from './errors.js';
import type { ObjectMeta, OwnerReference } from '../api/types.js';

// ---- message builders (validation.MaxLenError, RegexError, EmptyError, InclusiveRangeError) ----

/** "must be no more than 63 characters". */
export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

/** A regex failure explained with examples, exactly as validation.RegexError words it. */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  // Upstream joins "'a', " items with " or ", which leaves two spaces before each "or"; kept verbatim.
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`;
}

/** "must be non-empty". */
export function emptyError(): string {
  return 'must be non-empty';
}

/** "must be between 1 and 65535, inclusive". */
export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

/** Go's len(): the UTF-8 byte length, which is what every upstream length limit counts. */
export function byteLength(s: string): number {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x80) return Buffer.byteLength(s, 'utf8');
  }
  return s.length;
}

// ---- qualified names and label values ----

const QNAME_CHAR_FMT = '[A-Za-z0-9]';
const QNAME_EXT_CHAR_FMT = '[-A-Za-z0-9_.]';
const QUALIFIED_NAME_FMT = `(${QNAME_CHAR_FMT}${QNAME_EXT_CHAR_FMT}*)?${QNAME_CHAR_FMT}`;
const QUALIFIED_NAME_ERR_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const QUALIFIED_NAME_MAX_LENGTH = 63;
const QUALIFIED_NAME_RE = new RegExp(`^${QUALIFIED_NAME_FMT}$`);

// Every write validates the keys of its labels and annotations, and those come from a small set
// (a node carries a dozen prefixed keys, written again with each status report): the answer for
// each key is kept, frozen, for the most recently seen 4,096.
const qualifiedNames = new BoundedMap<string, readonly string[]>(4096);

/** IsQualifiedName: a label or annotation key, `[prefix/]name`. Returns upstream's messages, [] when valid. */
export function isQualifiedName(value: string): readonly string[] {
  return qualifiedNames.memo(value, (v) => Object.freeze(qualifiedNameErrors(v)));
}

function qualifiedNameErrors(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0];
  } else if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) errs.push('prefix part ' + emptyError());
    else for (const m of isDNS1123Subdomain(prefix)) errs.push('prefix part ' + m);
  } else {
    return [
      'a qualified name ' +
        regexError(QUALIFIED_NAME_ERR_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc') +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) errs.push('name part ' + emptyError());
  else if (byteLength(name) > QUALIFIED_NAME_MAX_LENGTH) errs.push('name part ' + maxLenError(QUALIFIED_NAME_MAX_LENGTH));
  if (!QUALIFIED_NAME_RE.test(name)) {
    errs.push('name part ' + regexError(QUALIFIED_NAME_ERR_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc'));
  }
  return errs;
}

const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;
const LABEL_VALUE_ERR_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
/** The longest label value the API accepts. */
export const LABEL_VALUE_MAX_LENGTH = 63;
const LABEL_VALUE_RE = new RegExp(`^${LABEL_VALUE_FMT}$`);

/** IsValidLabelValue: empty, or up to 63 characters of [-A-Za-z0-9_.] starting and ending alphanumeric. */
export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > LABEL_VALUE_MAX_LENGTH) errs.push(maxLenError(LABEL_VALUE_MAX_LENGTH));
  if (!LABEL_VALUE_RE.test(value)) errs.push(regexError(LABEL_VALUE_ERR_MSG, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  return errs;
}

// ---- DNS names ----

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL_ERR_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
/** A DNS-1123 label's maximum length. */
export const DNS1123_LABEL_MAX_LENGTH = 63;
const DNS1123_LABEL_RE = new RegExp(`^${DNS1123_LABEL_FMT}$`);

const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_SUBDOMAIN_ERR_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
/** A DNS-1123 subdomain's maximum length. */
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
const DNS1123_SUBDOMAIN_RE = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);

/** IsDNS1123Label: namespace names, and most names that become hostnames. */
export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1123_LABEL_MAX_LENGTH));
  if (!DNS1123_LABEL_RE.test(value)) {
    // A valid subdomain that is not a valid label can only be failing on its dots.
    if (DNS1123_SUBDOMAIN_RE.test(value)) errs.push('must not contain dots');
    else errs.push(regexError(DNS1123_LABEL_ERR_MSG, DNS1123_LABEL_FMT, 'my-name', '123-abc'));
  }
  return errs;
}

/** IsDNS1123Subdomain: the default rule for object names. */
export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!DNS1123_SUBDOMAIN_RE.test(value)) errs.push(regexError(DNS1123_SUBDOMAIN_ERR_MSG, DNS1123_SUBDOMAIN_FMT, 'example.com'));
  return errs;
}

const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const DNS1035_LABEL_ERR_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
const DNS1035_LABEL_RE = new RegExp(`^${DNS1035_LABEL_FMT}$`);

/** IsDNS1035Label: Service names and container/port names must start with a letter. */
export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 63) errs.push(maxLenError(63));
  if (!DNS1035_LABEL_RE.test(value)) errs.push(regexError(DNS1035_LABEL_ERR_MSG, DNS1035_LABEL_FMT, 'my-name', 'abc-123'));
  return errs;
}

// ---- identifiers and keys ----

const C_IDENTIFIER_FMT = '[A-Za-z_][A-Za-z0-9_]*';
const C_IDENTIFIER_ERR_MSG = "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_'";
const C_IDENTIFIER_RE = new RegExp(`^${C_IDENTIFIER_FMT}$`);

/** IsCIdentifier: format only, no length limit. */
export function isCIdentifier(value: string): string[] {
  return C_IDENTIFIER_RE.test(value) ? [] : [regexError(C_IDENTIFIER_ERR_MSG, C_IDENTIFIER_FMT, 'my_name', 'MY_NAME', 'MyName')];
}

const ENV_VAR_NAME_FMT = '[-._a-zA-Z][-._a-zA-Z0-9]*';
const ENV_VAR_NAME_ERR_MSG = "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit";
const ENV_VAR_NAME_RE = new RegExp(`^${ENV_VAR_NAME_FMT}$`);

/** IsEnvVarName: container env names (the strict rule, before RelaxedEnvironmentVariableValidation). */
export function isEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (!ENV_VAR_NAME_RE.test(value)) errs.push(regexError(ENV_VAR_NAME_ERR_MSG, ENV_VAR_NAME_FMT, 'my.env-name', 'MY_ENV.NAME', 'MyEnvName1'));
  errs.push(...hasChDirPrefix(value));
  return errs;
}

/** IsRelaxedEnvVarName: any printable ASCII but '=' (the v1.32 default with the feature gate on). */
export function isRelaxedEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (value.length === 0) errs.push('environment variable name ' + emptyError());
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x3d) {
      errs.push("a valid environment variable name must consist only of printable ASCII characters other than '='");
      break;
    }
  }
  return errs;
}

const CONFIG_MAP_KEY_FMT = '[-._a-zA-Z0-9]+';
const CONFIG_MAP_KEY_ERR_MSG = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";
const CONFIG_MAP_KEY_RE = new RegExp(`^${CONFIG_MAP_KEY_FMT}$`);

/** IsConfigMapKey: keys of ConfigMap and Secret data. */
export function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!CONFIG_MAP_KEY_RE.test(value)) errs.push(regexError(CONFIG_MAP_KEY_ERR_MSG, CONFIG_MAP_KEY_FMT, 'key.name', 'KEY_NAME', 'key-name'));
  errs.push(...hasChDirPrefix(value));
  return errs;
}

function hasChDirPrefix(value: string): string[] {
  if (value === '.') return ["must not be '.'"];
  if (value === '..') return ["must not be '..'"];
  if (value.startsWith('..')) return ["must not start with '..'"];
  return [];
}

/** IsValidPortNum: 1..65535. */
export function isValidPortNum(port: number): string[] {
  return port >= 1 && port <= 65535 ? [] : [inclusiveRangeError(1, 65535)];
}

/** IsInRange: min..max inclusive. */
export function isInRange(value: number, min: number, max: number): string[] {
  return value >= min && value <= max ? [] : [inclusiveRangeError(min, max)];
}

/** IsValidPortName: an IANA service name (container port names). */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (byteLength(port) > 15) errs.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port[0] === '-' || port[port.length - 1] === '-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

/** IsValidPercent: "[0-9]+%". */
export function isValidPercent(percent: string): string[] {
  return /^[0-9]+%$/.test(percent) ? [] : [regexError("a valid percent string must be a numeric string followed by an ending '%'", '[0-9]+%', '1%', '93%')];
}

/** IsHTTPHeaderName: as the Go HTTP library accepts header names. */
export function isHTTPHeaderName(value: string): string[] {
  return /^[-A-Za-z0-9]+$/.test(value)
    ? []
    : [regexError("a valid HTTP header must consist of alphanumeric characters or '-'", '[-A-Za-z0-9]+', 'X-Header-Name')];
}

// ---- IP addresses and CIDRs (validation.IsValidIP, IsValidCIDR; arguments in upstream's order) ----

/** IsValidIP: an Invalid error at path unless value is an IPv4 or IPv6 address. */
export function validateIP(path: string, value: unknown): FieldError[] {
  if (typeof value === 'string' && isIP(value) !== 0) return [];
  return [field.invalid(path, value, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')];
}

/** True for a CIDR such as 10.0.0.0/16 or 2001:db8::/64 (the syntax net.ParseCIDR accepts). */
export function isValidCIDR(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const slash = value.indexOf('/');
  if (slash < 0) return false;
  const family = isIP(value.slice(0, slash));
  const bits = value.slice(slash + 1);
  if (!family || !/^\d+$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

/** IsValidCIDR: an Invalid error at path unless value is a CIDR. */
export function validateCIDR(path: string, value: unknown): FieldError[] {
  return isValidCIDR(value) ? [] : [field.invalid(path, value, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')];
}

// ---- path segment names (pkg/api/validation/path) ----

/** IsValidPathSegmentName: names that only have to survive being a URL path segment (RBAC, ...). */
export function isValidPathSegmentName(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  return isValidPathSegmentPrefix(name);
}

/** IsValidPathSegmentPrefix: as isValidPathSegmentName, for a generateName prefix. */
export function isValidPathSegmentPrefix(name: string): string[] {
  const errs: string[] = [];
  if (name.includes('/')) errs.push("may not contain '/'");
  if (name.includes('%')) errs.push("may not contain '%'");
  return errs;
}

// ---- name validation functions (ValidateNameFunc) ----

/** ValidateNameFunc: prefix is true for a generateName, which will have a suffix appended. */
export type NameValidator = (name: string, prefix: boolean) => string[];

// Upstream's maskTrailingDash drops the last two characters (not one) before appending 'a';
// kept as is, because it decides which generateName prefixes are accepted.
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? name.slice(0, name.length - 2) + 'a' : name;
}

/** NameIsDNSSubdomain. */
export const nameIsDNSSubdomain: NameValidator = (name, prefix) => isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);
/** NameIsDNSLabel. */
export const nameIsDNSLabel: NameValidator = (name, prefix) => isDNS1123Label(prefix ? maskTrailingDash(name) : name);
/** NameIsDNS1035Label (Services). */
export const nameIsDNS1035Label: NameValidator = (name, prefix) => isDNS1035Label(prefix ? maskTrailingDash(name) : name);
/** path.ValidatePathSegmentName (RBAC objects and others keyed only by path). */
export const validatePathSegmentName: NameValidator = (name, prefix) => (prefix ? isValidPathSegmentPrefix(name) : isValidPathSegmentName(name));

/** Which rule an object's name must follow. */
export type NameValidation = 'subdomain' | 'label' | 'dns1035-label' | 'path-segment' | NameValidator;

function nameValidatorFor(v: NameValidation): NameValidator {
  switch (v) {
    case 'subdomain':
      return nameIsDNSSubdomain;
    case 'label':
      return nameIsDNSLabel;
    case 'dns1035-label':
      return nameIsDNS1035Label;
    case 'path-segment':
      return validatePathSegmentName;
    default:
      return v;
  }
}

// ---- metadata pieces ----

/** Each message of an is* check as an Invalid error at path, the way upstream wraps them. */
export function invalidEach(path: string, value: unknown, msgs: readonly string[]): FieldError[] {
  return msgs.map((m) => field.invalid(path, value, m));
}

/** ValidateDNS1123Label at a path. */
export function validateDNS1123Label(value: string, path: string): FieldError[] {
  return invalidEach(path, value, isDNS1123Label(value));
}

/** ValidateDNS1123Subdomain at a path. */
export function validateDNS1123Subdomain(value: string, path: string): FieldError[] {
  return invalidEach(path, value, isDNS1123Subdomain(value));
}

/** ValidateQualifiedName at a path. */
export function validateQualifiedName(value: string, path: string): FieldError[] {
  return invalidEach(path, value, isQualifiedName(value));
}

/** ValidateLabelName: a label key must be a qualified name. */
export function validateLabelName(labelName: string, path: string): FieldError[] {
  return isQualifiedName(labelName).map((msg) => field.invalid(path, labelName, msg));
}

/** metav1validation.ValidateLabels: errors carry the map's path, not the key's. */
export function validateLabels(labels: Record<string, string> | undefined | null, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!labels) return errs;
  for (const [k, v] of Object.entries(labels)) {
    errs.push(...validateLabelName(k, path));
    for (const msg of isValidLabelValue(String(v))) errs.push(field.invalid(path, v, msg));
  }
  return errs;
}

/** The total size allowed for all annotation keys and values together: 256 KiB. */
export const TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * 1024;

/** ValidateAnnotations: keys are case-insensitive qualified names; total size at most 256 KiB. */
export function validateAnnotations(annotations: Record<string, string> | undefined | null, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!annotations) return errs;
  let total = 0;
  for (const [k, v] of Object.entries(annotations)) {
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(field.invalid(path, k, msg));
    total += byteLength(k) + byteLength(String(v ?? ''));
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT_B) errs.push(field.tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT_B));
  return errs;
}

// schema.ParseGroupVersion, lenient: an unparsable apiVersion yields an empty version, as upstream.
function groupVersionOf(apiVersion: string): { group: string; version: string } {
  if (apiVersion === '' || apiVersion === '/') return { group: '', version: '' };
  const parts = apiVersion.split('/');
  if (parts.length === 1) return { group: '', version: apiVersion };
  if (parts.length === 2) return { group: parts[0], version: parts[1] };
  return { group: '', version: '' };
}

/** ValidateOwnerReferences: required fields, Events cannot own, at most one controller. */
export function validateOwnerReferences(refs: OwnerReference[] | undefined | null, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!refs) return errs;
  let firstController = '';
  for (const ref of refs) {
    const apiVersion = ref.apiVersion ?? '';
    const kind = ref.kind ?? '';
    const gv = groupVersionOf(apiVersion);
    if (!gv.version) errs.push(field.invalid(`${path}.apiVersion`, apiVersion, 'version must not be empty'));
    if (!kind) errs.push(field.invalid(`${path}.kind`, kind, 'kind must not be empty'));
    if (!ref.name) errs.push(field.invalid(`${path}.name`, ref.name ?? '', 'name must not be empty'));
    if (!ref.uid) errs.push(field.invalid(`${path}.uid`, ref.uid ?? '', 'uid must not be empty'));
    if (gv.group === '' && gv.version === 'v1' && kind === 'Event') {
      errs.push(field.invalid(path, ref, '/v1, Kind=Event is disallowed from being an owner'));
    }
    if (ref.controller === true) {
      const name = `${kind}/${ref.name ?? ''}`;
      if (firstController) {
        errs.push(
          field.invalid(path, refs, `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${name}`),
        );
      } else {
        firstController = name;
      }
    }
  }
  return errs;
}

/** ValidateFinalizers: qualified names, and not both orphan and foregroundDeletion. */
export function validateFinalizers(finalizers: string[] | undefined | null, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!finalizers) return errs;
  let orphan = false;
  let foreground = false;
  for (const f of finalizers) {
    for (const msg of isQualifiedName(f)) errs.push(field.invalid(path, f, msg));
    if (f === 'orphan') orphan = true;
    if (f === 'foregroundDeletion') foreground = true;
  }
  if (orphan && foreground) errs.push(field.invalid(path, finalizers, 'finalizer orphan and foregroundDeletion cannot be both set'));
  return errs;
}

/** The longest field manager name the API accepts. */
export const FIELD_MANAGER_MAX_LENGTH = 128;

/** ValidateFieldManager: at most 128 bytes, printable characters only. */
export function validateFieldManager(fieldManager: string, path: string): FieldError[] {
  // Every update validates every managedFields entry's manager, and a cluster has a handful.
  if (validManagers.has(fieldManager)) return [];
  const errs: FieldError[] = [];
  if (byteLength(fieldManager) > FIELD_MANAGER_MAX_LENGTH) errs.push(field.tooLong(path, FIELD_MANAGER_MAX_LENGTH));
  let bytePos = 0;
  for (const ch of fieldManager) {
    const cp = ch.codePointAt(0)!;
    if (!isPrintable(cp)) {
      const hex = cp.toString(16).toUpperCase().padStart(4, '0');
      errs.push(field.invalid(path, fieldManager, `invalid character U+${hex} (at position ${bytePos})`));
    }
    bytePos += byteLength(ch);
  }
  if (errs.length === 0) validManagers.set(fieldManager, true);
  return errs;
}

const validManagers = new BoundedMap<string, true>(1024);

const PRINTABLE_RE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
// unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
function isPrintable(cp: number): boolean {
  return cp === 0x20 || PRINTABLE_RE.test(String.fromCodePoint(cp));
}

/** ValidateManagedFields: operation Apply/Update, fieldsType FieldsV1, manager and subresource limits. */
export function validateManagedFields(entries: unknown[] | undefined | null, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!entries) return errs;
  entries.forEach((raw, i) => {
    const e = (raw ?? {}) as Record<string, unknown>;
    const p = `${path}[${i}]`;
    const op = typeof e.operation === 'string' ? e.operation : '';
    if (op !== 'Apply' && op !== 'Update') errs.push(field.invalid(`${p}.operation`, op, 'must be `Apply` or `Update`'));
    const ft = typeof e.fieldsType === 'string' ? e.fieldsType : '';
    if (ft.length > 0 && ft !== 'FieldsV1') errs.push(field.invalid(`${p}.fieldsType`, ft, 'must be `FieldsV1`'));
    errs.push(...validateFieldManager(typeof e.manager === 'string' ? e.manager : '', `${p}.manager`));
    const sub = typeof e.subresource === 'string' ? e.subresource : '';
    if (byteLength(sub) > 256) errs.push(field.tooLong(`${p}.subresource`, 256));
  });
  return errs;
}

/** How ValidateObjectMeta treats this kind of object. */
export interface ObjectMetaValidationOptions {
  namespaced: boolean;
  nameValidation: NameValidation;
}

/** ValidateObjectMeta (create): name/generateName, namespace scope, labels, annotations, owners, finalizers. */
export function validateObjectMeta(meta: ObjectMeta | undefined | null, opts: ObjectMetaValidationOptions, path = 'metadata'): FieldError[] {
  const m: ObjectMeta = meta ?? {};
  const errs: FieldError[] = [];
  const nameFn = nameValidatorFor(opts.nameValidation);
  const generateName = m.generateName ?? '';
  if (generateName.length !== 0) {
    for (const msg of nameFn(generateName, true)) errs.push(field.invalid(`${path}.generateName`, generateName, msg));
  }
  const name = m.name ?? '';
  if (name.length === 0) {
    errs.push(field.required(`${path}.name`, 'name or generateName is required'));
  } else {
    for (const msg of nameFn(name, false)) errs.push(field.invalid(`${path}.name`, name, msg));
  }
  const namespace = m.namespace ?? '';
  if (opts.namespaced) {
    if (namespace.length === 0) errs.push(field.required(`${path}.namespace`, ''));
    else for (const msg of nameIsDNSLabel(namespace, false)) errs.push(field.invalid(`${path}.namespace`, namespace, msg));
  } else if (namespace.length !== 0) {
    errs.push(field.forbidden(`${path}.namespace`, 'not allowed on this type'));
  }
  errs.push(...validateNonnegativeField(m.generation ?? 0, `${path}.generation`));
  errs.push(...validateLabels(m.labels, `${path}.labels`));
  errs.push(...validateAnnotations(m.annotations, `${path}.annotations`));
  errs.push(...validateOwnerReferences(m.ownerReferences, `${path}.ownerReferences`));
  errs.push(...validateFinalizers(m.finalizers, `${path}.finalizers`));
  errs.push(...validateManagedFields(m.managedFields, `${path}.managedFields`));
  return errs;
}

/** ValidateNonnegativeField: an Invalid error when a number below zero is set (absent passes). */
export function validateNonnegativeField(value: unknown, path: string): FieldError[] {
  return typeof value === 'number' && value < 0 ? [field.invalid(path, value, 'must be greater than or equal to 0')] : [];
}

/** The message for an immutable field that changed. */
export const FIELD_IMMUTABLE_ERROR_MSG = 'field is immutable';

/** ValidateImmutableField: newVal must deep-equal oldVal. */
export function validateImmutableField(newVal: unknown, oldVal: unknown, path: string): FieldError[] {
  return jsonEqual(newVal, oldVal) ? [] : [field.invalid(path, newVal, FIELD_IMMUTABLE_ERROR_MSG)];
}

/** ValidateObjectMetaUpdate: resourceVersion present, generation not decremented, identity immutable. */
export function validateObjectMetaUpdate(newMeta: ObjectMeta | undefined | null, oldMeta: ObjectMeta | undefined | null, path = 'metadata'): FieldError[] {
  const n: ObjectMeta = newMeta ?? {};
  const o: ObjectMeta = oldMeta ?? {};
  const errs: FieldError[] = [];
  if (o.deletionTimestamp) {
    const old = new Set(o.finalizers ?? []);
    const extra = [...new Set((n.finalizers ?? []).filter((f) => !old.has(f)))].sort();
    if (extra.length > 0) {
      errs.push(
        field.forbidden(
          `${path}.finalizers`,
          `no new finalizers can be added if the object is being deleted, found new finalizers []string{${extra.map((f) => JSON.stringify(f)).join(', ')}}`,
        ),
      );
    }
  }
  if (!n.resourceVersion) errs.push(field.invalid(`${path}.resourceVersion`, n.resourceVersion ?? '', 'must be specified for an update'));
  if ((n.generation ?? 0) < (o.generation ?? 0)) errs.push(field.invalid(`${path}.generation`, n.generation ?? 0, 'must not be decremented'));
  errs.push(...validateImmutableField(n.name ?? '', o.name ?? '', `${path}.name`));
  errs.push(...validateImmutableField(n.namespace ?? '', o.namespace ?? '', `${path}.namespace`));
  errs.push(...validateImmutableField(n.uid ?? '', o.uid ?? '', `${path}.uid`));
  errs.push(...validateImmutableField(n.creationTimestamp ?? null, o.creationTimestamp ?? null, `${path}.creationTimestamp`));
  errs.push(...validateImmutableField(n.deletionTimestamp ?? null, o.deletionTimestamp ?? null, `${path}.deletionTimestamp`));
  errs.push(
    ...validateImmutableField(n.deletionGracePeriodSeconds ?? null, o.deletionGracePeriodSeconds ?? null, `${path}.deletionGracePeriodSeconds`),
  );
  errs.push(...validateLabels(n.labels, `${path}.labels`));
  errs.push(...validateAnnotations(n.annotations, `${path}.annotations`));
  errs.push(...validateOwnerReferences(n.ownerReferences, `${path}.ownerReferences`));
  errs.push(...validateManagedFields(n.managedFields, `${path}.managedFields`));
  return errs;
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => jsonEqual(v, bb[i]));
  }
  const ak = Object.keys(a as object);
  const bo = b as Record<string, unknown>;
  if (ak.length !== Object.keys(bo).length) return false;
  return ak.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && jsonEqual((a as Record<string, unknown>)[k], bo[k]));
}

// ---- name generation (apiserver/pkg/storage/names) ----

/** The longest name a generateName base keeps: 63 minus the 5 random characters. */
export const MAX_GENERATED_NAME_LENGTH = 58;
// Vowels are left out so that generated suffixes do not spell words.
const NAME_ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** SimpleNameGenerator.GenerateName: base (cut to 58 characters) plus 5 random characters. */
export function generateName(base: string, random: () => number = Math.random): string {
  let b = base;
  if (byteLength(b) > MAX_GENERATED_NAME_LENGTH) b = truncateBytes(b, MAX_GENERATED_NAME_LENGTH);
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += NAME_ALPHANUMS[Math.min(NAME_ALPHANUMS.length - 1, Math.floor(random() * NAME_ALPHANUMS.length))];
  return b + suffix;
}

function truncateBytes(s: string, max: number): string {
  if (s.length === byteLength(s)) return s.slice(0, max);
  // Names with non-ASCII characters fail validation anyway; cut on a character boundary.
  let out = '';
  let n = 0;
  for (const ch of s) {
    const l = byteLength(ch);
    if (n + l > max) break;
    out += ch;
    n += l;
  }
  return out;
}
