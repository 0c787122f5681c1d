// EKS's IAM authentication: a bearer token "k8s-aws-v1." + base64url(presigned STS
// GetCallerIdentity URL), as `aws eks get-token` and aws-iam-authenticator make it. Checked as
// aws-iam-authenticator checks it: an STS host, action GetCallerIdentity, the x-k8s-aws-id header
// among the signed headers, and a signing date within the 15 minutes the token lives. STS is not
// there to verify the signature, so the access key ID names the principal (through the caller's
// resolver); when the resolver knows the key's secret, the signature is verified too, which is what
// proves the token was made for this cluster (x-k8s-aws-id is signed, not sent).
import { createHash, createHmac } from 'node:crypto';
import { unauthorized } from '../../apimachinery/errors.js';
import type { Clock } from '../../sim/clock.js';
import { bearerToken, withAuthenticatedGroup, type AuthenticationRequest, type Authenticator, type UserInfo } from './authn.js';

export const TOKEN_PREFIX = 'k8s-aws-v1.';
/** aws-iam-authenticator's presignedURLExpiration. */
const TOKEN_LIFETIME_MS = 15 * 60 * 1000;

/** What a valid token says. */
export interface IamToken {
  accessKeyId: string;
  region: string;
  signedAt: number;
  url: URL;
}

/** Decodes and checks a token; throws an Error saying why it is not valid. */
export function parseIamToken(token: string, now: number): IamToken {
  if (!token.startsWith(TOKEN_PREFIX)) throw new Error('token is missing expected "k8s-aws-v1." prefix');
  let url: URL;
  try {
    url = new URL(Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    throw new Error('could not parse pre-signed URL');
  }
  if (url.protocol !== 'https:') throw new Error(`unexpected scheme "${url.protocol.replace(':', '')}" in pre-signed URL`);
  if (!/^sts(\.[a-z0-9-]+)?\.amazonaws\.com(\.cn)?$/.test(url.hostname)) throw new Error(`unexpected hostname "${url.hostname}" in pre-signed URL`);
  if (url.pathname !== '/') throw new Error('unexpected path in pre-signed URL');
  const q = url.searchParams;
  if (q.get('Action') !== 'GetCallerIdentity') throw new Error('unexpected action parameter in pre-signed URL');
  const signed = (q.get('X-Amz-SignedHeaders') ?? '').split(';');
  if (!signed.includes('x-k8s-aws-id')) throw new Error('client did not sign the x-k8s-aws-id header in the pre-signed URL');
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(q.get('X-Amz-Date') ?? '');
  if (!date) throw new Error('error parsing X-Amz-Date parameter');
  const signedAt = Date.UTC(+date[1], +date[2] - 1, +date[3], +date[4], +date[5], +date[6]);
  if (now > signedAt + TOKEN_LIFETIME_MS) throw new Error('X-Amz-Date parameter is expired (15 minute expiration)');
  const credential = (q.get('X-Amz-Credential') ?? '').split('/');
  if (credential.length !== 5 || !credential[0]) throw new Error('malformed X-Amz-Credential parameter');
  return { accessKeyId: credential[0], region: credential[2], signedAt, url };
}

/** Whether the URL's SigV4 query signature is right for the secret, signed with x-k8s-aws-id = clusterId. */
export function verifyIamTokenSignature(t: IamToken, secretAccessKey: string, clusterId: string): boolean {
  const q = t.url.searchParams;
  const signature = q.get('X-Amz-Signature') ?? '';
  const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  const query = [...q.entries()]
    .filter(([k]) => k !== 'X-Amz-Signature')
    .map(([k, v]) => [enc(k), enc(v)])
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const signedHeaders = q.get('X-Amz-SignedHeaders')!;
  const headers: Record<string, string> = { host: t.url.host, 'x-k8s-aws-id': clusterId };
  const canonicalHeaders = signedHeaders.split(';').map((h) => `${h}:${headers[h] ?? ''}\n`).join('');
  const scope = (q.get('X-Amz-Credential') ?? '').split('/').slice(1).join('/');
  const amzDate = q.get('X-Amz-Date')!;
  const [day, region, service] = scope.split('/');
  let key: Buffer = hmac(`AWS4${secretAccessKey}`, day);
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
  // botocore signs presigned URLs with UNSIGNED-PAYLOAD; the Go SDK with the empty body's hash.
  for (const payload of ['UNSIGNED-PAYLOAD', sha256('')]) {
    const canonical = ['GET', '/', query, canonicalHeaders, signedHeaders, payload].join('\n');
    const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
    if (createHmac('sha256', key).update(toSign).digest('hex') === signature) return true;
  }
  return false;
}

const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Maps a token's access key to the cluster's view of the principal; null when it has no access. */
export type IamResolver = (token: IamToken) => Promise<UserInfo | null>;

export class AwsIamAuthenticator implements Authenticator {
  constructor(
    private readonly clock: Clock,
    private readonly resolve: IamResolver,
    private readonly log: (message: string) => void = () => {},
  ) {}

  async authenticate(req: AuthenticationRequest): Promise<UserInfo | null> {
    const token = bearerToken(req.headers);
    if (token === undefined || !token.startsWith(TOKEN_PREFIX)) return null;
    let parsed: IamToken;
    try {
      parsed = parseIamToken(token, this.clock.now());
    } catch (e) {
      this.log(`aws-iam: rejected token: ${(e as Error).message}`);
      throw unauthorized();
    }
    const user = await this.resolve(parsed);
    if (!user) throw unauthorized();
    return withAuthenticatedGroup(user);
  }
}
