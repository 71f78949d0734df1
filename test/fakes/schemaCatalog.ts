/**
 * The tables of every collaboration the local endpoint serves, as ONE spec per table: columns,
 * seeded rows and the SDK-shaped analysis rule policies. The wire records (Schema, SchemaSummary,
 * AnalysisRule, configured table associations) and the query engine's tables (./queryEngine
 * TableSeed) are both derived from it, so what ListSchemas says and what a query may do agree.
 *
 * - Sample memberships: one table per configured table association (same name), from the
 *   engine's seeds (TABLE_SEEDS / GENERIC_SEED) and the association's analysisRuleTypes
 *   (CUSTOM = ANY_QUERY).
 * - SCHEMA_MEMBERSHIP_IDS.rules: RULES_TABLES, one per rule shape, with rows joinable on hashed_email.
 * - SCHEMA_MEMBERSHIP_IDS.bench: 100 tables x 200 columns, aggregation rules, no rows.
 * - SCHEMA_MEMBERSHIP_IDS.hostile: names and descriptions made of HOSTILE_STRINGS.
 */
import type {
  AggregateColumn,
  AggregateFunctionName,
  AnalysisRuleAggregation,
  AnalysisRuleCustom,
  AnalysisRuleList,
  AnalysisRuleType,
  ScalarFunctions,
  SchemaStatusReason,
} from '@aws-sdk/client-cleanrooms';
import {
  HOSTILE_STRINGS,
  MEMBER_ACCOUNT_ID,
  SEED_REGION,
  associationsFor,
  collaborationFor,
  deriveId,
  type WireCollaboration,
  type WireConfiguredTableAssociationSummary,
  type WireMembership,
} from './fixtures';
import { ruleFor, seedFor, seedSql, type QueryTable, type TableSeed } from './queryEngine';
import { RULES_TABLES, SCHEMA_CREATOR_ACCOUNT_ID, SCHEMA_MEMBERSHIPS } from './schemaFixtures';

/** The SDK shape with epoch-second numbers for its Date fields (how restJson1 sends them). */
export type Wire<T> = { [K in keyof T]: NonNullable<T[K]> extends Date ? number : T[K] };

/** One table: what the schema says, what the rules allow, and the rows a query reads. */
export interface TableSpec {
  readonly name: string;
  readonly description?: string;
  /** Name and DuckDB type, in order (partition keys included; see partitionKeys). */
  readonly columns: ReadonlyArray<readonly [name: string, sqlType: string]>;
  /** Columns served as the schema's partitionKeys rather than its columns. */
  readonly partitionKeys?: readonly string[];
  /** Rows as SQL literals, in column order. */
  readonly rows: ReadonlyArray<readonly string[]>;
  /** The policies, one per rule type the schema lists; none: the table has no analysis rule. */
  readonly rules: {
    readonly aggregation?: AnalysisRuleAggregation;
    readonly list?: AnalysisRuleList;
    readonly custom?: AnalysisRuleCustom;
  };
  /** NOT_READY with these reasons (undefined: READY, or NOT_READY for a missing rule). */
  readonly notReady?: readonly SchemaStatusReason[];
  readonly creatorAccountId: string;
}

/** The scalar functions an aggregation rule allows by default here (every one the sample queries use). */
export const DEFAULT_SCALAR_FUNCTIONS: ScalarFunctions[] = ['ABS', 'CAST', 'CEILING', 'COALESCE', 'FLOOR', 'LOWER', 'ROUND', 'TRIM', 'TRUNC', 'UPPER'];

export function ruleTypesOf(spec: TableSpec): AnalysisRuleType[] {
  const out: AnalysisRuleType[] = [];
  if (spec.rules.aggregation) out.push('AGGREGATION');
  if (spec.rules.list) out.push('LIST');
  if (spec.rules.custom) out.push('CUSTOM');
  return out;
}

// ---------------------------------------------------------------------------------------------
// Spec <-> engine seed
// ---------------------------------------------------------------------------------------------

function aggregateColumnsOf(byColumn: Readonly<Record<string, readonly string[]>>): AggregateColumn[] {
  const byFunction = new Map<AggregateFunctionName, string[]>();
  for (const [column, fns] of Object.entries(byColumn)) {
    for (const f of fns as AggregateFunctionName[]) byFunction.set(f, [...(byFunction.get(f) ?? []), column]);
  }
  return [...byFunction].map(([fn, columnNames]) => ({ columnNames, function: fn }));
}

