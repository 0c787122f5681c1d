// GenericRegistry.update starts from the object the registry wrote last, which another writer may
// have replaced since: every outcome must still be decided on the store's latest state, as
// kube-apiserver's GuaranteedUpdate decides it after using its watch cache's copy.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RESOURCES } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { patchSchemaFor } from '../../api/patchmeta.js';
import { VirtualClock } from '../../sim/clock.js';
import { MemoryStore } from '../../storage/memory.js';
import { SqliteStore } from '../../storage/sqlite.js';
import type { Store } from '../../storage/store.js';
import { AdmissionChain } from '../admission/admission.js';
import type { UserInfo } from '../auth/authn.js';
import { GenericRegistry, type WriteOptions } from './generic.js';
import { strategyFor } from './strategies.js';

const info = RESOURCES.find((r) => r.group === '' && r.resource === 'configmaps' && r.version === 'v1')!;
const user: UserInfo = { username: 'admin', groups: ['system:masters'] };
const opts: WriteOptions = { user, dryRun: false, fieldManager: { manager: 'test', apiVersion: 'v1' } };

/** Two registries over one store: `a` keeps what it wrote, `b` changes the object behind its back. */
function registries(store: Store) {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const make = () => new GenericRegistry(info, strategyFor(info), { store, clock, admission: new AdmissionChain([]) }, patchSchemaFor(info.modelType));
  return { a: make(), b: make() };
}

const cm = (data: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data });

/** A PATCH-like update: changes the current object. */
const setKey = (k: string, v: string) => (cur: KubeObject) => ({ ...cur, data: { ...(cur.data as Record<string, string>), [k]: v } });

