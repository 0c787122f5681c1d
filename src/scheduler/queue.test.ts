import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../sim/clock.js';
import { fitErrorMessage, Diagnosis } from './fit-error.js';
import { numFeasibleNodesToFind } from './framework.js';
import { SchedulingQueue } from './queue.js';
import { makePod } from './testing.js';
import { Status } from './types.js';

describe('SchedulingQueue', () => {
  test('pops by priority, then by the time pods were added', async () => {
    const clock = new VirtualClock();
    const q = new SchedulingQueue({ clock });
    q.add(makePod('low', { priority: 1 }));
    await clock.advance(10);
    q.add(makePod('high-later', { priority: 100 }));
    await clock.advance(10);
    q.add(makePod('high-latest', { priority: 100 }));
    q.add(makePod('low-2', { priority: 1 }));
    const order: string[] = [];
    for (let i = 0; i < 4; i++) order.push((await q.pop())!.info.pod.metadata.name!);
    assert.deepEqual(order, ['high-later', 'high-latest', 'low', 'low-2']);
  });

  const backoffCases = [
    { attempts: 1, ms: 1000 },
    { attempts: 2, ms: 2000 },
    { attempts: 3, ms: 4000 },
    { attempts: 4, ms: 8000 },
    { attempts: 5, ms: 10000 },
    { attempts: 9, ms: 10000 },
  ];
  for (const c of backoffCases) {
    test(`backs a pod off ${c.ms} ms after its attempt #${c.attempts} failed with an error`, async () => {
      const clock = new VirtualClock();
      const q = new SchedulingQueue({ clock });
      q.run();
      q.add(makePod('p'));
      let qp = (await q.pop())!;
      qp.attempts = c.attempts;
      q.addUnschedulableIfNotPresent(qp, q.schedulingCycle);
      assert.equal(q.whereIs('default/p'), 'backoff');
      await clock.advance(c.ms - 1);
      assert.equal(q.whereIs('default/p'), 'backoff');
      await clock.advance(1000);
      assert.equal(q.whereIs('default/p'), 'active');
      qp = (await q.pop())!;
      assert.equal(qp.info.key, 'default/p');
      q.close();
    });
  }

  test('parks unschedulable pods until an event their plugins care about, at most 5 minutes', async () => {
    const clock = new VirtualClock();
    const q = new SchedulingQueue({ clock });
    q.run();
    for (const name of ['fit', 'taint']) q.add(makePod(name));
    const fit = (await q.pop())!;
    const taint = (await q.pop())!;
    fit.unschedulablePlugins = new Set(['NodeResourcesFit']);
    taint.unschedulablePlugins = new Set(['TaintToleration']);
    const cycle = q.schedulingCycle;
    q.addUnschedulableIfNotPresent(fit, cycle);
    q.addUnschedulableIfNotPresent(taint, cycle);
    await clock.advance(20_000);
    q.moveAllToActiveOrBackoffQueue('Pod/Delete');
    assert.equal(q.whereIs('default/fit'), 'active');
    assert.equal(q.whereIs('default/taint'), 'unschedulable');
    await clock.advance(5 * 60_000 + 30_000);
    assert.equal(q.whereIs('default/taint'), 'active');
    q.close();
  });

  test('sends a pod to backoff instead of parking it when an event arrived during its cycle', async () => {
    const clock = new VirtualClock();
    const q = new SchedulingQueue({ clock });
    q.add(makePod('p'));
    const p = (await q.pop())!;
    const cycle = q.schedulingCycle;
    q.moveAllToActiveOrBackoffQueue('Node/Add');
    p.unschedulablePlugins = new Set(['NodeResourcesFit']);
    q.addUnschedulableIfNotPresent(p, cycle);
    assert.equal(q.whereIs('default/p'), 'backoff');
  });
});

describe('numFeasibleNodesToFind', () => {
  const cases = [
    { nodes: 50, pct: undefined, want: 50 },
    { nodes: 100, pct: undefined, want: 100 },
    { nodes: 1000, pct: undefined, want: 420 },
    { nodes: 5000, pct: undefined, want: 500 },
    { nodes: 6000, pct: undefined, want: 300 },
    { nodes: 1000, pct: 100, want: 1000 },
    { nodes: 1000, pct: 5, want: 100 },
  ];
  for (const c of cases) {
    test(`${c.nodes} nodes at ${c.pct ?? 'adaptive'} % → ${c.want}`, () => {
      assert.equal(numFeasibleNodesToFind(c.pct, c.nodes), c.want);
    });
  }
});

describe('fitErrorMessage', () => {
  test('sorts "<count> <reason>" as strings, as Go does, and appends the PostFilter message', () => {
    const d = new Diagnosis();
    for (let i = 0; i < 10; i++) d.nodeToStatus.set(`a${i}`, Status.unschedulable('Insufficient memory'));
    for (let i = 0; i < 2; i++) d.nodeToStatus.set(`b${i}`, Status.unschedulable('Insufficient cpu', 'Insufficient memory'));
    d.postFilterMsg = 'preemption: not eligible due to preemptionPolicy=Never.';
    assert.equal(fitErrorMessage(12, d), '0/12 nodes are available: 12 Insufficient memory, 2 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never..');
  });

  test('counts nodes without an explicit status with the absent status', () => {
    const d = new Diagnosis();
    d.nodeToStatus.set('n1', Status.unresolvable('node(s) had untolerated taint {a: b}'));
    d.absentStatus = Status.unresolvable('Preemption is not helpful for scheduling');
    assert.equal(fitErrorMessage(4, d), '0/4 nodes are available: 1 node(s) had untolerated taint {a: b}, 3 Preemption is not helpful for scheduling.');
  });
});
