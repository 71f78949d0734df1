/**
 * A protected query's result as the extension holds it: in memory only (results are other
 * companies' personal data: no disk cache, dropped when the panel closes, never logged).
 * Cells are exact text, so a 64-bit integer or a DECIMAL(38,x) keeps every digit and a date reads
 * as written; `null` is SQL NULL, distinct from the empty string.
 */

/** A column as the result file declares it. */
export interface ResultColumn {
  readonly name: string;
  /** The declared type, for the grid's header: "BIGINT", "DECIMAL(38,6)", "DATE", "VARCHAR"; CSV: "text". */
  readonly type: string;
}

export interface ResultTable {
  readonly columns: readonly ResultColumn[];
  readonly rowCount: number;
  /** The cell as exact text; `null` for SQL NULL. `row` is in file order (0-based). */
  cell(row: number, column: number): string | null;
}

/** One object under the result location, bytes as stored (for Save Original Files...). */
export interface ResultFile {
  readonly key: string;
  readonly bytes: Uint8Array;
}

export type ResultFormat = 'CSV' | 'PARQUET';

/** The type a CSV column is declared with (CSV carries no types). */
export const CSV_TYPE = 'text';

export interface LoadedResult {
  /** The `s3://bucket/prefix` it was read from. */
  readonly location: string;
  readonly format: ResultFormat;
  readonly files: readonly ResultFile[];
  readonly table: ResultTable;
}

/** How far a download got. */
export interface ResultProgress {
  readonly loadedBytes: number;
  /** Sum of the listed objects' sizes. */
  readonly totalBytes: number;
  readonly fileCount: number;
}

export type SortDirection = 'asc' | 'desc';
