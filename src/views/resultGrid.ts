import type { LoadedResult, SortDirection } from '../results/types';
import { t } from '../util/l10n';
import type { ResultsState, RowsMessage } from './protocol';
import { fileOrder, type ResultOps } from './resultOrder';

/** Most rows one `rowsRequest` gets: a few screens; the grid asks again as it scrolls. */
export const MAX_ROWS_PER_REQUEST = 1000;
/** Most characters Copy puts on the clipboard; more is a job for Save as CSV. */
export const MAX_COPY_CHARS = 5_000_000;
/** Longest filter text taken from the webview. */
const MAX_FILTER_CHARS = 1000;

export type ReadyState = Extract<ResultsState, { kind: 'ready' }>;

export interface CopyRequest {
  readonly version: number;
  readonly firstRow: number;
  readonly lastRow: number;
  readonly firstColumn: number;
  readonly lastColumn: number;
  readonly header: boolean;
}

/** One TSV field: NULL empty; tabs, line breaks and quotes quoted the way spreadsheets read them. */
function tsvField(cell: string | null): string {
  if (cell === null) return '';
  return /[\t\r\n"]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

function isIndex(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0;
}

/**
 * A loaded result as the grid sees it: the row order (sorted, then filtered) over the table, and
 * its version, which changes with every new order so rows of an older order are dropped. Holds
 * the only reference to the result's rows; the panel drops the grid to let them go. Its inputs
 * come from the webview: every number is checked here.
 */
export class ResultGrid {
  private sorted: Uint32Array;
  private order: Uint32Array;
  private sort: { column: number; direction: SortDirection } | undefined;
  private filter = '';
  private currentVersion: number;

  constructor(
    readonly result: LoadedResult,
    private readonly ops: ResultOps,
    /** The first version: higher than any the panel used before, so the webview never mixes two results. */
    version: number,
  ) {
    this.sorted = fileOrder(result.table.rowCount);
    this.order = this.sorted;
    this.currentVersion = version;
  }

  get version(): number {
    return this.currentVersion;
  }

  get shownCount(): number {
    return this.order.length;
  }

  state(): ReadyState {
    const { table } = this.result;
    return {
      kind: 'ready',
      location: this.result.location,
      format: this.result.format,
      fileCount: this.result.files.length,
      columns: table.columns.map((c) => ({ name: c.name, type: c.type })),
      rowCount: table.rowCount,
      shownCount: this.order.length,
      sort: this.sort,
      filter: this.filter,
      version: this.currentVersion,
    };
  }

  /** Sorts by `column` (`none`: file order). False when the request makes no sense. */
  setSort(column: unknown, direction: unknown): boolean {
    if (direction === 'none') {
      this.sort = undefined;
      this.sorted = fileOrder(this.result.table.rowCount);
    } else if ((direction === 'asc' || direction === 'desc') && isIndex(column) && column < this.result.table.columns.length) {
      this.sort = { column, direction };
      this.sorted = this.ops.sortOrder(this.result.table, column, direction);
    } else {
      return false;
    }
    this.applyFilter();
    return true;
  }

  setFilter(text: unknown): boolean {
    if (typeof text !== 'string') {
      return false;
    }
    this.filter = text.slice(0, MAX_FILTER_CHARS);
    this.applyFilter();
    return true;
  }

  private applyFilter(): void {
    this.order = this.filter ? this.ops.filterOrder(this.result.table, this.sorted, this.filter) : this.sorted;
    this.currentVersion++;
  }

  /** Rows [start, start + count) of the current order; undefined for another version or a bad range. */
  rows(version: unknown, start: unknown, count: unknown): RowsMessage | undefined {
    if (version !== this.currentVersion || !isIndex(start) || !isIndex(count)) {
      return undefined;
    }
    const end = Math.min(this.order.length, start + Math.min(count, MAX_ROWS_PER_REQUEST));
    const { table } = this.result;
    const columns = table.columns.length;
    const rowNumbers: number[] = [];
    const rows: Array<Array<string | null>> = [];
    for (let i = start; i < end; i++) {
      const row = this.order[i];
      rowNumbers.push(row + 1);
      const cells: Array<string | null> = [];
      for (let c = 0; c < columns; c++) cells.push(table.cell(row, c));
      rows.push(cells);
    }
    return { type: 'rows', version: this.currentVersion, start, rowNumbers, rows };
  }

  /** A block of the current order as TSV (the header line first when asked), or why not. */
  tsv(request: CopyRequest): { ok: true; text: string; rows: number } | { ok: false; message: string } {
    const { version, firstRow, lastRow, firstColumn, lastColumn, header } = request;
    const columns = this.result.table.columns;
    if (version !== this.currentVersion) {
      return { ok: false, message: t('The rows changed (sorted or filtered) before the copy; select them again.') };
    }
    if (![firstRow, lastRow, firstColumn, lastColumn].every(isIndex) || firstRow > lastRow || firstColumn > lastColumn || lastRow >= this.order.length || lastColumn >= columns.length) {
      return { ok: false, message: t('Nothing to copy.') };
    }
    const lines: string[] = [];
    let size = 0;
    const push = (line: string): boolean => {
      size += line.length + 1;
      lines.push(line);
      return size <= MAX_COPY_CHARS;
    };
    const rowCount = lastRow - firstRow + 1;
    if (header && !push(columns.slice(firstColumn, lastColumn + 1).map((c) => tsvField(c.name)).join('\t'))) {
      return { ok: false, message: t('The selection is too large to copy.') };
    }
    for (let i = firstRow; i <= lastRow; i++) {
      const row = this.order[i];
      const cells: string[] = [];
      for (let c = firstColumn; c <= lastColumn; c++) cells.push(tsvField(this.result.table.cell(row, c)));
      if (!push(cells.join('\t'))) {
        return {
          ok: false,
          message: t('The selection is too large to copy ({0} rows; the clipboard takes up to {1} characters). Use Save as CSV… instead.', rowCount, MAX_COPY_CHARS),
        };
      }
    }
    return { ok: true, text: lines.join('\n'), rows: rowCount };
  }

  /** The rows shown (sorted and filtered) as CSV. */
  csv(): { text: string; rows: number } {
    return { text: this.ops.writeCsv(this.result.table, this.order), rows: this.order.length };
  }
}

/** A file name for a result object: its key's last part, without anything that could leave the folder. */
export function resultFileName(key: string, index: number): string {
  const last = key.split('/').filter(Boolean).pop() ?? '';
  // Trailing dots and spaces vanish on Windows, and device names (CON, NUL, COM1…) are not files there.
  // eslint-disable-next-line no-control-regex -- control characters are exactly what may not reach a file name
  const safe = last.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').replace(/^\.+/, '').replace(/[. ]+$/, '');
  const name = safe || `part-${index}`;
  return /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i.test(name) ? `_${name}` : name;
}
