/**
 * Reading protected-query results end to end on this machine: queries run through the REAL
 * CleanRoomsService against the local endpoint (DuckDB writes the result files to a real local S3
 * behind a SigV4 check), then ResultsReader lists and downloads them with the REAL S3 client,
 * signed with the test profile's credentials, and parses them. Faults come from the endpoint's
 * fault memberships, or from a small local server for what S3 itself cannot be made to do (a
 * connection dropped mid-body, a body that stalls).
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ProtectedQueryResultConfiguration } from '@aws-sdk/client-cleanrooms';
import { DuckDBInstance } from '@duckdb/node-api';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startCleanRoomsEndpoint, type CleanRoomsEndpoint } from '../fakes/cleanRoomsEndpoint';
import { FAULT_IDS, SAMPLE } from '../fakes/fixtures';
import { PROFILES } from '../fakes/awsHome';
import { CleanRoomsClientFactory, type Connection } from '../../src/aws/clientFactory';
import { CleanRoomsService, type CallLog } from '../../src/aws/cleanRoomsService';
import { ProfileFiles } from '../../src/aws/profiles';
import { ResultsReader, isResultPart, parseS3Location, resultsSource, type ResultsTarget } from '../../src/aws/s3Results';
import { filterOrder, sortOrder, toTsv, writeCsv } from '../../src/results/resultTable';
import type { LoadedResult, ResultProgress, ResultTable } from '../../src/results/types';
import { useAwsHome } from '../fakes/awsHomeSuite';

const CTV = SAMPLE.ctvReach;
const REACH_SQL =
  'SELECT campaign_id, COUNT(DISTINCT hashed_email) AS reach, SUM(impressions) AS impressions, SUM(spend) AS spend ' +
  'FROM campaign_exposures GROUP BY campaign_id ORDER BY campaign_id';
const LIST_SQL = 'SELECT tier, points, member_since, note FROM loyalty_transactions';
const TERMINAL = new Set(['SUCCESS', 'FAILED', 'CANCELLED', 'TIMED_OUT']);
/** 2^53 + 1, the seeds' base for 64-bit values. */
const BIG = 9007199254740993n;

class Lines implements CallLog {
  readonly lines: string[] = [];
  info(m: string): void {
    this.lines.push(m);
  }
  warn(m: string): void {
    this.lines.push(m);
  }
}

function rows(table: ResultTable, order?: ArrayLike<number>): Array<Array<string | null>> {
  const out: Array<Array<string | null>> = [];
  const n = order ? order.length : table.rowCount;
  for (let i = 0; i < n; i++) {
    const r = order ? order[i] : i;
    out.push(table.columns.map((_, c) => table.cell(r, c)));
  }
  return out;
}

function column(table: ResultTable, name: string): Array<string | null> {
  const c = table.columns.findIndex((x) => x.name === name);
  assert.ok(c >= 0, `column ${name}`);
  return rows(table).map((r) => r[c]);
}

/** The loyalty_transactions seed (test/fakes/queryEngine.ts), as text: what every read must give back. */
function loyaltyExpected(): Array<[string, string, string, string | null]> {
  return Array.from({ length: 30 }, (_, i) => {
    const d = new Date(Date.UTC(2019, 0, 15 + i * 41)).toISOString().slice(0, 10);
    const note = i % 5 === 0 ? null : i % 5 === 1 ? '' : i % 5 === 2 ? '=HYPERLINK("http://x")' : `note ${i}, "quoted"`;
    return [['gold', 'silver', 'bronze'][i % 3], String(i === 0 ? 9223372036854775807n : BIG * BigInt(i + 1)), d, note];
  });
}

