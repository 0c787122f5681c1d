import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eksAllocatable, INSTANCE_TYPES, instanceType, maxPods, nodeResources } from './instance-types.js';

describe('instance catalog', () => {
  // eni-max-pods.txt of amazon-eks-ami, for the types the seeds use.
  for (const [name, pods] of [
    ['t3.medium', 17],
    ['t3.large', 35],
    ['m5.large', 29],
    ['m5.xlarge', 58],
    ['m6i.large', 29],
    ['c5.2xlarge', 58],
    ['c6i.xlarge', 58],
    ['r5.xlarge', 58],
    ['r6i.xlarge', 58],
    ['m5.4xlarge', 234],
  ] as const) {
    test(`${name} runs at most ${pods} pods (ENIs × (IPs per ENI − 1) + 2)`, () => assert.equal(maxPods(instanceType(name)!), pods));
  }

  test('every family the issue names is there from large to 4xlarge', () => {
    for (const family of ['m5', 'm6i', 'c5', 'c6i', 'r5', 'r6i']) {
      for (const size of ['large', 'xlarge', '2xlarge', '4xlarge']) assert.ok(INSTANCE_TYPES.has(`${family}.${size}`), `${family}.${size}`);
    }
    for (const size of ['large', 'xlarge', '2xlarge']) assert.ok(INSTANCE_TYPES.has(`t3.${size}`));
  });

  test('an unknown type is undefined, not a guess', () => assert.equal(instanceType('x9.huge'), undefined));

  test('m5.large reports what the EKS AMI reports: 2 cpu, 7910336Ki, 29 pods, allocatable 1930m / 7220160Ki', () => {
    const r = nodeResources(instanceType('m5.large')!);
    assert.deepEqual(r.capacity, { cpu: '2', memory: '7910336Ki', pods: '29', 'ephemeral-storage': '83873772Ki' });
    assert.deepEqual(r.allocatable, { cpu: '1930m', memory: '7220160Ki', pods: '29', 'ephemeral-storage': '76224326451' });
  });

  test('kube-reserved memory is 11·maxPods + 255 MiB, plus 100Mi eviction; cpu follows the tiers', () => {
    assert.equal(eksAllocatable(4, 16_000_000, 58, 83_873_772).memory, `${16_000_000 - (11 * 58 + 255 + 100) * 1024}Ki`);
    assert.equal(eksAllocatable(4, 16_000_000, 58, 83_873_772).cpu, '3920m');
    assert.equal(eksAllocatable(16, 16_000_000, 234, 83_873_772).cpu, `${16_000 - 80 - 12 * 2.5}m`);
  });

  test('prices are us-east-1 on-demand', () => {
    assert.equal(instanceType('m5.large')!.priceUSD, 0.096);
    assert.equal(instanceType('r6i.xlarge')!.priceUSD, 0.252);
  });
});
