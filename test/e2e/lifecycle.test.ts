// The CLI contract: skiff up / status / down, restarts that bring every object back, a clean stop on
// SIGTERM, and no acknowledged write lost to kill -9.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { request, Agent } from 'node:https';
import YAML from 'yaml';
import { haveKubectl, ok, skiffCli, SkiffProcess } from './harness.js';

const skip = haveKubectl() ? false : 'kubectl is not installed (CI installs Debian kubernetes-client)';

interface Kubeconfig {
  server: string;
  ca: string;
  token: string;
}

function readKubeconfig(path: string): Kubeconfig {
  const kc = YAML.parse(readFileSync(path, 'utf8'));
  const ctx = kc.contexts.find((c: { name: string }) => c.name === kc['current-context']).context;
  const cluster = kc.clusters.find((c: { name: string }) => c.name === ctx.cluster).cluster;
  const user = kc.users.find((u: { name: string }) => u.name === ctx.user).user;
  return { server: cluster.server, ca: Buffer.from(cluster['certificate-authority-data'], 'base64').toString(), token: user.token };
}

/** POSTs a ConfigMap over HTTPS, verifying the server against the kubeconfig's CA. */
function postConfigMap(kc: Kubeconfig, agent: Agent, name: string): Promise<number> {
  const url = new URL('/api/v1/namespaces/default/configmaps', kc.server);
  const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { n: name } });
  return new Promise((resolve) => {
    const req = request(
      url,
      { method: 'POST', agent, ca: kc.ca, headers: { authorization: `Bearer ${kc.token}`, 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

describe('skiff up, status and down', { skip }, () => {
  const started: SkiffProcess[] = [];
  after(async () => {
    for (const p of started) await p.destroy();
  });

  test('up prints how to point kubectl at it and writes a working kubeconfig', async () => {
    const p = await SkiffProcess.start();
    started.push(p);
    assert.match(p.output, /^skiff is serving 1 cluster\(s\) on https:\/\/127\.0\.0\.1:\d+$/m);
    assert.match(p.output, new RegExp(`^export KUBECONFIG=${p.kubeconfig}$`, 'm'));
    const kc = readKubeconfig(p.kubeconfig);
    assert.match(kc.server, /^https:\/\/127\.0\.0\.1:[1-9]\d*$/, '--port 0 picked a real port');
    assert.match(kc.ca, /^-----BEGIN CERTIFICATE-----/);
    assert.match(ok(p.kubectl(['cluster-info'])), /Kubernetes control plane is running at https:\/\/127\.0\.0\.1:\d+/);
  });

  test('status reports a running skiff; down stops it; status then says it is not running', async () => {
    const p = await SkiffProcess.start();
    started.push(p);
    const st = skiffCli(['status', '--data-dir', p.dataDir]);
    assert.equal(st.code, 0, st.stderr);
    assert.match(st.stdout, new RegExp(`^skiff is running \\(pid ${p.pid}\\) on https://127\\.0\\.0\\.1:\\d+$`, 'm'));
    assert.match(st.stdout, /^ {2}skiff$/m);
    const down = skiffCli(['down', '--data-dir', p.dataDir]);
    assert.equal(down.code, 0, down.stderr);
    assert.equal(down.stdout.trim(), `skiff stopped (pid ${p.pid})`);
    const again = skiffCli(['status', '--data-dir', p.dataDir]);
    assert.equal(again.code, 1);
    assert.match(again.stdout, /^skiff is not running/);
    assert.equal(existsSync(`${p.dataDir}/skiff.json`), false);
  });

  test('SIGTERM stops cleanly, and starting again on the same data dir brings every object back', async () => {
    const p = await SkiffProcess.start();
    started.push(p);
    ok(p.kubectl(['apply', '-f', '-'], { input: YAML.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'keep' } }) }));
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kept', namespace: 'keep' }, data: { a: '1' } };
    ok(p.kubectl(['apply', '-f', '-'], { input: YAML.stringify(cm) }));
    const before = JSON.parse(ok(p.kubectl(['get', 'configmap', 'kept', '-n', 'keep', '-o', 'json'])));
    assert.equal(await p.stop('SIGTERM'), 0, 'exit code 0 after SIGTERM');
    await p.up();
    const afterObj = JSON.parse(ok(p.kubectl(['get', 'configmap', 'kept', '-n', 'keep', '-o', 'json'])));
    assert.deepEqual(afterObj, before, 'same object, uid and resourceVersion');
    assert.match(ok(p.kubectl(['apply', '-f', '-'], { input: YAML.stringify(cm) })), /configmap\/kept unchanged/);
  });

  test('a second skiff on the same data dir is refused', async () => {
    const p = await SkiffProcess.start();
    started.push(p);
    const r = skiffCli(['up', '--data-dir', p.dataDir, '--port', '0']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`^error: skiff is already running for ${p.dataDir} \\(pid ${p.pid}, port \\d+\\)`));
  });

  test('bad command lines get a clear error', () => {
    const flag = skiffCli(['up', '--bogus']);
    assert.equal(flag.code, 1);
    assert.match(flag.stderr, /^error: unknown flag: --bogus/);
    const port = skiffCli(['up', '--port', 'http']);
    assert.equal(port.code, 1);
    assert.match(port.stderr, /^error: invalid argument "http" for "--port" flag/);
    const cmd = skiffCli(['launch']);
    assert.equal(cmd.code, 1);
    assert.match(cmd.stderr, /^error: unknown command "launch" for "skiff"/);
  });

  test('kill -9 loses no acknowledged write', async () => {
    const p = await SkiffProcess.start();
    started.push(p);
    const kc = readKubeconfig(p.kubeconfig);
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const acked: string[] = [];
    let i = 0;
    let killed = false;
    const writer = async () => {
      while (!killed) {
        const name = `durable-${i++}`;
        const code = await postConfigMap(kc, agent, name);
        if (code === 201) acked.push(name);
      }
    };
    const writers = Array.from({ length: 8 }, writer);
    while (acked.length < 200) await new Promise((r) => setImmediate(r));
    await p.stop('SIGKILL');
    killed = true;
    await Promise.all(writers);
    agent.destroy();
    await p.up();
    const names = new Set(
      (JSON.parse(ok(p.kubectl(['get', 'configmaps', '-n', 'default', '-o', 'json']))).items as { metadata: { name: string } }[]).map((o) => o.metadata.name),
    );
    const lost = acked.filter((n) => !names.has(n));
    assert.deepEqual(lost, [], `${acked.length} acknowledged creates, all present after kill -9`);
  });
});
