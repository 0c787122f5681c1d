// A CustomResourceDefinition written here (the CronTab of the Kubernetes docs, with every feature
// kubectl users lean on) driven through the real kubectl: establishing, discovery, printer columns,
// categories, two served versions, defaulting, pruning and strict field validation, schema errors,
// the status and scale subresources, patch types, server-side apply with a list-map, explain, and
// deleting the CRD with its objects. Expected texts are kube-apiserver 1.32's and kubectl's.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import YAML from 'yaml';
import { haveKubectl, ok, SkiffProcess } from './harness.js';
import { kubectlEnv } from './waiting.js';

const skip = haveKubectl() ? false : 'kubectl is not installed (CI installs Debian kubernetes-client)';

const CRD_NAME = 'crontabs.stable.example.com';
const CRON_PATTERN = '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$';

/** The CronTab CRD: v1 (storage) with a full schema and both subresources, v1beta1 served and schemaless. */
const crontabCRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: CRD_NAME },
  spec: {
    group: 'stable.example.com',
    scope: 'Namespaced',
    names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', listKind: 'CronTabList', shortNames: ['ct'], categories: ['all'] },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        additionalPrinterColumns: [
          { name: 'Spec', type: 'string', description: 'The cron spec defining the interval a CronJob is run', jsonPath: '.spec.cronSpec' },
          { name: 'Replicas', type: 'integer', description: 'The number of jobs launched by the CronJob', jsonPath: '.spec.replicas' },
          { name: 'Image', type: 'string', priority: 1, jsonPath: '.spec.image' },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
        subresources: {
          status: {},
          scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.labelSelector' },
        },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            description: 'CronTab runs a command on a schedule.',
            properties: {
              spec: {
                type: 'object',
                description: 'The desired schedule and workload of the CronTab.',
                required: ['cronSpec', 'image'],
                properties: {
                  cronSpec: { type: 'string', description: 'The cron schedule, five fields.', pattern: CRON_PATTERN },
                  image: { type: 'string', description: 'The container image the job runs.' },
                  replicas: { type: 'integer', description: 'How many jobs run at once.', minimum: 1, maximum: 10, default: 1 },
                  concurrencyPolicy: { type: 'string', enum: ['Allow', 'Forbid', 'Replace'], default: 'Allow' },
                  extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                  ports: {
                    type: 'array',
                    'x-kubernetes-list-type': 'map',
                    'x-kubernetes-list-map-keys': ['name'],
                    items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, port: { type: 'integer' } } },
                  },
                },
              },
              status: {
                type: 'object',
                properties: { replicas: { type: 'integer' }, labelSelector: { type: 'string' }, lastScheduleTime: { type: 'string', format: 'date-time' } },
              },
            },
          },
        },
      },
      {
        name: 'v1beta1',
        served: true,
        storage: false,
        additionalPrinterColumns: [{ name: 'Spec', type: 'string', jsonPath: '.spec.cronSpec' }],
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      },
    ],
  },
};

function crontab(name: string, spec: Record<string, unknown>, namespace?: string): string {
  return YAML.stringify({ apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name, ...(namespace ? { namespace } : {}) }, spec });
}

const nightly = (image = 'registry.example.com/backup:1.4') =>
  crontab('nightly', { cronSpec: '0 2 * * *', image, extra: { anything: [1, 2], nested: { deep: true } }, ports: [{ name: 'http', port: 80 }] });

