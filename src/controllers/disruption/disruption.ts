// kube-controller-manager's disruption controller (pkg/controller/disruption): keeps every
// PodDisruptionBudget's status true to the pods it selects — how many are healthy, how many must be,
// how many are expected (from the scale of the pods' controllers), and so how many disruptions the
// eviction subresource may approve. It also prunes disruptedPods entries the eviction handler left
// for pods that were never deleted, and resets DisruptionTarget conditions that went stale.
import { jsonCopy } from '../../apimachinery/json.js';
import type { Deployment, Pod, PodDisruptionBudget, ReplicaSet, StatefulSet } from '../../api/objects.js';
import { controllerRef, isPodReady, isPodTerminal } from '../../api/pod.js';
import type { KubeObject, OwnerReference } from '../../api/types.js';
import { parseApiVersion } from '../../api/types.js';
import { isStatusError } from '../../apimachinery/errors.js';
import { matches, selectorFromLabelSelector } from '../../apimachinery/labels.js';
import type { EventRecorder } from '../../client/events.js';
import { DeletedFinalStateUnknown, splitMetaNamespaceKey, type SharedInformer } from '../../client/informer.js';
import { isConflict, isNotFound, type RestClient } from '../../client/rest.js';
import { rfc3339 } from '../../sim/clock.js';
import { recorderFor, type ControllerContext } from '../context.js';
import { Controller, type ControllerConfig } from '../controller.js';
import { conditionsAreUpToDate, DISRUPTION_ALLOWED, setStatusCondition, SYNC_FAILED, updateDisruptionAllowedCondition } from '../../api/pdb.js';
import { labelSelectorGoString } from './intstr.js';
import { scaledValue } from '../../api/intstr.js';
import { DEPLOYMENTS, PDBS, PODS, REPLICASETS, STATEFULSETS } from '../../client/refs.js';

/** How long an eviction's disruptedPods entry waits for the pod's deletion before it is dropped. */
export const DELETION_TIMEOUT_MS = 2 * 60_000;
/** How long a DisruptionTarget condition may sit on a pod that is not being deleted. */
export const STALE_POD_DISRUPTION_TIMEOUT_MS = 2 * 60_000;

// Stale-condition work shares the queue under its own prefix (namespaces cannot contain ':').
const STALE_POD_PREFIX = 'stalepod:';

type Status = NonNullable<PodDisruptionBudget['status']>;

/** A pod's controller and its desired scale. */
interface ControllerAndScale {
  uid: string;
  scale: number;
}

type Finder = (ref: OwnerReference, namespace: string) => Promise<ControllerAndScale | undefined>;

export interface DisruptionControllerConfig extends Partial<ControllerConfig> {
  /** Overrides the stale DisruptionTarget timeout (tests). */
  stalePodDisruptionTimeoutMs?: number;
}

/** The disruption controller; service account "disruption-controller". */
export class DisruptionController extends Controller {
  private readonly client: RestClient;
  private readonly recorder: EventRecorder;
  private readonly pods: SharedInformer<Pod>;
  private readonly pdbs: SharedInformer<PodDisruptionBudget>;
  private readonly rss: SharedInformer<ReplicaSet>;
  private readonly deployments: SharedInformer<Deployment>;
  private readonly statefulsets: SharedInformer<StatefulSet>;
  private readonly staleTimeoutMs: number;

  constructor(ctx: ControllerContext, config: DisruptionControllerConfig = {}) {
    super('disruption', { clock: ctx.clock, log: ctx.log, ...config });
    this.client = ctx.clientFor('disruption-controller');
    // Upstream's recorder reports as "controllermanager".
    this.recorder = recorderFor(ctx, 'disruption-controller', 'controllermanager');
    this.staleTimeoutMs = config.stalePodDisruptionTimeoutMs ?? STALE_POD_DISRUPTION_TIMEOUT_MS;
    this.pods = ctx.informers.forResource<Pod>(PODS);
    this.pdbs = ctx.informers.forResource<PodDisruptionBudget>(PDBS);
    this.rss = ctx.informers.forResource<ReplicaSet>(REPLICASETS);
    this.deployments = ctx.informers.forResource<Deployment>(DEPLOYMENTS);
    this.statefulsets = ctx.informers.forResource<StatefulSet>(STATEFULSETS);

    this.pdbs.addEventHandler({
      onAdd: (pdb) => this.enqueue(pdb),
      onUpdate: (_old, pdb) => this.enqueue(pdb),
      onDelete: (pdb) => this.enqueue(pdb),
    });
    this.pods.addEventHandler({
      onAdd: (pod) => this.podChanged(pod, true),
      onUpdate: (_old, pod) => this.podChanged(pod, true),
      onDelete: (obj) => this.podChanged(obj instanceof DeletedFinalStateUnknown ? obj.obj : obj, false),
    });
  }

