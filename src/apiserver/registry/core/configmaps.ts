// ConfigMaps: ValidateConfigMap{,Update}. Keys must be config keys, the whole payload at most 1 MiB,
// and an immutable ConfigMap keeps its data forever.
import type { KubeObject } from '../../../api/types.js';
import { field, type FieldError } from '../../../apimachinery/errors.js';
import type { Strategy } from '../strategy.js';
import { invalidEach, isConfigMapKey } from '../../../apimachinery/validation.js';
import { deepEqual, isRecord } from './equality.js';

/** core.MaxSecretSize: the limit on ConfigMap and Secret payloads. */
export const MAX_SECRET_SIZE = 1024 * 1024;

/** A ConfigMap as the strategy sees it. */
export type ConfigMap = KubeObject & { data?: Record<string, string>; binaryData?: Record<string, string>; immutable?: boolean };

/** Decoded size of a base64 string (binaryData values arrive base64-encoded in JSON). */
export function base64DecodedLength(s: string): number {
  const clean = s.replace(/\s/g, '');
  const pad = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.floor((clean.length * 3) / 4) - pad;
}

/** ValidateConfigMap, without ObjectMeta. */
export function validateConfigMap(cm: ConfigMap): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  const data = isRecord(cm.data) ? cm.data : {};
  const binary = isRecord(cm.binaryData) ? cm.binaryData : {};
  for (const [key, value] of Object.entries(data)) {
    errs.push(...invalidEach(`data[${key}]`, key, isConfigMapKey(key)));
    if (key in binary) errs.push(field.invalid(`data[${key}]`, key, 'duplicate of key present in binaryData'));
    total += Buffer.byteLength(String(value ?? ''), 'utf8');
  }
  for (const [key, value] of Object.entries(binary)) {
    errs.push(...invalidEach(`binaryData[${key}]`, key, isConfigMapKey(key)));
    total += base64DecodedLength(String(value ?? ''));
  }
  if (total > MAX_SECRET_SIZE) errs.push(field.tooLong('', MAX_SECRET_SIZE));
  return errs;
}

/** The `immutable: true` rules shared by ConfigMaps and Secrets. */
export function validateImmutableData(obj: { immutable?: boolean; data?: unknown }, old: { immutable?: boolean; data?: unknown }, extra: string[] = []): FieldError[] {
  if (old.immutable !== true) return [];
  const errs: FieldError[] = [];
  const msg = 'field is immutable when `immutable` is set';
  if (obj.immutable !== true) errs.push(field.forbidden('immutable', msg));
  if (!deepEqual(obj.data, old.data)) errs.push(field.forbidden('data', msg));
  for (const key of extra) {
    if (!deepEqual((obj as any)[key], (old as any)[key])) errs.push(field.forbidden(key, msg));
  }
  return errs;
}

/** The ConfigMap strategy. */
export const configMapStrategy = {
  validate(cm) {
    return validateConfigMap(cm);
  },
  validateUpdate(cm, old) {
    return [...validateImmutableData(cm, old, ['binaryData']), ...validateConfigMap(cm)];
  },
} satisfies Strategy<ConfigMap>;
