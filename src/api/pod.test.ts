import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, PodSpec } from './objects.js';
import { isPodAvailable, isPodReady, podRequests } from './pod.js';

const ready = (since: string): Pod => ({ metadata: { name: 'p' }, status: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: since }] } });

describe('pod helpers', () => {
  test('a pod is ready when its Ready condition is True', () => {
    assert.equal(isPodReady(ready('2026-01-01T00:00:00Z')), true);
    assert.equal(isPodReady({ metadata: {}, status: { conditions: [{ type: 'Ready', status: 'False' }] } }), false);
    assert.equal(isPodReady({ metadata: {} }), false);
  });
  test('a pod is available once ready for minReadySeconds', () => {
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(isPodAvailable(ready('2026-01-01T00:00:00Z'), 10, t0 + 9_000), false);
    assert.equal(isPodAvailable(ready('2026-01-01T00:00:00Z'), 10, t0 + 10_000), true);
    assert.equal(isPodAvailable(ready('2026-01-01T00:00:00Z'), 0, t0), true);
  });
  const cases: { name: string; spec: PodSpec; want: Record<string, number> }[] = [
    { name: 'sums app containers, cpu in millicores', spec: { containers: [{ name: 'a', resources: { requests: { cpu: '250m', memory: '64Mi' } } }, { name: 'b', resources: { requests: { cpu: '1' } } }] }, want: { cpu: 1250, memory: 64 * 1024 * 1024 } },
    { name: 'limits stand in for missing requests', spec: { containers: [{ name: 'a', resources: { limits: { cpu: '500m' } } }] }, want: { cpu: 500 } },
    { name: 'the largest init container wins over a smaller sum', spec: { initContainers: [{ name: 'i', resources: { requests: { cpu: '2' } } }], containers: [{ name: 'a', resources: { requests: { cpu: '1' } } }] }, want: { cpu: 2000 } },
    { name: 'sidecar init containers add to the app containers', spec: { initContainers: [{ name: 's', restartPolicy: 'Always', resources: { requests: { cpu: '100m' } } }], containers: [{ name: 'a', resources: { requests: { cpu: '1' } } }] }, want: { cpu: 1100 } },
    { name: 'overhead is added', spec: { overhead: { cpu: '10m' }, containers: [{ name: 'a', resources: { requests: { cpu: '1' } } }] }, want: { cpu: 1010 } },
  ];
  for (const c of cases) test(`podRequests ${c.name}`, () => assert.deepEqual(podRequests(c.spec), c.want));
});
