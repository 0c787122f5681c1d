import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, Toleration } from '../../api/objects.js';
import { startTestServer, type TestServer } from '../testing.js';

const NOT_READY = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };
const UNREACHABLE = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };

describe('DefaultTolerationSeconds admission', () => {
  let t: TestServer;
  beforeEach(async () => (t = await startTestServer()));
  afterEach(() => t.stop());

  async function create(name: string, tolerations?: Toleration[]): Promise<Pod> {
    const res = await t.request('POST', '/api/v1/namespaces/default/pods', {
      body: { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...(tolerations ? { tolerations } : {}) } },
    });
    assert.equal(res.status, 201, res.body);
    return res.json<Pod>();
  }

  const cases: { name: string; given?: Toleration[]; want: Toleration[] }[] = [
    { name: 'a pod without tolerations gets both defaults', want: [NOT_READY, UNREACHABLE] },
    {
      name: 'a pod tolerating not-ready for NoExecute keeps its own and gets only unreachable',
      given: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }],
      want: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }, UNREACHABLE],
    },
    { name: 'an empty key with Exists tolerates everything: nothing is added', given: [{ operator: 'Exists' }], want: [{ operator: 'Exists' }] },
    {
      name: 'an empty effect covers NoExecute',
      given: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' }],
      want: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' }, NOT_READY],
    },
    {
      name: 'a NoSchedule toleration of the same key does not count',
      given: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }],
      want: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }, NOT_READY, UNREACHABLE],
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const pod = await create('p', c.given);
      assert.deepEqual(pod.spec!.tolerations, c.want);
    });
  }

  test('status writes are left alone', async () => {
    const pod = await create('p', [{ operator: 'Exists' }]);
    pod.status = { phase: 'Running' };
    const res = await t.request('PUT', '/api/v1/namespaces/default/pods/p/status', { body: pod });
    assert.equal(res.status, 200, res.body);
    assert.deepEqual(res.json<Pod>().spec!.tolerations, [{ operator: 'Exists' }]);
  });
});
