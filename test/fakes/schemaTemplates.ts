/**
 * Collaboration analysis templates and privacy budgets of the collaborations the local endpoint
 * serves (wire shapes: epoch seconds for dates).
 *
 * Rules collaboration: two SQL templates over model_scores (the templatesOnly table allows exactly
 * these two), one over dp_events (its differential privacy validation is INVALID), and one
 * PYSPARK_1_0 template (read only). Their parameters cover every kind of type, with and without
 * defaults. ctvReach: the two templates of ListAnalysisTemplates, as collaboration templates.
 */
import type {
  AnalysisParameter,
  CollaborationAnalysisTemplate,
  CollaborationAnalysisTemplateSummary,
  PrivacyBudgetSummary,
} from '@aws-sdk/client-cleanrooms';
import { HOSTILE_STRINGS, MEMBER_ACCOUNT_ID, SAMPLE, SEED_REGION, analysisTemplatesFor, deriveId, type WireAnalysisTemplateSummary, type WireMembership } from './fixtures';
import { HOSTILE_NAMES, HOSTILE_QUOTED_TABLE, rulesTemplateArn, type Wire } from './schemaCatalog';
import { RULES_TABLES, SCHEMA_CREATOR_ACCOUNT_ID, SCHEMA_MEMBERSHIPS } from './schemaFixtures';

export type WireTemplate = Wire<CollaborationAnalysisTemplate>;
export type WireTemplateSummary = Wire<CollaborationAnalysisTemplateSummary>;

interface TemplateSeed {
  readonly arn: string;
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly creatorAccountId: string;
  readonly format: 'SQL' | 'PYSPARK_1_0';
  /** SQL text with :name placeholders; undefined for PYSPARK (artifacts). */
  readonly sql?: string;
  readonly referencedTables: readonly string[];
  readonly parameters?: readonly AnalysisParameter[];
  readonly validations?: WireTemplate['validations'];
}

function template(m: WireMembership, seed: TemplateSeed, i: number): WireTemplate {
  const t: WireTemplate = {
    id: seed.id,
    arn: seed.arn,
    collaborationId: m.collaborationId,
    collaborationArn: m.collaborationArn,
    creatorAccountId: seed.creatorAccountId,
    name: seed.name,
    createTime: m.createTime + (i + 1) * 3600,
    updateTime: m.createTime + (i + 1) * 3600 + 600,
    schema: { referencedTables: [...seed.referencedTables] },
    format: seed.format,
    source:
      seed.sql !== undefined
        ? { text: seed.sql }
        : {
            artifacts: {
              entryPoint: { location: { bucket: 'analysis-rules-code', key: `pyspark/${seed.name}/entrypoint.py` } },
              additionalArtifacts: [{ location: { bucket: 'analysis-rules-code', key: `pyspark/${seed.name}/features.zip` } }],
              roleArn: `arn:aws:iam::${seed.creatorAccountId}:role/CleanRoomsPySparkArtifacts`,
            },
          },
  };
  if (seed.description !== undefined) t.description = seed.description;
  if (seed.parameters) t.analysisParameters = seed.parameters.map((p) => ({ ...p }));
  if (seed.validations) t.validations = seed.validations;
  return t;
}

const rulesCreatorArn = (i: number): { arn: string; id: string } => ({ arn: rulesTemplateArn(i), id: deriveId(`rules-template-${i}`) });
/** The ARN of the rules collaboration's template `i` when it is one of our own (created in our membership). */
export function rulesOwnTemplateArn(i: number): string {
  return `arn:aws:cleanrooms:${SEED_REGION}:${MEMBER_ACCOUNT_ID}:membership/${SCHEMA_MEMBERSHIPS.rules.id}/analysistemplate/${deriveId(`rules-template-${i}`)}`;
}
/** A template of our own (created in our membership): ListAnalysisTemplates lists it too. */
const rulesOwnArn = (i: number): { arn: string; id: string } => ({ arn: rulesOwnTemplateArn(i), id: deriveId(`rules-template-${i}`) });

