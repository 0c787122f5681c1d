// The meta.k8s.io/v1 Table wire shapes, and the optional per-row conditions a printer may report.
import type { KubeObject } from '../../api/types.js';
import type { Printer, TableColumn } from './printer.js';

/** metav1.TableRowCondition: e.g. a finished pod's row is marked Completed. */
export interface TableRowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** metav1.TableRow. `object` is null when the request asked for includeObject=None. */
export interface TableRow {
  cells: unknown[];
  conditions?: TableRowCondition[];
  object: unknown;
}

/** metav1.Table as kube-apiserver serializes it (columnDefinitions is null with noHeaders). */
export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: TableColumn[] | null;
  rows: TableRow[] | null;
}

/** A Printer that also marks rows with conditions (upstream sets them only for pods). */
export interface ConditionalPrinter extends Printer {
  rowConditions(obj: KubeObject): TableRowCondition[] | undefined;
}

/** True when the printer reports row conditions. */
export function hasRowConditions(p: Printer): p is ConditionalPrinter {
  return typeof (p as Partial<ConditionalPrinter>).rowConditions === 'function';
}
