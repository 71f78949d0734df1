import type {
  AggregateFunctionName,
  AggregationConstraint,
  AnalysisRule,
  AnalysisRuleAggregation,
  AnalysisRuleCustom,
  AnalysisRuleList,
  JoinOperator,
  Schema,
} from '@aws-sdk/client-cleanrooms';
import type { Conformed } from '../aws/conform';

/**
 * What a bound SQL document may say, per table: the collaboration's schemas and their analysis
 * rules, conformed once (src/aws) and flattened here into the questions completion, hover and the
 * pre-flight check ask ("may this column be in the output?"). Free of `vscode`.
 */

/** A table as fetched: BatchGetSchema's record and the BatchGetSchemaAnalysisRule records for its rule types. */
export interface TableSchema {
  readonly schema: Conformed<Schema>;
  readonly rules: readonly Conformed<AnalysisRule>[];
}

/**
 * The rule that governs direct queries on a table. A table with several rule types is governed by
 * the most permissive one (CUSTOM, then AGGREGATION, then LIST), as the local endpoint does: the
 * pre-flight check must never warn about a query the service allows. NONE: no analysis rule (the
 * table cannot be queried); ID_MAPPING_TABLE: checked no further.
 */
export type RuleKind = 'AGGREGATION' | 'LIST' | 'CUSTOM' | 'ID_MAPPING_TABLE' | 'NONE';

export interface CatalogColumn {
  readonly name: string;
  readonly type: string;
  readonly partitionKey: boolean;
  /** AGGREGATION / LIST: may appear only in JOIN ... ON (never in the output). */
  readonly join: boolean;
  /** AGGREGATION: may be selected, grouped and filtered on. */
  readonly dimension: boolean;
  /** LIST: may be in the output. */
  readonly list: boolean;
  /** AGGREGATION: the aggregate functions it may appear in (empty: none). */
  readonly aggregate: readonly AggregateFunctionName[];
  /** CUSTOM: may not be in the output. */
  readonly disallowedOutput: boolean;
  /** CUSTOM with differential privacy: the column that identifies users. */
  readonly differentialPrivacy: boolean;
}

export interface CatalogTable {
  /** As written in the schema (case kept). */
  readonly name: string;
  /** How to write it in SQL: double-quoted when it needs it (see needsQuotes). */
  readonly sqlName: string;
  readonly kind: RuleKind;
  /** The rule types the schema lists (a table may have several). */
  readonly ruleTypes: readonly string[];
  readonly aggregation?: Conformed<AnalysisRuleAggregation>;
  readonly list?: Conformed<AnalysisRuleList>;
  readonly custom?: Conformed<AnalysisRuleCustom>;
  /** READY when every status detail is; NOT_READY with the reasons' messages otherwise; undefined when the service said nothing. */
  readonly status: 'READY' | 'NOT_READY' | undefined;
  readonly notReadyReasons: readonly string[];
  /**
   * False when the schema lists a rule type whose rule BatchGetSchemaAnalysisRule did not return:
   * the table's kind is known but not what the rule allows, so nothing is checked against it.
   */
  readonly ruleLoaded: boolean;
  readonly description?: string;
  readonly creatorAccountId?: string;
  readonly columns: readonly CatalogColumn[];
  /** AGGREGATION: the scalar functions allowed (uppercase). undefined: not an aggregation table. */
  readonly scalarFunctions?: readonly string[];
  /** AGGREGATION / LIST: the operators that may combine join conditions (AND when the rule says none). */
  readonly allowedJoinOperators: readonly JoinOperator[];
  /** AGGREGATION: the query runner must join this table with one of its own. */
  readonly joinRequired: boolean;
  readonly outputConstraints: readonly AggregationConstraint[];
  /**
   * CUSTOM: direct SQL is not allowed, only these analysis templates (ARNs). undefined when any
   * query is allowed (ANY_QUERY) or the table is not CUSTOM.
   */
  readonly templatesOnly?: readonly string[];
  /** Columns by lower-case name. */
  column(name: string): CatalogColumn | undefined;
}

