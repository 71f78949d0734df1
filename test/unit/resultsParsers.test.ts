/**
 * The result parsers and table operations on files written by a real engine (DuckDB) and on
 * hand-written CSV for the RFC 4180 corners DuckDB does not produce.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { CsvPart, parseCsv } from '../../src/results/csv';
import { parseParquet, isParquet } from '../../src/results/parquet';
import { ResultParseError } from '../../src/results/parseError';
import { RESULT_OPS, compareDecimalText, csvField, csvText, filterOrder, sortOrder, toTsv, writeCsv } from '../../src/results/resultTable';
import { formatDecimal, formatTimestamp } from '../../src/results/format';
import type { ResultTable } from '../../src/results/types';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

function cells(table: ResultTable): Array<Array<string | null>> {
  return Array.from({ length: table.rowCount }, (_, r) => table.columns.map((_c, c) => table.cell(r, c)));
}

async function duckdb(sql: string, options: string): Promise<Uint8Array> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'results-parsers-'));
  const file = path.join(dir, 'out');
  const db = await DuckDBInstance.create(':memory:', { threads: '1' });
  const c = await db.connect();
  try {
    await c.run(`COPY (${sql}) TO '${file}' (${options})`);
    return new Uint8Array(fs.readFileSync(file));
  } finally {
    c.closeSync();
    db.closeSync();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('CSV reader', () => {
  const tricky = '\uFEFFid,text,other\r\n1,"a,b","say ""hi"""\r\n2,"line1\nline2",\r\n3,"",plain\r\n4,,"x"\r\n';

  it('RFC 4180: BOM, CRLF, quoted commas and newlines, doubled quotes; NULL (unquoted empty) apart from ""', () => {
    const t = parseCsv([{ key: 'k', bytes: enc(tricky) }]);
    assert.deepEqual(t.columns, [
      { name: 'id', type: 'text' },
      { name: 'text', type: 'text' },
      { name: 'other', type: 'text' },
    ]);
    assert.deepEqual(cells(t), [
      ['1', 'a,b', 'say "hi"'],
      ['2', 'line1\nline2', null],
      ['3', '', 'plain'],
      ['4', null, 'x'],
    ]);
  });

  it('gives the same rows when the bytes arrive one at a time', () => {
    for (const text of [tricky, 'a\n\n\n"x"\n', 'a,b\n1,2', 'a,b\n1,"2"', 'a,b\r\n1,\r\n']) {
      const bytes = enc(text);
      const part = new CsvPart('k', bytes);
      for (let n = 0; n <= bytes.length; n++) part.feed(n, false);
      part.feed(bytes.length, true);
      const whole = parseCsv([{ key: 'k', bytes }]);
      assert.equal(part.rowCount, whole.rowCount, JSON.stringify(text));
      for (let r = 0; r < whole.rowCount; r++) {
        for (let c = 0; c < whole.columns.length; c++) assert.equal(part.cell(r, c), whole.cell(r, c), JSON.stringify(text));
      }
    }
  });

  it('one column: a blank line is a NULL row; no trailing newline; a header-only file has no rows', () => {
    assert.deepEqual(cells(parseCsv([{ key: 'k', bytes: enc('a\n\n"x"\n""\n') }])), [[null], ['x'], ['']]);
    assert.deepEqual(cells(parseCsv([{ key: 'k', bytes: enc('a,b\n1,2') }])), [['1', '2']]);
    assert.equal(parseCsv([{ key: 'k', bytes: enc('a,b\n') }]).rowCount, 0);
  });

  it('irregular quoting is kept verbatim; bad files are named', () => {
    assert.deepEqual(cells(parseCsv([{ key: 'k', bytes: enc('a,b\n"x"y,2\n') }])), [['"x"y', '2']]);
    const fails = (text: string, message: RegExp, key = 'part-7.csv'): void => {
      assert.throws(
        () => parseCsv([{ key: 'part-0.csv', bytes: enc('a,b\n1,2\n') }, { key, bytes: enc(text) }]),
        (e: unknown) => e instanceof ResultParseError && e.file === key && message.test(e.message),
      );
    };
    fails('a,b\n1,"unterminated\n', /truncated/);
    fails('a,b\n1,2,3\n', /more fields/);
    fails('a,b\n1\n2,3\n', /row 1 has 1 fields; the header has 2/);
    fails('a,c\n1,2\n', /header \(a, c\) differs from that of part-0\.csv \(a, b\)/);
    fails('', /empty/);
  });

  it('reads DuckDB\'s own CSV of hostile text back verbatim', async () => {
    const hostile = ['<img src=x onerror=alert(1)>', '=1+2', 'tab\there', 'cr\rlf\n', '"quoted"', ' padded ', '\u202Eevil', 'emoji 😀'];
    const sql = `SELECT * FROM (VALUES ${hostile.map((h, i) => `(${i}, '${h.replace(/'/g, "''")}')`).join(', ')}) t(i, s)`;
    const t = parseCsv([{ key: 'k', bytes: await duckdb(sql, 'FORMAT csv, HEADER true') }]);
    assert.deepEqual(cells(t).map((r) => r[1]), hostile);
  });
});

describe('Parquet reader', () => {
  const typed =
    "SELECT i::INTEGER AS i, (i * 1000003 + 9007199254740993)::BIGINT AS big, (i * 1.25)::DECIMAL(9,2) AS d9, (i * 1.25)::DECIMAL(18,4) AS d18, " +
    "(i * 12345678901234567.891)::DECIMAL(38,3) AS d38, DATE '1969-12-30' + i::INTEGER AS day, CASE WHEN i % 3 = 0 THEN NULL WHEN i % 3 = 1 THEN '' ELSE 'v' || i END AS s, " +
    'i / 4 AS dbl, i % 2 = 0 AS flag FROM range(-3, 3000) t(i)';

  it('every codec DuckDB writes reads back to the same cells as its CSV', async () => {
    const csv = cells(parseCsv([{ key: 'k', bytes: await duckdb(typed, 'FORMAT csv, HEADER true') }]));
    for (const codec of ['uncompressed', 'snappy', 'gzip', 'zstd', 'brotli', 'lz4', 'lz4_raw']) {
      const bytes = await duckdb(typed, `FORMAT parquet, COMPRESSION ${codec}, ROW_GROUP_SIZE 1000`);
      assert.ok(isParquet(bytes));
      const t = await parseParquet([{ key: `x.${codec}.parquet`, bytes }]);
      assert.deepEqual(t.columns.map((c) => c.type), ['INTEGER', 'BIGINT', 'DECIMAL(9,2)', 'DECIMAL(18,4)', 'DECIMAL(38,3)', 'DATE', 'VARCHAR', 'DOUBLE', 'BOOLEAN'], codec);
      assert.deepEqual(cells(t), csv, codec);
    }
  });

  it('several parts concatenate in order; a part with other columns, a truncated part and a non-Parquet part are named', async () => {
    const a = await duckdb('SELECT i, i::VARCHAR AS s FROM range(0, 10) t(i)', 'FORMAT parquet');
    const b = await duckdb('SELECT i, i::VARCHAR AS s FROM range(10, 25) t(i)', 'FORMAT parquet');
    const t = await parseParquet([{ key: 'a', bytes: a }, { key: 'b', bytes: b }]);
    assert.deepEqual(cells(t).map((r) => r[0]), Array.from({ length: 25 }, (_, i) => String(i)));
    const other = await duckdb('SELECT i::INTEGER AS i, i::VARCHAR AS s FROM range(3) t(i)', 'FORMAT parquet');
    await assert.rejects(parseParquet([{ key: 'a', bytes: a }, { key: 'c', bytes: other }]), (e: unknown) => e instanceof ResultParseError && e.file === 'c' && /differ from those of a/.test(e.message));
    await assert.rejects(parseParquet([{ key: 'a', bytes: a }, { key: 'half', bytes: b.subarray(0, b.length >> 1) }]), (e: unknown) => e instanceof ResultParseError && e.file === 'half' && e.truncated);
    await assert.rejects(parseParquet([{ key: 'text', bytes: enc('a,b\n1,2\n') }]), (e: unknown) => e instanceof ResultParseError && e.file === 'text');
  });

  it('reports rows as each row group is read', async () => {
    const bytes = await duckdb('SELECT i FROM range(5000) t(i)', 'FORMAT parquet, ROW_GROUP_SIZE 1000');
    const seen: number[] = [];
    const t = await parseParquet([{ key: 'k', bytes }], { onRows: (snapshot) => seen.push(snapshot.rowCount) });
    assert.equal(t.rowCount, 5000);
    assert.ok(seen.length >= 2 && seen.at(-1) === 5000, seen.join(','));
  });
});

describe('table operations', () => {
  it('sorts 64-bit integers and wide decimals exactly where floats tie; NULLs last; stable', async () => {
    const sql =
      "SELECT * FROM (VALUES (1, 9007199254740993, 10000000000000000000000000000.001::DECIMAL(38,3), 'b'), (2, 9007199254740992, 10000000000000000000000000000.000::DECIMAL(38,3), 'a'), " +
      "(3, NULL, NULL, NULL), (4, -9223372036854775808, -1::DECIMAL(38,3), 'B'), (5, 9007199254740993, 10000000000000000000000000000.001::DECIMAL(38,3), 'b')) t(id, big, dec, s)";
    for (const bytes of [await duckdb(sql, 'FORMAT parquet'), await duckdb(sql, 'FORMAT csv, HEADER true')]) {
      const t = isParquet(bytes) ? await parseParquet([{ key: 'k', bytes }]) : parseCsv([{ key: 'k', bytes }]);
      const ids = (order: Uint32Array): string[] => Array.from(order, (r) => t.cell(r, 0) as string);
      assert.deepEqual(ids(sortOrder(t, 1, 'asc')), ['4', '2', '1', '5', '3']);
      assert.deepEqual(ids(sortOrder(t, 1, 'desc')), ['1', '5', '2', '4', '3']);
      assert.deepEqual(ids(sortOrder(t, 2, 'asc')), ['4', '2', '1', '5', '3']);
      assert.deepEqual(ids(sortOrder(t, 2, 'desc')), ['1', '5', '2', '4', '3']);
      assert.deepEqual(ids(sortOrder(t, 3, 'asc')), ['4', '2', '1', '5', '3'], 'code unit order: B < a < b');
    }
  });

  it('compares decimal text exactly', () => {
    assert.equal(compareDecimalText('9007199254740993', '9007199254740992'), 1);
    assert.equal(compareDecimalText('-0.10', '-0.1'), 0);
    assert.equal(compareDecimalText('-2', '1'), -1);
    assert.equal(compareDecimalText('-2.5', '-2.25'), -1);
    assert.equal(compareDecimalText('0.000', '-0'), 0);
  });

  it('filters case-insensitively over every cell; NULL never matches', () => {
    const t = parseCsv([{ key: 'k', bytes: enc('a,b\nAlpha,\nbeta,ALPHABET\ngamma,""\n') }]);
    assert.deepEqual(Array.from(filterOrder(t, 'alpha')), [0, 1]);
    assert.deepEqual(Array.from(filterOrder(t, 'ALPHA', Uint32Array.of(1, 0))), [1, 0]);
    assert.deepEqual(Array.from(filterOrder(t, '')), [0, 1, 2]);
    assert.deepEqual(Array.from(filterOrder(t, 'null')), []);
  });

  it('TSV quotes cells with tabs, line breaks or quotes; CSV export neutralises formulas, keeps NULL apart from ""', async () => {
    const t = parseCsv([{ key: 'k', bytes: enc('a,b\n"tab\there","two\nlines"\n=SUM(A1),-12.5\n+1,@x\n-cmd,"say ""hi"""\n,""\n') }]);
    assert.equal(toTsv(t, [0, 4], 0, 1, true), 'a\tb\n"tab\there"\t"two\nlines"\n\t');
    assert.equal(toTsv(t, [1], 1, 1, false), '-12.5');
    let out = '';
    await writeCsv(t, Uint32Array.of(0, 1, 2, 3, 4), (s) => {
      out += s;
    }, 2);
    assert.equal(out, 'a,b\r\ntab\there,"two\nlines"\r\n\'=SUM(A1),-12.5\r\n\'+1,\'@x\r\n\'-cmd,"say ""hi"""\r\n,""\r\n');
    assert.equal(csvText(t, Uint32Array.of(0, 1, 2, 3, 4)), out);
    assert.equal(RESULT_OPS.writeCsv(t, Uint32Array.of(4)), 'a,b\r\n,""\r\n');
    assert.deepEqual(Array.from(RESULT_OPS.filterOrder(t, Uint32Array.of(3, 2, 1), 'cmd')), [3]);
    assert.equal(csvField('\tcmd'), "'\tcmd");
    assert.equal(csvField('\rcmd'), '"\'\rcmd"');
    assert.equal(csvField(null), '');
    assert.equal(csvField(''), '""');
  });

  it('formats decimals and timestamps exactly', () => {
    assert.equal(formatDecimal(-5n, 3), '-0.005');
    assert.equal(formatDecimal(123n, 0), '123');
    assert.equal(formatDecimal(-170141183460469231731687303715884105728n, 38), '-1.70141183460469231731687303715884105728');
    assert.equal(formatTimestamp(-1n, 'MICROS', true), '1969-12-31T23:59:59.999999Z');
    assert.equal(formatTimestamp(1_700_000_000_123_456_789n, 'NANOS', false), '2023-11-14T22:13:20.123456789');
  });
});
