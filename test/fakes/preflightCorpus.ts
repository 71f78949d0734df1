import { GetProtectedQueryCommand, StartProtectedQueryCommand, type CleanRoomsClient } from '@aws-sdk/client-cleanrooms';
import type { Catalog } from '../../src/sql/catalog';
import type { AnalyzeStatement, FindingCode } from '../../src/sql/findings';
import type { CleanRoomsEndpoint } from './cleanRoomsEndpoint';

/**
 * A corpus for the pre-flight check on the rules collaboration's tables (RULES_TABLES), written
 * from the shapes the AWS Clean Rooms documentation gives for valid and invalid queries per rule
 * type. Same shape as test/fakes/ruleCorpus.ts; test/unit/preflightCorpus.test.ts and
 * test/integration/preflight.test.ts run both through the pre-flight check and on the local endpoint.
 */
export interface CorpusQuery {
  readonly id: string;
  readonly rule: 'aggregation' | 'list' | 'custom' | 'differentialPrivacy' | 'general';
  readonly sql: string;
  readonly expect: FindingCode | null;
  readonly why: string;
}

export const PREFLIGHT_CORPUS: readonly CorpusQuery[] = [
  // Aggregation: valid
  { id: 'agg-ok-dimension-count-distinct', rule: 'aggregation', sql: 'SELECT channel, COUNT(DISTINCT hashed_email) AS reach FROM ad_impressions GROUP BY channel', expect: null, why: 'a dimension and the allowed aggregate of the join column' },
  {
    id: 'agg-ok-where-having-order',
    rule: 'aggregation',
    sql: "SELECT i.campaign_id, i.channel, SUM(i.spend) AS spend, AVG(i.impressions) FROM ad_impressions i WHERE i.impression_date BETWEEN DATE '2024-07-01' AND DATE '2024-07-07' GROUP BY i.campaign_id, i.channel HAVING COUNT(DISTINCT i.hashed_email) >= 2 ORDER BY 3 DESC LIMIT 10",
    expect: null,
    why: 'dimensions in WHERE / GROUP BY, aggregates in HAVING, ORDER BY an output position',
  },
  { id: 'agg-ok-scalar-functions', rule: 'aggregation', sql: "SELECT UPPER(channel) AS ch, ROUND(SUM(spend), 1), COALESCE(campaign_id, 'none') FROM ad_impressions GROUP BY 1, 3", expect: null, why: 'UPPER, ROUND, COALESCE are in the scalar functions' },
  { id: 'agg-ok-join', rule: 'aggregation', sql: 'SELECT i.channel, COUNT(DISTINCT p.order_id), SUM(p.amount) FROM ad_impressions i JOIN purchases p ON i.hashed_email = p.hashed_email GROUP BY i.channel', expect: null, why: 'a join on join columns; aggregates of each table in their allowed functions' },
  { id: 'agg-ok-or-in-where', rule: 'aggregation', sql: "SELECT channel, COUNT(device_id) FROM ad_impressions WHERE channel = 'ctv' OR channel = 'social' GROUP BY channel", expect: null, why: 'OR in WHERE is a filter, not a join operator' },
  { id: 'agg-ok-reserved-name', rule: 'aggregation', sql: 'SELECT "order".status, SUM("order".total) FROM "order" GROUP BY "order".status', expect: null, why: 'the reserved name written in double quotes' },
  { id: 'agg-ok-quoted-name', rule: 'aggregation', sql: 'SELECT w.page, AVG(w.duration_seconds) FROM "web-visits" w GROUP BY w.page', expect: null, why: 'a hyphenated name in double quotes, with an alias' },
  { id: 'agg-ok-cast', rule: 'aggregation', sql: 'SELECT CAST(impression_date AS VARCHAR) AS d, COUNT(DISTINCT hashed_email) FROM ad_impressions GROUP BY 1', expect: null, why: 'CAST is in the scalar functions' },
  { id: 'agg-ok-sum-distinct', rule: 'aggregation', sql: 'SELECT p.category, SUM(DISTINCT p.amount) FROM purchases p JOIN ad_impressions i ON p.hashed_email = i.hashed_email GROUP BY p.category', expect: null, why: 'SUM_DISTINCT is allowed on amount' },
  // Aggregation: invalid
  { id: 'agg-bad-join-column-output', rule: 'aggregation', sql: 'SELECT channel, hashed_email, COUNT(DISTINCT hashed_email) FROM ad_impressions GROUP BY channel', expect: 'forbiddenOutputColumn', why: 'a join column in the output' },
  { id: 'agg-bad-aggregate-column-output', rule: 'aggregation', sql: 'SELECT channel, spend, COUNT(DISTINCT hashed_email) FROM ad_impressions GROUP BY channel', expect: 'forbiddenOutputColumn', why: 'an aggregate column outside its function' },
  { id: 'agg-bad-join-column-where', rule: 'aggregation', sql: "SELECT channel, SUM(spend) FROM ad_impressions WHERE hashed_email = 'x' GROUP BY channel", expect: 'joinColumnOutsideJoin', why: 'a join column in WHERE' },
  { id: 'agg-bad-where-non-dimension', rule: 'aggregation', sql: 'SELECT channel, SUM(spend) FROM ad_impressions WHERE spend > 100 GROUP BY channel', expect: 'columnNotAllowedHere', why: 'an aggregate column in WHERE' },
  { id: 'agg-bad-group-by-non-dimension', rule: 'aggregation', sql: 'SELECT channel, COUNT(DISTINCT hashed_email) FROM ad_impressions GROUP BY channel, device_id', expect: 'columnNotAllowedHere', why: 'GROUP BY a column that is not a dimension' },
  { id: 'agg-bad-aggregate-function', rule: 'aggregation', sql: 'SELECT channel, SUM(device_id) FROM ad_impressions GROUP BY channel', expect: 'aggregateNotAllowed', why: 'device_id allows COUNT and COUNT_DISTINCT only' },
  { id: 'agg-bad-no-aggregate', rule: 'aggregation', sql: 'SELECT channel, campaign_id FROM ad_impressions GROUP BY channel, campaign_id', expect: 'missingAggregate', why: 'no aggregate function' },
  { id: 'agg-bad-scalar-function', rule: 'aggregation', sql: 'SELECT TRIM(channel), COUNT(DISTINCT hashed_email) FROM ad_impressions GROUP BY 1', expect: 'functionNotAllowed', why: 'TRIM is not in this table\'s scalar functions' },
  {
    id: 'agg-bad-min',
    rule: 'aggregation',
    sql: 'SELECT channel, MIN(spend) FROM ad_impressions GROUP BY channel',
    expect: 'aggregateNotAllowed',
    why: 'MIN is an aggregate function outside the rule\'s COUNT, SUM, AVG (and their DISTINCT forms); not a scalar function question',
  },
  {
    id: 'agg-bad-or-join',
    rule: 'aggregation',
    sql: 'SELECT COUNT(DISTINCT i.hashed_email) FROM ad_impressions i JOIN purchases p ON i.hashed_email = p.hashed_email OR i.hashed_email = p.hashed_phone',
    expect: 'joinOperatorNotAllowed',
    why: 'ad_impressions allows only AND between join conditions',
  },
  { id: 'agg-bad-join-required', rule: 'aggregation', sql: 'SELECT category, SUM(amount) FROM purchases GROUP BY category', expect: 'joinRequired', why: 'purchases must be joined with a table of the query runner' },
  {
    id: 'agg-bad-dateadd-date-part',
    rule: 'aggregation',
    sql: 'SELECT DATEADD(day, 1, impression_date) AS d, COUNT(DISTINCT hashed_email) FROM ad_impressions GROUP BY 1',
    expect: 'functionNotAllowed',
    why: 'DATEADD is not in the scalar functions; its first argument is a date part, not an unknown column',
  },
  {
    id: 'agg-bad-convert-type',
    rule: 'aggregation',
    sql: 'SELECT CONVERT(VARCHAR, channel) AS c, COUNT(DISTINCT hashed_email) FROM ad_impressions GROUP BY 1',
    expect: 'functionNotAllowed',
    why: 'CONVERT is not in the scalar functions; its first argument is a type, not an unknown column',
  },
  { id: 'agg-bad-star', rule: 'aggregation', sql: 'SELECT * FROM ad_impressions', expect: 'selectStar', why: 'SELECT * on an aggregation table' },
  // List
  { id: 'list-ok-overlap', rule: 'list', sql: 'SELECT DISTINCT c.city, c.state FROM customer_list c JOIN loyalty_members l ON c.hashed_email = l.hashed_email LIMIT 10', expect: null, why: 'list columns, a join on the join column, DISTINCT and LIMIT' },
  { id: 'list-ok-where', rule: 'list', sql: "SELECT c.loyalty_tier, l.member_tier FROM customer_list c JOIN loyalty_members l ON c.hashed_email = l.hashed_email WHERE c.state = 'WA'", expect: null, why: 'a filter on a list column' },
  { id: 'list-ok-single', rule: 'list', sql: 'SELECT city, signup_date FROM customer_list', expect: null, why: 'list columns only' },
  { id: 'list-bad-star', rule: 'list', sql: 'SELECT * FROM customer_list', expect: 'selectStar', why: 'SELECT * on a list table' },
  { id: 'list-bad-join-column-output', rule: 'list', sql: 'SELECT hashed_email, city FROM customer_list', expect: 'forbiddenOutputColumn', why: 'a join column in the output' },
  { id: 'list-bad-function', rule: 'list', sql: 'SELECT UPPER(city) FROM customer_list', expect: 'functionNotAllowed', why: 'no functions in list queries' },
  { id: 'list-bad-mixed', rule: 'general', sql: 'SELECT COUNT(DISTINCT i.hashed_email) FROM ad_impressions i JOIN customer_list c ON i.hashed_email = c.hashed_email', expect: 'mixedRuleTypes', why: 'an aggregation table and a list table in one query' },
  // Custom
  { id: 'custom-ok-any-query', rule: 'custom', sql: 'SELECT region, age_band, COUNT(DISTINCT age_band) FROM crm_attributes GROUP BY region, age_band', expect: null, why: 'ANY_QUERY; any aggregate of columns that may be output' },
  {
    id: 'custom-bad-count-disallowed',
    rule: 'custom',
    sql: 'SELECT region, COUNT(DISTINCT hashed_email) FROM crm_attributes GROUP BY region',
    expect: 'forbiddenOutputColumn',
    why: 'an aggregate of a disallowed output column is still output (the documentation refuses SELECT COUNT(age) FROM users)',
  },
  { id: 'custom-bad-function-disallowed', rule: 'custom', sql: 'SELECT UPPER(income_band) AS band FROM crm_attributes', expect: 'forbiddenOutputColumn', why: 'a transformed disallowed output column is still output (the documentation refuses CONCAT(name, email))' },
  { id: 'custom-ok-order-by-disallowed', rule: 'custom', sql: 'SELECT region FROM crm_attributes ORDER BY income_band', expect: null, why: 'a disallowed output column may be a sort key' },
  { id: 'custom-ok-cte', rule: 'custom', sql: "WITH young AS (SELECT region, lifetime_value FROM crm_attributes WHERE age_band = '18-24') SELECT region, AVG(lifetime_value) FROM young GROUP BY region", expect: null, why: 'CTEs are fine under a custom rule' },
  { id: 'custom-ok-filter-disallowed', rule: 'custom', sql: "SELECT region FROM crm_attributes WHERE income_band = 'high'", expect: null, why: 'a disallowed output column may still filter' },
  { id: 'custom-bad-output', rule: 'custom', sql: 'SELECT region, income_band FROM crm_attributes', expect: 'forbiddenOutputColumn', why: 'a disallowed output column in the output' },
  { id: 'custom-bad-star', rule: 'custom', sql: 'SELECT * FROM crm_attributes', expect: 'selectStar', why: 'SELECT * would output the disallowed columns' },
  { id: 'custom-bad-templates-only', rule: 'custom', sql: 'SELECT model_name, AVG(score) FROM model_scores GROUP BY model_name', expect: 'templatesOnly', why: 'only the allowed analysis templates may read model_scores' },
  { id: 'dp-ok-count', rule: 'differentialPrivacy', sql: 'SELECT event_type, COUNT(DISTINCT user_id) FROM dp_events GROUP BY event_type', expect: null, why: 'an aggregate over the privacy unit' },
  // General
  { id: 'general-bad-unknown-table', rule: 'general', sql: 'SELECT channel, COUNT(DISTINCT hashed_email) FROM ad_impression GROUP BY channel', expect: 'unknownTable', why: 'a typo in the table name' },
  { id: 'general-bad-unknown-column', rule: 'general', sql: 'SELECT chanel, COUNT(DISTINCT hashed_email) FROM ad_impressions GROUP BY chanel', expect: 'unknownColumn', why: 'a typo in a column name' },
  { id: 'general-bad-no-rule', rule: 'general', sql: 'SELECT payload FROM raw_staging', expect: 'noAnalysisRule', why: 'a table without an analysis rule' },
];

