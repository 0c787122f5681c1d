// What the EKS API's parts share: record shapes, epoch-second timestamps, pagination, and
// required-field checks worded as the service words them.
import { randomUUID } from 'node:crypto';
import type { Clock } from '../sim/clock.js';
import type { Subnet } from '../cloud/vpc.js';
import { invalidParameter } from './errors.js';

export type Json = Record<string, unknown>;

/** EKS timestamps are epoch seconds. */
export const seconds = (ms: number) => ms / 1000;

export interface ClusterRecord {
  region: string;
  accountId: string;
  creatorArn: string;
  vpcId: string;
  subnets: Subnet[];
  cluster: Json & { name: string; status: string; version: string; tags: Record<string, string>; arn: string };
  /**
   * CreateCluster's bootstrapSelfManagedAddons (default true) until its add-ons are in the
   * cluster: a restart in between applies them again.
   */
  selfManagedAddonsPending?: boolean;
}

export interface UpdateRecord {
  region: string;
  clusterName: string;
  nodegroupName?: string;
  addonName?: string;
  update: Json & { id: string; status: string };
}

export const updateKey = (u: UpdateRecord) => `${u.region}/${u.clusterName}/${u.update.id}`;

/** A new update, InProgress from now. */
export function newUpdate(now: number, region: string, clusterName: string, scope: { nodegroupName?: string; addonName?: string }, type: string, params: { type: string; value: string }[]): UpdateRecord {
  return { region, clusterName, ...scope, update: { id: randomUUID(), status: 'InProgress', type, params, createdAt: seconds(now), errors: [] } };
}

export function requireString(input: Json, field: string): string {
  const v = input[field];
  if (typeof v !== 'string' || !v) throw invalidParameter(`${field} is required`);
  return v;
}

/** One page of names, and the token for the next (maxResults 1–100, default 100). */
export function paginate(items: string[], q: URLSearchParams): { items: string[]; nextToken?: string } {
  const max = q.get('maxResults') ? Number(q.get('maxResults')) : 100;
  if (!Number.isInteger(max) || max < 1 || max > 100) throw invalidParameter('maxResults must be between 1 and 100');
  let start = 0;
  const token = q.get('nextToken');
  if (token) {
    start = Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0) throw invalidParameter('The nextToken provided is invalid');
  }
  const page = items.slice(start, start + max);
  return { items: page, ...(start + max < items.length ? { nextToken: Buffer.from(String(start + max)).toString('base64url') } : {}) };
}

/**
 * The clock, with timers that do nothing once stopped fires: a transition still due when skiff
 * stops must not write to a closed store (the next start finishes it from the records).
 */
export function stoppableClock(clock: Clock, stopped: AbortSignal): Clock {
  const guard = (fn: () => void) => () => {
    if (!stopped.aborted) fn();
  };
  return {
    now: () => clock.now(),
    date: () => clock.date(),
    setTimeout: (fn, ms) => clock.setTimeout(guard(fn), ms),
    clearTimeout: (h) => clock.clearTimeout(h),
    setInterval: (fn, ms) => clock.setInterval(guard(fn), ms),
    clearInterval: (h) => clock.clearInterval(h),
    sleep: (ms, signal) => clock.sleep(ms, signal ?? stopped),
  };
}
