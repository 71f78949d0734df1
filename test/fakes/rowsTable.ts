import type { ResultColumn, ResultTable } from '../../src/results/types';

/** A result table over rows already in memory (tests, small results): cells as given, `null` for NULL. */
export function rowsTable(columns: readonly ResultColumn[], rows: ReadonlyArray<ReadonlyArray<string | null>>): ResultTable {
  return {
    columns,
    rowCount: rows.length,
    cell: (row, column) => rows[row]?.[column] ?? null,
  };
}
