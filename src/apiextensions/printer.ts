// Server-side Table printing of custom resources (pkg/registry/customresource/tableconvertor): a Name
// column, then the version's additionalPrinterColumns evaluated with JSONPath; a version without
// columns prints NAME and AGE, as kube-apiserver's serveDefaultColumnsIfEmpty does.
import type { KubeObject } from '../api/types.js';
import { CREATION_TIMESTAMP_DESCRIPTION, humanDuration, nameColumn } from '../apiserver/printers/format.js';
import type { Printer, TableColumn } from '../apiserver/printers/printer.js';
import { goJSON, goNumber } from './gofmt.js';
import { findResults } from './jsonpath.js';
import { crdVersion, type CustomResourceColumnDefinition, type CustomResourceDefinition } from './types.js';

/** The Age column every version without printer columns gets. */
export const DEFAULT_COLUMNS: CustomResourceColumnDefinition[] = [
  { name: 'Age', type: 'date', description: CREATION_TIMESTAMP_DESCRIPTION, jsonPath: '.metadata.creationTimestamp' },
];

/** jsonpath PrintResults of one value: strings bare, maps and lists as JSON, numbers as %v. */
function printValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return goNumber(v);
  if (typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return '<nil>';
  return goJSON(v);
}

/** metav1.Time.UnmarshalQueryParameter: RFC 3339 only. */
function parseRFC3339(s: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(s)) return undefined;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : ms;
}

/** cellForJSONValue: a typed cell, or null when the value does not fit the column's type. */
function cellFor(type: string, v: unknown, now: number): unknown {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'integer':
      return typeof v === 'number' ? Math.trunc(v) : null;
    case 'number':
      return typeof v === 'number' ? v : null;
    case 'boolean':
      return typeof v === 'boolean' ? v : null;
    case 'date': {
      if (typeof v !== 'string') return null;
      const ms = parseRFC3339(v);
      return ms === undefined ? '<invalid>' : humanDuration(now - ms);
    }
    default:
      return typeof v === 'string' ? v : null;
  }
}

/** The columns of a CRD version (its additionalPrinterColumns, or the default Age column). */
export function columnsForVersion(crd: CustomResourceDefinition, version: string): CustomResourceColumnDefinition[] {
  const cols = crdVersion(crd, version)?.additionalPrinterColumns ?? [];
  return cols.length ? cols : DEFAULT_COLUMNS;
}

/** A Printer from column definitions (also used for the scale subresource's Desired/Available/Age). */
export function printerFromColumns(cols: CustomResourceColumnDefinition[]): Printer {
  const columns: TableColumn[] = [
    nameColumn(),
    ...cols.map((c) => ({
      name: c.name,
      type: c.type as TableColumn['type'],
      format: c.format ?? '',
      description: c.description || `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
      priority: c.priority ?? 0,
    })),
  ];
  return {
    columns,
    cells(obj: KubeObject, now: number) {
      const cells: unknown[] = [obj.metadata.name ?? ''];
      for (const c of cols) {
        let results: unknown[];
        try {
          results = findResults(obj, c.jsonPath);
        } catch {
          results = [];
        }
        if (results.length === 0) {
          cells.push(null);
          continue;
        }
        const v = results[0];
        if (v === null) {
          cells.push(null);
          continue;
        }
        cells.push(c.type === 'string' ? printValue(v) : cellFor(c.type, v, now));
      }
      return cells;
    },
  };
}

/** The Table printer of a CRD version's custom resources. */
export function customResourcePrinter(crd: CustomResourceDefinition, version: string): Printer {
  return printerFromColumns(columnsForVersion(crd, version));
}
