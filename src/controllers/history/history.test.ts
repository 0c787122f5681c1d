import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ControllerRevision, StatefulSet } from '../../api/objects.js';
import { startTestServer, type TestServer } from '../../apiserver/testing.js';
import { selectorFromLabelSelector } from '../../apimachinery/labels.js';
import { SharedInformerFactory } from '../../client/informer.js';
import { RestClient } from '../../client/rest.js';
import { eventually } from '../../client/testing.js';
import { InProcessTransport } from '../../client/transport.js';
import { computeHash, goJSON, safeEncodeString } from '../hash.js';
import { controllerRevisionName, hashControllerRevisionData } from './hash.js';
import { ControllerHistory, equalRevision, newControllerRevision, nextRevision, sortControllerRevisions } from './history.js';
import { CONTROLLER_REVISIONS } from '../../client/refs.js';

const KIND = { apiVersion: 'apps/v1', kind: 'StatefulSet' };

describe('history hashing', () => {
  test('goJSON sorts keys at every level and escapes HTML characters as Go does', () => {
    assert.equal(goJSON({ b: 1, a: { d: [true, null], c: 'x<y>&z' } }), '{"a":{"c":"x\\u003cy\\u003e\\u0026z","d":[true,null]},"b":1}');
  });

  test('safeEncodeString maps onto the vowel-free alphabet', () => {
    // Decimal digits become the characters real revision hashes are made of ("web-6d9f7c8b5d").
    assert.equal(safeEncodeString('0123456789'), '456789bcdf');
    assert.match(safeEncodeString('4294967295'), /^[bcdfghjklmnpqrstvwxz2456789]{10}$/);
  });

  test('hashes change with the data and with the collision count, and are stable', () => {
    const a = hashControllerRevisionData({ spec: { template: { x: 1 } } });
    assert.equal(a, hashControllerRevisionData({ spec: { template: { x: 1 } } }));
    assert.notEqual(a, hashControllerRevisionData({ spec: { template: { x: 2 } } }));
    assert.notEqual(a, hashControllerRevisionData({ spec: { template: { x: 1 } } }, 1));
    assert.notEqual(computeHash({ a: 1 }), computeHash({ a: 1 }, 0), 'a zero count is still mixed in, as upstream');
  });

  test('revision names are "<owner>-<hash>" with the owner cut to 223 characters', () => {
    assert.equal(controllerRevisionName('web', 'abc'), 'web-abc');
    assert.equal(controllerRevisionName('x'.repeat(300), 'h').length, 225);
  });

  test('sorting by revision number, and nextRevision', () => {
    const r = (n: number, name: string): ControllerRevision => ({ metadata: { name, creationTimestamp: '2026-01-01T00:00:00Z' }, revision: n });
    const sorted = sortControllerRevisions([r(3, 'c'), r(1, 'a'), r(2, 'b')]);
    assert.deepEqual(sorted.map((x) => x.revision), [1, 2, 3]);
    assert.equal(nextRevision(sorted), 4);
    assert.equal(nextRevision([]), 1);
  });
});

describe('ControllerHistory', () => {
  let t: TestServer;
  let client: RestClient;
  let stop: AbortController;
  let history: ControllerHistory;
  let informers: SharedInformerFactory;

  const owner: StatefulSet = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: 'default', uid: 'uid-web' } };

  beforeEach(async () => {
    t = await startTestServer();
    client = new RestClient(new InProcessTransport(t.server, { username: 'kubernetes-admin', groups: ['system:masters'] }));
    stop = new AbortController();
    informers = new SharedInformerFactory({ client, clock: t.clock });
    const inf = informers.forResource<ControllerRevision>(CONTROLLER_REVISIONS);
    informers.start(stop.signal);
    await informers.waitForCacheSync();
    history = new ControllerHistory(client, inf.lister);
  });
  afterEach(() => {
    stop.abort();
    t.stop();
  });

  test('creates a revision named from its data, labelled with the template labels and the hash', async () => {
    const data = { spec: { template: { metadata: { labels: { app: 'web' } }, $patch: 'replace' } } };
    const rev = newControllerRevision(owner, KIND, { app: 'web' }, data, 1, 0);
    const { revision, collisionCount } = await history.createControllerRevision(owner, rev, 0);
    assert.equal(collisionCount, 0);
    assert.equal(revision.metadata.name, `web-${hashControllerRevisionData(data, 0)}`);
    assert.equal(revision.metadata.labels?.app, 'web');
    assert.equal(revision.metadata.labels?.['controller.kubernetes.io/hash'], hashControllerRevisionData(data, 0));
    assert.deepEqual(revision.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'uid-web', controller: true, blockOwnerDeletion: true }]);
    // Creating the same data again returns the stored revision.
    const again = await history.createControllerRevision(owner, rev, 0);
    assert.equal(again.revision.metadata.uid, revision.metadata.uid);
  });

  test('a name taken by different data bumps the collision count until a free name is found', async () => {
    const data = { spec: { template: { v: 1 } } };
    const squatter = newControllerRevision(owner, KIND, {}, { spec: { template: { v: 'other' } } }, 1);
    squatter.metadata.name = `web-${hashControllerRevisionData(data, 0)}`;
    await client.resource<ControllerRevision>(CONTROLLER_REVISIONS).namespace('default').create(squatter);
    const { revision, collisionCount } = await history.createControllerRevision(owner, newControllerRevision(owner, KIND, {}, data, 2, 0), 0);
    assert.equal(collisionCount, 1);
    assert.equal(revision.metadata.name, `web-${hashControllerRevisionData(data, 1)}`);
  });

  test('lists revisions matching the selector that the owner controls or nobody does; equalRevision compares data', async () => {
    const rcs = client.resource<ControllerRevision>(CONTROLLER_REVISIONS).namespace('default');
    const mine = newControllerRevision(owner, KIND, { app: 'web' }, { d: 1 }, 1);
    const orphan = { ...newControllerRevision(owner, KIND, { app: 'web' }, { d: 2 }, 2) };
    orphan.metadata.ownerReferences = [];
    const others = newControllerRevision({ ...owner, metadata: { ...owner.metadata, uid: 'uid-other' } }, KIND, { app: 'web' }, { d: 3 }, 3);
    const unselected = newControllerRevision(owner, KIND, { app: 'api' }, { d: 4 }, 4);
    for (const r of [mine, orphan, others, unselected]) await rcs.create(r);
    await eventually(() => history.listControllerRevisions(owner, selectorFromLabelSelector({ matchLabels: { app: 'web' } })).length === 2, { clock: t.clock, stepMs: 10 });
    const listed = sortControllerRevisions(history.listControllerRevisions(owner, selectorFromLabelSelector({ matchLabels: { app: 'web' } })));
    assert.deepEqual(listed.map((r) => r.revision), [1, 2]);
    assert.ok(equalRevision(listed[0], newControllerRevision(owner, KIND, {}, { d: 1 }, 9)));
    assert.ok(!equalRevision(listed[0], listed[1]));
    const renumbered = await history.updateControllerRevision(listed[0], 5);
    assert.equal(renumbered.revision, 5);
    const adopted = await history.adoptControllerRevision(owner, KIND, listed[1]);
    assert.equal(adopted.metadata.ownerReferences?.[0]?.uid, 'uid-web');
  });
});
