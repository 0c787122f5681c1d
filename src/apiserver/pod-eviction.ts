// pods/eviction (EvictionREST, pkg/registry/core/pod/storage/eviction.go): a delete that first
// consults the PodDisruptionBudget covering the pod, decrementing its disruptionsAllowed (and
// recording the pod in disruptedPods) before the pod goes, so concurrent drains cannot together
// take more than the budget allows.
import { jsonCopy } from '../apimachinery/json.js';
import { isDeepStrictEqual } from 'node:util';
import { updateDisruptionAllowedCondition } from '../api/pdb.js';
import type { Pod } from '../api/objects.js';
import { isPodReady } from '../api/pod.js';
import { RESOURCES, type ResourceInfo } from '../api/resources.js';
import type { KubeObject } from '../api/types.js';
import { badRequest, conflict, forbidden, internalError, isStatusError, methodNotAllowed, StatusError, timeout, tooManyRequests, type Status } from '../apimachinery/errors.js';
import { matches, selectorFromLabelSelector, isEmptySelector, type LabelSelectorSpec } from '../apimachinery/labels.js';
import { rfc3339 } from '../sim/clock.js';
import { decodeRequestBody, writeObject } from './http.js';
import type { PodSubresourceContext } from './pod-subresources.js';
import { validateDeleteOptions } from './delete-options.js';
import type { DeleteOptions as RegistryDeleteOptions } from './registry/generic.js';

/** Upstream refuses evictions once this many approved evictions wait for the PDB controller to notice them. */
export const MAX_DISRUPTED_POD_SIZE = 2000;

// EvictionsRetry: 20 attempts on conflicts (the registry already retries its own compare-and-swap).
const EVICTION_RETRIES = 20;

const PDB_RESOURCE: ResourceInfo = RESOURCES.find((r) => r.group === 'policy' && r.resource === 'poddisruptionbudgets' && r.version === 'v1')!;

const DISRUPTION_BUDGET_CAUSE = 'DisruptionBudget';
const VIOLATION_MESSAGE = "Cannot evict pod as it would violate the pod's disruption budget.";

interface EvictionDeleteOptions {
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  propagationPolicy?: string;
  orphanDependents?: boolean;
  dryRun?: string[];
}

interface Eviction {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string };
  deleteOptions?: EvictionDeleteOptions | null;
}

type PodLike = KubeObject & {
  spec?: Record<string, unknown>;
  status?: { phase?: string; conditions?: Condition[] } & Record<string, unknown>;
};

interface Condition {
  type: string;
  status: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
  observedGeneration?: number;
}

type Pdb = KubeObject & {
  spec?: { selector?: LabelSelectorSpec | null; unhealthyPodEvictionPolicy?: string };
  status?: {
    observedGeneration?: number;
    disruptionsAllowed?: number;
    currentHealthy?: number;
    desiredHealthy?: number;
    expectedPods?: number;
    disruptedPods?: Record<string, string> | null;
    conditions?: Condition[];
  };
};

