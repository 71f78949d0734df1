/**
 * What the query panel does with a ResultTable: sort, filter, copy as TSV, save as CSV. Orders are
 * row-index arrays over the table's file order, so the table itself never changes.
 */
import { isSortable, type NumericSortKeys } from './columns';
import { compareDecimalText } from './decimalText';

export { compareDecimalText };
import { CSV_TYPE, type ResultTable, type SortDirection } from './types';

/** Column types whose values compare as numbers (Parquet's; a CSV column qualifies when every value is a number). */
const NUMERIC_TYPE = /^(TINYINT|SMALLINT|INTEGER|BIGINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL\b)/;
const NUMBER_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Every row index of the table, in file order. */
export function identityOrder(table: ResultTable): Uint32Array {
  const order = new Uint32Array(table.rowCount);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order;
}

/**
 * Row indexes sorted by one column. Numbers compare as numbers, exactly (64-bit integers and
 * decimals past 2^53 are ordered by their exact values where their float approximations tie);
 * text compares by UTF-16 code units (`<`: the same as code point order except astral characters
 * against U+E000..U+FFFF), which is fast and locale-independent. NULLs come last in both
 * directions; equal values keep file order (stable).
 */
export function sortOrder(table: ResultTable, column: number, direction: SortDirection): Uint32Array {
  const n = table.rowCount;
  const sign = direction === 'asc' ? 1 : -1;
  const keys = numericKeys(table, column);
  const values: number[] = [];
  const nulls: number[] = [];
  let compare: (a: number, b: number) => number;
  if (keys) {
    for (let r = 0; r < n; r++) (keys.isNull(r) ? nulls : values).push(r);
    const { approx, tie } = keys;
    compare = (a, b) => {
      const x = approx[a];
      const y = approx[b];
      if (x < y) return -sign;
      if (x > y) return sign;
      if (x !== y) {
        // NaN (a DOUBLE that is not a number) sorts after every number.
        const nx = Number.isNaN(x);
        if (nx !== Number.isNaN(y)) return nx ? sign : -sign;
        return a - b;
      }
      const t = tie ? tie(a, b) : 0;
      return t !== 0 ? t * sign : a - b;
    };
  } else {
    const texts: Array<string | null> = new Array<string | null>(n);
    for (let r = 0; r < n; r++) {
      const v = table.cell(r, column);
      texts[r] = v;
      (v === null ? nulls : values).push(r);
    }
    compare = (a, b) => {
      const x = texts[a] as string;
      const y = texts[b] as string;
      return x < y ? -sign : x > y ? sign : a - b;
    };
  }
  const sorted = Uint32Array.from(values).sort(compare);
  const order = new Uint32Array(n);
  order.set(sorted);
  order.set(nulls, sorted.length);
  return order;
}

/** The numeric keys of a column, or undefined when it is text. */
function numericKeys(table: ResultTable, column: number): NumericSortKeys | undefined {
  const type = table.columns[column]?.type ?? '';
  if (isSortable(table)) {
    // Numbers, and DATE, TIMESTAMP, TIME, BOOLEAN too: they sort by their stored value (ISO text
    // would mostly agree, but not across fractional seconds or negative years).
    const keys = table.numericKeys(column);
    if (keys) return keys;
  }
  if (type !== CSV_TYPE && !NUMERIC_TYPE.test(type)) {
    return undefined;
  }
  // CSV carries no types: a column sorts as numbers when every value in it is one.
  const n = table.rowCount;
  const approx = new Float64Array(n);
  const texts: Array<string | null> = new Array<string | null>(n);
  let any = false;
  for (let r = 0; r < n; r++) {
    const v = table.cell(r, column);
    texts[r] = v;
    if (v === null) {
      approx[r] = NaN;
      continue;
    }
    if (!NUMBER_TEXT.test(v)) return undefined;
    approx[r] = Number(v);
    any = true;
  }
  if (!any) return undefined;
  return { approx, isNull: (r) => texts[r] === null, tie: (a, b) => compareDecimalText(texts[a] as string, texts[b] as string) };
}