  protected override async run(): Promise<void> {
    await Promise.all([this.pods, this.pdbs, this.rss, this.deployments, this.statefulsets].map((i) => i.waitForSync()));
  }

  /** Waits for the informers this controller reads (tests). */
  hasSynced(): boolean {
    return [this.pods, this.pdbs, this.rss, this.deployments, this.statefulsets].every((i) => i.hasSynced());
  }

  private podChanged(pod: Pod, live: boolean): void {
    const pdb = this.pdbForPod(pod);
    if (pdb) this.enqueue(pdb);
    if (!live) return;
    const stale = this.staleDisruptionCondition(pod);
    if (stale) this.queue.addAfter(`${STALE_POD_PREFIX}${pod.metadata.namespace}/${pod.metadata.name}`, stale.cleanAfterMs);
  }

  // GetPodPodDisruptionBudgets: policy/v1 lets an empty selector match every pod.
  private pdbsForPod(pod: Pod): PodDisruptionBudget[] {
    const out: PodDisruptionBudget[] = [];
    for (const pdb of this.pdbs.lister.list(pod.metadata.namespace)) {
      let sel;
      try {
        sel = selectorFromLabelSelector(pdb.spec?.selector);
      } catch {
        continue;
      }
      if (matches(sel, pod.metadata.labels ?? {})) out.push(pdb);
    }
    return out;
  }

  private pdbForPod(pod: Pod): PodDisruptionBudget | undefined {
    const pdbs = this.pdbsForPod(pod);
    if (pdbs.length > 1) {
      const msg = `Pod "${pod.metadata.namespace}"/"${pod.metadata.name}" matches multiple PodDisruptionBudgets.  Chose "${pdbs[0].metadata.name}" arbitrarily.`;
      this.recorder.event(pod, 'Warning', 'MultiplePodDisruptionBudgets', msg);
    }
    return pdbs[0];
  }

  protected async sync(key: string): Promise<void> {
    if (key.startsWith(STALE_POD_PREFIX)) return this.syncStalePodDisruption(key.slice(STALE_POD_PREFIX.length));
    const { namespace, name } = splitMetaNamespaceKey(key);
    const pdb = this.pdbs.lister.get(namespace, name);
    if (!pdb) return;
    try {
      await this.trySync(pdb);
    } catch (e) {
      // A conflict only means our cache is behind: retry without failing safe.
      if (isConflict(e)) throw e;
      this.log(`disruption: failed to sync PDB ${key}`, e);
      await this.failSafe(pdb, e);
    }
  }