/** How the local endpoint ended a query: its status, and the rule a FAILED query broke (endpoint.ruleFinding). */
export interface EndpointOutcome {
  readonly status: string;
  readonly finding?: FindingCode;
}

const TERMINAL = new Set(['SUCCESS', 'FAILED', 'CANCELLED', 'TIMED_OUT']);

/**
 * Runs a query on the local endpoint through the real SDK (StartProtectedQuery, GetProtectedQuery
 * until it ends) and reads which rule it broke. Each query the corpus asks for is started once.
 */
export function endpointRunner(endpoint: CleanRoomsEndpoint, client: CleanRoomsClient, membershipId: string): (sql: string) => Promise<EndpointOutcome> {
  return async (sql) => {
    const started = await client.send(new StartProtectedQueryCommand({ type: 'SQL', membershipIdentifier: membershipId, sqlParameters: { queryString: sql } }));
    const id = String(started.protectedQuery?.id);
    const until = Date.now() + 30_000;
    for (;;) {
      const got = await client.send(new GetProtectedQueryCommand({ membershipIdentifier: membershipId, protectedQueryIdentifier: id }));
      const status = String(got.protectedQuery?.status);
      if (TERMINAL.has(status) || Date.now() > until) {
        const finding = endpoint.ruleFinding(id);
        return { status, ...(finding ? { finding } : {}) };
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  };
}

export interface Agreement {
  /** `id | expected | pre-flight got | endpoint got`, one row per query. */
  readonly table: string;
  /** Queries where the pre-flight check or the endpoint did not give what the corpus expects. */
  readonly mismatches: readonly string[];
  readonly total: number;
}

/**
 * Queries the service refuses for a reason no rule names, and the pre-flight check leaves to it:
 * a NOT_READY table (its status is per analysis type and its reasons may concern other members;
 * the tree shows them). Expected: no finding, and FAILED without a rule.
 */
export const SERVICE_DECIDES: readonly Omit<CorpusQuery, 'expect'>[] = [
  { id: 'not-ready-table', rule: 'general', sql: 'SELECT batch_id, SUM(row_count) AS n FROM pending_uploads GROUP BY batch_id', why: 'pending_uploads is NOT_READY: the service decides' },
];

/** Corpus queries on one collaboration: its catalog (from the SchemaStore) and a runner on its membership. */
export interface CorpusGroup {
  readonly corpus: readonly (CorpusQuery | (Omit<CorpusQuery, 'expect'> & { readonly expect: 'service' }))[];
  readonly catalog: Catalog;
  readonly run: (sql: string) => Promise<EndpointOutcome>;
}

/**
 * Every query through the pre-flight check and on the local endpoint. A query agrees when
 * expect null -> no finding and SUCCESS; expect a code -> that code among the findings, and
 * FAILED with that same rule where the endpoint names one.
 */
export async function runAgreement(groups: readonly CorpusGroup[], analyze: AnalyzeStatement): Promise<Agreement> {
  const rows: { id: string; expected: string; preflight: string; endpoint: string; ok: boolean }[] = [];
  for (const { corpus, catalog, run } of groups) {
    // Four at a time: the endpoint runs at most five queries per membership at once.
    for (let i = 0; i < corpus.length; i += 4) {
      const batch = corpus.slice(i, i + 4);
      const outcomes = await Promise.all(batch.map((q) => run(q.sql)));
      for (const [k, q] of batch.entries()) {
        const check = await analyze(q.sql, catalog);
        const codes = [...new Set(check.findings.map((f) => f.code))];
        const out = outcomes[k];
        const preflightOk = check.parsed && (q.expect === null || q.expect === 'service' ? codes.length === 0 : codes.includes(q.expect));
        const endpointOk =
          q.expect === null ? out.status === 'SUCCESS' : q.expect === 'service' ? out.status === 'FAILED' && out.finding === undefined : out.status === 'FAILED' && (out.finding === undefined || out.finding === q.expect);
        rows.push({
          id: q.id,
          expected: q.expect === 'service' ? '(service decides)' : (q.expect ?? '(none)'),
          preflight: check.parsed ? codes.join(', ') || '(none)' : '(did not parse)',
          endpoint: out.status === 'SUCCESS' ? 'SUCCESS' : `${out.status}${out.finding ? ` ${out.finding}` : ''}`,
          ok: preflightOk && endpointOk,
        });
      }
    }
  }
  const w = (key: 'id' | 'expected' | 'preflight', title: string): number => Math.max(title.length, ...rows.map((r) => r[key].length));
  const [iw, ew, pw] = [w('id', 'id'), w('expected', 'expected'), w('preflight', 'pre-flight got')];
  const table = [
    `${'id'.padEnd(iw)} | ${'expected'.padEnd(ew)} | ${'pre-flight got'.padEnd(pw)} | endpoint got`,
    ...rows.map((r) => `${r.id.padEnd(iw)} | ${r.expected.padEnd(ew)} | ${r.preflight.padEnd(pw)} | ${r.endpoint}${r.ok ? '' : '   <-- MISMATCH'}`),
    `${rows.filter((r) => r.ok).length} of ${rows.length} agree`,
  ].join('\n');
  return { table, mismatches: rows.filter((r) => !r.ok).map((r) => r.id), total: rows.length };
}