export interface Catalog {
  readonly collaborationId: string;
  readonly tables: readonly CatalogTable[];
  /** A table by the name written in SQL: case-insensitive unless it was quoted (pass `quoted`). */
  table(name: string, quoted?: boolean): CatalogTable | undefined;
  /**
   * Whether ListSchemas listed a table of this name (any case) that BatchGetSchema did not return:
   * it exists, but nothing is known about it, so no query naming it is judged.
   */
  unfetched(name: string): boolean;
}

/** The most tables one query may name (see the pre-flight check). */
export const MAX_TABLES_PER_QUERY = 15;

/**
 * Words that cannot be a bare table or column name in Clean Rooms SQL / Spark SQL: a name equal
 * to one (any case) is written in double quotes. Kept short on purpose: quoting a name that did
 * not need it is harmless; not quoting one that did is a syntax error.
 */
const RESERVED = new Set(
  (
    'all and any array as asc between both by case cast check collate column constraint create cross current_date current_time current_timestamp ' +
    'current_user default desc distinct do else end except exists false fetch for foreign from full grant group having in inner intersect interval into ' +
    'is join lateral leading left like limit natural not null offset on only or order outer over partition primary references right select ' +
    'session_user some table then to trailing true union unique user using when where window with'
  ).split(' '),
);

/** Whether a table or column name must be written "in double quotes". */
export function needsQuotes(name: string): boolean {
  return !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || RESERVED.has(name.toLowerCase());
}

/** The name as written in SQL: double-quoted (with inner quotes doubled) when it needs it. */
export function sqlIdentifier(name: string): string {
  return needsQuotes(name) ? `"${name.replace(/"/g, '""')}"` : name;
}

function kindOf(ruleTypes: readonly string[]): RuleKind {
  for (const k of ['CUSTOM', 'AGGREGATION', 'LIST', 'ID_MAPPING_TABLE'] as const) {
    if (ruleTypes.includes(k)) {
      return k;
    }
  }
  return 'NONE';
}

function lowerSet(names: readonly string[] | undefined): Set<string> {
  return new Set((names ?? []).map((n) => n.toLowerCase()));
}

