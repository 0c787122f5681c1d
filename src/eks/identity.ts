// Who calls the EKS API. SigV4 signatures are accepted without verification (there is no secret to
// check them against): the access key ID in the credential scope names the caller, through an
// identity table, as IAM would resolve it. Unknown keys become an IAM user of the default account
// named after the key, so every caller has a stable principal.
import { existsSync, readFileSync } from 'node:fs';

/** The account the seeds use. */
export const DEFAULT_ACCOUNT_ID = '123456789012';

/** One line of the identity table. */
export interface IdentityEntry {
  accessKeyId: string;
  /** The principal: arn:aws:iam::<account>:user/<name> or :role/<name>. */
  arn: string;
  /** When known, `k8s-aws-v1.` tokens signed with this key are verified. */
  secretAccessKey?: string;
}

/** The caller of one request. */
export interface Caller {
  accessKeyId: string;
  arn: string;
  accountId: string;
  region: string;
  secretAccessKey?: string;
}

/** The SigV4 credential scope: AKID/yyyymmdd/region/service/aws4_request. */
export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

export function parseCredentialScope(credential: string): CredentialScope | undefined {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request' || !parts[0]) return undefined;
  return { accessKeyId: parts[0], date: parts[1], region: parts[2], service: parts[3] };
}

/** The credential scope of an `Authorization: AWS4-HMAC-SHA256 Credential=..., ...` header. */
export function credentialFromAuthorization(header: string | undefined): CredentialScope | undefined {
  if (!header) return undefined;
  const m = /^AWS4-HMAC-SHA256\s+(.*)$/s.exec(header.trim());
  if (!m) return undefined;
  for (const part of m[1].split(',')) {
    const [k, v] = part.trim().split('=', 2);
    if (k === 'Credential' && v) return parseCredentialScope(v);
  }
  return undefined;
}

/** Resolves access key IDs to principals. */
export class IdentityTable {
  private readonly byKey = new Map<string, IdentityEntry>();

  constructor(
    entries: IdentityEntry[] = [],
    readonly defaultAccountId = DEFAULT_ACCOUNT_ID,
  ) {
    for (const e of entries) this.byKey.set(e.accessKeyId, e);
  }

  /** Reads identities.json (an array of entries) if the file exists. */
  static load(path: string, defaultAccountId = DEFAULT_ACCOUNT_ID): IdentityTable {
    if (!existsSync(path)) return new IdentityTable([], defaultAccountId);
    let entries: unknown;
    try {
      entries = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new Error(`${path}: not valid JSON: ${(e as Error).message}`);
    }
    if (!Array.isArray(entries)) throw new Error(`${path}: expected an array of {accessKeyId, arn}`);
    entries.forEach((e, i) => {
      if (typeof e?.accessKeyId !== 'string' || !e.accessKeyId) throw new Error(`${path}: [${i}].accessKeyId: Required value`);
      if (typeof e?.arn !== 'string' || !parseIamArn(e.arn)) throw new Error(`${path}: [${i}].arn: must be an IAM user or role ARN, got ${JSON.stringify(e?.arn)}`);
    });
    return new IdentityTable(entries as IdentityEntry[], defaultAccountId);
  }

  add(entry: IdentityEntry): void {
    this.byKey.set(entry.accessKeyId, entry);
  }

  resolve(accessKeyId: string, region: string): Caller {
    const e = this.byKey.get(accessKeyId);
    const arn = e?.arn ?? `arn:aws:iam::${this.defaultAccountId}:user/${accessKeyId}`;
    return { accessKeyId, arn, accountId: parseIamArn(arn)!.accountId, region, secretAccessKey: e?.secretAccessKey };
  }
}

/** arn:aws:iam::<account>:user/<path/name> or role/<path/name> (and sts assumed-role). */
export function parseIamArn(arn: string): { accountId: string; kind: 'user' | 'role' | 'assumed-role' | 'root'; name: string } | undefined {
  const m = /^arn:aws[a-z-]*:(iam|sts)::(\d{12}):(user|role|assumed-role|root)(?:\/(.+))?$/.exec(arn);
  if (!m) return undefined;
  const kind = m[3] as 'user' | 'role' | 'assumed-role' | 'root';
  if (kind !== 'root' && !m[4]) return undefined;
  return { accountId: m[2], kind, name: m[4] ?? '' };
}