/** A sample association's table: the engine's seed, under the association's rule types. */
function specFromSeed(name: string, seed: TableSeed, ruleTypes: readonly string[]): TableSpec {
  const rules: { aggregation?: AnalysisRuleAggregation; list?: AnalysisRuleList; custom?: AnalysisRuleCustom } = {};
  if (ruleTypes.includes('AGGREGATION')) {
    rules.aggregation = {
      aggregateColumns: aggregateColumnsOf(seed.aggregateColumns),
      joinColumns: [...seed.joinColumns],
      allowedJoinOperators: ['AND'],
      dimensionColumns: [...seed.dimensionColumns],
      scalarFunctions: DEFAULT_SCALAR_FUNCTIONS,
      outputConstraints: seed.outputConstraint ? [{ columnName: seed.outputConstraint.columnName, minimum: seed.outputConstraint.minimum, type: 'COUNT_DISTINCT' }] : [],
    };
  }
  if (ruleTypes.includes('LIST')) rules.list = { joinColumns: [...seed.joinColumns], allowedJoinOperators: ['AND'], listColumns: [...seed.listColumns] };
  if (ruleTypes.includes('CUSTOM')) rules.custom = { allowedAnalyses: ['ANY_QUERY'], allowedAnalysisProviders: [MEMBER_ACCOUNT_ID] };
  return { name, columns: seed.columns, rows: seed.rows, rules, creatorAccountId: MEMBER_ACCOUNT_ID };
}