function tableOf(t: TableSchema): CatalogTable | undefined {
  const s = t.schema;
  if (!s.name) {
    return undefined;
  }
  const ruleTypes = s.analysisRuleTypes ?? [];
  const policyOf = (type: string) => t.rules.find((r) => r.type === type)?.policy?.v1;
  const aggregation = policyOf('AGGREGATION')?.aggregation;
  const list = policyOf('LIST')?.list;
  const custom = policyOf('CUSTOM')?.custom;
  const kind = kindOf(ruleTypes);
  const ruleLoaded = kind === 'AGGREGATION' ? aggregation !== undefined : kind === 'LIST' ? list !== undefined : kind === 'CUSTOM' ? custom !== undefined : true;

  const joinCols = kind === 'AGGREGATION' ? lowerSet(aggregation?.joinColumns) : kind === 'LIST' ? lowerSet(list?.joinColumns) : new Set<string>();
  const dims = kind === 'AGGREGATION' ? lowerSet(aggregation?.dimensionColumns) : new Set<string>();
  const listCols = kind === 'LIST' ? lowerSet(list?.listColumns) : new Set<string>();
  const disallowed = kind === 'CUSTOM' ? lowerSet(custom?.disallowedOutputColumns) : new Set<string>();
  const dp = kind === 'CUSTOM' ? lowerSet(custom?.differentialPrivacy?.columns?.flatMap((c) => (c.name === undefined ? [] : [c.name]))) : new Set<string>();
  const partitions = lowerSet(s.partitionKeys?.flatMap((c) => (c.name === undefined ? [] : [c.name])));
  const aggregates = new Map<string, AggregateFunctionName[]>();
  if (kind === 'AGGREGATION') {
    for (const a of aggregation?.aggregateColumns ?? []) {
      for (const c of a.columnNames ?? []) {
        if (a.function) {
          const key = c.toLowerCase();
          aggregates.set(key, [...(aggregates.get(key) ?? []), a.function]);
        }
      }
    }
  }
  const all = [...(s.columns ?? []), ...(s.partitionKeys ?? [])];
  const seen = new Set<string>();
  const columns: CatalogColumn[] = [];
  for (const c of all) {
    if (!c.name || seen.has(c.name.toLowerCase())) {
      continue;
    }
    const key = c.name.toLowerCase();
    seen.add(key);
    columns.push({
      name: c.name,
      type: c.type ?? '',
      partitionKey: partitions.has(key),
      join: joinCols.has(key),
      dimension: dims.has(key),
      list: listCols.has(key),
      aggregate: aggregates.get(key) ?? [],
      disallowedOutput: disallowed.has(key),
      differentialPrivacy: dp.has(key),
    });
  }
  const byName = new Map(columns.map((c) => [c.name.toLowerCase(), c]));

  const details = s.schemaStatusDetails ?? [];
  const notReady = details.filter((d) => d.status === 'NOT_READY');
  const status = details.length === 0 ? undefined : notReady.length > 0 ? 'NOT_READY' : 'READY';
  const allowedAnalyses = custom?.allowedAnalyses ?? [];
  const templatesOnly = kind === 'CUSTOM' && custom && !allowedAnalyses.includes('ANY_QUERY') ? allowedAnalyses : undefined;
  const operators = kind === 'AGGREGATION' ? aggregation?.allowedJoinOperators : kind === 'LIST' ? list?.allowedJoinOperators : undefined;

  return {
    name: s.name,
    sqlName: sqlIdentifier(s.name),
    kind,
    ruleTypes,
    aggregation,
    list,
    custom,
    status,
    notReadyReasons: notReady.flatMap((d) => (d.reasons ?? []).map((r) => r.message ?? r.code ?? '')).filter((m) => m !== ''),
    ruleLoaded,
    description: s.description,
    creatorAccountId: s.creatorAccountId,
    columns,
    scalarFunctions: kind === 'AGGREGATION' ? (aggregation?.scalarFunctions ?? []).map((f) => f.toUpperCase()) : undefined,
    allowedJoinOperators: operators && operators.length > 0 ? operators : ['AND'],
    joinRequired: kind === 'AGGREGATION' && aggregation?.joinRequired === 'QUERY_RUNNER',
    outputConstraints: kind === 'AGGREGATION' ? (aggregation?.outputConstraints ?? []) : [],
    templatesOnly,
    column: (name) => byName.get(name.toLowerCase()),
  };
}

/**
 * Whether the pre-flight check may judge queries on the table by its rule: not when the service
 * says it is NOT_READY (the service decides), nor when its rule could not be loaded.
 */
export function checkable(table: CatalogTable): boolean {
  return table.status !== 'NOT_READY' && table.ruleLoaded;
}

/**
 * The catalog of a collaboration's tables. Records without a name are skipped. `unfetched`: the
 * names ListSchemas listed whose schemas could not be fetched.
 */
export function catalogFrom(collaborationId: string, tables: readonly TableSchema[], unfetched: readonly string[] = []): Catalog {
  const missing = new Set(unfetched.map((n) => n.toLowerCase()));
  const built = tables.map(tableOf).filter((t): t is CatalogTable => t !== undefined);
  const byLower = new Map<string, CatalogTable>();
  const byExact = new Map<string, CatalogTable>();
  for (const t of built) {
    byExact.set(t.name, t);
    if (!byLower.has(t.name.toLowerCase())) {
      byLower.set(t.name.toLowerCase(), t);
    }
  }
  return {
    collaborationId,
    tables: built,
    table: (name, quoted = false) => (quoted ? (byExact.get(name) ?? byLower.get(name.toLowerCase())) : byLower.get(name.toLowerCase())),
    unfetched: (name) => missing.has(name.toLowerCase()),
  };
}