/** The rules collaboration's templates: index 0 and 1 are the ones model_scores allows. */
export const RULES_TEMPLATE_NAMES = {
  scoreDistribution: 'score_distribution',
  topSegments: 'top_segments_by_score',
  dpEventCounts: 'dp_event_counts',
  lookalike: 'lookalike_features',
} as const;

const RULES_TEMPLATES: readonly TemplateSeed[] = [
  {
    ...rulesCreatorArn(0),
    name: RULES_TEMPLATE_NAMES.scoreDistribution,
    description: 'People and average score per model, above a minimum score, since a date.',
    creatorAccountId: SCHEMA_CREATOR_ACCOUNT_ID,
    format: 'SQL',
    sql:
      '-- People scored per model since :since_date\n' +
      `SELECT model_name, COUNT(DISTINCT hashed_email) AS people, ROUND(AVG(score), 3) AS avg_score\nFROM ${RULES_TABLES.templatesOnly}\n` +
      'WHERE model_name = :model AND score >= :min_score AND scored_on >= :since_date\nGROUP BY model_name',
    referencedTables: [RULES_TABLES.templatesOnly],
    parameters: [
      { name: 'model', type: 'VARCHAR', defaultValue: 'churn_v2' },
      { name: 'min_score', type: 'DOUBLE' },
      { name: 'since_date', type: 'DATE', defaultValue: '2024-07-01' },
    ],
    validations: [{ type: 'DIFFERENTIAL_PRIVACY', status: 'VALID' }],
  },
  {
    ...rulesCreatorArn(1),
    name: RULES_TEMPLATE_NAMES.topSegments,
    description: 'Average score per region and model, joined with the CRM attributes.',
    creatorAccountId: SCHEMA_CREATOR_ACCOUNT_ID,
    format: 'SQL',
    sql:
      'SELECT c.region, m.model_name, ROUND(AVG(m.score), 3) AS avg_score, COUNT(*) AS people\n' +
      `FROM ${RULES_TABLES.templatesOnly} m JOIN ${RULES_TABLES.custom} c ON m.hashed_email = c.hashed_email\n` +
      'WHERE (:include_all OR m.score >= :threshold) AND c.lifetime_value >= :min_value\nGROUP BY c.region, m.model_name\nORDER BY avg_score DESC\nLIMIT :top_n',
    referencedTables: [RULES_TABLES.templatesOnly, RULES_TABLES.custom],
    parameters: [
      { name: 'include_all', type: 'BOOLEAN', defaultValue: 'false' },
      { name: 'threshold', type: 'DECIMAL', defaultValue: '0.5' },
      { name: 'min_value', type: 'BIGINT' },
      { name: 'top_n', type: 'INTEGER', defaultValue: '10' },
    ],
  },
  {
    ...rulesOwnArn(2),
    name: RULES_TEMPLATE_NAMES.dpEventCounts,
    description: 'Users and event value per event type in a time window.',
    creatorAccountId: MEMBER_ACCOUNT_ID,
    format: 'SQL',
    sql:
      `SELECT :label AS label, event_type, COUNT(DISTINCT user_id) AS users, SUM(value) AS total\nFROM ${RULES_TABLES.differentialPrivacy}\n` +
      'WHERE event_time BETWEEN :from_ts AND :to_ts\nGROUP BY event_type',
    referencedTables: [RULES_TABLES.differentialPrivacy],
    parameters: [
      { name: 'label', type: 'STRING', defaultValue: 'events' },
      { name: 'from_ts', type: 'TIMESTAMP' },
      { name: 'to_ts', type: 'TIMESTAMP', defaultValue: '2024-12-31 23:59:59' },
    ],
    validations: [
      {
        type: 'DIFFERENTIAL_PRIVACY',
        status: 'INVALID',
        reasons: [
          { message: 'The label column is not an aggregate: every output column must be a differentially private aggregation or a GROUP BY column.' },
          { message: 'SUM(value) needs a bound on value; add a WHERE clause that limits it.' },
        ],
      },
    ],
  },
  {
    ...rulesCreatorArn(3),
    name: RULES_TEMPLATE_NAMES.lookalike,
    description: 'Lookalike features from model scores (PySpark).',
    creatorAccountId: SCHEMA_CREATOR_ACCOUNT_ID,
    format: 'PYSPARK_1_0',
    referencedTables: [RULES_TABLES.templatesOnly],
  },
];