function sortRows<T>(xs: T[][]): T[][] {
  return [...xs].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

/**
 * A stand-in S3 for what the real one cannot be made to do: lists `objects` (in two pages, with a
 * folder marker and _SUCCESS among them) and serves their bytes, `mode` deciding how a body ends.
 */
async function startOddS3(objects: Record<string, Uint8Array>, mode: 'ok' | 'drop' | 'stall'): Promise<{ url: string; gets: string[]; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const gets: string[] = [];
  const keys = Object.keys(objects);
  const entry = (key: string, size: number): string => `<Contents><Key>${key}</Key><Size>${size}</Size></Contents>`;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const [, bucket, ...rest] = url.pathname.split('/');
    if (url.searchParams.get('list-type') === '2') {
      const second = url.searchParams.get('continuation-token') === 'page-2';
      const half = Math.ceil(keys.length / 2);
      const page = second ? keys.slice(half) : keys.slice(0, half);
      const extra = second ? entry('out/_SUCCESS', 0) + entry('out/_committed_123', 12) : entry('out/', 0);
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${bucket}</Name><Prefix>out/</Prefix>` +
          `${page.map((k) => entry(k, objects[k].length)).join('')}${extra}<IsTruncated>${second ? 'false' : 'true'}</IsTruncated>` +
          `${second ? '' : '<NextContinuationToken>page-2</NextContinuationToken>'}</ListBucketResult>`,
      );
      return;
    }
    const key = decodeURIComponent(rest.join('/'));
    gets.push(key);
    const body = objects[key];
    res.writeHead(200, { 'content-length': body.length, 'content-type': 'application/octet-stream' });
    if (mode === 'ok') {
      res.end(Buffer.from(body));
      return;
    }
    res.write(Buffer.from(body.subarray(0, Math.floor(body.length / 2))));
    if (mode === 'drop') setTimeout(() => res.socket?.destroy(), 50);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    gets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A Parquet (or CSV) file written by DuckDB from `sql`. */
async function duckdbFile(sql: string, options: string): Promise<Uint8Array> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'results-test-'));
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

describe('ResultsReader on the local endpoint and S3 (real SDK, DuckDB, SigV4)', () => {
  let endpoint: CleanRoomsEndpoint;
  let service: CleanRoomsService;
  let reader: ResultsReader;
  let log: Lines;
  let target: ResultsTarget;
  const request = (timeoutMs = 5000) => ({ profile: PROFILES.test, endpoint: endpoint.url, timeoutMs });

  const run = async (membershipId: string, sql: string, resultConfiguration?: ProtectedQueryResultConfiguration): Promise<string> => {
    const started = await service.startProtectedQuery(request(), membershipId, { queryString: sql, resultConfiguration });
    assert.ok(started.ok, started.ok ? '' : started.failure.title);
    for (;;) {
      const got = await service.getProtectedQuery(request(), membershipId, String(started.value.id));
      assert.ok(got.ok);
      if (TERMINAL.has(String(got.value.status))) {
        assert.equal(got.value.status, 'SUCCESS', JSON.stringify(got.value.error));
        return String(got.value.result?.output?.s3?.location);
      }
      await new Promise((r) => setTimeout(r, 40));
    }
  };
  const load = async (location: string, options = {}): Promise<LoadedResult> => {
    const r = await reader.load(target, location, options);
    assert.ok(r.ok, r.ok ? '' : `${r.failure.title}: ${r.failure.message ?? ''}`);
    return r.value;
  };
  const parquetTo = (bucket: string, single: boolean): ProtectedQueryResultConfiguration => ({
    outputConfiguration: { s3: { resultFormat: 'PARQUET', bucket, keyPrefix: 'pq', singleFileOutput: single } },
  });

  useAwsHome();
  beforeEach(async () => {
    endpoint = await startCleanRoomsEndpoint({ queryDurationMs: 100 });
    service = new CleanRoomsService(new CleanRoomsClientFactory(), new ProfileFiles(), new Lines());
    log = new Lines();
    reader = new ResultsReader(log);
    const resolved = await service.resolve(request());
    assert.ok(resolved.ok);
    target = { connection: resolved.connection, s3Endpoint: (await endpoint.s3()).url };
  });
  afterEach(async () => {
    reader.dispose();
    service.reset();
    await endpoint.close();
  });

  it('CSV, one file: header, text columns, NULL apart from the empty string, hostile text verbatim', async () => {
    const location = await run(CTV.id, LIST_SQL, { outputConfiguration: { s3: { resultFormat: 'CSV', bucket: 'one-file', singleFileOutput: true } } });
    const result = await load(location);
    assert.equal(result.format, 'CSV');
    assert.equal(result.files.length, 1);
    assert.match(result.files[0].key, /result\.csv$/);
    assert.deepEqual(result.table.columns, [
      { name: 'tier', type: 'text' },
      { name: 'points', type: 'text' },
      { name: 'member_since', type: 'text' },
      { name: 'note', type: 'text' },
    ]);
    assert.deepEqual(sortRows(rows(result.table)), sortRows(loyaltyExpected()));
    const notes = column(result.table, 'note');
    assert.ok(notes.includes(null) && notes.includes(''), 'NULL and the empty string both present, and apart');
    assert.ok(notes.includes('=HYPERLINK("http://x")'));
  });

  it('CSV, several parts: every part read in order, each header checked; bytes kept as stored', async () => {
    const progress: ResultProgress[] = [];
    const partials: number[] = [];
    const location = await run(CTV.id, LIST_SQL);
    const result = await load(location, { onProgress: (p: ResultProgress) => progress.push(p), onPartial: (t: ResultTable) => partials.push(t.rowCount) });
    assert.equal(result.files.length, 4, '30 rows in parts of 8');
    assert.deepEqual(result.files.map((f) => f.key.slice(f.key.lastIndexOf('/') + 1)), ['part-00000.csv', 'part-00001.csv', 'part-00002.csv', 'part-00003.csv']);
    assert.equal(result.table.rowCount, 30);
    assert.deepEqual(sortRows(rows(result.table)), sortRows(loyaltyExpected()));
    const total = result.files.reduce((n, f) => n + f.bytes.length, 0);
    assert.deepEqual(progress.at(-1), { loadedBytes: total, totalBytes: total, fileCount: 4 });
    assert.ok(partials.length > 0 && partials.every((n, i) => n <= 30 && (i === 0 || n > partials[i - 1])), `partial row counts ${partials.join(',')}`);
    assert.match(Buffer.from(result.files[0].bytes).toString('utf8'), /^tier,points,member_since,note\n/);
    assert.ok(log.lines.some((l) => /4 file\(s\).*30 rows, CSV/.test(l)));
    assert.ok(!log.lines.some((l) => /HYPERLINK|gold|note \d/.test(l)), 'no cell in the log');
  });

  it('Parquet, one file and several parts: typed columns, 64-bit integers past 2^53 and dates exact', async () => {
    const one = await load(await run(CTV.id, LIST_SQL, parquetTo('pq-one', true)));
    const parts = await load(await run(CTV.id, LIST_SQL, parquetTo('pq-parts', false)));
    assert.equal(one.format, 'PARQUET');
    assert.equal(one.files.length, 1);
    assert.equal(parts.files.length, 4);
    for (const result of [one, parts]) {
      assert.deepEqual(result.table.columns, [
        { name: 'tier', type: 'VARCHAR' },
        { name: 'points', type: 'BIGINT' },
        { name: 'member_since', type: 'DATE' },
        { name: 'note', type: 'VARCHAR' },
      ]);
      assert.deepEqual(sortRows(rows(result.table)), sortRows(loyaltyExpected()));
    }
    assert.ok(column(one.table, 'points').includes('9223372036854775807'));
    assert.ok(column(one.table, 'points').includes(String(BIG * 2n)), '2 x (2^53 + 1) exact');
  });

  it('CSV and Parquet of the same aggregation agree cell for cell (decimals exact, SUM widened)', async () => {
    const csv = await load(await run(CTV.id, REACH_SQL));
    const parquet = await load(await run(CTV.id, REACH_SQL, parquetTo('pq-reach', true)));
    // SUM(INTEGER) is a HUGEINT, which DuckDB writes to Parquet as a DOUBLE (and shows as 91.0).
    assert.deepEqual(parquet.table.columns.map((c) => c.type), ['VARCHAR', 'BIGINT', 'DOUBLE', 'DECIMAL(38,2)']);
    const without = (rs: Array<Array<string | null>>): Array<Array<string | null>> => rs.map((r) => [r[0], r[1], r[3]]);
    assert.deepEqual(without(rows(parquet.table)), without(rows(csv.table)));
    assert.deepEqual(column(parquet.table, 'impressions').map(Number), column(csv.table, 'impressions').map(Number));
    assert.ok(column(parquet.table, 'spend').every((v) => v !== null && /^\d+\.\d\d$/.test(v)));
  });

  it('decimals past 2^53, dates before 1970, timestamps, booleans, nested values: exact, as DuckDB writes them in CSV', async () => {
    const s3 = await endpoint.s3();
    const sql =
      "SELECT * FROM (VALUES (1, '-12345678901234567890123456.789'::DECIMAL(38,3), 9007199254740993.25::DECIMAL(18,2), 1.5::DECIMAL(9,1), DATE '1969-07-20', TIMESTAMP '1999-12-31 23:59:59.5', true, 'tab\there', [1, 2]), " +
      "(2, NULL, NULL, NULL, DATE '9999-12-31', TIMESTAMP '2024-02-29 00:00:00', false, '', NULL)) t(id, wide, mid, small, day, ts, flag, s, list)";
    await s3.putObject('typed', 'q/part-0.parquet', await duckdbFile(sql, 'FORMAT parquet'), 'application/octet-stream');
    await s3.putObject('typed', 'q/part-0.csv', await duckdbFile(sql, 'FORMAT csv, HEADER true'), 'text/csv');
    const parquet = await load('s3://typed/q/part-0.parquet');
    const csv = await load('s3://typed/q/part-0.csv');
    assert.deepEqual(
      parquet.table.columns.map((c) => c.type),
      ['INTEGER', 'DECIMAL(38,3)', 'DECIMAL(18,2)', 'DECIMAL(9,1)', 'DATE', 'TIMESTAMP', 'BOOLEAN', 'VARCHAR', 'LIST'],
    );
    const p = rows(parquet.table);
    const c = rows(csv.table);
    // Same text in both files, except the timestamp (ISO 8601 from Parquet; DuckDB's CSV puts a space) and the list.
    const sameColumns = [0, 1, 2, 3, 4, 6, 7];
    assert.deepEqual(p.map((r) => sameColumns.map((i) => r[i])), c.map((r) => sameColumns.map((i) => r[i])));
    assert.deepEqual(p[0], ['1', '-12345678901234567890123456.789', '9007199254740993.25', '1.5', '1969-07-20', '1999-12-31T23:59:59.500000', 'true', 'tab\there', '[1,2]']);
    assert.deepEqual(p[1], ['2', null, null, null, '9999-12-31', '2024-02-29T00:00:00', 'false', '', null]);
  });

  it('sort, filter, TSV and CSV export on a real result', async () => {
    const { table } = await load(await run(CTV.id, LIST_SQL, parquetTo('pq-ops', false)));
    const points = table.columns.findIndex((c) => c.name === 'points');
    const note = table.columns.findIndex((c) => c.name === 'note');
    const desc = sortOrder(table, points, 'desc');
    assert.equal(table.cell(desc[0], points), '9223372036854775807');
    const sortedPoints = rows(table, sortOrder(table, points, 'asc')).map((r) => BigInt(r[points] as string));
    assert.deepEqual(sortedPoints, [...sortedPoints].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), 'numeric and exact');
    const byNote = sortOrder(table, note, 'asc');
    const notes = rows(table, byNote).map((r) => r[note]);
    assert.deepEqual(notes.slice(-6), [null, null, null, null, null, null], 'NULLs last');
    assert.equal(notes[0], '', 'the empty string sorts first, apart from NULL');
    assert.deepEqual(rows(table, sortOrder(table, note, 'desc')).map((r) => r[note]).slice(-6), [null, null, null, null, null, null], 'NULLs last when descending too');

    assert.equal(filterOrder(table, 'GOLD').length, 10, 'case-insensitive');
    assert.equal(filterOrder(table, 'hyperlink', byNote).length, 6);
    const tiers = filterOrder(table, 'silver', desc);
    assert.deepEqual(Array.from(tiers), Array.from(desc).filter((r) => table.cell(r, 0) === 'silver'), 'keeps the base order');

    const hostileRow = Array.from(desc).find((r) => table.cell(r, note) === '=HYPERLINK("http://x")') ?? -1;
    assert.equal(toTsv(table, [hostileRow], note, note, true), 'note\n"=HYPERLINK(""http://x"")"');

    let csv = '';
    await writeCsv(table, desc, (chunk) => {
      csv += chunk;
    }, 7);
    const lines = csv.split('\r\n');
    assert.equal(lines[0], 'tier,points,member_since,note');
    assert.equal(lines.length, 32, 'header, 30 rows, and the final CRLF');
    assert.ok(lines.some((l) => l.endsWith(`,"'=HYPERLINK(""http://x"")"`)), 'formula neutralised with a leading quote');
    assert.ok(lines.some((l) => l.endsWith(',""')), 'the empty string');
    assert.ok(lines.some((l) => /,\d{4}-\d\d-\d\d,$/.test(l)), 'NULL is an empty field');
    assert.ok(lines[1].startsWith('gold,9223372036854775807,'));
  });

  it('as the query panel calls it: by connection request, resolved like the Clean Rooms calls', async () => {
    const source = resultsSource(reader, (r) => service.resolve(r), () => target.s3Endpoint);
    const location = await run(CTV.id, LIST_SQL);
    const read = await source.load(location, request(), {});
    assert.ok(read.ok, read.ok ? '' : read.failure.title);
    assert.equal(read.value.table.rowCount, 30);
    const noProfile = await source.load(location, { ...request(), profile: 'no-such-profile' }, {});
    assert.ok(!noProfile.ok);
    assert.equal(noProfile.failure.kind, 'missingProfile');
  });

  it('AccessDenied names the bucket and the missing permission: s3:ListBucket, then s3:GetObject', async () => {
    const denied = await reader.load(target, await run(FAULT_IDS.s3AccessDenied, REACH_SQL));
    assert.ok(!denied.ok);
    assert.equal(denied.failure.kind, 'accessDenied');
    assert.match(denied.failure.title, /fault-injection-results/);
    assert.match(denied.failure.nextStep, /s3:ListBucket on bucket fault-injection-results/);
    assert.ok(denied.failure.requestId);

    // Listing allowed, one part's read refused.
    const location = await run(CTV.id, LIST_SQL);
    const { bucket, prefix } = parseS3Location(location) ?? { bucket: '', prefix: '' };
    (await endpoint.s3()).denyReads(bucket, `${prefix}part-00002.csv`);
    const read = await reader.load(target, location);
    assert.ok(!read.ok);
    assert.equal(read.failure.kind, 'accessDenied');
    assert.match(read.failure.nextStep, new RegExp(`s3:GetObject on bucket ${bucket}`));
    assert.ok(read.failure.details?.some((d) => d.endsWith('part-00002.csv')));
  });

  it('an empty result location, and a bucket that does not exist', async () => {
    const location = await run(FAULT_IDS.missingResult, REACH_SQL);
    // The bucket exists (as it does in AWS); the fault only leaves the query's prefix empty.
    const { bucket } = parseS3Location(location) ?? { bucket: '' };
    await (await endpoint.s3()).putObject(bucket, 'elsewhere/other.csv', new TextEncoder().encode('a\n1\n'), 'text/csv');
    const empty = await reader.load(target, location);
    assert.ok(!empty.ok);
    assert.equal(empty.failure.kind, 'emptyResult');
    assert.equal(empty.failure.title, "The query's result location holds no files");
    const noBucket = await reader.load(target, 's3://no-such-bucket-here/x/');
    assert.ok(!noBucket.ok);
    assert.equal(noBucket.failure.kind, 'notFound');
    assert.match(noBucket.failure.title, /no-such-bucket-here/);
  });

  it('a corrupt or truncated Parquet file is named', async () => {
    const truncated = await reader.load(target, await run(FAULT_IDS.corruptParquet, REACH_SQL));
    assert.ok(!truncated.ok);
    assert.equal(truncated.failure.kind, 'corruptResult');
    assert.match(truncated.failure.title, /^Result file s3:\/\/fault-injection-results\/parquet\/.*\/part-00000\.parquet is truncated$/);

    // Footer intact, a data page overwritten.
    const bytes = await duckdbFile('SELECT i, i::VARCHAR AS s FROM range(5000) t(i)', 'FORMAT parquet');
    for (let i = 8; i < bytes.length / 2; i++) bytes[i] = 0x5a;
    const s3 = await endpoint.s3();
    await s3.putObject('damaged', 'r/part-1.parquet', bytes, 'application/octet-stream');
    const corrupt = await reader.load(target, 's3://damaged/r/');
    assert.ok(!corrupt.ok);
    assert.equal(corrupt.failure.kind, 'corruptResult');
    assert.match(corrupt.failure.title, /^Result file s3:\/\/damaged\/r\/part-1\.parquet cannot be read$/);
  });
});

describe('ResultsReader against a server that misbehaves mid-body', () => {
  let reader: ResultsReader;
  const connection = (timeoutMs = 5000): Connection => ({ profile: PROFILES.test, region: 'us-east-1', endpoint: undefined, timeoutMs });
  const csv = new TextEncoder().encode(`a,b\n${Array.from({ length: 20000 }, (_, i) => `${i},"x${i}"`).join('\n')}\n`);

  useAwsHome();
  beforeEach(() => {
    reader = new ResultsReader();
  });
  afterEach(() => reader.dispose());

  it('lists every page and skips folder markers and _SUCCESS files', async () => {
    const server = await startOddS3({ 'out/part-0.csv': csv, 'out/part-1.csv': csv, 'out/part-2.csv': csv }, 'ok');
    try {
      const r = await reader.load({ connection: connection(), s3Endpoint: server.url }, 's3://odd/out/');
      assert.ok(r.ok, r.ok ? '' : r.failure.title);
      assert.deepEqual(r.value.files.map((f) => f.key), ['out/part-0.csv', 'out/part-1.csv', 'out/part-2.csv']);
      assert.deepEqual([...server.gets].sort(), ['out/part-0.csv', 'out/part-1.csv', 'out/part-2.csv']);
      assert.equal(r.value.table.rowCount, 60000);
      assert.equal(r.value.table.cell(59999, 1), 'x19999');
    } finally {
      await server.close();
    }
    assert.equal(isResultPart({ Key: 'out/_SUCCESS', Size: 0 }), false);
    assert.equal(isResultPart({ Key: 'out/.part-0.crc', Size: 12 }), false);
    assert.equal(isResultPart({ Key: 'out/part-0.csv', Size: 12 }), true);
  });

  it('CSV parts whose headers differ, and a Parquet part among CSV ones, are named as unreadable', async () => {
    const other = new TextEncoder().encode(`a,c\n${Array.from({ length: 20000 }, (_, i) => `${i},y`).join('\n')}\n`);
    const parquet = new Uint8Array([...new TextEncoder().encode('PAR1'), ...csv.subarray(4)]);
    for (const [objects, file, message] of [
      [{ 'out/part-0.csv': csv, 'out/part-1.csv': other }, 'out/part-1.csv', /header \(a, c\) differs from that of out\/part-0\.csv \(a, b\)/],
      [{ 'out/part-0.csv': csv, 'out/part-1.csv': parquet }, 'out/part-1.csv', /it is Parquet, unlike the other result files \(CSV\)/],
      [{ 'out/part-0.csv': new TextEncoder().encode(`a,b\n1,2,3\n${'4,5\n'.repeat(50000)}`) }, 'out/part-0.csv', /row 1 has more fields than the header's 2/],
    ] as const) {
      const server = await startOddS3(objects, 'ok');
      try {
        const r = await reader.load({ connection: connection(), s3Endpoint: server.url }, 's3://odd/out/');
        assert.ok(!r.ok);
        assert.equal(r.failure.kind, 'corruptResult');
        assert.equal(r.failure.title, `Result file s3://odd/${file} cannot be read`);
        assert.match(String(r.failure.message), message);
      } finally {
        await server.close();
      }
    }
  });

  it('a connection dropped mid-body is an interrupted download, naming the file', async () => {
    const server = await startOddS3({ 'out/part-0.csv': csv }, 'drop');
    try {
      const r = await reader.load({ connection: connection(), s3Endpoint: server.url }, 's3://odd/out/');
      assert.ok(!r.ok);
      assert.equal(r.failure.kind, 'network');
      assert.equal(r.failure.title, 'Download of s3://odd/out/part-0.csv was interrupted');
      assert.match(String(r.failure.message), new RegExp(`^${Math.floor(csv.length / 2)} of ${csv.length} bytes arrived`));
    } finally {
      await server.close();
    }
  });

  it('cancel via AbortSignal mid-download, and a stalled body hits the deadline', async () => {
    const server = await startOddS3({ 'out/part-0.csv': csv }, 'stall');
    try {
      const controller = new AbortController();
      const t0 = Date.now();
      const pending = reader.load({ connection: connection(), s3Endpoint: server.url }, 's3://odd/out/', {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.loadedBytes > 0) controller.abort();
        },
      });
      const r = await pending;
      assert.ok(!r.ok);
      assert.equal(r.failure.kind, 'cancelled');
      assert.ok(Date.now() - t0 < 3000, 'promptly');

      const stalled = await reader.load({ connection: connection(600), s3Endpoint: server.url }, 's3://odd/out/');
      assert.ok(!stalled.ok);
      assert.equal(stalled.failure.kind, 'timeout');
    } finally {
      await server.close();
    }
  });

  it('a location that is not s3://', async () => {
    const r = await reader.load({ connection: connection() }, 'https://example.com/x');
    assert.ok(!r.ok);
    assert.match(r.failure.title, /Not an S3 location/);
  });
});
