import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DAEMONSET_HASH } from './daemonset/daemonset.js';
import { computeHash } from './hash.js';
import { hashControllerRevisionData } from './history/hash.js';

// Values the Deployment, DaemonSet and ControllerRevision hashes had before they shared one
// implementation: pods and revisions in live clusters carry them, so they must never change.
const withShell = {
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'app', image: 'nginx:1.27', command: ['sh', '-c', 'sleep 1 && echo <done>'] }] },
};
const plain = { spec: { containers: [{ name: 'app', image: 'nginx' }] } };

describe('computeHash keeps the hashes live objects carry', () => {
  const cases: [string, unknown, number | undefined, string, string, string][] = [
    // name, template, collisionCount, pod-template-hash, DaemonSet hash, revision data hash
    ['a template with HTML characters, no collisions', withShell, undefined, '5c886bfb49', '746755568f', '746755568f'],
    ['a template with HTML characters, collision count 0', withShell, 0, '6757b7d4d9', '79b777bb9', '5c495cbd7'],
    ['a template with HTML characters, collision count 1', withShell, 1, 'c8bfc9b96', '774b667f96', '597c844b8'],
    ['a template with HTML characters, collision count 7', withShell, 7, '5f4db5d4d6', '6cdbc95858', '698849ccd'],
    ['a plain template, no collisions', plain, undefined, 'b784ccfd9', 'b784ccfd9', 'b784ccfd9'],
    ['a plain template, collision count 0', plain, 0, '755857749c', '5b7dfb6669', '68599b7c59'],
    ['a plain template, collision count 1', plain, 1, '598c8c4b68', '6f7dd965b', '67fdcdb4fb'],
    ['a plain template, collision count 7', plain, 7, '679c954b74', '84bf7cffc8', '68ff895d54'],
  ];
  for (const [name, template, count, podTemplateHash, daemonSetHash, revisionHash] of cases) {
    test(name, () => {
      assert.equal(computeHash(template, count), podTemplateHash, 'Deployment pod-template-hash');
      assert.equal(computeHash(template, count, DAEMONSET_HASH), daemonSetHash, 'DaemonSet controller-revision-hash');
      assert.equal(hashControllerRevisionData(template, count), revisionHash, 'ControllerRevision name hash');
    });
  }
});
