/**
 * The query files `npm run demo` puts in its workspace (queries/*.sql): each bound to a sample
 * membership and written to pass its tables' analysis rules, so Run shows real results from the
 * local endpoint. test/integration/demo.test.ts runs every statement to keep them that way.
 */
import { SAMPLE } from './fixtures';

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
];
