/**
 * Runs a protected query for the local endpoint, for real: DuckDB executes the SQL against small
 * seeded tables named like the membership's configured table associations, after the analysis
 * rules of those tables are checked (a faithful subset of the aggregation and list rules), and the
 * result is written as CSV or Parquet by DuckDB's COPY.
 *
 * The rules checked (AWS Clean Rooms user guide, "Aggregation analysis rule", "List analysis rule"):
 * - A table whose association has no analysis rule cannot be queried.
 * - Aggregation: every output column is an allowed aggregate function (COUNT, COUNT DISTINCT, SUM,
 *   SUM DISTINCT, AVG) over that table's aggregate columns for that function, or a dimension
 *   column; join columns appear only in JOIN ... ON; WHERE, GROUP BY use dimension columns; the
 *   output constraint (COUNT DISTINCT of a column >= minimum) suppresses the rows under it.
 * - List: output columns are list columns (no functions), join columns only in JOIN ... ON.
 * - Custom (ANY_QUERY here): any query.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { MAX_TABLES_PER_QUERY } from '../../src/sql/catalog';
import type { FindingCode } from '../../src/sql/findings';

type AggregateFunction = 'COUNT' | 'COUNT_DISTINCT' | 'SUM' | 'SUM_DISTINCT' | 'AVG';

/** One seeded table: its columns, rows, and the columns' roles under each analysis rule. */
export interface TableSeed {
  readonly columns: ReadonlyArray<readonly [name: string, sqlType: string]>;
  /** Rows as SQL literals, in column order. */
  readonly rows: ReadonlyArray<readonly string[]>;
  readonly joinColumns: readonly string[];
  readonly dimensionColumns: readonly string[];
  readonly aggregateColumns: Readonly<Record<string, readonly AggregateFunction[]>>;
  readonly listColumns: readonly string[];
  readonly outputConstraint?: { readonly columnName: string; readonly minimum: number };
  /** AGGREGATION: the scalar functions allowed (uppercase); undefined: not checked. */
  readonly scalarFunctions?: readonly string[];
  /** AGGREGATION / LIST: the operators between join conditions (default AND). */
  readonly allowedJoinOperators?: readonly string[];
  /** AGGREGATION: the table must be joined (joinRequired QUERY_RUNNER). */
  readonly joinRequired?: boolean;
  /** CUSTOM: columns that may not be in the output. */
  readonly disallowedOutputColumns?: readonly string[];
  /** CUSTOM: only these analysis templates may read the table (undefined: any query). */
  readonly allowedTemplates?: readonly string[];
  /** Not ready to be queried: why. */
  readonly notReady?: string;
}

export type RuleType = 'AGGREGATION' | 'LIST' | 'CUSTOM';

/** A table a query may name: the association's name, its seed, and the rule that governs it. */
export interface QueryTable {
  readonly name: string;
  readonly seed: TableSeed;
  /** undefined: the association has no analysis rule. */
  readonly rule: RuleType | undefined;
}

export interface QueryOutput {
  readonly format: 'CSV' | 'PARQUET';
  /** One file, or parts of about `rowsPerPart` rows. */
  readonly singleFileOutput: boolean;
}

export type QueryOutcome =
  | { ok: true; files: Array<{ name: string; bytes: Buffer }>; rowCount: number }
  /** `finding`: the pre-flight finding an analysis rule violation corresponds to, when there is one (tests compare). */
  | { ok: false; code: string; message: string; finding?: FindingCode };

// ---------------------------------------------------------------------------------------------
// Seeds
// ---------------------------------------------------------------------------------------------