function ctvTemplates(m: WireMembership): TemplateSeed[] {
  const own = analysisTemplatesFor(m);
  const sql = [
    "SELECT channel, COUNT(DISTINCT hashed_email) AS reach, SUM(impressions) AS impressions\nFROM campaign_exposures\nWHERE exposure_date >= :start_date\nGROUP BY channel",
    'SELECT campaign_id, COUNT(DISTINCT hashed_email) AS reach, AVG(impressions) AS frequency\nFROM campaign_exposures\nWHERE campaign_id = :campaign\nGROUP BY campaign_id',
  ];
  const params: AnalysisParameter[][] = [[{ name: 'start_date', type: 'DATE', defaultValue: '2024-07-01' }], [{ name: 'campaign', type: 'VARCHAR' }]];
  return own.slice(0, 2).map((t, i) => ({
    arn: t.arn,
    id: t.id,
    name: t.name,
    ...(t.description !== undefined ? { description: t.description } : {}),
    creatorAccountId: MEMBER_ACCOUNT_ID,
    format: 'SQL',
    sql: sql[i],
    referencedTables: ['campaign_exposures'],
    parameters: params[i],
  }));
}

function hostileTemplates(m: WireMembership): TemplateSeed[] {
  return HOSTILE_STRINGS.slice(0, 6).map((h, i) => {
    const id = deriveId(`hostile-template-${i}`);
    const table = HOSTILE_NAMES[i];
    return {
      arn: `arn:aws:cleanrooms:${SEED_REGION}:${SCHEMA_CREATOR_ACCOUNT_ID}:membership/${deriveId(`creator-membership-${m.collaborationId}`)}/analysistemplate/${id}`,
      id,
      name: h,
      description: HOSTILE_STRINGS[(i + 7) % HOSTILE_STRINGS.length],
      creatorAccountId: SCHEMA_CREATOR_ACCOUNT_ID,
      format: 'SQL',
      sql: `-- ${h.replace(/[\r\n\u2028\u2029]/g, ' ')}\nSELECT "select", COUNT(DISTINCT hashed_email) AS people\nFROM "${HOSTILE_QUOTED_TABLE}"\nWHERE "select" <> :${'p'}\nGROUP BY "select"`,
      referencedTables: [HOSTILE_QUOTED_TABLE, table],
      parameters: [{ name: 'p', type: 'VARCHAR', defaultValue: h.slice(0, 200) }],
    };
  });
}

const cache = new WeakMap<WireMembership, readonly WireTemplate[]>();

/** The collaboration templates visible to membership `m`. */
export function collaborationTemplatesFor(m: WireMembership): readonly WireTemplate[] {
  let out = cache.get(m);
  if (!out) {
    const seeds =
      m.id === SCHEMA_MEMBERSHIPS.rules.id
        ? RULES_TEMPLATES
        : m.id === SCHEMA_MEMBERSHIPS.hostile.id
          ? hostileTemplates(m)
          : m.id === SAMPLE.ctvReach.id
            ? ctvTemplates(m)
            : [];
    out = seeds.map((s, i) => template(m, s, i));
    cache.set(m, out);
  }
  return out;
}

/**
 * ListAnalysisTemplates of a schema membership: the collaboration templates it created itself;
 * undefined for other memberships (the fixtures' seeds answer).
 */
