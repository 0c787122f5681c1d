// Authentication: who is making a request. Mirrors kube-apiserver's chain: verified client
// certificates (CN → user, O → groups), static bearer tokens, a union that tries each in turn,
// the "system:authenticated" group added to every authenticated user, and system:anonymous for
// requests that carry no credentials at all.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { StatusError, unauthorized } from '../../apimachinery/errors.js';

/** user.Info: the identity authorization decides on. */
export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** What an authenticator may look at. */
export interface AuthenticationRequest {
  headers: IncomingHttpHeaders;
  /** The client certificate, present only if the TLS layer verified it against the cluster CA. */
  peerCertificate?: PeerCertificate;
}

/**
 * One way of recognising a caller. Resolves to the user, or null when the request carries no
 * credentials this authenticator understands; throws a 401 StatusError for credentials it
 * understands but rejects (an unknown token).
 */
export interface Authenticator {
  authenticate(req: AuthenticationRequest): Promise<UserInfo | null>;
}

/** user.AllAuthenticated. */
export const ALL_AUTHENTICATED = 'system:authenticated';
/** user.AllUnauthenticated. */
export const ALL_UNAUTHENTICATED = 'system:unauthenticated';
/** user.SystemPrivilegedGroup: allowed everything, whatever RBAC says. */
export const SYSTEM_MASTERS = 'system:masters';
/** user.Anonymous. */
export const ANONYMOUS_USERNAME = 'system:anonymous';
/** The service-account username prefix (serviceaccount.ServiceAccountUsernamePrefix). */
export const SERVICE_ACCOUNT_USERNAME_PREFIX = 'system:serviceaccount:';
/** serviceaccount.AllServiceAccountsGroup. */
export const ALL_SERVICE_ACCOUNTS_GROUP = 'system:serviceaccounts';

/** The identity of a request without credentials, as kube-apiserver's anonymous authenticator gives. */
export const ANONYMOUS: UserInfo = Object.freeze({
  username: ANONYMOUS_USERNAME,
  groups: Object.freeze([ALL_UNAUTHENTICATED]) as unknown as string[],
}) as UserInfo;

/**
 * Adds "system:authenticated" as group.AuthenticatedGroupAdder does: not to system:anonymous, and
 * not when the user already has system:authenticated or system:unauthenticated. Returns a copy.
 */
export function withAuthenticatedGroup(user: UserInfo): UserInfo {
  if (user.username === ANONYMOUS_USERNAME) return user;
  if (user.groups.includes(ALL_AUTHENTICATED) || user.groups.includes(ALL_UNAUTHENTICATED)) return user;
  return { ...user, groups: [...user.groups, ALL_AUTHENTICATED] };
}

