import http from 'node:http';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { decodeKubernetesProtobuf, encodeKubernetesProtobuf } from './codec.js';
const run = promisify(execFile);
const bodies: Buffer[] = [];
const srv = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    if (req.method === 'POST') { bodies.push(body); res.writeHead(201, { 'content-type': String(req.headers['content-type']) }); res.end(body); return; }
    const path = new URL(req.url ?? '/', 'http://x').pathname; const json = (o: unknown) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify(o)); };
    if (path === '/api') return json({ kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] });
    if (path === '/apis') return json({ kind: 'APIGroupList', apiVersion: 'v1', groups: [] });
    if (path === '/api/v1') return json({ kind: 'APIResourceList', groupVersion: 'v1', resources: [{ name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['get', 'list', 'create'] }] });
    res.writeHead(404, { 'content-type': 'application/json' }); res.end('{}');
  });
});
await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
const port = (srv.address() as { port: number }).port;
const cmds = process.argv.slice(2).map((c) => c.split('|'));
const env = { ...process.env, KUBECONFIG: '/nonexistent/kubeconfig' };
for (const args of cmds) {
  bodies.length = 0;
  const dry = await run('kubectl', ['-n', 'default', ...args.slice(0, 2), '--dry-run=client', '-o', 'json', ...args.slice(2)], { env }).catch((e) => ({ stdout: '', stderr: String(e) }));
  const real = await run('kubectl', [`--server=http://127.0.0.1:${port}`, '-n', 'default', ...args.slice(0, 2), ...(args[0] === 'create' ? ['--validate=false'] : []), ...args.slice(2)], { env }).catch((e) => ({ stdout: '', stderr: String(e) }));
  const body = bodies[0];
  if (!body) { console.log('NO BODY', args.join(' '), real.stderr.slice(0, 300)); continue; }
  const dec = decodeKubernetesProtobuf(body);
  const same = JSON.stringify(dec.object) === (dry.stdout ? JSON.stringify(JSON.parse(dry.stdout)) : '');
  const re = encodeKubernetesProtobuf(dec.object, dec.apiVersion, dec.kind);
  console.log(args.join(' '), 'json-equal:', same, 'bytes-equal:', re.equals(body));
  if (!same) { console.log(' got ', JSON.stringify(dec.object)); console.log(' want', dry.stdout ? JSON.stringify(JSON.parse(dry.stdout)) : dry.stderr.slice(0,300)); }
  if (!re.equals(body)) { console.log(' body', body.toString('hex')); console.log(' mine', re.toString('hex')); }
}
srv.close();