export function ownTemplatesFor(m: WireMembership): WireAnalysisTemplateSummary[] | undefined {
  if (!Object.values(SCHEMA_MEMBERSHIPS).some((x) => x.id === m.id)) return undefined;
  return collaborationTemplatesFor(m)
    .filter((t) => t.creatorAccountId === MEMBER_ACCOUNT_ID)
    .map((t) => ({
      arn: t.arn ?? '',
      createTime: t.createTime ?? 0,
      id: t.id ?? '',
      name: t.name ?? '',
      updateTime: t.updateTime ?? 0,
      membershipArn: m.arn,
      membershipId: m.id,
      collaborationArn: m.collaborationArn,
      collaborationId: m.collaborationId,
      ...(t.description !== undefined ? { description: t.description } : {}),
      isSyntheticData: false,
    }));
}

export function templateSummary(t: WireTemplate): WireTemplateSummary {
  const s: WireTemplateSummary = {
    arn: t.arn,
    createTime: t.createTime,
    id: t.id,
    name: t.name,
    updateTime: t.updateTime,
    collaborationArn: t.collaborationArn,
    collaborationId: t.collaborationId,
    creatorAccountId: t.creatorAccountId,
    isSyntheticData: false,
  };
  if (t.description !== undefined) s.description = t.description;
  return s;
}

// ---------------------------------------------------------------------------------------------
// Privacy budgets
// ---------------------------------------------------------------------------------------------

export type WirePrivacyBudgetSummary = Wire<PrivacyBudgetSummary>;

/** The differential privacy budget of the rules membership: epsilon 4, some aggregations used. */
export const RULES_DP_BUDGET = {
  epsilon: 4,
  aggregations: [
    { type: 'COUNT', maxCount: 1800, remainingCount: 1642 },
    { type: 'COUNT_DISTINCT', maxCount: 900, remainingCount: 855 },
    { type: 'SUM', maxCount: 900, remainingCount: 900 },
    { type: 'AVG', maxCount: 600, remainingCount: 512 },
    { type: 'STDDEV', maxCount: 300, remainingCount: 0 },
  ],
} as const;

/** ListPrivacyBudgets for `m` and a type. */
export function privacyBudgetsFor(m: WireMembership, type: string): WirePrivacyBudgetSummary[] {
  if (m.id !== SCHEMA_MEMBERSHIPS.rules.id || type !== 'DIFFERENTIAL_PRIVACY') return [];
  const creatorMembership = deriveId(`creator-membership-${m.collaborationId}`);
  const templateId = deriveId(`privacy-budget-template-${m.collaborationId}`);
  return [
    {
      id: deriveId(`privacy-budget-${m.id}`),
      privacyBudgetTemplateId: templateId,
      privacyBudgetTemplateArn: `arn:aws:cleanrooms:${SEED_REGION}:${SCHEMA_CREATOR_ACCOUNT_ID}:membership/${creatorMembership}/privacybudgettemplate/${templateId}`,
      membershipId: m.id,
      membershipArn: m.arn,
      collaborationId: m.collaborationId,
      collaborationArn: m.collaborationArn,
      type: 'DIFFERENTIAL_PRIVACY',
      createTime: m.createTime + 7200,
      updateTime: m.createTime + 86400 * 3,
      budget: { differentialPrivacy: { epsilon: RULES_DP_BUDGET.epsilon, aggregations: RULES_DP_BUDGET.aggregations.map((a) => ({ ...a })) } },
    },
  ];
}

/** Queries per aggregation type at epsilon 1 and 10 users of noise; the impact grows with both. */
const IMPACT_BASE: ReadonlyArray<readonly [type: string, perUnit: number]> = [
  ['COUNT', 45],
  ['COUNT_DISTINCT', 22.5],
  ['SUM', 22.5],
  ['AVG', 15],
  ['STDDEV', 7.5],
];

/** PreviewPrivacyImpact: how many aggregations of each type a budget of `epsilon` allows at this noise. */
export function privacyImpact(epsilon: number, usersNoisePerQuery: number): { differentialPrivacy: { aggregations: Array<{ type: string; maxCount: number }> } } {
  return {
    differentialPrivacy: {
      aggregations: IMPACT_BASE.map(([type, perUnit]) => ({ type, maxCount: Math.floor((perUnit * epsilon * usersNoisePerQuery) / 10) })),
    },
  };
}