/**
 * The rows (of `base`, in its order; default file order) where some cell contains `text`,
 * case-insensitively. NULL cells never match. An empty text keeps every row.
 */
export function filterOrder(table: ResultTable, text: string, base?: Uint32Array): Uint32Array {
  const order = base ?? identityOrder(table);
  const needle = text.toLowerCase();
  if (needle === '') return order;
  const columns = table.columns.length;
  const out = new Uint32Array(order.length);
  let k = 0;
  for (let i = 0; i < order.length; i++) {
    const r = order[i];
    for (let c = 0; c < columns; c++) {
      const v = table.cell(r, c);
      if (v !== null && v.toLowerCase().includes(needle)) {
        out[k++] = r;
        break;
      }
    }
  }
  return out.slice(0, k);
}

/**
 * Rows and a column range as TSV for the clipboard (what spreadsheets paste into cells). A cell
 * holding a tab, line break or double quote is quoted, with quotes doubled, as spreadsheets
 * themselves copy such cells; NULL is an empty cell. Lines end with \n.
 */
export function toTsv(table: ResultTable, rows: ArrayLike<number>, firstColumn: number, lastColumn: number, header: boolean): string {
  const lines: string[] = [];
  const tsvCell = (v: string | null): string => (v === null ? '' : /[\t\n\r"]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  if (header) {
    lines.push(table.columns.slice(firstColumn, lastColumn + 1).map((c) => tsvCell(c.name)).join('\t'));
  }
  for (let i = 0; i < rows.length; i++) {
    const cells: string[] = [];
    for (let c = firstColumn; c <= lastColumn; c++) cells.push(tsvCell(table.cell(rows[i], c)));
    lines.push(cells.join('\t'));
  }
  return lines.join('\n');
}

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * One CSV field (RFC 4180): NULL is an empty field, the empty string is "", and a cell a
 * spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) gets a leading `'`.
 * A negative number ("-12.5") is left alone: it is data, not a formula.
 */
export function csvField(v: string | null): string {
  if (v === null) return '';
  if (v === '') return '""';
  const safe = FORMULA_START.test(v) && !PLAIN_NUMBER.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The table (rows in `order`) as one RFC 4180 CSV text (see writeCsv, which hands it over in pieces). */
export function csvText(table: ResultTable, order: ArrayLike<number>): string {
  const pieces: string[] = [];
  void writeCsv(table, order, (chunk) => {
    pieces.push(chunk);
  });
  return pieces.join('');
}

/**
 * The operations in the shape the query panel calls them (src/views/resultOrder.ts `ResultOps`):
 * filter takes the base order before the text, and Save as CSV gets the whole text.
 */
export const RESULT_OPS = {
  sortOrder,
  filterOrder: (table: ResultTable, order: Uint32Array, text: string): Uint32Array => filterOrder(table, text, order),
  writeCsv: csvText,
} as const;

/**
 * The table (rows in `order`) as RFC 4180 CSV with a header line and CRLF line ends, handed to
 * `write` in pieces of about `batchRows` rows so a million rows never become one string.
 */
export async function writeCsv(table: ResultTable, order: ArrayLike<number>, write: (chunk: string) => void | Promise<void>, batchRows = 10_000): Promise<void> {
  const columns = table.columns.length;
  let chunk = `${table.columns.map((c) => csvField(c.name)).join(',')}\r\n`;
  for (let i = 0; i < order.length; i++) {
    const r = order[i];
    let line = '';
    for (let c = 0; c < columns; c++) {
      line += (c ? ',' : '') + csvField(table.cell(r, c));
    }
    chunk += `${line}\r\n`;
    if ((i + 1) % batchRows === 0) {
      // Awaited only when the writer is asynchronous, so a synchronous writer is done on return (csvText).
      const pending = write(chunk);
      if (pending) await pending;
      chunk = '';
    }
  }
  if (chunk) {
    const pending = write(chunk);
    if (pending) await pending;
  }
}
