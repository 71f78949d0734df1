/**
 * Queries on the rules collaboration (SCHEMA_MEMBERSHIP_IDS.rules, RULES_TABLES), written from the
 * shapes the AWS Clean Rooms user guide gives for valid and invalid queries per analysis rule
 * type, each with the pre-flight finding it must raise (null: none; the query runs). The local
 * endpoint runs every one (test/unit/ruleCorpus.test.ts) and the pre-flight check must agree.
 *
 * Precision first: every invalid query breaks exactly one rule, and only queries the rules
 * decide without doubt are here.
 */
import type { FindingCode } from '../../src/sql/findings';

export interface CorpusQuery {
  id: string;
  rule: 'aggregation' | 'list' | 'custom' | 'differentialPrivacy' | 'general';
  sql: string;
  expect: FindingCode | null;
  why: string;
}

/** `JOIN crm_attributes tN ON ...` for N = 2..count: `count` references of one table. */
function selfJoins(count: number): string {
  const joins: string[] = [];
  for (let i = 2; i <= count; i++) joins.push(`JOIN crm_attributes t${i} ON t1.hashed_email = t${i}.hashed_email`);
  return `SELECT t1.region FROM crm_attributes t1 ${joins.join(' ')}`;
}

export const RULE_CORPUS: readonly CorpusQuery[] = [
  // ---- Aggregation: valid --------------------------------------------------------------------
  { id: 'agg-dimension-count-distinct', rule: 'aggregation', sql: 'SELECT channel, COUNT(DISTINCT hashed_email) AS people FROM ad_impressions GROUP BY channel', expect: null, why: 'A dimension and COUNT DISTINCT of the join column (allowed for it).' },
  { id: 'agg-alias', rule: 'aggregation', sql: 'SELECT a.campaign_id, SUM(a.impressions) AS imps FROM ad_impressions AS a GROUP BY a.campaign_id', expect: null, why: 'Table alias and qualified columns.' },
  { id: 'agg-having-order-by', rule: 'aggregation', sql: 'SELECT channel, SUM(spend) AS total_spend FROM ad_impressions GROUP BY channel HAVING SUM(spend) > 10 ORDER BY total_spend DESC', expect: null, why: 'HAVING on an allowed aggregate, ORDER BY an output alias.' },
  { id: 'agg-round-avg', rule: 'aggregation', sql: 'SELECT channel, ROUND(AVG(spend), 2) AS avg_spend FROM ad_impressions GROUP BY channel', expect: null, why: 'ROUND is in the scalar functions; AVG is allowed on spend.' },
  { id: 'agg-cast', rule: 'aggregation', sql: 'SELECT impression_date, CAST(SUM(impressions) AS DOUBLE) AS imps FROM ad_impressions GROUP BY impression_date', expect: null, why: 'CAST is in the scalar functions; impression_date (a partition key) is a dimension.' },
  { id: 'agg-coalesce', rule: 'aggregation', sql: "SELECT COALESCE(channel, 'unknown') AS channel_name, COUNT(DISTINCT device_id) AS devices FROM ad_impressions GROUP BY channel", expect: null, why: 'COALESCE is in the scalar functions.' },
  { id: 'agg-upper-or-filter', rule: 'aggregation', sql: "SELECT UPPER(channel) AS ch, SUM(impressions) AS imps FROM ad_impressions WHERE channel = 'ctv' OR channel = 'social' GROUP BY channel", expect: null, why: 'OR in WHERE between dimension filters is not a join operator; UPPER is allowed.' },
  { id: 'agg-date-literal', rule: 'aggregation', sql: "SELECT campaign_id, COUNT(DISTINCT hashed_email) AS people FROM ad_impressions WHERE impression_date >= DATE '2024-07-03' GROUP BY campaign_id", expect: null, why: 'A typed DATE literal is not a function call.' },
  { id: 'agg-no-group-by', rule: 'aggregation', sql: 'SELECT COUNT(DISTINCT device_id) AS devices, COUNT(device_id) AS rows_seen FROM ad_impressions', expect: null, why: 'Aggregates only, no dimension.' },
  { id: 'agg-floor-trunc', rule: 'aggregation', sql: 'SELECT FLOOR(SUM(spend)) AS spend_floor, TRUNC(AVG(impressions)) AS avg_imps FROM ad_impressions', expect: null, why: 'FLOOR and TRUNC are in the scalar functions.' },
  { id: 'agg-join', rule: 'aggregation', sql: 'SELECT a.channel, COUNT(DISTINCT a.hashed_email) AS people, SUM(w.duration_seconds) AS seconds FROM ad_impressions a JOIN "web-visits" w ON a.hashed_email = w.hashed_email GROUP BY a.channel', expect: null, why: 'Join on the join columns of both tables, an aggregate from each.' },
  { id: 'agg-quoted-name', rule: 'aggregation', sql: 'SELECT page, AVG(duration_seconds) AS avg_seconds FROM "web-visits" GROUP BY page', expect: null, why: 'A table name with a hyphen, in double quotes.' },
  { id: 'agg-reserved-name', rule: 'aggregation', sql: 'SELECT status, SUM(total) AS total FROM "order" GROUP BY status ORDER BY status', expect: null, why: 'The reserved word "order" as a quoted table name.' },
  { id: 'agg-join-required-joined', rule: 'aggregation', sql: 'SELECT p.category, COUNT(DISTINCT p.hashed_email) AS buyers, SUM(p.amount) AS revenue FROM purchases p JOIN "web-visits" w ON p.hashed_email = w.hashed_email GROUP BY p.category', expect: null, why: 'purchases requires a join, and is joined with one of our tables.' },
  { id: 'agg-sum-distinct', rule: 'aggregation', sql: 'SELECT p.category, SUM(DISTINCT p.amount) AS distinct_amounts FROM purchases p JOIN "order" o ON p.hashed_email = o.hashed_email GROUP BY p.category', expect: null, why: 'SUM DISTINCT is allowed on amount.' },

  // ---- Aggregation: invalid ------------------------------------------------------------------
  { id: 'agg-select-star', rule: 'aggregation', sql: 'SELECT *, SUM(impressions) AS imps FROM ad_impressions', expect: 'selectStar', why: 'SELECT * is never allowed under the aggregation rule.' },
  { id: 'agg-join-column-in-output', rule: 'aggregation', sql: 'SELECT hashed_email, COUNT(device_id) AS n FROM ad_impressions', expect: 'forbiddenOutputColumn', why: 'hashed_email is a join column: never in the output.' },
  { id: 'agg-non-dimension-in-output', rule: 'aggregation', sql: 'SELECT impressions, COUNT(DISTINCT hashed_email) AS people FROM ad_impressions', expect: 'forbiddenOutputColumn', why: 'impressions is an aggregate column, not a dimension: only inside SUM/AVG.' },
  { id: 'agg-join-column-in-where', rule: 'aggregation', sql: "SELECT channel, SUM(spend) AS spend FROM ad_impressions WHERE hashed_email = 'x' GROUP BY channel", expect: 'joinColumnOutsideJoin', why: 'A join column may appear only in JOIN ... ON.' },
  { id: 'agg-non-dimension-in-where', rule: 'aggregation', sql: 'SELECT channel, SUM(spend) AS spend FROM ad_impressions WHERE spend > 100 GROUP BY channel', expect: 'columnNotAllowedHere', why: 'WHERE may filter on dimension columns only.' },
  { id: 'agg-non-dimension-in-group-by', rule: 'aggregation', sql: 'SELECT SUM(spend) AS spend FROM ad_impressions GROUP BY device_id', expect: 'columnNotAllowedHere', why: 'GROUP BY may use dimension columns only.' },
  { id: 'agg-sum-of-count-only-column', rule: 'aggregation', sql: 'SELECT channel, SUM(device_id) AS s FROM ad_impressions GROUP BY channel', expect: 'aggregateNotAllowed', why: 'device_id allows COUNT and COUNT DISTINCT only.' },
  { id: 'agg-count-of-count-distinct-only', rule: 'aggregation', sql: 'SELECT channel, COUNT(hashed_email) AS n FROM ad_impressions GROUP BY channel', expect: 'aggregateNotAllowed', why: 'hashed_email allows COUNT DISTINCT only.' },
  { id: 'agg-no-aggregate', rule: 'aggregation', sql: 'SELECT channel FROM ad_impressions GROUP BY channel', expect: 'missingAggregate', why: 'An aggregation query must aggregate.' },
  { id: 'agg-scalar-not-allowed', rule: 'aggregation', sql: 'SELECT channel, SQRT(SUM(impressions)) AS root FROM ad_impressions GROUP BY channel', expect: 'functionNotAllowed', why: 'SQRT is not in the scalar functions of ad_impressions.' },
  { id: 'agg-scalar-not-allowed-in-where', rule: 'aggregation', sql: 'SELECT channel, SUM(spend) AS spend FROM ad_impressions WHERE LENGTH(channel) > 3 GROUP BY channel', expect: 'functionNotAllowed', why: 'LENGTH is no scalar function the rule can allow.' },
  { id: 'agg-or-between-join-conditions', rule: 'aggregation', sql: 'SELECT p.category, COUNT(DISTINCT p.hashed_email) AS buyers FROM purchases p JOIN ad_impressions a ON p.hashed_email = a.hashed_email OR p.hashed_phone = a.hashed_email GROUP BY p.category', expect: 'joinOperatorNotAllowed', why: 'ad_impressions allows only AND between join conditions.' },
  { id: 'agg-join-required', rule: 'aggregation', sql: 'SELECT category, SUM(amount) AS revenue FROM purchases GROUP BY category', expect: 'joinRequired', why: 'purchases must be joined with one of our tables (joinRequired QUERY_RUNNER).' },
  { id: 'agg-unknown-column', rule: 'aggregation', sql: 'SELECT channel, SUM(clicks) AS clicks FROM ad_impressions GROUP BY channel', expect: 'unknownColumn', why: 'ad_impressions has no column clicks.' },
  { id: 'agg-quoted-join-column-in-output', rule: 'aggregation', sql: 'SELECT hashed_email, COUNT(DISTINCT session_id) AS sessions FROM "web-visits"', expect: 'forbiddenOutputColumn', why: 'The join column of a quoted-name table in the output.' },
  { id: 'agg-mixed-with-list', rule: 'general', sql: 'SELECT c.city, COUNT(DISTINCT a.hashed_email) AS people FROM ad_impressions a JOIN customer_list c ON a.hashed_email = c.hashed_email GROUP BY c.city', expect: 'mixedRuleTypes', why: 'An aggregation table and a list table in one query.' },

  // ---- List: valid ---------------------------------------------------------------------------
  { id: 'list-columns', rule: 'list', sql: 'SELECT city, state FROM customer_list', expect: null, why: 'List columns only.' },
  { id: 'list-distinct-limit', rule: 'list', sql: 'SELECT DISTINCT loyalty_tier FROM customer_list LIMIT 10', expect: null, why: 'SELECT DISTINCT and LIMIT.' },
  { id: 'list-join', rule: 'list', sql: 'SELECT c.city, l.member_tier FROM customer_list c JOIN loyalty_members l ON c.hashed_email = l.hashed_email', expect: null, why: 'Overlap of two list tables on their join column.' },
  { id: 'list-or-filter', rule: 'list', sql: "SELECT city FROM customer_list WHERE state = 'WA' OR state = 'TX'", expect: null, why: 'OR in WHERE on list columns.' },
  { id: 'list-order-by', rule: 'list', sql: 'SELECT member_tier, points_balance FROM loyalty_members ORDER BY points_balance DESC', expect: null, why: 'ORDER BY a list column.' },

  // ---- List: invalid -------------------------------------------------------------------------
  { id: 'list-select-star', rule: 'list', sql: 'SELECT * FROM customer_list', expect: 'selectStar', why: 'SELECT * would output the join column.' },
  { id: 'list-join-column-in-output', rule: 'list', sql: 'SELECT hashed_email, city FROM customer_list', expect: 'forbiddenOutputColumn', why: 'hashed_email is a join column: never in the output.' },
  { id: 'list-function-in-select', rule: 'list', sql: 'SELECT UPPER(city) AS city FROM customer_list', expect: 'functionNotAllowed', why: 'No functions under the list rule.' },
  { id: 'list-aggregate', rule: 'list', sql: 'SELECT COUNT(city) AS n FROM customer_list', expect: 'functionNotAllowed', why: 'No aggregate functions under the list rule.' },
  { id: 'list-join-column-in-where', rule: 'list', sql: "SELECT city FROM customer_list WHERE hashed_email = 'x'", expect: 'joinColumnOutsideJoin', why: 'A join column may appear only in JOIN ... ON.' },
  { id: 'list-function-in-where', rule: 'list', sql: "SELECT city FROM customer_list WHERE LOWER(state) = 'wa'", expect: 'functionNotAllowed', why: 'No functions under the list rule, in WHERE either.' },

  // ---- Custom --------------------------------------------------------------------------------
  { id: 'custom-any-query', rule: 'custom', sql: 'SELECT region, AVG(lifetime_value) AS ltv FROM crm_attributes GROUP BY region', expect: null, why: 'ANY_QUERY: any aggregate over allowed columns.' },
  { id: 'custom-any-function', rule: 'custom', sql: 'SELECT age_band, region, MAX(lifetime_value) AS top_value FROM crm_attributes GROUP BY age_band, region', expect: null, why: 'Custom rules do not limit functions.' },
  { id: 'custom-case', rule: 'custom', sql: "SELECT CASE WHEN lifetime_value > 200 THEN 'high' ELSE 'low' END AS value_tier, age_band FROM crm_attributes", expect: null, why: 'Row-level output of allowed columns.' },
  { id: 'custom-disallowed-output', rule: 'custom', sql: 'SELECT region, income_band FROM crm_attributes', expect: 'forbiddenOutputColumn', why: 'income_band is a disallowed output column.' },
  { id: 'custom-select-star', rule: 'custom', sql: 'SELECT * FROM crm_attributes', expect: 'selectStar', why: 'SELECT * would output the disallowed columns.' },
  { id: 'custom-templates-only', rule: 'custom', sql: 'SELECT model_name, AVG(score) AS avg_score FROM model_scores GROUP BY model_name', expect: 'templatesOnly', why: 'model_scores allows only its two analysis templates, no direct SQL.' },

  // ---- Differential privacy ------------------------------------------------------------------
  { id: 'dp-count-users', rule: 'differentialPrivacy', sql: 'SELECT event_type, COUNT(DISTINCT user_id) AS users FROM dp_events GROUP BY event_type', expect: null, why: 'COUNT DISTINCT of the user column per group.' },
  { id: 'dp-sum-window', rule: 'differentialPrivacy', sql: "SELECT event_type, SUM(value) AS total FROM dp_events WHERE event_time >= TIMESTAMP '2024-07-02 00:00:00' GROUP BY event_type", expect: null, why: 'SUM with a time filter.' },
  { id: 'dp-avg', rule: 'differentialPrivacy', sql: 'SELECT AVG(value) AS avg_value FROM dp_events', expect: null, why: 'A single AVG.' },

  // ---- General -------------------------------------------------------------------------------
  { id: 'unknown-table', rule: 'general', sql: 'SELECT region FROM clicks', expect: 'unknownTable', why: 'The collaboration has no table clicks.' },
  { id: 'no-analysis-rule', rule: 'general', sql: 'SELECT payload FROM raw_staging', expect: 'noAnalysisRule', why: 'raw_staging has no analysis rule.' },
  { id: 'fifteen-tables', rule: 'general', sql: selfJoins(15), expect: null, why: '15 table references of one table.' },
  {
    id: 'sixteen-references-one-table',
    rule: 'general',
    sql: selfJoins(16),
    expect: null,
    why: 'The quota is "configured tables per protected query: 15" (AWS Clean Rooms quotas): 16 references of one configured table are one table. Whether the service counts references instead is not documented, so the pre-flight check must not warn (precision first). 16 distinct tables: BENCH_CORPUS.',
  },
];

/** `count` distinct tables of the bench collaboration (bench_table_000...), joined on their join column. */
function benchJoins(count: number): string {
  const name = (i: number): string => `bench_table_${String(i).padStart(3, '0')}`;
  const joins: string[] = [];
  for (let i = 1; i < count; i++) joins.push(`JOIN ${name(i)} b${i} ON b0.hashed_email = b${i}.hashed_email`);
  return `SELECT b0.col_001, COUNT(DISTINCT b0.hashed_email) AS people FROM ${name(0)} b0 ${joins.join(' ')} GROUP BY b0.col_001`;
}

/** Queries on the bench collaboration (SCHEMA_MEMBERSHIP_IDS.bench, 100 aggregation tables): the table quota needs more tables than the rules collaboration has. */
export const BENCH_CORPUS: readonly CorpusQuery[] = [
  { id: 'bench-fifteen-tables', rule: 'general', sql: benchJoins(15), expect: null, why: '15 configured tables: the most one query may use.' },
  { id: 'bench-sixteen-tables', rule: 'general', sql: benchJoins(16), expect: 'tooManyTables', why: '16 configured tables (Configured tables per protected query: 15).' },
];
