import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultNodeSpecs } from './default-nodes.js';

describe('defaultNodeSpecs', () => {
  const specs = defaultNodeSpecs();

  test('six m5.large nodes, two in each of us-east-1a/b/c', () => {
    assert.equal(specs.length, 6);
    assert.deepEqual(specs.map((s) => s.zone), ['us-east-1a', 'us-east-1a', 'us-east-1b', 'us-east-1b', 'us-east-1c', 'us-east-1c']);
    for (const s of specs) assert.equal(s.instanceType, 'm5.large');
  });

  test('EKS-like names, provider IDs and addresses', () => {
    for (const s of specs) {
      assert.match(s.name, /^ip-192-168-\d+-\d+\.ec2\.internal$/);
      assert.equal(s.name, `ip-${s.addresses.internalIP.replaceAll('.', '-')}.ec2.internal`);
      assert.match(s.providerID!, new RegExp(`^aws:///${s.zone}/i-[0-9a-f]{17}$`));
      assert.equal(s.labels!['topology.ebs.csi.aws.com/zone'], s.zone);
      assert.equal(s.labels!['eks.amazonaws.com/capacityType'], 'ON_DEMAND');
    }
    assert.equal(new Set(specs.map((s) => s.name)).size, 6);
    assert.equal(new Set(specs.map((s) => s.podIPRange)).size, 6);
  });

  test('m5.large capacity and the EKS AMI allocatable', () => {
    const s = specs[0];
    assert.equal(s.capacity.cpu, '2');
    assert.equal(s.capacity.pods, '29');
    assert.deepEqual(s.allocatable, { cpu: '1930m', memory: '7220160Ki', pods: '29', 'ephemeral-storage': '76224326451' });
  });

  test('is the same on every call', () => {
    assert.deepEqual(defaultNodeSpecs(), specs);
  });
});