  private async trySync(pdb: PodDisruptionBudget): Promise<void> {
    const pods = this.podsForPdb(pdb);
    if (pods.length === 0) this.recorder.event(pdb, 'Normal', 'NoPods', 'No matching pods found');
    let expected: { expectedCount: number; desiredHealthy: number; unmanagedPods: string[] };
    try {
      expected = await this.expectedPodCount(pdb, pods);
    } catch (e) {
      this.recorder.event(pdb, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${errorText(e)}`);
      throw e;
    }
    if (expected.unmanagedPods.length > 0) {
      this.recorder.event(
        pdb,
        'Warning',
        'UnmanagedPods',
        `Pods selected by this PodDisruptionBudget (selector: ${labelSelectorGoString(pdb.spec?.selector)}) were found ` +
          'to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. ' +
          'To account for these pods please set ".spec.minAvailable" ' +
          'field of the PDB to an integer value.',
      );
    }
    const now = this.clock.now();
    const { disruptedPods, recheckAt } = this.buildDisruptedPodMap(pods, pdb, now);
    const currentHealthy = countHealthyPods(pods, disruptedPods, now);
    await this.updatePdbStatus(pdb, currentHealthy, expected.desiredHealthy, expected.expectedCount, disruptedPods);
    if (recheckAt !== undefined) {
      // Upstream's recheck queue hands the key on rate-limited, so a due recheck cannot spin.
      const key = `${pdb.metadata.namespace}/${pdb.metadata.name}`;
      if (recheckAt > now) this.queue.addAfter(key, recheckAt - now);
      else this.queue.addRateLimited(key);
    }
  }

  // getPodsForPdb: a nil selector selects nothing, an empty one everything.
  private podsForPdb(pdb: PodDisruptionBudget): Pod[] {
    const sel = selectorFromLabelSelector(pdb.spec?.selector);
    return this.pods.lister.list(pdb.metadata.namespace).filter((p) => matches(sel, p.metadata.labels ?? {}));
  }

  private async expectedPodCount(pdb: PodDisruptionBudget, pods: Pod[]): Promise<{ expectedCount: number; desiredHealthy: number; unmanagedPods: string[] }> {
    const spec = pdb.spec ?? {};
    const maxUnavailable = spec.maxUnavailable as number | string | undefined | null;
    const minAvailable = spec.minAvailable as number | string | undefined | null;
    if (maxUnavailable !== undefined && maxUnavailable !== null) {
      const { expectedCount, unmanagedPods } = await this.expectedScale(pods);
      const unavailable = scaledValue(maxUnavailable, expectedCount, true);
      return { expectedCount, desiredHealthy: Math.max(0, expectedCount - unavailable), unmanagedPods };
    }
    if (minAvailable !== undefined && minAvailable !== null) {
      if (typeof minAvailable === 'number') return { expectedCount: pods.length, desiredHealthy: minAvailable, unmanagedPods: [] };
      const { expectedCount, unmanagedPods } = await this.expectedScale(pods);
      return { expectedCount, desiredHealthy: scaledValue(minAvailable, expectedCount, true), unmanagedPods };
    }
    return { expectedCount: 0, desiredHealthy: 0, unmanagedPods: [] };
  }

  // getExpectedScale: the sum of the scales of the pods' controllers, each counted once.
  private async expectedScale(pods: Pod[]): Promise<{ expectedCount: number; unmanagedPods: string[] }> {
    const scales = new Map<string, number>();
    const unmanagedPods: string[] = [];
    for (const pod of pods) {
      const ref = controllerRef(pod);
      if (!ref) {
        unmanagedPods.push(pod.metadata.name!);
        continue;
      }
      if (scales.has(ref.uid)) continue;
      let found: ControllerAndScale | undefined;
      for (const finder of this.finders) {
        found = await finder(ref, pod.metadata.namespace!);
        if (found) break;
      }
      if (!found) throw new Error(`found no controllers for pod "${pod.metadata.name}"`);
      scales.set(found.uid, found.scale);
    }
    let expectedCount = 0;
    for (const n of scales.values()) expectedCount += n;
    return { expectedCount, unmanagedPods };
  }

  // Listers answer for the built-in workloads; anything else (ReplicationControllers, which skiff
  // does not serve, and custom resources) goes through its scale subresource.
  private readonly finders: Finder[] = [
    async (ref, ns) => {
      if (!verifyGroupKind(ref, 'ReplicaSet', ['apps', 'extensions'])) return undefined;
      const rs = this.rss.lister.get(ns, ref.name);
      if (!rs || rs.metadata.uid !== ref.uid) return undefined;
      const owner = controllerRef(rs);
      if (!owner || !verifyGroupKind(owner, 'Deployment', ['apps', 'extensions'])) return undefined;
      const d = this.deployments.lister.get(ns, owner.name);
      return d && d.metadata.uid === owner.uid ? { uid: d.metadata.uid, scale: d.spec?.replicas ?? 1 } : undefined;
    },
    async (ref, ns) => {
      if (!verifyGroupKind(ref, 'ReplicaSet', ['apps', 'extensions'])) return undefined;
      const rs = this.rss.lister.get(ns, ref.name);
      if (!rs || rs.metadata.uid !== ref.uid) return undefined;
      // A ReplicaSet under a Deployment counts through the Deployment.
      if (controllerRef(rs)?.kind === 'Deployment') return undefined;
      return { uid: rs.metadata.uid, scale: rs.spec?.replicas ?? 1 };
    },
    async (ref, ns) => {
      if (!verifyGroupKind(ref, 'StatefulSet', ['apps'])) return undefined;
      const ss = this.statefulsets.lister.get(ns, ref.name);
      return ss && ss.metadata.uid === ref.uid ? { uid: ss.metadata.uid, scale: ss.spec?.replicas ?? 1 } : undefined;
    },
    (ref, ns) => this.scaleController(ref, ns),
  ];

  private async scaleController(ref: OwnerReference, namespace: string): Promise<ControllerAndScale | undefined> {
    const { group, version } = parseApiVersion(ref.apiVersion);
    const mapping = await this.client.mapping(ref.apiVersion, ref.kind);
    if (!mapping) throw new Error(`no matches for kind "${ref.kind}" in version "${ref.apiVersion}"`);
    const rc = this.client.resource(mapping);
    const gr = mapping.group ? `${mapping.resource}.${mapping.group}` : mapping.resource;
    let scale: { metadata?: { uid?: string }; spec?: { replicas?: number } };
    try {
      ({ body: scale } = await this.client.requestJSON('GET', rc.path(namespace, ref.name, 'scale'), { qr: { group, resource: mapping.resource }, name: ref.name }));
    } catch (e) {
      if (!isNotFound(e)) throw e;
      // NotFound means either no such object or no scale subresource; only the second is an error.
      const resources = await this.client.serverResources();
      const served = resources.find((r) => r.group === mapping.group && r.version === version && r.resource === mapping.resource);
      if (!served?.subresources.includes('scale')) throw new Error(`${gr} does not implement the scale subresource`);
      return undefined;
    }
    if (scale.metadata?.uid !== ref.uid) return undefined;
    return { uid: ref.uid, scale: scale.spec?.replicas ?? 0 };
  }

  // buildDisruptedPodMap: keep entries for pods still expected to go, warn about those that never did.
  private buildDisruptedPodMap(pods: Pod[], pdb: PodDisruptionBudget, now: number): { disruptedPods: Record<string, string>; recheckAt?: number } {
    const recorded = pdb.status?.disruptedPods ?? {};
    const disruptedPods: Record<string, string> = {};
    let recheckAt: number | undefined;
    for (const pod of pods) {
      if (pod.metadata.deletionTimestamp) continue;
      const at = recorded[pod.metadata.name!];
      if (at === undefined) continue;
      const expectedDeletion = Date.parse(at) + DELETION_TIMEOUT_MS;
      if (expectedDeletion < now) {
        // Upstream names the PDB's namespace twice here.
        this.recorder.event(pod, 'Warning', 'NotDeleted', `Pod was expected by PDB ${pdb.metadata.namespace}/${pdb.metadata.namespace} to be deleted but it wasn't`);
      } else {
        if (recheckAt === undefined || expectedDeletion < recheckAt) recheckAt = expectedDeletion;
        disruptedPods[pod.metadata.name!] = at;
      }
    }
    return { disruptedPods, recheckAt };
  }

