import type { ResultTable, SortDirection } from '../results/types';

/* The query panel reaches the result helpers (src/results/resultTable.ts: RESULT_OPS) through this shape. */

/** What the query panel needs from the result helpers. */
export interface ResultOps {
  /** Row positions (file order) sorted by `column`; stable; NULLs last. */
  sortOrder(table: ResultTable, column: number, direction: SortDirection): Uint32Array;
  /** The positions of `order` whose row has a cell containing `text` (case-insensitive), in order. */
  filterOrder(table: ResultTable, order: Uint32Array, text: string): Uint32Array;
  /** The rows of `order` as CSV text, header first; cells that a spreadsheet would run as a formula are neutralised. */
  writeCsv(table: ResultTable, order: Uint32Array): string;
}

export function fileOrder(rowCount: number): Uint32Array {
  const order = new Uint32Array(rowCount);
  for (let i = 0; i < rowCount; i++) order[i] = i;
  return order;
}
