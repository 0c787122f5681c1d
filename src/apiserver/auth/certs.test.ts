import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { realClock, VirtualClock } from '../../sim/clock.js';
import { verifiedPeerCertificate, X509Authenticator } from './authn.js';
import { describeCertificate, generateClusterCA, issueClientCert, issueServingCert, type CertKeyPair } from './certs.js';

const DAY = 24 * 60 * 60 * 1000;

describe('certificate contents', () => {
  const start = Date.UTC(2030, 5, 1, 12, 0, 0);
  let ca: CertKeyPair;
  before(async () => {
    ca = await generateClusterCA('kubernetes', new VirtualClock(start));
  });

  test('the CA is self-signed, marked CA, and valid ten years from the clock', () => {
    const d = describeCertificate(ca.certPem);
    assert.equal(d.subject, 'CN=kubernetes');
    assert.equal(d.issuer, 'CN=kubernetes');
    assert.equal(d.isCA, true);
    assert.equal(d.notBefore.getTime(), start);
    assert.equal(d.notAfter.getTime(), start + 10 * 365 * DAY);
    assert.match(ca.keyPem, /^-----BEGIN PRIVATE KEY-----/);
  });

  test('a serving certificate carries the in-cluster names, loopback IPs and any extras', async () => {
    const clock = new VirtualClock(start + 30 * DAY);
    const s = await issueServingCert(ca, { dnsNames: ['api.skiff.local'], ipAddresses: ['10.100.0.1'] }, clock);
    const d = describeCertificate(s.certPem);
    assert.equal(d.issuer, 'CN=kubernetes');
    assert.equal(d.isCA, false);
    assert.deepEqual(d.dnsNames, [
      'localhost',
      'kubernetes',
      'kubernetes.default',
      'kubernetes.default.svc',
      'kubernetes.default.svc.cluster.local',
      'api.skiff.local',
    ]);
    assert.deepEqual(d.ipAddresses, ['127.0.0.1', '::1', '10.100.0.1']);
    assert.equal(d.notBefore.getTime(), start, 'starts at the CA NotBefore, as kubeadm does');
    assert.equal(d.notAfter.getTime(), start + 30 * DAY + 365 * DAY);
  });

  test('a client certificate puts the groups in O and the username in CN', async () => {
    const c = await issueClientCert(ca, { commonName: 'jane', organizations: ['dev', 'system:masters'] }, new VirtualClock(start));
    assert.equal(describeCertificate(c.certPem).subject, 'O=dev, O=system:masters, CN=jane');
  });

  test('rejects a serving certificate for a malformed IP address', async () => {
    await assert.rejects(issueServingCert(ca, { ipAddresses: ['10.0.0.300'] }, new VirtualClock(start)), /invalid IP address/);
  });
});

// A real TLS round trip through Node's https module: the server presents the serving cert, the
// client trusts only the cluster CA, and the server sees a verified client certificate.
describe('TLS round trip', () => {
  let ca: CertKeyPair;
  let otherCA: CertKeyPair;
  let server: https.Server;
  let port: number;

  before(async () => {
    ca = await generateClusterCA('kubernetes', realClock);
    otherCA = await generateClusterCA('someone-else', realClock);
    const serving = await issueServingCert(ca, {}, realClock);
    const x509 = new X509Authenticator();
    server = https.createServer(
      { key: serving.keyPem, cert: serving.certPem, ca: [ca.certPem], requestCert: true, rejectUnauthorized: false },
      (req, res) => {
        const peerCertificate = verifiedPeerCertificate(req.socket as TLSSocket);
        x509.authenticate({ headers: req.headers, peerCertificate }).then(
          (user) => res.end(JSON.stringify({ user })),
          (e: Error) => res.end(JSON.stringify({ error: e.message })),
        );
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function get(opts: https.RequestOptions): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const req = https.request({ port, path: '/', agent: false, ...opts }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve(JSON.parse(body)));
      });
      req.on('error', reject);
      req.end();
    });
  }

  test('a client trusting only the cluster CA verifies the server by IP and by name', async () => {
    assert.deepEqual(await get({ host: '127.0.0.1', ca: ca.certPem }), { user: null });
    assert.deepEqual(await get({ host: '127.0.0.1', servername: 'kubernetes.default.svc', ca: ca.certPem }), { user: null });
  });

  test('a client trusting another CA refuses the server', async () => {
    await assert.rejects(get({ host: '127.0.0.1', ca: otherCA.certPem }), /self.signed|unable to verify|certificate/i);
  });

  test('the server maps a verified client certificate to CN → user and O → groups', async () => {
    const client = await issueClientCert(ca, { commonName: 'kubernetes-admin', organizations: ['system:masters'] }, realClock);
    assert.deepEqual(await get({ host: '127.0.0.1', ca: ca.certPem, cert: client.certPem, key: client.keyPem }), {
      user: { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] },
    });
  });

  test('a client certificate with several organizations yields several groups', async () => {
    const client = await issueClientCert(ca, { commonName: 'jane', organizations: ['dev', 'ops'] }, realClock);
    assert.deepEqual(await get({ host: '127.0.0.1', ca: ca.certPem, cert: client.certPem, key: client.keyPem }), {
      user: { username: 'jane', groups: ['dev', 'ops', 'system:authenticated'] },
    });
  });

  test('a client certificate from an untrusted CA identifies nobody', async () => {
    const forged = await issueClientCert(otherCA, { commonName: 'kubernetes-admin', organizations: ['system:masters'] }, realClock);
    assert.deepEqual(await get({ host: '127.0.0.1', ca: ca.certPem, cert: forged.certPem, key: forged.keyPem }), { user: null });
  });
});