  private async updatePdbStatus(pdb: PodDisruptionBudget, currentHealthy: number, desiredHealthy: number, expectedCount: number, disruptedPods: Record<string, string>): Promise<void> {
    // No disruptions while nothing is expected: the first pods of a new budget are safe before it syncs.
    let disruptionsAllowed = currentHealthy - desiredHealthy;
    if (expectedCount <= 0 || disruptionsAllowed <= 0) disruptionsAllowed = 0;
    const st = pdb.status;
    const generation = pdb.metadata.generation ?? 0;
    if (
      st &&
      (st.currentHealthy ?? 0) === currentHealthy &&
      (st.desiredHealthy ?? 0) === desiredHealthy &&
      (st.expectedPods ?? 0) === expectedCount &&
      (st.disruptionsAllowed ?? 0) === disruptionsAllowed &&
      sameMap(st.disruptedPods ?? {}, disruptedPods) &&
      (st.observedGeneration ?? 0) === generation &&
      conditionsAreUpToDate(pdb)
    ) {
      return;
    }
    const next = jsonCopy(pdb);
    // Field order as PodDisruptionBudgetStatus serializes.
    const status: Status = { observedGeneration: generation } as Status;
    if (Object.keys(disruptedPods).length) status.disruptedPods = disruptedPods;
    status.disruptionsAllowed = disruptionsAllowed;
    status.currentHealthy = currentHealthy;
    status.desiredHealthy = desiredHealthy;
    status.expectedPods = expectedCount;
    if (pdb.status?.conditions) status.conditions = jsonCopy(pdb.status.conditions);
    next.status = status;
    updateDisruptionAllowedCondition(next, this.clock.now());
    await this.writeStatus(next);
  }

