// Issue 4's acceptance, through the real kubectl: the default cluster's nodes, Deployments rolling
// within maxSurge/maxUnavailable, rollout history and undo, a StatefulSet with EBS-backed claims in
// its pods' zones, FailedScheduling, a dead kubelet's pods evicted and replaced, PDB-guarded
// eviction, Jobs and a CronJob on the virtual clock, events, describe and logs. skiff runs with
// `--clock virtual`: real-time speed, fast-forwarded by the test where kubelets and controllers wait.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { RestClient } from '../../src/client/rest.js';
import { HttpsTransport } from '../../src/client/transport.js';
import { realClock } from '../../src/sim/clock.js';
import { seedsDir } from '../fixtures/fixtures.js';
import { haveKubectl, ok, skiffCli, SkiffProcess } from './harness.js';
import { kubectlInBackground } from './waiting.js';

const skip = haveKubectl() ? false : 'kubectl is not installed (apt-get install kubernetes-client)';

/** A seed document with the spec.selector (and matching template labels) EKS requires added. */
function withSelector(file: string, app: string): string {
  const doc = parseYaml(readFileSync(join(seedsDir(), 'invalid', file), 'utf8'));
  doc.spec.selector = { matchLabels: { app } };
  doc.spec.template.metadata = { ...(doc.spec.template.metadata ?? {}), labels: { app } };
  return stringify(doc);
}

/** Parses kubectl's stream of concatenated JSON objects (watch -o json). */
function jsonStream(text: string): any[] {
  const out: any[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{') {
      if (depth++ === 0) start = i;
    } else if (ch === '}' && --depth === 0) out.push(JSON.parse(text.slice(start, i + 1)));
  }
  return out;
}