export async function handleEviction(ctx: PodSubresourceContext): Promise<void> {
  const { req, res, ri } = ctx;
  if (ri.verb !== 'create') throw methodNotAllowed({ group: '', resource: 'pods/eviction' }, ri.verb);
  const eviction = decodeEviction(await decodeRequestBody(req, req.headers['content-type'], { apiVersion: 'policy/v1', kind: 'Eviction' }));
  if (eviction.metadata?.namespace && eviction.metadata.namespace !== ri.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  if ((eviction.metadata?.name ?? '') !== ri.name) throw badRequest('name in URL does not match name in Eviction object');
  const options = propagateDryRun(eviction, req.query.getAll('dryRun'));
  validateDeleteOptions(options);
  let status: Status;
  try {
    status = await evict(ctx, options);
  } catch (e) {
    // A 429 that suggests a retry carries Retry-After, as kube-apiserver's error writer adds it.
    const retryAfter = isStatusError(e) ? e.status.details?.retryAfterSeconds : undefined;
    if (isStatusError(e) && retryAfter && retryAfter > 0 && !res.headersSent) {
      const body = JSON.stringify(e.status);
      res.writeHead(e.status.code, {
        'Content-Type': 'application/json',
        'Cache-Control': 'no-cache, private',
        'Retry-After': String(retryAfter),
        'Content-Length': String(Buffer.byteLength(body)),
      });
      res.end(body);
      return;
    }
    throw e;
  }
  writeObject(res, status.code, status);
}

function decodeEviction(body: unknown): Eviction {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('not a Eviction object');
  const eviction = body as Eviction;
  const apiVersion = eviction.apiVersion ?? 'policy/v1';
  if (apiVersion !== 'policy/v1' && apiVersion !== 'policy/v1beta1') {
    throw badRequest(`the API version in the data (${apiVersion}) does not match the expected API version (policy/v1)`);
  }
  if (eviction.kind !== undefined && eviction.kind !== 'Eviction') throw badRequest(`not a Eviction object: *policy.${eviction.kind}`);
  const problem = evictionTypeError(eviction);
  if (problem) throw badRequest(`Eviction in version "${apiVersion.split('/')[1]}" cannot be handled as a Eviction: ${problem}`);
  return eviction;
}

// What the typed decoder would refuse: fields of the wrong JSON type.
function evictionTypeError(e: Eviction): string | undefined {
  const isObj = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  const unmarshal = (v: unknown, goType: string, field: string) =>
    `json: cannot unmarshal ${Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v === 'object' ? 'object' : typeof v} into Go struct field ${field} of type ${goType}`;
  if (e.metadata !== undefined && !isObj(e.metadata)) return unmarshal(e.metadata, 'v1.ObjectMeta', 'Eviction.metadata');
  for (const f of ['name', 'namespace'] as const) {
    const v = e.metadata?.[f];
    if (v !== undefined && typeof v !== 'string') return unmarshal(v, 'string', `Eviction.metadata.${f}`);
  }
  const d = e.deleteOptions;
  if (d === undefined || d === null) return undefined;
  if (!isObj(d)) return unmarshal(d, 'v1.DeleteOptions', 'Eviction.deleteOptions');
  if (d.gracePeriodSeconds !== undefined && d.gracePeriodSeconds !== null && !Number.isInteger(d.gracePeriodSeconds)) {
    return unmarshal(d.gracePeriodSeconds, 'int64', 'Eviction.deleteOptions.gracePeriodSeconds');
  }
  if (d.propagationPolicy !== undefined && d.propagationPolicy !== null && typeof d.propagationPolicy !== 'string') {
    return unmarshal(d.propagationPolicy, 'v1.DeletionPropagation', 'Eviction.deleteOptions.propagationPolicy');
  }
  if (d.orphanDependents !== undefined && d.orphanDependents !== null && typeof d.orphanDependents !== 'boolean') {
    return unmarshal(d.orphanDependents, 'bool', 'Eviction.deleteOptions.orphanDependents');
  }
  if (d.dryRun !== undefined && d.dryRun !== null && (!Array.isArray(d.dryRun) || d.dryRun.some((x) => typeof x !== 'string'))) {
    return unmarshal(d.dryRun, '[]string', 'Eviction.deleteOptions.dryRun');
  }
  if (d.preconditions !== undefined && d.preconditions !== null) {
    if (!isObj(d.preconditions)) return unmarshal(d.preconditions, 'v1.Preconditions', 'Eviction.deleteOptions.preconditions');
    for (const f of ['uid', 'resourceVersion'] as const) {
      const v = d.preconditions[f];
      if (v !== undefined && v !== null && typeof v !== 'string') return unmarshal(v, 'string', `Eviction.deleteOptions.preconditions.${f}`);
    }
  }
  return undefined;
}

// propagateDryRun: the request's dryRun and the body's deleteOptions.dryRun must agree.
function propagateDryRun(eviction: Eviction, queryDryRun: string[]): EvictionDeleteOptions {
  const opts: EvictionDeleteOptions = jsonCopy(eviction.deleteOptions ?? {});
  const bodyDryRun = opts.dryRun ?? [];
  if (bodyDryRun.length === 0) {
    if (queryDryRun.length) opts.dryRun = queryDryRun;
    return opts;
  }
  if (queryDryRun.length === 0) return opts;
  if (!isDeepStrictEqual(queryDryRun, bodyDryRun)) {
    throw internalError(new Error(`Non-matching dry-run options in request and content: [${queryDryRun.join(' ')}] and [${bodyDryRun.join(' ')}]`));
  }
  return opts;
}


const isDryRun = (o: EvictionDeleteOptions) => (o.dryRun?.length ?? 0) > 0;
const resourceVersionIsUnset = (o: EvictionDeleteOptions) => !o.preconditions?.resourceVersion;

function withResourceVersion(o: EvictionDeleteOptions, rv: string | undefined): EvictionDeleteOptions {
  const copy = jsonCopy(o);
  copy.preconditions = { ...(copy.preconditions ?? {}), resourceVersion: rv };
  return copy;
}

/** Pods whose disruption has already happened (terminal), is under way (deleting), or never started (Pending). */
function canIgnorePDB(pod: PodLike): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || !!pod.metadata.deletionTimestamp;
}

