import type { ResultTable, SortDirection } from '../results/types';

/*
 * Stand-ins for the result helpers in src/results/resultTable.ts (sortOrder, filterOrder) and the
 * CSV writer (writeCsv), written while those were being built elsewhere: the query panel calls
 * them through ResultOps, so the real ones replace these in one place.
 */

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

const DECIMAL = /^[-+]?(\d+)(\.\d+)?$/;

/** Exact comparison of two decimal strings (64-bit integers and DECIMAL(38,x) keep every digit). */
export function compareDecimal(a: string, b: string): number {
  const negA = a.startsWith('-');
  const negB = b.startsWith('-');
  if (negA !== negB) {
    return negA ? -1 : 1;
  }
  const [ia, fa = ''] = a.replace(/^[-+]/, '').split('.');
  const [ib, fb = ''] = b.replace(/^[-+]/, '').split('.');
  const intA = ia.replace(/^0+(?=\d)/, '');
  const intB = ib.replace(/^0+(?=\d)/, '');
  let cmp = intA.length - intB.length || (intA < intB ? -1 : intA > intB ? 1 : 0);
  if (cmp === 0) {
    const len = Math.max(fa.length, fb.length);
    const x = fa.padEnd(len, '0');
    const y = fb.padEnd(len, '0');
    cmp = x < y ? -1 : x > y ? 1 : 0;
  }
  return negA ? -cmp : cmp;
}

function sortOrder(table: ResultTable, column: number, direction: SortDirection): Uint32Array {
  const n = table.rowCount;
  const values: Array<string | null> = new Array<string | null>(n);
  let numeric = true;
  for (let i = 0; i < n; i++) {
    const v = table.cell(i, column);
    values[i] = v;
    if (v !== null && numeric && !DECIMAL.test(v)) numeric = false;
  }
  const sign = direction === 'desc' ? -1 : 1;
  const compare = numeric ? compareDecimal : (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const order = Array.from(fileOrder(n));
  order.sort((x, y) => {
    const a = values[x];
    const b = values[y];
    if (a === null || b === null) {
      return a === b ? x - y : a === null ? 1 : -1;
    }
    return sign * compare(a, b) || x - y;
  });
  return Uint32Array.from(order);
}

function filterOrder(table: ResultTable, order: Uint32Array, text: string): Uint32Array {
  const needle = text.toLowerCase();
  if (!needle) return order;
  const kept: number[] = [];
  const columns = table.columns.length;
  for (const row of order) {
    for (let c = 0; c < columns; c++) {
      const v = table.cell(row, c);
      if (v !== null && v.toLowerCase().includes(needle)) {
        kept.push(row);
        break;
      }
    }
  }
  return Uint32Array.from(kept);
}

/** A plain number is data, not a formula, even with a leading minus or plus. */
const PLAIN_NUMBER = /^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?$/;

/** Cells starting with = + - @ (or a tab or carriage return) get a leading ' so a spreadsheet shows them as text. */
export function neutralise(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) && !PLAIN_NUMBER.test(cell) ? `'${cell}` : cell;
}

/** One CSV field: NULL is empty, the empty string is "" (kept apart), quoted when needed. */
export function csvField(cell: string | null): string {
  if (cell === null) return '';
  const safe = neutralise(cell);
  return safe === '' || /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function writeCsv(table: ResultTable, order: Uint32Array): string {
  const lines: string[] = [table.columns.map((c) => csvField(c.name)).join(',')];
  const columns = table.columns.length;
  for (const row of order) {
    const cells: string[] = [];
    for (let c = 0; c < columns; c++) cells.push(csvField(table.cell(row, c)));
    lines.push(cells.join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

export const FALLBACK_RESULT_OPS: ResultOps = { sortOrder, filterOrder, writeCsv };