/** The engine's view of a spec: the column roles its rule check reads. */
export function seedOf(spec: TableSpec): TableSeed {
  const agg = spec.rules.aggregation;
  const list = spec.rules.list;
  const aggregateColumns: Record<string, AggregateFunctionName[]> = {};
  for (const a of agg?.aggregateColumns ?? []) {
    for (const c of a.columnNames ?? []) if (a.function) aggregateColumns[c] = [...(aggregateColumns[c] ?? []), a.function];
  }
  const constraint = agg?.outputConstraints?.[0];
  const custom = spec.rules.custom;
  const kind = ruleFor(ruleTypesOf(spec));
  const operators = kind === 'AGGREGATION' ? agg?.allowedJoinOperators : kind === 'LIST' ? list?.allowedJoinOperators : undefined;
  const notReady = spec.notReady?.map((r) => r.message).join(' ');
  return {
    ...(kind === 'AGGREGATION' ? { scalarFunctions: (agg?.scalarFunctions ?? []).map((f) => f.toUpperCase()), joinRequired: agg?.joinRequired === 'QUERY_RUNNER' } : {}),
    allowedJoinOperators: operators && operators.length > 0 ? operators : ['AND'],
    ...(kind === 'CUSTOM' && custom ? { disallowedOutputColumns: custom.disallowedOutputColumns ?? [] } : {}),
    ...(kind === 'CUSTOM' && custom && !(custom.allowedAnalyses ?? []).includes('ANY_QUERY') ? { allowedTemplates: custom.allowedAnalyses ?? [] } : {}),
    ...(notReady !== undefined ? { notReady } : {}),
    columns: spec.columns,
    rows: spec.rows,
    joinColumns: [...new Set([...(agg?.joinColumns ?? []), ...(list?.joinColumns ?? [])])],
    dimensionColumns: agg?.dimensionColumns ?? [],
    aggregateColumns,
    listColumns: list?.listColumns ?? [],
    ...(constraint?.columnName !== undefined && constraint.minimum !== undefined ? { outputConstraint: { columnName: constraint.columnName, minimum: constraint.minimum } } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// The rules collaboration
// ---------------------------------------------------------------------------------------------

const { string: s, hashedEmail, day, rows } = seedSql;
const ts = (base: string, plusHours: number): string => `TIMESTAMP ${s(new Date(Date.parse(`${base}T00:00:00Z`) + plusHours * 3600000).toISOString().slice(0, 19).replace('T', ' '))}`;

/** The collaboration templates a templatesOnly table allows (./schemaTemplates builds them with these ARNs). */
export function rulesTemplateArn(i: number): string {
  const m = SCHEMA_MEMBERSHIPS.rules;
  const creatorMembership = deriveId(`creator-membership-${m.collaborationId}`);
  return `arn:aws:cleanrooms:${SEED_REGION}:${SCHEMA_CREATOR_ACCOUNT_ID}:membership/${creatorMembership}/analysistemplate/${deriveId(`rules-template-${i}`)}`;
}

const creator = SCHEMA_CREATOR_ACCOUNT_ID;
const RULES_SPECS: readonly TableSpec[] = [
  {
    name: RULES_TABLES.aggregation,
    description: 'Ad impressions by campaign and channel (aggregation rule: join on hashed_email, at least 2 people per output row).',
    columns: [
      ['hashed_email', 'VARCHAR'],
      ['campaign_id', 'VARCHAR'],
      ['channel', 'VARCHAR'],
      ['impressions', 'INTEGER'],
      ['spend', 'DECIMAL(12,2)'],
      ['device_id', 'BIGINT'],
      ['impression_date', 'DATE'],
    ],
    partitionKeys: ['impression_date'],
    rows: rows(30, (i) => [hashedEmail(i % 20), s(`cmp-${(i % 3) + 1}`), s(['ctv', 'display', 'social'][i % 3]), String(1 + ((i * 7) % 11)), `${(i * 37) % 400}.${String((i * 13) % 100).padStart(2, '0')}`, String(1000 + (i % 17)), day('2024-07-01', i % 7)]),
    rules: {
      aggregation: {
        aggregateColumns: [
          { columnNames: ['hashed_email'], function: 'COUNT_DISTINCT' },
          { columnNames: ['impressions', 'spend'], function: 'SUM' },
          { columnNames: ['impressions', 'spend'], function: 'AVG' },
          { columnNames: ['device_id'], function: 'COUNT' },
          { columnNames: ['device_id'], function: 'COUNT_DISTINCT' },
        ],
        joinColumns: ['hashed_email'],
        allowedJoinOperators: ['AND'],
        dimensionColumns: ['campaign_id', 'channel', 'impression_date'],
        scalarFunctions: ['ABS', 'CAST', 'COALESCE', 'FLOOR', 'LOWER', 'ROUND', 'TRUNC', 'UPPER'],
        outputConstraints: [{ columnName: 'hashed_email', minimum: 2, type: 'COUNT_DISTINCT' }],
      },
    },
    creatorAccountId: creator,
  },
  {
    name: RULES_TABLES.aggregationJoin,
    description: 'Purchases (aggregation rule: must be joined with one of your tables; AND or OR between join conditions).',
    columns: [
      ['hashed_email', 'VARCHAR'],
      ['hashed_phone', 'VARCHAR'],
      ['order_id', 'BIGINT'],
      ['category', 'VARCHAR'],
      ['amount', 'DECIMAL(12,2)'],
      ['purchase_date', 'DATE'],
    ],
    rows: rows(24, (i) => [hashedEmail(i % 16), s(`phone-${i % 16}`), String(50000 + i), s(['grocery', 'apparel', 'home'][i % 3]), `${10 + ((i * 29) % 300)}.${String((i * 7) % 100).padStart(2, '0')}`, day('2024-07-02', i % 9)]),
    rules: {
      aggregation: {
        aggregateColumns: [
          { columnNames: ['hashed_email', 'order_id'], function: 'COUNT_DISTINCT' },
          { columnNames: ['order_id'], function: 'COUNT' },
          { columnNames: ['amount'], function: 'SUM' },
          { columnNames: ['amount'], function: 'SUM_DISTINCT' },
          { columnNames: ['amount'], function: 'AVG' },
        ],
        joinColumns: ['hashed_email', 'hashed_phone'],
        joinRequired: 'QUERY_RUNNER',
        allowedJoinOperators: ['AND', 'OR'],
        dimensionColumns: ['category', 'purchase_date'],
        scalarFunctions: DEFAULT_SCALAR_FUNCTIONS,
        outputConstraints: [{ columnName: 'hashed_email', minimum: 2, type: 'COUNT_DISTINCT' }],
      },
    },
    creatorAccountId: creator,
  },
  {
    name: RULES_TABLES.list,
    description: 'Customer list (list rule: overlap on hashed_email, list city, state and tier).',
    columns: [
      ['hashed_email', 'VARCHAR'],
      ['city', 'VARCHAR'],
      ['state', 'VARCHAR'],
      ['loyalty_tier', 'VARCHAR'],
      ['signup_date', 'DATE'],
    ],
    rows: rows(20, (i) => [hashedEmail(i), s(['Seattle', 'Austin', 'Boston', 'Denver'][i % 4]), s(['WA', 'TX', 'MA', 'CO'][i % 4]), s(['gold', 'silver', 'bronze'][i % 3]), day('2021-03-01', i * 17)]),
    rules: { list: { joinColumns: ['hashed_email'], allowedJoinOperators: ['AND'], listColumns: ['city', 'state', 'loyalty_tier', 'signup_date'] } },
    creatorAccountId: MEMBER_ACCOUNT_ID,
  },
  {
    name: RULES_TABLES.listJoin,
    description: 'Loyalty members (list rule: overlap on hashed_email).',
    columns: [
      ['hashed_email', 'VARCHAR'],
      ['member_tier', 'VARCHAR'],
      ['points_balance', 'BIGINT'],
      ['enrolled_on', 'DATE'],
    ],
    rows: rows(16, (i) => [hashedEmail(i * 2), s(['platinum', 'gold', 'basic'][i % 3]), String(1000 * (i + 1)), day('2022-01-10', i * 23)]),
    rules: { list: { joinColumns: ['hashed_email'], allowedJoinOperators: ['AND'], listColumns: ['member_tier', 'points_balance', 'enrolled_on'] } },
    creatorAccountId: creator,
  },
  {
    name: RULES_TABLES.custom,
    description: 'CRM attributes (custom rule, any query; hashed_email and income_band may not be in the output).',
    columns: [
      ['hashed_email', 'VARCHAR'],
      ['age_band', 'VARCHAR'],
      ['income_band', 'VARCHAR'],
      ['region', 'VARCHAR'],
      ['lifetime_value', 'DOUBLE'],
    ],
    rows: rows(20, (i) => [hashedEmail(i), s(['18-24', '25-34', '35-44', '45-54'][i % 4]), s(['low', 'mid', 'high'][i % 3]), s(['north', 'south', 'east', 'west'][i % 4]), String(100 + i * 12.5)]),
    rules: { custom: { allowedAnalyses: ['ANY_QUERY'], allowedAnalysisProviders: [MEMBER_ACCOUNT_ID], disallowedOutputColumns: ['hashed_email', 'income_band'] } },
    creatorAccountId: creator,
  },
  {
    name: RULES_TABLES.templatesOnly,
    description: 'Model scores (custom rule: only the two approved analysis templates may read it).',
    columns: [
      ['hashed_email', 'VARCHAR'],
      ['model_name', 'VARCHAR'],
      ['score', 'DOUBLE'],
      ['scored_on', 'DATE'],
    ],
    rows: rows(24, (i) => [hashedEmail(i % 20), s(i % 2 === 0 ? 'churn_v2' : 'propensity_v1'), String(((i * 37) % 100) / 100), day('2024-07-01', i % 10)]),
    rules: { custom: { allowedAnalyses: [rulesTemplateArn(0), rulesTemplateArn(1)], allowedAnalysisProviders: [] } },
    creatorAccountId: creator,
  },
  {
    name: RULES_TABLES.differentialPrivacy,
    description: 'App events (custom rule, any query, differential privacy on user_id).',
    columns: [
      ['user_id', 'VARCHAR'],
      ['event_type', 'VARCHAR'],
      ['value', 'BIGINT'],
      ['event_time', 'TIMESTAMP'],
    ],
    rows: rows(30, (i) => [hashedEmail(i % 18), s(['view', 'click', 'purchase'][i % 3]), String((i * 13) % 50), ts('2024-07-01', i * 5)]),
    rules: { custom: { allowedAnalyses: ['ANY_QUERY'], allowedAnalysisProviders: [MEMBER_ACCOUNT_ID], differentialPrivacy: { columns: [{ name: 'user_id' }] } } },
    creatorAccountId: creator,
  },
  {
    name: RULES_TABLES.notReady,
    description: 'Uploads still being configured (not ready: the collaboration analysis rule and the result receivers are missing).',
    columns: [
      ['hashed_email', 'VARCHAR'],
      ['batch_id', 'VARCHAR'],
      ['row_count', 'BIGINT'],
    ],
    rows: [],
    rules: {
      aggregation: {
        aggregateColumns: [{ columnNames: ['row_count'], function: 'SUM' }],
        joinColumns: ['hashed_email'],
        dimensionColumns: ['batch_id'],
        scalarFunctions: [],
        outputConstraints: [],
      },
    },
    notReady: [
      { code: 'COLLABORATION_ANALYSIS_RULE_NOT_CONFIGURED', message: 'The collaboration analysis rule for pending_uploads is not configured.' },
      { code: 'RESULT_RECEIVERS_NOT_CONFIGURED', message: 'No result receivers are configured for pending_uploads.' },
    ],
    creatorAccountId: creator,
  },
  {
    name: RULES_TABLES.noRule,
    description: 'Raw staging data (no analysis rule: cannot be queried).',
    columns: [
      ['hashed_email', 'VARCHAR'],
      ['payload', 'VARCHAR'],
    ],
    rows: rows(4, (i) => [hashedEmail(i), s(`raw ${i}`)]),
    rules: {},
    creatorAccountId: MEMBER_ACCOUNT_ID,
  },
  {
    name: RULES_TABLES.quoted,
    description: 'Web visits (aggregation rule; the name has a hyphen, so it is written "web-visits").',
    columns: [
      ['hashed_email', 'VARCHAR'],
      ['session_id', 'VARCHAR'],
      ['page', 'VARCHAR'],
      ['duration_seconds', 'INTEGER'],
      ['visit_date', 'DATE'],
    ],
    partitionKeys: ['visit_date'],
    rows: rows(24, (i) => [hashedEmail(i % 12), s(`s-${i}`), s(['/home', '/cart', '/deals'][i % 3]), String(10 + ((i * 17) % 300)), day('2024-07-01', i % 5)]),
    rules: {
      aggregation: {
        aggregateColumns: [
          { columnNames: ['hashed_email', 'session_id'], function: 'COUNT_DISTINCT' },
          { columnNames: ['duration_seconds'], function: 'SUM' },
          { columnNames: ['duration_seconds'], function: 'AVG' },
        ],
        joinColumns: ['hashed_email'],
        allowedJoinOperators: ['AND'],
        dimensionColumns: ['page', 'visit_date'],
        scalarFunctions: DEFAULT_SCALAR_FUNCTIONS,
        outputConstraints: [{ columnName: 'hashed_email', minimum: 2, type: 'COUNT_DISTINCT' }],
      },
    },
    creatorAccountId: MEMBER_ACCOUNT_ID,
  },
  {
    name: RULES_TABLES.reserved,
    description: 'Orders (aggregation rule; the name is a reserved word, so it is written "order").',
    columns: [
      ['hashed_email', 'VARCHAR'],
      ['order_id', 'BIGINT'],
      ['status', 'VARCHAR'],
      ['total', 'DECIMAL(12,2)'],
      ['order_date', 'DATE'],
    ],
    rows: rows(20, (i) => [hashedEmail(i % 14), String(70000 + i), s(['shipped', 'returned'][i % 2]), `${20 + ((i * 31) % 200)}.${String((i * 3) % 100).padStart(2, '0')}`, day('2024-07-03', i % 6)]),
    rules: {
      aggregation: {
        aggregateColumns: [
          { columnNames: ['hashed_email', 'order_id'], function: 'COUNT_DISTINCT' },
          { columnNames: ['total'], function: 'SUM' },
          { columnNames: ['total'], function: 'AVG' },
        ],
        joinColumns: ['hashed_email'],
        allowedJoinOperators: ['AND'],
        dimensionColumns: ['status', 'order_date'],
        scalarFunctions: DEFAULT_SCALAR_FUNCTIONS,
        outputConstraints: [{ columnName: 'hashed_email', minimum: 2, type: 'COUNT_DISTINCT' }],
      },
    },
    creatorAccountId: creator,
  },
];

// ---------------------------------------------------------------------------------------------
// The benchmark and hostile collaborations
// ---------------------------------------------------------------------------------------------

export const BENCH_TABLE_COUNT = 100;
export const BENCH_COLUMN_COUNT = 200;
const BENCH_TYPES = ['VARCHAR', 'BIGINT', 'DOUBLE', 'DATE', 'DECIMAL(18,2)', 'INTEGER'];
const ALL_SCALAR_FUNCTIONS: ScalarFunctions[] = ['ABS', 'CAST', 'CEILING', 'COALESCE', 'CONVERT', 'CURRENT_DATE', 'DATEADD', 'EXTRACT', 'FLOOR', 'GETDATE', 'LN', 'LOG', 'LOWER', 'ROUND', 'RTRIM', 'SQRT', 'SUBSTRING', 'TO_CHAR', 'TO_DATE', 'TO_NUMBER', 'TO_TIMESTAMP', 'TRIM', 'TRUNC', 'UPPER'];

function benchSpec(t: number): TableSpec {
  const col = (c: number): string => `col_${String(c).padStart(3, '0')}`;
  const columns: Array<[string, string]> = [['hashed_email', 'VARCHAR']];
  for (let c = 1; c < BENCH_COLUMN_COUNT; c++) columns.push([col(c), c <= 40 ? 'VARCHAR' : BENCH_TYPES[1 + (c % 5)]]);
  const measures = columns.slice(41).map(([n]) => n);
  return {
    name: `bench_table_${String(t).padStart(3, '0')}`,
    description: `Benchmark table ${t} (${BENCH_COLUMN_COUNT} columns, aggregation rule).`,
    columns,
    rows: [],
    rules: {
      aggregation: {
        aggregateColumns: [
          { columnNames: ['hashed_email'], function: 'COUNT_DISTINCT' },
          { columnNames: measures, function: 'SUM' },
          { columnNames: measures, function: 'AVG' },
          { columnNames: measures.filter((_, i) => i % 2 === 0), function: 'COUNT' },
        ],
        joinColumns: ['hashed_email'],
        allowedJoinOperators: ['AND', 'OR'],
        dimensionColumns: columns.slice(1, 41).map(([n]) => n),
        scalarFunctions: ALL_SCALAR_FUNCTIONS,
        outputConstraints: [{ columnName: 'hashed_email', minimum: 2, type: 'COUNT_DISTINCT' }],
      },
    },
    creatorAccountId: t % 2 === 0 ? MEMBER_ACCOUNT_ID : creator,
  };
}

/** The hostile strings that can be a schema name (non-blank, at most 128 characters). */
export const HOSTILE_NAMES: readonly string[] = HOSTILE_STRINGS.filter((x) => x.trim() !== '' && x.length <= 128);

/** A plain table of the hostile collaboration whose name needs double quotes (digits first, spaces, a hyphen). */
export const HOSTILE_QUOTED_TABLE = '2024 campaign-results';

function hostileSpecs(): TableSpec[] {
  const n = HOSTILE_NAMES.length;
  const specs: TableSpec[] = HOSTILE_NAMES.map((name, i) => {
    const dim = HOSTILE_NAMES[(i + 1) % n];
    const measure = HOSTILE_NAMES[(i + 2) % n];
    return {
      name,
      description: HOSTILE_STRINGS[(i + 3) % HOSTILE_STRINGS.length],
      columns: [
        ['hashed_email', 'VARCHAR'],
        [dim, 'VARCHAR'],
        [measure, 'BIGINT'],
      ],
      rows: [],
      rules: {
        aggregation: {
          aggregateColumns: [
            { columnNames: ['hashed_email'], function: 'COUNT_DISTINCT' },
            { columnNames: [measure], function: 'SUM' },
          ],
          joinColumns: ['hashed_email'],
          dimensionColumns: [dim],
          scalarFunctions: DEFAULT_SCALAR_FUNCTIONS,
          outputConstraints: [],
        },
      },
      creatorAccountId: creator,
    };
  });
  specs.push({
    name: HOSTILE_QUOTED_TABLE,
    description: HOSTILE_STRINGS[9], // 10000 characters
    columns: [
      ['hashed_email', 'VARCHAR'],
      ['select', 'VARCHAR'],
      ['2nd column', 'BIGINT'],
    ],
    rows: rows(6, (i) => [hashedEmail(i), s(['a', 'b'][i % 2]), String(i)]),
    rules: {
      aggregation: {
        aggregateColumns: [
          { columnNames: ['hashed_email'], function: 'COUNT_DISTINCT' },
          { columnNames: ['2nd column'], function: 'SUM' },
        ],
        joinColumns: ['hashed_email'],
        dimensionColumns: ['select'],
        scalarFunctions: DEFAULT_SCALAR_FUNCTIONS,
        outputConstraints: [],
      },
    },
    creatorAccountId: MEMBER_ACCOUNT_ID,
  });
  return specs;
}

const SCHEMA_SPECS: ReadonlyMap<string, readonly TableSpec[]> = new Map([
  [SCHEMA_MEMBERSHIPS.rules.id, RULES_SPECS],
  [SCHEMA_MEMBERSHIPS.bench.id, Array.from({ length: BENCH_TABLE_COUNT }, (_, t) => benchSpec(t))],
  [SCHEMA_MEMBERSHIPS.hostile.id, hostileSpecs()],
]);

/** The memberships of the schema collaborations, by id (served by the endpoint, not in SAMPLE_MEMBERSHIPS). */
export const SCHEMA_MEMBERSHIP_BY_ID: ReadonlyMap<string, WireMembership> = new Map(Object.values(SCHEMA_MEMBERSHIPS).map((m) => [m.id, m]));

const COLLABORATION_DESCRIPTIONS: Readonly<Record<string, string>> = {
  [SCHEMA_MEMBERSHIPS.rules.collaborationId]: 'One table per analysis rule shape: aggregation, list, custom, templates only, differential privacy.',
  [SCHEMA_MEMBERSHIPS.bench.collaborationId]: '100 tables of 200 columns each.',
  [SCHEMA_MEMBERSHIPS.hostile.collaborationId]: HOSTILE_STRINGS[0],
};

/** GetCollaboration: the fixtures' record, plus SPARK and a description for the schema collaborations. */
export function collaborationOf(m: WireMembership): WireCollaboration {
  const c = collaborationFor(m);
  const description = COLLABORATION_DESCRIPTIONS[m.collaborationId];
  return description === undefined ? c : { ...c, description, analyticsEngine: 'SPARK' };
}

// ---------------------------------------------------------------------------------------------
// Per membership
// ---------------------------------------------------------------------------------------------

const specCache = new WeakMap<WireMembership, readonly TableSpec[]>();

/** The tables of the collaboration of membership `m`. */
export function tableSpecsFor(m: WireMembership): readonly TableSpec[] {
  const own = SCHEMA_SPECS.get(m.id);
  if (own) return own;
  let specs = specCache.get(m);
  if (!specs) {
    specs = associationsFor(m).map((a) => specFromSeed(a.name, seedFor(a.name), a.analysisRuleTypes ?? []));
    specCache.set(m, specs);
  }
  return specs;
}

/** ListConfiguredTableAssociations: one association per table, named like it. */
export function associationsOf(m: WireMembership): WireConfiguredTableAssociationSummary[] {
  if (!SCHEMA_SPECS.has(m.id)) return associationsFor(m);
  return tableSpecsFor(m).map((spec, i) => {
    const id = deriveId(`cta-${m.id}-${i}`);
    const a: WireConfiguredTableAssociationSummary = {
      configuredTableId: deriveId(`ct-${m.id}-${i}`),
      membershipId: m.id,
      membershipArn: m.arn,
      name: spec.name,
      createTime: m.createTime + i * 60,
      updateTime: m.createTime + i * 60 + 30,
      id,
      arn: `arn:aws:cleanrooms:${SEED_REGION}:${MEMBER_ACCOUNT_ID}:configuredtableassociation/${m.id}/${id}`,
    };
    const types = ruleTypesOf(spec);
    if (types.length > 0) a.analysisRuleTypes = types;
    return a;
  });
}

/** The tables a query of membership `m` may name, for the engine. */
export function queryTablesFor(m: WireMembership): QueryTable[] {
  return tableSpecsFor(m).map((spec) => ({ name: spec.name, seed: seedOf(spec), rule: ruleFor(ruleTypesOf(spec)) }));
}

export function findSpec(m: WireMembership, name: string): TableSpec | undefined {
  return tableSpecsFor(m).find((t) => t.name === name);
}