for (const [backend, open] of [['memory', () => new MemoryStore()], ['sqlite', () => SqliteStore.open(':memory:')]] as const) {
  describe(`GenericRegistry.update from a state another writer replaced (${backend})`, () => {
    const cases: { name: string; run: (a: GenericRegistry, b: GenericRegistry, rvAfterA: string) => Promise<KubeObject>; want: Record<string, string> }[] = [
      {
        name: 'a change is made on the latest state, keeping the other writer’s',
        run: (a) => a.update('default', 'cfg', setKey('x', '2'), opts),
        want: { x: '2', y: 'b' },
      },
      {
        name: 'a resourceVersion naming the latest state is no conflict',
        run: async (a, b) => {
          const latest = await b.get('default', 'cfg');
          return a.update('default', 'cfg', () => ({ ...latest, data: { x: '3' } }), opts);
        },
        want: { x: '3' },
      },
      {
        name: 'a write that equals the remembered state is not a no-op on the latest',
        run: (a) => a.update('default', 'cfg', (cur) => ({ ...cur, data: { x: '1' } }), opts),
        want: { x: '1' },
      },
    ];
    for (const c of cases) {
      test(c.name, async () => {
        const store = open();
        const { a, b } = registries(store);
        const created = await a.create('default', cm({ x: '1' }), opts);
        await b.update('default', 'cfg', setKey('y', 'b'), opts);
        const out = await c.run(a, b, created.metadata.resourceVersion!);
        assert.deepEqual(out.data, c.want);
        assert.deepEqual((await b.get('default', 'cfg')).data, c.want);
        assert.equal(out.metadata.resourceVersion, String(store.currentRevision()));
        await store.close();
      });
    }

    test('a resourceVersion naming the remembered state, no longer the latest, is a conflict', async () => {
      const store = open();
      const { a, b } = registries(store);
      const created = await a.create('default', cm({ x: '1' }), opts);
      await b.update('default', 'cfg', setKey('y', 'b'), opts);
      await assert.rejects(
        a.update('default', 'cfg', () => ({ ...created, data: { x: '9' } }), opts),
        (e: { status?: { reason?: string } }) => e.status?.reason === 'Conflict',
      );
      assert.deepEqual((await b.get('default', 'cfg')).data, { x: '1', y: 'b' });
      await store.close();
    });

    test('an object deleted behind the remembered state is NotFound', async () => {
      const store = open();
      const { a, b } = registries(store);
      await a.create('default', cm({ x: '1' }), opts);
      await b.delete('default', 'cfg', opts);
      await assert.rejects(a.update('default', 'cfg', setKey('x', '2'), opts), (e: { status?: { reason?: string } }) => e.status?.reason === 'NotFound');
      await store.close();
    });

    test('a no-op against the latest state keeps its resourceVersion and hands back a copy', async () => {
      const store = open();
      const { a } = registries(store);
      await a.create('default', cm({ x: '1' }), opts);
      const before = store.currentRevision();
      const out = await a.update('default', 'cfg', (cur) => cur, opts);
      out.data = { changed: 'by the caller' };
      assert.equal(store.currentRevision(), before);
      assert.deepEqual((await a.update('default', 'cfg', (cur) => cur, opts)).data, { x: '1' });
      await store.close();
    });

    test('a get with resourceVersion 0 answers with the newest state known, as a read of the store encodes it', async () => {
      const store = open();
      const { a } = registries(store);
      await a.create('default', cm({ x: '1' }), opts);
      await a.update('default', 'cfg', setKey('x', '2'), opts);
      const any = await a.get('default', 'cfg', '0');
      const latest = await a.get('default', 'cfg');
      assert.equal(JSON.stringify(any), JSON.stringify(latest));
      assert.equal(any.metadata.resourceVersion, String(store.currentRevision()));
      await store.close();
    });

    test('a get without a resourceVersion reads the latest state, another writer’s change included', async () => {
      const store = open();
      const { a, b } = registries(store);
      await a.create('default', cm({ x: '1' }), opts);
      await b.update('default', 'cfg', setKey('y', 'b'), opts);
      assert.deepEqual((await a.get('default', 'cfg')).data, { x: '1', y: 'b' });
      // Any state will do for "0" (the watch cache's answer may lag too), but never a future one.
      assert.ok(Number((await a.get('default', 'cfg', '0')).metadata.resourceVersion) <= store.currentRevision());
      await store.close();
    });

    test('a get with resourceVersion 0 of a deleted object is NotFound', async () => {
      const store = open();
      const { a } = registries(store);
      await a.create('default', cm({ x: '1' }), opts);
      await a.delete('default', 'cfg', opts);
      await assert.rejects(a.get('default', 'cfg', '0'), (e: { status?: { reason?: string } }) => e.status?.reason === 'NotFound');
      await store.close();
    });

    test('watchers see the replaced object as the previous one', async () => {
      const store = open();
      const { a } = registries(store);
      await a.create('default', cm({ x: '1' }), opts);
      const seen: (string | undefined)[] = [];
      const w = a.watch('default', store.currentRevision() + 1, (events) => {
        for (const e of events) seen.push(`${(e.previous?.data as Record<string, string>)?.x}→${(e.object.data as Record<string, string>).x}`);
      });
      await a.update('default', 'cfg', setKey('x', '2'), opts);
      await a.update('default', 'cfg', setKey('x', '3'), opts);
      for (let i = 0; i < 5 && seen.length < 2; i++) await new Promise((r) => setImmediate(r));
      w.close();
      assert.deepEqual(seen, ['1→2', '2→3']);
      await store.close();
    });
  });
}

describe('GenericRegistry status writes', () => {
  const podInfo = RESOURCES.find((r) => r.group === '' && r.resource === 'pods' && r.version === 'v1')!;
  const pod = (): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });

  test('a pod status write changes the status and keeps the spec as it was', async () => {
    const store = new MemoryStore();
    const clock = new VirtualClock(Date.UTC(2026, 0, 1));
    const reg = new GenericRegistry(podInfo, strategyFor(podInfo), { store, clock, admission: new AdmissionChain([]) }, patchSchemaFor(podInfo.modelType));
    await reg.create('default', pod(), opts);
    const out = await reg.update(
      'default',
      'p',
      (cur) => ({ ...cur, spec: { ...(cur.spec as object), nodeName: 'sneaky' }, status: { ...(cur.status as object), phase: 'Running' } }),
      { ...opts, subresource: 'status' },
    );
    const stored = await reg.get('default', 'p');
    for (const o of [out, stored]) {
      assert.equal((o.spec as { nodeName?: string }).nodeName, undefined);
      assert.equal((o.status as { phase?: string }).phase, 'Running');
    }
    await store.close();
  });
});