function shouldEnforceResourceVersion(pod: PodLike): boolean {
  const phase = pod.status?.phase;
  return !(phase === 'Succeeded' || phase === 'Failed' || pod.metadata.deletionTimestamp);
}

const SUCCESS: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };

async function evict(ctx: PodSubresourceContext, original: EvictionDeleteOptions): Promise<Status> {
  const { ri } = ctx;
  let pod: PodLike | undefined;
  // Pods that can ignore their budget are deleted at once, retrying conflicts unless the caller pinned a resourceVersion.
  for (let attempt = 0; ; attempt++) {
    try {
      pod = (await ctx.pods.get(ri.namespace, ri.name)) as PodLike;
      if (!canIgnorePDB(pod)) break;
      let opts = original;
      if (shouldEnforceResourceVersion(pod) && resourceVersionIsUnset(original)) opts = withResourceVersion(original, pod.metadata.resourceVersion);
      await addConditionAndDeletePod(ctx, opts);
      return SUCCESS;
    } catch (e) {
      if (isConflict(e) && resourceVersionIsUnset(original) && attempt < EVICTION_RETRIES - 1) continue;
      throw e;
    }
  }

  const pdbs = await podDisruptionBudgets(ctx, pod);
  if (pdbs.length > 1) {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
      code: 500,
    };
  }
  let pdbName = '';
  let unhealthyDelete = false;
  if (pdbs.length === 1) {
    const pdb = pdbs[0];
    pdbName = pdb.metadata.name!;
    if (!isPodReady(pod as unknown as Pod)) {
      // An unready pod does not count towards currentHealthy: deleting it takes nothing from the budget
      // when the policy says so, or when the application is healthy enough without it.
      const st = pdb.status ?? {};
      if (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow' || ((st.currentHealthy ?? 0) >= (st.desiredHealthy ?? 0) && (st.desiredHealthy ?? 0) > 0)) {
        unhealthyDelete = true;
      }
    }
    if (!unhealthyDelete) await checkAndDecrement(ctx, pdbName, pod.metadata.name!, isDryRun(original));
  }

  let opts = original;
  // Pin the pod's resourceVersion so it cannot have become ready since the budget was read.
  if (unhealthyDelete) opts = withResourceVersion(original, pod.metadata.resourceVersion);
  try {
    await addConditionAndDeletePod(ctx, opts);
  } catch (e) {
    if (isConflict(e) && unhealthyDelete && resourceVersionIsUnset(original)) throw stillProcessing(pdbName);
    throw e;
  }
  return SUCCESS;
}

function isConflict(e: unknown): boolean {
  return isStatusError(e) && e.code === 409;
}

/** createTooManyRequestsError: the budget has not caught up with its spec (or a race lost). */
function stillProcessing(pdbName: string): StatusError {
  const err = tooManyRequests(VIOLATION_MESSAGE, 10);
  err.status.details = {
    causes: [{ reason: DISRUPTION_BUDGET_CAUSE, message: `The disruption budget ${pdbName} is still being processed by the server.` }],
    retryAfterSeconds: 10,
  };
  return err;
}

// The budgets whose selector matches the pod; a nil or empty selector matches nothing here.
async function podDisruptionBudgets(ctx: PodSubresourceContext, pod: PodLike): Promise<Pdb[]> {
  const list = await ctx.registryFor(PDB_RESOURCE).list(ctx.ri.namespace, {});
  const out: Pdb[] = [];
  for (const item of list.items as Pdb[]) {
    let sel;
    try {
      sel = selectorFromLabelSelector(item.spec?.selector);
    } catch {
      continue;
    }
    if (sel.nothing || isEmptySelector(sel) || !matches(sel, pod.metadata.labels ?? {})) continue;
    out.push(item);
  }
  return out;
}

