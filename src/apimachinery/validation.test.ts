import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorString } from './errors.js';
import {
  generateName,
  isCIdentifier,
  isConfigMapKey,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isEnvVarName,
  isQualifiedName,
  isValidLabelValue,
  isValidPathSegmentName,
  isValidCIDR,
  isValidPortName,
  validateCIDR,
  validateIP,
  validateObjectMeta,
  validateFieldManager,
  validateObjectMetaUpdate,
  type ObjectMetaValidationOptions,
} from './validation.js';

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const NAME_PART_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

describe('name checks', () => {
  const cases: Array<[string, (v: string) => readonly string[], string, string[]]> = [
    ['isDNS1123Subdomain', isDNS1123Subdomain, 'example.com', []],
    ['isDNS1123Subdomain', isDNS1123Subdomain, 'Example.com', [SUBDOMAIN_MSG]],
    ['isDNS1123Subdomain', isDNS1123Subdomain, 'a'.repeat(254), ['must be no more than 253 characters']],
    ['isDNS1123Label', isDNS1123Label, 'my-name', []],
    ['isDNS1123Label', isDNS1123Label, 'my.name', ['must not contain dots']],
    ['isDNS1123Label', isDNS1123Label, '-x', [LABEL_MSG]],
    ['isDNS1123Label', isDNS1123Label, 'a'.repeat(64), ['must be no more than 63 characters']],
    [
      'isDNS1035Label',
      isDNS1035Label,
      '1abc',
      [
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
      ],
    ],
    ['isQualifiedName', isQualifiedName, 'example.com/MyName', []],
    ['isQualifiedName', isQualifiedName, 'Foo@', [NAME_PART_MSG]],
    ['isQualifiedName', isQualifiedName, '/a', ['prefix part must be non-empty']],
    ['isQualifiedName', isQualifiedName, 'Example.com/a', [`prefix part ${SUBDOMAIN_MSG}`]],
    ['isQualifiedName', isQualifiedName, 'a/', ['name part must be non-empty', NAME_PART_MSG]],
    ['isQualifiedName', isQualifiedName, 'x'.repeat(64), ['name part must be no more than 63 characters']],
    [
      'isQualifiedName',
      isQualifiedName,
      'a/b/c',
      [
        "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
      ],
    ],
    ['isValidLabelValue', isValidLabelValue, '', []],
    ['isValidLabelValue', isValidLabelValue, 'v1.2_x', []],
    ['isValidPathSegmentName', isValidPathSegmentName, 'system:admin', []],
    ['isValidPathSegmentName', isValidPathSegmentName, '..', ["may not be '..'"]],
    ['isValidPathSegmentName', isValidPathSegmentName, 'a/b%c', ["may not contain '/'", "may not contain '%'"]],
    [
      'isCIdentifier',
      isCIdentifier,
      '1x',
      ["a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_' (e.g. 'my_name',  or 'MY_NAME',  or 'MyName', regex used for validation is '[A-Za-z_][A-Za-z0-9_]*')"],
    ],
    ['isEnvVarName', isEnvVarName, 'MY_ENV.NAME', []],
    ['isEnvVarName', isEnvVarName, '..x', ["must not start with '..'"]],
    ['isConfigMapKey', isConfigMapKey, '.', ["must not be '.'"]],
    ['isValidPortName', isValidPortName, 'http--x-', ['must not contain consecutive hyphens', 'must not begin or end with a hyphen']],
  ];
  for (const [name, fn, value, want] of cases) {
    test(`${name}(${JSON.stringify(value.length > 20 ? value.slice(0, 8) + '…' : value)}) gives ${want.length ? 'upstream\'s messages' : 'no errors'}`, () => {
      assert.deepEqual(fn(value), want);
    });
  }

  test('isQualifiedName gives a key asked again the same answer, which no caller can change', () => {
    const first = isQualifiedName('Foo@');
    assert.ok(Object.isFrozen(first));
    assert.throws(() => (first as string[]).push('x'), TypeError);
    assert.deepEqual(isQualifiedName('Foo@'), [NAME_PART_MSG]);
    assert.deepEqual(isQualifiedName('example.com/MyName'), []);
  });

  test('counts length in UTF-8 bytes, as Go does', () => {
    assert.deepEqual(isValidLabelValue('é'.repeat(32)).slice(0, 1), ['must be no more than 63 characters']);
  });
});

