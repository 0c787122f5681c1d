import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eksctlSubnets, SubnetAddresses, zonesOf } from './vpc.js';

describe('VPC layout and addresses', () => {
  const subnets = eksctlSubnets('192.168.0.0/16', zonesOf('us-east-1').slice(0, 3), (n) => `subnet-${n}`);

  test("eksctl's default VPC: public /19s then private /19s, one per zone", () => {
    assert.deepEqual(
      subnets.map((s) => `${s.cidr} ${s.zone} ${s.public ? 'public' : 'private'}`),
      [
        '192.168.0.0/19 us-east-1a public',
        '192.168.32.0/19 us-east-1b public',
        '192.168.64.0/19 us-east-1c public',
        '192.168.96.0/19 us-east-1a private',
        '192.168.128.0/19 us-east-1b private',
        '192.168.160.0/19 us-east-1c private',
      ],
    );
  });

  test('a node takes the lowest free address after the four AWS keeps', () => {
    const a = new SubnetAddresses(subnets[3]);
    assert.equal(a.allocateAddress(), '192.168.96.4');
    assert.equal(a.allocateAddress(), '192.168.96.5');
  });

  test("pod blocks are aligned, sized to max pods, from the subnet's top", () => {
    const a = new SubnetAddresses(subnets[0]);
    assert.equal(a.allocateBlock(29), '192.168.31.192/27'); // .224/27 holds the reserved last address
    assert.equal(a.allocateBlock(58), '192.168.31.128/26');
  });

  test('a subnet counts what it has left, and knows its own addresses', () => {
    const a = new SubnetAddresses({ subnetId: 'subnet-small', cidr: '10.0.0.0/28', zone: 'z', zoneId: 'z1', public: false });
    assert.equal(a.free(), 11);
    a.allocateAddress();
    assert.equal(a.free(), 10);
    assert.ok(a.contains('10.0.0.15') && !a.contains('10.0.0.16'));
  });

  test('a full subnet says so in EC2 words', () => {
    const a = new SubnetAddresses({ subnetId: 'subnet-tiny', cidr: '10.0.0.0/29', zone: 'z', zoneId: 'z1', public: false });
    for (let i = 0; i < 3; i++) a.allocateAddress();
    assert.throws(() => a.allocateAddress(), /not enough free addresses in subnet 'subnet-tiny'/);
    assert.equal(a.allocateBlock(2), undefined);
  });
});