// checkAndDecrement, repeated on conflicts against the latest budget.
async function checkAndDecrement(ctx: PodSubresourceContext, pdbName: string, podName: string, dryRun: boolean): Promise<void> {
  const registry = ctx.registryFor(PDB_RESOURCE);
  const decrement = (current: KubeObject): KubeObject => {
    const pdb = current as Pdb;
    const st = (pdb.status ??= {});
    if ((st.observedGeneration ?? 0) < (pdb.metadata.generation ?? 0)) throw stillProcessing(pdbName);
    const allowed = st.disruptionsAllowed ?? 0;
    if (allowed < 0) throw forbidden({ group: 'policy', resource: 'poddisruptionbudget' }, pdbName, 'pdb disruptions allowed is negative');
    if (Object.keys(st.disruptedPods ?? {}).length > MAX_DISRUPTED_POD_SIZE) {
      throw forbidden({ group: 'policy', resource: 'poddisruptionbudget' }, pdbName, 'DisruptedPods map too big - too many evictions not confirmed by PDB controller');
    }
    if (allowed === 0) {
      const err = tooManyRequests(VIOLATION_MESSAGE);
      err.status.details = {
        causes: [{ reason: DISRUPTION_BUDGET_CAUSE, message: `The disruption budget ${pdbName} needs ${st.desiredHealthy ?? 0} healthy pods and has ${st.currentHealthy ?? 0} currently` }],
      };
      throw err;
    }
    st.disruptionsAllowed = allowed - 1;
    if (st.disruptionsAllowed === 0) updateDisruptionAllowedCondition(pdb, ctx.clock.now());
    st.disruptedPods = { ...(st.disruptedPods ?? {}), [podName]: rfc3339(ctx.clock.now()) };
    delete pdb.metadata.resourceVersion;
    return pdb;
  };
  if (dryRun) {
    // A dry run checks the budget and writes nothing.
    decrement(jsonCopy(await registry.get(ctx.ri.namespace, pdbName)));
    return;
  }
  for (let attempt = 0; ; attempt++) {
    try {
      await registry.update(ctx.ri.namespace, pdbName, decrement, {
        user: ctx.user,
        dryRun: false,
        subresource: 'status',
        fieldManager: { manager: 'kube-apiserver', apiVersion: 'policy/v1' },
      });
      return;
    } catch (e) {
      if (!isConflict(e)) throw e;
      if (attempt >= EVICTION_RETRIES - 1) throw timeout(`couldn't update PodDisruptionBudget "${pdbName}" due to conflicts`, 10);
    }
  }
}

// addConditionAndDeletePod: mark the pod with DisruptionTarget (unless a dry run), then delete it.
async function addConditionAndDeletePod(ctx: PodSubresourceContext, original: EvictionDeleteOptions): Promise<void> {
  const { ri } = ctx;
  let options = original;
  if (!isDryRun(options)) {
    const updated = await ctx.pods.update(
      ri.namespace,
      ri.name,
      (current) => {
        const pod = current as PodLike;
        const pre = options.preconditions;
        if (pre?.uid && pre.uid !== pod.metadata.uid) {
          throw conflict(
            { group: '', resource: 'Pod' },
            ri.name,
            `the UID in the precondition (${pre.uid}) does not match the UID in record (${pod.metadata.uid ?? ''}). The object might have been deleted and then recreated`,
          );
        }
        if (pre?.resourceVersion && pre.resourceVersion !== pod.metadata.resourceVersion) {
          throw conflict(
            { group: '', resource: 'Pod' },
            ri.name,
            `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${pod.metadata.resourceVersion}). The object might have been modified`,
          );
        }
        updatePodCondition(pod, { type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' }, ctx.clock.now());
        delete pod.metadata.resourceVersion;
        return pod;
      },
      { user: ctx.user, dryRun: false, subresource: 'status' },
    );
    // We moved the resourceVersion ourselves: a pinned precondition follows it.
    if (!resourceVersionIsUnset(options)) options = withResourceVersion(options, updated.metadata.resourceVersion);
  }
  const deleteOpts: RegistryDeleteOptions = {
    user: ctx.user,
    dryRun: isDryRun(options),
    preconditions: options.preconditions ?? undefined,
    gracePeriodSeconds: options.gracePeriodSeconds ?? undefined,
    propagationPolicy: options.orphanDependents !== undefined && options.orphanDependents !== null && !options.propagationPolicy ? (options.orphanDependents ? 'Orphan' : 'Background') : options.propagationPolicy,
  };
  await ctx.pods.delete(ri.namespace, ri.name, deleteOpts);
}

/** podutil.UpdatePodCondition: lastTransitionTime is kept when the status does not change. */
function updatePodCondition(pod: PodLike, cond: Condition, nowMs: number): void {
  const status = (pod.status ??= {});
  const conditions = (status.conditions ??= []);
  const next: Condition = { type: cond.type, status: cond.status, lastProbeTime: null, lastTransitionTime: rfc3339(nowMs), reason: cond.reason, message: cond.message };
  const i = conditions.findIndex((c) => c.type === cond.type);
  if (i < 0) {
    conditions.push(next);
    return;
  }
  if (conditions[i].status === cond.status) next.lastTransitionTime = conditions[i].lastTransitionTime;
  conditions[i] = next;
}