describe('validateObjectMeta', () => {
  const ns: ObjectMetaValidationOptions = { namespaced: true, nameValidation: 'subdomain' };
  const errs = (meta: Parameters<typeof validateObjectMeta>[0], opts = ns) => validateObjectMeta(meta, opts).map(fieldErrorString);

  test('accepts a well-formed namespaced object', () => {
    assert.deepEqual(errs({ name: 'web', namespace: 'default', labels: { app: 'web' }, annotations: { 'Example.com/Note': 'x' }, finalizers: ['kubernetes.io/pvc-protection'] }), []);
  });

  test('requires a name or generateName', () => {
    assert.deepEqual(errs({ namespace: 'default' }), ['metadata.name: Required value: name or generateName is required']);
  });

  test('requires a namespace on namespaced kinds and forbids one on cluster-scoped kinds', () => {
    assert.deepEqual(errs({ name: 'x' }), ['metadata.namespace: Required value']);
    assert.deepEqual(errs({ name: 'x', namespace: 'default' }, { namespaced: false, nameValidation: 'subdomain' }), [
      'metadata.namespace: Forbidden: not allowed on this type',
    ]);
    assert.deepEqual(errs({ name: 'x', namespace: 'Bad_NS' }), [`metadata.namespace: Invalid value: "Bad_NS": ${LABEL_MSG}`]);
  });

  test('checks the name against the kind\'s rule', () => {
    assert.deepEqual(errs({ name: 'Web', namespace: 'd' }), [`metadata.name: Invalid value: "Web": ${SUBDOMAIN_MSG}`]);
    assert.deepEqual(errs({ name: 'a.b', namespace: 'd' }, { namespaced: true, nameValidation: 'label' }), [
      'metadata.name: Invalid value: "a.b": must not contain dots',
    ]);
    assert.deepEqual(errs({ name: 'system:admin' }, { namespaced: false, nameValidation: 'path-segment' }), []);
  });

  test('accepts a generateName prefix ending in a dash and rejects a bad one', () => {
    assert.deepEqual(errs({ generateName: 'web-', name: 'web-x7k2p', namespace: 'd' }), []);
    assert.deepEqual(errs({ generateName: 'Web-', name: 'web-x7k2p', namespace: 'd' }), [`metadata.generateName: Invalid value: "Web-": ${SUBDOMAIN_MSG}`]);
  });

  test('validates labels, annotation keys and the annotation size limit', () => {
    assert.deepEqual(errs({ name: 'x', namespace: 'd', labels: { 'a b': 'c' }, annotations: { 'x/y/z': 'v' } }), [
      `metadata.labels: Invalid value: "a b": ${NAME_PART_MSG}`,
      "metadata.annotations: Invalid value: \"x/y/z\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ]);
    assert.deepEqual(errs({ name: 'x', namespace: 'd', annotations: { big: 'x'.repeat(256 * 1024) } }), [
      'metadata.annotations: Too long: may not be more than 262144 bytes',
    ]);
  });

  test('validates owner references and allows a single controller', () => {
    const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1', controller: true };
    assert.deepEqual(errs({ name: 'x', namespace: 'd', ownerReferences: [owner] }), []);
    const got = errs({ name: 'x', namespace: 'd', ownerReferences: [owner, { ...owner, name: 'rs2', uid: 'u2' }, { apiVersion: '', kind: '', name: '', uid: '' }] });
    assert.equal(got.length, 5);
    assert.match(got[0], /^metadata\.ownerReferences: Invalid value: .*: Only one reference can have Controller set to true\. Found "true" in references for ReplicaSet\/rs and ReplicaSet\/rs2$/);
    assert.deepEqual(got.slice(1), [
      'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
      'metadata.ownerReferences.kind: Invalid value: "": kind must not be empty',
      'metadata.ownerReferences.name: Invalid value: "": name must not be empty',
      'metadata.ownerReferences.uid: Invalid value: "": uid must not be empty',
    ]);
  });

  test('rejects Events as owners', () => {
    const got = errs({ name: 'x', namespace: 'd', ownerReferences: [{ apiVersion: 'v1', kind: 'Event', name: 'e', uid: 'u' }] });
    assert.equal(got.length, 1);
    assert.match(got[0], /\/v1, Kind=Event is disallowed from being an owner$/);
  });

  test('rejects both orphan and foregroundDeletion finalizers and invalid finalizer names', () => {
    const got = errs({ name: 'x', namespace: 'd', finalizers: ['orphan', 'foregroundDeletion', 'bad name'] });
    assert.deepEqual(got.slice(0, 1), [`metadata.finalizers: Invalid value: "bad name": ${NAME_PART_MSG}`]);
    assert.match(got[1], /^metadata\.finalizers: Invalid value: .*: finalizer orphan and foregroundDeletion cannot be both set$/);
  });

  test('rejects a negative generation', () => {
    assert.deepEqual(errs({ name: 'x', namespace: 'd', generation: -1 }), ['metadata.generation: Invalid value: -1: must be greater than or equal to 0']);
  });
});

describe('validateObjectMetaUpdate', () => {
  const old = { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '5', generation: 2, creationTimestamp: '2024-01-01T00:00:00Z' };

  test('accepts an update that keeps identity and carries a resourceVersion', () => {
    assert.deepEqual(validateObjectMetaUpdate({ ...old, labels: { a: 'b' } }, old), []);
  });

  test('reports immutable identity fields with "field is immutable"', () => {
    assert.deepEqual(validateObjectMetaUpdate({ ...old, name: 'db', namespace: 'other', uid: 'u2' }, old).map(fieldErrorString), [
      'metadata.name: Invalid value: "db": field is immutable',
      'metadata.namespace: Invalid value: "other": field is immutable',
      'metadata.uid: Invalid value: "u2": field is immutable',
    ]);
    assert.deepEqual(validateObjectMetaUpdate({ ...old, creationTimestamp: '2025-01-01T00:00:00Z' }, old).map((e) => e.field), ['metadata.creationTimestamp']);
  });

  test('requires a resourceVersion and forbids decrementing generation', () => {
    assert.deepEqual(validateObjectMetaUpdate({ ...old, resourceVersion: '', generation: 1 }, old).map(fieldErrorString), [
      'metadata.resourceVersion: Invalid value: "": must be specified for an update',
      'metadata.generation: Invalid value: 1: must not be decremented',
    ]);
  });

  test('forbids new finalizers once deletion has started', () => {
    const deleting = { ...old, deletionTimestamp: '2024-02-01T00:00:00Z', finalizers: ['a'] };
    assert.deepEqual(validateObjectMetaUpdate({ ...deleting, finalizers: ['a', 'b'] }, deleting).map(fieldErrorString), [
      'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b"}',
    ]);
    assert.deepEqual(validateObjectMetaUpdate({ ...deleting, finalizers: [] }, deleting), []);
  });
});

describe('generateName', () => {
  test('appends five characters from the vowel-free alphabet', () => {
    const seq = [0, 0.99, 0.5, 0.1, 0.75];
    let i = 0;
    assert.equal(generateName('web-', () => seq[i++]), 'web-b9rd2');
  });

  test('truncates the base to 58 characters so the name fits 63', () => {
    const name = generateName('x'.repeat(80), () => 0);
    assert.equal(name, 'x'.repeat(58) + 'bbbbb');
    assert.equal(name.length, 63);
  });

  test('uses Math.random by default and only emits allowed characters', () => {
    assert.match(generateName('pod-'), /^pod-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });
});

describe('IP addresses and CIDRs', () => {
  const ips: Array<[unknown, boolean]> = [
    ['10.9.8.7', true],
    ['2001:db8::ffff', true],
    ['10.9.8', false],
    ['10.0.0.0/8', false],
    ['', false],
    [undefined, false],
  ];
  for (const [ip, ok] of ips) {
    test(`${ok ? 'accepts' : 'rejects'} ${JSON.stringify(ip)} as an IP address`, () => {
      const errs = validateIP('spec.clusterIP', ip).map(fieldErrorString);
      if (ok) assert.deepEqual(errs, []);
      else assert.deepEqual(errs, [`spec.clusterIP: Invalid value: ${ip === undefined ? 'null' : JSON.stringify(ip)}: must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)`]);
    });
  }
  const cidrs: Array<[unknown, boolean]> = [
    ['10.0.0.0/16', true],
    ['2001:db8::/64', true],
    ['10.0.0.0/33', false],
    ['2001:db8::/129', false],
    ['10.0.0.0', false],
    ['10.0.0.0/x', false],
    [42, false],
  ];
  for (const [cidr, ok] of cidrs) {
    test(`${ok ? 'accepts' : 'rejects'} ${JSON.stringify(cidr)} as a CIDR`, () => {
      assert.equal(isValidCIDR(cidr), ok);
      assert.equal(validateCIDR('spec.podCIDR', cidr).length, ok ? 0 : 1);
    });
  }
  test('words the CIDR error as upstream', () => {
    assert.deepEqual(validateCIDR('spec.podCIDR', '10.0.0.0').map(fieldErrorString), [
      'spec.podCIDR: Invalid value: "10.0.0.0": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    ]);
  });
});

describe('validateFieldManager', () => {
  // Valid names are remembered: each case runs twice, so a remembered answer must be the same one.
  const cases: { name: string; manager: string; want: string[] }[] = [
    { name: 'accepts a printable name', manager: 'kube-controller-manager', want: [] },
    { name: 'accepts spaces and symbols', manager: 'before-first-apply (x)', want: [] },
    { name: 'names an unprintable character and its byte position', manager: 'é\t', want: ['m: Invalid value: "é\\t": invalid character U+0009 (at position 2)'] },
    { name: 'refuses a name over 128 bytes', manager: 'x'.repeat(129), want: ['m: Too long: may not be more than 128 bytes'] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      for (let i = 0; i < 2; i++) assert.deepEqual(validateFieldManager(c.manager, "m").map(fieldErrorString), c.want);
    });
  }
});
