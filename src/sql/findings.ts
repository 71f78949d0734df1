import type { Catalog } from './catalog';

/**
 * What the pre-flight check can say about one statement. Each code is one kind of rule the local
 * endpoint enforces too (test/fakes/queryEngine.ts), so a query the check passes runs there and a
 * query it flags fails there (the rule corpus, test/fakes/ruleCorpus.ts, proves both).
 */
export type FindingCode =
  /** A table the collaboration does not have (or not under that spelling when quoted). */
  | 'unknownTable'
  /** A column the table does not have. */
  | 'unknownColumn'
  /** More than MAX_TABLES_PER_QUERY tables in one query. */
  | 'tooManyTables'
  /** A table without an analysis rule: it cannot be queried. */
  | 'noAnalysisRule'
  /** A CUSTOM table that allows only certain analysis templates (the message names them). */
  | 'templatesOnly'
  /** Tables under an aggregation rule and tables under a list rule in one query. */
  | 'mixedRuleTypes'
  /** SELECT * on an aggregation or list table, or on a custom table with disallowed output columns. */
  | 'selectStar'
  /**
   * A column in the output that the rule forbids: a join column, a custom rule's disallowed
   * output column, an aggregation table's column that is neither a dimension nor inside an
   * allowed aggregate, a list table's column that is not a list column.
   */
  | 'forbiddenOutputColumn'
  /** A join column used outside JOIN ... ON (e.g. in WHERE or GROUP BY). */
  | 'joinColumnOutsideJoin'
  /** A column used where the rule does not allow it (WHERE / GROUP BY on a non-dimension column). */
  | 'columnNotAllowedHere'
  /** An aggregate function over a column the rule does not allow it for (e.g. SUM of a COUNT_DISTINCT-only column). */
  | 'aggregateNotAllowed'
  /** An aggregation query without any aggregate function. */
  | 'missingAggregate'
  /** A scalar function outside the aggregation rule's scalarFunctions, or any function in a list query. */
  | 'functionNotAllowed'
  /** OR (or another operator) between join conditions that the rule does not allow. */
  | 'joinOperatorNotAllowed'
  /** An aggregation table with joinRequired used without a join. */
  | 'joinRequired';

/** A text change a quick fix makes, in offsets of the statement text. */
export interface FindingEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** One warning, located in the statement text given to analyzeStatement (offsets, end exclusive). */
export interface SqlFinding {
  readonly code: FindingCode;
  /** Cites the table and its rule, e.g. `campaign_exposures (aggregation rule): hashed_email is a join column; it may appear only in JOIN ... ON.` */
  readonly message: string;
  readonly start: number;
  readonly end: number;
  /** The table the finding is about, as named in the schema. */
  readonly table?: string;
  /** A quick fix, when the fix is clear. */
  readonly fix?: { readonly title: string; readonly edits: readonly FindingEdit[] };
}

/** The outcome of checking one statement. `parsed: false`: the parser could not read it, so no rule findings (precision first). */
export interface StatementCheck {
  readonly parsed: boolean;
  readonly findings: readonly SqlFinding[];
}

/**
 * Checks one statement against the catalog. Loads the SQL parser on first use. Never throws: a
 * statement it cannot parse gives `{ parsed: false, findings: [] }`.
 * Contract stub: the SQL helper replaces this body (src/sql/analyze.ts).
 */
export type AnalyzeStatement = (sql: string, catalog: Catalog) => Promise<StatementCheck>;