describe('a CustomResourceDefinition through kubectl', { skip }, () => {
  let skiff: SkiffProcess;
  const k = (...args: string[]) => skiff.kubectl(args, { env: kubectlEnv(skiff) });
  const kIn = (input: string, ...args: string[]) => skiff.kubectl(args, { input, env: kubectlEnv(skiff) });
  const json = (...args: string[]) => JSON.parse(ok(k(...args, '-o', 'json')));
  const lines = (out: string) => out.trimEnd().split('\n');

  before(async () => {
    skiff = await SkiffProcess.start();
  });
  after(async () => {
    await skiff?.destroy();
  });

  test('apply creates the CRD, it becomes Established, and discovery lists it', () => {
    const path = skiff.file('crd.yaml', YAML.stringify(crontabCRD));
    assert.equal(ok(k('apply', '-f', path)), `customresourcedefinition.apiextensions.k8s.io/${CRD_NAME} created\n`);
    assert.equal(
      ok(k('wait', '--for=condition=Established', `crd/${CRD_NAME}`, '--timeout=20s')),
      `customresourcedefinition.apiextensions.k8s.io/${CRD_NAME} condition met\n`,
    );
    assert.equal(
      ok(k('api-resources', '--api-group=stable.example.com')),
      'NAME       SHORTNAMES   APIVERSION              NAMESPACED   KIND\n' +
        'crontabs   ct           stable.example.com/v1   true         CronTab\n',
    );
    const crds = lines(ok(k('get', 'crd')));
    assert.match(crds[0]!, /^NAME\s+CREATED AT$/);
    assert.match(crds[1]!, /^crontabs\.stable\.example\.com\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const conditions = (json('get', 'crd', CRD_NAME).status.conditions as { type: string; status: string }[]).map((c) => `${c.type}=${c.status}`);
    assert.deepEqual(conditions.sort(), ['Established=True', 'NamesAccepted=True']);
  });

  test('a custom resource prints its additionalPrinterColumns, and -o wide adds the priority-1 one', () => {
    assert.equal(ok(kIn(nightly(), 'apply', '-f', '-')), 'crontab.stable.example.com/nightly created\n');
    const table = lines(ok(k('get', 'ct')));
    assert.match(table[0]!, /^NAME\s+SPEC\s+REPLICAS\s+AGE$/);
    assert.match(table[1]!, /^nightly\s+0 2 \* \* \*\s+1\s+\d+s$/);
    const wide = lines(ok(k('get', 'ct', '-o', 'wide')));
    assert.match(wide[0]!, /^NAME\s+SPEC\s+REPLICAS\s+IMAGE\s+AGE$/);
    assert.match(wide[1]!, /^nightly\s+0 2 \* \* \*\s+1\s+registry\.example\.com\/backup:1\.4\s+\d+s$/);
  });

  test('kubectl get all includes crontabs, since the CRD puts them in category all', () => {
    const out = ok(k('get', 'all'));
    assert.match(out, /^NAME\s+SPEC\s+REPLICAS\s+AGE$/m);
    assert.match(out, /^crontab\.stable\.example\.com\/nightly\s+0 2 \* \* \*\s+1\s+\d+s$/m);
    assert.match(out, /^service\/kubernetes\s+ClusterIP/m);
  });

  test('both served versions read the same object; v1beta1 prints its own columns', () => {
    const beta = json('get', 'crontabs.v1beta1.stable.example.com', 'nightly');
    assert.equal(beta.apiVersion, 'stable.example.com/v1beta1');
    assert.equal(beta.spec.cronSpec, '0 2 * * *');
    assert.equal(json('get', 'crontabs.v1.stable.example.com', 'nightly').apiVersion, 'stable.example.com/v1');
    const table = lines(ok(k('get', 'crontabs.v1beta1.stable.example.com')));
    assert.deepEqual(table.map((l) => l.split(/\s{2,}/)), [['NAME', 'SPEC'], ['nightly', '0 2 * * *']]);
  });

  test('schema defaults are applied and the preserve-unknown-fields subtree is kept as sent', () => {
    const spec = json('get', 'ct', 'nightly').spec;
    assert.equal(spec.replicas, 1);
    assert.equal(spec.concurrencyPolicy, 'Allow');
    assert.deepEqual(spec.extra, { anything: [1, 2], nested: { deep: true } });
  });

  test('an unknown field is rejected under Strict validation, warned about with warn, dropped with --validate=false', () => {
    const doc = crontab('unknown', { cronSpec: '* * * * *', image: 'busybox', bogus: 1, extra: { kept: 'as sent' } });
    const strict = kIn(doc, 'apply', '-f', '-');
    assert.equal(strict.code, 1);
    assert.equal(
      strict.stderr,
      'Error from server (BadRequest): error when creating "STDIN": CronTab in version "v1" cannot be handled as a CronTab: ' +
        'strict decoding error: unknown field "spec.bogus"\n',
    );
    const warn = kIn(doc, 'create', '--validate=warn', '--dry-run=server', '-f', '-');
    assert.equal(warn.code, 0, warn.stderr);
    assert.equal(warn.stderr, 'Warning: unknown field "spec.bogus"\n');
    assert.equal(warn.stdout, 'crontab.stable.example.com/unknown created (server dry run)\n');
    assert.equal(ok(kIn(doc, 'apply', '--validate=false', '-f', '-')), 'crontab.stable.example.com/unknown created\n');
    const spec = json('get', 'ct', 'unknown').spec;
    assert.equal('bogus' in spec, false, 'the pruned field is not stored');
    assert.deepEqual(spec.extra, { kept: 'as sent' });
  });

  test('schema violations print upstream\'s field errors', () => {
    const bad = kIn(crontab('x', { cronSpec: 'every minute', image: 'busybox', replicas: 20, concurrencyPolicy: 'Sometimes' }), 'apply', '-f', '-');
    assert.equal(bad.code, 1);
    assert.equal(
      bad.stderr,
      'The CronTab "x" is invalid: \n' +
        '* spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"\n' +
        `* spec.cronSpec: Invalid value: "every minute": spec.cronSpec in body should match '${CRON_PATTERN}'\n` +
        '* spec.replicas: Invalid value: 20: spec.replicas in body should be less than or equal to 10\n',
    );
    const missing = kIn(crontab('zero', { replicas: 0, ports: [{ port: 1 }] }), 'apply', '-f', '-');
    assert.equal(missing.code, 1);
    assert.equal(
      missing.stderr,
      'The CronTab "zero" is invalid: \n' +
        '* spec.ports[0].name: Required value\n' +
        '* spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1\n' +
        '* spec.cronSpec: Required value\n' +
        '* spec.image: Required value\n',
    );
    const one = kIn(crontab('one', { cronSpec: '* * * * *', image: 'busybox', replicas: 11 }), 'create', '-f', '-');
    assert.equal(one.stderr, 'The CronTab "one" is invalid: spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10\n');
  });

  test('client-side apply of a changed custom resource patches it (merge patch) and bumps its generation', () => {
    assert.equal(ok(kIn(nightly('registry.example.com/backup:1.5'), 'apply', '-f', '-')), 'crontab.stable.example.com/nightly configured\n');
    const obj = json('get', 'ct', 'nightly');
    assert.equal(obj.spec.image, 'registry.example.com/backup:1.5');
    assert.equal(obj.metadata.generation, 2);
    assert.equal(ok(kIn(nightly('registry.example.com/backup:1.5'), 'apply', '-f', '-')), 'crontab.stable.example.com/nightly unchanged\n');
  });

  test('creating an existing custom resource is AlreadyExists, with or without --dry-run=server', () => {
    const expected = 'Error from server (AlreadyExists): error when creating "STDIN": crontabs.stable.example.com "nightly" already exists\n';
    const real = kIn(nightly(), 'create', '-f', '-');
    assert.equal(real.code, 1);
    assert.equal(real.stderr, expected);
    // A dry run answers what the real request would (upstream's DryRunnableStorage checks the key).
    const dry = kIn(nightly(), 'create', '--dry-run=server', '-f', '-');
    assert.equal(dry.stdout, '');
    assert.equal(dry.stderr, expected);
    assert.equal(dry.code, 1);
  });

  test('kubectl scale writes spec.replicas through the scale subresource, within the schema\'s bounds', () => {
    assert.equal(ok(k('scale', 'ct', 'nightly', '--replicas=3')), 'crontab.stable.example.com/nightly scaled\n');
    assert.equal(json('get', 'ct', 'nightly').spec.replicas, 3);
    const tooMany = k('scale', 'ct', 'nightly', '--replicas=20');
    assert.equal(tooMany.code, 1);
    assert.equal(tooMany.stderr, 'The CronTab "nightly" is invalid: spec.replicas: Invalid value: 20: spec.replicas in body should be less than or equal to 10\n');
    assert.equal(json('get', 'ct', 'nightly').spec.replicas, 3);
  });

  test('status is written only through the status subresource, and the scale subresource reads it', () => {
    assert.equal(ok(k('patch', 'ct', 'nightly', '--type=merge', '-p', '{"status":{"replicas":9}}')), 'crontab.stable.example.com/nightly patched (no change)\n');
    assert.equal(json('get', 'ct', 'nightly').status, undefined);
    assert.equal(
      ok(k('patch', 'ct', 'nightly', '--subresource=status', '--type=merge', '-p', '{"spec":{"replicas":5},"status":{"replicas":3,"labelSelector":"app=nightly"}}')),
      'crontab.stable.example.com/nightly patched\n',
    );
    const obj = json('get', 'ct', 'nightly');
    assert.deepEqual(obj.status, { replicas: 3, labelSelector: 'app=nightly' });
    assert.equal(obj.spec.replicas, 3, 'the status subresource ignores spec');
    const scale = JSON.parse(ok(k('get', '--raw', '/apis/stable.example.com/v1/namespaces/default/crontabs/nightly/scale')));
    assert.equal(scale.apiVersion, 'autoscaling/v1');
    assert.equal(scale.kind, 'Scale');
    assert.deepEqual(scale.spec, { replicas: 3 });
    assert.deepEqual(scale.status, { replicas: 3, selector: 'app=nightly' });
  });

  test('a strategic merge patch is refused with 415, which kubectl reports for the kind', () => {
    const r = k('patch', 'ct', 'nightly', '--type=strategic', '-p', '{"spec":{"replicas":2}}');
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      'error: application/strategic-merge-patch+json is not supported by stable.example.com/v1, Kind=CronTab: ' +
        'the body of the request was in an unknown format - accepted media types include: ' +
        'application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml\n',
    );
    assert.equal(ok(k('patch', 'ct', 'nightly', '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":2}]')), 'crontab.stable.example.com/nightly patched\n');
    assert.equal(json('get', 'ct', 'nightly').spec.replicas, 2);
  });

  test('server-side apply merges a map-type list by key across field managers', () => {
    const base = crontab('ssa', { cronSpec: '*/5 * * * *', image: 'busybox', ports: [{ name: 'http', port: 80 }] });
    const metrics = crontab('ssa', { ports: [{ name: 'metrics', port: 9090 }] });
    assert.equal(ok(kIn(base, 'apply', '--server-side', '-f', '-')), 'crontab.stable.example.com/ssa serverside-applied\n');
    assert.equal(ok(kIn(metrics, 'apply', '--server-side', '--field-manager=metrics', '-f', '-')), 'crontab.stable.example.com/ssa serverside-applied\n');
    assert.deepEqual(json('get', 'ct', 'ssa').spec.ports, [{ name: 'http', port: 80 }, { name: 'metrics', port: 9090 }]);
    const rv = json('get', 'ct', 'ssa').metadata.resourceVersion;
    ok(kIn(base, 'apply', '--server-side', '-f', '-'));
    assert.equal(json('get', 'ct', 'ssa').metadata.resourceVersion, rv, 're-applying the same configuration is a no-op');
    ok(kIn(crontab('ssa', {}), 'apply', '--server-side', '--field-manager=metrics', '-f', '-'));
    assert.deepEqual(json('get', 'ct', 'ssa').spec.ports, [{ name: 'http', port: 80 }], 'the entry only metrics owned is removed');
    const conflict = kIn(crontab('ssa', { cronSpec: '0 * * * *' }), 'apply', '--server-side', '--field-manager=metrics', '-f', '-');
    assert.equal(conflict.code, 1);
    assert.match(conflict.stderr, /^error: Apply failed with 1 conflict: conflict with "kubectl": \.spec\.cronSpec$/m);
  });

  test('kubectl explain shows the schema\'s fields and descriptions', () => {
    const out = ok(k('explain', 'crontab.spec'));
    assert.match(out, /^GROUP:\s+stable\.example\.com\nKIND:\s+CronTab\nVERSION:\s+v1\n\nFIELD: spec <Object>\n/);
    assert.match(out, /DESCRIPTION:\n {4}The desired schedule and workload of the CronTab\.\n/);
    assert.match(out, /^ {2}cronSpec\t<string> -required-\n {4}The cron schedule, five fields\.$/m);
    assert.match(out, /^ {2}image\t<string> -required-\n {4}The container image the job runs\.$/m);
    assert.match(out, /^ {2}replicas\t<integer>\n {4}How many jobs run at once\.$/m);
    assert.match(out, /^ {2}concurrencyPolicy\t<string>\n {2}enum: Allow, Forbid, Replace$/m);
    assert.match(out, /^ {2}ports\t<\[\]Object>$/m);
    assert.match(ok(k('explain', 'crontabs')), /DESCRIPTION:\n {4}CronTab runs a command on a schedule\./);
  });

  test('deleting the CRD deletes its objects and removes the resource from discovery', () => {
    ok(k('create', 'namespace', 'other'));
    ok(kIn(crontab('elsewhere', { cronSpec: '* * * * *', image: 'busybox' }, 'other'), 'apply', '-f', '-'));
    assert.equal(ok(k('delete', 'crd', CRD_NAME)), `customresourcedefinition.apiextensions.k8s.io "${CRD_NAME}" deleted\n`);
    assert.equal(ok(k('api-resources', '--api-group=stable.example.com')), 'NAME   SHORTNAMES   APIVERSION   NAMESPACED   KIND\n');
    const raw = k('get', '--raw', '/apis/stable.example.com/v1/namespaces/default/crontabs');
    assert.equal(raw.code, 1);
    assert.equal(raw.stderr, 'Error from server (NotFound): the server could not find the requested resource\n');
    const gone = k('get', 'crd', CRD_NAME);
    assert.equal(gone.stderr, `Error from server (NotFound): customresourcedefinitions.apiextensions.k8s.io "${CRD_NAME}" not found\n`);
    // Re-creating the CRD serves the resource again: the old objects must not come back with it.
    ok(k('apply', '-f', skiff.file('crd.yaml', YAML.stringify(crontabCRD))));
    ok(k('wait', '--for=condition=Established', `crd/${CRD_NAME}`, '--timeout=20s'));
    const all = k('get', 'crontabs', '-A');
    assert.equal(all.code, 0, all.stderr);
    assert.equal(all.stderr, 'No resources found\n');
  });
});
