import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rowsTable } from '../fakes/rowsTable';
import type { LoadedResult } from '../../src/results/types';
import { MAX_ROWS_PER_REQUEST, ResultGrid, resultFileName } from '../../src/views/resultGrid';
import { compareDecimalText as compareDecimal, csvField, RESULT_OPS } from '../../src/results/resultTable';

const COLUMNS = [
  { name: 'name', type: 'VARCHAR' },
  { name: 'points', type: 'BIGINT' },
];
const ROWS: Array<Array<string | null>> = [
  ['carol', '9223372036854775807'],
  ['alice', '9223372036854775806'],
  ['bob', null],
  ['=HYPERLINK("http://x")', '-5'],
  ['', '10'],
];

function loaded(rows = ROWS): LoadedResult {
  return { location: 's3://b/p/', format: 'CSV', files: [{ key: 'p/part-0.csv', bytes: new Uint8Array([1]) }], table: rowsTable(COLUMNS, rows) };
}

describe('result grid (sort, filter, rows, copy, CSV)', () => {
  it('rowsTable: cells as given, NULL distinct from the empty string', () => {
    const table = rowsTable(COLUMNS, ROWS);
    assert.equal(table.rowCount, 5);
    assert.equal(table.cell(2, 1), null);
    assert.equal(table.cell(4, 0), '');
  });

  it('decimal comparison is exact past 2^53, with signs and fractions', () => {
    assert.ok(compareDecimal('9223372036854775807', '9223372036854775806') > 0);
    assert.ok(compareDecimal('-5', '10') < 0);
    assert.ok(compareDecimal('-5', '-10') > 0);
    assert.ok(compareDecimal('1.50', '1.5') === 0);
    assert.ok(compareDecimal('007', '7') === 0);
  });

  it('ready state, then rows of the current version with 1-based file row numbers', () => {
    const grid = new ResultGrid(loaded(), RESULT_OPS, 7);
    const state = grid.state();
    assert.deepEqual({ ...state, columns: state.columns.length }, { kind: 'ready', location: 's3://b/p/', format: 'CSV', fileCount: 1, columns: 2, rowCount: 5, shownCount: 5, sort: undefined, filter: '', version: 7 });
    const rows = grid.rows(7, 1, 2);
    assert.deepEqual(rows, { type: 'rows', version: 7, start: 1, rowNumbers: [2, 3], rows: [['alice', '9223372036854775806'], ['bob', null]] });
    assert.equal(grid.rows(6, 0, 2), undefined, 'an older version gets nothing');
    assert.equal(grid.rows(7, -1, 2), undefined);
    assert.equal(grid.rows(7, '0', 2), undefined, 'webview input is checked');
    assert.equal(grid.rows(7, 4, 100)?.rows.length, 1, 'clipped at the end');
  });

  it('sort by a 64-bit column is numeric and exact, NULLs last; none restores file order; each change bumps the version', () => {
    const grid = new ResultGrid(loaded(), RESULT_OPS, 1);
    assert.equal(grid.setSort(1, 'desc'), true);
    assert.equal(grid.version, 2);
    assert.deepEqual(grid.rows(2, 0, 5)?.rowNumbers, [1, 2, 5, 4, 3]);
    grid.setSort(1, 'asc');
    assert.deepEqual(grid.rows(3, 0, 5)?.rowNumbers, [4, 5, 2, 1, 3]);
    assert.deepEqual(grid.state().sort, { column: 1, direction: 'asc' });
    grid.setSort(0, 'none');
    assert.deepEqual(grid.rows(4, 0, 5)?.rowNumbers, [1, 2, 3, 4, 5]);
    assert.equal(grid.setSort(9, 'asc'), false, 'no such column');
    assert.equal(grid.setSort(0, 'sideways'), false);
    assert.equal(grid.version, 4);
  });

  it('filter: case-insensitive, over every cell, on top of the sort', () => {
    const grid = new ResultGrid(loaded(), RESULT_OPS, 1);
    grid.setSort(0, 'asc');
    grid.setFilter('A');
    assert.equal(grid.state().shownCount, 2);
    assert.deepEqual(grid.rows(grid.version, 0, 10)?.rows.map((r) => r[0]), ['alice', 'carol']);
    grid.setFilter('');
    assert.equal(grid.state().shownCount, 5);
  });

  it('copy as TSV: a block of the current order, header optional, tabs and line breaks quoted; a stale version is refused', () => {
    const grid = new ResultGrid(loaded([['a\tb', 'x"y'], ['line\nbreak', null]]), RESULT_OPS, 1);
    const copy = grid.tsv({ version: 1, firstRow: 0, lastRow: 1, firstColumn: 0, lastColumn: 1, header: true });
    assert.deepEqual(copy, { ok: true, text: 'name\tpoints\n"a\tb"\t"x""y"\n"line\nbreak"\t', rows: 2 });
    assert.equal(grid.tsv({ version: 0, firstRow: 0, lastRow: 0, firstColumn: 0, lastColumn: 0, header: false }).ok, false);
    assert.equal(grid.tsv({ version: 1, firstRow: 0, lastRow: 5, firstColumn: 0, lastColumn: 0, header: false }).ok, false);
  });

  it('copy of a huge selection is refused with a message that points to Save as CSV', () => {
    const big = Array.from({ length: 60_000 }, (_, i) => [`${'x'.repeat(100)}${i}`, String(i)]);
    const grid = new ResultGrid(loaded(big), RESULT_OPS, 1);
    const copy = grid.tsv({ version: 1, firstRow: 0, lastRow: big.length - 1, firstColumn: 0, lastColumn: 1, header: false });
    assert.equal(copy.ok, false);
    assert.match(copy.ok ? '' : copy.message, /too large.*Save as CSV/);
    assert.ok(MAX_ROWS_PER_REQUEST >= 100);
  });

  it('CSV: formulas neutralised (plain negative numbers kept), NULL empty, the empty string quoted', () => {
    const grid = new ResultGrid(loaded(), RESULT_OPS, 1);
    const csv = grid.csv();
    assert.equal(csv.rows, 5);
    assert.equal(
      csv.text,
      'name,points\r\ncarol,9223372036854775807\r\nalice,9223372036854775806\r\nbob,\r\n"\'=HYPERLINK(""http://x"")",-5\r\n"",10\r\n',
    );
    assert.deepEqual(['+1+2', '@SUM(A1)', '-cmd', '-12.5', '\tx'].map(csvField), ["'+1+2", "'@SUM(A1)", "'-cmd", '-12.5', "'\tx"]);
  });
});

describe('result file names (Save Original Files)', () => {
  it('keep the key\'s last part, made safe for every file system', () => {
    assert.equal(resultFileName('q3/reach=*/abc/part-00000.csv', 0), 'part-00000.csv');
    assert.equal(resultFileName('out/../../etc/passwd', 1), 'passwd');
    assert.equal(resultFileName('out/a:b*c?.csv', 2), 'a_b_c_.csv');
    assert.equal(resultFileName('out/..', 3), 'part-3');
    assert.equal(resultFileName('out/report. ', 4), 'report');
    assert.equal(resultFileName('out/CON.csv', 5), '_CON.csv');
    assert.equal(resultFileName('out/nul', 6), '_nul');
  });
});

