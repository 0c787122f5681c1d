// Apply conflicts and the 409 that reports them, worded as k8s.io/apimachinery's managedfields
// internal/conflict.go (NewConflictError) over structured-merge-diff's merge.Conflicts.

import { StatusError, type Status } from '../errors.js';
import { pathString, type Path } from './fieldpath.js';
import { parseManagerIdentifier } from './managedfields.js';

/** One field another manager owns that an apply would change. */
export interface Conflict {
  /** The manager identifier (the JSON built by managerIdentifier). */
  manager: string;
  path: Path;
}

/** merge.Conflicts, thrown by the merge when an apply is not forced. */
export class ApplyConflicts extends Error {
  constructor(readonly conflicts: Conflict[]) {
    super(conflicts.map((c) => `conflict with ${JSON.stringify(c.manager)}: ${pathString(c.path)}`).join('\n'));
    this.name = 'ApplyConflicts';
  }
}

/**
 * printManager: `"name"` for an applier, `"name" using apps/v1` for an updater, with
 * ` with subresource "status"` after the name when the entry is for a subresource.
 */
export function printManager(id: string): string {
  const e = parseManagerIdentifier(id);
  let s = JSON.stringify(e.manager ?? '');
  if (e.subresource) s = `${s} with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') return `${s} using ${e.apiVersion ?? ''}`;
  return s;
}

/** The conflict message: one line for one conflict, else grouped by sorted manager. */
export function conflictMessage(conflicts: Conflict[]): string {
  if (conflicts.length === 1) {
    return `Apply failed with 1 conflict: conflict with ${printManager(conflicts[0].manager)}: ${pathString(conflicts[0].path)}`;
  }
  const byManager = new Map<string, Path[]>();
  for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), c.path]);
  const lines: string[] = [];
  for (const m of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${printManager(m)}:`);
    for (const p of byManager.get(m)!) lines.push(`- ${pathString(p)}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

/** NewConflictError: 409 Conflict with one FieldManagerConflict cause per field. */
export function conflictError(conflicts: Conflict[]): StatusError {
  const status: Status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: conflictMessage(conflicts),
    reason: 'Conflict',
    details: {
      causes: conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${printManager(c.manager)}`, field: pathString(c.path) })),
    },
    code: 409,
  };
  return new StatusError(status);
}
