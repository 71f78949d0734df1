/**
 * Protected queries end to end on this machine: the REAL AWS SDK and CleanRoomsService against the
 * local endpoint, which runs each query with DuckDB and writes the result files to a real local S3
 * (s3rver behind a SigV4 check), read back here with SigV4-signed requests.
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import {
  CleanRoomsClient,
  ConflictException,
  GetProtectedQueryCommand,
  ListProtectedQueriesCommand,
  ServiceQuotaExceededException,
  StartProtectedQueryCommand,
  UpdateMembershipCommand,
  UpdateProtectedQueryCommand,
  ValidationException,
  type ProtectedQuery,
  type StartProtectedQueryCommandInput,
} from '@aws-sdk/client-cleanrooms';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { DuckDBInstance } from '@duckdb/node-api';
import { startCleanRoomsEndpoint, type CleanRoomsEndpoint } from '../fakes/cleanRoomsEndpoint';
import { FAULTS } from '../fakes/faults';
import { FAULT_IDS, MEMBER_ACCOUNT_ID, SAMPLE, TEST_CREDENTIALS, protectedQueriesFor } from '../fakes/fixtures';
import { PROFILES } from '../fakes/awsHome';
import { CleanRoomsClientFactory } from '../../src/aws/clientFactory';
import { CleanRoomsService, type CallLog } from '../../src/aws/cleanRoomsService';
import { ProfileFiles } from '../../src/aws/profiles';
import { useAwsHome } from '../fakes/awsHomeSuite';

const CTV = SAMPLE.ctvReach; // CSV default result configuration, plain table names, can query and receive
const REACH_SQL =
  'SELECT campaign_id, COUNT(DISTINCT hashed_email) AS reach, SUM(impressions) AS impressions, SUM(spend) AS spend ' +
  'FROM campaign_exposures GROUP BY campaign_id ORDER BY campaign_id';
const LIST_SQL = 'SELECT tier, points, member_since, note FROM loyalty_transactions';
const TERMINAL = new Set(['SUCCESS', 'FAILED', 'CANCELLED', 'TIMED_OUT']);
const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

class QuietLog implements CallLog {
  readonly lines: string[] = [];
  info(m: string): void {
    this.lines.push(m);
  }
  warn(m: string): void {
    this.lines.push(m);
  }
}

async function failure(p: Promise<unknown>): Promise<Error & { name: string; $metadata?: { httpStatusCode?: number } }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { name: string };
  }
  assert.fail('expected a failure');
}

/** A SigV4-signed (service s3) request to the local S3 front. */
async function s3Request(
  s3Url: string,
  bucket: string,
  key: string | undefined,
  query: Record<string, string> = {},
  credentials: { accessKeyId: string; secretAccessKey: string } = TEST_CREDENTIALS,
): Promise<{ status: number; body: Buffer }> {
  const u = new URL(s3Url);
  const port = Number(u.port);
  const p = `/${encodeURIComponent(bucket)}${key === undefined ? '' : `/${key.split('/').map(encodeURIComponent).join('/')}`}`;
  const signer = new SignatureV4({ service: 's3', region: 'us-east-1', credentials, sha256: Sha256, uriEscapePath: false, applyChecksum: true });
  const signed = await signer.sign({
    method: 'GET',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port,
    path: p,
    query,
    headers: { host: `127.0.0.1:${port}`, 'x-amz-content-sha256': EMPTY_SHA256 },
  });
  const qs = Object.entries(query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'GET', path: qs ? `${p}?${qs}` : p, headers: signed.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** s3://bucket/prefix -> the keys under it (ListObjectsV2) and a reader. */
async function listResult(s3Url: string, location: string): Promise<{ bucket: string; keys: string[]; status: number; body: string }> {
  const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(location);
  assert.ok(m, `location ${location}`);
  const r = await s3Request(s3Url, m[1], undefined, { 'list-type': '2', prefix: m[2] });
  const body = r.body.toString('utf8');
  const keys = [...body.matchAll(/<Key>([^<]*)<\/Key>/g)].map((x) => x[1].replace(/&amp;/g, '&'));
  return { bucket: m[1], keys, status: r.status, body };
}

describe('protected queries on the local endpoint (real SDK, DuckDB, local S3)', () => {
  let endpoint: CleanRoomsEndpoint;
  let client: CleanRoomsClient;
  let s3Url: string;

  const start = async (membershipId: string, input: Partial<StartProtectedQueryCommandInput> & { sql: string }): Promise<ProtectedQuery> => {
    const { sql, ...rest } = input;
    const out = await client.send(new StartProtectedQueryCommand({ type: 'SQL', membershipIdentifier: membershipId, sqlParameters: { queryString: sql }, ...rest }));
    assert.ok(out.protectedQuery);
    return out.protectedQuery;
  };
  const poll = async (membershipId: string, id: string, budgetMs = 10000): Promise<{ pq: ProtectedQuery; seen: string[] }> => {
    const seen: string[] = [];
    const until = Date.now() + budgetMs;
    for (;;) {
      const out = await client.send(new GetProtectedQueryCommand({ membershipIdentifier: membershipId, protectedQueryIdentifier: id }));
      assert.ok(out.protectedQuery);
      const s = String(out.protectedQuery.status);
      if (seen[seen.length - 1] !== s) seen.push(s);
      if (TERMINAL.has(s) || Date.now() > until) return { pq: out.protectedQuery, seen };
      await new Promise((r) => setTimeout(r, 40));
    }
  };
  const read = async (location: string, key: string): Promise<Buffer> => {
    const bucket = /^s3:\/\/([^/]+)\//.exec(location)?.[1] ?? '';
    const r = await s3Request(s3Url, bucket, key);
    assert.equal(r.status, 200, r.body.toString('utf8'));
    return r.body;
  };
  const parquetRows = async (bytes: Buffer): Promise<Array<Record<string, unknown>>> => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pq-read-')), 'r.parquet');
    fs.writeFileSync(file, bytes);
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    try {
      return (await c.runAndReadAll(`SELECT * FROM read_parquet('${file}')`)).getRowObjects();
    } finally {
      c.closeSync();
      db.closeSync();
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  };

  beforeEach(async () => {
    endpoint = await startCleanRoomsEndpoint({ queryDurationMs: 300, slowMs: 3000 });
    client = new CleanRoomsClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    s3Url = (await endpoint.s3()).url;
  });

  afterEach(async () => {
    client.destroy();
    await endpoint.close();
  });

  it('start -> SUBMITTED -> STARTED -> SUCCESS, with the aggregation result in S3 and the small group suppressed', async () => {
    const pq = await start(CTV.id, { sql: REACH_SQL });
    assert.equal(pq.status, 'SUBMITTED');
    assert.ok(pq.createTime instanceof Date);
    assert.deepEqual(pq.resultConfiguration?.outputConfiguration, { s3: CTV.defaultResultConfiguration?.outputConfiguration.s3 });
    const { pq: done, seen } = await poll(CTV.id, String(pq.id));
    assert.deepEqual(seen, ['SUBMITTED', 'STARTED', 'SUCCESS'].slice(seen[0] === 'STARTED' ? 1 : 0));
    assert.ok((done.statistics?.totalDurationInMillis ?? 0) >= 250);
    assert.ok((done.statistics?.billedResourceUtilization?.units ?? 0) > 0);
    const location = String(done.result?.output?.s3?.location);
    assert.equal(location, `s3://ctv-reach-frequency/q3/reach=*/${pq.id}/`);
    const listed = await listResult(s3Url, location);
    assert.equal(listed.status, 200, listed.body);
    assert.deepEqual(listed.keys, [`q3/reach=*/${pq.id}/part-00000.csv`]);
    const csv = (await read(location, listed.keys[0])).toString('utf8').trim().split('\n');
    assert.equal(csv[0], 'campaign_id,reach,impressions,spend');
    assert.deepEqual(
      csv.slice(1).map((l) => l.split(',')[0]),
      ['cmp-1', 'cmp-2', 'cmp-3'],
      'cmp-4 reaches 2 people, under the COUNT DISTINCT minimum of 3',
    );
  });

  it('list query to several CSV parts keeps 64-bit values, dates, NULL and the empty string apart', async () => {
    const pq = await start(CTV.id, { sql: LIST_SQL });
    const { pq: done } = await poll(CTV.id, String(pq.id));
    assert.equal(done.status, 'SUCCESS', JSON.stringify(done.error));
    const location = String(done.result?.output?.s3?.location);
    const { keys } = await listResult(s3Url, location);
    assert.equal(keys.length, 4, '30 rows in parts of 8');
    const lines: string[] = [];
    for (const k of keys) lines.push(...(await read(location, k)).toString('utf8').trim().split('\n').slice(1));
    assert.equal(lines.length, 30);
    assert.ok(lines.some((l) => l.includes('9223372036854775807')), 'max BIGINT exact');
    assert.ok(lines.some((l) => l.includes(',2019-01-15,')), 'dates as written');
    assert.ok(lines.some((l) => l.endsWith(',')), 'NULL is an empty field');
    assert.ok(lines.some((l) => l.endsWith(',""')), 'the empty string is quoted');
  });

  it('Parquet to an explicit destination, one file: exact BIGINT and DECIMAL values read back', async () => {
    const pq = await start(CTV.id, {
      sql: LIST_SQL,
      resultConfiguration: { outputConfiguration: { s3: { resultFormat: 'PARQUET', bucket: 'my-query-results', keyPrefix: 'adhoc', singleFileOutput: true } } },
    });
    const { pq: done } = await poll(CTV.id, String(pq.id));
    assert.equal(done.status, 'SUCCESS');
    const location = String(done.result?.output?.s3?.location);
    assert.equal(location, `s3://my-query-results/adhoc/${pq.id}/`);
    const { keys } = await listResult(s3Url, location);
    assert.deepEqual(keys, [`adhoc/${pq.id}/result.parquet`]);
    const bytes = await read(location, keys[0]);
    assert.equal(bytes.subarray(0, 4).toString(), 'PAR1');
    const rows = await parquetRows(bytes);
    assert.equal(rows.length, 30);
    assert.ok(rows.some((r) => r.points === 9223372036854775807n));
    assert.ok(rows.some((r) => r.note === null) && rows.some((r) => r.note === ''));
  });

  it('FAILED with the rule\'s message: a join column in the SELECT list, a non-list column, a disallowed function', async () => {
    const cases: Array<[string, RegExp]> = [
      ['SELECT hashed_email, SUM(impressions) FROM campaign_exposures GROUP BY hashed_email', /Column hashed_email of table campaign_exposures can only be used in a JOIN ON clause/],
      ['SELECT SUM(hashed_email) FROM campaign_exposures', /Aggregate function SUM is not allowed on column hashed_email of table campaign_exposures/],
      ['SELECT hashed_email FROM loyalty_transactions', /can only be used in a JOIN ON clause: it is a join column of the list analysis rule/],
      ['SELECT upper(tier) FROM loyalty_transactions', /Only columns can be selected under the list analysis rule/],
      ['SELECT COUNT(DISTINCT e.hashed_email) FROM campaign_exposures e JOIN web_conversions w ON e.campaign_id = w.category', /Column campaign_id of table campaign_exposures cannot be used in a JOIN/],
      ['SELECT segment FROM crm_segments', /Table crm_segments cannot be queried: it has no analysis rule/],
      ['SELECT * FROM not_a_table', /Table not_a_table does not exist in this collaboration/],
      ['SELECT *, SUM(impressions) FROM campaign_exposures GROUP BY ALL', /SELECT \* is not allowed under the aggregation analysis rule/],
      ['WITH x AS (SELECT tier FROM loyalty_transactions) SELECT * FROM x', /Only tables and joins of tables are supported/],
    ];
    for (const [sql, message] of cases) {
      const pq = await start(CTV.id, { sql });
      const { pq: done } = await poll(CTV.id, String(pq.id));
      assert.equal(done.status, 'FAILED', sql);
      assert.match(String(done.error?.message), message, sql);
      assert.ok(done.error?.code, sql);
      assert.equal(done.result, undefined);
    }
  });

  it('allowed shapes run: a join on join columns across aggregation tables; any query (CTE, subquery) on custom-rule tables', async () => {
    for (const sql of [
      'SELECT e.channel, COUNT(DISTINCT e.hashed_email) AS buyers, SUM(w.revenue) AS revenue FROM campaign_exposures e JOIN web_conversions w ON e.hashed_email = w.hashed_email GROUP BY e.channel',
      'WITH v AS (SELECT hashed_email, segment FROM store_visits) SELECT v.hashed_email, p.segment FROM v JOIN (SELECT * FROM product_catalog) p ON v.segment = p.segment',
    ]) {
      const pq = await start(CTV.id, { sql });
      const { pq: done } = await poll(CTV.id, String(pq.id));
      assert.equal(done.status, 'SUCCESS', `${sql}: ${JSON.stringify(done.error)}`);
    }
  });

  it('cancel while running: CANCELLING then CANCELLED, and nothing is written', async () => {
    await endpoint.close();
    endpoint = await startCleanRoomsEndpoint({ queryDurationMs: 1500 });
    client = new CleanRoomsClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    s3Url = (await endpoint.s3()).url;
    const pq = await start(CTV.id, { sql: REACH_SQL });
    const out = await client.send(new UpdateProtectedQueryCommand({ membershipIdentifier: CTV.id, protectedQueryIdentifier: pq.id, targetStatus: 'CANCELLED' }));
    assert.equal(out.protectedQuery?.status, 'CANCELLING');
    const { pq: done } = await poll(CTV.id, String(pq.id));
    assert.equal(done.status, 'CANCELLED');
    await new Promise((r) => setTimeout(r, 1600));
    const after = await client.send(new GetProtectedQueryCommand({ membershipIdentifier: CTV.id, protectedQueryIdentifier: pq.id }));
    assert.equal(after.protectedQuery?.status, 'CANCELLED', 'stays cancelled past its duration');
    const { keys } = await listResult(s3Url, `s3://ctv-reach-frequency/q3/reach=*/${pq.id}/`);
    assert.deepEqual(keys, []);
    const e = await failure(client.send(new UpdateProtectedQueryCommand({ membershipIdentifier: CTV.id, protectedQueryIdentifier: String(protectedQueriesFor(CTV).find((q) => q.status === 'SUCCESS')?.id), targetStatus: 'CANCELLED' })));
    assert.ok(e instanceof ConflictException, `${e.name}: cancelling a finished query`);
  });

  it('member output: memberList names the receiver; S3 output needs the ability to receive results', async () => {
    const pq = await start(CTV.id, { sql: REACH_SQL, resultConfiguration: { outputConfiguration: { member: { accountId: MEMBER_ACCOUNT_ID } } } });
    const { pq: done } = await poll(CTV.id, String(pq.id));
    assert.equal(done.status, 'SUCCESS');
    assert.deepEqual(done.result?.output, { memberList: [{ accountId: MEMBER_ACCOUNT_ID }] });
    const summaries = await client.send(new ListProtectedQueriesCommand({ membershipIdentifier: CTV.id, maxResults: 1 }));
    assert.deepEqual(summaries.protectedQueries?.[0].receiverConfigurations?.[0].configurationDetails, {
      directAnalysisConfigurationDetails: { receiverAccountIds: [MEMBER_ACCOUNT_ID] },
    });
    const notReceiver = await failure(start(CTV.id, { sql: REACH_SQL, resultConfiguration: { outputConfiguration: { member: { accountId: CTV.collaborationCreatorAccountId } } } }));
    assert.ok(notReceiver instanceof ValidationException, notReceiver.name);
    const travel = await failure(start(SAMPLE.travelSandbox.id, { sql: REACH_SQL, resultConfiguration: { outputConfiguration: { s3: { resultFormat: 'CSV', bucket: 'skyway-attribution' } } } }));
    assert.ok(travel instanceof ValidationException);
    assert.match(travel.message, /can receive results/);
  });

  it('ListProtectedQueries: started queries first (newest first), then history, paged', async () => {
    // Long enough that both are still SUBMITTED when listed by status, however loaded the machine.
    endpoint.setQueryDuration(60_000);
    const a = await start(CTV.id, { sql: REACH_SQL });
    await new Promise((r) => setTimeout(r, 20));
    const b = await start(CTV.id, { sql: LIST_SQL });
    const ids: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(new ListProtectedQueriesCommand({ membershipIdentifier: CTV.id, maxResults: 2, nextToken }));
      ids.push(...(page.protectedQueries ?? []).map((q) => String(q.id)));
      nextToken = page.nextToken;
    } while (nextToken);
    assert.deepEqual(ids, [b.id, a.id, ...protectedQueriesFor(CTV).map((q) => q.id)]);
    const running = await client.send(new ListProtectedQueriesCommand({ membershipIdentifier: CTV.id, status: 'SUBMITTED' }));
    assert.ok((running.protectedQueries ?? []).some((q) => q.id === a.id || q.id === b.id));
  });

  it('ServiceQuotaExceededException after 5 concurrent queries in a membership', async () => {
    for (let i = 0; i < 5; i++) await start(CTV.id, { sql: REACH_SQL });
    const e = await failure(start(CTV.id, { sql: REACH_SQL }));
    assert.ok(e instanceof ServiceQuotaExceededException, e.name);
    assert.equal(e.$metadata?.httpStatusCode, 402);
    assert.equal(e.quotaValue, 5);
  });

  it('UpdateMembership: log statuses and default result configurations round-trip; invalid values are a ValidationException', async () => {
    const out = await client.send(
      new UpdateMembershipCommand({
        membershipIdentifier: CTV.id,
        queryLogStatus: 'DISABLED',
        defaultResultConfiguration: { outputConfiguration: { s3: { resultFormat: 'PARQUET', bucket: 'ctv-new-results', keyPrefix: 'v2/', singleFileOutput: true } } },
      }),
    );
    assert.equal(out.membership?.queryLogStatus, 'DISABLED');
    assert.equal(out.membership?.jobLogStatus, CTV.jobLogStatus, 'unchanged fields stay');
    assert.deepEqual(out.membership?.defaultResultConfiguration, { outputConfiguration: { s3: { resultFormat: 'PARQUET', bucket: 'ctv-new-results', keyPrefix: 'v2/', singleFileOutput: true } } });
    // The new default is where a query without resultConfiguration now writes.
    const pq = await start(CTV.id, { sql: REACH_SQL });
    const { pq: done } = await poll(CTV.id, String(pq.id));
    assert.equal(done.result?.output?.s3?.location, `s3://ctv-new-results/v2/${pq.id}/`);
    const bad = await failure(client.send(new UpdateMembershipCommand({ membershipIdentifier: CTV.id, queryLogStatus: 'SOMETIMES' as 'ENABLED' })));
    assert.ok(bad instanceof ValidationException);
    assert.match(bad.message, /queryLogStatus/);
  });

  describe('faults', () => {
    it('queryTimeout: the query stays STARTED', async () => {
      const pq = await start(FAULT_IDS.queryTimeout, { sql: REACH_SQL });
      const { pq: later } = await poll(FAULT_IDS.queryTimeout, String(pq.id), 900);
      assert.equal(later.status, 'STARTED');
    });

    it('queryConflict: UpdateProtectedQuery and UpdateMembership answer ConflictException', async () => {
      const pq = await start(FAULT_IDS.queryConflict, { sql: REACH_SQL });
      const e1 = await failure(client.send(new UpdateProtectedQueryCommand({ membershipIdentifier: FAULT_IDS.queryConflict, protectedQueryIdentifier: pq.id, targetStatus: 'CANCELLED' })));
      assert.ok(e1 instanceof ConflictException, e1.name);
      assert.equal(e1.$metadata?.httpStatusCode, 409);
      const e2 = await failure(client.send(new UpdateMembershipCommand({ membershipIdentifier: FAULT_IDS.queryConflict, queryLogStatus: 'DISABLED' })));
      assert.ok(e2 instanceof ConflictException, e2.name);
    });

    it('queryQuota: StartProtectedQuery answers ServiceQuotaExceededException and starts nothing', async () => {
      const e = await failure(start(FAULT_IDS.queryQuota, { sql: REACH_SQL }));
      assert.ok(e instanceof ServiceQuotaExceededException);
      assert.equal(e.message, FAULTS.queryQuota.query.startError.message);
      assert.equal(endpoint.startedQueries(FAULT_IDS.queryQuota).length, 0);
    });

    it('s3AccessDenied: SUCCESS, but listing and reading the result are AccessDenied', async () => {
      const pq = await start(FAULT_IDS.s3AccessDenied, { sql: REACH_SQL });
      const { pq: done } = await poll(FAULT_IDS.s3AccessDenied, String(pq.id));
      assert.equal(done.status, 'SUCCESS', JSON.stringify(done.error));
      const listed = await listResult(s3Url, String(done.result?.output?.s3?.location));
      assert.equal(listed.status, 403);
      assert.match(listed.body, /<Code>AccessDenied<\/Code>.*s3:ListBucket/s);
      const r = await s3Request(s3Url, 'fault-injection-results', `out/${pq.id}/part-00000.csv`);
      assert.equal(r.status, 403);
      assert.match(r.body.toString('utf8'), /s3:GetObject/);
    });

    it('missingResult: SUCCESS names a location with no object in it', async () => {
      const pq = await start(FAULT_IDS.missingResult, { sql: REACH_SQL });
      const { pq: done } = await poll(FAULT_IDS.missingResult, String(pq.id));
      assert.equal(done.status, 'SUCCESS');
      const listed = await listResult(s3Url, String(done.result?.output?.s3?.location));
      assert.deepEqual(listed.keys, []);
      const r = await s3Request(s3Url, 'fault-injection-results', `out/${pq.id}/part-00000.csv`);
      assert.ok(r.status === 404, `status ${r.status}`);
    });

    it('corruptParquet: the result object is a truncated Parquet file', async () => {
      const pq = await start(FAULT_IDS.corruptParquet, { sql: REACH_SQL });
      const { pq: done } = await poll(FAULT_IDS.corruptParquet, String(pq.id));
      assert.equal(done.status, 'SUCCESS');
      const location = String(done.result?.output?.s3?.location);
      const { keys } = await listResult(s3Url, location);
      assert.equal(keys.length, 1);
      const bytes = await read(location, keys[0]);
      assert.equal(bytes.subarray(0, 4).toString(), 'PAR1');
      assert.notEqual(bytes.subarray(bytes.length - 4).toString(), 'PAR1');
      await assert.rejects(parquetRows(bytes));
    });
  });

  it('speaks the model\'s restJson1 routes, SigV4-checked: POST/GET/PATCH protectedQueries, PATCH memberships', async () => {
    const pq = await start(CTV.id, { sql: REACH_SQL });
    await client.send(new GetProtectedQueryCommand({ membershipIdentifier: CTV.id, protectedQueryIdentifier: pq.id }));
    await client.send(new UpdateProtectedQueryCommand({ membershipIdentifier: CTV.id, protectedQueryIdentifier: pq.id, targetStatus: 'CANCELLED' }));
    await client.send(new ListProtectedQueriesCommand({ membershipIdentifier: CTV.id, status: 'CANCELLING', maxResults: 3 }));
    await client.send(new UpdateMembershipCommand({ membershipIdentifier: CTV.id, jobLogStatus: 'DISABLED' }));
    const seen = endpoint.requests.map((r) => [r.operation, r.method, r.path, r.status, r.signed]);
    assert.deepEqual(seen, [
      ['StartProtectedQuery', 'POST', `/memberships/${CTV.id}/protectedQueries`, 200, true],
      ['GetProtectedQuery', 'GET', `/memberships/${CTV.id}/protectedQueries/${pq.id}`, 200, true],
      ['UpdateProtectedQuery', 'PATCH', `/memberships/${CTV.id}/protectedQueries/${pq.id}`, 200, true],
      ['ListProtectedQueries', 'GET', `/memberships/${CTV.id}/protectedQueries`, 200, true],
      ['UpdateMembership', 'PATCH', `/memberships/${CTV.id}`, 200, true],
    ]);
    assert.deepEqual(endpoint.requests[3].query, { status: 'CANCELLING', maxResults: '3' });
    const unsigned = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${endpoint.url}/memberships/${CTV.id}/protectedQueries`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(JSON.stringify({ type: 'SQL', sqlParameters: { queryString: REACH_SQL } }));
    });
    assert.equal(unsigned, 403);
    assert.equal(endpoint.startedQueries(CTV.id).length, 1, 'an unsigned start starts nothing');
  });

  it('the local S3 checks SigV4: a wrong secret is SignatureDoesNotMatch, an unknown key InvalidAccessKeyId', async () => {
    const wrong = await s3Request(s3Url, 'ctv-reach-frequency', undefined, { 'list-type': '2' }, { accessKeyId: TEST_CREDENTIALS.accessKeyId, secretAccessKey: 'not-the-secret' });
    assert.equal(wrong.status, 403);
    assert.match(wrong.body.toString('utf8'), /<Code>SignatureDoesNotMatch<\/Code>/);
    const unknown = await s3Request(s3Url, 'ctv-reach-frequency', undefined, { 'list-type': '2' }, { accessKeyId: 'AKIDNOTKNOWN00000000', secretAccessKey: 'x' });
    assert.match(unknown.body.toString('utf8'), /<Code>InvalidAccessKeyId<\/Code>/);
  });
});

describe('CleanRoomsService protected-query calls', () => {
  let endpoint: CleanRoomsEndpoint;
  let service: CleanRoomsService;
  let log: QuietLog;
  const request = (timeoutMs = 5000) => ({ profile: PROFILES.test, endpoint: endpoint.url, timeoutMs });
  const starts = (id: string): number => endpoint.requests.filter((r) => r.operation === 'StartProtectedQuery' && r.membershipId === id).length;

  useAwsHome();
  beforeEach(async () => {
    endpoint = await startCleanRoomsEndpoint({ queryDurationMs: 200, slowMs: 3000 });
    log = new QuietLog();
    service = new CleanRoomsService(new CleanRoomsClientFactory(), new ProfileFiles(), log);
  });
  afterEach(async () => {
    service.reset();
    await endpoint.close();
  });

  it('start -> get until SUCCESS, conformed (Dates, result location)', async () => {
    const started = await service.startProtectedQuery(request(), CTV.id, { queryString: REACH_SQL });
    assert.ok(started.ok, started.ok ? '' : started.failure.title);
    assert.equal(started.value.status, 'SUBMITTED');
    assert.ok(started.value.createTime instanceof Date);
    let got = await service.getProtectedQuery(request(), CTV.id, String(started.value.id));
    while (got.ok && !TERMINAL.has(String(got.value.status))) {
      await new Promise((r) => setTimeout(r, 50));
      got = await service.getProtectedQuery(request(), CTV.id, String(started.value.id));
    }
    assert.ok(got.ok);
    assert.equal(got.value.status, 'SUCCESS');
    assert.match(String(got.value.result?.output?.s3?.location), /^s3:\/\/ctv-reach-frequency\//);
    assert.equal(got.value.$unexpected, undefined);
  });

  it('cancelProtectedQuery, and listProtectedQueries pages newest first', async () => {
    const started = await service.startProtectedQuery(request(), CTV.id, { queryString: REACH_SQL });
    assert.ok(started.ok);
    const cancelled = await service.cancelProtectedQuery(request(), CTV.id, String(started.value.id));
    assert.ok(cancelled.ok);
    assert.equal(cancelled.value.status, 'CANCELLING');
    const page1 = await service.listProtectedQueries(request(), CTV.id, { maxResults: 2 });
    assert.ok(page1.ok);
    assert.equal(page1.value.items[0].id, started.value.id);
    assert.ok(page1.value.nextToken);
    const page2 = await service.listProtectedQueries(request(), CTV.id, { maxResults: 2, nextToken: page1.value.nextToken });
    assert.ok(page2.ok);
    assert.equal(page2.value.items[0].id, protectedQueriesFor(CTV)[1].id);
  });

  it('StartProtectedQuery is not retried after a 500 (the query did start: one start, one query)', async () => {
    const r = await service.startProtectedQuery(request(), FAULT_IDS.startInternalError, { queryString: REACH_SQL });
    assert.equal(r.ok, false);
    assert.equal(r.ok ? '' : r.failure.kind, 'internal');
    assert.equal(starts(FAULT_IDS.startInternalError), 1);
    assert.equal(endpoint.startedQueries(FAULT_IDS.startInternalError).length, 1);
    const recent = await service.listProtectedQueries(request(), FAULT_IDS.startInternalError, { maxResults: 5 });
    assert.ok(recent.ok);
    assert.equal(recent.value.items.length, 1, 'the caller can find the one query that started');
  });

  it('StartProtectedQuery is not retried after a timeout', async () => {
    const r = await service.startProtectedQuery(request(1000), FAULT_IDS.startSlow, { queryString: REACH_SQL });
    assert.equal(r.ok, false);
    assert.equal(r.ok ? '' : r.failure.kind, 'timeout');
    await new Promise((res) => setTimeout(res, 200));
    assert.equal(starts(FAULT_IDS.startSlow), 1);
    assert.equal(endpoint.startedQueries(FAULT_IDS.startSlow).length, 1);
  });

  it('StartProtectedQuery is retried after throttling, until it starts', async () => {
    const r = await service.startProtectedQuery(request(), FAULT_IDS.throttledOnce, { queryString: REACH_SQL });
    assert.ok(r.ok, r.ok ? '' : r.failure.title);
    assert.equal(starts(FAULT_IDS.throttledOnce), 3, 'two 429s, then the start');
    assert.equal(endpoint.startedQueries(FAULT_IDS.throttledOnce).length, 1);
  });

  it('quota and conflict answers become their own failure kinds', async () => {
    const quota = await service.startProtectedQuery(request(), FAULT_IDS.queryQuota, { queryString: REACH_SQL });
    assert.equal(quota.ok ? '' : quota.failure.kind, 'quotaExceeded');
    assert.ok(!quota.ok && quota.failure.details?.some((d) => /Limit: 5/.test(d)));
    const conflict = await service.updateMembership(request(), FAULT_IDS.queryConflict, { queryLogStatus: 'DISABLED' });
    assert.equal(conflict.ok ? '' : conflict.failure.kind, 'conflict');
  });

  it('updateMembership returns the updated membership, and GetMembership then agrees', async () => {
    const r = await service.updateMembership(request(), SAMPLE.retailMedia.id, {
      jobLogStatus: 'ENABLED',
      defaultResultConfiguration: { outputConfiguration: { s3: { resultFormat: 'CSV', bucket: 'retail-new', keyPrefix: 'q/' } } },
    });
    assert.ok(r.ok, r.ok ? '' : r.failure.title);
    assert.equal(r.value.membership.jobLogStatus, 'ENABLED');
    assert.equal(r.value.membership.defaultResultConfiguration?.outputConfiguration?.s3?.bucket, 'retail-new');
    const again = await service.getMembership(request(), SAMPLE.retailMedia.id);
    assert.ok(again.ok);
    assert.equal(again.value.membership.jobLogStatus, 'ENABLED');
    assert.ok(again.value.membership.updateTime instanceof Date);
  });
});