  // failSafe: whatever went wrong, at least stop the eviction handler from approving anything.
  private async failSafe(pdb: PodDisruptionBudget, err: unknown): Promise<void> {
    const next = jsonCopy(pdb);
    const st = (next.status ??= {} as Status);
    st.disruptionsAllowed = 0;
    st.currentHealthy ??= 0;
    st.desiredHealthy ??= 0;
    st.expectedPods ??= 0;
    setStatusCondition(
      (st.conditions ??= []),
      { type: DISRUPTION_ALLOWED, status: 'False', reason: SYNC_FAILED, message: errorText(err), observedGeneration: st.observedGeneration ?? 0 },
      this.clock.now(),
    );
    await this.writeStatus(next);
  }

  private async writeStatus(pdb: PodDisruptionBudget): Promise<void> {
    await this.client.resource<PodDisruptionBudget>(PDBS).namespace(pdb.metadata.namespace!).updateStatus(pdb);
  }

  /** When a pod carries a DisruptionTarget condition that nothing acted on, and how long until it counts as stale. */
  private staleDisruptionCondition(pod: Pod): { cleanAfterMs: number } | undefined {
    if (pod.metadata.deletionTimestamp) return undefined;
    const cond = pod.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
    // Conditions the kubelet set, and those on terminal pods, never go stale.
    if (!cond || cond.status !== 'True' || cond.reason === 'TerminationByKubelet' || isPodTerminal(pod)) return undefined;
    const since = cond.lastTransitionTime ? Date.parse(cond.lastTransitionTime) : 0;
    return { cleanAfterMs: Math.max(0, this.staleTimeoutMs - (this.clock.now() - since)) };
  }

  private async syncStalePodDisruption(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const pod = this.pods.lister.get(namespace, name);
    if (!pod) return;
    const stale = this.staleDisruptionCondition(pod);
    if (!stale) return;
    if (stale.cleanAfterMs > 0) {
      this.queue.addAfter(`${STALE_POD_PREFIX}${key}`, stale.cleanAfterMs);
      return;
    }
    const next = jsonCopy(pod);
    const conditions = next.status!.conditions!;
    const i = conditions.findIndex((c) => c.type === 'DisruptionTarget');
    conditions[i] = { type: 'DisruptionTarget', status: 'False', lastProbeTime: null as unknown as undefined, lastTransitionTime: rfc3339(this.clock.now()) };
    await this.client.resource<Pod>(PODS).namespace(namespace).updateStatus(next);
  }
}

/** countHealthyPods: ready, not being deleted, and not about to be (an approved eviction). */
function countHealthyPods(pods: Pod[], disruptedPods: Record<string, string>, now: number): number {
  let healthy = 0;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const at = disruptedPods[pod.metadata.name!];
    if (at !== undefined && Date.parse(at) + DELETION_TIMEOUT_MS > now) continue;
    if (isPodReady(pod)) healthy++;
  }
  return healthy;
}

function verifyGroupKind(ref: OwnerReference, kind: string, groups: string[]): boolean {
  return ref.kind === kind && groups.includes(parseApiVersion(ref.apiVersion).group);
}

function sameMap(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => b[k] !== undefined && Date.parse(a[k]) === Date.parse(b[k]));
}

function errorText(e: unknown): string {
  if (isStatusError(e)) return e.status.message ?? e.message;
  return e instanceof Error ? e.message : String(e);
}
