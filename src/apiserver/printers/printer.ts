// Server-side Table printing (meta.k8s.io/v1 Table): the columns kubectl shows for each resource,
// as kube-apiserver's pkg/printers/internalversion declares them.
import type { KubeObject } from '../../api/types.js';

/** metav1.TableColumnDefinition. priority 0 shows by default; 1 only with -o wide. */
export interface TableColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format: string;
  description: string;
  priority: number;
}

/** The columns of one resource and how to fill a row from an object. */
export interface Printer {
  columns: TableColumn[];
  /** One row's cells, aligned with columns; `now` is the clock's time in ms, for ages. */
  cells(obj: KubeObject, now: number): unknown[];
}