/** "system:serviceaccount:<namespace>:<name>" (serviceaccount.MakeUsername). */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_USERNAME_PREFIX}${namespace}:${name}`;
}

/** Splits a service-account username into namespace and name, or undefined for other users. */
export function parseServiceAccountUsername(username: string): { namespace: string; name: string } | undefined {
  if (!username.startsWith(SERVICE_ACCOUNT_USERNAME_PREFIX)) return undefined;
  const rest = username.slice(SERVICE_ACCOUNT_USERNAME_PREFIX.length);
  const parts = rest.split(':');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { namespace: parts[0], name: parts[1] };
}

/** The user a service account's token stands for (serviceaccount.UserInfo), with its two groups. */
export function serviceAccountUser(namespace: string, name: string, uid?: string): UserInfo {
  const user: UserInfo = {
    username: serviceAccountUsername(namespace, name),
    groups: [ALL_SERVICE_ACCOUNTS_GROUP, `${ALL_SERVICE_ACCOUNTS_GROUP}:${namespace}`],
  };
  if (uid) user.uid = uid;
  return user;
}

/**
 * The bearer token of a request, as the bearertoken authenticator reads it: "Authorization:
 * Bearer <token>", scheme case-insensitive; undefined when absent, another scheme, or empty.
 */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const raw = headers.authorization;
  const auth = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  if (!auth) return undefined;
  const parts = auth.split(' ');
  if (parts.length < 2 || parts[0].toLowerCase() !== 'bearer') return undefined;
  const token = parts[1];
  return token ? token : undefined;
}

/** One line of a static token table (kube-apiserver --token-auth-file: token,user,uid,"groups"). */
export interface StaticToken {
  token: string;
  user: UserInfo;
}

/** A static token table; the candidate is compared against every entry in constant time. */
export class TokenAuthenticator implements Authenticator {
  private readonly entries: { digest: Buffer; user: UserInfo }[];

  constructor(tokens: StaticToken[]) {
    this.entries = tokens.map((t) => ({ digest: sha256(t.token), user: t.user }));
  }

  async authenticate(req: AuthenticationRequest): Promise<UserInfo | null> {
    const token = bearerToken(req.headers);
    if (token === undefined) return null;
    const user = this.lookup(token);
    // The bearer-token authenticator turns "not recognised" into an error, so the request fails
    // with 401 rather than falling through to anonymous.
    if (!user) throw unauthorized();
    return withAuthenticatedGroup(user);
  }

  /** The user a token belongs to, or undefined. Every entry is compared, so timing reveals nothing. */
  lookup(token: string): UserInfo | undefined {
    const digest = sha256(token);
    let found: UserInfo | undefined;
    for (const e of this.entries) {
      if (timingSafeEqual(digest, e.digest) && !found) found = e.user;
    }
    return found;
  }
}

/** Client certificates the TLS layer verified: CN is the username, O values are the groups. */
export class X509Authenticator implements Authenticator {
  async authenticate(req: AuthenticationRequest): Promise<UserInfo | null> {
    const cert = req.peerCertificate;
    if (!cert || !cert.subject) return null;
    const cn = firstValue(cert.subject.CN);
    // CommonNameUserConversion: a certificate without a CN identifies nobody.
    if (!cn) return null;
    return withAuthenticatedGroup({ username: cn, groups: allValues(cert.subject.O) });
  }
}

/**
 * Tries each authenticator in order and takes the first user found (union.New without
 * failOnError): a rejection by one does not stop the others; if none finds a user, the first
 * rejection is thrown, and with no rejection at all the request has no credentials (null).
 */
export class UnionAuthenticator implements Authenticator {
  constructor(private readonly authenticators: Authenticator[]) {}

  async authenticate(req: AuthenticationRequest): Promise<UserInfo | null> {
    let rejection: StatusError | undefined;
    for (const a of this.authenticators) {
      try {
        const user = await a.authenticate(req);
        if (user) return withAuthenticatedGroup(user);
      } catch (e) {
        if (!(e instanceof StatusError)) throw e;
        rejection ??= e;
      }
    }
    if (rejection) throw rejection;
    return null;
  }
}

/**
 * The full decision kube-apiserver makes: the authenticated user, else system:anonymous when
 * anonymous requests are allowed (the default), else 401.
 */
export async function authenticateRequest(
  authenticator: Authenticator,
  req: AuthenticationRequest,
  opts: { allowAnonymous?: boolean } = {},
): Promise<UserInfo> {
  const user = await authenticator.authenticate(req);
  if (user) return user;
  if (opts.allowAnonymous ?? true) return ANONYMOUS;
  throw unauthorized();
}

/** The client certificate of a TLS socket, only when it chained to a trusted CA (socket.authorized). */
export function verifiedPeerCertificate(socket: TLSSocket): PeerCertificate | undefined {
  if (!socket.authorized) return undefined;
  const cert = socket.getPeerCertificate();
  return cert && Object.keys(cert).length > 0 ? cert : undefined;
}

function sha256(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

// Node gives a multi-valued RDN (O=a, O=b) as an array and a single one as a string.
function allValues(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? [...v] : [v];
}

function firstValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