describe('workloads come alive (kubectl)', { skip }, () => {
  let skiff: SkiffProcess;
  let client: RestClient;
  let transport: HttpsTransport;
  const k = (...args: string[]) => ok(skiff.kubectl(args));

  /** Fast-forwards skiff's virtual clock. */
  const advance = async (duration: string) => {
    await client.requestJSON('POST', '/skiff/v1/clock/advance', { query: new URLSearchParams({ duration }) });
  };

  /** Polls check, fast-forwarding `step` of virtual time between tries, until it returns a value. */
  async function until<T>(what: string, check: () => T | undefined, step = '2s', tries = 150): Promise<T> {
    for (let i = 0; i < tries; i++) {
      const v = check();
      if (v !== undefined && v !== false) return v;
      await advance(step);
      await realClock.sleep(30);
    }
    throw new Error(`gave up waiting for ${what}`);
  }

  /** Runs a kubectl that waits (rollout status, wait) while the clock is fast-forwarded. */
  async function waiting(args: string[], step = '2s'): Promise<string> {
    const bg = kubectlInBackground(skiff, args);
    for (let i = 0; i < 300 && !bg.exited(); i++) {
      await advance(step);
      await realClock.sleep(50);
    }
    return ok(await bg.done);
  }

  const zoneOf = new Map<string, string>();
  const podNodes = (ns: string, selector: string) =>
    k('get', 'pods', '-n', ns, '-l', selector, '-o', 'jsonpath={range .items[*]}{.metadata.name} {.spec.nodeName} {.metadata.deletionTimestamp}{"\\n"}{end}')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' '));

  before(async () => {
    skiff = await SkiffProcess.start(undefined, ['--clock', 'virtual']);
    transport = HttpsTransport.fromKubeconfig(skiff.kubeconfig);
    client = new RestClient(transport);
    await until('six Ready nodes', () => {
      const out = skiff.kubectl(['get', 'nodes', '--no-headers']).stdout;
      return out.split('\n').filter((l) => / Ready /.test(l)).length === 6 || undefined;
    });
    for (const line of k('get', 'nodes', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.metadata.labels.topology\\.kubernetes\\.io/zone}{"\\n"}{end}').trim().split('\n')) {
      const [name, zone] = line.split(' ');
      zoneOf.set(name, zone);
    }
    k('create', 'namespace', 'gw');
    k('create', 'namespace', 'db');
  });
  after(async () => {
    transport?.close();
    await skiff?.destroy();
  });

  test('the default cluster has six m5.large nodes over three zones', () => {
    const out = k('get', 'nodes', '-L', 'topology.kubernetes.io/zone,node.kubernetes.io/instance-type');
    const lines = out.trim().split('\n');
    assert.match(lines[0], /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+ZONE\s+INSTANCE-TYPE$/);
    assert.equal(lines.length, 7);
    for (const l of lines.slice(1)) assert.match(l, /^ip-192-168-\d+-\d+\.ec2\.internal\s+Ready\s+<none>\s+\S+\s+v1\.32\.\S+\s+us-east-1[abc]\s+m5\.large$/);
    const zones = [...zoneOf.values()].sort();
    assert.deepEqual(zones, ['us-east-1a', 'us-east-1a', 'us-east-1b', 'us-east-1b', 'us-east-1c', 'us-east-1c']);
  });

  test("seed 002's api-gateway Deployment rolls out, its pods spread over the three zones", async () => {
    k('apply', '-n', 'gw', '-f', skiff.file('api-gateway.yaml', withSelector('seed002-09-deployment-api-gateway.yaml', 'api-gateway')));
    const out = await waiting(['rollout', 'status', 'deployment/api-gateway', '-n', 'gw', '--timeout=5m']);
    assert.match(out, /deployment "api-gateway" successfully rolled out/);
    const pods = podNodes('gw', 'app=api-gateway');
    assert.equal(pods.length, 3);
    assert.deepEqual(new Set(pods.map(([, node]) => zoneOf.get(node))).size, 3, `pods on ${pods.map((p) => p[1]).join(', ')}`);
    assert.match(k('get', 'deploy', 'api-gateway', '-n', 'gw'), /api-gateway\s+3\/3\s+3\s+3\s/);
  });

  test('kubectl set image rolls within maxSurge and maxUnavailable; history and undo work', async () => {
    const watch = kubectlInBackground(skiff, ['get', 'pods', '-n', 'gw', '-l', 'app=api-gateway', '--watch', '--output-watch-events', '-o', 'json']);
    await realClock.sleep(500);
    k('set', 'image', 'deployment/api-gateway', '-n', 'gw', 'api-gateway=api-gateway:v2.0.0');
    await waiting(['rollout', 'status', 'deployment/api-gateway', '-n', 'gw', '--timeout=5m']);
    await realClock.sleep(500);
    const events = jsonStream((await stopWatch(watch)).stdout);
    // Replay the watch: with 3 replicas and 25%/25%, maxSurge rounds up to 1 and maxUnavailable down to 0.
    const pods = new Map<string, any>();
    let maxLive = 0;
    let minReady = Infinity;
    for (const e of events) {
      const p = e.object;
      if (e.type === 'DELETED') pods.delete(p.metadata.name);
      else pods.set(p.metadata.name, p);
      const live = [...pods.values()].filter((x) => !x.metadata.deletionTimestamp && !['Succeeded', 'Failed'].includes(x.status?.phase));
      const ready = live.filter((x) => x.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'));
      maxLive = Math.max(maxLive, live.length);
      if (pods.size >= 3) minReady = Math.min(minReady, ready.length);
    }
    assert.ok(events.length > 10, `the watch saw ${events.length} events`);
    assert.equal(maxLive, 4, 'surge reached but never exceeded 3 + maxSurge 1');
    assert.equal(minReady, 3, 'never below 3 − maxUnavailable 0 ready pods');
    const history = k('rollout', 'history', 'deployment/api-gateway', '-n', 'gw');
    assert.match(history, /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    assert.match(k('rollout', 'undo', 'deployment/api-gateway', '-n', 'gw'), /deployment.apps\/api-gateway rolled back/);
    await waiting(['rollout', 'status', 'deployment/api-gateway', '-n', 'gw', '--timeout=5m']);
    assert.equal(k('get', 'deploy', 'api-gateway', '-n', 'gw', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'), 'api-gateway:latest');
    assert.match(k('rollout', 'history', 'deployment/api-gateway', '-n', 'gw'), /\n2\s+<none>\n3\s+<none>/);
  });

  test("seed 002's Postgres StatefulSet creates its claims, bound in each pod's zone, pods in order", async () => {
    k('create', 'secret', 'generic', 'postgres-secret', '-n', 'db', '--from-literal=username=app', '--from-literal=password=s3cret');
    k('apply', '-f', join(seedsDir(), 'builtin', 'seed002-17-storageclass-fast-ssd.yaml'));
    k('apply', '-n', 'db', '-f', skiff.file('postgres.yaml', withSelector('seed002-19-statefulset-postgres.yaml', 'postgres')));
    await waiting(['rollout', 'status', 'statefulset/postgres', '-n', 'db', '--timeout=5m']);
    const pvcs = k('get', 'pvc', '-n', 'db');
    for (let i = 0; i < 3; i++) assert.match(pvcs, new RegExp(`postgres-storage-postgres-${i}\\s+Bound\\s+pvc-\\S+\\s+100Gi\\s+RWO\\s+fast-ssd`));
    const pods = JSON.parse(k('get', 'pods', '-n', 'db', '-l', 'app=postgres', '-o', 'json')).items;
    const byName = new Map<string, any>(pods.map((p: any) => [p.metadata.name, p]));
    for (let i = 0; i < 3; i++) {
      const pod = byName.get(`postgres-${i}`);
      const pvName = k('get', 'pvc', `postgres-storage-postgres-${i}`, '-n', 'db', '-o', 'jsonpath={.spec.volumeName}');
      const pv = JSON.parse(k('get', 'pv', pvName, '-o', 'json'));
      const pvZone = pv.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions.find((e: any) => e.key.endsWith('zone')).values[0];
      assert.equal(pvZone, zoneOf.get(pod.spec.nodeName), `postgres-${i}'s volume is in its node's zone`);
      if (i > 0) {
        const prev = byName.get(`postgres-${i - 1}`);
        const prevReady = prev.status.conditions.find((c: any) => c.type === 'Ready').lastTransitionTime;
        assert.ok(Date.parse(pod.metadata.creationTimestamp) >= Date.parse(prevReady), `postgres-${i} was created after postgres-${i - 1} was Ready`);
      }
    }
  });

  test('a PodDisruptionBudget with minAvailable refuses an eviction that would violate it', async () => {
    k('create', 'poddisruptionbudget', 'gw-pdb', '-n', 'gw', '--selector=app=api-gateway', '--min-available=3');
    await until('the PDB to count healthy pods', () => /gw-pdb\s+3\s+N\/A\s+0\s/.test(k('get', 'pdb', '-n', 'gw')) || undefined);
    const [pod] = podNodes('gw', 'app=api-gateway')[0];
    const eviction = skiff.file('eviction.json', JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod, namespace: 'gw' } }));
    const refused = skiff.kubectl(['create', '--raw', `/api/v1/namespaces/gw/pods/${pod}/eviction`, '-f', eviction]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /Error from server \(TooManyRequests\): Cannot evict pod as it would violate the pod's disruption budget\./);
    k('patch', 'pdb', 'gw-pdb', '-n', 'gw', '--type=merge', '-p', '{"spec":{"minAvailable":2}}');
    await until('one disruption to be allowed', () => /gw-pdb\s+2\s+N\/A\s+1\s/.test(k('get', 'pdb', '-n', 'gw')) || undefined);
    k('create', '--raw', `/api/v1/namespaces/gw/pods/${pod}/eviction`, '-f', eviction);
    // Evicted: terminating, or already gone (its containers may stop within a few hundred ms).
    const after = k('get', 'pod', pod, '-n', 'gw', '--ignore-not-found', '-o', 'jsonpath={.metadata.name} {.metadata.deletionTimestamp}');
    assert.match(after, new RegExp(`^(|${pod} \\d{4}-.*)$`), `the evicted pod is neither terminating nor gone: ${JSON.stringify(after)}`);
    k('delete', 'pdb', 'gw-pdb', '-n', 'gw');
    await waiting(['rollout', 'status', 'deployment/api-gateway', '-n', 'gw', '--timeout=5m']);
  });

  test("a node whose kubelet stops goes NotReady, its pods are evicted and run elsewhere", async () => {
    const [, node] = podNodes('gw', 'app=api-gateway').find(([, , deleting]) => !deleting)!;
    const stopped = skiffCli(['nodes', 'stop-kubelet', node, '--data-dir', skiff.dataDir]);
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.equal(stopped.stdout.trim(), `node/${node} kubelet stopped`);
    await until('the node to go NotReady', () => new RegExp(`^${node.replace(/\./g, '\\.')}\\s+NotReady`, 'm').test(k('get', 'nodes')) || undefined, '10s');
    // The NoExecute taint comes through the zone's rate-limited tainting queue (0.1 nodes/s).
    const taints = await until('the unreachable NoExecute taint', () => {
      const t = k('get', 'node', node, '-o', 'jsonpath={range .spec.taints[*]}{.key}:{.effect} {end}');
      return /node\.kubernetes\.io\/unreachable:NoExecute/.test(t) ? t : undefined;
    }, '5s');
    assert.match(taints, /node\.kubernetes\.io\/unreachable:NoSchedule/);
    // The pods tolerate unreachable for 300 s (DefaultTolerationSeconds), then are evicted.
    await until('three ready pods on other nodes', () => {
      const ready = k('get', 'pods', '-n', 'gw', '-l', 'app=api-gateway', '-o', 'jsonpath={range .items[?(@.status.conditions[1].status)]}{.metadata.name} {.spec.nodeName} {.metadata.deletionTimestamp}{"\\n"}{end}');
      const elsewhere = podNodes('gw', 'app=api-gateway').filter(([, n, deleting]) => n !== node && !deleting);
      return (elsewhere.length === 3 && ready.length > 0) || undefined;
    }, '30s');
    await waiting(['rollout', 'status', 'deployment/api-gateway', '-n', 'gw', '--timeout=5m']);
    const events = k('get', 'events', '-n', 'gw', '--field-selector', 'reason=TaintManagerEviction');
    assert.match(events, /Marking for deletion Pod gw\/api-gateway-/);
    ok(skiffCli(['nodes', 'start-kubelet', node, '--data-dir', skiff.dataDir]));
    await until('the node to be Ready again', () => new RegExp(`^${node.replace(/\./g, '\\.')}\\s+Ready`, 'm').test(k('get', 'nodes')) || undefined, '10s');
  });

  test('a pod that fits no node stays Pending with the upstream FailedScheduling message', async () => {
    const nodes = [...zoneOf.keys()];
    for (const n of nodes.slice(0, 3)) k('taint', 'nodes', n, 'dedicated=database:NoSchedule');
    k('run', 'big', '-n', 'gw', '--image=nginx', '--overrides={"spec":{"containers":[{"name":"big","image":"nginx","resources":{"requests":{"cpu":"3"}}}]}}');
    const message = await until('FailedScheduling', () => {
      const out = k('get', 'events', '-n', 'gw', '--field-selector', 'involvedObject.name=big,reason=FailedScheduling', '-o', 'jsonpath={.items[*].message}');
      return out || undefined;
    });
    assert.match(message, /^0\/6 nodes are available: 3 Insufficient cpu, 3 node\(s\) had untolerated taint \{dedicated: database\}\. preemption: 0\/6 nodes are available: 6 Preemption is not helpful for scheduling\.\.$/);
    assert.match(k('get', 'pod', 'big', '-n', 'gw'), /big\s+0\/1\s+Pending\s+0\s/);
    const described = k('describe', 'pod', 'big', '-n', 'gw');
    assert.match(described, /Warning\s+FailedScheduling\s+\S+\s+default-scheduler\s+0\/6 nodes are available: 3 Insufficient cpu/);
    k('delete', 'pod', 'big', '-n', 'gw', '--wait=false');
    for (const n of nodes.slice(0, 3)) k('taint', 'nodes', n, 'dedicated-');
  });

  test('a Job completes, and a */5 CronJob runs 12 times in one virtual hour', async () => {
    k('apply', '-f', join(seedsDir(), 'builtin', 'seed000-18-job-image-scan.yaml'));
    const done = await waiting(['wait', '--for=condition=complete', 'job/image-scan', '--timeout=5m']);
    assert.match(done, /job.batch\/image-scan condition met/);
    assert.match(k('get', 'job', 'image-scan'), /image-scan\s+Complete\s+1\/1\s/);
    // The clock runs at wall speed between advances, and the commands below take seconds: start 10 s
    // past a */5 boundary, so that none falls between creating the CronJob and advancing the hour
    // (one did in a CI run, which then counted 13).
    const shown = skiffCli(['clock', '--data-dir', skiff.dataDir]);
    assert.equal(shown.code, 0, shown.stderr);
    const nowSeconds = Math.floor(Date.parse(shown.stdout.trim().split(' ')[0]) / 1000);
    assert.ok(Number.isFinite(nowSeconds), shown.stdout);
    const toBoundary = skiffCli(['clock', 'advance', `${300 - (nowSeconds % 300) + 10}s`, '--data-dir', skiff.dataDir]);
    assert.equal(toBoundary.code, 0, toBoundary.stderr);
    k('create', 'cronjob', 'every5', '--image=busybox', '--schedule=*/5 * * * *', '--', 'date');
    k('patch', 'cronjob', 'every5', '--type=merge', '-p', '{"spec":{"successfulJobsHistoryLimit":20}}');
    const r = skiffCli(['clock', 'advance', '1h', '--data-dir', skiff.dataDir]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^clock advanced by 1h to \S+ in [\d.]+s$/m);
    console.log(`# one virtual hour with a CronJob on a six-node cluster: ${r.stdout.trim()}`);
    const names = () => k('get', 'jobs', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.status.succeeded}{"\\n"}{end}').split('\n').filter((l) => l.startsWith('every5-'));
    assert.equal(names().length, 12);
    await until('every run to complete', () => names().every((l) => l.endsWith(' 1')) || undefined, '5s');
  });

  test('kubectl get events, describe pod and logs show what users expect', async () => {
    const [pod, node] = podNodes('gw', 'app=api-gateway').find(([, , deleting]) => !deleting)!;
    const events = k('get', 'events', '-n', 'gw');
    assert.match(events.split('\n')[0], /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
    const podEvents = k('get', 'events', '-n', 'gw', '--field-selector', `involvedObject.name=${pod}`);
    assert.match(podEvents, new RegExp(`Normal\\s+Scheduled\\s+pod/${pod}\\s+Successfully assigned gw/${pod} to ${node.replace(/\./g, '\\.')}`));
    assert.match(events, /Normal\s+ScalingReplicaSet\s+deployment\/api-gateway\s+Scaled up replica set api-gateway-\w+ from 0 to 3/);
    assert.match(events, /Normal\s+Pulled\s+pod\/\S+\s+Successfully pulled image "api-gateway:/);
    const described = k('describe', 'pod', pod, '-n', 'gw');
    for (const re of [/^Status:\s+Running$/m, new RegExp(`^Node:\\s+${node.replace(/\./g, '\\.')}/\\d+\\.\\d+\\.\\d+\\.\\d+$`, 'm'), /^IP:\s+\d+\.\d+\.\d+\.\d+$/m, /^Controlled By:\s+ReplicaSet\/api-gateway-\w+$/m, /State:\s+Running/, /Ready:\s+True/, /Liveness:\s+http-get http:\/\/:8080\/health delay=30s/, /Readiness:\s+http-get http:\/\/:8080\/ready delay=5s/, /^\s+Ready\s+True\s*$/m, /^QoS Class:\s+Burstable$/m, /Normal\s+Started\s+\S+\s+kubelet\s+Started container api-gateway/]) {
      assert.match(described, re);
    }
    const logs = k('logs', pod, '-n', 'gw');
    assert.ok(logs.trim().split('\n').length >= 2, `logs:\n${logs}`);
    assert.equal(k('logs', pod, '-n', 'gw', '--tail=1').trim().split('\n').length, 1);
    const follow = kubectlInBackground(skiff, ['logs', '-f', pod, '-n', 'gw', '--tail=0']);
    // kubectl may not have opened its stream when the clock first jumps (a busy machine starts it
    // slowly), and with --tail=0 it shows only lines made after that: keep producing lines, a
    // virtual half-minute at a time, until it has printed some or a virtual 5 minutes are gone.
    for (let i = 0; i < 10 && !follow.stdout().trim(); i++) {
      await advance('30s');
      await realClock.sleep(300);
    }
    const followed = await stopWatch(follow);
    assert.ok(followed.stdout.trim().length > 0, 'kubectl logs -f printed the lines produced while it followed');
  });
});

/** Stops a background kubectl (a watch or -f) and returns what it printed. */
async function stopWatch(bg: ReturnType<typeof kubectlInBackground>) {
  bg.kill();
  return bg.done;
}
