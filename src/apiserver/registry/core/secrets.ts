// Secrets: type defaulting, stringData folded into data (as the v1 conversion does), base64 checks
// (a decode error upstream), and ValidateSecret{,Update}'s per-type required keys.
import type { KubeObject } from '../../../api/types.js';
import { badRequest, field, type FieldError } from '../../../apimachinery/errors.js';
import type { Strategy } from '../strategy.js';
import { base64DecodedLength, MAX_SECRET_SIZE, validateImmutableData } from './configmaps.js';
import { invalidEach, isConfigMapKey } from '../../../apimachinery/validation.js';
import { isRecord, validateImmutable } from './equality.js';

/** A Secret as the strategy sees it: data values are base64 text, as in JSON. */
export type Secret = KubeObject & { type?: string; data?: Record<string, string>; stringData?: Record<string, string>; immutable?: boolean };

const BASE64_CHAR = /[A-Za-z0-9+/=]/;

/** The offset Go's base64 decoder reports for malformed input, or -1 when the text decodes. */
export function base64ErrorOffset(s: string): number {
  const text = s.replace(/[\r\n]/g, '');
  for (let i = 0; i < text.length; i++) {
    if (!BASE64_CHAR.test(text[i])) return i;
    if (text[i] === '=' && i < text.length - 2) return i;
  }
  if (text.length % 4 !== 0) return text.length - (text.length % 4);
  return -1;
}

/** SetDefaults_Secret plus the conversion's stringData merge; throws the decoder's 400 for bad base64. */
export function normalizeSecret(secret: Secret): void {
  if (!secret.type) secret.type = 'Opaque';
  if (isRecord(secret.data)) {
    for (const value of Object.values(secret.data)) {
      const offset = base64ErrorOffset(String(value ?? ''));
      if (offset >= 0) throw badRequest(`Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte ${offset}`);
    }
  }
  if (isRecord(secret.stringData)) {
    const data: Record<string, string> = isRecord(secret.data) ? secret.data : {};
    for (const [k, v] of Object.entries(secret.stringData)) data[k] = Buffer.from(String(v ?? ''), 'utf8').toString('base64');
    secret.data = data;
  }
  delete secret.stringData;
}

/** Go's json.Unmarshal error for the first problem in text, for the dockercfg checks. */
function jsonObjectError(text: string): string | undefined {
  try {
    const v = JSON.parse(text);
    if (!isRecord(v)) return 'json: cannot unmarshal ' + (Array.isArray(v) ? 'array' : typeof v) + ' into Go value of type map[string]interface {}';
    return undefined;
  } catch {
    const trimmed = text.trim();
    if (!trimmed) return 'unexpected end of JSON input';
    return `invalid character '${trimmed[0]}' looking for beginning of value`;
  }
}

/** ValidateSecret, without ObjectMeta. */
export function validateSecret(secret: Secret): FieldError[] {
  const errs: FieldError[] = [];
  const data: Record<string, string> = isRecord(secret.data) ? secret.data : {};
  let total = 0;
  for (const [key, value] of Object.entries(data)) {
    errs.push(...invalidEach(`data[${key}]`, key, isConfigMapKey(key)));
    total += base64DecodedLength(String(value ?? ''));
  }
  if (total > MAX_SECRET_SIZE) errs.push(field.tooLong('data', MAX_SECRET_SIZE));
  const decoded = (key: string) => Buffer.from(String(data[key] ?? ''), 'base64').toString('utf8');
  switch (secret.type) {
    case 'kubernetes.io/service-account-token':
      if (!secret.metadata.annotations?.['kubernetes.io/service-account.name']) {
        errs.push(field.required('metadata.annotations[kubernetes.io/service-account.name]'));
      }
      break;
    case 'kubernetes.io/dockercfg':
    case 'kubernetes.io/dockerconfigjson': {
      const key = secret.type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
      if (!(key in data)) {
        errs.push(field.required(`data[${key}]`));
        break;
      }
      const err = jsonObjectError(decoded(key));
      if (err) errs.push(field.invalid(`data[${key}]`, '<secret contents redacted>', err));
      break;
    }
    case 'kubernetes.io/basic-auth':
      if (!('username' in data) && !('password' in data)) {
        errs.push(field.required('data[username]'), field.required('data[password]'));
      }
      break;
    case 'kubernetes.io/ssh-auth':
      if (!data['ssh-privatekey']) errs.push(field.required('data[ssh-privatekey]'));
      break;
    case 'kubernetes.io/tls':
      if (!('tls.crt' in data)) errs.push(field.required('data[tls.crt]'));
      if (!('tls.key' in data)) errs.push(field.required('data[tls.key]'));
      break;
  }
  return errs;
}

/** The Secret strategy. */
export const secretStrategy = {
  defaults(secret) {
    normalizeSecret(secret);
  },
  validate(secret) {
    return validateSecret(secret);
  },
  validateUpdate(secret, old) {
    return [...validateImmutable(secret.type, old.type, 'type'), ...validateImmutableData(secret, old), ...validateSecret(secret)];
  },
  selectableFields(secret) {
    return { type: secret.type ?? '' };
  },
} satisfies Strategy<Secret>;
