import { collaborationArn, deriveId, membershipArn, type WireMembership } from './fixtures';

/**
 * CONTRACT (issue 12): the memberships whose collaborations carry the schema fixtures, and the
 * names of the rule tables. The fake-endpoint helper builds the schemas, rules, templates and
 * budgets behind them; other suites name tables through these constants.
 *
 * These memberships are served by the endpoint but are not in SAMPLE_MEMBERSHIPS (tests add them
 * to the settings they need), so the existing tree counts stay as they are. Every sample
 * membership with configured table associations also gets schemas for those tables.
 */
export const SCHEMA_MEMBERSHIP_IDS = {
  /** "Analysis Rules Collaboration": one table per rule shape below; the rule corpus runs here. */
  rules: deriveId('schema-rules-membership'),
  /** 100 tables x 200 columns (aggregation rules), for the benchmark. */
  bench: deriveId('schema-bench-membership'),
  /** Table, column and template names and descriptions that are hostile strings. */
  hostile: deriveId('schema-hostile-membership'),
} as const;

/** The tables of the rules collaboration, by what each one is for. */
export const RULES_TABLES = {
  /** AGGREGATION: join column hashed_email; dimensions; aggregate columns per function; a subset of scalar functions; AND joins only; an output constraint. */
  aggregation: 'ad_impressions',
  /** AGGREGATION: allowedJoinOperators AND + OR; joinRequired QUERY_RUNNER. */
  aggregationJoin: 'purchases',
  /** LIST: join column hashed_email; list columns. */
  list: 'customer_list',
  /** LIST, a second one to join with. */
  listJoin: 'loyalty_members',
  /** CUSTOM, ANY_QUERY, with disallowedOutputColumns. */
  custom: 'crm_attributes',
  /** CUSTOM that allows only certain analysis templates (allowedAnalyses: template ARNs). */
  templatesOnly: 'model_scores',
  /** CUSTOM, ANY_QUERY, with differential privacy on one column. */
  differentialPrivacy: 'dp_events',
  /** NOT_READY (with reasons). */
  notReady: 'pending_uploads',
  /** No analysis rule: cannot be queried. */
  noRule: 'raw_staging',
  /** AGGREGATION, a name that needs double quotes (a hyphen). */
  quoted: 'web-visits',
  /** AGGREGATION, a reserved word as a name. */
  reserved: 'order',
} as const;

/** The account that created the schema collaborations (and their templates and privacy budget template). */
export const SCHEMA_CREATOR_ACCOUNT_ID = '615243987001';

function schemaMembership(id: string, collaborationName: string, n: number, bucket: string): WireMembership {
  const collabId = deriveId(`schema-collaboration-${collaborationName}`);
  return {
    id,
    arn: membershipArn(id),
    collaborationArn: collaborationArn(collabId, SCHEMA_CREATOR_ACCOUNT_ID),
    collaborationId: collabId,
    collaborationCreatorAccountId: SCHEMA_CREATOR_ACCOUNT_ID,
    collaborationCreatorDisplayName: 'Analysis Rules Lab',
    collaborationName,
    createTime: 1717200000 + n * 86400,
    updateTime: 1717200000 + n * 86400 + 3600,
    status: 'ACTIVE',
    memberAbilities: ['CAN_QUERY', 'CAN_RECEIVE_RESULTS'],
    queryLogStatus: 'ENABLED',
    jobLogStatus: 'DISABLED',
    defaultResultConfiguration: {
      outputConfiguration: { s3: { resultFormat: 'CSV', bucket, keyPrefix: 'results/' } },
    },
    paymentConfiguration: { queryCompute: { isResponsible: true } },
    isMetricsEnabled: false,
  };
}

/**
 * The memberships behind SCHEMA_MEMBERSHIP_IDS: able to query and receive results (CSV by
 * default), paying for queries; their collaborations run the SPARK engine.
 */
export const SCHEMA_MEMBERSHIPS = {
  rules: schemaMembership(SCHEMA_MEMBERSHIP_IDS.rules, 'Analysis Rules Collaboration', 1, 'analysis-rules-results'),
  bench: schemaMembership(SCHEMA_MEMBERSHIP_IDS.bench, 'Wide Schemas Benchmark', 2, 'wide-schemas-results'),
  hostile: schemaMembership(SCHEMA_MEMBERSHIP_IDS.hostile, 'Hostile Schemas Collaboration', 3, 'hostile-schemas-results'),
} satisfies Record<keyof typeof SCHEMA_MEMBERSHIP_IDS, WireMembership>;
