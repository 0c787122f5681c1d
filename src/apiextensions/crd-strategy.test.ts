import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorString } from '../apimachinery/errors.js';
import { acceptCRD, crdStrategy, defaultCRD, finishCRDCleanup, markCRDTerminating, normalizeDecodedSchema, validateCRD } from './crd-strategy.js';
import { validateCRDUpdate } from './crd-validation.js';
import { cronTabCRD } from './testdata.js';
import type { CustomResourceDefinition, JSONSchemaProps } from './types.js';

const messages = (crd: CustomResourceDefinition) => validateCRD(crd).map(fieldErrorString);
const NOW = Date.parse('2025-01-02T03:04:05Z');

function withSchema(schema: JSONSchemaProps, mutate?: (crd: CustomResourceDefinition) => void): CustomResourceDefinition {
  const crd = cronTabCRD();
  crd.spec.versions[0].schema = { openAPIV3Schema: schema };
  delete crd.spec.versions[0].selectableFields;
  mutate?.(crd);
  return crd;
}

describe('validateCRD', () => {
  test('accepts a realistic CronTab CRD with pattern, bounds, enum, defaults, list-map, int-or-string, status and scale', () => {
    assert.deepEqual(messages(cronTabCRD()), []);
  });

  const cases: Array<{ name: string; crd: () => CustomResourceDefinition; want: string[] }> = [
    {
      name: 'rejects an object field without a type, under spec.validation for a single-version CRD',
      crd: () => withSchema({ type: 'object', properties: { spec: { properties: { a: { type: 'string' } } } } }),
      want: ['spec.validation.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields'],
    },
    {
      name: 'reports schema errors per version when the versions differ',
      crd: () =>
        withSchema({ type: 'object', properties: { spec: { properties: {} } } }, (crd) => {
          crd.spec.versions.push({ name: 'v2', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object' } } });
        }),
      want: ['spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields'],
    },
    {
      name: 'rejects array items without a type and an array without items',
      crd: () => withSchema({ type: 'object', properties: { a: { type: 'array', items: {} }, b: { type: 'array' } } }),
      want: [
        'spec.validation.openAPIV3Schema.properties[a].items.type: Required value: must not be empty for specified array items',
        'spec.validation.openAPIV3Schema.properties[b].items: Required value: must be specified',
      ],
    },
    {
      name: 'rejects a root that is not an object',
      crd: () => withSchema({ type: 'string' }, (c) => delete c.spec.versions[0].subresources),
      want: ['spec.validation.openAPIV3Schema.type: Invalid value: "string": must be object at the root'],
    },
    {
      name: 'rejects types inside allOf (value validations may not carry structure)',
      crd: () => withSchema({ type: 'object', properties: { a: { type: 'string', allOf: [{ type: 'string' }] } } }),
      want: ['spec.validation.openAPIV3Schema.properties[a].allOf[0].type: Forbidden: must be empty to be structural'],
    },
    {
      name: 'rejects metadata schemas that specify more than name and generateName',
      crd: () => withSchema({ type: 'object', properties: { metadata: { type: 'object', properties: { labels: { type: 'object' } } } } }),
      want: ['spec.validation.openAPIV3Schema.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified'],
    },
    {
      name: 'requires a schema for every version',
      crd: () => withSchema({ type: 'object' }, (c) => delete c.spec.versions[0].schema),
      want: ['spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required'],
    },
    {
      name: 'requires a group with a dot',
      crd: () =>
        withSchema({ type: 'object' }, (c) => {
          c.spec.group = 'example';
          c.metadata.name = 'crontabs.example';
        }),
      want: ['spec.group: Invalid value: "example": should be a domain with at least one dot'],
    },
    {
      name: 'requires the name to be plural.group',
      crd: () => withSchema({ type: 'object' }, (c) => (c.metadata.name = 'crontab.stable.example.com')),
      want: ['metadata.name: Invalid value: "crontab.stable.example.com": must be spec.names.plural+"."+spec.group'],
    },
    {
      name: 'rejects an unknown scope',
      crd: () => withSchema({ type: 'object' }, (c) => (c.spec.scope = 'Global')),
      want: ['spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"'],
    },
    {
      name: 'rejects invalid names and a listKind equal to kind',
      crd: () =>
        withSchema({ type: 'object' }, (c) => {
          c.spec.names.shortNames = ['C T'];
          c.spec.names.listKind = 'CronTab';
        }),
      want: [
        `spec.names.shortNames[0]: Invalid value: "C T": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
        'spec.names.listKind: Invalid value: "CronTab": kind and listKind may not be the same',
      ],
    },
    {
      name: 'rejects an unknown printer column type and a JSONPath without a leading dot',
      crd: () =>
        withSchema({ type: 'object' }, (c) => {
          c.spec.versions[0].additionalPrinterColumns = [{ name: 'X', type: 'text', jsonPath: 'spec.x' }];
        }),
      want: [
        'spec.additionalPrinterColumns[0].type: Invalid value: "text": must be one of boolean,date,integer,number,string',
        'spec.additionalPrinterColumns[0].JSONPath: Invalid value: "spec.x": must be a simple json path starting with .',
      ],
    },
    {
      name: 'requires scale paths under .spec and .status',
      crd: () =>
        withSchema({ type: 'object' }, (c) => {
          c.spec.versions[0].subresources = { scale: { specReplicasPath: '.replicas', statusReplicasPath: '.status.replicas' } };
        }),
      want: ['spec.subresources.scale.specReplicasPath: Invalid value: ".replicas": should be a json path under .spec'],
    },
    {
      name: 'requires list-map keys to be required or defaulted',
      crd: () =>
        withSchema({
          type: 'object',
          properties: { a: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['k'], items: { type: 'object', properties: { k: { type: 'string' } } } } },
        }),
      want: [
        'spec.validation.openAPIV3Schema.properties[a].items.properties[k].default: Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property',
      ],
    },
    {
      name: 'rejects a default that breaks its own schema',
      crd: () => withSchema({ type: 'object', properties: { n: { type: 'integer', minimum: 1, default: 0 } } }),
      want: ['spec.validation.openAPIV3Schema.properties[n].default: Invalid value: 0:  in body should be greater than or equal to 1'],
    },
    {
      name: 'rejects a default with fields the schema prunes',
      crd: () => withSchema({ type: 'object', properties: { o: { type: 'object', properties: { a: { type: 'string' } }, default: { b: 'x' } } } }),
      want: ['spec.validation.openAPIV3Schema.properties[o].default: Invalid value: {"b":"x"}: must not have unknown fields'],
    },
    {
      name: 'forbids uniqueItems and additionalProperties next to properties',
      crd: () => withSchema({ type: 'object', properties: { a: { type: 'array', uniqueItems: true, items: { type: 'string' } }, o: { type: 'object', properties: { x: { type: 'string' } }, additionalProperties: { type: 'string' } } } }),
      want: [
        'spec.validation.openAPIV3Schema.properties[a].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic',
        'spec.validation.openAPIV3Schema.properties[o].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive',
      ],
    },
    {
      name: 'requires exactly one storage version',
      crd: () => withSchema({ type: 'object' }, (c) => (c.spec.versions[0].storage = false)),
      want: [
        'spec.versions: Invalid value: []apiextensions.CustomResourceDefinitionVersion{apiextensions.CustomResourceDefinitionVersion{Name:"v1", Served:true, Storage:false, Deprecated:false, DeprecationWarning:(*string)(nil), Schema:(*apiextensions.CustomResourceValidation)(nil), Subresources:(*apiextensions.CustomResourceSubresources)(nil), AdditionalPrinterColumns:[]apiextensions.CustomResourceColumnDefinition(nil), SelectableFields:[]apiextensions.SelectableField(nil)}}: must have exactly one version marked as storage version',
        'status.storedVersions: Invalid value: []string(nil): must have at least one stored version',
      ],
    },
    {
      name: 'requires the approval annotation for *.k8s.io groups',
      crd: () =>
        withSchema({ type: 'object' }, (c) => {
          c.spec.group = 'widgets.k8s.io';
          c.metadata.name = 'crontabs.widgets.k8s.io';
        }),
      want: [
        'metadata.annotations[api-approved.kubernetes.io]: Required value: protected groups must have approval annotation "api-approved.kubernetes.io", see https://github.com/kubernetes/enhancements/pull/1111',
      ],
    },
    {
      name: 'rejects selectable fields that are not scalars',
      crd: () =>
        withSchema({ type: 'object', properties: { spec: { type: 'object', properties: { o: { type: 'object' } } } } }, (c) => {
          c.spec.versions[0].selectableFields = [{ jsonPath: '.spec.o' }];
        }),
      want: ['spec.selectableFields[0].jsonPath: Invalid value: ".spec.o": must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed.'],
    },
  ];
  for (const c of cases) {
    test(c.name, () => assert.deepEqual(messages(c.crd()), c.want));
  }
});

describe('schemas as Go decoding leaves them', () => {
  test('turns null schemas in maps and lists into {}, drops junk items and null pointers, so validation sees objects only', () => {
    const schema: Record<string, unknown> = {
      type: 'object',
      properties: { a: null, b: { type: 'array', items: 'hhhh' }, c: { allOf: [null, { type: 'string' }] }, d: { type: 'array', items: [null] } },
      not: null,
      additionalProperties: null,
    };
    normalizeDecodedSchema(schema);
    assert.deepEqual(schema, {
      type: 'object',
      properties: { a: {}, b: { type: 'array' }, c: { allOf: [{}, { type: 'string' }] }, d: { type: 'array', items: [{}] } },
    });
  });

  test('a CRD whose schema holds nulls and junk items is validated, not crashed on', () => {
    const crd = cronTabCRD();
    const spec = crd.spec.versions[0].schema!.openAPIV3Schema!.properties!.spec as Record<string, any>;
    spec.properties.tags.items = 'hhhh';
    spec.properties.extra = null;
    spec.allOf = [null];
    assert.doesNotThrow(() => validateCRD(crd));
  });
});

describe('null list elements decode as zero values', () => {
  const cases: Array<{ name: string; mutate: (spec: any) => void; want: string }> = [
    { name: 'a null validation rule', mutate: (s) => (s.versions[0].schema.openAPIV3Schema['x-kubernetes-validations'] = [null]), want: 'spec.validation.openAPIV3Schema.x-kubernetes-validations[0].rule: Required value' },
    { name: 'a null printer column', mutate: (s) => (s.versions[0].additionalPrinterColumns = [null]), want: 'spec.additionalPrinterColumns[0].name: Required value' },
    { name: 'a null selectable field', mutate: (s) => (s.versions[0].selectableFields = [null]), want: 'spec.selectableFields[0].jsonPath: Required value' },
    { name: 'a null version', mutate: (s) => s.versions.push(null), want: 'spec.versions[1].schema.openAPIV3Schema: Required value' },
    { name: 'a null short name', mutate: (s) => (s.names.shortNames = [null]), want: 'spec.names.shortNames[0]: Invalid value: "": a DNS-1035 label' },
  ];
  for (const c of cases) {
    test(`${c.name} is reported, not crashed on`, () => {
      const crd = cronTabCRD() as any;
      c.mutate(crd.spec);
      const errs = validateCRD(crd).map(fieldErrorString);
      assert.ok(errs.some((e) => e.startsWith(c.want)), errs.join('\n'));
    });
  }

  test('null conditions and stored versions in a status write become zero values', () => {
    const crd = cronTabCRD() as any;
    crd.status = { conditions: [null], storedVersions: [null], acceptedNames: { plural: 'crontabs', kind: 'CronTab', shortNames: [null] } };
    crdStrategy.status.prepareForUpdate(crd);
    assert.deepEqual(crd.status, { conditions: [{}], storedVersions: [''], acceptedNames: { plural: 'crontabs', kind: 'CronTab', shortNames: [''] } });
  });

  test('a status of nulls decodes as empty lists and zero names, and a later update is validated, not crashed on', () => {
    const crd = cronTabCRD() as any;
    crd.status = { acceptedNames: null, conditions: null, storedVersions: null };
    crdStrategy.status.prepareForUpdate(crd);
    assert.deepEqual(crd.status, { acceptedNames: { plural: '', kind: '' } });
    const next = structuredClone(crd);
    next.spec.versions = [];
    assert.doesNotThrow(() => crdStrategy.validate(next));
  });
});

describe('crdStrategy', () => {
  test('defaults singular, listKind, conversion None and storedVersions', () => {
    const crd = cronTabCRD();
    delete crd.spec.names.singular;
    defaultCRD(crd);
    assert.equal(crd.spec.names.singular, 'crontab');
    assert.equal(crd.spec.names.listKind, 'CronTabList');
    assert.deepEqual(crd.spec.conversion, { strategy: 'None' });
    assert.deepEqual(crd.status?.storedVersions, ['v1']);
  });

  test('makes scope immutable once the CRD is Established, and group and plural always', () => {
    const old = cronTabCRD();
    defaultCRD(old);
    old.status = { ...old.status, conditions: [{ type: 'Established', status: 'True' }] };
    const next = structuredClone(old);
    next.spec.scope = 'Cluster';
    next.spec.names.plural = 'crons';
    const msgs = validateCRDUpdate(next, old).map(fieldErrorString);
    assert.ok(msgs.includes('spec.scope: Invalid value: "Cluster": field is immutable'), msgs.join('\n'));
    assert.ok(msgs.includes('spec.names.plural: Invalid value: "crons": field is immutable'), msgs.join('\n'));
  });

  test('adds a new storage version to storedVersions on update', () => {
    const crd = cronTabCRD();
    crd.status = { storedVersions: ['v1'] };
    crd.spec.versions[0].storage = false;
    crd.spec.versions.push({ ...structuredClone(crd.spec.versions[0]), name: 'v2', storage: true });
    crdStrategy.prepareForUpdate(crd);
    assert.deepEqual(crd.status.storedVersions, ['v1', 'v2']);
  });
});

describe('acceptCRD', () => {
  test('accepts fresh names and establishes the CRD', () => {
    const crd = cronTabCRD();
    defaultCRD(crd);
    const status = acceptCRD(crd, [], NOW);
    assert.deepEqual(status.acceptedNames, { plural: 'crontabs', singular: 'crontab', shortNames: ['ct'], kind: 'CronTab', listKind: 'CronTabList', categories: ['all'] });
    assert.deepEqual(status.conditions, [
      { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found', lastTransitionTime: '2025-01-02T03:04:05Z' },
      { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted', lastTransitionTime: '2025-01-02T03:04:05Z' },
    ]);
    assert.deepEqual(status.storedVersions, ['v1']);
  });

  test('refuses a short name another CRD of the group holds', () => {
    const other = cronTabCRD();
    other.metadata.name = 'cronjobs.stable.example.com';
    other.status = { acceptedNames: { plural: 'cronjobs', singular: 'cronjob', kind: 'CronJob', listKind: 'CronJobList', shortNames: ['ct'] } };
    const crd = cronTabCRD();
    defaultCRD(crd);
    const status = acceptCRD(crd, [other], NOW);
    assert.deepEqual(status.conditions?.map((c) => [c.type, c.status, c.reason, c.message]), [
      ['NamesAccepted', 'False', 'ShortNamesConflict', '"ct" is already in use'],
      ['Established', 'False', 'NotAccepted', 'not all names are accepted'],
    ]);
    assert.equal(status.acceptedNames?.shortNames, undefined);
    assert.equal(status.acceptedNames?.plural, 'crontabs');
  });

  test('keeps a forged Established=True without reason or message free of undefined fields, so the status equals its JSON form', () => {
    const other = cronTabCRD();
    other.metadata.name = 'cronjobs.stable.example.com';
    other.status = { acceptedNames: { plural: 'cronjobs', kind: 'CronJob', shortNames: ['ct'] } };
    const crd = cronTabCRD();
    defaultCRD(crd);
    crd.status = { conditions: [{ type: 'Established', status: 'True' }] };
    const status = acceptCRD(crd, [other], NOW);
    assert.deepStrictEqual(status, JSON.parse(JSON.stringify(status)));
    assert.deepEqual(status.conditions?.map((c) => [c.type, c.status]), [
      ['Established', 'True'],
      ['NamesAccepted', 'False'],
    ]);
    // Computing again from the stored result changes nothing: the controller settles.
    assert.deepStrictEqual(acceptCRD({ ...crd, status }, [other], NOW + 1000), status);
  });

  test('gives a hand-written status without NamesAccepted its conditions back, as the naming controller does every sync', () => {
    const crd = cronTabCRD();
    defaultCRD(crd);
    const first = acceptCRD(crd, [], NOW);
    crd.status = { ...first, conditions: [{ type: 'Established', status: 'Frob' as 'True', lastTransitionTime: 'yesterday' }] };
    const status = acceptCRD(crd, [], NOW + 1000);
    assert.deepEqual(status.conditions?.map((c) => [c.type, c.status, c.reason]), [
      ['Established', 'True', 'InitialNamesAccepted'],
      ['NamesAccepted', 'True', 'NoConflicts'],
    ]);
  });

  test('changes nothing once the names are accepted and established', () => {
    const crd = cronTabCRD();
    defaultCRD(crd);
    crd.status = acceptCRD(crd, [], NOW);
    assert.deepStrictEqual(acceptCRD(crd, [], NOW + 5000), crd.status);
  });

  test('a conflicting kind in another group does not count', () => {
    const other = cronTabCRD();
    other.spec.group = 'other.example.com';
    other.status = { acceptedNames: { plural: 'crontabs', kind: 'CronTab' } };
    const crd = cronTabCRD();
    defaultCRD(crd);
    assert.equal(acceptCRD(crd, [other], NOW).conditions?.[0].status, 'True');
  });
});

describe('CRD deletion', () => {
  test('marks the CRD Terminating with the cleanup finalizer, then releases it', () => {
    const crd = cronTabCRD();
    markCRDTerminating(crd, NOW);
    assert.deepEqual(crd.metadata.finalizers, ['customresourcecleanup.apiextensions.k8s.io']);
    assert.equal(crd.metadata.deletionTimestamp, '2025-01-02T03:04:05Z');
    assert.equal(crd.status?.conditions?.[0].reason, 'InstanceDeletionPending');
    finishCRDCleanup(crd, NOW);
    assert.deepEqual(crd.metadata.finalizers, []);
    assert.equal(crd.status?.conditions?.[0].reason, 'InstanceDeletionCompleted');
  });
});
