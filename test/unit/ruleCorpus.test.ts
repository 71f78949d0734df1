/**
 * The rule corpus (test/fakes/ruleCorpus.ts) on the local endpoint, through the real SDK: every
 * query without a finding runs to SUCCESS, every other one ends FAILED with
 * ANALYSIS_RULE_VIOLATION and the violation the corpus names. Then analysis templates run
 * (StartProtectedQuery with an analysis template ARN and parameters).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CleanRoomsClient,
  GetProtectedQueryCommand,
  ResourceNotFoundException,
  StartProtectedQueryCommand,
  ValidationException,
  type ProtectedQuery,
  type ProtectedQuerySQLParameters,
} from '@aws-sdk/client-cleanrooms';
import { startCleanRoomsEndpoint, type CleanRoomsEndpoint } from '../fakes/cleanRoomsEndpoint';
import { SAMPLE, TEST_CREDENTIALS } from '../fakes/fixtures';
import { BENCH_CORPUS, RULE_CORPUS } from '../fakes/ruleCorpus';
import { SCHEMA_MEMBERSHIP_IDS } from '../fakes/schemaFixtures';
import { collaborationTemplatesFor, RULES_TEMPLATE_NAMES } from '../fakes/schemaTemplates';
import { SCHEMA_MEMBERSHIPS } from '../fakes/schemaFixtures';
import { rulesTemplateArn } from '../fakes/schemaCatalog';
import type { FindingCode } from '../../src/sql/findings';

const TERMINAL = new Set(['SUCCESS', 'FAILED', 'CANCELLED', 'TIMED_OUT']);
const ALL_CODES: readonly FindingCode[] = [
  'unknownTable',
  'unknownColumn',
  'tooManyTables',
  'noAnalysisRule',
  'templatesOnly',
  'mixedRuleTypes',
  'selectStar',
  'forbiddenOutputColumn',
  'joinColumnOutsideJoin',
  'columnNotAllowedHere',
  'aggregateNotAllowed',
  'missingAggregate',
  'functionNotAllowed',
  'joinOperatorNotAllowed',
  'joinRequired',
];

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  assert.fail('expected a failure');
}

describe('rule corpus and analysis templates on the local endpoint (real SDK)', () => {
  let endpoint: CleanRoomsEndpoint;
  let client: CleanRoomsClient;

  before(async () => {
    endpoint = await startCleanRoomsEndpoint({ queryDurationMs: 20 });
    client = new CleanRoomsClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  });
  after(async () => {
    client.destroy();
    await endpoint.close();
  });

  const run = async (membershipId: string, sqlParameters: ProtectedQuerySQLParameters): Promise<ProtectedQuery> => {
    const out = await client.send(new StartProtectedQueryCommand({ type: 'SQL', membershipIdentifier: membershipId, sqlParameters }));
    const id = String(out.protectedQuery?.id);
    const until = Date.now() + 20000;
    for (;;) {
      const got = await client.send(new GetProtectedQueryCommand({ membershipIdentifier: membershipId, protectedQueryIdentifier: id }));
      assert.ok(got.protectedQuery);
      if (TERMINAL.has(String(got.protectedQuery.status)) || Date.now() > until) return got.protectedQuery;
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  it('the corpus names every finding code, and has valid queries for every rule type', () => {
    const ids = new Set(RULE_CORPUS.map((q) => q.id));
    assert.equal(ids.size, RULE_CORPUS.length, 'unique ids');
    for (const code of ALL_CODES) assert.ok([...RULE_CORPUS, ...BENCH_CORPUS].some((q) => q.expect === code), `an invalid query for ${code}`);
    for (const rule of ['aggregation', 'list', 'custom', 'differentialPrivacy'] as const) {
      assert.ok(RULE_CORPUS.filter((q) => q.rule === rule && q.expect === null).length >= 3, `valid ${rule} queries`);
    }
  });

  it('every corpus query: expect null -> SUCCESS; otherwise FAILED (ANALYSIS_RULE_VIOLATION) with that finding', async () => {
    const rows: Array<{ id: string; expected: string; got: string; ok: boolean; message: string }> = [];
    // Four at a time: the endpoint allows five concurrent queries per membership.
    const corpus = [...RULE_CORPUS.map((q) => ({ ...q, membership: SCHEMA_MEMBERSHIP_IDS.rules })), ...BENCH_CORPUS.map((q) => ({ ...q, membership: SCHEMA_MEMBERSHIP_IDS.bench }))];
    for (let i = 0; i < corpus.length; i += 4) {
      const batch = corpus.slice(i, i + 4);
      const done = await Promise.all(batch.map((q) => run(q.membership, { queryString: q.sql })));
      batch.forEach((q, k) => {
        const pq = done[k];
        const finding = endpoint.ruleFinding(String(pq.id));
        const got = pq.status === 'SUCCESS' ? 'SUCCESS' : `${String(pq.status)} ${pq.error?.code ?? ''} ${finding ?? ''}`.trim();
        const ok = q.expect === null ? pq.status === 'SUCCESS' : pq.status === 'FAILED' && pq.error?.code === 'ANALYSIS_RULE_VIOLATION' && finding === q.expect;
        rows.push({ id: q.id, expected: q.expect ?? 'SUCCESS', got, ok, message: pq.error?.message ?? '' });
      });
    }
    const width = Math.max(...rows.map((r) => r.id.length));
    const table = ['id'.padEnd(width) + '  expected'.padEnd(26) + '  got', ...rows.map((r) => `${r.ok ? ' ' : '!'}${r.id.padEnd(width)}  ${r.expected.padEnd(24)}  ${r.got}${r.ok ? '' : `  (${r.message})`}`)];
    console.log(table.join('\n'));
    const wrong = rows.filter((r) => !r.ok);
    assert.deepEqual(wrong, [], `${wrong.length} of ${rows.length} corpus queries disagree`);
  });

  it('a statement DuckDB lists no tables for (HAVING on a column that is not grouped) is still checked against the rules', async () => {
    const pq = await run(SCHEMA_MEMBERSHIP_IDS.rules, { queryString: 'SELECT channel, SUM(spend) AS spend FROM ad_impressions GROUP BY channel HAVING spend > 1' });
    assert.equal(pq.status, 'FAILED');
    assert.equal(pq.error?.code, 'ANALYSIS_RULE_VIOLATION', pq.error?.message);
    assert.equal(endpoint.ruleFinding(String(pq.id)), 'columnNotAllowedHere');
  });

  it('a template that a templatesOnly table allows runs, with defaults filled in and every parameter type bound', async () => {
    const templates = collaborationTemplatesFor(SCHEMA_MEMBERSHIPS.rules);
    const arn = (name: string): string => String(templates.find((t) => t.name === name)?.arn);
    const one = await run(SCHEMA_MEMBERSHIP_IDS.rules, { analysisTemplateArn: arn(RULES_TEMPLATE_NAMES.scoreDistribution), parameters: { min_score: '0.25' } });
    assert.equal(one.status, 'SUCCESS', JSON.stringify(one.error));
    assert.deepEqual(one.sqlParameters, { analysisTemplateArn: rulesTemplateArn(0), parameters: { min_score: '0.25' } });
    const two = await run(SCHEMA_MEMBERSHIP_IDS.rules, {
      analysisTemplateArn: arn(RULES_TEMPLATE_NAMES.topSegments),
      parameters: { include_all: 'TRUE', threshold: '0.75', min_value: '150', top_n: '3' },
    });
    assert.equal(two.status, 'SUCCESS', JSON.stringify(two.error));
    const three = await run(SCHEMA_MEMBERSHIP_IDS.rules, { analysisTemplateArn: arn(RULES_TEMPLATE_NAMES.dpEventCounts), parameters: { from_ts: '2024-07-01T06:00:00', label: "it's" } });
    assert.equal(three.status, 'SUCCESS', JSON.stringify(three.error));
    const ctv = collaborationTemplatesFor(SAMPLE.ctvReach);
    for (const [t, parameters] of [[ctv[0], {}], [ctv[1], { campaign: 'cmp-1' }]] as const) {
      const pq = await run(SAMPLE.ctvReach.id, { analysisTemplateArn: String(t.arn), parameters });
      assert.equal(pq.status, 'SUCCESS', `${String(t.name)}: ${JSON.stringify(pq.error)}`);
    }
  });

  it('template runs: missing, unknown and mistyped parameters, PySpark and unknown templates are refused at start', async () => {
    const arn0 = rulesTemplateArn(0);
    const start = (sqlParameters: ProtectedQuerySQLParameters) => client.send(new StartProtectedQueryCommand({ type: 'SQL', membershipIdentifier: SCHEMA_MEMBERSHIP_IDS.rules, sqlParameters }));
    const missing = await failure(start({ analysisTemplateArn: arn0 }));
    assert.ok(missing instanceof ValidationException);
    assert.match(missing.message, /min_score/);
    const unknown = await failure(start({ analysisTemplateArn: arn0, parameters: { min_score: '1', colour: 'red' } }));
    assert.ok(unknown instanceof ValidationException);
    assert.match(unknown.message, /colour/);
    for (const [name, value] of [['min_score', 'high'], ['since_date', '2024-02-30']] as const) {
      const e = await failure(start({ analysisTemplateArn: arn0, parameters: { min_score: '1', [name]: value } }));
      assert.ok(e instanceof ValidationException, name);
      assert.match(e.message, new RegExp(name));
    }
    const typed = await failure(start({ analysisTemplateArn: rulesTemplateArn(1), parameters: { min_value: '1', include_all: 'yes', top_n: '2.5' } }));
    assert.match(typed.message, /include_all/);
    assert.match(typed.message, /top_n/);
    const spark = await failure(start({ analysisTemplateArn: rulesTemplateArn(3) }));
    assert.ok(spark instanceof ValidationException);
    const none = await failure(start({ analysisTemplateArn: rulesTemplateArn(0).replace(/[0-9a-f]{4}$/, '0000') }));
    assert.ok(none instanceof ResourceNotFoundException);
    assert.equal(endpoint.startedQueries(SCHEMA_MEMBERSHIP_IDS.rules).filter((q) => q.sqlParameters?.analysisTemplateArn !== undefined && q.status !== 'SUCCESS').length, 0, 'no query was started for a refused template run');
  });
});