const q = (s: string): string => `'${s.replace(/'/g, "''")}'`;
const hashed = (n: number): string => q(createHash('sha256').update(`customer-${n}@example.com`).digest('hex'));
const day = (base: string, plus: number): string => {
  const d = new Date(`${base}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + plus);
  return `DATE ${q(d.toISOString().slice(0, 10))}`;
};
const rows = (n: number, f: (i: number) => string[]): string[][] => Array.from({ length: n }, (_, i) => f(i));

/** The literal builders the seeds use, for other seeded tables (./schemaCatalog). */
export const seedSql = { string: q, hashedEmail: hashed, day, rows } as const;

/** 2^53 + 1: not exactly representable as a JavaScript number. */
const BIG = 9007199254740993n;

export const TABLE_SEEDS: Readonly<Record<string, TableSeed>> = {
  // Ad exposures (an "impressions" table): campaign cmp-4 reaches only 2 people, under the constraint of 3.
  campaign_exposures: {
    columns: [
      ['hashed_email', 'VARCHAR'],
      ['campaign_id', 'VARCHAR'],
      ['channel', 'VARCHAR'],
      ['exposure_date', 'DATE'],
      ['impressions', 'INTEGER'],
      ['spend', 'DECIMAL(12,2)'],
      ['device_id', 'BIGINT'],
    ],
    rows: rows(40, (i) => [
      hashed(i < 38 ? i % 24 : 100 + i),
      q(i < 38 ? `cmp-${(i % 3) + 1}` : 'cmp-4'),
      i === 5 ? 'NULL' : i === 6 ? q('') : q(['ctv', 'display', 'social'][i % 3]),
      day('2024-07-01', i % 10),
      String(1 + ((i * 7) % 13)),
      `${(i * 37) % 500}.${String((i * 13) % 100).padStart(2, '0')}`,
      String(BIG + BigInt(i) * 1000003n),
    ]),
    joinColumns: ['hashed_email'],
    dimensionColumns: ['campaign_id', 'channel', 'exposure_date'],
    aggregateColumns: { hashed_email: ['COUNT_DISTINCT'], impressions: ['SUM', 'AVG'], spend: ['SUM', 'AVG'], device_id: ['COUNT', 'COUNT_DISTINCT'] },
    listColumns: ['campaign_id', 'channel', 'exposure_date'],
    outputConstraint: { columnName: 'hashed_email', minimum: 3 },
  },
  // A "customers" table: loyalty members with tiers, 64-bit point balances, NULL and empty notes.
  loyalty_transactions: {
    columns: [
      ['hashed_email', 'VARCHAR'],
      ['tier', 'VARCHAR'],
      ['points', 'BIGINT'],
      ['member_since', 'DATE'],
      ['note', 'VARCHAR'],
    ],
    rows: rows(30, (i) => [
      hashed(i),
      q(['gold', 'silver', 'bronze'][i % 3]),
      String(i === 0 ? 9223372036854775807n : BIG * BigInt(i + 1)),
      day('2019-01-15', i * 41),
      i % 5 === 0 ? 'NULL' : i % 5 === 1 ? q('') : q(i % 5 === 2 ? '=HYPERLINK("http://x")' : `note ${i}, "quoted"`),
    ]),
    joinColumns: ['hashed_email'],
    dimensionColumns: ['tier'],
    aggregateColumns: { hashed_email: ['COUNT_DISTINCT'], points: ['SUM', 'AVG'] },
    listColumns: ['tier', 'points', 'member_since', 'note'],
  },
  // A "purchases" table.
  web_conversions: {
    columns: [
      ['hashed_email', 'VARCHAR'],
      ['order_id', 'BIGINT'],
      ['order_date', 'DATE'],
      ['category', 'VARCHAR'],
      ['revenue', 'DECIMAL(18,2)'],
    ],
    rows: rows(36, (i) => [
      hashed(i % 20),
      String(BIG * 100n + BigInt(i)),
      day('2024-07-03', i % 14),
      i === 7 ? 'NULL' : q(['grocery', 'electronics', 'apparel', 'home'][i % 4]),
      `${1234567890123 + i * 1111}.${String((i * 29) % 100).padStart(2, '0')}`,
    ]),
    joinColumns: ['hashed_email'],
    dimensionColumns: ['order_date', 'category'],
    aggregateColumns: { hashed_email: ['COUNT_DISTINCT'], order_id: ['COUNT', 'COUNT_DISTINCT'], revenue: ['SUM', 'SUM_DISTINCT', 'AVG'] },
    listColumns: ['order_date', 'category'],
    outputConstraint: { columnName: 'hashed_email', minimum: 2 },
  },
};

/** Tables with no seed of their own get a small generic one. */
const GENERIC_SEED: TableSeed = {
  columns: [
    ['hashed_email', 'VARCHAR'],
    ['segment', 'VARCHAR'],
    ['score', 'DOUBLE'],
    ['updated_on', 'DATE'],
  ],
  rows: rows(12, (i) => [hashed(i), q(['a', 'b', 'c'][i % 3]), String(i / 4), day('2024-01-01', i)]),
  joinColumns: ['hashed_email'],
  dimensionColumns: ['segment', 'updated_on'],
  aggregateColumns: { hashed_email: ['COUNT_DISTINCT'], score: ['SUM', 'AVG'] },
  listColumns: ['segment', 'updated_on'],
  outputConstraint: { columnName: 'hashed_email', minimum: 2 },
};

/** The seed for an association name: its stem (a trailing `_007` dropped) names it. */
export function seedFor(associationName: string): TableSeed {
  return TABLE_SEEDS[associationName.replace(/_\d{3}$/, '')] ?? GENERIC_SEED;
}

/** The rule that governs a table, from the association's analysisRuleTypes. CUSTOM wins (ANY_QUERY). */
export function ruleFor(analysisRuleTypes: readonly string[] | undefined): RuleType | undefined {
  const types = analysisRuleTypes ?? [];
  if (types.includes('CUSTOM')) return 'CUSTOM';
  if (types.includes('AGGREGATION')) return 'AGGREGATION';
  if (types.includes('LIST')) return 'LIST';
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The rule check, over DuckDB's own parse of the query (json_serialize_sql)
// ---------------------------------------------------------------------------------------------

interface Node {
  readonly [key: string]: unknown;
}

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
const nodes = (v: unknown): Node[] => (Array.isArray(v) ? v.filter(isNode) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** A broken analysis rule: the service's words, and which pre-flight finding it is (src/sql/findings.ts). */
class RuleViolation extends Error {
  constructor(
    readonly finding: FindingCode | undefined,
    message: string,
  ) {
    super(message);
  }
}

interface Bound {
  readonly table: QueryTable;
  readonly alias: string;
}

const FROM_SHAPE = 'Only tables and joins of tables are supported in FROM for tables with an aggregation or list analysis rule.';

/** The base tables of a FROM clause, and the JOIN conditions. */
function walkFrom(from: unknown, tables: ReadonlyMap<string, QueryTable>, bound: Bound[], joins: Node[]): void {
  if (!isNode(from)) return;
  if (from.type === 'BASE_TABLE') {
    const name = str(from.table_name);
    const table = tables.get(name.toLowerCase());
    // Table existence is checked before; a name that is no table here is a CTE.
    if (!table) throw new RuleViolation(undefined, FROM_SHAPE);
    bound.push({ table, alias: (str(from.alias) || name).toLowerCase() });
  } else if (from.type === 'JOIN') {
    walkFrom(from.left, tables, bound, joins);
    walkFrom(from.right, tables, bound, joins);
    if (isNode(from.condition)) joins.push(from.condition);
  } else {
    throw new RuleViolation(undefined, FROM_SHAPE);
  }
}

/** Every column reference under an expression. */
/**
 * Functions whose first argument is a keyword (a date part, a type) that DuckDB's parser reads as
 * a column: DATEADD(day, 1, d), CONVERT(VARCHAR, x). Clean Rooms reads it as the keyword.
 */
const KEYWORD_FIRST_ARGUMENT = new Set(['dateadd', 'datediff', 'datepart', 'date_part', 'date_add', 'date_diff', 'date_trunc', 'convert', 'timestampadd', 'timestampdiff']);

function keywordArgument(e: Node, x: unknown, i: number): boolean {
  return i === 0 && e.class === 'FUNCTION' && KEYWORD_FIRST_ARGUMENT.has(str(e.function_name).toLowerCase()) && isNode(x) && x.class === 'COLUMN_REF' && Array.isArray(x.column_names) && x.column_names.length === 1;
}

function columnRefs(e: unknown, out: Node[] = []): Node[] {
  if (Array.isArray(e)) {
    for (const x of e) columnRefs(x, out);
  } else if (isNode(e)) {
    if (e.class === 'COLUMN_REF') out.push(e);
    else
      for (const [k, v] of Object.entries(e)) {
        if (k === 'children' && Array.isArray(v)) v.forEach((x, i) => keywordArgument(e, x, i) || columnRefs(x, out));
        else columnRefs(v, out);
      }
  }
  return out;
}

/** The tables a parsed statement references (BASE_TABLE nodes), CTE names left out. */
function treeTableNames(parsed: Node): string[] {
  const tables = new Set<string>();
  const ctes = new Set<string>();
  const walk = (e: unknown): void => {
    if (Array.isArray(e)) {
      e.forEach(walk);
      return;
    }
    if (!isNode(e)) return;
    if (e.type === 'BASE_TABLE' && str(e.table_name)) tables.add(str(e.table_name));
    if (isNode(e.cte_map)) for (const entry of nodes(e.cte_map.map)) ctes.add(str(entry.key).toLowerCase());
    Object.values(e).forEach(walk);
  };
  walk(parsed);
  return [...tables].filter((t) => !ctes.has(t.toLowerCase()));
}

/** How many table references (FROM and JOIN, subqueries included) a parsed statement has. */
/**
 * The distinct tables a statement names. The quota is "configured tables per protected query", so
 * a table joined with itself counts once.
 */
function tablesNamed(e: unknown, names = new Set<string>()): Set<string> {
  if (Array.isArray(e)) {
    for (const x of e) tablesNamed(x, names);
  } else if (isNode(e)) {
    if (e.type === 'BASE_TABLE') names.add(str(e.table_name).toLowerCase());
    for (const v of Object.values(e)) tablesNamed(v, names);
  }
  return names;
}

function resolve(ref: Node, bound: readonly Bound[]): { b: Bound; column: string } {
  const names = Array.isArray(ref.column_names) ? ref.column_names.map(str) : [];
  const column = (names[names.length - 1] ?? '').toLowerCase();
  const qualifier = names.length > 1 ? names[names.length - 2].toLowerCase() : undefined;
  const candidates = bound.filter((b) => (qualifier === undefined || b.alias === qualifier || b.table.name.toLowerCase() === qualifier) && b.table.seed.columns.some(([c]) => c.toLowerCase() === column));
  if (candidates.length === 0) throw new RuleViolation('unknownColumn', `Column ${names.join('.')} does not exist.`);
  if (candidates.length > 1) throw new RuleViolation(undefined, `Column reference ${names.join('.')} is ambiguous.`);
  return { b: candidates[0], column };
}

/** The aggregate functions the aggregation rule knows (AggregateFunctionName), by DuckDB's name. */
const AGGREGATES: Readonly<Record<string, true>> = { count: true, sum: true, avg: true };
/** Other aggregate functions: never allowed under an aggregation rule. */
const OTHER_AGGREGATES = new Set(['count_star', 'min', 'max', 'stddev', 'stddev_samp', 'stddev_pop', 'variance', 'var_samp', 'var_pop', 'median', 'mode', 'approx_count_distinct', 'string_agg', 'listagg', 'array_agg', 'list', 'first', 'last', 'any_value', 'bool_and', 'bool_or', 'product', 'quantile', 'percentile_cont', 'percentile_disc']);
/** DuckDB's names for functions Clean Rooms spells differently. */
const SCALAR_ALIASES: Readonly<Record<string, string>> = { date_part: 'EXTRACT', substr: 'SUBSTRING', ceil: 'CEILING', today: 'CURRENT_DATE' };

/** The scalar function an expression node calls, or undefined (a column, an operator, a literal, CASE). */
function scalarFunctionOf(e: Node): string | undefined {
  if (e.class === 'FUNCTION' && e.is_operator !== true) {
    const name = str(e.function_name).toLowerCase();
    if (AGGREGATES[name] || OTHER_AGGREGATES.has(name)) return undefined;
    return SCALAR_ALIASES[name] ?? name.toUpperCase();
  }
  // A typed literal (DATE '2024-07-01') is a CAST of a constant: not a function call.
  if (e.class === 'CAST') return isNode(e.child) && e.child.class === 'CONSTANT' ? undefined : e.try_cast === true ? 'TRY_CAST' : 'CAST';
  if (e.type === 'OPERATOR_COALESCE') return 'COALESCE';
  return undefined;
}

/** Every scalar function call under an expression (aggregates' arguments included). */
function scalarCalls(e: unknown, out: string[] = []): string[] {
  if (Array.isArray(e)) {
    for (const x of e) scalarCalls(x, out);
  } else if (isNode(e)) {
    const f = scalarFunctionOf(e);
    if (f) out.push(f);
    for (const v of Object.values(e)) scalarCalls(v, out);
  }
  return out;
}

const isAggregateCall = (e: Node): boolean => e.class === 'FUNCTION' && e.is_operator !== true && (AGGREGATES[str(e.function_name).toLowerCase()] === true || OTHER_AGGREGATES.has(str(e.function_name).toLowerCase()));

/** Column references outside any aggregate call, and the aggregate calls, of an expression. */
function splitAggregates(e: unknown, refs: Node[] = [], aggregates: Node[] = []): { refs: Node[]; aggregates: Node[] } {
  if (Array.isArray(e)) {
    for (const x of e) splitAggregates(x, refs, aggregates);
  } else if (isNode(e)) {
    if (e.class === 'COLUMN_REF') refs.push(e);
    else if (isAggregateCall(e)) aggregates.push(e);
    else
      for (const [k, v] of Object.entries(e)) {
        if (k === 'children' && Array.isArray(v)) v.forEach((x, i) => keywordArgument(e, x, i) || splitAggregates(x, refs, aggregates));
        else splitAggregates(v, refs, aggregates);
      }
  }
  return { refs, aggregates };
}

const hasOr = (e: unknown): boolean => {
  if (Array.isArray(e)) return e.some(hasOr);
  if (!isNode(e)) return false;
  return e.type === 'CONJUNCTION_OR' || Object.values(e).some(hasOr);
};

const ruleWords = (t: QueryTable): string => (t.rule === 'AGGREGATION' ? 'aggregation' : t.rule === 'LIST' ? 'list' : 'custom');

/**
 * Checks that need no resolved FROM: tables that cannot be read (not ready, templates only), too
 * many tables. `templateArn`: the analysis template the query comes from, if any.
 */
function checkTables(parsed: Node, named: readonly QueryTable[], templateArn: string | undefined): void {
  const tables = tablesNamed(parsed).size;
  if (tables > MAX_TABLES_PER_QUERY) {
    throw new RuleViolation('tooManyTables', `A query can use at most ${MAX_TABLES_PER_QUERY} configured tables; this one uses ${tables}.`);
  }
  for (const t of named) {
    if (t.seed.notReady !== undefined) throw new RuleViolation(undefined, `Table ${t.name} is not ready to be queried: ${t.seed.notReady}`);
    const allowed = t.seed.allowedTemplates;
    if (t.rule === 'CUSTOM' && allowed !== undefined && !(templateArn !== undefined && allowed.some((a) => sameArn(a, templateArn)))) {
      throw new RuleViolation(
        'templatesOnly',
        `Table ${t.name} can only be queried through one of the analysis templates its custom analysis rule allows: ${allowed.join(', ')}.`,
      );
    }
  }
}

/** ARNs compared without their region (the endpoint answers in the caller's region). */
export function sameArn(a: string, b: string): boolean {
  const key = (x: string): string => x.replace(/^arn:aws:cleanrooms:[\w-]+:/, '');
  return key(a) === key(b);
}

/**
 * Custom rules: no SELECT * over disallowed output columns, none of them in the output, not even
 * transformed or aggregated (the documented examples refuse SELECT COUNT(age) and CONCAT(name, email)).
 */
function checkCustomOutput(select: Node, named: readonly QueryTable[], bound: readonly Bound[] | undefined): void {
  const customs = named.filter((t) => t.rule === 'CUSTOM' && (t.seed.disallowedOutputColumns?.length ?? 0) > 0);
  if (customs.length === 0 || select.type !== 'SELECT_NODE') return;
  for (const e of nodes(select.select_list)) {
    if (e.class === 'STAR') {
      throw new RuleViolation('selectStar', `SELECT * is not allowed: table ${customs[0].name} has columns its custom analysis rule keeps out of the output (${(customs[0].seed.disallowedOutputColumns ?? []).join(', ')}).`);
    }
    for (const ref of columnRefs(e)) {
      const names = Array.isArray(ref.column_names) ? ref.column_names.map(str) : [];
      const column = (names[names.length - 1] ?? '').toLowerCase();
      // Resolved when FROM is plain tables; otherwise by name (subqueries, CTEs).
      const owners = bound ? (() => {
        const { b } = resolve(ref, bound);
        return [b.table];
      })() : customs;
      const t = owners.find((o) => o.rule === 'CUSTOM' && (o.seed.disallowedOutputColumns ?? []).some((d) => d.toLowerCase() === column));
      if (t) throw new RuleViolation('forbiddenOutputColumn', `Column ${column} of table ${t.name} cannot be in the output: the custom analysis rule disallows it as an output column.`);
    }
  }
}

/** The tables of a SELECT whose FROM is plain tables and joins; undefined otherwise (subqueries, CTEs, set operations). */
function plainFrom(select: Node, tables: ReadonlyMap<string, QueryTable>): Bound[] | undefined {
  if (select.type !== 'SELECT_NODE') return undefined;
  const bound: Bound[] = [];
  try {
    walkFrom(select.from_table, tables, bound, []);
  } catch {
    return undefined;
  }
  return bound;
}

/** Checks the rules; returns the output constraints that apply (column refs for COUNT DISTINCT). */
function checkRules(select: Node, tables: ReadonlyMap<string, QueryTable>): Array<{ alias: string; column: string; minimum: number }> {
  if (select.type !== 'SELECT_NODE') throw new RuleViolation(undefined, 'Only a single SELECT statement is supported.');
  const bound: Bound[] = [];
  const joins: Node[] = [];
  walkFrom(select.from_table, tables, bound, joins);
  const governed = bound.filter((b) => b.table.rule !== 'CUSTOM');
  for (const b of bound) {
    if (b.table.rule === undefined) throw new RuleViolation('noAnalysisRule', `Table ${b.table.name} cannot be queried: it has no analysis rule.`);
  }
  if (governed.length === 0) return [];
  const kinds = new Set(governed.map((b) => b.table.rule));
  if (kinds.size > 1) throw new RuleViolation('mixedRuleTypes', 'Tables with an aggregation analysis rule and tables with a list analysis rule cannot be queried together.');
  const kind = governed[0].table.rule;
  const ruleName = kind === 'AGGREGATION' ? 'aggregation' : 'list';
  checkCustomOutput(select, bound.map((b) => b.table), bound);

  // JOIN ... ON: join columns only, combined with the operators every rule allows.
  for (const cond of joins) {
    for (const ref of columnRefs(cond)) {
      const { b, column } = resolve(ref, bound);
      if (b.table.rule !== 'CUSTOM' && !b.table.seed.joinColumns.includes(column)) {
        throw new RuleViolation('columnNotAllowedHere', `Column ${column} of table ${b.table.name} cannot be used in a JOIN: it is not a join column of the ${ruleName} analysis rule.`);
      }
    }
    if (hasOr(cond)) {
      const strict = governed.find((b) => !(b.table.seed.allowedJoinOperators ?? ['AND']).includes('OR'));
      if (strict) throw new RuleViolation('joinOperatorNotAllowed', `OR cannot combine join conditions: the ${ruleWords(strict.table)} analysis rule of table ${strict.table.name} allows only AND.`);
    }
  }
  const required = governed.find((b) => b.table.seed.joinRequired === true);
  if (required && bound.length < 2) {
    throw new RuleViolation('joinRequired', `Table ${required.table.name} must be joined with one of your tables: its ${ruleName} analysis rule requires a join (joinRequired QUERY_RUNNER).`);
  }

  /** A column outside the output, e.g. in WHERE: join columns never, others only when `allowed`. */
  const notJoinOnly = (where: string, ref: Node, allowed: (b: Bound, column: string) => boolean): void => {
    const { b, column } = resolve(ref, bound);
    if (b.table.rule === 'CUSTOM' || allowed(b, column)) return;
    if (b.table.seed.joinColumns.includes(column)) {
      throw new RuleViolation('joinColumnOutsideJoin', `Column ${column} of table ${b.table.name} can only be used in a JOIN ON clause: it is a join column of the ${ruleName} analysis rule.`);
    }
    throw new RuleViolation('columnNotAllowedHere', `Column ${column} of table ${b.table.name} cannot be used in ${where} under the ${ruleName} analysis rule.`);
  };
  /** A column in the output: join columns never, others only when `allowed`. */
  const output = (ref: Node, allowed: (b: Bound, column: string) => boolean, what: string): void => {
    const { b, column } = resolve(ref, bound);
    if (b.table.rule === 'CUSTOM' || allowed(b, column)) return;
    if (b.table.seed.joinColumns.includes(column)) {
      throw new RuleViolation('forbiddenOutputColumn', `Column ${column} of table ${b.table.name} can only be used in a JOIN ON clause: it is a join column of the ${ruleName} analysis rule.`);
    }
    throw new RuleViolation('forbiddenOutputColumn', `Column ${column} of table ${b.table.name} cannot be in the output: under the ${ruleName} analysis rule only ${what} can.`);
  };

  if (kind === 'LIST') {
    for (const e of nodes(select.select_list)) {
      if (e.class === 'STAR') throw new RuleViolation('selectStar', 'SELECT * is not allowed under the list analysis rule; select list columns.');
      if (e.class !== 'COLUMN_REF') throw new RuleViolation('functionNotAllowed', 'Only columns can be selected under the list analysis rule; functions and expressions are not allowed.');
      output(e, (b, c) => b.table.seed.listColumns.includes(c), 'list columns');
    }
    const fn = scalarCalls(select.where_clause)[0];
    if (fn) throw new RuleViolation('functionNotAllowed', `Function ${fn} is not allowed under the list analysis rule.`);
    for (const ref of columnRefs(select.where_clause)) notJoinOnly('WHERE', ref, (b, c) => b.table.seed.listColumns.includes(c));
    if (select.group_expressions && nodes(select.group_expressions).length > 0) throw new RuleViolation(undefined, 'GROUP BY is not allowed under the list analysis rule.');
    return [];
  }

  // Aggregation.
  const dimension = (b: Bound, c: string): boolean => b.table.seed.dimensionColumns.includes(c);
  const scalarAllowed = governed.map((b) => ({ t: b.table, allowed: b.table.seed.scalarFunctions }));
  const checkScalars = (e: unknown): void => {
    for (const fn of scalarCalls(e)) {
      const refusing = scalarAllowed.find((x) => x.allowed !== undefined && !x.allowed.includes(fn));
      if (refusing) {
        throw new RuleViolation('functionNotAllowed', `Function ${fn} is not allowed: the aggregation analysis rule of table ${refusing.t.name} allows only ${refusing.allowed?.join(', ') || 'no scalar functions'}.`);
      }
    }
  };
  const checkAggregate = (a: Node): void => {
    const name = str(a.function_name).toLowerCase();
    if (name === 'count_star') throw new RuleViolation('aggregateNotAllowed', 'COUNT(*) is not allowed under the aggregation analysis rule; count an aggregate column.');
    if (!AGGREGATES[name]) throw new RuleViolation('aggregateNotAllowed', `Aggregate function ${name.toUpperCase()} is not allowed under the aggregation analysis rule. Allowed: COUNT, COUNT DISTINCT, SUM, SUM DISTINCT, AVG.`);
    const fn = name.toUpperCase() + (a.distinct === true ? '_DISTINCT' : '');
    for (const ref of columnRefs(a.children)) {
      const { b, column } = resolve(ref, bound);
      if (b.table.rule === 'CUSTOM') continue;
      const allowed = b.table.seed.aggregateColumns[column] ?? [];
      if (!allowed.includes(fn as AggregateFunction)) {
        throw new RuleViolation(
          'aggregateNotAllowed',
          `Aggregate function ${fn.replace('_', ' ')} is not allowed on column ${column} of table ${b.table.name}. Allowed: ${allowed.length ? allowed.join(', ') : 'none'}.`,
        );
      }
    }
  };

  let aggregates = 0;
  for (const e of nodes(select.select_list)) {
    if (e.class === 'STAR') throw new RuleViolation('selectStar', 'SELECT * is not allowed under the aggregation analysis rule.');
    const split = splitAggregates(e);
    for (const ref of split.refs) output(ref, dimension, 'dimension columns and allowed aggregate functions');
    for (const a of split.aggregates) checkAggregate(a);
    aggregates += split.aggregates.length;
    checkScalars(e);
  }
  for (const ref of columnRefs(select.where_clause)) notJoinOnly('WHERE', ref, dimension);
  checkScalars(select.where_clause);
  for (const ref of columnRefs(select.group_expressions)) notJoinOnly('GROUP BY', ref, dimension);
  checkScalars(select.group_expressions);
  if (isNode(select.having)) {
    const split = splitAggregates(select.having);
    for (const ref of split.refs) notJoinOnly('HAVING', ref, dimension);
    for (const a of split.aggregates) checkAggregate(a);
    checkScalars(select.having);
  }
  if (aggregates === 0) throw new RuleViolation('missingAggregate', 'A query on a table with an aggregation analysis rule must select at least one aggregate function.');

  return governed.flatMap((b) => (b.table.seed.outputConstraint ? [{ alias: b.alias, column: b.table.seed.outputConstraint.columnName, minimum: b.table.seed.outputConstraint.minimum }] : []));
}

// ---------------------------------------------------------------------------------------------
// Running
// ---------------------------------------------------------------------------------------------

async function one(c: DuckDBConnection, sql: string): Promise<string> {
  const r = await c.runAndReadAll(sql);
  const v = r.getRows()[0]?.[0];
  return typeof v === 'string' ? v : String(v);
}

/** Small results split into parts of 8 rows (so tests see several parts); big ones into at most 16. */
const MIN_ROWS_PER_PART = 8;
const MAX_PARTS = 16;

/**
 * Runs `sql` over `tables` and returns the result files (bytes written by DuckDB's COPY).
 * A rule violation or an SQL error is a failed outcome, like a FAILED protected query.
 */
export async function runProtectedQuery(sql: string, tables: readonly QueryTable[], output: QueryOutput, templateArn?: string): Promise<QueryOutcome> {
  // One thread: the test machines share two cores between the endpoint, VS Code and the tests.
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const c = await instance.connect();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cleanrooms-query-'));
  try {
    const byName = new Map(tables.map((t) => [t.name.toLowerCase(), t]));
    let parsed: Node;
    try {
      // Nodes without a source position carry query_location 2^64-1, which a JavaScript number cannot
      // hold; the output constraint rewrite sends the tree back to DuckDB, so make those positions 0.
      const serialized = (await one(c, `SELECT json_serialize_sql(${q(sql)})`)).replace(/"query_location":\d{17,}/g, '"query_location":0');
      const json = JSON.parse(serialized) as Node;
      if (json.error === true) return { ok: false, code: 'INVALID_QUERY', message: `Query could not be parsed: ${str(json.error_message)}` };
      const statements = nodes(json.statements);
      if (statements.length !== 1) return { ok: false, code: 'INVALID_QUERY', message: 'A protected query must be exactly one SELECT statement.' };
      parsed = isNode(statements[0].node) ? statements[0].node : {};
    } catch (e) {
      return { ok: false, code: 'INVALID_QUERY', message: `Query could not be parsed: ${(e as Error).message}` };
    }

    let constraints: Array<{ alias: string; column: string; minimum: number }> = [];
    try {
      // Every table the query reads (CTEs and subqueries included) must exist and have a rule;
      // a query over custom-rule tables only is any query, so only the others get the shape checks.
      // DuckDB lists no tables for some statements it cannot bind (e.g. HAVING on a column that is not
      // grouped), so the parse tree's own table references count too: no query skips the rules.
      const names = new Set([...c.getTableNames(sql, false), ...treeTableNames(parsed)]);
      const named = [...names].map((n) => {
        const t = byName.get(n.toLowerCase());
        if (!t) throw new RuleViolation('unknownTable', `Table ${n} does not exist in this collaboration.`);
        if (t.rule === undefined) throw new RuleViolation('noAnalysisRule', `Table ${t.name} cannot be queried: it has no analysis rule.`);
        return t;
      });
      checkTables(parsed, named, templateArn);
      if (named.some((t) => t.rule !== 'CUSTOM')) constraints = checkRules(parsed, byName);
      else checkCustomOutput(parsed, named, plainFrom(parsed, byName));
    } catch (e) {
      if (e instanceof RuleViolation) return { ok: false, code: 'ANALYSIS_RULE_VIOLATION', message: e.message, ...(e.finding ? { finding: e.finding } : {}) };
      throw e;
    }

    // Seed only the tables the query names.
    for (const t of tables) {
      // A plain substring test: names may hold hyphens or quotes; seeding one table too many is harmless.
      if (!sql.toLowerCase().includes(t.name.toLowerCase())) continue;
      const ident = `"${t.name.replace(/"/g, '""')}"`;
      await c.run(`CREATE TABLE ${ident} (${t.seed.columns.map(([n, ty]) => `"${n.replace(/"/g, '""')}" ${ty}`).join(', ')})`);
      if (t.seed.rows.length) await c.run(`INSERT INTO ${ident} VALUES ${t.seed.rows.map((r) => `(${r.join(', ')})`).join(', ')}`);
    }

    // The output constraint: count the distinct values per output row, drop rows under the minimum.
    let runSql = sql;
    if (constraints.length > 0) {
      const selectList = parsed.select_list as Node[];
      constraints.forEach((k, i) => {
        selectList.push({
          class: 'FUNCTION',
          type: 'FUNCTION',
          alias: `__cr_min_${i}`,
          function_name: 'count',
          schema: '',
          children: [{ class: 'COLUMN_REF', type: 'COLUMN_REF', alias: '', column_names: [k.alias, k.column] }],
          filter: null,
          order_bys: { type: 'ORDER_MODIFIER', orders: [] },
          distinct: true,
          is_operator: false,
          export_state: false,
          catalog: '',
        });
      });
      const inner = await one(c, `SELECT json_deserialize_sql(${q(JSON.stringify({ error: false, statements: [{ node: parsed }] }))})`);
      const hidden = constraints.map((_, i) => `__cr_min_${i}`);
      runSql = `SELECT * EXCLUDE (${hidden.join(', ')}) FROM (${inner}) WHERE ${constraints.map((k, i) => `${hidden[i]} >= ${k.minimum}`).join(' AND ')}`;
    }

    try {
      await c.run(`CREATE TABLE __cr_result AS ${runSql}`);
    } catch (e) {
      return { ok: false, code: 'INVALID_QUERY', message: (e as Error).message.replace(/^[A-Za-z ]+Error: /, '') };
    }
    const rowCount = Number(await one(c, 'SELECT count(*) FROM __cr_result'));
    const ext = output.format === 'PARQUET' ? 'parquet' : 'csv';
    const copyOptions = output.format === 'PARQUET' ? 'FORMAT parquet' : 'FORMAT csv, HEADER true';
    const rowsPerPart = Math.max(MIN_ROWS_PER_PART, Math.ceil(rowCount / MAX_PARTS));
    const parts = output.singleFileOutput ? 1 : Math.max(1, Math.ceil(rowCount / rowsPerPart));
    const files: Array<{ name: string; bytes: Buffer }> = [];
    for (let p = 0; p < parts; p++) {
      const name = output.singleFileOutput ? `result.${ext}` : `part-${String(p).padStart(5, '0')}.${ext}`;
      const file = path.join(dir, name);
      const slice = output.singleFileOutput ? '' : ` LIMIT ${rowsPerPart} OFFSET ${p * rowsPerPart}`;
      await c.run(`COPY (SELECT * FROM __cr_result${slice}) TO ${q(file)} (${copyOptions})`);
      files.push({ name, bytes: fs.readFileSync(file) });
    }
    return { ok: true, files, rowCount };
  } finally {
    c.closeSync();
    instance.closeSync();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
