/**
 * The query files `npm run demo` puts in its workspace (queries/*.sql): each bound to a sample
 * membership and written to pass its tables' analysis rules, so Run shows real results from the
 * local endpoint. test/integration/demo.test.ts runs every statement to keep them that way.
 */
import { SAMPLE } from './fixtures';
import { SCHEMA_MEMBERSHIP_IDS } from './schemaFixtures';

export interface SampleQueryFile {
  readonly name: string;
  readonly membershipId: string;
  /** The statements, in file order (the file joins them with blank lines). */
  readonly statements: readonly string[];
  readonly text: string;
}

function file(name: string, membershipId: string, intro: string[], statements: Array<[comment: string, sql: string]>): SampleQueryFile {
  const text = [
    `-- @membership ${membershipId}`,
    ...intro.map((l) => `-- ${l}`),
    '',
    ...statements.flatMap(([comment, sql]) => [`-- ${comment}`, `${sql};`, '']),
  ].join('\n');
  return { name, membershipId, statements: statements.map(([, sql]) => sql), text };
}

export const SAMPLE_QUERY_FILES: readonly SampleQueryFile[] = [
  file(
    'ctv-reach.sql',
    SAMPLE.ctvReach.id,
    [
      'Connected TV Reach & Frequency: results as CSV in s3://ctv-reach-frequency (the local S3).',
      'Click Run above a statement, or put the cursor in it and press Ctrl+Enter (Cmd+Enter on macOS).',
    ],
    [
      [
        'Aggregation rule: reach (COUNT DISTINCT of the join column) and spend per campaign and channel. Campaign cmp-4 reaches too few people and is suppressed.',
        'SELECT campaign_id, channel, COUNT(DISTINCT hashed_email) AS reach, SUM(impressions) AS impressions, SUM(spend) AS spend\nFROM campaign_exposures\nGROUP BY campaign_id, channel\nORDER BY campaign_id, channel',
      ],
      [
        'List rule: loyalty members, with 64-bit point balances, NULL and empty notes, and a note that looks like a spreadsheet formula.',
        'SELECT tier, points, member_since, note\nFROM loyalty_transactions',
      ],
      [
        'Breaks the aggregation rule (a join column in the output): the query fails with the service\'s message.',
        'SELECT hashed_email\nFROM campaign_exposures',
      ],
    ],
  ),
  file(
    'clinical-trials.sql',
    SAMPLE.clinicalTrials.id,
    ['Clinical Trials Data Exchange: results as Parquet in several part files in s3://helix-trial-results.'],
    [['Custom rule (any query): every store visit.', 'SELECT *\nFROM store_visits']],
  ),
  file(
    'analysis-rules.sql',
    SCHEMA_MEMBERSHIP_IDS.rules,
    [
      'Analysis Rules Collaboration: a table for each kind of analysis rule (expand Tables under it in the Clean Rooms view).',
      'Type to complete tables, and columns after an alias and a dot; hover a name for what its rule allows.',
      'Warnings show as you type, before anything runs. Right-click > Insert Example Query writes a query the rules allow.',
    ],
    [
      [
        'Aggregation rule, two tables joined on their join column: people reached and seconds on the site per channel.',
        'SELECT a.channel, COUNT(DISTINCT a.hashed_email) AS people, SUM(w.duration_seconds) AS seconds\nFROM ad_impressions a\nJOIN "web-visits" w ON a.hashed_email = w.hashed_email\nGROUP BY a.channel',
      ],
      ['List rule: where customers on both lists live, and their tier.', 'SELECT c.city, l.member_tier\nFROM customer_list c\nJOIN loyalty_members l ON c.hashed_email = l.hashed_email'],
    ],
  ),
];
