import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { matchesRequiredNodeAffinity, nodeSelectorTermMatches, nodeSelectorTermsMatch, preferredTermsScore, type NodeSelectorTerm } from './nodeaffinity.js';
import type { PodSpec } from './objects.js';

const LABELS = { 'topology.kubernetes.io/zone': 'us-east-1a', 'node.kubernetes.io/instance-type': 'm5.large', cores: '8' };
const NODE = 'ip-10-0-0-1.ec2.internal';

const expr = (key: string, operator: string, values?: string[]): NodeSelectorTerm => ({ matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] });
const field = (operator: string, values: string[], key = 'metadata.name'): NodeSelectorTerm => ({ matchFields: [{ key, operator, values }] });

describe('nodeSelectorTermMatches: one term against a node, as nodeaffinity parses and matches it', () => {
  for (const [name, term, want, nodeName] of [
    ['In matches a listed value', expr('topology.kubernetes.io/zone', 'In', ['us-east-1b', 'us-east-1a']), true],
    ['In does not match an unlisted value', expr('topology.kubernetes.io/zone', 'In', ['us-east-1b']), false],
    ['NotIn matches a node without the label', expr('dedicated', 'NotIn', ['db']), true],
    ['Exists needs the label', expr('node.kubernetes.io/instance-type', 'Exists'), true],
    ['DoesNotExist refuses a node with the label', expr('cores', 'DoesNotExist'), false],
    ['Gt compares integers', expr('cores', 'Gt', ['4']), true],
    ['Lt compares integers', expr('cores', 'Lt', ['4']), false],
    ['Gt on a label that is not an integer does not match', expr('topology.kubernetes.io/zone', 'Gt', ['4']), false],
    ['a requirement that does not parse (In without values) fails its term', expr('topology.kubernetes.io/zone', 'In', []), false],
    ['a requirement that does not parse (a value no label may hold) fails its term', expr('topology.kubernetes.io/zone', 'NotIn', ['not a label value!']), false],
    ['Gt with a value that is not an integer fails its term', expr('cores', 'Gt', ['four']), false],
    ['an unknown operator fails its term', expr('cores', 'Equals', ['8']), false],
    ['expressions are ANDed', { matchExpressions: [{ key: 'cores', operator: 'Exists' }, { key: 'gpu', operator: 'Exists' }] }, false],
    ['an empty term matches nothing', {}, false],
    ['matchFields In matches the node by name', field('In', [NODE]), true],
    ['matchFields NotIn refuses the named node', field('NotIn', [NODE]), false],
    ['matchFields In with more than one value fails its term', field('In', [NODE, 'other']), false],
    ['matchFields Exists is not a field operator and fails its term', { matchFields: [{ key: 'metadata.name', operator: 'Exists' }] }, false],
    ['matchFields on a field nodes do not have: In never matches', field('In', ['x'], 'spec.unschedulable'), false],
    ['matchFields on a field nodes do not have: NotIn always matches', field('NotIn', ['x'], 'spec.unschedulable'), true],
    ['matchFields are not consulted for a node without a name', field('In', ['someone-else']), true, ''],
    ['labels and fields must both match', { ...expr('cores', 'Exists'), ...field('In', ['someone-else']) }, false],
  ] as [string, NodeSelectorTerm, boolean, string?][]) {
    test(name, () => assert.equal(nodeSelectorTermMatches(term, LABELS, nodeName ?? NODE), want));
  }

  test('terms are ORed', () => {
    assert.equal(nodeSelectorTermsMatch([expr('gpu', 'Exists'), expr('cores', 'Exists')], LABELS, NODE), true);
    assert.equal(nodeSelectorTermsMatch([expr('gpu', 'Exists'), {}], LABELS, NODE), false);
    assert.equal(nodeSelectorTermsMatch([], LABELS, NODE), false);
  });
});

describe('matchesRequiredNodeAffinity: a pod\'s nodeSelector and required node affinity (GetRequiredNodeAffinity)', () => {
  const required = (...terms: NodeSelectorTerm[]): PodSpec['affinity'] => ({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } }) as PodSpec['affinity'];
  for (const [name, spec, want] of [
    ['a pod with neither fits every node', {}, true],
    ['every nodeSelector pair must be on the node', { nodeSelector: { 'topology.kubernetes.io/zone': 'us-east-1a', cores: '8' } }, true],
    ['one missing nodeSelector pair refuses the node', { nodeSelector: { 'topology.kubernetes.io/zone': 'us-east-1a', gpu: 'true' } }, false],
    ['an empty nodeSelector value still needs the label', { nodeSelector: { gpu: '' } }, false],
    ['required terms are checked after the nodeSelector', { nodeSelector: { cores: '8' }, affinity: required(expr('gpu', 'Exists')) }, false],
    ['required terms that match let the pod in', { affinity: required(expr('gpu', 'Exists'), expr('cores', 'In', ['8'])) }, true],
    ['required affinity with no terms matches no node', { affinity: required() }, false],
  ] as [string, Partial<PodSpec>, boolean][]) {
    test(name, () => assert.equal(matchesRequiredNodeAffinity(spec as PodSpec, LABELS, NODE), want));
  }
});

describe('preferredTermsScore: the weights of the preferred terms that match (PreferredSchedulingTerms.Score)', () => {
  for (const [name, terms, want] of [
    ['no terms score nothing', undefined, 0],
    ['matching terms add their weights', [{ weight: 10, preference: expr('cores', 'Exists') }, { weight: 5, preference: expr('topology.kubernetes.io/zone', 'In', ['us-east-1a']) }], 15],
    ['a term that does not match adds nothing', [{ weight: 10, preference: expr('gpu', 'Exists') }, { weight: 5, preference: expr('cores', 'Exists') }], 5],
    ['a weight of 0 is skipped', [{ weight: 0, preference: expr('cores', 'Exists') }], 0],
    ['an empty preference is skipped', [{ weight: 7, preference: {} }], 0],
  ] as [string, { weight: number; preference: NodeSelectorTerm }[] | undefined, number][]) {
    test(name, () => assert.equal(preferredTermsScore(terms, LABELS, NODE), want));
  }
});
