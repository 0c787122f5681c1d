// TLS material for one emulated cluster, shaped like what kubeadm writes under /etc/kubernetes/pki:
// a self-signed "kubernetes" CA, an apiserver serving certificate with the in-cluster DNS names and
// loopback IPs, and client certificates whose CN/O become username/groups (kube-apiserver's x509
// authenticator). ECDSA P-256 keys: fast to generate, and accepted by Node's tls and by Go clients.
import 'reflect-metadata'; // @peculiar/x509 uses tsyringe, which needs the Reflect metadata polyfill
import { randomBytes, webcrypto } from 'node:crypto';
type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';
import type { Clock } from '../../sim/clock.js';

x509.cryptoProvider.set(webcrypto);

/** A certificate and its private key, both PEM (the key as PKCS#8 "PRIVATE KEY"). */
export interface CertKeyPair {
  certPem: string;
  keyPem: string;
}

/** Names a serving certificate answers to, besides the defaults every API server has. */
export interface ServingCertOptions {
  dnsNames?: string[];
  ipAddresses?: string[];
  /** Subject CN; kubeadm uses "kube-apiserver". */
  commonName?: string;
}

/** The identity a client certificate carries: CN is the username, each O a group. */
export interface ClientCertOptions {
  commonName: string;
  organizations?: string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** kubeadm's CA lifetime (client-go cert.NewSelfSignedCACert: ten years). */
const CA_VALIDITY_MS = 10 * 365 * DAY_MS;
/** kubeadm's leaf certificate lifetime (one year). */
const LEAF_VALIDITY_MS = 365 * DAY_MS;

const KEY_ALGORITHM: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const SIGNING_ALGORITHM: webcrypto.EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };

/** DNS names kubeadm puts on every apiserver serving certificate. */
export const DEFAULT_SERVING_DNS_NAMES = [
  'localhost',
  'kubernetes',
  'kubernetes.default',
  'kubernetes.default.svc',
  'kubernetes.default.svc.cluster.local',
];
/** Loopback addresses, so clients on this machine can verify https://127.0.0.1 and https://[::1]. */
export const DEFAULT_SERVING_IPS = ['127.0.0.1', '::1'];

/** A fresh self-signed CA, valid ten years from the clock's now, like kubeadm's "kubernetes" CA. */
export async function generateClusterCA(commonName: string, clock: Clock): Promise<CertKeyPair> {
  const keys = await generateKeyPair();
  const notBefore = new Date(clock.now());
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: [{ CN: [commonName] }],
    notBefore,
    notAfter: new Date(notBefore.getTime() + CA_VALIDITY_MS),
    signingAlgorithm: SIGNING_ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await exportKeyPem(keys.privateKey) };
}

/** The API server's serving certificate, signed by the cluster CA (kubeadm's apiserver.crt). */
export async function issueServingCert(ca: CertKeyPair, opts: ServingCertOptions, clock: Clock): Promise<CertKeyPair> {
  const dnsNames = unique([...DEFAULT_SERVING_DNS_NAMES, ...(opts.dnsNames ?? [])]);
  const ips = unique([...DEFAULT_SERVING_IPS, ...(opts.ipAddresses ?? [])]);
  for (const ip of ips) if (!isIP(ip)) throw new Error(`invalid IP address for a serving certificate: ${ip}`);
  const sans: x509.JsonGeneralName[] = [
    ...dnsNames.map((value) => ({ type: 'dns' as const, value })),
    ...ips.map((value) => ({ type: 'ip' as const, value })),
  ];
  return issueLeaf(ca, [{ CN: [opts.commonName ?? 'kube-apiserver'] }], x509.ExtendedKeyUsage.serverAuth, clock, [
    new x509.SubjectAlternativeNameExtension(sans),
  ]);
}

/** A client certificate for a user: CN → username, O → groups (e.g. O=system:masters for admins). */
export async function issueClientCert(ca: CertKeyPair, opts: ClientCertOptions, clock: Clock): Promise<CertKeyPair> {
  if (!opts.commonName) throw new Error('a client certificate needs a common name (the username)');
  // Go's pkix.Name orders O before CN; kubeadm's admin.conf reads "O = system:masters, CN = kubernetes-admin".
  const name: x509.JsonName = [];
  for (const o of opts.organizations ?? []) name.push({ O: [o] });
  name.push({ CN: [opts.commonName] });
  return issueLeaf(ca, name, x509.ExtendedKeyUsage.clientAuth, clock, []);
}

async function issueLeaf(
  ca: CertKeyPair,
  subject: x509.JsonName,
  usage: x509.ExtendedKeyUsage,
  clock: Clock,
  extra: x509.Extension[],
): Promise<CertKeyPair> {
  const caCert = new x509.X509Certificate(ca.certPem);
  const caKey = await importKeyPem(ca.keyPem);
  const keys = await generateKeyPair();
  const now = clock.now();
  // kubeadm starts a leaf's validity at the CA's NotBefore, so a skewed clock still accepts it.
  const notBefore = caCert.notBefore.getTime() <= now ? caCert.notBefore : new Date(now);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject,
    issuer: caCert.subject,
    notBefore,
    notAfter: new Date(Math.min(now + LEAF_VALIDITY_MS, caCert.notAfter.getTime())),
    signingAlgorithm: SIGNING_ALGORITHM,
    publicKey: keys.publicKey,
    signingKey: caKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([usage]),
      await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey),
      ...extra,
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await exportKeyPem(keys.privateKey) };
}

function generateKeyPair(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
}

async function exportKeyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

async function importKeyPem(pem: string): Promise<CryptoKey> {
  const der = x509.PemConverter.decodeFirst(pem);
  return webcrypto.subtle.importKey('pkcs8', der, KEY_ALGORITHM, false, ['sign']) as Promise<CryptoKey>;
}

// A positive 128-bit serial (RFC 5280 allows up to 20 octets); the top bit is cleared so DER
// never needs a sign byte.
function randomSerial(): string {
  const b = randomBytes(16);
  b[0] &= 0x7f;
  if (b[0] === 0) b[0] = 1;
  return b.toString('hex');
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}

/** Parsed view of a PEM certificate: subject fields, SANs and validity, for tests and `skiff` output. */
export interface CertificateSummary {
  subject: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  dnsNames: string[];
  ipAddresses: string[];
  isCA: boolean;
}

/** Reads back what a certificate says. */
export function describeCertificate(certPem: string): CertificateSummary {
  const cert = new x509.X509Certificate(certPem);
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const names = san?.names.toJSON() ?? [];
  const bc = cert.getExtension(x509.BasicConstraintsExtension);
  return {
    subject: cert.subject,
    issuer: cert.issuer,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    dnsNames: names.filter((n) => n.type === 'dns').map((n) => n.value),
    ipAddresses: names.filter((n) => n.type === 'ip').map((n) => n.value),
    isCA: bc?.ca ?? false,
  };
}
